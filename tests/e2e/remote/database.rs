//! The database backend through the real binary, on PostgreSQL, MySQL and SQLite: the state
//! lives in the `strata_state` table of the target itself (`state { backend = "database" }`),
//! concurrent applies serialise on the session lock, and a holder killed with `kill -9` leaves
//! no lock behind: its connection (or, on SQLite, its OS file lock) dies with it.

use super::{concurrently, holder_at_prompt, kill9, ok, run};
use crate::common::{Scratch, output_text};
use std::time::{Duration, Instant};
use strata::state::State;
use strata::state::database::DatabaseBackend;
use strata_schema::Dialect;

const USERS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n";
const USERS_AND_TEAMS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE TABLE teams (id integer PRIMARY KEY);\n";

/// A scratch whose env `ci` keeps its state in its own database.
pub(super) fn db_project(dialect: Dialect, tag: &str, schema: &str) -> Scratch {
    let s = Scratch::new(dialect, tag);
    s.write("schema.sql", schema);
    s.write(
        "strata.hcl",
        &format!(
            "env \"ci\" {{\n  url = \"{}\"\n  src = \"file://schema.sql\"\n  state {{\n    backend = \"database\"\n  }}\n}}\n",
            s.url
        ),
    );
    s
}

/// The state in the scratch's `strata_state` table.
pub(super) fn table_state(s: &Scratch) -> State {
    let backend = DatabaseBackend::new(&s.target(), "ci");
    let (state, _) = crate::common::block_on(backend.read()).expect("read the state table");
    state.expect("a state in strata_state")
}

fn converges(dialect: Dialect) {
    let s = db_project(dialect, "db_converge", USERS);
    let applied = ok(&run(&s, &["apply", "-auto-approve"]));
    assert!(applied.contains("1 added"), "{applied}");
    let planned = run(&s, &["plan", "-detailed-exitcode"]);
    assert_eq!(planned.status.code(), Some(0), "{}", output_text(&planned));
    assert!(
        !s.dir.path().join(".strata").exists(),
        "no local state is written"
    );
    let first = table_state(&s);
    assert_eq!(
        first.objects.keys().collect::<Vec<_>>(),
        [&format!("table.{}.users", s.name)]
    );
    let rows = || s.query_i64("SELECT count(*) FROM strata_state WHERE name = 'ci'");
    let rows_before = rows();
    // A second change adds row versions; the earlier ones stay as backups.
    s.write("schema.sql", USERS_AND_TEAMS);
    ok(&run(&s, &["apply", "-auto-approve"]));
    assert!(rows() > rows_before, "the write added a row version");
    let second = table_state(&s);
    assert_eq!(second.lineage, first.lineage);
    assert!(second.serial > first.serial);
    assert_eq!(second.objects.len(), 2);
    let planned = run(&s, &["plan", "-detailed-exitcode"]);
    assert_eq!(planned.status.code(), Some(0), "{}", output_text(&planned));
}

fn serialises(dialect: Dialect) {
    let s = db_project(dialect, "db_serial", USERS_AND_TEAMS);
    let outs = concurrently(&s, 2, |_| {
        ["apply", "-auto-approve", "-lock-timeout=30s"]
            .map(String::from)
            .to_vec()
    });
    let texts: Vec<String> = outs.iter().map(ok).collect();
    let did = texts.iter().filter(|t| t.contains("2 added")).count();
    let nothing = texts.iter().filter(|t| t.contains("No changes")).count();
    assert_eq!((did, nothing), (1, 1), "{texts:#?}");
    // One consistent state, written by one apply (MySQL journals each step on the way).
    let state = table_state(&s);
    assert_eq!(state.objects.len(), 2);
    assert!(state.objects.values().all(|o| !o.provisional));
    let applies = state.history.iter().filter(|h| h.operation == "apply");
    assert_eq!(applies.count(), 1, "{:?}", state.history);
}

fn killed_holder_leaves_no_lock(dialect: Dialect) {
    let s = db_project(dialect, "db_kill", USERS);
    let holder = holder_at_prompt(&s);
    // While it waits at its prompt, the lock is held: no waiting means exit 4.
    let refused = run(&s, &["apply", "-auto-approve"]);
    assert_eq!(refused.status.code(), Some(4), "{}", output_text(&refused));
    assert!(
        output_text(&refused).contains("the state is locked"),
        "{}",
        output_text(&refused)
    );
    let shown = ok(&run(&s, &["lock", "show"]));
    assert!(shown.contains("is locked"), "{shown}");
    kill9(holder);
    // The lock died with the holder's session: the next apply proceeds at once, no timeout.
    let started = Instant::now();
    let applied = ok(&run(&s, &["apply", "-auto-approve"]));
    assert!(applied.contains("1 added"), "{applied}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the next apply did not wait for the lock"
    );
    assert!(ok(&run(&s, &["lock", "show"])).contains("not locked"));
}

#[test]
fn database_state_converges_on_postgres() {
    converges(Dialect::Postgres);
}

#[test]
fn database_state_converges_on_mysql() {
    converges(Dialect::Mysql);
}

#[test]
fn database_state_converges_on_sqlite() {
    converges(Dialect::Sqlite);
}

#[test]
fn database_state_concurrent_applies_serialise_on_postgres() {
    serialises(Dialect::Postgres);
}

#[test]
fn database_state_concurrent_applies_serialise_on_mysql() {
    serialises(Dialect::Mysql);
}

#[test]
fn database_state_concurrent_applies_serialise_on_sqlite() {
    serialises(Dialect::Sqlite);
}

#[test]
fn database_state_killed_holders_lock_dies_with_it_on_postgres() {
    killed_holder_leaves_no_lock(Dialect::Postgres);
}

#[test]
fn database_state_killed_holders_lock_dies_with_it_on_mysql() {
    killed_holder_leaves_no_lock(Dialect::Mysql);
}

#[test]
fn database_state_killed_holders_lock_dies_with_it_on_sqlite() {
    killed_holder_leaves_no_lock(Dialect::Sqlite);
}
