//! Drawing the client list and a client's file.

use super::{ClientsTab, Detail};
use crate::domain::{Client, ClientKind, ClientStatus, Services, Tier};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::ClientSort;
use crate::ui::text::{self, safe, truncate};
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, Cell, Column, TableView};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Column order matches `ClientSort::ALL`, so the sort column is an index.
fn columns(lang: Lang) -> Vec<Column> {
    let c = |t: T, width: u16, priority: u8| Column {
        title: t.get(lang).into(),
        width: if width == 0 { 0 } else { width.max(text::width(t.get(lang)) as u16 + 1) },
        // The name is what people read: narrow terminals drop other columns first.
        min: 20,
        priority,
    };
    vec![
        c(T::ColNumber, 8, 10),
        c(T::ColName, 0, 10),
        c(T::ColKind, table::widest_label::<ClientKind>(lang), 2),
        c(T::ColServices, table::widest_label::<Services>(lang), 3),
        c(T::ColTier, table::widest_label::<Tier>(lang), 8),
        c(T::ColRating, 4, 6),
        c(T::ColStatus, table::widest_label::<ClientStatus>(lang), 5),
        c(T::ColContact, 8, 4),
        c(T::ColPhone, 14, 7),
        c(T::ColLastVisit, crate::i18n::dates::width(), 5),
        c(T::ColNextDue, crate::i18n::dates::width() + 2, 9),
    ]
}

pub fn sort_title(sort: ClientSort, lang: Lang) -> String {
    let i = ClientSort::ALL.iter().position(|s| *s == sort).unwrap_or(0);
    columns(lang)[i].title.clone()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(crate::i18n::dates::show).unwrap_or_else(|| "—".into())
}

fn row(c: &Client, lang: Lang, theme: &Theme, today: NaiveDate) -> Vec<Cell> {
    let d = &c.draft;
    let overdue = c.key_visit_overdue(today);
    // The mark is a sign as well as a colour.
    let next = if overdue {
        Cell::styled(format!("!{}", date(c.next_visit_due())), theme.alert())
    } else {
        Cell::new(format!(" {}", date(c.next_visit_due())))
    };
    let tier = if d.tier == Tier::Key { Cell::styled(d.tier.label(lang), theme.focus()) } else { Cell::new(d.tier.label(lang)) };
    vec![
        Cell::new(c.number.clone()),
        Cell::new(d.name.clone()),
        Cell::new(d.kind.label(lang)),
        Cell::new(d.services.label(lang)),
        tier,
        Cell::new(d.rating.label(lang)),
        Cell::new(d.status.label(lang)),
        Cell::new(d.contact.clone()),
        Cell::new(d.phone.clone()),
        Cell::new(date(c.last_visit)),
        next,
    ]
}

impl ClientsTab {
    fn count_text(&self, lang: Lang) -> String {
        fill(T::StatusCount.get(lang), &[&self.page.total.to_string(), &self.page.all.to_string()])
    }

    /// Cells left for the filter after the count and a gap.
    fn filter_room(&self, area: Rect, lang: Lang) -> usize {
        (area.width as usize).saturating_sub(text::width(&self.count_text(lang)) + 2)
    }

    /// The end of the filter text that fits after the prompt.
    fn filter_shown(&self, room: usize, lang: Lang) -> String {
        text::tail(&safe(&self.query.filter), room.saturating_sub(text::width(T::FilterPrompt.get(lang)) + 1))
    }

    /// Where the terminal cursor goes while typing a filter.
    pub fn filter_caret(&self, area: Rect, lang: Lang) -> Option<ratatui::layout::Position> {
        let room = self.filter_room(area, lang);
        let x = text::width(T::FilterPrompt.get(lang)) + text::width(&self.filter_shown(room, lang));
        Some(ratatui::layout::Position { x: area.x + x as u16, y: area.y })
    }

