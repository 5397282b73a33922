//! Shared helpers for the integration tests.
//!
//! - where things are: the launcher, the preload library beside it, the C fixtures;
//! - running a program as a separate process with a timeout (a hang fails the test instead of
//!   stalling the suite), in its own process group and its own scratch directory;
//! - tracing a program with `selftrace ... -c -o FILE` and parsing the summary;
//! - a strict parser for strace's `-c` table, checking the exact layout strace 6.1 prints.
//!
//! Every integration test file does `mod common;` and uses a different subset, hence the
//! `dead_code` allowance.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest any single program may run before the test kills it and fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

// ---- paths ---------------------------------------------------------------------------------------

/// The launcher binary (which finds libselftrace.so beside itself: built on first use).
pub fn selftrace() -> PathBuf {
    preload_lib();
    launcher()
}

fn launcher() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_selftrace"))
}

/// Builds with `cargo build --quiet ARGS` in the launcher's profile and target directory and
/// returns `artifact` (a path relative to the profile directory), which must exist afterwards.
/// Builds within one test binary take turns.
pub fn cargo_build(args: &[&str], artifact: &str) -> PathBuf {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = launcher().parent().unwrap().to_path_buf();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet"]).args(args);
    if dir.ends_with("release") {
        cmd.arg("--release");
    }
    if let Some(target) = dir.parent() {
        cmd.env("CARGO_TARGET_DIR", target);
    }
    let status = cmd.status().unwrap_or_else(|e| panic!("running cargo to build {artifact}: {e}"));
    assert!(status.success(), "building {artifact} (cargo build {}) failed", args.join(" "));
    let out = dir.join(artifact);
    assert!(out.exists(), "{} is missing after the build", out.display());
    out
}

/// The preload library, beside the launcher. `cargo test` builds the root package's targets but
/// not the cdylib member's artifact, so the first call in each test binary builds it (a no-op
/// when it is current), with the launcher's profile and target directory.
pub fn preload_lib() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| cargo_build(&["-p", "selftrace-preload"], "libselftrace.so")).clone()
}

/// A compiled C fixture (`tests/fixtures/NAME.c`, built by build.rs).
pub fn fixture(name: &str) -> PathBuf {
    let p = Path::new(env!("SELFTRACE_FIXTURES")).join(name);
    assert!(p.exists(), "fixture {} was not built", p.display());
    p
}

/// Looks `prog` up in PATH, like a shell would.
pub fn which(prog: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(prog)).find(|p| {
        use std::os::unix::fs::PermissionsExt;
        p.is_file() && p.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    })
}

/// Like `which`, but fails the test if the program is not installed.
pub fn need(prog: &str) -> PathBuf {
    which(prog).unwrap_or_else(|| panic!("{prog} is not installed (needed by this test)"))
}

// ---- scratch directories ---------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed on drop. Programs run with it as their
/// working directory, so nothing (core files included) lands in the source tree.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "selftrace-test-{tag}-{}-{}-{nanos}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- unprivileged runs -------------------------------------------------------------------------

/// Whether the suite runs as root (then [`unprivileged`] drops to uid/gid 65534).
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// The uid and gid programs started by [`unprivileged`] really run as.
pub fn unprivileged_user() -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    if running_as_root() {
        (65534, 65534)
    } else {
        let m = std::fs::metadata("/proc/self").unwrap();
        (m.uid(), m.gid())
    }
}

/// A scratch directory the unprivileged user can write.
pub fn scratch(tag: &str) -> TempDir {
    use std::os::unix::fs::PermissionsExt;
    let d = TempDir::new(tag);
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    d
}

/// A python3 the unprivileged user can run: the system one (a pyenv shim under /root is not one).
pub fn unprivileged_python() -> PathBuf {
    let sys = PathBuf::from("/usr/bin/python3");
    if sys.exists() {
        sys
    } else {
        need("python3")
    }
}

