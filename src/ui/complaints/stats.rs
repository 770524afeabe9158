//! The statistics view of the Complaints tab.

use crate::domain::Category;
use crate::i18n::{fill, Label, Lang, T};
use crate::service::complaint_stats::ComplaintStats;
use crate::ui::text::{fit, safe, truncate};
use crate::ui::theme::Theme;
use chrono::{Datelike, Days, Months, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Widget};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Last30Days,
    ThisMonth,
    Last3Months,
    ThisYear,
    Last12Months,
    Last3Years,
    All,
    /// The dates chosen in the list's filter (d).
    Chosen(Option<NaiveDate>, Option<NaiveDate>),
}

impl Period {
    pub const ALL: [Period; 7] = [
        Period::Last30Days,
        Period::ThisMonth,
        Period::Last3Months,
        Period::ThisYear,
        Period::Last12Months,
        Period::Last3Years,
        Period::All,
    ];

    pub fn label(self) -> T {
        match self {
            Period::Last30Days => T::StPeriod30,
            Period::ThisMonth => T::StPeriodMonth,
            Period::Last3Months => T::StPeriod3m,
            Period::ThisYear => T::StPeriodYear,
            Period::Last12Months => T::StPeriod12m,
            Period::Last3Years => T::StPeriod36m,
            Period::All => T::StPeriodAll,
            Period::Chosen(..) => T::StPeriodChosen,
        }
    }

    /// First and last day, ending today.
    pub fn range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        let months_back = |n: u32| first_of_month.checked_sub_months(Months::new(n));
        let from = match self {
            Period::Last30Days => today.checked_sub_days(Days::new(29)),
            Period::ThisMonth => Some(first_of_month),
            Period::Last3Months => months_back(2),
            Period::ThisYear => NaiveDate::from_ymd_opt(today.year(), 1, 1),
            Period::Last12Months => months_back(11),
            Period::Last3Years => months_back(35),
            Period::All => return (None, None),
            Period::Chosen(from, to) => return (from, to),
        };
        (from, Some(today))
    }

    pub fn step(self, forward: bool) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Period::ALL.len();
        Period::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }]
    }
}

pub struct StatsView {
    pub period: Period,
    pub stats: ComplaintStats,
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

fn days(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

fn ranking(buf: &mut Buffer, area: Rect, title: &str, rows: &[(String, usize)], theme: &Theme) {
    let block = Block::default().borders(Borders::TOP).title(format!(" {title} ")).title_style(theme.header());
    let inner = block.inner(area);
    block.render(area, buf);
    let nw = 5;
    for (i, (name, n)) in rows.iter().enumerate().take(inner.height as usize) {
        let label = fit(&safe(name), (inner.width as usize).saturating_sub(nw + 1));
        buf.set_string(inner.x, inner.y + i as u16, format!("{label} {n:>nw$}"), Style::default());
    }
}

pub fn render(v: &StatsView, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let s = &v.stats;
    let d = |x: Option<NaiveDate>| x.map(crate::i18n::dates::show).unwrap_or_else(|| "…".into());
    // "All time" shows the months the data actually spans.
    let first = s.per_month.first().map(|m| format!("{}-01", m.0));
    let last = s.per_month.last().map(|m| m.0.clone());
    let from = s.from.map(|x| d(Some(x))).or(first).unwrap_or_else(|| "…".into());
    let to = s.to.map(|x| d(Some(x))).or(last).unwrap_or_else(|| "…".into());
    let title = fill(T::StTitle.get(lang), &[&from, &to, v.period.label().get(lang)]);
    buf.set_string(area.x, area.y, truncate(&title, area.width as usize), theme.title());
    let summary = fill(T::StSummary.get(lang), &[&s.total.to_string(), &s.resolved.to_string(), &days(s.median_days), &days(s.p90_days)]);
    buf.set_string(area.x, area.y + 1, truncate(&summary, area.width as usize), theme.header());
    let rates = fill(T::StRates.get(lang), &[&pct(s.within_limit), &pct(s.follow_up_rate)]);
    let rate_ok = s.follow_up_rate.is_none_or(|r| r >= 1.0);
    buf.set_string(area.x, area.y + 2, truncate(&rates, area.width as usize), if rate_ok { theme.ok() } else { theme.alert() });
    if s.total == 0 {
        buf.set_string(area.x + 2, area.y + 4, T::StNoData.get(lang), theme.dim());
        return;
    }
    // Chart: one bar per month. Wide bars labelled YY-MM when they fit; for
    // long periods narrow bars labelled by month, January showing its year.
    let chart_h = (area.height.saturating_sub(4) / 2).clamp(5, 12);
    let chart = Rect { x: area.x, y: area.y + 3, width: area.width, height: chart_h };
    let wide = s.per_month.len() * 6 <= chart.width as usize;
    let bar_w: u16 = if wide { 5 } else { 2 };
    let fit_n = (chart.width / (bar_w + 1)) as usize;
    let months = &s.per_month[s.per_month.len().saturating_sub(fit_n)..];
    let label = |m: &str| -> String {
        if wide {
            m[2..].to_string()
        } else if m.ends_with("-01") {
            m[2..4].to_string()
        } else {
            m[5..].to_string()
        }
    };
    let bars: Vec<Bar> =
        months.iter().map(|(m, n)| Bar::default().value(*n as u64).label(label(m).into()).text_value(n.to_string())).collect();
    BarChart::default()
        .block(Block::default().borders(Borders::TOP).title(format!(" {} ", T::StPerMonth.get(lang))).title_style(theme.header()))
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_w)
        .bar_gap(1)
        .bar_style(theme.focus())
        .value_style(theme.selected())
        .render(chart, buf);
    // Three rankings side by side.
    let y = chart.y + chart.height;
    let h = area.y + area.height - y;
    let w = area.width / 3;
    let cats: Vec<(String, usize)> = s.by_category.iter().map(|(c, n): &(Category, usize)| (c.label(lang).to_string(), *n)).collect();
    ranking(buf, Rect { x: area.x, y, width: w - 1, height: h }, T::StByCategory.get(lang), &cats, theme);
    ranking(buf, Rect { x: area.x + w, y, width: w - 1, height: h }, T::StTopClients.get(lang), &s.top_clients, theme);
    ranking(
        buf,
        Rect { x: area.x + 2 * w, y, width: area.width - 2 * w, height: h },
        T::StByResponsible.get(lang),
        &s.by_responsible,
        theme,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_end_today_and_start_on_month_boundaries() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(Period::Last30Days.range(today), (d("2026-10-25"), Some(today)));
        assert_eq!(Period::Last3Months.range(today), (d("2026-09-01"), Some(today)));
        assert_eq!(Period::Last3Years.range(today), (d("2023-12-01"), Some(today)));
        assert_eq!(Period::All.range(today), (None, None));
        assert_eq!(Period::All.step(true), Period::Last30Days);
        assert_eq!(Period::Last30Days.step(false), Period::All);
    }
}
