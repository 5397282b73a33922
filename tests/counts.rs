//! Exact per-syscall counts: single-threaded (counts.c), many threads including a raw clone()
//! thread (threads.c), a program that closes every fd (closefds.c), on both backends, and
//! against strace 6.1 itself.
//!
//! Only syscalls the fixtures make after main() starts are asserted exactly (getppid, getuid,
//! getpriority, getpgrp, ...): ld.so's calls before the preload constructor are not seen.
mod common;
use common::*;
use std::process::Command;

/// counts GETPPID GETUID PRIO_OK PRIO_FAIL GETPGRP
const COUNTS_ARGS: [&str; 5] = ["1000", "300", "20", "40", "70"];

fn assert_counts(s: &Summary) {
    s.expect("getppid", 1000, 0);
    s.expect("getuid", 300, 0);
    s.expect("getpriority", 60, 40);
    s.expect("getpgrp", 70, 0);
    // The root's initial execve, as strace shows it.
    s.expect("execve", 1, 0);
}

fn counts_exact(opts: &[&str]) {
    let native = native(fixture("counts"), &COUNTS_ARGS);
    native.assert_success();
    let t = trace(opts, fixture("counts"), &COUNTS_ARGS);
    assert_same_behaviour(&native, &t.out, true);
    assert_counts(&t.summary);
}

#[test]
fn counts_exact_sud() {
    counts_exact(&["--backend", "sud"]);
}

#[test]
fn counts_exact_seccomp() {
    counts_exact(&["--backend", "seccomp"]);
}

#[test]
fn counts_exact_with_f_sud() {
    counts_exact(&["-f", "--backend", "sud"]);
}

#[test]
fn counts_exact_with_f_seccomp() {
    counts_exact(&["-f", "--backend", "seccomp"]);
}

#[test]
fn counts_exact_default_backend() {
    counts_exact(&["-f"]);
}

/// A fixture that makes none of the markers gets no rows for them: the runtime neither makes
/// these calls itself nor prints zero rows.
#[test]
fn no_rows_for_syscalls_not_made() {
    for backend in ["sud", "seccomp"] {
        let t = trace(&["-f", "--backend", backend], fixture("counts"), &["0", "0", "0", "0", "0"]);
        t.out.assert_success();
        for name in ["getppid", "getuid", "getpriority", "getpgrp"] {
            t.summary.expect(name, 0, 0);
        }
        t.summary.expect("execve", 1, 0);
    }
}

/// Without -o the table goes to stderr (counts.c itself writes nothing there).
#[test]
fn summary_on_stderr_without_o() {
    let native = native(fixture("counts"), &COUNTS_ARGS);
    let dir = TempDir::new("stderr");
    let out = run(&mut selftrace_cmd(dir.path(), &["-c"], fixture("counts"), &COUNTS_ARGS));
    assert_same_behaviour(&native, &out, false);
    let s = try_parse_summary(&out.stderr_str())
        .unwrap_or_else(|e| panic!("stderr is not exactly a -c table: {e}\n{}", out.describe()));
    assert_counts(&s);
}

/// A relative `-o` file is relative to the launcher's working directory.
#[test]
fn relative_output_path() {
    let dir = TempDir::new("relative");
    let out = run(&mut selftrace_cmd(dir.path(), &["-c", "-o", "out.txt"], fixture("counts"), &COUNTS_ARGS));
    out.assert_success();
    assert_counts(&read_summary(&dir.join("out.txt"), &out));
}

/// Without -c the program simply runs, with the same output and status.
#[test]
fn runs_without_c() {
    // Without -c selftrace traces, as strace does: stdout and status are the program's, the
    // trace (on stderr) has one line per marker call.
    let native = native(fixture("counts"), &COUNTS_ARGS);
    let dir = TempDir::new("noc");
    let out = run(&mut selftrace_cmd(dir.path(), &[], fixture("counts"), &COUNTS_ARGS));
    assert_same_behaviour(&native, &out, false);
    let err = out.stderr_str();
    let n = |prefix: &str| err.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(n("getppid() "), COUNTS_ARGS[0].parse::<usize>().unwrap(), "{}", out.describe());
    assert_eq!(n("getuid() "), COUNTS_ARGS[1].parse::<usize>().unwrap(), "{}", out.describe());
    assert!(err.lines().last().is_some_and(|l| l.starts_with("+++ exited with ")), "{}", out.describe());
}

// ---- threads ---------------------------------------------------------------------------------------

