//! The Rosters tab: the week grid where shifts are planned, and the views
//! it opens: a post's screen (guard-post mode), a day's attendance audit,
//! one guard's month, the monthly summary and shift swaps.

mod grid;
mod views;

use crate::domain::limits;
use crate::domain::{Attendance, Choice};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::duty::{self, DutyCommand, DutyData, GuardMonth, MonthSummary, PostScreen, RosterWeek, SwapRow};
use crate::ui::drafts::Target;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{duty_refusal, field_messages, service_error};
use crate::ui::pane::{form_outcome, Ctx, FormOutcome, TabRequest};
use crate::ui::widgets::form::{FieldSpec, Form};
use crate::ui::widgets::picker::{Entry, Picker, PickerEvent};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use crossterm::event::KeyEvent;

pub use grid::render_grid;
pub use views::render_view;

/// What the tab shows over the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Grid,
    Post,
    Day,
    Guard,
    Summary,
    Swaps,
    /// What copy-week could not copy, one line each.
    Report,
}

/// What a picker open over the grid chooses for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PickFor {
    /// Guards of a cell: (post, date, shift).
    Cell(u64, NaiveDate, u16),
    /// Whose month to show.
    Guard,
    /// Who in the cell asks to swap: (post, date, shift).
    SwapOut(u64, NaiveDate, u16),
    /// Which of its posts a post operator works now.
    Post,
}

/// What an open form saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormFor {
    Handover(u64, NaiveDate, u16),
    Patrol(u64, NaiveDate),
    /// A correction of one guard's attendance on a shift.
    Correct(u64, NaiveDate, u16, u64),
    /// A swap asked for by the guard on (post, date, shift, staff).
    Swap(u64, NaiveDate, u16, u64),
}

pub struct RostersTab {
    pub view: View,
    pub monday: Option<NaiveDate>,
    pub week: Option<RosterWeek>,
    /// Selected grid row and day (0 = Monday).
    pub row: usize,
    pub col: usize,
    pub top: usize,
    pub stale: bool,
    pub refused: Option<String>,
    picker: Option<(Picker, PickFor)>,
    pub form: Option<Form>,
    form_for: Option<FormFor>,
    /// The post screen, the shift chosen on it and the guard selected.
    pub post: Option<PostScreen>,
    pub post_slot: Option<usize>,
    pub post_guard: usize,
    /// A post operator's screen is its home: Esc does not leave it (with
    /// several posts, Esc offers the others).
    pub post_mode: bool,
    /// The posts a post operator works: (id, label), and the pick list's
    /// title and hint in the operator's language.
    pub my_posts: Vec<(u64, String)>,
    pub my_posts_text: (String, String),
    pub day: Option<duty::DayView>,
    pub day_date: Option<NaiveDate>,
    pub day_row: usize,
    pub guard: Option<GuardMonth>,
    pub guard_scroll: usize,
    pub summary: Option<MonthSummary>,
    pub summary_row: usize,
    pub swaps: Vec<SwapRow>,
    pub swap_row: usize,
    pub report: Vec<String>,
    pub report_scroll: usize,
    /// The view to go back to from this one (when not the grid).
    back_to: Option<View>,
    /// What the open handover or correction form started from, so a save
    /// never overwrites someone else's in between unseen.
    was_note: Option<String>,
    was_duty: Option<crate::domain::Duty>,
    /// A check-out waiting for its "yes, this early".
    pending_check_out: Option<(u64, NaiveDate, u16, u64)>,
    /// Esc went back to the grid: the app returns to the tab the view was
    /// opened from, if any.
    pub left: bool,
    /// Rows of the grid that fit on screen (set while drawing).
    pub height: usize,
}

impl Default for RostersTab {
    fn default() -> Self {
        RostersTab {
            view: View::Grid,
            monday: None,
            week: None,
            row: 0,
            col: 0,
            top: 0,
            stale: true,
            refused: None,
            picker: None,
            form: None,
            form_for: None,
            post: None,
            post_slot: None,
            post_guard: 0,
            post_mode: false,
            my_posts: vec![],
            my_posts_text: Default::default(),
            day: None,
            day_date: None,
            day_row: 0,
            guard: None,
            guard_scroll: 0,
            summary: None,
            summary_row: 0,
            swaps: vec![],
            swap_row: 0,
            report: vec![],
            report_scroll: 0,
            back_to: None,
            was_note: None,
            was_duty: None,
            pending_check_out: None,
            left: false,
            height: 10,
        }
    }
}

