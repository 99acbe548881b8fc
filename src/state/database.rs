//! The database backend: the state kept in the database it describes (or another one named by
//! URL), in a table `strata_state` with one row per written version, and locked with the
//! database's own session locks — `pg_advisory_lock`, MySQL's `GET_LOCK` — which the server
//! releases when the holding connection ends, so a crashed holder can never leave a stale lock.
//! SQLite has no session locks; there the lock is the OS lock on a file beside the database
//! (the local backend's lock), which dies with its process just the same.
//!
//! Rows are never updated: a write inserts version N+1 after checking that N is still the
//! newest (compare-and-swap; the primary key refuses a concurrent twin), and the rows of older
//! versions are the backups. Who holds the lock is recorded in `strata_state_lock`, for
//! messages only: the session lock is what excludes.

use super::State;
use super::backend::Version;
use super::file::{StateError, decode, encode};
use super::lock::{self, LocalLock, LockInfo, Unlocked};
use crate::db::{self, Conn};
use crate::target::Target;
use std::time::{Duration, Instant};
use strata_schema::Dialect;

/// The state table, and the table of lock records; plans never see either.
pub const TABLES: [&str; 2] = ["strata_state", "strata_state_lock"];

/// How many versions a state keeps (the newest and the backups before it).
const KEEP: i64 = 20;

/// DatabaseBackend keeps states in a table of one database.
pub struct DatabaseBackend {
    target: Target,
    /// The state's name in the table: the env.
    name: String,
}

/// DatabaseLock is a held session lock: the connection that holds it (PostgreSQL, MySQL) or
/// the OS lock beside the SQLite file. Dropping it ends the session, which releases the lock.
pub struct DatabaseLock {
    pub info: LockInfo,
    _held: Held,
}

enum Held {
    Session { _conn: Conn },
    File { _lock: LocalLock },
}

impl DatabaseBackend {
    pub fn new(target: &Target, name: &str) -> DatabaseBackend {
        DatabaseBackend {
            target: target.clone(),
            name: name.to_string(),
        }
    }

    pub fn shown(&self) -> String {
        format!("table strata_state in {}", self.target.redacted())
    }

    async fn connect(&self) -> Result<Conn, StateError> {
        db::connect(&self.target)
            .await
            .map_err(|e| StateError::Remote {
                location: self.shown(),
                reason: format!("cannot connect: {e}"),
            })
    }

    fn failed(&self, doing: &str, e: sqlx::Error) -> StateError {
        StateError::Remote {
            location: self.shown(),
            reason: format!("{doing} failed: {e}"),
        }
    }

    /// The newest state and its row version.
    pub async fn read(&self) -> Result<(Option<State>, Version), StateError> {
        let mut conn = self.connect().await?;
        let read = self.read_on(&mut conn).await;
        conn.close().await;
        read
    }

    async fn read_on(&self, conn: &mut Conn) -> Result<(Option<State>, Version), StateError> {
        if !table_exists(conn)
            .await
            .map_err(|e| self.failed("reading the state", e))?
        {
            return Ok((None, Version::Absent));
        }
        let sql =
            "SELECT version, body FROM strata_state WHERE name = $1 ORDER BY version DESC LIMIT 1";
        let row: Option<(i64, String)> = match conn {
            Conn::Postgres(c) => sqlx::query_as(sql).bind(&self.name).fetch_optional(c).await,
            Conn::Mysql(c) => {
                sqlx::query_as(&sql.replace("$1", "?"))
                    .bind(&self.name)
                    .fetch_optional(c)
                    .await
            }
            Conn::Sqlite(c) => sqlx::query_as(sql).bind(&self.name).fetch_optional(c).await,
        }
        .map_err(|e| self.failed("reading the state", e))?;
        match row {
            None => Ok((None, Version::Absent)),
            Some((version, body)) => {
                Ok((Some(decode(&body, &self.shown())?), Version::Row(version)))
            }
        }
    }

