//! What each change creates, needs, removes, and what the removed objects needed. The planner
//! turns these facts into "must run before" edges; see `order`.
//!
//! Addresses name objects: `schema.S`, `enum.S.E`, `table.S.T`, `column.S.T.C`, `pk.S.T`,
//! `index.S.T.N`, `fk.S.T.N`, `check.S.T.N`.

use super::Action;
use crate::diff::Change;
use strata_schema::{Check, Database, ForeignKey, Index, IndexKey, Table, Type};

/// Node is one change with its dependency facts.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub change: Change,
    /// For a replacement: the drop that runs first, in the same step.
    pub replaced: Option<Change>,
    pub address: String,
    pub action: Action,
    /// Objects that exist after this step.
    pub provides: Vec<String>,
    /// Objects that must exist before this step.
    pub needs: Vec<String>,
    /// Objects gone after this step.
    pub removes: Vec<String>,
    /// Objects the removed ones depended on: those must outlive this step.
    pub removed_needs: Vec<String>,
}

pub(crate) fn addr(kind: &str, parts: &[&str]) -> String {
    let mut s = kind.to_string();
    for p in parts {
        s.push('.');
        s.push_str(p);
    }
    s
}

/// Name used in an address for an object the database names itself.
fn index_name(i: &Index) -> String {
    if !i.name.is_empty() {
        return i.name.clone();
    }
    let cols: Vec<&str> = i
        .parts
        .iter()
        .map(|p| match &p.key {
            IndexKey::Column(c) => c.as_str(),
            IndexKey::Expr(_) => "expr",
        })
        .collect();
    format!(
        "{}{}",
        cols.join("_"),
        if i.unique { "_key" } else { "_idx" }
    )
}

pub(crate) fn fk_name(f: &ForeignKey) -> String {
    if f.name.is_empty() {
        format!("{}_fkey", f.columns.join("_"))
    } else {
        f.name.clone()
    }
}

fn check_name(c: &Check, table: &Table) -> String {
    if !c.name.is_empty() {
        return c.name.clone();
    }
    let n = table.checks.iter().position(|x| x == c).unwrap_or(0) + 1;
    format!("{}_check{n}", table.name)
}

/// Enum types a column type refers to, as addresses.
fn type_needs(schema: &str, ty: &Type) -> Option<String> {
    match ty {
        Type::UserDefined { name } => Some(match name.split_once('.') {
            Some((s, n)) => addr("enum", &[s, n]),
            None => addr("enum", &[schema, name]),
        }),
        Type::Array { element } => type_needs(schema, element),
        _ => None,
    }
}

/// What a foreign key depends on: the referenced table, its columns and the key or unique
/// index that covers them (as found in `db`, the world the key lives in).
fn fk_needs(schema: &str, table: &str, fk: &ForeignKey, db: &Database) -> Vec<String> {
    let rs = fk.ref_schema.as_deref().unwrap_or(schema);
    let mut out = vec![addr("table", &[rs, &fk.ref_table])];
    if rs == schema && fk.ref_table == table {
        out.clear();
    }
    for c in &fk.ref_columns {
        out.push(addr("column", &[rs, &fk.ref_table, c]));
    }
    if let Some(t) = db.schemas.get(rs).and_then(|s| s.tables.get(&fk.ref_table)) {
        if t.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns == fk.ref_columns)
        {
            out.push(addr("pk", &[rs, &fk.ref_table]));
        }
        for i in &t.indexes {
            if i.unique && Table::index_columns(i).is_some_and(|c| c == fk.ref_columns) {
                out.push(addr("index", &[rs, &fk.ref_table, &index_name(i)]));
            }
        }
    }
    for c in &fk.columns {
        out.push(addr("column", &[schema, table, c]));
    }
    out
}

