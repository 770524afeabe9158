//! Backup, verify and restore on the large data set (see `workbench.rs`:
//! 10,000 clients, 100,000 visits and complaints, a year of rosters with
//! 1,001,700 shift assignments, 100,000 room checks, 20,000 trips).
//!
//! `cargo bench --bench backup`; set GUARDROOM_BENCH_DB to a database made by
//! `guardroom gen --size large` to skip generating one. Budget: a backup of
//! the large set in under 5 s (writes wait for it; reads go on).

use guardroom::service::{generate, Api, Service, SystemClock};
use guardroom::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn open(path: &std::path::Path) -> Arc<Service> {
    Service::new(Store::open(path).expect("open the bench database"), Box::new(SystemClock))
}

fn generate_large(p: &std::path::Path) {
    let t = Instant::now();
    generate::generate_large(&open(p), "bench").unwrap();
    eprintln!("generated the large set in {:.1} s", t.elapsed().as_secs_f64());
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let path: PathBuf = match std::env::var_os("GUARDROOM_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let p = tmp.path().join("large.db");
            generate_large(&p);
            p
        }
    };
    let out = tmp.path().join("large.grb");
    let runs = 3;
    let mut backups = Vec::new();
    let mut reads = Vec::new();
    let mut summary = None;
    {
        let service = open(&path);
        // The snapshot's reading alone: every tree's entries, nothing written.
        for _ in 0..runs {
            let t = Instant::now();
            let mut bytes = 0usize;
            service
                .store()
                .snapshot()
                .for_each(|_, k, v| {
                    bytes += k.len() + v.len();
                    Ok::<(), guardroom::store::StoreError>(())
                })
                .unwrap();
            reads.push(t.elapsed());
            assert!(bytes > 0);
        }
        for _ in 0..runs {
            std::fs::remove_file(&out).ok();
            let t = Instant::now();
            summary = Some(guardroom::backup::write_backup(service.store(), &out, false).unwrap());
            backups.push(t.elapsed());
        }
    }
    let summary = summary.unwrap();
    let mut verifies = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        guardroom::backup::verify(&out).unwrap();
        verifies.push(t.elapsed());
    }
    let target = tmp.path().join("restored.db");
    let t = Instant::now();
    let restored = guardroom::backup::restore(&out, &target, false).unwrap();
    let restore = t.elapsed();
    assert_eq!(restored.records, summary.records);

    backups.sort();
    verifies.sort();
    reads.sort();
    let records: u64 = summary.records.iter().map(|(_, n)| n).sum();
    println!(
        "\nguardroom backup benchmark: {records} records and {} audit entries, a {:.0} MB file\n",
        summary.audit_entries,
        summary.bytes as f64 / 1_048_576.0
    );
    println!("| measure | runs | median s | max s | budget |");
    println!("|---|---|---|---|---|");
    let verdict = if backups[runs - 1] < Duration::from_secs(5) { "ok" } else { "OVER" };
    println!(
        "| backup (snapshot → file, fsynced) | {runs} | {} | {} | < 5 s: {verdict} |",
        secs(backups[runs / 2]),
        secs(backups[runs - 1])
    );
    println!("| reading every tree one by one, index too (snapshot) | {runs} | {} | {} | |", secs(reads[runs / 2]), secs(reads[runs - 1]));
    println!("| verify (restore --check) | {runs} | {} | {} | |", secs(verifies[runs / 2]), secs(verifies[runs - 1]));
    println!("| restore (verify, build aside, move in) | 1 | {} | {} | |", secs(restore), secs(restore));
}
