//! `--fake-time SPEC`: the program sees a virtual wall clock, libfaketime's FAKETIME syntax.
//!
//! - `YYYY-MM-DD hh:mm:ss[.frac]`: the wall clock stands still at that local time.
//! - `@YYYY-MM-DD hh:mm:ss[.frac]`: it starts there when the tree starts, and ticks.
//! - `+N` / `-N` with an optional unit `s`, `m`, `h`, `d`, `y` (365 days), fractions allowed
//!   (`+1.5h`, `-0,5d`): real time shifted by that much.
//! - a trailing ` xF` (`+0 x2`, `@2020-01-01 00:00:00 x10`, `-1d x0.5`): the clock runs F
//!   times as fast; sleeps take 1/F of the time asked for.
//!
//! Dates are local time, as libfaketime reads them (`mktime`: `TZ`, else /etc/localtime, else
//! UTC), in the launcher's environment. The whole tree shares one virtual clock: its origin (the
//! real time at launch) is fixed once in the state file, and every process maps real to virtual
//! time from it, so an exec'd child agrees with its parent (libfaketime's `FAKETIME_DONT_RESET`).
//!
//! Clocks: CLOCK_REALTIME, _COARSE, _ALARM and CLOCK_TAI get the virtual wall time. The
//! monotonic clocks (MONOTONIC, _COARSE, _RAW, BOOTTIME, _ALARM) run at the rate from the
//! tree's origin but keep their values (no offset): libfaketime shifts them to the fake date,
//! which sends every absolute monotonic deadline the program hands the kernel (futex, timerfd)
//! far into the future; with rate 1 they are untouched. A frozen spec freezes only the wall
//! clock (libfaketime freezes the monotonic clocks too, which hangs programs that wait for them
//! to move). CPU-time clocks stay real.
//!
//! Reads go two ways and both are covered: the system calls (clock_gettime, gettimeofday, time;
//! trapped, results rewritten on exit) and the vDSO, which never enters the kernel: its entry
//! points are patched at start-up to jump to this module's replacements (see `vdso::patch_jump`),
//! in every image (exec maps a fresh vDSO; fork children inherit the patched copy). The
//! replacements read the real clock with the raw system call from the runtime's exempt stub and
//! are async-signal-safe; they run in the program's own context and never touch errno (the vDSO
//! returns `-errno`, which the C library turns into errno itself). Sleeps: nanosleep and
//! clock_nanosleep durations are divided by the rate, TIMER_ABSTIME deadlines mapped back from
//! virtual to real time. Timed waits get the same treatment where the kernel call says which
//! clock its deadline is on: futex (pthread_cond_timedwait, sem_timedwait, Python's locks),
//! futex_waitv, mq_timedsend/mq_timedreceive; poll and epoll_wait timeouts are divided by the
//! rate, and so are select, pselect6, ppoll and epoll_pwait2 timeouts (the time left they write
//! back is made virtual again). File times are virtual as in libfaketime (its FAKE_STAT default):
//! stat, fstat, lstat, newfstatat and statx report them through the same mapping as the wall
//! clock (a frozen spec shows every file at the frozen time), and times the program sets with
//! utimensat, utimes, futimesat or utime are mapped back to real. Timers: timerfd_settime,
//! timer_settime, setitimer(ITIMER_REAL) and alarm (made a setitimer in microseconds) get their intervals and relative values
//! divided by the rate, absolute deadlines mapped to real time (a timerfd's clock is read from
//! /proc/self/fdinfo; a POSIX timer's absolute deadline is taken as CLOCK_REALTIME), and what
//! the *gettime calls report is scaled back.
//!
//! Not supported from libfaketime's syntax: the `iN` step mode, `%` (follow a file), a rate
//! without an offset (`x2`: libfaketime ignores it, so it is refused with a hint to write `+0 x2`).

use core::sync::atomic::{AtomicI64, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use syscalls::{Sysno, SysnoSet};

use crate::arch::syscall6;
use crate::dispatch::{Call, Hook, Verdict};
use crate::options::Options;
use crate::state::Shared;

const NS: i64 = 1_000_000_000;

/// A calendar date and time of day, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    /// Second, 0..=60 (60: a leap second, which the conversion to epoch time normalises).
    pub second: u32,
    /// Fraction of the second, in nanoseconds.
    pub nanos: i64,
}

/// Where the virtual wall clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Stands still at this date.
    Frozen(Date),
    /// Starts at this date when the tree starts.
    At(Date),
    /// Real time plus this many nanoseconds.
    Offset(i64),
}

/// The parsed spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// Where the virtual wall clock starts.
    pub start: Start,
    /// How fast the virtual clock runs (1.0: as fast as the real one).
    pub rate: f64,
}

/// The spec from the options, if the shim is asked for; a malformed spec is an error.
pub fn parse(opts: &Options) -> Result<Option<Spec>, String> {
    match &opts.fake_time {
        None => Ok(None),
        Some(s) => parse_spec(s).map(Some).map_err(|e| format!("--fake-time '{s}': {e}")),
    }
}

const FORMS: &str =
    "expected 'YYYY-MM-DD hh:mm:ss', '@YYYY-MM-DD hh:mm:ss' or +N/-N[smhdy], optionally followed by ' xRATE'";

