//! `strata import ADDRESS`: adopt one existing live object into the state, without DDL.

use super::args::ImportArgs;
use super::session::Session;
use super::waiting;
use crate::error::{Error, exit};
use crate::run;

/// Run `import`.
pub fn import(session: &Session, args: &ImportArgs) -> Result<i32, Error> {
    let settings = session.settings_with_sources(&args.common)?;
    session.block_on(run::import(&settings, &args.address, &mut waiting))?;
    println!(
        "Import successful: {} is now managed by Strata (no DDL was run).",
        args.address
    );
    Ok(exit::OK)
}
