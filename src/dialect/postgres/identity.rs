//! Catalog identities: table oids and column attnums survive a rename, so comparing them with
//! the ones recorded in the state tells a renamed column from a dropped one plus a new one.

use crate::db::DbError;
use crate::state::CatalogIdentity;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use strata_schema::Dialect;

/// Every column of every table in `schemas` with its table's oid and its attnum, one query.
const IDENTITIES: &str = "\
SELECT n.nspname::text, c.relname::text, c.oid::int8, a.attname::text, a.attnum
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition";

/// Identities by table address (`table.schema.name`).
pub async fn identities(
    conn: &mut PgConnection,
    schemas: &[String],
) -> Result<BTreeMap<String, CatalogIdentity>, DbError> {
    let rows: Vec<(String, String, i64, String, i16)> = sqlx::query_as(IDENTITIES)
        .bind(schemas)
        .fetch_all(conn)
        .await
        .map_err(|e| {
            DbError::query(Dialect::Postgres, "querying table and column identities", e)
        })?;
    let mut out: BTreeMap<String, CatalogIdentity> = BTreeMap::new();
    for (schema, table, oid, column, attnum) in rows {
        let entry = out
            .entry(format!("table.{schema}.{table}"))
            .or_insert_with(|| CatalogIdentity {
                oid: u32::try_from(oid).unwrap_or_default(),
                columns: BTreeMap::new(),
            });
        entry.columns.insert(column, attnum);
    }
    Ok(out)
}
