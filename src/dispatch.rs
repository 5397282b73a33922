//! The dispatch layer: what happens to a system call once its number and arguments are known,
//! independent of how it was trapped (SIGSYS today; a rewritten call site later calls [`dispatch`]
//! the same way with its own [`Frame`]).
//!
//! Order for each call: hooks' `enter` in registration order (the first that emulates wins), the
//! real call (or the runtime's own handling of calls that act on tasks, signals or the caller's
//! execution state), then `exit` callbacks in reverse order.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;

use syscalls::SysnoSet;

use crate::process::ChildBoot;
use crate::{config, process, signals, sys, threads};

/// The calling task's own tid if it is a vfork child still sharing its parent's memory and
/// thread slot (posix_spawn's child, until it execs or exits); None for everyone else. The slot
/// caches the parent's tid, so the child asks the kernel.
pub fn vfork_child_tid() -> Option<i32> {
    threads::current().filter(|s| s.vfork_child.load(Ordering::Relaxed)).map(|_| sys::gettid())
}

/// Per-process state of vfork children, kept apart from their parent's: such a child (see
/// [`vfork_child_tid`]) has credentials, a working directory, a descriptor table of its own,
/// but whatever a hook keeps in memory is its parent's. A table of `N` entries of `T` (atomics:
/// the table is used on the handler path, so it neither allocates nor locks), each owned by a
/// child's tid from [`claim`](Self::claim) until [`release`](Self::release), which the
/// parent's clone/clone3 exit does ([`clone_exit`](Self::clone_exit)): by then the child has
/// exec'd or exited. A child may own several entries (one per descriptor, say); `find` tells
/// them apart by their value.
pub struct VforkTable<T, const N: usize> {
    /// Each entry's owner: a tid, [`VFORK_FREE`] or [`VFORK_CLAIMING`].
    tids: [AtomicI32; N],
    values: [T; N],
}

/// A free [`VforkTable`] entry.
const VFORK_FREE: i32 = 0;
/// An entry being seeded by its claimer (no tid is negative, so no lookup matches it).
const VFORK_CLAIMING: i32 = -1;

impl<T, const N: usize> VforkTable<T, N> {
    /// A table with every entry free, holding `values` (what an entry holds before its first
    /// claim: claims seed it anyway).
    pub const fn new(values: [T; N]) -> Self {
        VforkTable { tids: [const { AtomicI32::new(VFORK_FREE) }; N], values }
    }

    /// Child `tid`'s entries.
    pub fn entries(&self, tid: i32) -> impl Iterator<Item = &T> {
        self.tids.iter().zip(&self.values).filter(move |(t, _)| t.load(Ordering::Acquire) == tid).map(|(_, v)| v)
    }

    /// The first entry of child `tid` whose value satisfies `pred`.
    pub fn find(&self, tid: i32, pred: impl Fn(&T) -> bool) -> Option<&T> {
        self.entries(tid).find(|v| pred(v))
    }

    /// Child `tid`'s (first) entry.
    pub fn get(&self, tid: i32) -> Option<&T> {
        self.find(tid, |_| true)
    }

    /// A new entry for child `tid`, set up by `seed` before any lookup can see it (typically
    /// from the parent's state, which the child inherited). None when every entry is taken.
    pub fn claim(&self, tid: i32, seed: impl FnOnce(&T)) -> Option<&T> {
        let i = self.tids.iter().position(|t| {
            t.load(Ordering::Relaxed) == VFORK_FREE
                && t.compare_exchange(VFORK_FREE, VFORK_CLAIMING, Ordering::Acquire, Ordering::Relaxed).is_ok()
        })?;
        seed(&self.values[i]);
        self.tids[i].store(tid, Ordering::Release);
        Some(&self.values[i])
    }

    /// Child `tid`'s entry, claimed (and seeded) if it has none yet.
    pub fn get_or_claim(&self, tid: i32, seed: impl FnOnce(&T)) -> Option<&T> {
        self.get(tid).or_else(|| self.claim(tid, seed))
    }

    /// Child `tid` has exec'd or exited: each of its entries is handed to `done` (to drop what
    /// it holds), then freed.
    pub fn release(&self, tid: i32, mut done: impl FnMut(&T)) {
        for (t, v) in self.tids.iter().zip(&self.values) {
            if t.load(Ordering::Acquire) == tid {
                done(v);
                t.store(VFORK_FREE, Ordering::Release);
            }
        }
    }

