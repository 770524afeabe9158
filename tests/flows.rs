//! The app's update loop driven by keys (no terminal): visits, promises,
//! reviews and a conflicting edit, checked on the rendered screen and in the
//! store.

use chrono::{NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::{ClientDraft, Rating, Tier};
use guardroom::i18n::Lang;
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::Store;
use guardroom::ui::screenshots::screen_lines;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

struct Harness {
    app: App,
    api: Arc<Service>,
    term: Terminal<TestBackend>,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(lang: Lang) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        let api = Service::new(Store::open(dir.path()).unwrap(), Box::new(FixedClock(now)));
        api.create_client(
            "li",
            ClientDraft { name: "上海华贸中心".into(), contact: "王建国".into(), tier: Tier::Key, ..Default::default() },
        )
        .unwrap();
        let dynapi: Arc<dyn Api> = api.clone();
        dynapi.preload().unwrap();
        let mut app = App::new(dynapi, lang, Theme { color: false, ..Theme::default() }, "li");
        // These flows are about the client file; the day starts on the Overview.
        app.tab = guardroom::ui::app::TabId::Clients;
        let mut h = Harness { app, api, term: Terminal::new(TestBackend::new(100, 30)).unwrap(), _dir: dir };
        h.screen();
        h
    }
    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
    fn ctrl(&mut self, c: char) {
        self.app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\n' {
                self.key(KeyCode::Enter);
            } else {
                self.key(KeyCode::Char(c));
            }
        }
    }
    /// The screen once whatever runs aside (a search of the audit trail)
    /// has come back.
    fn screen(&mut self) -> String {
        self.term.draw(|f| self.app.draw(f)).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while self.app.busy() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(2));
            self.term.draw(|f| self.app.draw(f)).unwrap();
        }
        screen_lines(self.term.backend().buffer()).join("\n")
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn add_a_visit_with_a_promise_then_mark_it_done() {
    let mut h = Harness::new(Lang::En);
    h.key(KeyCode::Char('v'));
    assert!(h.screen().contains("New visit: 上海华贸中心"));
    // The form opens on "person met", prefilled with the contact.
    assert!(h.screen().contains("王建国"));
    h.key(KeyCode::Tab);
    h.typed("季度回访");
    h.key(KeyCode::Tab);
    h.typed("希望夜班增加一人");
    h.key(KeyCode::Tab);
    h.typed("下周 增派夜班");
    h.ctrl('s');
    let s = h.screen();
    assert!(s.contains("Line 1: start with the due date"), "{s}");
    assert!(s.contains("下周 增派夜班"), "the bad line is kept");
    for _ in 0.."下周 增派夜班".chars().count() {
        h.key(KeyCode::Backspace);
    }
    h.typed("2026-11-20 增派夜班一人");
    h.ctrl('s');
    assert!(h.screen().contains("A promise is due before the visit"), "due 11-20 is before today's visit");
    // Date the visit earlier: the first field, six back from the promises.
    for _ in 0..6 {
        h.app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    for _ in 0..10 {
        h.key(KeyCode::Backspace);
    }
    h.typed("2026-11-10");
    h.ctrl('s');
    let s = h.screen();
    assert!(s.contains("Visit saved"), "{s}");
    assert!(s.contains("☐ Promise 增派夜班一人  due 2026-11-20  ! overdue"), "{s}");
    assert!(s.contains("Last visit 2026-11-10"), "{s}");

    h.key(KeyCode::Char(' '));
    let s = h.screen();
    assert!(s.contains("Promise marked done"), "{s}");
    assert!(s.contains("☑ Promise 增派夜班一人  due 2026-11-20  done 2026-11-23"), "{s}");
    let file = h.api.client_file(1).unwrap();
    assert_eq!(file.visits[0].draft.promises[0].done, Some(d("2026-11-23")));
}

#[test]
fn a_review_needs_a_reason_and_records_the_change() {
    let mut h = Harness::new(Lang::Zh);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('r'));
    assert!(h.screen().contains("评级评审：KH-0001 上海华贸中心"));
    h.key(KeyCode::Left); // B → A
    h.ctrl('s');
    assert!(h.screen().contains("必填：请输入内容。"));
    // The caret is already in the refused field.
    h.typed("按时付款，配合整改");
    h.ctrl('s');
    let s = h.screen();
    assert!(s.contains("评审已保存：B → A"), "{s}");
    assert!(s.contains("2026-11-23  B → A  li  按时付款，配合整改"), "{s}");
    assert_eq!(h.api.client_file(1).unwrap().client.draft.rating, Rating::A);
}

