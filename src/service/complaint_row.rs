//! What the complaint list keeps in memory of each complaint: the fields it
//! filters, sorts and counts by, and what the statistics and the Overview
//! read. The long texts (cause, demand, findings, resolution) stay in the
//! store; a page of the list reads its whole records from there. 100,000
//! decoded complaints are ~80 MB, their rows ~20 MB.

use super::list_cache::Listed;
use super::query::collation_key;
use crate::domain::{Category, Complaint, ComplaintStatus, Urgency};
use chrono::NaiveDateTime;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: u64,
    pub number: Box<str>,
    pub client_id: u64,
    pub client_name: Box<str>,
    pub received_at: NaiveDateTime,
    pub category: Category,
    pub status: ComplaintStatus,
    pub due: NaiveDateTime,
    /// Who the investigation found responsible, once investigated.
    pub responsible: Option<Box<str>>,
    pub resolved_at: Option<NaiveDateTime>,
    pub approved: bool,
    pub followed_up: bool,
}

impl ComplaintRow {
    pub fn of(c: &Complaint) -> ComplaintRow {
        ComplaintRow {
            id: c.id,
            number: c.number.as_str().into(),
            client_id: c.draft.client_id,
            client_name: c.draft.client_name.as_str().into(),
            received_at: c.draft.received_at,
            category: c.draft.category,
            status: c.status,
            due: c.due,
            responsible: c.investigation.as_ref().map(|i| i.responsible.as_str().into()),
            resolved_at: c.resolution.as_ref().map(|r| r.stamp.at),
            approved: c.approval.is_some(),
            followed_up: c.follow_up.is_some(),
        }
    }

    pub fn urgency(&self, now: NaiveDateTime) -> Urgency {
        Urgency::of(self.status, self.due, now)
    }

    fn responsible(&self) -> &str {
        self.responsible.as_deref().unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ComplaintSort {
    /// Open complaints first, the earliest due on top; then handled ones, newest first.
    Urgency,
    Number,
    Received,
    Client,
    Category,
    Status,
    Due,
    Responsible,
}

impl ComplaintSort {
    pub const ALL: [ComplaintSort; 8] = [
        ComplaintSort::Urgency,
        ComplaintSort::Number,
        ComplaintSort::Received,
        ComplaintSort::Client,
        ComplaintSort::Category,
        ComplaintSort::Status,
        ComplaintSort::Due,
        ComplaintSort::Responsible,
    ];
}

impl Listed for ComplaintRow {
    type Source = Complaint;
    type Sort = ComplaintSort;
    fn search_text(c: &Complaint) -> String {
        let d = &c.draft;
        let responsible = c.investigation.as_ref().map(|i| i.responsible.as_str()).unwrap_or("");
        format!("{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}", c.number, d.client_name, d.cause, d.demand, d.kind, responsible).to_lowercase()
    }
    fn row(c: Complaint) -> ComplaintRow {
        ComplaintRow::of(&c)
    }
    fn list_id(&self) -> u64 {
        self.id
    }
    fn sort_key(&self, sort: ComplaintSort) -> String {
        match sort {
            ComplaintSort::Client => collation_key(&self.client_name),
            ComplaintSort::Responsible => collation_key(self.responsible()),
            _ => String::new(),
        }
    }
    fn compare(sort: ComplaintSort, (a, ka): (&Self, &str), (b, kb): (&Self, &str)) -> Ordering {
        match sort {
            ComplaintSort::Urgency => match (a.status.is_open(), b.status.is_open()) {
                (true, true) => a.due.cmp(&b.due),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => b.received_at.cmp(&a.received_at),
            },
            ComplaintSort::Number => a.number.cmp(&b.number),
            ComplaintSort::Received => a.received_at.cmp(&b.received_at),
            ComplaintSort::Client | ComplaintSort::Responsible => ka.cmp(kb),
            ComplaintSort::Category => a.category.cmp(&b.category),
            ComplaintSort::Status => a.status.cmp(&b.status),
            ComplaintSort::Due => a.due.cmp(&b.due),
        }
    }
}
