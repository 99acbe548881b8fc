//! JavaScript expressions as plain values: the literals, member paths, calls, objects and
//! arrays that model definitions are written in. Anything else is kept as `Other` with its
//! position, so a caller can report it rather than guess.

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
            Value::Other(kind) => format!("a {}", kind.replace('_', " ")),
        }
    }
}

/// Read `node` as an expression.
pub fn expr(src: &Source, node: Node) -> Expr {
    Expr {
        value: value(src, node),
        pos: Pos::of(node),
    }
}

fn value(src: &Source, node: Node) -> Value {
    match node.kind() {
        "string" => Value::Str(string(src, node)),
        "template_string" if node.named_child_count() == 0 || all_fragments(node) => {
            Value::Str(string(src, node))
        }
        "number" => Value::Num(src.text(node).to_string()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        "undefined" => Value::Undefined,
        "identifier" | "this" | "property_identifier" | "shorthand_property_identifier" => {
            Value::Path(vec![src.text(node).to_string()])
        }
        "member_expression" => path(src, node).map_or_else(|| other(node), Value::Path),
        "unary_expression" => unary(src, node),
        "parenthesized_expression"
        | "as_expression"
        | "satisfies_expression"
        | "non_null_expression"
        | "type_assertion" => node
            .named_child(0)
            .map_or_else(|| other(node), |n| value(src, n)),
        // `(0, typeorm_1.Entity)` in compiled TypeScript: the value is the last expression.
        "sequence_expression" => last_named(node).map_or_else(|| other(node), |n| value(src, n)),
        "call_expression" | "new_expression" => call(src, node),
        "object" => object(src, node),
        "array" => Value::Array(named_children(node).map(|n| expr(src, n)).collect()),
        "arrow_function" | "function_expression" | "function" => function(src, node),
        _ => other(node),
    }
}

fn other(node: Node) -> Value {
    Value::Other(node.kind().to_string())
}

/// The named children of `node`, walked with one cursor (no per-child field lookups, no
/// intermediate vector).
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
            if n.is_named() {
                return Some(n);
            }
        }
    })
}

fn last_named(node: Node) -> Option<Node> {
    node.named_child(u32::try_from(node.named_child_count().checked_sub(1)?).ok()?)
}

fn all_fragments(node: Node) -> bool {
    named_children(node).all(|n| n.kind() == "string_fragment" || n.kind() == "escape_sequence")
}

/// The text of a string literal with its escapes resolved.
fn string(src: &Source, node: Node) -> String {
    let mut out = String::new();
    for part in named_children(node) {
        let text = src.text(part);
        match part.kind() {
            "escape_sequence" => out.push_str(&unescape(text)),
            _ => out.push_str(text),
        }
    }
    out
}

fn unescape(seq: &str) -> String {
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

/// `a.b.c` as `["a", "b", "c"]`, when every step is a plain name.
fn path(src: &Source, node: Node) -> Option<Vec<String>> {
    match node.kind() {
        "identifier" | "this" | "property_identifier" => Some(vec![src.text(node).to_string()]),
        "member_expression" => {
            let mut head = path(src, node.child_by_field_name("object")?)?;
            head.push(src.text(node.child_by_field_name("property")?).to_string());
            Some(head)
        }
        "parenthesized_expression" | "non_null_expression" | "as_expression" => {
            path(src, node.named_child(0)?)
        }
        "sequence_expression" => path(src, last_named(node)?),
        _ => None,
    }
}

fn unary(src: &Source, node: Node) -> Value {
    let (Some(op), Some(arg)) = (
        node.child_by_field_name("operator"),
        node.child_by_field_name("argument"),
    ) else {
        return other(node);
    };
    match (src.text(op), value(src, arg)) {
        ("-", Value::Num(n)) => Value::Num(format!("-{n}")),
        ("+", Value::Num(n)) => Value::Num(n),
        ("!", Value::Num(n)) => Value::Bool(n == "0"),
        ("void", _) => Value::Undefined,
        _ => other(node),
    }
}

fn call(src: &Source, node: Node) -> Value {
    let callee = node
        .child_by_field_name("function")
        .or_else(|| node.child_by_field_name("constructor"))
        .and_then(|f| path(src, f));
    let Some(callee) = callee else {
        return other(node);
    };
    let args = node
        .child_by_field_name("arguments")
        .map(|a| named_children(a).map(|n| expr(src, n)).collect())
        .unwrap_or_default();
    Value::Call { callee, args }
}

fn object(src: &Source, node: Node) -> Value {
    let mut props = Vec::new();
    for child in named_children(node) {
        match child.kind() {
            "pair" => {
                let (Some(k), Some(v)) = (
                    child.child_by_field_name("key"),
                    child.child_by_field_name("value"),
                ) else {
                    continue;
                };
                props.push((key(src, k), expr(src, v)));
            }
            "shorthand_property_identifier" => {
                let name = src.text(child).to_string();
                props.push((name, expr(src, child)));
            }
            "method_definition" => {
                if let Some(k) = child.child_by_field_name("name") {
                    props.push((key(src, k), expr(src, child)));
                }
            }
            "comment" => {}
            _ => props.push(("...".into(), expr(src, child))),
        }
    }
    Value::Object(props)
}

/// A property key: a name, a string or a number.
fn key(src: &Source, node: Node) -> String {
    match node.kind() {
        "string" => string(src, node),
        _ => src.text(node).to_string(),
    }
}

fn function(src: &Source, node: Node) -> Value {
    let mut params = Vec::new();
    if let Some(p) = node.child_by_field_name("parameter") {
        params.push(src.text(p).to_string());
    }
    if let Some(ps) = node.child_by_field_name("parameters") {
        for p in named_children(ps) {
            let name = p.child_by_field_name("pattern").unwrap_or(p);
            params.push(src.text(name).to_string());
        }
    }
    let returns = node
        .child_by_field_name("body")
        .filter(|b| b.kind() != "statement_block")
        .map(|b| Box::new(expr(src, b)));
    Value::Function { params, returns }
}
