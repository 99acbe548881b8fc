//! Prisma's names for the objects it does not let the schema name: `<table>_pkey`,
//! `<table>_<columns>_key`, `_idx`, `_fkey`, built from the database names of the table and
//! columns and cut to the connector's identifier limit exactly as Prisma's
//! `ConstraintNames` does (the cut happens before the suffix, on a character boundary).

use strata_schema::Dialect;

/// The longest identifier each database accepts, as Prisma's connectors declare it.
fn limit(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Postgres => 63,
        Dialect::Mysql => 64,
        Dialect::Sqlite => 10_000,
    }
}

/// `text` cut to at most `max` bytes without splitting a character.
fn cut(text: &str, max: usize) -> &str {
    if text.len() < max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `<table>_pkey`.
pub fn primary_key(table: &str, dialect: Dialect) -> String {
    format!("{}_pkey", cut(table, limit(dialect) - 5))
}

/// `<table>_<columns>_key`.
pub fn unique(table: &str, columns: &[&str], dialect: Dialect) -> String {
    with_columns(table, columns, "_key", dialect)
}

/// `<table>_<columns>_idx`.
pub fn index(table: &str, columns: &[&str], dialect: Dialect) -> String {
    with_columns(table, columns, "_idx", dialect)
}

/// `<table>_<columns>_fkey`.
pub fn foreign_key(table: &str, columns: &[&str], dialect: Dialect) -> String {
    with_columns(table, columns, "_fkey", dialect)
}

fn with_columns(table: &str, columns: &[&str], suffix: &str, dialect: Dialect) -> String {
    let joined = format!("{table}_{}", columns.join("_"));
    format!("{}{suffix}", cut(&joined, limit(dialect) - suffix.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prisma() {
        let pg = Dialect::Postgres;
        assert_eq!(primary_key("books", pg), "books_pkey");
        assert_eq!(
            unique("books", &["publisher_id", "isbn"], pg),
            "books_publisher_id_isbn_key"
        );
        assert_eq!(index("loans", &["member_id"], pg), "loans_member_id_idx");
        assert_eq!(foreign_key("loans", &["book_id"], pg), "loans_book_id_fkey");
    }

    #[test]
    fn long_names_are_cut_before_the_suffix() {
        let table = "t".repeat(70);
        let name = index(&table, &["c"], Dialect::Postgres);
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("t_idx"));
        assert_eq!(primary_key(&table, Dialect::Mysql).len(), 64);
        assert_eq!(index(&table, &["c"], Dialect::Sqlite).len(), 76);
    }
}
