//! The client side: an `Api` whose every call goes to the server.

use super::protocol::{read_frame, write_frame, Change, FrameError, Reply, Request, Response, MAX_FRAME, PROTOCOL_VERSION};
use crate::domain::{Client, ClientDraft, Complaint, ComplaintDraft, Rating, Visit, VisitDraft};
use crate::service::complaint_stats::ComplaintStats;
use crate::service::demo::DemoCounts;
use crate::service::{Api, ClientFile, ClientPage, ClientQuery, ComplaintFile, ComplaintPage, ComplaintQuery, Result, ServiceError, Step};
use chrono::{NaiveDate, NaiveDateTime};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, Weak};
use std::time::{Duration, Instant};

pub struct RemoteApi {
    shared: Arc<Shared>,
    /// The account the server knows this session as.
    pub operator: String,
}

/// What the session and its background threads share.
struct Shared {
    /// Held for a whole request and its answer, so answers match requests.
    conn: Mutex<Conn>,
    changes: Mutex<Vec<Change>>,
    path: PathBuf,
    /// The connection dropped and a background thread is reaching the server again.
    reconnecting: AtomicBool,
    /// Bumped by every (re)connection, so a waiting call knows a new one is up.
    generation: AtomicU64,
}

impl Drop for Shared {
    /// Close the connection so its reader thread ends too.
    fn drop(&mut self) {
        if let Ok(c) = self.conn.lock() {
            let _ = c.writer.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// One connection: where requests go and where their answers come back (from
/// the reader thread, which also collects pushed changes).
struct Conn {
    writer: UnixStream,
    answers: mpsc::Receiver<Response>,
}

/// How long a call waits for a restarting server before giving up.
const RECONNECT_FOR: Duration = Duration::from_secs(15);

fn handshake(path: &Path) -> anyhow::Result<(UnixStream, String)> {
    let mut stream =
        UnixStream::connect(path).map_err(|e| anyhow::anyhow!("cannot reach the guardroom server at {} ({e})", path.display()))?;
    write_frame(&mut stream, &Request::Hello { protocol: PROTOCOL_VERSION, app: env!("CARGO_PKG_VERSION").into() })?;
    match read_frame::<Response>(&mut stream)? {
        Response::Welcome { operator, .. } => Ok((stream, operator)),
        Response::Refused(why) => anyhow::bail!("the guardroom server refused the connection: {why}"),
        other => anyhow::bail!("the guardroom server answered the handshake with {other:?}"),
    }
}

/// Start reading a connection's frames; returns its half for requests.
fn attach(stream: UnixStream, shared: Weak<Shared>) -> std::io::Result<Conn> {
    let (tx, rx) = mpsc::channel();
    let reader = stream.try_clone()?;
    std::thread::spawn(move || read_loop(reader, tx, shared));
    Ok(Conn { writer: stream, answers: rx })
}

/// Read every frame the server sends: changes pushed by other sessions are
/// kept for the UI, answers are handed to the waiting call. When the server
/// goes away, reach it again in the background.
fn read_loop(mut stream: UnixStream, answers: mpsc::Sender<Response>, shared: Weak<Shared>) {
    while let Ok(frame) = read_frame::<Response>(&mut stream) {
        match frame {
            Response::Changed(c) => {
                // (Not yet, or no longer, a session to tell: drop it.)
                if let Some(s) = shared.upgrade() {
                    if let Ok(mut v) = s.changes.lock() {
                        v.push(c);
                    }
                }
            }
            other => {
                if answers.send(other).is_err() {
                    return;
                }
            }
        }
    }
    drop(answers);
    reconnect_in_background(shared);
}

fn reconnect_in_background(shared: Weak<Shared>) {
    let Some(s) = shared.upgrade() else { return };
    s.reconnecting.store(true, Ordering::Relaxed);
    drop(s);
    std::thread::spawn(move || loop {
        // Stop when the session itself is gone.
        let Some(s) = shared.upgrade() else { return };
        if let Ok((stream, _)) = handshake(&s.path) {
            if let Ok(conn) = attach(stream, Weak::clone(&shared)) {
                if let Ok(mut c) = s.conn.lock() {
                    *c = conn;
                }
                // What changed meanwhile is unknown: have everything refreshed.
                if let Ok(mut v) = s.changes.lock() {
                    v.push(Change { kind: "all".into(), id: 0, by: String::new() });
                }
                s.generation.fetch_add(1, Ordering::Relaxed);
                s.reconnecting.store(false, Ordering::Relaxed);
                tracing::info!("reconnected to the server");
                return;
            }
        }
        drop(s);
        std::thread::sleep(Duration::from_millis(200));
    });
}

/// Requests that change nothing may simply be sent again after a reconnect.
fn read_only(r: &Request) -> bool {
    !r.work().changes_data()
}

impl RemoteApi {
    /// Connect and shake hands; a refusal comes back as its sentence.
    pub fn connect(path: &Path) -> anyhow::Result<RemoteApi> {
        let (stream, operator) = handshake(path)?;
        let reader = stream.try_clone()?;
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new_cyclic(|weak: &Weak<Shared>| {
            // The reader thread holds the shared state weakly, so it can start here.
            let w = Weak::clone(weak);
            std::thread::spawn(move || read_loop(reader, tx, w));
            Shared {
                conn: Mutex::new(Conn { writer: stream, answers: rx }),
                changes: Mutex::new(Vec::new()),
                path: path.to_path_buf(),
                reconnecting: AtomicBool::new(false),
                generation: AtomicU64::new(0),
            }
        });
        Ok(RemoteApi { shared, operator })
    }

    /// One try on the current connection: the answer, or why there is none.
    fn attempt(&self, request: &Request) -> std::result::Result<Response, Failed> {
        let conn = match self.shared.conn.lock() {
            Ok(c) => c,
            Err(_) => return Err(Failed::NotSent),
        };
        match write_frame(&mut &conn.writer, request) {
            Ok(()) => {}
            // Refused before a byte went out: the connection is as it was.
            Err(FrameError::TooLarge(n)) => return Err(Failed::TooLarge(n)),
            Err(_) => return Err(Failed::NotSent),
        }
        conn.answers.recv().map_err(|_| Failed::NoAnswer)
    }

    fn call(&self, request: Request) -> Result<Reply> {
        let lost = || ServiceError::Store("the server cannot be reached; your input is kept — try again when it is back".into());
        let generation = self.shared.generation.load(Ordering::Relaxed);
        let answer = match self.attempt(&request) {
            Ok(a) => a,
            Err(Failed::TooLarge(n)) => return Err(ServiceError::TooLarge { bytes: n as u64, limit: MAX_FRAME as u64 }),
            Err(failed) => {
                let sent = matches!(failed, Failed::NoAnswer);
                // The server went away. A request it never received, or one
                // that changes nothing, is sent again once reconnected; a
                // change whose answer was lost is not, so it cannot be stored twice.
                let until = Instant::now() + RECONNECT_FOR;
                while self.shared.generation.load(Ordering::Relaxed) == generation && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(50));
                }
                if self.shared.generation.load(Ordering::Relaxed) == generation {
                    return Err(lost());
                }
                if sent && !read_only(&request) {
                    return Err(ServiceError::Store(
                        "the server restarted while saving; check whether the change is there, and save again if not — your input is kept"
                            .into(),
                    ));
                }
                self.attempt(&request).map_err(|_| lost())?
            }
        };
        match answer {
            Response::Ok(reply) => Ok(reply),
            Response::Err(e) => Err(e),
            other => Err(ServiceError::Store(format!("unexpected answer from the server: {other:?}"))),
        }
    }
}

/// Why a try brought no answer.
enum Failed {
    /// The request did not go out (the connection was down).
    NotSent,
    /// It went out and the connection dropped before the answer.
    NoAnswer,
    /// It is over the frame limit and was not sent.
    TooLarge(usize),
}

fn unexpected(r: Reply) -> ServiceError {
    ServiceError::Store(format!("unexpected answer from the server: {r:?}"))
}

macro_rules! expect {
    ($reply:expr, $variant:ident) => {
        match $reply? {
            Reply::$variant(v) => Ok(v),
            other => Err(unexpected(other)),
        }
    };
    ($reply:expr, box $variant:ident) => {
        match $reply? {
            Reply::$variant(v) => Ok(*v),
            other => Err(unexpected(other)),
        }
    };
}

impl Api for RemoteApi {
    fn first_clients(&self, limit: usize) -> Result<ClientPage> {
        expect!(self.call(Request::FirstClients(limit)), ClientPage)
    }
    fn preload(&self) -> Result<usize> {
        expect!(self.call(Request::Preload), Count)
    }
    fn is_loaded(&self) -> bool {
        matches!(self.call(Request::IsLoaded), Ok(Reply::Bool(true)))
    }
    fn list_clients(&self, query: &ClientQuery) -> Result<ClientPage> {
        expect!(self.call(Request::ListClients(query.clone())), ClientPage)
    }
    fn client_file(&self, id: u64) -> Result<ClientFile> {
        expect!(self.call(Request::ClientFile(id)), box ClientFile)
    }
    // The acting operator is the socket peer's account: `_actor` is not sent.
    fn create_client(&self, _actor: &str, draft: ClientDraft) -> Result<Client> {
        expect!(self.call(Request::CreateClient(draft)), box Client)
    }
    fn update_client(&self, _actor: &str, id: u64, version: u64, draft: ClientDraft) -> Result<Client> {
        expect!(self.call(Request::UpdateClient { id, version, draft }), box Client)
    }
    fn review_rating(&self, _actor: &str, id: u64, version: u64, to: Rating, reason: &str) -> Result<Client> {
        expect!(self.call(Request::ReviewRating { id, version, to, reason: reason.into() }), box Client)
    }
    fn add_visit(&self, _actor: &str, client_id: u64, draft: VisitDraft) -> Result<Visit> {
        expect!(self.call(Request::AddVisit { client_id, draft }), box Visit)
    }
    fn set_promise_done(&self, _actor: &str, visit_id: u64, version: u64, promise: usize, done: bool) -> Result<Visit> {
        expect!(self.call(Request::SetPromiseDone { visit_id, version, promise, done }), box Visit)
    }
    fn client_count(&self) -> Result<usize> {
        expect!(self.call(Request::ClientCount), Count)
    }
    fn load_demo(&self, _actor: &str) -> Result<DemoCounts> {
        expect!(self.call(Request::LoadDemo), Demo)
    }
    // Sessions run on the server's own machine (over SSH), so its clock is
    // this one; asking it would cost a round trip on every frame drawn.
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
    fn local_now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
    fn location(&self) -> String {
        format!("server {}", self.shared.path.display())
    }
    fn reconnecting(&self) -> bool {
        self.shared.reconnecting.load(Ordering::Relaxed)
    }
    fn take_changes(&self) -> Vec<(String, u64)> {
        match self.shared.changes.lock() {
            Ok(mut v) => v.drain(..).map(|c| (c.kind, c.id)).collect(),
            Err(_) => Vec::new(),
        }
    }
    fn list_complaints(&self, query: &ComplaintQuery) -> Result<ComplaintPage> {
        expect!(self.call(Request::ListComplaints(query.clone())), ComplaintPage)
    }
    fn complaint_file(&self, id: u64) -> Result<ComplaintFile> {
        expect!(self.call(Request::ComplaintFile(id)), box ComplaintFile)
    }
    fn register_complaint(&self, _actor: &str, draft: ComplaintDraft) -> Result<Complaint> {
        expect!(self.call(Request::RegisterComplaint(draft)), box Complaint)
    }
    fn edit_complaint(&self, _actor: &str, id: u64, version: u64, draft: ComplaintDraft) -> Result<Complaint> {
        expect!(self.call(Request::EditComplaint { id, version, draft }), box Complaint)
    }
    fn complaint_step(&self, _actor: &str, id: u64, version: u64, step: Step) -> Result<Complaint> {
        expect!(self.call(Request::ComplaintStep { id, version, step }), box Complaint)
    }
    fn complaints_of_client(&self, client_id: u64) -> Result<Vec<Complaint>> {
        expect!(self.call(Request::ComplaintsOfClient(client_id)), Complaints)
    }
    fn client_choices(&self) -> Result<Vec<(u64, String)>> {
        expect!(self.call(Request::ClientChoices), Choices)
    }
    fn audit(&self, query: &crate::service::audit::AuditQuery) -> Result<crate::service::audit::AuditPage> {
        expect!(self.call(Request::Audit(query.clone())), Audit)
    }
    fn operators(&self) -> Result<Vec<crate::domain::Operator>> {
        expect!(self.call(Request::Operators), Operators)
    }
    fn set_operator(&self, _actor: &str, account: &str, role: crate::domain::Role, active: bool) -> Result<crate::domain::Operator> {
        expect!(self.call(Request::SetOperator { account: account.into(), role, active }), box Operator)
    }
    fn can(&self, right: crate::domain::Right) -> bool {
        matches!(self.call(Request::Can(right)), Ok(Reply::Bool(true)))
    }
    fn may_approve(&self, _actor: &str) -> bool {
        matches!(self.call(Request::MayApprove), Ok(Reply::Bool(true)))
    }
    fn complaint_stats(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<ComplaintStats> {
        expect!(self.call(Request::ComplaintStats { from, to }), box Stats)
    }
    fn duty(&self, query: &crate::service::duty::DutyQuery) -> Result<crate::service::duty::DutyData> {
        expect!(self.call(Request::Duty(query.clone())), box Duty)
    }
    fn duty_do(&self, _actor: &str, command: crate::service::duty::DutyCommand) -> Result<crate::service::duty::DutyData> {
        expect!(self.call(Request::DutyDo(command)), box DutyDone)
    }
    fn overview(&self, wait: bool) -> Result<crate::service::overview::Overview> {
        expect!(self.call(Request::Overview { wait }), box Overview)
    }
    fn month_report(&self, month: chrono::NaiveDate) -> Result<crate::service::report::MonthReport> {
        expect!(self.call(Request::MonthReport(month)), box MonthReport)
    }
    fn logistics(&self, query: &crate::service::logistics::LogisticsQuery) -> Result<crate::service::logistics::LogisticsData> {
        expect!(self.call(Request::Logistics(query.clone())), box Logistics)
    }
    fn logistics_do(
        &self,
        _actor: &str,
        command: crate::service::logistics::LogisticsCommand,
    ) -> Result<crate::service::logistics::LogisticsData> {
        expect!(self.call(Request::LogisticsDo(command)), box LogisticsDone)
    }
    fn backup(&self, _actor: &str, path: &Path, overwrite: bool) -> Result<crate::backup::Summary> {
        expect!(self.call(Request::Backup { path: path.to_path_buf(), overwrite }), box Backup)
    }
    fn import_csv(
        &self,
        _actor: &str,
        kind: crate::transfer::Kind,
        bytes: Vec<u8>,
        mode: crate::transfer::ImportMode,
        _progress: &crate::service::Progress,
    ) -> Result<crate::transfer::ImportReport> {
        expect!(self.call(Request::ImportCsv { kind, bytes, mode }), box Imported)
    }
    fn export_csv(&self, table: crate::transfer::Table, lang: crate::i18n::Lang) -> Result<Vec<u8>> {
        expect!(self.call(Request::ExportCsv { table, lang }), Csv)
    }
}
