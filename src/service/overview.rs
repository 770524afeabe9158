//! The Overview: what needs doing today, as counts an operator can open,
//! and a few figures of how the department is doing.
//!
//! Each line belongs to the right that acts on it, so an operator is shown
//! (and sent) only the lines its role may act on. Counts that read many
//! records wait for the background load when asked not to block (`None` =
//! still counting), so the first frame never waits for them.

use super::{ComplaintRow, Result, Service};
use crate::domain::{
    fleet::{due_state, Vehicle},
    Category, Choice, Client, ComplaintStatus, CredentialState, Right, Staff, StaffStatus, Tier, Urgency,
};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// One thing that needs doing, in the order the Overview lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Item {
    ComplaintsOverdue,
    ComplaintsDueToday,
    AwaitingApproval,
    AwaitingFollowUp,
    KeyVisitsOverdue,
    KeyVisitsDueThisWeek,
    PromisesOverdue,
    UncoveredShifts,
    CurfewAbsences,
    RoomsNotInspected,
    InsuranceDue,
    AnnualInspectionDue,
    VehicleChecksDue,
    LicencesExpiring,
    PermitsExpiring,
}

/// Where a line's records live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    Complaints,
    Clients,
    Rosters,
    Dorm,
    Vehicles,
    Staff,
}

impl Item {
    pub const ALL: [Item; 15] = [
        Item::ComplaintsOverdue,
        Item::ComplaintsDueToday,
        Item::AwaitingApproval,
        Item::AwaitingFollowUp,
        Item::KeyVisitsOverdue,
        Item::KeyVisitsDueThisWeek,
        Item::PromisesOverdue,
        Item::UncoveredShifts,
        Item::CurfewAbsences,
        Item::RoomsNotInspected,
        Item::InsuranceDue,
        Item::AnnualInspectionDue,
        Item::VehicleChecksDue,
        Item::LicencesExpiring,
        Item::PermitsExpiring,
    ];

    /// The right of those who act on the line.
    pub fn right(self) -> Right {
        use Item::*;
        match self {
            ComplaintsOverdue | ComplaintsDueToday | AwaitingFollowUp => Right::HandleComplaints,
            AwaitingApproval => Right::Approve,
            KeyVisitsOverdue | KeyVisitsDueThisWeek | PromisesOverdue => Right::EditClients,
            UncoveredShifts | LicencesExpiring | PermitsExpiring => Right::EditRosters,
            CurfewAbsences | RoomsNotInspected | InsuranceDue | AnnualInspectionDue | VehicleChecksDue => Right::DormVehicles,
        }
    }

    pub fn section(self) -> Section {
        use Item::*;
        match self {
            ComplaintsOverdue | ComplaintsDueToday | AwaitingApproval | AwaitingFollowUp => Section::Complaints,
            KeyVisitsOverdue | KeyVisitsDueThisWeek | PromisesOverdue => Section::Clients,
            UncoveredShifts => Section::Rosters,
            CurfewAbsences | RoomsNotInspected => Section::Dorm,
            InsuranceDue | AnnualInspectionDue | VehicleChecksDue => Section::Vehicles,
            LicencesExpiring | PermitsExpiring => Section::Staff,
        }
    }

    /// Lines that must never be above zero for long (red when they are).
    pub fn is_alarm(self) -> bool {
        use Item::*;
        matches!(self, ComplaintsOverdue | KeyVisitsOverdue | PromisesOverdue | UncoveredShifts | CurfewAbsences | RoomsNotInspected)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub item: Item,
    /// `None` while the lists it counts are still being read.
    pub count: Option<usize>,
}

/// `done` of `of`, e.g. follow-ups made of complaints resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rate {
    pub done: usize,
    pub of: usize,
}

impl Rate {
    /// Whole per cent, none when there was nothing to count.
    pub fn percent(self) -> Option<u32> {
        (self.of > 0).then(|| ((self.done as f64 * 100.0) / self.of as f64).round() as u32)
    }
}

