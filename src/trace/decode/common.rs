//! Shared printers (file descriptors, named constants and flag sets in every `-X` style, the
//! program's structures read fault-safely) and the reference decoders the other families follow.

use core::fmt::Write;

use super::{DecodeFn, Decoder, Phase, Ret};
use crate::sys;
use crate::trace::out::Out;
use crate::trace::{TraceOpts, XlatStyle};

/// A table of named values, in strace's order (which decides the order names print in).
pub type Xlat = &'static [(u64, &'static str)];

/// ` /* text */`.
pub fn comment(o: &mut Out, text: &str) {
    let _ = write!(o, " /* {text} */");
}

/// strace's `print_xlat_ex` for a value whose name is known: the name (-X abbrev), the number
/// (-X raw), or the number with the name in a comment (-X verbose). The number and the name are
/// printers because callers differ in both (hex, decimal, octal; a name built from parts).
pub fn xstyle(o: &mut Out, opts: &TraceOpts, num: impl FnOnce(&mut Out), name: impl FnOnce(&mut Out)) {
    match opts.xlat {
        XlatStyle::Abbrev => name(o),
        XlatStyle::Raw => num(o),
        XlatStyle::Verbose => {
            num(o);
            o.s(" /* ");
            name(o);
            o.s(" */");
        }
    }
}

/// [`xstyle`] for a hex value and an optional name (no name: the hex alone, in every style).
pub fn xlat_known(o: &mut Out, opts: &TraceOpts, v: u64, name: Option<&str>) {
    match name {
        Some(n) => xstyle(o, opts, |o| o.hex(v), |o| o.s(n)),
        None => o.hex(v),
    }
}

/// The name of `v` in `names`.
pub fn lookup_name<'a>(names: &[(u64, &'a str)], v: u64) -> Option<&'a str> {
    names.iter().find(|(f, _)| *f == v).map(|(_, n)| *n)
}

/// strace's `printxval_ex`: `NAME`, `0x2` (-X raw), `0x2 /* NAME */` (-X verbose); an unknown
/// value prints `0x63 /* DFLT */` (the number alone without a default, and under -X raw).
pub fn xval(o: &mut Out, opts: &TraceOpts, v: u64, names: &[(u64, &str)], dflt: Option<&str>) {
    match lookup_name(names, v) {
        Some(n) => xstyle(o, opts, |o| o.hex(v), |o| o.s(n)),
        None => {
            o.hex(v);
            match dflt {
                Some(d) if opts.xlat != XlatStyle::Raw => comment(o, d),
                _ => {}
            }
        }
    }
}

/// strace's `printflags_ex`: `A|B|0x40`; `0x43` (-X raw); `0x43 /* A|B|0x40 */` (-X verbose);
/// only unknown bits: `0x40 /* DFLT */`; zero: the zero-valued name, else `0` when there is a
/// default (nothing otherwise).
pub fn xflags(o: &mut Out, opts: &TraceOpts, v: u64, names: &[(u64, &str)], dflt: Option<&str>) {
    if opts.xlat == XlatStyle::Raw {
        if v != 0 || dflt.is_some() {
            o.hex(v);
        }
        return;
    }
    let verbose = opts.xlat == XlatStyle::Verbose;
    if verbose && v != 0 {
        o.hex(v);
    }
    let mut rest = v;
    let mut n = 0;
    for &(f, name) in names {
        if rest == 0 && n > 0 {
            break;
        }
        if rest == f || (f != 0 && rest & f == f) {
            if verbose && rest == 0 {
                o.byte(b'0');
            }
            if n > 0 {
                o.byte(b'|');
            } else if verbose {
                o.s(" /* ");
            }
            n += 1;
            o.s(name);
            rest &= !f;
        }
    }
    if n > 0 {
        if rest != 0 {
            o.byte(b'|');
            o.hex(rest);
        }
        if verbose {
            o.s(" */");
        }
    } else if rest != 0 {
        if !verbose {
            o.hex(rest);
        }
        if let Some(d) = dflt {
            comment(o, d);
        }
    } else if dflt.is_some() {
        o.byte(b'0');
    }
}

