//! The Complaints tab: the register, one complaint's handling and history,
//! and the forms of each workflow step.

pub mod forms;
pub mod render;
pub mod stats;

use crate::domain::{Category, Choice, ComplaintDraft, ComplaintStatus, Fen, StepRefused};
use crate::i18n::{fill, Label, T};
use crate::service::{ComplaintFile, ComplaintFocus, ComplaintPage, ComplaintQuery, ComplaintSort, ServiceError, Step};
use crate::ui::drafts::Target as DraftTarget;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::service_error;
use crate::ui::pane::write_export;
use crate::ui::pane::{edit_filter, form_outcome, Ctx, FilterEdit, FormOutcome, Pending, TabRequest};
use crate::ui::widgets::form::Form;
use crate::ui::widgets::table::Nav;
use crossterm::event::KeyEvent;
use forms::StepForm;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Register,
    Filters,
    Edit { id: u64, version: u64 },
    Step { id: u64, version: u64, which: StepForm },
}

impl Target {
    /// The complaint this form changes, if any.
    pub fn record_id(&self) -> Option<u64> {
        match *self {
            Target::Edit { id, .. } | Target::Step { id, .. } => Some(id),
            Target::Register | Target::Filters => None,
        }
    }
}

pub struct OpenForm {
    pub target: Target,
    pub form: Form,
    /// After a conflicting correction: their version as a form, and its version.
    pub theirs: Option<(Form, u64)>,
}

pub struct Detail {
    pub file: ComplaintFile,
    pub scroll: u16,
    /// The furthest useful scroll, found when last drawn.
    pub max_scroll: std::cell::Cell<u16>,
}

pub struct ComplaintsTab {
    pub query: ComplaintQuery,
    pub filtering: bool,
    pub page: ComplaintPage,
    pub nav: Nav,
    pub height: usize,
    pub stale: bool,
    pub detail: Option<Detail>,
    pub form: Option<OpenForm>,
    pub stats: Option<stats::StatsView>,
    /// The register form was opened from this client's file: go back there after it.
    pub from_client: bool,
}

impl Default for ComplaintsTab {
    fn default() -> Self {
        ComplaintsTab {
            query: ComplaintQuery::default(),
            filtering: false,
            page: ComplaintPage::default(),
            nav: Nav::default(),
            height: 20,
            stale: true,
            detail: None,
            form: None,
            stats: None,
            from_client: false,
        }
    }
}

/// Cycle an optional choice: none → each value → none.
fn cycle<C: Choice>(v: Option<C>) -> Option<C> {
    match v {
        None => C::ALL.first().copied(),
        Some(c) => C::ALL.get(c.index() + 1).copied(),
    }
}

