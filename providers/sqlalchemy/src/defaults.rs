//! `server_default=` → the DEFAULT text SQLAlchemy 2.0 compiles for each dialect.

use crate::python::ast::{Expr, ExprKind, Pos};
use strata_schema::Dialect;

/// The DEFAULT expression, or `None` for `null()` (no default).
pub fn server_default(expr: &Expr, dialect: Dialect) -> Result<Option<String>, (Pos, String)> {
    if let ExprKind::Str(s) = &expr.kind {
        return Ok(Some(dialect.quote_str(s)));
    }
    let Some(name) = expr.call_name() else {
        return Err(unsupported(expr));
    };
    let is_func = matches!(&expr.kind, ExprKind::Call { func, .. }
        if matches!(&func.kind, ExprKind::Attr(owner, _) if owner.last_name() == Some("func")));
    Ok(Some(match (name, dialect) {
        ("text" | "literal_column", _) => expr
            .args()
            .first()
            .and_then(Expr::as_str)
            .ok_or_else(|| unsupported(expr))?
            .to_string(),
        ("true", Dialect::Sqlite) => "1".into(),
        ("false", Dialect::Sqlite) => "0".into(),
        ("true", _) => "true".into(),
        ("false", _) => "false".into(),
        ("null", _) => return Ok(None),
        ("now", Dialect::Sqlite) if is_func => "CURRENT_TIMESTAMP".into(),
        ("current_timestamp" | "current_date" | "current_time" | "localtimestamp", _)
            if is_func =>
        {
            name.to_uppercase()
        }
        (f, _) if is_func && expr.args().is_empty() => format!("{f}()"),
        _ => return Err(unsupported(expr)),
    }))
}

fn unsupported(expr: &Expr) -> (Pos, String) {
    (
        expr.at,
        format!(
            "server_default `{}` cannot be read statically (use a string, text(\"…\"), func.<name>() or true()/false())",
            expr.describe()
        ),
    )
}
