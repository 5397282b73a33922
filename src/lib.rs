//! selftrace: in-process system-call interposition for Linux x86-64.
//!
//! The data path, one module per step:
//! trap ([`backend`] arms it, [`trap`] receives the SIGSYS) → decode ([`arch`]) →
//! dispatch ([`dispatch`]: the hook chain — `-c` counting ([`summary`]), tracing ([`trace`]),
//! your Rust hooks, `--hook` C plugins and the built-in shims ([`shims`]) — then the real call
//! or the runtime's own handling in [`process`] and [`signals`]) → write back
//! ([`arch::set_return`]). Hooks reach the program's memory only through [`mem`], which turns a
//! bad pointer into `EFAULT` instead of a crash.
//!
//! Handler-path modules (no allocation, no locks the program may hold, raw system calls only):
//! `arch`, `sys`, `mem`, `trap`, `dispatch`, `process`, `signals`, `threads`, `execenv`,
//! `report`, `backend` (arming new tasks), `vdso` (clock reads), `summary` (its hook and table
//! writer), `trace` (`hook`, `decode`, `out`, `ring`) and every shim's `Hook`. Start-up and CLI
//! modules: `init`, `options`, `state`, `config`, the spec parsers (`trace::filter`, each
//! shim's `parse`), and `trace::render` (the drainer, outside the traced programs). [`preload!`]
//! (module `preload`) makes a `cdylib` a preload library: its constructor registers your hooks
//! and starts the runtime.
//!
//! # Writing your own hook
//!
//! A hook is a type implementing [`dispatch::Hook`]: its `enter` sees each system call
//! ([`dispatch::Call`]: number, arguments, pid/tid) before the kernel does and decides
//! ([`dispatch::Verdict`]) to run it, possibly with rewritten arguments, or to emulate it with a
//! result of its own; its `exit` sees (and may change) the result. Build it into a preload
//! library — a `cdylib` crate depending on `selftrace` — with one [`preload!`] line, then run
//! any dynamically linked program under it:
//!
//! ```text
//! LD_PRELOAD=/abs/path/libhide.so cat /etc/hostname          # your hook only
//! SELFTRACE_LIB=/abs/path/libhide.so selftrace -f -- sh -c …  # plus tracing and the shims
//! ```
//!
//! Every thread, child and exec'd program of the tree runs under the same library. `Cargo.toml`:
//!
//! ```toml
//! [lib]
//! crate-type = ["cdylib"]
//!
//! [dependencies]
//! selftrace = { path = "…/selftrace" }
//! libc = "0.2"
//! ```
//!
//! `src/lib.rs` — a hook that makes one file look absent:
//!
//! ```no_run
//! use selftrace::dispatch::{Call, Hook, Verdict};
//! use selftrace::syscalls::{Sysno, SysnoSet};
//!
//! struct Hide;
//!
//! const HIDDEN: &[u8] = b"/etc/hostname";
//!
//! impl Hook for Hide {
//!     // A hint for the seccomp backend, which then traps only these (and the runtime's own).
//!     fn syscalls(&self) -> Option<SysnoSet> {
//!         Some(SysnoSet::new(&[Sysno::open, Sysno::openat]))
//!     }
//!
//!     // The handler path: no allocation, no locks, no libc calls; program memory only through
//!     // `selftrace::mem`, which turns a bad pointer into EFAULT instead of a crash.
//!     fn enter(&self, call: &mut Call) -> Verdict {
//!         let path = match call.sysno() {
//!             Some(Sysno::open) => call.args[0],
//!             Some(Sysno::openat) => call.args[1],
//!             _ => return Verdict::RunNoExit,
//!         };
//!         let mut buf = [0u8; 64];
//!         match selftrace::mem::read_cstr(path, &mut buf) {
//!             Ok(p) if p == HIDDEN => Verdict::error(libc::ENOENT),
//!             _ => Verdict::RunNoExit,
//!         }
//!     }
//! }
//!
//! static HIDE: Hide = Hide;
//!
//! selftrace::preload!(&HIDE);
//! # fn main() {}
//! ```
//!
//! `examples/count_calls.rs` (a per-syscall table at exit) and `examples/virtual_file.rs` (a
//! file served from memory, with its own descriptor) are complete libraries of this kind. C
//! hooks are plugins loaded with `--hook` instead: see `include/selftrace.h` and
//! [`shims::plugin`].

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod arch;
pub mod backend;
pub mod config;
pub mod dispatch;
pub mod execenv;
pub mod fastpath;
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
pub mod watcher;

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
