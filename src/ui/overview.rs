//! The Overview tab: today's piles of work as counts (Enter opens a pile as
//! the filtered list in its tab) and three figures of how things go.

use super::keymap::{Action, Context};
use super::pane::{Ctx, TabRequest};
use super::text::{truncate, width};
use super::theme::Theme;
use crate::i18n::{fill, Lang, T};
use crate::service::overview::{Item, Overview, Rate, Section};
use crate::service::ComplaintFocus;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Bar, BarChart, BarGroup, Widget};

#[derive(Default)]
pub struct OverviewTab {
    pub data: Option<Overview>,
    /// Index into the lines shown.
    pub selected: usize,
    /// Read again before the next frame.
    pub stale: bool,
    /// Why the Overview could not be read.
    pub refused: Option<String>,
    /// The monthly report on screen, over the Overview.
    pub report: Option<ReportView>,
}

pub struct ReportView {
    pub report: crate::service::report::MonthReport,
    /// First line shown.
    pub top: usize,
}

pub fn item_label(item: Item) -> T {
    match item {
        Item::ComplaintsOverdue => T::OvComplaintsOverdue,
        Item::ComplaintsDueToday => T::OvComplaintsDueToday,
        Item::AwaitingApproval => T::OvAwaitingApproval,
        Item::AwaitingFollowUp => T::OvAwaitingFollowUp,
        Item::KeyVisitsOverdue => T::OvKeyVisitsOverdue,
        Item::KeyVisitsDueThisWeek => T::OvKeyVisitsDueThisWeek,
        Item::PromisesOverdue => T::OvPromisesOverdue,
        Item::UncoveredShifts => T::OvUncoveredShifts,
        Item::CurfewAbsences => T::OvCurfewAbsences,
        Item::RoomsNotInspected => T::OvRoomsNotInspected,
        Item::InsuranceDue => T::OvInsuranceDue,
        Item::AnnualInspectionDue => T::OvInspectionDue,
        Item::VehicleChecksDue => T::OvVehicleChecksDue,
        Item::LicencesExpiring => T::OvLicencesExpiring,
        Item::PermitsExpiring => T::OvPermitsExpiring,
    }
}

fn section_label(s: Section) -> T {
    match s {
        Section::Complaints => T::TabComplaints,
        Section::Clients => T::TabClients,
        Section::Rosters => T::TabRosters,
        Section::Dorm => T::TabDorm,
        Section::Vehicles => T::TabVehicles,
        Section::Staff => T::TabStaff,
    }
}

/// How the complaint list names an Overview pile among its filters.
pub fn focus_label(f: ComplaintFocus, lang: Lang) -> &'static str {
    match f {
        ComplaintFocus::Overdue => T::CFilterOverdue.get(lang),
        ComplaintFocus::DueToday => T::OvComplaintsDueToday.get(lang),
        ComplaintFocus::AwaitingApproval => T::OvAwaitingApproval.get(lang),
        ComplaintFocus::AwaitingFollowUp => T::OvAwaitingFollowUp.get(lang),
    }
}

impl OverviewTab {
    pub fn context(&self) -> Context {
        if self.report.is_some() {
            Context::MonthReport
        } else {
            Context::Overview
        }
    }

    fn open_report(&mut self, month: chrono::NaiveDate, ctx: &mut Ctx) {
        match ctx.api.month_report(month) {
            Ok(report) => self.report = Some(ReportView { report, top: 0 }),
            Err(e) => ctx.status.error(super::messages::service_error(&e, ctx.lang)),
        }
    }

