//! Decoders: the process family (memory, processes, signals, time, identity, scheduling); see
//! the module docs of `decode` for the pattern.
//!
//! The printers of the structures this family owns (signal names and sets, siginfo, time
//! structures, rlimit, rusage, clone flags, wait statuses) are `pub` for the other families and
//! for the tracer's `--- SIGxxx {...} ---` lines. Named constants and flag sets go through
//! `common`'s [`xval`] / [`xflags`], strace's `printxvals_ex` / `printflags_ex` for every `-X` style.
//! Tables keep strace 6.1's order, which decides the order names print in.

use core::fmt::Write;

use super::common::{
    abbrev, comment, fetch, fetch_bytes, lookup_name, out_skip, print_array, print_id, print_num_i32, xflags,
    xlat_known, xstyle, xval, Xlat,
};
use super::{DecodeFn, Decoder, Phase, Ret};
use crate::sys;
use crate::trace::out::Out;
use crate::trace::{TraceOpts, XlatStyle};

/// `[0x...]` for a pointer-sized value the kernel stored (printnum_kptr / printnum_ptr).
fn print_num_ptr(o: &mut Out, addr: usize, skip: bool) {
    if let Some(v) = fetch::<u64>(o, addr, skip) {
        o.byte(b'[');
        o.ptr(v as usize);
        o.byte(b']');
    }
}

// ---------------------------------------------------------------------------------------------
// Signals.

/// The name strace gives signal `sig` (`SIGUSR1`, `SIGRTMIN`, `SIGRT_3`); None for 0, negative
/// and out-of-range numbers.
pub fn signame(sig: i64) -> Option<&'static str> {
    i32::try_from(sig).ok().and_then(crate::trace::filter::signal_name)
}

/// A signal number as strace's printsignal: `SIGUSR1`, `10` (-X raw), `10 /* SIGUSR1 */`
/// (-X verbose); unnamed numbers in decimal.
pub fn print_signal(o: &mut Out, opts: &TraceOpts, sig: i32) {
    match signame(sig as i64) {
        Some(n) => xstyle(o, opts, |o| o.i64(sig as i64), |o| o.s(n)),
        None => o.i64(sig as i64),
    }
}

/// A signal set of `bytes` bytes (4 or 8) as strace prints it: `[USR1 TERM]`, or, when two
/// thirds or more of the bits are set, the complement: `~[]`, `~[KILL STOP]`.
pub fn print_sigset(o: &mut Out, opts: &TraceOpts, mask: u64, bytes: usize) {
    let words = bytes.div_ceil(4).clamp(1, 2);
    let nbits = words * 32;
    let valid = if nbits == 64 { u64::MAX } else { (1u64 << nbits) - 1 };
    let mut m = mask & valid;
    if m.count_ones() as usize >= nbits * 2 / 3 {
        m = !m & valid;
        o.byte(b'~');
    }
    o.byte(b'[');
    let mut first = true;
    for bit in 0..nbits {
        if m & (1u64 << bit) == 0 {
            continue;
        }
        let sig = bit + 1;
        if !first {
            o.byte(b' ');
        }
        first = false;
        let name = signame(sig as i64).map(|n| &n[3..]);
        match (opts.xlat, name) {
            (XlatStyle::Abbrev, Some(n)) => o.s(n),
            (XlatStyle::Abbrev, None) => {}
            (XlatStyle::Raw, _) => o.u64(sig as u64),
            (XlatStyle::Verbose, n) => {
                o.u64(sig as u64);
                o.s(" /* ");
                match n {
                    Some(n) => o.s(n),
                    None => o.u64(sig as u64),
                }
                o.s(" */");
            }
        }
    }
    o.byte(b']');
}

/// A signal set in the program's memory of `len` bytes (strace's print_sigset_addr_len): the
/// address when `len` is not a size the kernel accepts, or when unreadable or `skip`.
pub fn print_sigset_at(o: &mut Out, opts: &TraceOpts, addr: usize, len: usize, min_len: usize, skip: bool) {
    if len < min_len || len > 8 {
        o.ptr(addr);
        return;
    }
    let mut b = [0u8; 8];
    if fetch_bytes(o, addr, skip, &mut b[..len]) {
        print_sigset(o, opts, u64::from_le_bytes(b), len);
    }
}

const SA_HANDLERS: Xlat = &[(0, "SIG_DFL"), (1, "SIG_IGN"), (u64::MAX, "SIG_ERR")];

const SA_FLAGS: Xlat = &[
    (0x0400_0000, "SA_RESTORER"),
    (0x0800_0000, "SA_ONSTACK"),
    (0x1000_0000, "SA_RESTART"),
    (0x4000_0000, "SA_NODEFER"),
    (0x8000_0000, "SA_RESETHAND"),
    (4, "SA_SIGINFO"),
    (1, "SA_NOCLDSTOP"),
    (2, "SA_NOCLDWAIT"),
];

/// A kernel `struct sigaction` at `addr`:
/// `{sa_handler=SIG_IGN, sa_mask=[TERM], sa_flags=SA_RESTORER, sa_restorer=0x7f...}`.
pub fn print_sigaction_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    let Some(sa) = fetch::<[u64; 4]>(o, addr, skip) else { return };
    let [handler, flags, restorer, mask] = sa;
    o.s("{sa_handler=");
    match lookup_name(SA_HANDLERS, handler) {
        Some(n) => xlat_known(o, opts, handler, Some(n)),
        None => o.ptr(handler as usize),
    }
    o.s(", sa_mask=");
    print_sigset(o, opts, mask, 8);
    o.s(", sa_flags=");
    xflags(o, opts, flags, SA_FLAGS, Some("SA_???"));
    if flags & 0x0400_0000 != 0 {
        o.s(", sa_restorer=");
        o.ptr(restorer as usize);
    }
    o.byte(b'}');
}

const SI_CODES: Xlat = &[
    (0, "SI_USER"),
    (0x80, "SI_KERNEL"),
    (-1i64 as u32 as u64, "SI_QUEUE"),
    (-2i64 as u32 as u64, "SI_TIMER"),
    (-3i64 as u32 as u64, "SI_MESGQ"),
    (-4i64 as u32 as u64, "SI_ASYNCIO"),
    (-5i64 as u32 as u64, "SI_SIGIO"),
    (-6i64 as u32 as u64, "SI_TKILL"),
    (-7i64 as u32 as u64, "SI_DETHREAD"),
    (-60i64 as u32 as u64, "SI_ASYNCNL"),
];
const SIGCHLD_CODES: Xlat = &[
    (1, "CLD_EXITED"),
    (2, "CLD_KILLED"),
    (3, "CLD_DUMPED"),
    (4, "CLD_TRAPPED"),
    (5, "CLD_STOPPED"),
    (6, "CLD_CONTINUED"),
];
const SIGSEGV_CODES: Xlat = &[
    (1, "SEGV_MAPERR"),
    (2, "SEGV_ACCERR"),
    (3, "SEGV_BNDERR"),
    (4, "SEGV_PKUERR"),
    (5, "SEGV_ACCADI"),
    (6, "SEGV_ADIDERR"),
    (7, "SEGV_ADIPERR"),
    (8, "SEGV_MTEAERR"),
    (9, "SEGV_MTESERR"),
];
const SIGBUS_CODES: Xlat =
    &[(1, "BUS_ADRALN"), (2, "BUS_ADRERR"), (3, "BUS_OBJERR"), (4, "BUS_MCEERR_AR"), (5, "BUS_MCEERR_AO")];
const SIGILL_CODES: Xlat = &[
    (1, "ILL_ILLOPC"),
    (2, "ILL_ILLOPN"),
    (3, "ILL_ILLADR"),
    (4, "ILL_ILLTRP"),
    (5, "ILL_PRVOPC"),
    (6, "ILL_PRVREG"),
    (7, "ILL_COPROC"),
    (8, "ILL_BADSTK"),
    (9, "ILL_BADIADDR"),
];
const SIGFPE_CODES: Xlat = &[
    (1, "FPE_INTDIV"),
    (2, "FPE_INTOVF"),
    (3, "FPE_FLTDIV"),
    (4, "FPE_FLTOVF"),
    (5, "FPE_FLTUND"),
    (6, "FPE_FLTRES"),
    (7, "FPE_FLTINV"),
    (8, "FPE_FLTSUB"),
    (14, "FPE_FLTUNK"),
    (15, "FPE_CONDTRAP"),
];
const SIGTRAP_CODES: Xlat =
    &[(1, "TRAP_BRKPT"), (2, "TRAP_TRACE"), (3, "TRAP_BRANCH"), (4, "TRAP_HWBKPT"), (5, "TRAP_UNK"), (6, "TRAP_PERF")];
const SIGPOLL_CODES: Xlat =
    &[(1, "POLL_IN"), (2, "POLL_OUT"), (3, "POLL_MSG"), (4, "POLL_ERR"), (5, "POLL_PRI"), (6, "POLL_HUP")];
const SIGSYS_CODES: Xlat = &[(1, "SYS_SECCOMP"), (2, "SYS_USER_DISPATCH")];
const SIGPROF_CODES: Xlat = &[(1, "PROF_SIG")];
const AUDIT_ARCHES: Xlat = &[(0xc000_003e, "AUDIT_ARCH_X86_64"), (0x4000_0003, "AUDIT_ARCH_I386")];

/// A clock_t count with strace's `/* 1.25 s */` comment (100 ticks a second).
fn print_clock_t(o: &mut Out, opts: &TraceOpts, v: u64) {
    o.u64(v);
    if opts.xlat != XlatStyle::Raw && v != 0 {
        let _ = write!(o, " /* {}.{:02} s */", v / 100, v % 100);
    }
}

fn si_i32(si: &[u64; 16], off: usize) -> i32 {
    let w = si[off / 8];
    (if off.is_multiple_of(8) { w } else { w >> 32 }) as u32 as i32
}

/// A siginfo as strace prints it, from its 128 bytes:
/// `{si_signo=SIGUSR1, si_code=SI_USER, si_pid=42, si_uid=0}` (the `--- SIGxxx {...} ---` body).
pub fn print_siginfo(o: &mut Out, opts: &TraceOpts, si: &[u64; 16]) {
    let signo = si_i32(si, 0);
    let errno = si_i32(si, 4);
    let code = si_i32(si, 8);
    o.byte(b'{');
    if signo == 0 {
        o.byte(b'}');
        return;
    }
    o.s("si_signo=");
    print_signal(o, opts, signo);
    o.s(", si_code=");
    let per_signal: Option<Xlat> = match signo {
        libc::SIGTRAP => Some(SIGTRAP_CODES),
        libc::SIGCHLD => Some(SIGCHLD_CODES),
        libc::SIGIO => Some(SIGPOLL_CODES),
        libc::SIGPROF => Some(SIGPROF_CODES),
        libc::SIGILL => Some(SIGILL_CODES),
        libc::SIGFPE => Some(SIGFPE_CODES),
        libc::SIGSEGV => Some(SIGSEGV_CODES),
        libc::SIGBUS => Some(SIGBUS_CODES),
        libc::SIGSYS => Some(SIGSYS_CODES),
        _ => None,
    };
    let ucode = code as u32 as u64;
    let name = lookup_name(SI_CODES, ucode).or_else(|| per_signal.and_then(|t| lookup_name(t, ucode)));
    xlat_known(o, opts, ucode, name);
    if errno != 0 {
        o.s(", si_errno=");
        match crate::trace::errno::lookup(errno) {
            Some((n, _)) if opts.xlat == XlatStyle::Abbrev => o.s(n),
            Some((n, _)) if opts.xlat == XlatStyle::Verbose => {
                o.i64(errno as i64);
                comment(o, n);
            }
            _ => o.i64(errno as i64),
        }
    }
    let pid = si_i32(si, 16);
    let uid = si_i32(si, 20) as u32;
    let ptr = si[3];
    let source = |o: &mut Out| {
        let _ = write!(o, ", si_pid={pid}, si_uid={uid}");
    };
    let sigval = |o: &mut Out| {
        let _ = write!(o, ", si_int={}, si_ptr=", ptr as u32 as i32);
        o.ptr(ptr as usize);
    };
    if code <= 0 {
        match code {
            0 | -6 => source(o),
            -2 => {
                let _ = write!(o, ", si_timerid={:#x}, si_overrun={}", pid as u32, uid as i32);
                sigval(o);
            }
            -5 => {
                let _ = write!(o, ", si_band={}, si_fd={}", si[2] as i64, si_i32(si, 24));
            }
            _ => {
                source(o);
                if ptr != 0 {
                    sigval(o);
                }
            }
        }
    } else {
        match signo {
            libc::SIGCHLD => {
                source(o);
                o.s(", si_status=");
                let status = si_i32(si, 24);
                if code == libc::CLD_EXITED {
                    o.i64(status as i64);
                } else {
                    print_signal(o, opts, status);
                }
                o.s(", si_utime=");
                print_clock_t(o, opts, si[4]);
                o.s(", si_stime=");
                print_clock_t(o, opts, si[5]);
            }
            libc::SIGILL | libc::SIGFPE | libc::SIGBUS | libc::SIGSEGV | libc::SIGTRAP => {
                o.s(", si_addr=");
                o.ptr(si[2] as usize);
            }
            libc::SIGIO => {
                if (1..=3).contains(&code) {
                    let _ = write!(o, ", si_band={}, si_fd={}", si[2] as i64, si_i32(si, 24));
                }
            }
            libc::SIGSYS => {
                o.s(", si_call_addr=");
                o.ptr(si[2] as usize);
                let nr = si_i32(si, 24);
                o.s(", si_syscall=");
                match super::syscall_name(nr as usize) {
                    Some(n) if nr >= 0 && opts.xlat != XlatStyle::Raw => {
                        if opts.xlat == XlatStyle::Verbose {
                            o.i64(nr as i64);
                            o.s(" /* __NR_");
                            o.s(n);
                            o.s(" */");
                        } else {
                            o.s("__NR_");
                            o.s(n);
                        }
                    }
                    _ => o.i64(nr as i64),
                }
                o.s(", si_arch=");
                xval(o, opts, si_i32(si, 28) as u32 as u64, AUDIT_ARCHES, Some("AUDIT_ARCH_???"));
            }
            _ => {
                if pid != 0 || uid != 0 {
                    source(o);
                }
                if ptr != 0 {
                    sigval(o);
                }
            }
        }
    }
    o.byte(b'}');
}

/// A siginfo in the program's memory ([`print_siginfo`], or NULL / the address).
pub fn print_siginfo_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    if let Some(si) = fetch::<[u64; 16]>(o, addr, skip) {
        print_siginfo(o, opts, &si);
    }
}

// ---------------------------------------------------------------------------------------------
// Time.

/// `{tv_sec=1, tv_nsec=0}` from the two words of a timespec.
pub fn print_timespec(o: &mut Out, ts: [i64; 2]) {
    let _ = write!(o, "{{tv_sec={}, tv_nsec={}}}", ts[0], ts[1] as u64);
}

/// A timespec at `addr`.
pub fn print_timespec_at(o: &mut Out, addr: usize, skip: bool) {
    if let Some(ts) = fetch::<[i64; 2]>(o, addr, skip) {
        print_timespec(o, ts);
    }
}

/// `{tv_sec=1, tv_usec=0}` from the two words of a timeval.
pub fn print_timeval(o: &mut Out, tv: [i64; 2]) {
    let _ = write!(o, "{{tv_sec={}, tv_usec={}}}", tv[0], tv[1] as u64);
}

/// A timeval at `addr`.
pub fn print_timeval_at(o: &mut Out, addr: usize, skip: bool) {
    if let Some(tv) = fetch::<[i64; 2]>(o, addr, skip) {
        print_timeval(o, tv);
    }
}

/// An itimerspec at `addr`: `{it_interval={tv_sec=0, tv_nsec=0}, it_value={...}}`.
pub fn print_itimerspec_at(o: &mut Out, addr: usize, skip: bool) {
    if let Some(v) = fetch::<[i64; 4]>(o, addr, skip) {
        o.s("{it_interval=");
        print_timespec(o, [v[0], v[1]]);
        o.s(", it_value=");
        print_timespec(o, [v[2], v[3]]);
        o.byte(b'}');
    }
}

/// An itimerval at `addr`: `{it_interval={tv_sec=0, tv_usec=0}, it_value={...}}`.
pub fn print_itimerval_at(o: &mut Out, addr: usize, skip: bool) {
    if let Some(v) = fetch::<[i64; 4]>(o, addr, skip) {
        o.s("{it_interval=");
        print_timeval(o, [v[0], v[1]]);
        o.s(", it_value=");
        print_timeval(o, [v[2], v[3]]);
        o.byte(b'}');
    }
}

fn print_timezone_at(o: &mut Out, addr: usize, skip: bool) {
    if let Some(tz) = fetch::<[i32; 2]>(o, addr, skip) {
        let _ = write!(o, "{{tz_minuteswest={}, tz_dsttime={}}}", tz[0], tz[1]);
    }
}

/// Seconds since the epoch as strace's `%FT%T%z` (UTC: the tracer does not read the time zone,
/// so the offset is always `+0000`, which is what strace prints when TZ is UTC). A non-zero
/// `frac` prints after the seconds in `width` digits (`.000000005`, strace's `sprinttime_ex`).
pub fn print_time_utc(o: &mut Out, t: i64, frac: u64, width: usize) {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(o, "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if frac != 0 {
        let _ = write!(o, ".{frac:0width$}");
    }
    o.s("+0000");
}

/// Clock ids (`clock_gettime`, `timer_create`, ...), strace's names.
pub const CLOCKS: Xlat = &[
    (0, "CLOCK_REALTIME"),
    (1, "CLOCK_MONOTONIC"),
    (2, "CLOCK_PROCESS_CPUTIME_ID"),
    (3, "CLOCK_THREAD_CPUTIME_ID"),
    (4, "CLOCK_MONOTONIC_RAW"),
    (5, "CLOCK_REALTIME_COARSE"),
    (6, "CLOCK_MONOTONIC_COARSE"),
    (7, "CLOCK_BOOTTIME"),
    (8, "CLOCK_REALTIME_ALARM"),
    (9, "CLOCK_BOOTTIME_ALARM"),
    (10, "CLOCK_SGI_CYCLE"),
    (11, "CLOCK_TAI"),
];

/// A clock id (`CLOCK_MONOTONIC`, unknown ones `0x7b /* CLOCK_??? */`).
pub fn print_clockid(o: &mut Out, opts: &TraceOpts, id: usize) {
    xval(o, opts, id as u32 as u64, CLOCKS, Some("CLOCK_???"));
}

const TIMER_FLAGS: Xlat = &[(1, "TIMER_ABSTIME")];
const ITIMERS: Xlat = &[(0, "ITIMER_REAL"), (1, "ITIMER_VIRTUAL"), (2, "ITIMER_PROF")];
const SIGEV_NOTIFY: Xlat = &[(0, "SIGEV_SIGNAL"), (1, "SIGEV_NONE"), (2, "SIGEV_THREAD"), (4, "SIGEV_THREAD_ID")];

fn print_sigevent_at(o: &mut Out, opts: &TraceOpts, addr: usize) {
    let Some(ev) = fetch::<[u64; 4]>(o, addr, false) else { return };
    let signo = ev[1] as u32 as i32;
    let notify = (ev[1] >> 32) as u32 as i32;
    o.byte(b'{');
    // strace leaves out a zero value.
    if ev[0] != 0 {
        let _ = write!(o, "sigev_value={{sival_int={}, sival_ptr=", ev[0] as u32 as i32);
        o.ptr(ev[0] as usize);
        o.s("}, ");
    }
    o.s("sigev_signo=");
    match notify {
        0 | 2 | 4 => print_signal(o, opts, signo),
        _ => o.u64(signo as u32 as u64),
    }
    o.s(", sigev_notify=");
    xval(o, opts, notify as u32 as u64, SIGEV_NOTIFY, Some("SIGEV_???"));
    match notify {
        4 => {
            let _ = write!(o, ", sigev_notify_thread_id={}", ev[2] as u32 as i32);
        }
        2 => {
            o.s(", sigev_notify_function=");
            o.ptr(ev[2] as usize);
            o.s(", sigev_notify_attributes=");
            o.ptr(ev[3] as usize);
        }
        _ => {}
    }
    o.byte(b'}');
}

/// strace's is_erestart: the kernel's restart codes, which only a tracer outside sees.
fn is_erestart(ret: isize) -> bool {
    (-516..=-512).contains(&ret)
}

// ---------------------------------------------------------------------------------------------
// Resources.

