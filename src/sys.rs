//! Typed wrappers over the exempt raw system call: the only way the handler path enters the
//! kernel. None of them allocates, takes a lock or touches `errno`; failures come back as
//! `Err(errno)`.
//!
//! Each wrapper states what memory the kernel touches; callers uphold it.

use crate::arch::syscall6;
use core::sync::atomic::Ordering;
use libc::c_int;

/// A raw kernel result: `Ok(value)` or `Err(errno)`.
pub type SysResult = Result<usize, i32>;

/// Converts the kernel's `-errno` convention.
#[inline]
pub fn check(ret: isize) -> SysResult {
    if (-4095..0).contains(&ret) {
        Err(-ret as i32)
    } else {
        Ok(ret as usize)
    }
}

/// `true` when a raw result is an error (`-4095..=-1`).
#[inline]
pub fn is_error(ret: isize) -> bool {
    (-4095..0).contains(&ret)
}

#[inline]
fn sc(nr: libc::c_long, a: [usize; 6]) -> isize {
    syscall6(nr as usize, a)
}

/// getpid(2): the process (thread group) id. Never fails.
pub fn getpid() -> i32 {
    sc(libc::SYS_getpid, [0; 6]) as i32
}

/// gettid(2): the calling thread's kernel id. Never fails.
pub fn gettid() -> i32 {
    sc(libc::SYS_gettid, [0; 6]) as i32
}

/// write(2) of `buf` to `fd`, once: the kernel reads `buf` only. May write less than all (see
/// [`write_all`]).
pub fn write(fd: c_int, buf: &[u8]) -> SysResult {
    check(sc(libc::SYS_write, [fd as usize, buf.as_ptr() as usize, buf.len(), 0, 0, 0]))
}

/// Writes all of `buf`, retrying on short writes and EINTR.
pub fn write_all(fd: c_int, mut buf: &[u8]) -> Result<(), i32> {
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return Err(libc::EIO),
            Ok(n) => buf = &buf[n..],
            Err(libc::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Room for a `/proc/self/...` path naming a descriptor: a prefix of up to 21 bytes, the
/// largest descriptor number (10 digits) and the NUL.
pub const FD_PATH_BYTES: usize = 32;

/// `prefix` (`/proc/self/fd/`, `/proc/self/fdinfo/`) followed by `fd` in decimal, NUL-terminated,
/// built in `buf` without formatting machinery (handler path). Returns the path with its NUL. A
/// prefix longer than 21 bytes is cut there.
pub fn fd_path<'a>(buf: &'a mut [u8; FD_PATH_BYTES], prefix: &[u8], fd: u32) -> &'a [u8] {
    let mut len = prefix.len().min(FD_PATH_BYTES - 11);
    buf[..len].copy_from_slice(&prefix[..len]);
    let mut digits = [0u8; 10];
    let (mut n, mut v) = (0, fd);
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in digits[..n].iter().rev() {
        buf[len] = d;
        len += 1;
    }
    buf[len] = 0;
    &buf[..=len]
}

/// readlinkat(AT_FDCWD, path, buf): the link's length (not NUL-terminated); `path` must be
/// NUL-terminated.
pub fn readlink(path: &[u8], buf: &mut [u8]) -> SysResult {
    debug_assert_eq!(path.last(), Some(&0));
    check(sc(
        libc::SYS_readlinkat,
        [libc::AT_FDCWD as usize, path.as_ptr() as usize, buf.as_mut_ptr() as usize, buf.len(), 0, 0],
    ))
}

/// openat(AT_FDCWD, path, flags, mode); `path` must be NUL-terminated.
pub fn open(path: &[u8], flags: c_int, mode: u32) -> SysResult {
    debug_assert_eq!(path.last(), Some(&0));
    check(sc(libc::SYS_openat, [libc::AT_FDCWD as usize, path.as_ptr() as usize, flags as usize, mode as usize, 0, 0]))
}

