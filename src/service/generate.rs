//! A large, deterministic data set for benchmarks: `guardroom gen --size large`.

use super::{Result, Service};
use crate::domain::{
    Choice, ClientDraft, ClientKind, ClientStatus, Contract, Fen, LegalReview, Meta, Promise, Rating, Services, Tier, Visit, VisitDraft,
    VisitMethod,
};
use chrono::{Days, NaiveDate, TimeZone, Utc};

const CITIES: [&str; 12] = ["上海", "苏州", "杭州", "南京", "无锡", "宁波", "常州", "嘉兴", "绍兴", "南通", "合肥", "昆山"];
const BRANDS: [&str; 40] = [
    "华贸", "恒达", "金桥", "鼎盛", "瑞丰", "宏远", "东方", "新城", "天和", "嘉禾", "永安", "盛世", "汇通", "中联", "国泰", "信诚", "万象",
    "明珠", "锦江", "长江", "海润", "富华", "同济", "龙湖", "绿地", "星河", "立信", "安和", "九州", "景瑞", "宝龙", "春晖", "德信", "君悦",
    "兴业", "泰康", "远洋", "华润", "银河", "通达",
];
const TRADES: [&str; 25] = [
    "物业管理有限公司",
    "商业银行支行",
    "人民医院",
    "实验学校",
    "科技园",
    "物流园",
    "购物中心",
    "花园小区",
    "电子有限公司",
    "汽车零部件厂",
    "酒店",
    "大厦",
    "会展中心",
    "制药有限公司",
    "置业有限公司",
    "文化广场",
    "机械制造厂",
    "食品有限公司",
    "数据中心",
    "仓储有限公司",
    "影城",
    "体育馆",
    "研究院",
    "新村",
    "工业园",
];
const SURNAMES: [&str; 16] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"];
const GIVEN: [&str; 16] = ["建国", "伟", "敏", "静", "磊", "洋", "丽", "强", "军", "芳", "杰", "娜", "涛", "明", "燕", "斌"];
const STAFF: [&str; 5] = ["李娜", "陈晓峰", "周敏", "赵磊", "孙倩"];
const PURPOSES: [&str; 5] = ["季度回访", "合同续签洽谈", "投诉处理回访", "节前安全检查", "服务质量调查"];

pub struct Sizes {
    pub clients: usize,
    pub visits: usize,
    /// Received over the three years before today.
    pub complaints: usize,
}

pub const LARGE: Sizes = Sizes { clients: 10_000, visits: 100_000, complaints: 100_000 };

/// A whole data set: clients, visits and complaints; staff, posts and
/// rosters; dorm rooms and vehicles with their checks and trips.
pub struct SetSizes {
    pub clients: Sizes,
    pub rosters: super::generate_rosters::RosterSizes,
    pub logistics: super::generate_logistics::LogisticsSizes,
}

/// The benchmarks' large set: 3 years of complaints, a year of rosters.
pub const LARGE_SET: SetSizes =
    SetSizes { clients: LARGE, rosters: super::generate_rosters::LARGE_ROSTERS, logistics: super::generate_logistics::LARGE_LOGISTICS };

/// A small set, quick to make, for trying things by hand.
pub const SMALL_SET: SetSizes = SetSizes {
    clients: Sizes { clients: 200, visits: 2_000, complaints: 2_000 },
    rosters: super::generate_rosters::RosterSizes { staff: 100, posts: 12, days: 60, days_ahead: 14 },
    logistics: super::generate_logistics::LogisticsSizes { rooms: 20, inspections: 600, vehicles: 6, trips: 120 },
};

/// How far `generate_set` has come, as it goes.
pub enum Progress {
    Clients { clients: usize, visits: usize },
    Assignments(usize),
}

/// What `generate_set` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub clients: usize,
    pub visits: usize,
    pub assignments: usize,
    pub inspections: usize,
    pub trips: usize,
}

/// Write a whole set dated up to `today`, saying how far it has come.
pub fn generate_set(
    service: &Service,
    actor: &str,
    today: NaiveDate,
    sizes: &SetSizes,
    mut progress: impl FnMut(Progress),
) -> Result<Generated> {
    let (clients, visits) =
        generate(service, actor, today, &sizes.clients, |clients, visits| progress(Progress::Clients { clients, visits }))?;
    let assignments =
        super::generate_rosters::generate_rosters(service, actor, today, &sizes.rosters, |a| progress(Progress::Assignments(a)))?;
    let (inspections, trips) = super::generate_logistics::generate_logistics(service, actor, today, &sizes.logistics)?;
    Ok(Generated { clients, visits, assignments, inspections, trips })
}

/// The benchmarks' large set, all of it, dated up to today.
pub fn generate_large(service: &Service, actor: &str) -> Result<()> {
    generate_set(service, actor, super::Api::today(service), &LARGE_SET, |_| {}).map(drop)
}

