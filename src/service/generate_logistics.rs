//! The dorm and vehicle part of the large generated set: rooms with about
//! a year of nightly checks, and vehicles with their trips. Written straight
//! to the store in batches (as the rosters are), obeying the rules: four to a
//! room, one check a room a night, trips end to start by permit holders.

use super::{Result, Service};
use crate::domain::dorm::{Curfew, CurfewCheck, HygieneItem, Inspection, InspectionDraft, Room, RoomDraft};
use crate::domain::fleet::{Continuity, Trip, TripDraft, Vehicle, VehicleDraft};
use crate::domain::{Choice, Fen, Meta, Staff};
use chrono::{Days, NaiveDate, NaiveTime, Utc};

pub struct LogisticsSizes {
    pub rooms: usize,
    pub inspections: usize,
    pub vehicles: usize,
    pub trips: usize,
}

pub const LARGE_LOGISTICS: LogisticsSizes = LogisticsSizes { rooms: 300, inspections: 100_000, vehicles: 200, trips: 20_000 };

/// Returns (inspections, trips) written.
pub fn generate_logistics(service: &Service, actor: &str, today: NaiveDate, sizes: &LogisticsSizes) -> Result<(usize, usize)> {
    let mut rng = fastrand::Rng::with_seed(300_200);
    let at = Utc::now();
    let all = service.store.all::<Staff>()?;
    let staff: Vec<u64> = all.iter().map(|s| s.id).collect();
    let drivers: Vec<u64> = all.iter().filter(|s| !s.draft.permit.number.is_empty()).map(|s| s.id).collect();
    // Four to a room, each person in one room.
    let rooms: Vec<Room> = service.store.write(|tx| {
        let mut out = Vec::new();
        for i in 0..sizes.rooms {
            let occupants: Vec<u64> = staff.iter().skip(i * 4).take(4).copied().collect();
            let draft = RoomDraft {
                building: format!("{}号楼", 1 + i / 40),
                room: format!("{}{:02}", 1 + (i % 40) / 10, 1 + i % 10),
                capacity: 4,
                occupants,
                rent: Fen(180_000),
                landlord: "周国庆".into(),
                landlord_account: "工商银行 6222 0210 0112 3456".into(),
                notes: String::new(),
            };
            out.push(tx.insert(actor, at, Room { id: 0, draft, meta: Meta::new(actor, at) })?);
        }
        Ok(out)
    })?;
    // One check per room per night, going back night by night.
    let nights = sizes.inspections.div_ceil(rooms.len().max(1));
    let mut made = 0;
    for back in 1..=nights as u64 {
        let night = today - Days::new(back);
        let batch: Vec<Inspection> = rooms
            .iter()
            .take(sizes.inspections - made)
            .map(|r| {
                let off = [0u8, 0, 0, 5, 10][rng.usize(..5)];
                let scores = HygieneItem::ALL
                    .iter()
                    .map(|i| (*i, i.points().saturating_sub(if *i == HygieneItem::Clean { off } else { 0 })))
                    .collect();
                let curfew = r
                    .draft
                    .occupants
                    .iter()
                    .map(|o| CurfewCheck {
                        staff_id: *o,
                        status: if rng.u32(..50) == 0 { Curfew::Absent } else { Curfew::Present },
                        reason: String::new(),
                    })
                    .collect();
                let draft = InspectionDraft {
                    room_id: r.id,
                    night,
                    at: NaiveTime::from_hms_opt(22, rng.u32(..50), 0).unwrap_or_default(),
                    inspector: actor.to_string(),
                    curfew,
                    scores,
                    issues: String::new(),
                };
                Inspection { id: 0, draft, meta: Meta::new(actor, at) }
            })
            .collect();
        made += batch.len();
        service.store.write(|tx| {
            for i in &batch {
                tx.insert(actor, at, i.clone())?;
            }
            Ok(())
        })?;
        if made >= sizes.inspections {
            break;
        }
    }
    // Vehicles, and their trips spread over the last year, end to start.
    let per_vehicle = sizes.trips / sizes.vehicles.max(1);
    let mut trips = 0;
    for i in 0..sizes.vehicles {
        let driver = drivers.get(i % drivers.len().max(1)).copied().unwrap_or(0);
        let draft = VehicleDraft {
            plate: format!("沪G·{:05}", 10_000 + i),
            model: ["别克GL8", "金杯海狮", "五菱宏光", "依维柯"][i % 4].into(),
            seats: 7,
            odometer: 10_000,
            insurance_due: today.checked_add_days(Days::new(rng.u64(..400))),
            inspection_due: today.checked_add_days(Days::new(rng.u64(..400))),
            drivers: vec![driver],
            notes: String::new(),
        };
        let mut km = draft.odometer;
        let v = service.store.write(|tx| tx.insert(actor, at, Vehicle { id: 0, draft: draft.clone(), meta: Meta::new(actor, at) }))?;
        let mut batch = Vec::with_capacity(per_vehicle);
        for k in 0..per_vehicle {
            let date = today - Days::new(365 - (k as u64 * 365 / per_vehicle.max(1) as u64));
            let end = km + 10 + rng.u32(..120);
            let draft = TripDraft {
                vehicle_id: v.id,
                date,
                driver_id: driver,
                purpose: "接送队员".into(),
                start_km: km,
                end_km: end,
                fuel: Fen(100 * rng.i64(0..400)),
                toll: Fen(100 * rng.i64(0..40)),
                parking: Fen(0),
                other: Fen(0),
                receipts: String::new(),
            };
            batch.push(Trip { id: 0, draft, continuity: Continuity::Continues, meta: Meta::new(actor, at) });
            km = end;
        }
        trips += batch.len();
        service.store.write(|tx| {
            for t in &batch {
                tx.insert(actor, at, t.clone())?;
            }
            let Some(mut fresh) = tx.get::<Vehicle>(v.id)? else { return Ok(()) };
            fresh.draft.odometer = km;
            tx.update(actor, at, fresh)?;
            Ok(())
        })?;
    }
    Ok((made, trips))
}
