//! Decoders: the file family (see the module docs of `decode` for the pattern).
//!
//! Flag sets and named constants go through `common`'s [`xflags`] / [`xval`], which follow
//! strace's `printflags_ex` / `printxvals_ex` for every `-X` style. Tables keep strace's order:
//! it decides which names print first.

use core::fmt::Write;

use super::common::{
    abbrev, comment, fetch, lookup_name, print_array, print_dirfd, print_fd, print_id, print_num_i32, xflags, xstyle,
    xval, Xlat,
};
use super::fs_extra::{carry_offsets, print_offset};
use super::process::{print_clockid, print_itimerspec_at, print_time_utc, print_timespec, print_timeval};
use super::{DecodeFn, Decoder, Phase, Ret};
use crate::sys;
use crate::trace::out::Out;
use crate::trace::{TraceOpts, XlatStyle};

// ---------------------------------------------------------------------------------------------
// Value printers shared by the decoders below.

/// An output pointer the call filled: its address when the call failed (`NULL` for 0), else
/// whatever `f` makes of it.
fn out_ptr(d: &mut Decoder, f: impl FnOnce(&mut Out, &TraceOpts, usize)) {
    let failed = d.failed();
    d.with(|o, opts, a| if failed { o.ptr(a) } else { f(o, opts, a) });
}

fn dirfd(d: &mut Decoder) {
    d.with(|o, opts, v| print_dirfd(o, opts, v as i32));
}

/// `print_numeric_umode_t`: the mode as a C `unsigned short` in `%#03o`.
fn umode(d: &mut Decoder) {
    d.with(|o, _, v| o.octal(v as u16 as u64));
}

/// `print_symbolic_mode_t`: `S_IFREG|S_ISUID|0755`.
fn print_symbolic_mode(o: &mut Out, opts: &TraceOpts, mode: u32) {
    let ifmt = if mode & libc::S_IFMT != 0 {
        MODE_TYPES.iter().find(|(t, _)| *t == (mode & libc::S_IFMT) as u64).map(|(_, n)| *n)
    } else {
        Some("")
    };
    if ifmt.is_none() || opts.xlat != XlatStyle::Abbrev {
        o.octal(mode as u64);
    }
    let Some(ifmt) = ifmt else { return };
    if opts.xlat == XlatStyle::Raw {
        return;
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" /* ");
    }
    o.s(ifmt);
    if !ifmt.is_empty() {
        o.byte(b'|');
    }
    for (bit, name) in [(libc::S_ISUID, "S_ISUID|"), (libc::S_ISGID, "S_ISGID|"), (libc::S_ISVTX, "S_ISVTX|")] {
        if mode & bit != 0 {
            o.s(name);
        }
    }
    o.octal((mode & !(libc::S_IFMT | libc::S_ISUID | libc::S_ISGID | libc::S_ISVTX)) as u64);
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

/// glibc's `major()`/`minor()` of a 64-bit dev_t.
fn dev_major_minor(dev: u64) -> (u64, u64) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major, minor)
}

/// `makedev(0x1, 0x3)` (-X raw: the number; -X verbose: both).
fn print_dev(o: &mut Out, opts: &TraceOpts, dev: u64) {
    if opts.xlat != XlatStyle::Abbrev {
        o.hex(dev);
        if opts.xlat == XlatStyle::Raw {
            return;
        }
        o.s(" /* ");
    }
    let (ma, mi) = dev_major_minor(dev);
    o.s("makedev(");
    o.hex(ma);
    o.s(", ");
    o.hex(mi);
    o.byte(b')');
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

/// strace's `sprinttime_ex` in a comment: ` /* 2001-09-09T01:46:40.000000005+0000 */`. Printed
/// in UTC: the handler cannot read the time zone database (strace uses local time).
fn time_comment(o: &mut Out, sec: i64, part: u64, width: usize) {
    let max = if width == 9 { 999_999_999 } else { 999_999 };
    if (sec == 0 && part == 0) || part > max {
        return;
    }
    o.s(" /* ");
    print_time_utc(o, sec, part, width);
    o.s(" */");
}

/// An iovec array (strace's `tprint_iov_upto`). `data`: the bytes to show in total (readv's
/// result, `usize::MAX` for writev), `None` to show only the addresses (a failed read).
pub fn print_iov(o: &mut Out, opts: &TraceOpts, addr: usize, count: usize, data: Option<usize>) {
    let mut budget = data.unwrap_or(0);
    print_array(o, opts, addr, count as u64, 16, |o, cur, _| {
        let Ok(iov) = sys::read_val::<[usize; 2]>(cur) else { return false };
        o.s("{iov_base=");
        if data.is_some() {
            let n = iov[1].min(budget);
            budget -= n;
            o.mem_str(iov[0], n, opts);
        } else {
            o.ptr(iov[0]);
        }
        let _ = write!(o, ", iov_len={}}}", iov[1]);
        true
    });
}

// ---------------------------------------------------------------------------------------------
// Tables (x86-64 values, strace's order).

const OPEN_ACCESS: Xlat = &[(0, "O_RDONLY"), (1, "O_WRONLY"), (2, "O_RDWR"), (3, "O_ACCMODE")];

const OPEN_FLAGS: Xlat = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o4000000, "__O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o20000000, "__O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
];

const O_CREAT_OR_TMPFILE: u64 = 0o100 | 0o20000000;

const RESOLVE_FLAGS: Xlat = &[
    (1, "RESOLVE_NO_XDEV"),
    (2, "RESOLVE_NO_MAGICLINKS"),
    (4, "RESOLVE_NO_SYMLINKS"),
    (8, "RESOLVE_BENEATH"),
    (0x10, "RESOLVE_IN_ROOT"),
    (0x20, "RESOLVE_CACHED"),
];

const SEEK_WHENCE: Xlat = &[(0, "SEEK_SET"), (1, "SEEK_CUR"), (2, "SEEK_END"), (3, "SEEK_DATA"), (4, "SEEK_HOLE")];

const RWF_FLAGS: Xlat = &[(1, "RWF_HIPRI"), (2, "RWF_DSYNC"), (4, "RWF_SYNC"), (8, "RWF_NOWAIT"), (0x10, "RWF_APPEND")];

const CLOSE_RANGE_FLAGS: Xlat = &[(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")];

const AT_FLAGS: Xlat = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
];

const FACCESSAT_FLAGS: Xlat = &[(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_EACCESS"), (0x1000, "AT_EMPTY_PATH")];

const STATX_SYNC: Xlat =
    &[(0, "AT_STATX_SYNC_AS_STAT"), (0x2000, "AT_STATX_FORCE_SYNC"), (0x4000, "AT_STATX_DONT_SYNC")];

const STATX_MASKS: Xlat = &[
    (0xfff, "STATX_ALL"),
    (0x7ff, "STATX_BASIC_STATS"),
    (1, "STATX_TYPE"),
    (2, "STATX_MODE"),
    (4, "STATX_NLINK"),
    (8, "STATX_UID"),
    (0x10, "STATX_GID"),
    (0x20, "STATX_ATIME"),
    (0x40, "STATX_MTIME"),
    (0x80, "STATX_CTIME"),
    (0x100, "STATX_INO"),
    (0x200, "STATX_SIZE"),
    (0x400, "STATX_BLOCKS"),
    (0x800, "STATX_BTIME"),
    (0x1000, "STATX_MNT_ID"),
    (0x2000, "STATX_DIOALIGN"),
];

const STATX_ATTRS: Xlat = &[
    (0x4, "STATX_ATTR_COMPRESSED"),
    (0x10, "STATX_ATTR_IMMUTABLE"),
    (0x20, "STATX_ATTR_APPEND"),
    (0x40, "STATX_ATTR_NODUMP"),
    (0x800, "STATX_ATTR_ENCRYPTED"),
    (0x1000, "STATX_ATTR_AUTOMOUNT"),
    (0x2000, "STATX_ATTR_MOUNT_ROOT"),
    (0x100000, "STATX_ATTR_VERITY"),
    (0x200000, "STATX_ATTR_DAX"),
];

const ACCESS_MODES: Xlat = &[(0, "F_OK"), (4, "R_OK"), (2, "W_OK"), (1, "X_OK")];

const RENAME_FLAGS: Xlat = &[(1, "RENAME_NOREPLACE"), (2, "RENAME_EXCHANGE"), (4, "RENAME_WHITEOUT")];

const MODE_TYPES: Xlat = &[
    (0o100000, "S_IFREG"),
    (0o140000, "S_IFSOCK"),
    (0o10000, "S_IFIFO"),
    (0o120000, "S_IFLNK"),
    (0o40000, "S_IFDIR"),
    (0o60000, "S_IFBLK"),
    (0o20000, "S_IFCHR"),
];

const DIRENT_TYPES: Xlat = &[
    (0, "DT_UNKNOWN"),
    (1, "DT_FIFO"),
    (2, "DT_CHR"),
    (4, "DT_DIR"),
    (6, "DT_BLK"),
    (8, "DT_REG"),
    (10, "DT_LNK"),
    (12, "DT_SOCK"),
    (14, "DT_WHT"),
];

const FCNTL_CMDS: Xlat = &[
    (0, "F_DUPFD"),
    (1, "F_GETFD"),
    (2, "F_SETFD"),
    (3, "F_GETFL"),
    (4, "F_SETFL"),
    (5, "F_GETLK"),
    (6, "F_SETLK"),
    (7, "F_SETLKW"),
    (8, "F_SETOWN"),
    (9, "F_GETOWN"),
    (10, "F_SETSIG"),
    (11, "F_GETSIG"),
    (12, "F_GETLK64"),
    (13, "F_SETLK64"),
    (14, "F_SETLKW64"),
    (15, "F_SETOWN_EX"),
    (16, "F_GETOWN_EX"),
    (17, "F_GETOWNER_UIDS"),
    (36, "F_OFD_GETLK"),
    (37, "F_OFD_SETLK"),
    (38, "F_OFD_SETLKW"),
    (1024, "F_SETLEASE"),
    (1025, "F_GETLEASE"),
    (1026, "F_NOTIFY"),
    (1029, "F_CANCELLK"),
    (1030, "F_DUPFD_CLOEXEC"),
    (1031, "F_SETPIPE_SZ"),
    (1032, "F_GETPIPE_SZ"),
    (1033, "F_ADD_SEALS"),
    (1034, "F_GET_SEALS"),
];

const FD_FLAGS: Xlat = &[(1, "FD_CLOEXEC")];

const LOCK_TYPES: Xlat = &[(0, "F_RDLCK"), (1, "F_WRLCK"), (2, "F_UNLCK"), (4, "F_EXLCK"), (8, "F_SHLCK")];

const NOTIFY_FLAGS: Xlat = &[
    (1, "DN_ACCESS"),
    (2, "DN_MODIFY"),
    (4, "DN_CREATE"),
    (8, "DN_DELETE"),
    (0x10, "DN_RENAME"),
    (0x20, "DN_ATTRIB"),
    (0x8000_0000, "DN_MULTISHOT"),
];

const SEALS: Xlat =
    &[(1, "F_SEAL_SEAL"), (2, "F_SEAL_SHRINK"), (4, "F_SEAL_GROW"), (8, "F_SEAL_WRITE"), (0x10, "F_SEAL_FUTURE_WRITE")];

const FLOCK_OPS: Xlat = &[
    (1, "LOCK_SH"),
    (2, "LOCK_EX"),
    (4, "LOCK_NB"),
    (8, "LOCK_UN"),
    (32, "LOCK_MAND"),
    (64, "LOCK_READ"),
    (128, "LOCK_WRITE"),
];

const FALLOC_FLAGS: Xlat = &[
    (1, "FALLOC_FL_KEEP_SIZE"),
    (2, "FALLOC_FL_PUNCH_HOLE"),
    (4, "FALLOC_FL_NO_HIDE_STALE"),
    (8, "FALLOC_FL_COLLAPSE_RANGE"),
    (0x10, "FALLOC_FL_ZERO_RANGE"),
    (0x20, "FALLOC_FL_INSERT_RANGE"),
    (0x40, "FALLOC_FL_UNSHARE_RANGE"),
];

const FADVICE: Xlat = &[
    (0, "POSIX_FADV_NORMAL"),
    (1, "POSIX_FADV_RANDOM"),
    (2, "POSIX_FADV_SEQUENTIAL"),
    (3, "POSIX_FADV_WILLNEED"),
    (4, "POSIX_FADV_DONTNEED"),
    (5, "POSIX_FADV_NOREUSE"),
];

const MFD_FLAGS: Xlat = &[(1, "MFD_CLOEXEC"), (2, "MFD_ALLOW_SEALING"), (4, "MFD_HUGETLB")];

const IN_INIT_FLAGS: Xlat = &[(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")];

const IN_MASK: Xlat = &[
    (0x1, "IN_ACCESS"),
    (0x2, "IN_MODIFY"),
    (0x4, "IN_ATTRIB"),
    (0x8, "IN_CLOSE_WRITE"),
    (0x10, "IN_CLOSE_NOWRITE"),
    (0x20, "IN_OPEN"),
    (0x40, "IN_MOVED_FROM"),
    (0x80, "IN_MOVED_TO"),
    (0x100, "IN_CREATE"),
    (0x200, "IN_DELETE"),
    (0x400, "IN_DELETE_SELF"),
    (0x800, "IN_MOVE_SELF"),
    (0x2000, "IN_UNMOUNT"),
    (0x4000, "IN_Q_OVERFLOW"),
    (0x8000, "IN_IGNORED"),
    (0x100_0000, "IN_ONLYDIR"),
    (0x200_0000, "IN_DONT_FOLLOW"),
    (0x400_0000, "IN_EXCL_UNLINK"),
    (0x1000_0000, "IN_MASK_CREATE"),
    (0x2000_0000, "IN_MASK_ADD"),
    (0x4000_0000, "IN_ISDIR"),
    (0x8000_0000, "IN_ONESHOT"),
];

const EFD_FLAGS: Xlat = &[(1, "EFD_SEMAPHORE"), (0o2000000, "EFD_CLOEXEC"), (0o4000, "EFD_NONBLOCK")];

const TFD_FLAGS: Xlat = &[(0o2000000, "TFD_CLOEXEC"), (0o4000, "TFD_NONBLOCK")];

const TFD_TIMER_FLAGS: Xlat = &[(1, "TFD_TIMER_ABSTIME"), (2, "TFD_TIMER_CANCEL_ON_SET")];

const STATFS_FLAGS: Xlat = &[
    (0x20, "ST_VALID"),
    (0x1, "ST_RDONLY"),
    (0x2, "ST_NOSUID"),
    (0x4, "ST_NODEV"),
    (0x8, "ST_NOEXEC"),
    (0x10, "ST_SYNCHRONOUS"),
    (0x40, "ST_MANDLOCK"),
    (0x400, "ST_NOATIME"),
    (0x800, "ST_NODIRATIME"),
    (0x1000, "ST_RELATIME"),
    (0x2000, "ST_NOSYMFOLLOW"),
];

const FS_MAGIC: Xlat = &[
    (0xef53, "EXT2_SUPER_MAGIC"),
    (0x9fa0, "PROC_SUPER_MAGIC"),
    (0x0102_1994, "TMPFS_MAGIC"),
    (0x6265_6572, "SYSFS_MAGIC"),
    (0x1cd1, "DEVPTS_SUPER_MAGIC"),
    (0x794c_7630, "OVERLAYFS_SUPER_MAGIC"),
    (0x9123_683e, "BTRFS_SUPER_MAGIC"),
    (0x5846_5342, "XFS_SUPER_MAGIC"),
    (0x6969, "NFS_SUPER_MAGIC"),
    (0x6367_7270, "CGROUP2_SUPER_MAGIC"),
    (0x27e0eb, "CGROUP_SUPER_MAGIC"),
    (0x8584_58f6, "RAMFS_MAGIC"),
    (0x6573_5546, "FUSE_SUPER_MAGIC"),
    (0x4d44, "MSDOS_SUPER_MAGIC"),
    (0x9660, "ISOFS_SUPER_MAGIC"),
    (0x7371_7368, "SQUASHFS_MAGIC"),
];

// ---------------------------------------------------------------------------------------------
// open and friends.

/// Open flags (open, openat, mq_open) styled as one value: `O_RDWR|O_CREAT|0x40000000`, -X raw
/// `0x40000042`, -X verbose the two. The text is strace's `sprint_open_modes`, always abbreviated.
pub fn print_open_modes(o: &mut Out, opts: &TraceOpts, v: u64) {
    xstyle(o, opts, |o| o.hex(v), |o| open_modes_abbrev(o, opts, v));
}

/// `O_RDWR|O_CREAT|0x40000000`: the access mode, then the status flags (no `/* O_??? */` after
/// unknown bits, as strace's `sprint_open_modes`).
fn open_modes_abbrev(o: &mut Out, opts: &TraceOpts, v: u64) {
    o.s(lookup_name(OPEN_ACCESS, v & 3).unwrap_or(""));
    let rest = v & !3;
    if rest != 0 {
        o.byte(b'|');
        xflags(o, &abbrev(opts), rest, OPEN_FLAGS, None);
    }
}

fn open_tail(d: &mut Decoder, flags_idx: usize) {
    let flags = d.args[flags_idx] as u32 as u64;
    d.with(|o, opts, _| print_open_modes(o, opts, flags));
    if flags & O_CREAT_OR_TMPFILE != 0 {
        umode(d);
    }
    d.ret_kind = Ret::Fd;
}

fn open(d: &mut Decoder) {
    d.path(0);
    open_tail(d, 1);
}

fn openat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    open_tail(d, 2);
}

fn creat(d: &mut Decoder) {
    d.path(0);
    umode(d);
    d.ret_kind = Ret::Fd;
}

fn openat2(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    let size = d.args[3];
    d.with(|o, opts, a| {
        if size < 24 {
            o.ptr(a);
            return;
        }
        let Some(how) = fetch::<[u64; 3]>(o, a, false) else { return };
        o.s("{flags=");
        print_open_modes(o, opts, how[0]);
        if how[0] & O_CREAT_OR_TMPFILE != 0 || how[1] != 0 {
            o.s(", mode=");
            o.octal(how[1]);
        }
        o.s(", resolve=");
        xflags(o, opts, how[2], RESOLVE_FLAGS, Some("RESOLVE_???"));
        o.byte(b'}');
    });
    d.ulong(3);
    d.ret_kind = Ret::Fd;
}

// ---------------------------------------------------------------------------------------------
// Reads and writes.

fn pread64(d: &mut Decoder) {
    d.fd(0);
    d.split();
    d.out_buf(1);
    d.ulong(2);
    d.long(3);
}

fn pwrite64(d: &mut Decoder) {
    d.fd(0);
    let len = d.args[2];
    d.buf(1, len);
    d.ulong(2);
    d.long(3);
}

/// readv/preadv/preadv2: the iovecs at exit, filled with the bytes read.
fn readv_iov(d: &mut Decoder) {
    let (failed, ret, count) = (d.failed(), d.ret as usize, d.args[2]);
    d.with(|o, opts, a| print_iov(o, opts, a, count, if failed { None } else { Some(ret) }));
}

fn writev_iov(d: &mut Decoder) {
    let count = d.args[2];
    d.with(|o, opts, a| print_iov(o, opts, a, count, Some(usize::MAX)));
}

fn readv(d: &mut Decoder) {
    d.fd(0);
    d.split();
    readv_iov(d);
    d.ulong(2);
}

fn writev(d: &mut Decoder) {
    d.fd(0);
    writev_iov(d);
    d.ulong(2);
}

fn preadv(d: &mut Decoder) {
    readv(d);
    d.long(3);
}

fn pwritev(d: &mut Decoder) {
    writev(d);
    d.long(3);
}

fn preadv2(d: &mut Decoder) {
    preadv(d);
    // The offset's high half (argument 4) is not printed on 64-bit.
    let flags = d.args[5];
    d.with(|o, opts, _| xflags(o, opts, flags as u32 as u64, RWF_FLAGS, Some("RWF_???")));
}

fn pwritev2(d: &mut Decoder) {
    pwritev(d);
    let flags = d.args[5];
    d.with(|o, opts, _| xflags(o, opts, flags as u32 as u64, RWF_FLAGS, Some("RWF_???")));
}

fn lseek(d: &mut Decoder) {
    d.fd(0);
    d.long(1);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SEEK_WHENCE, Some("SEEK_???")));
}

fn sendfile(d: &mut Decoder) {
    // strace prints the offset before the call and ` => [new]` after it, glued to it; the
    // count follows at exit, or at entry when there is no offset to update. The offset before
    // the call is carried from entry: a line written whole at exit (-z, --json) runs the entry
    // half again after the kernel moved it on.
    let off = d.args[2];
    let c = carry_offsets(d, off, 0);
    let readable = c[0] & 1 != 0;
    let whole = d.whole;
    if d.phase == Phase::Entry || whole {
        d.fd(0);
        d.fd(1);
        // Unsigned, as strace's sendfile64 prints it (copy_file_range's are signed).
        d.with(|o, _, a| {
            if readable {
                let _ = write!(o, "[{}]", c[1]);
            } else {
                print_offset(o, a, false, 0)
            }
        });
        if !readable {
            d.ulong(3);
        }
    }
    if (d.phase == Phase::Exit || whole) && readable {
        if !d.failed() && d.ret != 0 {
            if let Ok(v) = sys::read_val::<u64>(off) {
                let _ = write!(d.out, " => [{v}]");
            }
        }
        if whole {
            // --json: the count is an argument of its own.
            d.ulong(3);
        } else {
            let _ = write!(d.out, ", {}", d.args[3]);
        }
    }
}

fn copy_file_range(d: &mut Decoder) {
    // Both offsets as they were before the call (see `carry_offsets`): strace prints the call
    // whole at entry.
    let c = carry_offsets(d, d.args[1], d.args[3]);
    d.fd(0);
    d.with(|o, _, a| print_offset(o, a, c[0] & 1 != 0, c[1]));
    d.fd(2);
    d.with(|o, _, a| print_offset(o, a, c[0] & 2 != 0, c[2]));
    d.ulong(4);
    d.uint(5);
}

// ---------------------------------------------------------------------------------------------
// Descriptors.

fn dup(d: &mut Decoder) {
    d.fd(0);
    d.ret_kind = Ret::Fd;
}

fn dup2(d: &mut Decoder) {
    d.fd(0);
    d.fd(1);
    d.ret_kind = Ret::Fd;
}

fn dup3(d: &mut Decoder) {
    d.fd(0);
    d.fd(1);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, OPEN_FLAGS, Some("O_???")));
    d.ret_kind = Ret::Fd;
}

