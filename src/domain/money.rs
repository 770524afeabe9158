//! Money as an integer number of fen (分); shown as yuan with two decimals.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Fen(pub i64);

impl Fen {
    /// Parse "12000", "12,000.5", "¥12000.50" as yuan. Refuses more than two
    /// decimals, signs inside the number and anything non-numeric.
    pub fn parse_yuan(s: &str) -> Option<Fen> {
        let t: String = s.trim().trim_start_matches(['¥', '￥']).chars().filter(|&c| c != ',' && c != '，').collect();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.as_str()),
        };
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 || whole.len() > 13 {
            return None;
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let v = w.checked_mul(100)?.checked_add(f)?;
        Some(Fen(if neg { -v } else { v }))
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_yuan() {
        assert_eq!(Fen::parse_yuan("12000"), Some(Fen(1_200_000)));
        assert_eq!(Fen::parse_yuan("¥12,000.5"), Some(Fen(1_200_050)));
        assert_eq!(Fen::parse_yuan("0.07"), Some(Fen(7)));
        assert_eq!(Fen::parse_yuan("-3.10"), Some(Fen(-310)));
        assert_eq!(Fen(1_200_050).to_string(), "12000.50");
        assert_eq!(Fen(-5).to_string(), "-0.05");
    }

    #[test]
    fn refuses_garbage() {
        for bad in ["", "abc", "1.234", "1.2.3", "12元", "1e5", ".", "--1"] {
            assert_eq!(Fen::parse_yuan(bad), None, "{bad}");
        }
    }
}
