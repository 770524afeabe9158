//! Opening a database: sled's own open (whose errors and panics on damaged
//! files become `StoreError::Damaged`), then its journal.

use super::journal::{self, Journal};
use super::{Record, Store, StoreError, INDEX_LAYOUT, INDEX_LAYOUT_KEY, JOURNAL_CHANGE, JOURNAL_ID, KIND_NAMES, META};
use std::fs::File;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, RwLock};

/// The default cache is 1 GiB; operators share one server, so stay small.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// At most this many changes the journal holds and the database lacks are
/// applied again at open: what a crash between commit and flush can lose.
/// More is damage, and `guardroom recover` is the way back.
const CATCH_UP: u64 = 64;

fn classify(path: &Path, e: sled::Error) -> StoreError {
    let text = e.to_string();
    match &e {
        _ if text.contains("could not acquire lock") => StoreError::InUse(path.to_path_buf()),
        sled::Error::Io(io) if super::error::is_disk_full(io) => StoreError::DiskFull(text),
        sled::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::NotFound | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            StoreError::Open { path: path.to_path_buf(), detail: text }
        }
        _ => StoreError::Damaged { path: path.to_path_buf(), detail: text },
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, turning a panic into `Err` with its message. The panic's report
/// goes to the log instead of the screen (on this thread only; the hook
/// other threads see is left as it was).
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) {
                tracing::error!(%info, "sled panicked on the database");
            } else {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "sled stopped reading it".into())
    })
}

/// sled panics on some damaged files: the panic becomes `Damaged`.
fn without_panics<T>(path: &Path, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    catch_quietly(f).unwrap_or_else(|detail| Err(StoreError::Damaged { path: path.to_path_buf(), detail }))
}

pub(super) fn open_bare(path: &Path) -> Result<Store, StoreError> {
    let open = || {
        super::unfinished_snapshots::remove_unfinished(path);
        without_panics(path, || sled::Config::new().path(path).cache_capacity(CACHE_BYTES).open().map_err(|e| classify(path, e)))
    };
    // sled lets go of its file lock when its background threads finish,
    // a moment after the previous handle in this process was dropped:
    // wait briefly before calling the database busy.
    let mut tries = 0;
    let db = loop {
        match open() {
            Err(StoreError::InUse(_)) if tries < 25 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(40));
            }
            other => break other?,
        }
    };
    let trees = without_panics(path, || {
        let mut trees = Vec::new();
        for name in ["meta", "audit", "index"].iter().chain(KIND_NAMES.iter()) {
            trees.push(db.open_tree(name).map_err(|e| classify(path, e))?);
        }
        Ok(trees)
    })?;
    let data_file = File::open(path.join("db")).ok();
    Ok(Store {
        db,
        trees,
        path: path.to_path_buf(),
        data_file: Mutex::new(data_file),
        committed: AtomicU64::new(0),
        synced: Mutex::new(0),
        writes: RwLock::new(()),
        journal: None,
    })
}

pub(super) fn open_journaled(path: &Path) -> Result<Store, StoreError> {
    let mut store = open_bare(path)?;
    let dir = journal::dir_of(path);
    let damaged = |detail: String| StoreError::Damaged { path: path.to_path_buf(), detail };
    let db_id = store.meta_u64(JOURNAL_ID);
    let db_change = store.counter(JOURNAL_CHANGE);
    let scan = match journal::scan(&dir) {
        Ok(s) => s,
        Err(e @ journal::JournalError::Damaged { .. }) => {
            // The database may well be sound: keep the damaged journal for
            // a look, start a new one and take a backup as its base.
            tracing::error!(error = %e, "the journal is damaged; a new one is started");
            journal::move_aside(&dir)?;
            None
        }
        Err(e) => return Err(StoreError::Storage(e.to_string())),
    };
    let journal = match scan {
        None => new_journal(&store, &dir, db_change)?,
        Some(scan) if Some(scan.id) != db_id => {
            let held = scan.last + 1 - scan.first;
            if held > 0 && db_id.is_none() && store.is_empty() {
                return Err(damaged(format!("it holds nothing, but its journal has {held} changes")));
            }
            // A journal of another database (this one was restored or
            // replaced): kept aside, never applied.
            tracing::warn!(journal = %dir.display(), "the journal belongs to another database; a new one is started");
            journal::move_aside(&dir)?;
            new_journal(&store, &dir, db_change)?
        }
        Some(scan) => {
            if db_change < scan.last {
                let missing = scan.last - db_change;
                if missing > CATCH_UP || scan.first > db_change + 1 {
                    return Err(damaged(format!("it has lost {missing} saved changes that its journal holds")));
                }
                let applied = journal::for_each_after(&scan, db_change, |c| {
                    store.apply_change(&c).map_err(|e| journal::JournalError::Io { path: dir.display().to_string(), detail: e.to_string() })
                })
                .map_err(|e| damaged(e.to_string()))?;
                store.sync()?;
                tracing::warn!(applied, "changes the database lost in a crash were applied again from the journal");
            }
            Journal::resume(&dir, &scan, db_change.max(scan.last)).map_err(|e| StoreError::Storage(e.to_string()))?
        }
    };
    store.journal = Some(journal);
    bring_index_up_to_date(&store)?;
    Ok(store)
}

