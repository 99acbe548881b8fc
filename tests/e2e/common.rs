//! Shared test harness: scratch databases per test, running the binary.
