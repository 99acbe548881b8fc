//! The on-disk state format, documented in state-format.md: versioned, canonical, checksummed
//! JSON.
//!
//! Reading sniffs `format_version` before anything else (a tiny struct that every version
//! shares), refuses a format newer than this Strata reads, decodes the version it found
//! (verifying that version's checksum) and upgrades it step by step to the current one. Writing
//! always produces the current version in canonical form, so a state read and written again is
//! the same bytes. This module knows nothing about where a state file lives or how it is locked
//! (that is `local` and `lock`).
//!
//! Adding format 2 means: a `version2` module holding the new current file type, an
//! `upgrade` function on `version1::File` that yields it, one more arm in [`decode`] that
//! reads a 1 and upgrades it, and [`FORMAT_VERSION`] = 2 (Terraform's statefile/version*.go
//! chain).

mod canonical;
mod version1;

use super::State;
use super::lock::LockInfo;
use serde::Deserialize;
use std::time::Duration;

/// The format version this Strata writes, and the newest it reads.
pub const FORMAT_VERSION: u64 = 1;

/// StateError is a state that cannot be read, written or locked.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file is not a state this or any Strata wrote intact (truncated, not JSON, edited by
    /// hand, or missing fields). `path` names it; the message says how to recover.
    #[error(
        "state file {path} cannot be used: {reason}. Strata will not read a damaged state; restore the previous version from {path}.backup (or a timestamped {path}.*.backup beside it), or replace it with a good copy through `strata state push FILE`"
    )]
    Corrupt { path: String, reason: String },
    /// The file was written by a newer Strata, in a format this one cannot read.
    #[error(
        "state file {path} was written by Strata {written_by}, format {format}; this Strata ({ours}) reads formats up to {FORMAT_VERSION}: upgrade Strata to use this state",
        ours = env!("CARGO_PKG_VERSION")
    )]
    Newer {
        path: String,
        written_by: String,
        format: u64,
    },
    /// Reading or writing a state or lock file failed at the operating-system level.
    #[error("state file {path}: {reason}")]
    Io { path: String, reason: String },
    /// Another process holds the lock and no waiting was asked for (`-lock-timeout` is 0).
    #[error(
        "the state is locked: {0}. Wait for it to finish, retry with -lock-timeout=DURATION to wait for it, or, if that process is gone or stuck: {hint}",
        hint = .0.unlock_hint()
    )]
    Locked(Box<LockInfo>),
    /// Another process still held the lock after waiting `-lock-timeout`.
    #[error(
        "the state is still locked after waiting {waited:?}: {holder}. Retry later or with a longer -lock-timeout, or, if that process is gone or stuck: {hint}",
        hint = .holder.unlock_hint()
    )]
    LockTimeout {
        holder: Box<LockInfo>,
        waited: Duration,
    },
    /// `force-unlock` named a lock that is not the one held.
    #[error(
        "lock ID {given} does not match the lock on {path} ({holder}); force-unlock only removes the lock it names: check the ID in the lock error and retry"
    )]
    LockMismatch {
        path: String,
        given: String,
        holder: Box<LockInfo>,
    },
    /// A compare-and-swap write found a newer state than the one read: another process wrote
    /// it in between (typically one that ran with `-lock=false`).
    #[error(
        "the state was changed by another process since it was read ({version}); this write was refused so that neither update is lost. Run the command again: it reads the newer state first"
    )]
    Stale { version: String },
    /// A remote backend (object store, database) failed after its own retries.
    #[error("state backend {location}: {reason}")]
    Remote { location: String, reason: String },
    /// `force-unlock` on a state nobody has locked.
    #[error("the state at {path} is not locked: there is nothing to unlock")]
    NotLocked { path: String },
}

impl StateError {
    /// True when the error is a lock held by another process (the lock-timeout exit code).
    pub fn is_lock_held(&self) -> bool {
        matches!(self, StateError::Locked(_) | StateError::LockTimeout { .. })
    }
}

impl From<StateError> for crate::error::Error {
    fn from(e: StateError) -> crate::error::Error {
        if e.is_lock_held() {
            crate::error::Error::Locked(e.to_string())
        } else {
            crate::error::Error::State(e.to_string())
        }
    }
}

/// Encode a state as its file text: the current format, canonical, with its checksum.
pub fn encode(state: &State) -> String {
    version1::encode(state)
}

/// Sniff is the part every format version shares, read before anything else.
#[derive(Deserialize)]
struct Sniff {
    format_version: Option<u64>,
    tool_version: Option<String>,
}

/// Decode a state file's text (any format this Strata reads, upgraded to the current one);
/// `path` names the file in errors.
pub fn decode(text: &str, path: &str) -> Result<State, StateError> {
    let corrupt = |reason: String| StateError::Corrupt {
        path: path.to_string(),
        reason,
    };
    let sniff: Sniff = serde_json::from_str(text).map_err(|e| corrupt(not_json(&e)))?;
    let version = sniff
        .format_version
        .ok_or_else(|| corrupt("it has no format_version, so it is not a Strata state".into()))?;
    match version {
        1 => version1::decode(text).map_err(corrupt),
        newer if newer > FORMAT_VERSION => Err(StateError::Newer {
            path: path.to_string(),
            written_by: sniff.tool_version.unwrap_or_else(|| "(unknown)".into()),
            format: newer,
        }),
        other => Err(corrupt(format!(
            "format_version {other} was never written by any Strata"
        ))),
    }
}

/// Why text is not a state: truncation reads differently from other JSON errors.
fn not_json(e: &serde_json::Error) -> String {
    if e.is_eof() {
        format!("it ends early ({e}), so it was truncated")
    } else {
        format!("it is not valid JSON ({e})")
    }
}

#[cfg(test)]
mod tests;
