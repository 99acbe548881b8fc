//! `strata destroy`: drop every object Strata owns — only those: unmanaged objects are never
//! in the plan — after a double confirmation that names the database.

use super::args::DestroyArgs;
use super::session::Session;
use super::{progress, prompt, waiting};
use crate::error::{Error, exit};
use crate::plan::{Action, render};
use crate::run::{self, Intent};

/// Run `destroy`.
pub fn destroy(session: &Session, args: &DestroyArgs) -> Result<i32, Error> {
    let settings = session.settings(&args.common)?;
    let planned = session.block_on(run::plan_for(
        &settings,
        "destroy",
        Intent::Destroy,
        &mut waiting,
    ))?;
    print!("{}", render::render(&planned.plan, session.color));
    let database = settings.target.fingerprint().database;
    if planned.plan.is_empty() {
        session.block_on(planned.close());
        println!("\nNothing to destroy: Strata owns no objects in {database}.");
        return Ok(exit::OK);
    }
    if !args.auto_approve {
        let (_, _, count) = planned.plan.summary();
        let first = format!(
            "\nDo you really want to destroy the {count} object(s) Strata owns in {database}?\n  This drops them and their data; it cannot be undone. Objects Strata does not own are left alone.\n  Only 'yes' will be accepted to confirm.\n\n  Enter a value: "
        );
        let second = format!("\n  To confirm, type the name of the database ({database}): ");
        let confirmed = prompt::ask(args.input, "Destroy", &first, "yes")
            .and_then(|()| prompt::ask(args.input, "Destroy", &second, &database));
        if let Err(refused) = confirmed {
            session.block_on(planned.close());
            return Err(refused);
        }
    }
    println!();
    let actions: Vec<Action> = planned.plan.steps.iter().map(|s| s.action).collect();
    let (_, _, destroyed) = planned.plan.summary();
    session.block_on(run::apply(planned, &mut |event| {
        println!("{}", progress::line(&event, &actions))
    }))?;
    println!("\nDestroy complete! Resources: {destroyed} destroyed.");
    Ok(exit::OK)
}
