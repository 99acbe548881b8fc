//! TypeORM's DefaultNamingStrategy: table and column names from class and property names, and
//! the sha1-based names of keys, indexes and checks, character for character.

/// `snakeCase` of TypeORM's StringUtils: `ABc → A_Bc`, then `aC → a_C`, then lower case (two
/// global regular-expression replacements, reproduced as left-to-right scans).
pub fn snake_case(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    // /([A-Z])([A-Z])([a-z])/g → "$1_$2$3"
    let mut split = Vec::with_capacity(c.len() + 4);
    let mut i = 0;
    while i < c.len() {
        let upper_pair = c[i].is_ascii_uppercase()
            && c.get(i + 1).is_some_and(char::is_ascii_uppercase)
            && c.get(i + 2).is_some_and(char::is_ascii_lowercase);
        if upper_pair {
            split.extend([c[i], '_', c[i + 1], c[i + 2]]);
            i += 3;
        } else {
            split.push(c[i]);
            i += 1;
        }
    }
    // /([a-z0-9])([A-Z])/g → "$1_$2", then lower case.
    let mut out = String::with_capacity(split.len() + 4);
    let mut i = 0;
    while i < split.len() {
        let (a, b) = (split[i], split.get(i + 1).copied());
        if (a.is_ascii_lowercase() || a.is_ascii_digit())
            && b.is_some_and(|b| b.is_ascii_uppercase())
        {
            out.push(a);
            out.push('_');
            out.push(b.unwrap_or(a).to_ascii_lowercase());
            i += 2;
        } else {
            out.extend(a.to_lowercase());
            i += 1;
        }
    }
    out
}

/// `camelCase` of TypeORM's StringUtils: a leading capital is lowered, and a word character after
/// a space, `-` or `_` is raised (the separator dropped).
pub fn camel_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut first = true;
    while let Some(ch) = chars.next() {
        if first && ch.is_ascii_uppercase() {
            out.push(ch.to_ascii_lowercase());
        } else if (ch.is_whitespace() || ch == '-' || ch == '_')
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
        {
            let next = chars.next().unwrap_or(ch);
            out.push(next.to_ascii_uppercase());
        } else {
            out.push(ch);
        }
        first = false;
    }
    out
}

/// `titleCase` of TypeORM's StringUtils: each word gets a capital first letter and the rest
/// lowered (`streetName` → `Streetname`).
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            in_word = false;
            out.push(ch);
        } else if in_word {
            out.extend(ch.to_lowercase());
        } else if ch.is_ascii_alphanumeric() || ch == '_' {
            in_word = true;
            out.extend(ch.to_uppercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// JavaScript's `encodeURIComponent`, which TypeORM applies before hashing.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first `len` hex digits of TypeORM's `RandomGenerator.sha1(key)`.
fn hash(key: &str, len: usize) -> String {
    let hex = sha1_smol::Sha1::from(encode_uri_component(key))
        .digest()
        .to_string();
    hex[..len].to_string()
}

/// `<table>_<sorted columns>[_<where>]`, the key every generated constraint name hashes.
fn key(table: &str, columns: &[String], suffix: Option<&str>) -> String {
    let mut sorted: Vec<&str> = columns.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let table = table.replacen('.', "_", 1);
    let mut key = format!("{table}_{}", sorted.join("_"));
    if let Some(s) = suffix {
        key.push('_');
        key.push_str(s);
    }
    key
}

pub fn primary_key(table: &str, columns: &[String]) -> String {
    format!("PK_{}", hash(&key(table, columns, None), 27))
}

pub fn unique(table: &str, columns: &[String]) -> String {
    format!("UQ_{}", hash(&key(table, columns, None), 27))
}

pub fn foreign_key(table: &str, columns: &[String]) -> String {
    format!("FK_{}", hash(&key(table, columns, None), 27))
}

pub fn index(table: &str, columns: &[String], predicate: Option<&str>) -> String {
    format!("IDX_{}", hash(&key(table, columns, predicate), 26))
}

/// The unique constraint of a one-to-one join column.
pub fn relation(table: &str, columns: &[String]) -> String {
    format!("REL_{}", hash(&key(table, columns, None), 26))
}

pub fn check(table: &str, expression: &str) -> String {
    let table = table.replacen('.', "_", 1);
    format!("CHK_{}", hash(&format!("{table}_{expression}"), 26))
}

/// The column a relation joins on: `camelCase(<relation>_<referenced column>)`.
pub fn join_column(relation: &str, referenced: &str) -> String {
    camel_case(&format!("{relation}_{referenced}"))
}

/// A junction table: `snakeCase(<owner table>_<property>_<inverse table>)`.
pub fn join_table(owner: &str, inverse: &str, property_path: &str) -> String {
    snake_case(&format!(
        "{owner}_{}_{inverse}",
        property_path.replace('.', "_")
    ))
}

/// A junction column: `camelCase(<table>_<referenced column>)`.
pub fn join_table_column(table: &str, referenced: &str) -> String {
    camel_case(&format!("{table}_{referenced}"))
}

/// A column of an embedded value: `camelCase(<prefixes joined by _>) + titleCase(<name>)`.
pub fn embedded_column(prefixes: &[String], name: &str) -> String {
    if prefixes.is_empty() {
        return name.to_string();
    }
    camel_case(&prefixes.join("_")) + &title_case(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn table_and_column_names() {
        assert_eq!(snake_case("LibraryMember"), "library_member");
        assert_eq!(snake_case("MemberAPIToken"), "member_api_token");
        assert_eq!(snake_case("ABCdef"), "ab_cdef");
        assert_eq!(join_column("publisher", "id"), "publisherId");
        assert_eq!(join_table_column("library_member", "id"), "libraryMemberId");
        assert_eq!(
            join_table("library_member", "genre", "favouriteGenres"),
            "library_member_favourite_genres_genre"
        );
        assert_eq!(
            embedded_column(&cols(&["billing"]), "postCode"),
            "billingPostcode"
        );
        assert_eq!(embedded_column(&cols(&["ship"]), "zip"), "shipZip");
    }

    /// Names TypeORM 0.3.31 printed (shared/orm/typeorm.md and the fixtures).
    #[test]
    fn hashed_names() {
        assert_eq!(
            primary_key("publisher", &cols(&["id"])),
            "PK_70a5936b43177f76161724da3e6"
        );
        assert_eq!(
            foreign_key("library_member", &cols(&["publisherId"])),
            "FK_9e7733e03ad9fbcb42dc1ef6589"
        );
        assert_eq!(
            unique("publisher", &cols(&["label"])),
            "UQ_359df7c6a3863cb7495c7c20784"
        );
        assert_eq!(
            index("book", &cols(&["isbn"]), None),
            "IDX_bd183604b9c828c0bdd92cafab"
        );
        assert_eq!(
            index("book", &cols(&["isbn"]), Some("isbn IS NOT NULL")),
            "IDX_b4c29a38724dcd23f10c1b4442"
        );
        assert_eq!(
            check("book", "\"page_count\" >= 0"),
            "CHK_7a473688caf67d585bbf26fcfa"
        );
        assert_eq!(
            relation("library_member", &cols(&["cardId"])),
            "REL_911bb5977c928427a1c30d9075"
        );
        assert_eq!(
            unique("book", &cols(&["title", "publisherId"])),
            "UQ_f4e333c1f802317db062a28b5c4"
        );
    }
}
