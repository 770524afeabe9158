//! Applying journaled changes to a database (after a crash, or on top of
//! a restored backup) and checking a database agrees with itself.

use super::journal::{Change, JournalMark};
use super::records::{self, KeyValue};
use super::{codec, Store, StoreError, AUDIT, FIRST_RECORD_TREE, INDEX, JOURNAL_CHANGE, JOURNAL_ID, KIND_NAMES, META, TREE_NAMES};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// The index entries a stored value brings with it: a record's index keys,
/// an audit entry's key under its record; nothing for other trees.
pub(super) fn derived(tree: usize, key: &[u8], value: &[u8]) -> Result<Vec<KeyValue>, StoreError> {
    if tree == AUDIT {
        let seq = records::key_id(key);
        let entry: crate::domain::AuditEntry =
            codec::decode(records::AUDIT_SCHEMA, value).map_err(|e| StoreError::corrupt("audit", seq, e))?;
        return Ok(records::audit_by_record_key(&entry.kind, entry.record_id, seq).map(|k| (k, Vec::new())).into_iter().collect());
    }
    match tree.checked_sub(FIRST_RECORD_TREE).and_then(|i| KIND_NAMES.get(i)) {
        Some(kind) => records::index_entries_of(kind, records::key_id(key), value),
        None => Ok(Vec::new()),
    }
}

/// What `Store::verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub records: u64,
    pub audit_entries: u64,
    /// The first thing that does not add up, if any.
    pub problem: Option<String>,
}

impl Store {
    /// Apply one journaled change in one transaction, index keys included,
    /// and note it as the database's last change. Not journaled again.
    pub fn apply_change(&self, change: &Change) -> Result<(), StoreError> {
        let mut ops = Vec::with_capacity(change.ops.len());
        for op in &change.ops {
            let t = TREE_NAMES
                .iter()
                .position(|n| *n == op.tree)
                .ok_or_else(|| StoreError::corrupt("journal", change.number, format!("unknown tree {}", op.tree)))?;
            ops.push((t, op));
        }
        let abort = ConflictableTransactionError::Abort;
        let result = self.trees.as_slice().transaction(|views| {
            for (t, op) in &ops {
                let t = *t;
                if t == INDEX {
                    continue;
                }
                if let Some(old) = views[t].get(&op.key)? {
                    for (k, _) in derived(t, &op.key, &old).map_err(abort)? {
                        views[INDEX].remove(k)?;
                    }
                }
                match &op.value {
                    Some(v) => {
                        views[t].insert(op.key.as_slice(), v.as_slice())?;
                        for (k, iv) in derived(t, &op.key, v).map_err(abort)? {
                            views[INDEX].insert(k, iv)?;
                        }
                    }
                    None => {
                        views[t].remove(op.key.as_slice())?;
                    }
                }
            }
            views[META].insert(JOURNAL_CHANGE, &change.number.to_be_bytes())?;
            Ok(())
        });
        result.map_err(|e| match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => e.into(),
        })
    }

    /// The journal this database belongs to and its last change, as the
    /// database itself says (none: it has no journal yet).
    pub fn journal_mark_in_db(&self) -> Option<JournalMark> {
        self.meta_u64(JOURNAL_ID).map(|id| JournalMark { id, change: self.counter(JOURNAL_CHANGE) })
    }

    /// Tie a database being built to a journal (or to none: a restored or
    /// loaded database starts a journal of its own when next opened). Its
    /// index was made by this version, so it has this version's layout.
    pub fn set_journal_mark(&self, mark: Option<JournalMark>) -> Result<(), StoreError> {
        self.trees[META].insert(super::INDEX_LAYOUT_KEY, &super::INDEX_LAYOUT.to_be_bytes())?;
        match mark {
            Some(m) => {
                self.trees[META].insert(JOURNAL_ID, &m.id.to_be_bytes())?;
                self.trees[META].insert(JOURNAL_CHANGE, &m.change.to_be_bytes())?;
            }
            None => {
                self.trees[META].remove(JOURNAL_ID)?;
            }
        }
        Ok(())
    }

    pub(super) fn meta_u64(&self, key: &[u8]) -> Option<u64> {
        match self.trees[META].get(key) {
            Ok(Some(b)) => b.as_ref().try_into().ok().map(u64::from_be_bytes),
            _ => None,
        }
    }

    /// Read every record and audit entry: each must decode, each kind's
    /// counter must match its records, and the index must hold as many
    /// entries as they bring. Slow on a large database; for recovery.
    pub fn verify(&self) -> Result<Health, StoreError> {
        let mut health = Health { records: 0, audit_entries: 0, problem: None };
        let mut derived_count = 0u64;
        let note = |h: &mut Health, p: String| {
            if h.problem.is_none() {
                h.problem = Some(p);
            }
        };
        for item in self.trees[AUDIT].iter() {
            let (k, v) = item?;
            match derived(AUDIT, &k, &v) {
                Ok(d) => derived_count += d.len() as u64,
                Err(e) => note(&mut health, e.to_string()),
            }
            health.audit_entries += 1;
        }
        for (i, kind) in KIND_NAMES.iter().enumerate() {
            let mut n = 0u64;
            for item in self.trees[FIRST_RECORD_TREE + i].iter() {
                let (k, v) = item?;
                match derived(FIRST_RECORD_TREE + i, &k, &v) {
                    Ok(d) => derived_count += d.len() as u64,
                    Err(e) => note(&mut health, e.to_string()),
                }
                n += 1;
            }
            let said = self.counter(&super::count_key(kind));
            if said != n {
                note(&mut health, format!("{n} {kind} records, the counter says {said}"));
            }
            health.records += n;
        }
        let index = self.trees[INDEX].len() as u64;
        if index != derived_count {
            note(&mut health, format!("{index} index entries where the records make {derived_count}"));
        }
        if self.counter(b"seq/audit") < health.audit_entries {
            note(&mut health, "more audit entries than their sequence gave".into());
        }
        Ok(health)
    }
}