#[test]
fn an_edit_that_collides_with_another_operator_keeps_the_form() {
    let mut h = Harness::new(Lang::En);
    h.key(KeyCode::Char('e'));
    assert!(h.screen().contains("Edit client KH-0001"));
    // Someone else saves the same client meanwhile.
    let c = h.api.client_file(1).unwrap().client;
    let theirs = ClientDraft { phone: "021-64381234".into(), ..c.draft.clone() };
    h.api.update_client("zhou", c.id, c.meta.version, theirs).unwrap();
    h.key(KeyCode::End);
    h.typed("（浦东）");
    h.ctrl('s');
    let s = h.screen();
    assert!(s.contains("KH-0001 上海华贸中心 was changed by zhou"), "{s}");
    assert!(s.contains("上海华贸中心（浦东）"), "what was typed is still in the form: {s}");
    // Nothing was overwritten.
    let stored = h.api.client_file(1).unwrap().client;
    assert_eq!((stored.draft.name.as_str(), stored.draft.phone.as_str()), ("上海华贸中心", "021-64381234"));
}

#[test]
fn escape_on_a_dirty_form_asks_and_no_keeps_the_input() {
    let mut h = Harness::new(Lang::Zh);
    h.key(KeyCode::Char('n'));
    h.typed("新客户");
    h.key(KeyCode::Esc);
    assert!(h.screen().contains("放弃未保存的修改？"));
    h.key(KeyCode::Char('n'));
    assert!(h.screen().contains("新客户"));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    let s = h.screen();
    assert!(!s.contains("新建客户"), "{s}");
    assert_eq!(h.api.client_count().unwrap(), 1, "nothing was saved");
}

#[test]
fn reopening_a_done_promise_asks_first_and_scrolled_away_space_only_shows_it() {
    let mut h = Harness::new(Lang::En);
    h.key(KeyCode::Char('v'));
    h.key(KeyCode::Tab); // from "person met" to "purpose"
    h.typed("季度回访");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.typed("2026-11-30 增派夜班一人");
    h.ctrl('s');
    assert!(h.screen().contains("Visit saved"));
    h.key(KeyCode::Char(' '));
    assert!(h.screen().contains("done 2026-11-23"));
    // Scrolled away, Space brings the selection back instead of acting.
    h.key(KeyCode::PageDown);
    h.key(KeyCode::Char(' '));
    assert!(h.screen().contains("press Space again"));
    h.key(KeyCode::Char(' '));
    assert!(h.screen().contains("Mark this promise open again? Its completion date 2026-11-23 is cleared."));
    h.key(KeyCode::Char('n'));
    assert!(h.screen().contains("done 2026-11-23"), "no keeps the date");
    h.key(KeyCode::Char(' '));
    h.key(KeyCode::Char('y'));
    let s = h.screen();
    assert!(s.contains("Promise marked open again") && s.contains("due 2026-11-30  open"), "{s}");
}

#[test]
fn pasted_lines_stay_lines_in_multi_line_fields_only() {
    let mut h = Harness::new(Lang::Zh);
    h.key(KeyCode::Char('n'));
    h.app.handle_event(crossterm::event::Event::Paste("第一行\r\n第二行\t制表".into()));
    // The last field is the notes: Shift-Tab from the first wraps to it.
    h.app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    h.app.handle_event(crossterm::event::Event::Paste("备注一\r备注二\n\x1b[31m备注三".into()));
    h.ctrl('s');
    let c = h.api.client_file(2).unwrap().client;
    assert_eq!(c.draft.name, "第一行 第二行 制表");
    assert_eq!(c.draft.notes, "备注一\n备注二\n[31m备注三");
}

#[test]
fn below_the_minimum_size_keys_do_nothing_but_quit() {
    let mut h = Harness::new(Lang::En);
    h.term = Terminal::new(TestBackend::new(60, 20)).unwrap();
    assert!(h.screen().contains("make it at least 80×24"));
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Enter);
    h.term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let s = h.screen();
    assert!(!s.contains("New client") && !s.contains("Rating history"), "nothing happened unseen: {s}");
    h.term = Terminal::new(TestBackend::new(60, 20)).unwrap();
    h.screen();
    h.key(KeyCode::Char('q'));
    assert!(h.app.quit);
}