/// Bring the index of a database made by an earlier version up to this
/// version's layout. It is derived data: redoing a step is harmless, so a
/// stop midway only means the next open does it again.
pub(super) fn bring_index_up_to_date(store: &Store) -> Result<(), StoreError> {
    let layout = store.meta_u64(INDEX_LAYOUT_KEY).unwrap_or(1);
    if layout >= INDEX_LAYOUT {
        return Ok(());
    }
    let t = std::time::Instant::now();
    drop_retired_index(&store.trees[super::INDEX])?;
    // Layout 2 added the index of visits with an open promise.
    let made = match layout {
        1 => store.index_trees(std::iter::once(super::FIRST_RECORD_TREE + <crate::domain::Visit as Record>::TREE))?,
        _ => 0,
    };
    tracing::info!(from = layout, made, ms = t.elapsed().as_millis() as u64, "index brought up to layout {INDEX_LAYOUT}");
    store.trees[META].insert(INDEX_LAYOUT_KEY, &INDEX_LAYOUT.to_be_bytes())?;
    store.sync()
}

/// Remove the index entries of a layout no longer kept (see
/// `records::retired_index_prefixes`), in batches: they are derived, so a
/// stop midway leaves the rest for the next open and loses nothing.
fn drop_retired_index(index: &sled::Tree) -> Result<usize, StoreError> {
    let mut removed = 0;
    for prefix in super::records::retired_index_prefixes() {
        loop {
            let keys = index.scan_prefix(&prefix).keys().take(10_000).collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                break;
            }
            let mut batch = sled::Batch::default();
            for k in &keys {
                batch.remove(k);
            }
            index.apply_batch(batch)?;
            removed += keys.len();
        }
    }
    if removed > 0 {
        tracing::info!(removed, "index entries of an older layout removed");
    }
    Ok(removed)
}

/// Start a journal for a database that has none. A database holding data
/// already needs a backup as the journal's base; its first change number
/// is then one past a number no journal holds, so that the journal is
/// never mistaken for the whole history.
fn new_journal(store: &Store, dir: &Path, db_change: u64) -> Result<Journal, StoreError> {
    let needs_base = !store.is_empty();
    let base = if needs_base { db_change + 1 } else { db_change };
    let id = fastrand::u64(1..);
    let j = Journal::create(dir, id, base + 1, needs_base).map_err(|e| StoreError::Storage(e.to_string()))?;
    store.trees[META].insert(JOURNAL_ID, &id.to_be_bytes())?;
    store.trees[META].insert(JOURNAL_CHANGE, &base.to_be_bytes())?;
    store.sync()?;
    tracing::info!(journal = %dir.display(), first = base + 1, needs_base, "journal started");
    Ok(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database whose index has `extra` entries and says it has `layout`.
    fn with_index_entries(path: &Path, extra: &[Vec<u8>], layout: Option<u64>) {
        let store = open_journaled(path).unwrap();
        let index = &store.trees[super::super::INDEX];
        for k in extra {
            index.insert(k, &[]).unwrap();
        }
        match layout {
            Some(l) => store.trees[META].insert(INDEX_LAYOUT_KEY, &l.to_be_bytes()).map(drop).unwrap(),
            None => store.trees[META].remove(INDEX_LAYOUT_KEY).map(drop).unwrap(),
        }
        store.sync().unwrap();
    }

    #[test]
    fn index_entries_of_a_retired_layout_are_removed_at_open_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let kept = b"postday/at\0keep".to_vec();
        let retired = (0u64..25_000).map(|n| [b"duty/staff\0".as_slice(), &n.to_be_bytes()].concat());
        // As a database made before the layout mark.
        with_index_entries(&path, &retired.chain([kept.clone()]).collect::<Vec<_>>(), None);
        let store = open_journaled(&path).unwrap();
        let index = &store.trees[super::super::INDEX];
        assert_eq!(index.scan_prefix(b"duty/staff\0").count(), 0);
        assert!(index.contains_key(&kept).unwrap());
        assert_eq!(store.meta_u64(INDEX_LAYOUT_KEY), Some(INDEX_LAYOUT));
    }

    #[test]
    fn only_trailed_kinds_keep_their_audit_trail_index_after_an_upgrade() {
        let trail = |kind: &str, id: u64| [super::super::records::audit_by_record_prefix(kind, id), 9u64.to_be_bytes().to_vec()].concat();
        let (complaint, client, postday) = (trail("complaint", 1), trail("client", 1), trail("postday", 7));
        // From the version before, and from the one before that.
        for layout in [Some(2), None] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("g.db");
            with_index_entries(&path, &[complaint.clone(), client.clone(), postday.clone()], layout);
            let store = open_journaled(&path).unwrap();
            let index = &store.trees[super::super::INDEX];
            assert!(index.contains_key(&complaint).unwrap(), "a complaint's timeline is read through its trail");
            assert!(!index.contains_key(&client).unwrap(), "from layout {layout:?}");
            assert!(!index.contains_key(&postday).unwrap(), "from layout {layout:?}");
        }
    }

    #[test]
    fn a_panic_becomes_its_message_and_what_returns_comes_back() {
        assert_eq!(catch_quietly(|| -> u8 { panic!("sled: bad page") }), Err("sled: bad page".to_string()));
        assert_eq!(catch_quietly(|| 7), Ok(7));
        let dir = tempfile::tempdir().unwrap();
        let e = without_panics(dir.path(), || -> Result<(), StoreError> { panic!("{}", "unexpected segment") }).unwrap_err();
        assert!(matches!(e, StoreError::Damaged { detail, .. } if detail == "unexpected segment"));
    }
}
