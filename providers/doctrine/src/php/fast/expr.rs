//! Attributes, their argument values and declared types, read into what the tree reader makes
//! of the same syntax nodes. Only constant expressions are accepted: literals, arrays, names,
//! class constants, `new`, unary and binary operators; anything else declines.

use super::super::lexer::{Kind, Token};
use super::super::literal;
use super::super::names::union_type;
use super::Fast;
use crate::value::{Attribute, Value, ValueKind};

/// Binary operators an argument value may use (read as unsupported expressions). Others
/// (comparisons, `instanceof`, `and`) are never needed in a mapping and decline.
const BINARY: &[&str] = &[
    ".", "+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", "??", "||", "&&",
];

/// Type keywords tree-sitter reads as `primitive_type` (in lower case only).
const PRIMITIVE_TYPES: &[&str] = &[
    "array", "bool", "callable", "false", "float", "int", "iterable", "mixed", "null", "object",
    "string", "true", "void",
];

/// Words that are not plain names to the grammar (PHP's reserved words and casts, and
/// language constructs): as a class, constant or attribute name they decline. Sorted, for
/// binary search.
const KEYWORDS: &[&str] = &[
    "__halt_compiler",
    "abstract",
    "and",
    "array",
    "as",
    "binary",
    "bool",
    "boolean",
    "break",
    "callable",
    "case",
    "catch",
    "class",
    "clone",
    "const",
    "continue",
    "declare",
    "default",
    "die",
    "do",
    "double",
    "echo",
    "else",
    "elseif",
    "empty",
    "enddeclare",
    "endfor",
    "endforeach",
    "endif",
    "endswitch",
    "endwhile",
    "eval",
    "exit",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "fn",
    "for",
    "foreach",
    "function",
    "global",
    "goto",
    "if",
    "implements",
    "include",
    "include_once",
    "instanceof",
    "insteadof",
    "int",
    "integer",
    "interface",
    "isset",
    "iterable",
    "list",
    "match",
    "mixed",
    "namespace",
    "never",
    "new",
    "null",
    "object",
    "or",
    "parent",
    "print",
    "private",
    "protected",
    "public",
    "readonly",
    "real",
    "require",
    "require_once",
    "return",
    "self",
    "static",
    "string",
    "switch",
    "throw",
    "trait",
    "true",
    "try",
    "unset",
    "use",
    "var",
    "void",
    "while",
    "xor",
    "yield",
];

/// Whether `word` is one of the [`KEYWORDS`], in any case (without allocating: every name read
/// is checked).
pub fn is_keyword(word: &str) -> bool {
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    KEYWORDS
        .binary_search_by(|k| k.as_bytes().cmp(lower))
        .is_ok()
}

/// Whether a token is a class name the grammar reads as `name` or `qualified_name`.
pub fn is_class_name(t: &Token) -> bool {
    match t.kind {
        Kind::Word => !is_keyword(t.text),
        Kind::Name => {
            let last = t.text.rsplit('\\').next().unwrap_or_default();
            let relative = t
                .text
                .get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("namespace\\"));
            !relative && !is_keyword(last)
        }
        _ => false,
    }
}

impl<'s> Fast<'s> {
    /// The attribute groups that follow (`#[A, B(…)] #[C]`), possibly none.
    pub(super) fn attributes(&mut self) -> Option<Vec<Attribute>> {
        let mut out = Vec::new();
        while self.cur.peek().is_some_and(|t| t.kind == Kind::AttrOpen) {
            self.cur.take();
            loop {
                self.cur.comments();
                out.push(self.attribute()?);
                self.cur.comments();
                let t = self.cur.take()?;
                if t.is("]") {
                    break;
                }
                if !t.is(",") {
                    return None;
                }
                self.cur.comments();
                if self.cur.eat("]")? {
                    break;
                }
            }
        }
        Some(out)
    }

    fn attribute(&mut self) -> Option<Attribute> {
        let name = self.cur.take().filter(is_class_name)?;
        self.cur.tight = true;
        let args = if self.cur.next_is("(") {
            self.arguments()?
        } else {
            Vec::new()
        };
        self.cur.tight = false;
        Some(Attribute {
            name: self.names.resolve(name.text),
            args,
            pos: self.cur.pos(name.start),
        })
    }

