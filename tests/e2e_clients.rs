//! End to end: the release-built binary in a pseudo-terminal, driven by keys.

mod common;

use common::*;

#[test]
fn create_a_client_through_the_form_with_a_refused_field_on_the_way() {
    let home = Home::new();
    let mut t = home.open("en", 120, 40);
    t.wait_for("The database is empty");
    t.send("e");
    t.wait_for("No clients yet");
    t.send("n");
    t.wait_for("New client");
    t.type_text("上海华贸中心物业管理有限公司");
    // Phone is the seventh field: name, kind, services, address, contact, title, phone.
    for _ in 0..6 {
        t.send(TAB);
    }
    t.type_text("12345");
    t.send(CTRL_S);
    t.wait_for("Not a phone number");
    t.wait_for("Fields needing attention: 1");
    // Everything typed is still there.
    t.wait_for("上海华贸中心物业管理有限公司");
    t.wait_for("12345");
    for _ in 0..5 {
        t.send(BACKSPACE);
    }
    t.type_text("021-64381234");
    t.send(CTRL_S);
    t.wait_for("Saved: KH-0001 上海华贸中心物业管理有限公司");
    // The form closed on the client's file.
    t.wait_for("Rating history");
    t.send(ESC);
    t.wait_for("1/1 clients");
    t.wait_for("021-64381234");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn filter_finds_a_client_incrementally() {
    let home = Home::with_demo();
    let mut t = home.open("zh", 120, 40);
    // The day starts on the Overview; 1 opens the clients.
    t.wait_for("今日待办");
    t.send("1");
    t.wait_for("KH-0001");
    t.send("/");
    t.wait_for("筛选：");
    t.type_text("KH-0007");
    t.wait_for("1/40 位客户");
    let line = t.screen().lines().find(|l| l.contains("KH-0007")).map(str::to_string).expect("KH-0007 listed");
    assert!(!t.screen().contains("KH-0001 "), "others are filtered out:\n{}", t.screen());
    t.send(ESC);
    t.wait_for("KH-0001");
    // A nonsense filter says so in a sentence.
    t.send("/");
    t.type_text("zzzz不存在");
    t.wait_for("没有匹配“zzzz不存在”的客户");
    t.send(ESC);
    t.wait_for("KH-0001");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(line.contains("KH-0007"));
}

#[test]
fn a_saved_client_is_there_after_quitting_and_reopening() {
    let home = Home::new();
    {
        let mut t = home.open("zh", 100, 30);
        t.wait_for("数据库是空的");
        t.send("e");
        t.send("n");
        t.wait_for("新建客户");
        t.type_text("苏州恒达物流园");
        t.send(CTRL_S);
        t.wait_for("已保存：KH-0001 苏州恒达物流园");
        t.send("q");
        assert_eq!(t.wait_exit(), 0);
    }
    let mut t = home.open("zh", 100, 30);
    t.wait_for("今日待办");
    t.send("1");
    t.wait_for("KH-0001");
    t.send("/");
    t.type_text("恒达");
    // Wait for the filter itself: the client was on screen before it.
    t.wait_for("筛选：恒达");
    t.wait_for("苏州恒达物流园");
    t.wait_for("1/1 位客户");
    t.send(ESC);
    // A person's Esc arrives alone; wait for it to land before the next key.
    t.wait_for("! = 大客户回访逾期");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn quitting_with_a_dirty_form_asks_first() {
    let home = Home::new();
    let mut t = home.open("en", 100, 30);
    t.wait_for("The database is empty");
    t.send("e");
    t.send("n");
    t.wait_for("New client");
    t.type_text("Half typed");
    t.send(ESC);
    t.wait_for("Discard unsaved changes?");
    t.send("n");
    t.wait_gone("Discard unsaved changes?");
    t.wait_for("Half typed");
    t.send("\x03"); // Ctrl-C
    t.wait_for("Quit and discard them?");
    t.send("y");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_database_in_use_is_refused_with_one_sentence() {
    let home = Home::new();
    let mut t = home.open("en", 100, 30);
    t.wait_for("The database is empty");
    let out = std::process::Command::new(bin()).args(["--db", &home.db_arg()]).env_clear().envs(env_for(home.path())).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is in use by another guardroom"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for sig in [15, 1] {
        let home = Home::new();
        let mut t = home.open("en", 100, 30);
        t.wait_for("The database is empty");
        t.kill_signal(sig);
        t.wait_exit();
        let raw = String::from_utf8_lossy(&t.raw()).to_string();
        let entered = raw.rfind("\x1b[?1049h").expect("entered the alternate screen");
        let left = raw.rfind("\x1b[?1049l").unwrap_or_else(|| panic!("signal {sig}: the alternate screen was not left"));
        assert!(left > entered, "signal {sig}");
    }
}

#[test]
fn below_the_minimum_size_one_sentence_asks_for_more() {
    let home = Home::new();
    let mut t = home.open("en", 60, 20);
    t.wait_for("make it at least 80×24");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_panic_restores_the_terminal_and_writes_a_report_to_the_log() {
    let home = Home::new();
    let mut t = home.open_with("en", 100, 30, &[("GUARDROOM_CRASH_KEY", "F12")]);
    t.wait_for("The database is empty");
    t.send("\x1b[24~"); // F12
    let code = t.wait_exit();
    assert_ne!(code, 0);
    let raw = String::from_utf8_lossy(&t.raw()).to_string();
    let entered = raw.rfind("\x1b[?1049h").expect("entered the alternate screen");
    assert!(raw.rfind("\x1b[?1049l").is_some_and(|left| left > entered), "the alternate screen was left");
    t.wait_for("the details are in the log file");
    let log = std::fs::read_to_string(home.path().join("data/guardroom/guardroom.log")).expect("log file in the data directory");
    assert!(log.contains("guardroom panicked") && log.contains("crash requested with F12"), "{log}");
}
