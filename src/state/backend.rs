//! Backend: one interface over the places a state can live — a local file, an object in a
//! bucket, a table in a database — so that commands read, lock and write a state without
//! knowing where it is.
//!
//! Every read returns a [`Version`] token, and every write names the version it replaces: the
//! remote backends refuse a write whose version is no longer current (compare-and-swap), so a
//! writer that skipped the lock (`-lock=false`) cannot silently overwrite a newer state. The
//! local backend relies on its OS lock and accepts any version, as it always has.

use super::State;
use super::database::{DatabaseBackend, DatabaseLock};
use super::file::StateError;
use super::local::{LocalBackend, LocalLock};
use super::location::Location;
use super::lock::{LockInfo, Unlocked};
#[cfg(feature = "cloud")]
use super::object::{Lease, ObjectBackend};
use std::time::Duration;

/// Backend is where one env's state lives.
pub enum Backend {
    Local(LocalBackend),
    #[cfg(feature = "cloud")]
    Object(ObjectBackend),
    Database(DatabaseBackend),
}

/// Version identifies the state a read returned, for the compare-and-swap of the next write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// Any version may be replaced (the local backend, whose OS lock serialises writers).
    Unchecked,
    /// There was no state: the write must create it.
    Absent,
    /// An object's entity tag and, where the store has them, its version or generation.
    Object {
        e_tag: Option<String>,
        version: Option<String>,
    },
    /// The database backend's row version.
    Row(i64),
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Version::Unchecked => write!(f, "any version"),
            Version::Absent => write!(f, "no state yet"),
            Version::Object { e_tag, version } => match (e_tag, version) {
                (Some(tag), _) => write!(f, "etag {tag}"),
                (None, Some(v)) => write!(f, "version {v}"),
                (None, None) => write!(f, "unversioned object"),
            },
            Version::Row(v) => write!(f, "row version {v}"),
        }
    }
}

/// Guard is a held state lock; dropping it releases the lock.
pub enum Guard {
    Local(LocalLock),
    #[cfg(feature = "cloud")]
    Object(Lease),
    Database(DatabaseLock),
}

impl Guard {
    /// The lock's record.
    pub fn info(&self) -> &LockInfo {
        match self {
            Guard::Local(l) => &l.info,
            #[cfg(feature = "cloud")]
            Guard::Object(l) => &l.info,
            Guard::Database(l) => &l.info,
        }
    }

    /// Release the lock now (dropping it does the same; this reads better at a call site).
    pub fn release(self) {
        drop(self);
    }
}

impl Backend {
    /// The backend for `location`. Object stores get a client configured from the environment;
    /// nothing connects until the first read.
    pub fn open(location: &Location, env: &str) -> Result<Backend, StateError> {
        match location {
            Location::Local(path) => Ok(Backend::Local(LocalBackend { path: path.clone() })),
            #[cfg(feature = "cloud")]
            Location::Object(o) => ObjectBackend::open(o.clone()).map(Backend::Object),
            #[cfg(not(feature = "cloud"))]
            Location::Object(o) => Err(StateError::Remote {
                location: o.shown(),
                reason: "this Strata was built without the `cloud` feature, so it cannot use object storage: install a build with it (the default)".into(),
            }),
            Location::Database(target) => Ok(Backend::Database(DatabaseBackend::new(target, env))),
        }
    }

    /// Where the state lives, as messages show it.
    pub fn shown(&self) -> String {
        match self {
            Backend::Local(b) => b.path.display().to_string(),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.shown(),
            Backend::Database(b) => b.shown(),
        }
    }

    /// The state and its version; `None` when there is no state yet.
    pub async fn read(&self) -> Result<(Option<State>, Version), StateError> {
        match self {
            // Parsed on a blocking thread: at a thousand tables that takes as long as a catalog
            // query, and a plan inspects on the runtime's one thread meanwhile.
            Backend::Local(b) => {
                let local = b.clone();
                tokio::task::spawn_blocking(move || local.read())
                    .await
                    .map_err(|e| StateError::Io {
                        path: b.path.display().to_string(),
                        reason: format!("reading the state stopped: {e}"),
                    })?
                    .map(|s| (s, Version::Unchecked))
            }
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.read().await,
            Backend::Database(b) => b.read().await,
        }
    }

    /// Write `state` over the version `replaces` (refused with [`StateError::Stale`] when
    /// another process wrote in between); returns the new version.
    pub async fn write(&self, state: &State, replaces: &Version) -> Result<Version, StateError> {
        match self {
            Backend::Local(b) => b.write(state).map(|()| Version::Unchecked),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.write(state, replaces).await,
            Backend::Database(b) => b.write(state, replaces).await,
        }
    }

    /// Keep a copy of the current state before a hand-made change (`state push`, `state rm`);
    /// returns where it went, or `None` when there is no state yet.
    pub async fn backup_timestamped(&self) -> Result<Option<String>, StateError> {
        match self {
            Backend::Local(b) => b
                .backup_timestamped()
                .map(|p| p.map(|p| p.display().to_string())),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.backup_timestamped().await,
            // Every write keeps the rows of the versions it replaced (see `database`).
            Backend::Database(b) => b.backup_timestamped().await,
        }
    }

    /// Take the lock for `operation`, waiting up to `timeout`; `on_wait` hears about each
    /// holder once while waiting.
    pub async fn lock(
        &self,
        operation: &str,
        timeout: Duration,
        on_wait: &mut dyn FnMut(&LockInfo),
    ) -> Result<Guard, StateError> {
        match self {
            Backend::Local(b) => b.lock(operation, timeout, on_wait).map(Guard::Local),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.lock(operation, timeout, on_wait).await.map(Guard::Object),
            Backend::Database(b) => b
                .lock(operation, timeout, on_wait)
                .await
                .map(Guard::Database),
        }
    }

    /// The current lock record, if any (for a local state, possibly one left by a process
    /// that died: its OS lock is gone, the record is information only).
    pub async fn lock_record(&self) -> Result<Option<LockInfo>, StateError> {
        match self {
            Backend::Local(b) => b.lock_record(),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.lock_record().await,
            Backend::Database(b) => b.lock_record().await,
        }
    }

    /// Remove the lock whose ID is `id` (`strata force-unlock`).
    pub async fn force_unlock(&self, id: &str) -> Result<Unlocked, StateError> {
        match self {
            Backend::Local(b) => b.force_unlock(id),
            #[cfg(feature = "cloud")]
            Backend::Object(b) => b.force_unlock(id).await,
            Backend::Database(b) => b.force_unlock(id).await,
        }
    }
}
