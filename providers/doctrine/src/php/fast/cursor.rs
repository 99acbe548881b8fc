//! The fast reader's view of the tokens: look ahead past comments, take, and place a token at
//! the line and column tree-sitter gives it (bytes, 1-based here).
//!
//! Comments matter to the tree reader in two ways, and the cursor keeps them visible for both:
//! the comment just before a declaration is its docblock ([`Cursor::comments`]), and inside a
//! value or a type a comment becomes a child node that changes what is read, so there (in
//! `tight` mode) a comment between tokens declines the file.

use super::super::lexer::{Kind, Token};
use crate::value::Pos;
use std::cell::Cell;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Cursor<'s> {
    src: &'s str,
    file: Arc<PathBuf>,
    tokens: Vec<Token<'s>>,
    at: usize,
    /// The last offset placed, its line and the offset where that line starts: positions are
    /// asked for near each other, so lines are counted from there (forwards or backwards).
    placed: Cell<(usize, usize, usize)>,
    /// Inside a value or a type: a comment before the next token declines.
    pub tight: bool,
    /// End of the last token taken.
    pub last_end: usize,
}

impl<'s> Cursor<'s> {
    pub fn new(src: &'s str, file: Arc<PathBuf>, tokens: Vec<Token<'s>>) -> Self {
        Cursor {
            src,
            file,
            tokens,
            at: 0,
            placed: Cell::new((0, 1, 0)),
            tight: false,
            last_end: 0,
        }
    }

    /// Index of the next token that is not a comment, and whether comments come first.
    fn next_index(&self, from: usize) -> (usize, bool) {
        let mut i = from;
        while self.tokens.get(i).is_some_and(|t| t.kind == Kind::Comment) {
            i += 1;
        }
        (i, i > from)
    }

    /// The next token that is not a comment; `None` at the end, or in tight mode when a
    /// comment comes first.
    pub fn peek(&self) -> Option<Token<'s>> {
        let (i, commented) = self.next_index(self.at);
        if commented && self.tight {
            return None;
        }
        self.tokens.get(i).copied()
    }

    /// The token after [`Cursor::peek`]'s, comments skipped.
    pub fn peek2(&self) -> Option<Token<'s>> {
        let (i, _) = self.next_index(self.at);
        let (j, commented) = self.next_index(i + 1);
        if commented && self.tight {
            return None;
        }
        self.tokens.get(j).copied()
    }

    /// Take the next token (see [`Cursor::peek`]).
    pub fn take(&mut self) -> Option<Token<'s>> {
        let token = self.peek()?;
        self.at = self.next_index(self.at).0 + 1;
        self.last_end = token.end();
        Some(token)
    }

    /// Take the next token if it is `what`; `None` declines (see [`Cursor::peek`]).
    pub fn eat(&mut self, what: &str) -> Option<bool> {
        let found = self.peek()?.is(what);
        if found {
            self.take();
        }
        Some(found)
    }

    /// Whether the next token is `what` (false at the end or before a comment in tight mode).
    pub fn next_is(&self, what: &str) -> bool {
        self.peek().is_some_and(|t| t.is(what))
    }

    /// Take the next token, which must be `what`.
    pub fn expect(&mut self, what: &str) -> Option<Token<'s>> {
        self.take().filter(|t| t.is(what))
    }

    /// Take the comments that come next, where they are siblings of the nodes around them;
    /// the last one (the docblock of a declaration that follows).
    pub fn comments(&mut self) -> Option<Token<'s>> {
        let mut last = None;
        while let Some(t) = self.tokens.get(self.at).filter(|t| t.kind == Kind::Comment) {
            last = Some(*t);
            self.at += 1;
        }
        last
    }

    /// The source text from `start` to the end of the last token taken.
    pub fn text_from(&self, start: usize) -> &'s str {
        &self.src[start..self.last_end]
    }

    /// The position of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let bytes = self.src.as_bytes();
        let is_newline = |b: &u8| *b == b'\n';
        let (from, line, line_start) = self.placed.get();
        let (line, line_start) = if from <= offset {
            let range = &bytes[from..offset];
            match range.iter().rposition(is_newline) {
                Some(last) => (
                    line + range.iter().filter(|b| is_newline(b)).count(),
                    from + last + 1,
                ),
                None => (line, line_start),
            }
        } else {
            let newlines = bytes[offset..from].iter().filter(|b| is_newline(b)).count();
            let line_start = match newlines {
                0 => line_start,
                _ => bytes[..offset]
                    .iter()
                    .rposition(is_newline)
                    .map_or(0, |nl| nl + 1),
            };
            (line - newlines, line_start)
        };
        self.placed.set((offset, line, line_start));
        Pos {
            file: self.file.clone(),
            line,
            column: offset - line_start + 1,
        }
    }
}
