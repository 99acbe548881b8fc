//! Renames: a column whose name changed is renamed, never dropped and re-added (which would
//! lose its data). Two sources of truth say that a live column and a desired column are one:
//!
//! - an explicit hint in the env (`rename { column = "users.email"  from = "mail" }`), for
//!   every dialect;
//! - catalog identities (PostgreSQL attnums) recorded in the state at apply time: a live column
//!   whose attnum was recorded under the desired name was renamed by hand (renamed back if the
//!   models still want the recorded name); a live column whose name is unchanged since the
//!   record, whose recorded definition is exactly the new desired column's and which sits at
//!   the same position, was renamed in the models.
//!
//! Anything less certain stays a drop plus an add: a guessed rename is worse than none.

use super::{CatalogIdentity, Object, State};
use crate::diff::Change;
use std::collections::BTreeMap;
use strata_schema::{Column, Database, Table};

/// RenameHint is `rename { column = "[schema.]table.new"  from = "old" }` in an env block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameHint {
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
    pub from: String,
}

/// Find the renames that turn `live` into `desired`, apply them to `live` (so the differ sees
/// one column under its new name) and return them as changes, with a reason each.
pub fn apply_renames(
    desired: &Database,
    live: &mut Database,
    state: Option<&State>,
    hints: &[RenameHint],
    identities: &BTreeMap<String, CatalogIdentity>,
    default_schema: &str,
) -> Vec<(Change, String)> {
    let mut found = Vec::new();
    for (schema, s) in &desired.schemas {
        for (name, want) in &s.tables {
            let address = format!("table.{schema}.{name}");
            let Some(have) = live.schemas.get(schema).and_then(|l| l.tables.get(name)) else {
                continue;
            };
            let recorded = state.and_then(|st| st.objects.get(&address));
            let recorded_identity = recorded.and_then(|m| m.identity.as_ref());
            let recorded_desired = recorded.and_then(|m| match &m.desired {
                Object::Table(t) => Some(t),
                Object::Enum(_) => None,
            });
            for (from, to, why) in pairs(
                want,
                have,
                hints_for(hints, schema, name, default_schema),
                recorded_identity.zip(identities.get(&address)),
                recorded_desired,
            ) {
                found.push((
                    Change::RenameColumn {
                        schema: schema.clone(),
                        table: name.clone(),
                        from,
                        to,
                    },
                    why,
                ));
            }
        }
    }
    for (change, _) in &found {
        if let Change::RenameColumn {
            schema,
            table,
            from,
            to,
        } = change
        {
            rename_in(live, schema, table, from, to);
        }
    }
    found
}

fn hints_for<'a>(
    hints: &'a [RenameHint],
    schema: &'a str,
    table: &'a str,
    default_schema: &'a str,
) -> impl Iterator<Item = &'a RenameHint> {
    hints.iter().filter(move |h| {
        h.table == table && h.schema.as_deref().unwrap_or(default_schema) == schema
    })
}

/// (from, to, why) pairs for one table: live columns the models no longer name, matched with
/// desired columns the database does not have yet.
fn pairs<'a>(
    want: &Table,
    have: &Table,
    hints: impl Iterator<Item = &'a RenameHint>,
    identity: Option<(&CatalogIdentity, &CatalogIdentity)>,
    recorded_desired: Option<&Table>,
) -> Vec<(String, String, String)> {
    let gone: Vec<&Column> = have
        .columns
        .iter()
        .filter(|c| want.column(&c.name).is_none())
        .collect();
    let new: Vec<&Column> = want
        .columns
        .iter()
        .filter(|c| have.column(&c.name).is_none())
        .collect();
    let mut out: Vec<(String, String, String)> = Vec::new();
    let free = |out: &Vec<(String, String, String)>, from: &str, to: &str| {
        !out.iter().any(|(f, t, _)| f == from || t == to)
    };
    for h in hints {
        if gone.iter().any(|c| c.name == h.from)
            && new.iter().any(|c| c.name == h.column)
            && free(&out, &h.from, &h.column)
        {
            out.push((
                h.from.clone(),
                h.column.clone(),
                "rename hint in the configuration".into(),
            ));
        }
    }
    let Some((recorded, now)) = identity else {
        return out;
    };
    let recorded_name = |attnum: i16| {
        recorded
            .columns
            .iter()
            .find(|(_, n)| **n == attnum)
            .map(|(c, _)| c.as_str())
    };
    for live_col in &gone {
        let Some(&attnum) = now.columns.get(&live_col.name) else {
            continue;
        };
        if recorded.oid != now.oid {
            continue;
        }
        // Renamed by hand: this attnum was recorded under a name the models still want.
        if let Some(name) = recorded_name(attnum)
            && name != live_col.name
            && new.iter().any(|c| c.name == name)
            && free(&out, &live_col.name, name)
        {
            out.push((
                live_col.name.clone(),
                name.to_string(),
                format!(
                    "column {name} was renamed to {} outside of Strata (same attnum {attnum})",
                    live_col.name
                ),
            ));
            continue;
        }
        // Renamed in the models: same attnum and name as recorded, and the new column is the
        // recorded one, name apart, at the same position.
        let Some(before) = recorded_desired else {
            continue;
        };
        if recorded_name(attnum) != Some(live_col.name.as_str()) {
            continue;
        }
        let Some(position) = before.columns.iter().position(|c| c.name == live_col.name) else {
            continue;
        };
        let Some(candidate) = want.columns.get(position) else {
            continue;
        };
        let same_definition = Column {
            name: candidate.name.clone(),
            ..before.columns[position].clone()
        } == *candidate;
        if same_definition
            && new.iter().any(|c| c.name == candidate.name)
            && free(&out, &live_col.name, &candidate.name)
        {
            out.push((
                live_col.name.clone(),
                candidate.name.clone(),
                format!(
                    "the models renamed {} to {} (same definition and position; the database column is attnum {attnum})",
                    live_col.name, candidate.name
                ),
            ));
        }
    }
    out
}

/// Rename a column in a schema model: the column, and every key, index and foreign key that
/// names it (also foreign keys in other tables that reference it).
fn rename_in(db: &mut Database, schema: &str, table: &str, from: &str, to: &str) {
    let rename = |c: &mut String| {
        if c == from {
            *c = to.to_string();
        }
    };
    for (s_name, s) in db.schemas.iter_mut() {
        for t in s.tables.values_mut() {
            let this = s_name == schema && t.name == table;
            if this {
                t.columns.iter_mut().for_each(|c| rename(&mut c.name));
                if let Some(pk) = &mut t.primary_key {
                    pk.columns.iter_mut().for_each(rename);
                }
                for i in &mut t.indexes {
                    for p in &mut i.parts {
                        if let strata_schema::IndexKey::Column(c) = &mut p.key {
                            rename(c);
                        }
                    }
                }
            }
            for fk in &mut t.foreign_keys {
                if this {
                    fk.columns.iter_mut().for_each(rename);
                }
                if fk.ref_table == table && fk.ref_schema.as_deref().unwrap_or(s_name) == schema {
                    fk.ref_columns.iter_mut().for_each(rename);
                }
            }
        }
    }
}
