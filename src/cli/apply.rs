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
    let planned = session.block_on(run::plan_locked(&settings, "apply", &mut |holder| {
        eprintln!(
            "Waiting for the state lock held by {} since {} (operation: {}, lock ID {})...",
            holder.who, holder.created, holder.operation, holder.id
        )
    }))?;
    print!("{}", render::render(&planned.plan, session.color));
    if planned.plan.is_empty() {
        // No DDL, but adopted objects and drifted spellings still go into the state.
        let adopted = planned.plan.adoptions();
        let record = adopted > 0 || !planned.plan.drift.is_empty();
        if record {
            session.block_on(run::apply(planned, &mut |_| {}))?;
            if adopted > 0 {
                println!("\nAdopted {adopted} existing object(s) into the state.");
            }
        } else {
            session.block_on(planned.close());
        }
        return Ok(exit::OK);
    }
    if !args.auto_approve
        && let Err(refused) = prompt::approve(args.input)
    {
        session.block_on(planned.close());
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