/// Parses libfaketime's FAKETIME syntax.
pub fn parse_spec(s: &str) -> Result<Spec, String> {
    let t = s.trim();
    let mut cur = Cursor { b: t.as_bytes(), i: 0 };
    let start = match cur.peek() {
        None => return Err(format!("empty spec ({FORMS})")),
        Some(b'+') | Some(b'-') => {
            let neg = cur.next() == Some(b'-');
            let (int, frac) =
                cur.number().ok_or_else(|| format!("no number after '{}' ({FORMS})", t.as_bytes()[0] as char))?;
            let unit: i128 = match cur.peek() {
                Some(b's') => 1,
                Some(b'm') => 60,
                Some(b'h') => 3600,
                Some(b'd') => 86_400,
                Some(b'y') => 365 * 86_400,
                _ => 0,
            };
            let unit = if unit == 0 {
                1
            } else {
                cur.i += 1;
                unit
            };
            let ns = decimal_ns(int, frac, unit).ok_or("offset too large")?;
            Start::Offset(if neg { -ns } else { ns })
        }
        Some(b'@') => {
            cur.i += 1;
            Start::At(cur.date()?)
        }
        Some(b'x') => {
            return Err("a rate needs an offset or a date before it, as in libfaketime: write '+0 xRATE'".into())
        }
        Some(b'i') => return Err("the 'iN' step mode of libfaketime is not supported".into()),
        Some(b'%') => return Err("the '%' (follow a file's time) mode of libfaketime is not supported".into()),
        Some(c) if c.is_ascii_digit() => Start::Frozen(cur.date()?),
        Some(_) => return Err(FORMS.into()),
    };
    cur.spaces();
    let mut rate = 1.0;
    match cur.peek() {
        None => {}
        Some(b'x') => {
            cur.i += 1;
            let (int, frac) = cur.number().ok_or("no number after 'x' (the rate, e.g. 'x2' or 'x0.5')")?;
            rate =
                format!("{int}.{}", if frac.is_empty() { "0" } else { frac }).parse::<f64>().map_err(|_| "bad rate")?;
            if !(rate.is_finite() && rate > 0.0) {
                return Err("the rate must be greater than 0".into());
            }
            if let Start::Frozen(_) = start {
                return Err(
                    "a frozen time has no rate (use '@YYYY-MM-DD hh:mm:ss xRATE' to start there and tick)".into()
                );
            }
        }
        Some(b'i') => return Err("the 'iN' step mode of libfaketime is not supported".into()),
        Some(_) => {}
    }
    cur.spaces();
    if cur.i < cur.b.len() {
        return Err(format!("unexpected '{}' ({FORMS})", &t[cur.i..]));
    }
    Ok(Spec { start, rate })
}

/// `int.frac` times `unit` seconds, in nanoseconds, exactly.
fn decimal_ns(int: &str, frac: &str, unit: i128) -> Option<i64> {
    let frac = &frac[..frac.len().min(18)];
    let i: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    let scale = 10i128.pow(frac.len() as u32);
    let ns = i.checked_mul(unit)?.checked_mul(NS as i128)?.checked_add(f * unit * NS as i128 / scale)?;
    i64::try_from(ns).ok()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek();
        self.i += c.is_some() as usize;
        c
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ') | Some(b'\t')) {
            self.i += 1;
        }
    }

    fn digits(&mut self) -> &'a str {
        let s = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        // ASCII digits only.
        core::str::from_utf8(&self.b[s..self.i]).unwrap_or("")
    }

    /// Digits with an optional fraction after `.` or `,` (libfaketime follows the locale).
    fn number(&mut self) -> Option<(&'a str, &'a str)> {
        let int = self.digits();
        let mut frac = "";
        if matches!(self.peek(), Some(b'.') | Some(b',')) && self.b.get(self.i + 1).is_some_and(|c| c.is_ascii_digit())
        {
            self.i += 1;
            frac = self.digits();
        }
        (!int.is_empty() || !frac.is_empty()).then_some((int, frac))
    }

    fn field(&mut self, what: &str, max_len: usize) -> Result<u32, String> {
        let d = self.digits();
        if d.is_empty() || d.len() > max_len {
            return Err(format!("bad {what} in the date ({FORMS})"));
        }
        d.parse().map_err(|_| format!("bad {what} in the date"))
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.next() == Some(c) {
            Ok(())
        } else {
            Err(format!("malformed date ({FORMS})"))
        }
    }

    /// `YYYY-MM-DD hh:mm:ss[.frac]`, checked field by field.
    fn date(&mut self) -> Result<Date, String> {
        let year = self.field("year", 4)? as i32;
        self.expect(b'-')?;
        let month = self.field("month", 2)?;
        self.expect(b'-')?;
        let day = self.field("day", 2)?;
        if !matches!(self.peek(), Some(b' ') | Some(b'\t')) {
            return Err(format!("no time of day after the date ({FORMS})"));
        }
        self.spaces();
        let hour = self.field("hour", 2)?;
        self.expect(b':')?;
        let minute = self.field("minute", 2)?;
        self.expect(b':')?;
        let second = self.field("second", 2)?;
        let mut nanos = 0;
        if self.peek() == Some(b'.') && self.b.get(self.i + 1).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
            let f = self.digits();
            nanos = decimal_ns("", f, 1).unwrap_or(0);
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not 1-12"));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
        if day < 1 || day > days {
            return Err(format!("day {day} is not in {year:04}-{month:02}"));
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(format!("time of day {hour:02}:{minute:02}:{second:02} is out of range"));
        }
        Ok(Date { year, month, day, hour, minute, second, nanos })
    }
}

/// Seconds since the epoch of a local date, as mktime (and so libfaketime) computes it.
fn local_epoch(d: &Date) -> Result<i64, String> {
    // SAFETY: tm is plain data; all-zero is valid.
    let mut tm: libc::tm = unsafe { core::mem::zeroed() };
    tm.tm_year = d.year - 1900;
    tm.tm_mon = d.month as i32 - 1;
    tm.tm_mday = d.day as i32;
    tm.tm_hour = d.hour as i32;
    tm.tm_min = d.minute as i32;
    tm.tm_sec = d.second as i32;
    // Whether daylight saving time is in force then: mktime decides, as in libfaketime.
    tm.tm_isdst = -1;
    // SAFETY: a valid tm; start-up code (mktime reads TZ and may load the zone file).
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 && tm.tm_year != 69 {
        return Err(format!("--fake-time: {:04}-{:02}-{:02} cannot be represented as a time", d.year, d.month, d.day));
    }
    Ok(t)
}

/// What every process of the tree shares about the virtual clock (lives in the state file):
/// the tree's origin and the mapping from real to virtual time. Written once by
/// [`setup_new_state`] before any traced process starts; read-only afterwards.
#[repr(C)]
#[derive(Default)]
pub struct SharedClock {
    /// 1 once the fields below are set.
    ready: AtomicU32,
    /// 1: the wall clock stands still at `virt0`.
    frozen: AtomicU32,
    /// CLOCK_REALTIME at the origin, and the virtual wall time then (ns since the epoch).
    real0: AtomicI64,
    virt0: AtomicI64,
    /// The rate, an f64's bits.
    rate: AtomicU64,
    /// CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_MONOTONIC_RAW at the origin.
    mono0: AtomicI64,
    boot0: AtomicI64,
    raw0: AtomicI64,
    /// CLOCK_TAI minus CLOCK_REALTIME (whole seconds).
    tai_off: AtomicI64,
}

