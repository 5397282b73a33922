//! The fast path: hot system calls that reach the dispatcher by a function call instead of a
//! trap.
//!
//! A preload library ([`crate::preload!`], libselftrace.so among them) exports libc's plain
//! descriptor wrappers (`read`, `write`, `pread64`, `readv`, `lseek`, `close` ...). The program's
//! calls to them bind to the library ahead of libc, and [`call`] hands them to
//! [`dispatch`](crate::dispatch::dispatch) directly: the hooks see the same [`Call`](crate::dispatch::Call), the real
//! call runs from the same exempt stub, but no SIGSYS is delivered, so the kernel's signal frame
//! (about 3.5 µs of the 4 µs a trapped call costs on a virtual machine) is not paid.
//!
//! It is taken only where the program cannot tell the difference:
//! - on Syscall User Dispatch, in a thread the runtime armed and outside any hook: everything else
//!   (seccomp, whose filter does not see the fast path; a hook's own libc calls, which run with
//!   the selector at ALLOW) goes to libc's own function, exactly as before;
//! - while glibc itself says the process has one thread (`__libc_single_threaded`), the test
//!   glibc 2.36's wrappers make before they enter the kernel without cancellation handling. Then
//!   libc's function is nothing but the `syscall` and errno: the same as what [`call`] does. With
//!   threads, libc's function (with its cancellation point) runs and traps as usual.
//!
//! Calls libc makes internally (stdio's `__write`, say) never pass through the exported symbols:
//! they trap as before. Nothing here is needed for correctness; `--no-fast-path` turns it off.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::backend::sud::SELECTOR_BLOCK;
use crate::dispatch::{self, Frame};
use crate::process::ChildBoot;
use crate::{sys, threads};

/// Where glibc's `__libc_single_threaded` byte is (glibc >= 2.32: nonzero while the process has
/// had no second thread), looked up at start-up; 0 on an older libc, which leaves the fast path
/// off (a hard reference would keep the library from loading there at all).
static SINGLE_THREADED: AtomicUsize = AtomicUsize::new(0);

/// glibc's own answer to "one thread?", false where it cannot be asked.
#[inline]
fn libc_single_threaded() -> bool {
    match SINGLE_THREADED.load(Ordering::Relaxed) {
        0 => false,
        // SAFETY: the address of a byte libc exports, valid for the life of the process; glibc
        // clears it when it creates the first thread (a plain byte store, so a volatile read).
        p => unsafe { core::ptr::read_volatile(p as *const u8) != 0 },
    }
}

/// The libc functions the fast path stands in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Entry {
    /// `read(2)`.
    Read,
    /// `write(2)`.
    Write,
    /// `pread64(2)` (also exported as `pread`).
    Pread64,
    /// `pwrite64(2)` (also exported as `pwrite`).
    Pwrite64,
    /// `readv(2)`.
    Readv,
    /// `writev(2)`.
    Writev,
    /// `lseek(2)` (also exported as `lseek64`).
    Lseek,
    /// `close(2)`.
    Close,
}

const ENTRIES: usize = 8;
const ALL: [Entry; ENTRIES] = [
    Entry::Read,
    Entry::Write,
    Entry::Pread64,
    Entry::Pwrite64,
    Entry::Readv,
    Entry::Writev,
    Entry::Lseek,
    Entry::Close,
];

impl Entry {
    fn name(self) -> &'static core::ffi::CStr {
        [c"read", c"write", c"pread64", c"pwrite64", c"readv", c"writev", c"lseek", c"close"][self as usize]
    }

    fn nr(self) -> usize {
        use libc::*;
        [SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_lseek, SYS_close][self as usize]
            as usize
    }
}

/// libc's own functions (the next definitions after the preload library), found at start-up.
static REAL: [AtomicUsize; ENTRIES] = [const { AtomicUsize::new(0) }; ENTRIES];
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Start-up, before the trap is armed: finds libc's functions. (dlsym may allocate and lock: it
/// must not run on the handler path, nor in a signal handler's first `write`.)
pub fn resolve() {
    for e in ALL {
        // SAFETY: dlsym with RTLD_NEXT and a NUL-terminated name only looks the symbol up.
        let f = unsafe { libc::dlsym(libc::RTLD_NEXT, e.name().as_ptr()) };
        REAL[e as usize].store(f as usize, Ordering::Relaxed);
    }
    // SAFETY: as above.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"__libc_single_threaded".as_ptr()) };
    SINGLE_THREADED.store(p as usize, Ordering::Relaxed);
    // The readability probe rests on the order in which Linux checks rt_sigprocmask's
    // arguments; a kernel (or sandbox) that checks `how` first would call every page readable.
    let here = 0u64;
    let probe_ok = !sys::readable(0) && sys::readable(&here as *const u64 as usize);
    PROBE_OK.store(probe_ok, Ordering::Relaxed);
}

