//! Doctrine provider: reads PHP entity classes statically (no PHP at run time) and
//! produces the schema Doctrine's `SchemaTool` creates for the target platform — ORM 3 / DBAL 4
//! by default, ORM 2 / DBAL 3 on request — with Doctrine's own table, column, index and
//! foreign-key names.
//!
//! Pipeline: [`php`] (and [`docblock`] for annotations) reads declarations into [`value`]s —
//! a fast reader of declarations, tree-sitter for the files it declines;
//! [`metadata`] applies the ORM's mapping rules and the naming strategy; [`schema`] lays the
//! metadata out as tables with DBAL's [`types`] and [`naming`]'s hashed names.

mod args;
mod docblock;
mod metadata;
mod naming;
mod php;
mod schema;
mod settings;
mod types;
mod value;

pub use naming::Naming;
pub use settings::Options;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use strata_schema::{Database, Dialect, Loaded, Location, Provider, ProviderOption, SourceError};

/// Version is the Doctrine generation whose DDL is reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// ORM 2 / DBAL 3: sequences for PostgreSQL ids, `(DC2Type:…)` column comments, MySQL table
    /// options.
    Orm2,
    /// ORM 3 / DBAL 4 (the default).
    Orm3,
}

/// Doctrine reads Doctrine ORM entities.
pub struct Doctrine;

impl Provider for Doctrine {
    fn name(&self) -> &'static str {
        "doctrine"
    }

    fn detect(&self, path: &Path) -> bool {
        php_files(path).iter().any(|f| {
            std::fs::read_to_string(f).is_ok_and(|text| text.contains("Doctrine\\ORM\\Mapping"))
        })
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        self.load_with(path, dialect, default_schema, &Default::default())
    }

    fn options(&self) -> &'static [ProviderOption] {
        settings::SOURCE_OPTIONS
    }

    fn load_with(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
        options: &strata_schema::Options,
    ) -> Result<Loaded, SourceError> {
        let options = Options::of_source(path, options);
        load_with(path, dialect, default_schema, &options)
    }
}

/// Read the entities under `path` with explicit options.
pub fn load_with(
    path: &Path,
    dialect: Dialect,
    default_schema: &str,
    options: &Options,
) -> Result<Loaded, SourceError> {
    let files = php_files(path);
    if files.is_empty() {
        return Err(SourceError {
            location: Location {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
            },
            message: "no PHP files found".into(),
            help: Some("point src at the folder holding the entity classes".into()),
        });
    }
    let classes = read_classes(&files)?;
    let mut builder = metadata::Builder::new(&classes, options.naming);
    let mut shared = Vec::new();
    for class in &classes {
        if metadata::kind_of(class) == Some(metadata::Kind::Entity) {
            shared.push(builder.meta(&class.name, &class.pos)?);
        }
    }
    let (metas, mut warnings) = builder.finish(shared);
    let target = schema::Target {
        dialect,
        version: options.version,
    };
    let tables = schema::tables(&metas, target, &mut warnings)?;
    let mut database = Database::default();
    let schema = database.schema_mut(default_schema);
    for table in tables {
        schema.tables.insert(table.name.clone(), table);
    }
    if dialect == Dialect::Mysql && options.version == Version::Orm2 {
        settings::dbal3_table_options(schema);
    }
    Ok(Loaded { database, warnings })
}

/// Declarations of every file, in file order; the first file's error if any. Files are read
/// on all cores, each thread with its own reader (and tree-sitter parser, when one is needed).
fn read_classes(files: &[PathBuf]) -> Result<Vec<php::Class>, SourceError> {
    let results = strata_schema::map_parallel(files, php::Reader::default, |reader, file| {
        let text = std::fs::read_to_string(file).map_err(|e| SourceError {
            location: Location {
                file: file.clone(),
                line: 1,
                column: 1,
            },
            message: format!("cannot read: {e}"),
            help: None,
        })?;
        reader.read(Arc::new(file.clone()), &text)
    });
    let mut classes = Vec::new();
    for r in results {
        classes.extend(r?);
    }
    Ok(classes)
}

/// PHP files under `path` (or `path` itself), sorted so that results do not depend on the
/// directory's order.
fn php_files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "php") {
            out.push(path.to_path_buf());
        }
        return out;
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let name = entry.file_name();
            // The entry's type needs no extra system call, except for a symbolic link.
            let is_dir = match entry.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => p.is_dir(),
            };
            if is_dir {
                if name != "vendor" && !name.to_string_lossy().starts_with('.') {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|e| e == "php") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