    /// Rows the table can show in `area` (less its header and the filter line).
    pub fn table_height(area: Rect) -> usize {
        area.height.saturating_sub(2) as usize
    }

    pub fn render_list(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
        if area.height < 3 {
            return;
        }
        // Filter line, with the count at its right end.
        let count = self.count_text(lang);
        let room = self.filter_room(area, lang);
        let filter_area = Rect { height: 1, width: room as u16, ..area };
        let mut spans = vec![];
        if self.filtering || !self.query.filter.is_empty() {
            let shown = self.filter_shown(room, lang);
            let used = text::width(T::FilterPrompt.get(lang)) + text::width(&shown) + 1;
            spans.push(Span::styled(T::FilterPrompt.get(lang), theme.key()));
            spans.push(Span::styled(shown, theme.input()));
            let hint = format!(" {}", T::FilterHint.get(lang));
            if self.filtering && used + text::width(&hint) <= room {
                spans.push(Span::styled(hint, theme.dim()));
            }
        } else if self.query.focus.is_none() {
            spans.push(Span::styled(T::LegendOverdue.get(lang), theme.dim()));
        }
        if let Some(f) = self.query.focus {
            let pile = format!("  {} · {}", focus_label(f, lang), T::OvPileCleared.get(lang));
            spans.push(Span::styled(pile, theme.focus()));
        }
        Paragraph::new(Line::from(spans)).render(filter_area, buf);
        let cw = text::width(&count) as u16;
        buf.set_string(area.x + area.width.saturating_sub(cw), area.y, &count, theme.dim());
        let table_area = Rect { y: area.y + 1, height: area.height - 1, ..area };
        if self.page.total == 0 {
            let msg = if self.query.focus.is_some() && self.query.filter.is_empty() {
                T::EmptyPile.get(lang).to_string()
            } else if self.query.filter.is_empty() {
                T::EmptyClients.get(lang).to_string()
            } else {
                fill(T::EmptyFilter.get(lang), &[&safe(&self.query.filter)])
            };
            let cols = columns(lang);
            let sort_col = ClientSort::ALL.iter().position(|s| *s == self.query.sort).unwrap_or(0);
            let view = TableView { columns: &cols, sort: Some((sort_col, self.query.descending)), rows: &[], first: 0, selected: None };
            table::render(buf, table_area, theme, &view);
            buf.set_string(table_area.x + 2, table_area.y + 2, truncate(&msg, table_area.width as usize - 2), theme.dim());
            return;
        }
        let start = self.nav.top;
        let visible = Self::table_height(area);
        let rows: Vec<Vec<Cell>> = (start..(start + visible).min(self.nav.len))
            .filter_map(|i| i.checked_sub(self.page.offset).and_then(|j| self.page.rows.get(j)))
            .map(|c| row(c, lang, theme, today))
            .collect();
        let sort_col = ClientSort::ALL.iter().position(|s| *s == self.query.sort).unwrap_or(0);
        let cols = columns(lang);
        let view = TableView {
            columns: &cols,
            sort: Some((sort_col, self.query.descending)),
            rows: &rows,
            first: start,
            selected: Some(self.nav.selected),
        };
        table::render(buf, table_area, theme, &view);
    }
}

/// A complaint follow-up's purpose is shown in the reader's language.
fn visit_purpose(v: &crate::domain::Visit, lang: Lang) -> String {
    match v.complaint_id {
        Some(_) => {
            let number = v.draft.purpose.split_whitespace().find(|w| w.starts_with("TS-")).unwrap_or("");
            fill(T::VisitComplaintFollowUp.get(lang), &[number])
        }
        None => safe(&v.draft.purpose),
    }
}

