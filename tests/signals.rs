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

/// What the caller hands the program through exec (ignored signals, the blocked mask) reaches it
/// as it does natively and under strace. The launcher used to start programs with posix_spawn,
/// whose child left glibc's internal signals 32 and 33 at SIG_IGN, and std's start-up lost an
/// ignored SIGPIPE.
#[test]
fn the_caller_signal_state_reaches_the_program() {
    let py = need("python3");
    let grep = need("grep");
    let wrapper = r#"
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2, signal.SIGTERM])
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
signal.signal(signal.SIGPIPE, signal.SIG_IGN if sys.argv[1] == 'ign' else signal.SIG_DFL)
os.execv(sys.argv[2], sys.argv[2:])
"#;
    let state = |pipe: &str, runner: &[&str]| {
        let mut args = vec!["-c", wrapper, pipe];
        args.extend(runner);
        args.extend([grep.to_str().unwrap(), "-E", "^Sig(Blk|Ign)", "/proc/self/status"]);
        let mut cmd = std::process::Command::new(&py);
        cmd.args(&args);
        // The harness itself was started by posix_spawn (cargo's), which leaves glibc's internal
        // signals 32 and 33 at SIG_IGN; python starts from a shell's state instead. glibc's
        // sigaction refuses those two numbers, so the raw call.
        // SAFETY: the closure runs in the forked child and makes only raw rt_sigaction calls.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
                let dfl = [0u64; 4]; // handler SIG_DFL, flags, restorer, mask
                for sig in [32, 33] {
                    libc::syscall(libc::SYS_rt_sigaction, sig, dfl.as_ptr(), 0usize, 8usize);
                }
                Ok(())
            })
        };
        let out = run(&mut cmd);
        out.assert_success();
        out.stdout_str()
    };
    let st = selftrace();
    let st = st.to_str().unwrap();
    let strace = need("strace");
    for pipe in ["ign", "dfl"] {
        let want = state(pipe, &[]);
        assert!(want.contains("SigBlk:\t0000000000004800\n"), "{want}");
        let pipe_bit = if pipe == "ign" { "1001200" } else { "1000200" };
        assert!(want.contains(&format!("SigIgn:\t000000000{pipe_bit}\n")), "{want}");
        assert_eq!(state(pipe, &[strace.to_str().unwrap(), "-o", "/dev/null"]), want, "strace");
        for backend in ["sud", "seccomp"] {
            assert_eq!(state(pipe, &[st, "--backend", backend, "-o", "/dev/null", "--"]), want, "{backend}");
        }
    }
}
