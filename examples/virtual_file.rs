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
//! statx, access and faccessat on the path) from the bytes in memory. close closes the
//! placeholder. Every other descriptor and path goes to the kernel untouched.
//!
//! Limits (it is an example): up to 16 open at once (more: EMFILE); a dup of the descriptor,
//! mmap, and the descriptor after an exec are the /dev/null it stands on.
//!
//! The hook runs in the SIGSYS handler: state is atomics in static memory, the program's memory
//! is read and written only through `selftrace::mem`, the placeholder is opened with the
//! runtime's raw `sys::open`.

use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};

use selftrace::dispatch::{Call, Hook, Verdict};
use selftrace::{mem, sys};

/// The path served.
const PATH: &[u8] = b"/virtual/hello.txt";
/// Its contents.
const CONTENT: &[u8] = b"Hello from a file that is not on any disk.\n";
/// Inode number reported (any value no real file of this tree's st_dev has: st_dev is 0).
const INO: u64 = 0x5e1f;

const SLOTS: usize = 16;

/// One open description of the virtual file: its descriptor (-1: free) and file offset.
struct Slot {
    fd: AtomicI32,
    offset: AtomicU64,
}

struct VirtualFile {
    slots: [Slot; SLOTS],
}

static VFILE: VirtualFile =
    VirtualFile { slots: [const { Slot { fd: AtomicI32::new(-1), offset: AtomicU64::new(0) } }; SLOTS] };

selftrace::preload!(&VFILE);

/// Whether the NUL-terminated path at `addr` is the virtual file's.
fn is_ours(addr: usize) -> bool {
    let mut buf = [0u8; 64];
    mem::read_cstr(addr, &mut buf).is_ok_and(|p| p == PATH)
}

impl VirtualFile {
    fn slot(&self, fd: i32) -> Option<&Slot> {
        if fd < 0 {
            return None;
        }
        self.slots.iter().find(|s| s.fd.load(Ordering::Acquire) == fd)
    }

    /// open/openat/openat2 of the path: a placeholder descriptor becomes ours.
    fn open(&self, flags: u64) -> Verdict {
        if flags & libc::O_ACCMODE as u64 != libc::O_RDONLY as u64
            || flags & (libc::O_CREAT | libc::O_TRUNC) as u64 != 0
        {
            return Verdict::error(libc::EROFS);
        }
        if flags & libc::O_DIRECTORY as u64 != 0 {
            return Verdict::error(libc::ENOTDIR);
        }
        let keep = (flags & libc::O_CLOEXEC as u64) as i32;
        let fd = match sys::open(b"/dev/null\0", libc::O_RDONLY | keep, 0) {
            Ok(fd) => fd as i32,
            Err(e) => return Verdict::error(e),
        };
        for s in &self.slots {
            if s.fd.compare_exchange(-1, fd, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                s.offset.store(0, Ordering::Relaxed);
                return Verdict::Emulate(fd as isize);
            }
        }
        let _ = sys::close(fd);
        Verdict::error(libc::EMFILE)
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
        match call.nr as c_long {
            SYS_open if is_ours(a[0]) => self.open(a[1] as u64),
            SYS_openat if is_ours(a[1]) => self.open(a[2] as u64),
            SYS_openat2 if is_ours(a[1]) => match mem::read_val::<u64>(a[2]) {
                Ok(flags) => self.open(flags),
                Err(e) => Verdict::error(e),
            },
            SYS_stat | SYS_lstat if is_ours(a[0]) => result(mem::write_val(a[1], &stat_of()).map(|_| 0)),
            SYS_newfstatat if is_ours(a[1]) => result(mem::write_val(a[2], &stat_of()).map(|_| 0)),
            SYS_statx if is_ours(a[1]) => result(mem::write_val(a[4], &statx_of()).map(|_| 0)),
            SYS_access if is_ours(a[0]) => self.access(a[1]),
            SYS_faccessat | SYS_faccessat2 if is_ours(a[1]) => self.access(a[2]),
            SYS_read => match self.slot(fd0) {
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
            SYS_pread64 => match self.slot(fd0) {
                Some(_) if call.arg_isize(3) < 0 => Verdict::error(EINVAL),
                Some(_) => result(Self::read_at(a[3] as u64, a[1], a[2])),
                None => Verdict::RunNoExit,
            },
            SYS_readv => match self.slot(fd0) {
                Some(s) => self.readv(s, a[1], a[2]),
                None => Verdict::RunNoExit,
            },
            SYS_lseek => match self.slot(fd0) {
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
            SYS_fstat => match self.slot(fd0) {
                Some(_) => result(mem::write_val(a[1], &stat_of()).map(|_| 0)),
                None => Verdict::RunNoExit,
            },
            // fstat through the *at forms (glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH)).
            SYS_newfstatat if a[3] as c_int & AT_EMPTY_PATH != 0 && self.slot(fd0).is_some() => {
                result(mem::write_val(a[2], &stat_of()).map(|_| 0))
            }
            SYS_statx if a[2] as c_int & AT_EMPTY_PATH != 0 && self.slot(fd0).is_some() => {
                result(mem::write_val(a[4], &statx_of()).map(|_| 0))
            }
            SYS_fadvise64 if self.slot(fd0).is_some() => Verdict::Emulate(0),
            SYS_close => {
                if let Some(s) = self.slot(fd0) {
                    // The real close releases the placeholder (and its number).
                    s.fd.store(-1, Ordering::Release);
                }
                Verdict::RunNoExit
            }
            _ => Verdict::RunNoExit,
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

    fn readv(&self, s: &Slot, iov: usize, count: usize) -> Verdict {
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
