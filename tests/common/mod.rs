//! Drive the real binary in a pseudo-terminal and read its screen through a
//! vt100 parser. Waits poll the screen until a deadline (never a fixed
//! sleep); the deadline is generous and can be raised with
//! GUARDROOM_TEST_WAIT_SECS on a slow machine.

#![allow(dead_code)]

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reading thread to let go of its end of the terminal.
    stop_reading: Arc<std::sync::atomic::AtomicBool>,
    /// The reading thread has stopped: it read everything the program wrote.
    read_all: Arc<std::sync::atomic::AtomicBool>,
}

pub fn wait_limit() -> Duration {
    let secs = std::env::var("GUARDROOM_TEST_WAIT_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    Duration::from_secs(secs)
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_guardroom")
}

/// Environment that keeps the data directory inside `home`.
pub fn env_for(home: &Path) -> Vec<(String, String)> {
    vec![
        ("HOME".into(), home.display().to_string()),
        ("XDG_DATA_HOME".into(), home.join("data").display().to_string()),
        ("XDG_CONFIG_HOME".into(), home.join("config").display().to_string()),
        ("TERM".into(), "xterm-256color".into()),
        ("USER".into(), "tester".into()),
        ("LANG".into(), "C.UTF-8".into()),
    ]
}

/// Where keys are typed: the master end, through a copy of it that only
/// closes when dropped. (portable-pty's own writer types a newline and an
/// end-of-file character when it is dropped, so the terminal's closing
/// would reach the program as Ctrl-J, Ctrl-D: keys nobody typed, Ctrl-J
/// erasing the line being typed.)
fn keys_writer(master: &dyn MasterPty) -> Box<dyn Write + Send> {
    let fd = master.as_raw_fd().expect("the master end's descriptor");
    // SAFETY: `master` owns the descriptor and keeps it open for this call;
    // the copy made of it is owned on its own.
    let copy = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }.try_clone_to_owned().expect("a copy of the master end");
    Box::new(std::fs::File::from(copy))
}

/// A test's home directory (data, config and logs live under it) and the
/// database in it.
pub struct Home {
    dir: tempfile::TempDir,
    pub db: std::path::PathBuf,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().expect("a temporary home");
        let db = dir.path().join("guardroom.db");
        Home { dir, db }
    }

    /// A home whose database holds the demo set, loaded through the CLI.
    pub fn with_demo() -> Home {
        let home = Home::new();
        load_demo(home.path(), &home.db);
        home
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The database as a command-line argument.
    pub fn db_arg(&self) -> String {
        self.db.display().to_string()
    }

    /// The binary on this home's database, in `lang`, at cols×rows.
    pub fn open(&self, lang: &str, cols: u16, rows: u16) -> Tui {
        self.open_with(lang, cols, rows, &[])
    }

    pub fn open_with(&self, lang: &str, cols: u16, rows: u16, extra_env: &[(&str, &str)]) -> Tui {
        Tui::start_with(&["--db", &self.db_arg(), "--lang", lang], self.path(), cols, rows, extra_env)
    }
}

impl Tui {
    pub fn start(args: &[&str], home: &Path, cols: u16, rows: u16) -> Tui {
        Tui::start_with(args, home, cols, rows, &[])
    }

