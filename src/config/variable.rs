//! `variable "name" { type = string  default = … }` blocks and their values from `-var`.
//!
//! As in Atlas and Terraform, every declared variable must end up with a value: its default or a
//! `-var name=value`. Setting an undeclared variable is an error too, so a typo on the command
//! line cannot silently fall back to a default.

use super::eval::{Scope, kind};
use super::shape::{self, Shape};
use super::text::{Text, WithHelp};
use crate::error::{Error, Located};
use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;
use hcl::{Map, Number, Value};

const SHAPE: Shape = Shape {
    what: "a variable block",
    attributes: &["type", "default", "description"],
    blocks: &[],
};

/// VarType is the declared type; `-var` values (always text) are converted to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VarType {
    String,
    Number,
    Bool,
    Any,
}

impl VarType {
    /// Read `type = string` (a bare keyword, as in Atlas and Terraform).
    fn read(text: &Text, expr: &Expression) -> Result<VarType, Box<Located>> {
        let name = match expr {
            Expression::Variable(ident) => ident.as_str(),
            _ => "",
        };
        match name {
            "string" => Ok(VarType::String),
            "number" => Ok(VarType::Number),
            "bool" => Ok(VarType::Bool),
            "any" => Ok(VarType::Any),
            _ => Err(text
                .error_at(expr, "unsupported variable type")
                .help("use one of: string, number, bool, any")),
        }
    }

    /// True when `value` fits this type.
    fn accepts(self, value: &Value) -> bool {
        match self {
            VarType::String => value.is_string(),
            VarType::Number => value.is_number(),
            VarType::Bool => value.is_boolean(),
            VarType::Any => true,
        }
    }

    /// Convert a `-var` value; `None` when the text does not fit the type.
    fn convert(self, raw: &str) -> Option<Value> {
        match self {
            VarType::String | VarType::Any => Some(Value::from(raw)),
            VarType::Bool => raw.parse::<bool>().ok().map(Value::from),
            VarType::Number => raw
                .parse::<i64>()
                .ok()
                .map(Number::from)
                .or_else(|| raw.parse::<f64>().ok().and_then(Number::from_f64))
                .map(Value::Number),
        }
    }

    fn name(self) -> &'static str {
        match self {
            VarType::String => "string",
            VarType::Number => "number",
            VarType::Bool => "bool",
            VarType::Any => "any",
        }
    }
}

/// Resolve the variables declared by `blocks` with the `-var NAME=VALUE` assignments into the
/// `var` object that expressions see.
pub(super) fn resolve(
    text: Option<&Text>,
    blocks: &[&Block],
    assignments: &[String],
) -> Result<Value, Error> {
    let given = parse_assignments(assignments)?;
    let mut vars = Map::new();
    if let Some(text) = text {
        let scope = Scope::functions();
        for block in blocks {
            let (name, value) = resolve_one(text, &scope, block, &given)?;
            if vars.insert(name.clone(), value).is_some() {
                return Err(text
                    .error_at_head(block, format!("variable `{name}` is declared twice"))
                    .into());
            }
        }
    }
    if let Some((name, _)) = given.iter().find(|(name, _)| !vars.contains_key(name)) {
        let declared: Vec<&str> = vars.keys().map(String::as_str).collect();
        let hint = if declared.is_empty() {
            "no variables are declared".to_string()
        } else {
            format!("declared variables: {}", declared.join(", "))
        };
        return Err(Error::Config(format!(
            "-var sets `{name}`, which no `variable \"{name}\" {{}}` block declares ({hint})"
        )));
    }
    Ok(Value::Object(vars))
}

/// One variable block: its name and its value (the `-var` one, else the default).
fn resolve_one(
    text: &Text,
    scope: &Scope,
    block: &Block,
    given: &[(String, String)],
) -> Result<(String, Value), Error> {
    SHAPE.check(text, &block.body)?;
    let name = shape::labels(text, block, 1, "variable \"NAME\" { type = string }")?[0].to_string();
    let ty = match block.body.get_attribute("type") {
        Some(attr) => VarType::read(text, &attr.value)?,
        None => VarType::Any,
    };
    if let Some((_, raw)) = given.iter().rev().find(|(n, _)| *n == name) {
        return ty.convert(raw).map(|v| (name.clone(), v)).ok_or_else(|| {
            Error::Config(format!(
                "-var {name}={raw}: variable `{name}` is a {}, and {raw:?} is not one",
                ty.name()
            ))
        });
    }
    let Some(default) = block.body.get_attribute("default") else {
        return Err(text
            .error_at_head(
                block,
                format!("variable `{name}` has no default and no value"),
            )
            .help(format!("set it with -var {name}=VALUE"))
            .into());
    };
    let value = scope.value(
        text,
        &default.value,
        &format!("the default of variable `{name}`"),
    )?;
    if !ty.accepts(&value) {
        return Err(text
            .error_at(
                &default.value,
                format!(
                    "variable `{name}` is a {}, its default is {}",
                    ty.name(),
                    kind(&value)
                ),
            )
            .into());
    }
    Ok((name, value))
}

/// Split `NAME=VALUE` assignments; the value may itself contain `=`.
fn parse_assignments(assignments: &[String]) -> Result<Vec<(String, String)>, Error> {
    assignments
        .iter()
        .map(|a| match a.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(Error::Config(format!("-var expects NAME=VALUE, got {a:?}"))),
        })
        .collect()
}
