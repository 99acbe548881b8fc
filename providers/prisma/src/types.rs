//! Column types: Prisma's scalar types and `@<datasource>.Native(args)` attributes, printed
//! as Prisma's migration renderer prints them per dialect and parsed into the schema model.

use crate::ast::{Attribute, ExprKind};
use crate::diag::Problem;
use strata_schema::Dialect;

/// Scalar is one of Prisma's built-in field types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int,
    BigInt,
    Float,
    Decimal,
    Boolean,
    DateTime,
    Json,
    Bytes,
}

impl Scalar {
    /// The scalar called `name` in a schema.
    pub fn named(name: &str) -> Option<Scalar> {
        Some(match name {
            "String" => Scalar::String,
            "Int" => Scalar::Int,
            "BigInt" => Scalar::BigInt,
            "Float" => Scalar::Float,
            "Decimal" => Scalar::Decimal,
            "Boolean" => Scalar::Boolean,
            "DateTime" => Scalar::DateTime,
            "Json" => Scalar::Json,
            "Bytes" => Scalar::Bytes,
            _ => return None,
        })
    }

    /// The type Prisma gives the scalar when no native type is set.
    pub fn default_sql(self, dialect: Dialect) -> &'static str {
        use Dialect::*;
        use Scalar::*;
        match (self, dialect) {
            (String, Mysql) => "VARCHAR(191)",
            (String, _) => "TEXT",
            (Int, _) => "INTEGER",
            (BigInt, _) => "BIGINT",
            (Float, Postgres) => "DOUBLE PRECISION",
            (Float, Mysql) => "DOUBLE",
            (Float, Sqlite) => "REAL",
            (Decimal, Sqlite) => "DECIMAL",
            (Decimal, _) => "DECIMAL(65,30)",
            (Boolean, _) => "BOOLEAN",
            (DateTime, Postgres) => "TIMESTAMP(3)",
            (DateTime, Mysql) => "DATETIME(3)",
            (DateTime, Sqlite) => "DATETIME",
            (Json, Mysql) => "JSON",
            (Json, _) => "JSONB",
            (Bytes, Postgres) => "BYTEA",
            (Bytes, Mysql) => "LONGBLOB",
            (Bytes, Sqlite) => "BLOB",
        }
    }
}

/// Native is one native type attribute a connector offers: its name in the schema, its SQL
/// spelling, how many arguments it takes and which scalars it applies to.
struct Native {
    name: &'static str,
    sql: &'static str,
    args: Args,
    scalars: &'static [Scalar],
}

/// Args is the argument list a native type accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Args {
    None,
    /// One number, which may be left out.
    Optional,
    /// Exactly this many numbers.
    Exactly(usize),
}

const fn native(
    name: &'static str,
    sql: &'static str,
    args: Args,
    scalars: &'static [Scalar],
) -> Native {
    Native {
        name,
        sql,
        args,
        scalars,
    }
}

use Args::{Exactly, None as NoArgs, Optional};
use Scalar as S;

const POSTGRES: &[Native] = &[
    native("Text", "TEXT", NoArgs, &[S::String]),
    native("Char", "CHAR", Optional, &[S::String]),
    native("VarChar", "VARCHAR", Optional, &[S::String]),
    native("Bit", "BIT", Optional, &[S::String]),
    native("VarBit", "VARBIT", Optional, &[S::String]),
    native("Uuid", "UUID", NoArgs, &[S::String]),
    native("Xml", "XML", NoArgs, &[S::String]),
    native("Inet", "INET", NoArgs, &[S::String]),
    native("Citext", "CITEXT", NoArgs, &[S::String]),
    native("Boolean", "BOOLEAN", NoArgs, &[S::Boolean]),
    native("Integer", "INTEGER", NoArgs, &[S::Int]),
    native("SmallInt", "SMALLINT", NoArgs, &[S::Int]),
    native("Oid", "OID", NoArgs, &[S::Int]),
    native("BigInt", "BIGINT", NoArgs, &[S::BigInt]),
    native("Real", "REAL", NoArgs, &[S::Float]),
    native("DoublePrecision", "DOUBLE PRECISION", NoArgs, &[S::Float]),
    native("Decimal", "DECIMAL", Exactly(2), &[S::Decimal]),
    native("Money", "MONEY", NoArgs, &[S::Decimal]),
    native("Timestamp", "TIMESTAMP", Optional, &[S::DateTime]),
    native("Timestamptz", "TIMESTAMPTZ", Optional, &[S::DateTime]),
    native("Date", "DATE", NoArgs, &[S::DateTime]),
    native("Time", "TIME", Optional, &[S::DateTime]),
    native("Timetz", "TIMETZ", Optional, &[S::DateTime]),
    native("Json", "JSON", NoArgs, &[S::Json]),
    native("JsonB", "JSONB", NoArgs, &[S::Json]),
    native("ByteA", "BYTEA", NoArgs, &[S::Bytes]),
];

