//! Django provider: reads a Django project's models statically (tree-sitter, through the
//! shared Python reader of strata-sqlalchemy) and emits the schema Django 5.2's migrations
//! create on each backend, with Django's own generated names.

mod emit;
mod fields;
mod models;
mod names;
mod project;
mod q;

use std::path::Path;
use strata_schema::{Dialect, Loaded, Provider, SourceError};
use strata_sqlalchemy::python::python_files;

/// Django reads Django models.
pub struct Django;

impl Provider for Django {
    fn name(&self) -> &'static str {
        "django"
    }

    /// A folder (or file) with a settings module, `manage.py` or models importing Django.
    fn detect(&self, path: &Path) -> bool {
        python_files(path).is_ok_and(|files| project::looks_like_django(&files))
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let project = project::read(path)?;
        let mut warnings = project.warnings.clone();
        let models = models::collect(&project, &mut warnings)?;
        let mut emitter = emit::Emitter {
            project: &project,
            models: &models,
            dialect,
            warnings,
        };
        let database = emitter.database(default_schema)?;
        Ok(Loaded {
            database,
            warnings: emitter.warnings,
        })
    }
}
