//! Sequelize provider (being built): recognises nothing yet, so the engine falls through to the
//! SQL source for every path.

use std::path::Path;
use strata_schema::{Dialect, Loaded, Location, Provider, SourceError};

/// Sequelize reads Sequelize models.
pub struct Sequelize;

impl Provider for Sequelize {
    fn name(&self) -> &'static str {
        "sequelize"
    }

    fn detect(&self, _path: &Path) -> bool {
        false
    }

    fn load(
        &self,
        path: &Path,
        _dialect: Dialect,
        _default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        Err(SourceError {
            location: Location {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
            },
            message: "the sequelize provider cannot read models yet".into(),
            help: None,
        })
    }
}
