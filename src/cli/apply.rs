//! `strata apply`: plan, show, ask, then apply with progress. `apply FILE` applies a saved
//! plan exactly, without asking, after checking under the state lock that nothing it was made
//! from has moved; `-json` reports as event lines.

use super::args::ApplyArgs;
use super::plan::Ui;
use super::prompt;
use super::saved::{self, Mode, SavedPlan, Summary};
use super::session::Session;
use crate::error::{Error, exit};
use crate::plan::Action;
use crate::run::{self, Planned};
use crate::safety;

/// Run `apply`. Nothing is applied unless the operator typed `yes`, gave `-auto-approve`, or
/// gave a saved plan (reviewed when it was made).
pub fn apply(session: &Session, args: &ApplyArgs) -> Result<i32, Error> {
    let mut ui = Ui::new(args.json, session.color);
    let result = apply_with(session, args, &mut ui);
    ui.finish(result)
}

fn apply_with(session: &Session, args: &ApplyArgs, ui: &mut Ui) -> Result<i32, Error> {
    ui.start();
    if args.json && !args.auto_approve && args.plan_file.is_none() {
        return Err(Error::Apply(
            "apply -json cannot ask for approval, so nothing was applied. Add -auto-approve, or save a reviewed plan with `strata plan -out=FILE` and run `strata apply -json FILE`."
                .into(),
        ));
    }
    let saved = match &args.plan_file {
        Some(_) if args.refresh_only => {
            return Err(Error::Apply(
                "-refresh-only is a planning option and a saved plan already fixes what it does; drop -refresh-only (or make the plan with `strata plan -refresh-only -out=FILE`)."
                    .into(),
            ));
        }
        Some(file) => Some(SavedPlan::read(file)?),
        None => None,
    };
    let mode = saved
        .as_ref()
        .map_or(Mode::from_flag(args.refresh_only), |s| s.mode);
    let settings = session.settings_with_sources(&args.common)?;
    let planned = session.block_on(run::plan_locked(&settings, "apply", &mut super::waiting))?;
    let approval = match (&saved, &args.plan_file) {
        (Some(saved), Some(file)) => {
            let fresh = SavedPlan::new(&planned.plan, &settings.state.env, mode);
            let reasons = saved::staleness(saved, &fresh);
            if !reasons.is_empty() {
                session.block_on(planned.close());
                return Ok(ui.stale(file, &reasons));
            }
            Approval::SavedPlan
        }
        _ => {
            ui.plan(&planned.plan, mode);
            if args.auto_approve {
                Approval::AutoApprove
            } else {
                Approval::Ask
            }
        }
    };
    match mode {
        Mode::Normal => apply_steps(session, args, ui, planned, approval),
        Mode::RefreshOnly => refresh(session, args, ui, planned, approval),
    }
}

/// Approval is where the go-ahead comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Approval {
    /// The plan was reviewed when it was saved; it was not shown again.
    SavedPlan,
    /// `-auto-approve`, after showing the plan.
    AutoApprove,
    /// The operator must type `yes`.
    Ask,
}

/// Ask for approval unless already given; on refusal, release the plan.
fn approve(
    session: &Session,
    args: &ApplyArgs,
    planned: Planned,
    approval: Approval,
) -> Result<Planned, Error> {
    if approval != Approval::Ask {
        return Ok(planned);
    }
    match prompt::approve(args.input) {
        Ok(()) => Ok(planned),
        Err(refused) => {
            session.block_on(planned.close());
            Err(refused)
        }
    }
}

/// Run the plan's steps and record the result.
fn apply_steps(
    session: &Session,
    args: &ApplyArgs,
    ui: &mut Ui,
    planned: Planned,
    approval: Approval,
) -> Result<i32, Error> {
    let summary = Summary::of(&planned.plan);
    let unmanaged = planned.plan.unmanaged;
    if planned.plan.is_empty() {
        // No DDL, but adopted objects and drifted spellings still go into the state.
        if summary.adopt > 0 || !planned.plan.drift.is_empty() {
            session.block_on(run::apply(planned, &mut |_| {}))?;
        } else {
            session.block_on(planned.close());
        }
        ui.applied(summary, unmanaged);
        return Ok(exit::OK);
    }
    // Policy decides before anyone is asked: a plan the data or the config forbids is refused
    // without a prompt, and unattended runs need leave to destroy data.
    let unattended = approval != Approval::Ask;
    if let Err(why) = safety::policy::approve(
        &planned.plan,
        planned.policy(),
        unattended,
        args.allow_destructive,
    ) {
        session.block_on(planned.close());
        return Err(Error::Blocked(why));
    }
    let planned = approve(session, args, planned, approval)?;
    if approval != Approval::SavedPlan
        && let Ui::Text { .. } = ui
    {
        // Progress starts below the plan (or the answer to the prompt).
        println!();
    }
    let actions: Vec<Action> = planned.plan.steps.iter().map(|s| s.action).collect();
    session.block_on(run::apply(planned, &mut |event| {
        ui.progress(&event, &actions)
    }))?;
    ui.applied(summary, unmanaged);
    Ok(exit::OK)
}

/// Record the live form of drifted objects in the state, without DDL.
fn refresh(
    session: &Session,
    args: &ApplyArgs,
    ui: &mut Ui,
    planned: Planned,
    approval: Approval,
) -> Result<i32, Error> {
    let drifted = planned.plan.drift.len();
    let unmanaged = planned.plan.unmanaged;
    if drifted == 0 {
        session.block_on(planned.close());
        return Ok(exit::OK);
    }
    let planned = approve(session, args, planned, approval)?;
    session.block_on(run::refresh(planned))?;
    ui.refreshed(drifted, unmanaged);
    Ok(exit::OK)
}
