//! The app: routes keys to the pane that has focus, keeps overlays (help,
//! confirm) above it, and draws the frame. Panes own their own state.

use super::clients::{render::render_detail, ClientsTab};
use super::complaints::ComplaintsTab;
use super::keymap::{self, Action, Context};
use super::pane::{Ctx, Pending, TabRequest};
use super::status::{Status, Tone};
use super::text::{truncate, width};
use super::theme::Theme;
use super::widgets::{dialog::Confirm, help};
use crate::i18n::{fill, Lang, T};
use crate::service::Api;
use crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use ratatui::Frame;
use std::sync::Arc;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Welcome,
    Main,
}

/// The tabs, in tab-bar order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabId {
    Overview,
    Clients,
    Complaints,
    Rosters,
    Staff,
    Posts,
    Dorm,
    Vehicles,
    Audit,
    Operators,
}

impl TabId {
    pub const ALL: [TabId; 10] = [
        TabId::Overview,
        TabId::Clients,
        TabId::Complaints,
        TabId::Rosters,
        TabId::Staff,
        TabId::Posts,
        TabId::Dorm,
        TabId::Vehicles,
        TabId::Audit,
        TabId::Operators,
    ];
    /// The digit that opens the tab: the Overview is 0, the rest 1…9.
    pub fn digit(self) -> u8 {
        TabId::ALL.iter().position(|t| *t == self).unwrap_or(0) as u8 % 10
    }

    /// The tab with this file-stem name (`clients`), as drafts name it.
    pub fn named(name: &str) -> Option<TabId> {
        TabId::ALL.into_iter().find(|t| super::screenshots::tab_name(*t) == name)
    }

    pub(crate) fn title(self) -> T {
        match self {
            TabId::Overview => T::TabOverview,
            TabId::Clients => T::TabClients,
            TabId::Complaints => T::TabComplaints,
            TabId::Rosters => T::TabRosters,
            TabId::Staff => T::TabStaff,
            TabId::Posts => T::TabPosts,
            TabId::Dorm => T::TabDorm,
            TabId::Vehicles => T::TabVehicles,
            TabId::Audit => T::TabAudit,
            TabId::Operators => T::TabOperators,
        }
    }
}

pub struct App {
    pub api: Arc<dyn Api>,
    pub lang: Lang,
    pub theme: Theme,
    pub actor: String,
    pub screen: Screen,
    pub tab: TabId,
    pub overview: super::overview::OverviewTab,
    pub clients: ClientsTab,
    pub complaints: ComplaintsTab,
    pub audit: super::audit::AuditTab,
    pub operators: super::operators::OperatorsTab,
    pub rosters: super::rosters::RostersTab,
    pub staff: super::staff::StaffTab,
    pub posts: super::posts::PostsTab,
    pub dorm: super::dorm::DormTab,
    pub vehicles: super::vehicles::VehiclesTab,
    /// The tab a roster view was opened from (Esc goes back there).
    return_tab: Option<TabId>,
    pub dialog: Option<Confirm<Pending>>,
    /// A CSV import being prepared (path, then preview), over the tab.
    pub import: Option<super::import::ImportView>,
    pub help: Option<Context>,
    pub status: Status,
    pub quit: bool,
    /// The whole client list is still being read in the background.
    pub loading: bool,
    /// Where exported files are written.
    pub export_dir: std::path::PathBuf,
    /// What this operator's role allows, read at start (the service checks every call).
    pub rights: Vec<crate::domain::Right>,
    /// The terminal is below the minimum size: only quitting works, since
    /// nothing else could be seen.
    pub too_small: bool,
    /// Unsaved forms kept when a session ends abruptly, and offered again.
    pub drafts: super::drafts::Drafts,
}

impl App {
    pub fn new(api: Arc<dyn Api>, lang: Lang, theme: Theme, actor: &str) -> App {
        let aside = Arc::clone(&api);
        let empty = api.client_count().map(|n| n == 0).unwrap_or(false);
        let loading = !api.is_loaded() && !empty;
        let mut app = App {
            api,
            lang,
            theme,
            actor: actor.to_string(),
            screen: if empty { Screen::Welcome } else { Screen::Main },
            tab: TabId::Clients,
            overview: super::overview::OverviewTab::default(),
            clients: ClientsTab::default(),
            complaints: ComplaintsTab::default(),
            audit: super::audit::AuditTab::searching_with(Arc::clone(&aside)),
            operators: super::operators::OperatorsTab::default(),
            rosters: super::rosters::RostersTab::default(),
            staff: super::staff::StaffTab::default(),
            posts: super::posts::PostsTab::default(),
            dorm: super::dorm::DormTab::default(),
            vehicles: super::vehicles::VehiclesTab::default(),
            return_tab: None,
            dialog: None,
            import: None,
            help: None,
            status: Status::default(),
            quit: false,
            loading,
            too_small: false,
            export_dir: std::path::PathBuf::from("."),
            rights: Vec::new(),
            drafts: Default::default(),
        };
        if loading {
            app.status.info(fill(T::StatusLoading.get(lang), &["200"]));
        }
        app.refresh_rights();
        // The day starts on the Overview, for those it has lines for.
        if app.tab_allowed(TabId::Overview) {
            app.tab = TabId::Overview;
        }
        app.open_post_mode();
        app
    }