    /// From a hook's exit of clone/clone3 (`ret`: its result): in the parent, the child is done
    /// with its entries by now (a thread or fork child never had any; a vfork child has exec'd
    /// or exited), so they are released as [`release`](Self::release) does.
    pub fn clone_exit(&self, call: &Call, ret: isize, done: impl FnMut(&T)) {
        if ret > 0 && !call.in_vfork_child() {
            self.release(ret as i32, done);
        }
    }
}

/// One system call as the hooks see it: created by the dispatcher for each trapped call and
/// handed to every hook's [`Hook::enter`] (mutably: a hook may rewrite `args`) and
/// [`Hook::exit`].
#[derive(Debug, Clone)]
pub struct Call {
    /// The system call number (x86-64 numbering; [`Call::sysno`] names it).
    pub nr: usize,
    /// The arguments the kernel will get: a hook may change them (a path rewritten, a length cut).
    pub args: [usize; 6],
    /// The arguments as the program passed them (what a trace shows).
    pub orig_args: [usize; 6],
    /// What shims did to the call, for the trace to mark: [`MARK_INJECTED`], [`MARK_DELAYED`].
    pub marks: u8,
    /// Whether this call belongs to what the user asked to see (`-f`, or the initial thread).
    pub reported: bool,
    /// CLOCK_MONOTONIC at entry, in nanoseconds.
    pub start_ns: u64,
    /// The time spent in the real call (or emulation), in nanoseconds; set before `exit` runs.
    pub elapsed_ns: u64,
    /// Set in a fork child returning from the call: the parent reports the call, not the child.
    pub in_child: bool,
    /// Memory a hook may point an argument at (a rewritten timespec, say): it stays in place
    /// until the call's exit callbacks have run, restarts included.
    pub scratch: [u64; 4],
    /// The address after the program's `syscall` instruction (strace's `-i`); 0 where there is
    /// none (a call that arrived by function call, see [`crate::fastpath`]).
    pub ip: usize,
}

/// The call's result was injected (strace prints ` (INJECTED)` after it).
pub const MARK_INJECTED: u8 = 1;
/// The call was delayed on entry or exit (strace prints ` (DELAYED)`).
pub const MARK_DELAYED: u8 = 2;
/// With [`MARK_INJECTED`]: the result is a `retval=`, which strace prints as an unsigned number
/// even where it looks like an error.
pub const MARK_INJECTED_RETVAL: u8 = 4;
/// The trace's `-P` found that the call touches one of its paths (set at entry, where
/// descriptors are still open; read at exit).
pub const MARK_PATH_TRACED: u8 = 16;
/// A shim acted on the call in a way the trace does not show (inject's `signal=`); for the
/// shim's own exit callback.
pub const MARK_TAMPERED: u8 = 8;

impl Call {
    /// A call as the program made it: `orig_args` = `args`, nothing marked or timed.
    pub fn new(nr: usize, args: [usize; 6]) -> Call {
        Call {
            nr,
            args,
            orig_args: args,
            marks: 0,
            reported: false,
            start_ns: 0,
            elapsed_ns: 0,
            in_child: false,
            scratch: [0; 4],
            ip: 0,
        }
    }

    /// The call's number as a [`syscalls::Sysno`] (None for numbers the crate does not name).
    pub fn sysno(&self) -> Option<syscalls::Sysno> {
        syscalls::Sysno::new(self.nr)
    }

    /// Argument `i` (0-based) as the kernel reads an `int`: the low 32 bits, sign-extended.
    pub fn arg_i32(&self, i: usize) -> i32 {
        self.args[i] as i32
    }

    /// Argument `i` as an unsigned 32-bit value (flags, modes).
    pub fn arg_u32(&self, i: usize) -> u32 {
        self.args[i] as u32
    }

    /// Argument `i` as a pointer-sized signed value (offsets, `-errno` style values).
    pub fn arg_isize(&self, i: usize) -> isize {
        self.args[i] as isize
    }

    /// The calling thread's kernel id.
    pub fn tid(&self) -> i32 {
        match threads::current() {
            Some(s) => s.tid.load(Ordering::Relaxed),
            None => sys::gettid(),
        }
    }

