//! Which record kinds the store holds, their trees, schema versions and
//! secondary index keys.
//!
//! Index keys live in one tree; each ends with the record's id (8 bytes, big
//! endian) so a prefix scan yields ids in key order.

use super::codec;
use super::StoreError;
use crate::domain::dorm::{Inspection, Room};
use crate::domain::fleet::{Accident, Trip, Vehicle, VehicleCheck};
use crate::domain::{Client, Complaint, Fielded, Meta, Operator, Post, PostDay, Staff, SwapRequest, Visit};
use serde::{de::DeserializeOwned, Serialize};

/// Record trees, in tree order; `Record::TREE` indexes this list.
pub const KIND_NAMES: &[&str] = &[
    "client",
    "visit",
    "complaint",
    "operator",
    "staff",
    "post",
    "postday",
    "swap",
    "room",
    "inspection",
    "vehicle",
    "trip",
    "vcheck",
    "accident",
];
pub const AUDIT_SCHEMA: u16 = 1;

pub trait Record: Serialize + DeserializeOwned + Fielded + Clone + Send + 'static {
    const KIND: &'static str;
    const TREE: usize;
    const SCHEMA: u16;
    fn id(&self) -> u64;
    fn set_id(&mut self, id: u64);
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    /// Human-facing name in audit entries and conflict messages.
    fn label(&self) -> String;
    fn index_keys(&self) -> Vec<Vec<u8>>;
    /// What an index key carries besides pointing at the record (most carry
    /// nothing): lets a view read a summary without reading the records.
    fn index_value(&self, key: &[u8]) -> Vec<u8>;
}

/// Something to do with one record kind's type, chosen by its name at run
/// time (backups and dumps carry kinds by name).
pub trait KindVisitor {
    type Out;
    fn visit<R: Record>(self) -> Self::Out;
}

/// Run `v` with the type of the kind named `kind`; `None` for a kind this
/// guardroom does not know.
pub fn with_kind<V: KindVisitor>(kind: &str, v: V) -> Option<V::Out> {
    Some(match kind {
        "client" => v.visit::<Client>(),
        "visit" => v.visit::<Visit>(),
        "complaint" => v.visit::<Complaint>(),
        "operator" => v.visit::<Operator>(),
        "staff" => v.visit::<Staff>(),
        "post" => v.visit::<Post>(),
        "postday" => v.visit::<PostDay>(),
        "swap" => v.visit::<SwapRequest>(),
        "room" => v.visit::<Room>(),
        "inspection" => v.visit::<Inspection>(),
        "vehicle" => v.visit::<Vehicle>(),
        "trip" => v.visit::<Trip>(),
        "vcheck" => v.visit::<VehicleCheck>(),
        "accident" => v.visit::<Accident>(),
        _ => return None,
    })
}

/// The index entries of a stored record, decoded from its bytes.
/// A key and its value, as a tree holds them.
pub type KeyValue = (Vec<u8>, Vec<u8>);

pub fn index_entries_of(kind: &str, id: u64, bytes: &[u8]) -> Result<Vec<KeyValue>, StoreError> {
    struct Entries<'a>(u64, &'a [u8]);
    impl KindVisitor for Entries<'_> {
        type Out = Result<Vec<KeyValue>, StoreError>;
        fn visit<R: Record>(self) -> Self::Out {
            let rec = decode::<R>(self.0, self.1)?;
            Ok(rec
                .index_keys()
                .into_iter()
                .map(|k| {
                    let v = rec.index_value(&k);
                    (k, v)
                })
                .collect())
        }
    }
    with_kind(kind, Entries(id, bytes)).unwrap_or_else(|| Err(StoreError::corrupt(kind, id, "unknown record kind")))
}

pub fn key_id(key: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    if key.len() >= 8 {
        b.copy_from_slice(&key[key.len() - 8..]);
    }
    u64::from_be_bytes(b)
}

pub fn decode<R: Record>(id: u64, bytes: &[u8]) -> Result<R, StoreError> {
    codec::decode::<R>(R::SCHEMA, bytes).map_err(|e| StoreError::corrupt(R::KIND, id, e))
}

fn with_id(mut prefix: Vec<u8>, id: u64) -> Vec<u8> {
    prefix.extend_from_slice(&id.to_be_bytes());
    prefix
}

pub fn client_number_key(number: &str) -> Vec<u8> {
    let mut k = b"client/number\0".to_vec();
    k.extend_from_slice(number.as_bytes());
    k.push(0);
    k
}

