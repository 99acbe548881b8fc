//! The declarations model readers look for in a file: every call with a named callee (with the
//! variable it is assigned to), and every class with its decorators and fields, including the
//! `__decorate([...], …)` form TypeScript compiles decorators to.

use super::kinds::Ids;
use super::source::{Pos, Source};
use super::value::{Expr, Reader, Value, expr, first_named, named_children};
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
    /// Other names the class is bound to: compiled TypeScript refers to a class from inside
    /// itself through an alias (`let Invoice = Invoice_1 = class Invoice {…}`).
    pub aliases: Vec<String>,
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

/// Enum is a TypeScript `enum`, declared or compiled (`(function (E) { E["A"] = "a"; })(E || …)`),
/// with its members' values (numbers counted on as TypeScript does).
#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub members: Vec<(String, Expr)>,
    pub pos: Pos,
}

/// Declarations is everything found in one file.
#[derive(Debug, Default)]
pub struct Declarations {
    pub calls: Vec<Call>,
    pub classes: Vec<Class>,
    pub enums: Vec<Enum>,
}

/// Calls is which calls a reader needs collected. Converting a call's arguments into values is
/// most of the work of collecting declarations, so a reader that only looks at classes says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calls {
    /// Every call with a plain callee (Sequelize: `define`, `init`, associations, …).
    All,
    /// None but the `__decorate(…)` calls compiled TypeScript applies class decorators with,
    /// which become part of the classes (TypeORM). Neither the inside of a class nor the
    /// arguments of those calls are searched further: entities and enums are never declared
    /// there.
    OfClasses,
}

impl Calls {
    pub(super) fn wants(self, callee: &[String]) -> bool {
        match self {
            Calls::All => true,
            Calls::OfClasses => callee.last().is_some_and(|n| n == "__decorate"),
        }
    }
}

impl Declarations {
    /// The classes and enums of `src`'s syntax tree (none without one), and the calls `calls`
    /// asks for.
    pub fn collect(src: &Source, calls: Calls) -> Declarations {
        let mut d = Declarations::default();
        if let Some(tree) = &src.tree {
            visit(src, tree.root_node(), calls, &mut d);
        }
        d.apply_compiled_decorators();
        d
    }

