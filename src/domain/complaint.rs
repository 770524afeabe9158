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
        check_required(&mut e, "client_name", &self.client_name, super::limits::complaint::CLIENT_NAME);
        check_len(&mut e, "address", &self.address, super::limits::complaint::ADDRESS);
        if !self.phone.trim().is_empty() && !valid_phone(&self.phone) {
            e.push(FieldError::new("phone", Invalid::Phone));
        }
        if self.received_at > now {
            e.push(FieldError::new("received_at", Invalid::FutureTime));
        }
        check_required(&mut e, "received_by", &self.received_by, super::limits::complaint::RECEIVED_BY);
        check_required(&mut e, "cause", &self.cause, super::limits::complaint::CAUSE);
        check_len(&mut e, "demand", &self.demand, super::limits::complaint::DEMAND);
        if self.category == Category::FeeDeduction && self.amount.0 <= 0 {
            e.push(FieldError::new("amount", Invalid::Positive));
        }
        check_len(&mut e, "kind", &self.kind, super::limits::complaint::KIND);
        check_len(&mut e, "remarks", &self.remarks, super::limits::complaint::REMARKS);
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

/// A manager's approval, up to an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub stamp: Stamp,
    /// The most that may be deducted or paid under it.
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub stamp: Stamp,
    pub reason: String,
    /// Raised by guardroom itself when the 3-day limit passed.
    pub automatic: bool,
}

/// Who raises automatic escalations.
pub const SYSTEM: &str = "guardroom";

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
    pub approval: Option<Approval>,
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
    /// A deduction or compensation waits for the manager's approval (or
    /// is more than the approved amount).
    NeedsApproval,
    AlreadyApproved,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Handled,
    OnTime,
    DueSoon,
    Overdue,
}

impl Urgency {
    /// Until when (exclusive) `of(status, due, now)` stays what it is at
    /// `now`; `None`: for good.
    pub fn holds_until(status: ComplaintStatus, due: NaiveDateTime, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let soon = due - Duration::hours(DUE_SOON_HOURS);
        match Urgency::of(status, due, now) {
            Urgency::OnTime => Some(soon),
            Urgency::DueSoon => Some(due + Duration::nanoseconds(1)),
            Urgency::Handled | Urgency::Overdue => None,
        }
    }

    /// How pressing a complaint in `status`, due at `due`, is at `now`.
    pub fn of(status: ComplaintStatus, due: NaiveDateTime, now: NaiveDateTime) -> Urgency {
        if !status.is_open() {
            Urgency::Handled
        } else if now > due {
            Urgency::Overdue
        } else if due - now <= Duration::hours(DUE_SOON_HOURS) {
            Urgency::DueSoon
        } else {
            Urgency::OnTime
        }
    }
}

impl Complaint {
    /// A newly registered complaint: no step taken yet.
    pub fn registered(number: String, draft: ComplaintDraft, due: NaiveDateTime, meta: Meta) -> Complaint {
        Complaint {
            id: 0,
            number,
            draft,
            status: ComplaintStatus::Registered,
            due,
            informed: None,
            investigation: None,
            approval: None,
            resolution: None,
            follow_up: None,
            closed: None,
            escalations: vec![],
            breached_at: None,
            meta,
        }
    }

    /// Whether resolving with `amount` needs a manager's approval first.
    pub fn needs_approval(&self, amount: Fen) -> bool {
        self.draft.category == Category::FeeDeduction || amount.0 > 0
    }

