//! What the roster views read: the week grid, pick lists, a post's screen,
//! a day's attendance, a guard's month, the monthly summary, swaps.

use super::*;
use crate::domain::*;
use crate::service::{Result, Service, ServiceError};
use chrono::{Days, Duration, NaiveDate, NaiveDateTime};
use plan::Plan;
use std::collections::{BTreeMap, HashMap, HashSet};

impl Service {
    pub fn duty_query(&self, q: &DutyQuery) -> Result<DutyData> {
        Ok(match q {
            DutyQuery::Staff => {
                let mut v = self.store.all::<Staff>()?;
                v.sort_by(|a, b| a.number.cmp(&b.number));
                DutyData::Staff(v)
            }
            DutyQuery::Posts | DutyQuery::MyPosts => {
                let mut names: HashMap<u64, String> = HashMap::new();
                let rows = self
                    .posts_sorted()?
                    .into_iter()
                    .map(|post| {
                        let client_name =
                            names.entry(post.draft.client_id).or_insert_with(|| self.client_name(post.draft.client_id)).clone();
                        PostRow { post, client_name }
                    })
                    .collect();
                DutyData::Posts(rows)
            }
            DutyQuery::Week { monday } => DutyData::Week(Box::new(self.week(monday_of(*monday))?)),
            DutyQuery::Eligible { post_id, date, shift_key } => DutyData::Candidates(self.eligible(*post_id, *date, *shift_key)?),
            DutyQuery::GuardMonth { staff_id, month } => DutyData::GuardMonth(Box::new(self.guard_month(*staff_id, *month)?)),
            DutyQuery::PostScreen { post_id, at } => DutyData::PostScreen(Box::new(self.post_screen(*post_id, *at)?)),
            DutyQuery::Day { date } => DutyData::Day(Box::new(self.day_view(*date)?)),
            DutyQuery::Summary { month } => DutyData::Summary(Box::new(self.month_summary(*month)?)),
            DutyQuery::Swaps => DutyData::Swaps(self.swap_rows()?),
            DutyQuery::FutureAssignments { post_id } => DutyData::Count(self.post_future_assignments(*post_id)?),
            DutyQuery::FutureShiftsOf { staff_id } => {
                let today = self.clock.today();
                let days = self.store.postdays_of_staff(*staff_id, today, today + Days::new(DAYS_AHEAD))?;
                let n =
                    days.iter().flat_map(|pd| pd.shifts.iter()).flat_map(|s| s.duties.iter()).filter(|d| d.staff_id == *staff_id).count();
                DutyData::Count(n)
            }
        })
    }

