//! Terraform-style flags: `-auto-approve` means `--auto-approve`. clap only knows the two-dash
//! form (clap-rs/clap#1210), so the arguments are rewritten before clap sees them: a token with
//! exactly one leading dash whose name (before any `=`) is a known long flag gets a second dash.
//! Short flags, negative numbers, values and everything after a bare `--` are left alone.

use clap::{Command, CommandFactory};
use std::collections::BTreeSet;
use std::ffi::OsString;

/// Rewrite `args` (program name first) for clap.
pub fn normalise(args: Vec<OsString>) -> Vec<OsString> {
    let longs = long_names(&super::args::Cli::command());
    let mut past_separator = false;
    args.into_iter()
        .enumerate()
        .map(|(i, arg)| {
            if i == 0 || past_separator {
                return arg;
            }
            let Some(text) = arg.to_str() else { return arg };
            if text == "--" {
                past_separator = true;
                return arg;
            }
            match text.strip_prefix('-') {
                Some(rest) if !rest.starts_with('-') && rest.len() > 1 => {
                    let name = rest.split('=').next().unwrap_or(rest);
                    if longs.contains(name) {
                        OsString::from(format!("-{text}"))
                    } else {
                        arg
                    }
                }
                _ => arg,
            }
        })
        .collect()
}

/// Every long flag name and alias of `cmd` and its subcommands, plus clap's own.
fn long_names(cmd: &Command) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["help", "version"].map(String::from).into();
    collect(cmd, &mut names);
    names
}

fn collect(cmd: &Command, names: &mut BTreeSet<String>) {
    for arg in cmd.get_arguments() {
        names.extend(arg.get_long().map(String::from));
        names.extend(
            arg.get_all_aliases()
                .into_iter()
                .flatten()
                .map(String::from),
        );
    }
    for sub in cmd.get_subcommands() {
        collect(sub, names);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{Cli, Command as Cmd};
    use clap::Parser;

    fn norm(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        normalise(args)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn single_dash_long_flags_get_a_second_dash() {
        assert_eq!(
            norm(&[
                "strata",
                "-chdir=x",
                "apply",
                "-auto-approve",
                "-var",
                "a=-b",
                "-input=false"
            ]),
            [
                "strata",
                "--chdir=x",
                "apply",
                "--auto-approve",
                "--var",
                "a=-b",
                "--input=false"
            ]
        );
    }

    #[test]
    fn leaves_short_flags_values_unknown_names_and_the_rest_alone() {
        assert_eq!(
            norm(&[
                "strata", "-h", "plan", "-1", "-nope", "--env", "dev", "--", "-env"
            ]),
            [
                "strata", "-h", "plan", "-1", "-nope", "--env", "dev", "--", "-env"
            ]
        );
    }

    #[test]
    fn is_idempotent() {
        let once = norm(&["strata", "plan", "-detailed-exitcode", "-src=file://a.sql"]);
        let refs: Vec<&str> = once.iter().map(String::as_str).collect();
        assert_eq!(norm(&refs), once);
    }

    #[test]
    fn one_dash_and_two_parse_the_same() {
        let parse = |args: &[&str]| {
            let cli =
                Cli::try_parse_from(normalise(args.iter().map(OsString::from).collect())).unwrap();
            match cli.command {
                Cmd::Apply(a) => (
                    cli.chdir,
                    a.auto_approve,
                    a.input,
                    a.common.env,
                    a.common.vars,
                ),
                other => panic!("parsed {other:?}"),
            }
        };
        assert_eq!(
            parse(&[
                "strata",
                "-chdir=d",
                "apply",
                "-auto-approve",
                "-input=false",
                "-env=dev",
                "-var",
                "x=1"
            ]),
            parse(&[
                "strata",
                "--chdir",
                "d",
                "apply",
                "--auto-approve",
                "--input=false",
                "--env",
                "dev",
                "--var=x=1"
            ])
        );
    }
}
