//! Function bodies carry no mapping, yet in a typical entity (getters and setters) they are
//! half the text, and parsing is most of the reading time. `function_bodies` finds them with a
//! small lexer so the parser can leave them out (tree-sitter's included ranges keep every
//! position as in the file). It only skips what it understands: on heredocs, `?>` or string
//! interpolation with braces it finds nothing and the whole file is parsed.

use std::ops::Range;

/// Byte ranges of the insides of function bodies (between the braces), in order.
pub fn function_bodies(src: &str) -> Vec<Range<usize>> {
    find_bodies(src.as_bytes()).unwrap_or_default()
}

fn find_bodies(bytes: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut lexer = Lexer { bytes, at: 0 };
    let mut after_function = false;
    let mut parens = 0usize;
    let mut bodies = Vec::new();
    while let Some(token) = lexer.next()? {
        match token {
            Token::Word(w) if w == b"function" => {
                after_function = true;
                parens = 0;
            }
            Token::Char(b'(') if after_function => parens += 1,
            Token::Char(b')') if after_function => parens = parens.saturating_sub(1),
            Token::Char(b';') if after_function && parens == 0 => after_function = false,
            Token::Char(b'{') if after_function && parens == 0 => {
                let start = lexer.at;
                let end = lexer.skip_block()?;
                bodies.push(start..end);
                after_function = false;
            }
            _ => {}
        }
    }
    Some(bodies)
}

enum Token<'a> {
    Word(&'a [u8]),
    Char(u8),
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    /// The next token outside strings and comments; `Some(None)` at the end, `None` to give up.
    fn next(&mut self) -> Option<Option<Token<'a>>> {
        loop {
            let Some(&c) = self.bytes.get(self.at) else {
                return Some(None);
            };
            let rest = &self.bytes[self.at..];
            if rest.starts_with(b"<<<") || rest.starts_with(b"?>") {
                return None;
            }
            match c {
                b'\'' | b'"' => self.skip_string(c)?,
                b'/' if rest.starts_with(b"//") => self.skip_line(),
                b'#' if !rest.starts_with(b"#[") => self.skip_line(),
                b'/' if rest.starts_with(b"/*") => {
                    let end = find(&rest[2..], b"*/")?;
                    self.at += 2 + end + 2;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = self.at;
                    while self
                        .bytes
                        .get(self.at)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    {
                        self.at += 1;
                    }
                    return Some(Some(Token::Word(&self.bytes[start..self.at])));
                }
                c => {
                    self.at += 1;
                    if !c.is_ascii_whitespace() {
                        return Some(Some(Token::Char(c)));
                    }
                }
            }
        }
    }

    fn skip_line(&mut self) {
        while self.bytes.get(self.at).is_some_and(|&b| b != b'\n') {
            self.at += 1;
        }
    }

    /// Past a quoted string; gives up on `{$` / `${` interpolation in double quotes.
    fn skip_string(&mut self, quote: u8) -> Option<()> {
        self.at += 1;
        loop {
            let &c = self.bytes.get(self.at)?;
            let next = self.bytes.get(self.at + 1).copied();
            match c {
                b'\\' => self.at += 2,
                c if c == quote => {
                    self.at += 1;
                    return Some(());
                }
                b'{' if quote == b'"' && next == Some(b'$') => return None,
                b'$' if quote == b'"' && next == Some(b'{') => return None,
                _ => self.at += 1,
            }
        }
    }

    /// From just inside a `{`, past its matching `}`; returns the offset of that `}`.
    fn skip_block(&mut self) -> Option<usize> {
        let mut depth = 1usize;
        loop {
            let before = self.at;
            match self.next()? {
                None => return None,
                Some(Token::Char(b'{')) => depth += 1,
                Some(Token::Char(b'}')) => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(
                            before
                                + self.bytes[before..self.at]
                                    .iter()
                                    .position(|&b| b == b'}')?,
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bodies_past_strings_and_comments() {
        let src = "<?php\nclass A {\n  #[ORM\\Column]\n  private int $a;\n  public function get(): int { if ($x) { return '}'; } // }\n return $this->a; }\n  abstract function f();\n  private $b;\n}\n";
        let bodies = function_bodies(src);
        assert_eq!(bodies.len(), 1);
        let body = &src[bodies[0].clone()];
        assert!(
            body.starts_with(" if ($x)") && body.ends_with("return $this->a; "),
            "{body:?}"
        );
    }

    #[test]
    fn heredocs_and_interpolation_leave_the_file_whole() {
        assert!(function_bodies("<?php function f() { return <<<X\n}\nX; }").is_empty());
        assert!(function_bodies("<?php function f() { return \"{$a['}']}\"; }").is_empty());
    }
}
