//! Location: where an env's state lives, as its `state { backend = … }` block declares it. It
//! holds names only (bucket, key, region, endpoint, a database URL); credentials always come
//! from the environment of the process that uses it, so a location can be printed, logged and
//! compared without leaking anything.

use crate::target::Target;
use std::path::PathBuf;
use std::time::Duration;

/// Location is one state backend's address.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A file on this machine (the default: `.strata/<env>.state.json`).
    Local(PathBuf),
    /// An object in a bucket (S3 and S3-compatible stores, GCS, Azure Blob).
    Object(ObjectLocation),
    /// A table in a database: the target itself, or the one a `url` names.
    Database(Target),
}

/// ObjectLocation is a state object and the lease of its lock.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectLocation {
    pub store: Store,
    /// Bucket (S3, GCS) or container (Azure).
    pub bucket: String,
    /// The state object's key; the lock is `<key>.lock` beside it.
    pub key: String,
    /// How long a lock lives unless its holder renews it (every third of it while running).
    pub lease: Duration,
}

/// Store is the object-storage service and its service-specific settings.
#[derive(Debug, Clone, PartialEq)]
pub enum Store {
    S3 {
        region: Option<String>,
        /// An S3-compatible server (MinIO, Ceph, R2, …); path-style addressing is used.
        endpoint: Option<String>,
    },
    Gcs,
    Azure {
        /// The storage account; else `AZURE_STORAGE_ACCOUNT_NAME` from the environment.
        account: Option<String>,
    },
}

/// The lease a remote lock gets when the state block sets none.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(300);

impl Location {
    /// The location as messages show it (`s3://bucket/key`, a path, a redacted URL).
    pub fn shown(&self) -> String {
        match self {
            Location::Local(path) => path.display().to_string(),
            Location::Object(o) => o.shown(),
            Location::Database(target) => format!("table strata_state in {}", target.redacted()),
        }
    }
}

impl ObjectLocation {
    /// `s3://bucket/key`, `gs://bucket/key` or `az://container/key`.
    pub fn shown(&self) -> String {
        let scheme = match self.store {
            Store::S3 { .. } => "s3",
            Store::Gcs => "gs",
            Store::Azure { .. } => "az",
        };
        format!("{scheme}://{}/{}", self.bucket, self.key)
    }
}
