//! A line under construction: a fixed buffer (no allocation, handler-safe), and the value
//! printers every decoder shares (numbers, strings with strace's quoting). Named constants and
//! flag sets, which follow -X, are `decode::common`'s.

use core::fmt::{self, Write};

use super::TraceOpts;
use crate::sys;

/// Bytes appended to a fixed buffer; what does not fit is dropped (and remembered).
pub struct Out<'a> {
    buf: &'a mut [u8],
    len: usize,
    /// Something was dropped because the buffer was full.
    pub overflow: bool,
    /// Structures, arrays and numbers behind pointers are not read (`-e verbose=` leaves the
    /// call out): [`decode::common::fetch`](super::decode::common::fetch) and the other
    /// structure readers print the address instead. The decoder sets it for the call's run.
    pub no_deref: bool,
}

impl<'a> Out<'a> {
    /// An empty line in `buf`.
    pub fn new(buf: &'a mut [u8]) -> Out<'a> {
        Out { buf, len: 0, overflow: false, no_deref: false }
    }

    /// Appends `b`, as much of it as fits.
    pub fn bytes(&mut self, b: &[u8]) {
        let room = self.buf.len() - self.len;
        let n = b.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
        if n < b.len() {
            self.overflow = true;
        }
    }

    /// Appends a string, as much of it as fits.
    pub fn s(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// Appends one byte, if it fits.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        match self.buf.get_mut(self.len) {
            Some(c) => {
                *c = b;
                self.len += 1;
            }
            None => self.overflow = true,
        }
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Drops everything after the first `len` bytes (no-op if shorter already).
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Decimal, signed.
    pub fn i64(&mut self, v: i64) {
        if v < 0 {
            self.byte(b'-');
        }
        self.u64(v.unsigned_abs());
    }

    /// Decimal, unsigned. (By hand: core::fmt's machinery costs more than the rest of a short
    /// line, and every line has numbers.)
    pub fn u64(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(&digits[i..]);
    }

    /// `0x` hex (`0` for zero, as strace prints `%#lx`).
    pub fn hex(&mut self, v: u64) {
        if v == 0 {
            self.byte(b'0');
        } else {
            let _ = write!(self, "{v:#x}");
        }
    }

    /// C's `%#03o`: `000`, `022`, `0777` (modes and umasks).
    pub fn octal(&mut self, v: u64) {
        if v == 0 {
            self.s("000");
            return;
        }
        let digits = (64 - v.leading_zeros() as usize).div_ceil(3);
        for _ in digits + 1..3 {
            self.byte(b'0');
        }
        let _ = write!(self, "0{v:o}");
    }

    /// A pointer: `NULL` or `0x...`.
    pub fn ptr(&mut self, v: usize) {
        if v == 0 {
            self.s("NULL");
        } else {
            self.hex(v as u64);
        }
    }

    /// Bytes quoted the way strace quotes strings (`"..."` with C escapes, octal for other
    /// non-printables; `-x`: hex for non-printables; `-xx`: hex for every byte).
    pub fn quoted(&mut self, data: &[u8], opts: &TraceOpts) {
        // -x: the whole string goes to hex as soon as one byte is neither printable nor
        // whitespace; -xx: always.
        let hex = opts.hex_strings >= 2
            || (opts.hex_strings == 1 && data.iter().any(|&c| c > 0x7e || (c < b' ' && !(9..=13).contains(&c))));
        self.byte(b'"');
        for (i, &c) in data.iter().enumerate() {
            if hex {
                let _ = write!(self, "\\x{c:02x}");
                continue;
            }
            match c {
                b'"' => self.s("\\\""),
                b'\\' => self.s("\\\\"),
                0x20..=0x7e => self.byte(c),
                b'\t' => self.s("\\t"),
                b'\n' => self.s("\\n"),
                0x0b => self.s("\\v"),
                0x0c => self.s("\\f"),
                b'\r' => self.s("\\r"),
                _ => {
                    // Minimal octal digits, unless the next byte is an octal digit that would
                    // then read as part of the escape.
                    let next_is_digit = data.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                    self.byte(b'\\');
                    if next_is_digit || c >> 6 != 0 {
                        self.byte(b'0' + (c >> 6));
                    }
                    if next_is_digit || c >> 3 != 0 {
                        self.byte(b'0' + ((c >> 3) & 7));
                    }
                    self.byte(b'0' + (c & 7));
                }
            }
        }
        self.byte(b'"');
    }

    /// A buffer of the program's of `len` bytes at `addr`, as strace's printstrn: at most
    /// `opts.string_limit` bytes, `...` after the quote when cut; the address when unreadable.
    pub fn mem_str(&mut self, addr: usize, len: usize, opts: &TraceOpts) {
        if addr == 0 {
            self.s("NULL");
            return;
        }
        let shown = len.min(opts.string_limit);
        let mut tmp = core::mem::MaybeUninit::<[u8; STR_CHUNK]>::uninit();
        let n = shown.min(STR_CHUNK);
        // Only what is shown is cleared (-s 32 by default, of 4096).
        // SAFETY: the first n bytes of `tmp` are zeroed before the slice over them is made.
        let tmp = unsafe {
            core::ptr::write_bytes(tmp.as_mut_ptr() as *mut u8, 0, n);
            core::slice::from_raw_parts_mut(tmp.as_mut_ptr() as *mut u8, n)
        };
        match sys::read_mem(addr, tmp) {
            Ok(got) if got == n => {
                self.quoted(tmp, opts);
                if len > n {
                    self.s("...");
                }
            }
            _ => self.hex(addr as u64),
        }
    }

    /// A NUL-terminated string of the program's (strace's printstr): cut at `limit` bytes with
    /// `...`; the address when unreadable.
    pub fn c_str(&mut self, addr: usize, limit: usize, opts: &TraceOpts) {
        if addr == 0 {
            self.s("NULL");
            return;
        }
        let mut tmp = [0u8; STR_CHUNK];
        let want = (limit + 1).min(STR_CHUNK);
        let got = read_c_prefix(addr, &mut tmp[..want]);
        match got {
            None => self.hex(addr as u64),
            Some((n, terminated)) => {
                let shown = n.min(limit);
                self.quoted(&tmp[..shown], opts);
                if !terminated || n > limit {
                    self.s("...");
                }
            }
        }
    }
}

/// Longest string the printers read at once (strace's -s beyond this is clamped).
pub const STR_CHUNK: usize = 4096;

/// Reads a C string prefix into `buf`: (bytes before the NUL, whether the NUL was found).
/// None if nothing is readable. Reads page by page so a string ending just before an unmapped
/// page is still read.
pub fn read_c_prefix(addr: usize, buf: &mut [u8]) -> Option<(usize, bool)> {
    let mut done = 0;
    while done < buf.len() {
        let page_left = 4096 - ((addr + done) & 4095);
        let want = page_left.min(buf.len() - done);
        match sys::read_mem(addr + done, &mut buf[done..done + want]) {
            Ok(got) if got > 0 => {
                if let Some(z) = buf[done..done + got].iter().position(|&b| b == 0) {
                    return Some((done + z, true));
                }
                done += got;
                if got < want {
                    break;
                }
            }
            _ => break,
        }
    }
    if done == 0 {
        None
    } else {
        Some((done, false))
    }
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.s(s);
        Ok(())
    }
}
