//! A full disk, simulated without root by a file-size limit (RLIMIT_FSIZE,
//! with SIGXFSZ ignored, so a write past it fails with EFBIG as it would
//! with ENOSPC on a full disk): a save then gives one sentence instead of a
//! panic or a silent failure, later saves do not pretend to work, the form
//! keeps what was typed, and after a restart everything saved before is there.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use guardroom::domain::{Client, ClientDraft};
use guardroom::i18n::Lang;
use guardroom::server::client::RemoteApi;
use guardroom::service::{Api, FixedClock, Service, ServiceError};
use guardroom::store::Store;
use guardroom::ui::messages::service_error;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_DB: &str = "GUARDROOM_DISK_FULL_DB";

fn clock() -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

fn draft(name: &str) -> ClientDraft {
    ClientDraft { name: name.into(), address: "上海市静安区南京西路 1266 号".into(), ..Default::default() }
}

/// A database with `n` clients, closed again.
fn database_with_clients(db: &Path, admin: &str, n: usize) -> Vec<Client> {
    let service = Service::new(Store::open(db).unwrap(), Box::new(clock()));
    service.bootstrap_admin(admin).unwrap();
    (0..n).map(|i| service.create_client(admin, draft(&format!("满盘前客户{i}"))).unwrap()).collect()
}

