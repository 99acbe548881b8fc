//! Every refusal points at file:line:column.

use super::located;
use strata_schema::Dialect::{Mysql, Postgres, Sqlite};

fn place(l: &crate::error::Located) -> (usize, usize) {
    (l.line, l.column)
}

#[test]
fn syntax_error_points_at_the_token() {
    let e = located(
        Postgres,
        "CREATE TABLE a (id int);\nCREATE TABLE b (\n  id int,,\n  name text\n);\n",
    );
    assert_eq!(place(&e), (3, 10), "{e}");
    assert!(
        e.message.starts_with("syntax error: Expected"),
        "{}",
        e.message
    );
    assert_eq!(e.file, "schema.sql");
    assert!(
        e.to_string().starts_with("schema.sql:3:10: syntax error"),
        "{e}"
    );
}

#[test]
fn syntax_error_at_end_of_input_points_just_after_the_last_token() {
    let e = located(Sqlite, "CREATE TABLE a (\n  id int");
    assert_eq!(place(&e), (2, 9), "{e}");
}

#[test]
fn unsupported_statement_points_at_its_start() {
    let e = located(
        Postgres,
        "CREATE TABLE a (id int);\n\n   CREATE VIEW v AS SELECT 1;\n",
    );
    assert_eq!(place(&e), (3, 4), "{e}");
    assert!(
        e.message
            .contains("unsupported statement `CREATE VIEW v AS SELECT 1`"),
        "{}",
        e.message
    );
    let e = located(Mysql, "INSERT INTO t VALUES (1);");
    assert_eq!(place(&e), (1, 1));
}

#[test]
fn unknown_tables_point_at_the_name() {
    let e = located(
        Postgres,
        "CREATE TABLE a (id int);\nALTER TABLE b ADD COLUMN x int;",
    );
    assert_eq!(place(&e), (2, 13), "{e}");
    assert!(e.message.contains("unknown table main.b"), "{}", e.message);
    let e = located(
        Postgres,
        "CREATE TABLE a (id int);\nCREATE INDEX i ON nope (id);",
    );
    assert_eq!(place(&e), (2, 19), "{e}");
    let e = located(
        Postgres,
        "CREATE TABLE a (id int);\nCREATE INDEX i ON a (idd);",
    );
    assert_eq!(place(&e), (2, 22), "{e}");
    assert!(e.message.contains("unknown column idd"), "{}", e.message);
}

#[test]
fn duplicate_table_names_the_first_definition() {
    let e = located(
        Sqlite,
        "CREATE TABLE a (id int);\n\nCREATE TABLE a (id int);",
    );
    assert_eq!(place(&e), (3, 14), "{e}");
    assert!(
        e.message
            .contains("table main.a is already defined at schema.sql:1:1"),
        "{}",
        e.message
    );
}

#[test]
fn unsupported_parts_are_refused_where_they_are() {
    let e = located(
        Mysql,
        "CREATE TABLE t (\n  a timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP\n);",
    );
    assert_eq!(place(&e).0, 2, "{e}");
    assert!(e.message.contains("ON UPDATE"), "{}", e.message);
    for (dialect, sql, needle) in [
        (Postgres, "CREATE TEMPORARY TABLE t (a int);", "TEMPORARY"),
        (
            Postgres,
            "CREATE TABLE t (a int) WITH (fillfactor = 70);",
            "table options",
        ),
        (
            Postgres,
            "CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a;",
            "ADD COLUMN and ADD CONSTRAINT",
        ),
        (
            Postgres,
            "CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
            "ADD COLUMN and ADD CONSTRAINT",
        ),
        (
            Postgres,
            "CREATE TABLE t (a int, UNIQUE NULLS NOT DISTINCT (a));",
            "NULLS NOT DISTINCT",
        ),
        (Postgres, "CREATE TYPE pair AS (a int, b int);", "enum"),
        (
            Postgres,
            "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);",
            "more than one primary key",
        ),
        (Postgres, "CREATE TABLE t (a int, a int);", "defined twice"),
        (
            Mysql,
            "CREATE TABLE t (a int) AUTO_INCREMENT=5;",
            "AUTO_INCREMENT",
        ),
        (
            Mysql,
            "CREATE TABLE t (a varchar(3) CHARACTER SET latin1);",
            "COLLATE",
        ),
        (Mysql, "CREATE TABLE t (a serial);", "PostgreSQL type"),
        (Sqlite, "CREATE SCHEMA s;", "main"),
        (
            Postgres,
            "CREATE TABLE t (a int, FOREIGN KEY (b) REFERENCES u (id));",
            "unknown column b",
        ),
    ] {
        let e = located(dialect, sql);
        assert!(e.message.contains(needle), "{sql}: {}", e.message);
        assert!(e.line >= 1 && e.column >= 1, "{e}");
    }
}
