//! Canonical SQL expressions: defaults, checks, predicates and index expressions are compared
//! after a parse + print round trip, so that spellings the database adds (casts on literals,
//! redundant parentheses, identifier quoting, keyword case) do not show up as changes.
//!
//! The canonical text is a comparison key that stays executable: normalisers store it and the
//! planner renders it. It drops distinctions that do not matter for "is this the same
//! expression": PostgreSQL `::` casts (the catalog adds them everywhere, e.g.
//! `'a'::character varying`) and numbers written as strings (`'0'` vs `0`). Identifiers are
//! case-folded the way the dialect resolves them and quoted exactly when they need it (a
//! keyword, or not a plain lowercase name), whatever quoting the input used, so `"group"`
//! stays runnable and both sides of a comparison spell it alike.

use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, FunctionArguments, Ident, ObjectNamePart, UnaryOperator, Value,
    visit_expressions_mut,
};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::ALL_KEYWORDS;
use sqlparser::parser::Parser;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::ControlFlow;
use strata_schema::Dialect;

/// The sqlparser dialect for a Strata dialect.
pub fn parser_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

thread_local! {
    /// Canonical texts already computed on this thread, per dialect. A schema repeats its
    /// expressions (the same default or check on hundreds of tables), and each side of a plan
    /// asks for every one of them; a parse per call was a twentieth of a plan's time at 5,000
    /// tables. The cache holds one entry per distinct text.
    static CANONICAL: RefCell<HashMap<Dialect, HashMap<String, String>>> =
        RefCell::new(HashMap::new());
}

/// The canonical text of `expr` in `dialect`. Text that does not parse is returned with
/// whitespace collapsed, so that comparison still works for the same spelling.
pub fn canonical(dialect: Dialect, expr: &str) -> String {
    let known = CANONICAL.with(|c| c.borrow().get(&dialect).and_then(|m| m.get(expr)).cloned());
    if let Some(known) = known {
        return known;
    }
    let text = compute_canonical(dialect, expr);
    CANONICAL.with(|c| {
        c.borrow_mut()
            .entry(dialect)
            .or_default()
            .insert(expr.to_string(), text.clone())
    });
    text
}

