//! `--fake-root`: the tree believes it runs as root, as under fakeroot(1).
//!
//! - Identity: every uid and gid the program asks for is 0 until it changes them. The set*id
//!   calls never reach the kernel: they always succeed and change the ids the process is shown,
//!   with fakeroot's rules (below). getgroups shows one group, the fake real gid (what fakeroot
//!   shows); setgroups succeeds and changes nothing. The ids are per process: fork children
//!   inherit them (memory is copied), and an exec'd image finds them in the shared state, keyed
//!   by pid, where the execve left them. A vfork child sharing its parent's memory (posix_spawn,
//!   whose POSIX_SPAWN_RESETIDS makes the child call seteuid/setegid) changes ids of its own,
//!   kept apart under its tid until it execs (they go to the program it runs) or exits; its
//!   parent's stay as they were.
//! - Ownership: chown, fchown, lchown and fchownat are emulated (the kernel is never asked, so an
//!   unprivileged user's chown works); the owner they set is remembered per file (device and
//!   inode, found with a raw stat) in the shared state, for the whole tree. The stat family
//!   (stat, lstat, fstat, newfstatat, statx) reports remembered owners, and every other file as
//!   root:root: fakeroot's default (without `--unknown-is-real`; fakeroot 1.31 shows a file of
//!   another user as root:root too), so the files a user builds are root's in a package. The
//!   real files keep their real owner.
//! - Removal: when unlink/unlinkat/rmdir removes the last link of a remembered file, or a
//!   rename replaces it, the entry is forgotten, so an inode the file system reuses does not
//!   inherit the old owner.
//! - mknod of a character or block device (which needs CAP_MKNOD) makes an empty regular file
//!   with the permissions asked, and the stat family shows it as that node (type and st_rdev),
//!   as fakeroot does.
//!
//! fakeroot's set*id rules (checked against fakeroot 1.31): setuid(x) sets the effective and fs
//! ids, and the real and saved ones too when the effective id was 0; setreuid(r, e) sets the
//! given real and effective ids (-1: unchanged), fs follows the effective; setresuid likewise for
//! the three; setfsuid sets fs and returns the previous one. The same for gids.

use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};

use syscalls::{Sysno, SysnoSet};

use crate::dispatch::{vfork_child_tid, Call, Hook, Verdict, VforkTable};
use crate::options::Options;
use crate::state::Shared;
use crate::{arch, mem, sys};

/// The parsed spec: `--fake-root` has no arguments.
pub struct Spec;

/// `Some` when `--fake-root` is given.
pub fn parse(opts: &Options) -> Result<Option<Spec>, String> {
    Ok(opts.fake_root.then_some(Spec))
}

/// The shim's hook. Start-up only: an exec'd image picks up the ids its previous image had.
pub fn hook(_spec: Spec, shared: &'static Shared) -> &'static dyn Hook {
    let h: &'static FakeRoot = Box::leak(Box::new(FakeRoot { shared, ids: Default::default() }));
    if let Some(ids) = shared.owners.load_ids(sys::getpid()) {
        for (slot, v) in h.ids.0.iter().zip(ids) {
            slot.store(v, Ordering::Relaxed);
        }
    }
    h
}

/// Files whose ownership the table can remember (a power of two).
pub const FILE_SLOTS: usize = 1 << 16;
/// Processes whose changed ids can be handed across an exec at the same time.
pub const ID_SLOTS: usize = 512;

/// No owner remembered (chown's "-1, -1" is "no change", so it is never a value set).
const NONE: u64 = u64::MAX;
const EMPTY: u32 = 0;
const WRITING: u32 = 1;
const READY: u32 = 2;

/// One file's remembered owner. The key is written once, before `state` becomes READY.
#[repr(C)]
struct FileSlot {
    state: AtomicU32,
    /// A device node's type and permissions as mknod asked (0: the real file's mode).
    mode: AtomicU32,
    dev: AtomicU64,
    ino: AtomicU64,
    /// uid in the high half, gid in the low half; [`NONE`] once the file is removed.
    owner: AtomicU64,
    /// The device number of a node mknod made, as the kernel encodes it in `st_rdev`.
    rdev: AtomicU64,
}

/// What the table says about one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Entry {
    /// The owner chown set, if any.
    pub owner: Option<(u32, u32)>,
    /// A device node's `st_mode` (0: not one).
    pub mode: u32,
    /// A device node's `st_rdev`.
    pub rdev: u64,
}

