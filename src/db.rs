//! Connections: one enum over the three sqlx drivers, opened from a [`Target`].
//!
//! Concrete connection types (not sqlx's `Any`) keep catalog reading typed per dialect.

use crate::target::Target;
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;
use strata_schema::Dialect;
use thiserror::Error;

/// Conn is an open connection to the target.
pub enum Conn {
    Postgres(sqlx::PgConnection),
    Mysql(sqlx::MySqlConnection),
    Sqlite(sqlx::SqliteConnection),
}

/// DbError is a failure to reach or talk to the target. Messages never hold a password.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot connect to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("{dialect}: {context}: {reason}")]
    Query {
        dialect: Dialect,
        context: String,
        reason: String,
    },
}

impl DbError {
    /// A query error with the dialect and what was being done.
    pub fn query(
        dialect: Dialect,
        context: impl Into<String>,
        err: impl std::fmt::Display,
    ) -> DbError {
        DbError::Query {
            dialect,
            context: context.into(),
            reason: err.to_string(),
        }
    }
}

/// Connect to the target; SQLite files are created when missing.
pub async fn connect(target: &Target) -> Result<Conn, DbError> {
    let scrub = |e: sqlx::Error| {
        let mut reason = e.to_string();
        if let Some(pw) = target.password() {
            reason = reason.replace(&pw, "xxxxx");
        }
        DbError::Connect {
            target: target.redacted(),
            reason,
        }
    };
    match target.dialect {
        Dialect::Postgres => {
            let mut opts = sqlx::postgres::PgConnectOptions::from_str(target.secret_url())
                .map_err(scrub)?
                .disable_statement_logging();
            // sqlx ignores `?search_path=` in URLs; Atlas-style URLs rely on it, so pass it as
            // a startup option: unqualified names then resolve where the user expects.
            if let Some(schema) = &target.url_schema {
                opts = opts.options([("search_path", schema.as_str())]);
            }
            let conn = tokio::time::timeout(Duration::from_secs(10), opts.connect())
                .await
                .map_err(|_| DbError::Connect {
                    target: target.redacted(),
                    reason: "timed out after 10s".into(),
                })?
                .map_err(scrub)?;
            Ok(Conn::Postgres(conn))
        }
        Dialect::Mysql => {
            let opts = sqlx::mysql::MySqlConnectOptions::from_str(target.secret_url())
                .map_err(scrub)?
                .disable_statement_logging();
            let conn = tokio::time::timeout(Duration::from_secs(10), opts.connect())
                .await
                .map_err(|_| DbError::Connect {
                    target: target.redacted(),
                    reason: "timed out after 10s".into(),
                })?
                .map_err(scrub)?;
            Ok(Conn::Mysql(conn))
        }
        Dialect::Sqlite => {
            let opts = match &target.sqlite_path {
                Some(path) => sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true),
                None => sqlx::sqlite::SqliteConnectOptions::from_str("sqlite::memory:")
                    .map_err(scrub)?,
            };
            let conn = opts
                .disable_statement_logging()
                .connect()
                .await
                .map_err(scrub)?;
            Ok(Conn::Sqlite(conn))
        }
    }
}

impl Conn {
    /// The dialect spoken on this connection.
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Postgres(_) => Dialect::Postgres,
            Conn::Mysql(_) => Dialect::Mysql,
            Conn::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// Execute SQL text (one or more statements) with the simple-query protocol.
    pub async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Postgres(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
            Conn::Mysql(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
            Conn::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
        }
    }

    /// Close the connection politely.
    pub async fn close(self) {
        let _ = match self {
            Conn::Postgres(c) => c.close().await,
            Conn::Mysql(c) => c.close().await,
            Conn::Sqlite(c) => c.close().await,
        };
    }
}
