//! The store: persistence, indexes, versions, audit and damaged data.

use chrono::{NaiveDate, TimeZone, Utc};
use guardroom::domain::{client_number, AuditAction, Client, ClientDraft, Meta, Visit, VisitDraft};
use guardroom::store::{Store, StoreError};

fn at(h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn new_client(store: &Store, who: &str, name: &str) -> Client {
    store
        .write(|tx| {
            let seq = tx.next_seq("client_number")?;
            let draft = ClientDraft { name: name.into(), ..Default::default() };
            tx.insert(
                who,
                at(9),
                Client { id: 0, number: client_number(seq), draft, reviews: vec![], last_visit: None, meta: Meta::new(who, at(9)) },
            )
        })
        .unwrap()
}

fn new_visit(store: &Store, client: u64, date: &str) -> Visit {
    store
        .write(|tx| {
            let mut draft = VisitDraft::new(d(date), "李娜");
            draft.purpose = "季度回访".into();
            tx.insert(
                "李娜",
                at(10),
                Visit { id: 0, client_id: client, draft: draft.clone(), complaint_id: None, meta: Meta::new("李娜", at(10)) },
            )
        })
        .unwrap()
}

#[test]
fn reopening_keeps_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let s = Store::open(&path).unwrap();
        let c = new_client(&s, "wang", "上海华贸中心");
        new_visit(&s, c.id, "2026-11-01");
    }
    let s = Store::open(&path).unwrap();
    let c = s.client_by_number("KH-0001").unwrap().expect("client survives a reopen");
    assert_eq!(c.draft.name, "上海华贸中心");
    assert_eq!(c.meta.version, 1);
    assert_eq!(s.visits_of(c.id).unwrap().len(), 1);
    // Numbers continue after a reopen, never reused.
    assert_eq!(new_client(&s, "wang", "苏州恒达").number, "KH-0002");
}

#[test]
fn a_second_open_of_the_same_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    match Store::open(dir.path()) {
        Err(e @ StoreError::InUse(_)) => assert!(e.to_string().contains("in use by another guardroom"), "{e}"),
        other => panic!("expected InUse, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn indexes_follow_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let c = new_client(&s, "wang", "华贸");
    let old = new_visit(&s, c.id, "2026-10-01");
    let newer = new_visit(&s, c.id, "2026-11-01");
    assert_eq!(s.visits_of(c.id).unwrap().iter().map(|v| v.id).collect::<Vec<_>>(), [newer.id, old.id], "newest first");

    // Moving the old visit's date past the other reorders the index.
    let mut moved = old.clone();
    moved.draft.date = d("2026-11-15");
    s.write(|tx| tx.update("wang", at(11), moved.clone())).unwrap();
    assert_eq!(s.visits_of(c.id).unwrap().iter().map(|v| v.id).collect::<Vec<_>>(), [old.id, newer.id]);
    let visit_keys = |s: &Store| s.index_keys().unwrap().into_iter().filter(|k| k.starts_with(b"visit/")).count();
    assert_eq!(visit_keys(&s), 2, "the old date's key is gone");

    s.write(|tx| tx.delete::<Visit>("wang", at(12), newer.id, newer.meta.version)).unwrap();
    assert_eq!(s.visits_of(c.id).unwrap().len(), 1);
    assert_eq!(visit_keys(&s), 1);
    assert!(s.get::<Visit>(newer.id).unwrap().is_none());
}

#[test]
fn a_stale_version_is_refused_and_names_who_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let c = new_client(&s, "wang", "华贸");
    let mut mine = c.clone();
    let mut theirs = c.clone();
    theirs.draft.phone = "021-64381234".into();
    s.write(|tx| tx.update("li", at(10), theirs.clone())).unwrap();
    mine.draft.address = "上海市静安区".into();
    let err = s.write(|tx| tx.update("wang", at(11), mine.clone())).unwrap_err();
    match err {
        StoreError::Conflict { by, at: when, .. } => {
            assert_eq!(by, "li");
            assert_eq!(when, at(10));
        }
        e => panic!("expected a conflict, got {e}"),
    }
    let stored = s.get::<Client>(c.id).unwrap().unwrap();
    assert_eq!(stored.draft.phone, "021-64381234", "their change stays");
    assert_eq!(stored.draft.address, "", "mine was not written");
    assert_eq!(stored.meta.version, 2);
}

