//! The Posts tab: each client's posts with their shifts (times and
//! headcount), post orders (勤务方案) and the post operators who work them.

use crate::domain::limits;
use crate::domain::{parse_shifts, shifts_text, Brigade, PostDraft};
use crate::i18n::{fill, invalid_text, Label, Lang, T};
use crate::service::duty::{self, DutyCommand, DutyData, PostRow};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, Pending, TabRequest};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::record_list::RecordList;
use crate::ui::widgets::table::{self, widest_label, Cell, Column, TableView};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The brigades a post can be staffed by (not the office).
const POST_BRIGADES: [Brigade; 2] = [Brigade::Guard, Brigade::CloseProtection];

#[derive(Default)]
pub struct PostsTab {
    pub list: RecordList<PostRow>,
    /// The form and the post it edits (id, version).
    pub form: Option<(Form, Option<(u64, u64)>)>,
    /// The shifts of the post being edited (so kept shifts keep their keys).
    editing_shifts: Vec<crate::domain::ShiftSpec>,
}

fn post_form(lang: Lang, title: String, clients: Vec<(u64, String)>, p: Option<&PostDraft>) -> Form {
    let t = |k: T| k.get(lang);
    let mut f = Form::new(
        title,
        vec![
            FieldSpec::lookup("client", t(T::PostFieldClient), clients),
            FieldSpec::text("site", t(T::PostFieldSite), limits::post::SITE),
            FieldSpec::text("address", t(T::FieldAddress), limits::post::ADDRESS),
            FieldSpec::choice("brigade", t(T::StaffFieldBrigade), POST_BRIGADES.iter().map(|b| b.label(lang).to_string()).collect()),
            FieldSpec::multiline("shifts", t(T::PostFieldShifts), limits::post::SHIFTS, 4).hint(t(T::PostHintShifts)),
            FieldSpec::multiline("orders", t(T::PostFieldOrders), limits::post::ORDERS, 5),
            FieldSpec::text("operators", t(T::PostFieldOperators), limits::post::OPERATORS).hint(t(T::PostHintOperators)),
        ],
    );
    if let Some(d) = p {
        f.set_picked("client", d.client_id);
        f.set_text("site", &d.site);
        f.set_text("address", &d.address);
        f.set_choice("brigade", POST_BRIGADES.iter().position(|b| *b == d.brigade).unwrap_or(0));
        f.set_text("shifts", &shifts_text(&d.shifts));
        f.set_text("orders", &d.orders);
        f.set_text("operators", &d.operators.join(" "));
    }
    f.mark_clean();
    f
}

/// Which posts a filter keeps: by number, site, client or address.
fn keeps(r: &PostRow, needle: &str) -> bool {
    needle.is_empty()
        || [&r.post.number, &r.post.draft.site, &r.client_name, &r.post.draft.address].iter().any(|t| t.to_lowercase().contains(needle))
}

