//! SQLAlchemy provider: reads SQLAlchemy 2.0 models (typed `Mapped[]` / `mapped_column` and
//! classic `Column`) statically with tree-sitter and emits the schema `metadata.create_all`
//! creates for each dialect. Also home of the shared [`python`] reader used by the Django
//! provider.

mod column;
mod declarative;
mod defaults;
mod emit;
mod naming;
pub mod python;
mod scope;
mod tables;
mod types;

use python::ast::Stmt;
use std::path::Path;
use strata_schema::{Dialect, Loaded, Provider, SourceError};

/// SqlAlchemy reads SQLAlchemy models.
pub struct SqlAlchemy;

impl Provider for SqlAlchemy {
    fn name(&self) -> &'static str {
        "sqlalchemy"
    }

    /// A Python file, or a folder holding one, that imports sqlalchemy.
    fn detect(&self, path: &Path) -> bool {
        python::python_files(path).is_ok_and(|files| {
            files.iter().any(|(file, _)| {
                std::fs::read_to_string(file).is_ok_and(|text| imports_sqlalchemy(&text))
            })
        })
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let modules = python::read_modules(path)?;
        let modules: Vec<_> = modules
            .into_iter()
            .filter(|m| {
                m.body
                    .iter()
                    .any(|s| matches!(s, Stmt::Import { module, .. } if is_sqlalchemy(module)))
                    || m.body
                        .iter()
                        .any(|s| matches!(s, Stmt::Class(_) | Stmt::Assign { .. }))
            })
            .collect();
        let scope = scope::Scope::new(&modules);
        let mut collected = tables::collect(&modules, &scope)?;
        let database = emit::emit(
            &collected.tables,
            dialect,
            default_schema,
            &mut collected.warnings,
        )?;
        let warnings = std::mem::take(&mut collected.warnings);
        drop(collected);
        drop(scope);
        // The modules' syntax trees are freed on a thread of their own: freeing millions of
        // small nodes one by one took a sixth of reading 5,000 models, and nothing waits for it.
        std::thread::spawn(move || drop(modules));
        Ok(Loaded { database, warnings })
    }
}

fn is_sqlalchemy(module: &str) -> bool {
    module == "sqlalchemy" || module.starts_with("sqlalchemy.")
}

/// A cheap textual check: `import sqlalchemy…` or `from sqlalchemy… import` at a line start.
fn imports_sqlalchemy(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix("import ")
            .or_else(|| l.strip_prefix("from "))
            .is_some_and(|rest| is_sqlalchemy(rest.split([' ', ',']).next().unwrap_or("")))
    })
}
