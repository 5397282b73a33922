//! Calls that create, replace or end a task. Each new task must be trapped from its first
//! instruction, and Syscall User Dispatch is inherited by nothing (threads, fork and vfork
//! children, exec'd images all start disarmed), so the runtime performs these calls itself:
//!
//! - **fork-like** (no new stack: fork, vfork, clone/clone3 with stack 0): the child returns from
//!   the raw call inside the handler, on a copy of the parent's stack; it arms itself and returns
//!   0 through the normal path.
//! - **new stack** (threads, posix_spawn's clone(CLONE_VM|CLONE_VFORK, stack)): the child cannot
//!   return through the handler (its stack is not the handler's). The trap layer writes a boot
//!   record below the child's stack; the child enters [`child_boot`], arms itself and resumes the
//!   program at its syscall site with the program's registers and RAX = 0.
//! - **vfork sharing the caller's stack** is run as fork with CLONE_VFORK kept: with a shared
//!   stack, the child would overwrite the parent's handler frame. POSIX leaves a vfork child's
//!   writes to memory undefined, and the parent still waits until the child execs or exits.
//!
//! Signals are blocked across the clone so that no program handler runs in the child before it
//! is armed; the child's mask is restored before any program code runs.

use core::sync::atomic::{AtomicI32, Ordering};

use crate::dispatch::{Call, Frame};
use crate::sys::{self, KSigset};
use crate::threads::{self, Slot};
use crate::{backend, report};

/// This process's pid, cached: the fault-safe memory accessors need it on every use.
static PID: AtomicI32 = AtomicI32::new(0);

/// This process's pid from the cache (one system call on first use). The handler path may call
/// it; after fork the child must [`refresh_pid`] before relying on it.
pub fn pid() -> i32 {
    match PID.load(Ordering::Relaxed) {
        0 => {
            let p = sys::getpid();
            PID.store(p, Ordering::Relaxed);
            p
        }
        p => p,
    }
}

/// Refreshes the cached pid (a new process's memory still holds its parent's).
pub fn refresh_pid() {
    PID.store(sys::getpid(), Ordering::Relaxed);
}

const CLONE_VM: u64 = libc::CLONE_VM as u64;
const CLONE_VFORK: u64 = libc::CLONE_VFORK as u64;
const CLONE_SETTLS: u64 = libc::CLONE_SETTLS as u64;
const CLONE_THREAD: u64 = libc::CLONE_THREAD as u64;

/// What a new-stack child needs before it may run program code. Lives below the child's stack;
/// written by the parent, read once by the child.
#[repr(C)]
pub struct ChildBoot {
    /// Resumes the program in the child (trap-mechanism specific: a signal frame to rt_sigreturn
    /// to, for SIGSYS traps).
    pub resume: unsafe fn(arg: usize) -> !,
    /// The argument `resume` gets (for SIGSYS traps: the address of the child's copy of the
    /// signal frame); filled in by the trap layer's [`Frame::child_record`].
    pub resume_arg: usize,
    /// The child's per-thread slot (its SUD selector); null: the child claims one by its tid.
    pub slot: *const Slot,
    /// The clone flags of the call (`CLONE_VM`, `CLONE_VFORK`, ...): tell the child whether it is a
    /// thread, a vfork child or a fork child.
    pub flags: u64,
    /// Whether SIGSYS was blocked in the parent's view: a child that claims its own slot starts
    /// with the parent's mask.
    pub sigsys_blocked: bool,
}

