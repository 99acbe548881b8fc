//! State-only operations: adopt one object (`import`) and accept drift (`refresh`). Neither
//! runs DDL; both write the state under its lock.

use super::apply::write_state;
use super::plan::take_lock;
use super::{Planned, Settings, live, scope, state_error};
use crate::db;
use crate::dialect::{self, Side};
use crate::error::Error;
use crate::source;
use crate::state::lock::LockInfo;
use crate::state::{Managed, ObjectRef, State, objects};

/// Adopt the live object at `address` into the state without DDL. The object must also be in
/// the desired schema: recording one the models do not declare would make the next plan drop
/// it.
pub async fn import(
    settings: &Settings,
    address: &str,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<(), Error> {
    let backend = settings.state.backend()?;
    let _lock = take_lock(settings, &backend, "import", on_wait).await?;
    let (state, version) = backend.read().await.map_err(state_error)?;
    let dialect = settings.target.dialect;
    let mut conn = db::connect(&settings.target).await?;
    let scope = scope(settings, &mut conn).await?;
    let mut desired = source::load(&settings.srcs, dialect, &scope[0])?.database;
    dialect::normalize(dialect, &mut desired, Side::Desired);
    let live = live(&mut conn, &scope, settings).await?;
    let identities = dialect::identities(&mut conn, &scope).await?;
    conn.close().await;
    if state
        .as_ref()
        .is_some_and(|s| s.objects.contains_key(address))
    {
        return Err(Error::State(format!(
            "{address} is already managed: nothing to import"
        )));
    }
    let Some(found) = objects(&live).remove(address).map(ObjectRef::to_object) else {
        return Err(Error::State(format!(
            "{address} does not exist in {}: import adopts an existing object (addresses look like table.SCHEMA.NAME or enum.SCHEMA.NAME)",
            settings.target.redacted()
        )));
    };
    let Some(wanted) = objects(&desired).remove(address).map(ObjectRef::to_object) else {
        return Err(Error::State(format!(
            "{address} is not in the desired schema: add it to the models first (importing an object the models do not declare would make the next plan drop it)"
        )));
    };
    let mut state =
        state.unwrap_or_else(|| State::new(&settings.state.env, settings.target.fingerprint()));
    let mut managed = Managed::new(address.to_string(), wanted, found, Vec::new());
    managed.identity = identities.get(address).cloned();
    state.objects.insert(address.to_string(), managed);
    state.serial += 1;
    state.record_history("import", None, 0);
    write_state(&backend, &state, &version).await
}

/// Accept the live form of every managed object into the state (`-refresh-only`): drift stops
/// being reported, objects deleted outside of Strata are forgotten. No DDL runs.
pub async fn refresh(planned: Planned) -> Result<(), Error> {
    let Planned {
        conn,
        live,
        state,
        version,
        settings,
        ..
    } = planned;
    conn.close().await;
    let Some(mut state) = state else {
        return Ok(());
    };
    let present = objects(&live);
    let before = state.content_fingerprint();
    state
        .objects
        .retain(|address, _| present.contains_key(address));
    for (address, record) in state.objects.iter_mut() {
        if let Some(now) = present.get(address) {
            // The live form is what was accepted: recording it on both sides keeps the stable
            // no-op rule honest (a refreshed object no longer matches what the models
            // declared, so the next plan compares them with the database again).
            let mut refreshed = Managed::new(
                address.clone(),
                now.to_object(),
                now.to_object(),
                record.depends_on.clone(),
            );
            refreshed.identity = record.identity.take();
            *record = refreshed;
        }
    }
    if state.content_fingerprint() == before {
        return Ok(());
    }
    state.serial += 1;
    state.record_history("refresh", None, 0);
    write_state(&settings.state.backend()?, &state, &version).await
}
