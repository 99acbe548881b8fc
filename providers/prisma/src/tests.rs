//! Whole-schema tests: text in, schema model out, for the rules the e2e fixtures do not reach
//! (errors, warnings, relation modes, multi-schema).

use crate::Prisma;
use strata_schema::{Database, Dialect, Loaded, Provider, ReferentialAction, SourceError, Table};

fn load(text: &str, dialect: Dialect) -> Result<Loaded, SourceError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.prisma");
    std::fs::write(&path, text).unwrap();
    Prisma.load(&path, dialect, "app")
}

fn table<'d>(db: &'d Database, schema: &str, name: &str) -> &'d Table {
    &db.schemas[schema].tables[name]
}

const PG: &str = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"URL\")\n}\n";

#[test]
fn implicit_many_to_many_orders_models_alphabetically() {
    let text = format!(
        "{PG}model Zebra {{\n  id Int @id\n  apples Apple[]\n}}\nmodel Apple {{\n  id String @id @db.Uuid\n  zebras Zebra[]\n}}\n"
    );
    let db = load(&text, Dialect::Postgres).unwrap().database;
    let join = table(&db, "app", "_AppleToZebra");
    assert_eq!(join.columns[0].ty, strata_schema::Type::Uuid);
    assert_eq!(join.foreign_keys[0].ref_table, "Apple");
    assert_eq!(join.foreign_keys[1].ref_table, "Zebra");
    assert_eq!(
        join.primary_key.as_ref().unwrap().name.as_deref(),
        Some("_AppleToZebra_AB_pkey")
    );
}

#[test]
fn one_to_one_needs_a_unique_defining_side() {
    let text = format!(
        "{PG}model User {{\n  id Int @id\n  profile Profile?\n}}\nmodel Profile {{\n  id Int @id\n  userId Int\n  user User @relation(fields: [userId], references: [id])\n}}\n"
    );
    let err = load(&text, Dialect::Postgres).unwrap_err();
    assert!(err.message.contains("one-to-one"), "{}", err.message);
    assert_eq!((err.location.line, err.location.column), (12, 31));
}

#[test]
fn optional_relations_set_null_and_emulated_relations_have_no_keys() {
    let text = format!(
        "{PG}model A {{\n  id Int @id\n  bs B[]\n}}\nmodel B {{\n  id Int @id\n  aId Int?\n  a A? @relation(fields: [aId], references: [id])\n}}\n"
    );
    let db = load(&text, Dialect::Postgres).unwrap().database;
    let fk = &table(&db, "app", "B").foreign_keys[0];
    assert_eq!(fk.name, "B_aId_fkey");
    assert_eq!(fk.on_delete, ReferentialAction::SetNull);
    assert_eq!(fk.on_update, ReferentialAction::Cascade);

    let emulated = text.replace("url = env", "relationMode = \"prisma\"\n  url = env");
    let db = load(&emulated, Dialect::Postgres).unwrap().database;
    assert!(table(&db, "app", "B").foreign_keys.is_empty());
}

#[test]
fn connector_features_fail_on_their_own_dialect_and_warn_elsewhere() {
    let sqlite = "datasource db {\n  provider = \"sqlite\"\n  url = \"file:x\"\n}\nmodel A {\n  id Int @id(map: \"a_pk\")\n}\n";
    let err = load(sqlite, Dialect::Sqlite).unwrap_err();
    assert_eq!((err.location.line, err.location.column), (6, 10));
    let loaded = load(
        &sqlite.replace("\"sqlite\"", "\"postgresql\""),
        Dialect::Sqlite,
    )
    .unwrap();
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
}

#[test]
fn multi_schema_models_and_enums_go_to_their_schema() {
    let text = format!(
        "{PG}enum Mood {{\n  OK\n  @@schema(\"audit\")\n}}\nmodel A {{\n  id Int @id\n  mood Mood\n  bs B[]\n  @@schema(\"audit\")\n}}\nmodel B {{\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}}\n"
    );
    let db = load(&text, Dialect::Postgres).unwrap().database;
    assert!(db.schemas["audit"].enums.contains_key("Mood"));
    let fk = &table(&db, "app", "B").foreign_keys[0];
    assert_eq!(fk.ref_schema.as_deref(), Some("audit"));
}

#[test]
fn unknown_attributes_and_views_are_warnings_with_locations() {
    let text = format!(
        "{PG}model A {{\n  id Int @id @shiny\n  @@sparkle\n}}\nview V {{\n  x Int @unique\n}}\n"
    );
    let loaded = load(&text, Dialect::Postgres).unwrap();
    let places: Vec<(usize, usize)> = loaded
        .warnings
        .iter()
        .map(|w| (w.location.line, w.location.column))
        .collect();
    assert!(places.contains(&(6, 14)), "{places:?}");
    assert!(places.contains(&(7, 3)), "{places:?}");
    assert!(places.contains(&(9, 6)), "{places:?}");
}

#[test]
fn unknown_types_and_missing_back_relations_are_errors() {
    let text = format!("{PG}model A {{\n  id Int @id\n  b Blob\n}}\n");
    let err = load(&text, Dialect::Postgres).unwrap_err();
    assert_eq!((err.location.line, err.location.column), (7, 5));
    let text = format!(
        "{PG}model A {{\n  id Int @id\n}}\nmodel B {{\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}}\n"
    );
    let err = load(&text, Dialect::Postgres).unwrap_err();
    assert!(
        err.message.contains("no opposite relation field"),
        "{}",
        err.message
    );
}

#[test]
fn datasource_must_name_a_supported_provider() {
    let err = load(
        "datasource db {\n  provider = \"mongodb\"\n  url = \"x\"\n}\n",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!((err.location.line, err.location.column), (2, 14));
}
