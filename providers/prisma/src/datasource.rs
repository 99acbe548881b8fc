//! The `datasource` block: which connector the schema was written for, the prefix of its
//! native type attributes, and whether Prisma emulates relations instead of creating foreign
//! keys. The target URL decides the dialect; this module says when the two disagree.

use crate::ast::{Config, Pos, Schema};
use crate::diag::{Diagnostics, Problem};
use strata_schema::Dialect;

/// Datasource is what the schema's datasource says, as it matters for DDL.
pub struct Datasource {
    /// Name of the block, the prefix of native types (`db` in `@db.VarChar`).
    pub name: String,
    /// True when the datasource's provider is the target's dialect. Connector-specific
    /// constructs the target cannot hold are then errors (Prisma would reject them);
    /// otherwise the schema was written for another database and they are dropped with a
    /// warning.
    pub matches_target: bool,
    /// `relationMode = "prisma"`: relations are emulated, no foreign keys.
    pub emulated_relations: bool,
    /// Where the block is, for warnings about the schema as a whole.
    pub pos: Pos,
}

impl Datasource {
    /// Read the datasource of `schema` for a target in `dialect`.
    pub fn read(
        schema: &Schema,
        dialect: Dialect,
        diag: &mut Diagnostics,
    ) -> Result<Datasource, Problem> {
        let first_pos = Pos {
            file: 0,
            line: 1,
            column: 1,
        };
        let block = match schema.datasources.as_slice() {
            [] => {
                diag.warn(
                    first_pos,
                    format!(
                        "no datasource block: reading the schema as Prisma would for {dialect}"
                    ),
                );
                return Ok(Datasource {
                    name: "db".into(),
                    matches_target: false,
                    emulated_relations: false,
                    pos: first_pos,
                });
            }
            [one] => one,
            [_, second, ..] => {
                return Err(Problem::new(
                    second.name.pos,
                    "a Prisma schema has one datasource block",
                ));
            }
        };
        let provider = string_property(block, "provider")?;
        let written_for = connector(block, &provider)?;
        if written_for != dialect {
            diag.warn(
                block.name.pos,
                format!(
                    "the datasource provider is \"{provider}\" but the target is {dialect}: \
                     reading the schema as Prisma would for {dialect}"
                ),
            );
        }
        let emulated_relations = match block.get("relationMode") {
            None => false,
            Some(_) => string_property(block, "relationMode")? == "prisma",
        };
        if let Some(extensions) = block.get("extensions") {
            diag.warn(
                extensions.pos,
                "PostgreSQL extensions are not managed by Strata; create them before applying",
            );
        }
        for (key, _) in &block.properties {
            if !matches!(
                key.name.as_str(),
                "provider"
                    | "url"
                    | "directUrl"
                    | "shadowDatabaseUrl"
                    | "relationMode"
                    | "schemas"
                    | "extensions"
            ) {
                diag.warn(
                    key.pos,
                    format!("unknown datasource property `{}`", key.name),
                );
            }
        }
        Ok(Datasource {
            name: block.name.name.clone(),
            matches_target: written_for == dialect,
            emulated_relations,
            pos: block.name.pos,
        })
    }
}

fn string_property(block: &Config, key: &str) -> Result<String, Problem> {
    match block.get(key) {
        Some(e) => e
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Problem::new(e.pos, format!("`{key}` must be a string"))),
        None => Err(Problem::new(
            block.name.pos,
            format!("the datasource has no `{key}`"),
        )),
    }
}

/// The dialect of a Prisma provider name.
fn connector(block: &Config, provider: &str) -> Result<Dialect, Problem> {
    match provider {
        "postgresql" | "postgres" => Ok(Dialect::Postgres),
        "mysql" => Ok(Dialect::Mysql),
        "sqlite" => Ok(Dialect::Sqlite),
        other => {
            let pos = block.get("provider").map_or(block.name.pos, |e| e.pos);
            Err(Problem::new(
                pos,
                format!("datasource provider \"{other}\" is not supported"),
            )
            .help("Strata manages postgresql, mysql and sqlite databases"))
        }
    }
}
