//! Filtering, sorting and paging the client list in memory.
//!
//! The cache (see `list_cache`) keeps every client with its search text and,
//! per sort column, the sorted order. A keystroke in the filter is then one
//! linear pass in sorted order.

use super::list_cache::{ListCache, Listed};
use crate::domain::{Choice, Client};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientSort {
    Number,
    Name,
    Kind,
    Services,
    Tier,
    Rating,
    Status,
    Contact,
    Phone,
    LastVisit,
    NextDue,
}

impl ClientSort {
    pub const ALL: [ClientSort; 11] = [
        ClientSort::Number,
        ClientSort::Name,
        ClientSort::Kind,
        ClientSort::Services,
        ClientSort::Tier,
        ClientSort::Rating,
        ClientSort::Status,
        ClientSort::Contact,
        ClientSort::Phone,
        ClientSort::LastVisit,
        ClientSort::NextDue,
    ];

    /// `keys` are the `sort_key`s of `a` and `b` for this column.
    fn compare(self, a: &Client, b: &Client, keys: (&str, &str)) -> Ordering {
        let (x, y) = (&a.draft, &b.draft);
        match self {
            ClientSort::Number => a.id.cmp(&b.id),
            ClientSort::Name | ClientSort::Contact => keys.0.cmp(keys.1),
            ClientSort::Kind => x.kind.index().cmp(&y.kind.index()),
            ClientSort::Services => x.services.index().cmp(&y.services.index()),
            ClientSort::Tier => x.tier.index().cmp(&y.tier.index()),
            ClientSort::Rating => x.rating.index().cmp(&y.rating.index()),
            ClientSort::Status => x.status.index().cmp(&y.status.index()),
            ClientSort::Phone => x.phone.cmp(&y.phone),
            // Never visited / never due sort after every date.
            ClientSort::LastVisit => cmp_dates(a.last_visit, b.last_visit),
            ClientSort::NextDue => cmp_dates(a.next_visit_due(), b.next_visit_due()),
        }
    }
}

/// Text as it sorts for Chinese readers: each Han character by its pinyin,
/// everything else lower-cased.
pub fn collation_key(s: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => {
                out.push_str(p.plain());
                // Keeps 李 (li) before 里 (li) stable and 李娜 before 丽娜.
                out.push(' ');
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn cmp_dates(a: Option<chrono::NaiveDate>, b: Option<chrono::NaiveDate>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientQuery {
    /// Case-insensitive substring over number, name, contact, phone and address.
    pub filter: String,
    pub sort: ClientSort,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
    /// One of the Overview's piles (key clients overdue a visit, …).
    pub focus: Option<ClientFocus>,
}

impl Default for ClientQuery {
    fn default() -> Self {
        ClientQuery { filter: String::new(), sort: ClientSort::Number, descending: false, offset: 0, limit: 100, focus: None }
    }
}

/// The client piles the Overview counts, as list filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientFocus {
    KeyVisitOverdue,
    KeyVisitDueThisWeek,
    PromiseOverdue,
}

/// What a focus needs to know beyond the client: the day, and the clients
/// with a promise past its day.
pub struct FocusFacts<'a> {
    pub today: chrono::NaiveDate,
    pub promised: &'a std::collections::BTreeSet<u64>,
}

impl ClientFocus {
    pub fn keeps(self, c: &Client, facts: &FocusFacts) -> bool {
        match self {
            ClientFocus::KeyVisitOverdue => c.key_visit_overdue(facts.today),
            ClientFocus::KeyVisitDueThisWeek => super::overview::key_visit_due_this_week(c, facts.today),
            ClientFocus::PromiseOverdue => facts.promised.contains(&c.id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClientPage {
    /// Clients matching the filter.
    pub total: usize,
    /// Clients in the database (or loaded so far).
    pub all: usize,
    pub offset: usize,
    pub rows: Vec<Client>,
}

impl Listed for Client {
    type Source = Client;
    type Sort = ClientSort;
    fn search_text(c: &Client) -> String {
        let d = &c.draft;
        let digits: String = d.phone.chars().filter(|c| c.is_ascii_digit()).collect();
        format!("{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}", c.number, d.name, d.contact, d.phone, digits, d.address).to_lowercase()
    }
    fn row(c: Client) -> Client {
        c
    }
    fn list_id(&self) -> u64 {
        self.id
    }
    fn sort_key(&self, sort: ClientSort) -> String {
        match sort {
            ClientSort::Name => collation_key(&self.draft.name),
            ClientSort::Contact => collation_key(&self.draft.contact),
            _ => String::new(),
        }
    }
    fn compare(sort: ClientSort, a: (&Self, &str), b: (&Self, &str)) -> Ordering {
        sort.compare(a.0, b.0, (a.1, b.1))
    }
}

pub type ClientCache = ListCache<Client>;

pub fn query_clients(cache: &ClientCache, q: &ClientQuery, facts: &FocusFacts) -> ClientPage {
    let keep = q.focus.map(|f| move |c: &Client| f.keeps(c, facts));
    let slice = cache.query(q.sort, q.descending, &q.filter, keep, q.offset, q.limit);
    ClientPage { total: slice.total, all: cache.len(), offset: q.offset, rows: slice.rows }
}
