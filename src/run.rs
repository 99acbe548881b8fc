//! Run: the engine's pipeline, as the commands use it. Load the desired schema, inspect the
//! live one, normalise both, diff, plan; apply a plan with progress.

use crate::db::{self, Conn};
use crate::dialect::{self, Side};
use crate::diff;
use crate::error::Error;
use crate::plan::{self, Plan};
use crate::source::{self, Src};
use crate::state::local::{LocalBackend, LocalLock};
use crate::state::{self, State};
use crate::target::Target;
use std::path::{Path, PathBuf};
use std::time::Duration;
use std::time::Instant;
use strata_schema::{Database, Dialect, fingerprint};

/// Settings is everything a command needs to know about its target, resolved from the config
/// file and the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: Target,
    pub srcs: Vec<Src>,
    /// Schemas in scope; empty means the URL's schema, else the connection's current schema.
    pub schemas: Vec<String>,
    /// Glob patterns of tables to leave alone (`legacy_*`, `schema.table`).
    pub exclude: Vec<String>,
    /// Where the state lives and how to lock it.
    pub state: StateSettings,
}

/// StateSettings says where an env's state lives and how to lock it.
#[derive(Debug, Clone)]
pub struct StateSettings {
    /// The env name recorded in the state (`default` when no config names one).
    pub env: String,
    /// The local state file.
    pub path: PathBuf,
    /// `-lock=false` turns locking off.
    pub lock: bool,
    /// `-lock-timeout`: how long to wait for a held lock.
    pub lock_timeout: Duration,
}

impl StateSettings {
    /// The default: `.strata/<env>.state.json` in `dir` (the config file's directory), locked,
    /// no waiting.
    pub fn beside(dir: &Path, env: &str) -> StateSettings {
        StateSettings {
            env: env.to_string(),
            path: dir.join(".strata").join(format!("{env}.state.json")),
            lock: true,
            lock_timeout: Duration::ZERO,
        }
    }

    fn backend(&self) -> LocalBackend {
        LocalBackend {
            path: self.path.clone(),
        }
    }
}

/// Planned is a plan plus the open connection it was computed on, ready to apply, and what
/// apply needs to record the outcome in state.
pub struct Planned {
    pub plan: Plan,
    pub conn: Conn,
    desired: Database,
    state: Option<State>,
    scope: Vec<String>,
    settings: Settings,
    /// Held from planning through apply, so nobody changes the state in between.
    _lock: Option<LocalLock>,
}

impl Planned {
    /// Close the connection (and release the lock) without applying.
    pub async fn close(self) {
        self.conn.close().await;
    }
}

/// ApplyEvent reports progress while a plan runs.
#[derive(Debug, Clone)]
pub enum ApplyEvent {
    /// Step `index` (0-based) of `total` is starting.
    StepStarted {
        index: usize,
        total: usize,
        address: String,
    },
    /// Step `index` finished after `millis`.
    StepDone {
        index: usize,
        total: usize,
        address: String,
        millis: u128,
    },
}

/// The schemas in scope: configured ones, else the URL's, else the connection's current one.
async fn scope(settings: &Settings, conn: &mut Conn) -> Result<Vec<String>, Error> {
    if !settings.schemas.is_empty() {
        return Ok(settings.schemas.clone());
    }
    if let Some(s) = &settings.target.url_schema {
        return Ok(vec![s.clone()]);
    }
    let s = dialect::default_schema(conn).await?;
    if s.is_empty() {
        return Err(Error::Config(format!(
            "{} names no database: add one to the URL ({}/DATABASE)",
            settings.target.redacted(),
            settings.target.redacted().trim_end_matches('/')
        )));
    }
    Ok(vec![s])
}

/// Read the live schemas in `scope`, without the excluded tables, normalised.
async fn live(conn: &mut Conn, scope: &[String], settings: &Settings) -> Result<Database, Error> {
    let mut live = dialect::inspect(conn, scope).await?.database;
    exclude(&mut live, &settings.exclude);
    dialect::normalize(conn.dialect(), &mut live, Side::Live);
    Ok(live)
}

/// Compute the plan for `settings`, reading the state without locking it (`plan`).
pub async fn plan(settings: &Settings) -> Result<Planned, Error> {
    compute(settings, None).await
}

/// Compute the plan for `settings` under the state lock, held until the plan is applied or
/// dropped (`apply`). `on_wait` hears about the holder while waiting for a held lock.
pub async fn plan_locked(
    settings: &Settings,
    operation: &str,
    on_wait: &mut dyn FnMut(&crate::state::lock::LockInfo),
) -> Result<Planned, Error> {
    let lock = if settings.state.lock {
        Some(
            settings
                .state
                .backend()
                .lock(operation, settings.state.lock_timeout, on_wait)
                .map_err(state_error)?,
        )
    } else {
        None
    };
    compute(settings, lock).await
}

