//! The journal, automatic backups and `guardroom recover`: every
//! acknowledged save comes back after sled's files are damaged.

mod common;

use chrono::{TimeZone, Utc};
use common::{assert_consistent, entries, Entries};
use guardroom::backup::auto::AutoBackups;
use guardroom::backup::recover::{recover, RecoverError, Recovered};
use guardroom::domain::{ClientDraft, Complaint, VisitDraft};
use guardroom::service::{Api, FixedClock, Service, Step};
use guardroom::store::journal::{self, dir_of};
use guardroom::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

fn service(db: &Path) -> Arc<Service> {
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    Service::new(Store::open_journaled(db).unwrap(), Box::new(clock))
}

/// The data directory the binary uses under `home` (see `common::env_for`),
/// and its automatic backups.
fn auto_in(home: &Path) -> AutoBackups {
    AutoBackups { enabled: true, dir: home.join("data/guardroom/backups"), keep: 3 }
}

/// A run of saves of several kinds: the demo set (clients, visits,
/// complaints, staff, posts, rosters, rooms, vehicles …), then edits.
fn saves(s: &Service, round: u32) {
    let c = s.create_client("li", ClientDraft { name: format!("恒达物流{round}"), ..Default::default() }).unwrap();
    let c = s.update_client("li", c.id, c.meta.version, ClientDraft { phone: "13812345678".into(), ..c.draft.clone() }).unwrap();
    let visit = VisitDraft { purpose: format!("回访 {round}"), ..VisitDraft::new(s.today(), "李娜") };
    s.add_visit("li", c.id, visit).unwrap();
    let template = s.store().all::<Complaint>().unwrap().into_iter().next().expect("the demo set has complaints");
    let k = s.register_complaint("li", template.draft.clone()).unwrap();
    s.complaint_step("li", k.id, k.meta.version, Step::Inform { how: "电话".into() }).unwrap();
}

/// A database with saves before and after an automatic backup; returns
/// every entry as the last save left it.
fn saved_with_backup(db: &Path, auto: &AutoBackups) -> Entries {
    let s = service(db);
    s.bootstrap_admin("li").unwrap();
    s.load_demo("li").unwrap();
    saves(&s, 1);
    auto.take(s.store()).unwrap();
    for round in 2..5 {
        saves(&s, round);
    }
    entries(s.store())
}

fn bin(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::bin()).args(args).env_clear().envs(common::env_for(home)).output().unwrap()
}

/// Damage sled's files the ways a crash or a bad disk does.
#[derive(Debug, Clone, Copy)]
enum Damage {
    TruncateHalf,
    Empty,
    FlipBytes,
    FlipMiddle,
}

fn damage(db: &Path, how: Damage) {
    let file = db.join("db");
    closed(&file);
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    match how {
        Damage::TruncateHalf => bytes.truncate(n / 2),
        Damage::Empty => bytes.clear(),
        Damage::FlipBytes => (0..n).step_by(4096).for_each(|i| bytes[i] ^= 0xff),
        Damage::FlipMiddle => bytes[n / 3..n / 3 + 64].iter_mut().for_each(|b| *b ^= 0x5a),
    }
    std::fs::write(&file, bytes).unwrap();
}

