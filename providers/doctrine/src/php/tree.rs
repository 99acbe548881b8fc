//! The reference reader: parses a PHP file with tree-sitter and reads its declarations from the
//! syntax tree. It reads every file the [`super::fast`] reader declines, and reports syntax
//! errors at their place.

use super::names::{Names, union_type};
use super::{Class, Property, docblock, lexer, literal};
use crate::value::{Attribute, Pos, Value, ValueKind};
use std::path::PathBuf;
use std::sync::Arc;
use strata_schema::SourceError;
use strata_schema::syntax::{self, first_error};
use tree_sitter::{Node, Parser, Point};

/// Ctx is the file being read: its text, for node texts and positions, and its names.
struct Ctx<'s> {
    src: &'s str,
    file: Arc<PathBuf>,
    names: Names,
}

impl<'s> Ctx<'s> {
    fn text(&self, n: Node) -> &'s str {
        &self.src[n.byte_range()]
    }

    fn pos(&self, n: Node) -> Pos {
        let p = n.start_position();
        Pos {
            file: self.file.clone(),
            line: p.row + 1,
            column: p.column + 1,
        }
    }
}

/// A PHP parser, made once per thread and reused for every file it reads.
pub fn parser() -> Result<Parser, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_php::LANGUAGE_PHP_ONLY.into())
        .map_err(|e| e.to_string())?;
    Ok(parser)
}

/// Parse a PHP file into its class and enum declarations.
pub fn read_file(
    parser: &mut Parser,
    file: Arc<PathBuf>,
    src: &str,
) -> Result<Vec<Class>, SourceError> {
    parser
        .set_included_ranges(&included_ranges(src))
        .map_err(|_| {
            Pos {
                file: file.clone(),
                line: 1,
                column: 1,
            }
            .error("bad parse ranges")
        })?;
    let tree = parser.parse(src, None).ok_or_else(|| {
        Pos {
            file: file.clone(),
            line: 1,
            column: 1,
        }
        .error("PHP parser gave up")
    })?;
    let mut names = Ctx {
        src,
        file,
        names: Names::default(),
    };
    if let Some(bad) = first_error(tree.root_node()) {
        return Err(names
            .pos(bad)
            .error(syntax::describe("PHP", bad, src.as_bytes())));
    }
    let mut classes = Vec::new();
    read_statements(tree.root_node(), &mut names, &mut classes)?;
    Ok(classes)
}

/// The whole file except function bodies (see [`lexer`]); empty means the whole file.
fn included_ranges(src: &str) -> Vec<tree_sitter::Range> {
    let bodies = lexer::function_bodies(src);
    if bodies.is_empty() {
        return Vec::new();
    }
    let mut points = PointFinder {
        src: src.as_bytes(),
        at: 0,
        point: Point::new(0, 0),
    };
    let mut ranges = Vec::with_capacity(bodies.len() + 1);
    let mut start = 0;
    for body in bodies
        .into_iter()
        .chain(std::iter::once(src.len()..src.len()))
    {
        let (start_point, end_point) = (points.at(start), points.at(body.start));
        ranges.push(tree_sitter::Range {
            start_byte: start,
            end_byte: body.start,
            start_point,
            end_point,
        });
        start = body.end;
    }
    ranges
}

/// Row and column of increasing byte offsets, found in one pass.
struct PointFinder<'s> {
    src: &'s [u8],
    at: usize,
    point: Point,
}

impl PointFinder<'_> {
    fn at(&mut self, offset: usize) -> Point {
        for &b in &self.src[self.at..offset] {
            if b == b'\n' {
                self.point = Point::new(self.point.row + 1, 0);
            } else {
                self.point.column += 1;
            }
        }
        self.at = offset;
        self.point
    }
}

fn read_statements(node: Node, names: &mut Ctx, out: &mut Vec<Class>) -> Result<(), SourceError> {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "namespace_definition" => {
                let namespace = child
                    .child_by_field_name("name")
                    .map_or("", |n| names.text(n));
                names.names.enter(namespace);
                if let Some(body) = child.child_by_field_name("body") {
                    read_statements(body, names, out)?;
                }
            }
            "namespace_use_declaration" => read_use(child, names),
            "class_declaration" | "enum_declaration" => out.push(read_class(child, names)?),
            _ => {}
        }
    }
    Ok(())
}

/// `use A\B;`, `use A\B as C;`, `use A\{B, C as D};`
fn read_use(node: Node, names: &mut Ctx) {
    let mut prefix = String::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "namespace_name" => prefix = format!("{}\\", names.text(child)),
            "namespace_use_clause" => add_use_clause(child, &prefix, names),
            "namespace_use_group" => {
                let mut c2 = child.walk();
                for clause in child.named_children(&mut c2) {
                    if clause.kind() == "namespace_use_clause" {
                        add_use_clause(clause, &prefix, names);
                    }
                }
            }
            _ => {}
        }
    }
}

