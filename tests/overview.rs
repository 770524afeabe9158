//! The Overview's counts against the demo set on a fixed day: each count is
//! the size of the list its line opens, doing the work moves it, each role
//! gets only its lines, and the monthly report reads the same in both
//! languages.

use chrono::{TimeZone, Utc};
use guardroom::domain::{Role, VisitMethod};
use guardroom::i18n::Lang;
use guardroom::service::guard::Guarded;
use guardroom::service::logistics::{LogisticsData, LogisticsQuery};
use guardroom::service::overview::{self as ov, Item, Overview};
use guardroom::service::{Api, ClientFocus, ClientQuery, ComplaintFocus, ComplaintQuery, ManualClock, Service, Step};
use guardroom::store::Store;
use std::sync::Arc;

fn demo(dir: &std::path::Path) -> (Arc<Service>, Arc<ManualClock>) {
    // 10:00 on a Monday: yesterday's round is over, the day's work ahead.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
    let svc = Service::new(Store::open(dir).unwrap(), Box::new(Arc::clone(&clock)));
    svc.load_demo("tester").unwrap();
    (svc, clock)
}

fn count(o: &Overview, item: Item) -> usize {
    o.count(item).unwrap_or_else(|| panic!("{item:?} not counted: {o:?}"))
}

fn complaints(api: &dyn Api, focus: ComplaintFocus) -> usize {
    api.list_complaints(&ComplaintQuery { focus: Some(focus), limit: 1000, ..Default::default() }).unwrap().total
}

fn clients(api: &dyn Api, focus: ClientFocus) -> usize {
    api.list_clients(&ClientQuery { focus: Some(focus), limit: 1000, ..Default::default() }).unwrap().total
}

#[test]
fn every_count_is_the_list_its_line_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = demo(dir.path());
    let o = svc.overview(true).unwrap();
    assert!(!o.counting);
    assert_eq!(o.lines.len(), Item::ALL.len(), "the embedded admin sees every line");
    let api: &dyn Api = svc.as_ref();
    assert_eq!(count(&o, Item::ComplaintsOverdue), complaints(api, ComplaintFocus::Overdue));
    assert_eq!(count(&o, Item::ComplaintsDueToday), complaints(api, ComplaintFocus::DueToday));
    assert_eq!(count(&o, Item::AwaitingApproval), complaints(api, ComplaintFocus::AwaitingApproval));
    assert_eq!(count(&o, Item::AwaitingFollowUp), complaints(api, ComplaintFocus::AwaitingFollowUp));
    assert_eq!(count(&o, Item::KeyVisitsOverdue), clients(api, ClientFocus::KeyVisitOverdue));
    assert_eq!(count(&o, Item::KeyVisitsDueThisWeek), clients(api, ClientFocus::KeyVisitDueThisWeek));
    // Promises count one by one; the list shows their clients.
    let promised = clients(api, ClientFocus::PromiseOverdue);
    assert!(promised > 0 && promised <= count(&o, Item::PromisesOverdue));
    // The overdue list and the due-today list never share a complaint.
    let now = api.local_now();
    let all = api.list_complaints(&ComplaintQuery { limit: 1000, ..Default::default() }).unwrap();
    assert!(all
        .rows
        .iter()
        .all(|c| !(ov::due_today(&guardroom::service::ComplaintRow::of(c), now) && c.urgency(now) == guardroom::domain::Urgency::Overdue)));

    // Last night's round, as the dorm shows that night.
    let night = ov::last_night(now);
    let LogisticsData::Night(n) = api.logistics(&LogisticsQuery::Night { night }).unwrap() else { panic!() };
    assert_eq!((count(&o, Item::CurfewAbsences), count(&o, Item::RoomsNotInspected)), (n.absent.len(), n.pending));
    // Vehicles and people, by the same rules their tabs mark.
    let today = api.today();
    let LogisticsData::Vehicles(vs) = api.logistics(&LogisticsQuery::Vehicles).unwrap() else { panic!() };
    assert_eq!(count(&o, Item::InsuranceDue), vs.iter().filter(|v| ov::insurance_due(&v.vehicle, today)).count());
    assert_eq!(count(&o, Item::AnnualInspectionDue), vs.iter().filter(|v| ov::annual_inspection_due(&v.vehicle, today)).count());
    let LogisticsData::Month(month) = api.logistics(&LogisticsQuery::Month { month: today }).unwrap() else { panic!() };
    assert_eq!(count(&o, Item::VehicleChecksDue), month.iter().filter(|m| m.check.is_none()).count());
    let staff = guardroom::service::duty::staff(api).unwrap();
    assert_eq!(count(&o, Item::LicencesExpiring), staff.iter().filter(|s| ov::licence_due(s, today)).count());
    assert_eq!(count(&o, Item::PermitsExpiring), staff.iter().filter(|s| ov::permit_due(s, today)).count());
    let week = guardroom::service::duty::week(api, today).unwrap();
    assert_eq!(count(&o, Item::UncoveredShifts), week.gaps_next_7);

    // The demo has work in every pile that matters, so none of the above
    // compared zero with zero.
    for item in [
        Item::ComplaintsOverdue,
        Item::AwaitingApproval,
        Item::AwaitingFollowUp,
        Item::KeyVisitsOverdue,
        Item::PromisesOverdue,
        Item::UncoveredShifts,
        Item::InsuranceDue,
        Item::VehicleChecksDue,
        Item::LicencesExpiring,
    ] {
        assert!(count(&o, item) > 0, "{item:?} is empty in the demo");
    }
    // Twelve weeks of complaints, this one last; the rates count something.
    let weeks = o.complaints_per_week.as_ref().unwrap();
    assert_eq!(weeks.len(), ov::CHART_WEEKS);
    assert_eq!(weeks.last().unwrap().0, ov::monday_of(today));
    assert!(weeks.iter().map(|w| w.1).sum::<usize>() > 0);
    let attendance = o.attendance.unwrap();
    assert!(attendance.of > 0 && attendance.done <= attendance.of);
    let follow = o.follow_up.unwrap();
    assert!(follow.of > 0 && follow.done <= follow.of);
}

