//! An in-memory list of one record kind for filtering, sorting and paging.
//!
//! Each item keeps a lower-cased search text and its sort keys; per sort
//! column the sorted order is computed on first use and dropped on any
//! change, so a filter keystroke is one linear pass in sorted order.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub trait Listed: Clone {
    type Sort: Copy + Eq + Hash;
    /// Precomputed values the sort compares (e.g. pinyin of names).
    type Keys;
    fn list_id(&self) -> u64;
    /// Lower-cased text a filter matches against.
    fn search_text(&self) -> String;
    fn keys(&self) -> Self::Keys;
    /// Order for `sort`; ties are broken by the caller with the id.
    fn compare(sort: Self::Sort, a: (&Self, &Self::Keys), b: (&Self, &Self::Keys)) -> Ordering;
}

pub struct ListCache<T: Listed> {
    items: Vec<T>,
    keys: Vec<T::Keys>,
    search: Vec<String>,
    position: HashMap<u64, usize>,
    sorted: Mutex<HashMap<T::Sort, Arc<Vec<u32>>>>,
    /// Every search text in one buffer, rebuilt after changes on first use.
    joined: Mutex<Option<Arc<Joined>>>,
}

/// The search texts back to back, separated by NUL, so one vectorised pass
/// over contiguous memory finds a needle in all of them.
struct Joined {
    buf: Vec<u8>,
    starts: Vec<usize>,
}

impl Joined {
    fn new(texts: &[String]) -> Joined {
        let mut buf = Vec::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for t in texts {
            starts.push(buf.len());
            buf.extend_from_slice(t.as_bytes());
            buf.push(0);
        }
        Joined { buf, starts }
    }

    /// Which items contain `needle`.
    fn matches(&self, needle: &str) -> Vec<bool> {
        let mut hit = vec![false; self.starts.len()];
        for pos in memchr::memmem::find_iter(&self.buf, needle.as_bytes()) {
            let item = self.starts.partition_point(|&s| s <= pos) - 1;
            hit[item] = true;
        }
        hit
    }
}

/// One page of a filtered, sorted list.
pub struct Slice<T> {
    pub total: usize,
    pub rows: Vec<T>,
}

impl<T: Listed> ListCache<T> {
    pub fn new(items: Vec<T>) -> Self {
        let position = items.iter().enumerate().map(|(i, c)| (c.list_id(), i)).collect();
        let search = items.iter().map(Listed::search_text).collect();
        let keys = items.iter().map(Listed::keys).collect();
        ListCache { items, keys, search, position, sorted: Mutex::new(HashMap::new()), joined: Mutex::new(None) }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn get(&self, id: u64) -> Option<&T> {
        self.position.get(&id).map(|&i| &self.items[i])
    }

    /// Insert or replace one item.
    pub fn put(&mut self, item: T) {
        let (text, keys) = (item.search_text(), item.keys());
        match self.position.get(&item.list_id()) {
            Some(&i) => {
                self.items[i] = item;
                self.search[i] = text;
                self.keys[i] = keys;
            }
            None => {
                self.position.insert(item.list_id(), self.items.len());
                self.items.push(item);
                self.search.push(text);
                self.keys.push(keys);
            }
        }
        match self.sorted.lock() {
            Ok(mut s) => s.clear(),
            Err(p) => p.into_inner().clear(),
        }
        match self.joined.lock() {
            Ok(mut j) => *j = None,
            Err(p) => *p.into_inner() = None,
        }
    }

    /// Make the orders for `sorts` and the joined search text now: the
    /// first sort by a column of 100,000 complaints takes tens of
    /// milliseconds, which preload spends in the background instead of an
    /// operator's keystroke.
    pub fn warm(&self, sorts: &[T::Sort]) {
        for &sort in sorts {
            self.order(sort);
        }
        self.joined();
    }

    fn joined(&self) -> Arc<Joined> {
        let mut guard = match self.joined.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        guard.get_or_insert_with(|| Arc::new(Joined::new(&self.search))).clone()
    }

    fn order(&self, sort: T::Sort) -> Arc<Vec<u32>> {
        let mut cache = match self.sorted.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        cache
            .entry(sort)
            .or_insert_with(|| {
                let mut idx: Vec<u32> = (0..self.items.len() as u32).collect();
                idx.sort_by(|&a, &b| {
                    let (a, b) = (a as usize, b as usize);
                    T::compare(sort, (&self.items[a], &self.keys[a]), (&self.items[b], &self.keys[b]))
                        .then(self.items[a].list_id().cmp(&self.items[b].list_id()))
                });
                Arc::new(idx)
            })
            .clone()
    }

    /// Items whose search text contains `needle` (lower-cased) and that pass
    /// `keep` (all do when it is `None`), in `sort` order, `limit` of them
    /// from `offset`.
    pub fn query<F: Fn(&T) -> bool>(
        &self,
        sort: T::Sort,
        descending: bool,
        needle: &str,
        keep: Option<F>,
        offset: usize,
        limit: usize,
    ) -> Slice<T> {
        let order = self.order(sort);
        let needle = needle.trim().to_lowercase();
        let hits = (!needle.is_empty()).then(|| self.joined().matches(&needle));
        let iter: Box<dyn Iterator<Item = &u32>> = if descending { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
        let mut total = 0;
        let mut rows = Vec::with_capacity(limit.min(1000));
        for &i in iter {
            let i = i as usize;
            // Only rows that pass are looked at: touching every (large) item
            // in sorted order costs a cache miss each.
            if hits.as_ref().is_none_or(|h| h[i]) && keep.as_ref().is_none_or(|k| k(&self.items[i])) {
                if total >= offset && rows.len() < limit {
                    rows.push(self.items[i].clone());
                }
                total += 1;
            }
        }
        Slice { total, rows }
    }
}
