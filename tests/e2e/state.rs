//! State file, local backend and state commands, through the real binary: byte-for-byte round
//! trips, refusal of damaged and newer files, `state push` rules, `state rm` then adoption,
//! `force-unlock`, two applies racing for one state, and the errored.strata.json fallback.
//!
//! SQLite where the dialect does not matter; PostgreSQL for `state rm`/`state show` (schemas
//! and server catalogs) and MySQL for the concurrent applies (no transactional DDL there, so a
//! second apply running over the first would show).

use crate::common::{Scratch, output_text};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use strata::state::State;
use strata::state::file::{decode, encode};
use strata::state::local::LocalBackend;
use strata_schema::Dialect;

const USERS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n";
const USERS_AND_TEAMS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE TABLE teams (id integer PRIMARY KEY);\n";

/// A scratch whose `schema.sql` holds `schema`.
fn project(dialect: Dialect, tag: &str, schema: &str) -> Scratch {
    let s = Scratch::new(dialect, tag);
    s.write("schema.sql", schema);
    s
}

/// `strata ARGS -url=… -src=file://schema.sql`, stdin not a terminal.
fn run(s: &Scratch, args: &[&str]) -> Output {
    command(s, args).output().expect("run strata")
}

fn command(s: &Scratch, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = s.strata();
    cmd.args(args)
        .args([format!("-url={}", s.url), "-src=file://schema.sql".into()]);
    cmd
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_code(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", output_text(out));
}

/// A failed run: exit 1 (or the lock code), every needle on stderr, no panic.
fn assert_refused(out: &Output, needles: &[&str]) {
    assert_code(out, 1);
    let err = stderr(out);
    for needle in needles {
        assert!(
            err.contains(needle),
            "stderr lacks {needle:?}\n{}",
            output_text(out)
        );
    }
    assert!(!err.contains("panicked"), "{}", output_text(out));
}

fn apply(s: &Scratch) {
    assert_code(&run(s, &["apply", "-auto-approve"]), 0);
}

fn backend(s: &Scratch) -> LocalBackend {
    LocalBackend {
        path: s.state().path,
    }
}

fn state_text(s: &Scratch) -> String {
    std::fs::read_to_string(s.state().path).expect("state file")
}

fn read_state(s: &Scratch) -> State {
    backend(s).read().expect("state decodes").expect("a state")
}

/// Files in the state directory whose names end with `suffix` and are timestamped backups.
fn timestamped_backups(s: &Scratch) -> Vec<PathBuf> {
    let dir = s.state().path.parent().expect("dir").to_path_buf();
    std::fs::read_dir(dir)
        .expect("state dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            name.starts_with("default.state.json.2") && name.ends_with(".backup")
        })
        .collect()
}

