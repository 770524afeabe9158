//! Dorm rooms and their nightly checks, company vehicles with trips,
//! monthly checks and accidents: the queries and commands behind them, as
//! one read call and one write call through the API (as rosters do).

use super::{Result, Service, ServiceError};
use crate::domain::dorm::{occupant_elsewhere, ranking, Curfew, Inspection, InspectionDraft, RankRow, Room, RoomDraft};
use crate::domain::fleet::{
    continuity, may_drive, Accident, AccidentDraft, MayNotDrive, Trip, TripDraft, Vehicle, VehicleCheck, VehicleCheckDraft, VehicleDraft,
    VehicleMonth,
};
use crate::domain::{FieldError, Invalid, Meta, Staff, StaffStatus};
use crate::store::{tx::abort, Record, StoreError};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogisticsQuery {
    /// Every room, by building and room.
    Rooms,
    /// A night's round: every room with its inspection, if made.
    Night { night: NaiveDate },
    /// The month's hygiene ranking, with last month's averages.
    Ranking { month: NaiveDate },
    /// Every vehicle, by plate.
    Vehicles,
    /// One vehicle's trips in a month, oldest first.
    Trips { vehicle_id: u64, month: NaiveDate },
    /// Every vehicle's totals for a month, and whether it had its check.
    Month { month: NaiveDate },
    /// One vehicle's checks and accidents, newest first.
    History { vehicle_id: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogisticsCommand {
    SaveRoom {
        id: Option<u64>,
        version: u64,
        draft: RoomDraft,
    },
    /// A night's check of one room (one per room per night).
    Inspect {
        draft: InspectionDraft,
    },
    SaveVehicle {
        id: Option<u64>,
        version: u64,
        draft: VehicleDraft,
    },
    AddTrip {
        draft: TripDraft,
    },
    /// A mistyped check or trip is corrected in place (with an audit entry).
    CorrectInspection {
        id: u64,
        version: u64,
        draft: InspectionDraft,
    },
    CorrectTrip {
        id: u64,
        version: u64,
        draft: TripDraft,
    },
    /// The month's routine check of a vehicle, or a change to it (repairs).
    SaveCheck {
        id: Option<u64>,
        version: u64,
        draft: VehicleCheckDraft,
    },
    ReportAccident {
        draft: AccidentDraft,
    },
}

/// Why a dorm or vehicle change was refused, beyond a field's own rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogisticsRefused {
    /// This person already lives in that room.
    OccupantElsewhere { who: String, room: String },
    /// Someone who has left cannot be given a bed.
    OccupantLeft { who: String },
    /// The room was inspected that night already (by whom).
    InspectedAlready { by: String },
    /// The vehicle had its check that month already (by whom).
    CheckedAlready { by: String },
    /// The driver may not drive that day.
    Driver { who: String, why: MayNotDrive },
    /// A plate already on another vehicle.
    PlateTaken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRow {
    pub room: Room,
    /// Occupants' "RY-0001 王伟", in the room's order.
    pub occupants: Vec<(u64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightRow {
    pub room: RoomRow,
    pub inspection: Option<Inspection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightView {
    pub night: NaiveDate,
    pub rows: Vec<NightRow>,
    /// Rooms still to check tonight.
    pub pending: usize,
    /// Absent at curfew: (person, room label).
    pub absent: Vec<(String, String)>,
    /// People on a shift at 22:00 that night (excused from the curfew).
    pub on_duty: std::collections::BTreeSet<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleRow {
    pub vehicle: Vehicle,
    pub drivers: Vec<(u64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripRow {
    pub trip: Trip,
    pub driver: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    pub vehicle: Vehicle,
    pub totals: VehicleMonth,
    /// The month's routine check, when made.
    pub check: Option<VehicleCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleHistory {
    pub vehicle: Vehicle,
    pub checks: Vec<VehicleCheck>,
    pub accidents: Vec<Accident>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogisticsData {
    Rooms(Vec<RoomRow>),
    Room(Box<Room>),
    Night(Box<NightView>),
    Ranking { month: NaiveDate, rows: Vec<RankRow> },
    Inspection(Box<Inspection>),
    Vehicles(Vec<VehicleRow>),
    Vehicle(Box<Vehicle>),
    Trips(Vec<TripRow>),
    Trip(Box<Trip>),
    Month(Vec<MonthRow>),
    Check(Box<VehicleCheck>),
    History(Box<VehicleHistory>),
    Accident(Box<Accident>),
}

fn refused<T>(r: LogisticsRefused) -> Result<T> {
    Err(ServiceError::Logistics(r))
}

/// An occupied room with no check of the night: the round is not done.
fn left_unchecked(room: &Room, check: Option<&Inspection>) -> bool {
    check.is_none() && !room.draft.occupants.is_empty()
}

/// Who a night's check found out after curfew.
fn absences(check: &Inspection) -> impl Iterator<Item = &crate::domain::dorm::CurfewCheck> {
    check.draft.curfew.iter().filter(|c| c.status == Curfew::Absent)
}

fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    first_of(d).checked_add_months(chrono::Months::new(1)).unwrap_or(d)
}

impl Service {
    fn staff_names(&self) -> Result<BTreeMap<u64, Staff>> {
        Ok(self.store.all::<Staff>()?.into_iter().map(|s| (s.id, s)).collect())
    }

    fn room_rows(&self) -> Result<Vec<RoomRow>> {
        let staff = self.staff_names()?;
        let mut rooms = self.store.all::<Room>()?;
        rooms.sort_by(|a, b| (&a.draft.building, &a.draft.room).cmp(&(&b.draft.building, &b.draft.room)));
        Ok(rooms
            .into_iter()
            .map(|room| {
                let occupants = room.draft.occupants.iter().map(|o| (*o, staff.get(o).map(Staff::display).unwrap_or_default())).collect();
                RoomRow { room, occupants }
            })
            .collect())
    }

    /// Inspections of every night from `from` up to, not including, `to`.
    pub(super) fn inspections_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Inspection>> {
        let ids = self.store.index_ids_between(&crate::store::inspections_on_prefix(from), &crate::store::inspections_on_prefix(to))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(i) = self.store.get::<Inspection>(id)? {
                out.push(i);
            }
        }
        Ok(out)
    }

    fn trips_in(&self, vehicle_id: u64, month: NaiveDate) -> Result<Vec<Trip>> {
        let (from, to) = (first_of(month), next_month(month));
        let ids = self.store.index_ids_between(
            &crate::store::trip_by_vehicle_date_prefix(vehicle_id, from),
            &crate::store::trip_by_vehicle_date_prefix(vehicle_id, to),
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(t) = self.store.get::<Trip>(id)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Who stands a shift at 22:00 on `night` (it may have begun the day before).
    pub(super) fn on_duty_at_curfew(&self, night: NaiveDate) -> Result<std::collections::BTreeSet<u64>> {
        let at = night.and_time(crate::domain::dorm::curfew());
        let posts: std::collections::HashMap<u64, crate::domain::Post> =
            self.store.all::<crate::domain::Post>()?.into_iter().map(|p| (p.id, p)).collect();
        let mut out = std::collections::BTreeSet::new();
        for day in [night - Days::new(1), night] {
            for pd in self.store.postdays_on(day)? {
                let Some(post) = posts.get(&pd.post_id) else { continue };
                for s in &pd.shifts {
                    let Some(spec) = post.shift(s.key) else { continue };
                    let (start, end) = spec.window(day);
                    if start <= at && at < end {
                        out.extend(s.duties.iter().map(|d| d.staff_id));
                    }
                }
            }
        }
        Ok(out)
    }

    /// A room's check of a night, by room (a second one is refused; should
    /// one be there, the first counts).
    fn checks_of_night(&self, night: NaiveDate) -> Result<HashMap<u64, Inspection>> {
        let mut by_room = HashMap::new();
        for i in self.inspections_between(night, night + Days::new(1))? {
            by_room.entry(i.draft.room_id).or_insert(i);
        }
        Ok(by_room)
    }

    /// A night's two Overview counts (curfew absences, occupied rooms left
    /// unchecked) by the Night view's rules, without its names and rosters.
    pub(super) fn night_counts(&self, night: NaiveDate) -> Result<(usize, usize)> {
        let checks = self.checks_of_night(night)?;
        let rooms = self.store.all::<Room>()?;
        let pending = rooms.iter().filter(|r| left_unchecked(r, checks.get(&r.id))).count();
        let absent = rooms.iter().filter_map(|r| checks.get(&r.id)).map(|i| absences(i).count()).sum();
        Ok((absent, pending))
    }

    /// Whether a vehicle has its routine check of the month.
    pub(super) fn has_check(&self, vehicle_id: u64, month: NaiveDate) -> Result<bool> {
        Ok(!self.store.index_ids(&crate::store::vcheck_at_key(vehicle_id, first_of(month)))?.is_empty())
    }

    pub fn logistics_query(&self, q: &LogisticsQuery) -> Result<LogisticsData> {
        Ok(match q {
            LogisticsQuery::Rooms => LogisticsData::Rooms(self.room_rows()?),
            LogisticsQuery::Night { night } => {
                let staff = self.staff_names()?;
                let mut checks = self.checks_of_night(*night)?;
                let rows: Vec<NightRow> = self
                    .room_rows()?
                    .into_iter()
                    .map(|room| {
                        let inspection = checks.remove(&room.room.id);
                        NightRow { room, inspection }
                    })
                    .collect();
                let pending = rows.iter().filter(|r| left_unchecked(&r.room.room, r.inspection.as_ref())).count();
                let absent = rows
                    .iter()
                    .filter_map(|r| r.inspection.as_ref().map(|i| (r, i)))
                    .flat_map(|(r, i)| absences(i).map(move |c| (c.staff_id, r.room.room.label())))
                    .map(|(id, room)| (staff.get(&id).map(Staff::display).unwrap_or_default(), room))
                    .collect();
                LogisticsData::Night(Box::new(NightView { night: *night, rows, pending, absent, on_duty: self.on_duty_at_curfew(*night)? }))
            }
            LogisticsQuery::Ranking { month } => {
                let first = first_of(*month);
                let before = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
                let rooms = self.store.all::<Room>()?;
                // Scores come from the night index; no check is read whole.
                let now = self.store.scores_between(first, next_month(first))?;
                let previous = self.store.scores_between(before, first)?;
                LogisticsData::Ranking { month: first, rows: ranking(&rooms, &now, &previous) }
            }
            LogisticsQuery::Vehicles => {
                let staff = self.staff_names()?;
                let mut vs = self.store.all::<Vehicle>()?;
                vs.sort_by(|a, b| a.draft.plate.cmp(&b.draft.plate));
                LogisticsData::Vehicles(
                    vs.into_iter()
                        .map(|vehicle| {
                            let drivers =
                                vehicle.draft.drivers.iter().map(|d| (*d, staff.get(d).map(Staff::display).unwrap_or_default())).collect();
                            VehicleRow { vehicle, drivers }
                        })
                        .collect(),
                )
            }
            LogisticsQuery::Trips { vehicle_id, month } => {
                let staff = self.staff_names()?;
                let rows = self
                    .trips_in(*vehicle_id, *month)?
                    .into_iter()
                    .map(|trip| TripRow { driver: staff.get(&trip.draft.driver_id).map(Staff::display).unwrap_or_default(), trip })
                    .collect();
                LogisticsData::Trips(rows)
            }
            LogisticsQuery::Month { month } => {
                let first = first_of(*month);
                let mut vs = self.store.all::<Vehicle>()?;
                vs.sort_by(|a, b| a.draft.plate.cmp(&b.draft.plate));
                let mut rows = Vec::with_capacity(vs.len());
                for vehicle in vs {
                    let mut totals = VehicleMonth::default();
                    for t in self.trips_in(vehicle.id, first)? {
                        totals.add(&t.draft);
                    }
                    let check = match self.store.index_ids(&crate::store::vcheck_at_key(vehicle.id, first))?.first() {
                        Some(&id) => self.store.get::<VehicleCheck>(id)?,
                        None => None,
                    };
                    rows.push(MonthRow { vehicle, totals, check });
                }
                LogisticsData::Month(rows)
            }
            LogisticsQuery::History { vehicle_id } => {
                let vehicle = self.store.get::<Vehicle>(*vehicle_id)?.ok_or(ServiceError::NotFound)?;
                let mut checks: Vec<VehicleCheck> =
                    self.store.all::<VehicleCheck>()?.into_iter().filter(|c| c.draft.vehicle_id == *vehicle_id).collect();
                checks.sort_by_key(|c| std::cmp::Reverse(c.draft.month));
                let mut accidents: Vec<Accident> = self.store.by_index(&crate::store::accident_by_vehicle_prefix(*vehicle_id))?;
                accidents.sort_by_key(|a| std::cmp::Reverse(a.draft.at));
                LogisticsData::History(Box::new(VehicleHistory { vehicle, checks, accidents }))
            }
        })
    }

    /// A night's check, or its correction (`editing`: id and version).
    fn save_inspection(&self, actor: &str, editing: Option<(u64, u64)>, draft: InspectionDraft) -> Result<LogisticsData> {
        let now = self.clock.now();
        let draft = draft.cleaned();
        let room = self.store.get::<Room>(draft.room_id)?.ok_or(ServiceError::NotFound)?;
        let mut errors = draft.validate(&room.draft.occupants);
        if draft.night > self.clock.today() {
            errors.push(FieldError::new("night", Invalid::Future));
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let this = editing.map(|e| e.0);
        let taken = self.store.index_ids(&crate::store::inspection_at_key(draft.room_id, draft.night))?;
        if let Some(&prev) = taken.iter().find(|p| Some(**p) != this) {
            let by = self.store.get::<Inspection>(prev)?.map(|i| i.draft.inspector).unwrap_or_default();
            return refused(LogisticsRefused::InspectedAlready { by });
        }
        let saved = match editing {
            None => {
                self.store.write(|tx| tx.insert(actor, now, Inspection { id: 0, draft: draft.clone(), meta: Meta::new(actor, now) }))?
            }
            Some((id, version)) => self.store.write(|tx| {
                let Some(mut i) = tx.get::<Inspection>(id)? else { return abort(StoreError::NotFound { kind: Inspection::KIND, id }) };
                i.meta.version = version;
                i.draft = draft.clone();
                tx.update(actor, now, i)
            })?,
        };
        Ok(LogisticsData::Inspection(Box::new(saved)))
    }

    /// A trip, or its correction: by a permit holder, measured against the
    /// trip before it, the vehicle's odometer kept.
    fn save_trip(&self, actor: &str, editing: Option<(u64, u64)>, draft: TripDraft) -> Result<LogisticsData> {
        let now = self.clock.now();
        let draft = draft.cleaned();
        let mut errors = draft.validate();
        if draft.date > self.clock.today() {
            errors.push(FieldError::new("date", Invalid::Future));
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let driver = self.store.get::<Staff>(draft.driver_id)?.ok_or(ServiceError::NotFound)?;
        if let Err(why) = may_drive(&driver, draft.date) {
            return refused(LogisticsRefused::Driver { who: driver.display(), why });
        }
        let this = editing.map(|e| e.0);
        // Measured against the trip before it, for review.
        let before = self.store.index_ids_between(
            &crate::store::trip_by_vehicle_prefix(draft.vehicle_id),
            &crate::store::trip_by_vehicle_date_prefix(draft.vehicle_id, draft.date + Days::new(1)),
        )?;
        let previous_end = match before.iter().rev().find(|id| Some(**id) != this) {
            Some(&id) => self.store.get::<Trip>(id)?.map(|t| t.draft.end_km),
            None => None,
        };
        let continuity = continuity(previous_end, draft.start_km);
        let saved = self.store.write(|tx| {
            let Some(mut v) = tx.get::<Vehicle>(draft.vehicle_id)? else {
                return abort(StoreError::NotFound { kind: Vehicle::KIND, id: draft.vehicle_id });
            };
            let t = match editing {
                None => tx.insert(actor, now, Trip { id: 0, continuity, draft: draft.clone(), meta: Meta::new(actor, now) })?,
                Some((id, version)) => {
                    let Some(mut old) = tx.get::<Trip>(id)? else { return abort(StoreError::NotFound { kind: Trip::KIND, id }) };
                    old.meta.version = version;
                    old.draft = draft.clone();
                    old.continuity = continuity;
                    tx.update(actor, now, old)?
                }
            };
            if draft.end_km > v.draft.odometer {
                v.draft.odometer = draft.end_km;
                tx.update(actor, now, v)?;
            }
            Ok(t)
        })?;
        Ok(LogisticsData::Trip(Box::new(saved)))
    }

    pub fn logistics_command(&self, actor: &str, cmd: LogisticsCommand) -> Result<LogisticsData> {
        // The rules look across records (one room per person, one check a
        // night): one change at a time, like rosters.
        let _lock = self.roster_lock();
        let now = self.clock.now();
        match cmd {
            LogisticsCommand::SaveRoom { id, version, draft } => {
                let draft = draft.cleaned();
                let errors = draft.validate();
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                let staff = self.staff_names()?;
                for o in &draft.occupants {
                    let who = staff.get(o).ok_or(ServiceError::NotFound)?;
                    if who.draft.status == StaffStatus::Left {
                        return refused(LogisticsRefused::OccupantLeft { who: who.display() });
                    }
                }
                let rooms = self.store.all::<Room>()?;
                if let Some((o, room)) = occupant_elsewhere(&draft, id.unwrap_or(0), &rooms) {
                    let who = staff.get(&o).map(Staff::display).unwrap_or_default();
                    return refused(LogisticsRefused::OccupantElsewhere { who, room });
                }
                let saved = match id {
                    None => {
                        self.store.write(|tx| tx.insert(actor, now, Room { id: 0, draft: draft.clone(), meta: Meta::new(actor, now) }))?
                    }
                    Some(id) => self.store.write(|tx| {
                        let Some(mut r) = tx.get::<Room>(id)? else { return abort(StoreError::NotFound { kind: Room::KIND, id }) };
                        r.meta.version = version;
                        r.draft = draft.clone();
                        tx.update(actor, now, r)
                    })?,
                };
                Ok(LogisticsData::Room(Box::new(saved)))
            }
            LogisticsCommand::Inspect { draft } => self.save_inspection(actor, None, draft),
            LogisticsCommand::CorrectInspection { id, version, draft } => self.save_inspection(actor, Some((id, version)), draft),
            LogisticsCommand::CorrectTrip { id, version, draft } => self.save_trip(actor, Some((id, version)), draft),
            LogisticsCommand::SaveVehicle { id, version, draft } => {
                let draft = draft.cleaned();
                let errors = draft.validate();
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                if self.store.index_ids(&crate::store::vehicle_plate_key(&draft.plate))?.iter().any(|other| Some(*other) != id) {
                    return refused(LogisticsRefused::PlateTaken);
                }
                // Only permit holders may be a vehicle's drivers.
                let today = self.clock.today();
                for d in &draft.drivers {
                    let who = self.store.get::<Staff>(*d)?.ok_or(ServiceError::NotFound)?;
                    if let Err(why) = may_drive(&who, today) {
                        return refused(LogisticsRefused::Driver { who: who.display(), why });
                    }
                }
                // The odometer only runs forward.
                if let Some(old) = id.map(|i| self.store.get::<Vehicle>(i)).transpose()?.flatten() {
                    if draft.odometer < old.draft.odometer {
                        return Err(ServiceError::Invalid(vec![FieldError::new("odometer", Invalid::OdometerBackwards)]));
                    }
                }
                let saved = match id {
                    None => self
                        .store
                        .write(|tx| tx.insert(actor, now, Vehicle { id: 0, draft: draft.clone(), meta: Meta::new(actor, now) }))?,
                    Some(id) => self.store.write(|tx| {
                        let Some(mut v) = tx.get::<Vehicle>(id)? else { return abort(StoreError::NotFound { kind: Vehicle::KIND, id }) };
                        v.meta.version = version;
                        v.draft = draft.clone();
                        tx.update(actor, now, v)
                    })?,
                };
                Ok(LogisticsData::Vehicle(Box::new(saved)))
            }
            LogisticsCommand::AddTrip { draft } => self.save_trip(actor, None, draft),
            LogisticsCommand::SaveCheck { id, version, draft } => {
                let draft = draft.cleaned();
                let mut errors = draft.validate();
                if draft.month > first_of(self.clock.today()) {
                    errors.push(FieldError::new("month", Invalid::Future));
                }
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                let taken = self.store.index_ids(&crate::store::vcheck_at_key(draft.vehicle_id, draft.month))?;
                if let Some(&other) = taken.iter().find(|t| Some(**t) != id) {
                    let by = self.store.get::<VehicleCheck>(other)?.map(|c| c.draft.inspector).unwrap_or_default();
                    return refused(LogisticsRefused::CheckedAlready { by });
                }
                let saved = match id {
                    None => self
                        .store
                        .write(|tx| tx.insert(actor, now, VehicleCheck { id: 0, draft: draft.clone(), meta: Meta::new(actor, now) }))?,
                    Some(id) => self.store.write(|tx| {
                        let Some(mut c) = tx.get::<VehicleCheck>(id)? else {
                            return abort(StoreError::NotFound { kind: VehicleCheck::KIND, id });
                        };
                        c.meta.version = version;
                        c.draft = draft.clone();
                        tx.update(actor, now, c)
                    })?,
                };
                Ok(LogisticsData::Check(Box::new(saved)))
            }
            LogisticsCommand::ReportAccident { draft } => {
                let draft = draft.cleaned();
                let errors = draft.validate(self.clock.local_now());
                if !errors.is_empty() {
                    return Err(ServiceError::Invalid(errors));
                }
                self.store.get::<Vehicle>(draft.vehicle_id)?.ok_or(ServiceError::NotFound)?;
                let saved =
                    self.store.write(|tx| tx.insert(actor, now, Accident { id: 0, draft: draft.clone(), meta: Meta::new(actor, now) }))?;
                Ok(LogisticsData::Accident(Box::new(saved)))
            }
        }
    }
}
