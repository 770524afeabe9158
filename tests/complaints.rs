//! The complaint workflow through the service API.

use chrono::{NaiveDateTime, TimeZone, Utc};
use guardroom::domain::{
    Category, Channel, ClientDraft, ClientStatus, ComplaintDraft, ComplaintStatus, Fen, Invalid, StepRefused, VisitMethod,
};
use guardroom::service::{Api, ComplaintQuery, FixedClock, Policy, Service, ServiceError, Step};
use guardroom::store::Store;
use std::sync::Arc;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn service(dir: &std::path::Path) -> Arc<Service> {
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let policy = Policy { managers: vec!["zhang".into()], ..Default::default() };
    Service::with_policy(Store::open(dir).unwrap(), Box::new(clock), policy)
}

fn draft(client_id: u64, received: &str, category: Category) -> ComplaintDraft {
    ComplaintDraft {
        client_id,
        client_name: "上海华贸中心".into(),
        address: "上海市静安区".into(),
        phone: "021-62881234".into(),
        received_at: t(received),
        received_by: "李娜".into(),
        channel: Channel::Phone,
        cause: "夜班保安睡岗".into(),
        demand: "更换队员".into(),
        category,
        amount: if category == Category::FeeDeduction { Fen(50_000) } else { Fen(0) },
        kind: "脱岗睡岗".into(),
        remarks: String::new(),
    }
}

fn investigate() -> Step {
    Step::Investigate {
        investigator: "人防部 赵磊".into(),
        responsible: "队员 刘强".into(),
        cause_found: "连续值班疲劳".into(),
        measure: "调整排班".into(),
    }
}

#[test]
fn numbers_run_per_day_and_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let c = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let a = s.register_complaint("li", draft(c.id, "2026-11-22 10:00", Category::General)).unwrap();
    let b = s.register_complaint("li", draft(c.id, "2026-11-22 11:00", Category::General)).unwrap();
    let d = s.register_complaint("li", draft(c.id, "2026-11-23 08:00", Category::General)).unwrap();
    assert_eq!((a.number.as_str(), b.number.as_str(), d.number.as_str()), ("TS-20261122-001", "TS-20261122-002", "TS-20261123-001"));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| s.register_complaint("li", draft(1, "2026-11-21 09:00", Category::General)).unwrap().number)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut n: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    n.sort();
    n.dedup();
    assert_eq!(n.len(), 20);
    assert_eq!(n.last().unwrap(), "TS-20261121-020");
}

#[test]
fn the_whole_workflow_with_a_refused_jump_and_a_linked_follow_up_visit() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let c = s.register_complaint("li", draft(client.id, "2026-11-22 10:00", Category::General)).unwrap();
    assert_eq!(c.due, t("2026-11-25 10:00"));
    // Jumping ahead names the missing step.
    match s.complaint_step("li", c.id, c.meta.version, investigate()) {
        Err(ServiceError::Refused(StepRefused::NeedsStep(ComplaintStatus::Informed))) => {}
        other => panic!("{other:?}"),
    }
    let c = s.complaint_step("li", c.id, c.meta.version, Step::Inform { how: "电话告知".into() }).unwrap();
    assert_eq!(c.informed.as_ref().unwrap().stamp.by, "li");
    assert!(matches!(
        s.complaint_step("li", c.id, c.meta.version, Step::Inform { how: "x".into() }),
        Err(ServiceError::Refused(StepRefused::AlreadyDone(_)))
    ));
    match s.complaint_step(
        "zhao",
        c.id,
        c.meta.version,
        Step::Investigate { investigator: "".into(), responsible: "".into(), cause_found: "x".into(), measure: "y".into() },
    ) {
        Err(ServiceError::Invalid(e)) => {
            assert_eq!(e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["investigator", "responsible"])
        }
        other => panic!("{other:?}"),
    }
    let c = s.complaint_step("zhao", c.id, c.meta.version, investigate()).unwrap();
    let c = s.complaint_step("li", c.id, c.meta.version, Step::Resolve { text: "已更换队员".into(), amount: Fen(0) }).unwrap();
    assert_eq!(c.resolved_in_time(), Some(true));
    let c = s
        .complaint_step(
            "zhou",
            c.id,
            c.meta.version,
            Step::FollowUp { method: VisitMethod::Phone, met: "王建国".into(), opinions: "满意".into() },
        )
        .unwrap();
    let (_, visit_id) = c.follow_up.clone().unwrap();
    let file = s.client_file(client.id).unwrap();
    assert_eq!(file.visits[0].id, visit_id);
    assert_eq!(file.visits[0].complaint_id, Some(c.id), "the visit points back at the complaint");
    assert_eq!(file.visits[0].draft.purpose, format!("投诉回访 {}", c.number));
    assert_eq!(file.client.last_visit, Some(t("2026-11-23 09:00").date()));
    let c = s.complaint_step("li", c.id, c.meta.version, Step::Close).unwrap();
    assert_eq!(c.status, ComplaintStatus::Closed);
    assert!(matches!(
        s.complaint_step("li", c.id, c.meta.version, Step::Escalate { reason: "x".into() }),
        Err(ServiceError::Refused(StepRefused::Closed))
    ));
    // The timeline has every step, who and when.
    let f = s.complaint_file(c.id).unwrap();
    assert_eq!(f.timeline.len(), 6);
    assert_eq!(f.timeline.iter().map(|e| e.who.as_str()).collect::<Vec<_>>(), ["li", "li", "zhao", "li", "zhou", "li"]);
    assert_eq!(f.visit.map(|v| v.id), Some(visit_id));
}

