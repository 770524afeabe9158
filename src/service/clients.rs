//! Client and visit operations.

use super::query::{query_clients, ClientCache, ClientFocus, ClientPage, ClientQuery, FocusFacts};
use super::{Api, ClientFile, ComplaintFile, ComplaintPage, ComplaintQuery, Result, Service, ServiceError, Step};
use crate::domain::{Client, ClientDraft, Complaint, ComplaintDraft, Rating, RatingReview, Visit, VisitDraft};
use crate::store::{tx::abort, StoreError};
use chrono::NaiveDate;

impl Service {
    pub(super) fn with_cache<T>(&self, f: impl FnOnce(&ClientCache) -> T) -> Result<T> {
        if let Ok(guard) = self.cache.read() {
            if let Some(c) = guard.as_ref() {
                return Ok(f(c));
            }
        }
        self.preload()?;
        let guard = self.cache.read().map_err(|_| ServiceError::Store("cache lock poisoned".into()))?;
        Ok(f(guard.as_ref().expect("preloaded above")))
    }

    /// Keep the in-memory list in step with a committed write.
    pub(super) fn cache_put(&self, c: &Client) {
        // Posts show their client's name.
        self.roster_refs.client_saved(c.id, &c.draft.name);
        if let Ok(mut guard) = self.cache.write() {
            if let Some(cache) = guard.as_mut() {
                cache.put(c.clone());
            }
        }
    }

    /// Create a client stamped as opened at `at` (demo and import keep the
    /// original dates); `create_client` uses now.
    pub fn create_client_at(&self, actor: &str, draft: ClientDraft, at: chrono::DateTime<chrono::Utc>) -> Result<Client> {
        let draft = draft.cleaned();
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let client = self.store.write(|tx| tx.insert_client(actor, at, draft.clone()))?;
        self.cache_put(&client);
        Ok(client)
    }

    pub fn add_visit_at(&self, actor: &str, client_id: u64, draft: VisitDraft, at: chrono::DateTime<chrono::Utc>) -> Result<Visit> {
        let draft = draft.cleaned();
        let errors = draft.validate(self.clock.today());
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let (visit, client) = self.store.write(|tx| tx.insert_visit(actor, at, client_id, draft.clone(), None))?;
        self.cache_put(&client);
        self.promise_put(&visit);
        Ok(visit)
    }

    /// Record a rating change as a review dated `date`.
    pub fn review_rating_on(&self, actor: &str, id: u64, version: u64, to: Rating, reason: &str, date: NaiveDate) -> Result<Client> {
        let reason = crate::domain::text::clean(reason, false);
        let mut errors = Vec::new();
        crate::domain::validate::check_len(&mut errors, "reason", &reason, crate::domain::limits::client::REVIEW_REASON);
        if !errors.is_empty() {
            return Err(super::ServiceError::Invalid(errors));
        }
        let client = self.store.write(|tx| {
            let Some(mut c) = tx.get::<Client>(id)? else {
                return abort(StoreError::NotFound { kind: "client", id });
            };
            c.meta.version = version;
            c.reviews.push(RatingReview { date, from: c.draft.rating, to, by: actor.to_string(), reason: reason.clone() });
            c.draft.rating = to;
            tx.update(actor, self.clock.now(), c)
        })?;
        self.cache_put(&client);
        Ok(client)
    }
}

impl Api for Service {
    fn first_clients(&self, limit: usize) -> Result<ClientPage> {
        if let Ok(guard) = self.cache.read() {
            if let Some(c) = guard.as_ref() {
                let facts = FocusFacts { today: self.clock.today(), promised: &Default::default() };
                return Ok(query_clients(c, &ClientQuery { limit, ..Default::default() }, &facts));
            }
        }
        let rows = self.store.first::<Client>(limit)?;
        let all = self.store.count::<Client>();
        Ok(ClientPage { total: all, all, offset: 0, rows })
    }

