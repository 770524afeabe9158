//! What changes rosters: staff and posts, assignments, attendance,
//! handovers, patrols, audits and swaps, each under the roster lock.

use super::*;
use crate::domain::*;
use crate::service::{Result, Service, ServiceError};
use crate::store::{tx::abort, Record, StoreError};
use chrono::{Days, Duration, NaiveDate, NaiveDateTime};
use plan::Plan;
use std::collections::{HashMap, HashSet};

/// Whether an audited day refuses a change: attendance (check-in/out) is
/// locked by the audit; corrections, handovers and patrols are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    Attendance,
    Open,
}

impl Service {
    /// One write at a time for rules that look across records.
    pub(in crate::service) fn roster_lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.roster_lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The time a check-in or check-out is recorded at: now by this
    /// service's clock, to the minute; a time given must be close to it.
    fn attendance_time(&self, at: Option<NaiveDateTime>) -> Result<NaiveDateTime> {
        use chrono::Timelike;
        let now = self.clock.local_now();
        let now = now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now);
        match at {
            None => Ok(now),
            Some(t) if t > now + Duration::minutes(1) => refused(DutyRefused::FutureTime),
            Some(t) if t < now - Duration::minutes(ATTENDANCE_SLACK_MINUTES) => refused(DutyRefused::NotNow { now }),
            Some(t) => Ok(t),
        }
    }

    fn check_range(&self, date: NaiveDate) -> Result<()> {
        let today = self.clock.today();
        let (from, to) = (today - Days::new(DAYS_BACK), today + Days::new(DAYS_AHEAD));
        if date < from || date > to {
            return refused(DutyRefused::OutOfRange { from, to });
        }
        Ok(())
    }

    pub fn duty_command(&self, actor: &str, cmd: DutyCommand) -> Result<DutyData> {
        let _lock = self.roster_lock();
        let result = self.duty_command_locked(actor, cmd.clone());
        // Whatever it changed, views read afresh (names, posts or gaps).
        match cmd {
            DutyCommand::SaveStaff { .. } | DutyCommand::SavePost { .. } | DutyCommand::DeletePost { .. } => self.roster_refs.forget(),
            _ => self.roster_refs.forget_gaps(),
        }
        result
    }

    fn duty_command_locked(&self, actor: &str, cmd: DutyCommand) -> Result<DutyData> {
        let now = self.clock.now();
        match cmd {
            DutyCommand::SaveStaff { id, version, draft } => {
                let draft = draft.cleaned();
                let errors = draft.validate(self.clock.today());
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                let saved = match id {
                    None => self.store.write(|tx| tx.insert_staff(actor, now, draft.clone()))?,
                    Some(id) => self.store.write(|tx| {
                        let Some(mut s) = tx.get::<Staff>(id)? else { return abort(StoreError::NotFound { kind: Staff::KIND, id }) };
                        s.meta.version = version;
                        s.draft = draft.clone();
                        tx.update(actor, now, s)
                    })?,
                };
                Ok(DutyData::OneStaff(Box::new(saved)))
            }
            DutyCommand::SavePost { id, version, draft } => self.save_post(actor, id, version, draft),
            DutyCommand::DeletePost { id, version } => self.delete_post(actor, id, version),
            DutyCommand::Assign { post_id, date, shift_key, staff_id } => {
                self.check_range(date)?;
                let mut plan = Plan::new(self)?;
                if let Err(r) = plan.assign(post_id, date, shift_key, staff_id)? {
                    return refused(r);
                }
                let pd = plan.commit(actor)?.pop().ok_or(ServiceError::NotFound)?;
                Ok(DutyData::PostDay(Box::new(pd)))
            }
            DutyCommand::Unassign { post_id, date, shift_key, staff_id } => {
                self.check_range(date)?;
                let mut plan = Plan::new(self)?;
                if let Err(r) = plan.remove(post_id, date, shift_key, staff_id)? {
                    return refused(r);
                }
                let pd = plan.commit(actor)?.pop().ok_or(ServiceError::NotFound)?;
                Ok(DutyData::PostDay(Box::new(pd)))
            }
            DutyCommand::CopyWeek { monday } => self.copy_week(actor, monday_of(monday)),
            DutyCommand::CheckIn { post_id, date, shift_key, staff_id, at } => {
                let at = self.attendance_time(at)?;
                self.with_duty(actor, post_id, date, shift_key, staff_id, false, |duty, spec, guard| {
                    if let Some(at) = duty.check_in {
                        return Err(DutyRefused::AlreadyCheckedIn { guard: guard.to_string(), at });
                    }
                    let (start, end) = spec.window(date);
                    let (from, to) = (start - Duration::hours(2), end);
                    if at < from || at > to {
                        return Err(DutyRefused::TimeOutsideShift { from, to });
                    }
                    duty.check_in = Some(at);
                    match lateness(start, at, self.duty_rules.grace_minutes) {
                        Some(m) => {
                            duty.status = Attendance::Late;
                            duty.late_minutes = m;
                        }
                        None => {
                            duty.status = Attendance::OnDuty;
                            duty.late_minutes = 0;
                        }
                    }
                    if duty.check_out.is_some_and(|o| o < at) {
                        return Err(DutyRefused::CheckOutBeforeCheckIn);
                    }
                    Ok(())
                })
            }
            DutyCommand::CheckOut { post_id, date, shift_key, staff_id, at } => {
                let at = self.attendance_time(at)?;
                self.with_duty(actor, post_id, date, shift_key, staff_id, false, |duty, spec, guard| {
                    let Some(i) = duty.check_in else { return Err(DutyRefused::NotCheckedIn { guard: guard.to_string() }) };
                    if let Some(out) = duty.check_out {
                        return Err(DutyRefused::AlreadyCheckedOut { guard: guard.to_string(), at: out });
                    }
                    if at < i {
                        return Err(DutyRefused::CheckOutBeforeCheckIn);
                    }
                    let to = spec.window(date).1 + Duration::hours(4);
                    if at > to {
                        return Err(DutyRefused::TimeOutsideShift { from: i, to });
                    }
                    duty.check_out = Some(at);
                    Ok(())
                })
            }
            DutyCommand::Correct { post_id, date, shift_key, staff_id, status, times, reason, was } => {
                let reason = crate::domain::text::clean(&reason, false);
                too_long("reason", &reason, crate::domain::limits::duty::CORRECTION_REASON)?;
                if reason.is_empty() {
                    return refused(DutyRefused::ReasonRequired);
                }
                let now = self.clock.local_now();
                self.with_duty(actor, post_id, date, shift_key, staff_id, true, |duty, spec, _| {
                    if was.as_ref().is_some_and(|w| w != duty) {
                        return Err(DutyRefused::Changed { by: String::new() });
                    }
                    // Before a shift begins it can only be planned or taken as leave.
                    let start = spec.window(date).0;
                    if start > now && !matches!(status, Attendance::Scheduled | Attendance::OnLeave) {
                        return Err(DutyRefused::NotStarted { start });
                    }
                    if let Some((check_in, check_out)) = times {
                        if let (Some(i), Some(o)) = (check_in, check_out) {
                            if o < i {
                                return Err(DutyRefused::CheckOutBeforeCheckIn);
                            }
                        }
                        let (start, end) = spec.window(date);
                        let (from, to) = (start - Duration::hours(4), end + Duration::hours(4));
                        if !check_in.into_iter().chain(check_out).all(|t| t >= from && t <= to) {
                            return Err(DutyRefused::TimeOutsideShift { from, to });
                        }
                        duty.check_in = check_in;
                        duty.check_out = check_out;
                    }
                    duty.status = status;
                    duty.late_minutes = match (status, duty.check_in) {
                        (Attendance::Late, Some(i)) => (i - spec.window(date).0).num_minutes().clamp(0, u16::MAX as i64) as u16,
                        (Attendance::Late, None) => duty.late_minutes,
                        _ => 0,
                    };
                    duty.reason = reason.clone();
                    Ok(())
                })
            }
            DutyCommand::Handover { post_id, date, shift_key, text, was } => {
                let text = crate::domain::text::clean(&text, true);
                too_long("handover", &text, crate::domain::limits::duty::HANDOVER)?;
                let now = self.clock.local_now();
                self.edit_day(actor, post_id, date, Lock::Open, |pd, post| {
                    let Some(spec) = post.shift(shift_key) else { return Err(DutyRefused::NoSuchShift) };
                    // A shift hands over what it saw: not before it begins.
                    let start = spec.window(date).0;
                    if start > now {
                        return Err(DutyRefused::NotStarted { start });
                    }
                    let sd = pd.shift_mut(shift_key);
                    if was.as_ref().is_some_and(|w| *w != sd.handover) {
                        return Err(DutyRefused::Changed { by: String::new() });
                    }
                    sd.handover = text.clone();
                    sd.handover_by = actor.to_string();
                    Ok(())
                })
            }
            DutyCommand::Patrol { post_id, date, time, checkpoints, remarks } => {
                let checkpoints = crate::domain::text::clean(&checkpoints, false);
                let remarks = crate::domain::text::clean(&remarks, false);
                let mut errors = Vec::new();
                crate::domain::validate::check_required(&mut errors, "checkpoints", &checkpoints, crate::domain::limits::duty::CHECKPOINTS);
                crate::domain::validate::check_len(&mut errors, "remarks", &remarks, crate::domain::limits::duty::PATROL_REMARKS);
                if date.and_time(time) > self.clock.local_now() + Duration::minutes(1) {
                    errors.push(crate::domain::FieldError::new("time", crate::domain::Invalid::FutureTime));
                }
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                self.edit_day(actor, post_id, date, Lock::Open, |pd, _| {
                    let round = pd.patrols.iter().map(|p| p.round).max().unwrap_or(0) + 1;
                    pd.patrols.push(crate::domain::Patrol {
                        round,
                        time,
                        checkpoints: checkpoints.clone(),
                        remarks: remarks.clone(),
                        by: actor.to_string(),
                    });
                    pd.patrols.sort_by_key(|p| (p.time, p.round));
                    Ok(())
                })
            }
            DutyCommand::MarkAudited { date } => {
                let mut days: Vec<PostDay> = self.store.postdays_on(date)?.into_iter().filter(|p| p.assignment_count() > 0).collect();
                // Only a day whose shifts are all over can be audited.
                let posts: HashMap<u64, Post> = self.store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
                let last_end = days
                    .iter()
                    .flat_map(|pd| pd.shifts.iter().filter(|s| !s.duties.is_empty()).map(move |s| (pd, s.key)))
                    .filter_map(|(pd, key)| posts.get(&pd.post_id).and_then(|p| p.shift(key)).map(|spec| spec.window(pd.date).1))
                    .max();
                if let Some(until) = last_end.filter(|e| *e > self.clock.local_now()) {
                    return refused(DutyRefused::DayNotOver { until });
                }
                for pd in &mut days {
                    pd.audited = Some(Audited { by: actor.to_string(), at: now });
                }
                let n = self.store.write(|tx| {
                    for pd in &days {
                        tx.update(actor, now, pd.clone())?;
                    }
                    Ok(days.len())
                })?;
                Ok(DutyData::Audited(n))
            }
            DutyCommand::RequestSwap { a, mut b, reason } => {
                self.swap_not_started(&a)?;
                let reason = crate::domain::text::clean(&reason, false);
                too_long("reason", &reason, crate::domain::limits::duty::SWAP_REASON)?;
                if b.post_id == 0 {
                    let found = self.store.postdays_of_staff(b.staff_id, b.date, b.date)?.into_iter().find_map(|pd| {
                        pd.shifts.iter().find(|s| s.duties.iter().any(|d| d.staff_id == b.staff_id)).map(|s| (pd.post_id, s.key))
                    });
                    let Some((post_id, shift_key)) = found else { return refused(DutyRefused::BadSwap) };
                    b.post_id = post_id;
                    b.shift_key = shift_key;
                }
                let on = |s: &SwapSide| -> Result<bool> {
                    Ok(self.store.postday_at(s.post_id, s.date)?.is_some_and(|pd| pd.guards(s.shift_key).contains(&s.staff_id)))
                };
                if a.staff_id == b.staff_id || !on(&a)? || !on(&b)? {
                    return refused(DutyRefused::BadSwap);
                }
                self.swap_not_started(&b)?;
                self.check_range(a.date)?;
                self.check_range(b.date)?;
                let req = SwapRequest {
                    id: 0,
                    a,
                    b,
                    reason: reason.chars().take(200).collect(),
                    status: SwapStatus::Pending,
                    decided_by: String::new(),
                    decided_at: None,
                    meta: Meta::new(actor, now),
                };
                Ok(DutyData::Swap(Box::new(self.store.write(|tx| tx.insert(actor, now, req.clone()))?)))
            }
            DutyCommand::DecideSwap { id, approve } => self.decide_swap(actor, id, approve),
        }
    }

    /// A swap exchanges shifts still to come: neither may have begun.
    fn swap_not_started(&self, side: &SwapSide) -> Result<()> {
        let Some(post) = self.store.get::<Post>(side.post_id)? else { return Ok(()) };
        let Some(spec) = post.shift(side.shift_key) else { return refused(DutyRefused::NoSuchShift) };
        let start = spec.window(side.date).0;
        let recorded = self.store.postday_at(side.post_id, side.date)?.is_some_and(|pd| {
            pd.shift(side.shift_key).is_some_and(|s| {
                s.duties.iter().any(|d| d.staff_id == side.staff_id && (d.check_in.is_some() || d.status != Attendance::Scheduled))
            })
        });
        if recorded || start <= self.clock.local_now() {
            return refused(DutyRefused::SwapStarted { date: side.date, shift: spec.name.clone() });
        }
        Ok(())
    }

    fn save_post(&self, actor: &str, id: Option<u64>, version: u64, draft: PostDraft) -> Result<DutyData> {
        let draft = draft.cleaned();
        let mut errors = draft.validate();
        // A post operator named here must be able to log in.
        if let Some(unknown) = draft.operators.iter().find(|a| self.store.operator_by_account(a).ok().flatten().is_none_or(|o| !o.active)) {
            errors.push(crate::domain::FieldError::new("operators", crate::domain::Invalid::UnknownAccount(unknown.clone())));
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.clock.now();
        let saved = match id {
            None => self.store.write(|tx| tx.insert_post(actor, now, draft.clone()))?,
            Some(id) => {
                let old = self.store.get::<Post>(id)?.ok_or(ServiceError::NotFound)?;
                let mut draft = draft;
                // A new shift never takes a key a shift had before: past days
                // name their shifts by key.
                let used: HashSet<u16> = old.draft.shifts.iter().chain(&old.retired).map(|s| s.key).collect();
                let mut next = used.iter().max().copied().unwrap_or(0) + 1;
                for s in &mut draft.shifts {
                    if !old.draft.shifts.iter().any(|o| o.key == s.key) && used.contains(&s.key) {
                        s.key = next;
                        next += 1;
                    }
                }
                let today = self.clock.today();
                let future = self.future_days(id, today)?;
                // A removed shift must not take planned assignments with it.
                let gone: Vec<&ShiftSpec> = old.draft.shifts.iter().filter(|s| !draft.shifts.iter().any(|n| n.key == s.key)).collect();
                for g in &gone {
                    let count = future.iter().map(|pd| pd.guards(g.key).len()).sum::<usize>();
                    if count > 0 {
                        return refused(DutyRefused::ShiftInUse { shift: g.name.clone(), count });
                    }
                }
                // New times or another brigade: the guards already planned
                // must still meet every rule.
                let changed: Vec<u16> = draft
                    .shifts
                    .iter()
                    .filter(|s| {
                        draft.brigade != old.draft.brigade || old.shift(s.key).is_some_and(|o| o.start != s.start || o.end != s.end)
                    })
                    .map(|s| s.key)
                    .collect();
                if !changed.is_empty() {
                    let mut plan = Plan::new(self)?;
                    let mut updated = old.clone();
                    updated.draft = draft.clone();
                    plan.posts.insert(id, updated);
                    for pd in future.iter().filter(|pd| pd.audited.is_none()) {
                        for sd in pd.shifts.iter().filter(|s| changed.contains(&s.key)) {
                            for d in sd.duties.iter().filter(|d| d.check_in.is_none()) {
                                if let Err(r) = plan.recheck(id, pd.date, sd.key, d.staff_id)? {
                                    return refused(r);
                                }
                            }
                        }
                    }
                }
                let retired: Vec<ShiftSpec> = gone.into_iter().cloned().collect();
                self.store.write(|tx| {
                    let Some(mut p) = tx.get::<Post>(id)? else { return abort(StoreError::NotFound { kind: Post::KIND, id }) };
                    p.meta.version = version;
                    p.draft = draft.clone();
                    // Kept so the days they were stood still read.
                    p.retired.extend(retired.iter().cloned());
                    tx.update(actor, now, p)
                })?
            }
        };
        Ok(DutyData::OnePost(Box::new(saved)))
    }

    /// A post's days from `from` on.
    fn future_days(&self, post_id: u64, from: NaiveDate) -> Result<Vec<PostDay>> {
        let start = crate::store::postday_at_key(post_id, from);
        // Everything of this post sorts before the next post's prefix.
        let end = crate::store::postday_at_prefix(post_id + 1);
        let mut out = Vec::new();
        for id in self.store.index_ids_between(&start, &end)? {
            if let Some(pd) = self.store.get::<PostDay>(id)? {
                out.push(pd);
            }
        }
        Ok(out)
    }

    /// How many assignments from today on would go with the post.
    /// The post's days from today on where nothing has happened yet: what
    /// deleting the post takes with it.
    fn plans_only(&self, post_id: u64) -> Result<Vec<PostDay>> {
        Ok(self.future_days(post_id, self.clock.today())?.into_iter().filter(|pd| !pd.has_attendance()).collect())
    }

    /// How many assignments deleting the post would take.
    pub fn post_future_assignments(&self, post_id: u64) -> Result<usize> {
        Ok(self.plans_only(post_id)?.iter().map(PostDay::assignment_count).sum())
    }

    /// The post leaves every list and its plans go; it stays in the store,
    /// closed, so the attendance already recorded at it keeps its shifts.
    fn delete_post(&self, actor: &str, id: u64, version: u64) -> Result<DutyData> {
        let now = self.clock.now();
        let today = self.clock.today();
        let plans = self.plans_only(id)?;
        let assignments = plans.iter().map(PostDay::assignment_count).sum();
        self.store.write(|tx| {
            for pd in &plans {
                tx.delete::<PostDay>(actor, now, pd.id, pd.meta.version)?;
            }
            let Some(mut post) = tx.get::<Post>(id)? else { return abort(StoreError::NotFound { kind: Post::KIND, id }) };
            post.meta.version = version;
            post.closed = Some(today);
            tx.update(actor, now, post)
        })?;
        Ok(DutyData::Deleted { assignments })
    }

    /// Change one guard's duty on a shift; an audited day takes corrections only.
    #[allow(clippy::too_many_arguments)]
    fn with_duty(
        &self,
        actor: &str,
        post_id: u64,
        date: NaiveDate,
        key: u16,
        staff_id: u64,
        correcting: bool,
        f: impl Fn(&mut Duty, &ShiftSpec, &str) -> std::result::Result<(), DutyRefused>,
    ) -> Result<DutyData> {
        let guard = self.store.get::<Staff>(staff_id)?.map(|s| s.display()).unwrap_or_default();
        let lock = if correcting { Lock::Open } else { Lock::Attendance };
        self.edit_day(actor, post_id, date, lock, |pd, post| {
            let spec = post.shift(key).ok_or(DutyRefused::NoSuchShift)?;
            let duty = pd
                .shifts
                .iter_mut()
                .find(|s| s.key == key)
                .and_then(|s| s.duties.iter_mut().find(|d| d.staff_id == staff_id))
                .ok_or_else(|| DutyRefused::NotOnShift { guard: guard.clone() })?;
            f(duty, spec, &guard)
        })
    }

    fn edit_day(
        &self,
        actor: &str,
        post_id: u64,
        date: NaiveDate,
        lock: Lock,
        f: impl Fn(&mut PostDay, &Post) -> std::result::Result<(), DutyRefused>,
    ) -> Result<DutyData> {
        let post = self.store.get::<Post>(post_id)?.ok_or(ServiceError::NotFound)?;
        let mut pd = self.store.postday_at(post_id, date)?.unwrap_or_else(|| PostDay::new(post_id, date));
        if let (Some(a), Lock::Attendance) = (&pd.audited, lock) {
            return refused(DutyRefused::Audited { by: a.by.clone() });
        }
        f(&mut pd, &post).map_err(|e| match e {
            // Who changed it: the last to save the day.
            DutyRefused::Changed { .. } => ServiceError::Duty(DutyRefused::Changed { by: pd.meta.updated_by.clone() }),
            e => ServiceError::Duty(e),
        })?;
        let now = self.clock.now();
        let saved =
            self.store.write(|tx| if pd.id == 0 { tx.insert(actor, now, pd.clone()) } else { tx.update(actor, now, pd.clone()) })?;
        Ok(DutyData::PostDay(Box::new(saved)))
    }

    fn copy_week(&self, actor: &str, monday: NaiveDate) -> Result<DutyData> {
        let mut plan = Plan::new(self)?;
        let mut report = CopyReport { copied: 0, kept: 0, not_copied: vec![] };
        // Closed posts take no plans.
        let mut posts: Vec<Post> = plan.posts.values().filter(|p| p.closed.is_none()).cloned().collect();
        posts.sort_by(|a, b| a.number.cmp(&b.number));
        for i in 0..7u64 {
            let to = monday + Days::new(i);
            let from = to - Days::new(7);
            if self.check_range(to).is_err() {
                continue;
            }
            let before: HashMap<u64, PostDay> = self.store.postdays_on(from)?.into_iter().map(|p| (p.post_id, p)).collect();
            for post in &posts {
                let Some(src) = before.get(&post.id) else { continue };
                for spec in &post.draft.shifts {
                    let guards = src.guards(spec.key);
                    if guards.is_empty() {
                        continue;
                    }
                    if !plan.day_mut(post.id, to)?.guards(spec.key).is_empty() {
                        report.kept += 1;
                        continue;
                    }
                    for g in guards {
                        match plan.assign(post.id, to, spec.key, g)? {
                            Ok(()) => report.copied += 1,
                            Err(why) => report.not_copied.push(NotCopied { date: to, post: post.display(), shift: spec.name.clone(), why }),
                        }
                    }
                }
            }
        }
        plan.commit(actor)?;
        Ok(DutyData::Copied(report))
    }

    fn decide_swap(&self, actor: &str, id: u64, approve: bool) -> Result<DutyData> {
        let now = self.clock.now();
        let mut req = self.store.get::<SwapRequest>(id)?.ok_or(ServiceError::NotFound)?;
        if req.status != SwapStatus::Pending {
            return refused(DutyRefused::SwapDecided);
        }
        req.status = if approve { SwapStatus::Approved } else { SwapStatus::Refused };
        req.decided_by = actor.to_string();
        req.decided_at = Some(now);
        let mut plan = Plan::new(self)?;
        if approve {
            let (a, b) = (req.a, req.b);
            for s in [&a, &b] {
                self.swap_not_started(s)?;
                self.check_range(s.date)?;
                if let Err(r) = plan.remove(s.post_id, s.date, s.shift_key, s.staff_id)? {
                    return refused(r);
                }
            }
            if let Err(r) = plan.assign(a.post_id, a.date, a.shift_key, b.staff_id)? {
                return refused(r);
            }
            if let Err(r) = plan.assign(b.post_id, b.date, b.shift_key, a.staff_id)? {
                return refused(r);
            }
        }
        let changed: Vec<PostDay> = plan.changed.iter().filter_map(|k| plan.days.get(k).cloned()).collect();
        let saved = self.store.write(|tx| {
            for pd in &changed {
                if pd.id == 0 {
                    tx.insert(actor, now, pd.clone())?;
                } else {
                    tx.update(actor, now, pd.clone())?;
                }
            }
            tx.update(actor, now, req.clone())
        })?;
        Ok(DutyData::Swap(Box::new(saved)))
    }
}

/// Refuse a text longer than its form field takes.
fn too_long(field: &str, text: &str, max: crate::domain::limits::Limit) -> Result<()> {
    let mut errors = Vec::new();
    crate::domain::validate::check_len(&mut errors, field, text, max);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}
