//! Decoders: extended attributes, splicing and the rarer file calls (see the module docs of
//! `decode` for the pattern).
//!
//! Kept apart from `file.rs` so that family stays the everyday one; the printers here follow
//! strace 6.1's `xattr.c`, `splice`/`sync_file_range` in `io.c` and `fanotify.c`.

use core::fmt::Write;

use super::common::{fetch, print_dirfd, print_num_i32, xflags, xstyle, xval, Xlat};
use super::file::{print_dirents, print_iov, print_open_modes};
use super::process::print_time_utc;
use super::{DecodeFn, Decoder, Phase, Ret};
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

const FAN_CLASSES: Xlat = &[(0, "FAN_CLASS_NOTIF"), (4, "FAN_CLASS_CONTENT"), (8, "FAN_CLASS_PRE_CONTENT")];

/// The class bits of fanotify_init's flags (printed as one value, before the flags).
const FAN_ALL_CLASS_BITS: u64 = 0xc;

const FAN_INIT_FLAGS: Xlat = &[
    (0x1, "FAN_CLOEXEC"),
    (0x2, "FAN_NONBLOCK"),
    (0x10, "FAN_UNLIMITED_QUEUE"),
    (0x20, "FAN_UNLIMITED_MARKS"),
    (0x40, "FAN_ENABLE_AUDIT"),
    (0x80, "FAN_REPORT_PIDFD"),
    (0x100, "FAN_REPORT_TID"),
    (0x200, "FAN_REPORT_FID"),
    (0x400, "FAN_REPORT_DIR_FID"),
    (0x800, "FAN_REPORT_NAME"),
    (0x1000, "FAN_REPORT_TARGET_FID"),
];

