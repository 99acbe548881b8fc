//! Names visible to model code: module-level assignments and classes of every module read.
//! Model packages import their own names freely (`from .base import Base`), so names are looked
//! up project-wide by their simple name; the first definition in path order wins.

use crate::python::ast::{Class, Expr, ExprKind, Module, Stmt};
use std::collections::HashMap;
use std::path::Path;

/// Scope indexes the module-level definitions of a set of modules.
pub struct Scope<'a> {
    values: HashMap<&'a str, &'a Expr>,
    classes: HashMap<&'a str, (&'a Path, &'a Class)>,
}

/// How many name-to-name hops [`Scope::resolve`] follows (guards against `a = b; b = a`).
const MAX_ALIAS_HOPS: usize = 8;

impl<'a> Scope<'a> {
    pub fn new(modules: &'a [Module]) -> Scope<'a> {
        let mut values = HashMap::new();
        let mut classes = HashMap::new();
        for module in modules {
            for stmt in &module.body {
                match stmt {
                    Stmt::Assign {
                        targets,
                        value: Some(value),
                        ..
                    } => {
                        for t in targets {
                            values.entry(t.as_str()).or_insert(value);
                        }
                    }
                    Stmt::Class(class) => {
                        classes
                            .entry(class.name.as_str())
                            .or_insert((module.path.as_path(), class));
                    }
                    _ => {}
                }
            }
        }
        Scope { values, classes }
    }

    /// The value a module-level name is bound to.
    pub fn value(&self, name: &str) -> Option<&'a Expr> {
        self.values.get(name).copied()
    }

    /// Follow plain names to the expression they are bound to (`convention` → its dict).
    pub fn resolve<'e>(&self, expr: &'e Expr) -> &'e Expr
    where
        'a: 'e,
    {
        let mut current = expr;
        for _ in 0..MAX_ALIAS_HOPS {
            match &current.kind {
                ExprKind::Name(n) => match self.value(n) {
                    Some(v) => current = v,
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// The class called `name` and the file it is in.
    pub fn class(&self, name: &str) -> Option<(&'a Path, &'a Class)> {
        self.classes.get(name).copied()
    }

    /// Members `(name, value)` of the Python enum class `name`, if it is one.
    pub fn enum_members(&self, name: &str) -> Option<Vec<(String, String)>> {
        let (_, class) = self.class(name)?;
        let is_enum = class.bases.iter().any(|b| {
            b.last_name()
                .is_some_and(|n| matches!(n, "Enum" | "IntEnum" | "StrEnum" | "Flag"))
        });
        if !is_enum {
            return None;
        }
        let members = class
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value: Some(v),
                    ..
                } if targets.len() == 1 && !targets[0].starts_with('_') => {
                    let value = match &v.kind {
                        ExprKind::Str(s) => s.clone(),
                        ExprKind::Int(i) => i.to_string(),
                        _ => targets[0].clone(),
                    };
                    Some((targets[0].clone(), value))
                }
                _ => None,
            })
            .collect();
        Some(members)
    }
}