pub fn visit_by_client_prefix(client_id: u64) -> Vec<u8> {
    with_id(b"visit/client\0".to_vec(), client_id)
}

pub fn audit_by_record_prefix(kind: &str, id: u64) -> Vec<u8> {
    let mut k = b"audit/record\0".to_vec();
    k.extend_from_slice(kind.as_bytes());
    k.push(0);
    with_id(k, id)
}

/// The kinds whose audit trail is read one record at a time (a complaint's
/// timeline), so their audit entries are indexed by record. Other kinds'
/// entries are found through the audit list: indexing them cost a key per
/// change (half a million in the large set), and sled keeps memory for every
/// page of keys from the moment it opens.
pub const TRAILED_KINDS: &[&str] = &["complaint"];

/// The index key of audit entry `seq` under its record, for a kind whose
/// trail is kept (`TRAILED_KINDS`).
pub fn audit_by_record_key(kind: &str, id: u64, seq: u64) -> Option<Vec<u8>> {
    TRAILED_KINDS.contains(&kind).then(|| with_id(audit_by_record_prefix(kind, id), seq))
}

/// The accessors every record kind has alike; a kind adds its name, tree,
/// schema, label and index keys.
macro_rules! record {
    ($ty:ty, kind: $kind:literal, tree: $tree:expr, schema: $schema:expr,
     label: |$l:ident| $label:expr, index: |$i:ident| $index:expr $(,)?) => {
        record!($ty, kind: $kind, tree: $tree, schema: $schema, label: |$l| $label, index: |$i| $index,
            value: |_r, _k| Vec::new());
    };
    ($ty:ty, kind: $kind:literal, tree: $tree:expr, schema: $schema:expr,
     label: |$l:ident| $label:expr, index: |$i:ident| $index:expr,
     value: |$vr:ident, $vk:ident| $value:expr $(,)?) => {
        impl Record for $ty {
            const KIND: &'static str = $kind;
            const TREE: usize = $tree;
            const SCHEMA: u16 = $schema;
            fn id(&self) -> u64 {
                self.id
            }
            fn set_id(&mut self, id: u64) {
                self.id = id;
            }
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
            fn label(&self) -> String {
                let $l = self;
                $label
            }
            fn index_keys(&self) -> Vec<Vec<u8>> {
                let $i = self;
                $index
            }
            fn index_value(&self, key: &[u8]) -> Vec<u8> {
                let ($vr, $vk) = (self, key);
                $value
            }
        }
    };
}

record!(Client, kind: "client", tree: 0, schema: 1,
    label: |c| format!("{} {}", c.number, c.draft.name),
    index: |c| vec![with_id(client_number_key(&c.number), c.id)],
);

/// Visits with a promise not yet kept: the Overview's and the client
/// list's pile of overdue promises starts from these, not from every visit.
pub const VISITS_WITH_OPEN_PROMISES: &[u8] = b"visit/promised\0";

record!(Visit, kind: "visit", tree: 1, schema: 1,
    label: |v| format!("{} {}", v.draft.date, v.draft.purpose),
    index: |v| {
        let mut k = visit_by_client_prefix(v.client_id);
        k.extend_from_slice(v.draft.date.format("%Y%m%d").to_string().as_bytes());
        let mut keys = vec![with_id(k, v.id)];
        if v.draft.promises.iter().any(|p| p.done.is_none()) {
            keys.push(with_id(VISITS_WITH_OPEN_PROMISES.to_vec(), v.id));
        }
        keys
    },
);

pub fn complaint_number_key(number: &str) -> Vec<u8> {
    let mut k = b"complaint/number\0".to_vec();
    k.extend_from_slice(number.as_bytes());
    k.push(0);
    k
}

pub fn complaint_by_client_prefix(client_id: u64) -> Vec<u8> {
    with_id(b"complaint/client\0".to_vec(), client_id)
}

record!(Complaint, kind: "complaint", tree: 2, schema: 1,
    label: |c| format!("{} {}", c.number, c.draft.client_name),
    index: |c| {
        let mut by_client = complaint_by_client_prefix(c.draft.client_id);
        by_client.extend_from_slice(c.draft.received_at.format("%Y%m%d%H%M").to_string().as_bytes());
        vec![with_id(complaint_number_key(&c.number), c.id), with_id(by_client, c.id)]
    },
);

