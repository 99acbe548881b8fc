//! `strata show PLANFILE`: a saved plan for people, or `-json` for programs.

use super::args::ShowArgs;
use super::session::Session;
use crate::error::Error;

/// Run the command.
pub fn show(_session: &Session, _args: &ShowArgs) -> Result<i32, Error> {
    Err(Error::Config("this command is being built".into()))
}
