//! Client complaints (客户投诉): the register form, the 3-day workflow and
//! the rules around it (handbook 002, 客户投诉管理制度; handbook 000 on 3-day
//! handling and 100 % follow-up).

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::money::Fen;
use super::validate::{check_len, check_required, valid_phone, FieldError, Invalid};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

/// A complaint is handled within 3 days of receipt (三日内处理完毕).
pub const DUE_DAYS: i64 = 3;
/// "Due soon" starts this long before the due time.
pub const DUE_SOON_HOURS: i64 = 8;

choice!(Channel { Phone = "phone", Visit = "visit", Letter = "letter", Other = "other" });
choice!(
    /// 分类: general 一般性, fee deduction 扣服务费性, unjustified 非正当理由.
    Category { General = "general", FeeDeduction = "fee_deduction", Unjustified = "unjustified" }
);
choice!(
    /// Where a complaint stands; each step records who and when.
    ComplaintStatus {
        Registered = "registered",
        Informed = "informed",
        Investigating = "investigating",
        Resolved = "resolved",
        FollowedUp = "followed_up",
        Closed = "closed",
    }
);

impl ComplaintStatus {
    /// Still being handled: counts against the 3-day limit.
    pub fn is_open(self) -> bool {
        matches!(self, ComplaintStatus::Registered | ComplaintStatus::Informed | ComplaintStatus::Investigating)
    }

    pub fn next(self) -> Option<ComplaintStatus> {
        let all = ComplaintStatus::ALL;
        all.get(self.index() + 1).copied()
    }
}

/// How due dates are counted: calendar days, or working days skipping
/// weekends and listed holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRule {
    pub working_days: bool,
    pub holidays: Vec<NaiveDate>,
}

impl DueRule {
    fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// Received + 3 days, at the same time of day.
    pub fn due(&self, received: NaiveDateTime) -> NaiveDateTime {
        if !self.working_days {
            return received + Duration::days(DUE_DAYS);
        }
        let mut d = received;
        let mut left = DUE_DAYS;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d.date()) {
                left -= 1;
            }
        }
        d
    }
}

/// The register form (客户投诉登记表): what an operator types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDraft {
    pub client_id: u64,
    /// Copied from the client file when registered; kept if the file changes.
    pub client_name: String,
    pub address: String,
    pub phone: String,
    pub received_at: NaiveDateTime,
    pub received_by: String,
    pub channel: Channel,
    /// 投诉缘由
    pub cause: String,
    /// 客户要求
    pub demand: String,
    pub category: Category,
    /// For a fee deduction: the amount the client asks to deduct.
    pub amount: Fen,
    /// 投诉类型 (free text: attitude, absence, patrol, property loss…)
    pub kind: String,
    pub remarks: String,
}

impl ComplaintDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        for s in [&mut self.client_name, &mut self.address, &mut self.phone, &mut self.received_by, &mut self.kind] {
            *s = clean(s, false);
        }
        for s in [&mut self.cause, &mut self.demand, &mut self.remarks] {
            *s = clean(s, true);
        }
        self
    }

    /// `now` is local time: a complaint cannot be received in the future.
    pub fn validate(&self, now: NaiveDateTime) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.client_id == 0 {
            e.push(FieldError::new("client", Invalid::Required));
        }
        check_required(&mut e, "client_name", &self.client_name, 100);
        check_len(&mut e, "address", &self.address, 200);
        if !self.phone.trim().is_empty() && !valid_phone(&self.phone) {
            e.push(FieldError::new("phone", Invalid::Phone));
        }
        if self.received_at > now {
            e.push(FieldError::new("received_at", Invalid::Future));
        }
        check_required(&mut e, "received_by", &self.received_by, 50);
        check_required(&mut e, "cause", &self.cause, 4000);
        check_len(&mut e, "demand", &self.demand, 4000);
        if self.category == Category::FeeDeduction && self.amount.0 <= 0 {
            e.push(FieldError::new("amount", Invalid::Positive));
        }
        check_len(&mut e, "kind", &self.kind, 50);
        check_len(&mut e, "remarks", &self.remarks, 4000);
        e
    }
}

/// Who did a step and when (local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Informed {
    pub stamp: Stamp,
    /// How the client was told (phone, letter…).
    pub how: String,
}

/// 人防部's investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Investigation {
    pub stamp: Stamp,
    pub investigator: String,
    /// The responsible guard or captain.
    pub responsible: String,
    pub cause_found: String,
    pub measure: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub stamp: Stamp,
    pub text: String,
    /// Deducted from the fee or paid as compensation; 0 for none.
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub stamp: Stamp,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: u64,
    /// `TS-20261123-001`: per-day sequence, assigned by the store.
    pub number: String,
    pub draft: ComplaintDraft,
    pub status: ComplaintStatus,
    /// Fixed at registration, so a later change of the rule does not move it.
    pub due: NaiveDateTime,
    pub informed: Option<Informed>,
    pub investigation: Option<Investigation>,
    /// The manager's approval of a deduction or compensation (核决权限).
    pub approval: Option<Stamp>,
    pub resolution: Option<Resolution>,
    /// The follow-up visit (回访) and the visit record it created.
    pub follow_up: Option<(Stamp, u64)>,
    pub closed: Option<Stamp>,
    /// Disputed decisions sent up (签呈).
    pub escalations: Vec<Escalation>,
    /// When the 3-day limit was breached, recorded once it is known.
    pub breached_at: Option<NaiveDateTime>,
    pub meta: Meta,
}

