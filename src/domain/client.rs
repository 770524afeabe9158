//! Client files (客户档案): the record, its choice values and its rules.

use super::audit::{Fielded, Meta};
use super::money::Fen;
use super::validate::{check_len, check_required, valid_phone, FieldError, Invalid};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Handbook rule: key clients are visited at least once a month.
pub const KEY_CLIENT_MAX_INTERVAL: u16 = 30;
pub const MAX_INTERVAL: u16 = 365;

/// A choice field: a closed set of values picked from a list, never typed.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    /// Stable code used in files and CSV.
    fn code(self) -> &'static str;
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
}

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($var),+ }
        impl Choice for $name {
            const ALL: &'static [Self] = &[$($name::$var),+];
            fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
        }
    };
}
pub(crate) use choice;

choice!(ClientKind { Enterprise = "enterprise", Individual = "individual" });
choice!(
    /// 保安 (guarding) and/or 特卫 (close protection).
    Services { Guarding = "guarding", CloseProtection = "close_protection", Both = "both" }
);
choice!(Tier { Key = "key", Regular = "regular", Prospect = "prospect" });
choice!(
    /// Credit rating 信用等级, A best.
    Rating { A = "A", B = "B", C = "C", D = "D" }
);
choice!(ClientStatus { Prospect = "prospect", Active = "active", Suspended = "suspended", Ended = "ended" });
choice!(LegalReview { NotSubmitted = "not_submitted", Pending = "pending", Approved = "approved", Rejected = "rejected" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub number: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub monthly_fee: Fen,
    pub legal_review: LegalReview,
}

impl Default for Contract {
    fn default() -> Self {
        Contract { number: String::new(), start: None, end: None, monthly_fee: Fen(0), legal_review: LegalReview::NotSubmitted }
    }
}

/// One quarterly review (每季度评审) or other rating change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingReview {
    pub date: NaiveDate,
    pub from: Rating,
    pub to: Rating,
    pub by: String,
    pub reason: String,
}

/// The editable part of a client file: what a form or an import provides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDraft {
    pub name: String,
    pub kind: ClientKind,
    pub services: Services,
    pub address: String,
    pub contact: String,
    pub contact_title: String,
    pub phone: String,
    pub rating: Rating,
    pub tier: Tier,
    pub status: ClientStatus,
    pub contract: Contract,
    pub visit_interval_days: u16,
    pub notes: String,
}

impl Default for ClientDraft {
    fn default() -> Self {
        ClientDraft {
            name: String::new(),
            kind: ClientKind::Enterprise,
            services: Services::Guarding,
            address: String::new(),
            contact: String::new(),
            contact_title: String::new(),
            phone: String::new(),
            rating: Rating::B,
            tier: Tier::Regular,
            status: ClientStatus::Active,
            contract: Contract::default(),
            visit_interval_days: 30,
            notes: String::new(),
        }
    }
}

impl ClientDraft {
    /// Strip control characters from every text field.
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        for s in [&mut self.name, &mut self.address, &mut self.contact, &mut self.contact_title, &mut self.phone, &mut self.contract.number]
        {
            *s = clean(s, false);
        }
        self.notes = clean(&self.notes, true);
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "name", &self.name, super::limits::client::NAME);
        check_len(&mut e, "address", &self.address, super::limits::client::ADDRESS);
        check_len(&mut e, "contact", &self.contact, super::limits::client::CONTACT);
        check_len(&mut e, "contact_title", &self.contact_title, super::limits::client::CONTACT_TITLE);
        if !self.phone.trim().is_empty() && !valid_phone(&self.phone) {
            e.push(FieldError::new("phone", Invalid::Phone));
        }
        check_len(&mut e, "contract.number", &self.contract.number, super::limits::client::CONTRACT_NUMBER);
        if let (Some(s), Some(end)) = (self.contract.start, self.contract.end) {
            if end < s {
                e.push(FieldError::new("contract.end", Invalid::EndBeforeStart));
            }
        }
        if self.contract.monthly_fee.0 < 0 {
            e.push(FieldError::new("contract.monthly_fee", Invalid::NotNegative));
        }
        let iv = self.visit_interval_days;
        if !(1..=MAX_INTERVAL).contains(&iv) {
            e.push(FieldError::new("visit_interval_days", Invalid::Range { min: 1, max: MAX_INTERVAL as i64 }));
        } else if self.tier == Tier::Key && iv > KEY_CLIENT_MAX_INTERVAL {
            e.push(FieldError::new("visit_interval_days", Invalid::KeyClientInterval));
        }
        check_len(&mut e, "notes", &self.notes, super::limits::client::NOTES);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: u64,
    /// `KH-0001`, assigned by the store, never reused.
    pub number: String,
    pub draft: ClientDraft,
    pub reviews: Vec<RatingReview>,
    /// Date of the newest visit; kept by the store with each visit change.
    pub last_visit: Option<NaiveDate>,
    pub meta: Meta,
}

pub fn client_number(seq: u64) -> String {
    format!("KH-{seq:04}")
}

