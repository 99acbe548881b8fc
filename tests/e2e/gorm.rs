//! gorm provider end-to-end tests.
