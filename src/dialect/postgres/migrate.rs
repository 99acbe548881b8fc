//! Changes → SQL (placeholder).

use crate::diff::Change;
use crate::plan::Statement;

/// The statements that make `change`.
pub fn render(_change: &Change) -> Vec<Statement> {
    Vec::new()
}
