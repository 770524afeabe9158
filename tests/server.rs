//! The server: sessions over a Unix socket speaking the service API.

use chrono::{TimeZone, Utc};
use guardroom::domain::ClientDraft;
use guardroom::server::client::RemoteApi;
use guardroom::server::peer::{KernelPeer, PeerIdentity};
use guardroom::server::protocol::{read_frame, write_frame, Request, Response, MAX_FRAME, PROTOCOL_VERSION};
use guardroom::server::{bind, serve};
use guardroom::service::{Api, ClientQuery, FixedClock, Service, ServiceError};
use guardroom::store::Store;
use guardroom::transfer::{ImportMode, Kind};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

struct Running {
    socket: std::path::PathBuf,
    service: Arc<Service>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

/// A server whose database has `admin` as its first operator.
fn start_as(identity: Arc<dyn PeerIdentity>, admin: &str) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let service = Service::new(Store::open(&dir.path().join("db")).unwrap(), Box::new(clock));
    service.bootstrap_admin(admin).unwrap();
    let socket = dir.path().join("guardroom.sock");
    let listener = bind(&socket).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (s, svc) = (Arc::clone(&stop), Arc::clone(&service));
    let thread = std::thread::spawn(move || serve(listener, svc, identity, s).unwrap());
    Running { socket, service, stop, thread: Some(thread), _dir: dir }
}

fn start(identity: Arc<dyn PeerIdentity>) -> Running {
    start_as(identity, "li")
}

#[test]
fn two_sessions_share_one_store_and_act_as_the_socket_peer() {
    let server = start_as(Arc::new(KernelPeer), &whoami::username().unwrap());
    let a = RemoteApi::connect(&server.socket).unwrap();
    let b = RemoteApi::connect(&server.socket).unwrap();
    // The operator is the OS account of the connecting process, not a claim.
    let me = whoami::username().unwrap();
    assert_eq!(a.operator, me);
    let c = a.create_client("someone-else", ClientDraft { name: "上海华贸中心".into(), ..Default::default() }).unwrap();
    assert_eq!(c.number, "KH-0001");
    assert_eq!(c.meta.created_by, me, "the claimed actor is ignored");
    let page = b.list_clients(&ClientQuery::default()).unwrap();
    assert_eq!(page.rows[0].draft.name, "上海华贸中心");
    // Errors travel as the service's errors.
    let stale = b.update_client("x", c.id, 0, c.draft.clone());
    assert!(matches!(stale, Err(ServiceError::Conflict { .. })), "{stale:?}");
    match b.create_client("x", ClientDraft::default()) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].field, "name"),
        other => panic!("{other:?}"),
    }
    assert!(b.location().starts_with("server "));
}

