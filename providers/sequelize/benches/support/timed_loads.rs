//! The timing loop of the Sequelize and TypeORM read benchmarks (included with `#[path]`):
//! `load` of a generated folder, repeated, median and spread printed.

use std::path::Path;
use std::time::{Duration, Instant};
use strata_schema::{Dialect, Provider};

/// Runs per measurement unless `BENCH_RUNS` says otherwise, so a profiler (callgrind) can
/// count the instructions of a single load.
const RUNS: usize = 15;

fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(RUNS)
}

/// Load `dir` with `provider` for PostgreSQL several times, check it gives `tables` tables, and
/// print `label` with the median, minimum and maximum.
pub fn time_loads(provider: &dyn Provider, dir: &Path, tables: usize, label: &str) {
    let runs = runs();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let loaded = provider
                .load(dir, Dialect::Postgres, "public")
                .expect("load");
            assert_eq!(loaded.database.table_count(), tables);
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label} ({runs} runs): median {:.1} ms, min {:.1} ms, max {:.1} ms",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}