/// `selftrace OPTS -- PROG ARGS` in `dir`, as an unprivileged user: under `setpriv
/// --reuid=65534 --regid=65534 --clear-groups` (with the [`world_launcher`]) when the suite runs
/// as root, as the suite's own user otherwise.
pub fn unprivileged(
    dir: &Path,
    opts: &[impl AsRef<OsStr>],
    prog: impl AsRef<OsStr>,
    args: &[impl AsRef<OsStr>],
) -> Command {
    let mut c = if running_as_root() {
        let mut c = Command::new(need("setpriv"));
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(world_launcher());
        c
    } else {
        Command::new(selftrace())
    };
    c.args(opts).arg("--").arg(prog).args(args).current_dir(dir);
    c
}

// ---- running programs ------------------------------------------------------------------------------

/// What a finished program left behind.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The command line, for failure messages.
    pub cmdline: String,
}

impl Output {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Everything about the run, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "command: {}\nstatus: {}\n--- stdout ---\n{}--- stderr ---\n{}--------------",
            self.cmdline,
            describe_status(self.status),
            self.stdout_str(),
            self.stderr_str()
        )
    }

    pub fn assert_success(&self) {
        assert!(self.status.success(), "program failed\n{}", self.describe());
    }
}

pub fn describe_status(s: ExitStatus) -> String {
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exit code {c}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        _ => format!("{s:?}"),
    }
}

fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// ETXTBSY on Linux (the tests use only std).
fn libc_etxtbsy() -> i32 {
    26
}

/// Runs `cmd` (stdin from /dev/null, stdout and stderr captured, in a new process group) and
/// waits for it for at most `timeout`; on timeout kills the whole group and fails the test.
/// Fails the test if stderr mentions a Rust panic: the runtime must never panic.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Output {
    let cmdline = format!("{cmd:?}");
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    // ETXTBSY: a program this test just wrote can still be open for writing in a child another
    // test thread is forking (until that child execs); it passes in a moment.
    let mut tries = 0;
    let mut child = loop {
        match cmd.spawn() {
            Ok(c) => break c,
            Err(e) if e.raw_os_error() == Some(libc_etxtbsy()) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("cannot spawn {cmdline}: {e}"),
        }
    };
    let pgid = child.id();
    let started = std::time::SystemTime::now() - Duration::from_millis(50);
    let (tx, rx) = mpsc::channel::<(usize, Vec<u8>)>();
    let pipes: [(usize, Box<dyn Read + Send>); 2] =
        [(0, Box::new(child.stdout.take().unwrap())), (1, Box::new(child.stderr.take().unwrap()))];
    for (idx, mut pipe) in pipes {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send((idx, buf));
        });
    }
    drop(tx);

    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if Instant::now() >= deadline => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {cmdline}: {e}"),
        }
    };

    let mut bufs: [Option<Vec<u8>>; 2] = [None, None];
    let collect = |bufs: &mut [Option<Vec<u8>>; 2], wait: Duration| {
        let until = Instant::now() + wait;
        while bufs.iter().any(|b| b.is_none()) {
            let left = until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok((i, b)) => bufs[i] = Some(b),
                Err(_) => break,
            }
        }
    };

    let Some(status) = status else {
        kill_group(pgid);
        let _ = child.wait();
        collect(&mut bufs, Duration::from_secs(2));
        let [o, e] = bufs;
        panic!(
            "timed out after {timeout:?}: {cmdline}\n--- stdout ---\n{}--- stderr ---\n{}",
            String::from_utf8_lossy(&o.unwrap_or_default()),
            String::from_utf8_lossy(&e.unwrap_or_default())
        );
    };
    // A leftover grandchild may still hold the pipes: give it a while, then kill the group.
    collect(&mut bufs, Duration::from_secs(10));
    if bufs.iter().any(|b| b.is_none()) {
        kill_group(pgid);
        collect(&mut bufs, Duration::from_secs(2));
    }
    let [o, e] = bufs;
    let out = Output { status, stdout: o.unwrap_or_default(), stderr: e.unwrap_or_default(), cmdline };
    assert!(!out.stderr_str().contains("panicked"), "a panic was reported\n{}", out.describe());
    let left = leftover_state_files(pgid, started);
    if !left.is_empty() {
        for f in &left {
            let _ = std::fs::remove_file(f);
        }
        panic!("the run left the runtime's state file(s) behind: {left:?}\n{}", out.describe());
    }
    out
}

