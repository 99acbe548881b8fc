//! `strata plan`: show what would change.

use super::args::PlanArgs;
use super::session::Session;
use crate::error::{Error, exit};
use crate::plan::render;
use crate::run;

/// Run `plan`; with `-detailed-exitcode` the code says whether there are changes.
pub fn plan(session: &Session, args: &PlanArgs) -> Result<i32, Error> {
    let settings = session.settings_with_sources(&args.common)?;
    let planned = session.block_on(run::plan(&settings))?;
    print!("{}", render::render(&planned.plan, session.color));
    let changes = !planned.plan.is_empty();
    session.block_on(planned.close());
    Ok(if args.detailed_exitcode && changes {
        exit::CHANGES
    } else {
        exit::OK
    })
}