#[test]
fn the_audit_tab_lists_every_change_with_before_and_after() {
    let mut h = Harness::new(Lang::En);
    let c = h.api.client_file(1).unwrap().client;
    let edit = ClientDraft { phone: "021-64381234".into(), ..c.draft.clone() };
    h.api.update_client("zhou", c.id, c.meta.version, edit).unwrap();
    h.key(KeyCode::Char('8'));
    let s = h.screen();
    assert!(s.contains("2 entries"), "{s}");
    assert!(s.contains("zhou") && s.contains("KH-0001 上海华贸中心"), "{s}");
    // Newest first: the edit, then the creation.
    h.key(KeyCode::Enter);
    let s = h.screen();
    assert!(s.contains("zhou changed client KH-0001 上海华贸中心"), "{s}");
    assert!(s.contains("+ 021-64381234"), "{s}");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('/'));
    h.typed("64381234");
    assert!(h.screen().contains("1 entries"));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('f'));
    h.key(KeyCode::Char('f'));
    assert!(h.screen().contains("0 entries"), "visits only: none");
}

#[test]
fn a_search_of_the_audit_trail_runs_aside_and_typing_over_it_wins() {
    let mut h = Harness::new(Lang::En);
    for i in 0..40 {
        let c = h.api.client_file(1).unwrap().client;
        let edit = ClientDraft { phone: format!("021-6438{i:04}"), ..c.draft.clone() };
        h.api.update_client("zhou", c.id, c.meta.version, edit).unwrap();
    }
    h.key(KeyCode::Char('8'));
    // Unfiltered, the newest page is read by number: all 41 entries, newest first.
    let s = h.screen();
    assert!(s.contains("41 entries") && s.contains("zhou"), "{s}");
    h.key(KeyCode::End);
    let s = h.screen();
    assert!(s.contains("li") && s.contains("created"), "the oldest entry is the creation, at the end: {s}");
    // Typing starts a search aside; the keystroke's frame says so at once.
    h.key(KeyCode::Char('/'));
    h.typed("6438000");
    h.term.draw(|f| h.app.draw(f)).unwrap();
    assert!(h.app.busy(), "the search runs aside");
    // Typing over a running search: only the page for the last text is shown.
    h.typed("7");
    let s = h.screen();
    assert!(!h.app.busy());
    // 64380007 is the seventh edit's new number and the eighth's old one.
    assert!(s.contains("Filter: 64380007") && s.contains("2 entries"), "{s}");
    h.key(KeyCode::Backspace);
    let s = h.screen();
    assert!(s.contains("11 entries"), "6438000x: the first ten edits' new numbers and the eleventh's old one: {s}");
}

#[test]
fn after_a_conflict_mine_can_go_on_top_of_theirs_or_theirs_be_taken() {
    for keep_mine in [true, false] {
        let mut h = Harness::new(Lang::En);
        h.key(KeyCode::Char('e'));
        let c = h.api.client_file(1).unwrap().client;
        let theirs = ClientDraft { phone: "021-64381234".into(), ..c.draft.clone() };
        h.api.update_client("zhou", c.id, c.meta.version, theirs).unwrap();
        h.key(KeyCode::End);
        h.typed("（浦东）");
        h.ctrl('s');
        let s = h.screen();
        assert!(s.contains("zhou changed at") && s.contains("Phone"), "their changed fields are named: {s}");
        h.key(KeyCode::F(if keep_mine { 6 } else { 5 }));
        h.ctrl('s');
        let stored = h.api.client_file(1).unwrap().client;
        assert_eq!(stored.draft.phone, "021-64381234", "their change stays");
        let want = if keep_mine { "上海华贸中心（浦东）" } else { "上海华贸中心" };
        assert_eq!(stored.draft.name, want);
    }
}

#[test]
fn an_admin_adds_changes_and_disables_operators() {
    let mut h = Harness::new(Lang::En);
    h.api.bootstrap_admin("li").unwrap();
    h.key(KeyCode::Char('9'));
    let s = h.screen();
    assert!(s.contains("li") && s.contains("admin") && s.contains("active"), "{s}");
    h.key(KeyCode::Char('n'));
    assert!(h.screen().contains("Add an operator"));
    h.typed("zhou");
    h.ctrl('s');
    assert!(h.screen().contains("Saved: zhou (customer service)"));
    assert_eq!(h.api.operator_for("zhou").unwrap().role, guardroom::domain::Role::CustomerService);
    // Change zhou's role to captain (three steps right from customer service).
    h.key(KeyCode::Down);
    h.key(KeyCode::Char('e'));
    for _ in 0..3 {
        h.key(KeyCode::Right);
    }
    h.ctrl('s');
    assert_eq!(h.api.operator_for("zhou").unwrap().role, guardroom::domain::Role::Captain);
    h.key(KeyCode::Char('d'));
    assert!(h.screen().contains("Disable zhou? Its history stays."));
    h.key(KeyCode::Char('y'));
    assert!(h.api.operator_for("zhou").is_err(), "disabled accounts are no longer operators");
    assert!(h.screen().contains("disabled"));
}

