//! Tests against the real server (127.0.0.1:5432, database `test`): each works in scratch
//! schemas of its own and drops them at the end. An unreachable server fails the test.

use super::{inspect, migrate, normalize};
use crate::dialect::Side;
use crate::diff::{Change, ColumnChanges};
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use strata_schema::{
    Check, Column, Database, Deferrable, EnumType, ForeignKey, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, ReferentialAction, Schema, Table, Type,
};

const URL: &str = "postgres://postgres@127.0.0.1:5432/test";

async fn connect() -> PgConnection {
    PgConnection::connect(URL)
        .await
        .expect("PostgreSQL on 127.0.0.1:5432 must be reachable")
}

/// A schema name no other test (or test run) uses.
fn scratch_name(tag: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("t_pg_{tag}_{}_{n}_{nanos}", std::process::id())
}

async fn exec(conn: &mut PgConnection, sql: &str) {
    if let Err(e) = sqlx::raw_sql(sql).execute(&mut *conn).await {
        panic!("{e}\nin:\n{sql}");
    }
}

/// Run `ddl` in a fresh schema; returns the schema's name.
async fn load(conn: &mut PgConnection, tag: &str, ddl: &str) -> String {
    let schema = scratch_name(tag);
    exec(
        conn,
        &format!("CREATE SCHEMA \"{schema}\"; SET search_path TO \"{schema}\";\n{ddl}"),
    )
    .await;
    exec(conn, "RESET search_path").await;
    schema
}

async fn drop_schemas(conn: &mut PgConnection, schemas: &[&str]) {
    for s in schemas {
        exec(conn, &format!("DROP SCHEMA \"{s}\" CASCADE")).await;
    }
}

/// The schema inspected and normalised as live.
/// Assert two schemas are equal the way the engine decides it: the differ finds no change
/// (expressions compare by canonical form, so the catalog's casts and parentheses don't count).
fn assert_same(a: &Schema, b: &Schema, what: &str) {
    let wrap = |s: &Schema| {
        let mut db = Database::default();
        db.schemas.insert(s.name.clone(), s.clone());
        db
    };
    let changes = crate::diff::diff(strata_schema::Dialect::Postgres, &wrap(a), &wrap(b));
    assert!(changes.is_empty(), "{what}: {changes:#?}");
}

async fn live(conn: &mut PgConnection, schema: &str) -> Schema {
    let mut db = inspect::inspect(conn, &[schema.to_string()])
        .await
        .expect("inspect")
        .database;
    normalize::normalize(&mut db, Side::Live);
    let again = db.clone();
    normalize::normalize(&mut db, Side::Live);
    assert_eq!(db, again, "normalize is not idempotent");
    db.schemas.remove(schema).expect("schema inspected")
}

/// Rebuild `model` into the empty schema `target` purely from rendered changes: enums,
/// tables without their foreign keys, then the foreign keys (so table order does not matter).
async fn recreate(conn: &mut PgConnection, model: &Schema, target: &str) {
    // As on apply, where the URL's search_path is the schema being managed.
    exec(conn, &format!("SET search_path TO \"{target}\"")).await;
    let mut changes = Vec::new();
    for e in model.enums.values() {
        changes.push(Change::CreateEnum {
            schema: target.into(),
            to: e.clone(),
        });
    }
    let mut fks = Vec::new();
    for t in model.tables.values() {
        let mut t = t.clone();
        for fk in std::mem::take(&mut t.foreign_keys) {
            fks.push(Change::AddForeignKey {
                schema: target.into(),
                table: t.name.clone(),
                to: fk,
            });
        }
        changes.push(Change::CreateTable {
            schema: target.into(),
            to: t,
        });
    }
    changes.extend(fks);
    for change in &changes {
        for stmt in migrate::render(change) {
            exec(conn, &stmt.sql).await;
        }
    }
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/postgres")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_fixture_round_trips_through_inspect_and_render() {
    let mut conn = connect().await;
    let files = fixtures();
    assert!(
        files.len() >= 25,
        "expected at least 25 fixtures, found {}",
        files.len()
    );
    for file in files {
        let ddl = std::fs::read_to_string(&file).expect("fixture");
        let a = load(&mut conn, "rt", &ddl).await;
        let first = live(&mut conn, &a).await;
        assert!(
            !first.tables.is_empty(),
            "{}: no tables read",
            file.display()
        );
        let b = scratch_name("rt");
        exec(&mut conn, &format!("CREATE SCHEMA \"{b}\"")).await;
        recreate(&mut conn, &first, &b).await;
        let mut second = live(&mut conn, &b).await;
        second.name = a.clone();
        drop_schemas(&mut conn, &[&a, &b]).await;
        assert_same(
            &second,
            &first,
            &format!("{}: the recreated schema differs", file.display()),
        );
        assert_eq!(
            second.tables.keys().collect::<Vec<_>>(),
            first.tables.keys().collect::<Vec<_>>(),
            "{}: the recreated schema differs",
            file.display()
        );
    }
}

