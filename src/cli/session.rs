//! Session: what every command shares — the async runtime, the colour decision and the working
//! directory (after `-chdir`) — and the common first step of loading the configuration.

use super::args::Common;
use super::output;
use crate::config;
use crate::error::Error;
use crate::run::Settings;
use std::future::Future;
use std::path::PathBuf;

/// Session is one invocation's shared context.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    /// Whether stdout is coloured.
    pub color: bool,
    pub cwd: PathBuf,
}

impl Session {
    /// Start a session: a current-thread runtime (a CLI runs one thing at a time).
    pub fn new(color: bool) -> Result<Session, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Io(format!("cannot start the async runtime: {e}")))?;
        let cwd = std::env::current_dir()
            .map_err(|e| Error::Io(format!("cannot read the working directory: {e}")))?;
        Ok(Session {
            runtime,
            color,
            cwd,
        })
    }

    /// Run a future to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Load the configuration, printing its warnings.
    pub fn settings(&self, common: &Common) -> Result<Settings, Error> {
        let mut loaded = config::load(&common.options(), &self.cwd)?;
        for warning in &loaded.warnings {
            output::print_warning(warning);
        }
        loaded.settings.state.lock = common.lock;
        loaded.settings.state.lock_timeout = common.lock_timeout;
        loaded.settings.targets = common.targets.clone();
        loaded.settings.excludes = common.excludes.clone();
        Ok(loaded.settings)
    }

    /// Load the configuration for a command that needs a desired schema.
    pub fn settings_with_sources(&self, common: &Common) -> Result<Settings, Error> {
        let settings = self.settings(common)?;
        if settings.srcs.is_empty() {
            return Err(Error::Config(
                "no desired schema: the env sets no `src` (or `schema { src = … }`) and no -src=file://… was given"
                    .into(),
            ));
        }
        Ok(settings)
    }
}