    /// Whether the approval on record covers resolving with `amount`.
    pub fn approval_covers(&self, amount: Fen) -> bool {
        !self.needs_approval(amount) || self.approval.as_ref().is_some_and(|a| amount <= a.amount)
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
        Urgency::of(self.status, self.due, now)
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
            // Overdue complaints are flagged and escalated (DESIGN): the
            // escalation is dated when the limit passed.
            self.breached_at = Some(self.due);
            self.escalations.push(Escalation { stamp: Stamp { by: SYSTEM.into(), at: self.due }, reason: String::new(), automatic: true });
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
            ("approval", self.approval.as_ref().map(|a| format!("{} {} ¥{}", a.stamp.by, dt(&a.stamp.at), a.amount)).unwrap_or_default()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn complaint(received: &str, status: ComplaintStatus) -> Complaint {
        let draft = ComplaintDraft {
            client_id: 1,
            client_name: "华贸".into(),
            address: String::new(),
            phone: String::new(),
            received_at: t(received),
            received_by: "李娜".into(),
            channel: Channel::Phone,
            cause: "夜班睡岗".into(),
            demand: String::new(),
            category: Category::General,
            amount: Fen(0),
            kind: String::new(),
            remarks: String::new(),
        };
        let meta = Meta::new("li", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let number = complaint_number(t(received).date(), 1);
        Complaint { id: 1, status, ..Complaint::registered(number, draft, DueRule::default().due(t(received)), meta) }
    }

    #[test]
    fn due_three_calendar_days_later_across_month_and_year_ends() {
        let r = DueRule::default();
        assert_eq!(r.due(t("2026-11-29 16:30")), t("2026-12-02 16:30"));
        assert_eq!(r.due(t("2026-12-30 09:00")), t("2027-01-02 09:00"));
        assert_eq!(r.due(t("2028-02-27 08:00")), t("2028-03-01 08:00"), "leap year");
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let r = DueRule { working_days: true, holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()] };
        // Thursday 26 Nov → Fri 27, Mon 30, (Tue 1 Dec holiday), Wed 2 Dec.
        assert_eq!(r.due(t("2026-11-26 10:00")), t("2026-12-02 10:00"));
        // Received on a Saturday: Mon, Tue(holiday skipped)… → Mon 30, Wed 2, Thu 3.
        assert_eq!(r.due(t("2026-11-28 10:00")), t("2026-12-03 10:00"));
    }

    #[test]
    fn urgency_holds_until_the_next_boundary_and_changes_there() {
        let due = t("2026-11-23 10:00");
        for now in ["2026-11-20 10:00", "2026-11-23 01:59", "2026-11-23 02:00", "2026-11-23 10:00", "2026-11-23 10:01"] {
            let now = t(now);
            let u = Urgency::of(ComplaintStatus::Informed, due, now);
            match Urgency::holds_until(ComplaintStatus::Informed, due, now) {
                Some(until) => {
                    assert!(until > now);
                    assert_eq!(Urgency::of(ComplaintStatus::Informed, due, until - Duration::nanoseconds(1)), u, "{now}");
                    assert_ne!(Urgency::of(ComplaintStatus::Informed, due, until), u, "{now}");
                }
                None => assert_eq!(Urgency::of(ComplaintStatus::Informed, due, now + Duration::days(400)), u),
            }
        }
        assert_eq!(Urgency::holds_until(ComplaintStatus::Resolved, due, t("2026-11-20 10:00")), None);
    }

    #[test]
    fn urgency_at_the_boundaries() {
        let c = complaint("2026-11-20 10:00", ComplaintStatus::Informed);
        assert_eq!(c.urgency(t("2026-11-23 01:59")), Urgency::OnTime);
        assert_eq!(c.urgency(t("2026-11-23 02:00")), Urgency::DueSoon, "8 hours before due");
        assert_eq!(c.urgency(t("2026-11-23 10:00")), Urgency::DueSoon, "due exactly now is not yet late");
        assert_eq!(c.urgency(t("2026-11-23 10:01")), Urgency::Overdue);
        let done = complaint("2026-11-20 10:00", ComplaintStatus::Resolved);
        assert_eq!(done.urgency(t("2026-12-23 10:01")), Urgency::Handled);
        assert_eq!(c.days_open(t("2026-11-23 09:59")), 2);
    }

    #[test]
    fn every_transition_is_the_next_step_only() {
        let all = ComplaintStatus::ALL;
        for from in all {
            let c = complaint("2026-11-20 10:00", *from);
            for to in all {
                let r = c.can_move_to(*to);
                let expected = if *from == ComplaintStatus::Closed {
                    Err(StepRefused::Closed)
                } else if to.index() <= from.index() {
                    Err(StepRefused::AlreadyDone(*to))
                } else if to.index() == from.index() + 1 {
                    Ok(())
                } else {
                    Err(StepRefused::NeedsStep(all[from.index() + 1]))
                };
                assert_eq!(r, expected, "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn breach_is_recorded_once_at_the_due_time() {
        let mut c = complaint("2026-11-20 10:00", ComplaintStatus::Investigating);
        assert!(!c.note_breach(t("2026-11-23 10:00")));
        assert!(c.note_breach(t("2026-11-23 10:01")));
        assert_eq!(c.breached_at, Some(t("2026-11-23 10:00")));
        assert!(!c.note_breach(t("2026-11-24 10:00")), "recorded once");
        assert_eq!(c.escalations.len(), 1, "and escalated once");
        assert!(c.escalations[0].automatic);
        let mut late = complaint("2026-11-20 10:00", ComplaintStatus::Resolved);
        late.resolution =
            Some(Resolution { stamp: Stamp { by: "li".into(), at: t("2026-11-24 09:00") }, text: "x".into(), amount: Fen(0) });
        assert!(late.note_breach(t("2026-11-24 09:00")));
        assert_eq!(late.resolved_in_time(), Some(false));
    }

    #[test]
    fn register_form_rules() {
        let mut c = complaint("2026-11-20 10:00", ComplaintStatus::Registered).draft;
        c.category = Category::FeeDeduction;
        c.cause = "  ".into();
        let fields: Vec<String> = c.validate(t("2026-11-20 09:59")).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["received_at", "cause", "amount"]);
        c.amount = Fen(50_000);
        c.cause = "扣费".into();
        assert!(c.validate(t("2026-11-21 00:00")).is_empty());
    }
}
