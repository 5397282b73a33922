//! A raw LD_PRELOAD tree (no launcher) keeps its shared state while any of its processes lives:
//! a process that execs after the initial one has exited is still trapped, and the state file
//! is removed after the last process is gone, SIGKILL included.
mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Waits (bounded) until the run whose initial process was `pid` has removed its state file,
/// which its watcher does after the last process of the tree is gone.
fn wait_state_removed(pid: u32, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    // The run started less than a minute ago; older files with this pid are another run's.
    let since = std::time::SystemTime::now() - Duration::from_secs(60);
    loop {
        let left = leftover_state_files(pid, since);
        if left.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            for f in &left {
                let _ = std::fs::remove_file(f);
            }
            panic!("{what}: the raw run left its state file(s) behind: {left:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What a raw run with a late process left: the initial process's pid, stdout and stderr.
struct Late {
    root: u32,
    stdout: String,
    stderr: String,
}

/// Runs `sh -c` raw under `lib` (SELFTRACE_OPTIONS `options`, if any): the shell starts a
/// background subshell and exits; only after the shell is gone (and reaped) does the test let
/// the subshell go on to `exec LATE...`, so the late program starts when no process that was
/// there at the start is left. Returns once the tree is done (its state file removed).
fn late_exec(dir: &TempDir, lib: &Path, options: Option<&str>, late: &[&str]) -> Late {
    let go = dir.join("go");
    let late: Vec<String> = late.iter().map(|a| format!("'{a}'")).collect();
    let script =
        format!("{{ until [ -e '{}' ]; do sleep 0.01; done; exec {}; }} & echo started", go.display(), late.join(" "));
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script])
        .env("LD_PRELOAD", lib)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .process_group(0);
    match options {
        Some(o) => cmd.env("SELFTRACE_OPTIONS", o),
        None => cmd.env_remove("SELFTRACE_OPTIONS"),
    };
    let mut child = cmd.spawn().expect("spawning sh");
    let root = child.id();
    let status = child.wait().unwrap();
    assert!(status.success(), "sh: {status:?}");
    std::fs::write(&go, "").unwrap();
    wait_state_removed(root, &script);
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
    let l = Late { root, stdout: read(out), stderr: read(err) };
    assert!(!l.stderr.contains("selftrace:"), "the runtime spoke on the program's stderr:\n{}", l.stderr);
    l
}

/// `-c`: the watcher prints the summary after the last process, the late one included.
#[test]
fn late_exec_counted_by_summary() {
    let dir = TempDir::new("rawlife");
    let sum = dir.join("summary.txt");
    let options = format!("-f -c -o {}", sum.display());
    let l = late_exec(
        &dir,
        &preload_lib(),
        Some(&options),
        &[fixture("counts").to_str().unwrap(), "1000", "300", "20", "40", "70"],
    );
    assert_eq!(l.stdout.lines().next(), Some("started"), "{}", l.stdout);
    assert_eq!(l.stdout.lines().count(), 2, "the late program did not run:\n{}", l.stdout);
    let text = std::fs::read_to_string(&sum).unwrap_or_else(|e| panic!("{}: {e}", sum.display()));
    let s = parse_summary(&text);
    // The fixture's calls and sh's start-up's one getppid and one getuid (as strace -f counts
    // them for this script).
    s.expect("getppid", 1000 + 1, 0);
    s.expect("getuid", 300 + 1, 0);
    s.expect("getpriority", 60, 40);
    s.expect("getpgrp", 70, 0);
}

/// A shim (here --uname) still applies to a process that execs after the initial one is gone,
/// whether the run traces (to stderr or a file, without -f: the reader never hears of the late
/// process) or only counts.
#[test]
fn late_exec_keeps_shims() {
    let uname = need("uname");
    for options in ["-qq -e trace=none", "-e trace=openat -o trace.txt", "-c -o summary.txt"] {
        let dir = TempDir::new("rawlife");
        let options = format!("{options} --uname nodename=latebird");
        let l = late_exec(&dir, &preload_lib(), Some(&options), &[uname.to_str().unwrap(), "-n"]);
        assert_eq!(l.stdout, "started\nlatebird\n", "{options}");
        assert_eq!(l.stderr, "", "{options}");
    }
}

/// Tracing: the late program's calls are in the trace (the reader followed it too).
#[test]
fn late_exec_traced() {
    let dir = TempDir::new("rawlife");
    let trace = dir.join("trace.txt");
    let options = format!("-f -e trace=getppid -o {}", trace.display());
    let l = late_exec(
        &dir,
        &preload_lib(),
        Some(&options),
        &[fixture("counts").to_str().unwrap(), "7", "0", "0", "0", "0"],
    );
    let text = std::fs::read_to_string(&trace).unwrap();
    // `PID  line` (strace's -f -o layout).
    fn split(line: &str) -> Option<(&str, &str)> {
        line.split_once(' ').map(|(p, rest)| (p, rest.trim_start()))
    }
    let root = l.root.to_string();
    let late: Vec<(&str, &str)> =
        text.lines().filter_map(split).filter(|(p, rest)| *p != root && rest.starts_with("getppid()")).collect();
    assert_eq!(late.len(), 7, "late getppid lines:\n{text}");
    let pid = late[0].0;
    assert!(late.iter().all(|(p, _)| *p == pid), "{text}");
    assert!(text.lines().filter_map(split).any(|l| l == (pid, "+++ exited with 0 +++")), "{text}");
}

/// Builds examples/count_calls (a no-op when current) with the tests' profile and target dir.
fn count_calls_lib() -> PathBuf {
    cargo_build(&["--example", "count_calls"], "examples/libcount_calls.so")
}

/// A preload! library of one's own (hooks only, no SELFTRACE_OPTIONS): its hooks run in the
/// late program, which prints its table with the fixture's exact counts.
#[test]
fn late_exec_runs_user_hooks() {
    let dir = TempDir::new("rawlife");
    let l =
        late_exec(&dir, &count_calls_lib(), None, &[fixture("counts").to_str().unwrap(), "10", "20", "0", "3", "0"]);
    let counts_line = l.stdout.lines().nth(1).unwrap_or_else(|| panic!("the late program did not run:\n{}", l.stdout));
    // The table of the late process: the one that counted getppid.
    let root = format!("{}\n", l.root);
    let tables: Vec<&str> =
        l.stderr.split("count_calls: pid ").filter(|t| !t.starts_with(&root) && t.contains(" getppid\n")).collect();
    assert_eq!(tables.len(), 1, "{counts_line}\n{}", l.stderr);
    let row = |name: &str| -> (u64, u64) {
        let line = tables[0]
            .lines()
            .find(|line| line.split_whitespace().nth(2) == Some(name))
            .unwrap_or_else(|| panic!("no {name} row in\n{}", tables[0]));
        let f: Vec<&str> = line.split_whitespace().collect();
        (f[0].parse().unwrap(), f[1].parse().unwrap())
    };
    assert_eq!(row("getppid"), (10, 0));
    assert_eq!(row("getuid"), (20, 0));
    assert_eq!(row("getpriority"), (3, 3));
}

/// A raw tree killed with SIGKILL (no process gets to clean up) leaves no state file: the
/// watcher removes it once the last process is gone.
#[test]
fn sigkilled_tree_leaves_no_state() {
    for options in ["-f -c -o summary.txt", "-qq -e trace=none", "-e trace=getppid -o trace.txt"] {
        let dir = TempDir::new("rawlife");
        let mut child = Command::new("sh")
            .args(["-c", "sleep 30 & echo $!; exec sleep 30"])
            .env("LD_PRELOAD", preload_lib())
            .env("SELFTRACE_OPTIONS", options)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let root = child.id();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let bg: i32 = line.trim().parse().unwrap_or_else(|_| panic!("{options}: {line:?}"));
        // SAFETY: kill(2) of the process group the test made.
        unsafe {
            assert_eq!(libc::kill(-(root as i32), libc::SIGKILL), 0);
        }
        let _ = child.wait();
        wait_state_removed(root, options);
        // Gone, or a zombie its new parent has not reaped.
        let bg_gone = std::fs::read_to_string(format!("/proc/{bg}/stat"))
            .map_or(true, |st| st.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z')));
        assert!(bg_gone, "{options}: the background sleep {bg} survived the group kill");
    }
}

/// A background process that outlives the shell: with `-c -o FILE` nothing holds the pipes
/// after it, so the last process itself writes the summary and removes the state as it exits
/// (the harness checks at once that nothing is left).
#[test]
fn background_child_outliving_the_shell() {
    let dir = TempDir::new("rawlife");
    let sum = dir.join("summary.txt");
    let script = format!("'{}' 5 0 0 0 0 & echo bg", fixture("counts").display());
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script])
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", format!("-f -c -o {}", sum.display()))
        .current_dir(dir.path());
    let out = run(&mut cmd);
    out.assert_success();
    assert_eq!(out.stderr_str(), "", "{}", out.describe());
    assert_eq!(out.stdout_str().lines().count(), 2, "{}", out.describe());
    let s = read_summary(&sum, &out);
    s.expect("getppid", 5 + 1, 0);
}

