//! Sequelize provider: reads Sequelize v6 models (JavaScript or TypeScript) statically and
//! produces the schema `sync()` creates for each dialect: `sequelize.define`, `Model.init`,
//! the `module.exports = (sequelize, DataTypes) => …` model files, the global `define`
//! options of `new Sequelize(…)`, sequelize-typescript's decorated classes, Sequelize's
//! pluralised table names and the foreign keys and join tables of associations.
//!
//! The `js` module (parsing, expression values, declarations, model files) is shared with the
//! TypeORM provider.

mod attribute;
mod datatype;
mod decorated;
mod emit;
pub mod inflection;
pub mod js;
mod model;
mod read;

use std::path::Path;
use strata_schema::{Dialect, Loaded, Provider, SourceError};

/// Sequelize reads Sequelize models.
pub struct Sequelize;

/// Modules whose import marks a Sequelize model folder.
const MODULES: &[&str] = &["sequelize", "sequelize-typescript"];

impl Provider for Sequelize {
    fn name(&self) -> &'static str {
        "sequelize"
    }

    fn detect(&self, path: &Path) -> bool {
        js::imports_any(path, MODULES)
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let files = js::read_all(&js::model_files(path))?;
        let mut found = read::Found::default();
        for (src, decls) in &files {
            found.add(src, decls)?;
        }
        found.finish()?;
        js::free_while(files, || {
            let mut warnings = std::mem::take(&mut found.warnings);
            let models = model::resolve(&found, &mut warnings)?;
            let database = emit::database(&models, dialect, default_schema)?;
            Ok(Loaded { database, warnings })
        })
    }
}
