//! Sequelize `DataTypes` and the column type each dialect gets for them (Sequelize 6's own
//! spellings, then parsed into the schema model's [`Type`]).

use crate::js::{Expr, Value};
use strata_schema::{Dialect, Type};

/// DataType is a Sequelize data type as written in a model.
#[derive(Debug, Clone, PartialEq)]
pub enum DataType {
    String {
        length: u32,
        binary: bool,
    },
    Char {
        length: u32,
    },
    Text {
        size: Option<String>,
    },
    Citext,
    Integer {
        name: &'static str,
        unsigned: bool,
    },
    Float,
    Real,
    Double,
    Decimal {
        precision: Option<(String, Option<String>)>,
    },
    Boolean,
    Date {
        precision: Option<String>,
    },
    DateOnly,
    Time,
    Json,
    Jsonb,
    Uuid,
    Blob {
        size: Option<String>,
    },
    Enum {
        values: Vec<String>,
    },
    /// Not a column (`DataTypes.VIRTUAL`).
    Virtual,
}

/// Why a data type could not be read: a message for the expression's position.
pub type Unreadable = String;

fn int_arg(e: Option<&Expr>) -> Option<Result<u32, Unreadable>> {
    let e = e?;
    match &e.value {
        Value::Num(n) => Some(
            n.parse()
                .map_err(|_| format!("expected a whole number, found {n}")),
        ),
        Value::Object(_) => e.get("length").map(|l| int_arg(Some(l)))?,
        _ => Some(Err(format!(
            "expected a number literal, found {}",
            e.describe()
        ))),
    }
}

fn num_text(e: &Expr) -> Result<String, Unreadable> {
    match &e.value {
        Value::Num(n) => Ok(n.clone()),
        _ => Err(format!("expected a number literal, found {}", e.describe())),
    }
}

fn str_arg(e: Option<&Expr>) -> Result<Option<String>, Unreadable> {
    match e {
        None => Ok(None),
        Some(e) => e
            .as_str()
            .map(|s| Some(s.to_lowercase()))
            .ok_or_else(|| format!("expected a string literal, found {}", e.describe())),
    }
}

impl DataType {
    /// Read `DataTypes.X`, `DataTypes.X(args)`, `DataTypes.X.UNSIGNED` (also through
    /// `Sequelize.X`, sequelize-typescript's `DataType.X` or a destructured `X`).
    pub fn read(e: &Expr) -> Result<DataType, Unreadable> {
        let (path, args): (&[String], &[Expr]) = match &e.value {
            Value::Path(p) => (p, &[]),
            Value::Call { callee, args } => (callee, args),
            _ => {
                return Err(format!("expected a DataTypes type, found {}", e.describe()));
            }
        };
        let mut names: Vec<&str> = path.iter().map(String::as_str).collect();
        if names.len() > 1 && matches!(names[0], "DataTypes" | "Sequelize" | "DataType") {
            names.remove(0);
        }
        let mut unsigned = false;
        let mut binary = false;
        while names.len() > 1 {
            match names.last() {
                Some(&"UNSIGNED") => unsigned = true,
                Some(&"BINARY") => binary = true,
                Some(&"ZEROFILL") => {}
                _ => break,
            }
            names.pop();
        }
        let [name] = names[..] else {
            return Err(format!("unknown data type {}", path.join(".")));
        };
        let first = args.first();
        Ok(match name {
            "STRING" => DataType::String {
                length: int_arg(first).transpose()?.unwrap_or(255),
                binary: binary || args.get(1).and_then(Expr::as_bool) == Some(true),
            },
            "CHAR" => DataType::Char {
                length: int_arg(first).transpose()?.unwrap_or(255),
            },
            "TEXT" => DataType::Text {
                size: str_arg(first)?,
            },
            "CITEXT" => DataType::Citext,
            "INTEGER" => DataType::Integer {
                name: "INTEGER",
                unsigned,
            },
            "BIGINT" => DataType::Integer {
                name: "BIGINT",
                unsigned,
            },
            "SMALLINT" => DataType::Integer {
                name: "SMALLINT",
                unsigned,
            },
            "MEDIUMINT" => DataType::Integer {
                name: "MEDIUMINT",
                unsigned,
            },
            "TINYINT" => DataType::Integer {
                name: "TINYINT",
                unsigned,
            },
            "FLOAT" => DataType::Float,
            "REAL" => DataType::Real,
            "DOUBLE" => DataType::Double,
            "DECIMAL" | "NUMERIC" => DataType::Decimal {
                precision: match first {
                    Some(p) => Some((num_text(p)?, args.get(1).map(num_text).transpose()?)),
                    None => None,
                },
            },
            "BOOLEAN" => DataType::Boolean,
            "DATE" => DataType::Date {
                precision: first.map(num_text).transpose()?,
            },
            "DATEONLY" => DataType::DateOnly,
            "TIME" => DataType::Time,
            "JSON" => DataType::Json,
            "JSONB" => DataType::Jsonb,
            "UUID" => DataType::Uuid,
            "BLOB" => DataType::Blob {
                size: str_arg(first)?,
            },
            "ENUM" => DataType::Enum {
                values: enum_values(args)?,
            },
            "VIRTUAL" => DataType::Virtual,
            other => return Err(format!("unsupported data type {other}")),
        })
    }

