//! The program's own signal handling under the runtime (signals.c): its own SIGSYS handler and
//! what sigaction reports for SIGSYS, every signal blocked while it keeps making syscalls, an
//! SA_ONSTACK handler with a full sa_mask making syscalls on a sigaltstack, SIGALRM
//! interrupting a blocking read (EINTR without SA_RESTART, restarted with it). The fixture prints
//! one line per check; stdout and exit status must be byte-identical to the native run.
mod common;
use common::*;

fn signals_identical(opts: &[&str]) {
    let native = native(fixture("signals"), &[]);
    assert!(
        native.status.success() && native.stdout_str().ends_with("PASSED: 0 failed\n"),
        "the fixture fails natively\n{}",
        native.describe()
    );
    let t = trace(opts, fixture("signals"), &[]);
    assert_same_behaviour(&native, &t.out, true);
    // The fixture's own marker: one getppid in the SIGUSR1 handler, one before it, 101 with
    // every signal blocked.
    t.summary.expect("getppid", 103, 0);
}

#[test]
fn signals_identical_sud() {
    signals_identical(&["--backend", "sud"]);
}

#[test]
fn signals_identical_seccomp() {
    signals_identical(&["--backend", "seccomp"]);
}

#[test]
fn signals_identical_with_f_sud() {
    signals_identical(&["-f", "--backend", "sud"]);
}

#[test]
fn signals_identical_with_f_seccomp() {
    signals_identical(&["-f", "--backend", "seccomp"]);
}

/// sigaltstack changes made by the program stick: the handler's own rt_sigreturn restores the
/// `uc_stack` saved at the trap, so the runtime must carry the new one in the frame.
#[test]
fn sigaltstack_changes_stick() {
    let native = native(fixture("altstack"), &[]);
    assert_eq!(native.stdout_str(), "A B main\nflags=2\n", "{}", native.describe());
    for backend in ["sud", "seccomp"] {
        let t = trace(&["--backend", backend], fixture("altstack"), &[]);
        assert_same_behaviour(&native, &t.out, true);
        t.summary.expect("sigaltstack", 4, 0);
        t.summary.expect("rt_sigreturn", 3, 0);
    }
}

/// Registers and errno: every register but RAX as the kernel leaves it, errno as the failing call
/// set it (regs.c checks and prints; output must equal the native run's).
#[test]
fn registers_and_errno_as_native() {
    let native = native(fixture("regs"), &[]);
    assert!(native.stdout_str().ends_with("PASSED: 0 failed\n"), "{}", native.describe());
    for backend in ["sud", "seccomp"] {
        let t = trace(&["--backend", backend], fixture("regs"), &[]);
        assert_same_behaviour(&native, &t.out, true);
        // probe + getppid in main + the check's getppid.
        t.summary.expect("getppid", 3, 0);
        t.summary.expect("getpriority", 1, 1);
    }
}
