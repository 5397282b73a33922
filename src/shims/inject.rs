//! strace's system-call tampering: `-e inject=SET:...` and `-e fault=SET:...`.
//!
//! Semantics are strace 6.1's, each pinned down by running it:
//! * A spec is `SET` (the syntax of `trace=`), then `:`-separated `key=value` parts: `error=`
//!   (a name, case-insensitive, or a decimal 1..4095) or `retval=` (any 64-bit value, C syntax:
//!   `0x10`, `010`, `-1`), `signal=` (name or 1..64), `delay_enter=`/`delay_exit=` (a decimal
//!   number with `s`, `ms`, `us` or `ns`; microseconds without), `syscall=` (a `%pure` call to run
//!   instead: emulation has the same effect here) and `when=`. At least one action is needed;
//!   `error=` and `retval=` exclude each other; every key but `when=` (the last wins) at most
//!   once. `fault=` takes only `error=` (default ENOSYS) and `when=`.
//! * Each call of the set has its own invocation counter per thread: a new thread and a fork
//!   child start from zero; the counters survive execve (the exec'ing thread keeps them).
//! * Only calls that are traced are tampered with: the calls of `-e trace=` (all by default), of
//!   the traced tasks (without `-f`, the initial thread of the initial process). A `trace=`
//!   that selects no call (`none`) only silences the trace: it would
//!   make every inject a silent no-op (strace's behaviour), so the inject sets apply as they are.
//! * Several specs combine; for a call in more than one set the last spec wins.
//! * error/retval skip the kernel; a delay on entry counts in `-T`'s time, one on exit does not;
//!   a signal is queued with `si_code = SI_KERNEL` (what a tracer's injection shows) and arrives
//!   when the call returns to the program. For a call that completes without waiting this is
//!   what strace does. strace 6.1 makes the signal pending at the call's entry, so a call that
//!   would block (a read on an empty pipe) is interrupted at once: EINTR without SA_RESTART, or
//!   the handler and then a restart (a new invocation, tampered again per `when=`) with it.
//!   That cannot be reproduced in-process: a signal made pending and unblocked by the handler
//!   is delivered when that very system call returns, before the real call starts (and inside
//!   the hook), and the kernel has no way to unblock a signal and enter an arbitrary call
//!   atomically. Here such a call waits as it would untraced, and the handler runs after it.
//!
//! The trace marks tampered calls ` (INJECTED)` and ` (DELAYED)` after the result.

use core::sync::atomic::{AtomicI32, AtomicU32, AtomicUsize, Ordering};

use syscalls::SysnoSet;

use crate::dispatch::{Call, Hook, Verdict, MARK_DELAYED, MARK_INJECTED, MARK_INJECTED_RETVAL, MARK_TAMPERED};
use crate::options::Options;
use crate::state::Shared;
use crate::trace::filter::{self, Qualifier, SyscallSet};
use crate::{sys, threads};

/// Call numbers with a counter (every x86-64 number strace 6.1 names is below this).
pub const NR_MAX: usize = 512;

/// `when=FIRST[..LAST][+[STEP]]`: which invocations (1-based) are tampered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    /// The first invocation tampered with (1..=65535).
    pub first: u32,
    /// The last one, inclusive (FIRST..=65534); [`When::FOREVER`] for no end.
    pub last: u32,
    /// Every STEP-th invocation from FIRST on (1 for a plain range or `FIRST+`).
    pub step: u32,
}

impl When {
    /// No last invocation.
    pub const FOREVER: u32 = u32::MAX;
    /// Every invocation (no `when=`).
    pub const ALWAYS: When = When { first: 1, last: When::FOREVER, step: 1 };

    /// Advances a counter state (invocations seen, kept small: see below) by one invocation:
    /// whether this one is tampered with, and the new state. Async-signal-safe arithmetic.
    pub fn advance(&self, state: u32) -> (bool, u32) {
        let n = state.saturating_add(1);
        let hit = n >= self.first && n <= self.last && (n - self.first).is_multiple_of(self.step);
        // Only n's position matters once it passed FIRST: modulo STEP without an end, capped
        // at LAST + 1 with one, so the state never overflows however many calls are made.
        let next = if self.last == When::FOREVER {
            if n >= self.first + self.step {
                n - self.step
            } else {
                n
            }
        } else {
            n.min(self.last + 1)
        };
        (hit, next)
    }
}

