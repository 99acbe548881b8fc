//! Catalog inspection (placeholder until the dialect lands).

use crate::db::DbError;
use crate::dialect::Inspected;
use strata_schema::Dialect;

/// Read `schemas` with bulk catalog queries.
pub async fn inspect(_conn: &mut sqlx::MySqlConnection, _schemas: &[String]) -> Result<Inspected, DbError> {
    Err(DbError::query(Dialect::Mysql, "inspect", "not implemented yet"))
}

/// The connection's current schema.
pub async fn default_schema(_conn: &mut sqlx::MySqlConnection) -> Result<String, DbError> {
    Ok(String::new())
}