/// One process's fake ids, left by its execve for the next image.
#[repr(C)]
struct IdSlot {
    pid: AtomicI32,
    ids: [AtomicU32; 8],
}

/// Ownership set by chown calls and the fake ids handed across exec, shared by every process of
/// the tree (lives in the state file, zeroed when created: all-zero is an empty table). A
/// fixed-size open-addressing table of atomics: no locks, so any process may update it from its
/// signal handler.
#[repr(C)]
pub struct Owners {
    files: [FileSlot; FILE_SLOTS],
    ids: [IdSlot; ID_SLOTS],
}

fn mix(dev: u64, ino: u64) -> usize {
    // splitmix64's finalizer: inode numbers are dense, the probe start must not be.
    let mut z = dev.rotate_left(32) ^ ino;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as usize
}

/// Waits for a slot another task is filling in; false if it never finishes (that task died in
/// its handler between two stores), and the slot is then treated as someone else's.
fn wait_ready(s: &FileSlot) -> bool {
    for _ in 0..100_000 {
        if s.state.load(Ordering::Acquire) != WRITING {
            return true;
        }
        arch::syscall6(libc::SYS_sched_yield as usize, [0; 6]);
    }
    false
}

fn merge(old: u64, uid: u32, gid: u32) -> u64 {
    let old = if old == NONE { 0 } else { old };
    let u = if uid == u32::MAX { old >> 32 } else { uid as u64 };
    let g = if gid == u32::MAX { old & 0xffff_ffff } else { gid as u64 };
    (u << 32) | g
}

impl Owners {
    /// The slot holding (dev, ino), claiming an empty one when `claim`.
    fn slot(&self, dev: u64, ino: u64, claim: bool) -> Option<&FileSlot> {
        let start = mix(dev, ino);
        for i in 0..FILE_SLOTS {
            let s = &self.files[(start + i) & (FILE_SLOTS - 1)];
            loop {
                match s.state.load(Ordering::Acquire) {
                    EMPTY if !claim => return None,
                    EMPTY => {
                        if s.state.compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                            s.dev.store(dev, Ordering::Relaxed);
                            s.ino.store(ino, Ordering::Relaxed);
                            s.owner.store(NONE, Ordering::Relaxed);
                            s.mode.store(0, Ordering::Relaxed);
                            s.state.store(READY, Ordering::Release);
                            return Some(s);
                        }
                        // Someone else claimed it: look at what they put there.
                    }
                    WRITING => {
                        if !wait_ready(s) {
                            break;
                        }
                    }
                    _ => {
                        if s.dev.load(Ordering::Relaxed) == dev && s.ino.load(Ordering::Relaxed) == ino {
                            return Some(s);
                        }
                        break;
                    }
                }
            }
        }
        None
    }

    /// What is remembered of (dev, ino), if anything (removed files are forgotten).
    pub fn get(&self, dev: u64, ino: u64) -> Option<Entry> {
        let s = self.slot(dev, ino, false)?;
        let v = s.owner.load(Ordering::Relaxed);
        let e = Entry {
            owner: (v != NONE).then_some(((v >> 32) as u32, v as u32)),
            mode: s.mode.load(Ordering::Relaxed),
            rdev: s.rdev.load(Ordering::Relaxed),
        };
        (e.owner.is_some() || e.mode != 0).then_some(e)
    }

    /// Records that the regular file (dev, ino) stands for a device node. False when full.
    pub fn set_node(&self, dev: u64, ino: u64, mode: u32, rdev: u64) -> bool {
        let Some(s) = self.slot(dev, ino, true) else { return false };
        s.rdev.store(rdev, Ordering::Relaxed);
        s.mode.store(mode, Ordering::Relaxed);
        true
    }

    /// chown's update: `u32::MAX` leaves that id as it was (root's 0 for a file not chowned
    /// before). False when the table is full.
    pub fn set(&self, dev: u64, ino: u64, uid: u32, gid: u32) -> bool {
        let Some(s) = self.slot(dev, ino, true) else { return false };
        let _ = s.owner.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| Some(merge(old, uid, gid)));
        true
    }

    /// Forgets (dev, ino): its inode may be reused by a new file.
    pub fn forget(&self, dev: u64, ino: u64) {
        if let Some(s) = self.slot(dev, ino, false) {
            s.owner.store(NONE, Ordering::Relaxed);
            s.mode.store(0, Ordering::Relaxed);
        }
    }

    /// Leaves `pid`'s ids for its next image. Only the process itself writes its slot; a slot
    /// left by an earlier process with the same pid is overwritten (every execve writes).
    fn save_ids(&self, pid: i32, ids: &[u32; 8]) {
        let mut free = None;
        for s in &self.ids {
            match s.pid.load(Ordering::Acquire) {
                p if p == pid => return store_ids(s, ids),
                0 if free.is_none() => free = Some(s),
                _ => {}
            }
        }
        if ids.iter().all(|&v| v == 0) {
            // Root, the default: nothing to hand over.
            return;
        }
        for s in free.into_iter().chain(self.ids.iter()) {
            if s.pid.compare_exchange(0, pid, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                return store_ids(s, ids);
            }
        }
    }

    fn load_ids(&self, pid: i32) -> Option<[u32; 8]> {
        let s = self.ids.iter().find(|s| s.pid.load(Ordering::Acquire) == pid)?;
        Some(core::array::from_fn(|i| s.ids[i].load(Ordering::Relaxed)))
    }
}

