//! Python tokens for the direct reader ([`super::direct`]): names, numbers, string literals,
//! operators, and the NEWLINE / INDENT / DEDENT structure of the lines. It knows only what
//! model files are made of; anything else (tabs or form feeds in indentation, a backslash line
//! continuation, `\r`, non-ASCII outside strings and comments, an indentation that matches no
//! enclosing level, an unterminated string or bracket) makes it give up, and the file goes to
//! tree-sitter, which reports real syntax errors with their position.

use super::ast::Pos;

/// Tok is what a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Name,
    /// A numeric literal, as written (the reader accepts only plain decimals).
    Number,
    /// A string literal with its prefix and quotes.
    Str,
    /// An operator or delimiter: one byte, or `==` `!=` `<=` `>=` `:=` `->` `**` `//` `<<` `>>`
    /// and the augmented assignments, whose text is never one of the bytes the reader parses.
    Op,
    /// A comment inside brackets (elsewhere comments are dropped with their line).
    Comment,
    Newline,
    Indent,
    Dedent,
}

/// Token is one token and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    pub at: Pos,
}

/// The tokens of `text`, ending with the NEWLINE and DEDENTs that close the last line; `None`
/// when the text has something the lexer does not handle.
pub fn tokens(text: &str) -> Option<Vec<Token>> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        at_line_start: true,
        depth: 0,
        indents: vec![0],
        out: Vec::with_capacity(text.len() / 4),
    };
    lexer.run()?;
    Some(lexer.out)
}

struct Lexer<'a> {
    bytes: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    /// Whether the next byte starts a logical line (a line break outside brackets was passed).
    at_line_start: bool,
    /// Open brackets: inside them line breaks and indentation mean nothing.
    depth: usize,
    indents: Vec<usize>,
    out: Vec<Token>,
}

/// Two-byte operators, so that e.g. `==` is never taken for an assignment.
const PAIRS: &[&[u8; 2]] = &[
    b"==", b"!=", b"<=", b">=", b":=", b"->", b"**", b"//", b"<<", b">>", b"+=", b"-=", b"*=",
    b"/=", b"%=", b"&=", b"|=", b"^=", b"@=",
];

