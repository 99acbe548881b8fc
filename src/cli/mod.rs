//! Command line: Terraform's habits (single- or double-dash long flags, `-chdir` before the
//! command, a typed `yes`, documented exit codes — see [`crate::error::exit`]).

mod apply;
mod args;
mod argv;
mod destroy;
mod import;
mod init;
mod inspect;
mod json;
mod lock;
mod output;
mod plan;
mod progress;
mod prompt;
mod saved;
mod session;
mod show;
mod state;
mod unlock;
mod validate;

use crate::error::{Error, exit};
use args::{Cli, Command};
use clap::Parser;
use session::Session;

/// Run the CLI with the process arguments; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse_from(argv::normalise(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(err) => {
            // Usage errors exit 1, not clap's 2: 2 means "changes present" for plan.
            let _ = err.print();
            return if err.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            };
        }
    };
    let color = output::set_colors(no_color(&cli.command));
    match run(&cli, color) {
        Ok(code) => code,
        Err(err) => {
            output::print_error(&err);
            err.exit_code()
        }
    }
}

/// Change directory if asked, then dispatch.
fn run(cli: &Cli, color: bool) -> Result<i32, Error> {
    if let Some(dir) = &cli.chdir {
        std::env::set_current_dir(dir)
            .map_err(|e| Error::Io(format!("-chdir={}: {e}", dir.display())))?;
    }
    let session = Session::new(color)?;
    match &cli.command {
        Command::Plan(args) => plan::plan(&session, args),
        Command::Apply(args) => apply::apply(&session, args),
        Command::Inspect(args) => inspect::inspect(&session, args),
        Command::Validate(common) => validate::validate(&session, common),
        Command::Show(args) => show::show(&session, args),
        Command::State(args) => state::state(&session, args),
        Command::Import(args) => import::import(&session, args),
        Command::ForceUnlock(args) => unlock::force_unlock(&session, args),
        Command::Lock(args) => lock::lock(&session, args),
        Command::Destroy(args) => destroy::destroy(&session, args),
        Command::Init(args) => init::init(&session, args),
    }
}

/// Tell the operator who holds the state lock while we wait for it.
fn waiting(holder: &crate::state::lock::LockInfo) {
    eprintln!("Waiting for the state lock, {holder}...");
}

/// The `-no-color` flag of whichever command was given.
fn no_color(command: &Command) -> bool {
    match command {
        Command::Plan(a) => a.common.no_color,
        Command::Apply(a) => a.common.no_color,
        Command::Inspect(a) => a.common.no_color,
        Command::Validate(c) => c.no_color,
        Command::Show(a) => a.common.no_color,
        Command::State(a) => match &a.command {
            args::StateCommand::List(c) | args::StateCommand::Pull(c) => c.no_color,
            args::StateCommand::Show(a) | args::StateCommand::Rm(a) => a.common.no_color,
            args::StateCommand::Push(a) => a.common.no_color,
        },
        Command::Import(a) => a.common.no_color,
        Command::ForceUnlock(a) => a.common.no_color,
        Command::Lock(a) => match &a.command {
            args::LockCommand::Show(s) => s.common.no_color,
        },
        Command::Destroy(a) => a.common.no_color,
        Command::Init(a) => a.common.no_color,
    }
}
