//! The client side: an `Api` whose every call goes to the server.

use super::protocol::{read_frame, write_frame, Change, Reply, Request, Response, PROTOCOL_VERSION};
use crate::domain::{Client, ClientDraft, Complaint, ComplaintDraft, Rating, Visit, VisitDraft};
use crate::service::complaint_stats::ComplaintStats;
use crate::service::demo::DemoCounts;
use crate::service::{Api, ClientFile, ClientPage, ClientQuery, ComplaintFile, ComplaintPage, ComplaintQuery, Result, ServiceError, Step};
use chrono::{NaiveDate, NaiveDateTime};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

pub struct RemoteApi {
    /// Held for a whole request and its answer, so answers match requests.
    writer: Mutex<UnixStream>,
    /// Answers, from the reader thread (which also collects pushed changes).
    answers: Mutex<mpsc::Receiver<Response>>,
    changes: Arc<Mutex<Vec<Change>>>,
    path: PathBuf,
    /// The account the server knows this session as.
    pub operator: String,
}

/// Read every frame the server sends: changes pushed by other sessions are
/// kept for the UI, answers are handed to the waiting call.
fn read_loop(mut stream: UnixStream, answers: mpsc::Sender<Response>, changes: Arc<Mutex<Vec<Change>>>) {
    while let Ok(frame) = read_frame::<Response>(&mut stream) {
        match frame {
            Response::Changed(c) => {
                if let Ok(mut v) = changes.lock() {
                    v.push(c);
                }
            }
            other => {
                if answers.send(other).is_err() {
                    return;
                }
            }
        }
    }
}

impl RemoteApi {
    /// Connect and shake hands; a refusal comes back as its sentence.
    pub fn connect(path: &Path) -> anyhow::Result<RemoteApi> {
        let mut stream =
            UnixStream::connect(path).map_err(|e| anyhow::anyhow!("cannot reach the guardroom server at {} ({e})", path.display()))?;
        write_frame(&mut stream, &Request::Hello { protocol: PROTOCOL_VERSION, app: env!("CARGO_PKG_VERSION").into() })?;
        match read_frame::<Response>(&mut stream)? {
            Response::Welcome { operator, .. } => {
                let (tx, rx) = mpsc::channel();
                let changes = Arc::new(Mutex::new(Vec::new()));
                let reader = stream.try_clone()?;
                let c = Arc::clone(&changes);
                std::thread::spawn(move || read_loop(reader, tx, c));
                Ok(RemoteApi { writer: Mutex::new(stream), answers: Mutex::new(rx), changes, path: path.to_path_buf(), operator })
            }
            Response::Refused(why) => anyhow::bail!("the guardroom server refused the connection: {why}"),
            other => anyhow::bail!("the guardroom server answered the handshake with {other:?}"),
        }
    }

    fn call(&self, request: Request) -> Result<Reply> {
        let lost = |e: &dyn std::fmt::Display| {
            ServiceError::Store(format!("the connection to the server was lost ({e}); restart guardroom to reconnect"))
        };
        let mut stream = self.writer.lock().map_err(|_| ServiceError::Store("connection lock poisoned".into()))?;
        write_frame(&mut *stream, &request).map_err(|e| lost(&e))?;
        let answers = self.answers.lock().map_err(|_| ServiceError::Store("connection lock poisoned".into()))?;
        match answers.recv().map_err(|e| lost(&e))? {
            Response::Ok(reply) => Ok(reply),
            Response::Err(e) => Err(e),
            other => Err(ServiceError::Store(format!("unexpected answer from the server: {other:?}"))),
        }
    }
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
    fn today(&self) -> NaiveDate {
        match self.call(Request::Today) {
            Ok(Reply::Date(d)) => d,
            _ => chrono::Local::now().date_naive(),
        }
    }
    fn local_now(&self) -> NaiveDateTime {
        match self.call(Request::LocalNow) {
            Ok(Reply::DateTime(d)) => d,
            _ => chrono::Local::now().naive_local(),
        }
    }
    fn location(&self) -> String {
        format!("server {}", self.path.display())
    }
    fn take_changes(&self) -> Vec<(String, u64)> {
        match self.changes.lock() {
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
    fn may_approve(&self, _actor: &str) -> bool {
        matches!(self.call(Request::MayApprove), Ok(Reply::Bool(true)))
    }
    fn complaint_stats(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<ComplaintStats> {
        expect!(self.call(Request::ComplaintStats { from, to }), box Stats)
    }
}
