//! Sources of the desired schema: SQL DDL files and external programs (ORM providers plug in
//! here too). Several sources merge into one desired schema; a conflict names both origins.

mod external;
mod merge;
mod origin;
mod orm;
mod sql;

use crate::error::Error;
use origin::Loaded;
use std::path::{Path, PathBuf};
use strata_schema::{Database, Dialect, Options};

/// Src is one configured source of the desired schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Src {
    /// A file or folder (`file://schema.sql`, `file://models`), resolved to an absolute path,
    /// with the provider options of its URL's query (`file://src/Entity?doctrine_version=2`).
    Path(PathBuf, Options),
    /// Atlas's `data "external_schema" "name" { program = [...] }`: run `program` in `dir` and
    /// read the SQL DDL it prints.
    External {
        name: String,
        program: Vec<String>,
        dir: PathBuf,
    },
}

impl Src {
    /// A file or folder source without provider options.
    pub fn path(path: impl Into<PathBuf>) -> Src {
        Src::Path(path.into(), Options::new())
    }
}

/// Load and merge every source into the desired schema for `dialect`. `default_schema` is the
/// schema that unqualified objects belong to; it is always present in the result, so an empty
/// source means "no tables", not "no opinion".
pub fn load(srcs: &[Src], dialect: Dialect, default_schema: &str) -> Result<Desired, Error> {
    if srcs.is_empty() {
        return Err(Error::Source(
            "no schema source: set `schema { src = \"file://schema.sql\" }` in the env or pass -src".into(),
        ));
    }
    let mut all = Loaded::default();
    for src in srcs {
        merge::merge(&mut all, read(src, dialect, default_schema)?)?;
    }
    merge::resolve_implicit_references(&mut all)?;
    all.database.schema_mut(default_schema);
    Ok(Desired {
        database: all.database,
        warnings: all.warnings,
    })
}

/// Desired is the merged desired schema and the warnings met reading it (an attribute a
/// provider does not know, a construct read with an assumption), each with its location.
#[derive(Debug, Default)]
pub struct Desired {
    pub database: Database,
    pub warnings: Vec<String>,
}

fn read(src: &Src, dialect: Dialect, default_schema: &str) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    match src {
        Src::Path(path, options) => match detect(path)? {
            Provider::Orm(orm) => {
                orm::read(orm, path, options, dialect, default_schema, &mut loaded)?
            }
            Provider::Sql(_) if !options.is_empty() => {
                return Err(Error::Source(format!(
                    "schema source {}?{}: SQL files take no options",
                    path.display(),
                    orm::option_list(options)
                )));
            }
            Provider::Sql(files) => {
                for file in files {
                    let text = std::fs::read_to_string(&file).map_err(|e| {
                        Error::Io(format!("cannot read schema file {}: {e}", file.display()))
                    })?;
                    sql::read(
                        &file.display().to_string(),
                        &text,
                        dialect,
                        default_schema,
                        &mut loaded,
                    )?;
                }
            }
        },
        Src::External { name, program, dir } => {
            let text = external::run(name, program, dir)?;
            sql::read(
                &external::origin(name),
                &text,
                dialect,
                default_schema,
                &mut loaded,
            )?;
        }
    }
    Ok(loaded)
}

/// Provider is the reader chosen for a path: an ORM provider that recognises its own files
/// (a `schema.prisma`, Go files importing gorm, …; see `orm`), else SQL DDL.
enum Provider {
    /// An ORM's models, read by its provider crate.
    Orm(&'static dyn strata_schema::Provider),
    /// SQL DDL files, read in this order.
    Sql(Vec<PathBuf>),
}

impl PartialEq for Provider {
    fn eq(&self, other: &Provider) -> bool {
        match (self, other) {
            (Provider::Orm(a), Provider::Orm(b)) => a.name() == b.name(),
            (Provider::Sql(a), Provider::Sql(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Provider {}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provider::Orm(p) => write!(f, "Orm({})", p.name()),
            Provider::Sql(files) => f.debug_tuple("Sql").field(files).finish(),
        }
    }
}

/// Choose the provider for `path`: a `.sql` file, or a folder whose `.sql` files are read in
/// name order (not recursively, so a folder of migrations beside it is not swept in).
fn detect(path: &Path) -> Result<Provider, Error> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::Source(format!("schema source {}: {e}", path.display())))?;
    if let Some(orm) = orm::detect(path) {
        return Ok(Provider::Orm(orm));
    }
    if meta.is_file() {
        return if is_sql(path) {
            Ok(Provider::Sql(vec![path.to_path_buf()]))
        } else {
            Err(Error::Source(format!(
                "schema source {}: not a .sql file, and no provider recognises it",
                path.display()
            )))
        };
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| Error::Source(format!("schema source {}: {e}", path.display())))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Error::Source(format!("schema source {}: {e}", path.display())))?;
        let file = entry.path();
        if is_sql(&file) && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(Error::Source(format!(
            "schema source {}: the folder holds no .sql files, and no provider recognises its contents",
            path.display()
        )));
    }
    files.sort();
    Ok(Provider::Sql(files))
}

fn is_sql(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
}

#[cfg(test)]
mod tests;
