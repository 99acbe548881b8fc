//! SQLAlchemy column types → the DDL type each dialect compiles them to (SQLAlchemy 2.0).
//!
//! A type expression (`String(50)`, `sa.Numeric(12, 2)`, `postgresql.JSONB`,
//! `BigInteger().with_variant(Integer, "sqlite")`) is read into [`SaType`], then printed as the
//! SQL SQLAlchemy's compiler would print for the dialect and parsed with [`Type::parse`], so the
//! result is exactly what the SQL source would read from `create_all`'s DDL.

use crate::python::ast::{Expr, ExprKind};
use crate::scope::Scope;
use strata_schema::{Dialect, Type};

/// SaType is a column type as SQLAlchemy knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum SaType {
    Integer,
    BigInteger,
    SmallInteger,
    /// `String(n)` / `Unicode(n)`; `None` length compiles to bare VARCHAR.
    String(Option<i64>),
    Text,
    Boolean,
    DateTime {
        tz: bool,
    },
    Date,
    Time {
        tz: bool,
    },
    Float,
    Double,
    Numeric(Option<i64>, Option<i64>),
    Json,
    LargeBinary,
    Uuid,
    Interval,
    Enum(SaEnum),
    /// A dialect type written in capitals (`postgresql.JSONB`, `mysql.LONGTEXT`, `VARCHAR(20)`):
    /// its SQL is its own name and arguments.
    Raw(String),
    /// `base.with_variant(other, "dialect", …)`.
    Variant {
        base: Box<SaType>,
        variants: Vec<(String, SaType)>,
    },
}

/// SaEnum is `Enum(...)`: its values and how it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SaEnum {
    /// PostgreSQL type name (`name=`, else the Python enum class name lower-cased).
    pub name: Option<String>,
    pub values: Vec<String>,
    /// `native_enum=False`, or a `Literal[...]` annotation: VARCHAR everywhere.
    pub native: bool,
    /// `length=` of a non-native enum; default the longest value.
    pub length: Option<i64>,
}

impl SaType {
    /// Read a type expression: a class (`Integer`), an instance (`String(30)`) or a variant
    /// chain. `Err` carries the message for an unknown type.
    pub fn read(expr: &Expr, scope: &Scope) -> Result<SaType, String> {
        if let ExprKind::Call { func, args, .. } = &expr.kind
            && let ExprKind::Attr(base, method) = &func.kind
            && method == "with_variant"
        {
            let base = SaType::read(base, scope)?;
            let other = args
                .first()
                .ok_or("with_variant() needs a type")
                .and_then(|t| SaType::read(t, scope).map_err(|_| "with_variant() type unknown"))
                .map_err(str::to_string)?;
            let variants = args[1..]
                .iter()
                .filter_map(|d| d.as_str().map(|d| (d.to_string(), other.clone())))
                .collect();
            return Ok(match base {
                SaType::Variant {
                    base,
                    variants: mut old,
                } => {
                    old.extend(variants);
                    SaType::Variant {
                        base,
                        variants: old,
                    }
                }
                base => SaType::Variant {
                    base: Box::new(base),
                    variants,
                },
            });
        }
        let (name, args, call) = match &expr.kind {
            ExprKind::Call { func, .. } => (func.last_name(), expr.args(), Some(expr)),
            _ => (expr.last_name(), &[][..], None),
        };
        let name = name.ok_or_else(|| format!("`{}` is not a type", expr.describe()))?;
        let int_arg = |i: usize, key: &str| -> Option<i64> {
            args.get(i)
                .and_then(Expr::as_int)
                .or_else(|| call.and_then(|c| c.kwarg(key)).and_then(Expr::as_int))
        };
        let flag = |key: &str| {
            call.and_then(|c| c.kwarg(key))
                .and_then(Expr::as_bool)
                .unwrap_or(false)
        };
        Ok(match name {
            "Integer" => SaType::Integer,
            "BigInteger" => SaType::BigInteger,
            "SmallInteger" => SaType::SmallInteger,
            "String" | "Unicode" => SaType::String(int_arg(0, "length")),
            "Text" | "UnicodeText" => SaType::Text,
            "Boolean" => SaType::Boolean,
            "DateTime" => SaType::DateTime {
                tz: args.first().and_then(Expr::as_bool).unwrap_or(false) || flag("timezone"),
            },
            "Date" => SaType::Date,
            "Time" => SaType::Time {
                tz: args.first().and_then(Expr::as_bool).unwrap_or(false) || flag("timezone"),
            },
            "Float" => SaType::Float,
            "Double" => SaType::Double,
            "Numeric" => SaType::Numeric(int_arg(0, "precision"), int_arg(1, "scale")),
            "JSON" if !is_dialect_module(expr) => SaType::Json,
            "LargeBinary" => SaType::LargeBinary,
            "Uuid" => SaType::Uuid,
            "Interval" => SaType::Interval,
            "Enum" => SaType::Enum(read_enum(expr, scope)?),
            raw if is_sql_name(raw) => SaType::Raw(raw_sql(raw, args)),
            other => return Err(format!("unknown SQLAlchemy type `{other}`")),
        })
    }

