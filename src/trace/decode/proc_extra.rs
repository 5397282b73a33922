//! Decoders: the newer process and memory-policy calls (rseq, namespaces, pidfds, cross-process
//! memory, NUMA policies, I/O priorities, seccomp, LDT and TLS descriptors, protection keys); see
//! the module docs of `decode` for the pattern.
//!
//! They reuse the printers of `process` (clone flags, signals, siginfo, madvise advice) and
//! `file` (iovec arrays). Every form here was checked against strace 6.1's own output, including
//! its quirks (modify_ldt's unsigned error results, `%#016lx` node masks, `%#08x` descriptor
//! fields), which are kept because the point is byte-for-byte equality.

use core::fmt::Write;

use super::common::{abbrev, fetch, lookup_name, out_skip, print_array, xflags, xstyle, xval, Xlat};
use super::file::print_iov;
use super::process::{print_siginfo_at, print_signal, CLONE_FLAGS};
use super::{DecodeFn, Decoder, Ret};
use crate::sys;
use crate::trace::out::Out;
use crate::trace::TraceOpts;

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

fn pidfd_getfd(d: &mut Decoder) {
    d.fd(0);
    d.int(1);
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
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Each expected line is what strace 6.1 printed for the same call (the calls of
    //! tests/fixtures/trace_proc_extra.c), with this run's addresses, pids and values filled in.

    use crate::trace::{render_line, TraceOpts, XlatStyle};

    fn sc(nr: libc::c_long, a: &[usize]) -> isize {
        crate::arch::syscall6(nr as usize, args(a))
    }

    fn args(a: &[usize]) -> [usize; 6] {
        let mut args = [0usize; 6];
        args[..a.len()].copy_from_slice(a);
        args
    }

    fn line(nr: libc::c_long, a: &[usize], ret: isize) -> String {
        render_line(nr as usize, args(a), ret, &TraceOpts::default())
    }

    fn line_x(nr: libc::c_long, a: &[usize], ret: isize, xlat: XlatStyle) -> String {
        render_line(nr as usize, args(a), ret, &TraceOpts { xlat, ..TraceOpts::default() })
    }

    /// The line strace prints: the call padded to column 40, then the result.
    fn exp(call: &str, result: &str) -> String {
        format!("{call:<39} = {result}")
    }

    fn p<T>(v: &T) -> usize {
        v as *const T as usize
    }

    /// The address of a buffer the kernel writes.
    fn pm<T>(v: &mut T) -> usize {
        v as *mut T as usize
    }

    const BAD: usize = 0x10;
    const EFAULT: &str = "-1 EFAULT (Bad address)";
    const EINVAL: &str = "-1 EINVAL (Invalid argument)";
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
}
