//! tree-sitter-python syntax trees → [`ast`](super::ast) values. Only declarations are kept;
//! function bodies are skipped (models are declared at module and class level).

use super::ast::{Class, Expr, ExprKind, Imported, Module, Pos, Stmt};
use super::grammar::{Field, Grammar, Kind, PYTHON};
use super::{direct, escapes};
use std::path::Path;
use strata_schema::syntax::{self, first_error};
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
        .set_language(&PYTHON.language)
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

/// Parse one Python source text: straight from its tokens when it is made only of what
/// [`direct`] reads, else with tree-sitter (`parser`).
pub fn parse_with(
    parser: &mut Parser,
    path: &Path,
    name: &str,
    text: &str,
) -> Result<Module, SyntaxError> {
    let body = match direct::read(text) {
        Some(body) => body,
        None => parse_tree(parser, text)?,
    };
    Ok(Module {
        path: path.to_path_buf(),
        name: name.to_string(),
        body,
    })
}

/// The statements of `text` by tree-sitter's syntax tree, or its first syntax error.
pub(super) fn parse_tree(parser: &mut Parser, text: &str) -> Result<Vec<Stmt>, SyntaxError> {
    let tree = parser.parse(text, None).ok_or_else(|| SyntaxError {
        at: Pos { line: 1, column: 1 },
        message: "the Python parser gave no tree".into(),
    })?;
    let root = tree.root_node();
    if let Some(bad) = first_error(root) {
        return Err(SyntaxError {
            at: pos(bad),
            message: syntax::describe("Python", bad, text.as_bytes()),
        });
    }
    let reader = Reader { text, g: &PYTHON };
    Ok(reader.block(root))
}

fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row + 1,
        column: p.column + 1,
    }
}

/// Reader converts one syntax tree; `text` is the source it was parsed from.
struct Reader<'a> {
    text: &'a str,
    g: &'static Grammar,
}

