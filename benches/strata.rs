//! `cargo bench --bench strata`: Strata's plan, apply and inspect at 100, 1,000 and 5,000 tables
//! on PostgreSQL, MariaDB and SQLite, beside the floor (the databases' own clients) and the peers
//! (migra, Alembic), in the same run, as ratios. See bench/README.md for the settings.
//!
//! The modules live in bench/src/ so that Cargo does not take each for a bench target of its own.

#[path = "../bench/src/config.rs"]
mod config;
#[path = "../bench/src/ddl.rs"]
mod ddl;
#[path = "../bench/src/dialect.rs"]
mod dialect;
#[path = "../bench/src/inputs.rs"]
mod inputs;
#[path = "../bench/src/measure.rs"]
mod measure;
#[path = "../bench/src/peers.rs"]
mod peers;
#[path = "../bench/src/prisma.rs"]
mod prisma;
#[path = "../bench/src/report.rs"]
mod report;
#[path = "../bench/src/scenario.rs"]
mod scenario;
#[path = "../bench/src/schema.rs"]
mod schema;
#[path = "../bench/src/scratch.rs"]
mod scratch;
#[path = "../bench/src/sqlalchemy.rs"]
mod sqlalchemy;
#[path = "../bench/src/stats.rs"]
mod stats;
#[path = "../bench/src/targets.rs"]
mod targets;

use report::Block;
use serde_json::json;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(measure::HELPER_FLAG) {
        std::process::exit(measure::helper_main(&args[1..]));
    }
    if let Err(e) = run() {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let config = config::Config::from_env()?;
    // Cargo builds the `strata` binary with the bench (release) profile before running this.
    let strata = PathBuf::from(env!("CARGO_BIN_EXE_strata"));
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("strata-bench");
    scratch::clear_leftovers(&config.dialects)?;
    let peers = peers::Peers::prepare(&root, !config.peers);
    if let peers::Peers::Missing(why) = &peers {
        eprintln!("bench: migra and Alembic are skipped: {why}");
    }
    let meta = json!({
        "strata": version(&strata),
        "features": features(),
        "commit": git(&["rev-parse", "--short", "HEAD"]),
        "uncommitted_changes": !git(&["status", "--porcelain"]).is_empty(),
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "runs": config.runs,
        "sizes": config.sizes,
    });
    eprintln!(
        "bench: {} ({}), runs per measurement {:?} for sizes {:?}",
        version(&strata),
        features().join(","),
        config.runs,
        config.sizes
    );
    let mut blocks = Vec::new();
    for &d in &config.dialects {
        for (&n, &runs) in config.sizes.iter().zip(&config.runs) {
            let inputs = inputs::write(&root.join("inputs"), n, d)?;
            let dir = root.join("run").join(format!("{}_{n}", d.key()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            eprintln!("bench: {} with {n} tables…", d.title());
            let ctx = scenario::Context {
                strata: strata.clone(),
                dir,
                runs,
                timeout: config.timeout,
                peers: &peers,
            };
            let before = load_average();
            let rows = scenario::run(&ctx, d, n, &inputs);
            let block = Block {
                dialect: d,
                tables: n,
                rows,
                load: (before, load_average()),
            };
            print!("{}", report::table(&block));
            blocks.push(block);
        }
        let of_dialect: Vec<&Block> = blocks.iter().filter(|b| b.dialect == d).collect();
        print!("{}", report::growth(&of_dialect));
    }
    let verdicts = targets::check(&blocks);
    print!("{}", targets::render(&verdicts));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/results.json");
    let text = serde_json::to_string_pretty(&report::json(&blocks, &verdicts, meta))
        .map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\nWrote {}", path.display());
    Ok(())
}

/// The 1-minute load average: the machine is shared, so every table says how busy it was.
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The providers compiled into the binary under test (the bench is built with the same features).
fn features() -> Vec<&'static str> {
    [
        ("prisma", cfg!(feature = "prisma")),
        ("sqlalchemy", cfg!(feature = "sqlalchemy")),
        ("gorm", cfg!(feature = "gorm")),
        ("django", cfg!(feature = "django")),
        ("sequelize", cfg!(feature = "sequelize")),
        ("typeorm", cfg!(feature = "typeorm")),
        ("doctrine", cfg!(feature = "doctrine")),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect()
}

fn version(strata: &Path) -> String {
    output(strata.as_os_str(), &["--version"])
}

fn git(args: &[&str]) -> String {
    output("git".as_ref(), args)
}

/// A command's trimmed stdout, empty when it cannot run.
fn output(program: &std::ffi::OsStr, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
