//! The peers: tools users would otherwise pick, installed from PyPI into a virtualenv the
//! benchmark owns (`target/tmp/strata-bench/venv`, kept between runs as a cache). Where Python,
//! venv or the index is not available, the peers are skipped with the reason.

use crate::measure::Job;
use crate::scratch::Scratch;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What gets installed: migra (PostgreSQL diffs), Alembic, and the drivers both need.
const PACKAGES: &[&str] = &["migra[pg]", "alembic", "pymysql", "psycopg2-binary"];

/// The installed peers, or why there are none.
pub enum Peers {
    Ready {
        venv: PathBuf,
        alembic_script: PathBuf,
    },
    Missing(String),
}

impl Peers {
    /// Make sure the venv exists with the packages; `disabled` skips it all.
    pub fn prepare(dir: &Path, disabled: bool) -> Peers {
        if disabled {
            return Peers::Missing("STRATA_BENCH_PEERS=0".into());
        }
        let venv = dir.join("venv");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/peers/alembic_compare.py");
        let marker = venv.join("installed.txt");
        if std::fs::read_to_string(&marker).is_ok_and(|t| t == PACKAGES.join(" ")) {
            return Peers::Ready {
                venv,
                alembic_script: script,
            };
        }
        eprintln!(
            "bench: installing the peers ({}) into {}",
            PACKAGES.join(", "),
            venv.display()
        );
        let pip_args: Vec<String> = ["install", "-q"]
            .iter()
            .chain(PACKAGES)
            .map(|s| s.to_string())
            .collect();
        let installed = step(
            Path::new("python3"),
            &["-m".into(), "venv".into(), venv.display().to_string()],
        )
        .and_then(|()| step(&venv.join("bin/pip"), &pip_args));
        if let Err(why) = installed {
            return Peers::Missing(why);
        }
        let _ = std::fs::write(&marker, PACKAGES.join(" "));
        Peers::Ready {
            venv,
            alembic_script: script,
        }
    }

    /// migra computing the SQL that turns `from` into `to` (exit 2: differences found).
    pub fn migra(&self, from: &Scratch, to: &Scratch) -> Result<Job, String> {
        let Peers::Ready { venv, .. } = self else {
            return Err(self.reason());
        };
        Ok(Job::new(
            venv.join("bin/migra"),
            &["--unsafe", &from.sqlalchemy_url(), &to.sqlalchemy_url()],
        )
        .ok_codes(&[0, 2]))
    }

    /// Alembic comparing the models in `models_dir` with `db`.
    pub fn alembic(&self, db: &Scratch, models_dir: &Path) -> Result<Job, String> {
        let Peers::Ready {
            venv,
            alembic_script,
        } = self
        else {
            return Err(self.reason());
        };
        Ok(Job::new(
            venv.join("bin/python"),
            &[
                &alembic_script.display().to_string(),
                &db.sqlalchemy_url(),
                &models_dir.display().to_string(),
            ],
        ))
    }

    fn reason(&self) -> String {
        match self {
            Peers::Ready { .. } => String::new(),
            Peers::Missing(why) => format!("peers not installed: {why}"),
        }
    }
}

/// Run one installation step; its error says which command failed and the last line it printed.
fn step(program: &Path, args: &[String]) -> Result<(), String> {
    let shown = format!("{} {}", program.display(), args.join(" "));
    match Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "{shown} failed: {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        )),
        Err(e) => Err(format!("cannot run {shown}: {e}")),
    }
}
