//! `-e inject=` / `-e fault=` against strace 6.1: the same fixture (tests/fixtures/inject_calls.c)
//! runs under `strace -o` and `selftrace -o` with the same expression; the program's own output
//! (what each call returned, which signals its handler saw), its exit status and the trace
//! lines (pids normalised) must be equal, on both backends.
mod common;
use common::*;
use std::collections::HashMap;
use std::process::Command;

/// Replaces each pid in the `PID ` / `[pid N]` line prefixes by its order of appearance.
fn normalise(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut tag = |pid: &str| {
        let n = seen.len();
        format!("P{}", *seen.entry(pid.to_owned()).or_insert(n))
    };
    text.lines()
        .map(|l| {
            let digits = l.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && l[digits..].starts_with(' ') {
                return format!("{} {}", tag(&l[..digits]), l[digits..].trim_start());
            }
            if let Some(rest) = l.strip_prefix("[pid ") {
                if let Some((pid, tail)) = rest.split_once(']') {
                    return format!("[{}]{tail}", tag(pid.trim()));
                }
            }
            l.to_owned()
        })
        .collect()
}

struct Run {
    out: Output,
    trace: Vec<String>,
}

fn run_strace(opts: &[&str], prog: &std::path::Path, args: &[&str]) -> Run {
    let dir = TempDir::new("inject-strace");
    let file = dir.join("trace.txt");
    let out =
        run(Command::new(need("strace")).args(opts).arg("-o").arg(&file).arg(prog).args(args).current_dir(dir.path()));
    let trace = normalise(&std::fs::read_to_string(&file).unwrap_or_default());
    Run { out, trace }
}

fn run_selftrace(backend: &str, opts: &[&str], prog: &std::path::Path, args: &[&str]) -> Run {
    let dir = TempDir::new("inject-selftrace");
    let file = dir.join("trace.txt");
    let file_s = file.to_str().unwrap().to_owned();
    let mut all = vec!["--backend", backend, "-o", &file_s];
    all.extend_from_slice(opts);
    let out = run(&mut selftrace_cmd(dir.path(), &all, prog, args));
    let trace = normalise(&std::fs::read_to_string(&file).unwrap_or_default());
    Run { out, trace }
}

/// Runs `prog args` under strace and selftrace (each backend) with `opts`; checks that the
/// program saw the same and the traces are equal. Returns strace's run for further checks.
fn compare(opts: &[&str], prog: &std::path::Path, args: &[&str], backends: &[&str]) -> Run {
    let s = run_strace(opts, prog, args);
    assert!(s.out.status.success(), "strace: {}", s.out.describe());
    for b in backends {
        let f = run_selftrace(b, opts, prog, args);
        assert_eq!(f.out.status.code(), s.out.status.code(), "{b} {opts:?}: {}", f.out.describe());
        assert_eq!(f.out.stdout_str(), s.out.stdout_str(), "{b} {opts:?}: the program saw something else");
        assert_eq!(f.trace, s.trace, "{b} {opts:?}: trace lines differ");
    }
    s
}

const BOTH: &[&str] = &["sud", "seccomp"];
const SET: &str = "trace=chdir,sched_yield";

/// Which rounds of the fixture's output had their chdir tampered with.
fn injected_rounds(stdout: &str, what: &str) -> Vec<u32> {
    stdout
        .lines()
        .filter(|l| l.contains(&format!("chdir={what}")))
        .filter_map(|l| l.split(' ').nth(1)?.parse().ok())
        .collect()
}

#[test]
fn when_forms_equal_strace() {
    let ic = fixture("inject_calls");
    for (when, rounds) in
        [("3", vec![3]), ("2..4", vec![2, 3, 4]), ("2+", vec![2, 3, 4, 5, 6, 7, 8]), ("1..7+3", vec![1, 4, 7])]
    {
        let expr = format!("inject=chdir,sched_yield:error=ENOENT:when={when}");
        let s = compare(&["-e", SET, "-e", &expr], &ic, &["loop", "8"], BOTH);
        assert_eq!(injected_rounds(&s.out.stdout_str(), "-1/ENOENT"), rounds, "when={when}");
        // Each call of the set has its own counter: sched_yield is hit in the same rounds.
        let yields = s.out.stdout_str().lines().filter(|l| l.ends_with("yield=-1/ENOENT")).count();
        assert_eq!(yields, rounds.len(), "when={when}");
        let marked =
            s.trace.iter().filter(|l| l.ends_with(" = -1 ENOENT (No such file or directory) (INJECTED)")).count();
        assert_eq!(marked, 2 * rounds.len(), "when={when}: {:#?}", s.trace);
    }
}