    /// `(a, name: b, …)`; comments may sit between arguments.
    fn arguments(&mut self) -> Option<Vec<(Option<String>, Value)>> {
        self.cur.expect("(")?;
        let mut out = Vec::new();
        loop {
            self.cur.comments();
            if self.cur.eat(")")? {
                return Some(out);
            }
            let named =
                self.cur.peek()?.kind == Kind::Word && self.cur.peek2().is_some_and(|t| t.is(":"));
            let name = if named {
                let name = self.cur.take()?.text.to_string();
                self.cur.take();
                Some(name)
            } else {
                None
            };
            out.push((name, self.value()?));
            self.cur.comments();
            let t = self.cur.take()?;
            if t.is(")") {
                return Some(out);
            }
            if !t.is(",") {
                return None;
            }
        }
    }

    /// An expression: one operand, or operands joined by binary operators (read as written,
    /// like every expression the mapping does not evaluate).
    pub(super) fn value(&mut self) -> Option<Value> {
        let tight = std::mem::replace(&mut self.cur.tight, true);
        let start = self.cur.peek()?.start;
        let mut value = self.operand()?;
        let is_binary = |t: Token| t.kind == Kind::Punct && BINARY.contains(&t.text);
        if self.cur.peek().is_some_and(is_binary) {
            while self.cur.peek().is_some_and(is_binary) {
                self.cur.take();
                self.operand()?;
            }
            value = Value {
                kind: ValueKind::Unsupported(self.cur.text_from(start).into()),
                pos: self.cur.pos(start),
            };
        }
        self.cur.tight = tight;
        Some(value)
    }

    /// A literal, name, array, `new`, parenthesised expression or unary operation.
    fn operand(&mut self) -> Option<Value> {
        let t = self.cur.take()?;
        let kind = match t.kind {
            Kind::Punct => match t.text {
                "-" => {
                    let argument = self.operand()?.kind;
                    literal::negate(Some(argument), self.cur.text_from(t.start))
                }
                "+" | "!" | "~" => {
                    self.operand()?;
                    ValueKind::Unsupported(self.cur.text_from(t.start).into())
                }
                // The tree reader reads a parenthesised expression as what it holds.
                "(" => {
                    let inner = self.value()?;
                    self.cur.expect(")")?;
                    return Some(inner);
                }
                "[" => self.array("]")?,
                _ => return None,
            },
            Kind::Str => string(t.text)?,
            Kind::Num => number(t.text)?,
            Kind::Word | Kind::Name => self.named(t)?,
            _ => return None,
        };
        Some(Value {
            kind,
            pos: self.cur.pos(t.start),
        })
    }

    /// What starts with a word or name: a keyword literal, `Class::NAME`, `new`, `array(…)`
    /// or a constant.
    fn named(&mut self, t: Token<'s>) -> Option<ValueKind> {
        let next = self.cur.peek();
        let next_is = |what: &str| next.is_some_and(|n| n.is(what));
        if next_is("::") {
            let relative = ["self", "parent", "static"].contains(&t.text);
            if !relative && !is_class_name(&t) {
                return None;
            }
            self.cur.take();
            let name = self.cur.take().filter(|n| n.kind == Kind::Word)?;
            return Some(ValueKind::ClassConst {
                class: self.names.resolve(t.text),
                name: name.text.to_string(),
            });
        }
        if next_is("(") && !t.is("new") {
            return t.is("array").then(|| self.array(")"))?;
        }
        if t.is("true") || t.is("false") {
            return Some(ValueKind::Bool(t.is("true")));
        } else if t.is("null") {
            return Some(ValueKind::Null);
        } else if t.is("new") {
            return self.new_object(t);
        }
        is_class_name(&t).then(|| ValueKind::Const(t.text.to_string()))
    }

    /// `new Class(args)`, read as a nested attribute.
    fn new_object(&mut self, new: Token<'s>) -> Option<ValueKind> {
        let class = self.cur.take().filter(is_class_name)?;
        let args = if self.cur.next_is("(") {
            self.arguments()?
        } else {
            Vec::new()
        };
        Some(ValueKind::Attr(Box::new(Attribute {
            name: self.names.resolve(class.text),
            args,
            pos: self.cur.pos(new.start),
        })))
    }

