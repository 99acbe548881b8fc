//! JavaScript expressions as plain values: the literals, member paths, calls, objects and
//! arrays that model definitions are written in. Anything else is kept as `Other` with its
//! position, so a caller can report it rather than guess.

use super::kinds::Ids;
use super::source::{Pos, Source};
use tree_sitter::Node;

/// Expr is one expression and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub value: Value,
    pub pos: Pos,
}

/// Value is what an expression denotes, as far as it can be read without running it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// A number as written (`10`, `-1.5`).
    Num(String),
    Bool(bool),
    Null,
    Undefined,
    /// An identifier or a member chain: `DataTypes.STRING` is `["DataTypes", "STRING"]`.
    Path(Vec<String>),
    /// A call or `new`: `DataTypes.STRING(20)`, `Sequelize.literal('now()')`.
    Call {
        callee: Vec<String>,
        args: Vec<Expr>,
    },
    /// An object literal's properties in order (a spread is an `Other` value under key `...`).
    Object(Vec<(String, Expr)>),
    Array(Vec<Expr>),
    /// A function or arrow function: its parameter names and, for an expression body such as
    /// `() => Publisher`, that expression.
    Function {
        params: Vec<String>,
        returns: Option<Box<Expr>>,
    },
    /// A property of something that is not a path, such as a call's result:
    /// `DataTypes.STRING(20).BINARY` is `BINARY` of the call `DataTypes.STRING(20)`.
    Member {
        object: Box<Expr>,
        property: String,
    },
    /// Anything else, by its syntax kind (`template_string`, `binary_expression`, …).
    Other(String),
}

impl Expr {
    /// The string, if this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The property `key` of an object literal.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        match &self.value {
            Value::Object(props) => props.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The last segment of a path or of a call's callee: `DataTypes.STRING(3)` → `STRING`.
    pub fn name(&self) -> Option<&str> {
        match &self.value {
            Value::Path(p) | Value::Call { callee: p, .. } => p.last().map(String::as_str),
            _ => None,
        }
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Str(s) => format!("'{s}'"),
            Value::Num(n) => n.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".into(),
            Value::Undefined => "undefined".into(),
            Value::Path(p) => p.join("."),
            Value::Call { callee, .. } => format!("{}(…)", callee.join(".")),
            Value::Object(_) => "an object".into(),
            Value::Array(_) => "an array".into(),
            Value::Function { .. } => "a function".into(),
            Value::Member { object, property } => format!("{}.{property}", object.describe()),
            Value::Other(kind) => format!("a {}", kind.replace('_', " ")),
        }
    }
}

/// Read `node` as an expression.
pub fn expr(src: &Source, node: Node) -> Expr {
    Reader::new(src).expr(node)
}

/// Reader reads expressions and notes whether it read every part of them. An expression read
/// whole is made of literals, paths, calls, objects and arrays only — no function, class or
/// enum — so the declarations walk need not enter it again.
pub(super) struct Reader<'s> {
    src: &'s Source,
    ids: &'static Ids,
    /// False once a part was left unread: a function, an expression kept as `Other`, the
    /// operand of `void`, a computed key, all but the last expression of a sequence.
    pub whole: bool,
}

