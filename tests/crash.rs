//! Crash safety: a process that saves records in a loop is killed with
//! SIGKILL at a random moment, again and again, embedded and through the
//! server. After each kill the database opens; every save that was
//! acknowledged (its call returned) is there at least at the version
//! acknowledged, byte for byte when at that version; and the index, the
//! counters and the audit log agree with the records. The next round goes
//! on from that database.
//!
//! Both run as guardroom does, with the journal. When sled cannot open its
//! own files after a kill (it is beta, with open reports of exactly that),
//! the database is rebuilt by `guardroom recover`'s code from the automatic
//! backups and the journal, and every acknowledged save must be in that.
//!
//! `GUARDROOM_CRASH_ITERATIONS` sets the kills per mode (default 20);
//! `GUARDROOM_CRASH_SEED` replays a run (each run prints its seed).

mod common;

use chrono::{Days, TimeZone, Utc};
use guardroom::domain::{
    Category, Channel, ClientDraft, ComplaintDraft, ComplaintStatus, Credential, Fen, PostDraft, ShiftSpec, StaffDraft,
};
use guardroom::server::client::RemoteApi;
use guardroom::service::duty::{DutyCommand, DutyData, DutyQuery};
use guardroom::service::{Api, ComplaintQuery, FixedClock, Service, ServiceError, Step};
use guardroom::store::{codec, with_kind, KindVisitor, Record, Store, StoreError};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Set in a saver child: where it saves, and its random seed.
const SAVER_DB: &str = "GUARDROOM_CRASH_SAVER_DB";
const SAVER_SOCKET: &str = "GUARDROOM_CRASH_SAVER_SOCKET";
const SAVER_SEED: &str = "GUARDROOM_CRASH_SAVER_SEED";
/// Sessions saving at once through the server.
const SESSIONS: u64 = 3;
/// Guards and the day shift's headcount of the one post the saver rosters.
const GUARDS: usize = 6;

#[test]
fn acknowledged_saves_survive_kills_of_the_embedded_process() {
    kill_again_and_again(Mode::Embedded);
}

#[test]
fn acknowledged_saves_survive_kills_of_the_server() {
    kill_again_and_again(Mode::Server);
}

