//! Reading 500 Sequelize models: generates them into a temporary folder (one file each, with
//! options, an index and a belongsTo association) and times `load` over several runs.

use std::time::{Duration, Instant};
use strata_schema::{Dialect, Provider};
use strata_sequelize::Sequelize;

const MODELS: usize = 500;
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
            "  M{i}.belongsTo(models.M{}, {{ onDelete: 'CASCADE' }});\n",
            i - 1
        )
    } else {
        String::new()
    };
    format!(
        "const {{ DataTypes }} = require('sequelize');\n\
         module.exports = (sequelize) => {{\n\
           const M{i} = sequelize.define('M{i}', {{\n\
             title: {{ type: DataTypes.STRING(120), allowNull: false, unique: true }},\n\
             status: {{ type: DataTypes.ENUM('draft', 'live'), defaultValue: 'draft' }},\n\
             price: DataTypes.DECIMAL(10, 2),\n\
             active: {{ type: DataTypes.BOOLEAN, defaultValue: true }},\n\
           }}, {{ underscored: true, paranoid: true, indexes: [{{ fields: ['title', 'price'] }}] }});\n\
           M{i}.associate = (models) => {{\n{parent}  }};\n\
           return M{i};\n\
         }};\n"
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..MODELS {
        std::fs::write(dir.path().join(format!("m{i}.js")), model(i)).expect("write model");
    }
    let runs = runs();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let loaded = Sequelize
                .load(dir.path(), Dialect::Postgres, "public")
                .expect("load");
            assert_eq!(loaded.database.table_count(), MODELS);
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "sequelize: load {MODELS} models ({runs} runs): median {:.1} ms, min {:.1} ms, max {:.1} ms",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}
