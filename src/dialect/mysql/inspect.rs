//! Catalog inspection: `information_schema` read with one bulk query per object kind (schemas,
//! tables, columns, indexes, foreign keys, checks), each returning the rows of every table of
//! every requested schema, so that the query count does not grow with the number of tables.
//!
//! The model is filled with what the catalog says, spelled the catalog's way; `normalize` then
//! folds the MariaDB-isms (JSON as `longtext` + check, `RESTRICT` as the default action) that
//! the desired side must also be folded into.

use crate::db::DbError;
use crate::dialect::Inspected;
use sqlx::mysql::MySqlRow;
use sqlx::{MySqlConnection, Row};
use std::collections::{BTreeMap, HashMap};
use strata_schema::{
    Check, Column, Database, Dialect, ForeignKey, Generated, Identity, Index, IndexKey, IndexPart,
    PrimaryKey, ReferentialAction, Table, Type,
};

/// ON UPDATE and ON DELETE actions of each foreign key, by (schema, table, constraint).
type ForeignKeyRules = HashMap<(String, String, String), (ReferentialAction, ReferentialAction)>;

/// The storage engine MySQL and MariaDB pick when a table names none; only others are recorded.
pub const DEFAULT_ENGINE: &str = "InnoDB";

/// Read `schemas` with bulk catalog queries.
pub async fn inspect(conn: &mut MySqlConnection, schemas: &[String]) -> Result<Inspected, DbError> {
    let mut reader = Reader {
        conn,
        schemas,
        queries: 0,
    };
    let flavor = reader.flavor().await?;
    let mut db = Database::default();
    let mut tables = TableSet::default();
    for row in reader.rows("schemas", SCHEMAS).await? {
        let name: String = get(&row, "SCHEMA_NAME")?;
        db.schema_mut(&name);
    }
    for row in reader.rows("tables", TABLES).await? {
        tables.add_table(&row)?;
    }
    for row in reader.rows("columns", COLUMNS).await? {
        tables.add_column(&row, flavor)?;
    }
    for row in reader.rows("indexes", INDEXES).await? {
        tables.add_index_part(&row)?;
    }
    let mut rules = HashMap::new();
    for row in reader.rows("foreign key rules", FOREIGN_KEY_RULES).await? {
        let key = (
            get::<String>(&row, "TABLE_SCHEMA")?,
            get::<String>(&row, "TABLE_NAME")?,
            get::<String>(&row, "CONSTRAINT_NAME")?,
        );
        let on = |rule| get::<String>(&row, rule).map(|r| action(&r));
        rules.insert(key, (on("UPDATE_RULE")?, on("DELETE_RULE")?));
    }
    for row in reader.rows("foreign keys", FOREIGN_KEY_COLUMNS).await? {
        tables.add_foreign_key_column(&row, &rules)?;
    }
    let checks = match flavor {
        Flavor::MariaDb => MARIADB_CHECKS,
        Flavor::MySql => MYSQL_CHECKS,
    };
    for row in reader.rows("checks", checks).await? {
        tables.add_check(&row)?;
    }
    for ((schema, _), table) in tables.tables {
        db.schema_mut(&schema)
            .tables
            .insert(table.name.clone(), table);
    }
    Ok(Inspected {
        database: db,
        queries: reader.queries,
    })
}

/// The connection's current database, from the URL's path.
pub async fn default_schema(conn: &mut MySqlConnection) -> Result<String, DbError> {
    let name: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(conn)
        .await
        .map_err(|e| DbError::query(Dialect::Mysql, "reading the current database", e))?;
    name.ok_or_else(|| {
        DbError::query(
            Dialect::Mysql,
            "reading the current database",
            "the URL names no database (write mysql://host/DATABASE)",
        )
    })
}

/// Flavor is which server speaks: their catalogs differ in how they spell defaults and where
/// they keep the table of a CHECK constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    MariaDb,
    MySql,
}

/// Reader runs catalog queries over the requested schemas and counts them.
struct Reader<'a> {
    conn: &'a mut MySqlConnection,
    schemas: &'a [String],
    queries: usize,
}

