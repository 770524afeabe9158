//! Backups, restores and portable dumps: exact copies, refusals that leave
//! the live database untouched, and consistency while writes go on.

mod common;

use chrono::{TimeZone, Utc};
use common::{assert_consistent, entries};
use guardroom::backup::{self, portable, BackupError};
use guardroom::domain::{ClientDraft, PostDay, SwapSide, VisitDraft};
use guardroom::service::duty::DutyCommand;
use guardroom::service::{Api, FixedClock, Service};
use guardroom::store::{Record, Store, KIND_NAMES, TREE_NAMES};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use common::Entries;

fn service_at(path: &Path) -> Arc<Service> {
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    Service::new(Store::open(path).unwrap(), Box::new(clock))
}

fn entries_at(path: &Path) -> Entries {
    entries(&Store::open(path).unwrap())
}

/// A database with the demo set and a shift swap: every kind has records.
fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("live.db");
    let service = service_at(&path);
    service.bootstrap_admin("li").unwrap();
    service.load_demo("li").unwrap();
    if service.store().count::<guardroom::domain::SwapRequest>() == 0 {
        request_a_swap(&service);
    }
    for (i, kind) in KIND_NAMES.iter().enumerate() {
        let n = entries(service.store()).iter().filter(|(t, _, _)| *t == 3 + i).count();
        assert!(n > 0, "the demo set has no {kind}");
    }
    path
}

fn request_a_swap(service: &Service) {
    let today = service.today();
    let days: Vec<PostDay> = service.store().all::<PostDay>().unwrap().into_iter().filter(|p| p.date > today).collect();
    let sides: Vec<SwapSide> = days
        .iter()
        .flat_map(|p| {
            p.shifts.iter().flat_map(move |s| {
                s.duties.iter().map(move |d| SwapSide { post_id: p.post_id, date: p.date, shift_key: s.key, staff_id: d.staff_id })
            })
        })
        .collect();
    for a in &sides {
        for b in sides.iter().filter(|b| b.staff_id != a.staff_id && b.date != a.date) {
            let asked = service.duty_do("li", DutyCommand::RequestSwap { a: *a, b: *b, reason: "家中有事".into() });
            if asked.is_ok() {
                return;
            }
        }
    }
    panic!("no swap could be requested in the demo set");
}

/// The demo database, built once and copied for each test that needs it.
fn demo_copy(dir: &Path) -> PathBuf {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_keep, path) = BUILT.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let p = demo_db(d.path());
        (d, p)
    });
    let to = dir.join("live.db");
    let out = std::process::Command::new("cp").arg("-r").arg(path).arg(&to).status().unwrap();
    assert!(out.success());
    to
}

fn counts(summary: &backup::Summary) -> Vec<u64> {
    summary.records.iter().map(|(_, n)| *n).collect()
}

#[test]
fn a_restored_backup_is_the_database_entry_for_entry() {
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    let file = dir.path().join("b.grb");
    let before = entries_at(&live);
    let written = {
        let store = Store::open(&live).unwrap();
        backup::write_backup(&store, &file, false).unwrap()
    };
    assert!(written.audit_entries > 0);
    let restored = backup::restore(&file, &dir.path().join("copy.db"), false).unwrap();
    assert_eq!(counts(&restored), counts(&written));
    assert_eq!(restored.audit_entries, written.audit_entries);
    let copy = entries_at(&dir.path().join("copy.db"));
    assert_eq!(copy.len(), before.len());
    assert!(copy == before, "every tree's keys and values are identical");
    // The restored database works: the service reads and writes it.
    let service = service_at(&dir.path().join("copy.db"));
    let c = service.create_client("li", ClientDraft { name: "恢复后新客户".into(), ..Default::default() }).unwrap();
    assert_eq!(c.number, format!("KH-{:04}", written.records[0].1 + 1), "numbering goes on from the backup");
}

