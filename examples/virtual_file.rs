//! virtual_file: a preload library that serves a file that exists nowhere on disk,
//! `/virtual/hello.txt`, from memory.
//!
//!     cargo build --example virtual_file
//!     LD_PRELOAD=$PWD/target/debug/examples/libvirtual_file.so cat /virtual/hello.txt
//!     Hello from a file that is not on any disk.
//!
//! Opening the path (open, openat, openat2; read-only: anything else fails with EROFS) returns a
//! real descriptor of /dev/null the hook opened in its place, so the number is the kernel's
//! choice and can never clash with another descriptor; the hook remembers it and serves
//! read, pread64, readv, lseek, fstat, newfstatat/statx on it (and stat, lstat, newfstatat,
//! statx, access and faccessat on the path) from the bytes in memory. dup, dup2, dup3 and
//! fcntl(F_DUPFD) make descriptors sharing the same offset, as the kernel's do (so a shell's
//! `read line < /virtual/hello.txt` works); close and close_range close the placeholder. Every
//! other descriptor and path goes to the kernel untouched.
//!
//! A posix_spawn child shares its parent's memory until it execs, but has a descriptor table of
//! its own: the file actions it performs (open, dup2, close) are recorded for it alone, in a
//! small table under its tid that its parent's clone clears when it returns, so they never
//! change the parent's descriptors.
//!
//! Limits (it is an example): 16 open files and 64 descriptors at once (more: EMFILE), 32
//! descriptor changes by posix_spawn children at once (more are not recorded); mmap of the
//! descriptor, and the descriptor after an exec, are the /dev/null it stands on.
//!
//! The hook runs in the SIGSYS handler: state is atomics in static memory, the program's memory
//! is read and written only through `selftrace::mem`, the placeholder is opened with the
//! runtime's raw `sys::open`.

use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering};

use selftrace::dispatch::{vfork_child_tid, Call, Hook, Verdict, VforkTable};
use selftrace::{mem, sys};

/// The path served.
const PATH: &[u8] = b"/virtual/hello.txt";
/// Its contents.
const CONTENT: &[u8] = b"Hello from a file that is not on any disk.\n";
/// Inode number reported (any value no real file of this tree's st_dev has: st_dev is 0).
const INO: u64 = 0x5e1f;

/// Open files (each with its offset) and descriptors the hook serves at once.
const FILES: usize = 16;
const FDS: usize = 64;

/// One open file description of the virtual file: how many descriptors refer to it, and its
/// offset (shared by them, as dup'ed descriptors share the kernel's).
struct File {
    refs: AtomicU32,
    offset: AtomicU64,
}

/// A descriptor of the virtual file: its number (-1 free, -2 being set up) and its file.
struct Fd {
    fd: AtomicI32,
    file: AtomicUsize,
}

struct VirtualFile {
    files: [File; FILES],
    fds: [Fd; FDS],
    children: VforkTable<ChildFd, CHILD_FDS>,
}

/// Descriptor changes made by vfork children (posix_spawn's), which share this memory but not
/// the descriptor table, each under the child's tid (several per child): the child's descriptor
/// `fd` is file `file` (-1: not ours, closed or replaced), whatever its parent's table says.
/// `held` is a file whose reference the entry holds (opened by the child), dropped with the
/// entry.
struct ChildFd {
    fd: AtomicI32,
    file: AtomicI32,
    held: AtomicI32,
}

const CHILD_FDS: usize = 32;

static VFILE: VirtualFile = VirtualFile {
    files: [const { File { refs: AtomicU32::new(0), offset: AtomicU64::new(0) } }; FILES],
    fds: [const { Fd { fd: AtomicI32::new(-1), file: AtomicUsize::new(0) } }; FDS],
    children: VforkTable::new(
        [const { ChildFd { fd: AtomicI32::new(-1), file: AtomicI32::new(-1), held: AtomicI32::new(-1) } }; CHILD_FDS],
    ),
};

selftrace::preload!(&VFILE);

/// Whether the NUL-terminated path at `addr` is the virtual file's.
fn is_ours(addr: usize) -> bool {
    let mut buf = [0u8; 64];
    mem::read_cstr(addr, &mut buf).is_ok_and(|p| p == PATH)
}

impl VirtualFile {
    /// A vfork child's entry for its descriptor `fd`.
    fn child_entry(&self, tid: i32, fd: i32) -> Option<&ChildFd> {
        self.children.find(tid, |e| e.fd.load(Ordering::Relaxed) == fd)
    }

