//! Hostile input: property tests drive the app's update loop on the demo
//! data with random keys, pastes and resizes, and text full of control
//! characters, escape sequences, zero-width and right-to-left characters,
//! combining marks, CJK and emoji. After every event the frame is drawn;
//! nothing may panic, no cell of the screen may hold a control character,
//! and no record saved on the way may hold one.
//!
//! Cases: `GUARDROOM_FUZZ_CASES` (or proptest's `PROPTEST_CASES`), default
//! small so `cargo test` stays quick; `GUARDROOM_FUZZ_EVENTS` sets the most
//! events per case. The long run is in the README.

mod common;

use chrono::{TimeZone, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseEvent, MouseEventKind};
use guardroom::domain::text::is_control;
use guardroom::domain::ClientDraft;
use guardroom::i18n::Lang;
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::app::TabId;
use guardroom::ui::keymap::Context;
use guardroom::ui::pane::Pending;
use guardroom::ui::screenshots::screen_lines;
use guardroom::ui::{theme::Theme, App};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

// ---------------------------------------------------------------- fixture

/// The demo database, built once per run (in cargo's scratch directory for
/// tests, since a static is never dropped) and copied for each case.
fn demo_db() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::scratch_demo_db("hostile-demo", clock()))
}

fn clock() -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap())
}

/// An app over a fresh copy of the demo database, drawn on a test terminal.
struct Rig {
    app: App,
    service: Arc<Service>,
    term: Terminal<TestBackend>,
    dir: tempfile::TempDir,
    /// Audit entries when the case started: more means something was stored.
    audit_at_start: usize,
}

impl Rig {
    fn new(lang: Lang, tab: TabId, (w, h): (u16, u16)) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let copied = std::process::Command::new("cp").arg("-r").arg(demo_db()).arg(&db).status().unwrap();
        assert!(copied.success());
        let service = Service::new(Store::open(&db).unwrap(), Box::new(clock()));
        let api: Arc<dyn Api> = service.clone();
        api.preload().unwrap();
        let mut app = App::new(api, lang, Theme { color: false, ..Theme::default() }, "li");
        // Exports and imports stay inside the case's directory.
        app.export_dir = dir.path().to_path_buf();
        app.tab = tab;
        let term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let audit_at_start = service.store().audit_count();
        let mut rig = Rig { app, service, term, dir, audit_at_start };
        rig.app.handle_event(Event::Resize(w, h));
        rig.draw();
        rig
    }

    fn event(&mut self, ev: Event) {
        if let Event::Resize(w, h) = ev {
            self.term.backend_mut().resize(w, h);
        }
        self.app.handle_event(ev);
        // A quit is the end of a real session; here the session goes on so
        // the rest of the sequence is exercised too.
        self.app.quit = false;
        self.draw();
    }

    fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.event(Event::Key(KeyEvent::new(code, mods)));
    }

    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    /// Draw a frame and check that no cell holds a control character.
    fn draw(&mut self) {
        let app = &mut self.app;
        self.term.draw(|f| app.draw(f)).unwrap();
        let buf = self.term.backend().buffer();
        for (i, cell) in buf.content().iter().enumerate() {
            let sym = cell.symbol();
            assert!(
                !sym.chars().any(is_control),
                "control character {:?} drawn at ({}, {})",
                sym,
                i % buf.area.width.max(1) as usize,
                i / buf.area.width.max(1) as usize
            );
        }
    }

    fn screen(&self) -> String {
        screen_lines(self.term.backend().buffer()).join("\n")
    }

    /// Every string in every record and audit entry of the store: no
    /// control character but the line breaks of multi-line text.
    fn check_store(&self) {
        // Every change writes an audit entry; without one there is nothing new to read.
        if self.service.store().audit_count() == self.audit_at_start {
            return;
        }
        let file = self.dir.path().join("check.jsonl");
        guardroom::backup::portable::dump(self.service.store(), &file, true).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            check_strings(&value, &mut |s| {
                assert!(!s.chars().any(|c| c != '\n' && is_control(c)), "line {} of the store holds a control character: {s:?}", n + 1)
            });
        }
    }

    /// Back out of whatever is open (help, dialogs, forms, filters, imports,
    /// views) to the client list at a usable size.
    fn back_to_clients(&mut self) {
        self.event(Event::Resize(100, 30));
        for _ in 0..60 {
            if self.app.tab == TabId::Clients && self.app.context() == Context::List && self.app.help.is_none() {
                return;
            }
            if let Some(d) = &self.app.dialog {
                // Leave forms without saving; say no to everything else.
                let yes = d.on_yes == Pending::DiscardForm;
                self.key(KeyCode::Char(if yes { 'y' } else { 'n' }), KeyModifiers::NONE);
            } else if self.app.help.is_some()
                || self.app.import.is_some()
                || matches!(self.app.context(), Context::Form | Context::Filter | Context::Picker)
            {
                self.key(KeyCode::Esc, KeyModifiers::NONE);
            } else if self.app.tab != TabId::Clients {
                self.key(KeyCode::Char('1'), KeyModifiers::NONE);
                if self.app.tab != TabId::Clients {
                    self.key(KeyCode::Esc, KeyModifiers::NONE);
                }
            } else {
                self.key(KeyCode::Esc, KeyModifiers::NONE);
            }
        }
        panic!("could not get back to the client list; context {:?}, tab {:?}\n{}", self.app.context(), self.app.tab, self.screen());
    }
}

