//! One dialect at one size: every measurement of the issue, in the order that reuses databases
//! (apply from empty leaves the database and state that the plans run against; the client's
//! load leaves the base database migra diffs against).

use crate::dialect::Dialect;
use crate::inputs::Inputs;
use crate::measure::Job;
use crate::peers::Peers;
use crate::scratch::Scratch;
use crate::stats::{Stats, sample};
use std::path::{Path, PathBuf};

/// Whose time a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Strata,
    Floor,
    Peer,
}

/// One line of a result table.
pub struct Row {
    /// Stable key for JSON and for [`Row::compare`].
    pub id: &'static str,
    /// The command, as the table shows it.
    pub label: String,
    /// How ratios name this row ("pg_dump", "migra").
    pub short: String,
    pub role: Role,
    /// The measurement, or why there is none (skipped, failed).
    pub outcome: Result<Stats, String>,
    /// Rows this one's time is divided by in the ratio column.
    pub compare: &'static [&'static str],
}

/// What a scenario needs from the run.
pub struct Context<'a> {
    pub strata: PathBuf,
    /// A folder of its own for logs, SQLite files and state.
    pub dir: PathBuf,
    pub runs: usize,
    pub timeout: std::time::Duration,
    pub peers: &'a Peers,
}

impl Context<'_> {
    /// `strata -chdir=DIR ARGS…` (the folder holds no strata.hcl: everything comes from flags).
    fn strata(&self, args: &[&str]) -> Job {
        let chdir = format!("-chdir={}", self.dir.display());
        Job::new(&self.strata, &[&[chdir.as_str()][..], args].concat())
            .env("NO_COLOR", "1")
            .timeout(self.timeout)
    }

    fn log(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.log"))
    }

    /// Measure `job` `runs` times against an existing database.
    fn repeat(&self, id: &str, job: &Job) -> Result<Stats, String> {
        let job = job.clone().timeout(self.timeout);
        sample(self.runs, |_| job.run(&self.log(id)))
    }
}

