//! The demo's people and posts (`data/staff.toml`, `data/posts.toml`) and
//! four weeks of rosters built from them by the roster rules themselves,
//! with attendance for the shifts already past: mostly on time, some late,
//! a few absent, a few cells left uncovered.

use super::duty::{monday_of, DutyCommand, DutyData};
use super::{Result, Service, ServiceError};
use crate::domain::{
    lateness, parse_shifts, Attendance, Audited, Brigade, Choice, Credential, Patrol, PostDraft, RestDays, StaffDraft, StaffRole,
    StaffStatus,
};
use chrono::{Days, Duration, NaiveDate};
use serde::Deserialize;

pub const STAFF_TOML: &str = include_str!("../../data/staff.toml");
pub const POSTS_TOML: &str = include_str!("../../data/posts.toml");

#[derive(Deserialize)]
struct StaffFile {
    staff: Vec<DemoStaff>,
}

#[derive(Deserialize)]
struct DemoStaff {
    name: String,
    brigade: String,
    role: String,
    phone: String,
    hired: i64,
    licence: String,
    licence_expires: Option<i64>,
    permit: String,
    permit_expires: Option<i64>,
    dorm: String,
    status: String,
    rest: String,
    notes: String,
}

#[derive(Deserialize)]
struct PostsFile {
    post: Vec<DemoPost>,
}

#[derive(Deserialize)]
struct DemoPost {
    client: u64,
    site: String,
    address: String,
    brigade: String,
    shifts: Vec<String>,
    orders: String,
    #[serde(default)]
    operators: Vec<String>,
}

fn bad(what: &str) -> ServiceError {
    ServiceError::Store(format!("demo data: {what}"))
}

fn choice<T: Choice>(code: &str) -> Result<T> {
    T::from_code(code).ok_or_else(|| bad(&format!("unknown value \"{code}\"")))
}

const HANDOVERS: [&str; 6] = [
    "岗位正常，对讲机、钥匙、登记簿已清点交接。",
    "东侧围栏一处松动，已报物业工程部，请继续留意。",
    "18:40 一辆外来车辆未登记欲进入，已劝离，车牌已记录在登记簿。",
    "监控 3 号画面偶有黑屏，已报修，夜间加强该区域巡查。",
    "快递架物品较多，已提醒物业前台尽快通知领取。",
    "凌晨消防通道有杂物堆放，已拍照告知物业，明早复查。",
];
const CHECKPOINTS: [&str; 5] = ["大门、停车场、东侧围墙", "地库出入口、配电房", "消防通道、楼梯间", "仓库区、后门", "大堂、电梯厅"];

/// Load the demo's staff and posts, then roster the four weeks up to the end
/// of this one. Returns (people, posts, assignments).
pub fn load(service: &Service, actor: &str, today: NaiveDate) -> Result<(usize, usize, usize)> {
    let staff: StaffFile = toml::from_str(STAFF_TOML).map_err(|e| bad(&e.to_string()))?;
    let posts: PostsFile = toml::from_str(POSTS_TOML).map_err(|e| bad(&e.to_string()))?;
    let rel = |n: i64| if n >= 0 { today + Days::new(n as u64) } else { today - Days::new(n.unsigned_abs()) };
    let mut people = 0;
    for s in &staff.staff {
        let draft = StaffDraft {
            name: s.name.clone(),
            brigade: choice::<Brigade>(&s.brigade)?,
            role: choice::<StaffRole>(&s.role)?,
            phone: s.phone.clone(),
            hire_date: Some(rel(s.hired)),
            licence: Credential { number: s.licence.clone(), expires: s.licence_expires.map(rel) },
            permit: Credential { number: s.permit.clone(), expires: s.permit_expires.map(rel) },
            dorm_room: s.dorm.clone(),
            status: choice::<StaffStatus>(&s.status)?,
            rest_days: RestDays::parse(&s.rest).map_err(|w| bad(&format!("rest day \"{w}\"")))?,
            notes: s.notes.clone(),
        };
        service.duty_command(actor, DutyCommand::SaveStaff { id: None, version: 0, draft })?;
        people += 1;
    }
    let clients = service.client_choices_in_order()?;
    let mut post_ids = Vec::new();
    for p in &posts.post {
        let client_id = *clients.get(p.client as usize - 1).ok_or_else(|| bad(&format!("no client {}", p.client)))?;
        let shifts = parse_shifts(&p.shifts.join("\n"), &[]).map_err(|e| bad(&format!("{}: {e:?}", p.site)))?;
        let draft = PostDraft {
            client_id,
            site: p.site.clone(),
            address: p.address.clone(),
            brigade: choice::<Brigade>(&p.brigade)?,
            shifts,
            orders: p.orders.trim().to_string(),
            operators: p.operators.clone(),
        };
        if let DutyData::OnePost(post) = service.duty_command(actor, DutyCommand::SavePost { id: None, version: 0, draft })? {
            post_ids.push(post.id);
        }
    }
    let first = monday_of(today) - Days::new(21);
    let last = monday_of(today) + Days::new(6);
    let assignments = service.demo_rosters(actor, first, last)?;
    Ok((people, post_ids.len(), assignments))
}

