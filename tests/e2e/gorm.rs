//! gorm provider end-to-end tests: each fixture model set in tests/fixtures/gorm/<set>/ holds
//! Go models (`models/`) and the DDL GORM would emit for them per dialect (`<dialect>.sql`,
//! derived by hand because GORM cannot run here). For every set and dialect:
//! a database created from that DDL gives an empty first plan against the models, and
//! `strata apply` of the models on an empty database yields the same schema, names included.
//! Model changes then plan the expected steps and converge.

use crate::common::{Scratch, assert_same_live, output_text};
use std::path::{Path, PathBuf};
use strata_schema::Dialect;

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn fixture(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gorm")
        .join(set)
}

/// Copy the set's models into the scratch working directory as `models/`.
fn copy_models(s: &Scratch, set: &str) {
    let to = s.dir.path().join("models");
    std::fs::create_dir_all(&to).expect("models dir");
    for entry in std::fs::read_dir(fixture(set).join("models")).expect("fixture models") {
        let path = entry.expect("dir entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("file name"))).expect("copy model");
    }
}

/// Where the desired schema sits in a scratch working directory.
const SRC: &str = "models";

/// The derived DDL adopted with zero changes, and the models applied to an empty database
/// giving the same schema.
fn adopt_and_apply(set: &str) {
    for dialect in DIALECTS {
        let ddl = std::fs::read_to_string(fixture(set).join(format!("{}.sql", dialect.name())))
            .expect("fixture DDL");
        let direct = Scratch::new(dialect, &format!("gorm_{set}"));
        direct.exec(&ddl);
        copy_models(&direct, set);
        let (code, text) = direct.plan_exit(SRC);
        assert_eq!(
            code,
            Some(0),
            "{set}/{dialect}: plan over GORM's DDL is not empty:\n{text}"
        );

        let applied = Scratch::new(dialect, &format!("gorm_{set}"));
        copy_models(&applied, set);
        applied.apply_src(SRC);
        let (code, text) = applied.plan_exit(SRC);
        assert_eq!(
            code,
            Some(0),
            "{set}/{dialect}: plan after apply is not empty:\n{text}"
        );
        assert_same_live(
            &direct,
            &applied,
            &format!("{set}/{dialect}: GORM DDL vs strata apply"),
        );
    }
}

#[test]
fn library_models_match_gorm_ddl() {
    adopt_and_apply("library");
}

/// String and composite keys, a self-reference, polymorphic owners, `foreignKey`/`references`,
/// `joinForeignKey`/`joinReferences`, a `GormDataType` type, `serializer`, `embeddedPrefix`,
/// checks and `where`/`sort`/`class` indexes.
#[test]
fn shop_models_match_gorm_ddl() {
    adopt_and_apply("shop");
}

/// Multi-tenant composite indexes, soft delete and a many2many through a custom join model.
#[test]
fn saas_models_match_gorm_ddl() {
    adopt_and_apply("saas");
}

/// Replace `from` by `to` in the scratch copy of a model file.
fn edit(s: &Scratch, file: &str, from: &str, to: &str) {
    let path = s.dir.path().join("models").join(file);
    let text = std::fs::read_to_string(&path).expect("model file");
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write model");
}

/// Model edits plan exactly the expected steps, and apply converges.
#[test]
fn model_changes_plan_and_converge() {
    for dialect in DIALECTS {
        let s = Scratch::new(dialect, "gorm_change");
        copy_models(&s, "library");
        s.apply_src(SRC);
        // A new field, a new index tag, an OnDelete change and a new many2many.
        edit(
            &s,
            "catalog.go",
            "PageCount   uint16",
            "PageCount   uint16\n\tEdition     int `gorm:\"default:1\"`",
        );
        edit(
            &s,
            "catalog.go",
            "Name string `gorm:\"size:120;not null\"`",
            "Name string `gorm:\"size:120;not null;index\"`",
        );
        edit(
            &s,
            "catalog.go",
            "constraint:OnDelete:SET NULL",
            "constraint:OnDelete:CASCADE",
        );
        edit(
            &s,
            "catalog.go",
            "Copies      []BookCopy",
            "Copies      []BookCopy\n\tTags        []Genre `gorm:\"many2many:book_tags\"`",
        );
        let out = s.strata_src(&["plan", "-detailed-exitcode"], SRC);
        let text = output_text(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{dialect}: expected changes:\n{text}"
        );
        for expected in [
            "edition",
            "idx_publishers_name",
            "fk_books_publisher",
            "book_tags",
            "fk_book_tags_book",
            "fk_book_tags_genre",
        ] {
            assert!(
                text.contains(expected),
                "{dialect}: plan lacks {expected}:\n{text}"
            );
        }
        s.apply_src(SRC);
        let (code, text) = s.plan_exit(SRC);
        assert_eq!(
            code,
            Some(0),
            "{dialect}: plan after apply is not empty:\n{text}"
        );
    }
}

/// Detection: a folder of Go files importing gorm.io/gorm is GORM's; a type GORM cannot
/// resolve is an error at its file:line:column.
#[test]
fn unresolvable_type_is_located() {
    let s = Scratch::new(Dialect::Sqlite, "gorm_bad");
    std::fs::create_dir_all(s.dir.path().join("models")).expect("dir");
    s.write(
        "models/m.go",
        "package models\n\nimport (\n\t\"gorm.io/gorm\"\n\t\"github.com/shopspring/decimal\"\n)\n\ntype Order struct {\n\tgorm.Model\n\tTotal decimal.Decimal\n}\n",
    );
    let out = s.strata_src(&["plan"], SRC);
    let text = output_text(&out);
    assert!(!out.status.success(), "expected an error:\n{text}");
    assert!(
        text.contains("m.go:10:2"),
        "error lacks the location:\n{text}"
    );
    assert!(text.contains("Total"), "error lacks the field:\n{text}");
}
