//! js provider end-to-end tests.
