//! Expression evaluation: the values an attribute can refer to (`var.x`, `getenv("X")`,
//! `data.external_schema.x.url`) and typed reads with errors located at the expression.

use super::text::Text;
use crate::error::Located;
use hcl::Value;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Attribute;
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};

/// Scope is what expressions may refer to at one stage of reading the file. Variable defaults
/// see only functions; everything else also sees `var` and `data`.
pub(super) struct Scope {
    ctx: Context<'static>,
}

impl Scope {
    /// Functions only (for variable defaults, which cannot refer to each other).
    pub fn functions() -> Scope {
        let mut ctx = Context::new();
        ctx.declare_func(
            "getenv",
            FuncDef::builder().param(ParamType::String).build(getenv),
        );
        Scope { ctx }
    }

    /// Functions plus the `var` and `data` objects.
    pub fn with(vars: Value, data: Value) -> Scope {
        let mut scope = Scope::functions();
        scope.ctx.declare_var("var", vars);
        scope.ctx.declare_var("data", data);
        scope
    }

    /// Evaluate `expr`; `what` names it in the message (`url`, `variable "x" default`).
    pub fn value(&self, text: &Text, expr: &Expression, what: &str) -> Result<Value, Box<Located>> {
        hcl::Expression::from(expr.clone())
            .evaluate(&self.ctx)
            .map_err(|e| text.error_at(expr, format!("cannot evaluate {what}: {}", e.kind())))
    }

    /// The attribute's value as a string.
    pub fn string(&self, text: &Text, attr: &Attribute) -> Result<String, Box<Located>> {
        let key = attr.key.as_str();
        match self.value(text, &attr.value, key)? {
            Value::String(s) => Ok(s),
            other => Err(wrong_type(text, attr, "a string", &other)),
        }
    }

    /// The attribute's value as a boolean.
    pub fn boolean(&self, text: &Text, attr: &Attribute) -> Result<bool, Box<Located>> {
        match self.value(text, &attr.value, attr.key.as_str())? {
            Value::Bool(b) => Ok(b),
            other => Err(wrong_type(text, attr, "true or false", &other)),
        }
    }

    /// The attribute's value as a non-negative whole number.
    pub fn count(&self, text: &Text, attr: &Attribute) -> Result<u64, Box<Located>> {
        match self.value(text, &attr.value, attr.key.as_str())? {
            Value::Number(n) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
            other => Err(wrong_type(text, attr, "a whole number", &other)),
        }
    }

    /// The attribute's value as a list of strings; a single string is a list of one, as Atlas
    /// allows for `src`.
    pub fn strings(&self, text: &Text, attr: &Attribute) -> Result<Vec<String>, Box<Located>> {
        let key = attr.key.as_str();
        match self.value(text, &attr.value, key)? {
            Value::String(s) => Ok(vec![s]),
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(items
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()),
            other => Err(wrong_type(
                text,
                attr,
                "a string or a list of strings",
                &other,
            )),
        }
    }
}

/// The error for an attribute whose value has the wrong type.
fn wrong_type(text: &Text, attr: &Attribute, expected: &str, found: &Value) -> Box<Located> {
    text.error_at(
        &attr.value,
        format!(
            "`{}` must be {expected}, found {}",
            attr.key.as_str(),
            kind(found)
        ),
    )
}

/// The name of a value's type, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `getenv("NAME")`: the environment variable, or an empty string when unset (as in Atlas).
fn getenv(args: FuncArgs) -> Result<Value, String> {
    let name = args[0].as_str().unwrap_or_default();
    Ok(Value::from(std::env::var(name).unwrap_or_default()))
}