/// Weeks the complaint chart covers, the current one last.
pub const CHART_WEEKS: usize = 12;
/// Days (up to yesterday) the attendance rate covers.
pub const ATTENDANCE_DAYS: u64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Overview {
    pub today: NaiveDate,
    pub lines: Vec<Line>,
    /// Complaints received per week (Monday, count), oldest first; none
    /// for roles that do not read complaints, or while still counting.
    pub complaints_per_week: Option<Vec<(NaiveDate, usize)>>,
    /// Follow-ups made of complaints resolved, over the chart's weeks.
    pub follow_up: Option<Rate>,
    /// Shifts stood of shifts due over the last 7 days.
    pub attendance: Option<Rate>,
    /// Some counts wait for the background load.
    pub counting: bool,
}

impl Overview {
    pub fn count(&self, item: Item) -> Option<usize> {
        self.lines.iter().find(|l| l.item == item).and_then(|l| l.count)
    }
}

pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// Open and due later today (one already past its due time is overdue).
pub fn due_today(c: &ComplaintRow, now: NaiveDateTime) -> bool {
    c.status.is_open() && c.urgency(now) != Urgency::Overdue && c.due.date() == now.date()
}

pub fn awaiting_approval(c: &ComplaintRow) -> bool {
    c.status.is_open() && c.category == Category::FeeDeduction && !c.approved
}

pub fn awaiting_follow_up(c: &ComplaintRow) -> bool {
    c.status == ComplaintStatus::Resolved
}

/// A key client whose next visit falls between today and Sunday.
pub fn key_visit_due_this_week(c: &Client, today: NaiveDate) -> bool {
    let sunday = monday_of(today) + Days::new(6);
    c.draft.tier == Tier::Key && c.next_visit_due().is_some_and(|d| d >= today && d <= sunday)
}

/// The night whose round is under way: the evening's date until 06:00
/// the next morning.
pub fn round_night(now: NaiveDateTime) -> NaiveDate {
    let morning = chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap_or_default();
    if now.time() < morning {
        now.date().pred_opt().unwrap_or(now.date())
    } else {
        now.date()
    }
}

/// The last night whose round is over.
pub fn last_night(now: NaiveDateTime) -> NaiveDate {
    let n = round_night(now);
    n.pred_opt().unwrap_or(n)
}

fn credential_due(c: &crate::domain::Credential, today: NaiveDate) -> bool {
    matches!(c.state(today), CredentialState::DueSoon(_) | CredentialState::Expired)
}

fn date_due(d: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(due_state(d, today), CredentialState::DueSoon(_) | CredentialState::Expired)
}

/// People still on the books (someone who left needs no licence).
fn employed(s: &Staff) -> bool {
    s.draft.status != StaffStatus::Left
}

pub fn licence_due(s: &Staff, today: NaiveDate) -> bool {
    employed(s) && credential_due(&s.draft.licence, today)
}

pub fn permit_due(s: &Staff, today: NaiveDate) -> bool {
    employed(s) && credential_due(&s.draft.permit, today)
}

pub fn insurance_due(v: &Vehicle, today: NaiveDate) -> bool {
    date_due(v.draft.insurance_due, today)
}

pub fn annual_inspection_due(v: &Vehicle, today: NaiveDate) -> bool {
    date_due(v.draft.inspection_due, today)
}

/// Open promises per visit: (client, due dates of the promises not done).
#[derive(Debug, Default)]
pub struct PromiseIndex {
    open: HashMap<u64, (u64, Vec<NaiveDate>)>,
}

impl PromiseIndex {
    pub fn put(&mut self, v: &crate::domain::Visit) {
        let due: Vec<NaiveDate> = v.draft.promises.iter().filter(|p| p.done.is_none()).map(|p| p.due).collect();
        if due.is_empty() {
            self.open.remove(&v.id);
        } else {
            self.open.insert(v.id, (v.client_id, due));
        }
    }

