//! Every role × every kind of command, through the same guard the server
//! and the embedded TUI use: allowed exactly when the role carries the right.

use chrono::{NaiveDateTime, TimeZone, Utc};
use guardroom::domain::{Category, Channel, Choice, ClientDraft, ComplaintDraft, Fen, Right, Role, VisitDraft};
use guardroom::service::audit::AuditQuery;
use guardroom::service::guard::Guarded;
use guardroom::service::{Api, ClientQuery, ComplaintQuery, FixedClock, Service, ServiceError, Step};
use guardroom::store::Store;
use std::sync::Arc;

fn allowed<T>(r: &Result<T, ServiceError>) -> bool {
    !matches!(r, Err(ServiceError::Forbidden { .. }) | Err(ServiceError::Denied { .. }))
}

#[test]
fn every_role_against_every_command_kind() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let s: Arc<Service> = Service::new(Store::open(dir.path()).unwrap(), Box::new(clock));
    s.bootstrap_admin("root").unwrap();
    let contract = guardroom::domain::Contract { number: "HT-1".into(), ..Default::default() };
    let client = s.create_client("root", ClientDraft { name: "华贸".into(), contract, ..Default::default() }).unwrap();
    let t = NaiveDateTime::parse_from_str("2026-11-22 10:00", "%Y-%m-%d %H:%M").unwrap();
    let complaint = ComplaintDraft {
        client_id: client.id,
        client_name: "华贸".into(),
        address: String::new(),
        phone: String::new(),
        received_at: t,
        received_by: "li".into(),
        channel: Channel::Phone,
        cause: "睡岗".into(),
        demand: String::new(),
        category: Category::FeeDeduction,
        amount: Fen(100),
        kind: String::new(),
        remarks: String::new(),
    };
    for role in Role::ALL {
        let account = format!("op-{}", role.code());
        s.set_operator("root", &account, *role, true).unwrap();
        let g = Guarded::new(Arc::clone(&s), &account).unwrap();
        let c = s.client_file(client.id).unwrap().client;
        let reg = s.register_complaint("root", complaint.clone()).unwrap();
        let mut visit = VisitDraft::new(t.date(), "li");
        visit.purpose = "回访".into();
        let checks: Vec<(&str, Right, bool)> = vec![
            ("list clients", Right::ReadClients, allowed(&g.list_clients(&ClientQuery::default()))),
            ("open a client", Right::ReadClients, allowed(&g.client_file(client.id))),
            (
                "create a client",
                Right::EditClients,
                allowed(&g.create_client("x", ClientDraft { name: format!("新{}", role.code()), ..Default::default() })),
            ),
            ("edit a client", Right::EditClients, allowed(&g.update_client("x", c.id, c.meta.version, c.draft.clone()))),
            ("add a visit", Right::EditClients, allowed(&g.add_visit("x", client.id, visit))),
            ("list complaints", Right::ReadComplaints, allowed(&g.list_complaints(&ComplaintQuery::default()))),
            ("register a complaint", Right::HandleComplaints, allowed(&g.register_complaint("x", complaint.clone()))),
            (
                "inform",
                Right::HandleComplaints,
                allowed(&g.complaint_step("x", reg.id, reg.meta.version, Step::Inform { how: "电话".into() })),
            ),
            ("approve", Right::Approve, allowed(&g.complaint_step("x", reg.id, reg.meta.version, Step::Approve { amount: Fen(100) }))),
            ("statistics", Right::ReadComplaints, allowed(&g.complaint_stats(None, None))),
            ("audit", Right::ReadAudit, allowed(&g.audit(&AuditQuery { limit: 5, ..Default::default() }))),
            ("load data", Right::LoadData, allowed(&g.load_demo("x"))),
        ];
        for (what, right, got) in checks {
            assert_eq!(got, role.may(right), "{role:?} → {what}");
        }
        // Contracts reach only the roles that may read them.
        if role.may(Right::ReadClients) {
            let shown = g.client_file(client.id).unwrap().client.draft.contract.number == "HT-1";
            assert_eq!(shown, role.may(Right::ReadContracts), "{role:?} → contract");
        }
    }
    // Managing operators: the admin only.
    s.set_operator("root", "m", Role::Manager, true).unwrap();
    assert!(matches!(s.set_operator("m", "x", Role::Sales, true), Err(ServiceError::Forbidden { .. })));
}

