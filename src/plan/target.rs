//! `-target=ADDRESS` and `-exclude=ADDRESS`: a partial plan. Targeting keeps the steps on the
//! named objects and every step they depend on; excluding drops the steps on the named objects
//! and every step that depends on them. A table address covers everything on that table
//! (`table.public.users` covers `column.public.users.email`). Partial plans carry a warning:
//! the state records only what they touched.

use super::Plan;
use super::deps::node;
use std::collections::BTreeSet;
use strata_schema::Database;

/// True when `address` is `pattern`, or belongs to the table `pattern` names.
fn covers(pattern: &str, address: &str) -> bool {
    if pattern == address {
        return true;
    }
    match pattern.strip_prefix("table.") {
        Some(table) => address
            .split_once('.')
            .is_some_and(|(_, rest)| rest == table || rest.starts_with(&format!("{table}."))),
        None => false,
    }
}

/// Limit `plan` to `targets` (if any) and without `excludes`.
pub fn limit(
    plan: &mut Plan,
    targets: &[String],
    excludes: &[String],
    desired: &Database,
    live: &Database,
) {
    if targets.is_empty() && excludes.is_empty() {
        return;
    }
    let facts: Vec<_> = plan
        .steps
        .iter()
        .map(|s| node(s.change.clone(), desired, live))
        .collect();
    let depends = |i: usize, j: usize| {
        // Step i needs what step j provides, or must outlive what j removes.
        facts[i].needs.iter().any(|a| facts[j].provides.contains(a))
            || facts[j]
                .removed_needs
                .iter()
                .any(|a| facts[i].removes.contains(a))
    };
    let n = plan.steps.len();
    let mut keep: BTreeSet<usize> = if targets.is_empty() {
        (0..n).collect()
    } else {
        let mut chosen: BTreeSet<usize> = (0..n)
            .filter(|&i| targets.iter().any(|t| covers(t, &plan.steps[i].address)))
            .collect();
        // Close over dependencies: what the targeted steps need runs too.
        loop {
            let more: Vec<usize> = (0..n)
                .filter(|j| !chosen.contains(j) && chosen.iter().any(|&i| depends(i, *j)))
                .collect();
            if more.is_empty() {
                break;
            }
            chosen.extend(more);
        }
        chosen
    };
    let mut dropped: BTreeSet<usize> = (0..n)
        .filter(|&i| excludes.iter().any(|x| covers(x, &plan.steps[i].address)))
        .collect();
    // Close over dependents: what needs an excluded step cannot run without it.
    loop {
        let more: Vec<usize> = (0..n)
            .filter(|i| !dropped.contains(i) && dropped.iter().any(|&j| depends(*i, j)))
            .collect();
        if more.is_empty() {
            break;
        }
        dropped.extend(more);
    }
    keep.retain(|i| !dropped.contains(i));
    let before = plan.steps.len();
    let mut index = 0;
    plan.steps.retain(|_| {
        index += 1;
        keep.contains(&(index - 1))
    });
    plan.warnings.push(format!(
        "this is a partial plan (-target/-exclude): {} of {before} step(s) kept. Objects left out may still differ from the desired schema; run a full plan when done.",
        plan.steps.len()
    ));
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_table_address_covers_its_parts() {
        assert!(covers("table.public.users", "table.public.users"));
        assert!(covers("table.public.users", "column.public.users.email"));
        assert!(covers(
            "table.public.users",
            "index.public.users.users_email_key"
        ));
        assert!(!covers("table.public.users", "table.public.users_archive"));
        assert!(!covers(
            "table.public.users",
            "column.public.users_archive.id"
        ));
        assert!(covers(
            "column.public.users.email",
            "column.public.users.email"
        ));
        assert!(!covers(
            "column.public.users.email",
            "column.public.users.name"
        ));
    }
}
