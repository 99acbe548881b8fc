//! `strata init -migrate-state` after the env's `state` block changed: the state moves
//! local → S3 → database → local, keeping its lineage and serial at every hop.

use super::database::{DATABASE_BLOCK, table_state};
use super::{KEY, configure, ok, remote_state, run, s3_block, server};
use crate::common::{Scratch, output_text};
use strata::state::State;
use strata::state::file::decode;
use strata_schema::Dialect;

const LOCAL: &str = ".strata/ci.state.json";

fn local_state(s: &Scratch) -> State {
    let text = std::fs::read_to_string(s.dir.path().join(LOCAL)).expect("local state");
    decode(&text, LOCAL).expect("decode")
}

fn identity(state: &State) -> (String, u64) {
    (state.lineage.clone(), state.serial)
}

/// The plan against the state where it now lives changes nothing.
fn converged(s: &Scratch) {
    let planned = run(s, &["plan", "-detailed-exitcode"]);
    assert_eq!(planned.status.code(), Some(0), "{}", output_text(&planned));
}

#[test]
fn init_migrate_state_moves_local_to_s3_to_database_to_local() {
    let s = Scratch::new(Dialect::Sqlite, "migrate");
    s.write(
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    );
    configure(&s, "");
    ok(&run(&s, &["apply", "-auto-approve"]));
    let local = identity(&local_state(&s));

    // local → S3: `init` alone points at the state left behind.
    let bucket = server::bucket("migrate");
    configure(&s, &s3_block(server::endpoint(), &bucket, "60s"));
    let hint = ok(&run(&s, &["init"]));
    assert!(
        hint.contains("no state yet") && hint.contains("strata init -migrate-state"),
        "{hint}"
    );
    let moved = ok(&run(&s, &["init", "-migrate-state"]));
    assert!(moved.contains("Copied the state"), "{moved}");
    assert_eq!(identity(&remote_state(&bucket).0), local);
    converged(&s);
    // A change applied there moves on with the state.
    s.write(
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\nCREATE TABLE teams (id integer PRIMARY KEY);\n",
    );
    ok(&run(&s, &["apply", "-auto-approve"]));
    let in_s3 = identity(&remote_state(&bucket).0);
    assert!(in_s3.1 > local.1);

    // S3 → database, naming the previous backend.
    configure(&s, DATABASE_BLOCK);
    let from = format!(
        "-from-state=s3://{bucket}/{KEY}?region=us-east-1&endpoint={}",
        server::endpoint()
    );
    ok(&run(&s, &["init", "-migrate-state", &from]));
    assert_eq!(identity(&table_state(&s)), in_s3);
    converged(&s);
    let again = ok(&run(&s, &["init", "-migrate-state", &from]));
    assert!(again.contains("nothing to migrate"), "{again}");

    // database → local, over the older copy the first move left there.
    configure(&s, "");
    let back = ok(&run(
        &s,
        &["init", "-migrate-state", "-from-state=database"],
    ));
    assert!(back.contains("Backed up"), "{back}");
    assert_eq!(identity(&local_state(&s)), in_s3);
    converged(&s);
}

#[test]
fn init_migrate_state_refuses_to_replace_another_state() {
    let s = Scratch::new(Dialect::Sqlite, "migrate_refuse");
    s.write(
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    );
    configure(&s, DATABASE_BLOCK);
    ok(&run(&s, &["apply", "-auto-approve"]));
    let there = identity(&table_state(&s));
    // Another state, of another lineage, in the local file.
    ok(&run(&s, &["apply", "-auto-approve", "-state=other.json"]));
    let refused = run(&s, &["init", "-migrate-state", "-from-state=other.json"]);
    let text = output_text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("already holds a state") && text.contains("-force"),
        "{text}"
    );
    assert_eq!(identity(&table_state(&s)), there, "the state there stands");
}
