//! The tracing hook: formats each reported call of the traced set in the calling thread (only
//! it can read the program's memory as it was) and appends the pieces to the trace log.

use core::sync::atomic::Ordering;

use syscalls::SysnoSet;

use super::filter::{StatusFilter, SyscallSet};

use super::decode::{self, Phase};
use super::out::Out;
use super::ring::{self, Ring};
use super::TraceOpts;
use crate::dispatch::{Call, Hook, Verdict, MARK_DELAYED, MARK_INJECTED, MARK_INJECTED_RETVAL, MARK_PATH_TRACED};
use crate::{process, sys, threads};

/// Formatting levels per thread (a signal handler that interrupts formatting gets the next).
const LEVELS: usize = 4;
/// Bytes per level: a line with -s 4096 strings and a few structures fits.
const LEVEL_BYTES: usize = 64 * 1024;

/// The tracing hook of this process, for what happens outside a call (signal deliveries).
static ACTIVE: std::sync::OnceLock<&'static TraceHook> = std::sync::OnceLock::new();

/// Marks a call in progress that a signal handler interrupted.
const INTERRUPTED: u32 = 1 << 31;
/// Marks a call whose result was printed when a signal arrived right after it completed.
const PRINTED: u32 = 1 << 30;

/// What strace shows for a call interrupted by a signal that has a handler, before the handler
/// runs (the program itself never sees these codes: the kernel restarts the call or makes it
/// fail with EINTR).
fn restart_code(nr: u32) -> isize {
    const ERESTARTSYS: isize = 512;
    const ERESTARTNOHAND: isize = 514;
    const ERESTART_RESTARTBLOCK: isize = 516;
    -(match nr as libc::c_long {
        libc::SYS_nanosleep | libc::SYS_clock_nanosleep => ERESTART_RESTARTBLOCK,
        libc::SYS_pause
        | libc::SYS_rt_sigsuspend
        | libc::SYS_poll
        | libc::SYS_ppoll
        | libc::SYS_select
        | libc::SYS_pselect6 => ERESTARTNOHAND,
        libc::SYS_epoll_wait | libc::SYS_epoll_pwait | libc::SYS_epoll_pwait2 => libc::EINTR as isize,
        _ => ERESTARTSYS,
    })
}

/// Whether the context a signal interrupted is one of the runtime's system calls that the
/// signal cut short: stopped in the exempt stub with EINTR, or rewound onto its `syscall`
/// instruction for a restart. (A signal that arrives after a call completed, such as one the
/// program sent itself with kill, finds the call's real result in RAX instead.)
fn call_state(ctx: *const libc::c_void) -> CallState {
    if ctx.is_null() {
        return CallState::Elsewhere;
    }
    // SAFETY: the kernel's ucontext for this delivery (SA_SIGINFO).
    let uc = unsafe { &*(ctx as *const libc::ucontext_t) };
    let rip = crate::arch::resume_address(uc);
    let rax = uc.uc_mcontext.gregs[libc::REG_RAX as usize];
    let (start, len) = crate::arch::exempt_region();
    if rip.wrapping_sub(start) >= len || rip < start + 2 {
        return CallState::Elsewhere;
    }
    // SAFETY: rip - 2 .. rip + 2 lie in the exempt region, the runtime's own code.
    let (before, at) = unsafe {
        (core::slice::from_raw_parts((rip - 2) as *const u8, 2), core::slice::from_raw_parts(rip as *const u8, 2))
    };
    if rax == -(libc::EINTR as i64) || at == [0x0f, 0x05] {
        CallState::CutShort
    } else if before == [0x0f, 0x05] {
        CallState::Completed(rax as isize)
    } else {
        CallState::Elsewhere
    }
}

/// Where a signal found the thread's innermost call.
enum CallState {
    /// Interrupted: it fails with EINTR or is restarted.
    CutShort,
    /// It had returned this result to the runtime's stub.
    Completed(isize),
    /// Not in a system call of the runtime's.
    Elsewhere,
}

