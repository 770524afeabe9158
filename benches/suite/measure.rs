//! Samples, percentiles and the one table the suite prints.

use std::time::Duration;

/// The limit a row is held to: at most `limit` (in the row's unit) at the
/// `at` percentile.
pub struct Budget {
    pub limit: f64,
    pub at: f64,
}

impl Budget {
    pub fn p99_ms(ms: u64) -> Budget {
        Budget { limit: ms as f64, at: 0.99 }
    }
    pub fn p99(limit: f64) -> Budget {
        Budget { limit, at: 0.99 }
    }
    /// Every sample within the limit.
    pub fn max(limit: f64) -> Budget {
        Budget { limit, at: 1.0 }
    }
}

pub struct Stats {
    pub name: String,
    /// In `unit`.
    samples: Vec<f64>,
    unit: &'static str,
    budget: Option<Budget>,
}

impl Stats {
    pub fn new(name: impl Into<String>, unit: &'static str, budget: Option<Budget>) -> Stats {
        Stats { name: name.into(), samples: Vec::new(), unit, budget }
    }
    pub fn millis(name: impl Into<String>, budget: Budget) -> Stats {
        Stats::new(name, "ms", Some(budget))
    }
    pub fn push(&mut self, d: Duration) {
        self.samples.push(d.as_secs_f64() * 1000.0);
    }
    pub fn runs(&self) -> usize {
        self.samples.len()
    }
    pub fn push_value(&mut self, v: f64) {
        self.samples.push(v);
    }
    pub fn pct(&self, p: f64) -> f64 {
        if self.samples.is_empty() {
            return f64::NAN;
        }
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        s[((s.len() as f64 - 1.0) * p).round() as usize]
    }
    pub fn within_budget(&self) -> bool {
        self.budget.as_ref().is_none_or(|b| self.pct(b.at) <= b.limit)
    }
    fn show(&self, v: f64) -> String {
        match self.unit {
            "ms" if v < 10.0 => format!("{v:.2} ms"),
            "ms" => format!("{v:.1} ms"),
            unit => format!("{} {unit}", group(v.round() as u64)),
        }
    }
    fn row(&self) -> String {
        let budget = match &self.budget {
            None => String::new(),
            Some(b) => {
                let at = if b.at >= 1.0 { "max".to_string() } else { format!("p{:.0}", b.at * 100.0) };
                let verdict = if self.within_budget() { "ok" } else { "OVER" };
                format!("{at} < {}: {verdict}", self.show(b.limit))
            }
        };
        format!(
            "| {} | {} | {} | {} | {} | {} |",
            self.name,
            self.samples.len(),
            self.show(self.pct(0.5)),
            self.show(self.pct(0.99)),
            self.show(self.pct(1.0)),
            budget
        )
    }
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn print_table(rows: &[Stats]) {
    println!("| measure | runs | p50 | p99 | max | budget |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!("{}", r.row());
    }
}
