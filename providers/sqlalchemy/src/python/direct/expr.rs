//! Expressions of the direct reader: the operators, calls, literals and containers model
//! files use, each with the span tree-sitter would give its node.

use super::{Node, Reader, is_keyword};
use crate::python::ast::{Expr, ExprKind};
use crate::python::escapes;
use crate::python::lexer::{Tok, Token};

impl<'a> Reader<'a> {
    /// `a` or `a, b, …` (a tuple without parentheses: tree-sitter's `expression_list`).
    pub(super) fn expression_list(&mut self) -> Option<Node> {
        let first = self.expression()?;
        if !self.at(Tok::Op, ",") {
            return Some(first);
        }
        let (start, at) = (first.start, first.at);
        let mut items = vec![first.expr];
        let mut end = first.end;
        while let Some(comma) = self.expect(Tok::Op, ",") {
            end = comma.end;
            if self.at_expression_end() {
                break;
            }
            let item = self.expression()?;
            end = item.end;
            items.push(item.expr);
        }
        Some(Node {
            expr: Expr {
                kind: ExprKind::Tuple(items),
                at,
            },
            start,
            at,
            end,
        })
    }

    fn at_expression_end(&self) -> bool {
        self.peek().is_none_or(|t| {
            t.tok == Tok::Newline || (t.tok == Tok::Op && matches!(self.text_of(t), "=" | ":"))
        })
    }

    /// `a | b`, left-associative over [`Reader::bit_and`].
    pub(super) fn expression(&mut self) -> Option<Node> {
        let mut left = self.bit_and()?;
        while self.expect(Tok::Op, "|").is_some() {
            let right = self.bit_and()?;
            left = binary(left, right, ExprKind::BitOr);
        }
        Some(left)
    }

    fn bit_and(&mut self) -> Option<Node> {
        let mut left = self.unary()?;
        while self.expect(Tok::Op, "&").is_some() {
            let right = self.unary()?;
            left = binary(left, right, ExprKind::BitAnd);
        }
        Some(left)
    }

    /// `-operand` (a negative literal, else kept as text) and `~operand`.
    fn unary(&mut self) -> Option<Node> {
        let Some(op) = self.peek().filter(|t| t.tok == Tok::Op) else {
            return self.primary();
        };
        let minus = match self.text_of(op) {
            "-" => true,
            "~" => false,
            _ => return self.primary(),
        };
        self.next();
        let operand = self.unary()?;
        let kind = match operand.expr.kind {
            ExprKind::Int(i) if minus => ExprKind::Int(-i),
            ExprKind::Float(f) if minus => ExprKind::Float(format!("-{f}")),
            _ if minus => ExprKind::Other(self.text[op.start..operand.end].to_string()),
            _ => ExprKind::Invert(Box::new(operand.expr)),
        };
        Some(Node {
            expr: Expr { kind, at: op.at },
            start: op.start,
            at: op.at,
            end: operand.end,
        })
    }

    /// An atom and its trailers: `.name`, `(arguments)`, `[index, …]`.
    fn primary(&mut self) -> Option<Node> {
        let mut node = self.atom()?;
        loop {
            let at = node.at;
            let kind = if self.expect(Tok::Op, ".").is_some() {
                let attr = self.name()?;
                node.end = attr.end;
                ExprKind::Attr(Box::new(node.expr), self.text_of(attr).to_string())
            } else if self.expect(Tok::Op, "(").is_some() {
                let (mut args, mut kwargs) = (Vec::new(), Vec::new());
                node.end = self.arguments(&mut args, &mut kwargs)?;
                ExprKind::Call {
                    func: Box::new(node.expr),
                    args,
                    kwargs,
                }
            } else if self.expect(Tok::Op, "[").is_some() {
                let mut index = Vec::new();
                loop {
                    index.push(self.expression()?.expr);
                    if self.expect(Tok::Op, ",").is_none() {
                        break;
                    }
                }
                node.end = self.expect(Tok::Op, "]")?.end;
                ExprKind::Subscript(Box::new(node.expr), index)
            } else {
                return Some(node);
            };
            node.expr = Expr { kind, at };
        }
    }