/// Names PostgreSQL chose for unnamed objects equal the names normalisation predicts.
#[tokio::test]
async fn unnamed_objects_get_the_names_postgres_gives_them() {
    let mut conn = connect().await;
    let long = "a_table_name_that_is_long_enough_to_need_truncation_by_postgres";
    let ddl = format!(
        "CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, org int, handle text,
             UNIQUE (org, handle), CHECK (org > 0), CHECK (org > 0 AND id > 0));
         CREATE TABLE posts (id int PRIMARY KEY, author_id int REFERENCES users,
             price numeric CHECK (price >= 0), title text);
         CREATE INDEX ON posts (lower(title));
         CREATE INDEX ON posts ((price + 1));
         CREATE INDEX ON posts (title);
         CREATE INDEX ON posts (title);
         CREATE TABLE {long} (id int PRIMARY KEY, a_column_name_that_is_long_as_well_for_the_test int UNIQUE);"
    );
    let schema = load(&mut conn, "names", &ddl).await;
    let live_schema = live(&mut conn, &schema).await;
    drop_schemas(&mut conn, &[&schema]).await;

    let mut desired = live_schema.clone();
    for t in desired.tables.values_mut() {
        if let Some(pk) = &mut t.primary_key {
            pk.name = None;
        }
        t.indexes.iter_mut().for_each(|i| i.name.clear());
        t.foreign_keys.iter_mut().for_each(|f| {
            f.name.clear();
            f.ref_columns.clear();
        });
        t.checks.iter_mut().for_each(|c| c.name.clear());
    }
    let mut db = Database::default();
    db.schemas.insert(schema.clone(), desired);
    normalize::normalize(&mut db, Side::Desired);
    assert_same(&db.schemas[&schema], &live_schema, "desired vs catalog");
}

/// What users write and what the catalog reports normalise to the same model.
#[tokio::test]
async fn desired_spellings_equal_the_catalog() {
    let mut conn = connect().await;
    let ddl = "CREATE TYPE mood AS ENUM ('ok', 'sad');
        CREATE TABLE t (id serial PRIMARY KEY, v varchar(10) DEFAULT 'x' CHECK (v IN ('x', 'y')),
            n numeric DEFAULT 0 CHECK (n >= 0), b bigint DEFAULT '0', i int DEFAULT -1,
            m mood DEFAULT 'ok', at timestamptz DEFAULT now() + interval '1 day',
            f boolean DEFAULT 'f', z text DEFAULT NULL);
        CREATE INDEX t_v_idx ON t USING btree (lower(v)) WHERE (n > 0);";
    let schema = load(&mut conn, "spell", ddl).await;
    let live_schema = live(&mut conn, &schema).await;
    drop_schemas(&mut conn, &[&schema]).await;

    let col = |name: &str, ty: &str, default: Option<&str>| Column {
        default: default.map(String::from),
        ..Column::new(name, Type::parse(strata_schema::Dialect::Postgres, ty))
    };
    let mut t = Table::new("t");
    t.columns = vec![
        Column {
            identity: Some(Identity::Serial),
            ..col("id", "serial", None)
        },
        col("v", "varchar(10)", Some("'x'")),
        col("n", "numeric", Some("0")),
        col("b", "bigint", Some("'0'")),
        col("i", "int", Some("-1")),
        col("m", &format!("{schema}.mood"), Some("'ok'")),
        col("at", "timestamptz", Some("now() + interval '1 day'")),
        col("f", "boolean", Some("'f'")),
        col("z", "text", Some("NULL")),
    ];
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
    });
    t.checks = vec![
        Check {
            name: String::new(),
            expr: "v IN ('x', 'y')".into(),
        },
        Check {
            name: String::new(),
            expr: "n >= 0".into(),
        },
    ];
    t.indexes = vec![Index {
        name: "t_v_idx".into(),
        parts: vec![IndexPart {
            key: IndexKey::Expr("lower(v)".into()),
            ..IndexPart::column("")
        }],
        unique: false,
        constraint: false,
        predicate: Some("(n > 0)".into()),
        method: Some("BTREE".into()),
        comment: None,
    }];
    let mut db = Database::default();
    let s = db.schema_mut(&schema);
    s.enums.insert(
        "mood".into(),
        EnumType {
            name: "mood".into(),
            values: vec!["ok".into(), "sad".into()],
        },
    );
    s.tables.insert("t".into(), t);
    normalize::normalize(&mut db, Side::Desired);
    assert_same(&db.schemas[&schema], &live_schema, "desired vs catalog");
}

