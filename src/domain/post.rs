//! Posts (岗位/驻勤点): a client's site, its shifts with times and headcount,
//! and the post orders (勤务方案).

use super::audit::{Fielded, Meta};
use super::client::Choice;
use super::staff::Brigade;
use super::validate::{check_len, check_required, FieldError, Invalid};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

pub const MAX_HEADCOUNT: u8 = 50;
pub const MAX_SHIFTS: usize = 8;

/// One shift of a post. `key` is stable while the shift exists, so renaming
/// or retiming a shift keeps its assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftSpec {
    pub key: u16,
    pub name: String,
    pub start: NaiveTime,
    /// At or before `start`: the shift ends the next day (a night shift).
    pub end: NaiveTime,
    pub headcount: u8,
}

impl ShiftSpec {
    pub fn minutes(&self) -> i64 {
        let s = self.start.num_seconds_from_midnight() as i64 / 60;
        let e = self.end.num_seconds_from_midnight() as i64 / 60;
        if e > s {
            e - s
        } else {
            e + 24 * 60 - s
        }
    }

    /// When the shift of `date` starts and ends.
    pub fn window(&self, date: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let start = date.and_time(self.start);
        (start, start + Duration::minutes(self.minutes()))
    }

    /// `白班 08:00-20:00 ×2`, the line the shifts field shows and parses.
    pub fn line(&self) -> String {
        format!("{} {}-{} ×{}", self.name, self.start.format("%H:%M"), self.end.format("%H:%M"), self.headcount)
    }

    pub fn times(&self) -> String {
        format!("{}–{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = s.trim().replace('：', ":");
    if t == "24:00" {
        return NaiveTime::from_hms_opt(0, 0, 0);
    }
    NaiveTime::parse_from_str(&t, "%H:%M").ok()
}

/// Parse the shifts field: one shift a line, `name start-end headcount`, e.g.
/// `白班 08:00-20:00 2` or `night 20:00–08:00 ×1`. A line naming an existing
/// shift keeps that shift's key; new ones get fresh keys.
pub fn parse_shifts(text: &str, existing: &[ShiftSpec]) -> Result<Vec<ShiftSpec>, Invalid> {
    let mut out: Vec<ShiftSpec> = Vec::new();
    let mut next_key = existing.iter().map(|s| s.key).max().unwrap_or(0) + 1;
    for (n, raw) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = n + 1;
        let norm = raw.replace(['–', '—', '~', '～'], "-");
        let words: Vec<&str> = norm.split_whitespace().collect();
        let [name, times, rest @ ..] = words.as_slice() else {
            return Err(Invalid::ShiftLine { line });
        };
        // The headcount may be written "2", "×2", "x 2" or "*2".
        let count = rest.concat();
        let count = count.trim_start_matches(['×', 'x', 'X', '*']);
        if rest.is_empty() || count.is_empty() {
            return Err(Invalid::ShiftLine { line });
        }
        let (a, b) = times.split_once('-').ok_or(Invalid::ShiftLine { line })?;
        let (Some(start), Some(end)) = (parse_time(a), parse_time(b)) else {
            return Err(Invalid::ShiftLine { line });
        };
        if start == end {
            return Err(Invalid::ShiftSameTimes { line });
        }
        let headcount: u8 = count.parse().map_err(|_| Invalid::Headcount { line })?;
        if headcount == 0 || headcount > MAX_HEADCOUNT {
            return Err(Invalid::Headcount { line });
        }
        if out.iter().any(|s| s.name == *name) {
            return Err(Invalid::ShiftNameTwice { line });
        }
        let key = match existing.iter().find(|s| s.name == *name) {
            Some(s) => s.key,
            None => {
                next_key += 1;
                next_key - 1
            }
        };
        out.push(ShiftSpec { key, name: name.to_string(), start, end, headcount });
    }
    if out.is_empty() {
        return Err(Invalid::Required);
    }
    if out.len() > MAX_SHIFTS {
        return Err(Invalid::TooMany { max: MAX_SHIFTS });
    }
    Ok(out)
}

pub fn shifts_text(shifts: &[ShiftSpec]) -> String {
    shifts.iter().map(ShiftSpec::line).collect::<Vec<_>>().join("\n")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDraft {
    pub client_id: u64,
    pub site: String,
    pub address: String,
    /// Which brigade staffs it (保安 or 特卫).
    pub brigade: Brigade,
    pub shifts: Vec<ShiftSpec>,
    /// 勤务方案: several lines.
    pub orders: String,
    /// OS accounts of the post operators who work this post's screen.
    pub operators: Vec<String>,
}

impl Default for PostDraft {
    fn default() -> Self {
        PostDraft {
            client_id: 0,
            site: String::new(),
            address: String::new(),
            brigade: Brigade::Guard,
            shifts: vec![],
            orders: String::new(),
            operators: vec![],
        }
    }
}

impl PostDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.site = clean(&self.site, false);
        self.address = clean(&self.address, false);
        self.orders = clean(&self.orders, true);
        for s in &mut self.shifts {
            s.name = clean(&s.name, false);
        }
        self.operators = self.operators.iter().map(|a| clean(a, false)).filter(|a| !a.is_empty()).collect();
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.client_id == 0 {
            e.push(FieldError::new("client", Invalid::NotPicked));
        }
        check_required(&mut e, "site", &self.site, super::limits::post::SITE);
        check_len(&mut e, "address", &self.address, super::limits::post::ADDRESS);
        if self.brigade == Brigade::Office {
            e.push(FieldError::new("brigade", Invalid::OfficeBrigade));
        }
        if self.shifts.is_empty() {
            e.push(FieldError::new("shifts", Invalid::Required));
        }
        for (i, s) in self.shifts.iter().enumerate() {
            if s.start == s.end {
                e.push(FieldError::new("shifts", Invalid::ShiftSameTimes { line: i + 1 }));
            } else if s.headcount == 0 || s.headcount > MAX_HEADCOUNT {
                e.push(FieldError::new("shifts", Invalid::Headcount { line: i + 1 }));
            }
        }
        check_len(&mut e, "orders", &self.orders, super::limits::post::ORDERS);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: u64,
    /// `GW-001`, assigned by the store, never reused.
    pub number: String,
    pub draft: PostDraft,
    /// Deleted by the operator on this day: gone from lists and plans, kept
    /// for the attendance recorded at it.
    pub closed: Option<NaiveDate>,
    /// Shifts removed from the post, kept so the days they were stood still
    /// read (their keys are never given to a new shift).
    pub retired: Vec<ShiftSpec>,
    pub meta: Meta,
}

pub fn post_number(seq: u64) -> String {
    format!("GW-{seq:03}")
}

impl Post {
    /// A shift of the post by key, current or removed.
    pub fn shift(&self, key: u16) -> Option<&ShiftSpec> {
        self.draft.shifts.iter().chain(&self.retired).find(|s| s.key == key)
    }