/// Resource numbers of `getrlimit`/`setrlimit`/`prlimit64`.
pub const RLIMITS: Xlat = &[
    (0, "RLIMIT_CPU"),
    (1, "RLIMIT_FSIZE"),
    (2, "RLIMIT_DATA"),
    (3, "RLIMIT_STACK"),
    (4, "RLIMIT_CORE"),
    (5, "RLIMIT_RSS"),
    (6, "RLIMIT_NPROC"),
    (7, "RLIMIT_NOFILE"),
    (8, "RLIMIT_MEMLOCK"),
    (9, "RLIMIT_AS"),
    (10, "RLIMIT_LOCKS"),
    (11, "RLIMIT_SIGPENDING"),
    (12, "RLIMIT_MSGQUEUE"),
    (13, "RLIMIT_NICE"),
    (14, "RLIMIT_RTPRIO"),
    (15, "RLIMIT_RTTIME"),
];

/// One limit: `RLIM64_INFINITY`, `8192*1024` for multiples of 1024 above it, else decimal
/// (-X raw: always decimal; -X verbose: decimal with the special form as a comment).
pub fn print_rlim(o: &mut Out, opts: &TraceOpts, v: u64) {
    let special = v == u64::MAX || (v > 1024 && v.is_multiple_of(1024));
    if !special || opts.xlat != XlatStyle::Abbrev {
        o.u64(v);
    }
    if !special || opts.xlat == XlatStyle::Raw {
        return;
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" /* ");
    }
    if v == u64::MAX {
        o.s("RLIM64_INFINITY");
    } else {
        let _ = write!(o, "{}*1024", v / 1024);
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

/// A struct rlimit at `addr`: `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`.
pub fn print_rlimit_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    if let Some(r) = fetch::<[u64; 2]>(o, addr, skip) {
        o.s("{rlim_cur=");
        print_rlim(o, opts, r[0]);
        o.s(", rlim_max=");
        print_rlim(o, opts, r[1]);
        o.byte(b'}');
    }
}

const RUSAGE_WHO: Xlat =
    &[(0, "RUSAGE_SELF"), (0xffff_ffff, "RUSAGE_CHILDREN"), (0xffff_fffe, "RUSAGE_BOTH"), (1, "RUSAGE_THREAD")];

const RUSAGE_FIELDS: [&str; 14] = [
    "ru_maxrss",
    "ru_ixrss",
    "ru_idrss",
    "ru_isrss",
    "ru_minflt",
    "ru_majflt",
    "ru_nswap",
    "ru_inblock",
    "ru_oublock",
    "ru_msgsnd",
    "ru_msgrcv",
    "ru_nsignals",
    "ru_nvcsw",
    "ru_nivcsw",
];

/// A struct rusage at `addr`: the two times and `...`, or every field with -v.
pub fn print_rusage_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    let Some(ru) = fetch::<[i64; 18]>(o, addr, skip) else { return };
    o.s("{ru_utime=");
    print_timeval(o, [ru[0], ru[1]]);
    o.s(", ru_stime=");
    print_timeval(o, [ru[2], ru[3]]);
    if opts.verbose {
        for (i, name) in RUSAGE_FIELDS.iter().enumerate() {
            let _ = write!(o, ", {name}={}", ru[4 + i] as u64);
        }
    } else {
        o.s(", ...");
    }
    o.byte(b'}');
}

// ---------------------------------------------------------------------------------------------
// Processes.

/// Clone flags, clone's first (the 32-bit ones: the first 23 entries) and clone3's (all).
pub const CLONE_FLAGS: Xlat = &[
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x1000, "CLONE_PIDFD"),
    (0x2000, "CLONE_PTRACE"),
    (0x4000, "CLONE_VFORK"),
    (0x8000, "CLONE_PARENT"),
    (0x10000, "CLONE_THREAD"),
    (0x20000, "CLONE_NEWNS"),
    (0x40000, "CLONE_SYSVSEM"),
    (0x80000, "CLONE_SETTLS"),
    (0x100000, "CLONE_PARENT_SETTID"),
    (0x200000, "CLONE_CHILD_CLEARTID"),
    (0x800000, "CLONE_UNTRACED"),
    (0x1000000, "CLONE_CHILD_SETTID"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
    (0x80000000, "CLONE_IO"),
    // clone3 only.
    (0x1_0000_0000, "CLONE_CLEAR_SIGHAND"),
    (0x2_0000_0000, "CLONE_INTO_CGROUP"),
];

const CLONE_PIDFD: u64 = 0x1000;
const CLONE_SETTLS: u64 = 0x80000;
const CLONE_PARENT_SETTID: u64 = 0x100000;
const CLONE_CHILD_CLEARTID: u64 = 0x200000;
const CLONE_CHILD_SETTID: u64 = 0x1000000;
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// clone's flags argument: `CLONE_VM|CLONE_FS|...|SIGCHLD` (the low byte is the exit signal).
pub fn print_clone_flags(o: &mut Out, opts: &TraceOpts, v: u64) {
    let flags = v & !0xff;
    let sig = (v & 0xff) as i32;
    if flags != 0 {
        xflags(o, opts, flags, &CLONE_FLAGS[..23], Some("CLONE_???"));
        if sig != 0 {
            o.byte(b'|');
            print_signal(o, opts, sig);
        }
    } else {
        print_signal(o, opts, sig);
    }
}

/// A wait status as strace prints it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub fn print_wait_status(o: &mut Out, status: i32) {
    let sigstr = |o: &mut Out, s: i32| match signame(s as i64) {
        Some(n) => o.s(n),
        None => o.i64(s as i64),
    };
    let mut st = status as u32;
    o.byte(b'[');
    if st & 0xff == 0x7f {
        let sig = ((st >> 8) & 0xff) as i32;
        o.s("{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        sigstr(o, sig & 0x7f);
        if sig & 0x80 != 0 {
            o.s(" | 0x80");
        }
        o.byte(b'}');
        st &= !((sig as u32) << 8 | 0x7f);
    } else if st & 0x7f != 0 && st & 0x7f != 0x7f {
        let sig = (st & 0x7f) as i32;
        o.s("{WIFSIGNALED(s) && WTERMSIG(s) == ");
        sigstr(o, sig);
        if st & 0x80 != 0 {
            o.s(" && WCOREDUMP(s)");
        }
        o.byte(b'}');
        st &= !(sig as u32 | 0x80);
    } else if st & 0x7f == 0 {
        let _ = write!(o, "{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}", (st >> 8) & 0xff);
        st &= !(((st >> 8) & 0xff) << 8);
    } else if st == 0xffff {
        o.s("{WIFCONTINUED(s)}");
        st = 0;
    } else {
        let _ = write!(o, "{st:#x}]");
        return;
    }
    if st != 0 {
        let event = st >> 16;
        if event != 0 {
            o.s(" | ");
            xval(o, &TraceOpts::default(), event as u64, PTRACE_EVENTS, Some("PTRACE_EVENT_???"));
            o.s(" << 16");
            st &= 0xffff;
        }
        if st != 0 {
            let _ = write!(o, " | {st:#x}");
        }
    }
    o.byte(b']');
}

const PTRACE_EVENTS: Xlat = &[
    (1, "PTRACE_EVENT_FORK"),
    (2, "PTRACE_EVENT_VFORK"),
    (3, "PTRACE_EVENT_CLONE"),
    (4, "PTRACE_EVENT_EXEC"),
    (5, "PTRACE_EVENT_VFORK_DONE"),
    (6, "PTRACE_EVENT_EXIT"),
    (7, "PTRACE_EVENT_SECCOMP"),
    (128, "PTRACE_EVENT_STOP"),
];

const WAIT_OPTIONS: Xlat = &[
    (1, "WNOHANG"),
    (2, "WSTOPPED"),
    (4, "WEXITED"),
    (8, "WCONTINUED"),
    (0x0100_0000, "WNOWAIT"),
    (0x2000_0000, "__WNOTHREAD"),
    (0x4000_0000, "__WALL"),
    (0x8000_0000, "__WCLONE"),
];
const IDTYPES: Xlat = &[(0, "P_ALL"), (1, "P_PID"), (2, "P_PGID"), (3, "P_PIDFD")];

/// An argv/envp array as strace prints it: `["ls", "-l"]`, at most -s entries then `...`.
fn print_argv(o: &mut Out, opts: &TraceOpts, addr: usize) {
    if addr == 0 || o.no_deref {
        o.ptr(addr);
        return;
    }
    let mut n = 0usize;
    loop {
        let p = match sys::read_val::<u64>(addr + n * 8) {
            Ok(p) => p,
            Err(_) => {
                if n == 0 {
                    o.hex(addr as u64);
                } else {
                    o.s(", ... /* ");
                    o.hex((addr + n * 8) as u64);
                    o.s(" */]");
                }
                return;
            }
        };
        if n == 0 {
            o.byte(b'[');
        }
        if n >= opts.string_limit {
            o.s(", ...");
            break;
        }
        if p == 0 {
            break;
        }
        if n > 0 {
            o.s(", ");
        }
        o.c_str(p as usize, opts.string_limit, opts);
        n += 1;
    }
    o.byte(b']');
}

/// An envp array abbreviated: its address and `/* 35 vars */`.
fn print_argc(o: &mut Out, addr: usize) {
    o.ptr(addr);
    if addr == 0 || o.no_deref {
        return;
    }
    let mut count = 0u64;
    let mut unterminated = false;
    loop {
        match sys::read_val::<u64>(addr + count as usize * 8) {
            Ok(0) => break,
            Ok(_) => count += 1,
            Err(_) => {
                if count == 0 {
                    return;
                }
                unterminated = true;
                break;
            }
        }
    }
    let _ = write!(
        o,
        " /* {count} var{}{} */",
        if count == 1 { "" } else { "s" },
        if unterminated { ", unterminated" } else { "" }
    );
}

fn print_envp(o: &mut Out, opts: &TraceOpts, addr: usize) {
    if opts.verbose {
        print_argv(o, opts, addr);
    } else {
        print_argc(o, addr);
    }
}

/// An array of `n` u32s at `addr` (strace's print_array), each printed by `f`.
fn print_u32_array(o: &mut Out, opts: &TraceOpts, addr: usize, n: usize, f: impl Fn(&mut Out, u32)) {
    print_array(o, opts, addr, n as u64, 4, |o, cur, _| match sys::read_val::<u32>(cur) {
        Ok(v) => {
            f(o, v);
            true
        }
        Err(_) => false,
    });
}

// ---------------------------------------------------------------------------------------------
// Memory tables.

const PROT: Xlat = &[
    (0, "PROT_NONE"),
    (1, "PROT_READ"),
    (2, "PROT_WRITE"),
    (4, "PROT_EXEC"),
    (8, "PROT_SEM"),
    (0x0100_0000, "PROT_GROWSDOWN"),
    (0x0200_0000, "PROT_GROWSUP"),
];

const MAP_FLAGS: Xlat = &[
    (0x1, "MAP_SHARED"),
    (0x2, "MAP_PRIVATE"),
    (0x3, "MAP_SHARED_VALIDATE"),
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0, "MAP_FILE"),
    (0x2000, "MAP_LOCKED"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x4000000, "MAP_UNINITIALIZED"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
];

/// mmap's flags: the mapping type, the other flags, then `|21<<MAP_HUGE_SHIFT`.
pub fn print_mmap_flags(o: &mut Out, opts: &TraceOpts, flags: u64) {
    let abbrev = abbrev(opts);
    xstyle(
        o,
        opts,
        |o| o.hex(flags),
        |o| {
            xval(o, &abbrev, flags & 0xf, MAP_FLAGS, Some("MAP_???"));
            let mask = 0x3fu64 << 26;
            let huge = (flags & mask) >> 26;
            let rest = flags & !0xf & !mask;
            if rest != 0 {
                o.byte(b'|');
                xflags(o, &abbrev, rest, MAP_FLAGS, None);
            }
            if huge != 0 {
                let _ = write!(o, "|{huge}<<MAP_HUGE_SHIFT");
            }
        },
    );
}

const MREMAP_FLAGS: Xlat = &[(1, "MREMAP_MAYMOVE"), (2, "MREMAP_FIXED"), (4, "MREMAP_DONTUNMAP")];
pub(super) const MADVISE: Xlat = &[
    (0, "MADV_NORMAL"),
    (1, "MADV_RANDOM"),
    (2, "MADV_SEQUENTIAL"),
    (3, "MADV_WILLNEED"),
    (4, "MADV_DONTNEED"),
    (8, "MADV_FREE"),
    (9, "MADV_REMOVE"),
    (10, "MADV_DONTFORK"),
    (11, "MADV_DOFORK"),
    (12, "MADV_MERGEABLE"),
    (13, "MADV_UNMERGEABLE"),
    (14, "MADV_HUGEPAGE"),
    (15, "MADV_NOHUGEPAGE"),
    (16, "MADV_DONTDUMP"),
    (17, "MADV_DODUMP"),
    (18, "MADV_WIPEONFORK"),
    (19, "MADV_KEEPONFORK"),
    (20, "MADV_COLD"),
    (21, "MADV_PAGEOUT"),
    (22, "MADV_POPULATE_READ"),
    (23, "MADV_POPULATE_WRITE"),
    (24, "MADV_DONTNEED_LOCKED"),
    (25, "MADV_COLLAPSE"),
    (100, "MADV_HWPOISON"),
    (101, "MADV_SOFT_OFFLINE"),
];
const MSYNC_FLAGS: Xlat = &[(4, "MS_SYNC"), (1, "MS_ASYNC"), (2, "MS_INVALIDATE")];
const MLOCKALL_FLAGS: Xlat = &[(1, "MCL_CURRENT"), (2, "MCL_FUTURE"), (4, "MCL_ONFAULT")];
const MLOCK_FLAGS: Xlat = &[(1, "MLOCK_ONFAULT")];

// ---------------------------------------------------------------------------------------------
// The decoders: memory.

fn with_prot(d: &mut Decoder, i: usize) {
    let v = d.args[i] as u64;
    d.with(|o, opts, _| xflags(o, opts, v, PROT, Some("PROT_???")));
}

fn mmap(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    with_prot(d, 2);
    d.with(|o, opts, v| print_mmap_flags(o, opts, v as u64));
    d.int(4);
    d.hex(5);
    d.ret_kind = Ret::Hex;
}

fn munmap(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
}

fn mprotect(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    with_prot(d, 2);
}

fn pkey_mprotect(d: &mut Decoder) {
    mprotect(d);
    d.int(3);
}

fn mremap(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.ulong(2);
    d.with(|o, opts, v| xflags(o, opts, v as u64, MREMAP_FLAGS, Some("MREMAP_???")));
    if d.args[3] & 3 == 3 {
        d.ptr(4);
    }
    d.ret_kind = Ret::Hex;
}

fn madvise(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.with(|o, opts, v| xval(o, opts, v as u64, MADVISE, Some("MADV_???")));
}

fn msync(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.with(|o, opts, v| xflags(o, opts, v as u64, MSYNC_FLAGS, Some("MS_???")));
}

fn mlock(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
}

fn mlock2(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.with(|o, opts, v| xflags(o, opts, v as u64, MLOCK_FLAGS, Some("MLOCK_???")));
}

fn mlockall(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u64, MLOCKALL_FLAGS, Some("MCL_???")));
}

fn mincore(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.split();
    let skip = out_skip(d);
    let pages = d.args[1].div_ceil(4096);
    d.with(|o, opts, a| {
        if skip || a == 0 || o.no_deref {
            o.ptr(a);
            return;
        }
        if pages == 0 {
            o.s("[]");
            return;
        }
        let mut buf = [0u8; 4096];
        let want = pages.min(opts.string_limit.max(1)).min(buf.len());
        match sys::read_mem(a, &mut buf[..want]) {
            Ok(n) if n == want => {
                o.byte(b'[');
                for (i, b) in buf[..want].iter().enumerate() {
                    if i > 0 {
                        o.s(", ");
                    }
                    o.u64((b & 1) as u64);
                }
                if pages > want {
                    o.s(", ...");
                }
                o.byte(b']');
            }
            _ => o.hex(a as u64),
        }
    });
}

fn brk(d: &mut Decoder) {
    d.ptr(0);
    d.ret_kind = Ret::Hex;
}

// ---------------------------------------------------------------------------------------------
// Processes.

/// Arguments printed before the split by hand (so the split adds no `, `): true when this run
/// prints them (entry, or JSON's single run).
fn before_split_active(d: &Decoder) -> bool {
    d.active()
}

fn clone(d: &mut Decoder) {
    let raw = d.args[0] as u64;
    let flags = raw & !0xff;
    let stack = d.args[1];
    let (ptid, ctid, tls) = (d.args[2], d.args[3], d.args[4]);
    // strace prints the child's tid pointers at exit, with `, ` opening the exit half.
    let later =
        flags & (CLONE_PARENT_SETTID | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_SETTLS) != 0;
    let whole = is_whole(d);
    if !later || whole {
        d.with(|o, _, _| {
            o.s("child_stack=");
            o.ptr(stack);
        });
        d.with(|o, opts, _| {
            o.s("flags=");
            print_clone_flags(o, opts, raw);
        });
    } else if before_split_active(d) {
        let opts = d.opts;
        d.out.s("child_stack=");
        d.out.ptr(stack);
        d.out.s(", flags=");
        print_clone_flags(d.out, opts, raw);
    }
    if !later {
        return;
    }
    if !whole {
        d.split();
    }
    let skip = out_skip(d);
    // One argument each in JSON's single run; one piece opened by `, ` otherwise.
    let lead = if whole { "" } else { ", " };
    let mut pieces = 0;
    if flags & (CLONE_PARENT_SETTID | CLONE_PIDFD) != 0 {
        pieces += 1;
    }
    if flags & CLONE_SETTLS != 0 {
        pieces += 1;
    }
    if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
        pieces += 1;
    }
    let print_piece = |o: &mut Out, k: usize| {
        let mut n = 0;
        let mut next = |o: &mut Out, want: bool| -> bool {
            if !want {
                return false;
            }
            n += 1;
            if whole && n - 1 != k {
                return false;
            }
            o.s(lead);
            true
        };
        if next(o, flags & (CLONE_PARENT_SETTID | CLONE_PIDFD) != 0) {
            o.s("parent_tid=");
            print_num_i32(o, ptid, skip);
        }
        if next(o, flags & CLONE_SETTLS != 0) {
            o.s("tls=");
            o.ptr(tls);
        }
        if next(o, flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0) {
            o.s("child_tidptr=");
            o.ptr(ctid);
        }
    };
    if whole {
        for k in 0..pieces {
            d.extra(|o, _| print_piece(o, k));
        }
    } else {
        d.extra(|o, _| print_piece(o, usize::MAX));
    }
}

/// JSON's single run of a decoder (both halves at once): the exit phase, active before any
/// split.
fn is_whole(d: &Decoder) -> bool {
    d.phase == Phase::Exit && d.active()
}

fn clone3(d: &mut Decoder) {
    let addr = d.args[0];
    let size = d.args[1];
    let fetch_size = size.min(88);
    let mut a = [0u64; 11];
    let readable = fetch_size >= 64 && d.opts.deref && {
        // SAFETY: `a` is 88 plain bytes; the slice covers its first `fetch_size` (<= 88).
        let bytes = unsafe { core::slice::from_raw_parts_mut(a.as_mut_ptr().cast::<u8>(), fetch_size) };
        matches!(sys::read_mem(addr, bytes), Ok(n) if n == fetch_size)
    };
    let flags = a[0];
    let changes = readable && flags & (CLONE_PIDFD | CLONE_PARENT_SETTID) != 0;
    let print_struct = |o: &mut Out, opts: &TraceOpts| {
        if !readable {
            o.ptr(addr);
            return;
        }
        o.s("{flags=");
        xflags(o, opts, flags, CLONE_FLAGS, Some("CLONE_???"));
        if flags & CLONE_PIDFD != 0 {
            o.s(", pidfd=");
            o.ptr(a[1] as usize);
        }
        if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
            o.s(", child_tid=");
            o.ptr(a[2] as usize);
        }
        if flags & CLONE_PARENT_SETTID != 0 {
            o.s(", parent_tid=");
            o.ptr(a[3] as usize);
        }
        o.s(", exit_signal=");
        if a[4] < i32::MAX as u64 {
            print_signal(o, opts, a[4] as i32);
        } else {
            o.u64(a[4]);
        }
        o.s(", stack=");
        o.ptr(a[5] as usize);
        o.s(", stack_size=");
        o.hex(a[6]);
        if flags & CLONE_SETTLS != 0 {
            o.s(", tls=");
            o.ptr(a[7] as usize);
        }
        if a[8] != 0 || a[9] != 0 {
            o.s(", set_tid=");
            if a[8] == 0 || a[9] == 0 || a[9] > 32 {
                o.ptr(a[8] as usize);
            } else {
                print_u32_array(o, opts, a[8] as usize, a[9] as usize, |o, v| o.i64(v as i32 as i64));
            }
            let _ = write!(o, ", set_tid_size={}", a[9]);
        }
        if fetch_size > 80 && (a[10] != 0 || flags & CLONE_INTO_CGROUP != 0) {
            let _ = write!(o, ", cgroup={}", a[10]);
        }
        o.byte(b'}');
    };
    let print_changed = |o: &mut Out| {
        o.s(" => {");
        if flags & CLONE_PIDFD != 0 {
            o.s("pidfd=");
            print_num_i32(o, a[1] as usize, false);
        }
        if flags & CLONE_PARENT_SETTID != 0 {
            if flags & CLONE_PIDFD != 0 {
                o.s(", ");
            }
            o.s("parent_tid=");
            print_num_i32(o, a[3] as usize, false);
        }
        o.byte(b'}');
    };
    let failed = d.failed();
    if !changes || is_whole(d) {
        d.extra(|o, opts| {
            print_struct(o, opts);
            if changes && !failed {
                print_changed(o);
            }
        });
        d.ulong(1);
        return;
    }
    if before_split_active(d) {
        let opts = d.opts;
        print_struct(d.out, opts);
    }
    d.split();
    let skip = out_skip(d);
    d.extra(|o, _| {
        if !skip {
            print_changed(o);
        }
    });
    // The size follows the struct with `, ` (the extra above printed no separator of its own
    // when it was the first thing after the split).
    if d.active() {
        d.out.s(", ");
        d.out.u64(size as u64);
    }
}