    /// Whether the calling task is a vfork child still sharing its parent's memory (posix_spawn's
    /// child, until it execs or exits): whatever a hook keeps in memory is its parent's then, so
    /// per-process state must be neither reset nor updated from it.
    pub fn in_vfork_child(&self) -> bool {
        threads::current().is_some_and(|s| s.vfork_child.load(Ordering::Relaxed))
    }

    /// The calling process's id. A vfork child sharing its parent's memory (posix_spawn) has
    /// the parent's cached pid in that memory: it asks the kernel.
    pub fn pid(&self) -> i32 {
        if self.in_vfork_child() {
            sys::getpid()
        } else {
            process::pid()
        }
    }
}

/// A hook's decision about a call, made after seeing its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Run the call (with whatever arguments the hook left in `Call::args`) and call `exit`.
    Run,
    /// Run the call; no `exit` callback for this hook.
    RunNoExit,
    /// Skip the kernel: the call returns this raw value (`-errno` for an error).
    Emulate(isize),
}

impl Verdict {
    /// Skip the kernel; the call fails with `errno` (positive, e.g. `libc::EACCES`).
    pub fn error(errno: i32) -> Verdict {
        Verdict::Emulate(-(errno as isize))
    }
}

/// A system-call hook. Runs on the handler path: it must not allocate, lock what the program may
/// hold, or call libc functions that make system calls.
///
/// Register one with [`crate::init::register_hook`] (or [`crate::preload!`]) before the runtime
/// starts. Hooks run on the thread that made the call, possibly on several threads at once
/// (hence `Sync`: keep state in atomics): inside the SIGSYS handler, or (the fast path, see
/// [`crate::fastpath`]) inside the program's call to libc's `read`, `write` and the like; write
/// them for both as for a signal handler. Calls a hook makes itself go straight to the kernel
/// and never reach the hooks. A program signal handler that interrupts a hook is program code:
/// its calls reach the hooks like any other, so a hook may be re-entered on the same thread,
/// as async-signal-safe code may. Make system calls through [`crate::sys`] (the runtime's
/// exempt stub: errno untouched) and touch the program's memory only through [`crate::mem`].
pub trait Hook: Sync {
    /// The calls this hook wants (None: all). The seccomp backend traps only the union.
    fn syscalls(&self) -> Option<SysnoSet> {
        None
    }
    /// Called before the call runs, in chain order; may rewrite `call.args`. Returns whether to
    /// run it (and be called back on exit) or to emulate it: the first hook that emulates ends
    /// the enter phase and the kernel never sees the call. The default runs it.
    ///
    /// On SUD every hook's `enter` sees every call, whatever [`Hook::syscalls`] says: filter on
    /// `call.nr` (return [`Verdict::RunNoExit`] for calls you do not handle).
    fn enter(&self, _call: &mut Call) -> Verdict {
        Verdict::Run
    }
    /// Called after the call (for hooks whose `enter` returned [`Verdict::Run`] or emulated it),
    /// in reverse chain order, with the raw result (`-errno` on failure), which it may change.
    /// For `exit` and `exit_group` it runs just before the task ends, with `*ret == 0`.
    fn exit(&self, _call: &Call, _ret: &mut isize) {}
    /// Whether this hook reads [`Call::start_ns`] or [`Call::elapsed_ns`]. The dispatcher reads
    /// the clock around each call only when some hook does (two clock reads a call); the default
    /// says yes.
    fn timed(&self) -> bool {
        true
    }
}

