//! Configuration: `strata.hcl`, compatible with the env blocks of Atlas's `atlas.hcl`.
