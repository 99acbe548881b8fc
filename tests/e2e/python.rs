//! Python providers (SQLAlchemy, Django) end to end: for every fixture model set
//! (tests/fixtures/<orm>/<set>/) and dialect, a database created with the DDL the real ORM
//! executed on the real server (`create_all` / `migrate`, captured by the regeneration scripts)
//! gives an empty first plan, and `strata apply` on an empty database produces the same schema
//! (compared by inspection); model edits plan the expected steps and converge.

use crate::common::{Scratch, assert_same_live, block_on, output_text};
use std::path::{Path, PathBuf};
use strata::run::{self, Settings};
use strata::source::Src;
use strata_schema::Dialect;

/// The file name the ORM's ground truth for `dialect` is stored under.
fn truth_file(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "postgresql.sql",
        Dialect::Mysql => "mysql.sql",
        Dialect::Sqlite => "sqlite.sql",
    }
}

/// The fixture model sets of one ORM.
fn model_sets(orm: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(orm);
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.ends_with("__pycache__"))
        .collect();
    sets.sort();
    sets
}

fn strata_ok(s: &Scratch, args: &[&str]) -> Result<std::process::Output, String> {
    let out = s.strata().args(args).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("strata {args:?} failed:\n{}", output_text(&out)));
    }
    Ok(out)
}

