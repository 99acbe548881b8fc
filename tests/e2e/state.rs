//! state end-to-end tests.
