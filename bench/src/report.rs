//! The results: one table per dialect on stdout, the targets checked, and the same as
//! JSON in `bench/results.json` for tracking over time.

use crate::dialect::Dialect;
use crate::scenario::{Role, Row};
use serde_json::{Value, json};
use std::fmt::Write;

/// The rows of one dialect at one size, with the machine's load while they ran.
pub struct Block {
    pub dialect: Dialect,
    pub tables: usize,
    pub rows: Vec<Row>,
    /// 1-minute load average before and after the block (2 cores shared with other work).
    pub load: (f64, f64),
}

impl Block {
    fn row(&self, id: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// Median time of `id` over median time of `other`, when both were measured.
    pub fn ratio(&self, id: &str, other: &str) -> Option<f64> {
        let a = self.row(id)?.outcome.as_ref().ok()?;
        let b = self.row(other)?.outcome.as_ref().ok()?;
        Some(a.median_s / b.median_s)
    }

    pub fn median(&self, id: &str) -> Option<f64> {
        Some(self.row(id)?.outcome.as_ref().ok()?.median_s)
    }
}

/// The text table of one block.
pub fn table(b: &Block) -> String {
    let runs = b
        .rows
        .iter()
        .find_map(|r| r.outcome.as_ref().ok().map(|s| s.runs));
    let mut out = format!(
        "\n{} — {} tables ({} runs each; load average {:.2} before, {:.2} after)\n",
        b.dialect.title(),
        b.tables,
        runs.unwrap_or(0),
        b.load.0,
        b.load.1
    );
    let _ = writeln!(
        out,
        "  {:<46} {:>9} {:>19} {:>9}  ratio (time / time)",
        "command", "median s", "spread (min–max) s", "peak MiB"
    );
    for r in &b.rows {
        let tag = match r.role {
            Role::Strata => "",
            Role::Floor => " [floor]",
            Role::Peer => " [peer]",
        };
        let label = format!("{}{tag}", r.label);
        match &r.outcome {
            Ok(s) => {
                let ratios: Vec<String> = r
                    .compare
                    .iter()
                    .filter_map(|other| {
                        let name = &b.row(other)?.short;
                        Some(format!("{:.2}× {name}", b.ratio(r.id, other)?))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "  {label:<46} {:>9.3} {:>19} {:>9.1}  {}",
                    s.median_s,
                    format!("{:.3}–{:.3}", s.min_s, s.max_s),
                    s.peak_mib,
                    ratios.join(", ")
                );
            }
            Err(why) => {
                let first = why.lines().next().unwrap_or("");
                let _ = writeln!(out, "  {label:<46} skipped: {first}");
            }
        }
    }
    out
}

/// `strata plan` time per table across the sizes of one dialect, to show how it grows.
pub fn growth(blocks: &[&Block]) -> String {
    let mut out = String::new();
    for id in ["plan_noop", "plan_altered"] {
        let points: Vec<String> = blocks
            .iter()
            .filter_map(|b| {
                let t = b.median(id)?;
                Some(format!(
                    "{} tables {:.3} s = {:.2} ms/table",
                    b.tables,
                    t,
                    t * 1e3 / b.tables as f64
                ))
            })
            .collect();
        if !points.is_empty() {
            let _ = writeln!(out, "  growth of {id}: {}", points.join("; "));
        }
    }
    out
}

/// The JSON document for `bench/results.json`.
pub fn json(blocks: &[Block], targets: &[crate::targets::Verdict], meta: Value) -> Value {
    let results: Vec<Value> = blocks
        .iter()
        .map(|b| {
            let rows: Vec<Value> = b
                .rows
                .iter()
                .map(|r| {
                    let ratios: serde_json::Map<String, Value> = r
                        .compare
                        .iter()
                        .filter_map(|o| Some((o.to_string(), json!(b.ratio(r.id, o)?))))
                        .collect();
                    let role = match r.role {
                        Role::Strata => "strata",
                        Role::Floor => "floor",
                        Role::Peer => "peer",
                    };
                    match &r.outcome {
                        Ok(s) => json!({
                            "id": r.id, "command": r.label, "role": role, "runs": s.runs,
                            "median_s": s.median_s, "min_s": s.min_s, "max_s": s.max_s,
                            "peak_rss_mib": s.peak_mib, "ratios": ratios,
                        }),
                        Err(why) => {
                            json!({"id": r.id, "command": r.label, "role": role, "skipped": why})
                        }
                    }
                })
                .collect();
            json!({
                "dialect": b.dialect.key(), "tables": b.tables,
                "load_average": {"before": b.load.0, "after": b.load.1},
                "rows": rows,
            })
        })
        .collect();
    let targets: Vec<Value> = targets
        .iter()
        .map(|v| json!({"target": v.target, "met": v.met, "detail": v.detail}))
        .collect();
    json!({"meta": meta, "results": results, "targets": targets})
}
