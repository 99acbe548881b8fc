//! prisma provider end-to-end tests. Each fixture in tests/fixtures/prisma/ is a schema
//! (`<name>.prisma`) with the DDL Prisma's own schema engine printed for it per dialect
//! (`<name>.<dialect>.sql`; MySQL derived by hand and marked so, see regenerate.sh). For every
//! fixture and dialect: a database created from Prisma's DDL gives an empty first plan against
//! the schema, and `strata apply` of the schema on an empty database yields the same schema,
//! names included. Schema edits then plan the expected steps and converge.

use crate::common::{Scratch, assert_same_live, output_text};
use std::path::{Path, PathBuf};
use strata_schema::Dialect;

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prisma")
}

/// The fixture schema text.
fn schema(name: &str) -> String {
    std::fs::read_to_string(fixtures_dir().join(format!("{name}.prisma"))).expect("fixture schema")
}

/// Where the desired schema sits in a scratch working directory.
const SRC: &str = "schema.prisma";

/// Prisma's DDL adopted with zero changes, and the schema applied to an empty database
/// giving the same tables, columns, types, defaults, keys, indexes, foreign keys and names.
fn adopt_and_apply(name: &str) {
    let mut checked = 0;
    for dialect in DIALECTS {
        let ddl_path = fixtures_dir().join(format!("{name}.{}.sql", dialect.name()));
        let Ok(ddl) = std::fs::read_to_string(&ddl_path) else {
            continue;
        };
        checked += 1;
        let direct = Scratch::new(dialect, &format!("prisma_{name}"));
        direct.exec(&ddl);
        direct.write("schema.prisma", &schema(name));
        let (code, text) = direct.plan_exit(SRC);
        assert_eq!(
            code,
            Some(0),
            "{name}/{dialect}: plan over Prisma's DDL is not empty:\n{text}"
        );

        let applied = Scratch::new(dialect, &format!("prisma_{name}"));
        applied.write("schema.prisma", &schema(name));
        applied.apply_src(SRC);
        let (code, text) = applied.plan_exit(SRC);
        assert_eq!(
            code,
            Some(0),
            "{name}/{dialect}: plan after apply is not empty:\n{text}"
        );
        assert_same_live(
            &direct,
            &applied,
            &format!("{name}/{dialect}: Prisma DDL vs strata apply"),
        );
    }
    assert!(checked > 0, "{name}: no DDL fixture found");
}

#[test]
fn library_schema_matches_prisma_ddl() {
    adopt_and_apply("01_library");
}

#[test]
fn blog_schema_matches_prisma_ddl() {
    adopt_and_apply("02_blog");
}

#[test]
fn postgres_types_match_prisma_ddl() {
    adopt_and_apply("03_postgres_types");
}

#[test]
fn mysql_types_match_derived_ddl() {
    adopt_and_apply("04_mysql_types");
}

/// Replace `from` by `to` in the scratch copy of the schema.
fn edit(s: &Scratch, from: &str, to: &str) {
    let path = s.dir.path().join("schema.prisma");
    let text = std::fs::read_to_string(&path).expect("schema file");
    assert!(text.contains(from), "schema has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write schema");
}

/// Apply fixture 01 to an empty `dialect` database, make `edits` to the schema, and check
/// that the plan names every `expected` object and that apply converges.
fn change_converges(dialect: Dialect, edits: &[(&str, &str)], expected: &[&str]) {
    let s = Scratch::new(dialect, "prisma_change");
    s.write("schema.prisma", &schema("01_library"));
    s.apply_src(SRC);
    for (from, to) in edits {
        edit(&s, from, to);
    }
    let out = s.strata_src(&["plan", "-detailed-exitcode"], SRC);
    let text = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{dialect}: expected changes:\n{text}"
    );
    for e in expected {
        assert!(text.contains(e), "{dialect}: plan lacks {e}:\n{text}");
    }
    // A rename through @map drops the old column, as Prisma Migrate's own diff would.
    let out = s.strata_src(&["apply", "-auto-approve", "-allow-destructive"], SRC);
    assert!(
        out.status.success(),
        "{dialect}: apply failed:\n{}",
        output_text(&out)
    );
    let (code, text) = s.plan_exit(SRC);
    assert_eq!(
        code,
        Some(0),
        "{dialect}: plan after apply is not empty:\n{text}"
    );
}

