//! Build a plan: fold changes SQLite cannot ALTER into table rebuilds, order the changes, and
//! turn each into a step with its SQL, hazards and a human description.

use super::hazards;
use super::order::order;
use super::{Plan, Step};
use crate::dialect;
use crate::diff::Change;
use std::collections::BTreeSet;
use strata_schema::{Database, Dialect};

/// PlanError is a set of changes that cannot be put in a valid order.
#[derive(Debug, thiserror::Error)]
#[error("cannot order the plan: these steps depend on each other in a cycle: {}", .0.join(" -> "))]
pub struct PlanError(pub Vec<String>);

/// Build the ordered plan that turns `live` into `desired` through `changes`.
pub fn build(
    dialect: Dialect,
    target: String,
    changes: Vec<Change>,
    desired: &Database,
    live: &Database,
) -> Result<Plan, PlanError> {
    let changes = fold_rebuilds(dialect, changes, desired, live);
    let nodes = order(
        changes,
        desired,
        live,
        dialect::can_add_foreign_keys(dialect),
    )
    .map_err(|e| PlanError(e.cycle))?;
    let steps = nodes
        .into_iter()
        .map(|n| {
            let parts: Vec<&Change> = n.replaced.iter().chain([&n.change]).collect();
            Step {
                statements: parts
                    .iter()
                    .flat_map(|c| dialect::render(dialect, c))
                    .collect(),
                hazards: parts.iter().flat_map(|c| hazards::of(dialect, c)).collect(),
                details: parts.iter().flat_map(|c| details(dialect, c)).collect(),
                address: n.address,
                action: n.action,
                transactional: !dialect::commits_alone(dialect, &n.change),
                replaced: n.replaced,
                change: n.change,
            }
        })
        .collect();
    Ok(Plan {
        dialect,
        target,
        steps,
        warnings: Vec::new(),
        drift: Vec::new(),
        unmanaged: 0,
        blocking: Vec::new(),
        basis: super::Basis::default(),
        policy: Default::default(),
    })
}

/// Replace every group of table changes that contains one the dialect cannot ALTER with a
/// single rebuild of that table.
fn fold_rebuilds(
    dialect: Dialect,
    changes: Vec<Change>,
    desired: &Database,
    live: &Database,
) -> Vec<Change> {
    let rebuild: BTreeSet<(String, String)> = changes
        .iter()
        .filter(|c| !matches!(c, Change::CreateTable { .. } | Change::DropTable { .. }))
        .filter(|c| dialect::needs_rebuild(dialect, c))
        .filter_map(|c| c.table().map(|t| (c.schema().to_string(), t.to_string())))
        .collect();
    if rebuild.is_empty() {
        return changes;
    }
    let mut out: Vec<Change> = changes
        .into_iter()
        .filter(|c| {
            matches!(c, Change::CreateTable { .. } | Change::DropTable { .. })
                || !c
                    .table()
                    .is_some_and(|t| rebuild.contains(&(c.schema().to_string(), t.to_string())))
        })
        .collect();
    for (schema, table) in rebuild {
        let find = |db: &Database| {
            db.schemas
                .get(&schema)
                .and_then(|s| s.tables.get(&table))
                .cloned()
        };
        if let (Some(from), Some(to)) = (find(live), find(desired)) {
            out.push(Change::RebuildTable { schema, from, to });
        }
    }
    out
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

/// Human lines describing what a step changes.
fn details(dialect: Dialect, change: &Change) -> Vec<String> {
    match change {
        Change::ModifyColumn {
            from, to, changes, ..
        } => {
            let mut out = Vec::new();
            if changes.ty {
                out.push(format!(
                    "type: {} -> {}",
                    from.ty.sql(dialect),
                    to.ty.sql(dialect)
                ));
            }
            if changes.nullable {
                out.push(format!("nullable: {} -> {}", from.nullable, to.nullable));
            }
            if changes.default {
                out.push(format!(
                    "default: {} -> {}",
                    show(&from.default),
                    show(&to.default)
                ));
            }
            if changes.identity {
                out.push(format!(
                    "identity: {:?} -> {:?}",
                    from.identity, to.identity
                ));
            }
            if changes.generated {
                out.push(format!(
                    "generated: {} -> {}",
                    show(&from.generated.as_ref().map(|g| g.expr.clone())),
                    show(&to.generated.as_ref().map(|g| g.expr.clone()))
                ));
            }
            if changes.on_update {
                out.push(format!(
                    "on update: {} -> {}",
                    show(&from.on_update),
                    show(&to.on_update)
                ));
            }
            if changes.collation {
                out.push(format!(
                    "collation: {} -> {}",
                    show(&from.collation),
                    show(&to.collation)
                ));
            }
            if changes.comment {
                out.push(format!(
                    "comment: {} -> {}",
                    show(&from.comment),
                    show(&to.comment)
                ));
            }
            out
        }
        Change::AlterEnum { from, to, .. } => {
            let added: Vec<&str> = to
                .values
                .iter()
                .filter(|v| !from.values.contains(v))
                .map(String::as_str)
                .collect();
            vec![format!("add values: {}", added.join(", "))]
        }
        Change::SetTableComment { from, to, .. } => {
            vec![format!("comment: {} -> {}", show(from), show(to))]
        }
        Change::RebuildTable { schema, from, to } => rebuild_details(dialect, schema, from, to),
        _ => Vec::new(),
    }
}

fn rebuild_details(
    dialect: Dialect,
    schema: &str,
    from: &strata_schema::Table,
    to: &strata_schema::Table,
) -> Vec<String> {
    crate::diff::table_changes(dialect, schema, from, to)
        .iter()
        .map(|c| c.describe(dialect))
        .collect()
}