    /// Insert the state as the version after `replaces`, if that is still the newest.
    pub async fn write(&self, state: &State, replaces: &Version) -> Result<Version, StateError> {
        let mut conn = self.connect().await?;
        let written = async {
            create_tables(&mut conn)
                .await
                .map_err(|e| self.failed("creating the state table", e))?;
            conn.execute("BEGIN")
                .await
                .map_err(|e| self.failed("writing the state", e))?;
            let written = self.write_on(&mut conn, state, replaces).await;
            let end = if written.is_ok() {
                "COMMIT"
            } else {
                "ROLLBACK"
            };
            conn.execute(end)
                .await
                .map_err(|e| self.failed("writing the state", e))?;
            written
        }
        .await;
        conn.close().await;
        written
    }

    /// Whether an apply on `target` can write the state in its own transaction: the state
    /// table is in that very database and its DDL is transactional (PostgreSQL). Then schema
    /// and state commit together or not at all, and can never disagree.
    pub fn shares_transaction_with(&self, target: &Target) -> bool {
        self.target == *target && target.dialect == Dialect::Postgres
    }

    /// Write the state on the apply's connection, inside its open transaction (see
    /// [`Self::shares_transaction_with`]); creating the table on first use is transactional
    /// too. The caller commits or rolls back.
    pub async fn write_in_transaction(
        &self,
        conn: &mut Conn,
        state: &State,
        replaces: &Version,
    ) -> Result<Version, StateError> {
        create_tables(conn)
            .await
            .map_err(|e| self.failed("creating the state table", e))?;
        self.write_on(conn, state, replaces).await
    }

    /// The compare-and-swap insert, on a connection inside a transaction.
    async fn write_on(
        &self,
        conn: &mut Conn,
        state: &State,
        replaces: &Version,
    ) -> Result<Version, StateError> {
        let (_, current) = self.read_on(conn).await?;
        let next = match (&current, replaces) {
            (Version::Absent, Version::Absent | Version::Unchecked) => 1,
            (Version::Row(now), Version::Row(read)) if now == read => now + 1,
            (Version::Row(now), Version::Unchecked) => now + 1,
            _ => {
                return Err(StateError::Stale {
                    version: format!("read at {replaces}, now at {current}"),
                });
            }
        };
        let body = encode(state);
        // The same two statements on each driver: their connection types differ, the code
        // does not. MySQL spells placeholders `?`.
        macro_rules! insert_then_prune {
            ($c:expr, $insert:expr, $prune:expr) => {
                match sqlx::query($insert)
                    .bind(&self.name)
                    .bind(next)
                    .bind(&body)
                    .execute(&mut *$c)
                    .await
                {
                    Ok(_) => sqlx::query($prune)
                        .bind(&self.name)
                        .bind(next - KEEP)
                        .execute($c)
                        .await
                        .map(drop),
                    Err(e) => Err(e),
                }
            };
        }
        let insert = "INSERT INTO strata_state (name, version, body) VALUES ($1, $2, $3)";
        let prune = "DELETE FROM strata_state WHERE name = $1 AND version <= $2";
        let done = match conn {
            Conn::Postgres(c) => insert_then_prune!(c, insert, prune),
            Conn::Mysql(c) => insert_then_prune!(
                c,
                "INSERT INTO strata_state (name, version, body) VALUES (?, ?, ?)",
                "DELETE FROM strata_state WHERE name = ? AND version <= ?"
            ),
            Conn::Sqlite(c) => insert_then_prune!(c, insert, prune),
        };
        match done {
            Ok(()) => Ok(Version::Row(next)),
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Err(StateError::Stale {
                version: format!("row version {next} was written by another process"),
            }),
            Err(e) => Err(self.failed("writing the state", e)),
        }
    }

    /// Older versions stay in the table; name the newest one as the backup.
    pub async fn backup_timestamped(&self) -> Result<Option<String>, StateError> {
        Ok(match self.read().await?.1 {
            Version::Row(v) => Some(format!(
                "{} (row version {v} of {:?})",
                self.shown(),
                self.name
            )),
            _ => None,
        })
    }

