//! saved end-to-end tests.
