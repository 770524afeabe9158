//! The operations users perform, as one API with plain data in and out.
//!
//! `Api` is what the UI (and later the server) talks to; `Service` is the
//! in-process implementation over the store. The acting operator is an
//! argument of every command.

pub mod audit;
mod clients;
mod clock;
mod complaint_row;
pub mod complaint_stats;
pub mod complaints;
pub mod demo;
mod demo_logistics;
mod demo_rosters;
pub mod duty;
mod error;
pub mod generate;
pub mod generate_logistics;
pub mod generate_rosters;
pub mod guard;
pub mod import;
mod list_cache;
pub mod logistics;
mod operators;
pub mod overview;
mod query;
pub mod report;

pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use complaints::{ComplaintCounts, ComplaintFile, ComplaintFocus, ComplaintPage, ComplaintQuery, ComplaintRow, ComplaintSort, Step};
pub use error::ServiceError;
pub use query::{ClientFocus, ClientPage, ClientQuery, ClientSort};

use crate::domain::{Client, ClientDraft, DueRule, Rating, Visit, VisitDraft};
use crate::store::Store;
use chrono::NaiveDate;
use std::sync::{Arc, RwLock};

pub type Result<T> = std::result::Result<T, ServiceError>;

/// Told how far a long call got: (stage, done, of). Over the server it is
/// not called: the answer comes whole.
pub type Progress = dyn Fn(import::Stage, u64, u64) + Sync;

/// Everything about one client that its detail pane shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientFile {
    pub client: Client,
    /// Newest first.
    pub visits: Vec<Visit>,
}

pub trait Api: Send + Sync {
    /// The first clients in number order, read straight from the store so
    /// the first frame does not wait for the whole set.
    fn first_clients(&self, limit: usize) -> Result<ClientPage>;
    /// Read every client into memory so filter and sort cover them all.
    fn preload(&self) -> Result<usize>;
    fn is_loaded(&self) -> bool;
    fn list_clients(&self, query: &ClientQuery) -> Result<ClientPage>;
    fn client_file(&self, id: u64) -> Result<ClientFile>;
    fn create_client(&self, actor: &str, draft: ClientDraft) -> Result<Client>;
    /// `version` is the version the operator started editing from.
    fn update_client(&self, actor: &str, id: u64, version: u64, draft: ClientDraft) -> Result<Client>;
    /// A quarterly review (季度评审): records old → new rating, who and why.
    fn review_rating(&self, actor: &str, id: u64, version: u64, to: Rating, reason: &str) -> Result<Client>;
    fn add_visit(&self, actor: &str, client_id: u64, draft: VisitDraft) -> Result<Visit>;
    fn set_promise_done(&self, actor: &str, visit_id: u64, version: u64, promise: usize, done: bool) -> Result<Visit>;
    fn client_count(&self) -> Result<usize>;
    /// Load the demo set from `data/`; returns (clients, visits).
    fn load_demo(&self, actor: &str) -> Result<demo::DemoCounts>;
    fn today(&self) -> NaiveDate;
    /// Local wall-clock time (complaint times are local).
    fn local_now(&self) -> chrono::NaiveDateTime;

