//! The Staff tab: every person with brigade, role, licence and permit; those
//! whose licence or permit expires within 30 days (or has) are flagged and
//! can be listed alone.

use crate::domain::limits;
use crate::domain::{Brigade, Choice, Credential, CredentialState, RestDays, Staff, StaffDraft, StaffRole, StaffStatus};
use crate::i18n::{fill, invalid_text, weekday, Label, Lang, T};
use crate::service::duty::{self, DutyCommand, DutyData};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, TabRequest};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::record_list::RecordList;
use crate::ui::widgets::table::{self, widest_label, Cell, Column, TableView};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

#[derive(Default)]
pub struct StaffTab {
    pub list: RecordList<Staff>,
    /// Only those whose licence or permit needs attention.
    pub due_only: bool,
    /// The form and the person it edits (id, version).
    pub form: Option<(Form, Option<(u64, u64)>)>,
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn staff_form(lang: Lang, title: String, s: Option<&StaffDraft>) -> Form {
    let t = |k: T| k.get(lang);
    let labels = |v: &[&dyn Label]| v.iter().map(|x| x.label(lang).to_string()).collect::<Vec<_>>();
    let brigades: Vec<&dyn Label> = Brigade::ALL.iter().map(|x| x as &dyn Label).collect();
    let roles: Vec<&dyn Label> = StaffRole::ALL.iter().map(|x| x as &dyn Label).collect();
    let statuses: Vec<&dyn Label> = StaffStatus::ALL.iter().map(|x| x as &dyn Label).collect();
    let date_hint = t(T::StaffHintDate);
    let mut f = Form::new(
        title,
        vec![
            FieldSpec::text("name", t(T::StaffColName), limits::staff::NAME),
            FieldSpec::choice("brigade", t(T::StaffFieldBrigade), labels(&brigades)),
            FieldSpec::choice("role", t(T::StaffFieldRole), labels(&roles)),
            FieldSpec::text("phone", t(T::FieldPhone), limits::PHONE),
            FieldSpec::text("hire_date", t(T::StaffFieldHired), limits::DATE).hint(date_hint),
            FieldSpec::text("licence.number", t(T::StaffFieldLicence), limits::staff::LICENCE_NUMBER),
            FieldSpec::text("licence.expires", t(T::StaffFieldLicenceExpires), limits::DATE).hint(date_hint),
            FieldSpec::text("permit.number", t(T::StaffFieldPermit), limits::staff::PERMIT_NUMBER).hint(t(T::StaffHintPermit)),
            FieldSpec::text("permit.expires", t(T::StaffFieldPermitExpires), limits::DATE).hint(date_hint),
            FieldSpec::text("dorm_room", t(T::StaffFieldDorm), limits::staff::DORM_ROOM),
            FieldSpec::choice("status", t(T::AuditColStatus), labels(&statuses)),
            FieldSpec::text("rest_days", t(T::StaffFieldRest), limits::staff::REST_DAYS).hint(t(T::StaffHintRest)),
            FieldSpec::multiline("notes", t(T::FieldNotes), limits::staff::NOTES, 3),
        ],
    );
    if let Some(d) = s {
        f.set_text("name", &d.name);
        f.set_choice("brigade", d.brigade.index());
        f.set_choice("role", d.role.index());
        f.set_text("phone", &d.phone);
        f.set_text("hire_date", &date_text(d.hire_date));
        f.set_text("licence.number", &d.licence.number);
        f.set_text("licence.expires", &date_text(d.licence.expires));
        f.set_text("permit.number", &d.permit.number);
        f.set_text("permit.expires", &date_text(d.permit.expires));
        f.set_text("dorm_room", &d.dorm_room);
        f.set_choice("status", d.status.index());
        let days: Vec<String> = d.rest_days.days().iter().map(|w| (w.num_days_from_monday() + 1).to_string()).collect();
        f.set_text("rest_days", &days.join(","));
        f.set_text("notes", &d.notes);
    }
    f.mark_clean();
    f
}

/// Read the form into a draft; fields that do not parse come back as errors.
fn read_form(f: &Form, lang: Lang, today: NaiveDate) -> Result<StaffDraft, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let mut date = |id: &str| -> Option<NaiveDate> {
        let t = f.text(id);
        if t.trim().is_empty() {
            return None;
        }
        let d = crate::domain::validate::parse_date(&t);
        if d.is_none() {
            errors.push((id.to_string(), invalid_text(&crate::domain::Invalid::Date, lang)));
        }
        d
    };
    let hire_date = date("hire_date");
    let licence_expires = date("licence.expires");
    let permit_expires = date("permit.expires");
    let rest_days = match RestDays::parse(&f.text("rest_days")) {
        Ok(r) => r,
        Err(word) => {
            errors.push(("rest_days".into(), invalid_text(&crate::domain::Invalid::RestDays(word), lang)));
            RestDays::default()
        }
    };
    let pick = |id: &str, n: usize| f.choice(id).min(n - 1);
    let draft = StaffDraft {
        name: f.text("name"),
        brigade: Brigade::ALL[pick("brigade", Brigade::ALL.len())],
        role: StaffRole::ALL[pick("role", StaffRole::ALL.len())],
        phone: f.text("phone"),
        hire_date,
        licence: Credential { number: f.text("licence.number"), expires: licence_expires },
        permit: Credential { number: f.text("permit.number"), expires: permit_expires },
        dorm_room: f.text("dorm_room"),
        status: StaffStatus::ALL[pick("status", StaffStatus::ALL.len())],
        rest_days,
        notes: f.text("notes"),
    };
    if errors.is_empty() {
        Ok(draft)
    } else {
        // Every problem at once: what did not parse, and what the rules
        // say about the rest (fields already marked keep their first reason).
        let parsed: Vec<String> = errors.iter().map(|e| e.0.clone()).collect();
        let cleaned = draft.cleaned();
        errors.extend(field_messages(&cleaned.validate(today), lang).into_iter().filter(|e| !parsed.contains(&e.0)));
        Err(errors)
    }
}