/// A program signal handler is about to run on this thread (`info`, `ctx`: the handler's
/// arguments): the traced call it cut short (if any) prints its restart code, then strace's
/// `--- SIGNAME {siginfo} ---` line. Called from the handler wrapper. `in_hook`: the signal
/// interrupted a hook, whose own system calls (an inject delay's sleep, say) are not the call's.
pub fn signal_delivered(sig: i32, info: *const libc::siginfo_t, ctx: *const libc::c_void, in_hook: bool) {
    let (Some(hook), Some(slot)) = (ACTIVE.get(), threads::current()) else { return };
    let depth = slot.call_depth.load(Ordering::Relaxed) as usize;
    if depth > 0 && depth <= slot.calls.len() && !in_hook {
        let top = &slot.calls[depth - 1];
        let nr = top.load(Ordering::Relaxed);
        // What to print for the call now, and how to mark it: cut short, it shows strace's
        // restart code; completed (a signal the program sent itself arrives right after the
        // call returns), it shows its result before the signal's line, as strace does.
        let now = match call_state(ctx) {
            CallState::CutShort if nr & (INTERRUPTED | PRINTED) == 0 => Some((restart_code(nr), INTERRUPTED)),
            CallState::Completed(ret) if nr & (INTERRUPTED | PRINTED) == 0 && hook.status.is_all() => {
                Some((ret, PRINTED))
            }
            _ => None,
        };
        if let Some((ret, mark)) = now {
            top.store(nr | mark, Ordering::Relaxed);
            if !hook.json {
                let nr = (nr & !(INTERRUPTED | PRINTED)) as usize;
                let args = slot.call_args[depth - 1].each_ref().map(|a| a.load(Ordering::Relaxed));
                let carried = carried_at(slot, depth - 1);
                if let Some(mut s) = Scratch::get() {
                    hook.finish(&mut s, nr, args, ret, 0, carried, 0, 0);
                }
            }
        }
    }
    if hook.json || !crate::dispatch::reported(Some(slot)) || !super::filter::signal_in_set(hook.signals, sig) {
        return;
    }
    let mut si = [0u64; 16];
    if !info.is_null() {
        // SAFETY: the kernel's siginfo for this delivery, 128 bytes.
        si = unsafe { core::ptr::read_unaligned(info as *const [u64; 16]) };
    }
    if let Some(s) = Scratch::get() {
        let mut o = Out::new(s.buf);
        o.s("--- ");
        o.s(super::decode::process::signame(sig as i64).unwrap_or("SIG???"));
        o.byte(b' ');
        super::decode::process::print_siginfo(&mut o, &hook.opts, &si);
        o.s(" ---");
        let mut h = hook.stamped(ring::LINE);
        // -n: the call the signal found (strace's latest number of the task); -i: where the
        // program was, when it was not in one of the runtime's calls (strace reads the
        // registers at the stop; for a call, the task's latest address stands).
        if depth > 0 && depth <= slot.calls.len() {
            h.nr = slot.calls[depth - 1].load(Ordering::Relaxed) & !(INTERRUPTED | PRINTED);
        }
        if !ctx.is_null() && matches!(call_state(ctx), CallState::Elsewhere) && depth == 0 {
            // SAFETY: the kernel's ucontext for this delivery (SA_SIGINFO).
            h.ip = crate::arch::resume_address(unsafe { &*(ctx as *const libc::ucontext_t) }) as u64;
        }
        hook.ring.append(h, &[o.as_bytes()]);
    }
}

/// The tracing hook (`-e trace=` and what prints): at each reported call's entry and exit it
/// formats the line in the thread's scratch memory and appends it to the trace log, where the
/// drainer ([`render`](crate::trace::render)) assembles the output. Built at start-up; its
/// callbacks run on the handler path (no allocation, no locks).
pub struct TraceHook {
    /// `-e trace=`.
    pub set: SyscallSet,
    /// `-e status=`, `-z`, `-Z`: lines held until the result is known when not all.
    pub status: StatusFilter,
    /// `-e signal=`: signals whose deliveries print (bit `sig - 1`).
    pub signals: u64,
    /// How values print.
    pub opts: TraceOpts,
    /// The trace log in the tree's shared state.
    pub ring: Ring,
    /// `--json`: one object per call, written when it returns.
    pub json: bool,
    /// `-T` (JSON objects carry the duration).
    pub time_spent: bool,
    /// `-t`, `-tt`, `-ttt` or `-r`: records carry the time of day.
    pub timestamps: bool,
    /// `-n`: JSON objects carry the call's number (`"nr":39`; lines get it from the drainer).
    pub syscall_number: bool,
    /// `-P`: only calls that touch these paths print.
    pub paths: Option<super::pathtrace::PathTrace>,
}

