//! Snapshots of the Complaints tab: the register table, the register form,
//! a complaint's timeline and the statistics view, in both languages.

use chrono::{NaiveDateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::{Category, Channel, ClientDraft, ComplaintDraft, Fen, VisitMethod};
use guardroom::i18n::Lang;
use guardroom::service::{Api, FixedClock, Policy, Service, Step};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app(dir: &std::path::Path, lang: Lang) -> App {
    // Audit times are shown in local time: pin the zone for stable snapshots.
    std::env::set_var("TZ", "UTC");
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let s =
        Service::with_policy(Store::open(dir).unwrap(), Box::new(clock), Policy { managers: vec!["zhang".into()], ..Default::default() });
    let a = s
        .create_client("li", ClientDraft { name: "上海华贸中心物业管理有限公司".into(), contact: "王建国".into(), ..Default::default() })
        .unwrap();
    let b = s.create_client("li", ClientDraft { name: "苏州恒达物流园".into(), ..Default::default() }).unwrap();
    let mk = |client: &guardroom::domain::Client, at: &str, cat: Category, cause: &str| ComplaintDraft {
        client_id: client.id,
        client_name: client.draft.name.clone(),
        address: "上海市静安区南京西路1266号".into(),
        phone: "021-62881234".into(),
        received_at: t(at),
        received_by: "李娜".into(),
        channel: Channel::Phone,
        cause: cause.into(),
        demand: "更换队员".into(),
        category: cat,
        amount: if cat == Category::FeeDeduction { Fen(80_000) } else { Fen(0) },
        kind: "脱岗睡岗".into(),
        remarks: String::new(),
    };
    s.register_complaint("li", mk(&a, "2026-11-18 10:00", Category::General, "夜班保安睡岗")).unwrap();
    let c = s.register_complaint("li", mk(&b, "2026-11-22 20:00", Category::FeeDeduction, "巡逻漏点，仓库失窃")).unwrap();
    let c = s.complaint_step("zhou", c.id, c.meta.version, Step::Inform { how: "电话告知".into() }).unwrap();
    s.complaint_step(
        "zhao",
        c.id,
        c.meta.version,
        Step::Investigate {
            investigator: "人防部 赵磊".into(),
            responsible: "队员 刘强".into(),
            cause_found: "巡更漏打".into(),
            measure: "加强巡更".into(),
        },
    )
    .unwrap();
    let d = s.register_complaint("li", mk(&a, "2026-11-20 09:00", Category::General, "门岗态度差")).unwrap();
    let d = s.complaint_step("li", d.id, d.meta.version, Step::Inform { how: "电话".into() }).unwrap();
    let d = s
        .complaint_step(
            "zhao",
            d.id,
            d.meta.version,
            Step::Investigate {
                investigator: "赵磊".into(),
                responsible: "队长 王军".into(),
                cause_found: "新队员".into(),
                measure: "培训".into(),
            },
        )
        .unwrap();
    let d = s.complaint_step("li", d.id, d.meta.version, Step::Resolve { text: "已培训并道歉".into(), amount: Fen(0) }).unwrap();
    s.complaint_step(
        "zhou",
        d.id,
        d.meta.version,
        Step::FollowUp { method: VisitMethod::Phone, met: "王建国".into(), opinions: "满意".into() },
    )
    .unwrap();
    let api: Arc<dyn Api> = s;
    api.preload().unwrap();
    let mut app = App::new(api, lang, Theme::default(), "li");
    app.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
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
fn register_table_detail_form_and_statistics_in_both_languages() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        snap!(format!("complaints_table_{tag}"), screen(&mut a, 120, 24));
        // The overdue complaint sorts first; open it for its timeline.
        key(&mut a, KeyCode::Down);
        key(&mut a, KeyCode::Enter);
        snap!(format!("complaint_detail_{tag}"), screen(&mut a, 100, 30));
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('n'));
        snap!(format!("complaint_register_form_{tag}"), screen(&mut a, 100, 30));
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('t'));
        snap!(format!("complaint_statistics_{tag}"), screen(&mut a, 120, 32));
    }
}
