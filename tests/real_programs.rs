//! Real programs behave exactly as natively under `selftrace -f -c -o FILE` (same stdout, stderr
//! and exit status), and the summary is a well-formed strace table with plausible counts.
mod common;
use common::*;
use std::path::PathBuf;

/// Runs `prog args` natively and under `selftrace OPTS -c -o FILE` in the same scratch
/// directory layout (a copy of `files`), asserts identical behaviour, returns the summary.
fn same_as_native(
    opts: &[&str],
    prog: impl AsRef<std::ffi::OsStr> + Clone,
    args: &[&str],
    files: &[(&str, &str)],
) -> Summary {
    let ndir = TempDir::new("real-native");
    for (name, content) in files {
        std::fs::write(ndir.join(name), content).unwrap();
    }
    let native = native_in(ndir.path(), prog.clone(), args);
    let dir = TempDir::new("real");
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let file = dir.join("summary.txt");
    let mut all = opts.to_vec();
    all.extend(["-c", "-o", file.to_str().unwrap()]);
    let out = run(&mut selftrace_cmd(dir.path(), &all, prog, args));
    assert_same_behaviour(&native, &out, true);
    let s = read_summary(&file, &out);
    assert!(s.total.calls > 0, "{}", s.text);
    assert!(s.calls("execve") >= 1, "the root execve is missing\n{}", s.text);
    s
}

/// The interpreter itself, not a wrapper script (pyenv shims are bash scripts that run a dozen
/// programs first).
fn python() -> PathBuf {
    let py = need("python3");
    let out = native(&py, &["-c", "import sys; print(sys.executable)"]);
    out.assert_success();
    PathBuf::from(out.stdout_str().trim())
}

const PYTHON_SCRIPT: &str = r#"
import os, subprocess, sys, threading
res = []
def work(i):
    n = 0
    for _ in range(1000):
        n += os.getppid() > 0
    res.append((i, n))
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(res), flush=True)
r = subprocess.run(['echo', 'hi'], capture_output=True, text=True)
print(repr(r.stdout), r.returncode, flush=True)
subprocess.run(['echo', 'direct'])
print('pid ok', os.getpid() > 0, flush=True)
"#;

/// Python with threads and subprocess.run (close_fds=True by default, so it closes every fd
/// above 2 in the child before exec'ing echo).
#[test]
fn python_threads_and_subprocess() {
    let s = same_as_native(&["-f"], python(), &["-c", PYTHON_SCRIPT], &[]);
    // 4 threads x 1000 os.getppid(); strace -f counts exactly 4000 too.
    s.expect("getppid", 4000, 0);
    assert!(s.calls("getpid") > 0, "{}", s.text);
    assert!(s.calls("write") > 0, "{}", s.text);
    // python + the two echos.
    assert!(s.calls("execve") - s.errors("execve") >= 3, "{}", s.text);
}

#[test]
fn sh_pipeline() {
    let s = same_as_native(&["-f"], need("sh"), &["-c", "echo a | tr a b | cat"], &[]);
    assert!(s.calls("execve") - s.errors("execve") >= 3, "sh + tr + cat\n{}", s.text);
    assert!(s.calls("write") > 0, "{}", s.text);
}

#[test]
fn bash_pipelines() {
    let script = r#"
for i in 3 1 2; do echo "line $i"; done | sort -r | head -n 2
echo "status: ${PIPESTATUS[@]}"
x=$(printf '%s\n' a b c | wc -l); echo "count $x"
(exit 3); echo "subshell $?"
echo done >&2
exit 4
"#;
    let s = same_as_native(&["-f"], need("bash"), &["-c", script], &[]);
    assert!(s.calls("write") > 0, "{}", s.text);
    assert!(s.calls("execve") >= 4, "bash + sort + head + wc (+ printf builtin)\n{}", s.text);
}

#[test]
fn ls_la_usr_bin() {
    let s = same_as_native(&["-f"], need("ls"), &["-la", "/usr/bin"], &[]);
    assert!(s.calls("getdents64") > 0, "{}", s.text);
}

const TEXT: &str = "pear\napple\nfig\nbanana\napple\n";

#[test]
fn coreutils_sort_wc_cat_date() {
    for backend in ["sud", "seccomp"] {
        let opts = ["-f", "--backend", backend];
        let files = [("in.txt", TEXT)];
        let s = same_as_native(&opts, need("sort"), &["in.txt"], &files);
        assert!(s.calls("read") > 0, "{}", s.text);
        same_as_native(&opts, need("sort"), &["-u", "-r", "in.txt"], &files);
        same_as_native(&opts, need("wc"), &["in.txt"], &files);
        let s = same_as_native(&opts, need("cat"), &["in.txt", "in.txt"], &files);
        assert!(s.calls("write") > 0, "{}", s.text);
        same_as_native(&opts, need("date"), &["-d", "@0", "-u"], &[]);
        // A failing program: same message on stderr, same exit status.
        same_as_native(&opts, need("cat"), &["no-such-file"], &[]);
    }
}

/// A bare program name is looked up in PATH, like strace does.
#[test]
fn bare_program_name_found_in_path() {
    same_as_native(&["-f"], "sh", &["-c", "echo hi; exit 5"], &[]);
}

