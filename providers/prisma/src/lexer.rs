//! Tokens of the Prisma schema language with their positions. Comments (`//`, `///`) are
//! skipped; newlines are not significant to the parser, because every field starts with a
//! name and every attribute with `@`.

use crate::ast::Pos;
use crate::diag::Problem;

/// Tok is one token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Str(String),
    Number(String),
    /// One of `{ } ( ) [ ] , : = ? .`
    Punct(char),
    /// `@`
    At,
    /// `@@`
    AtAt,
    End,
}

impl Tok {
    /// The token as a message names it.
    pub fn describe(&self) -> String {
        match self {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Str(_) => "a string".into(),
            Tok::Number(n) => format!("`{n}`"),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::At => "`@`".into(),
            Tok::AtAt => "`@@`".into(),
            Tok::End => "the end of the file".into(),
        }
    }
}

/// Token is a token and where it starts.
#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// Split `text` (file number `file` of the load) into tokens, ending with [`Tok::End`].
pub fn tokenize(file: usize, text: &str) -> Result<Vec<Token>, Problem> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut chars = text.char_indices().peekable();
    let (mut line, mut column) = (1, 1);
    while let Some(&(_, c)) = chars.peek() {
        let pos = Pos { file, line, column };
        let mut advance = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
            let (_, c) = chars.next().unwrap_or((0, '\0'));
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            c
        };
        match c {
            c if c.is_whitespace() => {
                advance(&mut chars);
            }
            '/' => {
                advance(&mut chars);
                if chars.peek().map(|&(_, c)| c) != Some('/') {
                    return Err(Problem::new(
                        pos,
                        "unexpected `/` (comments start with `//`)",
                    ));
                }
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    advance(&mut chars);
                }
            }
            '@' => {
                advance(&mut chars);
                let tok = if chars.peek().map(|&(_, c)| c) == Some('@') {
                    advance(&mut chars);
                    Tok::AtAt
                } else {
                    Tok::At
                };
                out.push(Token { tok, pos });
            }
            '"' => {
                advance(&mut chars);
                let mut s = String::new();
                loop {
                    match chars.peek().map(|&(_, c)| c) {
                        None | Some('\n') => {
                            return Err(Problem::new(pos, "unterminated string"));
                        }
                        Some('"') => {
                            advance(&mut chars);
                            break;
                        }
                        Some('\\') => {
                            advance(&mut chars);
                            let escaped = advance(&mut chars);
                            s.push(match escaped {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                other => other,
                            });
                        }
                        Some(_) => s.push(advance(&mut chars)),
                    }
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    pos,
                });
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut s = String::new();
                s.push(advance(&mut chars));
                while chars
                    .peek()
                    .is_some_and(|&(_, c)| c.is_ascii_digit() || c == '.')
                {
                    s.push(advance(&mut chars));
                }
                if s == "-" {
                    return Err(Problem::new(pos, "expected a number after `-`"));
                }
                out.push(Token {
                    tok: Tok::Number(s),
                    pos,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut s = String::new();
                while chars
                    .peek()
                    .is_some_and(|&(_, c)| c.is_alphanumeric() || c == '_')
                {
                    s.push(advance(&mut chars));
                }
                out.push(Token {
                    tok: Tok::Name(s),
                    pos,
                });
            }
            '{' | '}' | '(' | ')' | '[' | ']' | ',' | ':' | '=' | '?' | '.' => {
                advance(&mut chars);
                out.push(Token {
                    tok: Tok::Punct(c),
                    pos,
                });
            }
            other => {
                return Err(Problem::new(pos, format!("unexpected character `{other}`")));
            }
        }
    }
    out.push(Token {
        tok: Tok::End,
        pos: Pos { file, line, column },
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_columns() {
        let toks = tokenize(0, "model A {\n  id Int @id // c\n}").unwrap();
        let id = toks
            .iter()
            .find(|t| t.tok == Tok::Name("id".into()))
            .unwrap();
        assert_eq!((id.pos.line, id.pos.column), (2, 3));
        assert!(toks.iter().any(|t| t.tok == Tok::At));
        assert_eq!(toks.last().unwrap().tok, Tok::End);
    }

    #[test]
    fn strings_unescape_and_must_end() {
        let toks = tokenize(0, r#""a\"b""#).unwrap();
        assert_eq!(toks[0].tok, Tok::Str("a\"b".into()));
        let err = tokenize(0, "x \"open").unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (1, 3));
    }
}
