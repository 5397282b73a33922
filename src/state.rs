//! State shared by every process of a traced tree: one file mapped MAP_SHARED by each process
//! (fork children inherit the mapping; exec'd images map it again from SELFTRACE_STATE). Counters
//! are atomics updated in place, so a process killed by a signal loses nothing. No descriptor
//! stays open: the program cannot close or clobber what it cannot see.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};

/// "selftrc" and a fingerprint of the layout: a launcher and a preload library from different
/// builds (a stale libselftrace.so) must not read each other's counters and trace log.
const MAGIC: u64 = 0x7365_6c66_7472_6300
    ^ ((std::mem::size_of::<Shared>() as u64) << 8)
    ^ ((crate::trace::ring::HEADER as u64) << 40)
    ^ ((RING_SIZE as u64) << 20);
/// Counter slots: every x86-64 system call number fits; larger numbers share the last slot.
pub const NR_SLOTS: usize = 1024;

/// Per-syscall totals.
#[repr(C)]
pub struct Counter {
    /// Calls that returned (exit and exit_group never do, so are never counted).
    pub calls: AtomicU64,
    /// Of those, the ones that returned an error (`-4095..=-1`; an injected `retval=` never is).
    pub errors: AtomicU64,
    /// Time spent in these calls, in nanoseconds, summed.
    pub nanos: AtomicU64,
    /// Shortest call plus one (0: none yet; a zeroed file starts that way) and longest call.
    pub min_plus1: AtomicU64,
    /// Longest call, in nanoseconds (0: none yet).
    pub max: AtomicU64,
}

/// The shared file's layout.
#[repr(C)]
pub struct Shared {
    magic: AtomicU64,
    /// The first process to start under this state: the "initial process" of `-f`-less reports.
    pub root_pid: AtomicI32,
    /// Non-zero when a launcher waits for the tree and prints the summary itself.
    pub launcher: AtomicU32,
    /// Totals by system call number (see [`Shared::count`]; numbers from `NR_SLOTS - 1` up share
    /// the last slot).
    pub counters: [Counter; NR_SLOTS],
    /// The trace log's control words; its data follows the structure (see [`Shared::ring`]).
    pub ring: crate::trace::ring::Control,
    /// `--fake-time`: the tree's one virtual clock.
    pub clock: crate::shims::faketime::SharedClock,
    /// `--fake-root`: ownership the tree's chown calls set.
    pub owners: crate::shims::fakeroot::Owners,
    /// `-e inject=`: invocation counters carried over execve.
    pub inject: crate::shims::inject::Handoff,
    /// Raw LD_PRELOAD runs: the tree's processes, which keep the file alive.
    pub procs: crate::watcher::Procs,
}

/// Size of the trace log (a power of two).
pub const RING_SIZE: usize = 16 << 20;

/// Where the trace log's data starts in the file.
const RING_OFFSET: usize = std::mem::size_of::<Shared>().div_ceil(4096) * 4096;

/// Length of the state file and of every mapping of it.
const FILE_LEN: usize = RING_OFFSET + RING_SIZE;

impl Shared {
    /// The trace log.
    pub fn ring(&'static self) -> crate::trace::ring::Ring {
        let data = (self as *const Shared as usize + RING_OFFSET) as *mut u8;
        // SAFETY: every mapping of the state file is FILE_LEN bytes, so the ring data follows the
        // structure at RING_OFFSET, shared by every process of the tree, never unmapped.
        unsafe { crate::trace::ring::Ring::new(&self.ring, data, RING_SIZE) }
    }

    /// Records one finished call.
    #[inline]
    pub fn count(&self, nr: usize, failed: bool, nanos: u64) {
        let c = &self.counters[nr.min(NR_SLOTS - 1)];
        c.calls.fetch_add(1, Ordering::Relaxed);
        if failed {
            c.errors.fetch_add(1, Ordering::Relaxed);
        }
        c.nanos.fetch_add(nanos, Ordering::Relaxed);
        let _ = c
            .min_plus1
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |m| (m == 0 || nanos + 1 < m).then_some(nanos + 1));
        c.max.fetch_max(nanos, Ordering::Relaxed);
    }
}

fn map(fd: libc::c_int) -> std::io::Result<&'static Shared> {
    let len = FILE_LEN;
    // SAFETY: mapping a file we opened, shared, read-write; the result is checked.
    let p =
        unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED, fd, 0) };
    if p == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the mapping is FILE_LEN bytes (the structure, then the ring), page-aligned, never
    // unmapped, and every field of Shared is an atomic for which all-zero (a fresh file) is a
    // valid value.
    Ok(unsafe { &*(p as *const Shared) })
}

