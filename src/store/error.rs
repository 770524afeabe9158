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
    /// The disk is full, or a file-size limit was reached (ENOSPC, EFBIG,
    /// EDQUOT alike). sled stops writing after a failed write, so nothing
    /// more is saved until the database is opened again.
    #[error("the disk is full ({0}); free some space and restart guardroom — everything saved before is safe")]
    DiskFull(String),
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
            sled::Error::Io(io) => io.into(),
            other => StoreError::Storage(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if is_disk_full(&e) {
            StoreError::DiskFull(e.to_string())
        } else {
            StoreError::Storage(e.to_string())
        }
    }
}

/// No room to write: the device is full, the quota is used up or the file
/// would pass the size limit. sled keeps the kind (not the OS code) when it
/// hands the same error to later calls, so both are looked at.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(e.kind(), K::StorageFull | K::FileTooLarge | K::QuotaExceeded)
        || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EFBIG | libc::EDQUOT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_and_a_file_size_limit_read_the_same() {
        for code in [libc::ENOSPC, libc::EFBIG, libc::EDQUOT] {
            let e = StoreError::from(std::io::Error::from_raw_os_error(code));
            assert!(matches!(e, StoreError::DiskFull(_)), "{code}: {e:?}");
            // sled hands later callers a copy that keeps only the kind.
            let io = std::io::Error::from_raw_os_error(code);
            let copy = std::io::Error::new(io.kind(), format!("{io:?}"));
            assert!(matches!(StoreError::from(sled::Error::Io(copy)), StoreError::DiskFull(_)), "{code}");
        }
        let other = StoreError::from(std::io::Error::from_raw_os_error(libc::EIO));
        assert!(matches!(other, StoreError::Storage(_)), "{other:?}");
    }
}
