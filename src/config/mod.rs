//! Configuration: `strata.hcl`, compatible with the env blocks of Atlas's `atlas.hcl`, plus the
//! command-line overrides (`-env`, `-url`, `-src`, `-var`, `-config`), resolved into the
//! [`Settings`] a command runs with.
//!
//! Every error in the file is a [`crate::error::Located`] (file:line:column); errors about the
//! command line name the flag.

mod env;
mod eval;
mod external;
mod file;
mod policy;
mod shape;
mod src_url;
mod state_block;
mod text;
mod variable;

use crate::error::Error;
use crate::run::{Settings, StateSettings};
use crate::target::Target;
use env::Env;
use external::Externals;
use std::path::{Path, PathBuf};
use text::Text;

/// The config file looked for in the working directory when `-config` is not given.
pub const DEFAULT_FILE: &str = "strata.hcl";

/// Options are the command-line flags that shape the configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-config=FILE` (Atlas's `file://FILE` form accepted).
    pub config: Option<String>,
    /// `-env=NAME`.
    pub env: Option<String>,
    /// `-url=URL`: replaces the env's `url`.
    pub url: Option<String>,
    /// `-src=URL`, repeatable: replaces the env's sources.
    pub srcs: Vec<String>,
    /// `-var NAME=VALUE`, repeatable.
    pub vars: Vec<String>,
    /// `-state=PATH`: the local state file instead of `.strata/<env>.state.json`.
    pub state: Option<String>,
}

/// Loaded is the resolved configuration.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    /// The env used, if any (none when the command line gave everything).
    pub env: Option<String>,
    /// Things the operator should know but that do not stop the run, one line each.
    pub warnings: Vec<String>,
}

/// Load the configuration for a command run in `cwd` (after `-chdir`).
pub fn load(opts: &Options, cwd: &Path) -> Result<Loaded, Error> {
    let Some(text) = locate(opts, cwd)? else {
        return from_flags_only(opts, cwd);
    };
    let path = cwd.join(&text.shown);
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    let file = file::read(&text, &dir, &opts.vars)?;
    let env = pick(&file.envs, opts, text.name())?;
    let url_from_env = env.and_then(|e| e.url.clone());
    let (url, base) = match (&opts.url, url_from_env) {
        (Some(url), _) => (url.clone(), cwd.to_path_buf()),
        (None, Some(url)) => (url, dir.clone()),
        (None, None) => {
            return Err(Error::Config(format!(
                "no database URL: env `{}` in {} sets no `url`; add one or pass -url=URL",
                env.map(|e| e.name.as_str()).unwrap_or_default(),
                text.name().display()
            )));
        }
    };
    let srcs = if opts.srcs.is_empty() {
        env.map(|e| e.srcs.clone()).unwrap_or_default()
    } else {
        flag_srcs(&opts.srcs, cwd, &file.externals)?
    };
    let env_name = env.map(|e| e.name.as_str()).unwrap_or(DEFAULT_STATE_ENV);
    let target = Target::parse(&url, &base)?;
    let mut exclude = env.map(|e| e.exclude.clone()).unwrap_or_default();
    let mut state = state_settings(opts, &dir, cwd, env_name);
    if let Some(block) = env.and_then(|e| e.state.as_ref()) {
        state_block::resolve(block, &mut state, &target, &dir, opts.state.is_some())?;
        if matches!(block, state_block::StateBlock::Database { .. }) {
            exclude.extend(crate::state::database::TABLES.map(String::from));
        }
    }
    let settings = Settings {
        target,
        srcs,
        schemas: env.map(|e| e.schemas.clone()).unwrap_or_default(),
        exclude,
        state,
        renames: env.map(|e| e.renames.clone()).unwrap_or_default(),
        policy: env.map(|e| e.policy.clone()).unwrap_or_default(),
        targets: Vec::new(),
        excludes: Vec::new(),
    };
    Ok(Loaded {
        settings,
        env: env.map(|e| e.name.clone()),
        warnings: file.warnings,
    })
}

/// The env name a state records when no config env is in use.
pub const DEFAULT_STATE_ENV: &str = "default";

/// Where the state lives: `-state=PATH` (relative to the working directory), else
/// `.strata/<env>.state.json` beside the config file.
fn state_settings(opts: &Options, config_dir: &Path, cwd: &Path, env: &str) -> StateSettings {
    let mut state = StateSettings::beside(config_dir, env);
    if let Some(path) = &opts.state {
        state.path = cwd.join(path);
    }
    state
}

