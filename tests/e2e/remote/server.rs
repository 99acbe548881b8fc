//! A real S3 protocol server on loopback for the remote-state tests: moto's server mode
//! (installed from PyPI by .ci/run), run by `s3_server.py` beside this file, which handles one
//! request at a time so that conditional writes are atomic as on S3 (the stock `moto_server`
//! is not: see the script). `STRATA_MOTO_PYTHON` names the Python that has moto, else
//! `python3`. One server per test process, on a free port; it exits when the test process is
//! gone, and `timeout` stops it after 20 minutes at most. When it cannot be started the tests
//! fail: they never skip.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The server's endpoint, `http://127.0.0.1:PORT`, started on first use.
pub fn endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(|| launch().0)
}

/// A server of one test's own, for a test that stops it (the shared one must stay up).
pub struct Own {
    pub endpoint: String,
    timeout: Child,
    stopped: bool,
}

impl Own {
    pub fn start() -> Own {
        let (endpoint, timeout) = launch();
        Own {
            endpoint,
            timeout,
            stopped: false,
        }
    }

    /// Stop the server now: SIGTERM to `timeout`, which passes it on to moto.
    pub fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.timeout.id().to_string()])
            .status();
        let _ = self.timeout.wait();
        let port = self.endpoint.rsplit(':').next().unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(format!("127.0.0.1:{port}")).is_ok() {
            assert!(Instant::now() < deadline, "the S3 test server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Own {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Start a server on a free port (under `timeout`, the returned child); its endpoint.
fn launch() -> (String, Child) {
    let exe = std::env::var("STRATA_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/remote/s3_server.py");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    const HOW: &str =
        "run .ci/run, or `pip install 'moto[server]'` and set STRATA_MOTO_PYTHON to that Python";
    let spawned = Command::new("timeout")
        .args([
            "1200",
            &exe,
            script,
            "127.0.0.1",
            &port.to_string(),
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => panic!("cannot start the S3 test server {exe} {script} ({e}): {HOW}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the S3 test server {exe} {script} exited ({status}): {HOW}");
        }
        assert!(
            Instant::now() < deadline,
            "the S3 test server {exe} did not listen on 127.0.0.1:{port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (format!("http://127.0.0.1:{port}"), child)
}

/// A new, empty bucket on the shared server.
pub fn bucket(tag: &str) -> String {
    bucket_on(endpoint(), tag)
}

/// A new, empty bucket on the server at `endpoint` (moto does not check signatures on bucket
/// creation).
pub fn bucket_on(endpoint: &str, tag: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "strata-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let addr = endpoint.trim_start_matches("http://").to_string();
    let mut conn = TcpStream::connect(&addr).expect("connect to the S3 test server");
    write!(
        conn,
        "PUT /{name} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut reply = String::new();
    conn.read_to_string(&mut reply).expect("reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "create bucket: {reply}");
    name
}

/// The environment a client of the test server needs: dummy credentials.
pub const CREDENTIALS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "strata-test"),
    ("AWS_SECRET_ACCESS_KEY", "strata-test-secret"),
    ("AWS_REGION", "us-east-1"),
];
