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
        ListCache { items, keys, search, position, sorted: Mutex::new(HashMap::new()) }
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
    /// `keep`, in `sort` order, `limit` of them from `offset`.
    pub fn query(&self, sort: T::Sort, descending: bool, needle: &str, keep: impl Fn(&T) -> bool, offset: usize, limit: usize) -> Slice<T> {
        let order = self.order(sort);
        let needle = needle.trim().to_lowercase();
        let iter: Box<dyn Iterator<Item = &u32>> = if descending { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
        let mut total = 0;
        let mut rows = Vec::with_capacity(limit.min(1000));
        for &i in iter {
            let i = i as usize;
            if (needle.is_empty() || self.search[i].contains(&needle)) && keep(&self.items[i]) {
                if total >= offset && rows.len() < limit {
                    rows.push(self.items[i].clone());
                }
                total += 1;
            }
        }
        Slice { total, rows }
    }
}