impl RostersTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.picker.is_some() {
            Context::Picker
        } else {
            match self.view {
                View::Grid => Context::RosterGrid,
                View::Post => Context::PostScreen,
                View::Day => Context::DayAudit,
                View::Guard => Context::GuardMonth,
                View::Summary => Context::Summary,
                View::Swaps => Context::Swaps,
                View::Report => Context::Report,
            }
        }
    }

    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref().map(|p| &p.0)
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.form.as_mut() {
            f.paste(text);
        } else if let Some((p, _)) = self.picker.as_mut() {
            p.paste(text);
        }
    }

    /// Read what the current view shows, when something changed.
    pub fn prepare(&mut self, ctx: &mut Ctx) {
        if !self.stale {
            return;
        }
        self.stale = false;
        let today = ctx.api.today();
        let result = match self.view {
            View::Grid => {
                let monday = *self.monday.get_or_insert_with(|| {
                    self.col = today.weekday().num_days_from_monday() as usize;
                    duty::monday_of(today)
                });
                duty::week(ctx.api, monday).map(|w| {
                    self.week = Some(w);
                    self.clamp();
                })
            }
            View::Post => match self.post.as_ref().map(|p| p.post.id) {
                Some(id) => duty::post_screen(ctx.api, id, ctx.api.local_now()).map(|p| {
                    if self.post_slot.is_none_or(|i| i >= p.slots.len()) {
                        self.post_slot = p.current;
                    }
                    self.post = Some(p);
                }),
                // A post operator with no post keeps the sentence saying so.
                None if self.post_mode => return,
                None => Ok(()),
            },
            View::Day => {
                let date = *self.day_date.get_or_insert(today);
                duty::day(ctx.api, date).map(|d| {
                    self.day_row = self.day_row.min(views::day_rows(&d).len().saturating_sub(1));
                    self.day = Some(d);
                })
            }
            View::Guard => match self.guard.as_ref().map(|g| (g.staff.id, g.first)) {
                Some((id, first)) => duty::guard_month(ctx.api, id, first).map(|g| self.guard = Some(g)),
                None => Ok(()),
            },
            View::Summary => {
                let month = self.summary.as_ref().map(|s| s.first).unwrap_or(today);
                duty::summary(ctx.api, month).map(|s| {
                    self.summary_row = self.summary_row.min(s.rows.len().saturating_sub(1));
                    self.summary = Some(s);
                })
            }
            View::Swaps => duty::swaps(ctx.api).map(|s| {
                self.swap_row = self.swap_row.min(s.len().saturating_sub(1));
                self.swaps = s;
            }),
            View::Report => Ok(()),
        };
        match result {
            Ok(()) => self.refused = None,
            Err(e) => self.refused = Some(service_error(&e, ctx.lang)),
        }
    }

    fn clamp(&mut self) {
        let n = self.week.as_ref().map_or(0, |w| w.rows.len());
        self.row = self.row.min(n.saturating_sub(1));
        self.col = self.col.min(6);
    }

    fn selected_cell(&self) -> Option<(u64, NaiveDate, u16)> {
        let w = self.week.as_ref()?;
        let r = w.rows.get(self.row)?;
        Some((r.post_id, w.monday + Days::new(self.col as u64), r.shift.key))
    }

    fn move_week(&mut self, weeks: i64) {
        if let Some(m) = self.monday {
            self.monday = Some(if weeks >= 0 { m + Days::new(7 * weeks as u64) } else { m - Days::new(7 * (-weeks) as u64) });
            self.stale = true;
        }
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        match action {
            Action::Help => return TabRequest::Help(self.context()),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        match self.view {
            View::Grid => self.grid_action(action, ctx),
            View::Post => self.post_action(action, ctx),
            View::Day => self.day_action(action, ctx),
            View::Guard => {
                match action {
                    Action::Up => self.guard_scroll = self.guard_scroll.saturating_sub(1),
                    Action::Down => {
                        let n = self.guard.as_ref().map_or(0, |g| g.shifts.len());
                        self.guard_scroll = (self.guard_scroll + 1).min(n.saturating_sub(1));
                    }
                    Action::NextPeriod | Action::PrevPeriod => {
                        if let Some(g) = self.guard.as_mut() {
                            g.first = shift_month(g.first, action == Action::NextPeriod);
                            self.stale = true;
                        }
                    }
                    Action::Back => self.back(),
                    _ => {}
                }
                TabRequest::None
            }
            View::Summary => self.summary_action(action, ctx),
            View::Swaps => self.swaps_action(action, ctx),
            View::Report => {
                match action {
                    Action::Up => self.report_scroll = self.report_scroll.saturating_sub(1),
                    Action::Down => self.report_scroll = (self.report_scroll + 1).min(self.report.len().saturating_sub(1)),
                    Action::Back => self.back(),
                    _ => {}
                }
                TabRequest::None
            }
        }
    }

    /// Esc: back where the view was opened from (another view, or another
    /// tab when `left` is then taken by the app), else the grid.
    fn back(&mut self) {
        if self.view == View::Post && self.post_mode {
            if self.my_posts.len() > 1 {
                let entries = self
                    .my_posts
                    .iter()
                    .map(|(id, label)| Entry { id: *id, label: label.clone(), note: String::new(), on: false, blocked: false })
                    .collect();
                let (title, hint) = self.my_posts_text.clone();
                self.picker = Some((Picker::new(title, entries, hint, String::new()), PickFor::Post));
            }
            return;
        }
        self.view = self.back_to.take().unwrap_or_else(|| {
            self.left = true;
            View::Grid
        });
        self.stale = true;
    }

    fn grid_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let n = self.week.as_ref().map_or(0, |w| w.rows.len());
        match action {
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = (self.row + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.row = self.row.saturating_sub(self.height.max(1)),
            Action::PageDown => self.row = (self.row + self.height.max(1)).min(n.saturating_sub(1)),
            Action::PrevDay => {
                if self.col == 0 {
                    self.col = 6;
                    self.move_week(-1);
                } else {
                    self.col -= 1;
                }
            }
            Action::NextDay => {
                if self.col == 6 {
                    self.col = 0;
                    self.move_week(1);
                } else {
                    self.col += 1;
                }
            }
            Action::NextPeriod => self.move_week(1),
            Action::PrevPeriod => self.move_week(-1),
            Action::Today => {
                let today = ctx.api.today();
                self.monday = Some(duty::monday_of(today));
                self.col = today.weekday().num_days_from_monday() as usize;
                self.stale = true;
            }
            Action::Open => self.open_cell_picker(ctx),
            Action::CopyWeek => {
                if let Some(m) = self.monday {
                    let q = fill(T::RosterCopyConfirm.get(ctx.lang), &[&lang_week_label(m, ctx.lang)]);
                    return TabRequest::Confirm(q, crate::ui::pane::Pending::CopyWeek);
                }
            }
            Action::PostView => {
                if let Some((post_id, _, _)) = self.selected_cell() {
                    self.open_post(post_id, ctx);
                }
            }
            Action::DayAudit => {
                if let Some((_, date, _)) = self.selected_cell() {
                    self.day_date = Some(date);
                    self.day_row = 0;
                    self.view = View::Day;
                    self.stale = true;
                }
            }
            Action::GuardView => self.open_guard_picker(ctx),
            Action::Summary => {
                let month = self.selected_cell().map(|c| c.1).unwrap_or_else(|| ctx.api.today());
                self.summary = Some(MonthSummary { first: duty::month_bounds(month).0, rows: vec![] });
                self.view = View::Summary;
                self.stale = true;
            }
            Action::Swaps => {
                self.view = View::Swaps;
                self.stale = true;
            }
            Action::RequestSwap => self.start_swap(ctx),
            _ => {}
        }
        TabRequest::None
    }

    pub fn open_post(&mut self, post_id: u64, ctx: &mut Ctx) {
        match duty::post_screen(ctx.api, post_id, ctx.api.local_now()) {
            Ok(p) => {
                self.post_slot = p.current;
                self.post_guard = 0;
                self.post = Some(p);
                self.view = View::Post;
            }
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    fn open_cell_picker(&mut self, ctx: &mut Ctx) {
        let Some((post_id, date, key)) = self.selected_cell() else { return };
        let lang = ctx.lang;
        match duty::eligible(ctx.api, post_id, date, key) {
            Ok(c) => {
                let note = |n: u32| fill(T::RosterWeekShifts.get(lang), &[&n.to_string()]);
                let entry = |x: &duty::Candidate, on, blocked| Entry {
                    id: x.staff_id,
                    label: x.label.clone(),
                    note: note(x.week_shifts),
                    on,
                    blocked,
                };
                let mut entries: Vec<Entry> = c.assigned.iter().map(|x| entry(x, true, false)).collect();
                entries.extend(c.eligible.iter().map(|x| entry(x, false, false)));
                // The rest of the brigade, with the rule that keeps each off.
                entries.extend(
                    c.blocked
                        .iter()
                        .map(|(x, why)| Entry { note: crate::ui::messages::duty_rule_name(why, lang), ..entry(x, false, true) }),
                );
                let row = self.week.as_ref().and_then(|w| w.rows.get(self.row));
                let title = row
                    .map(|r| {
                        format!("{} {} · {} {}", r.post, r.shift.name, date.format("%m-%d"), crate::i18n::weekday(date.weekday(), lang))
                    })
                    .unwrap_or_default();
                let mut picker = Picker::new(title, entries, T::RosterPickHint.get(lang).into(), T::RosterPickNone.get(lang).into());
                picker.no_match = T::RosterPickNoMatch.get(lang).into();
                self.picker = Some((picker, PickFor::Cell(post_id, date, key)));
            }
            Err(e) => ctx.status.error(service_error(&e, lang)),
        }
    }

    fn open_guard_picker(&mut self, ctx: &mut Ctx) {
        match duty::staff(ctx.api) {
            Ok(staff) => {
                // The guards of the selected cell come first.
                let in_cell: Vec<u64> =
                    self.week.as_ref().and_then(|w| w.rows.get(self.row)).map(|r| r.days[self.col].clone()).unwrap_or_default();
                let mut entries: Vec<Entry> = staff
                    .iter()
                    .filter(|s| s.draft.brigade != crate::domain::Brigade::Office)
                    .map(|s| Entry {
                        id: s.id,
                        label: s.display(),
                        note: s.draft.brigade.label(ctx.lang).into(),
                        on: in_cell.contains(&s.id),
                        blocked: false,
                    })
                    .collect();
                entries.sort_by_key(|e| !e.on);
                let picker = Picker::new(
                    T::RosterPickGuardTitle.get(ctx.lang).into(),
                    entries,
                    T::RosterPickGuardHint.get(ctx.lang).into(),
                    T::RosterPickNone.get(ctx.lang).into(),
                );
                let mut picker = picker;
                picker.no_match = T::RosterPickNoMatch.get(ctx.lang).into();
                self.picker = Some((picker, PickFor::Guard));
            }
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    /// A swap starts from a guard on the selected cell.
    fn start_swap(&mut self, ctx: &mut Ctx) {
        let Some((post_id, date, key)) = self.selected_cell() else { return };
        let Some(w) = self.week.as_ref() else { return };
        // Said now, not after the form is filled in.
        if let Some(r) = w.rows.get(self.row) {
            if r.shift.window(date).0 <= ctx.api.local_now() {
                let why = crate::domain::DutyRefused::SwapStarted { date, shift: r.shift.name.clone() };
                return ctx.status.error(duty_refusal(&why, ctx.lang));
            }
        }
        let guards = w.rows.get(self.row).map(|r| r.days[self.col].clone()).unwrap_or_default();
        let lang = ctx.lang;
        match guards.as_slice() {
            [] => ctx.status.error(T::PostNoGuard.get(lang)),
            [one] => self.open_swap_form(post_id, date, key, *one, ctx),
            many => {
                let entries = many
                    .iter()
                    .map(|g| Entry {
                        id: *g,
                        label: w.names.get(g).cloned().unwrap_or_default(),
                        note: String::new(),
                        on: false,
                        blocked: false,
                    })
                    .collect();
                let p = Picker::new(T::SwapWhoTitle.get(lang).into(), entries, T::PickOneHint.get(lang).into(), String::new());
                self.picker = Some((p, PickFor::SwapOut(post_id, date, key)));
            }
        }
    }

    fn open_swap_form(&mut self, post_id: u64, date: NaiveDate, key: u16, staff_id: u64, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let staff = match duty::staff(ctx.api) {
            Ok(s) => s,
            Err(e) => return ctx.status.error(service_error(&e, lang)),
        };
        let brigade = staff.iter().find(|s| s.id == staff_id).map(|s| s.draft.brigade);
        let who = staff.iter().find(|s| s.id == staff_id).map(|s| s.display()).unwrap_or_default();
        let others: Vec<(u64, String)> =
            staff.iter().filter(|s| Some(s.draft.brigade) == brigade && s.id != staff_id).map(|s| (s.id, s.display())).collect();
        let title = fill(T::SwapFormTitle.get(lang), &[&who, &date.format("%m-%d").to_string()]);
        let mut f = Form::new(
            title,
            vec![
                FieldSpec::lookup("with", T::SwapFieldWith.get(lang), others),
                FieldSpec::text("date", T::SwapFieldDate.get(lang), limits::DATE).hint(T::SwapHintDate.get(lang)),
                FieldSpec::text("reason", T::AuditReason.get(lang), limits::duty::SWAP_REASON),
            ],
        );
        f.set_text("date", &date.format("%Y-%m-%d").to_string());
        f.mark_clean();
        self.form = Some(f);
        self.form_for = Some(FormFor::Swap(post_id, date, key, staff_id));
    }

    pub fn open_guard(&mut self, staff_id: u64, month: NaiveDate, ctx: &mut Ctx) {
        match duty::guard_month(ctx.api, staff_id, month) {
            Ok(g) => {
                self.guard = Some(g);
                self.guard_scroll = 0;
                self.view = View::Guard;
            }
            Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
        }
    }

    /// Keys while the picker is open.
    pub fn picker_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some((picker, target)) = self.picker.as_mut() else { return TabRequest::None };
        match picker.handle_key(key) {
            PickerEvent::Nothing => {}
            PickerEvent::Close => self.picker = None,
            PickerEvent::Picked(id, on) => match *target {
                PickFor::Post => {
                    self.picker = None;
                    self.open_post(id, ctx);
                }
                PickFor::SwapOut(post_id, date, key) => {
                    self.picker = None;
                    self.open_swap_form(post_id, date, key, id, ctx);
                }
                PickFor::Guard => {
                    self.picker = None;
                    let month = self.selected_cell().map(|c| c.1).unwrap_or_else(|| ctx.api.today());
                    self.open_guard(id, month, ctx);
                }
                PickFor::Cell(post_id, date, shift_key) => {
                    let cmd = if on {
                        DutyCommand::Unassign { post_id, date, shift_key, staff_id: id }
                    } else {
                        DutyCommand::Assign { post_id, date, shift_key, staff_id: id }
                    };
                    let who = picker.entries.iter().find(|e| e.id == id).map(|e| e.label.clone()).unwrap_or_default();
                    match ctx.api.duty_do(ctx.actor, cmd) {
                        Ok(_) => {
                            let msg = if on { T::RosterRemoved } else { T::RosterAssigned };
                            ctx.status.ok(fill(msg.get(ctx.lang), &[&who]));
                            self.stale = true;
                            self.prepare(ctx);
                            // More than the post asks for is allowed, and said.
                            if let Some(r) = self.week.as_ref().and_then(|w| w.rows.get(self.row)) {
                                let n = r.days[self.col].len();
                                if !on && n > r.shift.headcount as usize {
                                    let args = [who.clone(), n.to_string(), r.shift.headcount.to_string()];
                                    ctx.status.ok(fill(T::RosterAssignedOver.get(ctx.lang), &[&args[0], &args[1], &args[2]]));
                                }
                            }
                            // Stay open on the same cell to add or remove more.
                            self.open_cell_picker(ctx);
                        }
                        // The picker stays open so another guard can be chosen.
                        Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
                    }
                }
            },
        }
        TabRequest::None
    }

    /// A yes to "copy last week?".
    pub fn copy_week(&mut self, ctx: &mut Ctx) {
        let Some(monday) = self.monday else { return };
        let lang = ctx.lang;
        match ctx.api.duty_do(ctx.actor, DutyCommand::CopyWeek { monday }) {
            Ok(DutyData::Copied(r)) if r.copied == 0 && r.kept == 0 && r.not_copied.is_empty() => {
                ctx.status.error(T::RosterCopyNothing.get(lang));
            }
            Ok(DutyData::Copied(r)) => {
                let msg = fill(T::RosterCopied.get(lang), &[&r.copied.to_string(), &r.kept.to_string(), &r.not_copied.len().to_string()]);
                if r.not_copied.is_empty() {
                    ctx.status.ok(msg);
                } else {
                    // Every one that could not be copied, with its rule, in a list of its own.
                    ctx.status.error(msg.clone());
                    let mut lines = vec![msg, String::new()];
                    lines.extend(
                        r.not_copied
                            .iter()
                            .map(|n| format!("{} {} {}: {}", n.date.format("%m-%d"), n.post, n.shift, duty_refusal(&n.why, lang))),
                    );
                    self.report = lines;
                    self.report_scroll = 0;
                    self.view = View::Report;
                }
                self.stale = true;
            }
            Ok(_) => {}
            Err(e) => ctx.status.error(service_error(&e, lang)),
        }
    }

    fn post_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let Some(p) = self.post.as_ref() else { return TabRequest::None };
        let slot = self.post_slot.and_then(|i| p.slots.get(i)).cloned();
        let lang = ctx.lang;
        match action {
            Action::Up => self.post_guard = self.post_guard.saturating_sub(1),
            Action::Down => self.post_guard = (self.post_guard + 1).min(slot.as_ref().map_or(0, |s| s.duties.len().saturating_sub(1))),
            Action::PrevDay => {
                self.post_slot = self.post_slot.map(|i| i.saturating_sub(1));
                self.post_guard = 0;
            }
            Action::NextDay => {
                self.post_slot = self.post_slot.map(|i| (i + 1).min(p.slots.len().saturating_sub(1)));
                self.post_guard = 0;
            }
            Action::CheckIn | Action::CheckOut => {
                let Some(s) = slot else { return TabRequest::None };
                let Some(d) = s.duties.get(self.post_guard) else {
                    ctx.status.error(T::PostNoGuard.get(lang));
                    return TabRequest::None;
                };
                let target = (s.post_id, s.date, s.shift.key, d.staff_id);
                // Leaving well before the shift ends is asked about first.
                let end = s.window().1;
                let early = (end - ctx.api.local_now()).num_minutes();
                if action == Action::CheckOut && d.check_in.is_some() && d.check_out.is_none() && early > EARLY_CHECK_OUT_MINUTES {
                    let name = p.names.get(&d.staff_id).cloned().unwrap_or_default();
                    let q = fill(T::PostConfirmEarly.get(lang), &[&name, &end.format("%H:%M").to_string(), &early.to_string()]);
                    self.pending_check_out = Some(target);
                    return TabRequest::Confirm(q, crate::ui::pane::Pending::CheckOutEarly);
                }
                self.attend(action == Action::CheckIn, target, ctx);
            }
            Action::Handover => {
                let Some(s) = slot else { return TabRequest::None };
                // Said now, not after the note is typed.
                let start = s.window().0;
                if start > ctx.api.local_now() {
                    ctx.status.error(duty_refusal(&crate::domain::DutyRefused::NotStarted { start }, lang));
                    return TabRequest::None;
                }
                let title = fill(T::PostHandoverTitle.get(lang), &[&s.shift.name, &s.date.format("%m-%d").to_string()]);
                let mut f =
                    Form::new(title, vec![FieldSpec::multiline("handover", T::PostHandoverField.get(lang), limits::duty::HANDOVER, 6)]);
                f.set_text("handover", &s.handover);
                self.was_note = Some(s.handover.clone());
                f.mark_clean();
                self.form = Some(f);
                self.form_for = Some(FormFor::Handover(s.post_id, s.date, s.shift.key));
            }
            Action::Patrol => {
                let now = ctx.api.local_now();
                let mut f = Form::new(
                    T::PostPatrolTitle.get(lang).into(),
                    vec![
                        FieldSpec::text("time", T::PostPatrolTime.get(lang), limits::TIME).hint("HH:MM"),
                        FieldSpec::text("checkpoints", T::PostPatrolCheckpoints.get(lang), limits::duty::CHECKPOINTS),
                        FieldSpec::text("remarks", T::PostPatrolRemarks.get(lang), limits::duty::PATROL_REMARKS),
                    ],
                );
                f.set_text("time", &now.format("%H:%M").to_string());
                f.focus_on("checkpoints");
                f.mark_clean();
                self.form = Some(f);
                self.form_for = Some(FormFor::Patrol(p.post.id, now.date()));
            }
            Action::Back => self.back(),
            _ => {}
        }
        TabRequest::None
    }

    fn day_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let lang = ctx.lang;
        let rows = self.day.as_ref().map(views::day_rows).unwrap_or_default();
        match action {
            Action::Up => self.day_row = self.day_row.saturating_sub(1),
            Action::Down => self.day_row = (self.day_row + 1).min(rows.len().saturating_sub(1)),
            Action::PrevDay | Action::NextDay => {
                if let Some(d) = self.day_date {
                    self.day_date = Some(if action == Action::NextDay { d + Days::new(1) } else { d - Days::new(1) });
                    self.stale = true;
                }
            }
            Action::Correct => {
                let Some((slot, duty)) = rows.get(self.day_row).and_then(|r| r.1.map(|d| (r.0.clone(), d.clone()))) else {
                    ctx.status.error(T::PostNoGuard.get(lang));
                    return TabRequest::None;
                };
                let name = self.day.as_ref().and_then(|d| d.names.get(&duty.staff_id)).cloned().unwrap_or_default();
                let title = fill(T::AuditCorrectTitle.get(lang), &[&name, &slot.post, &slot.shift.name]);
                let mut f = Form::new(
                    title,
                    vec![
                        FieldSpec::choice(
                            "status",
                            T::AuditColStatus.get(lang),
                            Attendance::ALL.iter().map(|a| a.label(lang).to_string()).collect(),
                        ),
                        FieldSpec::text("check_in", T::PostIn.get(lang), limits::TIME).hint(T::AuditHintTime.get(lang)),
                        FieldSpec::text("check_out", T::PostOut.get(lang), limits::TIME).hint(T::AuditHintTime.get(lang)),
                        FieldSpec::text("reason", T::AuditReason.get(lang), limits::duty::CORRECTION_REASON)
                            .hint(T::AuditReasonHint.get(lang)),
                    ],
                );
                f.set_choice("status", duty.status.index());
                let hm = |t: Option<chrono::NaiveDateTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
                f.set_text("check_in", &hm(duty.check_in));
                self.was_duty = Some(duty.clone());
                f.set_text("check_out", &hm(duty.check_out));
                f.mark_clean();
                self.form = Some(f);
                self.form_for = Some(FormFor::Correct(slot.post_id, slot.date, slot.shift.key, duty.staff_id));
            }
            Action::MarkAudited => {
                // A day whose shifts are not all over is said at once.
                let now = ctx.api.local_now();
                let last_end = rows.iter().filter(|r| r.1.is_some()).map(|r| r.0.window().1).max();
                if let Some(until) = last_end.filter(|e| *e > now) {
                    ctx.status.error(duty_refusal(&crate::domain::DutyRefused::DayNotOver { until }, lang));
                    return TabRequest::None;
                }
                if let Some(date) = self.day_date {
                    let q = fill(T::AuditConfirm.get(lang), &[&crate::i18n::dates::show(date)]);
                    return TabRequest::Confirm(q, crate::ui::pane::Pending::MarkAudited);
                }
            }
            Action::Back => self.back(),
            _ => {}
        }
        TabRequest::None
    }

    fn summary_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let n = self.summary.as_ref().map_or(0, |s| s.rows.len());
        match action {
            Action::Up => self.summary_row = self.summary_row.saturating_sub(1),
            Action::Down => self.summary_row = (self.summary_row + 1).min(n.saturating_sub(1)),
            Action::NextPeriod | Action::PrevPeriod => {
                if let Some(s) = self.summary.as_mut() {
                    s.first = shift_month(s.first, action == Action::NextPeriod);
                    self.stale = true;
                }
            }
            Action::Open => {
                if let Some((id, first)) = self.summary.as_ref().and_then(|s| s.rows.get(self.summary_row).map(|r| (r.staff_id, s.first))) {
                    self.open_guard(id, first, ctx);
                    self.back_to = Some(View::Summary);
                }
            }
            Action::Export => {
                if let Some(s) = &self.summary {
                    match crate::export::attendance_csv(s, ctx.lang) {
                        Ok(bytes) => crate::ui::pane::write_export(ctx, &format!("attendance-{}.csv", s.first.format("%Y-%m")), &bytes),
                        Err(e) => ctx.status.error(fill(T::StatusExportFailed.get(ctx.lang), &[&e.to_string()])),
                    }
                }
            }
            Action::Back => self.back(),
            _ => {}
        }
        TabRequest::None
    }

    fn swaps_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        match action {
            Action::Up => self.swap_row = self.swap_row.saturating_sub(1),
            Action::Down => self.swap_row = (self.swap_row + 1).min(self.swaps.len().saturating_sub(1)),
            Action::Approve | Action::Refuse => {
                if let Some(s) = self.swaps.get(self.swap_row) {
                    let cmd = DutyCommand::DecideSwap { id: s.swap.id, approve: action == Action::Approve };
                    match ctx.api.duty_do(ctx.actor, cmd) {
                        Ok(DutyData::Swap(s)) => ctx.status.ok(fill(T::SwapDecidedMsg.get(ctx.lang), &[s.status.label(ctx.lang)])),
                        Ok(_) => {}
                        Err(e) => ctx.status.error(service_error(&e, ctx.lang)),
                    }
                    self.stale = true;
                }
            }
            Action::Back => self.back(),
            _ => {}
        }
        TabRequest::None
    }

    /// A yes to "check out this early?".
    pub fn check_out_confirmed(&mut self, ctx: &mut Ctx) {
        if let Some(target) = self.pending_check_out.take() {
            self.attend(false, target, ctx);
        }
    }

    /// Check a guard in or out now: (post, date, shift, guard).
    fn attend(&mut self, check_in: bool, target: (u64, NaiveDate, u16, u64), ctx: &mut Ctx) {
        let lang = ctx.lang;
        let (post_id, date, shift_key, staff_id) = target;
        // The service stamps the time by its own clock (a terminal's may be off).
        let cmd = if check_in {
            DutyCommand::CheckIn { post_id, date, shift_key, staff_id, at: None }
        } else {
            DutyCommand::CheckOut { post_id, date, shift_key, staff_id, at: None }
        };
        let name = self.post.as_ref().and_then(|p| p.names.get(&staff_id).cloned()).unwrap_or_default();
        match ctx.api.duty_do(ctx.actor, cmd) {
            Ok(DutyData::PostDay(pd)) => {
                let duty = pd.shift(shift_key).and_then(|x| x.duties.iter().find(|d| d.staff_id == staff_id)).cloned();
                // The time the service recorded.
                let at = duty.as_ref().and_then(|d| if check_in { d.check_in } else { d.check_out });
                let time = at.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
                let msg = match (check_in, duty) {
                    (true, Some(d)) if d.status == Attendance::Late => {
                        fill(T::PostCheckedInLate.get(lang), &[&name, &time, &d.late_minutes.to_string()])
                    }
                    (true, _) => fill(T::PostCheckedIn.get(lang), &[&name, &time]),
                    (false, _) => fill(T::PostCheckedOut.get(lang), &[&name, &time]),
                };
                ctx.status.ok(msg);
                self.stale = true;
            }
            Ok(_) => {}
            Err(e) => ctx.status.error(service_error(&e, lang)),
        }
    }

    /// A yes to "mark this day audited?".
    pub fn mark_audited(&mut self, ctx: &mut Ctx) {
        let Some(date) = self.day_date else { return };
        let lang = ctx.lang;
        match ctx.api.duty_do(ctx.actor, DutyCommand::MarkAudited { date }) {
            Ok(DutyData::Audited(0)) => ctx.status.error(T::AuditNothing.get(lang)),
            Ok(_) => ctx.status.ok(fill(T::AuditMarked.get(lang), &[&date.to_string()])),
            Err(e) => ctx.status.error(service_error(&e, lang)),
        }
        self.stale = true;
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some(form) = self.form.as_mut() else { return TabRequest::None };
        match form_outcome(form, key) {
            FormOutcome::Request(r) => r,
            FormOutcome::Close => {
                self.form = None;
                TabRequest::None
            }
            FormOutcome::Save => {
                let lang = ctx.lang;
                let cmd = match self.form_for {
                    Some(FormFor::Handover(post_id, date, shift_key)) => {
                        DutyCommand::Handover { post_id, date, shift_key, text: form.text("handover"), was: self.was_note.clone() }
                    }
                    Some(FormFor::Patrol(post_id, _)) => {
                        let Ok(time) = NaiveTime::parse_from_str(form.text("time").trim(), "%H:%M") else {
                            form.set_errors(vec![("time".into(), crate::i18n::invalid_text(&crate::domain::Invalid::Time, lang))]);
                            return TabRequest::None;
                        };
                        // The round's day: today, or yesterday for a time just
                        // before midnight typed after it.
                        let now = ctx.api.local_now();
                        let date = if now.date().and_time(time) > now + chrono::Duration::minutes(1) {
                            now.date() - Days::new(1)
                        } else {
                            now.date()
                        };
                        DutyCommand::Patrol { post_id, date, time, checkpoints: form.text("checkpoints"), remarks: form.text("remarks") }
                    }
                    Some(FormFor::Correct(post_id, date, shift_key, staff_id)) => {
                        let status = Attendance::ALL[form.choice("status").min(Attendance::ALL.len() - 1)];
                        let start = self
                            .day
                            .as_ref()
                            .and_then(|d| d.slots.iter().find(|s| s.post_id == post_id && s.shift.key == shift_key))
                            .map(|s| s.window().0);
                        let mut errors = Vec::new();
                        let mut time = |id: &str| -> Option<chrono::NaiveDateTime> {
                            let text = form.text(id);
                            if text.trim().is_empty() {
                                return None;
                            }
                            match (NaiveTime::parse_from_str(text.trim(), "%H:%M"), start) {
                                (Ok(t), Some(start)) => Some(time_in_shift(start, t)),
                                _ => {
                                    errors.push((id.to_string(), crate::i18n::invalid_text(&crate::domain::Invalid::Time, lang)));
                                    None
                                }
                            }
                        };
                        let times = (time("check_in"), time("check_out"));
                        // Every problem at once: the times, their order and the reason.
                        if let (Some(i), Some(o)) = times {
                            if o < i {
                                errors.push(("check_out".into(), duty_refusal(&crate::domain::DutyRefused::CheckOutBeforeCheckIn, lang)));
                            }
                        }
                        if form.text("reason").trim().is_empty() {
                            errors.push(("reason".into(), T::RefReasonRequired.get(lang).into()));
                        }
                        if !errors.is_empty() {
                            ctx.status.error(fill(T::StatusFormErrors.get(lang), &[&errors.len().to_string()]));
                            form.set_errors(errors);
                            return TabRequest::None;
                        }
                        let (reason, was) = (form.text("reason"), self.was_duty.clone());
                        DutyCommand::Correct { post_id, date, shift_key, staff_id, status, times: Some(times), reason, was }
                    }
                    Some(FormFor::Swap(post_id, date, shift_key, staff_id)) => {
                        // Both said at once, not one per attempt.
                        let (with, b_date) = (form.picked("with"), crate::domain::validate::parse_date(&form.text("date")));
                        let (Some(with), Some(b_date)) = (with, b_date) else {
                            let mut errors = Vec::new();
                            if with.is_none() {
                                errors.push(("with".into(), crate::i18n::invalid_text(&crate::domain::Invalid::NotPicked, lang)));
                            }
                            if b_date.is_none() {
                                errors.push(("date".into(), crate::i18n::invalid_text(&crate::domain::Invalid::Date, lang)));
                            }
                            form.set_errors(errors);
                            return TabRequest::None;
                        };
                        let a = crate::domain::SwapSide { post_id, date, shift_key, staff_id };
                        let b = crate::domain::SwapSide { post_id: 0, date: b_date, shift_key: 0, staff_id: with };
                        DutyCommand::RequestSwap { a, b, reason: form.text("reason") }
                    }
                    None => return TabRequest::None,
                };
                match ctx.api.duty_do(ctx.actor, cmd) {
                    Ok(_) => {
                        if matches!(self.form_for, Some(FormFor::Swap(..))) {
                            ctx.status.ok(T::SwapRequested.get(lang));
                        } else {
                            ctx.status.ok(fill(T::StatusSaved.get(lang), &[&form.title]));
                        }
                        self.form = None;
                        self.stale = true;
                    }
                    Err(crate::service::ServiceError::Invalid(errors)) => form.set_errors(field_messages(&errors, lang)),
                    // Someone saved meanwhile: say who; a second Ctrl-S saves this over it.
                    Err(crate::service::ServiceError::Duty(r @ crate::domain::DutyRefused::Changed { .. })) => {
                        ctx.status.error(duty_refusal(&r, lang));
                        self.was_note = None;
                        self.was_duty = None;
                        self.stale = true;
                    }
                    Err(crate::service::ServiceError::Duty(r @ crate::domain::DutyRefused::BadSwap)) => {
                        form.set_errors(vec![("date".into(), duty_refusal(&r, lang))])
                    }
                    Err(crate::service::ServiceError::Duty(crate::domain::DutyRefused::ReasonRequired)) => {
                        form.set_errors(vec![("reason".into(), T::RefReasonRequired.get(lang).into())])
                    }
                    Err(crate::service::ServiceError::Duty(
                        r @ (crate::domain::DutyRefused::CheckOutBeforeCheckIn | crate::domain::DutyRefused::TimeOutsideShift { .. }),
                    )) => form.set_errors(vec![("check_out".into(), duty_refusal(&r, lang))]),
                    // The form stays open with what was typed.
                    Err(e) => ctx.status.error(service_error(&e, lang)),
                }
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    /// The open form, as a draft's target: a handover note or a patrol
    /// (typed at a post, where a dropped link is most likely); corrections
    /// and swaps are a few choices, redone in seconds.
    pub fn draft(&self) -> Option<(Target, &Form)> {
        let form = self.form.as_ref()?;
        let target = match self.form_for? {
            FormFor::Handover(post_id, date, shift) => Target::Handover { post_id, date, shift },
            FormFor::Patrol(post_id, date) => Target::Patrol { post_id, date },
            FormFor::Correct(..) | FormFor::Swap(..) => return None,
        };
        Some((target, form))
    }

    /// Open a draft's form again on its post's screen. A handover note
    /// keeps the note it was written over, so a note someone else saved
    /// since is not silently replaced.
    pub fn reopen(&mut self, target: &Target, snap: &crate::ui::widgets::form::FormSnapshot, ctx: &mut Ctx) -> bool {
        self.form = None;
        let (post_id, action) = match *target {
            Target::Handover { post_id, .. } => (post_id, Action::Handover),
            Target::Patrol { post_id, .. } => (post_id, Action::Patrol),
            _ => return false,
        };
        self.open_post(post_id, ctx);
        let Some(p) = self.post.as_ref() else { return false };
        if let Target::Handover { date, shift, .. } = *target {
            match p.slots.iter().position(|s| s.date == date && s.shift.key == shift) {
                Some(i) => self.post_slot = Some(i),
                None => {
                    ctx.status.error(T::DraftRecordGone.get(ctx.lang));
                    return false;
                }
            }
        }
        self.handle_action(action, ctx);
        if self.form.is_some() && action == Action::Handover {
            self.was_note = snap.fields.iter().find(|f| f.id == "handover").map(|f| f.initial.clone());
        }
        self.form.is_some()
    }

    pub fn form_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.is_dirty())
    }
}

/// A clock time typed for a shift starting at `start`: on the start's day,
/// or the next day for the small hours of a night shift.
pub fn time_in_shift(start: chrono::NaiveDateTime, t: NaiveTime) -> chrono::NaiveDateTime {
    let same_day = start.date().and_time(t);
    if same_day < start - chrono::Duration::hours(4) {
        same_day + chrono::Duration::days(1)
    } else {
        same_day
    }
}

/// A check-out more than this many minutes before the shift ends asks first.
const EARLY_CHECK_OUT_MINUTES: i64 = 30;

fn shift_month(first: NaiveDate, forward: bool) -> NaiveDate {
    let m = chrono::Months::new(1);
    if forward { first.checked_add_months(m) } else { first.checked_sub_months(m) }.unwrap_or(first)
}

pub fn lang_week_label(monday: NaiveDate, lang: Lang) -> String {
    let sunday = monday + Days::new(6);
    fill(T::RosterWeekOf.get(lang), &[&crate::i18n::dates::show(monday), &sunday.format("%m-%d").to_string()])
}
