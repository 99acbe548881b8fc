//! Shared by the SQLAlchemy and Django read benchmarks (included with `#[path]`).

use std::path::PathBuf;

/// Where the generated models go: the folder named by `STRATA_BENCH_MODELS`, kept so that
/// `bench/peers/orm_read_time.py` can time the ORM itself importing the very same models, else a
/// temporary folder (returned too, so it lives until the end of the run).
pub fn models_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("STRATA_BENCH_MODELS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("create STRATA_BENCH_MODELS");
            (None, dir)
        }
        None => {
            let temp = tempfile::tempdir().expect("temp dir");
            let dir = temp.path().to_path_buf();
            (Some(temp), dir)
        }
    }
}
