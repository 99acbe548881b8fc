//! Loading sources: dispatch by path, folder order, merging, external programs.

use super::{Src, load};
use crate::error::Error;
use std::fs;
use std::path::Path;
use strata_schema::Dialect::{Postgres, Sqlite};
use tempfile::TempDir;

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

fn external(name: &str, program: &[&str], dir: &Path) -> Src {
    Src::External {
        name: name.into(),
        program: program.iter().map(|s| s.to_string()).collect(),
        dir: dir.to_path_buf(),
    }
}

fn message(result: Result<super::Desired, Error>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(db) => panic!("expected an error, got {:#?}", db.database),
    }
}

#[test]
fn folder_files_load_in_name_order_and_skip_the_rest() {
    let dir = TempDir::new().unwrap();
    // 02 alters the table 01 creates: it only loads in name order.
    write(
        dir.path(),
        "02_index.sql",
        "CREATE INDEX users_name ON users (name);",
    );
    write(
        dir.path(),
        "01_users.sql",
        "CREATE TABLE users (id int PRIMARY KEY, name text);",
    );
    write(
        dir.path(),
        "10_posts.sql",
        "CREATE TABLE posts (id int, author int REFERENCES users);",
    );
    write(dir.path(), "notes.txt", "not SQL");
    fs::create_dir(dir.path().join("migrations")).unwrap();
    write(
        &dir.path().join("migrations"),
        "0001.sql",
        "DROP TABLE users;",
    );
    let db = load(&[Src::path(dir.path().to_path_buf())], Sqlite, "main")
        .unwrap()
        .database;
    let main = &db.schemas["main"];
    assert_eq!(main.tables.keys().collect::<Vec<_>>(), ["posts", "users"]);
    assert_eq!(main.tables["users"].indexes[0].name, "users_name");
    assert_eq!(main.tables["posts"].foreign_keys[0].ref_columns, ["id"]);
}

#[test]
fn the_default_schema_is_always_there() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "empty.sql", "-- nothing yet\n");
    let db = load(
        &[Src::path(dir.path().join("empty.sql"))],
        Postgres,
        "public",
    )
    .unwrap()
    .database;
    assert_eq!(db.schemas.keys().collect::<Vec<_>>(), ["public"]);
}

#[test]
fn bad_paths_are_named() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nope.sql");
    assert!(
        message(load(&[Src::path(missing.clone())], Sqlite, "main"))
            .contains(&missing.display().to_string())
    );
    write(dir.path(), "models.py", "class A: pass");
    let text = message(load(
        &[Src::path(dir.path().join("models.py"))],
        Sqlite,
        "main",
    ));
    assert!(
        text.contains("models.py") && text.contains("not a .sql file"),
        "{text}"
    );
    let text = message(load(&[Src::path(dir.path().to_path_buf())], Sqlite, "main"));
    assert!(text.contains("holds no .sql files"), "{text}");
    assert!(message(load(&[], Sqlite, "main")).contains("no schema source"));
}

#[test]
fn errors_name_the_file() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "schema.sql",
        "CREATE TABLE a (\n  id int,\n  bad bad bad\n);",
    );
    let path = dir.path().join("schema.sql");
    let text = message(load(&[Src::path(path.clone())], Sqlite, "main"));
    assert!(
        text.starts_with(&format!("{}:3:", path.display())),
        "{text}"
    );
}

#[test]
fn a_table_in_two_sources_names_both_origins() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.sql", "CREATE TABLE users (id int);");
    write(
        dir.path(),
        "b.sql",
        "CREATE TABLE posts (id int);\n\nCREATE TABLE users (id bigint);",
    );
    let (a, b) = (dir.path().join("a.sql"), dir.path().join("b.sql"));
    let text = message(load(
        &[Src::path(a.clone()), Src::path(b.clone())],
        Sqlite,
        "main",
    ));
    let expected = format!(
        "table main.users is defined in two sources: at {}:1:1 and at {}:3:1",
        a.display(),
        b.display()
    );
    assert!(text.starts_with(&expected), "{text}");
    // Files of one folder are one source: the duplicate is reported at the second definition.
    let text = message(load(&[Src::path(dir.path().to_path_buf())], Sqlite, "main"));
    assert!(
        text.contains(&format!("{}:3:14", b.display()))
            && text.contains(&format!("already defined at {}:1:1", a.display())),
        "{text}"
    );
}

#[test]
fn an_enum_in_two_sources_names_both_origins() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.sql", "CREATE TYPE mood AS ENUM ('a');");
    let src = external(
        "enums",
        &["sh", "-c", "echo \"CREATE TYPE mood AS ENUM ('b');\""],
        dir.path(),
    );
    let text = message(load(
        &[Src::path(dir.path().join("a.sql")), src],
        Postgres,
        "public",
    ));
    assert!(
        text.contains("type public.mood is defined in two sources")
            && text.contains("data.external_schema.enums:1:1"),
        "{text}"
    );
}