#[test]
fn doing_the_work_moves_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = demo(dir.path());
    let api: &dyn Api = svc.as_ref();
    let before = api.overview(true).unwrap();

    // A resolved complaint followed up leaves the follow-up pile.
    let page = api.list_complaints(&ComplaintQuery { focus: Some(ComplaintFocus::AwaitingFollowUp), ..Default::default() }).unwrap();
    let c = &page.rows[0];
    let step = Step::FollowUp { method: VisitMethod::Phone, met: "王经理".into(), opinions: "满意".into() };
    api.complaint_step("tester", c.id, c.meta.version, step).unwrap();

    // A promise past its day, marked done, leaves the promise pile.
    let client = api.list_clients(&ClientQuery { focus: Some(ClientFocus::PromiseOverdue), ..Default::default() }).unwrap().rows[0].id;
    let today = api.today();
    let file = api.client_file(client).unwrap();
    let (visit, index) = file
        .visits
        .iter()
        .find_map(|v| v.draft.promises.iter().position(|p| p.overdue(today)).map(|i| (v, i)))
        .expect("an overdue promise in the file");
    api.set_promise_done("tester", visit.id, visit.meta.version, index, true).unwrap();

    let after = api.overview(true).unwrap();
    assert_eq!(count(&after, Item::AwaitingFollowUp), count(&before, Item::AwaitingFollowUp) - 1);
    assert_eq!(count(&after, Item::PromisesOverdue), count(&before, Item::PromisesOverdue) - 1);
    // Received within the chart's weeks, it counts as followed up there too.
    let first_week = after.complaints_per_week.as_ref().unwrap()[0].0;
    let in_chart = usize::from(c.draft.received_at.date() >= first_week);
    assert_eq!(after.follow_up.unwrap().done, before.follow_up.unwrap().done + in_chart);
}

#[test]
fn each_role_gets_only_the_lines_it_acts_on() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = demo(dir.path());
    svc.bootstrap_admin("tester").unwrap();
    for (account, role) in [("zhou", Role::CustomerService), ("huang", Role::Captain), ("gate", Role::PostOperator), ("lin", Role::Legal)] {
        svc.set_operator("tester", account, role, true).unwrap();
    }
    let lines = |account: &str| -> Overview { Guarded::new(Arc::clone(&svc), account).unwrap().overview(true).unwrap() };
    let items = |o: &Overview| o.lines.iter().map(|l| l.item).collect::<Vec<_>>();

    let cs = lines("zhou");
    assert_eq!(
        items(&cs),
        [
            Item::ComplaintsOverdue,
            Item::ComplaintsDueToday,
            Item::AwaitingFollowUp,
            Item::KeyVisitsOverdue,
            Item::KeyVisitsDueThisWeek,
            Item::PromisesOverdue
        ],
        "customer service: complaints (no approvals) and clients"
    );
    assert!(cs.complaints_per_week.is_some() && cs.attendance.is_none());

    let captain = lines("huang");
    assert!(items(&captain)
        .iter()
        .all(|i| matches!(i.section(), ov::Section::Rosters | ov::Section::Dorm | ov::Section::Vehicles | ov::Section::Staff)));
    assert_eq!(items(&captain).len(), 8);
    assert!(captain.attendance.is_some());

    let post = lines("gate");
    assert!(post.lines.is_empty() && post.complaints_per_week.is_none() && post.attendance.is_none());
    // Legal reads complaints but acts on none of these piles: the chart only.
    let legal = lines("lin");
    assert!(legal.lines.is_empty() && legal.complaints_per_week.is_some());
}

