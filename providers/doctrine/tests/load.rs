//! Loading entity folders: the fixture sets read cleanly, and bad input becomes a located error
//! or warning instead of wrong DDL.

use std::path::{Path, PathBuf};
use strata_doctrine::{Doctrine, Naming, Options, Version, load_with};
use strata_schema::{Dialect, Identity, Provider, SourceError};

fn fixture(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/doctrine")
        .join(set)
        .join("src")
}

/// A folder with one entity file holding `body`.
fn models(body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("Thing.php");
    std::fs::write(&file, body).expect("write");
    (dir, file)
}

const HEADER: &str = "<?php\n\nnamespace App;\n\nuse Doctrine\\ORM\\Mapping as ORM;\n\n";

fn load_err(body: &str) -> (SourceError, PathBuf) {
    let (dir, file) = models(body);
    let err = Doctrine
        .load(dir.path(), Dialect::Postgres, "public")
        .expect_err("load should fail");
    (err, file)
}

#[test]
fn fixture_sets_load_without_warnings_on_every_dialect() {
    for (set, tables) in [("library", 7), ("shop", 10), ("legacy", 4)] {
        for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            let loaded = Doctrine
                .load(&fixture(set), dialect, "s")
                .unwrap_or_else(|e| panic!("{set} on {dialect}: {e}"));
            assert_eq!(loaded.database.table_count(), tables, "{set} on {dialect}");
            assert!(loaded.warnings.is_empty(), "{set}: {:?}", loaded.warnings);
        }
    }
}

#[test]
fn symfony_config_selects_the_underscore_strategy() {
    let loaded = Doctrine
        .load(&fixture("shop"), Dialect::Mysql, "s")
        .unwrap();
    let schema = &loaded.database.schemas["s"];
    assert!(schema.tables.contains_key("purchase_order"));
    assert!(schema.tables["customer"].column("referred_by_id").is_some());
}

#[test]
fn orm2_numbers_postgres_ids_from_sequences_it_reports() {
    let options = Options {
        version: Version::Orm2,
        naming: Naming::Default,
    };
    let loaded = load_with(&fixture("legacy"), Dialect::Postgres, "public", &options).unwrap();
    let users = &loaded.database.schemas["public"].tables["users"];
    assert_eq!(users.column("id").unwrap().identity, None);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("users_id_seq")),
        "{:?}",
        loaded.warnings
    );
    let orm3 = Doctrine
        .load(&fixture("legacy"), Dialect::Postgres, "public")
        .unwrap();
    let id = orm3.database.schemas["public"].tables["users"]
        .column("id")
        .cloned();
    assert_eq!(
        id.unwrap().identity,
        Some(Identity::Generated { always: false })
    );
}

#[test]
fn detects_doctrine_folders_only() {
    assert!(Doctrine.detect(&fixture("library")));
    let (dir, _) = models("<?php\nclass Plain {}\n");
    assert!(!Doctrine.detect(dir.path()));
    let sql = tempfile::tempdir().unwrap();
    std::fs::write(sql.path().join("schema.sql"), "CREATE TABLE t (id int);").unwrap();
    assert!(!Doctrine.detect(sql.path()));
}

#[test]
fn syntax_errors_are_located() {
    let (err, file) = load_err(&format!(
        "{HEADER}#[ORM\\Entity]\nclass Thing {{\n    private $a = ;\n}}\n"
    ));
    assert_eq!(err.location.file, file);
    assert_eq!(err.location.line, 9, "{err}");
    assert!(err.message.contains("syntax"), "{err}");
}

#[test]
fn unknown_types_are_errors_at_the_column() {
    let (err, _) = load_err(&format!(
        "{HEADER}#[ORM\\Entity]\nclass Thing {{\n    #[ORM\\Id]\n    #[ORM\\Column(type: 'money')]\n    private $id;\n}}\n"
    ));
    assert_eq!((err.location.line, err.location.column), (10, 7), "{err}");
    assert!(err.message.contains("money"), "{err}");
}

