//! Operations inside one store transaction: records, their index keys, the
//! audit entry and counters move together.

use super::records::{self, audit_by_record_key, Record, AUDIT_SCHEMA};
use super::{codec, StoreError, AUDIT, FIRST_RECORD_TREE, INDEX, META};
use crate::domain::{diff, AuditAction, AuditEntry, Meta};
use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

pub type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

pub fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

/// One write as made: tree position, key, new value (none: removed).
type Written = (usize, Vec<u8>, Option<Vec<u8>>);

pub struct Tx<'a> {
    views: &'a [TransactionalTree],
    /// Every write made, for the journal (`None`: not journaled). The index
    /// tree is left out: it is made again from records and audit entries.
    log: Option<RefCell<Vec<Written>>>,
}

impl<'a> Tx<'a> {
    pub(super) fn new(views: &'a [TransactionalTree], journaled: bool) -> Self {
        Tx { views, log: journaled.then(|| RefCell::new(Vec::new())) }
    }

    fn tree<R: Record>(&self) -> &TransactionalTree {
        &self.views[FIRST_RECORD_TREE + R::TREE]
    }

    /// Every write into tree `t` goes through here or `unset`.
    fn set(&self, t: usize, key: &[u8], value: Vec<u8>) -> TxResult<()> {
        self.views[t].insert(key, value.as_slice())?;
        if let (Some(log), false) = (&self.log, t == INDEX) {
            log.borrow_mut().push((t, key.to_vec(), Some(value)));
        }
        Ok(())
    }

    fn unset(&self, t: usize, key: &[u8]) -> TxResult<()> {
        self.views[t].remove(key)?;
        if let (Some(log), false) = (&self.log, t == INDEX) {
            log.borrow_mut().push((t, key.to_vec(), None));
        }
        Ok(())
    }

    /// The writes made, the last one per key, in the order keys were first
    /// written (the whole set is applied at once, so that is all it takes).
    pub(super) fn take_ops(&self) -> Vec<super::journal::Op> {
        let Some(log) = &self.log else { return Vec::new() };
        let log = std::mem::take(&mut *log.borrow_mut());
        let mut at: HashMap<(usize, Vec<u8>), usize> = HashMap::with_capacity(log.len());
        let mut out: Vec<super::journal::Op> = Vec::with_capacity(log.len());
        for (t, key, value) in log {
            match at.get(&(t, key.clone())) {
                Some(&i) => out[i].value = value,
                None => {
                    at.insert((t, key.clone()), out.len());
                    out.push(super::journal::Op { tree: super::TREE_NAMES[t].to_string(), key, value });
                }
            }
        }
        out
    }

    /// The next number of a named sequence; numbers are never reused, and two
    /// racing transactions cannot both take the same one (sled retries one).
    pub fn next_seq(&self, name: &str) -> TxResult<u64> {
        let key = format!("seq/{name}");
        let meta = &self.views[META];
        let current = match meta.get(key.as_bytes())? {
            Some(b) if b.len() == 8 => u64::from_be_bytes(b.as_ref().try_into().unwrap_or([0; 8])),
            Some(_) => return abort(StoreError::corrupt("counter", 0, name)),
            None => 0,
        };
        let next = current + 1;
        self.set(META, key.as_bytes(), next.to_be_bytes().to_vec())?;
        Ok(next)
    }

    /// Raise a named sequence to at least `at_least` (numbers an import
    /// keeps are never given again); returns its value before.
    pub fn raise_seq(&self, name: &str, at_least: u64) -> TxResult<u64> {
        let key = format!("seq/{name}");
        let meta = &self.views[META];
        let current = match meta.get(key.as_bytes())? {
            Some(b) if b.len() == 8 => u64::from_be_bytes(b.as_ref().try_into().unwrap_or([0; 8])),
            Some(_) => return abort(StoreError::corrupt("counter", 0, name)),
            None => 0,
        };
        if at_least > current {
            self.set(META, key.as_bytes(), at_least.to_be_bytes().to_vec())?;
        }
        Ok(current)
    }

    /// Store a new client under the next number (`KH-0001`…).
    pub fn insert_client(&self, who: &str, now: DateTime<Utc>, draft: crate::domain::ClientDraft) -> TxResult<crate::domain::Client> {
        let seq = self.next_seq("client_number")?;
        let c = crate::domain::Client {
            id: 0,
            number: crate::domain::client_number(seq),
            draft,
            reviews: vec![],
            last_visit: None,
            meta: Meta::new(who, now),
        };
        self.insert(who, now, c)
    }

    /// Store a new person under the next number (`RY-0001`…).
    pub fn insert_staff(&self, who: &str, now: DateTime<Utc>, draft: crate::domain::StaffDraft) -> TxResult<crate::domain::Staff> {
        let seq = self.next_seq("staff_number")?;
        let s = crate::domain::Staff { id: 0, number: crate::domain::staff_number(seq), draft, meta: Meta::new(who, now) };
        self.insert(who, now, s)
    }

    /// Store a new post under the next number (`GW-001`…).
    pub fn insert_post(&self, who: &str, now: DateTime<Utc>, draft: crate::domain::PostDraft) -> TxResult<crate::domain::Post> {
        let seq = self.next_seq("post_number")?;
        let p = crate::domain::Post {
            id: 0,
            number: crate::domain::post_number(seq),
            draft,
            closed: None,
            retired: vec![],
            meta: Meta::new(who, now),
        };
        self.insert(who, now, p)
    }

