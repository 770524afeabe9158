//! The Dorm tab: rooms with their occupants and rent filing, the night's
//! round of room checks (one form after another, never leaving the keys),
//! and the monthly hygiene ranking.

use crate::domain::dorm::{Curfew, CurfewCheck, HygieneItem, InspectionDraft, RoomDraft};
use crate::domain::limits;
use crate::domain::{Choice, Fen, Staff};
use crate::i18n::{fill, Lang, T};
use crate::service::logistics::{LogisticsCommand, LogisticsData, LogisticsQuery, NightView, RoomRow};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, TabRequest};
use crate::ui::text::{fit, safe, truncate, width};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::record_list::RecordList;
use crate::ui::widgets::table::{self, Cell, Column, TableView};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Occupants' curfew fields, one per bed a room can have.
const CURFEW_FIELDS: [&str; crate::domain::dorm::MAX_CAPACITY as usize] =
    ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17", "c18", "c19"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DormView {
    #[default]
    Rooms,
    Night,
    Ranking,
}

/// What the open form saves.
enum DormForm {
    /// A room: (id, version) when editing.
    Room(Option<(u64, u64)>),
    /// A room's check tonight, with its occupants in field order.
    Check { room_id: u64, occupants: Vec<u64>, editing: Option<Box<crate::domain::dorm::Inspection>> },
}

#[derive(Default)]
pub struct DormTab {
    pub view: DormView,
    pub rooms: RecordList<RoomRow>,
    pub night: Option<NightView>,
    pub night_row: usize,
    /// A past night opened from the Overview (none: tonight's round).
    pub night_date: Option<NaiveDate>,
    pub ranking: Option<(NaiveDate, Vec<crate::domain::dorm::RankRow>)>,
    /// First ranking row on screen (the worst rooms may be further down).
    pub ranking_top: usize,
    pub form: Option<Form>,
    form_for: Option<DormForm>,
    /// Staff for the occupants field: "RY-0001" → id.
    staff: Vec<Staff>,
}

fn keeps(r: &RoomRow, needle: &str) -> bool {
    needle.is_empty()
        || r.room.label().to_lowercase().contains(needle)
        || r.occupants.iter().any(|(_, n)| n.to_lowercase().contains(needle))
        || r.room.draft.landlord.to_lowercase().contains(needle)
}

/// The points a checklist item can be given, full marks first.
fn item_options(item: HygieneItem) -> Vec<u8> {
    let p = item.points();
    let mut v = vec![p, p.saturating_sub(5), p.saturating_sub(10), 0];
    v.dedup();
    v
}

fn item_label(item: HygieneItem, lang: Lang) -> &'static str {
    match item {
        HygieneItem::BedMade => T::HygBedMade.get(lang),
        HygieneItem::ItemsInPlace => T::HygItems.get(lang),
        HygieneItem::Clean => T::HygClean.get(lang),
        HygieneItem::AirFresh => T::HygAir.get(lang),
        HygieneItem::NoForbidden => T::HygForbidden.get(lang),
    }
}

fn curfew_label(c: Curfew, lang: Lang) -> &'static str {
    match c {
        Curfew::Present => T::CurfewPresent.get(lang),
        Curfew::Absent => T::CurfewAbsent.get(lang),
        Curfew::Excused => T::CurfewExcused.get(lang),
    }
}