    /// The elements of an array up to `close` (`]`, or `)` after `array(`), whose opening
    /// token was taken.
    fn array(&mut self, close: &str) -> Option<ValueKind> {
        if close == ")" {
            self.cur.expect("(")?;
        }
        let mut items = Vec::new();
        loop {
            self.cur.comments();
            if self.cur.eat(close)? {
                break;
            }
            let first = self.value()?;
            if self.cur.eat("=>")? {
                items.push((Some(first), self.value()?));
            } else {
                items.push((None, first));
            }
            self.cur.comments();
            let t = self.cur.take()?;
            if t.is(close) {
                break;
            }
            if !t.is(",") {
                return None;
            }
        }
        Some(ValueKind::Array(items))
    }

    /// A declared type: `Some(Some(name))` for a single name (`?Foo`, `Foo|null`),
    /// `Some(None)` for other unions. Without `named` the type is only checked (a return
    /// type): resolving names is most of the work.
    pub(super) fn declared_type(&mut self, named: bool) -> Option<Option<String>> {
        self.cur.tight = true;
        let optional = self.cur.eat("?")?;
        let first = self.type_atom(named)?;
        let found = if !optional && self.cur.next_is("|") {
            let mut parts = vec![first];
            while self.cur.eat("|")? {
                parts.push(self.type_atom(named)?);
            }
            union_type(parts)
        } else {
            first
        };
        self.cur.tight = false;
        Some(found)
    }

    /// One type name, as the tree reader names `primitive_type` and `named_type` nodes
    /// (`Some(None)` when not `named`).
    fn type_atom(&mut self, named: bool) -> Option<Option<String>> {
        let t = self.cur.take()?;
        let special =
            PRIMITIVE_TYPES.contains(&t.text) || ["self", "parent", "static"].contains(&t.text);
        let valid = (t.kind == Kind::Word && special) || is_class_name(&t);
        valid.then(|| named.then(|| self.names.type_name(t.text)))
    }
}

/// A string literal's value; interpolation, binary and shell strings decline.
fn string(text: &str) -> Option<ValueKind> {
    let plain = text.starts_with('\'') || (text.starts_with('"') && !text.contains('$'));
    plain.then(|| ValueKind::Str(literal::unquote(text)))
}

/// A number in one of the forms tree-sitter reads as one `integer` or `float` token.
fn number(text: &str) -> Option<ValueKind> {
    fn all(s: &[u8], f: fn(&u8) -> bool) -> bool {
        !s.is_empty() && s.iter().all(f)
    }
    let digits = |s: &[u8]| all(s, u8::is_ascii_digit);
    let octal = |b: &u8| (b'0'..=b'7').contains(b);
    let bytes = text.as_bytes();
    let integer = match bytes {
        [b'0', b'x' | b'X', hex @ ..] => all(hex, u8::is_ascii_hexdigit),
        [b'0', b'b' | b'B', bin @ ..] => all(bin, |b| *b == b'0' || *b == b'1'),
        [b'0', b'o' | b'O', oct @ ..] => all(oct, octal),
        [b'0', ..] => all(bytes, octal),
        _ => digits(bytes),
    };
    if integer {
        return Some(literal::integer(text));
    }
    let (mantissa, exponent) = match bytes.iter().position(|b| b.eq_ignore_ascii_case(&b'e')) {
        Some(e) => {
            let exponent = &bytes[e + 1..];
            let unsigned = exponent.strip_prefix(b"+").or(exponent.strip_prefix(b"-"));
            (&bytes[..e], Some(unsigned.unwrap_or(exponent)))
        }
        None => (bytes, None),
    };
    let mantissa_ok = match mantissa.iter().position(|&b| b == b'.') {
        Some(dot) => digits(&mantissa[..dot]) && digits(&mantissa[dot + 1..]),
        None => digits(mantissa) && exponent.is_some(),
    };
    (mantissa_ok && exponent.is_none_or(digits)).then(|| ValueKind::Float(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_and_found_in_any_case() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_keyword("__HALT_COMPILER") && is_keyword("Static"));
        assert!(!is_keyword("Column") && !is_keyword("a_very_long_constant_name"));
    }

    #[test]
    fn numbers_in_tree_sitter_forms_only() {
        assert_eq!(number("0x1F"), Some(ValueKind::Int(31)));
        assert_eq!(number("010"), Some(ValueKind::Int(8)));
        assert_eq!(number("2.5e-3"), Some(ValueKind::Float("2.5e-3".into())));
        assert_eq!(number("1e3"), Some(ValueKind::Float("1e3".into())));
        for odd in ["1.", ".5", "1_000", "09", "1abc", "0x", "1e"] {
            assert_eq!(number(odd), None, "{odd}");
        }
    }
}
