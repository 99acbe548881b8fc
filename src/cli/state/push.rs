//! The rules of `state push`, as Terraform's: a pushed state must continue the current one.
//! Another lineage is another state; a lower serial is older than what is there; the same
//! serial with other content means two writers diverged. `-force` overrides all three, and
//! then the serial is raised past the current one so saved plans made against either go stale.

use crate::error::Error;
use crate::state::State;
use crate::state::file::{decode, encode};
use std::io::Read;

/// Verdict is what a push does.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// The pushed state is the current one, byte for byte.
    Unchanged,
    /// Write this state (the pushed one, with its history entry and any forced serial).
    Replace(State),
}

/// Read and decode the state to push from `file` (`-` is stdin). A damaged or newer file is
/// refused here, before the lock is taken.
pub fn read_incoming(file: &str) -> Result<State, Error> {
    let text = if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::Io(format!("state push: cannot read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| Error::Io(format!("state push: cannot read {file}: {e}")))?
    };
    let shown = if file == "-" { "(stdin)" } else { file };
    Ok(decode(&text, shown)?)
}

/// Decide whether `incoming` may replace `current`.
pub fn check(current: Option<&State>, incoming: State, force: bool) -> Result<Verdict, Error> {
    let Some(current) = current else {
        return Ok(Verdict::Replace(recorded(incoming)));
    };
    if encode(current) == encode(&incoming) {
        return Ok(Verdict::Unchanged);
    }
    if !force {
        refuse(current, &incoming)?;
    }
    let mut pushed = incoming;
    if pushed.lineage == current.lineage && pushed.serial <= current.serial {
        pushed.serial = current.serial + 1;
    }
    Ok(Verdict::Replace(recorded(pushed)))
}

/// The reason a push without `-force` is refused, if any.
fn refuse(current: &State, incoming: &State) -> Result<(), Error> {
    let problem = if incoming.lineage != current.lineage {
        format!(
            "its lineage {} is not the current state's ({}): it is another state, perhaps of another env or database",
            incoming.lineage, current.lineage
        )
    } else if incoming.serial < current.serial {
        format!(
            "its serial {} is lower than the current state's ({}): it is older than what is there",
            incoming.serial, current.serial
        )
    } else if incoming.serial == current.serial {
        format!(
            "it has the same serial ({}) as the current state but other content: two writers diverged",
            incoming.serial
        )
    } else {
        return Ok(());
    };
    Err(Error::State(format!(
        "state push refused: {problem}. Compare it with `strata state pull`; to replace the state anyway, re-run with -force (a timestamped backup of the current state is kept)"
    )))
}

/// The pushed state with a history entry for the push.
fn recorded(mut state: State) -> State {
    state.record_history("state push", None, 0);
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::TargetFingerprint;
    use strata_schema::Dialect;

    fn state(serial: u64) -> State {
        let mut s = State::new(
            "dev",
            TargetFingerprint {
                dialect: Dialect::Sqlite,
                host: None,
                port: None,
                database: "db".into(),
            },
        );
        s.serial = serial;
        s
    }

    fn refused(current: &State, incoming: State) -> String {
        match check(Some(current), incoming, false) {
            Err(e) => e.to_string(),
            Ok(v) => panic!("accepted: {v:?}"),
        }
    }

    #[test]
    fn first_push_and_newer_serial_are_accepted() {
        assert!(matches!(
            check(None, state(4), false),
            Ok(Verdict::Replace(s)) if s.serial == 4 && s.history.len() == 1
        ));
        let current = state(2);
        let mut newer = current.clone();
        newer.serial = 3;
        assert!(matches!(
            check(Some(&current), newer, false),
            Ok(Verdict::Replace(s)) if s.serial == 3
        ));
        assert_eq!(
            check(Some(&current), current.clone(), false).expect("same"),
            Verdict::Unchanged
        );
    }

    #[test]
    fn lineage_serial_and_divergence_are_refused_without_force() {
        let current = state(5);
        assert!(refused(&current, state(9)).contains("lineage"));
        let mut older = current.clone();
        older.serial = 4;
        assert!(refused(&current, older.clone()).contains("lower than"));
        let mut diverged = current.clone();
        diverged.env = "other".into();
        assert!(refused(&current, diverged).contains("same serial"));
        // -force replaces, raising the serial past the current one.
        assert!(matches!(
            check(Some(&current), older, true),
            Ok(Verdict::Replace(s)) if s.serial == 6
        ));
    }
}
