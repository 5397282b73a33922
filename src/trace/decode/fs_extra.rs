//! Decoders: extended attributes, splicing and the rarer file calls (see the module docs of
//! `decode` for the pattern).
//!
//! Kept apart from `file.rs` so that family stays the everyday one; the printers here follow
//! strace 6.1's `xattr.c`, `splice`/`sync_file_range` in `io.c` and `fanotify.c`.

use core::fmt::Write;

use super::common::{fetch, xflags, Xlat};
use super::file::print_iov;
use super::{DecodeFn, Decoder};
use crate::sys;
use crate::trace::out::{Out, STR_CHUNK};
use crate::trace::TraceOpts;

// ---------------------------------------------------------------------------------------------
// Tables (x86-64 values, strace's order).

const XATTR_FLAGS: Xlat = &[(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")];

const SPLICE_FLAGS: Xlat =
    &[(1, "SPLICE_F_MOVE"), (2, "SPLICE_F_NONBLOCK"), (4, "SPLICE_F_MORE"), (8, "SPLICE_F_GIFT")];

const SYNC_FILE_RANGE_FLAGS: Xlat =
    &[(1, "SYNC_FILE_RANGE_WAIT_BEFORE"), (2, "SYNC_FILE_RANGE_WRITE"), (4, "SYNC_FILE_RANGE_WAIT_AFTER")];

/// strace prints a larger value as its address: the kernel refuses it (E2BIG) anyway.
const XATTR_SIZE_MAX: u64 = 65536;

// ---------------------------------------------------------------------------------------------
// Extended attributes.

/// An attribute value of `size` bytes, as strace's `printstr_ex(..., QUOTE_OMIT_TRAILING_0)`:
/// values are often C strings stored with their NUL, which strace drops from the quoted text
/// (unless -x/-xx print the bytes in hex, where it shows).
fn print_xattr_val(o: &mut Out, opts: &TraceOpts, addr: usize, size: u64) {
    if size > XATTR_SIZE_MAX {
        o.ptr(addr);
        return;
    }
    if addr == 0 {
        o.s("NULL");
        return;
    }
    let size = size as usize;
    let n = size.min(opts.string_limit).min(STR_CHUNK);
    let mut buf = [0u8; STR_CHUNK];
    if !matches!(sys::read_mem(addr, &mut buf[..n]), Ok(got) if got == n) {
        o.hex(addr as u64);
        return;
    }
    // A NUL dropped at the end counts, to strace, as the string's end: no `...` then, even
    // when -s cut the value there.
    let nul_end = opts.hex_strings == 0 && n > 0 && buf[n - 1] == 0;
    o.quoted(&buf[..if nul_end { n - 1 } else { n }], opts);
    if size > n && !nul_end {
        o.s("...");
    }
}

fn xattr_flags(d: &mut Decoder) {
    // strace 6.1 takes the flags as an int: bits above 31 do not print.
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, XATTR_FLAGS, Some("XATTR_???")));
}

/// name, value, size, flags: the value is input, so all of it prints at entry.
fn setxattr_tail(d: &mut Decoder) {
    d.string(1);
    let size = d.args[3] as u64;
    d.with(|o, opts, a| print_xattr_val(o, opts, a, size));
    d.ulong(3);
    xattr_flags(d);
}

fn setxattr(d: &mut Decoder) {
    d.path(0);
    setxattr_tail(d);
}

fn fsetxattr(d: &mut Decoder) {
    d.fd(0);
    setxattr_tail(d);
}

/// name, then at exit the value the call returned (its address when it failed) and the size.
fn getxattr_tail(d: &mut Decoder) {
    d.string(1);
    d.split();
    // A failed call's -1 is a huge size to strace, which then prints the address.
    let size = if d.failed() { u64::MAX } else { d.ret as u64 };
    d.with(|o, opts, a| print_xattr_val(o, opts, a, size));
    d.ulong(3);
}

fn getxattr(d: &mut Decoder) {
    d.path(0);
    getxattr_tail(d);
}

fn fgetxattr(d: &mut Decoder) {
    d.fd(0);
    getxattr_tail(d);
}

/// The NUL-separated names as one quoted buffer (`"user.a\0user.b\0"`), or the address when
/// the call failed or was asked only for the length (size 0).
fn listxattr_tail(d: &mut Decoder) {
    d.split();
    let (failed, ret, size) = (d.failed(), d.ret as usize, d.args[2]);
    d.with(|o, opts, a| if size == 0 || failed { o.ptr(a) } else { o.mem_str(a, ret, opts) });
    d.ulong(2);
}

