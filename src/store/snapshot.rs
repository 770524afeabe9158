//! Whole-database reads and bulk loads, for backups and portable dumps.
//!
//! A snapshot holds the store's write lock alone: transactions wait, reads
//! go on. sled has no point-in-time read across trees (its iterators see
//! writes that commit while they run, and a transaction cannot iterate), so
//! this is what makes a copy consistent: every record is there with its
//! index keys, its audit entries and the counters that numbered them, as
//! they stood between two whole transactions.

use super::{count_key, records, KeyValue, Store, StoreError, KIND_NAMES, META};
use std::sync::RwLockWriteGuard;

/// The bookkeeping trees, then one tree per record kind (`KIND_NAMES`): the
/// order `Store::open` opens them in.
pub const TREE_NAMES: [&str; 3 + KIND_NAMES.len()] = {
    let mut names = [""; 3 + KIND_NAMES.len()];
    (names[0], names[1], names[2]) = ("meta", "audit", "index");
    let mut i = 0;
    while i < KIND_NAMES.len() {
        names[3 + i] = KIND_NAMES[i];
        i += 1;
    }
    names
};

/// The store with its writes held off; see the module comment.
pub struct Snapshot<'a> {
    store: &'a Store,
    _writes: RwLockWriteGuard<'a, ()>,
}

/// The first and the last key of a tree.
pub type KeyBounds = (Vec<u8>, Vec<u8>);

impl Snapshot<'_> {
    /// Records per kind, as the counters kept with every insert say.
    pub fn record_counts(&self) -> Vec<(&'static str, u64)> {
        KIND_NAMES.iter().map(|k| (*k, self.store.counter(&count_key(k)))).collect()
    }

    /// Every entry of tree `t` (a position in `TREE_NAMES`) with a key from
    /// `from` (included) up to `to` (not included; none: to the end), in key order.
    pub fn for_each_in<E: From<StoreError>>(
        &self,
        t: usize,
        from: &[u8],
        to: Option<&[u8]>,
        mut visit: impl FnMut(&[u8], &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(tree) = self.store.trees.get(t) else { return Ok(()) };
        let range: Box<dyn Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> = match to {
            Some(to) => Box::new(tree.range(from..to)),
            None => Box::new(tree.range(from..)),
        };
        for item in range {
            let (k, v) = item.map_err(StoreError::from)?;
            visit(&k, &v)?;
        }
        Ok(())
    }

    /// Begin a new journal segment and say which journal this snapshot
    /// belongs to and the last change it holds (none: not journaled).
    pub fn rotate_journal(&self) -> Result<Option<super::JournalMark>, StoreError> {
        match &self.store.journal {
            Some(j) => j.rotate().map(Some).map_err(|e| StoreError::Storage(e.to_string())),
            None => Ok(self.store.journal_mark_in_db()),
        }
    }

    /// The first and the last key of tree `t`, if it has any.
    pub fn key_bounds(&self, t: usize) -> Result<Option<KeyBounds>, StoreError> {
        let Some(tree) = self.store.trees.get(t) else { return Ok(None) };
        Ok(match (tree.first()?, tree.last()?) {
            (Some((a, _)), Some((b, _))) => Some((a.to_vec(), b.to_vec())),
            _ => None,
        })
    }

    /// Every entry of every tree, tree by tree in `TREE_NAMES` order and in
    /// key order within a tree: `visit(tree position, key, value)`.
    pub fn for_each<E: From<StoreError>>(&self, mut visit: impl FnMut(usize, &[u8], &[u8]) -> Result<(), E>) -> Result<(), E> {
        for (t, tree) in self.store.trees.iter().enumerate() {
            for item in tree.iter() {
                let (k, v) = item.map_err(StoreError::from)?;
                visit(t, &k, &v)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Hold off writes until the snapshot is dropped (waits for the
    /// transactions under way to finish).
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot { store: self, _writes: self.writes.write().unwrap_or_else(|e| e.into_inner()) }
    }

    /// A u64 kept in the meta tree (counters and sequences), 0 when absent.
    pub(super) fn counter(&self, key: &[u8]) -> u64 {
        match self.trees[META].get(key) {
            Ok(Some(b)) => b.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0),
            _ => 0,
        }
    }

    /// Whether the database holds nothing at all (not even an operator).
    pub fn is_empty(&self) -> bool {
        self.trees.iter().all(|t| t.is_empty())
    }

    /// Write entries straight into a tree of a database being built (a
    /// restore or a load): no transaction, no audit entry, no sync; the
    /// caller builds the whole database aside, syncs it, then moves it into place.
    pub fn load_raw(&self, tree: usize, entries: &[KeyValue]) -> Result<(), StoreError> {
        let tree = self.trees.get(tree).ok_or_else(|| StoreError::Storage(format!("no tree number {tree}")))?;
        let mut batch = sled::Batch::default();
        for (k, v) in entries {
            batch.insert(k.as_slice(), v.as_slice());
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// Build the index tree from the records and the audit log, in a
    /// database being built (a restore of a backup, which leaves the index
    /// out: it is derived data). Returns the index entries made.
    pub fn rebuild_index(&self) -> Result<u64, StoreError> {
        use super::{AUDIT, FIRST_RECORD_TREE};
        self.index_trees(std::iter::once(AUDIT).chain(FIRST_RECORD_TREE..FIRST_RECORD_TREE + KIND_NAMES.len()))
    }

    /// Write the index entries of everything in `trees` (over any already
    /// there: the same record makes the same entries).
    pub(super) fn index_trees(&self, trees: impl Iterator<Item = usize>) -> Result<u64, StoreError> {
        use super::INDEX;
        let mut batch: Vec<KeyValue> = Vec::with_capacity(20_000);
        let mut made = 0u64;
        let mut push = |batch: &mut Vec<KeyValue>, kv: KeyValue| -> Result<(), StoreError> {
            batch.push(kv);
            made += 1;
            if batch.len() >= 20_000 {
                self.load_raw(INDEX, batch)?;
                batch.clear();
            }
            Ok(())
        };
        for t in trees {
            for item in self.trees[t].iter() {
                let (k, v) = item?;
                for kv in super::replay::derived(t, &k, &v)? {
                    push(&mut batch, kv)?;
                }
            }
        }
        self.load_raw(INDEX, &batch)?;
        Ok(made)
    }

    /// The index keys (and what each carries) of a record given as its
    /// kind and stored bytes, for rebuilding an index from records alone.
    pub fn index_entries_of(kind: &str, id: u64, bytes: &[u8]) -> Result<Vec<KeyValue>, StoreError> {
        records::index_entries_of(kind, id, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_names_follow_the_open_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(store.trees.len(), TREE_NAMES.len());
        for (tree, name) in store.trees.iter().zip(TREE_NAMES) {
            assert_eq!(tree.name().as_ref(), name.as_bytes());
        }
        assert!(store.is_empty());
    }
}
