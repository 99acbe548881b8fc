//! How MariaDB respells expressions and defaults it stores: the rewrites [`crate::expr::canonical`]
//! cannot know about because they are one server's habits, not SQL syntax.

use crate::expr::canonical;
use strata_schema::{Dialect, Type};

/// Functions MariaDB stores under another name (`length` is `octet_length`, `lower` is `lcase`).
const FUNCTION_ALIASES: &[(&str, &str)] = &[
    ("length", "octet_length"),
    ("lower", "lcase"),
    ("upper", "ucase"),
    ("now", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("localtime", "current_timestamp"),
    ("substring", "substr"),
    ("character_length", "char_length"),
];

/// The canonical text of a CHECK, generated-column or index expression over a table with
/// `columns`. Canonical text drops identifier quotes; references to the table's columns get
/// them back, so that the text still runs when a column is called `order` or `group`.
pub fn expression(text: &str, columns: &[&str]) -> String {
    let canon = canonical(Dialect::Mysql, text);
    let renamed = rename_functions(&canon);
    let canon = if renamed == canon {
        canon
    } else {
        canonical(Dialect::Mysql, &renamed)
    };
    map_words(&canon, |word, next, prev| {
        let column = columns.iter().find(|c| c.eq_ignore_ascii_case(word));
        match column {
            Some(c) if next != Some('(') && prev != Some('.') => Some(Dialect::Mysql.quote(c)),
            _ => None,
        }
    })
}

/// The canonical text of a column DEFAULT for a column of type `ty`, or `None` where MySQL
/// stores no default (`DEFAULT NULL` is the absence of a default).
pub fn default(text: &str, ty: &Type) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("null") {
        return None;
    }
    let canon = expression(trimmed, &[]);
    let lower = canon.to_lowercase();
    if matches!(
        ty,
        Type::Boolean | Type::Integer { .. } | Type::Decimal { .. } | Type::Float { .. }
    ) {
        match lower.as_str() {
            "true" => return Some("1".into()),
            "false" => return Some("0".into()),
            _ => {}
        }
    }
    if let Some(bits) = bit_literal(&canon) {
        return Some(bits);
    }
    if let Some(number) = number_for(&canon, ty) {
        return Some(number);
    }
    // Canonical text writes `'1'` as `1`; in a string column (and above all in an enum, where a
    // bare number is a position) the default must stay the string MariaDB reports.
    let is_string = matches!(
        ty,
        Type::Char { .. }
            | Type::Varchar { .. }
            | Type::Text { .. }
            | Type::Enum { .. }
            | Type::Set { .. }
    );
    if is_string && is_number(&canon) {
        return Some(Dialect::Mysql.quote_str(&canon));
    }
    Some(canon)
}

/// The canonical text of a column's `ON UPDATE` clause: `CURRENT_TIMESTAMP`, or
/// `CURRENT_TIMESTAMP(fsp)` when the column keeps fractional seconds. `now()`, `localtime`
/// and `localtimestamp` are synonyms the server stores as `current_timestamp`, and MariaDB
/// takes the precision from the column, whatever the clause says (`datetime(6) ON UPDATE
/// CURRENT_TIMESTAMP` reads back as `current_timestamp(6)`; MySQL 8 only accepts the matching
/// one), so the column's precision is the one that counts. Text that is not one of these
/// functions is kept (whitespace collapsed): the server refuses it at apply with its message.
pub fn on_update(text: &str, ty: &Type) -> String {
    let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(written) = timestamp_function(&compact) else {
        return compact;
    };
    let precision = match ty {
        Type::Timestamp { precision, .. } | Type::DateTime { precision } => *precision,
        _ => written,
    };
    match precision.filter(|p| *p > 0) {
        Some(p) => format!("CURRENT_TIMESTAMP({p})"),
        None => "CURRENT_TIMESTAMP".into(),
    }
}

/// The fractional-seconds precision written in a call of a current-timestamp function
/// (`NOW()`, `current_timestamp(6)`, `LOCALTIME`), or `None` when `text` is something else.
fn timestamp_function(text: &str) -> Option<Option<u32>> {
    let lower = text.to_ascii_lowercase();
    let (name, args) = match lower.split_once('(') {
        Some((name, rest)) => (name.trim_end(), Some(rest.strip_suffix(')')?.trim())),
        None => (lower.as_str(), None),
    };
    let current_timestamp = name == "current_timestamp"
        || FUNCTION_ALIASES
            .iter()
            .any(|&(alias, to)| alias == name && to == "current_timestamp");
    if !current_timestamp || (name == "now" && args.is_none()) {
        return None;
    }
    match args {
        None | Some("") => Some(None),
        Some(digits) => digits.parse().ok().map(Some),
    }
}

