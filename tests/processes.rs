//! Process trees (fork, vfork + execve with an empty environment, posix_spawn), exit statuses
//! and deaths by signal passing through the launcher, and execve under the seccomp backend.
mod common;
use common::*;
use std::os::unix::process::ExitStatusExt;

/// procs MARKER NMAIN NFORK NEXEC NSPAWN STATUS. The four counts are chosen so that any lost
/// subset shows in the total: 7 (root), 1000 (fork child), 200 (vfork+execve'd marker, empty
/// environment), 30 (posix_spawn'd marker).
fn procs_args(marker: &str, status: &str) -> Vec<String> {
    [marker, "7", "1000", "200", "30", status].iter().map(|s| s.to_string()).collect()
}

fn explain_getppid(got: u64) -> String {
    let parts =
        [(7, "root"), (1000, "fork child"), (200, "vfork+execve marker (empty env)"), (30, "posix_spawn marker")];
    let mut seen = Vec::new();
    for mask in 0..16u32 {
        let sum: u64 = (0..4).filter(|i| mask & (1 << i) != 0).map(|i| parts[i].0).sum();
        if sum == got {
            seen = (0..4).filter(|i| mask & (1 << i) != 0).map(|i| parts[i].1).collect();
        }
    }
    if seen.is_empty() && got != 0 {
        format!("{got} getppid: not a sum of whole processes' counts")
    } else {
        format!("{got} getppid = counted only: {seen:?}")
    }
}

#[test]
fn process_tree_counted_with_f_sud() {
    let marker = fixture("marker");
    let args = procs_args(marker.to_str().unwrap(), "7");
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let native = native(fixture("procs"), &args);
    assert_eq!(native.status.code(), Some(7), "{}", native.describe());
    let t = trace(&["-f", "--backend", "sud"], fixture("procs"), &args);
    assert_same_behaviour(&native, &t.out, true);
    let got = t.summary.calls("getppid");
    assert_eq!(got, 7 + 1000 + 200 + 30, "{}\n{}", explain_getppid(got), t.summary.text);
    t.summary.expect("getppid", 1237, 0);
    // The root's initial execve + the vfork child's + the spawned child's.
    t.summary.expect("execve", 3, 0);
    t.summary.expect("vfork", 1, 0);
    t.summary.expect("wait4", 3, 0);
}

/// Without -f only the root process is counted.
#[test]
fn process_tree_without_f_counts_only_root_sud() {
    let marker = fixture("marker");
    let args = procs_args(marker.to_str().unwrap(), "0");
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let native = native(fixture("procs"), &args);
    native.assert_success();
    let t = trace(&["--backend", "sud"], fixture("procs"), &args);
    assert_same_behaviour(&native, &t.out, true);
    let got = t.summary.calls("getppid");
    assert_eq!(got, 7, "{}\n{}", explain_getppid(got), t.summary.text);
    t.summary.expect("execve", 1, 0);
}

/// Under the seccomp backend a fork child (no exec) is followed (fork inherits both the filter
/// and the handler), while the two execs fail with EPERM: the vfork child _exits 127 and
/// posix_spawn reports EPERM (1). Everything else stays exact.
#[test]
fn process_tree_with_f_seccomp() {
    let marker = fixture("marker");
    let args = procs_args(marker.to_str().unwrap(), "0");
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let t = trace(&["-f", "--backend", "seccomp"], fixture("procs"), &args);
    assert_eq!(
        t.out.stdout_str(),
        "fork child: exited 0\nvfork+execve child: exited 127\nposix_spawn failed: 1\n",
        "{}",
        t.out.describe()
    );
    assert_eq!(t.out.status.code(), Some(1), "{}", t.out.describe());
    let got = t.summary.calls("getppid");
    assert_eq!(got, 7 + 1000, "{}\n{}", explain_getppid(got), t.summary.text);
    t.summary.expect("execve", 3, 2);
}

