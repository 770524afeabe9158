//! Snapshots of the Dorm and Vehicles tabs: a room check in the night's
//! round, the hygiene ranking, a vehicle's trip log and the vehicles' month
//! with its routine checks, in both languages.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::dorm::{Curfew, CurfewCheck, HygieneItem, InspectionDraft, RoomDraft};
use guardroom::domain::fleet::{CheckItem, CheckLine, TripDraft, VehicleCheckDraft, VehicleDraft};
use guardroom::domain::{Choice, Credential, Fen, StaffDraft};
use guardroom::i18n::Lang;
use guardroom::service::duty::{DutyCommand, DutyData};
use guardroom::service::logistics::{LogisticsCommand as C, LogisticsData as D};
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Monday 23 November 2026, 21:30: three rooms, a month of checks in two
/// of them, two vehicles with trips and one routine check.
fn app(dir: &std::path::Path, lang: Lang) -> App {
    std::env::set_var("TZ", "UTC");
    let s = Service::new(Store::open(dir).unwrap(), Box::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 21, 30, 0).unwrap())));
    s.create_client("li", guardroom::domain::ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let mut people = vec![];
    for (name, permit) in [("王伟", None), ("李强", None), ("陈军", None), ("段宏伟", Some("2027-06-30"))] {
        let permit = Credential { number: permit.map(|_| "准-01".to_string()).unwrap_or_default(), expires: permit.map(d) };
        let draft = StaffDraft { name: name.into(), permit, ..Default::default() };
        if let DutyData::OneStaff(x) = s.duty_do("li", DutyCommand::SaveStaff { id: None, version: 0, draft }).unwrap() {
            people.push(x.id);
        }
    }
    let mut rooms = vec![];
    for (room, occupants) in [("201", vec![people[0], people[1]]), ("202", vec![people[2]]), ("203", vec![])] {
        let draft = RoomDraft {
            building: "1号楼".into(),
            room: room.into(),
            occupants,
            rent: Fen(180_000),
            landlord: "周国庆".into(),
            ..Default::default()
        };
        if let D::Room(r) = s.logistics_do("li", C::SaveRoom { id: None, version: 0, draft }).unwrap() {
            rooms.push(r);
        }
    }
    for (night, off) in [("2026-11-20", 0u8), ("2026-11-21", 5), ("2026-10-28", 10)] {
        for (i, r) in rooms.iter().take(2).enumerate() {
            let curfew =
                r.draft.occupants.iter().map(|o| CurfewCheck { staff_id: *o, status: Curfew::Present, reason: String::new() }).collect();
            let scores = HygieneItem::ALL
                .iter()
                .map(|it| (*it, it.points().saturating_sub(if *it == HygieneItem::Clean { off + 5 * i as u8 } else { 0 })))
                .collect();
            let draft = InspectionDraft {
                room_id: r.id,
                night: d(night),
                at: NaiveTime::from_hms_opt(22, 5, 0).unwrap(),
                inspector: "黄志勇".into(),
                curfew,
                scores,
                issues: String::new(),
            };
            s.logistics_do("li", C::Inspect { draft }).unwrap();
        }
    }
    let mut vehicles = vec![];
    for (plate, model, km) in [("沪A·D2817", "别克GL8", 1000), ("沪B·F6309", "金杯海狮", 5000)] {
        let draft = VehicleDraft {
            plate: plate.into(),
            model: model.into(),
            seats: 7,
            odometer: km,
            insurance_due: Some(d("2026-12-10")),
            inspection_due: Some(d("2027-05-01")),
            drivers: vec![people[3]],
            notes: String::new(),
        };
        if let D::Vehicle(v) = s.logistics_do("li", C::SaveVehicle { id: None, version: 0, draft }).unwrap() {
            vehicles.push(v.id);
        }
    }
    for (date, start, end) in [("2026-11-02", 1000, 1060), ("2026-11-09", 1060, 1100), ("2026-11-16", 1112, 1180)] {
        let draft = TripDraft {
            vehicle_id: vehicles[0],
            date: d(date),
            driver_id: people[3],
            purpose: "接送夜班队员".into(),
            start_km: start,
            end_km: end,
            fuel: Fen(25_000),
            toll: Fen(1_500),
            parking: Fen(0),
            other: Fen(0),
            receipts: "票据 2 张".into(),
        };
        s.logistics_do("li", C::AddTrip { draft }).unwrap();
    }
    let lines = CheckItem::ALL.iter().map(|i| CheckLine { item: *i, pass: *i != CheckItem::Tyres, note: String::new() }).collect();
    let draft = VehicleCheckDraft {
        vehicle_id: vehicles[0],
        month: d("2026-11-01"),
        inspector: "赵磊".into(),
        lines,
        defects: "左前轮磨损".into(),
        repaired: None,
    };
    s.logistics_do("li", C::SaveCheck { id: None, version: 0, draft }).unwrap();
    let api: Arc<dyn Api> = s;
    api.preload().unwrap();
    App::new(api, lang, Theme::default(), "li")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    format!("{:?}", term.backend())
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ filters => vec![(r"li @ \S+", "li @ [db]     "), (r"(就绪|Ready) · \S+ *", "$1 · [db]")] }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn night_round_ranking_trip_log_and_vehicle_month_in_both_languages() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        key(&mut a, KeyCode::Char('6'));
        key(&mut a, KeyCode::Char('r'));
        key(&mut a, KeyCode::Enter);
        let check = screen(&mut a, 100, 24);
        assert!(check.contains("王伟") && check.contains("李强"), "each occupant is asked for: {check}");
        snap!(format!("room_check_{tag}"), check);
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('m'));
        let ranking = screen(&mut a, 100, 24);
        // Room 201 lost 5 points on one of its two nights this month, 202
        // 5 and 10; both did 7.5 better than last month.
        assert!(ranking.contains("97.5") && ranking.contains("92.5") && ranking.contains("↑7.5"), "{ranking}");
        snap!(format!("hygiene_ranking_{tag}"), ranking);
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('7'));
        key(&mut a, KeyCode::Enter);
        let trips = screen(&mut a, 100, 24);
        let gap = if lang == Lang::Zh { "空 12 公里" } else { "12 km unlogged" };
        assert!(trips.contains("1112→1180") && trips.contains(gap), "the unlogged 12 km are marked: {trips}");
        snap!(format!("trip_log_{tag}"), trips);
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('m'));
        snap!(format!("vehicle_month_{tag}"), screen(&mut a, 100, 24));
        // The month's check of the first vehicle, as it was recorded.
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('c'));
        let form = screen(&mut a, 100, 32);
        assert!(form.contains("左前轮磨损") && form.contains("赵磊"), "the recorded check opens for its repair: {form}");
        snap!(format!("routine_check_{tag}"), form);
    }
}

#[test]
fn a_refused_vehicle_form_marks_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::En);
    key(&mut a, KeyCode::Char('7'));
    key(&mut a, KeyCode::Char('n'));
    // A plate that is no plate, and seats that are no number.
    for c in "ABC".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('x'));
    a.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("Fields needing attention: 2"), "{s}");
    assert!(s.contains("Write the plate as") && s.contains("from 1 to 60"), "both the plate and the seats are marked: {s}");
}
