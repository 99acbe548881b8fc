//! Building an object-store client from a [`ObjectLocation`]. Credentials are read by
//! `object_store` from the environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`) and its usual files;
//! nothing here takes, stores or prints one.

use crate::state::file::StateError;
use crate::state::location::{ObjectLocation, Store};
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::{ObjectStore, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// A client for the bucket of `location`.
pub fn connect(location: &ObjectLocation) -> Result<Arc<dyn ObjectStore>, StateError> {
    let built: object_store::Result<Arc<dyn ObjectStore>> = match &location.store {
        Store::S3 { region, endpoint } => {
            let mut b = AmazonS3Builder::from_env()
                .with_bucket_name(&location.bucket)
                .with_retry(retry());
            if let Some(region) = region {
                b = b.with_region(region);
            }
            if let Some(endpoint) = endpoint {
                // S3-compatible servers are addressed path-style (`endpoint/bucket/key`); plain
                // HTTP is only allowed when the endpoint itself says so.
                b = b
                    .with_endpoint(endpoint)
                    .with_virtual_hosted_style_request(false)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            b.build().map(|s| Arc::new(s) as Arc<dyn ObjectStore>)
        }
        Store::Gcs => GoogleCloudStorageBuilder::from_env()
            .with_bucket_name(&location.bucket)
            .with_retry(retry())
            .build()
            .map(|s| Arc::new(s) as Arc<dyn ObjectStore>),
        Store::Azure { account } => {
            let mut b = MicrosoftAzureBuilder::from_env()
                .with_container_name(&location.bucket)
                .with_retry(retry());
            if let Some(account) = account {
                b = b.with_account(account);
            }
            b.build().map(|s| Arc::new(s) as Arc<dyn ObjectStore>)
        }
    };
    built.map_err(|e| StateError::Remote {
        location: location.shown(),
        reason: format!(
            "cannot set up the client: {e}. Check the state block and the credentials in the environment"
        ),
    })
}

/// Transient failures (timeouts, 5xx, dropped connections) are retried with back-off for up to
/// a minute before a command gives up.
fn retry() -> RetryConfig {
    RetryConfig {
        max_retries: 8,
        retry_timeout: Duration::from_secs(60),
        ..RetryConfig::default()
    }
}
