//! PHP tokens for the declaration reader, and the function bodies both readers leave out.
//!
//! Function bodies carry no mapping, yet in a typical entity (getters and setters) they are
//! half the text. The lexer recognises a body where a function declaration — `function`, an
//! optional `&`, an optional name, then `(` — is followed, outside parentheses, by `{`, and
//! returns the whole body as one [`Kind::Body`] token without looking inside beyond brace
//! matching. The word `function` alone is not enough: it is also a named argument
//! (`function: 'x'`), a class constant (`Foo::function`), a property or a method
//! (`$a->function`), and taking the next `{` for a body there would hide a whole class body.
//! (`fn` arrow functions have no braces.) The tree-sitter reader is given the same bodies to
//! leave out (through included ranges, which keep every position as in the file), so both
//! readers see exactly the same text. The lexer only goes on with what it understands: heredocs, `?>` and
//! braced string interpolation make it give up ([`Unreadable`]), and then the whole file is
//! parsed by tree-sitter.

use std::ops::Range;

/// What a token is; its text says which word, operator or literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword (`class`, `Foo`).
    Word,
    /// A name with backslashes (`\Foo`, `ORM\Column`), written without spaces.
    Name,
    /// `$name`.
    Var,
    /// A quoted string, quotes included (`'a'`, `"b"`, `` `c` ``).
    Str,
    /// A number as the lexer found it; the reader checks its form.
    Num,
    /// `// …`, `# …` or `/* … */`.
    Comment,
    /// `#[`, the start of an attribute group.
    AttrOpen,
    /// An operator or punctuation (`::`, `=>`, `(`).
    Punct,
    /// A function body, braces included.
    Body,
    /// A byte the reader never accepts (non-ASCII outside strings and comments, control
    /// characters).
    Other,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'s> {
    pub kind: Kind,
    pub text: &'s str,
    /// Byte offset of the token in the file.
    pub start: usize,
}

impl Token<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// Whether this is the punctuation or the keyword `what` (keywords ignore case, as PHP).
    pub fn is(&self, what: &str) -> bool {
        match self.kind {
            Kind::Punct => self.text == what,
            Kind::Word => self.text.eq_ignore_ascii_case(what),
            _ => false,
        }
    }
}

/// The lexer met something it does not follow (heredoc, `?>`, braced interpolation, an
/// unterminated string or comment).
#[derive(Debug)]
pub struct Unreadable;

/// Byte ranges of the insides of function bodies (between the braces), in order; empty when
/// the lexer cannot follow the file, so that it is parsed whole.
pub fn function_bodies(src: &str) -> Vec<Range<usize>> {
    let mut lexer = Lexer::new(src, 0);
    let mut bodies = Vec::new();
    loop {
        match lexer.next() {
            Ok(Some(t)) if t.kind == Kind::Body => bodies.push(t.start + 1..t.end() - 1),
            Ok(Some(_)) => {}
            Ok(None) => return bodies,
            Err(Unreadable) => return Vec::new(),
        }
    }
}

/// Every token from `start` on, function bodies as single tokens.
pub fn tokens(src: &str, start: usize) -> Result<Vec<Token<'_>>, Unreadable> {
    let mut lexer = Lexer::new(src, start);
    let mut out = Vec::with_capacity(src.len() / 6);
    while let Some(t) = lexer.next()? {
        out.push(t);
    }
    Ok(out)
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    at: usize,
    /// Where the lexer is in a function declaration.
    function: Declaration,
    /// The last token other than a comment was `::`, `->` or `?->`: a `function` after it
    /// names a member.
    after_member_access: bool,
}

