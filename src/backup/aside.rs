//! Building a database beside its final place and moving it in: a restore
//! or a load that fails at any point leaves the existing database (or the
//! absence of one) exactly as it was.

use super::write::{sync_dir, temp_beside};
use super::BackupError;
use crate::store::{Store, StoreError};
use std::path::Path;

/// What the target may already be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replace {
    /// Restore without --force: only a missing or empty directory.
    Never,
    /// Restore with --force: any guardroom database not open elsewhere.
    Database,
    /// Load: a missing directory or a database holding nothing.
    EmptyDatabase,
}

/// Refuse a target that is not a database, is open in another guardroom,
/// or holds data that `replace` does not allow to go.
pub(crate) fn check_target(target: &Path, replace: Replace) -> Result<(), BackupError> {
    let shown = || target.display().to_string();
    let meta = match std::fs::metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(BackupError::io(target, e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(BackupError::NotADatabase { path: shown() });
    }
    let mut entries = std::fs::read_dir(target).map_err(|e| BackupError::io(target, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    // sled keeps `conf` and `db` in every database directory; anything
    // else is someone's files, never to be replaced.
    if !target.join("conf").is_file() || !target.join("db").is_file() {
        return Err(BackupError::NotADatabase { path: shown() });
    }
    // Opening takes sled's lock: a server holding the database says no here.
    let store = Store::open(target).map_err(|e| match e {
        StoreError::InUse(_) => BackupError::InUse { path: shown() },
        other => BackupError::from(other),
    })?;
    match replace {
        Replace::Never => Err(BackupError::TargetExists { path: shown() }),
        Replace::Database => Ok(()),
        Replace::EmptyDatabase if store.is_empty() => Ok(()),
        Replace::EmptyDatabase => Err(BackupError::NotEmpty { path: shown() }),
    }
}

/// Build a new database with `build` in a sibling directory, sync it, then
/// put it at `target`: the old one is moved aside first and removed only
/// once the new one is in place.
pub(crate) fn build_aside<T>(target: &Path, build: impl FnOnce(&Store) -> Result<T, BackupError>) -> Result<T, BackupError> {
    let tmp = temp_beside(target, "building");
    let built = (|| {
        let store = Store::open(&tmp)?;
        let value = build(&store)?;
        // A restored or loaded database is not where its journal left off:
        // it starts a journal of its own when next opened.
        store.set_journal_mark(None)?;
        store.sync()?;
        Ok(value)
    })();
    let value = match built {
        Ok(v) => v,
        Err(e) => {
            std::fs::remove_dir_all(&tmp).ok();
            return Err(e);
        }
    };
    let old = target.exists().then(|| temp_beside(target, "replaced"));
    if let Some(old) = &old {
        if let Err(e) = std::fs::rename(target, old) {
            std::fs::remove_dir_all(&tmp).ok();
            return Err(BackupError::io(target, e));
        }
    }
    if let Err(e) = std::fs::rename(&tmp, target) {
        if let Some(old) = &old {
            std::fs::rename(old, target).ok();
        }
        std::fs::remove_dir_all(&tmp).ok();
        return Err(BackupError::io(target, e));
    }
    sync_dir(target);
    // The replaced database's journal goes with it.
    let journal = crate::store::journal::dir_of(target);
    if old.is_some() && journal.exists() {
        if let Err(e) = std::fs::remove_dir_all(&journal) {
            tracing::warn!(journal = %journal.display(), error = %e, "the replaced database's journal could not be removed");
        }
    }
    if let Some(old) = old {
        if let Err(e) = std::fs::remove_dir_all(&old) {
            tracing::warn!(old = %old.display(), error = %e, "the replaced database could not be removed");
        }
    }
    Ok(value)
}
