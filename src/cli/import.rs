//! `strata import ADDRESS`: adopt one live object into the state.

use super::args::ImportArgs;
use super::session::Session;
use crate::error::Error;

/// Run the command.
pub fn import(_session: &Session, _args: &ImportArgs) -> Result<i32, Error> {
    Err(Error::Config("this command is being built".into()))
}
