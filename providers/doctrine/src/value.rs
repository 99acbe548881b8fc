//! The mapping language shared by PHP 8 attributes and docblock annotations: an attribute with
//! named arguments whose values are literals, arrays, class constants or nested attributes.
//! Both readers produce these, so the ORM rules are written once.

use std::path::PathBuf;
use std::sync::Arc;
use strata_schema::{Location, SourceError};

/// Pos is a place in a source file (1-based line and column), cheap to copy; the file is shared.
#[derive(Debug, Clone, PartialEq)]
pub struct Pos {
    pub file: Arc<PathBuf>,
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn location(&self) -> Location {
        Location {
            file: self.file.as_ref().clone(),
            line: self.line,
            column: self.column,
        }
    }

    /// An error at this place.
    pub fn error(&self, message: impl Into<String>) -> SourceError {
        SourceError {
            location: self.location(),
            message: message.into(),
            help: None,
        }
    }
}

/// Value is an argument value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(String),
    Int(i64),
    /// A float literal, as written.
    Float(String),
    Bool(bool),
    Null,
    /// An array: elements with their keys (`'a' => 1`) or without (`1`).
    Array(Vec<(Option<Value>, Value)>),
    /// `Class::NAME` with the class resolved to its fully qualified name (`Foo::class` has
    /// `name == "class"`).
    ClassConst {
        class: String,
        name: String,
    },
    /// A bare constant (`CASE_LOWER`, `PHP_INT_MAX`).
    Const(String),
    /// A nested attribute or annotation (`new ORM\JoinColumn(...)`, `@ORM\JoinColumn(...)`).
    Attr(Box<Attribute>),
    /// An expression the reader does not evaluate; its text.
    Unsupported(String),
}

/// Attribute is `#[Name(args)]` or `@Name(args)` with the name fully qualified through the
/// file's `use` imports.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    /// Arguments in order; positional ones have no name.
    pub args: Vec<(Option<String>, Value)>,
    pub pos: Pos,
}

/// The namespace of Doctrine's mapping attributes and annotations.
pub const MAPPING_NS: &str = "Doctrine\\ORM\\Mapping\\";

impl Attribute {
    /// The short mapping name (`Column`) when this is one of Doctrine's mapping attributes.
    pub fn mapping_name(&self) -> Option<&str> {
        self.name.strip_prefix(MAPPING_NS)
    }
}

impl Value {
    /// A string value, or an error naming what was expected.
    pub fn string(&self, what: &str) -> Result<String, SourceError> {
        match &self.kind {
            ValueKind::Str(s) => Ok(s.clone()),
            ValueKind::ClassConst { class, name } if class.ends_with("Types") => {
                dbal_type_constant(name).map(str::to_string).ok_or_else(|| {
                    self.pos
                        .error(format!("unknown DBAL type constant Types::{name}"))
                })
            }
            _ => Err(self.pos.error(format!("{what} must be a string literal"))),
        }
    }

    /// A class name (`Foo::class` or a string naming the class).
    pub fn class_name(&self, what: &str) -> Result<String, SourceError> {
        match &self.kind {
            ValueKind::ClassConst { class, name } if name == "class" => Ok(class.clone()),
            ValueKind::Str(s) => Ok(s.trim_start_matches('\\').to_string()),
            _ => Err(self
                .pos
                .error(format!("{what} must be a class name (Foo::class)"))),
        }
    }

    pub fn boolean(&self, what: &str) -> Result<bool, SourceError> {
        match &self.kind {
            ValueKind::Bool(b) => Ok(*b),
            _ => Err(self.pos.error(format!("{what} must be true or false"))),
        }
    }

    pub fn integer(&self, what: &str) -> Result<i64, SourceError> {
        match &self.kind {
            ValueKind::Int(i) => Ok(*i),
            _ => Err(self.pos.error(format!("{what} must be an integer literal"))),
        }
    }

    /// The elements of an array value (a lone value counts as a one-element array, as the
    /// annotation syntax allows).
    pub fn elements(&self) -> Vec<(Option<&Value>, &Value)> {
        match &self.kind {
            ValueKind::Array(items) => items.iter().map(|(k, v)| (k.as_ref(), v)).collect(),
            _ => vec![(None, self)],
        }
    }

    /// A list of strings (`['a', 'b']`).
    pub fn strings(&self, what: &str) -> Result<Vec<String>, SourceError> {
        self.elements()
            .into_iter()
            .map(|(_, v)| v.string(what))
            .collect()
    }
}

/// The type name behind a `Doctrine\DBAL\Types\Types` constant.
fn dbal_type_constant(name: &str) -> Option<&'static str> {
    Some(match name {
        "ARRAY" => "array",
        "ASCII_STRING" => "ascii_string",
        "BIGINT" => "bigint",
        "BINARY" => "binary",
        "BLOB" => "blob",
        "BOOLEAN" => "boolean",
        "DATE_MUTABLE" => "date",
        "DATE_IMMUTABLE" => "date_immutable",
        "DATEINTERVAL" => "dateinterval",
        "DATETIME_MUTABLE" => "datetime",
        "DATETIME_IMMUTABLE" => "datetime_immutable",
        "DATETIMETZ_MUTABLE" => "datetimetz",
        "DATETIMETZ_IMMUTABLE" => "datetimetz_immutable",
        "DECIMAL" => "decimal",
        "FLOAT" => "float",
        "SMALLFLOAT" => "smallfloat",
        "GUID" => "guid",
        "INTEGER" => "integer",
        "JSON" => "json",
        "OBJECT" => "object",
        "SIMPLE_ARRAY" => "simple_array",
        "SMALLINT" => "smallint",
        "STRING" => "string",
        "TEXT" => "text",
        "TIME_MUTABLE" => "time",
        "TIME_IMMUTABLE" => "time_immutable",
        _ => return None,
    })
}