const FAN_MARK_FLAGS: Xlat = &[
    (0x1, "FAN_MARK_ADD"),
    (0x2, "FAN_MARK_REMOVE"),
    (0x4, "FAN_MARK_DONT_FOLLOW"),
    (0x8, "FAN_MARK_ONLYDIR"),
    (0x10, "FAN_MARK_MOUNT"),
    (0x20, "FAN_MARK_IGNORED_MASK"),
    (0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
    (0x80, "FAN_MARK_FLUSH"),
    (0x100, "FAN_MARK_FILESYSTEM"),
    (0x200, "FAN_MARK_EVICTABLE"),
    (0x400, "FAN_MARK_IGNORE"),
];

const FAN_EVENT_FLAGS: Xlat = &[
    (0x1, "FAN_ACCESS"),
    (0x2, "FAN_MODIFY"),
    (0x4, "FAN_ATTRIB"),
    (0x8, "FAN_CLOSE_WRITE"),
    (0x10, "FAN_CLOSE_NOWRITE"),
    (0x20, "FAN_OPEN"),
    (0x40, "FAN_MOVED_FROM"),
    (0x80, "FAN_MOVED_TO"),
    (0x100, "FAN_CREATE"),
    (0x200, "FAN_DELETE"),
    (0x400, "FAN_DELETE_SELF"),
    (0x800, "FAN_MOVE_SELF"),
    (0x1000, "FAN_OPEN_EXEC"),
    (0x4000, "FAN_Q_OVERFLOW"),
    (0x8000, "FAN_FS_ERROR"),
    (0x10000, "FAN_OPEN_PERM"),
    (0x20000, "FAN_ACCESS_PERM"),
    (0x40000, "FAN_OPEN_EXEC_PERM"),
    (0x80000, "FAN_DIR_MODIFY"),
    (0x4000_0000, "FAN_ONDIR"),
    (0x0800_0000, "FAN_EVENT_ON_CHILD"),
    (0x1000_0000, "FAN_RENAME"),
];

const HANDLE_AT_FLAGS: Xlat = &[(0x400, "AT_SYMLINK_FOLLOW"), (0x1000, "AT_EMPTY_PATH")];

/// The kernel's limit on `f_handle`; strace shows no more of a larger `handle_bytes`.
const MAX_HANDLE_SZ: usize = 128;

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

/// Values read before the call: at the real entry read and carried (`Decoder::carried`); where
/// the decoder runs again after the call (a line written whole at exit, `--json`) the carried
/// ones, since the call has overwritten what `read` would find; read as they are when the call
/// had no entry phase.
pub(super) fn carry(d: &mut Decoder, read: impl FnOnce(&Out) -> [u64; 3]) -> [u64; 3] {
    if let Some(c) = d.carried {
        return c;
    }
    let c = read(d.out);
    if d.phase == Phase::Entry {
        d.carried = Some(c);
    }
    c
}

/// A `loff_t *` as strace's printnum_int64, from what [`carry`] read: `[N]` as it was before
/// the call (strace prints the whole call at entry, so the offset the kernel moved on is not
/// shown), else what `fetch` prints for an unreadable one.
pub(super) fn print_offset(o: &mut Out, a: usize, read: bool, v: u64) {
    if read {
        let _ = write!(o, "[{}]", v as i64);
    } else {
        let _ = fetch::<i64>(o, a, true);
    }
}

/// The two `loff_t *` offsets at `a` and `b`, as [`carry`] keeps them: bit 0 and 1 of the first
/// word say which were readable, the next two words hold their values.
pub(super) fn carry_offsets(d: &mut Decoder, a: usize, b: usize) -> [u64; 3] {
    carry(d, |o| {
        let get = |a: usize| if a == 0 || o.no_deref { None } else { sys::read_val::<i64>(a).ok() };
        let (i, u) = (get(a), get(b));
        [i.is_some() as u64 | (u.is_some() as u64) << 1, i.unwrap_or(0) as u64, u.unwrap_or(0) as u64]
    })
}

fn splice(d: &mut Decoder) {
    let c = carry_offsets(d, d.args[1], d.args[3]);
    d.fd(0);
    d.with(|o, _, a| print_offset(o, a, c[0] & 1 != 0, c[1]));
    d.fd(2);
    d.with(|o, _, a| print_offset(o, a, c[0] & 2 != 0, c[2]));
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

// ---------------------------------------------------------------------------------------------
// Old-style directory reads and times, inotify and fanotify, file handles.

fn getdents(d: &mut Decoder) {
    d.fd(0);
    d.split();
    let (failed, ret, count) = (d.failed(), d.ret as usize, d.args[2] as u32 as usize);
    d.with(|o, opts, a| {
        // A result above the buffer's size is the kernel gone wrong: strace trusts none of it.
        if failed || ret > count {
            o.ptr(a);
        } else {
            print_dirents(o, opts, a, ret, true);
        }
    });
    d.uint(2);
}

/// `{actime=N /* date */, modtime=N /* date */}` (no date for time 0, as strace's sprinttime).
fn print_utimbuf(o: &mut Out, _: &TraceOpts, a: usize) {
    let Some(t) = fetch::<[i64; 2]>(o, a, false) else { return };
    for (i, (name, v)) in [("actime", t[0]), ("modtime", t[1])].into_iter().enumerate() {
        let _ = write!(o, "{}{name}={v}", if i == 0 { "{" } else { ", " });
        if v != 0 {
            o.s(" /* ");
            print_time_utc(o, v, 0, 0);
            o.s(" */");
        }
    }
    o.byte(b'}');
}

fn utime(d: &mut Decoder) {
    d.path(0);
    d.with(print_utimbuf);
}

fn inotify_init(d: &mut Decoder) {
    d.ret_kind = Ret::Fd;
}

fn fanotify_init(d: &mut Decoder) {
    // The class is a value in the flags' bits 2-3, printed as a name and joined to the rest.
    d.with(|o, opts, v| {
        let flags = v as u32 as u64;
        xval(o, opts, flags & FAN_ALL_CLASS_BITS, FAN_CLASSES, Some("FAN_CLASS_???"));
        let rest = flags & !FAN_ALL_CLASS_BITS;
        if rest != 0 {
            o.byte(b'|');
            xflags(o, opts, rest, FAN_INIT_FLAGS, Some("FAN_???"));
        }
    });
    d.with(|o, opts, v| print_open_modes(o, opts, v as u32 as u64));
    d.ret_kind = Ret::Fd;
}

fn fanotify_mark(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, FAN_MARK_FLAGS, Some("FAN_MARK_???")));
    // The mask is 64-bit (one register on x86-64), though the kernel uses its low half only.
    d.with(|o, opts, v| xflags(o, opts, v as u64, FAN_EVENT_FLAGS, Some("FAN_???")));
    d.with(|o, opts, v| {
        if v as i32 == -1 {
            xstyle(o, opts, |o| o.s("-1"), |o| o.s("FAN_NOFD"));
        } else {
            print_dirfd(o, opts, v as i32);
        }
    });
    d.path(4);
}

