//! The lifetime of a raw LD_PRELOAD tree's shared state.
//!
//! Without a launcher nobody waits for the tree as a parent, yet the state file must exist as
//! long as any process of the tree may exec (the new image maps it again by name), and must be
//! removed once the last one is gone, however it ends (SIGKILL included). So:
//!
//! - every process of the tree is listed in [`Procs`] (in the state file): the first process
//!   lists itself, and each fork/clone of a new process lists the child, from the parent (as
//!   the call returns) and from the child (before any program code runs in it), so that the
//!   child is listed before its parent can be gone, even if the parent is killed right after
//!   the call;
//! - a watcher process, started by the first process before the program runs (detached: not a
//!   child the program could reap, in a session of its own), holds a pidfd for every listed
//!   process and removes the entry when its process ends. When no entry is left, the tree is
//!   done: it prints what is left to print (the trace, the `-c` summary) and removes the file;
//! - the last process to call exit_group does the same itself when it can (see
//!   [`last_one_out`]), so that a run whose processes end in order leaves nothing behind the
//!   moment its last process is gone, and the initial process prints the summary, as before.
//!
//! No descriptor lives in the program's processes: the pidfds are the watcher's.

use core::sync::atomic::{AtomicI32, AtomicU32, Ordering};

use crate::sys;

/// Entries of the process table: processes of the tree alive at once (plus the dead ones the
/// watcher has not yet cleared, which it does as they end).
pub const SLOTS: usize = 8192;

/// The tree's processes, in the shared state. All-zero (a fresh file) is a valid value.
#[repr(C)]
pub struct Procs {
    /// Non-zero when a watcher follows the tree (raw LD_PRELOAD runs; a launcher waits for its
    /// tree itself).
    pub active: AtomicU32,
    /// Bumped at each listing by a parent: the futex word the watcher sleeps on.
    pub seq: AtomicU32,
    /// Set by whoever ends the run (prints the summary, removes the file): once only.
    pub finished: AtomicU32,
    _pad: u32,
    /// Process ids (0: free). Written from 0 by the tree's processes, cleared by the watcher.
    pub pids: [AtomicI32; SLOTS],
}

impl Procs {
    /// Lists process `pid` (from its parent, `wake`, or from itself). Handler path: atomics and
    /// one futex wake, no allocation.
    pub fn list(&self, pid: i32, wake: bool) {
        if self.active.load(Ordering::Relaxed) == 0 || pid <= 0 {
            return;
        }
        let start = pid as usize % SLOTS;
        // A full table means the watcher is far behind: wake it and let it clear dead entries.
        for round in 0..64 {
            for i in 0..SLOTS {
                if self.pids[(start + i) % SLOTS].compare_exchange(0, pid, Ordering::SeqCst, Ordering::Relaxed).is_ok()
                {
                    if wake {
                        self.wake();
                    }
                    return;
                }
            }
            self.wake();
            if round > 0 {
                crate::arch::syscall6(libc::SYS_sched_yield as usize, [0; 6]);
            }
        }
    }

    fn wake(&self) {
        self.seq.fetch_add(1, Ordering::SeqCst);
        crate::arch::syscall6(
            libc::SYS_futex as usize,
            [self.seq.as_ptr() as usize, libc::FUTEX_WAKE as usize, 1, 0, 0, 0],
        );
    }
}

/// Whether process `pid` is still running (not gone, not a zombie). Handler path: raw calls;
/// the pidfd lives only for the duration of the check. When unsure (no descriptor left), it
/// says yes: the watcher, which knows better, then ends the run.
fn alive(pid: i32) -> bool {
    let fd = crate::arch::syscall6(libc::SYS_pidfd_open as usize, [pid as usize, 0, 0, 0, 0, 0]);
    if fd == -(libc::ESRCH as isize) {
        return false;
    }
    if fd < 0 {
        return true;
    }
    let mut pfd = libc::pollfd { fd: fd as i32, events: libc::POLLIN, revents: 0 };
    let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    let r = crate::arch::syscall6(
        libc::SYS_ppoll as usize,
        [&mut pfd as *mut libc::pollfd as usize, 1, &zero as *const libc::timespec as usize, 0, 8, 0],
    );
    let _ = sys::close(fd as i32);
    !(r == 1 && pfd.revents & libc::POLLIN != 0)
}

/// Whether a process of the tree other than `me` is still running.
fn others_alive(procs: &Procs, me: i32) -> bool {
    // Most often the parent is of the tree and still there: a listed parent is alive (an ended
    // one would have left us to a reaper), with no system call per entry.
    let ppid = crate::arch::syscall6(libc::SYS_getppid as usize, [0; 6]) as i32;
    if ppid > 1 && procs.pids.iter().any(|p| p.load(Ordering::SeqCst) == ppid) {
        return true;
    }
    procs.pids.iter().any(|p| {
        let pid = p.load(Ordering::SeqCst);
        pid != 0 && pid != me && alive(pid)
    })
}

