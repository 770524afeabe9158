//! Every text field of every form takes as many characters as the record's
//! check allows, no more and no fewer, and says so ("12/200"). The forms are
//! opened through the app on the demo data, as a user opens them.

mod common;

use chrono::{TimeZone, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::{ComplaintStatus, Invalid};
use guardroom::i18n::{invalid_text, Lang};
use guardroom::service::{Api, ComplaintQuery, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::app::TabId;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

fn clock() -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap())
}

/// The demo database, built once per run (in cargo's scratch directory for
/// tests, since a static is never dropped) and copied for each form.
fn demo_db() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::scratch_demo_db("limits-demo", clock()))
}

struct Rig {
    app: App,
    term: Terminal<TestBackend>,
    _dir: tempfile::TempDir,
}

impl Rig {
    fn new() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        assert!(std::process::Command::new("cp").arg("-r").arg(demo_db()).arg(&db).status().unwrap().success());
        let service = Service::new(Store::open(&db).unwrap(), Box::new(clock()));
        let api: Arc<dyn Api> = service;
        api.preload().unwrap();
        let mut app = App::new(api, Lang::En, Theme { color: false, ..Theme::default() }, "li");
        app.export_dir = dir.path().to_path_buf();
        let mut rig = Rig { app, term: Terminal::new(TestBackend::new(80, 24)).unwrap(), _dir: dir };
        rig.draw();
        rig
    }

    fn draw(&mut self) -> String {
        let app = &mut self.app;
        self.term.draw(|f| app.draw(f)).unwrap();
        let buf = self.term.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.app.handle_event(Event::Key(KeyEvent::new(code, mods)));
        self.draw();
    }

    /// Open a form as a user does: pick the tab, then press `keys`; the
    /// form's title begins with `title`.
    fn open(&mut self, tab: TabId, keys: &[KeyCode], title: &str) {
        self.app.tab = tab;
        self.draw();
        for k in keys {
            self.key(*k, KeyModifiers::NONE);
        }
        let opened = self.app.form_mut().map(|f| f.title.clone());
        assert!(
            opened.as_deref().is_some_and(|t| t.starts_with(title)),
            "not the form {title:?} but {opened:?} on {tab:?} with {keys:?}:\n{}",
            self.draw()
        );
    }
}

/// The forms, the keys that open each on the demo data, and how its title begins.
fn forms() -> Vec<(&'static str, TabId, Vec<KeyCode>, &'static str)> {
    use KeyCode::*;
    vec![
        ("new client", TabId::Clients, vec![Char('n')], "New client"),
        ("visit", TabId::Clients, vec![Enter, Char('v')], "New visit"),
        ("rating review", TabId::Clients, vec![Enter, Char('r')], "Rating review"),
        ("complaint", TabId::Complaints, vec![Char('n')], "Register a complaint"),
        ("escalation", TabId::Complaints, vec![Enter, Char('x')], "Escalate:"),
        // A step's form opens on a complaint where that step comes next.
        ("informing the client", TabId::Complaints, step_keys(ComplaintStatus::Informed, 'i'), "Inform the client:"),
        ("investigation", TabId::Complaints, step_keys(ComplaintStatus::Investigating, 'g'), "Investigation:"),
        ("resolution", TabId::Complaints, step_keys(ComplaintStatus::Resolved, 'r'), "Resolution:"),
        ("follow-up", TabId::Complaints, step_keys(ComplaintStatus::FollowedUp, 'f'), "Follow-up visit:"),
        ("handover", TabId::Rosters, vec![Char('p'), Char('h')], "Handover note:"),
        ("patrol", TabId::Rosters, vec![Char('p'), Char('r')], "Patrol round"),
        // The guard who asks, then whom with (↓ opens the list, Enter picks).
        ("swap", TabId::Rosters, vec![Char('w'), Enter, Down, Enter], "Swap request:"),
        ("attendance correction", TabId::Rosters, vec![Char('a'), Char('c')], "Correct attendance:"),
        // Forms of records whose other fields must be read first (a post's
        // shifts, a room's occupants) are opened on a record, as edits.
        ("client", TabId::Clients, vec![Char('e')], "Edit client"),
        ("staff", TabId::Staff, vec![Char('e')], "Edit: RY-"),
        ("post", TabId::Posts, vec![Char('e')], "Edit post:"),
        ("dorm room", TabId::Dorm, vec![Char('e')], "Edit room:"),
        ("vehicle", TabId::Vehicles, vec![Char('e')], "Edit vehicle:"),
        ("trip", TabId::Vehicles, vec![Char('t')], "Trip:"),
        ("vehicle check", TabId::Vehicles, vec![Char('c')], "Routine check:"),
        // The first occupant excused, so the reason is kept.
        ("room check", TabId::Dorm, vec![Char('r'), Enter, Char('l'), Char('l')], "Correct the room check:"),
        ("accident", TabId::Vehicles, vec![Char('x')], "Accident report:"),
        ("operator", TabId::Operators, vec![Char('n')], "Add an operator"),
    ]
}

