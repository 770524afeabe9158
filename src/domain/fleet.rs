//! Company vehicles (车辆管理): who may drive (only holders of the company
//! driving permit 准驾证), the trip log with mileage and expenses (出车记录),
//! the monthly routine check (例行检查) and accident reports.

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::money::Fen;
use super::staff::{CredentialState, Staff};
use super::validate::{check_len, check_required, FieldError, Invalid};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Insurance and annual inspection are flagged this many days ahead.
pub const DUE_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleDraft {
    /// 沪A·12345.
    pub plate: String,
    pub model: String,
    pub seats: u8,
    /// Kilometres, as the last trip left it.
    pub odometer: u32,
    pub insurance_due: Option<NaiveDate>,
    pub inspection_due: Option<NaiveDate>,
    /// Staff ids of the designated drivers (专人驾车).
    pub drivers: Vec<u64>,
    pub notes: String,
}

impl VehicleDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        // One spelling per plate: capitals, no spaces, the dot after the
        // province and letter (沪A·12345).
        let compact: String =
            clean(&self.plate, false).to_uppercase().chars().filter(|c| !c.is_whitespace() && *c != '·' && *c != '.').collect();
        let mut chars = compact.chars();
        self.plate = match (chars.next(), chars.next()) {
            (Some(p), Some(l)) if !p.is_ascii() => format!("{p}{l}·{}", chars.as_str()),
            _ => compact,
        };
        self.model = clean(&self.model, false);
        self.notes = clean(&self.notes, true);
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        // Counted as typed: the dot `cleaned` puts after the province is not the user's.
        check_required(&mut e, "plate", &self.plate.replace('·', ""), super::limits::fleet::PLATE);
        // A province, a letter, then five or six letters and digits.
        let mut chars = self.plate.chars();
        let ok = matches!((chars.next(), chars.next(), chars.next()), (Some(p), Some(l), Some('·')) if !p.is_ascii() && l.is_ascii_uppercase())
            && (5..=6).contains(&chars.clone().count())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '挂' || c == '学' || c == '警');
        if !self.plate.trim().is_empty() && !ok {
            e.push(FieldError::new("plate", Invalid::Plate));
        }
        check_len(&mut e, "model", &self.model, super::limits::fleet::MODEL);
        if !(1..=60).contains(&self.seats) {
            e.push(FieldError::new("seats", Invalid::Range { min: 1, max: 60 }));
        }
        check_len(&mut e, "notes", &self.notes, super::limits::fleet::NOTES);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: u64,
    pub draft: VehicleDraft,
    pub meta: Meta,
}

/// Where a due date stands: fine, due within 30 days (days left), overdue.
pub fn due_state(due: Option<NaiveDate>, today: NaiveDate) -> CredentialState {
    match due {
        None => CredentialState::Missing,
        Some(d) if d < today => CredentialState::Expired,
        Some(d) if (d - today).num_days() <= DUE_WARNING_DAYS => CredentialState::DueSoon((d - today).num_days()),
        Some(_) => CredentialState::Valid,
    }
}

impl Vehicle {
    /// Insurance or annual inspection due within 30 days or overdue.
    pub fn needs_attention(&self, today: NaiveDate) -> bool {
        [self.draft.insurance_due, self.draft.inspection_due]
            .iter()
            .any(|d| matches!(due_state(*d, today), CredentialState::DueSoon(_) | CredentialState::Expired))
    }
}

/// Why someone may not drive on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MayNotDrive {
    NoPermit,
    /// The permit expired on this day.
    PermitExpired(NaiveDate),
}

