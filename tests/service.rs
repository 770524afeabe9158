//! The service API: what operators do with clients and visits.

use chrono::{NaiveDate, TimeZone, Utc};
use guardroom::domain::{Choice, ClientDraft, Invalid, Promise, Rating, Tier, VisitDraft};
use guardroom::service::{generate, Api, ClientQuery, ClientSort, FixedClock, Service, ServiceError};
use guardroom::store::Store;
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn service(dir: &std::path::Path) -> Arc<Service> {
    Service::new(Store::open(dir).unwrap(), Box::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap())))
}

fn draft(name: &str) -> ClientDraft {
    ClientDraft { name: name.into(), ..Default::default() }
}

#[test]
fn creating_validates_cleans_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let bad = ClientDraft { phone: "123".into(), ..draft("  ") };
    match s.create_client("li", bad) {
        Err(ServiceError::Invalid(errs)) => assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "phone"]),
        other => panic!("{other:?}"),
    }
    let c = s.create_client("li", draft("华贸\u{1b}[2J中心")).unwrap();
    assert_eq!(c.number, "KH-0001");
    assert_eq!(c.draft.name, "华贸[2J中心", "control characters are stripped before storing");
}

#[test]
fn racing_saves_get_distinct_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                (0..10).map(|i| s.create_client("op", draft(&format!("客户{t}-{i}"))).unwrap().number).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 40);
    assert_eq!(numbers.last().unwrap(), "KH-0040");
}

#[test]
fn filter_sort_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    s.create_client("li", ClientDraft { contact: "王建国".into(), phone: "138-1234-5678".into(), ..draft("上海华贸中心") }).unwrap();
    s.create_client("li", ClientDraft { address: "苏州市工业园区".into(), ..draft("恒达物流") }).unwrap();
    s.create_client("li", draft("Alpha Bank")).unwrap();
    let q = |f: &str| s.list_clients(&ClientQuery { filter: f.into(), ..Default::default() }).unwrap();
    assert_eq!(q("华贸").total, 1);
    assert_eq!(q("王建国").rows[0].draft.name, "上海华贸中心");
    assert_eq!(q("13812345678").total, 1, "phone digits match without separators");
    assert_eq!(q("工业园").rows[0].draft.name, "恒达物流");
    assert_eq!(q("alpha").total, 1, "case-insensitive");
    assert_eq!(q("kh-0002").rows[0].draft.name, "恒达物流");
    assert_eq!(q("nothing").total, 0);
    let by_name = s.list_clients(&ClientQuery { sort: ClientSort::Name, descending: true, ..Default::default() }).unwrap();
    let names: Vec<&str> = by_name.rows.iter().map(|c| c.draft.name.as_str()).collect();
    assert_eq!(names, ["上海华贸中心", "恒达物流", "Alpha Bank"], "Chinese names sort by pinyin: shang > heng > alpha");
    let page = s.list_clients(&ClientQuery { offset: 1, limit: 1, ..Default::default() }).unwrap();
    assert_eq!((page.total, page.rows.len(), page.rows[0].number.as_str()), (3, 1, "KH-0002"));
}

#[test]
fn visits_update_last_visit_and_promises_can_be_done() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let c = s.create_client("li", ClientDraft { tier: Tier::Key, ..draft("华贸") }).unwrap();
    let mut v = VisitDraft::new(d("2026-11-20"), "李娜");
    v.purpose = "季度回访".into();
    v.promises.push(Promise { text: "增派夜班".into(), due: d("2026-11-22"), done: None });
    let visit = s.add_visit("li", c.id, v.clone()).unwrap();
    let mut older = VisitDraft::new(d("2026-10-01"), "李娜");
    older.purpose = "电话回访".into();
    s.add_visit("li", c.id, older).unwrap();
    let file = s.client_file(c.id).unwrap();
    assert_eq!(file.client.last_visit, Some(d("2026-11-20")), "an older visit does not move it back");
    assert_eq!(file.client.next_visit_due(), Some(d("2026-12-20")));
    assert_eq!(file.visits[0].draft.date, d("2026-11-20"));
    assert!(file.visits[0].draft.promises[0].overdue(d("2026-11-23")));
    // The list sees the new last visit too.
    let row = s.list_clients(&ClientQuery::default()).unwrap().rows[0].clone();
    assert_eq!(row.last_visit, Some(d("2026-11-20")));

    let done = s.set_promise_done("li", visit.id, visit.meta.version, 0, true).unwrap();
    assert_eq!(done.draft.promises[0].done, Some(d("2026-11-23")));
    assert!(matches!(s.set_promise_done("li", visit.id, done.meta.version, 7, true), Err(ServiceError::NotFound)), "no such promise");
    let err = s.set_promise_done("li", visit.id, visit.meta.version, 0, false).unwrap_err();
    assert!(matches!(err, ServiceError::Conflict { .. }), "a stale version is refused");

    let mut future = VisitDraft::new(d("2026-11-24"), "李娜");
    future.purpose = "x".into();
    match s.add_visit("li", c.id, future) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::Future),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rating_reviews_record_who_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let c = s.create_client("li", draft("华贸")).unwrap();
    let c = s.review_rating("zhang", c.id, c.meta.version, Rating::A, "按时付款").unwrap();
    assert_eq!(c.draft.rating, Rating::A);
    let r = &c.reviews[0];
    assert_eq!((r.from, r.to, r.by.as_str(), r.reason.as_str(), r.date), (Rating::B, Rating::A, "zhang", "按时付款", d("2026-11-23")));
    // Changing the rating through the edit form is recorded as a review too.
    let mut edit = c.draft.clone();
    edit.rating = Rating::C;
    let c2 = s.update_client("wang", c.id, c.meta.version, edit).unwrap();
    assert_eq!(c2.reviews.len(), 2);
    assert_eq!((c2.reviews[1].from, c2.reviews[1].to, c2.reviews[1].by.as_str()), (Rating::A, Rating::C, "wang"));
    // An edit from an old version is refused, and records no review.
    let mut stale = c.draft.clone();
    stale.rating = Rating::D;
    match s.update_client("li", c.id, c.meta.version, stale) {
        Err(ServiceError::Conflict { label, by, .. }) => {
            assert_eq!((label.as_str(), by.as_str()), ("KH-0001 华贸", "wang"), "the conflict names the record and who changed it")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.client_file(c.id).unwrap().client.reviews.len(), 2);
}