fn tables_ddl(count: usize) -> String {
    let mut ddl = String::from("CREATE TYPE state AS ENUM ('a', 'b');\n");
    for i in 0..count {
        // Every table takes about six locks until its transaction ends, and the server's lock
        // table (max_locks_per_transaction × max_connections) is shared with the tests running
        // beside this one: commit every 100 tables.
        if i > 0 && i % 100 == 0 {
            ddl.push_str("COMMIT;\n");
        }
        let fk = if i > 0 {
            ", parent int REFERENCES t0 (id) ON DELETE CASCADE"
        } else {
            ""
        };
        ddl.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL UNIQUE, s state, qty int CHECK (qty > 0){fk});
             CREATE INDEX ON t{i} (lower(name));
             COMMENT ON TABLE t{i} IS 'table {i}';\n"
        ));
    }
    ddl
}

#[tokio::test]
async fn inspection_costs_the_same_queries_for_10_and_1000_tables() {
    let mut conn = connect().await;
    let small = load(&mut conn, "q10", &tables_ddl(10)).await;
    let large = load(&mut conn, "q1000", &tables_ddl(1000)).await;
    let few = inspect::inspect(&mut conn, std::slice::from_ref(&small))
        .await
        .expect("inspect");
    let started = Instant::now();
    let many = inspect::inspect(&mut conn, std::slice::from_ref(&large))
        .await
        .expect("inspect");
    let elapsed = started.elapsed();
    // One DROP SCHEMA over 1,000 tables needs more locks than one transaction may hold.
    for chunk in (0..1000).rev().collect::<Vec<_>>().chunks(100) {
        let names: Vec<String> = chunk.iter().map(|i| format!("\"{large}\".t{i}")).collect();
        exec(
            &mut conn,
            &format!("DROP TABLE {} CASCADE", names.join(", ")),
        )
        .await;
    }
    drop_schemas(&mut conn, &[&small, &large]).await;
    assert_eq!(few.database.table_count(), 10);
    assert_eq!(many.database.table_count(), 1000);
    assert_eq!(few.queries, many.queries);
    eprintln!(
        "inspecting 1,000 tables took {elapsed:?} in {} queries",
        many.queries
    );
}

#[tokio::test]
async fn missing_schemas_are_absent_and_the_default_schema_is_current() {
    let mut conn = connect().await;
    let got = inspect::inspect(&mut conn, &["t_pg_no_such_schema".into()])
        .await
        .expect("inspect");
    assert!(got.database.schemas.is_empty());
    exec(&mut conn, "SET search_path TO public").await;
    assert_eq!(
        inspect::default_schema(&mut conn).await.expect("schema"),
        "public"
    );
}

// ---- SQL of each change ----

fn sql(change: Change) -> Vec<String> {
    migrate::render(&change)
        .into_iter()
        .map(|s| s.sql)
        .collect()
}

fn int(name: &str) -> Column {
    Column {
        nullable: false,
        ..Column::new(
            name,
            Type::Integer {
                bytes: 4,
                unsigned: false,
            },
        )
    }
}

fn s() -> String {
    "public".into()
}

fn users() -> String {
    "users".into()
}

