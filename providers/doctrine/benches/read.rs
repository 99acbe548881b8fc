//! Reading speed: 500 generated entities as Symfony's maker writes them (attributes, relations,
//! an index, getters and setters) loaded for each dialect; prints median / min / max wall time
//! over several runs of `load`, and the process CPU time per run (all threads), which is what
//! counts on a busy machine. `DOCTRINE_BENCH_RUNS` sets the number of runs (e.g. 1 under
//! valgrind).

#[path = "support/entities.rs"]
mod entities;

use std::time::{Duration, Instant};
use strata_doctrine::Doctrine;
use strata_schema::{Dialect, Provider};

const ENTITIES: usize = 500;

fn main() {
    let runs: usize = std::env::var("DOCTRINE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15)
        .max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..ENTITIES {
        let file = dir.path().join(format!("Entity{i}.php"));
        std::fs::write(file, entities::entity(i)).expect("write");
    }
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let cpu_before = cpu_time();
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let loaded = Doctrine.load(dir.path(), dialect, "public").expect("load");
                let elapsed = start.elapsed();
                assert_eq!(loaded.database.table_count(), 2 * ENTITIES - 1);
                elapsed
            })
            .collect();
        let cpu = (cpu_time() - cpu_before) / runs as u32;
        times.sort();
        println!(
            "doctrine read {ENTITIES} entities ({dialect}): median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs; CPU {:.1} ms per run",
            times[runs / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[runs - 1].as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3,
        );
    }
}

/// User and system CPU time of this process so far, all threads (Linux `/proc/self/stat`,
/// in clock ticks of 1/100 s); zero where that file does not exist.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}