/// `opts` with -X abbrev: for the abbreviated text strace builds before styling it as a whole
/// (`0x42 /* O_RDWR|O_CREAT */`) and for notes strace always abbreviates.
pub fn abbrev(opts: &TraceOpts) -> TraceOpts {
    TraceOpts { xlat: XlatStyle::Abbrev, ..*opts }
}

// ---------------------------------------------------------------------------------------------
// Reading the program's memory the way strace's umove_or_printaddr does.

/// Fetches a `T` at `addr` or prints what strace prints instead: `NULL`, or the address when
/// `skip` (an output argument of a failed call), when the call's structures are not followed
/// (`-e verbose=`, [`Out::no_deref`]) or when it cannot be read.
pub fn fetch<T: Copy + Default>(o: &mut Out, addr: usize, skip: bool) -> Option<T> {
    if addr == 0 {
        o.s("NULL");
        return None;
    }
    if !skip && !o.no_deref {
        if let Ok(v) = sys::read_val::<T>(addr) {
            return Some(v);
        }
    }
    o.hex(addr as u64);
    None
}

/// [`fetch`] into a byte buffer (all of it must be readable).
pub fn fetch_bytes(o: &mut Out, addr: usize, skip: bool, buf: &mut [u8]) -> bool {
    if addr == 0 {
        o.s("NULL");
        return false;
    }
    if !skip && !o.no_deref && matches!(sys::read_mem(addr, buf), Ok(n) if n == buf.len()) {
        return true;
    }
    o.hex(addr as u64);
    false
}

/// A uid/gid as strace prints it: `-1` for the all-ones ("unchanged") value, else unsigned.
pub fn print_id(o: &mut Out, v: u32) {
    if v == u32::MAX {
        o.s("-1");
    } else {
        o.u64(v as u64);
    }
}

/// `[N]` for an int the program points to (strace's printnum_int).
pub fn print_num_i32(o: &mut Out, addr: usize, skip: bool) {
    if let Some(v) = fetch::<i32>(o, addr, skip) {
        let _ = write!(o, "[{v}]");
    }
}

/// An array of the program's as strace's `print_array`: `NULL`; `[]` for none; the address when
/// the first element is unreadable or the array wraps the address space; elements cut at -s with
/// `...` (unless -v); `... /* 0x... */` where a later element is unreadable. `elem` prints element
/// `i` at `addr`, or returns false when it cannot read it (what it printed is then dropped).
pub fn print_array(
    o: &mut Out,
    opts: &TraceOpts,
    start: usize,
    count: u64,
    size: usize,
    mut elem: impl FnMut(&mut Out, usize, usize) -> bool,
) {
    if start == 0 {
        o.s("NULL");
        return;
    }
    if count == 0 {
        o.s("[]");
        return;
    }
    let total = (count as u128) * size as u128;
    if total > usize::MAX as u128 || start.checked_add(total as usize).is_none() || o.no_deref {
        o.hex(start as u64);
        return;
    }
    for i in 0..count {
        let cur = start + (i as usize) * size;
        if i > 0 {
            o.s(", ");
        }
        // Read before the -s cut: an unreadable element shows even where -s cuts the array.
        let mut probe = [0u8; 64];
        let want = size.min(probe.len());
        if !matches!(sys::read_mem(cur, &mut probe[..want]), Ok(n) if n == want) {
            if i == 0 {
                o.hex(cur as u64);
                return;
            }
            let _ = write!(o, "... /* {cur:#x} */");
            break;
        }
        if i == 0 {
            o.byte(b'[');
        }
        if !opts.verbose && i >= opts.string_limit as u64 {
            o.s("...");
            break;
        }
        let mark = o.len();
        if !elem(o, cur, i as usize) {
            o.truncate(mark);
            if i == 0 {
                o.truncate(mark - 1); // the `[`: strace prints the bare address
                o.hex(cur as u64);
                return;
            }
            let _ = write!(o, "... /* {cur:#x} */");
            break;
        }
    }
    o.byte(b']');
}