/// Options after the program are the program's, with or without `--`.
#[test]
fn options_after_the_program_are_its_own() {
    let sh = need("sh");
    let sh = sh.to_str().unwrap();
    for (opts, args) in [
        (&["-c"][..], &["-c", r#"echo "$@""#, "sh", "-f", "--bogus", "-o", "x"][..]),
        (&["-f", "-c"][..], &["-c", r#"echo "$@"; exit 2"#, "sh", "--", "-c"][..]),
    ] {
        let native = native(sh, args);
        let dir = TempDir::new("progopts");
        let file = dir.join("summary.txt");
        let mut all = opts.to_vec();
        all.extend(["-o", file.to_str().unwrap()]);
        // No `--` between our options and the program here.
        let out = run(std::process::Command::new(selftrace()).args(&all).arg(sh).args(args).current_dir(dir.path()));
        assert_same_behaviour(&native, &out, true);
        read_summary(&file, &out);
        assert!(!dir.join("x").exists(), "`-o x` after the program was taken as ours");
    }
}

/// A `#!` script run by path (the launcher must not mistake it for a static binary, and the
/// interpreter's exec is followed).
#[test]
fn shebang_script() {
    let dir = TempDir::new("script");
    let script = dir.join("hello.sh");
    std::fs::write(&script, "#!/bin/sh\necho \"hello $1\"\nexit 6\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let native = native(&script, &["world"]);
    assert_eq!(native.status.code(), Some(6), "{}", native.describe());
    let t = trace(&["-f"], &script, &["world"]);
    assert_same_behaviour(&native, &t.out, true);
    assert!(t.summary.calls("write") >= 1, "{}", t.summary.text);
}

/// A tracer run under selftrace (strace here): the inferior it execs runs untraced by selftrace
/// (a process ptraced since its image started execs without the runtime; a PTRACE_TRACEME child,
/// gdb's way, leaves it at once), so strace sees the program as it is natively: no SIGSYS stop,
/// no runtime start-up, exact counts. selftrace counts strace's own calls and none of the
/// inferior's.
#[test]
fn a_tracer_under_selftrace_traces_its_own_child() {
    let d = TempDir::new("tracer");
    let (mine, theirs, lines) = (d.join("mine.txt"), d.join("theirs.txt"), d.join("lines.txt"));
    let under = |strace_opts: &[&str]| {
        let out = run_with_timeout(
            std::process::Command::new(selftrace())
                .args(["-f", "-c", "-o", mine.to_str().unwrap(), "--"])
                .arg(need("strace"))
                .args(strace_opts)
                .arg(fixture("counts"))
                .args(["1000", "300", "20", "40", "70"])
                .current_dir(d.path()),
            std::time::Duration::from_secs(60),
        );
        out.assert_success();
        out
    };
    let out = under(&["-f", "-o", lines.to_str().unwrap()]);
    let text = std::fs::read_to_string(&lines).unwrap();
    assert!(!text.contains("SIGSYS"), "strace saw the runtime:\n{text}");
    assert_eq!(text.matches("getppid()").count(), 1000, "{}", out.describe());
    let out = under(&["-f", "-c", "-o", theirs.to_str().unwrap()]);
    let s = read_summary(&theirs, &out);
    s.expect("getppid", 1000, 0);
    s.expect("getpgrp", 70, 0);
    let m = read_summary(&mine, &out);
    assert!(m.calls("ptrace") > 0 && m.calls("wait4") > 0, "{}", m.text);
    m.expect("getppid", 0, 0);
    m.expect("getpgrp", 0, 0);
}

/// gdb's way of starting an inferior: fork, PTRACE_TRACEME, exec. The first stop the parent sees
/// is the exec's SIGTRAP, as natively (before, every trapped call of the child stopped it with
/// SIGSYS first), and the inferior runs untraced by selftrace.
#[test]
fn a_traceme_child_leaves_the_runtime() {
    let script = r#"
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    if libc.ptrace(0, 0, None, None) != 0:
        os._exit(9)
    os.execv(sys.argv[1], sys.argv[1:])
stops = []
while True:
    _, st = os.waitpid(pid, 0)
    if os.WIFSTOPPED(st):
        stops.append(signal.Signals(os.WSTOPSIG(st)).name)
        libc.ptrace(7, pid, None, None)  # PTRACE_CONT
    else:
        break
print(stops, os.WEXITSTATUS(st), flush=True)
"#;
    let py = python();
    let counts = fixture("counts");
    let args = ["-c", script, counts.to_str().unwrap(), "10", "1", "1", "1", "1"];
    let native = native(&py, &args);
    native.assert_success();
    assert!(native.stdout_str().ends_with("['SIGTRAP'] 0\n"), "{}", native.describe());
    let t = trace(&["-f"], &py, &args);
    assert_eq!(t.out.stdout_str(), native.stdout_str(), "{}", t.out.describe());
    assert_eq!(t.out.stderr_str(), "", "{}", t.out.describe());
    t.summary.expect("getppid", 0, 0);
    assert!(t.summary.calls("ptrace") >= 2, "{}", t.summary.text);
}
