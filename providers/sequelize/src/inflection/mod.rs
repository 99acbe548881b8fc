//! The word rules Sequelize names things with: the `inflection` package's `pluralize`,
//! `singularize` and `underscore`, and Sequelize's own `camelize`. Table names and association
//! keys depend on them letter for letter, so the rules are generated from the package itself
//! (see `rules.rs`).

mod rules;

use regex::Regex;
use std::sync::LazyLock;

/// A compiled rule list: pattern and replacement (`None`: the word already has the wanted form).
type Rules = Vec<(Regex, Option<&'static str>)>;

fn compile(list: &[(&str, Option<&'static str>)]) -> Rules {
    list.iter()
        .map(|(pattern, replacement)| {
            let re = Regex::new(&format!("(?i){pattern}"))
                .unwrap_or_else(|e| panic!("generated inflection rule {pattern}: {e}"));
            (re, *replacement)
        })
        .collect()
}

static PLURAL: LazyLock<Rules> = LazyLock::new(|| compile(rules::PLURAL));
static SINGULAR: LazyLock<Rules> = LazyLock::new(|| compile(rules::SINGULAR));

/// `inflection._apply_rules`: uncountable words stay; otherwise the first matching rule decides.
fn apply(word: &str, rules: &Rules) -> String {
    if rules::UNCOUNTABLE.contains(&word.to_lowercase().as_str()) {
        return word.to_string();
    }
    for (re, replacement) in rules {
        if re.is_match(word) {
            return match replacement {
                Some(r) => re.replace_all(word, *r).into_owned(),
                None => word.to_string(),
            };
        }
    }
    word.to_string()
}

/// `inflection.pluralize`: `Book` → `Books`, `Person` → `People`, `Category` → `Categories`.
pub fn pluralize(word: &str) -> String {
    apply(word, &PLURAL)
}

/// `inflection.singularize`: `People` → `Person`.
pub fn singularize(word: &str) -> String {
    apply(word, &SINGULAR)
}

/// `inflection.underscore`: `_` before every capital, one leading `_` dropped, lower-cased
/// (`LibraryMember` → `library_member`, `isbnURL` → `isbn_u_r_l`).
pub fn underscore(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c);
    }
    let out = out.strip_prefix('_').unwrap_or(&out);
    out.to_lowercase()
}

/// Sequelize's `Utils.camelize`: each run of `-`, `_` or whitespace is dropped and the next
/// character upper-cased (`Publisher_id` → `PublisherId`).
pub fn camelize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper_next = false;
    for c in word.trim().chars() {
        if c == '-' || c == '_' || c.is_whitespace() {
            upper_next = true;
        } else if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_match_the_inflection_package() {
        for (one, many) in [
            ("Book", "Books"),
            ("Person", "People"),
            ("Category", "Categories"),
            ("Child", "Children"),
            ("Media", "Media"),
            ("Address", "Addresses"),
            ("LibraryMember", "LibraryMembers"),
            ("Status", "Statuses"),
            ("Leaf", "Leafs"),
            ("Box", "Boxes"),
        ] {
            assert_eq!(pluralize(one), many, "{one}");
        }
        assert_eq!(singularize("People"), "Person");
        assert_eq!(singularize("Book"), "Book");
    }

    #[test]
    fn underscore_and_camelize() {
        assert_eq!(underscore("LibraryMember"), "library_member");
        assert_eq!(underscore("cardNumber"), "card_number");
        assert_eq!(camelize("Publisher_id"), "PublisherId");
        assert_eq!(camelize("book_"), "book");
    }
}
