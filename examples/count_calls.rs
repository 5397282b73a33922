//! count_calls: a preload library that counts every system call of a process, per call and
//! with its errors, and prints the table to stderr when the process exits.
//!
//!     cargo build --example count_calls
//!     LD_PRELOAD=$PWD/target/debug/examples/libcount_calls.so ls
//!     SELFTRACE_LIB=$PWD/target/debug/examples/libcount_calls.so selftrace -f -- sh -c ls
//!
//! ```text
//! count_calls: pid 4242
//!   calls  errors syscall
//! ------- ------- ----------------
//!       7       0 mmap
//!       3       1 openat
//! ...
//! ------- ------- ----------------
//!      41       1 total
//! ```
//!
//! Each process of the tree prints its own table as it calls exit_group (a fork child starts
//! from zero), on stderr — on a copy of it kept when the program closes its own first, as
//! coreutils do on their way out; rows by descending count, then by name. A process killed by
//! a signal prints nothing.
//!
//! Everything in the hook runs inside the SIGSYS handler: counters are atomics in static
//! memory, the table is formatted into a stack buffer and written with the runtime's raw write.

use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};

use selftrace::dispatch::{Call, Hook, Verdict};
use selftrace::syscalls::Sysno;

/// Highest system call number counted, plus one (x86-64 numbers end well below).
const MAX_NR: usize = 512;

struct CountCalls {
    calls: [AtomicU64; MAX_NR],
    errors: [AtomicU64; MAX_NR],
    /// The process the counts belong to: a fork child sees another pid and starts afresh.
    owner: AtomicI32,
}

static COUNTER: CountCalls = CountCalls {
    calls: [const { AtomicU64::new(0) }; MAX_NR],
    errors: [const { AtomicU64::new(0) }; MAX_NR],
    owner: AtomicI32::new(0),
};

selftrace::preload!(&COUNTER);

impl Hook for CountCalls {
    fn enter(&self, call: &mut Call) -> Verdict {
        if call.in_vfork_child() {
            // posix_spawn's child shares this process's memory, counters included, until it
            // execs (and its new image counts for itself): neither reset nor add to them.
            return Verdict::RunNoExit;
        }
        keep_stderr(call);
        let pid = call.pid();
        if self.owner.swap(pid, Ordering::Relaxed) != pid {
            // First call of this process (or of a fork child, which has the parent's counts).
            for i in 0..MAX_NR {
                self.calls[i].store(0, Ordering::Relaxed);
                self.errors[i].store(0, Ordering::Relaxed);
            }
        }
        Verdict::Run
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        let nr = call.nr;
        if nr >= MAX_NR {
            return;
        }
        self.calls[nr].fetch_add(1, Ordering::Relaxed);
        if (-4095..0).contains(ret) {
            self.errors[nr].fetch_add(1, Ordering::Relaxed);
        }
        // exit_group's exit callback runs just before the process ends.
        if nr == libc::SYS_exit_group as usize {
            self.print(call.pid());
        }
    }
}

/// Where the table goes: a copy of stderr made when the program closes its own (coreutils close
/// stderr on their way out, before exit_group), or -1: fd 2 as it is at exit. The copy is
/// close-on-exec, so an exec'd image starts without it, as its memory starts with -1.
static SAVED_STDERR: AtomicI32 = AtomicI32::new(-1);

/// Before a close(2) or a close_range that takes fd 2, keeps a copy of stderr for the table.
fn keep_stderr(call: &Call) {
    let closes_stderr = match call.sysno() {
        Some(Sysno::close) => call.arg_i32(0) == 2,
        Some(Sysno::close_range) => call.args[0] <= 2 && call.args[1] >= 2,
        _ => false,
    };
    if closes_stderr && SAVED_STDERR.load(Ordering::Relaxed) < 0 {
        const F_DUPFD_CLOEXEC: usize = 1030;
        // A high number, out of the way of the descriptors the program counts on.
        let fd = selftrace::arch::syscall6(libc::SYS_fcntl as usize, [2, F_DUPFD_CLOEXEC, 500, 0, 0, 0]);
        if fd >= 0 {
            SAVED_STDERR.store(fd as i32, Ordering::Relaxed);
        }
    }
}

/// A fixed buffer on the stack that `write!` formats into (core::fmt does not allocate).
struct StackBuf {
    buf: [u8; 4096],
    len: usize,
}

impl StackBuf {
    /// Writes what is buffered to stderr (or the copy kept of it) and empties the buffer.
    fn flush(&mut self) {
        let fd = match SAVED_STDERR.load(Ordering::Relaxed) {
            -1 => 2,
            fd => fd,
        };
        let _ = selftrace::sys::write_all(fd, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl core::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let b = s.as_bytes();
        if self.len + b.len() > self.buf.len() {
            self.flush();
        }
        let n = b.len().min(self.buf.len());
        self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
        Ok(())
    }
}

impl CountCalls {
    fn print(&self, pid: i32) {
        use core::fmt::Write;
        let mut out = StackBuf { buf: [0; 4096], len: 0 };
        let mut calls = [0u64; MAX_NR];
        for (i, c) in calls.iter_mut().enumerate() {
            *c = self.calls[i].load(Ordering::Relaxed);
        }
        let (mut total, mut total_errors) = (0, 0);
        let rule = "------- ------- ----------------\n";
        let _ = write!(out, "count_calls: pid {pid}\n  calls  errors syscall\n{rule}");
        // Selection of the largest remaining row: no allocation, and MAX_NR is small.
        loop {
            let mut best: Option<usize> = None;
            for nr in 0..MAX_NR {
                if calls[nr] == 0 {
                    continue;
                }
                best = match best {
                    Some(b) if calls[b] > calls[nr] || (calls[b] == calls[nr] && name(b) <= name(nr)) => Some(b),
                    _ => Some(nr),
                };
            }
            let Some(nr) = best else { break };
            let errors = self.errors[nr].load(Ordering::Relaxed);
            let _ = writeln!(out, "{:>7} {:>7} {}", calls[nr], errors, Name(nr));
            total += calls[nr];
            total_errors += errors;
            calls[nr] = 0;
        }
        let _ = writeln!(out, "{rule}{total:>7} {total_errors:>7} total");
        out.flush();
    }
}

/// A call's name for sorting ("" for numbers the syscalls crate does not name).
fn name(nr: usize) -> &'static str {
    Sysno::new(nr).map_or("", |s| s.name())
}

/// A call's name for printing: `syscall_N` for unnamed numbers, as strace prints them.
struct Name(usize);

impl core::fmt::Display for Name {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match Sysno::new(self.0) {
            Some(s) => f.write_str(s.name()),
            None => write!(f, "syscall_{:#x}", self.0),
        }
    }
}