#[test]
fn a_fee_deduction_waits_for_a_manager() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let c = s.register_complaint("li", draft(client.id, "2026-11-22 10:00", Category::FeeDeduction)).unwrap();
    let c = s.complaint_step("li", c.id, c.meta.version, Step::Inform { how: "电话".into() }).unwrap();
    let c = s.complaint_step("zhao", c.id, c.meta.version, investigate()).unwrap();
    let resolve = Step::Resolve { text: "扣除 500 元".into(), amount: Fen(50_000) };
    assert!(matches!(
        s.complaint_step("li", c.id, c.meta.version, resolve.clone()),
        Err(ServiceError::Refused(StepRefused::NeedsApproval))
    ));
    match s.complaint_step("li", c.id, c.meta.version, Step::Approve { amount: Fen(50_000) }) {
        Err(ServiceError::Denied { managers, .. }) => assert_eq!(managers, ["zhang"]),
        other => panic!("an operator without the right is refused: {other:?}"),
    }
    let c = s.complaint_step("zhang", c.id, c.meta.version, Step::Approve { amount: Fen(50_000) }).unwrap();
    assert_eq!(c.approval.as_ref().map(|a| (a.stamp.by.as_str(), a.amount)), Some(("zhang", Fen(50_000))));
    // More than was approved is refused.
    assert!(matches!(
        s.complaint_step("li", c.id, c.meta.version, Step::Resolve { text: "扣除".into(), amount: Fen(9_999_900) }),
        Err(ServiceError::Refused(StepRefused::NeedsApproval))
    ));
    // Changing the amount asked for voids the approval.
    let more = ComplaintDraft { amount: Fen(80_000), ..c.draft.clone() };
    let edited = s.edit_complaint("li", c.id, c.meta.version, more).unwrap();
    assert!(edited.approval.is_none());
    let c = s.complaint_step("zhang", c.id, edited.meta.version, Step::Approve { amount: Fen(80_000) }).unwrap();
    let c = s.complaint_step("li", c.id, c.meta.version, resolve).unwrap();
    assert_eq!(c.resolution.unwrap().amount, Fen(50_000));
    // A general complaint with compensation needs approval too.
    let g = s.register_complaint("li", draft(client.id, "2026-11-22 12:00", Category::General)).unwrap();
    let g = s.complaint_step("li", g.id, g.meta.version, Step::Inform { how: "电话".into() }).unwrap();
    let g = s.complaint_step("zhao", g.id, g.meta.version, investigate()).unwrap();
    assert!(matches!(
        s.complaint_step("li", g.id, g.meta.version, Step::Resolve { text: "赔偿".into(), amount: Fen(100) }),
        Err(ServiceError::Refused(StepRefused::NeedsApproval))
    ));
    assert!(s.complaint_step("li", g.id, g.meta.version, Step::Resolve { text: "道歉".into(), amount: Fen(0) }).is_ok());
}