/// The saver: the child process both tests start (this same test binary,
/// told what to do by environment variables). Run as part of the suite it
/// has nothing to do.
#[test]
fn saver_child() {
    let Some(seed) = std::env::var(SAVER_SEED).ok().and_then(|s| s.parse::<u64>().ok()) else { return };
    let out = Arc::new(Mutex::new(std::io::stdout()));
    if let Ok(db) = std::env::var(SAVER_DB) {
        let service = Service::new(Store::open_journaled(Path::new(&db)).expect("the database opens"), Box::new(clock()));
        Saver::new(&*service, "li", seed, out).run();
    } else if let Ok(socket) = std::env::var(SAVER_SOCKET) {
        let sessions: Vec<_> = (0..SESSIONS)
            .map(|k| {
                let (socket, out) = (PathBuf::from(&socket), Arc::clone(&out));
                std::thread::spawn(move || {
                    let api = connect_when_up(&socket);
                    Saver::new(&api, "", seed.wrapping_add(k), out).run()
                })
            })
            .collect();
        for s in sessions {
            let _ = s.join();
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    Embedded,
    Server,
}

fn clock() -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

/// What was acknowledged of one record: its version and the checksum of
/// the whole record at that version.
type Acked = BTreeMap<(String, u64), (u64, u32)>;

fn checksum<R: Record>(r: &R) -> u32 {
    crc32fast::hash(&codec::encode(0, r))
}

fn kill_again_and_again(mode: Mode) {
    let iterations: usize = std::env::var("GUARDROOM_CRASH_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("GUARDROOM_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    eprintln!("crash test {mode:?}: {iterations} kills, seed {seed} (GUARDROOM_CRASH_SEED={seed} replays it)");
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guardroom.db");
    {
        // The account the server knows the saver's sessions as is its admin.
        let service = Service::new(Store::open_journaled(&db).unwrap(), Box::new(clock()));
        let admin = match mode {
            Mode::Embedded => "li".to_string(),
            Mode::Server => whoami::username().unwrap(),
        };
        service.bootstrap_admin(&admin).unwrap();
    }
    let mut acked = Acked::new();
    let (mut acks, mut silent, mut recovered) = (0usize, 0usize, 0usize);
    for i in 0..iterations {
        let context = format!("{mode:?} kill {} of {iterations}, seed {seed}", i + 1);
        let mut round = Round::start(mode, dir.path(), &db, rng.u64(..));
        // From just after the start (killed while sled opens and recovers,
        // which takes a good part of a second in a debug build) to well into
        // the saving.
        std::thread::sleep(Duration::from_millis(rng.u64(0..1200)));
        let lines = round.kill();
        let mut this_round = 0;
        for line in &lines {
            // (The test harness prints "test saver_child ... " ahead of the first line.)
            let line = ["ACK ", "ERR "].iter().filter_map(|m| line.find(m)).min().map_or(line.as_str(), |at| &line[at..]);
            let mut f = line.split(' ');
            match f.next() {
                Some("ACK") => {
                    let (kind, id, version, crc) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
                    let key = (kind.to_string(), id.parse().unwrap());
                    let new = (version.parse().unwrap(), u32::from_str_radix(crc, 16).unwrap());
                    let old = acked.entry(key.clone()).or_insert(new);
                    // Two sessions can acknowledge one record; one version is one content.
                    assert!(
                        old.0 != new.0 || old.1 == new.1,
                        "{context}: {key:?} was acknowledged twice at version {} with different content",
                        new.0
                    );
                    if new.0 > old.0 {
                        *old = new;
                    }
                    this_round += 1;
                }
                // A save that failed for a reason other than a rule or a
                // collision (server mode: the server was just killed).
                Some("ERR") if matches!(mode, Mode::Embedded) => panic!("{context}: the saver hit {line}"),
                _ => {}
            }
        }
        acks += this_round;
        silent += usize::from(this_round == 0);
        recovered += usize::from(verify(&db, &acked, &context));
        if (i + 1) % 100 == 0 {
            eprintln!("crash test {mode:?}: {} kills, {:.0} s, {acks} saves acknowledged", i + 1, started.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "crash test {mode:?}: {iterations} kills in {:.1} s; {acks} saves acknowledged ({} records), all present and intact; {silent} kills came before any save; {recovered} left files sled could not open, rebuilt by recover",
        started.elapsed().as_secs_f64(),
        acked.len()
    );
    assert!(acks > 0, "the saver acknowledged no save at all in {iterations} rounds");
}

/// Open the database as it was left by the kill (as guardroom does, with
/// its journal) and check it. Files sled cannot open are rebuilt as
/// `guardroom recover` does; returns whether that was needed.
fn verify(db: &Path, acked: &Acked, context: &str) -> bool {
    let home = db.parent().expect("the database is in the test's home");
    let (store, recovered) = match Store::open_journaled(db) {
        Ok(store) => (store, false),
        Err(damage) => {
            let auto = guardroom::backup::auto::AutoBackups { enabled: true, dir: home.join("data/guardroom/backups"), keep: 3 };
            let how = guardroom::backup::recover::recover(db, &auto)
                .unwrap_or_else(|e| panic!("{context}: the database does not open after the kill ({damage}) and recover failed: {e}"));
            eprintln!("{context}: the database did not open after the kill ({damage}); recover: {how:?}");
            (Store::open_journaled(db).unwrap_or_else(|e| panic!("{context}: the recovered database does not open: {e}")), true)
        }
    };
    for ((kind, id), (version, crc)) in acked {
        let found = with_kind(kind, Stored { store: &store, id: *id })
            .unwrap_or_else(|| panic!("unknown kind {kind}"))
            .unwrap_or_else(|e| panic!("{context}: {kind} {id} cannot be read: {e}"));
        let Some((v, c)) = found else { panic!("{context}: {kind} {id} (acknowledged at version {version}) is missing") };
        assert!(v >= *version, "{context}: {kind} {id} is at version {v}, but version {version} was acknowledged");
        assert!(v > *version || c == *crc, "{context}: {kind} {id} at version {v} is not what was acknowledged");
    }
    common::assert_consistent(&store);
    recovered
}

struct Stored<'a> {
    store: &'a Store,
    id: u64,
}

impl KindVisitor for Stored<'_> {
    type Out = Result<Option<(u64, u32)>, StoreError>;
    fn visit<R: Record>(self) -> Self::Out {
        Ok(self.store.get::<R>(self.id)?.map(|r| (r.meta().version, checksum(&r))))
    }
}

/// The processes of one round; killed (and waited for) when dropped, so a
/// failing test leaves none behind.
struct Round {
    server: Option<Child>,
    saver: Child,
}

impl Round {
    fn start(mode: Mode, home: &Path, db: &Path, seed: u64) -> Round {
        let mut saver = Command::new(std::env::current_exe().unwrap());
        saver.args(["--exact", "saver_child", "--nocapture", "--test-threads=1"]).env(SAVER_SEED, seed.to_string());
        let server = match mode {
            Mode::Embedded => {
                saver.env(SAVER_DB, db);
                None
            }
            Mode::Server => {
                let socket = home.join("guardroom.sock");
                saver.env(SAVER_SOCKET, &socket);
                let log = std::fs::OpenOptions::new().create(true).append(true).open(home.join("server.stderr")).unwrap();
                let server = Command::new(common::bin())
                    .args(["--db", db.to_str().unwrap(), "serve", "--socket", socket.to_str().unwrap()])
                    .env_clear()
                    .envs(common::env_for(home))
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(log)
                    .spawn()
                    .unwrap();
                Some(server)
            }
        };
        let saver = saver.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        Round { server, saver }
    }

    /// SIGKILL the server (if any) and the saver; the saver's complete lines.
    fn kill(&mut self) -> Vec<String> {
        // The server first: whatever the saver printed was acknowledged before it died.
        if let Some(server) = self.server.as_mut() {
            server.kill().unwrap();
            server.wait().unwrap();
        }
        self.saver.kill().unwrap();
        self.saver.wait().unwrap();
        let mut out = BufReader::new(self.saver.stdout.take().unwrap());
        let mut lines = Vec::new();
        let mut line = Vec::new();
        while out.read_until(b'\n', &mut line).unwrap() > 0 {
            // A line cut off by the kill was not printed: it does not count.
            if line.ends_with(b"\n") {
                lines.push(String::from_utf8_lossy(&line[..line.len() - 1]).into_owned());
            }
            line.clear();
        }
        lines
    }
}

impl Drop for Round {
    fn drop(&mut self) {
        for child in self.server.iter_mut().chain(std::iter::once(&mut self.saver)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn connect_when_up(socket: &Path) -> RemoteApi {
    let deadline = Instant::now() + common::wait_limit();
    loop {
        match RemoteApi::connect(socket) {
            Ok(api) => return api,
            Err(e) if Instant::now() > deadline => panic!("the server never answered: {e:#}"),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Saves records of several kinds in a loop, creating and changing them,
/// and prints one line per acknowledged save: `ACK kind id version crc`.
struct Saver<'a> {
    api: &'a dyn Api,
    actor: &'a str,
    rng: fastrand::Rng,
    out: Arc<Mutex<std::io::Stdout>>,
    n: u64,
}

impl<'a> Saver<'a> {
    fn new(api: &'a dyn Api, actor: &'a str, seed: u64, out: Arc<Mutex<std::io::Stdout>>) -> Self {
        Saver { api, actor, rng: fastrand::Rng::with_seed(seed), out, n: seed % 100_000 }
    }

    fn ack<R: Record>(&self, r: &R) {
        let line = format!("ACK {} {} {} {:08x}\n", R::KIND, r.id(), r.meta().version, checksum(r));
        let mut out = self.out.lock().unwrap();
        out.write_all(line.as_bytes()).unwrap();
        out.flush().unwrap();
    }

    /// A save that did not go through: a rule or another session's change
    /// is expected now and then; anything else is reported.
    fn failed(&self, what: &str, e: ServiceError) {
        if !matches!(e, ServiceError::Conflict { .. } | ServiceError::Refused(_) | ServiceError::Duty(_) | ServiceError::NotFound) {
            let mut out = self.out.lock().unwrap();
            let _ = writeln!(out, "ERR {what}: {e:?}");
            let _ = out.flush();
        }
    }

    fn run(mut self) {
        let (guards, post) = self.roster_setup();
        loop {
            self.n += 1;
            match self.rng.u8(0..10) {
                0 | 1 => self.create_client(),
                2 | 3 => self.update_client(),
                4 => self.add_visit(),
                5 => self.register_complaint(),
                6 | 7 => self.change_complaint(),
                _ => self.roster(&guards, post),
            }
        }
    }

    fn text(&mut self, what: &str) -> String {
        // Chinese and ASCII of varying length, so records differ in size.
        let tail: String = std::iter::repeat_n("巡逻岗亭", self.rng.usize(0..12)).collect();
        format!("{what} {} {tail}", self.n)
    }

    fn pick(&mut self, count: usize) -> Option<u64> {
        (count > 0).then(|| self.rng.u64(1..=count as u64))
    }

    fn create_client(&mut self) {
        let draft = ClientDraft { name: self.text("客户"), address: self.text("上海市静安区"), ..Default::default() };
        match self.api.create_client(self.actor, draft) {
            Ok(c) => self.ack(&c),
            Err(e) => self.failed("create client", e),
        }
    }

    fn update_client(&mut self) {
        let Some(id) = self.pick(self.api.client_count().unwrap_or(0)) else { return };
        let Ok(file) = self.api.client_file(id) else { return };
        let mut draft = file.client.draft.clone();
        draft.notes = self.text("备注");
        draft.phone = format!("021-{:08}", self.rng.u32(0..100_000_000));
        match self.api.update_client(self.actor, id, file.client.meta.version, draft) {
            Ok(c) => self.ack(&c),
            Err(e) => self.failed("update client", e),
        }
    }

    fn add_visit(&mut self) {
        let Some(client_id) = self.pick(self.api.client_count().unwrap_or(0)) else { return };
        let date = self.api.today() - Days::new(self.rng.u64(0..60));
        let mut draft = guardroom::domain::VisitDraft::new(date, "李娜");
        draft.purpose = self.text("回访");
        draft.opinions = self.text("意见");
        match self.api.add_visit(self.actor, client_id, draft) {
            Ok(v) => self.ack(&v),
            Err(e) => self.failed("add visit", e),
        }
    }

    fn complaint_count(&self) -> usize {
        self.api.list_complaints(&ComplaintQuery { limit: 1, ..Default::default() }).map(|p| p.all).unwrap_or(0)
    }

    fn register_complaint(&mut self) {
        let Some(client_id) = self.pick(self.api.client_count().unwrap_or(0)) else { return };
        let draft = ComplaintDraft {
            client_id,
            client_name: self.text("客户"),
            address: "上海市静安区".into(),
            phone: "021-62881234".into(),
            received_at: self.api.local_now() - chrono::Duration::minutes(self.rng.i64(1..600)),
            received_by: "李娜".into(),
            channel: Channel::Phone,
            cause: self.text("夜班保安睡岗"),
            demand: self.text("更换队员"),
            category: Category::General,
            amount: Fen(0),
            kind: "脱岗睡岗".into(),
            remarks: String::new(),
        };
        match self.api.register_complaint(self.actor, draft) {
            Ok(c) => self.ack(&c),
            Err(e) => self.failed("register complaint", e),
        }
    }

    /// Edit a complaint, or take its first workflow step.
    fn change_complaint(&mut self) {
        let Some(id) = self.pick(self.complaint_count()) else { return };
        let Ok(file) = self.api.complaint_file(id) else { return };
        let c = file.complaint;
        let result = if c.status == ComplaintStatus::Registered && self.rng.bool() {
            self.api.complaint_step(self.actor, id, c.meta.version, Step::Inform { how: self.text("电话告知") })
        } else {
            let draft = ComplaintDraft { remarks: self.text("补充"), ..c.draft.clone() };
            self.api.edit_complaint(self.actor, id, c.meta.version, draft)
        };
        match result {
            Ok(c) => self.ack(&c),
            Err(e) => self.failed("change complaint", e),
        }
    }

    /// Guards and a post to roster (made on the first run, found after).
    fn roster_setup(&mut self) -> (Vec<u64>, u64) {
        let mut guards: Vec<u64> = match self.api.duty(&DutyQuery::Staff) {
            Ok(DutyData::Staff(s)) => s.iter().map(|s| s.id).collect(),
            other => panic!("staff: {other:?}"),
        };
        while guards.len() < GUARDS {
            let draft = StaffDraft {
                name: self.text("保安"),
                licence: Credential { number: format!("沪保{}", self.n), expires: Some(self.api.today() + Days::new(400)) },
                ..Default::default()
            };
            match self.api.duty_do(self.actor, DutyCommand::SaveStaff { id: None, version: 0, draft }) {
                Ok(DutyData::OneStaff(s)) => {
                    self.ack(&*s);
                    guards.push(s.id);
                }
                other => panic!("save staff: {other:?}"),
            }
            self.n += 1;
        }
        let post = match self.api.duty(&DutyQuery::Posts) {
            Ok(DutyData::Posts(p)) => p.first().map(|r| r.post.id),
            other => panic!("posts: {other:?}"),
        };
        let post = post.unwrap_or_else(|| {
            let client = self.api.create_client(self.actor, ClientDraft { name: "华贸中心物业".into(), ..Default::default() }).unwrap();
            self.ack(&client);
            let hm = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap();
            let shifts = vec![ShiftSpec { key: 1, name: "白班".into(), start: hm(8), end: hm(20), headcount: GUARDS as u8 }];
            let draft = PostDraft { client_id: client.id, site: "大门岗".into(), shifts, ..Default::default() };
            match self.api.duty_do(self.actor, DutyCommand::SavePost { id: None, version: 0, draft }) {
                Ok(DutyData::OnePost(p)) => {
                    self.ack(&*p);
                    p.id
                }
                other => panic!("save post: {other:?}"),
            }
        });
        (guards, post)
    }

    /// Put a guard on the day shift of a coming day, or take them off it.
    fn roster(&mut self, guards: &[u64], post_id: u64) {
        let staff_id = guards[self.rng.usize(..guards.len())];
        let date = self.api.today() + Days::new(self.rng.u64(1..21));
        let assign = DutyCommand::Assign { post_id, date, shift_key: 1, staff_id };
        let result = match self.api.duty_do(self.actor, assign) {
            Err(ServiceError::Duty(_)) => self.api.duty_do(self.actor, DutyCommand::Unassign { post_id, date, shift_key: 1, staff_id }),
            other => other,
        };
        match result {
            Ok(DutyData::PostDay(pd)) => self.ack(&*pd),
            Ok(other) => panic!("assign: {other:?}"),
            Err(e) => self.failed("roster", e),
        }
    }
}
