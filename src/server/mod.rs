//! `guardroom serve`: the daemon that owns the store for many sessions, its
//! socket protocol, and the client that speaks it. The service API is carried
//! over the socket, not re-implemented: the server calls the same `Api`.

pub mod client;
mod gate;
pub mod peer;
pub mod protocol;

use crate::i18n::{fill, Lang, T};
use crate::service::guard::Guarded;
use crate::service::{Api, Service, ServiceError};
use gate::Gate;
use peer::PeerIdentity;
use protocol::{read_frame, write_frame, Change, FrameError, Reply, Request, Response, MAX_FRAME, PROTOCOL_VERSION};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bind the socket at `path`. A stale file left by a crashed server is
/// replaced; a live server is never displaced.
pub fn bind(path: &Path) -> anyhow::Result<UnixListener> {
    if path.exists() {
        if UnixStream::connect(path).is_ok() {
            anyhow::bail!("a guardroom server is already running on {}; stop it first or choose another --socket", path.display());
        }
        std::fs::remove_file(path)?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let listener = UnixListener::bind(path)?;
    // Owner and group may connect: operators share one OS group.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
    Ok(listener)
}

/// The sessions that hear about each other's changes.
#[derive(Default)]
pub struct Hub {
    next: std::sync::atomic::AtomicU64,
    sessions: Mutex<Vec<(u64, Arc<Mutex<UnixStream>>)>>,
}

impl Hub {
    fn join(&self, writer: Arc<Mutex<UnixStream>>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut s) = self.sessions.lock() {
            s.push((id, writer));
        }
        id
    }

    fn leave(&self, id: u64) {
        if let Ok(mut s) = self.sessions.lock() {
            s.retain(|(x, _)| *x != id);
        }
    }

    /// Tell every other session what changed. A session that cannot take
    /// the message is left to its own reader to notice and close.
    fn broadcast(&self, from: u64, change: &Change) {
        let sessions = match self.sessions.lock() {
            Ok(s) => s.clone(),
            Err(_) => return,
        };
        for (id, writer) in sessions {
            if id == from {
                continue;
            }
            if let Ok(mut w) = writer.lock() {
                let _ = write_frame(&mut *w, &Response::Changed(change.clone()));
            }
        }
    }
}

/// Accept connections until `stop` is set, one thread per session.
pub fn serve(listener: UnixListener, service: Arc<Service>, identity: Arc<dyn PeerIdentity>, stop: Arc<AtomicBool>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let hub = Arc::new(Hub::default());
    let gate = Arc::new(Gate::for_this_machine());
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (service, identity, hub, gate) = (Arc::clone(&service), Arc::clone(&identity), Arc::clone(&hub), Arc::clone(&gate));
                std::thread::spawn(move || {
                    if let Err(e) = session(stream, service, identity.as_ref(), &hub, &gate) {
                        tracing::info!(error = %e, "session ended");
                    }
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => tracing::warn!(error = %e, "accept failed"),
        }
    }
    Ok(())
}

