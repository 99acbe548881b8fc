//! Classes (decorators, heritage, fields and methods) and TypeScript enums.

use super::Reader;
use super::lexer::Tok;
use crate::js::decl::number_members;
use crate::js::{Calls, Class, Enum, Expr, Field};

/// Words that modify a class member when another name follows them.
const MODIFIERS: &[&str] = &[
    "public",
    "private",
    "protected",
    "readonly",
    "static",
    "declare",
    "abstract",
    "override",
    "accessor",
];

impl Reader<'_> {
    /// `@a`, `@a.b(…)`, … : the decorators' expressions.
    pub(super) fn decorators(&mut self, collect: bool) -> Option<Vec<Expr>> {
        let mut out = Vec::new();
        while self.is(0, "@") {
            self.i += 1;
            (self.is_name(0)).then_some(())?;
            out.push(self.expression(collect)?.expr);
        }
        Some(out)
    }

    /// A class from its `abstract` or `class` keyword (or its decorators, at `start`), with the
    /// decorators of an enclosing export statement (`outer`). The index of the recorded class.
    pub(super) fn class(
        &mut self,
        outer: Vec<Expr>,
        start: usize,
        collect: bool,
    ) -> Option<Option<usize>> {
        let mut decorators = outer;
        decorators.extend(self.decorators(collect)?);
        let is_abstract = self.is(0, "abstract");
        if is_abstract {
            self.i += 1;
        }
        self.expect("class")?;
        let name = if self.is_name(0) && !self.is(0, "extends") && !self.is(0, "implements") {
            let t = self.next()?;
            self.text_of(t).to_string()
        } else {
            String::new()
        };
        if self.is(0, "<") {
            return None;
        }
        let record = self.quiet == 0;
        let slot = self.d.classes.len();
        let quiet = self.calls == Calls::OfClasses;
        self.quiet += u32::from(quiet);
        let extends = self.heritage(collect);
        let fields = extends.as_ref().and_then(|_| self.class_body());
        self.quiet -= u32::from(quiet);
        let (extends, fields) = (extends?, fields?);
        if !record {
            return Some(None);
        }
        self.d.classes.insert(
            slot,
            Class {
                name,
                extends,
                decorators,
                fields,
                is_abstract,
                aliases: Vec::new(),
                pos: self.pos(start),
            },
        );
        Some(Some(slot))
    }

    /// `extends X<T> implements Y`: the superclass.
    fn heritage(&mut self, collect: bool) -> Option<Option<Expr>> {
        let mut extends = None;
        if self.is(0, "extends") {
            self.i += 1;
            extends = Some(self.expression(collect)?.expr);
            if self.is(0, "<") {
                self.skip_until(&["{", "implements"])?;
            }
        }
        if self.is(0, "implements") {
            self.skip_until(&["{"])?;
        }
        Some(extends)
    }

    /// `{ members }`: the fields, with their decorators.
    fn class_body(&mut self) -> Option<Vec<Field>> {
        self.expect("{")?;
        let mut fields = Vec::new();
        loop {
            if self.is(0, "}") {
                self.i += 1;
                return Some(fields);
            }
            if self.is(0, ";") {
                self.i += 1;
                continue;
            }
            let start = self.peek(0)?.start;
            let decorators = self.decorators(true)?;
            // `static` then a line break: tree-sitter reads a field named `static`, ECMAScript
            // a static member. Unsure: declined.
            let word = self.text_of(self.peek(0)?);
            if self.peek(1).is_some_and(|t| t.line_break)
                && (MODIFIERS.contains(&word) || matches!(word, "async" | "get" | "set"))
            {
                return None;
            }
            while self
                .peek(0)
                .is_some_and(|t| MODIFIERS.contains(&self.text_of(t)))
                && (self.is_name(1) || self.is(1, "["))
            {
                self.i += 1;
            }
            if matches!(
                self.peek(0).map(|t| self.text_of(t)),
                Some("async" | "get" | "set")
            ) && self.is_name(1)
            {
                self.i += 1;
            }
            let name = self.next()?;
            if !matches!(name.tok, Tok::Name | Tok::Str | Tok::Num) {
                return None;
            }
            if self.is(0, "(") {
                self.method()?;
                continue;
            }
            let ty = self.field_type()?;
            if self.is(0, "=") {
                self.i += 1;
                self.expression(true)?;
            }
            self.statement_end()?;
            fields.push(Field {
                name: self.text_of(name).to_string(),
                decorators,
                ty,
                pos: self.pos(start),
            });
        }
    }

    /// `?: T`, `!: T`, `: T`: the type as written.
    fn field_type(&mut self) -> Option<Option<String>> {
        if self.is(0, "?") || (self.is(0, "!") && self.is(1, ":")) {
            self.i += 1;
        }
        if !self.is(0, ":") {
            return Some(None);
        }
        if !self.typescript {
            return None;
        }
        self.i += 1;
        let from = self.peek(0)?.start;
        self.skip_type()?;
        Some(Some(self.text[from..self.last_end()].to_string()))
    }

    /// A method from its parameters: `(a: T): R { … }` or an overload's `;`.
    fn method(&mut self) -> Option<()> {
        self.parameters()?;
        if self.is(0, ":") {
            self.i += 1;
            self.skip_type()?;
        }
        if self.is(0, "{") {
            self.block()
        } else {
            self.statement_end()
        }
    }

    /// `enum E { A = "a", B }`, `const enum E {…}`.
    pub(super) fn enum_declaration(&mut self) -> Option<()> {
        let start = self.peek(0)?.start;
        if self.is(0, "const") {
            self.i += 1;
        }
        self.expect("enum")?;
        let name = self.next()?;
        (name.tok == Tok::Name).then_some(())?;
        self.expect("{")?;
        let mut members = Vec::new();
        self.quiet += 1;
        while !self.is(0, "}") {
            let key = self.next()?;
            let text = self.text_of(key);
            let member = match key.tok {
                Tok::Name => text.to_string(),
                Tok::Str if !text.contains('\\') => text[1..text.len() - 1].to_string(),
                _ => return None,
            };
            let value = if self.is(0, "=") {
                self.i += 1;
                Some(self.expression(false)?.expr)
            } else {
                None
            };
            members.push((member, value, self.pos(key.start)));
            if !self.is(0, "}") {
                self.expect(",")?;
            }
        }
        self.quiet -= 1;
        self.i += 1;
        if self.quiet == 0 {
            self.d.enums.push(Enum {
                name: self.text_of(name).to_string(),
                members: number_members(members),
                pos: self.pos(start),
            });
        }
        Some(())
    }
}