fn print_pipe_fds(o: &mut Out, opts: &TraceOpts, a: usize) {
    if let Some(fds) = fetch::<[i32; 2]>(o, a, false) {
        o.byte(b'[');
        print_fd(o, fds[0], opts);
        o.s(", ");
        print_fd(o, fds[1], opts);
        o.byte(b']');
    }
}

fn pipe(d: &mut Decoder) {
    d.split();
    out_ptr(d, print_pipe_fds);
}

fn pipe2(d: &mut Decoder) {
    d.split();
    out_ptr(d, print_pipe_fds);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, OPEN_FLAGS, Some("O_???")));
}

fn close_range(d: &mut Decoder) {
    d.uint(0);
    d.uint(1);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, CLOSE_RANGE_FLAGS, Some("CLOSE_RANGE_???")));
}

// ---------------------------------------------------------------------------------------------
// stat family.

fn print_stat(o: &mut Out, opts: &TraceOpts, a: usize) {
    let Some(st) = fetch::<[u64; 18]>(o, a, false) else { return };
    let mode = st[3] as u32;
    o.byte(b'{');
    if opts.verbose {
        o.s("st_dev=");
        print_dev(o, opts, st[0]);
        let _ = write!(o, ", st_ino={}, st_mode=", st[1]);
        print_symbolic_mode(o, opts, mode);
        let _ = write!(
            o,
            ", st_nlink={}, st_uid={}, st_gid={}, st_blksize={}, st_blocks={}",
            st[2],
            st[3] >> 32,
            st[4] as u32,
            st[7] as i64,
            st[8] as i64
        );
    } else {
        o.s("st_mode=");
        print_symbolic_mode(o, opts, mode);
    }
    if matches!(mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK) {
        o.s(", st_rdev=");
        print_dev(o, opts, st[5]);
    } else {
        let _ = write!(o, ", st_size={}", st[6]);
    }
    if opts.verbose {
        for (name, i) in [("atime", 9), ("mtime", 11), ("ctime", 13)] {
            let _ = write!(o, ", st_{name}={}", st[i] as i64);
            time_comment(o, st[i] as i64, st[i + 1], 9);
            let _ = write!(o, ", st_{name}_nsec={}", st[i + 1]);
        }
    } else {
        o.s(", ...");
    }
    o.byte(b'}');
}

fn stat(d: &mut Decoder) {
    d.path(0);
    d.split();
    out_ptr(d, print_stat);
}

fn fstat(d: &mut Decoder) {
    d.fd(0);
    d.split();
    out_ptr(d, print_stat);
}

fn at_flags(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, AT_FLAGS, Some("AT_???")));
}

fn newfstatat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    d.split();
    out_ptr(d, print_stat);
    at_flags(d);
}

fn print_statx(o: &mut Out, opts: &TraceOpts, a: usize) {
    let Some(s) = fetch::<[u64; 32]>(o, a, false) else { return };
    let lo = |v: u64| v as u32 as u64;
    let hi = |v: u64| v >> 32;
    let mask = lo(s[0]);
    o.s("{stx_mask=");
    xflags(o, opts, mask, STATX_MASKS, Some("STATX_???"));
    if opts.verbose {
        let _ = write!(o, ", stx_blksize={}", hi(s[0]));
    }
    o.s(", stx_attributes=");
    xflags(o, opts, s[1], STATX_ATTRS, Some("STATX_ATTR_???"));
    if opts.verbose {
        let _ = write!(o, ", stx_nlink={}, stx_uid=", lo(s[2]));
        print_id(o, hi(s[2]) as u32);
        o.s(", stx_gid=");
        print_id(o, lo(s[3]) as u32);
    }
    o.s(", stx_mode=");
    print_symbolic_mode(o, opts, (s[3] >> 32) as u16 as u32);
    if opts.verbose {
        let _ = write!(o, ", stx_ino={}", s[4]);
    }
    let _ = write!(o, ", stx_size={}", s[5]);
    if opts.verbose {
        let _ = write!(o, ", stx_blocks={}, stx_attributes_mask=", s[6]);
        xflags(o, opts, s[7], STATX_ATTRS, Some("STATX_ATTR_???"));
        for (name, i, bit) in [("atime", 8, 0x20), ("btime", 10, 0x800), ("ctime", 12, 0x80), ("mtime", 14, 0x40)] {
            // strace 6.1 leaves out the timestamps the kernel did not fill.
            if mask & bit == 0 {
                continue;
            }
            let _ = write!(o, ", stx_{name}=");
            print_timespec(o, [s[i] as i64, lo(s[i + 1]) as i64]);
            time_comment(o, s[i] as i64, lo(s[i + 1]), 9);
        }
        let _ = write!(
            o,
            ", stx_rdev_major={}, stx_rdev_minor={}, stx_dev_major={}, stx_dev_minor={}",
            lo(s[16]),
            hi(s[16]),
            lo(s[17]),
            hi(s[17])
        );
        if mask & 0x1000 != 0 {
            o.s(", stx_mnt_id=");
            o.hex(s[18]);
        }
    } else {
        o.s(", ...");
    }
    o.byte(b'}');
}

fn statx(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    d.with(|o, opts, v| {
        let v = v as u32 as u64;
        xflags(o, opts, v & 0x6000, STATX_SYNC, None);
        let rest = v & !0x6000;
        if rest != 0 {
            o.byte(b'|');
            xflags(o, opts, rest, AT_FLAGS, None);
        }
    });
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, STATX_MASKS, Some("STATX_???")));
    d.split();
    out_ptr(d, print_statx);
}

fn print_statfs(o: &mut Out, opts: &TraceOpts, a: usize) {
    let Some(s) = fetch::<[u64; 15]>(o, a, false) else { return };
    o.s("{f_type=");
    xval(o, opts, s[0], FS_MAGIC, None);
    let _ = write!(
        o,
        ", f_bsize={}, f_blocks={}, f_bfree={}, f_bavail={}, f_files={}, f_ffree={}, f_fsid={{val=[",
        s[1] as i64, s[2], s[3], s[4], s[5], s[6]
    );
    o.hex(s[7] as u32 as u64);
    o.s(", ");
    o.hex(s[7] >> 32);
    let _ = write!(o, "]}}, f_namelen={}, f_frsize={}, f_flags=", s[8] as i64, s[9] as i64);
    xflags(o, opts, s[10], STATFS_FLAGS, Some("ST_???"));
    o.byte(b'}');
}

fn statfs(d: &mut Decoder) {
    d.path(0);
    d.split();
    out_ptr(d, print_statfs);
}

fn fstatfs(d: &mut Decoder) {
    d.fd(0);
    d.split();
    out_ptr(d, print_statfs);
}

// ---------------------------------------------------------------------------------------------
// Names, links, modes, owners.

fn path_only(d: &mut Decoder) {
    d.path(0);
}

fn fd_only(d: &mut Decoder) {
    d.fd(0);
}

fn access_mode(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, ACCESS_MODES, Some("?_OK")));
}

fn access(d: &mut Decoder) {
    d.path(0);
    access_mode(d);
}

fn faccessat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    access_mode(d);
}

fn faccessat2(d: &mut Decoder) {
    faccessat(d);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, FACCESSAT_FLAGS, Some("AT_???")));
}

fn readlink(d: &mut Decoder) {
    d.path(0);
    d.split();
    let (failed, ret) = (d.failed(), d.ret as usize);
    d.with(|o, opts, a| if failed { o.ptr(a) } else { o.mem_str(a, ret, opts) });
    d.ulong(2);
}

fn readlinkat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    d.split();
    let (failed, ret) = (d.failed(), d.ret as usize);
    d.with(|o, opts, a| if failed { o.ptr(a) } else { o.mem_str(a, ret, opts) });
    d.ulong(3);
}

fn getcwd(d: &mut Decoder) {
    d.split();
    let (failed, ret) = (d.failed(), d.ret as usize);
    d.with(|o, opts, a| if failed { o.ptr(a) } else { o.c_str(a, ret.min(libc::PATH_MAX as usize), opts) });
    d.ulong(1);
}

fn mkdir(d: &mut Decoder) {
    d.path(0);
    umode(d);
}

fn mkdirat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    umode(d);
}

fn unlinkat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    at_flags(d);
}

fn two_paths(d: &mut Decoder) {
    d.path(0);
    d.path(1);
}

fn renameat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    dirfd(d);
    d.path(3);
}

fn renameat2(d: &mut Decoder) {
    renameat(d);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, RENAME_FLAGS, Some("RENAME_???")));
}

fn linkat(d: &mut Decoder) {
    renameat(d);
    at_flags(d);
}

fn symlinkat(d: &mut Decoder) {
    d.path(0);
    dirfd(d);
    d.path(2);
}

fn chmod(d: &mut Decoder) {
    d.path(0);
    umode(d);
}

fn fchmod(d: &mut Decoder) {
    d.fd(0);
    umode(d);
}

fn fchmodat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    umode(d);
}

fn ids(d: &mut Decoder) {
    d.with(|o, _, v| print_id(o, v as u32));
    d.with(|o, _, v| print_id(o, v as u32));
}

fn chown(d: &mut Decoder) {
    d.path(0);
    ids(d);
}

fn fchown(d: &mut Decoder) {
    d.fd(0);
    ids(d);
}

fn fchownat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    ids(d);
    at_flags(d);
}

fn truncate(d: &mut Decoder) {
    d.path(0);
    d.ulong(1);
}

fn ftruncate(d: &mut Decoder) {
    d.fd(0);
    d.ulong(1);
}

fn getdents64(d: &mut Decoder) {
    d.fd(0);
    d.split();
    let (failed, ret, count) = (d.failed(), d.ret as usize, d.args[2] as u32 as usize);
    d.with(|o, opts, a| {
        if failed || ret > count {
            o.ptr(a);
        } else {
            print_dirents(o, opts, a, ret, false);
        }
    });
    d.uint(2);
}

