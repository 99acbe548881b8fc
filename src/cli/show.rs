//! `strata show PLANFILE`: a saved plan for people, rendered as `plan` renders it, or `-json`
//! for programs (the documented plan format, plan-format.md). Connects to no database.

use super::args::ShowArgs;
use super::plan::Ui;
use super::saved::{Mode, SavedPlan};
use super::session::Session;
use crate::error::{Error, exit};

/// Run the command.
pub fn show(session: &Session, args: &ShowArgs) -> Result<i32, Error> {
    let saved = SavedPlan::read(&args.plan_file)?;
    if args.json {
        print!("{}", saved.encode());
        return Ok(exit::OK);
    }
    let ui = Ui::new(false, session.color);
    ui.plan(&saved.to_plan(), saved.mode);
    let to_apply = match saved.mode {
        Mode::Normal => !saved.steps.is_empty(),
        Mode::RefreshOnly => !saved.drift.is_empty(),
    };
    if to_apply {
        println!(
            "\nTo perform exactly these actions, run:\n    strata apply {}",
            args.plan_file.display()
        );
    }
    Ok(exit::OK)
}