fn add_use_clause(clause: Node, prefix: &str, names: &mut Ctx) {
    let alias = clause.child_by_field_name("alias");
    let mut cursor = clause.walk();
    if let Some(target) = clause
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "qualified_name" | "name"))
    {
        let (target, alias) = (names.text(target), alias.map(|a| names.text(a)));
        names.names.import(prefix, target, alias);
    }
}

fn read_class(node: Node, names: &Ctx) -> Result<Class, SourceError> {
    let short_name = node
        .child_by_field_name("name")
        .map(|n| names.text(n).to_string())
        .unwrap_or_default();
    let name = names.names.declared(&short_name);
    let is_enum = node.kind() == "enum_declaration";
    let mut parent = None;
    let mut enum_backing = None;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "base_clause" => {
                let mut c2 = child.walk();
                parent = child
                    .named_children(&mut c2)
                    .find(|c| matches!(c.kind(), "name" | "qualified_name"))
                    .map(|c| names.names.resolve(names.text(c)));
            }
            "primitive_type" if is_enum => enum_backing = Some(names.text(child).to_string()),
            _ => {}
        }
    }
    let mut attributes = docblock_of(node, names)?;
    attributes.extend(attributes_of(node, names)?);
    let mut properties = Vec::new();
    let mut enum_cases = Vec::new();
    if let Some(body) = node.child_by_field_name("body") {
        let mut c2 = body.walk();
        for member in body.named_children(&mut c2) {
            match member.kind() {
                "property_declaration" => read_property(member, names, &mut properties)?,
                "method_declaration" => read_promoted(member, names, &mut properties)?,
                "enum_case" => {
                    if let (Some(case), Some(value)) = (
                        member.child_by_field_name("name"),
                        member.child_by_field_name("value"),
                    ) {
                        enum_cases.push((names.text(case).to_string(), read_value(value, names)?));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(Class {
        name,
        parent,
        enum_backing,
        enum_cases,
        is_enum,
        attributes,
        properties,
        pos: names.pos(node),
    })
}

fn read_property(node: Node, names: &Ctx, out: &mut Vec<Property>) -> Result<(), SourceError> {
    let mut attributes = docblock_of(node, names)?;
    attributes.extend(attributes_of(node, names)?);
    let php_type = node
        .child_by_field_name("type")
        .and_then(|t| type_name(t, names));
    let mut cursor = node.walk();
    for element in node.named_children(&mut cursor) {
        if element.kind() != "property_element" {
            continue;
        }
        if let Some(var) = element.child_by_field_name("name") {
            out.push(Property {
                name: names.text(var).trim_start_matches('$').to_string(),
                php_type: php_type.clone(),
                attributes: attributes.clone(),
                pos: names.pos(var),
            });
        }
    }
    Ok(())
}

/// Constructor-promoted properties (`public function __construct(#[ORM\Column] private int $a)`).
fn read_promoted(node: Node, names: &Ctx, out: &mut Vec<Property>) -> Result<(), SourceError> {
    let is_constructor = node
        .child_by_field_name("name")
        .is_some_and(|n| names.text(n).eq_ignore_ascii_case("__construct"));
    let Some(params) = node
        .child_by_field_name("parameters")
        .filter(|_| is_constructor)
    else {
        return Ok(());
    };
    let mut cursor = params.walk();
    for param in params.named_children(&mut cursor) {
        if param.kind() != "property_promotion_parameter" {
            continue;
        }
        if let Some(var) = param.child_by_field_name("name") {
            out.push(Property {
                name: names.text(var).trim_start_matches('$').to_string(),
                php_type: param
                    .child_by_field_name("type")
                    .and_then(|t| type_name(t, names)),
                attributes: attributes_of(param, names)?,
                pos: names.pos(var),
            });
        }
    }
    Ok(())
}

/// The single type a property declares (`?Foo` → `Foo`); `None` for unions and intersections.
fn type_name(node: Node, names: &Ctx) -> Option<String> {
    match node.kind() {
        "optional_type" => node.named_child(0).and_then(|n| type_name(n, names)),
        "primitive_type" => Some(names.text(node).to_ascii_lowercase()),
        "named_type" => Some(names.names.type_name(names.text(node))),
        "union_type" => {
            let mut cursor = node.walk();
            let parts: Vec<Option<String>> = node
                .named_children(&mut cursor)
                .map(|n| type_name(n, names))
                .collect();
            union_type(parts)
        }
        _ => None,
    }
}

/// The docblock just before a declaration, read for annotations.
fn docblock_of(node: Node, names: &Ctx) -> Result<Vec<Attribute>, SourceError> {
    match node.prev_named_sibling().filter(|p| p.kind() == "comment") {
        Some(prev) => docblock(names.text(prev), names.pos(prev), &names.names),
        None => Ok(Vec::new()),
    }
}

fn attributes_of(node: Node, names: &Ctx) -> Result<Vec<Attribute>, SourceError> {
    let Some(list) = node.child_by_field_name("attributes") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut c1 = list.walk();
    for group in list.named_children(&mut c1) {
        let mut c2 = group.walk();
        for attr in group.named_children(&mut c2) {
            if attr.kind() == "attribute" {
                out.push(read_attribute(attr, names)?);
            }
        }
    }
    Ok(out)
}

fn read_attribute(node: Node, names: &Ctx) -> Result<Attribute, SourceError> {
    let mut cursor = node.walk();
    let name = node
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "name" | "qualified_name"))
        .map(|c| names.names.resolve(names.text(c)))
        .unwrap_or_default();
    let args = match node.child_by_field_name("parameters") {
        Some(a) => read_arguments(a, names)?,
        None => Vec::new(),
    };
    Ok(Attribute {
        name,
        args,
        pos: names.pos(node),
    })
}

fn read_arguments(node: Node, names: &Ctx) -> Result<Vec<(Option<String>, Value)>, SourceError> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    for arg in node.named_children(&mut cursor) {
        if arg.kind() != "argument" {
            continue;
        }
        let name = arg
            .child_by_field_name("name")
            .map(|n| names.text(n).to_string());
        let mut c2 = arg.walk();
        let Some(expr) = arg
            .named_children(&mut c2)
            .filter(|c| Some(*c) != arg.child_by_field_name("name"))
            .last()
        else {
            continue;
        };
        out.push((name, read_value(expr, names)?));
    }
    Ok(out)
}

fn read_value(node: Node, names: &Ctx) -> Result<Value, SourceError> {
    let pos = names.pos(node);
    let text = names.text(node);
    let kind = match node.kind() {
        "string" | "encapsed_string" => ValueKind::Str(literal::unquote(text)),
        "integer" => literal::integer(text),
        "float" => ValueKind::Float(text.to_string()),
        "boolean" => ValueKind::Bool(text.eq_ignore_ascii_case("true")),
        "null" => ValueKind::Null,
        "unary_op_expression" if text.starts_with('-') => {
            let argument = node
                .child_by_field_name("argument")
                .map(|a| read_value(a, names))
                .transpose()?;
            literal::negate(argument.map(|a| a.kind), text)
        }
        "array_creation_expression" => {
            let mut items = Vec::new();
            let mut cursor = node.walk();
            for element in node.named_children(&mut cursor) {
                if element.kind() != "array_element_initializer" {
                    continue;
                }
                let mut c2 = element.walk();
                let parts: Vec<Node> = element.named_children(&mut c2).collect();
                match parts.as_slice() {
                    [v] => items.push((None, read_value(*v, names)?)),
                    [k, v] => items.push((Some(read_value(*k, names)?), read_value(*v, names)?)),
                    _ => return Err(names.pos(element).error("unsupported array element")),
                }
            }
            ValueKind::Array(items)
        }
        "class_constant_access_expression" => {
            let mut cursor = node.walk();
            let parts: Vec<Node> = node.named_children(&mut cursor).collect();
            match parts.as_slice() {
                [class, constant] => ValueKind::ClassConst {
                    class: names.names.resolve(names.text(*class)),
                    name: names.text(*constant).to_string(),
                },
                _ => ValueKind::Unsupported(text.into()),
            }
        }
        "name" | "qualified_name" => ValueKind::Const(text.to_string()),
        "object_creation_expression" => {
            let mut cursor = node.walk();
            let children: Vec<Node> = node.named_children(&mut cursor).collect();
            let class = children
                .iter()
                .find(|c| matches!(c.kind(), "name" | "qualified_name"))
                .map(|c| names.names.resolve(names.text(*c)))
                .unwrap_or_default();
            let args = match children.iter().find(|c| c.kind() == "arguments") {
                Some(a) => read_arguments(*a, names)?,
                None => Vec::new(),
            };
            ValueKind::Attr(Box::new(Attribute {
                name: class,
                args,
                pos: pos.clone(),
            }))
        }
        "parenthesized_expression" => {
            return match node.named_child(0) {
                Some(inner) => read_value(inner, names),
                None => Ok(Value {
                    kind: ValueKind::Unsupported(text.into()),
                    pos,
                }),
            };
        }
        _ => ValueKind::Unsupported(text.to_string()),
    };
    Ok(Value { kind, pos })
}
