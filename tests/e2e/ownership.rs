//! Ownership, drift, adoption and resumption (issue 3): the behaviours that make Strata
//! Terraform-style rather than a schema differ. Each drives the real binary.

use crate::common::{Scratch, block_on, output_text};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use strata::run::{self, Settings};
use strata::source::Src;
use strata_schema::Dialect;

const USERS_POSTS: &str = "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL);
CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users (id), title varchar(200));";
const USERS_ONLY: &str =
    "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL);";

fn run_ok(s: &Scratch, args: &[&str]) -> String {
    let url = format!("-url={}", s.url);
    let mut all = args.to_vec();
    all.push(&url);
    let out = s.strata().args(&all).output().expect("run strata");
    assert!(
        out.status.success(),
        "strata {args:?} failed:\n{}",
        output_text(&out)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn plan_text(s: &Scratch, src: &str) -> (i32, String) {
    let (code, text) = s.plan_exit(src);
    (code.unwrap_or(-1), text)
}

fn tables(s: &Scratch) -> i64 {
    s.query_i64(match s.dialect {
        Dialect::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        Dialect::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        Dialect::Mysql => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"
        }
    })
}

fn unmanaged_objects_are_left_alone(dialect: Dialect) {
    let s = Scratch::new(dialect, "unmanaged");
    s.write("schema.sql", USERS_POSTS);
    run_ok(
        &s,
        &[
            "apply",
            "-auto-approve",
            "-allow-destructive",
            "-src=file://schema.sql",
        ],
    );
    s.exec("CREATE TABLE legacy_audit (id integer PRIMARY KEY, note varchar(50))");
    s.exec("INSERT INTO legacy_audit VALUES (1, 'keep me')");
    let (code, text) = plan_text(&s, "schema.sql");
    assert_eq!(code, 0, "an unmanaged table is no change: {text}");
    assert!(text.contains("1 unmanaged object left alone"), "{text}");
    // Removing a model drops only the table Strata owned.
    s.write("schema.sql", USERS_ONLY);
    let (code, text) = plan_text(&s, "schema.sql");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("- table.") && text.contains(".posts"),
        "{text}"
    );
    assert!(
        !text.contains("legacy_audit  ["),
        "the unmanaged table is never a step: {text}"
    );
    run_ok(
        &s,
        &[
            "apply",
            "-auto-approve",
            "-allow-destructive",
            "-src=file://schema.sql",
        ],
    );
    assert_eq!(s.query_i64("SELECT count(*) FROM legacy_audit"), 1);
    assert_eq!(tables(&s), 2, "users and legacy_audit remain");
}

#[test]
fn sqlite_unmanaged_objects_are_left_alone() {
    unmanaged_objects_are_left_alone(Dialect::Sqlite);
}

#[test]
fn postgres_unmanaged_objects_are_left_alone() {
    unmanaged_objects_are_left_alone(Dialect::Postgres);
}

#[test]
fn mysql_unmanaged_objects_are_left_alone() {
    unmanaged_objects_are_left_alone(Dialect::Mysql);
}

#[test]
fn a_column_changed_by_hand_is_drift_then_converged_or_refreshed() {
    let s = Scratch::new(Dialect::Postgres, "drift");
    s.write("schema.sql", USERS_ONLY);
    run_ok(
        &s,
        &[
            "apply",
            "-auto-approve",
            "-allow-destructive",
            "-src=file://schema.sql",
        ],
    );
    s.exec("ALTER TABLE users ALTER COLUMN email TYPE varchar(300)");
    let (code, text) = plan_text(&s, "schema.sql");
    assert_eq!(code, 2, "{text}");
    let drift_at = text.find("changed outside of Strata").expect(&text);
    let step_at = text.find("~ column.").expect(&text);
    assert!(drift_at < step_at, "drift is reported first: {text}");
    assert!(
        text.contains("column email: type character varying(100) -> character varying(300)"),
        "{text}"
    );

    // -refresh-only: the live form is accepted into the state, no DDL.
    let settings = Settings {
        target: s.target(),
        srcs: vec![Src::path(s.dir.path().join("schema.sql"))],
        schemas: vec![],
        exclude: vec![],
        state: s.state(),
        renames: vec![],
        policy: Default::default(),
        targets: vec![],
        excludes: vec![],
    };
    block_on(async { run::refresh(run::plan(&settings).await.expect("plan")).await })
        .expect("refresh");
    let (code, text) = plan_text(&s, "schema.sql");
    assert_eq!(code, 2, "the model still wants varchar(100): {text}");
    assert!(
        !text.contains("changed outside of Strata"),
        "refreshed drift is not reported again: {text}"
    );
    // Converge.
    run_ok(
        &s,
        &[
            "apply",
            "-auto-approve",
            "-allow-destructive",
            "-src=file://schema.sql",
        ],
    );
    assert_eq!(plan_text(&s, "schema.sql").0, 0);
    assert_eq!(
        s.query_i64("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'email'"),
        100
    );
}