    fn list_complaints(&self, query: &ComplaintQuery) -> Result<ComplaintPage>;
    fn complaint_file(&self, id: u64) -> Result<ComplaintFile>;
    fn register_complaint(&self, actor: &str, draft: crate::domain::ComplaintDraft) -> Result<crate::domain::Complaint>;
    fn edit_complaint(&self, actor: &str, id: u64, version: u64, draft: crate::domain::ComplaintDraft) -> Result<crate::domain::Complaint>;
    fn complaint_step(&self, actor: &str, id: u64, version: u64, step: Step) -> Result<crate::domain::Complaint>;
    fn complaints_of_client(&self, client_id: u64) -> Result<Vec<crate::domain::Complaint>>;
    /// Client numbers and names for pickers, in number order.
    fn client_choices(&self) -> Result<Vec<(u64, String)>>;
    fn may_approve(&self, actor: &str) -> bool;
    /// The audit trail, newest first (admins and managers).
    fn audit(&self, query: &audit::AuditQuery) -> Result<audit::AuditPage>;
    /// Every operator (admins only).
    fn operators(&self) -> Result<Vec<crate::domain::Operator>>;
    /// Add an operator, or change one's role or whether it is active (admins only).
    fn set_operator(&self, actor: &str, account: &str, role: crate::domain::Role, active: bool) -> Result<crate::domain::Operator>;
    /// Whether this session's operator has `right` (embedded without a guard: yes).
    fn can(&self, right: crate::domain::Right) -> bool {
        let _ = right;
        true
    }
    /// Statistics of complaints received in the period.
    fn complaint_stats(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<complaint_stats::ComplaintStats>;
    /// Where the data lives, for the status line.
    fn location(&self) -> String;
    /// Records other sessions changed since the last call (server mode);
    /// an embedded store has no other sessions.
    fn take_changes(&self) -> Vec<(String, u64)> {
        Vec::new()
    }
    /// Staff, posts, rosters and attendance: read.
    fn duty(&self, query: &duty::DutyQuery) -> Result<duty::DutyData>;
    /// Staff, posts, rosters and attendance: change.
    fn duty_do(&self, actor: &str, command: duty::DutyCommand) -> Result<duty::DutyData>;
    /// Dorm rooms and checks, vehicles, trips and accidents: read.
    fn logistics(&self, query: &logistics::LogisticsQuery) -> Result<logistics::LogisticsData>;
    /// Dorm rooms and checks, vehicles, trips and accidents: change.
    fn logistics_do(&self, actor: &str, command: logistics::LogisticsCommand) -> Result<logistics::LogisticsData>;
    /// What needs doing today: the lines this operator may act on. With
    /// `wait` false, counts over lists still loading are left open.
    fn overview(&self, wait: bool) -> Result<overview::Overview>;
    /// The department's report of `month`'s month (the parts this operator may read).
    fn month_report(&self, month: NaiveDate) -> Result<report::MonthReport>;
    /// Read a CSV file of `kind` and, unless previewing, store its good rows
    /// in one transaction (needs the right to edit that kind).
    fn import_csv(
        &self,
        actor: &str,
        kind: crate::transfer::Kind,
        bytes: Vec<u8>,
        mode: crate::transfer::ImportMode,
        progress: &Progress,
    ) -> Result<crate::transfer::ImportReport>;
    /// A table as CSV, UTF-8 with BOM, its header in `lang` (needs the right to read it).
    fn export_csv(&self, table: crate::transfer::Table, lang: crate::i18n::Lang) -> Result<Vec<u8>>;
    /// The connection to the server dropped and is being made again.
    fn reconnecting(&self) -> bool {
        false
    }
    /// Write a backup of the whole database to `path`, an absolute path on
    /// the machine that holds the database (admins only).
    fn backup(&self, actor: &str, path: &std::path::Path, overwrite: bool) -> Result<crate::backup::Summary>;
}

/// Department rules that vary by company: who approves, how due dates count.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// OS accounts with the manager's right to approve deductions (核决权限).
    pub managers: Vec<String>,
    pub due: DueRule,
    pub duty: duty::DutyRules,
}

pub struct Service {
    store: Store,
    clock: Box<dyn Clock>,
    cache: RwLock<Option<query::ClientCache>>,
    complaints: RwLock<Option<complaints::ComplaintCache>>,
    complaint_counts: std::sync::Mutex<Option<complaints::CountsMemo>>,
    /// Open promises of every visit, for the Overview and its client filter.
    promises: RwLock<Option<overview::PromiseIndex>>,
    managers: Vec<String>,
    pub(crate) due_rule: DueRule,
    pub(crate) duty_rules: duty::DutyRules,
    /// Roster writes check rules across records; one at a time.
    roster_lock: std::sync::Mutex<()>,
    /// Posts, client and staff names the roster views share (see `duty`).
    roster_refs: duty::RefsCache,
}

impl Service {
    pub fn new(store: Store, clock: Box<dyn Clock>) -> Arc<Service> {
        Service::with_policy(store, clock, Policy::default())
    }

    pub fn with_policy(store: Store, clock: Box<dyn Clock>, policy: Policy) -> Arc<Service> {
        Arc::new(Service {
            store,
            clock,
            cache: RwLock::new(None),
            complaints: RwLock::new(None),
            complaint_counts: std::sync::Mutex::new(None),
            promises: RwLock::new(None),
            managers: policy.managers,
            due_rule: policy.due,
            duty_rules: policy.duty,
            roster_lock: std::sync::Mutex::new(()),
            roster_refs: duty::RefsCache::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