/// How much of a function declaration (`function &name(…): T {`) has been seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declaration {
    /// None, or something that turned out not to be one.
    Outside,
    /// `function`, then maybe `&`: a name or `(` must follow.
    Keyword,
    /// `function` and a name: `(` must follow.
    Named,
    /// Inside or after the parameter list, with this many parentheses open (a `{` inside them
    /// is not the body; the first one outside them is).
    Signature { parens: usize },
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str, start: usize) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            at: start,
            function: Declaration::Outside,
            after_member_access: false,
        }
    }

    /// The next token, a function body as one token.
    fn next(&mut self) -> Result<Option<Token<'s>>, Unreadable> {
        let Some(token) = self.raw()? else {
            return Ok(None);
        };
        if token.kind == Kind::Comment {
            return Ok(Some(token));
        }
        let member = std::mem::replace(
            &mut self.after_member_access,
            token.is("::") || token.is("->") || token.is("?->"),
        );
        self.function = match (self.function, token.kind) {
            (Declaration::Keyword, Kind::Word) => Declaration::Named,
            (Declaration::Keyword, Kind::Punct) if token.text == "&" => Declaration::Keyword,
            (Declaration::Keyword | Declaration::Named, Kind::Punct) if token.text == "(" => {
                Declaration::Signature { parens: 1 }
            }
            (Declaration::Signature { parens }, Kind::Punct) => match token.text {
                "(" => Declaration::Signature { parens: parens + 1 },
                ")" => Declaration::Signature {
                    parens: parens.saturating_sub(1),
                },
                ";" if parens == 0 => Declaration::Outside,
                "{" if parens == 0 => {
                    self.function = Declaration::Outside;
                    let end = self.skip_block()?;
                    return Ok(Some(self.token(Kind::Body, token.start, end)));
                }
                _ => Declaration::Signature { parens },
            },
            (Declaration::Signature { parens }, _) => Declaration::Signature { parens },
            _ if token.is("function") && !member => Declaration::Keyword,
            _ => Declaration::Outside,
        };
        Ok(Some(token))
    }

    /// From just inside a `{`, past its matching `}`; returns the offset after it. Only
    /// braces, strings and comments matter here, so bytes are scanned rather than tokenised.
    fn skip_block(&mut self) -> Result<usize, Unreadable> {
        let mut depth = 1usize;
        while let Some(&c) = self.bytes.get(self.at) {
            let rest = &self.bytes[self.at..];
            let next = rest.get(1).copied().unwrap_or(0);
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.at += 1;
                        return Ok(self.at);
                    }
                }
                b'\'' | b'"' | b'`' => {
                    self.skip_string(c)?;
                    continue;
                }
                b'/' if next == b'/' => self.skip_line(),
                b'#' if next != b'[' => self.skip_line(),
                b'/' if next == b'*' => {
                    self.at += 2 + find(&rest[2..], b"*/").ok_or(Unreadable)? + 1;
                }
                b'<' if rest.starts_with(b"<<<") => return Err(Unreadable),
                b'?' if next == b'>' => return Err(Unreadable),
                _ => {}
            }
            self.at += 1;
        }
        Err(Unreadable)
    }

    fn token(&self, kind: Kind, start: usize, end: usize) -> Token<'s> {
        Token {
            kind,
            text: &self.src[start..end],
            start,
        }
    }

    /// The next token, bodies not recognised.
    fn raw(&mut self) -> Result<Option<Token<'s>>, Unreadable> {
        self.skip_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'));
        let start = self.at;
        let Some(&c) = self.bytes.get(start) else {
            return Ok(None);
        };
        let rest = &self.bytes[start..];
        let next = rest.get(1).copied().unwrap_or(0);
        let kind = match c {
            b'<' if next == b'<' && rest.get(2) == Some(&b'<') => return Err(Unreadable),
            b'?' if next == b'>' => return Err(Unreadable),
            b'\'' | b'"' | b'`' => {
                self.skip_string(c)?;
                Kind::Str
            }
            b'/' if next == b'/' => {
                self.skip_line();
                Kind::Comment
            }
            b'#' if next == b'[' => {
                self.at += 2;
                Kind::AttrOpen
            }
            b'#' => {
                self.skip_line();
                Kind::Comment
            }
            b'/' if next == b'*' => {
                let end = find(&rest[2..], b"*/").ok_or(Unreadable)?;
                self.at += 2 + end + 2;
                Kind::Comment
            }
            b'$' if is_ident_start(next) => {
                self.at += 1;
                self.skip_ident();
                Kind::Var
            }
            b'\\' if is_ident_start(next) => {
                self.name();
                Kind::Name
            }
            c if is_ident_start(c) => {
                if self.name() {
                    Kind::Name
                } else {
                    Kind::Word
                }
            }
            b'0'..=b'9' => {
                self.number();
                Kind::Num
            }
            b'.' if next.is_ascii_digit() => {
                self.number();
                Kind::Num
            }
            c if c.is_ascii_punctuation() => {
                self.at += operator_len(rest);
                Kind::Punct
            }
            _ => {
                self.at += 1;
                Kind::Other
            }
        };
        Ok(Some(self.token(kind, start, self.at)))
    }

    fn skip_line(&mut self) {
        while self.bytes.get(self.at).is_some_and(|&b| b != b'\n') {
            self.at += 1;
        }
    }

    fn skip_ident(&mut self) {
        self.skip_while(is_ident);
    }

    fn skip_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.bytes.get(self.at).is_some_and(|&b| f(b)) {
            self.at += 1;
        }
    }

    /// Past an identifier and its `\`-separated segments; whether there was a backslash.
    fn name(&mut self) -> bool {
        let mut qualified = false;
        if self.bytes[self.at] == b'\\' {
            self.at += 1;
            qualified = true;
        }
        loop {
            self.skip_ident();
            let more = self.bytes.get(self.at) == Some(&b'\\')
                && self
                    .bytes
                    .get(self.at + 1)
                    .is_some_and(|&b| is_ident_start(b));
            if !more {
                return qualified;
            }
            self.at += 1;
            qualified = true;
        }
    }

    /// Past a number: digits, letters and underscores (hex, binary, suffixes the reader will
    /// refuse), a fraction and an exponent.
    fn number(&mut self) {
        self.skip_ident();
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.skip_ident();
        }
        let sign = matches!(self.bytes.get(self.at.wrapping_sub(1)), Some(b'e' | b'E'))
            && matches!(self.bytes.get(self.at), Some(b'+' | b'-'));
        if sign {
            self.at += 1;
            self.skip_ident();
        }
    }

    /// Past a quoted string; gives up on `{$` / `${` interpolation, which may hold quotes.
    fn skip_string(&mut self, quote: u8) -> Result<(), Unreadable> {
        self.at += 1;
        loop {
            let &c = self.bytes.get(self.at).ok_or(Unreadable)?;
            let next = self.bytes.get(self.at + 1).copied();
            match c {
                b'\\' => self.at += 2,
                c if c == quote => {
                    self.at += 1;
                    return Ok(());
                }
                b'{' if quote != b'\'' && next == Some(b'$') => return Err(Unreadable),
                b'$' if quote != b'\'' && next == Some(b'{') => return Err(Unreadable),
                _ => self.at += 1,
            }
        }
    }
}

