//! Plan steps: what the operator reviews and what apply executes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Action is what a step does to its object; its value is the symbol the plan shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    /// Delete then create (a rebuild or a change that cannot be made in place).
    Replace,
    Delete,
    /// Record an existing object in state without DDL.
    Adopt,
}

impl Action {
    /// The plan symbol, as Terraform prints it.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Adopt => "<=",
        }
    }

    /// The legend text for the symbol.
    pub fn legend(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update in-place",
            Action::Replace => "destroy and then create replacement",
            Action::Delete => "destroy",
            Action::Adopt => "adopt (record the existing object in state; no DDL)",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Adopt => "adopt",
        })
    }
}

/// Hazard is a typed warning attached to a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub message: String,
}

/// HazardKind names what a step may cost the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Drops a table, a column or a data-bearing constraint.
    Destructive,
    /// Narrows a type or removes values that rows may hold.
    DataLoss,
    /// Rewrites the whole table (SQLite rebuild, PostgreSQL type change).
    TableRewrite,
    /// Cannot be rolled back with the rest of the plan (MySQL DDL).
    NonTransactional,
    /// Takes a lock that blocks other sessions (the message names the level).
    Lock,
    /// Builds an index over every row.
    IndexBuild,
    /// Fails if the existing rows do not satisfy the new rule (NOT NULL, UNIQUE, CHECK, FK).
    MayFail,
}

impl std::str::FromStr for HazardKind {
    type Err = String;

    /// Parse the snake_case name used in config and JSON (`destructive`, `data_loss`, …).
    fn from_str(s: &str) -> Result<HazardKind, String> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
            format!(
                "unknown hazard {s:?}: use destructive, data_loss, table_rewrite, non_transactional, lock, index_build or may_fail"
            )
        })
    }
}

impl HazardKind {
    /// The label shown in the plan.
    pub fn label(self) -> &'static str {
        match self {
            HazardKind::Destructive => "DESTRUCTIVE",
            HazardKind::DataLoss => "DATA LOSS",
            HazardKind::TableRewrite => "TABLE REWRITE",
            HazardKind::NonTransactional => "NON-TRANSACTIONAL",
            HazardKind::Lock => "LOCK",
            HazardKind::IndexBuild => "INDEX BUILD",
            HazardKind::MayFail => "MAY FAIL",
        }
    }

    /// True for the hazards that cost data, which `-auto-approve` refuses unless allowed.
    pub fn costs_data(self) -> bool {
        matches!(self, HazardKind::Destructive | HazardKind::DataLoss)
    }
}

/// Statement is one SQL statement of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub sql: String,
}

impl Statement {
    /// A statement from SQL text.
    pub fn new(sql: impl Into<String>) -> Statement {
        Statement { sql: sql.into() }
    }
}
