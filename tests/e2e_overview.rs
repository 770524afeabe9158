//! The Overview in the real binary: the first screen on a database with
//! work in it, a pile opened and cleared, the monthly report shown and
//! exported; and `guardroom report` on the command line.

mod common;
use common::*;

#[test]
fn the_overview_opens_a_pile_and_the_monthly_report_in_a_small_terminal() {
    let home = Home::with_demo();
    let mut t = home.open("zh", 80, 24);
    t.wait_for("今日待办");
    t.wait_for("投诉超过期限未处理");
    t.wait_for("每周投诉");
    // The first line is selected: Enter opens the overdue complaints.
    t.send(ENTER);
    t.wait_for("仅逾期");
    t.send(ESC);
    t.wait_gone("仅逾期");
    t.send("0");
    t.wait_for("今日待办");
    t.send("m");
    t.wait_for("综合业务部月报");
    t.wait_for("一、客户投诉");
    t.send("w");
    t.wait_for("已导出");
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let csv = std::fs::read(home.path().join(format!("report-{month}.csv"))).expect("the report written to the export directory");
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    t.send(ESC);
    t.wait_for("今日待办");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn the_report_command_prints_aligned_text_or_csv_and_refuses_a_bad_month() {
    let home = Home::with_demo();
    let db = home.db.clone();
    let run = |args: &[&str]| {
        std::process::Command::new(bin())
            .args(["--db", db.to_str().unwrap()])
            .args(args)
            .env_clear()
            .envs(env_for(home.path()))
            .output()
            .unwrap()
    };
    let out = run(&["report", "--lang", "en"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for part in ["1. Complaints", "2. Client visits", "3. Attendance", "4. Dorm hygiene ranking", "5. Vehicles"] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    let out = run(&["report", "--lang", "zh", "--format", "csv"]);
    assert!(out.stdout.starts_with(&[0xEF, 0xBB, 0xBF]) && String::from_utf8_lossy(&out.stdout).contains("一、客户投诉,受理投诉,"));
    let out = run(&["report", "--month", "2026-13"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-13"));
}
