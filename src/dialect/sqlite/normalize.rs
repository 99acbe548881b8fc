//! Normalisation into the form the catalog reports (placeholder).

use crate::dialect::Side;
use strata_schema::Database;

/// Rewrite `db` into canonical form.
pub fn normalize(_db: &mut Database, _side: Side) {}