fn check_strings(v: &serde_json::Value, f: &mut impl FnMut(&str)) {
    match v {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| check_strings(x, f)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
            f(k);
            check_strings(x, f)
        }),
        _ => {}
    }
}

// ---------------------------------------------------------------- text

/// Pieces hostile text is made of.
const HOSTILE: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;title\u{7}",
    "\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}P+q\u{1b}\\",
    "\u{9b}31m",
    "\u{1b}",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\u{7f}",
    "\u{0}",
    "\u{8}\u{8}",
    "\u{85}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{202e}",
    "\u{200f}",
    "\u{2066}\u{2069}",
    "\u{2028}\u{2029}",
    "مرحبا بالعالم",
    "שלום עולם",
    "e\u{301}",
    "\u{301}\u{302}\u{303}",
    "Z\u{36b}\u{36c}\u{36d}\u{36e}\u{36f}",
    "上海华贸中心",
    "保安大队　夜班",
    "ｆｕｌｌ　ｗｉｄｔｈ",
    "👨\u{200d}👩\u{200d}👧\u{200d}👦",
    "🏳\u{fe0f}\u{200d}🌈",
    "🇨🇳🇺🇸",
    "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
    "👍🏽",
    "\u{fffd}\u{ffff}\u{e000}",
    "2026-11-23",
    "08:00",
    "13912345678",
    "KH-0001",
    " ",
    "abc",
    "Name",
    "%s%n{0}",
    "'; DROP TABLE clients; --",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(HOSTILE).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        2 => (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap().to_string()),
        1 => (0x7fu32..0xa0).prop_map(|u| char::from_u32(u).unwrap().to_string()),
        1 => (b'a'..=b'z').prop_map(|b| char::from(b).to_string()),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::collection::vec(piece(), 1..12).prop_map(|v| v.concat()),
        // A very long line, made of repeats.
        1 => (proptest::sample::select(HOSTILE), 200usize..6000).prop_map(|(p, n)| p.repeat(n)),
    ]
}

// ---------------------------------------------------------------- events

fn key_code() -> impl Strategy<Value = KeyCode> {
    use KeyCode::*;
    prop_oneof![
        6 => proptest::sample::select(&['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'][..]).prop_map(Char),
        4 => proptest::sample::select(&[Tab, BackTab][..]),
        5 => proptest::sample::select(&['n', 'e'][..]).prop_map(Char),
        5 => Just(Enter),
        5 => Just(Esc),
        3 => Just(Char('/')),
        6 => proptest::sample::select(&[Up, Down, Left, Right][..]),
        6 => proptest::sample::select(('a'..='z').chain('A'..='Z').collect::<Vec<_>>()).prop_map(Char),
        2 => Just(Char(' ')),
        2 => any::<char>().prop_map(Char),
        2 => piece().prop_map(|s| Char(s.chars().next().unwrap_or('x'))),
        3 => proptest::sample::select(&[Backspace, Delete, Home, End, PageUp, PageDown, Insert, Null, CapsLock, Menu][..]),
        2 => (1u8..=12).prop_map(F),
    ]
}

fn modifiers() -> impl Strategy<Value = KeyModifiers> {
    prop_oneof![
        12 => Just(KeyModifiers::NONE),
        2 => Just(KeyModifiers::SHIFT),
        2 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::ALT),
        1 => (0u8..=0xff).prop_map(KeyModifiers::from_bits_truncate),
    ]
}