    fn preload(&self) -> Result<usize> {
        if let Ok(g) = self.cache.read() {
            if let Some(c) = g.as_ref() {
                return Ok(c.len());
            }
        }
        let n = {
            // Read under the write lock: a save made meanwhile waits, then
            // lands in the loaded list instead of being lost from it.
            let mut guard = self.cache.write().map_err(|_| ServiceError::Store("cache lock poisoned".into()))?;
            if guard.is_none() {
                *guard = Some(ClientCache::from_store(&self.store)?);
            }
            guard.as_ref().map(|c| c.len()).unwrap_or(0)
        };
        // Complaints too, so the Complaints tab opens without a wait, and
        // the names and posts every roster view looks up.
        self.complaint_cache(|_| ())?;
        self.with_promises(|_| ())?;
        self.with_cache(|c| c.warm(&super::query::ClientSort::ALL))?;
        self.complaint_cache(|c| c.warm(&super::complaints::ComplaintSort::ALL))?;
        self.warm_roster_refs()?;
        crate::memory::release_freed();
        Ok(n)
    }

    fn is_loaded(&self) -> bool {
        self.cache.read().map(|g| g.is_some()).unwrap_or(false)
    }

    fn list_clients(&self, query: &ClientQuery) -> Result<ClientPage> {
        let promised = match query.focus {
            Some(ClientFocus::PromiseOverdue) => self.clients_with_overdue_promises()?,
            _ => Default::default(),
        };
        let facts = FocusFacts { today: self.clock.today(), promised: &promised };
        self.with_cache(|c| query_clients(c, query, &facts))
    }

    fn client_file(&self, id: u64) -> Result<ClientFile> {
        let client = self.store.get::<Client>(id)?.ok_or(ServiceError::NotFound)?;
        let visits = self.store.visits_of(id)?;
        Ok(ClientFile { client, visits })
    }

    fn create_client(&self, actor: &str, draft: ClientDraft) -> Result<Client> {
        self.create_client_at(actor, draft, self.clock.now())
    }

    fn update_client(&self, actor: &str, id: u64, version: u64, draft: ClientDraft) -> Result<Client> {
        let draft = draft.cleaned();
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.clock.now();
        let today = self.clock.today();
        let client = self.store.write(|tx| {
            let Some(mut c) = tx.get::<Client>(id)? else {
                return abort(StoreError::NotFound { kind: "client", id });
            };
            // A rating changed in the form is a review too: who, when, from → to.
            if c.meta.version == version && c.draft.rating != draft.rating {
                c.reviews.push(RatingReview {
                    date: today,
                    from: c.draft.rating,
                    to: draft.rating,
                    by: actor.to_string(),
                    reason: String::new(),
                });
            }
            c.draft = draft.clone();
            c.meta.version = version;
            tx.update(actor, now, c)
        })?;
        self.cache_put(&client);
        Ok(client)
    }

    fn review_rating(&self, actor: &str, id: u64, version: u64, to: Rating, reason: &str) -> Result<Client> {
        self.review_rating_on(actor, id, version, to, reason, self.clock.today())
    }

    fn add_visit(&self, actor: &str, client_id: u64, draft: VisitDraft) -> Result<Visit> {
        self.add_visit_at(actor, client_id, draft, self.clock.now())
    }

    fn set_promise_done(&self, actor: &str, visit_id: u64, version: u64, promise: usize, done: bool) -> Result<Visit> {
        let today = self.clock.today();
        let visit = self.store.write(|tx| {
            let Some(mut v) = tx.get::<Visit>(visit_id)? else {
                return abort(StoreError::NotFound { kind: "visit", id: visit_id });
            };
            v.meta.version = version;
            let Some(p) = v.draft.promises.get_mut(promise) else {
                return abort(StoreError::NotFound { kind: "promise", id: promise as u64 });
            };
            p.done = done.then_some(today);
            tx.update(actor, self.clock.now(), v)
        })?;
        self.promise_put(&visit);
        Ok(visit)
    }

    fn client_count(&self) -> Result<usize> {
        Ok(self.store.count::<Client>())
    }

    fn load_demo(&self, actor: &str) -> Result<super::demo::DemoCounts> {
        super::demo::load(self, actor, self.clock.today())
    }

    fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    fn local_now(&self) -> chrono::NaiveDateTime {
        self.clock.local_now()
    }

    // Complaints: the inherent methods in `complaints.rs` do the work.
    fn list_complaints(&self, query: &ComplaintQuery) -> Result<ComplaintPage> {
        Service::list_complaints(self, query)
    }
    fn complaint_file(&self, id: u64) -> Result<ComplaintFile> {
        Service::complaint_file(self, id)
    }
    fn register_complaint(&self, actor: &str, draft: ComplaintDraft) -> Result<Complaint> {
        Service::register_complaint(self, actor, draft)
    }
    fn edit_complaint(&self, actor: &str, id: u64, version: u64, draft: ComplaintDraft) -> Result<Complaint> {
        Service::edit_complaint(self, actor, id, version, draft)
    }
    fn complaint_step(&self, actor: &str, id: u64, version: u64, step: Step) -> Result<Complaint> {
        Service::complaint_step(self, actor, id, version, step)
    }
    fn complaints_of_client(&self, client_id: u64) -> Result<Vec<Complaint>> {
        Service::complaints_of_client(self, client_id)
    }
    fn logistics(&self, query: &super::logistics::LogisticsQuery) -> Result<super::logistics::LogisticsData> {
        self.logistics_query(query)
    }
    fn logistics_do(&self, actor: &str, command: super::logistics::LogisticsCommand) -> Result<super::logistics::LogisticsData> {
        self.logistics_command(actor, command)
    }
    fn overview(&self, wait: bool) -> Result<super::overview::Overview> {
        self.overview_for(&|_| true, wait)
    }
    fn month_report(&self, month: NaiveDate) -> Result<super::report::MonthReport> {
        self.month_report_for(&|_| true, month)
    }
    fn duty(&self, query: &super::duty::DutyQuery) -> Result<super::duty::DutyData> {
        self.duty_query(query)
    }
    fn duty_do(&self, actor: &str, command: super::duty::DutyCommand) -> Result<super::duty::DutyData> {
        self.duty_command(actor, command)
    }
    fn client_choices(&self) -> Result<Vec<(u64, String)>> {
        self.with_cache(|c| c.items().iter().map(|x| (x.id, format!("{} {}", x.number, x.draft.name))).collect())
    }
    fn may_approve(&self, actor: &str) -> bool {
        Service::may_approve(self, actor)
    }
    fn audit(&self, query: &super::audit::AuditQuery) -> Result<super::audit::AuditPage> {
        Service::audit(self, query)
    }
    fn operators(&self) -> Result<Vec<crate::domain::Operator>> {
        Service::operators(self)
    }
    fn set_operator(&self, actor: &str, account: &str, role: crate::domain::Role, active: bool) -> Result<crate::domain::Operator> {
        Service::set_operator(self, actor, account, role, active)
    }
    fn complaint_stats(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<super::complaint_stats::ComplaintStats> {
        self.complaint_cache(|c| super::complaint_stats::compute(c.items(), from, to))
    }

    fn location(&self) -> String {
        self.store.path().display().to_string()
    }
    fn backup(&self, _actor: &str, path: &std::path::Path, overwrite: bool) -> Result<crate::backup::Summary> {
        crate::backup::write_backup(self.store(), path, overwrite).map_err(ServiceError::Backup)
    }

    fn import_csv(
        &self,
        actor: &str,
        kind: crate::transfer::Kind,
        bytes: Vec<u8>,
        mode: crate::transfer::ImportMode,
        progress: &super::Progress,
    ) -> Result<crate::transfer::ImportReport> {
        Service::import_csv(self, actor, kind, &bytes, mode, &mut |s, d, o| progress(s, d, o))
    }
    fn export_csv(&self, table: crate::transfer::Table, lang: crate::i18n::Lang) -> Result<Vec<u8>> {
        crate::transfer::csv_out::table_bytes(&self.store, table, lang, true).map_err(|e| ServiceError::Store(e.to_string()))
    }
}
