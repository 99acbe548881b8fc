//! Command line: Terraform's habits (single- or double-dash long flags, `-chdir`, exit codes).

/// Run the CLI with the process arguments; returns the exit code.
pub fn main() -> i32 {
    0
}
