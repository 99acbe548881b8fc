//! The tokens of a JavaScript or TypeScript file, for the direct reader. Only what model files
//! need is tokenised; a `/` that is not a comment (division or regular expression: telling them
//! apart needs the grammar), a template substitution, a private name (`#x`) or a stray byte
//! makes `tokens` return `None`, and the file goes to tree-sitter.

use super::super::skip::{name_end, quoted_end, space_end};

/// Tok is the kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword.
    Name,
    Num,
    /// A quoted string, quotes included.
    Str,
    /// A template literal without substitutions, backticks included.
    Template,
    /// A punctuator or operator.
    Punct,
}

/// Token is one token: its kind, its bytes, and whether a line break precedes it (automatic
/// semicolon insertion ends a statement there).
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    pub line_break: bool,
}

/// Punctuators of more than one byte, longest first. `<` and `>` are always single tokens:
/// type arguments close with `>>` as often as shifts do.
const PUNCTS: &[&str] = &[
    "...", "===", "!==", "**=", "&&=", "||=", "??=", "=>", "==", "!=", "<=", "+=", "-=", "*=",
    "%=", "&=", "|=", "^=", "&&", "||", "??", "?.", "++", "--", "**",
];

/// The tokens of `text`, or `None` when it holds something the direct reader does not read.
pub fn tokens(text: &str) -> Option<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut at = 0;
    loop {
        let from = at;
        at = space_end(bytes, at)?;
        let line_break = from == 0 || bytes[from..at].contains(&b'\n');
        let Some(&c) = bytes.get(at) else {
            return Some(out);
        };
        let start = at;
        let tok = match c {
            b'"' | b'\'' => {
                at = quoted_end(bytes, at, c)?;
                Tok::Str
            }
            b'`' => {
                at = template_end(bytes, at)?;
                Tok::Template
            }
            b'0'..=b'9' => {
                at = number_end(bytes, at);
                Tok::Num
            }
            b'.' if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                at = number_end(bytes, at);
                Tok::Num
            }
            c if c == b'_' || c == b'$' || c.is_ascii_alphabetic() || c >= 0x80 => {
                at = name_end(bytes, at);
                Tok::Name
            }
            b'/' | b'#' | b'\\' => return None,
            c if c.is_ascii_punctuation() => {
                let rest = &text[at..];
                let len = PUNCTS
                    .iter()
                    .find(|p| rest.starts_with(*p))
                    // `a ?.5 : b` is a conditional.
                    .filter(|p| **p != "?." || !bytes.get(at + 2).is_some_and(u8::is_ascii_digit))
                    .map_or(1, |p| p.len());
                at += len;
                Tok::Punct
            }
            _ => return None,
        };
        out.push(Token {
            tok,
            start,
            end: at,
            line_break,
        });
    }
}

/// The end of a number: digits, letters (`0x1F`, `1e3`, `10n`), `_`, `.` and an exponent's sign.
fn number_end(bytes: &[u8], mut at: usize) -> usize {
    let hex = matches!(bytes.get(at..at + 2), Some(b"0x" | b"0X"));
    while let Some(&c) = bytes.get(at) {
        let sign = (c == b'+' || c == b'-') && !hex && matches!(bytes[at - 1], b'e' | b'E');
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || sign {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// The end of a template literal starting at `at`, when it has no substitution.
fn template_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'`' => return Some(at + 1),
            b'$' if bytes.get(at + 1) == Some(&b'{') => return None,
            _ => at += 1,
        }
    }
}
