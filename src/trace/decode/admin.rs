//! Decoders: system administration calls — mounts (the old `mount(2)` and the new mount API),
//! host and domain names (see the module docs of `decode` for the pattern).
//!
//! The printers follow strace 6.1's `mount.c`, `umount.c`, `sethostname.c`/`setdomainname`,
//! `fsmount.c`, `open_tree.c`, `move_mount.c` and `mount_setattr.c`.

use core::fmt::Write;

use super::common::{fetch, print_fd, xflags, xlat_known, xval, Xlat};
use super::{DecodeFn, Decoder, Ret};
use crate::sys;
use crate::trace::out::{Out, STR_CHUNK};
use crate::trace::TraceOpts;

// ---------------------------------------------------------------------------------------------
// Tables (x86-64 values, strace's order).

const MS_FLAGS: Xlat = &[
    (1, "MS_RDONLY"),
    (2, "MS_NOSUID"),
    (4, "MS_NODEV"),
    (8, "MS_NOEXEC"),
    (16, "MS_SYNCHRONOUS"),
    (32, "MS_REMOUNT"),
    (64, "MS_MANDLOCK"),
    (128, "MS_DIRSYNC"),
    (256, "MS_NOSYMFOLLOW"),
    (1024, "MS_NOATIME"),
    (2048, "MS_NODIRATIME"),
    (4096, "MS_BIND"),
    (8192, "MS_MOVE"),
    (16384, "MS_REC"),
    (32768, "MS_SILENT"),
    (1 << 16, "MS_POSIXACL"),
    (1 << 17, "MS_UNBINDABLE"),
    (1 << 18, "MS_PRIVATE"),
    (1 << 19, "MS_SLAVE"),
    (1 << 20, "MS_SHARED"),
    (1 << 21, "MS_RELATIME"),
    (1 << 22, "MS_KERNMOUNT"),
    (1 << 23, "MS_I_VERSION"),
    (1 << 24, "MS_STRICTATIME"),
    (1 << 25, "MS_LAZYTIME"),
    (1 << 26, "MS_SUBMOUNT"),
    (1 << 27, "MS_NOREMOTELOCK"),
    (1 << 28, "MS_NOSEC"),
    (1 << 29, "MS_BORN"),
    (1 << 30, "MS_ACTIVE"),
    (1 << 31, "MS_NOUSER"),
];

const MS_REMOUNT: u64 = 32;
/// Flags that make the kernel ignore the type and the data (bind, move, propagation changes).
const MS_IGNORES_TYPE_AND_DATA: u64 = 4096 | 8192 | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
/// The old magic number in the flags' upper half, which the kernel strips.
const MS_MGC_VAL: u64 = 0xc0ed_0000;
const MS_MGC_MSK: u64 = 0xffff_0000;

const UMOUNT_FLAGS: Xlat = &[(1, "MNT_FORCE"), (2, "MNT_DETACH"), (4, "MNT_EXPIRE"), (8, "UMOUNT_NOFOLLOW")];

/// The kernel's limit on host and domain names (`__NEW_UTS_LEN`).
const UTS_LEN: u32 = 64;

const OPEN_TREE_FLAGS: Xlat = &[
    (1, "OPEN_TREE_CLONE"),
    (0x80000, "OPEN_TREE_CLOEXEC"),
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
];

