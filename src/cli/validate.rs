//! `strata validate`: the configuration and the desired-schema sources load, without touching
//! any database (so it runs in a pipeline before credentials exist).

use super::args::Common;
use super::session::Session;
use crate::error::{Error, exit};
use crate::run::Settings;
use crate::source;
use strata_schema::Dialect;

/// Run `validate`.
pub fn validate(session: &Session, common: &Common) -> Result<i32, Error> {
    let settings = session.settings_with_sources(common)?;
    let desired = source::load(
        &settings.srcs,
        settings.target.dialect,
        &offline_schema(&settings)?,
    )?;
    for w in &desired.warnings {
        super::output::print_warning(&format!("Warning: {w}"));
    }
    println!("Success! The configuration is valid.");
    Ok(exit::OK)
}

/// The schema unqualified objects belong to, decided without a connection: the configured one,
/// else the URL's, else the dialect's usual default (`run::plan` asks the server instead).
fn offline_schema(settings: &Settings) -> Result<String, Error> {
    if let Some(first) = settings
        .schemas
        .first()
        .or(settings.target.url_schema.as_ref())
    {
        return Ok(first.clone());
    }
    match settings.target.dialect {
        Dialect::Postgres => Ok("public".into()),
        Dialect::Sqlite => Ok("main".into()),
        Dialect::Mysql => Err(Error::Config(format!(
            "{} names no database: add one to the URL (mysql://HOST/DATABASE) or set `schemas` in the env",
            settings.target.redacted()
        ))),
    }
}
