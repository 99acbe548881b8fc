//! Splitting a SQL text into statements, each a list of tokens that remember their line and
//! column, so that every later error can point into the original text.
//!
//! Splitting before parsing also lets us step around two gaps in sqlparser's SQLite support:
//! `PRAGMA foreign_keys = ON` does not parse, and neither do combined table options
//! (`) STRICT, WITHOUT ROWID`). Both are common in SQLite schema files.

use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::ParserError;
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Tokenizer};
use std::collections::VecDeque;
use std::vec::Drain;

/// Chunk is the tokens of one statement, without whitespace and comments.
pub struct Chunk {
    pub tokens: Vec<TokenWithSpan>,
    /// SQLite table options taken off the end of a CREATE TABLE (`strict`, `without_rowid`).
    pub sqlite_options: Vec<&'static str>,
}

impl Chunk {
    /// From the first token to the last.
    pub fn span(&self) -> Span {
        match (self.tokens.first(), self.tokens.last()) {
            (Some(first), Some(last)) => first.span.union(&last.span),
            _ => Span::empty(),
        }
    }

    /// The first token: where "this statement" errors point.
    pub fn head(&self) -> Span {
        self.tokens.first().map(|t| t.span).unwrap_or(Span::empty())
    }
}

/// SyntaxError is a tokenizer or parser error at a place in the text.
pub struct SyntaxError {
    pub location: Location,
    pub message: String,
}

/// Split `text` into statements at top-level semicolons, lazily: the text is tokenized a
/// piece at a time, so only the tokens of the statement being read are alive (the tokens of a
/// whole 5,000-table file take about 250 MB). `sqlite` turns on the SQLite fixes described in
/// the module documentation; a skipped PRAGMA yields no chunk.
pub fn statements<'a>(
    dialect: &'a dyn SqlDialect,
    text: &'a str,
    sqlite: bool,
) -> impl Iterator<Item = Result<Chunk, SyntaxError>> + 'a {
    let mut pieces = Pieces {
        dialect,
        text,
        start: 0,
        at: Location::new(1, 1),
        tokens: Vec::new(),
    };
    let mut pending = VecDeque::new();
    std::iter::from_fn(move || {
        loop {
            if let Some(tokens) = pending.pop_front() {
                match chunk_of(tokens, sqlite) {
                    Some(chunk) => return Some(Ok(chunk)),
                    None => continue,
                }
            }
            match pieces.next()? {
                Ok(tokens) => pending.extend(split_at_semicolons(tokens)),
                Err(e) => return Some(Err(e)),
            }
        }
    })
}

/// The statements of one tokenized piece: split at semicolons, whitespace and comments
/// dropped, empty statements skipped.
fn split_at_semicolons(tokens: impl Iterator<Item = TokenWithSpan>) -> Vec<Vec<TokenWithSpan>> {
    let mut statements = Vec::new();
    let mut current = Vec::new();
    for token in tokens {
        match token.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => statements.push(std::mem::take(&mut current)),
            _ => current.push(token),
        }
    }
    statements.push(current);
    statements.retain(|tokens| !tokens.is_empty());
    statements
}

/// The chunk of one statement's tokens, or none for a skipped SQLite PRAGMA.
fn chunk_of(mut tokens: Vec<TokenWithSpan>, sqlite: bool) -> Option<Chunk> {
    if sqlite && starts_with(&tokens, &[Keyword::PRAGMA]) {
        return None;
    }
    let sqlite_options = if sqlite {
        take_sqlite_table_options(&mut tokens)
    } else {
        Vec::new()
    };
    Some(Chunk {
        tokens,
        sqlite_options,
    })
}

/// Pieces walks `text` in pieces that each end at a top-level semicolon, tokenizing one piece
/// at a time with locations in the whole text.
///
/// A piece is cut after the next `;` character and kept only when its tokens end with a
/// semicolon token: then the cut is where tokenizing the whole text would have a token
/// boundary too (a `;` inside a string, quoted name or comment leaves the piece unterminated
/// or ending in that string or comment). Otherwise the piece is tried again at least twice as
/// long, so text full of such semicolons still costs linear time; the last piece is the rest
/// of the text, and its errors are the ones tokenizing the whole text reports.
struct Pieces<'a> {
    dialect: &'a dyn SqlDialect,
    text: &'a str,
    /// Byte offset where the next piece starts: always a token boundary.
    start: usize,
    /// The line and column of `start`.
    at: Location,
    /// The tokens of the last piece; one buffer for all, so that its capacity is reused.
    tokens: Vec<TokenWithSpan>,
}

