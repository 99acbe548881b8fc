//! The database backend through the real binary, on PostgreSQL, MySQL and SQLite: the state
//! lives in the `strata_state` table of the target itself (`state { backend = "database" }`),
//! concurrent applies serialise on the session lock, and a holder killed with `kill -9` leaves
//! no lock behind: its connection (or, on SQLite, its OS file lock) dies with it. On PostgreSQL
//! the state row is written in the DDL's transaction: a failed step leaves it unchanged, and a
//! failed state write rolls the DDL back.

use super::{concurrently, configure, holder_at_prompt, kill9, ok, run};
use crate::common::{Scratch, output_text};
use std::time::{Duration, Instant};
use strata::state::State;
use strata::state::database::DatabaseBackend;
use strata_schema::Dialect;

const USERS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n";
const USERS_AND_TEAMS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE TABLE teams (id integer PRIMARY KEY);\n";

/// The `state` block of a state in the env's own database.
pub(super) const DATABASE_BLOCK: &str = "state {\n    backend = \"database\"\n  }";

/// A scratch whose env `ci` keeps its state in its own database.
fn db_project(dialect: Dialect, tag: &str, schema: &str) -> Scratch {
    let s = Scratch::new(dialect, tag);
    s.write("schema.sql", schema);
    configure(&s, DATABASE_BLOCK);
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

/// The PostgreSQL state row and the rows of `strata_state` as they stand.
fn state_rows(s: &Scratch) -> (State, i64) {
    (
        table_state(s),
        s.query_i64("SELECT count(*) FROM strata_state"),
    )
}

fn table_exists(s: &Scratch, table: &str) -> bool {
    s.query_i64(&format!(
        "SELECT count(*) FROM pg_tables WHERE schemaname = '{}' AND tablename = '{table}'",
        s.name
    )) == 1
}

#[test]
fn postgres_a_failed_step_leaves_the_state_row_unchanged() {
    let s = db_project(
        Dialect::Postgres,
        "db_failed_step",
        &format!("CREATE TABLE accounts (id integer PRIMARY KEY);\n{USERS}"),
    );
    ok(&run(&s, &["apply", "-auto-approve"]));
    // The plan adds CHECK `gate` on accounts, then CHECK `guarded` on users, whose function
    // raises once `gate` exists: the data checks (run before the first step) find every row
    // valid; only the second step fails, with the first already done in the transaction.
    s.exec(
        "INSERT INTO accounts VALUES (1);
         INSERT INTO users VALUES (1, 'ada');
         CREATE FUNCTION refuse(id integer) RETURNS boolean LANGUAGE plpgsql AS $$
         BEGIN
           IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'gate'
                      AND connamespace = current_schema()::regnamespace) THEN
             RAISE EXCEPTION 'row % refused', id;
           END IF;
           RETURN true;
         END $$;",
    );
    let before = state_rows(&s);
    s.write(
        "schema.sql",
        "CREATE TABLE accounts (id integer PRIMARY KEY, CONSTRAINT gate CHECK (id > 0));\nCREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, CONSTRAINT guarded CHECK (refuse(id)));\n",
    );
    let failed = run(&s, &["apply", "-auto-approve"]);
    let text = output_text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{text}");
    assert!(
        text.contains("step 2 of 2") && text.contains("row 1 refused"),
        "{text}"
    );
    assert!(text.contains("rolled back"), "{text}");
    let gates = "SELECT count(*) FROM pg_constraint WHERE conname = 'gate' AND connamespace = current_schema()::regnamespace";
    assert_eq!(s.query_i64(gates), 0, "the first step was rolled back");
    assert_eq!(state_rows(&s), before, "the state row is unchanged");
}

#[test]
fn postgres_a_failed_state_write_rolls_the_schema_change_back() {
    let s = db_project(Dialect::Postgres, "db_failed_write", USERS);
    ok(&run(&s, &["apply", "-auto-approve"]));
    let before = state_rows(&s);
    // The state row is written in the DDL's transaction: refusing it refuses the DDL too.
    s.exec(
        "CREATE FUNCTION no_state() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'state write refused'; END $$;
         CREATE TRIGGER no_state BEFORE INSERT ON strata_state FOR EACH ROW EXECUTE FUNCTION no_state();",
    );
    s.write("schema.sql", USERS_AND_TEAMS);
    let failed = run(&s, &["apply", "-auto-approve"]);
    let text = output_text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{text}");
    assert!(
        text.contains("state write refused") && text.contains("no schema change was applied"),
        "{text}"
    );
    assert!(
        !table_exists(&s, "teams"),
        "the DDL was rolled back with the state"
    );
    assert_eq!(state_rows(&s), before, "the state row is unchanged");
    assert!(
        !s.dir.path().join("errored.strata.json").exists(),
        "nothing to recover: schema and state agree"
    );
}
