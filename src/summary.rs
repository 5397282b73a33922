//! `-c`: the counting hook and strace's summary table.

use core::fmt::{self, Write};
use core::sync::atomic::Ordering;

use crate::dispatch::{Call, Hook};
use crate::state::{Shared, NR_SLOTS};

/// Counts every reported call of the `-e trace=` set that returns (as strace does: it counts
/// only the calls it traces; exit and exit_group never return; a successful execve is counted by
/// the image it starts, see `init`).
pub struct CountHook {
    /// The tree's state, whose counters every process of the tree adds to.
    pub shared: &'static Shared,
    /// `-e trace=`: the calls counted.
    pub set: crate::trace::filter::SyscallSet,
}

impl Hook for CountHook {
    fn syscalls(&self) -> Option<syscalls::SysnoSet> {
        Some(self.set.to_sysno_set())
    }

    fn enter(&self, call: &mut Call) -> crate::dispatch::Verdict {
        if call.reported && self.set.contains_nr(call.nr) {
            crate::dispatch::Verdict::Run
        } else {
            crate::dispatch::Verdict::RunNoExit
        }
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        let noreturn = matches!(call.nr as libc::c_long, libc::SYS_exit | libc::SYS_exit_group);
        // Only calls `enter` chose (reported, in the set) come here.
        if !noreturn {
            // An injected retval= is a success however it looks, as strace counts it.
            let failed = crate::sys::is_error(*ret) && call.marks & crate::dispatch::MARK_INJECTED_RETVAL == 0;
            self.shared.count(call.nr, failed, call.elapsed_ns);
        }
    }
}

/// The name strace prints for a system call number.
pub fn name_of(nr: usize, w: &mut dyn Write) -> fmt::Result {
    match crate::trace::decode::syscall_name(nr) {
        Some(s) => w.write_str(s),
        None => write!(w, "syscall_{nr:#x}"),
    }
}

/// One row of the table, from the counters (a snapshot: processes may still be counting).
#[derive(Clone, Copy, Default)]
pub struct Row {
    nr: u16,
    calls: u64,
    errors: u64,
    nanos: u64,
    min: u64,
    max: u64,
}

/// `-S`: the order of the rows (strace 6.1's criteria and aliases).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Total time spent in the call, largest first (strace's default).
    #[default]
    Time,
    /// Each call's shortest duration, largest first.
    MinTime,
    /// Each call's longest duration, largest first.
    MaxTime,
    /// Average duration, largest first.
    AvgTime,
    /// Number of calls, most first.
    Calls,
    /// Number of errors, most first.
    Errors,
    /// System call name, alphabetically.
    Name,
    /// No sorting: system call number order.
    Nothing,
}

impl SortBy {
    /// Parses `-S SORTBY`, with strace 6.1's aliases (`count`, `shortest`, `syscall`, ...). Error:
    /// `invalid sortby: 'X'`, strace's wording.
    pub fn parse(s: &str) -> Result<SortBy, String> {
        Ok(match s {
            "time" | "time-percent" | "time-total" | "total-time" => SortBy::Time,
            "min-time" | "shortest" | "time-min" => SortBy::MinTime,
            "max-time" | "longest" | "time-max" => SortBy::MaxTime,
            "avg-time" | "time-avg" => SortBy::AvgTime,
            "calls" | "count" => SortBy::Calls,
            "errors" | "error" => SortBy::Errors,
            "name" | "syscall" | "syscall-name" => SortBy::Name,
            "nothing" | "none" => SortBy::Nothing,
            _ => return Err(format!("invalid sortby: '{s}'")),
        })
    }

    /// Whether `a` goes before `b` (rows are inserted stably, in system-call number order).
    fn before(self, a: &Row, b: &Row) -> bool {
        match self {
            SortBy::Time => a.nanos > b.nanos,
            SortBy::MinTime => a.min > b.min,
            SortBy::MaxTime => a.max > b.max,
            SortBy::AvgTime => a.nanos / a.calls > b.nanos / b.calls,
            SortBy::Calls => a.calls > b.calls,
            SortBy::Errors => a.errors > b.errors,
            SortBy::Name => name_cmp(a.nr as usize, b.nr as usize) == core::cmp::Ordering::Less,
            SortBy::Nothing => false,
        }
    }
}

/// Names compared without allocating (unknown numbers print as `syscall_0x...`).
fn name_cmp(a: usize, b: usize) -> core::cmp::Ordering {
    let name = |nr: usize| crate::trace::decode::syscall_name(nr).unwrap_or("");
    name(a).cmp(name(b))
}

/// Decimal digits of `v` (as printf would print it).
fn digits(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

fn name_len(nr: usize) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = name_of(nr, &mut c);
    c.0
}

/// Column widths, computed from the data as strace 6.1 does (with its historical minimums).
struct Widths {
    seconds: usize,
    per_call: usize,
    calls: usize,
    errors: usize,
    name: usize,
}

impl Widths {
    fn dashes(&self, w: &mut impl Write) -> fmt::Result {
        for (i, n) in [6, self.seconds, self.per_call, self.calls, self.errors, self.name].into_iter().enumerate() {
            if i > 0 {
                w.write_char(' ')?;
            }
            for _ in 0..n {
                w.write_char('-')?;
            }
        }
        w.write_char('\n')
    }

