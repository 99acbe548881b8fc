//! Normalisation into the form MariaDB/MySQL reports, applied to the desired and the live
//! schema alike (every rewrite is idempotent), so that a schema and the database created from
//! it are equal values.

use super::inspect::DEFAULT_ENGINE;
use super::{names, spelling};
use crate::dialect::Side;
use strata_schema::{Database, Deferrable, IndexKey, LobSize, ReferentialAction, Table, Type};

/// The collation MariaDB gives a `json` column (an alias of `longtext` with a `json_valid` check).
const JSON_COLLATION: &str = "utf8mb4_bin";

/// Rewrite `db` into canonical form. Both sides get the same treatment: a live schema already
/// has every name and implicit index, so filling them in changes nothing there.
pub fn normalize(db: &mut Database, _side: Side) {
    for schema in db.schemas.values_mut() {
        let schema_name = schema.name.clone();
        for table in schema.tables.values_mut() {
            normalize_table(&schema_name, table);
        }
    }
}

fn normalize_table(schema: &str, table: &mut Table) {
    fold_json_columns(table);
    normalize_options(table);
    if let Some(pk) = &mut table.primary_key {
        pk.name = Some("PRIMARY".into());
        for name in &pk.columns {
            if let Some(column) = table.columns.iter_mut().find(|c| &c.name == name) {
                column.nullable = false;
            }
        }
    }
    let table_collation = table.options.get("collation").cloned();
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let columns: Vec<&str> = names.iter().map(String::as_str).collect();
    for column in &mut table.columns {
        column.ty = mysql_type(&column.ty);
        if column.identity.is_some() {
            column.identity = Some(strata_schema::Identity::AutoIncrement);
        }
        if let Some(generated) = &mut column.generated {
            generated.expr = spelling::expression(&generated.expr, &columns);
            column.default = None;
        }
        column.default = column
            .default
            .as_deref()
            .and_then(|d| spelling::default(d, &column.ty));
        column.on_update = column
            .on_update
            .as_deref()
            .map(|u| spelling::on_update(u, &column.ty));
        if column.collation == table_collation || matches!(column.ty, Type::Json { .. }) {
            column.collation = None;
        }
        column.comment = column.comment.take().filter(|c| !c.is_empty());
    }
    for index in &mut table.indexes {
        index.constraint = false;
        index.method = index_method(index.method.as_deref(), table.options.get("engine"));
        index.comment = index.comment.take().filter(|c| !c.is_empty());
        index.predicate = index
            .predicate
            .as_deref()
            .map(|p| spelling::expression(p, &columns));
        // MariaDB reports a key length (32) on every SPATIAL key part; it cannot be chosen.
        let spatial = index.method.as_deref() == Some("SPATIAL");
        for part in &mut index.parts {
            part.opclass = None;
            part.collation = None;
            if spatial {
                part.length = None;
            }
            if let IndexKey::Expr(e) = &mut part.key {
                *e = spelling::expression(e, &columns);
            }
        }
    }
    for fk in &mut table.foreign_keys {
        if fk.ref_schema.as_deref() == Some(schema) {
            fk.ref_schema = None;
        }
        fk.on_delete = action(fk.on_delete);
        fk.on_update = action(fk.on_update);
        fk.deferrable = Deferrable::NotDeferrable;
    }
    for check in &mut table.checks {
        check.expr = spelling::expression(&check.expr, &columns);
    }
    names::fill(table);
    table.comment = table.comment.take().filter(|c| !c.is_empty());
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    table.checks.sort_by(|a, b| a.name.cmp(&b.name));
}

/// MariaDB's JSON is `longtext COLLATE utf8mb4_bin` plus `CHECK (json_valid(col))` named after
/// the column. Read such a column back as JSON and drop the check, on both sides.
fn fold_json_columns(table: &mut Table) {
    let Table {
        columns, checks, ..
    } = table;
    for column in columns.iter_mut() {
        let validated = checks
            .iter()
            .any(|c| c.name == column.name && is_json_valid(&c.expr, &column.name));
        if validated
            && column.ty
                == (Type::Text {
                    size: LobSize::Long,
                })
        {
            column.ty = Type::Json { binary: false };
        }
        if matches!(column.ty, Type::Json { .. }) {
            checks.retain(|c| !(c.name == column.name && is_json_valid(&c.expr, &column.name)));
            if column.collation.as_deref() == Some(JSON_COLLATION) {
                column.collation = None;
            }
        }
    }
}

fn is_json_valid(expr: &str, column: &str) -> bool {
    let compact: String = expr
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    compact.eq_ignore_ascii_case(&format!("json_valid({column})"))
}

/// Table options as the catalog reports them: no charset (the collation implies it), and no
/// engine when it is the default one.
fn normalize_options(table: &mut Table) {
    table.options.remove("charset");
    if let Some(engine) = table.options.remove("engine") {
        let known = ["MyISAM", "MEMORY", "Aria", "CSV", "ARCHIVE", "InnoDB"];
        let spelled = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&engine))
            .map(|k| k.to_string())
            .unwrap_or(engine);
        if spelled != DEFAULT_ENGINE {
            table.options.insert("engine".into(), spelled);
        }
    }
}

/// The type MySQL will report for `ty`: what it cannot hold becomes what it stores instead.
fn mysql_type(ty: &Type) -> Type {
    match ty {
        Type::Varchar { length: None } => Type::Varchar { length: Some(255) },
        Type::Binary {
            length: None,
            fixed: false,
        } => Type::Binary {
            length: Some(255),
            fixed: false,
        },
        Type::Timestamp { precision, .. } => Type::Timestamp {
            precision: *precision,
            tz: false,
        },
        Type::Time { precision, .. } => Type::Time {
            precision: *precision,
            tz: false,
        },
        Type::Json { .. } | Type::Array { .. } => Type::Json { binary: false },
        Type::Other { name } if name == "year" => Type::Other {
            name: "year(4)".into(),
        },
        Type::Other { name } if name == "bit" => Type::Other {
            name: "bit(1)".into(),
        },
        other => other.clone(),
    }
}

/// Index methods in the catalog's spelling; BTREE is the default and InnoDB silently turns
/// HASH into BTREE (only MEMORY tables keep it).
fn index_method(method: Option<&str>, engine: Option<&String>) -> Option<String> {
    let method = method?.to_uppercase();
    let memory = engine.is_some_and(|e| e == "MEMORY");
    match method.as_str() {
        "BTREE" => None,
        "HASH" if !memory => None,
        _ => Some(method),
    }
}

/// InnoDB treats RESTRICT and NO ACTION alike, and MariaDB reports an unspecified action as
/// RESTRICT; both are the default.
fn action(a: ReferentialAction) -> ReferentialAction {
    match a {
        ReferentialAction::Restrict => ReferentialAction::NoAction,
        other => other,
    }
}
