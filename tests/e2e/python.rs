//! python provider end-to-end tests.
