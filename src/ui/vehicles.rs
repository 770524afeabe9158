//! The Vehicles tab: company vehicles with their due dates and drivers, a
//! vehicle's trips for a month (出车记录) with its checks and accidents, the
//! monthly totals for reimbursement, and the forms for a trip, the monthly
//! routine check and an accident report.

use crate::domain::fleet::{due_state, AccidentDraft, CheckItem, CheckLine, Continuity, TripDraft, VehicleCheckDraft, VehicleDraft};
use crate::domain::limits;
use crate::domain::{Choice, CredentialState, Fen, Invalid, Staff};
use crate::i18n::{fill, invalid_text, Lang, T};
use crate::service::logistics::{LogisticsCommand, LogisticsData, LogisticsQuery, MonthRow, TripRow, VehicleHistory, VehicleRow};
use crate::ui::complaints::forms::parse_datetime;
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, TabRequest};
use crate::ui::text::{safe, truncate};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::record_list::RecordList;
use crate::ui::widgets::table::{self, Cell, Column, TableView};
use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The note fields beside the check's items, in `CheckItem::ALL` order.
const NOTE_FIELDS: [&str; 8] = ["note0", "note1", "note2", "note3", "note4", "note5", "note6", "note7"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VehiclesView {
    #[default]
    List,
    /// One vehicle's month: trips, then checks and accidents.
    Trips,
    /// Every vehicle's totals for a month.
    Month,
}

enum VehicleForm {
    Vehicle(Option<(u64, u64)>),
    /// A trip of the vehicle; (id, version) when correcting one.
    Trip(u64, Option<(u64, u64)>),
    Check(u64, Option<(u64, u64)>),
    Accident(u64),
}

#[derive(Default)]
pub struct VehiclesTab {
    pub view: VehiclesView,
    pub list: RecordList<VehicleRow>,
    pub month: Option<NaiveDate>,
    pub trips: Vec<TripRow>,
    pub history: Option<VehicleHistory>,
    pub totals: Vec<MonthRow>,
    pub row: usize,
    /// The selected trip in a vehicle's month.
    pub trip_row: usize,
    pub form: Option<Form>,
    form_for: Option<VehicleForm>,
    staff: Vec<Staff>,
}

fn keeps(r: &VehicleRow, needle: &str) -> bool {
    needle.is_empty()
        || r.vehicle.draft.plate.to_lowercase().contains(needle)
        || r.vehicle.draft.model.to_lowercase().contains(needle)
        || r.drivers.iter().any(|(_, n)| n.to_lowercase().contains(needle))
}

fn due_cell(due: Option<NaiveDate>, today: NaiveDate, theme: &Theme, lang: Lang) -> Cell {
    let text = due.map(crate::i18n::dates::show).unwrap_or_default();
    match due_state(due, today) {
        CredentialState::DueSoon(n) => Cell::styled(fill(T::StaffDueIn.get(lang), &[&n.to_string()]), theme.focus()),
        CredentialState::Expired => Cell::styled(format!("{} {text}", T::VehOverdue.get(lang)), theme.alert()),
        _ => Cell::new(text),
    }
}

fn item_label(i: CheckItem, lang: Lang) -> &'static str {
    match i {
        CheckItem::Brakes => T::ChkBrakes.get(lang),
        CheckItem::Lights => T::ChkLights.get(lang),
        CheckItem::Tyres => T::ChkTyres.get(lang),
        CheckItem::Fluids => T::ChkFluids.get(lang),
        CheckItem::Documents => T::ChkDocuments.get(lang),
        CheckItem::Cleanliness => T::ChkClean.get(lang),
        CheckItem::Extinguisher => T::ChkExtinguisher.get(lang),
        CheckItem::FirstAid => T::ChkFirstAid.get(lang),
    }
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl VehiclesTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.view == VehiclesView::List && self.list.filtering {
            Context::Filter
        } else {
            match self.view {
                VehiclesView::List => Context::VehicleList,
                VehiclesView::Trips => Context::TripLog,
                VehiclesView::Month => Context::VehicleMonth,
            }
        }
    }

    pub fn mark_stale(&mut self) {
        self.list.stale = true;
    }

    pub fn prepare(&mut self, ctx: &mut Ctx) {
        let month = *self.month.get_or_insert_with(|| ctx.api.today().with_day(1).unwrap_or_default());
        if self.list.needs_reload() {
            let read = ctx.api.logistics(&LogisticsQuery::Vehicles).map(|d| match d {
                LogisticsData::Vehicles(v) => v,
                _ => vec![],
            });
            self.list.loaded(read, ctx.lang, |r| r.vehicle.id, keeps);
            self.reload_view(month, ctx);
        }
    }

    fn reload_view(&mut self, month: NaiveDate, ctx: &mut Ctx) {
        let lang = ctx.lang;
        match self.view {
            VehiclesView::List => {}
            VehiclesView::Trips => {
                let Some(id) = self.history.as_ref().map(|h| h.vehicle.id).or_else(|| self.list.selected().map(|r| r.vehicle.id)) else {
                    return;
                };
                match (
                    ctx.api.logistics(&LogisticsQuery::Trips { vehicle_id: id, month }),
                    ctx.api.logistics(&LogisticsQuery::History { vehicle_id: id }),
                ) {
                    (Ok(LogisticsData::Trips(t)), Ok(LogisticsData::History(h))) => {
                        self.trips = t;
                        self.history = Some(*h);
                    }
                    (Err(e), _) | (_, Err(e)) => ctx.status.error(service_error(&e, lang)),
                    _ => {}
                }
            }
            VehiclesView::Month => match ctx.api.logistics(&LogisticsQuery::Month { month }) {
                Ok(LogisticsData::Month(rows)) => {
                    self.row = self.row.min(rows.len().saturating_sub(1));
                    self.totals = rows;
                }
                Ok(_) => {}
                Err(e) => ctx.status.error(service_error(&e, lang)),
            },
        }
    }

    fn shift_month(&mut self, forward: bool, ctx: &mut Ctx) {
        let m = self.month.unwrap_or_else(|| ctx.api.today());
        let one = chrono::Months::new(1);
        let m = if forward { m.checked_add_months(one) } else { m.checked_sub_months(one) }.unwrap_or(m);
        self.month = Some(m);
        self.reload_view(m, ctx);
    }

    fn load_staff(&mut self, ctx: &mut Ctx) -> bool {
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

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        match action {
            Action::Help => return TabRequest::Help(self.context()),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        if self.view == VehiclesView::List && self.list.move_by(action) {
            return TabRequest::None;
        }
        let selected = self.selected_vehicle();
        match (self.view, action) {
            (VehiclesView::List, Action::New) => self.open_vehicle_form(None, ctx),
            (VehiclesView::List, Action::Edit) => {
                if let Some(r) = self.list.selected().cloned() {
                    self.open_vehicle_form(Some(r), ctx);
                }
            }
            (VehiclesView::List, Action::Open) if selected.is_some() => {
                self.history = None;
                self.view = VehiclesView::Trips;
                let m = self.month.unwrap_or_else(|| ctx.api.today());
                self.reload_view(m, ctx);
            }
            (VehiclesView::List | VehiclesView::Trips, Action::AddTrip) => {
                if let Some(id) = selected {
                    self.open_trip_form(id, None, ctx);
                }
            }
            (VehiclesView::Trips, Action::Up) => self.trip_row = self.trip_row.saturating_sub(1),
            (VehiclesView::Trips, Action::Down) => self.trip_row = (self.trip_row + 1).min(self.trips.len().saturating_sub(1)),
            // A mistyped trip is corrected in place.
            (VehiclesView::Trips, Action::Edit) => {
                if let (Some(id), Some(t)) = (selected, self.trips.get(self.trip_row).cloned()) {
                    self.open_trip_form(id, Some(t), ctx);
                }
            }
            (VehiclesView::List | VehiclesView::Trips, Action::MonthCheck) => {
                if let Some(id) = selected {
                    self.open_check_form(id, ctx);
                }
            }
            (VehiclesView::List | VehiclesView::Trips, Action::Accident) => {
                if let Some(id) = selected {
                    self.open_accident_form(id, ctx);
                }
            }
            (VehiclesView::List, Action::Summary) => {
                self.view = VehiclesView::Month;
                let m = self.month.unwrap_or_else(|| ctx.api.today());
                self.reload_view(m, ctx);
            }
            (VehiclesView::Trips | VehiclesView::Month, Action::NextPeriod | Action::PrevPeriod) => {
                self.shift_month(action == Action::NextPeriod, ctx)
            }
            (VehiclesView::Month, Action::Up) => self.row = self.row.saturating_sub(1),
            (VehiclesView::Month, Action::Down) => self.row = (self.row + 1).min(self.totals.len().saturating_sub(1)),
            (VehiclesView::Month, Action::Export) => {
                let m = self.month.unwrap_or_else(|| ctx.api.today());
                match crate::export::vehicle_month_csv(m, &self.totals, ctx.lang) {
                    Ok(bytes) => crate::ui::pane::write_export(ctx, &format!("vehicles-{}.csv", m.format("%Y-%m")), &bytes),
                    Err(e) => ctx.status.error(fill(T::StatusExportFailed.get(ctx.lang), &[&e.to_string()])),
                }
            }
            (VehiclesView::List, Action::Back) => {
                self.list.filter.clear();
                self.list.only = None;
                self.list.refilter(keeps);
            }
            (_, Action::Back) => self.view = VehiclesView::List,
            _ => {}
        }
        TabRequest::None
    }

    fn selected_vehicle(&self) -> Option<u64> {
        match self.view {
            VehiclesView::Trips => self.history.as_ref().map(|h| h.vehicle.id),
            _ => self.list.selected().map(|r| r.vehicle.id),
        }
    }

    fn open_vehicle_form(&mut self, row: Option<VehicleRow>, ctx: &mut Ctx) {
        if !self.load_staff(ctx) {
            return;
        }
        let lang = ctx.lang;
        let t = |k: T| k.get(lang);
        let title = match &row {
            Some(r) => fill(t(T::VehFormEdit), &[&r.vehicle.draft.plate]),
            None => t(T::VehFormNew).to_string(),
        };
        let mut f = Form::new(
            title,
            vec![
                FieldSpec::text("plate", t(T::VehFieldPlate), limits::fleet::PLATE),
                FieldSpec::text("model", t(T::VehFieldModel), limits::fleet::MODEL),
                FieldSpec::text("seats", t(T::VehFieldSeats), limits::fleet::SEATS),
                FieldSpec::text("odometer", t(T::VehFieldOdometer), limits::fleet::ODOMETER),
                FieldSpec::text("insurance_due", t(T::VehFieldInsurance), limits::DATE).hint(t(T::StaffHintDate)),
                FieldSpec::text("inspection_due", t(T::VehFieldInspection), limits::DATE).hint(t(T::StaffHintDate)),
                FieldSpec::multiline("drivers", t(T::VehFieldDrivers), limits::fleet::DRIVERS, 2).hint(t(T::RoomHintOccupants)),
                FieldSpec::multiline("notes", t(T::FieldNotes), limits::fleet::NOTES, 2),
            ],
        );
        if let Some(r) = &row {
            let d = &r.vehicle.draft;
            f.set_text("plate", &d.plate);
            f.set_text("model", &d.model);
            f.set_text("seats", &d.seats.to_string());
            f.set_text("odometer", &d.odometer.to_string());
            f.set_text("insurance_due", &date_text(d.insurance_due));
            f.set_text("inspection_due", &date_text(d.inspection_due));
            f.set_text("drivers", &r.drivers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("\n"));
            f.set_text("notes", &d.notes);
        }
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(VehicleForm::Vehicle(row.map(|r| (r.vehicle.id, r.vehicle.meta.version))));
    }

    fn driver_choices(&self) -> Vec<(u64, String)> {
        // Permit holders first: they are the ones who may drive.
        let mut v: Vec<&Staff> = self.staff.iter().collect();
        v.sort_by_key(|s| s.draft.permit.number.is_empty());
        v.iter().map(|s| (s.id, s.display())).collect()
    }

    fn open_trip_form(&mut self, vehicle_id: u64, editing: Option<TripRow>, ctx: &mut Ctx) {
        if !self.load_staff(ctx) {
            return;
        }
        let lang = ctx.lang;
        let t = |k: T| k.get(lang);
        let Some(v) = self.list.all.iter().find(|r| r.vehicle.id == vehicle_id).map(|r| r.vehicle.clone()) else { return };
        let mut f = Form::new(
            fill(t(T::TripFormTitle), &[&v.draft.plate]),
            vec![
                FieldSpec::text("date", t(T::GuardColDate), limits::DATE),
                FieldSpec::lookup("driver", t(T::TripFieldDriver), self.driver_choices()),
                FieldSpec::text("purpose", t(T::TripFieldPurpose), limits::fleet::TRIP_PURPOSE),
                FieldSpec::text("start_km", t(T::TripFieldStart), limits::fleet::ODOMETER),
                FieldSpec::text("end_km", t(T::TripFieldEnd), limits::fleet::ODOMETER),
                FieldSpec::text("fuel", t(T::TripFieldFuel), limits::fleet::EXPENSE),
                FieldSpec::text("toll", t(T::TripFieldToll), limits::fleet::EXPENSE),
                FieldSpec::text("parking", t(T::TripFieldParking), limits::fleet::EXPENSE),
                FieldSpec::text("other", t(T::TripFieldOther), limits::fleet::EXPENSE),
                FieldSpec::text("receipts", t(T::TripFieldReceipts), limits::fleet::RECEIPTS),
            ],
        );
        match &editing {
            Some(r) => {
                let d = &r.trip.draft;
                f.title = fill(t(T::TripFormCorrect), &[&v.draft.plate, &d.date.format("%m-%d").to_string()]);
                f.set_text("date", &d.date.format("%Y-%m-%d").to_string());
                f.set_picked("driver", d.driver_id);
                f.set_text("purpose", &d.purpose);
                f.set_text("start_km", &d.start_km.to_string());
                f.set_text("end_km", &d.end_km.to_string());
                let money = |m: Fen| if m.0 == 0 { String::new() } else { m.to_string() };
                f.set_text("fuel", &money(d.fuel));
                f.set_text("toll", &money(d.toll));
                f.set_text("parking", &money(d.parking));
                f.set_text("other", &money(d.other));
                f.set_text("receipts", &d.receipts);
            }
            None => {
                f.set_text("date", &ctx.api.today().format("%Y-%m-%d").to_string());
                // A trip starts where the last one ended.
                f.set_text("start_km", &v.draft.odometer.to_string());
                if let Some(&d) = v.draft.drivers.first() {
                    f.set_picked("driver", d);
                }
                f.focus_on("purpose");
            }
        }
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(VehicleForm::Trip(vehicle_id, editing.map(|r| (r.trip.id, r.trip.meta.version))));
    }

    fn open_check_form(&mut self, vehicle_id: u64, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let t = |k: T| k.get(lang);
        let month = self.month.unwrap_or_else(|| ctx.api.today()).with_day(1).unwrap_or_default();
        if month > ctx.api.today() {
            return ctx.status.error(T::ChkFutureMonth.get(lang));
        }
        // This month's check, if made: to record repairs.
        let existing = match ctx.api.logistics(&LogisticsQuery::Month { month }) {
            Ok(LogisticsData::Month(rows)) => rows.into_iter().find(|r| r.vehicle.id == vehicle_id).and_then(|r| r.check),
            _ => None,
        };
        let plate = self.list.all.iter().find(|r| r.vehicle.id == vehicle_id).map(|r| r.vehicle.draft.plate.clone()).unwrap_or_default();
        let pass = vec![t(T::ChkPass).to_string(), t(T::ChkFail).to_string()];
        let mut specs = vec![FieldSpec::text("inspector", t(T::ChkFieldInspector), limits::fleet::INSPECTOR)];
        // Each item: pass or fail, and a note beside it.
        for (k, item) in CheckItem::ALL.iter().enumerate() {
            specs.push(FieldSpec::choice(item.code(), item_label(*item, lang), pass.clone()));
            specs.push(FieldSpec::text(NOTE_FIELDS[k], t(T::ChkFieldNote), limits::fleet::CHECK_NOTE));
        }
        specs.push(FieldSpec::multiline("defects", t(T::ChkFieldDefects), limits::fleet::DEFECTS, 3).hint(t(T::ChkHintDefects)));
        specs.push(FieldSpec::text("repaired", t(T::ChkFieldRepaired), limits::DATE).hint(t(T::StaffHintDate)));
        let mut f = Form::new(fill(t(T::ChkFormTitle), &[&plate, &month.format("%Y-%m").to_string()]), specs);
        match &existing {
            Some(c) => {
                f.set_text("inspector", &c.draft.inspector);
                for l in &c.draft.lines {
                    f.set_choice(l.item.code(), usize::from(!l.pass));
                    f.set_text(NOTE_FIELDS[l.item.index()], &l.note);
                }
                f.set_text("defects", &c.draft.defects);
                f.set_text("repaired", &date_text(c.draft.repaired));
            }
            None => f.set_text("inspector", ctx.actor),
        }
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(VehicleForm::Check(vehicle_id, existing.map(|c| (c.id, c.meta.version))));
    }

    fn open_accident_form(&mut self, vehicle_id: u64, ctx: &mut Ctx) {
        if !self.load_staff(ctx) {
            return;
        }
        let lang = ctx.lang;
        let t = |k: T| k.get(lang);
        let plate = self.list.all.iter().find(|r| r.vehicle.id == vehicle_id).map(|r| r.vehicle.draft.plate.clone()).unwrap_or_default();
        let mut f = Form::new(
            fill(t(T::AccFormTitle), &[&plate]),
            vec![
                FieldSpec::text("at", t(T::AccFieldAt), limits::DATE_TIME).hint(t(T::CHintDateTime)),
                FieldSpec::lookup("driver", t(T::TripFieldDriver), self.driver_choices()),
                FieldSpec::text("place", t(T::AccFieldPlace), limits::fleet::PLACE),
                FieldSpec::multiline("description", t(T::AccFieldDescription), limits::fleet::DESCRIPTION, 3),
                FieldSpec::text("injuries", t(T::AccFieldInjuries), limits::fleet::INJURIES),
                FieldSpec::text("reported_at", t(T::AccFieldReported), limits::DATE_TIME).hint(t(T::AccHintReported)),
            ],
        );
        let now = ctx.api.local_now().format("%Y-%m-%d %H:%M").to_string();
        f.set_text("at", &now);
        f.set_text("reported_at", &now);
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(VehicleForm::Accident(vehicle_id));
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        self.list.filter_key(key, action, keeps)
    }

    /// Only these vehicles (a pile from the Overview), until Esc.
    pub fn show_only(&mut self, label: String, ids: std::collections::BTreeSet<u64>) {
        self.view = VehiclesView::List;
        self.form = None;
        self.list.show_only(label, ids);
    }

    /// The open form, as a draft's target (a trip correction is not kept:
    /// it is reopened from its month's list, which a draft does not hold).
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let form = self.form.as_ref()?;
        let target = match self.form_for.as_ref()? {
            VehicleForm::Vehicle(Some((id, version))) => Target::EditVehicle { id: *id, version: *version },
            VehicleForm::Vehicle(None) => Target::NewVehicle,
            VehicleForm::Trip(vehicle_id, None) => Target::Trip { vehicle_id: *vehicle_id, editing: None },
            VehicleForm::Trip(_, Some(_)) => return None,
            VehicleForm::Check(vehicle_id, editing) => {
                Target::VehicleCheck { vehicle_id: *vehicle_id, month: self.month?, editing: *editing }
            }
            VehicleForm::Accident(vehicle_id) => Target::Accident { vehicle_id: *vehicle_id },
        };
        Some((target, form))
    }

    /// Open a draft's form again from the vehicle as it is now, keeping the
    /// version the draft started from (a change since shows as a conflict).
    pub fn reopen(&mut self, target: &Target, ctx: &mut Ctx) -> bool {
        self.form = None;
        self.view = VehiclesView::List;
        self.list.show_all();
        if let Target::VehicleCheck { month, .. } = target {
            self.month = Some(*month);
        }
        self.prepare(ctx);
        let vehicle = match *target {
            Target::EditVehicle { id, .. } => Some(id),
            Target::Trip { vehicle_id, .. } | Target::VehicleCheck { vehicle_id, .. } | Target::Accident { vehicle_id } => Some(vehicle_id),
            _ => None,
        };
        let row = vehicle.and_then(|id| self.list.all.iter().find(|r| r.vehicle.id == id).cloned());
        if vehicle.is_some() && row.is_none() {
            ctx.status.error(T::DraftRecordGone.get(ctx.lang));
            return false;
        }
        match *target {
            Target::NewVehicle => self.open_vehicle_form(None, ctx),
            Target::EditVehicle { .. } => self.open_vehicle_form(row, ctx),
            Target::Trip { vehicle_id, .. } => self.open_trip_form(vehicle_id, None, ctx),
            Target::VehicleCheck { vehicle_id, .. } => self.open_check_form(vehicle_id, ctx),
            Target::Accident { vehicle_id } => self.open_accident_form(vehicle_id, ctx),
            _ => return false,
        }
        let (Some(form), Some(then)) = (self.form.as_mut(), target.edited()) else { return self.form.is_some() };
        if let Some(VehicleForm::Vehicle(Some(now)) | VehicleForm::Check(_, Some(now))) = self.form_for.as_mut() {
            crate::ui::drafts::edit_from(form, &mut now.1, then.1, ctx.lang);
        }
        true
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.is_dirty())
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
                let mut errors: Vec<(String, String)> = Vec::new();
                let mut bad = |id: &str, why: Invalid| errors.push((id.to_string(), invalid_text(&why, lang)));
                // A whole number within its range; the odometer may be left empty (0).
                let num = |text: String, bad: &mut dyn FnMut(&str, Invalid), id: &str| -> u32 {
                    let (min, max) = if id == "seats" { (1, 60) } else { (0, 9_999_999) };
                    if id == "odometer" && text.trim().is_empty() {
                        return 0;
                    }
                    text.trim().parse::<u32>().ok().filter(|n| (min..=max).contains(n)).unwrap_or_else(|| {
                        bad(id, Invalid::Range { min: min as i64, max: max as i64 });
                        0
                    })
                };
                let money = |text: String, bad: &mut dyn FnMut(&str, Invalid), id: &str| -> Fen {
                    if text.trim().is_empty() {
                        return Fen(0);
                    }
                    Fen::parse_yuan(&text).unwrap_or_else(|| {
                        bad(id, Invalid::Money);
                        Fen(0)
                    })
                };
                let date = |text: String, bad: &mut dyn FnMut(&str, Invalid), id: &str| -> Option<NaiveDate> {
                    if text.trim().is_empty() {
                        return None;
                    }
                    let d = crate::domain::validate::parse_date(&text);
                    if d.is_none() {
                        bad(id, Invalid::Date);
                    }
                    d
                };
                let people = |text: String, staff: &[Staff], bad: &mut dyn FnMut(&str, Invalid)| -> Vec<u64> {
                    let mut out = Vec::new();
                    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                        let first = line.split_whitespace().next().unwrap_or(line).to_uppercase();
                        match staff.iter().find(|s| s.number == first || s.draft.name == line) {
                            Some(s) => out.push(s.id),
                            None => bad("drivers", Invalid::UnknownPerson(line.to_string())),
                        }
                    }
                    out
                };
                let cmd = match &self.form_for {
                    Some(VehicleForm::Vehicle(editing)) => {
                        let draft = VehicleDraft {
                            plate: form.text("plate"),
                            model: form.text("model"),
                            seats: num(form.text("seats"), &mut bad, "seats").min(255) as u8,
                            odometer: num(form.text("odometer"), &mut bad, "odometer"),
                            insurance_due: date(form.text("insurance_due"), &mut bad, "insurance_due"),
                            inspection_due: date(form.text("inspection_due"), &mut bad, "inspection_due"),
                            drivers: people(form.text("drivers"), &self.staff, &mut bad),
                            notes: form.text("notes"),
                        };
                        let (id, version) = editing.map_or((None, 0), |(i, v)| (Some(i), v));
                        LogisticsCommand::SaveVehicle { id, version, draft }
                    }
                    Some(VehicleForm::Trip(vehicle_id, editing)) => {
                        let driver_id = form.picked("driver").unwrap_or_else(|| {
                            bad("driver", Invalid::NotPicked);
                            0
                        });
                        let draft = TripDraft {
                            vehicle_id: *vehicle_id,
                            date: date(form.text("date"), &mut bad, "date").unwrap_or_default(),
                            driver_id,
                            purpose: form.text("purpose"),
                            start_km: num(form.text("start_km"), &mut bad, "start_km"),
                            end_km: num(form.text("end_km"), &mut bad, "end_km"),
                            fuel: money(form.text("fuel"), &mut bad, "fuel"),
                            toll: money(form.text("toll"), &mut bad, "toll"),
                            parking: money(form.text("parking"), &mut bad, "parking"),
                            other: money(form.text("other"), &mut bad, "other"),
                            receipts: form.text("receipts"),
                        };
                        match editing {
                            Some((id, version)) => LogisticsCommand::CorrectTrip { id: *id, version: *version, draft },
                            None => LogisticsCommand::AddTrip { draft },
                        }
                    }
                    Some(VehicleForm::Check(vehicle_id, editing)) => {
                        let lines = CheckItem::ALL
                            .iter()
                            .enumerate()
                            .map(|(k, i)| CheckLine { item: *i, pass: form.choice(i.code()) == 0, note: form.text(NOTE_FIELDS[k]) })
                            .collect();
                        let draft = VehicleCheckDraft {
                            vehicle_id: *vehicle_id,
                            month: self.month.unwrap_or_else(|| ctx.api.today()),
                            inspector: form.text("inspector"),
                            lines,
                            defects: form.text("defects"),
                            repaired: date(form.text("repaired"), &mut bad, "repaired"),
                        };
                        let (id, version) = editing.map_or((None, 0), |(i, v)| (Some(i), v));
                        LogisticsCommand::SaveCheck { id, version, draft }
                    }
                    Some(VehicleForm::Accident(vehicle_id)) => {
                        let at = parse_datetime(&form.text("at")).unwrap_or_else(|| {
                            bad("at", Invalid::DateTime);
                            Default::default()
                        });
                        let reported = form.text("reported_at");
                        let reported_at = if reported.trim().is_empty() {
                            None
                        } else {
                            let r = parse_datetime(&reported);
                            if r.is_none() {
                                bad("reported_at", Invalid::DateTime);
                            }
                            r
                        };
                        let driver_id = form.picked("driver").unwrap_or_else(|| {
                            bad("driver", Invalid::NotPicked);
                            0
                        });
                        let draft = AccidentDraft {
                            vehicle_id: *vehicle_id,
                            driver_id,
                            at,
                            place: form.text("place"),
                            description: form.text("description"),
                            injuries: form.text("injuries"),
                            reported_at,
                        };
                        LogisticsCommand::ReportAccident { draft }
                    }
                    None => return TabRequest::None,
                };
                if !errors.is_empty() {
                    // Every problem at once: what did not parse, and the rules on the rest.
                    let rules = match &cmd {
                        LogisticsCommand::SaveVehicle { draft, .. } => draft.clone().cleaned().validate(),
                        LogisticsCommand::AddTrip { draft } | LogisticsCommand::CorrectTrip { draft, .. } => {
                            draft.clone().cleaned().validate()
                        }
                        LogisticsCommand::SaveCheck { draft, .. } => draft.clone().cleaned().validate(),
                        LogisticsCommand::ReportAccident { draft } => draft.clone().cleaned().validate(ctx.api.local_now()),
                        _ => vec![],
                    };
                    let marked: Vec<String> = errors.iter().map(|e| e.0.clone()).collect();
                    errors.extend(field_messages(&rules, lang).into_iter().filter(|e| !marked.contains(&e.0)));
                    ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                    form.set_errors(errors);
                    return TabRequest::None;
                }
                match ctx.api.logistics_do(ctx.actor, cmd) {
                    Ok(data) => {
                        let msg = match &data {
                            LogisticsData::Trip(t) if matches!(self.form_for, Some(VehicleForm::Trip(_, Some(_)))) => {
                                fill(T::StatusSaved.get(lang), &[&form.title])
                            }
                            LogisticsData::Trip(t) => match t.continuity {
                                Continuity::Continues => fill(T::TripSaved.get(lang), &[&t.draft.distance().to_string()]),
                                Continuity::Gap(km) => fill(T::TripSavedGap.get(lang), &[&km.to_string()]),
                                Continuity::Overlap(km) => fill(T::TripSavedOverlap.get(lang), &[&km.to_string()]),
                            },
                            LogisticsData::Vehicle(v) => fill(T::StatusSaved.get(lang), &[&v.draft.plate]),
                            _ => fill(T::StatusSaved.get(lang), &[&form.title]),
                        };
                        ctx.status.ok(msg);
                        if let LogisticsData::Vehicle(v) = &data {
                            self.list.select = Some(v.id);
                        }
                        self.form = None;
                        self.list.stale = true;
                    }
                    Err(crate::service::ServiceError::Invalid(errors)) => {
                        ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                        form.set_errors(field_messages(&errors, lang));
                    }
                    // A rule across records is marked on its field too.
                    Err(crate::service::ServiceError::Logistics(r)) => {
                        use crate::service::logistics::LogisticsRefused as L;
                        let text = crate::ui::messages::logistics_refusal(&r, lang);
                        let field = match (&r, &self.form_for) {
                            (L::PlateTaken, _) => "plate",
                            (L::Driver { .. }, Some(VehicleForm::Vehicle(_))) => "drivers",
                            (L::Driver { .. }, _) => "driver",
                            _ => "",
                        };
                        ctx.status.error(text.clone());
                        form.set_errors(vec![(field.to_string(), text)]);
                    }
                    // The form stays open with what was typed.
                    Err(e) => ctx.status.error(service_error(&e, lang)),
                }
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    pub fn render(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
        if let Some(why) = &self.list.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        match self.view {
            VehiclesView::List => self.render_list(buf, area, theme, lang, today),
            VehiclesView::Trips => self.render_trips(buf, area, theme, lang),
            VehiclesView::Month => self.render_month(buf, area, theme, lang),
        }
    }

    fn render_list(&mut self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
        let due = self.list.all.iter().filter(|r| r.vehicle.needs_attention(today)).count();
        let mut head = fill(T::VehHeader.get(lang), &[&self.list.all.len().to_string(), &due.to_string()]);
        if let Some(note) = self.list.filter_note() {
            head.push_str(&note);
        }
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), if due > 0 { theme.focus() } else { theme.title() });
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![
            c(T::VehFieldPlate, 10, 9),
            c(T::VehFieldModel, 12, 6),
            c(T::VehColSeats, 4, 3),
            c(T::VehColKm, 8, 5),
            c(T::VehFieldInsurance, crate::i18n::dates::width() + 8, 8),
            c(T::VehFieldInspection, crate::i18n::dates::width() + 8, 8),
            c(T::VehFieldDrivers, 0, 4),
        ];
        let h = area.height.saturating_sub(2) as usize;
        let rows: Vec<Vec<Cell>> = self
            .list
            .visible(h)
            .map(|r| {
                let d = &r.vehicle.draft;
                let names: Vec<&str> = r.drivers.iter().map(|(_, n)| n.split_once(' ').map_or(n.as_str(), |x| x.1)).collect();
                vec![
                    Cell::new(&d.plate),
                    Cell::new(&d.model),
                    Cell::new(d.seats.to_string()),
                    Cell::new(d.odometer.to_string()),
                    due_cell(d.insurance_due, today, theme, lang),
                    due_cell(d.inspection_due, today, theme, lang),
                    Cell::new(names.join("、")),
                ]
            })
            .collect();
        if self.list.shown.is_empty() {
            let msg = if self.list.all.is_empty() { T::VehEmpty } else { T::StaffNoMatch };
            buf.set_string(area.x, area.y + 2, truncate(msg.get(lang), area.width as usize), theme.dim());
        }
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: self.list.nav.top, selected: Some(self.list.nav.selected) };
        table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
    }

    fn render_trips(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        let Some(h) = &self.history else { return };
        let month = self.month.unwrap_or_default();
        let mut totals = crate::domain::fleet::VehicleMonth::default();
        for t in &self.trips {
            totals.add(&t.trip.draft);
        }
        let head = fill(
            T::TripHeader.get(lang),
            &[
                &h.vehicle.draft.plate,
                &month.format("%Y-%m").to_string(),
                &totals.trips.to_string(),
                &totals.distance.to_string(),
                &totals.cost.to_string(),
            ],
        );
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), theme.title());
        let lower = (area.height / 3).max(4);
        let list = Rect { y: area.y + 1, height: area.height.saturating_sub(1 + lower), ..area };
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![
            c(T::GuardColDate, 10, 9),
            c(T::TripFieldDriver, 12, 7),
            c(T::TripFieldPurpose, 0, 8),
            c(T::TripColKm, 15, 9),
            c(T::TripColCost, 9, 6),
            c(T::TripColReview, 16, 5),
        ];
        let rows: Vec<Vec<Cell>> = self
            .trips
            .iter()
            .map(|r| {
                let d = &r.trip.draft;
                let review = match r.trip.continuity {
                    Continuity::Continues => Cell::new(""),
                    Continuity::Gap(km) => Cell::styled(fill(T::TripGap.get(lang), &[&km.to_string()]), theme.alert()),
                    Continuity::Overlap(km) => Cell::styled(fill(T::TripOverlap.get(lang), &[&km.to_string()]), theme.alert()),
                };
                vec![
                    Cell::new(d.date.format("%m-%d").to_string()),
                    Cell::new(r.driver.split_once(' ').map_or(r.driver.as_str(), |x| x.1)),
                    Cell::new(&d.purpose),
                    Cell::new(format!("{}→{}", d.start_km, d.end_km)),
                    Cell::new(d.cost().to_string()),
                    review,
                ]
            })
            .collect();
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: 0, selected: Some(self.trip_row) };
        table::render(buf, list, theme, &view);
        if self.trips.is_empty() {
            buf.set_string(area.x, list.y + 1, truncate(T::TripNone.get(lang), area.width as usize), theme.dim());
        }
        let mut lines = vec![Line::styled(format!("── {}", T::VehHistory.get(lang)), theme.header())];
        // This month's check and accidents (the history of the month shown).
        let in_month = |d: NaiveDate| d.year() == month.year() && d.month() == month.month();
        for c in h.checks.iter().filter(|c| in_month(c.draft.month)) {
            let state = if c.draft.passed() { T::ChkPass } else { T::ChkFail };
            let repaired = c.draft.repaired.map(|r| fill(T::ChkRepairedOn.get(lang), &[&r.to_string()])).unwrap_or_default();
            lines.push(Line::from(safe(&format!(
                "  {} {} {} {} {repaired}",
                c.draft.month.format("%Y-%m"),
                state.get(lang),
                c.draft.inspector,
                c.draft.defects
            ))));
        }
        if h.checks.iter().all(|c| !in_month(c.draft.month)) {
            lines.push(Line::styled(format!("  {}", T::VehNoCheck.get(lang)), theme.alert()));
        }
        for a in h.accidents.iter().filter(|a| in_month(a.draft.at.date())) {
            let reported = a.draft.reported_at.map(|r| r.format("%m-%d %H:%M").to_string()).unwrap_or_else(|| "—".into());
            lines.push(Line::styled(
                safe(&format!(
                    "  ⚠ {} {} {} · {} {reported}",
                    crate::i18n::dates::show_time(a.draft.at),
                    a.draft.place,
                    a.draft.description,
                    T::AccReported.get(lang)
                )),
                theme.alert(),
            ));
        }
        Paragraph::new(lines).render(Rect { y: list.y + list.height, height: lower, ..area }, buf);
    }

    fn render_month(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        let month = self.month.unwrap_or_default();
        let missing = self.totals.iter().filter(|r| r.check.is_none()).count();
        let head = fill(T::VehMonthHeader.get(lang), &[&month.format("%Y-%m").to_string(), &missing.to_string()]);
        buf.set_string(area.x, area.y, truncate(&head, area.width as usize), if missing > 0 { theme.focus() } else { theme.title() });
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
        let cols = vec![
            c(T::VehFieldPlate, 10, 9),
            c(T::VehMonthTrips, 6, 6),
            c(T::VehMonthKm, 8, 9),
            c(T::VehMonthCost, 10, 9),
            c(T::VehMonthPerKm, 9, 8),
            c(T::VehMonthCheck, 0, 7),
        ];
        let rows: Vec<Vec<Cell>> = self
            .totals
            .iter()
            .map(|r| {
                let t = &r.totals;
                let check = match &r.check {
                    Some(c) if c.draft.passed() => Cell::styled(T::ChkPass.get(lang), theme.ok()),
                    Some(c) => Cell::styled(fill(T::ChkFailedWith.get(lang), &[&c.draft.defects]), theme.alert()),
                    None => Cell::styled(T::VehNoCheck.get(lang), theme.alert()),
                };
                vec![
                    Cell::new(&r.vehicle.draft.plate),
                    Cell::new(t.trips.to_string()),
                    Cell::new(t.distance.to_string()),
                    Cell::new(t.cost.to_string()),
                    Cell::new(t.per_km().map(|f| f.to_string()).unwrap_or_else(|| "—".into())),
                    check,
                ]
            })
            .collect();
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: 0, selected: Some(self.row) };
        table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
    }
}