#[test]
fn a_role_sees_only_the_tabs_and_keys_it_may_use() {
    let h = Harness::new(Lang::En);
    h.api.bootstrap_admin("root").unwrap();
    h.api.set_operator("root", "kefu", guardroom::domain::Role::Sales, true).unwrap();
    let guarded: Arc<dyn Api> = Arc::new(guardroom::service::guard::Guarded::new(Arc::clone(&h.api), "kefu").unwrap());
    let mut app = App::new(guarded, Lang::En, Theme { color: false, ..Theme::default() }, "kefu");
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let screen = format!("{:?}", term.backend());
    assert!(screen.contains("1 Clients") && screen.contains("2 Complaints"), "{screen}");
    assert!(!screen.contains("Audit") && !screen.contains("Operators"), "{screen}");
    // Sales edits clients; its complaint file shows no workflow keys.
    app.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
    app.handle_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
    term.draw(|f| app.draw(f)).unwrap();
    let screen = format!("{:?}", term.backend());
    assert!(screen.contains("Complaints") && !screen.contains("n register"), "no register hint for sales: {screen}");
}

#[test]
fn the_audit_trail_filters_by_operator_and_dates() {
    // Audit dates are local dates: pin the zone so the 02:00 UTC entries fall on the 23rd.
    std::env::set_var("TZ", "UTC");
    let mut h = Harness::new(Lang::En);
    let c = h.api.client_file(1).unwrap().client;
    h.api.update_client("zhou", c.id, c.meta.version, ClientDraft { phone: "021-64381234".into(), ..c.draft.clone() }).unwrap();
    h.key(KeyCode::Char('8'));
    assert!(h.screen().contains("2 entries"));
    h.key(KeyCode::Char('d'));
    assert!(h.screen().contains("Filter the audit trail"));
    h.typed("zhou");
    h.key(KeyCode::Tab);
    h.typed("2026-13-01");
    h.ctrl('s');
    assert!(h.screen().contains("Not a date"), "a bad date is marked and the form stays");
    for _ in 0.."2026-13-01".len() {
        h.key(KeyCode::Backspace);
    }
    h.typed("2026-11-23");
    h.ctrl('s');
    let s = h.screen();
    assert!(s.contains("1 entries") && s.contains("zhou"), "{s}");
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Tab);
    for _ in 0..10 {
        h.key(KeyCode::Backspace);
    }
    h.typed("2026-11-24");
    h.ctrl('s');
    assert!(h.screen().contains("0 entries"), "nothing from the 24th on");
}

#[test]
fn a_conflicting_complaint_correction_can_keep_mine_on_top_of_theirs() {
    use guardroom::domain::{Category, Channel, ComplaintDraft, Fen};
    let mut h = Harness::new(Lang::En);
    let t = chrono::NaiveDateTime::parse_from_str("2026-11-22 10:00", "%Y-%m-%d %H:%M").unwrap();
    let d = ComplaintDraft {
        client_id: 1,
        client_name: "上海华贸中心".into(),
        address: String::new(),
        phone: String::new(),
        received_at: t,
        received_by: "li".into(),
        channel: Channel::Phone,
        cause: "夜班睡岗".into(),
        demand: String::new(),
        category: Category::General,
        amount: Fen(0),
        kind: String::new(),
        remarks: String::new(),
    };
    let c = h.api.register_complaint("li", d.clone()).unwrap();
    h.key(KeyCode::Char('2'));
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('e'));
    assert!(h.screen().contains("Correct complaint"));
    // Someone else corrects the type meanwhile; I add a remark.
    h.api.edit_complaint("zhou", c.id, c.meta.version, ComplaintDraft { kind: "脱岗睡岗".into(), ..d }).unwrap();
    h.app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    h.typed("客户要求书面回复");
    h.ctrl('s');
    assert!(h.screen().contains("zhou changed at"), "{}", h.screen());
    h.key(KeyCode::F(6));
    h.ctrl('s');
    let stored = h.api.complaint_file(c.id).unwrap().complaint;
    assert_eq!((stored.draft.kind.as_str(), stored.draft.remarks.as_str()), ("脱岗睡岗", "客户要求书面回复"));
}
