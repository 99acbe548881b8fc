//! The command line, declared with clap. Long flags are written `--flag` here; [`super::argv`]
//! lets users write them with one dash, as Terraform does.

use crate::config;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The part of `--help` that clap cannot derive: Terraform's flag spelling and the exit codes.
const AFTER_HELP: &str =
    "Long flags take one dash or two: -auto-approve = --auto-approve, -env=dev = --env dev.

Exit codes: 0 success (plan -detailed-exitcode: no changes); 1 error; 2 plan -detailed-exitcode: \
changes present; 3 cancelled (at the prompt, or by Ctrl-C); 4 state lock held; 5 stale saved plan; \
6 blocked by policy or by the data checks.";

/// Strata: Terraform-style plan/apply for database schemas.
#[derive(Debug, Parser)]
#[command(name = "strata", version, disable_help_subcommand = true, after_help = AFTER_HELP)]
pub struct Cli {
    /// Switch to DIR before doing anything else (it must come before the command).
    #[arg(long, value_name = "DIR")]
    pub chdir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Command is what to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what would change to make the database match the desired schema.
    Plan(PlanArgs),
    /// Plan, show, ask for approval, then change the database.
    Apply(ApplyArgs),
    /// Print the live schema (as SQL DDL, or the schema model as JSON).
    Inspect(InspectArgs),
    /// Check that the configuration and the schema sources load; connects to no database.
    Validate(Common),
    /// Render a saved plan (plan -out=FILE) for people, or with -json for programs.
    Show(ShowArgs),
    /// Read and change the state: list, show, pull, push, rm.
    State(StateArgs),
    /// Adopt one existing live object into the state without DDL.
    Import(ImportArgs),
    /// Remove a stale state lock, after confirmation.
    ForceUnlock(ForceUnlockArgs),
    /// Inspect the state lock: show.
    Lock(LockArgs),
    /// Drop every object Strata owns (only those), after a double confirmation.
    Destroy(DestroyArgs),
    /// Check the state backend; with -migrate-state, move the state to it from the previous one.
    Init(InitArgs),
}

/// InitArgs are `init`'s flags.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub common: Common,
    /// Copy the state from where it was (-from-state) to the backend the env's `state` block names.
    #[arg(long)]
    pub migrate_state: bool,
    /// Where the state was: a file path, s3://BUCKET/KEY[?region=…&endpoint=…], gs://BUCKET/KEY,
    /// az://CONTAINER/KEY, `database` (the env's database) or a database URL. Default: the local
    /// .strata/<env>.state.json beside the config.
    #[arg(long, value_name = "WHERE")]
    pub from_state: Option<String>,
    /// Replace a state already at the new backend that is not an older version of this one.
    #[arg(long)]
    pub force: bool,
}

/// ShowArgs are `show`'s flags.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub common: Common,
    /// The saved plan to show.
    #[arg(value_name = "PLANFILE")]
    pub plan_file: PathBuf,
    /// Print the plan as JSON (the documented plan format).
    #[arg(long)]
    pub json: bool,
}

/// StateArgs are `state`'s subcommands.
#[derive(Debug, Args)]
pub struct StateArgs {
    #[command(subcommand)]
    pub command: StateCommand,
}

/// StateCommand is what to do with the state.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the managed objects' addresses.
    List(Common),
    /// Show one managed object as recorded.
    Show(StateAddressArgs),
    /// Print the state file to stdout.
    Pull(Common),
    /// Replace the state with a file (refuses another lineage or an older serial unless -force).
    Push(StatePushArgs),
    /// Forget objects without dropping them.
    Rm(StateAddressArgs),
}

/// StateAddressArgs name managed objects.
#[derive(Debug, Args)]
pub struct StateAddressArgs {
    #[command(flatten)]
    pub common: Common,
    /// Object addresses, e.g. table.public.users.
    #[arg(value_name = "ADDRESS", required = true)]
    pub addresses: Vec<String>,
}

/// StatePushArgs are `state push`'s flags.
#[derive(Debug, Args)]
pub struct StatePushArgs {
    #[command(flatten)]
    pub common: Common,
    /// The state file to push (`-` for stdin).
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Push even across lineages or over a newer serial.
    #[arg(long)]
    pub force: bool,
}

/// ImportArgs are `import`'s flags.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub common: Common,
    /// The live object to adopt, e.g. table.public.users.
    #[arg(value_name = "ADDRESS")]
    pub address: String,
}

