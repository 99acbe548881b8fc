//! Each driver's `DataTypeOf` (gorm.io/driver/mysql, postgres, sqlite): the column type text a
//! field gets, and whether the dialect numbers it itself.

use crate::go_types::Kind;
use crate::schema::Field;
use strata_schema::{Dialect, Identity, Type};

/// MySQL's string size for an unsized key, defaulted or indexed string (191 utf8mb4 characters
/// fit an InnoDB index prefix).
const MYSQL_KEY_STRING: i64 = 191;
/// Beyond this MySQL strings and blobs become `medium*`, beyond 2^24 `long*`.
const MYSQL_VARCHAR_MAX: i64 = 65535;
const MYSQL_MEDIUM_MAX: i64 = 1 << 24;

/// The column type text GORM writes for `field` and the identity it implies.
pub fn column_type(field: &Field, dialect: Dialect) -> (Type, Option<Identity>) {
    if let Some(db) = &field.db_type
        && let Some(text) = db.by_dialect.get(dialect.name()).or(db.any.as_ref())
    {
        return (Type::parse(dialect, text), None);
    }
    let (text, identity) = match dialect {
        Dialect::Mysql => mysql(field),
        Dialect::Postgres => postgres(field),
        Dialect::Sqlite => sqlite(field),
    };
    (Type::parse(dialect, &text), identity)
}

fn auto(field: &Field, identity: Identity) -> Option<Identity> {
    field.auto_increment.then_some(identity)
}

fn mysql(f: &Field) -> (String, Option<Identity>) {
    let text = match &f.kind {
        Kind::Bool => "boolean".to_string(),
        Kind::Int | Kind::Uint => {
            let base = match f.size {
                s if s <= 8 => "tinyint",
                s if s <= 16 => "smallint",
                s if s <= 24 => "mediumint",
                s if s <= 32 => "int",
                _ => "bigint",
            };
            if f.kind == Kind::Uint {
                format!("{base} unsigned")
            } else {
                base.to_string()
            }
        }
        Kind::Float if f.precision > 0 => format!("decimal({}, {})", f.precision, f.scale),
        Kind::Float if f.size <= 32 => "float".into(),
        Kind::Float => "double".into(),
        Kind::String => {
            let keyed = f.settings.set("INDEX") || f.settings.set("UNIQUE");
            let size = if f.size == 0 && (f.primary_key || f.default.is_some() || keyed) {
                MYSQL_KEY_STRING
            } else {
                f.size
            };
            match size {
                s if s > MYSQL_VARCHAR_MAX && s <= MYSQL_MEDIUM_MAX => "mediumtext".into(),
                s if s > MYSQL_MEDIUM_MAX || s <= 0 => "longtext".into(),
                s => format!("varchar({s})"),
            }
        }
        Kind::Time => {
            let precision = if f.precision == 0 && f.settings.get("PRECISION").is_none() {
                3
            } else {
                f.precision
            };
            if precision > 0 {
                format!("datetime({precision})")
            } else {
                "datetime".into()
            }
        }
        Kind::Bytes => match f.size {
            s if s > 0 && s <= MYSQL_VARCHAR_MAX => format!("varbinary({s})"),
            s if s > MYSQL_VARCHAR_MAX && s <= MYSQL_MEDIUM_MAX => "mediumblob".into(),
            _ => "longblob".into(),
        },
        Kind::Custom(t) => t.clone(),
    };
    (text, auto(f, Identity::AutoIncrement))
}

fn postgres(f: &Field) -> (String, Option<Identity>) {
    let int_size = || {
        if f.go_kind == Kind::Uint || f.kind == Kind::Uint {
            f.size + 1
        } else {
            f.size
        }
    };
    let int_type = |size: i64| match size {
        s if s <= 16 => "smallint",
        s if s <= 32 => "integer",
        _ => "bigint",
    };
    let text = match &f.kind {
        Kind::Bool => "boolean".to_string(),
        Kind::Int | Kind::Uint => int_type(int_size()).to_string(),
        Kind::Float if f.precision > 0 && f.scale > 0 => {
            format!("numeric({}, {})", f.precision, f.scale)
        }
        Kind::Float if f.precision > 0 => format!("numeric({})", f.precision),
        Kind::Float => "decimal".into(),
        Kind::String if f.size > 0 => format!("varchar({})", f.size),
        Kind::String => "text".into(),
        Kind::Time if f.precision > 0 => format!("timestamptz({})", f.precision),
        Kind::Time => "timestamptz".into(),
        Kind::Bytes => "bytea".into(),
        // A custom type that auto-increments becomes a serial of the Go type's size.
        Kind::Custom(t) if f.auto_increment && !t.to_lowercase().contains("serial") => {
            int_type(int_size()).to_string()
        }
        Kind::Custom(t) => t.clone(),
    };
    (text, auto(f, Identity::Serial))
}

fn sqlite(f: &Field) -> (String, Option<Identity>) {
    let text = match &f.kind {
        Kind::Bool => "numeric".to_string(),
        Kind::Int | Kind::Uint => "integer".into(),
        Kind::Float => "real".into(),
        Kind::String => "text".into(),
        Kind::Time => "datetime".into(),
        Kind::Bytes => "blob".into(),
        Kind::Custom(t) => t.clone(),
    };
    let identity = (f.auto_increment && matches!(f.kind, Kind::Int | Kind::Uint))
        .then_some(Identity::AutoIncrement);
    (text, identity)
}

/// `integer PRIMARY KEY AUTOINCREMENT` carries the key in the type on SQLite: GORM then
/// writes no `PRIMARY KEY (…)` clause, so that column alone is the key.
pub fn sqlite_inline_key(field: &Field) -> bool {
    field.auto_increment && matches!(field.kind, Kind::Int | Kind::Uint)
}