    pub fn overdue_count(&self, today: NaiveDate) -> usize {
        self.open.values().map(|(_, due)| due.iter().filter(|d| **d < today).count()).sum()
    }

    /// Clients with a promise past its day.
    pub fn clients_overdue(&self, today: NaiveDate) -> BTreeSet<u64> {
        self.open.values().filter(|(_, due)| due.iter().any(|d| *d < today)).map(|(c, _)| *c).collect()
    }
}

impl Service {
    /// The Overview for a role with `may`. With `wait` false, counts over
    /// the client and complaint lists are left out until they are loaded.
    pub fn overview_for(&self, may: &dyn Fn(Right) -> bool, wait: bool) -> Result<Overview> {
        let today = self.clock.today();
        let now = self.clock.local_now();
        let shown: Vec<Item> = Item::ALL.into_iter().filter(|i| may(i.right())).collect();
        let wants = |s: Section| shown.iter().any(|i| i.section() == s);
        let mut counts: HashMap<Item, usize> = HashMap::new();
        let lists_ready = wait || self.lists_loaded();

        let mut complaints_per_week = None;
        let mut follow_up = None;
        let charts_complaints = may(Right::ReadComplaints);
        if (wants(Section::Complaints) || charts_complaints) && lists_ready {
            let first_week = monday_of(today) - Days::new(7 * (CHART_WEEKS as u64 - 1));
            let (c, weeks, rate) = self.complaint_cache(|cache| {
                let mut c = [0usize; 4];
                let mut weeks = vec![0usize; CHART_WEEKS];
                let mut rate = Rate::default();
                for x in cache.items() {
                    c[0] += usize::from(x.urgency(now) == Urgency::Overdue);
                    c[1] += usize::from(due_today(x, now));
                    c[2] += usize::from(awaiting_approval(x));
                    c[3] += usize::from(awaiting_follow_up(x));
                    let day = x.received_at.date();
                    if day >= first_week && day <= today {
                        weeks[((day - first_week).num_days() / 7) as usize] += 1;
                        if x.status.index() >= ComplaintStatus::Resolved.index() {
                            rate.of += 1;
                            rate.done += usize::from(x.followed_up);
                        }
                    }
                }
                (c, weeks, rate)
            })?;
            for (item, n) in
                [Item::ComplaintsOverdue, Item::ComplaintsDueToday, Item::AwaitingApproval, Item::AwaitingFollowUp].into_iter().zip(c)
            {
                counts.insert(item, n);
            }
            if charts_complaints {
                complaints_per_week = Some((0..CHART_WEEKS).map(|i| (first_week + Days::new(7 * i as u64), weeks[i])).collect());
                follow_up = Some(rate);
            }
        }
        if wants(Section::Clients) && lists_ready {
            let (overdue, this_week) = self.with_cache(|cache| {
                let items = cache.items();
                (
                    items.iter().filter(|c| c.key_visit_overdue(today)).count(),
                    items.iter().filter(|c| key_visit_due_this_week(c, today)).count(),
                )
            })?;
            counts.insert(Item::KeyVisitsOverdue, overdue);
            counts.insert(Item::KeyVisitsDueThisWeek, this_week);
            counts.insert(Item::PromisesOverdue, self.with_promises(|p| p.overdue_count(today))?);
        }
        // The roster, staff and dorm counts read thousands of records too:
        // they wait for the background load with the lists.
        if wants(Section::Rosters) && lists_ready {
            counts.insert(Item::UncoveredShifts, self.uncovered_next_7()?);
        }
        if wants(Section::Staff) && lists_ready {
            let staff = self.store.all::<Staff>()?;
            counts.insert(Item::LicencesExpiring, staff.iter().filter(|s| licence_due(s, today)).count());
            counts.insert(Item::PermitsExpiring, staff.iter().filter(|s| permit_due(s, today)).count());
        }
        if wants(Section::Dorm) && lists_ready {
            let (absent, pending) = self.night_counts(last_night(now))?;
            counts.insert(Item::CurfewAbsences, absent);
            counts.insert(Item::RoomsNotInspected, pending);
        }
        if wants(Section::Vehicles) {
            let vehicles = self.store.all::<Vehicle>()?;
            counts.insert(Item::InsuranceDue, vehicles.iter().filter(|v| insurance_due(v, today)).count());
            counts.insert(Item::AnnualInspectionDue, vehicles.iter().filter(|v| annual_inspection_due(v, today)).count());
            counts.insert(Item::VehicleChecksDue, self.vehicles_without_check(&vehicles, today)?);
        }
        let charts_attendance = may(Right::ReadRosters);
        let attendance = if charts_attendance && lists_ready { Some(self.attendance_rate(today)?) } else { None };
        let lines: Vec<Line> = shown.iter().map(|i| Line { item: *i, count: counts.get(i).copied() }).collect();
        let counting = lines.iter().any(|l| l.count.is_none())
            || (charts_complaints && complaints_per_week.is_none())
            || (charts_attendance && attendance.is_none());
        Ok(Overview { today, lines, complaints_per_week, follow_up, attendance, counting })
    }