    pub fn display(&self) -> String {
        format!("{} {}", self.number, self.draft.site)
    }
}

impl Fielded for Post {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("number", self.number.clone()),
            ("client", d.client_id.to_string()),
            ("site", d.site.clone()),
            ("address", d.address.clone()),
            ("brigade", d.brigade.code().into()),
            ("shifts", shifts_text(&d.shifts)),
            ("orders", d.orders.clone()),
            ("operators", d.operators.join(" ")),
            ("closed", self.closed.map(|d| d.to_string()).unwrap_or_default()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn night_shift_crosses_midnight() {
        let s = ShiftSpec { key: 1, name: "夜班".into(), start: t(20, 0), end: t(8, 0), headcount: 1 };
        assert_eq!(s.minutes(), 12 * 60);
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let (a, b) = s.window(day);
        assert_eq!(a, day.and_time(t(20, 0)));
        assert_eq!(b, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_time(t(8, 0)), "into the next month");
    }

    #[test]
    fn shifts_parse_and_keep_their_keys() {
        let old = vec![ShiftSpec { key: 4, name: "夜班".into(), start: t(20, 0), end: t(8, 0), headcount: 1 }];
        let v = parse_shifts("白班 08:00-20:00 ×2\n\n夜班 20:00–08:00 1", &old).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].key, v[0].headcount), (5, 2), "a new shift gets a fresh key");
        assert_eq!((v[1].key, v[1].end), (4, t(8, 0)), "a kept shift keeps its key");
        assert_eq!(parse_shifts(&shifts_text(&v), &v).unwrap(), v, "the shown text parses back");
        assert_eq!(parse_shifts("白班 08:00-08:00 2", &[]), Err(Invalid::ShiftSameTimes { line: 1 }));
        assert_eq!(parse_shifts("白班 08:00-20:00 0", &[]), Err(Invalid::Headcount { line: 1 }));
        assert_eq!(parse_shifts("a 08:00-20:00 1\n白班 8点到20点 2", &[]), Err(Invalid::ShiftLine { line: 2 }));
        assert_eq!(parse_shifts("a 08:00-20:00 1\na 20:00-08:00 1", &[]), Err(Invalid::ShiftNameTwice { line: 2 }));
        assert_eq!(parse_shifts("  \n", &[]), Err(Invalid::Required));
        let extra = parse_shifts("Extra 08:00-12:00 x 3", &[]).unwrap();
        assert_eq!((extra[0].name.as_str(), extra[0].headcount), ("Extra", 3), "an x in a name is no multiplier");
        assert_eq!(parse_shifts("全天 00:00-24:00 1", &[]), Err(Invalid::ShiftSameTimes { line: 1 }), "24:00 is midnight");
    }
}
