//! Staff, posts and duty rosters: the queries and commands of the Rosters
//! tab and the guard-post screen, as two calls (`duty` reads, `duty_do`
//! writes) so a new roster operation is one variant, not one method on every
//! layer.
//!
//! Every roster write runs under one lock: a rule that looks at other
//! records (no overlapping shifts, minimum rest) is checked and written
//! without another write slipping in between.

use super::{Result, Service, ServiceError};
use crate::domain::{
    clash, lateness, Attendance, AttendanceSummary, Audited, Clash, Duty, DutyRefused, Meta, Post, PostDay, PostDraft, ShiftRef, ShiftSpec,
    Staff, StaffDraft, SwapRequest, SwapSide, SwapStatus,
};
use crate::store::{tx::abort, Record, StoreError};
use chrono::{Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Roster rules the company sets (config `[rosters]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyRules {
    pub min_rest_hours: u8,
    pub grace_minutes: u16,
}

impl Default for DutyRules {
    fn default() -> Self {
        DutyRules { min_rest_hours: crate::domain::DEFAULT_MIN_REST_HOURS, grace_minutes: crate::domain::DEFAULT_GRACE_MINUTES }
    }
}

/// Whether an audited day refuses a change: attendance (check-in/out) is
/// locked by the audit; corrections, handovers and patrols are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    Attendance,
    Open,
}

/// A check-in or check-out given a time may be this far behind the clock
/// (a terminal's clock a little off, a form open a moment).
pub const ATTENDANCE_SLACK_MINUTES: i64 = 15;

/// Rosters may be changed this far back (late corrections) and ahead.
pub const DAYS_BACK: u64 = 31;
pub const DAYS_AHEAD: u64 = 92;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DutyQuery {
    /// Every person, in number order.
    Staff,
    /// Every post with its client's name, in number order.
    Posts,
    /// The grid of the week starting `monday` (any day is moved back to its Monday).
    Week { monday: NaiveDate },
    /// Who may stand this shift: eligible and free of clashes, best first.
    Eligible { post_id: u64, date: NaiveDate, shift_key: u16 },
    /// One person's shifts over the month of `month`, with totals.
    GuardMonth { staff_id: u64, month: NaiveDate },
    /// A post's screen around `at` (yesterday, today and tomorrow).
    PostScreen { post_id: u64, at: NaiveDateTime },
    /// Every shift of a day with scheduled and actual attendance.
    Day { date: NaiveDate },
    /// Attendance per person over the month of `month`.
    Summary { month: NaiveDate },
    /// Swap requests, pending first.
    Swaps,
    /// Posts a post operator works (every post for other roles).
    MyPosts,
    /// Assignments from today on that deleting the post would take.
    FutureAssignments { post_id: u64 },
    /// Shifts a person is rostered on from today on.
    FutureShiftsOf { staff_id: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DutyCommand {
    SaveStaff {
        id: Option<u64>,
        version: u64,
        draft: StaffDraft,
    },
    SavePost {
        id: Option<u64>,
        version: u64,
        draft: PostDraft,
    },
    /// Deletes the post and its future assignments; past days stay.
    DeletePost {
        id: u64,
        version: u64,
    },
    Assign {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        staff_id: u64,
    },
    Unassign {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        staff_id: u64,
    },
    /// Fill empty cells of the week from the week before.
    CopyWeek {
        monday: NaiveDate,
    },
    /// `at`: none means now by the service's clock (what the post screen
    /// sends); a time given must be within minutes of now. Attendance is
    /// recorded as it happens; a late entry is a captain's correction.
    CheckIn {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        staff_id: u64,
        at: Option<NaiveDateTime>,
    },
    CheckOut {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        staff_id: u64,
        at: Option<NaiveDateTime>,
    },
    Handover {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        text: String,
        /// The note as the operator found it: if someone changed it since,
        /// the save is refused rather than overwriting theirs.
        was: Option<String>,
    },
    Patrol {
        post_id: u64,
        date: NaiveDate,
        time: NaiveTime,
        checkpoints: String,
        remarks: String,
    },
    /// A captain's correction of one guard's attendance, with the reason.
    Correct {
        post_id: u64,
        date: NaiveDate,
        shift_key: u16,
        staff_id: u64,
        status: Attendance,
        /// New check-in and check-out times; `None` leaves them as they are.
        times: Option<(Option<NaiveDateTime>, Option<NaiveDateTime>)>,
        reason: String,
        /// The duty as the captain found it (refused if it changed since).
        was: Option<Duty>,
    },
    MarkAudited {
        date: NaiveDate,
    },
    /// `b` may name only a guard and a day (post 0): the guard's shift that day.
    RequestSwap {
        a: SwapSide,
        b: SwapSide,
        reason: String,
    },
    DecideSwap {
        id: u64,
        approve: bool,
    },
}

impl DutyCommand {
    /// The right the command needs.
    pub fn right(&self) -> crate::domain::Right {
        use crate::domain::Right;
        match self {
            DutyCommand::CheckIn { .. } | DutyCommand::CheckOut { .. } | DutyCommand::Handover { .. } | DutyCommand::Patrol { .. } => {
                Right::WorkPost
            }
            DutyCommand::Correct { .. } | DutyCommand::MarkAudited { .. } | DutyCommand::DecideSwap { .. } => Right::AuditAttendance,
            _ => Right::EditRosters,
        }
    }

    /// The post a post-screen command acts on.
    pub fn post_worked(&self) -> Option<u64> {
        match self {
            DutyCommand::CheckIn { post_id, .. }
            | DutyCommand::CheckOut { post_id, .. }
            | DutyCommand::Handover { post_id, .. }
            | DutyCommand::Patrol { post_id, .. } => Some(*post_id),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRow {
    pub post: Post,
    pub client_name: String,
}

/// One row of the roster grid: a post's shift over seven days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRow {
    pub post_id: u64,
    pub post: String,
    pub client_name: String,
    pub shift: ShiftSpec,
    /// Guards of each day, Monday first.
    pub days: [Vec<u64>; 7],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterWeek {
    pub monday: NaiveDate,
    pub rows: Vec<WeekRow>,
    /// Short names of the people in the grid.
    pub names: BTreeMap<u64, String>,
    /// Uncovered headcount from today over the next 7 days (a place held
    /// by someone on leave or gone counts as uncovered).
    pub gaps_next_7: usize,
    /// People in the grid who are on leave or have left.
    pub unavailable: std::collections::BTreeSet<u64>,
    /// Assignments in the week shown.
    pub assignments: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub staff_id: u64,
    pub label: String,
    /// Shifts already held in the week of the date (fewer first).
    pub week_shifts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidates {
    pub eligible: Vec<Candidate>,
    /// Already on the shift (Enter on one removes it).
    pub assigned: Vec<Candidate>,
    /// The rest of the post's brigade, with the rule that keeps each off.
    pub blocked: Vec<(Candidate, DutyRefused)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardShift {
    pub date: NaiveDate,
    pub post: String,
    pub shift: ShiftSpec,
    pub duty: Duty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardMonth {
    pub staff: Staff,
    pub first: NaiveDate,
    pub shifts: Vec<GuardShift>,
    pub summary: AttendanceSummary,
}

/// One shift of one post on one day, with its people, for the post screen
/// and the audit view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftSlot {
    pub post_id: u64,
    pub post: String,
    pub date: NaiveDate,
    pub shift: ShiftSpec,
    pub duties: Vec<Duty>,
    pub handover: String,
    pub handover_by: String,
}

impl ShiftSlot {
    pub fn window(&self) -> (NaiveDateTime, NaiveDateTime) {
        self.shift.window(self.date)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostScreen {
    pub post: Post,
    pub client_name: String,
    /// Shifts from yesterday to tomorrow in time order.
    pub slots: Vec<ShiftSlot>,
    /// Index into `slots`: the shift on now (or the one starting next).
    pub current: Option<usize>,
    /// Today's patrol rounds.
    pub patrols: Vec<crate::domain::Patrol>,
    pub names: BTreeMap<u64, String>,
    pub today: NaiveDate,
    pub grace_minutes: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayView {
    pub date: NaiveDate,
    pub slots: Vec<ShiftSlot>,
    pub names: BTreeMap<u64, String>,
    /// Who audited the day (every post-day audited).
    pub audited: Option<Audited>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub staff_id: u64,
    pub number: String,
    pub name: String,
    pub summary: AttendanceSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSummary {
    pub first: NaiveDate,
    pub rows: Vec<SummaryRow>,
}

/// An assignment copy-week could not make, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCopied {
    pub date: NaiveDate,
    pub post: String,
    pub shift: String,
    pub why: DutyRefused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyReport {
    pub copied: usize,
    /// Cells that already had guards and were left as they were.
    pub kept: usize,
    pub not_copied: Vec<NotCopied>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapRow {
    pub swap: SwapRequest,
    /// "RY-0003 王伟 · GW-002 大门 白班 2026-11-24" for each side.
    pub a: String,
    pub b: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DutyData {
    Staff(Vec<Staff>),
    OneStaff(Box<Staff>),
    Posts(Vec<PostRow>),
    OnePost(Box<Post>),
    Week(Box<RosterWeek>),
    Candidates(Candidates),
    GuardMonth(Box<GuardMonth>),
    PostScreen(Box<PostScreen>),
    Day(Box<DayView>),
    Summary(Box<MonthSummary>),
    Swaps(Vec<SwapRow>),
    Swap(Box<SwapRequest>),
    PostDay(Box<PostDay>),
    Copied(CopyReport),
    /// A post was deleted with this many future assignments.
    Deleted {
        assignments: usize,
    },
    /// Post-days marked audited.
    Audited(usize),
    Count(usize),
}

/// Typed shortcuts over `Api::duty` for the UI.
macro_rules! typed_query {
    ($name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty, $q:expr, $pat:pat => $val:expr) => {
        pub fn $name(api: &dyn super::Api, $($arg: $ty),*) -> Result<$out> {
            match api.duty(&$q)? {
                $pat => Ok($val),
                other => Err(ServiceError::Store(format!("unexpected reply {:?}", std::mem::discriminant(&other)))),
            }
        }
    };
}

typed_query!(staff(  ) -> Vec<Staff>, DutyQuery::Staff, DutyData::Staff(v) => v);
typed_query!(posts(  ) -> Vec<PostRow>, DutyQuery::Posts, DutyData::Posts(v) => v);
typed_query!(my_posts(  ) -> Vec<PostRow>, DutyQuery::MyPosts, DutyData::Posts(v) => v);
typed_query!(week(monday: NaiveDate) -> RosterWeek, DutyQuery::Week { monday }, DutyData::Week(v) => *v);
typed_query!(eligible(post_id: u64, date: NaiveDate, shift_key: u16) -> Candidates, DutyQuery::Eligible { post_id, date, shift_key }, DutyData::Candidates(v) => v);
typed_query!(guard_month(staff_id: u64, month: NaiveDate) -> GuardMonth, DutyQuery::GuardMonth { staff_id, month }, DutyData::GuardMonth(v) => *v);
typed_query!(post_screen(post_id: u64, at: NaiveDateTime) -> PostScreen, DutyQuery::PostScreen { post_id, at }, DutyData::PostScreen(v) => *v);
typed_query!(day(date: NaiveDate) -> DayView, DutyQuery::Day { date }, DutyData::Day(v) => *v);
typed_query!(summary(month: NaiveDate) -> MonthSummary, DutyQuery::Summary { month }, DutyData::Summary(v) => *v);
typed_query!(swaps(  ) -> Vec<SwapRow>, DutyQuery::Swaps, DutyData::Swaps(v) => v);
typed_query!(future_assignments(post_id: u64) -> usize, DutyQuery::FutureAssignments { post_id }, DutyData::Count(n) => n);
typed_query!(future_shifts_of(staff_id: u64) -> usize, DutyQuery::FutureShiftsOf { staff_id }, DutyData::Count(n) => n);

pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

pub fn month_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).unwrap_or(d);
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

/// What every roster view looks up: posts in number order, their clients'
/// names and people's names. Read once, kept until staff, posts or clients
/// change; the next 7 days' gap count is kept until any roster change.
pub struct RosterRefs {
    pub posts: Vec<Post>,
    pub clients: HashMap<u64, String>,
    pub names: HashMap<u64, String>,
    /// People on leave or gone: their places count as gaps.
    pub unavailable: HashSet<u64>,
}

#[derive(Default)]
pub struct RefsCache {
    refs: std::sync::RwLock<Option<std::sync::Arc<RosterRefs>>>,
    gaps: std::sync::Mutex<Option<(NaiveDate, usize)>>,
    /// Bumped by every forget, so a read that began before a change does
    /// not keep what it read.
    generation: std::sync::atomic::AtomicU64,
    gaps_generation: std::sync::atomic::AtomicU64,
}

impl RefsCache {
    /// A client was saved: the views change only if its name did.
    pub fn client_saved(&self, id: u64, name: &str) {
        let stale = self.refs.read().ok().and_then(|r| r.as_ref().map(|r| r.clients.get(&id).is_some_and(|n| n != name))).unwrap_or(false);
        if stale {
            self.forget();
        }
    }

    pub fn forget(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut r) = self.refs.write() {
            *r = None;
        }
        self.forget_gaps();
    }

    pub fn forget_gaps(&self) {
        self.gaps_generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut g) = self.gaps.lock() {
            *g = None;
        }
    }
}

fn short_name(s: &Staff) -> String {
    s.draft.name.clone()
}

/// Roster changes worked out in memory, then written in one transaction.
pub(super) struct Plan<'a> {
    svc: &'a Service,
    posts: HashMap<u64, Post>,
    staff: HashMap<u64, Staff>,
    days: HashMap<(u64, NaiveDate), PostDay>,
    /// Whose ±2 days are loaded into `days`.
    loaded: HashSet<(u64, NaiveDate)>,
    /// Which loaded post-days name each person (may include days they were
    /// taken off since; `check` looks at the duties themselves).
    staff_days: HashMap<u64, HashSet<(u64, NaiveDate)>>,
    changed: HashSet<(u64, NaiveDate)>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(svc: &'a Service) -> Result<Plan<'a>> {
        let posts = svc.store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
        Ok(Plan {
            svc,
            posts,
            staff: HashMap::new(),
            days: HashMap::new(),
            loaded: HashSet::new(),
            staff_days: HashMap::new(),
            changed: HashSet::new(),
        })
    }

    pub(super) fn posts(&self) -> impl Iterator<Item = &Post> {
        self.posts.values()
    }

    /// Change every post-day the plan will write (e.g. to add attendance).
    pub(super) fn for_each_day(&mut self, mut f: impl FnMut(&mut PostDay, &Post)) {
        for key in &self.changed {
            if let (Some(pd), Some(post)) = (self.days.get_mut(key), self.posts.get(&key.0)) {
                f(pd, post);
            }
        }
    }

    /// An open post (a closed one takes no more plans).
    fn post(&self, id: u64) -> Result<&Post> {
        self.posts.get(&id).filter(|p| p.closed.is_none()).ok_or(ServiceError::NotFound)
    }

    fn person(&mut self, id: u64) -> Result<Staff> {
        if let Some(s) = self.staff.get(&id) {
            return Ok(s.clone());
        }
        let s = self.svc.store.get::<Staff>(id)?.ok_or(ServiceError::NotFound)?;
        self.staff.insert(id, s.clone());
        Ok(s)
    }

    /// Keep a post-day read from the store, unless one with changes is held.
    fn add_day(&mut self, pd: PostDay) {
        let key = (pd.post_id, pd.date);
        if self.days.contains_key(&key) {
            return;
        }
        for s in pd.staff_ids() {
            self.staff_days.entry(s).or_default().insert(key);
        }
        self.days.insert(key, pd);
    }

    fn day_mut(&mut self, post_id: u64, date: NaiveDate) -> Result<&mut PostDay> {
        if !self.days.contains_key(&(post_id, date)) {
            let pd = self.svc.store.postday_at(post_id, date)?.unwrap_or_else(|| PostDay::new(post_id, date));
            self.add_day(pd);
        }
        Ok(self.days.get_mut(&(post_id, date)).expect("inserted above"))
    }

    /// Make sure every post-day where `staff_id` stands within two days of
    /// `date` is in memory (entries already there keep their changes).
    fn load_around(&mut self, staff_id: u64, date: NaiveDate) -> Result<()> {
        if !self.loaded.insert((staff_id, date)) {
            return Ok(());
        }
        let from = date - Days::new(2);
        let to = date + Days::new(2);
        for pd in self.svc.store.postdays_of_staff(staff_id, from, to)? {
            self.add_day(pd);
        }
        Ok(())
    }

    fn shift_ref(&self, post_id: u64, date: NaiveDate, spec: &ShiftSpec) -> ShiftRef {
        let (start, end) = spec.window(date);
        let post = self.posts.get(&post_id).map(Post::display).unwrap_or_default();
        ShiftRef { post, shift: spec.name.clone(), date, start, end }
    }

    /// Every rule for putting `staff_id` on a shift, against what is planned so far.
    fn check(&mut self, post_id: u64, date: NaiveDate, key: u16, staff_id: u64) -> Result<std::result::Result<(), DutyRefused>> {
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

    pub(super) fn assign(
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
    fn recheck(&mut self, post_id: u64, date: NaiveDate, key: u16, staff_id: u64) -> Result<std::result::Result<(), DutyRefused>> {
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
    fn remove(&mut self, post_id: u64, date: NaiveDate, key: u16, staff_id: u64) -> Result<std::result::Result<Duty, DutyRefused>> {
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
    pub(super) fn commit(self, actor: &str) -> Result<Vec<PostDay>> {
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

fn refused<T>(r: DutyRefused) -> Result<T> {
    Err(ServiceError::Duty(r))
}

impl Service {
    /// After writing rosters straight to the store (demo, generator).
    pub(crate) fn forget_roster_refs(&self) {
        self.roster_refs.forget();
    }

    fn roster_lock(&self) -> std::sync::MutexGuard<'_, ()> {
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

    /// Posts, client names and people's names, read once until they change.
    fn refs(&self) -> Result<std::sync::Arc<RosterRefs>> {
        use std::sync::atomic::Ordering;
        if let Some(r) = self.roster_refs.refs.read().ok().and_then(|g| g.clone()) {
            return Ok(r);
        }
        let generation = self.roster_refs.generation.load(Ordering::SeqCst);
        let mut posts: Vec<Post> = self.store.all::<Post>()?.into_iter().filter(|p| p.closed.is_none()).collect();
        posts.sort_by(|a, b| a.number.cmp(&b.number));
        let mut clients = HashMap::new();
        for p in &posts {
            if let std::collections::hash_map::Entry::Vacant(e) = clients.entry(p.draft.client_id) {
                e.insert(self.store.get::<crate::domain::Client>(p.draft.client_id)?.map(|c| c.draft.name).unwrap_or_default());
            }
        }
        let staff = self.store.all::<Staff>()?;
        let names = staff.iter().map(|s| (s.id, short_name(s))).collect();
        let unavailable = staff.iter().filter(|s| s.draft.status != crate::domain::StaffStatus::Active).map(|s| s.id).collect();
        let refs = std::sync::Arc::new(RosterRefs { posts, clients, names, unavailable });
        if let Ok(mut g) = self.roster_refs.refs.write() {
            if self.roster_refs.generation.load(Ordering::SeqCst) == generation {
                *g = Some(refs.clone());
            }
        }
        Ok(refs)
    }

    pub(crate) fn warm_roster_refs(&self) -> Result<()> {
        self.refs().map(|_| ())
    }

    fn names_of(&self, ids: impl IntoIterator<Item = u64>) -> Result<BTreeMap<u64, String>> {
        let refs = self.refs()?;
        Ok(ids.into_iter().filter_map(|id| refs.names.get(&id).map(|n| (id, n.clone()))).collect())
    }

    fn client_name(&self, client_id: u64) -> String {
        self.refs().ok().and_then(|r| r.clients.get(&client_id).cloned()).unwrap_or_default()
    }

    fn posts_sorted(&self) -> Result<Vec<Post>> {
        Ok(self.refs()?.posts.clone())
    }

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
        let names = people.into_iter().filter_map(|id| refs.names.get(&id).map(|n| (id, n.clone()))).collect();
        Ok(RosterWeek { monday, rows, names, gaps_next_7, assignments, unavailable })
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
        let present = |g: &Vec<u64>| g.iter().filter(|id| !refs.unavailable.contains(id)).count();
        let n = posts.iter().map(|p| crate::domain::gap_count(p, &next, |d, key| guards.get(&(p.id, d, key)).map_or(0, present))).sum();
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
        Ok(GuardMonth { staff, first, shifts, summary })
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
        Ok(PostScreen { post, client_name, slots, current, patrols, names, today, grace_minutes: self.duty_rules.grace_minutes })
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
        Ok(format!("{who} · {} {shift} {}", post.map(|p| p.display()).unwrap_or_default(), s.date))
    }

    fn swap_rows(&self) -> Result<Vec<SwapRow>> {
        let mut v = self.store.all::<SwapRequest>()?;
        v.sort_by_key(|s| (s.status != SwapStatus::Pending, std::cmp::Reverse(s.id)));
        v.into_iter().map(|swap| Ok(SwapRow { a: self.side_text(&swap.a)?, b: self.side_text(&swap.b)?, swap })).collect()
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
                    duty.reason = reason.chars().take(200).collect();
                    Ok(())
                })
            }
            DutyCommand::Handover { post_id, date, shift_key, text, was } => {
                let text = crate::domain::text::clean(&text, true);
                if text.chars().count() > 2000 {
                    return Err(ServiceError::Invalid(vec![crate::domain::FieldError::new(
                        "handover",
                        crate::domain::Invalid::TooLong { max: 2000 },
                    )]));
                }
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
                crate::domain::validate::check_required(&mut errors, "checkpoints", &checkpoints, 200);
                crate::domain::validate::check_len(&mut errors, "remarks", &remarks, 200);
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
        let errors = draft.validate();
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
