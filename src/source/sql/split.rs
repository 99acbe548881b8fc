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

/// Split `text` into statements at top-level semicolons. `sqlite` turns on the SQLite fixes
/// described in the module documentation; a skipped PRAGMA yields no chunk.
pub fn statements(
    dialect: &dyn SqlDialect,
    text: &str,
    sqlite: bool,
) -> Result<Vec<Chunk>, SyntaxError> {
    let tokens = Tokenizer::new(dialect, text)
        .tokenize_with_location()
        .map_err(|e| SyntaxError {
            location: e.location,
            message: e.message,
        })?;
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    for token in tokens {
        match token.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => chunks.push(std::mem::take(&mut current)),
            _ => current.push(token),
        }
    }
    chunks.push(current);
    Ok(chunks
        .into_iter()
        .filter(|tokens| !tokens.is_empty())
        .filter(|tokens| !(sqlite && starts_with(tokens, &[Keyword::PRAGMA])))
        .map(|mut tokens| {
            let sqlite_options = if sqlite {
                take_sqlite_table_options(&mut tokens)
            } else {
                Vec::new()
            };
            Chunk {
                tokens,
                sqlite_options,
            }
        })
        .collect())
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
