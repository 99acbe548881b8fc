//! Ordering: dependency facts become a graph whose edges mean "must run before"; the plan is
//! its topological order, stable for equal inputs (ties broken by address). Foreign-key cycles
//! are broken by moving the keys out of CREATE TABLE (or DROP TABLE) into their own steps, or,
//! where the dialect accepts forward references (SQLite), by ignoring those edges.

use super::Action;
use super::deps::{Node, addr, node};
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

/// Order `changes` into a valid sequence of nodes. A drop and a create of the same object
/// become one replacement step (`-/+`) unless that would make the plan impossible to order.
pub(crate) fn order(
    changes: Vec<Change>,
    desired: &Database,
    live: &Database,
    can_alter_fks: bool,
) -> Result<Vec<Node>, OrderError> {
    let nodes: Vec<Node> = changes
        .into_iter()
        .map(|c| node(c, desired, live))
        .collect();
    match order_nodes(
        merge_replacements(nodes.clone()),
        desired,
        live,
        can_alter_fks,
    ) {
        Ok(ordered) => Ok(ordered),
        Err(_) => order_nodes(nodes, desired, live, can_alter_fks),
    }
}

/// Fold each (delete X, create X) pair into one replace node that drops, then creates.
fn merge_replacements(nodes: Vec<Node>) -> Vec<Node> {
    let creates: HashMap<String, usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.action == Action::Create)
        .map(|(i, n)| (n.address.clone(), i))
        .collect();
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    for i in 0..slots.len() {
        let pair = match &slots[i] {
            Some(n) if n.action == Action::Delete => creates.get(&n.address).copied(),
            _ => None,
        };
        let Some(c) = pair else { continue };
        let (Some(drop), Some(mut create)) = (slots[i].take(), slots[c].take()) else {
            continue;
        };
        create.action = Action::Replace;
        create.removes.extend(drop.removes);
        create.removed_needs.extend(drop.removed_needs);
        create.replaced = Some(drop.change);
        slots[c] = Some(create);
    }
    slots.into_iter().flatten().collect()
}

fn order_nodes(
    mut nodes: Vec<Node>,
    desired: &Database,
    live: &Database,
    can_alter_fks: bool,
) -> Result<Vec<Node>, OrderError> {
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

/// Break a cycle among table creations or drops. Where the dialect can add and drop foreign
/// keys on existing tables, the keys that point at other tables in the cycle move into their
/// own steps. Otherwise (SQLite, which accepts references to tables that do not exist yet and
/// applies with foreign keys off) the ordering facts between the cycle's tables are dropped.
/// Returns false when the cycle has nothing to break.
fn break_cycle(
    nodes: &mut Vec<Node>,
    cycle: &[usize],
    desired: &Database,
    live: &Database,
    can_alter_fks: bool,
) -> bool {
    let tables: HashSet<String> = cycle.iter().map(|&i| nodes[i].address.clone()).collect();
    if !can_alter_fks {
        return forget_cycle_edges(nodes, cycle, &tables);
    }
    let in_cycle = |schema: &str, fk: &strata_schema::ForeignKey| {
        let rs = fk.ref_schema.as_deref().unwrap_or(schema);
        tables.contains(&addr("table", &[rs, &fk.ref_table]))
    };
    let mut extra = Vec::new();
    for &i in cycle {
        let detached: Vec<Change> = match &mut nodes[i].change {
            Change::CreateTable { schema, to } => {
                let (keep, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut to.foreign_keys)
                    .into_iter()
                    .partition(|fk| !in_cycle(schema, fk) || fk.ref_table == to.name);
                to.foreign_keys = keep;
                moved
                    .into_iter()
                    .map(|fk| Change::AddForeignKey {
                        schema: schema.clone(),
                        table: to.name.clone(),
                        to: fk,
                    })
                    .collect()
            }
            Change::DropTable { schema, from } => {
                let (keep, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut from.foreign_keys)
                    .into_iter()
                    .partition(|fk| !in_cycle(schema, fk) || fk.ref_table == from.name);
                from.foreign_keys = keep;
                moved
                    .into_iter()
                    .map(|fk| Change::DropForeignKey {
                        schema: schema.clone(),
                        table: from.name.clone(),
                        from: fk,
                    })
                    .collect()
            }
            _ => continue,
        };
        if !detached.is_empty() {
            nodes[i] = node(nodes[i].change.clone(), desired, live);
            extra.extend(detached.into_iter().map(|c| node(c, desired, live)));
        }
    }
    let broke = !extra.is_empty();
    nodes.extend(extra);
    broke
}

/// Remove the dependency facts that tie each node of a cycle to the other tables in it.
fn forget_cycle_edges(nodes: &mut [Node], cycle: &[usize], tables: &HashSet<String>) -> bool {
    // "table.S.T" owns "column.S.T.c", "pk.S.T", "index.S.T.i"…: compare on "S.T".
    let keys: HashSet<&str> = tables
        .iter()
        .filter_map(|t| t.strip_prefix("table."))
        .collect();
    let owner = |a: &str| -> Option<String> {
        let rest = a.split_once('.')?.1;
        let mut parts = rest.splitn(3, '.');
        Some(format!("{}.{}", parts.next()?, parts.next()?))
    };
    let mut broke = false;
    for &i in cycle {
        let own = nodes[i]
            .address
            .strip_prefix("table.")
            .unwrap_or("")
            .to_string();
        let foreign = |a: &String| owner(a).is_some_and(|o| o != own && keys.contains(o.as_str()));
        let before = nodes[i].needs.len() + nodes[i].removed_needs.len();
        nodes[i].needs.retain(|a| !foreign(a));
        nodes[i].removed_needs.retain(|a| !foreign(a));
        broke |= nodes[i].needs.len() + nodes[i].removed_needs.len() != before;
    }
    broke
}

/// Kahn's algorithm with a sorted frontier: among steps that are ready, the smallest
/// (address, action, original position) goes first, so equal inputs give equal plans.
fn kahn(g: &Graph<usize, ()>, nodes: Vec<Node>) -> Vec<Node> {
    let mut indegree: Vec<usize> = g
        .node_indices()
        .map(|i| g.neighbors_directed(i, petgraph::Incoming).count())
        .collect();
    // Enum values are added before anything else that is ready: on PostgreSQL they commit on
    // their own (see `dialect::commits_alone`), and whatever ran before them would be committed
    // with them — and a step that already used the new value would have failed.
    let key = |i: NodeIndex| {
        let n = &nodes[g[i]];
        let later = !matches!(n.change, Change::AlterEnum { .. });
        (later, n.address.clone(), n.action, g[i], i)
    };
    let mut ready: BTreeSet<(bool, String, super::Action, usize, NodeIndex)> = g
        .node_indices()
        .filter(|&i| indegree[i.index()] == 0)
        .map(key)
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(first) = ready.pop_first() {
        let i = first.4;
        order.push(g[i]);
        for next in g.neighbors(i) {
            indegree[next.index()] -= 1;
            if indegree[next.index()] == 0 {
                ready.insert(key(next));
            }
        }
    }
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
