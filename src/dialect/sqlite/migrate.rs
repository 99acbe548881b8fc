//! Changes → SQL (placeholder).

use crate::diff::Change;
use crate::plan::Statement;

/// The statements that make `change`.
pub fn render(_change: &Change) -> Vec<Statement> {
    Vec::new()
}

/// True when SQLite's ALTER TABLE cannot make `change`.
pub fn needs_rebuild(_change: &Change) -> bool {
    false
}
