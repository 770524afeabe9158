//! The demo's dorm rooms (from the rooms the demo staff live in) with a
//! month of nightly checks, and its vehicles with trips, monthly checks and
//! an accident: some checks overdue, some people absent at curfew.

use super::{Result, Service};
use crate::domain::dorm::{Curfew, CurfewCheck, HygieneItem, Inspection, InspectionDraft, Room, RoomDraft};
use crate::domain::fleet::{
    continuity, Accident, AccidentDraft, CheckItem, CheckLine, Trip, TripDraft, Vehicle, VehicleCheck, VehicleCheckDraft, VehicleDraft,
};
use crate::domain::{Choice, Fen, Meta, Staff, StaffStatus};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use std::collections::BTreeMap;

const LANDLORDS: [(&str, &str); 4] = [
    ("周国庆", "工商银行 6222 0210 0112 3456"),
    ("陆美华", "建设银行 6217 0012 3004 5678"),
    ("沈建中", "农业银行 6228 4800 0112 9087"),
    ("何丽萍", "招商银行 6214 8321 0098 7654"),
];
const ISSUES: [&str; 4] = ["床下鞋子未摆放整齐", "垃圾未及时清理", "阳台晾晒衣物过多", "有人在室内吸烟，已批评教育"];
const VEHICLES: [(&str, &str, u8, u32, i64, i64); 6] = [
    ("沪A·D2817", "别克GL8", 7, 86_420, 120, 200),
    ("沪B·F6309", "金杯海狮", 11, 142_305, 18, 75),
    ("苏E·7K8Q2", "五菱宏光", 7, 63_118, 260, -6),
    ("浙A·3M9T6", "丰田凯美瑞", 5, 48_990, 45, 310),
    ("沪A·N0451", "依维柯", 17, 201_774, 300, 25),
    ("宁A·P5521", "大众帕萨特", 5, 39_602, -3, 150),
];
const PURPOSES: [&str; 5] = ["接送夜班队员上下岗", "运送岗位物资", "特卫随行接机", "队长巡岗检查", "新队员入职接送"];

