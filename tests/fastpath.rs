//! The fast path (`src/fastpath.rs`): libc's read, write, pread64, pwrite64, readv, writev, lseek
//! and close reach the dispatcher without a SIGSYS in a single-threaded program on SUD, and take
//! libc's own (trapping) path everywhere else.
//!
//! strace -f runs outside the launcher as the witness of how each call arrived: it prints every
//! SIGSYS the kernel delivers, with the call it stands for (`si_syscall=__NR_read`). The trace and
//! `-c` of the runtime must see every call either way.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;

const ROUNDS: u64 = 40;

/// Exact calls (and failures) of `fastpath io N` after start-up, per call: N rounds of each
/// call, plus the error cases (bad, PROT_NONE and unmapped buffers among them), mkstemp's
/// descriptor and the report at the end.
fn io_counts(n: u64) -> BTreeMap<&'static str, (u64, u64)> {
    BTreeMap::from([
        ("read", (n + 1, 1)),
        ("write", (n + 5, 3)),
        ("pread64", (n, 0)),
        ("pwrite64", (n, 0)),
        ("readv", (n + 1, 1)),
        ("writev", (n, 0)),
        ("lseek", (n + 2, 1)),
        ("close", (2 * n + 2, 1)),
    ])
}

/// Runs `selftrace OPTS -c -o SUMMARY -- fastpath ARGS` under `strace -f` watching SIGSYS only.
/// Returns the program's output, the summary, and how many SIGSYS each call number raised
/// (`si_code` must be `code`).
fn witnessed(opts: &[&str], args: &[&str], code: &str) -> (Output, Summary, BTreeMap<String, u64>) {
    let strace = need("strace");
    let dir = TempDir::new("fastpath");
    let (w, c) = (dir.join("sigsys.txt"), dir.join("summary.txt"));
    let out = run(Command::new(&strace)
        .args(["-f", "-qq", "-e", "trace=none", "-e", "signal=SIGSYS", "-o"])
        .arg(&w)
        .arg(selftrace())
        .args(opts)
        .arg("-c")
        .arg("-o")
        .arg(&c)
        .arg("--")
        .arg(fixture("fastpath"))
        .args(args)
        .current_dir(dir.path()));
    let summary = read_summary(&c, &out);
    let mut traps = BTreeMap::new();
    for line in std::fs::read_to_string(&w).unwrap().lines() {
        if !line.contains("--- SIGSYS ") {
            continue;
        }
        assert!(line.contains(&format!("si_code={code}")), "a SIGSYS of another kind: {line}");
        let name = line.split("si_syscall=__NR_").nth(1).and_then(|r| r.split([',', '}']).next()).unwrap();
        *traps.entry(name.to_owned()).or_insert(0) += 1;
    }
    (out, summary, traps)
}

fn trapped(traps: &BTreeMap<String, u64>, name: &str) -> u64 {
    traps.get(name).copied().unwrap_or(0)
}

/// Runs `fastpath MODE N` natively and under `selftrace OPTS` (witnessed): the same output, the
/// exact `-c` counts of [`io_counts`], and each of the eight calls trapped `trapped(calls)` times.
fn io_run(mode: &str, opts: &[&str], code: &str, trapped_times: impl Fn(u64) -> u64) -> BTreeMap<String, u64> {
    let n = ROUNDS.to_string();
    let native = native(fixture("fastpath"), &[mode, &n]);
    native.assert_success();
    let want = io_counts(ROUNDS);
    let (out, summary, traps) = witnessed(opts, &[mode, &n], code);
    out.assert_success();
    assert_eq!(out.stdout_str(), native.stdout_str(), "{opts:?}: results or errno differ from a native run");
    for (name, (calls, errors)) in &want {
        summary.expect(name, *calls, *errors);
        assert_eq!(trapped(&traps, name), trapped_times(*calls), "{name} under {opts:?} ({mode}): {traps:?}");
    }
    traps
}

#[test]
fn io_calls_skip_the_trap_and_are_all_seen() {
    let traps = io_run("io", &[], "SYS_USER_DISPATCH", |_| 0);
    // The calls around them still trap: one pipe2 per round.
    assert_eq!(trapped(&traps, "pipe2"), ROUNDS, "{traps:?}");
    io_run("io", &["--no-fast-path"], "SYS_USER_DISPATCH", |calls| calls);
}

#[test]
fn threaded_programs_take_libc_own_path() {
    // After pthread_create, glibc's read is a cancellation point: libc's function must run, and
    // its `syscall` traps.
    io_run("thread", &["-f"], "SYS_USER_DISPATCH", |calls| calls);
}

#[test]
fn seccomp_takes_libc_own_path() {
    io_run("io", &["--backend", "seccomp"], "SYS_SECCOMP", |calls| calls);
}

