//! Run: the engine's pipeline, as the commands use it. Load the desired schema, inspect the
//! live one, normalise both, diff, plan; apply a plan with progress.

use crate::db::Conn;
use crate::error::Error;
use crate::plan::Plan;
use crate::source::Src;
use crate::target::Target;
use strata_schema::Database;

/// Settings is everything a command needs to know about its target, resolved from the config
/// file and the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: Target,
    pub srcs: Vec<Src>,
    /// Schemas in scope; empty means the connection's current schema.
    pub schemas: Vec<String>,
    /// Glob patterns of tables to leave alone (`legacy_*`, `schema.table`).
    pub exclude: Vec<String>,
}

/// Planned is a plan plus the open connection it was computed on, ready to apply.
pub struct Planned {
    pub plan: Plan,
    pub conn: Conn,
}

/// ApplyEvent reports progress while a plan runs.
#[derive(Debug, Clone)]
pub enum ApplyEvent {
    /// Step `index` (0-based) of `total` is starting.
    StepStarted { index: usize, total: usize, address: String },
    /// Step `index` finished after `millis`.
    StepDone { index: usize, total: usize, address: String, millis: u128 },
}

/// Compute the plan for `settings`.
pub async fn plan(_settings: &Settings) -> Result<Planned, Error> {
    Err(Error::Plan("not implemented yet".into()))
}

/// Execute a plan: PostgreSQL and SQLite in one transaction, MySQL step by step.
pub async fn apply(_planned: Planned, _progress: &mut dyn FnMut(ApplyEvent)) -> Result<(), Error> {
    Err(Error::Apply("not implemented yet".into()))
}

/// Inspect the live schema in scope, normalised.
pub async fn inspect(_settings: &Settings) -> Result<Database, Error> {
    Err(Error::Plan("not implemented yet".into()))
}
