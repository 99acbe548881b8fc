//! The SQLAlchemy reader on small model files: what it reads, and where it refuses to guess.

use strata_schema::{Dialect, Identity, Loaded, Provider, SourceError, Type};
use strata_sqlalchemy::SqlAlchemy;

const HEADER: &str = "from typing import Optional\nfrom sqlalchemy import Column, ForeignKey, Integer, String\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\n";

/// Line of the first body line after HEADER.
const FIRST: usize = 10;

fn load(body: &str, dialect: Dialect) -> (tempfile::TempDir, Result<Loaded, SourceError>) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.py"), format!("{HEADER}{body}")).expect("write");
    let result = SqlAlchemy.load(dir.path(), dialect, "public");
    (dir, result)
}

fn error(body: &str) -> SourceError {
    match load(body, Dialect::Postgres).1 {
        Err(e) => e,
        Ok(_) => panic!("expected an error for:\n{body}"),
    }
}

#[test]
fn reads_types_nullability_and_keys_per_dialect() {
    let body = "class User(Base):\n    __tablename__ = \"users\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    name: Mapped[Optional[str]] = mapped_column(String(30))\n    age = Column(Integer)\n";
    let (_d, pg) = load(body, Dialect::Postgres);
    let pg = pg.expect("postgres");
    let users = &pg.database.schemas["public"].tables["users"];
    assert_eq!(users.columns[0].identity, Some(Identity::Serial));
    assert!(!users.columns[0].nullable);
    assert_eq!(users.columns[1].ty, Type::Varchar { length: Some(30) });
    assert!(users.columns[1].nullable && users.columns[2].nullable);
    let (_d, my) = load(body, Dialect::Mysql);
    let my = my.expect("mysql");
    assert_eq!(
        my.database.schemas["public"].tables["users"].columns[0].identity,
        Some(Identity::AutoIncrement)
    );
    let (_d, lite) = load(body, Dialect::Sqlite);
    let lite = lite.expect("sqlite");
    assert_eq!(
        lite.database.schemas["public"].tables["users"].columns[0].identity,
        None
    );
}

#[test]
fn a_string_without_length_is_an_error_on_mysql_only() {
    let body = "class T(Base):\n    __tablename__ = \"t\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    name: Mapped[str]\n";
    assert!(load(body, Dialect::Postgres).1.is_ok());
    let e = load(body, Dialect::Mysql)
        .1
        .expect_err("mysql needs a length");
    assert!(e.message.contains("VARCHAR requires a length"), "{e}");
    assert_eq!(e.location.line, FIRST + 3);
}

#[test]
fn a_computed_table_name_is_reported_where_it_is() {
    let e = error(
        "class T(Base):\n    @declared_attr.directive\n    def __tablename__(cls):\n        return cls.__name__.lower()\n    id: Mapped[int] = mapped_column(primary_key=True)\n",
    );
    assert!(e.message.contains("computed"), "{e}");
    assert_eq!((e.location.line, e.location.column), (FIRST + 2, 5));
    let e = error(
        "PREFIX = \"app_\"\nclass T(Base):\n    __tablename__ = PREFIX + \"t\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n",
    );
    assert!(e.message.contains("not a string literal"), "{e}");
    assert_eq!((e.location.line, e.location.column), (FIRST + 2, 21));
}

#[test]
fn columns_built_in_a_loop_are_reported() {
    let e = error(
        "class T(Base):\n    __tablename__ = \"t\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n\n\nfor name in (\"a\", \"b\"):\n    setattr(T, name, Column(String(10)))\n",
    );
    assert!(e.message.contains("dynamically"), "{e}");
    assert_eq!(e.location.line, FIRST + 5);
}

#[test]
fn unknown_options_are_warnings_with_their_place() {
    let (_d, loaded) = load(
        "class T(Base):\n    __tablename__ = \"t\"\n    id: Mapped[int] = mapped_column(primary_key=True, frobnicate=True)\n",
        Dialect::Sqlite,
    );
    let loaded = loaded.expect("loads");
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].message.contains("frobnicate"));
    assert_eq!(loaded.warnings[0].location.line, FIRST + 2);
}

#[test]
fn deferrable_foreign_keys_on_postgres_and_sqlite_only() {
    let body = "class P(Base):\n    __tablename__ = \"p\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n\n\nclass C(Base):\n    __tablename__ = \"c\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    p_id: Mapped[int] = mapped_column(ForeignKey(\"p.id\", deferrable=True, initially=\"DEFERRED\"))\n";
    let (_d, pg) = load(body, Dialect::Postgres);
    let fk = &pg.expect("postgres").database.schemas["public"].tables["c"].foreign_keys[0].clone();
    assert_eq!(fk.deferrable, strata_schema::Deferrable::InitiallyDeferred);
    let e = load(body, Dialect::Mysql)
        .1
        .expect_err("MariaDB rejects DEFERRABLE");
    assert_eq!((e.location.line, e.location.column), (FIRST + 8, 39));
}

#[test]
fn wrapped_columns_are_read_or_reported() {
    let (_d, loaded) = load(
        "class T(Base):\n    __tablename__ = \"t\"\n    id = Column(Integer, primary_key=True)\n    body = deferred(Column(String(10)))\n",
        Dialect::Sqlite,
    );
    let loaded = loaded.expect("loads");
    assert_eq!(
        loaded.database.schemas["public"].tables["t"].columns.len(),
        2
    );
    let e = error(
        "class T(Base):\n    __tablename__ = \"t\"\n    id = Column(Integer, primary_key=True)\n    body = synonym_for(Column(String(10)))\n",
    );
    assert_eq!((e.location.line, e.location.column), (FIRST + 3, 24));
}

#[test]
fn syntax_errors_point_at_the_source() {
    let e = error("class T(Base)\n    __tablename__ = \"t\"\n");
    assert!(e.message.contains("syntax error"), "{e}");
    assert_eq!(e.location.line, FIRST); // A half-written import names no module: a located error, never a crash.
    let e = error("from import x\n");
    assert!(e.message.contains("syntax error"), "{e}");
    assert_eq!(e.location.line, FIRST);
}

#[test]
fn detection_needs_an_sqlalchemy_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("util.py"), "import os\n").expect("write");
    assert!(!SqlAlchemy.detect(dir.path()));
    std::fs::write(dir.path().join("models.py"), HEADER).expect("write");
    assert!(SqlAlchemy.detect(dir.path()));
}
