//! Docblock annotations (`@ORM\Column(type="string", length=80)`), the mapping format of
//! Doctrine before PHP 8 attributes. Read into the same [`Attribute`] values as attributes so
//! the ORM rules apply unchanged; positions point into the comment.

use crate::value::{Attribute, Pos, Value, ValueKind};
use strata_schema::SourceError;

/// Read the annotations of one docblock. `resolve` qualifies a name through the file's imports.
/// Tags that are not classes (`@var`, `@param`) are skipped.
pub fn read(
    comment: &str,
    start: Pos,
    resolve: &dyn Fn(&str) -> String,
) -> Result<Vec<Attribute>, SourceError> {
    let text = blank_decoration(comment);
    let mut scanner = Scanner {
        text: text.as_bytes(),
        at: 0,
        start,
        resolve,
    };
    let mut out = Vec::new();
    while scanner.at < scanner.text.len() {
        let at_sign = scanner.text[scanner.at] == b'@';
        let starts_tag =
            at_sign && (scanner.at == 0 || scanner.text[scanner.at - 1].is_ascii_whitespace());
        if starts_tag && scanner.peek_is_class_name() {
            out.push(scanner.annotation()?);
        } else {
            scanner.at += 1;
        }
    }
    Ok(out)
}

/// The comment with `/**`, `*/` and each line's leading `*` replaced by spaces, so offsets
/// still map to the source.
fn blank_decoration(comment: &str) -> String {
    let mut out = String::with_capacity(comment.len());
    for (i, line) in comment.split_inclusive('\n').enumerate() {
        let mut body = line.to_string();
        if i == 0 {
            body = body.replacen("/**", "   ", 1);
        } else if let Some(star) = body.find(|c: char| !c.is_whitespace())
            && body[star..].starts_with('*')
            && !body[star..].starts_with("*/")
        {
            body.replace_range(star..star + 1, " ");
        }
        out.push_str(&body);
    }
    if let Some(end) = out.rfind("*/") {
        out.replace_range(end..end + 2, "  ");
    }
    out
}

struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
    start: Pos,
    resolve: &'a dyn Fn(&str) -> String,
}

