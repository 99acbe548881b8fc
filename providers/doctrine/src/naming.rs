//! Doctrine's naming: the two naming strategies that turn class and property names into table
//! and column names, and DBAL's crc32-based names for indexes and foreign keys.

/// Naming is the ORM's naming strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `DefaultNamingStrategy`: names verbatim (bare ORM, `ORMSetup`).
    Default,
    /// `UnderscoreNamingStrategy` (Symfony's configuration); `number_aware` also splits after
    /// digits (`underscore_number_aware`, the Symfony recipe's choice).
    Underscore { number_aware: bool },
}

impl Naming {
    fn underscore(self, name: &str) -> String {
        match self {
            Naming::Default => name.to_string(),
            Naming::Underscore { number_aware } => {
                let mut out = String::with_capacity(name.len() + 4);
                let mut prev: Option<char> = None;
                for c in name.chars() {
                    let splits = prev.is_some_and(|p| {
                        p.is_ascii_lowercase() || (number_aware && p.is_ascii_digit())
                    });
                    if c.is_ascii_uppercase() && splits {
                        out.push('_');
                    }
                    out.push(c.to_ascii_lowercase());
                    prev = Some(c);
                }
                out
            }
        }
    }

    /// Table of an entity, from its short class name.
    pub fn class_to_table(self, short_class: &str) -> String {
        self.underscore(short_class)
    }

    pub fn property_to_column(self, property: &str) -> String {
        self.underscore(property)
    }

    /// Join column of a to-one association: `<property>_id`.
    pub fn join_column(self, property: &str) -> String {
        format!("{}_{}", self.underscore(property), REFERENCE_COLUMN)
    }

    /// Join table of a many-to-many: `<source>_<target>`.
    pub fn join_table(self, source_short: &str, target_short: &str) -> String {
        let name = format!(
            "{}_{}",
            self.class_to_table(source_short),
            self.class_to_table(target_short)
        );
        name.to_lowercase()
    }

    /// Column of a join table pointing at `entity_short`: `<entity>_<referenced column>`.
    pub fn join_key_column(self, entity_short: &str, referenced: &str) -> String {
        format!("{}_{referenced}", self.class_to_table(entity_short)).to_lowercase()
    }

    /// Column of an embedded field without an explicit prefix: `<property>_<column>`.
    pub fn embedded_column(self, property: &str, column: &str) -> String {
        format!("{}_{column}", self.underscore(property))
    }
}

/// The column a join column references unless told otherwise.
pub const REFERENCE_COLUMN: &str = "id";

/// A name without Doctrine's quoting backticks (`` `user` `` asks the ORM to quote `user`).
pub fn unquoted(name: &str) -> &str {
    name.strip_prefix('`')
        .and_then(|n| n.strip_suffix('`'))
        .unwrap_or(name)
}

/// DBAL's generated identifier: `PREFIX_` followed by the crc32 of the table and each column in
/// hex without leading zeros, upper-cased and cut at the platform's identifier limit (63).
pub fn generated_name(prefix: &str, table: &str, columns: &[String]) -> String {
    use std::fmt::Write;
    let mut name = String::with_capacity(prefix.len() + 9 * (1 + columns.len()));
    name.push_str(prefix);
    name.push('_');
    for part in std::iter::once(table).chain(columns.iter().map(String::as_str)) {
        let hash = crc32fast::hash(unquoted(part).as_bytes());
        let _ = write!(name, "{hash:X}");
    }
    name.truncate(63);
    name.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_match_doctrine() {
        assert_eq!(
            generated_name("UNIQ", "Publisher", &["label".into()]),
            "UNIQ_1E1957E5EA750E8"
        );
        assert_eq!(
            generated_name("FK", "library_book", &["issuedBy_id".into()]),
            "FK_6D2A695C9711913D"
        );
    }

    #[test]
    fn underscore_strategy_splits_words_and_numbers() {
        let n = Naming::Underscore { number_aware: true };
        assert_eq!(n.class_to_table("PurchaseOrder"), "purchase_order");
        assert_eq!(n.property_to_column("address2Line"), "address2_line");
        assert_eq!(n.join_column("referredBy"), "referred_by_id");
        let plain = Naming::Underscore {
            number_aware: false,
        };
        assert_eq!(plain.property_to_column("address2Line"), "address2line");
        assert_eq!(Naming::Default.join_table("Book", "Genre"), "book_genre");
    }
}
