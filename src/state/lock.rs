//! The state lock: an operating-system lock on `<state>.lock` plus a lock-info record written
//! into that file, so a second process can say who holds it.
//!
//! The OS lock (`File::try_lock`: `flock` on Unix) is what excludes: it dies with its process, so
//! a `kill -9` never leaves a stale lock, and a record left behind by such a process is only
//! information that the next holder overwrites. The file itself is never deleted on release (it
//! is emptied): deleting it would let a waiter that opened the old file and a newcomer that
//! created a new one both "hold" the lock. Only `force-unlock` deletes it, on purpose, and every
//! taker checks that the file it locked is still the one at the path.
//!
//! This module knows nothing about the state's content or format.

use super::file::StateError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// LockInfo describes a held lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Random id; `force-unlock ID` must name it.
    pub id: String,
    /// `apply`, `plan`, `import`, `state rm`, …
    pub operation: String,
    /// `user@host` of the holder.
    pub who: String,
    /// Strata version of the holder.
    pub version: String,
    /// RFC 3339 UTC time the lock was taken.
    pub created: String,
    /// Where the state lives.
    pub path: String,
    /// RFC 3339 UTC time a remote lock lapses unless its holder renews it (the lease). Local
    /// locks die with their process and carry none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The CI job holding the lock, when it runs in one (`CI_JOB_URL`, GitHub's run URL, …),
    /// so a stuck pipeline can be found from `strata lock show`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
}

impl LockInfo {
    /// A lock record for `operation` on the state at `path`, held by this process.
    pub fn new(operation: &str, path: &str) -> LockInfo {
        LockInfo {
            id: uuid::Uuid::new_v4().to_string(),
            operation: operation.to_string(),
            who: super::who(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            path: path.to_string(),
            expires: None,
            ci: ci_job(),
        }
    }

    /// The holder of a lock that left no record (another program, or a holder caught between
    /// taking the lock and writing its record): no ID, so nothing to force-unlock by.
    fn unrecorded(path: &str) -> LockInfo {
        LockInfo {
            id: String::new(),
            operation: "unknown".into(),
            who: "a process that left no lock record".into(),
            version: "unknown".into(),
            created: "an unknown time".into(),
            path: path.to_string(),
            expires: None,
            ci: None,
        }
    }

    /// What to run if the holder is gone or stuck.
    pub fn unlock_hint(&self) -> String {
        if self.id.is_empty() {
            format!(
                "find the process that holds {}.lock (e.g. `fuser -v {}.lock`) and stop it",
                self.path, self.path
            )
        } else {
            format!("strata force-unlock {}", self.id)
        }
    }
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id.is_empty() {
            return write!(f, "held by {}", self.who);
        }
        write!(
            f,
            "held by {} since {} (operation: {}, Strata {}, lock ID {}",
            self.who, self.created, self.operation, self.version, self.id
        )?;
        if let Some(expires) = &self.expires {
            write!(f, ", expires {expires}")?;
        }
        if let Some(ci) = &self.ci {
            write!(f, ", CI job {ci}")?;
        }
        write!(f, ")")
    }
}

/// The CI job this process runs in, from the variables the common CI systems set.
fn ci_job() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(url) = var("CI_JOB_URL").or_else(|| var("BUILD_URL")) {
        return Some(url);
    }
    match (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_RUN_ID"),
    ) {
        (Some(server), Some(repo), Some(run)) => {
            Some(format!("{server}/{repo}/actions/runs/{run}"))
        }
        _ => None,
    }
}

/// LocalLock is a held lock on a local state; dropping it releases the lock.
#[derive(Debug)]
pub struct LocalLock {
    pub info: LockInfo,
    /// The locked lock file; the OS lock lives as long as this handle.
    file: File,
}

