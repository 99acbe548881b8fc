//! Identifiers as the database stores them: PostgreSQL folds unquoted names to lower case
//! (`CREATE TABLE Users` makes `users`), MySQL and SQLite keep them as written.

use sqlparser::ast::{Ident, ObjectName};
use strata_schema::Dialect;

/// The stored name of `ident` in `dialect`.
pub fn ident(dialect: Dialect, ident: &Ident) -> String {
    if dialect == Dialect::Postgres && ident.quote_style.is_none() {
        ident.value.to_lowercase()
    } else {
        ident.value.clone()
    }
}

/// The stored names of the parts of `name`, or `None` when a part is not a plain identifier.
pub fn parts(dialect: Dialect, name: &ObjectName) -> Option<Vec<String>> {
    name.0
        .iter()
        .map(|p| p.as_ident().map(|i| ident(dialect, i)))
        .collect()
}

/// The stored names of a list of identifiers (key columns).
pub fn idents(dialect: Dialect, list: &[Ident]) -> Vec<String> {
    list.iter().map(|i| ident(dialect, i)).collect()
}