fn key() -> impl Strategy<Value = KeyEvent> {
    let kind = prop_oneof![20 => Just(KeyEventKind::Press), 1 => Just(KeyEventKind::Release), 1 => Just(KeyEventKind::Repeat)];
    (key_code(), modifiers(), kind).prop_map(|(code, modifiers, kind)| KeyEvent { code, modifiers, kind, state: KeyEventState::NONE })
}

fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        4 => (80u16..=300, 24u16..=100),
        1 => (1u16..80, 1u16..24),
        1 => (1u16..=300, 1u16..=100),
        1 => Just((1, 1)),
        1 => Just((80, 24)),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        40 => key().prop_map(Event::Key),
        // Ctrl-S saves a form: often enough that hostile text gets stored.
        4 => Just(Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))),
        6 => hostile_text().prop_map(Event::Paste),
        2 => size().prop_map(|(w, h)| Event::Resize(w, h)),
        1 => prop_oneof![Just(Event::FocusGained), Just(Event::FocusLost)],
        1 => (0u16..300, 0u16..100).prop_map(|(column, row)| Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column,
            row,
            modifiers: KeyModifiers::NONE
        })),
    ]
}

fn lang() -> impl Strategy<Value = Lang> {
    prop_oneof![Just(Lang::Zh), Just(Lang::En)]
}

fn tab() -> impl Strategy<Value = TabId> {
    proptest::sample::select(&TabId::ALL[..])
}

// ---------------------------------------------------------------- config

fn env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.trim().replace('_', "").parse().ok())
}

