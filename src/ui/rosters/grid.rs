//! The week grid: rows are post shifts, columns the seven days; each cell
//! lists its guards and carries a sign when under (−) or over (+) headcount.

use super::RostersTab;
use crate::i18n::{fill, weekday, Lang, T};
use crate::ui::text::{fit, truncate, width};
use crate::ui::theme::Theme;
use chrono::{Datelike, Days, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The sign of a cell: "-2" short, "+1" over, "" covered.
pub fn coverage_sign(assigned: usize, headcount: u8) -> String {
    let h = headcount as usize;
    match assigned.cmp(&h) {
        std::cmp::Ordering::Less => format!("-{}", h - assigned),
        std::cmp::Ordering::Greater => format!("+{}", assigned - h),
        std::cmp::Ordering::Equal => String::new(),
    }
}

/// The names in a cell, and how many of them can stand it: from today on,
/// someone on leave or gone, and after its last day someone whose licence
/// ran out, holds the place in name only (marked `!`); the past is what it
/// was.
fn people(week: &crate::service::duty::RosterWeek, guards: &[u64], date: NaiveDate, today: NaiveDate) -> (Vec<String>, usize) {
    let away = |g: &u64| (date >= today && week.unavailable.contains(g)) || week.licence_until.get(g).is_some_and(|e| date > *e);
    let names = guards
        .iter()
        .map(|g| {
            let n = week.names.get(g).map(String::as_str).unwrap_or("?");
            if away(g) {
                format!("!{n}")
            } else {
                n.to_string()
            }
        })
        .collect();
    (names, guards.iter().filter(|g| !away(g)).count())
}

pub fn render_grid(tab: &mut RostersTab, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, today: NaiveDate) {
    if let Some(why) = &tab.refused {
        Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
        return;
    }
    let Some(week) = tab.week.as_ref() else { return };
    if area.height < 5 {
        return;
    }
    let w = area.width as usize;
    // Header: the week, how much is planned, and the gap over the next 7 days.
    let head = format!(
        "{} · {}",
        super::lang_week_label(week.monday, lang),
        fill(T::RosterAssignments.get(lang), &[&week.assignments.to_string()])
    );
    buf.set_string(area.x, area.y, truncate(&head, w), theme.title());
    let gap = fill(T::RosterGaps.get(lang), &[&week.gaps_next_7.to_string()]);
    let gap_x = area.x + (width(&head) as u16 + 3).min(area.width);
    let gap_style = if week.gaps_next_7 > 0 { theme.alert() } else { theme.ok() };
    buf.set_string(gap_x, area.y, truncate(&gap, w.saturating_sub(gap_x as usize - area.x as usize)), gap_style);
    if week.rows.is_empty() {
        buf.set_string(area.x, area.y + 2, truncate(T::RosterNoPosts.get(lang), w), theme.dim());
        return;
    }
    let left = (w / 4).clamp(16, 30) + 1;
    let cell = ((w - left) / 7).saturating_sub(1).max(4);
    let col_x = |c: usize| area.x + (left + c * (cell + 1)) as u16;
    // Column titles: the day and its date; today stands out.
    let y = area.y + 1;
    buf.set_string(area.x, y, fit(T::RosterColPost.get(lang), left), theme.header());
    for c in 0..7 {
        let d = week.monday + Days::new(c as u64);
        let title = format!("{} {}", weekday(d.weekday(), lang), d.format("%d"));
        let style = if d == today { theme.focus() } else { theme.header() };
        let style = if c == tab.col { style.patch(theme.selected()) } else { style };
        buf.set_string(col_x(c), y, fit(&title, cell), style);
        buf.set_string(col_x(c) - 1, y, "│", theme.dim());
    }
    let body = area.height as usize - 3;
    tab.height = body;
    if tab.row < tab.top {
        tab.top = tab.row;
    } else if tab.row >= tab.top + body {
        tab.top = tab.row + 1 - body;
    }
    for (i, r) in week.rows.iter().enumerate().skip(tab.top).take(body) {
        let y = area.y + 2 + (i - tab.top) as u16;
        let first_of_post = i == 0 || week.rows[i - 1].post_id != r.post_id;
        let site = if first_of_post { r.post.clone() } else { String::new() };
        let shift = format!("{}×{}", r.shift.name, r.shift.headcount);
        let sw = width(&shift).min(left / 2);
        let label = format!("{} {}", fit(&site, left - sw - 2), fit(&shift, sw));
        let row_style = if i == tab.row { theme.focus() } else { Default::default() };
        buf.set_string(area.x, y, fit(&label, left), row_style);
        for (c, guards) in r.days.iter().enumerate() {
            let d = week.monday + Days::new(c as u64);
            let (names, present) = people(week, guards, d, today);
            let sign = coverage_sign(present, r.shift.headcount);
            let names = names.join(" ");
            let sw = width(&sign);
            let text = if sw == 0 { fit(&names, cell) } else { format!("{}{}", fit(&names, cell.saturating_sub(sw)), sign) };
            let mut style = if present < r.shift.headcount as usize {
                theme.alert()
            } else if present > r.shift.headcount as usize {
                theme.focus()
            } else if d < today {
                theme.dim()
            } else {
                Default::default()
            };
            if i == tab.row && c == tab.col {
                style = style.patch(theme.selected());
            }
            buf.set_string(col_x(c), y, crate::ui::text::safe(&text), style);
            // A thin rule between days keeps neighbouring names apart.
            buf.set_string(col_x(c) - 1, y, "│", theme.dim());
        }
    }
    // The selected cell in full on the last line.
    if let Some(r) = week.rows.get(tab.row) {
        let d = week.monday + Days::new(tab.col as u64);
        let (names, present) = people(week, &r.days[tab.col], d, today);
        let line = format!(
            "{} · {} · {} {} ×{} · {} {}: {} ({}/{})",
            r.post,
            r.client_name,
            r.shift.name,
            r.shift.times(),
            r.shift.headcount,
            d.format("%m-%d"),
            weekday(d.weekday(), lang),
            if names.is_empty() { "—".to_string() } else { names.join(if lang == Lang::Zh { "、" } else { ", " }) },
            present,
            r.shift.headcount
        );
        buf.set_string(area.x, area.y + area.height - 1, truncate(&crate::ui::text::safe(&line), w), theme.dim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_show_short_and_over() {
        assert_eq!(coverage_sign(0, 2), "-2");
        assert_eq!(coverage_sign(2, 2), "");
        assert_eq!(coverage_sign(3, 2), "+1");
    }
}