    /// A post operator works its post's screen: open it at start, and on the
    /// post it works when there is exactly one.
    fn open_post_mode(&mut self) {
        use crate::domain::Right;
        if self.rights.contains(&Right::ReadRosters) || !self.rights.contains(&Right::WorkPost) {
            return;
        }
        self.screen = Screen::Main;
        self.tab = TabId::Rosters;
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        self.rosters.post_mode = true;
        self.rosters.view = super::rosters::View::Post;
        self.rosters.stale = false;
        match crate::service::duty::my_posts(ctx.api) {
            Ok(rows) if !rows.is_empty() => {
                self.rosters.my_posts = rows.iter().map(|r| (r.post.id, format!("{} · {}", r.post.display(), r.client_name))).collect();
                self.rosters.my_posts_text = (T::PostPickTitle.get(self.lang).into(), T::PickOneHint.get(self.lang).into());
                self.rosters.open_post(rows[0].post.id, &mut ctx);
            }
            Ok(_) => self.rosters.refused = Some(T::PostNotAssigned.get(self.lang).into()),
            Err(e) => self.rosters.refused = Some(super::messages::service_error(&e, self.lang)),
        }
    }

    /// Other sessions changed these records: refresh what is on screen,
    /// keeping cursor, filter and scroll; warn a form editing one of them.
    pub fn others_changed(&mut self, changes: &[(String, u64)]) {
        self.overview.stale = true;
        self.clients.stale = true;
        self.complaints.stale = true;
        self.audit.stale = true;
        self.operators.stale = true;
        self.mark_roster_tabs_stale();
        if changes.iter().any(|(k, _)| k == "operator" || k == "all") {
            self.refresh_rights();
        }
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        if self.clients.form.is_none() {
            self.clients.reload_detail(&mut ctx);
        }
        if self.complaints.form.is_none() {
            self.complaints.reload_detail(&mut ctx);
        }
        let notice = T::NoticeChangedElsewhere.get(self.lang).to_string();
        for (kind, id) in changes {
            if let Some(open) = self.clients.form.as_mut() {
                if kind == "client" && open.target.record_id() == Some(*id) {
                    open.form.notice = Some(notice.clone());
                }
            }
            if let Some(open) = self.complaints.form.as_mut() {
                if kind == "complaint" && open.target.record_id() == Some(*id) {
                    open.form.notice = Some(notice.clone());
                }
            }
        }
    }

    fn mark_roster_tabs_stale(&mut self) {
        self.rosters.stale = true;
        self.staff.list.stale = true;
        self.posts.list.stale = true;
        self.dorm.mark_stale();
        self.vehicles.mark_stale();
    }

    /// Ask the service what this operator may do (after start or a change).
    pub fn refresh_rights(&mut self) {
        self.rights = crate::domain::Right::ALL.into_iter().filter(|r| self.api.can(*r)).collect();
    }

    /// The background load of every client finished.
    pub fn loaded(&mut self, result: crate::service::Result<usize>) {
        self.loading = false;
        self.clients.stale = true;
        // Its counts over the whole lists can be made now.
        self.overview.stale = true;
        match result {
            // A post operator never sees the client list: nothing to say.
            Ok(_) if self.rosters.post_mode => {}
            Ok(n) => self.status.info(fill(T::StatusLoaded.get(self.lang), &[&n.to_string()])),
            Err(e) => self.status.error(super::messages::service_error(&e, self.lang)),
        }
    }

    pub fn context(&self) -> Context {
        if self.dialog.is_some() {
            Context::Dialog
        } else if let Some(v) = &self.import {
            v.context()
        } else if self.screen == Screen::Welcome {
            Context::Welcome
        } else {
            match self.tab {
                TabId::Overview => self.overview.context(),
                TabId::Clients => self.clients.context(),
                TabId::Complaints => self.complaints.context(),
                TabId::Audit => self.audit.context(),
                TabId::Operators => self.operators.context(),
                TabId::Rosters => self.rosters.context(),
                TabId::Staff => self.staff.context(),
                TabId::Posts => self.posts.context(),
                TabId::Dorm => self.dorm.context(),
                TabId::Vehicles => self.vehicles.context(),
            }
        }
    }

    /// The form open in the current tab, if any.
    pub fn form_mut(&mut self) -> Option<&mut super::widgets::form::Form> {
        match self.tab {
            TabId::Overview => None,
            TabId::Clients => self.clients.form.as_mut().map(|o| &mut o.form),
            TabId::Complaints => self.complaints.form.as_mut().map(|o| &mut o.form),
            TabId::Audit => self.audit.form.as_mut(),
            TabId::Operators => self.operators.form.as_mut().map(|f| &mut f.0),
            TabId::Rosters => self.rosters.form.as_mut(),
            TabId::Staff => self.staff.form.as_mut().map(|f| &mut f.0),
            TabId::Posts => self.posts.form.as_mut().map(|f| &mut f.0),
            TabId::Dorm => self.dorm.form.as_mut(),
            TabId::Vehicles => self.vehicles.form.as_mut(),
        }
    }

    fn form(&self) -> Option<&super::widgets::form::Form> {
        match self.tab {
            TabId::Overview => None,
            TabId::Clients => self.clients.form.as_ref().map(|o| &o.form),
            TabId::Complaints => self.complaints.form.as_ref().map(|o| &o.form),
            TabId::Audit => self.audit.form.as_ref(),
            TabId::Operators => self.operators.form.as_ref().map(|f| &f.0),
            TabId::Rosters => self.rosters.form.as_ref(),
            TabId::Staff => self.staff.form.as_ref().map(|f| &f.0),
            TabId::Posts => self.posts.form.as_ref().map(|f| &f.0),
            TabId::Dorm => self.dorm.form.as_ref(),
            TabId::Vehicles => self.vehicles.form.as_ref(),
        }
    }