/// Only holders of a valid company driving permit drive (3.4.1–3.4.2).
pub fn may_drive(driver: &Staff, on: NaiveDate) -> Result<(), MayNotDrive> {
    let p = &driver.draft.permit;
    match p.state(on) {
        CredentialState::Missing => Err(MayNotDrive::NoPermit),
        CredentialState::Expired => Err(MayNotDrive::PermitExpired(p.expires.unwrap_or(on))),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripDraft {
    pub vehicle_id: u64,
    pub date: NaiveDate,
    pub driver_id: u64,
    pub purpose: String,
    pub start_km: u32,
    pub end_km: u32,
    pub fuel: Fen,
    pub toll: Fen,
    pub parking: Fen,
    pub other: Fen,
    /// Receipts handed in (票据), as noted.
    pub receipts: String,
}

impl TripDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.purpose = clean(&self.purpose, false);
        self.receipts = clean(&self.receipts, false);
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "purpose", &self.purpose, super::limits::fleet::TRIP_PURPOSE);
        if self.end_km < self.start_km {
            e.push(FieldError::new("end_km", Invalid::OdometerBackwards));
        }
        for (field, v) in [("fuel", self.fuel), ("toll", self.toll), ("parking", self.parking), ("other", self.other)] {
            if v.0 < 0 {
                e.push(FieldError::new(field, Invalid::NotNegative));
            }
        }
        check_len(&mut e, "receipts", &self.receipts, super::limits::fleet::RECEIPTS);
        e
    }

    pub fn distance(&self) -> u32 {
        self.end_km.saturating_sub(self.start_km)
    }

    pub fn cost(&self) -> Fen {
        Fen(self.fuel.0 + self.toll.0 + self.parking.0 + self.other.0)
    }
}

/// How a trip's start meets the last trip's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Continuity {
    Continues,
    /// Kilometres no trip accounts for.
    Gap(u32),
    /// Kilometres counted twice.
    Overlap(u32),
}