    pub fn start_with(args: &[&str], home: &Path, cols: u16, rows: u16, extra_env: &[(&str, &str)]) -> Tui {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut cmd = CommandBuilder::new(bin());
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env_for(home) {
            cmd.env(k, v);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("start guardroom");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = keys_writer(pair.master.as_ref());
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        let stop_reading = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let read_all = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let done = Arc::clone(&read_all);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        Tui { parser, raw, writer, child, master: Some(pair.master), stop_reading, read_all }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything the program wrote, escape sequences included.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn cursor(&self) -> (u16, u16) {
        self.parser.lock().unwrap().screen().cursor_position()
    }

    /// Wait until `text` is on screen; fail with the screen if it never is.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + wait_limit();
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("waited {:?} for {text:?}; the screen shows:\n{}", wait_limit(), self.screen());
    }

    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + wait_limit();
        while Instant::now() < deadline {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("waited for {text:?} to go; the screen shows:\n{}", self.screen());
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Type text one key at a time, as a person would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Resize the terminal, as a person dragging the window (the kernel
    /// sends SIGWINCH); the screen parser follows.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let master = self.master.as_ref().expect("the terminal is still there");
        master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
        self.parser.lock().unwrap().set_size(rows, cols);
    }

    /// The terminal goes away, as when an SSH link drops: the pty is
    /// closed, so the kernel hangs up the program's terminal.
    pub fn hang_up(&mut self) {
        // The reading thread holds a copy of the terminal's master end:
        // wake it with a byte through the other end so it lets go, then
        // close ours; the last close hangs up the program's terminal.
        self.stop_reading.store(true, std::sync::atomic::Ordering::SeqCst);
        let master = self.master.take().expect("the terminal is still there");
        // The program's own terminal, as the kernel names it for its stdin.
        let tty = format!("/proc/{}/fd/0", self.child.process_id().expect("child pid"));
        let mut other_end = std::fs::OpenOptions::new().write(true).open(&tty).expect("open the terminal's other end");
        other_end.write_all(b" ").unwrap();
        drop(other_end);
        // Our copy for keys closes without typing anything (see `keys_writer`).
        self.writer = Box::new(std::io::sink());
        drop(master);
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    pub fn kill_signal(&mut self, sig: i32) {
        let pid = self.child.process_id().expect("child pid") as i32;
        // SAFETY-free: kill(1) from the system keeps this crate free of libc.
        std::process::Command::new("kill").arg(format!("-{sig}")).arg(pid.to_string()).status().unwrap();
    }

    /// Wait for the program to exit, and for the last of what it wrote
    /// (the restored terminal) to be read; returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + wait_limit();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reading thread ends at the end of the output, once the
                // program's side of the terminal is closed.
                while !self.read_all.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        panic!("guardroom did not exit; the screen shows:\n{}", self.screen());
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

pub const ESC: &str = "\x1b";
pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const CTRL_S: &str = "\x13";
pub const BACKSPACE: &str = "\x7f";
pub const DOWN: &str = "\x1b[B";

/// Load the demo set through the CLI, as an operator could.
pub fn load_demo(home: &Path, db: &Path) {
    let out =
        std::process::Command::new(bin()).args(["--db", db.to_str().unwrap(), "demo"]).env_clear().envs(env_for(home)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Make `account` an operator with `role`, through the CLI, as the test
/// account (the first to open the database, so its admin).
pub fn add_operator(home: &Path, db: &Path, account: &str, role: &str) {
    let out = std::process::Command::new(bin())
        .args(["--db", db.to_str().unwrap(), "operator", "add", account, "--role", role])
        .env_clear()
        .envs(env_for(home))
        .output()
        .unwrap();
    // Adding the test account itself as manager fails harmlessly (it is the admin).
    assert!(out.status.success() || account == "tester", "{}", String::from_utf8_lossy(&out.stderr));
}

/// Every entry of every tree: (tree position in `TREE_NAMES`, key, value).
pub type Entries = Vec<(usize, Vec<u8>, Vec<u8>)>;

/// Every entry of every tree, from one snapshot.
pub fn entries(store: &guardroom::store::Store) -> Entries {
    let mut out = Vec::new();
    store
        .snapshot()
        .for_each(|t, k, v| {
            // Which index layout a database has: set by whichever open or
            // rebuild made its index, not data a copy must carry.
            if t == 0 && k == b"index_layout" {
                return Ok(());
            }
            out.push((t, k.to_vec(), v.to_vec()));
            Ok::<(), guardroom::store::StoreError>(())
        })
        .unwrap();
    out
}

/// What a consistent database looks like: counters match the records, every
/// record has its index keys and its creation in the audit log, every
/// index key points at something, and every sequence is ahead of its ids.
pub fn assert_consistent(store: &guardroom::store::Store) {
    use guardroom::store::{audit_by_record_key, codec, key_id, Store, StoreError, AUDIT_SCHEMA, KIND_NAMES, TREE_NAMES};
    use std::collections::{BTreeMap, HashMap, HashSet};
    let mut trees: Vec<Vec<(Vec<u8>, Vec<u8>)>> = vec![Vec::new(); TREE_NAMES.len()];
    store
        .snapshot()
        .for_each(|t, k, v| {
            trees[t].push((k.to_vec(), v.to_vec()));
            Ok::<(), StoreError>(())
        })
        .unwrap();
    let tree = |name: &str| &trees[TREE_NAMES.iter().position(|t| *t == name).unwrap()];
    let index: BTreeMap<&[u8], &[u8]> = tree("index").iter().map(|(k, v)| (k.as_slice(), v.as_slice())).collect();
    let meta: HashMap<String, u64> = tree("meta")
        .iter()
        .map(|(k, v)| (String::from_utf8(k.clone()).unwrap(), u64::from_be_bytes(v.as_slice().try_into().unwrap())))
        .collect();
    // Every audit entry, and the index key it has if its kind's trail is kept.
    let mut audited = HashSet::new();
    let mut expected_index = HashSet::new();
    for (k, v) in tree("audit") {
        let seq = key_id(k);
        let e: guardroom::domain::AuditEntry = codec::decode(AUDIT_SCHEMA, v).unwrap();
        if let Some(ik) = audit_by_record_key(&e.kind, e.record_id, seq) {
            assert!(index.contains_key(ik.as_slice()), "audit entry {seq} lacks its index key");
            expected_index.insert(ik);
        }
        audited.insert((e.kind, e.record_id));
    }
    for kind in KIND_NAMES {
        let records = tree(kind);
        assert_eq!(meta.get(&format!("count/{kind}")).copied().unwrap_or(0), records.len() as u64, "{kind} counter");
        for (k, v) in records {
            let id = u64::from_be_bytes(k.as_slice().try_into().unwrap());
            assert!(meta[&format!("seq/{kind}")] >= id, "{kind} {id} is ahead of its sequence");
            for (ik, iv) in Store::index_entries_of(kind, id, v).unwrap() {
                assert_eq!(index.get(ik.as_slice()).copied(), Some(iv.as_slice()), "{kind} {id} lacks an index key");
                expected_index.insert(ik);
            }
            assert!(audited.contains(&(kind.to_string(), id)), "{kind} {id} has no audit entry");
        }
    }
    assert_eq!(meta.get("seq/audit").copied().unwrap_or(0), tree("audit").len() as u64, "no audit entry missing or extra");
    for k in index.keys() {
        assert!(expected_index.contains(*k), "an index key no record or audit entry explains");
    }
}

/// The demo database for in-process tests, built once per run in cargo's
/// scratch directory (a static is never dropped, so no temporary directory)
/// under `PREFIX-PID`; copies left by earlier runs go, a run still going
/// keeps its own.
pub fn scratch_demo_db(prefix: &str, clock: guardroom::service::FixedClock) -> std::path::PathBuf {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for old in std::fs::read_dir(scratch).into_iter().flatten().flatten() {
        let name = old.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix(&format!("{prefix}-")) {
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
    }
    let path = scratch.join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    let service = guardroom::service::Service::new(guardroom::store::Store::open(&path).unwrap(), Box::new(clock));
    service.bootstrap_admin("li").unwrap();
    guardroom::service::Api::load_demo(&*service, "li").unwrap();
    path
}
