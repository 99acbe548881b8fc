//! Doctrine provider end-to-end tests: the entity sets under tests/fixtures/doctrine/<set>/src
//! against the DDL Doctrine itself prints for them (<set>/<dialect>.sql, ORM 3 derived from the
//! real ORM 2.14 run; see regenerate.sh), on the real servers.

use crate::common::{Scratch, assert_same_live, output_text};
use std::path::{Path, PathBuf};
use strata_schema::Dialect;

const SETS: &[&str] = &["library", "shop", "legacy"];
const DIALECTS: &[Dialect] = &[Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

fn fixture_dir(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/doctrine")
        .join(set)
}

fn strata(s: &Scratch, args: &[&str], src: &Path) -> std::process::Output {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.push(format!("-url={}", s.url));
    all.push(format!("-src=file://{}", src.display()));
    s.strata().args(&all).output().expect("run strata")
}

fn plan_exit(s: &Scratch, src: &Path) -> (Option<i32>, String) {
    let out = strata(s, &["plan", "-detailed-exitcode"], src);
    (out.status.code(), output_text(&out))
}

/// Check one set on one dialect; an error describes what went wrong.
fn check(set: &str, dialect: Dialect) -> Result<(), String> {
    let dir = fixture_dir(set);
    let src = dir.join("src");
    let ddl = std::fs::read_to_string(dir.join(format!("{}.sql", dialect.name())))
        .map_err(|e| e.to_string())?;

    let direct = Scratch::new(dialect, &format!("doctrine_{set}"));
    direct.exec(&ddl);
    let (code, text) = plan_exit(&direct, &src);
    if code != Some(0) {
        return Err(format!(
            "database created by Doctrine's DDL: first plan is not empty\n{text}"
        ));
    }

    let applied = Scratch::new(dialect, &format!("doctrine_{set}"));
    let out = strata(&applied, &["apply", "-auto-approve"], &src);
    if !out.status.success() {
        return Err(format!(
            "apply on an empty database failed\n{}",
            output_text(&out)
        ));
    }
    let (code, text) = plan_exit(&applied, &src);
    if code != Some(0) {
        return Err(format!("plan after apply is not empty\n{text}"));
    }
    assert_same_live(&direct, &applied, &format!("{set} on {dialect}"));
    Ok(())
}

fn run(dialect: Dialect) {
    let failures: Vec<String> = SETS
        .iter()
        .filter_map(|set| check(set, dialect).err().map(|e| format!("== {set}\n{e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sqlite_fixtures_match_doctrine() {
    run(Dialect::Sqlite);
}

#[test]
fn postgres_fixtures_match_doctrine() {
    run(Dialect::Postgres);
}

#[test]
fn mysql_fixtures_match_doctrine() {
    run(Dialect::Mysql);
}