/// "12 天后到期" / "已过期" / the date, for a licence or permit cell.
fn credential_cell(c: &Credential, today: NaiveDate, theme: &Theme, lang: Lang) -> Cell {
    match c.state(today) {
        CredentialState::Missing => Cell::new(""),
        CredentialState::Valid => Cell::new(c.expires.map(crate::i18n::dates::show).unwrap_or_default()),
        CredentialState::DueSoon(n) => Cell::styled(fill(T::StaffDueIn.get(lang), &[&n.to_string()]), theme.focus()),
        CredentialState::Expired => Cell::styled(T::StaffExpired.get(lang), theme.alert()),
    }
}

/// Which people a filter keeps: by number, name, phone, dorm room or
/// licence, and (with `!`) only those whose papers need attention.
fn keeps(due_only: bool, today: NaiveDate) -> impl Fn(&Staff, &str) -> bool {
    move |s, needle| {
        let d = &s.draft;
        (!due_only || s.credentials_due(today))
            && (needle.is_empty()
                || [&s.number, &d.name, &d.phone, &d.dorm_room, &d.licence.number].iter().any(|t| t.to_lowercase().contains(needle)))
    }
}

impl StaffTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.list.filtering {
            Context::Filter
        } else {
            Context::StaffList
        }
    }

    pub fn prepare(&mut self, ctx: &mut Ctx) {
        if self.list.needs_reload() {
            let keep = keeps(self.due_only, ctx.api.today());
            self.list.loaded(duty::staff(ctx.api), ctx.lang, |s| s.id, keep);
        }
    }

    fn apply_filter(&mut self, today: NaiveDate) {
        self.list.refilter(keeps(self.due_only, today));
    }

    fn selected(&self) -> Option<&Staff> {
        self.list.selected()
    }

    pub fn selected_id(&self) -> Option<u64> {
        self.selected().map(|s| s.id)
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        if self.list.move_by(action) {
            return TabRequest::None;
        }
        match action {
            Action::LicencesDue => {
                self.due_only = !self.due_only;
                self.apply_filter(ctx.api.today());
            }
            Action::Back => {
                self.list.filter.clear();
                self.list.only = None;
                self.due_only = false;
                self.apply_filter(ctx.api.today());
            }
            Action::New if self.list.refused.is_none() => {
                self.form = Some((staff_form(lang, T::StaffFormNew.get(lang).into(), None), None));
            }
            Action::Edit | Action::Open => {
                if let Some(s) = self.selected() {
                    let title = fill(T::StaffFormEdit.get(lang), &[&s.display()]);
                    self.form = Some((staff_form(lang, title, Some(&s.draft)), Some((s.id, s.meta.version))));
                }
            }
            Action::Help => return TabRequest::Help(Context::StaffList),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>, today: NaiveDate) -> TabRequest {
        self.list.filter_key(key, action, keeps(self.due_only, today))
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
                let draft = match read_form(form, lang, ctx.api.today()) {
                    Ok(d) => d,
                    Err(errors) => {
                        ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                        form.set_errors(errors);
                        return TabRequest::None;
                    }
                };
                let (id, version) = editing.map_or((None, 0), |(i, v)| (Some(i), v));
                match ctx.api.duty_do(ctx.actor, DutyCommand::SaveStaff { id, version, draft }) {
                    Ok(DutyData::OneStaff(s)) => {
                        ctx.status.ok(fill(T::StatusSaved.get(lang), &[&s.display()]));
                        // Someone off duty still on the roster leaves places to fill.
                        if s.draft.status != StaffStatus::Active {
                            if let Ok(n @ 1..) = duty::future_shifts_of(ctx.api, s.id) {
                                ctx.status.error(fill(T::StaffStillRostered.get(lang), &[&s.display(), &n.to_string()]));
                            }
                        }
                        self.list.select = Some(s.id);
                        self.form = None;
                        self.list.stale = true;
                    }
                    Ok(_) => {}
                    Err(e @ crate::service::ServiceError::Invalid(_)) => {
                        ctx.status.error(service_error(&e, lang));
                        if let crate::service::ServiceError::Invalid(errors) = e {
                            form.set_errors(field_messages(&errors, lang));
                        }
                    }
                    // The form stays open with what was typed.
                    Err(e) => ctx.status.error(service_error(&e, lang)),
                }
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    /// Only these people (a pile from the Overview), until Esc.
    pub fn show_only(&mut self, label: String, ids: std::collections::BTreeSet<u64>) {
        self.due_only = false;
        self.form = None;
        self.list.show_only(label, ids);
    }

    /// The open form, as a draft's target.
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let (form, editing) = self.form.as_ref()?;
        let target = match *editing {
            Some((id, version)) => Target::EditStaff { id, version },
            None => Target::NewStaff,
        };
        Some((target, form))
    }

    /// Open a draft's form again from the record as it is now, keeping the
    /// version the draft started from (a change since shows as a conflict).
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        self.form = None;
        self.list.show_all();
        self.due_only = false;
        let action = match *target {
            Target::NewStaff => Action::New,
            Target::EditStaff { id, .. } => {
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

    pub fn render(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
        if let Some(why) = &self.list.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        let due = self.list.all.iter().filter(|s| s.credentials_due(today)).count();
        let mut head = fill(T::StaffHeader.get(lang), &[&self.list.all.len().to_string(), &due.to_string()]);
        if self.due_only {
            head.push_str(" · ");
            head.push_str(T::StaffDueOnly.get(lang));
        }
        if let Some(note) = self.list.filter_note() {
            head.push_str(&note);
        }
        buf.set_string(
            area.x,
            area.y,
            crate::ui::text::truncate(&head, area.width as usize),
            if due > 0 { theme.focus() } else { theme.title() },
        );
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 8, priority };
        let cols = vec![
            c(T::StaffColNumber, 7, 9),
            c(T::StaffColName, 0, 9),
            Column { width: widest_label::<Brigade>(lang), ..c(T::StaffFieldBrigade, 0, 6) },
            Column { width: widest_label::<StaffRole>(lang), ..c(T::StaffColRole, 0, 6) },
            c(T::StaffColLicence, crate::i18n::dates::width() + 5, 8),
            c(T::StaffColPermit, crate::i18n::dates::width() + 5, 7),
            c(T::StaffColRest, 9, 3),
            Column { width: widest_label::<StaffStatus>(lang), ..c(T::AuditColStatus, 0, 7) },
            c(T::FieldPhone, 13, 2),
        ];
        let h = area.height.saturating_sub(2) as usize;
        let rows: Vec<Vec<Cell>> = self
            .list
            .visible(h)
            .map(|s| {
                let d = &s.draft;
                let status = match d.status {
                    StaffStatus::Active => Cell::new(d.status.label(lang)),
                    StaffStatus::OnLeave => Cell::styled(d.status.label(lang), theme.focus()),
                    StaffStatus::Left => Cell::styled(d.status.label(lang), theme.dim()),
                };
                let rest: Vec<&str> = d.rest_days.days().iter().map(|w| weekday(*w, lang)).collect();
                vec![
                    Cell::new(&s.number),
                    Cell::new(&d.name),
                    Cell::new(d.brigade.label(lang)),
                    Cell::new(d.role.label(lang)),
                    credential_cell(&d.licence, today, theme, lang),
                    credential_cell(&d.permit, today, theme, lang),
                    Cell::new(rest.join(" ")),
                    status,
                    Cell::new(&d.phone),
                ]
            })
            .collect();
        if self.list.shown.is_empty() {
            let msg = if self.list.all.is_empty() { T::StaffEmpty } else { T::StaffNoMatch };
            buf.set_string(area.x, area.y + 2, crate::ui::text::truncate(msg.get(lang), area.width as usize), theme.dim());
        }
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: self.list.nav.top, selected: Some(self.list.nav.selected) };
        table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
    }
}

fn id_of(s: &Staff) -> u64 {
    s.id
}
