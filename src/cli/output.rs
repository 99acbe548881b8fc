//! How Strata prints: colour only on a terminal (never when piped, with `-no-color`, or with
//! `NO_COLOR` set), and errors through miette on a terminal; off a terminal an error is one plain
//! paragraph (`Error: file:line:column: message`, then any hint), so logs and pipelines get the
//! same facts without box drawing.

use crate::error::Error;
use console::style;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use std::io::IsTerminal;

/// Decide and switch colour for both streams. Returns whether stdout is coloured (the plan
/// renderer takes it as a flag).
pub fn set_colors(no_color_flag: bool) -> bool {
    let allowed = !no_color_flag && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let stdout = allowed && std::io::stdout().is_terminal();
    let stderr = allowed && std::io::stderr().is_terminal();
    console::set_colors_enabled(stdout);
    console::set_colors_enabled_stderr(stderr);
    stdout
}

/// Print an error to stderr. Cancelling at the prompt is not a failure to explain: it gets
/// Terraform's one line.
pub fn print_error(err: &Error) {
    if let Error::Cancelled = err {
        eprintln!("\n{err}");
        return;
    }
    let mut out = String::new();
    let rendered = if std::io::stderr().is_terminal() {
        let theme = if console::colors_enabled_stderr() {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme).render_report(&mut out, err)
    } else {
        out = plain(err);
        Ok(())
    };
    if rendered.is_err() {
        // The renderer only fails on a broken formatter; the message itself still goes out.
        out = format!("Error: {err}\n");
    }
    eprint!("{out}");
}

/// An error as one paragraph of plain text: the message (which carries file:line:column for
/// errors read from files), then the hint, if any.
fn plain(err: &Error) -> String {
    let mut out = format!("Error: {err}\n");
    if let Some(help) = err.help() {
        out.push_str(&format!("Hint: {help}\n"));
    }
    out
}

/// Print a warning to stderr.
pub fn print_warning(warning: &str) {
    eprintln!("{}", style(warning).yellow().for_stderr());
}
