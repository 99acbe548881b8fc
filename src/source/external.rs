//! The external source (Atlas's `data "external_schema"`): run a program that prints SQL DDL
//! and read its output like a `.sql` file. Existing Atlas providers (atlas-provider-gorm,
//! -sqlalchemy, …) work unchanged this way.

use crate::error::Error;
use std::path::Path;
use std::process::Command;

/// How many trailing lines of a failing program's stderr a message quotes.
const STDERR_LINES: usize = 10;

/// The origin name errors and conflicts show for the external source `name`.
pub fn origin(name: &str) -> String {
    format!("data.external_schema.{name}")
}

/// Run `program` (no shell: the first element is the executable, the rest its arguments) in
/// `dir` and return what it printed on stdout.
pub fn run(name: &str, program: &[String], dir: &Path) -> Result<String, Error> {
    let source = origin(name);
    let Some((executable, args)) = program.split_first() else {
        return Err(Error::Source(format!(
            "{source}: program is empty; give the command and its arguments"
        )));
    };
    let output = Command::new(executable)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            Error::Source(format!(
                "{source}: cannot run {executable} in {}: {e}",
                dir.display()
            ))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(STDERR_LINES)..].join("\n");
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => format!("{} (killed by a signal)", output.status),
        };
        let said = if tail.trim().is_empty() {
            " and printed nothing on stderr".to_string()
        } else {
            format!("; stderr ends with:\n{tail}")
        };
        return Err(Error::Source(format!(
            "{source}: `{}` failed with {status}{said}",
            program.join(" ")
        )));
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Error::Source(format!(
            "{source}: the program printed text that is not UTF-8"
        ))
    })
}