fn sqlite_tables(s: &Scratch) -> i64 {
    s.query_i64(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
}

#[test]
fn state_round_trips_byte_for_byte() {
    let s = project(Dialect::Sqlite, "roundtrip", USERS_AND_TEAMS);
    apply(&s);
    let text = state_text(&s);
    assert!(text.starts_with("{\n  \"format_version\": 1,\n"), "{text}");
    let decoded = decode(&text, "state").expect("decodes");
    assert_eq!(encode(&decoded), text);

    let pulled = run(&s, &["state", "pull"]);
    assert_code(&pulled, 0);
    assert_eq!(stdout(&pulled), text);

    let listed = run(&s, &["state", "list"]);
    assert_code(&listed, 0);
    assert_eq!(stdout(&listed), "table.main.teams\ntable.main.users\n");

    // Pushing the state onto itself changes nothing, not even the history.
    std::fs::write(s.dir.path().join("pulled.json"), stdout(&pulled)).expect("write");
    let pushed = run(&s, &["state", "push", "pulled.json"]);
    assert_code(&pushed, 0);
    assert!(
        stdout(&pushed).contains("nothing to push"),
        "{}",
        output_text(&pushed)
    );
    assert_eq!(state_text(&s), text);

    // A plan that changes nothing leaves the file alone.
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
    assert_eq!(state_text(&s), text);
}

#[test]
fn damaged_state_is_refused_with_the_way_back() {
    let s = project(Dialect::Sqlite, "damaged", USERS);
    apply(&s);
    let path = s.state().path;
    let good = state_text(&s);
    let shown = path.display().to_string();

    std::fs::write(&path, &good[..good.len() / 2]).expect("truncate");
    assert_refused(
        &run(&s, &["plan"]),
        &[
            &shown,
            "truncated",
            "default.state.json.backup",
            "strata state push",
        ],
    );

    let edited = good.replacen("\"nullable\": false", "\"nullable\": true", 1);
    assert_ne!(edited, good);
    std::fs::write(&path, &edited).expect("hand edit");
    for args in [
        &["plan"][..],
        &["apply", "-auto-approve"],
        &["state", "list"],
    ] {
        assert_refused(&run(&s, args), &[&shown, "checksum does not match"]);
    }
    // Nothing was applied over a state that cannot be trusted.
    assert_eq!(std::fs::read_to_string(&path).expect("state"), edited);

    let newer = good
        .replace("\"format_version\": 1,", "\"format_version\": 99,")
        .replacen("\"tool_version\": \"", "\"tool_version\": \"9.", 1);
    std::fs::write(&path, newer).expect("newer");
    assert_refused(
        &run(&s, &["plan"]),
        &[
            &shown,
            "format 99",
            "reads formats up to 1",
            "upgrade Strata",
        ],
    );
}

#[test]
fn state_push_follows_lineage_and_serial_rules() {
    let s = project(Dialect::Sqlite, "push", USERS);
    apply(&s);
    let first = state_text(&s);
    std::fs::write(s.dir.path().join("first.json"), &first).expect("copy");
    s.write("schema.sql", USERS_AND_TEAMS);
    apply(&s);
    let second = read_state(&s);
    assert_eq!(second.serial, 2);

    // Lower serial.
    assert_refused(
        &run(&s, &["state", "push", "first.json"]),
        &["serial 1 is lower than the current state's (2)", "-force"],
    );
    // Another lineage.
    let mut foreign = second.clone();
    foreign.lineage = "00000000-0000-4000-8000-000000000000".into();
    foreign.serial = 9;
    s.write("foreign.json", &encode(&foreign));
    assert_refused(
        &run(&s, &["state", "push", "foreign.json"]),
        &["lineage 00000000-0000-4000-8000-000000000000"],
    );
    // Same serial, other content.
    let mut diverged = second.clone();
    diverged.objects.remove("table.main.teams");
    s.write("diverged.json", &encode(&diverged));
    assert_refused(
        &run(&s, &["state", "push", "diverged.json"]),
        &["same serial (2)"],
    );
    // A damaged file is refused before anything is replaced.
    s.write("damaged.json", &first.replace("users", "people"));
    assert_refused(
        &run(&s, &["state", "push", "damaged.json"]),
        &["damaged.json", "checksum"],
    );
    assert_eq!(read_state(&s), second);
    assert!(timestamped_backups(&s).is_empty());

    // -force: replaced, serial raised past the current one, a timestamped backup kept.
    let forced = run(&s, &["state", "push", "-force", "first.json"]);
    assert_code(&forced, 0);
    let now = read_state(&s);
    assert_eq!(now.serial, 3);
    assert_eq!(now.objects.keys().collect::<Vec<_>>(), ["table.main.users"]);
    assert_eq!(
        now.history.last().map(|h| h.operation.as_str()),
        Some("state push")
    );
    let backups = timestamped_backups(&s);
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        decode(
            &std::fs::read_to_string(&backups[0]).expect("backup"),
            "backup"
        )
        .expect("valid"),
        second
    );

    // A newer serial of the same lineage goes in without -force, from stdin too.
    let mut newer = second.clone();
    newer.serial = 7;
    let piped = command(&s, &["state", "push", "-"])
        .write_stdin(encode(&newer))
        .output()
        .expect("run strata");
    assert_code(&piped, 0);
    assert_eq!(read_state(&s).serial, 7);
    assert_eq!(read_state(&s).objects, second.objects);
    assert_code(&run(&s, &["plan", "-detailed-exitcode"]), 0);
}

