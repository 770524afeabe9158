//! The lookups every roster view shares, read once and kept until they change.

use crate::domain::*;
use crate::service::{Result, Service};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What every roster view looks up: posts in number order, their clients'
/// names and people's names. Read once, kept until staff, posts or clients
/// change; the next 7 days' gap count is kept until any roster change.
impl RosterRefs {
    /// Whether `id` can stand a place on `date` as far as the roster can
    /// tell later on: on leave or gone (from today on), or licence run out.
    pub fn away(&self, id: u64, date: NaiveDate, today: NaiveDate) -> bool {
        (date >= today && self.unavailable.contains(&id)) || self.licence_until.get(&id).is_some_and(|e| date > *e)
    }
}

pub struct RosterRefs {
    pub posts: Vec<Post>,
    pub clients: HashMap<u64, String>,
    pub names: HashMap<u64, String>,
    /// People on leave or gone: their places count as gaps.
    pub unavailable: HashSet<u64>,
    /// Guard licences' last valid days: a place held after it is a gap.
    pub licence_until: HashMap<u64, NaiveDate>,
}

#[derive(Default)]
pub struct RefsCache {
    pub(super) refs: std::sync::RwLock<Option<std::sync::Arc<RosterRefs>>>,
    pub(super) gaps: std::sync::Mutex<Option<(NaiveDate, usize)>>,
    /// Bumped by every forget, so a read that began before a change does
    /// not keep what it read.
    pub(super) generation: std::sync::atomic::AtomicU64,
    pub(super) gaps_generation: std::sync::atomic::AtomicU64,
}

impl RefsCache {
    /// A client was saved: the views change only if its name did.
    pub fn client_saved(&self, id: u64, name: &str) {
        let stale = self.refs.read().ok().and_then(|r| r.as_ref().map(|r| r.clients.get(&id).is_some_and(|n| n != name))).unwrap_or(false);
        if stale {
            self.forget();
        }
    }

    pub fn forget(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut r) = self.refs.write() {
            *r = None;
        }
        self.forget_gaps();
    }

    pub fn forget_gaps(&self) {
        self.gaps_generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut g) = self.gaps.lock() {
            *g = None;
        }
    }
}

fn short_name(s: &Staff) -> String {
    s.draft.name.clone()
}

impl Service {
    /// After writing rosters straight to the store (demo, generator).
    pub(crate) fn forget_roster_refs(&self) {
        self.roster_refs.forget();
    }

    /// Posts, client names and people's names, read once until they change.
    pub(super) fn refs(&self) -> Result<std::sync::Arc<RosterRefs>> {
        use std::sync::atomic::Ordering;
        if let Some(r) = self.roster_refs.refs.read().ok().and_then(|g| g.clone()) {
            return Ok(r);
        }
        let generation = self.roster_refs.generation.load(Ordering::SeqCst);
        let mut posts: Vec<Post> = self.store.all::<Post>()?.into_iter().filter(|p| p.closed.is_none()).collect();
        posts.sort_by(|a, b| a.number.cmp(&b.number));
        let mut clients = HashMap::new();
        for p in &posts {
            if let std::collections::hash_map::Entry::Vacant(e) = clients.entry(p.draft.client_id) {
                e.insert(self.store.get::<crate::domain::Client>(p.draft.client_id)?.map(|c| c.draft.name).unwrap_or_default());
            }
        }
        let staff = self.store.all::<Staff>()?;
        let names = staff.iter().map(|s| (s.id, short_name(s))).collect();
        let unavailable = staff.iter().filter(|s| s.draft.status != crate::domain::StaffStatus::Active).map(|s| s.id).collect();
        let licence_until = staff.iter().filter_map(|s| s.draft.licence.expires.map(|e| (s.id, e))).collect();
        let refs = std::sync::Arc::new(RosterRefs { posts, clients, names, unavailable, licence_until });
        if let Ok(mut g) = self.roster_refs.refs.write() {
            if self.roster_refs.generation.load(Ordering::SeqCst) == generation {
                *g = Some(refs.clone());
            }
        }
        Ok(refs)
    }

    pub(crate) fn warm_roster_refs(&self) -> Result<()> {
        self.refs().map(|_| ())
    }

    pub(super) fn names_of(&self, ids: impl IntoIterator<Item = u64>) -> Result<BTreeMap<u64, String>> {
        let refs = self.refs()?;
        Ok(ids.into_iter().filter_map(|id| refs.names.get(&id).map(|n| (id, n.clone()))).collect())
    }

    pub(super) fn client_name(&self, client_id: u64) -> String {
        self.refs().ok().and_then(|r| r.clients.get(&client_id).cloned()).unwrap_or_default()
    }

    pub(super) fn posts_sorted(&self) -> Result<Vec<Post>> {
        Ok(self.refs()?.posts.clone())
    }
}
