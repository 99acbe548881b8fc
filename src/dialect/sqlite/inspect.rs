//! Catalog inspection: SQLite's schema tables and table-valued pragmas, read in bulk.
//!
//! Each object kind is one query that joins `sqlite_schema` with a table-valued pragma
//! (`pragma_table_xinfo`, `pragma_index_list` + `pragma_index_xinfo`, `pragma_foreign_key_list`),
//! so a schema takes the same number of round trips whatever its number of tables. What the
//! pragmas do not report (checks, constraint names, AUTOINCREMENT, collations, generated
//! expressions, index expressions and predicates) is read from the stored statement text by
//! [`super::ddl`].

use super::ddl::{self, TableDdl};
use super::normalize;
use crate::db::DbError;
use crate::dialect::Inspected;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use std::collections::BTreeMap;
use strata_schema::Dialect::Sqlite;
use strata_schema::{
    Check, Column, Database, Deferrable, ForeignKey, Generated, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, ReferentialAction, Table, Type,
};

/// Tables of one schema, with the statement text and the options `pragma_table_list` reports.
/// Virtual tables, shadow tables and SQLite's own `sqlite_*` tables are not user tables.
const TABLES: &str = "SELECT t.name, COALESCE(m.sql, ''), t.wr, t.strict \
     FROM pragma_table_list AS t JOIN {schema}.sqlite_schema AS m ON m.type = 'table' AND m.name = t.name \
     WHERE t.schema = ?1 AND t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     ORDER BY t.name";

/// The condition on `sqlite_schema AS m` that keeps the rows of user tables, which the
/// per-table pragmas below are joined with. Virtual tables are left out: their pragmas fail
/// when the module is not loaded.
const IS_USER_TABLE: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     AND m.sql NOT LIKE 'CREATE VIRTUAL%'";

const COLUMNS: &str = "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, c.hidden \
     FROM {schema}.sqlite_schema AS m JOIN pragma_table_xinfo(m.name, ?1) AS c WHERE {is_user_table} \
     ORDER BY m.name, c.cid";

/// Index keys (`key = 1` leaves out the rowid / primary-key columns every index carries).
const INDEXES: &str = "SELECT m.name, l.name, l.\"unique\", l.origin, l.partial, x.cid, x.name, \
     x.\"desc\", x.coll, COALESCE(i.sql, '') \
     FROM {schema}.sqlite_schema AS m JOIN pragma_index_list(m.name, ?1) AS l \
     JOIN pragma_index_xinfo(l.name, ?1) AS x \
     LEFT JOIN {schema}.sqlite_schema AS i ON i.type = 'index' AND i.name = l.name \
     WHERE {is_user_table} AND x.key = 1 \
     ORDER BY m.name, l.name, x.seqno";

const FOREIGN_KEYS: &str = "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
     FROM {schema}.sqlite_schema AS m JOIN pragma_foreign_key_list(m.name, ?1) AS f WHERE {is_user_table} \
     ORDER BY m.name, f.id DESC, f.seq";

const DATABASES: &str = "SELECT name FROM pragma_database_list";

/// Read `schemas` (attached database names; normally just `main`). Names that are not attached
/// are absent from the result.
pub async fn inspect(
    conn: &mut SqliteConnection,
    schemas: &[String],
) -> Result<Inspected, DbError> {
    let mut queries = 0;
    let attached: Vec<String> = fetch(conn, &mut queries, DATABASES, None, "listing databases")
        .await?
        .iter()
        .map(|r| text(r, 0))
        .collect();
    let mut database = Database::default();
    for schema in schemas.iter().filter(|s| attached.contains(s)) {
        let tables = read_schema(conn, &mut queries, schema).await?;
        database.schema_mut(schema).tables = tables;
    }
    Ok(Inspected { database, queries })
}

/// One schema: four bulk queries, assembled table by table.
async fn read_schema(
    conn: &mut SqliteConnection,
    queries: &mut usize,
    schema: &str,
) -> Result<BTreeMap<String, Table>, DbError> {
    let for_schema = |sql: &str| {
        sql.replace("{is_user_table}", IS_USER_TABLE)
            .replace("{schema}", &Sqlite.quote(schema))
    };
    let scope = |what: &str| format!("querying schema \"{schema}\" {what}");
    let table_rows = fetch(
        conn,
        queries,
        &for_schema(TABLES),
        Some(schema),
        &scope("tables"),
    )
    .await?;
    let column_rows = fetch(
        conn,
        queries,
        &for_schema(COLUMNS),
        Some(schema),
        &scope("columns"),
    )
    .await?;
    let index_rows = fetch(
        conn,
        queries,
        &for_schema(INDEXES),
        Some(schema),
        &scope("indexes"),
    )
    .await?;
    let fk_rows = fetch(
        conn,
        queries,
        &for_schema(FOREIGN_KEYS),
        Some(schema),
        &scope("foreign keys"),
    )
    .await?;

    let mut tables = BTreeMap::new();
    let mut ddls = BTreeMap::new();
    for row in &table_rows {
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
        ddls.insert(table.name.clone(), ddl);
        tables.insert(table.name.clone(), table);
    }
    add_columns(&mut tables, &ddls, &column_rows);
    add_indexes(&mut tables, &index_rows);
    add_foreign_keys(&mut tables, &ddls, &fk_rows);
    Ok(tables)
}

/// Run one catalog query, counting it.
async fn fetch(
    conn: &mut SqliteConnection,
    queries: &mut usize,
    sql: &str,
    schema: Option<&str>,
    context: &str,
) -> Result<Vec<SqliteRow>, DbError> {
    *queries += 1;
    let mut query = sqlx::query(sql);
    if let Some(schema) = schema {
        query = query.bind(schema);
    }
    query
        .fetch_all(conn)
        .await
        .map_err(|e| DbError::query(Sqlite, context, e))
}

