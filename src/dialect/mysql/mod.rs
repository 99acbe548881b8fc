//! MySQL and MariaDB: catalog inspection, normalisation and SQL rendering.

pub mod inspect;
pub mod migrate;
mod names;
pub mod normalize;
mod spelling;

#[cfg(test)]
mod live_tests;
