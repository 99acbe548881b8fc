//! Reads one PHP file with tree-sitter into the declarations the mapping needs: classes and
//! enums with their attributes, docblock annotations, parent class and properties. Names are
//! resolved through the file's namespace and `use` imports, the way PHP resolves them, so
//! `#[ORM\Column]`, `#[Column]` and `#[\Doctrine\ORM\Mapping\Column]` all read the same.

use crate::value::{Attribute, Pos, Value, ValueKind};
use crate::{docblock, skim};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use strata_schema::SourceError;
use tree_sitter::{Node, Parser, Point};

/// Class is a class (or enum) declaration with what the mapping reads from it.
#[derive(Debug, Clone)]
pub struct Class {
    /// Fully qualified name without the leading backslash.
    pub name: String,
    pub parent: Option<String>,
    /// For a backed enum, its backing type (`string`, `int`).
    pub enum_backing: Option<String>,
    /// For a backed enum, its cases and their values (a case is a valid column default).
    pub enum_cases: Vec<(String, Value)>,
    pub is_enum: bool,
    /// Attributes and docblock annotations on the class, in source order.
    pub attributes: Vec<Attribute>,
    pub properties: Vec<Property>,
    pub pos: Pos,
}

impl Class {
    /// The class name without its namespace.
    pub fn short_name(&self) -> &str {
        short(&self.name)
    }
}

/// The last segment of a qualified name.
pub fn short(name: &str) -> &str {
    name.rsplit('\\').next().unwrap_or(name)
}

/// Property is a declared (or constructor-promoted) property.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    /// Declared type: a primitive in lower case (`int`, `?` stripped) or a resolved class name.
    pub php_type: Option<String>,
    pub attributes: Vec<Attribute>,
    pub pos: Pos,
}

/// Names is the file's namespace and imports, used to resolve names.
struct Names<'s> {
    src: &'s str,
    file: Arc<PathBuf>,
    namespace: String,
    uses: HashMap<String, String>,
}

const PRIMITIVES: &[&str] = &[
    "int", "integer", "string", "bool", "boolean", "float", "double", "array", "mixed", "object",
    "iterable", "callable", "null", "void", "self", "static", "false", "true", "never",
];

