//! Backups through the server: the server writes the file while it keeps
//! serving; only admins may ask; and the commands end to end.

mod common;

use chrono::{TimeZone, Utc};
use common::{bin, env_for, wait_limit};
use guardroom::domain::{ClientDraft, Right, Role};
use guardroom::server::client::RemoteApi;
use guardroom::server::peer::PeerIdentity;
use guardroom::server::{bind, serve};
use guardroom::service::{Api, FixedClock, Service, ServiceError};
use guardroom::store::Store;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Named(&'static str);

impl PeerIdentity for Named {
    fn operator(&self, _: &UnixStream) -> std::io::Result<String> {
        Ok(self.0.to_string())
    }
}

/// A server whose sessions act as `account`; "li" is the database's admin.
fn serve_as(dir: &Path, account: &'static str) -> (std::path::PathBuf, Arc<Service>, Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let service = Service::new(Store::open(&dir.join("db")).unwrap(), Box::new(clock));
    service.bootstrap_admin("li").unwrap();
    service.set_operator("li", "zhang", Role::Manager, true).unwrap();
    let socket = dir.join("g.sock");
    let listener = bind(&socket).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (s, svc) = (Arc::clone(&stop), Arc::clone(&service));
    let thread = std::thread::spawn(move || serve(listener, svc, Arc::new(Named(account)), s).unwrap());
    (socket, service, stop, thread)
}

#[test]
fn the_server_writes_the_backup_for_an_admin_and_refuses_anyone_else() {
    let dir = tempfile::tempdir().unwrap();
    let (socket, service, stop, thread) = serve_as(dir.path(), "li");
    let api = RemoteApi::connect(&socket).unwrap();
    for i in 0..30 {
        api.create_client("li", ClientDraft { name: format!("客户{i}"), ..Default::default() }).unwrap();
    }
    let file = dir.path().join("through-server.grb");
    let s = api.backup("li", &file, false).unwrap();
    assert_eq!(s.records[0], ("client".to_string(), 30));
    // The server's own file, whole: it restores to the same clients.
    let restored = guardroom::backup::restore(&file, &dir.path().join("r.db"), false).unwrap();
    assert_eq!(restored.records, s.records);
    // It does not overwrite unless told, and wants a path that means the same on its side.
    assert!(matches!(api.backup("li", &file, false), Err(ServiceError::Backup(guardroom::backup::BackupError::FileExists { .. }))));
    api.backup("li", &file, true).unwrap();
    assert!(matches!(
        api.backup("li", Path::new("relative.grb"), false),
        Err(ServiceError::Backup(guardroom::backup::BackupError::NotAbsolute { .. }))
    ));
    // The session goes on after a backup.
    assert_eq!(api.client_count().unwrap(), 30);
    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap();
    drop(service);

    let dir = tempfile::tempdir().unwrap();
    let (socket, _service, stop, thread) = serve_as(dir.path(), "zhang");
    let manager = RemoteApi::connect(&socket).unwrap();
    let file = dir.path().join("refused.grb");
    match manager.backup("zhang", &file, false) {
        Err(e @ ServiceError::Forbidden { right: Right::Backup, .. }) => {
            let said = guardroom::ui::messages::service_error(&e, guardroom::i18n::Lang::En);
            assert!(said.contains("back up the database"), "{said}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!file.exists());
    assert!(!manager.can(Right::Backup));
    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap();
}

fn run(home: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bin()).args(args).env_clear().envs(env_for(home)).output().unwrap()
}

#[test]
fn backup_restore_dump_and_load_from_the_command_line_with_a_server_running() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("s.db");
    let sock = home.path().join("g.sock");
    let (db_s, sock_s) = (db.to_str().unwrap(), sock.to_str().unwrap());
    common::load_demo(home.path(), &db);
    // The server knows sessions by their real OS account.
    let me = whoami::username().unwrap();
    common::add_operator(home.path(), &db, &me, "admin");
    let mut server = std::process::Command::new(bin())
        .args(["--db", db_s, "serve", "--socket", sock_s])
        .env_clear()
        .envs(env_for(home.path()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + wait_limit();
    while !sock.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
    }
    let file = home.path().join("nightly.grb");
    let out = run(home.path(), &["--lang", "en", "--connect", sock_s, "backup", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("written by the server") && said.contains("clients") && said.contains("40"), "{said}");
    // Restoring onto the database the server holds is refused, in Chinese too.
    let out = run(home.path(), &["--lang", "zh", "--db", db_s, "restore", file.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("请先停止它"), "{}", String::from_utf8_lossy(&out.stderr));
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    server.wait().unwrap();

    let out = run(home.path(), &["--lang", "zh", "restore", file.to_str().unwrap(), "--check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("完整无误"), "{out:?}");
    let copy = home.path().join("copy.db");
    let out = run(home.path(), &["--lang", "en", "--db", copy.to_str().unwrap(), "restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Restored the database"));
    let out = run(home.path(), &["--lang", "en", "--db", copy.to_str().unwrap(), "restore", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --force"), "{out:?}");

    let dump = home.path().join("all.jsonl");
    let out = run(home.path(), &["--lang", "en", "--db", copy.to_str().unwrap(), "dump", dump.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let loaded = home.path().join("loaded.db");
    let out = run(home.path(), &["--lang", "en", "--db", loaded.to_str().unwrap(), "load", dump.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let again = home.path().join("again.jsonl");
    let out = run(home.path(), &["--db", loaded.to_str().unwrap(), "dump", again.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let body = |p: &Path| std::fs::read_to_string(p).unwrap().lines().skip(1).map(String::from).collect::<Vec<_>>();
    assert!(body(&dump) == body(&again), "the loaded database dumps the same");

    // Config: where it is, and a commented default that guardroom then reads.
    let out = run(home.path(), &["config", "path"]);
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.ends_with("config.toml") && path.starts_with(home.path().to_str().unwrap()), "{path}");
    assert!(run(home.path(), &["config", "init"]).status.success());
    let out = run(home.path(), &["--lang", "en", "config", "init"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"), "{out:?}");
    let out = run(home.path(), &["--db", loaded.to_str().unwrap(), "paths"]);
    assert!(out.status.success(), "the default config is read without complaint: {out:?}");
}
