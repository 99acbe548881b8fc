//! Diff: desired vs live schema → [`Change`]s. Both schemas must already be normalised by the
//! dialect (see `dialect::normalize`), so that plain equality of model values is the test for
//! "nothing to do". Matching is by name; objects the database names itself (SQLite's inline
//! UNIQUE, unnamed foreign keys and checks) are matched by definition instead.
//!
//! The differ emits changes in no particular order; the planner orders them.

mod change;
mod table;

pub use change::{Change, ColumnChanges};
use strata_schema::{Database, Dialect, EnumType, Schema};

/// The changes between two versions of one table (for a rebuild, what it amounts to).
pub fn table_changes(
    dialect: Dialect,
    schema: &str,
    from: &strata_schema::Table,
    to: &strata_schema::Table,
) -> Vec<Change> {
    let mut out = Vec::new();
    table::diff_table(dialect, schema, from, to, &mut out);
    out
}

/// Diff `live` (what is) against `desired` (what should be). Every live object in scope is
/// treated as managed: objects outside the scope must be filtered out before.
pub fn diff(dialect: Dialect, desired: &Database, live: &Database) -> Vec<Change> {
    let empty = Schema::default();
    let mut changes = Vec::new();
    for (name, to) in &desired.schemas {
        match live.schemas.get(name) {
            Some(from) => diff_schema(dialect, name, from, to, &mut changes),
            None => {
                changes.push(Change::CreateSchema {
                    schema: name.clone(),
                });
                diff_schema(dialect, name, &empty, to, &mut changes);
            }
        }
    }
    for (name, from) in &live.schemas {
        if !desired.schemas.contains_key(name) {
            diff_schema(
                dialect,
                name,
                from,
                &Schema {
                    name: name.clone(),
                    ..Schema::default()
                },
                &mut changes,
            );
        }
    }
    changes
}

fn diff_schema(dialect: Dialect, schema: &str, from: &Schema, to: &Schema, out: &mut Vec<Change>) {
    let s = || schema.to_string();
    for (name, e) in &to.enums {
        match from.enums.get(name) {
            None => out.push(Change::CreateEnum {
                schema: s(),
                to: e.clone(),
            }),
            Some(old) if old == e => {}
            Some(old) if only_adds_values(old, e) => out.push(Change::AlterEnum {
                schema: s(),
                from: old.clone(),
                to: e.clone(),
            }),
            Some(old) => {
                out.push(Change::DropEnum {
                    schema: s(),
                    from: old.clone(),
                });
                out.push(Change::CreateEnum {
                    schema: s(),
                    to: e.clone(),
                });
            }
        }
    }
    for (name, e) in &from.enums {
        if !to.enums.contains_key(name) {
            out.push(Change::DropEnum {
                schema: s(),
                from: e.clone(),
            });
        }
    }
    for (name, t) in &to.tables {
        match from.tables.get(name) {
            None => out.push(Change::CreateTable {
                schema: s(),
                to: t.clone(),
            }),
            Some(old) => table::diff_table(dialect, schema, old, t, out),
        }
    }
    for (name, t) in &from.tables {
        if !to.tables.contains_key(name) {
            out.push(Change::DropTable {
                schema: s(),
                from: t.clone(),
            });
        }
    }
}

/// True when `to` keeps every value of `from` in the same relative order, adding only new
/// ones: PostgreSQL can then `ALTER TYPE … ADD VALUE` instead of recreating the type.
fn only_adds_values(from: &EnumType, to: &EnumType) -> bool {
    let mut rest = to.values.iter();
    from.values.iter().all(|v| rest.any(|w| w == v))
}

#[cfg(test)]
mod tests;
