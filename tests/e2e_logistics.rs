//! End to end: a night's round over three rooms in the real binary, one
//! form after the other, with an absence at curfew; and a trip refused for
//! a driver without the company permit, the form keeping what was typed.

mod common;

use common::*;
use guardroom::domain::dorm::RoomDraft;
use guardroom::domain::fleet::VehicleDraft;
use guardroom::domain::{Credential, StaffDraft};
use guardroom::service::duty::{DutyCommand, DutyData};
use guardroom::service::logistics::LogisticsCommand as C;
use guardroom::service::{Api, Service, SystemClock};
use guardroom::store::Store;

#[test]
fn a_nights_round_over_three_rooms_and_a_refused_trip() {
    // Evening, whenever the test runs: the round belongs to tonight.
    let tz = {
        let utc_hour = chrono::Timelike::hour(&chrono::Utc::now()) as i32;
        let offset = 21 - utc_hour;
        let offset = if offset > 14 {
            offset - 24
        } else if offset < -12 {
            offset + 24
        } else {
            offset
        };
        format!("GRD{}{}", if offset >= 0 { "-" } else { "+" }, offset.abs())
    };
    std::env::set_var("TZ", &tz);
    let home = Home::new();
    let db = home.db.clone();
    {
        let svc = Service::new(Store::open(&db).unwrap(), Box::new(SystemClock));
        let mut ids = vec![];
        for name in ["王伟", "李强", "陈军", "赵磊"] {
            let draft = StaffDraft { name: name.into(), permit: Credential::default(), ..Default::default() };
            if let DutyData::OneStaff(s) = svc.duty_do("tester", DutyCommand::SaveStaff { id: None, version: 0, draft }).unwrap() {
                ids.push(s.id);
            }
        }
        for (room, occupants) in [("201", vec![ids[0]]), ("202", vec![ids[1]]), ("203", vec![ids[2]])] {
            let draft = RoomDraft { building: "1号楼".into(), room: room.into(), occupants, ..Default::default() };
            svc.logistics_do("tester", C::SaveRoom { id: None, version: 0, draft }).unwrap();
        }
        let draft = VehicleDraft { plate: "沪A·D2817".into(), model: "别克GL8".into(), seats: 7, odometer: 1000, ..Default::default() };
        svc.logistics_do("tester", C::SaveVehicle { id: None, version: 0, draft }).unwrap();
    }
    let mut t = home.open_with("en", 100, 30, &[("TZ", &tz)]);
    t.wait_for("The database is empty");
    t.send("e");
    t.wait_for("1 Clients");
    t.send("6");
    t.wait_for("3 rooms");
    t.send("r");
    t.wait_for("3 rooms to check");
    // Room 201: all in, full marks.
    t.send(ENTER);
    t.wait_for("Room check: 1号楼 201");
    t.send(CTRL_S);
    // The next room opens by itself; 李强 is not back by 22:00.
    t.wait_for("Room check: 1号楼 202");
    t.send("\x1b[C"); // → absent
    t.wait_for("[absent]");
    t.send(CTRL_S);
    t.wait_for("Room check: 1号楼 203");
    t.send(CTRL_S);
    t.wait_gone("Room check:");
    t.wait_for("0 rooms to check");
    t.wait_for("1 absent at curfew");
    t.wait_for("RY-0002 李强 · 1号楼 202");
    t.send(ESC);
    t.wait_for("3 rooms ·");
    // A trip by 赵磊, who holds no driving permit: refused, nothing lost.
    t.send("7");
    t.wait_for("沪A·D2817");
    t.send("t");
    t.wait_for("Trip: 沪A·D2817");
    t.type_text("接送夜班队员");
    t.send(TAB);
    t.send(TAB);
    t.type_text("1040");
    // Back up to the driver field and pick 赵磊.
    for _ in 0..3 {
        t.send("\x1b[Z");
    }
    t.type_text("赵磊");
    t.wait_for("RY-0004 赵磊");
    t.send(DOWN);
    t.send(ENTER);
    t.send(CTRL_S);
    t.wait_for("holds no company driving permit");
    assert!(t.screen().contains("接送夜班队员") && t.screen().contains("1040"), "what was typed stays: {}", t.screen());
    t.send(ESC);
    t.wait_for("Discard");
    t.send("y");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}
