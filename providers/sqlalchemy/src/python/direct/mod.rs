//! The direct reader: model files read straight from their tokens into [`ast`](super::ast)
//! values, without building a syntax tree. tree-sitter's parse is most of the time of reading a
//! project (its GLR parser allocates a node per token and more per ambiguity), while model
//! files use a small, regular part of Python.
//!
//! It gives exactly the values the tree-sitter reader ([`super::parse`]) gives, or nothing: any
//! construct outside that part (operators other than `|`, `&`, `~` and unary `-` in the
//! statements it converts, `*args`, slices, lambdas, comprehensions, `;`, statements other
//! than imports, classes, assignments, expressions and `pass`…) makes it return `None` and
//! the file is parsed by tree-sitter — so syntax errors there are still reported by tree-sitter
//! with their position. Bodies of `def` and of module- or class-level control flow are not
//! converted by either reader, only searched for calls; here they are skipped by their tokens
//! and indentation, so a syntax error inside a function body is not reported (Python would
//! report it on import; the schema never depends on it).

use super::ast::{Class, Expr, ExprKind, Imported, Pos, Stmt};
use super::lexer::{Tok, Token, tokens};
use expr::{interpolations_without_calls, is_fstring};

/// The statements of `text`, or `None` when the file needs tree-sitter.
pub fn read(text: &str) -> Option<Vec<Stmt>> {
    let tokens = tokens(text)?;
    let mut reader = Reader {
        text,
        tokens: &tokens,
        i: 0,
    };
    let mut body = Vec::new();
    while reader.i < tokens.len() {
        reader.statement(&mut body)?;
    }
    Some(body)
}

/// Python's keywords (a `match` on the word compiles to a switch on its length and bytes,
/// which matters: every name is checked).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// Soft keywords that start statements in tree-sitter-python: `match x:`, `case 1:`,
/// `type X = …`, and Python 2's `print` and `exec` (its parse of `print(…, *a.b())` as a
/// statement has no call in it). At a statement's start they give up unless assigned to.
fn is_soft_keyword(word: &str) -> bool {
    matches!(word, "match" | "case" | "type" | "print" | "exec")
}

/// Compound statements skipped as [`Stmt::Dynamic`], with the clauses that continue them.
const CONTROL: &[(&str, &[&str])] = &[
    ("if", &["elif", "else"]),
    ("for", &["else"]),
    ("while", &["else"]),
    ("with", &[]),
    ("try", &["except", "else", "finally"]),
];

/// A converted expression with the span of its syntax node (`start`, `at`, `end`), which is
/// wider than the expression's own position for a parenthesized one: `(a)` converts to `a`
/// at `a`, but `(a).b` and `(a) | b` start at the parenthesis.
struct Node {
    expr: Expr,
    start: usize,
    at: Pos,
    end: usize,
}

