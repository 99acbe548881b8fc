//! Prisma provider (being built): recognises nothing yet, so the engine falls through to the
//! SQL source for every path.

use std::path::Path;
use strata_schema::{Dialect, Loaded, Location, Provider, SourceError};

/// Prisma reads Prisma models.
pub struct Prisma;

impl Provider for Prisma {
    fn name(&self) -> &'static str {
        "prisma"
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
            message: "the prisma provider cannot read models yet".into(),
            help: None,
        })
    }
}
