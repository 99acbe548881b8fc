//! `strata state …`: read and change the state by hand. `list`, `show` and `pull` only read;
//! `push` and `rm` take the state lock, keep a timestamped backup of the file they replace, and
//! write through the backend like an apply does. None of them connects to the database.

mod push;
mod show;

use super::args::{Common, StateAddressArgs, StateArgs, StateCommand, StatePushArgs};
use super::session::Session;
use crate::error::{Error, exit};
use crate::state::State;
use crate::state::backend::{Backend, Guard, Version};
use std::io::Write;

/// Run the command.
pub fn state(session: &Session, args: &StateArgs) -> Result<i32, Error> {
    session.block_on(async {
        match &args.command {
            StateCommand::List(common) => list(&Opened::new(session, common)?).await,
            StateCommand::Show(a) => show(&Opened::new(session, &a.common)?, &a.addresses).await,
            StateCommand::Pull(common) => pull(&Opened::new(session, common)?).await,
            StateCommand::Push(a) => push(&Opened::new(session, &a.common)?, a).await,
            StateCommand::Rm(a) => rm(&Opened::new(session, &a.common)?, a).await,
        }
    })
}

/// Opened is the env's state backend with the lock settings the flags gave.
pub(super) struct Opened {
    pub backend: Backend,
    settings: crate::run::StateSettings,
}

impl Opened {
    pub fn new(session: &Session, common: &Common) -> Result<Opened, Error> {
        let settings = session.settings(common)?.state;
        Ok(Opened {
            backend: settings.backend()?,
            settings,
        })
    }

    /// The state and its version, or an error saying there is none (for commands that need
    /// one).
    async fn existing(&self) -> Result<(State, Version), Error> {
        match self.backend.read().await? {
            (Some(state), version) => Ok((state, version)),
            (None, _) => Err(Error::State(format!(
                "there is no state at {}: nothing is managed yet (run `strata apply` first, or check -env and -state)",
                self.backend.shown()
            ))),
        }
    }

    /// Take the lock for `operation` unless `-lock=false`, telling the operator while waiting.
    async fn lock(&self, operation: &str) -> Result<Option<Guard>, Error> {
        if !self.settings.lock {
            return Ok(None);
        }
        let lock = self
            .backend
            .lock(operation, self.settings.lock_timeout, &mut super::waiting)
            .await?;
        Ok(Some(lock))
    }

    /// Keep a timestamped copy of the current state, then write `state` over `version`.
    async fn replace(&self, state: &State, version: &Version) -> Result<(), Error> {
        if let Some(copy) = self.backend.backup_timestamped().await? {
            println!("Backed up the previous state to {copy}");
        }
        self.backend.write(state, version).await?;
        Ok(())
    }
}

/// `state list`: one address per line, in address order.
async fn list(opened: &Opened) -> Result<i32, Error> {
    let (Some(state), _) = opened.backend.read().await? else {
        eprintln!(
            "No state at {}: nothing is managed yet.",
            opened.backend.shown()
        );
        return Ok(exit::OK);
    };
    let mut out = String::new();
    for address in state.objects.keys() {
        out.push_str(address);
        out.push('\n');
    }
    print_stdout(&out)
}

/// `state show ADDRESS…`: each object's recorded forms.
async fn show(opened: &Opened, addresses: &[String]) -> Result<i32, Error> {
    let (state, _) = opened.existing().await?;
    let managed = known(&state, addresses, opened)?;
    let shown: Vec<String> = managed
        .iter()
        .map(|m| show::render(m, state.target.dialect))
        .collect();
    print_stdout(&shown.join("\n"))
}

/// `state pull`: the state file as this Strata writes it (so an older format comes out
/// upgraded).
async fn pull(opened: &Opened) -> Result<i32, Error> {
    match opened.backend.read().await? {
        (Some(state), _) => print_stdout(&crate::state::file::encode(&state)),
        (None, _) => {
            eprintln!("No state at {}.", opened.backend.shown());
            Ok(exit::OK)
        }
    }
}

/// `state push FILE|-`: replace the state with a file, under the push rules.
async fn push(opened: &Opened, args: &StatePushArgs) -> Result<i32, Error> {
    let incoming = push::read_incoming(&args.file)?;
    let _lock = opened.lock("state push").await?;
    let (current, version) = opened.backend.read().await?;
    match push::check(current.as_ref(), incoming, args.force)? {
        push::Verdict::Unchanged => {
            println!("The state already matches {}: nothing to push.", args.file);
        }
        push::Verdict::Replace(state) => {
            opened.replace(&state, &version).await?;
            println!(
                "Pushed {} to {} (lineage {}, serial {}).",
                args.file,
                opened.backend.shown(),
                state.lineage,
                state.serial
            );
        }
    }
    Ok(exit::OK)
}

/// `state rm ADDRESS…`: forget objects without touching the database. The next plan sees them
/// as live objects Strata does not own: adopted if still desired, else left alone.
async fn rm(opened: &Opened, args: &StateAddressArgs) -> Result<i32, Error> {
    let _lock = opened.lock("state rm").await?;
    let (mut state, version) = opened.existing().await?;
    let forgotten: Vec<String> = known(&state, &args.addresses, opened)?
        .iter()
        .map(|m| m.address.clone())
        .collect();
    for address in &forgotten {
        state.objects.remove(address);
    }
    state.serial += 1;
    state.record_history("state rm", None, 0);
    opened.replace(&state, &version).await?;
    for address in &forgotten {
        println!("Removed {address}");
    }
    println!(
        "Successfully removed {} object(s) from the state; the database was not changed.",
        forgotten.len()
    );
    Ok(exit::OK)
}

/// The managed objects at `addresses` (each once, in the order given); an error naming every
/// address the state does not have.
fn known<'a>(
    state: &'a State,
    addresses: &[String],
    opened: &Opened,
) -> Result<Vec<&'a crate::state::Managed>, Error> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for address in addresses {
        match state.objects.get(address) {
            Some(m)
                if !found
                    .iter()
                    .any(|f: &&crate::state::Managed| f.address == m.address) =>
            {
                found.push(m)
            }
            Some(_) => {}
            None => missing.push(address.as_str()),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    Err(Error::State(format!(
        "the state at {} has no object {}: `strata state list` shows the addresses it has (table.SCHEMA.NAME, enum.SCHEMA.NAME)",
        opened.backend.shown(),
        missing.join(", ")
    )))
}

/// Write to stdout; a closed pipe (`strata state list | head`) is not an error worth a message.
fn print_stdout(text: &str) -> Result<i32, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(exit::OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => Err(Error::Io(format!("cannot write to stdout: {e}"))),
    }
}