#[test]
fn every_change_writes_an_audit_entry_with_field_changes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let c = new_client(&s, "wang", "华贸");
    let mut edit = c.clone();
    edit.draft.name = "华贸中心".into();
    s.write(|tx| tx.update("li", at(10), edit.clone())).unwrap();
    // Saving without a change writes nothing.
    let same = s.get::<Client>(c.id).unwrap().unwrap();
    s.write(|tx| tx.update("li", at(11), same.clone())).unwrap();
    let trail = s.audit_of::<Client>(c.id).unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].action, AuditAction::Create);
    assert_eq!(trail[0].who, "wang");
    assert_eq!(trail[1].action, AuditAction::Update);
    assert_eq!(trail[1].who, "li");
    assert_eq!(trail[1].at, at(10));
    assert_eq!(trail[1].changes.len(), 1);
    assert_eq!(
        (trail[1].changes[0].field.as_str(), trail[1].changes[0].before.as_str(), trail[1].changes[0].after.as_str()),
        ("name", "华贸", "华贸中心")
    );
    assert_eq!(s.audit_count(), 2);
}

#[test]
fn damaged_or_newer_records_give_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let c = new_client(&s, "wang", "华贸");
    s.put_raw::<Client>(c.id, &[0x47, 9, 0, 1, 2, 3]).unwrap();
    let e = s.get::<Client>(c.id).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("newer guardroom"), "{e}");
    s.put_raw::<Client>(c.id, b"garbage").unwrap();
    assert!(matches!(s.get::<Client>(c.id), Err(StoreError::Corrupt { .. })));
    assert!(s.all::<Client>().is_err(), "a scan reports the damaged record");
    // A write over a damaged record aborts cleanly too.
    let fix = Client { id: c.id, ..c.clone() };
    assert!(s.write(|tx| tx.update("wang", at(12), fix.clone())).is_err());
}

#[test]
fn counts_follow_inserts_and_deletes_across_reopens() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        let c = new_client(&s, "wang", "华贸");
        let v = new_visit(&s, c.id, "2026-11-01");
        new_visit(&s, c.id, "2026-11-02");
        assert_eq!((s.count::<Client>(), s.count::<Visit>()), (1, 2));
        s.write(|tx| tx.delete::<Visit>("wang", at(12), v.id, v.meta.version)).unwrap();
    }
    let s = Store::open(dir.path()).unwrap();
    assert_eq!((s.count::<Client>(), s.count::<Visit>()), (1, 1));
}

