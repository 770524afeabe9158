//! Automatic backups: into a directory of their own (`[backups]` in the
//! config), named after the database and the time, the newest `keep` kept.
//! Each one starts a new journal segment; segments that no kept backup
//! needs are removed with the backups.

use super::format::Reader;
use super::{BackupError, Summary};
use crate::store::{JournalMark, Store};
use chrono::{DateTime, Utc};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// One automatic backup becomes due this long after the last.
pub const EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);
const EXT: &str = "grb";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackups {
    pub enabled: bool,
    pub dir: PathBuf,
    /// At least 1.
    pub keep: usize,
}

/// An automatic backup found in the directory (its header read, not its body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub created_at: DateTime<Utc>,
    pub journal: Option<JournalMark>,
}

/// "guardroom-" for the database guardroom.db: its backups' names begin so.
fn prefix(db: &Path) -> String {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "guardroom".into());
    format!("{stem}-")
}

impl AutoBackups {
    /// The automatic backups of the database at `db`, newest first. A file
    /// whose header cannot be read is left out (and left alone).
    pub fn list(&self, db: &Path) -> Vec<Found> {
        let prefix = prefix(db);
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(&prefix) || path.extension().and_then(|e| e.to_str()) != Some(EXT) {
                continue;
            }
            let header = File::open(&path)
                .map_err(|e| BackupError::io(&path, e))
                .and_then(|f| Reader::open(BufReader::new(f), &path.display().to_string()).map(|r| r.header));
            match header {
                Ok(h) => out.push(Found { path, created_at: h.created_at, journal: h.journal }),
                Err(e) => tracing::warn!(file = %path.display(), error = %e, "not an automatic backup that can be read"),
            }
        }
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.path.cmp(&a.path)));
        out
    }

    /// Whether a backup is due: automatic backups are on and the newest is
    /// a day old, or there is none.
    pub fn due(&self, db: &Path, now: DateTime<Utc>) -> bool {
        self.enabled && self.list(db).first().is_none_or(|newest| now - newest.created_at >= EVERY)
    }

    /// A name for a new backup of `db` in the directory.
    fn new_path(&self, db: &Path) -> PathBuf {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let base = format!("{}{stamp}", prefix(db));
        let mut path = self.dir.join(format!("{base}.{EXT}"));
        let mut n = 2;
        while path.exists() {
            path = self.dir.join(format!("{base}-{n}.{EXT}"));
            n += 1;
        }
        path
    }

    /// Take a backup of `store` now, then keep only the newest `keep` and
    /// the journal segments they need.
    pub fn take(&self, store: &Store) -> Result<Summary, BackupError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| BackupError::io(&self.dir, e))?;
        let dir = std::path::absolute(&self.dir).map_err(|e| BackupError::io(&self.dir, e))?;
        let summary = super::write_backup(store, &AutoBackups { dir, ..self.clone() }.new_path(store.path()), false)?;
        self.prune(store)?;
        Ok(summary)
    }

    /// Remove all but the newest `keep` backups of the store's database,
    /// and the journal segments none of those still needs.
    pub fn prune(&self, store: &Store) -> Result<(), BackupError> {
        let found = self.list(store.path());
        for old in found.iter().skip(self.keep.max(1)) {
            std::fs::remove_file(&old.path).map_err(|e| BackupError::io(&old.path, e))?;
            tracing::info!(file = %old.path.display(), "old automatic backup removed");
        }
        let Some((id, _, _)) = store.journal_state() else { return Ok(()) };
        let kept = &found[..found.len().min(self.keep.max(1))];
        // Every kept backup must be able to replay the journal from its mark.
        let oldest = kept.iter().map(|f| f.journal.filter(|m| m.id == id).map(|m| m.change)).collect::<Option<Vec<u64>>>();
        if let Some(through) = oldest.and_then(|marks| marks.into_iter().min()) {
            store.prune_journal(through)?;
        }
        Ok(())
    }
}

/// While the server runs: a backup whenever one is due (checked every
/// minute), until `stop` is set.
pub fn run_daily(store: &Store, auto: &AutoBackups, stop: &std::sync::atomic::AtomicBool) {
    use std::sync::atomic::Ordering;
    while !stop.load(Ordering::Relaxed) {
        let (_, _, needs_base) = store.journal_state().unwrap_or_default();
        if auto.enabled && (needs_base || auto.due(store.path(), Utc::now())) {
            match auto.take(store) {
                Ok(s) => tracing::info!(file = %s.path, "daily backup written"),
                Err(e) => tracing::error!(error = %e, "the daily backup failed"),
            }
        }
        for _ in 0..60 {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
}
