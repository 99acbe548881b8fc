//! What the parser may leave out of a file: parsing is most of the cost of reading models, and
//! some regions provably carry no model information. A small lexer finds them; the parser then
//! reads only the rest (tree-sitter included ranges, so every position stays exact).
//!
//! Skipped: the `import … from "m"` statements that open a file (names only: the readers never
//! look at them) and, when the reader asks for it, the bodies of class methods. Anything the
//! lexer cannot classify with certainty — a `/` after `}` (division or regular expression?),
//! an unterminated literal, unbalanced brackets — makes it give up, and the file is parsed
//! whole.

use tree_sitter::{Point, Range};

/// The byte ranges of `text` that are not skipped, or `None` when nothing is skipped (or the
/// lexer was unsure). `method_bodies`: whether class method bodies may be skipped.
pub fn included_ranges(text: &str, method_bodies: bool) -> Option<Vec<Range>> {
    // CommonJS model files (`require`) have nothing to skip: no need to lex them.
    if !method_bodies && !text.contains("import") {
        return None;
    }
    let skipped = Lexer::new(text.as_bytes(), method_bodies).run()?;
    if skipped.is_empty() {
        return None;
    }
    let mut points = Points::new(text.as_bytes());
    let mut ranges = Vec::with_capacity(skipped.len() + 1);
    let mut start = 0;
    for (from, to) in skipped.into_iter().chain([(text.len(), text.len())]) {
        if from > start {
            ranges.push(Range {
                start_byte: start,
                end_byte: from,
                start_point: points.point(start),
                end_point: points.point(from),
            });
        }
        start = to;
    }
    // No range at all would mean the whole file to tree-sitter.
    (!ranges.is_empty()).then_some(ranges)
}

/// Points turns byte offsets, asked in increasing order, into tree-sitter points: one pass
/// over the text, counting the line breaks from one offset to the next.
struct Points<'t> {
    text: &'t [u8],
    at: usize,
    row: usize,
    line_start: usize,
}

impl<'t> Points<'t> {
    fn new(text: &'t [u8]) -> Points<'t> {
        Points {
            text,
            at: 0,
            row: 0,
            line_start: 0,
        }
    }

    fn point(&mut self, byte: usize) -> Point {
        let part = &self.text[self.at..byte];
        if let Some(last) = part.iter().rposition(|&b| b == b'\n') {
            self.row += part.iter().filter(|&&b| b == b'\n').count();
            self.line_start = self.at + last + 1;
        }
        self.at = byte;
        Point {
            row: self.row,
            column: byte - self.line_start,
        }
    }
}

/// An open bracket.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `(`; `control` after `if`/`while`/`for`/`with`, whose `)` may be followed by a regular
    /// expression.
    Paren {
        control: bool,
    },
    Bracket,
    /// `{`; a class body, or a method body being skipped from `skip_from`.
    Brace {
        class_body: bool,
        skip_from: Option<usize>,
    },
    /// `${` inside a template literal.
    Substitution,
}

/// The last significant token, which decides what a `/` starts and what a `{` opens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of file, `;` or a skipped import: a statement starts, so an import skipped here
    /// cannot join what precedes it with what follows (automatic semicolon insertion).
    StatementEnd,
    /// A punctuator after which an expression starts: `/` is a regex.
    Operator,
    /// A name, number, literal, `]` or non-control `)`: `/` divides, except after a keyword
    /// that an expression follows (`return /x/`).
    Operand,
    /// `)` closing a control head: `/` is a regex; `)` in a class body: a method body follows.
    ControlParen,
    /// `)` closing a parenthesis that is a direct child of a class body.
    ClassParen,
    /// `>` (not `=>`): the end of type arguments, as in a return type `Promise<void> {`.
    Angle,
    /// `}`: block end or object end, the `/` after it cannot be told.
    Brace,
    /// `.`: the next name is a property (`x.class` is not a class).
    Dot,
}