/// Fixes the virtual clock's origin for a new tree: the real time now.
pub fn setup_new_state(opts: &Options, shared: &'static Shared) -> Result<(), String> {
    let Some(spec) = parse(opts)? else {
        return Ok(());
    };
    let c = &shared.clock;
    let real0 = real_ns(libc::CLOCK_REALTIME);
    let tai = real_ns(libc::CLOCK_TAI);
    let (frozen, virt0) = match spec.start {
        Start::Frozen(d) => (true, local_epoch(&d)?.saturating_mul(NS).saturating_add(d.nanos)),
        Start::At(d) => (false, local_epoch(&d)?.saturating_mul(NS).saturating_add(d.nanos)),
        Start::Offset(o) => (false, real0.saturating_add(o)),
    };
    c.frozen.store(frozen as u32, Ordering::Relaxed);
    c.real0.store(real0, Ordering::Relaxed);
    c.virt0.store(virt0, Ordering::Relaxed);
    c.rate.store(spec.rate.to_bits(), Ordering::Relaxed);
    c.mono0.store(real_ns(libc::CLOCK_MONOTONIC), Ordering::Relaxed);
    c.boot0.store(real_ns(libc::CLOCK_BOOTTIME), Ordering::Relaxed);
    c.raw0.store(real_ns(libc::CLOCK_MONOTONIC_RAW), Ordering::Relaxed);
    c.tai_off.store((tai - real0 + NS / 2).div_euclid(NS) * NS, Ordering::Relaxed);
    c.ready.store(1, Ordering::Release);
    Ok(())
}

/// The shared clock this process maps time with (set at start-up, before the vDSO is patched).
static CLOCK: AtomicPtr<SharedClock> = AtomicPtr::new(core::ptr::null_mut());

/// The shim's hook; also redirects the vDSO's clock functions. Start-up only.
pub fn hook(_spec: Spec, shared: &'static Shared) -> Result<&'static dyn Hook, String> {
    if shared.clock.ready.load(Ordering::Acquire) == 0 {
        return Err("--fake-time: the shared state has no virtual clock (a state made without --fake-time)".into());
    }
    CLOCK.store(&shared.clock as *const SharedClock as *mut SharedClock, Ordering::Release);
    patch_vdso()?;
    Ok(&FakeTime)
}

/// Points the vDSO's clock functions (and their aliases, which share their code) at the
/// replacements below.
fn patch_vdso() -> Result<(), String> {
    let targets: [(&[u8], &[u8], usize); 3] = [
        (b"__vdso_clock_gettime", b"clock_gettime", vdso_clock_gettime as *const () as usize),
        (b"__vdso_gettimeofday", b"gettimeofday", vdso_gettimeofday as *const () as usize),
        (b"__vdso_time", b"time", vdso_time as *const () as usize),
    ];
    let mut done = [0usize; 6];
    let mut n = 0;
    for (name, alias, target) in targets {
        for sym in [name, alias] {
            let Some((addr, size)) = crate::vdso::lookup_sized(sym) else { continue };
            if done[..n].contains(&addr) {
                continue;
            }
            crate::vdso::patch_jump(addr, size, target).map_err(|e| {
                format!(
                    "--fake-time: cannot redirect the vDSO's {}: {}",
                    String::from_utf8_lossy(sym),
                    crate::errno_name(e)
                )
            })?;
            done[n] = addr;
            n += 1;
        }
    }
    Ok(())
}

/// The mapping from real to virtual time, as one process reads it. Handler path and vDSO
/// replacements: plain integer and float arithmetic, saturating.
#[derive(Clone, Copy)]
struct Map {
    frozen: bool,
    real0: i64,
    virt0: i64,
    rate: f64,
    mono0: i64,
    boot0: i64,
    raw0: i64,
    tai_off: i64,
}

fn map() -> Option<Map> {
    let p = CLOCK.load(Ordering::Acquire);
    if p.is_null() {
        return None;
    }
    // SAFETY: CLOCK points into the state file's mapping, which is never unmapped.
    let c = unsafe { &*p };
    Some(Map {
        frozen: c.frozen.load(Ordering::Relaxed) != 0,
        real0: c.real0.load(Ordering::Relaxed),
        virt0: c.virt0.load(Ordering::Relaxed),
        rate: f64::from_bits(c.rate.load(Ordering::Relaxed)),
        mono0: c.mono0.load(Ordering::Relaxed),
        boot0: c.boot0.load(Ordering::Relaxed),
        raw0: c.raw0.load(Ordering::Relaxed),
        tai_off: c.tai_off.load(Ordering::Relaxed),
    })
}

/// How a clock is faked.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Wall,
    Tai,
    /// A monotonic clock, with its value at the origin.
    Mono(i64),
    Real,
}

impl Map {
    fn kind(&self, clock: i32) -> Kind {
        match clock {
            libc::CLOCK_REALTIME | libc::CLOCK_REALTIME_COARSE | libc::CLOCK_REALTIME_ALARM => Kind::Wall,
            libc::CLOCK_TAI => Kind::Tai,
            libc::CLOCK_MONOTONIC | libc::CLOCK_MONOTONIC_COARSE => Kind::Mono(self.mono0),
            libc::CLOCK_MONOTONIC_RAW => Kind::Mono(self.raw0),
            libc::CLOCK_BOOTTIME | libc::CLOCK_BOOTTIME_ALARM => Kind::Mono(self.boot0),
            _ => Kind::Real,
        }
    }

    fn scale(&self, d: i64) -> i64 {
        if self.frozen || self.rate == 1.0 {
            d
        } else {
            (d as f64 * self.rate) as i64
        }
    }

    fn unscale(&self, d: i64) -> i64 {
        if self.frozen || self.rate == 1.0 {
            d
        } else {
            (d as f64 / self.rate) as i64
        }
    }

