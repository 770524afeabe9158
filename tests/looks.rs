//! Themes on real screens (cell styles, not text) and the screenshots
//! command's pictures.

use guardroom::i18n::Lang;
use guardroom::service::Api;
use guardroom::ui::app::TabId;
use guardroom::ui::screenshots::{self, demo_service, HEIGHT, WIDTH};
use guardroom::ui::theme::{Theme, ThemeName};
use guardroom::ui::App;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::sync::Arc;

fn demo() -> (tempfile::TempDir, Arc<dyn Api>) {
    let dir = tempfile::tempdir().unwrap();
    let api: Arc<dyn Api> = demo_service(&dir.path().join("g.db")).unwrap();
    (dir, api)
}

fn frame(api: &Arc<dyn Api>, theme: Theme, tab: TabId) -> Buffer {
    let mut app = App::new(Arc::clone(api), Lang::Zh, theme, "kefu");
    app.tab = tab;
    screenshots::render(&mut app, &[]).0
}

fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// The cells of the first client row whose next visit is overdue (marked `!`).
fn overdue_mark(buf: &Buffer) -> (u16, u16) {
    for y in 0..buf.area.height {
        let text = row_text(buf, y);
        if text.starts_with("KH-") {
            if let Some(x) = (0..buf.area.width).find(|&x| buf[(x, y)].symbol() == "!") {
                return (x, y);
            }
        }
    }
    panic!("the demo set has a key client overdue for a visit");
}

/// The selected row: the first client row.
fn selected_row(buf: &Buffer) -> u16 {
    (0..buf.area.height).find(|&y| row_text(buf, y).starts_with("KH-0001")).expect("KH-0001 on screen")
}

#[test]
fn alerts_are_red_and_the_selection_visible_in_dark_and_high_contrast() {
    let (_dir, api) = demo();
    for name in [ThemeName::Dark, ThemeName::HighContrast] {
        let buf = frame(&api, Theme::new(name, true), TabId::Clients);
        let (x, y) = overdue_mark(&buf);
        assert_eq!(buf[(x, y)].fg, Color::Red, "{name:?}: an overdue visit is red");
        assert!(buf[(x, y)].modifier.contains(Modifier::BOLD), "{name:?}");
        let sel = selected_row(&buf);
        assert!(buf[(0, sel)].modifier.contains(Modifier::REVERSED), "{name:?}: the selected row is reversed");
    }
}

#[test]
fn high_contrast_relies_on_no_grey_and_no_faint_text() {
    let (_dir, api) = demo();
    for tab in TabId::ALL {
        let buf = frame(&api, Theme::new(ThemeName::HighContrast, true), tab);
        for c in buf.content() {
            assert!(!matches!(c.fg, Color::DarkGray | Color::Gray), "{tab:?}: grey text {c:?}");
            assert!(!c.modifier.contains(Modifier::DIM), "{tab:?}: faint text {c:?}");
            // Colour is kept for alerts only.
            assert!(matches!(c.fg, Color::Reset | Color::Red), "{tab:?}: {c:?}");
            assert_eq!(c.bg, Color::Reset, "{tab:?}: {c:?}");
        }
    }
}

#[test]
fn light_theme_never_writes_pale_text_on_the_terminal_background() {
    let (_dir, api) = demo();
    let pale = [Color::Yellow, Color::LightYellow, Color::White, Color::Cyan, Color::LightCyan, Color::Gray, Color::DarkGray];
    let mut coloured = 0;
    for tab in TabId::ALL {
        let buf = frame(&api, Theme::new(ThemeName::Light, true), tab);
        for c in buf.content().iter().filter(|c| c.bg == Color::Reset && !c.modifier.contains(Modifier::REVERSED)) {
            assert!(!pale.contains(&c.fg), "{tab:?}: {c:?} is hard to read on white");
            coloured += usize::from(c.fg != Color::Reset);
        }
    }
    assert!(coloured > 100, "the light theme still has colours");
    let buf = frame(&api, Theme::new(ThemeName::Light, true), TabId::Clients);
    let (x, y) = overdue_mark(&buf);
    assert!(matches!(buf[(x, y)].fg, Color::Indexed(160)), "a strong red for alerts");
}

#[test]
fn no_color_gives_no_colour_at_all_in_any_theme_and_keeps_the_marks() {
    let (_dir, api) = demo();
    for name in ThemeName::ALL {
        for tab in TabId::ALL {
            let buf = frame(&api, Theme::new(name, false), tab);
            for c in buf.content() {
                assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{name:?} {tab:?}: {c:?}");
            }
        }
        let buf = frame(&api, Theme::new(name, false), TabId::Clients);
        assert!(buf[(0, selected_row(&buf))].modifier.contains(Modifier::REVERSED), "{name:?}: selection without colour");
        let (x, y) = overdue_mark(&buf);
        assert!(buf[(x, y)].modifier.contains(Modifier::BOLD), "{name:?}: the alert is bold and marked '!'");
        // The active tab stands out without colour.
        let tab_bar_reversed = (0..WIDTH).any(|x| buf[(x, 0)].modifier.contains(Modifier::REVERSED));
        assert!(tab_bar_reversed, "{name:?}: the active tab is reversed");
    }
}