pub fn continuity(previous_end: Option<u32>, start: u32) -> Continuity {
    match previous_end {
        None => Continuity::Continues,
        Some(p) if start > p => Continuity::Gap(start - p),
        Some(p) if start < p => Continuity::Overlap(p - start),
        Some(_) => Continuity::Continues,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trip {
    pub id: u64,
    pub draft: TripDraft,
    /// Set when it was saved: a gap or overlap is for someone to review.
    pub continuity: Continuity,
    pub meta: Meta,
}

/// One vehicle's month for reimbursement (报销).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleMonth {
    pub trips: u32,
    pub distance: u32,
    pub cost: Fen,
}

impl VehicleMonth {
    pub fn add(&mut self, t: &TripDraft) {
        self.trips += 1;
        self.distance += t.distance();
        self.cost = Fen(self.cost.0 + t.cost().0);
    }

    /// Cost per kilometre in fen, rounded (none for no distance).
    pub fn per_km(&self) -> Option<Fen> {
        (self.distance > 0).then(|| Fen((self.cost.0 + self.distance as i64 / 2) / self.distance as i64))
    }
}

choice!(
    /// The routine check's items (3.4.6), in the order they are checked.
    CheckItem {
        Brakes = "brakes",
        Lights = "lights",
        Tyres = "tyres",
        Fluids = "fluids",
        Documents = "documents",
        Cleanliness = "cleanliness",
        Extinguisher = "extinguisher",
        FirstAid = "first_aid",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    pub item: CheckItem,
    pub pass: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleCheckDraft {
    pub vehicle_id: u64,
    /// The month checked (its first day).
    pub month: NaiveDate,
    pub inspector: String,
    pub lines: Vec<CheckLine>,
    /// Defects to repair.
    pub defects: String,
    pub repaired: Option<NaiveDate>,
}

impl VehicleCheckDraft {
    pub fn passed(&self) -> bool {
        self.lines.iter().all(|l| l.pass)
    }

    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.month = self.month.with_day(1).unwrap_or(self.month);
        self.inspector = clean(&self.inspector, false);
        self.defects = clean(&self.defects, true);
        for l in &mut self.lines {
            l.note = clean(&l.note, false);
        }
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "inspector", &self.inspector, super::limits::fleet::INSPECTOR);
        for item in CheckItem::ALL {
            if !self.lines.iter().any(|l| l.item == *item) {
                e.push(FieldError::new(item.code(), Invalid::Required));
            }
        }
        // A failed item says what is wrong, for the repair.
        if !self.passed() && self.defects.trim().is_empty() {
            e.push(FieldError::new("defects", Invalid::Required));
        }
        if self.repaired.is_some_and(|r| r < self.month) {
            e.push(FieldError::new("repaired", Invalid::BeforeCheck));
        }
        for l in &self.lines {
            // The form's note fields are numbered in checklist order.
            let k = CheckItem::ALL.iter().position(|i| *i == l.item).unwrap_or(0);
            check_len(&mut e, &format!("note{k}"), &l.note, super::limits::fleet::CHECK_NOTE);
        }
        check_len(&mut e, "defects", &self.defects, super::limits::fleet::DEFECTS);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleCheck {
    pub id: u64,
    pub draft: VehicleCheckDraft,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccidentDraft {
    pub vehicle_id: u64,
    pub driver_id: u64,
    pub at: NaiveDateTime,
    pub place: String,
    pub description: String,
    pub injuries: String,
    /// Reported to 人防部 (at once, by the handbook).
    pub reported_at: Option<NaiveDateTime>,
}

impl AccidentDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.place = clean(&self.place, false);
        self.description = clean(&self.description, true);
        self.injuries = clean(&self.injuries, false);
        self
    }

    pub fn validate(&self, now: NaiveDateTime) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.at > now {
            e.push(FieldError::new("at", Invalid::FutureTime));
        }
        check_required(&mut e, "place", &self.place, super::limits::fleet::PLACE);
        check_required(&mut e, "description", &self.description, super::limits::fleet::DESCRIPTION);
        check_len(&mut e, "injuries", &self.injuries, super::limits::fleet::INJURIES);
        if self.reported_at.is_some_and(|r| r < self.at) {
            e.push(FieldError::new("reported_at", Invalid::ReportedBeforeAccident));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accident {
    pub id: u64,
    pub draft: AccidentDraft,
    pub meta: Meta,
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl Fielded for Vehicle {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("plate", d.plate.clone()),
            ("model", d.model.clone()),
            ("seats", d.seats.to_string()),
            ("odometer", d.odometer.to_string()),
            ("insurance_due", date_text(d.insurance_due)),
            ("inspection_due", date_text(d.inspection_due)),
            ("drivers", d.drivers.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
            ("notes", d.notes.clone()),
        ]
    }
}

impl Fielded for Trip {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("vehicle", d.vehicle_id.to_string()),
            ("date", d.date.to_string()),
            ("driver", d.driver_id.to_string()),
            ("purpose", d.purpose.clone()),
            ("start_km", d.start_km.to_string()),
            ("end_km", d.end_km.to_string()),
            ("fuel", d.fuel.to_string()),
            ("toll", d.toll.to_string()),
            ("parking", d.parking.to_string()),
            ("other", d.other.to_string()),
            ("receipts", d.receipts.clone()),
        ]
    }
}

impl Fielded for VehicleCheck {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        let lines = d.lines.iter().map(|l| {
            format!(
                "{}:{}{}",
                l.item.code(),
                if l.pass { "ok" } else { "fail" },
                if l.note.is_empty() { String::new() } else { format!(" ({})", l.note) }
            )
        });
        vec![
            ("vehicle", d.vehicle_id.to_string()),
            ("month", d.month.format("%Y-%m").to_string()),
            ("inspector", d.inspector.clone()),
            ("lines", lines.collect::<Vec<_>>().join("; ")),
            ("defects", d.defects.clone()),
            ("repaired", date_text(d.repaired)),
        ]
    }
}

impl Fielded for Accident {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("vehicle", d.vehicle_id.to_string()),
            ("driver", d.driver_id.to_string()),
            ("at", d.at.format("%Y-%m-%d %H:%M").to_string()),
            ("place", d.place.clone()),
            ("description", d.description.clone()),
            ("injuries", d.injuries.clone()),
            ("reported_at", d.reported_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Credential, StaffDraft};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn driver(permit: &str, expires: Option<&str>) -> Staff {
        let draft = StaffDraft {
            name: "段宏伟".into(),
            permit: Credential { number: permit.into(), expires: expires.map(d) },
            ..Default::default()
        };
        Staff { id: 1, number: "RY-0001".into(), draft, meta: Meta::new("op", chrono::Utc::now()) }
    }

    #[test]
    fn only_a_valid_permit_drives() {
        let day = d("2026-11-23");
        assert_eq!(may_drive(&driver("", None), day), Err(MayNotDrive::NoPermit));
        assert_eq!(may_drive(&driver("准-001", Some("2026-11-22")), day), Err(MayNotDrive::PermitExpired(d("2026-11-22"))));
        assert_eq!(may_drive(&driver("准-001", Some("2026-11-23")), day), Ok(()), "valid through its last day");
        assert_eq!(may_drive(&driver("准-001", None), day), Ok(()));
    }

    fn trip(start: u32, end: u32) -> TripDraft {
        TripDraft {
            vehicle_id: 1,
            date: d("2026-11-23"),
            driver_id: 1,
            purpose: "接送夜班队员".into(),
            start_km: start,
            end_km: end,
            fuel: Fen(20_000),
            toll: Fen(1_500),
            parking: Fen(0),
            other: Fen(0),
            receipts: String::new(),
        }
    }

    #[test]
    fn odometer_runs_forward_and_trips_meet() {
        assert_eq!(trip(1000, 999).validate(), [FieldError::new("end_km", Invalid::OdometerBackwards)]);
        assert!(trip(1000, 1000).validate().is_empty());
        assert_eq!(continuity(Some(1000), 1000), Continuity::Continues);
        assert_eq!(continuity(Some(1000), 1012), Continuity::Gap(12));
        assert_eq!(continuity(Some(1000), 990), Continuity::Overlap(10));
        assert_eq!(continuity(None, 5), Continuity::Continues);
    }

    #[test]
    fn monthly_totals_and_cost_per_km() {
        let mut m = VehicleMonth::default();
        m.add(&trip(1000, 1080));
        m.add(&trip(1080, 1100));
        assert_eq!((m.trips, m.distance, m.cost), (2, 100, Fen(43_000)));
        assert_eq!(m.per_km(), Some(Fen(430)), "¥4.30 a kilometre");
        assert_eq!(VehicleMonth::default().per_km(), None);
    }

    #[test]
    fn a_failed_check_names_its_defects() {
        let lines = CheckItem::ALL.iter().map(|i| CheckLine { item: *i, pass: *i != CheckItem::Tyres, note: String::new() }).collect();
        let mut c = VehicleCheckDraft {
            vehicle_id: 1,
            month: d("2026-11-15"),
            inspector: "赵磊".into(),
            lines,
            defects: String::new(),
            repaired: None,
        }
        .cleaned();
        assert_eq!(c.month, d("2026-11-01"));
        assert!(!c.passed());
        assert_eq!(c.validate(), [FieldError::new("defects", Invalid::Required)]);
        c.defects = "左前轮磨损，需更换".into();
        assert!(c.validate().is_empty());
        c.lines.pop();
        assert_eq!(c.validate(), [FieldError::new("first_aid", Invalid::Required)], "every item is checked");
    }

    #[test]
    fn insurance_and_inspection_are_flagged_thirty_days_ahead() {
        let today = d("2026-11-23");
        assert_eq!(due_state(Some(d("2026-12-23")), today), CredentialState::DueSoon(30));
        assert_eq!(due_state(Some(d("2026-11-22")), today), CredentialState::Expired);
        let v = Vehicle {
            id: 1,
            draft: VehicleDraft { plate: "沪A·12345".into(), seats: 7, inspection_due: Some(d("2026-12-10")), ..Default::default() },
            meta: Meta::new("op", chrono::Utc::now()),
        };
        assert!(v.needs_attention(today));
        assert!(!v.needs_attention(d("2026-10-01")));
    }
}
