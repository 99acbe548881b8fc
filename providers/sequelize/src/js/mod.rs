//! Reading JavaScript and TypeScript model files statically: parse with tree-sitter, read
//! expressions as plain values, collect calls and classes, find the files of a model folder.
//! Shared by the Sequelize and TypeORM providers.

mod decl;
mod direct;
mod files;
mod kinds;
mod skip;
mod source;
mod value;

pub use decl::{Call, Calls, Class, Declarations, Enum, Field};
pub use files::{free_while, imports_any, model_files, read_all, read_all_with};
pub use source::{Pos, Source};
pub use value::{Expr, Value};
