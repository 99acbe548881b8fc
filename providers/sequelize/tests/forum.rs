//! The `forum` fixture set: what Sequelize carries over in less obvious ways — a join table
//! defined from a table name takes the first side's options (its `version` column and table
//! comment), `targetKey` / `sourceKey` keys, `constraints: false`.

use std::path::Path;
use strata_schema::{Dialect, Provider, ReferentialAction};
use strata_sequelize::Sequelize;

#[test]
fn forum_keys_and_inherited_options() {
    let models =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sequelize/forum/models");
    let loaded = Sequelize
        .load(&models, Dialect::Postgres, "public")
        .expect("load");
    let s = &loaded.database.schemas["public"];
    let follows = &s.tables["follows"];
    let names: Vec<&str> = follows.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["version", "followeeId", "followerId"]);
    assert_eq!(follows.comment.as_deref(), Some("forum members"));
    let thread = &s.tables["Thread"];
    let by_handle = thread
        .foreign_keys
        .iter()
        .find(|f| f.columns == ["authorHandle"])
        .expect("targetKey fk");
    assert_eq!(by_handle.ref_columns, ["handle"]);
    assert_eq!(by_handle.on_delete, ReferentialAction::SetNull);
    let reply = &s.tables["Reply"];
    assert!(reply.column("parentId").is_some());
    assert!(!reply.foreign_keys.iter().any(|f| f.columns == ["parentId"]));
}
