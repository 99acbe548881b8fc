//! `strata apply`: plan, show, ask, then apply with progress.

use super::args::ApplyArgs;
use super::session::Session;
use super::{progress, prompt};
use crate::error::{Error, exit};
use crate::plan::{Action, render};
use crate::run;

/// Run `apply`. Nothing is applied unless the operator typed `yes` or gave `-auto-approve`.
pub fn apply(session: &Session, args: &ApplyArgs) -> Result<i32, Error> {
    let settings = session.settings_with_sources(&args.common)?;
    let planned = session.block_on(run::plan(&settings))?;
    print!("{}", render::render(&planned.plan, session.color));
    if planned.plan.is_empty() {
        session.block_on(planned.conn.close());
        return Ok(exit::OK);
    }
    if !args.auto_approve
        && let Err(refused) = prompt::approve(args.input)
    {
        session.block_on(planned.conn.close());
        return Err(refused);
    }
    println!();
    let actions: Vec<Action> = planned.plan.steps.iter().map(|s| s.action).collect();
    let (added, changed, destroyed) = planned.plan.summary();
    session.block_on(run::apply(planned, &mut |event| {
        println!("{}", progress::line(&event, &actions))
    }))?;
    println!(
        "\nApply complete! Resources: {added} added, {changed} changed, {destroyed} destroyed."
    );
    Ok(exit::OK)
}
