//! Ordering tests: the bug classes we fear most (wrong step order, unbreakable FK cycles).

use super::*;
use crate::diff::diff;
use strata_schema::{Column, Database, ForeignKey, PrimaryKey, ReferentialAction, Table, Type};

fn table(name: &str, refs: &[&str]) -> Table {
    let mut t = Table::new(name);
    let int = Type::Integer {
        bytes: 4,
        unsigned: false,
    };
    let mut id = Column::new("id", int.clone());
    id.nullable = false;
    t.columns.push(id);
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
    });
    for r in refs {
        let col = format!("{r}_id");
        t.columns.push(Column::new(col.clone(), int.clone()));
        t.foreign_keys.push(ForeignKey {
            name: format!("{name}_{col}_fkey"),
            columns: vec![col],
            ref_schema: None,
            ref_table: r.to_string(),
            ref_columns: vec!["id".into()],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::NoAction,
            deferrable: Default::default(),
        });
    }
    t
}

fn db(tables: Vec<Table>) -> Database {
    let mut db = Database::default();
    let s = db.schema_mut("public");
    for t in tables {
        s.tables.insert(t.name.clone(), t);
    }
    db
}

fn steps(dialect: Dialect, desired: &Database, live: &Database) -> Vec<String> {
    let plan = build(
        dialect,
        String::new(),
        diff(dialect, desired, live),
        desired,
        live,
    )
    .expect("plan");
    plan.steps
        .iter()
        .map(|s| format!("{} {}", s.action.symbol(), s.address))
        .collect()
}

#[test]
fn referenced_tables_are_created_first_and_dropped_last() {
    // Alphabetical order would be wrong both ways: a_child references z_parent.
    let desired = db(vec![
        table("a_child", &["z_parent"]),
        table("z_parent", &[]),
    ]);
    let empty = Database::default();
    let mut with_schema = Database::default();
    with_schema.schema_mut("public");
    assert_eq!(
        steps(Dialect::Postgres, &desired, &with_schema),
        ["+ table.public.z_parent", "+ table.public.a_child"]
    );
    let mut only_schema = Database::default();
    only_schema.schema_mut("public");
    assert_eq!(
        steps(Dialect::Postgres, &only_schema, &desired),
        ["- table.public.a_child", "- table.public.z_parent"]
    );
    assert_eq!(
        steps(Dialect::Postgres, &desired, &empty)[0],
        "+ schema.public"
    );
}

#[test]
fn foreign_key_cycles_are_broken_by_adding_keys_after_the_tables() {
    let desired = db(vec![table("a", &["b"]), table("b", &["a"])]);
    let mut live = Database::default();
    live.schema_mut("public");
    assert_eq!(
        steps(Dialect::Postgres, &desired, &live),
        [
            "+ table.public.a",
            "+ table.public.b",
            "+ fk.public.a.a_b_id_fkey",
            "+ fk.public.b.b_a_id_fkey"
        ]
    );
    // Dropping the cycle detaches a key first, then drops the tables in a valid order.
    let dropped = steps(Dialect::Mysql, &live, &desired);
    assert_eq!(
        dropped,
        [
            "- fk.public.a.a_b_id_fkey",
            "- fk.public.b.b_a_id_fkey",
            "- table.public.a",
            "- table.public.b"
        ]
    );
    // SQLite accepts forward references: the keys stay inline.
    assert_eq!(
        steps(Dialect::Sqlite, &desired, &live),
        ["+ table.public.a", "+ table.public.b"]
    );
}

#[test]
fn self_references_need_no_detaching() {
    let desired = db(vec![table("node", &["node"])]);
    let mut live = Database::default();
    live.schema_mut("public");
    assert_eq!(
        steps(Dialect::Postgres, &desired, &live),
        ["+ table.public.node"]
    );
}

#[test]
fn keys_are_dropped_before_the_columns_and_tables_they_use() {
    let live = db(vec![table("a", &["b"]), table("b", &[])]);
    let mut desired_a = table("a", &[]);
    desired_a.columns.retain(|c| c.name == "id");
    let desired = db(vec![desired_a]);
    assert_eq!(
        steps(Dialect::Postgres, &desired, &live),
        [
            "- fk.public.a.a_b_id_fkey",
            "- column.public.a.b_id",
            "- table.public.b"
        ]
    );
}

#[test]
fn order_is_stable_for_equal_inputs() {
    let names: Vec<String> = (0..30).map(|i| format!("t{i:02}")).collect();
    let tables: Vec<Table> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if i == 0 {
                table(n, &[])
            } else {
                table(n, &[names[(i * 7) % i].as_str()])
            }
        })
        .collect();
    let desired = db(tables);
    let mut live = Database::default();
    live.schema_mut("public");
    let first = steps(Dialect::Postgres, &desired, &live);
    for _ in 0..5 {
        assert_eq!(steps(Dialect::Postgres, &desired, &live), first);
    }
}

#[test]
fn a_redefined_object_is_one_replace_step_that_drops_first() {
    let live = db(vec![table("a", &["b"]), table("b", &[])]);
    let mut changed = table("a", &["b"]);
    changed.foreign_keys[0].on_delete = ReferentialAction::SetNull;
    let desired = db(vec![changed, table("b", &[])]);
    let plan = build(
        Dialect::Postgres,
        String::new(),
        diff(Dialect::Postgres, &desired, &live),
        &desired,
        &live,
    )
    .expect("plan");
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].action, Action::Replace);
    assert_eq!(plan.steps[0].address, "fk.public.a.a_b_id_fkey");
    let sql: Vec<&str> = plan.steps[0]
        .statements
        .iter()
        .map(|s| s.sql.as_str())
        .collect();
    assert!(
        sql[0].contains("DROP CONSTRAINT") && sql[1].contains("ADD CONSTRAINT"),
        "{sql:?}"
    );
    assert_eq!(plan.summary(), (1, 0, 1));
}
