//! The local backend: one state file (`.strata/<env>.state.json` by default), written
//! atomically, with the previous version kept as `<name>.backup` and a lock on `<name>.lock`.
//!
//! Atomic means a reader (or a crash) sees either the old file or the new one, never a mix:
//! the new text goes to a temporary file in the same directory, is flushed to disk, and is
//! renamed over the old one; then the directory is flushed so the rename itself survives a
//! power cut.

mod atomic;

use super::State;
use super::file::{StateError, decode, encode};
use super::lock::{self, LockInfo, Unlocked};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use super::lock::LocalLock;

/// LocalBackend keeps the state in one file.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    pub path: PathBuf,
}

impl LocalBackend {
    /// Read the state; `None` when there is none yet.
    pub fn read(&self) -> Result<Option<State>, StateError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => decode(&text, &self.shown()).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&self.path, e)),
        }
    }

    /// Write the state atomically, first keeping the file it replaces as `<name>.backup`.
    /// Writing the same text again changes nothing (and so keeps the backup as it was).
    pub fn write(&self, state: &State) -> Result<(), StateError> {
        let text = encode(state);
        match std::fs::read(&self.path) {
            Ok(previous) if previous == text.as_bytes() => return Ok(()),
            Ok(previous) => {
                let backup = self.sibling("backup");
                atomic::write(&backup, &previous).map_err(|e| io_error(&backup, e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&self.path, e)),
        }
        atomic::write(&self.path, text.as_bytes()).map_err(|e| io_error(&self.path, e))
    }

    /// Copy the current state file to `<name>.<UTC timestamp>.backup` before a command that
    /// changes it by hand (`state rm`, `state push`); returns the copy's path, or `None` when
    /// there is no state yet.
    pub fn backup_timestamped(&self) -> Result<Option<PathBuf>, StateError> {
        let previous = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&self.path, e)),
        };
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut copy = self.sibling(&format!("{stamp}.backup"));
        // Two changes within one second keep both copies.
        let mut n = 1;
        while copy.exists() {
            n += 1;
            copy = self.sibling(&format!("{stamp}-{n}.backup"));
        }
        atomic::write(&copy, &previous).map_err(|e| io_error(&copy, e))?;
        Ok(Some(copy))
    }

    /// Take the lock for `operation`, waiting up to `timeout` (calling `on_wait` with the
    /// holder's record once per holder while waiting).
    pub fn lock(
        &self,
        operation: &str,
        timeout: Duration,
        on_wait: &mut dyn FnMut(&LockInfo),
    ) -> Result<LocalLock, StateError> {
        lock::acquire(
            &self.lock_path(),
            &self.shown(),
            operation,
            timeout,
            on_wait,
        )
    }

    /// The record in the lock file: who holds the lock, or who held it last and died
    /// holding it. `None` when nobody has locked the state.
    pub fn lock_record(&self) -> Result<Option<LockInfo>, StateError> {
        lock::record(&self.lock_path())
    }

    /// Remove the lock whose ID is `id` (`strata force-unlock`).
    pub fn force_unlock(&self, id: &str) -> Result<Unlocked, StateError> {
        lock::force_unlock(&self.lock_path(), &self.shown(), id)
    }

    /// The lock file: `<name>.lock` beside the state.
    pub fn lock_path(&self) -> PathBuf {
        self.sibling("lock")
    }

    /// `<name>.<suffix>` beside the state file.
    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(suffix);
        self.path.with_file_name(name)
    }

    /// The state's path as messages show it.
    fn shown(&self) -> String {
        self.path.display().to_string()
    }
}

fn io_error(path: &Path, e: std::io::Error) -> StateError {
    StateError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