/// [`sys::readable`] tells readable pages from others here (checked at start-up).
static PROBE_OK: AtomicBool = AtomicBool::new(false);

/// Start-up, once the calling thread is armed on SUD: from now on the exported functions may
/// dispatch directly (if libc can say whether the process has threads, and its functions were
/// found).
pub fn enable() {
    let found = REAL.iter().all(|f| f.load(Ordering::Relaxed) != 0);
    ENABLED.store(found && SINGLE_THREADED.load(Ordering::Relaxed) != 0, Ordering::Release);
}

/// A task sharing this process's memory was created behind glibc's back (a raw clone with
/// CLONE_VM): `__libc_single_threaded` no longer tells the truth.
static SHARED_VM: AtomicBool = AtomicBool::new(false);

/// Clone (before it is issued): a task that will run beside this one in the same memory ends
/// [`alone`] for good. (A vfork child suspends its parent until it execs or exits.)
pub fn note_clone(flags: u64) {
    if flags & libc::CLONE_VM as u64 != 0 && flags & libc::CLONE_VFORK as u64 == 0 {
        SHARED_VM.store(true, Ordering::Release);
    }
}

/// Whether the calling task is the only one that runs in this memory, so that no other thread
/// can unmap a range between the runtime's check of it and its use, and whether that check
/// works here (see `sys::read_mem`).
#[inline]
pub fn alone() -> bool {
    PROBE_OK.load(Ordering::Relaxed) && libc_single_threaded() && !SHARED_VM.load(Ordering::Acquire)
}

/// Whether a call made now, from this thread, may skip libc and the trap.
#[inline]
fn usable() -> bool {
    if !ENABLED.load(Ordering::Acquire) {
        return false;
    }
    // glibc's own test (a raw CLONE_VM sibling does not change what libc's function does).
    if !libc_single_threaded() {
        return false;
    }
    match threads::current() {
        Some(s) => s.selector.load(Ordering::Relaxed) == SELECTOR_BLOCK && !s.in_hook.load(Ordering::Relaxed),
        None => false,
    }
}

/// One call through the fast path, or through libc's own function when the fast path may not be
/// taken (`real` calls it). Returns what libc's function returns, errno set as it sets it.
#[inline]
pub fn call(e: Entry, args: [usize; 6], real: impl FnOnce(usize) -> isize) -> isize {
    let ret = if usable() {
        dispatch::dispatch(e.nr(), args, &mut Direct)
    } else {
        match REAL[e as usize].load(Ordering::Relaxed) {
            0 if crate::backend::active().is_some()
                && threads::current().is_some_and(|s| !s.in_hook.load(Ordering::Relaxed)) =>
            {
                // dlsym found no libc function (never with glibc): the program's call is still
                // seen, through the dispatcher.
                dispatch::dispatch(e.nr(), args, &mut Direct)
            }
            // Before start-up resolved libc's function (nothing is armed yet), or a hook's own
            // call without it: the raw call, which is what single-threaded libc makes.
            0 => crate::arch::syscall6(e.nr(), args),
            f => return real(f),
        }
    };
    if sys::is_error(ret) {
        // SAFETY: __errno_location returns the calling thread's errno; libc's wrapper sets it so.
        unsafe { *libc::__errno_location() = -ret as i32 };
        return -1;
    }
    ret
}

/// A call that arrived by function call: the program's state is its own registers, live. Only
/// descriptor calls come this way; the process and signal calls that need a frame always trap.
struct Direct;

unsafe fn no_child(_: usize) -> ! {
    sys::exit_group(127)
}

impl Frame for Direct {
    unsafe fn child_record(&mut self, _top: usize, _clone_flags: u64, _boot: ChildBoot) -> Option<usize> {
        // A hook turned a descriptor call into a clone: there is no trap frame to copy.
        None
    }

    fn resume_fn(&self) -> unsafe fn(usize) -> ! {
        no_child
    }

    fn sigreturn(&mut self) -> ! {
        // A hook turned the call into rt_sigreturn outside a signal handler: the kernel restores
        // whatever lies on the stack, as it would for the program's own misuse.
        loop {
            crate::arch::syscall6(libc::SYS_rt_sigreturn as usize, [0; 6]);
        }
    }

