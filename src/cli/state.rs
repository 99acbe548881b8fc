//! `strata state …`: list, show, pull, push and rm on the state.

use super::args::StateArgs;
use super::session::Session;
use crate::error::Error;

/// Run the command.
pub fn state(_session: &Session, _args: &StateArgs) -> Result<i32, Error> {
    Err(Error::Config("this command is being built".into()))
}
