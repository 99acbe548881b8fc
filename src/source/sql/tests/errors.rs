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
fn column_on_update_outside_mysql_points_at_the_clause() {
    for dialect in [Postgres, Sqlite] {
        let e = located(
            dialect,
            "CREATE TABLE t (\n  a timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP\n);",
        );
        assert_eq!(place(&e), (2, 41), "{e}");
        assert!(
            e.message.starts_with("ON UPDATE is MySQL only"),
            "{}",
            e.message
        );
    }
    // A foreign key's ON UPDATE action is not a column's ON UPDATE.
    let e = located(
        Postgres,
        "CREATE TABLE u (id int PRIMARY KEY);\nCREATE TABLE t (a int REFERENCES u ON UPDATE now());",
    );
    assert!(e.message.starts_with("syntax error"), "{}", e.message);
}

#[test]
fn unsupported_parts_are_refused_where_they_are() {
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

/// The text is tokenized a statement at a time: semicolons inside strings, quoted names and
/// comments do not end a statement, and places after them are still places in the whole text.
#[test]
fn semicolons_inside_strings_and_comments_keep_places_in_the_whole_text() {
    let text = "CREATE TABLE a (id int); COMMENT ON TABLE a IS 'x;y';\n\
                -- a comment; with semicolons;\n\
                /* and ; here */ CREATE TABLE \"b;c\" (id int); ALTER TABLE d ADD COLUMN x int;";
    let e = located(Postgres, text);
    assert_eq!(place(&e), (3, 59), "{e}");
    assert!(e.message.contains("unknown table main.d"), "{}", e.message);
    let db = super::load(Postgres, "main", &text[..text.rfind(" ALTER").unwrap()]);
    assert_eq!(super::table(&db, "main", "b;c").columns.len(), 1);
}

/// A tokenizer error after many statements is the one tokenizing the whole text reports.
#[test]
fn an_unterminated_string_after_many_statements_is_located_as_in_the_whole_text() {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::Tokenizer;
    let mut text: String = (1..=3)
        .map(|i| format!("CREATE TABLE a{i} (id int);\n"))
        .collect();
    text.push_str("COMMENT ON TABLE a1 IS 'x;\n;\n;");
    let whole = Tokenizer::new(&PostgreSqlDialect {}, &text)
        .tokenize_with_location()
        .expect_err("the string is unterminated");
    let e = located(Postgres, &text);
    let expected = (whole.location.line as usize, whole.location.column as usize);
    assert_eq!(place(&e), expected, "{e}");
    assert!(e.message.contains(&whole.message), "{}", e.message);
}
