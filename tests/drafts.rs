//! Drafts through the real app state: an unsaved form kept at an abrupt
//! end, offered at the next start, reopened (on a record changed since:
//! through the conflict path) or discarded.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::i18n::{Lang, T};
use guardroom::service::Api;
use guardroom::ui::app::TabId;
use guardroom::ui::drafts::{DraftStore, Target};
use guardroom::ui::keymap::Context;
use guardroom::ui::screenshots::{demo_service, screen_lines};
use guardroom::ui::theme::Theme;
use guardroom::ui::App;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

const NAME: &str = "上海华贸中心物业管理有限公司";

fn setup() -> (tempfile::TempDir, Arc<dyn Api>, DraftStore) {
    let dir = tempfile::tempdir().unwrap();
    let api: Arc<dyn Api> = demo_service(&dir.path().join("g.db")).unwrap();
    let store = DraftStore::new(dir.path(), "kefu", "/srv/g.db");
    (dir, api, store)
}

fn app(api: &Arc<dyn Api>, lang: Lang, store: &DraftStore) -> App {
    let mut app = App::new(Arc::clone(api), lang, Theme::new(guardroom::ui::theme::ThemeName::Dark, false), "kefu");
    app.use_drafts(store.clone());
    app
}

fn draw(app: &mut App) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    screen_lines(term.backend().buffer()).iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    draw(app);
}

fn ctrl_s(app: &mut App) {
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    draw(app);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// KH-0001's edit form with "（新址）" typed after its name, then an abrupt end.
fn leave_an_edit(api: &Arc<dyn Api>, store: &DraftStore) {
    let mut a = app(api, Lang::En, store);
    a.tab = TabId::Clients;
    draw(&mut a);
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Char('e'));
    assert_eq!(a.context(), Context::Form);
    type_text(&mut a, "（新址）");
    assert_eq!(a.keep_drafts(), 1);
}

#[test]
fn an_edit_kept_at_an_abrupt_end_is_offered_reopened_and_saved() {
    let (_dir, api, store) = setup();
    leave_an_edit(&api, &store);
    let kept = store.load().expect("a draft file");
    assert_eq!(kept.drafts.len(), 1);
    assert!(matches!(kept.drafts[0].target, Target::EditClient { id: 1, .. }), "{:?}", kept.drafts[0].target);

    for lang in [Lang::Zh, Lang::En] {
        let mut a = app(&api, lang, &store);
        let screen = draw(&mut a);
        assert!(screen.contains(&format!("{NAME}（新址）")), "{screen}");
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| a.draw(f)).unwrap();
        let name = format!("draft_offer_{lang:?}_80x24").to_lowercase();
        insta::with_settings!({ filters => vec![(r"kefu @ \S+", "kefu @ [db]"), (r"(就绪|Ready) · \S+ *", "$1 · [db]")] }, {
            insta::assert_snapshot!(name, format!("{:?}", term.backend()));
        });
    }

    let mut a = app(&api, Lang::En, &store);
    draw(&mut a);
    // Keys other than the answers wait.
    key(&mut a, KeyCode::Char('x'));
    assert_eq!(a.context(), Context::Dialog);
    key(&mut a, KeyCode::Enter);
    assert_eq!((a.tab, a.context()), (TabId::Clients, Context::Form));
    assert_eq!(a.status.text, T::DraftReopened.get(Lang::En));
    assert!(store.load().is_none(), "the offer is answered: nothing is kept any more");
    let screen = draw(&mut a);
    assert!(screen.contains("Edit client KH-0001") && screen.contains(&format!("{NAME}（新址）")), "{screen}");
    ctrl_s(&mut a);
    assert_eq!(a.context(), Context::Detail, "saved: {}", a.status.text);
    assert_eq!(api.client_file(1).unwrap().client.draft.name, format!("{NAME}（新址）"));
}