    /// Return to the client's file, showing what was just registered.
    fn back_to_clients(&mut self) {
        self.switch_tab(Action::GoTab(1));
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        self.clients.reload_detail(&mut ctx);
    }

    /// Tabs the role has no use for are not shown.
    pub(crate) fn tab_allowed(&self, t: TabId) -> bool {
        use crate::domain::Right;
        match t {
            TabId::Overview => {
                crate::service::overview::Item::ALL.iter().any(|i| self.rights.contains(&i.right()))
                    || self.rights.contains(&Right::ReadComplaints)
                    || self.rights.contains(&Right::ReadRosters)
            }
            // A post operator sees only its post's screen.
            TabId::Clients => self.rights.contains(&Right::ReadClients),
            TabId::Rosters => self.rights.contains(&Right::ReadRosters) || self.rights.contains(&Right::WorkPost),
            TabId::Staff | TabId::Posts => self.rights.contains(&Right::ReadRosters),
            TabId::Dorm | TabId::Vehicles => self.rights.contains(&Right::DormVehicles),
            TabId::Complaints => self.rights.contains(&Right::ReadComplaints),
            TabId::Audit => self.rights.contains(&Right::ReadAudit),
            TabId::Operators => self.rights.contains(&Right::ManageOperators),
        }
    }

    /// Show `tab` (its lists read afresh).
    pub(crate) fn go_to_tab(&mut self, tab: TabId) {
        self.switch_tab(Action::GoTab(tab.digit()));
    }

