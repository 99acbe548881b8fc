//! Policy: which change kinds plans leave out (`diff { skip { … } }`, Atlas's keys), and which
//! hazards `apply` may run unattended. By default `-auto-approve` refuses a plan with
//! destructive or data-losing steps unless the config allows those hazards or the operator
//! passes `-allow-destructive`; `lint { destructive { error = true } }` refuses them always.
//! The interactive prompt shows every hazard before asking.

use crate::diff::Change;
use crate::plan::{HazardKind, Plan};
use std::collections::BTreeSet;

/// Policy is the env's safety configuration.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Change kinds removed from plans (`diff { skip { drop_table = true } }`).
    pub skip: BTreeSet<String>,
    /// `lint { destructive { error = true } }`: destructive steps are refused, prompt or not.
    pub destructive_error: bool,
    /// Hazard kinds `-auto-approve` may run (`policy { allow_hazards = ["destructive"] }`).
    pub allow_hazards: BTreeSet<HazardKind>,
    /// Tables with more rows than this (by catalog estimate) are not scanned by data checks.
    pub data_check_max_rows: u64,
    /// `diff { concurrent_index { add = true, drop = true } }` (PostgreSQL).
    pub concurrent_index_add: bool,
    pub concurrent_index_drop: bool,
    /// PostgreSQL/MySQL session timeouts for apply (`policy { lock_timeout = "5s" }`).
    pub lock_timeout: Option<String>,
    pub statement_timeout: Option<String>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            skip: BTreeSet::new(),
            destructive_error: false,
            allow_hazards: BTreeSet::new(),
            data_check_max_rows: 1_000_000,
            concurrent_index_add: false,
            concurrent_index_drop: false,
            lock_timeout: None,
            statement_timeout: None,
        }
    }
}

/// Every `diff.skip` key Strata knows, Atlas's names where Atlas has them.
pub const SKIP_KEYS: &[&str] = &[
    "add_schema",
    "drop_schema",
    "add_table",
    "drop_table",
    "modify_table",
    "add_column",
    "drop_column",
    "modify_column",
    "rename_column",
    "add_index",
    "drop_index",
    "add_foreign_key",
    "drop_foreign_key",
    "add_check",
    "drop_check",
    "add_type",
    "drop_type",
    "modify_type",
];

/// The `diff.skip` key a change falls under.
pub fn skip_key(change: &Change) -> &'static str {
    match change {
        Change::CreateSchema { .. } => "add_schema",
        Change::CreateTable { .. } => "add_table",
        Change::DropTable { .. } => "drop_table",
        Change::SetTableComment { .. } | Change::RebuildTable { .. } => "modify_table",
        Change::AddPrimaryKey { .. } | Change::DropPrimaryKey { .. } => "modify_table",
        Change::AddColumn { .. } => "add_column",
        Change::DropColumn { .. } => "drop_column",
        Change::ModifyColumn { .. } => "modify_column",
        Change::RenameColumn { .. } => "rename_column",
        Change::AddIndex { .. } => "add_index",
        Change::DropIndex { .. } => "drop_index",
        Change::AddForeignKey { .. } => "add_foreign_key",
        Change::DropForeignKey { .. } => "drop_foreign_key",
        Change::AddCheck { .. } => "add_check",
        Change::DropCheck { .. } => "drop_check",
        Change::CreateEnum { .. } => "add_type",
        Change::DropEnum { .. } => "drop_type",
        Change::AlterEnum { .. } => "modify_type",
    }
}

/// Remove the skipped change kinds. A re-created object whose drop is skipped cannot be
/// re-created either (its name is taken), so its creation goes too.
pub fn skip(changes: Vec<Change>, policy: &Policy) -> Vec<Change> {
    if policy.skip.is_empty() {
        return changes;
    }
    let skipped = |c: &Change| policy.skip.contains(skip_key(c));
    let blocked: Vec<(String, Option<String>, String)> = changes
        .iter()
        .filter(|c| skipped(c))
        .filter_map(|c| match c {
            Change::DropIndex { table, from, .. } => {
                Some(("index".into(), Some(table.clone()), from.name.clone()))
            }
            Change::DropForeignKey { table, from, .. } => {
                Some(("fk".into(), Some(table.clone()), from.name.clone()))
            }
            Change::DropCheck { table, from, .. } => {
                Some(("check".into(), Some(table.clone()), from.name.clone()))
            }
            Change::DropEnum { from, .. } => Some(("enum".into(), None, from.name.clone())),
            _ => None,
        })
        .collect();
    let recreates_blocked = |c: &Change| {
        let key = match c {
            Change::AddIndex { table, to, .. } => {
                ("index".to_string(), Some(table.clone()), to.name.clone())
            }
            Change::AddForeignKey { table, to, .. } => {
                ("fk".into(), Some(table.clone()), to.name.clone())
            }
            Change::AddCheck { table, to, .. } => {
                ("check".into(), Some(table.clone()), to.name.clone())
            }
            Change::CreateEnum { to, .. } => ("enum".into(), None, to.name.clone()),
            _ => return false,
        };
        blocked.contains(&key)
    };
    changes
        .into_iter()
        .filter(|c| !skipped(c) && !recreates_blocked(c))
        .collect()
}

/// Decide whether `plan` may run. `unattended` is `-auto-approve` (or a saved plan);
/// `allow_destructive` is `-allow-destructive`. `Err` carries the refusal to show.
pub fn approve(
    plan: &Plan,
    policy: &Policy,
    unattended: bool,
    allow_destructive: bool,
) -> Result<(), String> {
    if !plan.blocking.is_empty() {
        return Err(format!(
            "the plan cannot succeed on the current data; nothing was applied:\n  {}\nFix the data (or the models) and plan again.",
            plan.blocking.join("\n  ")
        ));
    }
    let costly: Vec<String> = plan
        .steps
        .iter()
        .flat_map(|s| s.hazards.iter().map(move |h| (s, h)))
        .filter(|(_, h)| h.kind.costs_data())
        .map(|(s, h)| {
            format!(
                "{} ({}: {})",
                s.address,
                h.kind.label().to_lowercase(),
                h.message
            )
        })
        .collect();
    if costly.is_empty() {
        return Ok(());
    }
    if policy.destructive_error {
        return Err(format!(
            "lint.destructive.error is set and the plan destroys or loses data; nothing was applied:\n  {}",
            costly.join("\n  ")
        ));
    }
    let allowed = |k: HazardKind| allow_destructive || policy.allow_hazards.contains(&k);
    let refused = plan
        .steps
        .iter()
        .flat_map(|s| &s.hazards)
        .any(|h| h.kind.costs_data() && !allowed(h.kind));
    if unattended && refused {
        return Err(format!(
            "-auto-approve refuses plans that destroy or lose data; nothing was applied:\n  {}\nReview the plan, then re-run with -allow-destructive, allow the hazards in the config (policy {{ allow_hazards = [\"destructive\", \"data_loss\"] }}), or apply interactively.",
            costly.join("\n  ")
        ));
    }
    Ok(())
}