#[test]
fn a_backup_taken_while_writes_go_on_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    let service = service_at(&live);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (service, stop) = (Arc::clone(&service), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let c = service.create_client("li", ClientDraft { name: format!("并发客户{n}"), ..Default::default() }).unwrap();
                let mut draft = VisitDraft::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), "li");
                draft.purpose = "回访".into();
                service.add_visit("li", c.id, draft).unwrap();
                n += 1;
            }
            n
        })
    };
    let mut files = Vec::new();
    for i in 0..4 {
        let file = dir.path().join(format!("b{i}.grb"));
        let s = backup::write_backup(service.store(), &file, false).unwrap();
        files.push((file, s));
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0, "writes went on around the backups");
    let mut last = 0;
    for (i, (file, s)) in files.iter().enumerate() {
        let target = dir.path().join(format!("r{i}.db"));
        let restored = backup::restore(file, &target, false).unwrap();
        assert_eq!(counts(&restored), counts(s));
        assert!(restored.records[0].1 >= last, "later backups hold no fewer clients");
        last = restored.records[0].1;
        assert_consistent(&Store::open(&target).unwrap());
    }
}

fn live_with_backup(dir: &Path) -> (PathBuf, PathBuf, Vec<u8>) {
    let live = demo_copy(dir);
    let file = dir.join("b.grb");
    backup::write_backup(&Store::open(&live).unwrap(), &file, false).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    (live, file, bytes)
}

#[test]
fn a_truncated_backup_is_refused_and_the_live_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file, bytes) = live_with_backup(dir.path());
    let before = entries_at(&live);
    for cut in [10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 5, bytes.len() - 1] {
        std::fs::write(&file, &bytes[..cut]).unwrap();
        let err = backup::restore(&file, &live, true).unwrap_err();
        let expected = if cut < 16 { "not a guardroom backup" } else { "incomplete or damaged" };
        assert!(err.message(guardroom::i18n::Lang::En).contains(expected), "cut at {cut}: {err:?}");
        assert!(err.message(guardroom::i18n::Lang::Zh).contains("备份"), "{err:?}");
    }
    assert!(entries_at(&live) == before, "the live database is as it was");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "nothing left beside it");
}

#[test]
fn a_flipped_byte_is_refused_by_the_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file, mut bytes) = live_with_backup(dir.path());
    let before = entries_at(&live);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    let err = backup::restore(&file, &live, true).unwrap_err();
    assert!(matches!(err, BackupError::Damaged { .. } | BackupError::Truncated { .. }), "{err:?}");
    assert!(backup::verify(&file).is_err());
    assert!(entries_at(&live) == before);
}

#[test]
fn a_backup_from_a_newer_guardroom_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file, mut bytes) = live_with_backup(dir.path());
    let before = entries_at(&live);
    let newer = backup::format::FORMAT + 1;
    bytes[16..18].copy_from_slice(&newer.to_le_bytes()); // the format version, right after the magic
    std::fs::write(&file, &bytes).unwrap();
    let err = backup::restore(&file, &live, true).unwrap_err();
    assert_eq!(err, BackupError::Newer { path: file.display().to_string(), found: newer, known: backup::format::FORMAT });
    assert!(err.message(guardroom::i18n::Lang::En).contains("use a newer guardroom"));
    assert!(err.message(guardroom::i18n::Lang::Zh).contains("新版 guardroom"));

    // A record written with a newer schema than this guardroom reads.
    let newer = dir.path().join("newer.db");
    {
        let service = service_at(&newer);
        service.bootstrap_admin("li").unwrap();
        let c = service.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
        let mut raw = guardroom::store::codec::encode(guardroom::domain::Client::SCHEMA, &c);
        raw[1] = 9;
        service.store().put_raw::<guardroom::domain::Client>(c.id, &raw).unwrap();
        backup::write_backup(service.store(), &dir.path().join("n.grb"), false).unwrap();
    }
    let err = backup::restore(&dir.path().join("n.grb"), &live, true).unwrap_err();
    assert!(matches!(err, BackupError::NewerKind { ref kind, found: 9, .. } if kind == "client"), "{err:?}");
    assert!(entries_at(&live) == before);
}

