//! End-to-end tests: the real `strata` binary against real PostgreSQL, MariaDB and SQLite.
//! One test binary for all of them (see tests/README.md).

mod cases;
mod cli;
mod common;
mod doctrine;
mod fixtures;
mod gorm;
mod js;
mod online;
mod ownership;
mod prisma;
mod property;
mod python;
#[cfg(feature = "cloud")]
mod remote;
mod renames;
mod safety;
mod saved;
mod state;