/// Every object a table holds, as addresses (the table itself first).
fn table_objects(schema: &str, t: &Table) -> Vec<String> {
    let n = t.name.as_str();
    let mut out = vec![addr("table", &[schema, n])];
    out.extend(
        t.columns
            .iter()
            .map(|c| addr("column", &[schema, n, &c.name])),
    );
    if t.primary_key.is_some() {
        out.push(addr("pk", &[schema, n]));
    }
    out.extend(
        t.indexes
            .iter()
            .map(|i| addr("index", &[schema, n, &index_name(i)])),
    );
    out.extend(
        t.foreign_keys
            .iter()
            .map(|f| addr("fk", &[schema, n, &fk_name(f)])),
    );
    out.extend(
        t.checks
            .iter()
            .map(|c| addr("check", &[schema, n, &check_name(c, t)])),
    );
    out
}

/// What a whole table depends on: enum types and what its foreign keys reference.
fn table_needs(schema: &str, t: &Table, db: &Database) -> Vec<String> {
    let mut out: Vec<String> = t
        .columns
        .iter()
        .filter_map(|c| type_needs(schema, &c.ty))
        .collect();
    for fk in &t.foreign_keys {
        out.extend(fk_needs(schema, &t.name, fk, db));
    }
    let own = addr("table", &[schema, &t.name]);
    out.retain(|a| *a != own && !a.starts_with(&format!("column.{schema}.{}.", t.name)));
    out
}

/// Columns an expression mentions (by whole-word match on its text): enough to order a
/// check's drop before the drop of a column it uses.
fn expr_columns(schema: &str, t: &Table, expr: &str) -> Vec<String> {
    let words: Vec<&str> = expr
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    t.columns
        .iter()
        .filter(|c| words.iter().any(|w| w.eq_ignore_ascii_case(&c.name)))
        .map(|c| addr("column", &[schema, &t.name, &c.name]))
        .collect()
}

fn index_columns(schema: &str, table: &str, i: &Index) -> Vec<String> {
    i.parts
        .iter()
        .filter_map(|p| match &p.key {
            IndexKey::Column(c) => Some(addr("column", &[schema, table, c])),
            IndexKey::Expr(_) => None,
        })
        .collect()
}

fn table_of<'a>(db: &'a Database, schema: &str, table: &str) -> Option<&'a Table> {
    db.schemas.get(schema).and_then(|s| s.tables.get(table))
}

