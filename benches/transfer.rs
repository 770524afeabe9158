//! CSV import of the large set's 10,000 clients (budget < 2 s): the
//! generator writes them, the export writes the file a clerk would have,
//! and each run imports it into a fresh database, preview then storing all
//! rows in one transaction. Run with `cargo bench --bench transfer`.

use guardroom::i18n::Lang;
use guardroom::service::{generate, Api, Service, SystemClock};
use guardroom::store::Store;
use guardroom::transfer::{csv_out, ImportMode, Kind, Table};
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let source = Service::new(Store::open(&dir.path().join("source.db")).expect("open"), Box::new(SystemClock));
    let sizes = generate::Sizes { clients: generate::LARGE.clients, visits: 0, complaints: 0 };
    generate::generate(&source, "bench", source.today(), &sizes, |_, _| {}).expect("generate");
    let file = csv_out::table_bytes(source.store(), Table::Clients, Lang::Zh, true).expect("export");
    println!("file: {} clients, {:.1} MB", sizes.clients, file.len() as f64 / 1e6);
    let runs = std::env::var("GUARDROOM_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let (mut preview, mut import) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let s = Service::new(Store::open(&dir.path().join(format!("run{i}.db"))).expect("open"), Box::new(SystemClock));
        let t = Instant::now();
        let r = s.import_csv("bench", Kind::Clients, &file, ImportMode::Preview, &mut |_, _, _| {}).expect("preview");
        preview.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.good, sizes.clients);
        let t = Instant::now();
        let r = s.import_csv("bench", Kind::Clients, &file, ImportMode::GoodRows, &mut |_, _, _| {}).expect("import");
        import.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.imported, sizes.clients);
    }
    let row = |name: &str, v: &mut Vec<f64>, budget: &str| {
        v.sort_by(|a, b| a.total_cmp(b));
        println!("| {name:<44} | {:>4} | {:>8.1} | {:>8.1} | {budget} |", v.len(), v[v.len() / 2], v[v.len() - 1]);
    };
    println!("| {:<44} | runs | p50 ms   | max ms   | budget |", "measure");
    row("preview of 10,000 clients (read, decode, check)", &mut preview, "—");
    row("import of 10,000 clients (check + one transaction)", &mut import, "< 2000 ms");
}
