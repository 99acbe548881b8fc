//! Remote state through the real binary: object storage against a real S3 protocol server on
//! loopback (moto, see `server`), and the database backend on PostgreSQL, MySQL and SQLite.
//! Concurrent imports and applies serialise on the lock, unlocked writers are refused by the
//! etag, a killed holder's lock is shown, taken over after its lease and force-unlocked before,
//! and a state moves local → S3 → local keeping lineage and serial.

mod database;
mod errored;
mod migrate;
mod server;

use crate::common::{Scratch, output_text};
use std::process::Output;
use std::sync::Arc;
use std::time::Duration;
use strata::state::State;
use strata::state::backend::Version;
use strata::state::location::{ObjectLocation, Store};
use strata::state::object::ObjectBackend;
use strata::state::object::object_store::aws::AmazonS3Builder;
use strata::state::object::object_store::path::Path as ObjectPath;
use strata::state::object::object_store::{
    ObjectStore, ObjectStoreExt, PutMode, PutOptions, UpdateVersion,
};
use strata_schema::Dialect;

const KEY: &str = "team/app.strata.json";

/// A scratch whose env `ci` keeps its state in a fresh bucket with a `lease`.
fn s3_project(dialect: Dialect, tag: &str, schema: &str, lease: &str) -> (Scratch, String) {
    let s = Scratch::new(dialect, tag);
    let bucket = server::bucket(tag);
    s.write("schema.sql", schema);
    configure(&s, &s3_block(server::endpoint(), &bucket, lease));
    (s, bucket)
}

/// The `state` block of a state in `bucket` on the test server at `endpoint`.
fn s3_block(endpoint: &str, bucket: &str, lease: &str) -> String {
    format!(
        "state {{\n    backend  = \"s3\"\n    bucket   = \"{bucket}\"\n    key      = \"{KEY}\"\n    region   = \"us-east-1\"\n    endpoint = \"{endpoint}\"\n    lease    = \"{lease}\"\n  }}"
    )
}

/// Write the scratch's strata.hcl: env `ci` on its database and schema.sql, with `state` (a
/// `state { … }` block, or nothing for the local default).
fn configure(s: &Scratch, state: &str) {
    s.write(
        "strata.hcl",
        &format!(
            "env \"ci\" {{\n  url = \"{}\"\n  src = \"file://schema.sql\"\n  {state}\n}}\n",
            s.url
        ),
    );
}

/// `strata ARGS` in the scratch, with the test server's credentials.
fn strata(s: &Scratch, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = s.strata();
    cmd.args(args).envs(server::CREDENTIALS);
    cmd
}

fn run(s: &Scratch, args: &[&str]) -> Output {
    strata(s, args).output().expect("run strata")
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", output_text(out));
    output_text(out)
}