impl Reader<'_> {
    async fn flavor(&mut self) -> Result<Flavor, DbError> {
        self.queries += 1;
        let version: String = sqlx::query_scalar("SELECT VERSION()")
            .fetch_one(&mut *self.conn)
            .await
            .map_err(|e| DbError::query(Dialect::Mysql, "reading the server version", e))?;
        Ok(if version.to_lowercase().contains("mariadb") {
            Flavor::MariaDb
        } else {
            Flavor::MySql
        })
    }

    /// Run `sql`, whose `{schemas}` stands for the list of requested schema names.
    async fn rows(&mut self, what: &str, sql: &str) -> Result<Vec<MySqlRow>, DbError> {
        self.queries += 1;
        let placeholders = vec!["?"; self.schemas.len().max(1)].join(", ");
        let sql = sql.replace("{schemas}", &placeholders);
        let mut query = sqlx::query(&sql);
        if self.schemas.is_empty() {
            query = query.bind(None::<String>);
        }
        for s in self.schemas {
            query = query.bind(s);
        }
        query.fetch_all(&mut *self.conn).await.map_err(|e| {
            DbError::query(
                Dialect::Mysql,
                format!("querying {} {what}", self.scope()),
                e,
            )
        })
    }

    fn scope(&self) -> String {
        let names: Vec<String> = self.schemas.iter().map(|s| format!("{s:?}")).collect();
        match names.len() {
            1 => format!("schema {}", names[0]),
            _ => format!("schemas {}", names.join(", ")),
        }
    }
}

/// TableSet collects tables while the per-kind rows arrive, keyed by (schema, table).
#[derive(Default)]
struct TableSet {
    tables: BTreeMap<(String, String), Table>,
    /// Each table's collation: a column collation is only recorded where it differs.
    collations: HashMap<(String, String), String>,
}

impl TableSet {
    fn table(&mut self, row: &MySqlRow) -> Result<Option<&mut Table>, DbError> {
        let key = (get(row, "TABLE_SCHEMA")?, get(row, "TABLE_NAME")?);
        Ok(self.tables.get_mut(&key))
    }

    fn add_table(&mut self, row: &MySqlRow) -> Result<(), DbError> {
        let schema: String = get(row, "TABLE_SCHEMA")?;
        let mut table = Table::new(get::<String>(row, "TABLE_NAME")?);
        table.comment = non_empty(get(row, "TABLE_COMMENT")?);
        let collation: Option<String> = get(row, "TABLE_COLLATION")?;
        let schema_collation: Option<String> = get(row, "SCHEMA_COLLATION")?;
        if let Some(c) = &collation
            && collation != schema_collation
        {
            table.options.insert("collation".into(), c.clone());
        }
        if let Some(engine) = get::<Option<String>>(row, "ENGINE")?
            && !engine.eq_ignore_ascii_case(DEFAULT_ENGINE)
        {
            table.options.insert("engine".into(), engine);
        }
        let key = (schema, table.name.clone());
        if let Some(c) = collation {
            self.collations.insert(key.clone(), c);
        }
        self.tables.insert(key, table);
        Ok(())
    }

    fn add_column(&mut self, row: &MySqlRow, flavor: Flavor) -> Result<(), DbError> {
        let key = (get(row, "TABLE_SCHEMA")?, get(row, "TABLE_NAME")?);
        let table_collation = self.collations.get(&key).cloned();
        let Some(table) = self.tables.get_mut(&key) else {
            return Ok(());
        };
        let column_type: String = get(row, "COLUMN_TYPE")?;
        let extra: String = get::<Option<String>>(row, "EXTRA")?
            .unwrap_or_default()
            .to_lowercase();
        let mut column = Column::new(
            get::<String>(row, "COLUMN_NAME")?,
            Type::parse(Dialect::Mysql, &column_type),
        );
        column.nullable = get::<String>(row, "IS_NULLABLE")? == "YES";
        column.comment = non_empty(get(row, "COLUMN_COMMENT")?);
        let collation: Option<String> = get(row, "COLLATION_NAME")?;
        if collation.is_some() && collation != table_collation {
            column.collation = collation;
        }
        if extra.contains("auto_increment") {
            column.identity = Some(Identity::AutoIncrement);
        }
        column.on_update = on_update(&extra);
        let generation: Option<String> = get(row, "GENERATION_EXPRESSION")?;
        match generation.filter(|g| !g.is_empty()) {
            Some(expr) => {
                column.generated = Some(Generated {
                    expr,
                    stored: extra.contains("stored"),
                });
            }
            None => {
                let raw: Option<String> = get(row, "COLUMN_DEFAULT")?;
                column.default = raw.and_then(|d| catalog_default(flavor, &d, &extra, &column.ty));
            }
        }
        table.columns.push(column);
        Ok(())
    }