#[test]
fn fortified_reads_take_the_fast_path_and_overflows_still_abort() {
    let (out, summary, traps) = witnessed(&[], &["chk", "25"], "SYS_USER_DISPATCH");
    out.assert_success();
    assert_eq!(out.stdout_str(), "sum of __read_chk results = 200\n");
    summary.expect("read", 25, 0);
    assert_eq!(trapped(&traps, "read"), 0, "{traps:?}");

    // glibc's own check reports the overflow and aborts, as without the runtime.
    let native = native(fixture("fastpath"), &["overflow"]);
    let dir = TempDir::new("fastpath-overflow");
    let traced = run(&mut selftrace_cmd(dir.path(), &["-o", "/dev/null"], fixture("fastpath"), &["overflow"]));
    assert_eq!(describe_status(traced.status), describe_status(native.status));
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&native.status),
        Some(libc::SIGABRT),
        "{}",
        native.describe()
    );
    assert_eq!(traced.stderr_str(), native.stderr_str());
    assert!(native.stderr_str().contains("*** buffer overflow detected ***"), "{}", native.describe());
}

/// Masks what differs from run to run: addresses, and mkstemp's name.
fn normalise(line: &str) -> String {
    let s = mask_addresses(line);
    match s.find("selftrace-fastpath-") {
        Some(i) => format!("{}XXXXXX{}", &s[..i + 19], &s[i + 25..]),
        None => s,
    }
}

/// The lines of a trace file from the first that contains `from`, normalised.
fn region(file: &Path, from: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.contains(from)).unwrap_or_else(|| panic!("no {from:?} in {text}"));
    lines[start..].iter().map(|l| normalise(l)).collect()
}

#[test]
fn fast_path_lines_equal_strace() {
    let strace = need("strace");
    for (args, from, min) in [(&["io", "3"][..], "selftrace-fastpath-", 30), (&["eintr"][..], "pipe2(", 17)] {
        let dir = TempDir::new("fastpath-diff");
        let (so, fo) = (dir.join("strace.txt"), dir.join("selftrace.txt"));
        run(Command::new(&strace).arg("-o").arg(&so).arg(fixture("fastpath")).args(args)).assert_success();
        run(Command::new(selftrace()).arg("-o").arg(&fo).arg(fixture("fastpath")).args(args)).assert_success();
        let (a, b) = (region(&so, from), region(&fo, from));
        assert_eq!(a, b, "fastpath {args:?}: strace's lines, then selftrace's");
        // The region holds every kind of call and its errors, or the signals' lines.
        assert!(a.len() >= min, "{a:#?}");
    }
}

#[test]
fn a_handler_that_interrupts_a_hook_is_traced() {
    // The inject shim sleeps inside its hook (delay_enter) while SIGALRM comes due; the handler
    // writes to a pipe. The handler is program code: its write must trap (or take the fast path),
    // be traced and run, although it interrupted a hook, whose own calls bypass the hooks. lseek
    // is on the fast path (its hook runs outside any signal handler), getppid traps.
    let native = native(fixture("fastpath"), &["late"]);
    native.assert_success();
    for delayed in ["lseek", "getppid"] {
        for extra in [&[][..], &["--no-fast-path"][..]] {
            let dir = TempDir::new("fastpath-hook-signal");
            let fo = dir.join("trace.txt");
            let inject = format!("inject={delayed}:delay_enter=500ms");
            let out = run(Command::new(selftrace())
                .args(extra)
                .args(["-e", "trace=write,lseek,getppid", "-e", &inject, "-o"])
                .arg(&fo)
                .arg(fixture("fastpath"))
                .arg("late"));
            out.assert_success();
            assert_eq!(out.stdout_str(), native.stdout_str(), "{delayed} {extra:?}");
            let text = std::fs::read_to_string(&fo).unwrap();
            let writes: Vec<&str> = text.lines().filter(|l| l.starts_with("write(")).collect();
            assert_eq!(writes.len(), 2, "{delayed} {extra:?}: the handler's write and the report in\n{text}");
            assert!(writes[0].starts_with("write(4, \"y\", 1)") && writes[0].ends_with("= 1"), "{text}");
            assert!(text.contains("--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---"), "{text}");
            // The delayed call's own result, not the hook's sleep's: the signal found the call
            // unfinished (strace, which delays in the tracer, delivers it after the call).
            let delayed_line = text
                .lines()
                .find(|l| l.contains(&format!("{delayed} resumed>")))
                .unwrap_or_else(|| panic!("{delayed} {extra:?}: no resumed line in\n{text}"));
            let result = delayed_line.split(" = ").nth(1).unwrap_or("");
            if delayed == "lseek" {
                assert_eq!(result, "-1 ESPIPE (Illegal seek) (DELAYED)", "{text}");
            } else {
                assert!(
                    result.ends_with(" (DELAYED)") && result.split(' ').next().unwrap().parse::<u32>().unwrap() > 1,
                    "{text}"
                );
            }
        }
    }
}