    fn wall(&self, real: i64) -> i64 {
        if self.frozen {
            self.virt0
        } else {
            self.virt0.saturating_add(self.scale(real.saturating_sub(self.real0)))
        }
    }

    /// A reading of `kind`'s clock, virtual.
    fn virtual_of(&self, kind: Kind, real: i64) -> i64 {
        match kind {
            Kind::Wall => self.wall(real),
            Kind::Tai => self.wall(real.saturating_sub(self.tai_off)).saturating_add(self.tai_off),
            Kind::Mono(o) => o.saturating_add(self.scale(real.saturating_sub(o))),
            Kind::Real => real,
        }
    }

    /// The real time at which `kind`'s clock shows the virtual `v` (an absolute deadline).
    fn real_deadline(&self, kind: Kind, v: i64) -> i64 {
        match kind {
            // A frozen clock never gets there: wait as long as a ticking one would from now.
            Kind::Wall if self.frozen => real_ns(libc::CLOCK_REALTIME).saturating_add(v.saturating_sub(self.virt0)),
            Kind::Wall => self.real0.saturating_add(self.unscale(v.saturating_sub(self.virt0))),
            Kind::Tai => self.real_deadline(Kind::Wall, v.saturating_sub(self.tai_off)).saturating_add(self.tai_off),
            Kind::Mono(o) => o.saturating_add(self.unscale(v.saturating_sub(o))),
            Kind::Real => v,
        }
    }
}

/// A clock read with the raw system call: the vDSO may be patched, and this must be real.
fn real_ns(clock: i32) -> i64 {
    let mut ts = Timespec::default();
    syscall6(libc::SYS_clock_gettime as usize, [clock as usize, &mut ts as *mut Timespec as usize, 0, 0, 0, 0]);
    ts.ns()
}

/// The kernel's timespec (x86-64).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

impl Timespec {
    fn ns(&self) -> i64 {
        self.sec.saturating_mul(NS).saturating_add(self.nsec)
    }

    fn from_ns(ns: i64) -> Timespec {
        Timespec { sec: ns.div_euclid(NS), nsec: ns.rem_euclid(NS) }
    }

    /// What the kernel accepts as a sleep request.
    fn valid(&self) -> bool {
        self.sec >= 0 && (0..NS).contains(&self.nsec)
    }
}

/// The clock of timerfd `fd`, from /proc/self/fdinfo (`clockid:` line). Handler path: raw
/// calls and stack buffers only.
fn timerfd_clock(fd: i32) -> Option<i32> {
    let mut buf = [0u8; crate::sys::FD_PATH_BYTES];
    let path = crate::sys::fd_path(&mut buf, b"/proc/self/fdinfo/", u32::try_from(fd).ok()?);
    let fd = crate::sys::open(path, libc::O_RDONLY | libc::O_CLOEXEC, 0).ok()? as i32;
    let mut buf = [0u8; 256];
    let got = syscall6(libc::SYS_read as usize, [fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0, 0, 0]);
    let _ = crate::sys::close(fd);
    let text = buf.get(..usize::try_from(got).ok()?)?;
    let at = text.windows(8).position(|w| w == b"clockid:")? + 8;
    let mut clock: i32 = 0;
    let mut seen = false;
    for &c in &text[at..] {
        match c {
            b' ' | b'\t' if !seen => {}
            b'0'..=b'9' => {
                clock = clock.saturating_mul(10).saturating_add((c - b'0') as i32);
                seen = true;
            }
            _ => break,
        }
    }
    seen.then_some(clock)
}

/// Offset of `st_atim` in the kernel's `struct stat` (x86-64); `st_mtim` and `st_ctim` follow.
const STAT_TIMES: usize = 72;
/// utimensat's special nanosecond values.
const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

/// The kernel's timeval (x86-64).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
struct Timeval {
    sec: i64,
    usec: i64,
}

// ---- the vDSO replacements: the program's own context, any thread, maybe a signal handler ------

/// Replaces the vDSO's clock_gettime: the real clock from the kernel, made virtual.
extern "C" fn vdso_clock_gettime(clock: libc::clockid_t, ts: *mut Timespec) -> libc::c_int {
    let r = syscall6(libc::SYS_clock_gettime as usize, [clock as usize, ts as usize, 0, 0, 0, 0]);
    if r == 0 {
        if let Some(m) = map() {
            let kind = m.kind(clock);
            if kind != Kind::Real {
                // SAFETY: the kernel has just written a timespec there, so it is valid memory;
                // the vDSO itself would write through the same pointer.
                unsafe { *ts = Timespec::from_ns(m.virtual_of(kind, (*ts).ns())) };
            }
        }
    }
    r as libc::c_int
}

/// Replaces the vDSO's gettimeofday.
extern "C" fn vdso_gettimeofday(tv: *mut Timeval, tz: *mut libc::c_void) -> libc::c_int {
    let r = syscall6(libc::SYS_gettimeofday as usize, [tv as usize, tz as usize, 0, 0, 0, 0]);
    if r == 0 && !tv.is_null() {
        if let Some(m) = map() {
            // SAFETY: the kernel has just written a timeval there.
            unsafe {
                let real = (*tv).sec.saturating_mul(NS).saturating_add((*tv).usec.saturating_mul(1000));
                let v = Timespec::from_ns(m.wall(real));
                *tv = Timeval { sec: v.sec, usec: v.nsec / 1000 };
            }
        }
    }
    r as libc::c_int
}

/// Replaces the vDSO's time.
extern "C" fn vdso_time(t: *mut i64) -> i64 {
    let real = real_ns(libc::CLOCK_REALTIME);
    let v = match map() {
        Some(m) => m.wall(real).div_euclid(NS),
        None => real.div_euclid(NS),
    };
    if !t.is_null() {
        // SAFETY: the program's pointer, written as the vDSO's time() writes it.
        unsafe { *t = v };
    }
    v
}

// ---- the system calls -------------------------------------------------------------------------

struct FakeTime;