impl Lexer<'_> {
    fn run(&mut self) -> Option<()> {
        while self.i < self.bytes.len() {
            if self.at_line_start {
                self.at_line_start = false;
                self.indentation()?;
                continue;
            }
            let b = self.bytes[self.i];
            match b {
                b' ' => self.i += 1,
                b'\n' => {
                    if self.depth == 0 {
                        self.push(Tok::Newline, self.i, self.i + 1);
                    }
                    self.newline(self.i + 1);
                }
                b'#' => {
                    let end = self.line_end(self.i);
                    if self.depth > 0 {
                        self.push(Tok::Comment, self.i, end);
                    }
                    self.i = end;
                }
                b'"' | b'\'' => self.string(self.i)?,
                b'0'..=b'9' => self.number(),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.name()?,
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    self.op(1);
                }
                b')' | b']' | b'}' => {
                    self.depth = self.depth.checked_sub(1)?;
                    self.op(1);
                }
                b'.' | b',' | b':' | b';' | b'=' | b'@' | b'|' | b'&' | b'~' | b'-' | b'+'
                | b'*' | b'/' | b'%' | b'<' | b'>' | b'^' | b'!' => {
                    let pair = self.bytes.get(self.i..self.i + 2);
                    let two = pair.is_some_and(|p| PAIRS.iter().any(|q| p == *q));
                    self.op(if two { 2 } else { 1 });
                }
                _ => return None,
            }
        }
        if self.depth > 0 {
            return None;
        }
        if self.out.last().is_some_and(|t| t.tok != Tok::Newline) {
            self.push(Tok::Newline, self.i, self.i);
        }
        for _ in 1..self.indents.len() {
            self.push(Tok::Dedent, self.i, self.i);
        }
        Some(())
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        let at = Pos {
            line: self.line,
            column: start - self.line_start + 1,
        };
        self.out.push(Token {
            tok,
            start,
            end,
            at,
        });
    }

    fn op(&mut self, len: usize) {
        self.push(Tok::Op, self.i, self.i + len);
        self.i += len;
    }

    fn newline(&mut self, next: usize) {
        self.i = next;
        self.line += 1;
        self.line_start = next;
        self.at_line_start = self.depth == 0;
    }

    fn line_end(&self, from: usize) -> usize {
        self.bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |n| from + n)
    }

    /// At a line start outside brackets: blank and comment-only lines are skipped; otherwise
    /// the indentation opens a block or closes blocks.
    fn indentation(&mut self) -> Option<()> {
        let width = self.bytes[self.i..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        let first = self.i + width;
        match self.bytes.get(first) {
            None => {
                self.i = first;
                return Some(());
            }
            Some(b'\n') => {
                self.newline(first + 1);
                return Some(());
            }
            Some(b'#') => {
                let end = self.line_end(first);
                self.i = end;
                if end < self.bytes.len() {
                    self.newline(end + 1);
                }
                return Some(());
            }
            Some(b'\t' | b'\x0c' | b'\r') => return None,
            Some(_) => {}
        }
        let current = *self.indents.last()?;
        if width > current {
            self.indents.push(width);
            self.push(Tok::Indent, first, first);
        }
        while width < *self.indents.last()? {
            self.indents.pop();
            self.push(Tok::Dedent, first, first);
        }
        if width != *self.indents.last()? {
            return None;
        }
        self.i = first;
        Some(())
    }

    /// A name, or a string literal when the name is a string prefix right before a quote.
    fn name(&mut self) -> Option<()> {
        let start = self.i;
        let end = start
            + self.bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
        if end - start <= 2
            && matches!(self.bytes.get(end), Some(b'"' | b'\''))
            && is_string_prefix(&self.bytes[start..end])
        {
            return self.string(start);
        }
        self.push(Tok::Name, start, end);
        self.i = end;
        Some(())
    }

    /// A number as written: digits, letters, underscores, and a `.` followed by a digit (the
    /// reader itself decides what it accepts).
    fn number(&mut self) {
        let start = self.i;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            let fraction = b == b'.' && self.bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if !(b.is_ascii_alphanumeric() || b == b'_' || fraction) {
                break;
            }
            end += 1;
        }
        self.push(Tok::Number, start, end);
        self.i = end;
    }

    /// A string literal starting at `start` (its prefix, if any, then the quote at `self.i`
    /// or after the prefix). A backslash always escapes the next byte, raw strings included,
    /// as in Python; single-quoted strings end at their line unless the break is escaped.
    fn string(&mut self, start: usize) -> Option<()> {
        let mut i = start;
        while self.bytes[i] != b'"' && self.bytes[i] != b'\'' {
            i += 1;
        }
        let quote = self.bytes[i];
        let triple = self.bytes.get(i..i + 3) == Some(&[quote; 3][..]);
        let at = Pos {
            line: self.line,
            column: start - self.line_start + 1,
        };
        i += if triple { 3 } else { 1 };
        loop {
            match *self.bytes.get(i)? {
                b'\\' => {
                    if *self.bytes.get(i + 1)? == b'\n' {
                        self.line += 1;
                        self.line_start = i + 2;
                    }
                    i += 2;
                }
                b'\r' => return None,
                b'\n' if !triple => return None,
                b'\n' => {
                    self.line += 1;
                    self.line_start = i + 1;
                    i += 1;
                }
                b if b == quote && !triple => {
                    i += 1;
                    break;
                }
                b if b == quote && self.bytes.get(i..i + 3) == Some(&[quote; 3][..]) => {
                    i += 3;
                    break;
                }
                _ => i += 1,
            }
        }
        self.out.push(Token {
            tok: Tok::Str,
            start,
            end: i,
            at,
        });
        self.i = i;
        Some(())
    }
}

/// `r`, `b`, `u`, `f` and their two-letter combinations, in either case.
fn is_string_prefix(prefix: &[u8]) -> bool {
    let lower: Vec<u8> = prefix.iter().map(u8::to_ascii_lowercase).collect();
    matches!(
        lower.as_slice(),
        b"r" | b"b" | b"u" | b"f" | b"rb" | b"br" | b"fr" | b"rf"
    )
}
