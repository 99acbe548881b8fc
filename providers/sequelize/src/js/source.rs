//! Parsing one JavaScript or TypeScript file with tree-sitter, and the positions of its nodes.

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

/// The grammar for a file name: TypeScript for `.ts`/`.mts`/`.cts`, JavaScript otherwise.
fn language(path: &Path) -> Language {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ts" | "mts" | "cts") => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        _ => tree_sitter_javascript::LANGUAGE.into(),
    }
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
        let mut parser = Parser::new();
        let failed = |message: String| SourceError {
            location: Pos { line: 1, column: 1 }.at(path),
            message,
            help: None,
        };
        parser
            .set_language(&language(path))
            .map_err(|e| failed(format!("cannot load the JavaScript grammar: {e}")))?;
        let tree = parser
            .parse(&text, None)
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
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error).or(Some(node))
}
