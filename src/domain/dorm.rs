//! The company dormitory (宿舍): rooms with their occupants and rent filing,
//! the captain's nightly room check (查房) at the 22:00 curfew with the
//! hygiene checklist of the handbook, and the monthly hygiene ranking (卫生评比).

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use super::money::Fen;
use super::validate::{check_len, check_required, FieldError, Invalid};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub const MAX_CAPACITY: u8 = 20;
/// The handbook's curfew: back by 22:00.
pub fn curfew() -> NaiveTime {
    NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomDraft {
    pub building: String,
    pub room: String,
    pub capacity: u8,
    /// Staff ids; each person lives in at most one room.
    pub occupants: Vec<u64>,
    /// Monthly rent, filed by the captain (房租申报).
    pub rent: Fen,
    pub landlord: String,
    /// The landlord's bank account, so finance can pay.
    pub landlord_account: String,
    pub notes: String,
}

impl Default for RoomDraft {
    fn default() -> Self {
        RoomDraft {
            building: String::new(),
            room: String::new(),
            capacity: 4,
            occupants: vec![],
            rent: Fen(0),
            landlord: String::new(),
            landlord_account: String::new(),
            notes: String::new(),
        }
    }
}

impl RoomDraft {
    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        for s in [&mut self.building, &mut self.room, &mut self.landlord, &mut self.landlord_account] {
            *s = clean(s, false);
        }
        self.notes = clean(&self.notes, true);
        self
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "building", &self.building, super::limits::dorm::BUILDING);
        check_required(&mut e, "room", &self.room, super::limits::dorm::ROOM);
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            e.push(FieldError::new("capacity", Invalid::Range { min: 1, max: MAX_CAPACITY as i64 }));
        }
        let mut seen = std::collections::HashSet::new();
        if self.occupants.iter().any(|o| !seen.insert(*o)) {
            e.push(FieldError::new("occupants", Invalid::Twice));
        }
        if self.occupants.len() > self.capacity as usize {
            e.push(FieldError::new("occupants", Invalid::OverCapacity { capacity: self.capacity }));
        }
        if self.rent.0 < 0 {
            e.push(FieldError::new("rent", Invalid::NotNegative));
        }
        check_len(&mut e, "landlord", &self.landlord, super::limits::dorm::LANDLORD);
        check_len(&mut e, "landlord_account", &self.landlord_account, super::limits::dorm::LANDLORD_ACCOUNT);
        check_len(&mut e, "notes", &self.notes, super::limits::dorm::NOTES);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub id: u64,
    pub draft: RoomDraft,
    pub meta: Meta,
}

impl Room {
    /// "3号楼 201".
    pub fn label(&self) -> String {
        format!("{} {}", self.draft.building, self.draft.room)
    }
}

/// Someone already living in another room: (person, that room's label).
pub fn occupant_elsewhere<'a>(draft: &RoomDraft, this_room: u64, rooms: impl IntoIterator<Item = &'a Room>) -> Option<(u64, String)> {
    rooms
        .into_iter()
        .filter(|r| r.id != this_room)
        .find_map(|r| draft.occupants.iter().find(|o| r.draft.occupants.contains(o)).map(|o| (*o, r.label())))
}

choice!(
    /// Where an occupant was at the 22:00 curfew.
    Curfew { Present = "present", Absent = "absent", Excused = "excused" }
);

choice!(
    /// The handbook's hygiene checklist (3.3.1–3.3.2), in the order it is checked.
    HygieneItem { BedMade = "bed_made", ItemsInPlace = "items_in_place", Clean = "clean", AirFresh = "air_fresh", NoForbidden = "no_forbidden" }
);

