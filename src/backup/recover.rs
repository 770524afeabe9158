//! `guardroom recover`: rebuild a database sled can no longer open (or
//! that lost changes) from the newest good automatic backup plus the
//! journal's changes after it. The damaged database is moved aside, never
//! deleted; nothing is moved before the new database is built and checked.

use super::auto::{AutoBackups, Found};
use super::write::{sync_dir, temp_beside};
use super::BackupError;
use crate::store::journal::{self, JournalError, Scan};
use crate::store::{JournalMark, Store, StoreError};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// What recovery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// The database opens, reads through and agrees with its journal.
    Healthy {
        change: u64,
    },
    Rebuilt(Rebuilt),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// The backup it started from (none: the journal from its first change).
    pub backup: Option<(PathBuf, DateTime<Utc>)>,
    /// Changes applied from the journal.
    pub replayed: u64,
    /// Where the damaged database went (none: there was none left).
    pub damaged: Option<PathBuf>,
    /// Why the journal could not be applied to the backup, when it could not
    /// (changes after the backup are then missing), and where it was moved.
    pub journal_unused: Option<(String, Option<PathBuf>)>,
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoverError {
    #[error("the database {0} is in use")]
    InUse(PathBuf),
    #[error("the journal is damaged: {0}")]
    Journal(JournalError),
    #[error("no backup in {dir} and no journal from the first change")]
    Nothing { dir: PathBuf },
    #[error("{0}")]
    Backup(BackupError),
    #[error("the rebuilt database does not add up: {0}")]
    Verify(String),
}

impl From<BackupError> for RecoverError {
    fn from(e: BackupError) -> Self {
        RecoverError::Backup(e)
    }
}

impl From<StoreError> for RecoverError {
    fn from(e: StoreError) -> Self {
        RecoverError::Backup(e.into())
    }
}

/// Whether another process holds sled's lock on the database.
fn in_use(db: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(f) = std::fs::File::open(db.join("db")) else { return false };
    // sled takes an exclusive flock on its data file while it has it open,
    // and lets go a moment after its last handle is dropped.
    for _ in 0..25 {
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_UN) };
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    true
}

/// Whether the database opens, reads through and is where its journal is.
fn healthy(db: &Path, scan: Option<&Scan>) -> Option<u64> {
    if !db.join("db").is_file() {
        return None;
    }
    let check = || -> Option<u64> {
        let store = Store::open(db).ok()?;
        let mark = store.journal_mark_in_db();
        let agrees = match (scan, mark) {
            (Some(s), Some(m)) => m.id == s.id && m.change == s.last,
            (None, _) => true,
            (Some(_), None) => false,
        };
        // An index of an earlier layout is not damage.
        store.bring_index_up_to_date().ok()?;
        let health = store.verify().ok()?;
        (agrees && health.problem.is_none()).then(|| mark.map_or(0, |m| m.change))
    };
    // sled may panic on pages it finds damaged as it reads them.
    crate::store::catch_quietly(check).ok().flatten()
}

/// Where to start from: a backup (and the change the journal goes on
/// from), or nothing but the journal.
enum Base {
    Backup { found: Found, replay_from: Option<u64> },
    Empty,
}

fn choose(backups: &[Found], scan: Option<&Scan>, dir: &Path) -> Result<(Base, Option<String>), RecoverError> {
    let good = |f: &Found| match super::verify(&f.path) {
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(file = %f.path.display(), error = %e, "a backup failed its check; trying an older one");
            false
        }
    };
    if let Some(scan) = scan {
        let fits = |m: &Option<JournalMark>| m.is_some_and(|m| m.id == scan.id && m.change + 1 >= scan.first);
        if let Some(found) = backups.iter().filter(|f| fits(&f.journal)).find(|f| good(f)) {
            let from = found.journal.map(|m| m.change);
            return Ok((Base::Backup { found: found.clone(), replay_from: from }, None));
        }
        if scan.first == 1 {
            return Ok((Base::Empty, None));
        }
    }
    match backups.iter().find(|f| good(f)) {
        Some(found) => {
            let why = scan.map(|s| format!("it goes on from change {}, after what any backup holds", s.first));
            Ok((Base::Backup { found: found.clone(), replay_from: None }, why))
        }
        None => Err(RecoverError::Nothing { dir: dir.to_path_buf() }),
    }
}