impl PostsTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.list.filtering {
            Context::Filter
        } else {
            Context::PostList
        }
    }

    pub fn prepare(&mut self, ctx: &mut Ctx) {
        if self.list.needs_reload() {
            self.list.loaded(duty::posts(ctx.api), ctx.lang, |r| r.post.id, keeps);
        }
    }

    pub fn selected(&self) -> Option<&PostRow> {
        self.list.selected()
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        if self.list.move_by(action) {
            return TabRequest::None;
        }
        match action {
            Action::Back => {
                self.list.filter.clear();
                self.list.refilter(keeps);
            }
            Action::New if self.list.refused.is_none() => match ctx.api.client_choices() {
                Ok(clients) => {
                    self.editing_shifts = vec![];
                    self.form = Some((post_form(lang, T::PostFormNew.get(lang).into(), clients, None), None));
                }
                Err(e) => ctx.status.error(service_error(&e, lang)),
            },
            Action::Edit | Action::Open => {
                if let Some(r) = self.selected().cloned() {
                    match ctx.api.client_choices() {
                        Ok(clients) => {
                            let title = fill(T::PostFormEdit.get(lang), &[&r.post.display()]);
                            self.editing_shifts = r.post.draft.shifts.clone();
                            self.form =
                                Some((post_form(lang, title, clients, Some(&r.post.draft)), Some((r.post.id, r.post.meta.version))));
                        }
                        Err(e) => ctx.status.error(service_error(&e, lang)),
                    }
                }
            }
            Action::Delete => {
                if let Some(r) = self.selected() {
                    match duty::future_assignments(ctx.api, r.post.id) {
                        Ok(n) => {
                            let q = fill(T::PostConfirmDelete.get(lang), &[&r.post.display(), &n.to_string()]);
                            return TabRequest::Confirm(q, Pending::DeletePost);
                        }
                        Err(e) => ctx.status.error(service_error(&e, lang)),
                    }
                }
            }
            Action::Help => return TabRequest::Help(Context::PostList),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// A yes to "delete this post?".
    pub fn delete_selected(&mut self, ctx: &mut Ctx) {
        let Some(r) = self.selected().cloned() else { return };
        match ctx.api.duty_do(ctx.actor, DutyCommand::DeletePost { id: r.post.id, version: r.post.meta.version }) {
            Ok(DutyData::Deleted { assignments }) => {
                ctx.status.ok(fill(T::PostDeleted.get(ctx.lang), &[&r.post.display(), &assignments.to_string()]))
            }
            Ok(_) => {}
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
        self.list.stale = true;
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        self.list.filter_key(key, action, keeps)
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
                let lang = ctx.lang;
                let shifts = match parse_shifts(&form.text("shifts"), &self.editing_shifts) {
                    Ok(s) => s,
                    Err(why) => {
                        form.set_errors(vec![("shifts".into(), invalid_text(&why, lang))]);
                        return TabRequest::None;
                    }
                };
                let client_id = form.picked("client").unwrap_or(0);
                if client_id == 0 {
                    form.set_errors(vec![("client".into(), invalid_text(&crate::domain::Invalid::NotPicked, lang))]);
                    return TabRequest::None;
                }
                let draft = PostDraft {
                    client_id,
                    site: form.text("site"),
                    address: form.text("address"),
                    brigade: POST_BRIGADES[form.choice("brigade").min(POST_BRIGADES.len() - 1)],
                    shifts,
                    orders: form.text("orders"),
                    operators: form
                        .text("operators")
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
                        .filter(|a| !a.is_empty())
                        .map(String::from)
                        .collect(),
                };
                let (id, version) = editing.map_or((None, 0), |(i, v)| (Some(i), v));
                match ctx.api.duty_do(ctx.actor, DutyCommand::SavePost { id, version, draft }) {
                    Ok(DutyData::OnePost(p)) => {
                        ctx.status.ok(fill(T::StatusSaved.get(lang), &[&p.display()]));
                        self.list.select = Some(p.id);
                        self.form = None;
                        self.list.stale = true;
                    }
                    Ok(_) => {}
                    Err(crate::service::ServiceError::Invalid(errors)) => form.set_errors(field_messages(&errors, lang)),
                    Err(crate::service::ServiceError::Duty(r @ crate::domain::DutyRefused::ShiftInUse { .. })) => {
                        form.set_errors(vec![("shifts".into(), crate::ui::messages::duty_refusal(&r, lang))])
                    }
                    Err(e) => ctx.status.error(service_error(&e, lang)),
                }
                TabRequest::None
            }
            FormOutcome::Picked(..) => TabRequest::None,
            _ => TabRequest::None,
        }
    }

    /// The open form, as a draft's target.
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let (form, editing) = self.form.as_ref()?;
        let target = match *editing {
            Some((id, version)) => Target::EditPost { id, version },
            None => Target::NewPost,
        };
        Some((target, form))
    }

    /// Open a draft's form again from the record as it is now, keeping the
    /// version the draft started from (a change since shows as a conflict).
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        self.form = None;
        self.list.show_all();
        let action = match *target {
            Target::NewPost => Action::New,
            Target::EditPost { id, .. } => {
                self.list.select = Some(id);
                Action::Edit
            }
            _ => return false,
        };
        self.prepare(ctx);
        let selected = self.list.selected().map(id_of);
        crate::ui::drafts::reopen_form(target, selected, ctx, move |ctx| {
            self.handle_action(action, ctx);
            self.form.as_mut()
        })
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.0.is_dirty())
    }

    pub fn render(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        if let Some(why) = &self.list.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        let per_day: usize = self.list.all.iter().flat_map(|r| r.post.draft.shifts.iter()).map(|s| s.headcount as usize).sum();
        let mut head = fill(T::PostHeader.get(lang), &[&self.list.all.len().to_string(), &per_day.to_string()]);
        if let Some(note) = self.list.filter_note() {
            head.push_str(&note);
        }
        buf.set_string(area.x, area.y, crate::ui::text::truncate(&head, area.width as usize), theme.title());
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![
            c(T::StaffColNumber, 6, 9),
            c(T::PostFieldSite, 14, 9),
            c(T::PostFieldClient, 0, 8),
            Column { width: widest_label::<Brigade>(lang), ..c(T::StaffFieldBrigade, 0, 4) },
            c(T::PostFieldShifts, 34, 7),
            c(T::PostColOperators, 10, 2),
        ];
        // The orders of the selected post take the lower part of the screen.
        let orders_h = (area.height / 3).min(8);
        let list_h = area.height.saturating_sub(1 + orders_h);
        let h = list_h.saturating_sub(1) as usize;
        let rows: Vec<Vec<Cell>> = self
            .list
            .visible(h)
            .map(|r| {
                let d = &r.post.draft;
                let shifts: Vec<String> = d.shifts.iter().map(|s| format!("{} {}×{}", s.name, s.times(), s.headcount)).collect();
                vec![
                    Cell::new(&r.post.number),
                    Cell::new(&d.site),
                    Cell::new(&r.client_name),
                    Cell::new(d.brigade.label(lang)),
                    Cell::new(shifts.join("  ")),
                    Cell::new(d.operators.join(" ")),
                ]
            })
            .collect();
        if self.list.shown.is_empty() {
            let msg = if self.list.all.is_empty() { T::PostEmpty } else { T::StaffNoMatch };
            buf.set_string(area.x, area.y + 2, crate::ui::text::truncate(msg.get(lang), area.width as usize), theme.dim());
        }
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: self.list.nav.top, selected: Some(self.list.nav.selected) };
        table::render(buf, Rect { y: area.y + 1, height: list_h, ..area }, theme, &view);
        if let Some(r) = self.selected() {
            let y = area.y + 1 + list_h;
            let mut lines = vec![ratatui::text::Line::styled(
                format!("── {} · {} ──", T::PostFieldOrders.get(lang), crate::ui::text::safe(&r.post.draft.address)),
                theme.header(),
            )];
            let w = area.width as usize;
            for l in r.post.draft.orders.lines() {
                lines.extend(crate::ui::text::wrap_cells(&crate::ui::text::safe(l), w).into_iter().map(ratatui::text::Line::from));
            }
            Paragraph::new(lines).render(Rect { y, height: orders_h, ..area }, buf);
        }
    }
}

fn id_of(r: &PostRow) -> u64 {
    r.post.id
}
