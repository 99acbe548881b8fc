//! Online changes on PostgreSQL (`diff { concurrent_index { add = true, drop = true } }`):
//! steps on existing tables are rewritten to take locks that let writes continue.
//!
//! - `CREATE [UNIQUE] INDEX` → `… CONCURRENTLY`, `DROP INDEX` → `DROP INDEX CONCURRENTLY`:
//!   SHARE UPDATE EXCLUSIVE instead of SHARE / ACCESS EXCLUSIVE;
//! - `ADD CONSTRAINT … FOREIGN KEY|CHECK` → `… NOT VALID`, then `VALIDATE CONSTRAINT`: the
//!   brief ADD needs a strong lock, the long validation only SHARE UPDATE EXCLUSIVE.
//!
//! None of these may run inside the plan's transaction (CONCURRENTLY refuses to; a VALIDATE
//! inside it would keep the ADD's lock until the end), so the steps are marked
//! non-transactional: apply commits before them and runs them on their own.

use super::{Hazard, HazardKind, Plan, Step};
use crate::diff::Change;
use crate::safety::policy::Policy;
use strata_schema::Dialect;

/// Rewrite `plan`'s steps for online execution as `policy` asks (PostgreSQL only).
pub fn apply(plan: &mut Plan, policy: &Policy) {
    if plan.dialect != Dialect::Postgres {
        return;
    }
    let online = policy.concurrent_index_add;
    for step in &mut plan.steps {
        if step.replaced.is_some() {
            continue;
        }
        let rewritten = match step.change.clone() {
            Change::AddIndex { table, .. } if online => {
                concurrently(step, "INDEX ", &table, "builds")
            }
            Change::DropIndex { table, .. } if policy.concurrent_index_drop => {
                concurrently(step, "DROP INDEX ", &table, "drops")
            }
            Change::AddForeignKey { table, to, .. } if online => not_valid(step, &table, &to.name),
            Change::AddCheck { table, to, .. } if online => not_valid(step, &table, &to.name),
            _ => false,
        };
        if rewritten {
            step.transactional = false;
        }
    }
}

/// Insert CONCURRENTLY after `keyword` in the step's first statement.
fn concurrently(step: &mut Step, keyword: &str, table: &str, verb: &str) -> bool {
    let Some(first) = step.statements.first_mut() else {
        return false;
    };
    let Some(at) = first.sql.find(keyword) else {
        return false;
    };
    // A UNIQUE constraint (ALTER TABLE … ADD CONSTRAINT) has no concurrent form.
    if first.sql.starts_with("ALTER TABLE") {
        return false;
    }
    first.sql.insert_str(at + keyword.len(), "CONCURRENTLY ");
    step.hazards.retain(|h| h.kind != HazardKind::Lock);
    step.hazards.push(Hazard {
        kind: HazardKind::NonTransactional,
        message: format!(
            "runs outside the transaction ({verb} the index CONCURRENTLY); if it fails, the steps before it stay applied"
        ),
    });
    step.hazards.push(Hazard {
        kind: HazardKind::Lock,
        message: format!("SHARE UPDATE EXCLUSIVE on {table}: reads and writes continue"),
    });
    true
}

/// Add the constraint NOT VALID, then validate it in a second statement.
fn not_valid(step: &mut Step, table: &str, name: &str) -> bool {
    let Some(first) = step.statements.first() else {
        return false;
    };
    if !first.sql.starts_with("ALTER TABLE") || step.statements.len() != 1 {
        return false;
    }
    let target = first.sql[..first.sql.find(" ADD ").unwrap_or(first.sql.len())].to_string();
    step.statements[0].sql.push_str(" NOT VALID");
    step.hazards.retain(|h| h.kind != HazardKind::Lock);
    step.statements.push(super::Statement::new(format!(
        "{target} VALIDATE CONSTRAINT {}",
        Dialect::Postgres.quote(name)
    )));
    step.hazards.push(Hazard {
        kind: HazardKind::NonTransactional,
        message: "runs outside the transaction (added NOT VALID, then validated); if it fails, the steps before it stay applied".into(),
    });
    step.hazards.push(Hazard {
        kind: HazardKind::Lock,
        message: format!("a brief lock on {table} to add the constraint, then SHARE UPDATE EXCLUSIVE to validate: writes continue"),
    });
    true
}
