//! Catalog inspection: SQLite's schema table and table-valued pragmas, read in bulk.
//!
//! One query reads a whole schema, one row per table: the table's stored statement, its
//! `pragma_table_list` options, and its columns (`pragma_table_xinfo`), index keys
//! (`pragma_index_list` + `pragma_index_xinfo`) and foreign keys (`pragma_foreign_key_list`),
//! each aggregated into a JSON array. A row per table rather than per column or index key keeps
//! both the handing of rows from sqlx's SQLite thread and the copies it makes of every value
//! (`sqlite3_value_dup`) small: rows per column took ≈100 MB at 5,000 tables, and streaming
//! them one by one cost more time than it saved memory. What the pragmas do not report (checks,
//! constraint names, AUTOINCREMENT, collations, generated expressions, index expressions and
//! predicates) is read from the stored statement text by [`super::ddl`].

use super::ddl::{self, TableDdl};
use super::normalize;
use crate::db::DbError;
use crate::dialect::Inspected;
use futures_util::TryStreamExt;
use serde::Deserialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use std::collections::BTreeMap;
use strata_schema::Dialect::Sqlite;
use strata_schema::{
    Check, Column, Database, Deferrable, ForeignKey, Generated, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, ReferentialAction, Table, Type,
};

/// The user tables of one schema (`?1`) and everything inside them. Virtual tables, shadow
/// tables and SQLite's own `sqlite_*` tables are not user tables (the pragmas of a virtual table
/// fail when its module is not loaded). Index keys are `key = 1`: the rowid / primary-key
/// columns every index carries are not keys.
const TABLES: &str = r#"SELECT t.name, COALESCE(m.sql, ''), t.wr, t.strict,
  (SELECT json_group_array(json_array(c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden)
       ORDER BY c.cid)
     FROM pragma_table_xinfo(t.name, ?1) AS c),
  (SELECT json_group_array(json_array(l.name, l."unique", l.origin, l.partial, x.cid, x.name,
       x."desc", x.coll, COALESCE(i.sql, '')) ORDER BY l.name, x.seqno)
     FROM pragma_index_list(t.name, ?1) AS l JOIN pragma_index_xinfo(l.name, ?1) AS x
     LEFT JOIN {schema}.sqlite_schema AS i ON i.type = 'index' AND i.name = l.name
     WHERE x.key = 1),
  (SELECT json_group_array(json_array(f.id, f."table", f."from", f."to", f.on_update,
       f.on_delete) ORDER BY f.id DESC, f.seq)
     FROM pragma_foreign_key_list(t.name, ?1) AS f)
FROM pragma_table_list AS t JOIN {schema}.sqlite_schema AS m ON m.type = 'table' AND m.name = t.name
WHERE t.schema = ?1 AND t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY t.name"#;

const DATABASES: &str = "SELECT name FROM pragma_database_list";

/// A column as `pragma_table_xinfo` reports it: name, declared type, notnull, default text,
/// position in the primary key (0 when not in it), hidden (2 virtual, 3 stored generated).
#[derive(Deserialize)]
struct ColumnRow(String, String, i64, Option<String>, i64, i64);

/// One key of one index: index name, unique, origin (`c` CREATE INDEX, `u` UNIQUE, `pk`),
/// partial, column id (-2 for an expression), column name, descending, collation, and the
/// CREATE INDEX statement ('' for constraints).
#[derive(Deserialize)]
struct IndexKeyRow(
    String,
    i64,
    String,
    i64,
    i64,
    Option<String>,
    i64,
    Option<String>,
    String,
);

/// One column pair of one foreign key: constraint id, referenced table, column, referenced
/// column (NULL when the parent's primary key is meant implicitly), ON UPDATE, ON DELETE.
#[derive(Deserialize)]
struct ForeignKeyRow(i64, String, String, Option<String>, String, String);