/// strace's `decode_dents`: `0x... /* 5 entries */`, or with -v the entries. `old`: getdents'
/// `linux_dirent` (d_name right after d_reclen, d_type in the record's last byte) instead of
/// getdents64's `linux_dirent64` (d_type before d_name).
pub(super) fn print_dirents(o: &mut Out, opts: &TraceOpts, mut addr: usize, mut len: usize, old: bool) {
    let header: usize = if old { 18 } else { 19 };
    if o.no_deref {
        // strace counts the entries only for calls it follows pointers of.
        o.ptr(addr);
        return;
    }
    let verbose = opts.verbose;
    let mut count = 0u32;
    if !verbose {
        o.ptr(addr);
    }
    loop {
        if len < header {
            if verbose {
                if len == 0 {
                    o.byte(b'[');
                    count += 1;
                } else {
                    let hex = TraceOpts { hex_strings: 2, ..*opts };
                    o.mem_str(addr, len, &hex);
                }
            }
            break;
        }
        let mut head = [0u8; 19];
        if !matches!(sys::read_mem(addr, &mut head[..header]), Ok(n) if n == header) {
            if verbose {
                if count > 0 {
                    o.s("... /* ");
                    o.hex(addr as u64);
                    o.s(" */");
                } else {
                    o.ptr(addr);
                }
            }
            break;
        }
        if verbose && count == 0 {
            o.byte(b'[');
        }
        count += 1;
        let ino = u64::from_ne_bytes(head[0..8].try_into().unwrap_or_default());
        let off = u64::from_ne_bytes(head[8..16].try_into().unwrap_or_default());
        let mut reclen = u16::from_ne_bytes([head[16], head[17]]) as usize;
        let dtype = head[18];
        if verbose {
            let _ = write!(o, "{{d_ino={ino}, d_off={off}, d_reclen={reclen}");
        }
        let mut next = 0;
        if reclen > len {
            let _ = write!(o, " /* {}{} bytes overflow */", if verbose { "" } else { "d_reclen " }, reclen - len);
            reclen = len;
            len = 0;
        } else if reclen < header {
            let _ = write!(o, " /* {}{} bytes underflow */", if verbose { "" } else { "d_reclen " }, header - reclen);
            reclen = header;
            len -= header;
            if len > 0 {
                next = addr + header;
            }
        } else {
            len -= reclen;
            if len > 0 {
                next = addr + reclen;
            }
        }
        if verbose && old {
            // strace's getdents tail: the name, then the type from the record's last byte.
            let name_type_len = reclen - header;
            if name_type_len > 0 {
                let name_len = (name_type_len - 1).min(256);
                if name_len > 0 {
                    o.s(", d_name=");
                    o.c_str(addr + header, name_len, opts);
                }
                o.s(", d_type=");
                let at = addr + reclen - 1;
                match sys::read_val::<u8>(at) {
                    Ok(t) => xval(o, opts, t as u64, DIRENT_TYPES, Some("DT_???")),
                    Err(_) => o.hex(at as u64),
                }
            }
            o.byte(b'}');
            if next != 0 {
                o.s(", ");
            }
        } else if verbose {
            o.s(", d_type=");
            xval(o, opts, dtype as u64, DIRENT_TYPES, Some("DT_???"));
            let name_len = (reclen - header).min(256);
            if name_len > 0 {
                o.s(", d_name=");
                o.c_str(addr + header, name_len, opts);
            }
            o.byte(b'}');
            if next != 0 {
                o.s(", ");
            }
        }
        if next == 0 {
            break;
        }
        addr = next;
    }
    if verbose {
        if count > 0 {
            o.byte(b']');
        }
    } else {
        let _ = write!(o, " /* {count}{} entries */", if len > 0 { "+" } else { "" });
    }
}

// ---------------------------------------------------------------------------------------------
// fcntl, flock, ioctl.

/// F_GETFL's note, `" (flags O_RDWR|O_LARGEFILE)"`: abbreviated under every -X, as strace's
/// `sprint_open_modes`.
fn getfl_note(o: &mut Out, opts: &TraceOpts, v: u64) {
    o.s(" (flags ");
    open_modes_abbrev(o, opts, v);
    o.byte(b')');
}

fn print_flock(o: &mut Out, opts: &TraceOpts, a: usize, getlk: bool) {
    let Some(fl) = fetch::<[i64; 4]>(o, a, false) else { return };
    o.s("{l_type=");
    xval(o, opts, fl[0] as u16 as i16 as i64 as u64, LOCK_TYPES, Some("F_???"));
    o.s(", l_whence=");
    xval(o, opts, (fl[0] >> 16) as u16 as i16 as i64 as u64, SEEK_WHENCE, Some("SEEK_???"));
    let _ = write!(o, ", l_start={}, l_len={}", fl[1], fl[2]);
    if getlk {
        let _ = write!(o, ", l_pid={}", fl[3] as i32);
    }
    o.byte(b'}');
}

fn fcntl(d: &mut Decoder) {
    d.fd(0);
    let cmd = d.args[1] as u32;
    d.with(|o, opts, _| xval(o, opts, cmd as u64, FCNTL_CMDS, Some("F_???")));
    let (failed, ret) = (d.failed(), d.ret);
    match cmd as i32 {
        libc::F_SETFD => d.with(|o, opts, v| xflags(o, opts, v as u64, FD_FLAGS, Some("FD_???"))),
        libc::F_SETOWN | libc::F_SETPIPE_SZ => d.int(2),
        libc::F_DUPFD | libc::F_DUPFD_CLOEXEC => {
            d.long(2);
            d.ret_kind = Ret::Fd;
        }
        libc::F_SETFL => d.with(|o, opts, v| print_open_modes(o, opts, v as u32 as u64)),
        libc::F_SETLK | libc::F_SETLKW | libc::F_OFD_SETLK | libc::F_OFD_SETLKW | 13 | 14 => {
            d.with(|o, opts, a| print_flock(o, opts, a, false))
        }
        libc::F_GETLK | libc::F_OFD_GETLK | 12 => {
            d.split();
            d.with(|o, opts, a| if failed { o.ptr(a) } else { print_flock(o, opts, a, true) });
        }
        libc::F_NOTIFY => d.with(|o, opts, v| xflags(o, opts, v as u64, NOTIFY_FLAGS, Some("DN_???"))),
        libc::F_SETLEASE => d.with(|o, opts, v| xval(o, opts, v as u64, LOCK_TYPES, Some("F_???"))),
        libc::F_ADD_SEALS => d.with(|o, opts, v| xflags(o, opts, v as u64, SEALS, Some("F_SEAL_???"))),
        10 => d.with(|o, _, v| match crate::trace::filter::signal_name(v as i32).filter(|_| v < 32) {
            Some(s) => o.s(s),
            None => o.u64(v as u64),
        }),
        libc::F_GETOWN | libc::F_GETPIPE_SZ => {}
        libc::F_GETFD => {
            if !failed && ret != 0 {
                d.ret_kind = Ret::Hex;
                // strace's sprintflags follows -X here (unlike F_GETFL's text).
                d.ret_note = match (ret, d.opts.xlat) {
                    (1, XlatStyle::Abbrev) => Some(" (flags FD_CLOEXEC)"),
                    (1, XlatStyle::Raw) => Some(" (flags 0x1)"),
                    (1, XlatStyle::Verbose) => Some(" (flags 0x1 /* FD_CLOEXEC */)"),
                    _ => None,
                };
            }
        }
        libc::F_GETFL => {
            if !failed {
                d.ret_kind = Ret::Hex;
                let opts = d.opts;
                d.note(|o| getfl_note(o, opts, ret as u64));
            }
        }
        libc::F_GETLEASE => {
            if !failed {
                d.ret_kind = Ret::Hex;
                d.ret_note = match ret {
                    0 => Some(" (F_RDLCK)"),
                    1 => Some(" (F_WRLCK)"),
                    2 => Some(" (F_UNLCK)"),
                    _ => None,
                };
            }
        }
        11 => {
            if !failed && ret > 0 && ret < 32 {
                if let Some(name) = crate::trace::filter::signal_name(ret as i32) {
                    d.note(|o| {
                        o.s(" (");
                        o.s(name);
                        o.byte(b')');
                    });
                }
            }
        }
        libc::F_GET_SEALS => {}
        _ => d.hex(2),
    }
}

fn flock(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, FLOCK_OPS, Some("LOCK_???")));
}

const IOCTL_NAMES: Xlat = &[
    (0x5401, "TCGETS"),
    (0x5402, "SNDCTL_TMR_START or TCSETS"),
    (0x5403, "SNDCTL_TMR_STOP or TCSETSW"),
    (0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF"),
    (0x5409, "TCSBRK"),
    (0x540a, "TCXONC"),
    (0x540b, "TCFLSH"),
    (0x540c, "TIOCEXCL"),
    (0x540d, "TIOCNXCL"),
    (0x540e, "TIOCSCTTY"),
    (0x540f, "TIOCGPGRP"),
    (0x5410, "TIOCSPGRP"),
    (0x5411, "TIOCOUTQ"),
    (0x5413, "TIOCGWINSZ"),
    (0x5414, "TIOCSWINSZ"),
    (0x541b, "FIONREAD"),
    (0x5420, "TIOCPKT"),
    (0x5421, "FIONBIO"),
    (0x5422, "TIOCNOTTY"),
    (0x5425, "TCSBRKP"),
    (0x5427, "TIOCSBRK"),
    (0x5428, "TIOCCBRK"),
    (0x5429, "TIOCGSID"),
    (0x5441, "TIOCGPTPEER"),
    (0x5450, "FIONCLEX"),
    (0x5451, "FIOCLEX"),
    (0x5452, "FIOASYNC"),
    (0x80045430, "TIOCGPTN"),
    (0x40045431, "TIOCSPTLCK"),
];

fn print_ioctl_code(o: &mut Out, opts: &TraceOpts, code: u32) {
    let name = IOCTL_NAMES.iter().find(|(c, _)| *c == code as u64).map(|(_, n)| *n);
    if opts.xlat != XlatStyle::Abbrev {
        o.hex(code as u64);
        if opts.xlat == XlatStyle::Raw {
            return;
        }
        o.s(" /* ");
    }
    match name {
        Some(n) => o.s(n),
        None => {
            let dir = match code >> 30 {
                0 => "_IOC_NONE",
                1 => "_IOC_WRITE",
                2 => "_IOC_READ",
                _ => "_IOC_READ|_IOC_WRITE",
            };
            let _ = write!(o, "_IOC({dir}, ");
            o.hex(((code >> 8) & 0xff) as u64);
            o.s(", ");
            o.hex((code & 0xff) as u64);
            o.s(", ");
            o.hex(((code >> 16) & 0x3fff) as u64);
            o.byte(b')');
        }
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

const TERM_IFLAGS: Xlat = &[
    (0o1, "IGNBRK"),
    (0o2, "BRKINT"),
    (0o4, "IGNPAR"),
    (0o10, "PARMRK"),
    (0o20, "INPCK"),
    (0o40, "ISTRIP"),
    (0o100, "INLCR"),
    (0o200, "IGNCR"),
    (0o400, "ICRNL"),
    (0o1000, "IUCLC"),
    (0o2000, "IXON"),
    (0o4000, "IXANY"),
    (0o10000, "IXOFF"),
    (0o20000, "IMAXBEL"),
    (0o40000, "IUTF8"),
];
const TERM_OFLAGS: Xlat = &[
    (0o1, "OPOST"),
    (0o2, "OLCUC"),
    (0o4, "ONLCR"),
    (0o10, "OCRNL"),
    (0o20, "ONOCR"),
    (0o40, "ONLRET"),
    (0o100, "OFILL"),
    (0o200, "OFDEL"),
];
const TERM_ODELAYS: [(u64, Xlat, &str); 6] = [
    (0o400, &[(0, "NL0"), (0o400, "NL1")], "NL?"),
    (0o3000, &[(0, "CR0"), (0o1000, "CR1"), (0o2000, "CR2"), (0o3000, "CR3")], "CR?"),
    (0o14000, &[(0, "TAB0"), (0o4000, "TAB1"), (0o10000, "TAB2"), (0o14000, "TAB3")], "TAB?"),
    (0o20000, &[(0, "BS0"), (0o20000, "BS1")], "BS?"),
    (0o40000, &[(0, "VT0"), (0o40000, "VT1")], "VT?"),
    (0o100000, &[(0, "FF0"), (0o100000, "FF1")], "FF?"),
];
const TERM_BAUDS: Xlat = &[
    (0, "B0"),
    (1, "B50"),
    (2, "B75"),
    (3, "B110"),
    (4, "B134"),
    (5, "B150"),
    (6, "B200"),
    (7, "B300"),
    (8, "B600"),
    (9, "B1200"),
    (10, "B1800"),
    (11, "B2400"),
    (12, "B4800"),
    (13, "B9600"),
    (14, "B19200"),
    (15, "B38400"),
    (0o10000, "BOTHER"),
    (0o10001, "B57600"),
    (0o10002, "B115200"),
    (0o10003, "B230400"),
    (0o10004, "B460800"),
    (0o10005, "B500000"),
    (0o10006, "B576000"),
    (0o10007, "B921600"),
    (0o10010, "B1000000"),
    (0o10011, "B1152000"),
    (0o10012, "B1500000"),
    (0o10013, "B2000000"),
    (0o10014, "B2500000"),
    (0o10015, "B3000000"),
    (0o10016, "B3500000"),
    (0o10017, "B4000000"),
];
const TERM_CSIZE: Xlat = &[(0, "CS5"), (0o20, "CS6"), (0o40, "CS7"), (0o60, "CS8")];
const TERM_CFLAGS: Xlat = &[
    (0o100, "CSTOPB"),
    (0o200, "CREAD"),
    (0o400, "PARENB"),
    (0o1000, "PARODD"),
    (0o2000, "HUPCL"),
    (0o4000, "CLOCAL"),
    (0o10000000000, "CMSPAR"),
    (0o20000000000, "CRTSCTS"),
];
const TERM_LFLAGS: Xlat = &[
    (0o1, "ISIG"),
    (0o2, "ICANON"),
    (0o4, "XCASE"),
    (0o10, "ECHO"),
    (0o20, "ECHOE"),
    (0o40, "ECHOK"),
    (0o100, "ECHONL"),
    (0o200, "NOFLSH"),
    (0o100000, "IEXTEN"),
    (0o1000, "ECHOCTL"),
    (0o2000, "ECHOPRT"),
    (0o4000, "ECHOKE"),
    (0o10000, "FLUSHO"),
    (0o40000, "PENDIN"),
    (0o400, "TOSTOP"),
    (0o200000, "EXTPROC"),
];
const TERM_CC: [&str; 17] = [
    "VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP", "VSUSP", "VEOL",
    "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
];

fn print_termios(o: &mut Out, opts: &TraceOpts, a: usize) {
    let Some(w) = fetch::<[u32; 9]>(o, a, false) else { return };
    let word = |i: usize| w[i / 4] as u64;
    let mut t = [0u8; 36];
    for (k, v) in w.iter().enumerate() {
        t[4 * k..4 * k + 4].copy_from_slice(&v.to_ne_bytes());
    }
    o.s("{c_iflag=");
    xflags(o, opts, word(0), TERM_IFLAGS, None);
    o.s(", c_oflag=");
    let mut of = word(4);
    for (mask, names, dflt) in TERM_ODELAYS {
        xval(o, opts, of & mask, names, Some(dflt));
        o.byte(b'|');
        of &= !mask;
    }
    xflags(o, opts, of, TERM_OFLAGS, None);
    o.s(", c_cflag=");
    let cf = word(8);
    xval(o, opts, cf & 0o10017, TERM_BAUDS, Some("B???"));
    o.byte(b'|');
    if cf & 0o2003600000 != 0 {
        xval(o, opts, (cf & 0o2003600000) >> 16, TERM_BAUDS, Some("B???"));
        o.s("<<IBSHIFT|");
    }
    xval(o, opts, cf & 0o60, TERM_CSIZE, Some("CS?"));
    o.byte(b'|');
    xflags(o, opts, cf & !(0o10017 | 0o2003600000 | 0o60), TERM_CFLAGS, None);
    o.s(", c_lflag=");
    xflags(o, opts, word(12), TERM_LFLAGS, None);
    if opts.verbose {
        o.s(", c_line=");
        xval(o, opts, t[16] as u64, &[(0, "N_TTY")], Some("N_???"));
        o.s(", c_cc=[");
        for (i, &c) in t[17..36].iter().enumerate() {
            if i > 0 {
                o.s(", ");
            }
            o.byte(b'[');
            match TERM_CC.get(i) {
                Some(n) => o.s(n),
                None => o.u64(i as u64),
            }
            o.s("]=");
            o.hex(c as u64);
        }
        o.s("]}");
    } else {
        o.s(", ...}");
    }
}

fn print_winsize(o: &mut Out, _: &TraceOpts, a: usize) {
    if let Some(w) = fetch::<[u16; 4]>(o, a, false) {
        let _ = write!(o, "{{ws_row={}, ws_col={}, ws_xpixel={}, ws_ypixel={}}}", w[0], w[1], w[2], w[3]);
    }
}

fn ioctl(d: &mut Decoder) {
    d.fd(0);
    let code = d.args[1] as u32;
    d.with(|o, opts, _| print_ioctl_code(o, opts, code));
    let failed = d.failed();
    match code {
        // Filled by the call: printed at exit.
        0x5401 | 0x5413 | 0x540f | 0x5429 | 0x80045430 | 0x541b | 0x5411 => {
            d.split();
            d.with(|o, opts, a| {
                if failed {
                    o.ptr(a)
                } else if code == 0x5401 {
                    print_termios(o, opts, a)
                } else if code == 0x5413 {
                    print_winsize(o, opts, a)
                } else {
                    print_num_i32(o, a, false)
                }
            });
        }
        0x5402..=0x5404 => d.with(print_termios),
        0x5414 => d.with(print_winsize),
        0x5410 | 0x5421 | 0x5452 | 0x5420 | 0x40045431 => d.with(|o, _, a| print_num_i32(o, a, false)),
        0x540b => d.with(|o, opts, v| {
            xval(o, opts, v as u64, &[(0, "TCIFLUSH"), (1, "TCOFLUSH"), (2, "TCIOFLUSH")], Some("TC???"))
        }),
        0x540a => d.with(|o, opts, v| {
            xval(o, opts, v as u64, &[(0, "TCOOFF"), (1, "TCOON"), (2, "TCIOFF"), (3, "TCION")], Some("TC???"))
        }),
        0x5409 | 0x5425 | 0x540e => d.int(2),
        0x5450 | 0x5451 | 0x5422 | 0x540c | 0x540d | 0x5427 | 0x5428 => {}
        _ => d.hex(2),
    }
}

// ---------------------------------------------------------------------------------------------
// Times, allocation, special files.

fn print_utime_pair(o: &mut Out, opts: &TraceOpts, a: usize) {
    let Some(t) = fetch::<[i64; 4]>(o, a, false) else { return };
    o.byte(b'[');
    for i in 0..2 {
        if i > 0 {
            o.s(", ");
        }
        let (sec, nsec) = (t[2 * i], t[2 * i + 1]);
        let special = match nsec {
            0x3fff_ffff => Some("UTIME_NOW"),
            0x3fff_fffe => Some("UTIME_OMIT"),
            _ => None,
        };
        match (special, opts.xlat) {
            (Some(s), XlatStyle::Abbrev) => o.s(s),
            (Some(s), XlatStyle::Verbose) => {
                print_timespec(o, [sec, nsec]);
                comment(o, s);
            }
            _ => {
                print_timespec(o, [sec, nsec]);
                time_comment(o, sec, nsec as u64, 9);
            }
        }
    }
    o.byte(b']');
}

fn print_timeval_pair(o: &mut Out, _: &TraceOpts, a: usize) {
    let Some(t) = fetch::<[i64; 4]>(o, a, false) else { return };
    o.byte(b'[');
    for i in 0..2 {
        if i > 0 {
            o.s(", ");
        }
        let (sec, usec) = (t[2 * i], t[2 * i + 1]);
        print_timeval(o, [sec, usec]);
        time_comment(o, sec, usec as u64, 6);
    }
    o.byte(b']');
}

fn utimensat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    d.with(print_utime_pair);
    at_flags(d);
}

fn futimesat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    d.with(print_timeval_pair);
}

fn utimes(d: &mut Decoder) {
    d.path(0);
    d.with(print_timeval_pair);
}

fn fallocate(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, FALLOC_FLAGS, Some("FALLOC_FL_???")));
    d.long(2);
    d.long(3);
}

