//! Field-level validation results and the parsers shared by forms and import.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a field was refused. The UI turns each into a sentence that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invalid {
    Required,
    TooLong {
        max: usize,
    },
    Phone,
    Date,
    /// Not a date and time.
    DateTime,
    EndBeforeStart,
    Money,
    NotNegative,
    /// An amount that must be above zero.
    Positive,
    Range {
        min: i64,
        max: i64,
    },
    KeyClientInterval,
    /// A date after today where only past dates make sense.
    Future,
    /// A time later than now where only past times make sense.
    FutureTime,
    /// Promise line `line` (1-based) does not start with a date, or has no text.
    PromiseLine {
        line: usize,
    },
    /// Promise line `line` starts with something date-like that is no date.
    PromiseDate {
        line: usize,
    },
    /// A promise due before the visit it was made in.
    DueBeforeVisit,
    /// Text typed in a lookup field without picking an entry.
    NotPicked,
    /// Decided at resolution; no longer editable.
    FixedAfterResolution,
    /// Fixed once handling has begun.
    FixedAfterRegistration,
    /// A receipt time after the complaint was already resolved.
    AfterResolution,
    /// Shift line `line` is not `name start-end headcount`.
    ShiftLine {
        line: usize,
    },
    /// Shift line `line` ends when it starts.
    ShiftSameTimes {
        line: usize,
    },
    /// Shift line `line` has a headcount of 0 or above the limit.
    Headcount {
        line: usize,
    },
    /// Shift line `line` repeats a shift name.
    ShiftNameTwice {
        line: usize,
    },
    /// More entries than allowed.
    TooMany {
        max: usize,
    },
    /// Posts are staffed by a guard brigade, not the office.
    OfficeBrigade,
    /// Rest days: this word is not a day of the week.
    RestDays(String),
    /// Not a time of day.
    Time,
    /// No active operator has this OS account.
    UnknownAccount(String),
    /// The same entry twice in a list.
    Twice,
    /// More people than the room holds.
    OverCapacity {
        capacity: u8,
    },
    /// Needs a reason (e.g. an excused absence).
    ReasonRequired,
    /// An odometer reading below the one before it.
    OdometerBackwards,
    /// Not a licence plate like 沪A·12345.
    Plate,
    /// No one on the staff has this number or name.
    UnknownPerson(String),
    /// A repair dated before the month it was found in.
    BeforeCheck,
    /// Reported before the accident happened.
    ReportedBeforeAccident,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field id (the same id the form and the audit log use).
    pub field: String,
    pub reason: Invalid,
}

impl FieldError {
    pub fn new(field: &str, reason: Invalid) -> Self {
        FieldError { field: field.to_string(), reason }
    }
}

/// Accepts `2026-11-23`, `2026/11/23`, `2026.11.23` and `20261123`, and the
/// other ways a date can be shown (see `i18n::dates`), so what is on screen
/// can be typed back: `2026年11月23日` and `23.11.2026`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").ok();
    }
    let d = if let Some(zh) = t.strip_suffix('日').filter(|z| z.contains('年')) {
        let norm: String = zh.chars().map(|c| if c == '年' || c == '月' { '-' } else { c }).collect();
        NaiveDate::parse_from_str(&norm, "%Y-%m-%d").ok()?
    } else if t.split('.').next_back().is_some_and(|y| y.len() == 4) && t.split('.').count() == 3 {
        // Year last with dots is day.month.year; slashes stay refused, as
        // 01/02/2026 means different days to different readers.
        NaiveDate::parse_from_str(t, "%d.%m.%Y").ok()?
    } else {
        let norm: String = t.chars().map(|c| if c == '/' || c == '.' { '-' } else { c }).collect();
        NaiveDate::parse_from_str(&norm, "%Y-%m-%d").ok()?
    };
    // Years outside this window are typing slips, not real records.
    (1900..=2200).contains(&chrono::Datelike::year(&d)).then_some(d)
}

/// Chinese mobile (11 digits starting 13–19), landline with area code,
/// 400/800 service numbers or a 7–8 digit local number; separators, an
/// extension after `-` or `转`, and a `+86` prefix are allowed.
pub fn valid_phone(s: &str) -> bool {
    let mut t: String = s.trim().chars().filter(|c| !matches!(c, ' ' | '(' | ')' | '（' | '）')).collect();
    if let Some(rest) = t.strip_prefix("+86") {
        t = rest.trim_start_matches('-').to_string();
    }
    let (main, ext) = match t.split_once('转') {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (t.clone(), None),
    };
    if let Some(e) = &ext {
        if e.is_empty() || e.len() > 6 || !e.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let parts: Vec<&str> = main.split('-').collect();
    if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let digits: String = parts.concat();
    let n = digits.len();
    let b = digits.as_bytes();
    let mobile = n == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && parts.len() <= 3;
    let service = n == 10 && (digits.starts_with("400") || digits.starts_with("800"));
    // Landline: 0 + 2–3 digit area code + 7–8 digits, optionally "-ext".
    let landline = b[0] == b'0' && {
        let (area_and_num, ext_len) = if parts.len() == 3 { (n - parts[2].len(), parts[2].len()) } else { (n, 0) };
        (10..=12).contains(&area_and_num) && ext_len <= 6
    };
    let local = parts.len() == 1 && (7..=8).contains(&n) && b[0] != b'0' && b[0] != b'1';
    mobile || service || landline || local
}

/// `value` (as stored: cleaned) fits its field's limit from `limits`.
pub fn check_len(errors: &mut Vec<FieldError>, field: &str, value: &str, max: super::limits::Limit) {
    if value.chars().count() > max.chars() {
        errors.push(FieldError::new(field, Invalid::TooLong { max: max.chars() }));
    }
}

pub fn check_required(errors: &mut Vec<FieldError>, field: &str, value: &str, max: super::limits::Limit) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, Invalid::Required));
    } else {
        check_len(errors, field, value, max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for s in ["2026-11-23", "2026/11/23", "2026.11.23", "20261123", " 2026-11-23 ", "2026年11月23日", "23.11.2026"] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("2026年1月5日"), NaiveDate::from_ymd_opt(2026, 1, 5), "without leading zeros");
        assert_eq!(parse_date("5.1.2026"), NaiveDate::from_ymd_opt(2026, 1, 5));
        for s in ["2026-02-30", "23/11/2026", "tomorrow", "", "0001-01-01", "2026年11月23", "11.23.2026", "30.02.2026", "23.11.0001"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "13812345678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "021-64381234",
            "0755-8888 1234",
            "010-12345678-801",
            "(021)64381234",
            "400-820-8820",
            "64381234",
            "021-64381234转801",
        ] {
            assert!(valid_phone(ok), "{ok}");
        }
        for bad in ["", "123", "12812345678", "1381234567", "abc", "138123456789", "021--64381234", "6438-123x"] {
            assert!(!valid_phone(bad), "{bad}");
        }
    }
}