/// close(2).
pub fn close(fd: c_int) -> SysResult {
    check(sc(libc::SYS_close, [fd as usize, 0, 0, 0, 0, 0]))
}

/// The TracerPid of the calling thread (`/proc/thread-self/status`; 0: not ptraced, or unknown).
/// Handler path: raw open, read and close into a stack buffer (the line comes early in the file).
pub fn tracer_pid() -> i32 {
    let Ok(fd) = open(b"/proc/thread-self/status\0", libc::O_RDONLY | libc::O_CLOEXEC, 0) else { return 0 };
    let mut buf = [0u8; 1024];
    let n = check(sc(libc::SYS_read, [fd, buf.as_mut_ptr() as usize, buf.len(), 0, 0, 0])).unwrap_or(0);
    let _ = close(fd as c_int);
    let key = b"\nTracerPid:\t";
    let Some(at) = buf[..n].windows(key.len()).position(|w| w == key) else { return 0 };
    buf[at + key.len()..n].iter().take_while(|b| b.is_ascii_digit()).fold(0i32, |v, &d| v * 10 + (d - b'0') as i32)
}

/// fcntl(F_DUPFD_CLOEXEC): a close-on-exec duplicate of `fd` numbered `min` or above.
pub fn dup_cloexec_at_least(fd: c_int, min: c_int) -> Result<c_int, c_int> {
    check(sc(libc::SYS_fcntl, [fd as usize, libc::F_DUPFD_CLOEXEC as usize, min as usize, 0, 0, 0])).map(|v| v as c_int)
}

/// getrlimit(RLIMIT_NOFILE) into `lim` (soft, hard).
pub fn getrlimit_nofile(lim: &mut [u64; 2]) -> Result<(), c_int> {
    check(sc(libc::SYS_getrlimit, [libc::RLIMIT_NOFILE as usize, lim.as_mut_ptr() as usize, 0, 0, 0, 0])).map(|_| ())
}

/// fcntl(F_SETFD): sets or clears `fd`'s close-on-exec flag.
pub fn set_cloexec(fd: c_int, on: bool) -> SysResult {
    check(sc(
        libc::SYS_fcntl,
        [fd as usize, libc::F_SETFD as usize, if on { libc::FD_CLOEXEC as usize } else { 0 }, 0, 0, 0],
    ))
}

/// ftruncate(2): sets the length of the file open at `fd` to `len` bytes.
pub fn ftruncate(fd: c_int, len: usize) -> SysResult {
    check(sc(libc::SYS_ftruncate, [fd as usize, len, 0, 0, 0, 0]))
}

/// unlinkat(AT_FDCWD, path, 0); `path` must be NUL-terminated.
pub fn unlink(path: &[u8]) -> SysResult {
    debug_assert_eq!(path.last(), Some(&0));
    check(sc(libc::SYS_unlinkat, [libc::AT_FDCWD as usize, path.as_ptr() as usize, 0, 0, 0, 0]))
}

/// Anonymous or file mapping; returns the address.
pub fn mmap(len: usize, prot: c_int, flags: c_int, fd: c_int) -> SysResult {
    check(sc(libc::SYS_mmap, [0, len, prot as usize, flags as usize, fd as usize, 0]))
}

/// A fresh private read-write anonymous mapping (zeroed).
pub fn mmap_anon(len: usize) -> SysResult {
    mmap(len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1)
}

/// munmap(2) of `len` bytes at `addr`. The caller guarantees nothing still uses the range.
pub fn munmap(addr: usize, len: usize) -> SysResult {
    check(sc(libc::SYS_munmap, [addr, len, 0, 0, 0, 0]))
}

/// prctl(2) with raw arguments. For `PR_SET_SYSCALL_USER_DISPATCH`, `a5` is the address of a
/// selector byte the kernel keeps reading for the life of the thread.
pub fn prctl(option: c_int, a2: usize, a3: usize, a4: usize, a5: usize) -> SysResult {
    check(sc(libc::SYS_prctl, [option as usize, a2, a3, a4, a5, 0]))
}