/// LockArgs are `lock`'s subcommands.
#[derive(Debug, Args)]
pub struct LockArgs {
    #[command(subcommand)]
    pub command: LockCommand,
}

/// LockCommand is what to do with the lock.
#[derive(Debug, Subcommand)]
pub enum LockCommand {
    /// Print who holds the state lock, since when and until when.
    Show(LockShowArgs),
}

/// LockShowArgs are `lock show`'s flags.
#[derive(Debug, Args)]
pub struct LockShowArgs {
    #[command(flatten)]
    pub common: Common,
    /// Print the lock record as JSON (`null` when the state is not locked).
    #[arg(long)]
    pub json: bool,
}

/// ForceUnlockArgs are `force-unlock`'s flags.
#[derive(Debug, Args)]
pub struct ForceUnlockArgs {
    #[command(flatten)]
    pub common: Common,
    /// The lock ID the lock holder or the lock error printed.
    #[arg(value_name = "LOCK_ID")]
    pub lock_id: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub force: bool,
}

/// DestroyArgs are `destroy`'s flags.
#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub common: Common,
    /// Destroy without asking (for tests and throwaway databases).
    #[arg(long)]
    pub auto_approve: bool,
    /// Ask for input on the terminal; -input=false never asks.
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1,
          default_missing_value = "true", action = ArgAction::Set)]
    pub input: bool,
}

/// Common are the flags every command takes: where the configuration comes from and how to print.
#[derive(Debug, Args)]
pub struct Common {
    /// The env block to use (optional when the config declares exactly one).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The database URL, replacing the env's `url`.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A desired-schema source, replacing the env's (repeatable): file://PATH.
    #[arg(long = "src", value_name = "URL")]
    pub srcs: Vec<String>,
    /// Set a variable declared in the config (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// The config file, instead of strata.hcl in the working directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// No colour in the output (NO_COLOR in the environment does the same).
    #[arg(long)]
    pub no_color: bool,
    /// The local state file, instead of .strata/<env>.state.json beside the config.
    #[arg(long, value_name = "PATH")]
    pub state: Option<String>,
    /// Lock the state while changing it (-lock=false turns locking off).
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1,
          default_missing_value = "true", action = ArgAction::Set)]
    pub lock: bool,
    /// Plan only this object and what it depends on (repeatable), e.g. table.public.users.
    #[arg(long = "target", value_name = "ADDRESS")]
    pub targets: Vec<String>,
    /// Leave this object and what depends on it out of the plan (repeatable).
    #[arg(long = "exclude", value_name = "ADDRESS")]
    pub excludes: Vec<String>,
    /// How long to wait for a state lock another process holds (e.g. 30s, 5m; default 0s).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, default_value = "0s")]
    pub lock_timeout: std::time::Duration,
}

impl Common {
    /// The configuration options these flags give.
    pub fn options(&self) -> config::Options {
        config::Options {
            config: self.config.clone(),
            env: self.env.clone(),
            url: self.url.clone(),
            srcs: self.srcs.clone(),
            vars: self.vars.clone(),
            state: self.state.clone(),
        }
    }
}

/// PlanArgs are `plan`'s flags.
#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Save the plan to FILE, to apply exactly it later with `apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print machine-readable output: one JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Plan only to accept the live form of drifted objects into the state; no DDL.
    #[arg(long)]
    pub refresh_only: bool,
}

/// ApplyArgs are `apply`'s flags.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub common: Common,
    /// Apply without asking for approval.
    #[arg(long)]
    pub auto_approve: bool,
    /// Ask for input on the terminal; -input=false never asks (then -auto-approve is needed).
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1,
          default_missing_value = "true", action = ArgAction::Set)]
    pub input: bool,
    /// A saved plan (plan -out=FILE) to apply exactly, without asking.
    #[arg(value_name = "PLANFILE")]
    pub plan_file: Option<PathBuf>,
    /// Print machine-readable output: one JSON object per line (needs -auto-approve or a plan file).
    #[arg(long)]
    pub json: bool,
    /// Accept the live form of drifted objects into the state; no DDL.
    #[arg(long)]
    pub refresh_only: bool,
    /// Let -auto-approve run destructive and data-losing steps (after reviewing the plan).
    #[arg(long)]
    pub allow_destructive: bool,
}

/// InspectArgs are `inspect`'s flags.
#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    pub format: Format,
}

/// Format is how `inspect` prints the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// SQL DDL in the target's dialect.
    Sql,
    /// The schema model as JSON.
    Json,
}
