//! `-c`: the counting hook and strace's summary table.

use core::fmt::{self, Write};
use core::sync::atomic::Ordering;

use crate::dispatch::{Call, Hook};
use crate::state::{Shared, NR_SLOTS};

/// Counts every reported call that returns (as strace does: exit and exit_group never return;
/// a successful execve is counted by the image it starts, see `init`).
pub struct CountHook {
    pub shared: &'static Shared,
}

impl Hook for CountHook {
    fn exit(&self, call: &Call, ret: &mut isize) {
        if call.reported {
            self.shared.count(call.nr, crate::sys::is_error(*ret), call.elapsed_ns);
        }
    }
}

/// The name strace prints for a system call number.
pub fn name_of(nr: usize, w: &mut impl Write) -> fmt::Result {
    match syscalls::Sysno::new(nr) {
        Some(s) => w.write_str(s.name()),
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
}

fn seconds(w: &mut impl Write, nanos: u64) -> fmt::Result {
    let us = nanos / 1000;
    write!(w, "{:4}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// `pct` None is the total row's "100.00".
fn row(w: &mut impl Write, pct: Option<f64>, nanos: u64, calls: u64, errors: u64) -> fmt::Result {
    match pct {
        Some(p) => write!(w, "{p:6.2} ")?,
        None => w.write_str("100.00 ")?,
    }
    seconds(w, nanos)?;
    let per_call = if calls == 0 { 0 } else { nanos / 1000 / calls };
    write!(w, " {per_call:11} {calls:9} ")?;
    if errors == 0 {
        w.write_str("          ")
    } else {
        write!(w, "{errors:9} ")
    }
}

const DASHES: &str = "------ ----------- ----------- --------- --------- ----------------\n";

/// Writes strace 6.1's `-c` table: rows by descending time (ties in system-call number order),
/// then the total. Allocation-free: usable from the handler path, with `rows` (at least
/// [`NR_SLOTS`] long) as scratch, so that a small thread stack does not have to hold it.
pub fn write_table(shared: &Shared, rows: &mut [Row], w: &mut impl Write) -> fmt::Result {
    assert!(rows.len() >= NR_SLOTS);
    let mut n = 0;
    let (mut calls, mut errors, mut nanos) = (0u64, 0u64, 0u64);
    for (nr, c) in shared.counters.iter().enumerate() {
        let k = c.calls.load(Ordering::Relaxed);
        if k == 0 {
            continue;
        }
        let r = Row { nr: nr as u16, calls: k, errors: c.errors.load(Ordering::Relaxed), nanos: c.nanos.load(Ordering::Relaxed) };
        calls += r.calls;
        errors += r.errors;
        nanos += r.nanos;
        // Stable insertion by descending time.
        let mut i = n;
        while i > 0 && rows[i - 1].nanos < r.nanos {
            rows[i] = rows[i - 1];
            i -= 1;
        }
        rows[i] = r;
        n += 1;
    }
    w.write_str("% time     seconds  usecs/call     calls    errors syscall\n")?;
    w.write_str(DASHES)?;
    for r in &rows[..n] {
        let pct = if nanos == 0 { 0.0 } else { 100.0 * r.nanos as f64 / nanos as f64 };
        row(w, Some(pct), r.nanos, r.calls, r.errors)?;
        name_of(r.nr as usize, w)?;
        w.write_char('\n')?;
    }
    w.write_str(DASHES)?;
    row(w, None, nanos, calls, errors)?;
    w.write_str("total\n")
}

/// A `fmt::Write` into a fixed buffer (no allocation).
pub struct FixedBuf<'a> {
    pub buf: &'a mut [u8],
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