#[test]
fn screenshots_cover_every_tab_in_both_languages_and_repeat_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    let render = || {
        let api: Arc<dyn Api> = demo_service(&db).unwrap();
        let shots = screenshots::shots(&api);
        drop(api);
        shots.iter().map(|s| (s.file_name(), guardroom::ui::svg::to_svg(&s.buffer, s.cursor))).collect::<Vec<_>>()
    };
    let first = render();
    // A new database at the same place: the demo loaded again from nothing.
    std::fs::remove_dir_all(&db).unwrap();
    let second = render();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between two runs", a.0);
    }
    for tab in TabId::ALL {
        for lang in ["zh", "en"] {
            let name = format!("{}.{lang}.svg", screenshots::tab_name(tab));
            let svg = &first.iter().find(|s| s.0 == name).unwrap_or_else(|| panic!("{name} missing")).1;
            assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", WIDTH as u32 * 9, HEIGHT as u32 * 18)), "{name}");
        }
    }
    // Large enough for the app (no "window too small" sentence), and real content.
    let clients = &first.iter().find(|s| s.0 == "clients.zh.svg").unwrap().1;
    assert!(clients.contains("KH-0001") && clients.contains("上海华贸中心物业管理有限"), "{clients}");
    let form = &first.iter().find(|s| s.0 == "complaints-form.en.svg").unwrap().1;
    // Words are placed one by one (blanks draw nothing).
    assert!(form.contains(">Register</text>") && form.contains(">complaint</text>"), "the form is open");
}

#[test]
fn the_command_writes_the_files() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_guardroom"))
        .args(["--lang", "en", "screenshots"])
        .arg(out.path().join("shots"))
        .env("XDG_DATA_HOME", out.path().join("data"))
        .env("XDG_CONFIG_HOME", out.path().join("config"))
        .env("HOME", out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(stdout.starts_with("wrote ") && stdout.contains("screenshots into"), "{stdout}");
    let svg = std::fs::read_to_string(out.path().join("shots/clients.en.svg")).unwrap();
    // The database is named as a user would see it, not by its temporary path.
    assert!(svg.contains("guardroom.db") && !svg.contains("/tmp"), "{svg}");
}

fn frame_after(api: &Arc<dyn Api>, theme: Theme, tab: TabId, keys: &[crossterm::event::KeyCode]) -> Buffer {
    let mut app = App::new(Arc::clone(api), Lang::En, theme, "kefu");
    app.tab = tab;
    screenshots::render(&mut app, keys).0
}

/// (x, y) of the first cell of the first line holding `text`.
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let row = row_text(buf, y);
        if let Some(i) = row.find(text) {
            // Cells, not bytes: every symbol before it is one cell here (ASCII labels).
            return (row[..i].chars().count() as u16, y);
        }
    }
    panic!("{text:?} not on screen");
}

#[test]
fn a_dumb_terminal_gets_no_colour_and_marks_selection_and_focus_with_modifiers() {
    use guardroom::ui::theme::detect;
    let (_dir, api) = demo();
    let theme = Theme::with_depth(ThemeName::Dark, detect(None, Some("dumb"), None));
    assert!(!theme.color);
    for tab in TabId::ALL {
        for c in frame_after(&api, theme, tab, &[]).content() {
            assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{tab:?}: {c:?}");
        }
    }
    let list = frame_after(&api, theme, TabId::Clients, &[]);
    assert!(list[(0, selected_row(&list))].modifier.contains(Modifier::REVERSED), "the selected row is reversed");
    // In a form: the focused field's label is bold and marked, its input underlined; the others plain.
    let form = frame_after(&api, theme, TabId::Clients, &[crossterm::event::KeyCode::Char('n')]);
    for c in form.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "form: {c:?}");
    }
    let (x, y) = find(&form, "›Name");
    assert!(form[(x + 1, y)].modifier.contains(Modifier::BOLD), "the focused label is bold");
    let (x, y) = find(&form, " Address");
    assert!(!form[(x + 1, y)].modifier.contains(Modifier::BOLD), "other labels are plain");
    let input_x = (x..form.area.width).find(|&x| form[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(input_x.is_some(), "an input shows as an underlined blank");
    // The chosen value of a choice field is marked by brackets and bold, not colour.
    let (x, y) = find(&form, "[Enterprise]");
    assert!(form[(x + 1, y)].modifier.intersects(Modifier::BOLD | Modifier::REVERSED));
}

#[test]
fn sixteen_colour_terminals_get_only_basic_colours_on_every_screen() {
    use guardroom::ui::theme::Depth;
    let (_dir, api) = demo();
    for name in ThemeName::ALL {
        let theme = Theme::with_depth(name, Some(Depth::Basic));
        for (tab, keys) in TabId::ALL.iter().map(|t| (*t, vec![])).chain([(TabId::Clients, vec![crossterm::event::KeyCode::Char('n')])]) {
            let buf = frame_after(&api, theme, tab, &keys);
            for c in buf.content() {
                for colour in [c.fg, c.bg] {
                    assert!(!matches!(colour, Color::Indexed(_) | Color::Rgb(..)), "{name:?} {tab:?}: {c:?}");
                }
                if name == ThemeName::Light && c.bg == Color::Reset {
                    assert!(!matches!(c.fg, Color::Yellow | Color::White | Color::Cyan | Color::Gray), "{tab:?}: {c:?} on white");
                }
            }
        }
    }
}

#[test]
fn dark_theme_never_writes_dark_text_on_the_terminal_background() {
    let (_dir, api) = demo();
    let dark = [Color::Black, Color::Blue, Color::Indexed(25), Color::Indexed(90), Color::Indexed(236)];
    for tab in TabId::ALL {
        let buf = frame(&api, Theme::new(ThemeName::Dark, true), tab);
        for c in buf.content().iter().filter(|c| c.bg == Color::Reset && !c.modifier.contains(Modifier::REVERSED)) {
            assert!(!dark.contains(&c.fg), "{tab:?}: {c:?} is hard to read on a dark background");
        }
    }
}