/// What a trap mechanism provides for calls that act on the caller's own execution state.
pub trait Frame {
    /// Writes a boot record below `top` (the new task's stack pointer) from which the new task
    /// resumes the program at the call site with the caller's registers, RAX = 0 and stack
    /// pointer `top`. Returns the record's address, to be the kernel's child stack pointer.
    ///
    /// # Safety
    /// `top` must be the child stack the program passed to clone.
    unsafe fn child_record(&mut self, top: usize, clone_flags: u64, boot: ChildBoot) -> Option<usize>;
    /// The function that resumes a new task from the record's `resume_arg`.
    fn resume_fn(&self) -> unsafe fn(usize) -> !;
    /// Performs rt_sigreturn on the caller's behalf.
    fn sigreturn(&mut self) -> !;
    /// What rt_sigreturn will leave in RAX (reported as its result).
    fn sigreturn_value(&self) -> isize;
    /// The program's stack pointer at the call.
    fn stack_pointer(&self) -> usize;
    /// The program's signal mask: the one in force when the call returns to the program.
    fn signal_mask(&self) -> u64;
    /// Changes the mask the program returns with. (A signal handler's rt_sigreturn restores the
    /// mask saved at delivery: a change made with a real rt_sigprocmask inside the handler would
    /// be undone on the way out.)
    fn set_signal_mask(&mut self, mask: u64);
    /// Records the alternate signal stack the program now has, for the same reason: rt_sigreturn
    /// also restores `uc_stack`.
    fn set_alt_stack(&mut self, ss: libc::stack_t);
    /// The address after the program's `syscall` instruction; 0 when the call did not come
    /// from one.
    fn instruction_pointer(&self) -> usize {
        0
    }
}

static HOOKS: OnceLock<Vec<&'static dyn Hook>> = OnceLock::new();

/// The longest hook chain: which hooks want an exit callback is one bit each of a `u64`.
pub const MAX_HOOKS: usize = 64;

/// Installs the hook chain (at most [`MAX_HOOKS`]). Start-up only, before the trap is armed.
/// A longer chain is an error for the start-up to report, not a panic in the program.
pub fn set_hooks(hooks: Vec<&'static dyn Hook>) -> Result<(), String> {
    if hooks.len() > MAX_HOOKS {
        return Err(format!(
            "too many hooks: {} (tracing, -c, registered hooks, --hook plugins and shims together; at most {MAX_HOOKS})",
            hooks.len()
        ));
    }
    TIMED.store(hooks.iter().any(|h| h.timed()), Ordering::Relaxed);
    let _ = HOOKS.set(hooks);
    Ok(())
}

/// Some hook reads the call's times (see [`Hook::timed`]).
static TIMED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(true);

#[inline]
fn clock() -> u64 {
    if TIMED.load(Ordering::Relaxed) {
        sys::now_ns()
    } else {
        0
    }
}

fn hooks() -> &'static [&'static dyn Hook] {
    HOOKS.get().map_or(&[], |v| v.as_slice())
}

/// The union of the hooks' sets (None: some hook wants every call).
pub fn wanted() -> Option<SysnoSet> {
    let mut all = runtime_calls();
    for h in hooks() {
        all = all.union(&h.syscalls()?);
    }
    Some(all)
}

/// Calls the runtime must see whatever the hooks want: those that keep SIGSYS deliverable
/// (masks, actions, the masks rt_sigreturn restores), create or replace tasks, or end them.
/// (arch_prctl, which moves a thread's slot key, matters for SUD's per-thread selector only, and
/// SUD traps everything.)
pub fn runtime_calls() -> SysnoSet {
    use syscalls::Sysno::*;
    SysnoSet::new(&[
        clone,
        clone3,
        fork,
        vfork,
        execve,
        execveat,
        exit,
        exit_group,
        rt_sigreturn,
        rt_sigaction,
        rt_sigprocmask,
        rt_sigsuspend,
        ppoll,
        pselect6,
        epoll_pwait,
        epoll_pwait2,
        sigaltstack,
        prctl,
    ])
}

/// Whether the calling thread's calls are reported.
pub(crate) fn reported(slot: Option<&threads::Slot>) -> bool {
    let cfg = config::get();
    if cfg.follow {
        return true;
    }
    let root = cfg.root_pid();
    match slot {
        Some(s) => !s.vfork_child.load(Ordering::Relaxed) && s.tid.load(Ordering::Relaxed) == root,
        None => sys::gettid() == root,
    }
}

