//! Lock records: who holds a state lock, so a second process can say so.

use serde::{Deserialize, Serialize};

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
        }
    }
}
