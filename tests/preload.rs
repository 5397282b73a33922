//! The preload library alone: `LD_PRELOAD=/abs/libselftrace.so SELFTRACE_OPTIONS='...' prog`
//! does what the launcher does.
mod common;
use common::*;
use std::process::Command;

fn preload_cmd(dir: &TempDir, options: &str, prog: &str, args: &[&str]) -> Command {
    let mut c = Command::new(fixture(prog));
    c.args(args).env("LD_PRELOAD", preload_lib()).env("SELFTRACE_OPTIONS", options).current_dir(dir.path());
    c
}

#[test]
fn preload_counts_exact() {
    let args = ["1000", "300", "20", "40", "70"];
    let native = native(fixture("counts"), &args);
    for extra in ["", "-f ", "--backend sud ", "--backend seccomp "] {
        let dir = TempDir::new("preload");
        let file = dir.join("summary.txt");
        let options = format!("{extra}-c -o {}", file.display());
        let out = run(&mut preload_cmd(&dir, &options, "counts", &args));
        assert_same_behaviour(&native, &out, true);
        let s = read_summary(&file, &out);
        s.expect("getppid", 1000, 0);
        s.expect("getuid", 300, 0);
        s.expect("getpriority", 60, 40);
        s.expect("getpgrp", 70, 0);
    }
}

/// `-c` without `-o`: the table on stderr.
#[test]
fn preload_summary_on_stderr() {
    let dir = TempDir::new("preload");
    let out = run(&mut preload_cmd(&dir, "-c", "counts", &["10", "20", "0", "3", "0"]));
    out.assert_success();
    let s = try_parse_summary(&out.stderr_str())
        .unwrap_or_else(|e| panic!("stderr is not exactly a -c table: {e}\n{}", out.describe()));
    s.expect("getppid", 10, 0);
    s.expect("getuid", 20, 0);
    s.expect("getpriority", 3, 3);
}

#[test]
fn preload_threads_with_f() {
    let args = ["16", "5000", "20000", "20000"];
    for backend in ["sud", "seccomp"] {
        let dir = TempDir::new("preload");
        let file = dir.join("summary.txt");
        let options = format!("-f --backend {backend} -c -o {}", file.display());
        let out = run(&mut preload_cmd(&dir, &options, "threads", &args));
        out.assert_success();
        let s = read_summary(&file, &out);
        s.expect("getppid", 16 * 5000 + 20000 + 20000, 0);
        s.expect("getpgrp", 20000, 0);
        s.expect("getuid", 20000, 0);
    }
}

/// The whole tree, printed once after all exit, even though the exec'd child got an empty
/// environment (no LD_PRELOAD, no SELFTRACE_OPTIONS of its own).
#[test]
fn preload_process_tree_with_f() {
    let marker = fixture("marker");
    let args = [marker.to_str().unwrap(), "7", "1000", "200", "30", "5"];
    let native = native(fixture("procs"), &args);
    let dir = TempDir::new("preload");
    let file = dir.join("summary.txt");
    let options = format!("-f --backend sud -c -o {}", file.display());
    let out = run(&mut preload_cmd(&dir, &options, "procs", &args));
    assert_same_behaviour(&native, &out, true);
    let s = read_summary(&file, &out);
    s.expect("getppid", 1237, 0);
    s.expect("vfork", 1, 0);
}