fn listxattr(d: &mut Decoder) {
    d.path(0);
    listxattr_tail(d);
}

fn flistxattr(d: &mut Decoder) {
    d.fd(0);
    listxattr_tail(d);
}

fn removexattr(d: &mut Decoder) {
    d.path(0);
    d.string(1);
}

fn fremovexattr(d: &mut Decoder) {
    d.fd(0);
    d.string(1);
}

// ---------------------------------------------------------------------------------------------
// Readahead, splicing, syncing ranges.

fn readahead(d: &mut Decoder) {
    d.fd(0);
    d.long(1);
    d.ulong(2);
}

fn splice_flags(d: &mut Decoder) {
    // An unsigned int: strace drops the register's upper half.
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, SPLICE_FLAGS, Some("SPLICE_F_???")));
}

/// A `loff_t *` as strace's printnum_int64: `[N]` as it was before the call (strace prints the
/// whole call at entry, so the offset the kernel moved on is not shown).
fn print_offset(o: &mut Out, _: &TraceOpts, a: usize) {
    if let Some(v) = fetch::<i64>(o, a, false) {
        let _ = write!(o, "[{v}]");
    }
}

fn splice(d: &mut Decoder) {
    d.fd(0);
    d.with(print_offset);
    d.fd(2);
    d.with(print_offset);
    d.ulong(4);
    splice_flags(d);
}

fn tee(d: &mut Decoder) {
    d.fd(0);
    d.fd(1);
    d.ulong(2);
    splice_flags(d);
}

fn vmsplice(d: &mut Decoder) {
    d.fd(0);
    let count = d.args[2];
    // The iovecs are the program's data going into the pipe: shown whole, as writev's.
    d.with(|o, opts, a| print_iov(o, opts, a, count, Some(usize::MAX)));
    d.ulong(2);
    splice_flags(d);
}

