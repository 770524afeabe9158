//! Dorm rooms, nightly checks, vehicles, trips, monthly checks and
//! accidents through the service API, with the rules that refuse.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use guardroom::domain::dorm::{Curfew, CurfewCheck, HygieneItem, InspectionDraft, RoomDraft};
use guardroom::domain::fleet::{AccidentDraft, CheckItem, CheckLine, Continuity, MayNotDrive, TripDraft, VehicleCheckDraft, VehicleDraft};
use guardroom::domain::{Choice, Credential, Fen, Invalid, StaffDraft, StaffStatus};
use guardroom::service::duty::{DutyCommand, DutyData};
use guardroom::service::logistics::{LogisticsCommand as C, LogisticsData as D, LogisticsQuery as Q, LogisticsRefused as R};
use guardroom::service::{Api, FixedClock, Service, ServiceError};
use guardroom::store::Store;
use std::sync::Arc;

fn service(dir: &std::path::Path) -> Arc<Service> {
    Service::new(Store::open(dir).unwrap(), Box::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(svc: &Service, name: &str, permit: Option<&str>) -> u64 {
    let permit = Credential { number: permit.map(|_| format!("准-{name}")).unwrap_or_default(), expires: permit.map(d) };
    let draft = StaffDraft { name: name.into(), permit, ..Default::default() };
    match svc.duty_do("cap", DutyCommand::SaveStaff { id: None, version: 0, draft }).unwrap() {
        DutyData::OneStaff(s) => s.id,
        other => panic!("{other:?}"),
    }
}

fn refusal(r: Result<D, ServiceError>) -> R {
    match r {
        Err(ServiceError::Logistics(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn room(svc: &Service, label: &str, capacity: u8, occupants: Vec<u64>) -> Result<D, ServiceError> {
    let (building, number) = label.split_once(' ').unwrap();
    let draft = RoomDraft { building: building.into(), room: number.into(), capacity, occupants, ..Default::default() };
    svc.logistics_do("cap", C::SaveRoom { id: None, version: 0, draft })
}

fn inspection(room_id: u64, night: &str, curfew: Vec<CurfewCheck>, off: u8) -> InspectionDraft {
    let mut scores: Vec<(HygieneItem, u8)> = HygieneItem::ALL.iter().map(|i| (*i, i.points())).collect();
    scores[2].1 -= off;
    InspectionDraft {
        room_id,
        night: d(night),
        at: NaiveTime::from_hms_opt(22, 10, 0).unwrap(),
        inspector: "黄志勇".into(),
        curfew,
        scores,
        issues: String::new(),
    }
}

#[test]
fn rooms_take_each_person_once_and_never_beyond_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let (a, b, c) = (person(&svc, "王伟", None), person(&svc, "李强", None), person(&svc, "陈军", None));
    room(&svc, "1号楼 201", 2, vec![a, b]).unwrap();
    assert_eq!(
        refusal(room(&svc, "1号楼 202", 2, vec![b, c])),
        R::OccupantElsewhere { who: "RY-0002 李强".into(), room: "1号楼 201".into() }
    );
    match room(&svc, "1号楼 203", 1, vec![c, a]) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::OverCapacity { capacity: 1 }),
        other => panic!("{other:?}"),
    }
    // Someone who has left gets no bed.
    let s = guardroom::service::duty::staff(&*svc).unwrap().into_iter().find(|s| s.id == c).unwrap();
    let draft = StaffDraft { status: StaffStatus::Left, ..s.draft.clone() };
    svc.duty_do("cap", DutyCommand::SaveStaff { id: Some(c), version: s.meta.version, draft }).unwrap();
    assert_eq!(refusal(room(&svc, "1号楼 204", 2, vec![c])), R::OccupantLeft { who: "RY-0003 陈军".into() });
}

#[test]
fn one_check_a_room_a_night_with_curfew_absences_and_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let (a, b) = (person(&svc, "王伟", None), person(&svc, "李强", None));
    let D::Room(r1) = room(&svc, "1号楼 201", 4, vec![a, b]).unwrap() else { panic!() };
    let D::Room(r2) = room(&svc, "1号楼 202", 4, vec![]).unwrap() else { panic!() };
    let present = |id| CurfewCheck { staff_id: id, status: Curfew::Present, reason: String::new() };
    // Everyone in the room must be accounted for.
    match svc.logistics_do("cap", C::Inspect { draft: inspection(r1.id, "2026-11-22", vec![present(a)], 0) }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].field, "curfew"),
        other => panic!("{other:?}"),
    }
    let absent = CurfewCheck { staff_id: b, status: Curfew::Absent, reason: String::new() };
    svc.logistics_do("cap", C::Inspect { draft: inspection(r1.id, "2026-11-22", vec![present(a), absent], 5) }).unwrap();
    assert_eq!(
        refusal(svc.logistics_do("cap2", C::Inspect { draft: inspection(r1.id, "2026-11-22", vec![present(a), present(b)], 0) })),
        R::InspectedAlready { by: "黄志勇".into() }
    );
    match svc.logistics_do("cap", C::Inspect { draft: inspection(r2.id, "2026-11-24", vec![], 0) }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::Future),
        other => panic!("{other:?}"),
    }
    svc.logistics_do("cap", C::Inspect { draft: inspection(r2.id, "2026-11-22", vec![], 0) }).unwrap();
    let D::Night(night) = svc.logistics(&Q::Night { night: d("2026-11-22") }).unwrap() else { panic!() };
    assert_eq!(night.pending, 0);
    assert_eq!(night.absent, [("RY-0002 李强".to_string(), "1号楼 201".to_string())]);
    let record = guardroom::service::duty::guard_month(&*svc, b, d("2026-11-10")).unwrap();
    assert_eq!(record.curfew_absences, [d("2026-11-22")], "the absence is on the guard's record");
    let D::Night(tonight) = svc.logistics(&Q::Night { night: d("2026-11-23") }).unwrap() else { panic!() };
    assert_eq!(tonight.pending, 1, "the empty room needs no check");
    // Last month room 201 scored 100.
    svc.logistics_do("cap", C::Inspect { draft: inspection(r1.id, "2026-10-30", vec![present(a), present(b)], 0) }).unwrap();
    let D::Ranking { rows, .. } = svc.logistics(&Q::Ranking { month: d("2026-11-05") }).unwrap() else { panic!() };
    assert_eq!(
        rows.iter().map(|r| (r.label.as_str(), r.average_tenths, r.previous_tenths)).collect::<Vec<_>>(),
        [("1号楼 202", 1000, None), ("1号楼 201", 950, Some(1000))]
    );
}

