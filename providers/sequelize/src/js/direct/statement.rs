//! Statements: imports, exports, declarations, functions, classes, enums, `return` and
//! expression statements. Control flow and anything else gives up.

use super::Reader;
use super::expr::is_binding;
use super::lexer::Tok;

/// Keywords that start a statement the direct reader does not read.
const UNREAD: &[&str] = &[
    "if", "for", "while", "do", "try", "switch", "throw", "break", "continue", "with", "yield",
    "debugger", "label", "super", "import",
];

/// TypeScript declarations the direct reader does not read, when a name follows them.
const UNREAD_TS: &[&str] = &[
    "interface",
    "type",
    "namespace",
    "declare",
    "module",
    "global",
];

impl Reader<'_> {
    /// One statement; `collect`: whether its calls are collected, `top`: at the top level
    /// (where imports are).
    pub(super) fn statement(&mut self, collect: bool, top: bool) -> Option<()> {
        let t = self.peek(0)?;
        let word = self.text_of(t);
        if t.tok == Tok::Punct {
            return match word {
                ";" => {
                    self.i += 1;
                    Some(())
                }
                "@" => {
                    let start = t.start;
                    let decorators = self.decorators(collect)?;
                    let exported = self.is(0, "export");
                    if exported {
                        self.i += 1;
                    }
                    let class_start = if exported { self.peek(0)?.start } else { start };
                    self.class_statement(decorators, class_start, collect)
                }
                _ => self.expression_statement(collect),
            };
        }
        if t.tok != Tok::Name {
            return self.expression_statement(collect);
        }
        match word {
            "import" if top && !self.is(1, "(") && !self.is(1, ".") => self.import(),
            "export" if top => self.export(collect),
            "const" | "let" | "var" if self.is(1, "enum") => self.enum_declaration(),
            "const" | "let" | "var" => self.declaration(collect),
            "function" => self.function_declaration(),
            "async" if self.is(1, "function") => self.function_declaration(),
            "class" | "abstract" | "enum" => self.class_statement(Vec::new(), t.start, collect),
            "return" => {
                self.i += 1;
                if !self.at_statement_end() {
                    self.expression(collect)?;
                }
                self.statement_end()
            }
            w if UNREAD.contains(&w) => None,
            w if self.typescript && UNREAD_TS.contains(&w) && self.is_name(1) => None,
            _ => self.expression_statement(collect),
        }
    }

    /// A class, abstract class or enum declaration starting at the current token.
    fn class_statement(
        &mut self,
        outer: Vec<super::Expr>,
        start: usize,
        collect: bool,
    ) -> Option<()> {
        if self.is(0, "enum") || (self.is(0, "const") && self.is(1, "enum")) {
            return if outer.is_empty() {
                self.enum_declaration()
            } else {
                None
            };
        }
        self.class(outer, start, collect)?;
        Some(())
    }

    fn expression_statement(&mut self, collect: bool) -> Option<()> {
        self.expression(collect)?;
        self.statement_end()
    }

    fn at_statement_end(&self) -> bool {
        match self.peek(0) {
            None => true,
            Some(t) => t.line_break || self.is(0, ";") || self.is(0, "}"),
        }
    }

    /// A `;`, or the end automatic semicolon insertion puts before a line break, a `}` or the
    /// end of the file.
    pub(super) fn statement_end(&mut self) -> Option<()> {
        if self.is(0, ";") {
            self.i += 1;
            return Some(());
        }
        self.at_statement_end().then_some(())
    }

    /// `import "m";`, `import d, * as ns from "m";`, `import type { a, b as c } from "m";`:
    /// nothing is recorded, but the form is checked (a damaged import is a syntax error).
    fn import(&mut self) -> Option<()> {
        self.i += 1;
        if self.peek(0)?.tok == Tok::Str {
            self.i += 1;
            return self.statement_end();
        }
        // `type` is a modifier when a clause follows it (`import type from "m"` imports `type`).
        if self.typescript && self.is(0, "type") && !self.is(1, "from") && !self.is(1, ",") {
            self.i += 1;
        }
        if self.is_name(0) && !self.is(0, "from") {
            self.i += 1;
            if !self.is(0, "from") {
                self.expect(",")?;
                self.import_clause()?;
            }
        } else {
            self.import_clause()?;
        }
        self.expect("from")?;
        (self.next()?.tok == Tok::Str).then_some(())?;
        self.statement_end()
    }

    /// `* as ns` or `{ a, type b, "c" as d }`.
    fn import_clause(&mut self) -> Option<()> {
        if self.expect("*").is_some() {
            self.expect("as")?;
            return self.is_name(0).then(|| self.i += 1);
        }
        self.expect("{")?;
        while self.expect("}").is_none() {
            if self.typescript
                && self.is(0, "type")
                && (self.is_name(1) || self.peek(1)?.tok == Tok::Str)
            {
                self.i += 1;
            }
            let t = self.next()?;
            if !matches!(t.tok, Tok::Name | Tok::Str) {
                return None;
            }
            if self.expect("as").is_some() {
                (self.next()?.tok == Tok::Name).then_some(())?;
            }
            if !self.is(0, "}") {
                self.expect(",")?;
            }
        }
        Some(())
    }

    fn export(&mut self, collect: bool) -> Option<()> {
        self.i += 1;
        let t = self.peek(0)?;
        // tree-sitter's TypeScript grammar misreads some exports split after `export`.
        if t.line_break {
            return None;
        }
        match self.text_of(t) {
            "default" => {
                self.i += 1;
                if self.is(0, "class") || self.is(0, "abstract") || self.is(0, "function") {
                    return None;
                }
                self.expression_statement(collect)
            }
            "{" | "*" => {
                self.i += 1;
                self.skip_until(&["}", "from", ";"])?;
                if self.is(0, "}") {
                    self.i += 1;
                }
                if self.is(0, "from") {
                    self.i += 1;
                    (self.next()?.tok == Tok::Str).then_some(())?;
                }
                self.statement_end()
            }
            "class" | "abstract" | "enum" => self.class_statement(Vec::new(), t.start, collect),
            "const" | "let" | "var" | "function" | "async" => self.statement(collect, false),
            _ => None,
        }
    }

    /// `const a = …, { b } = …;`
    fn declaration(&mut self, collect: bool) -> Option<()> {
        self.i += 1;
        loop {
            let start = self.peek(0)?.start;
            let pattern = self.is(0, "{") || self.is(0, "[");
            self.pattern()?;
            let name = &self.text[start..self.last_end()];
            if self.is(0, "=") {
                self.i += 1;
                let value = self.expression(collect)?;
                self.bind(value.site, name);
                if let Some(class) = value.site.alias
                    && !pattern
                {
                    self.d.classes[class].aliases.push(name.to_string());
                }
            }
            if !self.is(0, ",") {
                return self.statement_end();
            }
            self.i += 1;
        }
    }

    /// A binding: a name, `{ a, b: c, ...d }` or `[a, , ...b]`, nested. Defaults give up.
    fn pattern(&mut self) -> Option<()> {
        let t = self.next()?;
        match self.text_of(t) {
            "{" => {
                while self.expect("}").is_none() {
                    if self.expect("...").is_some() {
                        self.binding_name()?;
                    } else if self.is(1, ":") {
                        (self.next()?.tok != Tok::Punct).then_some(())?;
                        self.i += 1;
                        self.pattern()?;
                    } else {
                        self.binding_name()?;
                    }
                    if !self.is(0, "}") {
                        self.expect(",")?;
                    }
                }
                Some(())
            }
            "[" => {
                while self.expect("]").is_none() {
                    if self.expect(",").is_some() {
                        continue;
                    }
                    if self.expect("...").is_some() {
                        self.binding_name()?;
                    } else {
                        self.pattern()?;
                    }
                    if !self.is(0, "]") {
                        self.expect(",")?;
                    }
                }
                Some(())
            }
            _ => {
                self.i -= 1;
                self.binding_name()
            }
        }
    }

    /// A name a variable can take (not a keyword, not a literal).
    fn binding_name(&mut self) -> Option<()> {
        let t = self.next()?;
        (t.tok == Tok::Name && is_binding(self.text_of(t))).then_some(())
    }

    /// `function f(a, b) { … }`
    fn function_declaration(&mut self) -> Option<()> {
        if self.is(0, "async") {
            self.i += 1;
        }
        self.i += 1;
        (self.next()?.tok == Tok::Name).then_some(())?;
        self.parameters()?;
        self.block()
    }

    /// `{ statements }`: a function body, whose calls are always collected.
    pub(super) fn block(&mut self) -> Option<()> {
        self.expect("{")?;
        while !self.is(0, "}") {
            self.statement(true, false)?;
        }
        self.i += 1;
        Some(())
    }
}