impl DormTab {
    /// A past night's round (from the Overview's curfew lines).
    pub fn open_night(&mut self, night: NaiveDate) {
        self.view = DormView::Night;
        self.night = None;
        self.night_date = Some(night);
        self.night_row = 0;
    }

    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.view == DormView::Rooms && self.rooms.filtering {
            Context::Filter
        } else {
            match self.view {
                DormView::Rooms => Context::RoomList,
                DormView::Night => Context::NightRound,
                DormView::Ranking => Context::Ranking,
            }
        }
    }

    pub fn mark_stale(&mut self) {
        self.rooms.stale = true;
        self.night = None;
        self.ranking = None;
    }

    pub fn prepare(&mut self, ctx: &mut Ctx) {
        match self.view {
            DormView::Rooms if self.rooms.needs_reload() => {
                let read = ctx.api.logistics(&LogisticsQuery::Rooms).map(|d| match d {
                    LogisticsData::Rooms(v) => v,
                    _ => vec![],
                });
                self.rooms.loaded(read, ctx.lang, |r| r.room.id, keeps);
            }
            DormView::Night if self.night.is_none() => {
                let night = self.night_date.unwrap_or_else(|| tonight(ctx));
                match ctx.api.logistics(&LogisticsQuery::Night { night }) {
                    Ok(LogisticsData::Night(n)) => {
                        self.night_row = self.night_row.min(n.rows.len().saturating_sub(1));
                        self.night = Some(*n);
                    }
                    Ok(_) => {}
                    Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
                }
            }
            DormView::Ranking if self.ranking.is_none() => {
                let month = ctx.api.today();
                self.load_ranking(month, ctx);
            }
            _ => {}
        }
    }

    fn load_ranking(&mut self, month: NaiveDate, ctx: &mut Ctx) {
        match ctx.api.logistics(&LogisticsQuery::Ranking { month }) {
            Ok(LogisticsData::Ranking { month, rows }) => self.ranking = Some((month, rows)),
            Ok(_) => {}
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        match action {
            Action::Help => return TabRequest::Help(self.context()),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        match self.view {
            DormView::Rooms => {
                if self.rooms.move_by(action) {
                    return TabRequest::None;
                }
                match action {
                    Action::New => self.open_room_form(None, ctx),
                    Action::Edit | Action::Open => {
                        if let Some(r) = self.rooms.selected().cloned() {
                            self.open_room_form(Some(r), ctx);
                        }
                    }
                    Action::NightRound => {
                        self.view = DormView::Night;
                        self.night = None;
                        self.night_date = None;
                    }
                    Action::Summary => {
                        self.view = DormView::Ranking;
                        self.ranking = None;
                    }
                    Action::Back => {
                        self.rooms.filter.clear();
                        self.rooms.refilter(keeps);
                    }
                    _ => {}
                }
            }
            DormView::Night => {
                let n = self.night.as_ref().map_or(0, |n| n.rows.len());
                match action {
                    Action::Up => self.night_row = self.night_row.saturating_sub(1),
                    Action::Down => self.night_row = (self.night_row + 1).min(n.saturating_sub(1)),
                    Action::Open => self.open_check(ctx),
                    Action::Back => self.view = DormView::Rooms,
                    _ => {}
                }
            }
            DormView::Ranking => match action {
                Action::Up => self.ranking_top = self.ranking_top.saturating_sub(1),
                Action::Down => {
                    self.ranking_top = (self.ranking_top + 1).min(self.ranking.as_ref().map_or(0, |r| r.1.len().saturating_sub(1)))
                }
                Action::NextPeriod | Action::PrevPeriod => {
                    if let Some((m, _)) = &self.ranking {
                        let m = if action == Action::NextPeriod {
                            m.checked_add_months(chrono::Months::new(1))
                        } else {
                            m.checked_sub_months(chrono::Months::new(1))
                        }
                        .unwrap_or(*m);
                        self.load_ranking(m, ctx);
                    }
                }
                Action::Export => {
                    if let Some((month, rows)) = &self.ranking {
                        match crate::export::ranking_csv(*month, rows, lang) {
                            Ok(bytes) => crate::ui::pane::write_export(ctx, &format!("hygiene-{}.csv", month.format("%Y-%m")), &bytes),
                            Err(e) => ctx.status.error(fill(T::StatusExportFailed.get(lang), &[&e.to_string()])),
                        }
                    }
                }
                Action::Back => self.view = DormView::Rooms,
                _ => {}
            },
        }
        TabRequest::None
    }

    fn staff(&mut self, ctx: &mut Ctx) -> bool {
        match crate::service::duty::staff(ctx.api) {
            Ok(s) => {
                self.staff = s;
                true
            }
            Err(e) => {
                ctx.status.error(service_error(&e, ctx.lang));
                false
            }
        }
    }

    fn open_room_form(&mut self, row: Option<RoomRow>, ctx: &mut Ctx) {
        if !self.staff(ctx) {
            return;
        }
        let lang = ctx.lang;
        let t = |k: T| k.get(lang);
        let title = match &row {
            Some(r) => fill(t(T::RoomFormEdit), &[&r.room.label()]),
            None => t(T::RoomFormNew).to_string(),
        };
        let mut f = Form::new(
            title,
            vec![
                FieldSpec::text("building", t(T::RoomFieldBuilding), limits::dorm::BUILDING),
                FieldSpec::text("room", t(T::RoomFieldRoom), limits::dorm::ROOM),
                FieldSpec::text("capacity", t(T::RoomFieldCapacity), limits::dorm::CAPACITY),
                FieldSpec::multiline("occupants", t(T::RoomFieldOccupants), limits::dorm::OCCUPANTS, 3).hint(t(T::RoomHintOccupants)),
                FieldSpec::text("rent", t(T::RoomFieldRent), limits::dorm::RENT),
                FieldSpec::text("landlord", t(T::RoomFieldLandlord), limits::dorm::LANDLORD),
                FieldSpec::text("landlord_account", t(T::RoomFieldAccount), limits::dorm::LANDLORD_ACCOUNT),
                FieldSpec::multiline("notes", t(T::FieldNotes), limits::dorm::NOTES, 2),
            ],
        );
        match &row {
            Some(r) => {
                let d = &r.room.draft;
                f.set_text("building", &d.building);
                f.set_text("room", &d.room);
                f.set_text("capacity", &d.capacity.to_string());
                let occ: Vec<String> = r.occupants.iter().map(|(_, n)| n.clone()).collect();
                f.set_text("occupants", &occ.join("\n"));
                f.set_text("rent", &d.rent.to_string());
                f.set_text("landlord", &d.landlord);
                f.set_text("landlord_account", &d.landlord_account);
                f.set_text("notes", &d.notes);
            }
            None => f.set_text("capacity", "4"),
        }
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(DormForm::Room(row.map(|r| (r.room.id, r.room.meta.version))));
    }

    /// The selected room's check tonight (or the next room still to check).
    fn open_check(&mut self, ctx: &mut Ctx) {
        let Some(n) = &self.night else { return };
        let Some(row) = n.rows.get(self.night_row) else { return };
        let lang = ctx.lang;
        // A room checked tonight opens its check for correction.
        let editing = row.inspection.clone().map(Box::new);
        let t = |k: T| k.get(lang);
        let mut specs = Vec::new();
        let occupants: Vec<(u64, String)> = row.room.occupants.iter().take(CURFEW_FIELDS.len()).cloned().collect();
        let marks: Vec<String> = Curfew::ALL.iter().map(|c| curfew_label(*c, lang).to_string()).collect();
        for (i, (_, name)) in occupants.iter().enumerate() {
            specs.push(FieldSpec::choice(CURFEW_FIELDS[i], name, marks.clone()));
        }
        specs.push(FieldSpec::text("reason", t(T::CurfewReason), limits::dorm::CURFEW_REASON).hint(t(T::CurfewReasonHint)));
        for item in HygieneItem::ALL {
            let opts = item_options(*item).iter().map(|p| p.to_string()).collect();
            specs.push(FieldSpec::choice(item.code(), item_label(*item, lang), opts));
        }
        specs.push(FieldSpec::text("issues", t(T::RoomFieldIssues), limits::dorm::ISSUES));
        let title_key = if editing.is_some() { T::RoomCheckCorrect } else { T::RoomCheckTitle };
        let title = fill(t(title_key), &[&row.room.room.label(), &n.night.format("%m-%d").to_string()]);
        let mut f = Form::new(title, specs);
        // Someone on a shift at 22:00 tonight is excused, and says so.
        if editing.is_none() {
            for (k, (id, _)) in occupants.iter().enumerate() {
                if n.on_duty.contains(id) {
                    f.set_choice(CURFEW_FIELDS[k], Curfew::Excused.index());
                    f.set_text("reason", t(T::CurfewOnDuty));
                }
            }
        }
        if let Some(i) = &editing {
            for (k, (id, _)) in occupants.iter().enumerate() {
                if let Some(c) = i.draft.curfew.iter().find(|c| c.staff_id == *id) {
                    f.set_choice(CURFEW_FIELDS[k], c.status.index());
                    if !c.reason.is_empty() {
                        f.set_text("reason", &c.reason);
                    }
                }
            }
            for (item, points) in &i.draft.scores {
                let opts = item_options(*item);
                f.set_choice(item.code(), opts.iter().position(|p| p == points).unwrap_or(0));
            }
            f.set_text("issues", &i.draft.issues);
        }
        f.mark_clean();
        self.form_for = Some(DormForm::Check { room_id: row.room.room.id, occupants: occupants.iter().map(|o| o.0).collect(), editing });
        self.form = Some(f);
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some(form) = self.form.as_mut() else { return TabRequest::None };
        let lang = ctx.lang;
        match form_outcome(form, key) {
            FormOutcome::Request(r) => r,
            FormOutcome::Close => {
                self.form = None;
                TabRequest::None
            }
            FormOutcome::Save => {
                let cmd = match &self.form_for {
                    Some(DormForm::Room(editing)) => {
                        let mut errors = Vec::new();
                        let capacity = form.text("capacity").trim().parse::<u8>().unwrap_or_else(|_| {
                            errors.push((
                                "capacity".to_string(),
                                crate::i18n::invalid_text(&crate::domain::Invalid::Range { min: 1, max: 20 }, lang),
                            ));
                            0
                        });
                        let rent_text = form.text("rent");
                        let rent = if rent_text.trim().is_empty() {
                            Fen(0)
                        } else {
                            Fen::parse_yuan(&rent_text).unwrap_or_else(|| {
                                errors.push(("rent".to_string(), crate::i18n::invalid_text(&crate::domain::Invalid::Money, lang)));
                                Fen(0)
                            })
                        };
                        let mut occupants = Vec::new();
                        for line in form.text("occupants").lines().map(str::trim).filter(|l| !l.is_empty()) {
                            // "RY-0001" or "RY-0001 王伟" or a name.
                            let first = line.split_whitespace().next().unwrap_or(line).to_uppercase();
                            match self.staff.iter().find(|s| s.number == first || s.draft.name == line) {
                                Some(s) => occupants.push(s.id),
                                None => errors.push(("occupants".to_string(), fill(T::RoomUnknownPerson.get(lang), &[line]))),
                            }
                        }
                        let draft = RoomDraft {
                            building: form.text("building"),
                            room: form.text("room"),
                            capacity,
                            occupants,
                            rent,
                            landlord: form.text("landlord"),
                            landlord_account: form.text("landlord_account"),
                            notes: form.text("notes"),
                        };
                        if !errors.is_empty() {
                            // Every problem at once: what did not parse, and the rules on the rest.
                            let marked: Vec<String> = errors.iter().map(|e| e.0.clone()).collect();
                            let rules = field_messages(&draft.clone().cleaned().validate(), lang);
                            errors.extend(rules.into_iter().filter(|e| !marked.contains(&e.0)));
                            ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                            form.set_errors(errors);
                            return TabRequest::None;
                        }
                        let (id, version) = editing.map_or((None, 0), |(i, v)| (Some(i), v));
                        LogisticsCommand::SaveRoom { id, version, draft }
                    }
                    Some(DormForm::Check { room_id, occupants, editing }) => {
                        let reason = form.text("reason");
                        let curfew_marks = occupants
                            .iter()
                            .enumerate()
                            .map(|(i, id)| {
                                let status = Curfew::ALL[form.choice(CURFEW_FIELDS[i]).min(Curfew::ALL.len() - 1)];
                                let reason = if status == Curfew::Excused { reason.clone() } else { String::new() };
                                CurfewCheck { staff_id: *id, status, reason }
                            })
                            .collect();
                        let scores = HygieneItem::ALL
                            .iter()
                            .map(|item| {
                                let opts = item_options(*item);
                                (*item, opts[form.choice(item.code()).min(opts.len() - 1)])
                            })
                            .collect();
                        // A correction keeps the night, time and inspector it had.
                        let (night, at, inspector) = match editing {
                            Some(i) => (i.draft.night, i.draft.at, i.draft.inspector.clone()),
                            None => (tonight(ctx), ctx.api.local_now().time(), ctx.actor.to_string()),
                        };
                        let draft = InspectionDraft {
                            room_id: *room_id,
                            night,
                            at,
                            inspector,
                            curfew: curfew_marks,
                            scores,
                            issues: form.text("issues"),
                        };
                        match editing {
                            Some(i) => LogisticsCommand::CorrectInspection { id: i.id, version: i.meta.version, draft },
                            None => LogisticsCommand::Inspect { draft },
                        }
                    }
                    None => return TabRequest::None,
                };
                let checking = matches!(self.form_for, Some(DormForm::Check { .. }));
                let correcting = matches!(self.form_for, Some(DormForm::Check { editing: Some(_), .. }));
                match ctx.api.logistics_do(ctx.actor, cmd) {
                    Ok(LogisticsData::Inspection(i)) => {
                        ctx.status.ok(fill(T::RoomChecked.get(lang), &[&i.draft.score().to_string()]));
                        self.form = None;
                        self.night = None;
                        self.prepare(ctx);
                        // On to the next room still to check (not after a correction).
                        if let Some(n) = self.night.as_ref().filter(|_| !correcting) {
                            if let Some(next) =
                                n.rows.iter().position(|r| r.inspection.is_none() && !r.room.room.draft.occupants.is_empty())
                            {
                                self.night_row = next;
                                self.open_check(ctx);
                            }
                        }
                    }
                    Ok(LogisticsData::Room(r)) => {
                        ctx.status.ok(fill(T::StatusSaved.get(lang), &[&r.label()]));
                        self.rooms.select = Some(r.id);
                        self.form = None;
                        self.mark_stale();
                    }
                    Ok(_) => {}
                    Err(crate::service::ServiceError::Invalid(errors)) => {
                        ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                        let mut msgs = field_messages(&errors, lang);
                        if checking {
                            // A missing excuse is asked for on the reason field.
                            for m in &mut msgs {
                                if m.0 == "curfew" {
                                    m.0 = "reason".into();
                                }
                            }
                        }
                        form.set_errors(msgs);
                    }
                    // A rule across records is marked on its field too.
                    Err(crate::service::ServiceError::Logistics(r)) => {
                        let text = crate::ui::messages::logistics_refusal(&r, lang);
                        ctx.status.error(text.clone());
                        form.set_errors(vec![("occupants".into(), text)]);
                    }
                    // The form stays open with what was typed.
                    Err(e) => ctx.status.error(service_error(&e, lang)),
                }
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        self.rooms.filter_key(key, action, keeps)
    }

    /// The open form, as a draft's target (a night's room check, mostly
    /// choices made in seconds, is not kept).
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let form = self.form.as_ref()?;
        let target = match self.form_for.as_ref()? {
            DormForm::Room(Some((id, version))) => Target::EditRoom { id: *id, version: *version },
            DormForm::Room(None) => Target::NewRoom,
            DormForm::Check { .. } => return None,
        };
        Some((target, form))
    }

    /// Open a draft's room form again from the room as it is now, keeping
    /// the version the draft started from (a change since shows as a conflict).
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        self.form = None;
        self.view = DormView::Rooms;
        self.rooms.show_all();
        self.prepare(ctx);
        match *target {
            Target::NewRoom => self.open_room_form(None, ctx),
            Target::EditRoom { id, version: then } => {
                let Some(row) = self.rooms.all.iter().find(|r| r.room.id == id).cloned() else {
                    ctx.status.error(T::DraftRecordGone.get(ctx.lang));
                    return false;
                };
                self.open_room_form(Some(row), ctx);
                if let (Some(form), Some(DormForm::Room(Some(now)))) = (self.form.as_mut(), self.form_for.as_mut()) {
                    crate::ui::drafts::edit_from(form, &mut now.1, then, ctx.lang);
                }
            }
            _ => return false,
        }
        self.form.is_some()
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.is_dirty())
    }

    pub fn render(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        match self.view {
            DormView::Rooms => self.render_rooms(buf, area, theme, lang),
            DormView::Night => self.render_night(buf, area, theme, lang),
            DormView::Ranking => self.render_ranking(buf, area, theme, lang),
        }
    }

    fn render_rooms(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        if let Some(why) = &self.rooms.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        let beds: usize = self.rooms.all.iter().map(|r| r.room.draft.capacity as usize).sum();
        let used: usize = self.rooms.all.iter().map(|r| r.occupants.len()).sum();
        let mut head = fill(T::RoomHeader.get(lang), &[&self.rooms.all.len().to_string(), &used.to_string(), &beds.to_string()]);
        if let Some(note) = self.rooms.filter_note() {
            head.push_str(&note);
        }
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), theme.title());
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![
            c(T::RoomColRoom, 14, 9),
            c(T::RoomColBeds, 6, 8),
            c(T::RoomFieldOccupants, 0, 9),
            c(T::RoomColRent, 10, 5),
            c(T::RoomFieldLandlord, 12, 3),
        ];
        let h = area.height.saturating_sub(2) as usize;
        let rows: Vec<Vec<Cell>> = self
            .rooms
            .visible(h)
            .map(|r| {
                let d = &r.room.draft;
                let names: Vec<&str> = r.occupants.iter().map(|(_, n)| n.split_once(' ').map_or(n.as_str(), |x| x.1)).collect();
                let beds = format!("{}/{}", r.occupants.len(), d.capacity);
                vec![
                    Cell::new(r.room.label()),
                    Cell::new(beds),
                    Cell::new(names.join("、")),
                    Cell::new(d.rent.to_string()),
                    Cell::new(&d.landlord),
                ]
            })
            .collect();
        if self.rooms.shown.is_empty() {
            let msg = if self.rooms.all.is_empty() { T::RoomEmpty } else { T::StaffNoMatch };
            buf.set_string(area.x, area.y + 2, truncate(msg.get(lang), area.width as usize), theme.dim());
        }
        let view =
            TableView { columns: &cols, sort: None, rows: &rows, first: self.rooms.nav.top, selected: Some(self.rooms.nav.selected) };
        table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
    }

    fn render_night(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        let Some(n) = &self.night else { return };
        let head =
            fill(T::NightHeader.get(lang), &[&crate::i18n::dates::show(n.night), &n.pending.to_string(), &n.absent.len().to_string()]);
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), if n.pending > 0 { theme.focus() } else { theme.ok() });
        // Absences at curfew, under the list.
        let absent_h = (n.absent.len() as u16 + 1).min(area.height / 3);
        let list = Rect { y: area.y + 1, height: area.height.saturating_sub(1 + absent_h), ..area };
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![c(T::RoomColRoom, 14, 9), c(T::NightColState, 12, 9), c(T::RoomFieldOccupants, 0, 8), c(T::RoomFieldIssues, 20, 3)];
        let rows: Vec<Vec<Cell>> = n
            .rows
            .iter()
            .map(|r| {
                let state = match &r.inspection {
                    Some(i) => Cell::styled(fill(T::NightScore.get(lang), &[&i.draft.score().to_string()]), theme.ok()),
                    None if r.room.room.draft.occupants.is_empty() => Cell::styled(T::NightEmptyRoom.get(lang), theme.dim()),
                    None => Cell::styled(T::NightPending.get(lang), theme.alert()),
                };
                let names: Vec<&str> = r.room.occupants.iter().map(|(_, n)| n.split_once(' ').map_or(n.as_str(), |x| x.1)).collect();
                vec![
                    Cell::new(r.room.room.label()),
                    state,
                    Cell::new(names.join("、")),
                    Cell::new(r.inspection.as_ref().map(|i| i.draft.issues.clone()).unwrap_or_default()),
                ]
            })
            .collect();
        let top = self.night_row.saturating_sub((list.height as usize).saturating_sub(2));
        let shown: Vec<Vec<Cell>> = rows.into_iter().skip(top).collect();
        let view = TableView { columns: &cols, sort: None, rows: &shown, first: top, selected: Some(self.night_row) };
        table::render(buf, list, theme, &view);
        let y = list.y + list.height;
        let mut lines = vec![Line::styled(format!("── {} ({})", T::NightAbsent.get(lang), n.absent.len()), theme.header())];
        lines.extend(n.absent.iter().map(|(who, room)| Line::styled(safe(&format!("  {who} · {room}")), theme.alert())));
        Paragraph::new(lines).render(Rect { y, height: absent_h, ..area }, buf);
    }

    fn render_ranking(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        let Some((month, rows)) = &self.ranking else { return };
        let head = fill(T::RankingHeader.get(lang), &[&month.format("%Y-%m").to_string(), &rows.len().to_string()]);
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), theme.title());
        if rows.is_empty() {
            buf.set_string(area.x, area.y + 2, truncate(T::RankingEmpty.get(lang), area.width as usize), theme.dim());
            return;
        }
        // Room, bar, average and the trend against last month.
        let label_w = rows.iter().map(|r| width(&r.label)).max().unwrap_or(8).min(18);
        let bar_w = (area.width as usize).saturating_sub(label_w + 22).max(10);
        for (i, r) in rows.iter().enumerate().skip(self.ranking_top).take((area.height as usize).saturating_sub(2)) {
            let row_y = i - self.ranking_top;
            let y = area.y + 2 + row_y as u16;
            let avg = r.average_tenths as f64 / 10.0;
            let filled = (bar_w as u32 * r.average_tenths / 1000) as usize;
            let trend = match r.previous_tenths {
                Some(p) if r.average_tenths > p => format!("↑{:.1}", (r.average_tenths - p) as f64 / 10.0),
                Some(p) if r.average_tenths < p => format!("↓{:.1}", (p - r.average_tenths) as f64 / 10.0),
                Some(_) => "=".to_string(),
                None => "—".to_string(),
            };
            let style = if i == 0 {
                theme.ok()
            } else if i + 1 == rows.len() && rows.len() > 1 {
                theme.alert()
            } else {
                Default::default()
            };
            buf.set_string(area.x, y, fit(&safe(&r.label), label_w), style);
            buf.set_string(area.x + label_w as u16 + 1, y, "█".repeat(filled), style);
            buf.set_string(area.x + (label_w + bar_w) as u16 + 2, y, format!("{avg:>5.1} ×{:<3} {trend}", r.inspections), style);
        }
    }
}

/// The night a round belongs to: before 06:00 it is still last night's.
fn tonight(ctx: &Ctx) -> NaiveDate {
    crate::service::overview::round_night(ctx.api.local_now())
}
