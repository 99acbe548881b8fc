//! Sequelize `DataTypes` and the column type each dialect gets for them (Sequelize 6's own
//! spellings, then parsed into the schema model's [`Type`]).

use crate::js::{Expr, Value};
use strata_schema::{Dialect, Type};

/// DataType is a Sequelize data type as written in a model.
#[derive(Debug, Clone, PartialEq)]
pub enum DataType {
    /// `STRING`; `binary` is `STRING.BINARY` or `STRING(n, true)` (see [`DataType::ddl`]).
    String {
        length: u32,
        binary: bool,
    },
    /// `CHAR`, `binary` as for `STRING`.
    Char {
        length: u32,
        binary: bool,
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

/// Whether `STRING`/`CHAR` arguments ask for a binary string: `(n, true)` or
/// `({ length, binary: true })`, as Sequelize's constructors read them.
fn binary_arg(args: &[Expr]) -> Result<bool, Unreadable> {
    let flag = match args {
        [
            options @ Expr {
                value: Value::Object(_),
                ..
            },
        ] => options.get("binary"),
        [_, flag, ..] => Some(flag),
        _ => None,
    };
    match flag.map(|f| (f, &f.value)) {
        None | Some((_, Value::Undefined | Value::Null)) => Ok(false),
        Some((_, Value::Bool(b))) => Ok(*b),
        Some((f, _)) => Err(format!(
            "expected true or false for binary, found {}",
            f.describe()
        )),
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
    /// `Sequelize.X`, sequelize-typescript's `DataType.X`, a module object as compiled
    /// TypeScript writes it, or a destructured `X`).
    pub fn read(e: &Expr) -> Result<DataType, Unreadable> {
        // Options after a call, `STRING(20).BINARY` or `INTEGER(11).UNSIGNED.ZEROFILL`, are
        // read as if they followed the type's name.
        let mut options = Vec::new();
        let mut e = e;
        while let Value::Member { object, property } = &e.value {
            options.push(property.as_str());
            e = object;
        }
        let (path, args): (&[String], &[Expr]) = match &e.value {
            Value::Path(p) if options.is_empty() => (p, &[]),
            Value::Call { callee, args } => (callee, args),
            _ => {
                return Err(format!("expected a DataTypes type, found {}", e.describe()));
            }
        };
        let mut names: Vec<&str> = path.iter().map(String::as_str).collect();
        names.extend(options.iter().rev());
        // The namespace and what holds it: `DataTypes.X`, `Sequelize.DataTypes.X`, compiled
        // TypeScript's `sequelize_typescript_1.DataType.X`.
        let namespace = names[..names.len().saturating_sub(1)]
            .iter()
            .rposition(|n| matches!(*n, "DataTypes" | "Sequelize" | "DataType"));
        if let Some(i) = namespace {
            names.drain(..=i);
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
        if binary && !matches!(name, "STRING" | "CHAR") {
            return Err(format!(
                "{name} has no BINARY option (only STRING and CHAR have one)"
            ));
        }
        let first = args.first();
        Ok(match name {
            "STRING" => DataType::String {
                length: int_arg(first).transpose()?.unwrap_or(255),
                binary: binary || binary_arg(args)?,
            },
            "CHAR" => DataType::Char {
                length: int_arg(first).transpose()?.unwrap_or(255),
                binary: binary || binary_arg(args)?,
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
    ///
    /// A binary `STRING`/`CHAR` is where the dialects part most (Sequelize 6's
    /// `lib/dialects/*/data-types.js`): PostgreSQL makes it `BYTEA`, its length dropped; MySQL
    /// writes `VARCHAR(n) BINARY`, which the server stores as `VARCHAR(n)` with the binary
    /// collation of its character set (see [`DataType::collation`]); SQLite keeps the type name
    /// as written, `VARCHAR BINARY(n)`, with the length after the modifier.
    pub fn ddl(&self, dialect: Dialect) -> Result<Option<String>, Unreadable> {
        use Dialect::*;
        let text = match (self, dialect) {
            (
                DataType::String { binary: true, .. } | DataType::Char { binary: true, .. },
                Postgres,
            ) => "BYTEA".into(),
            (
                DataType::String {
                    length,
                    binary: true,
                },
                Sqlite,
            ) => format!("VARCHAR BINARY({length})"),
            (
                DataType::Char {
                    length,
                    binary: true,
                },
                Sqlite,
            ) => format!("CHAR BINARY({length})"),
            (DataType::String { length, .. }, _) => format!("VARCHAR({length})"),
            (DataType::Char { length, .. }, _) => format!("CHAR({length})"),
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
            // SQLite keeps the size in the type name, as MySQL (TEXT's it drops).
            (DataType::Blob { size: Some(s) }, Mysql | Sqlite) if !s.is_empty() => {
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
        let binary = matches!(
            self,
            DataType::Uuid
                | DataType::String { binary: true, .. }
                | DataType::Char { binary: true, .. }
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::js::Pos;
    use Dialect::*;

    fn expr(value: Value) -> Expr {
        Expr {
            value,
            pos: Pos::default(),
        }
    }

    fn path(text: &str) -> Vec<String> {
        text.split('.').map(str::to_string).collect()
    }

    fn call(callee: &str, args: Vec<Value>) -> Expr {
        expr(Value::Call {
            callee: path(callee),
            args: args.into_iter().map(expr).collect(),
        })
    }

    fn num(n: &str) -> Value {
        Value::Num(n.into())
    }

    /// The DDL of `e` on PostgreSQL, MySQL and SQLite, and its MySQL collation.
    fn per_dialect(e: &Expr) -> [Option<String>; 4] {
        let t = DataType::read(e).expect("read");
        [
            t.ddl(Postgres).expect("postgres"),
            t.ddl(Mysql).expect("mysql"),
            t.ddl(Sqlite).expect("sqlite"),
            t.collation(Mysql),
        ]
    }

    fn some(texts: [&str; 4]) -> [Option<String>; 4] {
        texts.map(|t| (!t.is_empty()).then(|| t.to_string()))
    }

    #[test]
    fn binary_strings_as_sequelize_6_writes_them() {
        let bin = "utf8mb4_bin";
        let string_255 = some(["BYTEA", "VARCHAR(255)", "VARCHAR BINARY(255)", bin]);
        let string_20 = some(["BYTEA", "VARCHAR(20)", "VARCHAR BINARY(20)", bin]);
        let char_255 = some(["BYTEA", "CHAR(255)", "CHAR BINARY(255)", bin]);
        let char_8 = some(["BYTEA", "CHAR(8)", "CHAR BINARY(8)", bin]);
        let options = |length: &str| {
            expr(Value::Object(vec![
                ("length".into(), expr(num(length))),
                ("binary".into(), expr(Value::Bool(true))),
            ]))
        };
        let cases = [
            (
                expr(Value::Path(path("DataTypes.STRING.BINARY"))),
                &string_255,
            ),
            (
                call("DataTypes.STRING", vec![num("20"), Value::Bool(true)]),
                &string_20,
            ),
            (
                expr(Value::Call {
                    callee: path("Sequelize.STRING"),
                    args: vec![options("20")],
                }),
                &string_20,
            ),
            (expr(Value::Path(path("DataTypes.CHAR.BINARY"))), &char_255),
            (call("CHAR", vec![num("8"), Value::Bool(true)]), &char_8),
            (
                member(call("DataTypes.STRING", vec![num("20")]), "BINARY"),
                &string_20,
            ),
            (member(call("CHAR", vec![num("8")]), "BINARY"), &char_8),
        ];
        for (e, expected) in cases {
            assert_eq!(&per_dialect(&e), expected, "{}", e.describe());
        }
        let plain = call("DataTypes.STRING", vec![num("20"), Value::Bool(false)]);
        assert_eq!(
            per_dialect(&plain),
            some(["VARCHAR(20)", "VARCHAR(20)", "VARCHAR(20)", ""])
        );
    }

    #[test]
    fn binary_strings_match_what_the_catalogs_report() {
        let t = DataType::read(&call(
            "DataTypes.STRING",
            vec![num("20"), Value::Bool(true)],
        ))
        .expect("read");
        // As each catalog reports the column Sequelize created, so that its plan is empty.
        for (dialect, catalog) in [
            (Postgres, "bytea"),
            (Mysql, "varchar(20)"),
            (Sqlite, "VARCHAR BINARY(20)"),
        ] {
            let column = t.column_type(dialect).expect("type").expect("a column");
            assert_eq!(column, Type::parse(dialect, catalog), "{dialect:?}");
            assert_eq!(
                Type::parse(dialect, &column.sql(dialect)),
                column,
                "{dialect:?}"
            );
        }
    }

    fn member(object: Expr, property: &str) -> Expr {
        expr(Value::Member {
            object: Box::new(object),
            property: property.into(),
        })
    }

    #[test]
    fn options_after_a_call_are_read_as_after_the_name() {
        let unsigned = member(
            member(call("DataTypes.INTEGER", vec![num("11")]), "UNSIGNED"),
            "ZEROFILL",
        );
        assert_eq!(
            DataType::read(&unsigned).expect("read"),
            DataType::read(&expr(Value::Path(path(
                "DataTypes.INTEGER.UNSIGNED.ZEROFILL"
            ))))
            .expect("read")
        );
        let decimal = member(
            call("DataTypes.DECIMAL", vec![num("10"), num("2")]),
            "UNSIGNED",
        );
        assert_eq!(
            per_dialect(&decimal),
            per_dialect(&call(
                "DataTypes.DECIMAL.UNSIGNED",
                vec![num("10"), num("2")]
            ))
        );
    }

    #[test]
    fn binary_forms_that_cannot_be_read_are_errors() {
        let computed = member(expr(Value::Other("call_expression".into())), "BINARY");
        let message = DataType::read(&computed).expect_err("a property of an unread value");
        assert_eq!(
            message,
            "expected a DataTypes type, found a call expression"
        );
        let flag = call(
            "DataTypes.STRING",
            vec![num("20"), Value::Path(path("flag"))],
        );
        assert_eq!(
            DataType::read(&flag).expect_err("not a literal"),
            "expected true or false for binary, found flag"
        );
        let integer = expr(Value::Path(path("DataTypes.INTEGER.BINARY")));
        assert!(DataType::read(&integer).is_err());
    }
}
