//! Reconcile the live schema with the state before diffing:
//!
//! - **ownership**: a live object neither in state nor desired is unmanaged — counted, never
//!   touched (it is removed from what the differ sees, so no step can drop or alter it);
//! - **drift**: a managed object whose live form differs from its recorded live form changed
//!   outside of Strata; it is reported attribute by attribute, then converged by the plan;
//! - **stable no-ops**: when an object's desired form equals its recorded desired form and its
//!   live form equals its recorded live form, nothing moved since the last apply: the differ is
//!   shown the desired form as live, so catalog spellings can never cause a perpetual diff;
//! - **adoption**: a desired object that exists live but is not in state is adopted — recorded
//!   on apply, with DDL only if it differs.

use super::{ObjectRef, State, objects};
use crate::diff::{Change, diff};
use strata_schema::{Database, Dialect, Schema, fingerprint};

/// Drift is one managed object changed outside of Strata.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    pub address: String,
    /// What changed, one attribute per line (`column email: type varchar(10) -> varchar(20)`).
    pub changes: Vec<String>,
}

/// Reconciled is the live schema as the differ must see it, plus what the plan reports.
#[derive(Debug, Clone, Default)]
pub struct Reconciled {
    pub live: Database,
    /// Addresses of live objects Strata does not manage.
    pub unmanaged: Vec<String>,
    pub drift: Vec<Drift>,
    /// Addresses of desired objects that exist live but not in state.
    pub adopt: Vec<String>,
}

/// Reconcile `live` with `state` (none before the first apply) for `desired`.
pub fn reconcile(
    dialect: Dialect,
    desired: &Database,
    live: &Database,
    state: Option<&State>,
) -> Reconciled {
    let wanted = objects(desired);
    let present = objects(live);
    let recorded = state.map(|s| &s.objects);
    let in_state = |a: &str| recorded.is_some_and(|r| r.contains_key(a));
    let mut out = Reconciled {
        live: without_objects(live),
        ..Reconciled::default()
    };

    for (address, &object) in &present {
        if !wanted.contains_key(address) && !in_state(address) {
            out.unmanaged.push(address.clone());
            continue;
        } else if wanted.contains_key(address) && !in_state(address) {
            out.adopt.push(address.clone());
        }
        // The form the differ sees: the live one, or the desired one for a stable no-op.
        let mut seen = object;
        if let Some(managed) = recorded.and_then(|r| r.get(address))
            && !managed.provisional
        {
            let live_moved = fingerprint(&object) != managed.live_hash;
            if live_moved {
                out.drift.push(Drift {
                    address: address.clone(),
                    changes: describe(dialect, managed.live.as_ref(), object),
                });
            }
            if let Some(&want) = wanted.get(address)
                && !live_moved
                && fingerprint(&want) == managed.desired_hash
            {
                seen = want;
            }
        }
        insert(&mut out.live, address, seen);
    }
    if let Some(r) = recorded {
        for address in r.keys() {
            if !present.contains_key(address) {
                out.drift.push(Drift {
                    address: address.clone(),
                    changes: vec!["deleted".into()],
                });
            }
        }
    }
    out
}

/// `db` with its schemas but none of their tables and enums.
fn without_objects(db: &Database) -> Database {
    let mut out = Database::default();
    for (name, schema) in &db.schemas {
        out.schemas.insert(
            name.clone(),
            Schema {
                name: schema.name.clone(),
                ..Schema::default()
            },
        );
    }
    out
}

/// (schema, name) of an address `kind.schema.name`.
fn split(address: &str) -> Option<(&str, &str, &str)> {
    let (kind, rest) = address.split_once('.')?;
    let (schema, name) = rest.split_once('.')?;
    Some((kind, schema, name))
}

