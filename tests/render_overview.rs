//! Snapshots of the Overview and its monthly report on the demo set, in
//! both languages, at a roomy and at the smallest terminal.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::i18n::Lang;
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::app::TabId;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

/// The demo set on Monday 23 November 2026 at 10:00.
fn app(dir: &std::path::Path, lang: Lang) -> App {
    std::env::set_var("TZ", "UTC");
    let s = Service::new(Store::open(dir).unwrap(), Box::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap())));
    s.load_demo("li").unwrap();
    let api: Arc<dyn Api> = s;
    api.preload().unwrap();
    App::new(api, lang, Theme::default(), "li")
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    format!("{:?}", term.backend())
}

fn text(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect()
}

fn key(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ filters => vec![(r"li @ \S+", "li @ [db]     "), (r"(就绪|Ready) · \S+ *", "$1 · [db]")] }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn the_day_starts_on_the_overview_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), lang);
        assert_eq!(a.tab, TabId::Overview);
        let code = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        snap!(format!("overview_{code}_120x36"), screen(&mut a, 120, 36));
        snap!(format!("overview_{code}_80x24"), screen(&mut a, 80, 24));
        key(&mut a, KeyCode::Char('m'));
        snap!(format!("month_report_view_{code}"), screen(&mut a, 100, 30));
    }
}

#[test]
fn enter_opens_the_pile_and_esc_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::En);
    let o = a.api.overview(true).unwrap();
    let overdue = o.count(guardroom::service::overview::Item::ComplaintsOverdue).unwrap();
    assert!(text(&mut a, 120, 36).contains("Complaints overdue"));
    // The first line is the overdue complaints.
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.tab, TabId::Complaints);
    let all = a.api.list_complaints(&Default::default()).unwrap().all;
    let s = text(&mut a, 120, 36);
    assert!(s.contains(&format!("{overdue}/{all} complaints")), "the list holds the pile's {overdue}:\n{s}");
    key(&mut a, KeyCode::Esc);
    let s = text(&mut a, 120, 36);
    assert!(s.contains(&format!("{all}/{all} complaints")), "Esc shows them all again:\n{s}");

    // Down to the licences: the staff list narrows to them.
    key(&mut a, KeyCode::Char('0'));
    assert_eq!(a.tab, TabId::Overview);
    let lines = o.lines.len();
    key(&mut a, KeyCode::End);
    assert_eq!(a.overview.selected, lines - 1);
    key(&mut a, KeyCode::Up);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.tab, TabId::Staff);
    let licences = o.count(guardroom::service::overview::Item::LicencesExpiring).unwrap();
    assert!(text(&mut a, 120, 36).contains("Guard licences expiring"));
    assert_eq!(a.staff.list.shown.len(), licences);
    key(&mut a, KeyCode::Esc);
    text(&mut a, 120, 36);
    assert!(a.staff.list.shown.len() > licences);
}