impl Drop for LocalLock {
    fn drop(&mut self) {
        // Empty the record first, so nobody reads a released lock as held. Errors cannot be
        // reported from drop, and closing the handle below releases the OS lock regardless.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// The first pause between attempts on a held lock; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Take the lock file at `lock_path` for `operation` on the state at `state_path`, retrying
/// with back-off for up to `timeout` while another process holds it. `on_wait` hears about
/// each distinct holder once.
pub fn acquire(
    lock_path: &Path,
    state_path: &str,
    operation: &str,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<LocalLock, StateError> {
    let deadline = Instant::now() + timeout;
    let mut backoff = FIRST_BACKOFF;
    let mut reported: Option<String> = None;
    loop {
        if let Some(file) = try_take(lock_path)? {
            return hold(file, lock_path, LockInfo::new(operation, state_path));
        }
        let holder = holder_while_held(lock_path, state_path)?;
        let now = Instant::now();
        if now >= deadline {
            return Err(if timeout.is_zero() {
                StateError::Locked(Box::new(holder))
            } else {
                StateError::LockTimeout {
                    holder: Box::new(holder),
                    waited: timeout,
                }
            });
        }
        if reported.as_deref() != Some(holder.id.as_str()) {
            on_wait(&holder);
            reported = Some(holder.id.clone());
        }
        std::thread::sleep(backoff.min(deadline - now));
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One attempt: the locked file, or `None` when another process holds the lock.
fn try_take(lock_path: &Path) -> Result<Option<File>, StateError> {
    let io = |e: std::io::Error| io_error(lock_path, e);
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    // A force-unlock may delete the file between our open and our lock; then the lock we took
    // is on a file nobody else will ever open, so open the new one and try again.
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) if is_current(&file, lock_path) => return Ok(Some(file)),
            Ok(()) => continue,
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// Whether `file` is still the file at `path` (not deleted or replaced since it was opened).
#[cfg(unix)]
fn is_current(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without inode numbers the check cannot be made; an open file cannot be deleted on Windows
/// anyway, which is the case the check guards against.
#[cfg(not(unix))]
fn is_current(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Write our record into the file we just locked.
fn hold(mut file: File, lock_path: &Path, info: LockInfo) -> Result<LocalLock, StateError> {
    let record = record_text(&info);
    let written = file
        .set_len(0)
        .and_then(|()| file.write_all(record.as_bytes()))
        .and_then(|()| file.sync_data());
    match written {
        Ok(()) => Ok(LocalLock { info, file }),
        Err(e) => {
            let _ = file.unlock();
            Err(io_error(lock_path, e))
        }
    }
}

/// The lock-info record as written into the lock file.
fn record_text(info: &LockInfo) -> String {
    let mut text = serde_json::to_string_pretty(info).expect("a lock record serialises");
    text.push('\n');
    text
}

/// The record in the lock file, if there is a readable one (there may be one left by a
/// process that died: the record alone does not say the lock is held).
pub fn record(lock_path: &Path) -> Result<Option<LockInfo>, StateError> {
    match std::fs::read_to_string(lock_path) {
        Ok(text) => Ok(serde_json::from_str(&text).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(lock_path, e)),
    }
}

/// The holder of a lock we just failed to take. Its record may not be written yet (the holder
/// takes the OS lock first), so look a few times before calling it unrecorded.
fn holder_while_held(lock_path: &Path, state_path: &str) -> Result<LockInfo, StateError> {
    for _ in 0..RECORD_LOOKS {
        if let Some(info) = record(lock_path)? {
            return Ok(info);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(LockInfo::unrecorded(state_path))
}

/// How many times to look for a holder's record (20 ms apart).
const RECORD_LOOKS: usize = 10;

/// Unlocked says what `force_unlock` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlocked {
    /// The holder was gone (the OS had released its lock); its leftover record was cleared.
    Stale(LockInfo),
    /// The holder still runs: its lock file was removed so others can proceed, but that
    /// process may still write the state.
    Broken(LockInfo),
}

/// Remove the lock on `state_path` whose record has id `id`; refuses any other id.
pub fn force_unlock(lock_path: &Path, state_path: &str, id: &str) -> Result<Unlocked, StateError> {
    let holder = record(lock_path)?.ok_or_else(|| StateError::NotLocked {
        path: state_path.to_string(),
    })?;
    if holder.id != id {
        return Err(StateError::LockMismatch {
            path: state_path.to_string(),
            given: id.to_string(),
            holder: Box::new(holder),
        });
    }
    match try_take(lock_path)? {
        Some(file) => {
            // Taken: its holder is gone. Dropping the lock empties the record.
            drop(LocalLock {
                info: holder.clone(),
                file,
            });
            Ok(Unlocked::Stale(holder))
        }
        None => {
            std::fs::remove_file(lock_path).map_err(|e| io_error(lock_path, e))?;
            Ok(Unlocked::Broken(holder))
        }
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
