//! CLI behaviour: flags, prompts, exit codes, error messages.
//!
//! SQLite temp files where the dialect does not matter; scratch PostgreSQL schemas and MySQL
//! databases where the server's behaviour is the point (connection and authentication errors).

use crate::common::{Scratch, output_text};
use std::process::Output;
use strata_schema::Dialect;

const SCHEMA: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n";

/// A SQLite scratch with `schema.sql` and a one-env `strata.hcl` pointing at it.
fn sqlite_project(tag: &str) -> Scratch {
    let s = Scratch::new(Dialect::Sqlite, tag);
    s.write("schema.sql", SCHEMA);
    s.write(
        "strata.hcl",
        &format!(
            "env \"local\" {{\n  url = \"{}\"\n  src = \"file://schema.sql\"\n}}\n",
            s.url
        ),
    );
    s
}

/// Run `strata` with `args` in the scratch's directory.
fn run(s: &Scratch, args: &[&str]) -> Output {
    s.strata().args(args).output().expect("run strata")
}

/// Tables in a SQLite scratch (0 when nothing was applied).
fn sqlite_tables(s: &Scratch) -> i64 {
    s.query_i64(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
}

/// A failed run: exit 1, every needle in stderr, no panic or backtrace, nothing on stdout that
/// looks like a plan was applied.
fn assert_clean_error(out: &Output, needles: &[&str]) {
    let text = output_text(out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for needle in needles {
        assert!(stderr.contains(needle), "stderr lacks {needle:?}\n{text}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{text}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Apply complete"),
        "{text}"
    );
}

#[test]
fn one_dash_and_two_dashes_give_the_same_result() {
    let s = sqlite_project("dashes");
    let one = run(
        &s,
        &["plan", "-detailed-exitcode", "-no-color", "-env=local"],
    );
    let two = run(
        &s,
        &[
            "plan",
            "--detailed-exitcode",
            "--no-color",
            "--env",
            "local",
        ],
    );
    assert_eq!(one.status.code(), Some(2), "{}", output_text(&one));
    assert_eq!(one.status.code(), two.status.code());
    assert_eq!(one.stdout, two.stdout);
    let apply = run(&s, &["apply", "--auto-approve"]);
    assert_eq!(apply.status.code(), Some(0), "{}", output_text(&apply));
    let again = run(&s, &["plan", "-detailed-exitcode"]);
    assert_eq!(again.status.code(), Some(0), "{}", output_text(&again));
}

#[test]
fn plan_detailed_exitcode_is_2_with_changes_then_0() {
    let s = sqlite_project("exitcode");
    assert_eq!(
        run(&s, &["plan"]).status.code(),
        Some(0),
        "plain plan exits 0 even with changes"
    );
    assert_eq!(
        run(&s, &["plan", "-detailed-exitcode"]).status.code(),
        Some(2)
    );
    assert_eq!(sqlite_tables(&s), 0, "plan applies nothing");
    let apply = run(&s, &["apply", "-auto-approve"]);
    let stdout = String::from_utf8_lossy(&apply.stdout);
    assert!(
        stdout.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "{}",
        output_text(&apply)
    );
    assert!(
        stdout.contains("Creating... [1/1]") && stdout.contains("Creation complete after"),
        "{stdout}"
    );
    assert_eq!(
        run(&s, &["plan", "-detailed-exitcode"]).status.code(),
        Some(0)
    );
}

#[test]
fn chdir_comes_before_the_command() {
    let s = Scratch::new(Dialect::Sqlite, "chdir");
    std::fs::create_dir(s.dir.path().join("proj")).unwrap();
    s.write("proj/schema.sql", SCHEMA);
    // A relative SQLite path: resolved against the config file's directory.
    s.write(
        "proj/strata.hcl",
        "env \"local\" {\n  url = \"sqlite://app.db\"\n  src = \"file://schema.sql\"\n}\n",
    );
    let out = run(&s, &["-chdir=proj", "apply", "-auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(s.dir.path().join("proj/app.db").exists());
    let out = run(&s, &["--chdir", "proj", "plan", "-detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let missing = run(&s, &["-chdir=nowhere", "plan"]);
    assert_clean_error(&missing, &["-chdir=nowhere"]);
}

#[test]
fn env_selection() {
    let s = sqlite_project("envs");
    let both = format!(
        "env \"dev\" {{\n  url = \"{0}\"\n  src = \"file://schema.sql\"\n}}\nenv \"prod\" {{\n  url = \"{0}\"\n  src = \"file://schema.sql\"\n}}\n",
        s.url
    );
    s.write("strata.hcl", &both);
    assert_clean_error(
        &run(&s, &["plan"]),
        &["several envs (dev, prod)", "-env=NAME"],
    );
    assert_clean_error(
        &run(&s, &["plan", "-env=qa"]),
        &["unknown env `qa`", "dev, prod"],
    );
    let out = run(&s, &["plan", "-env=prod", "-detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
}

#[test]
fn url_and_src_flags_work_without_a_config_file() {
    let s = Scratch::new(Dialect::Sqlite, "noconfig");
    s.write("schema.sql", SCHEMA);
    let out = run(
        &s,
        &[
            "apply",
            "-auto-approve",
            &format!("-url={}", s.url),
            "-src=file://schema.sql",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(sqlite_tables(&s), 1);
    assert_clean_error(&run(&s, &["plan"]), &["no strata.hcl", "-url"]);
}

#[test]
fn var_and_getenv_fill_in_the_config() {
    let s = Scratch::new(Dialect::Sqlite, "vars");
    s.write("schema.sql", SCHEMA);
    s.write("other.sql", "CREATE TABLE other (id integer PRIMARY KEY);\nCREATE TABLE more (id integer PRIMARY KEY);\n");
    s.write(
        "strata.hcl",
        "variable \"file\" {\n  type    = string\n  default = \"schema.sql\"\n}\nenv \"local\" {\n  url = getenv(\"STRATA_CLI_TEST_URL\")\n  src = \"file://${var.file}\"\n}\n",
    );
    let out = s
        .strata()
        .env("STRATA_CLI_TEST_URL", &s.url)
        .args(["apply", "-auto-approve", "-var", "file=other.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(sqlite_tables(&s), 2, "-var chose other.sql");
    let undeclared = s
        .strata()
        .env("STRATA_CLI_TEST_URL", &s.url)
        .args(["plan", "-var=nope=1"])
        .output()
        .unwrap();
    assert_clean_error(
        &undeclared,
        &["-var sets `nope`", "declared variables: file"],
    );
}

#[test]
fn migration_block_gets_a_warning() {
    let s = sqlite_project("migration");
    let hcl = format!(
        "env \"local\" {{\n  url = \"{}\"\n  src = \"file://schema.sql\"\n  migration {{\n    dir = \"file://migrations\"\n  }}\n}}\n",
        s.url
    );
    s.write("strata.hcl", &hcl);
    let out = run(&s, &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("strata.hcl:4:3") && stderr.contains("no migration directory"),
        "{stderr}"
    );
}

#[test]
fn validate_connects_to_no_database() {
    let s = sqlite_project("validate");
    s.write(
        "strata.hcl",
        "env \"pg\" {\n  url = \"postgres://postgres@127.0.0.1:1/test\"\n  src = \"file://schema.sql\"\n}\n",
    );
    let out = run(&s, &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("The configuration is valid"));
}

#[test]
fn malformed_hcl_names_file_line_and_column() {
    let s = sqlite_project("badhcl");
    s.write(
        "strata.hcl",
        "env \"local\" {\n  url = \"sqlite://x.db\"\n  src = [\"file://schema.sql\",\n}\n",
    );
    assert_clean_error(&run(&s, &["plan"]), &["strata.hcl:4:1", "malformed HCL"]);
    s.write("strata.hcl", "env \"local\" {\n  url = 42\n}\n");
    assert_clean_error(
        &run(&s, &["apply", "-auto-approve"]),
        &["strata.hcl:2:9", "`url` must be a string"],
    );
    assert!(!s.dir.path().join("x.db").exists());
}

#[test]
fn sql_syntax_error_names_file_and_line() {
    let s = sqlite_project("badsql");
    s.write("schema.sql", "CREATE TABLE ok (id integer PRIMARY KEY);\n\nCREATE TABLE broken (id integer,, name text);\n");
    assert_clean_error(&run(&s, &["apply", "-auto-approve"]), &["schema.sql:3"]);
    assert_eq!(sqlite_tables(&s), 0);
}

#[test]
fn unsupported_url_scheme() {
    let s = sqlite_project("scheme");
    let out = run(&s, &["plan", "-url=oracle://scott:tiger@db.example/orcl"]);
    assert_clean_error(&out, &["unsupported database URL scheme \"oracle\""]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("tiger"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn unreachable_server() {
    let s = sqlite_project("unreachable");
    for url in [
        "postgres://postgres:hunter2pw@127.0.0.1:1/test",
        "mysql://root:hunter2pw@127.0.0.1:1/test",
    ] {
        let out = run(&s, &["apply", "-auto-approve", &format!("-url={url}")]);
        assert_clean_error(&out, &["cannot connect to", "127.0.0.1:1"]);
        assert!(
            !output_text(&out).contains("hunter2pw"),
            "{}",
            output_text(&out)
        );
    }
}

#[test]
fn mysql_wrong_password_is_refused_and_never_printed() {
    let s = Scratch::new(Dialect::Mysql, "wrongpw");
    s.write("schema.sql", SCHEMA);
    let url = format!("-url=mysql://root:Wr0ngPassw0rd@127.0.0.1:3306/{}", s.name);
    let out = run(
        &s,
        &["apply", "-auto-approve", &url, "-src=file://schema.sql"],
    );
    assert_clean_error(&out, &["cannot connect to", "Access denied"]);
    assert!(
        !output_text(&out).contains("Wr0ngPassw0rd"),
        "{}",
        output_text(&out)
    );
    assert_eq!(
        s.query_i64(&format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '{}'",
            s.name
        )),
        0
    );
}

/// The local PostgreSQL trusts every connection from 127.0.0.1 (pg_hba `trust`), so a wrong
/// password cannot be refused there; what can be checked is that a password in the URL never
/// reaches the output when the server refuses the connection for another reason.
#[test]
fn postgres_password_is_never_printed() {
    let s = Scratch::new(Dialect::Postgres, "pgpw");
    s.write("schema.sql", SCHEMA);
    let url = "-url=postgres://postgres:Sup3rSecretPw@127.0.0.1:5432/no_such_database_strata";
    let out = run(&s, &["plan", url, "-src=file://schema.sql"]);
    assert_clean_error(&out, &["cannot connect to", "no_such_database_strata"]);
    assert!(
        !output_text(&out).contains("Sup3rSecretPw"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let s = sqlite_project("noterm");
    // assert_cmd gives the child a null stdin: no terminal.
    assert_clean_error(
        &run(&s, &["apply"]),
        &["-auto-approve", "stdin is not a terminal"],
    );
    assert_clean_error(
        &run(&s, &["apply", "-input=false"]),
        &["-auto-approve", "-input=false"],
    );
    assert_eq!(sqlite_tables(&s), 0, "nothing applied");
}

#[test]
fn inspect_prints_sql_and_json() {
    let s = sqlite_project("inspect");
    assert_eq!(run(&s, &["apply", "-auto-approve"]).status.code(), Some(0));
    let sql = run(&s, &["inspect"]);
    assert_eq!(sql.status.code(), Some(0), "{}", output_text(&sql));
    assert!(
        String::from_utf8_lossy(&sql.stdout)
            .to_lowercase()
            .contains("create table"),
        "{}",
        output_text(&sql)
    );
    let json = run(&s, &["inspect", "-format=json"]);
    let value: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("inspect -format=json prints JSON");
    assert!(
        value["schemas"]["main"]["tables"]["users"].is_object(),
        "{value}"
    );
}

#[test]
fn external_schema_program_runs_in_the_config_directory() {
    let s = sqlite_project("external");
    let hcl = format!(
        "data \"external_schema\" \"app\" {{\n  program = [\"cat\", \"schema.sql\"]\n}}\nenv \"local\" {{\n  url = \"{}\"\n  src = data.external_schema.app.url\n}}\n",
        s.url
    );
    s.write("strata.hcl", &hcl);
    let out = run(&s, &["apply", "-auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(sqlite_tables(&s), 1);
}

#[test]
fn piped_output_has_no_colour() {
    let s = sqlite_project("piped");
    let out = s
        .strata()
        .env_remove("NO_COLOR")
        .arg("plan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(!out.stdout.contains(&0x1b), "{}", output_text(&out));
}

/// Runs on a pseudo-terminal (driven with rexpect): colour and the approval prompt.
mod terminal {
    use super::*;
    use rexpect::process::WaitStatus;

    /// Run `strata` with `args` on a terminal to the end; the exit code and everything printed.
    fn on_terminal(s: &Scratch, args: &[&str], no_color_env: bool) -> (i32, String) {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_strata"));
        cmd.current_dir(s.dir.path())
            .args(args)
            .env_remove("NO_COLOR");
        if no_color_env {
            cmd.env("NO_COLOR", "1");
        }
        let mut session =
            rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
        let out = session.exp_eof().expect("strata exits");
        (exit_code(&session, &out), out)
    }

    fn exit_code(session: &rexpect::session::PtySession, out: &str) -> i32 {
        match session.process().wait().expect("exit status") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("strata did not exit normally: {other:?}\n{out}"),
        }
    }

    #[test]
    fn colour_on_a_terminal_unless_no_color() {
        let s = sqlite_project("colour");
        let (code, coloured) = on_terminal(&s, &["plan"], false);
        assert_eq!(code, 0, "{coloured}");
        assert!(
            coloured.contains('\x1b'),
            "a terminal gets colour: {coloured}"
        );
        for (args, env) in [(&["plan", "-no-color"][..], false), (&["plan"][..], true)] {
            let (code, plain) = on_terminal(&s, args, env);
            assert_eq!(code, 0, "{plain}");
            assert!(!plain.contains('\x1b'), "{args:?} NO_COLOR={env}: {plain}");
        }
    }

    /// Run `strata apply` on a terminal, answer `answer`, return the exit code and the output.
    fn answer(s: &Scratch, answer: &str) -> (i32, String) {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_strata"));
        cmd.current_dir(s.dir.path())
            .env("NO_COLOR", "1")
            .arg("apply");
        let mut session =
            rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
        let shown = session.exp_string("Enter a value: ").expect("the prompt");
        assert!(
            shown.contains("Do you want to perform these actions?"),
            "{shown}"
        );
        assert!(
            shown.contains("Only 'yes' will be accepted to approve."),
            "{shown}"
        );
        session.send_line(answer).expect("answer");
        let rest = session.exp_eof().expect("strata exits");
        (exit_code(&session, &rest), format!("{shown}{rest}"))
    }

    #[test]
    fn anything_but_yes_cancels() {
        let s = sqlite_project("prompt_no");
        for reply in ["no", "y", "YES"] {
            let (code, out) = answer(&s, reply);
            assert_eq!(code, 3, "{reply}: {out}");
            assert!(out.contains("Apply cancelled."), "{out}");
            assert_eq!(sqlite_tables(&s), 0, "nothing applied after {reply:?}");
        }
    }

    #[test]
    fn yes_applies() {
        let s = sqlite_project("prompt_yes");
        let (code, out) = answer(&s, "yes");
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
            "{out}"
        );
        assert_eq!(sqlite_tables(&s), 1);
    }
}
