//! What the runtime itself says: the summary at the end of a raw LD_PRELOAD run, and the few
//! messages a traced process may have to print. Handler path: raw writes, no allocation.

use crate::state::NR_SLOTS;
use crate::summary::{write_table, FixedBuf, Row};
use crate::{config, sys};

/// Writes `parts` as one line on stderr (one write, so lines of several processes do not mix).
pub fn message(parts: &[&[u8]]) {
    let mut buf = [0u8; 1024];
    let mut n = 0;
    for p in parts {
        let k = p.len().min(buf.len() - 1 - n);
        buf[n..n + k].copy_from_slice(&p[..k]);
        n += k;
    }
    buf[n] = b'\n';
    let _ = sys::write_all(2, &buf[..=n]);
}

/// Something the runtime cannot do without corrupting the run: say so and end the process.
pub fn fatal(what: &[u8], errno: i32) -> ! {
    message(&[b"selftrace: ", what, b": ", crate::errno_name(errno).as_bytes()]);
    sys::exit_group(127)
}

/// execve under seccomp (see `process::execve`).
/// Said once per process: a shell or `env` walking PATH would repeat it for every directory.
pub fn seccomp_exec_refused(path: usize) {
    static SAID: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
    if SAID.swap(true, core::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let mut p = [0u8; 256];
    let n = sys::read_mem(path, &mut p).unwrap_or(0);
    let n = p[..n].iter().position(|&b| b == 0).unwrap_or(n);
    message(&[
        b"selftrace: cannot follow execve(\"",
        &p[..n],
        b"\") on the seccomp backend: the kernel keeps the filter across exec but not the SIGSYS handler, \
          so the new program would be killed by its first system call; the call fails with EPERM (use --backend sud)",
    ]);
}

/// At exit_group of a process of a raw LD_PRELOAD run: the last one of the tree ends the run
/// (the initial process prints the summary first); otherwise the watcher does when the last
/// one is gone (see `crate::watcher`).
pub fn at_exit() {
    let Some(cfg) = config::try_get() else { return };
    // The real pid, not the cached one: a posix_spawn child shares our memory (and so the cache
    // and `reporter`) until it execs or exits.
    let is_root = cfg.reporter && sys::getpid() == cfg.root_pid();
    crate::watcher::last_one_out(cfg.summary, cfg.output.is_none(), is_root, &cfg.state_path, || {
        // With -C into a file the table goes after the trace's last line, which the watcher
        // writes: it prints the table once it has drained the log.
        !(cfg.tracing && cfg.output.is_some()) && print_summary(cfg.shared, cfg.sort_by, cfg.output.as_deref())
    });
}

/// Prints the `-c` table to `output` (None: stderr); returns whether it was written.
/// Allocation-free (the handler path of the initial process calls it, and so does the watcher).
pub fn print_summary(
    shared: &crate::state::Shared,
    sort_by: crate::summary::SortBy,
    output: Option<&core::ffi::CStr>,
) -> bool {
    let rows_len = NR_SLOTS * core::mem::size_of::<Row>();
    let text_len = 256 * 1024;
    let len = rows_len + text_len;
    let Ok(base) = sys::mmap_anon(len) else { return false };
    // SAFETY: a fresh private mapping of `len` bytes, page-aligned (so aligned for Row), split
    // into the rows scratch and the text buffer; a zeroed Row is a valid value.
    let (rows, buf) = unsafe {
        (
            core::slice::from_raw_parts_mut(base as *mut Row, NR_SLOTS),
            core::slice::from_raw_parts_mut((base + rows_len) as *mut u8, text_len),
        )
    };
    let mut w = FixedBuf { buf, len: 0 };
    let mut written = false;
    if write_table(shared, rows, sort_by, &mut w).is_ok() {
        let fd = match output {
            Some(path) => sys::open(
                path.to_bytes_with_nul(),
                // Appended: the file was truncated (unless -A) when the run started, and with -C
                // the trace's lines are already in it.
                libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC,
                0o666,
            )
            .map(|fd| fd as i32)
            .unwrap_or(-1),
            None => 2,
        };
        if fd >= 0 {
            written = sys::write_all(fd, &w.buf[..w.len]).is_ok();
            if fd != 2 {
                let _ = sys::close(fd);
            }
        }
    }
    let _ = sys::munmap(base, len);
    written
}
