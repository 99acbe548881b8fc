//! Strata's schema model: the one intermediate representation that ORM providers emit, that
//! inspection reads out of a live database, that the state file records and that the differ
//! compares.
//!
//! The model is plain data. Collections that have no meaningful order (tables, enums) are keyed
//! maps so that two equal schemas serialise identically; collections whose order matters to the
//! database (columns, index parts, key columns) are vectors in declaration order. Types are
//! structured ([`Type`]) so that `int4` and `integer` are the same value, never compared as text.
//!
//! Expressions (defaults, checks, partial-index predicates, expression index keys, generated
//! columns) are kept as SQL text in the dialect of the target. The engine canonicalises them on
//! both sides before comparing, so providers need not.

mod dialect;
mod fingerprint;
mod model;
mod parallel;
mod provider;
#[cfg(feature = "tree-sitter")]
pub mod syntax;
mod types;

pub use dialect::Dialect;
pub use fingerprint::{Fingerprint, fingerprint};
pub use model::*;
pub use parallel::map_parallel;
pub use provider::{Loaded, Location, Options, Provider, ProviderOption, SourceError};
pub use types::{LobSize, Type};
