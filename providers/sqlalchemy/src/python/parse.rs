//! tree-sitter-python syntax trees → [`ast`](super::ast) values. Only declarations are kept;
//! function bodies are skipped (models are declared at module and class level).

use super::ast::{Class, Expr, ExprKind, Imported, Module, Pos, Stmt};
use std::path::Path;
use tree_sitter::{Node, Parser};

/// SyntaxError is source tree-sitter could not parse, at its first error node.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub at: Pos,
    pub message: String,
}

/// A parser for Python; one per thread, reused across files.
pub fn python_parser() -> Result<Parser, SyntaxError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| SyntaxError {
            at: Pos { line: 1, column: 1 },
            message: format!("the Python grammar cannot be loaded: {e}"),
        })?;
    Ok(parser)
}

/// Parse one Python source text.
pub fn parse_module(path: &Path, name: &str, text: &str) -> Result<Module, SyntaxError> {
    parse_with(&mut python_parser()?, path, name, text)
}

/// Parse one Python source text with an existing parser.
pub fn parse_with(
    parser: &mut Parser,
    path: &Path,
    name: &str,
    text: &str,
) -> Result<Module, SyntaxError> {
    let tree = parser.parse(text, None).ok_or_else(|| SyntaxError {
        at: Pos { line: 1, column: 1 },
        message: "the Python parser gave no tree".into(),
    })?;
    let root = tree.root_node();
    if root.has_error() {
        let bad = first_error(root).unwrap_or(root);
        return Err(SyntaxError {
            at: pos(bad),
            message: format!(
                "Python syntax error near `{}`",
                short(src(bad, text.as_bytes()))
            ),
        });
    }
    let reader = Reader {
        text: text.as_bytes(),
    };
    Ok(Module {
        path: path.to_path_buf(),
        name: name.to_string(),
        body: reader.block(root),
    })
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.has_error())
        .find_map(first_error)
}

fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row + 1,
        column: p.column + 1,
    }
}

fn src<'a>(node: Node, text: &'a [u8]) -> &'a str {
    node.utf8_text(text).unwrap_or("")
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    line.chars().take(40).collect()
}

struct Reader<'a> {
    text: &'a [u8],
}