    /// Guards per (post, date, shift) for `dates`, from the date index:
    /// the days are read side by side.
    fn guards_on(&self, dates: &[NaiveDate]) -> Result<HashMap<(u64, NaiveDate, u16), Vec<u64>>> {
        let days: Vec<Result<Vec<(u64, crate::store::ShiftGuards)>>> = std::thread::scope(|s| {
            let handles: Vec<_> =
                dates.iter().map(|d| s.spawn(move || self.store.shift_guards_on(*d).map_err(ServiceError::from))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(ServiceError::Store("a reader thread failed".into())))).collect()
        });
        let mut out = HashMap::new();
        for (date, day) in dates.iter().zip(days) {
            for (post_id, shifts) in day? {
                for (key, guards) in shifts {
                    out.insert((post_id, *date, key), guards);
                }
            }
        }
        Ok(out)
    }

    fn week(&self, monday: NaiveDate) -> Result<RosterWeek> {
        let refs = self.refs()?;
        let dates: Vec<NaiveDate> = (0..7).map(|i| monday + Days::new(i)).collect();
        let guards = self.guards_on(&dates)?;
        let mut rows = Vec::new();
        let mut people = HashSet::new();
        let mut assignments = 0;
        for p in &refs.posts {
            let client_name = refs.clients.get(&p.draft.client_id).cloned().unwrap_or_default();
            for spec in &p.draft.shifts {
                let mut days: [Vec<u64>; 7] = Default::default();
                for (i, d) in dates.iter().enumerate() {
                    if let Some(g) = guards.get(&(p.id, *d, spec.key)) {
                        days[i] = g.clone();
                        assignments += g.len();
                        people.extend(g.iter().copied());
                    }
                }
                rows.push(WeekRow { post_id: p.id, post: p.display(), client_name: client_name.clone(), shift: spec.clone(), days });
            }
        }
        let gaps_next_7 = self.gaps_next_7(&refs.posts)?;
        let unavailable = people.iter().copied().filter(|id| refs.unavailable.contains(id)).collect();
        let licence_until =
            people.iter().filter_map(|id| refs.licence_until.get(id).filter(|e| **e < monday + Days::new(6)).map(|e| (*id, *e))).collect();
        let names = people.into_iter().filter_map(|id| refs.names.get(&id).map(|n| (id, n.clone()))).collect();
        Ok(RosterWeek { monday, rows, names, gaps_next_7, assignments, unavailable, licence_until })
    }

    /// Uncovered places from today over the next 7 days (the Overview's line).
    pub(crate) fn uncovered_next_7(&self) -> Result<usize> {
        let refs = self.refs()?;
        self.gaps_next_7(&refs.posts)
    }

    /// Uncovered headcount from today over 7 days, kept until the next
    /// roster change or a new day.
    fn gaps_next_7(&self, posts: &[Post]) -> Result<usize> {
        use std::sync::atomic::Ordering;
        let today = self.clock.today();
        if let Some((day, n)) = self.roster_refs.gaps.lock().ok().and_then(|g| *g) {
            if day == today {
                return Ok(n);
            }
        }
        let generation = self.roster_refs.gaps_generation.load(Ordering::SeqCst);
        let next: Vec<NaiveDate> = (0..7).map(|i| today + Days::new(i)).collect();
        let guards = self.guards_on(&next)?;
        let refs = self.refs()?;
        let present = |g: &Vec<u64>, d: NaiveDate| g.iter().filter(|id| !refs.away(**id, d, today)).count();
        let n = posts
            .iter()
            .map(|p| crate::domain::gap_count(p, &next, |d, key| guards.get(&(p.id, d, key)).map_or(0, |g| present(g, d))))
            .sum();
        if let Ok(mut g) = self.roster_refs.gaps.lock() {
            // Not if a roster change came in while this was counted.
            if self.roster_refs.gaps_generation.load(Ordering::SeqCst) == generation {
                *g = Some((today, n));
            }
        }
        Ok(n)
    }

    fn eligible(&self, post_id: u64, date: NaiveDate, key: u16) -> Result<Candidates> {
        let mut plan = Plan::new(self)?;
        let post = plan.post(post_id)?.clone();
        let on_shift = self.store.postday_at(post_id, date)?.map(|pd| pd.guards(key)).unwrap_or_default();
        // Everyone rostered near the date, read once instead of per person.
        for d in 0..5 {
            let day = date - Days::new(2) + Days::new(d);
            for pd in self.store.postdays_on(day)? {
                plan.add_day(pd);
            }
        }
        let monday = monday_of(date);
        let mut week_count: HashMap<u64, u32> = HashMap::new();
        for d in 0..7 {
            for pd in self.store.postdays_on(monday + Days::new(d))? {
                for s in &pd.shifts {
                    for duty in &s.duties {
                        *week_count.entry(duty.staff_id).or_default() += 1;
                    }
                }
            }
        }
        let mut eligible = Vec::new();
        let mut assigned = Vec::new();
        let mut blocked = Vec::new();
        for s in self.store.all::<Staff>()? {
            let c = Candidate { staff_id: s.id, label: s.display(), week_shifts: week_count.get(&s.id).copied().unwrap_or(0) };
            if on_shift.contains(&s.id) {
                assigned.push(c);
                continue;
            }
            if s.draft.brigade != post.draft.brigade || s.draft.status == crate::domain::StaffStatus::Left {
                continue;
            }
            // Everyone rostered near the date is in the plan already.
            plan.loaded.insert((s.id, date));
            plan.staff.insert(s.id, s.clone());
            match plan.check(post_id, date, key, s.id)? {
                Ok(()) => eligible.push(c),
                Err(why) => blocked.push((c, why)),
            }
        }
        eligible.sort_by(|a, b| a.week_shifts.cmp(&b.week_shifts).then(a.label.cmp(&b.label)));
        Ok(Candidates { eligible, assigned, blocked })
    }

    fn guard_month(&self, staff_id: u64, month: NaiveDate) -> Result<GuardMonth> {
        let staff = self.store.get::<Staff>(staff_id)?.ok_or(ServiceError::NotFound)?;
        let (first, last) = month_bounds(month);
        let posts: HashMap<u64, Post> = self.store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
        let mut shifts = Vec::new();
        for pd in self.store.postdays_of_staff(staff_id, first, last)? {
            let Some(post) = posts.get(&pd.post_id) else { continue };
            for s in &pd.shifts {
                let (Some(spec), Some(duty)) = (post.shift(s.key), s.duties.iter().find(|d| d.staff_id == staff_id)) else { continue };
                shifts.push(GuardShift { date: pd.date, post: post.display(), shift: spec.clone(), duty: duty.clone() });
            }
        }
        shifts.sort_by_key(|g| g.shift.window(g.date).0);
        let mut summary = AttendanceSummary { staff_id, ..Default::default() };
        let mut last_day = None;
        for g in &shifts {
            summary.add(g.date, &g.shift, &g.duty, &mut last_day);
        }
        // The dorm's curfew absences belong on the guard's record too.
        let curfew_absences = self
            .inspections_between(first, last + Days::new(1))?
            .iter()
            .filter(|i| i.draft.curfew.iter().any(|c| c.staff_id == staff_id && c.status == crate::domain::dorm::Curfew::Absent))
            .map(|i| i.draft.night)
            .collect();
        Ok(GuardMonth { staff, first, shifts, summary, curfew_absences })
    }

    /// The post's shifts on a day, with a shift since removed when that day
    /// still has people on it.
    fn slots_of(&self, post: &Post, pd: Option<&PostDay>, date: NaiveDate) -> Vec<ShiftSlot> {
        let retired_here = post.retired.iter().filter(|r| pd.is_some_and(|p| !p.guards(r.key).is_empty()));
        post.draft
            .shifts
            .iter()
            .chain(retired_here)
            .map(|spec| {
                let sd = pd.and_then(|p| p.shift(spec.key));
                ShiftSlot {
                    post_id: post.id,
                    post: post.display(),
                    date,
                    shift: spec.clone(),
                    duties: sd.map(|s| s.duties.clone()).unwrap_or_default(),
                    handover: sd.map(|s| s.handover.clone()).unwrap_or_default(),
                    handover_by: sd.map(|s| s.handover_by.clone()).unwrap_or_default(),
                }
            })
            .collect()
    }

    fn post_screen(&self, post_id: u64, at: NaiveDateTime) -> Result<PostScreen> {
        let post = self.store.get::<Post>(post_id)?.ok_or(ServiceError::NotFound)?;
        let today = at.date();
        let mut slots = Vec::new();
        let mut patrols = Vec::new();
        for d in [today - Days::new(1), today, today + Days::new(1)] {
            let pd = self.store.postday_at(post_id, d)?;
            if d == today {
                patrols = pd.as_ref().map(|p| p.patrols.clone()).unwrap_or_default();
            }
            slots.extend(self.slots_of(&post, pd.as_ref(), d));
        }
        slots.sort_by_key(|s| s.window().0);
        // The shift on now; between shifts, the next to start.
        let current =
            slots.iter().position(|s| s.window().0 <= at && at < s.window().1).or_else(|| slots.iter().position(|s| s.window().0 > at));
        let names = self.names_of(slots.iter().flat_map(|s| s.duties.iter().map(|d| d.staff_id)))?;
        let client_name = self.client_name(post.draft.client_id);
        let refs = self.refs()?;
        let away = slots
            .iter()
            .flat_map(|s| s.duties.iter().map(move |d| (d.staff_id, s.date)))
            .filter(|(id, d)| refs.away(*id, *d, today))
            .map(|(id, _)| id)
            .collect();
        Ok(PostScreen { post, client_name, slots, current, patrols, names, away, today, grace_minutes: self.duty_rules.grace_minutes })
    }

    fn day_view(&self, date: NaiveDate) -> Result<DayView> {
        let pds: HashMap<u64, PostDay> = self.store.postdays_on(date)?.into_iter().map(|p| (p.post_id, p)).collect();
        let mut slots = Vec::new();
        // Open posts, and a closed one where that day has people to audit.
        let mut posts: Vec<Post> = self
            .store
            .all::<Post>()?
            .into_iter()
            .filter(|p| p.closed.is_none() || pds.get(&p.id).is_some_and(|d| d.assignment_count() > 0))
            .collect();
        posts.sort_by(|a, b| a.number.cmp(&b.number));
        for post in &posts {
            slots.extend(self.slots_of(post, pds.get(&post.id), date));
        }
        let names = self.names_of(slots.iter().flat_map(|s| s.duties.iter().map(|d| d.staff_id)))?;
        let with_duties: Vec<&PostDay> = pds.values().filter(|p| p.assignment_count() > 0).collect();
        let audited = if !with_duties.is_empty() && with_duties.iter().all(|p| p.audited.is_some()) {
            with_duties.iter().filter_map(|p| p.audited.clone()).max_by_key(|a| a.at)
        } else {
            None
        };
        Ok(DayView { date, slots, names, audited })
    }

    fn month_summary(&self, month: NaiveDate) -> Result<MonthSummary> {
        let (first, last) = month_bounds(month);
        let posts: HashMap<u64, Post> = self.store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
        let mut per: BTreeMap<u64, (AttendanceSummary, Option<NaiveDate>)> = BTreeMap::new();
        let mut d = first;
        while d <= last {
            for pd in self.store.postdays_on(d)? {
                let Some(post) = posts.get(&pd.post_id) else { continue };
                for s in &pd.shifts {
                    let Some(spec) = post.shift(s.key) else { continue };
                    for duty in &s.duties {
                        let e = per
                            .entry(duty.staff_id)
                            .or_insert_with(|| (AttendanceSummary { staff_id: duty.staff_id, ..Default::default() }, None));
                        e.0.add(d, spec, duty, &mut e.1);
                    }
                }
            }
            d += Duration::days(1);
        }
        let staff: HashMap<u64, Staff> = self.store.all::<Staff>()?.into_iter().map(|s| (s.id, s)).collect();
        let mut rows: Vec<SummaryRow> = per
            .into_iter()
            .map(|(id, (summary, _))| {
                let s = staff.get(&id);
                SummaryRow {
                    staff_id: id,
                    number: s.map(|s| s.number.clone()).unwrap_or_default(),
                    name: s.map(|s| s.draft.name.clone()).unwrap_or_default(),
                    summary,
                }
            })
            .collect();
        rows.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(MonthSummary { first, rows })
    }

    fn side_text(&self, s: &SwapSide) -> Result<String> {
        let who = self.store.get::<Staff>(s.staff_id)?.map(|x| x.display()).unwrap_or_default();
        let post = self.store.get::<Post>(s.post_id)?;
        let shift = post.as_ref().and_then(|p| p.shift(s.shift_key)).map(|x| x.name.clone()).unwrap_or_default();
        // The day first: on a narrow screen it is what must not be cut.
        Ok(format!("{} {shift} · {who} · {}", s.date.format("%m-%d"), post.map(|p| p.display()).unwrap_or_default()))
    }

    fn swap_rows(&self) -> Result<Vec<SwapRow>> {
        let mut v = self.store.all::<SwapRequest>()?;
        v.sort_by_key(|s| (s.status != SwapStatus::Pending, std::cmp::Reverse(s.id)));
        v.into_iter().map(|swap| Ok(SwapRow { a: self.side_text(&swap.a)?, b: self.side_text(&swap.b)?, swap })).collect()
    }
}