    /// The arguments after `(` up to and including `)`, whose end is returned.
    pub(super) fn arguments(
        &mut self,
        args: &mut Vec<Expr>,
        kwargs: &mut Vec<(String, Expr)>,
    ) -> Option<usize> {
        loop {
            self.skip_comments();
            if let Some(close) = self.expect(Tok::Op, ")") {
                return Some(close.end);
            }
            let keyword = self.peek()?.tok == Tok::Name
                && self
                    .tokens
                    .get(self.i + 1)
                    .is_some_and(|t| t.tok == Tok::Op && self.text_of(t) == "=");
            if keyword {
                let name = self.name_text()?.to_string();
                self.next();
                self.skip_comments();
                kwargs.push((name, self.expression()?.expr));
            } else {
                args.push(self.expression()?.expr);
            }
            self.skip_comments();
            if self.expect(Tok::Op, ",").is_none() {
                self.skip_comments();
                return Some(self.expect(Tok::Op, ")")?.end);
            }
        }
    }

    fn atom(&mut self) -> Option<Node> {
        let t = *self.peek()?;
        let text = self.text_of(&t);
        let kind = match t.tok {
            Tok::Name => {
                self.next();
                match text {
                    "True" => ExprKind::Bool(true),
                    "False" => ExprKind::Bool(false),
                    "None" => ExprKind::None,
                    _ if is_keyword(text) => return None,
                    _ => ExprKind::Name(text.to_string()),
                }
            }
            Tok::Number => {
                self.next();
                number(text)?
            }
            Tok::Str => return self.strings(),
            Tok::Op => match text {
                "(" => return self.parenthesized(),
                "[" => {
                    self.next();
                    let (items, end) = self.items("]")?;
                    return Some(Node {
                        expr: Expr {
                            kind: ExprKind::List(items),
                            at: t.at,
                        },
                        start: t.start,
                        at: t.at,
                        end,
                    });
                }
                "{" => return self.dictionary(),
                _ => return None,
            },
            _ => return None,
        };
        Some(Node {
            expr: Expr { kind, at: t.at },
            start: t.start,
            at: t.at,
            end: t.end,
        })
    }

    /// Comma-separated expressions up to `close` (comments skipped), and the end of `close`.
    fn items(&mut self, close: &str) -> Option<(Vec<Expr>, usize)> {
        let mut items = Vec::new();
        loop {
            self.skip_comments();
            if let Some(end) = self.expect(Tok::Op, close) {
                return Some((items, end.end));
            }
            items.push(self.expression()?.expr);
            self.skip_comments();
            if self.expect(Tok::Op, ",").is_none() {
                self.skip_comments();
                return Some((items, self.expect(Tok::Op, close)?.end));
            }
        }
    }

    /// `(x)` is `x` itself; `()`, `(x,)` and `(x, y)` are tuples. A comment inside the
    /// parentheses of `(x)` would be tree-sitter's first child there, so it gives up.
    fn parenthesized(&mut self) -> Option<Node> {
        let open = *self.next()?;
        if self.peek()?.tok == Tok::Comment {
            return None;
        }
        if let Some(close) = self.expect(Tok::Op, ")") {
            return Some(tuple(Vec::new(), &open, close.end));
        }
        let first = self.expression()?;
        if let Some(close) = self.expect(Tok::Op, ")") {
            return Some(Node {
                start: open.start,
                at: open.at,
                end: close.end,
                ..first
            });
        }
        self.expect(Tok::Op, ",")?;
        let (mut rest, end) = self.items(")")?;
        rest.insert(0, first.expr);
        Some(tuple(rest, &open, end))
    }