/// `struct file_handle`'s header: handle_bytes, handle_type.
fn read_handle_header(o: &Out, a: usize) -> Option<[u32; 2]> {
    if a == 0 || o.no_deref {
        return None;
    }
    sys::read_val::<[u32; 2]>(a).ok()
}

/// `, f_handle="\x.."` (always hex, never cut at -s), left out when unreadable.
fn print_f_handle(o: &mut Out, opts: &TraceOpts, a: usize, bytes: u32) {
    let n = (bytes as usize).min(MAX_HANDLE_SZ);
    let mut buf = [0u8; MAX_HANDLE_SZ];
    if matches!(sys::read_mem(a + 8, &mut buf[..n]), Ok(got) if got == n) {
        o.s(", f_handle=");
        o.quoted(&buf[..n], &TraceOpts { hex_strings: 2, ..*opts });
    }
}

fn name_to_handle_at(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    d.split();
    // strace prints `{handle_bytes=N` before the call and the rest of the structure after it,
    // so the size the program offered and the one the kernel wants both show (`128 => 8`). The
    // offered size is carried from entry: by exit the kernel has overwritten it.
    let a = d.args[2];
    let c = carry(d, |o| match read_handle_header(o, a) {
        Some([bytes, _]) => [1, bytes as u64, 0],
        None => [0; 3],
    });
    let before = if c[0] == 1 { Some(c[1] as u32) } else { None };
    if d.phase == Phase::Entry && !d.whole {
        if let Some(bytes) = before {
            let _ = write!(d.out, "{{handle_bytes={bytes}");
        }
        return;
    }
    let (failed, whole) = (d.failed(), d.whole);
    let overflow = d.ret == -(libc::EOVERFLOW as isize);
    d.with(|o, opts, a| {
        let Some(before) = before else {
            o.ptr(a);
            return;
        };
        if whole {
            let _ = write!(o, "{{handle_bytes={before}");
        }
        if !failed || overflow {
            if let Some([bytes, kind]) = read_handle_header(o, a) {
                if bytes != before {
                    let _ = write!(o, " => {bytes}");
                }
                if !failed {
                    let _ = write!(o, ", handle_type={}", kind as i32);
                    print_f_handle(o, opts, a, bytes);
                }
            }
        }
        o.byte(b'}');
    });
    // A header unreadable at entry makes strace print the call whole there, the mount id as
    // an address.
    let deref = before.is_some();
    d.with(|o, _, m| if deref { print_num_i32(o, m, failed) } else { o.ptr(m) });
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, HANDLE_AT_FLAGS, Some("AT_???")));
}

