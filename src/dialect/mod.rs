//! Dialects: everything that differs between PostgreSQL, MySQL/MariaDB and SQLite, behind a
//! handful of functions. Each dialect has the same file set (as in Atlas):
//!
//! - `inspect.rs` reads the catalog into the schema model with a fixed number of bulk queries
//!   per schema, whatever the number of tables;
//! - `normalize.rs` rewrites a schema into the form the database itself reports, so that a
//!   desired schema and the live schema it produced compare equal;
//! - `migrate.rs` renders one [`Change`] as SQL statements.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

use crate::db::{Conn, DbError};
use crate::diff::Change;
use crate::plan::Statement;
use strata_schema::{Database, Dialect};

/// Inspected is a live schema and the number of catalog queries it took to read it.
#[derive(Debug, Clone)]
pub struct Inspected {
    pub database: Database,
    pub queries: usize,
}

/// Side says which schema [`normalize`] is looking at: the desired one may omit what the
/// database fills in (implicit indexes, constraint names), the live one spells things the
/// catalog's way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Desired,
    Live,
}

/// Read the named schemas (all of them must exist or be absent from the result) from the
/// target. Indexes, keys and foreign keys come back with their real names.
pub async fn inspect(conn: &mut Conn, schemas: &[String]) -> Result<Inspected, DbError> {
    match conn {
        Conn::Postgres(c) => postgres::inspect::inspect(c, schemas).await,
        Conn::Mysql(c) => mysql::inspect::inspect(c, schemas).await,
        Conn::Sqlite(c) => sqlite::inspect::inspect(c, schemas).await,
    }
}

/// Catalog identities of the tables in `schemas`, where the database has stable ones
/// (PostgreSQL oids and attnums); empty elsewhere.
pub async fn identities(
    conn: &mut Conn,
    schemas: &[String],
) -> Result<std::collections::BTreeMap<String, crate::state::CatalogIdentity>, DbError> {
    match conn {
        Conn::Postgres(c) => postgres::identity::identities(c, schemas).await,
        _ => Ok(Default::default()),
    }
}

/// The schema a connection works in when the config names none: PostgreSQL's
/// `current_schema()`, MySQL's `database()`, SQLite's `main`.
pub async fn default_schema(conn: &mut Conn) -> Result<String, DbError> {
    match conn {
        Conn::Postgres(c) => postgres::inspect::default_schema(c).await,
        Conn::Mysql(c) => mysql::inspect::default_schema(c).await,
        Conn::Sqlite(_) => Ok("main".to_string()),
    }
}

/// Rewrite `db` into the dialect's canonical form (see [`Side`]). Idempotent.
pub fn normalize(dialect: Dialect, db: &mut Database, side: Side) {
    match dialect {
        Dialect::Postgres => postgres::normalize::normalize(db, side),
        Dialect::Mysql => mysql::normalize::normalize(db, side),
        Dialect::Sqlite => sqlite::normalize::normalize(db, side),
    }
}

/// The SQL statements that make `change`.
pub fn render(dialect: Dialect, change: &Change) -> Vec<Statement> {
    match dialect {
        Dialect::Postgres => postgres::migrate::render(change),
        Dialect::Mysql => mysql::migrate::render(change),
        Dialect::Sqlite => sqlite::migrate::render(change),
    }
}

/// True when the dialect cannot make `change` with ALTER TABLE, so the planner must fold all
/// changes of that table into one [`Change::RebuildTable`].
pub fn needs_rebuild(dialect: Dialect, change: &Change) -> bool {
    match dialect {
        Dialect::Sqlite => sqlite::migrate::needs_rebuild(change),
        _ => false,
    }
}

/// True when foreign keys can be added to an existing table (not SQLite), which is how
/// the planner breaks foreign-key cycles. Without it, a dialect must accept forward
/// references in CREATE TABLE (SQLite does).
pub fn can_add_foreign_keys(dialect: Dialect) -> bool {
    dialect != Dialect::Sqlite
}

/// True when `change` must commit before later steps can rely on it, so apply runs it on its
/// own outside the plan's transaction: a PostgreSQL enum value added by `ALTER TYPE … ADD VALUE`
/// cannot be used (in a default, a check, a row) until the transaction that added it commits.
pub fn commits_alone(dialect: Dialect, change: &Change) -> bool {
    dialect == Dialect::Postgres && matches!(change, Change::AlterEnum { .. })
}

/// True when DDL runs inside a transaction that can be rolled back (PostgreSQL, SQLite).
pub fn transactional_ddl(dialect: Dialect) -> bool {
    dialect != Dialect::Mysql
}
