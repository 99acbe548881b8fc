//! Running one command and measuring it: wall time and the peak resident memory of the process.
//!
//! Peak memory comes from the kernel's accounting of the reaped child (`wait4`'s `ru_maxrss`),
//! which is exact even for runs of a few milliseconds, where sampling /proc would miss the peak.
//! `wait4` is in the C library the standard library already links, so no crate is needed.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size of the process (and any children it waited for), in KiB.
    pub max_rss_kib: u64,
}

/// A command to run: program, arguments, optional stdin file, and the exit codes that mean
/// success (plan's `-detailed-exitcode` exits 2 when changes are present).
#[derive(Clone, Debug)]
pub struct Job {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdin: Option<PathBuf>,
    pub ok_codes: Vec<i32>,
    /// Kill the command when it runs longer (see [`Job::run`]).
    pub timeout: Duration,
}

impl Job {
    pub fn new(program: impl Into<PathBuf>, args: &[&str]) -> Job {
        Job {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            stdin: None,
            ok_codes: vec![0],
            timeout: Duration::from_secs(600),
        }
    }

    pub fn stdin(mut self, file: &Path) -> Job {
        self.stdin = Some(file.to_path_buf());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Job {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Job {
        self.timeout = timeout;
        self
    }

    pub fn ok_codes(mut self, codes: &[i32]) -> Job {
        self.ok_codes = codes.to_vec();
        self
    }

    /// The command line, for error messages.
    pub fn display(&self) -> String {
        let mut s = self.program.display().to_string();
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        if let Some(f) = &self.stdin {
            s.push_str(&format!(" < {}", f.display()));
        }
        s
    }

    /// Run the command once, its output to `log` (kept for reading when it fails), and measure
    /// it. An exit code outside `ok_codes` is an error quoting the end of the log.
    ///
    /// The command runs under a small helper (this same binary, see [`helper_main`]): Linux
    /// carries a process's peak RSS across `exec`, and a child spawned straight from the bench
    /// would start with the bench's own peak (tens of MiB after generating 5,000 tables).
    pub fn run(&self, log: &Path) -> Result<Sample, String> {
        let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let stdin = match &self.stdin {
            Some(f) => Stdio::from(File::open(f).map_err(|e| format!("{}: {e}", f.display()))?),
            None => Stdio::null(),
        };
        let result_file = log.with_extension("measure");
        let me =
            std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
        let helper = Command::new(me)
            .arg(HELPER_FLAG)
            .arg(&result_file)
            .arg(&self.program)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(stdin)
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.display()))?;
        let pgid = helper.id() as i32;
        // A watchdog kills the helper and the command (one process group) at the timeout; it is
        // told as soon as the helper ends.
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let timeout = self.timeout;
        let watchdog = std::thread::spawn(move || {
            let expired = finished.recv_timeout(timeout).is_err();
            if expired {
                // SAFETY: plain syscall; the helper is not reaped yet, so the group is still ours.
                unsafe { kill(-pgid, SIGKILL) };
            }
            expired
        });
        let reaped = reap(pgid as u32);
        let _ = done.send(());
        let timed_out = watchdog.join().unwrap_or(false);
        reaped?;
        if timed_out {
            return Err(format!(
                "timed out after {} s: {}",
                timeout.as_secs(),
                self.display()
            ));
        }
        let text = std::fs::read_to_string(&result_file)
            .map_err(|e| format!("{}: no measurement ({e})", self.display()))?;
        let (code, sample) = parse_result(&text)
            .ok_or_else(|| format!("{}: cannot read the measurement {text:?}", self.display()))?;
        if !self.ok_codes.contains(&code) {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(format!("exited {code}: {last}\n{}", self.display()));
        }
        Ok(sample)
    }
}

/// The first argument that makes the bench binary act as the measuring helper.
pub const HELPER_FLAG: &str = "--strata-bench-measure";

/// The helper: `bench --strata-bench-measure RESULT PROGRAM ARGS…` runs PROGRAM with the
/// inherited stdio, and writes "exit-code peak-RSS-KiB wall-nanoseconds" to RESULT. Started
/// afresh, the helper is small, so the peak it hands its child is a few MiB at most.
pub fn helper_main(args: &[String]) -> i32 {
    let [result, program, rest @ ..] = args else {
        eprintln!("usage: {HELPER_FLAG} RESULT PROGRAM [ARGS…]");
        return 2;
    };
    let start = Instant::now();
    let child = match Command::new(program).args(rest).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot run {program}: {e} (is it installed?)");
            return 127;
        }
    };
    match reap(child.id()) {
        Ok((code, kib)) => {
            let wall = start.elapsed().as_nanos();
            match std::fs::write(result, format!("{code} {kib} {wall}")) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("{result}: {e}");
                    1
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// "code kib nanos" as written by [`helper_main`].
fn parse_result(text: &str) -> Option<(i32, Sample)> {
    let mut parts = text.split_whitespace();
    let code = parts.next()?.parse().ok()?;
    let max_rss_kib = parts.next()?.parse().ok()?;
    let nanos: u64 = parts.next()?.parse().ok()?;
    Some((
        code,
        Sample {
            wall: Duration::from_nanos(nanos),
            max_rss_kib,
        },
    ))
}

/// `struct rusage` of Linux on 64-bit targets: two `timeval`s, then `ru_maxrss` and 13 more longs.
#[repr(C)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss: i64,
    rest: [i64; 13],
}

const SIGKILL: i32 = 9;

unsafe extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    fn kill(pid: i32, signal: i32) -> i32;
}

/// Wait for `pid` and return its exit code (128 + signal when killed) and peak RSS in KiB.
/// The std `Child` is not waited on afterwards: dropping it neither waits nor kills.
fn reap(pid: u32) -> Result<(i32, u64), String> {
    let mut status = 0i32;
    let mut usage = Rusage {
        utime: [0; 2],
        stime: [0; 2],
        maxrss: 0,
        rest: [0; 13],
    };
    loop {
        // SAFETY: `status` and `usage` are valid for writes and laid out as the kernel expects.
        let r = unsafe { wait4(pid as i32, &mut status, 0, &mut usage) };
        if r == pid as i32 {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4({pid}): {e}"));
        }
    }
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    };
    Ok((code, usage.maxrss.max(0) as u64))
}
