//! Property: between any two generated schemas, the plan applies without ordering errors and
//! converges (the next plan is empty). Schemas share a pool of table and column names so that
//! consecutive schemas overlap: columns change type and nullability, keys and indexes come and
//! go, and foreign keys point in every direction, cycles included.

use crate::common::{Scratch, block_on};
use proptest::prelude::*;
use strata::run::{self, Settings};
use strata::source::Src;
use strata_schema::{
    Column, Database, Dialect, ForeignKey, Index, IndexPart, PrimaryKey, ReferentialAction, Table,
    Type,
};

const TABLES: usize = 5;

#[derive(Debug, Clone)]
struct TableSpec {
    present: bool,
    /// (column index, type choice, nullable) for up to four extra columns.
    columns: Vec<(u8, u8, bool)>,
    /// Tables referenced from this one (by index), with the action.
    refs: Vec<(usize, u8)>,
    /// Indexed extra column and uniqueness.
    index: Option<(u8, bool)>,
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        prop::bool::weighted(0.8),
        prop::collection::vec((0u8..4, 0u8..4, any::<bool>()), 0..4),
        prop::collection::vec((0usize..TABLES, 0u8..3), 0..3),
        prop::option::of((0u8..4, any::<bool>())),
    )
        .prop_map(|(present, columns, refs, index)| TableSpec {
            present,
            columns,
            refs,
            index,
        })
}

fn ty(choice: u8) -> Type {
    match choice {
        0 => Type::Integer {
            bytes: 4,
            unsigned: false,
        },
        1 => Type::Varchar { length: Some(40) },
        2 => Type::Integer {
            bytes: 8,
            unsigned: false,
        },
        _ => Type::Varchar { length: Some(80) },
    }
}

fn build(specs: &[TableSpec]) -> Database {
    let int = Type::Integer {
        bytes: 4,
        unsigned: false,
    };
    let mut db = Database::default();
    let schema = db.schema_mut("main");
    for (i, spec) in specs.iter().enumerate() {
        if !spec.present {
            continue;
        }
        let name = format!("t{i}");
        let mut t = Table::new(&name);
        let mut id = Column::new("id", int.clone());
        id.nullable = false;
        t.columns.push(id);
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
        });
        for (col, choice, nullable) in &spec.columns {
            let cname = format!("c{col}");
            if t.column(&cname).is_none() {
                let mut c = Column::new(cname, ty(*choice));
                c.nullable = *nullable;
                t.columns.push(c);
            }
        }
        for (target, action) in &spec.refs {
            if !specs[*target].present {
                continue;
            }
            let cname = format!("r{target}");
            if t.column(&cname).is_some() {
                continue;
            }
            t.columns.push(Column::new(&cname, int.clone()));
            t.foreign_keys.push(ForeignKey {
                name: format!("{name}_{cname}_fk"),
                columns: vec![cname],
                ref_schema: None,
                ref_table: format!("t{target}"),
                ref_columns: vec!["id".into()],
                on_delete: [
                    ReferentialAction::NoAction,
                    ReferentialAction::Cascade,
                    ReferentialAction::SetNull,
                ][*action as usize],
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
            });
        }
        if let Some((col, unique)) = spec.index {
            let cname = format!("c{col}");
            if t.column(&cname).is_some() {
                t.indexes.push(Index {
                    name: format!("{name}_{cname}_{}", if unique { "key" } else { "idx" }),
                    parts: vec![IndexPart::column(cname)],
                    unique,
                    constraint: false,
                    predicate: None,
                    method: None,
                    comment: None,
                });
            }
        }
        schema.tables.insert(name, t);
    }
    db
}

/// Write `db` as DDL in the scratch directory and make it the desired schema.
fn converge(s: &Scratch, db: &Database, file: &str) -> Result<(), String> {
    let mut renamed = Database::default();
    let mut schema = db.schemas["main"].clone();
    schema.name = s.name.clone();
    renamed.schemas.insert(s.name.clone(), schema);
    let ddl = run::ddl(s.dialect, &renamed).map_err(|e| e.to_string())?;
    let path = s.write(file, &ddl);
    let settings = Settings {
        target: s.target(),
        srcs: vec![Src::path(path)],
        schemas: vec![],
        exclude: vec![],
        state: s.state(),
        renames: vec![],
        policy: Default::default(),
        targets: vec![],
        excludes: vec![],
    };
    block_on(async {
        let planned = run::plan(&settings)
            .await
            .map_err(|e| format!("plan: {e}"))?;
        run::apply(planned, &mut |_| {})
            .await
            .map_err(|e| format!("apply: {e}\nDDL:\n{ddl}"))?;
        let again = run::plan(&settings)
            .await
            .map_err(|e| format!("re-plan: {e}"))?;
        let left: Vec<String> = again
            .plan
            .steps
            .iter()
            .map(|s| format!("{} {}", s.action.symbol(), s.address))
            .collect();
        again.conn.close().await;
        if left.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "did not converge, still planned: {left:?}\nDDL:\n{ddl}"
            ))
        }
    })
}

fn check(dialect: Dialect, cases: u32) {
    let config = ProptestConfig {
        cases,
        max_shrink_iters: 20,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let strategy = (
        prop::collection::vec(table_spec(), TABLES..=TABLES),
        prop::collection::vec(table_spec(), TABLES..=TABLES),
    );
    proptest::test_runner::TestRunner::new(config)
        .run(&strategy, |(a, b)| {
            let s = Scratch::new(dialect, "prop");
            converge(&s, &build(&a), "a.sql").map_err(TestCaseError::fail)?;
            converge(&s, &build(&b), "b.sql").map_err(TestCaseError::fail)?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn sqlite_random_schema_changes_converge() {
    check(Dialect::Sqlite, 24);
}

#[test]
fn postgres_random_schema_changes_converge() {
    check(Dialect::Postgres, 16);
}

#[test]
fn mysql_random_schema_changes_converge() {
    check(Dialect::Mysql, 10);
}
