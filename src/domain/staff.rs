//! Staff (人员): guards, captains, drivers and office staff, with the guard
//! licence and the company driving permit (准驾证) whose expiry is watched.

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::validate::{check_len, check_required, valid_phone, FieldError, Invalid};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Licences and permits are flagged this many days before they expire.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

choice!(
    /// 保安大队 / 特卫大队 / office.
    Brigade { Guard = "guard", CloseProtection = "close_protection", Office = "office" }
);
choice!(StaffRole {
    Guard = "guard",
    Captain = "captain",
    Driver = "driver",
    CustomerService = "customer_service",
    Sales = "sales",
    Legal = "legal",
    Coach = "coach",
    Manager = "manager",
});
choice!(StaffStatus { Active = "active", OnLeave = "on_leave", Left = "left" });

/// A licence or permit: its number and, when it has one, its expiry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub number: String,
    pub expires: Option<NaiveDate>,
}

/// Where a credential stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialState {
    /// No number recorded.
    Missing,
    Valid,
    /// Expires within the warning window: days left (0 = expires today).
    DueSoon(i64),
    Expired,
}

impl Credential {
    pub fn state(&self, on: NaiveDate) -> CredentialState {
        if self.number.trim().is_empty() {
            return CredentialState::Missing;
        }
        match self.expires {
            None => CredentialState::Valid,
            Some(e) if e < on => CredentialState::Expired,
            Some(e) => {
                let left = (e - on).num_days();
                if left <= EXPIRY_WARNING_DAYS {
                    CredentialState::DueSoon(left)
                } else {
                    CredentialState::Valid
                }
            }
        }
    }

    /// Usable on `on` (held and not expired).
    pub fn valid_on(&self, on: NaiveDate) -> bool {
        matches!(self.state(on), CredentialState::Valid | CredentialState::DueSoon(_))
    }
}

/// Weekly rest days, Monday = bit 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestDays(pub u8);

impl RestDays {
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn days(self) -> Vec<Weekday> {
        (0..7u8).filter(|i| self.0 & (1 << i) != 0).filter_map(|i| Weekday::try_from(i).ok()).collect()
    }

    /// Accepts day numbers (1 = Monday … 7 = Sunday), Chinese day names
    /// (一 … 六, 日/天, with or without 周/星期) and English ones (Mon, Sunday),
    /// separated by anything. `None` names what was not understood.
    pub fn parse(s: &str) -> Result<RestDays, String> {
        let mut bits = 0u8;
        let cleaned = s.replace("星期", " ").replace('周', " ");
        for word in cleaned.split(|c: char| c.is_whitespace() || ",，、;；/".contains(c)).filter(|w| !w.is_empty()) {
            let lower = word.to_lowercase();
            let english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().position(|d| lower.starts_with(d));
            if let Some(i) = english {
                bits |= 1 << i;
                continue;
            }
            // Digits and Chinese day names may run together: "67", "六日".
            for c in word.chars() {
                let i = match c {
                    '1'..='7' => c as u8 - b'1',
                    '一' => 0,
                    '二' => 1,
                    '三' => 2,
                    '四' => 3,
                    '五' => 4,
                    '六' => 5,
                    '日' | '天' => 6,
                    _ => return Err(word.to_string()),
                };
                bits |= 1 << i;
            }
        }
        Ok(RestDays(bits))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDraft {
    pub name: String,
    pub brigade: Brigade,
    pub role: StaffRole,
    pub phone: String,
    pub hire_date: Option<NaiveDate>,
    /// 保安员证.
    pub licence: Credential,
    /// Company driving permit 准驾证: only holders drive.
    pub permit: Credential,
    pub dorm_room: String,
    pub status: StaffStatus,
    pub rest_days: RestDays,
    pub notes: String,
}

impl Default for StaffDraft {
    fn default() -> Self {
        StaffDraft {
            name: String::new(),
            brigade: Brigade::Guard,
            role: StaffRole::Guard,
            phone: String::new(),
            hire_date: None,
            licence: Credential::default(),
            permit: Credential::default(),
            dorm_room: String::new(),
            status: StaffStatus::Active,
            rest_days: RestDays::default(),
            notes: String::new(),
        }
    }
}

impl StaffDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        for s in [&mut self.name, &mut self.phone, &mut self.licence.number, &mut self.permit.number, &mut self.dorm_room] {
            *s = clean(s, false);
        }
        self.notes = clean(&self.notes, true);
        self
    }

    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "name", &self.name, super::limits::staff::NAME);
        if !self.phone.trim().is_empty() && !valid_phone(&self.phone) {
            e.push(FieldError::new("phone", Invalid::Phone));
        }
        if self.hire_date.is_some_and(|d| d > today) {
            e.push(FieldError::new("hire_date", Invalid::Future));
        }
        check_len(&mut e, "licence.number", &self.licence.number, super::limits::staff::LICENCE_NUMBER);
        if self.licence.expires.is_some() && self.licence.number.trim().is_empty() {
            e.push(FieldError::new("licence.number", Invalid::Required));
        }
        check_len(&mut e, "permit.number", &self.permit.number, super::limits::staff::PERMIT_NUMBER);
        if self.permit.expires.is_some() && self.permit.number.trim().is_empty() {
            e.push(FieldError::new("permit.number", Invalid::Required));
        }
        check_len(&mut e, "dorm_room", &self.dorm_room, super::limits::staff::DORM_ROOM);
        check_len(&mut e, "notes", &self.notes, super::limits::staff::NOTES);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: u64,
    /// `RY-0001`, assigned by the store, never reused.
    pub number: String,
    pub draft: StaffDraft,
    pub meta: Meta,
}