/// What one spec does to the calls it selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The raw result the call returns instead of running (`-errno` for `error=`).
    pub emulate: Option<isize>,
    /// Whether `emulate` came from `retval=` (the trace prints it unsigned, as strace does).
    pub retval: bool,
    /// `signal=`: queued for the thread once the call has returned (0: none).
    pub signal: i32,
    /// `delay_enter=`: sleep before the call (nanoseconds, 0: none).
    pub delay_enter_ns: u64,
    /// `delay_exit=`: sleep after it.
    pub delay_exit_ns: u64,
    /// `when=`: which invocations of each call (counted per thread).
    pub when: When,
}

/// Every `-e inject=`/`-e fault=` of the options, resolved per call number.
#[derive(Clone, Debug)]
pub struct Spec {
    /// One per expression, in order.
    pub rules: Vec<Rule>,
    /// Per call number: 1 + index into `rules` (0: not tampered with).
    pub by_nr: Box<[u8; NR_MAX]>,
    /// `-e trace=`: only traced calls are tampered with.
    pub traced: SyscallSet,
}

impl Spec {
    /// The rule for call `nr`, if any.
    pub fn rule(&self, nr: usize) -> Option<&Rule> {
        let i = *self.by_nr.get(nr)? as usize;
        (i > 0).then(|| &self.rules[i - 1])
    }
}

/// The spec from the options (None: no `-e inject=`/`-e fault=`); a malformed one is an error
/// naming the problem.
pub fn parse(opts: &Options) -> Result<Option<Spec>, String> {
    let mut rules = Vec::new();
    let mut by_nr = Box::new([0u8; NR_MAX]);
    let mut traced = SyscallSet::all();
    for e in &opts.exprs {
        let (q, v) = filter::split_qualifier(e);
        let fault = match q {
            Qualifier::Inject => false,
            Qualifier::Fault => true,
            Qualifier::Trace => {
                // The last trace= wins (a bad one is the trace filter's error to report); one
                // that selects nothing means "print nothing", not "tamper with nothing".
                if let Ok(s) = SyscallSet::parse(v) {
                    traced = if selects_no_call(&s) { SyscallSet::all() } else { s };
                }
                continue;
            }
            _ => continue,
        };
        let (set, rule) = parse_one(v, fault).map_err(|why| format!("-e {e}: {why}"))?;
        if rules.len() == u8::MAX as usize {
            return Err(format!("-e {e}: too many inject/fault expressions (at most 255)"));
        }
        rules.push(rule);
        for (nr, slot) in by_nr.iter_mut().enumerate() {
            if filter::syscall_name(nr).is_some() && set.contains_nr(nr) {
                *slot = rules.len() as u8;
            }
        }
    }
    if rules.is_empty() {
        return Ok(None);
    }
    Ok(Some(Spec { rules, by_nr, traced }))
}

/// Whether `set` selects none of the calls strace names (`trace=none`, `trace=!all`).
fn selects_no_call(set: &SyscallSet) -> bool {
    (0..NR_MAX).all(|nr| filter::syscall_name(nr).is_none() || !set.contains_nr(nr))
}

