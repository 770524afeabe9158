//! The backup, restore, dump and load commands: where each runs (through
//! the server or on the database directly) and what they print.

use super::{kind_label, BackupError, Summary};
use crate::i18n::{fill, Lang, T};
use crate::server::client::RemoteApi;
use crate::service::{Api, ServiceError};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};

/// What a command says, or why it did nothing.
pub type Outcome = Result<String, String>;

/// `guardroom backup FILE`: through the server when one answers (on
/// `--connect`, else on the configured socket), else from the database.
pub fn backup(file: &Path, force: bool, connect: Option<&Path>, socket: &Path, db: &Path, backups: &Path, lang: Lang) -> Outcome {
    // The server resolves the path on its side: it must mean the same there.
    let file = absolute(file, lang)?;
    let remote = match connect {
        Some(path) => Some(RemoteApi::connect(path).map_err(|e| format!("{e:#}"))?),
        None if socket.exists() => RemoteApi::connect(socket).ok(),
        None => None,
    };
    let (summary, how) = match remote {
        Some(api) => {
            let s = api.backup(&api.operator.clone(), &file, force).map_err(|e| crate::ui::messages::service_error(&e, lang))?;
            (s, T::BkViaServer)
        }
        None => {
            let store = open_existing(db, backups, lang, T::BkErrDbInUseBackup)?;
            (super::write_backup(&store, &file, force).map_err(|e| e.message(lang))?, T::BkDirect)
        }
    };
    let head = fill(T::BkWritten.get(lang), &[&summary.path, &megabytes(summary.bytes), how.get(lang)]);
    Ok(report(head, &summary, lang))
}

/// `guardroom restore FILE [--force] [--check]`.
pub fn restore(file: &Path, db: &Path, force: bool, check_only: bool, lang: Lang) -> Outcome {
    if check_only {
        let s = super::verify(file).map_err(|e| e.message(lang))?;
        let made = s.created_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string();
        return Ok(report(fill(T::BkVerified.get(lang), &[&s.path, &made]), &s, lang));
    }
    let s = super::restore(file, db, force).map_err(|e| e.message(lang))?;
    Ok(report(fill(T::BkRestored.get(lang), &[&s.path, &db.display().to_string()]), &s, lang))
}

/// `guardroom dump FILE [--force]`, from the database directly.
pub fn dump(file: &Path, db: &Path, backups: &Path, force: bool, lang: Lang) -> Outcome {
    let file = absolute(file, lang)?;
    let store = open_existing(db, backups, lang, T::ErrDbInUse)?;
    let (s, lines) = super::portable::dump(&store, &file, force).map_err(|e| e.message(lang))?;
    Ok(report(fill(T::BkDumped.get(lang), &[&s.path, &lines.to_string()]), &s, lang))
}

/// `guardroom load FILE --db PATH`, into a new or empty database.
pub fn load(file: &Path, db: &Path, lang: Lang) -> Outcome {
    let s = super::portable::load(file, db).map_err(|e| e.message(lang))?;
    Ok(report(fill(T::BkLoaded.get(lang), &[&s.path, &db.display().to_string()]), &s, lang))
}

fn absolute(file: &Path, lang: Lang) -> Result<PathBuf, String> {
    std::path::absolute(file).map_err(|e| BackupError::io(file, e).message(lang))
}

/// Open a database that must already exist (a backup of nothing is a mistake).
fn open_existing(db: &Path, backups: &Path, lang: Lang, in_use: T) -> Result<Store, String> {
    if !db.join("db").is_file() {
        return Err(BackupError::io(db, std::io::Error::from(std::io::ErrorKind::NotFound)).message(lang));
    }
    Store::open(db).map_err(|e| match e {
        StoreError::InUse(p) => fill(in_use.get(lang), &[&p.display().to_string()]),
        other => open_failure(other, db, backups, lang),
    })
}

/// The one sentence for a database that could not be opened.
pub fn open_failure(e: StoreError, db: &Path, backups: &Path, lang: Lang) -> String {
    match e {
        StoreError::DiskFull(_) => fill(T::ErrDbDiskFull.get(lang), &[&db.display().to_string()]),
        StoreError::InUse(p) => fill(T::ErrDbInUse.get(lang), &[&p.display().to_string()]),
        StoreError::Open { path, detail } => fill(T::ErrDbOpen.get(lang), &[&path.display().to_string(), &detail]),
        StoreError::Damaged { path, detail } => {
            fill(T::ErrDbDamaged.get(lang), &[&path.display().to_string(), &detail, &backups.display().to_string()])
        }
        other => ServiceError::from(other).to_string(),
    }
}

/// `guardroom recover`: rebuild a damaged database from the newest good
/// automatic backup and the journal.
pub fn recover(db: &Path, auto: &super::auto::AutoBackups, lang: Lang) -> Outcome {
    use super::recover::{RecoverError, Recovered};
    let shown = |p: &Path| p.display().to_string();
    match super::recover::recover(db, auto) {
        Ok(Recovered::Healthy { change }) => Ok(fill(T::RcHealthy.get(lang), &[&shown(db), &change.to_string()])),
        Ok(Recovered::Rebuilt(r)) => {
            let mut out = match &r.backup {
                Some((file, made)) => {
                    let made = made.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string();
                    fill(T::RcRebuilt.get(lang), &[&shown(db), &shown(file), &made, &r.replayed.to_string(), &r.records.to_string()])
                }
                None => fill(T::RcFromJournal.get(lang), &[&shown(db), &r.replayed.to_string(), &r.records.to_string()]),
            };
            // Sentences follow each other with a space in English only.
            let gap = if lang == Lang::En { " " } else { "" };
            if let Some(copy) = &r.damaged {
                out.push_str(gap);
                out.push_str(&fill(T::RcDamagedCopy.get(lang), &[&shown(copy)]));
            }
            if let Some((why, kept)) = &r.journal_unused {
                out.push_str(gap);
                out.push_str(&fill(T::RcJournalUnused.get(lang), &[why, &kept.as_deref().map(shown).unwrap_or_default()]));
            }
            Ok(out)
        }
        Err(RecoverError::InUse(p)) => Err(fill(T::ErrDbInUse.get(lang), &[&shown(&p)])),
        Err(RecoverError::Journal(e)) => Err(fill(T::RcErrJournal.get(lang), &[&e.to_string()])),
        Err(RecoverError::Nothing { dir }) => Err(fill(T::RcErrNothing.get(lang), &[&shown(&dir)])),
        Err(RecoverError::Backup(e)) => Err(e.message(lang)),
        Err(RecoverError::Verify(why)) => Err(fill(T::RcErrVerify.get(lang), &[&why])),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// The first line, then the records per kind (kinds with none left out)
/// and the audit entries, aligned in terminal cells.
pub fn report(head: String, s: &Summary, lang: Lang) -> String {
    let mut rows: Vec<(String, u64)> = s.records.iter().filter(|(_, n)| *n > 0).map(|(k, n)| (kind_label(k, lang), *n)).collect();
    rows.push((kind_label("audit", lang), s.audit_entries));
    let wide = rows.iter().map(|(l, _)| crate::cells::width(l)).max().unwrap_or(0);
    let mut out = head;
    for (label, n) in rows {
        let pad = " ".repeat(wide - crate::cells::width(&label));
        out.push_str(&format!("\n  {label}{pad}  {n:>9}"));
    }
    out
}
