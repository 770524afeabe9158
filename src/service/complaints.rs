//! Complaint operations: register, edit, the workflow steps, queries.

pub use super::complaint_row::{ComplaintRow, ComplaintSort};
use super::list_cache::{ListCache, Slice};
use super::{Result, Service, ServiceError};
use crate::domain::limits::{complaint as limits, Limit};
use crate::domain::{
    complaint_number, Approval, Category, Complaint, ComplaintDraft, ComplaintStatus, Escalation, Fen, FieldError, Informed, Invalid,
    Investigation, Meta, Resolution, Stamp, StepRefused, Urgency, Visit, VisitDraft, VisitMethod,
};
use crate::store::{tx::abort, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// One step of the workflow, with what the operator entered for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Inform {
        how: String,
    },
    Investigate {
        investigator: String,
        responsible: String,
        cause_found: String,
        measure: String,
    },
    /// The manager's approval of a deduction or compensation, up to `amount`.
    Approve {
        amount: Fen,
    },
    Resolve {
        text: String,
        amount: Fen,
    },
    /// The follow-up visit; it is stored as a visit on the client.
    FollowUp {
        method: VisitMethod,
        met: String,
        opinions: String,
    },
    Close,
    /// A disputed decision sent up (签呈).
    Escalate {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintQuery {
    /// Free text over number, client, cause, demand, type and responsible.
    pub text: String,
    pub status: Option<ComplaintStatus>,
    pub category: Option<Category>,
    pub client_id: Option<u64>,
    /// Received on or after / on or before these days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// One of the Overview's piles (overdue, due today, …).
    pub focus: Option<ComplaintFocus>,
    pub sort: ComplaintSort,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

impl Default for ComplaintQuery {
    fn default() -> Self {
        ComplaintQuery {
            text: String::new(),
            status: None,
            category: None,
            client_id: None,
            from: None,
            to: None,
            focus: None,
            sort: ComplaintSort::Urgency,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

/// The piles the Overview counts, as list filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintFocus {
    Overdue,
    DueToday,
    AwaitingApproval,
    AwaitingFollowUp,
}

impl ComplaintFocus {
    pub fn keeps(self, c: &ComplaintRow, now: NaiveDateTime) -> bool {
        use super::overview::{awaiting_approval, awaiting_follow_up, due_today};
        match self {
            ComplaintFocus::Overdue => c.urgency(now) == Urgency::Overdue,
            ComplaintFocus::DueToday => due_today(c, now),
            ComplaintFocus::AwaitingApproval => awaiting_approval(c),
            ComplaintFocus::AwaitingFollowUp => awaiting_follow_up(c),
        }
    }
}

/// Counts for the header line, over every complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ComplaintCounts {
    pub open: usize,
    pub overdue: usize,
    pub due_soon: usize,
    pub awaiting_approval: usize,
    pub awaiting_follow_up: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ComplaintPage {
    pub total: usize,
    pub all: usize,
    pub offset: usize,
    pub rows: Vec<Complaint>,
    pub counts: ComplaintCounts,
}

/// A complaint with its history and its follow-up visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFile {
    pub complaint: Complaint,
    pub timeline: Vec<crate::domain::AuditEntry>,
    pub visit: Option<Visit>,
}

pub type ComplaintCache = ListCache<ComplaintRow>;

/// The header counts at `now`, and until when they hold if no complaint
/// changes (the next moment one of them turns due soon or overdue).
pub fn counts(items: &[ComplaintRow], now: NaiveDateTime) -> (ComplaintCounts, Option<NaiveDateTime>) {
    use super::overview::{awaiting_approval, awaiting_follow_up};
    let mut c = ComplaintCounts::default();
    let mut until: Option<NaiveDateTime> = None;
    for x in items {
        c.open += usize::from(x.status.is_open());
        match x.urgency(now) {
            Urgency::Overdue => c.overdue += 1,
            Urgency::DueSoon => c.due_soon += 1,
            _ => {}
        }
        c.awaiting_approval += usize::from(awaiting_approval(x));
        c.awaiting_follow_up += usize::from(awaiting_follow_up(x));
        if let Some(t) = Urgency::holds_until(x.status, x.due, now) {
            until = Some(until.map_or(t, |u| u.min(t)));
        }
    }
    (c, until)
}

/// Counts made at `at` that hold until `until` unless a complaint changes
/// (`complaint_put` forgets them): every page of the complaint list needs
/// them, and counting 100,000 rows for each was most of a page's work.
pub(super) struct CountsMemo {
    at: NaiveDateTime,
    until: Option<NaiveDateTime>,
    counts: ComplaintCounts,
}

impl CountsMemo {
    fn get(memo: &std::sync::Mutex<Option<CountsMemo>>, items: &[ComplaintRow], now: NaiveDateTime) -> ComplaintCounts {
        let mut memo = memo.lock().unwrap_or_else(|p| p.into_inner());
        match memo.as_ref() {
            Some(m) if m.at <= now && m.until.is_none_or(|u| now < u) => m.counts,
            _ => {
                let (counts, until) = counts(items, now);
                *memo = Some(CountsMemo { at: now, until, counts });
                counts
            }
        }
    }
}

/// The rows of one page; its whole records are read from the store by the
/// caller.
fn query_complaints(cache: &ComplaintCache, q: &ComplaintQuery, now: NaiveDateTime) -> Slice<ComplaintRow> {
    let keep = |c: &ComplaintRow| {
        q.status.is_none_or(|s| c.status == s)
            && q.category.is_none_or(|k| c.category == k)
            && q.client_id.is_none_or(|id| c.client_id == id)
            && q.from.is_none_or(|d| c.received_at.date() >= d)
            && q.to.is_none_or(|d| c.received_at.date() <= d)
            && q.focus.is_none_or(|f| f.keeps(c, now))
    };
    let filtered =
        q.status.is_some() || q.category.is_some() || q.client_id.is_some() || q.from.is_some() || q.to.is_some() || q.focus.is_some();
    cache.query(q.sort, q.descending, &q.text, filtered.then_some(keep), q.offset, q.limit)
}

/// A step's text, checked as it will be stored (cleaned), against its form field's limit.
fn required(errors: &mut Vec<FieldError>, field: &str, value: &str, max: Limit) {
    crate::domain::validate::check_required(errors, field, &crate::domain::text::clean(value, true), max);
}

impl Service {
    pub(super) fn complaint_cache<T>(&self, f: impl FnOnce(&ComplaintCache) -> T) -> Result<T> {
        if let Ok(guard) = self.complaints.read() {
            if let Some(c) = guard.as_ref() {
                return Ok(f(c));
            }
        }
        // Read under the write lock (see `preload`): no save slips past the load.
        let mut guard = self.complaints.write().map_err(|_| ServiceError::Store("cache lock poisoned".into()))?;
        if guard.is_none() {
            *guard = Some(ListCache::from_store(&self.store)?);
        }
        Ok(f(guard.as_ref().expect("installed above")))
    }

    fn complaint_put(&self, c: &Complaint) {
        if let Ok(mut guard) = self.complaints.write() {
            if let Some(cache) = guard.as_mut() {
                cache.put(c.clone());
            }
            *self.complaint_counts.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    pub fn list_complaints(&self, q: &ComplaintQuery) -> Result<ComplaintPage> {
        let now = self.clock.local_now();
        // The counts are read under the list's lock, so no change slips
        // between counting and keeping the counts.
        let (all, slice, counts) =
            self.complaint_cache(|c| (c.len(), query_complaints(c, q, now), CountsMemo::get(&self.complaint_counts, c.items(), now)))?;
        // A complaint changed since is read as it is now.
        let mut rows = Vec::with_capacity(slice.rows.len());
        for row in &slice.rows {
            rows.extend(self.store.get::<Complaint>(row.id)?);
        }
        Ok(ComplaintPage { total: slice.total, all, offset: q.offset, rows, counts })
    }

    pub fn all_complaints(&self) -> Result<Vec<Complaint>> {
        Ok(self.store.all::<Complaint>()?)
    }

    pub fn complaint_file(&self, id: u64) -> Result<ComplaintFile> {
        let complaint = self.store.get::<Complaint>(id)?.ok_or(ServiceError::NotFound)?;
        let timeline = self.store.audit_of::<Complaint>(id)?;
        let visit = match complaint.follow_up.as_ref() {
            Some((_, vid)) => self.store.get::<Visit>(*vid)?,
            None => None,
        };
        Ok(ComplaintFile { complaint, timeline, visit })
    }

    pub fn complaints_of_client(&self, client_id: u64) -> Result<Vec<Complaint>> {
        Ok(self.store.complaints_of(client_id)?)
    }

    /// Register a complaint received at `draft.received_at`, recorded by `actor` at `at`.
    pub fn register_complaint_at(&self, actor: &str, draft: ComplaintDraft, now: NaiveDateTime) -> Result<Complaint> {
        let draft = draft.cleaned();
        let errors = draft.validate(now);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let due = self.due_rule.due(draft.received_at);
        let at = self.clock.now();
        let c = self.store.write(|tx| {
            if tx.get::<crate::domain::Client>(draft.client_id)?.is_none() {
                return abort(StoreError::NotFound { kind: "client", id: draft.client_id });
            }
            let day = draft.received_at.date();
            let seq = tx.next_seq(&format!("complaint/{}", day.format("%Y%m%d")))?;
            let mut c = Complaint::registered(complaint_number(day, seq), draft.clone(), due, Meta::new(actor, at));
            c.note_breach(now);
            tx.insert(actor, at, c)
        })?;
        self.complaint_put(&c);
        Ok(c)
    }

    pub fn register_complaint(&self, actor: &str, draft: ComplaintDraft) -> Result<Complaint> {
        self.register_complaint_at(actor, draft, self.clock.local_now())
    }

    /// Correct the register form of a complaint in place.
    pub fn edit_complaint(&self, actor: &str, id: u64, version: u64, draft: ComplaintDraft) -> Result<Complaint> {
        let draft = draft.cleaned();
        let now = self.clock.local_now();
        let mut errors = draft.validate(now);
        let c = self.store.get::<Complaint>(id)?.ok_or(ServiceError::NotFound)?;
        if let Some(r) = &c.resolution {
            if draft.received_at > r.stamp.at {
                errors.push(FieldError::new("received_at", Invalid::AfterResolution));
            }
            // What was resolved (and approved) stays as it was decided.
            if draft.amount != c.draft.amount {
                errors.push(FieldError::new("amount", Invalid::FixedAfterResolution));
            }
            if draft.category != c.draft.category {
                errors.push(FieldError::new("category", Invalid::FixedAfterResolution));
            }
        }
        // The client is fixed once handling has begun (steps and visits refer to it).
        if draft.client_id != c.draft.client_id && c.status != ComplaintStatus::Registered {
            errors.push(FieldError::new("client", Invalid::FixedAfterRegistration));
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let c = self.store.write(|tx| {
            let Some(mut c) = tx.get::<Complaint>(id)? else {
                return abort(StoreError::NotFound { kind: "complaint", id });
            };
            c.meta.version = version;
            if c.status == ComplaintStatus::Closed {
                return abort(StoreError::Refused(StepRefused::Closed));
            }
            if draft.client_id != c.draft.client_id && tx.get::<crate::domain::Client>(draft.client_id)?.is_none() {
                return abort(StoreError::NotFound { kind: "client", id: draft.client_id });
            }
            if c.draft.received_at != draft.received_at {
                c.due = self.due_rule.due(draft.received_at);
                // A corrected receipt time re-judges the limit.
                c.breached_at = None;
            }
            // An approval was for the amount and category it saw; a change voids it.
            if c.approval.is_some() && (c.draft.amount != draft.amount || c.draft.category != draft.category) {
                c.approval = None;
            }
            c.draft = draft.clone();
            c.note_breach(now);
            tx.update(actor, self.clock.now(), c)
        })?;
        self.complaint_put(&c);
        Ok(c)
    }

    /// Whether `actor` may approve deductions and compensation (核决权限).
    pub fn may_approve(&self, actor: &str) -> bool {
        self.managers.iter().any(|m| m == actor) || self.operator_for(actor).is_ok_and(|o| o.role.may(crate::domain::Right::Approve))
    }

    /// Take one workflow step on complaint `id`, last read at `version`.
    pub fn complaint_step(&self, actor: &str, id: u64, version: u64, step: Step) -> Result<Complaint> {
        let now = self.clock.local_now();
        let stamp = Stamp { by: actor.to_string(), at: now };
        if matches!(step, Step::Approve { .. }) && !self.may_approve(actor) {
            let mut managers = self.managers.clone();
            for o in self.operators()?.into_iter().filter(|o| o.active && o.role.may(crate::domain::Right::Approve)) {
                if !managers.contains(&o.account) {
                    managers.push(o.account);
                }
            }
            return Err(ServiceError::Denied { right: "approve".into(), managers });
        }
        let mut errors = Vec::new();
        match &step {
            Step::Inform { how } => required(&mut errors, "how", how, limits::HOW),
            Step::Investigate { investigator, responsible, cause_found, measure } => {
                required(&mut errors, "investigator", investigator, limits::INVESTIGATOR);
                required(&mut errors, "responsible", responsible, limits::RESPONSIBLE);
                required(&mut errors, "cause_found", cause_found, limits::CAUSE_FOUND);
                required(&mut errors, "measure", measure, limits::MEASURE);
            }
            Step::Resolve { text, amount } => {
                required(&mut errors, "resolution", text, limits::RESOLUTION);
                if amount.0 < 0 {
                    errors.push(FieldError::new("amount", Invalid::NotNegative));
                }
            }
            Step::Escalate { reason } => required(&mut errors, "reason", reason, limits::ESCALATION_REASON),
            Step::Approve { amount } => {
                if amount.0 <= 0 {
                    errors.push(FieldError::new("amount", Invalid::Positive));
                }
            }
            Step::FollowUp { met, opinions, .. } => {
                crate::domain::validate::check_len(&mut errors, "met", &crate::domain::text::clean(met, false), limits::MET);
                required(&mut errors, "opinions", opinions, limits::OPINIONS);
            }
            Step::Close => {}
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let clean = |s: &str| crate::domain::text::clean(s, true);
        let at = self.clock.now();
        let today = self.clock.today();
        let (c, client) = self.store.write(|tx| {
            let Some(mut c) = tx.get::<Complaint>(id)? else {
                return abort(StoreError::NotFound { kind: "complaint", id });
            };
            if c.meta.version != version {
                return abort(StoreError::Conflict {
                    kind: "complaint",
                    id,
                    label: format!("{} {}", c.number, c.draft.client_name),
                    by: c.meta.updated_by.clone(),
                    at: c.meta.updated_at,
                });
            }
            let refuse = |r: StepRefused| abort(StoreError::Refused(r));
            let mut client = None;
            match &step {
                Step::Inform { how } => {
                    if let Err(r) = c.can_move_to(ComplaintStatus::Informed) {
                        return refuse(r);
                    }
                    c.informed = Some(Informed { stamp: stamp.clone(), how: clean(how) });
                    c.status = ComplaintStatus::Informed;
                }
                Step::Investigate { investigator, responsible, cause_found, measure } => {
                    if let Err(r) = c.can_move_to(ComplaintStatus::Investigating) {
                        return refuse(r);
                    }
                    c.investigation = Some(Investigation {
                        stamp: stamp.clone(),
                        investigator: clean(investigator),
                        responsible: clean(responsible),
                        cause_found: clean(cause_found),
                        measure: clean(measure),
                    });
                    c.status = ComplaintStatus::Investigating;
                }
                Step::Approve { amount } => {
                    if !c.status.is_open() {
                        return refuse(StepRefused::AlreadyDone(ComplaintStatus::Resolved));
                    }
                    if c.approval.as_ref().is_some_and(|a| a.amount >= *amount) {
                        return refuse(StepRefused::AlreadyApproved);
                    }
                    c.approval = Some(Approval { stamp: stamp.clone(), amount: *amount });
                }
                Step::Resolve { text, amount } => {
                    if let Err(r) = c.can_move_to(ComplaintStatus::Resolved) {
                        return refuse(r);
                    }
                    if !c.approval_covers(*amount) {
                        return refuse(StepRefused::NeedsApproval);
                    }
                    c.resolution = Some(Resolution { stamp: stamp.clone(), text: clean(text), amount: *amount });
                    c.status = ComplaintStatus::Resolved;
                }
                Step::FollowUp { method, met, opinions } => {
                    if let Err(r) = c.can_move_to(ComplaintStatus::FollowedUp) {
                        return refuse(r);
                    }
                    let draft = VisitDraft {
                        date: today,
                        by: actor.to_string(),
                        method: *method,
                        met: crate::domain::text::clean(met, false),
                        purpose: format!("投诉回访 {}", c.number),
                        opinions: clean(opinions),
                        promises: vec![],
                    };
                    let (v, cl) = tx.insert_visit(actor, at, c.draft.client_id, draft, Some(c.id))?;
                    client = Some(cl);
                    c.follow_up = Some((stamp.clone(), v.id));
                    c.status = ComplaintStatus::FollowedUp;
                }
                Step::Close => {
                    if let Err(r) = c.can_move_to(ComplaintStatus::Closed) {
                        return refuse(r);
                    }
                    c.closed = Some(stamp.clone());
                    c.status = ComplaintStatus::Closed;
                }
                Step::Escalate { reason } => {
                    if c.status == ComplaintStatus::Closed {
                        return refuse(StepRefused::Closed);
                    }
                    c.escalations.push(Escalation { stamp: stamp.clone(), reason: clean(reason), automatic: false });
                }
            }
            c.note_breach(now);
            let c = tx.update(actor, at, c)?;
            Ok((c, client))
        })?;
        if let Some(cl) = client {
            self.cache_put(&cl);
        }
        self.complaint_put(&c);
        Ok(c)
    }
}
