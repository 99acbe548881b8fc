//! `strata destroy`: drop the objects Strata owns.

use super::args::DestroyArgs;
use super::session::Session;
use crate::error::Error;

/// Run the command.
pub fn destroy(_session: &Session, _args: &DestroyArgs) -> Result<i32, Error> {
    Err(Error::Config("this command is being built".into()))
}
