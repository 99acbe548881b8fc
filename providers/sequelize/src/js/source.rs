//! Parsing one JavaScript or TypeScript file with tree-sitter, and the positions of its nodes.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use strata_schema::{Location, SourceError};
use tree_sitter::{Language, Node, Parser, Tree};

/// Pos is a 1-based line and column in the file being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// Where `node` starts.
    pub fn of(node: Node) -> Pos {
        let p = node.start_position();
        Pos {
            line: p.row + 1,
            column: p.column + 1,
        }
    }

    /// This position in `file`.
    pub fn at(self, file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: self.line,
            column: self.column,
        }
    }
}

/// Source is one parsed file: its path, text and syntax tree.
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    pub tree: Tree,
}

/// The two grammars a model file can be written in.
#[derive(Clone, Copy)]
enum Grammar {
    JavaScript,
    TypeScript,
}

impl Grammar {
    /// TypeScript for `.ts`/`.mts`/`.cts`, JavaScript otherwise.
    fn of(path: &Path) -> Grammar {
        match path.extension().and_then(|e| e.to_str()) {
            Some("ts" | "mts" | "cts") => Grammar::TypeScript,
            _ => Grammar::JavaScript,
        }
    }

    fn language(self) -> Language {
        match self {
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        }
    }
}

thread_local! {
    /// One parser per grammar and thread, reused for every file: creating a parser and loading
    /// its grammar costs as much as parsing a small model file.
    static PARSERS: RefCell<[Option<Parser>; 2]> = const { RefCell::new([None, None]) };
}

/// Parse `text` with the thread's parser for `grammar`.
fn parse_with(grammar: Grammar, text: &str) -> Result<Option<Tree>, String> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let slot = &mut parsers[grammar as usize];
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&grammar.language())
                .map_err(|e| format!("cannot load the JavaScript grammar: {e}"))?;
            *slot = Some(parser);
        }
        Ok(slot.as_mut().and_then(|p| p.parse(text, None)))
    })
}

impl Source {
    /// Read and parse `path`. A syntax error is reported at its first erroneous node: reading
    /// models out of a damaged tree could silently drop a column.
    pub fn read(path: &Path) -> Result<Source, SourceError> {
        let text = std::fs::read_to_string(path).map_err(|e| SourceError {
            location: Pos { line: 1, column: 1 }.at(path),
            message: format!("cannot read model file: {e}"),
            help: None,
        })?;
        Source::parse(path, text)
    }

    /// Parse `text` as the content of `path`.
    pub fn parse(path: &Path, text: String) -> Result<Source, SourceError> {
        let failed = |message: String| SourceError {
            location: Pos { line: 1, column: 1 }.at(path),
            message,
            help: None,
        };
        let tree = parse_with(Grammar::of(path), &text)
            .map_err(failed)?
            .ok_or_else(|| failed("the parser gave up on this file".into()))?;
        if let Some(bad) = first_error(tree.root_node()) {
            let what = if bad.is_missing() {
                format!("syntax error: missing {}", bad.kind())
            } else {
                "syntax error".to_string()
            };
            return Err(SourceError {
                location: Pos::of(bad).at(path),
                message: what,
                help: None,
            });
        }
        Ok(Source {
            path: path.to_path_buf(),
            text,
            tree,
        })
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    /// The location of `pos` in this file.
    pub fn at(&self, pos: Pos) -> Location {
        pos.at(&self.path)
    }
}

/// The first ERROR or MISSING node in document order.
fn first_error(node: Node) -> Option<Node> {
    if !node.has_error() {
        return None;
    }
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).find_map(first_error);
    found.or(Some(node))
}
