//! The roster part of the large generated set: staff, posts and about a
//! year of shift assignments with attendance.
//!
//! Assignments are written straight to the store, not through the roster
//! rules one by one (a million rule checks would take the generator
//! minutes): each guard is bound to one place on one shift and stands it
//! every other day, so by construction nobody overlaps and every rest is
//! at least a day.

use super::{Result, Service};
use crate::domain::{
    parse_shifts, Attendance, Brigade, Credential, Duty, Meta, PostDay, PostDraft, RestDays, ShiftDay, StaffDraft, StaffRole, StaffStatus,
};
use chrono::{Days, Duration, NaiveDate, Utc};

const SURNAMES: [&str; 20] =
    ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
const GIVEN: [&str; 24] = [
    "建国", "伟", "敏", "磊", "洋", "强", "军", "杰", "涛", "明", "斌", "勇", "刚", "鹏", "浩", "亮", "峰", "超", "辉", "林", "波", "飞",
    "华", "平",
];
const SITES: [&str; 8] = ["大门岗", "大堂岗", "地库岗", "巡逻岗", "监控室", "后门岗", "车辆登记岗", "营业厅岗"];
const PATTERNS: [&str; 4] = [
    "白班 08:00-20:00 2\n夜班 20:00-08:00 2",
    "早班 07:00-15:00 2\n中班 15:00-23:00 2\n夜班 23:00-07:00 1",
    "白班 08:00-20:00 3\n夜班 20:00-08:00 2",
    "日班 08:30-17:30 2\n夜班 17:30-08:30 2",
];

pub struct RosterSizes {
    pub staff: usize,
    pub posts: usize,
    /// Days of rosters, ending this many days after today.
    pub days: u64,
    pub days_ahead: u64,
}

/// 2,700 places a day for 371 days: 1,001,700 assignments (at least the million the benchmarks promise).
pub const LARGE_ROSTERS: RosterSizes = RosterSizes { staff: 5_000, posts: 600, days: 371, days_ahead: 28 };