/// A numeric literal the way MariaDB prints it for the column's type: decimals padded to their
/// scale (`1.5` in a `decimal(10,2)` is `1.50`), floats in shortest form (`1.0` is `1`).
fn number_for(text: &str, ty: &Type) -> Option<String> {
    let literal = text.trim_matches('\'');
    if literal.is_empty()
        || !literal
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let value: f64 = literal.parse().ok()?;
    match ty {
        Type::Decimal {
            scale: Some(scale), ..
        } => Some(format!("{value:.prec$}", prec = *scale as usize)),
        Type::Float { .. } => Some(format!("{value}")),
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.parse::<f64>().is_ok()
}

/// A bit literal as MariaDB prints it: `b'101'`, without leading zeros (`b'00000101'`).
fn bit_literal(text: &str) -> Option<String> {
    let digits = text
        .strip_prefix(['b', 'B'])?
        .strip_prefix('\'')?
        .strip_suffix('\'')?;
    if digits.is_empty() || !digits.chars().all(|c| c == '0' || c == '1') {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(format!(
        "b'{}'",
        if trimmed.is_empty() { "0" } else { trimmed }
    ))
}

/// Rename function calls by [`FUNCTION_ALIASES`].
fn rename_functions(text: &str) -> String {
    map_words(text, |word, next, _| {
        FUNCTION_ALIASES
            .iter()
            .find(|(from, _)| next == Some('(') && word.eq_ignore_ascii_case(from))
            .map(|(_, to)| to.to_string())
    })
}

/// Replace bare words (outside string literals and quoted identifiers) where `f` returns a
/// replacement; `f` sees the word and the characters right after and before it.
fn map_words(text: &str, f: impl Fn(&str, Option<char>, Option<char>) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' || c == '`' {
            let end = closing_quote(&chars, i);
            out.extend(&chars[i..end]);
            i = end;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let prev = start.checked_sub(1).map(|p| chars[p]);
            match f(&word, chars.get(i).copied(), prev) {
                Some(replacement) => out.push_str(&replacement),
                None => out.push_str(&word),
            }
        } else if c.is_ascii_digit() {
            // A number (or a word-like literal such as 1e5) is copied whole.
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                out.push(chars[i]);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Index just past the literal opening at `start` (a doubled quote stays inside).
fn closing_quote(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_and_user_spellings_of_checks_agree() {
        let cols = ["s", "a", "group"];
        let same = |a: &str, b: &str| assert_eq!(expression(a, &cols), expression(b, &cols));
        same("octet_length(`s`) > 3", "LENGTH(s) > 3");
        same("lcase(`s`) = `s`", "lower(s) = s");
        same("`a` <> 3 or `s` is not null", "a != 3 OR s IS NOT NULL");
        assert_eq!(expression("'length(s)'", &cols), "'length(s)'");
        assert_eq!(expression("`group` > 0", &cols), "`group` > 0");
        let once = expression("LENGTH(s) > 3 AND a IN (1, 2)", &cols);
        assert_eq!(expression(&once, &cols), once);
    }

    #[test]
    fn on_update_has_one_spelling_and_the_column_precision() {
        let ts = Type::Timestamp {
            precision: None,
            tz: false,
        };
        let dt6 = Type::DateTime { precision: Some(6) };
        for written in [
            "CURRENT_TIMESTAMP",
            "current_timestamp()",
            "now()",
            "NOW( )",
            "localtimestamp",
            "LOCALTIME()",
            "current_timestamp(0)",
            "now(6)",
        ] {
            assert_eq!(on_update(written, &ts), "CURRENT_TIMESTAMP", "{written}");
        }
        for written in ["current_timestamp(6)", "CURRENT_TIMESTAMP", "now(6)"] {
            assert_eq!(
                on_update(written, &dt6),
                "CURRENT_TIMESTAMP(6)",
                "{written}"
            );
        }
        let int = Type::Integer {
            bytes: 4,
            unsigned: false,
        };
        assert_eq!(on_update("now(3)", &int), "CURRENT_TIMESTAMP(3)");
        assert_eq!(on_update("now", &ts), "now");
        assert_eq!(on_update(" rand( )  + 1", &ts), "rand( ) + 1");
        let once = on_update("now(6)", &dt6);
        assert_eq!(on_update(&once, &dt6), once);
    }

    #[test]
    fn defaults_follow_the_catalog() {
        let dec = Type::Decimal {
            precision: Some(10),
            scale: Some(2),
            unsigned: false,
        };
        assert_eq!(default("1.50", &dec), default("1.5", &dec));
        assert_eq!(
            default("1", &Type::Float { bytes: 8 }),
            default("1.0", &Type::Float { bytes: 8 })
        );
        assert_eq!(
            default("1", &Type::Boolean),
            default("TRUE", &Type::Boolean)
        );
        assert_eq!(default("NULL", &Type::Boolean), None);
        let ts = Type::Timestamp {
            precision: None,
            tz: false,
        };
        assert_eq!(
            default("current_timestamp()", &ts),
            default("CURRENT_TIMESTAMP", &ts)
        );
        assert_eq!(default("now()", &ts), default("current_timestamp()", &ts));
        let ts6 = Type::DateTime { precision: Some(6) };
        assert_eq!(
            default("current_timestamp(6)", &ts6),
            default("NOW(6)", &ts6)
        );
        let int = Type::Integer {
            bytes: 4,
            unsigned: false,
        };
        assert_eq!(default("5", &int), default("'5'", &int));
        let s = Type::Varchar { length: Some(5) };
        assert_eq!(default("'it''s'", &s), Some("'it''s'".into()));
        let positions = Type::Enum {
            values: vec!["2".into(), "1".into()],
        };
        assert_eq!(default("'1'", &positions), Some("'1'".into()));
        assert_eq!(default("1", &s), default("'1'", &s));
        let bits = Type::Other {
            name: "bit(8)".into(),
        };
        assert_eq!(default("b'00000101'", &bits), default("b'101'", &bits));
        assert_eq!(default("B'000'", &bits), Some("b'0'".into()));
    }
}
