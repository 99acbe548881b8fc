//! Doctrine (DBAL) types as each platform declares them in `CREATE TABLE`.

use crate::Version;
use strata_schema::Dialect;

/// ColumnSpec is what DBAL needs to declare a column's type.
#[derive(Debug, Clone, Default)]
pub struct ColumnSpec {
    pub doctrine_type: String,
    pub length: Option<i64>,
    pub precision: Option<i64>,
    pub scale: Option<i64>,
    pub unsigned: bool,
    pub fixed: bool,
    pub jsonb: bool,
    /// Identity / auto-increment column (SQLite then declares INTEGER).
    pub autoincrement: bool,
}

/// The SQL type declaration, or `None` for a type this reader does not know (custom DBAL types
/// are registered at run time and cannot be read statically).
pub fn declaration(dialect: Dialect, version: Version, spec: &ColumnSpec) -> Option<String> {
    use Dialect::*;
    let unsigned = |base: &str| match dialect {
        Mysql | Sqlite if spec.unsigned => format!("{base} UNSIGNED"),
        _ => base.to_string(),
    };
    let sized = |fixed_name: &str, var_name: &str, default_len: i64| {
        let len = spec.length.unwrap_or(default_len);
        if spec.fixed {
            format!("{fixed_name}({len})")
        } else {
            format!("{var_name}({len})")
        }
    };
    let t = spec.doctrine_type.as_str();
    Some(match t {
        _ if spec.autoincrement && dialect == Sqlite => "INTEGER".to_string(),
        "integer" => unsigned(if dialect == Sqlite { "INTEGER" } else { "INT" }),
        "bigint" => unsigned("BIGINT"),
        "smallint" => unsigned("SMALLINT"),
        "string" | "ascii_string" | "dateinterval" => sized("CHAR", "VARCHAR", 255),
        "text" | "simple_array" | "array" | "object" => match dialect {
            Mysql => mysql_lob("TEXT", spec.length),
            Postgres => "TEXT".into(),
            Sqlite => "CLOB".into(),
        },
        "boolean" => match dialect {
            Mysql => "TINYINT(1)".into(),
            _ => "BOOLEAN".into(),
        },
        "decimal" => {
            let base = format!(
                "NUMERIC({}, {})",
                spec.precision.unwrap_or(10),
                spec.scale.unwrap_or(0)
            );
            unsigned(&base)
        }
        "float" => unsigned("DOUBLE PRECISION"),
        "smallfloat" if version == Version::Orm3 => match dialect {
            Mysql => unsigned("FLOAT"),
            _ => "REAL".into(),
        },
        "date" | "date_immutable" => "DATE".into(),
        "datetime" | "datetime_immutable" => match dialect {
            Postgres => "TIMESTAMP(0) WITHOUT TIME ZONE".into(),
            _ => "DATETIME".into(),
        },
        "datetimetz" | "datetimetz_immutable" => match dialect {
            Postgres => "TIMESTAMP(0) WITH TIME ZONE".into(),
            _ => "DATETIME".into(),
        },
        "time" | "time_immutable" => match dialect {
            Postgres => "TIME(0) WITHOUT TIME ZONE".into(),
            _ => "TIME".into(),
        },
        "json" => match dialect {
            Mysql => "JSON".into(),
            Postgres if spec.jsonb => "JSONB".into(),
            Postgres => "JSON".into(),
            Sqlite => "CLOB".into(),
        },
        "guid" => match dialect {
            Postgres => "UUID".into(),
            _ => "CHAR(36)".into(),
        },
        "blob" => match dialect {
            Mysql => mysql_lob("BLOB", spec.length),
            Postgres => "BYTEA".into(),
            Sqlite => "BLOB".into(),
        },
        "binary" => match dialect {
            Mysql => sized("BINARY", "VARBINARY", 255),
            Postgres => "BYTEA".into(),
            Sqlite => "BLOB".into(),
        },
        _ => return None,
    })
}

/// MySQL picks the TEXT / BLOB size class from the declared length.
fn mysql_lob(kind: &str, length: Option<i64>) -> String {
    match length {
        Some(l) if l <= 255 => format!("TINY{kind}"),
        Some(l) if l <= 65_535 => kind.to_string(),
        Some(l) if l <= 16_777_215 => format!("MEDIUM{kind}"),
        _ => format!("LONG{kind}"),
    }
}

/// DBAL 3 marks columns whose PHP type cannot be told from the SQL type with a
/// `(DC2Type:<type>)` comment.
pub fn needs_type_comment(dialect: Dialect, doctrine_type: &str) -> bool {
    match doctrine_type {
        "array" | "simple_array" | "object" | "dateinterval" => true,
        t if t.ends_with("_immutable") => true,
        "json" => dialect == Dialect::Sqlite,
        "guid" => dialect != Dialect::Postgres,
        _ => false,
    }
}

/// The Doctrine type of a property's PHP type when `#[Column]` names none (ORM ≥ 2.9).
pub fn from_php_type(php_type: &str) -> Option<&'static str> {
    Some(match php_type.trim_start_matches('\\') {
        "int" => "integer",
        "string" => "string",
        "bool" => "boolean",
        "float" => "float",
        "array" => "json",
        "DateTime" | "DateTimeInterface" => "datetime",
        "DateTimeImmutable" => "datetime_immutable",
        "DateInterval" => "dateinterval",
        _ => return None,
    })
}
