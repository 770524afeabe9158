//! Drawing the complaint register and one complaint's file.

use super::{ComplaintsTab, Detail};
use crate::domain::{AuditAction, Category, Choice, Complaint, ComplaintStatus, Urgency};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::ComplaintSort;
use crate::ui::text::{self, safe, truncate};
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, Cell, Column, TableView};
use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Column order; `ComplaintSort` maps onto it through `sort_column`.
fn columns(lang: Lang) -> Vec<Column> {
    let c = |t: T, width: u16, priority: u8| Column {
        title: t.get(lang).into(),
        width: if width == 0 { 0 } else { width.max(text::width(t.get(lang)) as u16 + 1) },
        min: 16,
        priority,
    };
    vec![
        c(T::CColNumber, 15, 10),
        c(T::CColReceived, crate::i18n::dates::width() + 6, 6),
        c(T::CColClient, 0, 10),
        c(T::CColCategory, table::widest_label::<Category>(lang), 5),
        c(T::CColStatus, table::widest_label::<ComplaintStatus>(lang), 9),
        c(T::CColDays, 4, 3),
        c(T::CColDue, crate::i18n::dates::width() + 7, 8),
        c(T::CColResponsible, 12, 4),
    ]
}

/// The column showing the sort mark; none for urgency (the legend says so).
fn sort_column(sort: ComplaintSort) -> Option<usize> {
    Some(match sort {
        ComplaintSort::Urgency => return None,
        ComplaintSort::Due => 6,
        ComplaintSort::Number => 0,
        ComplaintSort::Received => 1,
        ComplaintSort::Client => 2,
        ComplaintSort::Category => 3,
        ComplaintSort::Status => 4,
        ComplaintSort::Responsible => 7,
    })
}

pub fn sort_title(sort: ComplaintSort, lang: Lang) -> String {
    if sort == ComplaintSort::Urgency {
        return T::CColUrgency.get(lang).into();
    }
    columns(lang)[sort_column(sort).unwrap_or(6)].title.clone()
}

fn dt(d: NaiveDateTime) -> String {
    crate::i18n::dates::show_time(d)
}

/// The due cell: a sign as well as a colour.
fn due_cell(c: &Complaint, now: NaiveDateTime, theme: &Theme) -> Cell {
    match c.urgency(now) {
        Urgency::Overdue => Cell::styled(format!("!{}", dt(c.due)), theme.alert()),
        Urgency::DueSoon => Cell::styled(format!("~{}", dt(c.due)), theme.focus()),
        Urgency::OnTime => Cell::new(format!(" {}", dt(c.due))),
        Urgency::Handled => Cell::styled(format!(" {}", dt(c.due)), theme.dim()),
    }
}

fn row(c: &Complaint, lang: Lang, theme: &Theme, now: NaiveDateTime) -> Vec<Cell> {
    let d = &c.draft;
    let category = if d.category == Category::FeeDeduction && c.approval.is_none() && c.status.is_open() {
        Cell::styled(d.category.label(lang), theme.focus())
    } else {
        Cell::new(d.category.label(lang))
    };
    vec![
        Cell::new(c.number.clone()),
        Cell::new(dt(d.received_at)),
        Cell::new(d.client_name.clone()),
        category,
        Cell::new(c.status.label(lang)),
        Cell::new(c.days_open(now).to_string()),
        due_cell(c, now, theme),
        Cell::new(c.investigation.as_ref().map(|i| i.responsible.clone()).unwrap_or_default()),
    ]
}

impl ComplaintsTab {
    /// Rows the table can show in `area` (less the header lines).
    pub fn table_height(area: Rect) -> usize {
        area.height.saturating_sub(3) as usize
    }

    fn filter_prefix(&self, lang: Lang) -> String {
        T::FilterPrompt.get(lang).to_string()
    }

    /// The end of the filter text that fits in `room` cells after the prompt.
    fn filter_shown(&self, room: usize, lang: Lang) -> String {
        text::tail(&safe(&self.query.text), room.saturating_sub(text::width(&self.filter_prefix(lang)) + 1))
    }

    fn filter_room(&self, area: Rect, lang: Lang) -> usize {
        let count = fill(T::CCount.get(lang), &[&self.page.total.to_string(), &self.page.all.to_string()]);
        (area.width as usize).saturating_sub(text::width(&count) + 2)
    }