/// Write staff, posts and rosters; returns the assignments written.
pub fn generate_rosters(
    service: &Service,
    actor: &str,
    today: NaiveDate,
    sizes: &RosterSizes,
    mut progress: impl FnMut(usize),
) -> Result<usize> {
    let mut rng = fastrand::Rng::with_seed(400_000_001);
    let at = Utc::now();
    let mut staff_ids = Vec::with_capacity(sizes.staff);
    for chunk in (0..sizes.staff).collect::<Vec<_>>().chunks(500) {
        let drafts: Vec<StaffDraft> = chunk
            .iter()
            .map(|&i| StaffDraft {
                name: format!(
                    "{}{}{}",
                    SURNAMES[i % 20],
                    GIVEN[(i / 20) % 24],
                    if i >= 480 { (i / 480).to_string() } else { String::new() }
                ),
                brigade: Brigade::Guard,
                role: if i % 50 == 0 { StaffRole::Captain } else { StaffRole::Guard },
                phone: format!("139{:08}", i),
                hire_date: today.checked_sub_days(Days::new(400 + rng.u64(..2000))),
                licence: Credential {
                    number: format!("沪保字{:010}", 3_101_000_000u64 + i as u64),
                    expires: today.checked_add_days(Days::new(20 + rng.u64(..1500))),
                },
                // One in 25 also drives (the vehicles' trips use them).
                permit: if i % 25 == 7 {
                    Credential { number: format!("准驾{:05}", i), expires: today.checked_add_days(Days::new(400)) }
                } else {
                    Credential::default()
                },
                dorm_room: format!("{}号楼 {}", 1 + i % 12, 101 + (i / 12) % 400),
                status: StaffStatus::Active,
                rest_days: RestDays::default(),
                notes: String::new(),
            })
            .collect();
        let made = service.store().write(|tx| {
            let mut ids = Vec::new();
            for d in &drafts {
                ids.push(tx.insert_staff(actor, at, d.clone())?.id);
            }
            Ok(ids)
        })?;
        staff_ids.extend(made);
    }
    let mut clients = service.store().first::<crate::domain::Client>(sizes.posts)?;
    clients.sort_by_key(|c| c.id);
    let drafts: Vec<PostDraft> = (0..sizes.posts)
        .map(|i| PostDraft {
            client_id: clients.get(i % clients.len().max(1)).map_or(0, |c| c.id),
            site: SITES[i % SITES.len()].to_string(),
            address: clients.get(i % clients.len().max(1)).map(|c| c.draft.address.clone()).unwrap_or_default(),
            brigade: Brigade::Guard,
            shifts: parse_shifts(PATTERNS[i % PATTERNS.len()], &[]).unwrap_or_default(),
            orders: "1. 外来人员、车辆一律登记。\n2. 每两小时巡逻一次。\n3. 交接班清点装备并签字。".into(),
            operators: vec![],
        })
        .collect();
    if clients.is_empty() {
        return Ok(0);
    }
    let posts = service.store().write(|tx| {
        let mut posts = Vec::with_capacity(drafts.len());
        for d in &drafts {
            posts.push(tx.insert_post(actor, at, d.clone())?);
        }
        Ok(posts)
    })?;
    // Every place on every shift, and the one or two guards who take turns in it.
    let mut places: Vec<(usize, u16)> = Vec::new();
    for (p, post) in posts.iter().enumerate() {
        for s in &post.draft.shifts {
            for _ in 0..s.headcount {
                places.push((p, s.key));
            }
        }
    }
    // As many places as possible get a pair; the rest one guard each; nobody
    // is in two places.
    let pairs = staff_ids.len().saturating_sub(places.len()).min(places.len());
    let turns: Vec<Vec<u64>> = (0..places.len())
        .map(|k| {
            if k < pairs {
                vec![staff_ids[2 * k], staff_ids[2 * k + 1]]
            } else {
                staff_ids.get(2 * pairs + (k - pairs)).copied().into_iter().collect()
            }
        })
        .collect();
    let first = today - Days::new(sizes.days - sizes.days_ahead - 1);
    // Attendance is recorded for shifts over by 09:00 today.
    let now = today.and_hms_opt(9, 0, 0).unwrap_or_default();
    let mut written = 0;
    // Several days a transaction: each day touches every guard's index
    // region, and fewer, larger writes leave far less for sled to collect.
    let mut pending: Vec<PostDay> = Vec::new();
    for day in 0..sizes.days {
        let date = first + Days::new(day);
        let mut days: Vec<PostDay> = posts.iter().map(|p| PostDay::new(p.id, date)).collect();
        for (k, &(p, key)) in places.iter().enumerate() {
            let team = &turns[k];
            if team.is_empty() {
                continue;
            }
            let guard = team[(day as usize) % team.len()];
            let spec = posts[p].shift(key).cloned();
            let mut duty = Duty::scheduled(guard);
            if let Some(spec) = spec {
                let (start, end) = spec.window(date);
                if end <= now {
                    let roll = rng.u32(..100);
                    if roll < 2 {
                        duty.status = Attendance::Absent;
                    } else {
                        let late = roll < 8;
                        let check_in =
                            if late { start + Duration::minutes(rng.i64(11..50)) } else { start - Duration::minutes(rng.i64(0..15)) };
                        duty.check_in = Some(check_in);
                        duty.check_out = Some(end + Duration::minutes(rng.i64(0..10)));
                        duty.status = if late { Attendance::Late } else { Attendance::OnDuty };
                        duty.late_minutes = if late { (check_in - start).num_minutes() as u16 } else { 0 };
                    }
                }
            }
            let pd = &mut days[p];
            match pd.shifts.iter_mut().find(|s| s.key == key) {
                Some(sd) => sd.duties.push(duty),
                None => pd.shifts.push(ShiftDay { key, duties: vec![duty], handover: String::new(), handover_by: String::new() }),
            }
        }
        written += days.iter().map(PostDay::assignment_count).sum::<usize>();
        pending.extend(days);
        if day % 14 == 13 || day + 1 == sizes.days {
            service.store().write(|tx| {
                for pd in &pending {
                    let mut pd = pd.clone();
                    pd.meta = Meta::new(actor, at);
                    tx.insert(actor, at, pd)?;
                }
                Ok(())
            })?;
            pending.clear();
            progress(written);
        }
    }
    service.forget_roster_refs();
    Ok(written)
}