/// Write `sizes` worth of clients and visits dated in the year before
/// `today`, in batches of one transaction each. Returns (clients, visits).
pub fn generate(
    service: &Service,
    actor: &str,
    today: NaiveDate,
    sizes: &Sizes,
    mut progress: impl FnMut(usize, usize),
) -> Result<(usize, usize)> {
    let mut rng = fastrand::Rng::with_seed(20261123);
    let per_client = sizes.visits / sizes.clients.max(1);
    let extra = sizes.visits % sizes.clients.max(1);
    let batch = 250;
    let mut done_visits = 0;
    let mut start = 0;
    while start < sizes.clients {
        let end = (start + batch).min(sizes.clients);
        let mut plan = Vec::new();
        for i in start..end {
            let draft = client_draft(&mut rng, i);
            let n = per_client + usize::from(i < extra);
            let visits: Vec<VisitDraft> = (0..n).map(|_| visit_draft(&mut rng, today, &draft)).collect();
            plan.push((draft, visits));
        }
        let at = Utc.from_utc_datetime(&today.checked_sub_days(Days::new(400)).unwrap_or(today).and_hms_opt(1, 0, 0).unwrap_or_default());
        service.store().write(|tx| {
            for (draft, visits) in &plan {
                let mut c = tx.insert_client(actor, at, draft.clone())?;
                for v in visits {
                    tx.insert(
                        actor,
                        at,
                        Visit { id: 0, client_id: c.id, draft: v.clone(), complaint_id: None, meta: Meta::new(actor, at) },
                    )?;
                }
                c.last_visit = visits.iter().map(|v| v.date).max();
                if c.last_visit.is_some() {
                    tx.update(actor, at, c)?;
                }
            }
            Ok(())
        })?;
        done_visits += plan.iter().map(|p| p.1.len()).sum::<usize>();
        start = end;
        progress(start, done_visits);
    }
    generate_complaints(service, today, sizes, &mut rng)?;
    Ok((sizes.clients, done_visits))
}

const CAUSES: [&str; 6] = ["夜班保安睡岗", "门岗未登记访客", "巡逻漏点", "队员着装不整", "交接班不清", "车辆进出管理混乱"];
const RESPONSIBLE: [&str; 6] = ["保安队员 刘强", "保安队员 孟德林", "保安队长 王军", "保安队员 何勇", "特卫队员 周斌", "保安队长 黄志勇"];