#[test]
fn dorm_and_vehicle_records_keep_the_keys_their_rules_look_up() {
    use guardroom::domain::dorm::{Curfew, CurfewCheck, HygieneItem, Inspection, InspectionDraft, Room, RoomDraft};
    use guardroom::domain::fleet::{Continuity, Trip, TripDraft, Vehicle, VehicleDraft};
    use guardroom::domain::{Choice, Fen};
    use guardroom::store::{inspection_at_key, room_by_occupant_prefix, trip_by_vehicle_date_prefix, vehicle_plate_key};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let room = store
        .write(|tx| {
            let draft = RoomDraft { building: "1号楼".into(), room: "201".into(), occupants: vec![7, 8], ..Default::default() };
            tx.insert("cap", at(9), Room { id: 0, draft, meta: Meta::new("cap", at(9)) })
        })
        .unwrap();
    assert_eq!(store.index_ids(&room_by_occupant_prefix(8)).unwrap(), [room.id], "who lives where");
    let night = d("2026-11-22");
    let draft = InspectionDraft {
        room_id: room.id,
        night,
        at: chrono::NaiveTime::from_hms_opt(22, 5, 0).unwrap(),
        inspector: "黄志勇".into(),
        curfew: vec![CurfewCheck { staff_id: 7, status: Curfew::Absent, reason: String::new() }],
        scores: HygieneItem::ALL.iter().map(|i| (*i, i.points())).collect(),
        issues: String::new(),
    };
    let insp =
        store.write(|tx| tx.insert("cap", at(22), Inspection { id: 0, draft: draft.clone(), meta: Meta::new("cap", at(22)) })).unwrap();
    assert_eq!(
        store.index_ids(&inspection_at_key(room.id, night)).unwrap(),
        [insp.id],
        "one inspection per room per night is looked up here"
    );
    assert!(store.index_ids(&inspection_at_key(room.id, d("2026-11-23"))).unwrap().is_empty());
    let v = store
        .write(|tx| {
            let draft = VehicleDraft { plate: "沪A·12345".into(), seats: 7, ..Default::default() };
            tx.insert("zhao", at(9), Vehicle { id: 0, draft, meta: Meta::new("zhao", at(9)) })
        })
        .unwrap();
    assert_eq!(store.index_ids(&vehicle_plate_key("沪A·12345")).unwrap(), [v.id]);
    let trip = TripDraft {
        vehicle_id: v.id,
        date: night,
        driver_id: 3,
        purpose: "接送".into(),
        start_km: 100,
        end_km: 140,
        fuel: Fen(0),
        toll: Fen(0),
        parking: Fen(0),
        other: Fen(0),
        receipts: String::new(),
    };
    let t = store
        .write(|tx| {
            tx.insert(
                "zhao",
                at(10),
                Trip { id: 0, draft: trip.clone(), continuity: Continuity::Continues, meta: Meta::new("zhao", at(10)) },
            )
        })
        .unwrap();
    assert_eq!(store.index_ids(&trip_by_vehicle_date_prefix(v.id, night)).unwrap(), [t.id]);
}

#[test]
fn visits_with_an_open_promise_are_listed_and_an_older_database_gets_the_list_at_open() {
    use guardroom::domain::Promise;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let promised = |s: &Store| s.visits_with_open_promises().unwrap().into_iter().map(|v| v.id).collect::<Vec<_>>();
    let (kept, open) = {
        let s = Store::open_journaled(&path).unwrap();
        let c = new_client(&s, "wang", "华贸");
        new_visit(&s, c.id, "2026-10-01");
        let with_promise = |due: &str| {
            let mut v = new_visit(&s, c.id, "2026-11-01");
            v.draft.promises.push(Promise { text: "增派夜班".into(), due: d(due), done: None });
            s.write(|tx| tx.update("wang", at(11), v.clone())).unwrap()
        };
        let (kept, open) = (with_promise("2026-11-10"), with_promise("2026-11-20"));
        assert_eq!(promised(&s), [kept.id, open.id]);
        let mut done = kept.clone();
        done.draft.promises[0].done = Some(d("2026-11-09"));
        s.write(|tx| tx.update("wang", at(12), done.clone())).unwrap();
        assert_eq!(promised(&s), [open.id], "a kept promise leaves the list");
        (kept, open)
    };
    // A database from before the list: no entries and no layout mark.
    {
        let db = sled::open(&path).unwrap();
        let index = db.open_tree("index").unwrap();
        let stale: Vec<_> = index.scan_prefix(b"visit/promised\0").keys().map(Result::unwrap).collect();
        assert_eq!(stale.len(), 1);
        for k in stale {
            index.remove(k).unwrap();
        }
        db.open_tree("meta").unwrap().remove(b"index_layout").unwrap();
        db.flush().unwrap();
    }
    let s = Store::open_journaled(&path).unwrap();
    assert_eq!(promised(&s), [open.id], "listed again at open, and only the open one");
    assert!(!promised(&s).contains(&kept.id));
}

/// sled at open, retried while the previous handle's threads let go of it.
fn sled_open_when_free(path: &std::path::Path) -> sled::Result<sled::Db> {
    for _ in 0..50 {
        match sled::open(path) {
            Err(e) if e.to_string().contains("could not acquire lock") => std::thread::sleep(std::time::Duration::from_millis(40)),
            other => return other,
        }
    }
    sled::open(path)
}