    /// The file lock beside a SQLite database.
    fn sqlite_lock_path(&self) -> std::path::PathBuf {
        let file = self.target.sqlite_path.clone().unwrap_or_default();
        let mut name = file.file_name().unwrap_or_default().to_os_string();
        name.push(".strata-lock");
        file.with_file_name(name)
    }

    /// Take the session lock, waiting up to `timeout`.
    pub async fn lock(
        &self,
        operation: &str,
        timeout: Duration,
        on_wait: &mut dyn FnMut(&LockInfo),
    ) -> Result<DatabaseLock, StateError> {
        if self.target.dialect == Dialect::Sqlite {
            let held = lock::acquire(
                &self.sqlite_lock_path(),
                &self.shown(),
                operation,
                timeout,
                on_wait,
            )?;
            return Ok(DatabaseLock {
                info: held.info.clone(),
                _held: Held::File { _lock: held },
            });
        }
        let mut conn = self.connect().await?;
        let deadline = Instant::now() + timeout;
        let mut backoff = Duration::from_millis(50);
        let mut reported: Option<String> = None;
        loop {
            if try_session_lock(&mut conn, &self.name)
                .await
                .map_err(|e| self.failed("taking the lock", e))?
            {
                let info = LockInfo::new(operation, &self.shown());
                self.record(&mut conn, &info)
                    .await
                    .map_err(|e| self.failed("recording the lock", e))?;
                return Ok(DatabaseLock {
                    info,
                    _held: Held::Session { _conn: conn },
                });
            }
            let holder = self
                .lock_record_on(&mut conn)
                .await?
                .unwrap_or_else(|| LockInfo::new("unknown", &self.shown()));
            let now = Instant::now();
            if now >= deadline {
                conn.close().await;
                return Err(if timeout.is_zero() {
                    StateError::Locked(Box::new(holder))
                } else {
                    StateError::LockTimeout {
                        holder: Box::new(holder),
                        waited: timeout,
                    }
                });
            }
            if reported.as_deref() != Some(holder.id.as_str()) {
                on_wait(&holder);
                reported = Some(holder.id.clone());
            }
            tokio::time::sleep(backoff.min(deadline - now)).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
        }
    }

    /// Write the holder's record (creating the tables on first use, under the lock).
    async fn record(&self, conn: &mut Conn, info: &LockInfo) -> Result<(), sqlx::Error> {
        create_tables(conn).await?;
        let text = serde_json::to_string(info).expect("a lock record serialises");
        match conn {
            Conn::Postgres(c) => sqlx::query("INSERT INTO strata_state_lock (name, info) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET info = EXCLUDED.info")
                .bind(&self.name).bind(&text).execute(c).await.map(drop),
            Conn::Mysql(c) => sqlx::query("REPLACE INTO strata_state_lock (name, info) VALUES (?, ?)")
                .bind(&self.name).bind(&text).execute(c).await.map(drop),
            Conn::Sqlite(_) => Ok(()),
        }
    }

