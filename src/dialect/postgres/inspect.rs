//! Catalog inspection: a fixed number of bulk queries (see [`super::queries`]), each returning
//! rows for every table of every requested schema, assembled into the schema model.

use super::queries;
use crate::db::DbError;
use crate::dialect::Inspected;
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Row, query};
use strata_schema::Dialect::Postgres;
use strata_schema::{
    Check, Column, Database, Deferrable, EnumType, ForeignKey, Generated, Identity, Index,
    IndexKey, IndexPart, PrimaryKey, ReferentialAction, Table, Type,
};

/// Reader runs the catalog queries for one set of schemas and counts them.
struct Reader<'c> {
    conn: &'c mut PgConnection,
    schemas: &'c [String],
    queries: usize,
}

impl Reader<'_> {
    /// Run one catalog query; `what` names the object kind for error messages.
    async fn fetch(&mut self, sql: &str, what: &str) -> Result<Vec<PgRow>, DbError> {
        self.queries += 1;
        query(sql)
            .bind(self.schemas)
            .fetch_all(&mut *self.conn)
            .await
            .map_err(|e| {
                DbError::query(
                    Postgres,
                    format!("querying {} {what}", scope(self.schemas)),
                    e,
                )
            })
    }
}

/// `schema "a"` or `schemas "a", "b"`, for error messages.
fn scope(schemas: &[String]) -> String {
    let names: Vec<String> = schemas.iter().map(|s| format!("{s:?}")).collect();
    match names.len() {
        1 => format!("schema {}", names[0]),
        _ => format!("schemas {}", names.join(", ")),
    }
}

/// A column value, with the decoding error reported in the inspection's terms.
fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    index: usize,
    what: &str,
) -> Result<T, DbError> {
    row.try_get(index)
        .map_err(|e| DbError::query(Postgres, format!("reading {what}"), e))
}

/// Read `schemas` with bulk catalog queries.
pub async fn inspect(conn: &mut PgConnection, schemas: &[String]) -> Result<Inspected, DbError> {
    let mut reader = Reader {
        conn,
        schemas,
        queries: 0,
    };
    let mut db = Database::default();
    for row in reader.fetch(queries::SCHEMAS, "schemas").await? {
        db.schema_mut(&get::<String>(&row, 0, "schemas")?);
    }
    for row in reader.fetch(queries::ENUMS, "enums").await? {
        let schema: String = get(&row, 0, "enums")?;
        let name: String = get(&row, 1, "enums")?;
        let values: Vec<String> = get(&row, 2, "enums")?;
        db.schema_mut(&schema)
            .enums
            .insert(name.clone(), EnumType { name, values });
    }
    for row in reader.fetch(queries::TABLES, "tables").await? {
        let schema: String = get(&row, 0, "tables")?;
        let mut table = Table::new(get::<String>(&row, 1, "tables")?);
        table.comment = get(&row, 2, "tables")?;
        db.schema_mut(&schema)
            .tables
            .insert(table.name.clone(), table);
    }
    for row in reader.fetch(queries::COLUMNS, "columns").await? {
        let column = read_column(&row)?;
        if let Some(t) = table_mut(&mut db, &row, "columns")? {
            t.columns.push(column);
        }
    }
    read_indexes(&mut db, reader.fetch(queries::INDEXES, "indexes").await?)?;
    for row in reader.fetch(queries::FOREIGN_KEYS, "foreign keys").await? {
        let fk = read_foreign_key(&row)?;
        if let Some(t) = table_mut(&mut db, &row, "foreign keys")? {
            t.foreign_keys.push(fk);
        }
    }
    for row in reader.fetch(queries::CHECKS, "checks").await? {
        let check = Check {
            name: get(&row, 2, "checks")?,
            expr: get(&row, 3, "checks")?,
        };
        if let Some(t) = table_mut(&mut db, &row, "checks")? {
            t.checks.push(check);
        }
    }
    Ok(Inspected {
        database: db,
        queries: reader.queries,
    })
}

/// The table named by the row's first two columns (schema, table), if it was read.
fn table_mut<'d>(
    db: &'d mut Database,
    row: &PgRow,
    what: &str,
) -> Result<Option<&'d mut Table>, DbError> {
    let schema: String = get(row, 0, what)?;
    let table: String = get(row, 1, what)?;
    Ok(db
        .schemas
        .get_mut(&schema)
        .and_then(|s| s.tables.get_mut(&table)))
}