impl Names<'_> {
    fn text(&self, n: Node) -> &str {
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

    /// Resolve a class name as PHP does: fully qualified, through an import, or relative to
    /// the current namespace.
    pub fn resolve(&self, name: &str) -> String {
        if let Some(abs) = name.strip_prefix('\\') {
            return abs.to_string();
        }
        let (first, rest) = match name.split_once('\\') {
            Some((f, r)) => (f, Some(r)),
            None => (name, None),
        };
        if let Some(target) = self.uses.get(&first.to_ascii_lowercase()) {
            return match rest {
                Some(r) => format!("{target}\\{r}"),
                None => target.clone(),
            };
        }
        if self.namespace.is_empty() {
            name.to_string()
        } else {
            format!("{}\\{name}", self.namespace)
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
    let mut names = Names {
        src,
        file,
        namespace: String::new(),
        uses: HashMap::new(),
    };
    if let Some(bad) = first_error(tree.root_node()) {
        let what = if bad.is_missing() {
            format!("PHP syntax error: missing `{}`", bad.kind())
        } else {
            "PHP syntax error".to_string()
        };
        return Err(names.pos(bad).error(what));
    }
    let mut classes = Vec::new();
    read_statements(tree.root_node(), &mut names, &mut classes)?;
    Ok(classes)
}

/// The whole file except function bodies (see [`skim`]); empty means the whole file.
fn included_ranges(src: &str) -> Vec<tree_sitter::Range> {
    let bodies = skim::function_bodies(src);
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

fn read_statements(node: Node, names: &mut Names, out: &mut Vec<Class>) -> Result<(), SourceError> {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "namespace_definition" => {
                names.namespace = child
                    .child_by_field_name("name")
                    .map(|n| names.text(n).to_string())
                    .unwrap_or_default();
                names.uses.clear();
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

/// The first node the parser could not make sense of, depth first (PHP would refuse the file).
fn first_error(node: Node) -> Option<Node> {
    if !node.has_error() {
        return None;
    }
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error).or(Some(node))
}

/// `use A\B;`, `use A\B as C;`, `use A\{B, C as D};`
fn read_use(node: Node, names: &mut Names) {
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

fn add_use_clause(clause: Node, prefix: &str, names: &mut Names) {
    let alias = clause
        .child_by_field_name("alias")
        .map(|a| names.text(a).to_string());
    let mut cursor = clause.walk();
    let Some(target) = clause
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "qualified_name" | "name"))
        .map(|c| format!("{prefix}{}", names.text(c).trim_start_matches('\\')))
    else {
        return;
    };
    let alias = alias.unwrap_or_else(|| short(&target).to_string());
    names.uses.insert(alias.to_ascii_lowercase(), target);
}

fn read_class(node: Node, names: &Names) -> Result<Class, SourceError> {
    let short_name = node
        .child_by_field_name("name")
        .map(|n| names.text(n).to_string())
        .unwrap_or_default();
    let name = if names.namespace.is_empty() {
        short_name
    } else {
        format!("{}\\{short_name}", names.namespace)
    };
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
                    .map(|c| names.resolve(names.text(c)));
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

fn read_property(node: Node, names: &Names, out: &mut Vec<Property>) -> Result<(), SourceError> {
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
fn read_promoted(node: Node, names: &Names, out: &mut Vec<Property>) -> Result<(), SourceError> {
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
fn type_name(node: Node, names: &Names) -> Option<String> {
    match node.kind() {
        "optional_type" => node.named_child(0).and_then(|n| type_name(n, names)),
        "primitive_type" => Some(names.text(node).to_ascii_lowercase()),
        "named_type" => {
            let text = names.text(node);
            if PRIMITIVES.contains(&text.to_ascii_lowercase().as_str()) {
                Some(text.to_ascii_lowercase())
            } else {
                Some(names.resolve(text))
            }
        }
        "union_type" => {
            // `Foo|null` is `?Foo`.
            let mut cursor = node.walk();
            let parts: Vec<String> = node
                .named_children(&mut cursor)
                .filter_map(|n| type_name(n, names))
                .filter(|t| t != "null")
                .collect();
            (parts.len() == 1).then(|| parts[0].clone())
        }
        _ => None,
    }
}

/// The docblock just before a declaration, read for annotations.
fn docblock_of(node: Node, names: &Names) -> Result<Vec<Attribute>, SourceError> {
    let Some(prev) = node.prev_named_sibling().filter(|p| p.kind() == "comment") else {
        return Ok(Vec::new());
    };
    let text = names.text(prev);
    if !text.starts_with("/**") || !text.contains('@') {
        return Ok(Vec::new());
    }
    docblock::read(text, names.pos(prev), &|n| names.resolve(n))
}

fn attributes_of(node: Node, names: &Names) -> Result<Vec<Attribute>, SourceError> {
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

fn read_attribute(node: Node, names: &Names) -> Result<Attribute, SourceError> {
    let mut cursor = node.walk();
    let name = node
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "name" | "qualified_name"))
        .map(|c| names.resolve(names.text(c)))
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

fn read_arguments(node: Node, names: &Names) -> Result<Vec<(Option<String>, Value)>, SourceError> {
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

fn read_value(node: Node, names: &Names) -> Result<Value, SourceError> {
    let pos = names.pos(node);
    let text = names.text(node);
    let kind = match node.kind() {
        "string" | "encapsed_string" => ValueKind::Str(unquote(text)),
        "integer" => {
            parse_int(text).map_or_else(|| ValueKind::Unsupported(text.into()), ValueKind::Int)
        }
        "float" => ValueKind::Float(text.to_string()),
        "boolean" => ValueKind::Bool(text.eq_ignore_ascii_case("true")),
        "null" => ValueKind::Null,
        "unary_op_expression" if text.starts_with('-') => {
            match node
                .child_by_field_name("argument")
                .map(|a| read_value(a, names))
                .transpose()?
            {
                Some(Value {
                    kind: ValueKind::Int(i),
                    ..
                }) => ValueKind::Int(-i),
                Some(Value {
                    kind: ValueKind::Float(f),
                    ..
                }) => ValueKind::Float(format!("-{f}")),
                _ => ValueKind::Unsupported(text.into()),
            }
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
                    class: names.resolve(names.text(*class)),
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
                .map(|c| names.resolve(names.text(*c)))
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

/// PHP integer literal: decimal, hex, octal or binary, with `_` separators.
fn parse_int(text: &str) -> Option<i64> {
    let t = text.replace('_', "");
    let lower = t.to_ascii_lowercase();
    if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse().ok()
    }
}

/// The value of a PHP string literal: single quotes unescape `\'` and `\\`; double quotes also
/// the common escapes.
pub fn unquote(text: &str) -> String {
    let (quote, inner) = match text.chars().next() {
        Some(q @ ('\'' | '"')) if text.len() >= 2 => (q, &text[1..text.len() - 1]),
        _ => return text.to_string(),
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match (quote, chars.next()) {
            (_, Some('\\')) => out.push('\\'),
            ('\'', Some('\'')) => out.push('\''),
            ('"', Some('"')) => out.push('"'),
            ('"', Some('n')) => out.push('\n'),
            ('"', Some('t')) => out.push('\t'),
            ('"', Some('$')) => out.push('$'),
            (_, Some(other)) => {
                out.push('\\');
                out.push(other);
            }
            (_, None) => out.push('\\'),
        }
    }
    out
}