/// One expression's value: the set and what to do. `fault`: `-e fault=` (error defaults to
/// ENOSYS; only error= and when=).
pub fn parse_one(v: &str, fault: bool) -> Result<(SyscallSet, Rule), String> {
    let what = if fault { "fault" } else { "inject" };
    let mut parts = v.split(':');
    let set_text = parts.next().unwrap_or("");
    let set = SyscallSet::parse(set_text)?;
    let mut error: Option<u32> = None;
    let mut retval: Option<u64> = None;
    let mut signal: Option<i32> = None;
    let mut delay_enter: Option<u64> = None;
    let mut delay_exit: Option<u64> = None;
    let mut substitute: Option<usize> = None;
    let mut when = When::ALWAYS;
    for part in parts {
        if part.is_empty() {
            continue;
        }
        let Some((key, val)) = part.split_once('=') else {
            return Err(format!("'{part}' is not KEY=VALUE"));
        };
        if fault && KEYS.contains(&key) && !matches!(key, "error" | "when") {
            return Err(format!("{key}= is not allowed in fault= (only error= and when=; use inject=)"));
        }
        let once = |seen: bool| if seen { Err(format!("{key}= given twice")) } else { Ok(()) };
        match key {
            "error" => {
                once(error.is_some())?;
                if retval.is_some() {
                    return Err("error= and retval= exclude each other".into());
                }
                error = Some(parse_errno(val)?);
            }
            "retval" => {
                once(retval.is_some())?;
                if error.is_some() {
                    return Err("error= and retval= exclude each other".into());
                }
                retval = Some(parse_retval(val).ok_or_else(|| format!("retval={val}: not a 64-bit integer"))?);
            }
            "signal" => {
                once(signal.is_some())?;
                let n = filter::signal_number(val)
                    .filter(|n| (1..=64).contains(n))
                    .ok_or_else(|| format!("signal={val}: not a signal name or number 1..64"))?;
                signal = Some(n as i32);
            }
            "delay_enter" => {
                once(delay_enter.is_some())?;
                delay_enter = Some(parse_delay(val).ok_or_else(|| delay_error(key, val))?);
            }
            "delay_exit" => {
                once(delay_exit.is_some())?;
                delay_exit = Some(parse_delay(val).ok_or_else(|| delay_error(key, val))?);
            }
            "syscall" => {
                once(substitute.is_some())?;
                let nr = filter::syscall_by_name(val)
                    .filter(|&nr| filter::syscall_flags(nr) & filter::flags::PURE != 0)
                    .ok_or_else(|| format!("syscall={val}: not a %pure system call (getpid, getuid, ...)"))?;
                substitute = Some(nr);
            }
            "when" => when = parse_when(val)?,
            "poke_enter" | "poke_exit" => return Err(format!("{key}= is not supported by selftrace")),
            _ => {
                return Err(format!(
                    "unknown key '{key}' (expected error, retval, signal, delay_enter, delay_exit, syscall or when)"
                ))
            }
        }
    }
    if fault && error.is_none() {
        error = Some(libc::ENOSYS as u32);
    }
    if error.is_none() && retval.is_none() && signal.is_none() && delay_enter.is_none() && delay_exit.is_none() {
        return Err(format!(
            "{what}= needs one of error=, retval=, signal=, delay_enter= or delay_exit= (set '{set_text}')"
        ));
    }
    let emulate = match (error, retval) {
        (Some(e), _) => Some(-(e as isize)),
        (None, Some(r)) => Some(r as isize),
        _ => None,
    };
    let rule = Rule {
        emulate,
        retval: retval.is_some(),
        signal: signal.unwrap_or(0),
        delay_enter_ns: delay_enter.unwrap_or(0),
        delay_exit_ns: delay_exit.unwrap_or(0),
        when,
    };
    Ok((set, rule))
}

/// The keys strace 6.1 knows.
const KEYS: [&str; 9] =
    ["error", "retval", "signal", "delay_enter", "delay_exit", "syscall", "poke_enter", "poke_exit", "when"];

/// strtoul-style decimal as strace reads `when=` numbers and errno numbers: leading blanks and
/// one `+` allowed, digits to the end.
fn decimal(s: &str) -> Option<u64> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Too long for u64 is out of every range anyway.
    Some(s.parse().unwrap_or(u64::MAX))
}

fn parse_errno(val: &str) -> Result<u32, String> {
    if let Some(n) = decimal(val) {
        return if (1..=4095).contains(&n) {
            Ok(n as u32)
        } else {
            Err(format!("error={val}: an errno number must be 1..4095"))
        };
    }
    crate::trace::errno::ERRNOS
        .iter()
        .chain(crate::trace::errno::RESTART)
        .find(|e| e.1.eq_ignore_ascii_case(val))
        .map(|e| e.0 as u32)
        .ok_or_else(|| format!("error={val}: unknown errno name (expected e.g. ENOENT, or a number 1..4095)"))
}

/// C's strtoull with base 0: decimal, `0x` hex or `0` octal, with a sign (negative values wrap).
fn parse_retval(val: &str) -> Option<u64> {
    let (neg, s) = match val.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, val.strip_prefix('+').unwrap_or(val)),
    };
    let (radix, digits) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, h)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u64::from_str_radix(digits, radix).ok()?;
    Some(if neg { v.wrapping_neg() } else { v })
}

fn delay_error(key: &str, val: &str) -> String {
    format!("{key}={val}: not a time (a non-negative decimal number, optionally with s, ms, us or ns; microseconds without)")
}

/// strace's time specification: a non-negative decimal (strtod, no hex, inf or nan), then
/// `s`, `ms`, `us` or `ns`; microseconds without a suffix. Returns nanoseconds.
pub fn parse_delay(val: &str) -> Option<u64> {
    let (num, scale) = if let Some(n) = val.strip_suffix("ms") {
        (n, 1e6)
    } else if let Some(n) = val.strip_suffix("us") {
        (n, 1e3)
    } else if let Some(n) = val.strip_suffix("ns") {
        (n, 1.0)
    } else if let Some(n) = val.strip_suffix('s') {
        (n, 1e9)
    } else {
        (val, 1e3)
    };
    let ok = !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && num.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let ns = v * scale;
    Some(if ns >= i64::MAX as f64 { i64::MAX as u64 } else { ns as u64 })
}