/// Length of the operator `rest` starts with (1 for single punctuation).
fn operator_len(rest: &[u8]) -> usize {
    if !rest.get(1).is_some_and(u8::is_ascii_punctuation) {
        return 1;
    }
    // Operators of more than one character by their first, longest first.
    let candidates: &[&str] = match rest[0] {
        b'<' => &["<=>", "<<=", "<>", "<=", "<<"],
        b'=' => &["===", "=>", "=="],
        b'!' => &["!==", "!="],
        b'*' => &["**=", "**", "*="],
        b'>' => &[">>=", ">=", ">>"],
        b'?' => &["??=", "?->", "??"],
        b'.' => &["...", ".="],
        b':' => &["::"],
        b'-' => &["->", "--", "-="],
        b'+' => &["++", "+="],
        b'&' => &["&&", "&="],
        b'|' => &["||", "|=", "|>"],
        b'/' => &["/="],
        b'%' => &["%="],
        b'^' => &["^="],
        _ => &[],
    };
    candidates
        .iter()
        .find(|op| rest.starts_with(op.as_bytes()))
        .map_or(1, |op| op.len())
}

/// PHP names are bytes: letters, `_` and every byte from 0x80 up, so `$prénom` is one name
/// (and a name never ends inside a UTF-8 character).
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
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
    fn only_function_declarations_have_bodies() {
        let bodies = |src: &str| -> Vec<String> {
            function_bodies(src)
                .into_iter()
                .map(|r| src[r].to_string())
                .collect()
        };
        // Declarations: named, by reference, a method named `function`, closures.
        assert_eq!(bodies("function f() {1}"), ["1"]);
        assert_eq!(bodies("function &f(array $a = [1]): ?int {2}"), ["2"]);
        assert_eq!(bodies("class A { function function() {3} }"), ["3"]);
        assert_eq!(
            bodies("$f = static function &($a) use ($b): int {4};"),
            ["4"]
        );
        assert_eq!(bodies("f(function: function () {5});"), ["5"]);
        // The word alone: a named argument, members, a constant, imports, an abstract method.
        for src in [
            "#[A(function: 'x')] class A {}",
            "#[A(Foo::function)] class A {}",
            "$this->function; $a?->function(); Foo::function(); class A {}",
            "class A { const function = 1; public function f(); }",
            "use function Foo\\f; class A {}",
            "$f = fn($a) => $a; class A {}",
        ] {
            assert!(bodies(src).is_empty(), "{src}");
        }
    }

    #[test]
    fn heredocs_and_interpolation_leave_the_file_whole() {
        assert!(function_bodies("<?php function f() { return <<<X\n}\nX; }").is_empty());
        assert!(function_bodies("<?php function f() { return \"{$a['}']}\"; }").is_empty());
    }

    #[test]
    fn names_numbers_and_operators_are_single_tokens() {
        let src = "\\Foo\\Bar::class => -1.5e+3 ?? $x #[A] # c\n";
        let found: Vec<(Kind, &str)> = tokens(src, 0)
            .unwrap()
            .iter()
            .map(|t| (t.kind, t.text))
            .collect();
        assert_eq!(
            found,
            [
                (Kind::Name, "\\Foo\\Bar"),
                (Kind::Punct, "::"),
                (Kind::Word, "class"),
                (Kind::Punct, "=>"),
                (Kind::Punct, "-"),
                (Kind::Num, "1.5e+3"),
                (Kind::Punct, "??"),
                (Kind::Var, "$x"),
                (Kind::AttrOpen, "#["),
                (Kind::Word, "A"),
                (Kind::Punct, "]"),
                (Kind::Comment, "# c"),
            ]
        );
    }
}