impl Reader<'_> {
    fn text(&self, node: Node) -> &str {
        src(node, self.text)
    }

    fn block(&self, node: Node) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.statement(child, &mut out);
        }
        out
    }

    fn statement(&self, node: Node, out: &mut Vec<Stmt>) {
        match node.kind() {
            "expression_statement" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    out.push(self.expression_statement(child));
                }
            }
            "class_definition" => out.push(Stmt::Class(self.class(node, Vec::new()))),
            "function_definition" => out.push(self.def(node, Vec::new())),
            "decorated_definition" => {
                let mut cursor = node.walk();
                let decorators: Vec<String> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "decorator")
                    .map(|d| self.decorator_name(d))
                    .collect();
                if let Some(def) = node.child_by_field_name("definition") {
                    match def.kind() {
                        "class_definition" => out.push(Stmt::Class(self.class(def, decorators))),
                        _ => out.push(self.def(def, decorators)),
                    }
                }
            }
            "import_statement" => out.extend(self.import(node)),
            "import_from_statement" => out.push(self.import_from(node)),
            "for_statement" | "while_statement" | "if_statement" | "with_statement"
            | "try_statement" | "match_statement" => out.push(Stmt::Dynamic {
                what: statement_word(node.kind()),
                calls: self.calls_inside(node),
                at: pos(node),
            }),
            _ => {}
        }
    }

    fn decorator_name(&self, node: Node) -> String {
        let Some(inner) = node.named_child(0) else {
            return String::new();
        };
        let target = if inner.kind() == "call" {
            inner.child_by_field_name("function").unwrap_or(inner)
        } else {
            inner
        };
        self.expr(target).path().unwrap_or_default()
    }

    fn def(&self, node: Node, decorators: Vec<String>) -> Stmt {
        Stmt::Def {
            name: node
                .child_by_field_name("name")
                .map(|n| self.text(n).to_string())
                .unwrap_or_default(),
            decorators,
            calls: self.calls_inside(node),
            at: pos(node),
        }
    }

    fn class(&self, node: Node, decorators: Vec<String>) -> Class {
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if let Some(list) = node.child_by_field_name("superclasses") {
            self.arguments(list, &mut bases, &mut keywords);
        }
        Class {
            decorators,
            name: node
                .child_by_field_name("name")
                .map(|n| self.text(n).to_string())
                .unwrap_or_default(),
            bases,
            keywords,
            body: node
                .child_by_field_name("body")
                .map(|b| self.block(b))
                .unwrap_or_default(),
            at: pos(node),
        }
    }

    fn import(&self, node: Node) -> Vec<Stmt> {
        let mut cursor = node.walk();
        node.children_by_field_name("name", &mut cursor)
            .map(|n| {
                let (module, alias) = self.dotted_alias(n);
                Stmt::Import {
                    module,
                    names: vec![Imported { name: None, alias }],
                }
            })
            .collect()
    }

    fn import_from(&self, node: Node) -> Stmt {
        let module = node
            .child_by_field_name("module_name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut cursor = node.walk();
        let names = node
            .children_by_field_name("name", &mut cursor)
            .map(|n| {
                let (name, alias) = self.dotted_alias(n);
                Imported {
                    name: Some(name),
                    alias,
                }
            })
            .collect();
        Stmt::Import { module, names }
    }

    /// `a.b` or `a.b as c`.
    fn dotted_alias(&self, node: Node) -> (String, Option<String>) {
        if node.kind() == "aliased_import" {
            let name = node
                .child_by_field_name("name")
                .map(|n| self.text(n).to_string())
                .unwrap_or_default();
            let alias = node
                .child_by_field_name("alias")
                .map(|n| self.text(n).to_string());
            (name, alias)
        } else {
            (self.text(node).to_string(), None)
        }
    }

    fn expression_statement(&self, node: Node) -> Stmt {
        if node.kind() != "assignment" {
            return Stmt::Expr(self.expr(node));
        }
        // `a = b = c` nests: assignment(left=a, right=assignment(left=b, right=c)).
        let mut targets = Vec::new();
        let mut annotation = None;
        let mut current = node;
        loop {
            let left = current.child_by_field_name("left");
            match left {
                Some(l) if l.kind() == "identifier" => targets.push(self.text(l).to_string()),
                _ => {
                    return Stmt::Dynamic {
                        what: "assignment",
                        calls: self.calls_inside(node),
                        at: pos(node),
                    };
                }
            }
            if let Some(t) = current.child_by_field_name("type") {
                annotation = Some(self.expr(t));
            }
            match current.child_by_field_name("right") {
                Some(r) if r.kind() == "assignment" => current = r,
                right => {
                    return Stmt::Assign {
                        targets,
                        annotation,
                        value: right.map(|r| self.expr(r)),
                        at: pos(node),
                    };
                }
            }
        }
    }

    /// Names of every call under `node` (function bodies included), for dynamic-construct checks.
    fn calls_inside(&self, node: Node) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "call"
                && let Some(f) = n.child_by_field_name("function")
                && let Some(name) = self.expr(f).last_name()
            {
                out.push(name.to_string());
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        out
    }

    fn arguments(&self, list: Node, args: &mut Vec<Expr>, kwargs: &mut Vec<(String, Expr)>) {
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind() {
                "keyword_argument" => {
                    let name = child
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default();
                    if let Some(value) = child.child_by_field_name("value") {
                        kwargs.push((name, self.expr(value)));
                    }
                }
                "comment" => {}
                _ => args.push(self.expr(child)),
            }
        }
    }

    fn children(&self, node: Node) -> Vec<Expr> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .map(|c| self.expr(c))
            .collect()
    }

    fn expr(&self, node: Node) -> Expr {
        let at = pos(node);
        let kind = match node.kind() {
            "identifier" => ExprKind::Name(self.text(node).to_string()),
            "attribute" => match (
                node.child_by_field_name("object"),
                node.child_by_field_name("attribute"),
            ) {
                (Some(object), Some(attr)) => {
                    ExprKind::Attr(Box::new(self.expr(object)), self.text(attr).to_string())
                }
                _ => self.other(node),
            },
            "call" => {
                let mut args = Vec::new();
                let mut kwargs = Vec::new();
                if let Some(list) = node.child_by_field_name("arguments")
                    && list.kind() == "argument_list"
                {
                    self.arguments(list, &mut args, &mut kwargs);
                }
                match node.child_by_field_name("function") {
                    Some(f) => ExprKind::Call {
                        func: Box::new(self.expr(f)),
                        args,
                        kwargs,
                    },
                    None => self.other(node),
                }
            }
            "string" => self.string(node),
            "concatenated_string" => {
                let mut joined = String::new();
                for part in self.children(node) {
                    match part.kind {
                        ExprKind::Str(s) => joined.push_str(&s),
                        _ => {
                            return Expr {
                                kind: self.other(node),
                                at,
                            };
                        }
                    }
                }
                ExprKind::Str(joined)
            }
            "integer" => {
                let digits = self.text(node).replace('_', "");
                match digits.parse::<i64>() {
                    Ok(i) => ExprKind::Int(i),
                    Err(_) => self.other(node),
                }
            }
            "float" => ExprKind::Float(self.text(node).to_string()),
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "none" => ExprKind::None,
            "unary_operator" => {
                let operand = node.child_by_field_name("argument").map(|a| self.expr(a));
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or("");
                match (op, operand) {
                    (
                        "-",
                        Some(Expr {
                            kind: ExprKind::Int(i),
                            ..
                        }),
                    ) => ExprKind::Int(-i),
                    (
                        "-",
                        Some(Expr {
                            kind: ExprKind::Float(f),
                            ..
                        }),
                    ) => ExprKind::Float(format!("-{f}")),
                    ("~", Some(operand)) => ExprKind::Invert(Box::new(operand)),
                    _ => self.other(node),
                }
            }
            "tuple" | "expression_list" | "pattern_list" => ExprKind::Tuple(self.children(node)),
            "list" => ExprKind::List(self.children(node)),
            "dictionary" => {
                let mut cursor = node.walk();
                let mut pairs = Vec::new();
                for pair in node.named_children(&mut cursor) {
                    match (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) {
                        (Some(k), Some(v)) => pairs.push((self.expr(k), self.expr(v))),
                        _ if pair.kind() == "comment" => {}
                        _ => {
                            return Expr {
                                kind: self.other(node),
                                at,
                            };
                        }
                    }
                }
                ExprKind::Dict(pairs)
            }
            "subscript" => {
                let mut cursor = node.walk();
                let index = node
                    .children_by_field_name("subscript", &mut cursor)
                    .map(|s| self.expr(s))
                    .collect();
                match node.child_by_field_name("value") {
                    Some(v) => ExprKind::Subscript(Box::new(self.expr(v)), index),
                    None => self.other(node),
                }
            }
            // Annotations: `type` wraps an expression; `generic_type` is `Name[params]`,
            // `union_type` is `A | B`, `member_type` is `a.B`.
            "type" | "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => return self.expr(inner),
                None => self.other(node),
            },
            "generic_type" => {
                let base = node.named_child(0).map(|b| self.expr(b));
                let params = node
                    .named_child(1)
                    .map(|p| self.children(p))
                    .unwrap_or_default();
                match base {
                    Some(b) => ExprKind::Subscript(Box::new(b), params),
                    None => self.other(node),
                }
            }
            "member_type" => match (node.named_child(0), node.named_child(1)) {
                (Some(object), Some(attr)) => {
                    ExprKind::Attr(Box::new(self.expr(object)), self.text(attr).to_string())
                }
                _ => self.other(node),
            },
            "union_type" => match (node.named_child(0), node.named_child(1)) {
                (Some(l), Some(r)) => {
                    ExprKind::BitOr(Box::new(self.expr(l)), Box::new(self.expr(r)))
                }
                _ => self.other(node),
            },
            "binary_operator" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or("");
                match (
                    op,
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    ("|", Some(l), Some(r)) => {
                        ExprKind::BitOr(Box::new(self.expr(l)), Box::new(self.expr(r)))
                    }
                    ("&", Some(l), Some(r)) => {
                        ExprKind::BitAnd(Box::new(self.expr(l)), Box::new(self.expr(r)))
                    }
                    _ => self.other(node),
                }
            }
            _ => self.other(node),
        };
        Expr { kind, at }
    }

    fn other(&self, node: Node) -> ExprKind {
        ExprKind::Other(self.text(node).to_string())
    }

    /// A string literal's value. f-strings are dynamic and stay [`ExprKind::Other`]; escape
    /// sequences are decoded for the common cases.
    fn string(&self, node: Node) -> ExprKind {
        let mut value = String::new();
        let mut raw = false;
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match part.kind() {
                "string_start" => {
                    let prefix = self.text(part).to_lowercase();
                    if prefix.contains('f') {
                        return self.other(node);
                    }
                    raw = prefix.contains('r');
                }
                "string_content" => value.push_str(self.text(part)),
                "escape_sequence" if raw => value.push_str(self.text(part)),
                "escape_sequence" => value.push_str(&unescape(self.text(part))),
                "interpolation" => return self.other(node),
                _ => {}
            }
        }
        ExprKind::Str(value)
    }
}

/// `for_statement` → `for`, as a static string for messages.
fn statement_word(kind: &str) -> &'static str {
    match kind {
        "for_statement" => "for",
        "while_statement" => "while",
        "if_statement" => "if",
        "with_statement" => "with",
        "try_statement" => "try",
        _ => "match",
    }
}

fn unescape(seq: &str) -> String {
    match seq {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\\\" => "\\".into(),
        "\\'" => "'".into(),
        "\\\"" => "\"".into(),
        "\\\n" => String::new(),
        other => other.to_string(),
    }
}