const MYSQL: &[Native] = &[
    native("VarChar", "VARCHAR", Exactly(1), &[S::String]),
    native("Char", "CHAR", Exactly(1), &[S::String]),
    native("Text", "TEXT", NoArgs, &[S::String]),
    native("TinyText", "TINYTEXT", NoArgs, &[S::String]),
    native("MediumText", "MEDIUMTEXT", NoArgs, &[S::String]),
    native("LongText", "LONGTEXT", NoArgs, &[S::String]),
    native("Int", "INTEGER", NoArgs, &[S::Int]),
    native("UnsignedInt", "INTEGER UNSIGNED", NoArgs, &[S::Int]),
    native("SmallInt", "SMALLINT", NoArgs, &[S::Int]),
    native("UnsignedSmallInt", "SMALLINT UNSIGNED", NoArgs, &[S::Int]),
    native("TinyInt", "TINYINT", Optional, &[S::Int, S::Boolean]),
    native("UnsignedTinyInt", "TINYINT UNSIGNED", NoArgs, &[S::Int]),
    native("MediumInt", "MEDIUMINT", NoArgs, &[S::Int]),
    native("UnsignedMediumInt", "MEDIUMINT UNSIGNED", NoArgs, &[S::Int]),
    native("BigInt", "BIGINT", NoArgs, &[S::BigInt]),
    native("UnsignedBigInt", "BIGINT UNSIGNED", NoArgs, &[S::BigInt]),
    native("Bit", "BIT", Exactly(1), &[S::Boolean, S::Bytes]),
    native("Decimal", "DECIMAL", Exactly(2), &[S::Decimal]),
    native("Float", "FLOAT", NoArgs, &[S::Float]),
    native("Double", "DOUBLE", NoArgs, &[S::Float]),
    native("DateTime", "DATETIME", Optional, &[S::DateTime]),
    native("Timestamp", "TIMESTAMP", Optional, &[S::DateTime]),
    native("Date", "DATE", NoArgs, &[S::DateTime]),
    native("Time", "TIME", Optional, &[S::DateTime]),
    native("Year", "YEAR", NoArgs, &[S::Int]),
    native("Json", "JSON", NoArgs, &[S::Json]),
    native("Binary", "BINARY", Exactly(1), &[S::Bytes]),
    native("VarBinary", "VARBINARY", Exactly(1), &[S::Bytes]),
    native("TinyBlob", "TINYBLOB", NoArgs, &[S::Bytes]),
    native("Blob", "BLOB", NoArgs, &[S::Bytes]),
    native("MediumBlob", "MEDIUMBLOB", NoArgs, &[S::Bytes]),
    native("LongBlob", "LONGBLOB", NoArgs, &[S::Bytes]),
];

/// NativeOutcome is what a native type attribute means for the target.
pub enum NativeOutcome {
    /// The SQL type text.
    Sql(String),
    /// The target's connector has no such native type (a schema written for another
    /// database); the reason says which.
    Unavailable(String),
}

/// The SQL text of native type attribute `attr` (its name after the datasource prefix is
/// `name`) on a field of `scalar`, for `dialect`.
pub fn native_sql(
    attr: &Attribute,
    name: &str,
    scalar: Scalar,
    dialect: Dialect,
) -> Result<NativeOutcome, Problem> {
    let table = match dialect {
        Dialect::Postgres => POSTGRES,
        Dialect::Mysql => MYSQL,
        Dialect::Sqlite => {
            return Ok(NativeOutcome::Unavailable(
                "SQLite has no native type attributes".into(),
            ));
        }
    };
    let Some(native) = table.iter().find(|n| n.name == name) else {
        return Ok(NativeOutcome::Unavailable(format!(
            "{dialect} has no native type `{name}`"
        )));
    };
    if !native.scalars.contains(&scalar) {
        return Err(Problem::new(
            attr.pos,
            format!("native type `{name}` does not apply to a {scalar:?} field"),
        ));
    }
    let mut numbers = Vec::new();
    for arg in &attr.args {
        match &arg.value.kind {
            ExprKind::Number(n) if n.parse::<u32>().is_ok() => numbers.push(n.clone()),
            _ => {
                return Err(Problem::new(
                    arg.value.pos,
                    format!("arguments of `{name}` are whole numbers"),
                ));
            }
        }
    }
    let fits = match native.args {
        Args::None => numbers.is_empty(),
        Args::Optional => numbers.len() <= 1,
        Args::Exactly(n) => numbers.len() == n || (n == 2 && numbers.is_empty()),
    };
    if !fits {
        return Err(Problem::new(
            attr.pos,
            format!("`{name}` does not take {} argument(s)", numbers.len()),
        ));
    }
    let separator = if dialect == Dialect::Mysql { ", " } else { "," };
    Ok(NativeOutcome::Sql(if numbers.is_empty() {
        native.sql.to_string()
    } else {
        format!("{}({})", native.sql, numbers.join(separator))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::Type;

    #[test]
    fn scalars_map_per_dialect() {
        assert_eq!(Scalar::String.default_sql(Dialect::Mysql), "VARCHAR(191)");
        assert_eq!(
            Scalar::DateTime.default_sql(Dialect::Postgres),
            "TIMESTAMP(3)"
        );
        assert_eq!(Scalar::Json.default_sql(Dialect::Sqlite), "JSONB");
        assert_eq!(
            Type::parse(
                Dialect::Postgres,
                Scalar::Decimal.default_sql(Dialect::Postgres)
            ),
            Type::Decimal {
                precision: Some(65),
                scale: Some(30),
                unsigned: false
            }
        );
    }
}
