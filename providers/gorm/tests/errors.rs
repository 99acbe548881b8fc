//! A Go file the compiler would refuse is an error at its file, line and column, never a
//! partial read.

use strata_gorm::Gorm;
use strata_schema::{Dialect, Provider};

#[test]
fn go_syntax_errors_are_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("models.go");
    std::fs::write(
        &file,
        "package models\n\nimport \"gorm.io/gorm\"\n\ntype User struct {\n\tgorm.Model\n\tName string `gorm:\"size:20\"`\n\tAge int = 3\n}\n",
    )
    .expect("write");
    let e = Gorm
        .load(dir.path(), Dialect::Postgres, "public")
        .expect_err("a syntax error");
    assert_eq!(e.location.file, file);
    assert_eq!(e.location.line, 8, "{e}");
    assert!(e.message.starts_with("Go syntax error"), "{e}");
}
