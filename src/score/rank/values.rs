//! A unit's cells by canonical key: a slot per key of the template (its place in
//! [`all_keys`]), so that building ten thousand units neither hashes two strings per cell nor
//! holds a hash table per unit (inserting into those tables took 12 % of `gongkai rank`'s
//! page faults on the frames of 10,002 reports). A key the template does not list (a
//! hand-made unit's) is kept in a map beside.

use rustc_hash::FxHashMap;

use super::super::formula::Key;
use crate::template::{all_keys, key_index};

/// Something per canonical key.
#[derive(Clone, Debug)]
pub struct ByKey<T> {
    slots: Vec<Option<T>>,
    other: FxHashMap<Key, T>,
}

impl<T> Default for ByKey<T> {
    fn default() -> Self {
        ByKey {
            slots: Vec::new(),
            other: FxHashMap::default(),
        }
    }
}

/// A unit's cell values by canonical key.
pub type Values = ByKey<f64>;

/// A set of canonical keys (the cells a unit printed empty).
pub type KeySet = ByKey<()>;

impl<T: Clone> ByKey<T> {
    /// Sets `k`'s value (the last one set counts, as a map's insert).
    pub fn insert(&mut self, k: Key, v: T) {
        match key_index(k) {
            Some(i) => self.put(i, v),
            None => {
                self.other.insert(k, v);
            }
        }
    }

    /// Sets the value of the key at place `i` of [`all_keys`].
    pub(crate) fn put(&mut self, i: usize, v: T) {
        if self.slots.is_empty() {
            self.slots = vec![None; all_keys().len()];
        }
        self.slots[i] = Some(v);
    }

    pub fn get(&self, k: &Key) -> Option<&T> {
        match key_index(*k) {
            Some(i) => self.slots.get(i)?.as_ref(),
            None => self.other.get(k),
        }
    }

    pub fn contains(&self, k: &Key) -> bool {
        self.get(k).is_some()
    }

    /// Takes `k`'s value out, returning it.
    pub fn remove(&mut self, k: &Key) -> Option<T> {
        match key_index(*k) {
            Some(i) => self.slots.get_mut(i)?.take(),
            None => self.other.remove(k),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TableKind;

    #[test]
    fn template_keys_and_others_are_kept_alike() {
        let mut v = Values::default();
        let (t, r, c) = all_keys()[3];
        // The same words at other addresses find the same slot.
        let copy: Key = (t, r.to_owned().leak(), c.to_owned().leak());
        v.insert((t, r, c), 1.0);
        v.insert(copy, 2.0);
        assert_eq!(v.get(&(t, r, c)), Some(&2.0));
        let odd = (TableKind::Requests, "示例行", "示例列");
        assert_eq!(v.get(&odd), None);
        v.insert(odd, 3.0);
        assert_eq!(v.get(&odd), Some(&3.0));
        assert_eq!(v.remove(&odd), Some(3.0));
        assert_eq!(v.remove(&copy), Some(2.0));
        assert_eq!((v.get(&odd), v.get(&(t, r, c))), (None, None));
        assert_eq!(v.remove(&odd), None);
        let mut s = KeySet::default();
        assert!(!s.contains(&(t, r, c)));
        s.insert((t, r, c), ());
        s.insert(odd, ());
        assert!(s.contains(&(t, r, c)) && s.contains(&odd));
        assert!(!s.contains(&all_keys()[4]));
    }
}
