//! doctrine provider end-to-end tests.