struct Reader<'a> {
    text: &'a str,
    tokens: &'a [Token],
    i: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.i)
    }

    fn text_of(&self, t: &Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    /// Whether the next token is the operator or name `s`.
    fn at(&self, tok: Tok, s: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.tok == tok && self.text_of(t) == s)
    }

    fn next(&mut self) -> Option<&'a Token> {
        let t = self.tokens.get(self.i)?;
        self.i += 1;
        Some(t)
    }

    fn expect(&mut self, tok: Tok, s: &str) -> Option<&'a Token> {
        self.at(tok, s).then(|| self.next())?
    }

    fn expect_kind(&mut self, tok: Tok) -> Option<&'a Token> {
        (self.peek()?.tok == tok).then(|| self.next())?
    }

    fn skip_comments(&mut self) {
        while self.peek().is_some_and(|t| t.tok == Tok::Comment) {
            self.i += 1;
        }
    }

    /// A name token that is not a keyword.
    fn name(&mut self) -> Option<&'a Token> {
        let t = self.expect_kind(Tok::Name)?;
        let text = self.text_of(t);
        (!is_keyword(text)).then_some(t)
    }

    fn name_text(&mut self) -> Option<&'a str> {
        let t = self.name()?;
        Some(self.text_of(t))
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        let first = *self.peek()?;
        let word = self.text_of(&first);
        if first.tok == Tok::Op && word == "@" {
            return self.decorated(out);
        }
        if first.tok != Tok::Name {
            return self.simple(out);
        }
        match word {
            "class" => out.push(Stmt::Class(self.class(Vec::new())?)),
            "def" | "async" => out.push(self.def(Vec::new())?),
            "import" => self.import(out)?,
            "from" => self.import_from(out)?,
            "pass" => {
                self.next();
                self.expect_kind(Tok::Newline)?;
            }
            _ if is_soft_keyword(word) && !self.soft_keyword_assigned() => return None,
            _ => match CONTROL.iter().find(|(w, _)| *w == word) {
                Some((what, clauses)) => {
                    let calls = self.skip_compound(clauses)?;
                    out.push(Stmt::Dynamic {
                        what,
                        calls,
                        at: first.at,
                    });
                }
                None if is_keyword(word) => return None,
                None => return self.simple(out),
            },
        }
        Some(())
    }

    /// `type = …`: a soft keyword as an assignment target is a name, not a statement.
    fn soft_keyword_assigned(&self) -> bool {
        self.tokens
            .get(self.i + 1)
            .is_some_and(|t| t.tok == Tok::Op && self.text_of(t) == "=")
    }

    fn decorated(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        let mut decorators = Vec::new();
        while self.expect(Tok::Op, "@").is_some() {
            let node = self.expression()?;
            self.expect_kind(Tok::Newline)?;
            let target = match node.expr.kind {
                ExprKind::Call { func, .. } => *func,
                _ => node.expr,
            };
            decorators.push(target.path().unwrap_or_default());
        }
        if self.at(Tok::Name, "class") {
            out.push(Stmt::Class(self.class(decorators)?));
        } else {
            out.push(self.def(decorators)?);
        }
        Some(())
    }

    fn class(&mut self, decorators: Vec<String>) -> Option<Class> {
        let at = self.expect(Tok::Name, "class")?.at;
        let name = self.name_text()?.to_string();
        let (mut bases, mut keywords) = (Vec::new(), Vec::new());
        if self.expect(Tok::Op, "(").is_some() {
            self.arguments(&mut bases, &mut keywords)?;
        }
        self.expect(Tok::Op, ":")?;
        self.expect_kind(Tok::Newline)?;
        self.expect_kind(Tok::Indent)?;
        let mut body = Vec::new();
        while self.expect_kind(Tok::Dedent).is_none() {
            self.statement(&mut body)?;
        }
        Some(Class {
            name,
            decorators,
            bases,
            keywords,
            body,
            at,
        })
    }

    /// `def` / `async def`: its name, and the calls of its whole statement.
    fn def(&mut self, decorators: Vec<String>) -> Option<Stmt> {
        let at = self.peek()?.at;
        if self.expect(Tok::Name, "async").is_some() && !self.at(Tok::Name, "def") {
            return None;
        }
        let start = self.i;
        self.expect(Tok::Name, "def")?;
        let name = self.name_text()?.to_string();
        self.i = start;
        let calls = self.skip_compound(&[])?;
        Some(Stmt::Def {
            name,
            decorators,
            calls,
            at,
        })
    }

    /// Skip a compound statement — its header up to the `:` outside brackets, its body (on
    /// the same line or an indented block), then any of `clauses` at the same level — and
    /// return the names of the calls in it, in source order: every name right before `(` that
    /// is not a keyword nor the name of a `def` or `class`, which is what tree-sitter's `call`
    /// nodes give. What would make that differ (a call of a parenthesized or called
    /// expression, a statement starting with a soft keyword, calls in f-strings) gives up.
    fn skip_compound(&mut self, clauses: &[&str]) -> Option<Vec<String>> {
        let mut calls = Vec::new();
        loop {
            self.skip_clause(&mut calls)?;
            let continues = self
                .peek()
                .is_some_and(|t| t.tok == Tok::Name && clauses.contains(&self.text_of(t)));
            if !continues {
                return Some(calls);
            }
        }
    }

    fn skip_clause(&mut self, calls: &mut Vec<String>) -> Option<()> {
        let mut depth = 0usize;
        let mut blocks = 0usize;
        let mut header = true;
        let mut line_start = true;
        loop {
            let t = *self.next()?;
            let text = self.text_of(&t);
            let starts_line = line_start;
            line_start = false;
            match t.tok {
                Tok::Op if matches!(text, "(" | "[" | "{") => {
                    if text == "(" && self.i >= 2 {
                        let before = self.tokens[self.i - 2];
                        if before.tok == Tok::Op && matches!(self.text_of(&before), ")") {
                            return None;
                        }
                    }
                    depth += 1;
                }
                Tok::Op if matches!(text, ")" | "]" | "}") => depth = depth.checked_sub(1)?,
                Tok::Op if header && depth == 0 && text == ":" => {
                    header = false;
                    if self.expect_kind(Tok::Newline).is_some() {
                        self.expect_kind(Tok::Indent)?;
                        blocks = 1;
                        line_start = true;
                    }
                }
                Tok::Name if text == "lambda" && header && depth == 0 => return None,
                Tok::Name => {
                    if starts_line && is_soft_keyword(text) && !self.at(Tok::Op, "=") {
                        return None;
                    }
                    let called = self
                        .peek()
                        .is_some_and(|n| n.tok == Tok::Op && self.text_of(n) == "(");
                    let declared = self.i >= 2 && {
                        let before = self.text_of(&self.tokens[self.i - 2]);
                        self.tokens[self.i - 2].tok == Tok::Name
                            && (before == "def" || before == "class")
                    };
                    if called && !declared && !is_keyword(text) {
                        calls.push(text.to_string());
                    }
                }
                Tok::Str if is_fstring(text) && !interpolations_without_calls(text) => return None,
                Tok::Newline if !header && blocks == 0 => return Some(()),
                Tok::Newline | Tok::Dedent => {
                    line_start = true;
                    if t.tok == Tok::Dedent {
                        blocks = blocks.checked_sub(1)?;
                        if blocks == 0 {
                            return Some(());
                        }
                    }
                }
                Tok::Indent => {
                    line_start = true;
                    blocks += 1;
                }
                _ => {}
            }
            if header && t.tok == Tok::Newline {
                return None;
            }
        }
    }

    /// `import a.b [as c], …`: one statement per module.
    fn import(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        self.next();
        loop {
            let module = self.dotted()?;
            let alias = self.alias()?;
            out.push(Stmt::Import {
                module,
                names: vec![Imported { name: None, alias }],
            });
            if self.expect(Tok::Op, ",").is_none() {
                break;
            }
        }
        self.expect_kind(Tok::Newline).map(|_| ())
    }

    /// `from [.]a.b import c [as d], …`, the names optionally in parentheses. `from
    /// __future__ import …` is a statement of its own in tree-sitter-python, not an import.
    fn import_from(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        self.next();
        let start = self.peek()?.start;
        while self.expect(Tok::Op, ".").is_some() {}
        if !self.at(Tok::Name, "import") {
            self.dotted()?;
        }
        let end = self.tokens[self.i - 1].end;
        let module = self.spaceless(start, end)?.to_string();
        self.expect(Tok::Name, "import")?;
        let names = if self.expect(Tok::Op, "*").is_some() {
            Vec::new()
        } else if self.expect(Tok::Op, "(").is_some() {
            let names = self.imported(true)?;
            self.expect(Tok::Op, ")")?;
            names
        } else {
            self.imported(false)?
        };
        self.expect_kind(Tok::Newline)?;
        if module != "__future__" {
            out.push(Stmt::Import { module, names });
        }
        Some(())
    }

    /// `name [as alias], …`; in parentheses comments may come between and a comma may end it.
    fn imported(&mut self, parens: bool) -> Option<Vec<Imported>> {
        let mut names = Vec::new();
        loop {
            if parens {
                self.skip_comments();
                if self.at(Tok::Op, ")") {
                    return Some(names);
                }
            }
            let name = self.dotted()?;
            names.push(Imported {
                name: Some(name),
                alias: self.alias()?,
            });
            if parens {
                self.skip_comments();
            }
            if self.expect(Tok::Op, ",").is_none() {
                return Some(names);
            }
        }
    }

    /// A dotted name written without spaces, as text.
    fn dotted(&mut self) -> Option<String> {
        let start = self.name()?.start;
        while self.expect(Tok::Op, ".").is_some() {
            self.name()?;
        }
        let end = self.tokens[self.i - 1].end;
        self.spaceless(start, end).map(str::to_string)
    }

    fn alias(&mut self) -> Option<Option<String>> {
        if self.expect(Tok::Name, "as").is_none() {
            return Some(None);
        }
        Some(Some(self.name_text()?.to_string()))
    }

    /// The source from `start` to `end` when it has no whitespace or comment in it.
    fn spaceless(&self, start: usize, end: usize) -> Option<&'a str> {
        // `from import x` leaves no module between the two keywords: `end` is before `start`.
        let text = self.text.get(start..end)?;
        (!text.contains([' ', '\n', '#'])).then_some(text)
    }

    /// An assignment chain, an annotated assignment or an expression statement. Unpacking
    /// (`a, b = …`) and several expressions (`a, b`) give up.
    fn simple(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        let first = self.expression()?;
        let at = first.at;
        let stmt = if self.expect(Tok::Op, ":").is_some() {
            let targets = vec![self.target_name(first)?];
            let annotation = Some(self.expression()?.expr);
            let value = match self.expect(Tok::Op, "=") {
                Some(_) => Some(self.expression_list()?.expr),
                None => None,
            };
            Stmt::Assign {
                targets,
                annotation,
                value,
                at,
            }
        } else if self.at(Tok::Op, "=") {
            let mut targets = vec![self.target_name(first)?];
            let mut value;
            loop {
                self.next();
                value = self.expression_list()?;
                if !self.at(Tok::Op, "=") {
                    break;
                }
                targets.push(self.target_name(value)?);
            }
            Stmt::Assign {
                targets,
                annotation: None,
                value: Some(value.expr),
                at,
            }
        } else {
            Stmt::Expr(first.expr)
        };
        self.expect_kind(Tok::Newline)?;
        out.push(stmt);
        Some(())
    }

    /// The name an assignment target is, written bare; anything else (attributes, subscripts,
    /// unpacking, `(a)`) is tree-sitter's to report as dynamic.
    fn target_name(&self, node: Node) -> Option<String> {
        match node.expr.kind {
            ExprKind::Name(n) if self.text[node.start..node.end] == *n => Some(n),
            _ => None,
        }
    }
}

mod expr;
#[cfg(test)]
mod tests;