/// Label–value pairs laid out left to right, starting a new line rather
/// than breaking a pair at the edge.
fn flow(pairs: Vec<(&str, String)>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (label, value) in pairs {
        let value = safe(&value);
        let w = text::width(label) + 1 + text::width(&value) + 3;
        if used > 0 && used + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if !label.is_empty() {
            spans.push(Span::styled(format!("{label} "), theme.dim()));
        }
        spans.push(Span::raw(value));
        spans.push(Span::raw("   "));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

pub fn render_detail(d: &Detail, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
    let c = &d.file.client;
    let x = &c.draft;
    let t = |k: T| k.get(lang);
    let mut lines: Vec<Line> = Vec::new();
    let mut head = vec![
        Span::styled(format!("{} {}", c.number, safe(&x.name)), theme.title()),
        Span::raw("  "),
        Span::styled(format!("[{}]", x.status.label(lang)), theme.focus()),
        Span::raw(" "),
        Span::styled(format!("[{}]", x.tier.label(lang)), if x.tier == Tier::Key { theme.focus() } else { Style::default() }),
        Span::raw(format!("  {} {}", t(T::ColRating), x.rating.label(lang))),
    ];
    if c.key_visit_overdue(today) {
        head.push(Span::styled(format!("  ! {}", t(T::DetailOverdueVisit)), theme.alert()));
    }
    lines.push(Line::from(head));
    let contact = if x.contact_title.is_empty() { x.contact.clone() } else { format!("{}（{}）", x.contact, x.contact_title) };
    let k = &x.contract;
    let no_contract = k.number.is_empty() && k.start.is_none() && k.monthly_fee.0 == 0;
    let fee = if no_contract { "—".to_string() } else { k.monthly_fee.to_string() };
    let pairs: Vec<(&str, String)> = vec![
        (t(T::FieldKind), x.kind.label(lang).into()),
        (t(T::FieldServices), x.services.label(lang).into()),
        (t(T::FieldContact), contact),
        (t(T::FieldPhone), x.phone.clone()),
        (t(T::FieldAddress), x.address.clone()),
    ];
    lines.extend(flow(pairs, area.width as usize, theme));
    let pairs: Vec<(&str, String)> = vec![
        (t(T::DetailContract), if k.number.is_empty() { "—".into() } else { k.number.clone() }),
        ("", format!("{} → {}", date(k.start), date(k.end))),
        (t(T::FieldMonthlyFee), fee),
        (t(T::FieldLegalReview), k.legal_review.label(lang).into()),
        (t(T::FieldInterval), c.effective_interval().to_string()),
        (t(T::ColLastVisit), date(c.last_visit)),
        (t(T::ColNextDue), date(c.next_visit_due())),
    ];
    lines.extend(flow(pairs, area.width as usize, theme));
    let indent = " ".repeat(text::width(t(T::DetailNotes)) + 1);
    for (i, n) in x.notes.lines().enumerate() {
        let label = if i == 0 { format!("{} ", t(T::DetailNotes)) } else { indent.clone() };
        lines.push(Line::from(vec![Span::styled(label, theme.dim()), Span::raw(safe(n))]));
    }
    lines.push(Line::styled(format!("── {} ──", t(T::DetailRatings)), theme.header()));
    if c.reviews.is_empty() {
        lines.push(Line::styled(t(T::DetailNoReviews), theme.dim()));
    }
    for r in c.reviews_newest_first() {
        lines.push(Line::from(format!(
            "{}  {} → {}  {}  {}",
            crate::i18n::dates::show(r.date),
            r.from.label(lang),
            r.to.label(lang),
            safe(&r.by),
            safe(&r.reason)
        )));
    }
    lines.push(Line::styled(format!("── {} ──", t(T::DetailVisits)), theme.header()));
    if d.file.visits.is_empty() {
        lines.push(Line::styled(t(T::DetailNoVisits), theme.dim()));
    }
    let mut selected_line = None;
    for (vi, v) in d.file.visits.iter().enumerate() {
        let vd = &v.draft;
        lines.push(Line::from(vec![
            Span::styled(crate::i18n::dates::show(vd.date), theme.key()),
            Span::raw(format!(" {} {}  ", vd.method.label(lang), safe(&vd.by))),
            Span::styled(format!("{} ", t(T::DetailMet)), theme.dim()),
            Span::raw(format!("{}  {}", safe(&vd.met), visit_purpose(v, lang))),
        ]));
        for (i, o) in vd.opinions.lines().enumerate() {
            let label = if i == 0 { t(T::DetailOpinions).to_string() } else { " ".repeat(crate::ui::text::width(t(T::DetailOpinions))) };
            lines.push(Line::from(vec![Span::styled(format!("    {label}"), theme.dim()), Span::raw(safe(o))]));
        }
        for (pi, p) in vd.promises.iter().enumerate() {
            let is_sel = d.promises.get(d.nav.selected) == Some(&(vi, pi));
            let (mark, state, style) = match p.done {
                Some(done) => ("☑", format!("{} {}", t(T::DetailDone), crate::i18n::dates::show(done)), theme.ok()),
                None if p.overdue(today) => ("☐", format!("! {}", t(T::DetailOverdue)), theme.alert()),
                None => ("☐", t(T::DetailOpen).to_string(), Style::default()),
            };
            let mut spans = vec![
                Span::raw(format!("    {mark} {} ", t(T::DetailPromise))),
                Span::raw(safe(&p.text)),
                Span::styled(format!("  {} {}  ", t(T::DetailDue), crate::i18n::dates::show(p.due)), theme.dim()),
                Span::styled(state, style),
            ];
            if is_sel {
                selected_line = Some(lines.len());
                spans = spans.into_iter().map(|s| s.patch_style(theme.selected())).collect();
            }
            lines.push(Line::from(spans));
        }
    }
    lines.push(Line::styled(format!("── {} ──", t(T::CDetailClientComplaints)), theme.header()));
    if d.complaints.is_empty() {
        lines.push(Line::styled(t(T::CDetailNoComplaints), theme.dim()));
    }
    // Columns as wide as their longest label, so rows line up.
    let cat_w = d.complaints.iter().map(|k| text::width(k.draft.category.label(lang))).max().unwrap_or(0);
    let st_w = d.complaints.iter().map(|k| text::width(k.status.label(lang))).max().unwrap_or(0);
    for k in &d.complaints {
        lines.push(Line::from(vec![
            Span::styled(k.number.clone(), theme.key()),
            Span::raw(format!(
                "  {}  {}  {}  {}",
                crate::i18n::dates::show(k.draft.received_at.date()),
                text::fit(k.draft.category.label(lang), cat_w),
                text::fit(k.status.label(lang), st_w),
                truncate(&safe(k.draft.cause.lines().next().unwrap_or_default()), 40)
            )),
        ]));
    }
    // Keep the selected promise in view; otherwise honour the manual scroll.
    let h = area.height as usize;
    // Positions are in screen rows: long lines wrap into several.
    let rows = crate::ui::widgets::wrapped_rows(&lines, area.width);
    let mut scroll = d.scroll as usize;
    if let Some(sel) = selected_line.filter(|_| d.follow) {
        let top: usize = rows[..sel].iter().sum();
        let bottom = top + rows[sel];
        if top < scroll || bottom > scroll + h {
            scroll = top.saturating_sub(h / 2);
        }
    }
    let (scroll, max) = crate::ui::widgets::clamp_scroll(scroll, &rows, area.height);
    d.max_scroll.set(max as u16);
    Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll as u16, 0)).render(area, buf);
}

/// How the client list names an Overview pile.
pub fn focus_label(f: crate::service::ClientFocus, lang: Lang) -> &'static str {
    use crate::service::ClientFocus;
    match f {
        ClientFocus::KeyVisitOverdue => T::OvKeyVisitsOverdue.get(lang),
        ClientFocus::KeyVisitDueThisWeek => T::OvKeyVisitsDueThisWeek.get(lang),
        ClientFocus::PromiseOverdue => T::OvPromisesOverdue.get(lang),
    }
}
