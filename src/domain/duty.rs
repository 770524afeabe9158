//! Shift assignments (排班) and what happened on them: one record per post
//! and day holds each shift's guards with their attendance, the handover
//! note (交接班) and the patrol log (巡逻).

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::post::{Post, ShiftSpec};
use super::staff::Ineligible;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Defaults the company may change in the config.
pub const DEFAULT_MIN_REST_HOURS: u8 = 8;
pub const DEFAULT_GRACE_MINUTES: u16 = 10;

choice!(Attendance {
    Scheduled = "scheduled",
    OnDuty = "on_duty",
    Late = "late",
    Absent = "absent",
    Relieved = "relieved",
    OnLeave = "on_leave",
});

impl Attendance {
    /// Stood the shift (in part or whole).
    pub fn worked(self) -> bool {
        matches!(self, Attendance::OnDuty | Attendance::Late | Attendance::Relieved)
    }
}

/// One guard on one shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub staff_id: u64,
    pub status: Attendance,
    pub check_in: Option<NaiveDateTime>,
    pub check_out: Option<NaiveDateTime>,
    /// Minutes after the shift's start, set at check-in when beyond the grace.
    pub late_minutes: u16,
    /// Why a captain corrected the status.
    pub reason: String,
}

impl Duty {
    pub fn scheduled(staff_id: u64) -> Duty {
        Duty { staff_id, status: Attendance::Scheduled, check_in: None, check_out: None, late_minutes: 0, reason: String::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftDay {
    /// The post's `ShiftSpec::key`.
    pub key: u16,
    pub duties: Vec<Duty>,
    /// Written by this shift for the next one.
    pub handover: String,
    pub handover_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patrol {
    pub round: u16,
    pub time: NaiveTime,
    pub checkpoints: String,
    pub remarks: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audited {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Everything about one post on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDay {
    pub id: u64,
    pub post_id: u64,
    pub date: NaiveDate,
    pub shifts: Vec<ShiftDay>,
    pub patrols: Vec<Patrol>,
    /// The captain's attendance audit (考勤审核) of this day.
    pub audited: Option<Audited>,
    pub meta: Meta,
}

impl PostDay {
    pub fn new(post_id: u64, date: NaiveDate) -> PostDay {
        PostDay { id: 0, post_id, date, shifts: vec![], patrols: vec![], audited: None, meta: Meta::new("", Utc::now()) }
    }

    pub fn shift(&self, key: u16) -> Option<&ShiftDay> {
        self.shifts.iter().find(|s| s.key == key)
    }

    /// The shift's entry, made when first needed.
    pub fn shift_mut(&mut self, key: u16) -> &mut ShiftDay {
        if let Some(i) = self.shifts.iter().position(|s| s.key == key) {
            return &mut self.shifts[i];
        }
        self.shifts.push(ShiftDay { key, duties: vec![], handover: String::new(), handover_by: String::new() });
        self.shifts.sort_by_key(|s| s.key);
        let i = self.shifts.iter().position(|s| s.key == key).unwrap_or(0);
        &mut self.shifts[i]
    }

    pub fn guards(&self, key: u16) -> Vec<u64> {
        self.shift(key).map(|s| s.duties.iter().map(|d| d.staff_id).collect()).unwrap_or_default()
    }

    /// Every guard rostered this day, on any shift.
    pub fn staff_ids(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.shifts.iter().flat_map(|s| s.duties.iter().map(|d| d.staff_id)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Anything recorded beyond the plan: check-ins, statuses, notes, patrols.
    pub fn has_attendance(&self) -> bool {
        !self.patrols.is_empty()
            || self.audited.is_some()
            || self
                .shifts
                .iter()
                .any(|s| !s.handover.is_empty() || s.duties.iter().any(|d| d.check_in.is_some() || d.status != Attendance::Scheduled))
    }

    pub fn assignment_count(&self) -> usize {
        self.shifts.iter().map(|s| s.duties.len()).sum()
    }
}

impl Fielded for PostDay {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let shifts = self
            .shifts
            .iter()
            .map(|s| {
                let duties: Vec<String> = s
                    .duties
                    .iter()
                    .map(|d| {
                        let mut t = format!("{}:{}", d.staff_id, d.status.code());
                        if d.late_minutes > 0 {
                            t.push_str(&format!(" +{}min", d.late_minutes));
                        }
                        if let Some(i) = d.check_in {
                            t.push_str(&format!(" in {}", i.format("%Y-%m-%d %H:%M")));
                        }
                        if let Some(o) = d.check_out {
                            t.push_str(&format!(" out {}", o.format("%Y-%m-%d %H:%M")));
                        }
                        if !d.reason.is_empty() {
                            t.push_str(&format!(" ({})", d.reason));
                        }
                        t
                    })
                    .collect();
                format!("#{} [{}]", s.key, duties.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let handovers = self
            .shifts
            .iter()
            .filter(|s| !s.handover.is_empty())
            .map(|s| format!("#{} ({}): {}", s.key, s.handover_by, s.handover))
            .collect::<Vec<_>>()
            .join("; ");
        let patrols = self
            .patrols
            .iter()
            .map(|p| format!("{} {} {} {} ({})", p.round, p.time.format("%H:%M"), p.checkpoints, p.remarks, p.by))
            .collect::<Vec<_>>()
            .join("; ");
        vec![
            ("post", self.post_id.to_string()),
            ("date", self.date.to_string()),
            ("shifts", shifts),
            ("handover", handovers),
            ("patrols", patrols),
            ("audited", self.audited.as_ref().map(|a| format!("{} {}", a.by, a.at.format("%Y-%m-%d %H:%M"))).unwrap_or_default()),
        ]
    }
}

choice!(SwapStatus { Pending = "pending", Approved = "approved", Refused = "refused" });

/// One guard on one shift, as a swap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapSide {
    pub post_id: u64,
    pub date: NaiveDate,
    pub shift_key: u16,
    pub staff_id: u64,
}

/// Two guards exchange shifts (换班): requested, then approved or refused
/// by a captain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapRequest {
    pub id: u64,
    pub a: SwapSide,
    pub b: SwapSide,
    pub reason: String,
    pub status: SwapStatus,
    pub decided_by: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub meta: Meta,
}

impl Fielded for SwapRequest {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let side = |s: &SwapSide| format!("{} {} #{} {}", s.post_id, s.date, s.shift_key, s.staff_id);
        vec![
            ("a", side(&self.a)),
            ("b", side(&self.b)),
            ("reason", self.reason.clone()),
            ("status", self.status.code().into()),
            ("decided_by", self.decided_by.clone()),
        ]
    }
}

/// A shift a guard already stands, named in a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftRef {
    pub post: String,
    pub shift: String,
    pub date: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// Why a roster or attendance change was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DutyRefused {
    /// The guard cannot stand posts that day (leave, brigade, licence, rest day).
    Ineligible {
        guard: String,
        why: Ineligible,
    },
    /// Already on a shift that overlaps this one.
    Overlap {
        guard: String,
        other: ShiftRef,
    },
    /// Too little rest between this shift and another.
    Rest {
        guard: String,
        other: ShiftRef,
        hours: u8,
        gap_minutes: i64,
    },
    AlreadyOnShift {
        guard: String,
    },
    NotOnShift {
        guard: String,
    },
    /// Rosters cover this range of dates around today.
    OutOfRange {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// The post has no shift with this key any more.
    NoSuchShift,
    CheckOutBeforeCheckIn,
    /// Checked in already (a captain corrects a wrong time).
    AlreadyCheckedIn {
        guard: String,
        at: NaiveDateTime,
    },
    AlreadyCheckedOut {
        guard: String,
        at: NaiveDateTime,
    },
    /// Check out needs a check in first.
    NotCheckedIn {
        guard: String,
    },
    /// A time later than now.
    FutureTime,
    /// Attendance is recorded as it happens (it is now this); earlier
    /// times are a captain's correction.
    NotNow {
        now: NaiveDateTime,
    },
    /// A shift that still has assignments cannot be removed from the post.
    ShiftInUse {
        shift: String,
        count: usize,
    },
    /// A day is audited once its last shift is over (this one ends then).
    DayNotOver {
        until: NaiveDateTime,
    },
    /// Someone (this operator) saved it since it was read: nothing was
    /// overwritten.
    Changed {
        by: String,
    },
    /// A correction needs a reason.
    ReasonRequired,
    /// The day has been audited; corrections go through the audit view.
    Audited {
        by: String,
    },
    /// Attendance was recorded for this duty; it is corrected, not removed.
    AttendanceRecorded {
        guard: String,
    },
    /// A check-in or check-out time far from the shift's hours.
    TimeOutsideShift {
        from: NaiveDateTime,
        to: NaiveDateTime,
    },
    /// The shift has not begun (it begins then).
    NotStarted {
        start: NaiveDateTime,
    },
    /// The two sides of a swap must be different guards on shifts they stand.
    BadSwap,
    /// A swap exchanges shifts to come; this one has begun.
    SwapStarted {
        date: NaiveDate,
        shift: String,
    },
    /// The swap was already decided.
    SwapDecided,
}

/// Where a guard's planned shift clashes with one already held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    Overlap,
    /// Rest between the two, in minutes, is below the minimum.
    Rest(i64),
}

/// Check a planned window against the guard's other windows: never
/// overlapping, and at least `min_rest_hours` between any two.
pub fn clash(
    planned: (NaiveDateTime, NaiveDateTime),
    held: &[(NaiveDateTime, NaiveDateTime)],
    min_rest_hours: u8,
) -> Option<(usize, Clash)> {
    let rest = Duration::hours(min_rest_hours as i64);
    let (s, e) = planned;
    // Overlaps first: they are the worse problem and the one to name.
    if let Some(i) = held.iter().position(|&(s2, e2)| s < e2 && s2 < e) {
        return Some((i, Clash::Overlap));
    }
    held.iter().enumerate().find_map(|(i, &(s2, e2))| {
        let gap = if e2 <= s { s - e2 } else { s2 - e };
        (gap < rest).then_some((i, Clash::Rest(gap.num_minutes())))
    })
}

/// Minutes late for a check-in, when beyond the grace period.
pub fn lateness(shift_start: NaiveDateTime, check_in: NaiveDateTime, grace_minutes: u16) -> Option<u16> {
    let late = (check_in - shift_start).num_minutes();
    (late > grace_minutes as i64).then(|| late.min(u16::MAX as i64) as u16)
}

/// Headcount left uncovered on one shift of one day (0 when covered or over).
pub fn gap(spec: &ShiftSpec, assigned: usize) -> usize {
    (spec.headcount as usize).saturating_sub(assigned)
}

/// Uncovered headcount of a post over `days`; `assigned(date, shift key)`
/// says how many stand that shift.
pub fn gap_count(post: &Post, days: &[NaiveDate], assigned: impl Fn(NaiveDate, u16) -> usize) -> usize {
    days.iter().flat_map(|&d| post.draft.shifts.iter().map(move |s| (d, s))).map(|(d, s)| gap(s, assigned(d, s.key))).sum()
}

/// One guard's attendance over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSummary {
    pub staff_id: u64,
    /// Days with at least one shift stood.
    pub days: u32,
    /// Minutes on duty: check-in to check-out when both are known, the
    /// scheduled length otherwise.
    pub minutes: i64,
    pub lates: u32,
    pub late_minutes: u32,
    pub early_leaves: u32,
    pub absences: u32,
    pub leaves: u32,
    pub shifts: u32,
}

impl AttendanceSummary {
    /// Add one duty of `spec` on `date`.
    pub fn add(&mut self, date: NaiveDate, spec: &ShiftSpec, duty: &Duty, last_day: &mut Option<NaiveDate>) {
        self.shifts += 1;
        match duty.status {
            Attendance::Absent => self.absences += 1,
            Attendance::OnLeave => self.leaves += 1,
            Attendance::Scheduled => {}
            s if s.worked() => {
                if *last_day != Some(date) {
                    self.days += 1;
                    *last_day = Some(date);
                }
                let (start, end) = spec.window(date);
                let from = duty.check_in.unwrap_or(start);
                let to = duty.check_out.unwrap_or(end);
                self.minutes += (to - from).num_minutes().max(0);
                if duty.status == Attendance::Late || duty.late_minutes > 0 {
                    self.lates += 1;
                    self.late_minutes += duty.late_minutes as u32;
                }
                if duty.check_out.is_some_and(|o| o < end) {
                    self.early_leaves += 1;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: &str, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    fn t(h: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn overlap_and_rest_across_midnight_and_month_end() {
        // Night shift 20:00 on 30 Nov to 08:00 on 1 Dec.
        let night = (at("2026-11-30", 20, 0), at("2026-12-01", 8, 0));
        // A day shift on 1 Dec from 08:00: touching, no overlap, but no rest.
        assert_eq!(clash((at("2026-12-01", 8, 0), at("2026-12-01", 20, 0)), &[night], 8), Some((0, Clash::Rest(0))));
        // From 16:00: 8 hours of rest, allowed.
        assert_eq!(clash((at("2026-12-01", 16, 0), at("2026-12-02", 0, 0)), &[night], 8), None);
        // From 15:59: one minute short.
        assert_eq!(clash((at("2026-12-01", 15, 59), at("2026-12-01", 23, 0)), &[night], 8), Some((0, Clash::Rest(479))));
        // Overlapping early morning of 1 Dec.
        assert_eq!(clash((at("2026-12-01", 6, 0), at("2026-12-01", 12, 0)), &[night], 8), Some((0, Clash::Overlap)));
        // Rest before: a shift ending at 14:00 on 30 Nov leaves 6 hours.
        assert_eq!(clash((at("2026-11-30", 6, 0), at("2026-11-30", 14, 0)), &[night], 8), Some((0, Clash::Rest(360))));
        // Overlap is named even when an earlier shift only breaks the rest rule.
        let early = (at("2026-11-30", 8, 0), at("2026-11-30", 14, 0));
        assert_eq!(clash((at("2026-11-30", 13, 0), at("2026-11-30", 20, 0)), &[early, night], 4), Some((0, Clash::Overlap)));
        assert_eq!(clash((at("2026-11-30", 15, 0), at("2026-11-30", 19, 0)), &[early, night], 0), None);
    }

    #[test]
    fn lateness_beyond_grace() {
        let start = at("2026-11-23", 8, 0);
        assert_eq!(lateness(start, at("2026-11-23", 8, 10), 10), None);
        assert_eq!(lateness(start, at("2026-11-23", 8, 11), 10), Some(11));
        assert_eq!(lateness(start, at("2026-11-23", 7, 45), 10), None);
        // A night shift checked into after midnight.
        assert_eq!(lateness(at("2026-11-30", 23, 30), at("2026-12-01", 0, 5), 10), Some(35));
    }

    fn post(shifts: Vec<ShiftSpec>) -> Post {
        Post {
            id: 1,
            number: "GW-001".into(),
            draft: super::super::post::PostDraft { client_id: 1, site: "大门".into(), shifts, ..Default::default() },
            closed: None,
            retired: vec![],
            meta: Meta::new("op", Utc::now()),
        }
    }

    #[test]
    fn gaps_count_uncovered_headcount() {
        let p = post(vec![
            ShiftSpec { key: 1, name: "白班".into(), start: t(8), end: t(20), headcount: 2 },
            ShiftSpec { key: 2, name: "夜班".into(), start: t(20), end: t(8), headcount: 1 },
        ]);
        let d1 = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d2 = d1.succ_opt().unwrap();
        let mut pd = PostDay::new(1, d1);
        pd.shift_mut(1).duties = vec![Duty::scheduled(7), Duty::scheduled(8), Duty::scheduled(9)];
        pd.shift_mut(2).duties = vec![];
        // Day 1: day shift over by one (no gap), night shift short one; day 2: nothing.
        let assigned = |d: NaiveDate, k: u16| if d == pd.date { pd.guards(k).len() } else { 0 };
        assert_eq!(gap_count(&p, &[d1, d2], assigned), 1 + 3);
    }

    #[test]
    fn summary_counts_hours_lates_early_leaves_and_absences() {
        let day = ShiftSpec { key: 1, name: "白班".into(), start: t(8), end: t(20), headcount: 1 };
        let night = ShiftSpec { key: 2, name: "夜班".into(), start: t(20), end: t(8), headcount: 1 };
        let d1 = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut s = AttendanceSummary::default();
        let mut last = None;
        let late = Duty {
            status: Attendance::Late,
            check_in: Some(at("2026-11-29", 8, 25)),
            check_out: Some(at("2026-11-29", 19, 30)),
            late_minutes: 25,
            ..Duty::scheduled(1)
        };
        s.add(d1, &day, &late, &mut last);
        // Scheduled and never checked: the planned length counts.
        s.add(d2, &night, &Duty { status: Attendance::OnDuty, ..Duty::scheduled(1) }, &mut last);
        s.add(d2, &day, &Duty { status: Attendance::Absent, ..Duty::scheduled(1) }, &mut last);
        assert_eq!((s.days, s.shifts), (2, 3));
        assert_eq!(s.minutes, (11 * 60 + 5) + 12 * 60);
        assert_eq!((s.lates, s.late_minutes, s.early_leaves, s.absences), (1, 25, 1, 1));
    }
}