fn plan_is_empty(s: &Scratch, src: &Path) -> Result<(), String> {
    let out = s
        .strata()
        .args([
            "plan",
            "-detailed-exitcode",
            &format!("-url={}", s.url),
            &format!("-src=file://{}", src.display()),
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.code() != Some(0) {
        return Err(format!("plan is not empty:\n{}", output_text(&out)));
    }
    Ok(())
}

/// One model set on one dialect: the ORM's own DDL → empty plan; apply → same schema.
fn check_set(dialect: Dialect, set: &Path) -> Result<(), String> {
    let ddl = std::fs::read_to_string(set.join(truth_file(dialect))).map_err(|e| e.to_string())?;
    let tag = set
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let by_orm = Scratch::new(dialect, &tag);
    by_orm.exec(&ddl);
    plan_is_empty(&by_orm, set).map_err(|e| format!("database created by the ORM: {e}"))?;

    let by_strata = Scratch::new(dialect, &tag);
    let url = format!("-url={}", by_strata.url);
    let src = format!("-src=file://{}", set.display());
    strata_ok(&by_strata, &["apply", "-auto-approve", &url, &src])?;
    plan_is_empty(&by_strata, set).map_err(|e| format!("after apply: {e}"))?;
    assert_same_live(&by_orm, &by_strata, &tag);
    Ok(())
}

fn run_sets(orm: &str, dialect: Dialect) {
    let sets = model_sets(orm);
    assert!(
        sets.len() >= 3,
        "expected several {orm} model sets, found {}",
        sets.len()
    );
    let failures: Vec<String> = sets
        .iter()
        .filter_map(|set| {
            check_set(dialect, set).err().map(|e| {
                format!(
                    "== {orm}/{}\n{e}",
                    set.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} sets failed:\n{}",
        failures.len(),
        sets.len(),
        failures.join("\n")
    );
}

/// The plan's steps (`<symbol> <address>`) from the live database to the models in `src`.
fn steps(s: &Scratch, src: &Path) -> Vec<String> {
    let settings = Settings {
        target: s.target(),
        srcs: vec![Src::path(src.to_path_buf())],
        schemas: vec![],
        exclude: vec![],
        state: s.state(),
        renames: vec![],
        policy: Default::default(),
        targets: vec![],
        excludes: vec![],
    };
    let planned = block_on(run::plan(&settings)).unwrap_or_else(|e| panic!("plan failed: {e}"));
    let steps = planned
        .plan
        .steps
        .iter()
        .map(|st| s.generic(&format!("{} {}", st.action.symbol(), st.address)))
        .collect();
    block_on(planned.conn.close());
    steps
}

/// Apply `before`, then edit the models to `after`: the plan holds `expected` (in any order),
/// apply succeeds and the next plan is empty.
fn check_edit(dialect: Dialect, file: &str, before: &str, after: &str, expected: &[&str]) {
    let s = Scratch::new(dialect, "edit");
    let models = s.dir.path().join("models");
    let path = models.join(file);
    std::fs::create_dir_all(path.parent().unwrap_or(&models)).expect("models dir");
    std::fs::write(&path, before).expect("write models");
    let url = format!("-url={}", s.url);
    let src = format!("-src=file://{}", models.display());
    strata_ok(&s, &["apply", "-auto-approve", &url, &src]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, after).expect("write models");
    let mut got = steps(&s, &models);
    got.sort();
    let mut want: Vec<String> = expected
        .iter()
        .map(|e| e.replace("{s}", s.placeholder()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{dialect}: plan after the model edit");
    strata_ok(&s, &["apply", "-auto-approve", &url, &src]).unwrap_or_else(|e| panic!("{e}"));
    plan_is_empty(&s, &models).unwrap_or_else(|e| panic!("{dialect}: after the edit: {e}"));
}

#[test]
fn sqlalchemy_sets_postgres() {
    run_sets("sqlalchemy", Dialect::Postgres);
}

#[test]
fn sqlalchemy_sets_mysql() {
    run_sets("sqlalchemy", Dialect::Mysql);
}

#[test]
fn sqlalchemy_sets_sqlite() {
    run_sets("sqlalchemy", Dialect::Sqlite);
}

const SA_BEFORE: &str = r#"
from typing import Optional
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[Optional[str]] = mapped_column(String(200))
"#;

const SA_AFTER: &str = r#"
from typing import Optional
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    email: Mapped[str] = mapped_column(String(200))
    born: Mapped[Optional[int]]


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
"#;

fn sqlalchemy_edit(dialect: Dialect, expected: &[&str]) {
    check_edit(dialect, "models.py", SA_BEFORE, SA_AFTER, expected);
}

#[test]
fn sqlalchemy_edits_postgres() {
    sqlalchemy_edit(
        Dialect::Postgres,
        &[
            "+ column.{s}.author.born",
            "~ column.{s}.author.email",
            "+ index.{s}.author.ix_author_name",
            "+ table.{s}.post",
        ],
    );
}

#[test]
fn sqlalchemy_edits_mysql() {
    sqlalchemy_edit(
        Dialect::Mysql,
        &[
            "+ column.{s}.author.born",
            "~ column.{s}.author.email",
            "+ index.{s}.author.ix_author_name",
            "+ table.{s}.post",
        ],
    );
}

/// SQLite cannot alter a column's nullability in place: the table is rebuilt.
#[test]
fn sqlalchemy_edits_sqlite() {
    sqlalchemy_edit(Dialect::Sqlite, &["~ table.{s}.author", "+ table.{s}.post"]);
}

#[test]
fn django_sets_postgres() {
    run_sets("django", Dialect::Postgres);
}

#[test]
fn django_sets_mysql() {
    run_sets("django", Dialect::Mysql);
}

#[test]
fn django_sets_sqlite() {
    run_sets("django", Dialect::Sqlite);
}

const DJ_BEFORE: &str = r#"
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    note = models.CharField(max_length=200, null=True)
"#;

const DJ_AFTER: &str = r#"
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100, db_index=True)
    note = models.CharField(max_length=200)
    price = models.IntegerField(db_default=0)


class Review(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    stars = models.PositiveSmallIntegerField()
"#;

/// Django apps are folders: the models go to `shop/models.py` under the source folder.
fn django_edit(dialect: Dialect, expected: &[&str]) {
    check_edit(dialect, "shop/models.py", DJ_BEFORE, DJ_AFTER, expected);
}

#[test]
fn django_edits_postgres() {
    django_edit(
        Dialect::Postgres,
        &[
            "+ column.{s}.shop_item.price",
            "+ index.{s}.shop_item.shop_item_name_c85f6249",
            "+ index.{s}.shop_item.shop_item_name_c85f6249_like",
            "+ table.{s}.shop_review",
            "~ column.{s}.shop_item.note",
        ],
    );
}

#[test]
fn django_edits_mysql() {
    django_edit(
        Dialect::Mysql,
        &[
            "+ column.{s}.shop_item.price",
            "+ index.{s}.shop_item.shop_item_name_c85f6249",
            "+ table.{s}.shop_review",
            "~ column.{s}.shop_item.note",
        ],
    );
}

#[test]
fn django_edits_sqlite() {
    django_edit(
        Dialect::Sqlite,
        &["~ table.{s}.shop_item", "+ table.{s}.shop_review"],
    );
}
