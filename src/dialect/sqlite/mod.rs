//! sqlite: catalog inspection, normalisation and SQL rendering.

mod create;
mod ddl;
pub mod inspect;
pub mod migrate;
pub mod normalize;
#[cfg(test)]
mod tests;