#[test]
fn schema_and_enum_changes() {
    assert_eq!(
        sql(Change::CreateSchema {
            schema: "app".into()
        }),
        ["CREATE SCHEMA \"app\""]
    );
    let mood = |v: &[&str]| EnumType {
        name: "mood".into(),
        values: v.iter().map(|x| x.to_string()).collect(),
    };
    assert_eq!(
        sql(Change::CreateEnum {
            schema: s(),
            to: mood(&["a", "it's"])
        }),
        ["CREATE TYPE \"public\".\"mood\" AS ENUM ('a', 'it''s')"]
    );
    assert_eq!(
        sql(Change::DropEnum {
            schema: s(),
            from: mood(&["a"])
        }),
        ["DROP TYPE \"public\".\"mood\""]
    );
    assert_eq!(
        sql(Change::AlterEnum {
            schema: s(),
            from: mood(&["b", "d"]),
            to: mood(&["a", "b", "c", "d", "e"])
        }),
        [
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'a' BEFORE 'b'",
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'c' AFTER 'b'",
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'e' AFTER 'd'",
        ]
    );
}

#[test]
fn create_table_holds_keys_and_checks_then_indexes_and_comments() {
    let mut t = Table::new("users");
    t.columns = vec![
        Column {
            identity: Some(Identity::Serial),
            ..int("id")
        },
        Column {
            default: Some("'x'".into()),
            comment: Some("shown".into()),
            collation: Some("C".into()),
            ..Column::new("name", Type::Varchar { length: Some(20) })
        },
        Column::new(
            "mood",
            Type::UserDefined {
                name: "mood".into(),
            },
        ),
        Column {
            identity: Some(Identity::Generated { always: true }),
            ..int("n")
        },
    ];
    t.primary_key = Some(PrimaryKey {
        name: Some("users_pkey".into()),
        columns: vec!["id".into()],
    });
    t.indexes = vec![
        Index {
            name: "users_name_key".into(),
            parts: vec![IndexPart::column("name")],
            unique: true,
            constraint: true,
            predicate: None,
            method: None,
            comment: None,
        },
        Index {
            name: "users_lower_idx".into(),
            parts: vec![IndexPart {
                key: IndexKey::Expr("lower(name)".into()),
                desc: true,
                ..IndexPart::column("")
            }],
            unique: false,
            constraint: false,
            predicate: Some("n > 0".into()),
            method: Some("hash".into()),
            comment: Some("fast".into()),
        },
    ];
    t.checks = vec![Check {
        name: "users_n_check".into(),
        expr: "n > 0".into(),
    }];
    t.comment = Some("people".into());
    assert_eq!(
        sql(Change::CreateTable { schema: s(), to: t }),
        [
            "CREATE TABLE \"public\".\"users\" (\n  \"id\" serial NOT NULL,\n  \"name\" character varying(20) COLLATE \"C\" DEFAULT 'x',\n  \"mood\" \"public\".\"mood\",\n  \"n\" integer GENERATED ALWAYS AS IDENTITY NOT NULL,\n  CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\"),\n  CONSTRAINT \"users_name_key\" UNIQUE (\"name\"),\n  CONSTRAINT \"users_n_check\" CHECK (n > 0)\n)",
            "CREATE INDEX \"users_lower_idx\" ON \"public\".\"users\" USING hash ((lower(name)) DESC) WHERE n > 0",
            "COMMENT ON INDEX \"public\".\"users_lower_idx\" IS 'fast'",
            "COMMENT ON TABLE \"public\".\"users\" IS 'people'",
            "COMMENT ON COLUMN \"public\".\"users\".\"name\" IS 'shown'",
        ]
    );
    assert_eq!(
        sql(Change::DropTable {
            schema: s(),
            from: Table::new("users")
        }),
        ["DROP TABLE \"public\".\"users\""]
    );
}