    fn switch_tab(&mut self, action: Action) {
        self.return_tab = None;
        let shown: Vec<TabId> = TabId::ALL.iter().copied().filter(|t| self.tab_allowed(*t)).collect();
        let i = shown.iter().position(|t| *t == self.tab).unwrap_or(0);
        let n = shown.len().max(1);
        self.tab = match action {
            Action::NextTab => shown.get((i + 1) % n).copied().unwrap_or(self.tab),
            Action::PrevTab => shown.get((i + n - 1) % n).copied().unwrap_or(self.tab),
            // The digits name tabs by their place in the full list.
            Action::GoTab(k) => TabId::ALL.iter().copied().find(|t| t.digit() == k).filter(|t| self.tab_allowed(*t)).unwrap_or(self.tab),
            _ => self.tab,
        };
        // Show the tab's rows as they are now.
        self.overview.stale = true;
        self.clients.stale = true;
        self.complaints.stale = true;
        self.audit.stale = true;
        self.operators.stale = true;
        self.mark_roster_tabs_stale();
    }

    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => self.handle_key(k),
            Event::Paste(text) if !self.too_small => self.handle_paste(&text),
            Event::Resize(w, h) => self.too_small = w < MIN_WIDTH || h < MIN_HEIGHT,
            _ => {}
        }
    }

    pub fn handle_paste(&mut self, text: &str) {
        if self.dialog.is_some() || self.help.is_some() {
            return;
        }
        if let Some(v) = self.import.as_mut() {
            v.paste(text);
            return;
        }
        if let Some(form) = self.form_mut() {
            form.paste(text);
        } else if self.tab == TabId::Clients && self.clients.filtering {
            self.clients.filter_paste(text);
        } else if self.tab == TabId::Complaints && self.complaints.filtering {
            self.complaints.filter_paste(text);
        } else if self.tab == TabId::Rosters {
            self.rosters.paste(text);
        } else if self.tab == TabId::Staff && self.staff.list.filtering {
            self.staff.list.paste(text);
        } else if self.tab == TabId::Posts && self.posts.list.filtering {
            self.posts.list.paste(text);
        } else if self.tab == TabId::Dorm && self.dorm.rooms.filtering {
            self.dorm.rooms.paste(text);
        } else if self.tab == TabId::Vehicles && self.vehicles.list.filtering {
            self.vehicles.list.paste(text);
        } else if self.tab == TabId::Audit && self.audit.filtering {
            super::pane::append_text(&mut self.audit.query.text, text, crate::domain::limits::FILTER.chars());
            self.audit.stale = true;
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if self.too_small {
            // Only quitting works unseen; a quit question already asked still
            // takes its y/n.
            if self.dialog.as_ref().is_some_and(|d| d.on_yes == Pending::Quit) {
                self.route_key(key);
                return;
            }
            let quit = key.code == crossterm::event::KeyCode::Char('q') && self.form().is_none()
                || keymap::lookup(Context::Form, &key) == Some(Action::Quit);
            if quit {
                self.request_quit();
            }
            return;
        }
        let before = (self.context(), self.status.serial);
        self.route_key(key);
        // A message belongs to the pane it was said in: moving to another
        // pane without a new message clears it.
        if self.context() != before.0 && self.status.serial == before.1 && !self.loading {
            self.status.clear();
        }
    }

    fn route_key(&mut self, key: KeyEvent) {
        if self.help.is_some() {
            // Any of Esc, ? or F1 closes help; other keys are ignored.
            if matches!(keymap::lookup(Context::List, &key), Some(Action::Help | Action::Back))
                || keymap::lookup(Context::Form, &key) == Some(Action::Help)
            {
                self.help = None;
            }
            return;
        }
        if self.dialog.as_ref().is_some_and(|d| d.on_yes == Pending::ReopenDraft) {
            self.draft_offer_key(key);
            return;
        }
        if let Some(d) = &self.dialog {
            match keymap::lookup(Context::Dialog, &key) {
                Some(Action::Yes) => {
                    let pending = d.on_yes;
                    self.dialog = None;
                    let mut ctx = Ctx {
                        api: self.api.as_ref(),
                        lang: self.lang,
                        actor: &self.actor,
                        status: &mut self.status,
                        export_dir: &self.export_dir,
                    };
                    match pending {
                        Pending::DiscardForm => match self.tab {
                            TabId::Overview => {}
                            TabId::Clients => self.clients.discard_form(),
                            TabId::Complaints => {
                                if self.complaints.discard_form() == TabRequest::BackToClients {
                                    self.back_to_clients();
                                }
                            }
                            TabId::Audit => self.audit.form = None,
                            TabId::Operators => self.operators.form = None,
                            TabId::Rosters => self.rosters.form = None,
                            TabId::Staff => self.staff.form = None,
                            TabId::Posts => self.posts.form = None,
                            TabId::Dorm => self.dorm.form = None,
                            TabId::Vehicles => self.vehicles.form = None,
                        },
                        Pending::Quit => self.quit = true,
                        Pending::ReopenPromise => self.clients.toggle_promise(&mut ctx, true),
                        Pending::CloseComplaint => self.complaints.confirmed(&mut ctx, pending),
                        Pending::ToggleOperator => self.operators.toggle_selected(&mut ctx),
                        Pending::DeletePost => self.posts.delete_selected(&mut ctx),
                        Pending::MarkAudited => self.rosters.mark_audited(&mut ctx),
                        Pending::CopyWeek => self.rosters.copy_week(&mut ctx),
                        Pending::CheckOutEarly => self.rosters.check_out_confirmed(&mut ctx),
                        Pending::ReopenDraft => {}
                    }
                }
                Some(Action::No) => self.dialog = None,
                _ => {}
            }
            return;
        }
        if self.import.is_some() {
            self.import_key(key);
            return;
        }
        let ctx_kind = self.context();
        if self.screen == Screen::Main {
            // Keys act on the rows as they are now, even before a first frame.
            self.prepare();
        }
        let tab_table = self.tab_table();
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        let request = match ctx_kind {
            Context::Welcome => {
                match keymap::lookup(Context::Welcome, &key) {
                    Some(Action::LoadDemo) => match crate::service::Api::load_demo(ctx.api, ctx.actor) {
                        Ok(n) => {
                            let _ = ctx.api.preload();
                            let counts = [n.clients, n.visits, n.complaints, n.staff, n.assignments].map(|c| c.to_string());
                            let args: Vec<&str> = counts.iter().map(String::as_str).collect();
                            ctx.status.ok(fill(T::StatusDemoLoaded.get(self.lang), &args));
                            self.screen = Screen::Main;
                            self.clients.stale = true;
                            self.overview.stale = true;
                            if self.tab_allowed(TabId::Overview) {
                                self.tab = TabId::Overview;
                            }
                        }
                        Err(e) => ctx.status.error(super::messages::service_error(&e, self.lang)),
                    },
                    Some(Action::StartEmpty) => {
                        let _ = ctx.api.preload();
                        self.screen = Screen::Main;
                        self.clients.stale = true;
                        // An empty database starts with its first client.
                        if self.tab_allowed(TabId::Clients) {
                            self.tab = TabId::Clients;
                        }
                    }
                    Some(Action::Quit) => self.quit = true,
                    _ => {}
                }
                TabRequest::None
            }
            Context::Form => match self.tab {
                TabId::Overview => TabRequest::None,
                TabId::Clients => self.clients.form_key(key, &mut ctx),
                TabId::Complaints => self.complaints.form_key(key, &mut ctx),
                TabId::Audit => self.audit.form_key(key, &mut ctx),
                TabId::Operators => self.operators.form_key(key, &mut ctx),
                TabId::Rosters => self.rosters.form_key(key, &mut ctx),
                TabId::Staff => self.staff.form_key(key, &mut ctx),
                TabId::Posts => self.posts.form_key(key, &mut ctx),
                TabId::Dorm => self.dorm.form_key(key, &mut ctx),
                TabId::Vehicles => self.vehicles.form_key(key, &mut ctx),
            },
            Context::Picker => self.rosters.picker_key(key, &mut ctx),
            Context::Filter => match self.tab {
                TabId::Clients => self.clients.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Complaints => self.complaints.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Audit => self.audit.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Staff => self.staff.filter_key(key, keymap::lookup(Context::Filter, &key), ctx.api.today()),
                TabId::Posts => self.posts.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Dorm => self.dorm.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Vehicles => self.vehicles.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Overview | TabId::Operators | TabId::Rosters => TabRequest::None,
            },
            ctx_kind => match keymap::lookup(ctx_kind, &key) {
                Some(a @ (Action::NextTab | Action::PrevTab | Action::GoTab(_))) => {
                    self.switch_tab(a);
                    TabRequest::None
                }
                Some(Action::Import) => {
                    if let Some(kind) = tab_table.and_then(crate::transfer::Table::importable) {
                        self.import = Some(super::import::ImportView::open(kind, &self.export_dir, Arc::clone(&self.api)));
                    }
                    TabRequest::None
                }
                Some(Action::ExportTable) => {
                    if let Some(table) = tab_table {
                        super::import::export(table, &mut ctx);
                    }
                    TabRequest::None
                }
                Some(a) => match self.tab {
                    TabId::Overview => self.overview.handle_action(a, &mut ctx),
                    TabId::Clients => self.clients.handle_action(a, &mut ctx),
                    TabId::Complaints => self.complaints.handle_action(a, &mut ctx),
                    TabId::Audit => self.audit.handle_action(a, &mut ctx),
                    TabId::Operators => self.operators.handle_action(a, &mut ctx),
                    TabId::Rosters => {
                        let r = self.rosters.handle_action(a, &mut ctx);
                        if std::mem::take(&mut self.rosters.left) {
                            if let Some(t) = self.return_tab.take() {
                                self.tab = t;
                            }
                        }
                        r
                    }
                    // From a person or a post, straight into the roster views.
                    TabId::Staff if a == Action::GuardView => {
                        if let Some(id) = self.staff.selected_id() {
                            self.tab = TabId::Rosters;
                            self.return_tab = Some(TabId::Staff);
                            let today = ctx.api.today();
                            self.rosters.open_guard(id, today, &mut ctx);
                        }
                        TabRequest::None
                    }
                    TabId::Staff => self.staff.handle_action(a, &mut ctx),
                    TabId::Posts if a == Action::PostView => {
                        if let Some(id) = self.posts.selected().map(|r| r.post.id) {
                            self.tab = TabId::Rosters;
                            self.return_tab = Some(TabId::Posts);
                            self.rosters.open_post(id, &mut ctx);
                        }
                        TabRequest::None
                    }
                    TabId::Posts => self.posts.handle_action(a, &mut ctx),
                    TabId::Dorm => self.dorm.handle_action(a, &mut ctx),
                    TabId::Vehicles => self.vehicles.handle_action(a, &mut ctx),
                },
                None => TabRequest::None,
            },
        };
        match request {
            TabRequest::None => {}
            TabRequest::Help(c) => self.help = Some(c),
            TabRequest::ConfirmDiscard => self.ask(T::ConfirmDiscard.get(self.lang).into(), Pending::DiscardForm),
            TabRequest::Confirm(question, pending) => self.ask(question, pending),
            TabRequest::Quit => self.request_quit(),
            TabRequest::BackToClients => self.back_to_clients(),
            TabRequest::OpenPile(item) => self.open_pile(item),
            TabRequest::RegisterComplaint(client_id) => {
                self.switch_tab(Action::GoTab(2));
                let client = self.api.client_file(client_id).ok().map(|f| f.client);
                let mut ctx = Ctx {
                    api: self.api.as_ref(),
                    lang: self.lang,
                    actor: &self.actor,
                    status: &mut self.status,
                    export_dir: &self.export_dir,
                };
                self.complaints.open_register(&mut ctx, client.as_ref());
            }
        }
    }

    /// Open one of the Overview's piles as the filtered list in its tab.
    fn open_pile(&mut self, item: crate::service::overview::Item) {
        use crate::service::overview::{self as ov, Item, Section};
        use crate::service::{ClientFocus, ComplaintFocus};
        let tab = match item.section() {
            Section::Complaints => TabId::Complaints,
            Section::Clients => TabId::Clients,
            Section::Rosters => TabId::Rosters,
            Section::Dorm => TabId::Dorm,
            Section::Vehicles => TabId::Vehicles,
            Section::Staff => TabId::Staff,
        };
        if !self.tab_allowed(tab) {
            return;
        }
        self.switch_tab(Action::GoTab(tab.digit()));
        let label = super::overview::item_label(item).get(self.lang).to_string();
        let today = self.api.today();
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        match item {
            Item::ComplaintsOverdue => self.complaints.show_focus(ComplaintFocus::Overdue),
            Item::ComplaintsDueToday => self.complaints.show_focus(ComplaintFocus::DueToday),
            Item::AwaitingApproval => self.complaints.show_focus(ComplaintFocus::AwaitingApproval),
            Item::AwaitingFollowUp => self.complaints.show_focus(ComplaintFocus::AwaitingFollowUp),
            Item::KeyVisitsOverdue => self.clients.show_focus(ClientFocus::KeyVisitOverdue),
            Item::KeyVisitsDueThisWeek => self.clients.show_focus(ClientFocus::KeyVisitDueThisWeek),
            Item::PromisesOverdue => self.clients.show_focus(ClientFocus::PromiseOverdue),
            // The grid of this week marks every uncovered place.
            Item::UncoveredShifts => {
                self.rosters.view = super::rosters::View::Grid;
                self.rosters.handle_action(Action::Today, &mut ctx);
            }
            Item::CurfewAbsences | Item::RoomsNotInspected => self.dorm.open_night(ov::last_night(self.api.local_now())),
            Item::InsuranceDue | Item::AnnualInspectionDue | Item::VehicleChecksDue => {
                use crate::service::logistics::{LogisticsData, LogisticsQuery};
                let ids = match item {
                    Item::VehicleChecksDue => self.api.logistics(&LogisticsQuery::Month { month: today }).map(|d| match d {
                        LogisticsData::Month(rows) => rows.iter().filter(|r| r.check.is_none()).map(|r| r.vehicle.id).collect(),
                        _ => Default::default(),
                    }),
                    _ => self.api.logistics(&LogisticsQuery::Vehicles).map(|d| match d {
                        LogisticsData::Vehicles(rows) => rows
                            .iter()
                            .map(|r| &r.vehicle)
                            .filter(|v| {
                                if item == Item::InsuranceDue {
                                    ov::insurance_due(v, today)
                                } else {
                                    ov::annual_inspection_due(v, today)
                                }
                            })
                            .map(|v| v.id)
                            .collect(),
                        _ => Default::default(),
                    }),
                };
                match ids {
                    Ok(ids) => self.vehicles.show_only(label, ids),
                    Err(e) => ctx.status.error(super::messages::service_error(&e, self.lang)),
                }
            }
            Item::LicencesExpiring | Item::PermitsExpiring => match crate::service::duty::staff(self.api.as_ref()) {
                Ok(staff) => {
                    let due = |s: &crate::domain::Staff| {
                        if item == Item::LicencesExpiring {
                            ov::licence_due(s, today)
                        } else {
                            ov::permit_due(s, today)
                        }
                    };
                    self.staff.show_only(label, staff.iter().filter(|s| due(s)).map(|s| s.id).collect());
                }
                Err(e) => ctx.status.error(super::messages::service_error(&e, self.lang)),
            },
        }
    }

    /// The table a tab's CSV import and export work on.
    fn tab_table(&self) -> Option<crate::transfer::Table> {
        use crate::transfer::Table;
        match self.tab {
            TabId::Clients => Some(Table::Clients),
            TabId::Staff => Some(Table::Staff),
            TabId::Posts => Some(Table::Posts),
            TabId::Vehicles => Some(Table::Vehicles),
            _ => None,
        }
    }

    fn import_key(&mut self, key: KeyEvent) {
        use super::import::Outcome;
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        let Some(view) = self.import.as_mut() else { return };
        let context = view.context();
        match view.handle_key(key, &mut ctx) {
            Outcome::Stay => {}
            Outcome::Closed(stored) => {
                self.import = None;
                if stored {
                    self.clients.stale = true;
                    self.mark_roster_tabs_stale();
                }
            }
            Outcome::Help => self.help = Some(context),
            Outcome::Quit => self.request_quit(),
        }
    }

    fn ask(&mut self, question: String, on_yes: Pending) {
        self.dialog = Some(Confirm { question, answers: T::ConfirmYesNo.get(self.lang).into(), on_yes });
    }

    /// Fetch the rows around the active list's viewport.
    fn prepare(&mut self) {
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        match self.tab {
            TabId::Clients if self.clients.detail.is_none() => {
                self.clients.prepare(ctx.api, self.clients.height, ctx.status, ctx.lang);
            }
            TabId::Complaints if self.complaints.detail.is_none() => {
                let h = self.complaints.height;
                self.complaints.prepare(&mut ctx, h);
            }
            TabId::Audit if self.audit.detail.is_none() => {
                let h = self.audit.height;
                self.audit.prepare(&mut ctx, h);
            }
            TabId::Overview => self.overview.prepare(&mut ctx),
            TabId::Operators => self.operators.prepare(&mut ctx),
            TabId::Rosters => self.rosters.prepare(&mut ctx),
            TabId::Staff => self.staff.prepare(&mut ctx),
            TabId::Posts => self.posts.prepare(&mut ctx),
            TabId::Dorm => self.dorm.prepare(&mut ctx),
            TabId::Vehicles => self.vehicles.prepare(&mut ctx),
            _ => {}
        }
    }

    /// Quit now, or ask first when a form holds unsaved input.
    pub fn request_quit(&mut self) {
        if self.clients.form_dirty()
            || self.complaints.form_dirty()
            || self.operators.form.as_ref().is_some_and(|f| f.0.is_dirty())
            || self.rosters.form_dirty()
            || self.staff.form_dirty()
            || self.posts.form_dirty()
            || self.dorm.form_dirty()
            || self.vehicles.form_dirty()
        {
            self.ask(T::ConfirmQuit.get(self.lang).into(), Pending::Quit);
        } else {
            self.quit = true;
        }
    }

    /// Something runs in the background that the screen shows moving.
    pub fn busy(&self) -> bool {
        self.import.as_ref().is_some_and(|v| v.busy()) || self.audit.searching()
    }

    /// A background import finished: show its outcome.
    fn poll_import(&mut self) {
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        let Some(view) = self.import.as_mut() else { return };
        if let Some(super::import::Outcome::Closed(stored)) = view.poll(&mut ctx) {
            self.import = None;
            if stored {
                self.clients.stale = true;
                self.overview.stale = true;
                self.mark_roster_tabs_stale();
            }
        }
    }

    pub fn draw(&mut self, f: &mut Frame) {
        self.poll_import();
        let area = f.area();
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        if self.too_small {
            let msg = fill(T::TooSmall.get(self.lang), &[&area.width.to_string(), &area.height.to_string()]);
            // Wrapped and cut by cells here: ratatui's paragraph draws past
            // the edge when the screen is narrower than a Chinese character.
            let lines = super::text::wrap_words(&msg, area.width as usize);
            let w = lines.iter().map(|l| width(l)).max().unwrap_or(0) as u16;
            let r = super::widgets::centered(area, w, lines.len() as u16);
            for (i, line) in lines.iter().take(r.height as usize).enumerate() {
                f.buffer_mut().set_stringn(r.x, r.y + i as u16, line, r.width as usize, ratatui::style::Style::default());
            }
            if let Some(d) = self.dialog.as_ref().filter(|d| d.on_yes == Pending::Quit) {
                let q = format!("{} {}", d.question, d.answers);
                f.buffer_mut().set_string(area.x, area.y, truncate(&q, area.width as usize), self.theme.alert());
            }
            return;
        }
        let content = Rect { x: 0, y: 1, width: area.width, height: area.height - 3 };
        self.draw_tabs(f.buffer_mut(), Rect { height: 1, ..area });
        match self.screen {
            Screen::Welcome => self.draw_welcome(f.buffer_mut(), content),
            Screen::Main => {
                let today = self.api.today();
                match self.tab {
                    TabId::Overview => {
                        self.prepare();
                        self.overview.render(f.buffer_mut(), content, &self.theme, self.lang);
                    }
                    TabId::Clients => {
                        if let Some(d) = &self.clients.detail {
                            render_detail(d, f.buffer_mut(), content, &self.theme, self.lang, today);
                        } else {
                            self.clients.height = ClientsTab::table_height(content);
                            self.prepare();
                            self.clients.render_list(f.buffer_mut(), content, &self.theme, self.lang, today);
                        }
                    }
                    TabId::Operators => {
                        self.prepare();
                        self.operators.render(f.buffer_mut(), content, &self.theme, self.lang);
                    }
                    TabId::Rosters => {
                        self.prepare();
                        if self.rosters.view == super::rosters::View::Grid {
                            super::rosters::render_grid(&mut self.rosters, f.buffer_mut(), content, &self.theme, self.lang, today);
                        } else {
                            let now = self.api.local_now();
                            super::rosters::render_view(&self.rosters, f.buffer_mut(), content, &self.theme, self.lang, now);
                        }
                    }
                    TabId::Staff => {
                        self.prepare();
                        self.staff.render(f.buffer_mut(), content, &self.theme, self.lang, today);
                    }
                    TabId::Posts => {
                        self.prepare();
                        self.posts.render(f.buffer_mut(), content, &self.theme, self.lang);
                    }
                    TabId::Dorm => {
                        self.prepare();
                        self.dorm.render(f.buffer_mut(), content, &self.theme, self.lang);
                    }
                    TabId::Vehicles => {
                        self.prepare();
                        self.vehicles.render(f.buffer_mut(), content, &self.theme, self.lang, today);
                    }
                    TabId::Audit => {
                        self.audit.height = super::audit::AuditTab::table_height(content);
                        self.prepare();
                        self.audit.render(f.buffer_mut(), content, &self.theme, self.lang);
                    }
                    TabId::Complaints => {
                        let now = self.api.local_now();
                        if let Some(v) = &self.complaints.stats {
                            super::complaints::stats::render(v, f.buffer_mut(), content, &self.theme, self.lang);
                        } else if let Some(d) = &self.complaints.detail {
                            super::complaints::render::render_detail(d, f.buffer_mut(), content, &self.theme, self.lang, now);
                        } else {
                            self.complaints.height = ComplaintsTab::table_height(content);
                            self.prepare();
                            self.complaints.render_list(f.buffer_mut(), content, &self.theme, self.lang, now);
                        }
                    }
                }
            }
        }
        let ctx = self.context();
        let overlay = self.dialog.is_some() || self.help.is_some();
        if let Some(form) = self.form() {
            let footer = footer_text(Context::Form, self.lang);
            let caret = form.render_buf(f.buffer_mut(), content, &self.theme, &footer);
            // The caret shows only where typing goes: not under a dialog.
            if let Some(p) = caret.filter(|_| !overlay) {
                f.set_cursor_position(p);
            }
        } else if ctx == Context::Filter && !overlay && self.screen == Screen::Main {
            let caret = match self.tab {
                TabId::Clients => self.clients.filter_caret(content, self.lang),
                TabId::Complaints => self.complaints.filter_caret(content, self.lang),
                TabId::Overview
                | TabId::Audit
                | TabId::Operators
                | TabId::Rosters
                | TabId::Staff
                | TabId::Posts
                | TabId::Dorm
                | TabId::Vehicles => None,
            };
            if let Some(p) = caret {
                f.set_cursor_position(p);
            }
        }
        // A message too long for one line takes the footer's line too: a
        // refusal's advice is worth more than the key hints for a moment.
        let long = width(&self.status.text) > area.width as usize;
        self.draw_status(f.buffer_mut(), Rect { y: area.height - 2, height: if long { 2 } else { 1 }, ..area });
        let footer_ctx = if self.help.is_some() { Context::Dialog } else { ctx };
        if footer_ctx != Context::Form && !long {
            self.draw_footer(f.buffer_mut(), Rect { y: area.height - 1, height: 1, ..area }, ctx);
        }
        if let (TabId::Rosters, Some(p), Screen::Main) = (self.tab, self.rosters.picker(), self.screen) {
            let caret = p.render(f.buffer_mut(), content, &self.theme);
            if let Some(c) = caret.filter(|_| !overlay) {
                f.set_cursor_position(c);
            }
        }
        if let (Some(v), Screen::Main) = (&self.import, self.screen) {
            let caret = v.render(f.buffer_mut(), content, &self.theme, self.lang);
            if let Some(c) = caret.filter(|_| !overlay) {
                f.set_cursor_position(c);
            }
        }
        if let Some(d) = &self.dialog {
            d.render(f.buffer_mut(), area, &self.theme);
        }
        if let Some(c) = self.help {
            help::render(f.buffer_mut(), area, &self.theme, self.lang, c);
        }
    }

    fn draw_tabs(&self, buf: &mut Buffer, area: Rect) {
        // Narrow terminals first lose the title, then the names of the tabs
        // not shown (their digits stay).
        let tab_spans = |short: bool| -> Vec<Span> {
            let mut spans = Vec::new();
            for t in TabId::ALL.iter() {
                if !self.tab_allowed(*t) {
                    continue;
                }
                let active = *t == self.tab && self.screen == Screen::Main;
                let style = if active { self.theme.tab_active() } else { self.theme.dim() };
                let d = t.digit();
                let text = if short && !active { format!(" {d} ") } else { format!(" {d} {} ", t.title().get(self.lang)) };
                spans.push(Span::styled(text, style));
            }
            spans
        };
        let fits = |spans: &[Span]| spans.iter().map(|s| width(&s.content)).sum::<usize>() + 12 <= area.width as usize;
        let title = vec![Span::styled(format!(" {} ", T::AppTitle.get(self.lang)), self.theme.title()), Span::raw(" ")];
        let full = tab_spans(false);
        let mut spans = if fits(&[title.clone(), full.clone()].concat()) {
            [title, full].concat()
        } else if fits(&full) {
            full
        } else {
            tab_spans(true)
        };
        if spans.is_empty() {
            spans.push(Span::raw(""));
        }
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        Paragraph::new(Line::from(spans)).render(area, buf);
        // Who and where, in the room the tabs leave (the status line also says where).
        let room = (area.width as usize).saturating_sub(used + 2);
        let right = truncate(&format!("{} @ {}", self.actor, self.api.location()), room);
        let w = width(&right) as u16;
        buf.set_string(area.x + area.width - w, area.y, &right, self.theme.dim());
    }

    fn draw_welcome(&self, buf: &mut Buffer, area: Rect) {
        let t = |k: T| k.get(self.lang);
        let lines = vec![
            Line::styled(t(T::WelcomeTitle), self.theme.title()),
            Line::from(""),
            Line::from(fill(t(T::WelcomeBody), &[&self.api.location()])),
            Line::from(""),
            Line::styled(t(T::WelcomeDemo), self.theme.key()),
            Line::styled(t(T::WelcomeEmpty), self.theme.key()),
            Line::styled(t(T::WelcomeQuit), self.theme.key()),
        ];
        let w = lines.iter().map(|l| l.width() as u16).max().unwrap_or(40) + 4;
        let r = super::widgets::centered(area, w, lines.len() as u16 + 2);
        Paragraph::new(lines).block(ratatui::widgets::Block::bordered()).render(r, buf);
    }

    fn draw_status(&self, buf: &mut Buffer, area: Rect) {
        let style = match self.status.tone {
            Tone::Info => self.theme.dim(),
            Tone::Ok => self.theme.ok(),
            Tone::Error => self.theme.alert(),
        };
        if self.api.reconnecting() {
            buf.set_string(area.x, area.y, truncate(T::StatusReconnecting.get(self.lang), area.width as usize), self.theme.alert());
            return;
        }
        // With nothing to say, say where the data lives: a file or the server.
        let text = if self.status.text.is_empty() {
            format!("{} · {}", T::StatusReady.get(self.lang), self.api.location())
        } else {
            self.status.text.clone()
        };
        if area.height > 1 {
            Paragraph::new(super::text::safe(&text)).style(style).wrap(ratatui::widgets::Wrap { trim: true }).render(area, buf);
        } else {
            buf.set_string(area.x, area.y, truncate(&super::text::safe(&text), area.width as usize), style);
        }
    }

    /// Whether this operator may take `action` here (for hiding hints).
    fn allowed(&self, ctx: Context, action: Action) -> bool {
        keymap::needed_right(ctx, action).is_none_or(|r| self.rights.contains(&r))
    }

    fn draw_footer(&self, buf: &mut Buffer, area: Rect, ctx: Context) {
        // The draft offer answers to keys of its own.
        if self.dialog.as_ref().is_some_and(|d| d.on_yes == Pending::ReopenDraft) {
            buf.set_string(area.x, area.y, truncate(T::DraftAnswers.get(self.lang), area.width as usize), self.theme.key());
            return;
        }
        // Keys the role cannot use are left out of the hint line.
        let mut shown: Vec<_> = keymap::bindings(ctx).iter().filter(|b| b.footer && self.allowed(ctx, b.action)).collect();
        // On a narrow terminal the last hints give way, never help, back and quit:
        // with `?` every other key can still be found.
        let cells = |b: &keymap::Binding| width(&keymap::footer_label(b)) + width(b.desc.get(self.lang)) + 3;
        while shown.iter().map(|b| cells(b)).sum::<usize>() > area.width as usize + 2 {
            let Some(i) = shown.iter().rposition(|b| !matches!(b.action, Action::Help | Action::Quit | Action::Back)) else { break };
            shown.remove(i);
        }
        let mut spans = Vec::new();
        for b in shown {
            spans.push(Span::styled(keymap::footer_label(b), self.theme.key()));
            spans.push(Span::raw(format!(" {}  ", b.desc.get(self.lang))));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

/// The main keys of a context as one line of text.
pub fn footer_text(ctx: Context, lang: Lang) -> String {
    keymap::bindings(ctx)
        .iter()
        .filter(|b| b.footer)
        .map(|b| format!("{} {}", keymap::footer_label(b), b.desc.get(lang)))
        .collect::<Vec<_>>()
        .join("  ")
}
