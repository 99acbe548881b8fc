//! Changes → PostgreSQL statements. Every identifier is quoted and every table qualified with
//! its schema, so the SQL means the same whatever the session's search path.

use super::naming;
use crate::diff::{Change, ColumnChanges};
use crate::plan::Statement;
use strata_schema::Dialect::Postgres;
use strata_schema::{
    Check, Column, Deferrable, EnumType, ForeignKey, Identity, Index, IndexKey, PrimaryKey,
    ReferentialAction, Table, Type,
};

/// The statements that make `change`.
pub fn render(change: &Change) -> Vec<Statement> {
    let sql = match change {
        Change::CreateSchema { schema } => vec![format!("CREATE SCHEMA {}", q(schema))],
        Change::CreateEnum { schema, to } => vec![create_enum(schema, to)],
        Change::DropEnum { schema, from } => {
            vec![format!("DROP TYPE {}", qualified(schema, &from.name))]
        }
        Change::AlterEnum { schema, from, to } => add_enum_values(schema, from, to),
        Change::CreateTable { schema, to } => create_table(schema, to),
        Change::DropTable { schema, from } => {
            vec![format!("DROP TABLE {}", qualified(schema, &from.name))]
        }
        Change::AddColumn { schema, table, to } => add_column(schema, table, to),
        Change::DropColumn {
            schema,
            table,
            from,
        } => {
            vec![alter(
                schema,
                table,
                &format!("DROP COLUMN {}", q(&from.name)),
            )]
        }
        Change::ModifyColumn {
            schema,
            table,
            from,
            to,
            changes,
        } => modify_column(schema, table, from, to, changes),
        Change::RenameColumn {
            schema,
            table,
            from,
            to,
        } => {
            vec![alter(
                schema,
                table,
                &format!("RENAME COLUMN {} TO {}", q(from), q(to)),
            )]
        }
        Change::AddPrimaryKey { schema, table, to } => {
            vec![alter(schema, table, &format!("ADD {}", primary_key(to)))]
        }
        Change::DropPrimaryKey {
            schema,
            table,
            from,
        } => {
            let name = from
                .name
                .clone()
                .unwrap_or_else(|| naming::object_name(table, None, "pkey"));
            vec![drop_constraint(schema, table, &name)]
        }
        Change::AddIndex { schema, table, to } => add_index(schema, table, to),
        Change::DropIndex {
            schema,
            table,
            from,
        } if is_constraint(from) => {
            vec![drop_constraint(schema, table, &from.name)]
        }
        Change::DropIndex { schema, from, .. } => {
            vec![format!("DROP INDEX {}", qualified(schema, &from.name))]
        }
        Change::AddForeignKey { schema, table, to } => {
            vec![alter(
                schema,
                table,
                &format!("ADD {}", foreign_key(schema, to)),
            )]
        }
        Change::DropForeignKey {
            schema,
            table,
            from,
        } => vec![drop_constraint(schema, table, &from.name)],
        Change::AddCheck { schema, table, to } => {
            vec![alter(schema, table, &format!("ADD {}", check(to)))]
        }
        Change::DropCheck {
            schema,
            table,
            from,
        } => vec![drop_constraint(schema, table, &from.name)],
        Change::SetTableComment {
            schema, table, to, ..
        } => {
            vec![comment("TABLE", &qualified(schema, table), to.as_deref())]
        }
        Change::RebuildTable { schema, from, to } => rebuild_table(schema, from, to),
    };
    sql.into_iter().map(Statement::new).collect()
}

fn q(ident: &str) -> String {
    Postgres.quote(ident)
}

/// `"schema"."name"`.
fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", q(schema), q(name))
}

fn alter(schema: &str, table: &str, action: &str) -> String {
    format!("ALTER TABLE {} {action}", qualified(schema, table))
}

fn drop_constraint(schema: &str, table: &str, name: &str) -> String {
    alter(schema, table, &format!("DROP CONSTRAINT {}", q(name)))
}

