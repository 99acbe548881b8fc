//! Syntax errors out of a tree-sitter tree, worded one way for every provider that parses model
//! sources with tree-sitter (feature `tree-sitter`). tree-sitter never fails a parse: it marks
//! what it could not make sense of with ERROR and MISSING nodes, so a reader must look for them
//! before trusting the tree, and the first of them in document order is where the language's
//! own compiler would stop.

use tree_sitter::Node;

/// The first ERROR or MISSING node under `node`, depth first; `None` when the tree is clean.
/// Where tree-sitter flagged a subtree without marking a node in it, the subtree's root.
pub fn first_error(node: Node) -> Option<Node> {
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

/// The message for the syntax error at `bad` in `text` of `language`: what is missing, or the
/// start of the text the parser could not read.
pub fn describe(language: &str, bad: Node, text: &[u8]) -> String {
    if bad.is_missing() {
        return format!("{language} syntax error: missing `{}`", bad.kind());
    }
    let near = bad.utf8_text(text).unwrap_or("");
    let near: String = near.lines().next().unwrap_or("").chars().take(40).collect();
    if near.trim().is_empty() {
        format!("{language} syntax error")
    } else {
        format!("{language} syntax error near `{}`", near.trim_end())
    }
}
