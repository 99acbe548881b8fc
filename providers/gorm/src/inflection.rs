//! English plurals and singulars as github.com/jinzhu/inflection computes them (GORM's table
//! and join-field names), including its quirks: irregulars match as suffixes (`human` →
//! `humen`), uncountables only as whole words.

use regex::{Regex, RegexSet};
use std::sync::OnceLock;

const PLURALS: &[(&str, &str)] = &[
    ("([a-z])$", "${1}s"),
    ("s$", "s"),
    ("^(ax|test)is$", "${1}es"),
    ("(octop|vir)us$", "${1}i"),
    ("(octop|vir)i$", "${1}i"),
    ("(alias|status)$", "${1}es"),
    ("(bu)s$", "${1}ses"),
    ("(buffal|tomat)o$", "${1}oes"),
    ("([ti])um$", "${1}a"),
    ("([ti])a$", "${1}a"),
    ("sis$", "ses"),
    ("(?:([^f])fe|([lr])f)$", "${1}${2}ves"),
    ("(hive)$", "${1}s"),
    ("([^aeiouy]|qu)y$", "${1}ies"),
    ("(x|ch|ss|sh)$", "${1}es"),
    ("(matr|vert|ind)(?:ix|ex)$", "${1}ices"),
    ("^(m|l)ouse$", "${1}ice"),
    ("^(m|l)ice$", "${1}ice"),
    ("^(ox)$", "${1}en"),
    ("^(oxen)$", "${1}"),
    ("(quiz)$", "${1}zes"),
];

const SINGULARS: &[(&str, &str)] = &[
    ("s$", ""),
    ("(ss)$", "${1}"),
    ("(n)ews$", "${1}ews"),
    ("([ti])a$", "${1}um"),
    (
        "((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$",
        "${1}sis",
    ),
    ("(^analy)(sis|ses)$", "${1}sis"),
    ("([^f])ves$", "${1}fe"),
    ("(hive)s$", "${1}"),
    ("(tive)s$", "${1}"),
    ("([lr])ves$", "${1}f"),
    ("([^aeiouy]|qu)ies$", "${1}y"),
    ("(s)eries$", "${1}eries"),
    ("(m)ovies$", "${1}ovie"),
    ("(x|ch|ss|sh)es$", "${1}"),
    ("^(m|l)ice$", "${1}ouse"),
    ("(bus)(es)?$", "${1}"),
    ("(o)es$", "${1}"),
    ("(shoe)s$", "${1}"),
    ("(cris|test)(is|es)$", "${1}is"),
    ("^(a)x[ie]s$", "${1}xis"),
    ("(octop|vir)(us|i)$", "${1}us"),
    ("(alias|status)(es)?$", "${1}"),
    ("^(ox)en", "${1}"),
    ("(vert|ind)ices$", "${1}ex"),
    ("(matr)ices$", "${1}ix"),
    ("(quiz)zes$", "${1}"),
    ("(database)s$", "${1}"),
];

const IRREGULARS: &[(&str, &str)] = &[
    ("person", "people"),
    ("man", "men"),
    ("child", "children"),
    ("sex", "sexes"),
    ("move", "moves"),
    ("mombie", "mombies"),
];

const UNCOUNTABLES: &[&str] = &[
    "equipment",
    "information",
    "rice",
    "money",
    "species",
    "series",
    "fish",
    "sheep",
    "jeans",
    "police",
];

/// The rules in order, plus a set of all of them so that one pass finds the first that matches.
struct Rules {
    set: RegexSet,
    rules: Vec<(Regex, String)>,
}

/// The rules in the order inflection tries them: uncountables, irregulars, then the regular
/// rules last-added first, each in upper-case, as-written and case-insensitive variants.
fn compile(regular: &[(&str, &str)], plural: bool) -> Rules {
    let mut rules = Vec::new();
    let re = |s: &str| Regex::new(s).expect("inflection rules are valid regexes");
    for word in UNCOUNTABLES {
        rules.push((re(&format!("^(?i)({word})$")), "${1}".to_string()));
    }
    for (one, many) in IRREGULARS {
        let (from, to) = if plural { (one, many) } else { (many, one) };
        rules.push((re(&format!("{}$", from.to_uppercase())), to.to_uppercase()));
        rules.push((re(&format!("{}$", title(from))), title(to)));
        rules.push((re(&format!("{from}$")), to.to_string()));
    }
    for (find, replace) in regular.iter().rev() {
        rules.push((re(&find.to_uppercase()), replace.to_uppercase()));
        rules.push((re(find), replace.to_string()));
        rules.push((re(&format!("(?i){find}")), replace.to_string()));
    }
    Rules {
        set: RegexSet::new(rules.iter().map(|(r, _)| r.as_str()))
            .expect("inflection rules are valid regexes"),
        rules,
    }
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn apply(rules: &Rules, word: &str) -> String {
    match rules.set.matches(word).iter().next() {
        Some(i) => {
            let (re, to) = &rules.rules[i];
            re.replace_all(word, to.as_str()).into_owned()
        }
        None => word.to_string(),
    }
}

/// `inflection.Plural`.
pub fn plural(word: &str) -> String {
    static RULES: OnceLock<Rules> = OnceLock::new();
    apply(RULES.get_or_init(|| compile(PLURALS, true)), word)
}

/// `inflection.Singular`.
pub fn singular(word: &str) -> String {
    static RULES: OnceLock<Rules> = OnceLock::new();
    apply(RULES.get_or_init(|| compile(SINGULARS, false)), word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_as_inflection_makes_them() {
        for (one, many) in [
            ("book_copy", "book_copies"),
            ("person", "people"),
            ("category", "categories"),
            ("member", "members"),
            ("address", "addresses"),
            ("status", "statuses"),
            ("box", "boxes"),
            ("human", "humen"),
            ("information", "information"),
            ("user_information", "user_informations"),
            ("leaf", "leafs"),
            ("shelf", "shelves"),
            ("day", "days"),
            ("news", "news"),
        ] {
            assert_eq!(plural(one), many, "{one}");
        }
        assert_eq!(singular("Genres"), "Genre");
        assert_eq!(singular("Friends"), "Friend");
        assert_eq!(singular("Categories"), "Category");
    }
}
