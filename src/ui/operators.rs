//! The Operators tab (admins): who may use guardroom, and in which role.

use crate::domain::limits;
use crate::domain::{Choice, Operator, Role};
use crate::i18n::{fill, Label, Lang, T};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, Pending, TabRequest};
use crate::ui::text::safe;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::table::{self, Cell, Column, Nav, TableView};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

#[derive(Default)]
pub struct OperatorsTab {
    pub rows: Vec<Operator>,
    pub nav: Nav,
    pub stale: bool,
    /// The form and, when editing, the account it edits.
    pub form: Option<(Form, Option<String>)>,
    pub refused: Option<String>,
}

fn role_form(lang: Lang, title: String, account: Option<&str>, role: Role) -> Form {
    let mut specs = Vec::new();
    if account.is_none() {
        specs.push(FieldSpec::text("account", T::OpFieldAccount.get(lang), limits::ACCOUNT).hint(T::OpHintAccount.get(lang)));
    }
    specs.push(FieldSpec::choice("role", T::OpFieldRole.get(lang), Role::ALL.iter().map(|r| r.label(lang).to_string()).collect()));
    let mut f = Form::new(title, specs);
    f.set_choice("role", role.index());
    f.mark_clean();
    f
}

impl OperatorsTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::OperatorList
        }
    }

    pub fn prepare(&mut self, ctx: &mut Ctx) {
        if !self.stale && (!self.rows.is_empty() || self.refused.is_some()) {
            return;
        }
        self.stale = false;
        match ctx.api.operators() {
            Ok(rows) => {
                self.rows = rows;
                self.refused = None;
                self.nav.set_len(self.rows.len());
            }
            Err(e) => self.refused = Some(service_error(&e, ctx.lang)),
        }
    }

    fn selected(&self) -> Option<&Operator> {
        self.rows.get(self.nav.selected)
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        match action {
            Action::Up => self.nav.up(1),
            Action::Down => self.nav.down(1),
            Action::New if self.refused.is_none() => {
                self.form = Some((role_form(lang, T::OpFormNew.get(lang).into(), None, Role::CustomerService), None));
            }
            Action::Edit | Action::Open => {
                if let Some(o) = self.selected() {
                    let title = fill(T::OpFormRole.get(lang), &[&o.account]);
                    self.form = Some((role_form(lang, title, Some(&o.account), o.role), Some(o.account.clone())));
                }
            }
            Action::TogglePromise => {
                if let Some(o) = self.selected() {
                    let q = if o.active { T::OpConfirmDisable } else { T::OpConfirmEnable };
                    return TabRequest::Confirm(fill(q.get(lang), &[&o.account]), Pending::ToggleOperator);
                }
            }
            Action::Help => return TabRequest::Help(Context::OperatorList),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// A yes to "disable/enable this account?".
    pub fn toggle_selected(&mut self, ctx: &mut Ctx) {
        let Some(o) = self.selected().cloned() else { return };
        match ctx.api.set_operator(ctx.actor, &o.account, o.role, !o.active) {
            Ok(o) => ctx.status.ok(fill(T::OpSaved.get(ctx.lang), &[&o.account, o.role.label(ctx.lang)])),
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
        self.stale = true;
    }

    /// The open form, as a draft's target.
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let (form, editing) = self.form.as_ref()?;
        let target = match editing {
            Some(account) => Target::OperatorRole { account: account.clone() },
            None => Target::NewOperator,
        };
        Some((target, form))
    }

    /// Open a draft's form again (a role change on the operator as now).
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        self.form = None;
        self.stale = true;
        self.prepare(ctx);
        match target {
            Target::NewOperator => self.handle_action(Action::New, ctx),
            Target::OperatorRole { account } => match self.rows.iter().position(|o| &o.account == account) {
                Some(i) => {
                    self.nav.selected = i;
                    self.handle_action(Action::Edit, ctx)
                }
                None => {
                    ctx.status.error(T::DraftRecordGone.get(ctx.lang));
                    return false;
                }
            },
            _ => return false,
        };
        self.form.is_some()
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some((form, editing)) = self.form.as_mut() else { return TabRequest::None };
        match form_outcome(form, key) {
            FormOutcome::Request(r) => r,
            FormOutcome::Close => {
                self.form = None;
                TabRequest::None
            }
            FormOutcome::Save => {
                let role = Role::ALL[form.choice("role").min(Role::ALL.len() - 1)];
                let account = editing.clone().unwrap_or_else(|| form.text("account").trim().to_string());
                let active = self.rows.iter().find(|o| o.account == account).is_none_or(|o| o.active);
                match ctx.api.set_operator(ctx.actor, &account, role, active) {
                    Ok(o) => {
                        ctx.status.ok(fill(T::OpSaved.get(ctx.lang), &[&o.account, o.role.label(ctx.lang)]));
                        self.form = None;
                        self.stale = true;
                    }
                    Err(crate::service::ServiceError::Invalid(errors)) => form.set_errors(field_messages(&errors, ctx.lang)),
                    Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
                }
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        if let Some(why) = &self.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 12, priority };
        let cols = vec![
            c(T::OpFieldAccount, 0, 9),
            c(T::OpFieldRole, 18, 8),
            c(T::OpColActive, 8, 7),
            c(T::OpColSince, crate::i18n::dates::width() + 2, 3),
        ];
        let rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|o| {
                let active = if o.active {
                    Cell::styled(T::OpActive.get(lang), theme.ok())
                } else {
                    Cell::styled(T::OpDisabled.get(lang), theme.dim())
                };
                vec![
                    Cell::new(safe(&o.account)),
                    Cell::new(o.role.label(lang)),
                    active,
                    Cell::new(crate::i18n::dates::show(o.meta.created_at.date_naive())),
                ]
            })
            .collect();
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: 0, selected: Some(self.nav.selected) };
        table::render(buf, area, theme, &view);
    }
}