fn comment(kind: &str, target: &str, text: Option<&str>) -> String {
    let value = text.map_or_else(|| "NULL".to_string(), |t| Postgres.quote_str(t));
    format!("COMMENT ON {kind} {target} IS {value}")
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

fn create_enum(schema: &str, e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| Postgres.quote_str(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(schema, &e.name),
        values.join(", ")
    )
}

/// One `ADD VALUE` per new value, placed after its predecessor in `to` (or before the first
/// existing value when it comes first), so the final order is `to`'s.
fn add_enum_values(schema: &str, from: &EnumType, to: &EnumType) -> Vec<String> {
    let name = qualified(schema, &from.name);
    let mut present: Vec<&String> = from.values.iter().collect();
    let mut out = Vec::new();
    for (i, value) in to.values.iter().enumerate() {
        if present.contains(&value) {
            continue;
        }
        let position = match to.values[..i].iter().rev().find(|v| present.contains(v)) {
            Some(prev) => format!(" AFTER {}", Postgres.quote_str(prev)),
            None => match to.values[i..].iter().find(|v| present.contains(v)) {
                Some(next) => format!(" BEFORE {}", Postgres.quote_str(next)),
                None => String::new(),
            },
        };
        out.push(format!(
            "ALTER TYPE {name} ADD VALUE {}{position}",
            Postgres.quote_str(value)
        ));
        present.push(value);
    }
    out
}

/// The column's type in DDL: user-defined types qualified with the table's schema when the
/// model names them bare.
fn column_type(schema: &str, ty: &Type) -> String {
    match ty {
        Type::UserDefined { name } if !name.contains('.') => qualified(schema, name),
        Type::Array { element } => format!("{}[]", column_type(schema, element)),
        other => other.sql(Postgres),
    }
}

/// `serial`, `bigserial` or `smallserial` for an integer of that width.
fn serial_type(ty: &Type) -> &'static str {
    match ty {
        Type::Integer { bytes: 1 | 2, .. } => "smallserial",
        Type::Integer { bytes: 8, .. } => "bigserial",
        _ => "serial",
    }
}

fn identity_clause(always: bool) -> &'static str {
    if always {
        "GENERATED ALWAYS AS IDENTITY"
    } else {
        "GENERATED BY DEFAULT AS IDENTITY"
    }
}

/// A column definition for CREATE TABLE and ADD COLUMN.
fn column_def(schema: &str, c: &Column) -> String {
    let ty = match c.identity {
        Some(Identity::Serial) => serial_type(&c.ty).to_string(),
        _ => column_type(schema, &c.ty),
    };
    let mut def = format!("{} {ty}", q(&c.name));
    if let Some(coll) = &c.collation {
        def.push_str(&format!(" COLLATE {}", q(coll)));
    }
    if let Some(g) = &c.generated {
        let kind = if g.stored { "STORED" } else { "VIRTUAL" };
        def.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", g.expr));
    }
    if let Some(Identity::Generated { always }) = c.identity {
        def.push(' ');
        def.push_str(identity_clause(always));
    }
    if let Some(d) = &c.default {
        def.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        def.push_str(" NOT NULL");
    }
    def
}

fn primary_key(pk: &PrimaryKey) -> String {
    let name = pk
        .name
        .as_ref()
        .map(|n| format!("CONSTRAINT {} ", q(n)))
        .unwrap_or_default();
    format!("{name}PRIMARY KEY ({})", quoted_list(&pk.columns))
}

/// `CONSTRAINT "n" ` or nothing when the database is to choose the name.
fn constraint_name(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("CONSTRAINT {} ", q(name))
    }
}

fn foreign_key(schema: &str, fk: &ForeignKey) -> String {
    let target = qualified(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table);
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {target} ({})",
        constraint_name(&fk.name),
        quoted_list(&fk.columns),
        quoted_list(&fk.ref_columns)
    );
    if fk.on_delete != ReferentialAction::NoAction {
        sql.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != ReferentialAction::NoAction {
        sql.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => sql.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
        Deferrable::InitiallyDeferred => sql.push_str(" DEFERRABLE INITIALLY DEFERRED"),
    }
    sql
}

fn check(c: &Check) -> String {
    format!("{}CHECK ({})", constraint_name(&c.name), c.expr)
}

/// True for a UNIQUE constraint PostgreSQL can express as one: plain ascending columns, no
/// predicate. Anything else in the model is created as a unique index.
fn is_constraint(index: &Index) -> bool {
    index.constraint
        && index.predicate.is_none()
        && index.method.is_none()
        && index.parts.iter().all(|p| {
            matches!(p.key, IndexKey::Column(_))
                && !p.desc
                && p.opclass.is_none()
                && p.collation.is_none()
        })
}

fn unique_constraint(index: &Index) -> String {
    let cols: Vec<String> = Table::index_columns(index)
        .unwrap_or_default()
        .into_iter()
        .map(String::from)
        .collect();
    format!(
        "{}UNIQUE ({})",
        constraint_name(&index.name),
        quoted_list(&cols)
    )
}

