//! The syntax tree of a Prisma schema: blocks, fields, attributes and their arguments, each
//! with the position it was written at so every later error can point back into the file.

/// Pos is a place in one of the schema files: the file's index in the load and a 1-based line
/// and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub file: usize,
    pub line: usize,
    pub column: usize,
}

/// Ident is a name as written, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub pos: Pos,
}

/// Schema is every block of every file of one load, in reading order.
#[derive(Debug, Default)]
pub struct Schema {
    pub models: Vec<Model>,
    pub views: Vec<Model>,
    /// Composite `type` blocks (MongoDB only).
    pub types: Vec<Model>,
    pub enums: Vec<Enum>,
    pub datasources: Vec<Config>,
    pub generators: Vec<Config>,
}

/// Model is a `model`, `view` or `type` block.
#[derive(Debug)]
pub struct Model {
    pub name: Ident,
    pub fields: Vec<Field>,
    /// Block attributes (`@@id`, `@@map`, …).
    pub attributes: Vec<Attribute>,
}

/// Field is one line of a model: `name Type? @attr(…)`.
#[derive(Debug)]
pub struct Field {
    pub name: Ident,
    pub ty: FieldType,
    pub attributes: Vec<Attribute>,
}

/// Arity is `T`, `T?` or `T[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Required,
    Optional,
    List,
}

/// FieldType is the declared type: a scalar, enum, model or composite name, or
/// `Unsupported("db type")`.
#[derive(Debug)]
pub struct FieldType {
    pub name: Ident,
    pub arity: Arity,
    /// The database type text of `Unsupported("…")`.
    pub unsupported: Option<String>,
}

/// Enum is an `enum` block.
#[derive(Debug)]
pub struct Enum {
    pub name: Ident,
    pub values: Vec<EnumValue>,
    pub attributes: Vec<Attribute>,
}

/// EnumValue is one member with its attributes (`@map`).
#[derive(Debug)]
pub struct EnumValue {
    pub name: Ident,
    pub attributes: Vec<Attribute>,
}

/// Config is a `datasource` or `generator` block: `key = value` lines.
#[derive(Debug)]
pub struct Config {
    pub name: Ident,
    pub properties: Vec<(Ident, Expr)>,
}

impl Config {
    /// The value of property `key`.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.properties
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }
}

/// Attribute is `@name(args)` on a field or enum value, or `@@name(args)` on a block. Native
/// type attributes keep their datasource prefix in `name` (`db.VarChar`).
#[derive(Debug)]
pub struct Attribute {
    pub name: Ident,
    pub args: Vec<Arg>,
    /// Position of the `@`.
    pub pos: Pos,
}

impl Attribute {
    /// The argument called `name`, or the first positional one when `positional` allows it.
    pub fn arg(&self, name: &str, positional: bool) -> Option<&Arg> {
        self.args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == name))
            .or_else(|| {
                positional
                    .then(|| self.args.iter().find(|a| a.name.is_none()))
                    .flatten()
            })
    }
}

/// Arg is one argument, named (`map: "x"`) or positional.
#[derive(Debug)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
}

/// Expr is an argument value.
#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

/// ExprKind is the shape of a value.
#[derive(Debug)]
pub enum ExprKind {
    /// A string literal, unescaped.
    Str(String),
    /// A number as written (`-1`, `1.5`).
    Number(String),
    /// A bare name: `true`, `Cascade`, a field or enum value.
    Name(String),
    /// A function call or a field with arguments: `now()`, `title(sort: Desc)`.
    Call(String, Vec<Arg>),
    /// `[a, b]`.
    Array(Vec<Expr>),
}

impl Expr {
    /// The string literal, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The bare name, if this is one.
    pub fn as_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(s) => Some(s),
            _ => None,
        }
    }

    /// A short description for messages (`a string`, `an array`, …).
    pub fn describe(&self) -> &'static str {
        match self.kind {
            ExprKind::Str(_) => "a string",
            ExprKind::Number(_) => "a number",
            ExprKind::Name(_) => "a name",
            ExprKind::Call(..) => "a function call",
            ExprKind::Array(_) => "an array",
        }
    }
}
