//! Diff: desired vs live schema → [`Change`]s, after both were normalised by the dialect.

mod change;

pub use change::{Change, ColumnChanges};
