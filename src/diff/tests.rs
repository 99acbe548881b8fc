use super::*;
use strata_schema::{Column, Index, IndexPart, Table, Type};

fn db(tables: Vec<Table>) -> Database {
    let mut db = Database::default();
    let s = db.schema_mut("public");
    for t in tables {
        s.tables.insert(t.name.clone(), t);
    }
    db
}

fn users(extra: impl FnOnce(&mut Table)) -> Table {
    let mut t = Table::new("users");
    t.columns.push(Column::new(
        "id",
        Type::Integer {
            bytes: 4,
            unsigned: false,
        },
    ));
    t.columns
        .push(Column::new("email", Type::Varchar { length: Some(10) }));
    extra(&mut t);
    t
}

#[test]
fn equal_schemas_have_no_changes() {
    let a = db(vec![users(|_| {})]);
    assert!(diff(Dialect::Postgres, &a, &a.clone()).is_empty());
}

#[test]
fn column_attribute_changes_are_flagged() {
    let live = db(vec![users(|_| {})]);
    let desired = db(vec![users(|t| {
        t.columns[1].ty = Type::Varchar { length: Some(50) };
        t.columns[1].nullable = false;
    })]);
    let changes = diff(Dialect::Postgres, &desired, &live);
    assert_eq!(changes.len(), 1);
    let Change::ModifyColumn { changes: c, .. } = &changes[0] else {
        panic!("{changes:?}")
    };
    assert_eq!(c.names(), vec!["type", "nullable"]);
}

#[test]
fn on_update_added_or_removed_is_a_column_change() {
    let plain = db(vec![users(|_| {})]);
    let stamped = db(vec![users(|t| {
        t.columns[1].on_update = Some("CURRENT_TIMESTAMP(6)".into());
    })]);
    for (desired, live) in [(&stamped, &plain), (&plain, &stamped)] {
        let changes = diff(Dialect::Mysql, desired, live);
        let [Change::ModifyColumn { changes: c, .. }] = changes.as_slice() else {
            panic!("{changes:?}")
        };
        assert_eq!(c.names(), vec!["on update"]);
    }
    assert!(diff(Dialect::Mysql, &stamped, &stamped.clone()).is_empty());
}

#[test]
fn unnamed_index_matches_by_definition_and_renamed_definition_is_replaced() {
    let idx = |name: &str, col: &str| Index {
        name: name.into(),
        parts: vec![IndexPart::column(col)],
        unique: true,
        constraint: true,
        predicate: None,
        method: None,
        comment: None,
    };
    let live = db(vec![users(|t| {
        t.indexes.push(idx("sqlite_autoindex_users_1", "email"))
    })]);
    let desired = db(vec![users(|t| t.indexes.push(idx("", "email")))]);
    assert!(diff(Dialect::Postgres, &desired, &live).is_empty());

    let desired = db(vec![users(|t| {
        t.indexes.push(idx("sqlite_autoindex_users_1", "id"))
    })]);
    let changes = diff(Dialect::Postgres, &desired, &live);
    assert!(
        matches!(changes[0], Change::DropIndex { .. }),
        "{changes:?}"
    );
    assert!(matches!(changes[1], Change::AddIndex { .. }), "{changes:?}");
}

#[test]
fn tables_and_enum_values() {
    let mut live = db(vec![users(|_| {})]);
    live.schema_mut("public").enums.insert(
        "mood".into(),
        EnumType {
            name: "mood".into(),
            values: vec!["sad".into(), "ok".into()],
        },
    );
    let mut desired = db(vec![Table::new("posts")]);
    desired.schema_mut("public").enums.insert(
        "mood".into(),
        EnumType {
            name: "mood".into(),
            values: vec!["sad".into(), "meh".into(), "ok".into()],
        },
    );
    let changes = diff(Dialect::Postgres, &desired, &live);
    let kinds: Vec<_> = changes
        .iter()
        .map(|c| {
            serde_json::to_value(c).unwrap()["change"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds, ["alter_enum", "create_table", "drop_table"]);
}

#[test]
fn expressions_compare_by_canonical_form_but_keep_their_casts() {
    use strata_schema::Check;
    let with_check = |expr: &str| {
        db(vec![users(|t| {
            t.checks.push(Check {
                name: "users_id_check".into(),
                expr: expr.into(),
            })
        })])
    };
    let mut desired = with_check("length(id::text) > 3");
    let mut live = with_check("(length((id)::text) > 3)");
    crate::dialect::normalize(
        Dialect::Postgres,
        &mut desired,
        crate::dialect::Side::Desired,
    );
    crate::dialect::normalize(Dialect::Postgres, &mut live, crate::dialect::Side::Live);
    assert!(diff(Dialect::Postgres, &desired, &live).is_empty());
    let kept = &desired.schemas["public"].tables["users"].checks[0].expr;
    assert!(
        kept.contains("::"),
        "the executable text keeps its cast: {kept}"
    );
}
