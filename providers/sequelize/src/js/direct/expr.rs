//! Expressions, as `value.rs` reads them from the tree: literals, paths, calls and `new`,
//! objects, arrays and functions as values; operators as `Other` by their node kind.

use super::lexer::{Tok, Token};
use super::{Node, Reader, Shape, Site, Target};
use crate::js::value::unescape;
use crate::js::{Call, Calls, Expr, Value};

/// Binary operators (`<` and `>` only in JavaScript: in TypeScript they may open type
/// arguments).
const BINARY: &[&str] = &[
    "+",
    "-",
    "*",
    "%",
    "**",
    "==",
    "===",
    "!=",
    "!==",
    "<=",
    "&&",
    "||",
    "??",
    "&",
    "|",
    "^",
    "in",
    "instanceof",
];

/// Words a type can continue after without a punctuator (`keyof typeof x`, `readonly T[]`).
const TYPE_OPERATORS: &[&str] = &["typeof", "keyof", "readonly", "unique", "infer", "asserts"];

impl<'t> Reader<'t> {
    fn node(&self, value: Value, start: usize, shape: Shape, site: Site) -> Node {
        Node {
            expr: self.expr_at(value, start),
            start,
            end: self.last_end(),
            shape,
            site,
        }
    }

    /// An expression without a top-level comma: assignments and arrow functions included.
    pub(super) fn expression(&mut self, collect: bool) -> Option<Node> {
        if let Some(arrow) = self.arrow(collect) {
            return arrow;
        }
        let left = self.conditional(collect)?;
        if !self.is(0, "=") {
            return Some(left);
        }
        if !matches!(left.shape, Shape::Name | Shape::Member { .. }) {
            return None;
        }
        self.i += 1;
        let right = self.expression(collect)?;
        let site = self.assigned(&left, right.site);
        Some(self.node(
            Value::Other("assignment_expression".into()),
            left.start,
            Shape::Other,
            site,
        ))
    }

    /// `a ? b : c`, or a binary expression.
    fn conditional(&mut self, collect: bool) -> Option<Node> {
        let test = self.binary(collect)?;
        if !self.is(0, "?") {
            return Some(test);
        }
        self.i += 1;
        self.expression(collect)?;
        self.expect(":")?;
        self.expression(collect)?;
        let value = Value::Other("ternary_expression".into());
        Some(self.node(value, test.start, Shape::Other, Site::default()))
    }

    fn binary(&mut self, collect: bool) -> Option<Node> {
        let first = self.unary(collect)?;
        let mut binary = false;
        while let Some(t) = self.peek(0) {
            let op = self.text_of(t);
            let known = BINARY.contains(&op) || (!self.typescript && (op == "<" || op == ">"));
            if !known || t.tok == Tok::Str {
                break;
            }
            self.i += 1;
            self.unary(collect)?;
            binary = true;
        }
        if !binary {
            return Some(first);
        }
        let value = Value::Other("binary_expression".into());
        Some(self.node(value, first.start, Shape::Other, Site::default()))
    }

    fn unary(&mut self, collect: bool) -> Option<Node> {
        let t = self.peek(0)?;
        let op = self.text_of(t);
        let start = t.start;
        match op {
            "-" | "+" | "!" | "~" | "typeof" | "void" | "delete" => {
                self.i += 1;
                let arg = self.unary(collect)?;
                let value = match (op, arg.expr.value) {
                    ("-", Value::Num(n)) => Value::Num(format!("-{n}")),
                    ("+", Value::Num(n)) => Value::Num(n),
                    ("!", Value::Num(n)) => Value::Bool(n == "0"),
                    ("void", _) => Value::Undefined,
                    _ => Value::Other("unary_expression".into()),
                };
                Some(self.node(value, start, Shape::Other, Site::default()))
            }
            "await" => {
                self.i += 1;
                let arg = self.unary(collect)?;
                let site = Site {
                    bind: arg.site.bind,
                    alias: None,
                };
                let value = Value::Other("await_expression".into());
                Some(self.node(value, start, Shape::Other, site))
            }
            "++" | "--" | "<" | "yield" => None,
            _ => {
                let mut node = self.postfix(collect)?;
                while self.typescript && (self.is(0, "as") || self.is(0, "satisfies")) {
                    if self.peek(0)?.line_break {
                        return None;
                    }
                    self.i += 1;
                    self.skip_type()?;
                    node = Node {
                        end: self.last_end(),
                        shape: Shape::Other,
                        site: Site {
                            bind: node.site.bind,
                            alias: None,
                        },
                        ..node
                    };
                }
                Some(node)
            }
        }
    }