fn config(default_cases: u32) -> Config {
    let cases = env_number("GUARDROOM_FUZZ_CASES").or_else(|| env_number("PROPTEST_CASES")).unwrap_or(default_cases);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        source_file: Some(file!()),
        // Shrinking a long sequence replays it many times; keep it bounded.
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

fn max_events() -> usize {
    env_number("GUARDROOM_FUZZ_EVENTS").unwrap_or(60) as usize
}

/// A client whose text is hostile, registered through the service (which
/// cleans it), so stored text of every kind is on screen.
fn seed(rig: &Rig, text: &str) {
    let draft = ClientDraft {
        name: format!("客户{text}"),
        address: text.into(),
        contact: text.chars().take(50).collect(),
        notes: text.into(),
        ..Default::default()
    };
    let _ = rig.service.create_client("li", draft);
}

// ---------------------------------------------------------------- properties

/// Run `test` on `cases` inputs of `strategy`; failures are kept in
/// `tests/hostile.regressions` and tried first on the next run. Prints how
/// many cases and events ran.
fn run<S: Strategy>(name: &str, default_cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<usize, TestCaseError>) {
    let events = std::sync::atomic::AtomicUsize::new(0);
    let started = std::time::Instant::now();
    let mut runner = proptest::test_runner::TestRunner::new(config(default_cases));
    let result = runner.run(&strategy, |v| {
        let n = test(v)?;
        events.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    });
    eprintln!("{name}: {} cases, {} events in {:.1} s", runner.config().cases, events.into_inner(), started.elapsed().as_secs_f64());
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Random sequences on every tab, in both languages, at every size: no
/// panic, no control character on screen or in the store.
#[test]
fn random_sessions_draw_clean_screens_and_store_clean_text() {
    let strategy =
        (lang(), tab(), size(), proptest::option::weighted(0.25, hostile_text()), proptest::collection::vec(event(), 1..=max_events()));
    run("sessions", 8, strategy, |(lang, tab, start, seeded, events)| {
        let mut rig = Rig::new(lang, tab, start);
        if let Some(text) = &seeded {
            seed(&rig, text);
        }
        let n = events.len();
        for ev in events {
            rig.event(ev);
        }
        rig.check_store();
        Ok(n)
    });
}

/// After any sequence, a new client's form still takes what is typed and
/// shows it in the focused field.
#[test]
fn forms_stay_editable_after_random_sessions() {
    let strategy = (lang(), tab(), proptest::collection::vec(event(), 1..=max_events()));
    run("editable", 4, strategy, |(lang, tab, events)| {
        let mut rig = Rig::new(lang, tab, (100, 30));
        let n = events.len();
        for ev in events {
            rig.event(ev);
        }
        rig.back_to_clients();
        rig.key(KeyCode::Char('n'), KeyModifiers::NONE);
        rig.typed("Qz守卫7");
        let screen = rig.screen();
        prop_assert!(
            screen.lines().any(|l| l.contains('›') && l.contains("Qz守卫7")),
            "the typed word is not in the focused field:\n{}",
            screen
        );
        Ok(n)
    });
}

// ---------------------------------------------------------------- found

fn press(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Found by the run above: a control character typed into the import's
/// path (Staff, I) was drawn as it was.
#[test]
fn control_characters_typed_into_the_import_path_are_not_kept() {
    let mut rig = Rig::new(Lang::Zh, TabId::Complaints, (80, 24));
    for ev in [press('4'), press('I'), press('\0'), press('\u{1b}'), press('\u{9b}'), press('x')] {
        rig.event(ev);
    }
    let screen = rig.screen();
    assert!(rig.app.import.is_some(), "{screen}");
    assert!(screen.contains('x'), "the typed x is in the path:\n{screen}");
}

/// Pasting again and again into a filter or a picker never goes past its
/// limit (each paste used to be cut, but not the whole).
#[test]
fn repeated_pastes_into_filters_stay_within_their_limit() {
    let mut rig = Rig::new(Lang::En, TabId::Staff, (100, 30));
    rig.event(press('/'));
    for _ in 0..5 {
        rig.event(Event::Paste("甲".repeat(60)));
    }
    assert_eq!(rig.app.staff.list.filter.chars().count(), 100);
    rig.event(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    rig.event(press('8'));
    rig.event(press('/'));
    for _ in 0..5 {
        rig.event(Event::Paste("乙\u{1b}[31m".repeat(30)));
    }
    assert_eq!(rig.app.audit.query.text.chars().count(), 100);
    assert!(!rig.app.audit.query.text.contains('\u{1b}'));
}

// ---------------------------------------------------------------- 10 MB

/// Ten megabytes of hostile text: the paste a terminal would send when a
/// file is dropped on it.
fn ten_megabytes() -> String {
    let piece: String = HOSTILE.concat();
    let mut s = String::with_capacity(10 << 20);
    while s.len() < 10 << 20 {
        s.push_str(&piece);
    }
    s
}

/// A 10 MB paste into a form field and into a filter is cut to the field's
/// limit, and the form still edits afterwards.
#[test]
fn a_ten_megabyte_paste_is_cut_to_the_field_and_the_form_still_edits() {
    let big = ten_megabytes();
    let mut rig = Rig::new(Lang::Zh, TabId::Clients, (80, 24));
    rig.event(press('n'));
    rig.event(Event::Paste(big.clone()));
    let form = rig.app.form_mut().expect("the client form is open");
    let name = form.text("name");
    assert_eq!(name.chars().count(), guardroom::domain::limits::client::NAME.chars());
    assert!(!name.chars().any(is_control), "{name:?}");
    // Full: a key more changes nothing; after a backspace it is taken.
    rig.key(KeyCode::Backspace, KeyModifiers::NONE);
    rig.typed("Q");
    assert!(rig.app.form_mut().unwrap().text("name").ends_with('Q'));
    assert!(rig.screen().contains("100/100"), "{}", rig.screen());
    // The multi-line notes take their 4000, line breaks counted.
    rig.app.form_mut().unwrap().focus_on("notes");
    rig.event(Event::Paste(big.clone()));
    let notes = rig.app.form_mut().unwrap().text("notes");
    assert_eq!(notes.chars().count(), guardroom::domain::limits::client::NOTES.chars());
    rig.key(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(rig.app.form_mut().unwrap().text("notes"), notes, "a line break past the limit is refused too");
    rig.key(KeyCode::BackTab, KeyModifiers::SHIFT);
    rig.typed("Z");
    let screen = rig.screen();
    assert!(screen.lines().any(|l| l.contains('›') && l.contains('Z')), "{screen}");
    // And a filter.
    rig.key(KeyCode::Esc, KeyModifiers::NONE);
    rig.key(KeyCode::Char('y'), KeyModifiers::NONE);
    rig.event(press('/'));
    rig.event(Event::Paste(big));
    assert_eq!(rig.app.clients.query.filter.chars().count(), guardroom::domain::limits::FILTER.chars());
    rig.check_store();
}

/// Found by the long run: a terminal 2 cells wide made the "too small"
/// message draw past the screen's edge (a panic).
#[test]
fn a_terminal_narrower_than_a_chinese_character_draws() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(2, 15), (1, 1), (1, 30), (3, 2), (2, 1)] {
            let mut rig = Rig::new(lang, TabId::Overview, (80, 24));
            rig.event(Event::Resize(w, h));
        }
    }
}