/// First Rust code a new-stack child runs, on its own stack, with every signal blocked.
///
/// # Safety
/// Called only from the clone stubs' child path with the record the parent wrote.
pub unsafe extern "C" fn child_boot(record: *mut ChildBoot) -> ! {
    // SAFETY: the parent wrote the record before the clone and does not touch it afterwards.
    let boot = unsafe { &*record };
    if boot.flags & CLONE_THREAD == 0 {
        list_new_process(sys::getpid(), false);
    }
    let slot = if boot.flags & CLONE_VM == 0 {
        refresh_pid();
        threads::adopt_after_fork()
    } else {
        // SAFETY: slots live in the never-unmapped thread table (or are null).
        match unsafe { boot.slot.as_ref() } {
            Some(s) => {
                if !s.vfork_child.load(Ordering::Relaxed) {
                    s.tid.store(sys::gettid(), Ordering::Relaxed);
                }
                Some(s)
            }
            None => threads::claim_by_tid().inspect(|s| s.sigsys_blocked.store(boot.sigsys_blocked, Ordering::Relaxed)),
        }
    };
    if slot.is_none() {
        report::fatal(b"cannot register a new thread or child", libc::EAGAIN);
    }
    start_task(slot);
    // SAFETY: the record's resume function and argument were prepared together by the trap layer.
    unsafe { (boot.resume)(boot.resume_arg) }
}

/// Arms a task's first thread (new thread or child). A task the runtime cannot arm would run
/// untraced: that is a corrupted run, so it ends the process with a message.
fn start_task(slot: Option<&Slot>) {
    if let Err(e) = backend::arm_new_task(slot) {
        report::fatal(b"cannot arm a new thread or child", e);
    }
}

/// Blocks every signal; returns the previous mask.
fn block_all() -> KSigset {
    let mut old: KSigset = 0;
    let _ = sys::sigprocmask(libc::SIG_SETMASK, Some(&!0), Some(&mut old));
    old
}

fn restore_mask(old: KSigset) {
    let _ = sys::sigprocmask(libc::SIG_SETMASK, Some(&old), None);
}

/// fork, vfork, clone and clone3.
pub fn clone(call: &mut Call, frame: &mut dyn Frame) -> isize {
    let nr = call.nr as libc::c_long;
    match nr {
        libc::SYS_fork => fork_like(call, libc::SYS_fork, [0; 6], 0),
        libc::SYS_vfork => fork_like(
            call,
            libc::SYS_clone,
            [(CLONE_VFORK as usize) | libc::SIGCHLD as usize, 0, 0, 0, 0, 0],
            CLONE_VFORK,
        ),
        libc::SYS_clone => {
            let mut a = call.args;
            let flags = a[0] as u64;
            let stack = a[1];
            if stack == 0 {
                a[0] = shared_stack_flags(flags) as usize;
                fork_like(call, libc::SYS_clone, a, flags)
            } else {
                new_stack(frame, flags, stack, a[4] as u64, |sp| {
                    // SAFETY: `sp` is the boot record `new_stack` wrote below the child's stack.
                    unsafe { crate::arch::clone_boot(a[0], sp, a[2], a[3], a[4]) }
                })
            }
        }
        libc::SYS_clone3 => clone3(call, frame),
        _ => unreachable!(),
    }
}

/// A vfork that would share the caller's stack runs as fork (see the module docs).
fn shared_stack_flags(flags: u64) -> u64 {
    if flags & CLONE_VFORK != 0 && flags & CLONE_VM != 0 {
        flags & !CLONE_VM
    } else {
        flags
    }
}

/// `flags`: the clone flags the call creates the child with.
fn fork_like(call: &mut Call, nr: libc::c_long, args: [usize; 6], flags: u64) -> isize {
    crate::fastpath::note_clone(flags);
    let old = block_all();
    let ret = crate::arch::syscall6(nr as usize, args);
    if ret == 0 {
        // The child: a copy of the parent's memory, so the calling thread's slot is at the same
        // address under the same key.
        refresh_pid();
        list_new_process(sys::getpid(), false);
        start_task(threads::adopt_after_fork());
        call.in_child = true;
    } else if ret > 0 && flags & CLONE_THREAD == 0 {
        list_new_process(ret as i32, true);
    }
    restore_mask(old);
    ret
}

/// A new process of a raw run's tree, listed so that the tree's state outlives it (see
/// `crate::watcher`): by the parent as the call returns (`wake`s the watcher) and by the child
/// itself, so that it is listed even if the parent is killed at once.
fn list_new_process(pid: i32, wake: bool) {
    if let Some(cfg) = crate::config::try_get() {
        cfg.shared.procs.list(pid, wake);
    }
}

