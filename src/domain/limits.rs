//! How many characters each text field takes: one table for the forms that
//! take the text (the field refuses more, and shows `12/200`) and for the
//! rules that check it before it is stored (`Invalid::TooLong`), so the two
//! can never differ. A `Limit` can only be made here, so a form field or a
//! check names an entry of this table rather than a number.
//!
//! Fields whose text is read into something else (dates, times, amounts,
//! lists of names) have an entry too: the form's limit, while the value is
//! checked by what reads it.

/// At most this many characters (chars, as `check_len` counts them; a line
/// break in multi-line text counts as one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Limit(usize);

impl Limit {
    pub const fn chars(self) -> usize {
        self.0
    }
}

/// A date as typed: room for every shown form (2026年11月23日 is 11), so what
/// is on screen can be typed back.
pub const DATE: Limit = Limit(11);
/// A date and time as typed (2026年11月23日 09:30 is 17).
pub const DATE_TIME: Limit = Limit(17);
/// A time of day, HH:MM.
pub const TIME: Limit = Limit(5);
/// An amount of money in yuan as typed (12,345,678.90 and more).
pub const AMOUNT: Limit = Limit(16);
/// A phone number as typed (checked by `valid_phone`).
pub const PHONE: Limit = Limit(30);
/// An operator's OS account name (`useradd` allows 32).
pub const ACCOUNT: Limit = Limit(32);

pub mod client {
    use super::Limit;
    pub const NAME: Limit = Limit(100);
    pub const ADDRESS: Limit = Limit(200);
    pub const CONTACT: Limit = Limit(50);
    pub const CONTACT_TITLE: Limit = Limit(50);
    pub const CONTRACT_NUMBER: Limit = Limit(50);
    /// Days between visits, as typed.
    pub const VISIT_INTERVAL: Limit = Limit(3);
    pub const NOTES: Limit = Limit(4000);
    /// Why a quarterly review changed the rating.
    pub const REVIEW_REASON: Limit = Limit(200);
}

pub mod visit {
    use super::Limit;
    pub const BY: Limit = Limit(50);
    pub const MET: Limit = Limit(50);
    pub const PURPOSE: Limit = Limit(200);
    pub const OPINIONS: Limit = Limit(4000);
    /// The promises as typed, one a line (each read as a date and a text).
    pub const PROMISES: Limit = Limit(2000);
    /// One promise's text.
    pub const PROMISE: Limit = Limit(200);
}

pub mod complaint {
    use super::Limit;
    pub const CLIENT_NAME: Limit = Limit(100);
    pub const ADDRESS: Limit = Limit(200);
    pub const RECEIVED_BY: Limit = Limit(50);
    pub const KIND: Limit = Limit(50);
    pub const CAUSE: Limit = Limit(4000);
    pub const DEMAND: Limit = Limit(4000);
    pub const REMARKS: Limit = Limit(4000);
    /// How the client was informed.
    pub const HOW: Limit = Limit(1000);
    pub const INVESTIGATOR: Limit = Limit(50);
    pub const RESPONSIBLE: Limit = Limit(50);
    pub const CAUSE_FOUND: Limit = Limit(2000);
    pub const MEASURE: Limit = Limit(2000);
    pub const RESOLUTION: Limit = Limit(2000);
    /// Whom the follow-up visit met.
    pub const MET: Limit = Limit(50);
    pub const OPINIONS: Limit = Limit(2000);
    /// Why the complaint is escalated (签呈).
    pub const ESCALATION_REASON: Limit = Limit(2000);
}

pub mod staff {
    use super::Limit;
    pub const NAME: Limit = Limit(50);
    pub const LICENCE_NUMBER: Limit = Limit(40);
    pub const PERMIT_NUMBER: Limit = Limit(40);
    pub const DORM_ROOM: Limit = Limit(30);
    /// Rest days as typed (weekday names).
    pub const REST_DAYS: Limit = Limit(30);
    pub const NOTES: Limit = Limit(2000);
}

pub mod post {
    use super::Limit;
    pub const SITE: Limit = Limit(60);
    pub const ADDRESS: Limit = Limit(200);
    /// The shifts as typed, one a line (name, times, headcount).
    pub const SHIFTS: Limit = Limit(400);
    pub const ORDERS: Limit = Limit(4000);
    /// The post operators' accounts as typed.
    pub const OPERATORS: Limit = Limit(200);
}

pub mod duty {
    use super::Limit;
    pub const HANDOVER: Limit = Limit(2000);
    pub const CHECKPOINTS: Limit = Limit(200);
    pub const PATROL_REMARKS: Limit = Limit(200);
    /// Why an attendance record is corrected.
    pub const CORRECTION_REASON: Limit = Limit(200);
    pub const SWAP_REASON: Limit = Limit(200);
}

pub mod dorm {
    use super::Limit;
    pub const BUILDING: Limit = Limit(30);
    pub const ROOM: Limit = Limit(20);
    /// Beds, as typed.
    pub const CAPACITY: Limit = Limit(2);
    /// The occupants as typed (staff numbers or names).
    pub const OCCUPANTS: Limit = Limit(400);
    /// Monthly rent in yuan, as typed.
    pub const RENT: Limit = Limit(12);
    pub const LANDLORD: Limit = Limit(50);
    pub const LANDLORD_ACCOUNT: Limit = Limit(60);
    pub const NOTES: Limit = Limit(1000);
    pub const INSPECTOR: Limit = Limit(30);
    /// Why someone was excused at the curfew check.
    pub const CURFEW_REASON: Limit = Limit(100);
    pub const ISSUES: Limit = Limit(1000);
}

pub mod fleet {
    use super::Limit;
    pub const PLATE: Limit = Limit(12);
    pub const MODEL: Limit = Limit(40);
    /// Seats, as typed.
    pub const SEATS: Limit = Limit(2);
    /// Kilometres, as typed.
    pub const ODOMETER: Limit = Limit(8);
    /// The designated drivers as typed (staff numbers or names).
    pub const DRIVERS: Limit = Limit(300);
    pub const NOTES: Limit = Limit(1000);
    pub const TRIP_PURPOSE: Limit = Limit(100);
    /// A trip's fuel, toll, parking or other expense in yuan, as typed.
    pub const EXPENSE: Limit = Limit(10);
    pub const RECEIPTS: Limit = Limit(200);
    pub const INSPECTOR: Limit = Limit(30);
    /// The note on one item of the monthly check.
    pub const CHECK_NOTE: Limit = Limit(100);
    pub const DEFECTS: Limit = Limit(1000);
    pub const PLACE: Limit = Limit(100);
    pub const DESCRIPTION: Limit = Limit(2000);
    pub const INJURIES: Limit = Limit(200);
}

/// What a filter line takes (it is a search, never stored).
pub const FILTER: Limit = Limit(100);
