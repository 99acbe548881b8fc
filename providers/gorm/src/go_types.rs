//! What GORM makes of a Go type: a scalar data type (`schema.DataType` and its bit size), a
//! struct that is a relation or an embedding, or something that cannot be resolved statically.

use crate::go_source::{DbDataType, GoType, Package};

/// GORM's data type of a field before the dialect picks a column type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    String,
    Time,
    Bytes,
    /// A database type written out (`type:` tag or a `GormDataType()` literal): verbatim.
    Custom(String),
}

impl Kind {
    /// `type:bool` … `type:bytes` name GORM's generic kinds; anything else is verbatim.
    pub fn from_type_name(name: &str) -> Kind {
        match name.to_lowercase().as_str() {
            "bool" => Kind::Bool,
            "int" => Kind::Int,
            "uint" => Kind::Uint,
            "float" => Kind::Float,
            "string" => Kind::String,
            "time" => Kind::Time,
            "bytes" => Kind::Bytes,
            _ => Kind::Custom(name.to_string()),
        }
    }
}

/// The shape of a field's Go type as GORM's schema parser sees it.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A column: its kind, the default bit size GORM gives it, and a `GormDBDataType` when the
    /// type has one with literal returns.
    Scalar {
        kind: Kind,
        bits: i64,
        db_type: Option<DbDataType>,
    },
    /// A struct of the package (or `gorm.Model`); a relation or an embedding.
    Struct(String),
    /// A slice of package structs: has-many or many2many.
    StructSlice(String),
    /// Not resolvable without running Go; the text says what it is.
    Unknown(String),
}

/// The name under which `gorm.Model` is known among the package's structs.
pub const GORM_MODEL: &str = "gorm.Model";

fn scalar(kind: Kind, bits: i64) -> Shape {
    Shape::Scalar {
        kind,
        bits,
        db_type: None,
    }
}

fn builtin(name: &str) -> Option<Shape> {
    Some(match name {
        "bool" => scalar(Kind::Bool, 0),
        "string" => scalar(Kind::String, 0),
        "int" | "int64" => scalar(Kind::Int, 64),
        "int32" | "rune" => scalar(Kind::Int, 32),
        "int16" => scalar(Kind::Int, 16),
        "int8" => scalar(Kind::Int, 8),
        "uint" | "uint64" | "uintptr" => scalar(Kind::Uint, 64),
        "uint32" => scalar(Kind::Uint, 32),
        "uint16" => scalar(Kind::Uint, 16),
        "uint8" | "byte" => scalar(Kind::Uint, 8),
        "float64" => scalar(Kind::Float, 64),
        "float32" => scalar(Kind::Float, 32),
        _ => return None,
    })
}

/// Types of other packages GORM users commonly put in models, by import path and name.
fn imported(path: &str, name: &str) -> Option<Shape> {
    let json = || Shape::Scalar {
        kind: Kind::Custom("json".into()),
        bits: 0,
        db_type: Some(DbDataType {
            any: None,
            by_dialect: [("mysql", "JSON"), ("postgres", "JSONB"), ("sqlite", "JSON")]
                .into_iter()
                .map(|(d, t)| (d.to_string(), t.to_string()))
                .collect(),
        }),
    };
    Some(match (path, name) {
        ("time", "Time") | ("gorm.io/gorm", "DeletedAt") | ("database/sql", "NullTime") => {
            scalar(Kind::Time, 0)
        }
        ("gorm.io/gorm", "Model") => Shape::Struct(GORM_MODEL.into()),
        ("database/sql", "NullString") => scalar(Kind::String, 0),
        ("database/sql", "NullInt64") => scalar(Kind::Int, 64),
        ("database/sql", "NullInt32") => scalar(Kind::Int, 32),
        ("database/sql", "NullInt16") => scalar(Kind::Int, 16),
        ("database/sql", "NullByte") => scalar(Kind::Uint, 8),
        ("database/sql", "NullFloat64") => scalar(Kind::Float, 64),
        ("database/sql", "NullBool") => scalar(Kind::Bool, 0),
        ("gorm.io/datatypes", "JSON" | "JSONMap" | "JSONSlice" | "JSONType") => json(),
        ("gorm.io/datatypes", "Date") => scalar(Kind::Custom("date".into()), 0),
        ("gorm.io/datatypes", "Time") => scalar(Kind::Custom("time".into()), 0),
        // uuid.UUID is a [16]byte whose Valuer returns a string.
        ("github.com/google/uuid", "UUID") => scalar(Kind::String, 0),
        _ => return None,
    })
}

/// Resolve `ty` in `package`. Aliases and defined types follow their underlying type; a type
/// with `GormDataType()` / `GormDBDataType()` literals takes those; a struct with a `Value()`
/// method is read as its first field, as GORM does for `sql.Null*`-style wrappers.
pub fn shape(ty: &GoType, package: &Package) -> Shape {
    shape_at(ty, package, 0)
}

fn shape_at(ty: &GoType, package: &Package, depth: usize) -> Shape {
    if depth > 16 {
        return Shape::Unknown("a type that refers to itself".into());
    }
    match ty {
        GoType::Pointer(inner) => shape_at(inner, package, depth + 1),
        GoType::Slice(inner) => match shape_at(inner, package, depth + 1) {
            Shape::Scalar {
                kind: Kind::Uint,
                bits: 8,
                ..
            } => scalar(Kind::Bytes, 0),
            Shape::Struct(name) if name != GORM_MODEL => Shape::StructSlice(name),
            _ => Shape::Unknown(format!("a slice of {}", describe(inner))),
        },
        GoType::Named {
            package: Some(path),
            name,
        } => imported(path, name)
            .unwrap_or_else(|| Shape::Unknown(format!("{path}.{name} (another package)"))),
        GoType::Named {
            package: None,
            name,
        } => {
            if let Some(db_type) = package.gorm_db_data_types.get(name) {
                let kind = package
                    .gorm_data_types
                    .get(name)
                    .map(|t| Kind::from_type_name(t))
                    .unwrap_or(Kind::Custom(String::new()));
                return Shape::Scalar {
                    kind,
                    bits: 0,
                    db_type: Some(db_type.clone()),
                };
            }
            if let Some(t) = package.gorm_data_types.get(name) {
                return scalar(Kind::from_type_name(t), 0);
            }
            if let Some(s) = builtin(name) {
                return s;
            }
            if let Some(decl) = package.find_struct(name) {
                if package.valuers.contains(name) {
                    return match decl.fields.first() {
                        Some(f) => shape_at(&f.ty, package, depth + 1),
                        None => Shape::Unknown(format!("{name} (an empty Valuer struct)")),
                    };
                }
                return Shape::Struct(name.clone());
            }
            match package.named.get(name) {
                Some(decl) => shape_at(&decl.underlying, package, depth + 1),
                None => Shape::Unknown(format!("{name} (not declared in this package)")),
            }
        }
        GoType::Other(text) => Shape::Unknown(text.clone()),
    }
}

fn describe(ty: &GoType) -> String {
    match ty {
        GoType::Named {
            package: Some(p),
            name,
        } => format!("{p}.{name}"),
        GoType::Named { name, .. } => name.clone(),
        GoType::Pointer(t) => format!("*{}", describe(t)),
        GoType::Slice(t) => format!("[]{}", describe(t)),
        GoType::Other(t) => t.clone(),
    }
}
