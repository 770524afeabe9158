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
pub const PROTOCOL_VERSION: u16 = 5;
/// No frame may be larger. The largest legitimate request is a CSV import
/// (files up to 16 MB), which leaves room to spare; a larger frame is
/// refused with a sentence on either side.
pub const MAX_FRAME: usize = 64 << 20;
const _: () = assert!(crate::transfer::MAX_IMPORT_BYTES as usize + (1 << 20) < MAX_FRAME, "a CSV import must fit in one frame");
/// What the reader sets aside before the bytes arrive: a claimed length
/// costs memory only as the peer actually sends it.
const READ_CHUNK: usize = 1 << 20;

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

/// What a request asks of the server: which ones wait at its gate (see
/// `server::gate`), and which may never be sent twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// An answer at once (a flag, a count), or the load every session waits
    /// for anyway.
    Instant,
    /// A search, a file, a report: CPU work, through the gate.
    Read,
    /// A change to a few records: short work, then a wait for the disk.
    Save,
    /// Rare, long work that writes: a backup, an import, the demo set.
    LongWrite,
}

impl Work {
    /// Whether it may change what is stored (or write a file): such a
    /// request is never sent again after a reconnect, lest it happen twice.
    pub fn changes_data(self) -> bool {
        matches!(self, Work::Save | Work::LongWrite)
    }
}

impl Request {
    /// Every request says, so a new one cannot be taken for a read unasked.
    pub fn work(&self) -> Work {
        use crate::transfer::ImportMode;
        use Request as R;
        match self {
            R::Hello { .. } | R::Preload | R::IsLoaded | R::FirstClients(_) | R::ClientCount | R::MayApprove | R::Can(_) => Work::Instant,
            R::ListClients(_)
            | R::ClientFile(_)
            | R::ListComplaints(_)
            | R::ComplaintFile(_)
            | R::ComplaintsOfClient(_)
            | R::ClientChoices
            | R::ComplaintStats { .. }
            | R::Audit(_)
            | R::Operators
            | R::Duty(_)
            | R::Logistics(_)
            | R::Overview { .. }
            | R::MonthReport(_)
            | R::ExportCsv { .. }
            | R::ImportCsv { mode: ImportMode::Preview, .. } => Work::Read,
            R::CreateClient(_)
            | R::UpdateClient { .. }
            | R::ReviewRating { .. }
            | R::AddVisit { .. }
            | R::SetPromiseDone { .. }
            | R::RegisterComplaint(_)
            | R::EditComplaint { .. }
            | R::ComplaintStep { .. }
            | R::SetOperator { .. }
            | R::DutyDo(_)
            | R::LogisticsDo(_) => Work::Save,
            R::LoadDemo | R::Backup { .. } | R::ImportCsv { mode: ImportMode::GoodRows | ImportMode::AllOrNothing, .. } => Work::LongWrite,
        }
    }
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
    let mut body = Vec::with_capacity(len.min(READ_CHUNK));
    r.take(len as u64).read_to_end(&mut body)?;
    if body.len() < len {
        return Err(FrameError::Closed);
    }
    codec::decode(PROTOCOL_VERSION, &body).map_err(|e| FrameError::Malformed(e.to_string()))
}

/// "16.5": bytes as megabytes with one decimal, for the sentences.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

impl FrameError {
    /// What a peer is told when a frame is over the limit.
    pub fn too_large(&self) -> Option<ServiceError> {
        match self {
            FrameError::TooLarge(n) => Some(ServiceError::TooLarge { bytes: *n as u64, limit: MAX_FRAME as u64 }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::{ImportMode, Kind};

    #[test]
    fn only_reads_wait_at_the_gate_and_nothing_that_writes_is_sent_twice() {
        let import = |mode| Request::ImportCsv { kind: Kind::Clients, bytes: vec![], mode };
        let save = Request::UpdateClient { id: 1, version: 1, draft: Default::default() };
        assert_eq!(save.work(), Work::Save);
        for r in [Request::LoadDemo, import(ImportMode::GoodRows), import(ImportMode::AllOrNothing)] {
            assert_eq!(r.work(), Work::LongWrite, "{r:?}");
        }
        for r in [Request::ListClients(Default::default()), Request::Overview { wait: false }, import(ImportMode::Preview)] {
            assert_eq!(r.work(), Work::Read, "{r:?}");
        }
        for r in [Request::IsLoaded, Request::Preload, Request::ClientCount] {
            assert_eq!(r.work(), Work::Instant, "{r:?}");
        }
        let writes = [Work::Save, Work::LongWrite].map(Work::changes_data);
        let others = [Work::Read, Work::Instant].map(Work::changes_data);
        assert_eq!((writes, others), ([true, true], [false, false]));
    }

    #[test]
    fn a_frame_over_the_limit_is_refused_before_anything_is_written_or_read() {
        let mut out = Vec::new();
        let big = Reply::Csv(vec![b'x'; MAX_FRAME + 1]);
        assert!(matches!(write_frame(&mut out, &big), Err(FrameError::TooLarge(n)) if n > MAX_FRAME));
        assert!(out.is_empty(), "nothing of it goes out");
        // A claimed length over the limit is refused from the four length bytes alone.
        let claimed = ((MAX_FRAME + 1) as u32).to_le_bytes();
        let err = read_frame::<Request>(&mut &claimed[..]).unwrap_err();
        assert_eq!(err.too_large(), Some(ServiceError::TooLarge { bytes: MAX_FRAME as u64 + 1, limit: MAX_FRAME as u64 }));
        // A length under the limit with fewer bytes behind it is a closed connection.
        let mut short = 1000u32.to_le_bytes().to_vec();
        short.extend_from_slice(&[0; 10]);
        assert!(matches!(read_frame::<Request>(&mut &short[..]), Err(FrameError::Closed)));
    }

    #[test]
    fn a_sixteen_megabyte_csv_import_fits_in_a_frame() {
        let request = Request::ImportCsv {
            kind: crate::transfer::Kind::Clients,
            bytes: vec![b'a'; crate::transfer::MAX_IMPORT_BYTES as usize],
            mode: crate::transfer::ImportMode::Preview,
        };
        let mut out = Vec::new();
        write_frame(&mut out, &request).unwrap();
        assert!(out.len() as u64 > crate::transfer::MAX_IMPORT_BYTES);
        let back = read_frame::<Request>(&mut &out[..]).unwrap();
        assert!(matches!(back, Request::ImportCsv { bytes, .. } if bytes.len() as u64 == crate::transfer::MAX_IMPORT_BYTES));
    }
}