/// Read `schemas` (attached database names; normally just `main`). Names that are not attached
/// are absent from the result.
pub async fn inspect(
    conn: &mut SqliteConnection,
    schemas: &[String],
) -> Result<Inspected, DbError> {
    let mut queries = 0;
    let mut attached = Vec::new();
    each_row(
        conn,
        &mut queries,
        DATABASES,
        None,
        "listing databases",
        |row| {
            attached.push(text(row, 0));
            Ok(())
        },
    )
    .await?;
    let mut database = Database::default();
    for schema in schemas.iter().filter(|s| attached.contains(s)) {
        let sql = TABLES.replace("{schema}", &Sqlite.quote(schema));
        let context = format!("querying schema \"{schema}\" tables");
        let mut tables = BTreeMap::new();
        each_row(conn, &mut queries, &sql, Some(schema), &context, |row| {
            let table = read_table(row)?;
            tables.insert(table.name.clone(), table);
            Ok(())
        })
        .await?;
        database.schema_mut(schema).tables = tables;
    }
    Ok(Inspected { database, queries })
}

/// Run one catalog query, counting it, and hand its rows to `on_row` as they arrive.
async fn each_row(
    conn: &mut SqliteConnection,
    queries: &mut usize,
    sql: &str,
    schema: Option<&str>,
    context: &str,
    mut on_row: impl FnMut(&SqliteRow) -> Result<(), String>,
) -> Result<(), DbError> {
    *queries += 1;
    let mut query = sqlx::query(sql);
    if let Some(schema) = schema {
        query = query.bind(schema);
    }
    let mut rows = query.fetch(conn);
    while let Some(row) = rows
        .try_next()
        .await
        .map_err(|e| DbError::query(Sqlite, context, e))?
    {
        on_row(&row).map_err(|e| DbError::query(Sqlite, context, e))?;
    }
    Ok(())
}

fn text(row: &SqliteRow, i: usize) -> String {
    row.try_get::<Option<String>, _>(i)
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn int(row: &SqliteRow, i: usize) -> i64 {
    row.try_get::<i64, _>(i).unwrap_or(0)
}

/// The JSON array in column `i` of `row`, decoded.
fn rows_of<T: for<'de> Deserialize<'de>>(row: &SqliteRow, i: usize) -> Result<Vec<T>, String> {
    let json = text(row, i);
    serde_json::from_str(if json.is_empty() { "[]" } else { &json })
        .map_err(|e| format!("unexpected pragma result ({e})"))
}

/// One table from its row of [`TABLES`].
fn read_table(row: &SqliteRow) -> Result<Table, String> {
    let mut table = Table::new(text(row, 0));
    let ddl = ddl::table(&text(row, 1));
    for (key, on) in [
        ("without_rowid", int(row, 2) != 0),
        ("strict", int(row, 3) != 0),
    ] {
        if on {
            table.options.insert(key.to_string(), "true".to_string());
        }
    }
    table.checks = ddl
        .checks
        .iter()
        .map(|(name, expr)| Check {
            name: name.clone(),
            expr: expr.clone(),
        })
        .collect();
    add_columns(&mut table, &ddl, rows_of(row, 4)?);
    add_indexes(&mut table, rows_of(row, 5)?);
    add_foreign_keys(&mut table, &ddl, rows_of(row, 6)?);
    Ok(table)
}

fn add_columns(table: &mut Table, ddl: &TableDdl, rows: Vec<ColumnRow>) {
    let mut pk_positions = Vec::new();
    for ColumnRow(name, ty, notnull, default, position, hidden) in rows {
        let declared = ddl
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&name));
        let mut column = Column::new(name, Type::parse(Sqlite, &ty));
        column.nullable = notnull == 0;
        column.default = default;
        if let Some(declared) = declared {
            column.collation = declared.collation.clone();
            if declared.autoincrement {
                column.identity = Some(Identity::AutoIncrement);
            }
            if let Some((expr, _)) = declared.generated.as_ref().filter(|_| hidden >= 2) {
                column.generated = Some(Generated {
                    expr: expr.clone(),
                    stored: hidden == 3,
                });
            }
        }
        if position > 0 {
            pk_positions.push((position, column.name.clone()));
        }
        table.columns.push(column);
    }
    if !pk_positions.is_empty() {
        pk_positions.sort();
        table.primary_key = Some(PrimaryKey {
            name: ddl.pk_name.clone(),
            columns: pk_positions.into_iter().map(|(_, c)| c).collect(),
        });
    }
}