#[test]
fn error_by_name_and_number_retval_and_fault_equal_strace() {
    let ic = fixture("inject_calls");
    for (exprs, chdir) in [
        (&["inject=chdir:error=eacces:when=2"][..], "-1/EACCES"),
        (&["inject=chdir:error=13:when=2"], "-1/EACCES"),
        (&["inject=chdir:retval=7:when=2"], "7/0"),
        (&["inject=chdir:retval=0x2a:when=2"], "42/0"),
        (&["fault=chdir:when=2"], "-1/ENOSYS"),
        (&["fault=chdir:error=EPERM:when=2"], "-1/EPERM"),
        // The later expression wins for the calls both name.
        (&["inject=chdir:error=EPERM", "inject=chdir,sched_yield:retval=7:when=2"], "7/0"),
    ] {
        let mut opts = vec!["-e", SET];
        for e in exprs {
            opts.extend(["-e", e]);
        }
        let s = compare(&opts, &ic, &["loop", "3"], BOTH);
        assert_eq!(injected_rounds(&s.out.stdout_str(), chdir), [2], "{exprs:?}: {}", s.out.stdout_str());
        assert_eq!(s.trace.iter().filter(|l| l.ends_with("(INJECTED)")).count(), if exprs.len() == 2 { 2 } else { 1 });
    }
}

#[test]
fn retval_that_looks_like_an_error_prints_unsigned() {
    let ic = fixture("inject_calls");
    let s = compare(&["-e", "trace=chdir", "-e", "inject=chdir:retval=-1:when=1"], &ic, &["loop", "1"], BOTH);
    assert_eq!(s.trace[0], format!("{:<39} = 18446744073709551615 (INJECTED)", "chdir(\".\")"));
    assert!(s.out.stdout_str().contains("chdir=-1/EPERM"), "{}", s.out.stdout_str());
}

#[test]
fn signal_arrives_after_the_call_as_si_kernel() {
    let ic = fixture("inject_calls");
    for expr in ["inject=chdir:signal=SIGUSR1:when=2+", "inject=chdir:signal=usr1:error=EPERM:when=2+"] {
        let s = compare(&["-e", SET, "-e", expr], &ic, &["signal", "3"], BOTH);
        let out = s.out.stdout_str();
        // The handler ran once per tampered call, after it returned, with strace's si_code.
        assert!(out.contains("main 1 chdir=") && out.contains("handled=0 code=0\nmain 2"), "{out}");
        assert!(out.contains("handled=1 code=128\n") && out.ends_with("handled=2 code=128\n"), "{out}");
        let sig = s.trace.iter().filter(|l| *l == "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---").count();
        assert_eq!(sig, 2, "{:#?}", s.trace);
    }
}

#[test]
fn delays_mark_the_call() {
    let ic = fixture("inject_calls");
    for expr in [
        "inject=chdir:delay_enter=1ms:when=2",
        "inject=chdir:delay_exit=500us:when=2",
        "inject=chdir:error=ENOSYS:delay_enter=1000:when=2",
    ] {
        let s = compare(&["-e", SET, "-e", expr], &ic, &["loop", "3"], BOTH);
        let marked: Vec<&String> = s.trace.iter().filter(|l| l.ends_with("(DELAYED)")).collect();
        assert_eq!(marked.len(), 1, "{expr}: {:#?}", s.trace);
        assert!(marked[0].starts_with("chdir(\".\")"), "{expr}: {marked:?}");
    }
}

#[test]
fn counters_are_per_thread() {
    let ic = fixture("inject_calls");
    // With -f every thread counts from its own first call; without, only the initial thread is
    // tampered with (strace traces no other).
    let s = compare(&["-f", "-e", SET, "-e", "inject=chdir:error=ENOENT:when=2"], &ic, &["threads", "3"], BOTH);
    let out = s.out.stdout_str();
    for who in ["main", "A", "B"] {
        assert!(out.contains(&format!("{who} 2 chdir=-1/ENOENT")), "{out}");
    }
    assert_eq!(out.matches("ENOENT").count(), 3, "{out}");
    let s = compare(&["-e", SET, "-e", "inject=chdir:error=ENOENT:when=2"], &ic, &["threads", "3"], BOTH);
    assert_eq!(s.out.stdout_str().matches("ENOENT").count(), 1, "{}", s.out.stdout_str());
}

