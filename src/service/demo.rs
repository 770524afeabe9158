//! The demo data set shipped in `data/demo.toml`: clients with contracts,
//! rating reviews and visits. Dates in the file are anchored on one day and
//! shifted on load so the set always looks current.

use super::{Result, Service, ServiceError};
use crate::domain::{
    Choice, ClientDraft, ClientKind, ClientStatus, Contract, Fen, LegalReview, Promise, Rating, RatingReview, Services, Tier, VisitDraft,
    VisitMethod,
};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

/// The demo set, compiled into the binary so `cargo run` needs no files.
pub const DEMO_TOML: &str = include_str!("../../data/demo.toml");

#[derive(Deserialize)]
struct DemoFile {
    anchor: NaiveDate,
    client: Vec<DemoClient>,
}

#[derive(Deserialize)]
struct DemoClient {
    name: String,
    kind: String,
    services: String,
    address: String,
    contact: String,
    contact_title: String,
    phone: String,
    rating: String,
    tier: String,
    status: String,
    visit_interval_days: u16,
    notes: String,
    created: NaiveDate,
    contract: Option<DemoContract>,
    #[serde(default)]
    review: Vec<DemoReview>,
    #[serde(default)]
    visit: Vec<DemoVisit>,
}

#[derive(Deserialize)]
struct DemoContract {
    number: String,
    start: NaiveDate,
    end: NaiveDate,
    monthly_fee_yuan: String,
    legal_review: String,
}

#[derive(Deserialize)]
struct DemoReview {
    date: NaiveDate,
    from: String,
    to: String,
    by: String,
    reason: String,
}

#[derive(Deserialize)]
struct DemoVisit {
    date: NaiveDate,
    by: String,
    method: String,
    met: String,
    purpose: String,
    opinions: String,
    #[serde(default)]
    promise: Vec<DemoPromise>,
}

#[derive(Deserialize)]
struct DemoPromise {
    text: String,
    due: NaiveDate,
    done: Option<NaiveDate>,
}

fn choice<T: Choice>(field: &str, code: &str) -> Result<T> {
    T::from_code(code).ok_or_else(|| ServiceError::Store(format!("demo data: unknown {field} \"{code}\"")))
}

/// A local wall-clock time as the UTC instant the audit log records.
fn local(t: chrono::NaiveDateTime) -> chrono::DateTime<Utc> {
    use chrono::Local;
    match Local.from_local_datetime(&t).earliest() {
        Some(x) => x.with_timezone(&Utc),
        None => Utc.from_utc_datetime(&t),
    }
}

fn at_nine(d: NaiveDate) -> chrono::DateTime<Utc> {
    local(d.and_hms_opt(9, 0, 0).unwrap_or_default())
}

/// What the demo set brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DemoCounts {
    pub clients: usize,
    pub visits: usize,
    pub complaints: usize,
    pub staff: usize,
    pub posts: usize,
    pub assignments: usize,
    pub rooms: usize,
    pub vehicles: usize,
}

/// Load the demo set into the service as `actor`.
pub fn load(service: &Service, actor: &str, today: NaiveDate) -> Result<DemoCounts> {
    let (clients, visits) = load_from(service, actor, today, DEMO_TOML)?;
    let complaints = load_complaints(service, today, COMPLAINTS_TOML)?;
    let (staff, posts, assignments) = super::demo_rosters::load(service, actor, today)?;
    let (rooms, _, vehicles, _) = super::demo_logistics::load(service, actor, today)?;
    Ok(DemoCounts { clients, visits: visits + complaints_followed_up(service)?, complaints, staff, posts, assignments, rooms, vehicles })
}

fn complaints_followed_up(service: &Service) -> Result<usize> {
    Ok(service.store().all::<crate::domain::Complaint>()?.iter().filter(|c| c.follow_up.is_some()).count())
}