    /// Move `__decorate([...], X.prototype, "p")` and `X = __decorate([...], X)` calls onto
    /// class `X`, as if the decorators had been written in the class.
    pub(super) fn apply_compiled_decorators(&mut self) {
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

/// Collect the calls and classes under `root`, walking the tree with one cursor (a cursor per
/// node costs more than the visit itself). `collect_calls` is false inside a collected call's
/// arguments (their calls are already part of its value, converting them again would double
/// the work) until a function body starts, whose statements are code of their own.
fn visit(src: &Source, root: Node, calls: Calls, d: &mut Declarations) {
    let mut cursor = root.walk();
    // Whether calls are collected, for the nodes at each depth of the cursor.
    let mut collect = vec![true];
    loop {
        let node = cursor.node();
        let here = collect.last().copied().unwrap_or(true);
        let below = if node.is_named() {
            enter(src, node, here, calls, d)
        } else {
            None
        };
        if let Some(below) = below
            && cursor.goto_first_child()
        {
            collect.push(below);
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
            collect.pop();
        }
    }
}

/// Collect what `node` declares; the `collect_calls` of its children, or `None` when they
/// hold nothing more: an enum, an import, a collected call whose arguments were read whole,
/// and with `Calls::OfClasses` a class or any collected call (class bodies and decorator lists
/// hold no further entity or enum).
fn enter(
    src: &Source,
    node: Node,
    collect_calls: bool,
    calls: Calls,
    d: &mut Declarations,
) -> Option<bool> {
    let k = &src.ids().kind;
    let everything = calls == Calls::All;
    match node.kind_id() {
        id if id == k.call_expression || id == k.new_expression => {
            if let Some(e) = compiled_enum(src, node) {
                d.enums.push(e);
                return None;
            }
            let mut reader = Reader::new(src);
            if collect_calls
                && let Some(callee) = reader.callee(node)
                && calls.wants(&callee)
            {
                d.calls.push(Call {
                    callee,
                    args: reader.arguments(node),
                    bound_to: binding(src, node),
                    pos: Pos::of(node),
                });
                // Arguments read whole hold no function body, class or enum to look into.
                return (everything && !reader.whole).then_some(false);
            }
        }
        id if id == k.class_declaration || id == k.abstract_class_declaration || id == k.class => {
            if let Some(class) = class(src, node) {
                d.classes.push(class);
            }
            if !everything {
                return None;
            }
        }
        id if id == k.enum_declaration => {
            if let Some(e) = declared_enum(src, node) {
                d.enums.push(e);
            }
            return None;
        }
        // Names only: no call, class or enum.
        id if id == k.import_statement => return None,
        id if id == k.statement_block || id == k.class_body => return Some(true),
        _ => {}
    }
    Some(collect_calls)
}

/// Member values of an enum: explicit ones as written, the others counted on from the previous
/// number (0 first), as TypeScript numbers them.
pub(super) fn number_members(members: Vec<(String, Option<Expr>, Pos)>) -> Vec<(String, Expr)> {
    let mut next = Some(0i64);
    members
        .into_iter()
        .map(|(name, value, pos)| {
            let value = value.unwrap_or_else(|| Expr {
                value: next.map_or(Value::Other("enum_member".into()), |n| {
                    Value::Num(n.to_string())
                }),
                pos,
            });
            next = match &value.value {
                Value::Num(n) => n.parse::<i64>().ok().map(|n| n + 1),
                _ => None,
            };
            (name, value)
        })
        .collect()
}

/// `enum E { A = "a", B }` in TypeScript.
fn declared_enum(src: &Source, node: Node) -> Option<Enum> {
    let Ids { kind: k, field: f } = src.ids();
    let name = src.text(node.child_by_field_id(f.name)?).to_string();
    let body = node.child_by_field_id(f.body)?;
    let mut members = Vec::new();
    for member in named_children(body) {
        match member.kind_id() {
            id if id == k.property_identifier || id == k.string => {
                members.push((member_name(src, member), None, Pos::of(member)))
            }
            id if id == k.enum_assignment => {
                let key = member.child_by_field_id(f.name)?;
                let value = member.child_by_field_id(f.value).map(|v| expr(src, v));
                members.push((member_name(src, key), value, Pos::of(member)));
            }
            _ => {}
        }
    }
    Some(Enum {
        name,
        members: number_members(members),
        pos: Pos::of(node),
    })
}

fn member_name(src: &Source, node: Node) -> String {
    match expr(src, node).value {
        Value::Str(s) => s,
        _ => src.text(node).to_string(),
    }
}

/// The enum TypeScript compiles to `(function (E) { E["A"] = "a"; E[E["B"] = 1] = "B"; })(E || …)`.
fn compiled_enum(src: &Source, node: Node) -> Option<Enum> {
    let Ids { kind: k, field: f } = src.ids();
    let function = node.child_by_field_id(f.function)?;
    if function.kind_id() != k.parenthesized_expression {
        return None;
    }
    let function = first_named(function)?;
    if function.kind_id() != k.function_expression {
        return None;
    }
    let mut params = named_children(function.child_by_field_id(f.parameters)?);
    let param = src.text(params.next()?);
    if params.next().is_some() {
        return None;
    }
    let mut members = Vec::new();
    for statement in named_children(function.child_by_field_id(f.body)?) {
        let assignment = first_named(statement)?;
        if statement.kind_id() != k.expression_statement
            || assignment.kind_id() != k.assignment_expression
        {
            return None;
        }
        let mut target = assignment.child_by_field_id(f.left)?;
        let mut value = assignment.child_by_field_id(f.right)?;
        // Numeric members also map the value back to the name: `E[E["B"] = 1] = "B"`.
        let index = target.child_by_field_id(f.index)?;
        if index.kind_id() == k.assignment_expression {
            target = index.child_by_field_id(f.left)?;
            value = index.child_by_field_id(f.right)?;
        }
        let object = target.child_by_field_id(f.object)?;
        if target.kind_id() != k.subscript_expression || src.text(object) != param {
            return None;
        }
        let key = target.child_by_field_id(f.index)?;
        members.push((
            member_name(src, key),
            Some(expr(src, value)),
            Pos::of(statement),
        ));
    }
    Some(Enum {
        name: param.to_string(),
        members: number_members(members),
        pos: Pos::of(node),
    })
}

/// The name a call's or class's value is assigned to: `const X = …`, `X = …`, `a.X = …`.
fn binding(src: &Source, node: Node) -> Option<String> {
    let Ids { kind: k, field: f } = src.ids();
    let mut parent = node.parent()?;
    while [
        k.parenthesized_expression,
        k.as_expression,
        k.await_expression,
    ]
    .contains(&parent.kind_id())
    {
        parent = parent.parent()?;
    }
    let target = match parent.kind_id() {
        id if id == k.variable_declarator => parent.child_by_field_id(f.name)?,
        id if id == k.assignment_expression => parent.child_by_field_id(f.left)?,
        _ => return None,
    };
    let target = match target.kind_id() {
        id if id == k.member_expression => target.child_by_field_id(f.property)?,
        _ => target,
    };
    Some(src.text(target).to_string())
}

/// The names of a chained assignment around a class expression: `A = B = class …` gives both.
fn aliases(src: &Source, node: Node) -> Vec<String> {
    let Ids { kind: k, field: f } = src.ids();
    let mut out = Vec::new();
    let mut current = node;
    while let Some(parent) = current.parent() {
        let target = match parent.kind_id() {
            id if id == k.assignment_expression => parent.child_by_field_id(f.left),
            id if id == k.variable_declarator => parent.child_by_field_id(f.name),
            _ => break,
        };
        if let Some(t) = target.filter(|t| t.kind_id() == k.identifier) {
            out.push(src.text(t).to_string());
        }
        current = parent;
    }
    out
}

fn class(src: &Source, node: Node) -> Option<Class> {
    let Ids { kind: k, field: f } = src.ids();
    let name = match node.child_by_field_id(f.name) {
        Some(n) => src.text(n).to_string(),
        None => binding(src, node)?,
    };
    let mut decorators = Vec::new();
    let mut extends = None;
    for child in named_children(node) {
        match child.kind_id() {
            id if id == k.decorator => decorators.extend(decorator(src, child)),
            id if id == k.class_heritage => extends = heritage(src, child),
            _ => {}
        }
    }
    // `@Entity() export class X` puts the decorators on the export statement.
    if let Some(parent) = node.parent().filter(|p| p.kind_id() == k.export_statement) {
        let outer: Vec<Expr> = named_children(parent)
            .filter(|c| c.kind_id() == k.decorator)
            .filter_map(|c| decorator(src, c))
            .collect();
        decorators.splice(0..0, outer);
    }
    let fields = node
        .child_by_field_id(f.body)
        .map(|body| fields(src, named_children(body)))
        .unwrap_or_default();
    Some(Class {
        name,
        extends,
        decorators,
        fields,
        is_abstract: node.kind_id() == k.abstract_class_declaration,
        aliases: aliases(src, node),
        pos: Pos::of(node),
    })
}

/// Class members; TypeScript places a member's decorators as siblings before it.
fn fields<'t>(src: &Source, members: impl Iterator<Item = Node<'t>>) -> Vec<Field> {
    let Ids { kind: k, field: f } = src.ids();
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for member in members {
        match member.kind_id() {
            id if id == k.decorator => pending.extend(decorator(src, member)),
            id if id == k.public_field_definition || id == k.field_definition => {
                let mut decorators = std::mem::take(&mut pending);
                for child in named_children(member) {
                    if child.kind_id() == k.decorator {
                        decorators.extend(decorator(src, child));
                    }
                }
                let Some(name) = member
                    .child_by_field_id(f.name)
                    .or_else(|| member.child_by_field_id(f.property))
                else {
                    continue;
                };
                // The type node of the annotation: its text is the type as written, without the
                // `:` and any comment before it.
                let ty = member
                    .child_by_field_id(f.ty)
                    .and_then(first_named)
                    .map(|t| src.text(t).to_string());
                out.push(Field {
                    name: src.text(name).to_string(),
                    decorators,
                    ty,
                    pos: Pos::of(member),
                });
            }
            _ => pending.clear(),
        }
    }
    out
}

fn decorator(src: &Source, node: Node) -> Option<Expr> {
    first_named(node).map(|e| expr(src, e))
}

fn heritage(src: &Source, node: Node) -> Option<Expr> {
    let Ids { kind: k, field: f } = src.ids();
    for child in named_children(node) {
        if child.kind_id() == k.extends_clause {
            return child.child_by_field_id(f.value).map(|v| expr(src, v));
        }
        if child.kind_id() != k.implements_clause {
            return Some(expr(src, child));
        }
    }
    None
}