/// Rebuild the database at `db`; see the module comment.
pub fn recover(db: &Path, auto: &AutoBackups) -> Result<Recovered, RecoverError> {
    if in_use(db) {
        return Err(RecoverError::InUse(db.to_path_buf()));
    }
    let jdir = journal::dir_of(db);
    let scan = journal::scan(&jdir).map_err(RecoverError::Journal)?;
    if let Some(change) = healthy(db, scan.as_ref()) {
        return Ok(Recovered::Healthy { change });
    }
    let backups = auto.list(db);
    let (base, journal_unused) = choose(&backups, scan.as_ref(), &auto.dir)?;
    let tmp = temp_beside(db, "recovering");
    let built = build(&tmp, &base, scan.as_ref());
    let (replayed, records) = match built {
        Ok(v) => v,
        Err(e) => {
            std::fs::remove_dir_all(&tmp).ok();
            return Err(e);
        }
    };
    let damaged = if db.exists() {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        // A second recovery within the same second gets its own name: a
        // damaged copy is never overwritten.
        let to = (1..)
            .map(|n: u32| {
                let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                name.push(if n == 1 { format!(".damaged-{stamp}") } else { format!(".damaged-{stamp}-{n}") });
                db.with_file_name(name)
            })
            .find(|p| !p.exists())
            .expect("a free name");
        if let Err(e) = std::fs::rename(db, &to) {
            std::fs::remove_dir_all(&tmp).ok();
            return Err(BackupError::io(db, e).into());
        }
        Some(to)
    } else {
        None
    };
    std::fs::rename(&tmp, db).map_err(|e| BackupError::io(db, e))?;
    sync_dir(db);
    let journal_unused = match journal_unused {
        // The journal cannot follow this database: kept aside for a look.
        Some(why) => Some((why, journal::move_aside(&jdir).map_err(|e| BackupError::io(&jdir, e))?)),
        None => None,
    };
    let backup = match base {
        Base::Backup { found, .. } => Some((found.path, found.created_at)),
        Base::Empty => None,
    };
    tracing::info!(db = %db.display(), replayed, "database recovered");
    Ok(Recovered::Rebuilt(Rebuilt { backup, replayed, damaged, journal_unused, records }))
}

/// Build the database at `tmp`: (changes replayed, records).
fn build(tmp: &Path, base: &Base, scan: Option<&Scan>) -> Result<(u64, u64), RecoverError> {
    let store = Store::open(tmp)?;
    let replay_from = match base {
        Base::Backup { found, replay_from } => {
            super::restore::load_into(&store, &found.path)?;
            *replay_from
        }
        Base::Empty => Some(0),
    };
    let mut replayed = 0;
    match (replay_from, scan) {
        (Some(from), Some(scan)) => {
            store.set_journal_mark(Some(JournalMark { id: scan.id, change: from }))?;
            let mut failed = None;
            replayed = journal::for_each_after(scan, from, |change| {
                store.apply_change(&change).map_err(|e| {
                    failed = Some(e.to_string());
                    JournalError::Io { path: String::new(), detail: String::new() }
                })
            })
            .map_err(|e| match failed.take() {
                Some(why) => RecoverError::Verify(why),
                None => RecoverError::Journal(e),
            })?;
        }
        // No journal to follow: the database starts one of its own.
        _ => store.set_journal_mark(None)?,
    }
    let health = store.verify()?;
    if let Some(problem) = health.problem {
        return Err(RecoverError::Verify(problem));
    }
    store.sync()?;
    Ok((replayed, health.records))
}
