//! The state of one load shared by the lowering steps: target, datasource, catalog and the
//! warnings collected so far.

use crate::ast::Pos;
use crate::catalog::Catalog;
use crate::datasource::Datasource;
use crate::diag::{Diagnostics, Problem};
use strata_schema::Dialect;

/// Ctx is what every lowering step reads, and where warnings go.
pub struct Ctx<'a> {
    pub dialect: Dialect,
    pub datasource: Datasource,
    pub catalog: Catalog<'a>,
    pub diag: Diagnostics,
}

impl Ctx<'_> {
    /// A construct the target's connector cannot hold. When the datasource names the target's
    /// database Prisma itself rejects the schema, so this is an error; for a schema written for
    /// another database the construct is dropped with a warning.
    pub fn unavailable(&mut self, pos: Pos, message: impl Into<String>) -> Result<(), Problem> {
        let message = message.into();
        if self.datasource.matches_target {
            Err(Problem::new(pos, message))
        } else {
            self.diag.warn(pos, format!("{message}; left out"));
            Ok(())
        }
    }

    /// Warn about the named arguments of an attribute that are not among `known`.
    pub fn check_args(&mut self, attr: &crate::ast::Attribute, known: &[&str]) {
        for arg in &attr.args {
            if let Some(name) = &arg.name
                && !known.contains(&name.name.as_str())
            {
                self.diag.warn(
                    name.pos,
                    format!(
                        "unknown argument `{}` of @{}; ignored",
                        name.name, attr.name.name
                    ),
                );
            }
        }
    }
}