    pub fn filter_caret(&self, area: Rect, lang: Lang) -> Option<Position> {
        let shown = self.filter_shown(self.filter_room(area, lang), lang);
        let x = text::width(&self.filter_prefix(lang)) + text::width(&shown);
        Some(Position { x: area.x + (x as u16).min(area.width.saturating_sub(1)), y: area.y + 1 })
    }

    pub fn render_list(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, now: NaiveDateTime) {
        if area.height < 4 {
            return;
        }
        let k = &self.page.counts;
        let header = fill(
            T::CHeader.get(lang),
            &[
                &k.open.to_string(),
                &k.overdue.to_string(),
                &k.due_soon.to_string(),
                &k.awaiting_approval.to_string(),
                &k.awaiting_follow_up.to_string(),
            ],
        );
        let style = if k.overdue > 0 { theme.alert() } else { theme.header() };
        buf.set_string(area.x, area.y, truncate(&header, area.width as usize), style);
        // Second line: the filters, and the count at the right.
        let count = fill(T::CCount.get(lang), &[&self.page.total.to_string(), &self.page.all.to_string()]);
        let room = self.filter_room(area, lang);
        let mut spans = Vec::new();
        if self.filtering || !self.query.text.is_empty() {
            spans.push(Span::styled(self.filter_prefix(lang), theme.key()));
            spans.push(Span::styled(self.filter_shown(room, lang), theme.input()));
            spans.push(Span::raw("  "));
        }
        let summary = self.filter_summary(lang);
        if summary.is_empty() && spans.is_empty() {
            let legend = T::CLegend.get(lang).to_string();
            let legend =
                if self.query.sort == ComplaintSort::Urgency { format!("{legend} · {}", T::CSortedByUrgency.get(lang)) } else { legend };
            spans.push(Span::styled(legend, theme.dim()));
        } else {
            spans.push(Span::styled(summary, theme.focus()));
        }
        Paragraph::new(Line::from(spans)).render(Rect { y: area.y + 1, height: 1, width: room as u16, ..area }, buf);
        buf.set_string(area.x + area.width.saturating_sub(text::width(&count) as u16), area.y + 1, &count, theme.dim());

        let table_area = Rect { y: area.y + 2, height: area.height - 2, ..area };
        let cols = columns(lang);
        let sort = sort_column(self.query.sort).map(|c| (c, self.query.descending));
        if self.page.total == 0 {
            table::render(buf, table_area, theme, &TableView { columns: &cols, sort, rows: &[], first: 0, selected: None });
            let filtered =
                !self.query.text.is_empty() || self.query.status.is_some() || self.query.category.is_some() || self.query.focus.is_some();
            let msg = if filtered { T::CEmptyFilter } else { T::CEmpty };
            buf.set_string(table_area.x + 2, table_area.y + 2, truncate(msg.get(lang), table_area.width as usize - 2), theme.dim());
            return;
        }
        let start = self.nav.top;
        let visible = Self::table_height(area);
        let rows: Vec<Vec<Cell>> = (start..(start + visible).min(self.nav.len))
            .filter_map(|i| i.checked_sub(self.page.offset).and_then(|j| self.page.rows.get(j)))
            .map(|c| row(c, lang, theme, now))
            .collect();
        let view = TableView { columns: &cols, sort, rows: &rows, first: start, selected: Some(self.nav.selected) };
        table::render(buf, table_area, theme, &view);
    }
}

fn section(title: T, lang: Lang, theme: &Theme) -> Line<'static> {
    Line::styled(format!("── {} ──", title.get(lang)), theme.header())
}

fn kv(label: &str, value: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{label}: "), theme.dim()), Span::raw(safe(value))])
}

