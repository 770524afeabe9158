//! Every table as CSV for Excel and WPS: UTF-8 with a byte-order mark,
//! headers in the user's language, written row by row to any writer (a
//! year of shift assignments does not have to fit in memory twice). The
//! four importable kinds use the columns `csv_in` reads, so an export
//! imports back as it was.

use super::columns::header;
use super::{Kind, Table};
use crate::domain::dorm::{Curfew, Inspection, Room};
use crate::domain::fleet::{Accident, Trip, Vehicle, VehicleCheck};
use crate::domain::{shifts_text, Client, Complaint, Operator, Post, PostDay, Staff, Visit};
use crate::i18n::{weekday, Label, Lang, T};
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Write(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn datetime(d: Option<chrono::NaiveDateTime>) -> String {
    d.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// Numbers and names of every person, by id.
fn people(store: &Store) -> Result<HashMap<u64, Staff>, StoreError> {
    Ok(store.all::<Staff>()?.into_iter().map(|s| (s.id, s)).collect())
}

fn staff_numbers(ids: &[u64], people: &HashMap<u64, Staff>) -> String {
    ids.iter().map(|id| people.get(id).map(|s| s.number.clone()).unwrap_or_else(|| format!("#{id}"))).collect::<Vec<_>>().join(" ")
}

/// Write `table` to `out`; returns the number of rows written. Without
/// `contracts`, client contract terms are left empty (roles that may not read them).
pub fn write_table(store: &Store, table: Table, lang: Lang, contracts: bool, out: impl Write) -> Result<usize, ExportError> {
    let mut out = out;
    out.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut w = csv::Writer::from_writer(out);
    let t = |k: T| k.get(lang);
    let titles = |keys: &[T]| keys.iter().map(|k| k.get(lang)).collect::<Vec<_>>();
    let mut n = 0;
    match table {
        Table::Clients => {
            w.write_record(header(Kind::Clients, lang))?;
            for c in store.all::<Client>()? {
                let d = &c.draft;
                let k = if contracts { d.contract.clone() } else { Default::default() };
                w.write_record([
                    c.number.clone(),
                    d.name.clone(),
                    d.kind.label(lang).into(),
                    d.services.label(lang).into(),
                    d.address.clone(),
                    d.contact.clone(),
                    d.contact_title.clone(),
                    d.phone.clone(),
                    d.rating.label(lang).into(),
                    d.tier.label(lang).into(),
                    d.status.label(lang).into(),
                    k.number,
                    date(k.start),
                    date(k.end),
                    k.monthly_fee.to_string(),
                    k.legal_review.label(lang).into(),
                    d.visit_interval_days.to_string(),
                    d.notes.clone(),
                ])?;
                n += 1;
            }
        }
        Table::Staff => {
            w.write_record(header(Kind::Staff, lang))?;
            for s in store.all::<Staff>()? {
                let d = &s.draft;
                let rest: Vec<&str> = d.rest_days.days().into_iter().map(|day| weekday(day, lang)).collect();
                w.write_record([
                    s.number.clone(),
                    d.name.clone(),
                    d.brigade.label(lang).into(),
                    d.role.label(lang).into(),
                    d.phone.clone(),
                    date(d.hire_date),
                    d.licence.number.clone(),
                    date(d.licence.expires),
                    d.permit.number.clone(),
                    date(d.permit.expires),
                    d.dorm_room.clone(),
                    d.status.label(lang).into(),
                    rest.join(" "),
                    d.notes.clone(),
                ])?;
                n += 1;
            }
        }
        Table::Posts => {
            w.write_record(header(Kind::Posts, lang))?;
            let clients: HashMap<u64, String> = store.all::<Client>()?.into_iter().map(|c| (c.id, c.number)).collect();
            for p in store.all::<Post>()? {
                let d = &p.draft;
                w.write_record([
                    p.number.clone(),
                    clients.get(&d.client_id).cloned().unwrap_or_default(),
                    d.site.clone(),
                    d.address.clone(),
                    d.brigade.label(lang).into(),
                    shifts_text(&d.shifts),
                    d.orders.clone(),
                    d.operators.join(" "),
                    date(p.closed),
                ])?;
                n += 1;
            }
        }
        Table::Vehicles => {
            w.write_record(header(Kind::Vehicles, lang))?;
            let people = people(store)?;
            for v in store.all::<Vehicle>()? {
                let d = &v.draft;
                w.write_record([
                    d.plate.clone(),
                    d.model.clone(),
                    d.seats.to_string(),
                    d.odometer.to_string(),
                    date(d.insurance_due),
                    date(d.inspection_due),
                    staff_numbers(&d.drivers, &people),
                    d.notes.clone(),
                ])?;
                n += 1;
            }
        }
        Table::Visits => {
            w.write_record(titles(&[
                T::XferColClientNo,
                T::FieldName,
                T::FieldVisitDate,
                T::FieldVisitBy,
                T::FieldMethod,
                T::FieldMet,
                T::FieldPurpose,
                T::FieldOpinions,
                T::FieldPromises,
            ]))?;
            let clients: HashMap<u64, Client> = store.all::<Client>()?.into_iter().map(|c| (c.id, c)).collect();
            for v in store.all::<Visit>()? {
                let d = &v.draft;
                let c = clients.get(&v.client_id);
                let promises: Vec<String> = d
                    .promises
                    .iter()
                    .map(|p| match p.done {
                        Some(done) => format!("{} {} ({} {})", p.due, p.text, t(T::DetailDone), done),
                        None => format!("{} {}", p.due, p.text),
                    })
                    .collect();
                w.write_record([
                    c.map(|c| c.number.clone()).unwrap_or_default(),
                    c.map(|c| c.draft.name.clone()).unwrap_or_default(),
                    d.date.to_string(),
                    d.by.clone(),
                    d.method.label(lang).into(),
                    d.met.clone(),
                    d.purpose.clone(),
                    d.opinions.clone(),
                    promises.join("\n"),
                ])?;
                n += 1;
            }
        }
        Table::Complaints => {
            let rows = store.all::<Complaint>()?;
            n = rows.len();
            let bytes = crate::export::complaints_csv(&rows, lang, chrono::Local::now().naive_local())?;
            // The list export writes its own BOM; this writer has one already.
            let mut inner = w.into_inner().map_err(|e| e.into_error())?;
            inner.write_all(&bytes[3..])?;
            inner.flush()?;
            return Ok(n);
        }
        Table::Assignments => {
            w.write_record(titles(&[
                T::GuardColDate,
                T::RosterColPost,
                T::AuditColShift,
                T::StaffColNumber,
                T::StaffColName,
                T::AuditColStatus,
                T::XferColCheckIn,
                T::XferColCheckOut,
                T::SummaryColLateMinutes,
                T::FieldReason,
                T::PostHandoverField,
            ]))?;
            let people = people(store)?;
            let posts: HashMap<u64, Post> = store.all::<Post>()?.into_iter().map(|p| (p.id, p)).collect();
            for pd in store.all::<PostDay>()? {
                let post = posts.get(&pd.post_id);
                for s in &pd.shifts {
                    let shift = post.and_then(|p| p.shift(s.key)).map(|x| format!("{} {}", x.name, x.times())).unwrap_or_default();
                    for d in &s.duties {
                        let who = people.get(&d.staff_id);
                        w.write_record([
                            pd.date.to_string(),
                            post.map(|p| p.display()).unwrap_or_default(),
                            shift.clone(),
                            who.map(|s| s.number.clone()).unwrap_or_default(),
                            who.map(|s| s.draft.name.clone()).unwrap_or_default(),
                            d.status.label(lang).into(),
                            datetime(d.check_in),
                            datetime(d.check_out),
                            d.late_minutes.to_string(),
                            d.reason.clone(),
                            s.handover.clone(),
                        ])?;
                        n += 1;
                    }
                }
            }
        }
        Table::Rooms => {
            w.write_record(titles(&[
                T::RoomFieldBuilding,
                T::RoomFieldRoom,
                T::RoomFieldCapacity,
                T::RoomFieldOccupants,
                T::RoomFieldRent,
                T::RoomFieldLandlord,
                T::RoomFieldAccount,
                T::FieldNotes,
            ]))?;
            let people = people(store)?;
            for r in store.all::<Room>()? {
                let d = &r.draft;
                w.write_record([
                    d.building.clone(),
                    d.room.clone(),
                    d.capacity.to_string(),
                    staff_numbers(&d.occupants, &people),
                    d.rent.to_string(),
                    d.landlord.clone(),
                    d.landlord_account.clone(),
                    d.notes.clone(),
                ])?;
                n += 1;
            }
        }
        Table::RoomChecks => {
            w.write_record(titles(&[
                T::GuardColDate,
                T::RoomColRoom,
                T::ChkFieldInspector,
                T::XferColScore,
                T::SummaryColAbsent,
                T::RoomFieldIssues,
            ]))?;
            let people = people(store)?;
            let rooms: HashMap<u64, String> = store.all::<Room>()?.into_iter().map(|r| (r.id, r.label())).collect();
            for i in store.all::<Inspection>()? {
                let d = &i.draft;
                let absent: Vec<u64> = d.curfew.iter().filter(|c| c.status == Curfew::Absent).map(|c| c.staff_id).collect();
                w.write_record([
                    d.night.to_string(),
                    rooms.get(&d.room_id).cloned().unwrap_or_default(),
                    d.inspector.clone(),
                    d.score().to_string(),
                    staff_numbers(&absent, &people),
                    d.issues.clone(),
                ])?;
                n += 1;
            }
        }
        Table::Trips => {
            w.write_record(titles(&[
                T::GuardColDate,
                T::VehFieldPlate,
                T::TripFieldDriver,
                T::TripFieldPurpose,
                T::TripFieldStart,
                T::TripFieldEnd,
                T::TripFieldFuel,
                T::TripFieldToll,
                T::TripFieldParking,
                T::TripFieldOther,
                T::TripFieldReceipts,
            ]))?;
            let people = people(store)?;
            let plates: HashMap<u64, String> = store.all::<Vehicle>()?.into_iter().map(|v| (v.id, v.draft.plate)).collect();
            for tr in store.all::<Trip>()? {
                let d = &tr.draft;
                w.write_record([
                    d.date.to_string(),
                    plates.get(&d.vehicle_id).cloned().unwrap_or_default(),
                    staff_numbers(&[d.driver_id], &people),
                    d.purpose.clone(),
                    d.start_km.to_string(),
                    d.end_km.to_string(),
                    d.fuel.to_string(),
                    d.toll.to_string(),
                    d.parking.to_string(),
                    d.other.to_string(),
                    d.receipts.clone(),
                ])?;
                n += 1;
            }
        }
        Table::VehicleChecks => {
            w.write_record(titles(&[
                T::SummaryColMonth,
                T::VehFieldPlate,
                T::ChkFieldInspector,
                T::XferColResult,
                T::ChkFieldDefects,
                T::ChkFieldRepaired,
            ]))?;
            let plates: HashMap<u64, String> = store.all::<Vehicle>()?.into_iter().map(|v| (v.id, v.draft.plate)).collect();
            for c in store.all::<VehicleCheck>()? {
                let d = &c.draft;
                w.write_record([
                    d.month.format("%Y-%m").to_string(),
                    plates.get(&d.vehicle_id).cloned().unwrap_or_default(),
                    d.inspector.clone(),
                    if d.passed() { t(T::ChkPass) } else { t(T::ChkFail) }.to_string(),
                    d.defects.clone(),
                    date(d.repaired),
                ])?;
                n += 1;
            }
        }
        Table::Accidents => {
            w.write_record(titles(&[
                T::AccFieldAt,
                T::VehFieldPlate,
                T::TripFieldDriver,
                T::AccFieldPlace,
                T::AccFieldDescription,
                T::AccFieldInjuries,
                T::AccFieldReported,
            ]))?;
            let people = people(store)?;
            let plates: HashMap<u64, String> = store.all::<Vehicle>()?.into_iter().map(|v| (v.id, v.draft.plate)).collect();
            for a in store.all::<Accident>()? {
                let d = &a.draft;
                w.write_record([
                    datetime(Some(d.at)),
                    plates.get(&d.vehicle_id).cloned().unwrap_or_default(),
                    staff_numbers(&[d.driver_id], &people),
                    d.place.clone(),
                    d.description.clone(),
                    d.injuries.clone(),
                    datetime(d.reported_at),
                ])?;
                n += 1;
            }
        }
        Table::Operators => {
            w.write_record(titles(&[T::OpFieldAccount, T::OpFieldRole, T::OpColActive, T::OpColSince]))?;
            for o in store.all::<Operator>()? {
                w.write_record([
                    o.account.clone(),
                    o.role.label(lang).into(),
                    if o.active { t(T::XferActive) } else { t(T::XferDisabled) }.to_string(),
                    o.meta.created_at.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string(),
                ])?;
                n += 1;
            }
        }
        Table::Audit => {
            w.write_record(titles(&[
                T::AuditColTime,
                T::AuditColWho,
                T::AuditColKind,
                T::AuditColRecord,
                T::AuditColAction,
                T::AuditColFields,
            ]))?;
            let mut failed = None;
            store.audit_newest(|e| {
                let action = match e.action {
                    crate::domain::AuditAction::Create => t(T::AuditCreate),
                    crate::domain::AuditAction::Update => t(T::AuditUpdate),
                    crate::domain::AuditAction::Delete => t(T::AuditDelete),
                };
                let changes: Vec<String> = e.changes.iter().map(|c| format!("{}: {} → {}", c.field, c.before, c.after)).collect();
                let row = [
                    e.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.who.clone(),
                    e.kind.clone(),
                    e.label.clone(),
                    action.to_string(),
                    changes.join("\n"),
                ];
                match w.write_record(row) {
                    Ok(()) => {
                        n += 1;
                        true
                    }
                    Err(err) => {
                        failed = Some(err);
                        false
                    }
                }
            })?;
            if let Some(e) = failed {
                return Err(e.into());
            }
        }
    }
    w.flush()?;
    Ok(n)
}

/// A table as bytes (for the screens and the server, where tables are small).
pub fn table_bytes(store: &Store, table: Table, lang: Lang, contracts: bool) -> Result<Vec<u8>, ExportError> {
    let mut buf = Vec::new();
    write_table(store, table, lang, contracts, &mut buf)?;
    Ok(buf)
}