/// Index keys come ordered by index and key position: one index is a run of rows.
fn add_indexes(table: &mut Table, rows: Vec<IndexKeyRow>) {
    let mut current: Option<(Index, ddl::IndexDdl)> = None;
    for IndexKeyRow(name, unique, origin, partial, cid, column, desc, collation, sql) in rows {
        if origin == "pk" {
            continue;
        }
        if current.as_ref().is_none_or(|(i, _)| i.name != name) {
            table.indexes.extend(current.take().map(|(i, _)| i));
            let index_ddl = ddl::index(&sql);
            let index = Index {
                name,
                parts: Vec::new(),
                unique: unique != 0,
                constraint: origin == "u",
                predicate: if partial != 0 {
                    index_ddl.predicate.clone()
                } else {
                    None
                },
                method: None,
                comment: None,
            };
            current = Some((index, index_ddl));
        }
        if let Some((index, index_ddl)) = current.as_mut() {
            // cid -2 is an expression key, whose text only the CREATE INDEX statement holds.
            let key = if cid == -2 {
                IndexKey::Expr(
                    index_ddl
                        .keys
                        .get(index.parts.len())
                        .cloned()
                        .unwrap_or_default(),
                )
            } else {
                IndexKey::Column(column.unwrap_or_default())
            };
            index.parts.push(IndexPart {
                key,
                desc: desc != 0,
                length: None,
                opclass: None,
                collation,
            });
        }
    }
    table.indexes.extend(current.map(|(i, _)| i));
    normalize::index_collations(table);
}

/// Foreign keys come ordered by constraint id (newest first: SQLite numbers them in reverse
/// declaration order), then column position; names and deferrability are matched from the
/// statement text, each declared key used once.
fn add_foreign_keys(table: &mut Table, ddl: &TableDdl, rows: Vec<ForeignKeyRow>) {
    let mut keys: Vec<(i64, ForeignKey)> = Vec::new();
    for ForeignKeyRow(id, ref_table, column, ref_column, on_update, on_delete) in rows {
        if keys.last().is_none_or(|(i, _)| *i != id) {
            keys.push((
                id,
                ForeignKey {
                    name: String::new(),
                    columns: Vec::new(),
                    ref_schema: None,
                    ref_table,
                    ref_columns: Vec::new(),
                    on_delete: action(&on_delete),
                    on_update: action(&on_update),
                    deferrable: Deferrable::NotDeferrable,
                },
            ));
        }
        if let Some((_, fk)) = keys.last_mut() {
            fk.columns.push(column);
            fk.ref_columns.extend(ref_column);
        }
    }
    let mut taken = vec![false; ddl.foreign_keys.len()];
    for (_, mut fk) in keys {
        let declared = ddl.foreign_keys.iter().enumerate().find(|(i, d)| {
            !taken[*i]
                && d.ref_table.eq_ignore_ascii_case(&fk.ref_table)
                && d.columns.len() == fk.columns.len()
                && d.columns
                    .iter()
                    .zip(&fk.columns)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        });
        if let Some((i, declared)) = declared {
            taken[i] = true;
            fk.name = declared.name.clone();
            if declared.deferred {
                fk.deferrable = Deferrable::InitiallyDeferred;
            }
        }
        table.foreign_keys.push(fk);
    }
}

fn action(text: &str) -> ReferentialAction {
    match text.to_ascii_uppercase().as_str() {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}
