//! One `strata.hcl` file, parsed with spans and read in dependency order: variables first (their
//! defaults may call `getenv`), then data sources (which may use variables), then envs (which may
//! use both).

use super::env::{self, Env, Reading};
use super::eval::Scope;
use super::external::{self, Externals};
use super::shape::Shape;
use super::text::Text;
use super::variable;
use crate::error::{Error, Located};
use hcl::edit::structure::{Block, Body};
use hcl::{Map, Value};
use std::path::Path;

/// The top level. `diff`, `lint`, `state` and `policy` are accepted without effect for now
/// (later issues define them); `migration` is accepted with a warning.
const TOP: Shape = Shape {
    what: "the top level of the config",
    attributes: &[],
    blocks: &[
        "env",
        "variable",
        "data",
        "migration",
        "diff",
        "lint",
        "state",
        "policy",
    ],
};

/// ConfigFile is a config file, evaluated.
pub(super) struct ConfigFile {
    pub envs: Vec<Env>,
    pub externals: Externals,
    pub warnings: Vec<String>,
}

/// Parse and evaluate `text`; `dir` is its directory, `vars` the `-var` assignments.
pub(super) fn read(text: &Text, dir: &Path, vars: &[String]) -> Result<ConfigFile, Error> {
    let body = hcl::edit::parser::parse_body(&text.content).map_err(|e| parse_error(text, &e))?;
    TOP.check(text, &body)?;
    let var = variable::resolve(Some(text), &blocks(&body, "variable"), vars)?;
    let data_scope = Scope::with(var.clone(), Value::Object(Map::new()));
    let externals = external::read(text, &data_scope, &blocks(&body, "data"), dir)?;
    let scope = Scope::with(var, external::data_object(&externals));
    let reading = Reading {
        text,
        scope: &scope,
        dir,
        externals: &externals,
    };

    let mut warnings: Vec<String> = blocks(&body, "migration")
        .into_iter()
        .map(|b| env::migration_warning(text, b))
        .collect();
    let mut envs: Vec<Env> = Vec::new();
    for block in blocks(&body, "env") {
        let env = reading.env(block, &mut warnings)?;
        if envs.iter().any(|e| e.name == env.name) {
            return Err(text
                .error_at_head(block, format!("env `{}` is declared twice", env.name))
                .into());
        }
        envs.push(env);
    }
    Ok(ConfigFile {
        envs,
        externals,
        warnings,
    })
}

/// The top-level blocks named `ident`, in file order.
fn blocks<'a>(body: &'a Body, ident: &'a str) -> Vec<&'a Block> {
    body.get_blocks(ident).collect()
}

/// A syntax error, located where the parser stopped.
fn parse_error(text: &Text, err: &hcl::edit::parser::Error) -> Box<Located> {
    let message = err.message().lines().next().unwrap_or("invalid syntax");
    text.error(
        Some(err.location().offset()..err.location().offset() + 1),
        format!("malformed HCL: {message}"),
    )
}