impl<'s> Reader<'s> {
    pub fn new(src: &'s Source) -> Reader<'s> {
        Reader {
            src,
            ids: src.ids(),
            whole: true,
        }
    }

    pub fn expr(&mut self, node: Node) -> Expr {
        Expr {
            value: self.value(node),
            pos: Pos::of(node),
        }
    }

    fn value(&mut self, node: Node) -> Value {
        let src = self.src;
        let k = &self.ids.kind;
        match node.kind_id() {
            id if id == k.string => Value::Str(string(src, node)),
            id if id == k.template_string && all_fragments(src, node) => {
                Value::Str(string(src, node))
            }
            id if id == k.number => Value::Num(src.text(node).to_string()),
            id if id == k.true_ => Value::Bool(true),
            id if id == k.false_ => Value::Bool(false),
            id if id == k.null => Value::Null,
            id if id == k.undefined => Value::Undefined,
            id if id == k.identifier
                || id == k.this
                || id == k.property_identifier
                || id == k.shorthand_property_identifier =>
            {
                Value::Path(vec![src.text(node).to_string()])
            }
            id if id == k.member_expression => match self.path(node) {
                Some(p) => Value::Path(p),
                None => self.member(node),
            },
            id if id == k.unary_expression => self.unary(node),
            id if id == k.parenthesized_expression
                || id == k.as_expression
                || id == k.satisfies_expression
                || id == k.non_null_expression
                || id == k.type_assertion =>
            {
                match first_named(node) {
                    Some(n) => self.value(n),
                    None => self.other(node),
                }
            }
            // `(0, typeorm_1.Entity)` in compiled TypeScript: the value is the last expression.
            id if id == k.sequence_expression => {
                self.whole = false;
                match last_named(node) {
                    Some(n) => self.value(n),
                    None => self.other(node),
                }
            }
            id if id == k.call_expression || id == k.new_expression => self.call(node),
            id if id == k.object => self.object(node),
            id if id == k.array => {
                Value::Array(named_children(node).map(|n| self.expr(n)).collect())
            }
            id if id == k.arrow_function || id == k.function_expression || id == k.function => {
                self.function(node)
            }
            _ => self.other(node),
        }
    }

    /// `object.property` where `object` is not a path (see [`Value::Member`]).
    fn member(&mut self, node: Node) -> Value {
        let f = &self.ids.field;
        let (Some(object), Some(property)) = (
            node.child_by_field_id(f.object),
            node.child_by_field_id(f.property),
        ) else {
            return self.other(node);
        };
        if property.kind_id() != self.ids.kind.property_identifier {
            return self.other(node);
        }
        Value::Member {
            object: Box::new(self.expr(object)),
            property: self.src.text(property).to_string(),
        }
    }

    fn other(&mut self, node: Node) -> Value {
        self.whole = false;
        Value::Other(node.kind().to_string())
    }

    /// `a.b.c` as `["a", "b", "c"]`, when every step is a plain name.
    fn path(&mut self, node: Node) -> Option<Vec<String>> {
        let mut out = Vec::new();
        self.push_path(node, &mut out)?;
        Some(out)
    }

    /// Append the steps of path `node` to `out`, outermost object first.
    fn push_path(&mut self, node: Node, out: &mut Vec<String>) -> Option<()> {
        let src = self.src;
        let Ids { kind: k, field: f } = self.ids;
        match node.kind_id() {
            id if id == k.identifier || id == k.this || id == k.property_identifier => {
                out.push(src.text(node).to_string())
            }
            id if id == k.member_expression => {
                self.push_path(node.child_by_field_id(f.object)?, out)?;
                out.push(src.text(node.child_by_field_id(f.property)?).to_string());
            }
            id if id == k.parenthesized_expression
                || id == k.non_null_expression
                || id == k.as_expression =>
            {
                self.push_path(first_named(node)?, out)?
            }
            id if id == k.sequence_expression => {
                self.whole = false;
                self.push_path(last_named(node)?, out)?
            }
            _ => return None,
        }
        Some(())
    }

    fn unary(&mut self, node: Node) -> Value {
        let f = &self.ids.field;
        let (Some(op), Some(arg)) = (
            node.child_by_field_id(f.operator),
            node.child_by_field_id(f.argument),
        ) else {
            return self.other(node);
        };
        match (self.src.text(op), self.value(arg)) {
            ("-", Value::Num(n)) => Value::Num(format!("-{n}")),
            ("+", Value::Num(n)) => Value::Num(n),
            ("!", Value::Num(n)) => Value::Bool(n == "0"),
            ("void", _) => {
                self.whole = false;
                Value::Undefined
            }
            _ => self.other(node),
        }
    }

    /// The callee path of a call or `new`, when it is a plain path.
    pub fn callee(&mut self, node: Node) -> Option<Vec<String>> {
        let f = &self.ids.field;
        let callee = node
            .child_by_field_id(f.function)
            .or_else(|| node.child_by_field_id(f.constructor))?;
        self.path(callee)
    }

    /// The arguments of a call or `new` as expressions.
    pub fn arguments(&mut self, node: Node) -> Vec<Expr> {
        match node.child_by_field_id(self.ids.field.arguments) {
            Some(a) => named_children(a).map(|n| self.expr(n)).collect(),
            None => Vec::new(),
        }
    }

    fn call(&mut self, node: Node) -> Value {
        match self.callee(node) {
            Some(callee) => Value::Call {
                callee,
                args: self.arguments(node),
            },
            None => self.other(node),
        }
    }

    fn object(&mut self, node: Node) -> Value {
        let src = self.src;
        let Ids { kind: k, field: f } = self.ids;
        let mut props = Vec::new();
        for child in named_children(node) {
            match child.kind_id() {
                id if id == k.pair => {
                    let (Some(key_node), Some(v)) = (
                        child.child_by_field_id(f.key),
                        child.child_by_field_id(f.value),
                    ) else {
                        self.whole = false;
                        continue;
                    };
                    props.push((self.key(key_node), self.expr(v)));
                }
                id if id == k.shorthand_property_identifier => {
                    let name = src.text(child).to_string();
                    props.push((name, self.expr(child)));
                }
                id if id == k.method_definition => {
                    self.whole = false;
                    if let Some(key_node) = child.child_by_field_id(f.name) {
                        props.push((self.key(key_node), self.expr(child)));
                    }
                }
                _ => props.push(("...".into(), self.expr(child))),
            }
        }
        Value::Object(props)
    }

    /// A property key: a name, a string or a number (a computed `[key]` as written).
    fn key(&mut self, node: Node) -> String {
        let k = &self.ids.kind;
        let id = node.kind_id();
        if id == k.string {
            return string(self.src, node);
        }
        if id != k.property_identifier && id != k.number {
            self.whole = false;
        }
        self.src.text(node).to_string()
    }

    fn function(&mut self, node: Node) -> Value {
        self.whole = false;
        let src = self.src;
        let Ids { kind: k, field: f } = self.ids;
        let mut params = Vec::new();
        if let Some(p) = node.child_by_field_id(f.parameter) {
            params.push(src.text(p).to_string());
        }
        if let Some(ps) = node.child_by_field_id(f.parameters) {
            for p in named_children(ps) {
                let name = p.child_by_field_id(f.pattern).unwrap_or(p);
                params.push(src.text(name).to_string());
            }
        }
        let returns = node
            .child_by_field_id(f.body)
            .filter(|b| b.kind_id() != k.statement_block)
            .map(|b| Box::new(self.expr(b)));
        Value::Function { params, returns }
    }
}

/// The named children of `node` but comments, walked with one cursor (no per-child field
/// lookups, no intermediate vector). Comments are extras the grammar allows between any two
/// tokens: `@Column(/* why */ { … })` has one argument, the object.
pub(super) fn named_children<'t>(node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = node.walk();
    let mut started = false;
    std::iter::from_fn(move || {
        loop {
            let moved = if started {
                cursor.goto_next_sibling()
            } else {
                started = true;
                cursor.goto_first_child()
            };
            if !moved {
                return None;
            }
            let n = cursor.node();
            if n.is_named() && !n.is_extra() {
                return Some(n);
            }
        }
    })
}