const MOVE_MOUNT_FLAGS: Xlat = &[
    (1, "MOVE_MOUNT_F_SYMLINKS"),
    (2, "MOVE_MOUNT_F_AUTOMOUNTS"),
    (4, "MOVE_MOUNT_F_EMPTY_PATH"),
    (0x10, "MOVE_MOUNT_T_SYMLINKS"),
    (0x20, "MOVE_MOUNT_T_AUTOMOUNTS"),
    (0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
    (0x100, "MOVE_MOUNT_SET_GROUP"),
];

const FSOPEN_FLAGS: Xlat = &[(1, "FSOPEN_CLOEXEC")];
const FSMOUNT_FLAGS: Xlat = &[(1, "FSMOUNT_CLOEXEC")];
const FSPICK_FLAGS: Xlat =
    &[(1, "FSPICK_CLOEXEC"), (2, "FSPICK_SYMLINK_NOFOLLOW"), (4, "FSPICK_NO_AUTOMOUNT"), (8, "FSPICK_EMPTY_PATH")];

const FSCONFIG_CMDS: Xlat = &[
    (0, "FSCONFIG_SET_FLAG"),
    (1, "FSCONFIG_SET_STRING"),
    (2, "FSCONFIG_SET_BINARY"),
    (3, "FSCONFIG_SET_PATH"),
    (4, "FSCONFIG_SET_PATH_EMPTY"),
    (5, "FSCONFIG_SET_FD"),
    (6, "FSCONFIG_CMD_CREATE"),
    (7, "FSCONFIG_CMD_RECONFIGURE"),
];

const MOUNT_ATTR_FLAGS: Xlat = &[
    (0x1, "MOUNT_ATTR_RDONLY"),
    (0x2, "MOUNT_ATTR_NOSUID"),
    (0x4, "MOUNT_ATTR_NODEV"),
    (0x8, "MOUNT_ATTR_NOEXEC"),
    (0x10, "MOUNT_ATTR_NOATIME"),
    (0x20, "MOUNT_ATTR_STRICTATIME"),
    (0x80, "MOUNT_ATTR_NODIRATIME"),
    (0x10_0000, "MOUNT_ATTR_IDMAP"),
    (0x20_0000, "MOUNT_ATTR_NOSYMFOLLOW"),
];
const MOUNT_ATTR_IDMAP: u64 = 0x10_0000;
/// fsmount's attributes: strace 6.1 names only the first seven there.
const FSMOUNT_ATTR_FLAGS: Xlat = MOUNT_ATTR_FLAGS.split_at(7).0;

const MOUNT_SETATTR_FLAGS: Xlat =
    &[(0x100, "AT_SYMLINK_NOFOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"), (0x8000, "AT_RECURSIVE")];

const MOUNT_PROPAGATION: Xlat =
    &[(1 << 17, "MS_UNBINDABLE"), (1 << 18, "MS_PRIVATE"), (1 << 19, "MS_SLAVE"), (1 << 20, "MS_SHARED")];

/// `sizeof(struct mount_attr)` in strace 6.1 (`MOUNT_ATTR_SIZE_VER0`): a smaller size prints
/// as the address, the bytes of a larger one past it print when any is set.
const MOUNT_ATTR_SIZE: usize = 32;

// ---------------------------------------------------------------------------------------------
// mount(2) and friends.

fn mount(d: &mut Decoder) {
    let mut flags = d.args[3] as u64;
    let old_magic = flags & MS_MGC_MSK == MS_MGC_VAL;
    if old_magic {
        flags &= !MS_MGC_MSK;
    }
    // What the kernel ignores prints as an address, as strace does: the type on a remount, the
    // type and the data on a bind, a move or a propagation change.
    let (ignore_type, ignore_data) = if flags & MS_REMOUNT != 0 {
        (true, false)
    } else if flags & MS_IGNORES_TYPE_AND_DATA != 0 {
        (true, true)
    } else {
        (false, false)
    };
    d.path(0);
    d.path(1);
    if ignore_type {
        d.ptr(2);
    } else {
        d.string(2);
    }
    d.extra(|o, opts| {
        if old_magic {
            xlat_known(o, opts, MS_MGC_VAL, Some("MS_MGC_VAL"));
            if flags != 0 {
                o.byte(b'|');
            }
        }
        if flags != 0 || !old_magic {
            xflags(o, opts, flags, MS_FLAGS, Some("MS_???"));
        }
    });
    if ignore_data {
        d.ptr(4);
    } else {
        d.string(4);
    }
}

fn umount2(d: &mut Decoder) {
    d.path(0);
    // An int: the register's upper half does not print.
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, UMOUNT_FLAGS, Some("MNT_???")));
}

fn pivot_root(d: &mut Decoder) {
    d.path(0);
    d.path(1);
}

/// sethostname, setdomainname: the name as `len` bytes, or its address when `len` is more than
/// the kernel takes (it refuses that with EINVAL before reading).
fn set_uts_name(d: &mut Decoder) {
    let len = d.args[1] as u32;
    if len > UTS_LEN {
        d.ptr(0);
    } else {
        d.buf(0, len as usize);
    }
    d.uint(1);
}