/// Whether an output argument should print as its address: exit phase of a failed call.
pub fn out_skip(d: &Decoder) -> bool {
    d.phase == Phase::Exit && d.failed()
}

/// A file descriptor; with -y, `3</path/it/refers/to>` (read from /proc/self/fd).
pub fn print_fd(out: &mut Out, fd: i32, opts: &TraceOpts) {
    out.i64(fd as i64);
    if opts.fd_paths && fd >= 0 {
        let mut buf = [0u8; crate::sys::FD_PATH_BYTES];
        let link = crate::sys::fd_path(&mut buf, b"/proc/self/fd/", fd as u32);
        let mut target = [0u8; 4096];
        let r = crate::arch::syscall6(
            libc::SYS_readlinkat as usize,
            [libc::AT_FDCWD as usize, link.as_ptr() as usize, target.as_mut_ptr() as usize, target.len(), 0, 0],
        );
        if r > 0 {
            // A deleted file's link reads `PATH (deleted)`; strace prints `<PATH>(deleted)`.
            let t = &target[..r as usize];
            let (path, deleted) = match t.strip_suffix(b" (deleted)") {
                Some(p) => (p, true),
                None => (t, false),
            };
            out.byte(b'<');
            out.bytes(path);
            out.byte(b'>');
            if deleted {
                out.s("(deleted)");
            }
        }
    }
}

/// A directory fd of the *at calls: `AT_FDCWD` (with -y, `AT_FDCWD</cwd>`), or an fd.
pub fn print_dirfd(o: &mut Out, opts: &TraceOpts, fd: i32) {
    if fd != libc::AT_FDCWD {
        print_fd(o, fd, opts);
        return;
    }
    xstyle(o, opts, |o| o.i64(libc::AT_FDCWD as i64), |o| o.s("AT_FDCWD"));
    if opts.fd_paths {
        let mut target = [0u8; 4096];
        let r = crate::arch::syscall6(
            libc::SYS_readlinkat as usize,
            [
                libc::AT_FDCWD as usize,
                c"/proc/self/cwd".as_ptr() as usize,
                target.as_mut_ptr() as usize,
                target.len(),
                0,
                0,
            ],
        );
        if r > 0 && (r as usize) < target.len() {
            o.byte(b'<');
            o.bytes(&target[..r as usize]);
            o.byte(b'>');
        }
    }
}

fn no_args(_d: &mut Decoder) {}

fn close(d: &mut Decoder) {
    d.fd(0);
}

fn read(d: &mut Decoder) {
    d.fd(0);
    d.split();
    d.out_buf(1);
    d.ulong(2);
}

fn write(d: &mut Decoder) {
    d.fd(0);
    let len = d.args[2];
    d.buf(1, len);
    d.ulong(2);
}

fn exit(d: &mut Decoder) {
    d.int(0);
    d.ret_kind = Ret::None;
}

fn getpriority(d: &mut Decoder) {
    const WHICH: Xlat = &[(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")];
    d.xlat(0, WHICH, Some("PRIO_???"));
    d.int(1);
}

fn umask(d: &mut Decoder) {
    d.with(|o, _, v| o.octal(v as u64));
    d.ret_kind = Ret::Oct;
}

/// The calls this file decodes: the simplest shapes, as patterns for the families.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_getpid
        | libc::SYS_getppid
        | libc::SYS_gettid
        | libc::SYS_getuid
        | libc::SYS_geteuid
        | libc::SYS_getgid
        | libc::SYS_getegid
        | libc::SYS_getpgrp
        | libc::SYS_sched_yield
        | libc::SYS_fork
        | libc::SYS_vfork
        | libc::SYS_setsid
        | libc::SYS_sync
        | libc::SYS_pause
        | libc::SYS_munlockall => no_args as DecodeFn,
        libc::SYS_close => close,
        libc::SYS_read => read,
        libc::SYS_write => write,
        libc::SYS_exit | libc::SYS_exit_group => exit,
        libc::SYS_getpriority => getpriority,
        libc::SYS_umask => umask,
        _ => return None,
    };
    Some(f)
}
