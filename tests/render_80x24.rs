//! Every tab, its main form and the overlays at exactly 80×24 (the least
//! guardroom asks for), in both languages: snapshots, and checks that
//! nothing essential is cut off.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::i18n::Lang;
use guardroom::service::Api;
use guardroom::ui::app::TabId;
use guardroom::ui::screenshots::{demo_service, screen_lines, tab_name};
use guardroom::ui::theme::Theme;
use guardroom::ui::App;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::sync::{Arc, OnceLock};

fn api() -> &'static (tempfile::TempDir, Arc<dyn Api>) {
    static DEMO: OnceLock<(tempfile::TempDir, Arc<dyn Api>)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let api: Arc<dyn Api> = demo_service(&dir.path().join("g.db")).unwrap();
        (dir, api)
    })
}

/// The app on `tab` at 80×24 after `keys`, drawn after each key as the
/// terminal loop does.
fn frame(lang: Lang, tab: TabId, keys: &[KeyCode]) -> Buffer {
    let mut app = App::new(Arc::clone(&api().1), lang, Theme::default(), "kefu");
    app.tab = tab;
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    for k in keys {
        app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        term.draw(|f| app.draw(f)).unwrap();
    }
    term.backend().buffer().clone()
}

/// The screen as text, one line per row (a wide character once).
fn text(buf: &Buffer) -> String {
    screen_lines(buf).iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

fn snap(name: &str, buf: &Buffer) {
    insta::with_settings!({ filters => vec![(r"kefu @ \S+", "kefu @ [db]"), (r"(就绪|Ready) · \S+", "$1 · [db]")] }, {
        insta::assert_snapshot!(name, text(buf));
    });
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

#[test]
fn every_tab_at_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        for tab in TabId::ALL {
            let buf = frame(lang, tab, &[]);
            snap(&format!("{}_{}", tab_name(tab), lang_code(lang)), &buf);
            let screen = text(&buf);
            let footer = screen.lines().last().unwrap_or_default();
            // However narrow, the footer keeps the key that lists all the others.
            assert!(footer.contains("? "), "{tab:?} {lang:?}: no help key in the footer:\n{screen}");
        }
    }
}

/// Views inside the tabs: (name, tab, keys).
fn views() -> Vec<(&'static str, TabId, Vec<KeyCode>)> {
    use KeyCode::*;
    vec![
        ("clients_file", TabId::Clients, vec![Enter]),
        ("clients_form", TabId::Clients, vec![Char('n')]),
        ("clients_visit_form", TabId::Clients, vec![Enter, Char('v')]),
        ("complaints_file", TabId::Complaints, vec![Enter]),
        ("complaints_form", TabId::Complaints, vec![Char('n')]),
        ("staff_form", TabId::Staff, vec![Char('n')]),
        ("posts_form", TabId::Posts, vec![Char('n')]),
        ("dorm_form", TabId::Dorm, vec![Char('n')]),
        ("vehicles_form", TabId::Vehicles, vec![Char('n')]),
        ("operators_form", TabId::Operators, vec![Char('n')]),
        ("clients_help", TabId::Clients, vec![Char('?')]),
    ]
}

#[test]
fn forms_files_and_overlays_at_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        for (name, tab, keys) in views() {
            let buf = frame(lang, tab, &keys);
            snap(&format!("{name}_{}", lang_code(lang)), &buf);
            let screen = text(&buf);
            if name.ends_with("_form") {
                // The form's own footer names save, leave and help; the focused field shows.
                assert!(screen.contains("Ctrl-S") && screen.contains("Esc") && screen.contains("F1"), "{name}:\n{screen}");
                assert!(screen.contains('›'), "{name}: the focused field is on screen:\n{screen}");
            }
        }
    }
}

#[test]
fn a_long_form_scrolls_to_the_focused_field_at_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        // The client form's last field, notes, is below the window at first.
        let first = text(&frame(lang, TabId::Clients, &[KeyCode::Char('n')]));
        let notes = if lang == Lang::Zh { "备注" } else { "Notes" };
        assert!(!first.contains(notes) && first.contains('▼'), "{first}");
        let mut keys = vec![KeyCode::Char('n')];
        keys.extend(std::iter::repeat_n(KeyCode::Tab, 16));
        let buf = frame(lang, TabId::Clients, &keys);
        let screen = text(&buf);
        let line = screen.lines().find(|l| l.contains('›')).unwrap_or_default();
        assert!(line.contains(notes), "{lang:?}: focus on notes, in view:\n{screen}");
        assert!(screen.contains('▲'), "fields above are announced:\n{screen}");
        // Every line of the notes field is inside the form's frame.
        let y = screen.lines().position(|l| l.contains('›')).unwrap();
        assert!(y + 4 < 22, "{screen}");
        snap(&format!("clients_form_scrolled_{}", lang_code(lang)), &buf);
    }
}

#[test]
fn below_80x24_only_the_sentence_shows_and_nothing_panics() {
    let mut app = App::new(Arc::clone(&api().1), Lang::Zh, Theme::default(), "kefu");
    app.tab = TabId::Clients;
    let open_form = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1), (0, 0), (200, 3), (3, 200)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| app.draw(f)).unwrap();
        let screen = text(term.backend().buffer());
        if w >= 20 && h >= 3 {
            assert!(screen.contains("终端太小"), "{w}×{h}:\n{screen}");
        }
        assert!(!screen.contains("KH-0001"), "{w}×{h}: nothing but the sentence:\n{screen}");
        // Keys other than quit do nothing unseen.
        app.handle_key(open_form);
        assert!(app.clients.form.is_none(), "{w}×{h}");
    }
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let screen = text(term.backend().buffer());
    assert!(screen.contains("KH-0001") && !screen.contains("终端太小"), "{screen}");
    app.handle_key(open_form);
    assert!(app.clients.form.is_some(), "keys work again");
}
