//! Every tab as an operator meets it: keystroke → frame on each table, the
//! bytes a scroll sends to the terminal, and the memory of a fresh process
//! that has opened every tab.

use super::measure::{Budget, Stats};
use super::{key, open};
use crossterm::event::KeyCode;
use guardroom::i18n::Lang;
use guardroom::service::Api;
use guardroom::ui::scrolling::Scrolling;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A tab's table: its digit, what the filter is tried with, whether it sorts.
struct Table {
    digit: char,
    name: &'static str,
    queries: &'static [&'static str],
    sorts: bool,
}

const TABLES: [Table; 9] = [
    Table {
        digit: '1', name: "Clients (10k)", queries: &["上海华贸物业", "苏州恒达", "1380", "kh-00", "南京路"], sorts: true
    },
    Table {
        digit: '2', name: "Complaints (100k)", queries: &["夜班睡岗", "巡逻漏点", "ts-2025", "上海华贸", "刘强"], sorts: true
    },
    Table { digit: '3', name: "Rosters (600 posts)", queries: &[], sorts: false },
    Table { digit: '4', name: "Staff (5k)", queries: &["张伟", "李", "1391", "队长"], sorts: false },
    Table { digit: '5', name: "Posts (600)", queries: &["门岗", "上海", "夜班", "gw-1"], sorts: false },
    Table { digit: '6', name: "Dorm (300 rooms)", queries: &["宿舍", "10", "张"], sorts: false },
    Table { digit: '7', name: "Vehicles (200)", queries: &["沪A", "巡逻", "1"], sorts: false },
    Table { digit: '8', name: "Audit (574k)", queries: &["client", "王", "bench"], sorts: false },
    Table { digit: '9', name: "Operators", queries: &[], sorts: false },
];

const SCROLL_KEYS: [KeyCode; 8] = [
    KeyCode::Char('j'),
    KeyCode::Char('j'),
    KeyCode::PageDown,
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::End,
    KeyCode::Char('k'),
    KeyCode::Home,
];

fn frame(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) -> std::time::Duration {
    let t = Instant::now();
    key(app, code);
    term.draw(|f| app.draw(f)).unwrap();
    t.elapsed()
}

/// Filter, sort and scroll on every tab's table: a row per tab and action.
pub fn keystrokes(app: &mut App, term: &mut Terminal<TestBackend>) -> Vec<Stats> {
    let mut rows = Vec::new();
    for table in &TABLES {
        key(app, KeyCode::Char(table.digit));
        for _ in 0..3 {
            term.draw(|f| app.draw(f)).unwrap();
        }
        if !table.queries.is_empty() {
            let mut filter = Stats::millis(format!("{}: filter keystroke → frame", table.name), Budget::p99_ms(16));
            // A search that runs aside (the audit trail): keystroke → its results.
            let mut aside = Stats::new(format!("{}: filter keystroke → results found aside", table.name), "ms", None);
            for round in 0..20 {
                key(app, KeyCode::Char('/'));
                let query = table.queries[round % table.queries.len()];
                for c in query.chars() {
                    let t = Instant::now();
                    filter.push(frame(app, term, KeyCode::Char(c)));
                    if app.busy() {
                        while app.busy() {
                            std::thread::sleep(std::time::Duration::from_micros(200));
                            term.draw(|f| app.draw(f)).unwrap();
                        }
                        aside.push(t.elapsed());
                    }
                }
                for _ in query.chars() {
                    filter.push(frame(app, term, KeyCode::Backspace));
                }
                key(app, KeyCode::Esc);
                term.draw(|f| app.draw(f)).unwrap();
                while app.busy() {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                    term.draw(|f| app.draw(f)).unwrap();
                }
            }
            rows.push(filter);
            if aside.runs() > 0 {
                rows.push(aside);
            }
        }
        if table.sorts {
            let mut sort = Stats::millis(format!("{}: sort keystroke → frame", table.name), Budget::p99_ms(16));
            for _ in 0..60 {
                sort.push(frame(app, term, KeyCode::Char('s')));
            }
            rows.push(sort);
        }
        let mut scroll = Stats::millis(format!("{}: scroll keystroke → frame", table.name), Budget::p99_ms(16));
        for i in 0..200 {
            scroll.push(frame(app, term, SCROLL_KEYS[i % SCROLL_KEYS.len()]));
        }
        rows.push(scroll);
    }
    rows
}