impl ComplaintsTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.filtering {
            Context::Filter
        } else if self.stats.is_some() {
            Context::ComplaintStats
        } else if self.detail.is_some() {
            Context::ComplaintDetail
        } else {
            Context::ComplaintList
        }
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.form.is_dirty())
    }

    pub fn prepare(&mut self, ctx: &mut Ctx, height: usize) {
        self.height = height.max(1);
        let Some((offset, limit)) = self.nav.fetch_window(self.height, (self.page.offset, self.page.rows.len()), self.stale) else {
            return;
        };
        let q = ComplaintQuery { offset, limit, ..self.query.clone() };
        match ctx.api.list_complaints(&q) {
            Ok(page) => {
                self.page = page;
                self.stale = false;
                self.nav.fetched(self.page.total, self.height);
            }
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    pub fn selected(&self) -> Option<&crate::domain::Complaint> {
        self.nav.selected.checked_sub(self.page.offset).and_then(|i| self.page.rows.get(i))
    }

    fn open_detail(&mut self, ctx: &mut Ctx, id: u64) {
        match ctx.api.complaint_file(id) {
            Ok(file) => self.detail = Some(Detail { file, scroll: 0, max_scroll: Default::default() }),
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    pub fn reload_detail(&mut self, ctx: &mut Ctx) {
        if let Some(d) = &self.detail {
            let (id, scroll) = (d.file.complaint.id, d.scroll);
            if let Ok(file) = ctx.api.complaint_file(id) {
                self.detail = Some(Detail { file, scroll, max_scroll: Default::default() });
            }
        }
    }

    fn refilter(&mut self) {
        self.stale = true;
        self.nav.home();
    }

    /// Show one of the Overview's piles, keeping the sort (Esc clears it).
    pub fn show_focus(&mut self, focus: crate::service::ComplaintFocus) {
        let (sort, descending) = (self.query.sort, self.query.descending);
        self.query = ComplaintQuery { sort, descending, focus: Some(focus), ..Default::default() };
        self.filtering = false;
        self.detail = None;
        self.stats = None;
        self.refilter();
    }

    fn show_stats(&mut self, ctx: &mut Ctx, period: stats::Period) {
        let (from, to) = period.range(ctx.api.today());
        match ctx.api.complaint_stats(from, to) {
            Ok(s) => self.stats = Some(stats::StatsView { period, stats: s }),
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        if let Some(view) = &self.stats {
            let period = view.period;
            match action {
                Action::NextPeriod | Action::PrevPeriod => self.show_stats(ctx, period.step(action == Action::NextPeriod)),
                Action::Back => self.stats = None,
                Action::Help => return TabRequest::Help(Context::ComplaintStats),
                Action::Quit => return TabRequest::Quit,
                _ => {}
            }
            return TabRequest::None;
        }
        if self.detail.is_some() {
            return self.detail_action(action, ctx);
        }
        let lang = ctx.lang;
        let page = self.height.max(1);
        match action {
            Action::Up => self.nav.up(1),
            Action::Down => self.nav.down(1),
            Action::PageUp => self.nav.up(page),
            Action::PageDown => self.nav.down(page),
            Action::Home => self.nav.home(),
            Action::End => self.nav.end(),
            Action::Filter => self.filtering = true,
            Action::StatusFilter => {
                self.query.status = cycle(self.query.status);
                self.refilter();
            }
            Action::CategoryFilter => {
                self.query.category = cycle(self.query.category);
                self.refilter();
            }
            Action::OverdueOnly => {
                self.query.focus = match self.query.focus {
                    Some(ComplaintFocus::Overdue) => None,
                    _ => Some(ComplaintFocus::Overdue),
                };
                self.refilter();
            }
            Action::Back => {
                let sort = (self.query.sort, self.query.descending);
                self.query = ComplaintQuery { sort: sort.0, descending: sort.1, ..Default::default() };
                self.refilter();
            }
            Action::Sort | Action::Reverse => {
                if action == Action::Sort {
                    let i = ComplaintSort::ALL.iter().position(|s| *s == self.query.sort).unwrap_or(0);
                    self.query.sort = ComplaintSort::ALL[(i + 1) % ComplaintSort::ALL.len()];
                    self.query.descending = false;
                } else {
                    self.query.descending = !self.query.descending;
                }
                self.refilter();
                let dir = if self.query.descending { T::SortDown } else { T::SortUp };
                ctx.status.info(fill(T::StatusSort.get(lang), &[&render::sort_title(self.query.sort, lang), dir.get(lang)]));
            }
            Action::New => self.open_register(ctx, None),
            Action::Stats => {
                // The list's own dates, when it has some; else the last year.
                let period = match (self.query.from, self.query.to) {
                    (None, None) => stats::Period::Last12Months,
                    (from, to) => stats::Period::Chosen(from, to),
                };
                self.show_stats(ctx, period);
            }
            Action::ExportList => self.export_list(ctx),
            Action::MoreFilters => {
                let clients = ctx.api.client_choices().unwrap_or_default();
                let form = forms::filter_form(lang, &self.query, clients);
                self.form = Some(OpenForm { theirs: None, target: Target::Filters, form });
            }
            Action::Open => match self.selected().map(|c| c.id) {
                Some(id) => self.open_detail(ctx, id),
                None => ctx.status.info(T::CStatusNoSelection.get(lang)),
            },
            Action::Help => return TabRequest::Help(Context::ComplaintList),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// Open the register form, for `client` when given.
    pub fn open_register(&mut self, ctx: &mut Ctx, client: Option<&crate::domain::Client>) {
        let lang = ctx.lang;
        let clients = ctx.api.client_choices().unwrap_or_default();
        let mut d = ComplaintDraft {
            client_id: 0,
            client_name: String::new(),
            address: String::new(),
            phone: String::new(),
            received_at: ctx.api.local_now(),
            received_by: ctx.actor.to_string(),
            channel: crate::domain::Channel::Phone,
            cause: String::new(),
            demand: String::new(),
            category: Category::General,
            amount: crate::domain::Fen(0),
            kind: String::new(),
            remarks: String::new(),
        };
        if let Some(c) = client {
            d.client_id = c.id;
            d.client_name = c.draft.name.clone();
            d.address = c.draft.address.clone();
            d.phone = c.draft.phone.clone();
        }
        let mut form = forms::register_form(lang, T::CFormRegister.get(lang).into(), &d, clients);
        self.from_client = client.is_some();
        if client.is_some() {
            form.focus_on("cause");
        }
        self.form = Some(OpenForm { theirs: None, target: Target::Register, form });
    }

    fn detail_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        let Some(d) = self.detail.as_mut() else { return TabRequest::None };
        let c = &d.file.complaint;
        let label = format!("{} {}", c.number, c.draft.client_name);
        let (id, version) = (c.id, c.meta.version);
        let step = |which| Target::Step { id, version, which };
        let contact = String::new();
        // A step out of order is refused before its form opens.
        let target = match action {
            Action::Inform => Some(ComplaintStatus::Informed),
            Action::Investigate => Some(ComplaintStatus::Investigating),
            Action::Resolve => Some(ComplaintStatus::Resolved),
            Action::FollowUp => Some(ComplaintStatus::FollowedUp),
            Action::CloseCase => Some(ComplaintStatus::Closed),
            _ => None,
        };
        if c.status == ComplaintStatus::Closed && matches!(action, Action::Escalate | Action::Edit | Action::Approve) {
            ctx.status.error(crate::ui::messages::refusal(&StepRefused::Closed, lang));
            return TabRequest::None;
        }
        if let Some(to) = target {
            let mut refused = c.can_move_to(to).err();
            if to == ComplaintStatus::Resolved && refused.is_none() && !c.approval_covers(c.draft.amount) {
                refused = Some(crate::domain::StepRefused::NeedsApproval);
            }
            if let Some(r) = refused {
                ctx.status.error(crate::ui::messages::refusal(&r, lang));
                return TabRequest::None;
            }
        }
        match action {
            Action::Up => d.scroll = d.scroll.saturating_sub(1),
            Action::Down => d.scroll = d.scroll.saturating_add(1).min(d.max_scroll.get()),
            Action::PageUp => d.scroll = d.scroll.saturating_sub(10),
            Action::PageDown => d.scroll = d.scroll.saturating_add(10).min(d.max_scroll.get()),
            Action::Back => self.detail = None,
            Action::Edit => {
                let clients = ctx.api.client_choices().unwrap_or_default();
                let form = forms::register_form(lang, fill(T::CFormEdit.get(lang), &[&c.number]), &c.draft, clients);
                self.form = Some(OpenForm { theirs: None, target: Target::Edit { id, version }, form });
            }
            Action::Inform => {
                self.form = Some(OpenForm {
                    theirs: None,
                    target: step(StepForm::Inform),
                    form: forms::step_form(lang, StepForm::Inform, &label, &contact),
                })
            }
            Action::Investigate => {
                self.form = Some(OpenForm {
                    theirs: None,
                    target: step(StepForm::Investigate),
                    form: forms::step_form(lang, StepForm::Investigate, &label, &contact),
                })
            }
            Action::Resolve => {
                let mut form = forms::step_form(lang, StepForm::Resolve, &label, &contact);
                if c.draft.category == Category::FeeDeduction {
                    form.set_text("amount", &c.draft.amount.to_string());
                    form.mark_clean();
                }
                self.form = Some(OpenForm { theirs: None, target: step(StepForm::Resolve), form })
            }
            Action::FollowUp => {
                let met = ctx.api.client_file(c.draft.client_id).map(|f| f.client.draft.contact).unwrap_or_default();
                self.form = Some(OpenForm {
                    theirs: None,
                    target: step(StepForm::FollowUp),
                    form: forms::step_form(lang, StepForm::FollowUp, &label, &met),
                })
            }
            Action::Escalate => {
                self.form = Some(OpenForm {
                    theirs: None,
                    target: step(StepForm::Escalate),
                    form: forms::step_form(lang, StepForm::Escalate, &label, &contact),
                })
            }
            Action::Approve => {
                if !ctx.api.may_approve(ctx.actor) {
                    // Say why at once rather than after a form: the
                    // service's refusal names who may approve.
                    self.apply_step(ctx, id, version, Step::Approve { amount: Fen(0) });
                    return TabRequest::None;
                }
                if !c.status.is_open() {
                    ctx.status.error(crate::ui::messages::refusal(&StepRefused::AlreadyDone(ComplaintStatus::Resolved), lang));
                    return TabRequest::None;
                }
                let mut form = forms::step_form(lang, StepForm::Approve, &label, &contact);
                let asked = c.approval.as_ref().map(|a| a.amount).unwrap_or(c.draft.amount);
                if asked.0 > 0 {
                    form.set_text("amount", &asked.to_string());
                }
                form.mark_clean();
                self.form = Some(OpenForm { theirs: None, target: step(StepForm::Approve), form });
            }
            Action::CloseCase => return TabRequest::Confirm(fill(T::CConfirmClose.get(lang), &[&label]), Pending::CloseComplaint),
            Action::Export => {
                let text = crate::export::complaint_form(c, d.file.visit.as_ref(), lang);
                let lang_code = if lang == crate::i18n::Lang::Zh { "zh" } else { "en" };
                let name = format!("{}-{lang_code}.txt", c.number);
                write_export(ctx, &name, text.as_bytes());
            }
            Action::Help => return TabRequest::Help(Context::ComplaintDetail),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// A yes to "close?" on the open complaint.
    pub fn confirmed(&mut self, ctx: &mut Ctx, pending: Pending) {
        let Some(d) = self.detail.as_ref() else { return };
        let (id, version) = (d.file.complaint.id, d.file.complaint.meta.version);
        if pending == Pending::CloseComplaint {
            self.apply_step(ctx, id, version, Step::Close);
        }
    }

    fn apply_step(&mut self, ctx: &mut Ctx, id: u64, version: u64, step: Step) -> bool {
        let lang = ctx.lang;
        // Said as the state it reached: "TS-…: Informed".
        let what = match &step {
            Step::Inform { .. } => ComplaintStatus::Informed.label(lang),
            Step::Investigate { .. } => ComplaintStatus::Investigating.label(lang),
            Step::Approve { .. } => T::StApproved.get(lang),
            Step::Resolve { .. } => ComplaintStatus::Resolved.label(lang),
            Step::FollowUp { .. } => ComplaintStatus::FollowedUp.label(lang),
            Step::Close => ComplaintStatus::Closed.label(lang),
            Step::Escalate { .. } => T::CDetailEscalated.get(lang),
        };
        match ctx.api.complaint_step(ctx.actor, id, version, step) {
            Ok(c) => {
                ctx.status.ok(fill(T::CStatusStep.get(lang), &[&c.number, what]));
                self.stale = true;
                self.reload_detail(ctx);
                true
            }
            Err(ServiceError::Invalid(errors)) => {
                if let Some(open) = self.form.as_mut() {
                    open.form.set_errors(crate::ui::messages::field_messages(&errors, lang));
                }
                ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                false
            }
            Err(e @ ServiceError::NotDurable(_)) => {
                // It is stored: the form closes so it is not entered twice.
                ctx.status.error(service_error(&e, lang));
                self.stale = true;
                self.reload_detail(ctx);
                true
            }
            Err(e) => {
                if let (Some(open), ServiceError::Conflict { .. }) = (self.form.as_mut(), &e) {
                    open.form.notice = Some(service_error(&e, lang));
                }
                ctx.status.error(service_error(&e, lang));
                false
            }
        }
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        match edit_filter(&mut self.query.text, key, action) {
            FilterEdit::Keep => self.filtering = false,
            FilterEdit::Clear => {
                self.filtering = false;
                self.refilter();
            }
            FilterEdit::Changed => self.refilter(),
            FilterEdit::Quit => return TabRequest::Quit,
            FilterEdit::Nothing => {}
        }
        TabRequest::None
    }

    pub fn filter_paste(&mut self, text: &str) {
        crate::ui::pane::append_text(&mut self.query.text, text, crate::domain::limits::FILTER.chars());
        self.refilter();
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some(open) = self.form.as_mut() else { return TabRequest::None };
        match form_outcome(&mut open.form, key) {
            FormOutcome::Request(r) => r,
            FormOutcome::Picked(_, client_id) => {
                // Copy the client's name, address and phone into the form.
                if let Ok(file) = ctx.api.client_file(client_id) {
                    let d = &file.client.draft;
                    open.form.set_text("client_name", &d.name);
                    open.form.set_text("address", &d.address);
                    open.form.set_text("phone", &d.phone);
                }
                TabRequest::None
            }
            FormOutcome::TakeTheirs => Self::settle_conflict(open, ctx, false),
            FormOutcome::KeepMine => Self::settle_conflict(open, ctx, true),
            FormOutcome::Close => {
                self.form = None;
                self.back_to_client()
            }
            FormOutcome::Save => {
                self.save(ctx);
                if self.form.is_none() {
                    self.back_to_client()
                } else {
                    TabRequest::None
                }
            }
        }
    }

    /// After a conflicting correction: continue from their version, with or
    /// without my edits laid over it.
    fn settle_conflict(open: &mut OpenForm, ctx: &mut Ctx, keep_mine: bool) -> TabRequest {
        if let Some((theirs, version)) = open.theirs.take() {
            open.form = if keep_mine { open.form.rebased_onto(theirs) } else { theirs };
            if let Target::Edit { version: v, .. } = &mut open.target {
                *v = version;
            }
            ctx.status.info(if keep_mine { T::StatusKeptMine } else { T::StatusTookTheirs }.get(ctx.lang));
        }
        TabRequest::None
    }

    /// The open form, as a draft's target (the filter form is not one).
    pub fn draft(&self) -> Option<(DraftTarget, &Form)> {
        let open = self.form.as_ref()?;
        let target = match open.target {
            Target::Register => DraftTarget::RegisterComplaint,
            Target::Filters => return None,
            Target::Edit { id, version } => DraftTarget::EditComplaint { id, version },
            Target::Step { id, version, which } => DraftTarget::ComplaintStep { id, version, step: format!("{which:?}") },
        };
        Some((target, &open.form))
    }

    /// Open a draft's form again through the complaint's file, from the
    /// complaint as it is now (a step no longer allowed is refused as it
    /// would be by hand), keeping the version the draft started from.
    pub fn reopen(&mut self, target: &DraftTarget, ctx: &mut Ctx) -> bool {
        use StepForm as S;
        self.form = None;
        self.stats = None;
        let (id, action) = match target {
            DraftTarget::RegisterComplaint => {
                self.detail = None;
                self.open_register(ctx, None);
                return self.form.is_some();
            }
            DraftTarget::EditComplaint { id, .. } => (*id, Action::Edit),
            DraftTarget::ComplaintStep { id, step, .. } => {
                let which = [S::Approve, S::Inform, S::Investigate, S::Resolve, S::FollowUp, S::Escalate]
                    .into_iter()
                    .find(|w| format!("{w:?}") == *step);
                let action = match which {
                    Some(S::Approve) => Action::Approve,
                    Some(S::Inform) => Action::Inform,
                    Some(S::Investigate) => Action::Investigate,
                    Some(S::Resolve) => Action::Resolve,
                    Some(S::FollowUp) => Action::FollowUp,
                    Some(S::Escalate) => Action::Escalate,
                    None => return false,
                };
                (*id, action)
            }
            _ => return false,
        };
        self.open_detail(ctx, id);
        if self.detail.is_none() {
            return false;
        }
        self.detail_action(action, ctx);
        let Some(open) = self.form.as_mut() else { return false };
        if let (Some((_, then)), Target::Edit { version, .. } | Target::Step { version, .. }) = (target.edited(), &mut open.target) {
            crate::ui::drafts::edit_from(&mut open.form, version, then, ctx.lang);
        }
        true
    }

    pub fn discard_form(&mut self) -> TabRequest {
        self.form = None;
        self.back_to_client()
    }

    /// After a register form opened from a client's file, return to it.
    fn back_to_client(&mut self) -> TabRequest {
        if std::mem::take(&mut self.from_client) {
            TabRequest::BackToClients
        } else {
            TabRequest::None
        }
    }

    fn save(&mut self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let Some(open) = self.form.as_mut() else { return };
        let now = ctx.api.local_now();
        match open.target {
            Target::Filters => match forms::read_filters(&open.form) {
                Ok((from, to, client)) => {
                    self.query.from = from;
                    self.query.to = to;
                    self.query.client_id = client;
                    self.form = None;
                    self.refilter();
                }
                Err(errors) => {
                    open.form.set_errors(crate::ui::messages::field_messages(&errors, lang));
                    ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                }
            },
            Target::Register | Target::Edit { .. } => {
                let result = forms::read_register(&open.form, now).map_err(ServiceError::Invalid).and_then(|d| match open.target {
                    Target::Edit { id, version } => ctx.api.edit_complaint(ctx.actor, id, version, d),
                    _ => ctx.api.register_complaint(ctx.actor, d),
                });
                match result {
                    Ok(c) => {
                        let msg = if open.target == Target::Register { T::CStatusSaved } else { T::CStatusEdited };
                        ctx.status.ok(fill(msg.get(lang), &[&format!("{} {}", c.number, c.draft.client_name)]));
                        self.form = None;
                        self.stale = true;
                        self.open_detail(ctx, c.id);
                    }
                    Err(ServiceError::Invalid(errors)) => {
                        open.form.set_errors(crate::ui::messages::field_messages(&errors, lang));
                        ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                    }
                    Err(e @ ServiceError::NotDurable(_)) => {
                        self.form = None;
                        self.stale = true;
                        ctx.status.error(service_error(&e, lang));
                    }
                    Err(e) => {
                        if let ServiceError::Conflict { by, at, .. } = &e {
                            open.form.notice = Some(service_error(&e, lang));
                            // A correction: offer theirs, or mine on top of theirs.
                            if let Target::Edit { id, .. } = open.target {
                                if let Ok(file) = ctx.api.complaint_file(id) {
                                    let clients = ctx.api.client_choices().unwrap_or_default();
                                    let theirs = forms::register_form(lang, open.form.title.clone(), &file.complaint.draft, clients);
                                    let changed = theirs.labels_differing_from_baseline_of(&open.form).join("、");
                                    let at = at.with_timezone(&chrono::Local).format("%H:%M").to_string();
                                    open.form.notice = Some(fill(T::ConflictChoice.get(lang), &[by, &at, &changed]));
                                    open.theirs = Some((theirs, file.complaint.meta.version));
                                }
                            }
                        }
                        ctx.status.error(service_error(&e, lang));
                    }
                }
            }
            Target::Step { id, version, which } => match forms::read_step(&open.form, which) {
                Ok(step) => {
                    if self.apply_step(ctx, id, version, step) {
                        self.form = None;
                    }
                }
                Err(errors) => {
                    open.form.set_errors(crate::ui::messages::field_messages(&errors, lang));
                    ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                }
            },
        }
    }

    /// Every complaint the list's filters match, as CSV.
    fn export_list(&mut self, ctx: &mut Ctx) {
        let q = ComplaintQuery { offset: 0, limit: usize::MAX, ..self.query.clone() };
        let rows = match ctx.api.list_complaints(&q) {
            Ok(p) => p.rows,
            Err(e) => return ctx.status.error(service_error(&e, ctx.lang)),
        };
        match crate::export::complaints_csv(&rows, ctx.lang, ctx.api.local_now()) {
            Ok(bytes) => {
                let name = format!("complaints-{}.csv", ctx.api.local_now().format("%Y%m%d-%H%M%S"));
                write_export(ctx, &name, &bytes);
            }
            Err(e) => ctx.status.error(fill(T::StatusExportFailed.get(ctx.lang), &[&e.to_string()])),
        }
    }

    /// A short description of the active list filters.
    pub fn filter_summary(&self, lang: crate::i18n::Lang) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.query.status {
            parts.push(fill(T::CFilterStatus.get(lang), &[s.label(lang)]));
        }
        if let Some(c) = self.query.category {
            parts.push(fill(T::CFilterCategory.get(lang), &[c.label(lang)]));
        }
        if let Some(f) = self.query.focus {
            parts.push(super::overview::focus_label(f, lang).to_string());
        }
        if self.query.from.is_some() || self.query.to.is_some() {
            let d = |x: Option<chrono::NaiveDate>| x.map(crate::i18n::dates::show).unwrap_or_else(|| "…".into());
            parts.push(fill(T::CFilterDates.get(lang), &[&d(self.query.from), &d(self.query.to)]));
        }
        if let Some(id) = self.query.client_id {
            let name = self
                .page
                .rows
                .iter()
                .find(|c| c.draft.client_id == id)
                .map(|c| c.draft.client_name.clone())
                .unwrap_or_else(|| id.to_string());
            parts.push(fill(T::CFilterClient.get(lang), &[&name]));
        }
        parts.join(" · ")
    }
}