fn vehicle(svc: &Service, plate: &str) -> u64 {
    let draft = VehicleDraft { plate: plate.into(), model: "别克GL8".into(), seats: 7, odometer: 1000, ..Default::default() };
    match svc.logistics_do("zhao", C::SaveVehicle { id: None, version: 0, draft }).unwrap() {
        D::Vehicle(v) => v.id,
        other => panic!("{other:?}"),
    }
}

fn trip(vehicle_id: u64, driver_id: u64, date: &str, start: u32, end: u32) -> TripDraft {
    TripDraft {
        vehicle_id,
        date: d(date),
        driver_id,
        purpose: "接送夜班队员".into(),
        start_km: start,
        end_km: end,
        fuel: Fen(20_000),
        toll: Fen(1_000),
        parking: Fen(0),
        other: Fen(0),
        receipts: "加油票 1 张".into(),
    }
}

#[test]
fn only_permit_holders_drive_and_trips_are_measured_and_totalled() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let v = vehicle(&svc, "沪A·12345");
    assert_eq!(
        refusal(svc.logistics_do(
            "zhao",
            C::SaveVehicle { id: None, version: 0, draft: VehicleDraft { plate: "沪a·12345".into(), seats: 5, ..Default::default() } }
        )),
        R::PlateTaken,
        "plates compare in capitals"
    );
    let driver = person(&svc, "段宏伟", Some("2027-06-30"));
    let lapsed = person(&svc, "贾春生", Some("2026-11-20"));
    let none = person(&svc, "王伟", None);
    assert_eq!(
        refusal(svc.logistics_do("zhao", C::AddTrip { draft: trip(v, lapsed, "2026-11-21", 1000, 1040) })),
        R::Driver { who: "RY-0002 贾春生".into(), why: MayNotDrive::PermitExpired(d("2026-11-20")) }
    );
    assert_eq!(
        refusal(svc.logistics_do("zhao", C::AddTrip { draft: trip(v, none, "2026-11-21", 1000, 1040) })),
        R::Driver { who: "RY-0003 王伟".into(), why: MayNotDrive::NoPermit }
    );
    match svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-21", 1040, 1000) }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::OdometerBackwards),
        other => panic!("{other:?}"),
    }
    svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-21", 1000, 1040) }).unwrap();
    // 12 km nobody logged: saved, and flagged for review.
    let D::Trip(t) = svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-22", 1052, 1100) }).unwrap() else { panic!() };
    assert_eq!(t.continuity, Continuity::Gap(12));
    let D::Vehicles(vs) = svc.logistics(&Q::Vehicles).unwrap() else { panic!() };
    assert_eq!(vs[0].vehicle.draft.odometer, 1100, "the odometer follows the trips");
    let D::Month(m) = svc.logistics(&Q::Month { month: d("2026-11-01") }).unwrap() else { panic!() };
    assert_eq!((m[0].totals.trips, m[0].totals.distance, m[0].totals.cost), (2, 88, Fen(42_000)));
    assert_eq!(m[0].totals.per_km(), Some(Fen(477)));
    assert!(m[0].check.is_none(), "no routine check this month yet");
    let D::Trips(rows) = svc.logistics(&Q::Trips { vehicle_id: v, month: d("2026-11-30") }).unwrap() else { panic!() };
    assert_eq!(rows.iter().map(|r| r.trip.draft.start_km).collect::<Vec<_>>(), [1000, 1052]);
}

