//! prisma provider end-to-end tests.