const REGEX_KEYWORDS: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"case",
    b"do",
    b"else",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"instanceof",
    b"yield",
    b"await",
];
const CONTROL_KEYWORDS: &[&[u8]] = &[b"if", b"while", b"for", b"with"];

struct Lexer<'t> {
    text: &'t [u8],
    at: usize,
    method_bodies: bool,
    stack: Vec<Open>,
    last: Last,
    /// The last name, when `last` is a name (`if (`, and `return /x/`: after these keywords
    /// an expression starts).
    last_name: &'t [u8],
    /// Set by `class` (not after `.`): the stack depth at which its body will open.
    class_at: Option<usize>,
    /// Set by `:` after a method's parameters: the class body depth at which its return type
    /// is read, until its body opens.
    return_type_at: Option<usize>,
    /// True until the first token that is not a directive (`"use strict"`), a `;` or an
    /// import: only imports in this prologue are skipped, where the lexer has read nothing it
    /// could have misread.
    prologue: bool,
    skipped: Vec<(usize, usize)>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t [u8], method_bodies: bool) -> Lexer<'t> {
        Lexer {
            text,
            at: 0,
            method_bodies,
            stack: Vec::new(),
            last: Last::StatementEnd,
            last_name: b"",
            class_at: None,
            return_type_at: None,
            prologue: true,
            skipped: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.text.get(self.at + ahead).copied().unwrap_or(0)
    }

    /// The skipped byte ranges, in order; `None` when unsure.
    fn run(mut self) -> Option<Vec<(usize, usize)>> {
        loop {
            // Past the imports, only method bodies are left to find.
            if !self.prologue && !self.method_bodies {
                return Some(self.skipped);
            }
            self.skip_space()?;
            let Some(&c) = self.text.get(self.at) else {
                break;
            };
            let prologue = std::mem::replace(&mut self.prologue, false);
            match c {
                b'"' | b'\'' => {
                    self.string(c)?;
                    self.operand();
                    self.prologue = prologue;
                }
                b'`' => {
                    self.at += 1;
                    self.template()?;
                    self.operand();
                }
                b'/' => match self.last {
                    Last::Operand if REGEX_KEYWORDS.contains(&self.last_name) => {
                        self.regex()?;
                        self.operand();
                    }
                    Last::Operand | Last::ClassParen => {
                        self.at += 1;
                        self.last = Last::Operator;
                    }
                    Last::Brace => return None,
                    _ => {
                        self.regex()?;
                        self.operand();
                    }
                },
                b'0'..=b'9' => {
                    self.name();
                    self.operand();
                }
                b'(' => {
                    let control =
                        self.last == Last::Operand && CONTROL_KEYWORDS.contains(&self.last_name);
                    self.open(Open::Paren { control });
                }
                b'[' => self.open(Open::Bracket),
                b'{' => self.open_brace(),
                b')' | b']' | b'}' => self.close(c)?,
                b'.' if !self.peek(1).is_ascii_digit() => {
                    self.at += 1;
                    self.last = Last::Dot;
                }
                b';' => {
                    self.at += 1;
                    self.last = Last::StatementEnd;
                    self.return_type_at = None;
                    self.prologue = prologue;
                }
                b':' => {
                    if self.last == Last::ClassParen {
                        self.return_type_at = Some(self.stack.len());
                    }
                    self.at += 1;
                    self.last = Last::Operator;
                }
                b'>' if self.at == 0 || self.text[self.at - 1] != b'=' => {
                    self.at += 1;
                    self.last = Last::Angle;
                }
                c if c == b'_' || c == b'$' || c.is_ascii_alphabetic() || c >= 0x80 => {
                    self.word(prologue)?
                }
                _ => {
                    self.at += 1;
                    self.last = Last::Operator;
                }
            }
        }
        self.stack.is_empty().then_some(self.skipped)
    }

    fn operand(&mut self) {
        self.last = Last::Operand;
        self.last_name = b"";
    }

    fn open(&mut self, open: Open) {
        self.at += 1;
        self.stack.push(open);
        self.last = Last::Operator;
        self.class_at = self.class_at.filter(|&depth| depth < self.stack.len());
    }

    fn open_brace(&mut self) {
        let class_body = self.class_at == Some(self.stack.len());
        let in_class_body = matches!(
            self.stack.last(),
            Some(Open::Brace {
                class_body: true,
                ..
            })
        );
        // After the parameters, or where a return type can end (`: void {`, `: Promise<T> {`,
        // `: { a: T } {`); a `{` after `:`, `|`, `=>`, … opens an object type instead.
        let after_signature = self.last == Last::ClassParen
            || (self.return_type_at == Some(self.stack.len())
                && matches!(self.last, Last::Operand | Last::Angle | Last::Brace));
        let method_body = self.method_bodies && in_class_body && after_signature;
        if class_body {
            self.class_at = None;
        }
        if method_body {
            self.return_type_at = None;
        }
        self.open(Open::Brace {
            class_body,
            skip_from: method_body.then_some(self.at + 1),
        });
    }

    fn close(&mut self, c: u8) -> Option<()> {
        let open = self.stack.pop()?;
        self.last = match (open, c) {
            (Open::Paren { control: true }, b')') => Last::ControlParen,
            (Open::Paren { control: false }, b')') => {
                let in_class_body = matches!(
                    self.stack.last(),
                    Some(Open::Brace {
                        class_body: true,
                        ..
                    })
                );
                if in_class_body {
                    Last::ClassParen
                } else {
                    Last::Operand
                }
            }
            (Open::Bracket, b']') => Last::Operand,
            (Open::Brace { skip_from, .. }, b'}') => {
                if let Some(from) = skip_from {
                    // A body skipped inside this one is part of it.
                    while self.skipped.last().is_some_and(|&(start, _)| start >= from) {
                        self.skipped.pop();
                    }
                    self.skipped.push((from, self.at));
                }
                Last::Brace
            }
            (Open::Substitution, b'}') => {
                self.at += 1;
                self.template()?;
                self.operand();
                return Some(());
            }
            _ => return None,
        };
        self.at += 1;
        self.class_at = self.class_at.filter(|&depth| depth <= self.stack.len());
        self.return_type_at = self
            .return_type_at
            .filter(|&depth| depth <= self.stack.len());
        Some(())
    }

    /// A name or keyword: `class` marks the next brace at this depth as a class body, an
    /// `import` statement in the `prologue` is skipped.
    fn word(&mut self, prologue: bool) -> Option<()> {
        let start = self.at;
        self.name();
        let word = &self.text[start..self.at];
        if self.last == Last::Dot {
            self.operand();
            return Some(());
        }
        match word {
            // A class name or the body must follow (`{ class: 1 }` is a property).
            b"class" if self.next_is_name_or_brace() => self.class_at = Some(self.stack.len()),
            b"import" if prologue && self.last == Last::StatementEnd => {
                if let Some(end) = import_end(self.text, self.at) {
                    self.skipped.push((start, end));
                    self.at = end;
                    self.last = Last::StatementEnd;
                    self.prologue = true;
                    return Some(());
                }
            }
            _ => {}
        }
        self.last = Last::Operand;
        self.last_name = word;
        Some(())
    }

    fn next_is_name_or_brace(&self) -> bool {
        let rest = &self.text[self.at..];
        let next = rest.iter().find(|b| !b.is_ascii_whitespace()).copied();
        next.is_some_and(|c| c == b'{' || c == b'_' || c == b'$' || c.is_ascii_alphabetic())
    }

    fn name(&mut self) {
        self.at = name_end(self.text, self.at);
    }

    fn skip_space(&mut self) -> Option<()> {
        self.at = space_end(self.text, self.at)?;
        Some(())
    }

    fn string(&mut self, quote: u8) -> Option<()> {
        self.at = quoted_end(self.text, self.at, quote)?;
        Some(())
    }

    /// A template literal's text from after its opening backtick or a substitution's `}`, up
    /// to its end or its next `${`.
    fn template(&mut self) -> Option<()> {
        loop {
            match self.peek(0) {
                b'\\' => self.at += 2,
                b'`' => {
                    self.at += 1;
                    return Some(());
                }
                b'$' if self.peek(1) == b'{' => {
                    self.at += 1;
                    self.open(Open::Substitution);
                    return Some(());
                }
                0 => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A regular expression literal and its flags.
    fn regex(&mut self) -> Option<()> {
        self.at += 1;
        let mut class = false;
        loop {
            match self.peek(0) {
                b'\\' => self.at += 2,
                b'\n' | 0 => return None,
                b'[' => {
                    class = true;
                    self.at += 1;
                }
                b']' => {
                    class = false;
                    self.at += 1;
                }
                b'/' if !class => {
                    self.at += 1;
                    self.name();
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }
}

/// The end of the name (identifier, keyword or number body) starting at `at`.
pub(super) fn name_end(text: &[u8], mut at: usize) -> usize {
    while let Some(&c) = text.get(at) {
        if c == b'_' || c == b'$' || c.is_ascii_alphanumeric() || c >= 0x80 {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// The end of the whitespace and comments from `at`; `None` in an unterminated comment.
pub(super) fn space_end(text: &[u8], mut at: usize) -> Option<usize> {
    let peek = |at: usize| text.get(at).copied().unwrap_or(0);
    loop {
        match (peek(at), peek(at + 1)) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => at += 1,
            (b'/', b'/') => {
                while !matches!(peek(at), b'\n' | 0) {
                    at += 1;
                }
            }
            (b'/', b'*') => at += 2 + find(&text[at + 2..], b"*/")? + 2,
            _ => return Some(at),
        }
    }
}

/// The end of the string quoted with `quote` that starts at `at`; `None` when a line break
/// or the end of the file comes first (an error the parser should report).
pub(super) fn quoted_end(text: &[u8], mut at: usize, quote: u8) -> Option<usize> {
    at += 1;
    loop {
        match text.get(at).copied().unwrap_or(0) {
            b'\\' => at += 2,
            b'\n' | 0 => return None,
            c => {
                at += 1;
                if c == quote {
                    return Some(at);
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The end of an `import … from "m";` or `import "m";` statement whose `import` keyword ends
/// at `at`: the byte after its module string (and `;`). `None` for any other form (dynamic
/// `import(…)`, `import.meta`, TypeScript's `import x = require(…)`, import attributes).
fn import_end(text: &[u8], mut at: usize) -> Option<usize> {
    let space = |at: &mut usize| {
        while text.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
    };
    let mut after_from = true;
    loop {
        space(&mut at);
        let c = *text.get(at)?;
        match c {
            b'"' | b'\'' if after_from => {
                let len = text[at + 1..].iter().position(|&b| b == c || b == b'\n')?;
                if text[at + 1 + len] != c || text[at + 1..at + 1 + len].contains(&b'\\') {
                    return None;
                }
                at += len + 2;
                let mut end = at;
                space(&mut end);
                return match text.get(end) {
                    Some(b';') => Some(end + 1),
                    Some(b'w' | b'a') => None,
                    _ => Some(at),
                };
            }
            b'{' | b'}' | b',' | b'*' => {
                at += 1;
                after_from = false;
            }
            c if c == b'_' || c == b'$' || c.is_ascii_alphabetic() => {
                let start = at;
                while text
                    .get(at)
                    .is_some_and(|&b| b == b'_' || b == b'$' || b.is_ascii_alphanumeric())
                {
                    at += 1;
                }
                after_from = &text[start..at] == b"from";
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::included_ranges;

    /// The text the parser reads: the included ranges joined with `|`.
    fn kept(text: &str, method_bodies: bool) -> String {
        match included_ranges(text, method_bodies) {
            None => text.to_string(),
            Some(ranges) => ranges
                .iter()
                .map(|r| &text[r.start_byte..r.end_byte])
                .collect::<Vec<_>>()
                .join("|"),
        }
    }

    #[test]
    fn imports_are_skipped() {
        let text = "import { A, B as C } from \"a\";\nimport * as D from 'd'\nimport 'e';\n@Entity()\nclass X {}\n";
        assert_eq!(kept(text, false), "\n|\n|\n@Entity()\nclass X {}\n");
    }

    #[test]
    fn other_imports_are_kept() {
        for text in [
            "import x = require(\"x\");\n",
            "const m = import(\"m\");\n",
            "import data from \"./d.json\" with { type: \"json\" };\n",
            "function f() {\n  import(\"x\");\n}\n",
            "x = 1\nimport a from \"a\"\n(f)()\n",
            "x = 1;\nimport a from \"a\";\n",
        ] {
            assert_eq!(kept(text, true), text);
        }
    }

    #[test]
    fn method_bodies_are_skipped_only_when_asked() {
        let text = "class X extends Y {\n  @Column() a: string;\n  save(x) { return x / 2; }\n  get b() { if (x) /re}/.test(x); }\n}\n";
        assert_eq!(
            kept(text, true),
            "class X extends Y {\n  @Column() a: string;\n  save(x) {|}\n  get b() {|}\n}\n"
        );
        assert_eq!(kept(text, false), text);
    }

    #[test]
    fn regular_expressions_after_keywords_are_read() {
        let text = "class X {\n  m(a) { return /}/.test(a) / 2; }\n  n: string;\n}\n";
        assert_eq!(kept(text, true), "class X {\n  m(a) {|}\n  n: string;\n}\n");
    }

    #[test]
    fn bodies_after_return_types_are_skipped() {
        let text = "class X {\n  @BeforeInsert() setDates(): void { this.a = new Date(); }\n  @Column() a: Date;\n  async all(): Promise<Array<{ a: string }>> { return []; }\n  shape(): { a: string } { return { a: '' }; }\n  over(a: string): void;\n  over(a: any): void {}\n  f: (a: number) => { b: 1 };\n}\n";
        assert_eq!(
            kept(text, true),
            "class X {\n  @BeforeInsert() setDates(): void {|}\n  @Column() a: Date;\n  async all(): Promise<Array<{ a: string }>> {|}\n  shape(): { a: string } {|}\n  over(a: string): void;\n  over(a: any): void {|}\n  f: (a: number) => { b: 1 };\n}\n"
        );
    }

    #[test]
    fn ranges_carry_their_rows_and_columns() {
        let text = "import a from \"a\";\nclass X {\n  m() {\n return 1; }\n  n(): void { }\n}\n";
        let point = |byte: usize| {
            let before = &text[..byte];
            let row = before.matches('\n').count();
            (row, byte - before.rfind('\n').map_or(0, |i| i + 1))
        };
        let ranges = included_ranges(text, true).expect("ranges");
        assert_eq!(ranges.len(), 3);
        for r in ranges {
            assert_eq!(
                (r.start_point.row, r.start_point.column),
                point(r.start_byte)
            );
            assert_eq!((r.end_point.row, r.end_point.column), point(r.end_byte));
        }
    }

    #[test]
    fn functions_and_objects_are_kept() {
        let text = "const o = { class: 1, f(a) { return a; } };\nfunction g(a) { return a; }\nclass Z { f = (a) => { return a; }; }\n";
        assert_eq!(kept(text, true), text);
    }

    #[test]
    fn templates_and_comments_do_not_confuse_braces() {
        let text =
            "class X {\n  m() { return `}${ {a: '}'} }`; /* } */ }\n  // }\n  n: string;\n}\n";
        assert_eq!(
            kept(text, true),
            "class X {\n  m() {|}\n  // }\n  n: string;\n}\n"
        );
    }

    #[test]
    fn unsure_regions_keep_the_file_whole() {
        for text in [
            "class X { m() { if (a) {} /x}/.test(b); } }\n",
            "class X { m() { return 'open\n'; } }\n",
            "class X { m() { return 1; }\n",
        ] {
            assert_eq!(kept(text, true), text);
        }
    }
}