impl Service {
    /// Client ids in number order (demo posts name clients by position).
    fn client_choices_in_order(&self) -> Result<Vec<u64>> {
        let mut v = self.store.all::<crate::domain::Client>()?;
        v.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(v.into_iter().map(|c| c.id).collect())
    }

    /// Roster every day from `first` to `last` with the rules, then record
    /// attendance for what is already over. Returns the assignments made.
    fn demo_rosters(&self, actor: &str, first: NaiveDate, last: NaiveDate) -> Result<usize> {
        let mut rng = fastrand::Rng::with_seed(20261123);
        let staff = self.store.all::<crate::domain::Staff>()?;
        let mut plan = super::duty::Plan::new(self)?;
        let mut posts: Vec<crate::domain::Post> = plan.posts().cloned().collect();
        posts.sort_by(|a, b| a.number.cmp(&b.number));
        let mut made = 0;
        let mut turn = 0usize;
        let mut d = first;
        let mut slot = 0usize;
        while d <= last {
            for post in &posts {
                let pool: Vec<u64> = staff
                    .iter()
                    .filter(|s| s.draft.brigade == post.draft.brigade && s.draft.role != StaffRole::Captain)
                    .map(|s| s.id)
                    .collect();
                for spec in &post.draft.shifts {
                    for _ in 0..spec.headcount {
                        slot += 1;
                        // Every so often a place is left open: the gaps a captain must fill.
                        if slot.is_multiple_of(23) {
                            continue;
                        }
                        for k in 0..pool.len() {
                            let g = pool[(turn + k) % pool.len()];
                            if plan.assign(post.id, d, spec.key, g)?.is_ok() {
                                turn = (turn + k + 1) % pool.len().max(1);
                                made += 1;
                                break;
                            }
                        }
                    }
                }
            }
            d += Duration::days(1);
        }
        let now = self.clock.local_now();
        let grace = self.duty_rules.grace_minutes;
        let audited_until = now.date() - Days::new(1);
        let at = self.clock.now();
        plan.for_each_day(|pd, post| {
            for sd in &mut pd.shifts {
                let Some(spec) = post.shift(sd.key) else { continue };
                let (start, end) = spec.window(pd.date);
                if start > now {
                    continue;
                }
                for duty in &mut sd.duties {
                    let roll = rng.u32(0..100);
                    if roll < 2 {
                        duty.status = Attendance::Absent;
                        continue;
                    }
                    let check_in =
                        if roll < 9 { start + Duration::minutes(rng.i64(12..45)) } else { start - Duration::minutes(rng.i64(0..15)) };
                    if check_in > now {
                        continue;
                    }
                    duty.check_in = Some(check_in);
                    match lateness(start, check_in, grace) {
                        Some(m) => {
                            duty.status = Attendance::Late;
                            duty.late_minutes = m;
                        }
                        None => duty.status = Attendance::OnDuty,
                    }
                    if end <= now {
                        duty.check_out = Some(end + Duration::minutes(rng.i64(0..8)));
                    }
                }
                if end <= now && rng.u32(0..3) > 0 {
                    sd.handover = HANDOVERS[rng.usize(0..HANDOVERS.len())].to_string();
                    sd.handover_by = actor.to_string();
                }
            }
            if pd.date <= now.date() && pd.assignment_count() > 0 {
                for (round, hour) in (1u16..).zip([9u32, 14, 19, 23]) {
                    let t = chrono::NaiveTime::from_hms_opt(hour, rng.u32(0..50), 0).unwrap_or_default();
                    if pd.date.and_time(t) > now {
                        break;
                    }
                    let checkpoints = CHECKPOINTS[rng.usize(0..CHECKPOINTS.len())].to_string();
                    let remarks = if rng.u32(0..6) == 0 { "发现异常已处理，详见交接班记录" } else { "正常" };
                    pd.patrols.push(Patrol { round, time: t, checkpoints, remarks: remarks.into(), by: actor.to_string() });
                }
            }
            if pd.date < audited_until {
                pd.audited = Some(Audited { by: actor.to_string(), at });
            }
        });
        plan.commit(actor)?;
        self.forget_roster_refs();
        Ok(made)
    }
}
