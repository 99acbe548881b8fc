//! Safety: what a plan puts at stake, measured against the live data before anything runs,
//! and what policy allows `apply` to run.
//!
//! `checks` queries the database for every destructive or data-dependent step: rows in a
//! dropped table, non-null values in a dropped column, rows a new NOT NULL / UNIQUE / CHECK /
//! foreign key / narrower type would reject. Counts go into the step's hazards; a rule the
//! current rows break becomes a blocking diagnostic, so the plan is refused before its first
//! statement instead of failing half-way. `policy` decides what `-auto-approve` may run.

mod checks;
pub mod policy;

pub use checks::check;