#[test]
fn column_changes() {
    let name = Column::new(
        "name",
        Type::Text {
            size: strata_schema::LobSize::Normal,
        },
    );
    assert_eq!(
        sql(Change::AddColumn {
            schema: s(),
            table: users(),
            to: Column {
                default: Some("''".into()),
                ..name.clone()
            }
        }),
        ["ALTER TABLE \"public\".\"users\" ADD COLUMN \"name\" text DEFAULT ''"]
    );
    assert_eq!(
        sql(Change::DropColumn {
            schema: s(),
            table: users(),
            from: name.clone()
        }),
        ["ALTER TABLE \"public\".\"users\" DROP COLUMN \"name\""]
    );
    assert_eq!(
        sql(Change::RenameColumn {
            schema: s(),
            table: users(),
            from: "a".into(),
            to: "b".into()
        }),
        ["ALTER TABLE \"public\".\"users\" RENAME COLUMN \"a\" TO \"b\""]
    );
    let from = Column {
        default: Some("0".into()),
        ..int("qty")
    };
    let to = Column {
        ty: Type::Integer {
            bytes: 8,
            unsigned: false,
        },
        nullable: true,
        default: Some("1".into()),
        comment: Some("how many".into()),
        ..from.clone()
    };
    let changes = ColumnChanges {
        ty: true,
        nullable: true,
        default: true,
        comment: true,
        ..Default::default()
    };
    let at = "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"qty\"";
    assert_eq!(
        sql(Change::ModifyColumn {
            schema: s(),
            table: users(),
            from,
            to,
            changes
        }),
        [
            format!("{at} DROP DEFAULT"),
            format!("{at} TYPE bigint USING \"qty\"::bigint"),
            format!("{at} DROP NOT NULL"),
            format!("{at} SET DEFAULT 1"),
            "COMMENT ON COLUMN \"public\".\"users\".\"qty\" IS 'how many'".to_string(),
        ]
    );
}

#[test]
fn identity_changes() {
    let identity = ColumnChanges {
        identity: true,
        ..Default::default()
    };
    let with = |i: Option<Identity>| Column {
        identity: i,
        ..int("id")
    };
    let at = "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"id\"";
    let setval = "SELECT setval(pg_get_serial_sequence('\"public\".\"users\"', 'id'), COALESCE(max(\"id\"), 0) + 1, false) FROM \"public\".\"users\"";
    let change = |from, to| Change::ModifyColumn {
        schema: s(),
        table: users(),
        from: with(from),
        to: with(to),
        changes: identity,
    };
    assert_eq!(
        sql(change(None, Some(Identity::Generated { always: false }))),
        [
            format!("{at} ADD GENERATED BY DEFAULT AS IDENTITY"),
            setval.to_string()
        ]
    );
    assert_eq!(
        sql(change(
            Some(Identity::Generated { always: false }),
            Some(Identity::Generated { always: true })
        )),
        [format!("{at} SET GENERATED ALWAYS")]
    );
    assert_eq!(
        sql(change(Some(Identity::Generated { always: true }), None)),
        [format!("{at} DROP IDENTITY")]
    );
    let drop_seq = "DO $$ BEGIN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence('\"public\".\"users\"', 'id'); END $$";
    assert_eq!(
        sql(change(Some(Identity::Serial), None)),
        [format!("{at} DROP DEFAULT"), drop_seq.to_string()]
    );
    assert_eq!(
        sql(change(None, Some(Identity::Serial))),
        [
            "CREATE SEQUENCE \"public\".\"users_id_seq\" AS integer OWNED BY \"public\".\"users\".\"id\"".to_string(),
            format!("{at} SET DEFAULT nextval('\"public\".\"users_id_seq\"'::regclass)"),
            setval.to_string(),
        ]
    );
}