/// With -f and no -o: exactly one table on stderr, after the whole tree has exited (procs.c
/// writes nothing to stderr).
#[test]
fn one_table_on_stderr_for_a_tree() {
    let marker = fixture("marker");
    let args = procs_args(marker.to_str().unwrap(), "0");
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let dir = TempDir::new("tree-stderr");
    let out = run(&mut selftrace_cmd(dir.path(), &["-f", "-c", "--backend", "sud"], fixture("procs"), &args));
    out.assert_success();
    let s = try_parse_summary(&out.stderr_str())
        .unwrap_or_else(|e| panic!("stderr is not exactly one -c table: {e}\n{}", out.describe()));
    s.expect("getppid", 1237, 0);
    s.expect("execve", 3, 0);
}

/// The root exits first and its fork child outlives it: like strace -f, the summary comes once
/// every process has exited and includes the orphan's calls; the launcher still exits with the
/// root's status.
#[test]
fn orphan_outliving_the_root_is_counted() {
    let native = native(fixture("orphan"), &["500", "3"]);
    assert_eq!(native.status.code(), Some(3), "{}", native.describe());
    for backend in ["sud", "seccomp"] {
        let t = trace(&["-f", "--backend", backend], fixture("orphan"), &["500", "3"]);
        assert_same_behaviour(&native, &t.out, true);
        t.summary.expect("getppid", 500, 0);
    }
}

// ---- exit statuses ---------------------------------------------------------------------------------

#[test]
fn exit_codes_pass_through() {
    for opts in [&[][..], &["-c"][..], &["-f", "--backend", "sud"][..], &["-f", "--backend", "seccomp"][..]] {
        for code in ["0", "1", "3", "42", "255"] {
            let dir = TempDir::new("exit");
            let out = run(&mut selftrace_cmd(dir.path(), opts, fixture("exit_status"), &["10", code]));
            assert_eq!(out.status.code(), Some(code.parse().unwrap()), "options {opts:?}\n{}", out.describe());
        }
    }
}

/// A program killed by a signal: the launcher dies of the same signal.
#[test]
fn death_by_signal_passes_through() {
    let cases = [("-TERM", 15), ("-SEGV", 11), ("-KILL", 9), ("-ABRT", 6), ("-USR1", 10)];
    for opts in [&["-c"][..], &["-f", "--backend", "sud"][..], &["-f", "--backend", "seccomp"][..]] {
        for (how, sig) in cases {
            let native = native(fixture("exit_status"), &["10", how]);
            assert_eq!(native.status.signal(), Some(sig), "{}", native.describe());
            let dir = TempDir::new("signal");
            let out_file = dir.join("summary.txt");
            let mut all = opts.to_vec();
            all.extend(["-o", out_file.to_str().unwrap()]);
            let out = run(&mut selftrace_cmd(dir.path(), &all, fixture("exit_status"), &["10", how]));
            assert_eq!(
                out.status.signal(),
                Some(sig),
                "launcher should die of signal {sig}; options {opts:?}\n{}",
                out.describe()
            );
        }
    }
}

/// strace prints the summary when the traced program is killed; so must selftrace, with the
/// calls made before the death counted.
#[test]
fn summary_written_when_program_killed() {
    for backend in ["sud", "seccomp"] {
        for how in ["-TERM", "-SEGV", "-KILL"] {
            let t = trace(&["-f", "--backend", backend], fixture("exit_status"), &["250", how]);
            assert!(t.out.status.signal().is_some(), "{}", t.out.describe());
            assert_eq!(
                t.summary.calls("getppid"),
                250,
                "backend {backend}, death by SIG{}\n{}",
                &how[1..],
                t.summary.text
            );
        }
    }
}

// ---- execve under the seccomp backend --------------------------------------------------------------

