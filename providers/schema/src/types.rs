//! Column types, structured so that every spelling of one type is one value.
//!
//! [`Type::parse`] reads a type as a dialect writes it (in DDL or in its catalog) and returns the
//! canonical value: `int4`, `integer` and `int(11)` all become `Integer { bytes: 4 }`, MySQL's
//! `tinyint(1)` becomes `Boolean`, PostgreSQL's `numeric(5)` becomes `numeric(5,0)`.
//! [`Type::sql`] prints the value back in the dialect's preferred spelling. `parse(sql(t)) == t`
//! holds for every type a dialect can represent.

use crate::Dialect;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// LobSize is MySQL's size class of TEXT and BLOB columns; other dialects only use `Normal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LobSize {
    Tiny,
    Normal,
    Medium,
    Long,
}

/// Type is a column type. Unknown types are kept as [`Type::Other`] with normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Type {
    /// Integer by storage width in bytes: 1 tinyint, 2 smallint, 3 mediumint, 4 integer, 8 bigint.
    Integer {
        bytes: u8,
        #[serde(default, skip_serializing_if = "is_false")]
        unsigned: bool,
    },
    Boolean,
    /// Exact numeric; `None` precision means unconstrained (PostgreSQL `numeric`).
    Decimal {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        unsigned: bool,
    },
    /// Binary floating point of 4 (real / float) or 8 (double precision) bytes.
    Float {
        bytes: u8,
    },
    /// Fixed-length character string.
    Char {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    },
    /// Variable-length character string; `None` length means unbounded (PostgreSQL).
    Varchar {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    },
    Text {
        size: LobSize,
    },
    /// Fixed (`binary(n)`) or variable (`varbinary(n)`) byte string with a declared length.
    Binary {
        length: Option<u32>,
        fixed: bool,
    },
    /// Unbounded byte string: `bytea`, `blob` and MySQL's sized blobs.
    Blob {
        size: LobSize,
    },
    Date,
    Time {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        tz: bool,
    },
    /// PostgreSQL `timestamp [with time zone]`, MySQL `timestamp`.
    Timestamp {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        tz: bool,
    },
    /// MySQL `datetime`, SQLite `DATETIME`.
    DateTime {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
    },
    /// `json`, or with `binary` PostgreSQL's `jsonb`.
    Json {
        #[serde(default, skip_serializing_if = "is_false")]
        binary: bool,
    },
    Uuid,
    /// MySQL inline `enum('a','b')`.
    Enum {
        values: Vec<String>,
    },
    /// MySQL inline `set('a','b')`.
    Set {
        values: Vec<String>,
    },
    /// A named user-defined type, such as a PostgreSQL enum or domain (unquoted name, optionally
    /// schema-qualified as `schema.name`).
    UserDefined {
        name: String,
    },
    /// PostgreSQL array of an element type.
    Array {
        element: Box<Type>,
    },
    /// Anything else, as lowercase text with single spaces.
    Other {
        name: String,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Raw is a type split into its base words, its parenthesised arguments and its modifiers.
struct Raw {
    base: String,
    args: Vec<String>,
    unsigned: bool,
    tz: Option<bool>,
    array: bool,
}

fn split(text: &str) -> Raw {
    let mut s = text.trim().to_string();
    let mut array = false;
    while let Some(rest) = s.strip_suffix("[]") {
        s = rest.trim_end().to_string();
        array = true;
    }
    let lower = s.to_lowercase();
    let (head, args, tail) = match (lower.find('('), lower.rfind(')')) {
        (Some(open), Some(close)) if close > open => (
            lower[..open].to_string(),
            split_args(&s[open + 1..close]),
            lower[close + 1..].to_string(),
        ),
        _ => (lower.clone(), Vec::new(), String::new()),
    };
    let mut words: Vec<&str> = head
        .split_whitespace()
        .chain(tail.split_whitespace())
        .collect();
    let mut unsigned = false;
    words.retain(|w| match *w {
        "unsigned" => {
            unsigned = true;
            false
        }
        "zerofill" | "signed" => false,
        _ => true,
    });
    let mut joined = words.join(" ");
    let mut tz = None;
    for (suffix, value) in [(" without time zone", false), (" with time zone", true)] {
        if let Some(rest) = joined.strip_suffix(suffix) {
            joined = rest.to_string();
            tz = Some(value);
        }
    }
    Raw {
        base: joined,
        args,
        unsigned,
        tz,
        array,
    }
}

/// Split `a, 'b,c', d` on top-level commas, keeping quoted strings whole.
fn split_args(inner: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => {
                if chars.peek() == Some(&q) {
                    cur.push(c);
                    cur.push(chars.next().unwrap_or(q));
                } else {
                    quote = None;
                    cur.push(c);
                }
            }
            Some(_) => {
                if c == '\\' {
                    cur.push(c);
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else {
                    cur.push(c);
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == ',' => out.push(std::mem::take(&mut cur).trim().to_string()),
            None => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Unquote a SQL string literal `'a''b'` (also `\'` escapes, as MySQL prints them).
fn unquote(lit: &str) -> String {
    let t = lit.trim();
    let inner = t
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .unwrap_or(t);
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

impl Type {
    /// Parse a type as `dialect` spells it, in DDL or in its catalog.
    pub fn parse(dialect: Dialect, text: &str) -> Type {
        let raw = split(text);
        let element = parse_base(dialect, &raw);
        if raw.array {
            Type::Array {
                element: Box::new(element),
            }
        } else {
            element
        }
    }

    /// The type in `dialect`'s canonical spelling, ready for DDL.
    pub fn sql(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::Postgres => postgres_sql(self),
            Dialect::Mysql => mysql_sql(self),
            Dialect::Sqlite => sqlite_sql(self),
        }
    }
}

fn num(args: &[String], i: usize) -> Option<u32> {
    args.get(i).and_then(|a| a.trim().parse().ok())
}

fn parse_base(dialect: Dialect, raw: &Raw) -> Type {
    use Dialect::*;
    let args = &raw.args;
    let unsigned = raw.unsigned;
    let int = |bytes| Type::Integer { bytes, unsigned };
    match raw.base.as_str() {
        "tinyint" | "int1" if dialect == Mysql && num(args, 0) == Some(1) && !unsigned => {
            Type::Boolean
        }
        "tinyint" | "int1" => int(1),
        "smallint" | "int2" | "smallserial" | "serial2" => int(2),
        "mediumint" | "int3" | "middleint" => int(3),
        "integer" | "int" | "int4" | "serial" | "serial4" => int(4),
        "bigint" | "int8" | "bigserial" | "serial8" => int(8),
        "boolean" | "bool" => Type::Boolean,
        "decimal" | "numeric" | "dec" | "fixed" => {
            let (mut precision, mut scale) = (num(args, 0), num(args, 1));
            if precision.is_some() && scale.is_none() && dialect != Sqlite {
                scale = Some(0);
            }
            if precision.is_none() && dialect == Mysql {
                (precision, scale) = (Some(10), Some(0));
            }
            Type::Decimal {
                precision,
                scale,
                unsigned,
            }
        }
        "real" | "float4" if dialect != Sqlite && !(dialect == Mysql && raw.base == "real") => {
            Type::Float { bytes: 4 }
        }
        "float" if dialect == Mysql => match num(args, 0) {
            Some(p) if p > 24 => Type::Float { bytes: 8 },
            _ => Type::Float { bytes: 4 },
        },
        "float" if dialect == Postgres => match num(args, 0) {
            Some(p) if p <= 24 => Type::Float { bytes: 4 },
            _ => Type::Float { bytes: 8 },
        },
        "float" | "real" | "float4" | "float8" | "double" | "double precision" => {
            Type::Float { bytes: 8 }
        }
        "character varying"
        | "varchar"
        | "nvarchar"
        | "national varchar"
        | "varchar2"
        | "varying character"
        | "national character varying" => Type::Varchar {
            length: num(args, 0),
        },
        "character" | "char" | "bpchar" | "nchar" | "national char" | "national character" => {
            let default_one = if dialect == Sqlite { None } else { Some(1) };
            Type::Char {
                length: num(args, 0).or(default_one),
            }
        }
        "text" | "clob" => Type::Text {
            size: LobSize::Normal,
        },
        "tinytext" => Type::Text {
            size: LobSize::Tiny,
        },
        "mediumtext" => Type::Text {
            size: LobSize::Medium,
        },
        "longtext" => Type::Text {
            size: LobSize::Long,
        },
        "bytea" | "blob" => Type::Blob {
            size: LobSize::Normal,
        },
        "tinyblob" => Type::Blob {
            size: LobSize::Tiny,
        },
        "mediumblob" => Type::Blob {
            size: LobSize::Medium,
        },
        "longblob" => Type::Blob {
            size: LobSize::Long,
        },
        "binary" => Type::Binary {
            length: num(args, 0).or(Some(1)),
            fixed: true,
        },
        "varbinary" => Type::Binary {
            length: num(args, 0),
            fixed: false,
        },
        "date" => Type::Date,
        "time" => Type::Time {
            precision: precision(dialect, args),
            tz: raw.tz == Some(true),
        },
        "timetz" => Type::Time {
            precision: precision(dialect, args),
            tz: true,
        },
        "timestamp" => Type::Timestamp {
            precision: precision(dialect, args),
            tz: raw.tz == Some(true),
        },
        "timestamptz" => Type::Timestamp {
            precision: precision(dialect, args),
            tz: true,
        },
        "datetime" => Type::DateTime {
            precision: precision(dialect, args),
        },
        "json" => Type::Json { binary: false },
        "jsonb" => Type::Json { binary: true },
        "uuid" => Type::Uuid,
        "enum" => Type::Enum {
            values: args.iter().map(|a| unquote(a)).collect(),
        },
        "set" => Type::Set {
            values: args.iter().map(|a| unquote(a)).collect(),
        },
        _ => other(dialect, raw),
    }
}

/// Fractional-second precision with each dialect's default removed, so that PostgreSQL's
/// `timestamp(6)` equals `timestamp` and MySQL's `datetime(0)` equals `datetime`.
fn precision(dialect: Dialect, args: &[String]) -> Option<u32> {
    match (dialect, num(args, 0)) {
        (Dialect::Postgres, Some(6)) | (Dialect::Mysql, Some(0)) => None,
        (_, p) => p,
    }
}

fn other(dialect: Dialect, raw: &Raw) -> Type {
    let mut name = raw.base.clone();
    if !raw.args.is_empty() {
        let _ = write!(name, "({})", raw.args.join(","));
    }
    if raw.unsigned {
        name.push_str(" unsigned");
    }
    match raw.tz {
        Some(true) => name.push_str(" with time zone"),
        Some(false) => name.push_str(" without time zone"),
        None => {}
    }
    // A bare identifier that is not a known type is a user-defined type in PostgreSQL
    // (enums, domains); quoted names keep their case.
    if dialect == Dialect::Postgres && raw.args.is_empty() && is_type_name(&raw.base) {
        return Type::UserDefined {
            name: raw.base.replace('"', ""),
        };
    }
    Type::Other { name }
}

fn is_type_name(s: &str) -> bool {
    const BUILTIN: &[&str] = &[
        "interval",
        "inet",
        "cidr",
        "macaddr",
        "macaddr8",
        "money",
        "xml",
        "tsvector",
        "tsquery",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "bit",
        "varbit",
        "oid",
        "name",
        "regclass",
        "citext",
        "hstore",
        "ltree",
        "bit varying",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "pg_lsn",
        "txid_snapshot",
    ];
    !BUILTIN.contains(&s)
        && !s.contains(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"')
}

fn with_precision(base: &str, p: Option<u32>) -> String {
    match p {
        Some(p) => format!("{base}({p})"),
        None => base.to_string(),
    }
}

fn decimal(base: &str, precision: Option<u32>, scale: Option<u32>) -> String {
    match (precision, scale) {
        (Some(p), Some(s)) => format!("{base}({p},{s})"),
        (Some(p), None) => format!("{base}({p})"),
        _ => base.to_string(),
    }
}

fn quoted_list(values: &[String], dialect: Dialect) -> String {
    values
        .iter()
        .map(|v| dialect.quote_str(v))
        .collect::<Vec<_>>()
        .join(",")
}

fn postgres_sql(t: &Type) -> String {
    let tz = |tz: bool| {
        if tz {
            " with time zone"
        } else {
            " without time zone"
        }
    };
    match t {
        Type::Integer { bytes: 1 | 2, .. } => "smallint".into(),
        Type::Integer { bytes: 3 | 4, .. } => "integer".into(),
        Type::Integer { .. } => "bigint".into(),
        Type::Boolean => "boolean".into(),
        Type::Decimal {
            precision, scale, ..
        } => decimal("numeric", *precision, *scale),
        Type::Float { bytes: 4 } => "real".into(),
        Type::Float { .. } => "double precision".into(),
        Type::Char { length } => with_precision("character", *length),
        Type::Varchar { length } => with_precision("character varying", *length),
        Type::Text { .. } | Type::Enum { .. } | Type::Set { .. } => "text".into(),
        Type::Binary { .. } | Type::Blob { .. } => "bytea".into(),
        Type::Date => "date".into(),
        Type::Time { precision, tz: z } => with_precision("time", *precision) + tz(*z),
        Type::Timestamp { precision, tz: z } => with_precision("timestamp", *precision) + tz(*z),
        Type::DateTime { precision } => with_precision("timestamp", *precision) + tz(false),
        Type::Json { binary: false } => "json".into(),
        Type::Json { binary: true } => "jsonb".into(),
        Type::Uuid => "uuid".into(),
        Type::UserDefined { name } => name
            .split('.')
            .map(|p| Dialect::Postgres.quote(p))
            .collect::<Vec<_>>()
            .join("."),
        Type::Array { element } => format!("{}[]", postgres_sql(element)),
        Type::Other { name } => name.clone(),
    }
}

fn mysql_sql(t: &Type) -> String {
    let unsigned = |u: bool| if u { " unsigned" } else { "" };
    match t {
        Type::Integer { bytes, unsigned: u } => {
            let base = match bytes {
                1 => "tinyint",
                2 => "smallint",
                3 => "mediumint",
                4 => "int",
                _ => "bigint",
            };
            format!("{base}{}", unsigned(*u))
        }
        Type::Boolean => "tinyint(1)".into(),
        Type::Decimal {
            precision,
            scale,
            unsigned: u,
        } => decimal("decimal", *precision, *scale) + unsigned(*u),
        Type::Float { bytes: 4 } => "float".into(),
        Type::Float { .. } => "double".into(),
        Type::Char { length } => with_precision("char", *length),
        Type::Varchar { length } => format!("varchar({})", length.unwrap_or(255)),
        Type::Text { size } => lob("text", *size),
        Type::Blob { size } => lob("blob", *size),
        Type::Binary {
            length,
            fixed: true,
        } => with_precision("binary", *length),
        Type::Binary {
            length,
            fixed: false,
        } => format!("varbinary({})", length.unwrap_or(255)),
        Type::Date => "date".into(),
        Type::Time { precision, .. } => with_precision("time", *precision),
        Type::Timestamp { precision, .. } => with_precision("timestamp", *precision),
        Type::DateTime { precision } => with_precision("datetime", *precision),
        Type::Json { .. } => "json".into(),
        Type::Uuid => "uuid".into(),
        Type::Enum { values } => format!("enum({})", quoted_list(values, Dialect::Mysql)),
        Type::Set { values } => format!("set({})", quoted_list(values, Dialect::Mysql)),
        Type::UserDefined { name } | Type::Other { name } => name.clone(),
        Type::Array { .. } => "json".into(),
    }
}

fn lob(base: &str, size: LobSize) -> String {
    let prefix = match size {
        LobSize::Tiny => "tiny",
        LobSize::Normal => "",
        LobSize::Medium => "medium",
        LobSize::Long => "long",
    };
    format!("{prefix}{base}")
}

fn sqlite_sql(t: &Type) -> String {
    match t {
        Type::Integer { bytes: 1, .. } => "TINYINT".into(),
        Type::Integer { bytes: 2, .. } => "SMALLINT".into(),
        Type::Integer { bytes: 3, .. } => "MEDIUMINT".into(),
        Type::Integer { bytes: 4, .. } => "INTEGER".into(),
        Type::Integer { .. } => "BIGINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Decimal {
            precision, scale, ..
        } => decimal("DECIMAL", *precision, *scale),
        Type::Float { .. } => "REAL".into(),
        Type::Char { length } => with_precision("CHAR", *length),
        Type::Varchar { length } => with_precision("VARCHAR", *length),
        Type::Text { .. } | Type::Enum { .. } | Type::Set { .. } => "TEXT".into(),
        Type::Binary { .. } | Type::Blob { .. } => "BLOB".into(),
        Type::Date => "DATE".into(),
        Type::Time { precision, .. } => with_precision("TIME", *precision),
        Type::Timestamp { precision, .. } => with_precision("TIMESTAMP", *precision),
        Type::DateTime { precision } => with_precision("DATETIME", *precision),
        Type::Json { binary: false } => "JSON".into(),
        Type::Json { binary: true } => "JSONB".into(),
        Type::Uuid => "UUID".into(),
        Type::UserDefined { name } => name.to_uppercase(),
        Type::Array { .. } => "JSON".into(),
        Type::Other { name } => name.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    #[test]
    fn aliases_parse_to_one_value() {
        let int4 = Type::Integer {
            bytes: 4,
            unsigned: false,
        };
        for t in ["int4", "integer", "INT", "serial"] {
            assert_eq!(Type::parse(Postgres, t), int4, "{t}");
        }
        assert_eq!(Type::parse(Mysql, "int(11)"), int4);
        assert_eq!(Type::parse(Mysql, "tinyint(1)"), Type::Boolean);
        assert_eq!(
            Type::parse(Mysql, "tinyint(4)"),
            Type::Integer {
                bytes: 1,
                unsigned: false
            }
        );
        assert_eq!(
            Type::parse(Mysql, "int(10) unsigned"),
            Type::Integer {
                bytes: 4,
                unsigned: true
            }
        );
        assert_eq!(
            Type::parse(Postgres, "timestamp(6) without time zone"),
            Type::parse(Postgres, "timestamp")
        );
        assert_eq!(
            Type::parse(Postgres, "timestamptz(3)"),
            Type::Timestamp {
                precision: Some(3),
                tz: true
            }
        );
        assert_eq!(
            Type::parse(Postgres, "numeric(5)"),
            Type::parse(Postgres, "numeric(5,0)")
        );
        assert_eq!(
            Type::parse(Mysql, "decimal"),
            Type::parse(Mysql, "decimal(10,0)")
        );
        assert_eq!(
            Type::parse(Postgres, "character varying(30)"),
            Type::Varchar { length: Some(30) }
        );
        assert_eq!(
            Type::parse(Postgres, "bpchar"),
            Type::Char { length: Some(1) }
        );
        assert_eq!(
            Type::parse(Postgres, "integer[]"),
            Type::Array {
                element: Box::new(int4.clone())
            }
        );
        assert_eq!(
            Type::parse(Postgres, "mood"),
            Type::UserDefined {
                name: "mood".into()
            }
        );
        assert_eq!(
            Type::parse(Mysql, "enum('a','it''s')"),
            Type::Enum {
                values: vec!["a".into(), "it's".into()]
            }
        );
    }

    #[test]
    fn printed_types_parse_back() {
        let samples = [
            "smallint",
            "int",
            "bigint unsigned",
            "boolean",
            "numeric(10,2)",
            "numeric",
            "real",
            "double precision",
            "char(3)",
            "varchar(20)",
            "text",
            "longtext",
            "bytea",
            "blob",
            "varbinary(16)",
            "date",
            "time(3)",
            "timestamp",
            "timestamptz",
            "datetime(6)",
            "json",
            "jsonb",
            "uuid",
            "enum('x','y')",
            "interval",
            "text[]",
        ];
        for d in [Postgres, Mysql, Sqlite] {
            for s in samples {
                let t = Type::parse(d, s);
                let printed = t.sql(d);
                let again = Type::parse(d, &printed);
                // Types a dialect cannot hold map to a stand-in, which must itself be stable.
                assert_eq!(
                    Type::parse(d, &again.sql(d)),
                    again,
                    "{d}: {s} -> {printed}"
                );
            }
        }
        assert_eq!(
            Type::parse(
                Postgres,
                &Type::Timestamp {
                    precision: None,
                    tz: true
                }
                .sql(Postgres)
            ),
            Type::Timestamp {
                precision: None,
                tz: true
            }
        );
    }
}