/// At exit_group of a process of a raw run: if it is the last of the tree, it ends the run now
/// (the initial process prints the summary first) rather than leaving that to the watcher.
/// Returns whether it did. Handler path.
/// `summary`: the run prints a `-c` table (`to_stderr`: on stderr rather than to a file).
pub fn last_one_out(
    summary: bool,
    to_stderr: bool,
    is_root: bool,
    state_path: &core::ffi::CStr,
    print: impl FnOnce() -> bool,
) -> bool {
    let Some(cfg) = crate::config::try_get() else { return false };
    let procs = &cfg.shared.procs;
    if procs.active.load(Ordering::Relaxed) == 0 {
        return false;
    }
    // A summary for stderr belongs on the initial process's, which the watcher kept: another
    // process's may be redirected.
    if summary && to_stderr && !is_root {
        return false;
    }
    if others_alive(procs, sys::getpid()) {
        return false;
    }
    // Printed before the run is claimed: a program that closed its stderr (coreutils do at
    // exit) leaves the summary to the watcher, which kept the initial one. No other process
    // can be printing meanwhile: each sees this one alive, and the watcher waits for it.
    if summary && !print() {
        return false;
    }
    if procs.finished.swap(1, Ordering::SeqCst) != 0 {
        return false;
    }
    let _ = sys::unlink(state_path.to_bytes_with_nul());
    true
}

/// What the watcher prints when the tree is done.
pub struct Finish {
    /// The trace reader, when tracing: it drains the log while the tree runs.
    pub trace: Option<(crate::trace::ring::Ring, crate::trace::render::RenderOpts)>,
    /// `-c`: sort order and output (None: the initial process's stderr).
    pub summary: Option<(crate::summary::SortBy, Option<std::ffi::CString>)>,
}

/// Starts the watcher of a raw run whose first process is `root` (the caller). Called from
/// the constructor of the first process, single-threaded, before the trap is armed.
pub fn spawn(
    shared: &'static crate::state::Shared,
    root: i32,
    state_path: std::path::PathBuf,
    finish: Finish,
) -> std::io::Result<()> {
    use std::io;
    let procs = &shared.procs;
    procs.active.store(1, Ordering::SeqCst);
    procs.list(root, false);
    // The trace output is opened now, so that a failure is the program's start-up error.
    let renderer = match &finish.trace {
        Some((_, ro)) => {
            let mut r = crate::trace::render::Renderer::new(ro.clone())?;
            r.task(root, root);
            Some(r)
        }
        None => None,
    };
    // SAFETY: fork in the single-threaded constructor, before the trap is armed; the child only
    // forks again and exits, the grandchild runs the watcher and exits without returning.
    let child = unsafe { libc::fork() };
    if child < 0 {
        return Err(io::Error::last_os_error());
    }
    if child > 0 {
        let mut status = 0;
        // SAFETY: reaping the intermediate child so the program never sees it.
        unsafe { libc::waitpid(child, &mut status, 0) };
        return Ok(());
    }
    // A session of its own (a signal to the program's process group does not reach it), made
    // by the intermediate child, which the program's first process waits for: the watcher is
    // out of the group before any program code runs.
    // SAFETY: setsid (which cannot fail: a fork child leads no group) and fork in the
    // single-threaded intermediate child.
    if unsafe { libc::setsid() } < 0 || unsafe { libc::fork() } != 0 {
        // SAFETY: the intermediate child leaves at once.
        unsafe { libc::_exit(0) };
    }
    // SAFETY: plain calls in the watcher process: the terminal's ^C ignored like the program's.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let summary_to_stderr = matches!(finish.summary, Some((_, None)));
    match &finish.trace {
        // Hold none of the program's descriptors (a pipe's reader would wait for us), except
        // the stderr the summary goes to.
        None => detach_descriptors(summary_to_stderr),
        // The renderer holds its output (a file opened above, or stderr); of the program's
        // standard descriptors it needs stderr only when lines or the summary go there.
        Some((_, ro)) => release_std(summary_to_stderr || ro.output.is_none()),
    }
    raise_fd_limit();
    run(shared, state_path, finish, renderer)
}

fn detach_descriptors(keep_stderr: bool) {
    // SAFETY: closing the watcher's own inherited descriptors.
    unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) };
    release_std(keep_stderr);
}

/// Points stdin and stdout (and stderr unless `keep_stderr`) at /dev/null, leaving every other
/// descriptor alone.
fn release_std(keep_stderr: bool) {
    // SAFETY: plain descriptor calls in the watcher process, on its own descriptors.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            libc::dup2(null, 0);
            libc::dup2(null, 1);
            if !keep_stderr {
                libc::dup2(null, 2);
            }
            if null > 2 {
                libc::close(null);
            }
        }
    }
}

/// One pidfd per process of the tree: lift the soft descriptor limit to the hard one.
fn raise_fd_limit() {
    let mut l = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) == 0 {
            l.rlim_cur = l.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        }
    }
}

