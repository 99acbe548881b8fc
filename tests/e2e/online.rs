//! Online changes (issue 10): with `diff { concurrent_index { add = true } }`, PostgreSQL
//! builds indexes CONCURRENTLY outside the plan's transaction, and a session writing to the
//! table meanwhile is never blocked for long.

use crate::common::{Scratch, block_on, output_text};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use strata_schema::Dialect;

const BASE: &str =
    "CREATE TABLE events (id bigserial PRIMARY KEY, payload text NOT NULL, n integer NOT NULL);";

/// Insert one row at a time until `stop`, returning (rows written, slowest insert).
fn writer(url: String, stop: Arc<AtomicBool>) -> (u64, Duration) {
    block_on(async move {
        let target = strata::target::Target::parse(&url, std::path::Path::new(".")).expect("url");
        let mut conn = strata::db::connect(&target).await.expect("writer connects");
        let (mut written, mut slowest) = (0u64, Duration::ZERO);
        while !stop.load(Ordering::SeqCst) {
            let started = Instant::now();
            conn.execute("INSERT INTO events (payload, n) VALUES ('written during the build', 1)")
                .await
                .expect("insert");
            slowest = slowest.max(started.elapsed());
            written += 1;
        }
        conn.close().await;
        (written, slowest)
    })
}

#[test]
fn postgres_concurrent_index_build_never_blocks_writers() {
    let s = Scratch::new(Dialect::Postgres, "online");
    let config = |src: &str| {
        format!(
            "env \"local\" {{\n  url = \"{}\"\n  src = \"file://{src}\"\n  diff {{\n    concurrent_index {{\n      add = true\n    }}\n  }}\n}}\n",
            s.url
        )
    };
    s.write("base.sql", BASE);
    s.write("strata.hcl", &config("base.sql"));
    let out = s
        .strata()
        .args(["apply", "-auto-approve"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", output_text(&out));
    s.exec(
        "INSERT INTO events (payload, n) SELECT md5(i::text) || md5((i * 7)::text) || md5((i * 13)::text), i FROM generate_series(1, 400000) i",
    );

    s.write(
        "indexed.sql",
        &format!("{BASE}\nCREATE INDEX events_payload_idx ON events (payload, n);"),
    );
    s.write("strata.hcl", &config("indexed.sql"));
    let plan = s.strata().args(["plan"]).output().expect("run");
    let text = output_text(&plan);
    assert!(text.contains("CREATE INDEX CONCURRENTLY"), "{text}");
    assert!(text.contains("runs outside the transaction"), "{text}");
    assert!(text.contains("SHARE UPDATE EXCLUSIVE"), "{text}");

    let stop = Arc::new(AtomicBool::new(false));
    let handle = {
        let (url, stop) = (s.url.clone(), stop.clone());
        std::thread::spawn(move || writer(url, stop))
    };
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let out = s
        .strata()
        .args(["apply", "-auto-approve"])
        .output()
        .expect("run");
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (written, slowest) = handle.join().expect("writer thread");
    assert!(out.status.success(), "{}", output_text(&out));
    eprintln!(
        "index built in {took:?} while {written} rows were written; slowest insert {slowest:?}"
    );
    assert!(
        written > 10,
        "the writer kept writing during the build ({written} rows)"
    );
    assert!(
        slowest < Duration::from_secs(1),
        "a write waited {slowest:?} on the index build"
    );
    assert_eq!(
        s.query_i64(
            "SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = 'events_payload_idx' AND x.indisvalid"
        ),
        1
    );
    let again = s
        .strata()
        .args(["plan", "-detailed-exitcode"])
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(0), "{}", output_text(&again));
}
