//! The declarations model readers look for in a file: every call with a named callee (with the
//! variable it is assigned to), and every class with its decorators and fields, including the
//! `__decorate([...], …)` form TypeScript compiles decorators to.

use super::source::{Pos, Source};
use super::value::{Expr, Value, expr};
use tree_sitter::Node;

/// Call is a call anywhere in the file: `sequelize.define(...)`, `Book.belongsTo(...)`.
#[derive(Debug, Clone)]
pub struct Call {
    pub callee: Vec<String>,
    pub args: Vec<Expr>,
    /// The variable or property the result is assigned to (`const Book = sequelize.define(…)`).
    pub bound_to: Option<String>,
    pub pos: Pos,
}

/// Class is a class declaration or a class expression bound to a name.
#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    /// The superclass as a path (`Model`, `typeorm_1.BaseEntity`), or its call (`Model<A>`
    /// is just `Model`).
    pub extends: Option<Expr>,
    pub decorators: Vec<Expr>,
    pub fields: Vec<Field>,
    pub is_abstract: bool,
    pub pos: Pos,
}

/// Field is a class property with its decorators.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub decorators: Vec<Expr>,
    /// The declared TypeScript type as written (`string | null`, `Date`), or the runtime
    /// design type compiled JavaScript records (`String`, `Number`).
    pub ty: Option<String>,
    pub pos: Pos,
}

/// Declarations is everything found in one file.
#[derive(Debug, Default)]
pub struct Declarations {
    pub calls: Vec<Call>,
    pub classes: Vec<Class>,
}

impl Declarations {
    /// The classes and calls of `src`.
    pub fn of(src: &Source) -> Declarations {
        let mut d = Declarations::default();
        visit(src, src.tree.root_node(), &mut d);
        d.apply_compiled_decorators();
        d
    }

    /// Move `__decorate([...], X.prototype, "p")` and `X = __decorate([...], X)` calls onto
    /// class `X`, as if the decorators had been written in the class.
    fn apply_compiled_decorators(&mut self) {
        let decorates: Vec<Call> = self
            .calls
            .iter()
            .filter(|c| c.callee.last().is_some_and(|n| n == "__decorate"))
            .cloned()
            .collect();
        for call in decorates {
            let (Some(list), Some(target)) = (call.args.first(), call.args.get(1)) else {
                continue;
            };
            let Value::Array(items) = &list.value else {
                continue;
            };
            let Value::Path(target) = &target.value else {
                continue;
            };
            let Some(class) = self.classes.iter_mut().find(|c| c.name == target[0]) else {
                continue;
            };
            let (decorators, design_type): (Vec<&Expr>, Vec<&Expr>) =
                items.iter().partition(|d| d.name() != Some("__metadata"));
            let decorators: Vec<Expr> = decorators.into_iter().cloned().collect();
            match (target.get(1).map(String::as_str), call.args.get(2)) {
                (Some("prototype"), Some(prop)) => {
                    let Some(name) = prop.as_str() else { continue };
                    let ty = design_type.iter().find_map(|m| match &m.value {
                        Value::Call { args, .. }
                            if args.first()?.as_str() == Some("design:type") =>
                        {
                            args.get(1)?.name().map(str::to_string)
                        }
                        _ => None,
                    });
                    match class.fields.iter_mut().find(|f| f.name == name) {
                        Some(f) => f.decorators.extend(decorators),
                        None => class.fields.push(Field {
                            name: name.to_string(),
                            decorators,
                            ty,
                            pos: call.pos,
                        }),
                    }
                }
                (None, _) => class.decorators.extend(decorators),
                _ => {}
            }
        }
        self.calls
            .retain(|c| c.callee.last().is_none_or(|n| n != "__decorate"));
    }
}

fn visit(src: &Source, node: Node, d: &mut Declarations) {
    match node.kind() {
        "call_expression" | "new_expression" => {
            if let Value::Call { callee, args } = expr(src, node).value {
                d.calls.push(Call {
                    callee,
                    args,
                    bound_to: binding(src, node),
                    pos: Pos::of(node),
                });
            }
        }
        "class_declaration" | "abstract_class_declaration" | "class" => {
            if let Some(class) = class(src, node) {
                d.classes.push(class);
            }
        }
        _ => {}
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        visit(src, child, d);
    }
}

/// The name a call's or class's value is assigned to: `const X = …`, `X = …`, `a.X = …`.
fn binding(src: &Source, node: Node) -> Option<String> {
    let mut parent = node.parent()?;
    while matches!(
        parent.kind(),
        "parenthesized_expression" | "as_expression" | "await_expression"
    ) {
        parent = parent.parent()?;
    }
    let target = match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name")?,
        "assignment_expression" => parent.child_by_field_name("left")?,
        _ => return None,
    };
    let target = match target.kind() {
        "member_expression" => target.child_by_field_name("property")?,
        _ => target,
    };
    Some(src.text(target).to_string())
}

fn class(src: &Source, node: Node) -> Option<Class> {
    let name = match node.child_by_field_name("name") {
        Some(n) => src.text(n).to_string(),
        None => binding(src, node)?,
    };
    let mut decorators = Vec::new();
    let mut extends = None;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "decorator" => decorators.extend(decorator(src, child)),
            "class_heritage" => extends = heritage(src, child),
            _ => {}
        }
    }
    // `@Entity() export class X` puts the decorators on the export statement.
    if let Some(parent) = node.parent().filter(|p| p.kind() == "export_statement") {
        let mut cursor = parent.walk();
        let outer: Vec<Expr> = parent
            .children(&mut cursor)
            .filter(|c| c.kind() == "decorator")
            .filter_map(|c| decorator(src, c))
            .collect();
        decorators.splice(0..0, outer);
    }
    let fields = node
        .child_by_field_name("body")
        .map(|body| {
            let mut cursor = body.walk();
            let members: Vec<Node> = body.named_children(&mut cursor).collect();
            fields(src, &members)
        })
        .unwrap_or_default();
    Some(Class {
        name,
        extends,
        decorators,
        fields,
        is_abstract: node.kind() == "abstract_class_declaration",
        pos: Pos::of(node),
    })
}

/// Class members; TypeScript places a member's decorators as siblings before it.
fn fields(src: &Source, members: &[Node]) -> Vec<Field> {
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for member in members {
        match member.kind() {
            "decorator" => pending.extend(decorator(src, *member)),
            "public_field_definition" | "field_definition" => {
                let mut decorators = std::mem::take(&mut pending);
                let mut cursor = member.walk();
                for child in member.children(&mut cursor) {
                    if child.kind() == "decorator" {
                        decorators.extend(decorator(src, child));
                    }
                }
                let Some(name) = member
                    .child_by_field_name("name")
                    .or_else(|| member.child_by_field_name("property"))
                else {
                    continue;
                };
                let ty = member
                    .child_by_field_name("type")
                    .map(|t| src.text(t).trim_start_matches(':').trim().to_string());
                out.push(Field {
                    name: src.text(name).to_string(),
                    decorators,
                    ty,
                    pos: Pos::of(*member),
                });
            }
            "comment" => {}
            _ => pending.clear(),
        }
    }
    out
}

fn decorator(src: &Source, node: Node) -> Option<Expr> {
    node.named_child(0).map(|e| expr(src, e))
}

fn heritage(src: &Source, node: Node) -> Option<Expr> {
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    for child in children {
        if child.kind() == "extends_clause" {
            return child.child_by_field_name("value").map(|v| expr(src, v));
        }
        if child.kind() != "implements_clause" {
            return Some(expr(src, child));
        }
    }
    None
}