/// One operator's connection: handshake, then requests until it closes. A
/// malformed or oversized frame ends this session only.
fn session(mut stream: UnixStream, service: Arc<Service>, identity: &dyn PeerIdentity, hub: &Hub, gate: &Gate) -> Result<(), FrameError> {
    stream.set_nonblocking(false)?;
    let operator = identity.operator(&stream)?;
    let guarded = Guarded::new(service, &operator);
    let hello = match read_frame::<Request>(&mut stream) {
        Ok(r) => r,
        Err(e) => {
            if let FrameError::TooLarge(n) = e {
                // Before the handshake the client's language is unknown: say it in both.
                let (bytes, limit) = (protocol::megabytes(n as u64), protocol::megabytes(MAX_FRAME as u64));
                let text = [Lang::Zh, Lang::En].map(|l| fill(T::StatusTooLarge.get(l), &[&bytes, &limit])).join(" / ");
                let _ = write_frame(&mut stream, &Response::Refused(text));
            }
            return Err(e);
        }
    };
    let api: &dyn Api = match (&guarded, hello) {
        (Ok(g), Request::Hello { protocol, .. }) if protocol == PROTOCOL_VERSION => {
            write_frame(&mut stream, &Response::Welcome { operator: operator.clone(), protocol })?;
            g
        }
        (Err(e), Request::Hello { .. }) => {
            // The client's language is unknown here: say it in both.
            let why = match e {
                ServiceError::NotOperator(account) => [Lang::Zh, Lang::En].map(|l| fill(T::ErrNotOperator.get(l), &[account])).join(" / "),
                other => other.to_string(),
            };
            tracing::warn!(%operator, "refused: not an operator");
            write_frame(&mut stream, &Response::Refused(why))?;
            return Ok(());
        }
        (_, Request::Hello { protocol, app }) => {
            let why = format!(
                "this client speaks protocol {protocol} (guardroom {app}) and the server speaks {PROTOCOL_VERSION} (guardroom {}); use the same guardroom version on both",
                env!("CARGO_PKG_VERSION")
            );
            write_frame(&mut stream, &Response::Refused(why))?;
            return Ok(());
        }
        _ => return Err(FrameError::Malformed("a session must start with Hello".into())),
    };
    tracing::info!(%operator, "session started");
    // Answers and pushed changes share the stream; the lock keeps frames whole.
    let writer = Arc::new(Mutex::new(stream.try_clone()?));
    let me = hub.join(Arc::clone(&writer));
    let answer = |response: &Response| -> Result<(), FrameError> {
        let mut w = writer.lock().map_err(|_| FrameError::Malformed("writer lock poisoned".into()))?;
        answer(&mut *w, response)
    };
    let result = (|| loop {
        let request = match read_frame::<Request>(&mut stream) {
            Ok(r) => r,
            Err(FrameError::Closed) => return Ok(()),
            Err(e) => {
                // The rest of an oversized frame is still unread, so the
                // session cannot go on; it is told why before it ends.
                if let Some(why) = e.too_large() {
                    let _ = answer(&Response::Err(why));
                }
                return Err(e);
            }
        };
        match run(api, &operator, request, gate) {
            Ok(reply) => {
                let change = changed(&reply, &operator);
                answer(&Response::Ok(reply))?;
                if let Some(c) = change {
                    hub.broadcast(me, &c);
                }
            }
            Err(e) => answer(&Response::Err(e))?,
        }
    })();
    hub.leave(me);
    result
}

/// Send one answer; one too large to send is replaced by the sentence that
/// says so (nothing of it was written, so the session goes on).
fn answer(w: &mut impl std::io::Write, response: &Response) -> Result<(), FrameError> {
    match write_frame(w, response) {
        Err(FrameError::TooLarge(n)) => {
            tracing::warn!(bytes = n, "an answer over the frame limit was not sent");
            write_frame(w, &Response::Err(ServiceError::TooLarge { bytes: n as u64, limit: MAX_FRAME as u64 }))
        }
        other => other,
    }
}

/// The record a successful write changed, if the reply is from one.
fn changed(reply: &Reply, by: &str) -> Option<Change> {
    let (kind, id) = match reply {
        Reply::Client(c) => ("client", c.id),
        Reply::Visit(v) => ("client", v.client_id),
        Reply::Complaint(c) => ("complaint", c.id),
        Reply::Demo(_) => ("all", 0),
        Reply::Operator(o) => ("operator", o.id),
        Reply::DutyDone(_) => ("duty", 0),
        Reply::LogisticsDone(_) => ("logistics", 0),
        Reply::Imported(r) if r.imported > 0 => ("all", 0),
        _ => return None,
    };
    Some(Change { kind: kind.into(), id, by: by.into() })
}

/// Run one request: a read through the gate (see `gate`), anything else at
/// once. The answer is written after the place is given back, so a slow
/// reader on the other end holds up nobody else.
fn run(api: &dyn Api, operator: &str, request: Request, gate: &Gate) -> Result<Reply, ServiceError> {
    let _place = (request.work() == protocol::Work::Read).then(|| gate.enter());
    handle(api, operator, request)
}

