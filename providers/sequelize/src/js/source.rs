//! Parsing one JavaScript or TypeScript file with tree-sitter, and the positions of its nodes.

use super::Calls;
use super::kinds::Ids;
use super::skip;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use strata_schema::syntax::{self, first_error};
use strata_schema::{Location, SourceError};
use tree_sitter::{Language, Node, Parser, Range, Tree};

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
    /// The syntax tree of `text`, without the regions the parse left out (see `read_for`);
    /// `None` when the direct reader read the file without one.
    pub tree: Option<Tree>,
    /// The node kind and field ids of the grammar `tree` was parsed with.
    ids: &'static Ids,
}

/// The two grammars a model file can be written in.
#[derive(Clone, Copy)]
enum Grammar {
    JavaScript,
    TypeScript,
}

impl Grammar {
    /// The language's name, for messages.
    fn language_name(self) -> &'static str {
        match self {
            Grammar::JavaScript => "JavaScript",
            Grammar::TypeScript => "TypeScript",
        }
    }

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

    fn ids(self) -> &'static Ids {
        static IDS: [OnceLock<Ids>; 2] = [OnceLock::new(), OnceLock::new()];
        Ids::of(&IDS[self as usize], &self.language())
    }
}

thread_local! {
    /// One parser per grammar and thread, reused for every file: creating a parser and loading
    /// its grammar costs as much as parsing a small model file.
    static PARSERS: RefCell<[Option<Parser>; 2]> = const { RefCell::new([None, None]) };
}

/// Parse `text` with the thread's parser for `grammar`, only the `ranges` of it (all of it
/// when empty).
fn parse_with(grammar: Grammar, text: &str, ranges: &[Range]) -> Result<Option<Tree>, String> {
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
        let Some(parser) = slot.as_mut() else {
            return Ok(None);
        };
        if ranges.is_empty() {
            return Ok(parser.parse(text, None));
        }
        if parser.set_included_ranges(ranges).is_err() {
            return Ok(parser.parse(text, None));
        }
        let tree = parser.parse(text, None);
        // The parser is reused for the next file, which is read whole unless told otherwise.
        parser
            .set_included_ranges(&[])
            .map_err(|e| format!("cannot reset the parser: {e}"))?;
        Ok(tree)
    })
}

/// Parse `text`, leaving out what `skip` finds irrelevant for a reader collecting `calls`
/// (class method bodies only when no call is wanted). A tree with an error is parsed again
/// whole, so syntax errors are reported as the whole file shows them.
fn parse_relevant(grammar: Grammar, text: &str, calls: Calls) -> Result<Option<Tree>, String> {
    let ranges = skip::included_ranges(text, calls == Calls::OfClasses).unwrap_or_default();
    let tree = parse_with(grammar, text, &ranges)?;
    match tree {
        Some(t) if !ranges.is_empty() && t.root_node().has_error() => {
            parse_with(grammar, text, &[])
        }
        tree => Ok(tree),
    }
}

impl Source {
    /// The text of `path`.
    pub(super) fn read_text(path: &Path) -> Result<String, SourceError> {
        std::fs::read_to_string(path).map_err(|e| SourceError {
            location: Pos { line: 1, column: 1 }.at(path),
            message: format!("cannot read model file: {e}"),
            help: None,
        })
    }

    /// Parse `text` as the content of `path`, for a reader that collects `calls`. A syntax
    /// error is reported at its first erroneous node: reading models out of a damaged tree
    /// could silently drop a column.
    pub fn parse_for(path: &Path, text: String, calls: Calls) -> Result<Source, SourceError> {
        let failed = |message: String| SourceError {
            location: Pos { line: 1, column: 1 }.at(path),
            message,
            help: None,
        };
        let grammar = Grammar::of(path);
        let tree = parse_relevant(grammar, &text, calls)
            .map_err(failed)?
            .ok_or_else(|| failed("the parser gave up on this file".into()))?;
        if let Some(bad) = first_error(tree.root_node()) {
            return Err(SourceError {
                location: Pos::of(bad).at(path),
                message: syntax::describe(grammar.language_name(), bad, text.as_bytes()),
                help: None,
            });
        }
        Ok(Source {
            path: path.to_path_buf(),
            text,
            tree: Some(tree),
            ids: grammar.ids(),
        })
    }

    /// `text` as the content of `path`, for declarations read without a syntax tree.
    pub(super) fn unparsed(path: &Path, text: String) -> Source {
        Source {
            path: path.to_path_buf(),
            text,
            tree: None,
            ids: Grammar::of(path).ids(),
        }
    }

    /// True for a TypeScript file.
    pub(super) fn is_typescript(path: &Path) -> bool {
        matches!(Grammar::of(path), Grammar::TypeScript)
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    /// The node kind and field ids of this file's grammar.
    pub(super) fn ids(&self) -> &'static Ids {
        self.ids
    }

    /// The location of `pos` in this file.
    pub fn at(&self, pos: Pos) -> Location {
        pos.at(&self.path)
    }
}
