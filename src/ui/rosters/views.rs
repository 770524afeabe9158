//! The views the roster grid opens: a post's screen, a day's attendance
//! audit, one guard's month, the monthly summary and the swap requests.

use super::{RostersTab, View};
use crate::domain::{Attendance, Duty};
use crate::i18n::{fill, weekday, Label, Lang, T};
use crate::service::duty::{DayView, PostScreen, ShiftSlot};
use crate::ui::text::{safe, truncate};
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, Cell, Column, TableView};
use chrono::{Datelike, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn render_view(tab: &RostersTab, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, now: NaiveDateTime) {
    if let Some(why) = &tab.refused {
        Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
        return;
    }
    match tab.view {
        View::Grid => {}
        View::Post => {
            if let Some(p) = &tab.post {
                render_post(p, tab.post_slot, tab.post_guard, buf, area, theme, lang, now);
            }
        }
        View::Day => {
            if let Some(d) = &tab.day {
                render_day(d, tab.day_row, buf, area, theme, lang);
            }
        }
        View::Guard => render_guard(tab, buf, area, theme, lang),
        View::Summary => render_summary(tab, buf, area, theme, lang),
        View::Swaps => render_swaps(tab, buf, area, theme, lang),
        View::Report => {
            let lines: Vec<Line> = tab
                .report
                .iter()
                .enumerate()
                .skip(tab.report_scroll)
                .map(|(i, l)| if i == 0 { Line::styled(safe(l), theme.title()) } else { Line::from(safe(l)) })
                .collect();
            Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
        }
    }
}

fn hm(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|| "—".into())
}

fn status_style(theme: &Theme, s: Attendance) -> Style {
    match s {
        Attendance::Late | Attendance::Absent => theme.alert(),
        Attendance::OnDuty | Attendance::Relieved => theme.ok(),
        Attendance::OnLeave => theme.focus(),
        Attendance::Scheduled => theme.dim(),
    }
}

/// "迟到 23 分钟" or the plain status.
fn status_text(d: &Duty, lang: Lang) -> String {
    if d.status == Attendance::Late && d.late_minutes > 0 {
        fill(T::PostLateBy.get(lang), &[&d.late_minutes.to_string()])
    } else {
        d.status.label(lang).to_string()
    }
}

fn slot_title(s: &ShiftSlot, lang: Lang) -> String {
    format!("{} {} {} {}", s.shift.name, s.date.format("%m-%d"), weekday(s.date.weekday(), lang), s.shift.times())
}

#[allow(clippy::too_many_arguments)]
fn render_post(
    p: &PostScreen,
    slot: Option<usize>,
    guard: usize,
    buf: &mut Buffer,
    area: Rect,
    theme: &Theme,
    lang: Lang,
    now: NaiveDateTime,
) {
    let name = |id: &u64| {
        let n = p.names.get(id).cloned().unwrap_or_else(|| "?".into());
        if p.away.contains(id) {
            format!("!{n}")
        } else {
            n
        }
    };
    let mut lines: Vec<Line> = vec![Line::styled(
        format!(
            "{} · {} · {} {}",
            p.post.display(),
            p.client_name,
            crate::i18n::dates::show_time(now),
            weekday(now.date().weekday(), lang)
        ),
        theme.title(),
    )];
    let Some(i) = slot.filter(|i| *i < p.slots.len()) else {
        lines.push(Line::from(T::PostNoShifts.get(lang)));
        Paragraph::new(lines).render(area, buf);
        return;
    };
    let s = &p.slots[i];
    let (start, end) = s.window();
    let on_now = start <= now && now < end;
    let which = if on_now { T::PostNow } else { T::PostShift };
    lines.push(Line::styled(
        format!("── {}: {} ({}/{})", which.get(lang), slot_title(s, lang), s.duties.len(), s.shift.headcount),
        theme.header(),
    ));
    if s.duties.is_empty() {
        lines.push(Line::styled(format!("  {}", T::PostNobody.get(lang)), theme.alert()));
    }
    for (k, d) in s.duties.iter().enumerate() {
        let marker = if k == guard { "›" } else { " " };
        let text = format!(
            "{marker} {}  {}  {} {}  {} {}",
            crate::ui::text::fit(&name(&d.staff_id), 8),
            crate::ui::text::fit(&status_text(d, lang), 14),
            T::PostIn.get(lang),
            hm(d.check_in),
            T::PostOut.get(lang),
            hm(d.check_out)
        );
        let style = if k == guard { theme.selected() } else { status_style(theme, d.status) };
        lines.push(Line::styled(safe(&text), style));
    }
    if let Some(next) = p.slots.get(i + 1) {
        let who: Vec<String> = next.duties.iter().map(|d| name(&d.staff_id)).collect();
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        let who = if who.is_empty() { T::PostNobody.get(lang).to_string() } else { who.join(sep) };
        lines.push(Line::styled(format!("── {}: {}: {}", T::PostNext.get(lang), slot_title(next, lang), safe(&who)), theme.dim()));
    }
    // The note the previous shift left, and this shift's own.
    if let Some(prev) = i.checked_sub(1).and_then(|j| p.slots.get(j)) {
        {
            let by = if prev.handover_by.is_empty() { String::new() } else { format!(" ({})", prev.handover_by) };
            lines.push(Line::styled(format!("── {}: {}{by}", T::PostPrevHandover.get(lang), slot_title(prev, lang)), theme.header()));
            if prev.handover.is_empty() {
                lines.push(Line::styled(format!("  {}", T::PostNoNote.get(lang)), theme.dim()));
            }
            for l in prev.handover.lines() {
                lines.extend(indented(l, area.width));
            }
        }
    }
    lines.push(Line::styled(format!("── {}", T::PostThisHandover.get(lang)), theme.header()));
    if s.handover.is_empty() {
        lines.push(Line::styled(format!("  {}", T::PostNoNote.get(lang)), theme.dim()));
    }
    for l in s.handover.lines() {
        lines.extend(indented(l, area.width));
    }
    lines.push(Line::styled(format!("── {} ({})", T::PostPatrols.get(lang), p.patrols.len()), theme.header()));
    // The newest rounds are the ones that matter on a small screen.
    let room = (area.height as usize).saturating_sub(lines.len());
    let skip = p.patrols.len().saturating_sub(room);
    for r in p.patrols.iter().skip(skip) {
        lines.push(Line::from(Span::raw(safe(&format!(
            "  {:>2} {} {} {} ({})",
            r.round,
            r.time.format("%H:%M"),
            r.checkpoints,
            r.remarks,
            r.by
        )))));
    }
    Paragraph::new(lines).render(area, buf);
}