#[test]
fn restore_replaces_a_database_only_when_told_and_never_one_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file, _) = live_with_backup(dir.path());
    let other = dir.path().join("other.db");
    {
        let s = service_at(&other);
        s.bootstrap_admin("wang").unwrap();
    }
    let before = entries_at(&other);
    let err = backup::restore(&file, &other, false).unwrap_err();
    assert!(matches!(err, BackupError::TargetExists { .. }), "{err:?}");
    assert!(err.message(guardroom::i18n::Lang::En).contains("--force"));
    assert!(entries_at(&other) == before);
    {
        // Open, as a server would hold it.
        let _open = Store::open(&other).unwrap();
        let err = backup::restore(&file, &other, true).unwrap_err();
        assert!(matches!(err, BackupError::InUse { .. }), "{err:?}");
    }
    assert!(entries_at(&other) == before);
    // A directory of someone's files is never taken for a database.
    let files = dir.path().join("papers");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("合同.txt"), "x").unwrap();
    assert!(matches!(backup::restore(&file, &files, true), Err(BackupError::NotADatabase { .. })));
    assert!(files.join("合同.txt").exists());
    // Told to, it replaces it, and nothing is left beside it.
    backup::restore(&file, &other, true).unwrap();
    assert!(entries_at(&other) == entries_at(&live));
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn backup_refuses_an_existing_file_unless_told_and_a_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    let store = Store::open(&live).unwrap();
    let file = dir.path().join("b.grb");
    std::fs::write(&file, "keep me").unwrap();
    assert!(matches!(backup::write_backup(&store, &file, false), Err(BackupError::FileExists { .. })));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    backup::write_backup(&store, &file, true).unwrap();
    backup::verify(&file).unwrap();
    assert!(matches!(backup::write_backup(&store, Path::new("b.grb"), false), Err(BackupError::NotAbsolute { .. })));
}

#[test]
fn dump_then_load_gives_back_every_record_index_key_and_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    // Generated rosters and logistics on top of the demo set.
    {
        let service = service_at(&live);
        let today = service.today();
        let sizes = guardroom::service::generate_rosters::RosterSizes { staff: 20, posts: 3, days: 10, days_ahead: 5 };
        guardroom::service::generate_rosters::generate_rosters(&service, "li", today, &sizes, |_| {}).unwrap();
        let sizes = guardroom::service::generate_logistics::LogisticsSizes { rooms: 3, inspections: 20, vehicles: 2, trips: 10 };
        guardroom::service::generate_logistics::generate_logistics(&service, "li", today, &sizes).unwrap();
    }
    let file = dir.path().join("d.jsonl");
    let (dumped, lines) = portable::dump(&Store::open(&live).unwrap(), &file, false).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count() as u64, lines);
    for kind in KIND_NAMES {
        assert!(text.contains(&format!("{{\"kind\":\"{kind}\",\"schema\":")), "the dump has {kind} lines");
    }
    let copy = dir.path().join("loaded.db");
    let loaded = portable::load(&file, &copy).unwrap();
    assert_eq!(counts(&loaded), counts(&dumped));
    assert_eq!(loaded.audit_entries, dumped.audit_entries);
    let (a, b) = (entries_at(&live), entries_at(&copy));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x == y, "tree {} differs at key {:?}", TREE_NAMES[x.0], String::from_utf8_lossy(&x.1));
    }
    // And a dump of the loaded database is the same dump.
    let again = dir.path().join("d2.jsonl");
    portable::dump(&Store::open(&copy).unwrap(), &again, false).unwrap();
    let body = |t: &str| t.lines().skip(1).map(String::from).collect::<Vec<_>>();
    assert!(body(&std::fs::read_to_string(&again).unwrap()) == body(&text));
    common::assert_consistent(&Store::open(&copy).unwrap());
}

