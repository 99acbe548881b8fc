//! The fast reader: the declarations of a PHP file read straight from its tokens, producing
//! exactly the [`Class`]es the tree reader makes of the same file (positions included), or
//! `None` — "I don't understand this file" — and then the tree reader reads it.
//!
//! It accepts what entity files are made of: `declare`, namespaces, `use` imports (grouped,
//! aliased), classes, enums, interfaces and traits with attributes, docblocks, modifiers,
//! typed properties with defaults, constants, enum cases, methods (bodies skipped by the
//! [`lexer`]) and promoted constructor parameters. It declines everything else:
//! top-level code, syntax it does not know, and every syntax error, which the tree reader then
//! reports at its place. It follows the tree-sitter grammar rather than PHP where they differ,
//! and where it is unsure how the grammar places a comment it declines too.

mod cursor;
mod expr;

use super::lexer::{self, Kind, Token};
use super::names::Names;
use super::{Class, Property, docblock};
use crate::value::{Attribute, Value};
use cursor::Cursor;
use expr::{is_class_name, is_keyword};
use std::path::PathBuf;
use std::sync::Arc;

/// The declarations of `src`, or `None` when the tree reader must read it.
pub fn read(file: &Arc<PathBuf>, src: &str) -> Option<Vec<Class>> {
    let body = src.strip_prefix("<?php")?;
    if !body.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let tokens = lexer::tokens(src, "<?php".len()).ok()?;
    if tokens.iter().any(ends_php_mode) {
        return None;
    }
    let mut fast = Fast {
        cur: Cursor::new(src, file.clone(), tokens),
        names: Names::default(),
    };
    let mut classes = Vec::new();
    fast.statements(&mut classes, false)?;
    Some(classes)
}

/// A line comment that tree-sitter ends early: at `?>` (leaving PHP), or `#?`.
fn ends_php_mode(t: &Token) -> bool {
    let line = t.text.starts_with("//") || t.text.starts_with('#');
    t.kind == Kind::Comment && line && (t.text.contains("?>") || t.text.starts_with("#?"))
}

/// Fast is the reader's state: the tokens and the names in scope.
struct Fast<'s> {
    cur: Cursor<'s>,
    names: Names,
}

/// What a class body holds for the mapping.
#[derive(Default)]
struct Members {
    properties: Vec<Property>,
    enum_cases: Vec<(String, Value)>,
}

impl<'s> Fast<'s> {
    /// The file's statements, or a braced namespace's up to its `}`.
    fn statements(&mut self, out: &mut Vec<Class>, braced: bool) -> Option<()> {
        loop {
            let doc = self.cur.comments();
            let Some(t) = self.cur.peek() else {
                return (!braced).then_some(());
            };
            if t.is("}") && braced {
                self.cur.take();
                return Some(());
            } else if t.is("namespace") && !braced {
                self.namespace(out)?;
            } else if t.is("use") {
                self.use_declaration()?;
            } else if t.is("declare") {
                self.declare()?;
            } else if t.is("const") {
                self.cur.take();
                self.constants(true)?;
            } else {
                self.declaration(doc, out)?;
            }
        }
    }

    /// `namespace A\B;` or `namespace [A\B] { … }`.
    fn namespace(&mut self, out: &mut Vec<Class>) -> Option<()> {
        self.cur.take();
        let mut t = self.cur.take()?;
        if t.kind == Kind::Word || (t.kind == Kind::Name && !t.text.starts_with('\\')) {
            self.names.enter(t.text);
            t = self.cur.take()?;
            if t.is(";") {
                return Some(());
            }
        } else {
            self.names.enter("");
        }
        t.is("{").then_some(())?;
        self.statements(out, true)
    }

    /// `use A\B [as C], …;` or `use A\{B, C as D};`
    fn use_declaration(&mut self) -> Option<()> {
        self.cur.take();
        let first = self.cur.take()?;
        let named = matches!(first.kind, Kind::Word | Kind::Name);
        if named && self.cur.next_is("\\") {
            self.cur.take();
            self.cur.expect("{")?;
            let prefix = format!("{}\\", first.text.trim_start_matches('\\'));
            loop {
                let target = self.cur.take().filter(|t| !t.text.starts_with('\\'))?;
                self.use_clause(&prefix, target)?;
                if !self.cur.eat(",")? {
                    break;
                }
            }
            self.cur.expect("}")?;
        } else {
            self.use_clause("", first)?;
            while self.cur.eat(",")? {
                let target = self.cur.take()?;
                self.use_clause("", target)?;
            }
        }
        self.cur.expect(";").map(drop)
    }

    /// One imported name (`use function` and `use const` decline: they are not classes).
    fn use_clause(&mut self, prefix: &str, target: Token<'s>) -> Option<()> {
        is_class_name(&target).then_some(())?;
        let alias = if self.cur.eat("as")? {
            let alias = self.cur.take().filter(|a| a.kind == Kind::Word)?;
            Some(alias.text).filter(|a| !is_keyword(a))?.into()
        } else {
            None
        };
        self.names.import(prefix, target.text, alias);
        Some(())
    }

