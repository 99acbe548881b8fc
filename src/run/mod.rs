//! Run: the engine's pipeline, as the commands use it. Load the desired schema, inspect the
//! live one, normalise both, reconcile with the state, diff, plan (`plan`); apply a plan with
//! progress and record the outcome in the state (`apply`); state-only operations (`ops`).

mod apply;
mod ops;
mod plan;

pub use apply::{ERRORED_STATE, apply};
pub use ops::{import, refresh};
pub use plan::{Intent, plan, plan_for, plan_locked};

use crate::db::{self, Conn};
use crate::dialect::{self, Side};
use crate::diff;
use crate::error::Error;
use crate::plan::{self as planning, Plan};
use crate::source::Src;
use crate::state::State;
use crate::state::backend::{Backend, Guard, Version};
use crate::state::file::StateError;
use crate::state::location::Location;
use crate::target::Target;
use std::path::{Path, PathBuf};

use std::time::Duration;
use strata_schema::{Database, Dialect};

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
    /// Columns renamed in the models, declared in the env (`rename { … }` blocks).
    pub renames: Vec<crate::state::RenameHint>,
    /// What plans leave out and what apply may run (`diff`, `lint` and `policy` blocks).
    pub policy: crate::safety::policy::Policy,
    /// `-target=ADDRESS` (repeatable): plan only these objects and what they depend on.
    pub targets: Vec<String>,
    /// `-exclude=ADDRESS` (repeatable): leave these objects and what depends on them out.
    pub excludes: Vec<String>,
}

/// StateSettings says where an env's state lives and how to lock it.
#[derive(Debug, Clone)]
pub struct StateSettings {
    /// The env name recorded in the state (`default` when no config names one).
    pub env: String,
    /// The local state file, used unless `remote` is set.
    pub path: PathBuf,
    /// A remote backend from the env's `state` block (object storage, database).
    pub remote: Option<Location>,
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
            remote: None,
            lock: true,
            lock_timeout: Duration::ZERO,
        }
    }

    /// Where the state lives: the remote location, else the local file.
    pub fn location(&self) -> Location {
        self.remote
            .clone()
            .unwrap_or_else(|| Location::Local(self.path.clone()))
    }

    /// The backend for [`Self::location`].
    pub fn backend(&self) -> Result<Backend, Error> {
        Backend::open(&self.location(), &self.env).map_err(state_error)
    }
}

/// Planned is a plan plus the open connection it was computed on, ready to apply, and what
/// apply needs to record the outcome in state.
pub struct Planned {
    pub plan: Plan,
    pub conn: Conn,
    desired: Database,
    /// The live schema the plan was computed from (normalised, before reconciliation).
    live: Database,
    state: Option<State>,
    /// The version of `state` read, which the write after apply must replace.
    version: Version,
    scope: Vec<String>,
    settings: Settings,
    /// Held from planning through apply, so nobody changes the state in between.
    _lock: Option<Guard>,
}

impl Planned {
    /// The policy the plan is to be applied under.
    pub fn policy(&self) -> &crate::safety::policy::Policy {
        &self.settings.policy
    }

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

fn state_error(e: StateError) -> Error {
    Error::from(e)
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
    let plan = planning::build(dialect, String::new(), changes, db, &Database::default())
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
