//! Screens under `date_format = "zh"`. The format is set once per process,
//! so these tests have a test binary of their own.

use crossterm::event::KeyCode;
use guardroom::i18n::dates::{DateFormat, RUN_DATE_FORMAT};
use guardroom::i18n::Lang;
use guardroom::service::Api;
use guardroom::ui::app::TabId;
use guardroom::ui::screenshots::{demo_service, render, screen_lines};
use guardroom::ui::theme::Theme;
use guardroom::ui::App;
use std::sync::Arc;

fn screen(api: &Arc<dyn Api>, lang: Lang, tab: TabId, keys: &[KeyCode]) -> Vec<String> {
    let _ = RUN_DATE_FORMAT.set(DateFormat::Zh);
    let mut app = App::new(Arc::clone(api), lang, Theme::default(), "kefu");
    app.tab = tab;
    screen_lines(&render(&mut app, keys).0)
}

#[test]
fn lists_and_files_show_chinese_dates_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let api: Arc<dyn Api> = demo_service(&dir.path().join("g.db")).unwrap();
    let list = screen(&api, Lang::Zh, TabId::Clients, &[]);
    let first = list.iter().find(|l| l.starts_with("KH-0001")).expect("KH-0001 listed");
    // Last visit and next visit, whole, in their columns.
    assert!(first.contains("2026年11月10日") && first.contains("2026年12月10日"), "{first}");
    assert!(!list.iter().any(|l| l.contains("2026-11-10")), "no ISO dates left in the list");
    let file = screen(&api, Lang::Zh, TabId::Clients, &[KeyCode::Enter]).join("\n");
    assert!(file.contains("2026年11月10日"), "the client's file shows its visit date the same way:\n{file}");
    // Complaints: date and time.
    let complaints = screen(&api, Lang::En, TabId::Complaints, &[]).join("\n");
    assert!(complaints.contains("2026年11月14日 09:00"), "{complaints}");
}