fn fadvise64(d: &mut Decoder) {
    d.fd(0);
    d.long(1);
    d.long(2);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, FADVICE, Some("POSIX_FADV_???")));
}

fn mknod_tail(d: &mut Decoder, mode_idx: usize) {
    let mode = d.args[mode_idx] as u32;
    d.with(|o, opts, _| print_symbolic_mode(o, opts, mode));
    if matches!(mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK) {
        d.with(|o, opts, v| print_dev(o, opts, v as u64));
    }
}

fn mknod(d: &mut Decoder) {
    d.path(0);
    mknod_tail(d, 1);
}

fn mknodat(d: &mut Decoder) {
    dirfd(d);
    d.path(1);
    mknod_tail(d, 2);
}

fn memfd_create(d: &mut Decoder) {
    d.string(0);
    d.with(|o, opts, v| {
        let v = v as u32 as u64;
        let huge_mask = 0x3f << 26;
        let (flags, huge) = (v & !huge_mask, v & huge_mask);
        if v == 0 {
            o.byte(b'0');
            return;
        }
        xstyle(
            o,
            opts,
            |o| o.hex(v),
            |o| {
                if flags != 0 || huge == 0 {
                    xflags(o, &abbrev(opts), flags, MFD_FLAGS, Some("MFD_???"));
                }
                if huge != 0 {
                    if flags != 0 {
                        o.byte(b'|');
                    }
                    let _ = write!(o, "{}<<MFD_HUGE_SHIFT", huge >> 26);
                }
            },
        );
    });
    d.ret_kind = Ret::Fd;
}

fn inotify_init1(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, IN_INIT_FLAGS, Some("IN_???")));
    d.ret_kind = Ret::Fd;
}

fn inotify_add_watch(d: &mut Decoder) {
    d.fd(0);
    d.path(1);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, IN_MASK, Some("IN_???")));
}

fn inotify_rm_watch(d: &mut Decoder) {
    d.fd(0);
    d.int(1);
}

fn eventfd(d: &mut Decoder) {
    d.uint(0);
    d.ret_kind = Ret::Fd;
}

fn eventfd2(d: &mut Decoder) {
    d.uint(0);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, EFD_FLAGS, Some("EFD_???")));
    d.ret_kind = Ret::Fd;
}

fn timerfd_create(d: &mut Decoder) {
    d.with(print_clockid);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, TFD_FLAGS, Some("TFD_???")));
    d.ret_kind = Ret::Fd;
}

fn timerfd_settime(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, TFD_TIMER_FLAGS, Some("TFD_TIMER_???")));
    d.with(|o, _, a| print_itimerspec_at(o, a, false));
    d.split();
    out_ptr(d, |o, _, a| print_itimerspec_at(o, a, false));
}