/// The runtime's shared-state files (`selftrace-PID-NONCE` in /dev/shm, $TMPDIR or /tmp) that
/// process `pid` created and did not remove, since `since` (the run's start). Every run must
/// clean up after itself, refusals included. Older files with the same pid are another run's
/// (pids wrap around: a file some earlier run leaked is not this one's).
pub fn leftover_state_files(pid: u32, since: std::time::SystemTime) -> Vec<PathBuf> {
    // File times come from the kernel's coarse clock, which may lag `since` by a tick.
    let since = since - Duration::from_secs(1);
    let prefix = format!("selftrace-{pid}-");
    let mut dirs = vec![PathBuf::from("/dev/shm"), PathBuf::from("/tmp")];
    if let Some(t) = std::env::var_os("TMPDIR") {
        dirs.push(t.into());
    }
    let mut found = Vec::new();
    for d in dirs {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let recent = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t >= since);
            if e.file_name().to_string_lossy().starts_with(&prefix) && e.path().is_file() && recent {
                found.push(e.path());
            }
        }
    }
    found
}

pub fn run(cmd: &mut Command) -> Output {
    run_with_timeout(cmd, TIMEOUT)
}

/// Runs `prog args` natively, with `dir` as its working directory.
pub fn native_in(dir: &Path, prog: impl AsRef<OsStr>, args: &[&str]) -> Output {
    run(Command::new(prog).args(args).current_dir(dir))
}

/// Runs `prog args` natively in a scratch directory.
pub fn native(prog: impl AsRef<OsStr>, args: &[&str]) -> Output {
    let tmp = TempDir::new("native");
    native_in(tmp.path(), prog, args)
}

/// A `selftrace` command with `opts` before the program, working in `dir`.
pub fn selftrace_cmd(dir: &Path, opts: &[&str], prog: impl AsRef<OsStr>, args: &[&str]) -> Command {
    let mut c = Command::new(selftrace());
    c.args(opts).arg("--").arg(prog).args(args).current_dir(dir);
    c
}

/// The result of running a program under `selftrace OPTS -c -o FILE`.
pub struct Traced {
    pub out: Output,
    pub summary: Summary,
    /// The scratch directory the program ran in (kept alive with the result).
    pub dir: TempDir,
}

/// Runs `selftrace OPTS -c -o DIR/summary.txt -- PROG ARGS` in a scratch directory DIR and parses
/// the summary (which must exist and be a well-formed strace `-c` table).
pub fn trace(opts: &[&str], prog: impl AsRef<OsStr>, args: &[&str]) -> Traced {
    let dir = TempDir::new("trace");
    let file = dir.join("summary.txt");
    let mut all: Vec<&str> = opts.to_vec();
    let file_s = file.to_str().unwrap().to_owned();
    all.extend(["-c", "-o", &file_s]);
    let out = run(&mut selftrace_cmd(dir.path(), &all, prog, args));
    let summary = read_summary(&file, &out);
    Traced { out, summary, dir }
}

/// Reads and parses a summary file that `out`'s run was supposed to write.
pub fn read_summary(file: &Path, out: &Output) -> Summary {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("no summary in {}: {e}\n{}", file.display(), out.describe()));
    match try_parse_summary(&text) {
        Ok(s) => s,
        Err(e) => panic!(
            "malformed -c summary in {}: {e}\n--- summary ---\n{text}---------------\n{}",
            file.display(),
            out.describe()
        ),
    }
}

/// Asserts that a traced run behaved exactly like the native one: same exit status (or death
/// signal), same stdout, and (unless `compare_stderr` is false) same stderr.
pub fn assert_same_behaviour(native: &Output, traced: &Output, compare_stderr: bool) {
    let ctx = || format!("=== native ===\n{}\n=== traced ===\n{}", native.describe(), traced.describe());
    if native.stdout != traced.stdout {
        panic!("stdout differs: {}\n{}", first_difference(&native.stdout, &traced.stdout), ctx());
    }
    if compare_stderr && native.stderr != traced.stderr {
        panic!("stderr differs: {}\n{}", first_difference(&native.stderr, &traced.stderr), ctx());
    }
    assert_eq!(describe_status(native.status), describe_status(traced.status), "exit status differs\n{}", ctx());
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for i in 0..al.len().max(bl.len()) {
        let (x, y) = (al.get(i), bl.get(i));
        if x != y {
            return format!("first at line {}: native {:?}, traced {:?}", i + 1, x, y);
        }
    }
    "line endings differ".into()
}