    /// One row per index key part, in (index, position) order.
    fn add_index_part(&mut self, row: &MySqlRow) -> Result<(), DbError> {
        let name: String = get(row, "INDEX_NAME")?;
        let column: Option<String> = get(row, "COLUMN_NAME")?;
        // MySQL 8 keeps functional key parts in EXPRESSION; MariaDB has no such column.
        let expression: Option<String> = row.try_get("EXPRESSION").ok().flatten();
        let key = match (column, expression) {
            (_, Some(expr)) => IndexKey::Expr(expr),
            (Some(c), None) => IndexKey::Column(c),
            (None, None) => return Ok(()),
        };
        let part = IndexPart {
            key,
            desc: get::<Option<String>>(row, "COLLATION")?.as_deref() == Some("D"),
            length: int(row, "SUB_PART")?.and_then(|n| u32::try_from(n).ok()),
            opclass: None,
            collation: None,
        };
        let unique = int(row, "NON_UNIQUE")? == Some(0);
        let method = get::<Option<String>>(row, "INDEX_TYPE")?.filter(|m| m != "BTREE");
        let comment = non_empty(get(row, "INDEX_COMMENT")?);
        let Some(table) = self.table(row)? else {
            return Ok(());
        };
        if name == "PRIMARY" {
            let pk = table.primary_key.get_or_insert_with(|| PrimaryKey {
                name: Some(name),
                columns: Vec::new(),
            });
            if let IndexKey::Column(c) = part.key {
                pk.columns.push(c);
            }
            return Ok(());
        }
        match table.indexes.iter_mut().find(|i| i.name == name) {
            Some(index) => index.parts.push(part),
            None => table.indexes.push(Index {
                name,
                parts: vec![part],
                unique,
                constraint: false,
                predicate: None,
                method,
                comment,
            }),
        }
        Ok(())
    }

    /// One column of a foreign key (rows come in (constraint, position) order); `rules` holds each key's ON UPDATE / ON DELETE actions by
    /// (schema, table, constraint).
    fn add_foreign_key_column(
        &mut self,
        row: &MySqlRow,
        rules: &ForeignKeyRules,
    ) -> Result<(), DbError> {
        let schema: String = get(row, "TABLE_SCHEMA")?;
        let name: String = get(row, "CONSTRAINT_NAME")?;
        let column: String = get(row, "COLUMN_NAME")?;
        let ref_column: String = get(row, "REFERENCED_COLUMN_NAME")?;
        let ref_schema: String = get(row, "REFERENCED_TABLE_SCHEMA")?;
        let ref_table: String = get(row, "REFERENCED_TABLE_NAME")?;
        let key = (
            schema.clone(),
            get::<String>(row, "TABLE_NAME")?,
            name.clone(),
        );
        let Some((on_update, on_delete)) = rules.get(&key).cloned() else {
            // A key dropped between the two queries.
            return Ok(());
        };
        let Some(table) = self.table(row)? else {
            return Ok(());
        };
        match table.foreign_keys.iter_mut().find(|f| f.name == name) {
            Some(fk) => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            None => table.foreign_keys.push(ForeignKey {
                name,
                columns: vec![column],
                ref_schema: (ref_schema != schema).then_some(ref_schema),
                ref_table,
                ref_columns: vec![ref_column],
                on_delete,
                on_update,
                deferrable: Default::default(),
            }),
        }
        Ok(())
    }

    fn add_check(&mut self, row: &MySqlRow) -> Result<(), DbError> {
        let check = Check {
            name: get(row, "CONSTRAINT_NAME")?,
            expr: get(row, "CHECK_CLAUSE")?,
        };
        if let Some(table) = self.table(row)? {
            table.checks.push(check);
        }
        Ok(())
    }
}

