//! Doctrine provider end-to-end tests: the entity sets under tests/fixtures/doctrine/<set>/src
//! against the DDL Doctrine itself prints for them (<set>/<dialect>.sql, ORM 3 derived from the
//! real ORM 2.14 run; see regenerate.sh), on the real servers.

use crate::common::{Scratch, assert_same_live, output_text};
use std::path::{Path, PathBuf};
use strata_schema::Dialect;

const SETS: &[&str] = &["library", "shop", "legacy"];

fn fixture_dir(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/doctrine")
        .join(set)
}

/// The Doctrine generation a test reproduces: the provider's default (ORM 3), or ORM 2 through
/// the source option `?doctrine_version=2`, checked against the real ORM 2.14 output in
/// `<set>/orm2/`.
#[derive(Clone, Copy, PartialEq)]
enum Orm {
    V3,
    V2,
}

fn strata_as(orm: Orm, s: &Scratch, args: &[&str], src: &Path) -> std::process::Output {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.push(format!("-url={}", s.url));
    let query = if orm == Orm::V2 {
        "?doctrine_version=2"
    } else {
        ""
    };
    all.push(format!("-src=file://{}{query}", src.display()));
    s.strata().args(&all).output().expect("run strata")
}

fn strata(s: &Scratch, args: &[&str], src: &Path) -> std::process::Output {
    strata_as(Orm::V3, s, args, src)
}

fn plan_exit_as(orm: Orm, s: &Scratch, src: &Path) -> (Option<i32>, String) {
    let out = strata_as(orm, s, &["plan", "-detailed-exitcode"], src);
    (out.status.code(), output_text(&out))
}

fn plan_exit(s: &Scratch, src: &Path) -> (Option<i32>, String) {
    plan_exit_as(Orm::V3, s, src)
}

/// Check one set on one dialect; an error describes what went wrong.
fn check(orm: Orm, set: &str, dialect: Dialect) -> Result<(), String> {
    let dir = fixture_dir(set);
    let src = dir.join("src");
    let ddl_dir = if orm == Orm::V2 {
        dir.join("orm2")
    } else {
        dir
    };
    let ddl = std::fs::read_to_string(ddl_dir.join(format!("{}.sql", dialect.name())))
        .map_err(|e| e.to_string())?;

    let direct = Scratch::new(dialect, &format!("doctrine_{set}"));
    direct.exec(&ddl);
    let (code, text) = plan_exit_as(orm, &direct, &src);
    if code != Some(0) {
        return Err(format!(
            "database created by Doctrine's DDL: first plan is not empty\n{text}"
        ));
    }

    let applied = Scratch::new(dialect, &format!("doctrine_{set}"));
    let out = strata_as(orm, &applied, &["apply", "-auto-approve"], &src);
    if !out.status.success() {
        return Err(format!(
            "apply on an empty database failed\n{}",
            output_text(&out)
        ));
    }
    let (code, text) = plan_exit_as(orm, &applied, &src);
    if code != Some(0) {
        return Err(format!("plan after apply is not empty\n{text}"));
    }
    assert_same_live(&direct, &applied, &format!("{set} on {dialect}"));
    Ok(())
}

