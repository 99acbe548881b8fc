//! Reads the `library` fixture set and checks the names and keys Sequelize gives it.

use std::path::Path;
use strata_schema::{Dialect, Identity, Provider, ReferentialAction, Type};
use strata_sequelize::Sequelize;

fn models() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sequelize/library/models")
}

#[test]
fn detects_the_model_folder() {
    assert!(Sequelize.detect(&models()));
}

#[test]
fn library_tables_keys_and_types() {
    let loaded = Sequelize
        .load(&models(), Dialect::Postgres, "public")
        .expect("load");
    let s = &loaded.database.schemas["public"];
    let names: Vec<&str> = s.tables.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Books",
            "Category",
            "People",
            "Publishers",
            "book_holds",
            "library_members",
            "loans"
        ]
    );
    let books = &s.tables["Books"];
    assert_eq!(books.columns[0].identity, Some(Identity::Serial));
    let fk = books
        .foreign_keys
        .iter()
        .find(|f| f.columns == ["PublisherId"])
        .expect("fk");
    assert_eq!(fk.on_delete, ReferentialAction::Cascade);
    assert!(!books.column("PublisherId").unwrap().nullable);
    assert_eq!(
        books.column("format").unwrap().ty,
        Type::UserDefined {
            name: "enum_Books_format".into()
        }
    );
    let holds = &s.tables["book_holds"];
    assert_eq!(
        holds.primary_key.as_ref().unwrap().columns,
        ["BookId", "LibraryMemberId"]
    );
    assert!(s.tables["loans"].column("borrowerId").is_some());
    assert!(s.tables["Category"].column("parentCode").is_some());
    assert!(s.tables["People"].column("favouriteCode").is_some());
    let members = &s.tables["library_members"];
    assert!(members.column("card_number").is_some());
    println!("{:#?}", loaded.warnings);
}