/// A note's line wrapped to the screen, two cells in.
fn indented(l: &str, width: u16) -> Vec<Line<'static>> {
    crate::ui::text::wrap_cells(&safe(l), (width as usize).saturating_sub(2)).into_iter().map(|p| Line::from(format!("  {p}"))).collect()
}

/// One row per guard on each shift of the day, and one for a shift with nobody.
pub fn day_rows(d: &DayView) -> Vec<(&ShiftSlot, Option<&Duty>)> {
    let mut rows = Vec::new();
    for s in &d.slots {
        if s.duties.is_empty() {
            rows.push((s, None));
        }
        for duty in &s.duties {
            rows.push((s, Some(duty)));
        }
    }
    rows
}

fn render_day(d: &DayView, selected: usize, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let audited = match &d.audited {
        Some(a) => fill(T::AuditDone.get(lang), &[&a.by, &a.at.with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string()]),
        None => T::AuditNotYet.get(lang).to_string(),
    };
    let head = format!("{} {} · {}", crate::i18n::dates::show(d.date), weekday(d.date.weekday(), lang), audited);
    let style = if d.audited.is_some() { theme.ok() } else { theme.focus() };
    buf.set_string(area.x, area.y, truncate(&head, area.width as usize), style);
    let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
    let cols = vec![
        c(T::RosterColPost, 0, 9),
        c(T::AuditColShift, 16, 8),
        c(T::AuditColGuard, 8, 9),
        c(T::AuditColStatus, 12, 9),
        c(T::PostIn, 5, 6),
        c(T::PostOut, 5, 5),
        c(T::AuditReason, 16, 2),
    ];
    let rows = day_rows(d);
    let h = area.height.saturating_sub(2) as usize;
    let top = selected.saturating_sub(h.saturating_sub(2));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .skip(top)
        .take(h)
        .map(|(s, duty)| match duty {
            Some(x) => vec![
                Cell::new(&s.post),
                Cell::new(format!("{} {}", s.shift.name, s.shift.times())),
                Cell::new(d.names.get(&x.staff_id).cloned().unwrap_or_default()),
                Cell::styled(status_text(x, lang), status_style(theme, x.status)),
                Cell::new(hm(x.check_in)),
                Cell::new(hm(x.check_out)),
                Cell::new(&x.reason),
            ],
            None => vec![
                Cell::new(&s.post),
                Cell::new(format!("{} {}", s.shift.name, s.shift.times())),
                Cell::styled(T::PostNobody.get(lang), theme.alert()),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
            ],
        })
        .collect();
    let view = TableView { columns: &cols, sort: None, rows: &cells, first: top, selected: Some(selected) };
    table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
}

