//! Return visits (回访/拜访) and the promises made during them.

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::validate::{check_len, check_required, FieldError, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

choice!(VisitMethod { OnSite = "on_site", Phone = "phone" });

/// A promise made to the client (落实对客户的承诺); open until done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    pub text: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
}

impl Promise {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done.is_none() && self.due < today
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDraft {
    pub date: NaiveDate,
    pub by: String,
    pub method: VisitMethod,
    pub met: String,
    pub purpose: String,
    /// The client's opinions and demands (意见建议).
    pub opinions: String,
    pub promises: Vec<Promise>,
}

impl VisitDraft {
    pub fn new(date: NaiveDate, by: &str) -> Self {
        VisitDraft {
            date,
            by: by.into(),
            method: VisitMethod::OnSite,
            met: String::new(),
            purpose: String::new(),
            opinions: String::new(),
            promises: vec![],
        }
    }

    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.by = clean(&self.by, false);
        self.met = clean(&self.met, false);
        self.purpose = clean(&self.purpose, false);
        self.opinions = clean(&self.opinions, true);
        for p in &mut self.promises {
            p.text = clean(&p.text, false);
        }
        self
    }

    /// `today` bounds the date: a visit is recorded after it happened.
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.date > today {
            e.push(FieldError::new("date", Invalid::Future));
        }
        check_required(&mut e, "by", &self.by, super::limits::visit::BY);
        check_len(&mut e, "met", &self.met, super::limits::visit::MET);
        check_required(&mut e, "purpose", &self.purpose, super::limits::visit::PURPOSE);
        check_len(&mut e, "opinions", &self.opinions, super::limits::visit::OPINIONS);
        for p in &self.promises {
            if p.text.trim().is_empty() {
                e.push(FieldError::new("promises", Invalid::Required));
            }
            check_len(&mut e, "promises", &p.text, super::limits::visit::PROMISE);
            if p.due < self.date {
                e.push(FieldError::new("promises", Invalid::DueBeforeVisit));
            }
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: u64,
    pub client_id: u64,
    pub draft: VisitDraft,
    /// The complaint this visit followed up (回访), if any.
    pub complaint_id: Option<u64>,
    pub meta: Meta,
}

impl Visit {
    pub fn open_promises(&self) -> impl Iterator<Item = &Promise> {
        self.draft.promises.iter().filter(|p| p.done.is_none())
    }
}

impl Fielded for Visit {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        let promises = d
            .promises
            .iter()
            .map(|p| {
                let done = p.done.map(|x| format!(" ✓{x}")).unwrap_or_default();
                format!("{} ({}){done}", p.text, p.due)
            })
            .collect::<Vec<_>>()
            .join("; ");
        vec![
            ("client_id", self.client_id.to_string()),
            ("complaint_id", self.complaint_id.map(|c| c.to_string()).unwrap_or_default()),
            ("date", d.date.to_string()),
            ("by", d.by.clone()),
            ("method", d.method.code().into()),
            ("met", d.met.clone()),
            ("purpose", d.purpose.clone()),
            ("opinions", d.opinions.clone()),
            ("promises", promises),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn open_promise_past_due_is_overdue_until_done() {
        let mut p = Promise { text: "增派夜班一人".into(), due: d("2026-11-20"), done: None };
        assert!(!p.overdue(d("2026-11-20")));
        assert!(p.overdue(d("2026-11-21")));
        p.done = Some(d("2026-11-22"));
        assert!(!p.overdue(d("2026-11-23")));
    }

    #[test]
    fn visit_in_the_future_or_without_purpose_is_refused() {
        let mut v = VisitDraft::new(d("2026-11-24"), "李娜");
        v.promises.push(Promise { text: "整改".into(), due: d("2026-11-01"), done: None });
        let fields: Vec<String> = v.validate(d("2026-11-23")).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["date", "purpose", "promises"]);
    }
}
