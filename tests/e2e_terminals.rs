//! End to end, in a pseudo-terminal: an SSH drop (SIGHUP) with a form
//! half typed, the draft offered at the next start; the minimum size and
//! back; a terminal without colours.

mod common;

use common::*;

/// Where the alternate screen was last left after it was last entered.
fn left_alternate_screen(raw: &[u8]) -> bool {
    let find_last = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
    match (find_last(b"\x1b[?1049h"), find_last(b"\x1b[?1049l")) {
        (Some(entered), Some(left)) => left > entered,
        _ => false,
    }
}

#[test]
fn a_hang_up_restores_the_terminal_and_keeps_the_form_as_a_draft_offered_next_time() {
    let home = Home::with_demo();
    let mut t = home.open("en", 80, 24);
    t.wait_for("To do today");
    t.send("1");
    t.wait_for("KH-0001");
    t.send(ENTER);
    t.wait_for("Rating history");
    t.send("e");
    t.wait_for("Edit client KH-0001");
    t.type_text("（新址）");
    t.wait_for("有限公司（新址）");
    // The SSH link drops: the shell's hang-up reaches the program.
    t.kill_signal(1);
    assert_eq!(t.wait_exit(), 0);
    assert!(left_alternate_screen(&t.raw()), "the terminal is restored on a hang-up");
    let (file, kept) = the_one_draft(home.path());
    assert!(kept.contains("\"edit_client\"") && kept.contains("（新址）"), "{kept}");

    // The next start offers it; Enter reopens it as typed; it saves.
    let mut t = home.open("zh", 80, 24);
    t.wait_for("上次会话意外中断");
    t.wait_for("Enter 重新打开");
    t.send(ENTER);
    t.wait_for("未保存的表单已重新打开");
    t.wait_for("上海华贸中心物业管理有限公司（新址）");
    t.send(CTRL_S);
    t.wait_for("已保存：KH-0001 上海华贸中心物业管理有限公司（新址）");
    assert!(!file.exists(), "the answered draft is gone");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(left_alternate_screen(&t.raw()));

    // A third start offers nothing.
    let mut t = home.open("zh", 80, 24);
    t.wait_for("今日待办");
    assert!(!t.screen().contains("上次会话意外中断"));
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_terminal_that_goes_away_keeps_the_form_too() {
    let home = Home::with_demo();
    let mut t = home.open("en", 80, 24);
    t.wait_for("To do today");
    t.send("1");
    t.wait_for("KH-");
    t.send("n");
    t.wait_for("New client");
    // Text the demo does not hold, so seeing it means it was typed.
    t.type_text("草稿西溪园区");
    t.wait_for("草稿西溪园区");
    // No signal from us: the pseudo-terminal closes, as sshd's does.
    t.hang_up();
    // A clean exit: restoring a terminal that is gone must not print (and abort).
    let code = t.wait_exit();
    if code != 0 || !home.path().join("data/guardroom/drafts").exists() {
        // What the program logged says why, on a CI machine too.
        let log = home.path().join("data/guardroom/guardroom.log");
        eprintln!("{}:\n{}", log.display(), std::fs::read_to_string(&log).unwrap_or_default());
    }
    assert_eq!(code, 0);
    let (_, kept) = the_one_draft(home.path());
    assert!(kept.contains("\"new_client\"") && kept.contains("草稿西溪园区"), "{kept}");
}

#[test]
fn sigterm_keeps_a_new_record_form_too() {
    let home = Home::new();
    let mut t = home.open("en", 80, 24);
    t.wait_for("The database is empty");
    t.send("e");
    t.wait_for("No clients yet");
    t.send("n");
    t.wait_for("New client");
    t.type_text("杭州西溪园区");
    t.wait_for("杭州西溪园区");
    t.kill_signal(15);
    assert_eq!(t.wait_exit(), 0);
    assert!(left_alternate_screen(&t.raw()));
    let mut t = home.open("en", 80, 24);
    t.wait_for("The last session ended abruptly");
    t.wait_for("杭州西溪园区 (from");
    t.send(ENTER);
    t.wait_for("The unsaved form is open again");
    for _ in 0..6 {
        t.send(TAB);
    }
    t.type_text("0571-88886666");
    t.send(CTRL_S);
    t.wait_for("Saved: KH-0001 杭州西溪园区");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn below_the_minimum_only_the_sentence_shows_and_the_screen_comes_back() {
    let home = Home::with_demo();
    let mut t = home.open("en", 80, 24);
    t.wait_for("To do today");
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1)] {
        t.resize(w, h);
        if w > 1 {
            t.wait_for("small");
            assert!(!t.screen().contains("To do today"), "{w}×{h}:\n{}", t.screen());
        }
    }
    t.resize(80, 24);
    t.wait_for("To do today");
    t.wait_gone("too small");
    // Keys work again.
    t.send("1");
    t.wait_for("KH-0001");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_dumb_terminal_gets_no_colour_but_keeps_the_selection_visible() {
    let home = Home::with_demo();
    let mut t = home.open_with("en", 80, 24, &[("TERM", "dumb")]);
    t.wait_for("To do today");
    t.send("1");
    t.wait_for("KH-0001");
    t.send("n");
    t.wait_for("New client");
    t.send(ESC);
    t.wait_gone("New client");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&t.raw()).to_string();
    for colour in ["[38;5;", "[48;5;", "[38;2;", "[48;2;"] {
        assert!(!raw.contains(colour), "a colour ({colour}) was sent to a dumb terminal");
    }
    assert!(raw.contains("\x1b[7m"), "reverse video marks the selection");
}

/// The one draft file kept under `home`, and what it holds.
fn the_one_draft(home: &std::path::Path) -> (std::path::PathBuf, String) {
    let drafts = home.join("data/guardroom/drafts");
    let files: Vec<_> = std::fs::read_dir(&drafts).expect("a drafts directory").map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let kept = std::fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), kept)
}