// ---------------------------------------------------------------------------------------------
// The new mount API.

/// An unsigned int argument as flags (the register's upper half does not print).
fn flags32(d: &mut Decoder, names: Xlat, dflt: &str) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, names, Some(dflt)));
}

fn open_tree(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    flags32(d, OPEN_TREE_FLAGS, "OPEN_TREE_???");
    d.ret_kind = Ret::Fd;
}

fn move_mount(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    d.dirfd(2);
    d.path(3);
    flags32(d, MOVE_MOUNT_FLAGS, "MOVE_MOUNT_???");
}

fn fsopen(d: &mut Decoder) {
    d.string(0);
    flags32(d, FSOPEN_FLAGS, "FSOPEN_???");
    d.ret_kind = Ret::Fd;
}

/// fsconfig: what the key, the value and `aux` are depends on the command, as in strace's
/// `fsconfig.c`: strings, hex bytes, a path and its directory fd, an fd, or unused (addresses).
fn fsconfig(d: &mut Decoder) {
    let cmd = d.args[1] as u32 as u64;
    let aux = d.args[4] as i32;
    d.fd(0);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, FSCONFIG_CMDS, Some("FSCONFIG_???")));
    // The key and a string value are read up to 256 bytes (and -s).
    let str256 = |o: &mut Out, opts: &TraceOpts, a: usize| o.c_str(a, opts.string_limit.min(256), opts);
    if cmd <= 5 {
        d.with(str256);
    } else {
        d.ptr(2);
    }
    match cmd {
        1 => d.with(str256),
        2 if (0..=1024 * 1024).contains(&aux) => d.with(|o, opts, a| {
            // Always hex: a binary value.
            o.mem_str(a, aux as usize, &TraceOpts { hex_strings: 2, ..*opts });
        }),
        3 | 4 => d.path(3),
        _ => d.ptr(3),
    }
    // A path's directory, or the descriptor FSCONFIG_SET_FD passes.
    if cmd == 3 || cmd == 4 {
        d.dirfd(4);
    } else if cmd == 5 {
        d.fd(4);
    } else {
        d.int(4);
    }
}

fn fsmount(d: &mut Decoder) {
    d.fd(0);
    flags32(d, FSMOUNT_FLAGS, "FSMOUNT_???");
    flags32(d, FSMOUNT_ATTR_FLAGS, "MOUNT_ATTR_???");
    d.ret_kind = Ret::Fd;
}

fn fspick(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    flags32(d, FSPICK_FLAGS, "FSPICK_???");
    d.ret_kind = Ret::Fd;
}

/// `{attr_set=..., attr_clr=..., propagation=..., userns_fd=...}`, and the bytes past the
/// structure when the program passed a larger one with any of them set (the kernel's E2BIG).
fn print_mount_attr(o: &mut Out, opts: &TraceOpts, a: usize, size: usize) {
    if size < MOUNT_ATTR_SIZE {
        o.ptr(a);
        return;
    }
    let Some(attr) = fetch::<[u64; 4]>(o, a, false) else { return };
    o.s("{attr_set=");
    xflags(o, opts, attr[0], MOUNT_ATTR_FLAGS, Some("MOUNT_ATTR_???"));
    o.s(", attr_clr=");
    xflags(o, opts, attr[1], MOUNT_ATTR_FLAGS, Some("MOUNT_ATTR_???"));
    o.s(", propagation=");
    xval(o, opts, attr[2], MOUNT_PROPAGATION, Some("MS_???"));
    o.s(", userns_fd=");
    // A user namespace descriptor only when the mount is to be idmapped; a number otherwise.
    if attr[0] & MOUNT_ATTR_IDMAP != 0 {
        print_fd(o, attr[3] as i32, opts);
    } else {
        o.u64(attr[3]);
    }
    if size > MOUNT_ATTR_SIZE {
        let n = (size - MOUNT_ATTR_SIZE).min(STR_CHUNK);
        let mut buf = [0u8; STR_CHUNK];
        if matches!(sys::read_mem(a + MOUNT_ATTR_SIZE, &mut buf[..n]), Ok(got) if got == n)
            && buf[..n].iter().any(|&b| b != 0)
        {
            let _ = write!(o, ", /* bytes {}..{} */ ", MOUNT_ATTR_SIZE, MOUNT_ATTR_SIZE + n - 1);
            // In hex, cut at -s like any string.
            let shown = n.min(opts.string_limit);
            o.quoted(&buf[..shown], &TraceOpts { hex_strings: 2, ..*opts });
            if shown < n {
                o.s("...");
            }
        }
    }
    o.byte(b'}');
}