/// Wait until sled has let go of its file (its threads finish a moment
/// after the last handle is dropped, and may still write until then).
fn closed(file: &Path) {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(file).unwrap();
    let deadline = std::time::Instant::now() + common::wait_limit();
    // SAFETY: flock on a descriptor this function owns.
    while unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        assert!(std::time::Instant::now() < deadline, "sled kept {} open", file.display());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn every_acknowledged_save_comes_back_after_the_sled_files_are_damaged() {
    for how in [Damage::TruncateHalf, Damage::Empty, Damage::FlipBytes, Damage::FlipMiddle] {
        let home = tempfile::tempdir().unwrap();
        let auto = auto_in(home.path());
        let db = home.path().join("g.db");
        let saved = saved_with_backup(&db, &auto);
        damage(&db, how);

        match Store::open_journaled(&db) {
            Err(StoreError::Damaged { .. }) => {}
            Err(other) => panic!("{how:?}: {other}"),
            // A run of bytes in the middle may fall where sled keeps nothing
            // live any more: then it opens, and it must hold every save.
            Ok(store) if matches!(how, Damage::FlipMiddle) => {
                assert!(entries(&store) == saved, "{how:?}: it opened, so it must be whole");
                continue;
            }
            Ok(_) => panic!("{how:?}: a damaged database opened"),
        }
        // The binary: one sentence that names recover and the backups, exit code 1.
        let out = bin(home.path(), &["--db", db.to_str().unwrap(), "--lang", "en", "operator", "list"]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{how:?}: {said}");
        assert_eq!(said.trim().lines().count(), 1, "{how:?}: one sentence: {said}");
        assert!(said.contains("is damaged") && said.contains("guardroom recover") && said.contains("backups"), "{how:?}: {said}");

        let out = bin(home.path(), &["--db", db.to_str().unwrap(), "--lang", "en", "recover"]);
        let told = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{how:?}: {}", String::from_utf8_lossy(&out.stderr));
        // The backup came after round 1; rounds 2 to 4 are five saves each.
        assert!(told.contains("and 15 changes replayed from the journal"), "{how:?}: {told}");
        assert!(told.contains("The damaged database was moved to"), "{how:?}: {told}");

        let store = Store::open(&db).unwrap();
        assert!(entries(&store) == saved, "{how:?}: every entry, index and audit included, is back");
        assert_consistent(&store);
        drop(store);
        let aside: Vec<_> = std::fs::read_dir(home.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("g.db.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "{how:?}: the damaged copy is kept");

        // Back in business: saves go on, and the journal goes on with them.
        let s = service(&db);
        saves(&s, 9);
        let after = entries(s.store());
        drop(s);
        damage(&db, Damage::Empty);
        assert!(matches!(recover(&db, &auto).unwrap(), Recovered::Rebuilt(_)));
        assert!(entries(&Store::open(&db).unwrap()) == after, "{how:?}: a second recovery brings back the later saves too");
    }
}

#[test]
fn a_lost_conf_file_is_no_damage() {
    let home = tempfile::tempdir().unwrap();
    let auto = auto_in(home.path());
    let db = home.path().join("g.db");
    let saved = saved_with_backup(&db, &auto);
    closed(&db.join("db"));
    std::fs::remove_file(db.join("conf")).unwrap();
    let s = service(&db);
    assert!(entries(s.store()) == saved);
    drop(s);
    assert!(matches!(recover(&db, &auto).unwrap(), Recovered::Healthy { .. }), "nothing to recover");
}

#[test]
fn without_a_backup_the_whole_journal_is_replayed_in_commit_order() {
    let home = tempfile::tempdir().unwrap();
    let auto = AutoBackups { enabled: false, ..auto_in(home.path()) };
    let db = home.path().join("g.db");
    let s = service(&db);
    s.bootstrap_admin("li").unwrap();
    s.load_demo("li").unwrap();
    // Racing saves, some on the same record: the journal must hold them in
    // the order they committed for the replay to end where the database did.
    let shared = s.create_client("li", ClientDraft { name: "共用客户".into(), ..Default::default() }).unwrap().id;
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                for i in 0..15 {
                    s.create_client("op", ClientDraft { name: format!("客户{t}-{i}"), ..Default::default() }).unwrap();
                    loop {
                        let c = s.client_file(shared).unwrap().client;
                        let note = ClientDraft { notes: format!("{t}-{i}"), ..c.draft.clone() };
                        if s.update_client("op", shared, c.meta.version, note).is_ok() {
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let saved = entries(s.store());
    drop(s);
    damage(&db, Damage::TruncateHalf);
    let Recovered::Rebuilt(r) = recover(&db, &auto).unwrap() else { panic!("not rebuilt") };
    assert_eq!(r.backup, None);
    assert!(entries(&Store::open(&db).unwrap()) == saved);
    assert_consistent(&Store::open(&db).unwrap());
}

#[test]
fn a_write_cut_short_at_the_end_of_the_journal_is_dropped() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("g.db");
    let s = service(&db);
    s.bootstrap_admin("li").unwrap();
    saves_without_demo(&s, 3);
    let saved = entries(s.store());
    drop(s);
    closed(&db.join("db"));
    let (_, seg) = journal::segments(&dir_of(&db)).unwrap().pop().unwrap();
    // Half a record, as a kill in the middle of an append leaves it.
    let mut f = std::fs::OpenOptions::new().append(true).open(&seg).unwrap();
    std::io::Write::write_all(&mut f, b"GRJR\x40\x00\x00\x00\x09\x00").unwrap();
    drop(f);
    let s = service(&db);
    assert!(entries(s.store()) == saved);
    saves_without_demo(&s, 1);
    let last = s.store().journal_state().unwrap().1;
    drop(s);
    let scan = journal::scan(&dir_of(&db)).unwrap().unwrap();
    assert!(!scan.tail.torn, "cut off before the next append");
    let mut numbers = Vec::new();
    journal::for_each_after(&scan, 0, |c| {
        numbers.push(c.number);
        Ok(())
    })
    .unwrap();
    assert_eq!(numbers, (1..=last).collect::<Vec<_>>());
}

fn saves_without_demo(s: &Service, n: usize) {
    for i in 0..n {
        s.create_client("li", ClientDraft { name: format!("客户{i}"), ..Default::default() }).unwrap();
    }
}

#[test]
fn changes_a_crash_kept_from_sled_are_applied_again_at_open_but_many_lost_are_damage() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("g.db");
    let early = home.path().join("early.db");
    let s = service(&db);
    s.bootstrap_admin("li").unwrap();
    saves_without_demo(&s, 2);
    drop(s);
    closed(&db.join("db"));
    copy_dir(&db, &early);
    let s = service(&db);
    saves_without_demo(&s, 3);
    let saved = entries(s.store());
    drop(s);
    closed(&db.join("db"));
    // sled as it stood three changes back: what a crash before its flush leaves.
    std::fs::remove_dir_all(&db).unwrap();
    copy_dir(&early, &db);
    let s = service(&db);
    assert!(entries(s.store()) == saved, "the three changes are applied from the journal");
    assert_consistent(s.store());
    for i in 0..70 {
        s.create_client("li", ClientDraft { name: format!("后来{i}"), ..Default::default() }).unwrap();
    }
    drop(s);
    closed(&db.join("db"));
    std::fs::remove_dir_all(&db).unwrap();
    copy_dir(&early, &db);
    assert!(matches!(Store::open_journaled(&db), Err(StoreError::Damaged { .. })), "75 changes lost is damage, not a crash");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn rotation_keeps_the_newest_backups_and_the_journal_they_need() {
    let home = tempfile::tempdir().unwrap();
    let auto = AutoBackups { keep: 2, ..auto_in(home.path()) };
    let db = home.path().join("g.db");
    let s = service(&db);
    s.bootstrap_admin("li").unwrap();
    let mut marks = Vec::new();
    for round in 0..4 {
        saves_without_demo(&s, 2 + round);
        marks.push(auto.take(s.store()).unwrap().journal.unwrap().change);
    }
    saves_without_demo(&s, 2);
    let saved = entries(s.store());
    let found = auto.list(&db);
    assert_eq!(found.len(), 2, "keep = 2");
    assert_eq!(found.iter().map(|f| f.journal.unwrap().change).collect::<Vec<_>>(), [marks[3], marks[2]], "the newest two");
    // Segments start after each backup; those before the oldest kept one are gone.
    let firsts: Vec<u64> = journal::segments(&dir_of(&db)).unwrap().into_iter().map(|(f, _)| f).collect();
    assert_eq!(firsts, [marks[2] + 1, marks[3] + 1]);
    drop(s);
    // The newest backup is damaged too: the older one plus the journal do it.
    let newest = &found[0].path;
    let mut bytes = std::fs::read(newest).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x10;
    std::fs::write(newest, bytes).unwrap();
    damage(&db, Damage::Empty);
    let Recovered::Rebuilt(r) = recover(&db, &auto).unwrap() else { panic!("not rebuilt") };
    assert_eq!(r.backup.unwrap().0, found[1].path);
    assert!(entries(&Store::open(&db).unwrap()) == saved);
}

#[test]
fn an_old_database_gets_a_journal_and_needs_a_backup_as_its_base() {
    let home = tempfile::tempdir().unwrap();
    let auto = auto_in(home.path());
    let db = home.path().join("g.db");
    {
        // Made before the journal: opened bare.
        let s = Service::new(Store::open(&db).unwrap(), Box::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())));
        s.bootstrap_admin("li").unwrap();
        saves_without_demo(&s, 3);
    }
    let s = service(&db);
    let (_, _, needs_base) = s.store().journal_state().unwrap();
    assert!(needs_base);
    saves_without_demo(&s, 1);
    drop(s);
    // Without the base, the journal alone is never taken for the whole history.
    damage(&db, Damage::Empty);
    assert!(matches!(recover(&db, &auto), Err(RecoverError::Nothing { .. })));
}

#[test]
fn a_restored_database_starts_a_journal_of_its_own() {
    let home = tempfile::tempdir().unwrap();
    let auto = auto_in(home.path());
    let db = home.path().join("g.db");
    let s = service(&db);
    s.bootstrap_admin("li").unwrap();
    saves_without_demo(&s, 2);
    let file: PathBuf = auto.take(s.store()).unwrap().path.into();
    saves_without_demo(&s, 2);
    drop(s);
    guardroom::backup::restore(&file, &db, true).unwrap();
    let s = service(&db);
    assert_eq!(s.store().count::<guardroom::domain::Client>(), 2, "the later saves are not replayed over a restore");
    assert!(s.store().journal_state().unwrap().2, "a new journal, with a backup due as its base");
}

/// A database the version before left (every kind's audit trail indexed,
/// layout 2) is not damage: recover finds it healthy, and its index is
/// brought to this version's layout.
#[test]
fn a_database_with_an_index_of_the_version_before_is_healthy_to_recover() {
    let home = tempfile::tempdir().unwrap();
    let auto = auto_in(home.path());
    let db = home.path().join("g.db");
    let saved = saved_with_backup(&db, &auto);
    let trees = guardroom::store::TREE_NAMES;
    let (index, meta) = (trees.iter().position(|t| *t == "index").unwrap(), trees.iter().position(|t| *t == "meta").unwrap());
    let retired = [b"audit/record\0client\0".as_slice(), &1u64.to_be_bytes(), &1u64.to_be_bytes()].concat();
    {
        let store = Store::open(&db).unwrap();
        store.load_raw(index, &[(retired.clone(), Vec::new())]).unwrap();
        store.load_raw(meta, &[(guardroom::store::INDEX_LAYOUT_KEY.to_vec(), 2u64.to_be_bytes().to_vec())]).unwrap();
        store.sync().unwrap();
    }
    assert!(matches!(recover(&db, &auto).unwrap(), Recovered::Healthy { .. }), "a sound database was rebuilt");
    let store = Store::open(&db).unwrap();
    assert!(entries(&store).iter().all(|(_, k, _)| *k != retired));
    assert!(entries(&store) == saved);
}
