//! `strata inspect`: the live schema, as SQL DDL or as the schema model in JSON.

use super::args::{Format, InspectArgs};
use super::session::Session;
use crate::error::{Error, exit};
use crate::run;

/// Run `inspect`; it needs only a URL, no desired schema.
pub fn inspect(session: &Session, args: &InspectArgs) -> Result<i32, Error> {
    let settings = session.settings(&args.common)?;
    let database = session.block_on(run::inspect(&settings))?;
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&database)
                .map_err(|e| Error::Io(format!("cannot encode the schema as JSON: {e}")))?
                + "\n"
        }
        Format::Sql => run::ddl(settings.target.dialect, &database)?,
    };
    print!("{text}");
    Ok(exit::OK)
}
