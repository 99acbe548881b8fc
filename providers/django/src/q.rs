//! Django `Q(...)` objects → SQL, as the backends compile the conditions of check
//! constraints and partial indexes: `Q(price__gte=0) & ~Q(state="lost")`.

use strata_schema::Dialect;
use strata_sqlalchemy::python::ast::{Expr, ExprKind, Pos};

/// Compile a condition; `column` maps a field name to its column.
pub fn compile(
    expr: &Expr,
    dialect: Dialect,
    column: &dyn Fn(&str) -> String,
) -> Result<String, (Pos, String)> {
    match &expr.kind {
        ExprKind::BitAnd(l, r) => Ok(format!(
            "({} AND {})",
            compile(l, dialect, column)?,
            compile(r, dialect, column)?
        )),
        ExprKind::BitOr(l, r) => Ok(format!(
            "({} OR {})",
            compile(l, dialect, column)?,
            compile(r, dialect, column)?
        )),
        ExprKind::Invert(inner) => Ok(format!("NOT ({})", compile(inner, dialect, column)?)),
        ExprKind::Call { func, args, kwargs } if func.last_name() == Some("Q") => {
            let mut parts = Vec::new();
            for a in args {
                parts.push(compile(a, dialect, column)?);
            }
            for (k, v) in kwargs {
                parts.push(lookup(k, v, dialect, column)?);
            }
            match parts.len() {
                0 => Err((expr.at, "an empty Q() has no SQL".into())),
                1 => Ok(parts.remove(0)),
                _ => Ok(format!("({})", parts.join(" AND "))),
            }
        }
        _ => Err((
            expr.at,
            format!(
                "condition `{}` cannot be read statically (use Q(...) with literals)",
                expr.describe()
            ),
        )),
    }
}

fn lookup(
    key: &str,
    value: &Expr,
    dialect: Dialect,
    column: &dyn Fn(&str) -> String,
) -> Result<String, (Pos, String)> {
    let (field, op) = key.rsplit_once("__").unwrap_or((key, "exact"));
    let col = dialect.quote(&column(field));
    if op == "isnull" {
        return match value.as_bool() {
            Some(true) => Ok(format!("{col} IS NULL")),
            Some(false) => Ok(format!("{col} IS NOT NULL")),
            None => Err((value.at, "__isnull takes True or False".into())),
        };
    }
    if op == "in" {
        let items = value
            .elements()
            .ok_or((value.at, "__in takes a list literal".to_string()))?;
        let values: Vec<String> = items
            .iter()
            .map(|v| literal(v, dialect, column))
            .collect::<Result<_, _>>()?;
        return Ok(format!("{col} IN ({})", values.join(", ")));
    }
    let sql_op = match op {
        "exact" => "=",
        "gt" => ">",
        "gte" => ">=",
        "lt" => "<",
        "lte" => "<=",
        other => {
            return Err((
                value.at,
                format!("lookup `__{other}` is not supported in conditions"),
            ));
        }
    };
    if value.is_none() && op == "exact" {
        return Ok(format!("{col} IS NULL"));
    }
    // Django compiles an exact boolean lookup to the bare column (or its negation).
    if let (Some(b), "exact") = (value.as_bool(), op) {
        return Ok(if b { col } else { format!("NOT {col}") });
    }
    Ok(format!(
        "{col} {sql_op} {}",
        literal(value, dialect, column)?
    ))
}

/// A literal value (or `F("field")`) as SQL.
pub fn literal(
    value: &Expr,
    dialect: Dialect,
    column: &dyn Fn(&str) -> String,
) -> Result<String, (Pos, String)> {
    Ok(match &value.kind {
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => f.clone(),
        ExprKind::Str(s) => dialect.quote_str(s),
        ExprKind::Bool(b) => match (dialect, b) {
            (Dialect::Postgres, true) => "true".into(),
            (Dialect::Postgres, false) => "false".into(),
            (_, true) => "1".into(),
            (_, false) => "0".into(),
        },
        ExprKind::Call { func, args, .. } if func.last_name() == Some("F") => {
            let field = args
                .first()
                .and_then(Expr::as_str)
                .ok_or((value.at, "F() takes a field name".to_string()))?;
            dialect.quote(&column(field))
        }
        _ => {
            return Err((
                value.at,
                format!("value `{}` cannot be read statically", value.describe()),
            ));
        }
    })
}
