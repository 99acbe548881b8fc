//! Tests against the real MariaDB server (127.0.0.1:3306): every fixture survives
//! inspect → render → inspect unchanged, and inspection costs a fixed number of queries.
//! A server that is down fails these tests; it never skips them.

use super::{inspect, migrate, normalize};
use crate::dialect::Side;
use crate::diff::Change;
use sqlx::{Connection, MySqlConnection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use strata_schema::{Database, Schema};

const SERVER: &str = "mysql://root@127.0.0.1:3306";

/// A scratch database with a name unique to this process and call.
async fn scratch(tag: &str) -> (MySqlConnection, String) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "t_my_{tag}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = MySqlConnection::connect(&format!("{SERVER}/test"))
        .await
        .unwrap_or_else(|e| {
            panic!("MariaDB at {SERVER} is unreachable (run shared/services.sh): {e}")
        });
    let sql = format!("DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`; USE `{name}`");
    sqlx::raw_sql(&sql)
        .execute(&mut conn)
        .await
        .expect("create scratch database");
    (conn, name)
}

async fn drop_scratch(conn: &mut MySqlConnection, name: &str) {
    let sql = format!("DROP DATABASE IF EXISTS `{name}`");
    sqlx::raw_sql(&sql)
        .execute(conn)
        .await
        .expect("drop scratch database");
}

async fn inspect_normalized(conn: &mut MySqlConnection, schema: &str) -> Database {
    let mut db = inspect::inspect(conn, &[schema.to_string()])
        .await
        .expect("inspect")
        .database;
    normalize::normalize(&mut db, Side::Live);
    db
}

/// The statements that create `schema` from nothing: every table without its foreign keys,
/// then the foreign keys, so that table order does not matter.
fn create_statements(schema: &Schema, into: &str) -> Vec<String> {
    let mut changes = Vec::new();
    let mut later = Vec::new();
    for table in schema.tables.values() {
        let mut to = table.clone();
        for fk in std::mem::take(&mut to.foreign_keys) {
            later.push(Change::AddForeignKey {
                schema: into.into(),
                table: to.name.clone(),
                to: fk,
            });
        }
        changes.push(Change::CreateTable {
            schema: into.into(),
            to,
        });
    }
    changes.extend(later);
    changes
        .iter()
        .flat_map(migrate::render)
        .map(|s| s.sql)
        .collect()
}

fn renamed(mut db: Database, from: &str, to: &str) -> Database {
    if let Some(mut schema) = db.schemas.remove(from) {
        schema.name = to.to_string();
        db.schemas.insert(to.to_string(), schema);
    }
    db
}

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mysql");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// Round trip one fixture; `Err` says what differed.
async fn round_trip(path: &PathBuf) -> Result<(), String> {
    let ddl = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (mut a, name_a) = scratch("a").await;
    let (mut b, name_b) = scratch("b").await;
    let outcome = async {
        sqlx::raw_sql(&ddl)
            .execute(&mut a)
            .await
            .map_err(|e| format!("fixture DDL: {e}"))?;
        let first = inspect_normalized(&mut a, &name_a).await;
        let schema = first
            .schemas
            .get(&name_a)
            .ok_or("scratch schema not inspected")?;
        if schema.tables.is_empty() {
            return Err("no tables inspected".to_string());
        }
        for sql in create_statements(schema, &name_b) {
            sqlx::raw_sql(&sql)
                .execute(&mut b)
                .await
                .map_err(|e| format!("{sql}\n  -> {e}"))?;
        }
        let second = renamed(inspect_normalized(&mut b, &name_b).await, &name_b, &name_a);
        if first != second {
            let left = serde_json::to_string_pretty(&first).unwrap_or_default();
            let right = serde_json::to_string_pretty(&second).unwrap_or_default();
            return Err(format!(
                "models differ\n--- fixture\n{left}\n--- re-created\n{right}"
            ));
        }
        Ok(())
    }
    .await;
    drop_scratch(&mut a, &name_a).await;
    drop_scratch(&mut b, &name_b).await;
    outcome
}

#[tokio::test]
async fn every_fixture_round_trips_through_inspect_and_render() {
    let files = fixtures();
    assert!(
        files.len() >= 25,
        "expected at least 25 fixtures, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        if let Err(e) = round_trip(path).await {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn normalizing_twice_changes_nothing() {
    for path in fixtures() {
        let ddl = std::fs::read_to_string(&path).expect("fixture");
        let (mut conn, name) = scratch("n").await;
        sqlx::raw_sql(&ddl)
            .execute(&mut conn)
            .await
            .expect("fixture DDL");
        let once = inspect_normalized(&mut conn, &name).await;
        let mut twice = once.clone();
        normalize::normalize(&mut twice, Side::Live);
        drop_scratch(&mut conn, &name).await;
        assert_eq!(once, twice, "{}", path.display());
    }
}

/// Tables with a key, an index, a foreign key and a check each, so that every query has rows.
fn generated_tables(from: usize, to: usize) -> String {
    (from..to)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (id int PRIMARY KEY, parent int, name varchar(20) DEFAULT 'x', \
                 KEY name_idx (name), CONSTRAINT t{i}_parent FOREIGN KEY (parent) REFERENCES t{i} (id), \
                 CONSTRAINT t{i}_named CHECK (name <> ''));\n"
            )
        })
        .collect()
}

#[tokio::test]
async fn inspection_query_count_does_not_grow_with_tables() {
    let (mut conn, name) = scratch("count").await;
    sqlx::raw_sql(&generated_tables(0, 10))
        .execute(&mut conn)
        .await
        .expect("10 tables");
    let ten = inspect::inspect(&mut conn, std::slice::from_ref(&name))
        .await
        .expect("inspect 10");
    sqlx::raw_sql(&generated_tables(10, 1000))
        .execute(&mut conn)
        .await
        .expect("1000 tables");
    let started = std::time::Instant::now();
    let thousand = inspect::inspect(&mut conn, std::slice::from_ref(&name))
        .await
        .expect("inspect 1000");
    let took = started.elapsed();
    drop_scratch(&mut conn, &name).await;
    assert_eq!(ten.database.table_count(), 10);
    assert_eq!(thousand.database.table_count(), 1000);
    assert_eq!(
        ten.queries, thousand.queries,
        "query count grew with the table count"
    );
    println!(
        "inspected 1,000 MariaDB tables with {} queries in {took:?}",
        thousand.queries
    );
}

#[tokio::test]
async fn default_schema_is_the_url_database() {
    let (mut conn, name) = scratch("default").await;
    let found = inspect::default_schema(&mut conn)
        .await
        .expect("default schema");
    drop_scratch(&mut conn, &name).await;
    assert_eq!(found, name);
}

#[tokio::test]
async fn missing_schemas_are_absent() {
    let (mut conn, name) = scratch("absent").await;
    let ghost = format!("{name}_missing");
    let found = inspect::inspect(&mut conn, &[name.clone(), ghost.clone()])
        .await
        .expect("inspect");
    drop_scratch(&mut conn, &name).await;
    assert!(found.database.schemas.contains_key(&name));
    assert!(!found.database.schemas.contains_key(&ghost));
}