fn mount_setattr(d: &mut Decoder) {
    d.dirfd(0);
    d.path(1);
    flags32(d, MOUNT_SETATTR_FLAGS, "AT_???");
    let size = d.args[4];
    d.with(|o, opts, a| print_mount_attr(o, opts, a, size));
    d.ulong(4);
    // strace 6.1 prints the result as a descriptor (`= 0</dev/null>` with -y).
    d.ret_kind = Ret::Fd;
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_mount => mount,
        libc::SYS_umount2 => umount2,
        libc::SYS_pivot_root => pivot_root,
        libc::SYS_sethostname | libc::SYS_setdomainname => set_uts_name,
        libc::SYS_open_tree => open_tree,
        libc::SYS_move_mount => move_mount,
        libc::SYS_fsopen => fsopen,
        libc::SYS_fsconfig => fsconfig,
        libc::SYS_fsmount => fsmount,
        libc::SYS_fspick => fspick,
        libc::SYS_mount_setattr => mount_setattr,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Expected lines are strace 6.1's output for the same calls (C programs run under strace
    //! with the same arguments); addresses in them are the test's own buffers.

    use super::super::testing::*;
    use crate::trace::XlatStyle;

    fn s(v: &std::ffi::CStr) -> usize {
        v.as_ptr() as usize
    }

    const BAD: usize = 0x10;
    const ENOENT: isize = -libc::ENOENT as isize;
    const EFAULT: isize = -libc::EFAULT as isize;
    const EINVAL: isize = -libc::EINVAL as isize;
    const ENODEV: isize = -libc::ENODEV as isize;
    const NOENT: &str = "-1 ENOENT (No such file or directory)";

    #[test]
    fn mount_flags_type_and_data() {
        let (none, ne, tmpfs, sz) = (s(c"none"), s(c"/nonexistent"), s(c"tmpfs"), s(c"size=1m"));
        assert_eq!(
            line(libc::SYS_mount, &[none, ne, tmpfs, 6, sz], ENOENT),
            format!("mount(\"none\", \"/nonexistent\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"size=1m\") = {NOENT}")
        );
        let long = c"tmpfsxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
        assert_eq!(
            line(libc::SYS_mount, &[none, ne, s(long), 0, 0], ENOENT),
            format!("mount(\"none\", \"/nonexistent\", \"tmpfsxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., 0, NULL) = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_mount, &[s(c"src"), s(c"/d"), s(c"nosuchfs"), 0, s(c"data")], ENODEV),
            "mount(\"src\", \"/d\", \"nosuchfs\", 0, \"data\") = -1 ENODEV (No such device)"
        );
        // A bind ignores the type and the data, a remount the type: addresses.
        let ign = c"ignored";
        assert_eq!(
            line(libc::SYS_mount, &[0, ne, 0, 0x5000, s(ign)], ENOENT),
            format!("mount(NULL, \"/nonexistent\", NULL, MS_BIND|MS_REC, {}) = {NOENT}", addr(ign.as_ptr()))
        );
        assert_eq!(
            line(libc::SYS_mount, &[0, s(c"/d"), tmpfs, 0x21, s(c"ro")], EINVAL),
            format!(
                "mount(NULL, \"/d\", {}, MS_RDONLY|MS_REMOUNT, \"ro\") = -1 EINVAL (Invalid argument)",
                addr(c"tmpfs".as_ptr())
            )
        );
        let x = s(c"x");
        assert_eq!(
            line(libc::SYS_mount, &[0, ne, x, 0xc0ed_0001, 0], ENOENT),
            format!("mount(NULL, \"/nonexistent\", \"x\", MS_MGC_VAL|MS_RDONLY, NULL) = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_mount, &[0, ne, x, 0xc0ed_0000, 0], ENOENT),
            format!("mount(NULL, \"/nonexistent\", \"x\", MS_MGC_VAL, NULL) = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_mount, &[0, ne, x, usize::MAX, 0], ENOENT),
            format!(
                "mount(NULL, \"/nonexistent\", {}, MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_SYNCHRONOUS|MS_REMOUNT|\
                 MS_MANDLOCK|MS_DIRSYNC|MS_NOSYMFOLLOW|MS_NOATIME|MS_NODIRATIME|MS_BIND|MS_MOVE|MS_REC|MS_SILENT|\
                 MS_POSIXACL|MS_UNBINDABLE|MS_PRIVATE|MS_SLAVE|MS_SHARED|MS_RELATIME|MS_KERNMOUNT|MS_I_VERSION|\
                 MS_STRICTATIME|MS_LAZYTIME|MS_SUBMOUNT|MS_NOREMOTELOCK|MS_NOSEC|MS_BORN|MS_ACTIVE|MS_NOUSER|\
                 0xffffffff00000200, NULL) = {NOENT}",
                addr(c"x".as_ptr())
            )
        );
        assert_eq!(
            line(libc::SYS_mount, &[BAD, BAD, BAD, 0, BAD], EFAULT),
            pad("mount(0x10, 0x10, 0x10, 0, 0x10)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_mount, &[BAD, BAD, BAD, 0x2000, BAD], EFAULT),
            pad("mount(0x10, 0x10, 0x10, MS_MOVE, 0x10)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_mount, &[s(c"a"), ne, x, 0x10_0000_0000, 0], ENOENT),
            format!("mount(\"a\", \"/nonexistent\", \"x\", 0x1000000000 /* MS_??? */, NULL) = {NOENT}")
        );
        let v = with(|o| o.xlat = XlatStyle::Verbose);
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        assert_eq!(
            render(&v, libc::SYS_mount, &[0, ne, x, 0xc0ed_0001, 0], ENOENT),
            format!(
                "mount(NULL, \"/nonexistent\", \"x\", 0xc0ed0000 /* MS_MGC_VAL */|0x1 /* MS_RDONLY */, NULL) = {NOENT}"
            )
        );
        assert_eq!(
            render(&raw, libc::SYS_mount, &[0, ne, x, 0xc0ed_0001, 0], ENOENT),
            format!("mount(NULL, \"/nonexistent\", \"x\", 0xc0ed0000|0x1, NULL) = {NOENT}")
        );
        assert_eq!(
            render(&v, libc::SYS_mount, &[none, ne, tmpfs, 6, sz], ENOENT),
            format!(
                "mount(\"none\", \"/nonexistent\", \"tmpfs\", 0x6 /* MS_NOSUID|MS_NODEV */, \"size=1m\") = {NOENT}"
            )
        );
        let s4 = with(|o| o.string_limit = 4);
        assert_eq!(
            render(&s4, libc::SYS_mount, &[none, ne, tmpfs, 6, sz], ENOENT),
            format!("mount(\"none\", \"/nonexistent\", \"tmpf\"..., MS_NOSUID|MS_NODEV, \"size\"...) = {NOENT}")
        );
    }

    #[test]
    fn umount2_pivot_root_and_names() {
        let ne = s(c"/nonexistent");
        assert_eq!(line(libc::SYS_umount2, &[ne, 2], ENOENT), pad("umount2(\"/nonexistent\", MNT_DETACH)", NOENT));
        assert_eq!(line(libc::SYS_umount2, &[BAD, 0], EFAULT), pad("umount2(0x10, 0)", "-1 EFAULT (Bad address)"));
        assert_eq!(
            line(libc::SYS_umount2, &[s(c"/d"), 0x1f], EINVAL),
            "umount2(\"/d\", MNT_FORCE|MNT_DETACH|MNT_EXPIRE|UMOUNT_NOFOLLOW|0x10) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_umount2, &[s(c"/d"), 0xffff_ffff_0000_0001], EINVAL),
            pad("umount2(\"/d\", MNT_FORCE)", "-1 EINVAL (Invalid argument)")
        );
        let v = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&v, libc::SYS_umount2, &[ne, 2], ENOENT),
            format!("umount2(\"/nonexistent\", 0x2 /* MNT_DETACH */) = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_pivot_root, &[ne, s(c"/nonexistent2")], ENOENT),
            format!("pivot_root(\"/nonexistent\", \"/nonexistent2\") = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_pivot_root, &[BAD, BAD], EFAULT),
            pad("pivot_root(0x10, 0x10)", "-1 EFAULT (Bad address)")
        );
        let name = c"abcdefghijklmnopqrstuvwxyz0123456789abcdef";
        assert_eq!(
            line(libc::SYS_sethostname, &[s(name), 300], EINVAL),
            pad(&format!("sethostname({}, 300)", addr(name.as_ptr())), "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_sethostname, &[BAD, 5], EFAULT),
            pad("sethostname(0x10, 5)", "-1 EFAULT (Bad address)")
        );
        assert_eq!(
            line(libc::SYS_sethostname, &[s(name), 40], 0),
            "sethostname(\"abcdefghijklmnopqrstuvwxyz012345\"..., 40) = 0"
        );
        // The length is an unsigned int; the name is exactly that many bytes, NULs and all.
        assert_eq!(
            line(libc::SYS_setdomainname, &[s(c"xyz\n"), 0x1_0000_0004], 0),
            pad("setdomainname(\"xyz\\n\", 4)", "0")
        );
        assert_eq!(line(libc::SYS_setdomainname, &[s(c""), 0], 0), pad("setdomainname(\"\", 0)", "0"));
        assert_eq!(
            line(libc::SYS_setdomainname, &[BAD, 64], EFAULT),
            pad("setdomainname(0x10, 64)", "-1 EFAULT (Bad address)")
        );
        let s4 = with(|o| o.string_limit = 4);
        assert_eq!(render(&s4, libc::SYS_sethostname, &[s(name), 40], 0), pad("sethostname(\"abcd\"..., 40)", "0"));
    }

    #[test]
    fn open_tree_move_mount_fsopen_fspick() {
        let (ne, cwd) = (s(c"/nonexistent"), libc::AT_FDCWD as usize);
        assert_eq!(
            line(libc::SYS_open_tree, &[cwd, ne, 0x80001], ENOENT),
            format!("open_tree(AT_FDCWD, \"/nonexistent\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC) = {NOENT}")
        );
        assert_eq!(line(libc::SYS_open_tree, &[cwd, s(c"."), 0], 3), pad("open_tree(AT_FDCWD, \".\", 0)", "3"));
        assert_eq!(
            line(libc::SYS_open_tree, &[usize::MAX, BAD, 0xffff_ffff], EINVAL),
            "open_tree(-1, 0x10, OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|\
             AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xfff760fe) = -1 EINVAL (Invalid argument)"
        );
        let v = with(|o| o.xlat = XlatStyle::Verbose);
        let raw = with(|o| o.xlat = XlatStyle::Raw);
        assert_eq!(
            render(&v, libc::SYS_open_tree, &[3, s(c""), 0x9900], EINVAL),
            "open_tree(3, \"\", 0x9900 /* AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE */) = -1 EINVAL \
             (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_move_mount, &[usize::MAX, s(c""), cwd, ne, 4], ENOENT),
            format!("move_mount(-1, \"\", AT_FDCWD, \"/nonexistent\", MOVE_MOUNT_F_EMPTY_PATH) = {NOENT}")
        );
        assert_eq!(
            line(libc::SYS_move_mount, &[3, BAD, -5isize as usize, BAD, 0xffff_ffff], EINVAL),
            "move_mount(3, 0x10, -5, 0x10, MOVE_MOUNT_F_SYMLINKS|MOVE_MOUNT_F_AUTOMOUNTS|MOVE_MOUNT_F_EMPTY_PATH|\
             MOVE_MOUNT_T_SYMLINKS|MOVE_MOUNT_T_AUTOMOUNTS|MOVE_MOUNT_T_EMPTY_PATH|MOVE_MOUNT_SET_GROUP|0xfffffe88) = -1 \
             EINVAL (Invalid argument)"
        );
        assert_eq!(
            render(&raw, libc::SYS_move_mount, &[usize::MAX, s(c""), cwd, ne, 4], ENOENT),
            format!("move_mount(-1, \"\", -100, \"/nonexistent\", 0x4) = {NOENT}")
        );
        assert_eq!(line(libc::SYS_fsopen, &[s(c"tmpfs"), 1], 4), pad("fsopen(\"tmpfs\", FSOPEN_CLOEXEC)", "4"));
        assert_eq!(
            line(libc::SYS_fsopen, &[BAD, 2], EINVAL),
            pad("fsopen(0x10, 0x2 /* FSOPEN_??? */)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_fsopen, &[s(c"nosuchfs"), 0], ENODEV),
            pad("fsopen(\"nosuchfs\", 0)", "-1 ENODEV (No such device)")
        );
        assert_eq!(
            line(libc::SYS_fspick, &[cwd, s(c"."), 0x1c], EINVAL),
            "fspick(AT_FDCWD, \".\", FSPICK_NO_AUTOMOUNT|FSPICK_EMPTY_PATH|0x10) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(line(libc::SYS_fspick, &[5, s(c""), 8], 6), pad("fspick(5, \"\", FSPICK_EMPTY_PATH)", "6"));
        assert_eq!(
            line(libc::SYS_fspick, &[cwd, BAD, 0], EFAULT),
            pad("fspick(AT_FDCWD, 0x10, 0)", "-1 EFAULT (Bad address)")
        );
    }

    #[test]
    fn fsconfig_by_command_and_fsmount() {
        let (key, size) = (s(c"size"), s(c"1m"));
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 1, key, size, 0], 0),
            pad("fsconfig(4, FSCONFIG_SET_STRING, \"size\", \"1m\", 0)", "0")
        );
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 0, s(c"nosuchflag"), BAD, 0], EINVAL),
            "fsconfig(4, FSCONFIG_SET_FLAG, \"nosuchflag\", 0x10, 0) = -1 EINVAL (Invalid argument)"
        );
        let bin = c"\x01\x02ab";
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 2, s(c"bin"), s(bin), 4], EINVAL),
            "fsconfig(4, FSCONFIG_SET_BINARY, \"bin\", \"\\x01\\x02\\x61\\x62\", 4) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 2, s(c"bin"), s(bin), usize::MAX], EINVAL),
            format!(
                "fsconfig(4, FSCONFIG_SET_BINARY, \"bin\", {}, -1) = -1 EINVAL (Invalid argument)",
                addr(bin.as_ptr())
            )
        );
        let cwd = libc::AT_FDCWD as usize;
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 3, s(c"source"), s(c"/nonexistent"), cwd], EINVAL),
            "fsconfig(4, FSCONFIG_SET_PATH, \"source\", \"/nonexistent\", AT_FDCWD) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 5, s(c"fd"), 0, 3], EINVAL),
            pad("fsconfig(4, FSCONFIG_SET_FD, \"fd\", NULL, 3)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 9, BAD, BAD, 7], -libc::EOPNOTSUPP as isize),
            "fsconfig(4, 0x9 /* FSCONFIG_??? */, 0x10, 0x10, 7) = -1 EOPNOTSUPP (Operation not supported)"
        );
        assert_eq!(
            line(libc::SYS_fsconfig, &[4, 6, 0, 0, 0], 0),
            pad("fsconfig(4, FSCONFIG_CMD_CREATE, NULL, NULL, 0)", "0")
        );
        let v = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&v, libc::SYS_fsconfig, &[4, 0, s(c"ro"), 0, 0], 0),
            "fsconfig(4, 0 /* FSCONFIG_SET_FLAG */, \"ro\", NULL, 0) = 0"
        );
        assert_eq!(
            line(libc::SYS_fsmount, &[4, 1, 3], 5),
            pad("fsmount(4, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID)", "5")
        );
        // fsmount names only the older attributes: IDMAP and NOSYMFOLLOW stay in the hex rest.
        assert_eq!(
            line(libc::SYS_fsmount, &[usize::MAX, 0xff, 0xffff_ffff], EINVAL),
            "fsmount(-1, FSMOUNT_CLOEXEC|0xfe, MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC|\
             MOUNT_ATTR_NOATIME|MOUNT_ATTR_STRICTATIME|MOUNT_ATTR_NODIRATIME|0xffffff40) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            render(&v, libc::SYS_fsmount, &[4, 0, 0x90], -libc::EBUSY as isize),
            "fsmount(4, 0, 0x90 /* MOUNT_ATTR_NOATIME|MOUNT_ATTR_NODIRATIME */) = -1 EBUSY (Device or resource busy)"
        );
    }

    #[test]
    fn mount_setattr_structure() {
        let e = s(c"");
        let a: [u64; 4] = [9, 0x72, 1 << 18, u64::MAX];
        let aa = a.as_ptr() as usize;
        let attr = "{attr_set=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOEXEC, attr_clr=MOUNT_ATTR_NOSUID|MOUNT_ATTR_NOATIME|\
                    MOUNT_ATTR_STRICTATIME|0x40, propagation=MS_PRIVATE, userns_fd=18446744073709551615";
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, aa, 32], 0),
            format!("mount_setattr(5, \"\", AT_EMPTY_PATH, {attr}}}, 32) = 0")
        );
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x9000, aa, 16], EINVAL),
            format!(
                "mount_setattr(5, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {}, 16) = -1 EINVAL (Invalid argument)",
                addr(a.as_ptr())
            )
        );
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, BAD, 32], EFAULT),
            "mount_setattr(5, \"\", AT_EMPTY_PATH, 0x10, 32) = -1 EFAULT (Bad address)"
        );
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, 0, 32], EFAULT),
            "mount_setattr(5, \"\", AT_EMPTY_PATH, NULL, 32) = -1 EFAULT (Bad address)"
        );
        // An idmapped mount's userns_fd is a descriptor; an unknown propagation is hex.
        let b: [u64; 4] = [0x30_1000, 0, 0x77, 0];
        assert_eq!(
            line(libc::SYS_mount_setattr, &[usize::MAX, s(c"/nonexistent"), 0xffff, b.as_ptr() as usize, 32], EINVAL),
            "mount_setattr(-1, \"/nonexistent\", AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0x66ff, \
             {attr_set=MOUNT_ATTR_IDMAP|MOUNT_ATTR_NOSYMFOLLOW|0x1000, attr_clr=0, propagation=0x77 /* MS_??? */, \
             userns_fd=0}, 32) = -1 EINVAL (Invalid argument)"
        );
        let z = [0u64; 4];
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, z.as_ptr() as usize, 32], 0),
            "mount_setattr(5, \"\", AT_EMPTY_PATH, {attr_set=0, attr_clr=0, propagation=0 /* MS_??? */, userns_fd=0}, \
             32) = 0"
        );
        // Bytes past the structure print when any is set, cut at -s.
        let mut big = [0u64; 6];
        big[..4].copy_from_slice(&a);
        let ba = big.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, ba, 48], 0),
            format!("mount_setattr(5, \"\", AT_EMPTY_PATH, {attr}}}, 48) = 0")
        );
        let mut set = big;
        set[5] = 1;
        let ba = set.as_ptr() as usize;
        assert_eq!(
            line(libc::SYS_mount_setattr, &[5, e, 0x1000, ba, 48], -libc::E2BIG as isize),
            format!(
                "mount_setattr(5, \"\", AT_EMPTY_PATH, {attr}, /* bytes 32..47 */ \
                 \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"}}, 48) = -1 E2BIG \
                 (Argument list too long)"
            )
        );
        let s4 = with(|o| o.string_limit = 4);
        assert_eq!(
            render(&s4, libc::SYS_mount_setattr, &[5, e, 0x1000, ba, 48], -libc::E2BIG as isize),
            format!(
                "mount_setattr(5, \"\", AT_EMPTY_PATH, {attr}, /* bytes 32..47 */ \"\\x00\\x00\\x00\\x00\"...}}, 48) = -1 \
                 E2BIG (Argument list too long)"
            )
        );
        let v = with(|o| o.xlat = XlatStyle::Verbose);
        assert_eq!(
            render(&v, libc::SYS_mount_setattr, &[5, e, 0x1000, z.as_ptr() as usize, 32], 0),
            "mount_setattr(5, \"\", 0x1000 /* AT_EMPTY_PATH */, {attr_set=0, attr_clr=0, propagation=0 /* MS_??? */, \
             userns_fd=0}, 32) = 0"
        );
    }
}
