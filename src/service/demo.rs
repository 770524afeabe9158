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

fn at_nine(d: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).unwrap_or_default())
}

/// Load the demo set into the service as `actor`; returns (clients, visits).
pub fn load(service: &Service, actor: &str, today: NaiveDate) -> Result<(usize, usize)> {
    load_from(service, actor, today, DEMO_TOML)
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
