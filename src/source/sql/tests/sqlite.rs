use super::{load, table};
use strata_schema::{Deferrable, Dialect::Sqlite, Identity, Type};

#[test]
fn sqlite_tables_options_and_indexes() {
    let db = load(
        Sqlite,
        "main",
        r#"PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS authors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE,
  anything,
  created DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE books (
  isbn TEXT PRIMARY KEY,
  author INTEGER REFERENCES authors ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  title TEXT UNIQUE,
  pages INTEGER CHECK (pages > 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE tags (name TEXT) WITHOUT ROWID;
CREATE UNIQUE INDEX books_title_live ON books (title) WHERE pages IS NOT NULL;
"#,
    );
    let authors = table(&db, "main", "authors");
    let id = authors.column("id").unwrap();
    assert_eq!(
        (id.ty.clone(), id.identity.clone()),
        (
            Type::Integer {
                bytes: 4,
                unsigned: false
            },
            Some(Identity::AutoIncrement)
        )
    );
    assert!(
        id.nullable,
        "SQLite key columns stay nullable unless declared NOT NULL"
    );
    assert_eq!(
        authors.column("name").unwrap().collation.as_deref(),
        Some("NOCASE")
    );
    assert_eq!(
        authors.column("created").unwrap().default.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
    let books = table(&db, "main", "books");
    assert_eq!(
        books.options.get("strict").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        books.options.get("without_rowid").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        table(&db, "main", "tags")
            .options
            .keys()
            .collect::<Vec<_>>(),
        ["without_rowid"]
    );
    let fk = &books.foreign_keys[0];
    assert_eq!(
        (fk.ref_table.as_str(), fk.ref_columns.clone()),
        ("authors", vec!["id".to_string()])
    );
    assert_eq!(fk.deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(
        books.checks[0].name, "",
        "SQLite keeps column checks unnamed"
    );
    let [title, live] = books.indexes.as_slice() else {
        panic!("{:#?}", books.indexes)
    };
    assert!(title.constraint && title.unique);
    assert_eq!(
        (live.constraint, live.predicate.as_deref()),
        (false, Some("pages IS NOT NULL"))
    );
}
