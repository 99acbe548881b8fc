//! `strata plan`: show what would change; `-out=FILE` saves it for `apply FILE`, `-json`
//! prints it as event lines, `-refresh-only` shows only what changed outside of Strata.
//!
//! Also home of [`Ui`], the choice `plan` and `apply` share between text for people and JSON
//! lines for programs.

use super::args::PlanArgs;
use super::json;
use super::output;
use super::progress;
use super::saved::{Mode, SavedPlan, Summary};
use super::session::Session;
use crate::error::{Error, exit};
use crate::plan::{Action, Plan, render};
use crate::run::{self, ApplyEvent};
use console::style;
use std::fmt::Write;
use std::path::Path;

/// Run `plan`; with `-detailed-exitcode` the code says whether there are changes.
pub fn plan(session: &Session, args: &PlanArgs) -> Result<i32, Error> {
    let mut ui = Ui::new(args.json, session.color);
    let result = plan_with(session, args, &ui);
    ui.finish(result)
}

fn plan_with(session: &Session, args: &PlanArgs, ui: &Ui) -> Result<i32, Error> {
    ui.start();
    let mode = Mode::from_flag(args.refresh_only);
    let settings = session.settings_with_sources(&args.common)?;
    let planned = session.block_on(run::plan(&settings))?;
    ui.plan(&planned.plan, mode);
    let changes = match mode {
        Mode::Normal => !planned.plan.is_empty(),
        Mode::RefreshOnly => !planned.plan.drift.is_empty(),
    };
    let saved = SavedPlan::new(&planned.plan, &settings.state.env, mode);
    session.block_on(planned.close());
    if let Some(file) = &args.out {
        saved.write(file)?;
        ui.saved(file);
    }
    Ok(if args.detailed_exitcode && changes {
        exit::CHANGES
    } else {
        exit::OK
    })
}

impl Mode {
    /// The mode `-refresh-only` asks for.
    pub fn from_flag(refresh_only: bool) -> Mode {
        if refresh_only {
            Mode::RefreshOnly
        } else {
            Mode::Normal
        }
    }
}

/// Ui is how a command reports: text for people (with colour on a terminal), or JSON lines
/// for programs, where stdout carries nothing else and errors become diagnostics.
pub(super) enum Ui {
    Text { color: bool },
    Json(json::Stream),
}

impl Ui {
    pub fn new(json: bool, color: bool) -> Ui {
        if json {
            Ui::Json(json::Stream::default())
        } else {
            Ui::Text { color }
        }
    }

    /// Before anything else: the stream's version line.
    pub fn start(&self) {
        if let Ui::Json(stream) = self {
            stream.version();
        }
    }

    /// The plan, as `mode` applies it.
    pub fn plan(&self, plan: &Plan, mode: Mode) {
        match (self, mode) {
            (Ui::Json(stream), _) => stream.plan(plan, mode),
            (Ui::Text { color }, Mode::Normal) => print!("{}", render::render(plan, *color)),
            (Ui::Text { color }, Mode::RefreshOnly) => print!("{}", refresh_only(plan, *color)),
        }
    }

    /// Where `plan -out` saved the plan, and how to apply it.
    pub fn saved(&self, file: &Path) {
        if let Ui::Text { .. } = self {
            println!(
                "\nSaved the plan to: {0}\n\nTo perform exactly these actions, run:\n    strata apply {0}",
                file.display()
            );
        }
    }

    /// A step started or finished; `actions` are the plan's step actions, by index.
    pub fn progress(&mut self, event: &ApplyEvent, actions: &[Action]) {
        match self {
            Ui::Json(stream) => stream.progress(event, actions),
            Ui::Text { .. } => println!("{}", progress::line(event, actions)),
        }
    }

    /// An apply finished: the summary line.
    pub fn applied(&self, summary: Summary, unmanaged: usize) {
        match self {
            Ui::Json(stream) => stream.summary(summary, json::Operation::Apply, unmanaged),
            Ui::Text { .. } => {
                let Summary {
                    add,
                    change,
                    remove,
                    adopt,
                } = summary;
                if adopt > 0 {
                    println!("\nAdopted {adopt} existing object(s) into the state.");
                }
                if add + change + remove > 0 {
                    println!(
                        "\nApply complete! Resources: {add} added, {change} changed, {remove} destroyed."
                    );
                }
            }
        }
    }