    /// `declare(strict_types=1);` (the grammar takes a literal there, not an expression).
    fn declare(&mut self) -> Option<()> {
        self.cur.take();
        self.cur.expect("(")?;
        let directive = self.cur.take()?;
        ["strict_types", "ticks", "encoding"]
            .contains(&directive.text)
            .then_some(())?;
        self.cur.expect("=")?;
        let value = self.cur.peek()?;
        if !matches!(value.kind, Kind::Num | Kind::Str) {
            return None;
        }
        self.value()?;
        self.cur.expect(")")?;
        self.cur.expect(";").map(drop)
    }

    /// After `const`: `[type] NAME = value, …;` (`top`: a global constant, whose name may
    /// not be a keyword).
    fn constants(&mut self, top: bool) -> Option<()> {
        let untyped = self.cur.peek2().is_some_and(|t| t.is("="));
        if !untyped {
            self.declared_type(false)?;
        }
        loop {
            let name = self.cur.take().filter(|t| t.kind == Kind::Word)?;
            if top && is_keyword(name.text) {
                return None;
            }
            self.cur.expect("=")?;
            self.value()?;
            if !self.cur.eat(",")? {
                return self.cur.expect(";").map(drop);
            }
        }
    }

    /// A class, enum, interface, trait or function declaration; `doc` is the comment just
    /// before it.
    fn declaration(&mut self, doc: Option<Token<'s>>, out: &mut Vec<Class>) -> Option<()> {
        let start = self.cur.peek()?.start;
        let attributes = self.attributes()?;
        let mut modified = false;
        while ["abstract", "final", "readonly"]
            .iter()
            .any(|m| self.cur.next_is(m))
        {
            self.cur.take();
            modified = true;
        }
        let keyword = self.cur.take()?;
        let is_enum = keyword.is("enum") && !modified;
        if !keyword.is("class") && !is_enum {
            if modified {
                return None;
            }
            return if keyword.is("interface") || keyword.is("trait") {
                self.interface_or_trait(keyword)
            } else if keyword.is("function") {
                let body = self.function(None)?;
                (body.kind == Kind::Body).then_some(())
            } else {
                None
            };
        }
        let pos = self.cur.pos(start);
        let name = self.cur.take().filter(is_class_name)?;
        let mut class = Class {
            name: self.names.declared(name.text),
            parent: None,
            enum_backing: None,
            enum_cases: Vec::new(),
            is_enum,
            attributes: match doc {
                Some(c) => docblock(c.text, self.cur.pos(c.start), &self.names).ok()?,
                None => Vec::new(),
            },
            properties: Vec::new(),
            pos,
        };
        class.attributes.extend(attributes);
        if is_enum && self.cur.eat(":")? {
            let backing = self.cur.take()?;
            ["string", "int"].contains(&backing.text).then_some(())?;
            class.enum_backing = Some(backing.text.to_string());
        }
        if !is_enum && self.cur.eat("extends")? {
            let parent = self.cur.take().filter(is_class_name)?;
            class.parent = Some(self.names.resolve(parent.text));
        }
        if self.cur.eat("implements")? {
            self.names_list()?;
        }
        let members = self.members(is_enum)?;
        class.properties = members.properties;
        class.enum_cases = members.enum_cases;
        out.push(class);
        Some(())
    }

    /// An interface or trait: read for its syntax only, as the mapping does not use them.
    fn interface_or_trait(&mut self, keyword: Token<'s>) -> Option<()> {
        self.cur.take().filter(is_class_name)?;
        if keyword.is("interface") && self.cur.eat("extends")? {
            self.names_list()?;
        }
        self.members(false).map(drop)
    }

    /// `A, B\C, …` (interfaces implemented or extended, traits used).
    fn names_list(&mut self) -> Option<()> {
        loop {
            self.cur.take().filter(is_class_name)?;
            if !self.cur.eat(",")? {
                return Some(());
            }
        }
    }

    /// A class body `{ … }`: its properties (promoted ones included) and enum cases.
    fn members(&mut self, is_enum: bool) -> Option<Members> {
        self.cur.expect("{")?;
        let mut members = Members::default();
        loop {
            let doc = self.cur.comments();
            if self.cur.peek()?.is("}") {
                self.cur.take();
                return Some(members);
            }
            let attributes = self.attributes()?;
            let mut modifiers = 0;
            while self
                .cur
                .peek()
                .is_some_and(|t| MODIFIERS.iter().any(|m| t.is(m)))
            {
                self.cur.take();
                modifiers += 1;
            }
            let t = self.cur.peek()?;
            if t.is("function") {
                self.cur.take();
                let end = self.function(Some(&mut members.properties))?;
                (end.kind == Kind::Body || end.is(";")).then_some(())?;
            } else if t.is("const") {
                self.cur.take();
                self.constants(false)?;
            } else if t.is("case") && is_enum && modifiers == 0 {
                self.cur.take();
                let name = self.cur.take().filter(|t| t.kind == Kind::Word)?;
                if self.cur.eat("=")? {
                    let value = self.value()?;
                    members.enum_cases.push((name.text.to_string(), value));
                }
                self.cur.expect(";")?;
            } else if t.is("use") && modifiers == 0 && attributes.is_empty() {
                self.cur.take();
                self.names_list()?;
                self.cur.expect(";")?;
            } else if modifiers > 0 && !is_enum {
                let mut all = match doc {
                    Some(c) => docblock(c.text, self.cur.pos(c.start), &self.names).ok()?,
                    None => Vec::new(),
                };
                all.extend(attributes);
                self.property(all, &mut members.properties)?;
            } else {
                return None;
            }
        }
    }