#[test]
fn the_first_frame_does_not_wait_for_the_whole_lists() {
    let dir = tempfile::tempdir().unwrap();
    {
        demo(dir.path());
    }
    // Opened afresh: nothing read into memory yet.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
    let svc = Service::new(Store::open(dir.path()).unwrap(), Box::new(clock));
    let first = svc.overview(false).unwrap();
    assert!(first.counting);
    assert_eq!(first.count(Item::ComplaintsOverdue), None);
    assert_eq!(first.count(Item::KeyVisitsOverdue), None);
    assert_eq!(first.count(Item::UncoveredShifts), None);
    assert!(first.count(Item::VehicleChecksDue).is_some(), "the few vehicles are counted at once");
    svc.preload().unwrap();
    let loaded = svc.overview(false).unwrap();
    assert!(!loaded.counting);
    assert_eq!(loaded, svc.overview(true).unwrap());
}

#[test]
fn the_monthly_report_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = demo(dir.path());
    let month = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let report = svc.month_report(month).unwrap();
    let c = report.complaints.as_ref().unwrap();
    assert_eq!(c.total, c.by_category.iter().map(|x| x.1).sum::<usize>());
    let zh = guardroom::report::text(&report, Lang::Zh);
    let en = guardroom::report::text(&report, Lang::En);
    insta::assert_snapshot!("month_report_zh", zh);
    insta::assert_snapshot!("month_report_en", en);
    // CJK columns line up: every row of a table ends its columns at the same display width.
    let table: Vec<&str> = zh.lines().skip_while(|l| !l.contains("名次")).take_while(|l| !l.is_empty()).collect();
    assert!(table.len() > 2);
    let ends = |l: &str| guardroom::cells::width(l);
    assert!(table.iter().skip(1).all(|l| ends(l) == ends(table[1])), "{table:#?}");
    let csv = guardroom::report::csv(&report, Lang::En).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "Excel needs the BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains(&format!("1. Complaints,Received,{}", c.total)), "{text}");
}

#[test]
fn last_nights_counts_are_the_night_the_dorm_shows_with_an_absence_and_a_room_left_unchecked() {
    use guardroom::domain::dorm::{Curfew, RoomDraft};
    use guardroom::service::logistics::LogisticsCommand;
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = demo(dir.path());
    let api: &dyn Api = svc.as_ref();
    let night = ov::last_night(api.local_now());
    let shown = || {
        let LogisticsData::Night(n) = api.logistics(&LogisticsQuery::Night { night }).unwrap() else { panic!() };
        n
    };
    // One checked room gets its first occupant out; one room more, with
    // someone who had no bed, is left unchecked.
    let n = shown();
    let checked = n.rows.iter().find_map(|r| r.inspection.clone().filter(|i| !i.draft.curfew.is_empty())).expect("a checked room");
    let mut draft = checked.draft.clone();
    draft.curfew[0].status = Curfew::Absent;
    draft.curfew[0].reason = "未请假".into();
    svc.logistics_do("tester", LogisticsCommand::CorrectInspection { id: checked.id, version: checked.meta.version, draft }).unwrap();
    let housed: Vec<u64> = n.rows.iter().flat_map(|r| r.room.room.draft.occupants.clone()).collect();
    let homeless = guardroom::service::duty::staff(api)
        .unwrap()
        .into_iter()
        .find(|s| s.draft.status == guardroom::domain::StaffStatus::Active && !housed.contains(&s.id))
        .expect("someone without a bed");
    let draft =
        RoomDraft { building: "9号楼".into(), room: "901".into(), capacity: 2, occupants: vec![homeless.id], ..Default::default() };
    svc.logistics_do("tester", LogisticsCommand::SaveRoom { id: None, version: 0, draft }).unwrap();
    let n = shown();
    let o = svc.overview(true).unwrap();
    assert!(!n.absent.is_empty() && n.pending > 0, "the night has an absence and a room left: {} {}", n.absent.len(), n.pending);
    assert_eq!((count(&o, Item::CurfewAbsences), count(&o, Item::RoomsNotInspected)), (n.absent.len(), n.pending));
}