fn timerfd_gettime(d: &mut Decoder) {
    d.fd(0);
    d.split();
    out_ptr(d, |o, _, a| print_itimerspec_at(o, a, false));
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_open => open,
        libc::SYS_openat => openat,
        libc::SYS_openat2 => openat2,
        libc::SYS_creat => creat,
        libc::SYS_pread64 => pread64,
        libc::SYS_pwrite64 => pwrite64,
        libc::SYS_readv => readv,
        libc::SYS_writev => writev,
        libc::SYS_preadv => preadv,
        libc::SYS_pwritev => pwritev,
        libc::SYS_preadv2 => preadv2,
        libc::SYS_pwritev2 => pwritev2,
        libc::SYS_lseek => lseek,
        libc::SYS_sendfile => sendfile,
        libc::SYS_copy_file_range => copy_file_range,
        libc::SYS_close_range => close_range,
        libc::SYS_dup => dup,
        libc::SYS_dup2 => dup2,
        libc::SYS_dup3 => dup3,
        libc::SYS_pipe => pipe,
        libc::SYS_pipe2 => pipe2,
        libc::SYS_stat | libc::SYS_lstat => stat,
        libc::SYS_fstat => fstat,
        libc::SYS_newfstatat => newfstatat,
        libc::SYS_statx => statx,
        libc::SYS_statfs => statfs,
        libc::SYS_fstatfs => fstatfs,
        libc::SYS_access => access,
        libc::SYS_faccessat => faccessat,
        libc::SYS_faccessat2 => faccessat2,
        libc::SYS_readlink => readlink,
        libc::SYS_readlinkat => readlinkat,
        libc::SYS_getcwd => getcwd,
        libc::SYS_chdir | libc::SYS_rmdir | libc::SYS_unlink | libc::SYS_chroot => path_only,
        libc::SYS_fchdir | libc::SYS_fsync | libc::SYS_fdatasync | libc::SYS_syncfs => fd_only,
        libc::SYS_mkdir => mkdir,
        libc::SYS_mkdirat => mkdirat,
        libc::SYS_unlinkat => unlinkat,
        libc::SYS_rename | libc::SYS_link | libc::SYS_symlink => two_paths,
        libc::SYS_renameat => renameat,
        libc::SYS_renameat2 => renameat2,
        libc::SYS_linkat => linkat,
        libc::SYS_symlinkat => symlinkat,
        libc::SYS_chmod => chmod,
        libc::SYS_fchmod => fchmod,
        libc::SYS_fchmodat => fchmodat,
        libc::SYS_chown | libc::SYS_lchown => chown,
        libc::SYS_fchown => fchown,
        libc::SYS_fchownat => fchownat,
        libc::SYS_truncate => truncate,
        libc::SYS_ftruncate => ftruncate,
        libc::SYS_getdents64 => getdents64,
        libc::SYS_fcntl => fcntl,
        libc::SYS_flock => flock,
        libc::SYS_ioctl => ioctl,
        libc::SYS_utimensat => utimensat,
        libc::SYS_futimesat => futimesat,
        libc::SYS_utimes => utimes,
        libc::SYS_fallocate => fallocate,
        libc::SYS_fadvise64 => fadvise64,
        libc::SYS_mknod => mknod,
        libc::SYS_mknodat => mknodat,
        libc::SYS_memfd_create => memfd_create,
        libc::SYS_inotify_init1 => inotify_init1,
        libc::SYS_inotify_add_watch => inotify_add_watch,
        libc::SYS_inotify_rm_watch => inotify_rm_watch,
        libc::SYS_eventfd => eventfd,
        libc::SYS_eventfd2 => eventfd2,
        libc::SYS_timerfd_create => timerfd_create,
        libc::SYS_timerfd_settime => timerfd_settime,
        libc::SYS_timerfd_gettime => timerfd_gettime,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Expected lines are strace 6.1's output for the same calls (from C programs run under
    //! strace with the same arguments); where a line holds an address, a pid-dependent path
    //! or file metadata, the expected text is built from the same values strace would read.

    use super::super::testing::*;
    use super::{Out, Phase};
    use crate::trace::{TraceOpts, XlatStyle};

    /// A fresh directory for one test.
    fn tmpdir(name: &str) -> String {
        let d = format!("/tmp/selftrace-file-{}-{name}", std::process::id());
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const ENOENT: isize = -libc::ENOENT as isize;
    const EFAULT: isize = -libc::EFAULT as isize;
    const EBADF: isize = -libc::EBADF as isize;
    const EINVAL: isize = -libc::EINVAL as isize;

    #[test]
    fn open_flags_and_modes() {
        let p = c("data.txt");
        let pa = p.as_ptr() as usize;
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            line(libc::SYS_open, &[pa, 0o1101, 0o644], 3),
            "open(\"data.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3"
        );
        assert_eq!(render(&raw, libc::SYS_open, &[pa, 0o1101, 0o644], 3), pad("open(\"data.txt\", 0x241, 0644)", "3"));
        assert_eq!(
            render(&verbose, libc::SYS_open, &[pa, 0o1101, 0o644], 3),
            "open(\"data.txt\", 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0644) = 3"
        );
        let ne = c("/nonexistent");
        assert_eq!(
            line(libc::SYS_open, &[ne.as_ptr() as usize, 0], ENOENT),
            pad("open(\"/nonexistent\", O_RDONLY)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            render(&raw, libc::SYS_open, &[ne.as_ptr() as usize, 0], ENOENT),
            pad("open(\"/nonexistent\", 0)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            render(&verbose, libc::SYS_open, &[ne.as_ptr() as usize, 0], ENOENT),
            pad("open(\"/nonexistent\", 0 /* O_RDONLY */)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(line(libc::SYS_open, &[pa, 0o2004000], 3), "open(\"data.txt\", O_RDONLY|O_NONBLOCK|O_CLOEXEC) = 3");
        let all = libc::O_RDWR
            | libc::O_APPEND
            | libc::O_SYNC
            | libc::O_DIRECTORY
            | libc::O_NOFOLLOW
            | libc::O_NOCTTY
            | libc::O_DSYNC
            | libc::O_ASYNC
            | libc::O_DIRECT
            | libc::O_NOATIME
            | libc::O_PATH;
        assert_eq!(
            line(libc::SYS_open, &[pa, all as usize], -libc::ENOTDIR as isize),
            "open(\"data.txt\", O_RDWR|O_NOCTTY|O_APPEND|O_SYNC|O_DIRECT|O_NOFOLLOW|O_NOATIME|O_PATH|O_DIRECTORY|FASYNC) = -1 ENOTDIR (Not a directory)"
        );
        assert_eq!(
            render(&verbose, libc::SYS_open, &[pa, all as usize], -libc::ENOTDIR as isize),
            "open(\"data.txt\", 0x377502 /* O_RDWR|O_NOCTTY|O_APPEND|O_SYNC|O_DIRECT|O_NOFOLLOW|O_NOATIME|O_PATH|O_DIRECTORY|FASYNC */) = -1 ENOTDIR (Not a directory)"
        );
        assert_eq!(line(libc::SYS_open, &[pa, 3], 4), pad("open(\"data.txt\", O_ACCMODE)", "4"));
        assert_eq!(line(libc::SYS_open, &[pa, 0x4000_0003], 5), pad("open(\"data.txt\", O_ACCMODE|0x40000000)", "5"));
        assert_eq!(line(libc::SYS_open, &[pa, 0o100000], 5), pad("open(\"data.txt\", O_RDONLY|O_LARGEFILE)", "5"));
        let tmp = c("/tmp");
        assert_eq!(
            line(libc::SYS_open, &[tmp.as_ptr() as usize, (libc::O_TMPFILE | libc::O_RDWR) as usize, 0o600], 6),
            pad("open(\"/tmp\", O_RDWR|O_TMPFILE, 0600)", "6")
        );
        assert_eq!(
            render(&raw, libc::SYS_open, &[tmp.as_ptr() as usize, (libc::O_TMPFILE | libc::O_RDWR) as usize, 0o600], 6),
            pad("open(\"/tmp\", 0x410002, 0600)", "6")
        );
        assert_eq!(line(libc::SYS_open, &[0x10, 0], EFAULT), pad("open(0x10, O_RDONLY)", "-1 EFAULT (Bad address)"));
        assert_eq!(line(libc::SYS_open, &[0, 0], EFAULT), pad("open(NULL, O_RDONLY)", "-1 EFAULT (Bad address)"));
        assert_eq!(
            line(libc::SYS_open, &[ne.as_ptr() as usize, 0o100, 0x1ffff], 3),
            "open(\"/nonexistent\", O_RDONLY|O_CREAT, 0177777) = 3"
        );
        let xx = with(|o| o.hex_strings = 2);
        assert_eq!(
            render(&xx, libc::SYS_open, &[pa, 3], 4),
            "open(\"\\x64\\x61\\x74\\x61\\x2e\\x74\\x78\\x74\", O_ACCMODE) = 4"
        );
        // Paths are not cut at -s.
        let s4 = with(|o| o.string_limit = 4);
        assert_eq!(render(&s4, libc::SYS_open, &[pa, 0], 3), pad("open(\"data.txt\", O_RDONLY)", "3"));
    }

    #[test]
    fn openat_creat_openat2() {
        let p = c("data.txt");
        let pa = p.as_ptr() as usize;
        let fdcwd = libc::AT_FDCWD as usize;
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(line(libc::SYS_openat, &[fdcwd, pa, 0], 7), pad("openat(AT_FDCWD, \"data.txt\", O_RDONLY)", "7"));
        assert_eq!(render(&raw, libc::SYS_openat, &[fdcwd, pa, 0], 7), pad("openat(-100, \"data.txt\", 0)", "7"));
        assert_eq!(
            render(&verbose, libc::SYS_openat, &[fdcwd, pa, 0], 7),
            "openat(-100 /* AT_FDCWD */, \"data.txt\", 0 /* O_RDONLY */) = 7"
        );
        let n = c("new.txt");
        assert_eq!(
            line(libc::SYS_openat, &[fdcwd, n.as_ptr() as usize, 0o301, 0o4755], 8),
            "openat(AT_FDCWD, \"new.txt\", O_WRONLY|O_CREAT|O_EXCL, 04755) = 8"
        );
        assert_eq!(
            line(libc::SYS_openat, &[99, pa, 0], EBADF),
            pad("openat(99, \"data.txt\", O_RDONLY)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_openat, &[-5i64 as usize, pa, 0], EBADF),
            pad("openat(-5, \"data.txt\", O_RDONLY)", "-1 EBADF (Bad file descriptor)")
        );
        // -y: the directory fd and the result carry their paths.
        let dir = tmpdir("openat");
        let f = c(&format!("{dir}/data.txt"));
        let fd = sc(libc::SYS_openat, &[fdcwd, f.as_ptr() as usize, 0o101, 0o644]);
        assert!(fd >= 0);
        let cwd = std::env::current_dir().unwrap();
        let y = with(|o| o.fd_paths = true);
        assert_eq!(
            render(&y, libc::SYS_openat, &[fdcwd, f.as_ptr() as usize, 0o101, 0o644], fd),
            format!(
                "openat(AT_FDCWD<{}>, \"{dir}/data.txt\", O_WRONLY|O_CREAT, 0644) = {fd}<{dir}/data.txt>",
                cwd.display()
            )
        );
        sc(libc::SYS_close, &[fd as usize]);
        let cr = c("creat.txt");
        assert_eq!(line(libc::SYS_creat, &[cr.as_ptr() as usize, 0o600], 9), pad("creat(\"creat.txt\", 0600)", "9"));
        let how: [u64; 3] = [libc::O_CLOEXEC as u64, 0, 4 | 8];
        assert_eq!(
            line(libc::SYS_openat2, &[fdcwd, pa, how.as_ptr() as usize, 24], 11),
            "openat2(AT_FDCWD, \"data.txt\", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = 11"
        );
        assert_eq!(
            render(&verbose, libc::SYS_openat2, &[fdcwd, pa, how.as_ptr() as usize, 24], 11),
            "openat2(-100 /* AT_FDCWD */, \"data.txt\", {flags=0x80000 /* O_RDONLY|O_CLOEXEC */, resolve=0xc /* RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH */}, 24) = 11"
        );
        let how2: [u64; 3] = [0o101, 0o640, 0];
        let o2 = c("o2.txt");
        let o2a = o2.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_openat2, &[fdcwd, o2a, how2.as_ptr() as usize, 24], 12),
            "openat2(AT_FDCWD, \"o2.txt\", {flags=O_WRONLY|O_CREAT, mode=0640, resolve=0}, 24) = 12"
        );
        assert_eq!(
            render(&raw, libc::SYS_openat2, &[fdcwd, o2a, how2.as_ptr() as usize, 24], 12),
            "openat2(-100, \"o2.txt\", {flags=0x41, mode=0640, resolve=0}, 24) = 12"
        );
        assert_eq!(
            line(libc::SYS_openat2, &[fdcwd, o2a, 0x10, 24], EFAULT),
            pad("openat2(AT_FDCWD, \"o2.txt\", 0x10, 24)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_openat2, &[fdcwd, o2a, how2.as_ptr() as usize, 7], EINVAL),
            format!("openat2(AT_FDCWD, \"o2.txt\", {}, 7) = -1 EINVAL (Invalid argument)", addr(how2.as_ptr()))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn positional_and_vector_io() {
        let dir = tmpdir("io");
        let f = c(&format!("{dir}/data.txt"));
        std::fs::write(format!("{dir}/data.txt"), b"hello world\n").unwrap();
        let fd = sc(libc::SYS_open, &[f.as_ptr() as usize, 2]) as usize;
        let mut buf = [0u8; 100];
        let b = buf.as_mut_ptr() as usize;
        let r = sc(libc::SYS_pread64, &[fd, b, 5, 6]);
        assert_eq!(line(libc::SYS_pread64, &[fd, b, 5, 6], r), pad(&format!("pread64({fd}, \"world\", 5, 6)"), "5"));
        let r = sc(libc::SYS_pread64, &[fd, b, 100, 0]);
        assert_eq!(
            line(libc::SYS_pread64, &[fd, b, 100, 0], r),
            pad(&format!("pread64({fd}, \"hello world\\n\", 100, 0)"), "12")
        );
        assert_eq!(
            line(libc::SYS_pread64, &[fd, 0x10, 5, 0], EFAULT),
            pad(&format!("pread64({fd}, 0x10, 5, 0)"), "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_pread64, &[99, 0, 5, usize::MAX], EINVAL),
            pad("pread64(99, NULL, 5, -1)", "-1 EINVAL (Invalid argument)")
        );
        let r = sc(libc::SYS_pread64, &[fd, b, 5, 0xffff_ffff]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_pread64, &[fd, b, 5, 0xffff_ffff], r),
            pad(&format!("pread64({fd}, \"\", 5, 4294967295)"), "0")
        );
        let hello = b"HELLO";
        let r = sc(libc::SYS_pwrite64, &[fd, hello.as_ptr() as usize, 5, 0]);
        assert_eq!(
            line(libc::SYS_pwrite64, &[fd, hello.as_ptr() as usize, 5, 0], r),
            pad(&format!("pwrite64({fd}, \"HELLO\", 5, 0)"), "5")
        );
        let s4 = with(|o| o.string_limit = 4);
        assert_eq!(
            render(&s4, libc::SYS_pwrite64, &[fd, hello.as_ptr() as usize, 5, 0], r),
            pad(&format!("pwrite64({fd}, \"HELL\"..., 5, 0)"), "5")
        );

        // readv: the bytes read fill the iovecs in order; a failed call shows the addresses.
        let mut b1 = [0u8; 3];
        let mut b2 = [0u8; 20];
        let iov = [
            libc::iovec { iov_base: b1.as_mut_ptr().cast(), iov_len: 3 },
            libc::iovec { iov_base: b2.as_mut_ptr().cast(), iov_len: 20 },
        ];
        let ia = iov.as_ptr() as usize;
        let r = sc(libc::SYS_readv, &[fd, ia, 2]);
        assert_eq!(r, 12);
        assert_eq!(
            line(libc::SYS_readv, &[fd, ia, 2], r),
            format!("readv({fd}, [{{iov_base=\"HEL\", iov_len=3}}, {{iov_base=\"LO world\\n\", iov_len=20}}], 2) = 12")
        );
        assert_eq!(
            render(&s4, libc::SYS_readv, &[fd, ia, 2], r),
            format!("readv({fd}, [{{iov_base=\"HEL\", iov_len=3}}, {{iov_base=\"LO w\"..., iov_len=20}}], 2) = 12")
        );
        assert_eq!(line(libc::SYS_readv, &[fd, ia, 0], 0), pad(&format!("readv({fd}, [], 0)"), "0"));
        assert_eq!(
            line(libc::SYS_readv, &[fd, 0x10, 2], EFAULT),
            pad(&format!("readv({fd}, 0x10, 2)"), "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_readv, &[99, 0, 2], EBADF),
            pad("readv(99, NULL, 2)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_readv, &[99, ia, 2], EBADF),
            format!(
                "readv(99, [{{iov_base={}, iov_len=3}}, {{iov_base={}, iov_len=20}}], 2) = -1 EBADF (Bad file descriptor)",
                addr(b1.as_ptr()),
                addr(b2.as_ptr())
            )
        );
        let r = sc(libc::SYS_preadv2, &[fd, ia, 2, 0xffff_ffff, 0, 0]);
        assert_eq!(
            line(libc::SYS_preadv2, &[fd, ia, 2, 0xffff_ffff, 0, 0], r),
            format!(
                "preadv2({fd}, [{{iov_base=\"\", iov_len=3}}, {{iov_base=\"\", iov_len=20}}], 2, 4294967295, 0) = 0"
            )
        );
        let r = sc(libc::SYS_preadv, &[fd, ia, 2, 0, 0]);
        assert_eq!(
            line(libc::SYS_preadv, &[fd, ia, 2, 0, 0], r),
            format!(
                "preadv({fd}, [{{iov_base=\"HEL\", iov_len=3}}, {{iov_base=\"LO world\\n\", iov_len=20}}], 2, 0) = 12"
            )
        );
        b1.copy_from_slice(b"abc");
        b2.copy_from_slice(b"defghijklmnopqrstuvw");
        assert_eq!(
            line(libc::SYS_writev, &[1, ia, 2], 23),
            "writev(1, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"defghijklmnopqrstuvw\", iov_len=20}], 2) = 23"
        );
        assert_eq!(
            line(libc::SYS_pwritev, &[fd, ia, 1, 100, 0], 3),
            format!("pwritev({fd}, [{{iov_base=\"abc\", iov_len=3}}], 1, 100) = 3")
        );
        assert_eq!(
            line(libc::SYS_pwritev2, &[fd, ia, 1, 100, 0, 0x116], 3),
            format!(
                "pwritev2({fd}, [{{iov_base=\"abc\", iov_len=3}}], 1, 100, RWF_DSYNC|RWF_SYNC|RWF_APPEND|0x100) = 3"
            )
        );
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        assert_eq!(
            render(&raw, libc::SYS_pwritev2, &[fd, ia, 1, 100, 0, 0x116], 3),
            format!("pwritev2({fd}, [{{iov_base=\"abc\", iov_len=3}}], 1, 100, 0x116) = 3")
        );
        assert_eq!(
            line(libc::SYS_preadv2, &[fd, ia, 1, 0, 0, 9], 3),
            format!("preadv2({fd}, [{{iov_base=\"abc\", iov_len=3}}], 1, 0, RWF_HIPRI|RWF_NOWAIT) = 3")
        );
        // Long arrays stop at -s elements (not with -v); a bad base prints as its address;
        // an array running into unmapped memory ends with the address it could not read.
        let h = b"H";
        let many: Vec<libc::iovec> =
            (0..40).map(|_| libc::iovec { iov_base: h.as_ptr() as *mut _, iov_len: 1 }).collect();
        let one = "{iov_base=\"H\", iov_len=1}";
        assert_eq!(
            line(libc::SYS_writev, &[1, many.as_ptr() as usize, 40], 40),
            format!("writev(1, [{}, ...], 40) = 40", [one; 32].join(", "))
        );
        assert_eq!(
            render(&s4, libc::SYS_writev, &[1, many.as_ptr() as usize, 40], 40),
            format!("writev(1, [{}, ...], 40) = 40", [one; 4].join(", "))
        );
        let v = with(|o| o.verbose = true);
        assert_eq!(
            render(&v, libc::SYS_writev, &[1, many.as_ptr() as usize, 40], 40),
            format!("writev(1, [{}], 40) = 40", [one; 40].join(", "))
        );
        let s0 = with(|o| o.string_limit = 0);
        assert_eq!(render(&s0, libc::SYS_writev, &[1, ia, 2], 23), pad("writev(1, [...], 2)", "23"));
        let odd = [
            libc::iovec { iov_base: 0x10 as *mut _, iov_len: 3 },
            libc::iovec { iov_base: b"LO".as_ptr() as *mut _, iov_len: 2 },
        ];
        assert_eq!(
            line(libc::SYS_writev, &[1, odd.as_ptr() as usize, 2], 5),
            "writev(1, [{iov_base=0x10, iov_len=3}, {iov_base=\"LO\", iov_len=2}], 2) = 5"
        );
        let page = sc(libc::SYS_mmap, &[0, 8192, 3, (libc::MAP_PRIVATE | libc::MAP_ANONYMOUS) as usize, usize::MAX, 0])
            as usize;
        // PROT_NONE rather than unmapped: another test's thread could map a freed page again.
        sc(libc::SYS_mprotect, &[page + 4096, 4096, 0]);
        let edge = page + 4096 - 16;
        // SAFETY: `edge` is the last 16 bytes of the mapped page.
        unsafe { *(edge as *mut [usize; 2]) = [0, 0] };
        assert_eq!(
            line(libc::SYS_writev, &[1, edge, 2], EFAULT),
            format!(
                "writev(1, [{{iov_base=NULL, iov_len=0}}, ... /* {:#x} */], 2) = -1 EFAULT (Bad address)",
                page + 4096
            )
        );
        sc(libc::SYS_munmap, &[page, 8192]);
        sc(libc::SYS_close, &[fd]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn seek_dup_pipe_close_range() {
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(line(libc::SYS_lseek, &[3, 0, 0], 0), pad("lseek(3, 0, SEEK_SET)", "0"));
        assert_eq!(render(&raw, libc::SYS_lseek, &[3, 0, 0], 0), pad("lseek(3, 0, 0)", "0"));
        assert_eq!(render(&verbose, libc::SYS_lseek, &[3, 0, 0], 0), pad("lseek(3, 0, 0 /* SEEK_SET */)", "0"));
        assert_eq!(render(&raw, libc::SYS_lseek, &[3, 10, 1], 33), pad("lseek(3, 10, 0x1)", "33"));
        assert_eq!(line(libc::SYS_lseek, &[3, 0, 4], 106), pad("lseek(3, 0, SEEK_HOLE)", "106"));
        assert_eq!(
            line(libc::SYS_lseek, &[3, 0, 7], EINVAL),
            pad("lseek(3, 0, 0x7 /* SEEK_??? */)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_lseek, &[99, usize::MAX, 0], EBADF),
            pad("lseek(99, -1, SEEK_SET)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(line(libc::SYS_dup, &[3], 4), pad("dup(3)", "4"));
        assert_eq!(line(libc::SYS_dup2, &[3, 10], 10), pad("dup2(3, 10)", "10"));
        assert_eq!(line(libc::SYS_dup3, &[3, 11, 0o2000000], 11), pad("dup3(3, 11, O_CLOEXEC)", "11"));
        assert_eq!(
            line(libc::SYS_dup3, &[3, 12, 0x1234], EINVAL),
            pad("dup3(3, 12, O_TRUNC|O_DSYNC|0x34)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            render(&verbose, libc::SYS_dup3, &[3, 12, 0x1234], EINVAL),
            "dup3(3, 12, 0x1234 /* O_TRUNC|O_DSYNC|0x34 */) = -1 EINVAL (Invalid argument)"
        );
        // -y on the duplicated fd and the result.
        let y = with(|o| o.fd_paths = true);
        let nul = c("/dev/null");
        let fd = sc(libc::SYS_open, &[nul.as_ptr() as usize, 0]);
        let d = sc(libc::SYS_dup, &[fd as usize]);
        assert_eq!(
            render(&y, libc::SYS_dup, &[fd as usize], d),
            pad(&format!("dup({fd}</dev/null>)"), &format!("{d}</dev/null>"))
        );
        sc(libc::SYS_close, &[d as usize]);
        sc(libc::SYS_close, &[fd as usize]);

        let mut fds = [0i32; 2];
        let fa = fds.as_mut_ptr() as usize;
        let r = sc(libc::SYS_pipe2, &[fa, 0o2004000]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_pipe2, &[fa, 0o2004000], 0),
            pad(&format!("pipe2([{}, {}], O_NONBLOCK|O_CLOEXEC)", fds[0], fds[1]), "0")
        );
        let ino = std::fs::metadata(format!("/proc/self/fd/{}", fds[0]))
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .unwrap();
        assert_eq!(
            render(&y, libc::SYS_pipe, &[fa], 0),
            pad(&format!("pipe([{0}<pipe:[{ino}]>, {1}<pipe:[{ino}]>])", fds[0], fds[1]), "0")
        );
        assert_eq!(line(libc::SYS_pipe2, &[0x10, 0], EFAULT), pad("pipe2(0x10, 0)", "-1 EFAULT (Bad address)"));
        assert_eq!(
            line(libc::SYS_pipe2, &[fa, 1], EINVAL),
            pad(&format!("pipe2({}, 0x1 /* O_??? */)", addr(fds.as_ptr())), "-1 EINVAL (Invalid argument)")
        );
        sc(libc::SYS_close, &[fds[0] as usize]);
        sc(libc::SYS_close, &[fds[1] as usize]);
        assert_eq!(line(libc::SYS_close_range, &[20, 30, 0], 0), pad("close_range(20, 30, 0)", "0"));
        assert_eq!(
            line(libc::SYS_close_range, &[20, 0xffff_ffff, 4], 0),
            "close_range(20, 4294967295, CLOSE_RANGE_CLOEXEC) = 0"
        );
        assert_eq!(
            line(libc::SYS_close_range, &[20, 30, 0x46], EINVAL),
            "close_range(20, 30, CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC|0x40) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_close_range, &[0x1_0000_0005, usize::MAX, 0], 0),
            pad("close_range(5, 4294967295, 0)", "0")
        );
    }

    fn date_utc(sec: i64) -> String {
        let out = std::process::Command::new("date")
            .args(["-u", "-d", &format!("@{sec}"), "+%Y-%m-%dT%H:%M:%S"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    #[test]
    fn stat_family() {
        let dir = tmpdir("stat");
        let path = format!("{dir}/data.txt");
        std::fs::write(&path, vec![b'x'; 118]).unwrap();
        let p = c(&path);
        let pa = p.as_ptr() as usize;
        // SAFETY: plain-data struct filled by the kernel.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        let sa = &mut st as *mut libc::stat as usize;
        let r = sc(libc::SYS_stat, &[pa, sa]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_stat, &[pa, sa], r),
            format!("stat(\"{path}\", {{st_mode=S_IFREG|0644, st_size=118, ...}}) = 0")
        );
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        assert_eq!(
            render(&raw, libc::SYS_stat, &[pa, sa], r),
            format!("stat(\"{path}\", {{st_mode=0100644, st_size=118, ...}}) = 0")
        );
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&verbose, libc::SYS_stat, &[pa, sa], r),
            format!("stat(\"{path}\", {{st_mode=0100644 /* S_IFREG|0644 */, st_size=118, ...}}) = 0")
        );
        // -v: every field, times with their dates.
        let v = with(|o| o.verbose = true);
        let t = |sec: i64, ns: i64| {
            if ns == 0 {
                format!("{sec} /* {}+0000 */", date_utc(sec))
            } else {
                format!("{sec} /* {}.{ns:09}+0000 */", date_utc(sec))
            }
        };
        assert_eq!(
            render(&v, libc::SYS_stat, &[pa, sa], r),
            format!(
                "stat(\"{path}\", {{st_dev=makedev({:#x}, {:#x}), st_ino={}, st_mode=S_IFREG|0644, st_nlink=1, st_uid={}, st_gid={}, st_blksize={}, st_blocks={}, st_size=118, st_atime={}, st_atime_nsec={}, st_mtime={}, st_mtime_nsec={}, st_ctime={}, st_ctime_nsec={}}}) = 0",
                libc::major(st.st_dev),
                libc::minor(st.st_dev),
                st.st_ino,
                st.st_uid,
                st.st_gid,
                st.st_blksize,
                st.st_blocks,
                t(st.st_atime, st.st_atime_nsec),
                st.st_atime_nsec,
                t(st.st_mtime, st.st_mtime_nsec),
                st.st_mtime_nsec,
                t(st.st_ctime, st.st_ctime_nsec),
                st.st_ctime_nsec
            )
            .replace("makedev(0x0,", "makedev(0,")
            .replace(", 0x0), st_ino", ", 0), st_ino")
        );
        let ne = c("/nonexistent");
        assert_eq!(
            line(libc::SYS_stat, &[ne.as_ptr() as usize, sa], ENOENT),
            pad(&format!("stat(\"/nonexistent\", {})", addr(sa as *const u8)), "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            line(libc::SYS_stat, &[pa, 0x10], EFAULT),
            pad(&format!("stat(\"{path}\", 0x10)"), "-1 EFAULT (Bad address)")
        );
        // Devices show st_rdev instead of st_size.
        let null = c("/dev/null");
        let r = sc(libc::SYS_stat, &[null.as_ptr() as usize, sa]);
        assert_eq!(
            line(libc::SYS_stat, &[null.as_ptr() as usize, sa], r),
            "stat(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0"
        );
        assert_eq!(
            render(&verbose, libc::SYS_stat, &[null.as_ptr() as usize, sa], r),
            "stat(\"/dev/null\", {st_mode=020666 /* S_IFCHR|0666 */, st_rdev=0x103 /* makedev(0x1, 0x3) */, ...}) = 0"
        );
        let tmp = c("/tmp");
        let r = sc(libc::SYS_lstat, &[tmp.as_ptr() as usize, sa]);
        assert_eq!(
            line(libc::SYS_lstat, &[tmp.as_ptr() as usize, sa], r),
            format!("lstat(\"/tmp\", {{st_mode=S_IFDIR|S_ISVTX|0777, st_size={}, ...}}) = 0", st.st_size)
        );
        let fd = sc(libc::SYS_open, &[pa, 0]) as usize;
        let r = sc(libc::SYS_fstat, &[fd, sa]);
        assert_eq!(
            line(libc::SYS_fstat, &[fd, sa], r),
            format!("fstat({fd}, {{st_mode=S_IFREG|0644, st_size=118, ...}}) = 0")
        );
        let empty = c("");
        let r = sc(libc::SYS_newfstatat, &[fd, empty.as_ptr() as usize, sa, 0x1000]);
        assert_eq!(
            line(libc::SYS_newfstatat, &[fd, empty.as_ptr() as usize, sa, 0x1000], r),
            format!("newfstatat({fd}, \"\", {{st_mode=S_IFREG|0644, st_size=118, ...}}, AT_EMPTY_PATH) = 0")
        );
        assert_eq!(
            render(&raw, libc::SYS_newfstatat, &[fd, empty.as_ptr() as usize, sa, 0x900], r),
            format!("newfstatat({fd}, \"\", {{st_mode=0100644, st_size=118, ...}}, 0x900) = 0")
        );
        assert_eq!(
            line(libc::SYS_newfstatat, &[libc::AT_FDCWD as usize, pa, sa, 0x8000], EINVAL),
            format!(
                "newfstatat(AT_FDCWD, \"{path}\", {}, AT_RECURSIVE) = -1 EINVAL (Invalid argument)",
                addr(sa as *const u8)
            )
        );
        // statx
        let mut sx = [0u64; 32];
        let xa = sx.as_mut_ptr() as usize;
        let fdcwd = libc::AT_FDCWD as usize;
        let r = sc(libc::SYS_statx, &[fdcwd, pa, 0, 0x7ff, xa]);
        assert_eq!(r, 0);
        let mask = sx[0] as u32;
        let mask_text = if mask == 0x17ff { "STATX_BASIC_STATS|STATX_MNT_ID" } else { "STATX_BASIC_STATS" };
        assert_eq!(
            line(libc::SYS_statx, &[fdcwd, pa, 0, 0x7ff, xa], r),
            format!("statx(AT_FDCWD, \"{path}\", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, {{stx_mask={mask_text}, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=118, ...}}) = 0")
        );
        assert_eq!(
            render(&raw, libc::SYS_statx, &[fdcwd, pa, 0x100, 0xfff, xa], r),
            format!("statx(-100, \"{path}\", |0x100, 0xfff, {{stx_mask={mask:#x}, stx_attributes=0, stx_mode=0100644, stx_size=118, ...}}) = 0")
        );
        assert_eq!(
            render(&verbose, libc::SYS_statx, &[fdcwd, pa, 0x100, 0x201, 0x10], EFAULT),
            format!("statx(-100 /* AT_FDCWD */, \"{path}\", 0 /* AT_STATX_SYNC_AS_STAT */|0x100 /* AT_SYMLINK_NOFOLLOW */, 0x201 /* STATX_TYPE|STATX_SIZE */, 0x10) = -1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_statx, &[fdcwd, pa, 0x4000, 0x8000_0000, xa], EINVAL),
            format!("statx(AT_FDCWD, \"{path}\", AT_STATX_DONT_SYNC, 0x80000000 /* STATX_??? */, {}) = -1 EINVAL (Invalid argument)", addr(xa as *const u8))
        );
        sc(libc::SYS_close, &[fd]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn statfs_family() {
        let tmp = c("/proc");
        // SAFETY: plain-data struct filled by the kernel.
        let mut sf: libc::statfs = unsafe { std::mem::zeroed() };
        let sa = &mut sf as *mut libc::statfs as usize;
        // libc's struct names the spare words; f_flags is the word after f_frsize.
        let words = |i: usize| -> i64 {
            // SAFETY: struct statfs is 15 words on x86-64.
            unsafe { *(sa as *const i64).add(i) }
        };
        let r = sc(libc::SYS_statfs, &[tmp.as_ptr() as usize, sa]);
        assert_eq!(r, 0);
        // SAFETY: fsid is two ints.
        let fsid: [i32; 2] = unsafe { std::mem::transmute(sf.f_fsid) };
        let h = |v: i32| if v == 0 { "0".to_string() } else { format!("{:#x}", v as u32) };
        assert_eq!(
            line(libc::SYS_statfs, &[tmp.as_ptr() as usize, sa], r),
            format!(
                "statfs(\"/proc\", {{f_type=PROC_SUPER_MAGIC, f_bsize={}, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={{val=[{}, {}]}}, f_namelen=255, f_frsize={}, f_flags=ST_VALID|{}}}) = 0",
                sf.f_bsize,
                h(fsid[0]),
                h(fsid[1]),
                sf.f_frsize,
                {
                    let mut t = Vec::new();
                    for (bit, n) in [(2, "ST_NOSUID"), (4, "ST_NODEV"), (8, "ST_NOEXEC"), (0x400, "ST_NOATIME"), (0x1000, "ST_RELATIME")] {
                        if words(10) & bit != 0 {
                            t.push(n);
                        }
                    }
                    t.join("|")
                }
            )
        );
        let ne = c("/nonexist");
        assert_eq!(
            line(libc::SYS_statfs, &[ne.as_ptr() as usize, sa], ENOENT),
            pad(&format!("statfs(\"/nonexist\", {})", addr(sa as *const u8)), "-1 ENOENT (No such file or directory)")
        );
    }

    #[test]
    fn names_links_modes_owners() {
        let p = c("data.txt");
        let pa = p.as_ptr() as usize;
        let fdcwd = libc::AT_FDCWD as usize;
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(line(libc::SYS_access, &[pa, 0], 0), pad("access(\"data.txt\", F_OK)", "0"));
        assert_eq!(
            line(libc::SYS_access, &[pa, 7], -libc::EACCES as isize),
            pad("access(\"data.txt\", R_OK|W_OK|X_OK)", "-1 EACCES (Permission denied)")
        );
        assert_eq!(
            line(libc::SYS_access, &[pa, 0x14], EINVAL),
            pad("access(\"data.txt\", R_OK|0x10)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(render(&raw, libc::SYS_access, &[pa, 0], 0), pad("access(\"data.txt\", 0)", "0"));
        assert_eq!(render(&verbose, libc::SYS_access, &[pa, 0], 0), pad("access(\"data.txt\", 0 /* F_OK */)", "0"));
        assert_eq!(
            render(&verbose, libc::SYS_access, &[pa, 0x14], EINVAL),
            "access(\"data.txt\", 0x14 /* R_OK|0x10 */) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(line(libc::SYS_faccessat, &[fdcwd, pa, 2], 0), pad("faccessat(AT_FDCWD, \"data.txt\", W_OK)", "0"));
        assert_eq!(
            line(libc::SYS_faccessat2, &[fdcwd, pa, 4, 0x300], 0),
            "faccessat2(AT_FDCWD, \"data.txt\", R_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = 0"
        );
        assert_eq!(
            line(libc::SYS_faccessat2, &[fdcwd, pa, 4, 0], 0),
            "faccessat2(AT_FDCWD, \"data.txt\", R_OK, 0) = 0"
        );

        let dir = tmpdir("names");
        let lnk = c(&format!("{dir}/lnk"));
        std::os::unix::fs::symlink("data.txt", format!("{dir}/lnk")).unwrap();
        let mut buf = [0u8; 100];
        let b = buf.as_mut_ptr() as usize;
        let r = sc(libc::SYS_readlink, &[lnk.as_ptr() as usize, b, 100]);
        assert_eq!(
            line(libc::SYS_readlink, &[lnk.as_ptr() as usize, b, 100], r),
            format!("readlink(\"{dir}/lnk\", \"data.txt\", 100) = 8")
        );
        let r = sc(libc::SYS_readlink, &[lnk.as_ptr() as usize, b, 4]);
        assert_eq!(
            line(libc::SYS_readlink, &[lnk.as_ptr() as usize, b, 4], r),
            format!("readlink(\"{dir}/lnk\", \"data\", 4) = 4")
        );
        assert_eq!(
            line(libc::SYS_readlink, &[pa, b, 100], EINVAL),
            format!("readlink(\"data.txt\", {}, 100) = -1 EINVAL (Invalid argument)", addr(buf.as_ptr()))
        );
        let r = sc(libc::SYS_readlinkat, &[fdcwd, lnk.as_ptr() as usize, b, 100]);
        assert_eq!(
            line(libc::SYS_readlinkat, &[fdcwd, lnk.as_ptr() as usize, b, 100], r),
            format!("readlinkat(AT_FDCWD, \"{dir}/lnk\", \"data.txt\", 100) = 8")
        );
        let r = sc(libc::SYS_getcwd, &[b, 100]);
        let cwd = std::env::current_dir().unwrap();
        let cwd = cwd.display();
        assert_eq!(line(libc::SYS_getcwd, &[b, 100], r), pad(&format!("getcwd(\"{cwd}\", 100)"), &r.to_string()));
        assert_eq!(
            line(libc::SYS_getcwd, &[b, 2], -libc::ERANGE as isize),
            pad(&format!("getcwd({}, 2)", addr(buf.as_ptr())), "-1 ERANGE (Numerical result out of range)")
        );
        assert_eq!(line(libc::SYS_getcwd, &[0, 100], EFAULT), pad("getcwd(NULL, 100)", "-1 EFAULT (Bad address)"));

        let d2 = c("d2");
        let d2a = d2.as_ptr() as usize;
        let sub = c("sub");
        assert_eq!(line(libc::SYS_mkdir, &[d2a, 0o700], 0), pad("mkdir(\"d2\", 0700)", "0"));
        assert_eq!(line(libc::SYS_mkdir, &[d2a, 0x1ffff], 0), pad("mkdir(\"d2\", 0177777)", "0"));
        assert_eq!(
            line(libc::SYS_mkdirat, &[4, sub.as_ptr() as usize, 0o1777], 0),
            pad("mkdirat(4, \"sub\", 01777)", "0")
        );
        assert_eq!(line(libc::SYS_rmdir, &[d2a], 0), pad("rmdir(\"d2\")", "0"));
        assert_eq!(line(libc::SYS_chdir, &[d2a], 0), pad("chdir(\"d2\")", "0"));
        assert_eq!(
            line(libc::SYS_chroot, &[d2a], ENOENT),
            pad("chroot(\"d2\")", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(line(libc::SYS_fchdir, &[4], 0), pad("fchdir(4)", "0"));
        assert_eq!(
            line(libc::SYS_unlinkat, &[4, sub.as_ptr() as usize, 0x200], 0),
            pad("unlinkat(4, \"sub\", AT_REMOVEDIR)", "0")
        );
        assert_eq!(
            line(libc::SYS_unlinkat, &[4, sub.as_ptr() as usize, 1], EINVAL),
            pad("unlinkat(4, \"sub\", 0x1 /* AT_??? */)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            render(&verbose, libc::SYS_unlinkat, &[4, sub.as_ptr() as usize, 0x200], 0),
            "unlinkat(4, \"sub\", 0x200 /* AT_REMOVEDIR */) = 0"
        );
        let (x, y) = (c("x"), c("y"));
        let (xa, ya) = (x.as_ptr() as usize, y.as_ptr() as usize);
        assert_eq!(line(libc::SYS_rename, &[xa, ya], 0), pad("rename(\"x\", \"y\")", "0"));
        assert_eq!(line(libc::SYS_renameat, &[fdcwd, xa, 4, ya], 0), pad("renameat(AT_FDCWD, \"x\", 4, \"y\")", "0"));
        assert_eq!(
            line(libc::SYS_renameat2, &[4, xa, fdcwd, ya, 0x16], EINVAL),
            "renameat2(4, \"x\", AT_FDCWD, \"y\", RENAME_EXCHANGE|RENAME_WHITEOUT|0x10) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_renameat2, &[fdcwd, xa, fdcwd, ya, 0], ENOENT),
            "renameat2(AT_FDCWD, \"x\", AT_FDCWD, \"y\", 0) = -1 ENOENT (No such file or directory)"
        );
        assert_eq!(line(libc::SYS_link, &[xa, ya], 0), pad("link(\"x\", \"y\")", "0"));
        assert_eq!(
            line(libc::SYS_linkat, &[fdcwd, xa, 4, ya, 0x400], 0),
            "linkat(AT_FDCWD, \"x\", 4, \"y\", AT_SYMLINK_FOLLOW) = 0"
        );
        assert_eq!(
            render(&raw, libc::SYS_linkat, &[fdcwd, xa, 4, ya, 0x1001], EINVAL),
            pad("linkat(-100, \"x\", 4, \"y\", 0x1001)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(libc::SYS_symlink, &[xa, ya], 0), pad("symlink(\"x\", \"y\")", "0"));
        assert_eq!(line(libc::SYS_symlinkat, &[xa, 4, ya], 0), pad("symlinkat(\"x\", 4, \"y\")", "0"));
        assert_eq!(
            line(libc::SYS_unlink, &[xa], ENOENT),
            pad("unlink(\"x\")", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(line(libc::SYS_chmod, &[pa, 0o104755], 0), pad("chmod(\"data.txt\", 0104755)", "0"));
        assert_eq!(line(libc::SYS_chmod, &[pa, 0], 0), pad("chmod(\"data.txt\", 000)", "0"));
        assert_eq!(
            line(libc::SYS_fchmod, &[99, 0x1ffff], EBADF),
            pad("fchmod(99, 0177777)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_fchmodat, &[fdcwd, pa, 0o644, 0x100], 0),
            pad("fchmodat(AT_FDCWD, \"data.txt\", 0644)", "0")
        );
        assert_eq!(line(libc::SYS_chown, &[pa, 0xffff_ffff, 0xffff_ffff], 0), pad("chown(\"data.txt\", -1, -1)", "0"));
        assert_eq!(line(libc::SYS_lchown, &[pa, usize::MAX, 5], 0), pad("lchown(\"data.txt\", -1, 5)", "0"));
        assert_eq!(
            line(libc::SYS_fchown, &[99, 0x1_ffff_ffff, 0xffff_fffe], EBADF),
            pad("fchown(99, -1, 4294967294)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_fchownat, &[3, 0, 0, 0, 0x1000], 0),
            pad("fchownat(3, NULL, 0, 0, AT_EMPTY_PATH)", "0")
        );
        assert_eq!(line(libc::SYS_truncate, &[pa, 12], 0), pad("truncate(\"data.txt\", 12)", "0"));
        assert_eq!(
            line(libc::SYS_truncate, &[pa, usize::MAX], EINVAL),
            "truncate(\"data.txt\", 18446744073709551615) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_ftruncate, &[99, usize::MAX], EINVAL),
            pad("ftruncate(99, 18446744073709551615)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(libc::SYS_fsync, &[3], 0), pad("fsync(3)", "0"));
        assert_eq!(line(libc::SYS_fdatasync, &[3], 0), pad("fdatasync(3)", "0"));
        assert_eq!(line(libc::SYS_syncfs, &[3], 0), pad("syncfs(3)", "0"));
        assert_eq!(line(libc::SYS_sync, &[], 0), pad("sync()", "0"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn fcntl_and_flock() {
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(line(libc::SYS_fcntl, &[3, 1], 0), pad("fcntl(3, F_GETFD)", "0"));
        assert_eq!(line(libc::SYS_fcntl, &[3, 1], 1), pad("fcntl(3, F_GETFD)", "0x1 (flags FD_CLOEXEC)"));
        assert_eq!(line(libc::SYS_fcntl, &[3, 2, 1], 0), pad("fcntl(3, F_SETFD, FD_CLOEXEC)", "0"));
        assert_eq!(line(libc::SYS_fcntl, &[3, 2, 0], 0), pad("fcntl(3, F_SETFD, 0)", "0"));
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 3], 0x8002),
            pad("fcntl(3, F_GETFL)", "0x8002 (flags O_RDWR|O_LARGEFILE)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 3], 0x8c02),
            pad("fcntl(3, F_GETFL)", "0x8c02 (flags O_RDWR|O_APPEND|O_NONBLOCK|O_LARGEFILE)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 4, 0o6000], 0),
            pad("fcntl(3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK)", "0")
        );
        assert_eq!(line(libc::SYS_fcntl, &[3, 0, 10], 11), pad("fcntl(3, F_DUPFD, 10)", "11"));
        assert_eq!(line(libc::SYS_fcntl, &[3, 1030, 20], 20), pad("fcntl(3, F_DUPFD_CLOEXEC, 20)", "20"));
        let mut fl = [0i64; 4];
        fl[0] = 1; // F_WRLCK, SEEK_SET
        fl[2] = 10;
        let fa = fl.as_mut_ptr() as usize;
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 6, fa], 0),
            pad("fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10})", "0")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 7, fa], 0),
            pad("fcntl(3, F_SETLKW, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10})", "0")
        );
        fl[0] = 2;
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 5, fa], 0),
            pad("fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0})", "0")
        );
        fl[0] = 2 | (1 << 16);
        fl[1] = -5;
        fl[2] = 0;
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 6, fa], EINVAL),
            pad(
                "fcntl(3, F_SETLK, {l_type=F_UNLCK, l_whence=SEEK_CUR, l_start=-5, l_len=0})",
                "-1 EINVAL (Invalid argument)"
            )
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 6, 0x10], EFAULT),
            pad("fcntl(3, F_SETLK, 0x10)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 36, fa], EINVAL),
            pad(&format!("fcntl(3, F_OFD_GETLK, {})", addr(fl.as_ptr())), "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(libc::SYS_fcntl, &[3, 9], 0), pad("fcntl(3, F_GETOWN)", "0"));
        assert_eq!(line(libc::SYS_fcntl, &[3, 8, 0], 0), pad("fcntl(3, F_SETOWN, 0)", "0"));
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 1032], EBADF),
            pad("fcntl(3, F_GETPIPE_SZ)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 1033, 8], EINVAL),
            pad("fcntl(3, F_ADD_SEALS, F_SEAL_WRITE)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 1034], EINVAL),
            pad("fcntl(3, F_GET_SEALS)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 1024, 0], -libc::EAGAIN as isize),
            pad("fcntl(3, F_SETLEASE, F_RDLCK)", "-1 EAGAIN (Resource temporarily unavailable)")
        );
        assert_eq!(line(libc::SYS_fcntl, &[3, 1025], 2), pad("fcntl(3, F_GETLEASE)", "0x2 (F_UNLCK)"));
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 1026, 0x8000_0002], -libc::ENOTDIR as isize),
            pad("fcntl(3, F_NOTIFY, DN_MODIFY|DN_MULTISHOT)", "-1 ENOTDIR (Not a directory)")
        );
        assert_eq!(line(libc::SYS_fcntl, &[3, 11], 0), pad("fcntl(3, F_GETSIG)", "0"));
        assert_eq!(
            line(libc::SYS_fcntl, &[3, 9999, 5], EINVAL),
            pad("fcntl(3, 0x270f /* F_??? */, 0x5)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(libc::SYS_fcntl, &[99, 1], EBADF), pad("fcntl(99, F_GETFD)", "-1 EBADF (Bad file descriptor)"));
        assert_eq!(line(libc::SYS_flock, &[3, 2], 0), pad("flock(3, LOCK_EX)", "0"));
        assert_eq!(line(libc::SYS_flock, &[3, 5], 0), pad("flock(3, LOCK_SH|LOCK_NB)", "0"));
        assert_eq!(line(libc::SYS_flock, &[3, 8], 0), pad("flock(3, LOCK_UN)", "0"));
        assert_eq!(line(libc::SYS_flock, &[3, 0], EINVAL), pad("flock(3, 0)", "-1 EINVAL (Invalid argument)"));
        assert_eq!(line(libc::SYS_flock, &[3, 0x60], 0), pad("flock(3, LOCK_MAND|LOCK_READ)", "0"));
        assert_eq!(render(&raw, libc::SYS_fcntl, &[3, 1], 1), pad("fcntl(3, 0x1)", "0x1 (flags 0x1)"));
        assert_eq!(
            render(&verbose, libc::SYS_fcntl, &[3, 1], 1),
            pad("fcntl(3, 0x1 /* F_GETFD */)", "0x1 (flags 0x1 /* FD_CLOEXEC */)")
        );
        assert_eq!(
            render(&raw, libc::SYS_fcntl, &[3, 3], 0x8002),
            pad("fcntl(3, 0x3)", "0x8002 (flags O_RDWR|O_LARGEFILE)")
        );
        assert_eq!(render(&raw, libc::SYS_flock, &[3, 5], 0), pad("flock(3, 0x5)", "0"));
        assert_eq!(
            render(&verbose, libc::SYS_fcntl, &[3, 2, 1], 0),
            pad("fcntl(3, 0x2 /* F_SETFD */, 0x1 /* FD_CLOEXEC */)", "0")
        );
    }

    #[test]
    fn ioctl_tty_and_generic() {
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        let ptmx = c("/dev/ptmx");
        let m = sc(libc::SYS_open, &[ptmx.as_ptr() as usize, 0o400002]);
        assert!(m >= 0, "no /dev/ptmx");
        let m = m as usize;
        let mut n = 0i32;
        let na = &mut n as *mut i32 as usize;
        assert_eq!(sc(libc::SYS_ioctl, &[m, 0x40045431, na]), 0);
        assert_eq!(line(libc::SYS_ioctl, &[m, 0x40045431, na], 0), pad(&format!("ioctl({m}, TIOCSPTLCK, [0])"), "0"));
        assert_eq!(sc(libc::SYS_ioctl, &[m, 0x80045430, na]), 0);
        assert_eq!(line(libc::SYS_ioctl, &[m, 0x80045430, na], 0), pad(&format!("ioctl({m}, TIOCGPTN, [{n}])"), "0"));
        let pts = c(&format!("/dev/pts/{n}"));
        let s = sc(libc::SYS_open, &[pts.as_ptr() as usize, 0o400002]) as usize;
        let mut tio = [0u32; 15];
        let ta = tio.as_mut_ptr() as usize;
        let r = sc(libc::SYS_ioctl, &[s, 0x5401, ta]);
        assert_eq!(r, 0);
        let abbrev = "{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}";
        assert_eq!(line(libc::SYS_ioctl, &[s, 0x5401, ta], r), pad(&format!("ioctl({s}, TCGETS, {abbrev})"), "0"));
        assert_eq!(
            line(libc::SYS_ioctl, &[s, 0x5402, ta], 0),
            pad(&format!("ioctl({s}, SNDCTL_TMR_START or TCSETS, {abbrev})"), "0")
        );
        assert_eq!(
            render(&raw, libc::SYS_ioctl, &[s, 0x5401, ta], 0),
            pad(&format!("ioctl({s}, 0x5401, {{c_iflag=0x500, c_oflag=0|0|0|0|0|0|0x5, c_cflag=0xf|0x30|0x80, c_lflag=0x8a3b, ...}})"), "0")
        );
        assert_eq!(
            render(&verbose, libc::SYS_ioctl, &[s, 0x5401, ta], 0),
            pad(&format!("ioctl({s}, 0x5401 /* TCGETS */, {{c_iflag=0x500 /* ICRNL|IXON */, c_oflag=0 /* NL0 */|0 /* CR0 */|0 /* TAB0 */|0 /* BS0 */|0 /* VT0 */|0 /* FF0 */|0x5 /* OPOST|ONLCR */, c_cflag=0xf /* B38400 */|0x30 /* CS8 */|0x80 /* CREAD */, c_lflag=0x8a3b /* ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE */, ...}})"), "0")
        );
        let v = with(|o| o.verbose = true);
        assert_eq!(
            render(&v, libc::SYS_ioctl, &[s, 0x5401, ta], 0),
            pad(&format!("ioctl({s}, TCGETS, {{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}})"), "0")
        );
        let mut ws = [0u16; 4];
        let wa = ws.as_mut_ptr() as usize;
        let r = sc(libc::SYS_ioctl, &[s, 0x5413, wa]);
        assert_eq!(
            line(libc::SYS_ioctl, &[s, 0x5413, wa], r),
            pad(&format!("ioctl({s}, TIOCGWINSZ, {{ws_row=0, ws_col=0, ws_xpixel=0, ws_ypixel=0}})"), "0")
        );
        ws = [24, 80, 0, 0];
        assert_eq!(
            line(libc::SYS_ioctl, &[s, 0x5414, wa], 0),
            pad(&format!("ioctl({s}, TIOCSWINSZ, {{ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}})"), "0")
        );
        let enotty = -libc::ENOTTY as isize;
        assert_eq!(
            line(libc::SYS_ioctl, &[3, 0x5413, wa], enotty),
            pad(&format!("ioctl(3, TIOCGWINSZ, {})", addr(ws.as_ptr())), "-1 ENOTTY (Inappropriate ioctl for device)")
        );
        let mut cnt = 12i32;
        let ca = &mut cnt as *mut i32 as usize;
        assert_eq!(line(libc::SYS_ioctl, &[3, 0x541b, ca], 0), pad("ioctl(3, FIONREAD, [12])", "0"));
        assert_eq!(
            render(&verbose, libc::SYS_ioctl, &[3, 0x541b, ca], 0),
            pad("ioctl(3, 0x541b /* FIONREAD */, [12])", "0")
        );
        let zero = 0i32;
        let za0 = &zero as *const i32 as usize;
        assert_eq!(line(libc::SYS_ioctl, &[3, 0x5421, za0], 0), pad("ioctl(3, FIONBIO, [0])", "0"));
        assert_eq!(line(libc::SYS_ioctl, &[3, 0x5451], 0), pad("ioctl(3, FIOCLEX)", "0"));
        assert_eq!(line(libc::SYS_ioctl, &[3, 0x5450], 0), pad("ioctl(3, FIONCLEX)", "0"));
        assert_eq!(line(libc::SYS_ioctl, &[s, 0x540b, 0], 0), pad(&format!("ioctl({s}, TCFLSH, TCIFLUSH)"), "0"));
        assert_eq!(
            line(libc::SYS_ioctl, &[s, 0x540f, za0], enotty),
            pad(
                &format!("ioctl({s}, TIOCGPGRP, {})", addr(za0 as *const u8)),
                "-1 ENOTTY (Inappropriate ioctl for device)"
            )
        );
        assert_eq!(
            line(libc::SYS_ioctl, &[s, 0x5410, za0], enotty),
            pad(&format!("ioctl({s}, TIOCSPGRP, [0])"), "-1 ENOTTY (Inappropriate ioctl for device)")
        );
        assert_eq!(line(libc::SYS_ioctl, &[m, 0x5441, 0x102], 5), pad(&format!("ioctl({m}, TIOCGPTPEER, 0x102)"), "5"));
        for (code, text, arg) in [
            (0xdeadbeef_usize, "_IOC(_IOC_READ|_IOC_WRITE, 0xbe, 0xef, 0x1ead)", "0x1234"),
            (0x80047801, "_IOC(_IOC_READ, 0x78, 0x1, 0x4)", "0x1234"),
            (0x40087802, "_IOC(_IOC_WRITE, 0x78, 0x2, 0x8)", "0x1234"),
            (0xc0647803, "_IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x3, 0x64)", "0x1234"),
            (0x7804, "_IOC(_IOC_NONE, 0x78, 0x4, 0)", "0"),
        ] {
            let a = if arg == "0" { 0 } else { 0x1234 };
            assert_eq!(
                line(libc::SYS_ioctl, &[3, code, a], enotty),
                pad(&format!("ioctl(3, {text}, {arg})"), "-1 ENOTTY (Inappropriate ioctl for device)")
            );
            assert_eq!(
                render(&raw, libc::SYS_ioctl, &[3, code, a], enotty),
                pad(&format!("ioctl(3, {code:#x}, {arg})"), "-1 ENOTTY (Inappropriate ioctl for device)")
            );
            assert_eq!(
                render(&verbose, libc::SYS_ioctl, &[3, code, a], enotty),
                pad(&format!("ioctl(3, {code:#x} /* {text} */, {arg})"), "-1 ENOTTY (Inappropriate ioctl for device)")
            );
        }
        sc(libc::SYS_close, &[s]);
        sc(libc::SYS_close, &[m]);
    }

    #[test]
    fn getdents64_entries() {
        let dir = tmpdir("dents");
        std::fs::write(format!("{dir}/file"), b"").unwrap();
        std::fs::create_dir(format!("{dir}/sub")).unwrap();
        let dc = c(&dir);
        let fd = sc(libc::SYS_open, &[dc.as_ptr() as usize, 0o200000]) as usize;
        let mut buf = [0u64; 512];
        let b = buf.as_mut_ptr() as usize;
        let r = sc(libc::SYS_getdents64, &[fd, b, 4096]);
        assert!(r > 0);
        assert_eq!(
            line(libc::SYS_getdents64, &[fd, b, 4096], r),
            pad(&format!("getdents64({fd}, {} /* 4 entries */, 4096)", addr(buf.as_ptr())), &r.to_string())
        );
        // -v: each entry, as the kernel laid them out.
        let mut entries = Vec::new();
        let mut off = 0usize;
        while off < r as usize {
            let p = b + off;
            // SAFETY: within the `r` bytes the kernel filled.
            let (ino, doff, reclen, ty) = unsafe {
                (*(p as *const u64), *((p + 8) as *const u64), *((p + 16) as *const u16), *((p + 18) as *const u8))
            };
            // SAFETY: d_name is NUL-terminated within the record.
            let name = unsafe { std::ffi::CStr::from_ptr((p + 19) as *const libc::c_char) };
            let ty = match ty {
                4 => "DT_DIR",
                8 => "DT_REG",
                _ => "?",
            };
            entries.push(format!(
                "{{d_ino={ino}, d_off={doff}, d_reclen={reclen}, d_type={ty}, d_name=\"{}\"}}",
                name.to_str().unwrap()
            ));
            off += reclen as usize;
        }
        let v = with(|o| o.verbose = true);
        assert_eq!(
            render(&v, libc::SYS_getdents64, &[fd, b, 4096], r),
            pad(&format!("getdents64({fd}, [{}], 4096)", entries.join(", ")), &r.to_string())
        );
        let r = sc(libc::SYS_getdents64, &[fd, b, 4096]);
        assert_eq!(r, 0);
        assert_eq!(
            line(libc::SYS_getdents64, &[fd, b, 4096], 0),
            pad(&format!("getdents64({fd}, {} /* 0 entries */, 4096)", addr(buf.as_ptr())), "0")
        );
        assert_eq!(
            render(&v, libc::SYS_getdents64, &[fd, b, 4096], 0),
            pad(&format!("getdents64({fd}, [], 4096)"), "0")
        );
        assert_eq!(
            line(libc::SYS_getdents64, &[3, b, 4096], -libc::ENOTDIR as isize),
            pad(&format!("getdents64(3, {}, 4096)", addr(buf.as_ptr())), "-1 ENOTDIR (Not a directory)")
        );
        sc(libc::SYS_close, &[fd]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn times_copies_special_files() {
        let p = c("data.txt");
        let pa = p.as_ptr() as usize;
        let fdcwd = libc::AT_FDCWD as usize;
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        let verbose = with(|o| o.xlat = XlatStyle::Verbose);
        let mut ts: [i64; 4] = [1_000_000_000, 5, 0, 0x3fff_fffe];
        let ta = ts.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_utimensat, &[fdcwd, pa, ta, 0], 0),
            pad("utimensat(AT_FDCWD, \"data.txt\", [{tv_sec=1000000000, tv_nsec=5} /* 2001-09-09T01:46:40.000000005+0000 */, UTIME_OMIT], 0)", "0")
        );
        assert_eq!(
            render(&raw, libc::SYS_utimensat, &[fdcwd, pa, ta, 0], 0),
            pad("utimensat(-100, \"data.txt\", [{tv_sec=1000000000, tv_nsec=5} /* 2001-09-09T01:46:40.000000005+0000 */, {tv_sec=0, tv_nsec=1073741822}], 0)", "0")
        );
        // SAFETY: a plain store; volatile because only the decoder (through the kernel) reads it.
        unsafe { std::ptr::write_volatile(&mut ts[1], 0x3fff_ffff) };
        assert_eq!(
            line(libc::SYS_utimensat, &[fdcwd, pa, ta, 0x100], 0),
            pad("utimensat(AT_FDCWD, \"data.txt\", [UTIME_NOW, UTIME_OMIT], AT_SYMLINK_NOFOLLOW)", "0")
        );
        assert_eq!(
            render(&verbose, libc::SYS_utimensat, &[fdcwd, pa, ta, 0x100], 0),
            pad("utimensat(-100 /* AT_FDCWD */, \"data.txt\", [{tv_sec=1000000000, tv_nsec=1073741823} /* UTIME_NOW */, {tv_sec=0, tv_nsec=1073741822} /* UTIME_OMIT */], 0x100 /* AT_SYMLINK_NOFOLLOW */)", "0")
        );
        assert_eq!(line(libc::SYS_utimensat, &[3, 0, 0, 0], 0), pad("utimensat(3, NULL, NULL, 0)", "0"));
        assert_eq!(
            line(libc::SYS_utimensat, &[fdcwd, pa, 0x10, 0], EFAULT),
            pad("utimensat(AT_FDCWD, \"data.txt\", 0x10, 0)", "-1 EFAULT (Bad address)")
        );
        let tv: [i64; 4] = [1_000_000_000, 7, 1_000_000_001, 0];
        let tva = tv.as_ptr() as usize;
        let tvs = "[{tv_sec=1000000000, tv_usec=7} /* 2001-09-09T01:46:40.000007+0000 */, {tv_sec=1000000001, tv_usec=0} /* 2001-09-09T01:46:41+0000 */]";
        assert_eq!(
            line(libc::SYS_futimesat, &[fdcwd, pa, tva], 0),
            pad(&format!("futimesat(AT_FDCWD, \"data.txt\", {tvs})"), "0")
        );
        assert_eq!(line(libc::SYS_futimesat, &[fdcwd, pa, 0], 0), pad("futimesat(AT_FDCWD, \"data.txt\", NULL)", "0"));
        assert_eq!(line(libc::SYS_utimes, &[pa, tva], 0), pad(&format!("utimes(\"data.txt\", {tvs})"), "0"));

        let mut off: i64 = 7;
        let oa = &mut off as *mut i64 as usize;
        // The entry half reads the offset before the call, the exit half after it.
        let mut entry = [0u8; 512];
        let mut o = Out::new(&mut entry);
        let opts = TraceOpts::default();
        let args = [6, 3, oa, 5, 0, 0];
        super::super::decode(&mut o, libc::SYS_sendfile as usize, args, 0, Phase::Entry, &opts);
        // SAFETY: as above: the new offset the call would have stored.
        unsafe { std::ptr::write_volatile(&mut off, 12) };
        super::super::decode(&mut o, libc::SYS_sendfile as usize, args, 5, Phase::Exit, &opts);
        assert_eq!(std::str::from_utf8(o.as_bytes()).unwrap(), "sendfile(6, 3, [7] => [12], 5)");
        assert_eq!(line(libc::SYS_sendfile, &[6, 3, 0, 5], 5), pad("sendfile(6, 3, NULL, 5)", "5"));
        assert_eq!(
            line(libc::SYS_sendfile, &[6, 99, oa, 5], EBADF),
            pad("sendfile(6, 99, [12], 5)", "-1 EBADF (Bad file descriptor)")
        );
        let zeros = [0i64; 2];
        let za = zeros.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_copy_file_range, &[3, za, 6, za + 8, 4, 0], 4),
            pad("copy_file_range(3, [0], 6, [0], 4, 0)", "4")
        );
        assert_eq!(
            line(libc::SYS_copy_file_range, &[3, 0, 6, 0, 4, 0], 4),
            pad("copy_file_range(3, NULL, 6, NULL, 4, 0)", "4")
        );
        assert_eq!(line(libc::SYS_fallocate, &[6, 0, 0, 100], 0), pad("fallocate(6, 0, 0, 100)", "0"));
        assert_eq!(
            line(libc::SYS_fallocate, &[6, 3, 0, 100], 0),
            pad("fallocate(6, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 100)", "0")
        );
        assert_eq!(
            line(libc::SYS_fallocate, &[6, 0x80, 0, 100], -libc::EOPNOTSUPP as isize),
            pad("fallocate(6, 0x80 /* FALLOC_FL_??? */, 0, 100)", "-1 EOPNOTSUPP (Operation not supported)")
        );
        assert_eq!(render(&raw, libc::SYS_fallocate, &[6, 3, 0, 100], 0), pad("fallocate(6, 0x3, 0, 100)", "0"));
        assert_eq!(
            line(libc::SYS_fadvise64, &[3, 0, 100, 2], 0),
            pad("fadvise64(3, 0, 100, POSIX_FADV_SEQUENTIAL)", "0")
        );
        assert_eq!(line(libc::SYS_fadvise64, &[3, 0, 0, 4], 0), pad("fadvise64(3, 0, 0, POSIX_FADV_DONTNEED)", "0"));
        assert_eq!(
            line(libc::SYS_fadvise64, &[3, 0, 0, 77], EINVAL),
            pad("fadvise64(3, 0, 0, 0x4d /* POSIX_FADV_??? */)", "-1 EINVAL (Invalid argument)")
        );

        let f = c("fifo");
        let fa = f.as_ptr() as usize;
        assert_eq!(line(libc::SYS_mknod, &[fa, 0o10644, 0], 0), pad("mknod(\"fifo\", S_IFIFO|0644)", "0"));
        assert_eq!(
            line(libc::SYS_mknod, &[fa, 0o20600, 0x103], 0),
            pad("mknod(\"fifo\", S_IFCHR|0600, makedev(0x1, 0x3))", "0")
        );
        assert_eq!(line(libc::SYS_mknod, &[fa, 0o600, 0], 0), pad("mknod(\"fifo\", 0600)", "0"));
        assert_eq!(line(libc::SYS_mknod, &[fa, 0o4600, 0], 0), pad("mknod(\"fifo\", S_ISUID|0600)", "0"));
        assert_eq!(render(&raw, libc::SYS_mknod, &[fa, 0o20600, 0x103], 0), pad("mknod(\"fifo\", 020600, 0x103)", "0"));
        assert_eq!(render(&verbose, libc::SYS_mknod, &[fa, 0o600, 0], 0), pad("mknod(\"fifo\", 0600 /* 0600 */)", "0"));
        assert_eq!(
            render(&verbose, libc::SYS_mknodat, &[fdcwd, fa, 0o60600, 0x801], 0),
            pad(
                "mknodat(-100 /* AT_FDCWD */, \"fifo\", 060600 /* S_IFBLK|0600 */, 0x801 /* makedev(0x8, 0x1) */)",
                "0"
            )
        );
        assert_eq!(
            line(libc::SYS_mknodat, &[fdcwd, fa, 0o140600, 0], 0),
            pad("mknodat(AT_FDCWD, \"fifo\", S_IFSOCK|0600)", "0")
        );

        let name = c("myfd");
        let na = name.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_memfd_create, &[na, 3], 7),
            pad("memfd_create(\"myfd\", MFD_CLOEXEC|MFD_ALLOW_SEALING)", "7")
        );
        let y = with(|o| o.fd_paths = true);
        assert_eq!(line(libc::SYS_memfd_create, &[na, 0], 8), pad("memfd_create(\"myfd\", 0)", "8"));
        let long = c("0123456789012345678901234567890123456789");
        let la = long.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_memfd_create, &[la, 0x5400_0004], 9),
            pad("memfd_create(\"01234567890123456789012345678901\"..., MFD_HUGETLB|21<<MFD_HUGE_SHIFT)", "9")
        );
        assert_eq!(
            render(&raw, libc::SYS_memfd_create, &[la, 0x5400_0004], 9),
            pad("memfd_create(\"01234567890123456789012345678901\"..., 0x54000004)", "9")
        );
        assert_eq!(
            render(&verbose, libc::SYS_memfd_create, &[la, 0x5400_0004], 9),
            pad("memfd_create(\"01234567890123456789012345678901\"..., 0x54000004 /* MFD_HUGETLB|21<<MFD_HUGE_SHIFT */)", "9")
        );

        assert_eq!(line(libc::SYS_inotify_init1, &[0o2004000], 12), pad("inotify_init1(IN_NONBLOCK|IN_CLOEXEC)", "12"));
        assert_eq!(line(libc::SYS_inotify_init1, &[0], 13), pad("inotify_init1(0)", "13"));
        let t = c("/tmp");
        let tpa = t.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_inotify_add_watch, &[12, tpa, 0x1000302], 1),
            pad("inotify_add_watch(12, \"/tmp\", IN_MODIFY|IN_CREATE|IN_DELETE|IN_ONLYDIR)", "1")
        );
        assert_eq!(
            line(libc::SYS_inotify_add_watch, &[12, tpa, 0xfff], 2),
            pad("inotify_add_watch(12, \"/tmp\", IN_ACCESS|IN_MODIFY|IN_ATTRIB|IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_OPEN|IN_MOVED_FROM|IN_MOVED_TO|IN_CREATE|IN_DELETE|IN_DELETE_SELF|IN_MOVE_SELF)", "2")
        );
        assert_eq!(
            line(libc::SYS_inotify_add_watch, &[12, tpa, 0], EINVAL),
            pad("inotify_add_watch(12, \"/tmp\", 0)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(libc::SYS_inotify_rm_watch, &[12, 1], 0), pad("inotify_rm_watch(12, 1)", "0"));
        assert_eq!(
            line(libc::SYS_inotify_rm_watch, &[99, usize::MAX], EBADF),
            pad("inotify_rm_watch(99, -1)", "-1 EBADF (Bad file descriptor)")
        );
        let efd = sc(libc::SYS_eventfd2, &[0, 0o2004000]);
        assert_eq!(
            render(&y, libc::SYS_eventfd2, &[0, 0o2004000], efd),
            pad("eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK)", &format!("{efd}<anon_inode:[eventfd]>"))
        );
        sc(libc::SYS_close, &[efd as usize]);
        assert_eq!(line(libc::SYS_eventfd2, &[5, 1], 15), pad("eventfd2(5, EFD_SEMAPHORE)", "15"));
        assert_eq!(render(&raw, libc::SYS_eventfd2, &[5, 1], 15), pad("eventfd2(5, 0x1)", "15"));
        assert_eq!(line(libc::SYS_eventfd, &[7], 17), pad("eventfd(7)", "17"));

        assert_eq!(
            line(libc::SYS_timerfd_create, &[1, 0o2004000], 18),
            pad("timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK)", "18")
        );
        assert_eq!(line(libc::SYS_timerfd_create, &[0, 0], 19), pad("timerfd_create(CLOCK_REALTIME, 0)", "19"));
        assert_eq!(
            line(libc::SYS_timerfd_create, &[99, 0], EINVAL),
            pad("timerfd_create(0x63 /* CLOCK_??? */, 0)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            render(&verbose, libc::SYS_timerfd_create, &[0, 0], 19),
            pad("timerfd_create(0 /* CLOCK_REALTIME */, 0)", "19")
        );
        let its: [i64; 8] = [1, 0, 5, 500, 0, 0, 0, 0];
        let ia = its.as_ptr() as usize;
        let spec = "{it_interval={tv_sec=1, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=500}}";
        assert_eq!(
            line(libc::SYS_timerfd_settime, &[18, 0, ia, ia + 32], 0),
            pad(&format!("timerfd_settime(18, 0, {spec}, {{it_interval={{tv_sec=0, tv_nsec=0}}, it_value={{tv_sec=0, tv_nsec=0}}}})"), "0")
        );
        assert_eq!(
            line(libc::SYS_timerfd_settime, &[18, 3, ia, 0], 0),
            pad(&format!("timerfd_settime(18, TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET, {spec}, NULL)"), "0")
        );
        assert_eq!(line(libc::SYS_timerfd_gettime, &[18, ia], 0), pad(&format!("timerfd_gettime(18, {spec})"), "0"));
        assert_eq!(
            line(libc::SYS_timerfd_gettime, &[18, 0x10], EFAULT),
            pad("timerfd_gettime(18, 0x10)", "-1 EFAULT (Bad address)")
        );
    }

    /// strace -y prints a deleted file as `7</memfd:myfd>(deleted)` (the " (deleted)" suffix
    /// of the link moved after the brackets); `common::print_fd` (not this family's file)
    /// prints the link as it reads, `7</memfd:myfd (deleted)>`.
    #[test]
    fn fd_paths_of_deleted_files() {
        let name = c("myfd");
        let na = name.as_ptr() as usize;
        let fd = sc(libc::SYS_memfd_create, &[na, 3]);
        let y = with(|o| o.fd_paths = true);
        let got = render(&y, libc::SYS_memfd_create, &[na, 3], fd);
        sc(libc::SYS_close, &[fd as usize]);
        assert_eq!(
            got,
            pad("memfd_create(\"myfd\", MFD_CLOEXEC|MFD_ALLOW_SEALING)", &format!("{fd}</memfd:myfd>(deleted)"))
        );
    }

    /// strace prints a failed call's NULL output buffer as `NULL`; the framework's
    /// `Decoder::out_buf` (used by read) prints `0`. The decoders here print `NULL`.
    #[test]
    fn read_null_buffer_prints_null() {
        assert_eq!(line(libc::SYS_read, &[0, 0, 5], EFAULT), pad("read(0, NULL, 5)", "-1 EFAULT (Bad address)"));
    }

    /// strace -x keeps C escapes for whitespace and hex-quotes a whole string only when one
    /// of its bytes is neither printable nor whitespace; `Out::quoted` (out.rs) hex-quotes
    /// each non-printable byte instead.
    #[test]
    fn hex_quoting_follows_strace() {
        let x = with(|o| o.hex_strings = 1);
        let text = b"hello world\n";
        assert_eq!(
            render(&x, libc::SYS_pwrite64, &[3, text.as_ptr() as usize, 12, 0], 12),
            pad("pwrite64(3, \"hello world\\n\", 12, 0)", "12")
        );
        let bin = b"LO\n\0";
        assert_eq!(
            render(&x, libc::SYS_pwrite64, &[3, bin.as_ptr() as usize, 4, 0], 4),
            pad("pwrite64(3, \"\\x4c\\x4f\\x0a\\x00\", 4, 0)", "4")
        );
    }

    /// A line written whole at exit (-z, -Z, -e status=) runs the entry half again after the
    /// call: sendfile and copy_file_range still show the offsets as they were before it, as
    /// strace does, and `--json` shows sendfile's arguments one by one.
    #[test]
    fn offsets_before_the_call_survive_a_whole_line() {
        let offs = std::cell::UnsafeCell::new([2i64, 1, 9]);
        let p = offs.get() as *mut i64;
        let (a0, a1, a2) = (p as usize, p as usize + 8, p as usize + 16);
        let opts = TraceOpts::default();
        let again = |nr: libc::c_long, args: [usize; 6], ret: isize, moved: [i64; 3]| {
            let mut b1 = vec![0u8; 4096];
            let mut o = Out::new(&mut b1);
            let entry = super::super::decode(&mut o, nr as usize, args, 0, Phase::Entry, &opts);
            // SAFETY: `offs` is live and only this thread touches it; no reference into it is
            // held: the new offsets the call would have stored.
            unsafe { std::ptr::write_volatile(offs.get(), moved) };
            let mut b2 = vec![0u8; 4096];
            let mut w = Out::new(&mut b2);
            super::super::decode_with(&mut w, nr as usize, args, 0, Phase::Entry, &opts, entry.carried);
            super::super::decode_with(&mut w, nr as usize, args, ret, Phase::Exit, &opts, entry.carried);
            let mut b3 = vec![0u8; 4096];
            let mut j = Out::new(&mut b3);
            super::super::write_json(&mut j, 1, nr as usize, args, ret, None, &opts, entry.carried);
            // SAFETY: as above: back to the values before the call for the next case.
            unsafe { std::ptr::write_volatile(offs.get(), [2, 1, 9]) };
            (String::from_utf8_lossy(w.as_bytes()).into_owned(), String::from_utf8_lossy(j.as_bytes()).into_owned())
        };
        let (l, j) = again(libc::SYS_sendfile, [4, 3, a0, 5, 0, 0], 5, [7, 1, 9]);
        assert_eq!(l, "sendfile(4, 3, [2] => [7], 5)");
        assert_eq!(j, "{\"pid\":1,\"syscall\":\"sendfile\",\"args\":[\"4\",\"3\",\"[2] => [7]\",\"5\"],\"result\":5}");
        let (l, j) = again(libc::SYS_sendfile, [4, 3, 0, 5, 0, 0], 5, [7, 1, 9]);
        assert_eq!(l, "sendfile(4, 3, NULL, 5)");
        assert_eq!(j, "{\"pid\":1,\"syscall\":\"sendfile\",\"args\":[\"4\",\"3\",\"NULL\",\"5\"],\"result\":5}");
        let (l, _) = again(libc::SYS_sendfile, [4, 3, a0, 5, 0, 0], EBADF, [7, 1, 9]);
        assert_eq!(l, "sendfile(4, 3, [2], 5)");
        let (l, j) = again(libc::SYS_copy_file_range, [3, a1, 4, a2, 3, 0], 3, [2, 4, 12]);
        assert_eq!(l, "copy_file_range(3, [1], 4, [9], 3, 0)");
        assert_eq!(
            j,
            "{\"pid\":1,\"syscall\":\"copy_file_range\",\"args\":[\"3\",\"[1]\",\"4\",\"[9]\",\"3\",\"0\"],\"result\":3}"
        );
        let (l, _) = again(libc::SYS_copy_file_range, [3, a1, 4, 0x10, 3, 0], EFAULT, [2, 4, 12]);
        assert_eq!(l, "copy_file_range(3, [1], 4, 0x10, 3, 0)");
    }
}
