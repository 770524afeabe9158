//! Staff, posts and rosters through the service API: the rules every change
//! is checked against, attendance, copy-week, audits, swaps and summaries.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use guardroom::domain::{
    Attendance, Brigade, ClientDraft, Credential, DutyRefused, Ineligible, Invalid, PostDraft, RestDays, ShiftSpec, StaffDraft, StaffStatus,
};
use guardroom::service::duty::{self, DutyCommand as C, DutyData};
use guardroom::service::{Api, ManualClock, Service, ServiceError};
use guardroom::store::Store;
use std::sync::Arc;

/// Monday 23 November 2026, 09:00.
fn service(dir: &std::path::Path) -> Arc<Service> {
    service_and_clock(dir).0
}

/// The service and a handle on its clock, for attendance taken as it happens.
fn service_and_clock(dir: &std::path::Path) -> (Arc<Service>, Arc<ManualClock>) {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    (Service::new(Store::open(dir).unwrap(), Box::new(clock.clone())), clock)
}

/// Move the clock to a local wall-clock time (the clock reads UTC as local).
fn set(clock: &ManualClock, t: &str) {
    clock.set(Utc.from_utc_datetime(&at(t)));
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn hm(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

fn guard(svc: &Service, name: &str) -> u64 {
    let draft = StaffDraft {
        name: name.into(),
        licence: Credential { number: format!("沪保{name}"), expires: Some(d("2027-06-30")) },
        ..Default::default()
    };
    match svc.duty_do("cap", C::SaveStaff { id: None, version: 0, draft }).unwrap() {
        DutyData::OneStaff(s) => s.id,
        other => panic!("{other:?}"),
    }
}

/// A post with a day shift 08–20 × 2 and a night shift 20–08 × 1.
fn post(svc: &Service, site: &str) -> u64 {
    let client = svc.create_client("cap", ClientDraft { name: format!("{site}物业"), ..Default::default() }).unwrap();
    let shifts = vec![
        ShiftSpec { key: 1, name: "白班".into(), start: hm(8), end: hm(20), headcount: 2 },
        ShiftSpec { key: 2, name: "夜班".into(), start: hm(20), end: hm(8), headcount: 1 },
    ];
    let draft = PostDraft { client_id: client.id, site: site.into(), shifts, ..Default::default() };
    match svc.duty_do("cap", C::SavePost { id: None, version: 0, draft }).unwrap() {
        DutyData::OnePost(p) => p.id,
        other => panic!("{other:?}"),
    }
}

fn assign(svc: &Service, post_id: u64, date: &str, shift_key: u16, staff_id: u64) -> Result<DutyData, ServiceError> {
    svc.duty_do("cap", C::Assign { post_id, date: d(date), shift_key, staff_id })
}

fn refusal(r: Result<DutyData, ServiceError>) -> DutyRefused {
    match r {
        Err(ServiceError::Duty(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn overlapping_and_short_rest_assignments_are_refused_naming_the_other_shift() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let lobby = post(&svc, "大堂岗");
    let wang = guard(&svc, "王伟");
    // Night shift at the gate on the last day of the month, 20:00 → 08:00 on 1 Dec.
    assign(&svc, gate, "2026-11-30", 2, wang).unwrap();
    match refusal(assign(&svc, lobby, "2026-11-30", 2, wang)) {
        DutyRefused::Overlap { guard, other } => {
            assert_eq!(guard, "RY-0001 王伟");
            assert_eq!((other.post.as_str(), other.shift.as_str(), other.date), ("GW-001 大门岗", "夜班", d("2026-11-30")));
        }
        other => panic!("{other:?}"),
    }
    // The day shift of 1 Dec starts as the night shift ends: no rest.
    match refusal(assign(&svc, lobby, "2026-12-01", 1, wang)) {
        DutyRefused::Rest { hours, gap_minutes, .. } => assert_eq!((hours, gap_minutes), (8, 0)),
        other => panic!("{other:?}"),
    }
    // Nothing was written by the refusals.
    let week = duty::week(&*svc, d("2026-11-30")).unwrap();
    assert_eq!(week.assignments, 1);
    assert_eq!(refusal(assign(&svc, gate, "2026-11-30", 2, wang)), DutyRefused::AlreadyOnShift { guard: "RY-0001 王伟".into() });
}

#[test]
fn ineligible_people_are_refused_and_left_out_of_the_pick_list() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let ok = guard(&svc, "李强");
    let expired = guard(&svc, "赵磊");
    let resting = guard(&svc, "周敏");
    let cp = guard(&svc, "孙倩");
    let edit = |id: u64, f: &dyn Fn(&mut StaffDraft)| {
        let s = duty::staff(&*svc).unwrap().into_iter().find(|s| s.id == id).unwrap();
        let mut draft = s.draft.clone();
        f(&mut draft);
        svc.duty_do("cap", C::SaveStaff { id: Some(id), version: s.meta.version, draft }).unwrap();
    };
    edit(expired, &|s| s.licence.expires = Some(d("2026-11-24")));
    edit(resting, &|s| s.rest_days = RestDays::parse("3").unwrap());
    edit(cp, &|s| s.brigade = Brigade::CloseProtection);
    let wed = "2026-11-25";
    assert_eq!(
        refusal(assign(&svc, gate, wed, 1, expired)),
        DutyRefused::Ineligible { guard: "RY-0002 赵磊".into(), why: Ineligible::LicenceExpired(d("2026-11-24")) }
    );
    assert!(matches!(refusal(assign(&svc, gate, wed, 1, resting)), DutyRefused::Ineligible { why: Ineligible::RestDay(_), .. }));
    assert!(matches!(refusal(assign(&svc, gate, wed, 1, cp)), DutyRefused::Ineligible { why: Ineligible::Brigade(_), .. }));
    let list = duty::eligible(&*svc, gate, d(wed), 1).unwrap();
    assert_eq!(list.eligible.iter().map(|c| c.staff_id).collect::<Vec<_>>(), [ok]);
    assign(&svc, gate, wed, 1, ok).unwrap();
    let list = duty::eligible(&*svc, gate, d(wed), 1).unwrap();
    assert!(list.eligible.is_empty(), "on the shift now, and nobody else may stand it");
    assert_eq!(list.assigned.iter().map(|c| c.staff_id).collect::<Vec<_>>(), [ok]);
    // The night shift the same day is too close to the day shift for 李强.
    assert!(duty::eligible(&*svc, gate, d(wed), 2).unwrap().eligible.is_empty());
    // A licence that runs out after the rostering leaves the place uncovered
    // from the day after its last.
    let gaps = duty::week(&*svc, d(wed)).unwrap().gaps_next_7;
    assign(&svc, gate, "2026-11-27", 1, ok).unwrap();
    assert_eq!(duty::week(&*svc, d(wed)).unwrap().gaps_next_7, gaps - 1);
    edit(ok, &|s| s.licence.expires = Some(d("2026-11-26")));
    let week = duty::week(&*svc, d(wed)).unwrap();
    assert_eq!((week.gaps_next_7, week.licence_until.get(&ok)), (gaps, Some(&d("2026-11-26"))));
    edit(ok, &|s| s.licence.expires = None);
    svc.duty_do("cap", C::Unassign { post_id: gate, date: d("2026-11-27"), shift_key: 1, staff_id: ok }).unwrap();
    let gaps = duty::week(&*svc, d(wed)).unwrap().gaps_next_7;
    edit(ok, &|s| s.status = StaffStatus::OnLeave);
    let week = duty::week(&*svc, d(wed)).unwrap();
    assert_eq!(week.gaps_next_7, gaps + 1, "a place held by someone on leave is a gap");
    assert!(week.unavailable.contains(&ok));
    assert_eq!(duty::future_shifts_of(&*svc, ok).unwrap(), 1);
    assert!(matches!(refusal(assign(&svc, gate, "2026-11-26", 1, ok)), DutyRefused::Ineligible { why: Ineligible::OnLeave, .. }));
    // Outside the roster's range.
    assert!(matches!(refusal(assign(&svc, gate, "2027-06-01", 1, ok)), DutyRefused::OutOfRange { .. }));
}

#[test]
fn bad_posts_are_refused_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let bad =
        PostDraft { client_id: 0, site: " ".into(), brigade: Brigade::Office, operators: vec!["nobody".into()], ..Default::default() };
    match svc.duty_do("cap", C::SavePost { id: None, version: 0, draft: bad }) {
        Err(ServiceError::Invalid(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["client", "site", "brigade", "shifts", "operators"]);
            assert_eq!(errors[3].reason, Invalid::Required);
            assert_eq!(errors[4].reason, Invalid::UnknownAccount("nobody".into()), "a post operator must be able to log in");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn copy_week_fills_empty_cells_and_reports_what_it_could_not_copy() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    let b = guard(&svc, "李强");
    let c = guard(&svc, "陈军");
    for day in ["2026-11-23", "2026-11-24", "2026-11-25"] {
        assign(&svc, gate, day, 1, a).unwrap();
        assign(&svc, gate, day, 2, b).unwrap();
    }
    // Next week: Tuesday's day shift is already planned; 李强 goes on leave.
    assign(&svc, gate, "2026-12-01", 1, c).unwrap();
    let s = duty::staff(&*svc).unwrap().into_iter().find(|s| s.id == b).unwrap();
    let draft = StaffDraft { status: StaffStatus::OnLeave, ..s.draft.clone() };
    svc.duty_do("cap", C::SaveStaff { id: Some(b), version: s.meta.version, draft }).unwrap();
    let report = match svc.duty_do("cap", C::CopyWeek { monday: d("2026-11-30") }).unwrap() {
        DutyData::Copied(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.copied, 2, "王伟's Monday and Wednesday day shifts");
    assert_eq!(report.kept, 1, "Tuesday's day shift was already filled");
    assert_eq!(report.not_copied.len(), 3, "李强's three nights");
    assert!(report.not_copied.iter().all(|n| matches!(n.why, DutyRefused::Ineligible { why: Ineligible::OnLeave, .. })));
    let week = duty::week(&*svc, d("2026-12-02")).unwrap();
    assert_eq!(week.monday, d("2026-11-30"));
    let day_row = week.rows.iter().find(|r| r.shift.key == 1).unwrap();
    assert_eq!(day_row.days[0], [a]);
    assert_eq!(day_row.days[1], [c]);
    assert_eq!(day_row.days[2], [a]);
    assert!(day_row.days[3].is_empty());
}

#[test]
fn check_in_late_check_out_handover_and_patrol() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, clock) = service_and_clock(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    let b = guard(&svc, "李强");
    assign(&svc, gate, "2026-11-23", 1, a).unwrap();
    assign(&svc, gate, "2026-11-23", 1, b).unwrap();
    // The post screen sends no time: the service's clock stamps it.
    let check_in = |staff_id, t: Option<&str>| {
        svc.duty_do("post1", C::CheckIn { post_id: gate, date: d("2026-11-23"), shift_key: 1, staff_id, at: t.map(at) })
    };
    set(&clock, "2026-11-23 08:05");
    check_in(a, None).unwrap();
    set(&clock, "2026-11-23 08:23");
    check_in(b, None).unwrap();
    assert_eq!(refusal(check_in(b, Some("2026-11-23 09:30"))), DutyRefused::FutureTime, "08:23 now");
    set(&clock, "2026-11-23 09:00");
    // A time long past is a correction, not a check-in.
    assert_eq!(refusal(check_in(b, Some("2026-11-23 08:00"))), DutyRefused::NotNow { now: at("2026-11-23 09:00") });
    let out = |staff_id, t: &str| {
        svc.duty_do("post1", C::CheckOut { post_id: gate, date: d("2026-11-23"), shift_key: 1, staff_id, at: Some(at(t)) })
    };
    set(&clock, "2026-11-23 08:10");
    assert_eq!(refusal(out(a, "2026-11-23 08:00")), DutyRefused::CheckOutBeforeCheckIn);
    set(&clock, "2026-11-23 08:50");
    out(a, "2026-11-23 08:50").unwrap();
    set(&clock, "2026-11-23 09:00");
    svc.duty_do(
        "post1",
        C::Handover { post_id: gate, date: d("2026-11-23"), shift_key: 1, text: "东侧围栏破损，已报物业。".into(), was: None },
    )
    .unwrap();
    svc.duty_do(
        "post1",
        C::Patrol {
            post_id: gate,
            date: d("2026-11-23"),
            time: NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
            checkpoints: "东门、地库".into(),
            remarks: "正常".into(),
        },
    )
    .unwrap();
    let screen = duty::post_screen(&*svc, gate, at("2026-11-23 09:00")).unwrap();
    let now = &screen.slots[screen.current.unwrap()];
    assert_eq!((now.date, now.shift.key), (d("2026-11-23"), 1));
    let wang = now.duties.iter().find(|x| x.staff_id == a).unwrap();
    let li = now.duties.iter().find(|x| x.staff_id == b).unwrap();
    assert_eq!((wang.status, wang.late_minutes, wang.check_out), (Attendance::OnDuty, 0, Some(at("2026-11-23 08:50"))));
    assert_eq!((li.status, li.late_minutes), (Attendance::Late, 23));
    assert_eq!(now.handover, "东侧围栏破损，已报物业。");
    assert_eq!(screen.patrols.len(), 1);
    assert_eq!(screen.patrols[0].round, 1);
    // Nobody on the night shift yet: checking someone in there is refused.
    assert!(matches!(
        refusal(svc.duty_do("post1", C::CheckIn { post_id: gate, date: d("2026-11-23"), shift_key: 2, staff_id: a, at: None })),
        DutyRefused::NotOnShift { .. }
    ));
}

#[test]
fn audit_corrects_with_a_reason_locks_the_day_and_summarises_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, clock) = service_and_clock(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    // Last Monday and Tuesday (in the past, within the roster range).
    assign(&svc, gate, "2026-11-16", 1, a).unwrap();
    assign(&svc, gate, "2026-11-17", 1, a).unwrap();
    let ci = |date: &str| svc.duty_do("cap", C::CheckIn { post_id: gate, date: d(date), shift_key: 1, staff_id: a, at: None });
    set(&clock, "2026-11-16 08:40");
    ci("2026-11-16").unwrap();
    set(&clock, "2026-11-23 09:00");
    let correct = |status, reason: &str| {
        svc.duty_do(
            "cap",
            C::Correct {
                post_id: gate,
                date: d("2026-11-17"),
                shift_key: 1,
                staff_id: a,
                status,
                times: None,
                reason: reason.into(),
                was: None,
            },
        )
    };
    assert_eq!(refusal(correct(Attendance::Absent, "  ")), DutyRefused::ReasonRequired);
    correct(Attendance::Absent, "未到岗，电话未接").unwrap();
    // Today's day shift runs until 20:00: today cannot be audited yet.
    assign(&svc, gate, "2026-11-23", 1, a).unwrap();
    assert_eq!(
        refusal(svc.duty_do("cap", C::MarkAudited { date: d("2026-11-23") })),
        DutyRefused::DayNotOver { until: at("2026-11-23 20:00") }
    );
    match svc.duty_do("cap", C::MarkAudited { date: d("2026-11-16") }).unwrap() {
        DutyData::Audited(n) => assert_eq!(n, 1),
        other => panic!("{other:?}"),
    }
    let day = duty::day(&*svc, d("2026-11-16")).unwrap();
    assert_eq!(day.audited.as_ref().map(|a| a.by.as_str()), Some("cap"));
    // An audited day takes corrections only.
    set(&clock, "2026-11-16 09:00");
    assert!(matches!(refusal(ci("2026-11-16")), DutyRefused::Audited { .. }));
    set(&clock, "2026-11-23 09:00");
    let m = duty::summary(&*svc, d("2026-11-01")).unwrap();
    let row = m.rows.iter().find(|r| r.staff_id == a).unwrap();
    assert_eq!((row.summary.days, row.summary.lates, row.summary.late_minutes, row.summary.absences), (1, 1, 40, 1));
    assert_eq!(row.summary.minutes, 11 * 60 + 20, "08:40 to the planned end at 20:00");
    let month = duty::guard_month(&*svc, a, d("2026-11-20")).unwrap();
    assert_eq!(month.shifts.len(), 3, "the 16th, the 17th and today");
    assert_eq!(month.shifts[1].duty.reason, "未到岗，电话未接");
    // The correction is in the audit trail with its reason.
    let trail = svc.store().audit_of::<guardroom::domain::PostDay>(month_postday(&svc, gate, "2026-11-17")).unwrap();
    assert!(trail.last().unwrap().changes.iter().any(|c| c.after.contains("未到岗")));
}

#[test]
fn the_monthly_summary_exports_as_csv_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, clock) = service_and_clock(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    assign(&svc, gate, "2026-11-16", 1, a).unwrap();
    set(&clock, "2026-11-16 08:25");
    svc.duty_do("cap", C::CheckIn { post_id: gate, date: d("2026-11-16"), shift_key: 1, staff_id: a, at: None }).unwrap();
    set(&clock, "2026-11-16 19:00");
    svc.duty_do("cap", C::CheckOut { post_id: gate, date: d("2026-11-16"), shift_key: 1, staff_id: a, at: None }).unwrap();
    set(&clock, "2026-11-23 09:00");
    let m = duty::summary(&*svc, d("2026-11-30")).unwrap();
    let bytes = guardroom::export::attendance_csv(&m, guardroom::i18n::Lang::Zh).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "Excel and WPS read UTF-8 with a BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "月份,编号,姓名,班次,出勤天,工时,迟到,迟到分钟,早退,缺勤,请假");
    assert_eq!(lines[1], "2026-11,RY-0001,王伟,1,1,10.58,1,25,1,0,0");
}

fn month_postday(svc: &Service, post: u64, date: &str) -> u64 {
    svc.store().postday_at(post, d(date)).unwrap().unwrap().id
}

#[test]
fn a_swap_is_requested_then_approved_and_both_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    let b = guard(&svc, "李强");
    assign(&svc, gate, "2026-11-26", 1, a).unwrap();
    assign(&svc, gate, "2026-11-28", 2, b).unwrap();
    let side = |date: &str, shift_key, staff_id| guardroom::domain::SwapSide { post_id: gate, date: d(date), shift_key, staff_id };
    let req = match svc
        .duty_do("cap", C::RequestSwap { a: side("2026-11-26", 1, a), b: side("2026-11-28", 2, b), reason: "家中有事".into() })
        .unwrap()
    {
        DutyData::Swap(s) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        refusal(svc.duty_do("cap", C::RequestSwap { a: side("2026-11-26", 1, a), b: side("2026-11-27", 1, b), reason: String::new() })),
        DutyRefused::BadSwap,
        "李强 is not on that shift"
    );
    svc.duty_do("boss", C::DecideSwap { id: req.id, approve: true }).unwrap();
    let week = duty::week(&*svc, d("2026-11-23")).unwrap();
    let row = |k: u16| week.rows.iter().find(|r| r.shift.key == k).unwrap().clone();
    assert_eq!(row(1).days[3], [b]);
    assert_eq!(row(2).days[5], [a]);
    let rows = duty::swaps(&*svc).unwrap();
    assert_eq!((rows[0].swap.status, rows[0].swap.decided_by.as_str()), (guardroom::domain::SwapStatus::Approved, "boss"));
    assert_eq!(refusal(svc.duty_do("boss", C::DecideSwap { id: req.id, approve: false })), DutyRefused::SwapDecided);
    // A shift already begun (today's day shift, 08:00; it is 09:00) cannot be swapped.
    assign(&svc, gate, "2026-11-23", 1, a).unwrap();
    assign(&svc, gate, "2026-11-27", 1, b).unwrap();
    assert_eq!(
        refusal(svc.duty_do("cap", C::RequestSwap { a: side("2026-11-23", 1, a), b: side("2026-11-27", 1, b), reason: String::new() })),
        DutyRefused::SwapStarted { date: d("2026-11-23"), shift: "白班".into() }
    );
}

#[test]
fn deleting_a_post_takes_future_assignments_and_keeps_the_past() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    assign(&svc, gate, "2026-11-20", 1, a).unwrap();
    assign(&svc, gate, "2026-11-25", 1, a).unwrap();
    assign(&svc, gate, "2026-11-27", 1, a).unwrap();
    assert_eq!(svc.post_future_assignments(gate).unwrap(), 2);
    // Removing a shift that still has assignments is refused.
    let p = duty::posts(&*svc).unwrap().remove(0).post;
    let mut draft = p.draft.clone();
    draft.shifts.retain(|s| s.key == 2);
    assert_eq!(
        refusal(svc.duty_do("cap", C::SavePost { id: Some(gate), version: p.meta.version, draft })),
        DutyRefused::ShiftInUse { shift: "白班".into(), count: 2 }
    );
    match svc.duty_do("cap", C::DeletePost { id: gate, version: p.meta.version }).unwrap() {
        DutyData::Deleted { assignments } => assert_eq!(assignments, 2),
        other => panic!("{other:?}"),
    }
    assert!(svc.store().postday_at(gate, d("2026-11-20")).unwrap().is_some(), "the past stays");
    assert!(svc.store().postday_at(gate, d("2026-11-25")).unwrap().is_none());
    // Gone from the lists and the grid, but its past shifts still count.
    assert!(duty::posts(&*svc).unwrap().is_empty());
    assert!(duty::week(&*svc, d("2026-11-16")).unwrap().rows.is_empty());
    assert_eq!(duty::guard_month(&*svc, a, d("2026-11-01")).unwrap().shifts.len(), 1);
    assert!(matches!(assign(&svc, gate, "2026-11-28", 1, a), Err(ServiceError::NotFound)), "a closed post takes no plans");
}

#[test]
fn editing_and_deleting_posts_keeps_history_rules_and_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let lobby = post(&svc, "大堂岗");
    let a = guard(&svc, "王伟");
    let b = guard(&svc, "李强");
    assign(&svc, gate, "2026-11-16", 2, a).unwrap(); // a past night at the gate
    assign(&svc, gate, "2026-11-25", 1, a).unwrap();
    // 李强: the lobby's day shift on the 25th, the gate's on the 26th (12 h apart).
    assign(&svc, lobby, "2026-11-25", 1, b).unwrap();
    assign(&svc, gate, "2026-11-26", 1, b).unwrap();
    let current = |id: u64| duty::posts(&*svc).unwrap().into_iter().find(|r| r.post.id == id).unwrap().post;

    // Stretching the lobby's day shift to 02:00 would leave 李强 six hours
    // before his gate shift: the change is refused, naming it.
    let p = current(lobby);
    let mut draft = p.draft.clone();
    draft.shifts[0].end = NaiveTime::from_hms_opt(2, 0, 0).unwrap();
    match refusal(svc.duty_do("cap", C::SavePost { id: Some(lobby), version: p.meta.version, draft })) {
        DutyRefused::Rest { guard, other, gap_minutes, .. } => {
            assert_eq!((guard.as_str(), other.post.as_str(), gap_minutes), ("RY-0002 李强", "GW-001 大门岗", 360))
        }
        other => panic!("{other:?}"),
    }

    // Removing the gate's night shift (nothing planned on it from today) keeps
    // the past night readable; a shift added later never takes its key.
    let p = current(gate);
    let mut draft = p.draft.clone();
    draft.shifts.retain(|s| s.key == 1);
    svc.duty_do("cap", C::SavePost { id: Some(gate), version: p.meta.version, draft }).unwrap();
    let p = current(gate);
    let mut draft = p.draft.clone();
    draft.shifts.push(ShiftSpec { key: 2, name: "中班".into(), start: hm(14), end: hm(22), headcount: 1 });
    svc.duty_do("cap", C::SavePost { id: Some(gate), version: p.meta.version, draft }).unwrap();
    let p = current(gate);
    assert_eq!(p.draft.shifts.iter().map(|s| s.key).collect::<Vec<_>>(), [1, 3], "key 2 belonged to the night shift");
    let month = duty::guard_month(&*svc, a, d("2026-11-01")).unwrap();
    assert_eq!(month.shifts[0].shift.name, "夜班", "the past night still reads as a night");

    // Deleting the gate takes its own plans, never the lobby's.
    assert_eq!(duty::future_assignments(&*svc, gate).unwrap(), 2);
    assert_eq!(duty::future_assignments(&*svc, lobby).unwrap(), 1, "its own, not the gate's");
    svc.duty_do("cap", C::DeletePost { id: gate, version: p.meta.version }).unwrap();
    assert!(svc.store().postday_at(lobby, d("2026-11-25")).unwrap().is_some(), "the next post's plans stay");
    // And copying a week still works with a closed post in the last one.
    assign(&svc, lobby, "2026-11-23", 1, b).unwrap();
    match svc.duty_do("cap", C::CopyWeek { monday: d("2026-11-30") }).unwrap() {
        DutyData::Copied(r) => assert_eq!((r.copied, r.not_copied.len()), (2, 0), "{r:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_audited_day_takes_no_new_plans() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    let b = guard(&svc, "李强");
    assign(&svc, gate, "2026-11-16", 1, a).unwrap();
    svc.duty_do("cap", C::MarkAudited { date: d("2026-11-16") }).unwrap();
    assert!(matches!(refusal(assign(&svc, gate, "2026-11-16", 1, b)), DutyRefused::Audited { .. }));
    assert!(matches!(
        refusal(svc.duty_do("cap", C::Unassign { post_id: gate, date: d("2026-11-16"), shift_key: 1, staff_id: a })),
        DutyRefused::Audited { .. }
    ));
}

#[test]
fn a_note_or_correction_saved_meanwhile_is_never_overwritten_unseen() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let gate = post(&svc, "大门岗");
    let a = guard(&svc, "王伟");
    assign(&svc, gate, "2026-11-23", 1, a).unwrap();
    let note = |by: &str, text: &str, was: Option<&str>| {
        svc.duty_do(by, C::Handover { post_id: gate, date: d("2026-11-23"), shift_key: 1, text: text.into(), was: was.map(String::from) })
    };
    // Both open the empty note; the second to save is told who saved first.
    note("zhou", "东门灯坏了。", Some("")).unwrap();
    assert_eq!(refusal(note("wu", "一切正常。", Some(""))), DutyRefused::Changed { by: "zhou".into() });
    let screen = duty::post_screen(&*svc, gate, at("2026-11-23 09:00")).unwrap();
    assert_eq!(screen.slots[screen.current.unwrap()].handover, "东门灯坏了。");
    // Having seen it, saving again over it is a choice.
    note("wu", "东门灯坏了。一切正常。", None).unwrap();
    // The same for a correction made from a stale view of the duty.
    let seen = guardroom::domain::Duty::scheduled(a);
    let correct = |by: &str, status, was: Option<guardroom::domain::Duty>| {
        let reason = "核对监控".to_string();
        svc.duty_do(by, C::Correct { post_id: gate, date: d("2026-11-23"), shift_key: 1, staff_id: a, status, times: None, reason, was })
    };
    correct("cap1", Attendance::Absent, Some(seen.clone())).unwrap();
    assert_eq!(refusal(correct("cap2", Attendance::OnDuty, Some(seen))), DutyRefused::Changed { by: "cap1".into() });
}