    /// `[type] $a [= default], $b …;` after the modifiers; every name gets the attributes.
    fn property(&mut self, attributes: Vec<Attribute>, out: &mut Vec<Property>) -> Option<()> {
        let php_type = match self.cur.peek()?.kind {
            Kind::Var => None,
            _ => self.declared_type(true)?,
        };
        let first = out.len();
        loop {
            let var = self.cur.take().filter(|t| t.kind == Kind::Var)?;
            out.push(Property {
                name: var.text[1..].to_string(),
                php_type: php_type.clone(),
                attributes: Vec::new(),
                pos: self.cur.pos(var.start),
            });
            if self.cur.eat("=")? {
                self.value()?;
            }
            if !self.cur.eat(",")? {
                break;
            }
        }
        self.cur.expect(";")?;
        let (last, others) = out[first..].split_last_mut()?;
        for property in others {
            property.attributes = attributes.clone();
        }
        last.attributes = attributes;
        Some(())
    }

    /// A function after `function`, up to its body (or `;`), which is returned. For a method
    /// (`properties` given), a constructor's promoted parameters are properties.
    fn function(&mut self, properties: Option<&mut Vec<Property>>) -> Option<Token<'s>> {
        self.cur.eat("&")?;
        let name = self.cur.take().filter(|t| t.kind == Kind::Word)?;
        let method = properties.is_some();
        if !method && is_keyword(name.text) {
            return None;
        }
        let constructor = name.text.eq_ignore_ascii_case("__construct");
        let mut promoted = Vec::new();
        self.parameters(method && constructor, &mut promoted)?;
        if self.cur.eat(":")? {
            self.return_type()?;
        }
        if let Some(properties) = properties {
            properties.extend(promoted);
        }
        self.cur.take()
    }

    /// After `:`, a return type (where `never` may stand alone); only checked.
    fn return_type(&mut self) -> Option<()> {
        if self.cur.next_is("never") {
            return self.cur.take().filter(|t| t.text == "never").map(drop);
        }
        self.declared_type(false).map(drop)
    }

    /// `(params)`; with `constructor`, the promoted ones are collected as properties.
    fn parameters(&mut self, constructor: bool, promoted: &mut Vec<Property>) -> Option<()> {
        self.cur.expect("(")?;
        loop {
            self.cur.comments();
            if self.cur.eat(")")? {
                return Some(());
            }
            self.parameter(constructor, promoted)?;
            self.cur.comments();
            let t = self.cur.take()?;
            if t.is(")") {
                return Some(());
            }
            if !t.is(",") {
                return None;
            }
        }
    }

    /// One parameter; a promoted one (with a visibility) of a `constructor` is a property.
    fn parameter(&mut self, constructor: bool, promoted: &mut Vec<Property>) -> Option<()> {
        let attributes = self.attributes()?;
        let mut visibility = 0;
        while ["public", "protected", "private"]
            .iter()
            .any(|m| self.cur.next_is(m))
        {
            self.cur.take();
            visibility += 1;
        }
        if visibility > 0 {
            self.cur.eat("readonly")?;
        }
        let t = self.cur.peek()?;
        let php_type = if t.kind == Kind::Var || t.is("&") || t.is("...") {
            None
        } else {
            self.declared_type(constructor && visibility > 0)?
        };
        if visibility == 0 {
            self.cur.eat("&")?;
            let variadic = self.cur.eat("...")?;
            self.cur.take().filter(|t| t.kind == Kind::Var)?;
            if !variadic && self.cur.eat("=")? {
                self.value()?;
            }
            return Some(());
        }
        let var = self.cur.take().filter(|t| t.kind == Kind::Var)?;
        if self.cur.eat("=")? {
            self.value()?;
        }
        if constructor {
            promoted.push(Property {
                name: var.text[1..].to_string(),
                php_type,
                attributes,
                pos: self.cur.pos(var.start),
            });
        }
        Some(())
    }
}

/// Member modifiers (`private(set)` and the like decline where the type should be).
const MODIFIERS: &[&str] = &[
    "public",
    "protected",
    "private",
    "static",
    "abstract",
    "final",
    "readonly",
    "var",
];