/// Kernel sigset for x86-64: 64 bits, signal `n` at bit `n - 1`.
pub type KSigset = u64;

/// The bit of signal `sig` in a kernel sigset.
#[inline]
pub const fn sigbit(sig: c_int) -> KSigset {
    1u64 << (sig - 1)
}

/// The (new, old) pointer pair of the signal calls; absent is NULL.
fn in_out<T>(new: Option<&T>, old: Option<&mut T>) -> (usize, usize) {
    (new.map_or(0, |s| s as *const T as usize), old.map_or(0, |o| o as *mut T as usize))
}

/// rt_sigprocmask with 8-byte kernel sets.
pub fn sigprocmask(how: c_int, set: Option<&KSigset>, old: Option<&mut KSigset>) -> SysResult {
    let (set, old) = in_out(set, old);
    check(sc(libc::SYS_rt_sigprocmask, [how as usize, set, old, 8, 0, 0]))
}

/// The kernel's `struct sigaction` on x86-64 (not glibc's: no 128-byte sigset, restorer before
/// the mask).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct KSigaction {
    /// Handler address, or `SIG_DFL` (0) / `SIG_IGN` (1).
    pub handler: usize,
    /// `SA_*` flags. On x86-64 a handler needs `SA_RESTORER` and `restorer`: the kernel has no
    /// return path of its own.
    pub flags: u64,
    /// The code the handler returns to: it must call rt_sigreturn.
    pub restorer: usize,
    /// Signals blocked while the handler runs.
    pub mask: KSigset,
}

/// rt_sigaction(2) with the kernel's structure and 8-byte sets: sets `act` (if any) for `sig`
/// and stores the previous action in `old` (if any).
pub fn sigaction(sig: c_int, act: Option<&KSigaction>, old: Option<&mut KSigaction>) -> SysResult {
    let (act, old) = in_out(act, old);
    check(sc(libc::SYS_rt_sigaction, [sig as usize, act, old, 8, 0, 0]))
}

/// tgkill(2): sends `sig` to thread `tid` of process `tgid` (the runtime's own signals, e.g.
/// re-raising a fatal one).
pub fn tgkill(tgid: i32, tid: i32, sig: c_int) -> SysResult {
    check(sc(libc::SYS_tgkill, [tgid as usize, tid as usize, sig as usize, 0, 0, 0]))
}

/// exit_group(2): ends the whole process with `code`, running no atexit handlers and no
/// destructors.
pub fn exit_group(code: c_int) -> ! {
    sc(libc::SYS_exit_group, [code as usize, 0, 0, 0, 0, 0]);
    unreachable!("exit_group returned")
}

/// Copies `len` bytes at the program's address `addr` into `dst` without faulting: a bad address
/// comes back as `Err(EFAULT)`. Returns how many bytes were readable (a read that runs into an
/// unmapped page stops there).
///
/// A task alone in its memory ([`crate::fastpath::alone`]) asks the kernel whether each page is
/// readable ([`readable`], one cheap call per page) and copies itself: nobody can unmap the page
/// in between. Otherwise process_vm_readv copies (about five times the cost on a virtual
/// machine: it pins the pages).
pub fn read_mem(addr: usize, dst: &mut [u8]) -> SysResult {
    if crate::fastpath::alone() {
        return read_mem_alone(addr, dst);
    }
    read_mem_vm(addr, dst)
}

/// After a real call: the program memory the kernel has just written (and the runtime will read
/// back to show it, a read's buffer), for [`read_mem`] to copy without asking.
pub fn kernel_wrote(slot: Option<&crate::threads::Slot>, nr: usize, args: &[usize; 6], ret: isize) {
    let Some(s) = slot else { return };
    if ret > 0 && matches!(nr as libc::c_long, libc::SYS_read | libc::SYS_pread64) {
        s.written[0].store(args[1], Ordering::Relaxed);
        s.written[1].store(ret as usize, Ordering::Relaxed);
    }
}