pub fn load_from(service: &Service, actor: &str, today: NaiveDate, text: &str) -> Result<(usize, usize)> {
    let file: DemoFile = toml::from_str(text).map_err(|e| ServiceError::Store(format!("demo data: {e}")))?;
    let offset = (today - file.anchor).num_days();
    let shift = |d: NaiveDate| -> NaiveDate {
        if offset >= 0 {
            d.checked_add_days(Days::new(offset as u64)).unwrap_or(d)
        } else {
            d.checked_sub_days(Days::new((-offset) as u64)).unwrap_or(d)
        }
    };
    let mut visits = 0;
    for c in &file.client {
        let contract = match &c.contract {
            Some(k) => Contract {
                number: k.number.clone(),
                start: Some(shift(k.start)),
                end: Some(shift(k.end)),
                monthly_fee: Fen::parse_yuan(&k.monthly_fee_yuan)
                    .ok_or_else(|| ServiceError::Store(format!("demo data: bad fee {}", k.monthly_fee_yuan)))?,
                legal_review: choice::<LegalReview>("legal_review", &k.legal_review)?,
            },
            None => Contract::default(),
        };
        let first_rating = c.review.first().map(|r| r.from.as_str()).unwrap_or(&c.rating);
        let draft = ClientDraft {
            name: c.name.clone(),
            kind: choice::<ClientKind>("kind", &c.kind)?,
            services: choice::<Services>("services", &c.services)?,
            address: c.address.clone(),
            contact: c.contact.clone(),
            contact_title: c.contact_title.clone(),
            phone: c.phone.clone(),
            rating: choice::<Rating>("rating", first_rating)?,
            tier: choice::<Tier>("tier", &c.tier)?,
            status: choice::<ClientStatus>("status", &c.status)?,
            contract,
            visit_interval_days: c.visit_interval_days,
            notes: c.notes.clone(),
        };
        let mut client = service.create_client_at(actor, draft, at_nine(shift(c.created)))?;
        for r in &c.review {
            let review = RatingReview {
                date: shift(r.date),
                from: choice::<Rating>("rating", &r.from)?,
                to: choice::<Rating>("rating", &r.to)?,
                by: r.by.clone(),
                reason: r.reason.clone(),
            };
            client = service.review_rating_on(&review.by, client.id, client.meta.version, review.to, &review.reason, review.date)?;
            let _ = review.from;
        }
        for v in &c.visit {
            let draft = VisitDraft {
                date: shift(v.date),
                by: v.by.clone(),
                method: choice::<VisitMethod>("method", &v.method)?,
                met: v.met.clone(),
                purpose: v.purpose.clone(),
                opinions: v.opinions.clone(),
                promises: v.promise.iter().map(|p| Promise { text: p.text.clone(), due: shift(p.due), done: p.done.map(shift) }).collect(),
            };
            service.add_visit_at(&v.by, client.id, draft.clone(), at_nine(draft.date))?;
            visits += 1;
        }
    }
    Ok((file.client.len(), visits))
}

/// The demo complaints, compiled in like the clients.
pub const COMPLAINTS_TOML: &str = include_str!("../../data/complaints.toml");

#[derive(Deserialize)]
struct ComplaintsFile {
    anchor: NaiveDate,
    complaint: Vec<DemoComplaint>,
}

#[derive(Deserialize)]
struct DemoStamp {
    by: String,
    at: String,
}

#[derive(Deserialize)]
struct DemoComplaint {
    client: String,
    received_at: String,
    received_by: String,
    channel: String,
    cause: String,
    demand: String,
    category: String,
    amount_yuan: String,
    kind: String,
    remarks: String,
    status: String,
    informed: Option<DemoInformed>,
    investigation: Option<DemoInvestigation>,
    approval: Option<DemoStamp>,
    resolution: Option<DemoResolution>,
    follow_up: Option<DemoFollowUp>,
    closed: Option<DemoStamp>,
    #[serde(default)]
    escalation: Vec<DemoEscalation>,
}

#[derive(Deserialize)]
struct DemoInformed {
    by: String,
    at: String,
    how: String,
}

#[derive(Deserialize)]
struct DemoInvestigation {
    by: String,
    at: String,
    investigator: String,
    responsible: String,
    cause_found: String,
    measure: String,
}

#[derive(Deserialize)]
struct DemoResolution {
    by: String,
    at: String,
    text: String,
    amount_yuan: String,
}

#[derive(Deserialize)]
struct DemoFollowUp {
    by: String,
    at: String,
    method: String,
    met: String,
    opinions: String,
}

#[derive(Deserialize)]
struct DemoEscalation {
    by: String,
    at: String,
    reason: String,
}

