//! CLI behaviour: flags, prompts, exit codes, error messages.