/// Layout of `struct clone_args` (v2, 88 bytes) as u64 words.
const CA_FLAGS: usize = 0;
const CA_STACK: usize = 5;
const CA_STACK_SIZE: usize = 6;
const CA_TLS: usize = 7;
const CA_WORDS: usize = 11;

fn clone3(call: &mut Call, frame: &mut dyn Frame) -> isize {
    let (uargs, size) = (call.args[0], call.args[1]);
    if !(64..=4096).contains(&size) {
        return -(libc::EINVAL as isize);
    }
    let mut ca = [0u64; CA_WORDS];
    let n = size.min(CA_WORDS * 8);
    // SAFETY: `ca` is a plain array of n <= 88 bytes.
    let bytes = unsafe { core::slice::from_raw_parts_mut(ca.as_mut_ptr() as *mut u8, n) };
    match sys::read_mem(uargs, bytes) {
        Ok(got) if got == n => {}
        _ => return -(libc::EFAULT as isize),
    }
    let flags = ca[CA_FLAGS];
    if ca[CA_STACK] == 0 {
        ca[CA_FLAGS] = shared_stack_flags(flags);
        return fork_like(call, libc::SYS_clone3, [ca.as_ptr() as usize, n, 0, 0, 0, 0], flags);
    }
    let top = ca[CA_STACK] as usize + ca[CA_STACK_SIZE] as usize;
    let tls = ca[CA_TLS];
    new_stack(frame, flags, top, tls, |sp| {
        // The child starts at stack + stack_size: make that the boot record.
        ca[CA_STACK_SIZE] = (sp - ca[CA_STACK] as usize) as u64;
        // SAFETY: `sp` is the boot record written below the child's stack; `ca` outlives the call.
        unsafe { crate::arch::clone3_boot(ca.as_ptr() as *const u8, n) }
    })
}

/// The new-stack path: `top` is the child's initial stack pointer, `tls` its thread pointer (used
/// with CLONE_SETTLS), `issue` makes the clone with the boot record as the child's stack.
fn new_stack(frame: &mut dyn Frame, flags: u64, top: usize, tls: u64, issue: impl FnOnce(usize) -> isize) -> isize {
    crate::fastpath::note_clone(flags);
    let parent = threads::current();
    // Which slot (SUD selector) the child uses:
    let (slot, claimed, vfork_shared) = if flags & CLONE_VM == 0 {
        // A copy of our memory: the child adopts a slot of its copy (see `child_boot`).
        (None, false, false)
    } else if flags & CLONE_SETTLS != 0 {
        match threads::claim(tls as usize) {
            Some(s) => {
                // A new thread starts with our signal mask, so with our view of SIGSYS in it.
                s.sigsys_blocked
                    .store(parent.is_some_and(|p| p.sigsys_blocked.load(Ordering::Relaxed)), Ordering::Relaxed);
                (Some(s), true, false)
            }
            None => return -(libc::EAGAIN as isize),
        }
    } else if flags & CLONE_VFORK != 0 {
        // posix_spawn: shares our memory and thread pointer; we are suspended until it execs or
        // exits, so it may use our selector.
        (parent, false, true)
    } else {
        // Shares our thread pointer: the child keys its slot by its tid, and ours becomes
        // ambiguous.
        match parent {
            Some(p) => p.shared.store(true, Ordering::Release),
            None => return -(libc::EAGAIN as isize),
        }
        (None, false, false)
    };
    // Our view of SIGSYS in the mask: the child's mask starts as ours.
    let parent_blocked = parent.is_some_and(|p| p.sigsys_blocked.load(Ordering::Relaxed));
    let boot = ChildBoot {
        resume: frame.resume_fn(),
        resume_arg: 0,
        slot: slot.map_or(core::ptr::null(), |s| s as *const Slot),
        flags,
        sigsys_blocked: parent_blocked,
    };
    // SAFETY: `top` is the stack the program gave the child; the record goes below it, where
    // the child's stack is free by definition.
    let sp = match unsafe { frame.child_record(top, flags, boot) } {
        Some(sp) => sp,
        None => {
            if claimed {
                slot.map(threads::release);
            }
            return -(libc::EFAULT as isize);
        }
    };
    // The vfork child changes the SIGSYS view on our slot as its own (its mask and actions are
    // not ours): ours comes back when it has exec'd or exited.
    if vfork_shared {
        if let Some(p) = parent {
            p.vfork_sigsys.store(0, Ordering::Relaxed);
            p.vfork_child.store(true, Ordering::Relaxed);
        }
    }
    let old = block_all();
    let ret = issue(sp);
    if ret > 0 && flags & CLONE_THREAD == 0 {
        list_new_process(ret as i32, true);
    }
    restore_mask(old);
    if vfork_shared {
        if let Some(p) = parent {
            p.vfork_child.store(false, Ordering::Relaxed);
            p.vfork_sigsys.store(0, Ordering::Relaxed);
            p.sigsys_blocked.store(parent_blocked, Ordering::Relaxed);
        }
    }
    if claimed && (sys::is_error(ret) || flags & CLONE_VFORK != 0) {
        // Failed, or a vfork child that has exec'd or exited by now.
        slot.map(threads::release);
    }
    ret
}