pub fn staff_number(seq: u64) -> String {
    format!("RY-{seq:04}")
}

impl Staff {
    /// "RY-0001 王建国", as pickers and messages name a person.
    pub fn display(&self) -> String {
        format!("{} {}", self.number, self.draft.name)
    }

    /// The licence or the permit needs attention (due within 30 days or expired).
    pub fn credentials_due(&self, today: NaiveDate) -> bool {
        [&self.draft.licence, &self.draft.permit]
            .iter()
            .any(|c| matches!(c.state(today), CredentialState::DueSoon(_) | CredentialState::Expired))
    }

    /// A guard who may stand at a post of `brigade` on `date`, before any
    /// shift rule: employed and not on leave, in that brigade, licence valid,
    /// not a weekly rest day.
    pub fn eligibility(&self, brigade: Brigade, date: NaiveDate) -> Result<(), Ineligible> {
        let d = &self.draft;
        match d.status {
            StaffStatus::Active => {}
            StaffStatus::OnLeave => return Err(Ineligible::OnLeave),
            StaffStatus::Left => return Err(Ineligible::Left),
        }
        if d.brigade != brigade {
            return Err(Ineligible::Brigade(d.brigade));
        }
        match d.licence.state(date) {
            CredentialState::Missing => return Err(Ineligible::NoLicence),
            CredentialState::Expired => return Err(Ineligible::LicenceExpired(d.licence.expires.unwrap_or(date))),
            _ => {}
        }
        if d.rest_days.contains(date.weekday()) {
            return Err(Ineligible::RestDay(date.weekday()));
        }
        Ok(())
    }
}

/// Why a person cannot be rostered on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    OnLeave,
    Left,
    /// Belongs to another brigade (this one).
    Brigade(Brigade),
    NoLicence,
    /// Expired on this date.
    LicenceExpired(NaiveDate),
    RestDay(Weekday),
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl Fielded for Staff {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("number", self.number.clone()),
            ("name", d.name.clone()),
            ("brigade", d.brigade.code().into()),
            ("role", d.role.code().into()),
            ("phone", d.phone.clone()),
            ("hire_date", date_text(d.hire_date)),
            ("licence.number", d.licence.number.clone()),
            ("licence.expires", date_text(d.licence.expires)),
            ("permit.number", d.permit.number.clone()),
            ("permit.expires", date_text(d.permit.expires)),
            ("dorm_room", d.dorm_room.clone()),
            ("status", d.status.code().into()),
            ("rest_days", d.rest_days.days().iter().map(|w| w.to_string()).collect::<Vec<_>>().join(",")),
            ("notes", d.notes.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cred(n: &str, e: Option<&str>) -> Credential {
        Credential { number: n.into(), expires: e.map(d) }
    }

    #[test]
    fn credentials_are_flagged_thirty_days_ahead() {
        let today = d("2026-11-23");
        assert_eq!(cred("", None).state(today), CredentialState::Missing);
        assert_eq!(cred("B-1", None).state(today), CredentialState::Valid);
        assert_eq!(cred("B-1", Some("2026-12-24")).state(today), CredentialState::Valid);
        assert_eq!(cred("B-1", Some("2026-12-23")).state(today), CredentialState::DueSoon(30));
        assert_eq!(cred("B-1", Some("2026-11-23")).state(today), CredentialState::DueSoon(0));
        assert_eq!(cred("B-1", Some("2026-11-22")).state(today), CredentialState::Expired);
        assert!(cred("B-1", Some("2026-11-23")).valid_on(today));
        assert!(!cred("B-1", Some("2026-11-22")).valid_on(today));
    }

    #[test]
    fn rest_days_parse_numbers_and_names() {
        let weekend = RestDays((1 << 5) | (1 << 6));
        for s in ["67", "6,7", "六日", "周六、周日", "星期六 星期天", "Sat Sun", "saturday, sunday"] {
            assert_eq!(RestDays::parse(s), Ok(weekend), "{s}");
        }
        assert_eq!(RestDays::parse(""), Ok(RestDays(0)));
        assert_eq!(RestDays::parse("8"), Err("8".into()));
        assert!(weekend.contains(Weekday::Sun) && !weekend.contains(Weekday::Fri));
        assert_eq!(weekend.days(), [Weekday::Sat, Weekday::Sun]);
    }

    #[test]
    fn eligibility_names_the_first_obstacle() {
        let mut s = Staff {
            id: 1,
            number: staff_number(1),
            draft: StaffDraft { name: "王建国".into(), licence: cred("沪保-001", Some("2026-12-31")), ..Default::default() },
            meta: Meta::new("op", chrono::Utc::now()),
        };
        let mon = d("2026-11-23");
        assert_eq!(s.eligibility(Brigade::Guard, mon), Ok(()));
        assert_eq!(s.eligibility(Brigade::CloseProtection, mon), Err(Ineligible::Brigade(Brigade::Guard)));
        assert_eq!(s.eligibility(Brigade::Guard, d("2027-01-01")), Err(Ineligible::LicenceExpired(d("2026-12-31"))));
        s.draft.rest_days = RestDays(1);
        assert_eq!(s.eligibility(Brigade::Guard, mon), Err(Ineligible::RestDay(Weekday::Mon)));
        s.draft.status = StaffStatus::OnLeave;
        assert_eq!(s.eligibility(Brigade::Guard, mon), Err(Ineligible::OnLeave));
        assert!(!s.credentials_due(mon) && s.credentials_due(d("2026-12-01")), "flagged from 30 days before expiry");
    }
}
