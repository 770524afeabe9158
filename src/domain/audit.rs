//! The audit trail: who changed which record, when, field by field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bookkeeping every stored record carries: optimistic version and who
/// touched it last (so a conflict can name them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl Meta {
    pub fn new(by: &str, at: DateTime<Utc>) -> Self {
        Meta { version: 0, created_at: at, created_by: by.into(), updated_at: at, updated_by: by.into() }
    }
}

/// A record that can list its fields as displayable values, for the audit
/// diff and for generic detail views.
pub trait Fielded {
    fn fields(&self) -> Vec<(&'static str, String)>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub who: String,
    pub kind: String,
    pub record_id: u64,
    /// Human-facing label of the record (its number, or client + date).
    pub label: String,
    pub action: AuditAction,
    pub changes: Vec<FieldChange>,
}

/// Field-level difference; `None` on either side means the record is new or gone.
pub fn diff<T: Fielded>(before: Option<&T>, after: Option<&T>) -> Vec<FieldChange> {
    let b = before.map(|r| r.fields()).unwrap_or_default();
    let a = after.map(|r| r.fields()).unwrap_or_default();
    let names: Vec<&'static str> = if a.is_empty() { b.iter().map(|f| f.0).collect() } else { a.iter().map(|f| f.0).collect() };
    let get = |v: &[(&'static str, String)], n: &str| v.iter().find(|f| f.0 == n).map(|f| f.1.clone()).unwrap_or_default();
    names
        .into_iter()
        .filter_map(|n| {
            let (x, y) = (get(&b, n), get(&a, n));
            (x != y).then(|| FieldChange { field: n.to_string(), before: x, after: y })
        })
        .collect()
}
