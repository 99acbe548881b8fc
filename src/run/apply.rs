//! Applying a plan: execute its statements with the dialect's transaction semantics, then
//! record the outcome in the state.
//!
//! PostgreSQL and SQLite run the whole plan in one transaction: all or nothing. MySQL cannot
//! roll DDL back, so it runs step by step and records each completed step in the state as it
//! completes (provisionally, see [`state::journal`]): an apply killed half-way leaves a state
//! that owns what was created, and the next apply resumes from what is left.
//!
//! With the state in the target's own PostgreSQL database (`state { backend = "database" }`),
//! the state row is written inside the plan's transaction, before COMMIT: schema and state
//! commit together or not at all.
//!
//! The first Ctrl-C lets the running statement finish, then stops: a transactional plan is
//! rolled back (nothing applied, state unchanged); a MySQL plan keeps the completed steps,
//! which are already journalled. Either way the lock is released and the exit code says
//! "cancelled".

use super::{ApplyEvent, Planned, live, state_error};
use crate::db::Conn;
use crate::dialect;
use crate::error::Error;
use crate::plan::Plan;
use crate::state::backend::{Backend, Version};
use crate::state::database::DatabaseBackend;
use crate::state::{self, State};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use strata_schema::{Dialect, fingerprint};

/// The file a new state goes to when it cannot be written to its backend.
pub const ERRORED_STATE: &str = "errored.strata.json";

/// Execute a plan and record the outcome in the state.
pub async fn apply(planned: Planned, progress: &mut dyn FnMut(ApplyEvent)) -> Result<(), Error> {
    let Planned {
        plan,
        mut conn,
        desired,
        live: _,
        state,
        version,
        scope,
        settings,
        _lock,
    } = planned;
    if !plan.blocking.is_empty() {
        conn.close().await;
        return Err(Error::Blocked(format!(
            "the plan cannot succeed on the current data; nothing was applied:\n  {}",
            plan.blocking.join("\n  ")
        )));
    }
    let backend = match settings.state.backend() {
        Ok(b) => b,
        Err(e) => {
            conn.close().await;
            return Err(e);
        }
    };
    let transactional = dialect::transactional_ddl(plan.dialect);
    // Without one transaction around the whole plan (MySQL, or a plan with online steps that
    // commit on their own), completed steps are journalled as they complete.
    let all_or_nothing = transactional && plan.steps.iter().all(|s| s.transactional);
    let mut journal = (!all_or_nothing).then(|| Journal {
        backend: &backend,
        state: state
            .clone()
            .unwrap_or_else(|| State::new(&settings.state.env, settings.target.fingerprint())),
        wanted: state::objects(&desired),
        version: version.clone(),
        pending: 0,
        last_write: None,
    });
    let interrupted = on_interrupt();
    if let Err(e) = session_timeouts(&mut conn, &settings.policy).await {
        conn.close().await;
        return Err(e);
    }
    // With the state in the target's own PostgreSQL database, the state row joins the DDL's
    // transaction: execute leaves it open, and it commits below with the state written.
    let same_transaction = match &backend {
        Backend::Database(db)
            if all_or_nothing
                && !plan.is_empty()
                && db.shares_transaction_with(&settings.target) =>
        {
            Some(db)
        }
        _ => None,
    };
    let commit = same_transaction.is_none();
    let outcome = execute(
        &plan,
        &mut conn,
        progress,
        &interrupted,
        journal.as_mut(),
        commit,
    )
    .await;
    // Whatever stopped the apply, the journal records every step that completed.
    if let Some(j) = journal.as_mut()
        && let Err(e) = j.flush().await
        && outcome.is_ok()
    {
        conn.close().await;
        return Err(e);
    }
    let stop = match outcome {
        Ok(stop) => stop,
        Err(e) => {
            conn.close().await;
            return Err(e);
        }
    };
    if stop == Stop::Interrupted {
        conn.close().await;
        return Err(Error::Cancelled);
    }
    // What the database reports right after apply is the live form to record (inside the
    // still-open transaction when the state joins it: the connection sees its own DDL).
    let live = live(&mut conn, &scope, &settings).await?;
    let identities = dialect::identities(&mut conn, &scope).await?;
    let (base, version) = match journal {
        Some(j) if j.writes() > 0 => (Some(j.state), j.version),
        _ => (state, version),
    };
    let ddl_steps = plan
        .steps
        .iter()
        .filter(|s| !s.statements.is_empty())
        .count();
    let new_state = state::record(
        base,
        &settings.state.env,
        settings.target.fingerprint(),
        &desired,
        &live,
        state::Outcome {
            operation: "apply",
            identities: &identities,
            plan: Some(fingerprint(&plan.steps)),
            steps: ddl_steps,
        },
    );
    if let Some(db) = same_transaction {
        return commit_with_state(conn, db, &new_state, &version).await;
    }
    conn.close().await;
    write_state(&backend, &new_state, &version).await
}

