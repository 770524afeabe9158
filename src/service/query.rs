//! Filtering, sorting and paging the client list in memory.
//!
//! The cache keeps every client plus a lower-cased search text per client and,
//! per sort column, the sorted order (computed on first use, dropped on any
//! change). A keystroke in the filter is then one linear pass in sorted order.

use crate::domain::{Choice, Client};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

    fn compare(self, a: &Client, b: &Client, keys: (&SortKeys, &SortKeys)) -> Ordering {
        let (x, y) = (&a.draft, &b.draft);
        let primary = match self {
            ClientSort::Number => a.id.cmp(&b.id),
            ClientSort::Name => keys.0.name.cmp(&keys.1.name),
            ClientSort::Kind => x.kind.index().cmp(&y.kind.index()),
            ClientSort::Services => x.services.index().cmp(&y.services.index()),
            ClientSort::Tier => x.tier.index().cmp(&y.tier.index()),
            ClientSort::Rating => x.rating.index().cmp(&y.rating.index()),
            ClientSort::Status => x.status.index().cmp(&y.status.index()),
            ClientSort::Contact => keys.0.contact.cmp(&keys.1.contact),
            ClientSort::Phone => x.phone.cmp(&y.phone),
            // Never visited / never due sort after every date.
            ClientSort::LastVisit => cmp_dates(a.last_visit, b.last_visit),
            ClientSort::NextDue => cmp_dates(a.next_visit_due(), b.next_visit_due()),
        };
        primary.then(a.id.cmp(&b.id))
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

#[derive(Debug, Clone, Default)]
struct SortKeys {
    name: String,
    contact: String,
}

impl SortKeys {
    fn of(c: &Client) -> SortKeys {
        SortKeys { name: collation_key(&c.draft.name), contact: collation_key(&c.draft.contact) }
    }
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
}

impl Default for ClientQuery {
    fn default() -> Self {
        ClientQuery { filter: String::new(), sort: ClientSort::Number, descending: false, offset: 0, limit: 100 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientPage {
    /// Clients matching the filter.
    pub total: usize,
    /// Clients in the database (or loaded so far).
    pub all: usize,
    pub offset: usize,
    pub rows: Vec<Client>,
}

pub struct ClientCache {
    clients: Vec<Client>,
    position: HashMap<u64, usize>,
    search: Vec<String>,
    keys: Vec<SortKeys>,
    sorted: Mutex<HashMap<ClientSort, Arc<Vec<u32>>>>,
}

fn search_text(c: &Client) -> String {
    let d = &c.draft;
    let digits: String = d.phone.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}", c.number, d.name, d.contact, d.phone, digits, d.address).to_lowercase()
}

impl ClientCache {
    pub fn new(clients: Vec<Client>) -> Self {
        let position = clients.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let search = clients.iter().map(search_text).collect();
        let keys = clients.iter().map(SortKeys::of).collect();
        ClientCache { clients, position, search, keys, sorted: Mutex::new(HashMap::new()) }
    }

    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Insert or replace one client.
    pub fn put(&mut self, c: Client) {
        let text = search_text(&c);
        let keys = SortKeys::of(&c);
        match self.position.get(&c.id) {
            Some(&i) => {
                self.clients[i] = c;
                self.search[i] = text;
                self.keys[i] = keys;
            }
            None => {
                self.position.insert(c.id, self.clients.len());
                self.clients.push(c);
                self.search.push(text);
                self.keys.push(keys);
            }
        }
        if let Ok(mut s) = self.sorted.lock() {
            s.clear();
        }
    }

    fn order(&self, sort: ClientSort) -> Arc<Vec<u32>> {
        let mut cache = match self.sorted.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        cache
            .entry(sort)
            .or_insert_with(|| {
                let mut idx: Vec<u32> = (0..self.clients.len() as u32).collect();
                idx.sort_by(|&a, &b| {
                    let (a, b) = (a as usize, b as usize);
                    sort.compare(&self.clients[a], &self.clients[b], (&self.keys[a], &self.keys[b]))
                });
                Arc::new(idx)
            })
            .clone()
    }

    pub fn query(&self, q: &ClientQuery) -> ClientPage {
        let order = self.order(q.sort);
        let needle = q.filter.trim().to_lowercase();
        let iter: Box<dyn Iterator<Item = &u32>> = if q.descending { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
        let mut total = 0;
        let mut rows = Vec::with_capacity(q.limit.min(1000));
        for &i in iter {
            if needle.is_empty() || self.search[i as usize].contains(&needle) {
                if total >= q.offset && rows.len() < q.limit {
                    rows.push(self.clients[i as usize].clone());
                }
                total += 1;
            }
        }
        ClientPage { total, all: self.clients.len(), offset: q.offset, rows }
    }
}