impl Reader<'_> {
    /// The source text of `node`. Node boundaries of a tree without errors fall on character
    /// boundaries, so this slices without re-validating UTF-8.
    fn text(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn child<'t>(&self, node: Node<'t>, field: Field) -> Option<Node<'t>> {
        self.g.child(node, field)
    }

    fn child_text(&self, node: Node, field: Field) -> Option<String> {
        self.child(node, field).map(|n| self.text(n).to_string())
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
        match self.g.kind(node) {
            Kind::ExpressionStatement => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    out.push(self.expression_statement(child));
                }
            }
            Kind::ClassDefinition => out.push(Stmt::Class(self.class(node, Vec::new()))),
            Kind::FunctionDefinition => out.push(self.def(node, Vec::new())),
            Kind::DecoratedDefinition => {
                let mut cursor = node.walk();
                let decorators: Vec<String> = node
                    .named_children(&mut cursor)
                    .filter(|c| self.g.kind(*c) == Kind::Decorator)
                    .map(|d| self.decorator_name(d))
                    .collect();
                if let Some(def) = self.child(node, Field::Definition) {
                    match self.g.kind(def) {
                        Kind::ClassDefinition => out.push(Stmt::Class(self.class(def, decorators))),
                        _ => out.push(self.def(def, decorators)),
                    }
                }
            }
            Kind::ImportStatement => out.extend(self.import(node)),
            Kind::ImportFromStatement => out.push(self.import_from(node)),
            kind @ (Kind::ForStatement
            | Kind::WhileStatement
            | Kind::IfStatement
            | Kind::WithStatement
            | Kind::TryStatement
            | Kind::MatchStatement) => out.push(Stmt::Dynamic {
                what: statement_word(kind),
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
        let target = if self.g.kind(inner) == Kind::Call {
            self.child(inner, Field::Function).unwrap_or(inner)
        } else {
            inner
        };
        self.expr(target).path().unwrap_or_default()
    }

    /// A `def`: its body is not converted, only searched for calls.
    fn def(&self, node: Node, decorators: Vec<String>) -> Stmt {
        Stmt::Def {
            name: self.child_text(node, Field::Name).unwrap_or_default(),
            decorators,
            calls: self.calls_inside(node),
            at: pos(node),
        }
    }

    fn class(&self, node: Node, decorators: Vec<String>) -> Class {
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if let Some(list) = self.child(node, Field::Superclasses) {
            self.arguments(list, &mut bases, &mut keywords);
        }
        Class {
            decorators,
            name: self.child_text(node, Field::Name).unwrap_or_default(),
            bases,
            keywords,
            body: self
                .child(node, Field::Body)
                .map(|b| self.block(b))
                .unwrap_or_default(),
            at: pos(node),
        }
    }

    fn import(&self, node: Node) -> Vec<Stmt> {
        self.field_children(node, Field::Name)
            .into_iter()
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
        let module = self.child_text(node, Field::ModuleName).unwrap_or_default();
        let names = self
            .field_children(node, Field::Name)
            .into_iter()
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

    /// Every child of `node` in `field`, in order.
    fn field_children<'t>(&self, node: Node<'t>, field: Field) -> Vec<Node<'t>> {
        let Some(id) = self.g.field_id(field) else {
            return Vec::new();
        };
        let mut cursor = node.walk();
        node.children_by_field_id(id, &mut cursor).collect()
    }

    /// `a.b` or `a.b as c`.
    fn dotted_alias(&self, node: Node) -> (String, Option<String>) {
        if self.g.kind(node) == Kind::AliasedImport {
            let name = self.child_text(node, Field::Name).unwrap_or_default();
            (name, self.child_text(node, Field::Alias))
        } else {
            (self.text(node).to_string(), None)
        }
    }

    fn expression_statement(&self, node: Node) -> Stmt {
        if self.g.kind(node) != Kind::Assignment {
            return Stmt::Expr(self.expr(node));
        }
        // `a = b = c` nests: assignment(left=a, right=assignment(left=b, right=c)).
        let mut targets = Vec::new();
        let mut annotation = None;
        let mut current = node;
        loop {
            match self.child(current, Field::Left) {
                Some(l) if self.g.kind(l) == Kind::Identifier => {
                    targets.push(self.text(l).to_string());
                }
                _ => {
                    return Stmt::Dynamic {
                        what: "assignment",
                        calls: self.calls_inside(node),
                        at: pos(node),
                    };
                }
            }
            if let Some(t) = self.child(current, Field::Type) {
                annotation = Some(self.expr(t));
            }
            match self.child(current, Field::Right) {
                Some(r) if self.g.kind(r) == Kind::Assignment => current = r,
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

    /// Names of every call under `node` (function bodies included) in the source order of the
    /// names, for dynamic-construct checks. One cursor walks the subtree; nothing in it is
    /// converted.
    fn calls_inside(&self, node: Node) -> Vec<String> {
        let mut found = Vec::new();
        let mut cursor = node.walk();
        loop {
            let n = cursor.node();
            if self.g.kind(n) == Kind::Call
                && let Some(name) = self
                    .child(n, Field::Function)
                    .and_then(|f| self.last_name(f))
            {
                found.push(name);
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    found.sort_by_key(|name| name.start_byte());
                    return found.iter().map(|n| self.text(*n).to_string()).collect();
                }
            }
        }
    }

    /// The node of what [`Expr::last_name`] gives for `self.expr(node)`, without converting
    /// `node`.
    fn last_name<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match self.g.kind(node) {
            Kind::Identifier => Some(node),
            Kind::Attribute => {
                self.child(node, Field::Object)?;
                self.child(node, Field::Attribute)
            }
            Kind::MemberType => {
                node.named_child(0)?;
                node.named_child(1)
            }
            Kind::Type | Kind::ParenthesizedExpression => self.last_name(node.named_child(0)?),
            _ => None,
        }
    }

    fn arguments(&self, list: Node, args: &mut Vec<Expr>, kwargs: &mut Vec<(String, Expr)>) {
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match self.g.kind(child) {
                Kind::KeywordArgument => {
                    let name = self.child_text(child, Field::Name).unwrap_or_default();
                    if let Some(value) = self.child(child, Field::Value) {
                        kwargs.push((name, self.expr(value)));
                    }
                }
                Kind::Comment => {}
                _ => args.push(self.expr(child)),
            }
        }
    }

    fn children(&self, node: Node) -> Vec<Expr> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| self.g.kind(*c) != Kind::Comment)
            .map(|c| self.expr(c))
            .collect()
    }

    fn expr(&self, node: Node) -> Expr {
        let at = pos(node);
        let kind = match self.g.kind(node) {
            Kind::Identifier => ExprKind::Name(self.text(node).to_string()),
            Kind::Attribute => match (
                self.child(node, Field::Object),
                self.child(node, Field::Attribute),
            ) {
                (Some(object), Some(attr)) => {
                    ExprKind::Attr(Box::new(self.expr(object)), self.text(attr).to_string())
                }
                _ => self.other(node),
            },
            Kind::Call => {
                let mut args = Vec::new();
                let mut kwargs = Vec::new();
                if let Some(list) = self.child(node, Field::Arguments)
                    && self.g.kind(list) == Kind::ArgumentList
                {
                    self.arguments(list, &mut args, &mut kwargs);
                }
                match self.child(node, Field::Function) {
                    Some(f) => ExprKind::Call {
                        func: Box::new(self.expr(f)),
                        args,
                        kwargs,
                    },
                    None => self.other(node),
                }
            }
            Kind::String => self.string(node),
            Kind::ConcatenatedString => {
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
            Kind::Integer => {
                let digits = self.text(node).replace('_', "");
                match digits.parse::<i64>() {
                    Ok(i) => ExprKind::Int(i),
                    Err(_) => self.other(node),
                }
            }
            Kind::Float => ExprKind::Float(self.text(node).to_string()),
            Kind::True => ExprKind::Bool(true),
            Kind::False => ExprKind::Bool(false),
            Kind::None => ExprKind::None,
            Kind::UnaryOperator => {
                let operand = self.child(node, Field::Argument).map(|a| self.expr(a));
                let op = self
                    .child(node, Field::Operator)
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
            Kind::Tuple | Kind::ExpressionList | Kind::PatternList => {
                ExprKind::Tuple(self.children(node))
            }
            Kind::List => ExprKind::List(self.children(node)),
            Kind::Dictionary => {
                let mut cursor = node.walk();
                let mut pairs = Vec::new();
                for pair in node.named_children(&mut cursor) {
                    match (self.child(pair, Field::Key), self.child(pair, Field::Value)) {
                        (Some(k), Some(v)) => pairs.push((self.expr(k), self.expr(v))),
                        _ if self.g.kind(pair) == Kind::Comment => {}
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
            Kind::Subscript => {
                let index = self
                    .field_children(node, Field::Subscript)
                    .into_iter()
                    .map(|s| self.expr(s))
                    .collect();
                match self.child(node, Field::Value) {
                    Some(v) => ExprKind::Subscript(Box::new(self.expr(v)), index),
                    None => self.other(node),
                }
            }
            // Annotations: `type` wraps an expression; `generic_type` is `Name[params]`,
            // `union_type` is `A | B`, `member_type` is `a.B`.
            Kind::Type | Kind::ParenthesizedExpression => match node.named_child(0) {
                Some(inner) => return self.expr(inner),
                None => self.other(node),
            },
            Kind::GenericType => {
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
            Kind::MemberType => match (node.named_child(0), node.named_child(1)) {
                (Some(object), Some(attr)) => {
                    ExprKind::Attr(Box::new(self.expr(object)), self.text(attr).to_string())
                }
                _ => self.other(node),
            },
            Kind::UnionType => match (node.named_child(0), node.named_child(1)) {
                (Some(l), Some(r)) => {
                    ExprKind::BitOr(Box::new(self.expr(l)), Box::new(self.expr(r)))
                }
                _ => self.other(node),
            },
            Kind::BinaryOperator => {
                let op = self
                    .child(node, Field::Operator)
                    .map(|o| self.text(o))
                    .unwrap_or("");
                match (
                    op,
                    self.child(node, Field::Left),
                    self.child(node, Field::Right),
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

    /// A string literal's value. f-strings are dynamic and stay [`ExprKind::Other`]; escapes
    /// are decoded as Python does unless the literal is raw.
    fn string(&self, node: Node) -> ExprKind {
        let mut body = String::new();
        let mut raw = false;
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match self.g.kind(part) {
                Kind::StringStart => {
                    let prefix = self.text(part).to_lowercase();
                    if prefix.contains('f') {
                        return self.other(node);
                    }
                    raw = prefix.contains('r');
                }
                Kind::StringContent | Kind::EscapeSequence => body.push_str(self.text(part)),
                Kind::Interpolation => return self.other(node),
                _ => {}
            }
        }
        ExprKind::Str(if raw { body } else { escapes::decode(&body) })
    }
}

/// `for_statement` → `for`, for messages.
fn statement_word(kind: Kind) -> &'static str {
    match kind {
        Kind::ForStatement => "for",
        Kind::WhileStatement => "while",
        Kind::IfStatement => "if",
        Kind::WithStatement => "with",
        Kind::TryStatement => "try",
        _ => "match",
    }
}