#[test]
fn external_program_output_is_read_as_sql() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "users.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);",
    );
    // The program runs in `dir`: it reads a file relative to it.
    let program = external(
        "app",
        &[
            "sh",
            "-c",
            "cat users.sql; echo 'CREATE TABLE posts (id int, author int REFERENCES users);'",
        ],
        dir.path(),
    );
    let local = Src::path(dir.path().join("users.sql"));
    let db = load(&[program], Postgres, "public").unwrap().database;
    assert_eq!(
        db.schemas["public"].tables.keys().collect::<Vec<_>>(),
        ["posts", "users"]
    );
    // A source referencing a table of another source resolves across them.
    let only_posts = external(
        "posts",
        &[
            "sh",
            "-c",
            "echo 'CREATE TABLE posts (author int REFERENCES users);'",
        ],
        dir.path(),
    );
    let db = load(&[only_posts, local], Postgres, "public")
        .unwrap()
        .database;
    assert_eq!(
        db.schemas["public"].tables["posts"].foreign_keys[0].ref_columns,
        ["id"]
    );
}

#[test]
fn external_program_failures_say_why() {
    let dir = TempDir::new().unwrap();
    let text = message(load(
        &[external("app", &["false"], dir.path())],
        Sqlite,
        "main",
    ));
    assert!(
        text.starts_with("data.external_schema.app: `false` failed with exit status 1"),
        "{text}"
    );
    let noisy = external(
        "app",
        &[
            "sh",
            "-c",
            "for i in $(seq 1 30); do echo line $i >&2; done; exit 3",
        ],
        dir.path(),
    );
    let text = message(load(&[noisy], Sqlite, "main"));
    assert!(
        text.contains("exit status 3")
            && text.contains("line 30")
            && text.contains("line 21")
            && !text.contains("line 20\n"),
        "{text}"
    );
    let text = message(load(
        &[external("app", &["no-such-program-here"], dir.path())],
        Sqlite,
        "main",
    ));
    assert!(text.contains("cannot run no-such-program-here"), "{text}");
    let text = message(load(
        &[external(
            "app",
            &["sh", "-c", "echo 'CREATE TABLE t (id int'"],
            dir.path(),
        )],
        Sqlite,
        "main",
    ));
    assert!(text.starts_with("data.external_schema.app:1:"), "{text}");
}

/// Every schema fixture of the end-to-end suite (tests/fixtures/<dialect>/*.sql) loads: they
/// are DDL written the way users and ORMs write it.
#[test]
fn every_end_to_end_fixture_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    for (dialect, default) in [
        (Postgres, "public"),
        (strata_schema::Dialect::Mysql, "test"),
        (Sqlite, "main"),
    ] {
        let dir = root.join(dialect.name());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            if let Err(e) = load(&[Src::path(file.clone())], dialect, default) {
                failures.push(format!("{dialect}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `from` and `to` schema of the end-to-end change cases (tests/cases/<dialect>/*.toml)
/// loads.
#[test]
fn every_end_to_end_change_case_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut failures = Vec::new();
    for (dialect, default) in [
        (Postgres, "public"),
        (strata_schema::Dialect::Mysql, "test"),
        (Sqlite, "main"),
    ] {
        let dir = TempDir::new().unwrap();
        for entry in fs::read_dir(root.join(dialect.name())).unwrap() {
            let path = entry.unwrap().path();
            let case: toml::Table = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            for side in ["from", "to"] {
                let sql = case.get(side).and_then(|v| v.as_str()).unwrap_or_default();
                let file = dir.path().join(format!(
                    "{}.{side}.sql",
                    path.file_stem().unwrap().to_string_lossy()
                ));
                fs::write(&file, sql).unwrap();
                if let Err(e) = load(&[Src::path(file)], dialect, default) {
                    failures.push(format!("{dialect}: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn options_are_refused_where_no_reader_takes_them() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
    );
    let options: strata_schema::Options =
        [("doctrine_version".to_string(), "2".to_string())].into();
    let src = Src::Path(dir.path().join("schema.sql"), options);
    let text = message(load(&[src], Sqlite, "main"));
    assert!(
        text.contains("schema.sql?doctrine_version=2")
            && text.contains("SQL files take no options"),
        "{text}"
    );
}

#[cfg(feature = "prisma")]
#[test]
fn a_provider_refuses_options_it_does_not_take() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:x.db\"\n}\nmodel A {\n  id Int @id\n}\n",
    );
    let options: strata_schema::Options = [("naming".to_string(), "x".to_string())].into();
    let text = message(load(
        &[Src::Path(dir.path().join("schema.prisma"), options)],
        Sqlite,
        "main",
    ));
    assert!(
        text.contains("?naming=x: prisma takes no options"),
        "{text}"
    );
}