#[test]
fn bad_register_input_is_refused_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let mut d = draft(client.id, "2026-11-24 10:00", Category::FeeDeduction);
    d.amount = Fen(0);
    d.cause = String::new();
    match s.register_complaint("li", d) {
        Err(ServiceError::Invalid(e)) => {
            let got: Vec<(&str, &Invalid)> = e.iter().map(|e| (e.field.as_str(), &e.reason)).collect();
            assert_eq!(got, [("received_at", &Invalid::FutureTime), ("cause", &Invalid::Required), ("amount", &Invalid::Positive)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn concurrent_moves_conflict_and_ended_clients_keep_copied_names() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "上海华贸中心".into(), ..Default::default() }).unwrap();
    let c = s.register_complaint("li", draft(client.id, "2026-11-22 10:00", Category::General)).unwrap();
    s.complaint_step("zhou", c.id, c.meta.version, Step::Inform { how: "电话".into() }).unwrap();
    match s.complaint_step("li", c.id, c.meta.version, Step::Escalate { reason: "客户不同意".into() }) {
        Err(ServiceError::Conflict { by, label, .. }) => {
            assert_eq!((by.as_str(), label.as_str()), ("zhou", "TS-20261122-001 上海华贸中心"))
        }
        other => panic!("{other:?}"),
    }
    let ended = ClientDraft { name: "上海华贸中心（已更名）".into(), status: ClientStatus::Ended, ..client.draft.clone() };
    s.update_client("li", client.id, client.meta.version, ended).unwrap();
    let f = s.complaint_file(c.id).unwrap();
    assert_eq!(f.complaint.draft.client_name, "上海华贸中心");
}

#[test]
fn lists_put_overdue_first_and_count_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let fresh = s.register_complaint("li", draft(client.id, "2026-11-23 08:00", Category::General)).unwrap();
    let old = s.register_complaint("li", draft(client.id, "2026-11-18 08:00", Category::General)).unwrap();
    let fee = s.register_complaint("li", draft(client.id, "2026-11-22 08:00", Category::FeeDeduction)).unwrap();
    let page = s.list_complaints(&ComplaintQuery::default()).unwrap();
    assert_eq!(page.rows.iter().map(|c| c.id).collect::<Vec<_>>(), [old.id, fee.id, fresh.id]);
    assert_eq!((page.counts.open, page.counts.overdue, page.counts.awaiting_approval), (3, 1, 1));
    let overdue =
        s.list_complaints(&ComplaintQuery { focus: Some(guardroom::service::ComplaintFocus::Overdue), ..Default::default() }).unwrap();
    assert_eq!(overdue.rows.len(), 1);
    let fees = s.list_complaints(&ComplaintQuery { category: Some(Category::FeeDeduction), ..Default::default() }).unwrap();
    assert_eq!(fees.total, 1);
    let text = s.list_complaints(&ComplaintQuery { text: "ts-20261118".into(), ..Default::default() }).unwrap();
    assert_eq!(text.rows[0].id, old.id);
    let range = s.list_complaints(&ComplaintQuery { from: Some(t("2026-11-22 00:00").date()), ..Default::default() }).unwrap();
    assert_eq!(range.total, 2);
    assert_eq!(s.complaints_of_client(client.id).unwrap().len(), 3);
    // Registered after its due time: the breach is on record from the start.
    assert_eq!(old.breached_at, Some(t("2026-11-21 08:00")));
    assert_eq!(fresh.breached_at, None);
}