/// Add a copy of `object` to `db` at `address`.
fn insert(db: &mut Database, address: &str, object: ObjectRef<'_>) {
    let Some((_, schema, name)) = split(address) else {
        return;
    };
    let s = db.schema_mut(schema);
    match object {
        ObjectRef::Table(t) => drop(s.tables.insert(name.to_string(), t.clone())),
        ObjectRef::Enum(e) => drop(s.enums.insert(name.to_string(), e.clone())),
    }
}

/// What changed between two forms of one object, one line per change, for drift reports.
fn describe(dialect: Dialect, from: ObjectRef<'_>, to: ObjectRef<'_>) -> Vec<String> {
    let wrap = |o: ObjectRef<'_>| {
        let mut s = Schema {
            name: "s".into(),
            ..Schema::default()
        };
        match o {
            ObjectRef::Table(t) => drop(s.tables.insert(t.name.clone(), t.clone())),
            ObjectRef::Enum(e) => drop(s.enums.insert(e.name.clone(), e.clone())),
        }
        let mut db = Database::default();
        db.schemas.insert("s".into(), s);
        db
    };
    let lines: Vec<String> = diff(dialect, &wrap(to), &wrap(from))
        .iter()
        .map(|c| c.describe(dialect))
        .collect();
    if lines.is_empty() {
        vec!["respelled by the database (no effective change)".into()]
    } else {
        lines
    }
}

impl Change {
    /// One human line saying what this change does, from the object's point of view.
    pub fn describe(&self, dialect: Dialect) -> String {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        match self {
            Change::AddColumn { to, .. } => {
                format!("column {} added ({})", to.name, to.ty.sql(dialect))
            }
            Change::DropColumn { from, .. } => format!("column {} removed", from.name),
            Change::ModifyColumn {
                from, to, changes, ..
            } => {
                let mut parts = Vec::new();
                if changes.ty {
                    parts.push(format!(
                        "type {} -> {}",
                        from.ty.sql(dialect),
                        to.ty.sql(dialect)
                    ));
                }
                if changes.nullable {
                    parts.push(format!("nullable {} -> {}", from.nullable, to.nullable));
                }
                if changes.default {
                    parts.push(format!(
                        "default {} -> {}",
                        opt(&from.default),
                        opt(&to.default)
                    ));
                }
                for other in changes
                    .names()
                    .into_iter()
                    .filter(|n| !["type", "nullable", "default"].contains(n))
                {
                    parts.push(format!("{other} changed"));
                }
                format!("column {}: {}", to.name, parts.join(", "))
            }
            Change::RenameColumn { from, to, .. } => format!("column {from} renamed to {to}"),
            Change::AddPrimaryKey { to, .. } => {
                format!("primary key ({}) added", to.columns.join(", "))
            }
            Change::DropPrimaryKey { from, .. } => {
                format!("primary key ({}) removed", from.columns.join(", "))
            }
            Change::AddIndex { to, .. } => format!("index {} added", to.name),
            Change::DropIndex { from, .. } => format!("index {} removed", from.name),
            Change::AddForeignKey { to, .. } => format!("foreign key {} added", to.name),
            Change::DropForeignKey { from, .. } => format!("foreign key {} removed", from.name),
            Change::AddCheck { to, .. } => format!("check {} added", to.name),
            Change::DropCheck { from, .. } => format!("check {} removed", from.name),
            Change::SetTableComment { from, to, .. } => {
                format!("comment {} -> {}", opt(from), opt(to))
            }
            Change::AlterEnum { from, to, .. } => {
                format!("values {:?} -> {:?}", from.values, to.values)
            }
            Change::CreateEnum { to, .. } => format!("type {} created", to.name),
            Change::DropEnum { from, .. } => format!("type {} dropped", from.name),
            Change::CreateTable { to, .. } => format!("table {} created", to.name),
            Change::DropTable { from, .. } => format!("table {} dropped", from.name),
            Change::CreateSchema { schema } => format!("schema {schema} created"),
            Change::RebuildTable { to, .. } => format!("table {} rebuilt", to.name),
        }
    }
}