#[test]
fn state_rm_forgets_without_dropping_and_the_next_plan_adopts() {
    let s = project(
        Dialect::Postgres,
        "state_rm",
        "CREATE TABLE teams (id integer PRIMARY KEY);\nCREATE TABLE users (id integer PRIMARY KEY, team_id integer REFERENCES teams (id));\n",
    );
    apply(&s);
    let users = format!("table.{}.users", s.name);
    let teams = format!("table.{}.teams", s.name);
    let before = read_state(&s);

    let shown = run(&s, &["state", "show", &users]);
    assert_code(&shown, 0);
    let text = stdout(&shown);
    assert!(text.starts_with(&format!("# {users}\n")), "{text}");
    assert!(
        text.contains("CREATE TABLE") && text.contains("REFERENCES"),
        "{text}"
    );
    assert!(text.contains(&format!("depends on: {teams}")), "{text}");

    assert_refused(
        &run(&s, &["state", "rm", "table.nowhere.ghost"]),
        &["has no object table.nowhere.ghost", "strata state list"],
    );
    assert_eq!(read_state(&s), before);

    let removed = run(&s, &["state", "rm", &users]);
    assert_code(&removed, 0);
    assert!(
        stdout(&removed).contains(&format!("Removed {users}")),
        "{}",
        output_text(&removed)
    );
    let after = read_state(&s);
    assert_eq!(after.serial, before.serial + 1);
    assert_eq!(after.objects.keys().collect::<Vec<_>>(), [&teams]);
    assert_eq!(
        after.history.last().map(|h| h.operation.as_str()),
        Some("state rm")
    );
    assert_eq!(timestamped_backups(&s).len(), 1);
    assert_eq!(
        s.query_i64(&format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '{}' AND table_name = 'users'",
            s.name
        )),
        1,
        "state rm must not drop the table"
    );
    let listed = run(&s, &["state", "list"]);
    assert_eq!(stdout(&listed), format!("{teams}\n"));

    // The table is still desired and exists: the next plan adopts it, with no DDL.
    let plan = run(&s, &["plan"]);
    assert_code(&plan, 0);
    assert!(
        stdout(&plan).contains("1 existing object will be adopted"),
        "{}",
        output_text(&plan)
    );
    apply(&s);
    assert!(read_state(&s).objects.contains_key(&users));
    assert_code(&run(&s, &["plan", "-detailed-exitcode"]), 0);
}

#[test]
fn force_unlock_names_the_lock_it_removes() {
    let s = project(Dialect::Sqlite, "unlock", USERS);
    assert_refused(
        &run(&s, &["force-unlock", "-force", "some-id"]),
        &["is not locked"],
    );
    let held = backend(&s)
        .lock("apply", Duration::ZERO, &mut |_| {})
        .expect("lock");
    let id = held.info.id.clone();

    assert_refused(
        &run(&s, &["force-unlock", "-force", "not-the-id"]),
        &["lock ID not-the-id does not match", &id],
    );
    // No terminal to ask on: refuse, and say how to skip the question.
    assert_refused(&run(&s, &["force-unlock", &id]), &["-force"]);
    assert!(backend(&s).lock_record().expect("record").is_some());

    let unlocked = run(&s, &["force-unlock", "-force", &id]);
    assert_code(&unlocked, 0);
    assert!(
        stdout(&unlocked).contains("has been unlocked"),
        "{}",
        output_text(&unlocked)
    );
    // Others proceed, although this process still holds its (now detached) lock.
    apply(&s);
    assert_eq!(sqlite_tables(&s), 1);
    drop(held);

    // A record left by a process that died holds nothing: apply proceeds over it.
    let dead = strata::state::lock::LockInfo::new("apply", "elsewhere");
    std::fs::write(
        backend(&s).lock_path(),
        serde_json::to_string(&dead).expect("json"),
    )
    .expect("leftover record");
    assert_code(&run(&s, &["plan", "-detailed-exitcode"]), 0);
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
}