/// exit(2) of one thread: its slot is freed first, with signals blocked so that no program
/// handler runs on a freed selector.
pub fn exit_thread(call: &Call) -> ! {
    block_all();
    if let Some(s) = threads::current() {
        if !s.vfork_child.load(Ordering::Relaxed) {
            threads::release(s);
        }
    }
    crate::arch::syscall6(libc::SYS_exit as usize, [call.args[0], 0, 0, 0, 0, 0]);
    unreachable!("exit returned")
}

/// exit_group(2): the process's last chance to report (raw LD_PRELOAD mode, where the root
/// process prints the summary).
pub fn exit_group(call: &Call) -> ! {
    report::at_exit();
    sys::exit_group(call.args[0] as libc::c_int)
}

/// execve and execveat: the new image gets the runtime back even if the program cleared its
/// environment.
pub fn execve(call: &mut Call) -> isize {
    let envp_index = if call.nr == libc::SYS_execve as usize { 2 } else { 3 };
    // Under seccomp the exec'd image keeps the filter, which exempts the runtime's stubs at this
    // image's addresses only: the new image's loader and the runtime's own start-up would be
    // trapped with no handler installed yet (ASLR moves the library). The message names the
    // program's path (a shim may have rewritten the one the kernel would get).
    if backend::active() == Some(backend::Backend::Seccomp) {
        report::seccomp_exec_refused(call.orig_args[if envp_index == 2 { 0 } else { 1 }]);
        return -(libc::EPERM as isize);
    }
    let mut args = call.args;
    if !crate::execenv::available() {
        return crate::arch::syscall6(call.nr, args);
    }
    // A tracer of the program's own attached to this process since its image started (strace
    // run under selftrace, after forking its inferior): the new image is that tracer's, and ours
    // in it would show the tracer a SIGSYS stop for every call. It runs untraced; the environment
    // already lacks the runtime's variables. (Traced from the start, as under an outer strace
    // wrapping selftrace, the tree stays ours.)
    if !TRACED_AT_START.load(Ordering::Relaxed) && sys::tracer_pid() != 0 {
        return crate::arch::syscall6(call.nr, args);
    }
    // A process that changed its uid may no longer open the state file by its path: the new image
    // gets the descriptor kept before the change (see `state::keep_fd`), for this exec only.
    let mut fd_var = [0u8; crate::sys::FD_PATH_BYTES];
    let kept = crate::state::kept_fd();
    let mut extras: [&[u8]; 2] = [&[], &[]];
    let mut n = 0;
    if let Some(v) = crate::signals::exec_var() {
        extras[n] = v;
        n += 1;
    }
    if let Some(fd) = kept {
        extras[n] = crate::sys::fd_path(&mut fd_var, crate::init::ENV_STATE_FD_IS.as_bytes(), fd as u32);
        n += 1;
        let _ = crate::sys::set_cloexec(fd, false);
    }
    let env = match crate::execenv::build(args[envp_index], &extras[..n]) {
        Ok(env) => env,
        // An unreadable environment: the kernel decides what fails first (a missing file comes
        // before a bad envp), as without the runtime.
        Err(_) => return finish_exec(kept, crate::arch::syscall6(call.nr, args)),
    };
    args[envp_index] = env.envp();
    finish_exec(kept, crate::arch::syscall6(call.nr, args))
    // On success nothing returns; on failure `env` is unmapped when dropped.
}