#[test]
fn a_matching_database_is_adopted_with_zero_ddl() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let s = Scratch::new(dialect, "adopt");
        s.write("schema.sql", USERS_POSTS);
        s.exec(USERS_POSTS);
        let (code, text) = plan_text(&s, "schema.sql");
        assert_eq!(
            code, 0,
            "{dialect}: adoption alone is no schema change: {text}"
        );
        assert!(
            text.contains("2 existing objects will be adopted"),
            "{dialect}: {text}"
        );
        let out = run_ok(&s, &["apply", "-src=file://schema.sql"]);
        assert!(
            out.contains("Adopted 2 existing object(s)"),
            "{dialect}: no prompt, no DDL: {out}"
        );
        let state = std::fs::read_to_string(s.dir.path().join(".strata/default.state.json"))
            .expect("state written");
        assert!(
            state.contains(".users") && state.contains(".posts"),
            "{dialect}: {state}"
        );
        let (code, text) = plan_text(&s, "schema.sql");
        assert_eq!(code, 0, "{dialect}: {text}");
        assert!(!text.contains("adopted"), "{dialect}: adopted once: {text}");
    }
}

#[test]
fn import_adopts_one_object_and_destroy_drops_only_owned_ones() {
    let s = Scratch::new(Dialect::Sqlite, "import");
    s.write("schema.sql", USERS_POSTS);
    s.exec(USERS_ONLY);
    s.exec("CREATE TABLE other_app (id integer PRIMARY KEY)");
    run_ok(
        &s,
        &["import", "table.main.users", "-src=file://schema.sql"],
    );
    let state =
        std::fs::read_to_string(s.dir.path().join(".strata/default.state.json")).expect("state");
    assert!(
        state.contains("table.main.users") && !state.contains("table.main.posts"),
        "{state}"
    );
    let missing = s
        .strata()
        .args([
            "import",
            "table.main.nope",
            &format!("-url={}", s.url),
            "-src=file://schema.sql",
        ])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1), "{}", output_text(&missing));
    let undesired = s
        .strata()
        .args([
            "import",
            "table.main.other_app",
            &format!("-url={}", s.url),
            "-src=file://schema.sql",
        ])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&undesired.stderr).contains("not in the desired schema"),
        "{}",
        output_text(&undesired)
    );

    run_ok(
        &s,
        &[
            "apply",
            "-auto-approve",
            "-allow-destructive",
            "-src=file://schema.sql",
        ],
    );
    let refused = s
        .strata()
        .args(["destroy", &format!("-url={}", s.url)])
        .output()
        .expect("run");
    assert_ne!(
        refused.status.code(),
        Some(0),
        "no terminal, no -auto-approve: {}",
        output_text(&refused)
    );
    assert_eq!(tables(&s), 3);
    let out = run_ok(&s, &["destroy", "-auto-approve"]);
    assert!(
        out.contains("Destroy complete! Resources: 2 destroyed."),
        "{out}"
    );
    assert_eq!(
        tables(&s),
        1,
        "only other_app, which Strata never owned, remains"
    );
}

/// Start `apply` of 40 tables on a fresh MySQL scratch and return once 5 steps completed, with
/// the process still running and the rest of its stdout.
fn apply_forty_tables(
    tag: &str,
) -> (
    Scratch,
    std::process::Child,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
) {
    let s = Scratch::new(Dialect::Mysql, tag);
    let ddl: String = (0..40)
        .map(|i| {
            format!("CREATE TABLE t{i:02} (id integer PRIMARY KEY, name varchar(50), note text);\n")
        })
        .collect();
    s.write("schema.sql", &ddl);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .current_dir(s.dir.path())
        .env("NO_COLOR", "1")
        .args([
            "apply",
            "-auto-approve",
            &format!("-url={}", s.url),
            "-src=file://schema.sql",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut completed = 0;
    for line in lines.by_ref() {
        if line.expect("line").contains("complete after") {
            completed += 1;
            if completed == 5 {
                break;
            }
        }
    }
    (s, child, lines)
}

/// After an apply stopped half-way: the next apply finishes the job and converges.
fn resumes(s: &Scratch) {
    let created = tables(s);
    assert!(
        (5..40).contains(&created),
        "stopped half-way: {created} tables"
    );
    run_ok(s, &["apply", "-auto-approve", "-src=file://schema.sql"]);
    assert_eq!(tables(s), 40);
    assert_eq!(plan_text(s, "schema.sql").0, 0, "converged");
}

/// `kill -9` in the middle of a MySQL apply (which commits every statement), then apply again:
/// the journal made the completed steps owned, and the second apply finishes the job.
#[test]
fn mysql_apply_killed_half_way_resumes_and_converges() {
    let (s, mut child, _) = apply_forty_tables("resume");
    child.kill().expect("kill -9");
    let _ = child.wait();
    let state = std::fs::read_to_string(s.dir.path().join(".strata/default.state.json"))
        .expect("journal wrote the state");
    assert!(
        state.contains("table.") && state.contains("provisional"),
        "{state}"
    );
    resumes(&s);
}

/// The first Ctrl-C (SIGINT) lets the running statement finish, records what completed, releases
/// the lock and exits with the cancelled code; the next apply finishes the job.
#[test]
fn mysql_apply_interrupted_stops_cleanly_and_resumes() {
    let (s, mut child, lines) = apply_forty_tables("sigint");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    for _ in lines {}
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("read stderr");
    assert_eq!(status.code(), Some(3), "cancelled exit code: {stderr}");
    assert!(stderr.contains("Interrupt received"), "{stderr}");
    resumes(&s);
}