/// The standard output of a successful run.
fn stdout_ok(out: &Output) -> String {
    ok(out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Start `n` copies of `strata ARGS(i)` at once and wait for all of them.
fn concurrently(s: &Scratch, n: usize, args: impl Fn(usize) -> Vec<String>) -> Vec<Output> {
    let children: Vec<_> = (0..n)
        .map(|i| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_strata"));
            cmd.current_dir(s.dir.path())
                .args(args(i))
                .envs(server::CREDENTIALS)
                .env("NO_COLOR", "1")
                .env_remove("CI")
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("spawn strata")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

/// A client of the test server.
fn store(bucket: &str) -> Arc<dyn ObjectStore> {
    let s3 = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region("us-east-1")
        .with_endpoint(server::endpoint())
        .with_allow_http(true)
        .with_access_key_id(server::CREDENTIALS[0].1)
        .with_secret_access_key(server::CREDENTIALS[1].1)
        .build()
        .expect("S3 client");
    Arc::new(s3)
}

fn backend(bucket: &str) -> ObjectBackend {
    let location = ObjectLocation {
        store: Store::S3 {
            region: Some("us-east-1".into()),
            endpoint: Some(server::endpoint().into()),
        },
        bucket: bucket.into(),
        key: KEY.into(),
        lease: Duration::from_secs(60),
    };
    ObjectBackend::with_store(location, store(bucket))
}

/// The state in the bucket.
fn remote_state(bucket: &str) -> (State, Version) {
    let (state, version) = crate::common::block_on(backend(bucket).read()).expect("read state");
    (state.expect("a state in the bucket"), version)
}

#[test]
fn the_s3_server_honours_if_none_match_and_if_match_under_concurrency() {
    let bucket = server::bucket("cond");
    let store = store(&bucket);
    let path = ObjectPath::from("race");
    crate::common::block_on(async {
        for round in 0..3 {
            let _ = store.delete(&path).await;
            let creates = (0..16).map(|i| {
                let opts = PutOptions::from(PutMode::Create);
                store.put_opts(&path, format!("{round}-{i}").into(), opts)
            });
            let won = futures_count(creates).await;
            assert_eq!(
                won, 1,
                "round {round}: exactly one If-None-Match create wins"
            );
        }
        let meta = store.head(&path).await.expect("head");
        let version = UpdateVersion {
            e_tag: meta.e_tag,
            version: meta.version,
        };
        let updates = (0..16).map(|i| {
            let opts = PutOptions::from(PutMode::Update(version.clone()));
            store.put_opts(&path, format!("u{i}").into(), opts)
        });
        assert_eq!(
            futures_count(updates).await,
            1,
            "exactly one If-Match update wins"
        );
    });
}

/// Run the futures concurrently; how many succeeded.
async fn futures_count<F, T, E>(futures: impl Iterator<Item = F>) -> usize
where
    F: std::future::Future<Output = Result<T, E>>,
{
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut won = 0;
    // Poll all of them together: each one's request is in flight before any completes.
    let results = join_all(set).await;
    for r in results {
        won += usize::from(r.is_ok());
    }
    won
}

/// A minimal join_all: poll every pending future until all are done.
async fn join_all<F: std::future::Future + Unpin>(mut futures: Vec<F>) -> Vec<F::Output> {
    let mut out: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futures.iter_mut().enumerate() {
            if out[i].is_none() {
                match std::pin::Pin::new(f).poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.expect("done")).collect()
}

const EIGHT: &str = "CREATE TABLE t0 (id integer PRIMARY KEY);\nCREATE TABLE t1 (id integer PRIMARY KEY);\nCREATE TABLE t2 (id integer PRIMARY KEY);\nCREATE TABLE t3 (id integer PRIMARY KEY);\nCREATE TABLE t4 (id integer PRIMARY KEY);\nCREATE TABLE t5 (id integer PRIMARY KEY);\nCREATE TABLE t6 (id integer PRIMARY KEY);\nCREATE TABLE t7 (id integer PRIMARY KEY);\n";

#[test]
fn eight_concurrent_imports_all_land() {
    let (s, bucket) = s3_project(Dialect::Postgres, "imports", EIGHT, "60s");
    s.exec(EIGHT);
    let outs = concurrently(&s, 8, |i| {
        vec![
            "import".into(),
            "-lock-timeout=60s".into(),
            format!("table.{}.t{i}", s.name),
        ]
    });
    for out in &outs {
        ok(out);
    }
    let (state, _) = remote_state(&bucket);
    assert_eq!(state.objects.len(), 8, "{:?}", state.objects.keys());
    assert_eq!(state.serial, 8, "one serial per import, none lost");
}

#[test]
fn eight_concurrent_applies_do_the_ddl_once() {
    let schema = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE TABLE teams (id integer PRIMARY KEY);\n";
    let (s, bucket) = s3_project(Dialect::Postgres, "applies", schema, "60s");
    let outs = concurrently(&s, 8, |_| {
        ["apply", "-auto-approve", "-lock-timeout=60s"]
            .map(String::from)
            .to_vec()
    });
    let texts: Vec<String> = outs.iter().map(ok).collect();
    let did = texts.iter().filter(|t| t.contains("2 added")).count();
    let nothing = texts.iter().filter(|t| t.contains("No changes")).count();
    assert_eq!((did, nothing), (1, 7), "{texts:#?}");
    let (state, _) = remote_state(&bucket);
    assert_eq!(state.objects.len(), 2);
    assert_eq!(state.serial, 1, "one write changed the state");
}

#[test]
fn unlocked_writers_are_refused_by_the_etag_not_lost() {
    let (s, bucket) = s3_project(Dialect::Postgres, "nolock", EIGHT, "60s");
    s.exec(EIGHT);
    let outs = concurrently(&s, 2, |i| {
        vec![
            "import".into(),
            "-lock=false".into(),
            format!("table.{}.t{i}", s.name),
        ]
    });
    let (state, _) = remote_state(&bucket);
    let errored = s.dir.path().join("errored.strata.json");
    for (i, out) in outs.iter().enumerate() {
        let address = format!("table.{}.t{i}", s.name);
        if out.status.success() {
            continue;
        }
        // The loser: refused with the etag message, its state kept aside.
        let text = output_text(out);
        assert!(
            text.contains("the state was changed by another process since it was read"),
            "{text}"
        );
        let kept = std::fs::read_to_string(&errored).expect("errored.strata.json");
        assert!(
            kept.contains(&address),
            "the refused update is kept: {kept}"
        );
        assert!(!state.objects.contains_key(&address) || state.objects.len() == 2);
    }
    let winners = outs.iter().filter(|o| o.status.success()).count();
    assert!(winners >= 1, "at least one writer wins");
    assert_eq!(
        state.objects.len(),
        winners,
        "every successful write is in the state"
    );
}

#[test]
fn a_stale_etag_write_is_refused() {
    let (s, bucket) = s3_project(Dialect::Sqlite, "stale", EIGHT, "60s");
    s.exec(EIGHT);
    ok(&run(&s, &["import", "table.main.t0"]));
    let b = backend(&bucket);
    let (state, before) = remote_state(&bucket);
    // Another writer gets in between this read and this write.
    ok(&run(&s, &["import", "table.main.t1"]));
    let refused = crate::common::block_on(b.write(&state, &before)).expect_err("stale write");
    let message = refused.to_string();
    assert!(
        message.contains("the state was changed by another process since it was read")
            && message.contains("etag"),
        "{message}"
    );
    assert_eq!(
        remote_state(&bucket).0.objects.len(),
        2,
        "the newer state stands"
    );
}

/// `strata apply` on a terminal, stopped at the approval prompt while holding the lock.
fn holder_at_prompt(s: &Scratch) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_strata"));
    cmd.current_dir(s.dir.path())
        .arg("apply")
        .envs(server::CREDENTIALS)
        .env("NO_COLOR", "1")
        .env("CI_JOB_URL", "https://ci.example/jobs/42");
    let mut session = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn on a pty");
    session
        .exp_string("Enter a value")
        .expect("the approval prompt");
    session
}

/// `kill -9` the holder: it gets no chance to release anything.
fn kill9(mut session: rexpect::session::PtySession) {
    let process = session.process_mut();
    process
        .signal(rexpect::process::Signal::SIGKILL)
        .expect("SIGKILL");
    let _ = process.wait();
}

fn lock_id(s: &Scratch) -> String {
    let json = stdout_ok(&run(s, &["lock", "show", "-json"]));
    let record: serde_json::Value = serde_json::from_str(&json).expect("lock show -json");
    record["id"].as_str().expect("a lock id").to_string()
}

#[test]
fn a_killed_holders_lock_is_shown_taken_over_after_expiry_and_force_unlocked_before() {
    let schema = "CREATE TABLE users (id integer PRIMARY KEY);\n";
    let (s, _bucket) = s3_project(Dialect::Sqlite, "kill", schema, "4s");
    kill9(holder_at_prompt(&s));
    let shown = ok(&run(&s, &["lock", "show"]));
    assert!(
        shown.contains("is locked") && shown.contains("Expires:"),
        "{shown}"
    );
    assert!(shown.contains("https://ci.example/jobs/42"), "{shown}");
    let dead = lock_id(&s);
    let refused = run(&s, &["apply", "-auto-approve"]);
    assert_eq!(refused.status.code(), Some(4), "{}", output_text(&refused));
    // After the lease, the next apply takes the lock over, naming the former holder.
    std::thread::sleep(Duration::from_secs(5));
    let took = ok(&run(&s, &["apply", "-auto-approve"]));
    assert!(
        took.contains("taking it over") && took.contains(&dead),
        "{took}"
    );
    // Before expiry, force-unlock frees it at once.
    s.write("schema.sql", "CREATE TABLE users (id integer PRIMARY KEY);\nCREATE TABLE teams (id integer PRIMARY KEY);\n");
    kill9(holder_at_prompt(&s));
    let id = lock_id(&s);
    let unlocked = ok(&run(&s, &["force-unlock", "-force", &id]));
    assert!(unlocked.contains("has been unlocked"), "{unlocked}");
    ok(&run(&s, &["apply", "-auto-approve"]));
    assert!(ok(&run(&s, &["lock", "show"])).contains("not locked"));
}

#[test]
fn moving_state_local_to_s3_and_back_keeps_lineage_and_serial() {
    let schema = "CREATE TABLE users (id integer PRIMARY KEY);\n";
    let (s, bucket) = s3_project(Dialect::Sqlite, "move", schema, "60s");
    let local = ".strata/ci.state.json";
    ok(&run(
        &s,
        &["apply", "-auto-approve", &format!("-state={local}")],
    ));
    let before = strata::state::file::decode(
        &std::fs::read_to_string(s.dir.path().join(local)).expect("local state"),
        local,
    )
    .expect("decode");
    // local → S3
    let pulled = stdout_ok(&run(&s, &["state", "pull", &format!("-state={local}")]));
    s.write("moved.json", &pulled);
    ok(&run(&s, &["state", "push", "moved.json"]));
    let (remote, _) = remote_state(&bucket);
    assert_eq!(
        (&remote.lineage, remote.serial),
        (&before.lineage, before.serial)
    );
    // S3 → local, into an empty place
    std::fs::remove_file(s.dir.path().join(local)).expect("remove local");
    let pulled = stdout_ok(&run(&s, &["state", "pull"]));
    s.write("back.json", &pulled);
    ok(&run(
        &s,
        &["state", "push", "back.json", &format!("-state={local}")],
    ));
    let back = strata::state::file::decode(
        &std::fs::read_to_string(s.dir.path().join(local)).expect("local state"),
        local,
    )
    .expect("decode");
    assert_eq!(
        (&back.lineage, back.serial),
        (&before.lineage, before.serial)
    );
}
