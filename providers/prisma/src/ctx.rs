//! The state of one load shared by the lowering steps: target, datasource, catalog and the
//! warnings collected so far.

use crate::ast::Pos;
use crate::catalog::Catalog;
use crate::datasource::Datasource;
use crate::diag::{Diagnostics, Problem};
use std::collections::HashSet;
use strata_schema::Dialect;

/// Ctx is what every lowering step reads, and where warnings go.
pub struct Ctx<'a> {
    pub dialect: Dialect,
    pub datasource: Datasource,
    pub catalog: Catalog<'a>,
    pub diag: Diagnostics,
    /// Kinds of dropped construct already reported: a schema written for PostgreSQL has
    /// dozens of native types, and one warning says it for all of them.
    pub reported: HashSet<String>,
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

    /// Like [`Ctx::unavailable`], but a warning for this kind of construct is given once,
    /// at its first occurrence.
    pub fn unavailable_everywhere(&mut self, pos: Pos, kind: &str) -> Result<(), Problem> {
        if self.datasource.matches_target {
            return Err(Problem::new(pos, kind.to_string()));
        }
        if self.reported.insert(kind.to_string()) {
            self.diag.warn(
                pos,
                format!("{kind}; left out here and wherever else they appear"),
            );
        }
        Ok(())
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
