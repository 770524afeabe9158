use chrono::{DateTime, Utc};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {0} is in use by another guardroom; close that one first, then open it again")]
    InUse(PathBuf),
    #[error("the database {path} could not be opened ({detail}); check the path and its permissions")]
    Open { path: PathBuf, detail: String },
    /// sled cannot open it, or it lost saved changes: `guardroom recover`.
    #[error("the database {path} is damaged ({detail}); run `guardroom recover` to rebuild it from its backups and journal")]
    Damaged { path: PathBuf, detail: String },
    #[error("{label} was changed by {by} at {at}; reload it and make your change again")]
    Conflict { kind: &'static str, id: u64, label: String, by: String, at: DateTime<Utc> },
    #[error("{kind} {id} does not exist (it may have been deleted)")]
    NotFound { kind: &'static str, id: u64 },
    #[error("{kind} {id} could not be read: {detail}; restore it from a backup")]
    Corrupt { kind: String, id: u64, detail: String },
    #[error("storage error: {0}")]
    Storage(String),
    /// The change was stored but the disk did not confirm it.
    #[error("the change was stored but the disk did not confirm it ({0}); check the disk before going on, and do not enter it again")]
    NotDurable(String),
    /// A workflow rule refused the change (the service explains it).
    #[error("the step is not allowed now: {0:?}")]
    Refused(crate::domain::StepRefused),
    #[error("an internal lock was poisoned; restart guardroom")]
    Poisoned,
}

impl StoreError {
    pub fn corrupt(kind: &str, id: u64, e: impl std::fmt::Display) -> Self {
        StoreError::Corrupt { kind: kind.to_string(), id, detail: e.to_string() }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match e {
            // Found while reading: the one sentence for a damaged database.
            sled::Error::Corruption { .. } => {
                StoreError::Storage(format!("{e}; the database is damaged: quit and run `guardroom recover` to rebuild it"))
            }
            other => StoreError::Storage(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Storage(e.to_string())
    }
}