impl HygieneItem {
    /// Points of the item; together they make 100.
    pub fn points(self) -> u8 {
        match self {
            HygieneItem::BedMade => 25,
            HygieneItem::ItemsInPlace => 20,
            HygieneItem::Clean => 25,
            HygieneItem::AirFresh => 15,
            HygieneItem::NoForbidden => 15,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurfewCheck {
    pub staff_id: u64,
    pub status: Curfew,
    /// Why someone is excused (leave, night shift…).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub room_id: u64,
    /// The night the round belongs to (a round after midnight still counts
    /// for the evening before).
    pub night: NaiveDate,
    pub at: NaiveTime,
    pub inspector: String,
    pub curfew: Vec<CurfewCheck>,
    /// Points given per checklist item, each at most its item's points.
    pub scores: Vec<(HygieneItem, u8)>,
    pub issues: String,
}

impl InspectionDraft {
    /// The room's score out of 100.
    pub fn score(&self) -> u8 {
        self.scores.iter().map(|(_, p)| *p as u32).sum::<u32>().min(100) as u8
    }

    pub fn cleaned(mut self) -> Self {
        use super::text::clean;
        self.inspector = clean(&self.inspector, false);
        self.issues = clean(&self.issues, true);
        for c in &mut self.curfew {
            c.reason = clean(&c.reason, false);
        }
        self
    }

    /// `occupants`: who lives in the room, each to be accounted for.
    pub fn validate(&self, occupants: &[u64]) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_required(&mut e, "inspector", &self.inspector, super::limits::dorm::INSPECTOR);
        for item in HygieneItem::ALL {
            match self.scores.iter().find(|(i, _)| i == item) {
                None => e.push(FieldError::new(item.code(), Invalid::Required)),
                Some((_, p)) if *p > item.points() => {
                    e.push(FieldError::new(item.code(), Invalid::Range { min: 0, max: item.points() as i64 }))
                }
                _ => {}
            }
        }
        for o in occupants {
            match self.curfew.iter().find(|c| c.staff_id == *o) {
                None => e.push(FieldError::new("curfew", Invalid::Required)),
                Some(c) if c.status == Curfew::Excused && c.reason.trim().is_empty() => {
                    e.push(FieldError::new("curfew", Invalid::ReasonRequired))
                }
                _ => {}
            }
        }
        for c in &self.curfew {
            check_len(&mut e, "reason", &c.reason, super::limits::dorm::CURFEW_REASON);
        }
        check_len(&mut e, "issues", &self.issues, super::limits::dorm::ISSUES);
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: u64,
    pub draft: InspectionDraft,
    pub meta: Meta,
}

/// One room's line in a month's hygiene ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankRow {
    pub room_id: u64,
    pub label: String,
    pub inspections: u32,
    /// Average score in tenths (87.5 → 875).
    pub average_tenths: u32,
    /// Last month's average, for the trend.
    pub previous_tenths: Option<u32>,
}

fn average_tenths(scores: &[u8]) -> Option<u32> {
    let n = scores.len() as u32;
    (n > 0).then(|| (scores.iter().map(|s| *s as u32).sum::<u32>() * 10 + n / 2) / n)
}

/// Rooms by average score, best first (ties by label); rooms without a
/// check in the month are left out. Scores are (room id, score) of the
/// month's checks, and of last month's for the trend.
pub fn ranking(rooms: &[Room], month: &[(u64, u8)], previous: &[(u64, u8)]) -> Vec<RankRow> {
    let group = |list: &[(u64, u8)]| {
        let mut m: std::collections::HashMap<u64, Vec<u8>> = std::collections::HashMap::new();
        for (room, score) in list {
            m.entry(*room).or_default().push(*score);
        }
        m
    };
    let (now, before) = (group(month), group(previous));
    let mut rows: Vec<RankRow> = rooms
        .iter()
        .filter_map(|r| {
            let scores = now.get(&r.id)?;
            average_tenths(scores).map(|avg| RankRow {
                room_id: r.id,
                label: r.label(),
                inspections: scores.len() as u32,
                average_tenths: avg,
                previous_tenths: before.get(&r.id).and_then(|s| average_tenths(s)),
            })
        })
        .collect();
    rows.sort_by(|a, b| b.average_tenths.cmp(&a.average_tenths).then(a.label.cmp(&b.label)));
    rows
}

fn join_ids(ids: &[u64]) -> String {
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

impl Fielded for Room {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        vec![
            ("building", d.building.clone()),
            ("room", d.room.clone()),
            ("capacity", d.capacity.to_string()),
            ("occupants", join_ids(&d.occupants)),
            ("rent", d.rent.to_string()),
            ("landlord", d.landlord.clone()),
            ("landlord_account", d.landlord_account.clone()),
            ("notes", d.notes.clone()),
        ]
    }
}

impl Fielded for Inspection {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        let curfew =
            d.curfew.iter().map(|c| format!("{}:{} {}", c.staff_id, c.status.code(), c.reason).trim().to_string()).collect::<Vec<_>>();
        let scores = d.scores.iter().map(|(i, p)| format!("{}:{p}", i.code())).collect::<Vec<_>>();
        vec![
            ("room", d.room_id.to_string()),
            ("night", d.night.to_string()),
            ("at", d.at.format("%H:%M").to_string()),
            ("inspector", d.inspector.clone()),
            ("curfew", curfew.join("; ")),
            ("scores", scores.join(" ")),
            ("score", d.score().to_string()),
            ("issues", d.issues.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(id: u64, label: (&str, &str), occupants: Vec<u64>) -> Room {
        Room {
            id,
            draft: RoomDraft { building: label.0.into(), room: label.1.into(), occupants, ..Default::default() },
            meta: Meta::new("cap", chrono::Utc::now()),
        }
    }

    fn full_marks() -> Vec<(HygieneItem, u8)> {
        HygieneItem::ALL.iter().map(|i| (*i, i.points())).collect()
    }

    fn inspection(room_id: u64, score_off: u8) -> Inspection {
        let mut scores = full_marks();
        scores[0].1 -= score_off;
        Inspection {
            id: 0,
            draft: InspectionDraft {
                room_id,
                night: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                at: curfew(),
                inspector: "黄志勇".into(),
                curfew: vec![],
                scores,
                issues: String::new(),
            },
            meta: Meta::new("cap", chrono::Utc::now()),
        }
    }

    #[test]
    fn the_checklist_makes_a_hundred_and_each_item_has_its_range() {
        assert_eq!(HygieneItem::ALL.iter().map(|i| i.points() as u32).sum::<u32>(), 100);
        let mut d = inspection(1, 0).draft;
        assert_eq!(d.score(), 100);
        assert!(d.validate(&[]).is_empty());
        d.scores[1].1 = 21;
        assert_eq!(d.validate(&[]), [FieldError::new("items_in_place", Invalid::Range { min: 0, max: 20 })]);
        d.scores.remove(1);
        assert_eq!(d.validate(&[])[0].reason, Invalid::Required, "every item is scored");
    }

    #[test]
    fn every_occupant_is_accounted_for_and_an_excuse_has_a_reason() {
        let mut d = inspection(1, 0).draft;
        assert_eq!(d.validate(&[7, 8]).len(), 2);
        d.curfew = vec![
            CurfewCheck { staff_id: 7, status: Curfew::Present, reason: String::new() },
            CurfewCheck { staff_id: 8, status: Curfew::Excused, reason: " ".into() },
        ];
        assert_eq!(d.validate(&[7, 8]), [FieldError::new("curfew", Invalid::ReasonRequired)]);
        d.curfew[1].reason = "夜班".into();
        assert!(d.validate(&[7, 8]).is_empty());
    }

    #[test]
    fn rooms_hold_at_most_their_capacity_and_each_person_once() {
        let mut r =
            RoomDraft { building: "1号楼".into(), room: "201".into(), capacity: 2, occupants: vec![1, 2, 3], ..Default::default() };
        assert_eq!(r.validate(), [FieldError::new("occupants", Invalid::OverCapacity { capacity: 2 })]);
        r.occupants = vec![1, 1];
        assert_eq!(r.validate(), [FieldError::new("occupants", Invalid::Twice)]);
        r.occupants = vec![1, 2];
        assert!(r.validate().is_empty());
        let others = [room(5, ("1号楼", "202"), vec![3, 2])];
        assert_eq!(occupant_elsewhere(&r, 9, &others), Some((2, "1号楼 202".into())));
        assert_eq!(occupant_elsewhere(&r, 5, &others), None, "a room does not clash with itself");
    }

    #[test]
    fn ranking_orders_by_average_with_last_months_trend() {
        let rooms = [room(1, ("1号楼", "201"), vec![]), room(2, ("1号楼", "202"), vec![]), room(3, ("2号楼", "101"), vec![])];
        let scores = |list: &[Inspection]| list.iter().map(|i| (i.draft.room_id, i.draft.score())).collect::<Vec<_>>();
        let month = scores(&[inspection(1, 10), inspection(1, 5), inspection(2, 0)]);
        let previous = scores(&[inspection(1, 0)]);
        let r = ranking(&rooms, &month, &previous);
        assert_eq!(r.iter().map(|x| x.room_id).collect::<Vec<_>>(), [2, 1], "room 3 had no inspection");
        assert_eq!((r[1].average_tenths, r[1].inspections, r[1].previous_tenths), (925, 2, Some(1000)));
        assert_eq!(r[0].previous_tenths, None);
    }
}