/// Let `pid` write nothing more to any file, as on a full disk. (A limit
/// at the data file's end would not do: sled writes inside its current
/// segment, which it has already extended the file over.)
fn fill_the_disk(pid: u32) {
    let limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid rlimit; the old value is not asked for.
    let rc = unsafe { libc::prlimit(pid as libc::pid_t, libc::RLIMIT_FSIZE, &limit, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

/// A child process killed when the test ends, whether it passes or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// After a restart: the clients are there as saved, and the database is whole and takes saves again.
fn everything_saved_is_there(db: &Path, saved: &[Client]) {
    let service = Service::new(Store::open(db).unwrap(), Box::new(clock()));
    for c in saved {
        assert_eq!(service.store().get::<Client>(c.id).unwrap().as_ref(), Some(c), "{} was saved before the disk filled", c.draft.name);
    }
    assert_consistent(service.store());
    assert!(service.create_client("li", draft("空间清理后的客户")).is_ok());
}

/// The child of the embedded test: saves, meets the limit, reports on stdout.
#[test]
fn disk_full_child() {
    let Ok(db) = std::env::var(CHILD_DB) else { return };
    let db = Path::new(&db);
    // SAFETY: setting a disposition to "ignore" runs no handler.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let service = Service::new(Store::open(db).unwrap(), Box::new(clock()));
    let c = service.create_client("li", draft("限额前最后一位客户")).unwrap();
    println!("\nSAVED {}", c.id);
    fill_the_disk(std::process::id());
    let full = |what: &str, r: Result<(), ServiceError>| match r {
        Err(e) => println!("{what} {e:?} | {} | {}", service_error(&e, Lang::En), service_error(&e, Lang::Zh)),
        Ok(()) => println!("{what} saved"),
    };
    full("CREATE", service.create_client("li", draft("满盘时新建的客户")).map(drop));
    // Nothing later pretends to work either: an edit, another new record.
    let mut edited = c.draft.clone();
    edited.notes = "满盘后修改".into();
    full("UPDATE", service.update_client("li", c.id, c.meta.version, edited).map(drop));
    full("AGAIN", service.create_client("li", draft("又一位客户")).map(drop));
    // Reading goes on.
    println!("READ {}", service.client_file(c.id).map(|f| f.client.draft.name).unwrap_or_else(|e| format!("{e:?}")));
}

#[test]
fn a_full_disk_gives_a_sentence_refuses_later_saves_and_loses_nothing_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guardroom.db");
    let mut saved = database_with_clients(&db, "li", 3);
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "disk_full_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, &db)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the process went on after the disk filled:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    let line = |what: &str| text.lines().find(|l| l.starts_with(what)).unwrap_or_else(|| panic!("no {what} line in:\n{text}")).to_string();
    for what in ["CREATE", "UPDATE", "AGAIN"] {
        let l = line(what);
        assert!(l.starts_with(&format!("{what} DiskFull |")), "{l}");
        assert!(l.contains("The disk is full, so this change was not saved") && l.contains("free some disk space"), "{l}");
        assert!(l.contains("磁盘已满，这次修改没有保存") && l.contains("清理磁盘空间"), "{l}");
    }
    assert_eq!(line("READ"), "READ 限额前最后一位客户");
    let id: u64 = line("SAVED").trim_start_matches("SAVED ").parse().unwrap();
    saved.push(Store::open(&db).unwrap().get::<Client>(id).unwrap().unwrap());
    everything_saved_is_there(&db, &saved);
}

#[test]
fn the_server_on_a_full_disk_answers_every_session_with_the_sentence_and_keeps_serving() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("guardroom.db");
    let me = whoami::username().unwrap();
    let mut saved = database_with_clients(&db, &me, 2);
    let socket = home.path().join("guardroom.sock");
    let mut server = Killed(
        Command::new(bin())
            .args(["--db", db.to_str().unwrap(), "serve", "--socket", socket.to_str().unwrap()])
            .env_clear()
            .envs(env_for(home.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + wait_limit();
    let api = loop {
        match RemoteApi::connect(&socket) {
            Ok(api) => break api,
            Err(e) => {
                assert!(Instant::now() < deadline, "the server never answered: {e:#}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    saved.push(api.create_client("", draft("服务器满盘前的客户")).unwrap());
    // The binary itself ignores SIGXFSZ: past the limit its writes fail.
    fill_the_disk(server.0.id());
    for name in ["满盘时新建的客户", "再试一次"] {
        match api.create_client("", draft(name)) {
            Err(e @ ServiceError::DiskFull) => assert!(service_error(&e, Lang::En).starts_with("The disk is full"), "{e:?}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(server.0.try_wait().unwrap().is_none(), "the server is still running");
    let other = RemoteApi::connect(&socket).unwrap();
    assert!(other.client_file(saved[2].id).is_ok(), "other sessions are served and can read");
    assert!(matches!(other.create_client("", draft("另一会话")), Err(ServiceError::DiskFull)));
    drop((api, other));
    drop(server);
    everything_saved_is_there(&db, &saved);
}

#[test]
fn the_form_keeps_what_was_typed_when_the_disk_is_full() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("guardroom.db");
    let saved = database_with_clients(&db, "tester", 2);
    let db_arg = db.display().to_string();
    {
        let mut t = Tui::start(&["--db", &db_arg, "--lang", "en"], home.path(), 120, 36);
        t.wait_for("To do today");
        t.send("1");
        t.wait_for("满盘前客户1");
        fill_the_disk(t.pid());
        t.send("n");
        t.wait_for("New client");
        t.type_text("满盘时录入的客户");
        t.send(CTRL_S);
        t.wait_for("The disk is full, so this change was not saved");
        // The form is still open with what was typed; saving again says the same.
        t.wait_for("New client");
        t.wait_for("满盘时录入的客户");
        t.send(CTRL_S);
        t.wait_for("The disk is full, so this change was not saved");
        t.send("\x03"); // Ctrl-C
        t.wait_for("Quit and discard them?");
        t.send("y");
        assert_eq!(t.wait_exit(), 0);
    }
    // Restarted (space freed): what was saved before is there.
    let mut t = Tui::start(&["--db", &db_arg, "--lang", "en"], home.path(), 120, 36);
    t.wait_for("To do today");
    t.send("1");
    t.wait_for("满盘前客户0");
    t.wait_for("满盘前客户1");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    everything_saved_is_there(&db, &saved);
}

#[test]
fn a_database_that_cannot_be_opened_on_a_full_disk_says_so() {
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("guardroom.db");
    let saved = database_with_clients(&db, "tester", 1);
    let mut cmd = Command::new(bin());
    cmd.args(["--db", db.to_str().unwrap(), "--lang", "en", "operator", "list"]).env_clear().envs(env_for(home.path()));
    // SAFETY: only setrlimit, which is async-signal-safe, runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &none) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the disk is full, so the database") && err.contains("Nothing saved is lost"), "{err}");
    everything_saved_is_there(&db, &saved);
}