fn render_guard(tab: &RostersTab, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let Some(g) = &tab.guard else { return };
    let s = &g.summary;
    let head = format!("{} · {}", g.staff.display(), g.first.format("%Y-%m"));
    buf.set_string(area.x, area.y, truncate(&safe(&head), area.width as usize), theme.title());
    let totals = fill(
        T::SummaryLine.get(lang),
        &[
            &s.shifts.to_string(),
            &s.days.to_string(),
            &format!("{:.1}", s.minutes as f64 / 60.0),
            &s.lates.to_string(),
            &s.late_minutes.to_string(),
            &s.early_leaves.to_string(),
            &s.absences.to_string(),
        ],
    );
    let mut totals = totals;
    if !g.curfew_absences.is_empty() {
        let nights: Vec<String> = g.curfew_absences.iter().map(|d| d.format("%m-%d").to_string()).collect();
        totals.push_str(" · ");
        totals.push_str(&fill(T::GuardCurfewAbsent.get(lang), &[&nights.join(" ")]));
    }
    buf.set_string(area.x, area.y + 1, truncate(&totals, area.width as usize), theme.focus());
    let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 10, priority };
    let cols = vec![
        c(T::GuardColDate, 10, 9),
        c(T::RosterColPost, 0, 8),
        c(T::AuditColShift, 16, 9),
        c(T::AuditColStatus, 12, 9),
        c(T::PostIn, 5, 5),
        c(T::PostOut, 5, 4),
    ];
    let h = area.height.saturating_sub(3) as usize;
    let top = tab.guard_scroll.min(g.shifts.len().saturating_sub(h));
    let cells: Vec<Vec<Cell>> = g
        .shifts
        .iter()
        .skip(top)
        .take(h)
        .map(|x| {
            vec![
                Cell::new(format!("{} {}", x.date.format("%m-%d"), weekday(x.date.weekday(), lang))),
                Cell::new(&x.post),
                Cell::new(format!("{} {}", x.shift.name, x.shift.times())),
                Cell::styled(status_text(&x.duty, lang), status_style(theme, x.duty.status)),
                Cell::new(hm(x.duty.check_in)),
                Cell::new(hm(x.duty.check_out)),
            ]
        })
        .collect();
    if g.shifts.is_empty() {
        buf.set_string(area.x, area.y + 3, truncate(T::GuardNoShifts.get(lang), area.width as usize), theme.dim());
    }
    let view = TableView { columns: &cols, sort: None, rows: &cells, first: top, selected: None };
    table::render(buf, Rect { y: area.y + 2, height: area.height - 2, ..area }, theme, &view);
}

fn render_summary(tab: &RostersTab, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let Some(m) = &tab.summary else { return };
    let head = fill(T::SummaryTitle.get(lang), &[&m.first.format("%Y-%m").to_string(), &m.rows.len().to_string()]);
    buf.set_string(area.x, area.y, truncate(&head, area.width as usize), theme.title());
    let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 8, priority };
    let cols = vec![
        c(T::StaffColNumber, 7, 9),
        c(T::StaffColName, 0, 9),
        c(T::SummaryColShifts, 6, 5),
        c(T::SummaryColDays, 6, 8),
        c(T::SummaryColHours, 7, 8),
        c(T::SummaryColLates, 6, 7),
        c(T::SummaryColLateMinutes, 8, 6),
        c(T::SummaryColEarly, 6, 6),
        c(T::SummaryColAbsent, 6, 7),
    ];
    let h = area.height.saturating_sub(2) as usize;
    let top = tab.summary_row.saturating_sub(h.saturating_sub(1));
    let cells: Vec<Vec<Cell>> = m
        .rows
        .iter()
        .skip(top)
        .take(h)
        .map(|r| {
            let s = &r.summary;
            let n = |v: u32, bad: bool| if bad && v > 0 { Cell::styled(v.to_string(), theme.alert()) } else { Cell::new(v.to_string()) };
            vec![
                Cell::new(&r.number),
                Cell::new(&r.name),
                n(s.shifts, false),
                n(s.days, false),
                Cell::new(format!("{:.1}", s.minutes as f64 / 60.0)),
                n(s.lates, true),
                n(s.late_minutes, true),
                n(s.early_leaves, true),
                n(s.absences, true),
            ]
        })
        .collect();
    if m.rows.is_empty() {
        buf.set_string(area.x, area.y + 2, truncate(T::SummaryEmpty.get(lang), area.width as usize), theme.dim());
    }
    let view = TableView { columns: &cols, sort: None, rows: &cells, first: top, selected: Some(tab.summary_row) };
    table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
}

fn render_swaps(tab: &RostersTab, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    buf.set_string(area.x, area.y, truncate(T::CtxSwaps.get(lang), area.width as usize), theme.title());
    if tab.swaps.is_empty() {
        buf.set_string(area.x, area.y + 2, truncate(T::SwapNone.get(lang), area.width as usize), theme.dim());
        return;
    }
    let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 16, priority };
    let cols = vec![c(T::AuditColStatus, 8, 9), c(T::SwapColA, 0, 9), c(T::SwapColB, 0, 8), c(T::AuditReason, 14, 3)];
    let cells: Vec<Vec<Cell>> = tab
        .swaps
        .iter()
        .map(|s| {
            let st = s.swap.status;
            let style = if st == crate::domain::SwapStatus::Pending { theme.focus() } else { theme.dim() };
            vec![Cell::styled(st.label(lang), style), Cell::new(&s.a), Cell::new(&s.b), Cell::new(&s.swap.reason)]
        })
        .collect();
    let view = TableView { columns: &cols, sort: None, rows: &cells, first: 0, selected: Some(tab.swap_row) };
    table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
}
