//! Snapshots of rendered screens (TestBackend + insta), in both languages.

use chrono::{NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::{ClientDraft, ClientKind, Contract, Fen, LegalReview, Promise, Rating, Services, Tier, VisitDraft, VisitMethod};
use guardroom::i18n::Lang;
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A small fixed data set; the clock is fixed so dates and marks are stable.
fn app(dir: &std::path::Path, lang: Lang) -> App {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let service = Service::new(Store::open(dir).unwrap(), Box::new(FixedClock(now)));
    let opened = Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0).unwrap();
    let mk = |name: &str, tier: Tier, rating: Rating, contact: &str, phone: &str| ClientDraft {
        name: name.into(),
        kind: ClientKind::Enterprise,
        services: Services::Guarding,
        address: "上海市静安区南京西路1266号".into(),
        contact: contact.into(),
        contact_title: "行政经理".into(),
        phone: phone.into(),
        rating,
        tier,
        contract: Contract {
            number: "HT-2025-031".into(),
            start: Some(d("2025-10-01")),
            end: Some(d("2026-09-30")),
            monthly_fee: Fen(3_800_000),
            legal_review: LegalReview::Approved,
        },
        notes: "夜间需加强地下车库巡逻。".into(),
        ..Default::default()
    };
    let a =
        service.create_client_at("li", mk("上海华贸中心物业管理有限公司", Tier::Key, Rating::B, "王建国", "021-62881234"), opened).unwrap();
    let b = service.create_client_at("li", mk("苏州恒达物流园", Tier::Regular, Rating::B, "陈静", "13912345678"), opened).unwrap();
    let mut ind = mk("张先生（特卫）", Tier::Key, Rating::C, "张伟", "13800001111");
    ind.kind = ClientKind::Individual;
    ind.services = Services::CloseProtection;
    service.create_client_at("li", ind, opened).unwrap();
    service.create_client_at("li", mk("Global Tech Park Shanghai", Tier::Prospect, Rating::D, "Tom Li", "400-820-8820"), opened).unwrap();
    let mut v = VisitDraft::new(d("2026-10-12"), "李娜");
    v.method = VisitMethod::OnSite;
    v.met = "王建国".into();
    v.purpose = "季度回访".into();
    v.opinions = "希望夜班增加一人；对门岗礼仪满意。".into();
    v.promises = vec![
        Promise { text: "十一月起夜班增派一名保安".into(), due: d("2026-11-15"), done: None },
        Promise { text: "更换对讲机".into(), due: d("2026-11-01"), done: Some(d("2026-10-30")) },
    ];
    service.add_visit("li", a.id, v).unwrap();
    let mut v2 = VisitDraft::new(d("2026-11-20"), "周敏");
    v2.method = VisitMethod::Phone;
    v2.purpose = "电话回访".into();
    service.add_visit("zhou", b.id, v2).unwrap();
    service.review_rating_on("张经理", a.id, 2, Rating::A, "按时付款，配合整改", d("2026-09-30")).unwrap();
    let api: Arc<dyn Api> = service;
    api.preload().unwrap();
    let mut app = App::new(api, lang, Theme::default(), "li");
    app.tab = guardroom::ui::app::TabId::Clients;
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    format!("{:?}", t.backend())
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ filters => vec![(r"li @ \S+", "li @ [db]     "), (r"(就绪|Ready) · \S+ *", "$1 · [db]")] }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn client_list_in_both_languages() {
    for (lang, name) in [(Lang::Zh, "list_zh_120x40"), (Lang::En, "list_en_120x40")] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        snap!(name, screen(&mut a, 120, 40));
    }
}

#[test]
fn client_list_at_the_minimum_size_and_below() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::Zh);
    key(&mut a, KeyCode::Char('s'));
    key(&mut a, KeyCode::Char('S'));
    snap!("list_zh_80x24_sorted_by_name_desc", screen(&mut a, 80, 24));
    snap!("too_small_zh", screen(&mut a, 60, 20));
}

#[test]
fn filtering_narrows_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::En);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "恒达");
    snap!("filter_en", screen(&mut a, 100, 24));
}

#[test]
fn client_detail_in_both_languages() {
    for (lang, name) in [(Lang::Zh, "detail_zh"), (Lang::En, "detail_en")] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        key(&mut a, KeyCode::Enter);
        snap!(name, screen(&mut a, 100, 30));
    }
}

#[test]
fn a_refused_form_keeps_input_and_marks_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::Zh);
    key(&mut a, KeyCode::Char('n'));
    key(&mut a, KeyCode::Tab); // leave the name empty
    for _ in 0..5 {
        key(&mut a, KeyCode::Tab);
    }
    typed(&mut a, "12345");
    ctrl(&mut a, 's');
    snap!("form_errors_zh_80x24", screen(&mut a, 80, 24));
}

#[test]
fn welcome_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let api: Arc<dyn Api> = Service::new(Store::open(dir.path()).unwrap(), Box::new(FixedClock(now)));
    let mut a = App::new(api, Lang::En, Theme::default(), "li");
    let s = screen(&mut a, 80, 24);
    insta::with_settings!({ filters => vec![(r"li @ \S+", "li @ [db]     "), (r"empty: \S+", "empty: [db]"), (r"(就绪|Ready) · \S+ *", "$1 · [db]")] }, {
        insta::assert_snapshot!("welcome_en_80x24", s);
    });
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::Zh);
    key(&mut a, KeyCode::Char('?'));
    snap!("help_list_zh", screen(&mut a, 100, 30));
}
