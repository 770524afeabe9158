//! End to end: a clerk imports a staff list saved by Chinese Excel
//! (GB18030, one bad row) from the Staff tab of the real binary: the path
//! dialog, the preview with the bad row's line, the import, the new people
//! in the list; and the tab's export written beside it.

mod common;

use common::*;

#[test]
fn staff_imported_from_a_gb18030_file_in_the_staff_tab() {
    let home = Home::new();
    let text = "姓名,所属,岗位角色,电话,固定休息日\n王建国,保安大队,保安员,13812345678,六日\n李四,保安大队,保安员,12345,\n\"赵\n磊\",特卫大队,驾驶员,,\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    std::fs::write(home.path().join("staff.csv"), &gb).unwrap();
    let mut t = home.open("en", 120, 32);
    t.wait_for("The database is empty");
    t.send("e");
    t.wait_for("1 Clients");
    t.send("4");
    t.wait_for("I import CSV");
    t.send("I");
    t.wait_for("Import CSV: Staff");
    t.type_text("nothere.csv");
    t.send(ENTER);
    t.wait_for("Cannot read the file ./nothere.csv");
    for _ in 0.."nothere.csv".len() {
        t.send(BACKSPACE);
    }
    t.type_text("staff.csv");
    t.send(ENTER);
    t.wait_for("Read 3 rows: 2 good, 1 with problems (encoding GB18030).");
    t.wait_for("Line 3: Phone: Not a phone number");
    t.wait_for("Enter/y imports the 2 good rows");
    t.send("y");
    t.wait_for("Imported 2 records");
    t.wait_for("RY-0001 王建国");
    t.wait_for("RY-0002 赵磊");
    assert!(!t.screen().contains("李四"), "the bad row is not imported");
    t.send("w");
    t.wait_for("Exported:");
    let exported = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("guardroom-staff-"));
    let bytes = std::fs::read(exported.expect("the export file").path()).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]) && String::from_utf8_lossy(&bytes).contains("王建国"));
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}