/// Creates a new state file in the first writable of /dev/shm, $TMPDIR, /tmp.
pub fn create() -> std::io::Result<(PathBuf, &'static Shared)> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let mut dirs: Vec<PathBuf> = vec!["/dev/shm".into()];
    if let Some(t) = std::env::var_os("TMPDIR") {
        dirs.push(t.into());
    }
    dirs.push("/tmp".into());
    let mut last = None;
    let nonce =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    for d in dirs {
        let path = d.join(format!("selftrace-{}-{nonce:08x}", std::process::id()));
        match std::fs::OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path) {
            Ok(f) => {
                f.set_len(FILE_LEN as u64)?;
                let s = map(f.as_raw_fd())?;
                s.magic.store(MAGIC, Ordering::Release);
                return Ok((path, s));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap())
}

/// Why a state file cannot be used although it exists.
pub const OTHER_BUILD: &str = "made by a different build of selftrace";

/// Maps an existing state file.
pub fn open(path: &Path) -> std::io::Result<&'static Shared> {
    use std::os::unix::io::AsRawFd;
    let f = std::fs::OpenOptions::new().read(true).write(true).open(path)?;
    map_ours(f.as_raw_fd(), f.metadata()?.len())
}

/// Maps the state file open at `fd`, `len` bytes long, if this build made it.
fn map_ours(fd: libc::c_int, len: u64) -> std::io::Result<&'static Shared> {
    let other_build = || std::io::Error::new(std::io::ErrorKind::InvalidData, OTHER_BUILD);
    if len != FILE_LEN as u64 {
        return Err(other_build());
    }
    let s = map(fd)?;
    if s.magic.load(Ordering::Acquire) != MAGIC {
        return Err(other_build());
    }
    Ok(s)
}

/// A descriptor of the state file, held once this process is about to change its uid (or
/// capabilities) and might lose the right to open the file (mode 0600) by its path: an exec'd
/// image maps it through the descriptor instead (see [`keep_fd`], `process::execve`). -1: none.
static KEPT_FD: core::sync::atomic::AtomicI32 = core::sync::atomic::AtomicI32::new(-1);

/// Before a uid or capability change (handler path): opens the state file once, close-on-exec,
/// while the process may still open it. Every thread runs glibc's setuid itself (SIGSETXID), so
/// the first one keeps its descriptor and the others close theirs.
pub fn keep_fd(path: &core::ffi::CStr) {
    if KEPT_FD.load(Ordering::Acquire) >= 0 {
        return;
    }
    let Ok(fd) = crate::sys::open(path.to_bytes_with_nul(), libc::O_RDWR | libc::O_CLOEXEC, 0) else { return };
    let fd = high_fd(fd as i32);
    if KEPT_FD.compare_exchange(-1, fd, Ordering::AcqRel, Ordering::Acquire).is_err() {
        let _ = crate::sys::close(fd);
    }
}

/// `fd` moved to a number near the top of the descriptor limit, out of the way of the numbers
/// the program's own opens get (lowest first) and count on; `fd` itself if that fails.
fn high_fd(fd: i32) -> i32 {
    let mut lim = [0u64; 2];
    let soft = match crate::sys::getrlimit_nofile(&mut lim) {
        Ok(()) => lim[0].min(1 << 20) as i32,
        Err(_) => 1024,
    };
    if soft <= 64 {
        return fd;
    }
    match crate::sys::dup_cloexec_at_least(fd, soft - 32) {
        Ok(high) => {
            let _ = crate::sys::close(fd);
            high
        }
        Err(_) => fd,
    }
}

/// Moves the kept descriptor out of the way when the program dup2s onto its number (handler
/// path); the program's call then goes ahead.
pub fn kept_fd_wanted(num: i32) {
    if kept_fd() != Some(num) {
        return;
    }
    if let Ok(other) = crate::sys::dup_cloexec_at_least(num, 3) {
        if KEPT_FD.compare_exchange(num, other, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            let _ = crate::sys::close(num);
        } else {
            let _ = crate::sys::close(other);
        }
    }
}

/// The descriptor [`keep_fd`] holds, if any.
pub fn kept_fd() -> Option<i32> {
    Some(KEPT_FD.load(Ordering::Acquire)).filter(|&fd| fd >= 0)
}

/// Maps the state file at `path` through `fd`, an inherited descriptor (see [`keep_fd`]), after
/// checking that `fd` is that file (stat of the path needs no read permission). The descriptor is
/// kept for the next exec.
pub fn open_fd(fd: i32, path: &Path) -> std::io::Result<&'static Shared> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: fstat into a zeroed stat buffer.
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: as above, with a valid out pointer.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let m = std::fs::metadata(path)?;
    if st.st_dev != m.dev() || st.st_ino != m.ino() {
        return Err(std::io::Error::from_raw_os_error(libc::EBADF));
    }
    let s = map_ours(fd, st.st_size as u64)?;
    // Close-on-exec again until the next exec.
    let _ = crate::sys::set_cloexec(fd, true);
    KEPT_FD.store(fd, Ordering::Release);
    Ok(s)
}

/// NUL-terminated copy of a path, for raw calls on the handler path.
pub fn c_path(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).unwrap_or_default()
}
