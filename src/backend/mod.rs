//! Trap backends: how a system call of the program becomes a SIGSYS. The handler and everything
//! after it do not care which one delivered the trap.

pub mod seccomp;
pub mod sud;

use core::sync::atomic::{AtomicU8, Ordering};

/// Which mechanism traps the program's system calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Syscall User Dispatch (Linux >= 5.11): a per-thread selector byte arms every call.
    Sud,
    /// seccomp SECCOMP_RET_TRAP: a kernel filter by syscall number; survives exec, cannot be removed.
    Seccomp,
}

impl Backend {
    /// The name `--backend` takes and messages print (`sud`, `seccomp`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sud => "sud",
            Backend::Seccomp => "seccomp",
        }
    }
}

static ACTIVE: AtomicU8 = AtomicU8::new(0);

/// The backend armed in this process (None before start-up finished).
pub fn active() -> Option<Backend> {
    match ACTIVE.load(Ordering::Relaxed) {
        1 => Some(Backend::Sud),
        2 => Some(Backend::Seccomp),
        _ => None,
    }
}

pub(crate) fn set_active(b: Backend) {
    ACTIVE.store(if b == Backend::Sud { 1 } else { 2 }, Ordering::Relaxed);
}

/// Arms the calling thread of a new task (thread or child) before it runs any program code.
/// Seccomp filters are inherited by the kernel; SUD is not.
pub fn arm_new_task(slot: Option<&crate::threads::Slot>) -> Result<(), i32> {
    match active() {
        Some(Backend::Sud) => match slot {
            Some(s) => sud::arm(&s.selector),
            None => Err(libc::ENOMEM),
        },
        _ => Ok(()),
    }
}
