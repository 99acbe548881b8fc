//! The names PostgreSQL gives constraints and indexes created without one, reproduced so a
//! desired schema that leaves names out compares equal to the catalog (`users_pkey`,
//! `users_email_key`, `posts_author_id_fkey`, `items_price_check`, `users_lower_idx`).
//!
//! Follows `makeObjectName` and `ChooseRelationName` in PostgreSQL's `indexcmds.c`: the two
//! name parts are shortened, the longer first, so that the result fits in 63 bytes.

use std::collections::BTreeSet;
use strata_schema::{IndexKey, IndexPart};

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1).
const MAX_IDENT: usize = 63;

/// The identifier PostgreSQL keeps for `name`: its first 63 bytes.
pub fn truncate(name: &str) -> &str {
    clip(name, MAX_IDENT)
}

/// `name1_name2_label`, with `name1` and `name2` truncated so the whole fits in 63 bytes.
pub fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = name2.map_or(0, |_| 1) + label.len() + 1;
    let avail = MAX_IDENT.saturating_sub(overhead);
    let (mut n1, mut n2) = (name1.len(), name2.map_or(0, str::len));
    while n1 + n2 > avail {
        if n1 > n2 { n1 -= 1 } else { n2 -= 1 }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest prefix of `s` of at most `len` bytes that ends on a character boundary.
fn clip(s: &str, len: usize) -> &str {
    let mut end = len.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Column names joined with `_`, stopping once the result is too long to matter.
pub fn joined(names: &[&str]) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(name);
        if out.len() > MAX_IDENT {
            break;
        }
    }
    out
}

/// The name PostgreSQL uses for an index key: the column, the function called by an
/// expression (`lower(email)` → `lower`), or `expr`.
pub fn index_part_name(part: &IndexPart) -> String {
    match &part.key {
        IndexKey::Column(c) => c.clone(),
        IndexKey::Expr(e) => {
            let head: String = e
                .trim_start_matches('(')
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let rest = e.trim_start_matches('(')[head.len()..].trim_start();
            if !head.is_empty() && rest.starts_with('(') {
                head.to_lowercase()
            } else {
                "expr".to_string()
            }
        }
    }
}

/// Choose a name not in `taken` (PostgreSQL appends 1, 2, … to the label), and take it.
pub fn choose(
    taken: &mut BTreeSet<String>,
    name1: &str,
    name2: Option<&str>,
    label: &str,
) -> String {
    let mut name = object_name(name1, name2, label);
    let mut n = 0;
    while taken.contains(&name) {
        n += 1;
        name = object_name(name1, name2, &format!("{label}{n}"));
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_in_63_bytes_shortening_the_longer_part() {
        assert_eq!(object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(
            object_name("users", Some("email"), "key"),
            "users_email_key"
        );
        let long = "a".repeat(70);
        let name = object_name(&long, Some("col"), "fkey");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_col_fkey"));
        let both = object_name(&"t".repeat(40), Some(&"c".repeat(40)), "key");
        assert_eq!(both, format!("{}_{}_key", "t".repeat(29), "c".repeat(29)));
    }

    #[test]
    fn expression_parts_are_named_after_their_function() {
        let part = |e: &str| IndexPart {
            key: IndexKey::Expr(e.into()),
            ..IndexPart::column("")
        };
        assert_eq!(index_part_name(&part("lower(email)")), "lower");
        assert_eq!(index_part_name(&part("(a + 1)")), "expr");
        let mut taken = BTreeSet::from(["t_lower_idx".to_string()]);
        assert_eq!(
            choose(&mut taken, "t", Some("lower"), "idx"),
            "t_lower_idx1"
        );
    }
}