#[test]
fn kill_9_leaves_no_stale_lock() {
    use rexpect::process::{Signal, WaitStatus};
    let s = project(Dialect::Sqlite, "kill_9", USERS);
    // An apply waiting at its prompt holds the lock (from plan to apply).
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_strata"));
    cmd.current_dir(s.dir.path()).env("NO_COLOR", "1").args([
        "apply",
        &format!("-url={}", s.url),
        "-src=file://schema.sql",
    ]);
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    session.exp_string("Enter a value: ").expect("the prompt");
    let holder = match backend(&s).lock("test", Duration::ZERO, &mut |_| {}) {
        Err(e) => {
            assert!(e.is_lock_held(), "{e}");
            backend(&s)
                .lock_record()
                .expect("record")
                .expect("a holder")
        }
        Ok(_) => panic!("the prompting apply does not hold the lock"),
    };
    assert_eq!(holder.operation, "apply");
    assert_refused_or_locked(&run(&s, &["apply", "-auto-approve"]), &holder.id);

    session
        .process_mut()
        .signal(Signal::SIGKILL)
        .expect("kill -9");
    assert!(matches!(
        session.process().wait().expect("status"),
        WaitStatus::Signaled(_, Signal::SIGKILL, _)
    ));
    // Its record is left behind, but the OS released its lock with the process.
    assert_eq!(backend(&s).lock_record().expect("record"), Some(holder));
    apply(&s);
    assert_eq!(sqlite_tables(&s), 1);
    assert_eq!(backend(&s).lock_record().expect("record"), None);
}

/// A run refused because the lock with `id` is held: non-zero, naming the lock.
fn assert_refused_or_locked(out: &Output, id: &str) {
    assert_ne!(out.status.code(), Some(0), "{}", output_text(out));
    let err = stderr(out);
    assert!(
        err.contains("the state is locked") && err.contains(&format!("strata force-unlock {id}")),
        "{}",
        output_text(out)
    );
}

