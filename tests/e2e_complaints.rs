//! End to end: a complaint through its whole workflow in the real binary,
//! with a refused jump, and a fee deduction that waits for the manager.

mod common;

use common::*;

fn number_on_screen(screen: &str) -> String {
    let at = screen.find("TS-").expect("a complaint number on screen");
    screen[at..at + 15].to_string()
}

#[test]
fn a_fee_deduction_complaint_from_register_to_close() {
    let home = Home::with_demo();
    let db = home.db.clone();
    // tester opened the database first, so is its admin; clerk is customer service.
    add_operator(home.path(), &db, "clerk", "customer_service");

    // A clerk registers and handles it as far as a clerk may.
    let mut t = home.open_with("en", 120, 40, &[("USER", "clerk")]);
    t.wait_for("To do today");
    t.send("2");
    t.wait_for("Open ");
    t.send("n");
    t.wait_for("Register a complaint");
    t.type_text("华贸");
    t.wait_for("KH-0001 上海华贸中心物业管理有限公司");
    t.send(ENTER);
    // Name, address and phone are copied from the client file.
    t.wait_for("上海市静安区南京西路1266号");
    for _ in 0..6 {
        t.send(TAB);
    }
    t.send("\x1b[C"); // → : fee deduction
    t.wait_for("[Fee deduction]");
    t.send(TAB);
    t.type_text("800");
    t.send(TAB);
    t.type_text("脱岗");
    t.send(TAB);
    t.type_text("夜班保安擅自离岗四十分钟");
    t.send(CTRL_S);
    t.wait_for("Registered: TS-");
    let number = number_on_screen(&t.screen());
    t.wait_for("Handling");
    // Jumping ahead is refused with the missing step named.
    t.send("g");
    t.wait_for("Not yet: the next step is to inform the client.");
    t.send("i");
    t.wait_for("Inform the client");
    t.type_text("电话告知已转人防部");
    t.send(CTRL_S);
    t.wait_for(": Informed");
    // Customer service does not investigate (人防部 does), nor approve.
    t.send("g");
    t.wait_for("Investigation:");
    for (i, text) in ["人防部 赵磊", "保安队员 刘强", "连续值班疲劳", "调整排班"].iter().enumerate() {
        if i > 0 {
            t.send(TAB);
        }
        t.type_text(text);
    }
    t.send(CTRL_S);
    t.wait_for("Your role (customer service) may not record investigations");
    t.send(ESC);
    t.wait_for("Discard unsaved changes?");
    t.send("y");
    t.wait_gone("Investigation:");
    t.send("a");
    t.wait_for("Only a manager may approve a deduction or compensation: ask tester.");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);

    // The admin investigates and approves; then it is resolved, followed up and closed.
    let mut t = home.open_with("en", 120, 40, &[("USER", "tester")]);
    t.wait_for("To do today");
    t.send("2");
    t.wait_for("Open ");
    t.send("/");
    t.type_text(&number);
    t.wait_for("1/61 complaints");
    t.send(ENTER);
    t.wait_for("Filter: ");
    t.send(ENTER);
    t.wait_for("awaiting the manager's approval");
    t.send("g");
    t.wait_for("Investigation:");
    for (i, text) in ["人防部 赵磊", "保安队员 刘强", "连续值班疲劳", "调整排班"].iter().enumerate() {
        if i > 0 {
            t.send(TAB);
        }
        t.type_text(text);
    }
    t.send(CTRL_S);
    t.wait_for(": Investigating");
    t.send("r");
    t.wait_for("needs a manager's approval first (a)");
    t.send("a");
    t.wait_for("Manager's approval:");
    t.wait_for("800.00");
    t.send(CTRL_S);
    t.wait_for(": Approved");
    t.wait_for("Approved by: ");
    t.send("r");
    t.wait_for("Resolution:");
    t.type_text("扣除当月服务费 800 元");
    t.send(CTRL_S);
    t.wait_for(": Resolved");
    t.send("f");
    t.wait_for("Follow-up visit:");
    t.type_text("客户对处理满意");
    t.send(CTRL_S);
    t.wait_for(": Followed up");
    t.send("c");
    t.wait_for("Close ");
    t.send("y");
    t.wait_for("[Closed]");
    t.wait_for("¥800.00");
    t.send(ESC);
    t.wait_for("Open ");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}
