//! sled persistence. The only module that names sled.
//!
//! One tree per record kind (values are versioned envelopes, see `codec`),
//! one tree of secondary index keys, one audit tree and one tree of counters.
//! Every write is one sled transaction over all of them, so a record, its
//! index keys and its audit entry are stored together or not at all; after
//! the commit the data file is synced before the caller hears "saved".

pub mod codec;
mod error;
pub mod journal;
mod open;
mod records;
mod replay;
mod snapshot;
pub mod tx;
mod unfinished_snapshots;

pub use error::StoreError;
pub use journal::JournalMark;
pub use open::catch_quietly;
pub use records::{
    accident_by_vehicle_prefix, inspection_at_key, inspections_on_prefix, room_by_occupant_prefix, trip_by_vehicle_date_prefix,
    trip_by_vehicle_prefix, vcheck_at_key, vehicle_plate_key,
};
pub use records::{audit_by_record_key, key_id, with_kind, KeyValue, KindVisitor, Record, ShiftGuards, AUDIT_SCHEMA, KIND_NAMES};
pub use records::{postday_at_key, postday_at_prefix, postday_by_date_prefix};
pub use replay::Health;
pub use snapshot::{Snapshot, TREE_NAMES};
pub use tx::Tx;

use crate::domain::{AuditEntry, Client, Visit};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::cell::RefCell;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Mutex, RwLock};

const META: usize = 0;
const AUDIT: usize = 1;
const INDEX: usize = 2;
/// Record trees follow the bookkeeping trees, in `KIND_NAMES` order.
const FIRST_RECORD_TREE: usize = 3;

/// The index layout this version writes, kept in the meta tree. 2: no
/// entry per person and rostered day; visits with an open promise listed.
/// 3: audit trails indexed only for `records::TRAILED_KINDS`. An older
/// guardroom does not know a newer layout: going back means restoring a
/// backup with it (a restore makes the index afresh).
const INDEX_LAYOUT: u64 = 3;
pub const INDEX_LAYOUT_KEY: &[u8] = b"index_layout";
/// Meta keys that tie a database to its journal: the journal's id and the
/// number of the last change committed (written in that change's transaction).
const JOURNAL_ID: &[u8] = b"journal/id";
const JOURNAL_CHANGE: &[u8] = b"journal/change";

/// A write that failed below the service is worth a line in the log.
fn logged(e: StoreError) -> StoreError {
    tracing::error!(error = %e, "a write failed");
    e
}

fn count_key(kind: &str) -> Vec<u8> {
    format!("count/{kind}").into_bytes()
}

pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// sled's `flush` issues `sync_file_range`, which does not survive a
    /// power loss; this handle on its data file is `sync_data`ed after it.
    data_file: Mutex<Option<File>>,
    /// Transactions committed, and how many of them a sync has covered:
    /// a save waiting behind another's sync is usually covered by it, so
    /// many operators' saves share one flush (group commit).
    committed: AtomicU64,
    synced: Mutex<u64>,
    /// Writes share it; a snapshot (backup, dump) takes it alone, so it
    /// reads every tree at one point between whole transactions.
    writes: RwLock<()>,
    /// Every committed change is appended here too (see `journal`); `None`
    /// for a database opened bare (tests, databases being built).
    journal: Option<journal::Journal>,
}