impl Scanner<'_> {
    fn pos(&self) -> Pos {
        let before = &self.text[..self.at.min(self.text.len())];
        let line_breaks = before.iter().filter(|&&b| b == b'\n').count();
        let column = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => self.at - nl,
            None => self.start.column + self.at,
        };
        Pos {
            file: self.start.file.clone(),
            line: self.start.line + line_breaks,
            column,
        }
    }

    fn error(&self, message: &str) -> SourceError {
        self.pos().error(format!("annotation: {message}"))
    }

    /// True when `@` is followed by a capitalised or namespaced name (a class, not a tag).
    fn peek_is_class_name(&self) -> bool {
        match self.text.get(self.at + 1) {
            Some(b'\\') => true,
            Some(c) if c.is_ascii_uppercase() => true,
            _ => false,
        }
    }

    fn skip_space(&mut self) {
        while self.at < self.text.len() && self.text[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn identifier(&mut self) -> String {
        let begin = self.at;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'\\' {
                self.at += 1;
            } else {
                break;
            }
        }
        String::from_utf8_lossy(&self.text[begin..self.at]).into_owned()
    }

    /// `@Name` or `@Name(args)`, at the `@`.
    fn annotation(&mut self) -> Result<Attribute, SourceError> {
        let pos = self.pos();
        self.at += 1;
        let name = (self.resolve)(&self.identifier());
        let mut args = Vec::new();
        if self.peek() == Some(b'(') {
            self.at += 1;
            loop {
                self.skip_space();
                match self.peek() {
                    Some(b')') => {
                        self.at += 1;
                        break;
                    }
                    Some(b',') => self.at += 1,
                    None => return Err(self.error("unclosed parenthesis")),
                    _ => args.push(self.argument()?),
                }
            }
        }
        Ok(Attribute { name, args, pos })
    }

    /// `name=value` or a positional value.
    fn argument(&mut self) -> Result<(Option<String>, Value), SourceError> {
        let begin = self.at;
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            let key = self.identifier();
            self.skip_space();
            if self.peek() == Some(b'=') {
                self.at += 1;
                self.skip_space();
                return Ok((Some(key), self.value()?));
            }
            self.at = begin;
        }
        Ok((None, self.value()?))
    }

    fn value(&mut self) -> Result<Value, SourceError> {
        self.skip_space();
        let pos = self.pos();
        let kind = match self.peek() {
            Some(b'"') => ValueKind::Str(self.string()?),
            Some(b'{') => self.array()?,
            Some(b'@') => ValueKind::Attr(Box::new(self.annotation()?)),
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == b'\\' || c == b'_' => self.constant(),
            _ => return Err(self.error("expected a value")),
        };
        Ok(Value { kind, pos })
    }

    /// `"text"` with `""` as an escaped quote.
    fn string(&mut self) -> Result<String, SourceError> {
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') if self.text.get(self.at + 1) == Some(&b'"') => {
                    bytes.push(b'"');
                    self.at += 2;
                }
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&bytes).into_owned());
                }
                Some(c) => {
                    bytes.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// `{a, b}` or `{"k"=v, "k": v}`.
    fn array(&mut self) -> Result<ValueKind, SourceError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(ValueKind::Array(items));
                }
                Some(b',') => self.at += 1,
                None => return Err(self.error("unclosed {")),
                _ => {
                    let first = self.value()?;
                    self.skip_space();
                    if matches!(self.peek(), Some(b'=' | b':')) {
                        self.at += 1;
                        let value = self.value()?;
                        let key = match first.kind {
                            ValueKind::Const(name) => Value {
                                kind: ValueKind::Str(name),
                                pos: first.pos,
                            },
                            _ => first,
                        };
                        items.push((Some(key), value));
                    } else {
                        items.push((None, first));
                    }
                }
            }
        }
    }

    fn number(&mut self) -> ValueKind {
        let begin = self.at;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'e' | b'E' | b'+') {
                self.at += 1;
            } else {
                break;
            }
        }
        let text = String::from_utf8_lossy(&self.text[begin..self.at]).into_owned();
        match text.parse::<i64>() {
            Ok(i) => ValueKind::Int(i),
            Err(_) => ValueKind::Float(text),
        }
    }

    /// `true`, `false`, `null`, `Foo::BAR`, `Foo::class` or a bare constant.
    fn constant(&mut self) -> ValueKind {
        let name = self.identifier();
        if self.text[self.at..].starts_with(b"::") {
            self.at += 2;
            let constant = self.identifier();
            return ValueKind::ClassConst {
                class: (self.resolve)(&name),
                name: constant,
            };
        }
        match name.to_ascii_lowercase().as_str() {
            "true" => ValueKind::Bool(true),
            "false" => ValueKind::Bool(false),
            "null" => ValueKind::Null,
            _ => ValueKind::Const(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn resolve(n: &str) -> String {
        n.replacen("ORM\\", "Doctrine\\ORM\\Mapping\\", 1)
    }

    #[test]
    fn reads_nested_annotations_across_lines() {
        let doc = "/**\n * Some text, @var ignored.\n * @ORM\\JoinTable(name=\"t\",\n *   joinColumns={@ORM\\JoinColumn(name=\"a_id\", onDelete=\"CASCADE\")},\n *   options={\"fixed\"=true, \"n\": 3})\n * @var int\n */";
        let start = Pos {
            file: Arc::new(PathBuf::from("x.php")),
            line: 10,
            column: 5,
        };
        let attrs = read(doc, start, &resolve).unwrap();
        assert_eq!(attrs.len(), 1);
        let jt = &attrs[0];
        assert_eq!(jt.name, "Doctrine\\ORM\\Mapping\\JoinTable");
        assert_eq!((jt.pos.line, jt.pos.column), (12, 4));
        assert_eq!(jt.args.len(), 3);
        let ValueKind::Array(cols) = &jt.args[1].1.kind else {
            panic!("array")
        };
        let ValueKind::Attr(jc) = &cols[0].1.kind else {
            panic!("attr")
        };
        assert_eq!(jc.args[1].0.as_deref(), Some("onDelete"));
        let ValueKind::Array(opts) = &jt.args[2].1.kind else {
            panic!("array")
        };
        assert!(matches!(opts[1].1.kind, ValueKind::Int(3)));
    }

    #[test]
    fn unterminated_string_is_located() {
        let start = Pos {
            file: Arc::new(PathBuf::from("x.php")),
            line: 1,
            column: 1,
        };
        let err = read("/** @ORM\\Column(type=\"int) */", start, &resolve).unwrap_err();
        assert!(err.message.contains("unterminated"), "{err}");
    }
}