/// Insert the state row in the apply's open transaction, then commit both; if the write
/// fails, roll both back, so the schema never runs ahead of its state.
async fn commit_with_state(
    mut conn: Conn,
    backend: &DatabaseBackend,
    state: &State,
    version: &Version,
) -> Result<(), Error> {
    let result = match backend.write_in_transaction(&mut conn, state, version).await {
        Ok(_) => conn.execute("COMMIT").await.map_err(|e| {
            Error::Apply(format!(
                "COMMIT of the schema changes and the state failed: {e}. Both or neither were applied: run `strata plan` to see which"
            ))
        }),
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(Error::State(format!(
                "writing the state failed: {e}\nThe transaction was rolled back: no schema change was applied and the state is unchanged."
            )))
        }
    };
    conn.close().await;
    result
}

/// Write the state over `version`; if that fails after a successful apply (a network error,
/// a concurrent writer), keep it in `errored.strata.json` so nothing is lost, and say how to
/// push it.
pub(super) async fn write_state(
    backend: &Backend,
    state: &State,
    version: &Version,
) -> Result<(), Error> {
    let Err(e) = backend.write(state, version).await else {
        return Ok(());
    };
    let kept = std::fs::write(ERRORED_STATE, state::file::encode(state));
    Err(Error::State(match kept {
        Ok(()) => format!(
            "the schema changes were applied, but writing the state failed: {e}\nThe new state was saved to {ERRORED_STATE}; once the problem is fixed, run: strata state push {ERRORED_STATE}"
        ),
        Err(e2) => format!(
            "the schema changes were applied, but writing the state failed: {e}; saving it to {ERRORED_STATE} failed too: {e2}. The database is ahead of the state: run `strata apply` again to adopt what exists."
        ),
    }))
}

/// Journal records MySQL steps in the state as they complete (see [`state::journal`]).
struct Journal<'a> {
    backend: &'a Backend,
    state: State,
    /// The desired schema's objects by address, computed once.
    wanted: std::collections::BTreeMap<String, state::ObjectRef<'a>>,
    /// The version the next journal write replaces.
    version: Version,
    /// Steps recorded since the last write.
    pending: usize,
    last_write: Option<Instant>,
}

/// How often the journal writes the state while steps complete. The first step is written at
/// once; after that at most this often, because each write rewrites the whole state (writing
/// after every step made large MySQL applies quadratic). A step completed but not yet written
/// when the process dies loses nothing: what it created is desired and live, so the next plan
/// adopts it. Errors and Ctrl-C flush the journal before returning.
const JOURNAL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

impl Journal<'_> {
    async fn step_done(&mut self, step: &crate::plan::Step) -> Result<(), Error> {
        state::journal::step_done(&mut self.state, step, &self.wanted);
        self.pending += 1;
        if self
            .last_write
            .is_none_or(|t| t.elapsed() >= JOURNAL_INTERVAL)
        {
            self.flush().await?;
        }
        Ok(())
    }

    /// Write the steps recorded since the last write, if any.
    async fn flush(&mut self) -> Result<(), Error> {
        if self.pending == 0 {
            return Ok(());
        }
        state::journal::written(&mut self.state, self.pending);
        self.version = self
            .backend
            .write(&self.state, &self.version)
            .await
            .map_err(state_error)?;
        self.pending = 0;
        self.last_write = Some(Instant::now());
        Ok(())
    }

    /// How many journal entries were written.
    fn writes(&self) -> usize {
        self.state
            .history
            .iter()
            .filter(|h| h.operation == state::journal::OPERATION)
            .count()
    }
}

