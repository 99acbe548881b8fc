//! Location: where an env's state lives, as its `state { backend = … }` block declares it. It
//! holds names only (bucket, key, region, endpoint, a database URL); credentials always come
//! from the environment of the process that uses it, so a location can be printed, logged and
//! compared without leaking anything.

use crate::target::Target;
use std::path::{Path, PathBuf};
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

impl Location {
    /// A location written on the command line (`init -migrate-state -from-state=…`):
    /// `s3://BUCKET/KEY?region=…&endpoint=…`, `gs://BUCKET/KEY`, `az://CONTAINER/KEY?account=…`,
    /// `database` (the env's own database, `target`), a database URL, or else a file path
    /// relative to `dir`.
    pub fn parse(text: &str, target: &Target, dir: &Path) -> Result<Location, String> {
        let scheme = text.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            _ if text == "database" => Ok(Location::Database(target.clone())),
            Some("s3" | "gs" | "az") => ObjectLocation::parse(text).map(Location::Object),
            Some("postgres" | "postgresql" | "mysql" | "mariadb" | "sqlite") => {
                Target::parse(text, dir)
                    .map(Location::Database)
                    .map_err(|e| e.to_string())
            }
            _ => Ok(Location::Local(dir.join(text))),
        }
    }
}

impl ObjectLocation {
    /// `s3://BUCKET/KEY` (with `region` and `endpoint` as query parameters), `gs://BUCKET/KEY`
    /// or `az://CONTAINER/KEY` (with `account`); the lease is the default one.
    fn parse(text: &str) -> Result<ObjectLocation, String> {
        let url = url::Url::parse(text).map_err(|e| format!("{text}: {e}"))?;
        let bucket = url.host_str().unwrap_or_default().to_string();
        let key = url.path().trim_start_matches('/').to_string();
        if bucket.is_empty() || key.is_empty() {
            return Err(format!(
                "{text}: name the bucket and the key, as in s3://BUCKET/KEY"
            ));
        }
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let store = match url.scheme() {
            "s3" => Store::S3 {
                region: param("region"),
                endpoint: param("endpoint"),
            },
            "gs" => Store::Gcs,
            _ => Store::Azure {
                account: param("account"),
            },
        };
        Ok(ObjectLocation {
            store,
            bucket,
            key,
            lease: DEFAULT_LEASE,
        })
    }

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