/// Counts what the app writes to its terminal.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes sent to a 120×40 terminal per line scroll (j and k, past the end of
/// the page so the rows move) on every tab's table: the cells that changed,
/// with their colours and cursor moves, after the terminal has been asked
/// to scroll the rows that moved.
pub fn scroll_bytes(app: &mut App) -> Stats {
    let counter = Counter::default();
    // The backend the app draws through: moved rows are scrolled by the terminal.
    let backend = Scrolling::new(CrosstermBackend::new(counter.clone()), true);
    let copy = backend.frame_copy();
    let mut term = Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)) }).unwrap();
    let draw = |term: &mut Terminal<Scrolling<CrosstermBackend<Counter>>>, app: &mut App| {
        term.draw(|f| {
            app.draw(f);
            copy.keep(f.buffer_mut());
        })
        .unwrap();
    };
    let mut bytes = Stats::new("bytes to the terminal per scroll keystroke (120×40, every tab)", "B", Some(Budget::p99(4096.0)));
    for table in &TABLES {
        key(app, KeyCode::Char(table.digit));
        key(app, KeyCode::Home);
        for _ in 0..2 {
            draw(&mut term, app);
        }
        for i in 0..120 {
            let code = if i % 60 < 45 { KeyCode::Char('j') } else { KeyCode::Char('k') };
            let before = counter.0.load(Ordering::Relaxed);
            key(app, code);
            draw(&mut term, app);
            bytes.push_value((counter.0.load(Ordering::Relaxed) - before) as f64);
        }
    }
    bytes
}

/// Set in the environment of the child process that measures memory.
pub const RSS_CHILD: &str = "GUARDROOM_BENCH_RSS_CHILD";

/// In a fresh process: open the database, read what the app reads at start,
/// open every tab, then report the resident set.
pub fn rss_child() {
    let path = std::env::var_os("GUARDROOM_BENCH_DB").expect("the database to open");
    let kb = |field: &str| {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).unwrap_or(0)
    };
    // As the program starts.
    guardroom::memory::tune();
    let api: Arc<dyn Api> = open(Path::new(&path));
    eprintln!("opened: {} kB anon {} file {}", kb("VmRSS:"), kb("RssAnon:"), kb("RssFile:"));
    api.preload().unwrap();
    eprintln!("preloaded: {} kB", kb("VmRSS:"));
    let mut app = App::new(Arc::clone(&api), Lang::Zh, Theme::default(), "bench");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for digit in "0123456789".chars() {
        key(&mut app, KeyCode::Char(digit));
        for _ in 0..3 {
            term.draw(|f| app.draw(f)).unwrap();
        }
        eprintln!("tab {digit}: {} kB", kb("VmRSS:"));
    }
    println!("rss_kb={} peak_kb={}", kb("VmRSS:"), kb("VmHWM:"));
}

/// The resident set of a fresh process after opening every tab, three runs.
pub fn rss(path: &Path) -> Stats {
    let mut rss = Stats::new("memory (RSS) after opening every tab", "MB", Some(Budget::max(200.0)));
    for _ in 0..3 {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env(RSS_CHILD, "1")
            .env("GUARDROOM_BENCH_DB", path)
            .output()
            .expect("run the memory probe");
        let text = String::from_utf8_lossy(&out.stdout);
        let kb: u64 = text
            .split_whitespace()
            .find_map(|w| w.strip_prefix("rss_kb="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("the memory probe said: {text} {}", String::from_utf8_lossy(&out.stderr)));
        rss.push_value(kb as f64 / 1024.0);
    }
    rss
}