#[test]
fn a_draft_of_a_record_changed_since_goes_through_the_conflict_path() {
    let (_dir, api, store) = setup();
    leave_an_edit(&api, &store);
    // Someone else changes the client's phone meanwhile.
    let c = api.client_file(1).unwrap().client;
    let mut theirs = c.draft.clone();
    theirs.phone = "021-60000000".into();
    api.update_client("zhangjl", c.id, c.meta.version, theirs).unwrap();

    let mut a = app(&api, Lang::En, &store);
    draw(&mut a);
    key(&mut a, KeyCode::Enter);
    let screen = draw(&mut a);
    assert!(screen.contains("This record was changed after the draft"), "{screen}");
    // Saving does not overwrite their change: it names it and offers the choice.
    ctrl_s(&mut a);
    assert_eq!(a.context(), Context::Form);
    assert_eq!(api.client_file(1).unwrap().client.draft.name, NAME, "nothing overwritten");
    let screen = draw(&mut a);
    assert!(screen.contains("zhangjl changed at") && screen.contains("Phone"), "{screen}");
    key(&mut a, KeyCode::F(6));
    ctrl_s(&mut a);
    let now = api.client_file(1).unwrap().client.draft;
    assert_eq!((now.name.as_str(), now.phone.as_str()), (format!("{NAME}（新址）").as_str(), "021-60000000"), "both edits kept");
}

#[test]
fn a_new_record_draft_reopens_as_a_new_form_and_d_discards_a_draft() {
    let (_dir, api, store) = setup();
    let before = api.client_count().unwrap();
    let mut a = app(&api, Lang::Zh, &store);
    a.tab = TabId::Clients;
    draw(&mut a);
    key(&mut a, KeyCode::Char('n'));
    type_text(&mut a, "杭州西溪园区");
    // Visiting another tab keeps the form open there; both are kept.
    a.tab = TabId::Staff;
    draw(&mut a);
    key(&mut a, KeyCode::Char('n'));
    type_text(&mut a, "赵六");
    assert_eq!(a.keep_drafts(), 2);

    let mut b = app(&api, Lang::Zh, &store);
    let screen = draw(&mut b);
    assert!(screen.contains("新建客户") && screen.contains("杭州西溪园区"), "{screen}");
    key(&mut b, KeyCode::Enter);
    assert!(b.tab == TabId::Clients && b.clients.form.is_some());
    // The second draft is offered over the reopened form, and d discards it.
    let screen = draw(&mut b);
    assert!(screen.contains("赵六"), "{screen}");
    key(&mut b, KeyCode::Char('d'));
    assert_eq!(b.status.text, T::DraftDiscarded.get(Lang::Zh));
    assert!(store.load().is_none());
    // The reopened client form is the one focused, and saves a new client.
    assert_eq!((b.tab, b.context()), (TabId::Clients, Context::Form));
    b.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert_eq!(api.client_count().unwrap(), before + 1, "{}", b.status.text);

    // A clean quit asks first and keeps nothing; a draft is only for abrupt ends.
    let c = app(&api, Lang::Zh, &store);
    assert!(c.dialog.is_none());
}

#[test]
fn esc_discards_and_an_unanswered_offer_is_kept_again() {
    let (_dir, api, store) = setup();
    leave_an_edit(&api, &store);
    // The next session ends before the offer is answered: still kept.
    let a = app(&api, Lang::En, &store);
    assert_eq!(a.keep_drafts(), 1);
    let mut b = app(&api, Lang::En, &store);
    draw(&mut b);
    key(&mut b, KeyCode::Esc);
    assert!(b.dialog.is_none() && store.load().is_none());
    assert_eq!(api.client_file(1).unwrap().client.draft.name, NAME);
}

#[test]
fn a_draft_whose_record_is_gone_is_kept_until_discarded() {
    let (_dir, api, store) = setup();
    leave_an_edit(&api, &store);
    // The client it edits is no more (here: a number never given).
    let mut file = store.load().unwrap();
    file.drafts[0].target = Target::EditClient { id: 9999, version: 1 };
    store.save(file.saved_at, &file.drafts).unwrap();
    let mut a = app(&api, Lang::En, &store);
    draw(&mut a);
    key(&mut a, KeyCode::Enter);
    assert!(a.dialog.is_none() && a.clients.form.is_none());
    assert_eq!(a.status.text, T::DraftRecordGone.get(Lang::En));
    assert_eq!(store.load().map(|f| f.drafts.len()), Some(1), "kept for the next start");
    // Even through another abrupt end.
    assert_eq!(a.keep_drafts(), 1);
    let mut b = app(&api, Lang::En, &store);
    draw(&mut b);
    key(&mut b, KeyCode::Char('d'));
    assert!(store.load().is_none());
}

