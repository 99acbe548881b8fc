//! Errors at the edge: one enum over every module's error, exit codes, and a located diagnostic
//! for anything read from a file (config, SQL, models) so messages can say file:line:column.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::Path;
use thiserror::Error;

/// Exit codes, documented in the README. Distinct codes let pipelines tell outcomes apart.
pub mod exit {
    /// Success (with `-detailed-exitcode`: success and no changes).
    pub const OK: i32 = 0;
    /// Any error.
    pub const ERROR: i32 = 1;
    /// `plan -detailed-exitcode`: success, and the plan has changes.
    pub const CHANGES: i32 = 2;
    /// The operator answered anything but `yes` at the prompt.
    pub const CANCELLED: i32 = 3;
    /// The state lock could not be acquired in time.
    pub const LOCK_TIMEOUT: i32 = 4;
    /// A saved plan no longer matches the database, state or models.
    pub const STALE_PLAN: i32 = 5;
    /// Policy refused the plan (destructive steps under `-auto-approve`).
    pub const BLOCKED: i32 = 6;
}

/// Located is an error at a place in a file: shown with the file name, line and column and the
/// offending line underlined.
#[derive(Debug, Error, Diagnostic)]
#[error("{file}:{line}:{column}: {message}")]
pub struct Located {
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Located {
    /// An error at byte `offset` (length `len`) of `text`, read from `file`.
    pub fn at(
        file: &Path,
        text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Located {
        let offset = offset.min(text.len());
        let (line, column) = line_col(text, offset);
        let name = file.display().to_string();
        Located {
            message: message.into(),
            file: name.clone(),
            line,
            column,
            src: NamedSource::new(name, text.to_string()),
            span: (offset, len.min(text.len() - offset)).into(),
            label: "here".into(),
            help: None,
        }
    }

    /// An error at 1-based `line` and `column` of `text`.
    pub fn at_line(
        file: &Path,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Located {
        let offset = offset_of(text, line, column);
        Located::at(file, text, offset, 1, message)
    }

    /// Add a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Located {
        self.help = Some(help.into());
        self
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Byte offset of 1-based `line` and `column` in `text` (clamped to the text).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return (offset + col).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// Error is every failure a command can end with.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Located(#[from] Box<Located>),
    #[error(transparent)]
    Target(#[from] crate::target::TargetError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Source(String),
    #[error("{0}")]
    Plan(String),
    #[error("{0}")]
    Apply(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    State(String),
    /// The state lock is held by another process (after -lock-timeout, if any).
    #[error("{0}")]
    Locked(String),
    /// Policy or the data checks refused the plan before anything ran.
    #[error("{0}")]
    Blocked(String),
    /// The operator did not approve; nothing was applied.
    #[error("Apply cancelled.")]
    Cancelled,
}

impl From<Located> for Error {
    fn from(l: Located) -> Error {
        Error::Located(Box::new(l))
    }
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Cancelled => exit::CANCELLED,
            Error::Blocked(_) => exit::BLOCKED,
            Error::Locked(_) => exit::LOCK_TIMEOUT,
            _ => exit::ERROR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_round_trip() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(offset_of(text, 2, 2), 4);
        assert_eq!(offset_of(text, 3, 1), text.len() - 1);
    }
}