const EXECVEAT_FLAGS: Xlat = &[(0x100, "AT_SYMLINK_NOFOLLOW"), (0x1000, "AT_EMPTY_PATH")];

fn execve(d: &mut Decoder) {
    d.path(0);
    d.with(print_argv);
    d.with(print_envp);
}

fn execveat(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    d.with(print_argv);
    d.with(print_envp);
    d.with(|o, opts, v| xflags(o, opts, v as u64, EXECVEAT_FLAGS, Some("AT_???")));
}

fn wait4(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    let ret = d.ret;
    d.with(|o, _, a| {
        if ret == 0 {
            o.ptr(a);
        } else if let Some(s) = fetch::<i32>(o, a, skip) {
            print_wait_status(o, s);
        }
    });
    d.with(|o, opts, v| xflags(o, opts, v as u64, WAIT_OPTIONS, Some("W???")));
    // The kernel fills the usage only for a reaped child.
    d.with(|o, opts, a| if ret > 0 { print_rusage_at(o, opts, a, skip) } else { o.ptr(a) });
}

fn waitid(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, IDTYPES, Some("P_???")));
    if d.args[0] as u32 == 3 {
        d.fd(1);
    } else {
        d.int(1);
    }
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_siginfo_at(o, opts, a, skip));
    d.with(|o, opts, v| xflags(o, opts, v as u64, WAIT_OPTIONS, Some("W???")));
    d.with(|o, opts, a| print_rusage_at(o, opts, a, skip));
}

fn with_signal(d: &mut Decoder) {
    d.with(|o, opts, v| print_signal(o, opts, v as i32));
}

fn kill(d: &mut Decoder) {
    d.int(0);
    with_signal(d);
}

fn tgkill(d: &mut Decoder) {
    d.int(0);
    d.int(1);
    with_signal(d);
}

fn int1(d: &mut Decoder) {
    d.int(0);
}

fn int2(d: &mut Decoder) {
    d.int(0);
    d.int(1);
}

fn uint1(d: &mut Decoder) {
    d.uint(0);
}

// ---------------------------------------------------------------------------------------------
// Signals.

const SIGPROCMASK_HOW: Xlat = &[(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")];

fn rt_sigaction(d: &mut Decoder) {
    with_signal(d);
    d.with(|o, opts, a| print_sigaction_at(o, opts, a, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_sigaction_at(o, opts, a, skip));
    d.ulong(3);
}

fn rt_sigprocmask(d: &mut Decoder) {
    let len = d.args[3];
    d.with(|o, opts, v| xval(o, opts, v as u64, SIGPROCMASK_HOW, Some("SIG_???")));
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, skip));
    d.ulong(3);
}

/// Where the mask rt_sigreturn restores lies, from the program's stack pointer at the call:
/// the handler's `ret` popped `pretcode`, so the stack pointer is at the frame's ucontext, whose
/// uc_sigmask follows uc_flags, uc_link, uc_stack (40 bytes) and uc_mcontext (256).
pub const SIGRETURN_MASK_OFFSET: usize = 40 + 256;

/// rt_sigreturn's `{mask=[...]}` from the program's stack pointer at the call.
pub fn print_sigreturn_frame(o: &mut Out, opts: &TraceOpts, sp: usize) {
    o.s("{mask=");
    print_sigset_at(o, opts, sp.wrapping_add(SIGRETURN_MASK_OFFSET), 8, 8, false);
    o.byte(b'}');
}

/// rt_sigreturn takes no arguments; the tracer passes the program's stack pointer as `args[0]`
/// (the registers the call saw are the program's, not arguments).
fn rt_sigreturn(d: &mut Decoder) {
    d.with(print_sigreturn_frame);
}

fn rt_sigsuspend(d: &mut Decoder) {
    let len = d.args[1];
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, false));
    d.ulong(1);
}

fn rt_sigpending(d: &mut Decoder) {
    d.split();
    let len = d.args[1];
    let skip = out_skip(d);
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 1, skip));
    d.ulong(1);
}

fn set_signal_note(d: &mut Decoder) {
    if d.phase == Phase::Exit && !d.failed() && d.ret != 0 {
        d.ret_note = match signame(d.ret as i64) {
            Some(_) => Some(SIGNOTES[(d.ret as usize).min(64)]),
            None => None,
        };
    }
}

/// ` (SIGxxx)` notes, indexed by signal number.
const SIGNOTES: [&str; 65] = [
    "",
    " (SIGHUP)",
    " (SIGINT)",
    " (SIGQUIT)",
    " (SIGILL)",
    " (SIGTRAP)",
    " (SIGABRT)",
    " (SIGBUS)",
    " (SIGFPE)",
    " (SIGKILL)",
    " (SIGUSR1)",
    " (SIGSEGV)",
    " (SIGUSR2)",
    " (SIGPIPE)",
    " (SIGALRM)",
    " (SIGTERM)",
    " (SIGSTKFLT)",
    " (SIGCHLD)",
    " (SIGCONT)",
    " (SIGSTOP)",
    " (SIGTSTP)",
    " (SIGTTIN)",
    " (SIGTTOU)",
    " (SIGURG)",
    " (SIGXCPU)",
    " (SIGXFSZ)",
    " (SIGVTALRM)",
    " (SIGPROF)",
    " (SIGWINCH)",
    " (SIGIO)",
    " (SIGPWR)",
    " (SIGSYS)",
    " (SIGRTMIN)",
    " (SIGRT_1)",
    " (SIGRT_2)",
    " (SIGRT_3)",
    " (SIGRT_4)",
    " (SIGRT_5)",
    " (SIGRT_6)",
    " (SIGRT_7)",
    " (SIGRT_8)",
    " (SIGRT_9)",
    " (SIGRT_10)",
    " (SIGRT_11)",
    " (SIGRT_12)",
    " (SIGRT_13)",
    " (SIGRT_14)",
    " (SIGRT_15)",
    " (SIGRT_16)",
    " (SIGRT_17)",
    " (SIGRT_18)",
    " (SIGRT_19)",
    " (SIGRT_20)",
    " (SIGRT_21)",
    " (SIGRT_22)",
    " (SIGRT_23)",
    " (SIGRT_24)",
    " (SIGRT_25)",
    " (SIGRT_26)",
    " (SIGRT_27)",
    " (SIGRT_28)",
    " (SIGRT_29)",
    " (SIGRT_30)",
    " (SIGRT_31)",
    " (SIGRT_32)",
];

fn rt_sigtimedwait(d: &mut Decoder) {
    let len = d.args[3];
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, false));
    if d.args[1] != 0 {
        d.split();
    }
    let skip = out_skip(d);
    d.with(|o, opts, a| print_siginfo_at(o, opts, a, skip));
    d.with(|o, _, a| print_timespec_at(o, a, false));
    d.ulong(3);
    set_signal_note(d);
}

fn rt_sigqueueinfo(d: &mut Decoder) {
    d.int(0);
    with_signal(d);
    d.with(|o, opts, a| print_siginfo_at(o, opts, a, false));
}

fn rt_tgsigqueueinfo(d: &mut Decoder) {
    d.int(0);
    d.int(1);
    with_signal(d);
    d.with(|o, opts, a| print_siginfo_at(o, opts, a, false));
}

const SFD_FLAGS: Xlat = &[(0x80000, "SFD_CLOEXEC"), (0x800, "SFD_NONBLOCK")];

fn signalfd4(d: &mut Decoder) {
    let len = d.args[2];
    d.fd(0);
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, false));
    d.ulong(2);
    d.with(|o, opts, v| xflags(o, opts, v as u64, SFD_FLAGS, Some("SFD_???")));
    d.ret_kind = Ret::Fd;
}

fn signalfd(d: &mut Decoder) {
    let len = d.args[2];
    d.fd(0);
    d.with(|o, opts, a| print_sigset_at(o, opts, a, len, 8, false));
    d.ulong(2);
    d.ret_kind = Ret::Fd;
}

const SS_FLAGS: Xlat = &[(1, "SS_ONSTACK"), (2, "SS_DISABLE"), (0x8000_0000, "SS_AUTODISARM")];

fn print_stack_t_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    if let Some(s) = fetch::<[u64; 3]>(o, addr, skip) {
        o.s("{ss_sp=");
        o.ptr(s[0] as usize);
        o.s(", ss_flags=");
        xflags(o, opts, s[1] as u32 as u64, SS_FLAGS, Some("SS_???"));
        let _ = write!(o, ", ss_size={}}}", s[2]);
    }
}

fn sigaltstack(d: &mut Decoder) {
    d.with(|o, opts, a| print_stack_t_at(o, opts, a, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_stack_t_at(o, opts, a, skip));
}

// ---------------------------------------------------------------------------------------------
// Time.

fn nanosleep(d: &mut Decoder) {
    d.with(|o, _, a| print_timespec_at(o, a, false));
    d.split();
    let restart = is_erestart(d.ret);
    d.with(|o, _, a| {
        if restart {
            print_timespec_at(o, a, false);
        } else {
            o.ptr(a);
        }
    });
}

fn clock_nanosleep(d: &mut Decoder) {
    d.with(print_clockid);
    d.with(|o, opts, v| xflags(o, opts, v as u64, TIMER_FLAGS, Some("TIMER_???")));
    d.with(|o, _, a| print_timespec_at(o, a, false));
    d.split();
    let restart = d.args[1] == 0 && is_erestart(d.ret);
    d.with(|o, _, a| {
        if restart {
            print_timespec_at(o, a, false);
        } else {
            o.ptr(a);
        }
    });
}

fn clock_gettime(d: &mut Decoder) {
    d.with(print_clockid);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_timespec_at(o, a, skip));
}

fn clock_settime(d: &mut Decoder) {
    d.with(print_clockid);
    d.with(|o, _, a| print_timespec_at(o, a, false));
}

fn gettimeofday(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_timeval_at(o, a, skip));
    d.with(|o, _, a| print_timezone_at(o, a, skip));
}

fn settimeofday(d: &mut Decoder) {
    d.with(|o, _, a| print_timeval_at(o, a, false));
    d.with(|o, _, a| print_timezone_at(o, a, false));
}

fn time(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| {
        if let Some(t) = fetch::<i64>(o, a, skip) {
            let _ = write!(o, "[{t} /* ");
            print_time_utc(o, t, 0, 0);
            o.s(" */]");
        }
    });
    if d.phase == Phase::Exit && !d.failed() {
        let t = d.ret as i64;
        d.note(|o| {
            o.s(" (");
            print_time_utc(o, t, 0, 0);
            o.byte(b')');
        });
    }
}

fn times(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| {
        if let Some(t) = fetch::<[u64; 4]>(o, a, skip) {
            for (i, name) in ["tms_utime", "tms_stime", "tms_cutime", "tms_cstime"].iter().enumerate() {
                o.s(if i == 0 { "{" } else { ", " });
                o.s(name);
                o.byte(b'=');
                print_clock_t(o, opts, t[i]);
            }
            o.byte(b'}');
        }
    });
}

fn getitimer(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, ITIMERS, Some("ITIMER_???")));
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_itimerval_at(o, a, skip));
}

fn setitimer(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, ITIMERS, Some("ITIMER_???")));
    d.with(|o, _, a| print_itimerval_at(o, a, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_itimerval_at(o, a, skip));
}

fn timer_create(d: &mut Decoder) {
    d.with(print_clockid);
    d.with(print_sigevent_at);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_num_i32(o, a, skip));
}

fn timer_settime(d: &mut Decoder) {
    d.int(0);
    d.with(|o, opts, v| xflags(o, opts, v as u64, TIMER_FLAGS, Some("TIMER_???")));
    d.with(|o, _, a| print_itimerspec_at(o, a, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_itimerspec_at(o, a, skip));
}

fn timer_gettime(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_itimerspec_at(o, a, skip));
}

// ---------------------------------------------------------------------------------------------
// Resources, system information.

fn with_resource(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, RLIMITS, Some("RLIMIT_???")));
}

fn getrlimit(d: &mut Decoder) {
    with_resource(d);
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_rlimit_at(o, opts, a, skip));
}

fn setrlimit(d: &mut Decoder) {
    with_resource(d);
    d.with(|o, opts, a| print_rlimit_at(o, opts, a, false));
}

fn prlimit64(d: &mut Decoder) {
    d.int(0);
    with_resource(d);
    d.with(|o, opts, a| print_rlimit_at(o, opts, a, false));
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_rlimit_at(o, opts, a, skip));
}

fn getrusage(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, RUSAGE_WHO, Some("RUSAGE_???")));
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_rusage_at(o, opts, a, skip));
}

/// A struct utsname at `addr`: sysname and nodename then `...`, every field with -v.
pub fn print_utsname_at(o: &mut Out, opts: &TraceOpts, addr: usize, skip: bool) {
    let mut u = [0u8; 6 * 65];
    if !fetch_bytes(o, addr, skip, &mut u) {
        return;
    }
    let names = ["sysname", "nodename", "release", "version", "machine", "domainname"];
    let shown = if opts.verbose { 6 } else { 2 };
    let plain = TraceOpts { hex_strings: opts.hex_strings, ..TraceOpts::default() };
    for (i, name) in names.iter().take(shown).enumerate() {
        o.s(if i == 0 { "{" } else { ", " });
        o.s(name);
        o.byte(b'=');
        let field = &u[i * 65..(i + 1) * 65];
        match field.iter().position(|&b| b == 0) {
            Some(n) => o.quoted(&field[..n], &plain),
            None => {
                o.quoted(field, &plain);
                o.s("...");
            }
        }
    }
    if !opts.verbose {
        o.s(", ...");
    }
    o.byte(b'}');
}

fn uname(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_utsname_at(o, opts, a, skip));
}

