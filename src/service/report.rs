//! The department's monthly report: complaints, visits, attendance, the
//! dorm hygiene ranking and vehicle use for one calendar month. Each part
//! is there only for roles that may read its records.

use super::complaint_stats::{self, ComplaintStats};
use super::{Result, Service};
use crate::domain::dorm::RankRow;
use crate::domain::{Client, ClientStatus, Right, Tier, Visit};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VisitPart {
    /// Return visits made in the month.
    pub visits: usize,
    /// Key clients in service (not suspended or ended).
    pub key_clients: usize,
    /// Of those, visited in the month.
    pub key_visited: usize,
    /// Key clients whose visit is overdue at the month's end (or today).
    pub key_overdue: usize,
    pub promises_made: usize,
    pub promises_kept: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AttendancePart {
    /// People with at least one shift in the month.
    pub people: usize,
    pub shifts: u32,
    pub hours: i64,
    pub lates: u32,
    pub late_minutes: u32,
    pub early_leaves: u32,
    pub absences: u32,
    pub leaves: u32,
    /// Nights someone was not back by the curfew.
    pub curfew_absences: usize,
    /// Most lates and absences first: (person, lates, absences), at most ten.
    pub worst: Vec<(String, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VehicleLine {
    pub plate: String,
    pub trips: u32,
    pub km: u32,
    /// Fen.
    pub cost: i64,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MonthReport {
    /// The month's first day.
    pub month: NaiveDate,
    pub complaints: Option<ComplaintStats>,
    pub visits: Option<VisitPart>,
    pub attendance: Option<AttendancePart>,
    /// Best room first.
    pub hygiene: Option<Vec<RankRow>>,
    pub vehicles: Option<Vec<VehicleLine>>,
}

pub fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The last day of `d`'s month.
pub fn last_of(d: NaiveDate) -> NaiveDate {
    first_of(d).checked_add_months(Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

impl Service {
    /// The report of `month`'s month for a role with `may`.
    pub fn month_report_for(&self, may: &dyn Fn(Right) -> bool, month: NaiveDate) -> Result<MonthReport> {
        let (first, last) = (first_of(month), last_of(month));
        let mut r = MonthReport { month: first, ..Default::default() };
        if may(Right::ReadComplaints) {
            let s = self.complaint_cache(|c| complaint_stats::compute(c.items(), Some(first), Some(last)))?;
            r.complaints = Some(s);
        }
        if may(Right::ReadClients) {
            r.visits = Some(self.visit_part(first, last)?);
        }
        if may(Right::ReadRosters) {
            r.attendance = Some(self.attendance_part(first, last)?);
        }
        if may(Right::DormVehicles) {
            use super::logistics::{LogisticsData, LogisticsQuery};
            if let LogisticsData::Ranking { rows, .. } = self.logistics_query(&LogisticsQuery::Ranking { month: first })? {
                r.hygiene = Some(rows);
            }
            if let LogisticsData::Month(rows) = self.logistics_query(&LogisticsQuery::Month { month: first })? {
                r.vehicles = Some(
                    rows.into_iter()
                        .map(|m| VehicleLine {
                            plate: m.vehicle.draft.plate,
                            trips: m.totals.trips,
                            km: m.totals.distance,
                            cost: m.totals.cost.0,
                            checked: m.check.is_some(),
                        })
                        .collect(),
                );
            }
        }
        Ok(r)
    }

    fn visit_part(&self, first: NaiveDate, last: NaiveDate) -> Result<VisitPart> {
        let visits: Vec<Visit> = self.store.visits_between(first, last)?;
        let visited: BTreeSet<u64> = visits.iter().map(|v| v.client_id).collect();
        // Overdue as it stood at the month's end, or today for this month.
        let at = last.min(self.clock.today()) + Days::new(1);
        let (key_clients, key_visited, key_overdue) = self.with_cache(|c| {
            let key: Vec<&Client> = c
                .items()
                .iter()
                .filter(|c| c.draft.tier == Tier::Key && !matches!(c.draft.status, ClientStatus::Suspended | ClientStatus::Ended))
                .collect();
            (key.len(), key.iter().filter(|c| visited.contains(&c.id)).count(), key.iter().filter(|c| c.visit_overdue(at)).count())
        })?;
        let promises = visits.iter().flat_map(|v| v.draft.promises.iter());
        let (made, kept) = promises.fold((0, 0), |(m, k), p| (m + 1, k + usize::from(p.done.is_some())));
        Ok(VisitPart { visits: visits.len(), key_clients, key_visited, key_overdue, promises_made: made, promises_kept: kept })
    }

    fn attendance_part(&self, first: NaiveDate, last: NaiveDate) -> Result<AttendancePart> {
        use super::duty::{DutyData, DutyQuery};
        let mut a = AttendancePart::default();
        if let DutyData::Summary(s) = self.duty_query(&DutyQuery::Summary { month: first })? {
            let mut worst = Vec::new();
            for row in &s.rows {
                let x = &row.summary;
                if x.shifts == 0 {
                    continue;
                }
                a.people += 1;
                a.shifts += x.shifts;
                a.hours += x.minutes;
                a.lates += x.lates;
                a.late_minutes += x.late_minutes;
                a.early_leaves += x.early_leaves;
                a.absences += x.absences;
                a.leaves += x.leaves;
                if x.lates + x.absences > 0 {
                    worst.push((format!("{} {}", row.number, row.name), x.lates, x.absences));
                }
            }
            a.hours = (a.hours + 30) / 60;
            worst.sort_by(|x, y| (y.2, y.1).cmp(&(x.2, x.1)).then_with(|| x.0.cmp(&y.0)));
            worst.truncate(10);
            a.worst = worst;
        }
        a.curfew_absences = self
            .inspections_between(first, last + Days::new(1))?
            .iter()
            .map(|i| i.draft.curfew.iter().filter(|c| c.status == crate::domain::dorm::Curfew::Absent).count())
            .sum();
        Ok(a)
    }
}
