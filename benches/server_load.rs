//! `cargo bench --bench server_load`: 50 sessions on one server doing a mix
//! of 90 % reads and 10 % writes for 60 s (GUARDROOM_LOAD_SECS to change).
//! Reports throughput, request latency p50/p99, how long a save takes to
//! reach another session (p99), and counts lost updates at the end.

use chrono::{TimeZone, Utc};
use guardroom::domain::ClientDraft;
use guardroom::server::client::RemoteApi;
use guardroom::server::peer::PeerIdentity;
use guardroom::server::{bind, serve};
use guardroom::service::{generate, Api, ClientQuery, ComplaintQuery, FixedClock, Service};
use guardroom::store::Store;
use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Bench;

impl PeerIdentity for Bench {
    fn operator(&self, _: &UnixStream) -> std::io::Result<String> {
        Ok("bench".into())
    }
}

const SESSIONS: usize = 50;

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

fn main() {
    let secs: u64 = std::env::var("GUARDROOM_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let service = Service::new(Store::open(&dir.path().join("db")).unwrap(), Box::new(clock));
    service.bootstrap_admin("bench").unwrap();
    let sizes = generate::Sizes { clients: 2_000, visits: 10_000, complaints: 10_000 };
    generate::generate(&service, "bench", service.today(), &sizes, |_, _| {}).unwrap();
    let socket = dir.path().join("load.sock");
    let listener = bind(&socket).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (s, svc) = (Arc::clone(&stop), Arc::clone(&service));
    let server = std::thread::spawn(move || serve(listener, svc, Arc::new(Bench), s).unwrap());

    // Save → seen by another session: an observer notes when each push arrives.
    let sent: Arc<Mutex<HashMap<u64, Vec<Instant>>>> = Arc::default();
    let seen: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let observer = RemoteApi::connect(&socket).unwrap();
    let running = Arc::new(AtomicBool::new(true));
    let obs = {
        let (sent, seen, running) = (Arc::clone(&sent), Arc::clone(&seen), Arc::clone(&running));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                for (kind, id) in observer.take_changes() {
                    if kind != "client" {
                        continue;
                    }
                    let now = Instant::now();
                    if let Some(times) = sent.lock().unwrap().get_mut(&id) {
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

    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..SESSIONS)
        .map(|n| {
            let (socket, sent) = (socket.clone(), Arc::clone(&sent));
            std::thread::spawn(move || {
                let api = RemoteApi::connect(&socket).unwrap();
                let mut rng = fastrand::Rng::with_seed(n as u64);
                // Each session writes to its own client, so lost updates can be counted.
                let mut mine = api.create_client("bench", ClientDraft { name: format!("负载测试客户{n}"), ..Default::default() }).unwrap();
                sent.lock().unwrap().insert(mine.id, Vec::new());
                let (mut reads, mut writes, mut latencies) = (0u64, 0u64, Vec::new());
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if rng.u8(..10) == 0 {
                        let draft = ClientDraft { notes: format!("第 {} 次修改", writes + 1), ..mine.draft.clone() };
                        sent.lock().unwrap().get_mut(&mine.id).unwrap().push(t);
                        mine = api.update_client("bench", mine.id, mine.meta.version, draft).unwrap();
                        writes += 1;
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
                            1 => drop(api.client_file(1 + rng.u64(..2_000)).unwrap()),
                            _ => drop(api.list_complaints(&ComplaintQuery { limit: 60, ..Default::default() }).unwrap()),
                        }
                        reads += 1;
                    }
                    latencies.push(t.elapsed());
                }
                (mine, reads, writes, latencies)
            })
        })
        .collect();
    let mut results = Vec::new();
    for w in workers {
        results.push(w.join().unwrap());
    }
    std::thread::sleep(Duration::from_millis(300));
    running.store(false, Ordering::Relaxed);
    obs.join().unwrap();

    // Lost updates: each session's last acknowledged write must be what is stored.
    let mut lost = 0;
    for (mine, ..) in &results {
        let stored = Api::client_file(&*service, mine.id).unwrap().client;
        if stored.draft.notes != mine.draft.notes || stored.meta.version != mine.meta.version {
            lost += 1;
        }
    }
    let (reads, writes): (u64, u64) = results.iter().fold((0, 0), |a, r| (a.0 + r.1, a.1 + r.2));
    let mut lat: Vec<Duration> = results.into_iter().flat_map(|r| r.3).collect();
    let mut prop = seen.lock().unwrap().clone();
    println!("\nguardroom server load: {SESSIONS} sessions, {secs} s, 2,000 clients and 10,000 complaints\n");
    println!("| measure | value |");
    println!("|---|---|");
    println!("| requests | {} ({} reads, {} writes) |", reads + writes, reads, writes);
    println!("| throughput | {:.0} requests/s |", (reads + writes) as f64 / secs as f64);
    println!("| request latency p50 / p99 | {:.2} / {:.2} ms |", pct(&mut lat, 0.5), pct(&mut lat, 0.99));
    println!(
        "| save → seen by another session p50 / p99 (budget p99 < 200 ms) | {:.2} / {:.2} ms ({} saves observed) |",
        pct(&mut prop, 0.5),
        pct(&mut prop, 0.99),
        prop.len()
    );
    println!("| lost updates | {lost} |");
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
}