/// Spawn `strata apply -auto-approve EXTRA…` without waiting for it.
fn spawn_apply(s: &Scratch, extra: &[&str]) -> std::process::Child {
    let bin = assert_cmd::cargo::cargo_bin("strata");
    Command::new(bin)
        .current_dir(s.dir.path())
        .env("NO_COLOR", "1")
        .args(["apply", "-auto-approve"])
        .args(extra)
        .args([format!("-url={}", s.url), "-src=file://schema.sql".into()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata")
}

#[test]
fn two_applies_at_once_never_lose_the_state() {
    let schema: String = (0..12)
        .map(|i| format!("CREATE TABLE t{i} (id integer PRIMARY KEY, v varchar(20));\n"))
        .collect();
    let s = project(Dialect::Mysql, "two_applies", &schema);

    // The lock is held (by this test, standing in for a slow apply): a second apply reports
    // the holder and exits non-zero, changing nothing.
    let held = backend(&s)
        .lock("apply", Duration::ZERO, &mut |_| {})
        .expect("lock");
    assert_refused_or_locked(&run(&s, &["apply", "-auto-approve"]), &held.info.id);
    assert_eq!(
        s.query_i64(&format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '{}'",
            s.name
        )),
        0
    );

    // Two applies wait for it; once it is released, one applies and the other then finds
    // nothing to do.
    let waiting: Vec<_> = (0..2)
        .map(|_| spawn_apply(&s, &["-lock-timeout=30s"]))
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    drop(held);
    let outputs: Vec<Output> = waiting
        .into_iter()
        .map(|c| c.wait_with_output().expect("apply finishes"))
        .collect();
    for out in &outputs {
        assert_code(out, 0);
        assert!(
            stderr(out).contains("Waiting for the state lock"),
            "{}",
            output_text(out)
        );
    }
    let applied = outputs
        .iter()
        .filter(|o| stdout(o).contains("Apply complete! Resources: 12 added"))
        .count();
    let idle = outputs
        .iter()
        .filter(|o| stdout(o).contains("No changes."))
        .count();
    assert_eq!(
        (applied, idle),
        (1, 1),
        "{}\n{}",
        output_text(&outputs[0]),
        output_text(&outputs[1])
    );

    let state = read_state(&s);
    assert_eq!(
        applies(&state),
        1,
        "one apply recorded: {:?}",
        state.history
    );
    assert_eq!(state.objects.len(), 12);
    assert!(state.objects.values().all(|m| !m.provisional));
    let serial = state.serial;

    // Two at once with nobody else holding the lock: each either applies or reports the lock;
    // the state stays whole either way.
    s.write(
        "schema.sql",
        &format!("{schema}CREATE TABLE extra (id integer PRIMARY KEY);\n"),
    );
    let racing: Vec<Output> = [spawn_apply(&s, &[]), spawn_apply(&s, &[])]
        .into_iter()
        .map(|c| c.wait_with_output().expect("apply finishes"))
        .collect();
    for out in &racing {
        let ok = out.status.success();
        assert!(
            ok || stderr(out).contains("the state is locked"),
            "{}",
            output_text(out)
        );
    }
    assert!(racing.iter().any(|o| o.status.success()));
    let state = read_state(&s);
    assert!(state.serial > serial);
    assert_eq!(applies(&state), 2, "{:?}", state.history);
    assert_eq!(state.objects.len(), 13);
    assert!(state.objects.values().all(|m| !m.provisional));
    assert_code(&run(&s, &["plan", "-detailed-exitcode"]), 0);
}

/// Completed applies in the state's history (MySQL also journals each step on the way).
fn applies(state: &State) -> usize {
    state
        .history
        .iter()
        .filter(|h| h.operation == "apply")
        .count()
}

#[test]
fn failed_state_write_after_apply_leaves_errored_state_to_push() {
    let s = project(Dialect::Sqlite, "errored", USERS);
    apply(&s);
    // The write keeps the previous version as `<name>.backup` first; a directory in its place
    // makes the write fail after the apply succeeded.
    let blocker = s.state().path.with_file_name("default.state.json.backup");
    std::fs::create_dir_all(blocker.join("in-the-way")).expect("blocker");
    s.write("schema.sql", USERS_AND_TEAMS);

    let out = run(&s, &["apply", "-auto-approve"]);
    assert_refused(
        &out,
        &[
            "writing the state failed",
            "strata state push errored.strata.json",
        ],
    );
    assert_eq!(sqlite_tables(&s), 2, "the apply itself went through");
    assert_eq!(read_state(&s).serial, 1, "the old state is intact");
    let errored = s.dir.path().join("errored.strata.json");
    let saved = decode(
        &std::fs::read_to_string(&errored).expect("errored state"),
        "errored",
    )
    .expect("a valid state");
    assert_eq!(saved.serial, 2);

    std::fs::remove_dir_all(&blocker).expect("remove blocker");
    assert_code(&run(&s, &["state", "push", "errored.strata.json"]), 0);
    let pushed = read_state(&s);
    assert_eq!(
        (&pushed.lineage, pushed.serial, &pushed.objects),
        (&saved.lineage, saved.serial, &saved.objects)
    );
    assert_code(&run(&s, &["plan", "-detailed-exitcode"]), 0);
}