// ---- the -c summary --------------------------------------------------------------------------------

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub percent: f64,
    pub seconds: f64,
    pub usecs_per_call: u64,
    pub calls: u64,
    pub errors: u64,
}

/// A parsed `-c` table.
#[derive(Debug, Clone)]
pub struct Summary {
    pub rows: BTreeMap<String, Row>,
    /// Syscall names in the order printed.
    pub order: Vec<String>,
    pub total: Row,
    pub text: String,
}

impl Summary {
    /// Calls of `name` (0 when it has no row).
    pub fn calls(&self, name: &str) -> u64 {
        self.rows.get(name).map_or(0, |r| r.calls)
    }

    /// Errors of `name` (0 when it has no row).
    pub fn errors(&self, name: &str) -> u64 {
        self.rows.get(name).map_or(0, |r| r.errors)
    }

    /// Asserts `name`'s calls and errors exactly (calls 0 means: no row at all).
    pub fn expect(&self, name: &str, calls: u64, errors: u64) {
        if calls == 0 {
            assert!(
                !self.rows.contains_key(name),
                "expected no {name} row, got {:?}\n{}",
                self.rows.get(name),
                self.text
            );
            return;
        }
        assert_eq!(
            (self.calls(name), self.errors(name)),
            (calls, errors),
            "{name}: (calls, errors) differ from the expected\n{}",
            self.text
        );
    }
}

/// Parses a `-c` table, failing the test (with the text) if it is malformed.
pub fn parse_summary(text: &str) -> Summary {
    try_parse_summary(text)
        .unwrap_or_else(|e| panic!("malformed -c summary: {e}\n--- summary ---\n{text}---------------"))
}

const COLUMNS: [&str; 6] = ["% time", "seconds", "usecs/call", "calls", "errors", "syscall"];
/// strace's minimum ("historical") widths of those columns.
const MIN_WIDTHS: [usize; 6] = [6, 11, 11, 9, 9, 16];

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A right-aligned field: leading spaces, then a token with no space in it.
fn token(field: &str, col: &str) -> Result<String, String> {
    let t = field.trim_start_matches(' ');
    if t.contains(' ') {
        return Err(format!("column {col:?} is not right-aligned: {field:?}"));
    }
    Ok(t.to_owned())
}

/// `ddd.ff` with exactly `frac` fraction digits.
fn fixed_point(t: &str, frac: usize, col: &str) -> Result<f64, String> {
    match t.split_once('.') {
        Some((i, f)) if is_digits(i) && is_digits(f) && f.len() == frac => Ok(t.parse().unwrap()),
        _ => Err(format!("column {col:?} is not a number with {frac} decimals: {t:?}")),
    }
}