#[test]
fn one_routine_check_a_month_and_accidents_on_the_vehicles_history() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let v = vehicle(&svc, "沪A·12345");
    let lines = CheckItem::ALL.iter().map(|i| CheckLine { item: *i, pass: true, note: String::new() }).collect::<Vec<_>>();
    let check = VehicleCheckDraft {
        vehicle_id: v,
        month: d("2026-11-10"),
        inspector: "赵磊".into(),
        lines,
        defects: String::new(),
        repaired: None,
    };
    svc.logistics_do("zhao", C::SaveCheck { id: None, version: 0, draft: check.clone() }).unwrap();
    assert_eq!(
        refusal(svc.logistics_do("li", C::SaveCheck { id: None, version: 0, draft: check })),
        R::CheckedAlready { by: "赵磊".into() }
    );
    let D::Month(m) = svc.logistics(&Q::Month { month: d("2026-11-01") }).unwrap() else { panic!() };
    assert!(m[0].check.as_ref().is_some_and(|c| c.draft.passed()));
    let driver = person(&svc, "段宏伟", Some("2027-06-30"));
    let at = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(18, 40, 0).unwrap();
    let accident = AccidentDraft {
        vehicle_id: v,
        driver_id: driver,
        at,
        place: "延安高架 江苏路下匝道".into(),
        description: "追尾，前保险杠受损".into(),
        injuries: "无".into(),
        reported_at: Some(at - chrono::Duration::minutes(5)),
    };
    match svc.logistics_do("zhao", C::ReportAccident { draft: accident.clone() }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].field, "reported_at", "reported before it happened"),
        other => panic!("{other:?}"),
    }
    let accident = AccidentDraft { reported_at: Some(at + chrono::Duration::minutes(10)), ..accident };
    svc.logistics_do("zhao", C::ReportAccident { draft: accident }).unwrap();
    let D::History(h) = svc.logistics(&Q::History { vehicle_id: v }).unwrap() else { panic!() };
    assert_eq!((h.checks.len(), h.accidents.len()), (1, 1));
}