/// Schema edits plan the steps a user expects, and apply converges: a new field, a new
/// index, a changed onDelete and a column renamed through `@map`.
#[test]
fn schema_changes_plan_and_converge() {
    for dialect in DIALECTS {
        change_converges(
            dialect,
            &[
                (
                    "  pages       Int?\n",
                    "  pages       Int?\n  edition     Int        @default(1)\n",
                ),
                (
                    "  @@index([title])\n",
                    "  @@index([title])\n  @@index([pages])\n",
                ),
                (
                    "references: [id], onDelete: Cascade)",
                    "references: [id], onDelete: Restrict)",
                ),
                ("@map(\"issued_at\")", "@map(\"issued_on\")"),
            ],
            &[
                ".books.edition",
                "books_pages_idx",
                "library_cards_member_id_fkey",
                "issued_on",
            ],
        );
    }
}

/// A new relation adds its scalar field's column and Prisma's foreign key.
#[test]
fn new_relation_plans_and_converges() {
    for dialect in DIALECTS {
        change_converges(
            dialect,
            &[
                (
                    "  note     String     @default(\"\")\n",
                    "  note     String     @default(\"\")\n  returnedToId Int?   @map(\"returned_to_id\")\n  returnedTo   Member? @relation(\"ReturnedTo\", fields: [returnedToId], references: [id])\n",
                ),
                (
                    "  loans     Loan[]\n\n  @@map(\"library_members\")",
                    "  loans     Loan[]\n  returns   Loan[]   @relation(\"ReturnedTo\")\n\n  @@map(\"library_members\")",
                ),
            ],
            &["returned_to_id", "loans_returned_to_id_fkey"],
        );
    }
}

/// Detection without configuration: a folder of `.prisma` files (multi-file schema) and a
/// project folder whose package.json points at the schema are both read as Prisma.
#[test]
fn folders_and_project_files_are_detected() {
    let s = Scratch::new(Dialect::Sqlite, "prisma_detect");
    std::fs::create_dir_all(s.dir.path().join("prisma/schema")).expect("dir");
    s.write(
        "prisma/schema/main.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n",
    );
    s.write(
        "prisma/schema/users.prisma",
        "model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n",
    );
    s.write(
        "package.json",
        r#"{"name": "app", "prisma": {"schema": "prisma/schema"}}"#,
    );
    for src in ["-src=file://prisma/schema", "-src=file://."] {
        let out = s
            .strata()
            .args(["apply", "-auto-approve", &format!("-url={}", s.url), src])
            .output()
            .expect("run strata");
        assert!(
            out.status.success(),
            "{src}: apply failed:\n{}",
            output_text(&out)
        );
    }
    assert_eq!(
        s.query_i64("SELECT count(*) FROM sqlite_master WHERE name = 'User_email_key'"),
        1
    );
}

/// A malformed schema is an error at its file:line:column; an unknown attribute is a
/// warning with its location.
#[test]
fn errors_and_warnings_are_located() {
    let s = Scratch::new(Dialect::Sqlite, "prisma_bad");
    s.write(
        "schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n\nmodel A {\n  id Int @id\n  name\n}\n",
    );
    let out = s.strata_src(&["plan"], SRC);
    let text = output_text(&out);
    assert!(!out.status.success(), "expected an error:\n{text}");
    assert!(
        text.contains("schema.prisma:9:1"),
        "error lacks the location:\n{text}"
    );

    s.write(
        "schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n\nmodel A {\n  id Int @id @shiny\n}\n",
    );
    let out = s.strata_src(&["plan"], SRC);
    let text = output_text(&out);
    assert!(
        out.status.success(),
        "a warning must not fail the plan:\n{text}"
    );
    assert!(
        text.contains("schema.prisma:7:14") && text.contains("@shiny"),
        "warning lacks the location:\n{text}"
    );
}
