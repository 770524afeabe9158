//! The audit trail, for admins and managers: every change, filterable.

use super::{Result, Service};
use crate::domain::AuditEntry;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Free text over operator, record kind and label, field names and values.
    pub text: String,
    pub who: Option<String>,
    /// "client", "visit", "complaint", "operator".
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Matches counted, up to `COUNT_CAP`.
    pub total: usize,
    /// More matched than were counted.
    pub more: bool,
    pub offset: usize,
    pub rows: Vec<AuditEntry>,
}

/// Counting stops here, so a query on a long history stays quick.
pub const COUNT_CAP: usize = 10_000;

impl AuditQuery {
    /// Whether any filter is set: then the trail is searched entry by entry.
    pub fn filtered(&self) -> bool {
        !self.text.trim().is_empty() || self.who.is_some() || self.kind.is_some() || self.from.is_some() || self.to.is_some()
    }

    /// The same filters (whatever the window).
    pub fn same_filters(&self, other: &AuditQuery) -> bool {
        AuditQuery { offset: 0, limit: 0, ..self.clone() } == AuditQuery { offset: 0, limit: 0, ..other.clone() }
    }
}

fn matches(e: &AuditEntry, q: &AuditQuery, needle: &str) -> bool {
    let day = e.at.with_timezone(&chrono::Local).date_naive();
    q.who.as_ref().is_none_or(|w| &e.who == w)
        && q.kind.as_ref().is_none_or(|k| &e.kind == k)
        && q.from.is_none_or(|d| day >= d)
        && q.to.is_none_or(|d| day <= d)
        && (needle.is_empty() || {
            let mut hay = format!("{} {} {}", e.who, e.kind, e.label).to_lowercase();
            for c in &e.changes {
                hay.push_str(&format!(" {} {} {}", c.field, c.before, c.after).to_lowercase());
            }
            hay.contains(needle)
        })
}

impl Service {
    pub fn audit(&self, q: &AuditQuery) -> Result<AuditPage> {
        if !q.filtered() {
            let (rows, total) = self.store.audit_page(q.offset, q.limit)?;
            return Ok(AuditPage { total, more: false, offset: q.offset, rows });
        }
        let needle = q.text.trim().to_lowercase();
        let mut page = AuditPage { offset: q.offset, ..Default::default() };
        self.store.audit_newest(|e| {
            if matches(&e, q, &needle) {
                if page.total >= q.offset && page.rows.len() < q.limit {
                    page.rows.push(e);
                }
                page.total += 1;
                if page.total >= COUNT_CAP.max(q.offset + q.limit) {
                    page.more = true;
                    return false;
                }
            }
            true
        })?;
        Ok(page)
    }
}
