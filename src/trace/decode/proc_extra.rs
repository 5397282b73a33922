//! Decoders: the newer process and memory-policy calls (rseq, namespaces, pidfds, cross-process
//! memory, NUMA policies, I/O priorities, seccomp, LDT and TLS descriptors, protection keys); see
//! the module docs of `decode` for the pattern.
//!
//! They reuse the printers of `process` (clone flags, signals, siginfo, madvise advice) and
//! `file` (iovec arrays). Every form here was checked against strace 6.1's own output, including
//! its quirks (modify_ldt's unsigned error results, `%#016lx` node masks, `%#08x` descriptor
//! fields), which are kept because the point is byte-for-byte equality.

use super::common::Xlat;
use super::file::print_iov;
use super::process::{print_siginfo_at, print_signal, CLONE_FLAGS};
use super::{DecodeFn, Decoder, Ret};

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
}
