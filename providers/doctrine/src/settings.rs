//! Provider options: which Doctrine generation to reproduce and which naming strategy the
//! application configures. Strata's config has no provider options yet, so they are found
//! where a Doctrine project keeps them: Symfony's `config/packages/doctrine.yaml` (searched
//! upwards from the models) names the strategy, and `STRATA_DOCTRINE_VERSION=2` selects ORM 2.

use crate::Version;
use crate::naming::Naming;
use std::path::Path;
use strata_schema::Schema;

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

/// Environment variable that selects the Doctrine generation (`2` or `3`).
pub const VERSION_VAR: &str = "STRATA_DOCTRINE_VERSION";

impl Options {
    /// Options for models under `path`: the naming strategy from the nearest Symfony config,
    /// the version from [`VERSION_VAR`].
    pub fn discover(path: &Path) -> Options {
        let version = match std::env::var(VERSION_VAR).as_deref() {
            Ok("2") => Version::Orm2,
            _ => Version::Orm3,
        };
        Options {
            version,
            naming: symfony_naming(path).unwrap_or(Naming::Default),
        }
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
            return Some(match line.split(':').nth(1).map(str::trim) {
                Some("doctrine.orm.naming_strategy.underscore_number_aware") => {
                    Naming::Underscore { number_aware: true }
                }
                Some("doctrine.orm.naming_strategy.underscore") => Naming::Underscore {
                    number_aware: false,
                },
                _ => Naming::Default,
            });
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
