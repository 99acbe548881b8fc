//! Target: which database a run talks to, parsed from a URL, and how to show it without secrets.

use std::path::{Path, PathBuf};
use strata_schema::Dialect;
use thiserror::Error;

/// Target is a parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub dialect: Dialect,
    /// The URL as given (may hold a password; never print it, use [`Target::redacted`]).
    url: String,
    /// SQLite: the database file, resolved against the config directory; `None` for `:memory:`.
    pub sqlite_path: Option<PathBuf>,
    /// Schemas named in the URL (`?search_path=` for PostgreSQL, the path for MySQL).
    pub url_schema: Option<String>,
}

/// TargetError is a URL Strata cannot use.
#[derive(Debug, Error)]
pub enum TargetError {
    #[error(
        "unsupported database URL scheme {scheme:?} in {url}: use sqlite://FILE, postgres://… or mysql://… (MariaDB too)"
    )]
    Scheme { scheme: String, url: String },
    #[error("invalid database URL {url}: {reason}")]
    Invalid { url: String, reason: String },
}

impl Target {
    /// Parse `raw`; relative SQLite paths are resolved against `base`.
    pub fn parse(raw: &str, base: &Path) -> Result<Target, TargetError> {
        let raw = raw.trim();
        let scheme = raw.split(':').next().unwrap_or("").to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" | "sqlite3" | "file" => Ok(Target::sqlite(raw, base)),
            "postgres" | "postgresql" | "mysql" | "mariadb" | "maria" => {
                let parsed = url::Url::parse(raw).map_err(|e| TargetError::Invalid {
                    url: redact(raw),
                    reason: e.to_string(),
                })?;
                if parsed.host_str().unwrap_or("").is_empty() {
                    return Err(TargetError::Invalid {
                        url: redact(raw),
                        reason: "no host".into(),
                    });
                }
                let dialect = if scheme.starts_with("postgres") {
                    Dialect::Postgres
                } else {
                    Dialect::Mysql
                };
                let url_schema = match dialect {
                    Dialect::Postgres => parsed
                        .query_pairs()
                        .find(|(k, _)| k == "search_path")
                        .map(|(_, v)| v.split(',').next().unwrap_or("").trim().to_string()),
                    _ => Some(parsed.path().trim_start_matches('/').to_string())
                        .filter(|s| !s.is_empty()),
                };
                // sqlx only knows `mysql://`; MariaDB speaks the same protocol.
                let url = if dialect == Dialect::Mysql {
                    format!("mysql{}", &raw[scheme.len()..])
                } else {
                    raw.to_string()
                };
                Ok(Target {
                    dialect,
                    url,
                    sqlite_path: None,
                    url_schema,
                })
            }
            _ => Err(TargetError::Scheme {
                scheme,
                url: redact(raw),
            }),
        }
    }

    fn sqlite(raw: &str, base: &Path) -> Target {
        let rest = raw.split_once(':').map(|x| x.1).unwrap_or("");
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path_part = rest.split('?').next().unwrap_or("");
        let memory = path_part == ":memory:" || path_part.is_empty() || raw.contains("mode=memory");
        let sqlite_path = (!memory).then(|| {
            let p = PathBuf::from(path_part);
            if p.is_absolute() { p } else { base.join(p) }
        });
        Target {
            dialect: Dialect::Sqlite,
            url: raw.to_string(),
            sqlite_path,
            url_schema: None,
        }
    }

    /// The URL for the driver (password included). Only the connection code may call this.
    pub(crate) fn secret_url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced, safe for messages, logs, state and plan files.
    pub fn redacted(&self) -> String {
        match &self.sqlite_path {
            Some(p) => format!("sqlite://{}", p.display()),
            None if self.dialect == Dialect::Sqlite => "sqlite::memory:".to_string(),
            None => redact(&self.url),
        }
    }

    /// What identifies this target in a state file: dialect, host, port and database (a file
    /// path for SQLite), never a user or password.
    pub fn fingerprint(&self) -> crate::state::TargetFingerprint {
        // A SQLite URL's "host" is a file name: only server URLs have hosts and ports.
        let parsed = url::Url::parse(&self.url)
            .ok()
            .filter(|_| self.dialect != Dialect::Sqlite);
        crate::state::TargetFingerprint {
            dialect: self.dialect,
            host: parsed
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string)),
            port: parsed.as_ref().and_then(|u| u.port()),
            database: match (&self.sqlite_path, &parsed) {
                (Some(p), _) => p.display().to_string(),
                (None, Some(u)) if self.dialect != Dialect::Sqlite => {
                    u.path().trim_start_matches('/').to_string()
                }
                _ => ":memory:".to_string(),
            },
        }
    }

    /// The password in the URL, if any, so error texts from drivers can be scrubbed of it.
    pub(crate) fn password(&self) -> Option<String> {
        url::Url::parse(&self.url)
            .ok()
            .and_then(|u| u.password().map(|p| p.to_string()))
            .filter(|p| !p.is_empty())
    }
}

/// Replace the password of a URL with `xxxxx`; text that is not a URL is returned unchanged.
pub fn redact(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("xxxxx"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_redacts() {
        let t = Target::parse(
            "postgres://u:s3cret@127.0.0.1:5432/db?search_path=app",
            Path::new("."),
        )
        .unwrap();
        assert_eq!(t.dialect, Dialect::Postgres);
        assert_eq!(t.url_schema.as_deref(), Some("app"));
        assert!(!t.redacted().contains("s3cret"));
        let m = Target::parse("mariadb://root@localhost/test", Path::new(".")).unwrap();
        assert_eq!(m.dialect, Dialect::Mysql);
        assert!(m.secret_url().starts_with("mysql://"));
        let s = Target::parse("sqlite://app.db", Path::new("/x")).unwrap();
        assert_eq!(s.sqlite_path.as_deref(), Some(Path::new("/x/app.db")));
        assert!(
            Target::parse("sqlite::memory:", Path::new("."))
                .unwrap()
                .sqlite_path
                .is_none()
        );
        assert!(matches!(
            Target::parse("oracle://x/y", Path::new(".")),
            Err(TargetError::Scheme { .. })
        ));
    }
}
