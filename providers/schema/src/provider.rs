//! The contract between the engine and the ORM readers. A provider recognises its model files
//! and turns them into a [`Database`] for a target dialect, reproducing its ORM's own names and
//! types. Providers read source statically: they never run the ORM or open a connection.

use crate::{Database, Dialect};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Location is a place in a model file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// SourceError is a model the provider cannot read: malformed, unsupported, or not statically
/// resolvable. It always says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub location: Location,
    pub message: String,
    /// Optional advice on how to fix it.
    pub help: Option<String>,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for SourceError {}

/// Loaded is a provider's result: the desired schema and the warnings met on the way (an
/// unknown attribute, a construct read with an assumption).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub database: Database,
    pub warnings: Vec<SourceError>,
}

/// Options of one source, from its URL's query (`file://src/Entity?doctrine_version=2`): name →
/// value, each checked against the provider's [`ProviderOption`]s before it loads.
pub type Options = BTreeMap<String, String>;

/// ProviderOption is a setting of a provider that a project cannot express in its model files
/// (the ORM generation it runs, a naming strategy configured in application code).
#[derive(Debug, Clone, Copy)]
pub struct ProviderOption {
    pub name: &'static str,
    /// The accepted values; the engine refuses any other before the provider runs.
    pub values: &'static [&'static str],
    /// One line for error messages: what the option selects.
    pub about: &'static str,
}

/// Provider reads one ORM's models.
pub trait Provider: Sync {
    /// The ORM's name as users know it (`prisma`, `gorm`, …).
    fn name(&self) -> &'static str;

    /// True when `path` (a file or a folder) holds this ORM's models. Detection must be cheap
    /// and must not claim plain `.sql` files.
    fn detect(&self, path: &Path) -> bool;

    /// Read the models under `path` into the schema `dialect` would get from the ORM, with
    /// unqualified tables in `default_schema`.
    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError>;

    /// The options this provider accepts in a source URL's query; none by default.
    fn options(&self) -> &'static [ProviderOption] {
        &[]
    }

    /// [`Provider::load`] with the source's options, already checked against
    /// [`Provider::options`]. Providers without options need not implement it.
    fn load_with(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
        options: &Options,
    ) -> Result<Loaded, SourceError> {
        debug_assert!(options.is_empty(), "{} takes no options", self.name());
        self.load(path, dialect, default_schema)
    }
}
