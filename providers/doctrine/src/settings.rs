//! Provider options: which Doctrine generation to reproduce and which naming strategy the
//! application configures. Both live in application code Strata does not run, so a source
//! names them in its URL (`file://src/Entity?doctrine_version=2&naming_strategy=underscore`);
//! without `naming_strategy`, Symfony's `config/packages/doctrine.yaml` (searched upwards from
//! the models) names it.

use crate::Version;
use crate::naming::Naming;
use std::path::Path;
use strata_schema::{ProviderOption, Schema};

/// Options of one load.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub version: Version,
    pub naming: Naming,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            version: Version::Orm3,
            naming: Naming::Default,
        }
    }
}

/// The source options the provider takes; the engine refuses other names and values.
pub const SOURCE_OPTIONS: &[ProviderOption] = &[
    ProviderOption {
        name: "doctrine_version",
        values: &["2", "3"],
        about: "the ORM generation whose DDL is reproduced: 3 (ORM 3 / DBAL 4, the default) or 2 (ORM 2 / DBAL 3)",
    },
    ProviderOption {
        name: "naming_strategy",
        values: &["default", "underscore", "underscore_number_aware"],
        about: "the application's naming strategy, when no Symfony config/packages/doctrine.yaml names it",
    },
];

impl Options {
    /// Options for models under `path` from the source's (already checked) options, the
    /// naming strategy falling back to the nearest Symfony config.
    pub fn of_source(path: &Path, source: &strata_schema::Options) -> Options {
        let version = match source.get("doctrine_version").map(String::as_str) {
            Some("2") => Version::Orm2,
            _ => Version::Orm3,
        };
        let naming = match source.get("naming_strategy").map(String::as_str) {
            Some(name) => naming(name),
            None => symfony_naming(path).unwrap_or(Naming::Default),
        };
        Options { version, naming }
    }
}

/// The strategy called `name` (the option's values, or the last part of Symfony's service id).
fn naming(name: &str) -> Naming {
    match name {
        "underscore_number_aware" => Naming::Underscore { number_aware: true },
        "underscore" => Naming::Underscore {
            number_aware: false,
        },
        _ => Naming::Default,
    }
}

/// The naming strategy named in `config/packages/doctrine.yaml` of the project holding `path`.
fn symfony_naming(path: &Path) -> Option<Naming> {
    let start = std::fs::canonicalize(path).ok()?;
    for dir in start.ancestors().take(4) {
        let yaml = dir.join("config/packages/doctrine.yaml");
        if let Ok(text) = std::fs::read_to_string(&yaml) {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with("naming_strategy:"))?;
            let service = line.split(':').nth(1).map(str::trim).unwrap_or_default();
            return Some(naming(
                service
                    .strip_prefix("doctrine.orm.naming_strategy.")
                    .unwrap_or("default"),
            ));
        }
    }
    None
}

/// DBAL 3 gives every MySQL table `DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci
/// ENGINE = InnoDB`.
pub fn dbal3_table_options(schema: &mut Schema) {
    for table in schema.tables.values_mut() {
        table.options.insert("engine".into(), "InnoDB".into());
        table.options.insert("charset".into(), "utf8mb3".into());
        table
            .options
            .insert("collation".into(), "utf8mb3_unicode_ci".into());
    }
}
