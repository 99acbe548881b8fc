//! `@default(…)` as the DEFAULT clause Prisma writes, per dialect. Functions the client
//! evaluates (`uuid()`, `cuid()`, `nanoid()`, `ulid()`) and `@updatedAt` reach no DDL;
//! `autoincrement()` is an identity, not a default.

use crate::ast::{Expr, ExprKind};
use crate::diag::Problem;
use crate::types::Scalar;
use strata_schema::{Dialect, Type};

/// Default is what a `@default` becomes in the database.
#[derive(Debug, PartialEq, Eq)]
pub enum Default {
    /// No DEFAULT clause.
    None,
    /// A DEFAULT clause with this SQL.
    Sql(String),
    /// The column numbers itself (`autoincrement()`).
    AutoIncrement,
}

/// FieldKind is what the defaulted field holds, as far as rendering literals is concerned.
pub enum FieldKind<'a> {
    Scalar(Scalar),
    /// An enum field: member names and the database value of each.
    Enum(&'a [(String, String)]),
    Unsupported,
}

/// The default that `value` (the argument of `@default`) gives a column of `ty` (already
/// resolved for `dialect`) holding `kind`; `list` for `T[]` fields.
pub fn render(
    value: &Expr,
    kind: &FieldKind,
    ty: &Type,
    list: bool,
    dialect: Dialect,
) -> Result<Default, Problem> {
    if list {
        return list_default(value, kind, ty, dialect);
    }
    match &value.kind {
        ExprKind::Call(name, args) => function(value, name, args, ty, dialect),
        _ => literal(value, kind, dialect).map(Default::Sql),
    }
}

fn function(
    value: &Expr,
    name: &str,
    args: &[crate::ast::Arg],
    ty: &Type,
    dialect: Dialect,
) -> Result<Default, Problem> {
    match name {
        "autoincrement" => Ok(Default::AutoIncrement),
        "now" => Ok(Default::Sql(now(ty, dialect))),
        "uuid" | "cuid" | "nanoid" | "ulid" => Ok(Default::None),
        "dbgenerated" if args.is_empty() => Ok(Default::None),
        "dbgenerated" => match args.first().and_then(|a| a.value.as_str()) {
            Some(sql) => Ok(Default::Sql(sql.to_string())),
            None => Err(Problem::new(
                value.pos,
                "dbgenerated takes the SQL expression as a string",
            )),
        },
        "sequence" => Err(Problem::new(
            value.pos,
            "sequence() is a CockroachDB default; PostgreSQL, MySQL and SQLite have none",
        )
        .help("use autoincrement()")),
        other => Err(Problem::new(
            value.pos,
            format!("unknown default function `{other}()`"),
        )),
    }
}

/// `now()`: MySQL keeps the column's fractional-second precision in the default.
fn now(ty: &Type, dialect: Dialect) -> String {
    let precision = match ty {
        Type::DateTime { precision } | Type::Timestamp { precision, .. } => *precision,
        _ => None,
    };
    match (dialect, precision) {
        (Dialect::Mysql, Some(p)) => format!("CURRENT_TIMESTAMP({p})"),
        _ => "CURRENT_TIMESTAMP".into(),
    }
}

/// A literal default as SQL.
fn literal(value: &Expr, kind: &FieldKind, dialect: Dialect) -> Result<String, Problem> {
    let mismatch = |what: &str| {
        Problem::new(
            value.pos,
            format!("{} is not a default for {what}", value.describe()),
        )
    };
    match (kind, &value.kind) {
        (FieldKind::Enum(members), ExprKind::Name(n)) => members
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, db)| dialect.quote_str(db))
            .ok_or_else(|| Problem::new(value.pos, format!("`{n}` is not a member of the enum"))),
        (FieldKind::Enum(_), _) => Err(mismatch("an enum field")),
        (FieldKind::Scalar(Scalar::Boolean), ExprKind::Name(b)) if b == "true" || b == "false" => {
            Ok(b.clone())
        }
        (FieldKind::Scalar(Scalar::Boolean), _) => Err(mismatch("a Boolean field")),
        (
            FieldKind::Scalar(Scalar::Int | Scalar::BigInt | Scalar::Float | Scalar::Decimal),
            ExprKind::Number(n),
        ) => Ok(n.clone()),
        (FieldKind::Scalar(Scalar::Int | Scalar::BigInt | Scalar::Float | Scalar::Decimal), _) => {
            Err(mismatch("a numeric field"))
        }
        (FieldKind::Scalar(_) | FieldKind::Unsupported, ExprKind::Str(s)) => {
            Ok(dialect.quote_str(s))
        }
        (FieldKind::Scalar(_) | FieldKind::Unsupported, _) => Err(mismatch("this field")),
    }
}

