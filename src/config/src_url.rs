//! `src` values: `file://PATH` (a file or folder; relative to the config file's directory, or to
//! the working directory for `-src`), a bare path, or `data.external_schema.NAME.url`. A
//! `file://` URL may end in a query of provider options, as Atlas's `file://dir?format=…`:
//! `file://src/Entity?doctrine_version=2`.

use super::external::{Externals, SCHEME};
use crate::source::Src;
use std::path::Path;
use strata_schema::Options;

/// Resolve one `src` value. The error text is a sentence without location; the caller adds
/// where the value came from.
pub(super) fn resolve(raw: &str, base: &Path, externals: &Externals) -> Result<Src, String> {
    if let Some(name) = raw.strip_prefix(SCHEME) {
        return externals
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no data \"external_schema\" \"{name}\" block is declared"));
    }
    let (path, options) = match raw.strip_prefix("file://") {
        Some(url) => match url.split_once('?') {
            Some((path, query)) => (path, options(query)?),
            None => (url, Options::new()),
        },
        None if raw.contains("://") => {
            return Err(format!(
                "unsupported source {raw:?}: use file://PATH or data.external_schema.NAME.url"
            ));
        }
        None => (raw, Options::new()),
    };
    if path.is_empty() {
        return Err("empty source path".to_string());
    }
    let joined = base.join(path);
    std::fs::canonicalize(&joined)
        .map(|path| Src::Path(path, options))
        .map_err(|e| format!("source {raw:?} ({}): {e}", joined.display()))
}

/// The `name=value` pairs of a query; each name once.
fn options(query: &str) -> Result<Options, String> {
    let mut options = Options::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(format!(
                "source option {pair:?} has no value (write name=value)"
            ));
        };
        if options
            .insert(name.to_string(), value.to_string())
            .is_some()
        {
            return Err(format!("source option {name:?} is given twice"));
        }
    }
    Ok(options)
}
