//! `cargo bench`: guardroom's benchmark suite, one table.
//!
//! Generates the large set (10,000 clients, 100,000 visits and 100,000
//! complaints over 3 years; 5,000 staff, 600 posts and about 1,000,000 shift
//! assignments over a year; 300 dorm rooms with 100,000 room checks; 200
//! vehicles with 20,000 trips) in a temporary directory, or uses the
//! database in GUARDROOM_BENCH_DB (made by `guardroom gen --size large`), and
//! measures through the real app state and renderer at 120×40:
//!
//! - cold start to the first frame, and the memory (RSS) of a fresh process
//!   after it has opened every tab;
//! - keystroke → frame on each tab's table: filter, sort, scroll;
//! - bytes written to the terminal per scroll keystroke;
//! - save latency, embedded and through the server;
//! - how long a save takes to reach another of 50 sessions on one server
//!   (GUARDROOM_LOAD_SECS of load, 20 by default);
//! - the Overview, the reports and statistics each tab computes.
//!
//! Each row states its budget; a row over budget says OVER.

#[path = "suite/measure.rs"]
mod measure;
#[path = "suite/server.rs"]
mod server;
#[path = "suite/tabs.rs"]
mod tabs;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::ClientDraft;
use guardroom::i18n::Lang;
use guardroom::service::{generate, Api, ClientQuery, Service, SystemClock};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use measure::{Budget, Stats};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// With its journal, as `guardroom` opens it: a save's cost includes the append and its fsync.
pub fn open(path: &Path) -> Arc<Service> {
    Service::new(Store::open_journaled(path).expect("open the bench database"), Box::new(SystemClock))
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn generate_large(p: &Path) {
    let t = Instant::now();
    generate::generate_large(&open(p), "bench").unwrap();
    eprintln!("generated the large set in {:.1} s", t.elapsed().as_secs_f64());
}

fn main() {
    if std::env::var_os(tabs::RSS_CHILD).is_some() {
        return tabs::rss_child();
    }
    let tmp = tempfile::tempdir().unwrap();
    let path: PathBuf = match std::env::var_os("GUARDROOM_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let p = tmp.path().join("large.db");
            generate_large(&p);
            p
        }
    };
    let mut rows: Vec<Stats> = Vec::new();
    // GUARDROOM_BENCH_ONLY=start,keys,save,server,reports runs those parts.
    let only = std::env::var("GUARDROOM_BENCH_ONLY").ok();
    let want = |part: &str| only.as_deref().is_none_or(|o| o.split(',').any(|p| p.trim() == part));

    // The first open after a bulk load replays sled's log; it is reported on
    // its own. Then: cold start as operators meet it every day.
    let t = Instant::now();
    drop(open(&path));
    let first_open = t.elapsed();
    if want("start") {
        let mut cold = Stats::millis("cold start → first frame (Overview)", Budget::p99_ms(150));
        for _ in 0..15 {
            let t = Instant::now();
            let api: Arc<dyn Api> = open(&path);
            let mut app = App::new(Arc::clone(&api), Lang::Zh, Theme::default(), "bench");
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            term.draw(|f| app.draw(f)).unwrap();
            cold.push(t.elapsed());
            assert!(format!("{:?}", term.backend()).contains("今日待办"), "the first frame is the Overview");
        }
        rows.push(cold);
        rows.push(tabs::rss(&path));
    }

    let service = open(&path);
    let api: Arc<dyn Api> = service.clone();
    let t = Instant::now();
    let n = api.preload().unwrap();
    let preload = t.elapsed();
    let mut app = App::new(Arc::clone(&api), Lang::Zh, Theme::default(), "bench");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();

    // Keystrokes on every tab's table, and what a scroll costs the terminal.
    if want("keys") {
        rows.extend(tabs::keystrokes(&mut app, &mut term));
        rows.push(tabs::scroll_bytes(&mut app));
    }

    if want("save") {
        // Save: edit clients through the service, durable before it returns.
        let mut save = Stats::millis("save (durable), embedded", Budget::p99_ms(20));
        let page = api.list_clients(&ClientQuery { limit: 300, ..Default::default() }).unwrap();
        for (i, c) in page.rows.iter().enumerate() {
            let draft = ClientDraft { notes: format!("bench edit {i}"), ..c.draft.clone() };
            let t = Instant::now();
            api.update_client("bench", c.id, c.meta.version, draft).unwrap();
            save.push(t.elapsed());
        }
        rows.push(save);
        let mut create = Stats::millis("create client (durable), embedded", Budget::p99_ms(20));
        for i in 0..100 {
            let t = Instant::now();
            api.create_client("bench", ClientDraft { name: format!("基准测试客户{i}"), ..Default::default() }).unwrap();
            create.push(t.elapsed());
        }
        rows.push(create);
    }
    let mut load_summary = String::from("not run");
    if want("server") {
        let load = server::measure(&service, &tmp.path().join("bench.sock"));
        rows.extend(load.rows);
        load_summary = load.summary;
    }

    // What each tab computes beyond its table.
    if want("reports") {
        rows.extend(reports(&mut app, &mut term, api.as_ref()));
    }

    println!(
        "\nguardroom benchmark suite on the large set: {n} clients and their complaints read in {:.0} ms in the background; \
         first open after the bulk load {:.0} ms; server load: {}\n",
        preload.as_secs_f64() * 1000.0,
        first_open.as_secs_f64() * 1000.0,
        load_summary
    );
    measure::print_table(&rows);
    let over: Vec<&str> = rows.iter().filter(|r| !r.within_budget()).map(|r| r.name.as_str()).collect();
    if !over.is_empty() {
        println!("\nover budget: {}", over.join("; "));
    }
}

