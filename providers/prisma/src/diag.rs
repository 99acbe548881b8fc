//! Diagnostics: errors and warnings are made at a [`Pos`] and turned into the engine's located
//! [`SourceError`]s here, where the file paths of the load are known.

use crate::ast::Pos;
use std::path::PathBuf;
use strata_schema::{Location, SourceError};

/// Problem is an error found while reading, before it is given its file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(pos: Pos, message: impl Into<String>) -> Problem {
        Problem {
            pos,
            message: message.into(),
            help: None,
        }
    }

    /// The same problem with advice on how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// Diagnostics knows the files of one load and collects its warnings.
pub struct Diagnostics {
    files: Vec<PathBuf>,
    pub warnings: Vec<SourceError>,
}

impl Diagnostics {
    pub fn new(files: Vec<PathBuf>) -> Diagnostics {
        Diagnostics {
            files,
            warnings: Vec::new(),
        }
    }

    /// The file:line:column of `pos`.
    pub fn location(&self, pos: Pos) -> Location {
        Location {
            file: self.files.get(pos.file).cloned().unwrap_or_default(),
            line: pos.line,
            column: pos.column,
        }
    }

    /// The located error for `problem`.
    pub fn error(&self, problem: Problem) -> SourceError {
        SourceError {
            location: self.location(problem.pos),
            message: problem.message,
            help: problem.help,
        }
    }

    /// Record a warning at `pos`.
    pub fn warn(&mut self, pos: Pos, message: impl Into<String>) {
        let location = self.location(pos);
        self.warnings.push(SourceError {
            location,
            message: message.into(),
            help: None,
        });
    }
}
