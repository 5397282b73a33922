//! nosync: a shim in a crate of its own, the way a user builds one on selftrace — a `cdylib`
//! that depends on `selftrace`, one hook, one `preload!` line.
//!
//! fsync, fdatasync, sync, syncfs and sync_file_range return 0 without reaching the kernel, and
//! msync(MS_SYNC) runs as msync(MS_ASYNC), as libeatmydata does for test suites and throw-away builds that do not
//! need their data on disk. A bad descriptor still fails with EBADF; everything else runs
//! untouched.
//!
//!     cargo build -p selftrace-nosync
//!     LD_PRELOAD=$PWD/target/debug/libnosync.so dpkg -i ...
//!     SELFTRACE_LIB=$PWD/target/debug/libnosync.so selftrace -f -e trace=%desc -- prog

use selftrace::dispatch::{Call, Hook, Verdict};
use selftrace::syscalls::{Sysno, SysnoSet};

struct NoSync;

/// The calls that flush (msync only with MS_SYNC).
const CALLS: &[Sysno] =
    &[Sysno::fsync, Sysno::fdatasync, Sysno::sync, Sysno::syncfs, Sysno::sync_file_range, Sysno::msync];

impl Hook for NoSync {
    // The seccomp backend traps only these.
    fn syscalls(&self) -> Option<SysnoSet> {
        Some(SysnoSet::new(CALLS))
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        match call.sysno() {
            // msync(MS_SYNC) runs as msync(MS_ASYNC), a no-op since Linux 2.6.19 that still
            // checks the range and flags as the real call would (ENOMEM for an unmapped one).
            Some(Sysno::msync) => {
                if call.args[2] & MS_SYNC != 0 {
                    call.args[2] = (call.args[2] & !MS_SYNC) | MS_ASYNC;
                }
                Verdict::RunNoExit
            }
            Some(Sysno::sync) => Verdict::Emulate(0),
            // A descriptor that does not exist still fails with EBADF, as natively (and as
            // libeatmydata checks): only the flush is skipped.
            Some(s) if CALLS.contains(&s) => match fd_error(call.arg_i32(0)) {
                Some(e) => Verdict::Emulate(e),
                None => Verdict::Emulate(0),
            },
            _ => Verdict::RunNoExit,
        }
    }
}

/// `-EBADF` when `fd` is not an open descriptor: fcntl(F_GETFD) through the runtime's raw call
/// (a hook must not use libc wrappers, which would make the call outside the exempt stub).
fn fd_error(fd: i32) -> Option<isize> {
    const SYS_FCNTL: usize = 72;
    const F_GETFD: usize = 1;
    let r = selftrace::arch::syscall6(SYS_FCNTL, [fd as usize, F_GETFD, 0, 0, 0, 0]);
    (r < 0).then_some(r)
}

// linux/mman.h, without a libc dependency of our own.
const MS_ASYNC: usize = 1;
const MS_SYNC: usize = 4;

static NOSYNC: NoSync = NoSync;
selftrace::preload!(&NOSYNC);