fn sysinfo(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| {
        if let Some(s) = fetch::<[u64; 14]>(o, a, skip) {
            let _ = write!(
                o,
                "{{uptime={}, loads=[{}, {}, {}], totalram={}, freeram={}, sharedram={}, bufferram={}, \
                 totalswap={}, freeswap={}, procs={}, totalhigh={}, freehigh={}, mem_unit={}}}",
                s[0] as i64,
                s[1],
                s[2],
                s[3],
                s[4],
                s[5],
                s[6],
                s[7],
                s[8],
                s[9],
                s[10] & 0xffff,
                s[11],
                s[12],
                s[13] as u32
            );
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Identity.

fn uid1(d: &mut Decoder) {
    d.with(|o, _, v| print_id(o, v as u32));
}

fn uid2(d: &mut Decoder) {
    uid1(d);
    uid1(d);
}

fn uid3(d: &mut Decoder) {
    uid1(d);
    uid1(d);
    uid1(d);
}

fn getresuid(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    for _ in 0..3 {
        d.with(|o, _, a| {
            if let Some(v) = fetch::<u32>(o, a, skip) {
                o.byte(b'[');
                print_id(o, v);
                o.byte(b']');
            }
        });
    }
}

fn print_groups(o: &mut Out, opts: &TraceOpts, addr: usize, n: usize) {
    if n > 65536 {
        o.ptr(addr);
        return;
    }
    print_u32_array(o, opts, addr, n, print_id);
}

fn getgroups(d: &mut Decoder) {
    d.int(0);
    d.split();
    let n = if d.failed() { usize::MAX } else { d.ret as usize };
    d.with(|o, opts, a| print_groups(o, opts, a, n));
}

fn setgroups(d: &mut Decoder) {
    let n = d.args[0] as u32 as usize;
    d.int(0);
    d.with(|o, opts, a| print_groups(o, opts, a, n));
}

const CAP_VERSIONS: Xlat = &[
    (0x1998_0330, "_LINUX_CAPABILITY_VERSION_1"),
    (0x2007_1026, "_LINUX_CAPABILITY_VERSION_2"),
    (0x2008_0522, "_LINUX_CAPABILITY_VERSION_3"),
];

const CAPS: Xlat = &[
    (1 << 0, "1<<CAP_CHOWN"),
    (1 << 1, "1<<CAP_DAC_OVERRIDE"),
    (1 << 2, "1<<CAP_DAC_READ_SEARCH"),
    (1 << 3, "1<<CAP_FOWNER"),
    (1 << 4, "1<<CAP_FSETID"),
    (1 << 5, "1<<CAP_KILL"),
    (1 << 6, "1<<CAP_SETGID"),
    (1 << 7, "1<<CAP_SETUID"),
    (1 << 8, "1<<CAP_SETPCAP"),
    (1 << 9, "1<<CAP_LINUX_IMMUTABLE"),
    (1 << 10, "1<<CAP_NET_BIND_SERVICE"),
    (1 << 11, "1<<CAP_NET_BROADCAST"),
    (1 << 12, "1<<CAP_NET_ADMIN"),
    (1 << 13, "1<<CAP_NET_RAW"),
    (1 << 14, "1<<CAP_IPC_LOCK"),
    (1 << 15, "1<<CAP_IPC_OWNER"),
    (1 << 16, "1<<CAP_SYS_MODULE"),
    (1 << 17, "1<<CAP_SYS_RAWIO"),
    (1 << 18, "1<<CAP_SYS_CHROOT"),
    (1 << 19, "1<<CAP_SYS_PTRACE"),
    (1 << 20, "1<<CAP_SYS_PACCT"),
    (1 << 21, "1<<CAP_SYS_ADMIN"),
    (1 << 22, "1<<CAP_SYS_BOOT"),
    (1 << 23, "1<<CAP_SYS_NICE"),
    (1 << 24, "1<<CAP_SYS_RESOURCE"),
    (1 << 25, "1<<CAP_SYS_TIME"),
    (1 << 26, "1<<CAP_SYS_TTY_CONFIG"),
    (1 << 27, "1<<CAP_MKNOD"),
    (1 << 28, "1<<CAP_LEASE"),
    (1 << 29, "1<<CAP_AUDIT_WRITE"),
    (1 << 30, "1<<CAP_AUDIT_CONTROL"),
    (1 << 31, "1<<CAP_SETFCAP"),
    (1 << 32, "1<<CAP_MAC_OVERRIDE"),
    (1 << 33, "1<<CAP_MAC_ADMIN"),
    (1 << 34, "1<<CAP_SYSLOG"),
    (1 << 35, "1<<CAP_WAKE_ALARM"),
    (1 << 36, "1<<CAP_BLOCK_SUSPEND"),
    (1 << 37, "1<<CAP_AUDIT_READ"),
    (1 << 38, "1<<CAP_PERFMON"),
    (1 << 39, "1<<CAP_BPF"),
    (1 << 40, "1<<CAP_CHECKPOINT_RESTORE"),
];

const CAP_NAMES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

fn print_cap_header_at(o: &mut Out, opts: &TraceOpts, addr: usize) -> u32 {
    let Some(h) = fetch::<[u32; 2]>(o, addr, false) else { return 0 };
    o.s("{version=");
    xval(o, opts, h[0] as u64, CAP_VERSIONS, Some("_LINUX_CAPABILITY_VERSION_???"));
    let _ = write!(o, ", pid={}}}", h[1] as i32);
    h[0]
}

fn print_cap_data_at(o: &mut Out, opts: &TraceOpts, addr: usize, version: u32, skip: bool) {
    let n = match version {
        0x1998_0330 => 1,
        0x2007_1026 | 0x2008_0522 => 2,
        _ => {
            o.ptr(addr);
            return;
        }
    };
    let Some(data) = fetch::<[u32; 6]>(o, addr, skip) else { return };
    let word = |k: usize| {
        let lo = data[k] as u64;
        let hi = if n == 2 { (data[3 + k] as u64) << 32 } else { 0 };
        lo | hi
    };
    for (k, name) in ["effective", "permitted", "inheritable"].iter().enumerate() {
        o.s(if k == 0 { "{" } else { ", " });
        o.s(name);
        o.byte(b'=');
        xflags(o, opts, word(k), CAPS, Some("CAP_???"));
    }
    o.byte(b'}');
}

fn capget(d: &mut Decoder) {
    let mut version = 0;
    let h = d.args[0];
    if let Ok(v) = sys::read_val::<u32>(h) {
        if h != 0 {
            version = v;
        }
    }
    d.with(|o, opts, a| {
        print_cap_header_at(o, opts, a);
    });
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| print_cap_data_at(o, opts, a, version, skip));
}

fn capset(d: &mut Decoder) {
    let mut version = 0;
    d.with(|o, opts, a| version = print_cap_header_at(o, opts, a));
    d.with(|o, opts, a| print_cap_data_at(o, opts, a, version, false));
}

// ---------------------------------------------------------------------------------------------
// prctl, arch_prctl.

const PR_OPTIONS: Xlat = &[
    (1, "PR_SET_PDEATHSIG"),
    (2, "PR_GET_PDEATHSIG"),
    (3, "PR_GET_DUMPABLE"),
    (4, "PR_SET_DUMPABLE"),
    (5, "PR_GET_UNALIGN"),
    (6, "PR_SET_UNALIGN"),
    (7, "PR_GET_KEEPCAPS"),
    (8, "PR_SET_KEEPCAPS"),
    (9, "PR_GET_FPEMU"),
    (10, "PR_SET_FPEMU"),
    (11, "PR_GET_FPEXC"),
    (12, "PR_SET_FPEXC"),
    (13, "PR_GET_TIMING"),
    (14, "PR_SET_TIMING"),
    (15, "PR_SET_NAME"),
    (16, "PR_GET_NAME"),
    (19, "PR_GET_ENDIAN"),
    (20, "PR_SET_ENDIAN"),
    (21, "PR_GET_SECCOMP"),
    (22, "PR_SET_SECCOMP"),
    (23, "PR_CAPBSET_READ"),
    (24, "PR_CAPBSET_DROP"),
    (25, "PR_GET_TSC"),
    (26, "PR_SET_TSC"),
    (27, "PR_GET_SECUREBITS"),
    (28, "PR_SET_SECUREBITS"),
    (29, "PR_SET_TIMERSLACK"),
    (30, "PR_GET_TIMERSLACK"),
    (31, "PR_TASK_PERF_EVENTS_DISABLE"),
    (32, "PR_TASK_PERF_EVENTS_ENABLE"),
    (33, "PR_MCE_KILL"),
    (34, "PR_MCE_KILL_GET"),
    (35, "PR_SET_MM"),
    (36, "PR_SET_CHILD_SUBREAPER"),
    (37, "PR_GET_CHILD_SUBREAPER"),
    (38, "PR_SET_NO_NEW_PRIVS"),
    (39, "PR_GET_NO_NEW_PRIVS"),
    (40, "PR_GET_TID_ADDRESS"),
    (41, "PR_SET_THP_DISABLE"),
    (42, "PR_GET_THP_DISABLE"),
    (43, "PR_MPX_ENABLE_MANAGEMENT"),
    (44, "PR_MPX_DISABLE_MANAGEMENT"),
    (45, "PR_SET_FP_MODE"),
    (46, "PR_GET_FP_MODE"),
    (47, "PR_CAP_AMBIENT"),
    (50, "PR_SVE_SET_VL"),
    (51, "PR_SVE_GET_VL"),
    (52, "PR_GET_SPECULATION_CTRL"),
    (53, "PR_SET_SPECULATION_CTRL"),
    (54, "PR_PAC_RESET_KEYS"),
    (55, "PR_SET_TAGGED_ADDR_CTRL"),
    (56, "PR_GET_TAGGED_ADDR_CTRL"),
    (57, "PR_SET_IO_FLUSHER"),
    (58, "PR_GET_IO_FLUSHER"),
    (59, "PR_SET_SYSCALL_USER_DISPATCH"),
    (60, "PR_PAC_SET_ENABLED_KEYS"),
    (61, "PR_PAC_GET_ENABLED_KEYS"),
    (62, "PR_SCHED_CORE"),
    (63, "PR_SME_SET_VL"),
    (64, "PR_SME_GET_VL"),
    (0x5356_4d41, "PR_SET_VMA"),
    (0x5961_6d61, "PR_SET_PTRACER"),
];

const PR_DUMPABLE: Xlat = &[(0, "SUID_DUMP_DISABLE"), (1, "SUID_DUMP_USER"), (2, "SUID_DUMP_ROOT")];
const DUMPABLE_NOTES: [&str; 3] = [" (SUID_DUMP_DISABLE)", " (SUID_DUMP_USER)", " (SUID_DUMP_ROOT)"];
const SECCOMP_MODES: Xlat = &[(0, "SECCOMP_MODE_DISABLED"), (1, "SECCOMP_MODE_STRICT"), (2, "SECCOMP_MODE_FILTER")];
const PR_TSC: Xlat = &[(1, "PR_TSC_ENABLE"), (2, "PR_TSC_SIGSEGV")];
const PR_UNALIGN: Xlat = &[(1, "PR_UNALIGN_NOPRINT"), (2, "PR_UNALIGN_SIGBUS")];
const PR_CAP_AMBIENT_OPS: Xlat = &[
    (1, "PR_CAP_AMBIENT_IS_SET"),
    (2, "PR_CAP_AMBIENT_RAISE"),
    (3, "PR_CAP_AMBIENT_LOWER"),
    (4, "PR_CAP_AMBIENT_CLEAR_ALL"),
];
const PR_SUD: Xlat = &[(0, "PR_SYS_DISPATCH_OFF"), (1, "PR_SYS_DISPATCH_ON")];

fn cap_xval(o: &mut Out, opts: &TraceOpts, v: u64) {
    let names: [(u64, &str); 41] = core::array::from_fn(|i| (i as u64, CAP_NAMES[i]));
    xval(o, opts, v, &names, Some("CAP_???"));
}

fn prctl(d: &mut Decoder) {
    let option = d.args[0] as u32;
    d.with(|o, opts, _| xval(o, opts, option as u64, PR_OPTIONS, Some("PR_???")));
    let hex_from = |d: &mut Decoder, first: usize| {
        for i in first..5 {
            d.hex(i);
        }
    };
    let skip = out_skip(d);
    match option {
        // PR_GET_KEEPCAPS, PR_GET_SECCOMP, PR_GET_TIMERSLACK, PR_GET_TIMING,
        // PR_TASK_PERF_EVENTS_*: no arguments.
        7 | 21 | 30 | 13 | 31 | 32 => {}
        // PR_GET_CHILD_SUBREAPER, PR_GET_ENDIAN, PR_GET_FPEMU, PR_GET_FPEXC: `[N]`.
        37 | 19 | 9 | 11 => {
            d.split();
            d.with(|o, _, a| {
                if let Some(v) = fetch::<u32>(o, a, skip) {
                    let _ = write!(o, "[{v}]");
                }
            });
        }
        3 => {
            if d.phase == Phase::Exit && !d.failed() && (0..=2).contains(&d.ret) {
                d.ret_note = Some(DUMPABLE_NOTES[d.ret as usize]);
            }
        }
        16 => {
            d.split();
            d.with(|o, opts, a| {
                if skip {
                    o.ptr(a);
                } else {
                    o.c_str(a, 16.min(opts.string_limit), opts);
                }
            });
        }
        2 => {
            d.split();
            d.with(|o, opts, a| {
                if let Some(v) = fetch::<u32>(o, a, skip) {
                    o.byte(b'[');
                    print_signal(o, opts, v as i32);
                    o.byte(b']');
                }
            });
        }
        40 => {
            d.split();
            d.with(|o, _, a| print_num_ptr(o, a, skip));
        }
        25 => {
            d.split();
            d.with(|o, opts, a| {
                if let Some(v) = fetch::<u32>(o, a, skip) {
                    o.byte(b'[');
                    xval(o, opts, v as u64, PR_TSC, Some("PR_TSC_???"));
                    o.byte(b']');
                }
            });
        }
        5 => {
            d.split();
            d.with(|o, opts, a| {
                if let Some(v) = fetch::<u32>(o, a, skip) {
                    o.byte(b'[');
                    xflags(o, opts, v as u64, PR_UNALIGN, Some("PR_UNALIGN_???"));
                    o.byte(b']');
                }
            });
        }
        // PR_SET_CHILD_SUBREAPER, PR_SET_ENDIAN, PR_SET_FPEMU, PR_SET_FPEXC, PR_SET_KEEPCAPS,
        // PR_SET_TIMING.
        36 | 20 | 10 | 12 | 8 | 14 => d.ulong(1),
        4 => d.with(|o, opts, v| xval(o, opts, v as u64, PR_DUMPABLE, Some("SUID_DUMP_???"))),
        23 | 24 => d.with(|o, opts, v| cap_xval(o, opts, v as u64)),
        47 => {
            d.with(|o, opts, v| xval(o, opts, v as u64, PR_CAP_AMBIENT_OPS, Some("PR_CAP_AMBIENT_???")));
            if (1..=3).contains(&d.args[1]) {
                d.with(|o, opts, v| cap_xval(o, opts, v as u64));
                hex_from(d, 3);
            } else {
                hex_from(d, 2);
            }
        }
        15 => d.with(|o, opts, a| o.c_str(a, 15.min(opts.string_limit), opts)),
        1 => d.with(|o, opts, v| {
            if v as u64 > 128 {
                o.u64(v as u64);
            } else {
                print_signal(o, opts, v as i32);
            }
        }),
        0x5961_6d61 => d.with(|o, opts, v| {
            if v as i32 == -1 {
                match opts.xlat {
                    XlatStyle::Abbrev => o.s("PR_SET_PTRACER_ANY"),
                    XlatStyle::Raw => o.s("-1"),
                    XlatStyle::Verbose => o.s("-1 /* PR_SET_PTRACER_ANY */"),
                }
            } else {
                o.i64(v as i32 as i64);
            }
        }),
        22 => {
            d.with(|o, opts, v| xval(o, opts, v as u64, SECCOMP_MODES, Some("SECCOMP_MODE_???")));
            match d.args[1] {
                1 => {}
                // The filter program's decoding is the seccomp decoder's (not this family's).
                2 => d.ptr(2),
                _ => hex_from(d, 2),
            }
        }
        29 => d.long(1),
        26 => d.with(|o, opts, v| xval(o, opts, v as u32 as u64, PR_TSC, Some("PR_TSC_???"))),
        6 => d.with(|o, opts, v| xflags(o, opts, v as u64, PR_UNALIGN, Some("PR_UNALIGN_???"))),
        // PR_SET_NO_NEW_PRIVS, PR_SET_THP_DISABLE, PR_SET_IO_FLUSHER.
        38 | 41 | 57 => {
            d.ulong(1);
            hex_from(d, 2);
        }
        59 => {
            d.with(|o, opts, v| xval(o, opts, v as u64, PR_SUD, Some("PR_SYS_DISPATCH_???")));
            d.hex(2);
            d.hex(3);
            d.ptr(4);
        }
        _ => hex_from(d, 1),
    }
}

const ARCH_OPTIONS: Xlat = &[
    (0x1001, "ARCH_SET_GS"),
    (0x1002, "ARCH_SET_FS"),
    (0x1003, "ARCH_GET_FS"),
    (0x1004, "ARCH_GET_GS"),
    (0x1011, "ARCH_GET_CPUID"),
    (0x1012, "ARCH_SET_CPUID"),
    (0x1021, "ARCH_GET_XCOMP_SUPP"),
    (0x1022, "ARCH_GET_XCOMP_PERM"),
    (0x1023, "ARCH_REQ_XCOMP_PERM"),
    (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
    (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
    (0x2001, "ARCH_MAP_VDSO_X32"),
    (0x2002, "ARCH_MAP_VDSO_32"),
    (0x2003, "ARCH_MAP_VDSO_64"),
];

fn arch_prctl(d: &mut Decoder) {
    let option = d.args[0] as u32;
    d.with(|o, opts, _| xval(o, opts, option as u64, ARCH_OPTIONS, Some("ARCH_???")));
    match option {
        0x1003 | 0x1004 => {
            d.split();
            let skip = out_skip(d);
            d.with(|o, _, a| print_num_ptr(o, a, skip));
        }
        0x1011 => {}
        _ => d.hex(1),
    }
}

// ---------------------------------------------------------------------------------------------
// Threads: futex, robust lists, tid address.

const FUTEX_OPS: Xlat = &[
    (0, "FUTEX_WAIT"),
    (1, "FUTEX_WAKE"),
    (2, "FUTEX_FD"),
    (3, "FUTEX_REQUEUE"),
    (4, "FUTEX_CMP_REQUEUE"),
    (5, "FUTEX_WAKE_OP"),
    (6, "FUTEX_LOCK_PI"),
    (7, "FUTEX_UNLOCK_PI"),
    (8, "FUTEX_TRYLOCK_PI"),
    (9, "FUTEX_WAIT_BITSET"),
    (10, "FUTEX_WAKE_BITSET"),
    (11, "FUTEX_WAIT_REQUEUE_PI"),
    (12, "FUTEX_CMP_REQUEUE_PI"),
    (13, "FUTEX_LOCK_PI2"),
    (128, "FUTEX_WAIT_PRIVATE"),
    (129, "FUTEX_WAKE_PRIVATE"),
    (130, "FUTEX_FD|FUTEX_PRIVATE_FLAG"),
    (131, "FUTEX_REQUEUE_PRIVATE"),
    (132, "FUTEX_CMP_REQUEUE_PRIVATE"),
    (133, "FUTEX_WAKE_OP_PRIVATE"),
    (134, "FUTEX_LOCK_PI_PRIVATE"),
    (135, "FUTEX_UNLOCK_PI_PRIVATE"),
    (136, "FUTEX_TRYLOCK_PI_PRIVATE"),
    (137, "FUTEX_WAIT_BITSET_PRIVATE"),
    (138, "FUTEX_WAKE_BITSET_PRIVATE"),
    (139, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"),
    (140, "FUTEX_CMP_REQUEUE_PI_PRIVATE"),
    (141, "FUTEX_LOCK_PI2_PRIVATE"),
    (256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"),
    (384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"),
    (265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"),
    (393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"),
    (267, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"),
    (395, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"),
];
const FUTEX_BITSET: Xlat = &[(0xffff_ffff, "FUTEX_BITSET_MATCH_ANY")];
const FUTEX_WAKE_OPS: Xlat =
    &[(0, "FUTEX_OP_SET"), (1, "FUTEX_OP_ADD"), (2, "FUTEX_OP_OR"), (3, "FUTEX_OP_ANDN"), (4, "FUTEX_OP_XOR")];
const FUTEX_WAKE_CMPS: Xlat = &[
    (0, "FUTEX_OP_CMP_EQ"),
    (1, "FUTEX_OP_CMP_NE"),
    (2, "FUTEX_OP_CMP_LT"),
    (3, "FUTEX_OP_CMP_LE"),
    (4, "FUTEX_OP_CMP_GT"),
    (5, "FUTEX_OP_CMP_GE"),
];

fn futex(d: &mut Decoder) {
    let op = d.args[1] as u32;
    d.ptr(0);
    d.with(|o, opts, _| xval(o, opts, op as u64, FUTEX_OPS, Some("FUTEX_???")));
    let val3 = d.args[5] as u32;
    let bitset = |d: &mut Decoder| d.with(|o, opts, _| xval(o, opts, val3 as u64, FUTEX_BITSET, None));
    let ts = |d: &mut Decoder, i: usize| {
        let a = d.args[i];
        d.with(|o, _, _| print_timespec_at(o, a, false));
    };
    match op & 127 {
        0 => {
            d.uint(2);
            ts(d, 3);
        }
        6 | 13 => ts(d, 3),
        9 => {
            d.uint(2);
            ts(d, 3);
            bitset(d);
        }
        10 => {
            d.uint(2);
            bitset(d);
        }
        3 => {
            d.uint(2);
            d.uint(3);
            d.ptr(4);
        }
        4 | 12 => {
            d.uint(2);
            d.uint(3);
            d.ptr(4);
            d.uint(5);
        }
        5 => {
            d.uint(2);
            d.uint(3);
            d.ptr(4);
            d.with(|o, opts, _| {
                if (val3 >> 28) & 8 != 0 {
                    o.s("FUTEX_OP_OPARG_SHIFT<<28|");
                }
                let known = lookup_name(FUTEX_WAKE_OPS, ((val3 >> 28) & 7) as u64).is_some();
                xval(o, opts, ((val3 >> 28) & 7) as u64, FUTEX_WAKE_OPS, None);
                o.s("<<28");
                if !known {
                    comment(o, "FUTEX_OP_???");
                }
                o.byte(b'|');
                o.hex(((val3 >> 12) & 0xfff) as u64);
                o.s("<<12|");
                let known = lookup_name(FUTEX_WAKE_CMPS, ((val3 >> 24) & 0xf) as u64).is_some();
                xval(o, opts, ((val3 >> 24) & 0xf) as u64, FUTEX_WAKE_CMPS, None);
                o.s("<<24");
                if !known {
                    comment(o, "FUTEX_OP_CMP_???");
                }
                o.byte(b'|');
                o.hex((val3 & 0xfff) as u64);
            });
        }
        11 => {
            d.uint(2);
            ts(d, 3);
            d.ptr(4);
        }
        1 | 2 => d.uint(2),
        7 | 8 => {}
        _ => {
            d.uint(2);
            d.ptr(3);
            d.ptr(4);
            let v = val3 as u64;
            d.with(|o, _, _| o.hex(v));
        }
    }
}

fn set_robust_list(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
}

fn get_robust_list(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_num_ptr(o, a, skip));
    d.with(|o, _, a| {
        if let Some(v) = fetch::<u64>(o, a, skip) {
            let _ = write!(o, "[{v}]");
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Scheduling.

pub(super) const SCHED_POLICIES: Xlat = &[
    (0, "SCHED_OTHER"),
    (1, "SCHED_FIFO"),
    (2, "SCHED_RR"),
    (3, "SCHED_BATCH"),
    (4, "SCHED_ISO"),
    (5, "SCHED_IDLE"),
    (6, "SCHED_DEADLINE"),
];
const SCHED_NOTES: [&str; 7] = [
    " (SCHED_OTHER)",
    " (SCHED_FIFO)",
    " (SCHED_RR)",
    " (SCHED_BATCH)",
    " (SCHED_ISO)",
    " (SCHED_IDLE)",
    " (SCHED_DEADLINE)",
];

/// A CPU set of `len` bytes: `[0 1]` (the address when the length is not whole words).
pub fn print_cpuset_at(o: &mut Out, addr: usize, len: usize, skip: bool) {
    if skip || len == 0 || !len.is_multiple_of(8) {
        o.ptr(addr);
        return;
    }
    let mut buf = [0u8; 1024];
    let n = len.min(buf.len());
    if !fetch_bytes(o, addr, false, &mut buf[..n]) {
        return;
    }
    o.byte(b'[');
    let mut first = true;
    for (i, b) in buf[..n].iter().enumerate() {
        for bit in 0..8 {
            if b & (1 << bit) != 0 {
                if !first {
                    o.byte(b' ');
                }
                first = false;
                o.u64((i * 8 + bit) as u64);
            }
        }
    }
    if len > n {
        o.s(" ...");
    }
    o.byte(b']');
}

fn sched_getaffinity(d: &mut Decoder) {
    d.int(0);
    d.ulong(1);
    d.split();
    let skip = out_skip(d);
    let n = d.ret as usize;
    d.with(|o, _, a| print_cpuset_at(o, a, n, skip));
}

fn sched_setaffinity(d: &mut Decoder) {
    let n = d.args[1];
    d.int(0);
    d.ulong(1);
    d.with(|o, _, a| print_cpuset_at(o, a, n, false));
}

fn print_sched_param_at(o: &mut Out, addr: usize, skip: bool) {
    print_num_i32(o, addr, skip);
}

fn sched_getparam(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_sched_param_at(o, a, skip));
}

fn sched_setparam(d: &mut Decoder) {
    d.int(0);
    d.with(|o, _, a| print_sched_param_at(o, a, false));
}

fn sched_getscheduler(d: &mut Decoder) {
    d.int(0);
    if d.phase == Phase::Exit && !d.failed() && (0..=6).contains(&d.ret) {
        d.ret_note = Some(SCHED_NOTES[d.ret as usize]);
    }
}

fn sched_setscheduler(d: &mut Decoder) {
    d.int(0);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SCHED_POLICIES, Some("SCHED_???")));
    d.with(|o, _, a| print_sched_param_at(o, a, false));
}

fn sched_priority(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SCHED_POLICIES, Some("SCHED_???")));
}

fn sched_rr_get_interval(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    d.with(|o, _, a| print_timespec_at(o, a, skip));
}

const PRIO_WHICH: Xlat = &[(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")];

fn setpriority(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, PRIO_WHICH, Some("PRIO_???")));
    d.int(1);
    d.int(2);
}

// ---------------------------------------------------------------------------------------------
// Miscellaneous.

const GRND_FLAGS: Xlat = &[(1, "GRND_NONBLOCK"), (2, "GRND_RANDOM"), (4, "GRND_INSECURE")];

fn getrandom(d: &mut Decoder) {
    d.split();
    let failed = d.failed();
    let n = d.ret as usize;
    d.with(|o, opts, a| {
        if failed {
            o.hex(a as u64);
        } else {
            // strace shows the random bytes in hex whatever -x says.
            let hex = TraceOpts { hex_strings: 2, ..*opts };
            o.mem_str(a, n, &hex);
        }
    });
    d.ulong(1);
    d.with(|o, opts, v| xflags(o, opts, v as u64, GRND_FLAGS, Some("GRND_???")));
}

const PER_TYPES: Xlat = &[
    (0, "PER_LINUX"),
    (1, "PER_SVR4"),
    (2, "PER_SVR3"),
    (3, "PER_SCOSVR3"),
    (4, "PER_WYSEV386"),
    (5, "PER_ISCR4"),
    (6, "PER_BSD"),
    (7, "PER_XENIX"),
    (8, "PER_LINUX32"),
    (9, "PER_IRIX32"),
    (10, "PER_IRIXN32"),
    (11, "PER_IRIX64"),
    (12, "PER_RISCOS"),
    (13, "PER_SOLARIS"),
    (14, "PER_UW7"),
    (15, "PER_OSF4"),
    (16, "PER_HPUX"),
];
const PER_FLAGS: Xlat = &[
    (0x0020000, "UNAME26"),
    (0x0040000, "ADDR_NO_RANDOMIZE"),
    (0x0080000, "FDPIC_FUNCPTRS"),
    (0x0100000, "MMAP_PAGE_ZERO"),
    (0x0200000, "ADDR_COMPAT_LAYOUT"),
    (0x0400000, "READ_IMPLIES_EXEC"),
    (0x0800000, "ADDR_LIMIT_32BIT"),
    (0x1000000, "SHORT_INODE"),
    (0x2000000, "WHOLE_SECONDS"),
    (0x4000000, "STICKY_TIMEOUTS"),
    (0x8000000, "ADDR_LIMIT_3GB"),
];

/// A personality value: `PER_LINUX|ADDR_NO_RANDOMIZE`, `0xffffffff` for the query.
pub fn print_personality(o: &mut Out, opts: &TraceOpts, p: u32) {
    if p == 0xffff_ffff {
        o.hex(p as u64);
        return;
    }
    let abbrev = abbrev(opts);
    xstyle(
        o,
        opts,
        |o| o.hex(p as u64),
        |o| {
            xval(o, &abbrev, (p & 0xff) as u64, PER_TYPES, Some("PER_???"));
            let rest = (p & !0xff) as u64;
            if rest != 0 {
                o.byte(b'|');
                xflags(o, &abbrev, rest, PER_FLAGS, None);
            }
        },
    );
}

fn personality(d: &mut Decoder) {
    d.with(|o, opts, v| print_personality(o, opts, v as u32));
    if d.phase == Phase::Exit && !d.failed() {
        d.ret_kind = Ret::Hex;
        let r = d.ret as u32;
        if d.opts.xlat != XlatStyle::Raw {
            let abbrev = abbrev(d.opts);
            d.note(|o| {
                o.s(" (");
                print_personality(o, &abbrev, r);
                o.byte(b')');
            });
        }
    }
}

const MEMBARRIER_CMDS: Xlat = &[
    (0, "MEMBARRIER_CMD_QUERY"),
    (1, "MEMBARRIER_CMD_GLOBAL"),
    (2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
    (4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
    (8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
    (16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
    (32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
    (64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
    (128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
    (256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
];

fn membarrier(d: &mut Decoder) {
    let cmd = d.args[0] as u32;
    d.with(|o, opts, _| xval(o, opts, cmd as u64, MEMBARRIER_CMDS, Some("MEMBARRIER_CMD_???")));
    d.hex(1);
    if cmd == 0 && d.phase == Phase::Exit && !d.failed() {
        d.ret_kind = Ret::Hex;
        let r = d.ret as u64;
        if r != 0 && d.opts.xlat != XlatStyle::Raw {
            let abbrev = abbrev(d.opts);
            d.note(|o| {
                o.s(" (");
                xflags(o, &abbrev, r, MEMBARRIER_CMDS, None);
                o.byte(b')');
            });
        }
    }
}

fn getcpu(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    for _ in 0..2 {
        d.with(|o, _, a| {
            if let Some(v) = fetch::<u32>(o, a, skip) {
                let _ = write!(o, "[{v}]");
            }
        });
    }
    d.ptr(2);
}

fn set_tid_address(d: &mut Decoder) {
    d.ptr(0);
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_mmap => mmap,
        libc::SYS_munmap => munmap,
        libc::SYS_mprotect => mprotect,
        libc::SYS_pkey_mprotect => pkey_mprotect,
        libc::SYS_mremap => mremap,
        libc::SYS_madvise => madvise,
        libc::SYS_msync => msync,
        libc::SYS_mlock | libc::SYS_munlock => mlock,
        libc::SYS_mlock2 => mlock2,
        libc::SYS_mlockall => mlockall,
        libc::SYS_mincore => mincore,
        libc::SYS_brk => brk,
        libc::SYS_clone => clone,
        libc::SYS_clone3 => clone3,
        libc::SYS_execve => execve,
        libc::SYS_execveat => execveat,
        libc::SYS_wait4 => wait4,
        libc::SYS_waitid => waitid,
        libc::SYS_kill | libc::SYS_tkill => kill,
        libc::SYS_tgkill => tgkill,
        libc::SYS_setpgid => int2,
        libc::SYS_getpgid | libc::SYS_getsid | libc::SYS_timer_getoverrun | libc::SYS_timer_delete => int1,
        libc::SYS_rt_sigaction => rt_sigaction,
        libc::SYS_rt_sigprocmask => rt_sigprocmask,
        libc::SYS_rt_sigreturn => rt_sigreturn,
        libc::SYS_rt_sigsuspend => rt_sigsuspend,
        libc::SYS_rt_sigpending => rt_sigpending,
        libc::SYS_rt_sigtimedwait => rt_sigtimedwait,
        libc::SYS_rt_sigqueueinfo => rt_sigqueueinfo,
        libc::SYS_rt_tgsigqueueinfo => rt_tgsigqueueinfo,
        libc::SYS_signalfd4 => signalfd4,
        libc::SYS_signalfd => signalfd,
        libc::SYS_sigaltstack => sigaltstack,
        libc::SYS_alarm => uint1,
        libc::SYS_nanosleep => nanosleep,
        libc::SYS_clock_nanosleep => clock_nanosleep,
        libc::SYS_clock_gettime | libc::SYS_clock_getres => clock_gettime,
        libc::SYS_clock_settime => clock_settime,
        libc::SYS_gettimeofday => gettimeofday,
        libc::SYS_settimeofday => settimeofday,
        libc::SYS_time => time,
        libc::SYS_times => times,
        libc::SYS_getitimer => getitimer,
        libc::SYS_setitimer => setitimer,
        libc::SYS_timer_create => timer_create,
        libc::SYS_timer_settime => timer_settime,
        libc::SYS_timer_gettime => timer_gettime,
        libc::SYS_getrlimit => getrlimit,
        libc::SYS_setrlimit => setrlimit,
        libc::SYS_prlimit64 => prlimit64,
        libc::SYS_getrusage => getrusage,
        libc::SYS_uname => uname,
        libc::SYS_sysinfo => sysinfo,
        libc::SYS_setuid | libc::SYS_setgid | libc::SYS_setfsuid | libc::SYS_setfsgid => uid1,
        libc::SYS_setreuid | libc::SYS_setregid => uid2,
        libc::SYS_setresuid | libc::SYS_setresgid => uid3,
        libc::SYS_getresuid | libc::SYS_getresgid => getresuid,
        libc::SYS_getgroups => getgroups,
        libc::SYS_setgroups => setgroups,
        libc::SYS_capget => capget,
        libc::SYS_capset => capset,
        libc::SYS_prctl => prctl,
        libc::SYS_arch_prctl => arch_prctl,
        libc::SYS_set_tid_address => set_tid_address,
        libc::SYS_set_robust_list => set_robust_list,
        libc::SYS_get_robust_list => get_robust_list,
        libc::SYS_futex => futex,
        libc::SYS_sched_getaffinity => sched_getaffinity,
        libc::SYS_sched_setaffinity => sched_setaffinity,
        libc::SYS_sched_getparam => sched_getparam,
        libc::SYS_sched_setparam => sched_setparam,
        libc::SYS_sched_getscheduler => sched_getscheduler,
        libc::SYS_sched_setscheduler => sched_setscheduler,
        libc::SYS_sched_get_priority_max | libc::SYS_sched_get_priority_min => sched_priority,
        libc::SYS_sched_rr_get_interval => sched_rr_get_interval,
        libc::SYS_setpriority => setpriority,
        libc::SYS_getrandom => getrandom,
        libc::SYS_personality => personality,
        libc::SYS_membarrier => membarrier,
        libc::SYS_getcpu => getcpu,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Each expected line is what strace 6.1 printed for the same call (see the C programs the
    //! report names), with this run's addresses, pids and values filled in.

    use super::super::testing::*;
    use super::*;
    use crate::trace::render_line;

    fn line_v(nr: libc::c_long, a: &[usize], ret: isize) -> String {
        render_line(nr as usize, args(a), ret, &TraceOpts { verbose: true, ..TraceOpts::default() })
    }

    const EBADF: &str = "-1 EBADF (Bad file descriptor)";

    #[test]
    fn mmap_family_matches_strace() {
        let len = 8192;
        let r = sc(libc::SYS_mmap, &[0, len, 3, 0x22, usize::MAX, 0]);
        assert!(r > 0);
        assert_eq!(
            line(libc::SYS_mmap, &[0, len, 3, 0x22, usize::MAX, 0], r),
            exp("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)", &format!("{r:#x}"))
        );
        let a = r as usize;
        // SAFETY: both pages were just mapped read-write; touching them makes mincore see them.
        unsafe {
            *(a as *mut u8) = 1;
            *((a + 4096) as *mut u8) = 1;
        }
        let r = sc(libc::SYS_mincore, &[a, 8192, 0x10]);
        assert_eq!(line(libc::SYS_mincore, &[a, 8192, 0x10], r), exp(&format!("mincore({a:#x}, 8192, 0x10)"), EFAULT));
        let mut vec = [0u8; 2];
        let r = sc(libc::SYS_mincore, &[a, 8192, p(&vec)]);
        assert_eq!(r, 0);
        vec[0] |= 0x80; // only the low bit is shown
        assert_eq!(
            line(libc::SYS_mincore, &[a, 8192, p(&vec)], 0),
            exp(&format!("mincore({a:#x}, 8192, [1, 1])"), "0")
        );
        let r = sc(libc::SYS_mprotect, &[a, 4096, 1]);
        assert_eq!(line(libc::SYS_mprotect, &[a, 4096, 1], r), exp(&format!("mprotect({a:#x}, 4096, PROT_READ)"), "0"));
        let r = sc(libc::SYS_madvise, &[a, 4096, 4]);
        assert_eq!(
            line(libc::SYS_madvise, &[a, 4096, 4], r),
            exp(&format!("madvise({a:#x}, 4096, MADV_DONTNEED)"), "0")
        );
        let r = sc(libc::SYS_madvise, &[a, 4096, 12345]);
        assert_eq!(
            line(libc::SYS_madvise, &[a, 4096, 12345], r),
            exp(&format!("madvise({a:#x}, 4096, 0x3039 /* MADV_??? */)"), EINVAL)
        );
        let r = sc(libc::SYS_msync, &[a, 4096, 6]);
        assert_eq!(
            line(libc::SYS_msync, &[a, 4096, 6], r),
            exp(&format!("msync({a:#x}, 4096, MS_SYNC|MS_INVALIDATE)"), "0")
        );
        assert_eq!(
            line_x(libc::SYS_msync, &[a, 4096, 6], 0, XlatStyle::Verbose),
            exp(&format!("msync({a:#x}, 4096, 0x6 /* MS_SYNC|MS_INVALIDATE */)"), "0")
        );
        assert_eq!(line(libc::SYS_mlock, &[a, 4096], 0), exp(&format!("mlock({a:#x}, 4096)"), "0"));
        assert_eq!(line(libc::SYS_munlock, &[a, 4096], 0), exp(&format!("munlock({a:#x}, 4096)"), "0"));
        assert_eq!(line(libc::SYS_mlock2, &[a, 4096, 1], 0), exp(&format!("mlock2({a:#x}, 4096, MLOCK_ONFAULT)"), "0"));
        assert_eq!(line(libc::SYS_mlockall, &[3], 0), exp("mlockall(MCL_CURRENT|MCL_FUTURE)", "0"));
        assert_eq!(line_x(libc::SYS_mlockall, &[3], 0, XlatStyle::Raw), exp("mlockall(0x3)", "0"));
        // Two VMAs (the mprotect above split the mapping) make mremap fail with EFAULT, as in
        // the C program strace traced.
        let r = sc(libc::SYS_mremap, &[a, 8192, 16384, 1]);
        assert_eq!(
            line(libc::SYS_mremap, &[a, 8192, 16384, 1], r),
            exp(&format!("mremap({a:#x}, 8192, 16384, MREMAP_MAYMOVE)"), EFAULT)
        );
        sc(libc::SYS_mprotect, &[a, 4096, 3]);
        let r = sc(libc::SYS_mremap, &[a, 8192, 16384, 1]);
        assert!(r > 0);
        assert_eq!(
            line(libc::SYS_mremap, &[a, 8192, 16384, 1], r),
            exp(&format!("mremap({a:#x}, 8192, 16384, MREMAP_MAYMOVE)"), &format!("{r:#x}"))
        );
        assert_eq!(
            line(libc::SYS_mremap, &[a, 8192, 16384, 3, 0x10000], -22),
            exp(&format!("mremap({a:#x}, 8192, 16384, MREMAP_MAYMOVE|MREMAP_FIXED, 0x10000)"), EINVAL)
        );
        let b = r as usize;
        let r = sc(libc::SYS_munmap, &[b, 16384]);
        assert_eq!(line(libc::SYS_munmap, &[b, 16384], r), exp(&format!("munmap({b:#x}, 16384)"), "0"));
        assert_eq!(line(libc::SYS_munmap, &[usize::MAX, 16384], -22), exp("munmap(0xffffffffffffffff, 16384)", EINVAL));
        let r = sc(libc::SYS_brk, &[0]);
        assert_eq!(line(libc::SYS_brk, &[0], r), exp("brk(NULL)", &format!("{r:#x}")));
    }

    #[test]
    fn mmap_flags_in_every_xlat_style() {
        let odd = [0, 4096, 0x105, 0x8000001, 3, 0x1000];
        let huge = [0, 4096, 1, 0x54060103, usize::MAX, 0];
        assert_eq!(
            line(libc::SYS_mmap, &odd, -9),
            exp("mmap(NULL, 4096, PROT_READ|PROT_EXEC|0x100, MAP_SHARED|2<<MAP_HUGE_SHIFT, 3, 0x1000)", EBADF)
        );
        assert_eq!(
            line(libc::SYS_mmap, &huge, -9),
            exp(
                "mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE|MAP_GROWSDOWN|MAP_STACK|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0)",
                EBADF
            )
        );
        assert_eq!(
            line(libc::SYS_mmap, &[0x10000, 4096, 0, 0x104022, usize::MAX, 0], 0x10000),
            exp(
                "mmap(0x10000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED_NOREPLACE, -1, 0)",
                "0x10000"
            )
        );
        assert_eq!(
            line_x(libc::SYS_mmap, &odd, -9, XlatStyle::Raw),
            exp("mmap(NULL, 4096, 0x105, 0x8000001, 3, 0x1000)", EBADF)
        );
        assert_eq!(
            line_x(libc::SYS_mmap, &odd, -9, XlatStyle::Verbose),
            exp(
                "mmap(NULL, 4096, 0x105 /* PROT_READ|PROT_EXEC|0x100 */, 0x8000001 /* MAP_SHARED|2<<MAP_HUGE_SHIFT */, 3, 0x1000)",
                EBADF
            )
        );
        assert_eq!(
            line_x(libc::SYS_mmap, &huge, -9, XlatStyle::Verbose),
            exp(
                "mmap(NULL, 4096, 0x1 /* PROT_READ */, 0x54060103 /* MAP_SHARED_VALIDATE|MAP_GROWSDOWN|MAP_STACK|MAP_HUGETLB|21<<MAP_HUGE_SHIFT */, -1, 0)",
                EBADF
            )
        );
        assert_eq!(
            line_x(libc::SYS_madvise, &[0x1000, 4096, 12345], -22, XlatStyle::Verbose),
            exp("madvise(0x1000, 4096, 0x3039 /* MADV_??? */)", EINVAL)
        );
    }

    /// A kernel `struct sigaction`.
    fn ksa(handler: u64, flags: u64, restorer: u64, mask: u64) -> [u64; 4] {
        [handler, flags, restorer, mask]
    }

    #[test]
    fn rt_sigaction_matches_strace() {
        let act = ksa(0x5555_1234, 0x1400_0004, 0x7f00_5678, 1 << 14);
        let body = "{sa_handler=0x55551234, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x7f005678}";
        assert_eq!(
            line(libc::SYS_rt_sigaction, &[10, p(&act), 0, 8], 0),
            exp(&format!("rt_sigaction(SIGUSR1, {body}, NULL, 8)"), "0")
        );
        assert_eq!(
            line(libc::SYS_rt_sigaction, &[10, 0, p(&act), 8], 0),
            exp(&format!("rt_sigaction(SIGUSR1, NULL, {body}, 8)"), "0")
        );
        // A real exchange with the kernel: the old action of an untouched signal.
        let ign = ksa(1, 0x0400_0000, 0x7f00_5678, 1 << 14);
        let mut old = [0u64; 4];
        let r = sc(libc::SYS_rt_sigaction, &[libc::SIGWINCH as usize, p(&ign), pm(&mut old), 8]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_rt_sigaction, &[libc::SIGWINCH as usize, p(&ign), p(&old), 8], r),
            exp(
                "rt_sigaction(SIGWINCH, {sa_handler=SIG_IGN, sa_mask=[TERM], sa_flags=SA_RESTORER, sa_restorer=0x7f005678}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8)",
                "0"
            )
        );
        sc(libc::SYS_rt_sigaction, &[libc::SIGWINCH as usize, p(&old), 0, 8]);
        assert_eq!(
            line_x(libc::SYS_rt_sigaction, &[13, p(&ign), p(&old), 8], 0, XlatStyle::Raw),
            exp(
                "rt_sigaction(13, {sa_handler=0x1, sa_mask=[15], sa_flags=0x4000000, sa_restorer=0x7f005678}, {sa_handler=0, sa_mask=[], sa_flags=0}, 8)",
                "0"
            )
        );
        assert_eq!(
            line_x(libc::SYS_rt_sigaction, &[13, p(&ign), p(&old), 8], 0, XlatStyle::Verbose),
            exp(
                "rt_sigaction(13 /* SIGPIPE */, {sa_handler=0x1 /* SIG_IGN */, sa_mask=[15 /* TERM */], sa_flags=0x4000000 /* SA_RESTORER */, sa_restorer=0x7f005678}, {sa_handler=0 /* SIG_DFL */, sa_mask=[], sa_flags=0}, 8)",
                "0"
            )
        );
        let r = sc(libc::SYS_rt_sigaction, &[2, 0x10, 0, 8]);
        assert_eq!(
            line(libc::SYS_rt_sigaction, &[2, 0x10, 0, 8], r),
            exp("rt_sigaction(SIGINT, 0x10, NULL, 8)", EFAULT)
        );
        let r = sc(libc::SYS_rt_sigaction, &[99, 0, 0, 8]);
        assert_eq!(line(libc::SYS_rt_sigaction, &[99, 0, 0, 8], r), exp("rt_sigaction(99, NULL, NULL, 8)", EINVAL));
        // A failed call's old action prints as its address.
        assert_eq!(
            line(libc::SYS_rt_sigaction, &[9, p(&act), p(&old), 8], -22),
            exp(&format!("rt_sigaction(SIGKILL, {body}, {:#x}, 8)", p(&old)), EINVAL)
        );
    }

    #[test]
    fn sigsets_match_strace() {
        let chld_rt = (1u64 << 16) | (1 << 33) | (1 << 63);
        let glibc_full = !((1u64 << 31) | (1 << 32));
        let mut old = 0u64;
        let l =
            |how: usize, set: usize, old: usize, ret: isize| line(libc::SYS_rt_sigprocmask, &[how, set, old, 8], ret);
        assert_eq!(l(0, p(&chld_rt), p(&old), 0), exp("rt_sigprocmask(SIG_BLOCK, [CHLD RT_2 RT_32], [], 8)", "0"));
        assert_eq!(
            l(2, p(&glibc_full), p(&chld_rt), 0),
            exp("rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [CHLD RT_2 RT_32], 8)", "0")
        );
        assert_eq!(l(1, 0, p(&chld_rt), 0), exp("rt_sigprocmask(SIG_UNBLOCK, NULL, [CHLD RT_2 RT_32], 8)", "0"));
        let all = u64::MAX;
        assert_eq!(l(0, p(&all), 0, 0), exp("rt_sigprocmask(SIG_BLOCK, ~[], NULL, 8)", "0"));
        let kill_stop = !((1u64 << 8) | (1 << 18));
        assert_eq!(
            l(5, p(&kill_stop), 0, -22),
            exp("rt_sigprocmask(0x5 /* SIG_??? */, ~[KILL STOP], NULL, 8)", EINVAL)
        );
        assert_eq!(l(2, 0x10, 0, -14), exp("rt_sigprocmask(SIG_SETMASK, 0x10, NULL, 8)", EFAULT));
        assert_eq!(
            line(libc::SYS_rt_sigprocmask, &[2, p(&old), 0, 4], -22),
            exp(&format!("rt_sigprocmask(SIG_SETMASK, {:#x}, NULL, 4)", p(&old)), EINVAL)
        );
        // The failed call's old set is its address.
        assert_eq!(
            line(libc::SYS_rt_sigprocmask, &[9, p(&all), p(&old), 8], -22),
            exp(&format!("rt_sigprocmask(0x9 /* SIG_??? */, ~[], {:#x}, 8)", p(&old)), EINVAL)
        );
        // A real call: the test thread's mask.
        let r = sc(libc::SYS_rt_sigprocmask, &[0, 0, pm(&mut old), 8]);
        assert_eq!(r, 0);
        let mut want = String::new();
        {
            let mut buf = [0u8; 512];
            let mut o = Out::new(&mut buf);
            print_sigset(&mut o, &TraceOpts::default(), old, 8);
            want.push_str(core::str::from_utf8(o.as_bytes()).unwrap());
        }
        assert_eq!(l(0, 0, p(&old), 0), exp(&format!("rt_sigprocmask(SIG_BLOCK, NULL, {want}, 8)"), "0"));
        assert_eq!(
            line_x(libc::SYS_rt_sigprocmask, &[2, p(&glibc_full), p(&chld_rt), 8], 0, XlatStyle::Raw),
            exp("rt_sigprocmask(0x2, ~[32 33], [17 34 64], 8)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_rt_sigprocmask, &[2, p(&glibc_full), p(&chld_rt), 8], 0, XlatStyle::Verbose),
            exp(
                "rt_sigprocmask(0x2 /* SIG_SETMASK */, ~[32 /* RTMIN */ 33 /* RT_1 */], [17 /* CHLD */ 34 /* RT_2 */ 64 /* RT_32 */], 8)",
                "0"
            )
        );
        assert_eq!(
            line_x(libc::SYS_rt_sigprocmask, &[0, p(&all), 0, 8], 0, XlatStyle::Verbose),
            exp("rt_sigprocmask(0 /* SIG_BLOCK */, ~[], NULL, 8)", "0")
        );
        let none = 0u64;
        assert_eq!(line(libc::SYS_rt_sigpending, &[p(&none), 8], 0), exp("rt_sigpending([], 8)", "0"));
        assert_eq!(line(libc::SYS_rt_sigsuspend, &[0x10, 8], -14), exp("rt_sigsuspend(0x10, 8)", EFAULT));
        let usr2 = 1u64 << 11;
        assert_eq!(
            line(libc::SYS_signalfd4, &[usize::MAX, p(&usr2), 8, 0x80800], 3),
            exp("signalfd4(-1, [USR2], 8, SFD_CLOEXEC|SFD_NONBLOCK)", "3")
        );
        assert_eq!(
            line_x(libc::SYS_signalfd4, &[usize::MAX, p(&usr2), 8, 0x80800], 3, XlatStyle::Raw),
            exp("signalfd4(-1, [12], 8, 0x80800)", "3")
        );
    }

    #[test]
    fn signal_numbers_match_strace() {
        let pid = std::process::id() as usize;
        let k = |sig: usize, ret: isize| line(libc::SYS_kill, &[pid, sig], ret);
        assert_eq!(k(10, 0), exp(&format!("kill({pid}, SIGUSR1)"), "0"));
        assert_eq!(k(0, 0), exp(&format!("kill({pid}, 0)"), "0"));
        assert_eq!(line(libc::SYS_kill, &[usize::MAX, 200], -22), exp("kill(-1, 200)", EINVAL));
        assert_eq!(line(libc::SYS_tkill, &[pid, 36], 0), exp(&format!("tkill({pid}, SIGRT_4)"), "0"));
        assert_eq!(line(libc::SYS_tgkill, &[pid, pid, 64], 0), exp(&format!("tgkill({pid}, {pid}, SIGRT_32)"), "0"));
        assert_eq!(line(libc::SYS_tgkill, &[pid, pid, 33], 0), exp(&format!("tgkill({pid}, {pid}, SIGRT_1)"), "0"));
        assert_eq!(line(libc::SYS_tgkill, &[pid, pid, 32], 0), exp(&format!("tgkill({pid}, {pid}, SIGRTMIN)"), "0"));
        assert_eq!(line_x(libc::SYS_tkill, &[pid, 36], 0, XlatStyle::Raw), exp(&format!("tkill({pid}, 36)"), "0"));
        assert_eq!(
            line_x(libc::SYS_kill, &[pid, 10], 0, XlatStyle::Verbose),
            exp(&format!("kill({pid}, 10 /* SIGUSR1 */)"), "0")
        );
        assert_eq!(line_x(libc::SYS_kill, &[pid, 0], 0, XlatStyle::Verbose), exp(&format!("kill({pid}, 0)"), "0"));
    }

    /// A siginfo_t's 128 bytes with the given words set.
    fn siginfo(signo: i32, code: i32, w2: u64, w3: u64, w4: u64, w5: u64) -> [u64; 16] {
        let mut si = [0u64; 16];
        si[0] = signo as u32 as u64;
        si[1] = code as u32 as u64;
        si[2] = w2;
        si[3] = w3;
        si[4] = w4;
        si[5] = w5;
        si
    }

    fn siginfo_str(si: &[u64; 16], opts: &TraceOpts) -> String {
        let mut buf = [0u8; 1024];
        let mut o = Out::new(&mut buf);
        print_siginfo(&mut o, opts, si);
        String::from_utf8_lossy(o.as_bytes()).into_owned()
    }

    #[test]
    fn siginfo_matches_strace() {
        let d = TraceOpts::default();
        let pid_uid = |pid: u32, uid: u32| (uid as u64) << 32 | pid as u64;
        assert_eq!(
            siginfo_str(&siginfo(10, 0, pid_uid(7322, 0), 0, 0, 0), &d),
            "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=7322, si_uid=0}"
        );
        assert_eq!(
            siginfo_str(&siginfo(36, -6, pid_uid(7322, 0), 0, 0, 0), &d),
            "{si_signo=SIGRT_4, si_code=SI_TKILL, si_pid=7322, si_uid=0}"
        );
        let q = siginfo(12, -1, pid_uid(7322, 0), 7, 0, 0);
        assert_eq!(
            siginfo_str(&q, &d),
            "{si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=7322, si_uid=0, si_int=7, si_ptr=0x7}"
        );
        assert_eq!(
            siginfo_str(&q, &TraceOpts { xlat: XlatStyle::Verbose, ..d }),
            "{si_signo=12 /* SIGUSR2 */, si_code=0xffffffff /* SI_QUEUE */, si_pid=7322, si_uid=0, si_int=7, si_ptr=0x7}"
        );
        assert_eq!(
            siginfo_str(&q, &TraceOpts { xlat: XlatStyle::Raw, ..d }),
            "{si_signo=12, si_code=0xffffffff, si_pid=7322, si_uid=0, si_int=7, si_ptr=0x7}"
        );
        assert_eq!(
            siginfo_str(&siginfo(17, 1, pid_uid(7324, 0), 3, 0, 0), &d),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7324, si_uid=0, si_status=3, si_utime=0, si_stime=0}"
        );
        assert_eq!(
            siginfo_str(&siginfo(17, 2, pid_uid(7325, 0), 9, 0, 0), &d),
            "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=7325, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}"
        );
        assert_eq!(
            siginfo_str(&siginfo(17, 1, pid_uid(7327, 0), 1, 140734854349528, 140541963090584), &d),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7327, si_uid=0, si_status=1, si_utime=140734854349528 /* 1407348543495.28 s */, si_stime=140541963090584 /* 1405419630905.84 s */}"
        );
        assert_eq!(siginfo_str(&[0; 16], &d), "{}");
        assert_eq!(
            siginfo_str(&siginfo(11, 1, 8, 0, 0, 0), &d),
            "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8}"
        );
        assert_eq!(
            siginfo_str(&siginfo(17, 5, pid_uid(8955, 0), 19, 0, 0), &d),
            "{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=8955, si_uid=0, si_status=SIGSTOP, si_utime=0, si_stime=0}"
        );
        // A real one: what the kernel queues for kill() to ourselves, fetched by sigtimedwait.
        // SAFETY: plain libc calls on this thread's own signal mask and pending set.
        unsafe {
            let mut set: libc::sigset_t = core::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGUSR2);
            let mut old: libc::sigset_t = core::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            libc::syscall(libc::SYS_tgkill, libc::getpid(), libc::gettid(), libc::SIGUSR2);
            let mut si = [0u64; 16];
            let ts = [0i64; 2];
            let r = sc(libc::SYS_rt_sigtimedwait, &[p(&set), pm(&mut si), p(&ts), 8]);
            libc::pthread_sigmask(libc::SIG_SETMASK, &old, core::ptr::null_mut());
            assert_eq!(r, 12);
            let (pid, uid) = (libc::getpid(), libc::getuid());
            assert_eq!(
                line(libc::SYS_rt_sigtimedwait, &[p(&set), p(&si), p(&ts), 8], r),
                exp(
                    &format!("rt_sigtimedwait([USR2], {{si_signo=SIGUSR2, si_code=SI_TKILL, si_pid={pid}, si_uid={uid}}}, {{tv_sec=0, tv_nsec=0}}, 8)"),
                    "12 (SIGUSR2)"
                )
            );
            assert_eq!(
                line(libc::SYS_rt_sigtimedwait, &[p(&set), p(&si), p(&ts), 8], -11),
                exp(
                    &format!("rt_sigtimedwait([USR2], {:#x}, {{tv_sec=0, tv_nsec=0}}, 8)", p(&si)),
                    "-1 EAGAIN (Resource temporarily unavailable)"
                )
            );
            assert_eq!(
                line(libc::SYS_rt_sigtimedwait, &[p(&set), 0, 0, 8], 12),
                exp("rt_sigtimedwait([USR2], NULL, NULL, 8)", "12 (SIGUSR2)")
            );
            assert_eq!(
                line(libc::SYS_rt_sigqueueinfo, &[pid as usize, 12, p(&q)], 0),
                exp(&format!("rt_sigqueueinfo({pid}, SIGUSR2, {{si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=7322, si_uid=0, si_int=7, si_ptr=0x7}})"), "0")
            );
            assert_eq!(
                line(libc::SYS_rt_tgsigqueueinfo, &[pid as usize, pid as usize, 12, p(&q)], 0),
                exp(&format!("rt_tgsigqueueinfo({pid}, {pid}, SIGUSR2, {{si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=7322, si_uid=0, si_int=7, si_ptr=0x7}})"), "0")
            );
        }
    }

    #[test]
    fn sigaltstack_and_sigreturn_match_strace() {
        let ss = [0x5564_498c_62a0u64, 0, 65536];
        let disabled = [0u64, 2, 0];
        assert_eq!(
            line(libc::SYS_sigaltstack, &[p(&ss), p(&disabled)], 0),
            exp("sigaltstack({ss_sp=0x5564498c62a0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0})", "0")
        );
        assert_eq!(
            line_x(libc::SYS_sigaltstack, &[0, p(&disabled)], 0, XlatStyle::Verbose),
            exp("sigaltstack(NULL, {ss_sp=NULL, ss_flags=0x2 /* SS_DISABLE */, ss_size=0})", "0")
        );
        // A signal frame as the kernel lays it out, seen from the stack pointer at rt_sigreturn.
        let mut frame = [0u64; 64];
        frame[SIGRETURN_MASK_OFFSET / 8] = 1 << 14;
        assert_eq!(line(libc::SYS_rt_sigreturn, &[p(&frame)], 0), exp("rt_sigreturn({mask=[TERM]})", "0"));
        frame[SIGRETURN_MASK_OFFSET / 8] = 0;
        assert_eq!(line(libc::SYS_rt_sigreturn, &[p(&frame)], 0), exp("rt_sigreturn({mask=[]})", "0"));
    }

    #[test]
    fn sleeps_and_clocks_match_strace() {
        let ts = [0i64, 5];
        let mut rem = [0i64; 2];
        let r = sc(libc::SYS_nanosleep, &[p(&ts), pm(&mut rem)]);
        assert_eq!(
            line(libc::SYS_nanosleep, &[p(&ts), p(&rem)], r),
            exp(&format!("nanosleep({{tv_sec=0, tv_nsec=5}}, {:#x})", p(&rem)), "0")
        );
        assert_eq!(line(libc::SYS_nanosleep, &[p(&ts), 0], 0), exp("nanosleep({tv_sec=0, tv_nsec=5}, NULL)", "0"));
        let bad = [0i64, -1];
        let r = sc(libc::SYS_nanosleep, &[p(&bad), 0]);
        assert_eq!(
            line(libc::SYS_nanosleep, &[p(&bad), 0], r),
            exp("nanosleep({tv_sec=0, tv_nsec=18446744073709551615}, NULL)", EINVAL)
        );
        assert_eq!(line(libc::SYS_nanosleep, &[0x10, 0], -14), exp("nanosleep(0x10, NULL)", EFAULT));
        let us = [0i64, 1000];
        assert_eq!(
            line(libc::SYS_clock_nanosleep, &[1, 0, p(&us), 0], 0),
            exp("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, NULL)", "0")
        );
        let abs = [1i64, 5];
        assert_eq!(
            line(libc::SYS_clock_nanosleep, &[1, 1, p(&abs), 0], 0),
            exp("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=1, tv_nsec=5}, NULL)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_clock_nanosleep, &[0, 0, p(&us), 0], 0, XlatStyle::Raw),
            exp("clock_nanosleep(0, 0, {tv_sec=0, tv_nsec=1000}, NULL)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_clock_nanosleep, &[1, 1, p(&abs), 0], 0, XlatStyle::Verbose),
            exp(
                "clock_nanosleep(0x1 /* CLOCK_MONOTONIC */, 0x1 /* TIMER_ABSTIME */, {tv_sec=1, tv_nsec=5}, NULL)",
                "0"
            )
        );
        assert_eq!(
            line_x(libc::SYS_clock_nanosleep, &[0, 0, p(&us), 0], 0, XlatStyle::Verbose),
            exp("clock_nanosleep(0 /* CLOCK_REALTIME */, 0, {tv_sec=0, tv_nsec=1000}, NULL)", "0")
        );
        let mut now = [0i64; 2];
        let r = sc(libc::SYS_clock_gettime, &[1, pm(&mut now)]);
        assert_eq!(
            line(libc::SYS_clock_gettime, &[1, p(&now)], r),
            exp(&format!("clock_gettime(CLOCK_MONOTONIC, {{tv_sec={}, tv_nsec={}}})", now[0], now[1]), "0")
        );
        let r = sc(libc::SYS_clock_gettime, &[7, 0x10]);
        assert_eq!(line(libc::SYS_clock_gettime, &[7, 0x10], r), exp("clock_gettime(CLOCK_BOOTTIME, 0x10)", EFAULT));
        let r = sc(libc::SYS_clock_gettime, &[123, pm(&mut now)]);
        assert_eq!(
            line(libc::SYS_clock_gettime, &[123, p(&now)], r),
            exp(&format!("clock_gettime(0x7b /* CLOCK_??? */, {:#x})", p(&now)), EINVAL)
        );
        let r = sc(libc::SYS_clock_getres, &[2, pm(&mut now)]);
        assert_eq!(
            line(libc::SYS_clock_getres, &[2, p(&now)], r),
            exp("clock_getres(CLOCK_PROCESS_CPUTIME_ID, {tv_sec=0, tv_nsec=1})", "0")
        );
        let cpu = (-6i64) as usize;
        let r = sc(libc::SYS_clock_gettime, &[cpu, pm(&mut now)]);
        assert_eq!(
            line(libc::SYS_clock_gettime, &[cpu, p(&now)], r),
            exp(&format!("clock_gettime(0xfffffffa /* CLOCK_??? */, {{tv_sec={}, tv_nsec={}}})", now[0], now[1]), "0")
        );
        assert_eq!(
            line(libc::SYS_clock_settime, &[0, p(&us)], -22),
            exp("clock_settime(CLOCK_REALTIME, {tv_sec=0, tv_nsec=1000})", EINVAL)
        );
    }

    #[test]
    fn wall_clock_calls_match_strace() {
        let mut tv = [0i64; 2];
        let mut tz = [0i32; 2];
        let r = sc(libc::SYS_gettimeofday, &[pm(&mut tv), 0]);
        assert_eq!(
            line(libc::SYS_gettimeofday, &[p(&tv), 0], r),
            exp(&format!("gettimeofday({{tv_sec={}, tv_usec={}}}, NULL)", tv[0], tv[1]), "0")
        );
        let r = sc(libc::SYS_gettimeofday, &[pm(&mut tv), pm(&mut tz)]);
        assert_eq!(
            line(libc::SYS_gettimeofday, &[p(&tv), p(&tz)], r),
            exp(
                &format!(
                    "gettimeofday({{tv_sec={}, tv_usec={}}}, {{tz_minuteswest={}, tz_dsttime={}}})",
                    tv[0], tv[1], tz[0], tz[1]
                ),
                "0"
            )
        );
        assert_eq!(
            line(libc::SYS_settimeofday, &[p(&tv), 0], -1),
            exp(
                &format!("settimeofday({{tv_sec={}, tv_usec={}}}, NULL)", tv[0], tv[1]),
                "-1 EPERM (Operation not permitted)"
            )
        );
        // The dates strace printed for these seconds (TZ=UTC).
        assert_eq!(line(libc::SYS_time, &[0], 1795463388), exp("time(NULL)", "1795463388 (2026-11-23T19:49:48+0000)"));
        let t = 1795463388i64;
        assert_eq!(
            line(libc::SYS_time, &[p(&t)], 1795463388),
            exp("time([1795463388 /* 2026-11-23T19:49:48+0000 */])", "1795463388 (2026-11-23T19:49:48+0000)")
        );
        assert_eq!(line(libc::SYS_time, &[0], 0), exp("time(NULL)", "0 (1970-01-01T00:00:00+0000)"));
        assert_eq!(line(libc::SYS_time, &[0], 951782400), exp("time(NULL)", "951782400 (2000-02-29T00:00:00+0000)"));
        let tms = [0u64; 4];
        assert_eq!(
            line(libc::SYS_times, &[p(&tms)], 1718182661),
            exp("times({tms_utime=0, tms_stime=0, tms_cutime=0, tms_cstime=0})", "1718182661")
        );
        let busy = [125u64, 3, 0, 0];
        assert_eq!(
            line(libc::SYS_times, &[p(&busy)], 17),
            exp("times({tms_utime=125 /* 1.25 s */, tms_stime=3 /* 0.03 s */, tms_cutime=0, tms_cstime=0})", "17")
        );
        assert_eq!(line(libc::SYS_times, &[0], 1718393933), exp("times(NULL)", "1718393933"));
    }

    #[test]
    fn timers_match_strace() {
        let zero = [0i64; 4];
        let zeros = "{it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}";
        let mut old = [0i64; 4];
        let r = sc(libc::SYS_setitimer, &[0, p(&zero), pm(&mut old)]);
        assert_eq!(
            line(libc::SYS_setitimer, &[0, p(&zero), p(&old)], r),
            exp(&format!("setitimer(ITIMER_REAL, {zeros}, {zeros})"), "0")
        );
        let r = sc(libc::SYS_getitimer, &[2, pm(&mut old)]);
        assert_eq!(line(libc::SYS_getitimer, &[2, p(&old)], r), exp(&format!("getitimer(ITIMER_PROF, {zeros})"), "0"));
        assert_eq!(
            line_x(libc::SYS_getitimer, &[2, p(&old)], 0, XlatStyle::Verbose),
            exp(&format!("getitimer(0x2 /* ITIMER_PROF */, {zeros})"), "0")
        );
        assert_eq!(line(libc::SYS_alarm, &[5], 0), exp("alarm(5)", "0"));
        // struct sigevent: value, signo, notify, union.
        let sev = [3u64, 10, 0, 0];
        let mut id = 0i32;
        let r = sc(libc::SYS_timer_create, &[1, p(&sev), pm(&mut id)]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_timer_create, &[1, p(&sev), p(&id)], r),
            exp(&format!("timer_create(CLOCK_MONOTONIC, {{sigev_value={{sival_int=3, sival_ptr=0x3}}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}}, [{id}])"), "0")
        );
        let none = [3u64, (1u64 << 32) | 10, 0, 0];
        assert_eq!(
            line(libc::SYS_timer_create, &[0, p(&none), p(&id)], 0),
            exp(&format!("timer_create(CLOCK_REALTIME, {{sigev_value={{sival_int=3, sival_ptr=0x3}}, sigev_signo=10, sigev_notify=SIGEV_NONE}}, [{id}])"), "0")
        );
        assert_eq!(
            line(libc::SYS_timer_create, &[0, 0, p(&id)], 0),
            exp(&format!("timer_create(CLOCK_REALTIME, NULL, [{id}])"), "0")
        );
        let plain = [0u64, 10, 0, 0];
        assert_eq!(
            line(libc::SYS_timer_create, &[1, p(&plain), p(&id)], 0),
            exp(
                &format!("timer_create(CLOCK_MONOTONIC, {{sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}}, [{id}])"),
                "0"
            )
        );
        let tid = [3u64, (4u64 << 32) | 10, 8996, 0];
        assert_eq!(
            line(libc::SYS_timer_create, &[1, p(&tid), p(&id)], 0),
            exp(&format!("timer_create(CLOCK_MONOTONIC, {{sigev_value={{sival_int=3, sival_ptr=0x3}}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=8996}}, [{id}])"), "0")
        );
        let thread = [0u64, (2u64 << 32) | 10, 0x1234, 0];
        assert_eq!(
            line(libc::SYS_timer_create, &[1, p(&thread), p(&id)], 0),
            exp(&format!("timer_create(CLOCK_MONOTONIC, {{sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD, sigev_notify_function=0x1234, sigev_notify_attributes=NULL}}, [{id}])"), "0")
        );
        let its = [0i64, 0, 100, 0];
        let mut oits = [0i64; 4];
        let t = id as usize;
        let r = sc(libc::SYS_timer_settime, &[t, 0, p(&its), pm(&mut oits)]);
        assert_eq!(
            line(libc::SYS_timer_settime, &[t, 0, p(&its), p(&oits)], r),
            exp(&format!("timer_settime({id}, 0, {{it_interval={{tv_sec=0, tv_nsec=0}}, it_value={{tv_sec=100, tv_nsec=0}}}}, {{it_interval={{tv_sec=0, tv_nsec=0}}, it_value={{tv_sec=0, tv_nsec=0}}}})"), "0")
        );
        assert_eq!(
            line(libc::SYS_timer_settime, &[t, 1, p(&its), 0], 0),
            exp(&format!("timer_settime({id}, TIMER_ABSTIME, {{it_interval={{tv_sec=0, tv_nsec=0}}, it_value={{tv_sec=100, tv_nsec=0}}}}, NULL)"), "0")
        );
        let r = sc(libc::SYS_timer_gettime, &[t, pm(&mut oits)]);
        assert_eq!(
            line(libc::SYS_timer_gettime, &[t, p(&oits)], r),
            exp(&format!("timer_gettime({id}, {{it_interval={{tv_sec={}, tv_nsec={}}}, it_value={{tv_sec={}, tv_nsec={}}}}})", oits[0], oits[1], oits[2], oits[3]), "0")
        );
        assert_eq!(line(libc::SYS_timer_getoverrun, &[t], 0), exp(&format!("timer_getoverrun({id})"), "0"));
        let r = sc(libc::SYS_timer_delete, &[t]);
        assert_eq!(line(libc::SYS_timer_delete, &[t], r), exp(&format!("timer_delete({id})"), "0"));
        assert_eq!(line(libc::SYS_timer_delete, &[12345], -22), exp("timer_delete(12345)", EINVAL));
    }

    #[test]
    fn rlimits_match_strace() {
        let stack = [8192u64 * 1024, u64::MAX];
        assert_eq!(
            line(libc::SYS_prlimit64, &[0, 3, 0, p(&stack)], 0),
            exp("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY})", "0")
        );
        assert_eq!(
            line_x(libc::SYS_prlimit64, &[0, 3, 0, p(&stack)], 0, XlatStyle::Raw),
            exp("prlimit64(0, 0x3, NULL, {rlim_cur=8388608, rlim_max=18446744073709551615})", "0")
        );
        assert_eq!(
            line_x(libc::SYS_prlimit64, &[0, 3, 0, p(&stack)], 0, XlatStyle::Verbose),
            exp("prlimit64(0, 0x3 /* RLIMIT_STACK */, NULL, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */})", "0")
        );
        let mut nofile = [0u64; 2];
        let r = sc(libc::SYS_prlimit64, &[0, 7, 0, pm(&mut nofile)]);
        let show = |v: u64| {
            let mut b = [0u8; 64];
            let mut o = Out::new(&mut b);
            print_rlim(&mut o, &TraceOpts::default(), v);
            String::from_utf8_lossy(o.as_bytes()).into_owned()
        };
        assert_eq!(
            line(libc::SYS_prlimit64, &[0, 7, 0, p(&nofile)], r),
            exp(
                &format!(
                    "prlimit64(0, RLIMIT_NOFILE, NULL, {{rlim_cur={}, rlim_max={}}})",
                    show(nofile[0]),
                    show(nofile[1])
                ),
                "0"
            )
        );
        assert_eq!(show(20000), "20000");
        assert_eq!(show(1024), "1024");
        assert_eq!(show(2048), "2*1024");
        let new = [1025u64, u64::MAX];
        assert_eq!(
            line(libc::SYS_prlimit64, &[0, 7, p(&new), 0], -1),
            exp(
                "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1025, rlim_max=RLIM64_INFINITY}, NULL)",
                "-1 EPERM (Operation not permitted)"
            )
        );
        let as_ = [3072u64 * 1024, u64::MAX];
        let inf = [u64::MAX, u64::MAX];
        assert_eq!(
            line(libc::SYS_prlimit64, &[4242, 9, p(&as_), p(&inf)], 0),
            exp("prlimit64(4242, RLIMIT_AS, {rlim_cur=3072*1024, rlim_max=RLIM64_INFINITY}, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY})", "0")
        );
        let core = [0u64, u64::MAX];
        assert_eq!(
            line(libc::SYS_getrlimit, &[4, p(&core)], 0),
            exp("getrlimit(RLIMIT_CORE, {rlim_cur=0, rlim_max=RLIM64_INFINITY})", "0")
        );
        let r = sc(libc::SYS_getrlimit, &[99, pm(&mut nofile)]);
        assert_eq!(
            line(libc::SYS_getrlimit, &[99, p(&nofile)], r),
            exp(&format!("getrlimit(0x63 /* RLIMIT_??? */, {:#x})", p(&nofile)), EINVAL)
        );
        assert_eq!(line(libc::SYS_getrlimit, &[0, 0], -14), exp("getrlimit(RLIMIT_CPU, NULL)", EFAULT));
        assert_eq!(
            line(libc::SYS_setrlimit, &[7, p(&new)], -1),
            exp(
                "setrlimit(RLIMIT_NOFILE, {rlim_cur=1025, rlim_max=RLIM64_INFINITY})",
                "-1 EPERM (Operation not permitted)"
            )
        );
    }

    #[test]
    fn rusage_uname_sysinfo_match_strace() {
        let mut ru = [0i64; 18];
        let r = sc(libc::SYS_getrusage, &[0, pm(&mut ru)]);
        assert_eq!(
            line(libc::SYS_getrusage, &[0, p(&ru)], r),
            exp(&format!("getrusage(RUSAGE_SELF, {{ru_utime={{tv_sec={}, tv_usec={}}}, ru_stime={{tv_sec={}, tv_usec={}}}, ...}})", ru[0], ru[1], ru[2], ru[3]), "0")
        );
        let kids = [0i64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            line_v(libc::SYS_getrusage, &[usize::MAX, p(&kids)], 0),
            exp("getrusage(RUSAGE_CHILDREN, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ru_maxrss=0, ru_ixrss=0, ru_idrss=0, ru_isrss=0, ru_minflt=0, ru_majflt=0, ru_nswap=0, ru_inblock=0, ru_oublock=0, ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=0, ru_nivcsw=0})", "0")
        );
        assert_eq!(
            line_x(libc::SYS_getrusage, &[usize::MAX, p(&kids)], 0, XlatStyle::Verbose),
            exp("getrusage(0xffffffff /* RUSAGE_CHILDREN */, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...})", "0")
        );
        assert_eq!(line(libc::SYS_getrusage, &[99, 0x10], -22), exp("getrusage(0x63 /* RUSAGE_??? */, 0x10)", EINVAL));
        // SAFETY: utsname is plain bytes; uname fills it.
        let mut u: libc::utsname = unsafe { core::mem::zeroed() };
        let r = sc(libc::SYS_uname, &[pm(&mut u)]);
        let f = |s: &[libc::c_char]| {
            let b: Vec<u8> = s.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
            String::from_utf8(b).unwrap()
        };
        assert_eq!(
            line(libc::SYS_uname, &[p(&u)], r),
            exp(&format!("uname({{sysname=\"{}\", nodename=\"{}\", ...}})", f(&u.sysname), f(&u.nodename)), "0")
        );
        assert_eq!(
            line_v(libc::SYS_uname, &[p(&u)], r),
            exp(
                &format!(
                    "uname({{sysname=\"{}\", nodename=\"{}\", release=\"{}\", version=\"{}\", machine=\"{}\", domainname=\"{}\"}})",
                    f(&u.sysname),
                    f(&u.nodename),
                    f(&u.release),
                    f(&u.version),
                    f(&u.machine),
                    f(&u.domainname)
                ),
                "0"
            )
        );
        assert_eq!(line(libc::SYS_uname, &[0x10], -14), exp("uname(0x10)", EFAULT));
        // SAFETY: sysinfo is plain data the kernel fills.
        let mut si: libc::sysinfo = unsafe { core::mem::zeroed() };
        let r = sc(libc::SYS_sysinfo, &[pm(&mut si)]);
        assert_eq!(
            line(libc::SYS_sysinfo, &[p(&si)], r),
            exp(
                &format!(
                    "sysinfo({{uptime={}, loads=[{}, {}, {}], totalram={}, freeram={}, sharedram={}, bufferram={}, totalswap={}, freeswap={}, procs={}, totalhigh={}, freehigh={}, mem_unit={}}})",
                    si.uptime, si.loads[0], si.loads[1], si.loads[2], si.totalram, si.freeram, si.sharedram, si.bufferram,
                    si.totalswap, si.freeswap, si.procs, si.totalhigh, si.freehigh, si.mem_unit
                ),
                "0"
            )
        );
        assert_eq!(line(libc::SYS_sysinfo, &[0], -14), exp("sysinfo(NULL)", EFAULT));
    }

    #[test]
    fn clone_matches_strace() {
        assert_eq!(
            line(libc::SYS_clone, &[0x1200011, 0, 0, 0x7fd2_79a9_2a10, 0], 7324),
            exp("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fd279a92a10)", "7324")
        );
        let ptid = 7389i32;
        assert_eq!(
            line(libc::SYS_clone, &[0x100011, 0, p(&ptid), 0, 0], 7389),
            exp("clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=[7389])", "7389")
        );
        assert_eq!(
            line(libc::SYS_clone, &[0x10800000, 0, 0, 0, 0], 7390),
            exp("clone(child_stack=NULL, flags=CLONE_UNTRACED|CLONE_NEWUSER)", "7390")
        );
        assert_eq!(line(libc::SYS_clone, &[0, 0, 0, 0, 0], 7391), exp("clone(child_stack=NULL, flags=0)", "7391"));
        // glibc's pthread_create before clone3 (and strace's order: parent_tid, tls, child_tidptr).
        assert_eq!(
            line(libc::SYS_clone, &[0x3d0f00, 0x7f00_0000_1000, p(&ptid), p(&ptid), 0x7f00_0000_2000], 7389),
            exp(
                &format!("clone(child_stack=0x7f0000001000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[7389], tls=0x7f0000002000, child_tidptr={:#x})", p(&ptid)),
                "7389"
            )
        );
        assert_eq!(
            line_x(libc::SYS_clone, &[0x1200011, 0, 0, 0x7fd2_79a9_2a10, 0], 7423, XlatStyle::Raw),
            exp("clone(child_stack=NULL, flags=0x1200000|17, child_tidptr=0x7fd279a92a10)", "7423")
        );
        assert_eq!(
            line_x(libc::SYS_clone, &[0x1200011, 0, 0, 0x7fd2_79a9_2a10, 0], 7443, XlatStyle::Verbose),
            exp("clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */, child_tidptr=0x7fd279a92a10)", "7443")
        );
        // The entry half alone ends where strace's `<unfinished ...>` does.
        let mut buf = [0u8; 512];
        let mut o = Out::new(&mut buf);
        super::super::decode(
            &mut o,
            libc::SYS_clone as usize,
            args(&[0x100011, 0, p(&ptid), 0, 0]),
            0,
            Phase::Entry,
            &TraceOpts::default(),
        );
        assert_eq!(
            core::str::from_utf8(o.as_bytes()).unwrap(),
            "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD"
        );
    }

    #[test]
    fn clone3_matches_strace() {
        let mut ca = [0u64; 11];
        ca[4] = 17;
        assert_eq!(
            line(libc::SYS_clone3, &[p(&ca), 88], 7387),
            exp("clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88)", "7387")
        );
        let pidfd = 3i32;
        let ptid = 7388i32;
        let mut cb = [0u64; 11];
        cb[0] = 0x1_0010_1000;
        cb[1] = p(&pidfd) as u64;
        cb[3] = p(&ptid) as u64;
        cb[4] = 17;
        assert_eq!(
            line(libc::SYS_clone3, &[p(&cb), 88], 7388),
            exp(
                &format!("clone3({{flags=CLONE_PIDFD|CLONE_PARENT_SETTID|CLONE_CLEAR_SIGHAND, pidfd={:#x}, parent_tid={:#x}, exit_signal=SIGCHLD, stack=NULL, stack_size=0}} => {{pidfd=[3], parent_tid=[7388]}}, 88)", p(&pidfd), p(&ptid)),
                "7388"
            )
        );
        let mut thread = [0u64; 11];
        thread[0] = 0x3d0f00;
        thread[2] = 0x7ff7_0f75_2990;
        thread[3] = p(&ptid) as u64;
        thread[5] = 0x7ff7_0ef5_2000;
        thread[6] = 0x7fff80;
        thread[7] = 0x7ff7_0f75_26c0;
        assert_eq!(
            line(libc::SYS_clone3, &[p(&thread), 88], 7388),
            exp(
                &format!("clone3({{flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7ff70f752990, parent_tid={:#x}, exit_signal=0, stack=0x7ff70ef52000, stack_size=0x7fff80, tls=0x7ff70f7526c0}} => {{parent_tid=[7388]}}, 88)", p(&ptid)),
                "7388"
            )
        );
        assert_eq!(
            line_x(libc::SYS_clone3, &[p(&thread), 88], 7388, XlatStyle::Raw),
            exp(
                &format!("clone3({{flags=0x3d0f00, child_tid=0x7ff70f752990, parent_tid={:#x}, exit_signal=0, stack=0x7ff70ef52000, stack_size=0x7fff80, tls=0x7ff70f7526c0}} => {{parent_tid=[7388]}}, 88)", p(&ptid)),
                "7388"
            )
        );
        assert_eq!(line(libc::SYS_clone3, &[0x10, 88], -14), exp("clone3(0x10, 88)", EFAULT));
        assert_eq!(line(libc::SYS_clone3, &[p(&ca), 8], -22), exp(&format!("clone3({:#x}, 8)", p(&ca)), EINVAL));
    }

    #[test]
    fn execve_matches_strace() {
        let path = b"/nonexistent\0";
        let a0 = b"/bin/true\0";
        let a1 = b"a\"b\0";
        let a2 = b"-l\0";
        let argv = [a0.as_ptr() as usize, a1.as_ptr() as usize, a2.as_ptr() as usize, 0];
        let e0 = b"A=1\0";
        let e1 = b"B=2\0";
        let envp = [e0.as_ptr() as usize, e1.as_ptr() as usize, 0];
        let a = [path.as_ptr() as usize, p(&argv), p(&envp)];
        let r = sc(libc::SYS_execve, &a);
        assert_eq!(
            line(libc::SYS_execve, &a, r),
            exp(
                &format!("execve(\"/nonexistent\", [\"/bin/true\", \"a\\\"b\", \"-l\"], {:#x} /* 2 vars */)", p(&envp)),
                "-1 ENOENT (No such file or directory)"
            )
        );
        assert_eq!(
            line_v(libc::SYS_execve, &a, r),
            exp(
                "execve(\"/nonexistent\", [\"/bin/true\", \"a\\\"b\", \"-l\"], [\"A=1\", \"B=2\"])",
                "-1 ENOENT (No such file or directory)"
            )
        );
        let one = [e0.as_ptr() as usize, 0];
        assert_eq!(
            line(libc::SYS_execve, &[path.as_ptr() as usize, p(&argv), p(&one)], -2),
            exp(
                &format!("execve(\"/nonexistent\", [\"/bin/true\", \"a\\\"b\", \"-l\"], {:#x} /* 1 var */)", p(&one)),
                "-1 ENOENT (No such file or directory)"
            )
        );
        assert_eq!(
            line(libc::SYS_execve, &[path.as_ptr() as usize, 0, 0], -2),
            exp("execve(\"/nonexistent\", NULL, NULL)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            line(libc::SYS_execve, &[path.as_ptr() as usize, 0x10, 0x10], -2),
            exp("execve(\"/nonexistent\", 0x10, 0x10)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            line(libc::SYS_execveat, &[libc::AT_FDCWD as usize, path.as_ptr() as usize, p(&argv), p(&envp), 0x100], -2),
            exp(&format!("execveat(AT_FDCWD, \"/nonexistent\", [\"/bin/true\", \"a\\\"b\", \"-l\"], {:#x} /* 2 vars */, AT_SYMLINK_NOFOLLOW)", p(&envp)), "-1 ENOENT (No such file or directory)")
        );
        // -s 2 cuts the list after two entries, and each string at two bytes.
        let o = TraceOpts { string_limit: 2, ..TraceOpts::default() };
        assert_eq!(
            render_line(libc::SYS_execve as usize, args(&a), -2, &o),
            exp(
                &format!("execve(\"/nonexistent\", [\"/b\"..., \"a\\\"\"..., ...], {:#x} /* 2 vars */)", p(&envp)),
                "-1 ENOENT (No such file or directory)"
            )
        );
    }

    #[test]
    fn wait_calls_match_strace() {
        let exited3 = 3 << 8;
        assert_eq!(
            line(libc::SYS_wait4, &[7324, p(&exited3), 0, 0], 7324),
            exp("wait4(7324, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL)", "7324")
        );
        let killed = 9;
        assert_eq!(
            line(libc::SYS_wait4, &[7325, p(&killed), 0, 0], 7325),
            exp("wait4(7325, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL)", "7325")
        );
        let dumped = 11 | 0x80;
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, p(&dumped), 0, 0], 5),
            exp("wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL)", "5")
        );
        let stopped = (19 << 8) | 0x7f;
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, p(&stopped), 2, 0], 5),
            exp("wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL)", "5")
        );
        let segv = 11;
        assert_eq!(
            line(libc::SYS_wait4, &[8956, p(&segv), 0, 0], 8956),
            exp("wait4(8956, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], 0, NULL)", "8956")
        );
        let cont = 0xffff;
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, p(&cont), 8, 0], 5),
            exp("wait4(-1, [{WIFCONTINUED(s)}], WCONTINUED, NULL)", "5")
        );
        let ok = 0;
        let ru = [0i64, 35, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, p(&ok), 0x4000_0001, p(&ru)], 7326),
            exp("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG|__WALL, {ru_utime={tv_sec=0, tv_usec=35}, ru_stime={tv_sec=0, tv_usec=0}, ...})", "7326")
        );
        assert_eq!(
            line_x(libc::SYS_wait4, &[usize::MAX, p(&ok), 0x4000_0001, 0], 7326, XlatStyle::Verbose),
            exp("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0x40000001 /* WNOHANG|__WALL */, NULL)", "7326")
        );
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, p(&ok), 1, p(&ru)], 0),
            exp(&format!("wait4(-1, {:#x}, WNOHANG, {:#x})", p(&ok), p(&ru)), "0")
        );
        // Not a real wait4(-1): it would reap (and wait for) another test's child in this process.
        let r = -(libc::ECHILD as isize);
        assert_eq!(
            line(libc::SYS_wait4, &[usize::MAX, 0x10, 0, 0], r),
            exp("wait4(-1, 0x10, 0, NULL)", "-1 ECHILD (No child processes)")
        );
        assert_eq!(
            line(libc::SYS_wait4, &[0, 0, 10, 0], -10),
            exp("wait4(0, NULL, WSTOPPED|WCONTINUED, NULL)", "-1 ECHILD (No child processes)")
        );
        assert_eq!(line(libc::SYS_wait4, &[7387, 0, 0, 0], 7387), exp("wait4(7387, NULL, 0, NULL)", "7387"));
        let mut si = [0u64; 16];
        si[0] = 17;
        si[1] = 1;
        si[2] = 7327;
        si[3] = 1;
        assert_eq!(
            line(libc::SYS_waitid, &[1, 7327, p(&si), 4, 0], 0),
            exp("waitid(P_PID, 7327, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7327, si_uid=0, si_status=1, si_utime=0, si_stime=0}, WEXITED, NULL)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_waitid, &[1, 7327, p(&si), 4, 0], 0, XlatStyle::Raw),
            exp("waitid(0x1, 7327, {si_signo=17, si_code=0x1, si_pid=7327, si_uid=0, si_status=1, si_utime=0, si_stime=0}, 0x4, NULL)", "0")
        );
        let r = sc(libc::SYS_waitid, &[0, 0, pm(&mut si), 5, p(&ru)]);
        assert_eq!(
            line(libc::SYS_waitid, &[0, 0, p(&si), 5, p(&ru)], r),
            exp(
                &format!("waitid(P_ALL, 0, {:#x}, WNOHANG|WEXITED, {:#x})", p(&si), p(&ru)),
                "-1 ECHILD (No child processes)"
            )
        );
    }

    #[test]
    fn identity_calls_match_strace() {
        assert_eq!(line(libc::SYS_setuid, &[0], 0), exp("setuid(0)", "0"));
        assert_eq!(line(libc::SYS_setreuid, &[u32::MAX as usize, u32::MAX as usize], 0), exp("setreuid(-1, -1)", "0"));
        assert_eq!(line(libc::SYS_setregid, &[0, u32::MAX as usize], 0), exp("setregid(0, -1)", "0"));
        assert_eq!(
            line(libc::SYS_setresuid, &[usize::MAX, usize::MAX, usize::MAX], 0),
            exp("setresuid(-1, -1, -1)", "0")
        );
        assert_eq!(line(libc::SYS_setfsuid, &[usize::MAX], 0), exp("setfsuid(-1)", "0"));
        let mut ids = [0u32; 3];
        let r = sc(libc::SYS_getresuid, &[pm(&mut ids[0]), pm(&mut ids[1]), pm(&mut ids[2])]);
        assert_eq!(
            line(libc::SYS_getresuid, &[p(&ids[0]), p(&ids[1]), p(&ids[2])], r),
            exp(&format!("getresuid([{}], [{}], [{}])", ids[0], ids[1], ids[2]), "0")
        );
        assert_eq!(
            line(libc::SYS_getresuid, &[0x10, p(&ids[1]), p(&ids[2])], -14),
            exp(&format!("getresuid(0x10, {:#x}, {:#x})", p(&ids[1]), p(&ids[2])), EFAULT)
        );
        let mut g = [0u32; 8];
        let r = sc(libc::SYS_getgroups, &[8, pm(&mut g)]);
        assert!(r >= 0);
        let shown: Vec<String> = g[..r as usize].iter().map(|v| v.to_string()).collect();
        assert_eq!(
            line(libc::SYS_getgroups, &[8, p(&g)], r),
            exp(&format!("getgroups(8, [{}])", shown.join(", ")), &r.to_string())
        );
        assert_eq!(line(libc::SYS_getgroups, &[8, p(&g)], 0), exp("getgroups(8, [])", "0"));
        assert_eq!(line(libc::SYS_getgroups, &[0, 0], 0), exp("getgroups(0, NULL)", "0"));
        assert_eq!(line(libc::SYS_getgroups, &[1, 0x10], -14), exp("getgroups(1, 0x10)", EFAULT));
        let two = [0u32, 4];
        assert_eq!(line(libc::SYS_setgroups, &[2, p(&two)], 0), exp("setgroups(2, [0, 4])", "0"));
        assert_eq!(line(libc::SYS_setgroups, &[0, p(&two)], 0), exp("setgroups(0, [])", "0"));
        assert_eq!(line(libc::SYS_setgroups, &[0, 0], 0), exp("setgroups(0, NULL)", "0"));
        let hdr = [0x2008_0522u32, 0];
        let data = [0x3u32, 0x1, 0, 0x2, 0, 0];
        assert_eq!(
            line(libc::SYS_capget, &[p(&hdr), p(&data)], 0),
            exp("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_MAC_ADMIN, permitted=1<<CAP_CHOWN, inheritable=0})", "0")
        );
        let bad = [0x12345u32, 0];
        assert_eq!(
            line(libc::SYS_capget, &[p(&bad), p(&data)], -22),
            exp(
                &format!("capget({{version=0x12345 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}}, {:#x})", p(&data)),
                EINVAL
            )
        );
        let v1 = [0x1998_0330u32, 0];
        assert_eq!(
            line(libc::SYS_capget, &[p(&v1), 0], 0),
            exp("capget({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, NULL)", "0")
        );
        assert_eq!(
            line(libc::SYS_capset, &[p(&hdr), p(&data)], 0),
            exp("capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_MAC_ADMIN, permitted=1<<CAP_CHOWN, inheritable=0})", "0")
        );
        assert_eq!(line(libc::SYS_setpgid, &[0, 0], 0), exp("setpgid(0, 0)", "0"));
        assert_eq!(line(libc::SYS_getsid, &[0], 17633), exp("getsid(0)", "17633"));
    }

    #[test]
    fn prctl_matches_strace() {
        let name = b"myname\0";
        let n = name.as_ptr() as usize;
        assert_eq!(line(libc::SYS_prctl, &[15, n, 0, 0, 0], 0), exp("prctl(PR_SET_NAME, \"myname\")", "0"));
        assert_eq!(line(libc::SYS_prctl, &[16, n, 0, 0, 0], 0), exp("prctl(PR_GET_NAME, \"myname\")", "0"));
        assert_eq!(line(libc::SYS_prctl, &[1, 15, 0, 0, 0], 0), exp("prctl(PR_SET_PDEATHSIG, SIGTERM)", "0"));
        assert_eq!(line(libc::SYS_prctl, &[38, 1, 0, 0, 0], 0), exp("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)", "0"));
        let sig = 15i32;
        assert_eq!(line(libc::SYS_prctl, &[2, p(&sig), 0, 0, 0], 0), exp("prctl(PR_GET_PDEATHSIG, [SIGTERM])", "0"));
        assert_eq!(line(libc::SYS_prctl, &[3, 0, 0, 0, 0], 1), exp("prctl(PR_GET_DUMPABLE)", "1 (SUID_DUMP_USER)"));
        assert_eq!(line(libc::SYS_prctl, &[4, 1, 0, 0, 0], 0), exp("prctl(PR_SET_DUMPABLE, SUID_DUMP_USER)", "0"));
        assert_eq!(
            line(libc::SYS_prctl, &[999, 1, 2, 3, 4], -22),
            exp("prctl(0x3e7 /* PR_??? */, 0x1, 0x2, 0x3, 0x4)", EINVAL)
        );
        assert_eq!(line(libc::SYS_prctl, &[23, 0, 0, 0, 0], 1), exp("prctl(PR_CAPBSET_READ, CAP_CHOWN)", "1"));
        assert_eq!(
            line(libc::SYS_prctl, &[22, 0, 0, 0x7fd2_79b9_e45d, 4], -22),
            exp("prctl(PR_SET_SECCOMP, SECCOMP_MODE_DISABLED, 0, 0x7fd279b9e45d, 0x4)", EINVAL)
        );
        assert_eq!(line(libc::SYS_prctl, &[39, 0, 0, 0, 0], 1), exp("prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)", "1"));
        assert_eq!(line(libc::SYS_prctl, &[29, 50000, 0, 0, 0], 0), exp("prctl(PR_SET_TIMERSLACK, 50000)", "0"));
        assert_eq!(line(libc::SYS_prctl, &[36, 1, 0, 0, 0], 0), exp("prctl(PR_SET_CHILD_SUBREAPER, 1)", "0"));
        let one = 1u32;
        assert_eq!(line(libc::SYS_prctl, &[37, p(&one), 0, 0, 0], 0), exp("prctl(PR_GET_CHILD_SUBREAPER, [1])", "0"));
        assert_eq!(line(libc::SYS_prctl, &[8, 1, 0, 0, 0], 0), exp("prctl(PR_SET_KEEPCAPS, 1)", "0"));
        assert_eq!(line(libc::SYS_prctl, &[7, 0, 0, 0, 0], 0), exp("prctl(PR_GET_KEEPCAPS)", "0"));
        assert_eq!(
            line(libc::SYS_prctl, &[59, 1, 0, 0, 0x7f00], 0),
            exp("prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, 0x7f00)", "0")
        );
        let fs = 0x7fd2_79a9_2740u64;
        assert_eq!(
            line(libc::SYS_arch_prctl, &[0x1003, p(&fs)], 0),
            exp("arch_prctl(ARCH_GET_FS, [0x7fd279a92740])", "0")
        );
        assert_eq!(
            line(libc::SYS_arch_prctl, &[0x1002, fs as usize], 0),
            exp("arch_prctl(ARCH_SET_FS, 0x7fd279a92740)", "0")
        );
        assert_eq!(line(libc::SYS_arch_prctl, &[0x3001, 0], -22), exp("arch_prctl(0x3001 /* ARCH_??? */, 0)", EINVAL));
        assert_eq!(
            line_x(libc::SYS_arch_prctl, &[0x1002, fs as usize], 0, XlatStyle::Raw),
            exp("arch_prctl(0x1002, 0x7fd279a92740)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_arch_prctl, &[0x1002, fs as usize], 0, XlatStyle::Verbose),
            exp("arch_prctl(0x1002 /* ARCH_SET_FS */, 0x7fd279a92740)", "0")
        );
        assert_eq!(
            line(libc::SYS_set_tid_address, &[0x7ffc_7645_1e7c], 7386),
            exp("set_tid_address(0x7ffc76451e7c)", "7386")
        );
        assert_eq!(
            line(libc::SYS_set_robust_list, &[0x7ff9_1ea8_ba20, 24], 0),
            exp("set_robust_list(0x7ff91ea8ba20, 24)", "0")
        );
        let head = 0x7ff9_1ea8_ba20u64;
        let len = 24u64;
        assert_eq!(
            line(libc::SYS_get_robust_list, &[0, p(&head), p(&len)], 0),
            exp("get_robust_list(0, [0x7ff91ea8ba20], [24])", "0")
        );
    }

    #[test]
    fn futex_matches_strace() {
        let f = 0u32;
        let a = p(&f);
        let ts = [0i64, 1000];
        let l = |args: &[usize], ret: isize| line(libc::SYS_futex, args, ret);
        assert_eq!(l(&[a, 129, 1, 0, 0, 0], 0), exp(&format!("futex({a:#x}, FUTEX_WAKE_PRIVATE, 1)"), "0"));
        assert_eq!(
            l(&[a, 128, 1, 0, 0, 0], -11),
            exp(&format!("futex({a:#x}, FUTEX_WAIT_PRIVATE, 1, NULL)"), "-1 EAGAIN (Resource temporarily unavailable)")
        );
        assert_eq!(
            l(&[a, 0, 0, p(&ts), 0, 0], -110),
            exp(
                &format!("futex({a:#x}, FUTEX_WAIT, 0, {{tv_sec=0, tv_nsec=1000}})"),
                "-1 ETIMEDOUT (Connection timed out)"
            )
        );
        assert_eq!(
            l(&[a, 265, 0, p(&ts), 0, 0xffff_ffff], -110),
            exp(&format!("futex({a:#x}, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 0, {{tv_sec=0, tv_nsec=1000}}, FUTEX_BITSET_MATCH_ANY)"), "-1 ETIMEDOUT (Connection timed out)")
        );
        assert_eq!(
            l(&[a, 133, 1, 1, a, 0x0400_0001], 0),
            exp(&format!("futex({a:#x}, FUTEX_WAKE_OP_PRIVATE, 1, 1, {a:#x}, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1)"), "0")
        );
        assert_eq!(
            l(&[a, 131, 1, 2, a, 0], 0),
            exp(&format!("futex({a:#x}, FUTEX_REQUEUE_PRIVATE, 1, 2, {a:#x})"), "0")
        );
        assert_eq!(
            l(&[a, 132, 1, 2, a, 0], 0),
            exp(&format!("futex({a:#x}, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, {a:#x}, 0)"), "0")
        );
        assert_eq!(l(&[a, 134, 0, 0, 0, 0], 0), exp(&format!("futex({a:#x}, FUTEX_LOCK_PI_PRIVATE, NULL)"), "0"));
        assert_eq!(l(&[a, 135, 0, 0, 0, 0], 0), exp(&format!("futex({a:#x}, FUTEX_UNLOCK_PI_PRIVATE)"), "0"));
        assert_eq!(
            l(&[a, 99, 0, 0, 0, 0], -38),
            exp(
                &format!("futex({a:#x}, 0x63 /* FUTEX_??? */, 0, NULL, NULL, 0)"),
                "-1 ENOSYS (Function not implemented)"
            )
        );
        // A real wait that cannot block: the value differs.
        let r = sc(libc::SYS_futex, &[a, 128, 1, 0, 0, 0]);
        assert_eq!(
            l(&[a, 128, 1, 0, 0, 0], r),
            exp(&format!("futex({a:#x}, FUTEX_WAIT_PRIVATE, 1, NULL)"), "-1 EAGAIN (Resource temporarily unavailable)")
        );
    }

    #[test]
    fn scheduling_matches_strace() {
        let mut set = [0u64; 16];
        let r = sc(libc::SYS_sched_getaffinity, &[0, 128, pm(&mut set)]);
        assert!(r > 0);
        let cpus: Vec<String> =
            (0..r as usize * 8).filter(|&i| set[i / 64] & (1 << (i % 64)) != 0).map(|i| i.to_string()).collect();
        let cpus = cpus.join(" ");
        assert_eq!(
            line(libc::SYS_sched_getaffinity, &[0, 128, p(&set)], r),
            exp(&format!("sched_getaffinity(0, 128, [{cpus}])"), &r.to_string())
        );
        let two = [3u64];
        assert_eq!(line(libc::SYS_sched_setaffinity, &[0, 8, p(&two)], 0), exp("sched_setaffinity(0, 8, [0 1])", "0"));
        assert_eq!(line(libc::SYS_sched_getaffinity, &[0, 8, 0x10], -14), exp("sched_getaffinity(0, 8, 0x10)", EFAULT));
        let prio = 0i32;
        assert_eq!(line(libc::SYS_sched_getparam, &[0, p(&prio)], 0), exp("sched_getparam(0, [0])", "0"));
        assert_eq!(line(libc::SYS_sched_setparam, &[0, p(&prio)], 0), exp("sched_setparam(0, [0])", "0"));
        assert_eq!(line(libc::SYS_sched_getscheduler, &[0], 0), exp("sched_getscheduler(0)", "0 (SCHED_OTHER)"));
        assert_eq!(
            line(libc::SYS_sched_setscheduler, &[0, 0, p(&prio)], 0),
            exp("sched_setscheduler(0, SCHED_OTHER, [0])", "0")
        );
        assert_eq!(
            line(libc::SYS_sched_setscheduler, &[0, 0x4000_0003, p(&prio)], 0),
            exp("sched_setscheduler(0, 0x40000003 /* SCHED_??? */, [0])", "0")
        );
        assert_eq!(line(libc::SYS_sched_get_priority_max, &[1], 99), exp("sched_get_priority_max(SCHED_FIFO)", "99"));
        assert_eq!(line(libc::SYS_sched_get_priority_min, &[2], 1), exp("sched_get_priority_min(SCHED_RR)", "1"));
        let ts = [0i64, 0];
        assert_eq!(
            line(libc::SYS_sched_rr_get_interval, &[0, p(&ts)], 0),
            exp("sched_rr_get_interval(0, {tv_sec=0, tv_nsec=0})", "0")
        );
        assert_eq!(line(libc::SYS_setpriority, &[2, 0, 1], 0), exp("setpriority(PRIO_USER, 0, 1)", "0"));
    }

    #[test]
    fn misc_calls_match_strace() {
        let rb = [0x77u8, 0x03, 0xb7, 0x22, 0x46, 0xa1, 0x54, 0x95];
        assert_eq!(
            line(libc::SYS_getrandom, &[p(&rb), 8, 1], 8),
            exp("getrandom(\"\\x77\\x03\\xb7\\x22\\x46\\xa1\\x54\\x95\", 8, GRND_NONBLOCK)", "8")
        );
        assert_eq!(
            line(libc::SYS_getrandom, &[p(&rb), 4, 6], -22),
            exp(&format!("getrandom({:#x}, 4, GRND_RANDOM|GRND_INSECURE)", p(&rb)), EINVAL)
        );
        let mut buf = [0u8; 4];
        let r = sc(libc::SYS_getrandom, &[pm(&mut buf), 4, 0]);
        assert_eq!(
            line(libc::SYS_getrandom, &[p(&buf), 4, 0], r),
            exp(
                &format!("getrandom(\"\\x{:02x}\\x{:02x}\\x{:02x}\\x{:02x}\", 4, 0)", buf[0], buf[1], buf[2], buf[3]),
                "4"
            )
        );
        assert_eq!(line(libc::SYS_personality, &[0xffff_ffff], 0), exp("personality(0xffffffff)", "0 (PER_LINUX)"));
        assert_eq!(
            line(libc::SYS_personality, &[0x40000], 0),
            exp("personality(PER_LINUX|ADDR_NO_RANDOMIZE)", "0 (PER_LINUX)")
        );
        assert_eq!(
            line(libc::SYS_personality, &[0x40008], 0),
            exp("personality(PER_LINUX32|ADDR_NO_RANDOMIZE)", "0 (PER_LINUX)")
        );
        assert_eq!(
            line(libc::SYS_personality, &[0], 0x40000),
            exp("personality(PER_LINUX)", "0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)")
        );
        assert_eq!(
            line(libc::SYS_membarrier, &[0, 0], 0x3ff),
            exp("membarrier(MEMBARRIER_CMD_QUERY, 0)", "0x3ff (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|0x200)")
        );
        assert_eq!(
            line(libc::SYS_membarrier, &[8, 0], -1),
            exp("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0)", "-1 EPERM (Operation not permitted)")
        );
        let (mut cpu, mut node) = (0u32, 0u32);
        let r = sc(libc::SYS_getcpu, &[pm(&mut cpu), pm(&mut node), 0]);
        assert_eq!(
            line(libc::SYS_getcpu, &[p(&cpu), p(&node), 0], r),
            exp(&format!("getcpu([{cpu}], [{node}], NULL)"), "0")
        );
        assert_eq!(line(libc::SYS_getcpu, &[0, 0, 0], 0), exp("getcpu(NULL, NULL, NULL)", "0"));
    }
}