/// `FIRST[..LAST][+[STEP]]` with strace's ranges: FIRST and STEP 1..65535, LAST FIRST..65534.
pub fn parse_when(val: &str) -> Result<When, String> {
    let bad = |why: &str| format!("when={val}: {why} (expected FIRST[..LAST][+[STEP]])");
    let (first, rest) = leading_number(val).ok_or_else(|| bad("FIRST must be 1..65535"))?;
    if !(1..=65535).contains(&first) {
        return Err(bad("FIRST must be 1..65535"));
    }
    let (last, rest) = match rest.strip_prefix("..") {
        Some(r) => {
            let (l, r) = leading_number(r).ok_or_else(|| bad("LAST must be FIRST..65534"))?;
            if l < first || l > 65534 {
                return Err(bad("LAST must be FIRST..65534"));
            }
            (Some(l as u32), r)
        }
        None => (None, rest),
    };
    let step = match rest.strip_prefix('+') {
        Some("") => Some(1),
        Some(r) => match leading_number(r) {
            Some((n, "")) if (1..=65535).contains(&n) => Some(n as u32),
            _ => return Err(bad("STEP must be 1..65535")),
        },
        None if rest.is_empty() => None,
        None => return Err(bad(&format!("unexpected '{rest}'"))),
    };
    let first = first as u32;
    Ok(match (last, step) {
        (None, None) => When { first, last: first, step: 1 },
        (Some(l), None) => When { first, last: l, step: 1 },
        (l, Some(s)) => When { first, last: l.unwrap_or(When::FOREVER), step: s },
    })
}

/// strtoul (base 10) at the start of `s`: blanks, one optional `+`, digits. The number and
/// what follows it.
fn leading_number(s: &str) -> Option<(u64, &str)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.strip_prefix('+').unwrap_or(t);
    let n = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    Some((t[..n].parse().unwrap_or(u64::MAX), &t[n..]))
}

// ---------------------------------------------------------------------------------------------
// Handler path

/// One thread's counters: a page mapped on first use, kept with the thread's slot. `owner` is
/// the tid they count for: another tid (a new thread in a reused slot, a fork child's copy)
/// starts from zero, as strace's counters of a new tracee do.
#[repr(C)]
struct Counters {
    owner: AtomicI32,
    state: [AtomicU32; NR_MAX],
}

const COUNTERS_BYTES: usize = 4096;
const _: () = assert!(core::mem::size_of::<Counters>() <= COUNTERS_BYTES);

/// The counters of a vfork child that shares its parent's memory and slot (posix_spawn): a
/// tracee of its own for strace, counting from zero, not on with its parent's counters. One page
/// serves every such child in turn (the parent is suspended while its child runs; `owner`
/// tells the children apart).
static VFORK_COUNTERS: AtomicUsize = AtomicUsize::new(0);

fn counters(slot: &threads::Slot) -> Option<&'static Counters> {
    let vfork_child = slot.vfork_child.load(Ordering::Relaxed);
    let home = if vfork_child { &VFORK_COUNTERS } else { &slot.inject };
    let mut base = home.load(Ordering::Acquire);
    if base == 0 {
        base = sys::mmap_anon(COUNTERS_BYTES).ok()?;
        // A signal handler of this thread that got here first wins; this page is then unused.
        if let Err(won) = home.compare_exchange(0, base, Ordering::AcqRel, Ordering::Acquire) {
            let _ = sys::munmap(base, COUNTERS_BYTES);
            base = won;
        }
    }
    // SAFETY: `base` is a page of this process mapped for the counters and never unmapped; all
    // its fields are atomics, valid when zero.
    let c = unsafe { &*(base as *const Counters) };
    // The shared slot holds the parent's tid: a vfork child asks the kernel for its own.
    let tid = if vfork_child { sys::gettid() } else { slot.tid.load(Ordering::Relaxed) };
    if c.owner.load(Ordering::Relaxed) != tid {
        for s in &c.state {
            s.store(0, Ordering::Relaxed);
        }
        c.owner.store(tid, Ordering::Relaxed);
        adopt_handoff(c, tid);
    }
    Some(c)
}

/// Counters carried over an execve: the exec'ing thread leaves them here before the call, under
/// its process id, and the new image's start-up (whose only thread has that id as its tid) takes
/// them back. Lives in the state file all processes of the tree share.
#[repr(C)]
pub struct Handoff {
    entries: [HandoffEntry; HANDOFF_ENTRIES],
}

#[repr(C)]
struct HandoffEntry {
    /// The tid the counters belong to (0: free).
    tid: AtomicI32,
    state: [AtomicU32; NR_MAX],
}

const HANDOFF_ENTRIES: usize = 16;

