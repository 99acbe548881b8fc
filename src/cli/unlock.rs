//! `strata force-unlock LOCK_ID`: remove a stale lock.

use super::args::ForceUnlockArgs;
use super::session::Session;
use crate::error::Error;

/// Run the command.
pub fn force_unlock(_session: &Session, _args: &ForceUnlockArgs) -> Result<i32, Error> {
    Err(Error::Config("this command is being built".into()))
}