/// Run every measurement for `dialect` on the inputs of one size.
pub fn run(ctx: &Context, dialect: Dialect, n: usize, inputs: &Inputs) -> Vec<Row> {
    let tag = format!("{}_{n}", dialect.key());
    let live = Scratch::new(dialect, &format!("{tag}_strata"), &ctx.dir);
    let base = Scratch::new(dialect, &format!("{tag}_client"), &ctx.dir);
    let url = format!("-url={}", live.url());
    let src = format!("-src=file://{}", inputs.ddl.display());
    let state_dir = ctx.dir.join("state");
    let state = format!("-state={}", state_dir.join("bench.state.json").display());
    let (dump_label, dump_short, load_label, load_short) = floor_names(dialect);
    let mut rows = Vec::new();
    let mut row = |id, label: &str, short: &str, role, outcome, compare| {
        rows.push(Row {
            id,
            label: label.to_string(),
            short: short.to_string(),
            role,
            outcome,
            compare,
        })
    };

    let mut apply = sample(ctx.runs, |_| {
        fresh(&live, &state_dir)?;
        ctx.strata(&["apply", "-auto-approve", &url, &src, &state])
            .run(&ctx.log("apply"))
    });
    if let Err(why) = &apply {
        // The plans still need a database with state: the client loads it statement by
        // statement and Strata adopts it (unmeasured).
        let adopted = fresh(&live, &state_dir)
            .and_then(|()| {
                live.load_job_autocommit(&inputs.ddl)
                    .timeout(ctx.timeout)
                    .run(&ctx.log("fallback_load"))
            })
            .and_then(|_| {
                ctx.strata(&["apply", "-auto-approve", &url, &src, &state])
                    .run(&ctx.log("fallback_adopt"))
            });
        let note = match adopted {
            Ok(_) => {
                "the plans below ran on the DDL loaded by the client and adopted by strata apply"
                    .to_string()
            }
            Err(e) => format!("adopting a client-loaded database failed too: {e}"),
        };
        apply = Err(format!("{}; {note}", why.lines().next().unwrap_or("")));
    }
    row(
        "apply",
        "strata apply -auto-approve (from empty)",
        "strata apply",
        Role::Strata,
        apply,
        &["floor_apply"],
    );
    let load = sample(ctx.runs, |_| {
        base.reset()?;
        base.load_job(&inputs.floor_ddl)
            .timeout(ctx.timeout)
            .run(&ctx.log("floor_apply"))
    });
    row(
        "floor_apply",
        load_label,
        load_short,
        Role::Floor,
        load,
        &[],
    );

    let inspect = ctx.repeat("inspect", &ctx.strata(&["inspect", &url]));
    row(
        "inspect",
        "strata inspect",
        "strata inspect",
        Role::Strata,
        inspect,
        &["floor_dump"],
    );
    let dump = ctx.repeat("floor_dump", &live.dump_job());
    row("floor_dump", dump_label, dump_short, Role::Floor, dump, &[]);
    let plan = |codes: &[i32]| {
        ctx.strata(&["plan", "-detailed-exitcode", &url, &src, &state])
            .ok_codes(codes)
    };
    let noop = ctx.repeat("plan_noop", &plan(&[0]));
    row(
        "plan_noop",
        "strata plan (no changes, state present)",
        "strata plan",
        Role::Strata,
        noop,
        &["floor_dump"],
    );

    // Alter the database behind Strata's back: the drift the next plan must find and undo.
    let altered = live.run_script(&inputs.alter, &ctx.log("alter"));
    let after_alter = |job: Result<Job, String>, id: &str| -> Result<Stats, String> {
        altered
            .clone()
            .map_err(|e| format!("altering the database failed: {e}"))?;
        ctx.repeat(id, &job?)
    };
    let changed = after_alter(Ok(plan(&[2])), "plan_altered");
    row(
        "plan_altered",
        "strata plan (altered database)",
        "strata plan",
        Role::Strata,
        changed,
        &["floor_dump", "migra", "alembic"],
    );
    if dialect == Dialect::Postgres {
        let migra = after_alter(ctx.peers.migra(&live, &base), "migra");
        row(
            "migra",
            "migra --unsafe (altered -> base)",
            "migra",
            Role::Peer,
            migra,
            &[],
        );
    }
    let alembic = after_alter(ctx.peers.alembic(&live, &inputs.sqlalchemy), "alembic");
    row(
        "alembic",
        "alembic compare_metadata (altered)",
        "alembic",
        Role::Peer,
        alembic,
        &[],
    );

    let read = |id: &str, path: &Path| {
        let src = format!("-src=file://{}", path.display());
        ctx.repeat(id, &ctx.strata(&["validate", &url, &src]))
    };
    row(
        "read_sql",
        "strata validate, SQL DDL source",
        "SQL read",
        Role::Strata,
        read("read_sql", &inputs.ddl),
        &[],
    );
    row(
        "read_prisma",
        "strata validate, Prisma models",
        "prisma read",
        Role::Strata,
        read("read_prisma", &inputs.prisma),
        &["read_sql"],
    );
    row(
        "read_sqlalchemy",
        "strata validate, SQLAlchemy models",
        "sqlalchemy read",
        Role::Strata,
        read("read_sqlalchemy", &inputs.sqlalchemy),
        &["read_sql"],
    );

    for db in [&live, &base] {
        if let Err(e) = db.drop_it() {
            eprintln!("bench: could not drop {}: {e}", db.name);
        }
    }
    rows
}

/// An empty database and no state: the start of an apply from empty.
fn fresh(db: &Scratch, state_dir: &Path) -> Result<(), String> {
    db.reset()?;
    let _ = std::fs::remove_dir_all(state_dir);
    std::fs::create_dir_all(state_dir).map_err(|e| format!("{}: {e}", state_dir.display()))
}

/// The floor commands' labels and short names: (dump, dump short, load, load short).
fn floor_names(dialect: Dialect) -> (&'static str, &'static str, &'static str, &'static str) {
    match dialect {
        Dialect::Postgres => (
            "pg_dump --schema-only",
            "pg_dump",
            "psql -1 -f (same DDL)",
            "psql",
        ),
        Dialect::Mysql => (
            "mysqldump --no-data",
            "mysqldump",
            "mysql < (same DDL)",
            "mysql",
        ),
        Dialect::Sqlite => (
            "sqlite3 .schema",
            "sqlite3 .schema",
            "sqlite3 < (same DDL, one transaction)",
            "sqlite3",
        ),
    }
}