/// A process killed while sled writes a snapshot leaves it half written as
/// `snap.<lsn>.generating`; sled 0.34 reads that file at open and calls the
/// database corrupt. guardroom removes it first: the snapshot before it and
/// the log are whole.
#[test]
fn a_snapshot_sled_did_not_finish_writing_does_not_stop_the_database_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let (client, visit) = {
        let s = Store::open_journaled(&path).unwrap();
        let c = new_client(&s, "wang", "上海华贸中心");
        let v = new_visit(&s, c.id, "2026-11-01");
        (c, v)
    };
    let unfinished = path.join("snap.00000000FFFFFFFF.generating");
    std::fs::write(&unfinished, b"half a snapshot").unwrap();
    let refused = sled_open_when_free(&path).expect_err("sled 0.34 alone reads the unfinished snapshot and refuses the database");
    assert!(refused.to_string().contains("corrupted"), "{refused}");

    let s = Store::open_journaled(&path).expect("the unfinished snapshot is set aside and the database opens");
    assert!(!unfinished.exists());
    assert_eq!(s.get::<Client>(client.id).unwrap(), Some(client.clone()));
    assert_eq!(s.get::<Visit>(visit.id).unwrap(), Some(visit));
    assert_eq!(s.client_by_number("KH-0001").unwrap().map(|c| c.id), Some(client.id));
    assert_eq!(new_client(&s, "wang", "苏州恒达").number, "KH-0002");
}

/// While another handle has the database open, a `.generating` file may be
/// one it is writing now: it is left alone.
#[test]
fn a_snapshot_being_written_by_an_open_database_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let s = Store::open(&path).unwrap();
    new_client(&s, "wang", "上海华贸中心");
    let writing = path.join("snap.00000000FFFFFFFF.generating");
    std::fs::write(&writing, b"being written").unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::InUse(_))));
    assert!(writing.exists(), "the open database's snapshot in progress is not touched");
}

/// The page table sled writes at open (`snap.*`) has one entry per page:
/// its size says how many pages a tree of this many keys takes.
fn page_table_bytes_after(values: &[u8], keys: u64) -> (u64, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    {
        let db = sled::open(&path).unwrap();
        let tree = db.open_tree("t").unwrap();
        for n in 0..keys {
            tree.insert(n.to_be_bytes(), values).unwrap();
        }
        db.flush().unwrap();
    }
    // Opening again replays the log and writes the page table.
    let db = sled_open_when_free(&path).unwrap();
    assert_eq!(db.open_tree("t").unwrap().len() as u64, keys);
    drop(db);
    let snapshot = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("snap."))
        .map(|e| e.metadata().unwrap().len())
        .max()
        .expect("sled wrote its page table");
    let blobs = std::fs::read_dir(path.join("blobs")).map(|d| d.count()).unwrap_or(0);
    (snapshot, blobs)
}

#[test]
fn sled_keeps_up_to_64_small_entries_in_a_leaf_so_a_large_database_opens_fast() {
    // 20,000 small keys: about 34 KB of page table with sled's own split at
    // 16 entries, about 10 KB with the vendored one (vendor/sled/VENDORED.md).
    let (page_table, _) = page_table_bytes_after(&[7; 16], 20_000);
    assert!(page_table < 20_000, "the page table of 20,000 small keys takes {page_table} bytes: leaves split at 16 entries again");
}

#[test]
fn leaves_of_large_values_stay_small_enough_that_sled_writes_no_blob_files() {
    // 6 KB values: 64 of them in a leaf would be a 384 KiB node, which sled
    // writes to a blob file of its own; the 32 KiB bound splits before.
    let (_, blobs) = page_table_bytes_after(&[7; 6 * 1024], 2_000);
    assert_eq!(blobs, 0, "large values made {blobs} blob files: the byte bound on a leaf is gone");
}
