use crate::domain::{FieldError, StepRefused};
use crate::store::StoreError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ServiceError {
    #[error("some fields need attention")]
    Invalid(Vec<FieldError>),
    #[error("{label} was changed by {by} at {at}")]
    Conflict { label: String, by: String, at: DateTime<Utc> },
    #[error("the record no longer exists")]
    NotFound,
    /// Stored, but the disk did not confirm it: do not enter it again.
    #[error("stored but not confirmed on disk: {0}")]
    NotDurable(String),
    /// The OS account is not an active guardroom operator.
    #[error("the account {0} is not a guardroom operator")]
    NotOperator(String),
    /// The operator's role does not carry the right.
    #[error("the role {role:?} may not {right:?}")]
    Forbidden { role: crate::domain::Role, right: crate::domain::Right },
    /// The last active admin cannot be demoted or disabled.
    #[error("the last admin cannot be removed")]
    LastAdmin,
    /// The operator lacks a right; `managers` are those who have it.
    #[error("only a manager may {right}")]
    Denied { right: String, managers: Vec<String> },
    /// A workflow step out of order or not allowed yet.
    #[error("step refused: {0:?}")]
    Refused(StepRefused),
    /// A roster or attendance change broke a rule.
    #[error("roster rule: {0:?}")]
    Duty(crate::domain::DutyRefused),
    /// A dorm or vehicle change broke a rule.
    #[error("dorm or vehicle rule: {0:?}")]
    Logistics(super::logistics::LogisticsRefused),
    #[error("{0}")]
    Store(String),
    /// A backup was not written (or read); the sentence says why.
    #[error("backup: {0}")]
    Backup(crate::backup::BackupError),
    /// The disk is full: this change was not saved, and no other will be
    /// until the database is opened again (after space is freed).
    #[error("the disk is full")]
    DiskFull,
    /// A request or answer larger than one frame between a session and the server.
    #[error("{bytes} bytes is over the limit of {limit} between guardroom and its server")]
    TooLarge { bytes: u64, limit: u64 },
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { label, by, at, .. } => ServiceError::Conflict { label, by, at },
            StoreError::NotFound { .. } => ServiceError::NotFound,
            StoreError::Refused(r) => ServiceError::Refused(r),
            StoreError::NotDurable(d) => ServiceError::NotDurable(d),
            StoreError::DiskFull(_) => ServiceError::DiskFull,
            other => ServiceError::Store(other.to_string()),
        }
    }
}
