//! Shared printers (file descriptors) and the reference decoders the other families follow.

use super::{DecodeFn, Decoder, Ret};
use crate::trace::out::Out;
use crate::trace::TraceOpts;

/// A file descriptor; with -y, `3</path/it/refers/to>` (read from /proc/self/fd).
pub fn print_fd(out: &mut Out, fd: i32, opts: &TraceOpts) {
    out.i64(fd as i64);
    if opts.fd_paths && fd >= 0 {
        let mut link = *b"/proc/self/fd/\0\0\0\0\0\0\0\0\0\0\0";
        let mut n = 14;
        let mut digits = [0u8; 10];
        let mut k = 0;
        let mut v = fd as u32;
        loop {
            digits[k] = b'0' + (v % 10) as u8;
            k += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        while k > 0 {
            k -= 1;
            link[n] = digits[k];
            n += 1;
        }
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
    const WHICH: &[(u64, &str)] = &[(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")];
    d.xlat(0, WHICH, "PRIO_???");
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
