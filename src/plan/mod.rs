//! Plan: changes become steps in a graph whose edges mean "must run before"; the plan is its
//! stable topological order.

mod build;
mod deps;
pub mod hazards;
pub mod online;
mod order;
pub mod render;
mod step;
pub mod target;

use crate::diff::Change;
pub use build::{PlanError, build};
use serde::Serialize;
pub use step::{Action, Hazard, HazardKind, Statement};
use strata_schema::Dialect;

/// Step is one unit of a plan: an object address, what happens to it, and its SQL.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Object address: `table.public.users`, `index.public.users.users_email_key`.
    pub address: String,
    pub action: Action,
    pub statements: Vec<Statement>,
    pub hazards: Vec<Hazard>,
    /// Human lines describing what changes (`type: integer -> bigint`).
    pub details: Vec<String>,
    /// False for a step that must run outside the plan's transaction (PostgreSQL online
    /// changes: apply commits before it and runs it on its own).
    pub transactional: bool,
    #[serde(skip)]
    pub change: Change,
    /// For a replacement (`-/+`): the drop that runs before `change`, in the same step.
    #[serde(skip)]
    pub replaced: Option<Change>,
}

/// Plan is an ordered list of steps for one target.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub dialect: Dialect,
    /// The target's redacted URL.
    pub target: String,
    pub steps: Vec<Step>,
    /// Warnings from reading the desired schema, shown with the plan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Managed objects changed outside of Strata since the last apply.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<crate::state::Drift>,
    /// How many live objects Strata leaves alone because it does not manage them.
    pub unmanaged: usize,
    /// Rules the current rows would break, found by the data checks: apply refuses the plan
    /// before its first statement while any remain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocking: Vec<String>,
    /// What the plan was computed from, so a saved plan can refuse to run once any moved.
    pub basis: Basis,
    /// Whether `-auto-approve` (without `-allow-destructive`) would run this plan.
    pub policy: Verdict,
}

/// Verdict is the policy's answer for an unattended apply of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Verdict {
    /// True when `apply -auto-approve` would run the plan as it is.
    pub auto_approve: bool,
    /// Why it would not, when it would not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

impl Default for Verdict {
    fn default() -> Verdict {
        Verdict {
            auto_approve: true,
            refusal: None,
        }
    }
}

/// Basis fingerprints the inputs of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Basis {
    /// Lineage and serial of the state the plan was computed against (none before the first
    /// apply).
    pub state_lineage: Option<String>,
    pub state_serial: Option<u64>,
    /// blake3 of the normalised desired schema.
    pub desired: String,
    /// blake3 of the normalised live schema.
    pub live: String,
}

impl Step {
    /// A step that records an existing object in state, without DDL.
    pub fn adopt(address: &str) -> Step {
        Step {
            address: address.to_string(),
            action: Action::Adopt,
            statements: Vec::new(),
            hazards: Vec::new(),
            details: Vec::new(),
            transactional: true,
            change: Change::CreateSchema {
                schema: String::new(),
            },
            replaced: None,
        }
    }
}

impl Plan {
    /// Count of steps per action: (add, change, destroy), as Terraform's summary line.
    pub fn summary(&self) -> (usize, usize, usize) {
        let mut s = (0, 0, 0);
        for step in &self.steps {
            match step.action {
                Action::Create => s.0 += 1,
                Action::Update => s.1 += 1,
                Action::Delete => s.2 += 1,
                Action::Replace => {
                    s.0 += 1;
                    s.2 += 1;
                }
                Action::Adopt => {}
            }
        }
        s
    }

    /// Number of objects the plan adopts into state.
    pub fn adoptions(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.action == Action::Adopt)
            .count()
    }

    /// True when the plan changes nothing in the database (it may still adopt objects).
    pub fn is_empty(&self) -> bool {
        self.steps.iter().all(|s| s.action == Action::Adopt)
    }
}

#[cfg(test)]
mod tests;
