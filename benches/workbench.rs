//! `cargo bench`: the Clients, Complaints and Rosters tabs on the large
//! generated set (10,000 clients, 100,000 visits, 100,000 complaints over 3
//! years; 5,000 staff, 600 posts, about 1,000,000 shift assignments over a
//! year). Reports cold start to first frame, filter keystroke → frame on
//! each tab, scroll keystroke → frame, save latency, the 3-year complaint
//! statistics, opening the roster grid on any week, moving a week and the
//! monthly attendance summary against their budgets.
//!
//! Set GUARDROOM_BENCH_DB to a database made by `guardroom gen --size large`
//! to skip generating one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::ClientDraft;
use guardroom::i18n::Lang;
use guardroom::service::{generate, Api, ClientQuery, Service, SystemClock};
use guardroom::store::Store;
use guardroom::ui::{theme::Theme, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Stats {
    name: &'static str,
    samples: Vec<Duration>,
    budget: Duration,
    /// Which percentile the budget applies to.
    at: f64,
}

impl Stats {
    fn pct(&self, p: f64) -> Duration {
        let mut s = self.samples.clone();
        s.sort();
        let i = ((s.len() as f64 - 1.0) * p).round() as usize;
        s[i]
    }
    fn row(&self) -> String {
        let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
        let verdict = if self.pct(self.at) <= self.budget { "ok" } else { "OVER" };
        format!(
            "| {:<34} | {:>6} | {:>8} | {:>8} | {:>8} | p{:.0} < {} ms: {} |",
            self.name,
            self.samples.len(),
            ms(self.pct(0.5)),
            ms(self.pct(0.99)),
            ms(self.pct(1.0)),
            self.at * 100.0,
            self.budget.as_millis(),
            verdict
        )
    }
}

/// With its journal, as `guardroom` opens it: a save's cost includes the append and its fsync.
fn open(path: &Path) -> Arc<Service> {
    Service::new(Store::open_journaled(path).expect("open the bench database"), Box::new(SystemClock))
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let path: PathBuf = match std::env::var_os("GUARDROOM_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let p = tmp.path().join("large.db");
            let s = open(&p);
            let t = Instant::now();
            generate::generate(&s, "bench", s.today(), &generate::LARGE, |_, _| {}).unwrap();
            guardroom::service::generate_rosters::generate_rosters(
                &s,
                "bench",
                s.today(),
                &guardroom::service::generate_rosters::LARGE_ROSTERS,
                |_| {},
            )
            .unwrap();
            guardroom::service::generate_logistics::generate_logistics(
                &s,
                "bench",
                s.today(),
                &guardroom::service::generate_logistics::LARGE_LOGISTICS,
            )
            .unwrap();
            eprintln!("generated the large set in {:.1} s", t.elapsed().as_secs_f64());
            p
        }
    };

    // The first open after a bulk load replays sled's log; it is reported on
    // its own. Then: cold start as operators meet it every day.
    let t = Instant::now();
    drop(open(&path));
    let first_open = t.elapsed();
    let mut cold = Stats { name: "cold start → first frame (Overview)", samples: vec![], budget: Duration::from_millis(150), at: 0.99 };
    for _ in 0..15 {
        let t = Instant::now();
        let api: Arc<dyn Api> = open(&path);
        let mut app = App::new(Arc::clone(&api), Lang::Zh, Theme::default(), "bench");
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| app.draw(f)).unwrap();
        cold.samples.push(t.elapsed());
        assert!(format!("{:?}", term.backend()).contains("今日待办"), "the first frame is the Overview");
    }

    let service = open(&path);
    let api: Arc<dyn Api> = service.clone();
    let t = Instant::now();
    let n = api.preload().unwrap();
    let preload = t.elapsed();
    let mut app = App::new(Arc::clone(&api), Lang::Zh, Theme::default(), "bench");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();

    // The Overview with every count, once the lists are in memory (what a
    // change by another operator or a return to the tab redraws).
    let mut overview = Stats { name: "Overview, every count → frame", samples: vec![], budget: Duration::from_millis(150), at: 0.99 };
    for _ in 0..20 {
        app.overview.stale = true;
        let t = Instant::now();
        term.draw(|f| app.draw(f)).unwrap();
        overview.samples.push(t.elapsed());
        assert!(app.overview.data.as_ref().is_some_and(|o| !o.counting), "every count made");
    }
    let mut report = Stats { name: "monthly department report", samples: vec![], budget: Duration::from_millis(1000), at: 0.99 };
    for i in 0..10u32 {
        let month = api.today().checked_sub_months(chrono::Months::new(i % 6)).unwrap();
        let t = Instant::now();
        let r = api.month_report(month).unwrap();
        let text = guardroom::report::text(&r, Lang::Zh);
        report.samples.push(t.elapsed());
        assert!(r.complaints.is_some_and(|c| c.total > 0) && text.contains("五、车辆"));
    }
    key(&mut app, KeyCode::Char('1'));

    // Filter: type a query one key at a time, then delete it, many rounds.
    let mut filter = Stats { name: "filter keystroke → frame (10k)", samples: vec![], budget: Duration::from_millis(16), at: 0.99 };
    for round in 0..40 {
        key(&mut app, KeyCode::Char('/'));
        let query = ["上海华贸物业", "苏州恒达", "1380", "kh-00", "南京路"][round % 5];
        for c in query.chars() {
            let t = Instant::now();
            key(&mut app, KeyCode::Char(c));
            term.draw(|f| app.draw(f)).unwrap();
            filter.samples.push(t.elapsed());
        }
        for _ in query.chars() {
            let t = Instant::now();
            key(&mut app, KeyCode::Backspace);
            term.draw(|f| app.draw(f)).unwrap();
            filter.samples.push(t.elapsed());
        }
        key(&mut app, KeyCode::Esc);
    }

    // Scrolling and sorting the whole list.
    let mut scroll = Stats { name: "scroll/sort keystroke → frame", samples: vec![], budget: Duration::from_millis(16), at: 0.99 };
    let keys =
        [KeyCode::PageDown, KeyCode::Char('j'), KeyCode::End, KeyCode::Home, KeyCode::Char('s'), KeyCode::PageDown, KeyCode::Char('k')];
    for i in 0..700 {
        let t = Instant::now();
        key(&mut app, keys[i % keys.len()]);
        term.draw(|f| app.draw(f)).unwrap();
        scroll.samples.push(t.elapsed());
    }

    // Save: edit clients through the service, durable before it returns.
    let mut save = Stats { name: "save (durable) latency", samples: vec![], budget: Duration::from_millis(20), at: 0.99 };
    let page = api.list_clients(&ClientQuery { limit: 300, ..Default::default() }).unwrap();
    for (i, c) in page.rows.iter().enumerate() {
        let draft = ClientDraft { notes: format!("bench edit {i}"), ..c.draft.clone() };
        let t = Instant::now();
        api.update_client("bench", c.id, c.meta.version, draft).unwrap();
        save.samples.push(t.elapsed());
    }
    let mut create = Stats { name: "create client (durable) latency", samples: vec![], budget: Duration::from_millis(20), at: 0.99 };
    for i in 0..100 {
        let t = Instant::now();
        api.create_client("bench", ClientDraft { name: format!("基准测试客户{i}"), ..Default::default() }).unwrap();
        create.samples.push(t.elapsed());
    }

    // Complaints: filter keystrokes on the register, and 3 years of statistics.
    key(&mut app, KeyCode::Char('2'));
    term.draw(|f| app.draw(f)).unwrap();
    let mut cfilter = Stats { name: "complaint filter keystroke (100k)", samples: vec![], budget: Duration::from_millis(16), at: 0.99 };
    for round in 0..40 {
        key(&mut app, KeyCode::Char('/'));
        let query = ["夜班睡岗", "巡逻漏点", "ts-2025", "上海华贸", "刘强"][round % 5];
        for c in query.chars().chain(std::iter::once('\u{8}')) {
            let t = Instant::now();
            if c == '\u{8}' {
                key(&mut app, KeyCode::Backspace);
            } else {
                key(&mut app, KeyCode::Char(c));
            }
            term.draw(|f| app.draw(f)).unwrap();
            cfilter.samples.push(t.elapsed());
        }
        key(&mut app, KeyCode::Esc);
        let t = Instant::now();
        key(&mut app, KeyCode::Char('f'));
        term.draw(|f| app.draw(f)).unwrap();
        cfilter.samples.push(t.elapsed());
    }
    let mut stats3y = Stats { name: "complaint statistics, 3 years", samples: vec![], budget: Duration::from_millis(100), at: 0.99 };
    let today = api.today();
    let from = today.checked_sub_months(chrono::Months::new(36));
    for _ in 0..30 {
        let t = Instant::now();
        let s = api.complaint_stats(from, Some(today)).unwrap();
        stats3y.samples.push(t.elapsed());
        assert!(s.total > 0);
    }

    // Rosters: the grid on any week of the year, a week's move as the
    // operator meets it (key → frame), and a month's attendance summary.
    let mut grid = Stats { name: "roster grid, open any week (600 posts)", samples: vec![], budget: Duration::from_millis(50), at: 0.99 };
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..40 {
        let monday = guardroom::service::duty::monday_of(today - chrono::Days::new(rng.u64(..330)));
        let t = Instant::now();
        let w = guardroom::service::duty::week(api.as_ref(), monday).unwrap();
        grid.samples.push(t.elapsed());
        assert!(w.assignments > 10_000, "a generated week is full: {}", w.assignments);
    }
    key(&mut app, KeyCode::Char('3'));
    term.draw(|f| app.draw(f)).unwrap();
    let mut week_move = Stats { name: "roster week move key → frame", samples: vec![], budget: Duration::from_millis(50), at: 0.99 };
    for i in 0..40 {
        let t = Instant::now();
        key(&mut app, if i % 10 < 6 { KeyCode::Char('[') } else { KeyCode::Char(']') });
        term.draw(|f| app.draw(f)).unwrap();
        week_move.samples.push(t.elapsed());
    }
    let mut summary =
        Stats { name: "monthly attendance summary (5k staff)", samples: vec![], budget: Duration::from_millis(500), at: 0.99 };
    for i in 0..10u32 {
        let month = today.checked_sub_months(chrono::Months::new(1 + i % 10)).unwrap_or(today);
        let t = Instant::now();
        let m = guardroom::service::duty::summary(api.as_ref(), month).unwrap();
        summary.samples.push(t.elapsed());
        assert!(m.rows.len() > 4_000, "most guards worked that month: {}", m.rows.len());
    }

    // Dorm and vehicles: a month's hygiene ranking over 300 rooms (of 100,000
    // checks) and a month's totals over 200 vehicles (of 20,000 trips).
    use guardroom::service::logistics::{LogisticsData, LogisticsQuery};
    let mut rank = Stats { name: "monthly hygiene ranking (300 rooms)", samples: vec![], budget: Duration::from_millis(100), at: 0.99 };
    let mut fleet = Stats { name: "monthly vehicle totals (200 vehicles)", samples: vec![], budget: Duration::from_millis(100), at: 0.99 };
    for i in 0..20u32 {
        let month = today.checked_sub_months(chrono::Months::new(1 + i % 10)).unwrap_or(today);
        let t = Instant::now();
        let r = api.logistics(&LogisticsQuery::Ranking { month }).unwrap();
        rank.samples.push(t.elapsed());
        assert!(matches!(r, LogisticsData::Ranking { ref rows, .. } if rows.len() == 300), "every room was checked that month");
        let t = Instant::now();
        let m = api.logistics(&LogisticsQuery::Month { month }).unwrap();
        fleet.samples.push(t.elapsed());
        assert!(matches!(m, LogisticsData::Month(ref rows) if rows.iter().any(|r| r.totals.trips > 0)));
    }

    println!(
        "\nguardroom benchmark: {n} clients and their complaints read in {:.0} ms in the background; first open after the bulk load {:.0} ms\n",
        preload.as_secs_f64() * 1000.0,
        first_open.as_secs_f64() * 1000.0
    );
    println!("| {:<34} | {:>6} | {:>8} | {:>8} | {:>8} | budget |", "measure", "runs", "p50 ms", "p99 ms", "max ms");
    println!("|{}|{}|{}|{}|{}|---|", "-".repeat(36), "-".repeat(8), "-".repeat(10), "-".repeat(10), "-".repeat(10));
    for s in [&cold, &overview, &report, &filter, &scroll, &save, &create, &cfilter, &stats3y, &grid, &week_move, &summary, &rank, &fleet] {
        println!("{}", s.row());
    }
}