#[test]
fn only_roles_with_the_right_keep_dorms_and_vehicles() {
    use guardroom::domain::Role;
    use guardroom::service::guard::Guarded;
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    svc.bootstrap_admin("root").unwrap();
    for (account, role, may) in [("cap", Role::Captain, true), ("kefu", Role::CustomerService, false), ("gate", Role::PostOperator, false)]
    {
        svc.set_operator("root", account, role, true).unwrap();
        let g = Guarded::new(svc.clone(), account).unwrap();
        assert_eq!(g.logistics(&Q::Rooms).is_ok(), may, "{account}");
    }
}

#[test]
fn the_ranking_and_the_vehicle_month_export_as_csv_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let a = person(&svc, "王伟", None);
    let D::Room(r) = room(&svc, "1号楼 201", 4, vec![a]).unwrap() else { panic!() };
    let here = CurfewCheck { staff_id: a, status: Curfew::Present, reason: String::new() };
    svc.logistics_do("cap", C::Inspect { draft: inspection(r.id, "2026-11-20", vec![here], 5) }).unwrap();
    let D::Ranking { month, rows } = svc.logistics(&Q::Ranking { month: d("2026-11-23") }).unwrap() else { panic!() };
    let csv = guardroom::export::ranking_csv(month, &rows, guardroom::i18n::Lang::En).unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert_eq!(text.lines().nth(1), Some("2026-11,1号楼 201,95.0,1,"));
    let v = vehicle(&svc, "沪A·12345");
    let driver = person(&svc, "段宏伟", Some("2027-06-30"));
    svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-21", 1000, 1100) }).unwrap();
    let D::Month(m) = svc.logistics(&Q::Month { month: d("2026-11-01") }).unwrap() else { panic!() };
    let csv = guardroom::export::vehicle_month_csv(d("2026-11-01"), &m, guardroom::i18n::Lang::Zh).unwrap();
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert_eq!(text.lines().next(), Some("月份,车牌,出车,公里,费用,每公里,例行检查"));
    assert_eq!(text.lines().nth(1), Some("2026-11,沪A·12345,1,100,210.00,2.10,未做"));
}

#[test]
fn a_mistyped_check_or_trip_is_corrected_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let a = person(&svc, "王伟", None);
    let D::Room(r) = room(&svc, "1号楼 201", 4, vec![a]).unwrap() else { panic!() };
    let here = CurfewCheck { staff_id: a, status: Curfew::Present, reason: String::new() };
    let D::Inspection(i) = svc.logistics_do("cap", C::Inspect { draft: inspection(r.id, "2026-11-22", vec![here.clone()], 10) }).unwrap()
    else {
        panic!()
    };
    let draft = inspection(r.id, "2026-11-22", vec![here], 0);
    let D::Inspection(fixed) = svc.logistics_do("cap", C::CorrectInspection { id: i.id, version: i.meta.version, draft }).unwrap() else {
        panic!()
    };
    assert_eq!((fixed.id, fixed.draft.score()), (i.id, 100), "the same check, not a second one");
    let trail = svc.store().audit_of::<guardroom::domain::dorm::Inspection>(i.id).unwrap();
    assert!(trail.last().unwrap().changes.iter().any(|c| c.field == "score" && c.before == "90" && c.after == "100"));
    let v = vehicle(&svc, "沪A·12345");
    let driver = person(&svc, "段宏伟", Some("2027-06-30"));
    svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-20", 1000, 1040) }).unwrap();
    // Logged with the start mistyped (1400 for 1040): flagged; corrected: it continues.
    let D::Trip(t) = svc.logistics_do("zhao", C::AddTrip { draft: trip(v, driver, "2026-11-21", 1400, 1460) }).unwrap() else { panic!() };
    assert_eq!(t.continuity, Continuity::Gap(360));
    let D::Trip(t2) = svc
        .logistics_do("zhao", C::CorrectTrip { id: t.id, version: t.meta.version, draft: trip(v, driver, "2026-11-21", 1040, 1100) })
        .unwrap()
    else {
        panic!()
    };
    assert_eq!((t2.id, t2.continuity), (t.id, Continuity::Continues));
}

