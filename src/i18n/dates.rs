//! How dates are shown on screen: ISO (2026-11-23, the default), Chinese
//! (2026年11月23日) or day.month.year (23.11.2026). Chosen once per run by
//! `date_format` in the config. Only the screen follows it: exports, CSV
//! files, the store and the audit log stay ISO. Every shown form is also
//! accepted back as input (`domain::validate::parse_date`).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2026-11-23
    #[default]
    Iso,
    /// 2026年11月23日
    Zh,
    /// 23.11.2026
    Dmy,
}

impl DateFormat {
    pub const ALL: [DateFormat; 3] = [DateFormat::Iso, DateFormat::Zh, DateFormat::Dmy];

    pub fn code(self) -> &'static str {
        match self {
            DateFormat::Iso => "iso",
            DateFormat::Zh => "zh",
            DateFormat::Dmy => "dmy",
        }
    }

    pub fn parse(s: &str) -> Option<DateFormat> {
        let s = s.trim().to_ascii_lowercase();
        DateFormat::ALL.into_iter().find(|f| f.code() == s)
    }

    /// chrono's pattern. Month and day keep their leading zero so dates line
    /// up in columns.
    fn pattern(self) -> &'static str {
        match self {
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::Zh => "%Y年%m月%d日",
            DateFormat::Dmy => "%d.%m.%Y",
        }
    }

    pub fn date(self, d: NaiveDate) -> String {
        d.format(self.pattern()).to_string()
    }

    /// A date and a time of day, `HH:MM`.
    pub fn date_time(self, t: NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }

    /// Width of a shown date in terminal cells (each CJK character takes two).
    pub fn width(self) -> u16 {
        match self {
            DateFormat::Iso | DateFormat::Dmy => 10,
            DateFormat::Zh => 14,
        }
    }
}

/// Characters a date field takes: room for every shown form (2026年11月23日
/// is 11), so what is on screen can be typed back.
pub const INPUT_CHARS: usize = crate::domain::limits::DATE.chars();
/// Characters a date-and-time field takes (2026年11月23日 09:30 is 17).
pub const DATETIME_INPUT_CHARS: usize = crate::domain::limits::DATE_TIME.chars();

/// The format of this run, set once at start (like `RUN_LANG`); ISO until then.
pub static RUN_DATE_FORMAT: std::sync::OnceLock<DateFormat> = std::sync::OnceLock::new();

pub fn current() -> DateFormat {
    RUN_DATE_FORMAT.get().copied().unwrap_or_default()
}

/// A date as this run shows it.
pub fn show(d: NaiveDate) -> String {
    current().date(d)
}

/// A date and time as this run shows it.
pub fn show_time(t: NaiveDateTime) -> String {
    current().date_time(t)
}

/// Width in cells of a date column in this run.
pub fn width() -> u16 {
    current().width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::parse_date;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_format_shows_a_date_its_way() {
        assert_eq!(DateFormat::Iso.date(d(2026, 11, 23)), "2026-11-23");
        assert_eq!(DateFormat::Zh.date(d(2026, 11, 23)), "2026年11月23日");
        assert_eq!(DateFormat::Dmy.date(d(2026, 1, 5)), "05.01.2026");
        let t = d(2026, 3, 9).and_hms_opt(7, 5, 0).unwrap();
        assert_eq!(DateFormat::Zh.date_time(t), "2026年03月09日 07:05");
    }

    #[test]
    fn the_width_is_what_is_drawn() {
        for f in DateFormat::ALL {
            assert_eq!(crate::cells::width(&f.date(d(2026, 12, 31))) as u16, f.width(), "{f:?}");
        }
    }

    #[test]
    fn what_is_shown_can_be_typed_back() {
        let mut day = d(2024, 1, 1);
        while day < d(2025, 1, 1) {
            for f in DateFormat::ALL {
                assert_eq!(parse_date(&f.date(day)), Some(day), "{f:?} {day}");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn date_fields_hold_every_shown_form() {
        let t = d(2026, 12, 31).and_hms_opt(23, 59, 0).unwrap();
        for f in DateFormat::ALL {
            assert!(f.date(t.date()).chars().count() <= INPUT_CHARS, "{f:?}");
            assert!(f.date_time(t).chars().count() <= DATETIME_INPUT_CHARS, "{f:?}");
        }
    }

    #[test]
    fn config_codes_round_trip() {
        for f in DateFormat::ALL {
            assert_eq!(DateFormat::parse(f.code()), Some(f));
        }
        assert_eq!(DateFormat::parse("mdy"), None);
    }
}
