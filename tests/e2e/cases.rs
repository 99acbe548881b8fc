//! Change cases (tests/cases/<dialect>/*.toml, format in tests/README.md): the plan between two
//! schemas holds the expected steps in order, apply succeeds, the next plan is empty, and rows
//! seeded beforehand are still there.

use crate::common::{Scratch, block_on, check_all, output_text};
use serde::Deserialize;
use std::path::Path;
use strata::run::{self, Settings};
use strata::source::Src;
use strata_schema::Dialect;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[allow(dead_code)]
    description: String,
    from: String,
    #[serde(default)]
    seed: String,
    to: String,
    steps: Vec<String>,
    #[serde(default)]
    verify: Vec<Verify>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Verify {
    sql: String,
    expect: i64,
}

fn apply(s: &Scratch, src: &str) -> Result<(), String> {
    let out = s
        .strata()
        .args([
            "apply",
            "-auto-approve",
            "-allow-destructive",
            &format!("-url={}", s.url),
            &format!("-src=file://{src}"),
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("apply {src} failed:\n{}", output_text(&out)));
    }
    Ok(())
}

fn check_case(dialect: Dialect, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("bad case file: {e}"))?;
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let s = Scratch::new(dialect, &stem);
    s.write("from.sql", &case.from);
    apply(&s, "from.sql")?;
    if !case.seed.trim().is_empty() {
        s.exec(&case.seed);
    }
    let to = s.write("to.sql", &case.to);
    let settings = Settings {
        target: s.target(),
        srcs: vec![Src::path(to)],
        schemas: vec![],
        exclude: vec![],
        state: s.state(),
        renames: vec![],
        policy: Default::default(),
        targets: vec![],
        excludes: vec![],
    };
    let planned = block_on(run::plan(&settings)).map_err(|e| format!("plan failed: {e}"))?;
    let steps: Vec<String> = planned
        .plan
        .steps
        .iter()
        .map(|st| s.generic(&format!("{} {}", st.action.symbol(), st.address)))
        .collect();
    block_on(planned.conn.close());
    if steps != case.steps {
        return Err(format!(
            "steps differ\n  expected: {:?}\n  actual:   {:?}",
            case.steps, steps
        ));
    }
    apply(&s, "to.sql")?;
    let out = s
        .strata()
        .args([
            "plan",
            "-detailed-exitcode",
            &format!("-url={}", s.url),
            "-src=file://to.sql",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.code() != Some(0) {
        return Err(format!(
            "plan after apply is not empty:\n{}",
            output_text(&out)
        ));
    }
    for v in &case.verify {
        let got = s.query_i64(&v.sql);
        if got != v.expect {
            return Err(format!(
                "verify `{}`: expected {}, got {got}",
                v.sql, v.expect
            ));
        }
    }
    Ok(())
}

fn run(dialect: Dialect) {
    check_all("cases", dialect, "toml", 25, check_case);
}

#[test]
fn postgres_cases_plan_and_converge() {
    run(Dialect::Postgres);
}

#[test]
fn mysql_cases_plan_and_converge() {
    run(Dialect::Mysql);
}

#[test]
fn sqlite_cases_plan_and_converge() {
    run(Dialect::Sqlite);
}
