//! Decoders: system administration calls — mounts (the old `mount(2)` and the new mount API),
//! host and domain names (see the module docs of `decode` for the pattern).
//!
//! The printers follow strace 6.1's `mount.c`, `umount.c`, `sethostname.c`/`setdomainname`,
//! `fsmount.c`, `open_tree.c`, `move_mount.c` and `mount_setattr.c`.

use super::common::{xflags, xlat_known, Xlat};
use super::{DecodeFn, Decoder};

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

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_mount => mount,
        libc::SYS_umount2 => umount2,
        libc::SYS_pivot_root => pivot_root,
        libc::SYS_sethostname | libc::SYS_setdomainname => set_uts_name,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Expected lines are strace 6.1's output for the same calls (C programs run under strace
    //! with the same arguments); addresses in them are the test's own buffers.

    use crate::trace::{render_line, TraceOpts, XlatStyle};

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

    fn addr<T: ?Sized>(p: *const T) -> String {
        format!("{:#x}", p as *const u8 as usize)
    }

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
}