/// The Overview, the monthly department report, complaint statistics, the
/// roster grid and its summary, the dorm ranking and the vehicle totals.
fn reports(app: &mut App, term: &mut Terminal<TestBackend>, api: &dyn Api) -> Vec<Stats> {
    let mut rows = Vec::new();
    key(app, KeyCode::Char('0'));
    term.draw(|f| app.draw(f)).unwrap();
    let mut overview = Stats::millis("Overview, every count → frame", Budget::p99_ms(150));
    for _ in 0..20 {
        app.overview.stale = true;
        let t = Instant::now();
        term.draw(|f| app.draw(f)).unwrap();
        overview.push(t.elapsed());
        assert!(app.overview.data.as_ref().is_some_and(|o| !o.counting), "every count made");
    }
    rows.push(overview);
    let today = api.today();
    let mut report = Stats::millis("monthly department report", Budget::p99_ms(1000));
    for i in 0..10u32 {
        let month = today.checked_sub_months(chrono::Months::new(i % 6)).unwrap();
        let t = Instant::now();
        let r = api.month_report(month).unwrap();
        let text = guardroom::report::text(&r, Lang::Zh);
        report.push(t.elapsed());
        assert!(r.complaints.is_some_and(|c| c.total > 0) && text.contains("五、车辆"));
    }
    rows.push(report);
    let mut stats3y = Stats::millis("complaint statistics, 3 years", Budget::p99_ms(100));
    let from = today.checked_sub_months(chrono::Months::new(36));
    for _ in 0..30 {
        let t = Instant::now();
        let s = api.complaint_stats(from, Some(today)).unwrap();
        stats3y.push(t.elapsed());
        assert!(s.total > 0);
    }
    rows.push(stats3y);

    let mut grid = Stats::millis("roster grid, open any week (600 posts)", Budget::p99_ms(50));
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..40 {
        let monday = guardroom::service::duty::monday_of(today - chrono::Days::new(rng.u64(..330)));
        let t = Instant::now();
        let w = guardroom::service::duty::week(api, monday).unwrap();
        grid.push(t.elapsed());
        assert!(w.assignments > 10_000, "a generated week is full: {}", w.assignments);
    }
    rows.push(grid);
    key(app, KeyCode::Char('3'));
    term.draw(|f| app.draw(f)).unwrap();
    let mut week_move = Stats::millis("roster week move key → frame", Budget::p99_ms(50));
    for i in 0..40 {
        let t = Instant::now();
        key(app, if i % 10 < 6 { KeyCode::Char('[') } else { KeyCode::Char(']') });
        term.draw(|f| app.draw(f)).unwrap();
        week_move.push(t.elapsed());
    }
    rows.push(week_move);
    let mut summary = Stats::millis("monthly attendance summary (5k staff)", Budget::p99_ms(500));
    for i in 0..10u32 {
        let month = today.checked_sub_months(chrono::Months::new(1 + i % 10)).unwrap_or(today);
        let t = Instant::now();
        let m = guardroom::service::duty::summary(api, month).unwrap();
        summary.push(t.elapsed());
        assert!(m.rows.len() > 4_000, "most guards worked that month: {}", m.rows.len());
    }
    rows.push(summary);

    // A month's hygiene ranking over 300 rooms (of 100,000 checks) and a
    // month's totals over 200 vehicles (of 20,000 trips).
    use guardroom::service::logistics::{LogisticsData, LogisticsQuery};
    let mut rank = Stats::millis("monthly hygiene ranking (300 rooms)", Budget::p99_ms(100));
    let mut fleet = Stats::millis("monthly vehicle totals (200 vehicles)", Budget::p99_ms(100));
    for i in 0..20u32 {
        let month = today.checked_sub_months(chrono::Months::new(1 + i % 10)).unwrap_or(today);
        let t = Instant::now();
        let r = api.logistics(&LogisticsQuery::Ranking { month }).unwrap();
        rank.push(t.elapsed());
        assert!(matches!(r, LogisticsData::Ranking { ref rows, .. } if rows.len() == 300), "every room was checked that month");
        let t = Instant::now();
        let m = api.logistics(&LogisticsQuery::Month { month }).unwrap();
        fleet.push(t.elapsed());
        assert!(matches!(m, LogisticsData::Month(ref rows) if rows.iter().any(|r| r.totals.trips > 0)));
    }
    rows.push(rank);
    rows.push(fleet);
    rows
}