fn store_ids(s: &IdSlot, ids: &[u32; 8]) {
    for (a, &v) in s.ids.iter().zip(ids) {
        a.store(v, Ordering::Relaxed);
    }
}

// Indices into FakeRoot::ids: uids, then gids at the same offsets + 4.
const R: usize = 0;
const E: usize = 1;
const S: usize = 2;
const FS: usize = 3;
const GID: usize = 4;

/// The `--fake-root` hook.
struct FakeRoot {
    shared: &'static Shared,
    /// This process's fake ids.
    ids: IdSet,
}

/// One process's fake real, effective, saved and fs uid, then the same gids.
#[derive(Default)]
struct IdSet([AtomicU32; 8]);

/// The fake ids of vfork children (posix_spawn's) that changed theirs: such a child has
/// credentials of its own but shares its parent's memory, so its ids are kept here under its
/// tid from its first set*id call (starting from its parent's, which it inherited)
/// until its parent's clone returns (by then it has exec'd, leaving them for its next image, or
/// exited).
static VFORK: VforkTable<IdSet, 16> = VforkTable::new([const { IdSet([const { AtomicU32::new(0) }; 8]) }; 16]);

const UNCHANGED: u32 = u32::MAX;

/// The kernel's `struct stat` on x86-64: where the key (st_dev, st_ino) and the owner are.
const STAT_DEV_INO: usize = 0;
const STAT_MODE: usize = 24;
const STAT_UID: usize = 28;
const STAT_RDEV: usize = 40;
/// `struct statx`.
const STATX_UID: usize = 20;
const STATX_MODE: usize = 28;
const STATX_INO: usize = 32;
const STATX_RDEV_MAJOR: usize = 128;
const STATX_DEV_MAJOR: usize = 136;

/// The kernel's encoding of a device number in `struct stat` (new_encode_dev); mknod's `dev`
/// argument is the same 32-bit encoding.
fn encode_dev(major: u32, minor: u32) -> u64 {
    (minor as u64 & 0xff) | ((major as u64) << 8) | ((minor as u64 & !0xff) << 12)
}

fn dev_major(dev: u64) -> u32 {
    ((dev >> 8) & 0xfff) as u32
}

fn dev_minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & 0xfff00)) as u32
}

/// A raw newfstatat: the path is the program's pointer (the kernel reads it, a bad one is
/// EFAULT). Returns (dev, ino, nlink, mode).
fn raw_stat(dirfd: usize, path: usize, flags: usize) -> Result<(u64, u64, u64, u32), i32> {
    // SAFETY: libc::stat is plain integers; all-zero is a valid value.
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    sys::check(arch::syscall6(
        libc::SYS_newfstatat as usize,
        [dirfd, path, &mut st as *mut libc::stat as usize, flags, 0, 0],
    ))?;
    Ok((st.st_dev, st.st_ino, st.st_nlink, st.st_mode))
}

impl IdSet {
    fn id(&self, i: usize) -> u32 {
        self.0[i].load(Ordering::Relaxed)
    }

    fn set(&self, i: usize, v: u32) {
        if v != UNCHANGED {
            self.0[i].store(v, Ordering::Relaxed);
        }
    }