/// Set the policy's lock and statement timeouts for this apply session, so a step waiting on
/// a busy table gives up instead of queueing every other session behind its lock.
async fn session_timeouts(
    conn: &mut Conn,
    policy: &crate::safety::policy::Policy,
) -> Result<(), Error> {
    let settings: Vec<String> = match conn.dialect() {
        Dialect::Postgres => [
            ("lock_timeout", &policy.lock_timeout),
            ("statement_timeout", &policy.statement_timeout),
        ]
        .into_iter()
        .filter_map(|(name, v)| {
            v.as_ref()
                .map(|v| format!("SET {name} = '{}'", v.replace('\'', "''")))
        })
        .collect(),
        Dialect::Mysql => {
            let secs = |v: &Option<String>| -> Result<Option<u64>, Error> {
                v.as_deref()
                    .map(|t| {
                        crate::duration::parse(t)
                            .map(|d| d.as_secs().max(1))
                            .map_err(Error::Config)
                    })
                    .transpose()
            };
            let mut out = Vec::new();
            if let Some(s) = secs(&policy.lock_timeout)? {
                out.push(format!("SET SESSION lock_wait_timeout = {s}"));
                out.push(format!("SET SESSION innodb_lock_wait_timeout = {s}"));
            }
            if let Some(s) = secs(&policy.statement_timeout)? {
                out.push(format!("SET SESSION max_statement_time = {s}"));
            }
            out
        }
        Dialect::Sqlite => Vec::new(),
    };
    for sql in settings {
        conn.execute(&sql)
            .await
            .map_err(|e| Error::Apply(format!("{sql}: {e}")))?;
    }
    Ok(())
}

/// Why execution stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Done,
    Interrupted,
}

/// A flag raised by the first Ctrl-C. The handler stays installed for the rest of the process,
/// so the default "kill at once" never happens while a statement runs.
fn on_interrupt() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let raised = flag.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nInterrupt received: finishing the running statement, then stopping.");
            raised.store(true, Ordering::SeqCst);
        }
    });
    flag
}

/// How far an apply got before a statement failed.
fn failed(plan: &Plan, index: usize, sql: &str, err: &sqlx::Error, rolled_back: bool) -> Error {
    let step = &plan.steps[index];
    let outcome = if rolled_back {
        "The transaction was rolled back: nothing was applied.".to_string()
    } else {
        format!(
            "Applied {index} of {} steps (recorded in the state); the rest were not run. Fix the cause and run apply again: it resumes from what is left.",
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

/// Run the plan's statements: PostgreSQL and SQLite in one transaction, MySQL one by one with
/// each completed step journalled. Without `commit`, a transactional plan's transaction is
/// left open for the caller to finish (the state joins it).
async fn execute(
    plan: &Plan,
    conn: &mut Conn,
    progress: &mut dyn FnMut(ApplyEvent),
    interrupted: &AtomicBool,
    mut journal: Option<&mut Journal<'_>>,
    commit: bool,
) -> Result<Stop, Error> {
    if plan.is_empty() {
        return Ok(Stop::Done);
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
    let undo = async |conn: &mut Conn| {
        if transactional {
            let _ = conn.execute("ROLLBACK").await;
        }
        if sqlite {
            let _ = conn.execute("PRAGMA foreign_keys = ON").await;
        }
    };
    let total = plan.steps.len();
    for (index, step) in plan.steps.iter().enumerate() {
        if interrupted.load(Ordering::SeqCst) {
            undo(conn).await;
            return Ok(Stop::Interrupted);
        }
        let address = step.address.clone();
        progress(ApplyEvent::StepStarted {
            index,
            total,
            address: address.clone(),
        });
        let started = Instant::now();
        // An online step runs on its own: commit what came before, run it, open a new
        // transaction for what follows.
        let alone = transactional && !step.transactional;
        if alone {
            conn.execute("COMMIT").await.map_err(exec)?;
        }
        for statement in &step.statements {
            if let Err(e) = conn.execute(&statement.sql).await {
                if !alone {
                    undo(conn).await;
                }
                let rolled_back =
                    transactional && !alone && plan.steps[..index].iter().all(|s| s.transactional);
                return Err(failed(plan, index, &statement.sql, &e, rolled_back));
            }
        }
        if alone {
            conn.execute("BEGIN").await.map_err(exec)?;
        }
        if let Some(j) = journal.as_deref_mut() {
            j.step_done(step).await?;
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
            undo(conn).await;
            return Err(Error::Apply(format!(
                "the new schema would break foreign keys on existing rows ({}). The transaction was rolled back: nothing was applied.",
                violations.join("; ")
            )));
        }
    }
    if transactional && commit {
        conn.execute("COMMIT").await.map_err(exec)?;
    }
    if sqlite {
        conn.execute("PRAGMA foreign_keys = ON")
            .await
            .map_err(exec)?;
    }
    Ok(Stop::Done)
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
