//! CSV import and export: every importable kind round-trips (export →
//! import into an empty database → the same records, numbers kept), files
//! in GB18030 or with a BOM, bad rows reported with their line (a quoted
//! line break counted), empty files, wrong headers, oversized files, all or
//! none, rights, and the import through the server.

use guardroom::domain::fleet::Vehicle;
use guardroom::domain::{Client, Post, Staff};
use guardroom::i18n::Lang;
use guardroom::service::guard::Guarded;
use guardroom::service::{Api, Service, ServiceError, SystemClock};
use guardroom::store::Store;
use guardroom::transfer::{report, FileProblem, ImportMode, ImportReport, Kind, Problem, Table};
use std::sync::Arc;

fn service(dir: &std::path::Path, name: &str) -> Arc<Service> {
    let s = Service::new(Store::open(&dir.join(name)).unwrap(), Box::new(SystemClock));
    s.bootstrap_admin("tester").unwrap();
    s
}

fn import(s: &Service, kind: Kind, bytes: &[u8], mode: ImportMode) -> ImportReport {
    s.import_csv("tester", kind, bytes, mode, &mut |_, _, _| {}).unwrap()
}

fn export(s: &Service, table: Table, lang: Lang) -> Vec<u8> {
    Api::export_csv(s, table, lang).unwrap()
}

#[test]
fn export_then_import_into_an_empty_database_gives_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let from = service(dir.path(), "from.db");
    from.load_demo("tester").unwrap();
    for (lang, name) in [(Lang::Zh, "zh.db"), (Lang::En, "en.db")] {
        let to = service(dir.path(), name);
        for kind in Kind::ALL {
            let file = export(&from, kind.table(), lang);
            assert_eq!(&file[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 with BOM");
            let r = import(&to, kind, &file, ImportMode::GoodRows);
            assert_eq!((r.file.clone(), r.bad.clone()), (None, vec![]), "{kind:?} {lang:?}: {:?}", report::bad_lines(&r, lang));
            assert_eq!(r.imported, r.rows, "{kind:?}");
        }
        let a = from.store().all::<Client>().unwrap();
        let b = to.store().all::<Client>().unwrap();
        assert_eq!(a.len(), 40);
        assert_eq!(
            a.iter().map(|c| (&c.number, &c.draft)).collect::<Vec<_>>(),
            b.iter().map(|c| (&c.number, &c.draft)).collect::<Vec<_>>()
        );
        let a = from.store().all::<Staff>().unwrap();
        let b = to.store().all::<Staff>().unwrap();
        assert_eq!(
            a.iter().map(|s| (&s.number, &s.draft)).collect::<Vec<_>>(),
            b.iter().map(|s| (&s.number, &s.draft)).collect::<Vec<_>>()
        );
        // Posts name their client by number; ids in the two databases line up.
        let a = from.store().all::<Post>().unwrap();
        let b = to.store().all::<Post>().unwrap();
        assert!(!a.is_empty());
        assert_eq!(
            a.iter().map(|p| (&p.number, &p.draft, p.closed)).collect::<Vec<_>>(),
            b.iter().map(|p| (&p.number, &p.draft, p.closed)).collect::<Vec<_>>()
        );
        let a = from.store().all::<Vehicle>().unwrap();
        let b = to.store().all::<Vehicle>().unwrap();
        assert!(a.iter().any(|v| !v.draft.drivers.is_empty()), "the demo has designated drivers");
        assert_eq!(a.iter().map(|v| &v.draft).collect::<Vec<_>>(), b.iter().map(|v| &v.draft).collect::<Vec<_>>());
        // Numbers taken from the file are never given again.
        let next = to.create_client("tester", guardroom::domain::ClientDraft { name: "新客户".into(), ..Default::default() }).unwrap();
        assert_eq!(next.number, "KH-0041");
        // Every record has its audit entry.
        let c = to.store().client_by_number("KH-0001").unwrap().unwrap();
        assert_eq!(to.store().audit_of::<Client>(c.id).unwrap().len(), 1);
        // The list shows the imported clients at once.
        assert_eq!(to.list_clients(&Default::default()).unwrap().total, 41);
    }
}

#[test]
fn gb18030_and_bom_files_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "g.db");
    let text = "客户名称,客户级别,电话,月服务费(元)\n华贸中心,大客户,021-64381234,\"12,000.50\"\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let r = import(&s, Kind::Clients, &gb, ImportMode::Preview);
    assert_eq!((r.encoding.as_str(), r.good, r.imported), ("GB18030", 1, 0));
    assert_eq!(r.preview[0][0], "华贸中心");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let r = import(&s, Kind::Clients, &bom, ImportMode::GoodRows);
    assert_eq!((r.encoding.as_str(), r.imported), ("UTF-8 BOM", 1));
    let c = s.store().client_by_number("KH-0001").unwrap().unwrap();
    assert_eq!(
        (c.draft.name.as_str(), c.draft.tier, c.draft.contract.monthly_fee.0),
        ("华贸中心", guardroom::domain::Tier::Key, 1_200_050)
    );
    // Neither UTF-8 nor GB18030: one sentence, nothing stored.
    let r = import(&s, Kind::Clients, b"Name\n\xff\xfe\xff\n", ImportMode::GoodRows);
    assert_eq!((r.file, r.imported), (Some(FileProblem::Encoding), 0));
}