    /// A type after `as` or `:`, up to what cannot continue it.
    pub(super) fn skip_type(&mut self) -> Option<()> {
        let start = self.i;
        self.skip_until(&[";", ",", ")", "]", "}", "=", "{", "?", ":"])?;
        let ty = &self.tokens[start..self.i];
        // A line break inside a type at depth 0 could end the statement: unsure.
        let broken = ty.iter().skip(1).any(|t| t.line_break);
        // Two words in a row (`typeo Model`, `string number`) are a syntax error unless the
        // first is a type operator: the skip does not parse types, so it checks this much.
        let adjacent = ty.windows(2).any(|w| {
            let word = |t: &Token| t.tok != Tok::Punct;
            word(&w[0]) && word(&w[1]) && !TYPE_OPERATORS.contains(&self.text_of(&w[0]))
        });
        (!ty.is_empty() && !broken && !adjacent).then_some(())
    }

    /// A primary expression and its member accesses, calls and non-null assertions.
    fn postfix(&mut self, collect: bool) -> Option<Node> {
        let mut node = if self.is(0, "new") {
            self.new_expression(collect)?
        } else {
            self.primary(collect)?
        };
        while let Some(t) = self.peek(0) {
            match self.text_of(t) {
                "." | "?." if t.tok == Tok::Punct => {
                    self.i += 1;
                    let name = self.next()?;
                    (name.tok == Tok::Name).then_some(())?;
                    let property = self.i - 1;
                    let value = match node.expr.value {
                        Value::Path(mut p) => {
                            p.push(self.text_of(name).to_string());
                            Value::Path(p)
                        }
                        _ => Value::Member {
                            object: Box::new(node.expr),
                            property: self.text_of(name).to_string(),
                        },
                    };
                    node = self.node(
                        value,
                        node.start,
                        Shape::Member { property },
                        Site::default(),
                    );
                }
                "[" if t.tok == Tok::Punct => {
                    self.i += 1;
                    self.expression(collect)?;
                    self.expect("]")?;
                    let value = Value::Other("subscript_expression".into());
                    node = self.node(value, node.start, Shape::Other, Site::default());
                }
                "(" if t.tok == Tok::Punct => node = self.call(node, collect, false)?,
                "!" if self.typescript && !t.line_break => {
                    self.i += 1;
                    node.end = self.last_end();
                    node.shape = Shape::Other;
                }
                // A tagged template (`` tag`…` ``): its value needs the tag's semantics.
                _ if t.tok == Tok::Template => return None,
                _ => break,
            }
        }
        Some(node)
    }

    /// `new C(…)`, `new a.B`: the constructor is a path, the arguments optional.
    fn new_expression(&mut self, collect: bool) -> Option<Node> {
        let start = self.next()?.start;
        let mut callee = self.primary(collect)?;
        while self.is(0, ".") {
            self.i += 1;
            let name = self.next()?;
            (name.tok == Tok::Name).then_some(())?;
            if let Value::Path(p) = &mut callee.expr.value {
                p.push(self.text_of(name).to_string());
            } else {
                return None;
            }
        }
        callee.start = start;
        callee.expr.pos = self.pos(start);
        self.call(callee, collect, true)
    }

    /// A call (or `new`, `is_new`) of `callee`, collected when its callee is a path the reader
    /// wants.
    fn call(&mut self, callee: Node, collect: bool, is_new: bool) -> Option<Node> {
        let path = match callee.expr.value {
            Value::Path(p) => Some(p),
            _ => None,
        };
        let wanted =
            collect && self.quiet == 0 && path.as_ref().is_some_and(|p| self.calls.wants(p));
        let slot = self.d.calls.len();
        let quiet = wanted && self.calls == Calls::OfClasses;
        self.quiet += u32::from(quiet);
        let args = if is_new && !self.is(0, "(") {
            Some(Vec::new())
        } else {
            self.arguments(collect && !wanted)
        };
        self.quiet -= u32::from(quiet);
        let args = args?;
        let pos = callee.expr.pos;
        let mut site = Site::default();
        let value = match path {
            Some(callee) if wanted => {
                let call = Call {
                    callee: callee.clone(),
                    args: args.clone(),
                    bound_to: None,
                    pos,
                };
                site.bind = Some(Target::Call(self.record_call(slot, call)));
                Value::Call { callee, args }
            }
            Some(callee) => Value::Call { callee, args },
            None if is_new => Value::Other("new_expression".into()),
            None => Value::Other("call_expression".into()),
        };
        Some(self.node(value, callee.start, Shape::Other, site))
    }