pub fn complaint_number(day: NaiveDate, seq: u64) -> String {
    format!("TS-{}-{seq:03}", day.format("%Y%m%d"))
}

/// Why a step cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepRefused {
    /// The complaint must first reach this status.
    NeedsStep(ComplaintStatus),
    AlreadyDone(ComplaintStatus),
    /// A deduction or compensation waits for the manager's approval.
    NeedsApproval,
    /// Nothing to approve: no amount in question.
    NothingToApprove,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Handled,
    OnTime,
    DueSoon,
    Overdue,
}

impl Complaint {
    /// Whether resolving needs a manager's approval first.
    pub fn needs_approval(&self, amount: Fen) -> bool {
        self.draft.category == Category::FeeDeduction || amount.0 > 0
    }

    /// Check that `to` is the next step from here.
    pub fn can_move_to(&self, to: ComplaintStatus) -> Result<(), StepRefused> {
        if self.status == ComplaintStatus::Closed {
            return Err(StepRefused::Closed);
        }
        if to.index() <= self.status.index() {
            return Err(StepRefused::AlreadyDone(to));
        }
        match self.status.next() {
            Some(next) if next == to => Ok(()),
            // The missing step is the one right after where it stands.
            Some(next) => Err(StepRefused::NeedsStep(next)),
            None => Err(StepRefused::Closed),
        }
    }

    pub fn urgency(&self, now: NaiveDateTime) -> Urgency {
        if !self.status.is_open() {
            Urgency::Handled
        } else if now > self.due {
            Urgency::Overdue
        } else if self.due - now <= Duration::hours(DUE_SOON_HOURS) {
            Urgency::DueSoon
        } else {
            Urgency::OnTime
        }
    }

    /// Whole days since receipt (until resolution, once resolved).
    pub fn days_open(&self, now: NaiveDateTime) -> i64 {
        let end = self.resolution.as_ref().map(|r| r.stamp.at).unwrap_or(now);
        (end - self.draft.received_at).num_days().max(0)
    }

    /// Resolved within the limit.
    pub fn resolved_in_time(&self) -> Option<bool> {
        self.resolution.as_ref().map(|r| r.stamp.at <= self.due)
    }

    /// Record the breach once it is known: an open complaint past due, or a
    /// resolution after the due time.
    pub fn note_breach(&mut self, now: NaiveDateTime) -> bool {
        if self.breached_at.is_some() {
            return false;
        }
        let late = match &self.resolution {
            Some(r) => r.stamp.at > self.due,
            None => self.status.is_open() && now > self.due,
        };
        if late {
            self.breached_at = Some(self.due);
        }
        late
    }
}

fn dt(d: &NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

fn stamp(s: &Option<Stamp>) -> String {
    s.as_ref().map(|s| format!("{} {}", s.by, dt(&s.at))).unwrap_or_default()
}

impl Fielded for Complaint {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        let inv = self.investigation.as_ref();
        let res = self.resolution.as_ref();
        vec![
            ("number", self.number.clone()),
            ("client_id", d.client_id.to_string()),
            ("client_name", d.client_name.clone()),
            ("address", d.address.clone()),
            ("phone", d.phone.clone()),
            ("received_at", dt(&d.received_at)),
            ("received_by", d.received_by.clone()),
            ("channel", d.channel.code().into()),
            ("cause", d.cause.clone()),
            ("demand", d.demand.clone()),
            ("category", d.category.code().into()),
            ("amount", d.amount.to_string()),
            ("kind", d.kind.clone()),
            ("remarks", d.remarks.clone()),
            ("status", self.status.code().into()),
            ("due", dt(&self.due)),
            ("informed", self.informed.as_ref().map(|i| format!("{} {} {}", i.stamp.by, dt(&i.stamp.at), i.how)).unwrap_or_default()),
            ("investigator", inv.map(|i| i.investigator.clone()).unwrap_or_default()),
            ("responsible", inv.map(|i| i.responsible.clone()).unwrap_or_default()),
            ("cause_found", inv.map(|i| i.cause_found.clone()).unwrap_or_default()),
            ("measure", inv.map(|i| i.measure.clone()).unwrap_or_default()),
            ("approval", stamp(&self.approval)),
            ("resolution", res.map(|r| r.text.clone()).unwrap_or_default()),
            ("resolution_amount", res.map(|r| r.amount.to_string()).unwrap_or_default()),
            ("follow_up", self.follow_up.as_ref().map(|(s, v)| format!("{} {} visit {v}", s.by, dt(&s.at))).unwrap_or_default()),
            ("closed", stamp(&self.closed)),
            (
                "escalations",
                self.escalations.iter().map(|e| format!("{} {}: {}", e.stamp.by, dt(&e.stamp.at), e.reason)).collect::<Vec<_>>().join("; "),
            ),
            ("breached_at", self.breached_at.as_ref().map(dt).unwrap_or_default()),
        ]
    }
}
