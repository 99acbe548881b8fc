//! Schema fixtures (tests/fixtures/<dialect>/*.sql): applied by Strata to an empty database,
//! a second plan must be empty; created by the database client directly, Strata's first plan
//! must be empty too (it understands how the database spelled what it stored).

use crate::common::{Scratch, check_all, output_text};
use std::path::Path;
use strata_schema::Dialect;

fn plan_is_empty(s: &Scratch, src: &str) -> Result<(), String> {
    let out = s
        .strata()
        .args([
            "plan",
            "-detailed-exitcode",
            &format!("-url={}", s.url),
            &format!("-src=file://{src}"),
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.code() != Some(0) {
        return Err(format!("plan is not empty:\n{}", output_text(&out)));
    }
    Ok(())
}

fn check_fixture(dialect: Dialect, path: &Path) -> Result<(), String> {
    let sql = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();

    let applied = Scratch::new(dialect, &stem);
    applied.write("schema.sql", &sql);
    let out = applied
        .strata()
        .args([
            "apply",
            "-auto-approve",
            &format!("-url={}", applied.url),
            "-src=file://schema.sql",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "apply on an empty database failed:\n{}",
            output_text(&out)
        ));
    }
    plan_is_empty(&applied, "schema.sql").map_err(|e| format!("after apply: {e}"))?;

    let direct = Scratch::new(dialect, &stem);
    direct.write("schema.sql", &sql);
    direct.exec(&sql);
    plan_is_empty(&direct, "schema.sql").map_err(|e| format!("after the client ran the DDL: {e}"))
}

fn run(dialect: Dialect) {
    check_all("fixtures", dialect, "sql", 25, check_fixture);
}

#[test]
fn postgres_fixtures_converge() {
    run(Dialect::Postgres);
}

#[test]
fn mysql_fixtures_converge() {
    run(Dialect::Mysql);
}

#[test]
fn sqlite_fixtures_converge() {
    run(Dialect::Sqlite);
}