    /// A refresh-only apply recorded the live form of `drifted` objects.
    pub fn refreshed(&self, drifted: usize, unmanaged: usize) {
        match self {
            Ui::Json(stream) => {
                stream.summary(Summary::default(), json::Operation::Refresh, unmanaged)
            }
            Ui::Text { .. } => println!(
                "\nRefresh complete! The live form of {drifted} object(s) changed outside of Strata is now recorded in the state; the database was not changed."
            ),
        }
    }

    /// Refuse a saved plan that no longer matches; returns the stale-plan exit code.
    pub fn stale(&mut self, file: &Path, reasons: &[String]) -> i32 {
        let mut message = format!(
            "The saved plan {} no longer matches, so nothing was applied:",
            file.display()
        );
        for reason in reasons {
            let _ = write!(message, "\n  - {reason}");
        }
        let hint = format!(
            "Make a new plan with `strata plan -out={}`, review it, and apply that.",
            file.display()
        );
        match self {
            Ui::Json(stream) => stream.error(&message, Some(hint)),
            Ui::Text { .. } => output::print_error(&Error::Plan(format!("{message}\n{hint}"))),
        }
        exit::STALE_PLAN
    }

    /// The command's outcome. In JSON mode an error is a diagnostic line on stdout and the exit
    /// code is returned directly; as text it goes to the usual error printer.
    pub fn finish(&mut self, result: Result<i32, Error>) -> Result<i32, Error> {
        match (self, result) {
            (Ui::Json(stream), Err(err)) => {
                stream.failed(&err);
                Ok(err.exit_code())
            }
            (_, result) => result,
        }
    }
}

/// A refresh-only plan as text: what changed outside of Strata, and that applying it records
/// those forms without DDL.
fn refresh_only(plan: &Plan, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            style(s).bold().force_styling(true).to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    for w in &plan.warnings {
        let _ = writeln!(out, "Warning: {w}\n");
    }
    if plan.drift.is_empty() {
        let _ = writeln!(
            out,
            "{}\n\nNo managed object changed outside of Strata since the last apply; there is nothing to record.",
            bold("No changes. The state matches the database.")
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        bold("Objects changed outside of Strata since the last apply:")
    );
    for d in &plan.drift {
        let _ = writeln!(out, "    ~ {}", bold(&d.address));
        for c in &d.changes {
            let _ = writeln!(out, "        {c}");
        }
    }
    let _ = writeln!(
        out,
        "\nThis is a refresh-only plan: Strata will not change the database to undo these.\nApplying it (strata apply -refresh-only, or strata apply FILE for a saved plan) records\ntheir live form in the state, with no DDL.\n\nRefresh-only plan: {} object(s) to record.",
        plan.drift.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Basis;
    use crate::state::Drift;
    use strata_schema::Dialect;

    #[test]
    fn refresh_only_text_lists_drift_and_no_steps() {
        let mut plan = Plan {
            dialect: Dialect::Sqlite,
            target: "sqlite://x".into(),
            steps: vec![crate::plan::Step::adopt("table.main.a")],
            warnings: vec![],
            drift: vec![],
            unmanaged: 0,
            blocking: Vec::new(),
            basis: Basis::default(),
            policy: Default::default(),
        };
        assert!(refresh_only(&plan, false).starts_with("No changes."));
        plan.drift.push(Drift {
            address: "table.main.users".into(),
            changes: vec!["column name: type text -> integer".into()],
        });
        let text = refresh_only(&plan, false);
        assert!(
            text.contains("    ~ table.main.users\n        column name: type text -> integer\n")
        );
        assert!(text.contains("will not change the database"));
        assert!(
            !text.contains("table.main.a"),
            "no steps in a refresh-only plan"
        );
    }
}