pub fn operator_account_key(account: &str) -> Vec<u8> {
    let mut k = b"operator/account\0".to_vec();
    k.extend_from_slice(account.as_bytes());
    k.push(0);
    k
}

record!(Operator, kind: "operator", tree: 3, schema: 1,
    label: |o| o.account.clone(),
    index: |o| vec![with_id(operator_account_key(&o.account), o.id)],
);

fn text_key(prefix: &[u8], text: &str) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(text.as_bytes());
    k.push(0);
    k
}

pub fn staff_number_key(number: &str) -> Vec<u8> {
    text_key(b"staff/number\0", number)
}

record!(Staff, kind: "staff", tree: 4, schema: 1,
    label: |s| s.display(),
    index: |s| vec![with_id(staff_number_key(&s.number), s.id)],
);

pub fn post_by_client_prefix(client_id: u64) -> Vec<u8> {
    with_id(b"post/client\0".to_vec(), client_id)
}

record!(Post, kind: "post", tree: 5, schema: 1,
    label: |p| p.display(),
    index: |p| vec![with_id(post_by_client_prefix(p.draft.client_id), p.id)],
);

fn date_bytes(d: chrono::NaiveDate) -> [u8; 4] {
    // Days from the common era, shifted to stay positive for every date
    // chrono knows: big endian, so keys sort by date.
    ((chrono::Datelike::num_days_from_ce(&d) as i64 - i32::MIN as i64) as u32).to_be_bytes()
}

/// Every post-day of a post, by date.
pub fn postday_at_prefix(post_id: u64) -> Vec<u8> {
    with_id(b"postday/at\0".to_vec(), post_id)
}

/// The one post-day of a post on a date.
pub fn postday_at_key(post_id: u64, date: chrono::NaiveDate) -> Vec<u8> {
    let mut k = postday_at_prefix(post_id);
    k.extend_from_slice(&date_bytes(date));
    k
}

/// Post-days of a date, any post: `prefix + post id + record id`.
pub fn postday_by_date_prefix(date: chrono::NaiveDate) -> Vec<u8> {
    let mut k = b"postday/date\0".to_vec();
    k.extend_from_slice(&date_bytes(date));
    k
}

/// Who stands which shift of a post-day, kept in its date key's value so
/// the roster grid reads a week without reading the post-days themselves.
pub type ShiftGuards = Vec<(u16, Vec<u64>)>;

pub fn shift_guards(p: &PostDay) -> ShiftGuards {
    p.shifts.iter().map(|s| (s.key, s.duties.iter().map(|d| d.staff_id).collect())).collect()
}

const SHIFT_GUARDS_SCHEMA: u16 = 1;

pub fn decode_shift_guards(bytes: &[u8]) -> Result<ShiftGuards, StoreError> {
    codec::decode(SHIFT_GUARDS_SCHEMA, bytes).map_err(|e| StoreError::corrupt("postday summary", 0, e))
}

/// Index entries older versions kept and nothing reads any more: who
/// stands where was one entry per person and day (a million for a year of
/// rosters; the date index's values say it, `Store::postdays_of_staff`),
/// and the audit trail of every kind not in `TRAILED_KINDS`.
pub fn retired_index_prefixes() -> Vec<Vec<u8>> {
    let untrailed = KIND_NAMES.iter().filter(|k| !TRAILED_KINDS.contains(k));
    let mut prefixes = vec![b"duty/staff\0".to_vec()];
    prefixes.extend(untrailed.map(|kind| [b"audit/record\0", kind.as_bytes(), b"\0"].concat()));
    prefixes
}

fn postday_date_key(p: &PostDay) -> Vec<u8> {
    with_id(with_id(postday_by_date_prefix(p.date), p.post_id), p.id)
}

record!(PostDay, kind: "postday", tree: 6, schema: 1,
    label: |p| format!("{} #{}", p.date, p.post_id),
    index: |p| {
        vec![with_id(postday_at_key(p.post_id, p.date), p.id), postday_date_key(p)]
    },
    value: |p, k| if k == postday_date_key(p).as_slice() { codec::encode(SHIFT_GUARDS_SCHEMA, &shift_guards(p)) } else { Vec::new() },
);

record!(SwapRequest, kind: "swap", tree: 7, schema: 1,
    label: |s| format!("{} ⇄ {}", s.a.date, s.b.date),
    index: |_s| vec![],
);

