//! Staff, posts and duty rosters: the queries and commands of the Rosters
//! tab and the guard-post screen, as two calls (`duty` reads, `duty_do`
//! writes) so a new roster operation is one variant, not one method on every
//! layer.
//!
//! Every roster write runs under one lock: a rule that looks at other
//! records (no overlapping shifts, minimum rest) is checked and written
//! without another write slipping in between.

mod cache;
mod commands;
mod plan;
mod queries;

pub use cache::{RefsCache, RosterRefs};
pub(crate) use plan::Plan;

use super::{Result, ServiceError};
use crate::domain::{
    Attendance, AttendanceSummary, Audited, Duty, DutyRefused, Post, PostDay, PostDraft, ShiftSpec, Staff, StaffDraft, SwapRequest,
    SwapSide,
};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// People in the grid whose licence runs out before the week does: the
    /// last day it is valid.
    pub licence_until: BTreeMap<u64, NaiveDate>,
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
    /// Nights the dorm check found them not back by 22:00.
    pub curfew_absences: Vec<NaiveDate>,
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
    /// People on the screen who cannot stand a shift now (leave, gone,
    /// licence run out): marked so the post calls the captain.
    pub away: std::collections::BTreeSet<u64>,
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

pub(super) fn refused<T>(r: DutyRefused) -> Result<T> {
    Err(ServiceError::Duty(r))
}
