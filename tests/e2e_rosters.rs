//! End to end: a week built for a post in the real binary, an overlapping
//! assignment refused with the clashing shift named, a guard checked in
//! late on the post screen, a handover written, and the day audited.

mod common;

use chrono::{Duration, Local, Timelike};
use common::*;
use guardroom::domain::{ClientDraft, Credential, PostDraft, ShiftSpec, StaffDraft};
use guardroom::service::duty::{DutyCommand as C, DutyData};
use guardroom::service::{Api, Service, SystemClock};
use guardroom::store::Store;

/// A POSIX zone in which it is about noon now, so the test's shift (which
/// began an hour ago) never straddles midnight, whenever the test runs.
fn noon_zone() -> String {
    let utc_hour = chrono::Utc::now().hour() as i32;
    let offset = 12 - utc_hour; // local = UTC + offset
                                // POSIX signs are inverted: "GRD-8" is UTC+8.
    format!("GRD{}{}", if offset >= 0 { "-" } else { "+" }, offset.abs())
}

#[test]
fn build_a_week_refuse_an_overlap_check_in_late_hand_over_and_audit() {
    let tz = noon_zone();
    std::env::set_var("TZ", &tz);
    let home = Home::new();
    let db = home.db.clone();
    let now = Local::now().naive_local();
    // The gate's duty shift began an hour ago (to the minute); the lobby's overlaps it.
    let start = (now - Duration::minutes(60)).time().with_second(0).unwrap().with_nanosecond(0).unwrap();
    let end = start + Duration::hours(8);
    {
        let svc = Service::new(Store::open(&db).unwrap(), Box::new(SystemClock));
        let client = svc.create_client("tester", ClientDraft { name: "华贸中心".into(), ..Default::default() }).unwrap();
        let post = |site: &str, headcount| {
            let shifts = vec![ShiftSpec { key: 1, name: "值班".into(), start, end, headcount }];
            let draft = PostDraft { client_id: client.id, site: site.into(), shifts, ..Default::default() };
            match svc.duty_do("tester", C::SavePost { id: None, version: 0, draft }).unwrap() {
                DutyData::OnePost(p) => p.id,
                other => panic!("{other:?}"),
            }
        };
        let gate = post("大门岗", 1);
        let lobby = post("大堂岗", 1);
        let mut ids = vec![];
        for name in ["王伟", "李强", "陈军"] {
            let draft = StaffDraft {
                name: name.into(),
                licence: Credential { number: format!("沪保{name}"), expires: None },
                ..Default::default()
            };
            if let DutyData::OneStaff(s) = svc.duty_do("tester", C::SaveStaff { id: None, version: 0, draft }).unwrap() {
                ids.push(s.id);
            }
        }
        // 李强 already stands the lobby's shift today.
        svc.duty_do("tester", C::Assign { post_id: lobby, date: now.date(), shift_key: 1, staff_id: ids[1] }).unwrap();
        // Yesterday 王伟 stood the gate, a quarter of an hour late: the day to audit.
        let yesterday = now.date().pred_opt().unwrap();
        let y_start = yesterday.and_time(start);
        svc.duty_do("tester", C::Assign { post_id: gate, date: yesterday, shift_key: 1, staff_id: ids[0] }).unwrap();
        // Entered afterwards, as a captain's correction.
        let times = Some((Some(y_start + Duration::minutes(15)), Some(y_start + Duration::hours(8))));
        let (post_id, shift_key, staff_id, status) = (gate, 1, ids[0], guardroom::domain::Attendance::Late);
        let reason = "补录".to_string();
        svc.duty_do("tester", C::Correct { post_id, date: yesterday, shift_key, staff_id, status, times, reason, was: None }).unwrap();
    }
    let mut t = home.open_with("en", 120, 40, &[("TZ", &tz)]);
    t.wait_for("1 Clients");
    t.send("3");
    t.wait_for("gaps next 7 days");
    // Today's cell of the gate's shift is selected: pick 王伟.
    t.send(ENTER);
    t.wait_for("RY-0001 王伟");
    t.type_text("王伟");
    t.send(ENTER);
    t.wait_for("Assigned: RY-0001 王伟");
    // 李强 is greyed with the rule; trying him anyway names the clashing shift.
    t.send(BACKSPACE);
    t.send(BACKSPACE);
    t.type_text("李强");
    t.wait_for("overlaps");
    t.send(ENTER);
    t.wait_for("RY-0002 李强 cannot be rostered: this overlaps the 值班 shift at GW-002 大堂岗");
    t.send(ESC);
    t.wait_gone("type to narrow");
    // The rest of the week: 陈军 on the next day.
    t.send("l");
    t.send(ENTER);
    t.wait_for("RY-0003 陈军");
    t.type_text("陈军");
    t.send(ENTER);
    t.wait_for("Assigned: RY-0003 陈军");
    t.send(ESC);
    t.wait_gone("type to narrow");
    // Next week is built from this one by copy-week (asked first).
    t.send("]");
    t.wait_for("0 assignments");
    t.send("c");
    t.wait_for("Copy last week's roster");
    t.send("y");
    // (How many depends on the weekday today falls on.)
    t.wait_for("Copied last week: ");
    assert!(!t.screen().contains("· 0 assignments"), "the copy filled the week: {}", t.screen());
    t.send("[");
    t.send("h");
    // The post screen: 王伟 checks in an hour late.
    t.send("p");
    t.wait_for("On now");
    t.send("i");
    t.wait_for("minutes late");
    assert!(t.screen().contains("late 6"), "about 60 minutes late: {}", t.screen());
    // A handover note for the next shift.
    t.send("h");
    t.wait_for("Handover note");
    t.type_text("东门灯坏了，已报修。");
    t.send(CTRL_S);
    t.wait_for("This shift's handover");
    t.wait_for("东门灯坏了，已报修。");
    t.send(ESC);
    t.wait_for("gaps next 7 days");
    // Today cannot be audited before its shifts are over; yesterday can.
    t.send("a");
    t.wait_for("not audited yet");
    t.send("A");
    t.wait_for("are not over yet");
    t.send("\x1b[D"); // ← yesterday
    t.wait_for("late 15 min");
    t.send("A");
    t.wait_for("Mark ");
    t.send("y");
    t.wait_for("marked audited");
    t.wait_for("audited by tester");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_post_operator_opens_on_its_post_at_80x24_and_checks_in() {
    let tz = noon_zone();
    std::env::set_var("TZ", &tz);
    let home = Home::new();
    let db = home.db.clone();
    let now = Local::now().naive_local();
    let start = (now - Duration::minutes(30)).time().with_second(0).unwrap().with_nanosecond(0).unwrap();
    {
        let svc = Service::new(Store::open(&db).unwrap(), Box::new(SystemClock));
        // tester is the admin; gate1 the post operator the post names.
        svc.bootstrap_admin("tester").unwrap();
        svc.set_operator("tester", "gate1", guardroom::domain::Role::PostOperator, true).unwrap();
        let client = svc.create_client("tester", ClientDraft { name: "华贸中心".into(), ..Default::default() }).unwrap();
        let shifts = vec![ShiftSpec { key: 1, name: "白班".into(), start, end: start + Duration::hours(12), headcount: 1 }];
        let draft =
            PostDraft { client_id: client.id, site: "大门岗".into(), shifts, operators: vec!["gate1".into()], ..Default::default() };
        let DutyData::OnePost(post) = svc.duty_do("tester", C::SavePost { id: None, version: 0, draft }).unwrap() else { panic!() };
        let draft =
            StaffDraft { name: "王伟".into(), licence: Credential { number: "沪保1".into(), expires: None }, ..Default::default() };
        let DutyData::OneStaff(s) = svc.duty_do("tester", C::SaveStaff { id: None, version: 0, draft }).unwrap() else { panic!() };
        svc.duty_do("tester", C::Assign { post_id: post.id, date: now.date(), shift_key: 1, staff_id: s.id }).unwrap();
    }
    let mut t = home.open_with("zh", 80, 24, &[("TZ", &tz), ("USER", "gate1")]);
    // Straight onto the post's screen: no other tab is offered.
    t.wait_for("当前班次");
    t.wait_for("王伟");
    let screen = t.screen();
    let bar = screen.lines().next().unwrap_or_default().split("gate1 @").next().unwrap_or_default().to_string();
    assert!(bar.contains("3 排班") && !bar.contains('1') && !bar.contains('4'), "only the post screen's tab: {bar}");
    t.send("i");
    t.wait_for("迟到 3");
    // A patrol round, the time filled in with now.
    t.send("r");
    t.wait_for("巡查点");
    t.type_text("东门、地库");
    t.send(CTRL_S);
    t.wait_for("今日巡逻 (1)");
    t.wait_for("东门、地库");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}