#[test]
fn statistics_over_a_period() {
    use guardroom::domain::{Investigation, Meta, Resolution, Stamp};
    use guardroom::service::complaint_stats::compute;
    let mk = |n: u64, client: &str, received: &str, resolved: Option<&str>, followed: bool, cat: Category| {
        let meta = Meta::new("li", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let d = ComplaintDraft { client_name: client.into(), ..draft(1, received, cat) };
        let mut c = guardroom::domain::Complaint::registered(format!("TS-{n}"), d, t(received) + chrono::Duration::days(3), meta);
        c.id = n;
        c.status = ComplaintStatus::Investigating;
        c.investigation = Some(Investigation {
            stamp: Stamp { by: "z".into(), at: t(received) },
            investigator: "z".into(),
            responsible: if n.is_multiple_of(2) { "队员 刘强".into() } else { "队长 王军".into() },
            cause_found: String::new(),
            measure: String::new(),
        });
        if let Some(r) = resolved {
            c.status = if followed { ComplaintStatus::FollowedUp } else { ComplaintStatus::Resolved };
            c.resolution = Some(Resolution { stamp: Stamp { by: "li".into(), at: t(r) }, text: "x".into(), amount: Fen(0) });
            if followed {
                c.follow_up = Some((Stamp { by: "li".into(), at: t(r) }, 99));
            }
        }
        c
    };
    // The statistics read each complaint's list row, as the service keeps it.
    let all: Vec<_> = [
        mk(1, "华贸", "2026-09-30 10:00", Some("2026-10-01 10:00"), true, Category::General), // before the period
        mk(2, "华贸", "2026-10-01 10:00", Some("2026-10-02 10:00"), true, Category::General), // 1 day
        mk(3, "华贸", "2026-10-15 10:00", Some("2026-10-17 22:00"), false, Category::FeeDeduction), // 2.5 days
        mk(4, "恒达", "2026-12-01 10:00", Some("2026-12-06 10:00"), true, Category::General), // 5 days, late
        mk(5, "恒达", "2026-12-20 10:00", None, false, Category::Unjustified),
    ]
    .iter()
    .map(guardroom::service::ComplaintRow::of)
    .collect();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let s = compute(&all, Some(d("2026-10-01")), Some(d("2026-12-31")));
    assert_eq!(s.total, 4);
    assert_eq!(s.per_month, [("2026-10".to_string(), 2), ("2026-11".to_string(), 0), ("2026-12".to_string(), 2)]);
    assert_eq!(s.by_category, [(Category::General, 2), (Category::FeeDeduction, 1), (Category::Unjustified, 1)]);
    assert_eq!(s.top_clients, [("华贸".to_string(), 2), ("恒达".to_string(), 2)]);
    assert_eq!(s.resolved, 3);
    assert_eq!(s.median_days, Some(2.5));
    assert_eq!(s.p90_days, Some(5.0));
    assert_eq!(s.within_limit, Some(2.0 / 3.0));
    assert_eq!(s.followed_up, 2);
    assert_eq!(s.follow_up_rate, Some(2.0 / 3.0));
    assert_eq!(s.by_responsible[0], ("队员 刘强".to_string(), 2));
    let none = compute(&all, Some(d("2030-01-01")), None);
    assert_eq!((none.total, none.median_days, none.follow_up_rate), (0, None, None));
}

#[test]
fn exports_a_filled_in_form_and_a_csv_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let client = s.create_client("li", ClientDraft { name: "上海华贸中心".into(), ..Default::default() }).unwrap();
    let mut d = draft(client.id, "2026-11-22 10:00", Category::FeeDeduction);
    d.cause = "夜班保安在岗亭内睡觉，业主报警后十分钟无人响应，\"监控\"可查。第二行\n换行后的内容".into();
    let c = s.register_complaint("li", d).unwrap();
    let zh = guardroom::export::complaint_form(&c, None, guardroom::i18n::Lang::Zh);
    assert!(zh.contains("客 户 投 诉 登 记 表"));
    assert!(zh.starts_with('\u{feff}'), "a BOM for Windows editors");
    assert!(zh.contains("[x] 扣服务费性 ¥500.00"));
    // Every line of the box has the same width in cells, Chinese included.
    let widths: Vec<usize> = zh.lines().filter(|l| l.starts_with('│')).map(guardroom::ui::text::width).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{widths:?}\n{zh}");
    let en = guardroom::export::complaint_form(&c, None, guardroom::i18n::Lang::En);
    assert!(en.contains("CLIENT COMPLAINT REGISTER FORM") && en.contains("[x] Fee deduction ¥500.00"));
    let widths: Vec<usize> = en.lines().filter(|l| l.starts_with('│')).map(guardroom::ui::text::width).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "English labels fit their column: {widths:?}\n{en}");

    let bytes = guardroom::export::complaints_csv(std::slice::from_ref(&c), guardroom::i18n::Lang::Zh, t("2026-11-23 09:00")).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a BOM so Excel and WPS read UTF-8");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(r.headers().unwrap().get(0), Some("受理编号"));
    let rec = r.records().next().unwrap().unwrap();
    assert_eq!(rec.get(0), Some(c.number.as_str()));
    assert_eq!(rec.get(7), Some(c.draft.cause.as_str()), "quotes and newlines survive");
}