/// Find and read the config file: `-config`, else `strata.hcl` in `cwd` if present.
fn locate(opts: &Options, cwd: &Path) -> Result<Option<Text>, Error> {
    let (shown, required) = match &opts.config {
        Some(given) => (
            PathBuf::from(given.strip_prefix("file://").unwrap_or(given)),
            true,
        ),
        None => (PathBuf::from(DEFAULT_FILE), false),
    };
    let path = cwd.join(&shown);
    match std::fs::read_to_string(&path) {
        Ok(content) => Ok(Some(Text { shown, content })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        Err(e) => Err(Error::Config(format!(
            "cannot read config file {}: {e}",
            path.display()
        ))),
    }
}

/// No config file: `-url` (and `-src`) must say everything.
fn from_flags_only(opts: &Options, cwd: &Path) -> Result<Loaded, Error> {
    let Some(url) = &opts.url else {
        return Err(Error::Config(format!(
            "no {DEFAULT_FILE} in {} and no -url: write a {DEFAULT_FILE} with an env block, or pass -url=URL (and -src=file://…)",
            cwd.display()
        )));
    };
    if let Some(env) = &opts.env {
        return Err(Error::Config(format!(
            "-env={env} given, but there is no {DEFAULT_FILE} in {} to declare it",
            cwd.display()
        )));
    }
    // No file declares variables, so any -var is an undeclared one: report it.
    variable::resolve(None, &[], &opts.vars)?;
    let settings = Settings {
        target: Target::parse(url, cwd)?,
        srcs: flag_srcs(&opts.srcs, cwd, &Externals::new())?,
        schemas: Vec::new(),
        exclude: Vec::new(),
        state: state_settings(opts, cwd, cwd, DEFAULT_STATE_ENV),
        renames: Vec::new(),
        policy: Default::default(),
        targets: Vec::new(),
        excludes: Vec::new(),
    };
    Ok(Loaded {
        settings,
        env: None,
        warnings: Vec::new(),
    })
}

/// The env used when several are declared and `-env` names none: projects keep their
/// zero-setup default (usually embedded SQLite) under this name, so `strata plan` just works.
pub const DEFAULT_ENV: &str = "local";

/// Choose the env: the one named by `-env`, or the only one, or the one called
/// [`DEFAULT_ENV`]. With several envs and no `-env`, `-url` alone is enough (the command line
/// then says everything).
fn pick<'a>(envs: &'a [Env], opts: &Options, file: &Path) -> Result<Option<&'a Env>, Error> {
    let names = || {
        envs.iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&opts.env, envs) {
        (Some(wanted), _) => envs
            .iter()
            .find(|e| &e.name == wanted)
            .map(Some)
            .ok_or_else(|| {
                Error::Config(if envs.is_empty() {
                    format!(
                        "unknown env `{wanted}`: {} declares no env blocks",
                        file.display()
                    )
                } else {
                    format!(
                        "unknown env `{wanted}`: {} declares {}",
                        file.display(),
                        names()
                    )
                })
            }),
        (None, [only]) => Ok(Some(only)),
        // -url and -src together say everything: no env is needed. -url alone still takes its
        // sources (and settings) from the default env when there is one, its url overridden.
        (None, _) if opts.url.is_some() && !opts.srcs.is_empty() => Ok(None),
        (None, _) if envs.iter().any(|e| e.name == DEFAULT_ENV) => {
            Ok(envs.iter().find(|e| e.name == DEFAULT_ENV))
        }
        (None, _) if opts.url.is_some() => Ok(None),
        (None, []) => Err(Error::Config(format!(
            "{} declares no env blocks: add `env \"NAME\" {{ url = … }}` or pass -url=URL",
            file.display()
        ))),
        (None, _) => Err(Error::Config(format!(
            "{} declares several envs ({}) and none is called `{DEFAULT_ENV}`: pick one with -env=NAME",
            file.display(),
            names()
        ))),
    }
}

/// The `-src` flags, relative to the working directory.
fn flag_srcs(
    raw: &[String],
    cwd: &Path,
    externals: &Externals,
) -> Result<Vec<crate::source::Src>, Error> {
    raw.iter()
        .map(|r| {
            src_url::resolve(r, cwd, externals).map_err(|e| Error::Config(format!("-src={r}: {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests;