#[test]
fn fork_children_count_from_zero() {
    let ic = fixture("inject_calls");
    // SIGCHLD at its default action never reaches a process (README): its line is strace's only.
    let opts = ["-f", "-qq", "-e", "signal=none", "-e", SET, "-e", "inject=chdir:error=ENOENT:when=2"];
    let s = compare(&opts, &ic, &["fork", "3"], BOTH);
    let out = s.out.stdout_str();
    assert!(out.contains("parent 2 chdir=-1/ENOENT") && out.contains("child 2 chdir=-1/ENOENT"), "{out}");
    // The parent's counter went on past 2 across the fork.
    assert_eq!(out.matches("ENOENT").count(), 2, "{out}");
}

#[test]
fn counters_survive_execve() {
    let ic = fixture("inject_calls");
    let script = format!("cd /; exec {} loop 3", ic.display());
    let s = compare(
        &["-e", "trace=chdir", "-e", "inject=chdir:error=ENOENT:when=2"],
        &need("sh"),
        &["-c", &script],
        &["sud"],
    );
    // The shell's cd was the first chdir: the exec'd program's first one is the second.
    assert!(s.out.stdout_str().starts_with("main 1 chdir=-1/ENOENT"), "{}", s.out.stdout_str());
}

#[test]
fn untraced_calls_are_not_tampered_with() {
    let ic = fixture("inject_calls");
    let s = compare(&["-e", "trace=sched_yield", "-e", "inject=chdir:error=ENOENT"], &ic, &["loop", "2"], BOTH);
    assert!(!s.out.stdout_str().contains("ENOENT"), "{}", s.out.stdout_str());
}

#[test]
fn summary_counts_injected_errors() {
    let ic = fixture("inject_calls");
    let t = trace(&["-e", "trace=chdir", "-e", "inject=chdir:error=ENOENT:when=2..3"], &ic, &["loop", "4"]);
    t.out.assert_success();
    t.summary.expect("chdir", 4, 2);
}

#[test]
fn injected_retval_counts_as_success() {
    let ic = fixture("inject_calls");
    let t = trace(&["-e", "trace=chdir", "-e", "inject=chdir:retval=-1:when=2"], &ic, &["loop", "3"]);
    t.out.assert_success();
    t.summary.expect("chdir", 3, 0);
    // -Z (failed calls only) leaves it out, as strace does; -z keeps it and hides an error= one.
    compare(&["-Z", "-e", "trace=chdir", "-e", "inject=chdir:retval=-1:when=2"], &ic, &["loop", "3"], BOTH);
    let s = compare(&["-z", "-e", "trace=chdir", "-e", "inject=chdir:retval=-1:when=2"], &ic, &["loop", "3"], BOTH);
    assert_eq!(s.trace.iter().filter(|l| l.contains("(INJECTED)")).count(), 1, "{:#?}", s.trace);
    let s = compare(&["-z", "-e", "trace=chdir", "-e", "inject=chdir:error=EIO:when=2"], &ic, &["loop", "3"], BOTH);
    assert!(!s.trace.iter().any(|l| l.contains("EIO")), "{:#?}", s.trace);
}

#[test]
fn json_marks_injected_calls() {
    let ic = fixture("inject_calls");
    let dir = TempDir::new("inject-json");
    let file = dir.join("t.json");
    let out = run(&mut selftrace_cmd(
        dir.path(),
        &[
            "--json",
            "-o",
            file.to_str().unwrap(),
            "-e",
            "trace=chdir",
            "-e",
            "inject=chdir:error=ENOENT:delay_exit=1:when=2",
        ],
        &ic,
        &["loop", "3"],
    ));
    out.assert_success();
    let text = std::fs::read_to_string(&file).unwrap();
    let calls: Vec<&str> = text.lines().filter(|l| l.contains("\"syscall\":\"chdir\"")).collect();
    assert_eq!(calls.len(), 3, "{text}");
    assert!(calls[1].ends_with(",\"error\":\"ENOENT\",\"injected\":true,\"delayed\":true}"), "{}", calls[1]);
    assert!(!calls[0].contains("injected") && !calls[2].contains("injected"), "{text}");
}

