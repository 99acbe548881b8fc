//! `strata init`: check the env's state backend, and with `-migrate-state` move the state to
//! it after the env's `state` block changed.
//!
//! The previous backend is named with `-from-state` (a path, `s3://…`, `gs://…`, `az://…`,
//! `database` or a database URL); without it, the local `.strata/<env>.state.json` beside the
//! config, which is where a state lives until a team first adds a `state` block. The state is
//! copied as it is — same lineage, same serial, same history — so saved plans and every
//! machine's idea of "the newest state" carry over. The old copy is left in place: deleting
//! it is the operator's call, once the new backend is known to work.

use super::args::InitArgs;
use super::session::Session;
use crate::error::{Error, exit};
use crate::run::StateSettings;
use crate::state::State;
use crate::state::backend::{Backend, Guard};
use crate::state::file::encode;
use crate::state::location::Location;

/// Run the command.
pub fn init(session: &Session, args: &InitArgs) -> Result<i32, Error> {
    let settings = session.settings(&args.common)?;
    let to = settings.state.backend()?;
    let from = match &args.from_state {
        Some(text) => Location::parse(text, &settings.target, &session.cwd)
            .map_err(|e| Error::Config(format!("-from-state: {e}")))?,
        None => Location::Local(settings.state.path.clone()),
    };
    session.block_on(async {
        if args.migrate_state {
            migrate(&settings.state, &from, &to, args.force).await
        } else {
            check(&settings.state, &from, &to, args.from_state.is_some()).await
        }
    })
}

/// Without `-migrate-state`: read the configured backend (proving it is reachable) and point
/// at a state left at the previous one.
async fn check(
    settings: &StateSettings,
    from: &Location,
    to: &Backend,
    named: bool,
) -> Result<i32, Error> {
    let (current, _) = to.read().await?;
    match &current {
        Some(s) => println!(
            "The state lives at {} (lineage {}, serial {}).",
            to.shown(),
            s.lineage,
            s.serial
        ),
        None => println!("The state lives at {}: no state yet.", to.shown()),
    }
    if from.shown() == to.shown() {
        return Ok(exit::OK);
    }
    let previous = Backend::open(from, &settings.env)?;
    if let (Some(old), _) = previous.read().await? {
        let newer = current
            .as_ref()
            .is_none_or(|c| c.lineage != old.lineage || c.serial < old.serial);
        if newer || named {
            println!(
                "A state is also at {} (lineage {}, serial {}). To move it to the configured backend, run: strata init -migrate-state{}",
                from.shown(),
                old.lineage,
                old.serial,
                if named { " -from-state=…" } else { "" }
            );
        }
    }
    Ok(exit::OK)
}

/// Copy the state at `from` to `to`, under both locks.
async fn migrate(
    settings: &StateSettings,
    from: &Location,
    to: &Backend,
    force: bool,
) -> Result<i32, Error> {
    if from.shown() == to.shown() {
        return Err(Error::Config(format!(
            "the state is already configured at {}: name where it was before with -from-state=PATH|s3://BUCKET/KEY|database|URL",
            to.shown()
        )));
    }
    let source = Backend::open(from, &settings.env)?;
    let _locks = (lock(settings, &source).await?, lock(settings, to).await?);
    let (Some(state), _) = source.read().await? else {
        return Err(Error::State(format!(
            "there is no state at {}: nothing to migrate (check -from-state and -env)",
            source.shown()
        )));
    };
    let (current, version) = to.read().await?;
    if let Some(current) = &current {
        if encode(current) == encode(&state) {
            println!(
                "The state at {} is already the one at {} (lineage {}, serial {}): nothing to migrate.",
                to.shown(),
                source.shown(),
                state.lineage,
                state.serial
            );
            return Ok(exit::OK);
        }
        if !force {
            refuse_over(current, &state, to)?;
        }
        if let Some(copy) = to.backup_timestamped().await? {
            println!("Backed up the state that was at {} to {copy}", to.shown());
        }
    }
    to.write(&state, &version).await?;
    println!(
        "Copied the state from {} to {} (lineage {}, serial {}).\nThe copy at {} is no longer used; remove it once the new backend works for everyone.",
        source.shown(),
        to.shown(),
        state.lineage,
        state.serial,
        source.shown()
    );
    Ok(exit::OK)
}

/// Overwriting a state at the new backend is safe only when it is an older version of the
/// one being moved (left from an earlier stay there); anything else needs `-force`.
fn refuse_over(current: &State, moving: &State, to: &Backend) -> Result<(), Error> {
    if current.lineage == moving.lineage && current.serial < moving.serial {
        return Ok(());
    }
    Err(Error::State(format!(
        "{} already holds a state (lineage {}, serial {}) that is not an older version of the one being moved (lineage {}, serial {}). Compare them with `strata state pull`; to replace it anyway, re-run with -force (a backup is kept)",
        to.shown(),
        current.lineage,
        current.serial,
        moving.lineage,
        moving.serial
    )))
}

/// Take `backend`'s lock unless `-lock=false`.
async fn lock(settings: &StateSettings, backend: &Backend) -> Result<Option<Guard>, Error> {
    if !settings.lock {
        return Ok(None);
    }
    let guard = backend
        .lock(
            "init -migrate-state",
            settings.lock_timeout,
            &mut super::waiting,
        )
        .await?;
    Ok(Some(guard))
}
