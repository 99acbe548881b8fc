//! Several samples of one measurement reduced to what the report shows: median and spread of
//! the wall time, and the highest peak memory seen.

use crate::measure::Sample;

/// The summary of one measurement's runs.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub runs: usize,
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
    pub peak_mib: f64,
}

impl Stats {
    /// Summarise `samples` (at least one).
    pub fn of(samples: &[Sample]) -> Stats {
        let mut secs: Vec<f64> = samples.iter().map(|s| s.wall.as_secs_f64()).collect();
        secs.sort_by(f64::total_cmp);
        let mid = secs.len() / 2;
        let median_s = if secs.len() % 2 == 1 {
            secs[mid]
        } else {
            (secs[mid - 1] + secs[mid]) / 2.0
        };
        let peak_kib = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
        Stats {
            runs: samples.len(),
            median_s,
            min_s: secs[0],
            max_s: secs[secs.len() - 1],
            peak_mib: peak_kib as f64 / 1024.0,
        }
    }
}

/// Run `once` `runs` times (run index given) and summarise; the first failure ends it.
pub fn sample(
    runs: usize,
    mut once: impl FnMut(usize) -> Result<Sample, String>,
) -> Result<Stats, String> {
    let samples = (0..runs).map(&mut once).collect::<Result<Vec<_>, _>>()?;
    Ok(Stats::of(&samples))
}