#[test]
fn load_takes_only_an_empty_database_and_a_whole_dump() {
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    let file = dir.path().join("d.jsonl");
    portable::dump(&Store::open(&live).unwrap(), &file, false).unwrap();
    let before = entries_at(&live);
    let err = portable::load(&file, &live).unwrap_err();
    assert!(matches!(err, BackupError::NotEmpty { .. }), "{err:?}");
    assert!(err.message(guardroom::i18n::Lang::Zh).contains("空数据库"));
    assert!(entries_at(&live) == before);

    // Cut before its end line: refused, and no database is made.
    let text = std::fs::read_to_string(&file).unwrap();
    let cut: String = text.lines().take(text.lines().count() / 2).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, cut).unwrap();
    let target = dir.path().join("new.db");
    assert!(matches!(portable::load(&file, &target), Err(BackupError::DumpIncomplete { .. })));
    assert!(!target.exists());

    // A damaged line names its number.
    let mut lines: Vec<&str> = text.lines().collect();
    lines[3] = "{\"kind\":\"client\",\"schema\":1,\"id\":";
    std::fs::write(&file, lines.join("\n")).unwrap();
    assert!(matches!(portable::load(&file, &target), Err(BackupError::DumpLine { line: 4, .. })));
    // A record of a newer schema.
    let newer = text.replacen("\"kind\":\"client\",\"schema\":1", "\"kind\":\"client\",\"schema\":5", 1);
    std::fs::write(&file, newer).unwrap();
    assert!(matches!(portable::load(&file, &target), Err(BackupError::NewerKind { found: 5, .. })));
    assert!(!target.exists());
    // An empty database (opened once, nothing in it) is fine.
    std::fs::write(&file, &text).unwrap();
    drop(Store::open(&target).unwrap());
    portable::load(&file, &target).unwrap();
    assert!(entries_at(&target) == before);
}

/// A file of format 1 holds the index of the version that wrote it; a
/// restore makes the index afresh, so an entry this version no longer keeps
/// (an audit trail of a client) does not come back, and the copy checks out.
#[test]
fn a_backup_that_holds_an_index_is_restored_with_this_versions_index() {
    use guardroom::backup::format::{Reader, Writer};
    let dir = tempfile::tempdir().unwrap();
    let live = demo_copy(dir.path());
    let before = entries_at(&live);
    let store = Store::open(&live).unwrap();
    let file = dir.path().join("b.grb");
    backup::write_backup(&store, &file, false).unwrap();
    let mut header = Reader::open(std::fs::File::open(&file).unwrap(), "b.grb").unwrap().header;
    header.trees = TREE_NAMES.iter().map(|t| t.to_string()).collect();
    let mut trees: Vec<Vec<(Vec<u8>, Vec<u8>)>> = vec![Vec::new(); TREE_NAMES.len()];
    store
        .snapshot()
        .for_each(|t, k, v| {
            trees[t].push((k.to_vec(), v.to_vec()));
            Ok::<(), guardroom::store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let index = TREE_NAMES.iter().position(|t| *t == "index").unwrap();
    let retired = [b"audit/record\0client\0".as_slice(), &1u64.to_be_bytes(), &1u64.to_be_bytes()].concat();
    trees[index].push((retired.clone(), Vec::new()));
    trees[index].sort();
    let old = dir.path().join("format1.grb");
    let mut w = Writer::new(std::fs::File::create(&old).unwrap(), &header).unwrap();
    for (t, entries) in trees.iter().enumerate() {
        for (k, v) in entries {
            w.entry(t, k, v).unwrap();
        }
    }
    w.finish().unwrap();

    let copy = dir.path().join("copy.db");
    backup::restore(&old, &copy, false).unwrap();
    let restored = Store::open(&copy).unwrap();
    assert_eq!(restored.verify().unwrap().problem, None);
    assert!(entries(&restored).iter().all(|(_, k, _)| *k != retired), "the retired index entry came back");
    drop(restored);
    assert!(entries_at(&copy) == before, "every record, audit entry and index key as in the live database");
}