impl Store {
    /// Open the database at `path` alone, without its journal: for tests
    /// and for databases being built. `open_journaled` is for real use.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        open::open_bare(path)
    }

    /// Open the database at `path` with its journal beside it (`<path>.journal`).
    /// A database sled cannot open, or that has lost changes its journal
    /// holds, is `StoreError::Damaged`; a few changes lost to a crash
    /// between commit and flush are applied again from the journal.
    pub fn open_journaled(path: &Path) -> Result<Store, StoreError> {
        open::open_journaled(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bring the index of a database made by an earlier version to this
    /// version's layout (an open with the journal does it by itself).
    pub fn bring_index_up_to_date(&self) -> Result<(), StoreError> {
        open::bring_index_up_to_date(self)
    }

    /// Run `f` as one transaction over every tree, then make it durable:
    /// sled's files and the journal are on disk before this returns.
    /// sled may run `f` more than once when transactions collide.
    pub fn write<T>(&self, f: impl Fn(&mut Tx) -> Result<T, ConflictableTransactionError<StoreError>>) -> Result<T, StoreError> {
        // The lock guards no data (poisoning means nothing here).
        let _shared = self.writes.read().unwrap_or_else(|e| e.into_inner());
        // Journaled: one transaction at a time between numbering and
        // appending, so changes are journaled in the order they committed.
        let mut order = self.journal.as_ref().map(|j| j.lock());
        let number = order.as_ref().map(|o| o.next());
        let ops = RefCell::new(Vec::new());
        let result = self.trees.as_slice().transaction(|views| {
            let mut tx = Tx::new(views, number.is_some());
            let value = f(&mut tx)?;
            let made = tx.take_ops();
            if let (Some(n), false) = (number, made.is_empty()) {
                views[META].insert(JOURNAL_CHANGE, &n.to_be_bytes())?;
            }
            *ops.borrow_mut() = made;
            Ok(value)
        });
        let value = match result {
            Ok(v) => v,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(logged(e.into())),
        };
        // Committed: a failure now must not read as "not saved", or a retry
        // would store the change twice. A full disk is the exception: sled
        // could not write its log and refuses every later write, so the
        // change is in memory only and gone when the database is reopened.
        let ops = ops.into_inner();
        let appended = match (&mut order, &self.journal, number) {
            (Some(o), Some(j), Some(n)) if !ops.is_empty() => Some(o.append(j.dir(), j.id(), n, &ops).map(|_| n)),
            _ => None,
        };
        drop(order);
        let ticket = self.committed.fetch_add(1, AtomicOrdering::SeqCst) + 1;
        self.sync_through(ticket).map_err(|e| match e {
            StoreError::DiskFull(d) => logged(StoreError::DiskFull(d)),
            other => logged(StoreError::NotDurable(other.to_string())),
        })?;
        if let (Some(appended), Some(j)) = (appended, &self.journal) {
            let journal = |e: std::io::Error| {
                if error::is_disk_full(&e) {
                    logged(StoreError::DiskFull(e.to_string()))
                } else {
                    logged(StoreError::NotDurable(format!("journal: {e}")))
                }
            };
            let n = appended.map_err(journal)?;
            j.sync_through(n).map_err(journal)?;
        }
        Ok(value)
    }

    /// Make the `ticket`th committed transaction durable, unless a sync
    /// that began after it committed has already.
    fn sync_through(&self, ticket: u64) -> Result<(), StoreError> {
        let mut synced = self.synced.lock().unwrap_or_else(|e| e.into_inner());
        if *synced >= ticket {
            return Ok(());
        }
        // Everything committed by now is in what this flush writes.
        let through = self.committed.load(AtomicOrdering::SeqCst);
        self.sync()?;
        *synced = through;
        Ok(())
    }

    /// Flush sled's log and fsync its data file.
    pub fn sync(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        let guard = self.data_file.lock().map_err(|_| StoreError::Poisoned)?;
        if let Some(f) = guard.as_ref() {
            f.sync_data()?;
        }
        Ok(())
    }

    fn tree<R: Record>(&self) -> &sled::Tree {
        &self.trees[FIRST_RECORD_TREE + R::TREE]
    }

    pub fn get<R: Record>(&self, id: u64) -> Result<Option<R>, StoreError> {
        match self.tree::<R>().get(id.to_be_bytes())? {
            Some(bytes) => Ok(Some(records::decode::<R>(id, &bytes)?)),
            None => Ok(None),
        }
    }

    /// Number of records of a kind (kept by every insert and delete).
    pub fn count<R: Record>(&self) -> usize {
        match self.trees[META].get(count_key(R::KIND)) {
            Ok(Some(b)) => b.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0) as usize,
            _ => 0,
        }
    }

    /// The last number a named sequence gave (0 before the first).
    pub fn seq(&self, name: &str) -> Result<u64, StoreError> {
        match self.trees[META].get(format!("seq/{name}"))? {
            Some(b) => b.as_ref().try_into().map(u64::from_be_bytes).map_err(|_| StoreError::corrupt("counter", 0, name)),
            None => Ok(0),
        }
    }

    /// Records in id order, stopping after `limit` (for the first screen).
    pub fn first<R: Record>(&self, limit: usize) -> Result<Vec<R>, StoreError> {
        self.scan_inner::<R>(Some(limit))
    }

    /// Every record of a kind, in id order.
    pub fn all<R: Record>(&self) -> Result<Vec<R>, StoreError> {
        self.scan_inner::<R>(None)
    }

    /// Every record of a kind, in id order, handed over one at a time: a
    /// list made of 100,000 records never holds them all decoded at once.
    pub fn each<R: Record>(&self, mut f: impl FnMut(R)) -> Result<(), StoreError> {
        for item in self.tree::<R>().iter() {
            let (k, v) = item?;
            f(records::decode::<R>(records::key_id(&k), &v)?);
        }
        Ok(())
    }

    fn scan_inner<R: Record>(&self, limit: Option<usize>) -> Result<Vec<R>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree::<R>().iter() {
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            let (k, v) = item?;
            out.push(records::decode::<R>(records::key_id(&k), &v)?);
        }
        Ok(out)
    }

    /// Ids listed under an index prefix (see `records` for the key layout).
    pub fn index_ids(&self, prefix: &[u8]) -> Result<Vec<u64>, StoreError> {
        let mut ids = Vec::new();
        for item in self.trees[INDEX].scan_prefix(prefix) {
            let (k, _) = item?;
            ids.push(records::key_id(&k));
        }
        Ok(ids)
    }

    /// Records listed under an index prefix, in key order.
    pub fn by_index<R: Record>(&self, prefix: &[u8]) -> Result<Vec<R>, StoreError> {
        let mut out = Vec::new();
        for id in self.index_ids(prefix)? {
            if let Some(r) = self.get::<R>(id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Ids under index keys from `from` (inclusive) to `to` (exclusive).
    pub fn index_ids_between(&self, from: &[u8], to: &[u8]) -> Result<Vec<u64>, StoreError> {
        let mut ids = Vec::new();
        for item in self.trees[INDEX].range(from..to) {
            let (k, _) = item?;
            ids.push(records::key_id(&k));
        }
        Ok(ids)
    }

    /// Visits dated `from` to `to` (both included): the dates are read from
    /// the visit index's keys, so only those visits are decoded.
    pub fn visits_between(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<Visit>, StoreError> {
        let prefix = b"visit/client\0";
        let (a, b) = (from.format("%Y%m%d").to_string(), to.format("%Y%m%d").to_string());
        let mut out = Vec::new();
        for item in self.trees[INDEX].scan_prefix(prefix) {
            let (k, _) = item?;
            // prefix, client id (8 bytes), YYYYMMDD, visit id (8 bytes)
            let Some(date) = k.get(prefix.len() + 8..prefix.len() + 16) else { continue };
            if date >= a.as_bytes() && date <= b.as_bytes() {
                if let Some(v) = self.get::<Visit>(records::key_id(&k))? {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    /// Room checks from `from` up to `to` (not included), from the night
    /// index alone: (room id, score).
    pub fn scores_between(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<(u64, u8)>, StoreError> {
        let (a, b) = (records::inspections_on_prefix(from), records::inspections_on_prefix(to));
        let mut out = Vec::new();
        for item in self.trees[INDEX].range(a..b) {
            let (k, v) = item?;
            if k.len() >= 16 {
                out.push((records::key_id(&k[..k.len() - 8]), v.first().copied().unwrap_or(0)));
            }
        }
        Ok(out)
    }

    /// The post-day of a post on a date, when anything was recorded for it.
    pub fn postday_at(&self, post_id: u64, date: chrono::NaiveDate) -> Result<Option<crate::domain::PostDay>, StoreError> {
        match self.index_ids(&records::postday_at_key(post_id, date))?.first() {
            Some(&id) => self.get(id),
            None => Ok(None),
        }
    }

    /// Who stands which shift at every post on a date, from the date index
    /// alone: (post id, shifts with their guards).
    pub fn shift_guards_on(&self, date: chrono::NaiveDate) -> Result<Vec<(u64, records::ShiftGuards)>, StoreError> {
        let mut out = Vec::new();
        self.each_day_guards(date, |post_id, _, shifts| out.push((post_id, shifts)))?;
        Ok(out)
    }

    /// (post id, post-day id, who stands which shift) for every post-day of
    /// a date, read from the date index's values.
    pub fn each_day_guards(&self, date: chrono::NaiveDate, mut f: impl FnMut(u64, u64, records::ShiftGuards)) -> Result<(), StoreError> {
        for item in self.trees[INDEX].scan_prefix(records::postday_by_date_prefix(date)) {
            let (k, v) = item?;
            if k.len() < 16 {
                continue;
            }
            f(records::key_id(&k[..k.len() - 8]), records::key_id(&k), records::decode_shift_guards(&v)?);
        }
        Ok(())
    }

    /// Every post-day of a date.
    pub fn postdays_on(&self, date: chrono::NaiveDate) -> Result<Vec<crate::domain::PostDay>, StoreError> {
        self.by_index(&records::postday_by_date_prefix(date))
    }

    /// Ids of the post-days of `date` where a person is rostered.
    pub fn postday_ids_of_staff_on(&self, staff_id: u64, date: chrono::NaiveDate) -> Result<Vec<u64>, StoreError> {
        let mut ids = Vec::new();
        self.each_day_guards(date, |_, id, shifts| {
            if shifts.iter().any(|(_, guards)| guards.contains(&staff_id)) {
                ids.push(id);
            }
        })?;
        Ok(ids)
    }

    /// Post-days from `from` to `to` (inclusive) where a person is rostered.
    /// Found through the date index's values (600 posts a day are read in
    /// well under a millisecond) rather than an index entry per person and
    /// day: a year of rosters made a million of those, and sled keeps
    /// memory for every page of keys from the moment it opens.
    pub fn postdays_of_staff(
        &self,
        staff_id: u64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<crate::domain::PostDay>, StoreError> {
        let mut out = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            for id in self.postday_ids_of_staff_on(staff_id, date)? {
                if let Some(r) = self.get(id)? {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// Visits with a promise not yet kept.
    pub fn visits_with_open_promises(&self) -> Result<Vec<Visit>, StoreError> {
        self.by_index(records::VISITS_WITH_OPEN_PROMISES)
    }

    pub fn posts_of(&self, client_id: u64) -> Result<Vec<crate::domain::Post>, StoreError> {
        self.by_index(&records::post_by_client_prefix(client_id))
    }

    /// A client's visits, newest first.
    pub fn visits_of(&self, client_id: u64) -> Result<Vec<Visit>, StoreError> {
        let mut out = Vec::new();
        for id in self.index_ids(&records::visit_by_client_prefix(client_id))?.into_iter().rev() {
            if let Some(v) = self.get::<Visit>(id)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// A client's complaints, newest first.
    pub fn complaints_of(&self, client_id: u64) -> Result<Vec<crate::domain::Complaint>, StoreError> {
        let mut out = Vec::new();
        for id in self.index_ids(&records::complaint_by_client_prefix(client_id))?.into_iter().rev() {
            if let Some(c) = self.get::<crate::domain::Complaint>(id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub fn operator_by_account(&self, account: &str) -> Result<Option<crate::domain::Operator>, StoreError> {
        match self.index_ids(&records::operator_account_key(account))?.first() {
            Some(&id) => self.get::<crate::domain::Operator>(id),
            None => Ok(None),
        }
    }

    pub fn client_by_number(&self, number: &str) -> Result<Option<Client>, StoreError> {
        match self.index_ids(&records::client_number_key(number))?.first() {
            Some(&id) => self.get::<Client>(id),
            None => Ok(None),
        }
    }

    /// The audit trail of one record, oldest first. A kind in
    /// `TRAILED_KINDS` reads it through its index; any other kind reads the
    /// whole audit log (for checks and tests, not for a screen).
    pub fn audit_of<R: Record>(&self, id: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        if !records::TRAILED_KINDS.contains(&R::KIND) {
            self.audit_newest(|e| {
                if e.kind == R::KIND && e.record_id == id {
                    out.push(e);
                }
                true
            })?;
            out.reverse();
            return Ok(out);
        }
        for seq in self.index_ids(&records::audit_by_record_prefix(R::KIND, id))? {
            if let Some(bytes) = self.trees[AUDIT].get(seq.to_be_bytes())? {
                out.push(codec::decode::<AuditEntry>(records::AUDIT_SCHEMA, &bytes).map_err(|e| StoreError::corrupt("audit", seq, e))?);
            }
        }
        Ok(out)
    }

    /// Audit entries newest first, as many as `keep` accepts, calling it
    /// until it says stop.
    pub fn audit_newest(&self, mut keep: impl FnMut(AuditEntry) -> bool) -> Result<(), StoreError> {
        for item in self.trees[AUDIT].iter().rev() {
            let (k, v) = item?;
            let seq = records::key_id(&k);
            let entry = codec::decode::<AuditEntry>(records::AUDIT_SCHEMA, &v).map_err(|e| StoreError::corrupt("audit", seq, e))?;
            if !keep(entry) {
                break;
            }
        }
        Ok(())
    }

    /// Up to `limit` audit entries, newest first, after skipping the `skip`
    /// newest, and how many there are. Entries are numbered from 1 without
    /// gaps (the number is taken in the transaction that writes the entry)
    /// and never removed, so a page deep in a long trail is found by its
    /// number rather than by walking to it.
    pub fn audit_page(&self, skip: usize, limit: usize) -> Result<(Vec<AuditEntry>, usize), StoreError> {
        let Some((last, _)) = self.trees[AUDIT].last()? else { return Ok((Vec::new(), 0)) };
        let newest = records::key_id(&last);
        let mut out = Vec::new();
        if let Some(top) = newest.checked_sub(skip as u64).filter(|t| *t > 0) {
            for item in self.trees[AUDIT].range(..=top.to_be_bytes()).rev().take(limit) {
                let (k, v) = item?;
                let seq = records::key_id(&k);
                out.push(codec::decode::<AuditEntry>(records::AUDIT_SCHEMA, &v).map_err(|e| StoreError::corrupt("audit", seq, e))?);
            }
        }
        Ok((out, newest as usize))
    }

    pub fn audit_count(&self) -> usize {
        self.trees[AUDIT].len()
    }

    /// Every index key, for consistency checks.
    pub fn index_keys(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        self.trees[INDEX].iter().keys().map(|k| Ok(k?.to_vec())).collect()
    }

    /// Write raw bytes under a record key: for tests of corrupt data only.
    #[doc(hidden)]
    pub fn put_raw<R: Record>(&self, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
        self.tree::<R>().insert(id.to_be_bytes(), bytes)?;
        Ok(())
    }
}

/// The journal, for backups and the commands that keep it.
impl Store {
    /// The open journal's id, last change and whether it needs a backup as
    /// its base (none for a database opened without its journal).
    pub fn journal_state(&self) -> Option<(u64, u64, bool)> {
        self.journal.as_ref().map(|j| {
            let (last, needs_base) = j.state();
            (j.id(), last, needs_base)
        })
    }

    /// A backup holding every change up to `mark` is safely written.
    pub fn journal_based(&self, mark: JournalMark) {
        if let Some(j) = &self.journal {
            j.based(mark);
        }
    }

    /// Remove journal segments holding only changes up to `through`.
    pub fn prune_journal(&self, through: u64) -> Result<usize, StoreError> {
        match &self.journal {
            Some(j) => j.prune_through(through).map_err(|e| StoreError::Storage(e.to_string())),
            None => Ok(0),
        }
    }
}
