//! Sequelize and TypeORM providers end to end: for each fixture model set and dialect, a
//! database created with the DDL the real ORM printed (tests/fixtures/<orm>/<set>/<dialect>.sql)
//! gives an empty first plan against the models, and `strata apply` of the models on an empty
//! database produces the same schema and names.

use crate::common::{Scratch, assert_same_live, output_text};
use std::path::{Path, PathBuf};
use strata_schema::Dialect;

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn fixture_sets(orm: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(orm);
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("models").is_dir())
        .collect();
    sets.sort();
    sets
}

/// `strata <command>` against the scratch with `models` as the source.
fn strata(s: &Scratch, command: &str, models: &Path) -> std::process::Output {
    let mut cmd = s.strata();
    cmd.arg(command);
    if command == "plan" {
        cmd.arg("-detailed-exitcode");
    } else {
        cmd.arg("-auto-approve");
    }
    cmd.args([
        format!("-url={}", s.url),
        format!("-src=file://{}", models.display()),
    ])
    .output()
    .expect("run strata")
}

/// Apply the models in `dir`; the test fails with strata's output if it does not succeed.
fn applies(s: &Scratch, dir: &Path, dialect: Dialect) {
    let out = strata(s, "apply", dir);
    assert!(out.status.success(), "{dialect}: {}", output_text(&out));
}

/// Apply the models in `dir`, then the next plan must be empty.
fn applies_and_converges(s: &Scratch, dir: &Path, dialect: Dialect) {
    applies(s, dir, dialect);
    let out = strata(s, "plan", dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{dialect}: {}",
        output_text(&out)
    );
}

/// A set's `models`, and its compiled `dist` when it has one (sequelize-typescript models as
/// tsc emits them), against the set's DDL.
fn check_set(set: &Path, dialect: Dialect) -> Result<(), String> {
    check_models(set, &set.join("models"), dialect, "")?;
    let dist = set.join("dist");
    if dist.is_dir() {
        check_models(set, &dist, dialect, "").map_err(|e| format!("(dist) {e}"))?;
    }
    Ok(())
}

/// Adoption and apply for the models in `models` against `<set>/<dialect>.sql`, with `prepare`
/// run first on both scratch databases.
fn check_models(set: &Path, models: &Path, dialect: Dialect, prepare: &str) -> Result<(), String> {
    let ddl = std::fs::read_to_string(set.join(format!("{}.sql", dialect.name())))
        .map_err(|e| e.to_string())?;
    let tag = set
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();

    let by_orm = Scratch::new(dialect, &tag);
    if !prepare.is_empty() {
        by_orm.exec(prepare);
    }
    by_orm.exec(&ddl);
    let out = strata(&by_orm, "plan", models);
    if out.status.code() != Some(0) {
        return Err(format!(
            "first plan on the ORM's database is not empty:\n{}",
            output_text(&out)
        ));
    }

    let by_strata = Scratch::new(dialect, &tag);
    if !prepare.is_empty() {
        by_strata.exec(prepare);
    }
    let out = strata(&by_strata, "apply", models);
    if !out.status.success() {
        return Err(format!(
            "apply on an empty database failed:\n{}",
            output_text(&out)
        ));
    }
    let out = strata(&by_strata, "plan", models);
    if out.status.code() != Some(0) {
        return Err(format!(
            "plan after apply is not empty:\n{}",
            output_text(&out)
        ));
    }
    assert_same_live(&by_orm, &by_strata, &format!("{tag} on {dialect}"));
    Ok(())
}

