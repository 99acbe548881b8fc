//! Record the outcome of an apply: every desired object with the live form the database
//! reported right after, and nothing that is no longer desired.

use super::{Managed, ObjectRef, State, TargetFingerprint, objects};
use strata_schema::{Database, Type};

/// What an apply changed, for the history entry.
pub struct Outcome<'a> {
    pub operation: &'a str,
    /// Catalog identities of the live tables, where the database has them.
    pub identities: &'a std::collections::BTreeMap<String, super::CatalogIdentity>,
    pub plan: Option<String>,
    pub steps: usize,
}

/// The state after an apply: `previous` (or a new state) with every desired object recorded
/// from `desired` and `live`. The serial is bumped when the content changed (and on the first
/// write, so a written state always has serial ≥ 1).
pub fn record(
    previous: Option<State>,
    env: &str,
    target: TargetFingerprint,
    desired: &Database,
    live: &Database,
    outcome: Outcome<'_>,
) -> State {
    let is_new = previous.is_none();
    let mut state = previous.unwrap_or_else(|| State::new(env, target.clone()));
    let before = state.content_fingerprint();
    let wanted = objects(desired);
    let present = objects(live);
    state
        .objects
        .retain(|address, _| wanted.contains_key(address));
    for (address, want) in wanted {
        if let Some(got) = present.get(&address) {
            let deps = depends_on(&address, want);
            let identity = outcome.identities.get(&address).cloned();
            let mut managed =
                Managed::new(address.clone(), want.to_object(), got.to_object(), deps);
            managed.identity = identity;
            state.objects.insert(address, managed);
        }
    }
    state.target = target;
    state.tool_version = env!("CARGO_PKG_VERSION").to_string();
    if is_new || state.content_fingerprint() != before {
        state.serial += 1;
    }
    state.record_history(outcome.operation, outcome.plan, outcome.steps);
    state
}

/// Tables a table references and the enum types its columns use, as addresses.
fn depends_on(address: &str, object: ObjectRef<'_>) -> Vec<String> {
    let ObjectRef::Table(t) = object else {
        return Vec::new();
    };
    let schema = address.split('.').nth(1).unwrap_or_default();
    let mut out: Vec<String> = t
        .foreign_keys
        .iter()
        .filter(|fk| {
            fk.ref_table != t.name || fk.ref_schema.as_deref().is_some_and(|s| s != schema)
        })
        .map(|fk| {
            format!(
                "table.{}.{}",
                fk.ref_schema.as_deref().unwrap_or(schema),
                fk.ref_table
            )
        })
        .collect();
    for c in &t.columns {
        if let Type::UserDefined { name } = &c.ty {
            out.push(match name.split_once('.') {
                Some((s, n)) => format!("enum.{s}.{n}"),
                None => format!("enum.{schema}.{name}"),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}
