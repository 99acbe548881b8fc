//! Shared test harness: a scratch namespace per test on the real servers, the client to run
//! SQL directly, and the `strata` binary pointed at it.
//!
//! A server that cannot be reached fails the test with a message that names it: these tests
//! never skip (CI runs them with `CI=true` and must see them fail if a service is down).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use strata::db::Conn;
use strata::target::Target;
use strata_schema::Dialect;

pub const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const MYSQL_ADMIN: &str = "mysql://root@127.0.0.1:3306/test";

/// Run a future to completion on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

/// Scratch is an empty namespace for one test: a PostgreSQL schema in `test`, a MySQL
/// database, or a SQLite file; plus a temporary working directory for config and sources.
pub struct Scratch {
    pub dialect: Dialect,
    /// Name of the schema (PostgreSQL), database (MySQL) or `main` (SQLite).
    pub name: String,
    pub url: String,
    pub dir: tempfile::TempDir,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(tag: &str) -> String {
    let clean: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!(
        "t_{}_{}_{}",
        clean,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

async fn admin(dialect: Dialect) -> Conn {
    let url = match dialect {
        Dialect::Postgres => PG_ADMIN,
        Dialect::Mysql => MYSQL_ADMIN,
        Dialect::Sqlite => unreachable!("SQLite needs no admin connection"),
    };
    let target = Target::parse(url, Path::new(".")).expect("admin url");
    match strata::db::connect(&target).await {
        Ok(c) => c,
        Err(e) => panic!(
            "{dialect} test server unreachable ({e}). Start it with `bash ../shared/services.sh`; \
             database tests fail rather than skip."
        ),
    }
}

impl Scratch {
    /// A fresh, empty namespace for `dialect`.
    pub fn new(dialect: Dialect, tag: &str) -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        let name = unique(tag);
        let url = match dialect {
            Dialect::Postgres => {
                block_on(async {
                    let mut c = admin(dialect).await;
                    c.execute(&format!("CREATE SCHEMA \"{name}\""))
                        .await
                        .expect("create schema");
                    c.close().await;
                });
                format!("{PG_ADMIN}?search_path={name}")
            }
            Dialect::Mysql => {
                block_on(async {
                    let mut c = admin(dialect).await;
                    c.execute(&format!(
                        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
                    ))
                    .await
                    .expect("create database");
                    c.close().await;
                });
                format!("mysql://root@127.0.0.1:3306/{name}")
            }
            Dialect::Sqlite => format!("sqlite://{}", dir.path().join("db.sqlite").display()),
        };
        let name = if dialect == Dialect::Sqlite {
            "main".to_string()
        } else {
            name
        };
        Scratch {
            dialect,
            name,
            url,
            dir,
        }
    }

    /// The schema word test data uses for this dialect (`public`, `test`, `main`).
    pub fn placeholder(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => "public",
            Dialect::Mysql => "test",
            Dialect::Sqlite => "main",
        }
    }

    pub fn target(&self) -> Target {
        Target::parse(&self.url, self.dir.path()).expect("scratch url")
    }

    async fn conn(&self) -> Conn {
        strata::db::connect(&self.target())
            .await
            .expect("connect to scratch")
    }

    /// Run SQL (several statements allowed) with the client, as another tool would.
    pub fn exec(&self, sql: &str) {
        block_on(async {
            let mut c = self.conn().await;
            if let Err(e) = c.execute(sql).await {
                panic!("client SQL failed: {e}\n{sql}");
            }
            c.close().await;
        })
    }

    /// Run a query returning one integer.
    pub fn query_i64(&self, sql: &str) -> i64 {
        block_on(async {
            let mut c = self.conn().await;
            let v: i64 = match &mut c {
                Conn::Postgres(c) => {
                    sqlx::query_scalar::<_, i64>(&format!("SELECT ({sql})::bigint"))
                        .fetch_one(c)
                        .await
                }
                Conn::Mysql(c) => {
                    sqlx::query_scalar::<_, i64>(&format!("SELECT CAST(({sql}) AS SIGNED)"))
                        .fetch_one(c)
                        .await
                }
                Conn::Sqlite(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await,
            }
            .unwrap_or_else(|e| panic!("query failed: {e}\n{sql}"));
            c.close().await;
            v
        })
    }

    /// The state location the binary uses in this scratch's working directory with `-url`
    /// and no config: `.strata/default.state.json`.
    pub fn state(&self) -> strata::run::StateSettings {
        strata::run::StateSettings::beside(self.dir.path(), "default")
    }

    /// Run the binary with `args` against this scratch database (`-url`) and the desired
    /// schema at `src` (`-src=file://…`, relative to the working directory).
    pub fn strata_src(&self, args: &[&str], src: &str) -> std::process::Output {
        let url = format!("-url={}", self.url);
        let src = format!("-src=file://{src}");
        self.strata()
            .args(args)
            .args([&url, &src])
            .output()
            .expect("run strata")
    }

    /// `plan -detailed-exitcode` of `src`: the exit code and the output, as text.
    pub fn plan_exit(&self, src: &str) -> (Option<i32>, String) {
        let out = self.strata_src(&["plan", "-detailed-exitcode"], src);
        (out.status.code(), output_text(&out))
    }

    /// `apply -auto-approve` of `src`, which must succeed.
    pub fn apply_src(&self, src: &str) {
        let out = self.strata_src(&["apply", "-auto-approve"], src);
        assert!(out.status.success(), "apply failed:\n{}", output_text(&out));
    }

    /// Write a file into the working directory; returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).expect("write file");
        p
    }

    /// The `strata` binary, run in the working directory with colour off.
    pub fn strata(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("strata").expect("strata binary");
        cmd.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CI");
        cmd
    }

    /// Replace this scratch namespace's name with the test-data placeholder in `text`.
    pub fn generic(&self, text: &str) -> String {
        text.replace(
            &format!(".{}.", self.name),
            &format!(".{}.", self.placeholder()),
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let stmt = match self.dialect {
            Dialect::Postgres => format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name),
            Dialect::Mysql => format!("DROP DATABASE IF EXISTS `{}`", self.name),
            Dialect::Sqlite => return,
        };
        let dialect = self.dialect;
        block_on(async move {
            let mut c = admin(dialect).await;
            let _ = c.execute(&stmt).await;
            c.close().await;
        });
    }
}

/// Files in `tests/<kind>/<dialect>/` with extension `ext`, sorted by name.
pub fn data_files(kind: &str, dialect: Dialect, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(kind)
        .join(dialect.name());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    files
}

/// Check every test-data file `tests/<kind>/<dialect>/*.<ext>` (at least `min` of them, the
/// issue's floor) with `check`, and fail once with every failure, so one run shows them all.
pub fn check_all(
    kind: &str,
    dialect: Dialect,
    ext: &str,
    min: usize,
    check: impl Fn(Dialect, &Path) -> Result<(), String>,
) {
    let files = data_files(kind, dialect, ext);
    assert!(
        files.len() >= min,
        "at least {min} {dialect} {kind} are required, found {}",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            check(dialect, f).err().map(|e| format!("== {name}\n{e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} {kind} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Output of a finished command, as text, for assertion messages.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The live schema of a scratch namespace, normalised, with the namespace renamed to the
/// test-data placeholder so two scratches compare.
pub fn live_schema(s: &Scratch) -> strata_schema::Database {
    let settings = strata::run::Settings {
        target: s.target(),
        srcs: vec![],
        schemas: vec![],
        exclude: vec![],
        state: s.state(),
        renames: vec![],
        policy: Default::default(),
        targets: vec![],
        excludes: vec![],
    };
    let mut db = block_on(strata::run::inspect(&settings)).expect("inspect scratch");
    if let Some(mut schema) = db.schemas.remove(&s.name) {
        schema.name = s.placeholder().to_string();
        db.schemas.insert(schema.name.clone(), schema);
    }
    db
}

/// Assert two scratch databases hold the same schema (same tables, columns, types,
/// nullability, defaults, keys, indexes, foreign keys and names), as the differ sees it.
pub fn assert_same_live(a: &Scratch, b: &Scratch, what: &str) {
    let (x, y) = (live_schema(a), live_schema(b));
    let changes = strata::diff::diff(a.dialect, &x, &y);
    assert!(
        changes.is_empty(),
        "{what}: the two databases differ: {changes:#?}"
    );
}