/// Whether `addr..addr + len` lies in what the kernel last wrote for this thread.
fn just_written(addr: usize, len: usize) -> bool {
    let Some(s) = crate::threads::current() else { return false };
    let (start, n) = (s.written[0].load(Ordering::Relaxed), s.written[1].load(Ordering::Relaxed));
    n > 0 && addr >= start && addr.checked_add(len).is_some_and(|end| end <= start + n)
}

fn read_mem_alone(addr: usize, dst: &mut [u8]) -> SysResult {
    if just_written(addr, dst.len()) {
        // SAFETY: the kernel wrote these bytes for the call being decoded, so they are mapped,
        // and no other task runs in this memory to unmap them since.
        unsafe { core::ptr::copy_nonoverlapping(addr as *const u8, dst.as_mut_ptr(), dst.len()) };
        return Ok(dst.len());
    }
    let mut done = 0;
    while done < dst.len() {
        let Some(at) = addr.checked_add(done) else { break };
        if !readable(at) {
            break;
        }
        let n = (dst.len() - done).min(4096 - (at & 4095));
        // SAFETY: the page holding at..at + n (which does not cross a page end) is mapped and
        // readable, as the kernel just said, and no other task runs in this memory to unmap it.
        unsafe { core::ptr::copy_nonoverlapping(at as *const u8, dst[done..].as_mut_ptr(), n) };
        done += n;
    }
    match done {
        0 if !dst.is_empty() => Err(libc::EFAULT),
        n => Ok(n),
    }
}

/// Whether the page holding `addr` is readable by the program, as the kernel's own accesses see
/// it (protection, guard pages, file mappings past their end). rt_sigprocmask copies its 8-byte
/// set in before it looks at `how`, and an unknown `how` changes nothing: EFAULT means unreadable,
/// EINVAL readable.
pub fn readable(addr: usize) -> bool {
    let page = addr & !4095;
    sc(libc::SYS_rt_sigprocmask, [-1isize as usize, page, 0, 8, 0, 0]) == -(libc::EINVAL as isize)
}

fn read_mem_vm(addr: usize, dst: &mut [u8]) -> SysResult {
    let local = libc::iovec { iov_base: dst.as_mut_ptr().cast(), iov_len: dst.len() };
    let remote = libc::iovec { iov_base: addr as *mut libc::c_void, iov_len: dst.len() };
    check(sc(
        libc::SYS_process_vm_readv,
        [crate::process::pid() as usize, &local as *const _ as usize, 1, &remote as *const _ as usize, 1, 0],
    ))
}

/// Reads a plain value from the program's memory, fault-safely.
pub fn read_val<T: Copy + Default>(addr: usize) -> Result<T, i32> {
    let mut v = T::default();
    // SAFETY: `v` is a Copy plain-data value; any byte pattern read into it is one the program
    // itself would hand the kernel, and the types used here (integers, repr(C) structs of
    // integers) accept every bit pattern.
    let bytes = unsafe { core::slice::from_raw_parts_mut(&mut v as *mut T as *mut u8, core::mem::size_of::<T>()) };
    match read_mem(addr, bytes)? {
        n if n == bytes.len() => Ok(v),
        _ => Err(libc::EFAULT),
    }
}

/// Writes a plain value into the program's memory, fault-safely.
pub fn write_val<T: Copy>(addr: usize, v: &T) -> SysResult {
    let local = libc::iovec { iov_base: v as *const T as *mut libc::c_void, iov_len: core::mem::size_of::<T>() };
    let remote = libc::iovec { iov_base: addr as *mut libc::c_void, iov_len: core::mem::size_of::<T>() };
    check(sc(
        libc::SYS_process_vm_writev,
        [crate::process::pid() as usize, &local as *const _ as usize, 1, &remote as *const _ as usize, 1, 0],
    ))
}