fn parse_row(line: &str, w: &[usize; 6]) -> Result<(String, Row, String), String> {
    if !line.is_ascii() {
        return Err(format!("non-ASCII row {line:?}"));
    }
    let fixed: usize = w[..5].iter().sum::<usize>() + 5;
    if line.len() <= fixed {
        return Err(format!("row too short for the column widths: {line:?}"));
    }
    let mut pos = 0;
    let mut f = Vec::new();
    for &width in &w[..5] {
        f.push(&line[pos..pos + width]);
        pos += width;
        if line.as_bytes()[pos] != b' ' {
            return Err(format!("no single space between columns at byte {pos}: {line:?}"));
        }
        pos += 1;
    }
    let name = &line[pos..];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(format!("bad syscall name {name:?} (name column is last, unpadded): {line:?}"));
    }
    let percent = fixed_point(&token(f[0], COLUMNS[0])?, 2, COLUMNS[0])?;
    let seconds_s = token(f[1], COLUMNS[1])?;
    let seconds = fixed_point(&seconds_s, 6, COLUMNS[1])?;
    let usecs = token(f[2], COLUMNS[2])?;
    let calls = token(f[3], COLUMNS[3])?;
    let errors = token(f[4], COLUMNS[4])?;
    if !is_digits(&usecs) || !is_digits(&calls) {
        return Err(format!("usecs/call or calls not an integer: {line:?}"));
    }
    // strace prints errors with "%.0u": nothing at all for 0.
    let errors_n = if errors.is_empty() {
        0
    } else if is_digits(&errors) && !errors.starts_with('0') {
        errors.parse().unwrap()
    } else {
        return Err(format!("errors must be blank (for 0) or a positive integer: {line:?}"));
    };
    let row = Row {
        percent,
        seconds,
        usecs_per_call: usecs.parse().map_err(|_| format!("usecs/call overflow: {line:?}"))?,
        calls: calls.parse().map_err(|_| format!("calls overflow: {line:?}"))?,
        errors: errors_n,
    };
    Ok((name.to_owned(), row, seconds_s))
}

/// Parses a `-c` table, checking it is laid out exactly as strace 6.1 lays it out:
///
/// ```text
/// % time     seconds  usecs/call     calls    errors syscall
/// ------ ----------- ----------- --------- --------- ----------------
///  60.79    0.016878          16      1000           getppid
///   5.39    0.001496          24        60        40 getpriority
/// ------ ----------- ----------- --------- --------- ----------------
/// 100.00    0.027763          18      1465        42 total
/// ```
///
/// Column widths are strace's: at least 6/11/11/9/9/16, widened to fit the total seconds, the
/// largest usecs/call, the total calls, the total errors and the longest name + 1; numbers are
/// right-aligned, the name is last and unpadded, errors are blank when 0; rows are sorted by
/// time, most first (strace's default); the total row sums the rows.
pub fn try_parse_summary(text: &str) -> Result<Summary, String> {
    let body = text.strip_suffix('\n').ok_or("does not end with a newline")?;
    let lines: Vec<&str> = body.split('\n').collect();
    if lines.len() < 5 {
        return Err(format!("only {} lines; need header, dashes, rows, dashes, total", lines.len()));
    }
    let dashes = lines[1];
    let groups: Vec<&str> = dashes.split(' ').collect();
    if groups.len() != 6 || groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b == b'-')) {
        return Err(format!("second line is not 6 groups of dashes: {dashes:?}"));
    }
    let mut w = [0usize; 6];
    for (i, g) in groups.iter().enumerate() {
        w[i] = g.len();
        if w[i] < MIN_WIDTHS[i] {
            return Err(format!("column {:?} is {} wide, strace's minimum is {}", COLUMNS[i], w[i], MIN_WIDTHS[i]));
        }
    }
    if w[0] != 6 {
        return Err(format!("the % time column must be 6 wide, is {}", w[0]));
    }
    let header = format!(
        "{:>a$} {:>b$} {:>c$} {:>d$} {:>e$} {}",
        COLUMNS[0],
        COLUMNS[1],
        COLUMNS[2],
        COLUMNS[3],
        COLUMNS[4],
        COLUMNS[5],
        a = w[0],
        b = w[1],
        c = w[2],
        d = w[3],
        e = w[4]
    );
    if lines[0] != header {
        return Err(format!("header is {:?}; for these widths strace prints {header:?}", lines[0]));
    }
    let n = lines.len();
    if lines[n - 2] != dashes {
        return Err(format!("line before the total {:?} differs from the dashes line {dashes:?}", lines[n - 2]));
    }

    let mut rows = BTreeMap::new();
    let mut order = Vec::new();
    let (mut sum_calls, mut sum_errors, mut sum_seconds) = (0u64, 0u64, 0f64);
    let (mut max_usecs_len, mut max_name_len) = (0usize, 0usize);
    let mut prev_seconds = f64::INFINITY;
    for line in &lines[2..n - 2] {
        let (name, row, _) = parse_row(line, &w)?;
        if name == "total" {
            return Err(format!("a 'total' row before the footer: {line:?}"));
        }
        if row.calls == 0 {
            return Err(format!("a row with 0 calls: {line:?}"));
        }
        if row.errors > row.calls {
            return Err(format!("more errors than calls: {line:?}"));
        }
        if row.percent > 100.0 {
            return Err(format!("percentage above 100: {line:?}"));
        }
        if row.seconds > prev_seconds {
            return Err(format!("rows not sorted by time, most first (strace's default): {line:?}"));
        }
        prev_seconds = row.seconds;
        sum_calls += row.calls;
        sum_errors += row.errors;
        sum_seconds += row.seconds;
        max_usecs_len = max_usecs_len.max(row.usecs_per_call.to_string().len());
        max_name_len = max_name_len.max(name.len());
        if rows.insert(name.clone(), row).is_some() {
            return Err(format!("two rows for {name}"));
        }
        order.push(name);
    }
    if rows.is_empty() {
        return Err("no rows".into());
    }

    let (name, total, total_seconds_s) = parse_row(lines[n - 1], &w)?;
    if name != "total" {
        return Err(format!("last line is not the total row: {:?}", lines[n - 1]));
    }
    if lines[n - 1].get(..6) != Some("100.00") {
        return Err(format!("total row's % time must be 100.00: {:?}", lines[n - 1]));
    }
    if total.calls != sum_calls || total.errors != sum_errors {
        return Err(format!(
            "total row says {} calls / {} errors; the rows add up to {sum_calls} / {sum_errors}",
            total.calls, total.errors
        ));
    }
    if (total.seconds - sum_seconds).abs() > 1e-6 * (rows.len() as f64 + 1.0) {
        return Err(format!("total seconds {} but the rows add up to {sum_seconds}", total.seconds));
    }

    let expect = [
        6,
        MIN_WIDTHS[1].max(total_seconds_s.len()),
        MIN_WIDTHS[2].max(max_usecs_len),
        MIN_WIDTHS[3].max(total.calls.to_string().len()),
        MIN_WIDTHS[4].max(total.errors.to_string().len()),
        MIN_WIDTHS[5].max(max_name_len + 1),
    ];
    if w != expect {
        return Err(format!("column widths {w:?}; for this data strace uses {expect:?}"));
    }
    Ok(Summary { rows, order, total, text: text.to_owned() })
}

