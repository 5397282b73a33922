//! Helpers the decoder families' unit tests share: raw calls, lines rendered as the trace
//! renders them, and strace's column.

use crate::trace::{render_line, TraceOpts, XlatStyle};
use std::ffi::CString;

/// A raw system call: the result, or `-errno`.
pub fn sc(nr: libc::c_long, a: &[usize]) -> isize {
    crate::arch::syscall6(nr as usize, args(a))
}

/// Up to six arguments, the rest zero.
pub fn args(a: &[usize]) -> [usize; 6] {
    let mut v = [0usize; 6];
    v[..a.len()].copy_from_slice(a);
    v
}

/// The whole line for `nr(a) = ret` under options `o`.
pub fn render(o: &TraceOpts, nr: libc::c_long, a: &[usize], ret: isize) -> String {
    render_line(nr as usize, args(a), ret, o)
}

/// [`render`] with the default options.
pub fn line(nr: libc::c_long, a: &[usize], ret: isize) -> String {
    render(&TraceOpts::default(), nr, a, ret)
}

/// [`render`] with constants printed in style `xlat` (`-X`).
pub fn line_x(nr: libc::c_long, a: &[usize], ret: isize, xlat: XlatStyle) -> String {
    render(&TraceOpts { xlat, ..TraceOpts::default() }, nr, a, ret)
}

/// The default options, changed by `f`.
pub fn with(f: impl FnOnce(&mut TraceOpts)) -> TraceOpts {
    let mut o = TraceOpts::default();
    f(&mut o);
    o
}

/// strace's alignment: the call padded to 39 columns, then ` = result`.
pub fn pad(call: &str, result: &str) -> String {
    format!("{call:<39} = {result}")
}

/// An address as strace prints it.
pub fn addr<T>(p: *const T) -> String {
    format!("{:#x}", p as usize)
}

/// A C string for a test's path or name argument.
pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// The line strace prints: the call padded to column 40, then the result (= [`pad`]).
pub fn exp(call: &str, result: &str) -> String {
    pad(call, result)
}

/// The address of a value a call reads.
pub fn p<T>(v: &T) -> usize {
    v as *const T as usize
}

/// The address of a buffer the kernel writes.
pub fn pm<T>(v: &mut T) -> usize {
    v as *mut T as usize
}

/// strace's text for the two errors the tests provoke most.
pub const EFAULT: &str = "-1 EFAULT (Bad address)";
/// See [`EFAULT`].
pub const EINVAL: &str = "-1 EINVAL (Invalid argument)";