/// Carry one request to the service as `operator` (the peer's account).
pub fn handle(api: &dyn Api, operator: &str, request: Request) -> Result<Reply, ServiceError> {
    use Reply as R;
    Ok(match request {
        Request::Hello { .. } => R::Unit,
        Request::FirstClients(n) => R::ClientPage(api.first_clients(n)?),
        Request::Preload => R::Count(api.preload()?),
        Request::IsLoaded => R::Bool(api.is_loaded()),
        Request::ListClients(q) => R::ClientPage(api.list_clients(&q)?),
        Request::ClientFile(id) => R::ClientFile(Box::new(api.client_file(id)?)),
        Request::CreateClient(d) => R::Client(Box::new(api.create_client(operator, d)?)),
        Request::UpdateClient { id, version, draft } => R::Client(Box::new(api.update_client(operator, id, version, draft)?)),
        Request::ReviewRating { id, version, to, reason } => R::Client(Box::new(api.review_rating(operator, id, version, to, &reason)?)),
        Request::AddVisit { client_id, draft } => R::Visit(Box::new(api.add_visit(operator, client_id, draft)?)),
        Request::SetPromiseDone { visit_id, version, promise, done } => {
            R::Visit(Box::new(api.set_promise_done(operator, visit_id, version, promise, done)?))
        }
        Request::ClientCount => R::Count(api.client_count()?),
        Request::LoadDemo => R::Demo(api.load_demo(operator)?),
        Request::ListComplaints(q) => R::ComplaintPage(api.list_complaints(&q)?),
        Request::ComplaintFile(id) => R::ComplaintFile(Box::new(api.complaint_file(id)?)),
        Request::RegisterComplaint(d) => R::Complaint(Box::new(api.register_complaint(operator, d)?)),
        Request::EditComplaint { id, version, draft } => R::Complaint(Box::new(api.edit_complaint(operator, id, version, draft)?)),
        Request::ComplaintStep { id, version, step } => R::Complaint(Box::new(api.complaint_step(operator, id, version, step)?)),
        Request::ComplaintsOfClient(id) => R::Complaints(api.complaints_of_client(id)?),
        Request::ClientChoices => R::Choices(api.client_choices()?),
        Request::MayApprove => R::Bool(api.may_approve(operator)),
        Request::ComplaintStats { from, to } => R::Stats(Box::new(api.complaint_stats(from, to)?)),
        Request::Audit(q) => R::Audit(api.audit(&q)?),
        Request::Can(right) => R::Bool(api.can(right)),
        Request::Operators => R::Operators(api.operators()?),
        Request::SetOperator { account, role, active } => R::Operator(Box::new(api.set_operator(operator, &account, role, active)?)),
        Request::Duty(q) => R::Duty(Box::new(api.duty(&q)?)),
        Request::DutyDo(c) => R::DutyDone(Box::new(api.duty_do(operator, c)?)),
        Request::Logistics(q) => R::Logistics(Box::new(api.logistics(&q)?)),
        Request::LogisticsDo(c) => R::LogisticsDone(Box::new(api.logistics_do(operator, c)?)),
        Request::Overview { wait } => R::Overview(Box::new(api.overview(wait)?)),
        Request::MonthReport(month) => R::MonthReport(Box::new(api.month_report(month)?)),
        Request::Backup { path, overwrite } => R::Backup(Box::new(api.backup(operator, &path, overwrite)?)),
        Request::ImportCsv { kind, bytes, mode } => R::Imported(Box::new(api.import_csv(operator, kind, bytes, mode, &|_, _, _| {})?)),
        Request::ExportCsv { table, lang } => R::Csv(api.export_csv(table, lang)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ClientDraft;
    use crate::service::{ClientQuery, SystemClock};

    #[test]
    fn a_save_goes_past_a_full_gate_and_a_read_waits_for_a_place() {
        let dir = tempfile::tempdir().unwrap();
        let service = Service::new(crate::store::Store::open(&dir.path().join("g.db")).unwrap(), Box::new(SystemClock));
        let api: &dyn Api = &*service;
        let gate = Gate::new(1);
        let held = gate.enter();
        std::thread::scope(|s| {
            let read = s.spawn(|| run(api, "op", Request::ListClients(ClientQuery { limit: 10, ..Default::default() }), &gate));
            gate::tests::until_waiting(&gate, 1);
            let save =
                s.spawn(|| run(api, "op", Request::CreateClient(ClientDraft { name: "门岗客户".into(), ..Default::default() }), &gate));
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while !save.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            let (went_past, read_waited) = (save.is_finished(), !read.is_finished());
            // Given back before asserting, so a failure cannot leave the scope waiting.
            drop(held);
            assert!(went_past, "a save waited for the gate");
            assert!(read_waited, "a read ran without a place");
            assert!(matches!(save.join().unwrap(), Ok(Reply::Client(_))));
            match read.join().unwrap() {
                Ok(Reply::ClientPage(page)) => assert_eq!(page.total, 1, "the read sees the save made while it waited"),
                other => panic!("unexpected answer {other:?}"),
            }
        });
    }
}
