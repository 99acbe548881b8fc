//! postgres: catalog inspection, normalisation and SQL rendering.

pub mod inspect;
pub mod migrate;
pub mod normalize;
