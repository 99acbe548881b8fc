//! Scratch databases: the benchmark creates its own (`strata_bench_*` on the servers, temp files
//! for SQLite) and drops them, so it never touches a database it did not make. Administrative
//! statements go through the database clients and are not measured.

use crate::dialect::Dialect;
use crate::measure::Job;
use std::path::Path;
use std::process::Command;

/// Every scratch database name starts with this, so a run can clear what a crashed one left.
const PREFIX: &str = "strata_bench_";
const PG_HOST: [&str; 6] = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"];
const MY_HOST: [&str; 3] = ["-h127.0.0.1", "-P3306", "-uroot"];

/// One empty scratch database.
pub struct Scratch {
    pub dialect: Dialect,
    /// Database name (server dialects) or file path (SQLite).
    pub name: String,
}

impl Scratch {
    /// The database `strata_bench_<label>` (a SQLite file of that name in `dir`); nothing is
    /// created until [`Scratch::reset`].
    pub fn new(dialect: Dialect, label: &str, dir: &Path) -> Scratch {
        let name = match dialect {
            Dialect::Sqlite => dir
                .join(format!("{PREFIX}{label}.db"))
                .display()
                .to_string(),
            _ => format!("{PREFIX}{label}"),
        };
        Scratch { dialect, name }
    }

    /// Drop the database if it exists and create it empty.
    pub fn reset(&self) -> Result<(), String> {
        self.drop_it()?;
        match self.dialect {
            Dialect::Postgres => admin_pg(&format!("CREATE DATABASE {}", self.name)),
            Dialect::Mysql => admin_my(&format!(
                "CREATE DATABASE {} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                self.name
            )),
            Dialect::Sqlite => Ok(()),
        }
    }

    /// The URL `strata -url=` takes.
    pub fn url(&self) -> String {
        match self.dialect {
            Dialect::Postgres => format!("postgres://postgres@127.0.0.1:5432/{}", self.name),
            Dialect::Mysql => format!("mysql://root@127.0.0.1:3306/{}", self.name),
            Dialect::Sqlite => format!("sqlite://{}", self.name),
        }
    }

    /// The URL SQLAlchemy (Alembic) takes.
    pub fn sqlalchemy_url(&self) -> String {
        match self.dialect {
            Dialect::Postgres => {
                format!(
                    "postgresql+psycopg2://postgres@127.0.0.1:5432/{}",
                    self.name
                )
            }
            Dialect::Mysql => format!("mysql+pymysql://root@127.0.0.1:3306/{}", self.name),
            Dialect::Sqlite => format!("sqlite:///{}", self.name),
        }
    }

    /// The floor for reading: the database's own schema dump.
    pub fn dump_job(&self) -> Job {
        match self.dialect {
            Dialect::Postgres => Job::new(
                "pg_dump",
                &[&PG_HOST[..], &["--schema-only", "-d", &self.name]].concat(),
            ),
            Dialect::Mysql => Job::new(
                "mysqldump",
                &[&MY_HOST[..], &["--no-data", &self.name]].concat(),
            ),
            Dialect::Sqlite => Job::new("sqlite3", &[&self.name, ".schema"]),
        }
    }

    /// The floor for applying: the client loading `ddl` (PostgreSQL in one transaction, as
    /// Strata applies it; the SQLite file given already wraps the DDL in one).
    pub fn load_job(&self, ddl: &Path) -> Job {
        self.client_load(ddl, "-1")
    }

    /// The client loading `ddl` statement by statement: PostgreSQL's default lock table cannot
    /// hold the locks of 5,000 tables created in one transaction.
    pub fn load_job_autocommit(&self, ddl: &Path) -> Job {
        self.client_load(ddl, "-q")
    }

    /// The client loading `ddl`; `transaction_flag` is psql's `-1`, or `-q` again for none.
    fn client_load(&self, ddl: &Path, transaction_flag: &str) -> Job {
        let file = ddl.display().to_string();
        match self.dialect {
            Dialect::Postgres => Job::new(
                "psql",
                &[
                    &PG_HOST[..],
                    &[
                        "-X",
                        "-q",
                        transaction_flag,
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-d",
                        &self.name,
                        "-f",
                        &file,
                    ],
                ]
                .concat(),
            ),
            Dialect::Mysql => Job::new("mysql", &[&MY_HOST[..], &[&self.name]].concat()).stdin(ddl),
            Dialect::Sqlite => Job::new("sqlite3", &["-bail", &self.name]).stdin(ddl),
        }
    }

    /// Run `script` with the client, unmeasured (altering the database behind Strata's back).
    pub fn run_script(&self, script: &Path, log: &Path) -> Result<(), String> {
        self.load_job(script).run(log).map(|_| ())
    }

    /// Drop the database (or delete the file); a missing one is fine.
    pub fn drop_it(&self) -> Result<(), String> {
        match self.dialect {
            Dialect::Postgres => admin_pg(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )),
            Dialect::Mysql => admin_my(&format!("DROP DATABASE IF EXISTS {}", self.name)),
            Dialect::Sqlite => {
                for suffix in ["", "-journal", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
                Ok(())
            }
        }
    }
}

/// Drop every `strata_bench_*` database a crashed earlier run left on the servers of `dialects`.
pub fn clear_leftovers(dialects: &[Dialect]) -> Result<(), String> {
    for &d in dialects {
        let query = match d {
            Dialect::Postgres => {
                format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'")
            }
            Dialect::Mysql => format!(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '{PREFIX}%'"
            ),
            Dialect::Sqlite => continue,
        };
        let names = match d {
            Dialect::Postgres => client_output(
                "psql",
                &[&PG_HOST[..], &["-XAtq", "-d", "postgres", "-c", &query]].concat(),
            )?,
            _ => client_output(
                "mysql",
                &[&MY_HOST[..], &["-N", "-B", "-e", &query]].concat(),
            )?,
        };
        for name in names.lines().filter(|l| !l.is_empty()) {
            Scratch {
                dialect: d,
                name: name.to_string(),
            }
            .drop_it()?;
        }
    }
    Ok(())
}

fn admin_pg(sql: &str) -> Result<(), String> {
    client_output(
        "psql",
        &[
            &PG_HOST[..],
            &[
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                "postgres",
                "-c",
                sql,
            ],
        ]
        .concat(),
    )
    .map(|_| ())
}

fn admin_my(sql: &str) -> Result<(), String> {
    client_output("mysql", &[&MY_HOST[..], &["-e", sql]].concat()).map(|_| ())
}

/// Run a client for an administrative statement and return its stdout.
fn client_output(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {program}: {e} (is the client installed?)"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
