//! selftrace: in-process system-call interposition for Linux x86-64.
//!
//! The data path, one module per step:
//! trap ([`backend`] arms it, [`trap`] receives the SIGSYS) → decode ([`arch`]) →
//! dispatch ([`dispatch`]: hooks, then the real call or the runtime's own handling in
//! [`process`] and [`signals`]) → write back ([`arch::set_return`]).
//!
//! Handler-path modules: `arch`, `sys`, `trap`, `dispatch`, `process`, `signals`, `threads`,
//! `execenv`, `report`, `summary` (its hook and table writer). Start-up and CLI modules: `init`,
//! `options`, `state`, `config`, `vdso`.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod arch;
pub mod backend;
pub mod config;
pub mod dispatch;
pub mod execenv;
pub mod init;
pub mod mem;
pub mod options;
pub mod preload;
pub mod process;
pub mod report;
pub mod shims;
pub mod signals;
pub mod state;
pub mod summary;
pub mod sys;
pub mod threads;
pub mod trace;
pub mod trap;
pub mod vdso;

/// The system-call names and sets hooks use ([`syscalls::Sysno`], [`syscalls::SysnoSet`]),
/// re-exported so a hook crate needs no dependency of its own.
pub use syscalls;

/// An I/O error's reason as a user reads it: "No such file or directory", without std's
/// "(os error 2)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

/// The symbolic name of an errno value (no allocation, no locale).
pub fn errno_name(e: i32) -> &'static str {
    match e {
        libc::EPERM => "EPERM (Operation not permitted)",
        libc::ENOENT => "ENOENT (No such file or directory)",
        libc::EINTR => "EINTR (Interrupted system call)",
        libc::EIO => "EIO (Input/output error)",
        libc::E2BIG => "E2BIG (Argument list too long)",
        libc::EBADF => "EBADF (Bad file descriptor)",
        libc::EAGAIN => "EAGAIN (Resource temporarily unavailable)",
        libc::ENOMEM => "ENOMEM (Cannot allocate memory)",
        libc::EACCES => "EACCES (Permission denied)",
        libc::EFAULT => "EFAULT (Bad address)",
        libc::EBUSY => "EBUSY (Device or resource busy)",
        libc::EINVAL => "EINVAL (Invalid argument)",
        libc::ENOSYS => "ENOSYS (Function not implemented)",
        _ => "unknown error",
    }
}
