//! The shims together, on one program tree, with the trace on: each keeps doing what it does
//! alone, the chain order holds (bind before fake-root: a chown through a bound path is
//! remembered for the host file), and the trace shows the program's view.
//!
//! Runs as an unprivileged user when the suite runs as root (root could chown for real).
mod common;
use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

#[test]
fn every_shim_at_once_on_a_shell_tree() {
    let d = scratch("combined");
    let src = d.join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o777)).unwrap();
    // DEST under a directory that does not exist on the host.
    let dest = d.join("nowhere/data");
    let trace = d.join("trace");
    let script = "echo hi > $D/f; chown 5:6 $D/f; stat -c '%u %g %s' $D/f; \
                  sh -c 'uname -n; date +%F; id -u'; cat $D/f";
    let bind = format!("{}:{}", src.display(), dest.display());
    let opts = [
        "-f",
        "-qq",
        "-o",
        trace.to_str().unwrap(),
        "-e",
        "trace=fchownat,uname",
        "--bind",
        &bind,
        "--fake-root",
        "--uname",
        "nodename=combo",
        "--fake-time",
        "2001-02-03 04:05:06",
    ];
    let mut cmd = unprivileged(d.path(), &opts, need("sh"), &["-c", script]);
    cmd.env("D", &dest).env("TZ", "UTC");
    let out = run(&mut cmd);
    out.assert_success();
    assert_eq!(out.stdout_str(), "5 6 3\ncombo\n2001-02-03\n0\nhi\n", "{}", out.describe());
    assert_eq!(out.stderr_str(), "");
    // Writes landed in SRC, owned by the real user; nothing appeared at DEST.
    let f = std::fs::metadata(src.join("f")).unwrap();
    let real_uid = unprivileged_user().0;
    assert_eq!(f.uid(), real_uid);
    assert!(!d.join("nowhere").exists());
    // The trace: the chown as the program made it (DEST path) and its emulated success, and the
    // uname result as the program saw it: one of each (only `uname -n` calls uname).
    let text = std::fs::read_to_string(&trace).unwrap();
    let chowns: Vec<&str> = text.lines().filter(|l| l.contains("fchownat(")).collect();
    assert_eq!(chowns.len(), 1, "{text}");
    assert!(chowns[0].contains(&format!("\"{}/f\", 5, 6, 0) = 0", dest.display())), "{text}");
    let unames: Vec<&str> = text.lines().filter(|l| l.contains("uname(")).collect();
    assert_eq!(unames.len(), 1, "{text}");
    assert!(unames[0].contains("nodename=\"combo\""), "{text}");
}

/// `--no-trace`: the shim applies (the program sees the fake name), and nothing but the
/// program's own output appears, even for a tree that forks and gets SIGCHLD.
#[test]
fn no_trace_runs_shims_silently() {
    let d = TempDir::new("notrace");
    let out = run(&mut selftrace_cmd(
        d.path(),
        &["-f", "--no-trace", "--uname", "nodename=quiet"],
        need("sh"),
        &["-c", "uname -n; (uname -n) | cat"],
    ));
    out.assert_success();
    assert_eq!(out.stdout_str(), "quiet\nquiet\n");
    assert_eq!(out.stderr_str(), "", "{}", out.describe());
    // The same without the flag traces (so the silence above is the flag's doing).
    let loud = run(&mut selftrace_cmd(d.path(), &["-f", "--uname", "nodename=quiet"], need("sh"), &["-c", "uname -n"]));
    loud.assert_success();
    assert!(
        loud.stderr_str().contains("uname({sysname=\"Linux\", nodename=\"quiet\", ...}) = 0"),
        "{}",
        loud.describe()
    );
}

/// `--no-trace` prints nothing even where `-e trace=none` prints, as strace does: a call strace
/// has no name for (it is always selected) and a death by signal. A preload! library without
/// SELFTRACE_OPTIONS runs the same way.
#[test]
fn no_trace_is_silent_where_trace_none_is_not() {
    let d = TempDir::new("notrace-unknown");
    let py = need("python3");
    let script = "import ctypes; print(ctypes.CDLL(None).syscall(9999), ctypes.get_errno(), flush=True)";
    let strace_line = "syscall_0x270f(";
    let none = run(&mut selftrace_cmd(d.path(), &["-e", "trace=none"], &py, &["-c", script]));
    none.assert_success();
    assert_eq!(none.stdout_str(), "-1 0\n", "{}", none.describe());
    assert_eq!(none.stderr_str().matches(strace_line).count(), 1, "{}", none.describe());
    let st = run(std::process::Command::new(need("strace")).args(["-e", "trace=none"]).arg(&py).args(["-c", script]));
    assert_eq!(st.stderr_str().matches(strace_line).count(), 1, "strace prints it too\n{}", st.describe());
    let silent = run(&mut selftrace_cmd(d.path(), &["--no-trace"], &py, &["-c", script]));
    silent.assert_success();
    assert_eq!(silent.stdout_str(), "-1 0\n");
    assert_eq!(silent.stderr_str(), "", "{}", silent.describe());
    let killed = run(&mut selftrace_cmd(d.path(), &["--no-trace"], need("sh"), &["-c", "kill -9 $$"]));
    assert_eq!(describe_status(killed.status), describe_status(native(need("sh"), &["-c", "kill -9 $$"]).status));
    assert_eq!(killed.stderr_str(), "", "{}", killed.describe());
    let loud = run(&mut selftrace_cmd(d.path(), &[], need("sh"), &["-c", "kill -9 $$"]));
    assert!(loud.stderr_str().contains("+++ killed by SIGKILL +++"), "{}", loud.describe());
}
