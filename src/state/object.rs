//! The object-storage backend: the state is one object (`key`), its lock another beside it
//! (`<key>.lock`), in S3 (or an S3-compatible store), GCS or Azure Blob.
//!
//! Safety rests on the stores' conditional writes, not on clocks or luck: the lock object is
//! created only if absent (`PutMode::Create`, If-None-Match: *), and the state is written only
//! over the version that was read (`PutMode::Update`, If-Match: etag / generation match), so two
//! writers can never both succeed from the same starting point, locked or not. A store that
//! cannot write conditionally is refused with a message rather than used unsafely.

mod lease;
mod store;

pub use lease::Lease;
/// The client crate, for tools and tests that talk to the same store.
pub use object_store;

use super::State;
use super::backend::Version;
use super::file::{StateError, decode, encode};
use super::location::ObjectLocation;
use super::lock::{LockInfo, Unlocked};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, UpdateVersion};
use std::sync::Arc;
use std::time::Duration;

/// ObjectBackend keeps the state in an object store.
pub struct ObjectBackend {
    location: ObjectLocation,
    store: Arc<dyn ObjectStore>,
    /// A second client for the lease thread, which runs its own runtime: connections are tied
    /// to the runtime that opened them, so the two never share one.
    lease_store: Arc<dyn ObjectStore>,
}

impl ObjectBackend {
    /// The backend for `location`, with clients configured from the environment.
    pub fn open(location: ObjectLocation) -> Result<ObjectBackend, StateError> {
        Ok(ObjectBackend {
            store: store::connect(&location)?,
            lease_store: store::connect(&location)?,
            location,
        })
    }

    /// The backend over a given store (one that holds no connections, such as `InMemory`).
    pub fn with_store(location: ObjectLocation, store: Arc<dyn ObjectStore>) -> ObjectBackend {
        ObjectBackend {
            lease_store: store.clone(),
            store,
            location,
        }
    }

    /// `s3://bucket/key` and the like.
    pub fn shown(&self) -> String {
        self.location.shown()
    }

    fn state_path(&self) -> Path {
        Path::from(self.location.key.as_str())
    }

    fn lock_path(&self) -> Path {
        Path::from(format!("{}.lock", self.location.key))
    }

    /// The state and its version; `None` (and [`Version::Absent`]) when there is none yet.
    pub async fn read(&self) -> Result<(Option<State>, Version), StateError> {
        match self.read_raw().await? {
            None => Ok((None, Version::Absent)),
            Some((text, version)) => Ok((Some(decode(&text, &self.shown())?), version)),
        }
    }