impl FakeTime {
    /// The timespec at argument `idx` measured on `clock`: a duration divided by the rate, an
    /// absolute deadline mapped to real time, in the call's scratch memory. Whether the call
    /// waits on a faked clock.
    fn rewrite_timespec(&self, call: &mut Call, clock: i32, abs: bool, idx: usize) -> bool {
        let Some(m) = map() else { return false };
        let kind = m.kind(clock);
        if kind == Kind::Real || call.args[idx] == 0 {
            return false;
        }
        let Ok(ts) = crate::mem::read_val::<Timespec>(call.args[idx]) else {
            // The kernel says EFAULT, as natively.
            return false;
        };
        if !ts.valid() {
            // The kernel says EINVAL, as natively.
            return false;
        }
        let real = if abs { m.real_deadline(kind, ts.ns()) } else { m.unscale(ts.ns()) }.max(0);
        if real != ts.ns() {
            let r = Timespec::from_ns(real);
            call.scratch[0] = r.sec as u64;
            call.scratch[1] = r.nsec as u64;
            call.args[idx] = call.scratch.as_ptr() as usize;
        }
        true
    }

    /// select's timeval at argument `idx`, divided by the rate, in the call's scratch memory.
    fn rewrite_timeval(&self, call: &mut Call, idx: usize) -> Verdict {
        let Some(m) = map() else { return Verdict::RunNoExit };
        let Ok(tv) = crate::mem::read_val::<Timeval>(call.args[idx]) else { return Verdict::RunNoExit };
        if call.args[idx] == 0 || tv.sec < 0 || !(0..1_000_000).contains(&tv.usec) {
            return Verdict::RunNoExit;
        }
        let ns = tv.sec.saturating_mul(NS).saturating_add(tv.usec * 1000);
        let real = m.unscale(ns);
        if real == ns {
            return Verdict::RunNoExit;
        }
        // Rounded up: a wait must not become a poll.
        let r = Timespec::from_ns(real.saturating_add(999));
        call.scratch[0] = r.sec as u64;
        call.scratch[1] = (r.nsec / 1000) as u64;
        call.args[idx] = call.scratch.as_ptr() as usize;
        Verdict::Run
    }

    /// The time left that the kernel wrote into the scratch copy (select, pselect6, ppoll
    /// update their timeout), back to virtual, into the program's own structure.
    fn timeout_left(&self, call: &Call, idx: usize, timeval: bool, ret: isize) {
        if call.args[idx] == call.orig_args[idx] || ret == -(libc::EFAULT as isize) {
            return;
        }
        let Some(m) = map() else { return };
        let unit = if timeval { 1000 } else { 1 };
        let left = (call.scratch[0] as i64).saturating_mul(NS).saturating_add(call.scratch[1] as i64 * unit);
        let v = Timespec::from_ns(m.scale(left).max(0));
        let _ = if timeval {
            crate::mem::write_val(call.orig_args[idx], &Timeval { sec: v.sec, usec: v.nsec / 1000 })
        } else {
            crate::mem::write_val(call.orig_args[idx], &v)
        };
    }

    /// A relative timespec timeout: exit writes the time left back when it was rewritten.
    fn timeout_enter(&self, call: &mut Call, idx: usize) -> Verdict {
        if self.rewrite_timespec(call, libc::CLOCK_MONOTONIC, false, idx) && call.args[idx] != call.orig_args[idx] {
            Verdict::Run
        } else {
            Verdict::RunNoExit
        }
    }

    /// A sleep: relative ones need their exit (the time left, when interrupted, back to virtual).
    fn sleep_enter(&self, call: &mut Call, clock: i32, abs: bool, req: usize) -> Verdict {
        if self.rewrite_timespec(call, clock, abs, req) && !abs {
            Verdict::Run
        } else {
            Verdict::RunNoExit
        }
    }

    /// A timeout in milliseconds at argument `idx` (poll, epoll_wait): divided by the rate,
    /// rounded up so that a wait never becomes a poll.
    fn rewrite_millis(&self, call: &mut Call, idx: usize) {
        let Some(m) = map() else { return };
        let ms = call.arg_i32(idx);
        if ms > 0 {
            let real = m.unscale(ms as i64 * 1_000_000).saturating_add(999_999) / 1_000_000;
            call.args[idx] = real.clamp(1, i32::MAX as i64) as i32 as usize;
        }
    }

    /// File times the program sets (utimensat, utimes, futimesat, utime) are virtual: back to
    /// real. `UTIME_NOW` and `UTIME_OMIT` stay. `idx` is the times argument, `micro` says
    /// timevals, `pairs` false means utime's two plain seconds.
    fn set_times_enter(&self, call: &mut Call, idx: usize, micro: bool, pairs: bool) {
        let Some(m) = map() else { return };
        if call.args[idx] == 0 {
            return;
        }
        let to_real = |v: i64| m.real_deadline(Kind::Wall, v);
        if !pairs {
            let Ok(t) = crate::mem::read_val::<[i64; 2]>(call.args[idx]) else { return };
            for (i, secs) in t.iter().enumerate() {
                call.scratch[i] = to_real(secs.saturating_mul(NS)).div_euclid(NS) as u64;
            }
        } else {
            let Ok(t) = crate::mem::read_val::<[[i64; 2]; 2]>(call.args[idx]) else { return };
            let unit = if micro { 1000 } else { 1 };
            for (i, &[sec, frac]) in t.iter().enumerate() {
                let special = !micro && (frac == UTIME_NOW || frac == UTIME_OMIT);
                if special || !(0..NS / unit).contains(&frac) {
                    // As given: the kernel acts on it (or says EINVAL) as natively.
                    call.scratch[2 * i] = sec as u64;
                    call.scratch[2 * i + 1] = frac as u64;
                    continue;
                }
                let r = Timespec::from_ns(to_real(sec.saturating_mul(NS).saturating_add(frac * unit)));
                call.scratch[2 * i] = r.sec as u64;
                call.scratch[2 * i + 1] = (r.nsec / unit) as u64;
            }
        }
        call.args[idx] = call.scratch.as_ptr() as usize;
    }

