//! Tests against real SQLite databases (in memory, one per test): inspection reads what the
//! DDL says, rendering from the model reproduces it, rebuilds keep rows, and inspection takes a
//! fixed number of queries.

use super::{inspect, migrate, normalize};
use crate::dialect::Side;
use crate::diff::Change;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row, SqliteConnection};
use std::path::Path;
use std::str::FromStr;
use strata_schema::{
    Database, Deferrable, Generated, Identity, IndexKey, ReferentialAction, Table,
};

async fn memory() -> SqliteConnection {
    SqliteConnectOptions::from_str("sqlite::memory:")
        .expect("memory url")
        .connect()
        .await
        .expect("open in-memory sqlite")
}

async fn run(conn: &mut SqliteConnection, sql: &str) {
    sqlx::raw_sql(sql)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

async fn live(conn: &mut SqliteConnection) -> Database {
    let mut db = inspect::inspect(conn, &["main".to_string()])
        .await
        .expect("inspect")
        .database;
    normalize::normalize(&mut db, Side::Live);
    db
}

async fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .expect(sql)
        .get(0)
}

fn table<'a>(db: &'a Database, name: &str) -> &'a Table {
    &db.schemas["main"].tables[name]
}

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sqlite");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("fixture text"),
            )
        })
        .collect();
    out.sort();
    out
}

/// Every fixture, run by the client into database A and inspected, is re-created into an empty
/// database B from the model alone (CREATE TABLE with its foreign keys: SQLite accepts forward
/// references, so table order does not matter); both inspect to the same model.
#[tokio::test]
async fn every_fixture_round_trips_through_the_model() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 25, "only {} fixtures", fixtures.len());
    for (path, sql) in fixtures {
        let mut a = memory().await;
        run(&mut a, &sql).await;
        let from_client = live(&mut a).await;
        assert!(from_client.table_count() > 0, "{path}: no tables inspected");
        let mut b = memory().await;
        for t in from_client.schemas["main"].tables.values() {
            let change = Change::CreateTable {
                schema: "main".into(),
                to: t.clone(),
            };
            for statement in migrate::render(&change) {
                run(&mut b, &statement.sql).await;
            }
        }
        let from_model = live(&mut b).await;
        assert_eq!(from_model, from_client, "{path}: re-created schema differs");
    }
}

#[tokio::test]
async fn inspection_reads_what_only_the_ddl_says() {
    let mut conn = memory().await;
    run(
        &mut conn,
        "CREATE TABLE teams (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE nocase);
         CREATE TABLE members (
           team_id INTEGER NOT NULL,
           user_id INTEGER NOT NULL,
           role TEXT DEFAULT ('member'),
           handle TEXT GENERATED ALWAYS AS (lower(role)) STORED,
           CONSTRAINT members_pk PRIMARY KEY (team_id, user_id),
           CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES teams ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
           CONSTRAINT role_known CHECK (role IN ('member', 'owner'))
         ) WITHOUT ROWID;
         CREATE INDEX members_role ON members (lower(role) DESC, user_id) WHERE role <> 'owner';",
    )
    .await;
    let db = live(&mut conn).await;
    let teams = table(&db, "teams");
    assert_eq!(teams.columns[0].identity, Some(Identity::AutoIncrement));
    assert_eq!(teams.columns[1].collation.as_deref(), Some("NOCASE"));
    assert!(
        teams.indexes[0].constraint && teams.indexes[0].unique && teams.indexes[0].name.is_empty()
    );
    let members = table(&db, "members");
    assert_eq!(
        members
            .primary_key
            .as_ref()
            .and_then(|pk| pk.name.as_deref()),
        Some("members_pk")
    );
    assert_eq!(members.columns[2].default.as_deref(), Some("'member'"));
    assert_eq!(
        members.columns[3].generated,
        Some(Generated {
            expr: "lower(\"role\")".into(),
            stored: true
        })
    );
    let fk = &members.foreign_keys[0];
    assert_eq!(
        (fk.name.as_str(), fk.ref_columns.clone()),
        ("fk_team", vec!["id".to_string()])
    );
    assert_eq!(
        (fk.on_delete, fk.deferrable),
        (ReferentialAction::Cascade, Deferrable::InitiallyDeferred)
    );
    assert_eq!(members.checks[0].name, "role_known");
    assert_eq!(
        members.options.get("without_rowid").map(String::as_str),
        Some("true")
    );
    let index = &members.indexes[0];
    assert_eq!(index.parts[0].key, IndexKey::Expr("lower(\"role\")".into()));
    assert!(index.parts[0].desc);
    assert_eq!(index.predicate.as_deref(), Some("\"role\" <> 'owner'"));
}

