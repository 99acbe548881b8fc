//! Reading JavaScript and TypeScript model files statically: parse with tree-sitter, read
//! expressions as plain values, collect calls and classes, find the files of a model folder.
//! Shared by the Sequelize and TypeORM providers.

mod decl;
mod files;
mod source;
mod value;

pub use decl::{Call, Class, Declarations, Enum, Field};
pub use files::{imports_any, model_files, read_all};
pub use source::{Pos, Source};
pub use value::{Expr, Value};
