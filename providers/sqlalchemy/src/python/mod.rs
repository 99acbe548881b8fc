//! Python source reading shared by the Python ORM providers (SQLAlchemy here, Django beside
//! it): finding the modules of a project and parsing them into [`ast`] values — straight from
//! their tokens when a file is made only of what model files use (`direct`), else with
//! tree-sitter (`parse`), which also reports syntax errors.

pub mod ast;
mod direct;
mod escapes;
mod files;
mod grammar;
mod lexer;
mod parse;

pub use files::{is_python, python_files, read_modules};
pub use parse::{SyntaxError, parse_module};

use ast::Pos;
use std::path::Path;
use strata_schema::{Location, SourceError};

/// A located error in `file` at `at`.
pub fn error_at(file: &Path, at: Pos, message: impl Into<String>) -> SourceError {
    SourceError {
        location: Location {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
        },
        message: message.into(),
        help: None,
    }
}