#[test]
fn references_to_missing_columns_are_errors() {
    let (err, _) = load_err(&format!(
        "{HEADER}#[ORM\\Entity]\nclass Thing {{\n    #[ORM\\Id]\n    #[ORM\\Column(length: 5)]\n    private string $code;\n\n    #[ORM\\ManyToOne(targetEntity: Thing::class)]\n    private ?Thing $parent;\n}}\n"
    ));
    assert_eq!(err.location.line, 13, "{err}");
    assert!(err.message.contains("\"id\""), "{err}");
}

#[test]
fn unknown_targets_are_errors() {
    let (err, _) = load_err(&format!(
        "{HEADER}#[ORM\\Entity]\nclass Thing {{\n    #[ORM\\Id]\n    #[ORM\\Column]\n    private int $id;\n\n    #[ORM\\ManyToOne(targetEntity: Missing::class)]\n    private $other;\n}}\n"
    ));
    assert_eq!(err.location.line, 13, "{err}");
    assert!(err.message.contains("App\\Missing"), "{err}");
}

#[test]
fn unknown_arguments_and_attributes_are_located_warnings() {
    let (dir, file) = models(&format!(
        "{HEADER}#[ORM\\Entity]\n#[ORM\\Sharded]\nclass Thing {{\n    #[ORM\\Id]\n    #[ORM\\Column(lenght: 5)]\n    private int $id;\n}}\n"
    ));
    let loaded = Doctrine.load(dir.path(), Dialect::Sqlite, "main").unwrap();
    let found: Vec<(usize, &str)> = loaded
        .warnings
        .iter()
        .map(|w| (w.location.line, w.message.as_str()))
        .collect();
    assert!(loaded.warnings.iter().all(|w| w.location.file == file));
    assert!(
        found.iter().any(|(l, m)| *l == 8 && m.contains("Sharded")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, m)| *l == 11 && m.contains("lenght")),
        "{found:?}"
    );
}

#[test]
fn docblock_errors_point_into_the_comment() {
    let (err, _) = load_err(&format!(
        "{HEADER}/**\n * @ORM\\Entity\n */\nclass Thing {{\n    /**\n     * @ORM\\Column(type=\"string\n     */\n    private $a;\n}}\n"
    ));
    assert_eq!(err.location.line, 13, "{err}");
}

#[test]
fn the_example_loads_with_its_method_bodies_left_out() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/doctrine/src/Entity");
    let loaded = Doctrine.load(&example, Dialect::Sqlite, "main").unwrap();
    let tables: Vec<&String> = loaded.database.schemas["main"].tables.keys().collect();
    assert_eq!(tables, ["author", "post", "post_tag", "tag"]);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn method_bodies_do_not_move_error_positions() {
    let (err, _) = load_err(&format!(
        "{HEADER}#[ORM\\Entity]\nclass Thing {{\n    public function get(): string {{ return '}}'; }}\n\n    #[ORM\\Id]\n    #[ORM\\Column(type: 'money')]\n    private $id;\n}}\n"
    ));
    assert_eq!((err.location.line, err.location.column), (12, 7), "{err}");
}

#[test]
fn files_the_fast_reader_declines_still_load() {
    // A heredoc and a top-level statement: the fast reader leaves the file to tree-sitter.
    let (dir, _) = models(&format!(
        "{HEADER}if (!class_exists(Thing::class)) {{\n}}\n\n#[ORM\\Entity]\nclass Thing {{\n    #[ORM\\Id]\n    #[ORM\\Column(length: 5)]\n    private string $code;\n\n    public function sql(): string\n    {{\n        return <<<SQL\n            SELECT '}}'\n            SQL;\n    }}\n}}\n"
    ));
    let loaded = Doctrine
        .load(dir.path(), Dialect::Postgres, "public")
        .unwrap();
    let thing = &loaded.database.schemas["public"].tables["thing"];
    assert!(thing.column("code").is_some());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}
