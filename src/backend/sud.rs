//! Syscall User Dispatch: `prctl(PR_SET_SYSCALL_USER_DISPATCH, ON, start, len, &selector)`.
//! Every system call made outside the exempt region while the thread's selector byte is BLOCK
//! is skipped by the kernel and delivered as SIGSYS (si_code SYS_USER_DISPATCH).
//!
//! Not inherited by threads, fork/vfork children or across execve: `process` re-arms each new
//! task before it runs program code.

use core::sync::atomic::{AtomicU8, Ordering};

use crate::sys;

/// Not in the libc crate for linux-gnu.
pub const PR_SET_SYSCALL_USER_DISPATCH: libc::c_int = 59;
/// `PR_SET_SYSCALL_USER_DISPATCH` mode: dispatch off for the calling thread.
pub const PR_SYS_DISPATCH_OFF: usize = 0;
/// `PR_SET_SYSCALL_USER_DISPATCH` mode: dispatch on, with an exempt region and a selector byte.
pub const PR_SYS_DISPATCH_ON: usize = 1;
/// Selector value: the thread's system calls go straight to the kernel. Set while a hook runs
/// (`dispatch::HookGuard`), so the hook's own libc calls do not trap.
pub const SELECTOR_ALLOW: u8 = 0;
/// Selector value: every system call outside the exempt region traps as SIGSYS. The program
/// runs with it, and so does the handler, whose own calls come from the exempt stub.
pub const SELECTOR_BLOCK: u8 = 1;
/// si_code of a SUD SIGSYS.
pub const SYS_USER_DISPATCH: libc::c_int = 2;

/// Set to anything, makes [`available`] answer no: lets tests exercise the fallback to seccomp
/// on a kernel that has SUD.
pub const ENV_PRETEND_NO_SUD: &str = "SELFTRACE_PRETEND_NO_SUD";

/// Whether the kernel offers SUD (it answers EINVAL for an unknown prctl option). Start-up only.
pub fn available() -> bool {
    if std::env::var_os(ENV_PRETEND_NO_SUD).is_some() {
        return false;
    }
    sys::prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0).is_ok()
}

/// Arms the calling thread with `selector` (set to BLOCK first: any other value than
/// ALLOW/BLOCK kills the task).
pub fn arm(selector: &AtomicU8) -> Result<(), i32> {
    selector.store(SELECTOR_BLOCK, Ordering::SeqCst);
    let (start, len) = crate::arch::exempt_region();
    sys::prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, start, len, selector.as_ptr() as usize).map(|_| ())
}

/// Disarms the calling thread.
pub fn disarm() -> Result<(), i32> {
    sys::prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0).map(|_| ())
}