static SHARED: AtomicUsize = AtomicUsize::new(0);

fn handoff() -> Option<&'static Handoff> {
    let p = SHARED.load(Ordering::Acquire);
    // SAFETY: set once from the `&'static Shared` the hook was made with.
    (p != 0).then(|| unsafe { &(*(p as *const Shared)).inject })
}

/// Before an execve: the calling thread's counters go to the handoff table.
fn leave_handoff(c: &Counters, tid: i32) {
    let Some(h) = handoff() else { return };
    for e in &h.entries {
        let free = e.tid.load(Ordering::Acquire);
        if (free == 0 || free == tid) && e.tid.compare_exchange(free, -1, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            for (d, s) in e.state.iter().zip(&c.state) {
                d.store(s.load(Ordering::Relaxed), Ordering::Relaxed);
            }
            e.tid.store(tid, Ordering::Release);
            return;
        }
    }
}

/// A failed execve: the old image keeps counting in its own table.
fn drop_handoff(tid: i32) {
    let Some(h) = handoff() else { return };
    for e in &h.entries {
        let _ = e.tid.compare_exchange(tid, 0, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// What this image's initial thread brought over its execve (taken at start-up, so that only
/// the thread that exec'd finds it, not a later task that happens to reuse the tid).
static INHERITED_TID: AtomicI32 = AtomicI32::new(0);
static INHERITED: [AtomicU32; NR_MAX] = [const { AtomicU32::new(0) }; NR_MAX];

/// Start-up: takes the calling thread's entry from the handoff table, if it exec'd.
fn take_handoff(tid: i32) {
    let Some(h) = handoff() else { return };
    for e in &h.entries {
        if e.tid.load(Ordering::Acquire) == tid {
            for (d, s) in INHERITED.iter().zip(&e.state) {
                d.store(s.load(Ordering::Relaxed), Ordering::Relaxed);
            }
            INHERITED_TID.store(tid, Ordering::Release);
            e.tid.store(0, Ordering::Release);
            return;
        }
    }
}

fn adopt_handoff(c: &Counters, tid: i32) {
    if INHERITED_TID.load(Ordering::Acquire) == tid && INHERITED_TID.swap(0, Ordering::AcqRel) == tid {
        for (d, s) in c.state.iter().zip(&INHERITED) {
            d.store(s.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }
}

struct InjectHook {
    spec: Spec,
    wanted: SysnoSet,
}

/// The shim's hook. Start-up only.
pub fn hook(spec: Spec, shared: &'static Shared) -> &'static dyn Hook {
    SHARED.store(shared as *const Shared as usize, Ordering::Release);
    take_handoff(sys::gettid());
    let wanted = syscalls::Sysno::iter()
        .filter(|s| {
            let nr = s.id() as usize;
            spec.rule(nr).is_some() && spec.traced.contains_nr(nr)
        })
        .chain([syscalls::Sysno::execve, syscalls::Sysno::execveat])
        .collect();
    Box::leak(Box::new(InjectHook { spec, wanted }))
}

fn is_exec(nr: usize) -> bool {
    nr == libc::SYS_execve as usize || nr == libc::SYS_execveat as usize
}

/// Sleeps `ns` nanoseconds of CLOCK_MONOTONIC, to the end (signals are blocked meanwhile, see
/// [`block_signals`]; an interruption by SIGSYS resumes the sleep).
fn sleep_ns(ns: u64) {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    let clock = libc::CLOCK_MONOTONIC as usize;
    crate::arch::syscall6(libc::SYS_clock_gettime as usize, [clock, &mut now as *mut _ as usize, 0, 0, 0, 0]);
    let total = now.tv_nsec as u64 + ns % 1_000_000_000;
    let until = libc::timespec {
        tv_sec: now.tv_sec.saturating_add((ns / 1_000_000_000 + total / 1_000_000_000) as i64),
        tv_nsec: (total % 1_000_000_000) as i64,
    };
    loop {
        let r = crate::arch::syscall6(
            libc::SYS_clock_nanosleep as usize,
            [clock, libc::TIMER_ABSTIME as usize, &until as *const _ as usize, 0, 0, 0],
        );
        if r != -(libc::EINTR as isize) {
            return;
        }
    }
}

/// Blocks every signal but SIGSYS (which must stay deliverable) for a delay: a tracer's delayed
/// tracee does not run handlers during the delay either. Returns the mask to restore.
fn block_signals() -> sys::KSigset {
    let mut old: sys::KSigset = 0;
    let _ = sys::sigprocmask(libc::SIG_BLOCK, Some(&!sys::sigbit(libc::SIGSYS)), Some(&mut old));
    old
}

/// Queues `sig` for the calling thread, as a tracer's injection does (`si_code = SI_KERNEL`),
/// blocked until the handler returns, so that it arrives when the call has returned to the
/// program (rt_sigreturn restores the program's mask from the frame).
fn raise_after_call(sig: i32) {
    let pid = sys::getpid();
    let tid = match threads::current() {
        Some(s) => s.tid.load(Ordering::Relaxed),
        None => sys::gettid(),
    };
    if sig != libc::SIGSYS {
        // SIGSYS must stay deliverable (see `signals`): it is sent unblocked.
        let _ = sys::sigprocmask(libc::SIG_BLOCK, Some(&sys::sigbit(sig)), None);
    }
    let mut info = [0u32; 32];
    info[0] = sig as u32;
    info[2] = libc::SI_KERNEL as u32;
    let r = crate::arch::syscall6(
        libc::SYS_rt_tgsigqueueinfo as usize,
        [pid as usize, tid as usize, sig as usize, info.as_ptr() as usize, 0, 0],
    );
    if r < 0 {
        let _ = sys::tgkill(pid, tid, sig);
    }
}

impl Hook for InjectHook {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        Some(self.wanted.clone())
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        if !call.reported || call.nr >= NR_MAX {
            return Verdict::RunNoExit;
        }
        // Untraced calls are not tampered with; execve still hands the counters over.
        let rule = self.spec.rule(call.nr).filter(|_| self.spec.traced.contains_nr(call.nr));
        if rule.is_none() && !is_exec(call.nr) {
            return Verdict::RunNoExit;
        }
        let Some(slot) = threads::current() else { return Verdict::RunNoExit };
        let Some(c) = counters(slot) else { return Verdict::RunNoExit };
        let mut hit = false;
        if let Some(rule) = rule {
            let st = &c.state[call.nr];
            let (h, next) = rule.when.advance(st.load(Ordering::Relaxed));
            st.store(next, Ordering::Relaxed);
            hit = h;
        }
        if is_exec(call.nr) {
            // The counters travel with the thread into the new image, where it is the only
            // thread and its tid is the process id (also when a non-initial thread execs).
            leave_handoff(c, call.pid());
        }
        let Some(rule) = rule.filter(|_| hit) else {
            return if is_exec(call.nr) { Verdict::Run } else { Verdict::RunNoExit };
        };
        call.marks |= MARK_TAMPERED;
        if rule.delay_enter_ns > 0 || rule.delay_exit_ns > 0 {
            call.marks |= MARK_DELAYED;
        }
        if rule.delay_enter_ns > 0 {
            let old = block_signals();
            sleep_ns(rule.delay_enter_ns);
            let _ = sys::sigprocmask(libc::SIG_SETMASK, Some(&old), None);
        }
        match rule.emulate {
            Some(v) => {
                call.marks |= MARK_INJECTED;
                if rule.retval {
                    call.marks |= MARK_INJECTED_RETVAL;
                }
                Verdict::Emulate(v)
            }
            None if rule.signal != 0 || rule.delay_exit_ns > 0 || is_exec(call.nr) => Verdict::Run,
            None => Verdict::RunNoExit,
        }
    }

    fn exit(&self, call: &Call, _ret: &mut isize) {
        if is_exec(call.nr) {
            // It returned, so it failed: this image keeps counting with its own table.
            drop_handoff(call.pid());
        }
        if call.marks & MARK_TAMPERED == 0 {
            return;
        }
        let Some(rule) = self.spec.rule(call.nr) else { return };
        if rule.delay_exit_ns > 0 {
            // Signals that arrive meanwhile stay blocked until the call has returned to the
            // program (the handler's rt_sigreturn restores its mask).
            block_signals();
            sleep_ns(rule.delay_exit_ns);
        }
        if rule.signal != 0 {
            raise_after_call(rule.signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(w: &str, n: u32) -> Vec<u32> {
        let w = parse_when(w).unwrap();
        let mut st = 0;
        let mut out = Vec::new();
        for i in 1..=n {
            let (h, next) = w.advance(st);
            st = next;
            if h {
                out.push(i);
            }
        }
        out
    }

    #[test]
    fn when_forms_select_what_strace_selects() {
        // Each list is what strace 6.1 injected into a loop of the call.
        assert_eq!(hits("3", 8), [3]);
        assert_eq!(hits("2..4", 8), [2, 3, 4]);
        assert_eq!(hits("2+", 8), [2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(hits("1..7+3", 8), [1, 4, 7]);
        assert_eq!(hits("2..5+2", 8), [2, 4]);
        assert_eq!(hits("1..3+", 8), [1, 2, 3]);
        assert_eq!(hits("3+2", 8), [3, 5, 7]);
        assert_eq!(hits("1..2+5", 8), [1]);
        assert_eq!(hits("3..+4", 8), [3, 4]);
        assert_eq!(hits("+1..3", 8), [1, 2, 3]);
        assert_eq!(hits(" 3", 8), [3]);
        assert_eq!(hits("01", 3), [1]);
        assert_eq!(hits("5..5", 8), [5]);
        assert!(hits("65535", 10).is_empty());
    }

    #[test]
    fn when_state_stays_small() {
        let w = parse_when("3+65535").unwrap();
        let mut st = 0;
        let mut seen = 0;
        for _ in 0..300_000u32 {
            let (h, next) = w.advance(st);
            st = next;
            seen += h as u32;
            assert!(st <= 3 + 65535);
        }
        // Invocations 3, 65538, 131073, 196608, 262143.
        assert_eq!(seen, 5);
        let w = parse_when("2..4").unwrap();
        let mut st = 0;
        for _ in 0..100 {
            st = w.advance(st).1;
        }
        assert_eq!(st, 5);
    }

    #[test]
    fn when_errors_are_strace_s() {
        for bad in [
            "0", "65536", "1..65535", "3..2", "2+0", "1+65536", "2..", "", "x", "0x3", "3++", "3..+2", "1.5", "-1",
            "3 ", "1+2+3", "00", "1..0", "3..4..5",
        ] {
            let e = parse_when(bad).unwrap_err();
            assert!(e.starts_with(&format!("when={bad}: ")), "{bad}: {e}");
        }
        assert_eq!(parse_when("1..65534").unwrap(), When { first: 1, last: 65534, step: 1 });
        assert_eq!(parse_when("1+65535").unwrap(), When { first: 1, last: When::FOREVER, step: 65535 });
        assert_eq!(parse_when("0").unwrap_err(), "when=0: FIRST must be 1..65535 (expected FIRST[..LAST][+[STEP]])");
    }

    fn rule(v: &str) -> Rule {
        parse_one(v, false).unwrap().1
    }

    #[test]
    fn actions_parse_as_strace_reads_them() {
        assert_eq!(rule("chdir:error=ENOENT").emulate, Some(-2));
        assert_eq!(rule("chdir:error=eperm").emulate, Some(-1));
        assert_eq!(rule("chdir:error=010").emulate, Some(-10));
        assert_eq!(rule("chdir:error=4095").emulate, Some(-4095));
        assert_eq!(rule("chdir:error=ERESTARTSYS").emulate, Some(-512));
        let r = rule("chdir:retval=0x10");
        assert_eq!((r.emulate, r.retval), (Some(16), true));
        assert_eq!(rule("chdir:retval=010").emulate, Some(8));
        assert_eq!(rule("chdir:retval=-1").emulate, Some(-1));
        assert_eq!(rule("chdir:retval=18446744073709551615").emulate, Some(-1));
        assert_eq!(rule("chdir:retval=-9223372036854775808").emulate, Some(isize::MIN));
        assert_eq!(rule("chdir:signal=usr1").signal, libc::SIGUSR1);
        assert_eq!(rule("chdir:signal=SIGRTMIN").signal, 32);
        assert_eq!(rule("chdir:signal=64").signal, 64);
        assert_eq!(rule("chdir:delay_enter=1.5ms").delay_enter_ns, 1_500_000);
        assert_eq!(rule("chdir:delay_exit=1000").delay_exit_ns, 1_000_000);
        assert_eq!(rule("chdir:delay_exit=1e-3s").delay_exit_ns, 1_000_000);
        assert_eq!(rule("chdir:delay_exit=10ns").delay_exit_ns, 10);
        assert_eq!(rule("chdir:delay_exit=.5").delay_exit_ns, 500);
        assert_eq!(rule("chdir:delay_exit=5.").delay_exit_ns, 5000);
        assert_eq!(rule("chdir:error=EPERM:when=2:when=3").when, When { first: 3, last: 3, step: 1 });
        assert_eq!(rule("chdir:error=ENOENT:").emulate, Some(-2));
        assert_eq!(rule("chdir:error=EPERM:syscall=getpid").emulate, Some(-1));
        let (_, f) = parse_one("chdir", true).unwrap();
        assert_eq!(f.emulate, Some(-(libc::ENOSYS as isize)));
        let (_, f) = parse_one("chdir:when=2", true).unwrap();
        assert_eq!((f.emulate, f.when.first), (Some(-38), 2));
        assert_eq!(parse_one("chdir:error=EPERM", true).unwrap().1.emulate, Some(-1));
    }

    #[test]
    fn malformed_specs_name_the_problem() {
        let err = |v: &str, fault: bool| parse_one(v, fault).unwrap_err();
        assert!(err("chdir", false).contains("needs one of error="));
        assert!(err("chdir:", false).contains("needs one of error="));
        assert!(err("chdir:when=2", false).contains("needs one of error="));
        assert_eq!(
            err("chdir:error=FOO", false),
            "error=FOO: unknown errno name (expected e.g. ENOENT, or a number 1..4095)"
        );
        assert!(err("chdir:error=0", false).contains("1..4095"));
        assert!(err("chdir:error=4096", false).contains("1..4095"));
        assert!(err("chdir:error=99999999999999999999999", false).contains("1..4095"));
        assert!(err("chdir:error=0x10", false).contains("unknown errno"));
        assert!(err("chdir:error=EWOULDBLOCK", false).contains("unknown errno"));
        assert_eq!(err("chdir:error=EPERM:retval=1", false), "error= and retval= exclude each other");
        assert_eq!(err("chdir:error=EPERM:error=EACCES", false), "error= given twice");
        assert_eq!(err("chdir:signal=USR1:signal=USR2", false), "signal= given twice");
        assert!(err("chdir:signal=FOO", false).contains("not a signal"));
        assert!(err("chdir:signal=0", false).contains("not a signal"));
        assert!(err("chdir:signal=65", false).contains("not a signal"));
        for d in ["x", "-1", "inf", "nan", "1.5.3", "1 ms", "5m", "1S", "0x10", ""] {
            assert!(err(&format!("chdir:delay_enter={d}"), false).contains("not a time"), "{d}");
        }
        assert!(err("chdir:retval=", false).contains("not a 64-bit integer"));
        assert!(err("chdir:retval=18446744073709551616", false).contains("not a 64-bit integer"));
        assert!(err("chdir:foo=1", false).contains("unknown key 'foo'"));
        assert!(err("chdir:error", false).contains("not KEY=VALUE"));
        assert_eq!(err("opne:error=EPERM", false), "invalid system call 'opne'");
        assert_eq!(err(":error=EPERM", false), "invalid system call ''");
        assert!(err("chdir:error=EPERM:syscall=chdir", false).contains("%pure"));
        assert!(err("chdir:syscall=getpid", false).contains("needs one of"));
        assert!(err("chdir:poke_enter=@arg1=00", false).contains("not supported"));
        assert!(err("chdir:retval=2", true).contains("not allowed in fault="));
        assert!(err("chdir:signal=USR1", true).contains("not allowed in fault="));
        assert!(err("chdir:delay_enter=1", true).contains("not allowed in fault="));
    }

    #[test]
    fn later_specs_win_per_call() {
        let mut o = Options {
            exprs: vec!["inject=chdir:error=EPERM".into(), "inject=chdir,sched_yield:retval=7:when=2".into()],
            ..Default::default()
        };
        let s = parse(&o).unwrap().unwrap();
        let chdir = libc::SYS_chdir as usize;
        let y = libc::SYS_sched_yield as usize;
        assert_eq!(s.rule(chdir).unwrap().emulate, Some(7));
        assert_eq!(s.rule(y).unwrap().emulate, Some(7));
        assert!(s.rule(libc::SYS_getpid as usize).is_none());
        o.exprs.push("fault=chdir".into());
        let s = parse(&o).unwrap().unwrap();
        assert_eq!(s.rule(chdir).unwrap().emulate, Some(-38));
        assert_eq!(s.rule(y).unwrap().emulate, Some(7));
        o.exprs = vec!["inject=chdir:signal=USR1:foo=1".into()];
        assert_eq!(parse(&o).unwrap_err(), "-e inject=chdir:signal=USR1:foo=1: unknown key 'foo' (expected error, retval, signal, delay_enter, delay_exit, syscall or when)");
        o.exprs = vec!["trace=open".into()];
        assert!(parse(&o).unwrap().is_none());
    }

    #[test]
    fn an_empty_trace_set_does_not_disable_injection() {
        let chdir = libc::SYS_chdir as usize;
        for (trace, traced) in
            [("trace=none", true), ("trace=!all", true), ("trace=open", false), ("trace=chdir", true)]
        {
            let o = Options {
                exprs: vec![trace.into(), "inject=chdir:error=ENOENT".into(), "signal=none".into()],
                ..Default::default()
            };
            let s = parse(&o).unwrap().unwrap();
            assert_eq!(s.traced.contains_nr(chdir), traced, "{trace}");
        }
    }
}
