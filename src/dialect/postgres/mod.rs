//! postgres: catalog inspection, normalisation and SQL rendering.

pub mod identity;
pub mod inspect;
pub mod migrate;
mod naming;
pub mod normalize;
mod queries;
#[cfg(test)]
mod tests;