/// CLOCK_MONOTONIC in nanoseconds, through the vDSO when it is there.
#[inline]
pub fn now_ns() -> u64 {
    crate::vdso::monotonic_ns()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two pages: the first readable ("...tail" at its end), the second PROT_NONE.
    fn guarded_pair() -> usize {
        let base = mmap_anon(8192).unwrap();
        // SAFETY: the first page of our own fresh mapping.
        unsafe { core::ptr::copy_nonoverlapping(b"tail".as_ptr(), (base + 4092) as *mut u8, 4) };
        // SAFETY: mprotect of the second page of that mapping.
        assert_eq!(unsafe { libc::mprotect((base + 4096) as *mut libc::c_void, 4096, libc::PROT_NONE) }, 0);
        base
    }

    /// Unmaps `base`'s two pages in a forked child and answers `check(base)` there. In the
    /// harness itself another test's thread may map the freed range again before the check runs
    /// (CI saw exactly that); the child has one thread, as a program whose reads take this path.
    fn unmapped_in_a_child(base: usize, check: fn(usize) -> bool) -> bool {
        // SAFETY: the child only makes raw system calls and copies memory before exit_group, so
        // it needs none of the locks other harness threads may have held at the fork.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = munmap(base, 8192).is_ok() && check(base);
            exit_group(if ok { 0 } else { 1 });
        }
        let mut status = 0;
        // SAFETY: waits for the child forked just above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
    }

    #[test]
    fn readability_probe_tells_pages_apart_and_changes_no_mask() {
        let base = guarded_pair();
        let mut before: KSigset = 0;
        sigprocmask(libc::SIG_BLOCK, None, Some(&mut before)).unwrap();
        let local = 7u64;
        assert!(readable(&local as *const u64 as usize));
        assert!(readable(base + 4095));
        assert!(!readable(base + 4096));
        assert!(!readable(0x10));
        assert!(!readable(usize::MAX - 100));
        assert!(unmapped_in_a_child(base, |base| !readable(base)));
        munmap(base, 8192).unwrap();
        let mut after: KSigset = 0;
        sigprocmask(libc::SIG_BLOCK, None, Some(&mut after)).unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn reads_alone_stop_where_the_readable_memory_ends() {
        // What read_mem does in a single-threaded program (the test harness has threads, so it
        // would take process_vm_readv): the same answers as process_vm_readv.
        let base = guarded_pair();
        let mut buf = [0u8; 8];
        assert_eq!(read_mem_alone(base + 4092, &mut buf), Ok(4));
        assert_eq!(&buf[..4], b"tail");
        assert_eq!(read_mem_vm(base + 4092, &mut buf), Ok(4));
        assert_eq!(read_mem_alone(base + 4096, &mut buf), Err(libc::EFAULT));
        assert_eq!(read_mem_vm(base + 4096, &mut buf), Err(libc::EFAULT));
        assert_eq!(read_mem_alone(base, &mut []), Ok(0));
        let big = [5u8; 10000];
        let mut out = [0u8; 10000];
        assert_eq!(read_mem_alone(big.as_ptr() as usize, &mut out), Ok(10000));
        assert_eq!(out, big);
        assert!(unmapped_in_a_child(base, |base| read_mem_alone(base, &mut [0u8; 8]) == Err(libc::EFAULT)));
        munmap(base, 8192).unwrap();
    }

    #[test]
    fn fd_paths() {
        let mut b = [0u8; FD_PATH_BYTES];
        assert_eq!(fd_path(&mut b, b"/proc/self/fd/", 0), b"/proc/self/fd/0\0");
        assert_eq!(fd_path(&mut b, b"/proc/self/fdinfo/", 907), b"/proc/self/fdinfo/907\0");
        assert_eq!(fd_path(&mut b, b"/proc/self/fdinfo/", u32::MAX), b"/proc/self/fdinfo/4294967295\0");
        assert_eq!(fd_path(&mut b, &[b'x'; 40], 1).len(), 21 + 2);
    }
}