impl Client {
    /// Days between visits actually required: a key client at most 30.
    pub fn effective_interval(&self) -> u16 {
        let iv = self.draft.visit_interval_days.max(1);
        if self.draft.tier == Tier::Key {
            iv.min(KEY_CLIENT_MAX_INTERVAL)
        } else {
            iv
        }
    }

    /// Next visit due: last visit (or, never visited, the day the file was
    /// opened) plus the interval. Suspended and ended clients are not visited.
    pub fn next_visit_due(&self) -> Option<NaiveDate> {
        if matches!(self.draft.status, ClientStatus::Suspended | ClientStatus::Ended) {
            return None;
        }
        // The day the file was opened, where the operator was.
        let base = self.last_visit.unwrap_or_else(|| self.meta.created_at.with_timezone(&chrono::Local).date_naive());
        base.checked_add_days(Days::new(self.effective_interval() as u64))
    }

    pub fn visit_overdue(&self, today: NaiveDate) -> bool {
        self.next_visit_due().is_some_and(|d| d < today)
    }

    /// The overdue mark in the table is for key clients (the handbook's rule).
    pub fn key_visit_overdue(&self, today: NaiveDate) -> bool {
        self.draft.tier == Tier::Key && self.visit_overdue(today)
    }

    pub fn reviews_newest_first(&self) -> Vec<&RatingReview> {
        // Reviews are appended in order; on the same day the later one is newer.
        let mut v: Vec<&RatingReview> = self.reviews.iter().rev().collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.date));
        v
    }
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl Fielded for Client {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("number", self.number.clone()),
            ("name", d.name.clone()),
            ("kind", d.kind.code().into()),
            ("services", d.services.code().into()),
            ("address", d.address.clone()),
            ("contact", d.contact.clone()),
            ("contact_title", d.contact_title.clone()),
            ("phone", d.phone.clone()),
            ("rating", d.rating.code().into()),
            ("tier", d.tier.code().into()),
            ("status", d.status.code().into()),
            ("contract.number", d.contract.number.clone()),
            ("contract.start", date_text(d.contract.start)),
            ("contract.end", date_text(d.contract.end)),
            ("contract.monthly_fee", d.contract.monthly_fee.to_string()),
            ("contract.legal_review", d.contract.legal_review.code().into()),
            ("visit_interval_days", d.visit_interval_days.to_string()),
            ("notes", d.notes.clone()),
            ("reviews", self.reviews.len().to_string()),
            ("last_visit", date_text(self.last_visit)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn client(tier: Tier, interval: u16, last: Option<&str>) -> Client {
        let draft = ClientDraft { name: "华贸中心".into(), tier, visit_interval_days: interval, ..Default::default() };
        Client {
            id: 1,
            number: client_number(1),
            draft,
            reviews: vec![],
            last_visit: last.map(d),
            meta: Meta::new("op", Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap()),
        }
    }

    #[test]
    fn next_visit_is_last_visit_plus_interval() {
        let c = client(Tier::Regular, 90, Some("2026-10-01"));
        assert_eq!(c.next_visit_due(), Some(d("2026-12-30")));
        assert!(!c.visit_overdue(d("2026-12-30")));
        assert!(c.visit_overdue(d("2026-12-31")));
    }

    #[test]
    fn key_client_is_visited_at_least_every_30_days() {
        let mut c = client(Tier::Key, 90, Some("2026-10-01"));
        assert_eq!(c.next_visit_due(), Some(d("2026-10-31")));
        assert!(c.key_visit_overdue(d("2026-11-01")));
        c.draft.tier = Tier::Regular;
        assert!(!c.key_visit_overdue(d("2026-11-01")), "only key clients carry the mark");
    }

    #[test]
    fn never_visited_counts_from_file_opening_and_ended_is_never_due() {
        let mut c = client(Tier::Key, 30, None);
        assert_eq!(c.next_visit_due(), Some(d("2026-02-09")));
        c.draft.status = ClientStatus::Ended;
        assert_eq!(c.next_visit_due(), None);
        assert!(!c.visit_overdue(d("2030-01-01")));
    }

    #[test]
    fn validation_names_each_bad_field() {
        let mut dr = ClientDraft { phone: "12345".into(), ..Default::default() };
        dr.contract.start = Some(d("2026-06-01"));
        dr.contract.end = Some(d("2026-05-31"));
        dr.tier = Tier::Key;
        dr.visit_interval_days = 45;
        let errs = dr.validate();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone", "contract.end", "visit_interval_days"]);
        assert_eq!(errs[3].reason, Invalid::KeyClientInterval);
        dr.name = "上海华贸物业".into();
        dr.phone = "021-64381234".into();
        dr.contract.end = Some(d("2027-05-31"));
        dr.visit_interval_days = 30;
        assert!(dr.validate().is_empty());
    }

    #[test]
    fn numbers_are_zero_padded() {
        assert_eq!(client_number(1), "KH-0001");
        assert_eq!(client_number(12345), "KH-12345");
    }

    #[test]
    fn choice_codes_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_code(r.code()), Some(*r));
        }
        assert_eq!(Services::from_code("both"), Some(Services::Both));
        assert_eq!(Tier::from_code("vip"), None);
    }
}
