//! `strata state …`: read and change the state by hand. `list`, `show` and `pull` only read;
//! `push` and `rm` take the state lock, keep a timestamped backup of the file they replace, and
//! write through the backend like an apply does. None of them connects to the database.

mod push;
mod show;

use super::args::{Common, StateAddressArgs, StateArgs, StateCommand, StatePushArgs};
use super::session::Session;
use crate::error::{Error, exit};
use crate::state::State;
use crate::state::local::{LocalBackend, LocalLock};
use std::io::Write;

/// Run the command.
pub fn state(session: &Session, args: &StateArgs) -> Result<i32, Error> {
    match &args.command {
        StateCommand::List(common) => list(&Opened::new(session, common)?),
        StateCommand::Show(a) => show(&Opened::new(session, &a.common)?, &a.addresses),
        StateCommand::Pull(common) => pull(&Opened::new(session, common)?),
        StateCommand::Push(a) => push(&Opened::new(session, &a.common)?, a),
        StateCommand::Rm(a) => rm(&Opened::new(session, &a.common)?, a),
    }
}

/// Opened is the env's state backend with the lock settings the flags gave.
struct Opened {
    backend: LocalBackend,
    settings: crate::run::StateSettings,
}

impl Opened {
    fn new(session: &Session, common: &Common) -> Result<Opened, Error> {
        let settings = session.settings(common)?.state;
        Ok(Opened {
            backend: LocalBackend {
                path: settings.path.clone(),
            },
            settings,
        })
    }

    /// The state, or an error saying there is none (for commands that need one).
    fn existing(&self) -> Result<State, Error> {
        self.backend.read()?.ok_or_else(|| {
            Error::State(format!(
                "there is no state at {}: nothing is managed yet (run `strata apply` first, or check -env and -state)",
                self.backend.path.display()
            ))
        })
    }

    /// Take the lock for `operation` unless `-lock=false`, telling the operator while waiting.
    fn lock(&self, operation: &str) -> Result<Option<LocalLock>, Error> {
        if !self.settings.lock {
            return Ok(None);
        }
        let lock = self
            .backend
            .lock(operation, self.settings.lock_timeout, &mut super::waiting)?;
        Ok(Some(lock))
    }

    /// Keep a timestamped copy of the current file, then write `state`.
    fn replace(&self, state: &State) -> Result<(), Error> {
        if let Some(copy) = self.backend.backup_timestamped()? {
            println!("Backed up the previous state to {}", copy.display());
        }
        self.backend.write(state)?;
        Ok(())
    }
}

/// `state list`: one address per line, in address order.
fn list(opened: &Opened) -> Result<i32, Error> {
    let Some(state) = opened.backend.read()? else {
        eprintln!(
            "No state at {}: nothing is managed yet.",
            opened.backend.path.display()
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
fn show(opened: &Opened, addresses: &[String]) -> Result<i32, Error> {
    let state = opened.existing()?;
    let managed = known(&state, addresses, opened)?;
    let shown: Vec<String> = managed
        .iter()
        .map(|m| show::render(m, state.target.dialect))
        .collect();
    print_stdout(&shown.join("\n"))
}

/// `state pull`: the state file as this Strata writes it (so an older format comes out
/// upgraded).
fn pull(opened: &Opened) -> Result<i32, Error> {
    match opened.backend.read()? {
        Some(state) => print_stdout(&crate::state::file::encode(&state)),
        None => {
            eprintln!("No state at {}.", opened.backend.path.display());
            Ok(exit::OK)
        }
    }
}

/// `state push FILE|-`: replace the state with a file, under the push rules.
fn push(opened: &Opened, args: &StatePushArgs) -> Result<i32, Error> {
    let incoming = push::read_incoming(&args.file)?;
    let _lock = opened.lock("state push")?;
    let current = opened.backend.read()?;
    match push::check(current.as_ref(), incoming, args.force)? {
        push::Verdict::Unchanged => {
            println!("The state already matches {}: nothing to push.", args.file);
        }
        push::Verdict::Replace(state) => {
            opened.replace(&state)?;
            println!(
                "Pushed {} to {} (lineage {}, serial {}).",
                args.file,
                opened.backend.path.display(),
                state.lineage,
                state.serial
            );
        }
    }
    Ok(exit::OK)
}

/// `state rm ADDRESS…`: forget objects without touching the database. The next plan sees them
/// as live objects Strata does not own: adopted if still desired, else left alone.
fn rm(opened: &Opened, args: &StateAddressArgs) -> Result<i32, Error> {
    let _lock = opened.lock("state rm")?;
    let mut state = opened.existing()?;
    let forgotten: Vec<String> = known(&state, &args.addresses, opened)?
        .iter()
        .map(|m| m.address.clone())
        .collect();
    for address in &forgotten {
        state.objects.remove(address);
    }
    state.serial += 1;
    state.record_history("state rm", None, 0);
    opened.replace(&state)?;
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
        opened.backend.path.display(),
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
