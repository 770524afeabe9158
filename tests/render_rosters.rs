//! Snapshots of the Rosters tab: the week grid with its coverage signs, a
//! post's screen at 80×24 and a day's attendance audit, in both languages.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::{ClientDraft, Credential, PostDraft, ShiftSpec, StaffDraft};
use guardroom::i18n::Lang;
use guardroom::service::duty::{DutyCommand as C, DutyData};
use guardroom::service::{Api, ManualClock, Service};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn hm(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

/// Monday 23 November 2026, 09:00: a gate with day and night shifts and a
/// lobby, four guards, one over-staffed cell and some gaps.
fn app(dir: &std::path::Path, lang: Lang) -> App {
    std::env::set_var("TZ", "UTC");
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let s = Service::new(Store::open(dir).unwrap(), Box::new(clock.clone()));
    let set = |t: &str| clock.set(Utc.from_utc_datetime(&at(t)));
    let client = s.create_client("li", ClientDraft { name: "上海华贸中心物业管理有限公司".into(), ..Default::default() }).unwrap();
    let mut posts = vec![];
    for (site, shifts) in [
        (
            "大门岗",
            vec![
                ShiftSpec { key: 1, name: "白班".into(), start: hm(8), end: hm(20), headcount: 2 },
                ShiftSpec { key: 2, name: "夜班".into(), start: hm(20), end: hm(8), headcount: 1 },
            ],
        ),
        ("大堂岗", vec![ShiftSpec { key: 1, name: "早班".into(), start: hm(7), end: hm(15), headcount: 1 }]),
    ] {
        let draft =
            PostDraft { client_id: client.id, site: site.into(), address: "南京西路1266号".into(), shifts, ..Default::default() };
        if let DutyData::OnePost(p) = s.duty_do("li", C::SavePost { id: None, version: 0, draft }).unwrap() {
            posts.push(p.id);
        }
    }
    let mut g = vec![];
    for name in ["王伟", "李强", "陈军", "赵磊"] {
        let draft =
            StaffDraft { name: name.into(), licence: Credential { number: format!("沪保{name}"), expires: None }, ..Default::default() };
        if let DutyData::OneStaff(x) = s.duty_do("li", C::SaveStaff { id: None, version: 0, draft }).unwrap() {
            g.push(x.id);
        }
    }
    let assign = |post_id, date: &str, shift_key, staff_id| {
        s.duty_do("li", C::Assign { post_id, date: d(date), shift_key, staff_id }).unwrap();
    };
    assign(posts[0], "2026-11-22", 2, g[3]);
    for day in ["2026-11-23", "2026-11-24", "2026-11-25"] {
        assign(posts[0], day, 1, g[0]);
        assign(posts[0], day, 1, g[1]);
    }
    assign(posts[0], "2026-11-25", 1, g[2]); // one over the headcount
    assign(posts[0], "2026-11-23", 2, g[2]);
    assign(posts[1], "2026-11-24", 1, g[3]);
    assign(posts[1], "2026-11-26", 1, g[3]);
    let gate = posts[0];
    s.duty_do(
        "post",
        C::Handover { post_id: gate, date: d("2026-11-22"), shift_key: 2, text: "东侧围栏松动，已报物业。".into(), was: None },
    )
    .unwrap();
    set("2026-11-23 07:55");
    s.duty_do("post", C::CheckIn { post_id: gate, date: d("2026-11-23"), shift_key: 1, staff_id: g[0], at: None }).unwrap();
    set("2026-11-23 08:23");
    s.duty_do("post", C::CheckIn { post_id: gate, date: d("2026-11-23"), shift_key: 1, staff_id: g[1], at: None }).unwrap();
    set("2026-11-23 09:00");
    s.duty_do("post", C::Handover { post_id: gate, date: d("2026-11-23"), shift_key: 1, text: String::new(), was: None }).unwrap();
    s.duty_do(
        "post",
        C::Patrol {
            post_id: gate,
            date: d("2026-11-23"),
            time: NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
            checkpoints: "东门、地库".into(),
            remarks: "正常".into(),
        },
    )
    .unwrap();
    let api: Arc<dyn Api> = s;
    api.preload().unwrap();
    let mut app = App::new(api, lang, Theme::default(), "li");
    key(&mut app, KeyCode::Char('3'));
    app
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
fn roster_grid_post_screen_and_audit_in_both_languages() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        let grid = screen(&mut a, 100, 24);
        // The over-staffed Wednesday and the uncovered Thursday carry their signs.
        assert!(grid.contains("+1") && grid.contains("-2"), "{grid}");
        snap!(format!("roster_grid_{tag}"), grid);
        key(&mut a, KeyCode::Char('p'));
        let post = screen(&mut a, 80, 24);
        assert!(post.contains("东侧围栏松动"), "the night shift's handover shows: {post}");
        snap!(format!("post_screen_{tag}_80x24"), post);
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('a'));
        snap!(format!("attendance_audit_{tag}"), screen(&mut a, 100, 24));
    }
}

#[test]
fn a_correction_keeps_the_times_and_counts_the_lateness() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::En);
    key(&mut a, KeyCode::Char('a'));
    // 王伟 checked in at 07:55; mark him late after all, with a reason.
    key(&mut a, KeyCode::Char('c'));
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Tab);
    for _ in 0..5 {
        key(&mut a, KeyCode::Backspace);
    }
    for c in "08:20".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    for c in "监控显示 08:20 到岗".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    a.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = screen(&mut a, 100, 24);
    assert!(s.contains("late 20 min") && s.contains("08:20") && s.contains("监控显示"), "{s}");
    // Reopening shows the times as they are now, not blanks.
    key(&mut a, KeyCode::Char('c'));
    let s = screen(&mut a, 100, 24);
    assert!(s.contains("08:20"), "{s}");
}
