//! Where each desired object came from, so that a conflict between two sources (or two
//! definitions in one) can name both places.

use std::collections::BTreeMap;
use std::fmt;
use strata_schema::Database;

/// Origin is a place in a source: a file (or `data.external_schema.<name>`), line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Key names a schema-level object: (schema, name).
pub type Key = (String, String);

/// Loaded is the desired schema read from one source, with the origin of every table and enum.
#[derive(Debug, Default)]
pub struct Loaded {
    pub database: Database,
    pub tables: BTreeMap<Key, Origin>,
    pub enums: BTreeMap<Key, Origin>,
    /// Warnings with their locations, for the plan to show.
    pub warnings: Vec<String>,
}
