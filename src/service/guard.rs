//! Permissions, checked for every call: an `Api` that acts as one operator
//! and refuses what its role may not do. The server gives each session one.

use super::complaint_stats::ComplaintStats;
use super::demo::DemoCounts;
use super::{Api, ClientFile, ClientPage, ClientQuery, ComplaintFile, ComplaintPage, ComplaintQuery, Result, Service, ServiceError, Step};
use crate::domain::{Client, ClientDraft, Complaint, ComplaintDraft, Contract, Rating, Right, Role, Visit, VisitDraft};
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::Arc;

pub struct Guarded {
    inner: Arc<Service>,
    account: String,
}

impl Guarded {
    /// Act as `account`; refused unless it is an active operator.
    pub fn new(inner: Arc<Service>, account: &str) -> Result<Guarded> {
        inner.operator_for(account)?;
        Ok(Guarded { inner, account: account.to_string() })
    }

    /// The role is read on every call, so a change applies at once.
    fn role(&self) -> Result<Role> {
        Ok(self.inner.operator_for(&self.account)?.role)
    }

    fn check(&self, right: Right) -> Result<Role> {
        let role = self.role()?;
        if role.may(right) {
            Ok(role)
        } else {
            Err(ServiceError::Forbidden { role, right })
        }
    }

    /// A post operator acts only on posts that name its account.
    fn works_post(&self, post_id: u64) -> Result<()> {
        let post = self.inner.store().get::<crate::domain::Post>(post_id)?.ok_or(ServiceError::NotFound)?;
        if post.draft.operators.contains(&self.account) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden { role: self.role()?, right: Right::WorkPost })
        }
    }

    /// Contract terms leave the server only for roles that may read them.
    fn redact(role: Role, mut c: Client) -> Client {
        if !role.may(Right::ReadContracts) {
            c.draft.contract = Contract::default();
        }
        c
    }

    fn redact_page(role: Role, mut p: ClientPage) -> ClientPage {
        p.rows = p.rows.into_iter().map(|c| Self::redact(role, c)).collect();
        p
    }
}