fn create_index(schema: &str, table: &str, index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = match &p.key {
                IndexKey::Column(c) => q(c),
                IndexKey::Expr(e) => format!("({e})"),
            };
            if let Some(c) = &p.collation {
                s.push_str(&format!(" COLLATE {}", q(c)));
            }
            if let Some(o) = &p.opclass {
                s.push_str(&format!(" {o}"));
            }
            if p.desc {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let unique = if index.unique { "UNIQUE " } else { "" };
    let method = index
        .method
        .as_ref()
        .map(|m| format!(" USING {m}"))
        .unwrap_or_default();
    let predicate = index
        .predicate
        .as_ref()
        .map(|p| format!(" WHERE {p}"))
        .unwrap_or_default();
    format!(
        "CREATE {unique}INDEX {} ON {}{method} ({}){predicate}",
        q(&index.name),
        qualified(schema, table),
        parts.join(", ")
    )
}

fn add_index(schema: &str, table: &str, index: &Index) -> Vec<String> {
    let mut out = vec![if is_constraint(index) {
        alter(schema, table, &format!("ADD {}", unique_constraint(index)))
    } else {
        create_index(schema, table, index)
    }];
    if let Some(text) = &index.comment {
        out.push(comment(
            "INDEX",
            &qualified(schema, &index.name),
            Some(text),
        ));
    }
    out
}

fn column_comment(schema: &str, table: &str, c: &Column) -> Option<String> {
    let target = format!("{}.{}", qualified(schema, table), q(&c.name));
    c.comment
        .as_deref()
        .map(|text| comment("COLUMN", &target, Some(text)))
}

/// CREATE TABLE with its columns, primary key, UNIQUE constraints, checks and foreign keys,
/// then its other indexes and its comments.
fn create_table(schema: &str, t: &Table) -> Vec<String> {
    let mut items: Vec<String> = t.columns.iter().map(|c| column_def(schema, c)).collect();
    items.extend(t.primary_key.iter().map(primary_key));
    items.extend(
        t.indexes
            .iter()
            .filter(|i| is_constraint(i))
            .map(unique_constraint),
    );
    items.extend(t.checks.iter().map(check));
    items.extend(t.foreign_keys.iter().map(|f| foreign_key(schema, f)));
    let mut out = vec![format!(
        "CREATE TABLE {} (\n  {}\n)",
        qualified(schema, &t.name),
        items.join(",\n  ")
    )];
    for index in &t.indexes {
        if !is_constraint(index) {
            out.push(create_index(schema, &t.name, index));
        }
        if let Some(text) = &index.comment {
            out.push(comment(
                "INDEX",
                &qualified(schema, &index.name),
                Some(text),
            ));
        }
    }
    if let Some(text) = &t.comment {
        out.push(comment("TABLE", &qualified(schema, &t.name), Some(text)));
    }
    out.extend(
        t.columns
            .iter()
            .filter_map(|c| column_comment(schema, &t.name, c)),
    );
    out
}

fn add_column(schema: &str, table: &str, c: &Column) -> Vec<String> {
    let mut out = vec![alter(
        schema,
        table,
        &format!("ADD COLUMN {}", column_def(schema, c)),
    )];
    out.extend(column_comment(schema, table, c));
    out
}

/// `SELECT setval(…)` moving the column's sequence past the rows already in the table, so a
/// column that starts numbering itself does not collide with existing values.
fn sync_sequence(schema: &str, table: &str, column: &str) -> String {
    let t = qualified(schema, table);
    format!(
        "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(max({}), 0) + 1, false) FROM {t}",
        Postgres.quote_str(&t),
        Postgres.quote_str(column),
        q(column)
    )
}

/// ALTER COLUMN actions for the changed attributes. Order matters: the old default goes
/// before a type change (it may not convert), identity is dropped before a new default is
/// set, and the new default comes after the new type.
fn modify_column(
    schema: &str,
    table: &str,
    from: &Column,
    to: &Column,
    ch: &ColumnChanges,
) -> Vec<String> {
    let col = q(&to.name);
    let at = |action: String| alter(schema, table, &format!("ALTER COLUMN {col} {action}"));
    if ch.generated && to.generated.is_some() {
        // PostgreSQL cannot change a generation expression in place; the column holds only
        // derived values, so it is recreated.
        return [
            vec![alter(schema, table, &format!("DROP COLUMN {col}"))],
            add_column(schema, table, to),
        ]
        .concat();
    }
    let mut out = Vec::new();
    if ch.generated {
        out.push(at("DROP EXPRESSION".into()));
    }
    let identity = ch.identity.then_some((&from.identity, &to.identity));
    let replace_default = ch.default || ch.ty || identity.is_some();
    let from_serial = matches!(identity, Some((Some(Identity::Serial), _)));
    if replace_default && from.default.is_some() || from_serial {
        out.push(at("DROP DEFAULT".into()));
    }
    if from_serial {
        out.push(drop_owned_sequence(schema, table, &to.name));
    }
    match identity {
        Some((Some(Identity::Generated { .. }), Some(Identity::Generated { always }))) => {
            out.push(at(format!(
                "SET GENERATED {}",
                if *always { "ALWAYS" } else { "BY DEFAULT" }
            )));
        }
        Some((Some(Identity::Generated { .. }), _)) => out.push(at("DROP IDENTITY".into())),
        _ => {}
    }
    if ch.ty || ch.collation {
        let ty = column_type(schema, &to.ty);
        let collate = match (&to.collation, ch.collation) {
            (Some(c), _) => format!(" COLLATE {}", q(c)),
            (None, true) => " COLLATE \"default\"".to_string(),
            (None, false) => String::new(),
        };
        let using = if ch.ty {
            format!(" USING {col}::{ty}")
        } else {
            String::new()
        };
        out.push(at(format!("TYPE {ty}{collate}{using}")));
    }
    if ch.nullable {
        out.push(at(if to.nullable {
            "DROP NOT NULL"
        } else {
            "SET NOT NULL"
        }
        .into()));
    }
    match identity {
        Some((Some(Identity::Generated { .. }), Some(Identity::Generated { .. }))) => {}
        Some((_, Some(Identity::Generated { always }))) => {
            out.push(at(format!("ADD {}", identity_clause(*always))));
            out.push(sync_sequence(schema, table, &to.name));
        }
        Some((_, Some(Identity::Serial))) => out.extend(add_serial(schema, table, to)),
        _ => {}
    }
    if replace_default && let Some(d) = &to.default {
        out.push(at(format!("SET DEFAULT {d}")));
    }
    if ch.comment {
        let target = format!("{}.{}", qualified(schema, table), col);
        out.push(comment("COLUMN", &target, to.comment.as_deref()));
    }
    out
}

/// Drop the sequence a serial column owns. Its name is looked up at run time (a renamed table
/// keeps its old sequence name), and it must go before an identity is added, or
/// `pg_get_serial_sequence` would keep finding it instead of the identity's own sequence.
fn drop_owned_sequence(schema: &str, table: &str, column: &str) -> String {
    format!(
        "DO $$ BEGIN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence({}, {}); END $$",
        Postgres.quote_str(&qualified(schema, table)),
        Postgres.quote_str(column)
    )
}

/// Turn an existing integer column into a serial one: an owned sequence as `serial` makes it,
/// the `nextval` default, and the sequence moved past existing rows.
fn add_serial(schema: &str, table: &str, c: &Column) -> Vec<String> {
    let seq = naming::object_name(table, Some(&c.name), "seq");
    let seq_q = qualified(schema, &seq);
    let as_type = match c.ty {
        Type::Integer { bytes: 1 | 2, .. } => "smallint",
        Type::Integer { bytes: 8, .. } => "bigint",
        _ => "integer",
    };
    vec![
        format!(
            "CREATE SEQUENCE {seq_q} AS {as_type} OWNED BY {}.{}",
            qualified(schema, table),
            q(&c.name)
        ),
        alter(
            schema,
            table,
            &format!(
                "ALTER COLUMN {} SET DEFAULT nextval({}::regclass)",
                q(&c.name),
                Postgres.quote_str(&seq_q)
            ),
        ),
        sync_sequence(schema, table, &c.name),
    ]
}

/// Recreate a table in its new shape keeping the rows of the columns both shapes have.
/// PostgreSQL alters tables in place, so the planner does not ask for this; it is rendered for
/// completeness: new table under a temporary name, copy, drop, rename, then keys and indexes.
fn rebuild_table(schema: &str, from: &Table, to: &Table) -> Vec<String> {
    let temp = format!("{}__strata_new", to.name);
    let bare = Table {
        name: temp.clone(),
        columns: to.columns.clone(),
        ..Table::default()
    };
    let common: Vec<String> = to
        .columns
        .iter()
        .filter(|c| from.column(&c.name).is_some() && c.generated.is_none())
        .map(|c| c.name.clone())
        .collect();
    let mut out = create_table(schema, &bare);
    out.push(format!(
        "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
        qualified(schema, &temp),
        qualified(schema, &from.name),
        cols = quoted_list(&common)
    ));
    out.push(format!("DROP TABLE {}", qualified(schema, &from.name)));
    out.push(alter(schema, &temp, &format!("RENAME TO {}", q(&to.name))));
    out.extend(
        to.primary_key
            .iter()
            .map(|pk| alter(schema, &to.name, &format!("ADD {}", primary_key(pk)))),
    );
    for index in &to.indexes {
        out.extend(add_index(schema, &to.name, index));
    }
    out.extend(
        to.checks
            .iter()
            .map(|c| alter(schema, &to.name, &format!("ADD {}", check(c)))),
    );
    out.extend(
        to.foreign_keys
            .iter()
            .map(|f| alter(schema, &to.name, &format!("ADD {}", foreign_key(schema, f)))),
    );
    if let Some(text) = &to.comment {
        out.push(comment("TABLE", &qualified(schema, &to.name), Some(text)));
    }
    out
}
