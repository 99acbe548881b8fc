//! The word rules Sequelize names things with: the `inflection` package's `pluralize`,
//! `singularize` and `underscore`, and Sequelize's own `camelize`. Table names and association
//! keys depend on them letter for letter, so the rules are generated from the package itself
//! (see `rules.rs`).

mod rules;

use regex::Regex;
use std::sync::{LazyLock, OnceLock};

/// One rule: its pattern, compiled on first use, the letters a matching word can end with
/// (`None`: any), and its replacement (`None`: the word already has the wanted form).
///
/// Compiling the hundred-odd patterns costs more than reading a model folder, and a word is
/// only ever tested against the rules before its first match, most of which its last letter
/// already rules out; so patterns are compiled lazily, and only once that letter fits.
struct Rule {
    pattern: &'static str,
    regex: OnceLock<Regex>,
    last_letters: Option<Vec<char>>,
    replacement: Option<&'static str>,
}

impl Rule {
    fn new(pattern: &'static str, replacement: Option<&'static str>) -> Rule {
        Rule {
            pattern,
            regex: OnceLock::new(),
            last_letters: last_letters(pattern),
            replacement,
        }
    }

    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            Regex::new(&format!("(?i){}", self.pattern))
                .unwrap_or_else(|e| panic!("generated inflection rule {}: {e}", self.pattern))
        })
    }

    fn matches(&self, word: &str) -> bool {
        let fits = match (&self.last_letters, word.chars().next_back()) {
            (None, _) => true,
            (Some(letters), Some(last)) => letters.contains(&last.to_ascii_lowercase()),
            (Some(_), None) => false,
        };
        fits && self.regex().is_match(word)
    }
}

/// The lower-case letters a word matching an end-anchored `pattern` must end with: the letter
/// before `$`, or the last letter of each alternative of a final group (`(x|ch|ss)$`).
/// `None` when the pattern allows anything else (a class, a quantifier, no `$`).
fn last_letters(pattern: &str) -> Option<Vec<char>> {
    let body = pattern.strip_suffix('$')?;
    let letter = |c: char| c.is_ascii_alphabetic().then(|| c.to_ascii_lowercase());
    let last = body.chars().next_back()?;
    if last != ')' {
        return Some(vec![letter(last)?]);
    }
    // The final group: from its opening parenthesis, split at top-level `|`.
    let mut depth = 0;
    let mut open = None;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = &body[open? + 1..body.len() - 1];
    let inner = inner.strip_prefix("?:").unwrap_or(inner);
    let mut alternatives = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '|' if depth == 0 => {
                alternatives.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    alternatives.push(&inner[start..]);
    alternatives
        .iter()
        .map(|a| letter(a.chars().next_back()?))
        .collect()
}

type Rules = Vec<Rule>;

fn compile(list: &[(&'static str, Option<&'static str>)]) -> Rules {
    list.iter().map(|(p, r)| Rule::new(p, *r)).collect()
}

static PLURAL: LazyLock<Rules> = LazyLock::new(|| compile(rules::PLURAL));
static SINGULAR: LazyLock<Rules> = LazyLock::new(|| compile(rules::SINGULAR));

/// `inflection._apply_rules`: uncountable words stay; otherwise the first matching rule decides.
fn apply(word: &str, rules: &Rules) -> String {
    if rules::UNCOUNTABLE.contains(&word.to_lowercase().as_str()) {
        return word.to_string();
    }
    for rule in rules {
        if rule.matches(word) {
            return match rule.replacement {
                Some(r) => rule.regex().replace_all(word, r).into_owned(),
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
    fn last_letters_of_patterns() {
        assert_eq!(last_letters("(pe)ople$"), Some(vec!['e']));
        assert_eq!(
            last_letters("(x|ch|ss|sh)$"),
            Some(vec!['x', 'h', 's', 'h'])
        );
        assert_eq!(last_letters("(?:([^f])fe|([lr])f)$"), Some(vec!['e', 'f']));
        assert_eq!(last_letters("$"), None);
        assert_eq!(last_letters("([^aeiouy]|qu)y$"), Some(vec!['y']));
        assert_eq!(last_letters("(a[sz])$"), None);
        assert_eq!(last_letters("^(ox)en"), None);
    }

    #[test]
    fn underscore_and_camelize() {
        assert_eq!(underscore("LibraryMember"), "library_member");
        assert_eq!(underscore("cardNumber"), "card_number");
        assert_eq!(camelize("Publisher_id"), "PublisherId");
        assert_eq!(camelize("book_"), "book");
    }
}