    /// Shifts stood of shifts due over the last days (leave excluded; a
    /// shift past with nobody checked in counts as not stood).
    fn attendance_rate(&self, today: NaiveDate) -> Result<Rate> {
        use crate::domain::Attendance;
        let mut rate = Rate::default();
        for back in 1..=ATTENDANCE_DAYS {
            let Some(day) = today.checked_sub_days(Days::new(back)) else { continue };
            for pd in self.store.postdays_on(day)? {
                for duty in pd.shifts.iter().flat_map(|s| s.duties.iter()) {
                    match duty.status {
                        Attendance::OnLeave => {}
                        s => {
                            rate.of += 1;
                            rate.done += usize::from(s.worked());
                        }
                    }
                }
            }
        }
        Ok(rate)
    }

    /// Vehicles with no routine check yet this month.
    fn vehicles_without_check(&self, vehicles: &[Vehicle], today: NaiveDate) -> Result<usize> {
        let mut due = 0;
        for v in vehicles {
            due += usize::from(!self.has_check(v.id, today)?);
        }
        Ok(due)
    }

    /// Clients with a promise past its day (loads the visits once).
    pub fn clients_with_overdue_promises(&self) -> Result<BTreeSet<u64>> {
        let today = self.clock.today();
        self.with_promises(|p| p.clients_overdue(today))
    }

    pub(super) fn with_promises<T>(&self, f: impl FnOnce(&PromiseIndex) -> T) -> Result<T> {
        if let Ok(guard) = self.promises.read() {
            if let Some(p) = guard.as_ref() {
                return Ok(f(p));
            }
        }
        // Read under the write lock: a visit saved meanwhile waits, then lands.
        let mut guard = self.promises.write().map_err(|_| super::ServiceError::Store("cache lock poisoned".into()))?;
        if guard.is_none() {
            let mut index = PromiseIndex::default();
            for v in self.store.visits_with_open_promises()? {
                index.put(&v);
            }
            *guard = Some(index);
        }
        Ok(f(guard.as_ref().expect("installed above")))
    }

    /// Keep the open promises in step with a committed visit.
    pub(super) fn promise_put(&self, v: &crate::domain::Visit) {
        if let Ok(mut guard) = self.promises.write() {
            if let Some(p) = guard.as_mut() {
                p.put(v);
            }
        }
    }

    fn lists_loaded(&self) -> bool {
        let clients = self.cache.read().map(|g| g.is_some()).unwrap_or(false);
        let complaints = self.complaints.read().map(|g| g.is_some()).unwrap_or(false);
        let promises = self.promises.read().map(|g| g.is_some()).unwrap_or(false);
        clients && complaints && promises
    }
}
