//! TypeORM provider: reads TypeORM 0.3 entities statically, from their TypeScript sources or
//! the JavaScript `tsc` compiled them to (`dist/entities`), and produces the schema TypeORM's
//! schema synchronisation creates for each dialect, with the default naming strategy's names.
//!
//! Reading is shared with the Sequelize provider (`strata_sequelize::js`); this crate turns the
//! classes and their decorators into entity metadata (`entity`), column types per dialect
//! (`types`) and tables (`emit`).

mod decorators;
mod emit;
mod entity;
mod naming;
mod types;

use std::path::Path;
use strata_schema::{Dialect, Loaded, Provider, SourceError};
use strata_sequelize::js;

/// TypeOrm reads TypeORM entities.
pub struct TypeOrm;

impl Provider for TypeOrm {
    fn name(&self) -> &'static str {
        "typeorm"
    }

    fn detect(&self, path: &Path) -> bool {
        js::imports_any(path, &["typeorm"])
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let files = js::read_all_with(&js::model_files(path), js::Calls::OfClasses)?;
        let mut warnings = Vec::new();
        let entities = entity::resolve(&files, &mut warnings)?;
        let database = js::free_while(files, || {
            emit::database(&entities, dialect, default_schema, &mut warnings)
        })?;
        Ok(Loaded { database, warnings })
    }
}
