//! Django's generated identifiers: table names, index / FK / unique names with their md5
//! digests, truncated to the backend's limit exactly as `BaseDatabaseSchemaEditor` does.

use strata_schema::Dialect;

/// `names_digest`: md5 of the strings concatenated, first `length` hex characters.
pub fn digest(parts: &[&str], length: usize) -> String {
    let hex = format!("{:x}", md5::compute(parts.concat()));
    hex[..length].to_string()
}

/// The backend's `max_name_length()`; SQLite has none, and Django then uses 200.
pub fn max_length(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Postgres => 63,
        Dialect::Mysql => 64,
        Dialect::Sqlite => 200,
    }
}

/// `truncate_name`: a table name longer than the limit keeps `limit - 4` characters plus a
/// 4-character digest of the whole name. SQLite has no limit.
pub fn table_name(name: &str, dialect: Dialect) -> String {
    let limit = match dialect {
        Dialect::Sqlite => return name.to_string(),
        d => max_length(d),
    };
    if name.len() <= limit {
        return name.to_string();
    }
    format!("{}{}", &name[..limit - 4], digest(&[name], 4))
}

/// `_create_index_name(table, columns, suffix)`.
pub fn index_name(table: &str, columns: &[&str], suffix: &str, dialect: Dialect) -> String {
    let max = max_length(dialect);
    let mut parts = vec![table];
    parts.extend_from_slice(columns);
    let hash_suffix = format!("{}{suffix}", digest(&parts, 8));
    let joined = columns.join("_");
    let name = format!("{table}_{joined}_{hash_suffix}");
    if name.len() <= max {
        return name;
    }
    let hash_suffix = if hash_suffix.len() > max / 3 {
        hash_suffix[..max / 3].to_string()
    } else {
        hash_suffix
    };
    let other = (max - hash_suffix.len()) / 2 - 1;
    let name = format!(
        "{}_{}_{hash_suffix}",
        &table[..table.len().min(other)],
        &joined[..joined.len().min(other)]
    );
    if name.starts_with('_') || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("D{}", &name[..name.len() - 1])
    } else {
        name
    }
}

/// A foreign key's name: `<table>_<col>_<hash>_fk_<reftable>_<refcol>`.
pub fn foreign_key_name(
    table: &str,
    column: &str,
    ref_table: &str,
    ref_column: &str,
    dialect: Dialect,
) -> String {
    let suffix = format!("_fk_{ref_table}_{ref_column}");
    index_name(table, &[column], &suffix, dialect)
}

/// `Index.set_name_with_model`: `<table[:11]>_<col0[:7]>_<digest6>_idx`, where descending
/// columns are hashed with a `-` prefix.
pub fn model_index_name(table: &str, columns: &[(String, bool)]) -> String {
    let ordered: Vec<String> = columns
        .iter()
        .map(|(c, desc)| if *desc { format!("-{c}") } else { c.clone() })
        .collect();
    let mut parts: Vec<&str> = vec![table];
    parts.extend(ordered.iter().map(String::as_str));
    parts.push("idx");
    let first = columns.first().map(|(c, _)| c.as_str()).unwrap_or("");
    let name = format!(
        "{}_{}_{}_idx",
        &table[..table.len().min(11)],
        &first[..first.len().min(7)],
        digest(&parts, 6)
    );
    if name.starts_with('_') || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("D{}", &name[1..])
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names produced by Django 5.2 itself (shared/orm/django.md).
    #[test]
    fn names_match_django() {
        assert_eq!(
            index_name("library_book", &["publisher_id"], "", Dialect::Postgres),
            "library_book_publisher_id_40a14e76"
        );
        assert_eq!(
            foreign_key_name(
                "library_book",
                "publisher_id",
                "library_publisher",
                "id",
                Dialect::Postgres
            ),
            "library_book_publisher_id_40a14e76_fk_library_publisher_id"
        );
        assert_eq!(
            index_name("library_book", &["isbn"], "_like", Dialect::Postgres),
            "library_book_isbn_0cd15ca6_like"
        );
        assert_eq!(
            index_name(
                "library_loan",
                &["book_id", "member_card"],
                "_uniq",
                Dialect::Postgres
            ),
            "library_loan_book_id_member_card_98633414_uniq"
        );
        // Longer than PostgreSQL's 63: the table and column parts are cut.
        assert_eq!(
            foreign_key_name(
                "catalog_digitalproduct",
                "product_ptr_id",
                "catalog_product",
                "id",
                Dialect::Postgres
            ),
            "catalog_digitalprodu_product_ptr_id_8308d80b_fk_catalog_p"
        );
        assert_eq!(
            model_index_name(
                "library_book",
                &[("publisher_id".into(), false), ("acquired_on".into(), true)]
            ),
            "library_boo_publish_0ed959_idx"
        );
    }
}
