//! ORM providers: the registry of provider crates and the adapter from their results to the
//! engine's. The engine knows no ORM; each crate under providers/ knows one.

use super::origin::{Loaded, Origin};
use crate::error::{Error, Located};
use std::path::Path;
use strata_schema::{Dialect, Options, Provider, SourceError};

/// Every provider compiled in (each is a cargo feature), asked in this order whether it
/// recognises a path.
static PROVIDERS: &[&dyn Provider] = &[
    #[cfg(feature = "prisma")]
    &strata_prisma::Prisma,
    #[cfg(feature = "gorm")]
    &strata_gorm::Gorm,
    #[cfg(feature = "sqlalchemy")]
    &strata_sqlalchemy::SqlAlchemy,
    #[cfg(feature = "django")]
    &strata_django::Django,
    #[cfg(feature = "sequelize")]
    &strata_sequelize::Sequelize,
    #[cfg(feature = "typeorm")]
    &strata_typeorm::TypeOrm,
    #[cfg(feature = "doctrine")]
    &strata_doctrine::Doctrine,
];

/// The provider that recognises `path`, if any.
pub(super) fn detect(path: &Path) -> Option<&'static dyn Provider> {
    PROVIDERS.iter().copied().find(|p| p.detect(path))
}

/// Read `path` with `provider` and the source's `options` into `loaded`. Every table and enum
/// gets the path as its origin (providers report positions in their errors, not per object).
pub(super) fn read(
    provider: &dyn Provider,
    path: &Path,
    options: &Options,
    dialect: Dialect,
    default_schema: &str,
    loaded: &mut Loaded,
) -> Result<(), Error> {
    check_options(provider, path, options)?;
    let result = provider
        .load_with(path, dialect, default_schema, options)
        .map_err(|e| located(provider, &e))?;
    let origin = Origin {
        file: path.display().to_string(),
        line: 1,
        column: 1,
    };
    for (schema, s) in &result.database.schemas {
        for name in s.tables.keys() {
            loaded
                .tables
                .insert((schema.clone(), name.clone()), origin.clone());
        }
        for name in s.enums.keys() {
            loaded
                .enums
                .insert((schema.clone(), name.clone()), origin.clone());
        }
    }
    loaded.database = result.database;
    loaded.warnings.extend(
        result
            .warnings
            .iter()
            .map(|w| format!("{}: {w}", provider.name())),
    );
    Ok(())
}

/// Refuse an option `provider` does not take, or a value it does not accept, naming what it
/// takes: a misspelt option must not silently give another ORM generation's schema.
fn check_options(provider: &dyn Provider, path: &Path, options: &Options) -> Result<(), Error> {
    let known = provider.options();
    for (name, value) in options {
        let refusal = match known.iter().find(|o| o.name == name) {
            None if known.is_empty() => format!("{} takes no options", provider.name()),
            None => format!(
                "{} has no option {name:?}; it takes {}",
                provider.name(),
                known
                    .iter()
                    .map(|o| format!("{} ({})", o.name, o.about))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(o) if !o.values.contains(&value.as_str()) => format!(
                "{} option {name}={value:?} is not one of {}",
                provider.name(),
                o.values.join(", ")
            ),
            Some(_) => continue,
        };
        return Err(Error::Source(format!(
            "schema source {}?{}: {refusal}",
            path.display(),
            option_list(options)
        )));
    }
    Ok(())
}

/// `options` as the query they were written as.
pub(super) fn option_list(options: &Options) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A provider's error as a located diagnostic with the offending line, when the file can be
/// read; otherwise its plain text.
fn located(provider: &dyn Provider, e: &SourceError) -> Error {
    let message = format!("{} models: {}", provider.name(), e.message);
    match std::fs::read_to_string(&e.location.file) {
        Ok(text) => {
            let mut l = Located::at_line(
                &e.location.file,
                &text,
                e.location.line,
                e.location.column,
                message,
            );
            l.help = e.help.clone();
            l.into()
        }
        Err(_) => Error::Source(format!("{}: {message}", e.location)),
    }
}