impl Api for Guarded {
    fn first_clients(&self, limit: usize) -> Result<ClientPage> {
        let role = self.check(Right::ReadClients)?;
        Ok(Self::redact_page(role, self.inner.first_clients(limit)?))
    }
    fn preload(&self) -> Result<usize> {
        self.inner.preload()
    }
    fn is_loaded(&self) -> bool {
        self.inner.is_loaded()
    }
    fn list_clients(&self, query: &ClientQuery) -> Result<ClientPage> {
        let role = self.check(Right::ReadClients)?;
        Ok(Self::redact_page(role, self.inner.list_clients(query)?))
    }
    fn client_file(&self, id: u64) -> Result<ClientFile> {
        let role = self.check(Right::ReadClients)?;
        let mut f = Api::client_file(&*self.inner, id)?;
        f.client = Self::redact(role, f.client);
        Ok(f)
    }
    fn create_client(&self, _actor: &str, draft: ClientDraft) -> Result<Client> {
        self.check(Right::EditClients)?;
        self.inner.create_client(&self.account, draft)
    }
    fn update_client(&self, _actor: &str, id: u64, version: u64, draft: ClientDraft) -> Result<Client> {
        self.check(Right::EditClients)?;
        self.inner.update_client(&self.account, id, version, draft)
    }
    fn review_rating(&self, _actor: &str, id: u64, version: u64, to: Rating, reason: &str) -> Result<Client> {
        self.check(Right::EditClients)?;
        self.inner.review_rating(&self.account, id, version, to, reason)
    }
    fn add_visit(&self, _actor: &str, client_id: u64, draft: VisitDraft) -> Result<Visit> {
        self.check(Right::EditClients)?;
        self.inner.add_visit(&self.account, client_id, draft)
    }
    fn set_promise_done(&self, _actor: &str, visit_id: u64, version: u64, promise: usize, done: bool) -> Result<Visit> {
        self.check(Right::EditClients)?;
        self.inner.set_promise_done(&self.account, visit_id, version, promise, done)
    }
    fn client_count(&self) -> Result<usize> {
        self.inner.client_count()
    }
    fn load_demo(&self, _actor: &str) -> Result<DemoCounts> {
        self.check(Right::LoadData)?;
        self.inner.load_demo(&self.account)
    }
    fn today(&self) -> NaiveDate {
        self.inner.today()
    }
    fn local_now(&self) -> NaiveDateTime {
        self.inner.local_now()
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn list_complaints(&self, query: &ComplaintQuery) -> Result<ComplaintPage> {
        self.check(Right::ReadComplaints)?;
        Api::list_complaints(&*self.inner, query)
    }
    fn complaint_file(&self, id: u64) -> Result<ComplaintFile> {
        self.check(Right::ReadComplaints)?;
        Api::complaint_file(&*self.inner, id)
    }
    fn register_complaint(&self, _actor: &str, draft: ComplaintDraft) -> Result<Complaint> {
        self.check(Right::HandleComplaints)?;
        Api::register_complaint(&*self.inner, &self.account, draft)
    }
    fn edit_complaint(&self, _actor: &str, id: u64, version: u64, draft: ComplaintDraft) -> Result<Complaint> {
        self.check(Right::HandleComplaints)?;
        Api::edit_complaint(&*self.inner, &self.account, id, version, draft)
    }
    fn complaint_step(&self, _actor: &str, id: u64, version: u64, step: Step) -> Result<Complaint> {
        match step {
            Step::Investigate { .. } => {
                self.check(Right::Investigate)?;
            }
            // The service checks approval itself, and names who may approve.
            Step::Approve { .. } => {}
            _ => {
                self.check(Right::HandleComplaints)?;
            }
        }
        Api::complaint_step(&*self.inner, &self.account, id, version, step)
    }
    fn complaints_of_client(&self, client_id: u64) -> Result<Vec<Complaint>> {
        self.check(Right::ReadComplaints)?;
        Api::complaints_of_client(&*self.inner, client_id)
    }
    fn client_choices(&self) -> Result<Vec<(u64, String)>> {
        self.check(Right::ReadClients)?;
        self.inner.client_choices()
    }
    fn audit(&self, query: &super::audit::AuditQuery) -> Result<super::audit::AuditPage> {
        self.check(Right::ReadAudit)?;
        self.inner.audit(query)
    }
    fn operators(&self) -> Result<Vec<crate::domain::Operator>> {
        self.check(Right::ManageOperators)?;
        self.inner.operators()
    }
    fn set_operator(&self, _actor: &str, account: &str, role: Role, active: bool) -> Result<crate::domain::Operator> {
        // The service checks the right itself, as this session's account.
        self.inner.set_operator(&self.account, account, role, active)
    }
    fn duty(&self, query: &super::duty::DutyQuery) -> Result<super::duty::DutyData> {
        use super::duty::{DutyData, DutyQuery};
        let role = self.role()?;
        match query {
            // A post operator sees the posts it works and their screens.
            DutyQuery::MyPosts | DutyQuery::PostScreen { .. } if !role.may(Right::ReadRosters) => {
                self.check(Right::WorkPost)?;
                if let DutyQuery::PostScreen { post_id, .. } = query {
                    self.works_post(*post_id)?;
                }
                let data = self.inner.duty_query(query)?;
                Ok(match data {
                    DutyData::Posts(rows) => {
                        DutyData::Posts(rows.into_iter().filter(|r| r.post.draft.operators.contains(&self.account)).collect())
                    }
                    other => other,
                })
            }
            _ => {
                self.check(Right::ReadRosters)?;
                self.inner.duty_query(query)
            }
        }
    }
    fn duty_do(&self, _actor: &str, command: super::duty::DutyCommand) -> Result<super::duty::DutyData> {
        let role = self.check(command.right())?;
        if let (Some(post_id), false) = (command.post_worked(), role.may(Right::ReadRosters)) {
            self.works_post(post_id)?;
        }
        self.inner.duty_command(&self.account, command)
    }
    fn logistics(&self, query: &super::logistics::LogisticsQuery) -> Result<super::logistics::LogisticsData> {
        self.check(Right::DormVehicles)?;
        self.inner.logistics_query(query)
    }
    fn logistics_do(&self, _actor: &str, command: super::logistics::LogisticsCommand) -> Result<super::logistics::LogisticsData> {
        self.check(Right::DormVehicles)?;
        self.inner.logistics_command(&self.account, command)
    }
    fn overview(&self, wait: bool) -> Result<super::overview::Overview> {
        let role = self.role()?;
        self.inner.overview_for(&|r| role.may(r), wait)
    }
    fn month_report(&self, month: NaiveDate) -> Result<super::report::MonthReport> {
        let role = self.role()?;
        self.inner.month_report_for(&|r| role.may(r), month)
    }
    fn import_csv(
        &self,
        _actor: &str,
        kind: crate::transfer::Kind,
        bytes: Vec<u8>,
        mode: crate::transfer::ImportMode,
        progress: &super::Progress,
    ) -> Result<crate::transfer::ImportReport> {
        self.check(kind.right())?;
        self.inner.import_csv(&self.account, kind, &bytes, mode, &mut |s, d, o| progress(s, d, o))
    }
    fn export_csv(&self, table: crate::transfer::Table, lang: crate::i18n::Lang) -> Result<Vec<u8>> {
        let role = self.check(table.right())?;
        // Contract terms only for roles that may read them.
        crate::transfer::csv_out::table_bytes(self.inner.store(), table, lang, role.may(Right::ReadContracts))
            .map_err(|e| ServiceError::Store(e.to_string()))
    }
    fn can(&self, right: Right) -> bool {
        self.role().is_ok_and(|r| r.may(right))
    }
    fn may_approve(&self, _actor: &str) -> bool {
        self.role().is_ok_and(|r| r.may(Right::Approve))
    }
    fn complaint_stats(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<ComplaintStats> {
        self.check(Right::ReadComplaints)?;
        self.inner.complaint_stats(from, to)
    }
    fn backup(&self, _actor: &str, path: &std::path::Path, overwrite: bool) -> Result<crate::backup::Summary> {
        self.check(Right::Backup)?;
        let summary = self.inner.backup(&self.account, path, overwrite)?;
        tracing::info!(account = %self.account, path = %path.display(), "backup written for an operator");
        Ok(summary)
    }
}