    fn sigreturn_value(&self) -> isize {
        0
    }

    fn stack_pointer(&self) -> usize {
        crate::arch::stack_pointer_now()
    }

    fn signal_mask(&self) -> u64 {
        let mut old = 0;
        let _ = sys::sigprocmask(libc::SIG_BLOCK, None, Some(&mut old));
        old
    }

    fn set_signal_mask(&mut self, mask: u64) {
        let _ = sys::sigprocmask(libc::SIG_SETMASK, Some(&mask), None);
    }

    fn set_alt_stack(&mut self, _ss: libc::stack_t) {
        // No signal frame will restore the old one: the real sigaltstack already stands.
    }
}

/// Defines the exported functions in the crate a [`crate::preload!`] is invoked in (not in the
/// runtime crate itself, which the launcher and test programs link: their own `read` must stay
/// libc's).
#[doc(hidden)]
#[macro_export]
macro_rules! __fast_path_exports {
    () => {
        #[cfg(not(test))]
        const _: () = {
            use ::core::ffi::c_int;
            use $crate::fastpath::Entry;

            $crate::__fast_path_fn!(read, Read, isize, fd, buf, n);
            $crate::__fast_path_fn!(write, Write, isize, fd, buf, n);
            $crate::__fast_path_fn!(pread64, Pread64, isize, fd, buf, n, off);
            $crate::__fast_path_fn!(pwrite64, Pwrite64, isize, fd, buf, n, off);
            $crate::__fast_path_fn!(readv, Readv, isize, fd, iov, cnt);
            $crate::__fast_path_fn!(writev, Writev, isize, fd, iov, cnt);
            $crate::__fast_path_fn!(lseek, Lseek, i64, fd, off, whence);
            $crate::__fast_path_fn!(close, Close, c_int, fd);

            /// `pread(2)`: the same function as `pread64` on x86-64.
            #[unsafe(no_mangle)]
            pub extern "C" fn pread(fd: usize, buf: usize, n: usize, off: usize) -> isize {
                pread64(fd, buf, n, off)
            }

            /// `pwrite(2)`: the same function as `pwrite64` on x86-64.
            #[unsafe(no_mangle)]
            pub extern "C" fn pwrite(fd: usize, buf: usize, n: usize, off: usize) -> isize {
                pwrite64(fd, buf, n, off)
            }

            /// `lseek64`: the same function as `lseek` on x86-64.
            #[unsafe(no_mangle)]
            pub extern "C" fn lseek64(fd: usize, off: usize, whence: usize) -> i64 {
                lseek(fd, off, whence)
            }

            /// `__read_chk`, what `_FORTIFY_SOURCE` makes of `read` with a buffer of known size.
            #[unsafe(no_mangle)]
            pub extern "C" fn __read_chk(fd: usize, buf: usize, n: usize, buflen: usize) -> isize {
                if n > buflen {
                    // libc's own check reports the overflow and aborts, as without the runtime.
                    extern "C" {
                        fn __chk_fail() -> !;
                    }
                    // SAFETY: glibc's fortify failure routine takes no arguments.
                    unsafe { __chk_fail() }
                }
                read(fd, buf, n)
            }
        };
    };
}

/// One exported function of [`__fast_path_exports`]: `$name(args...) -> $ret` through
/// [`call`], with libc's `$name` behind it.
///
/// Every argument is taken as the whole register the caller loaded, `int`s included: libc hands
/// the registers to the kernel as they are (upper halves and all), and a trace shows them
/// (`close(0xffffffff)` under -e raw=).
#[doc(hidden)]
#[macro_export]
macro_rules! __fast_path_fn {
    ($name:ident, $entry:ident, $ret:ty, $($arg:ident),+) => {
        #[doc = concat!("`", stringify!($name), "`, through the runtime's fast path.")]
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: usize),+) -> $ret {
            let mut args = [0usize; 6];
            for (slot, v) in args.iter_mut().zip([$($arg),+]) {
                *slot = v;
            }
            $crate::fastpath::call(Entry::$entry, args, |f| {
                // SAFETY: `f` is libc's function of this name, called with the program's own
                // registers; every argument of these functions is one integer register.
                let f: extern "C" fn($($crate::__fast_path_fn!(@usize $arg)),+) -> $ret =
                    unsafe { ::core::mem::transmute(f) };
                f($($arg),+) as isize
            }) as $ret
        }
    };
    (@usize $arg:ident) => { usize };
}
