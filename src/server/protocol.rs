//! The wire protocol: length-prefixed frames, each a versioned envelope from
//! the store's codec. One request, one response; the first exchange is a
//! version handshake.

use crate::domain::{Client, ClientDraft, Complaint, ComplaintDraft, Rating, Visit, VisitDraft};
use crate::service::complaint_stats::ComplaintStats;
use crate::service::demo::DemoCounts;
use crate::service::{ClientFile, ClientPage, ClientQuery, ComplaintFile, ComplaintPage, ComplaintQuery, ServiceError, Step};
use crate::store::codec;
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::io::{Read, Write};

/// Bumped whenever a request or reply changes shape.
pub const PROTOCOL_VERSION: u16 = 4;
/// No frame may be larger: a malformed length cannot make the reader allocate without bound.
pub const MAX_FRAME: usize = 64 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    Hello {
        protocol: u16,
        app: String,
    },
    FirstClients(usize),
    Preload,
    IsLoaded,
    ListClients(ClientQuery),
    ClientFile(u64),
    CreateClient(ClientDraft),
    UpdateClient {
        id: u64,
        version: u64,
        draft: ClientDraft,
    },
    ReviewRating {
        id: u64,
        version: u64,
        to: Rating,
        reason: String,
    },
    AddVisit {
        client_id: u64,
        draft: VisitDraft,
    },
    SetPromiseDone {
        visit_id: u64,
        version: u64,
        promise: usize,
        done: bool,
    },
    ClientCount,
    LoadDemo,
    ListComplaints(ComplaintQuery),
    ComplaintFile(u64),
    RegisterComplaint(ComplaintDraft),
    EditComplaint {
        id: u64,
        version: u64,
        draft: ComplaintDraft,
    },
    ComplaintStep {
        id: u64,
        version: u64,
        step: Step,
    },
    ComplaintsOfClient(u64),
    ClientChoices,
    MayApprove,
    ComplaintStats {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Audit(crate::service::audit::AuditQuery),
    Can(crate::domain::Right),
    Operators,
    SetOperator {
        account: String,
        role: crate::domain::Role,
        active: bool,
    },
    Duty(crate::service::duty::DutyQuery),
    DutyDo(crate::service::duty::DutyCommand),
    Logistics(crate::service::logistics::LogisticsQuery),
    LogisticsDo(crate::service::logistics::LogisticsCommand),
    Overview {
        wait: bool,
    },
    MonthReport(NaiveDate),
    // Write a backup to this absolute path on the server's machine.
    Backup {
        path: std::path::PathBuf,
        overwrite: bool,
    },
    /// A CSV file to check and, unless previewing, import.
    ImportCsv {
        kind: crate::transfer::Kind,
        bytes: Vec<u8>,
        mode: crate::transfer::ImportMode,
    },
    ExportCsv {
        table: crate::transfer::Table,
        lang: crate::i18n::Lang,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    Unit,
    Count(usize),
    Bool(bool),
    ClientPage(ClientPage),
    ClientFile(Box<ClientFile>),
    Client(Box<Client>),
    Visit(Box<Visit>),
    Demo(DemoCounts),
    ComplaintPage(ComplaintPage),
    ComplaintFile(Box<ComplaintFile>),
    Complaint(Box<Complaint>),
    Complaints(Vec<Complaint>),
    Choices(Vec<(u64, String)>),
    Stats(Box<ComplaintStats>),
    Audit(crate::service::audit::AuditPage),
    Operators(Vec<crate::domain::Operator>),
    Operator(Box<crate::domain::Operator>),
    /// What a roster query read.
    Duty(Box<crate::service::duty::DutyData>),
    /// What a roster command wrote (other sessions hear of it).
    DutyDone(Box<crate::service::duty::DutyData>),
    Logistics(Box<crate::service::logistics::LogisticsData>),
    /// What a dorm or vehicle command wrote (other sessions hear of it).
    LogisticsDone(Box<crate::service::logistics::LogisticsData>),
    Overview(Box<crate::service::overview::Overview>),
    MonthReport(Box<crate::service::report::MonthReport>),
    Backup(Box<crate::backup::Summary>),
    /// What an import found (and stored: other sessions hear of it when it stored rows).
    Imported(Box<crate::transfer::ImportReport>),
    Csv(Vec<u8>),
}

/// What changed, pushed to every other session after a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// "client", "complaint", "operator", "duty" (any roster record),
    /// "logistics" (any dorm or vehicle record) or "all".
    pub kind: String,
    pub id: u64,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// Pushed by the server, not an answer: someone else changed a record.
    Changed(Change),
    /// The handshake went through; this is who the server knows you as.
    Welcome {
        operator: String,
        protocol: u16,
    },
    /// The connection is refused, with a sentence saying why.
    Refused(String),
    Ok(Reply),
    Err(ServiceError),
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the connection closed")]
    Closed,
    #[error("a frame of {0} bytes is over the limit")]
    TooLarge(usize),
    #[error("a malformed frame: {0}")]
    Malformed(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub fn write_frame<T: Serialize>(w: &mut impl Write, value: &T) -> Result<(), FrameError> {
    let body = codec::encode(PROTOCOL_VERSION, value);
    if body.len() > MAX_FRAME {
        return Err(FrameError::TooLarge(body.len()));
    }
    w.write_all(&(body.len() as u32).to_le_bytes())?;
    w.write_all(&body)?;
    w.flush()?;
    Ok(())
}

pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> Result<T, FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(|e| if e.kind() == std::io::ErrorKind::UnexpectedEof { FrameError::Closed } else { e.into() })?;
    codec::decode(PROTOCOL_VERSION, &body).map_err(|e| FrameError::Malformed(e.to_string()))
}