fn run(orm: Orm, dialect: Dialect) {
    let failures: Vec<String> = SETS
        .iter()
        .filter_map(|set| {
            check(orm, set, dialect)
                .err()
                .map(|e| format!("== {set}\n{e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sqlite_fixtures_match_doctrine() {
    run(Orm::V3, Dialect::Sqlite);
}

#[test]
fn postgres_fixtures_match_doctrine() {
    run(Orm::V3, Dialect::Postgres);
}

#[test]
fn mysql_fixtures_match_doctrine() {
    run(Orm::V3, Dialect::Mysql);
}

#[test]
fn sqlite_fixtures_match_doctrine_orm2() {
    run(Orm::V2, Dialect::Sqlite);
}

#[test]
fn postgres_fixtures_match_doctrine_orm2() {
    run(Orm::V2, Dialect::Postgres);
}

#[test]
fn mysql_fixtures_match_doctrine_orm2() {
    run(Orm::V2, Dialect::Mysql);
}

/// Copy a fixture set's entities into the scratch directory, so a test can edit them.
fn copy_models(s: &Scratch, set: &str) -> PathBuf {
    let to = s.dir.path().join("models");
    std::fs::create_dir_all(&to).expect("models dir");
    for entry in std::fs::read_dir(fixture_dir(set).join("src")).expect("fixture src") {
        let from = entry.expect("entry").path();
        std::fs::copy(&from, to.join(from.file_name().expect("name"))).expect("copy");
    }
    to
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read model");
    assert!(text.contains(from), "{} has no `{from}`", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write model");
}

/// The plan's steps as `<symbol> <address>`, with the scratch namespace generic.
fn planned_steps(s: &Scratch, src: &Path) -> Vec<String> {
    let out = strata(s, &["plan"], src);
    assert!(out.status.success(), "plan failed\n{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let (head, counter) = line.trim_start().rsplit_once("  [")?;
            counter.ends_with(']').then(|| s.generic(head.trim()))
        })
        .collect()
}

/// Edits to entities plan the expected steps, keep rows, and converge.
fn edits_converge(dialect: Dialect, expected: &[&str]) {
    let s = Scratch::new(dialect, "doctrine_edits");
    let models = copy_models(&s, "library");
    let out = strata(&s, &["apply", "-auto-approve"], &models);
    assert!(out.status.success(), "first apply\n{}", output_text(&out));
    let publisher = if dialect == Dialect::Postgres {
        "publisher"
    } else {
        "Publisher"
    };
    s.exec(&format!(
        "INSERT INTO {publisher} (label, isReference) VALUES ('Penguin', {})",
        if dialect == Dialect::Postgres {
            "true"
        } else {
            "1"
        }
    ));

    edit(
        &models.join("Publisher.php"),
        "    #[ORM\\Column(type: 'text', nullable: true)]",
        "    #[ORM\\Column(length: 80, nullable: true)]\n    private ?string $city = null;\n\n    #[ORM\\Column(type: 'text', nullable: true)]",
    );
    edit(
        &models.join("Publisher.php"),
        "#[ORM\\Entity]",
        "#[ORM\\Entity]\n#[ORM\\Index(columns: ['city'])]",
    );
    edit(&models.join("Genre.php"), "length: 60", "length: 90");
    edit(
        &models.join("Book.php"),
        "#[ORM\\JoinColumn(onDelete: 'SET NULL')]",
        "#[ORM\\JoinColumn(onDelete: 'CASCADE')]",
    );
    let steps = planned_steps(&s, &models);
    assert_eq!(steps, expected, "steps on {dialect}");

    let out = strata(&s, &["apply", "-auto-approve"], &models);
    assert!(
        out.status.success(),
        "apply of the edits\n{}",
        output_text(&out)
    );
    let (code, text) = plan_exit(&s, &models);
    assert_eq!(code, Some(0), "plan after applying the edits\n{text}");
    assert_eq!(
        s.query_i64(&format!(
            "SELECT count(*) FROM {publisher} WHERE label = 'Penguin'"
        )),
        1
    );
}

#[test]
fn sqlite_entity_edits_converge() {
    edits_converge(
        Dialect::Sqlite,
        &[
            "+ column.main.Publisher.city",
            "+ index.main.Publisher.IDX_1E1957E52D5B0234",
            "~ table.main.genre",
            "~ table.main.library_book",
        ],
    );
}

#[test]
fn postgres_entity_edits_converge() {
    edits_converge(
        Dialect::Postgres,
        &[
            "~ column.public.genre.name",
            "+ column.public.publisher.city",
            "-/+ fk.public.library_book.fk_6d2a695cf675f31b",
            "+ index.public.publisher.idx_1e1957e52d5b0234",
        ],
    );
}

#[test]
fn mysql_entity_edits_converge() {
    edits_converge(
        Dialect::Mysql,
        &[
            "+ column.test.Publisher.city",
            "~ column.test.genre.name",
            "-/+ fk.test.library_book.FK_6D2A695CF675F31B",
            "+ index.test.Publisher.IDX_1E1957E52D5B0234",
        ],
    );
}

/// Source options: `naming_strategy` changes the names Doctrine derives, and a value Doctrine
/// has no generation for is refused before anything is read, naming what is accepted.
#[test]
fn source_options_select_naming_and_refuse_unknown_values() {
    let s = Scratch::new(Dialect::Sqlite, "doctrine_options");
    let models = s.dir.path().join("models");
    std::fs::create_dir_all(&models).expect("models dir");
    std::fs::write(
        models.join("BlogPost.php"),
        "<?php\nuse Doctrine\\ORM\\Mapping as ORM;\n\n#[ORM\\Entity]\nclass BlogPost\n{\n    \
         #[ORM\\Id, ORM\\GeneratedValue, ORM\\Column]\n    private int $id;\n\n    \
         #[ORM\\Column(length: 20)]\n    private string $publishedIn;\n}\n",
    )
    .expect("write entity");
    let plan = |query: &str| {
        let out = s
            .strata()
            .args([
                "plan".to_string(),
                format!("-url={}", s.url),
                format!("-src=file://{}{query}", models.display()),
            ])
            .output()
            .expect("run strata");
        (out.status.code(), output_text(&out))
    };
    let (code, text) = plan("");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("+ table.main.BlogPost") && text.contains("\"publishedIn\""),
        "{text}"
    );
    let (code, text) = plan("?naming_strategy=underscore");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("+ table.main.blog_post") && text.contains("\"published_in\""),
        "{text}"
    );
    let (code, text) = plan("?doctrine_version=4");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("doctrine option doctrine_version=\"4\" is not one of 2, 3"),
        "{text}"
    );
    let (code, text) = plan("?version=2");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("doctrine has no option \"version\"; it takes doctrine_version"),
        "{text}"
    );
}