fn run(
    shared: &'static crate::state::Shared,
    state_path: std::path::PathBuf,
    finish: Finish,
    renderer: Option<crate::trace::render::Renderer>,
) -> ! {
    match (finish.trace, renderer) {
        (Some((ring, _)), Some(mut renderer)) => {
            // The log is drained here while another thread follows the processes.
            let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let d = done.clone();
            let watch = std::thread::spawn(move || {
                watch_tree(&shared.procs);
                d.store(true, Ordering::SeqCst);
                crate::trace::ring::ring_doorbell(ring.ctl);
            });
            // A trace that cannot be written (a full disk) must not keep the tree's state alive.
            let _ = renderer.drain_until(&ring, &done);
            let _ = watch.join();
        }
        _ => watch_tree(&shared.procs),
    }
    if shared.procs.finished.swap(1, Ordering::SeqCst) == 0 {
        if let Some((sort_by, output)) = &finish.summary {
            let _ = crate::report::print_summary(shared, *sort_by, output.as_deref());
        }
        let _ = std::fs::remove_file(&state_path);
    }
    // SAFETY: the watcher ends here without running the program's atexit handlers.
    unsafe { libc::_exit(0) }
}

/// Whether the process of pidfd `fd` has ended.
fn ended(fd: i32) -> bool {
    let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: poll of one pollfd of ours, no waiting.
    unsafe { libc::poll(&mut p, 1, 0) == 1 }
}

/// A listed process the watcher follows.
struct Watched {
    slot: usize,
    pid: i32,
    /// Its pidfd (-1: none could be opened; it is checked in /proc from time to time).
    fd: i32,
}

/// Returns when every process of the tree is gone.
fn watch_tree(procs: &'static Procs) {
    // Wakes on the listing futex become readable events on an eventfd, so one poll waits for
    // both new processes and ended ones.
    // SAFETY: eventfd creates a descriptor of the watcher's own.
    let efd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if efd >= 0 {
        std::thread::spawn(move || loop {
            let seen = procs.seq.load(Ordering::SeqCst);
            let one: u64 = 1;
            // SAFETY: an 8-byte write to our eventfd; a futex wait on a shared word.
            unsafe {
                libc::write(efd, &one as *const u64 as *const libc::c_void, 8);
                libc::syscall(libc::SYS_futex, procs.seq.as_ptr(), libc::FUTEX_WAIT, seen, 0usize, 0usize, 0usize);
            }
        });
    }
    let mut watched: Vec<Watched> = Vec::new();
    let mut by_slot = vec![false; SLOTS];
    let mut fds: Vec<libc::pollfd> = Vec::new();
    loop {
        // New entries (and duplicates: a child is listed by its parent and by itself).
        for (slot, p) in procs.pids.iter().enumerate() {
            let pid = p.load(Ordering::SeqCst);
            if pid == 0 {
                continue;
            }
            if by_slot[slot] {
                continue;
            }
            // The same running process listed twice: one entry is enough. (An entry of a
            // process that has ended meanwhile is no duplicate: its pid may be reused.)
            if watched.iter().any(|w| w.pid == pid && w.fd >= 0 && !ended(w.fd)) {
                p.store(0, Ordering::SeqCst);
                continue;
            }
            // SAFETY: pidfd_open creates a descriptor of the watcher's own.
            let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as i32;
            if fd < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH) {
                p.store(0, Ordering::SeqCst);
                continue;
            }
            by_slot[slot] = true;
            watched.push(Watched { slot, pid, fd });
        }
        if watched.is_empty() {
            // No entry left: every listed process has ended, and a process is listed before
            // its parent (or itself) can end, so no process of the tree is left. (Counted after
            // the scan: an entry of a process already gone, cleared just above, is none. Counting
            // it made the watcher wait forever for a listing that would never come.)
            return;
        }
        fds.clear();
        if efd >= 0 {
            fds.push(libc::pollfd { fd: efd, events: libc::POLLIN, revents: 0 });
        }
        let first = fds.len();
        fds.extend(watched.iter().filter(|w| w.fd >= 0).map(|w| libc::pollfd {
            fd: w.fd,
            events: libc::POLLIN,
            revents: 0,
        }));
        let blind = watched.iter().any(|w| w.fd < 0);
        let timeout = if blind || efd < 0 { 100 } else { -1 };
        // SAFETY: poll on our own array of pollfds.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n < 0 {
            continue;
        }
        if efd >= 0 && fds[0].revents != 0 {
            let mut v = 0u64;
            // SAFETY: draining our nonblocking eventfd into a local.
            unsafe { libc::read(efd, &mut v as *mut u64 as *mut libc::c_void, 8) };
        }
        let ended: Vec<i32> = fds[first..].iter().filter(|f| f.revents != 0).map(|f| f.fd).collect();
        watched.retain(|w| {
            let gone = if w.fd >= 0 { ended.contains(&w.fd) } else { crate::trace::render::process_gone(w.pid) };
            if gone {
                if w.fd >= 0 {
                    // SAFETY: closing our own pidfd.
                    unsafe { libc::close(w.fd) };
                }
                by_slot[w.slot] = false;
                procs.pids[w.slot].store(0, Ordering::SeqCst);
            }
            !gone
        });
    }
}
