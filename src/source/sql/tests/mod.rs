//! Unit tests of the SQL source, one file per dialect plus error locations.

mod errors;
mod mysql;
mod postgres;
mod sqlite;

use super::read;
use crate::error::{Error, Located};
use crate::source::merge::resolve_implicit_references;
use crate::source::origin::Loaded;
use strata_schema::{Database, Dialect, Table};

/// The schema `text` describes in `dialect`, with unqualified names in `default`.
fn load(dialect: Dialect, default: &str, text: &str) -> Database {
    let mut loaded = Loaded::default();
    if let Err(e) = read("schema.sql", text, dialect, default, &mut loaded) {
        panic!("{e}");
    }
    if let Err(e) = resolve_implicit_references(&mut loaded) {
        panic!("{e}");
    }
    loaded.database
}

/// The table `schema.name` of `db`.
fn table<'a>(db: &'a Database, schema: &str, name: &str) -> &'a Table {
    match db.schemas.get(schema).and_then(|s| s.tables.get(name)) {
        Some(t) => t,
        None => panic!("no table {schema}.{name} in {db:#?}"),
    }
}

/// The located error reading `text` gives.
fn located(dialect: Dialect, text: &str) -> Located {
    let mut loaded = Loaded::default();
    match read("schema.sql", text, dialect, "main", &mut loaded) {
        Err(Error::Located(l)) => *l,
        Err(other) => panic!("expected a located error, got {other}"),
        Ok(()) => panic!("expected an error for {text}"),
    }
}