struct Named(&'static str);

impl PeerIdentity for Named {
    fn operator(&self, _: &UnixStream) -> std::io::Result<String> {
        Ok(self.0.to_string())
    }
}

#[test]
fn another_protocol_version_is_refused_with_a_sentence() {
    let server = start(Arc::new(Named("li")));
    let mut s = UnixStream::connect(&server.socket).unwrap();
    write_frame(&mut s, &Request::Hello { protocol: 99, app: "9.9.9".into() }).unwrap();
    match read_frame::<Response>(&mut s).unwrap() {
        Response::Refused(why) => assert!(why.contains("protocol 99") && why.contains("use the same guardroom version"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_malformed_or_oversized_frame_ends_only_that_session() {
    let server = start(Arc::new(Named("li")));
    let good = RemoteApi::connect(&server.socket).unwrap();
    // Garbage after a correct length.
    let mut bad = UnixStream::connect(&server.socket).unwrap();
    bad.write_all(&8u32.to_le_bytes()).unwrap();
    bad.write_all(b"garbage!").unwrap();
    assert!(read_frame::<Response>(&mut bad).is_err(), "the bad session is closed");
    // A length over the limit, in place of the handshake: refused with a
    // sentence in both languages (the client's is not known yet).
    let mut huge = UnixStream::connect(&server.socket).unwrap();
    huge.write_all(&u32::MAX.to_le_bytes()).unwrap();
    match read_frame::<Response>(&mut huge).unwrap() {
        Response::Refused(why) => assert!(why.contains("too large") && why.contains("内容太大") && why.contains("64.0 MB"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(read_frame::<Response>(&mut huge).is_err(), "then the session ends");
    // The good session goes on.
    assert_eq!(good.client_count().unwrap(), 0);
    assert!(good.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).is_ok());
}

#[test]
fn an_oversized_frame_in_a_session_gets_a_sentence_and_the_server_keeps_serving() {
    let server = start(Arc::new(Named("li")));
    let good = RemoteApi::connect(&server.socket).unwrap();
    let mut raw = UnixStream::connect(&server.socket).unwrap();
    write_frame(&mut raw, &Request::Hello { protocol: PROTOCOL_VERSION, app: "test".into() }).unwrap();
    assert!(matches!(read_frame::<Response>(&mut raw).unwrap(), Response::Welcome { .. }));
    // Claims one byte over the limit and sends a little of it: the server
    // answers from the length alone, without waiting for (or allocating) the rest.
    raw.write_all(&((MAX_FRAME + 1) as u32).to_le_bytes()).unwrap();
    raw.write_all(&[0u8; 1000]).unwrap();
    match read_frame::<Response>(&mut raw).unwrap() {
        Response::Err(e @ ServiceError::TooLarge { bytes, limit }) => {
            assert_eq!((bytes, limit), (MAX_FRAME as u64 + 1, MAX_FRAME as u64));
            let text = guardroom::ui::messages::service_error(&e, guardroom::i18n::Lang::En);
            assert!(text.contains("64.0 MB") && text.contains("split it"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(read_frame::<Response>(&mut raw).is_err(), "that session ends: the rest of its frame is unread");
    assert!(good.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).is_ok());
    assert_eq!(RemoteApi::connect(&server.socket).unwrap().client_count().unwrap(), 1, "new sessions are served too");
}

#[test]
fn the_client_refuses_to_send_an_oversized_request_and_its_session_goes_on() {
    let server = start(Arc::new(Named("li")));
    let api = RemoteApi::connect(&server.socket).unwrap();
    let bytes = vec![b'a'; MAX_FRAME + 1];
    match api.import_csv("li", Kind::Clients, bytes, ImportMode::Preview, &|_, _, _| {}) {
        Err(e @ ServiceError::TooLarge { .. }) => {
            let zh = guardroom::ui::messages::service_error(&e, guardroom::i18n::Lang::Zh);
            assert!(zh.contains("内容太大") && zh.contains("64.0 MB"), "{zh}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!api.reconnecting(), "the connection was not dropped");
    assert_eq!(api.client_count().unwrap(), 0);
    // The largest file an import takes goes through (and is read by the server).
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.resize(guardroom::transfer::MAX_IMPORT_BYTES as usize, b'a');
    let report = api.import_csv("li", Kind::Clients, utf16, ImportMode::Preview, &|_, _, _| {}).unwrap();
    assert_eq!(report.file, Some(guardroom::transfer::FileProblem::Utf16));
}

#[test]
fn a_stale_socket_is_replaced_but_a_live_server_is_not_displaced() {
    let server = start(Arc::new(Named("li")));
    let err = bind(&server.socket).unwrap_err().to_string();
    assert!(err.contains("already running"), "{err}");
    // A socket file nobody listens on (a crashed server) is replaced.
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join("old.sock");
    drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
    assert!(stale.exists());
    assert!(bind(&stale).is_ok());
}

#[test]
fn a_save_in_one_session_reaches_the_others_but_not_itself() {
    let server = start(Arc::new(Named("li")));
    let a = RemoteApi::connect(&server.socket).unwrap();
    let b = RemoteApi::connect(&server.socket).unwrap();
    let c = a.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut seen = Vec::new();
    while seen.is_empty() && std::time::Instant::now() < deadline {
        seen = b.take_changes();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(seen, [("client".to_string(), c.id)]);
    // Answers and pushed changes do not get mixed up on b's connection.
    assert_eq!(b.client_count().unwrap(), 1);
    assert!(a.take_changes().is_empty(), "a session is not told about its own save");
}

/// Each connection is a different account, in order.
struct Accounts(std::sync::Mutex<Vec<&'static str>>);

impl PeerIdentity for Accounts {
    fn operator(&self, _: &UnixStream) -> std::io::Result<String> {
        Ok(self.0.lock().unwrap().remove(0).to_string())
    }
}

#[test]
fn accounts_and_roles_decide_what_a_session_may_do() {
    let server = start(Arc::new(Accounts(std::sync::Mutex::new(vec!["li", "stranger", "fawu", "fawu"]))));
    let admin = RemoteApi::connect(&server.socket).unwrap();
    admin
        .create_client(
            "li",
            ClientDraft {
                name: "华贸".into(),
                contract: guardroom::domain::Contract { number: "HT-1".into(), ..Default::default() },
                ..Default::default()
            },
        )
        .unwrap();
    // An account that is not an operator is refused, with how to fix it.
    let err = RemoteApi::connect(&server.socket).err().unwrap().to_string();
    assert!(err.contains("stranger") && err.contains("guardroom operator add stranger"), "{err}");
    // Legal reads contracts but changes nothing.
    server.service.set_operator("li", "fawu", guardroom::domain::Role::Legal, true).unwrap();
    let legal = RemoteApi::connect(&server.socket).unwrap();
    assert_eq!(legal.list_clients(&ClientQuery::default()).unwrap().rows[0].draft.contract.number, "HT-1");
    match legal.create_client("x", ClientDraft { name: "新客户".into(), ..Default::default() }) {
        Err(ServiceError::Forbidden { role, right }) => {
            assert_eq!((role, right), (guardroom::domain::Role::Legal, guardroom::domain::Right::EditClients))
        }
        other => panic!("{other:?}"),
    }
    // A role change applies at once; a post operator never sees contracts.
    server.service.set_operator("li", "fawu", guardroom::domain::Role::Captain, true).unwrap();
    let page = legal.list_clients(&ClientQuery::default()).unwrap();
    assert_eq!(page.rows[0].draft.contract.number, "", "captains do not read contracts");
    server.service.set_operator("li", "fawu", guardroom::domain::Role::PostOperator, true).unwrap();
    assert!(matches!(legal.list_clients(&ClientQuery::default()), Err(ServiceError::Forbidden { .. })));
    // The last admin stays an admin.
    assert_eq!(server.service.set_operator("li", "li", guardroom::domain::Role::Sales, true).unwrap_err(), ServiceError::LastAdmin);
    // Disabled accounts are refused from then on.
    server.service.set_operator("li", "fawu", guardroom::domain::Role::Sales, false).unwrap();
    assert!(matches!(legal.client_count().and(legal.list_clients(&ClientQuery::default())), Err(ServiceError::NotOperator(_))));
}

#[test]
fn only_admins_and_managers_read_the_audit_trail() {
    let server = start(Arc::new(Accounts(std::sync::Mutex::new(vec!["li", "kefu"]))));
    server.service.set_operator("li", "kefu", guardroom::domain::Role::CustomerService, true).unwrap();
    let admin = RemoteApi::connect(&server.socket).unwrap();
    admin.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let q = guardroom::service::audit::AuditQuery { limit: 10, ..Default::default() };
    // The operator added and the client created.
    assert_eq!(admin.audit(&q).unwrap().total, 3);
    assert!(admin.can(guardroom::domain::Right::ReadAudit));
    let kefu = RemoteApi::connect(&server.socket).unwrap();
    assert!(!kefu.can(guardroom::domain::Right::ReadAudit));
    assert!(matches!(kefu.audit(&q), Err(ServiceError::Forbidden { .. })));
}

#[test]
fn a_client_killed_in_the_middle_of_a_request_leaves_nothing_half_done() {
    let server = start(Arc::new(Named("li")));
    // A session that sends half of a save and vanishes.
    let mut s = UnixStream::connect(&server.socket).unwrap();
    write_frame(&mut s, &Request::Hello { protocol: guardroom::server::protocol::PROTOCOL_VERSION, app: "test".into() }).unwrap();
    let _welcome: Response = read_frame(&mut s).unwrap();
    let mut frame = Vec::new();
    write_frame(&mut frame, &Request::CreateClient(ClientDraft { name: "半截".into(), ..Default::default() })).unwrap();
    s.write_all(&frame[..frame.len() / 2]).unwrap();
    drop(s);
    // Nothing of it was stored, and the server serves on.
    let other = RemoteApi::connect(&server.socket).unwrap();
    assert_eq!(other.client_count().unwrap(), 0);
    assert_eq!(server.service.store().count::<guardroom::domain::Client>(), 0);
    assert!(other.create_client("li", ClientDraft { name: "完整".into(), ..Default::default() }).is_ok());
}

#[test]
fn a_roster_change_in_one_session_reaches_another_with_names_as_they_are_now() {
    use guardroom::domain::{Credential, PostDraft, ShiftSpec, StaffDraft};
    use guardroom::service::duty::{self, DutyCommand as C, DutyData};
    let server = start(Arc::new(Named("li")));
    let a = RemoteApi::connect(&server.socket).unwrap();
    let b = RemoteApi::connect(&server.socket).unwrap();
    let client = a.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let t = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let shifts = vec![ShiftSpec { key: 1, name: "白班".into(), start: t(8), end: t(20), headcount: 1 }];
    let draft = PostDraft { client_id: client.id, site: "大门岗".into(), shifts, ..Default::default() };
    let DutyData::OnePost(post) = a.duty_do("li", C::SavePost { id: None, version: 0, draft }).unwrap() else { panic!() };
    let draft = StaffDraft { name: "王伟".into(), licence: Credential { number: "沪保1".into(), expires: None }, ..Default::default() };
    let DutyData::OneStaff(guard) = a.duty_do("li", C::SaveStaff { id: None, version: 0, draft }).unwrap() else { panic!() };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // b reads the week first, so its server-side lookups are warm.
    assert_eq!(duty::week(&b, day).unwrap().assignments, 0);
    a.duty_do("li", C::Assign { post_id: post.id, date: day, shift_key: 1, staff_id: guard.id }).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut seen = Vec::new();
    while !seen.iter().any(|(k, _): &(String, u64)| k == "duty") && std::time::Instant::now() < deadline {
        seen.extend(b.take_changes());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(seen.iter().any(|(k, _)| k == "duty"), "b hears of the roster change: {seen:?}");
    let week = duty::week(&b, day).unwrap();
    assert_eq!(week.rows[0].days[1], [guard.id]);
    assert_eq!(week.names[&guard.id], "王伟");
    // A renamed guard and a renamed client read anew in the other session.
    let draft = StaffDraft { name: "王伟强".into(), ..guard.draft.clone() };
    a.duty_do("li", C::SaveStaff { id: Some(guard.id), version: guard.meta.version, draft }).unwrap();
    let c = a.client_file(client.id).unwrap().client;
    a.update_client("li", c.id, c.meta.version, ClientDraft { name: "华贸中心".into(), ..c.draft.clone() }).unwrap();
    let week = duty::week(&b, day).unwrap();
    assert_eq!((week.names[&guard.id].as_str(), week.rows[0].client_name.as_str()), ("王伟强", "华贸中心"));
}

#[test]
fn the_overview_over_the_wire_follows_another_sessions_save_and_the_role() {
    use guardroom::domain::{Role, Tier};
    use guardroom::service::overview::Item;
    let server = start(Arc::new(Accounts(std::sync::Mutex::new(vec!["li", "li", "zhou", "gate"]))));
    let a = RemoteApi::connect(&server.socket).unwrap();
    let b = RemoteApi::connect(&server.socket).unwrap();
    server.service.set_operator("li", "zhou", Role::Sales, true).unwrap();
    server.service.set_operator("li", "gate", Role::PostOperator, true).unwrap();
    let before = b.overview(true).unwrap().count(Item::KeyVisitsDueThisWeek).unwrap();
    // A key client opened today is due within its interval; one opened with a
    // short interval is due this week.
    let draft = ClientDraft { name: "华贸".into(), tier: Tier::Key, visit_interval_days: 3, ..Default::default() };
    a.create_client("li", draft).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while b.take_changes().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(b.overview(true).unwrap().count(Item::KeyVisitsDueThisWeek), Some(before + 1));
    // Sales act on clients, not on complaints; a post operator on none of it.
    let sales = RemoteApi::connect(&server.socket).unwrap();
    let lines: Vec<Item> = sales.overview(true).unwrap().lines.iter().map(|l| l.item).collect();
    assert_eq!(lines, [Item::KeyVisitsOverdue, Item::KeyVisitsDueThisWeek, Item::PromisesOverdue]);
    let post = RemoteApi::connect(&server.socket).unwrap();
    let o = post.overview(true).unwrap();
    assert!(o.lines.is_empty() && o.complaints_per_week.is_none());
    assert!(
        matches!(post.month_report(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()), Ok(r) if r.complaints.is_none() && r.visits.is_none())
    );
}
