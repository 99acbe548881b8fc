//! The lock object and its lease. Taking the lock creates `<key>.lock` only if it is absent; the
//! record in it says who holds it and until when (`expires`). A holder renews the lease every
//! third of its length from a thread of its own, so a long apply keeps it; a holder that dies
//! (`kill -9`, a lost runner) stops renewing, and once the lease has run out the next taker
//! replaces the record — conditionally on the version it read, so of several takers exactly
//! one wins — and says whose lock it took over.
//!
//! Expiry compares the holder's `expires` with this machine's clock, so clocks that disagree by
//! more than a small part of the lease shorten or lengthen it; the state itself stays safe
//! either way, because it is written by compare-and-swap.

use super::ObjectBackend;
use crate::state::file::StateError;
use crate::state::lock::LockInfo;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, UpdateVersion};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The first pause between attempts on a held lock; it doubles up to [`MAX_BACKOFF`], with
/// jitter so that many waiters do not retry in step.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Lease is a held lock object, renewed until it is dropped; dropping it deletes the lock.
pub struct Lease {
    pub info: LockInfo,
    /// Dropped (or sent to) to stop renewing and release.
    stop: Option<mpsc::Sender<()>>,
    renewer: Option<JoinHandle<()>>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(renewer) = self.renewer.take() {
            // The thread deletes the lock before it ends; waiting for it means the lock is gone
            // when the command exits.
            let _ = renewer.join();
        }
    }
}

/// Whether a lock record's lease has run out.
pub fn expired(info: &LockInfo) -> bool {
    info.expires
        .as_deref()
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok())
        .is_some_and(|e| e < chrono::Utc::now())
}

/// Take the lock for `info`, retrying with back-off for up to `timeout` while another process
/// holds it; an expired lock is taken over.
pub async fn acquire(
    backend: &ObjectBackend,
    mut info: LockInfo,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&LockInfo),
) -> Result<Lease, StateError> {
    let lease = backend.location.lease;
    let path = backend.lock_path();
    let deadline = Instant::now() + timeout;
    let mut backoff = FIRST_BACKOFF;
    let mut reported: Option<String> = None;
    loop {
        info.expires = Some(expiry(lease));
        let created = put(backend, &path, &info, PutMode::Create).await;
        match created {
            Ok(version) => return Ok(start(backend, info, version)),
            Err(object_store::Error::AlreadyExists { .. })
            | Err(object_store::Error::Precondition { .. }) => {}
            Err(e @ object_store::Error::NotImplemented { .. }) => {
                return Err(backend.unconditional(e));
            }
            Err(e) => return Err(backend.remote("creating the lock", e)),
        }
        // Held (or just released: then the next round creates it).
        let Some((holder, version)) = backend.lock_object().await? else {
            continue;
        };
        // Our own record: the create landed, but its response was lost and the client's
        // retry found the object it had just made.
        if holder.id == info.id {
            return Ok(start(backend, holder, version));
        }
        if expired(&holder) {
            match put(backend, &path, &info, PutMode::Update(version)).await {
                Ok(version) => {
                    eprintln!(
                        "The state lock {holder} expired without being renewed (its holder is gone or stuck): taking it over."
                    );
                    return Ok(start(backend, info, version));
                }
                // Another taker was faster, or the holder renewed after all.
                Err(object_store::Error::Precondition { .. })
                | Err(object_store::Error::NotFound { .. }) => continue,
                Err(e) => return Err(backend.remote("taking over the expired lock", e)),
            }
        }
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
        tokio::time::sleep(jitter(backoff).min(deadline - now)).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Write the lock record with `mode`; the new version on success.
async fn put(
    backend: &ObjectBackend,
    path: &Path,
    info: &LockInfo,
    mode: PutMode,
) -> object_store::Result<UpdateVersion> {
    put_with(backend.store.as_ref(), path, info, mode).await
}

async fn put_with(
    store: &dyn ObjectStore,
    path: &Path,
    info: &LockInfo,
    mode: PutMode,
) -> object_store::Result<UpdateVersion> {
    let mut text = serde_json::to_string_pretty(info).expect("a lock record serialises");
    text.push('\n');
    store
        .put_opts(path, text.into(), PutOptions::from(mode))
        .await
        .map(UpdateVersion::from)
}

/// RFC 3339 UTC time `lease` from now.
fn expiry(lease: Duration) -> String {
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
    (chrono::Utc::now() + lease).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Between half and all of `pause`, at random.
fn jitter(pause: Duration) -> Duration {
    let random = uuid::Uuid::new_v4().as_u128() % 1000;
    pause / 2 + pause / 2 * (random as u32) / 1000
}

/// Start renewing the lock we just took.
fn start(backend: &ObjectBackend, info: LockInfo, version: UpdateVersion) -> Lease {
    let (stop, stopped) = mpsc::channel();
    let renewal = Renewal {
        store: backend.lease_store.clone(),
        path: backend.lock_path(),
        lease: backend.location.lease,
        info: info.clone(),
        version,
    };
    let renewer = std::thread::Builder::new()
        .name("strata-lock-lease".into())
        .spawn(move || renewal.run(stopped))
        .ok();
    if renewer.is_none() {
        eprintln!(
            "Warning: cannot start the thread that renews the state lock; it will expire at {}.",
            info.expires.as_deref().unwrap_or("?")
        );
    }
    Lease {
        info,
        stop: Some(stop),
        renewer,
    }
}

/// Renewal is the lease thread's work: renew every third of the lease, release at the end.
struct Renewal {
    store: Arc<dyn ObjectStore>,
    path: Path,
    lease: Duration,
    info: LockInfo,
    version: UpdateVersion,
}

impl Renewal {
    fn run(mut self, stopped: mpsc::Receiver<()>) {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            eprintln!("Warning: cannot renew or release the state lock (no async runtime).");
            return;
        };
        let mut lost = false;
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(self.lease / 3) {
            if !lost {
                lost = !runtime.block_on(self.renew());
            }
        }
        if !lost {
            runtime.block_on(self.release());
        }
    }

    /// Push `expires` forward; false when the lock is no longer ours.
    async fn renew(&mut self) -> bool {
        self.info.expires = Some(expiry(self.lease));
        let mode = PutMode::Update(self.version.clone());
        match put_with(self.store.as_ref(), &self.path, &self.info, mode).await {
            Ok(version) => {
                self.version = version;
                true
            }
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::NotFound { .. }) => {
                eprintln!(
                    "Warning: the state lock {} was removed or taken over by another process (force-unlock, or its lease ran out while this process was stalled). The state is still written only over the version this process read.",
                    self.info.id
                );
                false
            }
            Err(e) => {
                eprintln!("Warning: renewing the state lock failed ({e}); retrying.");
                true
            }
        }
    }

    /// Delete the lock if it is still ours.
    async fn release(&self) {
        let ours = match self.store.get(&self.path).await {
            Ok(got) => got
                .bytes()
                .await
                .ok()
                .and_then(|b| serde_json::from_slice::<LockInfo>(&b).ok())
                .is_some_and(|held| held.id == self.info.id),
            Err(_) => false,
        };
        if ours && let Err(e) = self.store.delete(&self.path).await {
            eprintln!(
                "Warning: releasing the state lock failed ({e}); it expires at {}, or run: strata force-unlock {}",
                self.info.expires.as_deref().unwrap_or("?"),
                self.info.id
            );
        }
    }
}