    /// getresuid/getresgid: three ids written into the program's buffers, in order, as the
    /// kernel's put_user does (the first bad pointer ends it with EFAULT).
    fn get_res(&self, call: &Call, base: usize) -> Verdict {
        for k in 0..3 {
            if mem::write_val(call.args[k], &self.id(base + k)).is_err() {
                return Verdict::error(libc::EFAULT);
            }
        }
        Verdict::Emulate(0)
    }

    fn set_id(&self, id: u32, base: usize) -> Verdict {
        if id == UNCHANGED {
            return Verdict::error(libc::EINVAL);
        }
        if self.id(base + E) == 0 {
            self.set(base + R, id);
            self.set(base + S, id);
        }
        self.set(base + E, id);
        self.set(base + FS, id);
        Verdict::Emulate(0)
    }

    fn set_re(&self, r: u32, e: u32, base: usize) -> Verdict {
        self.set(base + R, r);
        self.set(base + E, e);
        self.set(base + FS, self.id(base + E));
        Verdict::Emulate(0)
    }

    fn set_res(&self, r: u32, e: u32, s: u32, base: usize) -> Verdict {
        self.set(base + S, s);
        self.set_re(r, e, base)
    }

    fn set_fs(&self, id: u32, base: usize) -> Verdict {
        let old = self.id(base + FS);
        self.set(base + FS, id);
        Verdict::Emulate(old as isize)
    }

    fn getgroups(&self, call: &Call) -> Verdict {
        match call.arg_i32(0) {
            n if n < 0 => Verdict::error(libc::EINVAL),
            0 => Verdict::Emulate(1),
            _ => match mem::write_val(call.args[1], &self.id(GID + R)) {
                Ok(_) => Verdict::Emulate(1),
                Err(_) => Verdict::error(libc::EFAULT),
            },
        }
    }

    fn ids(&self) -> [u32; 8] {
        core::array::from_fn(|i| self.id(i))
    }

