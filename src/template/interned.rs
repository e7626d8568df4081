//! Deserializers for the `&'static str` fields of cached types: the vocabulary (row and
//! column keys, rule ids, reasons) is small and fixed, so each distinct string is interned
//! once for the life of the process.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer};

use super::TableKind;

fn intern(s: &str) -> &'static str {
    static SET: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let set = SET.get_or_init(Default::default);
    let mut set = set.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&k) = set.get(s) {
        return k;
    }
    let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
    set.insert(k);
    k
}

pub(crate) fn one<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(intern(&s))
}

pub(crate) fn many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    let v = Vec::<String>::deserialize(d)?;
    Ok(v.iter().map(|s| intern(s)).collect())
}

#[allow(clippy::type_complexity)]
pub(crate) fn cells<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(TableKind, &'static str, &'static str)>, D::Error> {
    let v = Vec::<(TableKind, String, String)>::deserialize(d)?;
    Ok(v.iter()
        .map(|(t, r, c)| (*t, intern(r), intern(c)))
        .collect())
}
