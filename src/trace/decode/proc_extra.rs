//! Decoders: the newer process and memory-policy calls (rseq, namespaces, pidfds, cross-process
//! memory, NUMA policies, I/O priorities, seccomp, LDT and TLS descriptors, protection keys); see
//! the module docs of `decode` for the pattern.
//!
//! They reuse the printers of `process` (clone flags, signals, siginfo, madvise advice) and
//! `file` (iovec arrays). Every form here was checked against strace 6.1's own output, including
//! its quirks (modify_ldt's unsigned error results, `%#016lx` node masks, `%#08x` descriptor
//! fields), which are kept because the point is byte-for-byte equality.

use core::fmt::Write;
use core::sync::atomic::Ordering;

use super::common::{
    abbrev, fetch, fetch_bytes, lookup_name, out_skip, print_array, print_fd, print_id, xflags, xstyle, xval, Xlat,
};
use super::file::print_iov;
use super::net::carry;
use super::process::{print_siginfo_at, print_signal, CLONE_FLAGS, MADVISE, SCHED_POLICIES};
use super::{DecodeFn, Decoder, Ret};
use crate::sys;
use crate::trace::out::Out;
use crate::trace::{TraceOpts, XlatStyle};

// ---------------------------------------------------------------------------------------------
// rseq.

/// strace 6.1 has no rseq decoder: all four arguments print in hex, the area's address as `0`
/// when NULL (not `NULL`), as glibc's registration in every new thread shows.
fn rseq(d: &mut Decoder) {
    for i in 0..4 {
        d.hex(i);
    }
}

// ---------------------------------------------------------------------------------------------
// Namespaces.

/// `CLONE_NEWTIME`: unshare and setns only (in clone's first argument the low byte is the exit
/// signal, so the clone table cannot hold it).
const CLONE_NEWTIME: (u64, &str) = (0x80, "CLONE_NEWTIME");

/// The clone flags unshare takes (strace's `unshare_flags`).
const UNSHARE_MASK: u64 = 0x7e07_0f00;
/// The namespace flags setns takes (strace's `setns_types`).
const SETNS_MASK: u64 = 0x7e02_0000;

/// CLONE_NEWTIME then the entries of [`CLONE_FLAGS`] in `mask`: strace's tables for unshare
/// and setns are these, in the same ascending order.
const fn clone_subset<const N: usize>(mask: u64) -> [(u64, &'static str); N] {
    let mut out = [CLONE_NEWTIME; N];
    let (mut i, mut k) = (0, 1);
    while i < CLONE_FLAGS.len() {
        if CLONE_FLAGS[i].0 & mask != 0 {
            out[k] = CLONE_FLAGS[i];
            k += 1;
        }
        i += 1;
    }
    assert!(k == N, "the mask selects N - 1 clone flags");
    out
}

const UNSHARE_FLAGS: [(u64, &str); 14] = clone_subset(UNSHARE_MASK);
const SETNS_TYPES: [(u64, &str); 8] = clone_subset(SETNS_MASK);

fn unshare(d: &mut Decoder) {
    d.flags(0, &UNSHARE_FLAGS, Some("CLONE_???"));
}

fn setns(d: &mut Decoder) {
    d.fd(0);
    d.flags(1, &SETNS_TYPES, Some("CLONE_NEW???"));
}

// ---------------------------------------------------------------------------------------------
// Pidfds.

const PIDFD_OPEN_FLAGS: Xlat = &[(0x800, "PIDFD_NONBLOCK")];

fn pidfd_open(d: &mut Decoder) {
    d.int(0);
    d.flags(1, PIDFD_OPEN_FLAGS, Some("PIDFD_???"));
    d.ret_kind = Ret::Fd;
}

fn pidfd_send_signal(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| print_signal(o, opts, v as i32));
    d.with(|o, opts, a| print_siginfo_at(o, opts, a, false));
    d.hex(3);
}

/// The process a pidfd refers to (the `Pid:` line of its fdinfo), for -y.
fn pidfd_pid(pidfd: i32) -> Option<i32> {
    let mut path = [0u8; sys::FD_PATH_BYTES];
    let path = sys::fd_path(&mut path, b"/proc/self/fdinfo/", u32::try_from(pidfd).ok()?);
    let fd = sys::open(path, libc::O_RDONLY | libc::O_CLOEXEC, 0).ok()? as i32;
    let mut buf = [0u8; 512];
    let n =
        crate::arch::syscall6(libc::SYS_read as usize, [fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0, 0, 0]);
    let _ = sys::close(fd);
    let text = buf.get(..usize::try_from(n).ok()?)?;
    let at = text.windows(5).position(|w| w == b"Pid:\t")? + 5;
    let digits = text[at..].iter().take_while(|c| c.is_ascii_digit() || **c == b'-');
    let mut v: i32 = 0;
    let mut neg = false;
    for &c in digits {
        if c == b'-' {
            neg = true;
        } else {
            v = v.checked_mul(10)?.checked_add((c - b'0') as i32)?;
        }
    }
    Some(if neg { -v } else { v })
}

fn pidfd_getfd(d: &mut Decoder) {
    d.fd(0);
    let pidfd = d.args[0] as i32;
    d.with(|o, opts, v| {
        // With -y the descriptor is the pidfd's process's: its path shows when that is this one.
        let pid = if opts.fd_paths { pidfd_pid(pidfd) } else { None };
        match pid {
            Some(p) => print_pid_fd(o, opts, p, v as i32),
            None => o.i64(v as i32 as i64),
        }
    });
    d.hex(2);
    d.ret_kind = Ret::Fd;
}

// ---------------------------------------------------------------------------------------------
// Cross-process memory.

/// process_vm_readv/writev: the local iovecs with their bytes (those read, for readv: so at
/// exit; the address alone when readv failed), the remote ones as addresses only (the bytes
/// there are another process's), the flags in decimal.
fn process_vm(d: &mut Decoder, read: bool) {
    d.int(0);
    d.split();
    let (failed, ret) = (d.failed(), d.ret as usize);
    let (local_n, remote_n) = (d.args[2], d.args[4]);
    let data = match (read, failed) {
        (false, _) => Some(usize::MAX),
        (true, false) => Some(ret),
        (true, true) => None,
    };
    d.with(|o, opts, a| print_iov(o, opts, a, local_n, data));
    d.ulong(2);
    d.with(|o, opts, a| print_iov(o, opts, a, remote_n, None));
    d.ulong(4);
    d.ulong(5);
}

fn process_vm_readv(d: &mut Decoder) {
    process_vm(d, true);
}

fn process_vm_writev(d: &mut Decoder) {
    process_vm(d, false);
}

// ---------------------------------------------------------------------------------------------
// NUMA memory policies.

const MPOL_MODES: Xlat = &[
    (0, "MPOL_DEFAULT"),
    (1, "MPOL_PREFERRED"),
    (2, "MPOL_BIND"),
    (3, "MPOL_INTERLEAVE"),
    (4, "MPOL_LOCAL"),
    (5, "MPOL_PREFERRED_MANY"),
];
const MPOL_MODE_FLAGS: Xlat =
    &[(0x8000, "MPOL_F_STATIC_NODES"), (0x4000, "MPOL_F_RELATIVE_NODES"), (0x2000, "MPOL_F_NUMA_BALANCING")];