#[test]
fn malformed_specs_stop_before_the_program() {
    let touch = need("touch");
    for (expr, why) in [
        ("inject=chdir", "needs one of error=, retval=, signal=, delay_enter= or delay_exit="),
        ("inject=chdir:error=ENOPE", "error=ENOPE: unknown errno name"),
        ("inject=chdir:error=4096", "error=4096: an errno number must be 1..4095"),
        ("inject=chdir:error=EPERM:retval=1", "error= and retval= exclude each other"),
        ("inject=chdir:signal=SIGFOO", "signal=SIGFOO: not a signal name or number 1..64"),
        ("inject=chdir:delay_enter=5m", "delay_enter=5m: not a time"),
        ("inject=chdir:error=EPERM:when=0", "when=0: FIRST must be 1..65535"),
        ("inject=chdir:error=EPERM:when=3..2", "when=3..2: LAST must be FIRST..65534"),
        ("inject=chdir:error=EPERM:when=2+0", "when=2+0: STEP must be 1..65535"),
        ("inject=opne:error=EPERM", "invalid system call 'opne'"),
        ("inject=chdir:bogus=1", "unknown key 'bogus'"),
        ("fault=chdir:retval=1", "retval= is not allowed in fault="),
        ("inject=chdir:poke_enter=@arg1=00", "poke_enter= is not supported"),
    ] {
        let dir = TempDir::new("inject-bad");
        let out = run(&mut selftrace_cmd(dir.path(), &["-e", expr], &touch, &["ran"]));
        assert_eq!(out.status.code(), Some(1), "{expr}: {}", out.describe());
        let err = out.stderr_str();
        assert_eq!(err.lines().count(), 1, "{expr}: {err}");
        assert!(err.starts_with(&format!("selftrace: -e {expr}: ")) && err.contains(why), "{expr}: {err}");
        assert!(!dir.join("ran").exists(), "{expr}: the program ran");
        // strace refuses the same expressions (but for poke_enter=, which selftrace lacks).
        if expr.contains("poke") {
            continue;
        }
        let s = run(Command::new(need("strace")).args(["-e", expr, "true"]));
        assert_eq!(s.status.code(), Some(1), "strace accepted {expr}");
    }
}

#[test]
fn real_program_sees_the_injected_error() {
    // coreutils echo reports the failed write and exits 1; the dynamic loader makes no write,
    // so strace's and selftrace's invocation counts start together.
    let echo = need("echo");
    for expr in ["inject=write:error=ENOSPC", "fault=write:error=EIO:when=1"] {
        let opts = ["-e", "trace=write", "-e", expr];
        let s = run_strace(&opts, &echo, &["hi"]);
        assert_eq!(s.out.status.code(), Some(1), "{}", s.out.describe());
        for b in BOTH {
            let f = run_selftrace(b, &opts, &echo, &["hi"]);
            assert_eq!(f.out.status.code(), Some(1), "{b}: {}", f.out.describe());
            assert_eq!(f.out.stderr_str(), s.out.stderr_str(), "{b} {expr}");
            assert_eq!(f.out.stdout_str(), "", "{b} {expr}");
            assert_eq!(f.trace, s.trace, "{b} {expr}");
        }
        assert!(
            s.trace[0].starts_with("write(1, \"hi\\n\", 3)") && s.trace[0].ends_with("(INJECTED)"),
            "{:#?}",
            s.trace
        );
    }
}

#[test]
fn raw_preload_run_injects() {
    let ic = fixture("inject_calls");
    let dir = TempDir::new("inject-raw");
    let out = run(Command::new(&ic)
        .args(["loop", "3"])
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", "-c -o summary.txt -e trace=chdir -e inject=chdir:error=EACCES:when=2+")
        .current_dir(dir.path()));
    out.assert_success();
    assert_eq!(injected_rounds(&out.stdout_str(), "-1/EACCES"), [2, 3], "{}", out.stdout_str());
    read_summary(&dir.join("summary.txt"), &out).expect("chdir", 3, 2);
}

/// A posix_spawn child (a vfork child sharing its parent's memory) is a tracee of its own: its
/// counters start from zero, as strace's do, instead of going on with its parent's.
#[test]
fn posix_spawn_children_count_from_zero() {
    let out = run(Command::new(need("python3")).args(["-c", "import sys; print(sys.executable)"]));
    let python = std::path::PathBuf::from(out.stdout_str().trim());
    let script = format!(
        "import os\nfor i in range(3):\n    try:\n        pid = os.posix_spawn('{}', ['true'], {{}})\n        \
         os.waitpid(pid, 0); print(i, 'ok')\n    except OSError as e:\n        print(i, e.errno)\n",
        need("true").display()
    );
    for (when, want) in [("2", "0 ok\n1 ok\n2 ok\n"), ("1", "0 2\n1 2\n2 2\n")] {
        let expr = format!("inject=execve:error=ENOENT:when={when}");
        let opts = ["-f", "-qq", "-e", "trace=execve", "-e", &expr];
        let s = run_strace(&opts, &python, &["-c", &script]);
        assert_eq!(s.out.stdout_str(), want, "strace, when={when}: {}", s.out.describe());
        let f = run_selftrace("sud", &opts, &python, &["-c", &script]);
        assert_eq!(f.out.stdout_str(), want, "when={when}: {}", f.out.describe());
    }
}
