//! Prisma provider: reads Prisma schema files statically (no Node, no Prisma engine) into the
//! schema Prisma Migrate would create for the target dialect: Prisma's table, column and
//! constraint names, its type mapping per database, its default referential actions and its
//! implicit many-to-many tables.
//!
//! The pipeline: [`files`] finds the schema files, [`parser`] reads each into one syntax tree
//! with positions, [`lower`] turns the tree into tables (via [`columns`], [`keys`] and
//! [`relations`]), and every problem comes back as a located error or warning. The rules
//! follow Prisma 6 / the Prisma 7 schema engine (shared/orm/prisma.md).

mod ast;
mod catalog;
mod columns;
mod ctx;
mod datasource;
mod defaults;
mod diag;
mod files;
mod keys;
mod lexer;
mod lower;
mod names;
mod parser;
mod relations;
mod types;

#[cfg(test)]
mod tests;

use std::path::Path;
use strata_schema::{Dialect, Loaded, Location, Provider, SourceError};

/// Prisma reads Prisma schema files.
pub struct Prisma;

impl Provider for Prisma {
    fn name(&self) -> &'static str {
        "prisma"
    }

    fn detect(&self, path: &Path) -> bool {
        files::detect(path)
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let at_path = |message: String| SourceError {
            location: Location {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
            },
            message,
            help: None,
        };
        let paths = files::schema_files(path)
            .map_err(|e| at_path(format!("cannot read the Prisma schema: {e}")))?;
        if paths.is_empty() {
            return Err(at_path("no .prisma files here".into()));
        }
        let mut schema = ast::Schema::default();
        let diag = diag::Diagnostics::new(paths.clone());
        for (i, file) in paths.iter().enumerate() {
            let text = std::fs::read_to_string(file).map_err(|e| SourceError {
                location: Location {
                    file: file.clone(),
                    line: 1,
                    column: 1,
                },
                message: format!("cannot read the Prisma schema: {e}"),
                help: None,
            })?;
            parser::parse_into(&mut schema, i, &text).map_err(|p| diag.error(p))?;
        }
        lower::lower(&schema, diag, dialect, default_schema)
    }
}