    /// The type for `dialect`, after variants.
    fn for_dialect(&self, dialect: Dialect) -> &SaType {
        match self {
            SaType::Variant { base, variants } => variants
                .iter()
                .find(|(d, _)| variant_matches(d, dialect))
                .map(|(_, t)| t)
                .unwrap_or(base)
                .for_dialect(dialect),
            t => t,
        }
    }

    /// True for the integer types SQLAlchemy autoincrements.
    pub fn is_integer(&self, dialect: Dialect) -> bool {
        match self.for_dialect(dialect) {
            SaType::Integer | SaType::BigInteger | SaType::SmallInteger => true,
            SaType::Raw(sql) => {
                let lower = sql.to_lowercase();
                lower.contains("int") && !lower.contains("interval")
            }
            _ => false,
        }
    }

    /// The PostgreSQL enum type this column needs, if any.
    pub fn pg_enum(&self) -> Option<&SaEnum> {
        match self.for_dialect(Dialect::Postgres) {
            SaType::Enum(e) if e.native => Some(e),
            _ => None,
        }
    }

    /// The SQL SQLAlchemy prints for the type, or `Err` for a type the dialect rejects.
    pub fn sql(&self, dialect: Dialect) -> Result<String, String> {
        use Dialect::*;
        let t = self.for_dialect(dialect);
        Ok(match (t, dialect) {
            (SaType::Integer, _) => "INTEGER".into(),
            (SaType::BigInteger, _) => "BIGINT".into(),
            (SaType::SmallInteger, _) => "SMALLINT".into(),
            (SaType::String(Some(n)), _) => format!("VARCHAR({n})"),
            (SaType::String(None), Mysql) => {
                return Err("VARCHAR requires a length on dialect mysql".into());
            }
            (SaType::String(None), _) => "VARCHAR".into(),
            (SaType::Text, _) => "TEXT".into(),
            (SaType::Boolean, Mysql) => "BOOL".into(),
            (SaType::Boolean, _) => "BOOLEAN".into(),
            (SaType::DateTime { tz: true }, Postgres) => "TIMESTAMP WITH TIME ZONE".into(),
            (SaType::DateTime { .. }, Postgres) => "TIMESTAMP WITHOUT TIME ZONE".into(),
            (SaType::DateTime { .. }, _) => "DATETIME".into(),
            (SaType::Date, _) => "DATE".into(),
            (SaType::Time { tz: true }, Postgres) => "TIME WITH TIME ZONE".into(),
            (SaType::Time { .. }, Postgres) => "TIME WITHOUT TIME ZONE".into(),
            (SaType::Time { .. }, _) => "TIME".into(),
            (SaType::Float, _) => "FLOAT".into(),
            (SaType::Double, Postgres) => "DOUBLE PRECISION".into(),
            (SaType::Double, _) => "DOUBLE".into(),
            (SaType::Numeric(Some(p), Some(s)), _) => format!("NUMERIC({p}, {s})"),
            (SaType::Numeric(Some(p), None), _) => format!("NUMERIC({p})"),
            (SaType::Numeric(..), _) => "NUMERIC".into(),
            (SaType::Json, _) => "JSON".into(),
            (SaType::LargeBinary, Postgres) => "BYTEA".into(),
            (SaType::LargeBinary, _) => "BLOB".into(),
            (SaType::Uuid, Postgres) => "UUID".into(),
            (SaType::Uuid, _) => "CHAR(32)".into(),
            (SaType::Interval, Postgres) => "INTERVAL".into(),
            (SaType::Interval, _) => "DATETIME".into(),
            (SaType::Enum(e), Postgres) if e.native => e
                .name
                .clone()
                .ok_or("PostgreSQL ENUM type requires a name (give Enum(..., name=…))")?,
            (SaType::Enum(e), Mysql) if e.native => {
                let values: Vec<String> = e.values.iter().map(|v| dialect.quote_str(v)).collect();
                format!("ENUM({})", values.join(","))
            }
            (SaType::Enum(e), _) => {
                let longest = e.values.iter().map(|v| v.chars().count()).max();
                format!(
                    "VARCHAR({})",
                    e.length.or(longest.map(|l| l as i64)).unwrap_or(0)
                )
            }
            (SaType::Raw(sql), _) => sql.clone(),
            (SaType::Variant { .. }, _) => return Err("nested type variants".into()),
        })
    }