#[test]
fn bad_rows_are_reported_by_line_and_the_good_ones_stored_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "b.db");
    let file = "Name,Notes,Phone,Tier,Visit every (days)\n\
                Alpha,\"two\nlines\",,key,30\n\
                Beta,,12345,,\n\
                Gamma,,,key,45\n\
                \"Delta\",\"quoted, with comma\",13812345678,regular,90\n";
    let r = import(&s, Kind::Clients, file.as_bytes(), ImportMode::Preview);
    assert_eq!((r.rows, r.good, r.imported), (4, 2, 0));
    assert_eq!(r.bad.iter().map(|b| b.line).collect::<Vec<_>>(), [4, 5], "Alpha's note takes lines 2 and 3");
    let lines = report::bad_lines(&r, Lang::En);
    assert!(lines[0].starts_with("Line 4: Phone: Not a phone number"), "{lines:?}");
    assert!(lines[1].contains("Key clients are visited at least monthly"), "{lines:?}");
    assert!(report::bad_lines(&r, Lang::Zh)[0].starts_with("第 4 行：电话："));
    assert_eq!(s.client_count().unwrap(), 0, "a preview changes nothing");
    let audit_before = s.store().audit_count();
    // All or nothing: nothing while a row is bad.
    let r = import(&s, Kind::Clients, file.as_bytes(), ImportMode::AllOrNothing);
    assert_eq!((r.imported, s.client_count().unwrap()), (0, 0));
    let r = import(&s, Kind::Clients, file.as_bytes(), ImportMode::GoodRows);
    assert_eq!((r.imported, s.client_count().unwrap()), (2, 2));
    assert_eq!(s.store().audit_count(), audit_before + 2, "one audit entry per record");
    let alpha = s.store().client_by_number("KH-0001").unwrap().unwrap();
    assert_eq!(alpha.draft.notes, "two\nlines");
}

#[test]
fn rules_across_records() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "x.db");
    s.load_demo("tester").unwrap();
    // Posts: an unknown client, a known one by number typed loosely, an operator who is none.
    let posts = "客户编号,岗位,班次,岗亭值班账户\nKH-9999,东门,白班 08:00-20:00 1,\nkh-2,西门,白班 08:00-20:00 1,\nKH-0002,南门,白班 08:00-20:00 1,nobody\n";
    let r = import(&s, Kind::Posts, posts.as_bytes(), ImportMode::GoodRows);
    assert_eq!(r.bad[0].problems, [Problem::UnknownClient("KH-9999".into())]);
    assert_eq!(r.bad[1].line, 4);
    assert!(matches!(&r.bad[1].problems[0], Problem::Field { field, .. } if field == "operators"));
    assert_eq!(r.imported, 1);
    let client = s.store().client_by_number("KH-0002").unwrap().unwrap();
    assert!(s.store().posts_of(client.id).unwrap().iter().any(|p| p.draft.site == "西门"));
    // Vehicles: a plate already registered, the same plate twice in the file, a driver without a permit.
    let taken = s.store().all::<Vehicle>().unwrap()[0].draft.plate.clone();
    let no_permit = s.store().all::<Staff>().unwrap().into_iter().find(|p| p.draft.permit.number.is_empty()).unwrap();
    let vehicles = format!("车牌,座位,专职司机（人员编号）\n{taken},5,\n沪C 12345,5,\n沪C·12345,7,\n沪D·55555,5,{}\n", no_permit.number);
    let r = import(&s, Kind::Vehicles, vehicles.as_bytes(), ImportMode::Preview);
    assert_eq!(r.bad[0].problems, [Problem::PlateTaken(taken)]);
    assert_eq!(r.bad[1].problems, [Problem::Twice { value: "沪C·12345".into(), first_line: 3 }], "plates are compared as written one way");
    assert!(matches!(&r.bad[2].problems[0], Problem::Driver { .. }));
    assert!(report::bad_lines(&r, Lang::Zh)[2].contains("没有公司准驾证"));
}