/// Marks the calling thread as running hook code for as long as it lives. On SUD the thread's
/// selector is set to ALLOW meanwhile, so a hook's own system calls (through libc, say) go
/// straight to the kernel; any that still trap (seccomp) find `in_hook` set and bypass the hooks.
struct HookGuard(Option<&'static threads::Slot>);

impl HookGuard {
    fn enter(slot: Option<&'static threads::Slot>) -> HookGuard {
        if let Some(s) = slot {
            s.in_hook.store(true, Ordering::Relaxed);
            s.selector.store(crate::backend::sud::SELECTOR_ALLOW, Ordering::Relaxed);
        }
        HookGuard(slot)
    }
}

impl Drop for HookGuard {
    fn drop(&mut self) {
        if let Some(s) = self.0 {
            s.selector.store(crate::backend::sud::SELECTOR_BLOCK, Ordering::Relaxed);
            s.in_hook.store(false, Ordering::Relaxed);
        }
    }
}

/// Shows the hooks a call the runtime performed on the program's behalf without a trap (the
/// rt_sigreturn a program's SIGSYS handler would have made, had the kernel run it): enter and
/// exit callbacks with the given result; nothing is executed.
pub fn observe(nr: usize, args: [usize; 6], ret: isize) {
    let slot = threads::current();
    if slot.is_some_and(|s| s.in_hook.load(Ordering::Relaxed)) {
        return;
    }
    let mut call = Call::new(nr, args);
    call.reported = reported(slot);
    call.start_ns = clock();
    let hooks = hooks();
    let mut want_exit: u64 = 0;
    for (i, h) in hooks.iter().enumerate() {
        let _guard = HookGuard::enter(slot);
        if h.enter(&mut call) == Verdict::Run {
            want_exit |= 1 << i;
        }
    }
    let mut ret = ret;
    run_exits(slot, hooks, want_exit, &call, &mut ret);
}

/// Runs one trapped call through the hooks and the kernel; returns what the program sees in RAX.
pub fn dispatch(nr: usize, args: [usize; 6], frame: &mut dyn Frame) -> isize {
    let mut call = Call::new(nr, args);
    call.ip = frame.instruction_pointer();
    if nr == libc::SYS_rt_sigreturn as usize {
        // It has no arguments; what it restores is the frame at the stack pointer, which is what
        // hooks (and the trace: `rt_sigreturn({mask=[]})`) need to see.
        call.args[0] = frame.stack_pointer();
        call.orig_args[0] = call.args[0];
    }
    let slot = threads::current();
    if slot.is_some_and(|s| s.in_hook.load(Ordering::Relaxed)) {
        // A hook's own call (seccomp backend): performed, not shown to the hooks.
        return perform(&mut call, frame, slot, &[], 0);
    }
    call.reported = reported(slot);
    call.start_ns = clock();
    let hooks = hooks();
    // Which hooks asked for an exit callback (bit i = hook i).
    let mut want_exit: u64 = 0;
    let mut emulated = None;
    for (i, h) in hooks.iter().enumerate() {
        let verdict = {
            let _guard = HookGuard::enter(slot);
            h.enter(&mut call)
        };
        match verdict {
            Verdict::Run => want_exit |= 1 << i,
            Verdict::RunNoExit => {}
            Verdict::Emulate(v) => {
                want_exit |= 1 << i;
                emulated = Some(v);
                break;
            }
        }
    }
    if let Some(s) = slot {
        s.written[1].store(0, Ordering::Relaxed);
    }
    let mut ret = match emulated {
        Some(v) => v,
        None => {
            let ret = perform(&mut call, frame, slot, hooks, want_exit);
            sys::kernel_wrote(slot, call.nr, &call.args, ret);
            ret
        }
    };
    if call.in_child {
        return ret;
    }
    call.elapsed_ns = clock().saturating_sub(call.start_ns);
    run_exits(slot, hooks, want_exit, &call, &mut ret);
    ret
}

fn run_exits(
    slot: Option<&'static threads::Slot>,
    hooks: &[&'static dyn Hook],
    want_exit: u64,
    call: &Call,
    ret: &mut isize,
) {
    if want_exit == 0 {
        return;
    }
    let _guard = HookGuard::enter(slot);
    for (i, h) in hooks.iter().enumerate().rev() {
        if want_exit & (1 << i) != 0 {
            h.exit(call, ret);
        }
    }
}

/// The real call, or the runtime's own handling of the calls it must perform itself.
#[allow(non_upper_case_globals)]
fn perform(
    call: &mut Call,
    frame: &mut dyn Frame,
    slot: Option<&'static threads::Slot>,
    hooks: &[&'static dyn Hook],
    want_exit: u64,
) -> isize {
    use libc::*;
    match call.nr as c_long {
        SYS_clone | SYS_clone3 | SYS_fork | SYS_vfork => process::clone(call, frame),
        SYS_execve | SYS_execveat => process::execve(call),
        // They do not return: exit callbacks see them now (a trace prints `= ?`).
        SYS_exit => {
            run_exits(slot, hooks, want_exit, call, &mut 0);
            process::exit_thread(call)
        }
        SYS_exit_group => {
            run_exits(slot, hooks, want_exit, call, &mut 0);
            process::exit_group(call)
        }
        SYS_rt_sigreturn => {
            // Never returns: exit callbacks see the value it restores.
            call.elapsed_ns = clock().saturating_sub(call.start_ns);
            let mut ret = frame.sigreturn_value();
            run_exits(slot, hooks, want_exit, call, &mut ret);
            frame.sigreturn()
        }
        SYS_arch_prctl => process::arch_prctl(call),
        // The state descriptor a process keeps after a uid change (see `state::keep_fd`)
        // survives the program's closing of "all" its descriptors (daemons, python's
        // subprocess); a dup2 onto its number moves it first.
        SYS_close | SYS_close_range | SYS_dup2 | SYS_dup3 if crate::state::kept_fd().is_some() => {
            process::around_kept_fd(call)
        }
        SYS_ptrace if call.args[0] == PTRACE_TRACEME as usize => process::ptrace_traceme(call),
        // A uid or capability change may take away the right to open the state file by path,
        // which the next exec'd image needs: keep a descriptor while it can still be opened.
        SYS_setuid | SYS_setreuid | SYS_setresuid | SYS_setfsuid | SYS_capset => {
            if let Some(cfg) = crate::config::try_get() {
                crate::state::keep_fd(&cfg.state_path);
            }
            crate::arch::syscall6(call.nr, call.args)
        }
        SYS_rt_sigaction => signals::rt_sigaction(call),
        SYS_rt_sigprocmask => signals::rt_sigprocmask(call, frame),
        SYS_sigaltstack => signals::sigaltstack(call, frame),
        SYS_rt_sigsuspend => signals::with_mask_arg(call, 0),
        SYS_ppoll => signals::with_mask_arg(call, 3),
        SYS_epoll_pwait | SYS_epoll_pwait2 => signals::with_mask_arg(call, 4),
        SYS_pselect6 => signals::pselect6(call),
        // The program's own Syscall User Dispatch would replace the runtime's (one per thread):
        // it is told the kernel has none, as a kernel < 5.11 would.
        SYS_prctl if call.args[0] == crate::backend::sud::PR_SET_SYSCALL_USER_DISPATCH as usize => -(EINVAL as isize),
        _ => crate::arch::syscall6(call.nr, call.args),
    }
}

#[cfg(test)]
mod tests {
    use super::VforkTable;
    use std::sync::atomic::{AtomicI32, Ordering};

    #[test]
    fn vfork_table_claims_seeds_finds_and_releases() {
        let t: VforkTable<AtomicI32, 2> = VforkTable::new([const { AtomicI32::new(-1) }; 2]);
        assert!(t.get(100).is_none());
        let e = t.get_or_claim(100, |v| v.store(7, Ordering::Relaxed)).unwrap();
        assert_eq!(e.load(Ordering::Relaxed), 7);
        // A second get_or_claim finds the entry instead of seeding another.
        let again = t.get_or_claim(100, |v| v.store(8, Ordering::Relaxed)).unwrap();
        assert!(std::ptr::eq(e, again));
        assert_eq!(again.load(Ordering::Relaxed), 7);
        // Several entries per child, told apart by value; the table is then full.
        t.claim(100, |v| v.store(9, Ordering::Relaxed)).unwrap();
        assert_eq!(t.find(100, |v| v.load(Ordering::Relaxed) == 9).map(|v| v.load(Ordering::Relaxed)), Some(9));
        assert_eq!(t.entries(100).count(), 2);
        assert!(t.claim(200, |_| {}).is_none());
        let mut seen = Vec::new();
        t.release(100, |v| seen.push(v.load(Ordering::Relaxed)));
        assert_eq!(seen, [7, 9]);
        assert_eq!(t.entries(100).count(), 0);
        // Freed entries serve the next child, seeded afresh.
        assert_eq!(t.claim(200, |v| v.store(1, Ordering::Relaxed)).map(|v| v.load(Ordering::Relaxed)), Some(1));
        assert!(t.get(100).is_none());
    }
}
