//! Python string escapes. Both readers hand over what is written between a literal's quotes;
//! the value a model uses (a comment `"it\'s"`, a default `"a\tb"`) is what Python decodes.

/// The value of a non-raw string literal's body as Python decodes it: the single-character
/// escapes, octal `\ooo`, `\xhh`, `\uXXXX`, `\UXXXXXXXX` and escaped line breaks. An escape
/// Python does not know stays as written, backslash included, as in Python; `\N{…}` too, since
/// it needs the Unicode name table.
pub fn decode(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let single = match e {
            '\n' => Some(None),
            '\\' => Some(Some('\\')),
            '\'' => Some(Some('\'')),
            '"' => Some(Some('"')),
            'a' => Some(Some('\x07')),
            'b' => Some(Some('\x08')),
            'f' => Some(Some('\x0c')),
            'n' => Some(Some('\n')),
            'r' => Some(Some('\r')),
            't' => Some(Some('\t')),
            'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(value) = single {
            out.extend(value);
            continue;
        }
        let (digits, radix) = match e {
            '0'..='7' => (3, 8),
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            _ => {
                out.push('\\');
                out.push(e);
                continue;
            }
        };
        let mut code = String::new();
        if radix == 8 {
            code.push(e);
        }
        while code.len() < digits {
            match chars.peek() {
                Some(d) if d.is_digit(radix) => {
                    code.push(*d);
                    chars.next();
                }
                _ => break,
            }
        }
        let fixed_width = radix == 16 && code.len() == digits;
        match u32::from_str_radix(&code, radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(ch) if radix == 8 || fixed_width => out.push(ch),
            // A short or invalid hex escape is a syntax error in Python; keep the text.
            _ => {
                out.push('\\');
                if radix == 16 {
                    out.push(e);
                }
                out.push_str(&code);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_what_python_decodes() {
        for (written, value) in [
            (r"plain", "plain"),
            (r"a\nb\tc", "a\nb\tc"),
            (r#"it\'s \"x\" \\"#, "it's \"x\" \\"),
            (r"\x41\u00e9\U0001F600", "A\u{e9}\u{1F600}"),
            (r"\101\0", "A\0"),
            ("line\\\nnext", "linenext"),
            (r"\q \N{DASH}", r"\q \N{DASH}"),
            (r"\xZ", r"\xZ"),
        ] {
            assert_eq!(decode(written), value, "{written}");
        }
    }
}