/// The room a person lives in (at most one).
pub fn room_by_occupant_prefix(staff_id: u64) -> Vec<u8> {
    with_id(b"room/occupant\0".to_vec(), staff_id)
}

record!(Room, kind: "room", tree: 8, schema: 1,
    label: |r| r.label(),
    index: |r| r.draft.occupants.iter().map(|o| with_id(room_by_occupant_prefix(*o), r.id)).collect(),
);

/// The one inspection of a room on a night.
pub fn inspection_at_key(room_id: u64, night: chrono::NaiveDate) -> Vec<u8> {
    let mut k = with_id(b"inspection/at\0".to_vec(), room_id);
    k.extend_from_slice(&date_bytes(night));
    k
}

/// Inspections of a night, any room: `prefix + room id + record id`.
pub fn inspections_on_prefix(night: chrono::NaiveDate) -> Vec<u8> {
    let mut k = b"inspection/night\0".to_vec();
    k.extend_from_slice(&date_bytes(night));
    k
}

fn inspection_night_key(i: &Inspection) -> Vec<u8> {
    with_id(with_id(inspections_on_prefix(i.draft.night), i.draft.room_id), i.id)
}

record!(Inspection, kind: "inspection", tree: 9, schema: 1,
    label: |i| format!("{} #{}", i.draft.night, i.draft.room_id),
    index: |i| vec![with_id(inspection_at_key(i.draft.room_id, i.draft.night), i.id), inspection_night_key(i)],
    // The night key carries the score: a month's ranking reads keys only.
    value: |i, k| if k == inspection_night_key(i).as_slice() { vec![i.draft.score()] } else { Vec::new() },
);

pub fn vehicle_plate_key(plate: &str) -> Vec<u8> {
    text_key(b"vehicle/plate\0", plate)
}

record!(Vehicle, kind: "vehicle", tree: 10, schema: 1,
    label: |v| v.draft.plate.clone(),
    index: |v| vec![with_id(vehicle_plate_key(&v.draft.plate), v.id)],
);

/// A vehicle's trips by date: `prefix + date + record id`.
pub fn trip_by_vehicle_prefix(vehicle_id: u64) -> Vec<u8> {
    with_id(b"trip/vehicle\0".to_vec(), vehicle_id)
}

pub fn trip_by_vehicle_date_prefix(vehicle_id: u64, date: chrono::NaiveDate) -> Vec<u8> {
    let mut k = trip_by_vehicle_prefix(vehicle_id);
    k.extend_from_slice(&date_bytes(date));
    k
}

record!(Trip, kind: "trip", tree: 11, schema: 1,
    label: |t| format!("{} {}", t.draft.date, t.draft.purpose),
    index: |t| vec![with_id(trip_by_vehicle_date_prefix(t.draft.vehicle_id, t.draft.date), t.id)],
);

/// The one routine check of a vehicle in a month (its first day).
pub fn vcheck_at_key(vehicle_id: u64, month: chrono::NaiveDate) -> Vec<u8> {
    let mut k = with_id(b"vcheck/at\0".to_vec(), vehicle_id);
    k.extend_from_slice(&date_bytes(month));
    k
}

record!(VehicleCheck, kind: "vcheck", tree: 12, schema: 1,
    label: |c| format!("{} #{}", c.draft.month.format("%Y-%m"), c.draft.vehicle_id),
    index: |c| vec![with_id(vcheck_at_key(c.draft.vehicle_id, c.draft.month), c.id)],
);

pub fn accident_by_vehicle_prefix(vehicle_id: u64) -> Vec<u8> {
    with_id(b"accident/vehicle\0".to_vec(), vehicle_id)
}

record!(Accident, kind: "accident", tree: 13, schema: 1,
    label: |a| format!("{} {}", a.draft.at.format("%Y-%m-%d %H:%M"), a.draft.place),
    index: |a| vec![with_id(accident_by_vehicle_prefix(a.draft.vehicle_id), a.id)],
);

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn every_kind_name_has_its_type() {
        struct Names;
        impl KindVisitor for Names {
            type Out = (&'static str, usize);
            fn visit<R: Record>(self) -> Self::Out {
                (R::KIND, R::TREE)
            }
        }
        for (i, kind) in KIND_NAMES.iter().enumerate() {
            assert_eq!(with_kind(kind, Names), Some((*kind, i)));
        }
        assert_eq!(with_kind("nonesuch", Names), None);
    }
}