/// The seccomp backend cannot follow execve (the filter survives it, the handler does not): the
/// execve must fail with EPERM, with a `selftrace: ` line saying why, instead of the new program
/// being killed at its first syscall.
#[test]
fn seccomp_execve_fails_with_eperm_and_explains() {
    let marker = fixture("marker");
    let args = ["5", marker.to_str().unwrap(), "7"];
    // Natively the execve works and marker exits 0.
    native(fixture("exec_probe"), &args).assert_success();
    for opts in [&["--backend", "seccomp"][..], &["-f", "--backend", "seccomp"][..]] {
        let t = trace(opts, fixture("exec_probe"), &args);
        assert_eq!(t.out.stdout_str(), "execve failed: errno=1 (EPERM)\n", "options {opts:?}\n{}", t.out.describe());
        assert_eq!(t.out.status.code(), Some(3), "options {opts:?}\n{}", t.out.describe());
        let stderr = t.out.stderr_str();
        let explained = stderr.lines().any(|l| l.starts_with("selftrace: ") && l.to_lowercase().contains("exec"));
        assert!(explained, "no `selftrace: ` line explaining the execve failure\n{}", t.out.describe());
        // 5 before, 5 after the failed execve; the initial execve and the failed one.
        t.summary.expect("getppid", 10, 0);
        t.summary.expect("execve", 2, 1);
    }
}

/// Under the sud backend the same program execs marker, which is counted under -f.
#[test]
fn sud_execve_is_followed() {
    let marker = fixture("marker");
    let args = ["5", marker.to_str().unwrap(), "7"];
    let native = native(fixture("exec_probe"), &args);
    let t = trace(&["-f", "--backend", "sud"], fixture("exec_probe"), &args);
    assert_same_behaviour(&native, &t.out, true);
    t.summary.expect("getppid", 12, 0);
    t.summary.expect("execve", 2, 0);
}

/// A root program that drops to another uid and then execs (setpriv, su, daemons, python's
/// os.setuid then subprocess with close_fds) keeps its tree traced: the state file (mode 0600,
/// root's) is no longer open to the new uid by its path, so the runtime keeps a descriptor from
/// before the change and hands it to the exec'd images. Exact counts of the fixture the dropped
/// process runs prove it was traced; nothing extra appears on stderr.
#[test]
fn a_tree_that_drops_root_stays_traced() {
    if !running_as_root() {
        eprintln!("a_tree_that_drops_root_stays_traced: needs root to drop privileges; skipped");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let d = scratch("drop-root");
    let counts = d.join("counts");
    std::fs::copy(fixture("counts"), &counts).unwrap();
    std::fs::set_permissions(&counts, std::fs::Permissions::from_mode(0o755)).unwrap();
    let args = ["1000", "300", "20", "40", "70"];
    let native = run(std::process::Command::new(&counts).args(args));
    native.assert_success();
    let drop = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let py_script = "import os, subprocess, sys\n\
                     os.setgid(65534); os.setuid(65534)\n\
                     sys.exit(subprocess.run(sys.argv[1:]).returncode)\n";
    let py = unprivileged_python();
    let mut runs: Vec<(&str, Vec<String>)> = Vec::new();
    let mut setpriv_cmd = vec![need("setpriv").display().to_string()];
    setpriv_cmd.extend(drop.iter().map(|s| s.to_string()));
    setpriv_cmd.push(counts.display().to_string());
    setpriv_cmd.extend(args.iter().map(|s| s.to_string()));
    runs.push(("setpriv", setpriv_cmd));
    let mut py_cmd = vec![py.display().to_string(), "-c".into(), py_script.into(), counts.display().to_string()];
    py_cmd.extend(args.iter().map(|s| s.to_string()));
    runs.push(("python", py_cmd));
    for (what, cmd) in runs {
        let file = d.join(&format!("{what}.txt"));
        let out = run(std::process::Command::new(world_launcher())
            .args(["-f", "-c", "-o", file.to_str().unwrap(), "--"])
            .args(&cmd)
            .current_dir(d.path()));
        out.assert_success();
        assert_eq!(out.stdout_str(), native.stdout_str(), "{what}");
        assert_eq!(out.stderr_str(), "", "{what}: {}", out.describe());
        let s = read_summary(&file, &out);
        s.expect("getppid", 1000, 0);
        s.expect("getpgrp", 70, 0);
        if what == "setpriv" {
            s.expect("getuid", 300, 0);
        } else {
            // python makes a few getuid calls of its own.
            assert!(s.calls("getuid") >= 300, "{}", s.text);
        }
        s.expect("setuid", if what == "python" { 1 } else { 0 }, 0);
    }
}
