//! Shape checks: which attributes and nested blocks a block may hold and how many labels it
//! takes. A typo (`urll`, `enviroment {}`) is an error at its line, not silently ignored.

use super::text::{Text, WithHelp};
use crate::error::Located;
use hcl::edit::structure::{Block, Body, Structure};

/// Shape is what one kind of block may contain.
pub(super) struct Shape {
    /// How the block is named in messages (`env "NAME"`, the top level of strata.hcl).
    pub what: &'static str,
    pub attributes: &'static [&'static str],
    pub blocks: &'static [&'static str],
}

impl Shape {
    /// Check that `body` holds only known attributes and blocks, each attribute at most once.
    pub fn check(&self, text: &Text, body: &Body) -> Result<(), Box<Located>> {
        let mut seen = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    if !self.attributes.contains(&key) {
                        return Err(text
                            .error_at(
                                &attr.key,
                                format!("unknown attribute `{key}` in {}", self.what),
                            )
                            .help(expected("attributes", self.attributes)));
                    }
                    if seen.contains(&key) {
                        return Err(text.error_at(
                            &attr.key,
                            format!("`{key}` is set twice in {}", self.what),
                        ));
                    }
                    seen.push(key);
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    if !self.blocks.contains(&ident) {
                        return Err(text
                            .error_at(
                                &block.ident,
                                format!("unknown block `{ident}` in {}", self.what),
                            )
                            .help(expected("blocks", self.blocks)));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The block's labels, which must number exactly `count`; `usage` shows the expected form.
pub(super) fn labels<'a>(
    text: &Text,
    block: &'a Block,
    count: usize,
    usage: &str,
) -> Result<Vec<&'a str>, Box<Located>> {
    if block.labels.len() != count {
        return Err(text
            .error_at(
                &block.ident,
                format!("`{}` block needs {count} label(s)", block.ident.as_str()),
            )
            .help(format!("write it as {usage}")));
    }
    Ok(block.labels.iter().map(|l| l.as_str()).collect())
}

/// The help line listing what is allowed.
fn expected(kind: &str, names: &[&str]) -> String {
    if names.is_empty() {
        format!("no {kind} are allowed here")
    } else {
        format!("expected {kind}: {}", names.join(", "))
    }
}