#[test]
fn text_typed_into_a_forms_pick_list_is_unsaved_input_and_a_pick_is_kept_picked() {
    let (_dir, api, store) = setup();
    let mut a = app(&api, Lang::Zh, &store);
    a.tab = TabId::Complaints;
    draw(&mut a);
    key(&mut a, KeyCode::Char('n'));
    assert_eq!((a.context(), a.complaints.form.as_ref().map(|o| o.form.focused_id())), (Context::Form, Some("client")));
    // Typed into the client pick list, nothing picked yet.
    type_text(&mut a, "华贸");
    let client = |drafts: &[guardroom::ui::drafts::Draft]| {
        let f = drafts[0].form.fields.iter().find(|f| f.id == "client").unwrap();
        (f.value.clone(), f.picked)
    };
    let drafts = a.unsaved_forms();
    assert_eq!(drafts.len(), 1, "what was typed into the pick list is unsaved input");
    assert_eq!(client(&drafts), ("华贸".to_string(), None));
    // Picked from the list: kept with the pick, and reopened picked.
    key(&mut a, KeyCode::Enter);
    let picked = a.complaints.form.as_ref().and_then(|o| o.form.picked("client")).expect("a client picked");
    assert_eq!(a.keep_drafts(), 1);
    assert_eq!(client(&store.load().unwrap().drafts).1, Some(picked));
    let mut b = app(&api, Lang::Zh, &store);
    draw(&mut b);
    key(&mut b, KeyCode::Enter);
    assert_eq!((b.tab, b.context()), (TabId::Complaints, Context::Form));
    assert_eq!(b.complaints.form.as_ref().and_then(|o| o.form.picked("client")), Some(picked));
    assert_eq!(client(&b.unsaved_forms()).1, Some(picked), "still unsaved, and still picked");
}

#[test]
fn staff_and_post_edits_reopen_on_their_record_and_say_when_it_changed_since() {
    use guardroom::service::duty::{self, DutyCommand};
    let (_dir, api, store) = setup();
    for tab in [TabId::Staff, TabId::Posts] {
        let mut a = app(&api, Lang::En, &store);
        a.tab = tab;
        draw(&mut a);
        key(&mut a, KeyCode::Char('e'));
        assert_eq!(a.context(), Context::Form, "{tab:?}");
        type_text(&mut a, "（草稿）");
        assert_eq!(a.keep_drafts(), 1);
        let target = store.load().expect("a draft file").drafts[0].target.clone();
        let (id, version) = target.edited().expect("an edit");
        // Someone else saves the same record meanwhile.
        let cmd = match tab {
            TabId::Staff => {
                let s = duty::staff(api.as_ref()).unwrap().into_iter().find(|s| s.id == id).unwrap();
                DutyCommand::SaveStaff {
                    id: Some(id),
                    version,
                    draft: guardroom::domain::StaffDraft { phone: "13900000000".into(), ..s.draft },
                }
            }
            _ => {
                let p = duty::posts(api.as_ref()).unwrap().into_iter().find(|p| p.post.id == id).unwrap().post;
                DutyCommand::SavePost {
                    id: Some(id), version, draft: guardroom::domain::PostDraft { address: "新地址".into(), ..p.draft }
                }
            }
        };
        api.duty_do("zhangjl", cmd).unwrap();

        let mut a = app(&api, Lang::En, &store);
        draw(&mut a);
        key(&mut a, KeyCode::Enter);
        assert_eq!((a.tab, a.context()), (tab, Context::Form), "{}", a.status.text);
        let screen = draw(&mut a);
        assert!(screen.contains("（草稿）"), "the typed text is back: {screen}");
        assert!(screen.contains("This record was changed after the draft"), "{screen}");
    }
}
