//! The MySQL apply journal: MySQL commits every DDL statement on its own, so an apply that dies
//! half-way (error, Ctrl-C, `kill -9`) must not leave the state behind the database. After each
//! completed step, the objects it touched are recorded *provisionally*: owned, with the desired
//! form standing in for the live form until the apply finishes and records what the database
//! reports. A provisional record is never reported as drift and never short-cuts the diff, so
//! the next plan compares the real live schema with the desired one and resumes from there.

use super::{Managed, ObjectRef, State};
use crate::plan::{Action, Step};
use std::collections::BTreeMap;

/// The history operation of a journal write.
pub const OPERATION: &str = "apply (step)";

/// Record that `step` completed, as far as the state is concerned. `wanted` is the desired
/// schema's objects by address (see [`super::objects`]), computed once per apply.
pub fn step_done(state: &mut State, step: &Step, wanted: &BTreeMap<String, ObjectRef<'_>>) {
    let Some(owner) = owning_object(&step.address) else {
        return;
    };
    match (step.action, wanted.get(&owner)) {
        (Action::Delete, None) => {
            state.objects.remove(&owner);
        }
        (_, Some(form)) => {
            let mut record = Managed::new(
                owner.clone(),
                form.to_object(),
                form.to_object(),
                Vec::new(),
            );
            record.provisional = true;
            state.objects.insert(owner, record);
        }
        (_, None) => {}
    }
}

/// Mark `steps` recorded steps as one journal write: bump the serial, note it in the history.
pub fn written(state: &mut State, steps: usize) {
    state.serial += 1;
    state.record_history(OPERATION, None, steps);
}

/// The state object (table or enum) a step address belongs to: `column.s.t.c` → `table.s.t`.
fn owning_object(address: &str) -> Option<String> {
    let mut parts = address.splitn(4, '.');
    let kind = parts.next()?;
    let schema = parts.next()?;
    let name = parts.next()?;
    match kind {
        "enum" => Some(format!("enum.{schema}.{name}")),
        "schema" => None,
        _ => Some(format!("table.{schema}.{name}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sub_objects_belong_to_their_table() {
        assert_eq!(
            super::owning_object("column.app.users.email").as_deref(),
            Some("table.app.users")
        );
        assert_eq!(
            super::owning_object("table.app.users").as_deref(),
            Some("table.app.users")
        );
        assert_eq!(
            super::owning_object("enum.app.mood").as_deref(),
            Some("enum.app.mood")
        );
        assert_eq!(super::owning_object("schema.app"), None);
    }
}
