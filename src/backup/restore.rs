//! Restoring a backup: the whole file is verified first (magic, version,
//! schemas, checksum, counts); then a new database is built from it aside
//! and moved into place, checked again as it is read.

use super::aside::{build_aside, check_target, Replace};
use super::format::Reader;
use super::{BackupError, Summary};
use crate::store::{KeyValue, KIND_NAMES, TREE_NAMES};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

fn open(file: &Path) -> Result<(Reader<BufReader<File>>, u64), BackupError> {
    let f = File::open(file).map_err(|e| BackupError::io(file, e))?;
    let bytes = f.metadata().map_err(|e| BackupError::io(file, e))?.len();
    Ok((Reader::open(BufReader::with_capacity(1 << 20, f), &file.display().to_string())?, bytes))
}

fn summary(reader: &Reader<BufReader<File>>, file: &Path, bytes: u64) -> Summary {
    let count = |name: &str| reader.counts().find(|(t, _)| *t == name).map(|(_, n)| n).unwrap_or(0);
    Summary {
        path: file.display().to_string(),
        created_at: reader.header.created_at,
        records: KIND_NAMES.iter().map(|k| (k.to_string(), count(k))).collect(),
        audit_entries: count("audit"),
        bytes,
        journal: reader.header.journal,
    }
}

/// Read the whole backup and check it; nothing is written.
pub fn verify(file: &Path) -> Result<Summary, BackupError> {
    let (mut reader, bytes) = open(file)?;
    while reader.next_entry()?.is_some() {}
    Ok(summary(&reader, file, bytes))
}

/// Replace (or create) the database at `target` with the backup in `file`.
/// An existing database is replaced only with `force`, and never while a
/// guardroom has it open.
pub fn restore(file: &Path, target: &Path, force: bool) -> Result<Summary, BackupError> {
    verify(file)?;
    check_target(target, if force { Replace::Database } else { Replace::Never })?;
    build_aside(target, |store| load_into(store, file))
}

/// Fill `store` (a database being built) from the backup in `file`,
/// checking it again as it is read. The index is always made from the
/// records and the audit log: a file of format 1 holds the index of the
/// version that wrote it, which may keep entries this version does not.
pub(crate) fn load_into(store: &crate::store::Store, file: &Path) -> Result<Summary, BackupError> {
    let (mut reader, bytes) = open(file)?;
    // Batches per tree keep memory flat on a large database.
    let mut batches: Vec<Vec<KeyValue>> = vec![Vec::new(); TREE_NAMES.len()];
    let mut pending = 0;
    while let Some((tree, k, v)) = reader.next_entry()? {
        let t = TREE_NAMES
            .iter()
            .position(|n| *n == tree)
            .ok_or_else(|| BackupError::UnknownKind { path: file.display().to_string(), kind: tree.to_string() })?;
        if tree == "index" {
            continue;
        }
        batches[t].push((k, v));
        pending += 1;
        if pending >= 20_000 {
            flush(store, &mut batches)?;
            pending = 0;
        }
    }
    flush(store, &mut batches)?;
    store.rebuild_index()?;
    Ok(summary(&reader, file, bytes))
}

fn flush(store: &crate::store::Store, batches: &mut [Vec<KeyValue>]) -> Result<(), BackupError> {
    for (t, batch) in batches.iter_mut().enumerate() {
        if !batch.is_empty() {
            store.load_raw(t, batch)?;
            batch.clear();
        }
    }
    Ok(())
}