    /// `(a, b)` as expressions.
    pub(super) fn arguments(&mut self, collect: bool) -> Option<Vec<Expr>> {
        self.expect("(")?;
        self.items(")", collect)
    }

    /// Comma-separated expressions (spreads included) up to `close`, consumed.
    fn items(&mut self, close: &str, collect: bool) -> Option<Vec<Expr>> {
        let mut out = Vec::new();
        loop {
            if self.is(0, close) {
                self.i += 1;
                return Some(out);
            }
            if self.is(0, "...") {
                let start = self.next()?.start;
                self.expression(collect)?;
                out.push(self.expr_at(Value::Other("spread_element".into()), start));
            } else {
                out.push(self.expression(collect)?.expr);
            }
            if !self.is(0, close) {
                self.expect(",")?;
            }
        }
    }

    fn primary(&mut self, collect: bool) -> Option<Node> {
        let t = self.next()?;
        let start = t.start;
        let text = self.text_of(t);
        let value = match t.tok {
            Tok::Str | Tok::Template => Value::Str(string(&text[1..text.len() - 1])?),
            Tok::Num => Value::Num(text.to_string()),
            Tok::Name => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                "undefined" => Value::Undefined,
                "function" => return self.function(start),
                "class" => {
                    self.i -= 1;
                    let class = self.class(Vec::new(), start, collect)?;
                    let site = Site {
                        bind: class.map(Target::Class),
                        alias: class,
                    };
                    return Some(self.node(
                        Value::Other("class".into()),
                        start,
                        Shape::Other,
                        site,
                    ));
                }
                "async" if self.is(0, "function") => {
                    self.i += 1;
                    return self.function(start);
                }
                w if is_reserved(w) => return None,
                _ => {
                    let value = Value::Path(vec![text.to_string()]);
                    let shape = if text == "this" {
                        Shape::Other
                    } else {
                        Shape::Name
                    };
                    return Some(self.node(value, start, shape, Site::default()));
                }
            },
            Tok::Punct => match text {
                "(" => return self.parenthesized(start, collect),
                "[" => Value::Array(self.items("]", collect)?),
                "{" => self.object(collect)?,
                _ => return None,
            },
        };
        Some(self.node(value, start, Shape::Other, Site::default()))
    }

    /// `(e)` is `e`'s value at the parenthesis; `(a, b)` is `b`'s.
    fn parenthesized(&mut self, start: usize, collect: bool) -> Option<Node> {
        let mut inner = self.expression(collect)?;
        while self.is(0, ",") {
            self.i += 1;
            inner = self.expression(collect)?;
            inner.site = Site::default();
        }
        self.expect(")")?;
        let site = Site {
            bind: inner.site.bind,
            alias: None,
        };
        Some(self.node(inner.expr.value, start, Shape::Other, site))
    }

    fn object(&mut self, collect: bool) -> Option<Value> {
        let mut props = Vec::new();
        loop {
            if self.is(0, "}") {
                self.i += 1;
                return Some(Value::Object(props));
            }
            let t = self.peek(0)?;
            let start = t.start;
            let text = self.text_of(t);
            if self.is(0, "...") {
                self.i += 1;
                self.expression(collect)?;
                props.push((
                    "...".into(),
                    self.expr_at(Value::Other("spread_element".into()), start),
                ));
            } else if self.is(1, ":") {
                let key = match t.tok {
                    Tok::Str => string(&text[1..text.len() - 1])?,
                    Tok::Name | Tok::Num => text.to_string(),
                    _ => return None,
                };
                self.i += 2;
                props.push((key, self.expression(collect)?.expr));
            } else if t.tok == Tok::Name && (self.is(1, ",") || self.is(1, "}")) {
                self.i += 1;
                props.push((
                    text.to_string(),
                    self.expr_at(Value::Path(vec![text.to_string()]), start),
                ));
            } else {
                // A method: `f() {}`, `async f() {}`, `get f() {}`.
                if matches!(text, "async" | "get" | "set") && self.is_name(1) {
                    self.i += 1;
                }
                let name = self.next()?;
                (name.tok == Tok::Name).then_some(())?;
                self.parameters()?;
                self.block()?;
                let key = self.text_of(name).to_string();
                props.push((
                    key,
                    self.expr_at(Value::Other("method_definition".into()), start),
                ));
            }
            if !self.is(0, "}") {
                self.expect(",")?;
            }
        }
    }

    /// `function (a, b) { … }` from after `function`.
    fn function(&mut self, start: usize) -> Option<Node> {
        if self.is_name(0) {
            self.i += 1;
        }
        let params = self.parameters()?;
        self.block()?;
        let value = Value::Function {
            params,
            returns: None,
        };
        Some(self.node(value, start, Shape::Other, Site::default()))
    }

    /// An arrow function, if one starts here (`None`), or `Some(None)` when it cannot be read.
    fn arrow(&mut self, collect: bool) -> Option<Option<Node>> {
        let start = self.peek(0)?.start;
        let from = self.i;
        let is_async = self.is(0, "async")
            && ((self.is_name(1) && self.is(2, "=>"))
                || (self.is(1, "(") && self.is_arrow_head(from + 1)));
        if is_async {
            self.i += 1;
        }
        let params = if self.is_name(0) && self.is(1, "=>") {
            let name = self.next()?;
            vec![self.text_of(name).to_string()]
        } else if self.is(0, "(") && self.is_arrow_head(self.i) {
            match self.parameters() {
                Some(p) => p,
                None => return Some(None),
            }
        } else {
            self.i = from;
            return None;
        };
        if self.expect("=>").is_none() {
            return Some(None);
        }
        let returns = if self.is(0, "{") {
            if self.block().is_none() {
                return Some(None);
            }
            None
        } else {
            match self.expression(collect) {
                Some(body) => Some(Box::new(body.expr)),
                None => return Some(None),
            }
        };
        let value = Value::Function { params, returns };
        Some(Some(self.node(value, start, Shape::Other, Site::default())))
    }

    /// True when the parenthesis at token `at` closes right before `=>`.
    fn is_arrow_head(&self, at: usize) -> bool {
        let mut depth = 0usize;
        for (i, t) in self.tokens[at..].iter().enumerate() {
            if t.tok != Tok::Punct {
                continue;
            }
            match self.text_of(t) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth -= 1;
                    if depth == 0 {
                        return self
                            .tokens
                            .get(at + i + 1)
                            .is_some_and(|n| self.text_of(n) == "=>");
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// `(a, b)`: parameter names; TypeScript's `a?: T` too. Defaults, patterns and rest
    /// parameters give up.
    pub(super) fn parameters(&mut self) -> Option<Vec<String>> {
        self.expect("(")?;
        let mut out = Vec::new();
        while !self.is(0, ")") {
            let name = self.next()?;
            (name.tok == Tok::Name && is_binding(self.text_of(name))).then_some(())?;
            out.push(self.text_of(name).to_string());
            if self.typescript {
                if self.is(0, "?") {
                    self.i += 1;
                }
                if self.is(0, ":") {
                    self.i += 1;
                    self.skip_type()?;
                }
            }
            if !self.is(0, ")") {
                self.expect(",")?;
            }
        }
        self.i += 1;
        Some(out)
    }
}

/// Words that can name a parameter or variable: not reserved, not a literal.
pub(super) fn is_binding(word: &str) -> bool {
    !is_reserved(word) && !matches!(word, "true" | "false" | "null" | "this")
}

/// Words that are not plain names in an expression.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "if" | "else"
            | "for"
            | "while"
            | "do"
            | "try"
            | "catch"
            | "finally"
            | "switch"
            | "case"
            | "default"
            | "return"
            | "throw"
            | "break"
            | "continue"
            | "new"
            | "delete"
            | "typeof"
            | "void"
            | "var"
            | "let"
            | "const"
            | "import"
            | "export"
            | "super"
            | "yield"
            | "await"
            | "async"
            | "enum"
            | "in"
            | "instanceof"
            | "with"
            | "debugger"
            | "function"
            | "class"
            | "extends"
    )
}

/// The value of a string literal's body: escapes resolved as tree-sitter's `escape_sequence`
/// nodes are; octal, hexadecimal, Unicode and line-continuation escapes give up.
fn string(body: &str) -> Option<String> {
    if !body.contains('\\') {
        return Some(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escaped = rest[at + 1..].chars().next()?;
        if escaped.is_ascii_digit()
            || matches!(escaped, 'x' | 'u' | '\n' | '\r' | '\u{2028}' | '\u{2029}')
        {
            return None;
        }
        let len = 1 + escaped.len_utf8();
        out.push_str(&unescape(&rest[at..at + len]));
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    Some(out)
}