#[test]
fn files_that_cannot_be_read_get_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "f.db");
    let r = import(&s, Kind::Staff, b"", ImportMode::GoodRows);
    assert_eq!(r.file, Some(FileProblem::Empty));
    assert_eq!(report::summary(&r, Lang::En), "The file is empty: choose a CSV file with a header line and rows.");
    let r = import(&s, Kind::Staff, "姓名,电话\n".as_bytes(), ImportMode::GoodRows);
    assert_eq!(r.file, Some(FileProblem::NoRows));
    let r = import(&s, Kind::Staff, b"Surname,Phone\nWang,13812345678\n", ImportMode::GoodRows);
    let Some(p @ FileProblem::Header { .. }) = &r.file else { panic!("{r:?}") };
    let text = report::file_problem(Kind::Staff, p, Lang::En);
    assert!(text.starts_with("Missing columns: Name. Columns not known: Surname."), "{text}");
    assert!(text.contains("Name*") && text.contains("Weekly rest days"), "names every column: {text}");
    // A 50 MB file is refused with a sentence, before anything is stored.
    let mut big = b"Name\n".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    let r = import(&s, Kind::Staff, &big, ImportMode::GoodRows);
    assert_eq!(r.file, Some(FileProblem::TooLarge { bytes: 50 * 1024 * 1024 }));
    assert!(report::summary(&r, Lang::Zh).contains("分成几个较小的文件"));
    assert_eq!(s.store().count::<Staff>(), 0);
}

#[test]
fn a_role_without_the_right_cannot_import_and_contracts_stay_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "p.db");
    for (account, role) in [("legal1", guardroom::domain::Role::Legal), ("cap1", guardroom::domain::Role::Captain)] {
        s.set_operator("tester", account, role, true).unwrap();
    }
    let legal = Guarded::new(Arc::clone(&s), "legal1").unwrap();
    let file = b"Name\nAlpha\n".to_vec();
    match legal.import_csv("legal1", Kind::Clients, file.clone(), ImportMode::GoodRows, &|_, _, _| {}) {
        Err(ServiceError::Forbidden { right, .. }) => assert_eq!(right, guardroom::domain::Right::EditClients),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.client_count().unwrap(), 0);
    let captain = Guarded::new(Arc::clone(&s), "cap1").unwrap();
    assert!(captain.import_csv("cap1", Kind::Clients, file.clone(), ImportMode::Preview, &|_, _, _| {}).is_err(), "not even a preview");
    assert!(captain
        .import_csv("cap1", Kind::Staff, b"Name\nWang\n".to_vec(), ImportMode::GoodRows, &|_, _, _| {})
        .is_ok_and(|r| r.imported == 1));
    // A captain reads clients but not contracts: the export leaves them out.
    let with_fee = "Name,Monthly fee (¥)\nAlpha,12000\n";
    import(&s, Kind::Clients, with_fee.as_bytes(), ImportMode::GoodRows);
    let csv = String::from_utf8(captain.export_csv(Table::Clients, Lang::En).unwrap()).unwrap();
    assert!(csv.contains("Alpha") && !csv.contains("12000.00"), "{csv}");
    assert!(String::from_utf8(legal.export_csv(Table::Clients, Lang::En).unwrap()).unwrap().contains("12000.00"));
    assert!(captain.export_csv(Table::Audit, Lang::En).is_err(), "the audit log is for admins and managers");
}

#[test]
fn every_table_exports_with_its_header_in_the_language_asked() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path(), "e.db");
    s.load_demo("tester").unwrap();
    for table in Table::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = export(&s, table, lang);
            let text = std::str::from_utf8(&bytes[3..]).unwrap();
            let mut rows = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
            let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
            assert!(records.len() > 1, "{table:?} has rows in the demo");
            let header = records[0].iter().collect::<Vec<_>>().join(",");
            let chinese = header.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(chinese, lang == Lang::Zh, "{table:?} {lang:?}: {header}");
            assert!(records.iter().all(|r| r.len() == records[0].len()), "{table:?}: one cell per column");
        }
    }
}
