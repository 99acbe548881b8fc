//! What to run, from the environment, so the one command stays `cargo bench --bench strata`.

use crate::dialect::Dialect;

/// The benchmark's settings.
pub struct Config {
    /// Table counts, `STRATA_BENCH_SIZES` (default 100,1000,5000).
    pub sizes: Vec<usize>,
    /// Runs per measurement for each size, `STRATA_BENCH_RUNS`: one number for every size or
    /// one per size (default 3,3,1: a 5,000-table MariaDB load alone takes minutes on 2 cores).
    pub runs: Vec<usize>,
    /// `STRATA_BENCH_TIMEOUT` (seconds, default 600): a command still running then is killed and
    /// its row says so, so one pathological case cannot stall the whole run.
    pub timeout: std::time::Duration,
    /// `STRATA_BENCH_DIALECTS` (default postgres,mysql,sqlite).
    pub dialects: Vec<Dialect>,
    /// `STRATA_BENCH_PEERS=0` skips installing and running migra and Alembic.
    pub peers: bool,
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let sizes = list("STRATA_BENCH_SIZES", "100,1000,5000", |s| {
            s.parse::<usize>().ok().filter(|n| *n > 0)
        })?;
        let runs = list("STRATA_BENCH_RUNS", "3,3,1", |s| {
            s.parse::<usize>().ok().filter(|n| *n > 0)
        })?;
        let dialects = list(
            "STRATA_BENCH_DIALECTS",
            "postgres,mysql,sqlite",
            Dialect::parse,
        )?;
        let peers = std::env::var("STRATA_BENCH_PEERS").map_or(true, |v| v != "0");
        let timeout = list("STRATA_BENCH_TIMEOUT", "600", |s| s.parse::<u64>().ok())?;
        // One run count per size; a single count (or a list shorter than the sizes) repeats its
        // last value.
        let runs = (0..sizes.len())
            .map(|i| runs[i.min(runs.len() - 1)])
            .collect();
        Ok(Config {
            sizes,
            runs,
            timeout: std::time::Duration::from_secs(timeout[0]),
            dialects,
            peers,
        })
    }
}

/// A comma-separated variable, each item parsed by `parse`; an item it rejects is an error
/// naming the variable.
fn list<T>(var: &str, default: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    let text = std::env::var(var).unwrap_or_else(|_| default.to_string());
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| format!("{var}: cannot use {s:?} (default: {default})")))
        .collect::<Result<Vec<T>, String>>()
        .and_then(|v| {
            if v.is_empty() {
                Err(format!("{var} is empty (default: {default})"))
            } else {
                Ok(v)
            }
        })
}
