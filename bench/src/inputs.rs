//! The generated inputs of one size, written to files the commands read: DDL and the alter
//! script per dialect, Prisma models per dialect, one SQLAlchemy module. They stay in
//! `target/tmp/strata-bench/inputs/<N>/` after the run, for looking at.

use crate::dialect::Dialect;
use crate::{ddl, prisma, schema, sqlalchemy};
use std::path::{Path, PathBuf};

/// Where the inputs of one size and dialect are.
pub struct Inputs {
    /// The schema DDL that `strata` reads.
    pub ddl: PathBuf,
    /// The same DDL as the floor's client loads it (SQLite: inside one transaction, as Strata
    /// applies it; elsewhere the same file).
    pub floor_ddl: PathBuf,
    /// The script that alters the base schema into the altered variant.
    pub alter: PathBuf,
    /// `schema.prisma` for this dialect.
    pub prisma: PathBuf,
    /// The folder holding `models.py`.
    pub sqlalchemy: PathBuf,
}

/// Write the inputs of `n` tables for `dialect` under `dir`.
pub fn write(dir: &Path, n: usize, dialect: Dialect) -> Result<Inputs, String> {
    let dir = dir.join(n.to_string());
    let key = dialect.key();
    let base = schema::generate(n);
    let altered = schema::altered(&base);
    let ddl_text = ddl::create_all(dialect, &base);
    let inputs = Inputs {
        ddl: dir.join(format!("schema.{key}.sql")),
        floor_ddl: dir.join(format!("floor.{key}.sql")),
        alter: dir.join(format!("alter.{key}.sql")),
        prisma: dir.join(format!("prisma-{key}/schema.prisma")),
        sqlalchemy: dir.join("sqlalchemy"),
    };
    let floor_text = match dialect {
        Dialect::Sqlite => format!("BEGIN;\n{ddl_text}COMMIT;\n"),
        _ => ddl_text.clone(),
    };
    let files = [
        (&inputs.ddl, ddl_text),
        (&inputs.floor_ddl, floor_text),
        (&inputs.alter, ddl::alter_script(dialect, &altered)),
        (&inputs.prisma, prisma::render(dialect, &base)),
        (
            &inputs.sqlalchemy.join("models.py"),
            sqlalchemy::render(&base),
        ),
    ];
    for (path, text) in files {
        let parent = path.parent().expect("input paths have a folder");
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(inputs)
}
