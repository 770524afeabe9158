//! Writing a backup of a live store: a snapshot streamed into a temporary
//! file beside the target, synced, then moved into place, so a backup file
//! under its final name is always whole.

use super::format::{Header, Writer};
use super::{known_schema, BackupError, Summary};
use crate::store::{Store, TREE_NAMES};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Write a backup of `store` to `path` (absolute). An existing file is
/// refused unless `overwrite`. Writes wait while it runs; reads go on.
pub fn write_backup(store: &Store, path: &Path, overwrite: bool) -> Result<Summary, BackupError> {
    if !path.is_absolute() {
        return Err(BackupError::NotAbsolute { path: path.display().to_string() });
    }
    if !overwrite && path.exists() {
        return Err(BackupError::FileExists { path: path.display().to_string() });
    }
    let tmp = temp_beside(path, "tmp");
    let result = write_to(store, path, &tmp, overwrite);
    if result.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    result
}

fn write_to(store: &Store, path: &Path, tmp: &Path, overwrite: bool) -> Result<Summary, BackupError> {
    let file = File::options().write(true).create_new(true).open(tmp).map_err(|e| BackupError::io(path, e))?;
    let (summary, file) = {
        let snapshot = store.snapshot();
        let records: Vec<(String, u64)> = snapshot.record_counts().into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        let header = Header {
            created_at: chrono::Utc::now(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            trees: TREE_NAMES.iter().map(|t| t.to_string()).collect(),
            schemas: TREE_NAMES.iter().filter_map(|t| known_schema(t).map(|s| (t.to_string(), s))).collect(),
            records: records.clone(),
        };
        let mut w = Writer::new(BufWriter::with_capacity(1 << 20, file), &header).map_err(|e| BackupError::io(path, e))?;
        snapshot.for_each(|tree, k, v| w.entry(tree, k, v).map_err(|e| BackupError::io(path, e)))?;
        let (out, counts, bytes) = w.finish().map_err(|e| BackupError::io(path, e))?;
        let audit = TREE_NAMES.iter().position(|t| *t == "audit").map(|i| counts[i]).unwrap_or(0);
        let file = out.into_inner().map_err(|e| BackupError::io(path, e.error()))?;
        let summary = Summary { path: path.display().to_string(), created_at: header.created_at, records, audit_entries: audit, bytes };
        (summary, file)
        // The snapshot ends here: writes go on while the file is synced.
    };
    file.sync_all().map_err(|e| BackupError::io(path, e))?;
    drop(file);
    if overwrite {
        std::fs::rename(tmp, path).map_err(|e| BackupError::io(path, e))?;
    } else {
        // A link fails when the name is taken, even by a file made since the
        // check above; rename would replace it.
        std::fs::hard_link(tmp, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::FileExists { path: path.display().to_string() },
            _ => BackupError::io(path, e),
        })?;
        std::fs::remove_file(tmp).ok();
    }
    sync_dir(path);
    tracing::info!(path = %path.display(), bytes = summary.bytes, "backup written");
    Ok(summary)
}

/// A name in the target's directory that nothing else uses.
pub fn temp_beside(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    path.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

/// Make a rename in the directory durable (best effort: some file systems
/// cannot sync a directory).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
            let _ = d.sync_all();
        }
    }
}
