//! Complaint statistics over a period: what the department reports on.

use super::complaint_row::ComplaintRow;
use crate::domain::{Category, Choice, ComplaintStatus};
use chrono::{Datelike, NaiveDate};
use std::borrow::Borrow;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ComplaintStats {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Complaints received in the period.
    pub total: usize,
    /// ("2026-11", count) for every month of the period, oldest first.
    pub per_month: Vec<(String, usize)>,
    pub by_category: Vec<(Category, usize)>,
    /// The ten clients with most complaints.
    pub top_clients: Vec<(String, usize)>,
    /// The ten responsible guards or captains named most often.
    pub by_responsible: Vec<(String, usize)>,
    pub resolved: usize,
    /// Days from receipt to resolution.
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
    /// Share of resolved complaints resolved within the 3-day limit.
    pub within_limit: Option<f64>,
    pub followed_up: usize,
    /// Follow-ups done ÷ complaints resolved (the handbook demands 100 %).
    pub follow_up_rate: Option<f64>,
}

fn top(map: HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// The value below which `p` of the sorted values fall (nearest rank).
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// Statistics of complaints received between `from` and `to` (inclusive; open ends mean no limit).
pub fn compute(
    complaints: impl IntoIterator<Item = impl Borrow<ComplaintRow>>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ComplaintStats {
    let mut s = ComplaintStats { from, to, ..Default::default() };
    let mut months: HashMap<(i32, u32), usize> = HashMap::new();
    let mut cats = [0usize; 3];
    let mut clients: HashMap<String, usize> = HashMap::new();
    let mut responsible: HashMap<String, usize> = HashMap::new();
    let mut days: Vec<f64> = Vec::new();
    let mut in_time = 0;
    let (mut first, mut last): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for c in complaints {
        let c = c.borrow();
        let day = c.received_at.date();
        if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
            continue;
        }
        s.total += 1;
        first = Some(first.map_or(day, |f| f.min(day)));
        last = Some(last.map_or(day, |l| l.max(day)));
        *months.entry(month_key(day)).or_default() += 1;
        cats[c.category.index()] += 1;
        *clients.entry(c.client_name.to_string()).or_default() += 1;
        if let Some(r) = &c.responsible {
            *responsible.entry(r.to_string()).or_default() += 1;
        }
        if c.status.index() >= ComplaintStatus::Resolved.index() {
            s.resolved += 1;
            if let Some(at) = c.resolved_at {
                days.push((at - c.received_at).num_minutes() as f64 / (24.0 * 60.0));
                if at <= c.due {
                    in_time += 1;
                }
            }
        }
        if c.followed_up {
            s.followed_up += 1;
        }
    }
    // Every month of the period, empty ones included, so a chart has no gaps.
    if let (Some(a), Some(b)) = (from.or(first), to.or(last)) {
        let (mut y, mut m) = month_key(a);
        let end = month_key(b);
        while (y, m) <= end {
            s.per_month.push((format!("{y}-{m:02}"), months.get(&(y, m)).copied().unwrap_or(0)));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    s.by_category = Category::ALL.iter().map(|c| (*c, cats[c.index()])).collect();
    s.top_clients = top(clients, 10);
    s.by_responsible = top(responsible, 10);
    days.sort_by(|a, b| a.total_cmp(b));
    s.median_days = percentile(&days, 0.5);
    s.p90_days = percentile(&days, 0.9);
    s.within_limit = (!days.is_empty()).then(|| in_time as f64 / days.len() as f64);
    s.follow_up_rate = (s.resolved > 0).then(|| s.followed_up as f64 / s.resolved as f64);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(|x| x as f64).collect();
        assert_eq!(percentile(&v, 0.5), Some(5.0));
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(percentile(&[2.5], 0.9), Some(2.5));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