fn state_error(e: crate::state::file::StateError) -> Error {
    Error::State(e.to_string())
}

async fn compute(settings: &Settings, lock: Option<LocalLock>) -> Result<Planned, Error> {
    let dialect = settings.target.dialect;
    let state = settings.state.backend().read().map_err(state_error)?;
    let mut conn = db::connect(&settings.target).await?;
    let mut scope = scope(settings, &mut conn).await?;
    let source::Desired {
        database: mut desired,
        warnings,
    } = source::load(&settings.srcs, dialect, &scope[0])?;
    exclude(&mut desired, &settings.exclude);
    for s in desired.schemas.keys() {
        if !scope.contains(s) {
            scope.push(s.clone());
        }
    }
    let live = live(&mut conn, &scope, settings).await?;
    dialect::normalize(dialect, &mut desired, Side::Desired);
    let reconciled = state::reconcile(dialect, &desired, &live, state.as_ref());
    let changes = diff::diff(dialect, &desired, &reconciled.live);
    let mut plan = plan::build(
        dialect,
        settings.target.redacted(),
        changes,
        &desired,
        &reconciled.live,
    )
    .map_err(|e| Error::Plan(e.to_string()))?;
    plan.warnings = warnings;
    plan.unmanaged = reconciled.unmanaged.len();
    plan.drift = reconciled.drift;
    plan.steps
        .splice(0..0, reconciled.adopt.iter().map(|a| plan::Step::adopt(a)));
    plan.basis = plan::Basis {
        state_lineage: state.as_ref().map(|s| s.lineage.clone()),
        state_serial: state.as_ref().map(|s| s.serial),
        desired: fingerprint(&desired),
        live: fingerprint(&live),
    };
    Ok(Planned {
        plan,
        conn,
        desired,
        state,
        scope,
        settings: settings.clone(),
        _lock: lock,
    })
}

/// Inspect the live schema in scope, normalised.
pub async fn inspect(settings: &Settings) -> Result<Database, Error> {
    let mut conn = db::connect(&settings.target).await?;
    let scope = scope(settings, &mut conn).await?;
    let db = live(&mut conn, &scope, settings).await?;
    conn.close().await;
    Ok(db)
}

/// The SQL DDL that creates `db` from nothing, in dependency order.
pub fn ddl(dialect: Dialect, db: &Database) -> Result<String, Error> {
    let changes = diff::diff(dialect, db, &Database::default());
    let plan = plan::build(dialect, String::new(), changes, db, &Database::default())
        .map_err(|e| Error::Plan(e.to_string()))?;
    let mut out = String::new();
    for step in &plan.steps {
        if matches!(step.change, diff::Change::CreateSchema { .. }) && dialect != Dialect::Postgres
        {
            continue;
        }
        for s in &step.statements {
            out.push_str(s.sql.trim_end_matches(';'));
            out.push_str(";\n");
        }
    }
    Ok(out)
}

/// Drop excluded tables from `db`. Patterns are globs (`*`, `?`) over `table` or
/// `schema.table`.
fn exclude(db: &mut Database, patterns: &[String]) {
    if patterns.is_empty() {
        return;
    }
    for schema in db.schemas.values_mut() {
        let name = schema.name.clone();
        schema.tables.retain(|t, _| {
            let full = format!("{name}.{t}");
            !patterns.iter().any(|p| glob(p, t) || glob(p, &full))
        });
    }
}

/// Match `text` against a glob with `*` (any run) and `?` (one character).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// ApplyError says how far an apply got before a statement failed.
fn failed(plan: &Plan, index: usize, sql: &str, err: &sqlx::Error, rolled_back: bool) -> Error {
    let step = &plan.steps[index];
    let outcome = if rolled_back {
        "The transaction was rolled back: nothing was applied.".to_string()
    } else {
        format!(
            "Applied {index} of {} steps; the rest were not run.",
            plan.steps.len()
        )
    };
    let reason = match err {
        sqlx::Error::Database(d) => d.message().to_string(),
        e => e.to_string(),
    };
    Error::Apply(format!(
        "step {} of {} ({}) failed: {reason}\n  statement: {}\n{outcome}",
        index + 1,
        plan.steps.len(),
        step.address,
        sql.trim()
    ))
}

