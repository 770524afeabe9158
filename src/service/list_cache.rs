//! An in-memory list of one record kind for filtering, sorting and paging.
//!
//! Each item's lower-cased search text lives in one shared buffer, and per
//! sort column the sorted order is made on first use and then kept up to
//! date by each change (one removal and one binary-search insertion), so a
//! filter keystroke is one pass in sorted order and a save by one operator
//! does not make the next reader of 100,000 rows sort them again.

use crate::store::{Record, Store, StoreError};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// A row of a list, made from the record it lists (`Source`): the row may
/// keep less than the record, the search text is made from the whole record.
pub trait Listed: Clone {
    type Source;
    type Sort: Copy + Eq + Hash;
    /// Lower-cased text a filter matches against.
    fn search_text(source: &Self::Source) -> String;
    fn row(source: Self::Source) -> Self;
    fn list_id(&self) -> u64;
    /// The text `sort` compares (e.g. pinyin of a name), or an empty string
    /// when it compares other fields. Made when needed, never stored: a
    /// hundred thousand pinyin keys would cost more memory than the rows.
    fn sort_key(&self, sort: Self::Sort) -> String;
    /// Order for `sort`; ties are broken by the caller with the id.
    fn compare(sort: Self::Sort, a: (&Self, &str), b: (&Self, &str)) -> Ordering;
}

pub struct ListCache<T: Listed> {
    items: Vec<T>,
    search: SearchTexts,
    position: HashMap<u64, usize>,
    sorted: Mutex<HashMap<T::Sort, Arc<Vec<u32>>>>,
}

/// Every item's search text back to back, separated by NUL, so one
/// vectorised pass over contiguous memory finds a needle in all of them.
/// A changed item's text is appended and its old one marked dead; the
/// buffer is compacted once half of it is dead.
struct SearchTexts {
    buf: Vec<u8>,
    /// Where each segment starts, ascending.
    starts: Vec<usize>,
    /// The item each segment belongs to, or `DEAD`.
    owner: Vec<u32>,
    /// Each item's current segment.
    segment: Vec<u32>,
    dead: usize,
}

const DEAD: u32 = u32::MAX;

impl SearchTexts {
    fn new() -> SearchTexts {
        SearchTexts { buf: Vec::new(), starts: Vec::new(), owner: Vec::new(), segment: Vec::new(), dead: 0 }
    }

    fn append(&mut self, item: u32, text: &str) -> u32 {
        let seg = self.starts.len() as u32;
        self.starts.push(self.buf.len());
        self.owner.push(item);
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.push(0);
        seg
    }

    fn push(&mut self, text: &str) {
        let item = self.segment.len() as u32;
        let seg = self.append(item, text);
        self.segment.push(seg);
    }

    fn text(&self, seg: u32) -> &[u8] {
        let start = self.starts[seg as usize];
        let end = self.starts.get(seg as usize + 1).copied().unwrap_or(self.buf.len());
        &self.buf[start..end - 1]
    }

    fn replace(&mut self, item: usize, text: &str) {
        let old = self.segment[item];
        if self.text(old) == text.as_bytes() {
            return;
        }
        self.dead += self.text(old).len() + 1;
        self.owner[old as usize] = DEAD;
        self.segment[item] = self.append(item as u32, text);
        if self.dead > 1 << 16 && self.dead * 2 > self.buf.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut fresh = SearchTexts { buf: Vec::with_capacity(self.buf.len() - self.dead), ..SearchTexts::new() };
        for &seg in &self.segment {
            // Search texts are built from `String`s: always UTF-8.
            fresh.push(std::str::from_utf8(self.text(seg)).unwrap_or_default());
        }
        *self = fresh;
    }

    /// Which items contain `needle`.
    fn matches(&self, needle: &str) -> Vec<bool> {
        let mut hit = vec![false; self.segment.len()];
        for pos in memchr::memmem::find_iter(&self.buf, needle.as_bytes()) {
            let seg = self.starts.partition_point(|&s| s <= pos) - 1;
            if let Some(item) = hit.get_mut(self.owner[seg] as usize) {
                *item = true;
            }
        }
        hit
    }
}

