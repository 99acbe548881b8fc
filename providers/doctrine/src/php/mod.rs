//! Reads PHP files into the declarations the mapping needs: classes and enums with their
//! attributes, docblock annotations, parent class and properties, names resolved as PHP
//! resolves them ([`names`]).
//!
//! Two readers produce the same [`Class`]es. [`fast`] reads declarations straight from
//! [`lexer`] tokens; it knows the PHP that entity files are made of and declines anything else
//! (a heredoc, top-level code, syntax it does not know, a syntax error). [`tree`] parses with
//! tree-sitter, the reference grammar: it reads the declined files and reports syntax errors at
//! file:line:column. Parsing was most of the reading time; the fast reader is many times
//! quicker, and a test checks that both readers agree on every file the fast one accepts.

mod fast;
mod lexer;
mod literal;
mod names;
mod tree;

#[cfg(test)]
mod tests;

use crate::docblock;
use crate::value::{Attribute, Pos, Value};
use names::Names;
use std::path::PathBuf;
use std::sync::Arc;
use strata_schema::SourceError;

/// Class is a class (or enum) declaration with what the mapping reads from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Fully qualified name without the leading backslash.
    pub name: String,
    pub parent: Option<String>,
    /// For a backed enum, its backing type (`string`, `int`).
    pub enum_backing: Option<String>,
    /// For a backed enum, its cases and their values (a case is a valid column default).
    pub enum_cases: Vec<(String, Value)>,
    pub is_enum: bool,
    /// Attributes and docblock annotations on the class, in source order.
    pub attributes: Vec<Attribute>,
    pub properties: Vec<Property>,
    pub pos: Pos,
}

impl Class {
    /// The class name without its namespace.
    pub fn short_name(&self) -> &str {
        short(&self.name)
    }
}

/// The last segment of a qualified name.
pub fn short(name: &str) -> &str {
    name.rsplit('\\').next().unwrap_or(name)
}

/// Property is a declared (or constructor-promoted) property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    /// Declared type: a primitive in lower case (`int`, `?` stripped) or a resolved class name.
    pub php_type: Option<String>,
    pub attributes: Vec<Attribute>,
    pub pos: Pos,
}

/// Reader reads files on one thread; the tree-sitter parser is made the first time a file
/// needs it, and reused.
#[derive(Default)]
pub struct Reader {
    parser: Option<tree_sitter::Parser>,
}

impl Reader {
    /// The class and enum declarations of one file.
    pub fn read(&mut self, file: Arc<PathBuf>, src: &str) -> Result<Vec<Class>, SourceError> {
        if let Some(classes) = fast::read(&file, src) {
            return Ok(classes);
        }
        let parser = match &mut self.parser {
            Some(parser) => parser,
            None => self.parser.insert(tree::parser().map_err(|e| {
                Pos {
                    file: file.clone(),
                    line: 1,
                    column: 1,
                }
                .error(format!("cannot load the PHP grammar: {e}"))
            })?),
        };
        tree::read_file(parser, file, src)
    }
}

/// The annotations of a comment that precedes a declaration, if it is a docblock.
fn docblock(text: &str, pos: Pos, names: &Names) -> Result<Vec<Attribute>, SourceError> {
    if !text.starts_with("/**") || !text.contains('@') {
        return Ok(Vec::new());
    }
    docblock::read(text, pos, &|n| names.resolve(n))
}