    /// A timer's new setting at argument `idx` (itimerspec, or itimerval with `micro`;
    /// `{interval, value}` either way): the interval divided by the rate, the value too, or
    /// mapped to real time when it is an absolute deadline on `abs_clock`.
    fn timer_enter(&self, call: &mut Call, idx: usize, micro: bool, abs_clock: Option<i32>) -> Verdict {
        let Some(m) = map() else { return Verdict::RunNoExit };
        // No new setting (setitimer's NULL disarms; the others fail) still reports the old one,
        // which the exit makes virtual: a NULL is not an unreadable pointer.
        if call.args[idx] == 0 {
            return Verdict::Run;
        }
        let Ok(t) = crate::mem::read_val::<[[i64; 2]; 2]>(call.args[idx]) else { return Verdict::RunNoExit };
        let unit = if micro { 1000 } else { 1 };
        if t.iter().any(|&[sec, frac]| sec < 0 || !(0..NS / unit).contains(&frac)) {
            return Verdict::Run;
        }
        for (i, &[sec, frac]) in t.iter().enumerate() {
            let ns = sec.saturating_mul(NS).saturating_add(frac * unit);
            let real = match abs_clock {
                // A zero value disarms the timer: it must stay zero.
                _ if ns == 0 => 0,
                Some(c) if i == 1 && m.kind(c) != Kind::Real => m.real_deadline(m.kind(c), ns).max(1),
                // Rounded up: a timer must not become a disarmed one.
                _ => m.unscale(ns).max(1).saturating_add(unit - 1),
            };
            let r = Timespec::from_ns(real);
            call.scratch[2 * i] = r.sec as u64;
            call.scratch[2 * i + 1] = (r.nsec / unit) as u64;
        }
        call.args[idx] = call.scratch.as_ptr() as usize;
        Verdict::Run
    }

    /// alarm(2) counts whole seconds, too coarse for a scaled timer (at x10, 2 s is 0.2 s):
    /// it is done as the kernel does it, with setitimer(ITIMER_REAL), in microseconds.
    fn alarm(&self, call: &mut Call) -> Verdict {
        let Some(m) = map() else { return Verdict::RunNoExit };
        if m.frozen || m.rate == 1.0 {
            return Verdict::RunNoExit;
        }
        let secs = call.arg_u32(0) as i64;
        let real = if secs == 0 { 0 } else { m.unscale(secs * NS).max(1_000) };
        let r = Timespec::from_ns(real.saturating_add(999));
        let new = [[0i64, 0], [r.sec, r.nsec / 1000]];
        let mut old = [[0i64; 2]; 2];
        let ret = syscall6(
            libc::SYS_setitimer as usize,
            [libc::ITIMER_REAL as usize, new.as_ptr() as usize, old.as_mut_ptr() as usize, 0, 0, 0],
        );
        if crate::sys::is_error(ret) {
            return Verdict::Emulate(ret);
        }
        // What is left of the previous alarm, in virtual seconds, rounded as the kernel's
        // alarm rounds it (to the nearest second, and never 0 while one is pending).
        let left = Timespec::from_ns(m.scale(old[1][0].saturating_mul(NS).saturating_add(old[1][1] * 1000)));
        let mut secs_left = left.sec;
        if (secs_left == 0 && left.nsec != 0) || left.nsec >= NS / 2 {
            secs_left += 1;
        }
        Verdict::Emulate(secs_left as isize)
    }

    /// A timer's setting as the kernel reports it (always relative: time left, interval), back
    /// to virtual.
    fn timer_exit(&self, m: &Map, addr: usize, micro: bool) {
        if addr == 0 || m.frozen || m.rate == 1.0 {
            return;
        }
        let unit = if micro { 1000 } else { 1 };
        if let Ok(t) = crate::mem::read_val::<[[i64; 2]; 2]>(addr) {
            let v = t.map(|[sec, frac]| {
                let r = Timespec::from_ns(m.scale(sec.saturating_mul(NS).saturating_add(frac.saturating_mul(unit))));
                [r.sec, r.nsec / unit]
            });
            let _ = crate::mem::write_val(addr, &v);
        }
    }

    /// A stat buffer's times, real to virtual (libfaketime fakes file times by default too).
    fn stat_exit(&self, m: &Map, buf: usize, statx: bool) {
        if buf == 0 {
            return;
        }
        if statx {
            // struct statx: stx_mask at 0; atime, btime, ctime, mtime at 64, 80, 96, 112, each
            // { i64 tv_sec; u32 tv_nsec; i32 reserved }.
            let Ok(mask) = crate::mem::read_val::<u32>(buf) else { return };
            for (off, bit) in [(64, 0x20), (80, 0x800), (96, 0x80), (112, 0x40)] {
                if mask & bit == 0 {
                    continue;
                }
                if let Ok([sec, nsec]) = crate::mem::read_val::<[i64; 2]>(buf + off) {
                    let ns = (nsec & 0xffff_ffff).min(NS - 1);
                    let v = Timespec::from_ns(m.wall(sec.saturating_mul(NS).saturating_add(ns)));
                    let _ = crate::mem::write_val(buf + off, &[v.sec, (nsec & !0xffff_ffff) | v.nsec]);
                }
            }
        } else if let Ok(t) = crate::mem::read_val::<[Timespec; 3]>(buf + STAT_TIMES) {
            // struct stat (x86-64): st_atim, st_mtim, st_ctim from byte 72.
            let v = t.map(|ts| Timespec::from_ns(m.wall(ts.ns())));
            let _ = crate::mem::write_val(buf + STAT_TIMES, &v);
        }
    }

    /// futex: FUTEX_WAIT's timeout is relative (CLOCK_MONOTONIC); WAIT_BITSET, WAIT_REQUEUE_PI
    /// and LOCK_PI2 take an absolute deadline on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME,
    /// CLOCK_REALTIME; LOCK_PI's is always CLOCK_REALTIME. A deadline computed from the virtual
    /// clock (pthread_cond_timedwait, sem_timedwait) would otherwise be days away under `+1d`.
    fn futex_enter(&self, call: &mut Call) {
        const FUTEX_CLOCK_REALTIME: u32 = 256;
        let op = call.arg_u32(1);
        let clock = if op & FUTEX_CLOCK_REALTIME != 0 { libc::CLOCK_REALTIME } else { libc::CLOCK_MONOTONIC };
        match op & 127 {
            0 => {
                self.rewrite_timespec(call, libc::CLOCK_MONOTONIC, false, 3);
            }
            9 | 11 | 13 => {
                self.rewrite_timespec(call, clock, true, 3);
            }
            6 => {
                self.rewrite_timespec(call, libc::CLOCK_REALTIME, true, 3);
            }
            _ => {}
        }
    }