    fn report_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        let Some(view) = self.report.as_mut() else { return TabRequest::None };
        let lines = crate::report::text(&view.report, ctx.lang).lines().count();
        match action {
            Action::Up => view.top = view.top.saturating_sub(1),
            Action::Down => view.top = (view.top + 1).min(lines.saturating_sub(1)),
            Action::PageUp => view.top = view.top.saturating_sub(10),
            Action::PageDown => view.top = (view.top + 10).min(lines.saturating_sub(1)),
            Action::NextPeriod | Action::PrevPeriod => {
                let m = view.report.month;
                let month = if action == Action::NextPeriod {
                    m.checked_add_months(chrono::Months::new(1))
                } else {
                    m.checked_sub_months(chrono::Months::new(1))
                };
                if let Some(month) = month.filter(|d| *d <= ctx.api.today()) {
                    self.open_report(month, ctx);
                }
            }
            Action::Export => {
                let name = format!("report-{}.csv", view.report.month.format("%Y-%m"));
                match crate::report::csv(&view.report, ctx.lang) {
                    Ok(bytes) => super::pane::write_export(ctx, &name, &bytes),
                    Err(e) => ctx.status.error(fill(T::StatusExportFailed.get(ctx.lang), &[&e.to_string()])),
                }
            }
            Action::Back => self.report = None,
            Action::Help => return TabRequest::Help(Context::MonthReport),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    /// Read the Overview when it is stale; counts over lists still loading
    /// come later (the app marks it stale when they are in).
    pub fn prepare(&mut self, ctx: &mut Ctx) {
        if !self.stale && (self.data.is_some() || self.refused.is_some()) {
            return;
        }
        self.stale = false;
        match ctx.api.overview(false) {
            Ok(o) => {
                self.selected = self.selected.min(o.lines.len().saturating_sub(1));
                self.data = Some(o);
                self.refused = None;
            }
            Err(e) => self.refused = Some(super::messages::service_error(&e, ctx.lang)),
        }
    }

    pub fn selected_item(&self) -> Option<Item> {
        self.data.as_ref().and_then(|d| d.lines.get(self.selected)).map(|l| l.item)
    }

    pub fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> TabRequest {
        if self.report.is_some() {
            return self.report_action(action, ctx);
        }
        let n = self.data.as_ref().map_or(0, |d| d.lines.len());
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Home => self.selected = 0,
            Action::End => self.selected = n.saturating_sub(1),
            Action::Open => {
                if let Some(item) = self.selected_item() {
                    return TabRequest::OpenPile(item);
                }
            }
            Action::MonthReport => {
                let today = ctx.api.today();
                self.open_report(today, ctx);
            }
            Action::Help => return TabRequest::Help(Context::Overview),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        if let Some(why) = &self.refused {
            buf.set_string(area.x, area.y, truncate(why, area.width as usize), theme.alert());
            return;
        }
        if let Some(view) = &self.report {
            let text = crate::report::text(&view.report, lang);
            for (i, line) in text.lines().skip(view.top).take(area.height as usize).enumerate() {
                let style = if i == 0 && view.top == 0 { theme.title() } else { Style::default() };
                buf.set_string(area.x, area.y + i as u16, truncate(line, area.width as usize), style);
            }
            return;
        }
        let Some(o) = &self.data else { return };
        let date = format!("{} {}", crate::i18n::dates::show(o.today), crate::i18n::weekday(chrono::Datelike::weekday(&o.today), lang));
        let mut title = fill(T::OvTitle.get(lang), &[&date]);
        if o.counting {
            title.push_str(" · ");
            title.push_str(T::OvCounting.get(lang));
        }
        buf.set_string(area.x, area.y, truncate(&title, area.width as usize), theme.title());
        let body = Rect { y: area.y + 2, height: area.height.saturating_sub(2), ..area };
        if o.lines.is_empty() && o.complaints_per_week.is_none() && o.attendance.is_none() {
            buf.set_string(body.x, body.y, truncate(T::OvNoLines.get(lang), body.width as usize), theme.dim());
            return;
        }
        let list_w = if body.width >= 110 { 58 } else { body.width * 11 / 20 };
        let list = Rect { width: list_w.min(body.width), ..body };
        self.render_lines(o, buf, list, theme, lang);
        let right = Rect { x: body.x + list_w + 2, width: body.width.saturating_sub(list_w + 2), ..body };
        if right.width >= 20 {
            render_figures(o, buf, right, theme, lang);
        }
    }

    fn render_lines(&self, o: &Overview, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        // The section's name heads its first line, where there is room: the
        // labels name their records themselves.
        let section_w = if area.width >= 50 {
            o.lines.iter().map(|l| width(section_label(l.item.section()).get(lang))).max().unwrap_or(0) as u16 + 2
        } else {
            0
        };
        let count_w = 6u16;
        let mut last_section = None;
        for (i, line) in o.lines.iter().enumerate().take(area.height as usize) {
            let y = area.y + i as u16;
            let selected = i == self.selected;
            let section = line.item.section();
            if last_section != Some(section) && section_w > 0 {
                buf.set_string(area.x, y, truncate(section_label(section).get(lang), section_w as usize), theme.header());
                last_section = Some(section);
            }
            let (count, style) = match line.count {
                None => ("…".to_string(), theme.dim()),
                Some(0) => ("0".to_string(), theme.dim()),
                Some(n) if line.item.is_alarm() => (n.to_string(), theme.alert()),
                Some(n) => (n.to_string(), theme.focus()),
            };
            let label_w = area.width.saturating_sub(section_w + count_w) as usize;
            let label = truncate(item_label(line.item).get(lang), label_w);
            let row = Rect { x: area.x + section_w, y, width: area.width.saturating_sub(section_w), height: 1 };
            let base = if selected { theme.selected() } else { Style::default() };
            buf.set_style(row, base);
            buf.set_string(row.x, y, &label, base);
            let cx = row.x + row.width.saturating_sub(width(&count) as u16 + 1);
            buf.set_string(cx, y, &count, if selected { base.patch(style) } else { style });
        }
    }
}

fn rate_style(rate: Rate, good_at: u32, theme: &Theme) -> Style {
    match rate.percent() {
        Some(p) if p >= good_at => theme.ok(),
        Some(_) => theme.alert(),
        None => theme.dim(),
    }
}

/// The weekly complaints chart and the two rates, top to bottom.
fn render_figures(o: &Overview, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let mut y = area.y;
    let bottom = area.y + area.height;
    if let Some(weeks) = &o.complaints_per_week {
        buf.set_string(area.x, y, truncate(T::OvChartWeeks.get(lang), area.width as usize), theme.header());
        y += 1;
        let h = 8.min(bottom.saturating_sub(y + 9)).max(4);
        // Bars as wide as the panel allows, one column between them.
        let bar_w = ((area.width + 1) / weeks.len().max(1) as u16).saturating_sub(1).clamp(1, 5);
        // The figures go under the chart: inside bars a tall week drowns them.
        let bars: Vec<Bar> = weeks.iter().map(|(_, n)| Bar::default().value(*n as u64).text_value(String::new())).collect();
        let chart = BarChart::default().data(BarGroup::default().bars(&bars)).bar_width(bar_w).bar_gap(1).bar_style(theme.title());
        chart.render(Rect { x: area.x, y, width: area.width, height: h }, buf);
        y += h;
        let n = |back: usize| weeks.len().checked_sub(back + 1).and_then(|i| weeks.get(i)).map_or(0, |w| w.1).to_string();
        let most = weeks.iter().map(|w| w.1).max().unwrap_or(0).to_string();
        buf.set_string(area.x, y, truncate(T::OvWeeksAxis.get(lang), area.width as usize), theme.dim());
        let figures = fill(T::OvWeeksFigures.get(lang), &[&n(0), &n(1), &most]);
        buf.set_string(area.x, y + 1, truncate(&figures, area.width as usize), theme.dim());
        y += 3;
    } else if o.counting {
        buf.set_string(area.x, y, truncate(T::OvCounting.get(lang), area.width as usize), theme.dim());
        y += 2;
    }
    let mut gauge = |title: T, of: T, rate: Option<Rate>, good_at: u32, y: &mut u16| {
        let Some(rate) = rate else { return };
        if *y + 3 > bottom {
            return;
        }
        let name = title.get(lang);
        buf.set_string(area.x, *y, truncate(name, area.width as usize), theme.header());
        // The figure beside its name, red when short of the mark.
        let label = rate.percent().map(|p| format!("{p}%")).unwrap_or_else(|| T::OvNoFigures.get(lang).to_string());
        let lx = area.x + width(name) as u16 + 1;
        if lx < area.x + area.width {
            buf.set_string(lx, *y, truncate(&label, (area.x + area.width - lx) as usize), rate_style(rate, good_at, theme));
        }
        let ratio = if rate.of == 0 { 0.0 } else { (rate.done as f64 / rate.of as f64).clamp(0.0, 1.0) };
        let bar_w = area.width.min(40) as usize;
        let filled = (ratio * bar_w as f64).round() as usize;
        buf.set_string(area.x, *y + 1, "█".repeat(filled), theme.title());
        buf.set_string(area.x + filled as u16, *y + 1, "░".repeat(bar_w - filled), theme.dim());
        let of_text = fill(of.get(lang), &[&rate.done.to_string(), &rate.of.to_string()]);
        buf.set_string(area.x, *y + 2, truncate(&of_text, area.width as usize), theme.dim());
        *y += 4;
    };
    // The handbook asks for every resolved complaint to be followed up.
    gauge(T::OvFollowUpRate, T::OvFollowUpOf, o.follow_up, 100, &mut y);
    gauge(T::OvAttendanceRate, T::OvAttendanceOf, o.attendance, 95, &mut y);
}