#[test]
fn the_demo_set_loads_with_overdue_key_clients() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let n = s.load_demo("demo").unwrap();
    assert!(n.clients >= 40, "{n:?}");
    assert!(n.visits >= 100, "{n:?}");
    assert_eq!(n.complaints, 60);
    let page = s.list_complaints(&guardroom::service::ComplaintQuery::default()).unwrap();
    assert!(page.counts.overdue >= 6, "{:?}", page.counts);
    assert!(page.counts.awaiting_approval >= 4, "{:?}", page.counts);
    assert!(page.counts.awaiting_follow_up >= 5, "{:?}", page.counts);
    // Every state of the workflow is present.
    for st in guardroom::domain::ComplaintStatus::ALL {
        let q = guardroom::service::ComplaintQuery { status: Some(*st), ..Default::default() };
        assert!(s.list_complaints(&q).unwrap().total > 0, "{st:?}");
    }
    // Follow-up visits point back at their complaints.
    let followed = s.all_complaints().unwrap().into_iter().find(|c| c.follow_up.is_some()).unwrap();
    let file = s.complaint_file(followed.id).unwrap();
    assert_eq!(file.visit.unwrap().complaint_id, Some(followed.id));
    let all = s.list_clients(&ClientQuery { limit: 1000, ..Default::default() }).unwrap();
    let today = s.today();
    let overdue = all.rows.iter().filter(|c| c.key_visit_overdue(today)).count();
    assert!(overdue >= 3, "some key clients are overdue ({overdue})");
    assert!(all.rows.iter().any(|c| !c.reviews.is_empty()));
}

#[test]
fn generated_sets_are_deterministic_in_size() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let (c, v) =
        generate::generate(&s, "gen", s.today(), &generate::Sizes { clients: 300, visits: 1000, complaints: 0 }, |_, _| {}).unwrap();
    assert_eq!((c, v), (300, 1000));
    assert_eq!(s.client_count().unwrap(), 300);
    let page = s.list_clients(&ClientQuery { filter: "上海".into(), ..Default::default() }).unwrap();
    assert!(page.total > 0 && page.total < 300);
}

/// `guardroom gen --size small`: every part of the set, as many as it says.
#[test]
fn a_whole_small_set_has_every_part_and_reports_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let mut reports = (0, 0);
    let made = generate::generate_set(&s, "gen", s.today(), &generate::SMALL_SET, |p| match p {
        generate::Progress::Clients { .. } => reports.0 += 1,
        generate::Progress::Assignments(_) => reports.1 += 1,
    })
    .unwrap();
    let sizes = &generate::SMALL_SET;
    assert_eq!((made.clients, made.visits), (sizes.clients.clients, sizes.clients.visits));
    assert!(made.assignments > 0 && made.inspections > 0 && made.trips > 0, "{made:?}");
    assert!(reports.0 > 0 && reports.1 > 0, "progress was reported for each part: {reports:?}");
    let store = s.store();
    use guardroom::domain::{dorm::Room, Complaint, Post, Staff};
    assert_eq!(store.count::<Complaint>(), sizes.clients.complaints);
    assert_eq!((store.count::<Staff>(), store.count::<Post>()), (sizes.rosters.staff, sizes.rosters.posts));
    assert_eq!(store.count::<Room>(), sizes.logistics.rooms);
}
