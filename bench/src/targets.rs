//! The targets, checked against the measurements of this run. Every verdict says which
//! numbers it rests on; a target whose measurements are missing is "not measured", not a pass.

use crate::dialect::Dialect;
use crate::report::Block;
use crate::scenario::Role;

/// One target's outcome.
pub struct Verdict {
    pub target: String,
    /// None: this run did not measure it (size or dialect not run, or a row skipped).
    pub met: Option<bool>,
    pub detail: String,
}

/// The plan rows every plan target looks at.
const PLANS: [&str; 2] = ["plan_noop", "plan_altered"];

/// Check every target of the issue.
pub fn check(blocks: &[Block]) -> Vec<Verdict> {
    let mut out = Vec::new();
    for n in [1000, 5000] {
        out.push(ratio_target(
            blocks,
            Dialect::Postgres,
            n,
            &PLANS,
            "floor_dump",
            1.0,
            format!("PostgreSQL {n}: strata plan faster than pg_dump --schema-only"),
        ));
        out.push(ratio_target(
            blocks,
            Dialect::Postgres,
            n,
            &["plan_altered"],
            "migra",
            0.25,
            format!("PostgreSQL {n}: strata plan on the altered database ≥4× faster than migra"),
        ));
    }
    out.push(ratio_target(
        blocks,
        Dialect::Mysql,
        1000,
        &PLANS,
        "floor_dump",
        0.2,
        "MariaDB 1000: strata plan ≥5× faster than mysqldump --no-data".into(),
    ));
    out.push(ratio_target(
        blocks,
        Dialect::Sqlite,
        5000,
        &PLANS,
        "floor_dump",
        1.5,
        "SQLite 5000: strata plan within 1.5× of sqlite3 .schema".into(),
    ));
    for b in blocks {
        out.push(ratio_target(
            blocks,
            b.dialect,
            b.tables,
            &["apply"],
            "floor_apply",
            1.2,
            format!(
                "{} {}: apply from empty within 1.2× of the client",
                b.dialect.title(),
                b.tables
            ),
        ));
    }
    out.push(memory(blocks));
    for d in Dialect::ALL {
        out.push(linear(blocks, d));
    }
    for id in ["read_prisma", "read_sqlalchemy"] {
        out.push(read(blocks, id));
    }
    out
}

/// `rows` of (dialect, n) each at most `limit` times the `reference` row.
fn ratio_target(
    blocks: &[Block],
    d: Dialect,
    n: usize,
    rows: &[&str],
    reference: &str,
    limit: f64,
    target: String,
) -> Verdict {
    let Some(b) = blocks.iter().find(|b| b.dialect == d && b.tables == n) else {
        return Verdict {
            target,
            met: None,
            detail: "size or dialect not run".into(),
        };
    };
    let mut met = Some(true);
    let mut detail = Vec::new();
    for id in rows {
        match b.ratio(id, reference) {
            Some(r) => {
                if r > limit {
                    met = met.map(|_| false);
                }
                detail.push(format!("{id} {r:.2}× {reference} (limit {limit}×)"));
            }
            None => {
                met = None;
                detail.push(format!("{id} or {reference} not measured"));
            }
        }
    }
    Verdict {
        target,
        met,
        detail: detail.join("; "),
    }
}

/// Peak memory of every Strata command at 5,000 tables under 150 MiB.
fn memory(blocks: &[Block]) -> Verdict {
    let target = "peak memory of strata under 150 MiB at 5000 tables".to_string();
    let peaks: Vec<(String, f64)> = blocks
        .iter()
        .filter(|b| b.tables == 5000)
        .flat_map(|b| {
            b.rows
                .iter()
                .filter(|r| r.role == Role::Strata)
                .filter_map(move |r| {
                    let s = r.outcome.as_ref().ok()?;
                    Some((format!("{} {}", b.dialect.key(), r.id), s.peak_mib))
                })
        })
        .collect();
    let Some((worst, mib)) = peaks.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        return Verdict {
            target,
            met: None,
            detail: "5000 tables not run".into(),
        };
    };
    Verdict {
        target,
        met: Some(*mib < 150.0),
        detail: format!("highest: {worst} {mib:.1} MiB"),
    }
}

/// Plan time per table at the largest size within 1.5× of that at the next size down
/// (linear growth, allowing for noise on a shared machine).
fn linear(blocks: &[Block], d: Dialect) -> Verdict {
    let target = format!("{}: strata plan time grows linearly with N", d.title());
    let mut sizes: Vec<&Block> = blocks.iter().filter(|b| b.dialect == d).collect();
    sizes.sort_by_key(|b| b.tables);
    let [.., small, large] = sizes[..] else {
        return Verdict {
            target,
            met: None,
            detail: "needs two sizes".into(),
        };
    };
    let per = |b: &Block| b.median("plan_noop").map(|t| t / b.tables as f64);
    match (per(small), per(large)) {
        (Some(a), Some(z)) => Verdict {
            target,
            met: Some(z / a <= 1.5),
            detail: format!(
                "plan_noop {:.2} ms/table at {} vs {:.2} ms/table at {} ({:.2}×, limit 1.5×)",
                a * 1e3,
                small.tables,
                z * 1e3,
                large.tables,
                z / a
            ),
        },
        _ => Verdict {
            target,
            met: None,
            detail: "plan not measured".into(),
        },
    }
}

/// Reading 5,000 models of one ORM (the whole `strata validate` process) under 0.5 s.
fn read(blocks: &[Block], id: &str) -> Verdict {
    let target = format!("{id}: reading 5000 models under 0.5 s");
    let times: Vec<(Dialect, Result<f64, String>)> = blocks
        .iter()
        .filter(|b| b.tables == 5000)
        .filter_map(|b| {
            let r = b.rows.iter().find(|r| r.id == id)?;
            Some((
                b.dialect,
                r.outcome
                    .as_ref()
                    .map(|s| s.median_s)
                    .map_err(|e| e.lines().next().unwrap_or("").to_string()),
            ))
        })
        .collect();
    if times.is_empty() {
        return Verdict {
            target,
            met: None,
            detail: "5000 tables not run".into(),
        };
    }
    let met = times
        .iter()
        .try_fold(true, |ok, (_, t)| t.as_ref().ok().map(|t| ok && *t < 0.5));
    let detail = times
        .iter()
        .map(|(d, t)| match t {
            Ok(t) => format!("{} {t:.3} s", d.key()),
            Err(e) => format!("{} cannot read: {e}", d.key()),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Verdict {
        target,
        met,
        detail,
    }
}

/// The verdicts as text lines.
pub fn render(verdicts: &[Verdict]) -> String {
    let mut out = String::from("\nTargets (issue 11):\n");
    for v in verdicts {
        let mark = match v.met {
            Some(true) => "met   ",
            Some(false) => "MISSED",
            None => "n/a   ",
        };
        out.push_str(&format!("  [{mark}] {} — {}\n", v.target, v.detail));
    }
    out
}