/// A rebuild changes type, nullability, default, key and constraints at once and keeps every
/// row, with foreign keys off around it as the apply engine runs it; a view on the table
/// (unmanaged, so not in the model) keeps working.
#[tokio::test]
async fn rebuild_keeps_rows() {
    let mut conn = memory().await;
    run(
        &mut conn,
        "CREATE TABLE parents (id INTEGER PRIMARY KEY);
         CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, qty TEXT, note TEXT, parent INTEGER REFERENCES parents(id));
         CREATE INDEX items_note ON items (note);
         CREATE VIEW item_notes AS SELECT note FROM items;
         INSERT INTO parents VALUES (1);
         INSERT INTO items (qty, note, parent) VALUES ('3', NULL, 1), ('4', 'x', NULL);
         DELETE FROM items WHERE id = 2; INSERT INTO items (qty, note) VALUES ('5', 'y');",
    )
    .await;
    let before = live(&mut conn).await;
    let mut scratch = memory().await;
    run(
        &mut scratch,
        "CREATE TABLE parents (id INTEGER PRIMARY KEY);
         CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, qty INTEGER NOT NULL CHECK (qty > 0),
           note TEXT NOT NULL DEFAULT 'none', parent INTEGER REFERENCES parents(id) ON DELETE CASCADE, added TEXT);
         CREATE INDEX items_note ON items (note DESC);",
    )
    .await;
    let desired = live(&mut scratch).await;
    let change = Change::RebuildTable {
        schema: "main".into(),
        from: table(&before, "items").clone(),
        to: table(&desired, "items").clone(),
    };
    let mut script = String::from("PRAGMA foreign_keys=OFF; BEGIN;\n");
    for statement in migrate::render(&change) {
        script.push_str(&statement.sql);
        script.push_str(";\n");
    }
    script.push_str("COMMIT; PRAGMA foreign_keys=ON;");
    run(&mut conn, &script).await;
    assert_eq!(live(&mut conn).await, desired);
    assert_eq!(
        count(&mut conn, "SELECT count(*) FROM items WHERE qty IN (3, 5)").await,
        2
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) FROM items WHERE note = 'none' AND parent = 1"
        )
        .await,
        1
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) FROM pragma_foreign_key_check").await,
        0
    );
    assert_eq!(count(&mut conn, "SELECT count(*) FROM item_notes").await, 2);
    // The AUTOINCREMENT high-water mark survives: id 2 was deleted and is not reused.
    run(&mut conn, "INSERT INTO items (qty) VALUES (9)").await;
    assert_eq!(count(&mut conn, "SELECT max(id) FROM items").await, 4);
}

/// Inspection issues the same number of queries for 10 tables as for 1,000.
#[tokio::test]
async fn query_count_does_not_grow_with_tables() {
    let mut queries = Vec::new();
    for n in [10, 1000] {
        let mut conn = memory().await;
        let mut sql = String::new();
        for i in 0..n {
            sql.push_str(&format!(
                "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, ref INTEGER REFERENCES t0(id), name TEXT UNIQUE CHECK (name <> ''));
                 CREATE INDEX t{i}_ref ON t{i} (ref);\n"
            ));
        }
        run(&mut conn, &sql).await;
        let inspected = inspect::inspect(&mut conn, &["main".to_string()])
            .await
            .expect("inspect");
        assert_eq!(inspected.database.table_count(), n);
        let t = table(&inspected.database, "t7");
        assert_eq!(
            (t.indexes.len(), t.foreign_keys.len(), t.checks.len()),
            (2, 1, 1)
        );
        queries.push(inspected.queries);
    }
    assert_eq!(queries[0], queries[1], "queries for 10 vs 1,000 tables");
}

#[tokio::test]
async fn schemas_that_are_not_attached_are_absent() {
    let mut conn = memory().await;
    let inspected = inspect::inspect(&mut conn, &["main".into(), "nowhere".into()])
        .await
        .expect("inspect");
    assert_eq!(
        inspected.database.schemas.keys().collect::<Vec<_>>(),
        vec!["main"]
    );
}
