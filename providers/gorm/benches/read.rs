//! Reading 500 GORM models: generates a package of 500 related structs (50 files) into a temp
//! dir and times `load` for each dialect. Prints median / min / max over several runs.

use std::time::{Duration, Instant};
use strata_schema::{Dialect, Provider};

const MODELS: usize = 500;
const PER_FILE: usize = 10;
const RUNS: usize = 15;

/// Runs per measurement: `BENCH_RUNS` overrides the default, so a profiler (callgrind) can
/// count the instructions of a single load.
fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(RUNS)
}

fn model(i: usize) -> String {
    let parent = if i > 0 {
        format!(
            "\tParent{p}ID uint\n\tParent{p} Entity{p} `gorm:\"foreignKey:Parent{p}ID;constraint:OnDelete:CASCADE\"`\n",
            p = i - 1
        )
    } else {
        String::new()
    };
    format!(
        "type Entity{i} struct {{\n\tgorm.Model\n\tCode string `gorm:\"size:32;uniqueIndex\"`\n\tName string `gorm:\"size:100;not null;index:idx_e{i}_name_kind,priority:1\"`\n\tKind string `gorm:\"size:20;default:'basic';index:idx_e{i}_name_kind,priority:2\"`\n\tAmount float64 `gorm:\"precision:10;scale:2\"`\n\tActive bool `gorm:\"default:true\"`\n\tNotes string\n\tSeenAt *time.Time\n{parent}\tTags []Tag `gorm:\"many2many:entity{i}_tags\"`\n}}\n\n"
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in 0..MODELS / PER_FILE {
        let mut text =
            String::from("package models\n\nimport (\n\t\"time\"\n\n\t\"gorm.io/gorm\"\n)\n\n");
        if file == 0 {
            text.push_str("type Tag struct {\n\tID uint `gorm:\"primaryKey\"`\n\tLabel string `gorm:\"size:40;unique\"`\n}\n\n");
        }
        for i in file * PER_FILE..(file + 1) * PER_FILE {
            text.push_str(&model(i));
        }
        std::fs::write(dir.path().join(format!("models_{file:02}.go")), text).expect("write");
    }
    let runs = runs();
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let loaded = strata_gorm::Gorm
                    .load(dir.path(), dialect, "main")
                    .expect("load");
                let elapsed = start.elapsed();
                assert!(loaded.database.table_count() > MODELS);
                elapsed
            })
            .collect();
        times.sort();
        println!(
            "gorm load, {MODELS} models, {dialect}: median {:.1} ms, min {:.1} ms, max {:.1} ms ({runs} runs)",
            times[runs / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[runs - 1].as_secs_f64() * 1e3,
        );
    }
}