/// threads T N R M: T pthreads x N getppid; a raw clone() thread R x (getppid + getpgrp);
/// the main thread M x (getppid + getuid). The raw thread shares its parent's thread pointer (no
/// CLONE_SETTLS) and runs concurrently with it: R and M are large enough that the two overlap
/// (strace -f reports exactly 120000 / 20000 / 20000).
const THREADS_ARGS: [&str; 4] = ["16", "5000", "20000", "20000"];

fn threads_with_f(backend: &str) {
    let native = native(fixture("threads"), &THREADS_ARGS);
    native.assert_success();
    let t = trace(&["-f", "--backend", backend], fixture("threads"), &THREADS_ARGS);
    assert_same_behaviour(&native, &t.out, true);
    // 16 x 5000 from the pthreads + 20000 from the raw clone thread + 20000 from main.
    t.summary.expect("getppid", 16 * 5000 + 20000 + 20000, 0);
    t.summary.expect("getpgrp", 20000, 0);
    t.summary.expect("getuid", 20000, 0);
    t.summary.expect("execve", 1, 0);
}

#[test]
fn threads_exact_with_f_sud() {
    threads_with_f("sud");
}

#[test]
fn threads_exact_with_f_seccomp() {
    threads_with_f("seccomp");
}

/// The pthreads alone (the raw clone thread makes no calls): exactly 16 x 5000.
fn pthreads_only(backend: &str) {
    let t = trace(&["-f", "--backend", backend], fixture("threads"), &["16", "5000", "0", "0"]);
    t.out.assert_success();
    t.summary.expect("getppid", 80000, 0);
    t.summary.expect("getpgrp", 0, 0);
}

#[test]
fn pthreads_only_exact_sud() {
    pthreads_only("sud");
}

#[test]
fn pthreads_only_exact_seccomp() {
    pthreads_only("seccomp");
}

/// Without -f only the initial thread is counted, like strace without -f.
fn threads_without_f(backend: &str) {
    let native = native(fixture("threads"), &THREADS_ARGS);
    let t = trace(&["--backend", backend], fixture("threads"), &THREADS_ARGS);
    assert_same_behaviour(&native, &t.out, true);
    t.summary.expect("getppid", 20000, 0);
    t.summary.expect("getuid", 20000, 0);
    t.summary.expect("getpgrp", 0, 0);
}

#[test]
fn threads_without_f_only_main_thread_sud() {
    threads_without_f("sud");
}

#[test]
fn threads_without_f_only_main_thread_seccomp() {
    threads_without_f("seccomp");
}

// ---- a program that closes every descriptor ------------------------------------------------------

fn closefds(backend: &str) {
    let native = native(fixture("closefds"), &["500"]);
    native.assert_success();
    let t = trace(&["-f", "--backend", backend], fixture("closefds"), &["500"]);
    // Same view of its fds as natively (all of 3..1023 closed, /dev/null opens as 3, ...).
    assert_same_behaviour(&native, &t.out, true);
    let s = &t.summary;
    s.expect("getppid", 500, 0);
    s.expect("close_range", 1, 0);
    s.expect("dup2", 24, 0);
    // F_GETFD on 3..999: only fd 3 open.
    s.expect("fcntl", 997, 996);
    // The close() loop over 3..1023 fails 1021 times natively (strace agrees); ld.so's closes
    // before the constructor are not seen, so only the errors are exact.
    assert_eq!(s.errors("close"), 1021, "{}", s.text);
}

#[test]
fn closefds_exact_sud() {
    closefds("sud");
}

#[test]
fn closefds_exact_seccomp() {
    closefds("seccomp");
}

// ---- against strace --------------------------------------------------------------------------------

fn strace() -> Option<std::path::PathBuf> {
    let s = which("strace");
    if s.is_none() {
        eprintln!("strace not installed: skipping the differential test");
    }
    s
}

fn strace_summary(strace: &std::path::Path, prog: &std::path::Path, args: &[&str]) -> Summary {
    let dir = TempDir::new("strace");
    let file = dir.join("strace.txt");
    let out =
        run(Command::new(strace).args(["-f", "-c", "-o"]).arg(&file).arg(prog).args(args).current_dir(dir.path()));
    read_summary(&file, &out)
}

fn assert_rows_equal(strace: &Summary, ours: &Summary, names: &[&str]) {
    for name in names {
        assert_eq!(
            (ours.calls(name), ours.errors(name)),
            (strace.calls(name), strace.errors(name)),
            "{name}: selftrace's (calls, errors) differ from strace's\n--- strace ---\n{}--- selftrace ---\n{}",
            strace.text,
            ours.text
        );
    }
}

