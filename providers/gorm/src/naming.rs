//! GORM's default `schema.NamingStrategy`: snake_case with common initialisms kept together,
//! pluralised table names, and the `idx_` / `uni_` / `chk_` / `fk_` names it gives keys.

use crate::inflection;

/// Initialisms GORM title-cases before snake-casing (`ID` → `Id`, so `MemberID` → `member_id`).
const INITIALISMS: &[&str] = &[
    "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP",
    "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI",
    "UUID", "URI", "URL", "UTF8", "VM", "XML", "XSRF", "XSS",
];

/// Identifiers longer than this many characters are shortened with a hash.
const MAX_NAME: usize = 64;

/// `strings.NewReplacer` over the initialisms: at each position the first listed initialism
/// that matches wins (Go's generic replacer picks by list order among matches at a position).
/// Every initialism starts with a capital, so other positions are copied without a look-up:
/// names are converted for every field, relation guess and index of a load.
fn replace_initialisms(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_uppercase() {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let Some(init) = INITIALISMS
            .iter()
            .find(|init| init.as_bytes()[0] == rest[0] && rest.starts_with(init.as_bytes()))
        else {
            i += 1;
            continue;
        };
        out.push_str(&name[copied..i]);
        out.push_str(&init[..1]);
        out.extend(init[1..].chars().map(|c| c.to_ascii_lowercase()));
        i += init.len();
        copied = i;
    }
    out.push_str(&name[copied..]);
    out
}

/// `NamingStrategy.toDBName`: `CoverURL` → `cover_url`, `ISBNCode` → `isbn_code`.
pub fn to_db_name(name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    let value = replace_initialisms(name).into_bytes();
    let upper = |b: u8| b.is_ascii_uppercase();
    let lower = |b: u8| if b.is_ascii_uppercase() { b + 32 } else { b };
    let mut out: Vec<u8> = Vec::with_capacity(value.len() + 4);
    let (mut last_case, mut cur_case) = (false, upper(value[0]));
    let n = value.len();
    for i in 0..n - 1 {
        let next_case = upper(value[i + 1]);
        let next_number = value[i + 1].is_ascii_digit();
        if cur_case {
            if last_case && (next_case || next_number) {
                out.push(lower(value[i]));
            } else {
                if i > 0 && value[i - 1] != b'_' && value[i + 1] != b'_' {
                    out.push(b'_');
                }
                out.push(lower(value[i]));
            }
        } else {
            out.push(value[i]);
        }
        last_case = cur_case;
        cur_case = next_case;
    }
    if cur_case {
        if !last_case && n > 1 {
            out.push(b'_');
        }
        out.push(lower(value[n - 1]));
    } else {
        out.push(value[n - 1]);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `NamingStrategy.TableName`: snake_case, then plural.
pub fn table_name(struct_name: &str) -> String {
    inflection::plural(&to_db_name(struct_name))
}

/// `NamingStrategy.JoinTableName`: an all-lower-case `many2many:` value is kept verbatim.
pub fn join_table_name(tag: &str) -> String {
    if tag.to_lowercase() == tag {
        tag.to_string()
    } else {
        inflection::plural(&to_db_name(tag))
    }
}

/// `NamingStrategy.formatName`: `<prefix>_<table>_<name>`, dots replaced; past 64 characters
/// the unseparated concatenation cut to 56 bytes plus 8 hex digits of the full name's SHA-1.
pub fn format_name(prefix: &str, table: &str, name: &str) -> String {
    let formatted = format!("{prefix}_{table}_{name}").replace('.', "_");
    if formatted.chars().count() <= MAX_NAME {
        return formatted;
    }
    let hash = sha1_smol::Sha1::from(formatted.as_bytes())
        .digest()
        .to_string();
    let joined = format!("{prefix}{table}{name}");
    let cut = String::from_utf8_lossy(&joined.as_bytes()[..56.min(joined.len())]).into_owned();
    cut + &hash[..8]
}

/// `strings.Title`: the first letter of every space-separated word upper-cased.
pub fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for c in s.chars() {
        if at_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_start = !(c.is_alphanumeric() || c == '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gorm.md §1 examples.
    #[test]
    fn db_names_follow_gorm() {
        for (go, db) in [
            ("MemberID", "member_id"),
            ("CoverURL", "cover_url"),
            ("ISBN", "isbn"),
            ("ISBNCode", "isbn_code"),
            ("PageCount", "page_count"),
            ("ID", "id"),
            ("UserUUID", "user_uuid"),
            ("HTTPServer", "http_server"),
            ("Address2", "address2"),
            ("already_snake", "already_snake"),
            ("DeletedAt", "deleted_at"),
            ("XMLHTTPRequest", "xml_http_request"),
            ("ÄrgerID", "Ärger_id"),
        ] {
            assert_eq!(to_db_name(go), db, "{go}");
        }
        assert_eq!(table_name("BookCopy"), "book_copies");
        assert_eq!(table_name("Person"), "people");
        assert_eq!(table_name("Category"), "categories");
        assert_eq!(join_table_name("member_genres"), "member_genres");
        assert_eq!(join_table_name("MemberGenre"), "member_genres");
    }

    #[test]
    fn long_names_are_hashed() {
        assert_eq!(
            format_name("idx", "members", "deleted_at"),
            "idx_members_deleted_at"
        );
        let long = format_name(
            "fk",
            "a_really_long_table_name_for_testing_purposes",
            "another_long_relation_name",
        );
        assert_eq!(long.len(), 64);
        assert!(long.starts_with("fka_really_long_table_name_for_testing_purposesanother_"));
    }
}