#[test]
fn key_index_and_constraint_changes() {
    let t = "ALTER TABLE \"public\".\"users\"";
    let pk = PrimaryKey {
        name: Some("users_pkey".into()),
        columns: vec!["id".into(), "org".into()],
    };
    assert_eq!(
        sql(Change::AddPrimaryKey {
            schema: s(),
            table: users(),
            to: pk.clone()
        }),
        [format!(
            "{t} ADD CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\", \"org\")"
        )]
    );
    assert_eq!(
        sql(Change::DropPrimaryKey {
            schema: s(),
            table: users(),
            from: PrimaryKey { name: None, ..pk }
        }),
        [format!("{t} DROP CONSTRAINT \"users_pkey\"")]
    );
    let unique = Index {
        name: "users_email_key".into(),
        parts: vec![IndexPart::column("email")],
        unique: true,
        constraint: true,
        predicate: None,
        method: None,
        comment: None,
    };
    assert_eq!(
        sql(Change::AddIndex {
            schema: s(),
            table: users(),
            to: unique.clone()
        }),
        [format!(
            "{t} ADD CONSTRAINT \"users_email_key\" UNIQUE (\"email\")"
        )]
    );
    assert_eq!(
        sql(Change::DropIndex {
            schema: s(),
            table: users(),
            from: unique.clone()
        }),
        [format!("{t} DROP CONSTRAINT \"users_email_key\"")]
    );
    let index = Index {
        constraint: false,
        name: "users_email_idx".into(),
        parts: vec![IndexPart {
            opclass: Some("text_pattern_ops".into()),
            ..IndexPart::column("email")
        }],
        predicate: Some("email IS NOT NULL".into()),
        ..unique
    };
    assert_eq!(
        sql(Change::AddIndex {
            schema: s(),
            table: users(),
            to: index.clone()
        }),
        [
            "CREATE UNIQUE INDEX \"users_email_idx\" ON \"public\".\"users\" (\"email\" text_pattern_ops) WHERE email IS NOT NULL"
        ]
    );
    assert_eq!(
        sql(Change::DropIndex {
            schema: s(),
            table: users(),
            from: index
        }),
        ["DROP INDEX \"public\".\"users_email_idx\""]
    );
    let fk = ForeignKey {
        name: "users_org_fkey".into(),
        columns: vec!["org".into()],
        ref_schema: Some("billing".into()),
        ref_table: "orgs".into(),
        ref_columns: vec!["id".into()],
        on_delete: ReferentialAction::Cascade,
        on_update: ReferentialAction::SetNull,
        deferrable: Deferrable::InitiallyDeferred,
    };
    assert_eq!(
        sql(Change::AddForeignKey {
            schema: s(),
            table: users(),
            to: fk.clone()
        }),
        [format!(
            "{t} ADD CONSTRAINT \"users_org_fkey\" FOREIGN KEY (\"org\") REFERENCES \"billing\".\"orgs\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED"
        )]
    );
    assert_eq!(
        sql(Change::DropForeignKey {
            schema: s(),
            table: users(),
            from: fk
        }),
        [format!("{t} DROP CONSTRAINT \"users_org_fkey\"")]
    );
    let check = Check {
        name: "users_org_check".into(),
        expr: "org > 0".into(),
    };
    assert_eq!(
        sql(Change::AddCheck {
            schema: s(),
            table: users(),
            to: check.clone()
        }),
        [format!(
            "{t} ADD CONSTRAINT \"users_org_check\" CHECK (org > 0)"
        )]
    );
    assert_eq!(
        sql(Change::DropCheck {
            schema: s(),
            table: users(),
            from: check
        }),
        [format!("{t} DROP CONSTRAINT \"users_org_check\"")]
    );
    assert_eq!(
        sql(Change::SetTableComment {
            schema: s(),
            table: users(),
            from: None,
            to: Some("it's".into())
        }),
        ["COMMENT ON TABLE \"public\".\"users\" IS 'it''s'"]
    );
    assert_eq!(
        sql(Change::SetTableComment {
            schema: s(),
            table: users(),
            from: Some("x".into()),
            to: None
        }),
        ["COMMENT ON TABLE \"public\".\"users\" IS NULL"]
    );
}

#[test]
fn rebuild_copies_common_columns() {
    let mut from = Table::new("users");
    from.columns = vec![int("id"), int("old")];
    let mut to = Table::new("users");
    to.columns = vec![int("id"), int("new")];
    to.primary_key = Some(PrimaryKey {
        name: Some("users_pkey".into()),
        columns: vec!["id".into()],
    });
    assert_eq!(
        sql(Change::RebuildTable {
            schema: s(),
            from,
            to
        }),
        [
            "CREATE TABLE \"public\".\"users__strata_new\" (\n  \"id\" integer NOT NULL,\n  \"new\" integer NOT NULL\n)",
            "INSERT INTO \"public\".\"users__strata_new\" (\"id\") SELECT \"id\" FROM \"public\".\"users\"",
            "DROP TABLE \"public\".\"users\"",
            "ALTER TABLE \"public\".\"users__strata_new\" RENAME TO \"users\"",
            "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\")",
        ]
    );
}