#[test]
fn a_post_operator_works_only_the_posts_that_name_it() {
    use guardroom::domain::{Credential, PostDraft, ShiftSpec, StaffDraft};
    use guardroom::service::duty::{DutyCommand as C, DutyData, DutyQuery};
    use std::str::FromStr;
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let s: Arc<Service> = Service::new(Store::open(dir.path()).unwrap(), Box::new(clock));
    s.bootstrap_admin("root").unwrap();
    s.set_operator("root", "gate1", Role::PostOperator, true).unwrap();
    s.set_operator("root", "cap", Role::Captain, true).unwrap();
    let client = s.create_client("root", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let hm = |t: &str| chrono::NaiveTime::from_str(t).unwrap();
    let mut ids = vec![];
    for (site, ops) in [("大门岗", vec!["gate1".to_string()]), ("大堂岗", vec![])] {
        let shifts = vec![ShiftSpec { key: 1, name: "白班".into(), start: hm("08:00:00"), end: hm("20:00:00"), headcount: 1 }];
        let draft = PostDraft { client_id: client.id, site: site.into(), shifts, operators: ops, ..Default::default() };
        if let DutyData::OnePost(p) = s.duty_do("root", C::SavePost { id: None, version: 0, draft }).unwrap() {
            ids.push(p.id);
        }
    }
    let guard = match s
        .duty_do(
            "root",
            C::SaveStaff {
                id: None,
                version: 0,
                draft: StaffDraft {
                    name: "王伟".into(),
                    licence: Credential { number: "沪保1".into(), expires: None },
                    ..Default::default()
                },
            },
        )
        .unwrap()
    {
        DutyData::OneStaff(x) => x.id,
        other => panic!("{other:?}"),
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let op = Guarded::new(s.clone(), "gate1").unwrap();
    let cap = Guarded::new(s.clone(), "cap").unwrap();
    // Planning is for captains; the post operator cannot assign or read the grid.
    assert!(!allowed(&op.duty_do("gate1", C::Assign { post_id: ids[0], date: day, shift_key: 1, staff_id: guard })));
    assert!(!allowed(&op.duty(&DutyQuery::Week { monday: day })));
    assert!(!allowed(&op.duty(&DutyQuery::Staff)));
    cap.duty_do("cap", C::Assign { post_id: ids[0], date: day, shift_key: 1, staff_id: guard }).unwrap();
    // Its own post: listed, its screen shown, check-in taken.
    let mine = guardroom::service::duty::my_posts(&op).unwrap();
    assert_eq!(mine.iter().map(|r| r.post.id).collect::<Vec<_>>(), [ids[0]]);
    let at = day.and_hms_opt(8, 2, 0).unwrap();
    assert!(allowed(&op.duty(&DutyQuery::PostScreen { post_id: ids[0], at })));
    op.duty_do("gate1", C::CheckIn { post_id: ids[0], date: day, shift_key: 1, staff_id: guard, at: None }).unwrap();
    for cmd in [
        C::CheckIn { post_id: ids[1], date: day, shift_key: 1, staff_id: guard, at: None },
        C::CheckOut { post_id: ids[1], date: day, shift_key: 1, staff_id: guard, at: None },
        C::Patrol { post_id: ids[1], date: day, time: at.time(), checkpoints: "x".into(), remarks: String::new() },
    ] {
        assert!(!allowed(&op.duty_do("gate1", cmd)), "another post's attendance");
    }
    for q in
        [DutyQuery::Day { date: day }, DutyQuery::Summary { month: day }, DutyQuery::Eligible { post_id: ids[0], date: day, shift_key: 1 }]
    {
        assert!(!allowed(&op.duty(&q)), "{q:?} is for captains");
    }
    // Another post: refused, screen and commands alike.
    assert!(!allowed(&op.duty(&DutyQuery::PostScreen { post_id: ids[1], at })));
    let handover = C::Handover { post_id: ids[1], date: day, shift_key: 1, text: "x".into(), was: None };
    assert!(!allowed(&op.duty_do("gate1", handover)));
    // Corrections and audits are the captain's.
    assert!(!allowed(&op.duty_do("gate1", C::MarkAudited { date: day })));
    assert!(allowed(&cap.duty_do("cap", C::MarkAudited { date: day })));
}
