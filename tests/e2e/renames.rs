//! Renames (issue 3): a renamed column is renamed, never dropped and re-added, when catalog
//! identities (PostgreSQL attnums recorded in the state) or an explicit hint say so.

use crate::common::{Scratch, output_text};
use strata_schema::Dialect;

const BEFORE: &str =
    "CREATE TABLE users (id integer PRIMARY KEY, mail varchar(100) NOT NULL, name text);";
const AFTER: &str =
    "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL, name text);";

fn strata(s: &Scratch, args: &[&str]) -> (i32, String) {
    let url = format!("-url={}", s.url);
    let mut all = args.to_vec();
    all.push(&url);
    let out = s.strata().args(&all).output().expect("run strata");
    (out.status.code().unwrap_or(-1), output_text(&out))
}

fn apply(s: &Scratch, args: &[&str]) {
    let mut all = vec!["apply", "-auto-approve"];
    all.extend_from_slice(args);
    let (code, text) = strata(s, &all);
    assert_eq!(code, 0, "{text}");
}

/// The models rename `mail` to `email`: same definition, same position, and the database
/// column is the one recorded (same attnum): a RENAME, and the data stays.
#[test]
fn postgres_model_rename_is_a_rename_by_identity() {
    let s = Scratch::new(Dialect::Postgres, "rename_model");
    s.write("schema.sql", BEFORE);
    apply(&s, &["-src=file://schema.sql"]);
    s.exec("INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");
    s.write("schema.sql", AFTER);
    let (code, text) = strata(
        &s,
        &["plan", "-detailed-exitcode", "-src=file://schema.sql"],
    );
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("~ column.") && text.contains(".users.email"),
        "{text}"
    );
    assert!(
        text.contains("RENAME COLUMN \"mail\" TO \"email\""),
        "{text}"
    );
    assert!(!text.contains("DROP COLUMN"), "never drop + add: {text}");
    apply(&s, &["-src=file://schema.sql"]);
    assert_eq!(
        s.query_i64("SELECT count(*) FROM users WHERE email = 'ada@example.com'"),
        1
    );
    assert_eq!(
        strata(
            &s,
            &["plan", "-detailed-exitcode", "-src=file://schema.sql"]
        )
        .0,
        0
    );
}

/// Renamed in the live database and in the models alike: nothing to do but to take note;
/// renamed only in the live database: renamed back, not dropped.
#[test]
fn postgres_hand_renames_are_recognised_by_attnum() {
    let s = Scratch::new(Dialect::Postgres, "rename_live");
    s.write("schema.sql", BEFORE);
    apply(&s, &["-src=file://schema.sql"]);
    s.exec("INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");

    s.exec("ALTER TABLE users RENAME COLUMN mail TO email");
    s.write("after.sql", AFTER);
    let (code, text) = strata(&s, &["plan", "-detailed-exitcode", "-src=file://after.sql"]);
    assert_eq!(
        code, 0,
        "the models followed the hand rename: no DDL: {text}"
    );
    assert!(text.contains("changed outside of Strata"), "{text}");
    apply(&s, &["-src=file://after.sql"]);

    s.exec("ALTER TABLE users RENAME COLUMN name TO full_name");
    let (code, text) = strata(&s, &["plan", "-detailed-exitcode", "-src=file://after.sql"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("RENAME COLUMN \"full_name\" TO \"name\""),
        "renamed back: {text}"
    );
    assert!(!text.contains("DROP COLUMN"), "{text}");
    apply(&s, &["-src=file://after.sql"]);
    assert_eq!(
        s.query_i64("SELECT count(*) FROM users WHERE name = 'Ada'"),
        1
    );
}

/// Without catalog identities, a `rename` hint in the env says it.
#[test]
fn rename_hints_in_the_config_rename_on_every_dialect() {
    for dialect in [Dialect::Sqlite, Dialect::Mysql, Dialect::Postgres] {
        let s = Scratch::new(dialect, "rename_hint");
        s.write("schema.sql", BEFORE);
        s.write(
            "strata.hcl",
            &format!(
                "env \"local\" {{\n  url = \"{}\"\n  src = \"file://schema.sql\"\n  rename {{\n    column = \"users.email\"\n    from   = \"mail\"\n  }}\n}}\n",
                s.url
            ),
        );
        let run = |args: &[&str]| {
            let out = s.strata().args(args).output().expect("run strata");
            (out.status.code().unwrap_or(-1), output_text(&out))
        };
        let (code, text) = run(&["apply", "-auto-approve"]);
        assert_eq!(code, 0, "{dialect}: {text}");
        s.exec("INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");
        s.write("schema.sql", AFTER);
        let (code, text) = run(&["plan", "-detailed-exitcode"]);
        assert_eq!(code, 2, "{dialect}: {text}");
        assert!(
            text.contains("rename hint in the configuration"),
            "{dialect}: {text}"
        );
        assert!(!text.contains("DROP COLUMN"), "{dialect}: {text}");
        let (code, text) = run(&["apply", "-auto-approve"]);
        assert_eq!(code, 0, "{dialect}: {text}");
        assert_eq!(
            s.query_i64("SELECT count(*) FROM users WHERE email = 'ada@example.com'"),
            1,
            "{dialect}"
        );
        assert_eq!(
            run(&["plan", "-detailed-exitcode"]).0,
            0,
            "{dialect}: converged"
        );
    }
}