/// The DEFAULT as SQL text. MariaDB reports an expression (`'x'`, `5`, `current_timestamp()`,
/// `NULL`); MySQL 8 reports the bare value and flags expressions with `DEFAULT_GENERATED`.
fn catalog_default(flavor: Flavor, raw: &str, extra: &str, ty: &Type) -> Option<String> {
    if flavor == Flavor::MariaDb {
        return (!raw.eq_ignore_ascii_case("null")).then(|| raw.to_string());
    }
    let is_text = matches!(
        ty,
        Type::Char { .. }
            | Type::Varchar { .. }
            | Type::Text { .. }
            | Type::Enum { .. }
            | Type::Set { .. }
            | Type::Date
            | Type::Time { .. }
            | Type::DateTime { .. }
            | Type::Timestamp { .. }
            | Type::Binary { .. }
            | Type::Blob { .. }
    );
    if extra.contains("default_generated") {
        Some(raw.to_string())
    } else if is_text {
        Some(Dialect::Mysql.quote_str(raw))
    } else {
        Some(raw.to_string())
    }
}

/// The expression of an `ON UPDATE` clause, which the catalog keeps in EXTRA beside other
/// flags: `on update current_timestamp(6)` (MariaDB), `DEFAULT_GENERATED on update
/// CURRENT_TIMESTAMP` (MySQL 8). The expression is one word: a function call without spaces.
fn on_update(extra: &str) -> Option<String> {
    let (_, rest) = extra.split_once("on update ")?;
    rest.split_whitespace().next().map(str::to_string)
}

fn action(rule: &str) -> ReferentialAction {
    match rule {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        "RESTRICT" => ReferentialAction::Restrict,
        _ => ReferentialAction::NoAction,
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

fn get<'r, T>(row: &'r MySqlRow, column: &str) -> Result<T, DbError>
where
    T: sqlx::Decode<'r, sqlx::MySql> + sqlx::Type<sqlx::MySql>,
{
    row.try_get(column).map_err(|e| {
        DbError::query(
            Dialect::Mysql,
            format!("reading catalog column {column}"),
            e,
        )
    })
}

/// A catalog number: information_schema mixes signed and unsigned integer columns.
fn int(row: &MySqlRow, column: &str) -> Result<Option<i64>, DbError> {
    match row.try_get::<Option<i64>, _>(column) {
        Ok(v) => Ok(v),
        Err(_) => get::<Option<u64>>(row, column).map(|v| v.and_then(|n| i64::try_from(n).ok())),
    }
}

const SCHEMAS: &str = "
SELECT SCHEMA_NAME
FROM information_schema.SCHEMATA
WHERE SCHEMA_NAME IN ({schemas})";

const TABLES: &str = "
SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_COMMENT, t.TABLE_COLLATION, t.ENGINE,
       s.DEFAULT_COLLATION_NAME AS SCHEMA_COLLATION
FROM information_schema.TABLES t
JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = t.TABLE_SCHEMA
WHERE t.TABLE_SCHEMA IN ({schemas}) AND t.TABLE_TYPE = 'BASE TABLE'
ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME";

const COLUMNS: &str = "
SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE,
       c.COLUMN_DEFAULT, c.EXTRA, c.COLLATION_NAME, c.COLUMN_COMMENT, c.GENERATION_EXPRESSION
FROM information_schema.COLUMNS c
WHERE c.TABLE_SCHEMA IN ({schemas})
ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION";

/// `*` because MySQL 8 has an EXPRESSION column (functional key parts) that MariaDB lacks.
const INDEXES: &str = "
SELECT *
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN ({schemas})
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

/// Foreign-key actions and columns are read apart and joined here: the catalog's own join of
/// REFERENTIAL_CONSTRAINTS with KEY_COLUMN_USAGE is quadratic on MariaDB (≈2 s at 2,000
/// tables, against ≈60 ms for both queries alone).
const FOREIGN_KEY_RULES: &str = "
SELECT CONSTRAINT_SCHEMA AS TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN ({schemas})";

const FOREIGN_KEY_COLUMNS: &str = "
SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA,
       REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA IN ({schemas}) AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

/// MariaDB names checks per table (every table may have a `CONSTRAINT_1`), so its
/// CHECK_CONSTRAINTS carries the table name.
const MARIADB_CHECKS: &str = "
SELECT CONSTRAINT_SCHEMA AS TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN ({schemas})
ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME";

/// MySQL 8 names checks per schema and keeps the owning table in TABLE_CONSTRAINTS.
const MYSQL_CHECKS: &str = "
SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA IN ({schemas}) AND tc.CONSTRAINT_TYPE = 'CHECK'
ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME";
