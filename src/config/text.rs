//! The config file's text, kept beside the parsed tree so that every error can point at the
//! line and column it is about.

use crate::error::Located;
use hcl::edit::Span;
use hcl::edit::structure::Block;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Text is the config file as read: the name to show in messages and its content.
pub(super) struct Text {
    /// The path as the user named it (`strata.hcl`, or the `-config` value), not canonicalised,
    /// so messages say `strata.hcl:3:7` rather than a long absolute path.
    pub shown: PathBuf,
    pub content: String,
}

impl Text {
    /// An error at `span` (a byte range from the parser); the start of the file if unknown.
    /// Boxed: the error travels up through several `Result`s and is large.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> Box<Located> {
        let span = span.unwrap_or(0..0);
        Box::new(Located::at(
            &self.shown,
            &self.content,
            span.start,
            span.end.saturating_sub(span.start).max(1),
            message,
        ))
    }

    /// An error at the node `at` (block, attribute, label or expression).
    pub fn error_at(&self, at: &impl Span, message: impl Into<String>) -> Box<Located> {
        self.error(at.span(), message)
    }

    /// An error about a whole block, shown at its head: the last label (the block's name), or
    /// the keyword when it has none. Underlining the whole body would bury the point.
    pub fn error_at_head(&self, block: &Block, message: impl Into<String>) -> Box<Located> {
        match block.labels.last() {
            Some(label) => self.error_at(label, message),
            None => self.error_at(&block.ident, message),
        }
    }

    /// The file name for messages that are not about one place (`strata.hcl`).
    pub fn name(&self) -> &Path {
        &self.shown
    }
}

/// WithHelp adds a help line to a boxed error without unboxing it.
pub(super) trait WithHelp {
    fn help(self, help: impl Into<String>) -> Self;
}

impl WithHelp for Box<Located> {
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
