//! Column types as each TypeORM driver writes them: the driver's `normalizeType` and
//! `createFullType` (lengths, precision and scale, MySQL's uuid as varchar), and the types a
//! driver refuses.

use crate::decorators::{Special, Strategy};
use crate::entity::{Attr, Design};
use strata_schema::Dialect;

/// The SQL type text of `a` on `dialect`, or why TypeORM refuses it. PostgreSQL enums are
/// named types; the caller handles them before asking.
pub fn sql(a: &Attr, dialect: Dialect) -> Result<String, String> {
    let base = base(a, dialect)?;
    let args = arguments(a, dialect, &base);
    let text = match args {
        Some(args) => format!("{base}({args})"),
        None => base,
    };
    Ok(if a.unsigned && dialect == Dialect::Mysql {
        format!("{text} unsigned")
    } else {
        text
    })
}

/// True when the column is an enum: a named type on PostgreSQL, inline on MySQL, a checked
/// varchar on SQLite.
pub fn is_enum(a: &Attr) -> bool {
    matches!(a.ty.as_deref(), Some("enum" | "simple-enum"))
}

fn design_type(a: &Attr, dialect: Dialect) -> Result<&'static str, String> {
    use Dialect::*;
    Ok(match (&a.design, dialect) {
        (Design::Number, Postgres) => "integer",
        (Design::Number, Mysql) => "int",
        (Design::Number, Sqlite) => "integer",
        (Design::String, Postgres) => "character varying",
        (Design::String, _) => "varchar",
        (Design::Boolean, Mysql) => "tinyint",
        (Design::Boolean, _) => "boolean",
        (Design::Date, Postgres) => "timestamp",
        (Design::Date, _) => "datetime",
        (Design::Other(t), _) => {
            return Err(format!(
                "the column type cannot be inferred from the property type `{t}`; give `type:`"
            ));
        }
    })
}

/// The driver's name for the type, before its arguments.
fn base(a: &Attr, dialect: Dialect) -> Result<String, String> {
    use Dialect::*;
    if let Some(special) = a.special {
        match (special, &a.ty) {
            (Special::Version, None) => {
                return Ok(design_type(
                    &Attr {
                        design: Design::Number,
                        ..a.clone()
                    },
                    dialect,
                )?
                .into());
            }
            (Special::CreateDate | Special::UpdateDate | Special::DeleteDate, None) => {
                return Ok(match dialect {
                    Postgres => "timestamp",
                    _ => "datetime",
                }
                .into());
            }
            _ => {}
        }
    }
    let Some(ty) = a.ty.as_deref() else {
        return Ok(design_type(a, dialect)?.into());
    };
    let t = match (dialect, ty) {
        (_, "simple-json" | "simple-array") => "text",
        (Postgres, "int" | "int4" | "integer") => "integer",
        (Postgres, "int2" | "smallint") => "smallint",
        (Postgres, "int8" | "bigint") => "bigint",
        (Postgres, "float" | "float8" | "double precision") => "double precision",
        (Postgres, "float4" | "real") => "real",
        (Postgres, "decimal" | "numeric") => "numeric",
        (Postgres, "varchar" | "character varying") => "character varying",
        (Postgres, "char" | "character") => "character",
        (Postgres, "bool" | "boolean") => "boolean",
        (Postgres, "timestamp" | "timestamp without time zone") => "timestamp",
        (Postgres, "timestamptz" | "timestamp with time zone") => "timestamp with time zone",
        (Postgres, "timetz" | "time with time zone") => "time with time zone",
        (Postgres, "time" | "time without time zone") => "time",
        (Postgres, "datetime" | "tinyint" | "mediumint" | "longtext" | "double" | "blob") => {
            return Err(refused(ty, dialect));
        }
        (Mysql, "integer" | "int") => "int",
        (Mysql, "bool" | "boolean") => "tinyint",
        (Mysql, "uuid") => "varchar",
        (Mysql, "double precision") => "double",
        (Mysql, "numeric" | "dec" | "fixed") => "decimal",
        (Mysql, "simple-enum") => "enum",
        (Mysql, "timestamptz" | "jsonb" | "bytea" | "uuid[]" | "character varying") => {
            return Err(refused(ty, dialect));
        }
        (Sqlite, "int") => "integer",
        (Sqlite, "uuid" | "simple-enum") => "varchar",
        (
            Sqlite,
            "integer" | "tinyint" | "smallint" | "mediumint" | "bigint" | "unsigned big int"
            | "int2" | "int8" | "character" | "varchar" | "varying character" | "nchar"
            | "native character" | "nvarchar" | "text" | "clob" | "blob" | "real" | "double"
            | "double precision" | "float" | "numeric" | "decimal" | "boolean" | "date" | "time"
            | "datetime" | "json",
        ) => ty,
        (Sqlite, _) => return Err(refused(ty, dialect)),
        (_, other) => other,
    };
    Ok(t.to_string())
}

fn refused(ty: &str, dialect: Dialect) -> String {
    format!("TypeORM does not support the data type \"{ty}\" on {dialect}")
}

/// The parenthesised arguments TypeORM writes after the type, if any.
fn arguments(a: &Attr, dialect: Dialect, base: &str) -> Option<String> {
    use Dialect::*;
    if dialect == Mysql && base == "enum" {
        let values: Vec<String> = a
            .enum_values
            .iter()
            .flatten()
            .map(|v| format!("'{}'", v.replace('\'', "''")))
            .collect();
        return Some(values.join(","));
    }
    let length = a.length.clone().or_else(|| match dialect {
        Mysql if a.refers_to_uuid || a.generated == Some(Strategy::Uuid) => Some("36".into()),
        Mysql if a.ty.as_deref() == Some("uuid") => Some("255".into()),
        Mysql if base == "varchar" => Some("255".into()),
        _ => None,
    });
    let with_length = matches!(
        base,
        "character varying"
            | "character"
            | "varchar"
            | "char"
            | "nvarchar"
            | "nchar"
            | "binary"
            | "varbinary"
            | "bit"
            | "varbit"
            | "varying character"
            | "native character"
    ) || (dialect == Sqlite && matches!(base, "text" | "blob" | "clob"));
    if let Some(l) = length.filter(|_| with_length) {
        return Some(l);
    }
    let date_like = matches!(
        base,
        "timestamp" | "datetime" | "time" | "timestamp with time zone" | "time with time zone"
    );
    let special_date = matches!(
        a.special,
        Some(Special::CreateDate | Special::UpdateDate | Special::DeleteDate)
    );
    if date_like {
        return match (&a.precision, dialect) {
            (Some(p), _) => Some(p.clone()),
            (None, Mysql) if special_date => Some("6".into()),
            _ => None,
        };
    }
    let numeric = matches!(base, "numeric" | "decimal" | "float" | "double" | "real")
        && !(dialect == Postgres && base != "numeric");
    if numeric {
        return match (&a.precision, &a.scale) {
            (Some(p), Some(s)) => Some(format!("{p},{s}")),
            (Some(p), None) => Some(p.clone()),
            _ => None,
        };
    }
    None
}