fn sync_file_range(d: &mut Decoder) {
    d.fd(0);
    d.long(1);
    d.long(2);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, SYNC_FILE_RANGE_FLAGS, Some("SYNC_FILE_RANGE_???")));
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_setxattr | libc::SYS_lsetxattr => setxattr,
        libc::SYS_fsetxattr => fsetxattr,
        libc::SYS_getxattr | libc::SYS_lgetxattr => getxattr,
        libc::SYS_fgetxattr => fgetxattr,
        libc::SYS_listxattr | libc::SYS_llistxattr => listxattr,
        libc::SYS_flistxattr => flistxattr,
        libc::SYS_removexattr | libc::SYS_lremovexattr => removexattr,
        libc::SYS_fremovexattr => fremovexattr,
        libc::SYS_readahead => readahead,
        libc::SYS_splice => splice,
        libc::SYS_tee => tee,
        libc::SYS_vmsplice => vmsplice,
        libc::SYS_sync_file_range => sync_file_range,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Expected lines are strace 6.1's output for the same calls (C programs run under strace
    //! with the same arguments); addresses in them are the test's own buffers.

    use crate::trace::{render_line, TraceOpts, XlatStyle};
    use std::ffi::CString;

    fn render(o: &TraceOpts, nr: libc::c_long, a: &[usize], ret: isize) -> String {
        let mut v = [0usize; 6];
        v[..a.len()].copy_from_slice(a);
        render_line(nr as usize, v, ret, o)
    }

    fn line(nr: libc::c_long, a: &[usize], ret: isize) -> String {
        render(&TraceOpts::default(), nr, a, ret)
    }

    fn with(f: impl FnOnce(&mut TraceOpts)) -> TraceOpts {
        let mut o = TraceOpts::default();
        f(&mut o);
        o
    }

    /// strace's alignment: the call padded to 39 columns, then ` = result`.
    fn pad(call: &str, result: &str) -> String {
        format!("{call:<39} = {result}")
    }

    fn addr<T>(p: *const T) -> String {
        format!("{:#x}", p as usize)
    }

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    const BAD: usize = 0x10;
    const EFAULT: isize = -libc::EFAULT as isize;
    const EBADF: isize = -libc::EBADF as isize;
    const EINVAL: isize = -libc::EINVAL as isize;
    const ENODATA: isize = -libc::ENODATA as isize;
    const ERANGE: isize = -libc::ERANGE as isize;
    const EEXIST: isize = -libc::EEXIST as isize;
    const E2BIG: isize = -libc::E2BIG as isize;

    #[test]
    fn setxattr_values_and_flags() {
        let (p, n) = (c("x.txt"), c("user.a"));
        let (pa, na) = (p.as_ptr() as usize, n.as_ptr() as usize);
        let v = b"va\x01lue";
        let va = v.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, va, 6, 0], 0),
            "setxattr(\"x.txt\", \"user.a\", \"va\\1lue\", 6, 0) = 0"
        );
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, b"v2".as_ptr() as usize, 2, 1], EEXIST),
            "setxattr(\"x.txt\", \"user.a\", \"v2\", 2, XATTR_CREATE) = -1 EEXIST (File exists)"
        );
        let long = [b'b'; 40];
        assert_eq!(
            line(libc::SYS_lsetxattr, &[pa, na, long.as_ptr() as usize, 40, 2], ENODATA),
            format!(
                "lsetxattr(\"x.txt\", \"user.a\", \"{}\"..., 40, XATTR_REPLACE) = -1 ENODATA (No data available)",
                "b".repeat(32)
            )
        );
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, va, 1, 0x1_0000_0007], EINVAL),
            "setxattr(\"x.txt\", \"user.a\", \"v\", 1, XATTR_CREATE|XATTR_REPLACE|0x4) = -1 EINVAL (Invalid argument)"
        );
        // A trailing NUL drops from the quoted value, one only; -x shows it.
        let z = b"a\0b\0";
        let za = z.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, za, 4, 0], 0),
            pad("setxattr(\"x.txt\", \"user.a\", \"a\\0b\", 4, 0)", "0")
        );
        let hex = with(|o| o.hex_strings = 1);
        assert_eq!(
            render(&hex, libc::SYS_setxattr, &[pa, na, za + 1, 3, 0], 0),
            "setxattr(\"x.txt\", \"user.a\", \"\\x00\\x62\\x00\", 3, 0) = 0"
        );
        // -s cuts the name and the value; a NUL at the cut is dropped too, and ends the value
        // without `...`.
        let s2 = with(|o| o.string_limit = 2);
        assert_eq!(
            render(&s2, libc::SYS_fsetxattr, &[3, na, za, 4, 0], 0),
            pad("fsetxattr(3, \"us\"..., \"a\", 4, 0)", "0")
        );
        assert_eq!(
            render(&s2, libc::SYS_setxattr, &[pa, na, c"ab".as_ptr() as usize, 3, 0], 0),
            pad("setxattr(\"x.txt\", \"us\"..., \"ab\"..., 3, 0)", "0")
        );
        assert_eq!(
            line(libc::SYS_lsetxattr, &[pa, na, 0, 0, 0], 0),
            pad("lsetxattr(\"x.txt\", \"user.a\", NULL, 0, 0)", "0")
        );
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, va, 0, 0], 0),
            pad("setxattr(\"x.txt\", \"user.a\", \"\", 0, 0)", "0")
        );
        // Bad pointers print as addresses, and so does a value larger than the kernel takes.
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, BAD, 1, 0], EFAULT),
            pad("setxattr(\"x.txt\", \"user.a\", 0x10, 1, 0)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_setxattr, &[BAD, BAD, va, 1, 0], EFAULT),
            pad("setxattr(0x10, 0x10, \"v\", 1, 0)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_setxattr, &[pa, na, va, 70000, 0], E2BIG),
            format!(
                "setxattr(\"x.txt\", \"user.a\", {}, 70000, 0) = -1 E2BIG (Argument list too long)",
                addr(v.as_ptr())
            )
        );
        assert_eq!(
            line(libc::SYS_fsetxattr, &[usize::MAX, na, va, 2, 0], EBADF),
            pad("fsetxattr(-1, \"user.a\", \"va\", 2, 0)", "-1 EBADF (Bad file descriptor)")
        );
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&raw, libc::SYS_setxattr, &[pa, na, va, 2, 7], EINVAL),
            pad("setxattr(\"x.txt\", \"user.a\", \"va\", 2, 0x7)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            render(&verbose, libc::SYS_setxattr, &[pa, na, va, 2, 7], EINVAL),
            "setxattr(\"x.txt\", \"user.a\", \"va\", 2, 0x7 /* XATTR_CREATE|XATTR_REPLACE|0x4 */) = -1 EINVAL (Invalid argument)"
        );
    }

    #[test]
    fn getxattr_prints_the_value_only_on_success() {
        let (p, n) = (c("x.txt"), c("user.a"));
        let (pa, na) = (p.as_ptr() as usize, n.as_ptr() as usize);
        let mut buf = [0u8; 256];
        buf[..6].copy_from_slice(b"va\x01lue");
        let ba = buf.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, ba, 256, 0], 6),
            "getxattr(\"x.txt\", \"user.a\", \"va\\1lue\", 256) = 6"
        );
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, ba, 2, 0], ERANGE),
            format!(
                "getxattr(\"x.txt\", \"user.a\", {}, 2) = -1 ERANGE (Numerical result out of range)",
                addr(buf.as_ptr())
            )
        );
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, 0, 0, 0], 6),
            pad("getxattr(\"x.txt\", \"user.a\", NULL, 0)", "6")
        );
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, BAD, 10, 0], EFAULT),
            pad("getxattr(\"x.txt\", \"user.a\", 0x10, 10)", "-1 EFAULT (Bad address)")
        );
        let sl = c("security.selinux");
        let root = c("/");
        assert_eq!(
            line(libc::SYS_lgetxattr, &[root.as_ptr() as usize, sl.as_ptr() as usize, ba, 255, 0], ENODATA),
            format!(
                "lgetxattr(\"/\", \"security.selinux\", {}, 255) = -1 ENODATA (No data available)",
                addr(buf.as_ptr())
            )
        );
        buf[..3].copy_from_slice(b"dd\n");
        assert_eq!(
            line(libc::SYS_fgetxattr, &[3, na, ba, 256, 0], 3),
            pad("fgetxattr(3, \"user.a\", \"dd\\n\", 256)", "3")
        );
        buf[..3].copy_from_slice(b"ab\0");
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, ba, 256, 0], 3),
            pad("getxattr(\"x.txt\", \"user.a\", \"ab\", 256)", "3")
        );
        assert_eq!(
            line(libc::SYS_getxattr, &[pa, na, ba, 256, 0], 0),
            pad("getxattr(\"x.txt\", \"user.a\", \"\", 256)", "0")
        );
        let xx = with(|o| o.hex_strings = 2);
        assert_eq!(
            render(&xx, libc::SYS_getxattr, &[pa, na, ba, 256, 0], 3),
            "getxattr(\"\\x78\\x2e\\x74\\x78\\x74\", \"\\x75\\x73\\x65\\x72\\x2e\\x61\", \"\\x61\\x62\\x00\", 256) = 3"
        );
        assert_eq!(
            line(libc::SYS_fgetxattr, &[99, na, ba, 256, 0], EBADF),
            pad(&format!("fgetxattr(99, \"user.a\", {}, 256)", addr(buf.as_ptr())), "-1 EBADF (Bad file descriptor)")
        );
    }

    #[test]
    fn listxattr_and_removexattr() {
        let p = c("x.txt");
        let pa = p.as_ptr() as usize;
        let list = b"user.a\0user.c\0user.d\0";
        let la = list.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_listxattr, &[pa, la, 256], 21),
            "listxattr(\"x.txt\", \"user.a\\0user.c\\0user.d\\0\", 256) = 21"
        );
        assert_eq!(line(libc::SYS_listxattr, &[pa, 0, 0], 21), pad("listxattr(\"x.txt\", NULL, 0)", "21"));
        assert_eq!(
            line(libc::SYS_llistxattr, &[pa, la, 0], 21),
            pad(&format!("llistxattr(\"x.txt\", {}, 0)", addr(list.as_ptr())), "21")
        );
        assert_eq!(
            line(libc::SYS_listxattr, &[pa, la, 2], ERANGE),
            pad(
                &format!("listxattr(\"x.txt\", {}, 2)", addr(list.as_ptr())),
                "-1 ERANGE (Numerical result out of range)"
            )
        );
        assert_eq!(
            line(libc::SYS_listxattr, &[pa, BAD, 100], EFAULT),
            pad("listxattr(\"x.txt\", 0x10, 100)", "-1 EFAULT (Bad address)")
        );
        let s2 = with(|o| o.string_limit = 2);
        assert_eq!(render(&s2, libc::SYS_flistxattr, &[3, la, 256], 21), pad("flistxattr(3, \"us\"..., 256)", "21"));
        let n = c("user.a");
        let na = n.as_ptr() as usize;
        assert_eq!(line(libc::SYS_removexattr, &[pa, na], 0), pad("removexattr(\"x.txt\", \"user.a\")", "0"));
        assert_eq!(
            line(libc::SYS_lremovexattr, &[pa, BAD], EFAULT),
            pad("lremovexattr(\"x.txt\", 0x10)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_fremovexattr, &[99, na], EBADF),
            pad("fremovexattr(99, \"user.a\")", "-1 EBADF (Bad file descriptor)")
        );
    }

    #[test]
    fn readahead_splice_tee_vmsplice_sync_file_range() {
        assert_eq!(line(libc::SYS_readahead, &[3, 0, 4096], 0), pad("readahead(3, 0, 4096)", "0"));
        assert_eq!(
            line(libc::SYS_readahead, &[usize::MAX, -5isize as usize, usize::MAX], EBADF),
            "readahead(-1, -5, 18446744073709551615) = -1 EBADF (Bad file descriptor)"
        );
        let off: i64 = 2;
        let oa = &off as *const i64 as usize;
        assert_eq!(
            line(libc::SYS_splice, &[3, oa, 5, 0, 5, 5], 5),
            "splice(3, [2], 5, NULL, 5, SPLICE_F_MOVE|SPLICE_F_MORE) = 5"
        );
        assert_eq!(
            line(libc::SYS_splice, &[4, 0, 3, oa, 5, 0x10a], EINVAL),
            "splice(4, NULL, 3, [2], 5, SPLICE_F_NONBLOCK|SPLICE_F_GIFT|0x100) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_splice, &[usize::MAX, BAD, usize::MAX, 0, 1, 0xffff_ffff_0000_0001], EFAULT),
            "splice(-1, 0x10, -1, NULL, 1, SPLICE_F_MOVE) = -1 EFAULT (Bad address)"
        );
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&raw, libc::SYS_splice, &[3, oa, 5, 0, 5, 5], 5),
            pad("splice(3, [2], 5, NULL, 5, 0x5)", "5")
        );
        assert_eq!(
            render(&verbose, libc::SYS_splice, &[3, oa, 5, 0, 5, 5], 5),
            "splice(3, [2], 5, NULL, 5, 0x5 /* SPLICE_F_MOVE|SPLICE_F_MORE */) = 5"
        );
        assert_eq!(line(libc::SYS_tee, &[4, 7, 10, 2], 8), pad("tee(4, 7, 10, SPLICE_F_NONBLOCK)", "8"));
        assert_eq!(
            line(libc::SYS_tee, &[usize::MAX, usize::MAX, usize::MAX, 0x10], EINVAL),
            "tee(-1, -1, 18446744073709551615, 0x10 /* SPLICE_F_??? */) = -1 EINVAL (Invalid argument)"
        );
        let iov = [
            libc::iovec { iov_base: b"ab".as_ptr() as *mut _, iov_len: 2 },
            libc::iovec { iov_base: b"cde".as_ptr() as *mut _, iov_len: 3 },
        ];
        let ia = iov.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_vmsplice, &[5, ia, 2, 8], 5),
            "vmsplice(5, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], 2, SPLICE_F_GIFT) = 5"
        );
        assert_eq!(
            line(libc::SYS_vmsplice, &[usize::MAX, ia, 2, 0], EBADF),
            "vmsplice(-1, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], 2, 0) = -1 EBADF (Bad file descriptor)"
        );
        assert_eq!(
            line(libc::SYS_vmsplice, &[5, BAD, 2, 0], EFAULT),
            pad("vmsplice(5, 0x10, 2, 0)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_sync_file_range, &[3, 0, 100, 7], 0),
            "sync_file_range(3, 0, 100, SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER) = 0"
        );
        assert_eq!(line(libc::SYS_sync_file_range, &[3, 10, 0, 0], 0), pad("sync_file_range(3, 10, 0, 0)", "0"));
        assert_eq!(
            line(libc::SYS_sync_file_range, &[3, 10, 0, 0x10], EINVAL),
            "sync_file_range(3, 10, 0, 0x10 /* SYNC_FILE_RANGE_??? */) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_sync_file_range, &[usize::MAX, usize::MAX, -2isize as usize, 0xf000_0007], EBADF),
            "sync_file_range(-1, -1, -2, SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER|0xf0000000) = -1 EBADF (Bad file descriptor)"
        );
    }
}