    async fn lock_record_on(&self, conn: &mut Conn) -> Result<Option<LockInfo>, StateError> {
        let sql = "SELECT info FROM strata_state_lock WHERE name = $1";
        let exists = lock_table_exists(conn)
            .await
            .map_err(|e| self.failed("reading the lock", e))?;
        if !exists {
            return Ok(None);
        }
        let text: Option<String> = match conn {
            Conn::Postgres(c) => {
                sqlx::query_scalar(sql)
                    .bind(&self.name)
                    .fetch_optional(c)
                    .await
            }
            Conn::Mysql(c) => {
                sqlx::query_scalar(&sql.replace("$1", "?"))
                    .bind(&self.name)
                    .fetch_optional(c)
                    .await
            }
            Conn::Sqlite(_) => Ok(None),
        }
        .map_err(|e| self.failed("reading the lock", e))?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The holder's record while the session lock is held; `None` when nobody holds it (a
    /// record left by a crashed holder is not a lock).
    pub async fn lock_record(&self) -> Result<Option<LockInfo>, StateError> {
        if self.target.dialect == Dialect::Sqlite {
            return lock::record(&self.sqlite_lock_path());
        }
        let mut conn = self.connect().await?;
        let free = try_session_lock(&mut conn, &self.name)
            .await
            .map_err(|e| self.failed("reading the lock", e))?;
        let record = if free {
            Ok(None)
        } else {
            self.lock_record_on(&mut conn).await
        };
        conn.close().await;
        record
    }

    /// Session locks die with their connection; a live holder's cannot be broken from
    /// outside without ending its session, which is the database administrator's call.
    pub async fn force_unlock(&self, id: &str) -> Result<Unlocked, StateError> {
        if self.target.dialect == Dialect::Sqlite {
            return lock::force_unlock(&self.sqlite_lock_path(), &self.shown(), id);
        }
        match self.lock_record().await? {
            None => Err(StateError::NotLocked { path: self.shown() }),
            Some(holder) => Err(StateError::Remote {
                location: self.shown(),
                reason: format!(
                    "the lock ({holder}) is a database session lock: it is released when its holder's connection ends, and cannot be removed from outside. Stop that process, or end its session (PostgreSQL: pg_terminate_backend; MySQL: KILL)"
                ),
            }),
        }
    }
}

/// One attempt at the session lock, without waiting. The lock is named after the state and
/// the namespace its table lives in (PostgreSQL's current schema, MySQL's current database):
/// advisory locks are database-wide (PostgreSQL) or server-wide (MySQL), and two states in two
/// schemas of one server must not exclude each other. MySQL lock names are at most 64
/// characters, hence the digest.
async fn try_session_lock(conn: &mut Conn, name: &str) -> Result<bool, sqlx::Error> {
    match conn {
        Conn::Postgres(c) => sqlx::query_scalar(
            "SELECT pg_try_advisory_lock(hashtextextended('strata:' || coalesce(current_schema(), '') || ':' || $1, 0))",
        )
        .bind(name)
        .fetch_one(c)
        .await,
        Conn::Mysql(c) => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT GET_LOCK(CONCAT('strata:', SHA1(CONCAT(COALESCE(DATABASE(), ''), ':', ?))), 0)",
        )
        .bind(name)
        .fetch_one(c)
        .await
        .map(|v| v == Some(1)),
        Conn::Sqlite(_) => Ok(true),
    }
}

async fn table_exists(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    exists(conn, TABLES[0]).await
}

async fn lock_table_exists(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    exists(conn, TABLES[1]).await
}

async fn exists(conn: &mut Conn, table: &str) -> Result<bool, sqlx::Error> {
    match conn {
        Conn::Postgres(c) => sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL").bind(table).fetch_one(c).await,
        Conn::Mysql(c) => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?").bind(table).fetch_one(c).await.map(|n| n > 0),
        Conn::Sqlite(c) => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?").bind(table).fetch_one(c).await.map(|n| n > 0),
    }
}

async fn create_tables(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let ddl: &[&str] = match conn.dialect() {
        Dialect::Postgres => &[
            "CREATE TABLE IF NOT EXISTS strata_state (name text NOT NULL, version bigint NOT NULL, body text NOT NULL, written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (name, version))",
            "CREATE TABLE IF NOT EXISTS strata_state_lock (name text PRIMARY KEY, info text NOT NULL)",
        ],
        Dialect::Mysql => &[
            "CREATE TABLE IF NOT EXISTS strata_state (name varchar(191) NOT NULL, version bigint NOT NULL, body longtext NOT NULL, written_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (name, version))",
            "CREATE TABLE IF NOT EXISTS strata_state_lock (name varchar(191) PRIMARY KEY, info text NOT NULL)",
        ],
        Dialect::Sqlite => &[
            "CREATE TABLE IF NOT EXISTS strata_state (name TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (name, version))",
        ],
    };
    for sql in ddl {
        conn.execute(sql).await?;
    }
    Ok(())
}