fn read_column(row: &PgRow) -> Result<Column, DbError> {
    let what = "columns";
    let type_text: String = get(row, 3, what)?;
    let user_type: Option<String> = get(row, 4, what)?;
    let is_user_defined: bool = get(row, 5, what)?;
    let is_array: bool = get(row, 6, what)?;
    let ty = match user_type {
        Some(name) if is_user_defined => {
            let named = Type::UserDefined { name };
            if is_array {
                Type::Array {
                    element: Box::new(named),
                }
            } else {
                named
            }
        }
        // A base type from an extension (citext, hstore): its bare name, whatever the search path.
        Some(name) => Type::parse(Postgres, &if is_array { format!("{name}[]") } else { name }),
        None => Type::parse(Postgres, &type_text),
    };
    let mut column = Column::new(get::<String>(row, 2, what)?, ty);
    column.nullable = !get::<bool>(row, 7, what)?;
    let default: Option<String> = get(row, 8, what)?;
    let identity: String = get(row, 9, what)?;
    let generated: String = get(row, 10, what)?;
    column.collation = get(row, 11, what)?;
    column.comment = get(row, 12, what)?;
    let owns_sequence: bool = get(row, 13, what)?;
    match (identity.as_str(), generated.as_str()) {
        ("a", _) => column.identity = Some(Identity::Generated { always: true }),
        ("d", _) => column.identity = Some(Identity::Generated { always: false }),
        (_, "s" | "v") => {
            column.generated = default.map(|expr| Generated {
                expr,
                stored: generated == "s",
            });
        }
        _ if owns_sequence
            && default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval(")) =>
        {
            column.identity = Some(Identity::Serial);
        }
        _ => column.default = default,
    }
    Ok(column)
}

/// Fold index part rows (ordered by schema, table, index, part) into primary keys and indexes.
fn read_indexes(db: &mut Database, rows: Vec<PgRow>) -> Result<(), DbError> {
    let what = "indexes";
    let mut current: Option<(String, String, Index, bool)> = None;
    for row in &rows {
        let schema: String = get(row, 0, what)?;
        let table: String = get(row, 1, what)?;
        let name: String = get(row, 2, what)?;
        let same =
            matches!(&current, Some((s, t, i, _)) if *s == schema && *t == table && i.name == name);
        if !same {
            if let Some(done) = current.take() {
                attach_index(db, done);
            }
            let contype: String = get(row, 5, what)?;
            let method: String = get(row, 6, what)?;
            let index = Index {
                name,
                parts: Vec::new(),
                unique: get(row, 3, what)?,
                constraint: contype == "u",
                predicate: get(row, 7, what)?,
                method: (method != "btree").then_some(method),
                comment: get(row, 8, what)?,
            };
            current = Some((schema, table, index, get(row, 4, what)?));
        }
        if let Some((_, _, index, _)) = current.as_mut() {
            let column: Option<String> = get(row, 9, what)?;
            let key = match column {
                Some(c) => IndexKey::Column(c),
                None => IndexKey::Expr(get(row, 10, what)?),
            };
            index.parts.push(IndexPart {
                key,
                desc: get(row, 11, what)?,
                length: None,
                opclass: get(row, 12, what)?,
                collation: get(row, 13, what)?,
            });
        }
    }
    if let Some(done) = current {
        attach_index(db, done);
    }
    Ok(())
}

/// Put a finished index on its table: the primary key's index becomes the table's key.
fn attach_index(db: &mut Database, (schema, table, index, primary): (String, String, Index, bool)) {
    let Some(t) = db
        .schemas
        .get_mut(&schema)
        .and_then(|s| s.tables.get_mut(&table))
    else {
        return;
    };
    if primary {
        let columns = index
            .parts
            .iter()
            .filter_map(|p| match &p.key {
                IndexKey::Column(c) => Some(c.clone()),
                IndexKey::Expr(_) => None,
            })
            .collect();
        t.primary_key = Some(PrimaryKey {
            name: Some(index.name),
            columns,
        });
    } else {
        t.indexes.push(index);
    }
}

fn read_foreign_key(row: &PgRow) -> Result<ForeignKey, DbError> {
    let what = "foreign keys";
    let schema: String = get(row, 0, what)?;
    let ref_schema: String = get(row, 3, what)?;
    let deferrable = match (get::<bool>(row, 9, what)?, get::<bool>(row, 10, what)?) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    };
    Ok(ForeignKey {
        name: get(row, 2, what)?,
        columns: get(row, 5, what)?,
        ref_schema: (ref_schema != schema).then_some(ref_schema),
        ref_table: get(row, 4, what)?,
        ref_columns: get(row, 6, what)?,
        on_delete: action(&get::<String>(row, 7, what)?),
        on_update: action(&get::<String>(row, 8, what)?),
        deferrable,
    })
}

/// A `pg_constraint.confdeltype` / `confupdtype` code as an action.
fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// The connection's current schema.
pub async fn default_schema(conn: &mut PgConnection) -> Result<String, DbError> {
    let name: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(conn)
        .await
        .map_err(|e| DbError::query(Postgres, "reading the current schema", e))?;
    name.ok_or_else(|| {
        DbError::query(
            Postgres,
            "reading the current schema",
            "the search path names no existing schema",
        )
    })
}
