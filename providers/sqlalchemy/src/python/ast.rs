//! The slice of Python that model declarations use, as plain data: module-level statements,
//! classes with their bodies, and literal-ish expressions (names, calls, strings, numbers,
//! containers). Anything else keeps its source text so a reader can report it, never guess it.

use std::path::PathBuf;

/// Pos is a 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// Module is one parsed `.py` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub path: PathBuf,
    /// Dotted module name relative to the folder that was read (`app.models`).
    pub name: String,
    pub body: Vec<Stmt>,
}

/// Stmt is a statement that can declare schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `a = b = value`, `a: T = value` or a bare annotation `a: T`.
    Assign {
        targets: Vec<String>,
        annotation: Option<Expr>,
        value: Option<Expr>,
        at: Pos,
    },
    Class(Class),
    /// `def name(...)`, with the dotted names of its decorators and of every call inside.
    Def {
        name: String,
        decorators: Vec<String>,
        calls: Vec<String>,
        at: Pos,
    },
    /// `import a.b as c` / `from a.b import c as d`: (module, imported name or None, alias).
    Import {
        module: String,
        names: Vec<Imported>,
    },
    /// A bare expression, typically a call such as `Index("ix", t.c.a)`.
    Expr(Expr),
    /// Control flow (`for`, `if`, `while`, `with`, `try`) or an assignment to something that is
    /// not a plain name: the names of every call inside, so a reader can tell whether schema is
    /// built dynamically there.
    Dynamic {
        what: &'static str,
        calls: Vec<String>,
        at: Pos,
    },
}

/// Imported is one name brought in by an import statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The imported name for `from m import name`; `None` for `import m`.
    pub name: Option<String>,
    pub alias: Option<String>,
}

/// Class is a class statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    /// Dotted names of the class decorators (`mapper_registry.mapped`).
    pub decorators: Vec<String>,
    pub bases: Vec<Expr>,
    /// Class keywords: `class Base(DeclarativeBase, metaclass=…)`.
    pub keywords: Vec<(String, Expr)>,
    pub body: Vec<Stmt>,
    pub at: Pos,
}

/// Expr is an expression with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub at: Pos,
}

/// ExprKind is what an expression is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Name(String),
    /// `value.attr`.
    Attr(Box<Expr>, String),
    Str(String),
    Int(i64),
    /// A float literal, as written.
    Float(String),
    Bool(bool),
    None,
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
    },
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `value[index, …]`.
    Subscript(Box<Expr>, Vec<Expr>),
    /// `left | right` (a union in an annotation, or Django's `Q(...) | Q(...)`).
    BitOr(Box<Expr>, Box<Expr>),
    /// `left & right` (Django's `Q(...) & Q(...)`).
    BitAnd(Box<Expr>, Box<Expr>),
    /// `~operand` (Django's `~Q(...)`).
    Invert(Box<Expr>),
    /// Any other expression, by its source text.
    Other(String),
}

impl Expr {
    /// The dotted path of a name or attribute chain (`sa.orm.Mapped`), if it is one.
    pub fn path(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Attr(value, attr) => value.path().map(|p| format!("{p}.{attr}")),
            _ => None,
        }
    }

    /// The last part of a dotted path (`String` for `sa.String`).
    pub fn last_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Attr(_, attr) => Some(attr),
            _ => None,
        }
    }

    /// For a call, the last name of what is called (`mapped_column` for `orm.mapped_column(…)`).
    pub fn call_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Call { func, .. } => func.last_name(),
            _ => None,
        }
    }

    /// Positional arguments of a call; empty for anything else.
    pub fn args(&self) -> &[Expr] {
        match &self.kind {
            ExprKind::Call { args, .. } => args,
            _ => &[],
        }
    }

    /// Keyword arguments of a call; empty for anything else.
    pub fn kwargs(&self) -> &[(String, Expr)] {
        match &self.kind {
            ExprKind::Call { kwargs, .. } => kwargs,
            _ => &[],
        }
    }

    /// The keyword argument `name` of a call.
    pub fn kwarg(&self, name: &str) -> Option<&Expr> {
        self.kwargs()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match &self.kind {
            ExprKind::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ExprKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Elements of a tuple or list literal.
    pub fn elements(&self) -> Option<&[Expr]> {
        match &self.kind {
            ExprKind::Tuple(items) | ExprKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self.kind, ExprKind::None)
    }

    /// A short description for messages: the source-ish shape of the expression.
    pub fn describe(&self) -> String {
        match &self.kind {
            ExprKind::Other(text) => text.clone(),
            ExprKind::Call { func, .. } => format!("{}(…)", func.describe()),
            _ => self.path().unwrap_or_else(|| format!("{:?}", self.kind)),
        }
    }
}
