//! `env "NAME" { … }` blocks, compatible with Atlas's: the target URL, the desired-schema
//! sources, the schemas in scope and the tables to leave alone.
//!
//! `diff`, `lint` and `policy` blocks are read by `policy`, the `state` block by `state_block`.
//! Accepted without effect: `dev` (Strata diffs against the live database and needs no dev
//! database). A `migration` block is accepted with a warning, because Strata keeps no
//! migration directory.

use super::eval::Scope;
use super::external::Externals;
use super::shape::{self, Shape};
use super::src_url;
use super::text::Text;
use crate::error::Located;
use crate::source::Src;
use crate::state::RenameHint;
use hcl::edit::structure::{Attribute, Block};
use std::path::Path;

const SHAPE: Shape = Shape {
    what: "an env block",
    attributes: &["url", "src", "schemas", "exclude", "dev"],
    blocks: &[
        "schema",
        "rename",
        "migration",
        "diff",
        "lint",
        "state",
        "policy",
    ],
};

const RENAME_SHAPE: Shape = Shape {
    what: "a rename block",
    attributes: &["column", "from"],
    blocks: &[],
};

const SCHEMA_SHAPE: Shape = Shape {
    what: "a schema block",
    attributes: &["src"],
    blocks: &[],
};

/// Env is one env block, evaluated.
#[derive(Debug, Clone)]
pub(super) struct Env {
    pub name: String,
    pub url: Option<String>,
    pub srcs: Vec<Src>,
    pub schemas: Vec<String>,
    pub exclude: Vec<String>,
    pub renames: Vec<RenameHint>,
    pub policy: crate::safety::policy::Policy,
    /// Where the state lives, when a `state` block says.
    pub state: Option<super::state_block::StateBlock>,
}

/// Reading is what an env block needs from the rest of the file.
pub(super) struct Reading<'a> {
    pub text: &'a Text,
    pub scope: &'a Scope,
    /// The config file's directory: `file://` paths are relative to it.
    pub dir: &'a Path,
    pub externals: &'a Externals,
}

impl Reading<'_> {
    /// Read one env block; warnings (such as a `migration` block) are appended to `warnings`.
    pub fn env(&self, block: &Block, warnings: &mut Vec<String>) -> Result<Env, Box<Located>> {
        let text = self.text;
        SHAPE.check(text, &block.body)?;
        let name = shape::labels(text, block, 1, "env \"NAME\" { url = \"…\" }")?[0].to_string();
        let mut env = Env {
            name,
            url: block
                .body
                .get_attribute("url")
                .map(|a| self.scope.string(text, a))
                .transpose()?,
            srcs: Vec::new(),
            schemas: self.list(block, "schemas")?,
            exclude: self.list(block, "exclude")?,
            renames: Vec::new(),
            policy: self.policy(&block.body)?,
            state: block
                .body
                .get_blocks("state")
                .next()
                .map(|b| self.state_block(b))
                .transpose()?,
        };
        for rename in block.body.get_blocks("rename") {
            env.renames.push(self.rename(rename)?);
        }
        if let Some(attr) = block.body.get_attribute("src") {
            env.srcs.extend(self.srcs(attr)?);
        }
        for schema in block.body.get_blocks("schema") {
            SCHEMA_SHAPE.check(text, &schema.body)?;
            shape::labels(text, schema, 0, "schema { src = \"file://…\" }")?;
            if let Some(attr) = schema.body.get_attribute("src") {
                env.srcs.extend(self.srcs(attr)?);
            }
        }
        for migration in block.body.get_blocks("migration") {
            warnings.push(migration_warning(text, migration));
        }
        Ok(env)
    }

    /// `rename { column = "[schema.]table.new"  from = "old" }`: a column the models renamed,
    /// so the plan renames it instead of dropping it and adding a new one.
    fn rename(&self, block: &Block) -> Result<RenameHint, Box<Located>> {
        let text = self.text;
        RENAME_SHAPE.check(text, &block.body)?;
        let usage = "rename { column = \"table.new_name\"  from = \"old_name\" }";
        shape::labels(text, block, 0, usage)?;
        let get = |key: &str| match block.body.get_attribute(key) {
            Some(a) => self.scope.string(text, a).map(|v| (v, a)),
            None => Err(text.error_at(&block.ident, format!("{key} is required: {usage}"))),
        };
        let (column, at) = get("column")?;
        let (from, _) = get("from")?;
        let parts: Vec<&str> = column.split('.').collect();
        let (schema, table, name) = match parts.as_slice() {
            [t, c] => (None, *t, *c),
            [s, t, c] => (Some(s.to_string()), *t, *c),
            _ => {
                return Err(text.error_at(
                    &at.value,
                    format!("column = {column:?}: write table.column or schema.table.column"),
                ));
            }
        };
        Ok(RenameHint {
            schema,
            table: table.to_string(),
            column: name.to_string(),
            from,
        })
    }

    /// A list-of-strings attribute, empty when absent.
    fn list(&self, block: &Block, key: &str) -> Result<Vec<String>, Box<Located>> {
        match block.body.get_attribute(key) {
            Some(attr) => self.scope.strings(self.text, attr),
            None => Ok(Vec::new()),
        }
    }

    /// The sources a `src` attribute names.
    fn srcs(&self, attr: &Attribute) -> Result<Vec<Src>, Box<Located>> {
        self.scope
            .strings(self.text, attr)?
            .iter()
            .map(|raw| {
                src_url::resolve(raw, self.dir, self.externals)
                    .map_err(|e| self.text.error_at(&attr.value, e))
            })
            .collect()
    }
}

/// The warning for a `migration {}` block, with its place in the file.
pub(super) fn migration_warning(text: &Text, block: &Block) -> String {
    let at = text.error_at(&block.ident, "");
    format!(
        "Warning: {}:{}:{}: the `migration` block has no effect: Strata keeps no migration directory; it plans from the live database and the desired schema.",
        at.file, at.line, at.column
    )
}
