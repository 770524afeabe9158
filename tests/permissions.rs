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