impl Pieces<'_> {
    /// The tokens of the next piece, taken out of the buffer.
    fn next(&mut self) -> Option<Result<Drain<'_, TokenWithSpan>, SyntaxError>> {
        if self.start == self.text.len() {
            return None;
        }
        let mut end = self.cut_after(self.start);
        loop {
            let piece = &self.text[self.start..end];
            self.tokens.clear();
            let tokenized = Tokenizer::new(self.dialect, piece)
                .tokenize_with_location_into_buf(&mut self.tokens);
            let last = end == self.text.len();
            let ends_with_semicolon =
                self.tokens.last().map(|t| &t.token) == Some(&Token::SemiColon);
            match tokenized {
                Ok(()) if last || ends_with_semicolon => {
                    for token in &mut self.tokens {
                        token.span = Span::new(
                            shift(self.at, token.span.start),
                            shift(self.at, token.span.end),
                        );
                    }
                    self.start = end;
                    if let Some(token) = self.tokens.last() {
                        self.at = token.span.end;
                    }
                    return Some(Ok(self.tokens.drain(..)));
                }
                Err(e) if last => {
                    self.start = end;
                    return Some(Err(SyntaxError {
                        location: shift(self.at, e.location),
                        message: e.message,
                    }));
                }
                _ => end = self.cut_after(end + (end - self.start)),
            }
        }
    }

    /// The end of the piece: just after the first `;` at or after byte `from`, or the end of
    /// the text.
    fn cut_after(&self, from: usize) -> usize {
        let from = from.min(self.text.len());
        match self.text.as_bytes()[from..].iter().position(|&b| b == b';') {
            Some(i) => from + i + 1,
            None => self.text.len(),
        }
    }
}

/// A location in a piece that starts at `at` as a location in the whole text.
fn shift(at: Location, location: Location) -> Location {
    if location.line == 1 {
        Location::new(at.line, at.column + location.column - 1)
    } else {
        Location::new(at.line + location.line - 1, location.column)
    }
}

fn keyword(token: &TokenWithSpan) -> Option<Keyword> {
    match &token.token {
        Token::Word(w) => Some(w.keyword),
        _ => None,
    }
}

fn starts_with(tokens: &[TokenWithSpan], keywords: &[Keyword]) -> bool {
    tokens.len() >= keywords.len()
        && tokens
            .iter()
            .zip(keywords)
            .all(|(t, k)| keyword(t) == Some(*k))
}

/// Remove `STRICT` and `WITHOUT ROWID` (in any order, comma-separated) from the end of a
/// CREATE TABLE and return them as option names.
fn take_sqlite_table_options(tokens: &mut Vec<TokenWithSpan>) -> Vec<&'static str> {
    let is_create_table = starts_with(tokens, &[Keyword::CREATE, Keyword::TABLE])
        || starts_with(tokens, &[Keyword::CREATE, Keyword::TEMP, Keyword::TABLE])
        || starts_with(
            tokens,
            &[Keyword::CREATE, Keyword::TEMPORARY, Keyword::TABLE],
        );
    let mut options = Vec::new();
    if !is_create_table {
        return options;
    }
    loop {
        let n = tokens.len();
        let last = tokens.last().and_then(keyword);
        let before = n.checked_sub(2).and_then(|i| keyword(&tokens[i]));
        if last == Some(Keyword::STRICT) {
            tokens.truncate(n - 1);
            options.push("strict");
        } else if last == Some(Keyword::ROWID) && before == Some(Keyword::WITHOUT) {
            tokens.truncate(n - 2);
            options.push("without_rowid");
        } else {
            break;
        }
        if tokens.last().map(|t| &t.token) == Some(&Token::Comma) {
            tokens.pop();
        } else {
            break;
        }
    }
    options.reverse();
    options
}

/// Turn a parser error into a located one. sqlparser writes the place into the message
/// ("… at Line: 3, Column: 7"); errors at the end of input carry none and get `fallback`.
pub fn parser_error(error: ParserError, fallback: Location) -> SyntaxError {
    let text = match error {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s,
        ParserError::RecursionLimitExceeded => "expression nested too deeply".to_string(),
    };
    match text.rfind(" at Line: ") {
        Some(at) => {
            let place = &text[at + " at Line: ".len()..];
            let mut numbers = place
                .split(", Column: ")
                .map(|n| n.trim().parse::<u64>().ok());
            match (numbers.next().flatten(), numbers.next().flatten()) {
                (Some(line), Some(column)) => SyntaxError {
                    location: Location { line, column },
                    message: text[..at].to_string(),
                },
                _ => SyntaxError {
                    location: fallback,
                    message: text,
                },
            }
        }
        None => SyntaxError {
            location: fallback,
            message: text,
        },
    }
}
