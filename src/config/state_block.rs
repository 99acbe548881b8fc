//! The env's `state { … }` block: where the env's state lives.
//!
//! ```hcl
//! state {
//!   backend  = "s3"                    # "local" (default), "s3", "gcs", "azure", "database"
//!   bucket   = "acme-schema-state"     # s3, gcs; `container` for azure
//!   key      = "prod/app.strata.json"
//!   region   = "eu-west-1"             # s3
//!   endpoint = "http://127.0.0.1:9000" # s3-compatible stores
//!   lease    = "5m"                    # how long a lock lives unless renewed
//! }
//! ```
//!
//! Only names are read here. Credentials are never accepted in the block (an `access_key` or
//! `secret_key` attribute is refused by the shape check): they come from the environment.

use super::env::Reading;
use super::shape::Shape;
use crate::duration;
use crate::error::Located;
use crate::state::location::{DEFAULT_LEASE, Location, ObjectLocation, Store};
use hcl::edit::structure::Block;

const SHAPE: Shape = Shape {
    what: "a state block",
    attributes: &[
        "backend",
        "bucket",
        "container",
        "account",
        "key",
        "region",
        "endpoint",
        "lease",
        "path",
        "url",
    ],
    blocks: &[],
};

const USAGE: &str = "state { backend = \"s3\"  bucket = \"…\"  key = \"…\" } (backends: local, s3, gcs, azure, database)";

/// StateBlock is a `state` block, read; URLs and paths are resolved with the rest of the file.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum StateBlock {
    /// `backend = "local"`, with an optional `path` relative to the config file.
    Local {
        path: Option<String>,
    },
    Object(ObjectLocation),
    /// `backend = "database"`: the target's database, or the one `url` names.
    Database {
        url: Option<String>,
    },
}

impl Reading<'_> {
    /// Read a `state` block.
    pub(super) fn state_block(&self, block: &Block) -> Result<StateBlock, Box<Located>> {
        let text = self.text;
        SHAPE.check(text, &block.body)?;
        super::shape::labels(text, block, 0, USAGE)?;
        let get = |key: &str| -> Result<Option<String>, Box<Located>> {
            block
                .body
                .get_attribute(key)
                .map(|a| self.scope.string(text, a))
                .transpose()
        };
        let required = |key: &str| -> Result<String, Box<Located>> {
            get(key)?.ok_or_else(|| {
                text.error_at(
                    &block.ident,
                    format!("the state block needs `{key}`: {USAGE}"),
                )
            })
        };
        let backend = get("backend")?.unwrap_or_else(|| "local".into());
        let lease = match block.body.get_attribute("lease") {
            Some(a) => duration::parse(&self.scope.string(text, a)?)
                .map_err(|e| text.error_at(&a.value, format!("lease: {e}")))?,
            None => DEFAULT_LEASE,
        };
        let object = |store: Store, bucket: String| -> Result<StateBlock, Box<Located>> {
            Ok(StateBlock::Object(ObjectLocation {
                store,
                bucket,
                key: required("key")?,
                lease,
            }))
        };
        match backend.as_str() {
            "local" => Ok(StateBlock::Local { path: get("path")? }),
            "s3" => object(
                Store::S3 {
                    region: get("region")?,
                    endpoint: get("endpoint")?,
                },
                required("bucket")?,
            ),
            "gcs" => object(Store::Gcs, required("bucket")?),
            "azure" => object(
                Store::Azure {
                    account: get("account")?,
                },
                required("container")?,
            ),
            "database" => Ok(StateBlock::Database { url: get("url")? }),
            other => {
                let at = block
                    .body
                    .get_attribute("backend")
                    .expect("backend was read");
                Err(text.error_at(
                    &at.value,
                    format!(
                        "unknown state backend {other:?}: use local, s3, gcs, azure or database"
                    ),
                ))
            }
        }
    }
}

/// Apply a `state` block to the env's state settings. `-state=PATH` on the command line wins
/// over the block (it names a local file explicitly); a database URL is relative to `dir`.
pub(super) fn resolve(
    block: &StateBlock,
    state: &mut crate::run::StateSettings,
    target: &crate::target::Target,
    dir: &std::path::Path,
    state_flag: bool,
) -> Result<(), crate::error::Error> {
    if state_flag {
        return Ok(());
    }
    match block {
        StateBlock::Local { path: None } => {}
        StateBlock::Local { path: Some(p) } => state.path = dir.join(p),
        StateBlock::Object(o) => state.remote = Some(Location::Object(o.clone())),
        StateBlock::Database { url } => {
            let db = match url {
                Some(u) => crate::target::Target::parse(u, dir)?,
                None => target.clone(),
            };
            state.remote = Some(Location::Database(db));
        }
    }
    Ok(())
}