/// A formatting buffer for the calling thread, released on drop.
struct Scratch {
    slot: Option<&'static threads::Slot>,
    buf: &'static mut [u8],
}

impl Scratch {
    fn get() -> Option<Scratch> {
        let slot = threads::current()?;
        let mut base = slot.scratch.load(Ordering::Relaxed);
        if base == 0 {
            base = sys::mmap_anon(LEVELS * LEVEL_BYTES).ok()?;
            slot.scratch.store(base, Ordering::Relaxed);
        }
        let level = slot.scratch_depth.fetch_add(1, Ordering::Relaxed) as usize;
        if level >= LEVELS {
            slot.scratch_depth.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        // SAFETY: each level is a disjoint LEVEL_BYTES part of the thread's own mapping, held by
        // this Scratch until it is dropped (nested handlers take higher levels).
        let buf = unsafe { core::slice::from_raw_parts_mut((base + level * LEVEL_BYTES) as *mut u8, LEVEL_BYTES) };
        Some(Scratch { slot: Some(slot), buf })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(s) = self.slot {
            s.scratch_depth.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn tid() -> i32 {
    match threads::current() {
        Some(s) => s.tid.load(Ordering::Relaxed),
        None => sys::gettid(),
    }
}

impl TraceHook {
    /// A record of `kind` from the calling thread, with the time of day when lines show it (a
    /// clock read per record otherwise).
    fn stamped(&self, kind: u32) -> ring::Header {
        let mut h = ring::header(kind, tid(), process::pid());
        if self.timestamps {
            h.ts_ns = crate::vdso::realtime_ns();
        }
        h
    }

    /// [`stamped`](Self::stamped) for a record about call `nr` made at `ip`.
    fn stamped_call(&self, kind: u32, nr: usize, ip: usize) -> ring::Header {
        let mut h = self.stamped(kind);
        h.nr = nr as u32;
        h.ip = if ip == 0 { ring::IP_NONE } else { ip as u64 };
        h
    }

    /// Makes this the hook signal deliveries report to. Start-up only.
    pub fn activate(&'static self) {
        let _ = ACTIVE.set(self);
    }

    fn traced(&self, call: &Call) -> bool {
        call.reported && self.set.contains_nr(call.nr) && (self.paths.is_none() || call.marks & MARK_PATH_TRACED != 0)
    }

    /// `-P`, at entry: marks the call if it touches one of the paths.
    fn select_path(&self, call: &mut Call) {
        if let Some(p) = &self.paths {
            if call.reported && self.set.contains_nr(call.nr) && p.matches(call.nr, &call.orig_args) {
                call.marks |= MARK_PATH_TRACED;
            }
        }
    }

    /// `+++ exited with N +++` for the calling thread (exit) or its whole process (exit_group).
    fn task_end(&self, kind: u32, nr: usize, code: usize) {
        let mut b = [0u8; 64];
        let mut o = Out::new(&mut b);
        o.s("+++ exited with ");
        o.i64((code & 0xff) as i64);
        o.s(" +++");
        let mut h = self.stamped_call(kind, nr, 0);
        // strace reads the registers of a task that is gone: `[????????????????]`.
        h.ip = ring::IP_NONE;
        self.ring.append(h, &[o.as_bytes()]);
        ring::ring_doorbell(self.ring.ctl);
    }

    /// The new image of a successful execve: its result (the old image printed the call).
    pub fn exec_returned(&self, first_image_args: Option<(usize, [usize; 6])>) {
        let nr = libc::SYS_execve as usize;
        if let Some(p) = &self.paths {
            // -P: the first image's execve shows if its path is one of them; a later one's
            // result follows its entry, which the old image printed or not (the drainer drops
            // a result without one).
            if first_image_args.is_some_and(|(nr0, args)| !p.matches(nr0, &args)) {
                return;
            }
        }
        let Some(mut s) = Scratch::get() else { return };
        if self.json {
            match first_image_args {
                Some((nr0, args)) => self.json_record(&mut s, ring::JSON, nr0, args, 0, 0, None, 0),
                None => self.ring.append(ring::header(ring::EXEC_OK, tid(), process::pid()), &[]),
            }
            return;
        }
        if let Some((nr0, args)) = first_image_args {
            let mut o = Out::new(s.buf);
            decode::decode(&mut o, nr0, args, 0, Phase::Entry, &self.opts);
            // The launcher's execve: where it was made is not known here.
            let h = self.stamped_call(ring::ENTRY, nr0, 0);
            self.ring.append(h, &[o.as_bytes()]);
        }
        self.finish(&mut s, nr, [0; 6], 0, 0, None, 0, 0);
    }

    /// A child reaped by the traced program: if a signal killed it (SIGKILL cannot be caught, so
    /// it could not say so itself), the drainer prints its end unless it printed one already.
    fn reaped(&self, nr: usize, args: [usize; 6], ret: isize) {
        if ret <= 0 || !matches!(nr as libc::c_long, libc::SYS_wait4 | libc::SYS_waitid) {
            return;
        }
        let (pid, sig, core) = if nr == libc::SYS_wait4 as usize {
            let Ok(status) = sys::read_val::<i32>(args[1]) else { return };
            if args[1] == 0 || !libc::WIFSIGNALED(status) {
                return;
            }
            (ret as i32, libc::WTERMSIG(status), libc::WCOREDUMP(status))
        } else {
            // waitid fills a siginfo: si_code CLD_KILLED / CLD_DUMPED, si_pid at 16, si_status at 24.
            let Ok(info) = sys::read_val::<[i32; 8]>(args[2]) else { return };
            let code = info[2];
            if code != libc::CLD_KILLED && code != libc::CLD_DUMPED {
                return;
            }
            (info[4], info[6], code == libc::CLD_DUMPED)
        };
        let mut h = ring::header(ring::KILLED, pid, 0);
        if self.timestamps {
            h.ts_ns = crate::vdso::realtime_ns();
        }
        h.split = sig as u32 | if core { 0x100 } else { 0 };
        self.ring.append(h, &[]);
    }

    /// Entry, tail and result in one record (status filtering).
    fn whole_call(&self, s: &mut Scratch, call: &Call, ret: isize, carried: Option<[u64; 3]>) {
        self.reaped(call.nr, call.orig_args, ret);
        let mut o = Out::new(s.buf);
        // The entry phase runs again, after the call: what the real one carried lets it print
        // the values the call has since overwritten (splice's offsets) as they were.
        decode::decode_with(&mut o, call.nr, call.orig_args, 0, Phase::Entry, &self.opts, carried);
        let entry = o.len();
        let outcome = decode::decode_with(&mut o, call.nr, call.orig_args, ret, Phase::Exit, &self.opts, carried);
        let tail = o.len();
        write_result_marked(&mut o, ret, &outcome, &self.opts, call.marks);
        let mut h = self.stamped_call(ring::CALL, call.nr, call.ip);
        h.split = entry as u32;
        h.split2 = tail as u32;
        h.dur_ns = call.elapsed_ns;
        self.ring.append(h, &[o.as_bytes()]);
    }

    #[allow(clippy::too_many_arguments)]
    fn json_record(
        &self,
        s: &mut Scratch,
        kind: u32,
        nr: usize,
        args: [usize; 6],
        ret: isize,
        dur_ns: u64,
        carried: Option<[u64; 3]>,
        marks: u8,
    ) {
        let mut o = Out::new(s.buf);
        let dur = self.time_spent.then_some(dur_ns);
        decode::write_json(&mut o, process::pid(), nr, args, ret, dur, &self.opts, carried);
        // Fields after the decoded ones: the inject shim's marks (the text trace's ` (INJECTED)` /
        // ` (DELAYED)`) and -n's number.
        let extra = marks & (MARK_INJECTED | MARK_DELAYED) != 0 || self.syscall_number;
        if extra && o.as_bytes().last() == Some(&b'}') {
            o.truncate(o.len() - 1);
            if marks & MARK_INJECTED != 0 {
                o.s(",\"injected\":true");
            }
            if marks & MARK_DELAYED != 0 {
                o.s(",\"delayed\":true");
            }
            if self.syscall_number {
                o.s(",\"nr\":");
                o.u64(nr as u64);
            }
            o.byte(b'}');
        }
        self.ring.append(ring::header(kind, tid(), process::pid()), &[o.as_bytes()]);
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        s: &mut Scratch,
        nr: usize,
        args: [usize; 6],
        ret: isize,
        dur_ns: u64,
        carried: Option<[u64; 3]>,
        marks: u8,
        ip: usize,
    ) {
        // A wait's child killed by a signal: its end before the wait's own result, as strace
        // shows a death while the parent waits.
        self.reaped(nr, args, ret);
        let mut o = Out::new(s.buf);
        let outcome = decode::decode_with(&mut o, nr, args, ret, Phase::Exit, &self.opts, carried);
        let split = o.len();
        write_result_marked(&mut o, ret, &outcome, &self.opts, marks);
        let mut h = self.stamped(ring::EXIT);
        h.nr = nr as u32;
        // 0: the task's latest address.
        h.ip = ip as u64;
        h.split = split as u32;
        h.dur_ns = dur_ns;
        self.ring.append(h, &[o.as_bytes()]);
    }
}

impl Hook for TraceHook {
    fn timed(&self) -> bool {
        // -T prints the time spent (lines and JSON objects).
        self.time_spent
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        Some(self.set.to_sysno_set())
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        if !call.reported {
            return Verdict::RunNoExit;
        }
        self.select_path(call);
        if !self.traced(call) {
            // Ends of tasks print whatever the set (as strace's `+++ exited` lines), and new
            // tasks and reaped children keep the reader's picture of the tree right.
            return if needs_exit(call.nr) { Verdict::Run } else { Verdict::RunNoExit };
        }
        let Some(mut s) = Scratch::get() else {
            return Verdict::RunNoExit;
        };
        if self.json && matches!(call.nr as libc::c_long, libc::SYS_execve | libc::SYS_execveat) {
            self.json_record(&mut s, ring::JSON_PENDING, call.nr, call.orig_args, 0, 0, None, 0);
        }
        // The entry phase always runs now: what it carries (values the call will overwrite)
        // goes with the call to its exit.
        let mut o = Out::new(s.buf);
        let outcome = decode::decode(&mut o, call.nr, call.orig_args, 0, Phase::Entry, &self.opts);
        push_call(call.nr, &call.orig_args, outcome.carried);
        if self.json || !self.status.is_all() {
            // The line (or object) is written whole at exit, or not at all.
            return Verdict::Run;
        }
        let h = self.stamped_call(ring::ENTRY, call.nr, call.ip);
        self.ring.append(h, &[o.as_bytes()]);
        Verdict::Run
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        if self.traced(call) {
            self.print_exit(call, *ret);
        }
        match call.nr as libc::c_long {
            libc::SYS_exit_group => self.task_end(ring::PROCESS_EXIT, call.nr, call.orig_args[0]),
            libc::SYS_exit => self.task_end(ring::TASK_EXIT, call.nr, call.orig_args[0]),
            // A child killed by SIGKILL says so through its parent's wait only, traced or not
            // (strace prints `+++ killed by SIGKILL +++` whatever -e trace= says).
            libc::SYS_wait4 | libc::SYS_waitid if !self.traced(call) => self.reaped(call.nr, call.orig_args, *ret),
            // A new task is one of the traced tasks (for strace's `[pid N]` prefixes) with -f only.
            libc::SYS_clone | libc::SYS_clone3 | libc::SYS_fork | libc::SYS_vfork
                if *ret > 0 && crate::config::get().follow =>
            {
                self.ring.append(ring::header(ring::NEW_TASK, *ret as i32, 0), &[]);
            }
            _ => {}
        }
    }
}

/// Calls whose result matters to the trace even when they are not traced themselves.
fn needs_exit(nr: usize) -> bool {
    matches!(
        nr as libc::c_long,
        libc::SYS_exit
            | libc::SYS_exit_group
            | libc::SYS_clone
            | libc::SYS_clone3
            | libc::SYS_fork
            | libc::SYS_vfork
            | libc::SYS_wait4
            | libc::SYS_waitid
    )
}

impl TraceHook {
    /// The result part of a traced call's line (or its JSON object).
    fn print_exit(&self, call: &Call, ret: isize) {
        let (interrupted, printed, carried) = pop_call();
        if printed && !self.json {
            return;
        }
        let Some(mut s) = Scratch::get() else { return };
        if interrupted {
            // The line ended with the restart code when the handler ran. EINTR shows on the
            // handler's rt_sigreturn, as in strace; a restarted call prints as a new one.
            if ret == -(libc::EINTR as isize) || self.json {
                return;
            }
            let mut o = Out::new(s.buf);
            decode::decode(&mut o, call.nr, call.orig_args, 0, Phase::Entry, &self.opts);
            let h = self.stamped_call(ring::ENTRY, call.nr, call.ip);
            self.ring.append(h, &[o.as_bytes()]);
        }
        if !self.status.is_all() {
            let finished = !matches!(call.nr as libc::c_long, libc::SYS_exit | libc::SYS_exit_group);
            // An injected retval= is a success however it looks (strace's -z shows it, -Z not).
            let as_status = if call.marks & MARK_INJECTED_RETVAL != 0 { 0 } else { ret };
            if !self.status.shows_call(call.nr, as_status, finished) {
                return;
            }
            if !self.json {
                self.whole_call(&mut s, call, ret, carried);
                return;
            }
        }
        if self.json {
            self.json_record(&mut s, ring::JSON, call.nr, call.orig_args, ret, call.elapsed_ns, carried, call.marks);
        } else {
            self.finish(&mut s, call.nr, call.orig_args, ret, call.elapsed_ns, carried, call.marks, call.ip);
        }
    }
}

/// The result as strace prints it, with the inject shim's marks after it: ` (INJECTED)` for a
/// result that did not come from the kernel, ` (DELAYED)` for a delayed call. An injected
/// `retval=` prints as an unsigned number even where it looks like an error, as in strace.
fn write_result_marked(o: &mut Out, ret: isize, outcome: &decode::Outcome, opts: &TraceOpts, marks: u8) {
    if marks & MARK_INJECTED_RETVAL != 0 && ret < 0 {
        o.s("= ");
        o.u64(ret as u64);
    } else {
        decode::write_result(o, ret, outcome, opts);
    }
    if marks & MARK_INJECTED != 0 {
        o.s(" (INJECTED)");
    }
    if marks & MARK_DELAYED != 0 {
        o.s(" (DELAYED)");
    }
}

fn push_call(nr: usize, args: &[usize; 6], carried: Option<[u64; 3]>) {
    if let Some(slot) = threads::current() {
        let d = slot.call_depth.fetch_add(1, Ordering::Relaxed) as usize;
        if d < slot.calls.len() {
            slot.calls[d].store(nr as u32, Ordering::Relaxed);
            for (a, v) in slot.call_args[d].iter().zip(args) {
                a.store(*v, Ordering::Relaxed);
            }
            slot.call_carry_set[d].store(carried.is_some(), Ordering::Relaxed);
            for (a, v) in slot.call_carry[d].iter().zip(carried.unwrap_or_default()) {
                a.store(v, Ordering::Relaxed);
            }
        }
    }
}

/// What the entry phase of call `d` (in this thread's stack) carried.
fn carried_at(slot: &threads::Slot, d: usize) -> Option<[u64; 3]> {
    if d >= slot.calls.len() || !slot.call_carry_set[d].load(Ordering::Relaxed) {
        return None;
    }
    Some(slot.call_carry[d].each_ref().map(|a| a.load(Ordering::Relaxed)))
}

/// Ends the innermost call in progress: whether a handler interrupted it, and what its entry
/// phase carried.
fn pop_call() -> (bool, bool, Option<[u64; 3]>) {
    let Some(slot) = threads::current() else { return (false, false, None) };
    let d = slot.call_depth.load(Ordering::Relaxed) as usize;
    if d == 0 {
        return (false, false, None);
    }
    slot.call_depth.store(d as u32 - 1, Ordering::Relaxed);
    let flags = if d <= slot.calls.len() { slot.calls[d - 1].load(Ordering::Relaxed) } else { 0 };
    (flags & INTERRUPTED != 0, flags & PRINTED != 0, carried_at(slot, d - 1))
}