/// The keys that open, from the complaint list, the first complaint of the
/// demo data that may move to `to`, and then press `key` on its file.
fn step_keys(to: ComplaintStatus, key: char) -> Vec<KeyCode> {
    let rig = Rig::new();
    let api = rig.app.api.as_ref();
    let page = api.list_complaints(&ComplaintQuery { limit: 10_000, ..Default::default() }).unwrap();
    let c = page
        .rows
        .iter()
        .find(|c| c.can_move_to(to).is_ok() && (to != ComplaintStatus::Resolved || c.approval_covers(c.draft.amount)))
        .unwrap_or_else(|| panic!("the demo data has no complaint that may move to {to:?}"));
    let mut keys = vec![KeyCode::Char('/')];
    keys.extend(c.number.chars().map(KeyCode::Char));
    keys.extend([KeyCode::Enter, KeyCode::Enter, KeyCode::Char(key)]);
    keys
}

/// For each text field: one more than the widget takes (set past the
/// widget) is refused when saved, as too long with that same limit, or as
/// unreadable by a field whose text is parsed (a date, a phone); the widget
/// takes exactly its limit, and saving that many is never refused as too long.
#[test]
fn every_form_field_takes_what_its_record_allows() {
    let too_long = |max: usize| invalid_text(&Invalid::TooLong { max }, Lang::En);
    for (name, tab, keys, title) in forms() {
        let fields = {
            let mut rig = Rig::new();
            rig.open(tab, &keys, title);
            rig.app.form_mut().unwrap().text_limits()
        };
        assert!(!fields.is_empty(), "{name}: no text fields");
        let mut checked_by_record = 0;
        for (id, max) in fields {
            let mut rig = Rig::new();
            rig.open(tab, &keys, title);
            // One more than the widget takes is refused when saved.
            rig.app.form_mut().unwrap().set_text(id, &"甲".repeat(max + 1));
            rig.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
            let form = rig.app.form_mut().unwrap_or_else(|| panic!("{name}.{id}: {} characters were saved", max + 1));
            match form.error_of(id) {
                Some(e) if e == too_long(max) => checked_by_record += 1,
                Some(e) => assert!(!e.starts_with("Too long"), "{name}.{id}: the widget takes {max}, the record: {e}"),
                // Parsed text (a date, a phone) is refused as unreadable; taken
                // as it is, the record's limit is above the widget's.
                None => panic!("{name}.{id}: {} characters were not refused; the widget stops at {max}", max + 1),
            }
            // The widget stops at the limit, pasted or typed, and that many
            // are never refused as too long.
            form.set_text(id, "");
            form.focus_on(id);
            form.paste(&"甲".repeat(max + 3));
            assert_eq!(form.text(id).chars().count(), max, "{name}.{id}: the widget's limit");
            rig.key(KeyCode::Char('乙'), KeyModifiers::NONE);
            assert_eq!(rig.app.form_mut().unwrap().text(id).chars().count(), max, "{name}.{id}: typing past the limit");
            rig.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
            if let Some(form) = rig.app.form_mut() {
                let e = form.error_of(id).unwrap_or_default();
                assert!(!e.starts_with("Too long"), "{name}.{id}: {max} characters refused: {e}");
            }
        }
        assert!(checked_by_record > 0, "{name}: no field's length is checked when saved");
    }
}

/// The focused field's length and limit show in the form's footer, at
/// 80×24, counted in characters for Chinese text too.
#[test]
fn the_focused_field_shows_its_length_and_limit() {
    let mut rig = Rig::new();
    rig.open(TabId::Clients, &[KeyCode::Char('n')], "New client");
    assert!(rig.draw().contains(" 0/100"), "{}", rig.draw());
    for c in "上海华贸".chars() {
        rig.key(KeyCode::Char(c), KeyModifiers::NONE);
    }
    let screen = rig.draw();
    assert!(screen.contains(" 4/100"), "{screen}");
    // A full field says so in the same place.
    rig.app.form_mut().unwrap().paste(&"甲".repeat(200));
    assert!(rig.draw().contains("100/100"), "{}", rig.draw());
    // Choice fields have no counter.
    rig.key(KeyCode::Tab, KeyModifiers::NONE);
    assert!(!rig.draw().contains("/100"), "{}", rig.draw());
}

/// A swap saved with nobody picked and an unreadable date says both at
/// once, and keeps what was typed.
#[test]
fn a_swap_form_says_every_field_it_cannot_use_at_once() {
    let mut rig = Rig::new();
    rig.open(TabId::Rosters, &[KeyCode::Char('w'), KeyCode::Enter], "Swap request:");
    let form = rig.app.form_mut().unwrap();
    form.set_text("date", "下周二");
    form.set_text("reason", "家中有事");
    rig.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let form = rig.app.form_mut().expect("the form stays open");
    assert_eq!(form.error_of("with"), Some(invalid_text(&Invalid::NotPicked, Lang::En).as_str()));
    assert_eq!(form.error_of("date"), Some(invalid_text(&Invalid::Date, Lang::En).as_str()));
    assert_eq!((form.text("date"), form.text("reason")), ("下周二".to_string(), "家中有事".to_string()));
}