    /// Store a visit and move the client's last visit forward if it is newer.
    pub fn insert_visit(
        &self,
        who: &str,
        now: DateTime<Utc>,
        client_id: u64,
        draft: crate::domain::VisitDraft,
        complaint_id: Option<u64>,
    ) -> TxResult<(crate::domain::Visit, crate::domain::Client)> {
        let Some(mut client) = self.get::<crate::domain::Client>(client_id)? else {
            return abort(StoreError::NotFound { kind: "client", id: client_id });
        };
        let date = draft.date;
        let v = self.insert(who, now, crate::domain::Visit { id: 0, client_id, draft, complaint_id, meta: Meta::new(who, now) })?;
        if client.last_visit.is_none_or(|d| d < date) {
            client.last_visit = Some(date);
            client = self.update(who, now, client)?;
        }
        Ok((v, client))
    }

    pub fn get<R: Record>(&self, id: u64) -> TxResult<Option<R>> {
        match self.tree::<R>().get(id.to_be_bytes())? {
            Some(bytes) => records::decode::<R>(id, &bytes).map(Some).or_else(abort),
            None => Ok(None),
        }
    }

    /// Store a new record: assigns its id, stamps its meta, writes its index
    /// keys and a Create audit entry.
    pub fn insert<R: Record>(&self, who: &str, now: DateTime<Utc>, mut rec: R) -> TxResult<R> {
        let id = self.next_seq(R::KIND)?;
        rec.set_id(id);
        *rec.meta_mut() = Meta { version: 1, ..Meta::new(who, now) };
        self.put(&rec)?;
        for k in rec.index_keys() {
            let v = rec.index_value(&k);
            self.set(INDEX, &k, v)?;
        }
        self.add_count::<R>(1)?;
        self.audit::<R>(who, now, &rec, AuditAction::Create, diff(None, Some(&rec)))?;
        Ok(rec)
    }

    /// Replace a record, refusing if someone saved it since `rec` was read
    /// (its `meta.version` is the version the caller started from).
    pub fn update<R: Record>(&self, who: &str, now: DateTime<Utc>, mut rec: R) -> TxResult<R> {
        let id = rec.id();
        let Some(stored) = self.get::<R>(id)? else {
            return abort(StoreError::NotFound { kind: R::KIND, id });
        };
        let m = stored.meta();
        if m.version != rec.meta().version {
            return abort(StoreError::Conflict { kind: R::KIND, id, label: stored.label(), by: m.updated_by.clone(), at: m.updated_at });
        }
        let changes = diff(Some(&stored), Some(&rec));
        if changes.is_empty() {
            return Ok(stored);
        }
        {
            let meta = rec.meta_mut();
            meta.created_at = m.created_at;
            meta.created_by = m.created_by.clone();
            meta.version = m.version + 1;
            meta.updated_at = now;
            meta.updated_by = who.to_string();
        }
        let old: HashSet<Vec<u8>> = stored.index_keys().into_iter().collect();
        let new: HashSet<Vec<u8>> = rec.index_keys().into_iter().collect();
        for k in old.difference(&new) {
            self.unset(INDEX, k)?;
        }
        for k in &new {
            let v = rec.index_value(k);
            // A key that stays is written again only when what it carries changed.
            if !old.contains(k) || v != stored.index_value(k) {
                self.set(INDEX, k, v)?;
            }
        }
        self.put(&rec)?;
        self.audit::<R>(who, now, &rec, AuditAction::Update, changes)?;
        Ok(rec)
    }

    pub fn delete<R: Record>(&self, who: &str, now: DateTime<Utc>, id: u64, version: u64) -> TxResult<R> {
        let Some(stored) = self.get::<R>(id)? else {
            return abort(StoreError::NotFound { kind: R::KIND, id });
        };
        let m = stored.meta();
        if m.version != version {
            return abort(StoreError::Conflict { kind: R::KIND, id, label: stored.label(), by: m.updated_by.clone(), at: m.updated_at });
        }
        for k in stored.index_keys() {
            self.unset(INDEX, &k)?;
        }
        self.unset(FIRST_RECORD_TREE + R::TREE, &id.to_be_bytes())?;
        self.add_count::<R>(-1)?;
        self.audit::<R>(who, now, &stored, AuditAction::Delete, diff(Some(&stored), None))?;
        Ok(stored)
    }

    /// Record counts are kept with the records, so counting is not a scan.
    fn add_count<R: Record>(&self, delta: i64) -> TxResult<()> {
        let key = super::count_key(R::KIND);
        let meta = &self.views[META];
        let n = meta.get(&key)?.and_then(|b| b.as_ref().try_into().ok()).map(u64::from_be_bytes).unwrap_or(0);
        self.set(META, &key, n.saturating_add_signed(delta).to_be_bytes().to_vec())?;
        Ok(())
    }

    fn put<R: Record>(&self, rec: &R) -> TxResult<()> {
        self.set(FIRST_RECORD_TREE + R::TREE, &rec.id().to_be_bytes(), codec::encode(R::SCHEMA, rec))?;
        Ok(())
    }

    fn audit<R: Record>(
        &self,
        who: &str,
        at: DateTime<Utc>,
        rec: &R,
        action: AuditAction,
        changes: Vec<crate::domain::FieldChange>,
    ) -> TxResult<()> {
        let seq = self.next_seq("audit")?;
        let entry =
            AuditEntry { at, who: who.to_string(), kind: R::KIND.to_string(), record_id: rec.id(), label: rec.label(), action, changes };
        self.set(AUDIT, &seq.to_be_bytes(), codec::encode(AUDIT_SCHEMA, &entry))?;
        if let Some(key) = audit_by_record_key(R::KIND, rec.id(), seq) {
            self.set(INDEX, &key, Vec::new())?;
        }
        Ok(())
    }
}