    fn copy_from(&self, other: &IdSet) {
        for (a, b) in self.0.iter().zip(&other.0) {
            a.store(b.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }
}

impl FakeRoot {
    /// The ids the calling process is shown (`write`: and changes): a vfork child's own once it
    /// changed them (or is about to: None when no entry is free), its parent's until then.
    fn ids_of(&self, write: bool) -> Option<&IdSet> {
        let Some(tid) = vfork_child_tid() else { return Some(&self.ids) };
        match VFORK.get(tid) {
            Some(ids) => Some(ids),
            None if write => VFORK.claim(tid, |ids| ids.copy_from(&self.ids)),
            None => Some(&self.ids),
        }
    }

    /// setgroups as root: accepted (a list the kernel could not read is EFAULT), not applied.
    fn setgroups(&self, call: &Call) -> Verdict {
        let n = call.arg_i32(0);
        if !(0..=65536).contains(&n) {
            return Verdict::error(libc::EINVAL);
        }
        let mut buf = [0u8; 1024];
        let at = call.args[1];
        // A list that would run past the end of the address space is not readable either (a
        // wrapped end would skip the check and accept it).
        let Some(end) = at.checked_add(n as usize * 4) else { return Verdict::error(libc::EFAULT) };
        let mut at = at;
        while at < end {
            let want = (end - at).min(buf.len());
            if mem::read(at, &mut buf[..want]) != Ok(want) {
                return Verdict::error(libc::EFAULT);
            }
            at += want;
        }
        Verdict::Emulate(0)
    }

    /// The emulated chown family: the file is found as the kernel would find it (same errors),
    /// and its new owner is remembered instead of applied.
    fn chown(&self, dirfd: usize, path: usize, uid: u32, gid: u32, flags: u32) -> Verdict {
        let allowed = (libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH) as u32;
        if flags & !allowed != 0 {
            return Verdict::error(libc::EINVAL);
        }
        let (dev, ino, _, _) = match raw_stat(dirfd, path, flags as usize) {
            Ok(k) => k,
            Err(e) => return Verdict::error(e),
        };
        if uid == UNCHANGED && gid == UNCHANGED {
            return Verdict::Emulate(0);
        }
        if self.shared.owners.set(dev, ino, uid, gid) {
            Verdict::Emulate(0)
        } else {
            Verdict::error(libc::ENOSPC)
        }
    }

    /// unlink/unlinkat/rmdir of a remembered file's last link, or a rename over it: performed
    /// here, so that the entry is dropped exactly when the removal succeeded. Anything else runs
    /// as usual. `source` is a rename's (dirfd, path): renaming a link of the same file over
    /// another removes nothing.
    fn remove(&self, call: &Call, dirfd: usize, path: usize, dir: bool, source: Option<(usize, usize)>) -> Verdict {
        let nofollow = libc::AT_SYMLINK_NOFOLLOW as usize;
        let Ok((dev, ino, nlink, mode)) = raw_stat(dirfd, path, nofollow) else {
            return Verdict::RunNoExit;
        };
        let last = nlink <= 1 || dir || mode & libc::S_IFMT == libc::S_IFDIR;
        if !last || self.shared.owners.get(dev, ino).is_none() {
            return Verdict::RunNoExit;
        }
        if let Some((sfd, spath)) = source {
            if raw_stat(sfd, spath, nofollow).is_ok_and(|(d, i, _, _)| (d, i) == (dev, ino)) {
                return Verdict::RunNoExit;
            }
        }
        let r = arch::syscall6(call.nr, call.args);
        if r == 0 {
            self.shared.owners.forget(dev, ino);
        }
        Verdict::Emulate(r)
    }

    /// Rewrites the owner (and a device node's type) in a stat buffer the kernel just filled.
    fn fix_stat(&self, buf: usize) {
        let Ok(key) = mem::read_val::<[u64; 2]>(buf + STAT_DEV_INO) else { return };
        let e = self.shared.owners.get(key[0], key[1]).unwrap_or_default();
        let owner = e.owner.unwrap_or((0, 0));
        let _ = mem::write_val(buf + STAT_UID, &[owner.0, owner.1]);
        if e.mode != 0 {
            let _ = mem::write_val(buf + STAT_MODE, &e.mode);
            let _ = mem::write_val(buf + STAT_RDEV, &e.rdev);
        }
    }

    fn fix_statx(&self, buf: usize) {
        let (Ok(ino), Ok(dev)) =
            (mem::read_val::<u64>(buf + STATX_INO), mem::read_val::<[u32; 2]>(buf + STATX_DEV_MAJOR))
        else {
            return;
        };
        let e = self.shared.owners.get(encode_dev(dev[0], dev[1]), ino).unwrap_or_default();
        let owner = e.owner.unwrap_or((0, 0));
        let _ = mem::write_val(buf + STATX_UID, &[owner.0, owner.1]);
        if e.mode != 0 {
            let _ = mem::write_val(buf + STATX_MODE, &(e.mode as u16));
            let _ = mem::write_val(buf + STATX_RDEV_MAJOR, &[dev_major(e.rdev), dev_minor(e.rdev)]);
        }
    }

    /// mknod of a character or block device, which needs CAP_MKNOD: a regular file with the
    /// permissions asked takes its place (created by the kernel, so umask, EEXIST, ENOENT...
    /// are as usual), and the stat family shows it as the node, as fakeroot does. Other types
    /// (FIFOs, sockets, regular files) need no privilege and run as usual.
    fn mknod(&self, dirfd: usize, path: usize, mode: u32, rdev: u32) -> Verdict {
        let kind = mode & libc::S_IFMT;
        if kind != libc::S_IFCHR && kind != libc::S_IFBLK {
            return Verdict::RunNoExit;
        }
        let perms = (mode & 0o7777) as usize;
        let r = arch::syscall6(libc::SYS_mknodat as usize, [dirfd, path, libc::S_IFREG as usize | perms, 0, 0, 0]);
        if r != 0 {
            return Verdict::Emulate(r);
        }
        let Ok((dev, ino, _, real_mode)) = raw_stat(dirfd, path, libc::AT_SYMLINK_NOFOLLOW as usize) else {
            return Verdict::Emulate(0);
        };
        if self.shared.owners.set_node(dev, ino, kind | (real_mode & 0o7777), rdev as u64) {
            Verdict::Emulate(0)
        } else {
            Verdict::error(libc::ENOSPC)
        }
    }
}

impl Hook for FakeRoot {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        use Sysno::*;
        Some(SysnoSet::new(&[
            getuid, geteuid, getgid, getegid, getresuid, getresgid, getgroups, setuid, setgid, setreuid, setregid,
            setresuid, setresgid, setfsuid, setfsgid, setgroups, chown, fchown, lchown, fchownat, stat, lstat, fstat,
            newfstatat, statx, unlink, unlinkat, rmdir, rename, renameat, renameat2, mknod, mknodat, execve, execveat,
        ]))
    }

    #[allow(non_upper_case_globals)]
    fn enter(&self, call: &mut Call) -> Verdict {
        use libc::*;
        let a = call.args;
        let u = |i: usize| a[i] as u32;
        let nr = call.nr as c_long;
        if matches!(nr, SYS_clone | SYS_clone3) {
            // Its exit frees the entry of a vfork child that changed its ids.
            return Verdict::Run;
        }
        // Calls that read the ids (execve: to carry them to the next image) and calls that
        // change them.
        let reads = matches!(
            nr,
            SYS_getuid
                | SYS_geteuid
                | SYS_getgid
                | SYS_getegid
                | SYS_getresuid
                | SYS_getresgid
                | SYS_getgroups
                | SYS_execve
                | SYS_execveat
        );
        let writes = matches!(
            nr,
            SYS_setuid
                | SYS_setgid
                | SYS_setreuid
                | SYS_setregid
                | SYS_setresuid
                | SYS_setresgid
                | SYS_setfsuid
                | SYS_setfsgid
        );
        if reads || writes {
            // The kernel's prepare_creds can fail so too.
            let Some(ids) = self.ids_of(writes) else { return Verdict::error(ENOMEM) };
            return match nr {
                SYS_getuid => Verdict::Emulate(ids.id(R) as isize),
                SYS_geteuid => Verdict::Emulate(ids.id(E) as isize),
                SYS_getgid => Verdict::Emulate(ids.id(GID + R) as isize),
                SYS_getegid => Verdict::Emulate(ids.id(GID + E) as isize),
                SYS_getresuid => ids.get_res(call, 0),
                SYS_getresgid => ids.get_res(call, GID),
                SYS_getgroups => ids.getgroups(call),
                SYS_setuid => ids.set_id(u(0), 0),
                SYS_setgid => ids.set_id(u(0), GID),
                SYS_setreuid => ids.set_re(u(0), u(1), 0),
                SYS_setregid => ids.set_re(u(0), u(1), GID),
                SYS_setresuid => ids.set_res(u(0), u(1), u(2), 0),
                SYS_setresgid => ids.set_res(u(0), u(1), u(2), GID),
                SYS_setfsuid => ids.set_fs(u(0), 0),
                SYS_setfsgid => ids.set_fs(u(0), GID),
                _ => {
                    // execve/execveat: the next image starts with the ids this process has.
                    self.shared.owners.save_ids(call.pid(), &ids.ids());
                    Verdict::RunNoExit
                }
            };
        }
        match nr {
            SYS_setgroups => self.setgroups(call),
            SYS_chown => self.chown(AT_FDCWD as usize, a[0], u(1), u(2), 0),
            SYS_lchown => self.chown(AT_FDCWD as usize, a[0], u(1), u(2), AT_SYMLINK_NOFOLLOW as u32),
            SYS_fchown => {
                // fchown refuses O_PATH descriptors, which fstat accepts.
                match sys::check(arch::syscall6(SYS_fcntl as usize, [a[0], F_GETFL as usize, 0, 0, 0, 0])) {
                    Ok(fl) if fl as c_int & O_PATH != 0 => Verdict::error(EBADF),
                    _ => self.chown(a[0], c"".as_ptr() as usize, u(1), u(2), AT_EMPTY_PATH as u32),
                }
            }
            SYS_fchownat => self.chown(a[0], a[1], u(2), u(3), u(4)),
            SYS_stat | SYS_lstat | SYS_fstat | SYS_newfstatat | SYS_statx => Verdict::Run,
            SYS_mknod => self.mknod(AT_FDCWD as usize, a[0], u(1), u(2)),
            SYS_mknodat => self.mknod(a[0], a[1], u(2), u(3)),
            SYS_unlink => self.remove(call, AT_FDCWD as usize, a[0], false, None),
            SYS_rmdir => self.remove(call, AT_FDCWD as usize, a[0], true, None),
            SYS_unlinkat => self.remove(call, a[0], a[1], u(2) & AT_REMOVEDIR as u32 != 0, None),
            SYS_rename => self.remove(call, AT_FDCWD as usize, a[1], false, Some((AT_FDCWD as usize, a[0]))),
            SYS_renameat => self.remove(call, a[2], a[3], false, Some((a[0], a[1]))),
            // RENAME_EXCHANGE keeps both files; RENAME_NOREPLACE fails if the target exists.
            SYS_renameat2 if u(4) & (RENAME_EXCHANGE | RENAME_NOREPLACE) == 0 => {
                self.remove(call, a[2], a[3], false, Some((a[0], a[1])))
            }
            _ => Verdict::RunNoExit,
        }
    }

    #[allow(non_upper_case_globals)]
    fn exit(&self, call: &Call, ret: &mut isize) {
        use libc::*;
        if matches!(call.nr as c_long, SYS_clone | SYS_clone3) {
            // The child (a thread, a fork child, or a vfork child that has exec'd or exited by
            // now) is done with any entry under its tid.
            VFORK.clone_exit(call, *ret, |_| {});
            return;
        }
        if *ret != 0 {
            return;
        }
        match call.nr as c_long {
            SYS_stat | SYS_lstat | SYS_fstat => self.fix_stat(call.args[1]),
            SYS_newfstatat => self.fix_stat(call.args[2]),
            SYS_statx => self.fix_statx(call.args[4]),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_table() {
        // SAFETY: every field is an atomic integer: all-zero is the empty table.
        let t: Box<Owners> = unsafe { Box::new_zeroed().assume_init() };
        let owner = |dev, ino| t.get(dev, ino).and_then(|e| e.owner);
        assert_eq!(t.get(1, 2), None);
        assert!(t.set(1, 2, 7, UNCHANGED));
        assert_eq!(owner(1, 2), Some((7, 0)));
        assert!(t.set(1, 2, UNCHANGED, 9));
        assert_eq!(owner(1, 2), Some((7, 9)));
        assert_eq!(t.get(2, 1), None);
        t.forget(1, 2);
        assert_eq!(t.get(1, 2), None);
        // A reused inode starts from root:root again.
        assert!(t.set(1, 2, UNCHANGED, 5));
        assert_eq!(owner(1, 2), Some((0, 5)));
        // A device node keeps its type when chowned, and is forgotten whole.
        let node = libc::S_IFCHR | 0o644;
        assert!(t.set_node(4, 4, node, 0x103));
        assert_eq!(t.get(4, 4), Some(Entry { owner: None, mode: node, rdev: 0x103 }));
        assert!(t.set(4, 4, 1, 1));
        assert_eq!(t.get(4, 4), Some(Entry { owner: Some((1, 1)), mode: node, rdev: 0x103 }));
        t.forget(4, 4);
        assert_eq!(t.get(4, 4), None);
        // Colliding probes: many keys all found again.
        for ino in 0..5000u64 {
            assert!(t.set(3, ino, ino as u32, 1));
        }
        for ino in 0..5000u64 {
            assert_eq!(owner(3, ino), Some((ino as u32, 1)));
        }
    }

    #[test]
    fn ids_across_exec() {
        // SAFETY: as above.
        let t: Box<Owners> = unsafe { Box::new_zeroed().assume_init() };
        assert_eq!(t.load_ids(42), None);
        t.save_ids(42, &[0; 8]);
        assert_eq!(t.load_ids(42), None, "root needs no slot");
        t.save_ids(42, &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(t.load_ids(42), Some([1, 2, 3, 4, 5, 6, 7, 8]));
        t.save_ids(42, &[0; 8]);
        assert_eq!(t.load_ids(42), Some([0; 8]), "a stale slot is overwritten");
    }

    #[test]
    fn device_encoding_matches_stat() {
        // SAFETY: plain integers.
        let mut st: libc::stat = unsafe { core::mem::zeroed() };
        let mut stx: libc::statx = unsafe { core::mem::zeroed() };
        let p = c"/".as_ptr();
        // SAFETY: valid path and buffers.
        unsafe {
            assert_eq!(libc::stat(p, &mut st), 0);
            assert_eq!(libc::statx(libc::AT_FDCWD, p, 0, libc::STATX_BASIC_STATS, &mut stx), 0);
        }
        assert_eq!(encode_dev(stx.stx_dev_major, stx.stx_dev_minor), st.st_dev);
        assert_eq!((dev_major(st.st_dev), dev_minor(st.st_dev)), (stx.stx_dev_major, stx.stx_dev_minor));
        let big = encode_dev(259, 0x12345);
        assert_eq!((dev_major(big), dev_minor(big)), (259, 0x12345));
        assert_eq!(big, libc::makedev(259, 0x12345));
        assert_eq!(stx.stx_ino, st.st_ino);
    }
}
