//! Strata: Terraform-style plan/apply for database schemas, with ORM models as the source of
//! truth. See DESIGN.md for the architecture; this crate is the engine and the CLI.

pub mod cli;
pub mod config;
pub mod db;
pub mod dialect;
pub mod diff;
pub mod duration;
pub mod error;
pub mod expr;
pub mod plan;
pub mod run;
pub mod safety;
pub mod source;
pub mod state;
pub mod target;