/// `-c` on stderr for a program that closes its stderr before exit_group (coreutils do): the
/// initial process cannot print the table, so the watcher, which kept that stderr, does.
#[test]
fn summary_after_program_closed_stderr() {
    let dir = TempDir::new("rawlife");
    let echo = need("echo");
    let mut cmd = Command::new(&echo);
    cmd.arg("hi").env("LD_PRELOAD", preload_lib()).env("SELFTRACE_OPTIONS", "-c").current_dir(dir.path());
    let out = run(&mut cmd);
    out.assert_success();
    assert_eq!(out.stdout_str(), "hi\n");
    let s = try_parse_summary(&out.stderr_str())
        .unwrap_or_else(|e| panic!("stderr is not exactly a -c table: {e}\n{}", out.describe()));
    s.expect("write", 1, 0);
    // The close(2) that kept the initial process from printing is in the table.
    assert!(s.calls("close") >= 2, "{}", out.describe());
}

/// Short raw trees whose children are reaped before the watcher first looks at them: the
/// watcher must still see the tree end and exit (it holds the program's stdout and stderr while
/// it drains the trace, so a watcher that never exits leaves the run's output unfinished: the
/// harness then gets nothing). Several rounds, four trees at a time: the race this guards
/// against (an entry of an already reaped child, cleared while scanning, counted as live) hit
/// about one run in twenty-five.
#[test]
fn watcher_exits_after_short_lived_children() {
    let lib = preload_lib();
    let sh = need("sh");
    for _round in 0..20 {
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let (lib, sh) = (lib.clone(), sh.clone());
                std::thread::spawn(move || {
                    let d = TempDir::new("watcher-exit");
                    let out = run(Command::new(&sh)
                        .args(["-c", "true; true; (true); echo done"])
                        .current_dir(d.path())
                        .env("LD_PRELOAD", &lib)
                        .env("SELFTRACE_OPTIONS", "-f -qq -e trace=none -e signal=none"));
                    out.assert_success();
                    assert_eq!(out.stdout_str(), "done\n", "{}", out.describe());
                    assert_eq!(out.stderr_str(), "", "{}", out.describe());
                })
            })
            .collect();
        for r in runs {
            r.join().unwrap();
        }
    }
}