/// `strace -f -c -o` and `selftrace -f -c -o` agree on every syscall counts.c makes after main:
/// the markers, its one write, execve (the initial one), and exit_group (which never returns,
/// so strace does not count it).
#[test]
fn counts_match_strace() {
    let Some(strace) = strace() else { return };
    let prog = fixture("counts");
    let reference = strace_summary(&strace, &prog, &COUNTS_ARGS);
    assert_counts(&reference);
    for backend in ["sud", "seccomp"] {
        let t = trace(&["-f", "--backend", backend], &prog, &COUNTS_ARGS);
        t.out.assert_success();
        assert_rows_equal(
            &reference,
            &t.summary,
            &["getppid", "getuid", "getpriority", "getpgrp", "execve", "write", "exit_group"],
        );
    }
}

/// Same for the process tree of procs.c (sud: the seccomp backend cannot follow execve).
#[test]
fn procs_match_strace() {
    let Some(strace) = strace() else { return };
    let marker = fixture("marker");
    let args = [marker.to_str().unwrap(), "7", "1000", "200", "30", "0"];
    let reference = strace_summary(&strace, &fixture("procs"), &args);
    let t = trace(&["-f", "--backend", "sud"], fixture("procs"), &args);
    t.out.assert_success();
    assert_rows_equal(&reference, &t.summary, &["getppid", "execve", "wait4", "vfork", "exit_group"]);
}

/// A thread that moves its thread pointer (the key of its runtime state) stays the initial
/// thread: without -f all 110 getppid are its own.
#[test]
fn thread_pointer_change_keeps_counting() {
    for backend in ["sud", "seccomp"] {
        let native = native(fixture("setfs"), &[]);
        let t = trace(&["--backend", backend], fixture("setfs"), &[]);
        assert_same_behaviour(&native, &t.out, true);
        t.summary.expect("getppid", 110, 0);
        t.summary.expect("arch_prctl", 4, 0);
    }
}

/// Where the kernel lacks Syscall User Dispatch (simulated: SELFTRACE_PRETEND_NO_SUD), the
/// launcher says so once and the seccomp backend counts exactly.
#[test]
fn falls_back_to_seccomp_and_says_so_once() {
    let dir = TempDir::new("fallback");
    let file = dir.join("summary.txt");
    let mut cmd = selftrace_cmd(
        dir.path(),
        &["-f", "-c", "-o", file.to_str().unwrap()],
        fixture("threads"),
        &["4", "1000", "0", "10"],
    );
    cmd.env("SELFTRACE_PRETEND_NO_SUD", "1");
    let out = run(&mut cmd);
    out.assert_success();
    let err = out.stderr_str();
    assert_eq!(
        err,
        "selftrace: Syscall User Dispatch is not available on this kernel (Linux >= 5.11 needed); using the seccomp backend\n",
        "{}",
        out.describe()
    );
    let s = read_summary(&file, &out);
    s.expect("getppid", 4 * 1000 + 10, 0);
    s.expect("getuid", 10, 0);
}

/// `-c -e trace=SET` counts the calls of SET only, as strace does (the table has exactly those
/// rows), on both backends; a call outside the set is not counted even when another one is.
#[test]
fn counts_only_the_traced_set() {
    for backend in ["sud", "seccomp"] {
        let t = trace(&["--backend", backend, "-e", "trace=getppid,getpgrp"], fixture("counts"), &COUNTS_ARGS);
        t.out.assert_success();
        let mut names = t.summary.order.clone();
        names.sort();
        assert_eq!(names, ["getpgrp", "getppid"], "{backend}\n{}", t.summary.text);
        t.summary.expect("getppid", 1000, 0);
        t.summary.expect("getpgrp", 70, 0);
    }
    // strace: the same two rows with the same counts.
    let dir = TempDir::new("counts-set");
    let file = dir.join("strace.txt");
    let out = run(Command::new(need("strace"))
        .args(["-c", "-e", "trace=getppid,getpgrp", "-o", file.to_str().unwrap()])
        .arg(fixture("counts"))
        .args(COUNTS_ARGS));
    let s = read_summary(&file, &out);
    let mut names = s.order.clone();
    names.sort();
    assert_eq!(names, ["getpgrp", "getppid"], "{}", s.text);
    s.expect("getppid", 1000, 0);
    s.expect("getpgrp", 70, 0);
}
