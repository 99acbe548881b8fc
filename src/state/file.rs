//! The on-disk state format (documented in state-format.md). Placeholder encoding until the
//! versioned, checksummed format lands.

use super::State;

/// StateError is a state that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state {path}: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("state {path}: {reason}")]
    Io { path: String, reason: String },
    #[error(
        "the state is locked by {} since {} (operation: {}, lock ID {}).\nWait for it to finish, retry with -lock-timeout=DURATION, or if that process is gone: strata force-unlock {}",
        .0.who, .0.created, .0.operation, .0.id, .0.id
    )]
    Locked(super::lock::LockInfo),
}

/// Encode a state as its file text.
pub fn encode(state: &State) -> String {
    serde_json::to_string_pretty(state).unwrap_or_default()
}

/// Decode a state file's text; `path` names it in errors.
pub fn decode(text: &str, path: &str) -> Result<State, StateError> {
    serde_json::from_str(text).map_err(|e| StateError::Corrupt {
        path: path.into(),
        reason: e.to_string(),
    })
}
