//! Declarative classes: which classes are bases (`DeclarativeBase`, `declarative_base()`,
//! `registry().generate_base()`, `@registry.mapped`), which are mapped to tables, and which
//! are mixins or abstract bases whose columns are copied into their subclasses.

use crate::naming::Naming;
use crate::python::ast::{Class, Expr, ExprKind, Stmt};
use crate::scope::Scope;
use std::collections::BTreeMap;

/// Registry is what a declarative base brings to its classes: its MetaData's naming convention
/// and its `type_annotation_map`.
#[derive(Debug, Clone, Default)]
pub struct Registry<'a> {
    pub naming: Naming,
    /// `type_annotation_map` entries: (annotation key text, type expression).
    pub annotation_map: Vec<(String, &'a Expr)>,
}

/// Classes whose subclasses are declarative without being mapped themselves.
const BASE_CLASSES: &[&str] = &["DeclarativeBase", "DeclarativeBaseNoMeta"];

/// The registry a class belongs to, if it is declarative (a mapped class, an abstract class or a
/// declarative base itself), found through its base classes.
pub fn registry_of<'a>(class: &'a Class, scope: &Scope<'a>) -> Option<Registry<'a>> {
    registry_rec(class, scope, 0)
}

const MAX_DEPTH: usize = 32;

fn registry_rec<'a>(class: &'a Class, scope: &Scope<'a>, depth: usize) -> Option<Registry<'a>> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(reg) = class
        .decorators
        .iter()
        .filter_map(|d| d.strip_suffix(".mapped"))
        .find_map(|r| scope.value(r))
        .map(|call| registry_from_call(call, scope))
    {
        return Some(reg);
    }
    for base in &class.bases {
        let Some(name) = base.last_name() else {
            continue;
        };
        if BASE_CLASSES.contains(&name) {
            return Some(registry_from_body(class, scope));
        }
        if let Some((_, parent)) = scope.class(name)
            && !std::ptr::eq(parent, class)
            && let Some(reg) = registry_rec(parent, scope, depth + 1)
        {
            return Some(reg);
        }
        if let Some(value) = scope.value(name)
            && let Some(reg) = registry_from_factory(value, scope)
        {
            return Some(reg);
        }
    }
    None
}

/// True when `class` is itself a declarative base (subclasses `DeclarativeBase`).
pub fn is_base(class: &Class) -> bool {
    class
        .bases
        .iter()
        .any(|b| b.last_name().is_some_and(|n| BASE_CLASSES.contains(&n)))
}

/// `declarative_base(metadata=…)` or `reg.generate_base()` → the registry they create.
fn registry_from_factory<'a>(value: &'a Expr, scope: &Scope<'a>) -> Option<Registry<'a>> {
    match &value.kind {
        ExprKind::Call { func, .. } => match func.last_name()? {
            "declarative_base" => Some(registry_from_call(value, scope)),
            "generate_base" => {
                let ExprKind::Attr(owner, _) = &func.kind else {
                    return None;
                };
                let reg = scope.resolve(owner);
                Some(registry_from_call(reg, scope))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A `registry(...)` / `declarative_base(...)` call's `metadata=` and `type_annotation_map=`.
fn registry_from_call<'a>(call: &'a Expr, scope: &Scope<'a>) -> Registry<'a> {
    Registry {
        naming: call
            .kwarg("metadata")
            .map(|m| naming_of_metadata(m, scope))
            .unwrap_or_default(),
        annotation_map: call
            .kwarg("type_annotation_map")
            .map(|m| annotation_map(m, scope))
            .unwrap_or_default(),
    }
}

/// A `DeclarativeBase` subclass's `metadata = MetaData(...)`, `type_annotation_map = {...}`
/// and `registry = registry(...)`.
fn registry_from_body<'a>(class: &'a Class, scope: &Scope<'a>) -> Registry<'a> {
    let mut reg = Registry::default();
    for stmt in &class.body {
        let Stmt::Assign {
            targets,
            value: Some(value),
            ..
        } = stmt
        else {
            continue;
        };
        for target in targets {
            match target.as_str() {
                "metadata" => reg.naming = naming_of_metadata(value, scope),
                "type_annotation_map" => reg.annotation_map = annotation_map(value, scope),
                "registry" => {
                    let inner = registry_from_call(scope.resolve(value), scope);
                    if value.kwarg("metadata").is_some()
                        || scope.resolve(value).kwarg("metadata").is_some()
                    {
                        reg.naming = inner.naming;
                    }
                    reg.annotation_map.extend(inner.annotation_map);
                }
                _ => {}
            }
        }
    }
    reg
}

/// The naming convention of a `MetaData(naming_convention=…)` expression (or a name bound to
/// one, or `Base.metadata`).
pub fn naming_of_metadata(expr: &Expr, scope: &Scope) -> Naming {
    let expr = scope.resolve(expr);
    if let ExprKind::Attr(owner, attr) = &expr.kind
        && attr == "metadata"
        && let Some(name) = owner.last_name()
    {
        if let Some((_, class)) = scope.class(name) {
            return registry_of(class, scope).unwrap_or_default().naming;
        }
        if let Some(value) = scope.value(name)
            && let Some(reg) = registry_from_factory(value, scope)
        {
            return reg.naming;
        }
    }
    let mut templates = BTreeMap::new();
    let Some(conv) = expr.kwarg("naming_convention") else {
        return Naming::default();
    };
    if let ExprKind::Dict(pairs) = &scope.resolve(conv).kind {
        for (k, v) in pairs {
            if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                templates.insert(k.to_string(), v.to_string());
            }
        }
    }
    Naming::new(templates)
}

fn annotation_map<'a>(expr: &'a Expr, scope: &Scope<'a>) -> Vec<(String, &'a Expr)> {
    match &scope.resolve(expr).kind {
        ExprKind::Dict(pairs) => pairs.iter().map(|(k, v)| (key_text(k), v)).collect(),
        _ => Vec::new(),
    }
}

/// Canonical text of an annotation used as a `type_annotation_map` key: `dict[str, Any]` →
/// `dict[str,Any]`, `datetime.datetime` kept dotted.
pub fn key_text(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Subscript(base, index) => {
            let inner: Vec<String> = index.iter().map(key_text).collect();
            format!("{}[{}]", key_text(base), inner.join(","))
        }
        ExprKind::Str(s) => s.clone(),
        _ => expr.path().unwrap_or_else(|| expr.describe()),
    }
}

/// Whether the class body sets `__abstract__ = True`.
pub fn is_abstract(class: &Class) -> bool {
    class.body.iter().any(|s| {
        matches!(s, Stmt::Assign { targets, value: Some(v), .. }
            if targets.iter().any(|t| t == "__abstract__") && v.as_bool() == Some(true))
    })
}
