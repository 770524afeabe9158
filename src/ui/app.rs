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
    Clients,
    Complaints,
    Audit,
    Operators,
}

impl TabId {
    pub const ALL: [TabId; 4] = [TabId::Clients, TabId::Complaints, TabId::Audit, TabId::Operators];
    fn title(self) -> T {
        match self {
            TabId::Clients => T::TabClients,
            TabId::Complaints => T::TabComplaints,
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
    pub clients: ClientsTab,
    pub complaints: ComplaintsTab,
    pub audit: super::audit::AuditTab,
    pub operators: super::operators::OperatorsTab,
    pub dialog: Option<Confirm<Pending>>,
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
}

impl App {
    pub fn new(api: Arc<dyn Api>, lang: Lang, theme: Theme, actor: &str) -> App {
        let empty = api.client_count().map(|n| n == 0).unwrap_or(false);
        let loading = !api.is_loaded() && !empty;
        let mut app = App {
            api,
            lang,
            theme,
            actor: actor.to_string(),
            screen: if empty { Screen::Welcome } else { Screen::Main },
            tab: TabId::Clients,
            clients: ClientsTab::default(),
            complaints: ComplaintsTab::default(),
            audit: super::audit::AuditTab::default(),
            operators: super::operators::OperatorsTab::default(),
            dialog: None,
            help: None,
            status: Status::default(),
            quit: false,
            loading,
            too_small: false,
            export_dir: std::path::PathBuf::from("."),
            rights: Vec::new(),
        };
        if loading {
            app.status.info(fill(T::StatusLoading.get(lang), &["200"]));
        }
        app.refresh_rights();
        app
    }

    /// Other sessions changed these records: refresh what is on screen,
    /// keeping cursor, filter and scroll; warn a form editing one of them.
    pub fn others_changed(&mut self, changes: &[(String, u64)]) {
        self.clients.stale = true;
        self.complaints.stale = true;
        self.audit.stale = true;
        self.operators.stale = true;
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

    /// Ask the service what this operator may do (after start or a change).
    pub fn refresh_rights(&mut self) {
        self.rights = crate::domain::Right::ALL.into_iter().filter(|r| self.api.can(*r)).collect();
    }

    /// The background load of every client finished.
    pub fn loaded(&mut self, result: crate::service::Result<usize>) {
        self.loading = false;
        self.clients.stale = true;
        match result {
            Ok(n) => self.status.info(fill(T::StatusLoaded.get(self.lang), &[&n.to_string()])),
            Err(e) => self.status.error(super::messages::service_error(&e, self.lang)),
        }
    }

    pub fn context(&self) -> Context {
        if self.dialog.is_some() {
            Context::Dialog
        } else if self.screen == Screen::Welcome {
            Context::Welcome
        } else {
            match self.tab {
                TabId::Clients => self.clients.context(),
                TabId::Complaints => self.complaints.context(),
                TabId::Audit => self.audit.context(),
                TabId::Operators => self.operators.context(),
            }
        }
    }

    fn form_mut(&mut self) -> Option<&mut super::widgets::form::Form> {
        match self.tab {
            TabId::Clients => self.clients.form.as_mut().map(|o| &mut o.form),
            TabId::Complaints => self.complaints.form.as_mut().map(|o| &mut o.form),
            TabId::Audit => self.audit.form.as_mut(),
            TabId::Operators => self.operators.form.as_mut().map(|f| &mut f.0),
        }
    }

    fn form(&self) -> Option<&super::widgets::form::Form> {
        match self.tab {
            TabId::Clients => self.clients.form.as_ref().map(|o| &o.form),
            TabId::Complaints => self.complaints.form.as_ref().map(|o| &o.form),
            TabId::Audit => self.audit.form.as_ref(),
            TabId::Operators => self.operators.form.as_ref().map(|f| &f.0),
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
    fn tab_allowed(&self, t: TabId) -> bool {
        use crate::domain::Right;
        match t {
            TabId::Clients => true,
            TabId::Complaints => self.rights.contains(&Right::ReadComplaints),
            TabId::Audit => self.rights.contains(&Right::ReadAudit),
            TabId::Operators => self.rights.contains(&Right::ManageOperators),
        }
    }

    fn switch_tab(&mut self, action: Action) {
        let shown: Vec<TabId> = TabId::ALL.iter().copied().filter(|t| self.tab_allowed(*t)).collect();
        let i = shown.iter().position(|t| *t == self.tab).unwrap_or(0);
        let n = shown.len().max(1);
        self.tab = match action {
            Action::NextTab => shown.get((i + 1) % n).copied().unwrap_or(self.tab),
            Action::PrevTab => shown.get((i + n - 1) % n).copied().unwrap_or(self.tab),
            // The digits name tabs by their place in the full list.
            Action::GoTab(k) => TabId::ALL.get(k as usize - 1).copied().filter(|t| self.tab_allowed(*t)).unwrap_or(self.tab),
            _ => self.tab,
        };
        // Show the tab's rows as they are now.
        self.clients.stale = true;
        self.complaints.stale = true;
        self.audit.stale = true;
        self.operators.stale = true;
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
        if let Some(form) = self.form_mut() {
            form.paste(text);
        } else if self.tab == TabId::Clients && self.clients.filtering {
            self.clients.filter_paste(text);
        } else if self.tab == TabId::Complaints && self.complaints.filtering {
            self.complaints.filter_paste(text);
        } else if self.tab == TabId::Audit && self.audit.filtering {
            self.audit.query.text.extend(text.chars().filter(|c| !crate::domain::text::is_control(*c)).take(100));
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
                            TabId::Clients => self.clients.discard_form(),
                            TabId::Complaints => {
                                if self.complaints.discard_form() == TabRequest::BackToClients {
                                    self.back_to_clients();
                                }
                            }
                            TabId::Audit => self.audit.form = None,
                            TabId::Operators => self.operators.form = None,
                        },
                        Pending::Quit => self.quit = true,
                        Pending::ReopenPromise => self.clients.toggle_promise(&mut ctx, true),
                        Pending::CloseComplaint => self.complaints.confirmed(&mut ctx, pending),
                        Pending::ToggleOperator => self.operators.toggle_selected(&mut ctx),
                    }
                }
                Some(Action::No) => self.dialog = None,
                _ => {}
            }
            return;
        }
        let ctx_kind = self.context();
        if self.screen == Screen::Main {
            // Keys act on the rows as they are now, even before a first frame.
            self.prepare();
        }
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        let request = match ctx_kind {
            Context::Welcome => {
                match keymap::lookup(Context::Welcome, &key) {
                    Some(Action::LoadDemo) => match crate::service::Api::load_demo(ctx.api, ctx.actor) {
                        Ok(n) => {
                            let _ = ctx.api.preload();
                            let counts = [n.clients.to_string(), n.visits.to_string(), n.complaints.to_string()];
                            ctx.status.ok(fill(T::StatusDemoLoaded.get(self.lang), &[&counts[0], &counts[1], &counts[2]]));
                            self.screen = Screen::Main;
                            self.clients.stale = true;
                        }
                        Err(e) => ctx.status.error(super::messages::service_error(&e, self.lang)),
                    },
                    Some(Action::StartEmpty) => {
                        let _ = ctx.api.preload();
                        self.screen = Screen::Main;
                        self.clients.stale = true;
                    }
                    Some(Action::Quit) => self.quit = true,
                    _ => {}
                }
                TabRequest::None
            }
            Context::Form => match self.tab {
                TabId::Clients => self.clients.form_key(key, &mut ctx),
                TabId::Complaints => self.complaints.form_key(key, &mut ctx),
                TabId::Audit => self.audit.form_key(key, &mut ctx),
                TabId::Operators => self.operators.form_key(key, &mut ctx),
            },
            Context::Filter => match self.tab {
                TabId::Clients => self.clients.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Complaints => self.complaints.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Audit => self.audit.filter_key(key, keymap::lookup(Context::Filter, &key)),
                TabId::Operators => TabRequest::None,
            },
            ctx_kind => match keymap::lookup(ctx_kind, &key) {
                Some(a @ (Action::NextTab | Action::PrevTab | Action::GoTab(_))) => {
                    self.switch_tab(a);
                    TabRequest::None
                }
                Some(a) => match self.tab {
                    TabId::Clients => self.clients.handle_action(a, &mut ctx),
                    TabId::Complaints => self.complaints.handle_action(a, &mut ctx),
                    TabId::Audit => self.audit.handle_action(a, &mut ctx),
                    TabId::Operators => self.operators.handle_action(a, &mut ctx),
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
            TabId::Operators => self.operators.prepare(&mut ctx),
            _ => {}
        }
    }

    /// Quit now, or ask first when a form holds unsaved input.
    pub fn request_quit(&mut self) {
        if self.clients.form_dirty() || self.complaints.form_dirty() || self.operators.form.as_ref().is_some_and(|f| f.0.is_dirty()) {
            self.ask(T::ConfirmQuit.get(self.lang).into(), Pending::Quit);
        } else {
            self.quit = true;
        }
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        if self.too_small {
            let msg = fill(T::TooSmall.get(self.lang), &[&area.width.to_string(), &area.height.to_string()]);
            let w = (width(&msg) as u16).min(area.width.max(1));
            let lines = (width(&msg) as u16).div_ceil(w.max(1));
            let r = super::widgets::centered(area, w, lines);
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }).render(r, f.buffer_mut());
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
                TabId::Audit | TabId::Operators => None,
            };
            if let Some(p) = caret {
                f.set_cursor_position(p);
            }
        }
        self.draw_status(f.buffer_mut(), Rect { y: area.height - 2, height: 1, ..area });
        let footer_ctx = if self.help.is_some() { Context::Dialog } else { ctx };
        if footer_ctx != Context::Form {
            self.draw_footer(f.buffer_mut(), Rect { y: area.height - 1, height: 1, ..area }, ctx);
        }
        if let Some(d) = &self.dialog {
            d.render(f.buffer_mut(), area, &self.theme);
        }
        if let Some(c) = self.help {
            help::render(f.buffer_mut(), area, &self.theme, self.lang, c);
        }
    }

    fn draw_tabs(&self, buf: &mut Buffer, area: Rect) {
        let mut spans = vec![Span::styled(format!(" {} ", T::AppTitle.get(self.lang)), self.theme.title()), Span::raw(" ")];
        for (i, t) in TabId::ALL.iter().enumerate() {
            if !self.tab_allowed(*t) {
                continue;
            }
            let style = if *t == self.tab && self.screen == Screen::Main { self.theme.tab_active() } else { self.theme.dim() };
            spans.push(Span::styled(format!(" {} {} ", i + 1, t.title().get(self.lang)), style));
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
        buf.set_string(area.x, area.y, truncate(&super::text::safe(&text), area.width as usize), style);
    }

    /// Whether this operator may take `action` here (for hiding hints).
    fn allowed(&self, ctx: Context, action: Action) -> bool {
        keymap::needed_right(ctx, action).is_none_or(|r| self.rights.contains(&r))
    }

    fn draw_footer(&self, buf: &mut Buffer, area: Rect, ctx: Context) {
        let mut spans = Vec::new();
        // Keys the role cannot use are left out of the hint line.
        for b in keymap::bindings(ctx).iter().filter(|b| b.footer && self.allowed(ctx, b.action)) {
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