/// The dependency facts of `change`. `desired` and `live` are the two worlds: what is
/// created is looked up in `desired`, what is removed in `live`.
pub(crate) fn node(change: Change, desired: &Database, live: &Database) -> Node {
    use Change::*;
    let mut n = Node {
        address: String::new(),
        action: Action::Update,
        provides: vec![],
        needs: vec![],
        removes: vec![],
        removed_needs: vec![],
        replaced: None,
        change: change.clone(),
    };
    let empty = Table::default();
    match &change {
        CreateSchema { schema } => {
            n.address = addr("schema", &[schema]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
        }
        CreateEnum { schema, to } | AlterEnum { schema, to, .. } => {
            n.address = addr("enum", &[schema, &to.name]);
            n.action = if matches!(change, CreateEnum { .. }) {
                Action::Create
            } else {
                Action::Update
            };
            n.provides.push(n.address.clone());
            n.needs.push(addr("schema", &[schema]));
        }
        DropEnum { schema, from } => {
            n.address = addr("enum", &[schema, &from.name]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
        }
        CreateTable { schema, to } => {
            n.address = addr("table", &[schema, &to.name]);
            n.action = Action::Create;
            n.provides = table_objects(schema, to);
            n.needs = table_needs(schema, to, desired);
            n.needs.push(addr("schema", &[schema]));
        }
        DropTable { schema, from } => {
            n.address = addr("table", &[schema, &from.name]);
            n.action = Action::Delete;
            n.removes = table_objects(schema, from);
            n.removed_needs = table_needs(schema, from, live);
        }
        RebuildTable { schema, from, to } => {
            n.address = addr("table", &[schema, &to.name]);
            n.action = Action::Update;
            n.provides = table_objects(schema, to);
            n.needs = table_needs(schema, to, desired);
            let kept = &n.provides;
            n.removes = table_objects(schema, from)
                .into_iter()
                .filter(|a| !kept.contains(a))
                .collect();
            // The old table's keys go away with the rebuild: it must run before the drop of
            // anything they referenced.
            n.removed_needs = table_needs(schema, from, live);
        }
        AddColumn { schema, table, to } => {
            n.address = addr("column", &[schema, table, &to.name]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
            n.needs.extend(type_needs(schema, &to.ty));
        }
        DropColumn {
            schema,
            table,
            from,
        } => {
            n.address = addr("column", &[schema, table, &from.name]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
            n.removed_needs.extend(type_needs(schema, &from.ty));
        }
        ModifyColumn {
            schema,
            table,
            from,
            to,
            ..
        } => {
            n.address = addr("column", &[schema, table, &to.name]);
            n.needs.extend(type_needs(schema, &to.ty));
            n.removed_needs.extend(type_needs(schema, &from.ty));
        }
        RenameColumn {
            schema,
            table,
            from,
            to,
        } => {
            n.address = addr("column", &[schema, table, to]);
            n.provides.push(n.address.clone());
            n.removes.push(addr("column", &[schema, table, from]));
        }
        AddPrimaryKey { schema, table, to } => {
            n.address = addr("pk", &[schema, table]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
            n.needs = to
                .columns
                .iter()
                .map(|c| addr("column", &[schema, table, c]))
                .collect();
        }
        DropPrimaryKey {
            schema,
            table,
            from,
        } => {
            n.address = addr("pk", &[schema, table]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
            n.removed_needs = from
                .columns
                .iter()
                .map(|c| addr("column", &[schema, table, c]))
                .collect();
        }
        AddIndex { schema, table, to } => {
            n.address = addr("index", &[schema, table, &index_name(to)]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
            n.needs = index_columns(schema, table, to);
            let t = table_of(desired, schema, table).unwrap_or(&empty);
            for p in &to.parts {
                if let IndexKey::Expr(e) = &p.key {
                    n.needs.extend(expr_columns(schema, t, e));
                }
            }
        }
        DropIndex {
            schema,
            table,
            from,
        } => {
            n.address = addr("index", &[schema, table, &index_name(from)]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
            n.removed_needs = index_columns(schema, table, from);
            let t = table_of(live, schema, table).unwrap_or(&empty);
            for p in &from.parts {
                if let IndexKey::Expr(e) = &p.key {
                    n.removed_needs.extend(expr_columns(schema, t, e));
                }
            }
        }
        AddForeignKey { schema, table, to } => {
            n.address = addr("fk", &[schema, table, &fk_name(to)]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
            n.needs = fk_needs(schema, table, to, desired);
        }
        DropForeignKey {
            schema,
            table,
            from,
        } => {
            n.address = addr("fk", &[schema, table, &fk_name(from)]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
            n.removed_needs = fk_needs(schema, table, from, live);
        }
        AddCheck { schema, table, to } => {
            let t = table_of(desired, schema, table).unwrap_or(&empty);
            n.address = addr("check", &[schema, table, &check_name(to, t)]);
            n.action = Action::Create;
            n.provides.push(n.address.clone());
            n.needs = expr_columns(schema, t, &to.expr);
        }
        DropCheck {
            schema,
            table,
            from,
        } => {
            let t = table_of(live, schema, table).unwrap_or(&empty);
            n.address = addr("check", &[schema, table, &check_name(from, t)]);
            n.action = Action::Delete;
            n.removes.push(n.address.clone());
            n.removed_needs = expr_columns(schema, t, &from.expr);
        }
        SetTableComment { schema, table, .. } => {
            n.address = addr("table", &[schema, table]);
        }
    }
    n
}
