//! The approval question, as Terraform asks it: only a typed `yes` approves. It is only asked
//! on a terminal; without one (a pipeline) apply refuses unless `-auto-approve` was given, so
//! nothing is ever applied by an unattended `yes | strata apply`-style accident of input.

use crate::error::Error;
use std::io::{BufRead, IsTerminal, Write};

/// Ask whether to apply. `Ok(())` means approved; `Err(Error::Cancelled)` anything else.
/// `input` is false with `-input=false`.
pub fn approve(input: bool) -> Result<(), Error> {
    ask(
        input,
        "Apply",
        "\nDo you want to perform these actions?\n  Strata will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
        "yes",
    )
}

/// Ask `question` on the terminal; only the exact `expected` answer approves. `what` names the
/// operation in the refusal when there is no terminal to ask on.
pub fn ask(input: bool, what: &str, question: &str, expected: &str) -> Result<(), Error> {
    if !input || !std::io::stdin().is_terminal() {
        let why = if input {
            "stdin is not a terminal"
        } else {
            "-input=false was given"
        };
        return Err(Error::Apply(format!(
            "{what} needs approval, but cannot ask for it ({why}); nothing was changed. Re-run with -auto-approve to proceed without asking."
        )));
    }
    let mut stdout = std::io::stdout();
    write!(stdout, "{question}")
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Io(format!("cannot write the prompt: {e}")))?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Io(format!("cannot read the answer: {e}")))?;
    if answer.trim_end_matches(['\r', '\n']) == expected {
        Ok(())
    } else {
        Err(Error::Cancelled)
    }
}