pub fn render_detail(d: &Detail, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, now: NaiveDateTime) {
    let c = &d.file.complaint;
    let x = &c.draft;
    let t = |k: T| k.get(lang);
    let mut lines: Vec<Line> = Vec::new();
    let mut head = vec![
        Span::styled(format!("{} {}", c.number, safe(&x.client_name)), theme.title()),
        Span::raw("  "),
        Span::styled(format!("[{}]", c.status.label(lang)), theme.focus()),
        Span::raw(format!("  {} ", x.category.label(lang))),
    ];
    let due = format!("  {} {}", t(T::CDetailDue), dt(c.due));
    head.push(match c.urgency(now) {
        Urgency::Overdue => Span::styled(format!("{due} !"), theme.alert()),
        Urgency::DueSoon => Span::styled(format!("{due} ~"), theme.focus()),
        _ => Span::raw(due),
    });
    lines.push(Line::from(head));
    if let Some(b) = c.breached_at {
        lines.push(Line::styled(fill(t(T::CDetailBreached), &[&dt(b)]), theme.alert()));
    }
    if x.category == Category::FeeDeduction && c.approval.is_none() && c.status.is_open() {
        lines.push(Line::styled(format!("! {}", t(T::CDetailAwaitingApproval)), theme.alert()));
    }
    lines.push(section(T::CDetailForm, lang, theme));
    lines.push(kv(
        t(T::CFieldReceivedAt),
        &format!(
            "{}   {} {}   {} {}",
            dt(x.received_at),
            t(T::CFieldReceivedBy),
            x.received_by,
            t(T::CFieldChannel),
            x.channel.label(lang)
        ),
        theme,
    ));
    lines.push(kv(t(T::CFieldAddress), &format!("{}   {} {}", x.address, t(T::CFieldPhone), x.phone), theme));
    let amount = if x.category == Category::FeeDeduction { format!("   {} {}", t(T::CFieldAmount), x.amount) } else { String::new() };
    lines.push(kv(t(T::CFieldKind), &format!("{}{amount}", if x.kind.is_empty() { "—" } else { &x.kind }), theme));
    for (label, value) in [(T::CFieldCause, &x.cause), (T::CFieldDemand, &x.demand), (T::CFieldRemarks, &x.remarks)] {
        if !value.is_empty() {
            for (i, l) in value.lines().enumerate() {
                let lab = if i == 0 { t(label).to_string() } else { " ".repeat(text::width(t(label))) };
                lines.push(Line::from(vec![Span::styled(format!("{lab}: "), theme.dim()), Span::raw(safe(l))]));
            }
        }
    }
    lines.push(section(T::CDetailSteps, lang, theme));
    for (_, step) in crate::export::complaint_steps(c, d.file.visit.as_ref(), lang) {
        for (k, (label, value)) in step.into_iter().enumerate() {
            let label = if k == 0 { label } else { format!("  {label}") };
            lines.push(kv(&label, &value, theme));
        }
    }
    if c.informed.is_none() && c.escalations.is_empty() {
        lines.push(Line::styled(t(T::CDetailNone), theme.dim()));
    }
    lines.push(section(T::CDetailTimeline, lang, theme));
    for e in &d.file.timeline {
        let action = match e.action {
            AuditAction::Create => T::AuditCreate,
            AuditAction::Update => T::AuditUpdate,
            AuditAction::Delete => T::AuditDelete,
        };
        let when = crate::i18n::dates::show_time(e.at.with_timezone(&chrono::Local).naive_local());
        // A status move in the heading; every other change as before → after.
        let moved = e
            .changes
            .iter()
            .find(|c| c.field == "status" && e.action == AuditAction::Update)
            .and_then(|c| ComplaintStatus::from_code(&c.after))
            .map(|s| format!(" → {}", s.label(lang)))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{when} "), theme.key()),
            Span::raw(format!("{} {}{moved}", safe(&e.who), action.get(lang))),
        ]));
        if e.action != AuditAction::Create {
            for c in e.changes.iter().filter(|c| !matches!(c.field.as_str(), "status" | "breached_at")) {
                let short = |s: &str| truncate(&safe(&crate::ui::messages::complaint_value(&c.field, s, lang).replace('\n', " ⏎ ")), 40);
                let before = if c.before.is_empty() { "—".to_string() } else { short(&c.before) };
                lines.push(Line::from(vec![
                    Span::styled(format!("    {}: ", crate::ui::messages::complaint_field(&c.field, lang)), theme.dim()),
                    Span::raw(format!("{before} → {}", short(&c.after))),
                ]));
            }
        }
    }
    let rows = crate::ui::widgets::wrapped_rows(&lines, area.width);
    let (scroll, max) = crate::ui::widgets::clamp_scroll(d.scroll as usize, &rows, area.height);
    d.max_scroll.set(max as u16);
    Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll as u16, 0)).render(area, buf);
}