/// The first named child: the wrapped expression of `(x)`, `x as T`, `x!`, `@x`.
pub(super) fn first_named(node: Node) -> Option<Node> {
    named_children(node).next()
}

fn last_named(node: Node) -> Option<Node> {
    named_children(node).last()
}

fn all_fragments(src: &Source, node: Node) -> bool {
    let k = &src.ids().kind;
    named_children(node)
        .all(|n| n.kind_id() == k.string_fragment || n.kind_id() == k.escape_sequence)
}

/// The text of a string literal with its escapes resolved.
fn string(src: &Source, node: Node) -> String {
    let escape = src.ids().kind.escape_sequence;
    let mut out = String::new();
    for part in named_children(node) {
        let text = src.text(part);
        if part.kind_id() == escape {
            out.push_str(&unescape(text));
        } else {
            out.push_str(text);
        }
    }
    out
}

pub(super) fn unescape(seq: &str) -> String {
    let body = &seq[1..];
    match body.chars().next() {
        Some('n') => "\n".into(),
        Some('t') => "\t".into(),
        Some('r') => "\r".into(),
        Some('0') => "\0".into(),
        Some('u') | Some('x') => {
            let hex = body[1..].trim_matches(|c| c == '{' || c == '}');
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map_or_else(|| seq.to_string(), String::from)
        }
        _ => body.to_string(),
    }
}
