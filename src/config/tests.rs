//! Config tests: real files in temporary directories, every error checked for its location.

use super::*;
use crate::source::Src;
use std::fs;
use tempfile::TempDir;

/// A temp directory with `strata.hcl` holding `hcl` and an empty `schema.sql`.
fn project(hcl: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(DEFAULT_FILE), hcl).unwrap();
    fs::write(dir.path().join("schema.sql"), "").unwrap();
    dir
}

fn load_in(dir: &TempDir, opts: Options) -> Result<Loaded, Error> {
    load(&opts, dir.path())
}

fn message(err: Error) -> String {
    err.to_string()
}

#[test]
fn one_env_is_the_default_and_src_is_relative_to_the_config() {
    let dir = project(
        r#"
env "local" {
  url     = "sqlite://app.db"
  src     = "file://schema.sql"
  schemas = ["main"]
  exclude = ["legacy_*"]
}
"#,
    );
    let loaded = load_in(&dir, Options::default()).unwrap();
    assert_eq!(loaded.env.as_deref(), Some("local"));
    let s = loaded.settings;
    let root = fs::canonicalize(dir.path()).unwrap();
    assert_eq!(s.srcs, vec![Src::path(root.join("schema.sql"))]);
    assert_eq!(s.target.sqlite_path, Some(dir.path().join("app.db")));
    assert_eq!(s.schemas, ["main"]);
    assert_eq!(s.exclude, ["legacy_*"]);
}

#[test]
fn schema_block_vars_getenv_and_external_schema() {
    // getenv of an unset variable is "" (as in Atlas); a set one is covered end to end, where
    // the child process gets its own environment (set_var in a threaded test run is unsound).
    let dir = project(
        r#"
variable "db" {
  type    = string
  default = "x.db"
}
data "external_schema" "orm" {
  program = ["sh", "-c", "echo ${var.db}"]
}
env "a" {
  url = "sqlite://${getenv("STRATA_CONFIG_TEST_UNSET")}from-env.db"
  schema { src = ["file://schema.sql", data.external_schema.orm.url] }
}
env "b" {
  url = "sqlite://${var.db}"
}
"#,
    );
    let a = load_in(
        &dir,
        Options {
            env: Some("a".into()),
            ..Options::default()
        },
    )
    .unwrap()
    .settings;
    assert_eq!(a.target.sqlite_path, Some(dir.path().join("from-env.db")));
    assert_eq!(a.srcs.len(), 2);
    assert_eq!(
        a.srcs[1],
        Src::External {
            name: "orm".into(),
            program: vec!["sh".into(), "-c".into(), "echo x.db".into()],
            dir: dir.path().to_path_buf()
        }
    );
    let opts = Options {
        env: Some("b".into()),
        vars: vec!["db=y.db".into()],
        ..Options::default()
    };
    let b = load_in(&dir, opts).unwrap().settings;
    assert_eq!(b.target.sqlite_path, Some(dir.path().join("y.db")));
}

#[test]
fn env_selection_errors_list_the_envs() {
    let dir = project(
        "env \"dev\" { url = \"sqlite://a.db\" }\nenv \"prod\" { url = \"sqlite://b.db\" }\n",
    );
    let several = message(load_in(&dir, Options::default()).unwrap_err());
    assert!(
        several.contains("several envs (dev, prod)") && several.contains("-env="),
        "{several}"
    );
    let unknown = message(
        load_in(
            &dir,
            Options {
                env: Some("qa".into()),
                ..Options::default()
            },
        )
        .unwrap_err(),
    );
    assert!(
        unknown.contains("unknown env `qa`") && unknown.contains("dev, prod"),
        "{unknown}"
    );
    // -url says enough on its own.
    let opts = Options {
        url: Some("sqlite://c.db".into()),
        ..Options::default()
    };
    assert_eq!(load_in(&dir, opts).unwrap().env, None);
}

#[test]
fn errors_are_located() {
    let cases = [
        (
            "env \"a\" {\n  url = \n}\n",
            "strata.hcl:2:9: malformed HCL",
        ),
        (
            "env \"a\" { url = \"sqlite://a.db\" }\nmodule \"x\" {}\n",
            "strata.hcl:2:1: unknown block `module`",
        ),
        (
            "env \"a\" {\n  url = 5\n}\n",
            "strata.hcl:2:9: `url` must be a string, found a number",
        ),
        (
            "env \"a\" {\n  urll = \"x\"\n}\n",
            "strata.hcl:2:3: unknown attribute `urll`",
        ),
        (
            "variable \"v\" {}\nenv \"a\" { url = var.v }\n",
            "strata.hcl:1:10: variable `v` has no default",
        ),
        (
            "env \"a\" {\n  url = var.nope\n}\n",
            "strata.hcl:2:9: cannot evaluate url",
        ),
        (
            "env \"a\" {\n  src = \"file://missing.sql\"\n}\n",
            "strata.hcl:2:9: source \"file://missing.sql\"",
        ),
        (
            "data \"sql\" \"x\" {}\n",
            "strata.hcl:1:6: unsupported data source `sql`",
        ),
        (
            "env \"a\" {}\nenv \"a\" {}\n",
            "strata.hcl:2:5: env `a` is declared twice",
        ),
        (
            "variable \"v\" {\n  type = list\n}\n",
            "strata.hcl:2:10: unsupported variable type",
        ),
    ];
    for (hcl, expected) in cases {
        let dir = project(hcl);
        let got = message(load_in(&dir, Options::default()).unwrap_err());
        assert!(
            got.starts_with(expected),
            "{hcl:?}\n  got:      {got}\n  expected: {expected}"
        );
    }
}

