//! The Clients tab: the client list, a client's file with its visits, and
//! the forms to create, edit, review and visit.

mod forms;
pub mod render;

pub use forms::{client_form, read_client, read_visit, visit_form};

use crate::domain::{ClientDraft, VisitDraft};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::{Api, ClientFile, ClientPage, ClientQuery, ClientSort, ServiceError};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::service_error;
use crate::ui::pane::{edit_filter, form_outcome, FilterEdit, FormOutcome};
pub use crate::ui::pane::{Ctx, Pending, TabRequest};
use crate::ui::status::Status;
use crate::ui::widgets::form::Form;
use crate::ui::widgets::table::Nav;
use crossterm::event::KeyEvent;

/// What a form is for, with the version the edit started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    NewClient,
    EditClient { id: u64, version: u64 },
    NewVisit { client_id: u64 },
    Review { id: u64, version: u64 },
}

impl FormTarget {
    /// The client this form edits, if it edits one.
    pub fn record_id(&self) -> Option<u64> {
        match *self {
            FormTarget::EditClient { id, .. } | FormTarget::Review { id, .. } => Some(id),
            FormTarget::NewClient | FormTarget::NewVisit { .. } => None,
        }
    }
}

pub struct OpenForm {
    pub target: FormTarget,
    pub form: Form,
    /// After a conflict: the other operator's version, as a form, and its version.
    pub theirs: Option<(Form, u64)>,
}

/// A promise in the detail pane: (visit index, promise index).
type PromiseRef = (usize, usize);

pub struct Detail {
    pub file: ClientFile,
    pub promises: Vec<PromiseRef>,
    pub nav: Nav,
    pub scroll: u16,
    /// The furthest useful scroll, found when last drawn.
    pub max_scroll: std::cell::Cell<u16>,
    /// Up/Down keep the selected promise in view; PgUp/PgDn scroll freely.
    pub follow: bool,
    /// The client's complaints, newest first.
    pub complaints: Vec<crate::domain::Complaint>,
}

impl Detail {
    fn new(file: ClientFile) -> Detail {
        let promises: Vec<PromiseRef> =
            file.visits.iter().enumerate().flat_map(|(vi, v)| (0..v.draft.promises.len()).map(move |pi| (vi, pi))).collect();
        let mut nav = Nav::default();
        nav.set_len(promises.len());
        Detail { file, promises, nav, scroll: 0, max_scroll: Default::default(), follow: true, complaints: vec![] }
    }
}

pub struct ClientsTab {
    pub query: ClientQuery,
    pub filtering: bool,
    pub page: ClientPage,
    pub nav: Nav,
    /// Rows the table showed last frame.
    pub height: usize,
    pub stale: bool,
    pub detail: Option<Detail>,
    pub form: Option<OpenForm>,
}

impl Default for ClientsTab {
    fn default() -> Self {
        ClientsTab {
            query: ClientQuery::default(),
            filtering: false,
            page: ClientPage::default(),
            nav: Nav::default(),
            height: 20,
            stale: true,
            detail: None,
            form: None,
        }
    }
}

