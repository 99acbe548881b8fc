//! `src` values: `file://PATH` (a file or folder; relative to the config file's directory, or to
//! the working directory for `-src`), a bare path, or `data.external_schema.NAME.url`.

use super::external::{Externals, SCHEME};
use crate::source::Src;
use std::path::Path;

/// Resolve one `src` value. The error text is a sentence without location; the caller adds
/// where the value came from.
pub(super) fn resolve(raw: &str, base: &Path, externals: &Externals) -> Result<Src, String> {
    if let Some(name) = raw.strip_prefix(SCHEME) {
        return externals
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no data \"external_schema\" \"{name}\" block is declared"));
    }
    let path = match raw.strip_prefix("file://") {
        Some(path) => path,
        None if raw.contains("://") => {
            return Err(format!(
                "unsupported source {raw:?}: use file://PATH or data.external_schema.NAME.url"
            ));
        }
        None => raw,
    };
    if path.is_empty() {
        return Err("empty source path".to_string());
    }
    let joined = base.join(path);
    std::fs::canonicalize(&joined)
        .map(Src::Path)
        .map_err(|e| format!("source {raw:?} ({}): {e}", joined.display()))
}