/// Load the demo complaints against clients already loaded (matched by name).
pub fn load_complaints(service: &Service, today: NaiveDate, text: &str) -> Result<usize> {
    use crate::domain::{
        Category, Channel, Complaint, ComplaintDraft, ComplaintStatus, Escalation, Informed, Investigation, Meta, Resolution, Stamp,
    };
    use chrono::NaiveDateTime;
    let bad = |what: &str| ServiceError::Store(format!("demo complaints: {what}"));
    let file: ComplaintsFile = toml::from_str(text).map_err(|e| bad(&e.to_string()))?;
    let shift = chrono::Duration::days((today - file.anchor).num_days());
    let time = |s: &str| -> Result<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").map(|t| t + shift).map_err(|_| bad(&format!("bad time {s}")))
    };
    let stamp = |s: &DemoStamp| -> Result<Stamp> { Ok(Stamp { by: s.by.clone(), at: time(&s.at)? }) };
    let money = |s: &str| Fen::parse_yuan(s).ok_or_else(|| bad(&format!("bad amount {s}")));
    let clients = service.store().all::<crate::domain::Client>()?;
    let rule = service.due_rule.clone();
    let mut n = 0;
    for d in &file.complaint {
        let client = clients.iter().find(|c| c.draft.name == d.client).ok_or_else(|| bad(&format!("no client named {}", d.client)))?;
        let draft = ComplaintDraft {
            client_id: client.id,
            client_name: client.draft.name.clone(),
            address: client.draft.address.clone(),
            phone: client.draft.phone.clone(),
            received_at: time(&d.received_at)?,
            received_by: d.received_by.clone(),
            channel: choice::<Channel>("channel", &d.channel)?,
            cause: d.cause.clone(),
            demand: d.demand.clone(),
            category: choice::<Category>("category", &d.category)?,
            amount: money(&d.amount_yuan)?,
            kind: d.kind.clone(),
            remarks: d.remarks.clone(),
        };
        let informed = match &d.informed {
            Some(i) => Some(Informed { stamp: Stamp { by: i.by.clone(), at: time(&i.at)? }, how: i.how.clone() }),
            None => None,
        };
        let investigation = match &d.investigation {
            Some(i) => Some(Investigation {
                stamp: Stamp { by: i.by.clone(), at: time(&i.at)? },
                investigator: i.investigator.clone(),
                responsible: i.responsible.clone(),
                cause_found: i.cause_found.clone(),
                measure: i.measure.clone(),
            }),
            None => None,
        };
        let resolution = match &d.resolution {
            Some(r) => Some(Resolution {
                stamp: Stamp { by: r.by.clone(), at: time(&r.at)? },
                text: r.text.clone(),
                amount: money(&r.amount_yuan)?,
            }),
            None => None,
        };
        // The demo's approvals cover what was asked and what was paid.
        let approved_amount = draft.amount.max(resolution.as_ref().map(|r| r.amount).unwrap_or_default());
        let approval = d.approval.as_ref().map(stamp).transpose()?.map(|s| crate::domain::Approval { stamp: s, amount: approved_amount });
        let closed = d.closed.as_ref().map(stamp).transpose()?;
        let escalations = d
            .escalation
            .iter()
            .map(|e| Ok(Escalation { stamp: Stamp { by: e.by.clone(), at: time(&e.at)? }, reason: e.reason.clone(), automatic: false }))
            .collect::<Result<Vec<_>>>()?;
        let follow = match &d.follow_up {
            Some(f) => Some((
                Stamp { by: f.by.clone(), at: time(&f.at)? },
                choice::<VisitMethod>("method", &f.method)?,
                f.met.clone(),
                f.opinions.clone(),
            )),
            None => None,
        };
        let status = choice::<ComplaintStatus>("status", &d.status)?;
        let now = service.clock.local_now().max(draft.received_at);
        let at = local(draft.received_at);
        service.store().write(|tx| {
            let day = draft.received_at.date();
            let seq = tx.next_seq(&format!("complaint/{}", day.format("%Y%m%d")))?;
            let mut c = Complaint {
                id: 0,
                number: crate::domain::complaint_number(day, seq),
                draft: draft.clone(),
                status,
                due: rule.due(draft.received_at),
                informed: informed.clone(),
                investigation: investigation.clone(),
                approval: approval.clone(),
                resolution: resolution.clone(),
                follow_up: None,
                closed: closed.clone(),
                escalations: escalations.clone(),
                breached_at: None,
                meta: Meta::new(&draft.received_by, at),
            };
            c.note_breach(now);
            let mut c = tx.insert(&draft.received_by, at, c)?;
            if let Some((s, method, met, opinions)) = &follow {
                let visit = VisitDraft {
                    date: s.at.date(),
                    by: s.by.clone(),
                    method: *method,
                    met: met.clone(),
                    purpose: format!("投诉回访 {}", c.number),
                    opinions: opinions.clone(),
                    promises: vec![],
                };
                let (v, _) = tx.insert_visit(&s.by, local(s.at), client.id, visit, Some(c.id))?;
                c.follow_up = Some((s.clone(), v.id));
                tx.update(&s.by, local(s.at), c)?;
            }
            Ok(())
        })?;
        n += 1;
    }
    Ok(n)
}
