//! `data "external_schema" "NAME" { program = [...] }` blocks, as in Atlas: a program that prints
//! the desired schema as SQL DDL. An env refers to one with `src = data.external_schema.NAME.url`.

use super::eval::Scope;
use super::shape::{self, Shape};
use super::text::{Text, WithHelp};
use crate::error::Located;
use crate::source::Src;
use hcl::edit::structure::Block;
use hcl::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

const SHAPE: Shape = Shape {
    what: "a data \"external_schema\" block",
    attributes: &["program"],
    blocks: &[],
};

/// The URL scheme that `data.external_schema.NAME.url` evaluates to; `src` values with this
/// scheme name an external program rather than a path.
pub(super) const SCHEME: &str = "external_schema://";

/// Externals is each external schema as a source, by name.
pub(super) type Externals = BTreeMap<String, Src>;

/// Read the data blocks; the programs run in `dir`, the config file's directory. Only
/// `external_schema` is supported; other Atlas data sources are errors naming it rather than
/// silently empty schemas.
pub(super) fn read(
    text: &Text,
    scope: &Scope,
    blocks: &[&Block],
    dir: &Path,
) -> Result<Externals, Box<Located>> {
    let mut externals = Externals::new();
    for block in blocks {
        let labels = shape::labels(
            text,
            block,
            2,
            "data \"external_schema\" \"NAME\" { program = [...] }",
        )?;
        if labels[0] != "external_schema" {
            return Err(text
                .error_at(
                    &block.labels[0],
                    format!("unsupported data source `{}`", labels[0]),
                )
                .help("Strata supports data \"external_schema\" only"));
        }
        SHAPE.check(text, &block.body)?;
        let name = labels[1].to_string();
        let Some(attr) = block.body.get_attribute("program") else {
            return Err(text.error_at_head(
                block,
                format!("data.external_schema.{name} needs `program = [...]`"),
            ));
        };
        let program = scope.strings(text, attr)?;
        if program.first().is_none_or(|p| p.is_empty()) {
            return Err(text.error_at(&attr.value, "`program` must name the program to run"));
        }
        let src = Src::External {
            name: name.clone(),
            program,
            dir: dir.to_path_buf(),
        };
        if externals.insert(name.clone(), src).is_some() {
            return Err(text.error_at_head(
                block,
                format!("data.external_schema.{name} is declared twice"),
            ));
        }
    }
    Ok(externals)
}

/// The `data` object expressions see: `data.external_schema.NAME.url`.
pub(super) fn data_object(externals: &Externals) -> Value {
    let schemas: Map<String, Value> = externals
        .keys()
        .map(|name| {
            let mut fields = Map::new();
            fields.insert("url".to_string(), Value::from(format!("{SCHEME}{name}")));
            (name.clone(), Value::Object(fields))
        })
        .collect();
    let mut data = Map::new();
    data.insert("external_schema".to_string(), Value::Object(schemas));
    Value::Object(data)
}
