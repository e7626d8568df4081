//! The incremental cache: what one input file gave (its outcomes, before the rules across
//! reports), kept on disk so that a nightly run re-parses only new or changed files.
//!
//! An entry's key is a hash of the file's content hash, its path (file names are metadata
//! clues), the manifest row that applies to it and the resource caps. Entries live in a
//! namespace named by the tool's identity (package version and the running binary's size and
//! modification time, so a rebuilt binary never reads an older one's entries) and the model
//! hash. Rules across reports (duplicates, carry-over, text reuse) are applied to every run's
//! whole batch afresh, so outputs are complete and the same as without the cache.
//!
//! An entry that cannot be read back (truncated, from another build) is a miss, never an
//! error: the file is parsed again. Deleting the cache directory is always safe.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::batch::manifest;
use crate::report::Outcome;
use crate::source::Limits;

/// Bumped when the layout of cached outcomes changes in a way the binary identity would not
/// catch (it always changes with a rebuild; this keeps the namespace honest on its own).
const FORMAT: u32 = 2;

/// An open cache namespace, shared by the workers of one run.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl Cache {
    /// Opens (creating it) the namespace for this binary and `model_hash` under `root`.
    pub fn open(root: &Path, model_hash: &str) -> std::io::Result<Cache> {
        let ns = format!("{}-{}", tool_id(), short(model_hash));
        let dir = root.join(ns);
        fs::create_dir_all(&dir)?;
        Ok(Cache {
            dir,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        })
    }

    /// The namespace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of one file's entry.
    pub fn key(sha256: &str, path: &Path, row: Option<&manifest::Row>, limits: &Limits) -> String {
        let mut h = Sha256::new();
        h.update(sha256.as_bytes());
        h.update([0]);
        h.update(path.as_os_str().as_encoded_bytes());
        h.update([0]);
        if let Some(r) = row {
            h.update(format!("{:?}|{:?}|{:?}", r.issuer, r.region_code, r.year).as_bytes());
        }
        h.update([0]);
        h.update(format!("{limits:?}").as_bytes());
        crate::hex::lower(&h.finalize()[..20])
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    /// The outcomes stored under `key`, if a readable entry is there. Counts a hit or a miss.
    pub fn get(&self, key: &str) -> Option<Vec<Outcome>> {
        let got = fs::read(self.entry(key))
            .ok()
            .and_then(|bytes| bincode::deserialize::<Vec<Outcome>>(&bytes).ok());
        let counter = if got.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        got
    }

    /// Stores outcomes under `key` (written beside and renamed, so a killed run leaves no
    /// half entry). Failing to store is not an error: the next run parses the file again.
    pub fn put(&self, key: &str, outcomes: &[Outcome]) {
        let Ok(bytes) = bincode::serialize(outcomes) else {
            return;
        };
        let path = self.entry(key);
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = parent.join(format!(".{key}.{}", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(&bytes));
        if written.is_err() || fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Files answered from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Files looked up and not found (parsed, then stored).
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// This binary's identity: package version, cache format, and the executable's size and
/// modification time (any rebuild changes them).
pub fn tool_id() -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{mtime}", m.len())
        })
        .unwrap_or_default();
    let mut h = Sha256::new();
    h.update(exe.as_bytes());
    let digest = crate::hex::lower(&h.finalize()[..6]);
    format!("v{}-f{FORMAT}-{digest}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use crate::report::Outcome;

    /// Every `&'static str` a cached outcome holds is read back by lookup in the vocabulary
    /// (`template::interned`): a word missing there would make every such file a cache miss.
    /// Checked over a small default-like corpus (every synthetic shape, injected errors,
    /// traditional script, GBK) and the PDF and real fixtures.
    #[test]
    fn every_outcome_reads_back_from_its_cache_bytes() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut c = crate::jobs::corpus::synthetic();
        c.options.issuers = 24;
        c.traditional_rate = 0.2;
        c.gbk_rate = 0.2;
        let truths = crate::synth::generate(&c.options);
        let mut inputs: Vec<(std::path::PathBuf, Vec<u8>)> = crate::synth::files(&c, &truths)
            .into_iter()
            .map(|(name, bytes)| (name.into(), bytes))
            .collect();
        for sub in ["pdf", "real"] {
            for e in std::fs::read_dir(fixtures.join(sub)).unwrap().flatten() {
                if e.path().is_file() {
                    inputs.push((e.path(), std::fs::read(e.path()).unwrap()));
                }
            }
        }
        let mut outcomes: Vec<Outcome> = Vec::new();
        for (path, bytes) in &inputs {
            outcomes.extend(crate::batch::process_all(path, bytes, None));
        }
        let bytes = bincode::serialize(&outcomes).unwrap();
        let back: Vec<Outcome> = bincode::deserialize(&bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{outcomes:?}"));
    }
}
