//! Roster changes worked out in memory against every rule, then written
//! in one transaction.

use crate::domain::*;
use crate::service::{Result, Service, ServiceError};
use chrono::{Days, NaiveDate};
use std::collections::{HashMap, HashSet};

/// Roster changes worked out in memory, then written in one transaction.
pub(crate) struct Plan<'a> {
    pub(super) svc: &'a Service,
    pub(super) posts: HashMap<u64, Post>,
    pub(super) staff: HashMap<u64, Staff>,
    pub(super) days: HashMap<(u64, NaiveDate), PostDay>,
    /// Whose ±2 days are loaded into `days`.
    pub(super) loaded: HashSet<(u64, NaiveDate)>,
    /// Which loaded post-days name each person (may include days they were
    /// taken off since; `check` looks at the duties themselves).
    pub(super) staff_days: HashMap<u64, HashSet<(u64, NaiveDate)>>,
    /// Per date read so far, who stands where as stored: (post, post-day
    /// id, guards). Copying a week checks thousands of people over the same
    /// few days; each date is read once.
    day_guards: HashMap<NaiveDate, Vec<(u64, u64, Vec<u64>)>>,
    pub(super) changed: HashSet<(u64, NaiveDate)>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(svc: &'a Service) -> Result<Plan<'a>> {
        let posts = svc.store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
        Ok(Plan {
            svc,
            posts,
            staff: HashMap::new(),
            days: HashMap::new(),
            loaded: HashSet::new(),
            staff_days: HashMap::new(),
            day_guards: HashMap::new(),
            changed: HashSet::new(),
        })
    }

    pub(crate) fn posts(&self) -> impl Iterator<Item = &Post> {
        self.posts.values()
    }

    /// Change every post-day the plan will write (e.g. to add attendance).
    pub(crate) fn for_each_day(&mut self, mut f: impl FnMut(&mut PostDay, &Post)) {
        // In a fixed order: the demo's attendance is rolled in this order and
        // must come out the same on every run.
        let mut keys: Vec<(u64, NaiveDate)> = self.changed.iter().copied().collect();
        keys.sort_unstable();
        for key in &keys {
            if let (Some(pd), Some(post)) = (self.days.get_mut(key), self.posts.get(&key.0)) {
                f(pd, post);
            }
        }
    }

    /// An open post (a closed one takes no more plans).
    pub(super) fn post(&self, id: u64) -> Result<&Post> {
        self.posts.get(&id).filter(|p| p.closed.is_none()).ok_or(ServiceError::NotFound)
    }

    pub(super) fn person(&mut self, id: u64) -> Result<Staff> {
        if let Some(s) = self.staff.get(&id) {
            return Ok(s.clone());
        }
        let s = self.svc.store.get::<Staff>(id)?.ok_or(ServiceError::NotFound)?;
        self.staff.insert(id, s.clone());
        Ok(s)
    }

    /// Keep a post-day read from the store, unless one with changes is held.
    pub(super) fn add_day(&mut self, pd: PostDay) {
        let key = (pd.post_id, pd.date);
        if self.days.contains_key(&key) {
            return;
        }
        for s in pd.staff_ids() {
            self.staff_days.entry(s).or_default().insert(key);
        }
        self.days.insert(key, pd);
    }

    pub(super) fn day_mut(&mut self, post_id: u64, date: NaiveDate) -> Result<&mut PostDay> {
        if !self.days.contains_key(&(post_id, date)) {
            let pd = self.svc.store.postday_at(post_id, date)?.unwrap_or_else(|| PostDay::new(post_id, date));
            self.add_day(pd);
        }
        Ok(self.days.get_mut(&(post_id, date)).expect("inserted above"))
    }

    /// Make sure every post-day where `staff_id` stands within two days of
    /// `date` is in memory (entries already there keep their changes).
    pub(super) fn load_around(&mut self, staff_id: u64, date: NaiveDate) -> Result<()> {
        if !self.loaded.insert((staff_id, date)) {
            return Ok(());
        }
        for d in (date - Days::new(2)).iter_days().take(5) {
            if !self.day_guards.contains_key(&d) {
                let mut day = Vec::new();
                self.svc.store.each_day_guards(d, |post, id, shifts| {
                    day.push((post, id, shifts.into_iter().flat_map(|(_, guards)| guards).collect()));
                })?;
                self.day_guards.insert(d, day);
            }
            let ids: Vec<u64> = self.day_guards[&d]
                .iter()
                .filter(|(post, _, guards)| guards.contains(&staff_id) && !self.days.contains_key(&(*post, d)))
                .map(|(_, id, _)| *id)
                .collect();
            for id in ids {
                if let Some(pd) = self.svc.store.get::<PostDay>(id)? {
                    self.add_day(pd);
                }
            }
        }
        Ok(())
    }

    pub(super) fn shift_ref(&self, post_id: u64, date: NaiveDate, spec: &ShiftSpec) -> ShiftRef {
        let (start, end) = spec.window(date);
        let post = self.posts.get(&post_id).map(Post::display).unwrap_or_default();
        ShiftRef { post, shift: spec.name.clone(), date, start, end }
    }

    /// Every rule for putting `staff_id` on a shift, against what is planned so far.
    pub(super) fn check(&mut self, post_id: u64, date: NaiveDate, key: u16, staff_id: u64) -> Result<std::result::Result<(), DutyRefused>> {
        let post = self.post(post_id)?.clone();
        // Only a current shift takes people (a removed one keeps its past).
        let Some(spec) = post.draft.shifts.iter().find(|s| s.key == key).cloned() else { return Ok(Err(DutyRefused::NoSuchShift)) };
        let person = self.person(staff_id)?;
        let guard = person.display();
        if let Err(why) = person.eligibility(post.draft.brigade, date) {
            return Ok(Err(DutyRefused::Ineligible { guard, why }));
        }
        self.load_around(staff_id, date)?;
        let day = self.day_mut(post_id, date)?;
        if let Some(a) = &day.audited {
            return Ok(Err(DutyRefused::Audited { by: a.by.clone() }));
        }
        if day.guards(key).contains(&staff_id) {
            return Ok(Err(DutyRefused::AlreadyOnShift { guard }));
        }
        let mut held = Vec::new();
        let mut refs = Vec::new();
        let mine = self.staff_days.get(&staff_id).cloned().unwrap_or_default();
        for (pid, d) in &mine {
            let Some(pd) = self.days.get(&(*pid, *d)) else { continue };
            if (*d - date).num_days().abs() > 2 {
                continue;
            }
            for s in &pd.shifts {
                if !s.duties.iter().any(|x| x.staff_id == staff_id) {
                    continue;
                }
                if let Some(spec2) = self.posts.get(pid).and_then(|p| p.shift(s.key)) {
                    held.push(spec2.window(*d));
                    refs.push((*pid, *d, spec2.clone()));
                }
            }
        }
        let rules = self.svc.duty_rules;
        let planned = spec.window(date);
        Ok(match clash(planned, &held, rules.min_rest_hours) {
            None => Ok(()),
            Some((i, kind)) => {
                let (pid, d, spec2) = &refs[i];
                let other = self.shift_ref(*pid, *d, spec2);
                match kind {
                    Clash::Overlap => Err(DutyRefused::Overlap { guard, other }),
                    Clash::Rest(gap_minutes) => Err(DutyRefused::Rest { guard, other, hours: rules.min_rest_hours, gap_minutes }),
                }
            }
        })
    }

    pub(crate) fn assign(
        &mut self,
        post_id: u64,
        date: NaiveDate,
        key: u16,
        staff_id: u64,
    ) -> Result<std::result::Result<(), DutyRefused>> {
        if let Err(r) = self.check(post_id, date, key, staff_id)? {
            return Ok(Err(r));
        }
        self.day_mut(post_id, date)?.shift_mut(key).duties.push(Duty::scheduled(staff_id));
        self.staff_days.entry(staff_id).or_default().insert((post_id, date));
        self.changed.insert((post_id, date));
        Ok(Ok(()))
    }

    /// Check a guard already on a shift against the rules again (after the
    /// shift's times or the post's brigade changed).
    pub(super) fn recheck(
        &mut self,
        post_id: u64,
        date: NaiveDate,
        key: u16,
        staff_id: u64,
    ) -> Result<std::result::Result<(), DutyRefused>> {
        self.load_around(staff_id, date)?;
        let day = self.day_mut(post_id, date)?;
        let Some(sd) = day.shifts.iter_mut().find(|s| s.key == key) else { return Ok(Ok(())) };
        let Some(i) = sd.duties.iter().position(|d| d.staff_id == staff_id) else { return Ok(Ok(())) };
        let duty = sd.duties.remove(i);
        let verdict = self.check(post_id, date, key, staff_id)?;
        let day = self.day_mut(post_id, date)?;
        if let Some(sd) = day.shifts.iter_mut().find(|s| s.key == key) {
            sd.duties.insert(i.min(sd.duties.len()), duty);
        }
        Ok(verdict)
    }

    /// Take a guard off a shift (attendance already recorded stays).
    pub(super) fn remove(
        &mut self,
        post_id: u64,
        date: NaiveDate,
        key: u16,
        staff_id: u64,
    ) -> Result<std::result::Result<Duty, DutyRefused>> {
        let guard = self.person(staff_id)?.display();
        self.load_around(staff_id, date)?;
        let pd = self.day_mut(post_id, date)?;
        if let Some(a) = &pd.audited {
            return Ok(Err(DutyRefused::Audited { by: a.by.clone() }));
        }
        let Some(sd) = pd.shifts.iter_mut().find(|s| s.key == key) else {
            return Ok(Err(DutyRefused::NotOnShift { guard }));
        };
        let Some(i) = sd.duties.iter().position(|d| d.staff_id == staff_id) else {
            return Ok(Err(DutyRefused::NotOnShift { guard }));
        };
        let d = &sd.duties[i];
        if d.status != Attendance::Scheduled || d.check_in.is_some() {
            return Ok(Err(DutyRefused::AttendanceRecorded { guard }));
        }
        let duty = sd.duties.remove(i);
        self.changed.insert((post_id, date));
        Ok(Ok(duty))
    }

    /// Write every changed post-day in one transaction.
    pub(crate) fn commit(self, actor: &str) -> Result<Vec<PostDay>> {
        let now = self.svc.clock.now();
        let changed: Vec<PostDay> = self.changed.iter().filter_map(|k| self.days.get(k).cloned()).collect();
        let saved = self.svc.store.write(|tx| {
            let mut out = Vec::new();
            for pd in &changed {
                out.push(if pd.id == 0 { tx.insert(actor, now, pd.clone())? } else { tx.update(actor, now, pd.clone())? });
            }
            Ok(out)
        })?;
        Ok(saved)
    }
}
