//! The server on the large set: a save through it, and 50 sessions at once
//! (90 % reads, 10 % writes) with an observer timing how long each save
//! takes to reach it.

use super::measure::{Budget, Stats};
use chrono::Datelike;
use guardroom::domain::{ClientDraft, Role};
use guardroom::server::client::RemoteApi;
use guardroom::server::peer::PeerIdentity;
use guardroom::server::{bind, serve};
use guardroom::service::{Api, ClientQuery, ComplaintQuery, Service};
use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SESSIONS: usize = 50;

/// Every session is the database's admin.
struct Admin(String);

impl PeerIdentity for Admin {
    fn operator(&self, _: &UnixStream) -> std::io::Result<String> {
        Ok(self.0.clone())
    }
}

pub struct Load {
    pub rows: Vec<Stats>,
    /// Throughput and lost updates, for the heading.
    pub summary: String,
}

pub fn measure(service: &Arc<Service>, socket: &Path) -> Load {
    service.bootstrap_admin("bench").unwrap();
    let admin = service.operators().unwrap().into_iter().find(|o| o.active && o.role == Role::Admin).expect("an admin").account;
    let listener = bind(socket).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let (s, svc, who) = (Arc::clone(&stop), Arc::clone(service), admin.clone());
        std::thread::spawn(move || serve(listener, svc, Arc::new(Admin(who)), s).unwrap())
    };

    let one = RemoteApi::connect(socket).unwrap();
    let mut save = Stats::millis("save (durable), through the server", Budget::p99_ms(20));
    let page = one.list_clients(&ClientQuery { offset: 300, limit: 300, ..Default::default() }).unwrap();
    for (i, c) in page.rows.iter().enumerate() {
        let draft = ClientDraft { notes: format!("server bench edit {i}"), ..c.draft.clone() };
        let t = Instant::now();
        one.update_client("", c.id, c.meta.version, draft).unwrap();
        save.push(t.elapsed());
    }
    drop(one);

    let secs: u64 = std::env::var("GUARDROOM_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    // Save → seen by another session: an observer notes when each push arrives.
    let sent: Arc<Mutex<HashMap<u64, Vec<Instant>>>> = Arc::default();
    let mut propagation = Stats::millis(format!("save → seen by another of {SESSIONS} sessions"), Budget::p99_ms(200));
    let seen: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let observer = RemoteApi::connect(socket).unwrap();
    let running = Arc::new(AtomicBool::new(true));
    let obs = {
        let (sent, seen, running) = (Arc::clone(&sent), Arc::clone(&seen), Arc::clone(&running));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                for (kind, id) in observer.take_changes() {
                    let now = Instant::now();
                    if let Some(times) = sent.lock().unwrap().get_mut(&id).filter(|_| kind == "client") {
                        if !times.is_empty() {
                            let t = times.remove(0);
                            seen.lock().unwrap().push(now - t);
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let clients = service.list_clients(&ClientQuery { limit: 1, ..Default::default() }).unwrap().total as u64;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..SESSIONS)
        .map(|n| {
            let (socket, sent) = (socket.to_path_buf(), Arc::clone(&sent));
            std::thread::spawn(move || {
                let api = RemoteApi::connect(&socket).unwrap();
                let mut rng = fastrand::Rng::with_seed(n as u64);
                // Each session writes to its own client, so lost updates can be counted.
                let name = format!("负载测试客户{n}-{}", chrono::Local::now().ordinal());
                let mut mine = api.create_client("", ClientDraft { name, ..Default::default() }).unwrap();
                sent.lock().unwrap().insert(mine.id, Vec::new());
                let (mut requests, mut latencies, mut saves) = (0u64, Vec::new(), Vec::new());
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if rng.u8(..10) == 0 {
                        let draft = ClientDraft { notes: format!("第 {} 次修改", requests + 1), ..mine.draft.clone() };
                        sent.lock().unwrap().get_mut(&mine.id).unwrap().push(t);
                        mine = api.update_client("", mine.id, mine.meta.version, draft).unwrap();
                        saves.push(t.elapsed());
                    } else {
                        match rng.u8(..3) {
                            0 => drop(
                                api.list_clients(&ClientQuery {
                                    filter: ["上海", "物业", "13", "kh-01"][rng.usize(..4)].into(),
                                    limit: 60,
                                    ..Default::default()
                                })
                                .unwrap(),
                            ),
                            1 => drop(api.client_file(1 + rng.u64(..clients.max(1))).ok()),
                            _ => drop(api.list_complaints(&ComplaintQuery { limit: 60, ..Default::default() }).unwrap()),
                        }
                    }
                    requests += 1;
                    latencies.push(t.elapsed());
                }
                (mine, requests, latencies, saves)
            })
        })
        .collect();
    let results: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    // Let the last pushes arrive before the observer stops.
    let settle = Instant::now();
    while settle.elapsed() < Duration::from_secs(2) && sent.lock().unwrap().values().any(|t| !t.is_empty()) {
        std::thread::sleep(Duration::from_millis(10));
    }
    running.store(false, Ordering::Relaxed);
    obs.join().unwrap();
    let unseen: usize = sent.lock().unwrap().values().map(Vec::len).sum();

    // Lost updates: each session's last acknowledged write must be what is stored.
    let lost = results
        .iter()
        .filter(|(mine, ..)| {
            let stored = Api::client_file(&**service, mine.id).unwrap().client;
            stored.draft.notes != mine.draft.notes || stored.meta.version != mine.meta.version
        })
        .count();
    let requests: u64 = results.iter().map(|r| r.1).sum();
    let mut latency = Stats::new(format!("request latency, {SESSIONS} sessions at once"), "ms", None);
    for r in &results {
        for d in &r.2 {
            latency.push(*d);
        }
    }
    let mut saves = Stats::new(format!("save answered, {SESSIONS} sessions at once"), "ms", None);
    for d in results.iter().flat_map(|r| &r.3) {
        saves.push(*d);
    }
    for d in seen.lock().unwrap().iter() {
        propagation.push(*d);
    }
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
    let summary = format!(
        "{SESSIONS} sessions for {secs} s, {:.0} requests/s, {} saves seen by the observer, {unseen} not seen, {lost} lost updates",
        requests as f64 / secs as f64,
        propagation.runs()
    );
    assert_eq!(lost, 0, "an acknowledged save was lost under load");
    Load { rows: vec![save, latency, saves, propagation], summary }
}