/// close, close_range, dup2 and dup3 while the state descriptor is kept: the program's own
/// descriptors are closed or replaced as asked, the runtime's is not (a close of it alone
/// succeeds as if it had been closed).
pub fn around_kept_fd(call: &mut Call) -> isize {
    let Some(kept) = crate::state::kept_fd() else { return crate::arch::syscall6(call.nr, call.args) };
    match call.nr as libc::c_long {
        libc::SYS_close if call.args[0] as u32 as i32 == kept => 0,
        libc::SYS_close_range => {
            let (first, last, flags) = (call.args[0] as u32, call.args[1] as u32, call.args[2] as u32);
            let k = kept as u32;
            if first > last || k < first || k > last {
                return crate::arch::syscall6(call.nr, call.args);
            }
            let part =
                |a: u32, b: u32| crate::arch::syscall6(call.nr, [a as usize, b as usize, flags as usize, 0, 0, 0]);
            let mut ret = 0;
            if k > first {
                ret = part(first, k - 1);
            }
            if ret == 0 && k < last {
                ret = part(k + 1, last);
            }
            ret
        }
        libc::SYS_dup2 | libc::SYS_dup3 => {
            crate::state::kept_fd_wanted(call.args[1] as u32 as i32);
            crate::arch::syscall6(call.nr, call.args)
        }
        _ => crate::arch::syscall6(call.nr, call.args),
    }
}

/// Whether this image started ptraced (see `execve`); set at start-up.
static TRACED_AT_START: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Start-up: notes whether a tracer already follows this image.
pub fn note_tracer_at_start() {
    TRACED_AT_START.store(sys::tracer_pid() != 0, Ordering::Relaxed);
}

/// ptrace(PTRACE_TRACEME): a tracer takes this thread (gdb, strace or a debugger started under
/// selftrace forks its inferior this way). Every trap would then be a SIGSYS signal-delivery-stop
/// for the tracer to see, and a tracer that vforked waits for the exec before it looks: the
/// thread would stop forever. So the thread leaves the runtime once the call succeeds: SUD is
/// switched off, and what it execs (its environment has none of the runtime's variables, and
/// the exec is no longer trapped to put them back) runs untraced, under its own tracer only. A
/// seccomp filter cannot be removed: there the call fails with EPERM, and selftrace says why.
pub fn ptrace_traceme(call: &Call) -> isize {
    if backend::active() == Some(backend::Backend::Seccomp) {
        report::message(&[
            b"selftrace: ptrace(PTRACE_TRACEME) on the seccomp backend: every trapped call would stop the \
            process for its tracer, which cannot be undone; the call fails with EPERM (use --backend sud)",
        ]);
        return -(libc::EPERM as isize);
    }
    let ret = crate::arch::syscall6(call.nr, call.args);
    if ret == 0 {
        let _ = backend::sud::disarm();
    }
    ret
}

/// A failed exec: the kept state descriptor is close-on-exec again.
fn finish_exec(kept: Option<i32>, ret: isize) -> isize {
    if let Some(fd) = kept {
        let _ = crate::sys::set_cloexec(fd, true);
    }
    ret
}

/// arch_prctl: ARCH_SET_FS changes the thread pointer that keys the thread's slot.
pub fn arch_prctl(call: &mut Call) -> isize {
    const ARCH_SET_FS: usize = 0x1002;
    let old = if call.args[0] == ARCH_SET_FS { threads::current() } else { None };
    let ret = crate::arch::syscall6(call.nr, call.args);
    if let (0, Some(old)) = (ret, old) {
        match threads::rekey(old, call.args[1]) {
            Some(new) => start_task(Some(new)),
            None => report::fatal(b"cannot register a thread's new thread pointer", libc::EAGAIN),
        }
    }
    ret
}
