//! Catalog inspection (placeholder until the dialect lands).

use crate::db::DbError;
use crate::dialect::Inspected;
use strata_schema::Dialect;

/// Read `schemas` with bulk catalog queries.
pub async fn inspect(_conn: &mut sqlx::SqliteConnection, _schemas: &[String]) -> Result<Inspected, DbError> {
    Err(DbError::query(Dialect::Sqlite, "inspect", "not implemented yet"))
}