#[test]
fn corrections_keep_decided_facts_and_rejudge_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path());
    let a = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let b = s.create_client("li", ClientDraft { name: "恒达".into(), ..Default::default() }).unwrap();
    // A mistyped receipt date breaches the limit (and escalates automatically)…
    let c = s.register_complaint("li", draft(a.id, "2026-11-01 09:00", Category::FeeDeduction)).unwrap();
    assert!(c.breached_at.is_some());
    assert!(c.escalations.iter().any(|e| e.automatic));
    // …and correcting it re-judges the limit.
    let fixed =
        s.edit_complaint("li", c.id, c.meta.version, ComplaintDraft { received_at: t("2026-11-23 08:00"), ..c.draft.clone() }).unwrap();
    assert_eq!(fixed.breached_at, None);
    let c = s.complaint_step("li", c.id, fixed.meta.version, Step::Inform { how: "电话".into() }).unwrap();
    // Handling has begun: the client is fixed.
    match s.edit_complaint("li", c.id, c.meta.version, ComplaintDraft { client_id: b.id, ..c.draft.clone() }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::FixedAfterRegistration),
        other => panic!("{other:?}"),
    }
    let c = s.complaint_step("zhao", c.id, c.meta.version, investigate()).unwrap();
    let c = s.complaint_step("zhang", c.id, c.meta.version, Step::Approve { amount: Fen(50_000) }).unwrap();
    let c = s.complaint_step("li", c.id, c.meta.version, Step::Resolve { text: "扣 500".into(), amount: Fen(50_000) }).unwrap();
    // Resolved: the amount that was approved and deducted stays.
    match s.edit_complaint("li", c.id, c.meta.version, ComplaintDraft { amount: Fen(80_000), ..c.draft.clone() }) {
        Err(ServiceError::Invalid(e)) => assert_eq!(e[0].reason, Invalid::FixedAfterResolution),
        other => panic!("{other:?}"),
    }
    assert!(s.complaint_file(c.id).unwrap().complaint.approval.is_some());
}

#[test]
fn the_header_counts_follow_the_clock_and_every_change() {
    use guardroom::service::ManualClock;
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let clock = ManualClock::new(start);
    let s = Service::new(Store::open(dir.path()).unwrap(), Box::new(Arc::clone(&clock)));
    let c = s.create_client("li", ClientDraft { name: "华贸".into(), ..Default::default() }).unwrap();
    let counts = |s: &Service| s.list_complaints(&ComplaintQuery::default()).unwrap().counts;
    s.register_complaint("li", draft(c.id, "2026-11-23 08:00", Category::General)).unwrap();
    let first = counts(&s);
    assert_eq!((first.open, first.overdue), (1, 0));
    assert_eq!(counts(&s), first, "asked again, the same");
    // Past its three days, with no change in between, it counts as overdue.
    clock.set(start + chrono::Duration::days(10));
    assert_eq!((counts(&s).open, counts(&s).overdue), (1, 1));
    s.register_complaint("li", draft(c.id, "2026-12-03 08:00", Category::FeeDeduction)).unwrap();
    let now = counts(&s);
    assert_eq!((now.open, now.overdue, now.awaiting_approval), (2, 1, 1), "a new complaint counts at once");
}
