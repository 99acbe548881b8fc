//! `strata force-unlock LOCK_ID`: remove a lock whose holder is stuck or gone.
//!
//! A local lock dies with its process, so a crashed holder never needs this; what it is for is
//! a holder that still runs but will not finish (a hung apply), or a leftover record that
//! confuses people. The ID must be the one in the lock record, so nobody breaks a lock they have
//! not looked at; after confirmation (or with -force) the lock is removed and other processes
//! can proceed, even while the old holder lives on.

use super::args::ForceUnlockArgs;
use super::session::Session;
use crate::error::{Error, exit};
use crate::state::file::StateError;
use crate::state::lock::{LockInfo, Unlocked};
use std::io::{BufRead, IsTerminal, Write};

/// Run the command.
pub fn force_unlock(session: &Session, args: &ForceUnlockArgs) -> Result<i32, Error> {
    let backend = session.settings(&args.common)?.state.backend()?;
    let shown = backend.shown();
    // Check the ID before asking, so the question is never about the wrong lock.
    let holder = session
        .block_on(backend.lock_record())?
        .ok_or(StateError::NotLocked {
            path: shown.clone(),
        })?;
    if holder.id != args.lock_id {
        return Err(StateError::LockMismatch {
            path: shown,
            given: args.lock_id.clone(),
            holder: Box::new(holder),
        }
        .into());
    }
    if !args.force && !confirmed(&holder)? {
        println!("\nForce-unlock cancelled: the lock was left in place.");
        return Ok(exit::CANCELLED);
    }
    match session.block_on(backend.force_unlock(&args.lock_id))? {
        Unlocked::Stale(_) => println!(
            "The state at {shown} has been unlocked: its holder had already exited, and its leftover lock record was cleared."
        ),
        Unlocked::Broken(info) => println!(
            "The state at {shown} has been unlocked. The process that held it ({}) is still running and may still write the state: stop it if it is stuck.",
            info.who
        ),
    }
    Ok(exit::OK)
}

/// Ask on the terminal; only `yes` confirms. Without a terminal, refuse and name -force.
fn confirmed(holder: &LockInfo) -> Result<bool, Error> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::State(format!(
            "force-unlock needs confirmation, but cannot ask for it (stdin is not a terminal); the lock ({holder}) was left in place. Re-run with -force to remove it without asking"
        )));
    }
    let mut stdout = std::io::stdout();
    write!(
        stdout,
        "Do you really want to force-unlock?\n  The lock is {holder}.\n  Removing it while that process still works on the state can corrupt it.\n  Only 'yes' will be accepted to confirm.\n\n  Enter a value: "
    )
    .and_then(|()| stdout.flush())
    .map_err(|e| Error::Io(format!("cannot write the prompt: {e}")))?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Io(format!("cannot read the answer: {e}")))?;
    Ok(answer.trim_end_matches(['\r', '\n']) == "yes")
}