/// The launcher (with libselftrace.so beside it) at a path every user can reach: tests that run
/// it as an unprivileged user cannot use the build directory when it lies under a directory only
/// root may enter (a clone under /root, say). Copies to a world-readable directory in /tmp, once
/// per build of the launcher.
pub fn world_launcher() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let (exe, lib) = (selftrace(), preload_lib());
        let stamp = |p: &Path| std::fs::metadata(p).map(|m| (m.mtime_nsec() as u64) ^ (m.size() << 20)).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("selftrace-world-{:x}", stamp(&exe) ^ stamp(&lib).rotate_left(7)));
        let dst = dir.join("selftrace");
        if !dst.exists() {
            let tmp = std::env::temp_dir().join(format!("selftrace-world-tmp-{}", std::process::id()));
            std::fs::create_dir_all(&tmp).unwrap();
            std::fs::copy(&exe, tmp.join("selftrace")).unwrap();
            std::fs::copy(&lib, tmp.join("libselftrace.so")).unwrap();
            for p in [tmp.clone(), tmp.join("selftrace"), tmp.join("libselftrace.so")] {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            // Another test binary may have made the same copy meanwhile: either is good.
            if std::fs::rename(&tmp, &dir).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
            }
        }
        dst
    })
    .clone()
}

/// `0x` and six or more hex digits (an address: it moves from run to run) become `0xADDR`;
/// shorter hex numbers (flags, small values) stay.
pub fn mask_addresses(line: &str) -> String {
    let mut s = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("0x") {
        s.push_str(&rest[..i]);
        let hex = rest[i + 2..].bytes().take_while(u8::is_ascii_hexdigit).count();
        s.push_str(if hex >= 6 { "0xADDR" } else { &rest[i..i + 2 + hex] });
        rest = &rest[i + 2 + hex..];
    }
    s.push_str(rest);
    s
}