    /// The schema-model type for `dialect`.
    pub fn model(&self, dialect: Dialect) -> Result<Type, String> {
        let sql = self.sql(dialect)?;
        Ok(match self.pg_enum() {
            Some(_) if dialect == Dialect::Postgres => Type::UserDefined { name: sql },
            _ => Type::parse(dialect, &sql),
        })
    }
}

fn variant_matches(name: &str, dialect: Dialect) -> bool {
    matches!(
        (name, dialect),
        ("postgresql" | "postgres", Dialect::Postgres)
            | ("mysql" | "mariadb", Dialect::Mysql)
            | ("sqlite", Dialect::Sqlite)
    )
}

/// `postgresql.JSON` / `mysql.JSON` are dialect types: same SQL, read as raw.
fn is_dialect_module(expr: &Expr) -> bool {
    let target = match &expr.kind {
        ExprKind::Call { func, .. } => func,
        _ => expr,
    };
    matches!(&target.kind, ExprKind::Attr(module, _)
        if matches!(module.last_name(), Some("postgresql" | "mysql" | "sqlite" | "mariadb")))
}

/// SQL type names are written in capitals in SQLAlchemy (`VARCHAR`, `JSONB`, `TINYINT`).
fn is_sql_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn raw_sql(name: &str, args: &[Expr]) -> String {
    let sql_name = match name {
        "DOUBLE_PRECISION" => "DOUBLE PRECISION",
        "TIMESTAMP" | "DATETIME" | "TIME" => name,
        other => other,
    };
    let nums: Vec<String> = args
        .iter()
        .filter_map(|a| a.as_int().map(|i| i.to_string()))
        .collect();
    if nums.is_empty() {
        sql_name.to_string()
    } else {
        format!("{sql_name}({})", nums.join(", "))
    }
}

/// `Enum(PyEnum)`, `Enum("a", "b", name="x")`, with `native_enum`, `length`, `values_callable`.
fn read_enum(expr: &Expr, scope: &Scope) -> Result<SaEnum, String> {
    let args = expr.args();
    let use_values = expr.kwarg("values_callable").is_some();
    let mut name = expr
        .kwarg("name")
        .and_then(Expr::as_str)
        .map(str::to_string);
    let mut values = Vec::new();
    for arg in args {
        match arg.as_str() {
            Some(s) => values.push(s.to_string()),
            None => {
                let class = arg
                    .last_name()
                    .ok_or_else(|| format!("Enum argument `{}` is not static", arg.describe()))?;
                let members = scope
                    .enum_members(class)
                    .ok_or_else(|| format!("enum class `{class}` not found in the models"))?;
                values.extend(
                    members
                        .into_iter()
                        .map(|(n, v)| if use_values { v } else { n }),
                );
                name.get_or_insert_with(|| class.to_lowercase());
            }
        }
    }
    Ok(SaEnum {
        name,
        values,
        native: expr
            .kwarg("native_enum")
            .and_then(Expr::as_bool)
            .unwrap_or(true),
        length: expr.kwarg("length").and_then(Expr::as_int),
    })
}

/// The enum type SQLAlchemy infers for a `Mapped[SomeEnum]` annotation.
pub fn enum_from_class(class: &str, scope: &Scope) -> Option<SaType> {
    let members = scope.enum_members(class)?;
    Some(SaType::Enum(SaEnum {
        name: Some(class.to_lowercase()),
        values: members.into_iter().map(|(n, _)| n).collect(),
        native: true,
        length: None,
    }))
}

/// The non-native enum SQLAlchemy infers for `Literal["a", "b"]`.
pub fn enum_from_literal(values: Vec<String>) -> SaType {
    SaType::Enum(SaEnum {
        name: None,
        values,
        native: false,
        length: None,
    })
}