const MPOL_MODE_FLAGS_MASK: u64 = 0xe000;
const MPOL_MAX: u64 = 5;
const GET_MEMPOLICY_FLAGS: Xlat = &[(1, "MPOL_F_NODE"), (2, "MPOL_F_ADDR"), (4, "MPOL_F_MEMS_ALLOWED")];
const MBIND_FLAGS: Xlat = &[(1, "MPOL_MF_STRICT"), (2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")];
const MOVE_PAGES_FLAGS: Xlat = &[(2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")];

/// A policy mode with its flags (strace's print_mode): `MPOL_BIND|MPOL_F_STATIC_NODES`, styled
/// as one value; a mode beyond the known ones prints as flags, `MPOL_F_STATIC_NODES|0x63`.
fn print_mpol_mode(o: &mut Out, opts: &TraceOpts, v: u64) {
    let mode = v & !MPOL_MODE_FLAGS_MASK;
    if mode > MPOL_MAX {
        xflags(o, opts, v, MPOL_MODE_FLAGS, Some("MPOL_???"));
        return;
    }
    let name = lookup_name(MPOL_MODES, mode).unwrap_or("MPOL_???");
    let flags = v & MPOL_MODE_FLAGS_MASK;
    xstyle(
        o,
        opts,
        |o| o.hex(v),
        |o| {
            o.s(name);
            if flags != 0 {
                o.byte(b'|');
                xflags(o, &abbrev(opts), flags, MPOL_MODE_FLAGS, None);
            }
        },
    );
}

/// One word of a node mask as C's `%#016lx` prints it: zero-padded to 16 characters, `0x`
/// counted in them, and no `0x` for zero.
fn print_mask_word(o: &mut Out, w: u64) {
    if w == 0 {
        o.s("0000000000000000");
    } else {
        let _ = write!(o, "{w:#016x}");
    }
}

/// A node mask of `maxnode` bits (strace's print_nodemask): its words, `(maxnode + 62) / 64` of
/// them (the kernel ignores the last bit), or the address when that rounds to none.
fn print_nodemask(o: &mut Out, opts: &TraceOpts, addr: usize, maxnode: u64, skip: bool) {
    let n = maxnode.saturating_add(62) / 64;
    if (maxnode != 0 && n == 0) || n < maxnode / 64 || (skip && addr != 0) {
        o.ptr(addr);
        return;
    }
    print_array(o, opts, addr, n, 8, |o, cur, _| match sys::read_val::<u64>(cur) {
        Ok(w) => {
            print_mask_word(o, w);
            true
        }
        Err(_) => false,
    });
}

fn with_nodemask(d: &mut Decoder, maxnode: u64, skip: bool) {
    d.with(|o, opts, a| print_nodemask(o, opts, a, maxnode, skip));
}

fn get_mempolicy(d: &mut Decoder) {
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| {
        if let Some(m) = fetch::<i32>(o, a, skip) {
            o.byte(b'[');
            xval(o, opts, m as u32 as u64, MPOL_MODES, Some("MPOL_???"));
            o.byte(b']');
        }
    });
    with_nodemask(d, d.args[2] as u64, skip);
    d.ulong(2);
    d.ptr(3);
    d.flags(4, GET_MEMPOLICY_FLAGS, Some("MPOL_???"));
}

fn set_mempolicy(d: &mut Decoder) {
    d.with(|o, opts, v| print_mpol_mode(o, opts, v as u64));
    with_nodemask(d, d.args[2] as u64, false);
    d.ulong(2);
}

fn mbind(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.with(|o, opts, v| print_mpol_mode(o, opts, v as u64));
    with_nodemask(d, d.args[4] as u64, false);
    d.ulong(4);
    d.flags(5, MBIND_FLAGS, Some("MPOL_???"));
}

fn migrate_pages(d: &mut Decoder) {
    d.int(0);
    d.ulong(1);
    let maxnode = d.args[1] as u64;
    with_nodemask(d, maxnode, false);
    with_nodemask(d, maxnode, false);
}

/// A move_pages status: a node number, or a negated errno (`-ENOENT`, `-2 /* -ENOENT */`).
fn print_page_status(o: &mut Out, opts: &TraceOpts, st: i32) {
    let name = if st < 0 { crate::trace::errno::lookup(-st).map(|(n, _)| n) } else { None };
    match name {
        Some(n) => xstyle(
            o,
            opts,
            |o| o.i64(st as i64),
            |o| {
                o.byte(b'-');
                o.s(n);
            },
        ),
        None => o.i64(st as i64),
    }
}

fn move_pages(d: &mut Decoder) {
    let n = d.args[1] as u64;
    d.int(0);
    d.ulong(1);
    d.with(|o, opts, a| {
        print_array(o, opts, a, n, 8, |o, cur, _| match sys::read_val::<u64>(cur) {
            Ok(v) => {
                o.ptr(v as usize);
                true
            }
            Err(_) => false,
        })
    });
    d.with(|o, opts, a| {
        print_array(o, opts, a, n, 4, |o, cur, _| match sys::read_val::<i32>(cur) {
            Ok(v) => {
                o.i64(v as i64);
                true
            }
            Err(_) => false,
        })
    });
    d.split();
    let skip = out_skip(d);
    d.with(|o, opts, a| {
        if skip && a != 0 {
            o.ptr(a);
            return;
        }
        print_array(o, opts, a, n, 4, |o, cur, _| match sys::read_val::<i32>(cur) {
            Ok(v) => {
                print_page_status(o, opts, v);
                true
            }
            Err(_) => false,
        })
    });
    d.flags(5, MOVE_PAGES_FLAGS, Some("MPOL_???"));
}

fn set_mempolicy_home_node(d: &mut Decoder) {
    d.ptr(0);
    d.ulong(1);
    d.ulong(2);
    d.hex(3);
}

// ---------------------------------------------------------------------------------------------
// kcmp.

const KCMP_TYPES: Xlat = &[
    (0, "KCMP_FILE"),
    (1, "KCMP_VM"),
    (2, "KCMP_FILES"),
    (3, "KCMP_FS"),
    (4, "KCMP_SIGHAND"),
    (5, "KCMP_IO"),
    (6, "KCMP_SYSVSEM"),
    (7, "KCMP_EPOLL_TFD"),
];

/// A descriptor of process `pid`: with -y its path only when that process is this one (the
/// tracer sees its own /proc/self/fd, not another process's).
fn print_pid_fd(o: &mut Out, opts: &TraceOpts, pid: i32, fd: i32) {
    if pid == sys::getpid() {
        print_fd(o, fd, opts);
    } else {
        o.i64(fd as i64);
    }
}

/// The two indexes follow the type: descriptors for KCMP_FILE, a descriptor and a
/// `struct kcmp_epoll_slot` for KCMP_EPOLL_TFD, nothing for the other known types, hex for
/// unknown ones.
fn kcmp(d: &mut Decoder) {
    let (pid1, pid2) = (d.args[0] as i32, d.args[1] as i32);
    let (idx1, idx2) = (d.args[3], d.args[4]);
    d.int(0);
    d.int(1);
    d.xlat(2, KCMP_TYPES, Some("KCMP_???"));
    match d.args[2] as u32 {
        0 => {
            d.extra(|o, opts| print_pid_fd(o, opts, pid1, idx1 as i32));
            d.extra(|o, opts| print_pid_fd(o, opts, pid2, idx2 as i32));
        }
        7 => {
            d.extra(|o, opts| print_pid_fd(o, opts, pid1, idx1 as i32));
            d.extra(|o, opts| {
                if let Some(slot) = fetch::<[u32; 3]>(o, idx2, false) {
                    o.s("{efd=");
                    print_pid_fd(o, opts, pid2, slot[0] as i32);
                    o.s(", tfd=");
                    print_pid_fd(o, opts, pid2, slot[1] as i32);
                    let _ = write!(o, ", toff={}}}", slot[2]);
                }
            });
        }
        1..=6 => {}
        _ => {
            d.hex(3);
            d.hex(4);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scheduling attributes.

const SCHED_FLAGS: Xlat = &[
    (0x1, "SCHED_FLAG_RESET_ON_FORK"),
    (0x2, "SCHED_FLAG_RECLAIM"),
    (0x4, "SCHED_FLAG_DL_OVERRUN"),
    (0x8, "SCHED_FLAG_KEEP_POLICY"),
    (0x10, "SCHED_FLAG_KEEP_PARAMS"),
    (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
    (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
];
const SCHED_FLAG_KEEP_POLICY: u64 = 0x8;
const SCHED_FLAG_KEEP_PARAMS: u64 = 0x10;
/// `struct sched_attr`: its first version's size, the second's (with the utilisation clamps).
const SCHED_ATTR_VER0: usize = 48;
const SCHED_ATTR_VER1: usize = 56;

fn le_u32(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

fn le_u64(b: &[u8], off: usize) -> u64 {
    le_u32(b, off) as u64 | (le_u32(b, off + 4) as u64) << 32
}

/// The fields of a `struct sched_attr` (strace's print_sched_attr) whose size field reads
/// `size`, `shown` bytes of it known; the policy and the parameters are left out when the
/// flags say the call keeps them, and `, ...` marks a structure longer than strace knows.
fn print_sched_attr(o: &mut Out, opts: &TraceOpts, b: &[u8; SCHED_ATTR_VER1], size: u32, shown: usize, more: bool) {
    let _ = write!(o, "{{size={size}");
    if shown >= SCHED_ATTR_VER0 {
        let flags = le_u64(b, 8);
        if flags & SCHED_FLAG_KEEP_POLICY == 0 {
            o.s(", sched_policy=");
            xval(o, opts, le_u32(b, 4) as u64, SCHED_POLICIES, Some("SCHED_???"));
        }
        o.s(", sched_flags=");
        xflags(o, opts, flags, SCHED_FLAGS, Some("SCHED_FLAG_???"));
        if flags & SCHED_FLAG_KEEP_PARAMS == 0 {
            let _ = write!(
                o,
                ", sched_nice={}, sched_priority={}, sched_runtime={}, sched_deadline={}, sched_period={}",
                le_u32(b, 16) as i32,
                le_u32(b, 20),
                le_u64(b, 24),
                le_u64(b, 32),
                le_u64(b, 40)
            );
        }
        if shown >= SCHED_ATTR_VER1 {
            let _ = write!(o, ", sched_util_min={}, sched_util_max={}", le_u32(b, 48), le_u32(b, 52));
        }
    }
    if more {
        o.s(", ...");
    }
    o.byte(b'}');
}

/// sched_getattr: the structure the kernel filled, as long as it says it is.
fn sched_getattr(d: &mut Decoder) {
    d.int(0);
    d.split();
    let skip = out_skip(d);
    let usize_ = d.args[2] as u32 as usize;
    d.with(|o, opts, a| {
        let mut b = [0u8; SCHED_ATTR_VER1];
        let n = usize_.clamp(4, SCHED_ATTR_VER1);
        if fetch_bytes(o, a, skip, &mut b[..n]) {
            let size = le_u32(&b, 0);
            print_sched_attr(o, opts, &b, size, size as usize, false);
        }
    });
    d.ulong(2);
    d.ulong(3);
}

/// sched_setattr: the structure as the program passed it (its size read at entry: on E2BIG the
/// kernel writes its own size there, which strace shows after ` => `).
fn sched_setattr(d: &mut Decoder) {
    d.int(0);
    d.split();
    let addr = d.args[1];
    let given = carry(d, || sys::read_val::<u32>(addr).ok().map(|v| [v as u64, 0, 0])).map(|c| c[0] as u32);
    let e2big = d.ret == -(libc::E2BIG as isize);
    d.with(|o, opts, a| {
        let Some(size) = given.or_else(|| fetch::<u32>(o, a, false)) else { return };
        let mut b = [0u8; SCHED_ATTR_VER1];
        let usize_ = if size == 0 { SCHED_ATTR_VER0 } else { size as usize };
        let n = usize_.min(SCHED_ATTR_VER1);
        if a == 0 || o.no_deref || (n >= SCHED_ATTR_VER0 && !matches!(sys::read_mem(a, &mut b[..n]), Ok(r) if r == n)) {
            o.ptr(a);
            return;
        }
        print_sched_attr(o, opts, &b, size, n, usize_ > n);
        if e2big {
            if let Ok(now) = sys::read_val::<u32>(a) {
                let _ = write!(o, " => {{size={now}}}");
            }
        }
    });
    d.ulong(2);
}

// ---------------------------------------------------------------------------------------------
// I/O priorities.

const IOPRIO_WHO: Xlat = &[(1, "IOPRIO_WHO_PROCESS"), (2, "IOPRIO_WHO_PGRP"), (3, "IOPRIO_WHO_USER")];
const IOPRIO_CLASSES: Xlat =
    &[(0, "IOPRIO_CLASS_NONE"), (1, "IOPRIO_CLASS_RT"), (2, "IOPRIO_CLASS_BE"), (3, "IOPRIO_CLASS_IDLE")];

/// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`, the class styled as a named constant.
fn print_ioprio_value(o: &mut Out, opts: &TraceOpts, v: u32) {
    o.s("IOPRIO_PRIO_VALUE(");
    xval(o, opts, (v >> 13) as u64, IOPRIO_CLASSES, Some("IOPRIO_CLASS_???"));
    let _ = write!(o, ", {})", v & 0x1fff);
}

fn ioprio_get(d: &mut Decoder) {
    d.xlat(0, IOPRIO_WHO, Some("IOPRIO_WHO_???"));
    d.int(1);
    if !d.failed() && d.opts.xlat != XlatStyle::Raw {
        let (opts, v) = (*d.opts, d.ret as u32);
        d.note(|o| {
            o.s(" (");
            print_ioprio_value(o, &opts, v);
            o.byte(b')');
        });
    }
}

fn ioprio_set(d: &mut Decoder) {
    d.xlat(0, IOPRIO_WHO, Some("IOPRIO_WHO_???"));
    d.int(1);
    d.with(|o, opts, v| {
        xstyle(o, opts, |o| o.i64(v as i32 as i64), |o| print_ioprio_value(o, opts, v as u32));
    });
}

// ---------------------------------------------------------------------------------------------
// seccomp.

const SECCOMP_OPS: Xlat = &[
    (0, "SECCOMP_SET_MODE_STRICT"),
    (1, "SECCOMP_SET_MODE_FILTER"),
    (2, "SECCOMP_GET_ACTION_AVAIL"),
    (3, "SECCOMP_GET_NOTIF_SIZES"),
];
const SECCOMP_FILTER_FLAGS: Xlat = &[
    (0x1, "SECCOMP_FILTER_FLAG_TSYNC"),
    (0x2, "SECCOMP_FILTER_FLAG_LOG"),
    (0x4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
    (0x8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
    (0x10, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
    (0x20, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
];
const SECCOMP_RET: Xlat = &[
    (0x8000_0000, "SECCOMP_RET_KILL_PROCESS"),
    (0, "SECCOMP_RET_KILL_THREAD"),
    (0x3_0000, "SECCOMP_RET_TRAP"),
    (0x5_0000, "SECCOMP_RET_ERRNO"),
    (0x7fc0_0000, "SECCOMP_RET_USER_NOTIF"),
    (0x7ff0_0000, "SECCOMP_RET_TRACE"),
    (0x7ffc_0000, "SECCOMP_RET_LOG"),
    (0x7fff_0000, "SECCOMP_RET_ALLOW"),
];

/// The third argument by operation: a filter program (its address: BPF programs are not
/// decoded), an action, or the notification sizes the kernel fills.
fn seccomp(d: &mut Decoder) {
    let op = d.args[0] as u32;
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SECCOMP_OPS, Some("SECCOMP_SET_MODE_???")));
    if op == 1 {
        d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, SECCOMP_FILTER_FLAGS, Some("SECCOMP_FILTER_FLAG_???")));
    } else {
        d.with(|o, _, v| o.hex(v as u32 as u64));
    }
    match op {
        2 => d.with(|o, opts, a| {
            if let Some(v) = fetch::<u32>(o, a, false) {
                o.byte(b'[');
                xval(o, opts, v as u64, SECCOMP_RET, Some("SECCOMP_RET_???"));
                o.byte(b']');
            }
        }),
        3 => {
            d.split();
            let skip = out_skip(d);
            d.with(|o, _, a| {
                if let Some(s) = fetch::<[u16; 3]>(o, a, skip) {
                    let _ = write!(o, "{{seccomp_notif={}, seccomp_notif_resp={}, seccomp_data={}}}", s[0], s[1], s[2]);
                }
            });
        }
        _ => d.ptr(2),
    }
}

// ---------------------------------------------------------------------------------------------
// TLS and LDT descriptors.

/// A `struct user_desc` as 16 bytes: entry_number, base_addr, limit, then the bit fields.
type UserDesc = [u32; 4];

/// C's `%#08x`: `0x` counted in the width, and none for zero.
fn print_hex08(o: &mut Out, v: u32) {
    if v == 0 {
        o.s("00000000");
    } else {
        let _ = write!(o, "{v:#08x}");
    }
}

/// The fields after entry_number, and the closing brace.
fn print_user_desc_rest(o: &mut Out, u: &UserDesc) {
    o.s(", base_addr=");
    print_hex08(o, u[1]);
    o.s(", limit=");
    print_hex08(o, u[2]);
    let b = u[3];
    let _ = write!(
        o,
        ", seg_32bit={}, contents={}, read_exec_only={}, limit_in_pages={}, seg_not_present={}, useable={}, lm={}}}",
        b & 1,
        (b >> 1) & 3,
        (b >> 3) & 1,
        (b >> 4) & 1,
        (b >> 5) & 1,
        (b >> 6) & 1,
        (b >> 7) & 1
    );
}

fn print_user_desc(o: &mut Out, u: &UserDesc) {
    o.s("{entry_number=");
    print_id(o, u[0]);
    print_user_desc_rest(o, u);
}

/// set_thread_area: the descriptor passed; the entry the kernel picked after the result.
fn set_thread_area(d: &mut Decoder) {
    d.with(|o, _, a| {
        if let Some(u) = fetch::<UserDesc>(o, a, false) {
            print_user_desc(o, &u);
        }
    });
    if !d.failed() && !d.out.no_deref {
        if let Ok(n) = sys::read_val::<u32>(d.args[0]) {
            d.note(|o| {
                let _ = write!(o, " (entry_number={n})");
            });
        }
    }
}

/// get_thread_area: the entry asked for (read at entry), then what the kernel filled, or
/// `...` when it failed.
fn get_thread_area(d: &mut Decoder) {
    d.split();
    let addr = d.args[0];
    let asked = carry(d, || sys::read_val::<u32>(addr).ok().map(|v| [v as u64, 0, 0])).map(|c| c[0] as u32);
    let failed = d.failed();
    d.with(|o, _, a| {
        let Some(asked) = asked.or_else(|| fetch::<u32>(o, a, false)) else { return };
        if a == 0 || o.no_deref {
            o.ptr(a);
            return;
        }
        o.s("{entry_number=");
        print_id(o, asked);
        match sys::read_val::<UserDesc>(a) {
            Ok(u) if !failed => {
                if u[0] != asked {
                    o.s(" => ");
                    print_id(o, u[0]);
                }
                print_user_desc_rest(o, &u);
            }
            _ => o.s(", ...}"),
        }
    });
}

/// modify_ldt: a descriptor when the size is one's. The kernel returns an `int` zero-extended,
/// so an error comes back as a large positive number; strace prints that number, then the
/// error's name, and so does this.
fn modify_ldt(d: &mut Decoder) {
    d.int(0);
    let len = d.args[2];
    d.with(|o, _, a| {
        if len != core::mem::size_of::<UserDesc>() {
            o.ptr(a);
        } else if let Some(u) = fetch::<UserDesc>(o, a, false) {
            print_user_desc(o, &u);
        }
    });
    d.ulong(2);
    let r = d.ret as u64;
    if (0xffff_f000..=0xffff_ffff).contains(&r) {
        let e = (r as u32).wrapping_neg() as i32;
        if let Some((name, msg)) = crate::trace::errno::lookup(e) {
            d.note(|o| {
                let _ = write!(o, " {name} ({msg})");
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// pidfd memory calls, protection keys, secret memory, userfaultfd.

fn process_madvise(d: &mut Decoder) {
    d.fd(0);
    let n = d.args[2];
    d.with(|o, opts, a| print_iov(o, opts, a, n, None));
    d.ulong(2);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, MADVISE, Some("MADV_???")));
    d.hex(4);
}

fn process_mrelease(d: &mut Decoder) {
    d.fd(0);
    d.hex(1);
}

const PKEY_ACCESS: Xlat = &[(1, "PKEY_DISABLE_ACCESS"), (2, "PKEY_DISABLE_WRITE")];

fn pkey_alloc(d: &mut Decoder) {
    d.hex(0);
    d.flags(1, PKEY_ACCESS, Some("PKEY_???"));
}

fn pkey_free(d: &mut Decoder) {
    d.int(0);
}

const MEMFD_SECRET_FLAGS: Xlat = &[(0x80000, "O_CLOEXEC")];

/// Flags with no default name for unknown bits (`0x1`, not `0x1 /* ...??? */`), and `0` for none.
fn memfd_secret(d: &mut Decoder) {
    d.with(|o, opts, v| {
        if v == 0 {
            o.byte(b'0');
        } else {
            xflags(o, opts, v as u32 as u64, MEMFD_SECRET_FLAGS, None);
        }
    });
    d.ret_kind = Ret::Fd;
}

const UFFD_FLAGS: Xlat = &[(1, "UFFD_USER_MODE_ONLY"), (0x800, "O_NONBLOCK"), (0x80000, "O_CLOEXEC")];

fn userfaultfd(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, UFFD_FLAGS, Some("UFFD_???")));
    d.ret_kind = Ret::Fd;
}

// ---------------------------------------------------------------------------------------------
// restart_syscall.

/// Records that the calling thread's traced call `nr` finished printing: a restart_syscall the
/// kernel makes next resumes it (strace remembers the last call it traced per thread, so an
/// untraced one in between does not count).
pub fn finished(nr: usize) {
    if let Some(s) = crate::threads::current() {
        s.last_traced.store(nr as u32 + 1, Ordering::Relaxed);
    }
}

/// `<... resuming interrupted nanosleep ...>`, or `system call` when this thread traced none
/// before.
fn restart_syscall(d: &mut Decoder) {
    let last = crate::threads::current().map_or(0, |s| s.last_traced.load(Ordering::Relaxed));
    let name = last.checked_sub(1).and_then(|nr| super::syscall_name(nr as usize)).unwrap_or("system call");
    d.extra(|o, _| {
        let _ = write!(o, "<... resuming interrupted {name} ...>");
    });
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_rseq => rseq,
        libc::SYS_unshare => unshare,
        libc::SYS_setns => setns,
        libc::SYS_pidfd_open => pidfd_open,
        libc::SYS_pidfd_send_signal => pidfd_send_signal,
        libc::SYS_pidfd_getfd => pidfd_getfd,
        libc::SYS_process_vm_readv => process_vm_readv,
        libc::SYS_process_vm_writev => process_vm_writev,
        libc::SYS_get_mempolicy => get_mempolicy,
        libc::SYS_set_mempolicy => set_mempolicy,
        libc::SYS_mbind => mbind,
        libc::SYS_migrate_pages => migrate_pages,
        libc::SYS_move_pages => move_pages,
        libc::SYS_set_mempolicy_home_node => set_mempolicy_home_node,
        libc::SYS_kcmp => kcmp,
        libc::SYS_sched_setattr => sched_setattr,
        libc::SYS_sched_getattr => sched_getattr,
        libc::SYS_ioprio_get => ioprio_get,
        libc::SYS_ioprio_set => ioprio_set,
        libc::SYS_seccomp => seccomp,
        libc::SYS_set_thread_area => set_thread_area,
        libc::SYS_get_thread_area => get_thread_area,
        libc::SYS_modify_ldt => modify_ldt,
        libc::SYS_process_madvise => process_madvise,
        libc::SYS_process_mrelease => process_mrelease,
        libc::SYS_pkey_alloc => pkey_alloc,
        libc::SYS_pkey_free => pkey_free,
        libc::SYS_memfd_secret => memfd_secret,
        libc::SYS_userfaultfd => userfaultfd,
        libc::SYS_restart_syscall => restart_syscall,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Each expected line is what strace 6.1 printed for the same call (the calls of
    //! tests/fixtures/trace_proc_extra.c), with this run's addresses, pids and values filled in.

    use super::super::testing::*;
    use crate::trace::{TraceOpts, XlatStyle};

    const BAD: usize = 0x10;
    const EBADF: &str = "-1 EBADF (Bad file descriptor)";

    #[test]
    fn rseq_prints_in_hex() {
        // This thread's area is registered (by glibc, or not at all): a second one fails.
        let a = [BAD, 32, 0, 0x5305_3053];
        let r = sc(libc::SYS_rseq, &a);
        assert!(r < 0);
        assert_eq!(line(libc::SYS_rseq, &a, -22), exp("rseq(0x10, 0x20, 0, 0x53053053)", EINVAL));
        assert_eq!(
            line(libc::SYS_rseq, &[0x7f00_0000_1000, 32, 0, 0x5305_3053], 0),
            exp("rseq(0x7f0000001000, 0x20, 0, 0x53053053)", "0")
        );
        assert_eq!(line(libc::SYS_rseq, &[0, 32, 1, 0x5305_3053], -22), exp("rseq(0, 0x20, 0x1, 0x53053053)", EINVAL));
    }

    #[test]
    fn namespace_flags_match_strace() {
        assert_eq!(line(libc::SYS_unshare, &[0], 0), exp("unshare(0)", "0"));
        assert_eq!(line(libc::SYS_unshare, &[0x600], 0), exp("unshare(CLONE_FS|CLONE_FILES)", "0"));
        assert_eq!(line_x(libc::SYS_unshare, &[0x600], 0, XlatStyle::Raw), exp("unshare(0x600)", "0"));
        assert_eq!(
            line_x(libc::SYS_unshare, &[0x401], -22, XlatStyle::Verbose),
            exp("unshare(0x401 /* CLONE_FILES|0x1 */)", EINVAL)
        );
        assert_eq!(
            line(libc::SYS_unshare, &[0xffff_ffff], -22),
            exp(
                "unshare(CLONE_NEWTIME|CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET|0x81f8f07f)",
                EINVAL
            )
        );
        assert_eq!(line(libc::SYS_unshare, &[0x11], -22), exp("unshare(0x11 /* CLONE_??? */)", EINVAL));
        let r = sc(libc::SYS_setns, &[usize::MAX, 0x4000_0000]);
        assert_eq!(line(libc::SYS_setns, &[usize::MAX, 0x4000_0000], r), exp("setns(-1, CLONE_NEWNET)", EBADF));
        assert_eq!(
            line(libc::SYS_setns, &[0, 0x0202_0080], -22),
            exp("setns(0, CLONE_NEWTIME|CLONE_NEWNS|CLONE_NEWCGROUP)", EINVAL)
        );
        assert_eq!(line(libc::SYS_setns, &[0, 0x11], -22), exp("setns(0, 0x11 /* CLONE_NEW??? */)", EINVAL));
        assert_eq!(line(libc::SYS_setns, &[0, 0], -22), exp("setns(0, 0)", EINVAL));
    }

    #[test]
    fn pidfd_calls_match_strace() {
        let pid = crate::sys::getpid() as usize;
        let fd = sc(libc::SYS_pidfd_open, &[pid, 0x800]);
        assert!(fd >= 0);
        assert_eq!(
            line(libc::SYS_pidfd_open, &[pid, 0x800], fd),
            exp(&format!("pidfd_open({pid}, PIDFD_NONBLOCK)"), &fd.to_string())
        );
        assert_eq!(
            line_x(libc::SYS_pidfd_open, &[pid, 0x800], fd, XlatStyle::Verbose),
            exp(&format!("pidfd_open({pid}, 0x800 /* PIDFD_NONBLOCK */)"), &fd.to_string())
        );
        assert_eq!(
            line(libc::SYS_pidfd_open, &[pid, 1], -22),
            exp(&format!("pidfd_open({pid}, 0x1 /* PIDFD_??? */)"), EINVAL)
        );
        assert_eq!(line(libc::SYS_pidfd_open, &[usize::MAX, 0], -22), exp("pidfd_open(-1, 0)", EINVAL));
        let f = fd as usize;
        let r = sc(libc::SYS_pidfd_send_signal, &[f, 1, BAD, 0]);
        assert_eq!(
            line(libc::SYS_pidfd_send_signal, &[f, 1, BAD, 0], r),
            exp(&format!("pidfd_send_signal({f}, SIGHUP, 0x10, 0)"), EFAULT)
        );
        assert_eq!(
            line_x(libc::SYS_pidfd_send_signal, &[f, 15, 0, 0], 0, XlatStyle::Verbose),
            exp(&format!("pidfd_send_signal({f}, 15 /* SIGTERM */, NULL, 0)"), "0")
        );
        let si = [0u64; 16];
        assert_eq!(
            line(libc::SYS_pidfd_send_signal, &[f, 0, p(&si), 1], 0),
            exp(&format!("pidfd_send_signal({f}, 0, {{}}, 0x1)"), "0")
        );
        assert_eq!(
            line(libc::SYS_pidfd_send_signal, &[f, 110, 0, 0], -22),
            exp(&format!("pidfd_send_signal({f}, 110, NULL, 0)"), EINVAL)
        );
        let r = sc(libc::SYS_pidfd_getfd, &[f, 999, 0]);
        assert_eq!(line(libc::SYS_pidfd_getfd, &[f, 999, 0], r), exp(&format!("pidfd_getfd({f}, 999, 0)"), EBADF));
        assert_eq!(line(libc::SYS_pidfd_getfd, &[f, 0, 1], -22), exp(&format!("pidfd_getfd({f}, 0, 0x1)"), EINVAL));
        assert_eq!(line(libc::SYS_pidfd_getfd, &[f, 0, 0], 7), exp(&format!("pidfd_getfd({f}, 0, 0)"), "7"));
        let _ = crate::sys::close(fd as i32);
    }

    #[test]
    fn process_vm_iovecs_match_strace() {
        let pid = crate::sys::getpid() as usize;
        let src = *b"abcdefg\0";
        let mut dst = [0u8; 8];
        let l = [libc::iovec { iov_base: dst.as_mut_ptr().cast(), iov_len: 4 }];
        let r = [libc::iovec { iov_base: src.as_ptr() as *mut _, iov_len: 4 }];
        let (la, ra) = (l.as_ptr() as usize, r.as_ptr() as usize);
        let (d, s) = (dst.as_ptr() as usize, src.as_ptr() as usize);
        let a = [pid, la, 1, ra, 1, 0];
        let n = sc(libc::SYS_process_vm_readv, &a);
        assert_eq!(n, 4);
        assert_eq!(
            line(libc::SYS_process_vm_readv, &a, n),
            exp(&format!("process_vm_readv({pid}, [{{iov_base=\"abcd\", iov_len=4}}], 1, [{{iov_base={s:#x}, iov_len=4}}], 1, 0)"), "4")
        );
        // Failed: the local buffers print as addresses too.
        assert_eq!(
            line(libc::SYS_process_vm_readv, &[pid, la, 1, ra, 1, 1], -22),
            exp(&format!("process_vm_readv({pid}, [{{iov_base={d:#x}, iov_len=4}}], 1, [{{iov_base={s:#x}, iov_len=4}}], 1, 1)"), EINVAL)
        );
        assert_eq!(
            line(libc::SYS_process_vm_readv, &[pid, BAD, 1, ra, 1, 0], -14),
            exp(&format!("process_vm_readv({pid}, 0x10, 1, [{{iov_base={s:#x}, iov_len=4}}], 1, 0)"), EFAULT)
        );
        // writev: the local bytes print even when the call fails.
        let l2 = [libc::iovec { iov_base: src.as_ptr() as *mut _, iov_len: 3 }];
        let w = [pid, l2.as_ptr() as usize, 1, BAD, 1, 0];
        let r = sc(libc::SYS_process_vm_writev, &w);
        assert_eq!(
            line(libc::SYS_process_vm_writev, &w, r),
            exp(&format!("process_vm_writev({pid}, [{{iov_base=\"abc\", iov_len=3}}], 1, 0x10, 1, 0)"), EFAULT)
        );
    }

    #[test]
    fn memory_policies_match_strace() {
        let (mut got_mode, mut got_nm) = (-1i32, [0u64; 2]);
        let r = sc(libc::SYS_get_mempolicy, &[pm(&mut got_mode), pm(&mut got_nm), 128, 0, 0]);
        assert_eq!(r, 0);
        // The decoder shows what it reads back; these are fixed, whatever this machine's policy.
        let (mode, nm) = (2i32, [1u64, 0]);
        let (ma, na) = (p(&mode), p(&nm));
        let a = [ma, na, 128, 0, 0];
        assert_eq!(
            line(libc::SYS_get_mempolicy, &a, 0),
            exp("get_mempolicy([MPOL_BIND], [0x00000000000001, 0000000000000000], 128, NULL, 0)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_get_mempolicy, &[ma, na, 128, 0, 3], 0, XlatStyle::Verbose),
            exp(
                "get_mempolicy([0x2 /* MPOL_BIND */], [0x00000000000001, 0000000000000000], 128, NULL, 0x3 /* MPOL_F_NODE|MPOL_F_ADDR */)",
                "0"
            )
        );
        // Failed: both outputs print as addresses; one bit of mask is no word.
        assert_eq!(
            line(libc::SYS_get_mempolicy, &[ma, na, 128, 0, 8], -22),
            exp(&format!("get_mempolicy({ma:#x}, {na:#x}, 128, NULL, 0x8 /* MPOL_??? */)"), EINVAL)
        );
        assert_eq!(
            line(libc::SYS_get_mempolicy, &[ma, na, 1, 0, 0], 0),
            exp(&format!("get_mempolicy([MPOL_BIND], {na:#x}, 1, NULL, 0)"), "0")
        );
        let r = sc(libc::SYS_get_mempolicy, &[BAD, BAD, 128, 0, 0]);
        assert_eq!(
            line(libc::SYS_get_mempolicy, &[BAD, BAD, 128, 0, 0], r),
            exp("get_mempolicy(0x10, 0x10, 128, NULL, 0)", EFAULT)
        );

        let one = 1u64;
        let o = p(&one);
        assert_eq!(
            line(libc::SYS_set_mempolicy, &[2, o, 64], 0),
            exp("set_mempolicy(MPOL_BIND, [0x00000000000001], 64)", "0")
        );
        assert_eq!(line(libc::SYS_set_mempolicy, &[0, 0, 0], 0), exp("set_mempolicy(MPOL_DEFAULT, NULL, 0)", "0"));
        assert_eq!(
            line(libc::SYS_set_mempolicy, &[5, BAD, 1024], -14),
            exp("set_mempolicy(MPOL_PREFERRED_MANY, 0x10, 1024)", EFAULT)
        );
        assert_eq!(
            line(libc::SYS_set_mempolicy, &[0x8063, o, 64], -22),
            exp("set_mempolicy(MPOL_F_STATIC_NODES|0x63, [0x00000000000001], 64)", EINVAL)
        );
        assert_eq!(
            line_x(libc::SYS_set_mempolicy, &[0x8063, o, 64], -22, XlatStyle::Verbose),
            exp("set_mempolicy(0x8063 /* MPOL_F_STATIC_NODES|0x63 */, [0x00000000000001], 64)", EINVAL)
        );
        assert_eq!(
            line(libc::SYS_set_mempolicy, &[0x4001, o, 64], 0),
            exp("set_mempolicy(MPOL_PREFERRED|MPOL_F_RELATIVE_NODES, [0x00000000000001], 64)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_set_mempolicy, &[0x2003, o, 65], -22, XlatStyle::Verbose),
            exp("set_mempolicy(0x2003 /* MPOL_INTERLEAVE|MPOL_F_NUMA_BALANCING */, [0x00000000000001], 65)", EINVAL)
        );
        assert_eq!(
            line_x(libc::SYS_set_mempolicy, &[0x4001, o, 64], 0, XlatStyle::Raw),
            exp("set_mempolicy(0x4001, [0x00000000000001], 64)", "0")
        );
        // More words than -s: cut with `...`.
        let big = [u64::MAX; 40];
        let words = vec!["0xffffffffffffffff"; 32].join(", ");
        assert_eq!(
            line(libc::SYS_set_mempolicy, &[4, p(&big), 64 * 40], -22),
            exp(&format!("set_mempolicy(MPOL_LOCAL, [{words}, ...], 2560)"), EINVAL)
        );

        let m = 0x7f00_0000_0000usize;
        assert_eq!(
            line(libc::SYS_mbind, &[m, 8192, 2, o, 64, 1], 0),
            exp(&format!("mbind({m:#x}, 8192, MPOL_BIND, [0x00000000000001], 64, MPOL_MF_STRICT)"), "0")
        );
        assert_eq!(
            line(libc::SYS_mbind, &[m, 8192, 77, o, 64, 0x10], -22),
            exp(
                &format!("mbind({m:#x}, 8192, 0x4d /* MPOL_??? */, [0x00000000000001], 64, 0x10 /* MPOL_??? */)"),
                EINVAL
            )
        );
        assert_eq!(
            line(libc::SYS_migrate_pages, &[usize::MAX, 64, o, BAD], -3),
            exp("migrate_pages(-1, 64, [0x00000000000001], 0x10)", "-1 ESRCH (No such process)")
        );
    }

    #[test]
    fn move_pages_status_matches_strace() {
        let pages = [0x7f00_0000_0000u64, 0x7f00_0000_1000];
        let nodes = [0i32, 0];
        let status = [0i32, -2];
        let (pa, na, sa) = (p(&pages), p(&nodes), p(&status));
        assert_eq!(
            line(libc::SYS_move_pages, &[0, 2, pa, na, sa, 2], 0),
            exp("move_pages(0, 2, [0x7f0000000000, 0x7f0000001000], [0, 0], [0, -ENOENT], MPOL_MF_MOVE)", "0")
        );
        assert_eq!(
            line_x(libc::SYS_move_pages, &[0, 2, pa, 0, sa, 0], 0, XlatStyle::Verbose),
            exp("move_pages(0, 2, [0x7f0000000000, 0x7f0000001000], NULL, [0, -2 /* -ENOENT */], 0)", "0")
        );
        assert_eq!(
            line(libc::SYS_move_pages, &[0, 2, pa, 0, sa, 8], -22),
            exp(
                &format!("move_pages(0, 2, [0x7f0000000000, 0x7f0000001000], NULL, {sa:#x}, 0x8 /* MPOL_??? */)"),
                EINVAL
            )
        );
        assert_eq!(
            line(libc::SYS_move_pages, &[0, 2, BAD, 0, sa, 0], -14),
            exp(&format!("move_pages(0, 2, 0x10, NULL, {sa:#x}, 0)"), EFAULT)
        );
        assert_eq!(
            line(libc::SYS_set_mempolicy_home_node, &[0x7f00_0000_0000, 8192, 0, 1], -22),
            exp("set_mempolicy_home_node(0x7f0000000000, 8192, 0, 0x1)", EINVAL)
        );
    }

    #[test]
    fn kcmp_indexes_follow_the_type() {
        let pid = crate::sys::getpid() as usize;
        let r = sc(libc::SYS_kcmp, &[pid, pid, 0, 1, 1]);
        // Without CONFIG_KCMP the call is missing; the line is the same either way.
        let res = if r == 0 { "0".to_string() } else { "-1 ENOSYS (Function not implemented)".to_string() };
        assert_eq!(
            line(libc::SYS_kcmp, &[pid, pid, 0, 1, 1], r),
            exp(&format!("kcmp({pid}, {pid}, KCMP_FILE, 1, 1)"), &res)
        );
        assert_eq!(line(libc::SYS_kcmp, &[pid, pid, 1, 5, 6], 0), exp(&format!("kcmp({pid}, {pid}, KCMP_VM)"), "0"));
        assert_eq!(
            line_x(libc::SYS_kcmp, &[pid, pid, 5, 0, 0], 0, XlatStyle::Verbose),
            exp(&format!("kcmp({pid}, {pid}, 0x5 /* KCMP_IO */)"), "0")
        );
        assert_eq!(
            line(libc::SYS_kcmp, &[pid, pid, 99, 5, 0x1234], -22),
            exp(&format!("kcmp({pid}, {pid}, 0x63 /* KCMP_??? */, 0x5, 0x1234)"), EINVAL)
        );
        let slot = [5u32, 6, 0];
        assert_eq!(
            line(libc::SYS_kcmp, &[pid, pid, 7, 6, p(&slot)], -2),
            exp(
                &format!("kcmp({pid}, {pid}, KCMP_EPOLL_TFD, 6, {{efd=5, tfd=6, toff=0}})"),
                "-1 ENOENT (No such file or directory)"
            )
        );
        assert_eq!(
            line(libc::SYS_kcmp, &[pid, pid, 7, 0, BAD], -14),
            exp(&format!("kcmp({pid}, {pid}, KCMP_EPOLL_TFD, 0, 0x10)"), EFAULT)
        );
    }

    /// A `struct sched_attr` of 56 bytes (and room after it).
    fn sched_attr(size: u32, policy: u32, flags: u64, runtime: u64) -> [u64; 12] {
        let mut a = [0u64; 12];
        a[0] = size as u64 | (policy as u64) << 32;
        a[1] = flags;
        a[3] = runtime;
        a
    }

    #[test]
    fn sched_attr_matches_strace() {
        let mut got = [0u64; 12];
        let r = sc(libc::SYS_sched_getattr, &[0, pm(&mut got), 56, 0]);
        assert_eq!(r, 0);
        let a = sched_attr(56, 0, 0, 1_400_000);
        let full = "{size=56, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0}";
        assert_eq!(
            line(libc::SYS_sched_getattr, &[0, p(&a), 56, 0], 0),
            exp(&format!("sched_getattr(0, {full}, 56, 0)"), "0")
        );
        assert_eq!(line(libc::SYS_sched_setattr, &[0, p(&a), 0], 0), exp(&format!("sched_setattr(0, {full}, 0)"), "0"));
        let v0 = sched_attr(48, 0, 0, 1_400_000);
        assert_eq!(
            line(libc::SYS_sched_getattr, &[0, p(&v0), 48, 0], 0),
            exp("sched_getattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0}, 48, 0)", "0")
        );
        // Failed: the buffer prints as its address.
        assert_eq!(
            line(libc::SYS_sched_getattr, &[0, p(&a), 8, 0], -22),
            exp(&format!("sched_getattr(0, {:#x}, 8, 0)", p(&a)), EINVAL)
        );
        let r = sc(libc::SYS_sched_getattr, &[0, BAD, 56, 0]);
        assert_eq!(line(libc::SYS_sched_getattr, &[0, BAD, 56, 0], r), exp("sched_getattr(0, 0x10, 56, 0)", EFAULT));
        assert_eq!(line(libc::SYS_sched_setattr, &[0, BAD, 0], -14), exp("sched_setattr(0, 0x10, 0)", EFAULT));
        assert_eq!(line(libc::SYS_sched_setattr, &[0, 0, 0], -22), exp("sched_setattr(0, NULL, 0)", EINVAL));
        let bad = sched_attr(48, 99, 3, 0);
        assert_eq!(
            line_x(libc::SYS_sched_setattr, &[0, p(&bad), 1], -22, XlatStyle::Verbose),
            exp("sched_setattr(0, {size=48, sched_policy=0x63 /* SCHED_??? */, sched_flags=0x3 /* SCHED_FLAG_RESET_ON_FORK|SCHED_FLAG_RECLAIM */, sched_nice=0, sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0}, 1)", EINVAL)
        );
        // The flags that keep the policy and the parameters leave them out.
        let keep = sched_attr(56, 6, 0xff, 0);
        assert_eq!(
            line(libc::SYS_sched_setattr, &[0, p(&keep), 0], -22),
            exp("sched_setattr(0, {size=56, sched_flags=SCHED_FLAG_RESET_ON_FORK|SCHED_FLAG_RECLAIM|SCHED_FLAG_DL_OVERRUN|SCHED_FLAG_KEEP_POLICY|SCHED_FLAG_KEEP_PARAMS|SCHED_FLAG_UTIL_CLAMP_MIN|SCHED_FLAG_UTIL_CLAMP_MAX|0x80, sched_util_min=0, sched_util_max=0}, 0)", EINVAL)
        );
        // Size 0 means the first version; a size too small shows alone.
        let zero = sched_attr(0, 0, 0, 0);
        assert_eq!(
            line(libc::SYS_sched_setattr, &[0, p(&zero), 0], 0),
            exp("sched_setattr(0, {size=0, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0}, 0)", "0")
        );
        // E2BIG: the kernel writes its own size back; strace shows it after the size passed,
        // which the entry phase read before the call.
        let mut small = sched_attr(20, 0, 0, 0);
        assert_eq!(
            traced_call(libc::SYS_sched_setattr, &[0, pm(&mut small), 0]),
            "sched_setattr(0, {size=20} => {size=56}, 0)"
        );
        assert_eq!(small[0] as u32, 56);
        let mut big = sched_attr(100, 0, 0, 0);
        big[11] = 1; // a non-zero byte past what the kernel knows
        assert_eq!(
            traced_call(libc::SYS_sched_setattr, &[0, pm(&mut big), 0]),
            "sched_setattr(0, {size=100, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0, ...} => {size=56}, 0)"
        );
    }

    /// The call made between its entry and exit phases, as the tracer does: its line without
    /// the result.
    fn traced_call(nr: libc::c_long, a: &[usize]) -> String {
        use crate::trace::decode::{decode, decode_with, Phase};
        let opts = TraceOpts::default();
        let mut buf = vec![0u8; 4096];
        let mut o = crate::trace::out::Out::new(&mut buf);
        let entry = decode(&mut o, nr as usize, args(a), 0, Phase::Entry, &opts);
        let r = sc(nr, a);
        decode_with(&mut o, nr as usize, args(a), r, Phase::Exit, &opts, entry.carried);
        String::from_utf8_lossy(o.as_bytes()).into_owned()
    }

    #[test]
    fn ioprio_matches_strace() {
        let r = sc(libc::SYS_ioprio_get, &[9, 0]);
        assert_eq!(line(libc::SYS_ioprio_get, &[9, 0], r), exp("ioprio_get(0x9 /* IOPRIO_WHO_??? */, 0)", EINVAL));
        assert_eq!(
            line(libc::SYS_ioprio_get, &[1, 0], 16388),
            exp("ioprio_get(IOPRIO_WHO_PROCESS, 0)", "16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))")
        );
        assert_eq!(
            line_x(libc::SYS_ioprio_get, &[3, 0], 8196, XlatStyle::Verbose),
            exp("ioprio_get(0x3 /* IOPRIO_WHO_USER */, 0)", "8196 (IOPRIO_PRIO_VALUE(0x1 /* IOPRIO_CLASS_RT */, 4))")
        );
        assert_eq!(line_x(libc::SYS_ioprio_get, &[1, 0], 16388, XlatStyle::Raw), exp("ioprio_get(0x1, 0)", "16388"));
        assert_eq!(
            line(libc::SYS_ioprio_set, &[2, 0, (7 << 13) | 4], -22),
            exp("ioprio_set(IOPRIO_WHO_PGRP, 0, IOPRIO_PRIO_VALUE(0x7 /* IOPRIO_CLASS_??? */, 4))", EINVAL)
        );
        assert_eq!(
            line_x(libc::SYS_ioprio_set, &[1, 0, 0], 0, XlatStyle::Verbose),
            exp(
                "ioprio_set(0x1 /* IOPRIO_WHO_PROCESS */, 0, 0 /* IOPRIO_PRIO_VALUE(0 /* IOPRIO_CLASS_NONE */, 0) */)",
                "0"
            )
        );
        assert_eq!(
            line_x(libc::SYS_ioprio_set, &[3, usize::MAX, 3 << 13], -3, XlatStyle::Raw),
            exp("ioprio_set(0x3, -1, 24576)", "-1 ESRCH (No such process)")
        );
    }

    #[test]
    fn seccomp_matches_strace() {
        let act = 0x7fff_0000u32;
        let r = sc(libc::SYS_seccomp, &[2, 0, p(&act)]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_seccomp, &[2, 0, p(&act)], 0),
            exp("seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_ALLOW])", "0")
        );
        assert_eq!(
            line_x(libc::SYS_seccomp, &[2, 0, p(&act)], 0, XlatStyle::Verbose),
            exp("seccomp(0x2 /* SECCOMP_GET_ACTION_AVAIL */, 0, [0x7fff0000 /* SECCOMP_RET_ALLOW */])", "0")
        );
        let odd = 0x12345u32;
        assert_eq!(
            line(libc::SYS_seccomp, &[2, 0, p(&odd)], -95),
            exp(
                "seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [0x12345 /* SECCOMP_RET_??? */])",
                "-1 EOPNOTSUPP (Operation not supported)"
            )
        );
        let mut sizes = [0u16; 3];
        let r = sc(libc::SYS_seccomp, &[3, 0, pm(&mut sizes)]);
        assert_eq!(r, 0);
        let shown = [80u16, 24, 64];
        assert_eq!(
            line(libc::SYS_seccomp, &[3, 0, p(&shown)], 0),
            exp("seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=80, seccomp_notif_resp=24, seccomp_data=64})", "0")
        );
        assert_eq!(
            line(libc::SYS_seccomp, &[3, 7, p(&shown)], -22),
            exp(&format!("seccomp(SECCOMP_GET_NOTIF_SIZES, 0x7, {:#x})", p(&shown)), EINVAL)
        );
        assert_eq!(
            line(libc::SYS_seccomp, &[99, 0, 0], -22),
            exp("seccomp(0x63 /* SECCOMP_SET_MODE_??? */, 0, NULL)", EINVAL)
        );
        assert_eq!(
            line(libc::SYS_seccomp, &[1, 0, BAD], -14),
            exp("seccomp(SECCOMP_SET_MODE_FILTER, 0, 0x10)", EFAULT)
        );
        assert_eq!(
            line(libc::SYS_seccomp, &[1, 0xff, BAD], -22),
            exp("seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC|SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW|SECCOMP_FILTER_FLAG_NEW_LISTENER|SECCOMP_FILTER_FLAG_TSYNC_ESRCH|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV|0xc0, 0x10)", EINVAL)
        );
    }

    #[test]
    fn descriptors_match_strace() {
        let enosys = "-1 ENOSYS (Function not implemented)";
        let ud = [u32::MAX, 0x1000, 0xfffff, 0x51];
        assert_eq!(
            line(libc::SYS_set_thread_area, &[p(&ud)], -38),
            exp("set_thread_area({entry_number=-1, base_addr=0x001000, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1, lm=0})", enosys)
        );
        assert_eq!(line(libc::SYS_set_thread_area, &[BAD], -14), exp("set_thread_area(0x10)", EFAULT));
        let asked = [12u32, 0, 0, 0];
        assert_eq!(
            line(libc::SYS_get_thread_area, &[p(&asked)], -38),
            exp("get_thread_area({entry_number=12, ...})", enosys)
        );
        assert_eq!(line(libc::SYS_get_thread_area, &[BAD], -38), exp("get_thread_area(0x10)", enosys));
        let empty = [0u32, 0, 0, 0x28];
        assert_eq!(
            line(libc::SYS_modify_ldt, &[0x11, p(&empty), 16], 0),
            exp("modify_ldt(17, {entry_number=0, base_addr=00000000, limit=00000000, seg_32bit=0, contents=0, read_exec_only=1, limit_in_pages=0, seg_not_present=1, useable=0, lm=0}, 16)", "0")
        );
        // The kernel's int result, zero-extended: strace prints it unsigned with the error.
        let r = sc(libc::SYS_modify_ldt, &[1, BAD, 16]);
        assert_eq!(r, 0xffff_fff2);
        assert_eq!(
            line(libc::SYS_modify_ldt, &[1, BAD, 16], r),
            exp("modify_ldt(1, 0x10, 16)", "4294967282 EFAULT (Bad address)")
        );
        let r = sc(libc::SYS_modify_ldt, &[5, 0, 0]);
        assert_eq!(
            line(libc::SYS_modify_ldt, &[5, 0, 0], r),
            exp("modify_ldt(5, NULL, 0)", "4294967258 ENOSYS (Function not implemented)")
        );
        let buf = [0u8; 64];
        assert_eq!(
            line(libc::SYS_modify_ldt, &[2, p(&buf), 64], 64),
            exp(&format!("modify_ldt(2, {:#x}, 64)", p(&buf)), "64")
        );
    }

    #[test]
    fn pidfd_memory_pkeys_and_fds_match_strace() {
        let page = 0x7f00_0000_0000usize;
        let iov = [libc::iovec { iov_base: page as *mut _, iov_len: 4096 }];
        assert_eq!(
            line(libc::SYS_process_madvise, &[3, p(&iov), 1, 20, 0], 4096),
            exp(&format!("process_madvise(3, [{{iov_base={page:#x}, iov_len=4096}}], 1, MADV_COLD, 0)"), "4096")
        );
        assert_eq!(
            line_x(libc::SYS_process_madvise, &[3, p(&iov), 1, 20, 1], -22, XlatStyle::Verbose),
            exp(
                &format!("process_madvise(3, [{{iov_base={page:#x}, iov_len=4096}}], 1, 0x14 /* MADV_COLD */, 0x1)"),
                EINVAL
            )
        );
        assert_eq!(
            line(libc::SYS_process_madvise, &[3, BAD, 1, 12345, 0], -14),
            exp("process_madvise(3, 0x10, 1, 0x3039 /* MADV_??? */, 0)", EFAULT)
        );
        let r = sc(libc::SYS_process_mrelease, &[usize::MAX, 0]);
        assert_eq!(line(libc::SYS_process_mrelease, &[usize::MAX, 0], r), exp("process_mrelease(-1, 0)", EBADF));
        assert_eq!(line(libc::SYS_process_mrelease, &[3, 1], -22), exp("process_mrelease(3, 0x1)", EINVAL));
        assert_eq!(
            line(libc::SYS_pkey_alloc, &[0, 3], 1),
            exp("pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE)", "1")
        );
        assert_eq!(line(libc::SYS_pkey_alloc, &[1, 0], -22), exp("pkey_alloc(0x1, 0)", EINVAL));
        assert_eq!(line(libc::SYS_pkey_alloc, &[0, 8], -22), exp("pkey_alloc(0, 0x8 /* PKEY_??? */)", EINVAL));
        let r = sc(libc::SYS_pkey_free, &[99]);
        assert_eq!(line(libc::SYS_pkey_free, &[99], r), exp("pkey_free(99)", EINVAL));
        assert_eq!(line(libc::SYS_memfd_secret, &[0], 5), exp("memfd_secret(0)", "5"));
        assert_eq!(line(libc::SYS_memfd_secret, &[0x80001], -22), exp("memfd_secret(O_CLOEXEC|0x1)", EINVAL));
        assert_eq!(line(libc::SYS_memfd_secret, &[1], -22), exp("memfd_secret(0x1)", EINVAL));
        assert_eq!(
            line_x(libc::SYS_memfd_secret, &[0x80000], 5, XlatStyle::Verbose),
            exp("memfd_secret(0x80000 /* O_CLOEXEC */)", "5")
        );
        assert_eq!(line(libc::SYS_userfaultfd, &[0x80800], 5), exp("userfaultfd(O_NONBLOCK|O_CLOEXEC)", "5"));
        assert_eq!(line(libc::SYS_userfaultfd, &[0x80001], 5), exp("userfaultfd(UFFD_USER_MODE_ONLY|O_CLOEXEC)", "5"));
        assert_eq!(line(libc::SYS_userfaultfd, &[2], -22), exp("userfaultfd(0x2 /* UFFD_??? */)", EINVAL));
        assert_eq!(line_x(libc::SYS_userfaultfd, &[0x80800], 5, XlatStyle::Raw), exp("userfaultfd(0x80800)", "5"));
    }

    #[test]
    fn restart_syscall_without_a_traced_call_before() {
        // No tracer thread state in unit tests: strace's words for a thread with no call before.
        assert_eq!(
            line(libc::SYS_restart_syscall, &[], -4),
            exp("restart_syscall(<... resuming interrupted system call ...>)", "-1 EINTR (Interrupted system call)")
        );
    }
}