    /// An interrupted relative sleep's remaining time, back to virtual.
    fn sleep_exit(&self, rem: usize, ret: isize) {
        if ret != -(libc::EINTR as isize) || rem == 0 {
            return;
        }
        let Some(m) = map() else { return };
        if let Ok(ts) = crate::mem::read_val::<Timespec>(rem) {
            let _ = crate::mem::write_val(rem, &Timespec::from_ns(m.scale(ts.ns()).max(0)));
        }
    }
}

impl Hook for FakeTime {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        Some(SysnoSet::new(&[
            Sysno::clock_gettime,
            Sysno::gettimeofday,
            Sysno::time,
            Sysno::nanosleep,
            Sysno::clock_nanosleep,
            Sysno::futex,
            Sysno::futex_waitv,
            Sysno::mq_timedsend,
            Sysno::mq_timedreceive,
            Sysno::poll,
            Sysno::epoll_wait,
            Sysno::epoll_pwait,
            Sysno::epoll_pwait2,
            Sysno::ppoll,
            Sysno::pselect6,
            Sysno::select,
            Sysno::stat,
            Sysno::fstat,
            Sysno::lstat,
            Sysno::newfstatat,
            Sysno::statx,
            Sysno::utimensat,
            Sysno::utimes,
            Sysno::futimesat,
            Sysno::utime,
            Sysno::timerfd_settime,
            Sysno::timerfd_gettime,
            Sysno::timer_settime,
            Sysno::timer_gettime,
            Sysno::setitimer,
            Sysno::getitimer,
            Sysno::alarm,
        ]))
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        match call.nr as libc::c_long {
            libc::SYS_clock_gettime | libc::SYS_gettimeofday | libc::SYS_time => Verdict::Run,
            // nanosleep measures CLOCK_MONOTONIC.
            libc::SYS_nanosleep => self.sleep_enter(call, libc::CLOCK_MONOTONIC, false, 0),
            libc::SYS_clock_nanosleep => {
                let abs = call.arg_i32(1) & libc::TIMER_ABSTIME != 0;
                self.sleep_enter(call, call.arg_i32(0), abs, 2)
            }
            libc::SYS_futex => {
                self.futex_enter(call);
                Verdict::RunNoExit
            }
            // futex_waitv(waiters, n, flags, deadline, clockid).
            libc::SYS_futex_waitv => {
                self.rewrite_timespec(call, call.arg_i32(4), true, 3);
                Verdict::RunNoExit
            }
            // Absolute CLOCK_REALTIME deadlines.
            libc::SYS_mq_timedsend | libc::SYS_mq_timedreceive => {
                self.rewrite_timespec(call, libc::CLOCK_REALTIME, true, 4);
                Verdict::RunNoExit
            }
            libc::SYS_poll => {
                self.rewrite_millis(call, 2);
                Verdict::RunNoExit
            }
            libc::SYS_epoll_wait | libc::SYS_epoll_pwait => {
                self.rewrite_millis(call, 3);
                Verdict::RunNoExit
            }
            // Its timeout is not written back.
            libc::SYS_epoll_pwait2 => {
                self.rewrite_timespec(call, libc::CLOCK_MONOTONIC, false, 3);
                Verdict::RunNoExit
            }
            libc::SYS_ppoll => self.timeout_enter(call, 2),
            libc::SYS_pselect6 => self.timeout_enter(call, 4),
            libc::SYS_select => self.rewrite_timeval(call, 4),
            libc::SYS_stat | libc::SYS_fstat | libc::SYS_lstat | libc::SYS_newfstatat | libc::SYS_statx => Verdict::Run,
            libc::SYS_utimensat => {
                self.set_times_enter(call, 2, false, true);
                Verdict::RunNoExit
            }
            libc::SYS_futimesat => {
                self.set_times_enter(call, 2, true, true);
                Verdict::RunNoExit
            }
            libc::SYS_utimes => {
                self.set_times_enter(call, 1, true, true);
                Verdict::RunNoExit
            }
            libc::SYS_utime => {
                self.set_times_enter(call, 1, false, false);
                Verdict::RunNoExit
            }
            libc::SYS_timerfd_settime => {
                let abs = call.arg_i32(1) & libc::TFD_TIMER_ABSTIME != 0;
                let clock = if abs { timerfd_clock(call.arg_i32(0)) } else { None };
                self.timer_enter(call, 2, false, clock)
            }
            // A POSIX timer's clock is not known here: absolute deadlines are taken as
            // CLOCK_REALTIME ones, the default clock of timer_create's users.
            libc::SYS_timer_settime => {
                let abs = call.arg_i32(1) & libc::TIMER_ABSTIME != 0;
                self.timer_enter(call, 2, false, abs.then_some(libc::CLOCK_REALTIME))
            }
            // ITIMER_REAL counts real time; the CPU-time timers stay as they are.
            libc::SYS_setitimer if call.arg_i32(0) == libc::ITIMER_REAL => self.timer_enter(call, 1, true, None),
            libc::SYS_getitimer if call.arg_i32(0) == libc::ITIMER_REAL => Verdict::Run,
            libc::SYS_timerfd_gettime | libc::SYS_timer_gettime => Verdict::Run,
            libc::SYS_alarm => self.alarm(call),
            _ => Verdict::RunNoExit,
        }
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        let Some(m) = map() else { return };
        match call.nr as libc::c_long {
            libc::SYS_clock_gettime if *ret == 0 && call.args[1] != 0 => {
                let kind = m.kind(call.arg_i32(0));
                if kind == Kind::Real {
                    return;
                }
                if let Ok(ts) = crate::mem::read_val::<Timespec>(call.args[1]) {
                    let _ = crate::mem::write_val(call.args[1], &Timespec::from_ns(m.virtual_of(kind, ts.ns())));
                }
            }
            libc::SYS_gettimeofday if *ret == 0 && call.args[0] != 0 => {
                if let Ok(tv) = crate::mem::read_val::<Timeval>(call.args[0]) {
                    let real = tv.sec.saturating_mul(NS).saturating_add(tv.usec.saturating_mul(1000));
                    let v = Timespec::from_ns(m.wall(real));
                    let _ = crate::mem::write_val(call.args[0], &Timeval { sec: v.sec, usec: v.nsec / 1000 });
                }
            }
            libc::SYS_time if !crate::sys::is_error(*ret) => {
                let v = m.wall(real_ns(libc::CLOCK_REALTIME)).div_euclid(NS);
                if call.args[0] != 0 {
                    let _ = crate::mem::write_val(call.args[0], &v);
                }
                *ret = v as isize;
            }
            libc::SYS_nanosleep => self.sleep_exit(call.args[1], *ret),
            libc::SYS_clock_nanosleep => self.sleep_exit(call.args[3], *ret),
            libc::SYS_ppoll => self.timeout_left(call, 2, false, *ret),
            libc::SYS_pselect6 => self.timeout_left(call, 4, false, *ret),
            libc::SYS_select => self.timeout_left(call, 4, true, *ret),
            libc::SYS_stat | libc::SYS_fstat | libc::SYS_lstat if *ret == 0 => self.stat_exit(&m, call.args[1], false),
            libc::SYS_newfstatat if *ret == 0 => self.stat_exit(&m, call.args[2], false),
            libc::SYS_statx if *ret == 0 => self.stat_exit(&m, call.args[4], true),
            libc::SYS_timerfd_settime | libc::SYS_timer_settime if *ret == 0 => {
                self.timer_exit(&m, call.args[3], false)
            }
            libc::SYS_timerfd_gettime | libc::SYS_timer_gettime if *ret == 0 => {
                self.timer_exit(&m, call.args[1], false)
            }
            libc::SYS_setitimer if *ret == 0 => self.timer_exit(&m, call.args[2], true),
            libc::SYS_getitimer if *ret == 0 => self.timer_exit(&m, call.args[1], true),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: i64) -> Date {
        Date { year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanos }
    }