impl ClientsTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.filtering {
            Context::Filter
        } else if self.detail.is_some() {
            Context::Detail
        } else {
            Context::List
        }
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.form.is_dirty())
    }

    /// Make sure the rows around the viewport are fetched.
    pub fn prepare(&mut self, api: &dyn Api, height: usize, status: &mut Status, lang: Lang) {
        self.height = height.max(1);
        let Some((offset, limit)) = self.nav.fetch_window(self.height, (self.page.offset, self.page.rows.len()), self.stale) else {
            return;
        };
        let q = ClientQuery { offset, limit, ..self.query.clone() };
        let result = if api.is_loaded()
            || !self.stale
            || !self.query.filter.is_empty()
            || self.query.focus.is_some()
            || self.query.sort != ClientSort::Number
            || self.query.descending
        {
            api.list_clients(&q)
        } else {
            api.first_clients(q.limit.max(200))
        };
        match result {
            Ok(page) => {
                self.page = page;
                self.stale = false;
                self.nav.fetched(self.page.total, self.height);
            }
            Err(e) => status.error(service_error(&e, lang)),
        }
    }

    pub fn selected_client(&self) -> Option<&crate::domain::Client> {
        self.nav.selected.checked_sub(self.page.offset).and_then(|i| self.page.rows.get(i))
    }

    fn open_detail(&mut self, ctx: &mut Ctx, id: u64) {
        match ctx.api.client_file(id) {
            Ok(file) => {
                let mut d = Detail::new(file);
                d.complaints = ctx.api.complaints_of_client(id).unwrap_or_default();
                self.detail = Some(d);
            }
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    pub fn reload_detail(&mut self, ctx: &mut Ctx) {
        if let Some(d) = &self.detail {
            let (id, sel) = (d.file.client.id, d.nav.selected);
            if let Ok(file) = ctx.api.client_file(id) {
                let mut nd = Detail::new(file);
                nd.nav.selected = sel.min(nd.nav.len.saturating_sub(1));
                nd.scroll = d.scroll;
                nd.complaints = ctx.api.complaints_of_client(id).unwrap_or_default();
                self.detail = Some(nd);
            }
        }
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        if self.detail.is_some() {
            return self.detail_action(action, ctx);
        }
        let page = self.height.max(1);
        match action {
            Action::Up => self.nav.up(1),
            Action::Down => self.nav.down(1),
            Action::PageUp => self.nav.up(page),
            Action::PageDown => self.nav.down(page),
            Action::Home => self.nav.home(),
            Action::End => self.nav.end(),
            Action::Filter => self.filtering = true,
            Action::Back if !self.query.filter.is_empty() || self.query.focus.is_some() => {
                self.query.focus = None;
                self.set_filter(String::new());
            }
            Action::Sort | Action::Reverse => {
                if action == Action::Sort {
                    let i = ClientSort::ALL.iter().position(|s| *s == self.query.sort).unwrap_or(0);
                    self.query.sort = ClientSort::ALL[(i + 1) % ClientSort::ALL.len()];
                    self.query.descending = false;
                } else {
                    self.query.descending = !self.query.descending;
                }
                self.stale = true;
                self.nav.home();
                let col = render::sort_title(self.query.sort, lang);
                let dir = if self.query.descending { T::SortDown } else { T::SortUp };
                ctx.status.info(fill(T::StatusSort.get(lang), &[&col, dir.get(lang)]));
            }
            Action::New => {
                self.form = Some(OpenForm {
                    theirs: None,
                    target: FormTarget::NewClient,
                    form: client_form(lang, T::FormNewClient.get(lang).into(), &ClientDraft::default()),
                });
            }
            Action::Open | Action::Edit | Action::AddVisit => match self.selected_client().map(|c| c.id) {
                Some(id) => {
                    self.open_detail(ctx, id);
                    if action != Action::Open {
                        return self.detail_action(action, ctx);
                    }
                }
                None if self.nav.len == 0 => ctx.status.info(T::StatusListEmpty.get(lang)),
                None => ctx.status.info(T::StatusNoSelection.get(lang)),
            },
            Action::Help => return TabRequest::Help(Context::List),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    fn detail_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        let Some(d) = self.detail.as_mut() else { return TabRequest::None };
        match action {
            Action::Up | Action::Down => {
                if action == Action::Up {
                    d.nav.up(1)
                } else {
                    d.nav.down(1)
                }
                d.follow = true;
            }
            Action::PageUp | Action::Home => {
                d.scroll = if action == Action::Home { 0 } else { d.scroll.saturating_sub(10) };
                d.follow = false;
            }
            Action::PageDown => {
                d.scroll = d.scroll.saturating_add(10).min(d.max_scroll.get());
                d.follow = false;
            }
            Action::Back => self.detail = None,
            Action::Edit => {
                let c = &d.file.client;
                let title = fill(T::FormEditClient.get(lang), &[&c.number]);
                self.form = Some(OpenForm {
                    theirs: None,
                    target: FormTarget::EditClient { id: c.id, version: c.meta.version },
                    form: client_form(lang, title, &c.draft),
                });
            }
            Action::AddVisit => {
                let c = &d.file.client;
                let draft = VisitDraft::new(ctx.api.today(), ctx.actor);
                let mut form = visit_form(lang, &c.draft.name, &draft);
                form.set_text("met", &c.draft.contact);
                form.mark_clean();
                self.form = Some(OpenForm { theirs: None, target: FormTarget::NewVisit { client_id: c.id }, form });
            }
            Action::NewComplaint => return TabRequest::RegisterComplaint(d.file.client.id),
            Action::Review => {
                let c = &d.file.client;
                let form = forms::review_form(lang, &format!("{} {}", c.number, c.draft.name), c.draft.rating);
                self.form = Some(OpenForm { theirs: None, target: FormTarget::Review { id: c.id, version: c.meta.version }, form });
            }
            Action::TogglePromise => {
                let Some(&(vi, pi)) = d.promises.get(d.nav.selected) else {
                    ctx.status.info(T::StatusNoPromise.get(lang));
                    return TabRequest::None;
                };
                if !d.follow {
                    // The view was scrolled away: show the selection before acting on it.
                    d.follow = true;
                    ctx.status.info(T::StatusPromiseShown.get(lang));
                    return TabRequest::None;
                }
                if let Some(done) = d.file.visits[vi].draft.promises[pi].done {
                    let q = fill(T::ConfirmReopen.get(lang), &[&crate::i18n::dates::show(done)]);
                    return TabRequest::Confirm(q, Pending::ReopenPromise);
                }
                self.toggle_promise(ctx, false);
            }
            Action::Help => return TabRequest::Help(Context::Detail),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// Mark the selected promise done, or (`reopen`, after asking) open again.
    pub fn toggle_promise(&mut self, ctx: &mut Ctx, reopen: bool) {
        let lang = ctx.lang;
        let Some(d) = self.detail.as_ref() else { return };
        let Some(&(vi, pi)) = d.promises.get(d.nav.selected) else { return };
        let v = &d.file.visits[vi];
        let done = !reopen;
        match ctx.api.set_promise_done(ctx.actor, v.id, v.meta.version, pi, done) {
            Ok(_) => {
                ctx.status.ok(if done { T::StatusPromiseDone } else { T::StatusPromiseOpen }.get(lang));
                self.reload_detail(ctx);
            }
            Err(e) => ctx.status.error(service_error(&e, lang)),
        }
    }

    /// Show one of the Overview's piles (Esc clears it with the filter).
    pub fn show_focus(&mut self, focus: crate::service::ClientFocus) {
        self.query.focus = Some(focus);
        self.query.filter.clear();
        self.filtering = false;
        self.detail = None;
        self.stale = true;
        self.nav.home();
    }

    fn set_filter(&mut self, text: String) {
        self.query.filter = text;
        self.stale = true;
        self.nav.home();
    }

    /// Keys while typing a filter: every keystroke narrows the list.
    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        let mut text = self.query.filter.clone();
        match edit_filter(&mut text, key, action) {
            FilterEdit::Keep => self.filtering = false,
            FilterEdit::Clear => {
                self.filtering = false;
                self.set_filter(text);
            }
            FilterEdit::Changed => self.set_filter(text),
            FilterEdit::Quit => return TabRequest::Quit,
            FilterEdit::Nothing => {}
        }
        TabRequest::None
    }

    pub fn filter_paste(&mut self, text: &str) {
        let mut f = self.query.filter.clone();
        crate::ui::pane::append_text(&mut f, text, crate::domain::limits::FILTER.chars());
        self.set_filter(f);
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some(open) = self.form.as_mut() else { return TabRequest::None };
        match form_outcome(&mut open.form, key) {
            FormOutcome::Request(r) => r,
            FormOutcome::Picked(..) => TabRequest::None,
            FormOutcome::Close => {
                self.form = None;
                TabRequest::None
            }
            FormOutcome::Save => {
                self.save(ctx);
                TabRequest::None
            }
            FormOutcome::TakeTheirs => Self::settle_conflict(open, ctx, false),
            FormOutcome::KeepMine => Self::settle_conflict(open, ctx, true),
        }
    }

    /// After a conflict: continue from their version, with or without my edits
    /// laid over it; the next save is checked against their version.
    fn settle_conflict(open: &mut OpenForm, ctx: &mut Ctx, keep_mine: bool) -> TabRequest {
        if let Some((theirs, version)) = open.theirs.take() {
            open.form = if keep_mine { open.form.rebased_onto(theirs) } else { theirs };
            if let FormTarget::EditClient { version: v, .. } = &mut open.target {
                *v = version;
            }
            ctx.status.info(if keep_mine { T::StatusKeptMine } else { T::StatusTookTheirs }.get(ctx.lang));
        }
        TabRequest::None
    }

    /// The open form, as a draft's target.
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let open = self.form.as_ref()?;
        let target = match open.target {
            FormTarget::NewClient => Target::NewClient,
            FormTarget::EditClient { id, version } => Target::EditClient { id, version },
            FormTarget::NewVisit { client_id } => Target::NewVisit { client_id },
            FormTarget::Review { id, version } => Target::Review { id, version },
        };
        Some((target, &open.form))
    }

    /// Open a draft's form again the way a person would (the client's file,
    /// then the form, from the record as it is now), keeping the version
    /// the draft started from so a change made since shows as a conflict.
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        let (action, id) = match *target {
            Target::NewClient => {
                self.detail = None;
                self.handle_action(Action::New, ctx);
                return self.form.is_some();
            }
            Target::EditClient { id, .. } => (Action::Edit, id),
            Target::NewVisit { client_id } => (Action::AddVisit, client_id),
            Target::Review { id, .. } => (Action::Review, id),
            _ => return false,
        };
        self.form = None;
        self.open_detail(ctx, id);
        if self.detail.is_none() {
            return false;
        }
        self.detail_action(action, ctx);
        let Some(open) = self.form.as_mut() else { return false };
        if let (Some((_, then)), FormTarget::EditClient { version, .. } | FormTarget::Review { version, .. }) =
            (target.edited(), &mut open.target)
        {
            crate::ui::drafts::edit_from(&mut open.form, version, then, ctx.lang);
        }
        true
    }

    pub fn discard_form(&mut self) {
        self.form = None;
    }

    /// Save the open form. The form closes only once the service has
    /// stored (and synced) the change; otherwise it stays with every field.
    fn save(&mut self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let Some(open) = self.form.as_mut() else { return };
        let today = ctx.api.today();
        let result: Result<(String, Option<u64>), ServiceError> = match open.target {
            FormTarget::NewClient => forms::read_client(&open.form)
                .map_err(ServiceError::Invalid)
                .and_then(|d| ctx.api.create_client(ctx.actor, d))
                .map(|c| (fill(T::StatusSaved.get(lang), &[&format!("{} {}", c.number, c.draft.name)]), Some(c.id))),
            FormTarget::EditClient { id, version } => forms::read_client(&open.form)
                .map_err(ServiceError::Invalid)
                .and_then(|d| ctx.api.update_client(ctx.actor, id, version, d))
                .map(|c| (fill(T::StatusSaved.get(lang), &[&format!("{} {}", c.number, c.draft.name)]), None)),
            FormTarget::NewVisit { client_id } => forms::read_visit(&open.form, today)
                .map_err(ServiceError::Invalid)
                .and_then(|d| ctx.api.add_visit(ctx.actor, client_id, d))
                .map(|_| (T::StatusVisitSaved.get(lang).to_string(), None)),
            FormTarget::Review { id, version } => {
                let before = self.detail.as_ref().map(|d| d.file.client.draft.rating);
                forms::read_review(&open.form)
                    .map_err(ServiceError::Invalid)
                    .and_then(|(r, reason)| ctx.api.review_rating(ctx.actor, id, version, r, &reason))
                    .map(|c| {
                        let from = before.map(|b| b.label(lang)).unwrap_or("");
                        (fill(T::StatusReviewSaved.get(lang), &[from, c.draft.rating.label(lang)]), None)
                    })
            }
        };
        match result {
            Ok((message, created)) => {
                self.form = None;
                self.stale = true;
                ctx.status.ok(message);
                if let Some(id) = created {
                    self.open_detail(ctx, id);
                } else {
                    self.reload_detail(ctx);
                }
            }
            Err(ServiceError::Invalid(errors)) => {
                let n = errors.len();
                open.form.set_errors(crate::ui::messages::field_messages(&errors, lang));
                ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&n.max(open.form.error_count()).to_string()]));
            }
            Err(e @ ServiceError::NotDurable(_)) => {
                // It is stored: close the form so it is not entered twice.
                self.form = None;
                self.stale = true;
                ctx.status.error(service_error(&e, lang));
            }
            Err(e) => {
                if let ServiceError::Conflict { by, at, .. } = &e {
                    open.form.notice = Some(service_error(&e, lang));
                    // An edit of a client: offer theirs, or mine on top of theirs.
                    if let FormTarget::EditClient { id, .. } = open.target {
                        if let Ok(file) = ctx.api.client_file(id) {
                            let theirs = client_form(lang, open.form.title.clone(), &file.client.draft);
                            let changed = theirs.labels_differing_from_baseline_of(&open.form).join("、");
                            let at = at.with_timezone(&chrono::Local).format("%H:%M").to_string();
                            open.form.notice = Some(fill(T::ConflictChoice.get(lang), &[by, &at, &changed]));
                            open.theirs = Some((theirs, file.client.meta.version));
                        }
                    }
                }
                ctx.status.error(service_error(&e, lang));
            }
        }
    }
}