    /// `{}` and `{key: value, …}`; sets and `**spread` give up.
    fn dictionary(&mut self) -> Option<Node> {
        let open = *self.next()?;
        let mut pairs = Vec::new();
        let end = loop {
            self.skip_comments();
            if let Some(close) = self.expect(Tok::Op, "}") {
                break close.end;
            }
            let key = self.expression()?.expr;
            self.skip_comments();
            self.expect(Tok::Op, ":")?;
            self.skip_comments();
            pairs.push((key, self.expression()?.expr));
            self.skip_comments();
            if self.expect(Tok::Op, ",").is_none() {
                self.skip_comments();
                break self.expect(Tok::Op, "}")?.end;
            }
        };
        Some(Node {
            expr: Expr {
                kind: ExprKind::Dict(pairs),
                at: open.at,
            },
            start: open.start,
            at: open.at,
            end,
        })
    }

    /// One string literal, or several side by side (joined, as Python does).
    fn strings(&mut self) -> Option<Node> {
        let first = *self.next()?;
        let mut parts = vec![first];
        while let Some(next) = self.expect_kind(Tok::Str) {
            parts.push(*next);
        }
        let end = parts.last()?.end;
        let kind = if parts.iter().any(|p| is_fstring(self.text_of(p))) {
            ExprKind::Other(self.text[first.start..end].to_string())
        } else {
            let mut value = String::new();
            for part in &parts {
                string_value(self.text_of(part), &mut value);
            }
            ExprKind::Str(value)
        };
        Some(Node {
            expr: Expr { kind, at: first.at },
            start: first.start,
            at: first.at,
            end,
        })
    }
}

fn tuple(items: Vec<Expr>, open: &Token, end: usize) -> Node {
    Node {
        expr: Expr {
            kind: ExprKind::Tuple(items),
            at: open.at,
        },
        start: open.start,
        at: open.at,
        end,
    }
}

fn binary(left: Node, right: Node, op: fn(Box<Expr>, Box<Expr>) -> ExprKind) -> Node {
    Node {
        expr: Expr {
            kind: op(Box::new(left.expr), Box::new(right.expr)),
            at: left.at,
        },
        start: left.start,
        at: left.at,
        end: right.end,
    }
}

/// A plain decimal integer or float literal (`1_000`, `2.5`); anything else gives up.
fn number(text: &str) -> Option<ExprKind> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    match text.split_once('.') {
        None if digits(text) => Some(match text.replace('_', "").parse::<i64>() {
            Ok(i) => ExprKind::Int(i),
            Err(_) => ExprKind::Other(text.to_string()),
        }),
        Some((whole, fraction)) if digits(whole) && digits(fraction) => {
            Some(ExprKind::Float(text.to_string()))
        }
        _ => None,
    }
}

/// Whether the interpolations of an f-string have no call in them: no `(` inside braces, no
/// nested string (which might be why this literal seemed to end early: Python 3.12 lets an
/// interpolation reuse the literal's quote), and balanced braces.
pub(super) fn interpolations_without_calls(literal: &str) -> bool {
    let mut depth = 0usize;
    let mut bytes = literal[prefix(literal).len()..].bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'{' if depth == 0 && bytes.peek() == Some(&b'{') => {
                bytes.next();
            }
            b'{' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'(' | b'"' | b'\'' if depth > 0 => return false,
            _ => {}
        }
    }
    depth == 0
}

fn prefix(literal: &str) -> &str {
    &literal[..literal.find(['"', '\'']).unwrap_or(0)]
}

pub(super) fn is_fstring(literal: &str) -> bool {
    prefix(literal).contains(['f', 'F'])
}

/// Append the value of a (non-f) string literal: what is between its quotes, with escapes
/// decoded as Python does unless the literal is raw.
fn string_value(literal: &str, out: &mut String) {
    let prefix = prefix(literal);
    let body = &literal[prefix.len()..];
    let quotes = if body.starts_with("\"\"\"") || body.starts_with("'''") {
        3
    } else {
        1
    };
    let body = &body[quotes..body.len() - quotes];
    if prefix.contains(['r', 'R']) {
        out.push_str(body);
    } else {
        out.push_str(&escapes::decode(body));
    }
}
