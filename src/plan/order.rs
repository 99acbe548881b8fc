//! Ordering: dependency facts become a graph whose edges mean "must run before"; the plan is
//! its topological order, stable for equal inputs (ties broken by address). Foreign-key cycles
//! are broken by moving the keys out of CREATE TABLE (or DROP TABLE) into their own steps, or,
//! where the dialect accepts forward references (SQLite), by ignoring those edges.

use super::deps::{Node, addr, fk_name, node};
use crate::diff::Change;
use petgraph::Graph;
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use std::collections::{BTreeSet, HashMap, HashSet};
use strata_schema::Database;

/// OrderError is a dependency cycle the planner could not break.
#[derive(Debug)]
pub struct OrderError {
    pub cycle: Vec<String>,
}

fn graph(nodes: &[Node]) -> Graph<usize, ()> {
    let mut g = Graph::new();
    let ids: Vec<NodeIndex> = (0..nodes.len()).map(|i| g.add_node(i)).collect();
    let mut provider: HashMap<&str, usize> = HashMap::new();
    let mut remover: HashMap<&str, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for a in &n.provides {
            provider.insert(a, i);
        }
        for a in &n.removes {
            remover.insert(a, i);
        }
    }
    let mut edges = HashSet::new();
    for (i, n) in nodes.iter().enumerate() {
        for a in &n.needs {
            if let Some(&p) = provider.get(a.as_str()) {
                edges.insert((p, i));
            }
        }
        for a in &n.removed_needs {
            if let Some(&d) = remover.get(a.as_str()) {
                edges.insert((i, d));
            }
        }
        for a in &n.removes {
            if let Some(&c) = provider.get(a.as_str()) {
                edges.insert((i, c));
            }
        }
    }
    for (a, b) in edges {
        if a != b {
            g.add_edge(ids[a], ids[b], ());
        }
    }
    g
}

/// Order `changes` into a valid sequence of nodes.
pub(crate) fn order(
    changes: Vec<Change>,
    desired: &Database,
    live: &Database,
    can_alter_fks: bool,
) -> Result<Vec<Node>, OrderError> {
    let mut nodes: Vec<Node> = changes
        .into_iter()
        .map(|c| node(c, desired, live))
        .collect();
    // Each round breaks the cycles it sees; a cycle that survives two rounds is not made of
    // foreign keys between created or dropped tables, which we cannot break.
    for _ in 0..3 {
        let g = graph(&nodes);
        let cycles: Vec<Vec<usize>> = tarjan_scc(&g)
            .into_iter()
            .filter(|scc| scc.len() > 1)
            .map(|scc| scc.into_iter().map(|i| g[i]).collect())
            .collect();
        if cycles.is_empty() {
            return Ok(kahn(&g, nodes));
        }
        let mut broke = false;
        for cycle in cycles {
            broke |= break_cycle(&mut nodes, &cycle, desired, live, can_alter_fks);
        }
        if !broke {
            break;
        }
    }
    let g = graph(&nodes);
    let cycle = tarjan_scc(&g)
        .into_iter()
        .find(|scc| scc.len() > 1)
        .map(|scc| {
            scc.into_iter()
                .map(|i| nodes[g[i]].address.clone())
                .collect()
        })
        .unwrap_or_default();
    Err(OrderError { cycle })
}

/// Break a cycle among table creations or drops by detaching the foreign keys that point at
/// other tables in the cycle. Returns false when the cycle has nothing to detach.
fn break_cycle(
    nodes: &mut Vec<Node>,
    cycle: &[usize],
    desired: &Database,
    live: &Database,
    can_alter_fks: bool,
) -> bool {
    let tables: HashSet<String> = cycle.iter().map(|&i| nodes[i].address.clone()).collect();
    let in_cycle = |schema: &str, fk: &strata_schema::ForeignKey| {
        let rs = fk.ref_schema.as_deref().unwrap_or(schema);
        tables.contains(&addr("table", &[rs, &fk.ref_table]))
    };
    let mut broke = false;
    let mut extra = Vec::new();
    for &i in cycle {
        let (schema, detached) = match &mut nodes[i].change {
            Change::CreateTable { schema, to } => {
                let (keep, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut to.foreign_keys)
                    .into_iter()
                    .partition(|fk| !in_cycle(schema, fk) || fk.ref_table == to.name);
                to.foreign_keys = keep;
                let s = schema.clone();
                let t = to.name.clone();
                let moved: Vec<Change> = moved
                    .into_iter()
                    .map(|fk| Change::AddForeignKey {
                        schema: s.clone(),
                        table: t.clone(),
                        to: fk,
                    })
                    .collect();
                (s, moved)
            }
            Change::DropTable { schema, from } => {
                let (keep, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut from.foreign_keys)
                    .into_iter()
                    .partition(|fk| !in_cycle(schema, fk) || fk.ref_table == from.name);
                from.foreign_keys = keep;
                let s = schema.clone();
                let t = from.name.clone();
                let moved: Vec<Change> = moved
                    .into_iter()
                    .map(|fk| Change::DropForeignKey {
                        schema: s.clone(),
                        table: t.clone(),
                        from: fk,
                    })
                    .collect();
                (s, moved)
            }
            _ => continue,
        };
        if detached.is_empty() {
            continue;
        }
        broke = true;
        let rebuilt = node(nodes[i].change.clone(), desired, live);
        nodes[i] = rebuilt;
        if can_alter_fks {
            extra.extend(detached.into_iter().map(|c| node(c, desired, live)));
        } else {
            // SQLite accepts references to tables that do not exist yet and runs plans with
            // foreign keys off, so the keys stay in the table definition without ordering it.
            restore_unordered_fks(&mut nodes[i], detached, &schema);
        }
    }
    nodes.extend(extra);
    broke
}

/// Put detached keys back into the table's definition without their ordering facts.
fn restore_unordered_fks(n: &mut Node, detached: Vec<Change>, schema: &str) {
    for c in detached {
        match (&mut n.change, c) {
            (Change::CreateTable { to, .. }, Change::AddForeignKey { to: fk, .. }) => {
                n.provides
                    .push(addr("fk", &[schema, &to.name, &fk_name(&fk)]));
                to.foreign_keys.push(fk);
            }
            (Change::DropTable { from, .. }, Change::DropForeignKey { from: fk, .. }) => {
                n.removes
                    .push(addr("fk", &[schema, &from.name, &fk_name(&fk)]));
                from.foreign_keys.push(fk);
            }
            _ => {}
        }
    }
}

/// Kahn's algorithm with a sorted frontier: among steps that are ready, the smallest
/// (address, action, original position) goes first, so equal inputs give equal plans.
fn kahn(g: &Graph<usize, ()>, nodes: Vec<Node>) -> Vec<Node> {
    let mut indegree: Vec<usize> = g
        .node_indices()
        .map(|i| g.neighbors_directed(i, petgraph::Incoming).count())
        .collect();
    let key = |i: NodeIndex| {
        let n = &nodes[g[i]];
        (n.address.clone(), n.action, g[i])
    };
    let mut ready: BTreeSet<(String, super::Action, usize, NodeIndex)> = g
        .node_indices()
        .filter(|&i| indegree[i.index()] == 0)
        .map(|i| {
            let (a, b, c) = key(i);
            (a, b, c, i)
        })
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(first) = ready.pop_first() {
        let i = first.3;
        order.push(g[i]);
        for next in g.neighbors(i) {
            indegree[next.index()] -= 1;
            if indegree[next.index()] == 0 {
                let (a, b, c) = key(next);
                ready.insert((a, b, c, next));
            }
        }
    }
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
