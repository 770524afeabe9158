//! Backups, restores and portable dumps of the whole database.
//!
//! - `format`: the backup file (header, every tree's entries, checksum);
//! - `write`: writing one from a store snapshot, atomically;
//! - `restore`: verifying one and building a database from it aside, then
//!   moving it into place (`aside`);
//! - `portable`: JSON lines, one record per line, for other tools and for
//!   moving data across guardroom versions;
//! - `cli`: the commands' sentences.

pub(crate) mod aside;
pub mod auto;
pub mod cli;
pub mod format;
pub mod portable;
pub mod recover;
pub mod restore;
mod write;

pub use restore::{restore, verify};
pub use write::{temp_beside, write_backup};

use crate::i18n::{fill, Lang, T};
use crate::store::{KindVisitor, Record, StoreError, AUDIT_SCHEMA};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a backup, restore, dump or load holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub path: String,
    pub created_at: DateTime<Utc>,
    /// Records per kind, in `KIND_NAMES` order.
    pub records: Vec<(String, u64)>,
    pub audit_entries: u64,
    /// Size of the file.
    pub bytes: u64,
    /// The journal and its last change the backup holds (see `store::journal`).
    #[serde(default)]
    pub journal: Option<crate::store::JournalMark>,
}

/// Why a backup, restore, dump or load did not happen; every case leaves
/// the live database as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum BackupError {
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
    #[error("{path} is not a guardroom backup")]
    NotABackup { path: String },
    #[error("{path} ends too soon")]
    Truncated { path: String },
    #[error("{path}: checksum mismatch")]
    Damaged { path: String },
    #[error("{path} does not add up: {detail}")]
    Inconsistent { path: String, detail: String },
    #[error("{path} has format {found}, this guardroom reads up to {known}")]
    Newer { path: String, found: u16, known: u16 },
    #[error("{path} holds {kind} of schema {found}, this guardroom reads up to {known}")]
    NewerKind { path: String, kind: String, found: u16, known: u16 },
    #[error("{path} holds an unknown kind {kind}")]
    UnknownKind { path: String, kind: String },
    #[error("{path} exists")]
    FileExists { path: String },
    #[error("{path} is not absolute")]
    NotAbsolute { path: String },
    #[error("the database {path} exists")]
    TargetExists { path: String },
    #[error("{path} is not a guardroom database")]
    NotADatabase { path: String },
    #[error("the database {path} is in use")]
    InUse { path: String },
    #[error("the database {path} is not empty")]
    NotEmpty { path: String },
    #[error("{path} line {line}: {detail}")]
    DumpLine { path: String, line: u64, detail: String },
    #[error("{path} has no end line")]
    DumpIncomplete { path: String },
    #[error("storage error: {0}")]
    Store(String),
}

impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InUse(p) => BackupError::InUse { path: p.display().to_string() },
            other => BackupError::Store(other.to_string()),
        }
    }
}

impl BackupError {
    pub fn io(path: &Path, e: impl std::fmt::Display) -> Self {
        BackupError::Io { path: path.display().to_string(), detail: e.to_string() }
    }

    /// One sentence that says what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        use BackupError::*;
        let t = |t: T, args: &[&str]| fill(t.get(lang), args);
        match self {
            Io { path, detail } => t(T::BkErrIo, &[path, detail]),
            NotABackup { path } => t(T::BkErrNotABackup, &[path]),
            Truncated { path } => t(T::BkErrTruncated, &[path]),
            Damaged { path } => t(T::BkErrDamaged, &[path]),
            Inconsistent { path, detail } => t(T::BkErrInconsistent, &[path, detail]),
            Newer { path, found, known } => t(T::BkErrNewer, &[path, &found.to_string(), &known.to_string()]),
            NewerKind { path, kind, found, known } => {
                t(T::BkErrNewerKind, &[path, &kind_label(kind, lang), &found.to_string(), &known.to_string()])
            }
            UnknownKind { path, kind } => t(T::BkErrUnknownKind, &[path, kind]),
            FileExists { path } => t(T::BkErrFileExists, &[path]),
            NotAbsolute { path } => t(T::BkErrNotAbsolute, &[path]),
            TargetExists { path } => t(T::BkErrTargetExists, &[path]),
            NotADatabase { path } => t(T::BkErrNotADatabase, &[path]),
            InUse { path } => t(T::BkErrInUse, &[path]),
            NotEmpty { path } => t(T::BkErrNotEmpty, &[path]),
            DumpLine { path, line, detail } => t(T::BkErrDumpLine, &[path, &line.to_string(), detail]),
            DumpIncomplete { path } => t(T::BkErrDumpIncomplete, &[path]),
            Store(detail) => t(T::BkErrStore, &[detail]),
        }
    }
}

/// A record kind (or "audit") as people name it.
pub fn kind_label(kind: &str, lang: Lang) -> String {
    let t = match kind {
        "client" => T::BkKindClient,
        "visit" => T::BkKindVisit,
        "complaint" => T::BkKindComplaint,
        "operator" => T::BkKindOperator,
        "staff" => T::BkKindStaff,
        "post" => T::BkKindPost,
        "postday" => T::BkKindPostDay,
        "swap" => T::BkKindSwap,
        "room" => T::BkKindRoom,
        "inspection" => T::BkKindInspection,
        "vehicle" => T::BkKindVehicle,
        "trip" => T::BkKindTrip,
        "vcheck" => T::BkKindVcheck,
        "accident" => T::BkKindAccident,
        "audit" => T::BkAuditEntries,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// The schema this guardroom writes for a record kind, or for "audit";
/// `None` for a kind it does not know.
pub fn known_schema(kind: &str) -> Option<u16> {
    struct Schema;
    impl KindVisitor for Schema {
        type Out = u16;
        fn visit<R: Record>(self) -> u16 {
            R::SCHEMA
        }
    }
    if kind == "audit" {
        return Some(AUDIT_SCHEMA);
    }
    crate::store::with_kind(kind, Schema)
}