    /// One row; `pct` None is the total row's 100.00. The name is the last column: unpadded.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        w: &mut impl Write,
        pct: f64,
        nanos: u64,
        per_call: u64,
        calls: u64,
        errors: u64,
        name: &dyn Fn(&mut dyn Write) -> fmt::Result,
    ) -> fmt::Result {
        let secs = nanos as f64 / 1e9;
        write!(
            w,
            "{pct:6.2} {secs:>ws$.6} {per_call:>wp$} {calls:>wc$} ",
            ws = self.seconds,
            wp = self.per_call,
            wc = self.calls
        )?;
        // strace prints errors with "%*.0u": nothing at all for zero.
        if errors == 0 {
            write!(w, "{:we$} ", "", we = self.errors)?;
        } else {
            write!(w, "{errors:>we$} ", we = self.errors)?;
        }
        name(w)?;
        w.write_char('\n')
    }
}

const HEADER_NAMES: [&str; 6] = ["% time", "seconds", "usecs/call", "calls", "errors", "syscall"];

/// Writes strace 6.1's `-c` table: rows by descending time (ties in system-call number order),
/// then the total. Allocation-free: usable from the handler path, with `rows` (at least
/// [`NR_SLOTS`] long) as scratch, so that a small thread stack does not have to hold it.
pub fn write_table(shared: &Shared, rows: &mut [Row], sort: SortBy, w: &mut impl Write) -> fmt::Result {
    assert!(rows.len() >= NR_SLOTS);
    let mut n = 0;
    let (mut calls, mut errors, mut nanos) = (0u64, 0u64, 0u64);
    let (mut max_per_call, mut max_name) = (0u64, 0usize);
    for (nr, c) in shared.counters.iter().enumerate() {
        let k = c.calls.load(Ordering::Relaxed);
        if k == 0 {
            continue;
        }
        let r = Row {
            nr: nr as u16,
            calls: k,
            errors: c.errors.load(Ordering::Relaxed),
            nanos: c.nanos.load(Ordering::Relaxed),
            min: c.min_plus1.load(Ordering::Relaxed).saturating_sub(1),
            max: c.max.load(Ordering::Relaxed),
        };
        calls += r.calls;
        errors += r.errors;
        nanos += r.nanos;
        max_per_call = max_per_call.max(r.nanos / r.calls / 1000);
        max_name = max_name.max(name_len(nr));
        // Stable insertion (ties keep system-call number order, as strace's mergesort does).
        let mut i = n;
        while i > 0 && sort.before(&r, &rows[i - 1]) {
            rows[i] = rows[i - 1];
            i -= 1;
        }
        rows[i] = r;
        n += 1;
    }
    let secs_width = digits(nanos / 1_000_000_000) + 7;
    let wd = Widths {
        seconds: secs_width.max(11),
        per_call: digits(max_per_call).max(11),
        calls: digits(calls).max(9),
        errors: digits(errors).max(9),
        name: (max_name + 1).max(16),
    };
    let widths = [6, wd.seconds, wd.per_call, wd.calls, wd.errors];
    for (i, h) in HEADER_NAMES.iter().enumerate() {
        if i > 0 {
            w.write_char(' ')?;
        }
        match widths.get(i) {
            Some(width) => write!(w, "{h:>width$}")?,
            None => w.write_str(h)?,
        }
    }
    w.write_char('\n')?;
    wd.dashes(w)?;
    for r in &rows[..n] {
        let pct = if nanos == 0 { 0.0 } else { 100.0 * r.nanos as f64 / nanos as f64 };
        wd.row(w, pct, r.nanos, r.nanos / r.calls / 1000, r.calls, r.errors, &|w| name_of(r.nr as usize, w))?;
    }
    wd.dashes(w)?;
    let per_call = nanos.checked_div(calls).unwrap_or(0) / 1000;
    wd.row(w, 100.0, nanos, per_call, calls, errors, &|w| w.write_str("total"))
}

/// A `fmt::Write` into a fixed buffer (no allocation).
pub struct FixedBuf<'a> {
    /// Where the text goes; writes past its end fail with `fmt::Error` instead of allocating.
    pub buf: &'a mut [u8],
    /// Bytes written so far: the text is `buf[..len]`.
    pub len: usize,
}

impl Write for FixedBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(sort: SortBy) -> Vec<String> {
        // SAFETY: every field of Shared is an atomic, for which all-zero is a valid value.
        let shared: Box<Shared> = unsafe { Box::new_zeroed().assume_init() };
        // (nr, calls, errors, nanos per call)
        for (nr, calls, errors, each) in
            [(0usize, 3u64, 0u64, 1000u64), (1, 10, 2, 100), (39, 1, 1, 5000), (2, 4, 0, 1000)]
        {
            for i in 0..calls {
                shared.count(nr, i < errors, each);
            }
        }
        let mut rows = vec![Row::default(); NR_SLOTS];
        let mut s = String::new();
        write_table(&shared, &mut rows, sort, &mut s).unwrap();
        s.lines().skip(2).take(4).map(|l| l.rsplit(' ').next().unwrap().to_owned()).collect()
    }

    #[test]
    fn sort_orders_follow_strace() {
        // time: open 4000 (before read's 3000), write 1000... ties keep number order.
        assert_eq!(table(SortBy::Time), ["getpid", "open", "read", "write"]);
        assert_eq!(table(SortBy::Calls), ["write", "open", "read", "getpid"]);
        assert_eq!(table(SortBy::Errors), ["write", "getpid", "read", "open"]);
        assert_eq!(table(SortBy::Name), ["getpid", "open", "read", "write"]);
        assert_eq!(table(SortBy::Nothing), ["read", "write", "open", "getpid"]);
        assert_eq!(table(SortBy::MaxTime), ["getpid", "read", "open", "write"]);
        assert_eq!(SortBy::parse("count"), Ok(SortBy::Calls));
        assert_eq!(SortBy::parse("x").unwrap_err(), "invalid sortby: 'x'");
    }
}
