//! End to end: `guardroom serve` and two TUI sessions connected to it.

mod common;

use common::*;
use std::time::{Duration, Instant};

#[test]
fn sessions_through_the_server_share_the_database() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("s.db");
    let sock = home.path().join("g.sock");
    // The server knows sessions by their real OS account: make it an operator
    // (the command's account, first to open the database, is its admin).
    let me = whoami::username().unwrap();
    add_operator(home.path(), &db, &me, "manager");
    let mut server = std::process::Command::new(bin())
        .args(["--db", db.to_str().unwrap(), "serve", "--socket", sock.to_str().unwrap()])
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
    let s = sock.display().to_string();
    let mut a = Tui::start(&["--connect", &s, "--lang", "en"], home.path(), 100, 30);
    a.wait_for("server ");
    a.wait_for("The database is empty");
    a.send("e");
    a.send("n");
    a.wait_for("New client");
    a.type_text("苏州恒达物流园");
    a.send(CTRL_S);
    a.wait_for("Saved: KH-0001 苏州恒达物流园");
    // A second session on the same server sees it.
    let mut b = Tui::start(&["--connect", &s, "--lang", "zh"], home.path(), 100, 30);
    b.wait_for("今日待办");
    b.send("1");
    b.wait_for("1/1 位客户");
    b.wait_for("苏州恒达物流园");
    // An edit in one session shows in the other, without a key pressed there.
    a.send(ESC);
    a.wait_for("1/1 clients");
    a.send("e");
    a.wait_for("Edit client KH-0001");
    a.type_text("（二期）");
    a.send(CTRL_S);
    a.wait_for("Saved: KH-0001 苏州恒达物流园（二期）");
    b.wait_for("苏州恒达物流园（二期）");
    // While the server owns the database, opening it directly is refused.
    let direct =
        std::process::Command::new(bin()).args(["--db", db.to_str().unwrap()]).env_clear().envs(env_for(home.path())).output().unwrap();
    assert_eq!(direct.status.code(), Some(1));
    a.send("q");
    b.send("q");
    assert_eq!(a.wait_exit(), 0);
    assert_eq!(b.wait_exit(), 0);
    // SIGTERM stops the server cleanly and removes its socket.
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!sock.exists());
}

fn spawn_server(home: &std::path::Path, db: &std::path::Path, sock: &std::path::Path) -> std::process::Child {
    let child = std::process::Command::new(bin())
        .args(["--db", db.to_str().unwrap(), "serve", "--socket", sock.to_str().unwrap()])
        .env_clear()
        .envs(env_for(home))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + wait_limit();
    while std::os::unix::net::UnixStream::connect(sock).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
    }
    child
}

#[test]
fn a_session_reconnects_by_itself_after_the_server_restarts() {
    use guardroom::service::Api;
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("r.db");
    let sock = home.path().join("r.sock");
    let me = whoami::username().unwrap();
    add_operator(home.path(), &db, &me, "manager");
    let mut server = spawn_server(home.path(), &db, &sock);
    let api = guardroom::server::client::RemoteApi::connect(&sock).unwrap();
    let draft = guardroom::domain::ClientDraft { name: "华贸".into(), ..Default::default() };
    api.create_client(&me, draft.clone()).unwrap();
    // The server stops and comes back; the session carries on.
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    server.wait().unwrap();
    let deadline = Instant::now() + wait_limit();
    while !api.reconnecting() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(api.reconnecting(), "the session knows the server is gone");
    let mut server = spawn_server(home.path(), &db, &sock);
    assert_eq!(api.client_count().unwrap(), 1, "a read goes through after reconnecting");
    assert!(!api.reconnecting());
    assert!(api.take_changes().iter().any(|c| c.0 == "all"), "the screen is told to refresh");
    api.create_client(&me, guardroom::domain::ClientDraft { name: "恒达".into(), ..draft }).unwrap();
    assert_eq!(api.client_count().unwrap(), 2);
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_typed_form_survives_a_server_restart_and_saves() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("f.db");
    let sock = home.path().join("f.sock");
    let me = whoami::username().unwrap();
    add_operator(home.path(), &db, &me, "manager");
    let mut server = spawn_server(home.path(), &db, &sock);
    let s = sock.display().to_string();
    let mut t = Tui::start(&["--connect", &s, "--lang", "en"], home.path(), 100, 30);
    t.wait_for("The database is empty");
    t.send("e");
    t.send("n");
    t.wait_for("New client");
    t.type_text("断线前录入的客户");
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    server.wait().unwrap();
    t.wait_for("reconnecting…");
    t.wait_for("断线前录入的客户");
    let mut server = spawn_server(home.path(), &db, &sock);
    t.wait_gone("reconnecting…");
    t.send(CTRL_S);
    t.wait_for("Saved: KH-0001 断线前录入的客户");
    t.send(ESC);
    t.wait_for("1/1 clients");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    std::process::Command::new("kill").arg("-15").arg(server.id().to_string()).status().unwrap();
    server.wait().unwrap();
}