/// One page of a filtered, sorted list.
pub struct Slice<T> {
    pub total: usize,
    pub rows: Vec<T>,
}

fn lock<V>(m: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<T: Listed> ListCache<T> {
    /// An empty list that will hold `expected` rows, so a hundred thousand
    /// rows are not copied over and over as it grows.
    pub fn with_capacity(expected: usize) -> Self {
        ListCache {
            items: Vec::with_capacity(expected),
            search: SearchTexts::new(),
            position: HashMap::with_capacity(expected),
            sorted: Mutex::new(HashMap::new()),
        }
    }

    /// The list of every record of its kind in the store, read one at a
    /// time (100,000 complaints are never held decoded at once).
    pub fn from_store(store: &Store) -> Result<Self, StoreError>
    where
        T::Source: Record,
    {
        let mut cache = ListCache::with_capacity(store.count::<T::Source>());
        store.each::<T::Source>(|r| cache.put(r))?;
        cache.shrink();
        Ok(cache)
    }

    /// Hand back what growing left unused, once loaded.
    fn shrink(&mut self) {
        self.items.shrink_to_fit();
        self.search.buf.shrink_to_fit();
        self.search.starts.shrink_to_fit();
        self.search.owner.shrink_to_fit();
        self.search.segment.shrink_to_fit();
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

    /// `items[a]` against `b` (with its sort key), ties by id.
    fn cmp_at(items: &[T], sort: T::Sort, a: usize, b: (&T, &str)) -> Ordering {
        let item = &items[a];
        T::compare(sort, (item, &item.sort_key(sort)), b).then(item.list_id().cmp(&b.0.list_id()))
    }

    /// Insert or replace the row of one record.
    pub fn put(&mut self, source: T::Source) {
        let text = T::search_text(&source);
        let item = T::row(source);
        let index = match self.position.get(&item.list_id()) {
            Some(&i) => {
                self.items[i] = item;
                self.search.replace(i, &text);
                i
            }
            None => {
                self.position.insert(item.list_id(), self.items.len());
                self.items.push(item);
                self.search.push(&text);
                self.items.len() - 1
            }
        };
        // Each made order moves the one item to its new place.
        let (items, sorted) = (&self.items, self.sorted.get_mut().unwrap_or_else(|p| p.into_inner()));
        let item = &items[index];
        for (&sort, order) in sorted.iter_mut() {
            let order = Arc::make_mut(order);
            if let Some(at) = order.iter().position(|&i| i as usize == index) {
                order.remove(at);
            }
            let key = item.sort_key(sort);
            let at = order.partition_point(|&i| Self::cmp_at(items, sort, i as usize, (item, &key)) == Ordering::Less);
            order.insert(at, index as u32);
        }
    }

    /// Make the orders for `sorts` now: the first sort by a column of
    /// 100,000 complaints takes tens of milliseconds, which preload spends
    /// in the background instead of an operator's keystroke.
    pub fn warm(&self, sorts: &[T::Sort]) {
        for &sort in sorts {
            self.order(sort);
        }
    }

    fn order(&self, sort: T::Sort) -> Arc<Vec<u32>> {
        let mut cache = lock(&self.sorted);
        cache
            .entry(sort)
            .or_insert_with(|| {
                // The keys live only while sorting.
                let keys: Vec<String> = self.items.iter().map(|i| i.sort_key(sort)).collect();
                let mut idx: Vec<u32> = (0..self.items.len() as u32).collect();
                idx.sort_by(|&a, &b| {
                    let (a, b) = (a as usize, b as usize);
                    T::compare(sort, (&self.items[a], &keys[a]), (&self.items[b], &keys[b]))
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
        let hits = (!needle.is_empty()).then(|| self.search.matches(&needle));
        let iter: Box<dyn Iterator<Item = &u32>> = if descending { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
        if hits.is_none() && keep.is_none() {
            // Everything passes: the page is a slice of the order.
            let rows = iter.skip(offset).take(limit).map(|&i| self.items[i as usize].clone()).collect();
            return Slice { total: order.len(), rows };
        }
        let mut total = 0;
        let mut rows = Vec::with_capacity(limit.min(1000));
        for &i in iter {
            let i = i as usize;
            // Only rows that pass are looked at: touching every item in
            // sorted order costs a cache miss each.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Row {
        id: u64,
        name: &'static str,
        n: i32,
    }

    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
    enum By {
        Name,
        N,
    }

    impl Listed for Row {
        type Source = Row;
        type Sort = By;
        fn search_text(source: &Row) -> String {
            source.name.to_lowercase()
        }
        fn row(source: Row) -> Row {
            source
        }
        fn list_id(&self) -> u64 {
            self.id
        }
        fn sort_key(&self, sort: By) -> String {
            match sort {
                By::Name => super::super::query::collation_key(self.name),
                By::N => String::new(),
            }
        }
        fn compare(sort: By, a: (&Self, &str), b: (&Self, &str)) -> Ordering {
            match sort {
                By::Name => a.1.cmp(b.1),
                By::N => a.0.n.cmp(&b.0.n),
            }
        }
    }

    fn ids(cache: &ListCache<Row>, sort: By, needle: &str) -> Vec<u64> {
        cache.query(sort, false, needle, None::<fn(&Row) -> bool>, 0, 100).rows.iter().map(|r| r.id).collect()
    }

    fn fresh(rows: &[Row]) -> ListCache<Row> {
        let mut cache = ListCache::with_capacity(rows.len());
        for r in rows {
            cache.put(r.clone());
        }
        cache
    }

    #[test]
    fn a_change_keeps_every_made_order_as_a_fresh_sort_would_make_it() {
        let rows = vec![
            Row { id: 1, name: "王芳", n: 5 },
            Row { id: 2, name: "李娜", n: 3 },
            Row { id: 3, name: "Anna", n: 3 },
            Row { id: 4, name: "张伟", n: 9 },
        ];
        let mut cache = fresh(&rows);
        cache.warm(&[By::Name, By::N]);
        let mut now = rows.clone();
        let changes = [
            Row { id: 2, name: "赵敏", n: 10 },
            Row { id: 5, name: "白雪", n: 3 },
            Row { id: 1, name: "Zed", n: 0 },
            Row { id: 5, name: "白雪", n: 4 },
        ];
        for change in changes {
            match now.iter_mut().find(|r| r.id == change.id) {
                Some(r) => *r = change.clone(),
                None => now.push(change.clone()),
            }
            cache.put(change);
            let expected = fresh(&now);
            for sort in [By::Name, By::N] {
                assert_eq!(ids(&cache, sort, ""), ids(&expected, sort, ""), "{sort:?} after a change");
            }
        }
        assert_eq!(ids(&cache, By::N, ""), vec![1, 3, 5, 4, 2]);
    }

    #[test]
    fn a_filter_finds_the_current_text_only() {
        let mut cache = fresh(&[Row { id: 1, name: "西溪园区", n: 1 }, Row { id: 2, name: "滨江物业", n: 2 }]);
        assert_eq!(ids(&cache, By::N, "西溪"), vec![1]);
        cache.put(Row { id: 1, name: "钱塘大厦", n: 1 });
        assert_eq!(ids(&cache, By::N, "西溪"), Vec::<u64>::new(), "the old text no longer matches");
        assert_eq!(ids(&cache, By::N, "钱塘"), vec![1]);
        cache.put(Row { id: 3, name: "西溪湿地", n: 0 });
        assert_eq!(ids(&cache, By::N, "西溪"), vec![3]);
    }

    #[test]
    fn the_search_buffer_is_compacted_without_losing_a_text() {
        let names = ["甲", "乙", "丙"];
        let mut cache = fresh(&[Row { id: 1, name: "a", n: 1 }, Row { id: 2, name: "b", n: 2 }]);
        // Enough replacements that half the buffer is dead many times over.
        for round in 0..30_000 {
            cache.put(Row { id: 1 + round % 2, name: names[round as usize % 3], n: 1 });
        }
        assert!(cache.search.buf.len() < 1 << 18, "compacted: {} bytes", cache.search.buf.len());
        assert_eq!(ids(&cache, By::N, "甲"), Vec::<u64>::new());
        assert_eq!(ids(&cache, By::N, "丙"), vec![2]);
        assert_eq!(ids(&cache, By::N, "乙"), vec![1]);
    }
}