#[test]
fn migration_block_warns() {
    let dir = project(
        "env \"a\" {\n  url = \"sqlite://a.db\"\n  migration { dir = \"file://migrations\" }\n}\n",
    );
    let loaded = load_in(&dir, Options::default()).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0].contains("strata.hcl:3:3")
            && loaded.warnings[0].contains("no migration directory")
    );
}

#[test]
fn flags_alone_need_no_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s.sql"), "").unwrap();
    let opts = Options {
        url: Some("sqlite://x.db".into()),
        srcs: vec!["file://s.sql".into()],
        ..Options::default()
    };
    let s = load(&opts, dir.path()).unwrap().settings;
    assert_eq!(s.srcs.len(), 1);
    let none = message(load(&Options::default(), dir.path()).unwrap_err());
    assert!(
        none.contains("no strata.hcl") && none.contains("-url"),
        "{none}"
    );
    let stray = Options {
        vars: vec!["x=1".into()],
        ..opts
    };
    assert!(message(load(&stray, dir.path()).unwrap_err()).contains("-var sets `x`"));
}

#[test]
fn config_flag_accepts_atlas_file_prefix() {
    let dir = project("env \"a\" { url = \"sqlite://a.db\" }\n");
    fs::rename(dir.path().join(DEFAULT_FILE), dir.path().join("atlas.hcl")).unwrap();
    let opts = Options {
        config: Some("file://atlas.hcl".into()),
        ..Options::default()
    };
    assert_eq!(load_in(&dir, opts).unwrap().env.as_deref(), Some("a"));
    let missing = Options {
        config: Some("nope.hcl".into()),
        ..Options::default()
    };
    assert!(message(load_in(&dir, missing).unwrap_err()).contains("cannot read config file"));
}

#[test]
fn the_env_called_local_is_the_default_among_several() {
    let dir = project(
        "env \"prod\" { url = \"sqlite://p.db\" }\nenv \"local\" { url = \"sqlite://l.db\" }\n",
    );
    let settings = load_in(&dir, Options::default()).unwrap().settings;
    assert_eq!(settings.target.sqlite_path, Some(dir.path().join("l.db")));
}

#[test]
fn src_url_query_gives_provider_options() {
    let dir = project(
        r#"
env "local" {
  url = "sqlite://app.db"
  src = "file://schema.sql?doctrine_version=2&naming=underscore"
}
"#,
    );
    let s = load_in(&dir, Options::default()).unwrap().settings;
    let root = fs::canonicalize(dir.path()).unwrap();
    let options = [("doctrine_version", "2"), ("naming", "underscore")]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into();
    assert_eq!(s.srcs, vec![Src::Path(root.join("schema.sql"), options)]);

    for (query, refusal) in [("?version", "has no value"), ("?a=1&a=2", "given twice")] {
        let dir = project(&format!(
            "env \"local\" {{\n  url = \"sqlite://app.db\"\n  src = \"file://schema.sql{query}\"\n}}\n"
        ));
        let text = message(load_in(&dir, Options::default()).unwrap_err());
        assert!(
            text.contains(refusal) && text.contains("strata.hcl:3"),
            "{text}"
        );
    }
}

#[test]
fn url_flag_alone_keeps_the_default_envs_sources() {
    let dir = project(
        "env \"prod\" {\n  url = \"sqlite://p.db\"\n}\n\
         env \"local\" {\n  url = \"sqlite://l.db\"\n  src = \"file://schema.sql\"\n}\n",
    );
    let url_only = Options {
        url: Some("sqlite://other.db".into()),
        ..Options::default()
    };
    let loaded = load_in(&dir, url_only).unwrap();
    assert_eq!(loaded.env.as_deref(), Some("local"));
    assert_eq!(loaded.settings.srcs.len(), 1);
    assert_eq!(
        loaded.settings.target.sqlite_path,
        Some(dir.path().join("other.db"))
    );
    let both = Options {
        url: Some("sqlite://other.db".into()),
        srcs: vec!["file://schema.sql".into()],
        ..Options::default()
    };
    assert_eq!(load_in(&dir, both).unwrap().env, None);
}
