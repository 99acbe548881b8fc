//! Planning: everything `plan`, `apply` and `destroy` compute before executing anything.

use super::{Planned, Settings, exclude, live, scope, state_error};
use crate::db;
use crate::dialect::{self, Side};
use crate::diff;
use crate::error::Error;
use crate::plan::{self as planning, Basis, Step};
use crate::safety::{self, policy};
use crate::source;
use crate::state::backend::{Backend, Guard};
use crate::state::lock::LockInfo;
use crate::state::{self, CatalogIdentity, apply_renames, reconcile};
use std::collections::BTreeMap;
use strata_schema::{Database, fingerprint};

/// Intent says what a plan converges on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// The desired schema read from the sources (`plan`, `apply`).
    Converge,
    /// Nothing: every object Strata owns is dropped, and only those (`destroy`).
    Destroy,
}

/// Compute the plan for `settings`, reading the state without locking it (`plan`).
pub async fn plan(settings: &Settings) -> Result<Planned, Error> {
    let backend = settings.state.backend()?;
    compute(settings, &backend, None, Intent::Converge).await
}

/// Compute the plan for `intent` under the state lock (unless `-lock=false`), held until the
/// plan is applied or closed. `on_wait` hears about the holder while waiting for a held lock.
pub async fn plan_for(
    settings: &Settings,
    operation: &str,
    intent: Intent,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<Planned, Error> {
    let backend = settings.state.backend()?;
    let lock = take_lock(settings, &backend, operation, on_wait).await?;
    compute(settings, &backend, lock, intent).await
}

/// Take the state lock for `operation`, unless locking is off.
pub(super) async fn take_lock(
    settings: &Settings,
    backend: &Backend,
    operation: &str,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<Option<Guard>, Error> {
    if !settings.state.lock {
        return Ok(None);
    }
    backend
        .lock(operation, settings.state.lock_timeout, on_wait)
        .await
        .map(Some)
        .map_err(state_error)
}

async fn compute(
    settings: &Settings,
    backend: &Backend,
    lock: Option<Guard>,
    intent: Intent,
) -> Result<Planned, Error> {
    let dialect = settings.target.dialect;
    // The state, the desired schema and the live schema do not depend on each other: they are
    // read at the same time, and their errors reported in the order they were read before.
    let (state, inputs) = tokio::join!(backend.read(), gather(settings, intent));
    let (state, version) = state.map_err(state_error)?;
    if let Some(s) = &state {
        check_target(s, settings)?;
    }
    let Gathered {
        mut conn,
        scope,
        mut desired,
        warnings,
        live,
        identities,
    } = inputs?;
    dialect::normalize(dialect, &mut desired, Side::Desired);
    let mut reconciled = reconcile(dialect, &desired, &live, state.as_ref());
    let renames = apply_renames(
        &desired,
        &mut reconciled.live,
        state.as_ref(),
        &settings.renames,
        &identities,
        &scope[0],
    );
    let mut changes: Vec<_> = renames.iter().map(|(c, _)| c.clone()).collect();
    changes.extend(diff::diff(dialect, &desired, &reconciled.live));
    let changes = policy::skip(changes, &settings.policy);
    let mut plan = planning::build(
        dialect,
        settings.target.redacted(),
        changes,
        &desired,
        &reconciled.live,
    )
    .map_err(|e| Error::Plan(e.to_string()))?;
    for step in &mut plan.steps {
        if let Some((_, why)) = renames.iter().find(|(c, _)| *c == step.change) {
            step.details.push(why.clone());
        }
    }
    plan.warnings = warnings;
    plan.unmanaged = reconciled.unmanaged.len();
    plan.drift = reconciled.drift;
    plan.steps
        .splice(0..0, reconciled.adopt.iter().map(|a| Step::adopt(a)));
    planning::target::limit(
        &mut plan,
        &settings.targets,
        &settings.excludes,
        &desired,
        &reconciled.live,
    );
    planning::online::apply(&mut plan, &settings.policy);
    safety::check(
        &mut conn,
        &mut plan,
        &live,
        settings.policy.data_check_max_rows,
    )
    .await?;
    plan.policy = match policy::approve(&plan, &settings.policy, true, false) {
        Ok(()) => planning::Verdict::default(),
        Err(why) => planning::Verdict {
            auto_approve: false,
            refusal: Some(why),
        },
    };
    plan.basis = Basis {
        state_lineage: state.as_ref().map(|s| s.lineage.clone()),
        state_serial: state.as_ref().map(|s| s.serial),
        desired: fingerprint(&desired),
        live: fingerprint(&live),
    };
    Ok(Planned {
        plan,
        conn,
        desired,
        live,
        state,
        version,
        scope,
        settings: settings.clone(),
        _lock: lock,
    })
}

/// Gathered is what a plan compares, read from the sources and the target.
struct Gathered {
    conn: db::Conn,
    scope: Vec<String>,
    desired: Database,
    warnings: Vec<String>,
    live: Database,
    identities: BTreeMap<String, CatalogIdentity>,
}

/// Connect, then read the desired schema (on a blocking thread: parsing models is CPU-bound)
/// while the live schemas in scope are inspected. Schemas that only the sources name are
/// inspected afterwards, so the common case pays for one inspection.
async fn gather(settings: &Settings, intent: Intent) -> Result<Gathered, Error> {
    let mut conn = db::connect(&settings.target).await?;
    let mut scope = scope(settings, &mut conn).await?;
    let (desired, inspected) = tokio::join!(
        desired(settings, intent, &scope),
        live(&mut conn, &scope, settings)
    );
    let (mut desired, warnings) = desired?;
    let mut live_db = inspected?;
    exclude(&mut desired, &settings.exclude);
    let unseen: Vec<String> = desired
        .schemas
        .keys()
        .filter(|s| !scope.contains(s))
        .cloned()
        .collect();
    if !unseen.is_empty() {
        let more = live(&mut conn, &unseen, settings).await?;
        live_db.schemas.extend(more.schemas);
        scope.extend(unseen);
    }
    let identities = dialect::identities(&mut conn, &scope).await?;
    Ok(Gathered {
        conn,
        scope,
        desired,
        warnings,
        live: live_db,
        identities,
    })
}

/// The schema `intent` converges on, with the sources' warnings.
async fn desired(
    settings: &Settings,
    intent: Intent,
    scope: &[String],
) -> Result<(Database, Vec<String>), Error> {
    match intent {
        Intent::Converge => {
            let (srcs, dialect, default) = (
                settings.srcs.clone(),
                settings.target.dialect,
                scope[0].clone(),
            );
            let d = tokio::task::spawn_blocking(move || source::load(&srcs, dialect, &default))
                .await
                .map_err(|e| Error::Source(format!("reading the sources: {e}")))??;
            Ok((d.database, d.warnings))
        }
        Intent::Destroy => {
            let mut nothing = Database::default();
            for s in scope {
                nothing.schema_mut(s);
            }
            Ok((nothing, Vec::new()))
        }
    }
}

/// Refuse a state recorded for another database: applying it here would treat that database's
/// objects as owned.
fn check_target(recorded: &state::State, settings: &Settings) -> Result<(), Error> {
    let here = settings.target.fingerprint();
    if recorded.target.dialect != here.dialect || recorded.target.database != here.database {
        return Err(Error::State(format!(
            "the state at {} belongs to {} database {:?}, not to {} ({} database {:?}). Use the state of this target (-state=PATH or another env), or move this one aside.",
            settings.state.location().shown(),
            recorded.target.dialect,
            recorded.target.database,
            settings.target.redacted(),
            here.dialect,
            here.database
        )));
    }
    Ok(())
}

/// [`plan_for`] converging on the desired schema: what `apply` runs.
pub async fn plan_locked(
    settings: &Settings,
    operation: &str,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<Planned, Error> {
    plan_for(settings, operation, Intent::Converge, on_wait).await
}
