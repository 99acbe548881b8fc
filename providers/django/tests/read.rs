//! The Django reader on small projects: apps, auto fields, names, and where it refuses to guess.

use strata_django::Django;
use strata_schema::{Deferrable, Dialect, Identity, Loaded, Provider, SourceError, Type};

const HEADER: &str = "from django.conf import settings\nfrom django.db import models\n\n\n";

/// Line of the first body line after HEADER.
const FIRST: usize = 5;

/// A project with `settings.py` (when given) and the app `shop` holding `models`.
fn load(settings: Option<&str>, models: &str, dialect: Dialect) -> Result<Loaded, SourceError> {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(s) = settings {
        std::fs::write(dir.path().join("settings.py"), s).expect("write settings");
    }
    std::fs::create_dir_all(dir.path().join("shop")).expect("app dir");
    std::fs::write(
        dir.path().join("shop/models.py"),
        format!("{HEADER}{models}"),
    )
    .expect("write models");
    Django.load(dir.path(), dialect, "public")
}

const ITEM: &str = "class Item(models.Model):\n    name = models.CharField(max_length=20)\n\n\nclass Line(models.Model):\n    item = models.ForeignKey(Item, on_delete=models.CASCADE)\n";

#[test]
fn auto_fields_follow_settings_and_foreign_keys_follow_their_target() {
    let big =
        "INSTALLED_APPS = [\"shop\"]\nDEFAULT_AUTO_FIELD = \"django.db.models.BigAutoField\"\n";
    let loaded = load(Some(big), ITEM, Dialect::Postgres).expect("loads");
    let line = &loaded.database.schemas["public"].tables["shop_line"];
    assert_eq!(line.columns[0].ty, Type::parse(Dialect::Postgres, "bigint"));
    assert_eq!(
        line.columns[0].identity,
        Some(Identity::Generated { always: false })
    );
    assert_eq!(line.columns[1].name, "item_id");
    assert_eq!(line.columns[1].ty, Type::parse(Dialect::Postgres, "bigint"));
    let fk = &line.foreign_keys[0];
    assert_eq!(fk.name, "shop_line_item_id_4b21a017_fk_shop_item_id");
    assert_eq!(fk.deferrable, Deferrable::InitiallyDeferred);
    // Without settings, apps are folders and ids are Django's default AutoField.
    let loaded = load(None, ITEM, Dialect::Postgres).expect("loads");
    let line = &loaded.database.schemas["public"].tables["shop_line"];
    assert_eq!(
        line.columns[1].ty,
        Type::parse(Dialect::Postgres, "integer")
    );
}

#[test]
fn mysql_gets_no_foreign_key_index_and_sqlite_no_fk_name() {
    let my = load(None, ITEM, Dialect::Mysql).expect("mysql");
    assert!(
        my.database.schemas["public"].tables["shop_line"]
            .indexes
            .is_empty()
    );
    let lite = load(None, ITEM, Dialect::Sqlite).expect("sqlite");
    let line = &lite.database.schemas["public"].tables["shop_line"];
    assert_eq!(line.foreign_keys[0].name, "");
    assert_eq!(line.indexes[0].name, "shop_line_item_id_4b21a017");
}

#[test]
fn models_outside_the_project_are_reported() {
    let e = load(None, "class Note(models.Model):\n    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n", Dialect::Sqlite)
        .expect_err("AUTH_USER_MODEL is not in the project");
    assert!(e.message.contains("not a model of the project"), "{e}");
    assert_eq!((e.location.line, e.location.column), (FIRST + 1, 31));
}

#[test]
fn dynamic_fields_are_errors() {
    let e = load(None, "class T(models.Model):\n    for n in range(3):\n        locals()[f\"f{n}\"] = models.IntegerField()\n", Dialect::Sqlite)
        .expect_err("fields in a loop");
    assert!(e.message.contains("cannot be read statically"), "{e}");
    assert_eq!(e.location.line, FIRST + 1);
}

#[test]
fn index_together_is_read_as_django_4_2_with_a_warning() {
    let loaded = load(None, "class T(models.Model):\n    a = models.IntegerField()\n    b = models.IntegerField(db_column=\"bee\")\n\n    class Meta:\n        index_together = (\"a\", \"b\")\n", Dialect::Postgres)
        .expect("loads");
    let t = &loaded.database.schemas["public"].tables["shop_t"];
    let names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    // As Django 4.2.30 names it: names_digest("shop_t", "a", "bee", length=8) + "_idx".
    assert_eq!(names, ["shop_t_a_bee_9afb8590_idx"]);
    assert!(!t.indexes[0].unique);
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].message.contains("Django 5.1 removed it"));
    assert_eq!(loaded.warnings[0].location.line, FIRST + 5);
}

#[test]
fn unknown_options_are_warnings_with_their_place() {
    let loaded = load(None, "class T(models.Model):\n    a = models.IntegerField(colour=\"red\")\n\n    class Meta:\n        shiny = True\n", Dialect::Sqlite)
        .expect("loads");
    let lines: Vec<usize> = loaded.warnings.iter().map(|w| w.location.line).collect();
    assert_eq!(lines, vec![FIRST + 4, FIRST + 1]);
}

#[test]
fn detection_needs_django() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("util.py"), "import os\n").expect("write");
    assert!(!Django.detect(dir.path()));
    std::fs::create_dir_all(dir.path().join("shop")).expect("app dir");
    std::fs::write(dir.path().join("shop/models.py"), HEADER).expect("write");
    assert!(Django.detect(dir.path()));
}