/// Rooms, a month of checks, vehicles, trips, checks and an accident.
/// Returns (rooms, inspections, vehicles, trips).
pub fn load(service: &Service, actor: &str, today: NaiveDate) -> Result<(usize, usize, usize, usize)> {
    let mut rng = fastrand::Rng::with_seed(20261124);
    // The service's clock, so a fixed clock gives the same records every time.
    let at = service.clock.now();
    let staff = service.store.all::<Staff>()?;
    // The rooms the demo staff live in, four beds each.
    let mut by_room: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for s in staff.iter().filter(|s| s.draft.status != StaffStatus::Left && !s.draft.dorm_room.is_empty()) {
        by_room.entry(s.draft.dorm_room.clone()).or_default().push(s.id);
    }
    let rooms: Vec<Room> = service.store.write(|tx| {
        let mut out = Vec::new();
        for (i, (label, occupants)) in by_room.iter().enumerate() {
            let (building, room) = label.split_once(' ').unwrap_or((label.as_str(), ""));
            let (landlord, account) = LANDLORDS[i % LANDLORDS.len()];
            let draft = RoomDraft {
                building: building.into(),
                room: room.into(),
                capacity: (occupants.len() as u8).max(4),
                occupants: occupants.clone(),
                rent: Fen(180_000 + 20_000 * (i as i64 % 4)),
                landlord: landlord.into(),
                landlord_account: account.into(),
                notes: String::new(),
            };
            out.push(tx.insert(actor, at, Room { id: 0, draft, meta: Meta::new(actor, at) })?);
        }
        Ok(out)
    })?;
    // A month of nightly checks up to last night; tonight's are still to do.
    let mut inspections = Vec::new();
    for back in 1..=30u64 {
        let night = today - Days::new(back);
        // Those on a shift at 22:00 are excused, as a captain would mark them.
        let on_duty = service.on_duty_at_curfew(night)?;
        for room in &rooms {
            // The odd night a room is missed.
            if rng.u32(..25) == 0 {
                continue;
            }
            let quality = rng.u32(..10);
            let scores = HygieneItem::ALL
                .iter()
                .map(|item| {
                    let off = match quality {
                        0 => 10,
                        1..=2 => 5 * rng.u8(..2),
                        _ => 0,
                    };
                    (*item, item.points().saturating_sub(off))
                })
                .collect();
            let curfew = room
                .draft
                .occupants
                .iter()
                .map(|o| {
                    let r = rng.u32(..60);
                    let (status, reason) = match r {
                        _ if on_duty.contains(o) => (Curfew::Excused, "当晚值班".to_string()),
                        0 => (Curfew::Absent, String::new()),
                        1..=2 => (Curfew::Excused, "探亲".to_string()),
                        _ => (Curfew::Present, String::new()),
                    };
                    CurfewCheck { staff_id: *o, status, reason }
                })
                .collect();
            let issues = if quality == 0 { ISSUES[rng.usize(..ISSUES.len())].to_string() } else { String::new() };
            let draft = InspectionDraft {
                room_id: room.id,
                night,
                at: NaiveTime::from_hms_opt(22, rng.u32(..40), 0).unwrap_or_default(),
                inspector: actor.to_string(),
                curfew,
                scores,
                issues,
            };
            inspections.push(Inspection { id: 0, draft, meta: Meta::new(actor, at) });
        }
    }
    service.store.write(|tx| {
        for i in &inspections {
            tx.insert(actor, at, i.clone())?;
        }
        Ok(())
    })?;
    let rel = |n: i64| if n >= 0 { today + Days::new(n as u64) } else { today - Days::new(n.unsigned_abs()) };
    let drivers: Vec<&Staff> = staff.iter().filter(|s| !s.draft.permit.number.is_empty()).collect();
    let vehicles: Vec<Vehicle> = service.store.write(|tx| {
        let mut out = Vec::new();
        for (i, (plate, model, seats, km, ins, insp)) in VEHICLES.iter().enumerate() {
            let draft = VehicleDraft {
                plate: plate.to_string(),
                model: model.to_string(),
                seats: *seats,
                odometer: *km,
                insurance_due: Some(rel(*ins)),
                inspection_due: Some(rel(*insp)),
                drivers: drivers.iter().skip(i % drivers.len().max(1)).take(2).map(|s| s.id).collect(),
                notes: String::new(),
            };
            out.push(tx.insert(actor, at, Vehicle { id: 0, draft, meta: Meta::new(actor, at) })?);
        }
        Ok(out)
    })?;
    // Six weeks of trips, mostly meeting end to start; checks for last
    // month for all, this month for some; one accident.
    let mut trips = 0;
    for v in &vehicles {
        let mut km = v.draft.odometer.saturating_sub(2_500);
        let mut prev = None;
        let mut planned = Vec::new();
        for back in (1..=42u64).rev() {
            if rng.u32(..3) != 0 {
                continue;
            }
            let date = today - Days::new(back);
            let driver = v.draft.drivers.first().copied().or(drivers.first().map(|s| s.id)).unwrap_or(0);
            // Now and then a short run nobody logged.
            let start = if rng.u32(..12) == 0 { km + 8 } else { km };
            let end = start + 20 + rng.u32(..90);
            let draft = TripDraft {
                vehicle_id: v.id,
                date,
                driver_id: driver,
                purpose: PURPOSES[rng.usize(..PURPOSES.len())].into(),
                start_km: start,
                end_km: end,
                fuel: Fen(if rng.bool() { 100 * rng.i64(150..450) } else { 0 }),
                toll: Fen(if rng.u32(..3) == 0 { 100 * rng.i64(5..40) } else { 0 }),
                parking: Fen(if rng.u32(..4) == 0 { 100 * rng.i64(5..30) } else { 0 }),
                other: Fen(0),
                receipts: "票据已交综合部".into(),
            };
            planned.push(Trip { id: 0, continuity: continuity(prev, start), draft, meta: Meta::new(actor, at) });
            prev = Some(end);
            km = end;
        }
        trips += planned.len();
        let first = today.with_day(1).unwrap_or(today);
        let last_month = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
        let months: Vec<NaiveDate> = if v.id % 2 == 0 { vec![last_month, first] } else { vec![last_month] };
        // Decided outside the transaction (sled may run it more than once).
        let fails: Vec<bool> = months.iter().map(|_| rng.u32(..4) == 0).collect();
        service.store.write(|tx| {
            for t in &planned {
                tx.insert(actor, at, t.clone())?;
            }
            let Some(mut fresh) = tx.get::<Vehicle>(v.id)? else { return Ok(()) };
            // The trips end where the odometer stands.
            fresh.draft.odometer = km;
            tx.update(actor, at, fresh)?;
            for (m, &fail) in months.iter().zip(&fails) {
                let lines = CheckItem::ALL
                    .iter()
                    .map(|i| CheckLine { item: *i, pass: !(fail && *i == CheckItem::Tyres), note: String::new() })
                    .collect();
                let draft = VehicleCheckDraft {
                    vehicle_id: v.id,
                    month: *m,
                    inspector: actor.to_string(),
                    lines,
                    defects: if fail { "左前轮胎纹过浅，需更换".into() } else { String::new() },
                    repaired: fail.then(|| *m + Days::new(9)),
                };
                tx.insert(actor, at, VehicleCheck { id: 0, draft, meta: Meta::new(actor, at) })?;
            }
            Ok(())
        })?;
    }
    if let Some(v) = vehicles.get(1) {
        let when = (today - Days::new(9)).and_hms_opt(18, 40, 0).unwrap_or_default();
        let draft = AccidentDraft {
            vehicle_id: v.id,
            driver_id: v.draft.drivers.first().copied().unwrap_or(0),
            at: when,
            place: "延安高架江苏路下匝道".into(),
            description: "下匝道排队时被后车追尾，后保险杠受损，已报警并拍照取证。".into(),
            injuries: "无人受伤".into(),
            reported_at: Some(when + chrono::Duration::minutes(12)),
        };
        service.store.write(|tx| tx.insert(actor, at, Accident { id: 0, draft: draft.clone(), meta: Meta::new(actor, at) }))?;
    }
    Ok((rooms.len(), inspections.len(), vehicles.len(), trips))
}
