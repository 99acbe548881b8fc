//! sequelize-typescript classes: the `blog` fixture set's names and keys, and the decorator
//! mistakes sequelize-typescript rejects, reported where they are written.

use std::path::Path;
use strata_schema::{Dialect, Provider, ReferentialAction, Type};
use strata_sequelize::Sequelize;

fn fixture(set: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/sequelize")
        .join(set)
        .join("models")
}

#[test]
fn blog_tables_keys_and_inferred_types() {
    assert!(Sequelize.detect(&fixture("blog")));
    let loaded = Sequelize
        .load(&fixture("blog"), Dialect::Mysql, "blog")
        .expect("load");
    let s = &loaded.database.schemas["blog"];
    let authors = &s.tables["authors"];
    // string → VARCHAR(255), number → INTEGER, Date → DATETIME; underscored timestamps renamed.
    assert_eq!(
        authors.column("email").unwrap().ty,
        Type::parse(Dialect::Mysql, "VARCHAR(255)")
    );
    assert_eq!(
        authors.column("karma").unwrap().ty,
        Type::parse(Dialect::Mysql, "INTEGER")
    );
    assert!(authors.column("joined_at").is_some() && authors.column("changed_at").is_some());
    let posts = &s.tables["Posts"];
    assert!(posts.column("removedAt").unwrap().nullable);
    let index = posts
        .indexes
        .iter()
        .find(|i| i.name == "posts_author_slug")
        .expect("named index");
    assert!(index.unique && index.parts.len() == 2);
    let tags = &s.tables["post_tags"];
    assert_eq!(
        tags.primary_key.as_ref().unwrap().columns,
        ["postId", "tagSlug"]
    );
    let to_tags = tags
        .foreign_keys
        .iter()
        .find(|f| f.columns == ["tagSlug"])
        .expect("fk");
    assert_eq!(to_tags.on_delete, ReferentialAction::Restrict);
    // The pair's second side names the unique key last.
    assert!(
        tags.indexes
            .iter()
            .any(|i| i.name == "post_tags_tagSlug_postId_unique")
    );
}

#[test]
fn shop_reads_global_define_options() {
    let loaded = Sequelize
        .load(&fixture("shop"), Dialect::Postgres, "public")
        .expect("load");
    let s = &loaded.database.schemas["public"];
    // `define: { underscored: true, paranoid: true }` from index.js.
    assert!(s.tables["customers"].column("deleted_at").is_some());
    assert!(s.tables["profiles"].column("customer_id").is_some());
    // The string through table takes Product's timestamp names, and not its `timestamps`.
    let join = &s.tables["product_tags"];
    let names: Vec<&str> = join.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["addedAt", "ProductSku", "TagId"]);
}

/// The error loading one model file `text` gives, as `line:column message`.
fn error(text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("m.ts"), text).expect("write");
    let e = Sequelize
        .load(dir.path(), Dialect::Postgres, "public")
        .expect_err("an error");
    format!("{}:{} {}", e.location.line, e.location.column, e.message)
}

const HEAD: &str =
    "import { AllowNull, BelongsTo, Column, Model, Table } from \"sequelize-typescript\";\n";

#[test]
fn attribute_decorator_without_column_below_it() {
    let e = error(&format!(
        "{HEAD}@Table\nexport class A extends Model {{\n  @Column\n  @AllowNull(false)\n  name!: string;\n}}\n"
    ));
    assert!(e.starts_with("5:4 ") && e.contains("@Column below"), "{e}");
}

#[test]
fn belongs_to_without_foreign_key() {
    let e = error(&format!(
        "{HEAD}@Table\nexport class A extends Model {{}}\n\
         @Table\nexport class B extends Model {{\n  @BelongsTo(() => A)\n  a?: A;\n}}\n"
    ));
    assert!(
        e.starts_with("6:4 ") && e.contains("foreign key for A is missing on B"),
        "{e}"
    );
}

#[test]
fn column_type_from_a_variable() {
    let e = error(&format!(
        "{HEAD}const T = 1;\n@Table\nexport class A extends Model {{\n  @Column(T)\n  name!: string;\n}}\n"
    ));
    assert!(e.starts_with("5:11 "), "{e}");
}

#[test]
fn connection_options_in_a_variable_are_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("index.js"),
        "const { Sequelize, DataTypes } = require('sequelize');\n\
         const config = require('../config.json');\n\
         const sequelize = new Sequelize(config.database, config.username, config.password, config);\n\
         sequelize.define('Tag', { label: DataTypes.STRING });\n",
    )
    .expect("write");
    let loaded = Sequelize
        .load(dir.path(), Dialect::Sqlite, "main")
        .expect("load");
    let w = &loaded.warnings[0];
    assert_eq!((w.location.line, w.location.column), (3, 84), "{w:?}");
    assert!(w.message.contains("define"), "{w:?}");
}

#[test]
fn syntax_errors_are_located_in_typescript_and_javascript() {
    let e = error(&format!(
        "{HEAD}@Table\nexport class A extends Model {{\n  @Column\n  name!: string = ;\n}}\n"
    ));
    assert!(
        e.starts_with("5:") && e.contains("TypeScript syntax error"),
        "{e}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("m.js"),
        "const { DataTypes } = require('sequelize');\nmodule.exports = (sequelize) => sequelize.define('A', {\n  name: { type DataTypes.STRING },\n});\n",
    )
    .expect("write");
    let e = Sequelize
        .load(dir.path(), Dialect::Postgres, "public")
        .expect_err("an error");
    assert_eq!(e.location.line, 3, "{e}");
    assert!(e.message.contains("JavaScript syntax error"), "{e}");
}