    /// The type `dialect` gets, as Sequelize 6 spells it in `CREATE TABLE`; `None` for a
    /// PostgreSQL enum (a named type the caller names) and for VIRTUAL.
    pub fn ddl(&self, dialect: Dialect) -> Result<Option<String>, Unreadable> {
        use Dialect::*;
        let text = match (self, dialect) {
            (DataType::String { length, .. }, _) => format!("VARCHAR({length})"),
            (DataType::Char { length }, _) => format!("CHAR({length})"),
            (DataType::Text { size: Some(s) }, Mysql) if !s.is_empty() => {
                format!("{}TEXT", s.to_uppercase())
            }
            (DataType::Text { .. }, _) => "TEXT".into(),
            (DataType::Citext, Postgres | Sqlite) => "CITEXT".into(),
            (DataType::Citext, Mysql) => return Err("CITEXT is not supported on MySQL".into()),
            (DataType::Integer { name, unsigned }, Mysql) if *unsigned => {
                format!("{name} UNSIGNED")
            }
            (
                DataType::Integer {
                    name: "TINYINT", ..
                },
                Postgres,
            ) => "SMALLINT".into(),
            (
                DataType::Integer {
                    name: "MEDIUMINT", ..
                },
                Postgres,
            ) => "INTEGER".into(),
            (DataType::Integer { name, .. }, _) => (*name).into(),
            (DataType::Float, _) => "FLOAT".into(),
            (DataType::Real, _) => "REAL".into(),
            (DataType::Double, _) => "DOUBLE PRECISION".into(),
            (DataType::Decimal { precision: None }, _) => "DECIMAL".into(),
            (
                DataType::Decimal {
                    precision: Some((p, None)),
                },
                _,
            ) => format!("DECIMAL({p})"),
            (
                DataType::Decimal {
                    precision: Some((p, Some(s))),
                },
                _,
            ) => format!("DECIMAL({p},{s})"),
            (DataType::Boolean, Postgres) => "BOOLEAN".into(),
            (DataType::Boolean, _) => "TINYINT(1)".into(),
            (DataType::Date { .. }, Postgres) => "TIMESTAMP WITH TIME ZONE".into(),
            (DataType::Date { precision: Some(p) }, Mysql) => format!("DATETIME({p})"),
            (DataType::Date { .. }, _) => "DATETIME".into(),
            (DataType::DateOnly, _) => "DATE".into(),
            (DataType::Time, _) => "TIME".into(),
            (DataType::Json, _) => "JSON".into(),
            (DataType::Jsonb, Mysql) => return Err("JSONB is not supported on MySQL".into()),
            (DataType::Jsonb, _) => "JSONB".into(),
            (DataType::Uuid, Mysql) => "CHAR(36)".into(),
            (DataType::Uuid, _) => "UUID".into(),
            (DataType::Blob { .. }, Postgres) => "BYTEA".into(),
            (DataType::Blob { size: Some(s) }, Mysql) if !s.is_empty() => {
                format!("{}BLOB", s.to_uppercase())
            }
            (DataType::Blob { .. }, _) => "BLOB".into(),
            (DataType::Enum { .. }, Postgres) | (DataType::Virtual, _) => return Ok(None),
            (DataType::Enum { values }, Mysql) => format!(
                "ENUM({})",
                values
                    .iter()
                    .map(|v| dialect.quote_str(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (DataType::Enum { .. }, Sqlite) => "TEXT".into(),
        };
        Ok(Some(text))
    }

    /// The schema-model type for `dialect` (see [`DataType::ddl`]).
    pub fn column_type(&self, dialect: Dialect) -> Result<Option<Type>, Unreadable> {
        Ok(self.ddl(dialect)?.map(|t| Type::parse(dialect, &t)))
    }

    /// The collation MySQL gives Sequelize's `BINARY` columns (UUID is `CHAR(36) BINARY`): the
    /// binary collation of the database's character set, assumed utf8mb4.
    pub fn collation(&self, dialect: Dialect) -> Option<String> {
        let binary = matches!(self, DataType::Uuid | DataType::String { binary: true, .. });
        (dialect == Dialect::Mysql && binary).then(|| "utf8mb4_bin".to_string())
    }

    /// MySQL emits no DEFAULT for these (the server rejects one).
    pub fn is_lob(&self) -> bool {
        matches!(
            self,
            DataType::Text { .. } | DataType::Blob { .. } | DataType::Json | DataType::Jsonb
        )
    }
}

fn enum_values(args: &[Expr]) -> Result<Vec<String>, Unreadable> {
    let items: Vec<&Expr> = match args {
        [
            Expr {
                value: Value::Array(items),
                ..
            },
        ] => items.iter().collect(),
        [
            single @ Expr {
                value: Value::Object(_),
                ..
            },
        ] => match single.get("values") {
            Some(Expr {
                value: Value::Array(items),
                ..
            }) => items.iter().collect(),
            _ => return Err("ENUM({ values }) needs an array literal".into()),
        },
        _ => args.iter().collect(),
    };
    items
        .into_iter()
        .map(|v| {
            v.as_str().map(str::to_string).ok_or_else(|| {
                format!(
                    "ENUM values must be string literals to be read statically, found {}",
                    v.describe()
                )
            })
        })
        .collect()
}
