//! The values of PHP literals, shared by both readers so that they agree on every literal.

use crate::value::ValueKind;

/// An integer literal's value; text that does not fit stays as written.
pub fn integer(text: &str) -> ValueKind {
    parse_int(text).map_or_else(|| ValueKind::Unsupported(text.into()), ValueKind::Int)
}

/// `-argument`: numbers are negated, anything else stays as written (`text`).
pub fn negate(argument: Option<ValueKind>, text: &str) -> ValueKind {
    match argument {
        Some(ValueKind::Int(i)) => ValueKind::Int(-i),
        Some(ValueKind::Float(f)) => ValueKind::Float(format!("-{f}")),
        _ => ValueKind::Unsupported(text.into()),
    }
}

/// PHP integer literal: decimal, hex, octal or binary, with `_` separators.
fn parse_int(text: &str) -> Option<i64> {
    let t = text.replace('_', "");
    let lower = t.to_ascii_lowercase();
    if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse().ok()
    }
}

/// The value of a PHP string literal: single quotes unescape `\'` and `\\`; double quotes also
/// the common escapes.
pub fn unquote(text: &str) -> String {
    let (quote, inner) = match text.chars().next() {
        Some(q @ ('\'' | '"')) if text.len() >= 2 => (q, &text[1..text.len() - 1]),
        _ => return text.to_string(),
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match (quote, chars.next()) {
            (_, Some('\\')) => out.push('\\'),
            ('\'', Some('\'')) => out.push('\''),
            ('"', Some('"')) => out.push('"'),
            ('"', Some('n')) => out.push('\n'),
            ('"', Some('t')) => out.push('\t'),
            ('"', Some('$')) => out.push('$'),
            (_, Some(other)) => {
                out.push('\\');
                out.push(other);
            }
            (_, None) => out.push('\\'),
        }
    }
    out
}