    /// The state object's text and version, undecoded.
    async fn read_raw(&self) -> Result<Option<(String, Version)>, StateError> {
        let got = match self.store.get(&self.state_path()).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(self.remote("reading the state", e)),
        };
        let version = Version::Object {
            e_tag: got.meta.e_tag.clone(),
            version: got.meta.version.clone(),
        };
        let bytes = got
            .bytes()
            .await
            .map_err(|e| self.remote("reading the state", e))?;
        Ok(Some((
            String::from_utf8_lossy(&bytes).into_owned(),
            version,
        )))
    }

    /// Write the state over `replaces`: created if there was none, else only if the object is
    /// still the version read.
    pub async fn write(&self, state: &State, replaces: &Version) -> Result<Version, StateError> {
        let mode = match replaces {
            Version::Absent => PutMode::Create,
            Version::Object { e_tag, version } => PutMode::Update(UpdateVersion {
                e_tag: e_tag.clone(),
                version: version.clone(),
            }),
            Version::Unchecked | Version::Row(_) => PutMode::Overwrite,
        };
        let body = encode(state);
        let put = self
            .store
            .put_opts(
                &self.state_path(),
                body.clone().into(),
                PutOptions::from(mode),
            )
            .await;
        match put {
            Ok(done) => Ok(Version::Object {
                e_tag: done.e_tag,
                version: done.version,
            }),
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::AlreadyExists { .. }) => {
                // The client retries a request whose response was lost (a timeout, a dropped
                // connection); when the first attempt had landed, the retry's condition fails
                // against our own write. The object then holds exactly these bytes: no
                // other writer's state can (its history names another time and process).
                match self.read_raw().await? {
                    Some((text, version)) if text == body => Ok(version),
                    _ => Err(StateError::Stale {
                        version: format!("it was written over {replaces}"),
                    }),
                }
            }
            Err(e @ object_store::Error::NotImplemented { .. }) => Err(self.unconditional(e)),
            Err(e) => Err(self.remote("writing the state", e)),
        }
    }

    /// Copy the state object to `<key>.<UTC timestamp>.backup`.
    pub async fn backup_timestamped(&self) -> Result<Option<String>, StateError> {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let copy = Path::from(format!("{}.{stamp}.backup", self.location.key));
        match self.store.copy(&self.state_path(), &copy).await {
            Ok(()) => Ok(Some(copy.to_string())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.remote("backing up the state", e)),
        }
    }

    /// Take the lock object, waiting up to `timeout` (see [`lease`]).
    pub async fn lock(
        &self,
        operation: &str,
        timeout: Duration,
        on_wait: &mut dyn FnMut(&LockInfo),
    ) -> Result<Lease, StateError> {
        let info = LockInfo::new(operation, &self.shown());
        lease::acquire(self, info, timeout, on_wait).await
    }

    /// The lock object's record and its version, if there is a lock.
    async fn lock_object(&self) -> Result<Option<(LockInfo, UpdateVersion)>, StateError> {
        let got = match self.store.get(&self.lock_path()).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(self.remote("reading the lock", e)),
        };
        let version = UpdateVersion {
            e_tag: got.meta.e_tag.clone(),
            version: got.meta.version.clone(),
        };
        let bytes = got
            .bytes()
            .await
            .map_err(|e| self.remote("reading the lock", e))?;
        let info = serde_json::from_slice(&bytes).map_err(|e| StateError::Remote {
            location: self.lock_path().to_string(),
            reason: format!(
                "the lock object is not a Strata lock record ({e}); remove it by hand once you are sure nobody works on the state"
            ),
        })?;
        Ok(Some((info, version)))
    }

    /// The current lock record, if any.
    pub async fn lock_record(&self) -> Result<Option<LockInfo>, StateError> {
        Ok(self.lock_object().await?.map(|(info, _)| info))
    }

    /// Delete the lock whose ID is `id`: stale if its lease had run out, broken otherwise.
    pub async fn force_unlock(&self, id: &str) -> Result<Unlocked, StateError> {
        let (holder, _) = self
            .lock_object()
            .await?
            .ok_or_else(|| StateError::NotLocked { path: self.shown() })?;
        if holder.id != id {
            return Err(StateError::LockMismatch {
                path: self.shown(),
                given: id.to_string(),
                holder: Box::new(holder),
            });
        }
        self.store
            .delete(&self.lock_path())
            .await
            .map_err(|e| self.remote("removing the lock", e))?;
        Ok(if lease::expired(&holder) {
            Unlocked::Stale(holder)
        } else {
            Unlocked::Broken(holder)
        })
    }

    fn remote(&self, doing: &str, e: object_store::Error) -> StateError {
        StateError::Remote {
            location: self.shown(),
            reason: format!("{doing} failed: {e}"),
        }
    }

    /// The error for a store without conditional writes.
    fn unconditional(&self, e: object_store::Error) -> StateError {
        StateError::Remote {
            location: self.shown(),
            reason: format!(
                "this store does not support conditional writes ({e}), so Strata can neither lock the state nor protect it from concurrent writers. Enable conditional puts on the store (for S3: unset AWS_CONDITIONAL_PUT or set it to `etag`)"
            ),
        }
    }
}

#[cfg(test)]
mod tests;