    #[test]
    fn forms() {
        let p = |s| parse_spec(s).unwrap();
        assert_eq!(
            p("2020-12-24 20:30:00"),
            Spec { start: Start::Frozen(date(2020, 12, 24, 20, 30, 0, 0)), rate: 1.0 }
        );
        assert_eq!(p("@2000-01-01 11:12:13"), Spec { start: Start::At(date(2000, 1, 1, 11, 12, 13, 0)), rate: 1.0 });
        assert_eq!(
            p("@2000-01-01 11:12:13.25 x10"),
            Spec { start: Start::At(date(2000, 1, 1, 11, 12, 13, 250_000_000)), rate: 10.0 }
        );
        assert_eq!(p("-120").start, Start::Offset(-120 * NS));
        assert_eq!(p("+30s").start, Start::Offset(30 * NS));
        assert_eq!(p("-10m").start, Start::Offset(-600 * NS));
        assert_eq!(p("+1.5h").start, Start::Offset(5400 * NS));
        assert_eq!(p("+1,5h").start, Start::Offset(5400 * NS));
        assert_eq!(p("+14d").start, Start::Offset(14 * 86_400 * NS));
        assert_eq!(p("+2y").start, Start::Offset(2 * 365 * 86_400 * NS));
        assert_eq!(p("+0.001").start, Start::Offset(1_000_000));
        assert_eq!(p("+1d x2"), Spec { start: Start::Offset(86_400 * NS), rate: 2.0 });
        assert_eq!(p("+1y x0,5").rate, 0.5);
        assert_eq!(p("  +0 x0.5  ").rate, 0.5);
        assert_eq!(p("2024-02-29 23:59:60").start, Start::Frozen(date(2024, 2, 29, 23, 59, 60, 0)));
    }

    #[test]
    fn errors() {
        let e = |s| parse_spec(s).unwrap_err();
        assert!(e("").contains("empty"));
        assert!(e("x2").contains("'+0 xRATE'"));
        assert!(e("2020-01-01 00:00:00 x2").contains("frozen"));
        assert!(e("2020-13-01 00:00:00").contains("month 13"));
        assert!(e("2023-02-29 00:00:00").contains("day 29"));
        assert!(e("2020-01-01 24:00:00").contains("out of range"));
        assert!(e("2020-01-01").contains("no time of day"));
        assert!(e("+").contains("no number"));
        assert!(e("+5w").contains("unexpected 'w'"));
        assert!(e("+1d x0").contains("greater than 0"));
        assert!(e("+1d x").contains("no number after 'x'"));
        assert!(e("+1d y").contains("unexpected"));
        assert!(e("yesterday").contains("expected"));
        assert!(e("+1y i2").contains("not supported"));
        assert!(e("%").contains("not supported"));
        assert!(e("+99999999999y").contains("too large"));
    }

    fn m(frozen: bool, rate: f64) -> Map {
        Map {
            frozen,
            real0: 1000 * NS,
            virt0: 5000 * NS,
            rate,
            mono0: 100 * NS,
            boot0: 200 * NS,
            raw0: 50 * NS,
            tai_off: 37 * NS,
        }
    }

    #[test]
    fn mapping() {
        let t = m(false, 2.0);
        assert_eq!(t.virtual_of(Kind::Wall, 1001 * NS), 5002 * NS);
        assert_eq!(t.virtual_of(Kind::Tai, 1038 * NS), 5039 * NS);
        assert_eq!(t.virtual_of(t.kind(libc::CLOCK_MONOTONIC), 110 * NS), 120 * NS);
        assert_eq!(t.virtual_of(t.kind(libc::CLOCK_PROCESS_CPUTIME_ID), 7), 7);
        assert_eq!(t.real_deadline(Kind::Wall, 5010 * NS), 1005 * NS);
        assert_eq!(t.real_deadline(t.kind(libc::CLOCK_MONOTONIC), 120 * NS), 110 * NS);
        assert_eq!(t.unscale(NS), NS / 2);
        let f = m(true, 1.0);
        assert_eq!(f.virtual_of(Kind::Wall, 99_999 * NS), 5000 * NS);
        assert_eq!(f.virtual_of(t.kind(libc::CLOCK_MONOTONIC), 123), 123);
        assert_eq!(f.unscale(NS), NS);
        assert_eq!(Timespec::from_ns(-1).sec, -1);
        assert_eq!(Timespec::from_ns(-1).nsec, NS - 1);
    }
}