fn text(row: &SqliteRow, i: usize) -> String {
    opt_text(row, i).unwrap_or_default()
}

fn opt_text(row: &SqliteRow, i: usize) -> Option<String> {
    row.try_get::<Option<String>, _>(i).ok().flatten()
}

fn int(row: &SqliteRow, i: usize) -> i64 {
    row.try_get::<i64, _>(i).unwrap_or(0)
}

fn add_columns(
    tables: &mut BTreeMap<String, Table>,
    ddls: &BTreeMap<String, TableDdl>,
    rows: &[SqliteRow],
) {
    let mut pk_positions: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for row in rows {
        let table_name = text(row, 0);
        let (Some(table), Some(ddl)) = (tables.get_mut(&table_name), ddls.get(&table_name)) else {
            continue;
        };
        let name = text(row, 1);
        let declared = ddl
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&name));
        let hidden = int(row, 6);
        let mut column = Column::new(name.clone(), Type::parse(Sqlite, &text(row, 2)));
        column.nullable = int(row, 3) == 0;
        column.default = opt_text(row, 4);
        if let Some(declared) = declared {
            column.collation = declared.collation.clone();
            if declared.autoincrement {
                column.identity = Some(Identity::AutoIncrement);
            }
            // hidden is 2 for a VIRTUAL and 3 for a STORED generated column.
            if let Some((expr, _)) = declared.generated.as_ref().filter(|_| hidden >= 2) {
                column.generated = Some(Generated {
                    expr: expr.clone(),
                    stored: hidden == 3,
                });
            }
        }
        let position = int(row, 5);
        if position > 0 {
            pk_positions
                .entry(table_name)
                .or_default()
                .push((position, name));
        }
        table.columns.push(column);
    }
    for (table_name, mut positions) in pk_positions {
        positions.sort();
        if let Some(table) = tables.get_mut(&table_name) {
            let name = ddls.get(&table_name).and_then(|d| d.pk_name.clone());
            table.primary_key = Some(PrimaryKey {
                name,
                columns: positions.into_iter().map(|(_, c)| c).collect(),
            });
        }
    }
}

fn add_indexes(tables: &mut BTreeMap<String, Table>, rows: &[SqliteRow]) {
    // Rows come ordered by table, index and key position: one index is a run of rows.
    let mut current: Option<(String, Index, ddl::IndexDdl)> = None;
    let mut finished = Vec::new();
    for row in rows {
        let (table_name, index_name, origin) = (text(row, 0), text(row, 1), text(row, 3));
        if origin == "pk" {
            continue;
        }
        let same = matches!(&current, Some((t, i, _)) if *t == table_name && i.name == index_name);
        if !same {
            finished.extend(current.take());
            let sql = text(row, 9);
            let index_ddl = ddl::index(&sql);
            let index = Index {
                name: index_name,
                parts: Vec::new(),
                unique: int(row, 2) != 0,
                constraint: origin == "u",
                predicate: if int(row, 4) != 0 {
                    index_ddl.predicate.clone()
                } else {
                    None
                },
                method: None,
                comment: None,
            };
            current = Some((table_name, index, index_ddl));
        }
        if let Some((_, index, index_ddl)) = current.as_mut() {
            // cid -2 is an expression key, whose text only the CREATE INDEX statement holds.
            let key = if int(row, 5) == -2 {
                IndexKey::Expr(
                    index_ddl
                        .keys
                        .get(index.parts.len())
                        .cloned()
                        .unwrap_or_default(),
                )
            } else {
                IndexKey::Column(text(row, 6))
            };
            index.parts.push(IndexPart {
                key,
                desc: int(row, 7) != 0,
                length: None,
                opclass: None,
                collation: opt_text(row, 8),
            });
        }
    }
    finished.extend(current);
    for (table_name, index, _) in finished {
        if let Some(table) = tables.get_mut(&table_name) {
            table.indexes.push(index);
        }
    }
    for table in tables.values_mut() {
        normalize::index_collations(table);
    }
}

fn add_foreign_keys(
    tables: &mut BTreeMap<String, Table>,
    ddls: &BTreeMap<String, TableDdl>,
    rows: &[SqliteRow],
) {
    // Rows come ordered by table and constraint id (newest first: SQLite numbers foreign keys in
    // reverse declaration order), then column position.
    let mut keys: Vec<(String, i64, ForeignKey)> = Vec::new();
    for row in rows {
        let (table_name, id) = (text(row, 0), int(row, 1));
        let same = matches!(keys.last(), Some((t, i, _)) if *t == table_name && *i == id);
        if !same {
            let fk = ForeignKey {
                name: String::new(),
                columns: Vec::new(),
                ref_schema: None,
                ref_table: text(row, 2),
                ref_columns: Vec::new(),
                on_delete: action(&text(row, 6)),
                on_update: action(&text(row, 5)),
                deferrable: Deferrable::NotDeferrable,
            };
            keys.push((table_name, id, fk));
        }
        if let Some((_, _, fk)) = keys.last_mut() {
            fk.columns.push(text(row, 3));
            // `to` is NULL when the key references the parent's primary key implicitly.
            if let Some(to) = opt_text(row, 4) {
                fk.ref_columns.push(to);
            }
        }
    }
    let mut used: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for (table_name, _, mut fk) in keys {
        let (Some(table), Some(ddl)) = (tables.get_mut(&table_name), ddls.get(&table_name)) else {
            continue;
        };
        let taken = used
            .entry(table_name)
            .or_insert_with(|| vec![false; ddl.foreign_keys.len()]);
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