fn compute_canonical(dialect: Dialect, expr: &str) -> String {
    let parser_dialect = parser_dialect(dialect);
    let parsed = Parser::new(parser_dialect.as_ref())
        .try_with_sql(expr)
        .and_then(|mut p| {
            let e = p.parse_expr()?;
            // Trailing tokens mean we did not understand the whole text.
            p.expect_token(&sqlparser::tokenizer::Token::EOF)?;
            Ok(e)
        });
    match parsed {
        Ok(mut e) => {
            let _ = visit_expressions_mut(&mut e, |e| {
                if let Expr::Identifier(id) = e {
                    fold_ident(dialect, id);
                } else if let Expr::CompoundIdentifier(ids) = e {
                    ids.iter_mut().for_each(|id| fold_ident(dialect, id));
                }
                rewrite(e);
                ControlFlow::<()>::Continue(())
            });
            rewrite(&mut e);
            unwrap_nested(&mut e);
            e.to_string()
        }
        Err(_) => expr.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Rewrite one node (its children are already canonical: the visitor works bottom-up).
fn rewrite(e: &mut Expr) {
    match e {
        Expr::Cast {
            kind: CastKind::DoubleColon,
            expr,
            ..
        } => {
            let inner = std::mem::replace(expr.as_mut(), Expr::value(Value::Null));
            *e = inner;
            rewrite(e);
        }
        Expr::Nested(inner) if is_atomic(inner) => {
            let inner = std::mem::replace(inner.as_mut(), Expr::value(Value::Null));
            *e = inner;
        }
        Expr::Value(v) => {
            if let Value::SingleQuotedString(s) = &v.value
                && is_number(s)
            {
                v.value = Value::Number(s.clone(), false);
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => {
            if let Expr::Value(v) = expr.as_ref()
                && let Value::Number(n, l) = &v.value
            {
                *e = Expr::value(Value::Number(format!("-{n}"), *l));
            }
        }
        Expr::Function(f) => {
            for part in &mut f.name.0 {
                if let ObjectNamePart::Identifier(id) = part {
                    id.value = id.value.to_lowercase();
                    id.quote_style = None;
                }
            }
            let name = f.name.to_string();
            let no_args = match &f.args {
                FunctionArguments::None => true,
                FunctionArguments::List(l) => l.args.is_empty(),
                FunctionArguments::Subquery(_) => false,
            };
            // now(), current_timestamp and current_timestamp() are the same value.
            if no_args && (name == "now" || name == "current_timestamp") {
                f.name = sqlparser::ast::ObjectName::from(vec![Ident::new("CURRENT_TIMESTAMP")]);
                f.args = FunctionArguments::None;
            }
        }
        // PostgreSQL stores `x IN ('a','b')` as `x = ANY (ARRAY['a','b'])`.
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            ..
        } => {
            let mut r = right.as_ref();
            while let Expr::Nested(inner) = r {
                r = inner;
            }
            if let Expr::Array(arr) = r {
                *e = Expr::InList {
                    expr: left.clone(),
                    list: arr.elem.clone(),
                    negated: false,
                };
            }
        }
        Expr::BinaryOp { left, op, right } => {
            let p = precedence(op);
            unwrap_if_tighter(left, p, false);
            unwrap_if_tighter(right, p, true);
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => unwrap_if_tighter(expr, 3, false),
        Expr::IsNull(x) | Expr::IsNotNull(x) => unwrap_if_tighter(x, 4, false),
        _ => {}
    }
}

/// Fold an identifier as the dialect resolves it (PostgreSQL lowercases unquoted names only;
/// MySQL and SQLite compare column names case-insensitively) and quote it only if it needs it.
fn fold_ident(dialect: Dialect, id: &mut Ident) {
    if id.quote_style.is_none() || dialect != Dialect::Postgres {
        id.value = id.value.to_lowercase();
    }
    let plain = id
        .value
        .starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let keyword = ALL_KEYWORDS
        .binary_search(&id.value.to_uppercase().as_str())
        .is_ok();
    id.quote_style = match (plain && !keyword, dialect) {
        (true, _) => None,
        (false, Dialect::Mysql) => Some('`'),
        (false, _) => Some('"'),
    };
}

fn is_number(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|c| *c == '.').count() <= 1
        && !t.starts_with('.')
        && !t.ends_with('.')
}

fn is_atomic(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Value(_)
            | Expr::Function(_)
            | Expr::Nested(_)
            | Expr::Cast { .. }
            | Expr::Array(_)
    )
}

/// Binding strength of a binary operator; higher binds tighter.
fn precedence(op: &BinaryOperator) -> u8 {
    use BinaryOperator::*;
    match op {
        Or => 1,
        And => 2,
        Eq | NotEq | Lt | LtEq | Gt | GtEq | Spaceship => 4,
        Plus | Minus | StringConcat => 5,
        Multiply | Divide | Modulo => 6,
        _ => 0,
    }
}

/// Remove parentheses around `operand` when its content binds tighter than the parent
/// operator (or equally tight on the left), so printing without them keeps the meaning.
fn unwrap_if_tighter(operand: &mut Box<Expr>, parent: u8, right: bool) {
    if parent == 0 {
        return;
    }
    if let Expr::Nested(inner) = operand.as_ref() {
        let inner_p = match inner.as_ref() {
            Expr::BinaryOp { op, .. } => precedence(op),
            Expr::InList { .. } | Expr::Between { .. } | Expr::Like { .. } | Expr::ILike { .. } => {
                4
            }
            Expr::IsNull(_) | Expr::IsNotNull(_) => 4,
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                ..
            } => 3,
            e if is_atomic(e) => u8::MAX,
            _ => 0,
        };
        if inner_p != 0 && (inner_p > parent || (inner_p == parent && !right)) {
            let Expr::Nested(inner) = std::mem::replace(operand.as_mut(), Expr::value(Value::Null))
            else {
                return;
            };
            **operand = *inner;
        }
    }
}

/// Drop parentheses around the whole expression.
fn unwrap_nested(e: &mut Expr) {
    while let Expr::Nested(inner) = e {
        let inner = std::mem::replace(inner.as_mut(), Expr::value(Value::Null));
        *e = inner;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn same(d: Dialect, a: &str, b: &str) {
        assert_eq!(canonical(d, a), canonical(d, b), "{a}  vs  {b}");
    }

    #[test]
    fn postgres_catalog_spellings_match_what_users_write() {
        same(
            Postgres,
            "((fine_amount >= (0)::numeric))",
            "fine_amount >= 0",
        );
        same(Postgres, "'draft'::character varying", "'draft'");
        same(Postgres, "now()", "CURRENT_TIMESTAMP");
        same(Postgres, "'-1'::integer", "-1");
        same(Postgres, "((a > 0) AND (b < 10))", "a > 0 AND b < 10");
        same(
            Postgres,
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "status IN ('a', 'b')",
        );
        same(Postgres, "lower((email)::text)", "lower(email)");
        same(Postgres, "\"Name\" IS NOT NULL", "(\"Name\" IS NOT NULL)");
    }

    #[test]
    fn mysql_catalog_spellings_match_what_users_write() {
        same(Mysql, "`fine_amount` >= 0", "fine_amount >= 0");
        same(Mysql, "current_timestamp()", "CURRENT_TIMESTAMP");
        same(Mysql, "'0'", "0");
    }

    #[test]
    fn meaningful_parentheses_stay() {
        assert_ne!(
            canonical(Sqlite, "(a + b) * c"),
            canonical(Sqlite, "a + b * c")
        );
        assert_ne!(
            canonical(Sqlite, "a - (b - c)"),
            canonical(Sqlite, "a - b - c")
        );
        same(Sqlite, "(a - b) - c", "a - b - c");
        assert_ne!(canonical(Sqlite, "'x'"), canonical(Sqlite, "'y'"));
    }

    #[test]
    fn identifiers_that_need_quotes_keep_them() {
        assert_eq!(canonical(Postgres, "group >= 0"), "\"group\" >= 0");
        same(Postgres, "\"group\" >= 0", "((\"group\" >= (0)::integer))");
        assert_eq!(canonical(Postgres, "\"Name\" <> ''"), "\"Name\" <> ''");
        assert_ne!(
            canonical(Postgres, "\"Name\" <> ''"),
            canonical(Postgres, "Name <> ''")
        );
        same(Mysql, "`Order` > 1", "order > 1");
        assert_eq!(canonical(Mysql, "`order` > 1"), "`order` > 1");
        assert_eq!(canonical(Sqlite, "\"my col\" > 1"), "\"my col\" > 1");
    }

    #[test]
    fn unparsable_text_is_kept() {
        assert_eq!(canonical(Postgres, "a  +)  b"), "a +) b");
    }
}
