//! The examples, run: each must do what its documentation says.
mod common;
use common::*;
use std::process::Command;

/// examples/trace_self: a program that arms the runtime on itself counts its own calls, on every
/// thread, exactly, and prints the table when it exits.
#[test]
fn trace_self_counts_its_own_calls() {
    // Examples are built by `cargo test` next to the test binaries' target directory.
    let exe = selftrace().parent().unwrap().join("examples/trace_self");
    assert!(exe.exists(), "{} was not built", exe.display());
    let out = run(Command::new(&exe).arg("700").env("SELFTRACE_LIB", preload_lib()));
    out.assert_success();
    assert_eq!(out.stdout_str(), "made 700 getppid on a thread and 700 getuid on main\n");
    let s = parse_summary(&out.stderr_str());
    s.expect("getppid", 700, 0);
    s.expect("getuid", 700, 0);
}