/// A scalar list default (PostgreSQL): `ARRAY[a, b]::ELEMENT[]`.
fn list_default(
    value: &Expr,
    kind: &FieldKind,
    ty: &Type,
    dialect: Dialect,
) -> Result<Default, Problem> {
    let ExprKind::Array(items) = &value.kind else {
        return match &value.kind {
            ExprKind::Call(name, args) if name == "dbgenerated" => {
                function(value, name, args, ty, dialect)
            }
            _ => Err(Problem::new(value.pos, "a list field's default is a list")),
        };
    };
    let rendered = items
        .iter()
        .map(|item| literal(item, kind, dialect))
        .collect::<Result<Vec<_>, _>>()?;
    let element = match ty {
        Type::Array { element } => element.sql(dialect).to_uppercase(),
        other => other.sql(dialect).to_uppercase(),
    };
    Ok(Default::Sql(format!(
        "ARRAY[{}]::{element}[]",
        rendered.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Pos;

    fn expr(kind: ExprKind) -> Expr {
        Expr {
            kind,
            pos: Pos {
                file: 0,
                line: 1,
                column: 1,
            },
        }
    }

    #[test]
    fn now_keeps_mysql_precision() {
        let now = expr(ExprKind::Call("now".into(), vec![]));
        let kind = FieldKind::Scalar(Scalar::DateTime);
        let ty = Type::parse(Dialect::Mysql, "DATETIME(3)");
        assert_eq!(
            render(&now, &kind, &ty, false, Dialect::Mysql).unwrap(),
            Default::Sql("CURRENT_TIMESTAMP(3)".into())
        );
        let ty = Type::parse(Dialect::Postgres, "TIMESTAMP(3)");
        assert_eq!(
            render(&now, &kind, &ty, false, Dialect::Postgres).unwrap(),
            Default::Sql("CURRENT_TIMESTAMP".into())
        );
    }

    #[test]
    fn enum_defaults_use_the_mapped_value() {
        let members = vec![("EBOOK".to_string(), "e-book".to_string())];
        let value = expr(ExprKind::Name("EBOOK".into()));
        let ty = Type::UserDefined { name: "f".into() };
        assert_eq!(
            render(
                &value,
                &FieldKind::Enum(&members),
                &ty,
                false,
                Dialect::Postgres
            )
            .unwrap(),
            Default::Sql("'e-book'".into())
        );
    }

    #[test]
    fn client_side_functions_reach_no_ddl() {
        let value = expr(ExprKind::Call("cuid".into(), vec![]));
        let kind = FieldKind::Scalar(Scalar::String);
        let ty = Type::parse(Dialect::Sqlite, "TEXT");
        assert_eq!(
            render(&value, &kind, &ty, false, Dialect::Sqlite).unwrap(),
            Default::None
        );
    }

    #[test]
    fn empty_list_default_is_a_typed_array() {
        let value = expr(ExprKind::Array(vec![]));
        let kind = FieldKind::Scalar(Scalar::String);
        let ty = Type::parse(Dialect::Postgres, "TEXT[]");
        assert_eq!(
            render(&value, &kind, &ty, true, Dialect::Postgres).unwrap(),
            Default::Sql("ARRAY[]::TEXT[]".into())
        );
    }
}
