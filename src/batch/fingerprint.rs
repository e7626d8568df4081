//! What decides a batch's outputs, as one digest: every input file's cache key (its content
//! hash, path, manifest row and the caps) in path order, the shard and the binary's identity.
//! Two batches with the same fingerprint write the same bytes, so a run over unchanged
//! inputs can say so without parsing or writing anything (`jobs::replay`).

use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::Options;
use super::cache::{Cache, tool_id};
use super::discover;

/// The fingerprint of the batch `paths` would be under `opts`; `None` when it cannot be
/// told from the files alone: a directory or file that cannot be read, a file over the size
/// cap (its error row says so from its size), or a manifest row that matches no file (a
/// line the run prints).
pub fn fingerprint(paths: &[PathBuf], opts: &Options<'_>) -> Option<String> {
    let (mut files, failed) = discover(paths);
    if !failed.is_empty() {
        return None;
    }
    if let Some(s) = opts.shard {
        files.retain(|f| s.takes(f));
    }
    if let Some(m) = opts.manifest
        && !m.unmatched(&files).is_empty()
    {
        return None;
    }
    let limits = &opts.limits;
    let keys: Option<Vec<String>> = files
        .par_iter()
        .map(|f| {
            let meta = std::fs::metadata(f).ok()?;
            if meta.len() > limits.file_bytes {
                return None;
            }
            let bytes = std::fs::read(f).ok()?;
            let sha = super::process::hex(&bytes);
            let row = opts.manifest.and_then(|m| m.row_for(f));
            Some(Cache::key(&sha, f, row, limits))
        })
        .collect();
    let mut h = Sha256::new();
    h.update(tool_id().as_bytes());
    h.update(format!("|{:?}|{}|", opts.shard, files.len()).as_bytes());
    for k in keys? {
        h.update(k.as_bytes());
    }
    Some(crate::hex::lower(&h.finalize()))
}