#[test]
fn plates_drivers_odometers_and_dates_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let save = |plate: &str, odometer: u32, drivers: Vec<u64>, id: Option<(u64, u64)>| {
        let draft = VehicleDraft { plate: plate.into(), seats: 5, odometer, drivers, ..Default::default() };
        let (id, version) = id.map_or((None, 0), |(i, v)| (Some(i), v));
        svc.logistics_do("zhao", C::SaveVehicle { id, version, draft })
    };
    match save("ABC", 0, vec![], None) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::Plate),
        other => panic!("{other:?}"),
    }
    let D::Vehicle(v) = save("宁a p5521", 1000, vec![], None).unwrap() else { panic!() };
    assert_eq!(v.draft.plate, "宁A·P5521", "one spelling per plate");
    assert_eq!(refusal(save("宁A·P5521", 0, vec![], None)), R::PlateTaken, "the same plate written another way");
    let walker = person(&svc, "王伟", None);
    assert!(
        matches!(refusal(save("宁A·P5521", 1000, vec![walker], Some((v.id, v.meta.version)))), R::Driver { .. }),
        "drivers hold permits"
    );
    match save("宁A·P5521", 900, vec![], Some((v.id, v.meta.version))) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::OdometerBackwards),
        other => panic!("{other:?}"),
    }
    let driver = person(&svc, "段宏伟", Some("2027-06-30"));
    match svc.logistics_do("zhao", C::AddTrip { draft: trip(v.id, driver, "2026-11-24", 1000, 1010) }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::Future, "a trip is logged after it happened"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_guard_on_duty_at_curfew_is_known_to_the_nights_round() {
    use chrono::NaiveTime;
    use guardroom::domain::{PostDraft, ShiftSpec};
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let client = svc.create_client("cap", guardroom::domain::ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let shifts = vec![ShiftSpec { key: 1, name: "夜班".into(), start: t(20), end: t(8), headcount: 1 }];
    let DutyData::OnePost(post) = svc
        .duty_do(
            "cap",
            DutyCommand::SavePost {
                id: None,
                version: 0,
                draft: PostDraft { client_id: client.id, site: "大门岗".into(), shifts, ..Default::default() },
            },
        )
        .unwrap()
    else {
        panic!()
    };
    let draft = StaffDraft { name: "马超".into(), licence: Credential { number: "沪保1".into(), expires: None }, ..Default::default() };
    let DutyData::OneStaff(g) = svc.duty_do("cap", DutyCommand::SaveStaff { id: None, version: 0, draft }).unwrap() else { panic!() };
    svc.duty_do("cap", DutyCommand::Assign { post_id: post.id, date: d("2026-11-22"), shift_key: 1, staff_id: g.id }).unwrap();
    let D::Night(n) = svc.logistics(&Q::Night { night: d("2026-11-22") }).unwrap() else { panic!() };
    assert!(n.on_duty.contains(&g.id), "the night shift covers 22:00");
    let D::Night(n) = svc.logistics(&Q::Night { night: d("2026-11-21") }).unwrap() else { panic!() };
    assert!(!n.on_duty.contains(&g.id));
}