/// Execute a plan: PostgreSQL and SQLite in one transaction (all or nothing), MySQL step by
/// step (it cannot roll DDL back), reporting how far it got.
pub async fn apply(planned: Planned, progress: &mut dyn FnMut(ApplyEvent)) -> Result<(), Error> {
    let Planned {
        plan,
        mut conn,
        desired,
        state,
        scope,
        settings,
        _lock,
    } = planned;
    execute(&plan, &mut conn, progress).await?;
    // What the database reports right after apply is the live form to record.
    let live = live(&mut conn, &scope, &settings).await?;
    conn.close().await;
    let ddl_steps = plan
        .steps
        .iter()
        .filter(|s| !s.statements.is_empty())
        .count();
    let new_state = state::record(
        state,
        &settings.state.env,
        settings.target.fingerprint(),
        &desired,
        &live,
        state::Outcome {
            operation: "apply",
            plan: Some(fingerprint(&plan.steps)),
            steps: ddl_steps,
        },
    );
    write_state(&settings.state.backend(), &new_state)
}

/// Write the state; if that fails after a successful apply, keep it in `errored.strata.json`
/// so nothing is lost, and say how to push it.
fn write_state(backend: &LocalBackend, state: &State) -> Result<(), Error> {
    let Err(e) = backend.write(state) else {
        return Ok(());
    };
    let saved = std::path::Path::new(ERRORED_STATE);
    let kept = std::fs::write(saved, crate::state::file::encode(state));
    Err(Error::State(match kept {
        Ok(()) => format!(
            "the schema changes were applied, but writing the state failed: {e}\nThe new state was saved to {ERRORED_STATE}; once the problem is fixed, run: strata state push {ERRORED_STATE}"
        ),
        Err(e2) => format!(
            "the schema changes were applied, but writing the state failed: {e}; saving it to {ERRORED_STATE} failed too: {e2}. The database is ahead of the state: run `strata apply` again to adopt what exists."
        ),
    }))
}

/// The file a new state goes to when it cannot be written to its backend.
pub const ERRORED_STATE: &str = "errored.strata.json";

/// Run the plan's statements: PostgreSQL and SQLite in one transaction, MySQL one by one.
async fn execute(
    plan: &Plan,
    conn: &mut Conn,
    progress: &mut dyn FnMut(ApplyEvent),
) -> Result<(), Error> {
    if plan.is_empty() {
        return Ok(());
    }
    let transactional = dialect::transactional_ddl(plan.dialect);
    let sqlite = plan.dialect == Dialect::Sqlite;
    let exec = |e: sqlx::Error| Error::Apply(e.to_string());
    if sqlite {
        // Rebuilds drop and re-create tables; with foreign keys on, dropping a parent would
        // cascade into its children. The pragma is a no-op inside a transaction.
        conn.execute("PRAGMA foreign_keys = OFF")
            .await
            .map_err(exec)?;
    }
    if transactional {
        conn.execute("BEGIN").await.map_err(exec)?;
    }
    let total = plan.steps.len();
    for (index, step) in plan.steps.iter().enumerate() {
        let address = step.address.clone();
        progress(ApplyEvent::StepStarted {
            index,
            total,
            address: address.clone(),
        });
        let started = Instant::now();
        for statement in &step.statements {
            if let Err(e) = conn.execute(&statement.sql).await {
                if transactional {
                    let _ = conn.execute("ROLLBACK").await;
                }
                if sqlite {
                    let _ = conn.execute("PRAGMA foreign_keys = ON").await;
                }
                return Err(failed(plan, index, &statement.sql, &e, transactional));
            }
        }
        progress(ApplyEvent::StepDone {
            index,
            total,
            address,
            millis: started.elapsed().as_millis(),
        });
    }
    if sqlite {
        let violations = sqlite_fk_violations(conn).await.map_err(exec)?;
        if !violations.is_empty() {
            let _ = conn.execute("ROLLBACK").await;
            let _ = conn.execute("PRAGMA foreign_keys = ON").await;
            return Err(Error::Apply(format!(
                "the new schema would break foreign keys on existing rows ({}). The transaction was rolled back: nothing was applied.",
                violations.join("; ")
            )));
        }
    }
    if transactional {
        conn.execute("COMMIT").await.map_err(exec)?;
    }
    if sqlite {
        conn.execute("PRAGMA foreign_keys = ON")
            .await
            .map_err(exec)?;
    }
    Ok(())
}

/// Rows that violate a foreign key, as `table row N -> parent` (at most five).
async fn sqlite_fk_violations(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    let Conn::Sqlite(c) = conn else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 5")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(t, id, p)| {
            format!(
                "{t} row {} -> {p}",
                id.map(|i| i.to_string()).unwrap_or("?".into())
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn glob_matches() {
        assert!(super::glob("legacy_*", "legacy_users"));
        assert!(super::glob("public.t?", "public.t1"));
        assert!(!super::glob("legacy_*", "users"));
        assert!(super::glob("*", ""));
    }
}
