//! The local backend: a JSON file beside the config (placeholder until atomic writes, backups
//! and locking land).

use super::State;
use super::file::{StateError, decode, encode};
use std::path::PathBuf;

/// LocalBackend keeps the state in one file.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    pub path: PathBuf,
}

impl LocalBackend {
    /// Read the state; `None` when there is none yet.
    pub fn read(&self) -> Result<Option<State>, StateError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => decode(&text, &self.path.display().to_string()).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StateError::Io {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// Write the state.
    pub fn write(&self, state: &State) -> Result<(), StateError> {
        let io = |e: std::io::Error| StateError::Io {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&self.path, encode(state)).map_err(io)
    }
}

/// LocalLock is a held lock on a local state; dropping it releases the lock.
#[derive(Debug)]
pub struct LocalLock {
    pub info: super::lock::LockInfo,
}

impl LocalBackend {
    /// Take the lock for `operation`, waiting up to `timeout` (calling `on_wait` with the
    /// holder's record while waiting).
    pub fn lock(
        &self,
        operation: &str,
        _timeout: std::time::Duration,
        _on_wait: &mut dyn FnMut(&super::lock::LockInfo),
    ) -> Result<LocalLock, StateError> {
        Ok(LocalLock {
            info: super::lock::LockInfo::new(operation, &self.path.display().to_string()),
        })
    }
}