fn open_by_handle_at(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, a| {
        if a == 0 {
            o.s("NULL");
            return;
        }
        let Some([bytes, kind]) = read_handle_header(o, a) else {
            o.hex(a as u64);
            return;
        };
        let _ = write!(o, "{{handle_bytes={bytes}, handle_type={}", kind as i32);
        print_f_handle(o, opts, a, bytes);
        o.byte(b'}');
    });
    // strace 6.1 prints the new descriptor as a number, without the path -y would add.
    d.with(|o, opts, v| print_open_modes(o, opts, v as u32 as u64));
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
        libc::SYS_getdents => getdents,
        libc::SYS_utime => utime,
        libc::SYS_inotify_init => inotify_init,
        libc::SYS_fanotify_init => fanotify_init,
        libc::SYS_fanotify_mark => fanotify_mark,
        libc::SYS_name_to_handle_at => name_to_handle_at,
        libc::SYS_open_by_handle_at => open_by_handle_at,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Expected lines are strace 6.1's output for the same calls (C programs run under strace
    //! with the same arguments); addresses in them are the test's own buffers.

    use super::super::testing::*;
    use crate::trace::{TraceOpts, XlatStyle};

    const BAD: usize = 0x10;
    const ENOENT: isize = -libc::ENOENT as isize;
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
        // Run again after the call moved the offset (a line written whole at exit), the entry
        // phase prints what the real one carried.
        let off = std::cell::UnsafeCell::new(2i64);
        let args = [3, off.get() as usize, 5, 0, 5, 5];
        let mut buf = vec![0u8; 4096];
        let (first, second) = buf.split_at_mut(2048);
        let mut o = crate::trace::out::Out::new(first);
        let opts = TraceOpts::default();
        let nr = libc::SYS_splice as usize;
        let entry = super::super::decode(&mut o, nr, args, 0, super::Phase::Entry, &opts);
        // SAFETY: `off` is live and only this thread touches it; no reference into it is held.
        unsafe { *off.get() = 7 };
        let mut again = crate::trace::out::Out::new(second);
        super::super::decode_with(&mut again, nr, args, 0, super::Phase::Entry, &opts, entry.carried);
        assert_eq!(String::from_utf8_lossy(again.as_bytes()), "splice(3, [2], 5, NULL, 5, SPLICE_F_MOVE|SPLICE_F_MORE");
        let mut fresh = crate::trace::out::Out::new(first);
        super::super::decode(&mut fresh, nr, args, 0, super::Phase::Entry, &opts);
        assert_eq!(String::from_utf8_lossy(fresh.as_bytes()), "splice(3, [7], 5, NULL, 5, SPLICE_F_MOVE|SPLICE_F_MORE");
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

    #[test]
    fn getdents_old_layout() {
        // Two linux_dirent records: ino, off, reclen, name, NUL padding, d_type last.
        let mut buf = [0u8; 56];
        let rec = |b: &mut [u8], ino: u64, off: u64, reclen: u16, name: &[u8], t: u8| {
            b[0..8].copy_from_slice(&ino.to_ne_bytes());
            b[8..16].copy_from_slice(&off.to_ne_bytes());
            b[16..18].copy_from_slice(&reclen.to_ne_bytes());
            b[18..18 + name.len()].copy_from_slice(name);
            b[reclen as usize - 1] = t;
        };
        rec(&mut buf[..24], 7, 1, 24, b".", libc::DT_DIR);
        rec(&mut buf[24..], 9, 2, 32, b"x.txt", libc::DT_REG);
        let ba = buf.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_getdents, &[4, ba, 4096], 56),
            pad(&format!("getdents(4, {} /* 2 entries */, 4096)", addr(buf.as_ptr())), "56")
        );
        let v = with(|o| o.verbose = true);
        assert_eq!(
            render(&v, libc::SYS_getdents, &[4, ba, 4096], 56),
            "getdents(4, [{d_ino=7, d_off=1, d_reclen=24, d_name=\".\", d_type=DT_DIR}, \
             {d_ino=9, d_off=2, d_reclen=32, d_name=\"x.txt\", d_type=DT_REG}], 4096) = 56"
        );
        assert_eq!(render(&v, libc::SYS_getdents, &[4, ba, 4096], 0), pad("getdents(4, [], 4096)", "0"));
        assert_eq!(
            line(libc::SYS_getdents, &[usize::MAX, ba, 4096], EBADF),
            pad(&format!("getdents(-1, {}, 4096)", addr(buf.as_ptr())), "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(line(libc::SYS_getdents, &[4, BAD, 4096], 0), pad("getdents(4, 0x10 /* 0 entries */, 4096)", "0"));
    }

    #[test]
    fn utime_inotify_fanotify() {
        let p = c("x.txt");
        let pa = p.as_ptr() as usize;
        let t: [i64; 2] = [1_000_000_000, 1_200_000_000];
        assert_eq!(
            line(libc::SYS_utime, &[pa, t.as_ptr() as usize], 0),
            "utime(\"x.txt\", {actime=1000000000 /* 2001-09-09T01:46:40+0000 */, \
             modtime=1200000000 /* 2008-01-10T21:20:00+0000 */}) = 0"
        );
        let z: [i64; 2] = [0, 0];
        assert_eq!(
            line(libc::SYS_utime, &[pa, z.as_ptr() as usize], ENOENT),
            pad("utime(\"x.txt\", {actime=0, modtime=0})", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(line(libc::SYS_utime, &[pa, 0], 0), pad("utime(\"x.txt\", NULL)", "0"));
        assert_eq!(line(libc::SYS_utime, &[pa, BAD], EFAULT), pad("utime(\"x.txt\", 0x10)", "-1 EFAULT (Bad address)"));
        assert_eq!(line(libc::SYS_inotify_init, &[], 9), pad("inotify_init()", "9"));
        assert_eq!(
            line(libc::SYS_fanotify_init, &[3, 0], 9),
            pad("fanotify_init(FAN_CLASS_NOTIF|FAN_CLOEXEC|FAN_NONBLOCK, O_RDONLY)", "9")
        );
        assert_eq!(
            line(libc::SYS_fanotify_init, &[0x1000_0204, 0x80002], EINVAL),
            "fanotify_init(FAN_CLASS_CONTENT|FAN_REPORT_FID|0x10000000, O_RDWR|O_CLOEXEC) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_fanotify_init, &[0x3c0c, 0], EINVAL),
            "fanotify_init(0xc /* FAN_CLASS_??? */|FAN_REPORT_DIR_FID|FAN_REPORT_NAME|FAN_REPORT_TARGET_FID|0x2000, \
             O_RDONLY) = -1 EINVAL (Invalid argument)"
        );
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(render(&raw, libc::SYS_fanotify_init, &[3, 0], 9), pad("fanotify_init(0|0x3, 0)", "9"));
        assert_eq!(
            render(&verbose, libc::SYS_fanotify_init, &[3, 0], 9),
            "fanotify_init(0 /* FAN_CLASS_NOTIF */|0x3 /* FAN_CLOEXEC|FAN_NONBLOCK */, 0 /* O_RDONLY */) = 9"
        );
        let dot = c(".");
        let da = dot.as_ptr() as usize;
        let cwd = libc::AT_FDCWD as usize;
        assert_eq!(
            line(libc::SYS_fanotify_mark, &[9, 9, 0x800_0028, cwd, da], 0),
            "fanotify_mark(9, FAN_MARK_ADD|FAN_MARK_ONLYDIR, FAN_CLOSE_WRITE|FAN_OPEN|FAN_EVENT_ON_CHILD, AT_FDCWD, \".\") = 0"
        );
        assert_eq!(
            line(libc::SYS_fanotify_mark, &[usize::MAX, 0x180, 0, usize::MAX, 0], EBADF),
            "fanotify_mark(-1, FAN_MARK_FLUSH|FAN_MARK_FILESYSTEM, 0, FAN_NOFD, NULL) = -1 EBADF (Bad file descriptor)"
        );
        assert_eq!(
            render(&verbose, libc::SYS_fanotify_mark, &[usize::MAX, 0x180, 0, usize::MAX, 0], EBADF),
            "fanotify_mark(-1, 0x180 /* FAN_MARK_FLUSH|FAN_MARK_FILESYSTEM */, 0, -1 /* FAN_NOFD */, NULL) = -1 EBADF \
             (Bad file descriptor)"
        );
        assert_eq!(
            line(libc::SYS_fanotify_mark, &[usize::MAX, 0x800_0000, 0x800_0000_0000, 5, BAD], EINVAL),
            "fanotify_mark(-1, 0x8000000 /* FAN_MARK_??? */, 0x80000000000 /* FAN_??? */, 5, 0x10) = -1 EINVAL \
             (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_fanotify_mark, &[usize::MAX, 0x610, 0x1f8_0000, usize::MAX, 0], EINVAL),
            "fanotify_mark(-1, FAN_MARK_MOUNT|FAN_MARK_EVICTABLE|FAN_MARK_IGNORE, FAN_DIR_MODIFY|0x1f00000, FAN_NOFD, \
             NULL) = -1 EINVAL (Invalid argument)"
        );
    }

    #[repr(C)]
    struct Handle {
        bytes: u32,
        kind: i32,
        f: [u8; 128],
    }

    #[test]
    fn file_handles() {
        let p = c("x.txt");
        let pa = p.as_ptr() as usize;
        let cwd = libc::AT_FDCWD as usize;
        // Changed between phases as the kernel would: written through the cell while the decoder
        // reads it by address only, so no reference to it is alive across the writes.
        let h = std::cell::UnsafeCell::new(Handle { bytes: 128, kind: 0, f: [0; 128] });
        let ha = h.get() as usize;
        let mnt: i32 = 27;
        let ma = &mnt as *const i32 as usize;
        // The entry phase sees the size offered, the exit phase what the kernel wrote back.
        let mut buf = vec![0u8; 64 * 1024];
        let mut rbuf = [0u8; 2048];
        let mut o = crate::trace::out::Out::new(&mut buf);
        let opts = TraceOpts::default();
        let nr = libc::SYS_name_to_handle_at as usize;
        let args = [cwd, pa, ha, ma, 0, 0];
        let entry = super::super::decode(&mut o, nr, args, 0, super::Phase::Entry, &opts);
        assert_eq!(String::from_utf8_lossy(o.as_bytes()), "name_to_handle_at(AT_FDCWD, \"x.txt\", {handle_bytes=128");
        // SAFETY: `h` is live and only this thread touches it; no reference into it is held.
        unsafe {
            let hp = &mut *h.get();
            hp.bytes = 8;
            hp.kind = 1;
            hp.f[..8].copy_from_slice(b"\xf4\xc0\x98\x00\x5d\xb7\xd6\x3f");
        }
        let exit = super::super::decode_with(&mut o, nr, args, 0, super::Phase::Exit, &opts, entry.carried);
        let mut r = crate::trace::out::Out::new(&mut rbuf);
        super::super::write_result(&mut r, 0, &exit, &opts);
        assert_eq!(
            format!("{}{}", String::from_utf8_lossy(o.as_bytes()), String::from_utf8_lossy(r.as_bytes())),
            "name_to_handle_at(AT_FDCWD, \"x.txt\", {handle_bytes=128 => 8, handle_type=1, \
             f_handle=\"\\xf4\\xc0\\x98\\x00\\x5d\\xb7\\xd6\\x3f\"}, [27], 0)= 0"
        );
        // Rendered whole (no entry phase), the size is the one there now.
        assert_eq!(
            line(libc::SYS_name_to_handle_at, &[4, c"".as_ptr() as usize, ha, ma, 0x1000], 0),
            "name_to_handle_at(4, \"\", {handle_bytes=8, handle_type=1, f_handle=\"\\xf4\\xc0\\x98\\x00\\x5d\\xb7\\xd6\\x3f\"}, \
             [27], AT_EMPTY_PATH) = 0"
        );
        assert_eq!(
            line(libc::SYS_open_by_handle_at, &[4, ha, 0], 5),
            "open_by_handle_at(4, {handle_bytes=8, handle_type=1, f_handle=\"\\xf4\\xc0\\x98\\x00\\x5d\\xb7\\xd6\\x3f\"}, \
             O_RDONLY) = 5"
        );
        // EOVERFLOW: the size the kernel asks for, nothing else; the mount id unread.
        assert_eq!(
            line(libc::SYS_name_to_handle_at, &[cwd, pa, ha, ma, 0x400], -libc::EOVERFLOW as isize),
            format!(
                "name_to_handle_at(AT_FDCWD, \"x.txt\", {{handle_bytes=8}}, {}, AT_SYMLINK_FOLLOW) = -1 EOVERFLOW (Value \
                 too large for defined data type)",
                addr(&mnt)
            )
        );
        assert_eq!(
            line(libc::SYS_name_to_handle_at, &[cwd, pa, BAD, ma, 0], EFAULT),
            format!("name_to_handle_at(AT_FDCWD, \"x.txt\", 0x10, {}, 0) = -1 EFAULT (Bad address)", addr(&mnt))
        );
        assert_eq!(
            line(libc::SYS_name_to_handle_at, &[cwd, pa, ha, BAD, 0x8000], EINVAL),
            "name_to_handle_at(AT_FDCWD, \"x.txt\", {handle_bytes=8}, 0x10, 0x8000 /* AT_??? */) = -1 EINVAL (Invalid \
             argument)"
        );
        // SAFETY: as above.
        unsafe { (*h.get()).bytes = 0 };
        assert_eq!(
            line(libc::SYS_open_by_handle_at, &[4, ha, 0o2000002], -libc::ESTALE as isize),
            "open_by_handle_at(4, {handle_bytes=0, handle_type=1, f_handle=\"\"}, O_RDWR|O_CLOEXEC) = -1 ESTALE (Stale \
             file handle)"
        );
        assert_eq!(
            line(libc::SYS_open_by_handle_at, &[4, BAD, 0], EFAULT),
            pad("open_by_handle_at(4, 0x10, O_RDONLY)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_open_by_handle_at, &[4, 0, 0], EFAULT),
            pad("open_by_handle_at(4, NULL, O_RDONLY)", "-1 EFAULT (Bad address)")
        );
    }
}