/// Complaints spread over three years, older ones further along the workflow.
fn generate_complaints(service: &Service, today: NaiveDate, sizes: &Sizes, rng: &mut fastrand::Rng) -> Result<()> {
    use crate::domain::{
        Approval, Category, Channel, Complaint, ComplaintDraft, ComplaintStatus, Informed, Investigation, Resolution, Stamp,
    };
    use chrono::Duration;
    let now = today.and_hms_opt(9, 0, 0).unwrap_or_default();
    let clients = service.store().all::<crate::domain::Client>()?;
    if clients.is_empty() || sizes.complaints == 0 {
        return Ok(());
    }
    let rule = service.due_rule.clone();
    let mut made = 0;
    while made < sizes.complaints {
        let n = (sizes.complaints - made).min(2_000);
        let mut batch = Vec::with_capacity(n);
        for _ in 0..n {
            let client = &clients[rng.usize(..clients.len())];
            let received = now - Duration::minutes(rng.i64(0..3 * 365 * 24 * 60));
            let category =
                [Category::General, Category::General, Category::General, Category::FeeDeduction, Category::Unjustified][rng.usize(..5)];
            let draft = ComplaintDraft {
                client_id: client.id,
                client_name: client.draft.name.clone(),
                address: client.draft.address.clone(),
                phone: client.draft.phone.clone(),
                received_at: received,
                received_by: pick(rng, &STAFF).to_string(),
                channel: Channel::ALL[rng.usize(..Channel::ALL.len())],
                cause: pick(rng, &CAUSES).to_string(),
                demand: "要求整改".into(),
                category,
                amount: if category == Category::FeeDeduction { Fen(100 * rng.i64(500..20_000)) } else { Fen(0) },
                kind: String::new(),
                remarks: String::new(),
            };
            // How far it got: anything older than two weeks is finished.
            let age_days = (now - received).num_days();
            let reached = if age_days > 14 { 5 } else { rng.usize(..6) };
            let by = pick(rng, &STAFF).to_string();
            let responsible = pick(rng, &RESPONSIBLE).to_string();
            let stamp = |h: i64| Stamp { by: by.clone(), at: received + Duration::hours(h) };
            let hours = rng.i64(2..120);
            let mut c = Complaint {
                id: 0,
                number: String::new(),
                due: rule.due(received),
                status: ComplaintStatus::ALL[reached],
                informed: (reached >= 1).then(|| Informed { stamp: stamp(1), how: "电话告知".into() }),
                investigation: (reached >= 2).then(|| Investigation {
                    stamp: stamp(hours / 2),
                    investigator: "人防部 赵磊".into(),
                    responsible: responsible.clone(),
                    cause_found: "查实".into(),
                    measure: "加强管理".into(),
                }),
                approval: (reached >= 3 && category == Category::FeeDeduction)
                    .then(|| Approval { stamp: stamp(hours - 1), amount: draft.amount }),
                resolution: (reached >= 3).then(|| Resolution { stamp: stamp(hours), text: "已整改".into(), amount: draft.amount }),
                follow_up: None,
                closed: (reached >= 5).then(|| stamp(hours + 48)),
                escalations: vec![],
                breached_at: None,
                draft,
                meta: Meta::new("gen", Utc::now()),
            };
            c.note_breach(now);
            batch.push(c);
        }
        let at = Utc::now();
        service.store().write(|tx| {
            for c in &batch {
                let day = c.draft.received_at.date();
                let seq = tx.next_seq(&format!("complaint/{}", day.format("%Y%m%d")))?;
                let mut c = c.clone();
                c.number = crate::domain::complaint_number(day, seq);
                tx.insert("gen", at, c)?;
            }
            Ok(())
        })?;
        made += n;
    }
    Ok(())
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn person(rng: &mut fastrand::Rng) -> String {
    format!("{}{}", pick(rng, &SURNAMES), pick(rng, &GIVEN))
}

fn client_draft(rng: &mut fastrand::Rng, i: usize) -> ClientDraft {
    // Every index gives a distinct name: city × brand × trade, then a branch number.
    let (city, rest) = (i % CITIES.len(), i / CITIES.len());
    let (brand, rest) = (rest % BRANDS.len(), rest / BRANDS.len());
    let (trade, branch) = (rest % TRADES.len(), rest / TRADES.len());
    let mut name = format!("{}{}{}", CITIES[city], BRANDS[brand], TRADES[trade]);
    if branch > 0 {
        name.push_str(&format!("（{}分部）", branch + 1));
    }
    let tier = [Tier::Key, Tier::Regular, Tier::Regular, Tier::Regular, Tier::Prospect][rng.usize(..5)];
    let start = NaiveDate::from_ymd_opt(2025, 1 + rng.u32(..12), 1).unwrap_or_default();
    ClientDraft {
        name,
        kind: if rng.u8(..10) == 0 { ClientKind::Individual } else { ClientKind::Enterprise },
        services: Services::ALL[rng.usize(..Services::ALL.len())],
        address: format!("{}市{}路{}号", CITIES[city], pick(rng, &BRANDS), 1 + rng.u32(..2000)),
        contact: person(rng),
        contact_title: pick(rng, &["行政经理", "总务主管", "物业经理", "保卫科长", "董事长助理"]).to_string(),
        phone: format!("13{}{:08}", rng.u8(5..10), rng.u32(..100_000_000)),
        rating: Rating::ALL[rng.usize(..4)],
        tier,
        status: if tier == Tier::Prospect {
            ClientStatus::Prospect
        } else {
            [ClientStatus::Active, ClientStatus::Active, ClientStatus::Active, ClientStatus::Suspended][rng.usize(..4)]
        },
        contract: Contract {
            number: format!("HT-{}-{:05}", 2025, i + 1),
            start: Some(start),
            end: start.checked_add_days(Days::new(364 + rng.u64(..366))),
            monthly_fee: Fen(100 * rng.i64(8_000..120_000)),
            legal_review: LegalReview::ALL[rng.usize(..LegalReview::ALL.len())],
        },
        visit_interval_days: if tier == Tier::Key { 30 } else { [30, 60, 90][rng.usize(..3)] },
        notes: String::new(),
    }
}

fn visit_draft(rng: &mut fastrand::Rng, today: NaiveDate, client: &ClientDraft) -> VisitDraft {
    let date = today.checked_sub_days(Days::new(rng.u64(..365))).unwrap_or(today);
    let promises = if rng.u8(..5) == 0 {
        let due = date.checked_add_days(Days::new(7 + rng.u64(..30))).unwrap_or(date);
        vec![Promise { text: "加强夜间巡逻".into(), due, done: (rng.bool()).then_some(due) }]
    } else {
        vec![]
    };
    VisitDraft {
        date,
        by: pick(rng, &STAFF).to_string(),
        method: if rng.bool() { VisitMethod::OnSite } else { VisitMethod::Phone },
        met: client.contact.clone(),
        purpose: pick(rng, &PURPOSES).to_string(),
        opinions: "对服务总体满意。".into(),
        promises,
    }
}