    /// Records that vfork child `tid`'s descriptor `fd` is now `file` (-1: not ours); `held`:
    /// the entry takes over a reference to that file. False when the table is full.
    fn child_set(&self, tid: i32, fd: i32, file: i32, held: bool) -> bool {
        let e = match self.child_entry(tid, fd) {
            Some(e) => e,
            None => {
                let Some(e) = self.children.claim(tid, |e| {
                    e.fd.store(fd, Ordering::Relaxed);
                    e.held.store(-1, Ordering::Relaxed);
                    e.file.store(file, Ordering::Relaxed);
                }) else {
                    return false;
                };
                e
            }
        };
        e.file.store(file, Ordering::Relaxed);
        if held {
            let old = e.held.swap(file, Ordering::Relaxed);
            if old >= 0 {
                self.files[old as usize].refs.fetch_sub(1, Ordering::AcqRel);
            }
        }
        true
    }

    /// An entry of a vfork child that has exec'd or exited goes, with the reference it held.
    fn child_done(&self, e: &ChildFd) {
        let held = e.held.swap(-1, Ordering::Relaxed);
        if held >= 0 {
            self.files[held as usize].refs.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// The index of the open file behind descriptor `fd` of the calling task (`child`: a vfork
    /// child's tid), if it is one of ours.
    fn file_index(&self, fd: i32, child: Option<i32>) -> Option<usize> {
        if fd < 0 {
            return None;
        }
        if let Some(e) = child.and_then(|tid| self.child_entry(tid, fd)) {
            return usize::try_from(e.file.load(Ordering::Relaxed)).ok();
        }
        let d = self.fds.iter().find(|d| d.fd.load(Ordering::Acquire) == fd)?;
        Some(d.file.load(Ordering::Relaxed))
    }

    /// The open file behind descriptor `fd`, if it is one of ours.
    fn file(&self, fd: i32, child: Option<i32>) -> Option<&File> {
        self.file_index(fd, child).map(|i| &self.files[i])
    }

    /// Makes `fd` a descriptor of file `file` (whose reference the caller already counted; a
    /// vfork child's entry holds the reference from its own open only: its other descriptors
    /// end with it).
    fn bind(&self, fd: i32, file: usize, child: Option<i32>, opened: bool) -> bool {
        if let Some(tid) = child {
            return self.child_set(tid, fd, file as i32, opened);
        }
        for d in &self.fds {
            if d.fd.compare_exchange(-1, -2, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                d.file.store(file, Ordering::Relaxed);
                d.fd.store(fd, Ordering::Release);
                return true;
            }
        }
        false
    }

    /// Forgets descriptor `fd` (closed, or replaced by dup2): one reference less to its file.
    fn release(&self, fd: i32, child: Option<i32>) {
        if fd < 0 {
            return;
        }
        if let Some(tid) = child {
            // If the table is full, the child keeps seeing it as ours until it execs.
            if self.file_index(fd, child).is_some() {
                self.child_set(tid, fd, -1, false);
            }
            return;
        }
        if let Some(d) = self.fds.iter().find(|d| d.fd.load(Ordering::Acquire) == fd) {
            let file = d.file.load(Ordering::Relaxed);
            d.fd.store(-1, Ordering::Release);
            self.files[file].refs.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// open/openat/openat2 of the path: a placeholder descriptor becomes ours.
    fn open(&self, flags: u64, child: Option<i32>) -> Verdict {
        if flags & libc::O_ACCMODE as u64 != libc::O_RDONLY as u64
            || flags & (libc::O_CREAT | libc::O_TRUNC) as u64 != 0
        {
            return Verdict::error(libc::EROFS);
        }
        if flags & libc::O_DIRECTORY as u64 != 0 {
            return Verdict::error(libc::ENOTDIR);
        }
        let Some(file) = (0..FILES)
            .find(|&i| self.files[i].refs.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Relaxed).is_ok())
        else {
            return Verdict::error(libc::EMFILE);
        };
        self.files[file].offset.store(0, Ordering::Relaxed);
        let keep = (flags & libc::O_CLOEXEC as u64) as i32;
        let fd = match sys::open(b"/dev/null\0", libc::O_RDONLY | keep, 0) {
            Ok(fd) => fd as i32,
            Err(e) => {
                self.files[file].refs.store(0, Ordering::Release);
                return Verdict::error(e);
            }
        };
        if !self.bind(fd, file, child, true) {
            self.files[file].refs.store(0, Ordering::Release);
            let _ = sys::close(fd);
            return Verdict::error(libc::EMFILE);
        }
        Verdict::Emulate(fd as isize)
    }

    /// Copies the contents from `off` to the program's buffer; returns the count.
    fn read_at(off: u64, buf: usize, len: usize) -> Result<usize, i32> {
        let start = (off as usize).min(CONTENT.len());
        let n = len.min(CONTENT.len() - start);
        if n == 0 {
            return Ok(0);
        }
        mem::write(buf, &CONTENT[start..start + n])
    }
}

/// What `struct stat` says about the file.
fn stat_of() -> libc::stat {
    // SAFETY: libc::stat is plain integers; all-zero is valid.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    st.st_ino = INO;
    st.st_mode = libc::S_IFREG | 0o444;
    st.st_nlink = 1;
    st.st_size = CONTENT.len() as i64;
    st.st_blksize = 4096;
    st.st_blocks = CONTENT.len().div_ceil(512) as i64;
    st
}

/// What `struct statx` says about the file.
fn statx_of() -> libc::statx {
    // SAFETY: libc::statx is plain integers; all-zero is valid.
    let mut st: libc::statx = unsafe { std::mem::zeroed() };
    st.stx_mask = libc::STATX_BASIC_STATS;
    st.stx_ino = INO;
    st.stx_mode = (libc::S_IFREG | 0o444) as u16;
    st.stx_nlink = 1;
    st.stx_size = CONTENT.len() as u64;
    st.stx_blksize = 4096;
    st.stx_blocks = CONTENT.len().div_ceil(512) as u64;
    st
}

fn result(r: Result<usize, i32>) -> Verdict {
    match r {
        Ok(n) => Verdict::Emulate(n as isize),
        Err(e) => Verdict::error(e),
    }
}

impl Hook for VirtualFile {
    #[allow(non_upper_case_globals)]
    fn enter(&self, call: &mut Call) -> Verdict {
        use libc::*;
        let a = call.args;
        let fd0 = call.arg_i32(0);
        // None: a process of its own, whose table is `VirtualFile::fds`.
        let child = vfork_child_tid();
        match call.nr as c_long {
            SYS_open if is_ours(a[0]) => self.open(a[1] as u64, child),
            SYS_openat if is_ours(a[1]) => self.open(a[2] as u64, child),
            SYS_openat2 if is_ours(a[1]) => match mem::read_val::<u64>(a[2]) {
                Ok(flags) => self.open(flags, child),
                Err(e) => Verdict::error(e),
            },
            SYS_stat | SYS_lstat if is_ours(a[0]) => result(mem::write_val(a[1], &stat_of()).map(|_| 0)),
            SYS_newfstatat if is_ours(a[1]) => result(mem::write_val(a[2], &stat_of()).map(|_| 0)),
            SYS_statx if is_ours(a[1]) => result(mem::write_val(a[4], &statx_of()).map(|_| 0)),
            SYS_access if is_ours(a[0]) => self.access(a[1]),
            SYS_faccessat | SYS_faccessat2 if is_ours(a[1]) => self.access(a[2]),
            SYS_read => match self.file(fd0, child) {
                Some(s) => {
                    let off = s.offset.load(Ordering::Relaxed);
                    let r = Self::read_at(off, a[1], a[2]);
                    if let Ok(n) = r {
                        s.offset.store(off + n as u64, Ordering::Relaxed);
                    }
                    result(r)
                }
                None => Verdict::RunNoExit,
            },
            SYS_pread64 => match self.file(fd0, child) {
                Some(_) if call.arg_isize(3) < 0 => Verdict::error(EINVAL),
                Some(_) => result(Self::read_at(a[3] as u64, a[1], a[2])),
                None => Verdict::RunNoExit,
            },
            SYS_readv => match self.file(fd0, child) {
                Some(s) => self.readv(s, a[1], a[2]),
                None => Verdict::RunNoExit,
            },
            SYS_lseek => match self.file(fd0, child) {
                Some(s) => {
                    let base = match a[2] as c_int {
                        SEEK_SET => 0,
                        SEEK_CUR => s.offset.load(Ordering::Relaxed) as i64,
                        SEEK_END => CONTENT.len() as i64,
                        _ => return Verdict::error(EINVAL),
                    };
                    match base.checked_add(a[1] as i64) {
                        Some(off) if off >= 0 => {
                            s.offset.store(off as u64, Ordering::Relaxed);
                            Verdict::Emulate(off as isize)
                        }
                        _ => Verdict::error(EINVAL),
                    }
                }
                None => Verdict::RunNoExit,
            },
            SYS_fstat => match self.file(fd0, child) {
                Some(_) => result(mem::write_val(a[1], &stat_of()).map(|_| 0)),
                None => Verdict::RunNoExit,
            },
            // fstat through the *at forms (glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH)).
            SYS_newfstatat if a[3] as c_int & AT_EMPTY_PATH != 0 && self.file(fd0, child).is_some() => {
                result(mem::write_val(a[2], &stat_of()).map(|_| 0))
            }
            SYS_statx if a[2] as c_int & AT_EMPTY_PATH != 0 && self.file(fd0, child).is_some() => {
                result(mem::write_val(a[4], &statx_of()).map(|_| 0))
            }
            SYS_fadvise64 if self.file(fd0, child).is_some() => Verdict::Emulate(0),
            // The real close releases the placeholder (and its number).
            SYS_close => {
                self.release(fd0, child);
                Verdict::RunNoExit
            }
            SYS_close_range => {
                if a[2] as c_uint & CLOSE_RANGE_CLOEXEC == 0 {
                    let range = a[0] as u32..=a[1] as u32;
                    let child_fds = child.into_iter().flat_map(|t| self.children.entries(t));
                    let fds = self.fds.iter().map(|d| &d.fd).chain(child_fds.map(|e| &e.fd));
                    for fd in fds {
                        let fd = fd.load(Ordering::Acquire);
                        if fd >= 0 && range.contains(&(fd as u32)) {
                            self.release(fd, child);
                        }
                    }
                }
                Verdict::RunNoExit
            }
            // The parent's exit clears what a vfork child recorded.
            SYS_clone | SYS_clone3 if child.is_none() => Verdict::Run,
            // New descriptors (and dup2's replaced one) are known from the result: on exit.
            SYS_dup | SYS_dup2 | SYS_dup3 => Verdict::Run,
            SYS_fcntl if matches!(a[1] as c_int, F_DUPFD | F_DUPFD_CLOEXEC) && self.file(fd0, child).is_some() => {
                Verdict::Run
            }
            _ => Verdict::RunNoExit,
        }
    }

    #[allow(non_upper_case_globals)]
    fn exit(&self, call: &Call, ret: &mut isize) {
        use libc::*;
        if matches!(call.nr as c_long, SYS_clone | SYS_clone3) {
            // A vfork child has exec'd or exited by the time its parent's clone returns.
            self.children.clone_exit(call, *ret, |e| self.child_done(e));
            return;
        }
        // Exit also follows the calls this hook emulated: only the dup family matters here.
        if *ret < 0 || !matches!(call.nr as c_long, SYS_dup | SYS_dup2 | SYS_dup3 | SYS_fcntl) {
            return;
        }
        // None: a process of its own, whose table is `VirtualFile::fds`.
        let child = vfork_child_tid();
        let (old, new) = (call.arg_i32(0), *ret as i32);
        if matches!(call.nr as c_long, SYS_dup2 | SYS_dup3) {
            if new == old {
                return;
            }
            // The kernel closed what `new` was; if that was ours, it is no longer.
            self.release(new, child);
        }
        if let Some(file) = self.file_index(old, child) {
            if child.is_some() {
                self.bind(new, file, child, false);
                return;
            }
            self.files[file].refs.fetch_add(1, Ordering::AcqRel);
            if !self.bind(new, file, None, false) {
                // No room to remember it: it stays the /dev/null it is.
                self.files[file].refs.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

impl VirtualFile {
    fn access(&self, mode: usize) -> Verdict {
        if mode as i32 & (libc::W_OK | libc::X_OK) != 0 {
            Verdict::error(libc::EACCES)
        } else {
            Verdict::Emulate(0)
        }
    }

    fn readv(&self, s: &File, iov: usize, count: usize) -> Verdict {
        if count > 1024 {
            return Verdict::error(libc::EINVAL);
        }
        let mut off = s.offset.load(Ordering::Relaxed);
        let mut total = 0usize;
        for i in 0..count {
            // struct iovec: base, length.
            let [base, len]: [usize; 2] = match mem::read_val(iov + i * 16) {
                Ok(v) => v,
                Err(e) => return Verdict::error(e),
            };
            match Self::read_at(off, base, len) {
                Ok(0) => break,
                Ok(n) => {
                    off += n as u64;
                    total += n;
                }
                Err(e) if total == 0 => return Verdict::error(e),
                Err(_) => break,
            }
        }
        s.offset.store(off, Ordering::Relaxed);
        Verdict::Emulate(total as isize)
    }
}