fn run(orm: &str, dialect: Dialect) {
    let sets = fixture_sets(orm);
    assert!(!sets.is_empty(), "no {orm} fixture sets");
    let failures: Vec<String> = sets
        .iter()
        .filter_map(|set| {
            check_set(set, dialect)
                .err()
                .map(|e| format!("== {}\n{e}", set.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sequelize_postgres() {
    run("sequelize", Dialect::Postgres);
}

#[test]
fn sequelize_mysql() {
    run("sequelize", Dialect::Mysql);
}

#[test]
fn sequelize_sqlite() {
    run("sequelize", Dialect::Sqlite);
}

#[test]
fn sequelize_model_edit_plans_and_converges() {
    for dialect in DIALECTS {
        let s = Scratch::new(dialect, "sequelize_edit");
        let dir = s.dir.path().join("models");
        std::fs::create_dir_all(&dir).expect("models dir");
        let write = |text: &str| std::fs::write(dir.join("tag.js"), text).expect("write model");
        write(
            "const { DataTypes } = require('sequelize');\n\
             module.exports = (sequelize) => sequelize.define('Tag', {\n\
               label: { type: DataTypes.STRING(40), allowNull: false },\n\
             });\n",
        );
        applies(&s, &dir, dialect);
        write(
            "const { DataTypes } = require('sequelize');\n\
             module.exports = (sequelize) => sequelize.define('Tag', {\n\
               label: { type: DataTypes.STRING(40), allowNull: false, unique: true },\n\
               colour: { type: DataTypes.STRING(7), defaultValue: '#ffffff' },\n\
             });\n",
        );
        let out = strata(&s, "plan", &dir);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{dialect}: {text}");
        assert!(
            text.contains("colour"),
            "{dialect}: the plan adds the column: {text}"
        );
        applies_and_converges(&s, &dir, dialect);
    }
}

/// TypeORM's uuid keys default to `uuid_generate_v4()`, which the uuid-ossp extension TypeORM
/// installs on connect provides. An extension exists once per database while the tests use one
/// scratch schema each, so each scratch gets a function of that name instead.
const UUID_OSSP_STAND_IN: &str = "CREATE FUNCTION uuid_generate_v4() RETURNS uuid \
     AS 'SELECT gen_random_uuid()' LANGUAGE sql";

/// Every TypeORM fixture set on `dialect`, from its TypeScript entities and from their tsc
/// output (`dist`). Where TypeORM refused the set on this dialect (`<dialect>.refused`), strata
/// must refuse it too rather than invent a schema.
fn typeorm_run(dialect: Dialect) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typeorm");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("entities").is_dir())
        .collect();
    sets.sort();
    assert!(sets.len() >= 3, "typeorm fixture sets missing");
    let prepare = if dialect == Dialect::Postgres {
        UUID_OSSP_STAND_IN
    } else {
        ""
    };
    let mut failures = Vec::new();
    for set in &sets {
        for models in [set.join("entities"), set.join("dist")] {
            let result = if set.join(format!("{}.refused", dialect.name())).exists() {
                let s = Scratch::new(dialect, "typeorm_refused");
                let out = strata(&s, "plan", &models);
                match out.status.code() {
                    Some(1) => Ok(()),
                    _ => Err(format!(
                        "TypeORM refuses this set on {dialect}, strata planned it:\n{}",
                        output_text(&out)
                    )),
                }
            } else {
                check_models(set, &models, dialect, prepare)
            };
            if let Err(e) = result {
                failures.push(format!("== {}\n{e}", models.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn typeorm_postgres() {
    typeorm_run(Dialect::Postgres);
}

#[test]
fn typeorm_mysql() {
    typeorm_run(Dialect::Mysql);
}

#[test]
fn typeorm_sqlite() {
    typeorm_run(Dialect::Sqlite);
}

#[test]
fn typeorm_entity_edit_plans_and_converges() {
    for dialect in DIALECTS {
        let s = Scratch::new(dialect, "typeorm_edit");
        let dir = s.dir.path().join("entities");
        std::fs::create_dir_all(&dir).expect("entities dir");
        let write = |body: &str| {
            let text = format!(
                "import {{ Column, Entity, Index, PrimaryGeneratedColumn }} from \"typeorm\";\n\
                 @Entity()\nexport class Tag {{\n  @PrimaryGeneratedColumn()\n  id: number;\n{body}}}\n"
            );
            std::fs::write(dir.join("Tag.ts"), text).expect("write entity")
        };
        write("  @Column({ length: 40 })\n  label: string;\n");
        applies(&s, &dir, dialect);
        write(
            "  @Index({ unique: true })\n  @Column({ length: 40 })\n  label: string;\n\
             @Column({ length: 7, default: \"#ffffff\" })\n  colour: string;\n",
        );
        let out = strata(&s, "plan", &dir);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{dialect}: {text}");
        assert!(
            text.contains("colour"),
            "{dialect}: the plan adds the column: {text}"
        );
        // TypeORM's name for the unique index on tag(label).
        assert!(
            text.contains("IDX_"),
            "{dialect}: the plan creates TypeORM's index: {text}"
        );
        applies_and_converges(&s, &dir, dialect);
    }
}

#[test]
fn typeorm_unreadable_construct_is_located() {
    let s = Scratch::new(Dialect::Sqlite, "typeorm_error");
    let dir = s.dir.path().join("entities");
    std::fs::create_dir_all(&dir).expect("entities dir");
    std::fs::write(
        dir.join("Tag.ts"),
        "import { Column, Entity, PrimaryGeneratedColumn } from \"typeorm\";\n\
         const LENGTH = 40;\n\
         @Entity()\nexport class Tag {\n  @PrimaryGeneratedColumn()\n  id: number;\n\
           @Column({ length: LENGTH })\n  label: string;\n}\n",
    )
    .expect("write entity");
    let out = strata(&s, "plan", &dir);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Tag.ts:7:"),
        "the error names the place: {text}"
    );
}

/// sequelize-typescript models: adding a `@HasOne` with its `@ForeignKey` creates the table
/// with Sequelize's key and actions, and making an `@Index` unique replaces the index.
#[test]
fn sequelize_typescript_edit_plans_and_converges() {
    const IMPORTS: &str = "import { AllowNull, Column, DataType, ForeignKey, HasOne, Index, Model, Table } \
                           from \"sequelize-typescript\";\n";
    for dialect in DIALECTS {
        let s = Scratch::new(dialect, "sequelize_ts_edit");
        let dir = s.dir.path().join("models");
        std::fs::create_dir_all(&dir).expect("models dir");
        let write = |file: &str, body: &str| {
            std::fs::write(dir.join(file), format!("{IMPORTS}{body}")).expect("write model")
        };
        write(
            "author.ts",
            "@Table({ tableName: \"authors\" })\nexport class Author extends Model {\n\
               @Index(\"authors_handle\")\n  @Column(DataType.STRING(40))\n  handle!: string;\n}\n",
        );
        applies(&s, &dir, dialect);
        write(
            "author.ts",
            "import { Profile } from \"./profile\";\n\
             @Table({ tableName: \"authors\" })\nexport class Author extends Model {\n\
               @Index({ name: \"authors_handle\", unique: true })\n  @Column(DataType.STRING(40))\n  handle!: string;\n\
               @HasOne(() => Profile, { onDelete: \"CASCADE\" })\n  profile?: Profile;\n}\n",
        );
        write(
            "profile.ts",
            "import { Author } from \"./author\";\n\
             @Table({ tableName: \"profiles\", timestamps: false })\nexport class Profile extends Model {\n\
               @ForeignKey(() => Author)\n  @AllowNull(false)\n  @Column\n  authorId!: number;\n\
               @Column\n  bio?: string;\n}\n",
        );
        let out = strata(&s, "plan", &dir);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{dialect}: {text}");
        for expected in [
            "profiles",
            "authorId",
            "ON DELETE CASCADE",
            "authors_handle",
        ] {
            assert!(
                text.contains(expected),
                "{dialect}: no {expected} in {text}"
            );
        }
        applies_and_converges(&s, &dir, dialect);
    }
}

/// A property type sequelize-typescript cannot infer a column type from is an error at the
/// `@Column` that needs it, not a guess.
#[test]
fn sequelize_unreadable_decorator_is_located() {
    let s = Scratch::new(Dialect::Sqlite, "sequelize_error");
    let dir = s.dir.path().join("models");
    std::fs::create_dir_all(&dir).expect("models dir");
    std::fs::write(
        dir.join("tag.ts"),
        "import { Column, Model, Table } from \"sequelize-typescript\";\n\
         @Table\nexport class Tag extends Model {\n\
           @Column\n  label!: string | null;\n}\n",
    )
    .expect("write model");
    let out = strata(&s, "plan", &dir);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("tag.ts:4:") && text.contains("label"),
        "the error names the place: {text}"
    );
}
