//! `--bind SRC:DEST` (repeatable): proot-style path binding, in-process. The host file or
//! directory SRC appears at DEST for every call that takes a path; DEST need not exist on the
//! host, nothing is ever created there, and writes land in SRC.
//!
//! # How a path is translated
//! The hook reads the program's path, makes it absolute (against the *virtual* working directory
//! for `AT_FDCWD`-relative paths), normalises it lexically (`.`, `..`, `//`), and looks for the
//! binding with the longest DEST that contains it by whole components (`/mntx` is not inside
//! `/mnt`). When one matches, the host path `SRC + rest` is built in a per-thread buffer and
//! `Call::args[i]` points at it for the real call; `Call::orig_args` keeps the program's pointer,
//! so a trace shows what the program passed. A path no binding is involved in is left exactly as
//! the program wrote it (the kernel, not lexical rules, resolves its `..` and symlinks); a path
//! whose walk passed through a DEST (`DEST/../x`), or a relative one while the working directory
//! is inside a binding, goes to the kernel normalised and absolute. A trailing `/` (or a final
//! `.`/`..`) is kept, so a file named with one still fails with ENOTDIR.
//!
//! A path relative to a real directory descriptor (`openat(dirfd, "x")`) is not rewritten: a
//! descriptor opened inside DEST is really inside SRC. Unless its `..` climbs above the DEST the
//! descriptor is in (`openat(fd_of_DEST, "../y")`): then the descriptor's directory is read from
//! `/proc/self/fd` and the path resolved in the virtual view, as with the working directory.
//! Absolute paths given with a descriptor are rewritten. An empty path (`AT_EMPTY_PATH`) and a
//! NULL one are left alone.
//!
//! # Calls covered (argument positions; "cwd" = relative to the working directory)
//! - open family: `open`, `creat` (cwd), `openat`, `openat2` (dirfd, path)
//! - stat family: `stat`, `lstat`, `access`, `statfs` (cwd), `newfstatat`, `statx`, `faccessat`,
//!   `faccessat2` (dirfd, path)
//! - links: `readlink` (cwd), `readlinkat`; `link`, `linkat` (both paths); `symlink`,
//!   `symlinkat` (only the link's path: the target string is content, stored as given)
//! - directories and names: `mkdir`, `rmdir`, `unlink`, `mknod` (cwd), `mkdirat`, `unlinkat`,
//!   `mknodat`; `rename`, `renameat`, `renameat2` (both paths)
//! - attributes: `chmod`, `chown`, `lchown`, `truncate`, `utime`, `utimes` (cwd), `fchmodat`,
//!   `fchmodat2`, `fchownat`, `utimensat`, `futimesat`; `setxattr`, `lsetxattr`, `getxattr`,
//!   `lgetxattr`, `listxattr`, `llistxattr`, `removexattr`, `lremovexattr` (cwd) and the
//!   `*xattrat` calls of Linux 6.13 (dirfd, path)
//! - programs: `execve` (cwd), `execveat` (dirfd, path): a program at a bound path runs
//! - working directory: `chdir`, `fchdir`, `chroot`, and `getcwd`, which returns the virtual
//!   path (DEST/x after a chdir into DEST/x, really SRC/x)
//! - others: `inotify_add_watch`, `fanotify_mark`, `name_to_handle_at`, `open_tree`,
//!   `move_mount`, `mount_setattr`, `umount2`, `acct`, `swapon`, `swapoff`, `uselib`
//!
//! # The virtual working directory
//! Per process: which binding (if any) the working directory was entered through. A successful
//! `chdir` sets it from the binding its path matched; `fchdir` and the start of every image (exec
//! included) set it from the real working directory (inside a SRC: that binding). The virtual
//! directory is then DEST + the real directory's part below SRC. Threads share it as they share
//! the real one; a fork child inherits it with its memory. A vfork child sharing its parent's
//! memory (posix_spawn's) has a working directory of its own: its chdir/fchdir are recorded for
//! it alone (under its tid, until its parent's clone returns), so its later calls and its exec
//! resolve from where it went, and its parent's view does not move.
//!
//! # Without per-thread memory
//! A thread whose rewriting buffers cannot be mapped (no thread slot, or the mapping failed)
//! still has every call no binding involves run untouched, and getcwd, a chdir that leaves the
//! bindings and readlink of `/proc` links work as usual (a few static spare buffers serve for
//! the decision); only a call whose path must be rewritten fails, with ENOMEM.
//!
//! # Paths the kernel returns
//! `getcwd` (above), and what `readlink`/`readlinkat` of a link under `/proc/` gives
//! (`/proc/self/fd/N`, `/proc/self/cwd`, `/proc/self/exe`, ...): a host path inside a SRC is
//! shown as the program sees it (DEST + rest; the longest SRC wins when several contain it).
//!
//! # Not translated
//! Other paths the kernel returns (`/proc/self/maps`, `mountinfo`, a trace's `-y`), AF_UNIX socket addresses (`bind`/`connect`), `mount` (source and target),
//! `pivot_root`, `quotactl`, symlinks inside SRC (the host kernel resolves them: an absolute
//! link target naming DEST is not followed into SRC), `#!` interpreter paths (the kernel opens
//! them), DEST's parent directories (not created virtually: if they do not exist on the host,
//! `stat` of them and `cd DEST/..` fail) and directory listings (DEST does not appear in its
//! parent's listing). A fork child keeps its parent's view; a thread made with clone without
//! CLONE_FS (its own working directory) shares the process's virtual one.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use std::path::{Path, PathBuf};

use syscalls::SysnoSet;

use crate::dispatch::{vfork_child_tid, Call, Hook, Verdict, VforkTable};
use crate::options::Options;
use crate::state::Shared;
use crate::{mem, sys, threads};

/// One binding: host path and the path the program sees it at, both absolute and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bind {
    /// SRC, on the host (canonical).
    pub src: Box<[u8]>,
    /// DEST, as the program sees it (never `/`).
    pub dest: Box<[u8]>,
}

/// The parsed spec: the bindings in matching order (longest DEST first; of equal DESTs the one
/// given last wins, as a later option overrides an earlier one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// The bindings, longest DEST first.
    pub binds: Vec<Bind>,
}

/// Makes every `--bind` SRC and DEST absolute, once, where the tree starts (the launcher, or the
/// first process of a raw LD_PRELOAD run), so every process agrees whatever its working
/// directory: SRC is made canonical (it must exist on the host), DEST absolute against the
/// working directory and normalised lexically. Start-up only.
pub fn prepare(opts: &mut Options) -> Result<(), String> {
    if opts.binds.is_empty() {
        return Ok(());
    }
    let cwd = std::env::current_dir()
        .map_err(|e| format!("--bind: cannot read the working directory: {}", crate::io_reason(&e)))?;
    let mut out = Vec::with_capacity(opts.binds.len());
    for spec in &opts.binds {
        let (src, dest) = split(spec)?;
        let src_path = cwd.join(src);
        let canon = std::fs::canonicalize(&src_path).map_err(|e| {
            format!("--bind '{spec}': cannot use '{}' as SRC: {}", src_path.display(), crate::io_reason(&e))
        })?;
        let canon = canon.to_str().ok_or_else(|| format!("--bind '{spec}': SRC is not valid UTF-8"))?.to_owned();
        if canon.contains(':') {
            return Err(format!("--bind '{spec}': SRC '{canon}' contains ':', which separates SRC from DEST"));
        }
        let dest = absolute(cwd.to_str().unwrap_or("/"), dest);
        check_dest(spec, &dest)?;
        out.push(format!("{canon}:{dest}"));
    }
    opts.binds = out;
    Ok(())
}

/// SRC and DEST of one `SRC:DEST` (split at the first colon, as proot does).
fn split(spec: &str) -> Result<(&str, &str), String> {
    let Some((src, dest)) = spec.split_once(':') else {
        return Err(format!("--bind '{spec}': expected SRC:DEST"));
    };
    if src.is_empty() {
        return Err(format!("--bind '{spec}': SRC is empty (expected SRC:DEST)"));
    }
    if dest.is_empty() {
        return Err(format!("--bind '{spec}': DEST is empty (expected SRC:DEST)"));
    }
    Ok((src, dest))
}

fn check_dest(spec: &str, dest: &str) -> Result<(), String> {
    if dest == "/" {
        return Err(format!("--bind '{spec}': DEST cannot be / (bind below it)"));
    }
    Ok(())
}

/// `path` made absolute against `cwd` and normalised lexically.
fn absolute(cwd: &str, path: &str) -> String {
    let mut buf = vec![0u8; cwd.len() + path.len() + 2];
    let start = if path.starts_with('/') { "/" } else { cwd };
    let mut len = push_components(&mut buf, 0, start.as_bytes(), &[], &mut false).unwrap_or(1);
    len = push_components(&mut buf, len, path.as_bytes(), &[], &mut false).unwrap_or(len);
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

/// The spec from the options, if the shim is asked for; a malformed spec is an error. Each spec
/// must already be absolute (see [`prepare`]); relative sides are made absolute against this
/// process's working directory all the same.
pub fn parse(opts: &Options) -> Result<Option<Spec>, String> {
    if opts.binds.is_empty() {
        return Ok(None);
    }
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref().and_then(Path::to_str).unwrap_or("/");
    let mut binds: Vec<Bind> = Vec::with_capacity(opts.binds.len());
    // Later options first, so that a stable sort keeps the last of equal DESTs in front.
    for spec in opts.binds.iter().rev() {
        let (src, dest) = split(spec)?;
        let (src, dest) = (absolute(cwd, src), absolute(cwd, dest));
        check_dest(spec, &dest)?;
        binds.push(Bind { src: src.into_bytes().into(), dest: dest.into_bytes().into() });
    }
    binds.sort_by_key(|b| core::cmp::Reverse(b.dest.len()));
    Ok(Some(Spec { binds }))
}

/// The host path of `path` as the launcher must look the program up (`selftrace --bind S:D --
/// D/prog`): unchanged unless a binding's DEST contains it, or it is a bare name (looked up in
/// PATH). Start-up only.
pub fn host_path(opts: &Options, path: &Path) -> PathBuf {
    let Ok(Some(spec)) = parse(opts) else { return path.to_path_buf() };
    let Some(p) = path.to_str().filter(|p| p.contains('/')) else { return path.to_path_buf() };
    let cwd = std::env::current_dir().ok();
    let abs = absolute(cwd.as_deref().and_then(Path::to_str).unwrap_or("/"), p);
    match longest(&spec.binds, abs.as_bytes()) {
        Some((i, rest)) => {
            let mut host = String::from_utf8_lossy(&spec.binds[i].src).into_owned();
            if host == "/" {
                host.clear();
            }
            host.push_str(std::str::from_utf8(rest).unwrap_or(""));
            if host.is_empty() {
                host.push('/');
            }
            PathBuf::from(host)
        }
        None => path.to_path_buf(),
    }
}

/// The shim's hook. Start-up only: it also works out this image's virtual working directory.
pub fn hook(spec: Spec, _shared: &'static Shared) -> &'static dyn Hook {
    let binds: &'static [Bind] = Box::leak(spec.binds.into_boxed_slice());
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref().and_then(Path::to_str).unwrap_or("");
    CWD_BIND.store(binding_of_host(binds, cwd.as_bytes()), Ordering::Relaxed);
    Box::leak(Box::new(BindHook { binds }))
}

/// The binding this process's working directory was entered through (index into the hook's
/// bindings), or -1: the virtual working directory is the real one.
static CWD_BIND: AtomicI32 = AtomicI32::new(-1);

/// The binding whose SRC is the longest containing the host path `real` (-1: none).
fn binding_of_host(binds: &[Bind], real: &[u8]) -> i32 {
    let mut best: Option<(usize, usize)> = None;
    for (i, b) in binds.iter().enumerate() {
        if below(real, &b.src).is_some() && best.is_none_or(|(_, len)| b.src.len() > len) {
            best = Some((i, b.src.len()));
        }
    }
    best.map_or(-1, |(i, _)| i as i32)
}

/// `path`'s part below `prefix` by whole components ("" for `prefix` itself, "/rest" below it).
fn below<'a>(path: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    if prefix == b"/" {
        return path.starts_with(b"/").then_some(if path == b"/" { &path[1..] } else { path });
    }
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest[0] == b'/').then_some(rest)
}

/// The binding with the longest DEST containing the normalised virtual path, and the rest.
fn longest<'a>(binds: &[Bind], path: &'a [u8]) -> Option<(usize, &'a [u8])> {
    // Sorted longest DEST first: the first match is the longest.
    binds.iter().enumerate().find_map(|(i, b)| below(path, &b.dest).map(|rest| (i, rest)))
}

/// Appends `path`'s components to the normalised absolute path `out[..len]` (`len` 0 starts at
/// `/`), resolving `.`, `..` and repeated slashes lexically. Sets `through` when some prefix on
/// the way is a binding's DEST. None when `out` is too small.
fn push_components(out: &mut [u8], mut len: usize, path: &[u8], binds: &[Bind], through: &mut bool) -> Option<usize> {
    if len == 0 {
        *out.get_mut(0)? = b'/';
        len = 1;
    }
    for comp in path.split(|&c| c == b'/') {
        match comp {
            b"" | b"." => {}
            b".." => {
                // The root's parent is the root.
                let cut = out[..len].iter().rposition(|&c| c == b'/').unwrap_or(0);
                len = cut.max(1);
            }
            _ => {
                let sep = usize::from(len > 1);
                let end = len + sep + comp.len();
                if end > out.len() {
                    return None;
                }
                if sep == 1 {
                    out[len] = b'/';
                }
                out[len + sep..end].copy_from_slice(comp);
                len = end;
                if !*through && binds.iter().any(|b| *b.dest == out[..len]) {
                    *through = true;
                }
            }
        }
    }
    Some(len)
}

/// Whether the lexical walk of the relative `path` from a directory `depth` components below a
/// DEST goes above that DEST at some point.
fn climbs_above(path: &[u8], depth: usize) -> bool {
    let mut d = depth as isize;
    for comp in path.split(|&c| c == b'/') {
        match comp {
            b"" | b"." => {}
            b".." => {
                d -= 1;
                if d < 0 {
                    return true;
                }
            }
            _ => d += 1,
        }
    }
    false
}

/// Whether the kernel would treat `path` as naming a directory by its form (trailing `/`, or a
/// last component `.` or `..`).
fn names_directory(path: &[u8]) -> bool {
    path.ends_with(b"/") || path == b"." || path == b".." || path.ends_with(b"/.") || path.ends_with(b"/..")
}

// ---- the handler path ------------------------------------------------------------------------

/// Rewriting levels per thread: a program signal handler interrupting a call (whose rewritten
/// path must stay valid until the call returns) makes its own calls at the next level.
const LEVELS: usize = 8;
/// The longest path the kernel accepts, NUL included.
const IN_BYTES: usize = 4096;
/// A host path may be longer than the program's (SRC longer than DEST): the kernel then decides
/// (ENAMETOOLONG) as it would for that path.
const OUT_BYTES: usize = 2 * IN_BYTES;

/// One level's memory: the program's path as read, the working directory, the host paths (two
/// for rename and link) the kernel reads during the call.
#[repr(C)]
struct Level {
    /// A chdir in progress: the binding its target is inside (-1: none), for its exit.
    chdir_to: i32,
    /// A readlink of a `/proc/` link in progress: its result is a host path, shown as DEST's.
    proc_link: bool,
    input: [u8; IN_BYTES],
    cwd: [u8; IN_BYTES],
    out: [[u8; OUT_BYTES]; 2],
}

/// A thread's rewriting memory (mapped on first use, kept with the thread's slot): at offset 0
/// the number of levels taken, an AtomicU32, used modulo LEVELS (a level never released, as when
/// a handler longjmp'd out of an interrupted call, does not make the next ones unavailable);
/// the levels from [`LEVELS_AT`].
const LEVELS_AT: usize = 64;
const BUFFERS_BYTES: usize = LEVELS_AT + LEVELS * core::mem::size_of::<Level>();

/// The calling thread's mapping, made on first use.
fn buffers() -> Option<usize> {
    let slot = threads::current()?;
    let mut base = slot.bind_buf.load(Ordering::Relaxed);
    if base == 0 {
        base = sys::mmap_anon(BUFFERS_BYTES).ok()?;
        slot.bind_buf.store(base, Ordering::Relaxed);
    }
    Some(base)
}

fn depth(base: usize) -> &'static AtomicU32 {
    // SAFETY: offset 0 of the thread's mapping (zeroed, page-aligned, never unmapped) is the
    // level count; it is only ever accessed as this atomic.
    unsafe { &*(base as *const AtomicU32) }
}

fn level_at(base: usize, n: u32) -> *mut Level {
    (base + LEVELS_AT + (n as usize % LEVELS) * core::mem::size_of::<Level>()) as *mut Level
}

/// The calling thread's next level, until [`release`].
fn acquire() -> Option<&'static mut Level> {
    let base = buffers()?;
    let n = depth(base).fetch_add(1, Ordering::Relaxed);
    // SAFETY: levels are taken and released in nested (LIFO) order by this thread only, so this
    // level is used by nothing else until it is released; the mapping is writable and a zeroed
    // Level is a valid value (integers and byte arrays).
    Some(unsafe { &mut *level_at(base, n) })
}

/// The calling thread's innermost level (held by the call now in its exit).
fn innermost() -> Option<&'static mut Level> {
    let base = threads::current()?.bind_buf.load(Ordering::Relaxed);
    if base == 0 {
        return None;
    }
    // None held: a call that ran on a spare level, with the mapping made meanwhile (by a signal
    // handler's call on this thread).
    let n = depth(base).load(Ordering::Relaxed).checked_sub(1)?;
    // SAFETY: as in `acquire`: the level this thread's current call took.
    Some(unsafe { &mut *level_at(base, n) })
}

/// Gives back the calling thread's innermost level.
fn release() {
    if let Some(base) = threads::current().map(|s| s.bind_buf.load(Ordering::Relaxed)).filter(|&b| b != 0) {
        let _ = depth(base).fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
    }
}

/// Levels for a thread that has none (no thread slot, or its mapping failed): enough to tell
/// whether a call needs rewriting at all, and to do what needs no memory the kernel reads during
/// the call (getcwd, a chdir out of the bindings, a /proc link's result). Taken and given back
/// within one hook callback, never held across the real call, so a few serve the whole process.
struct Spare {
    busy: AtomicBool,
    level: UnsafeCell<Level>,
}

// SAFETY: `level` is only touched by the task that set `busy` (see `SpareGuard`).
unsafe impl Sync for Spare {}

const SPARES: usize = 4;

static SPARE: [Spare; SPARES] = [const {
    Spare {
        busy: AtomicBool::new(false),
        level: UnsafeCell::new(Level {
            chdir_to: -1,
            proc_link: false,
            input: [0; IN_BYTES],
            cwd: [0; IN_BYTES],
            out: [[0; OUT_BYTES]; 2],
        }),
    }
}; SPARES];

/// A spare level, given back when dropped.
struct SpareGuard(&'static Spare);

impl SpareGuard {
    /// A free spare level; None when every one is in use (by other threads, or by the calls this
    /// one was interrupted in).
    fn take() -> Option<SpareGuard> {
        SPARE
            .iter()
            .find(|s| s.busy.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok())
            .map(SpareGuard)
    }

    fn level(&mut self) -> &mut Level {
        // SAFETY: this guard set `busy`, so nothing else uses the level until it is dropped; the
        // returned borrow cannot outlive the guard.
        unsafe { &mut *self.0.level.get() }
    }
}

impl Drop for SpareGuard {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::Release);
    }
}

/// The working directories of vfork children (posix_spawn's) that called chdir: such a child
/// has a working directory of its own but shares its parent's memory, so its virtual one (the
/// binding it was entered through, -1: none) is kept here under its tid instead of in
/// [`CWD_BIND`]. An entry is freed when the parent's clone returns (the child has exec'd or
/// exited by then).
static VFORK_CWD: VforkTable<AtomicI32, 16> = VforkTable::new([const { AtomicI32::new(-1) }; 16]);

/// The binding the calling task's working directory was entered through (-1: none).
fn cwd_bind() -> i32 {
    if let Some(bind) = vfork_child_tid().and_then(|tid| VFORK_CWD.get(tid)) {
        return bind.load(Ordering::Relaxed);
    }
    CWD_BIND.load(Ordering::Relaxed)
}

/// Records the calling task's new working directory: a vfork child's in its entry (if it could
/// get one: see [`vfork_claim`]), everyone else's for the process.
fn set_cwd_bind(idx: i32) {
    match vfork_child_tid() {
        Some(tid) => {
            if let Some(bind) = VFORK_CWD.get(tid) {
                bind.store(idx, Ordering::Relaxed);
            }
        }
        None => CWD_BIND.store(idx, Ordering::Relaxed),
    }
}

/// Before a chdir or fchdir: a vfork child gets its entry (starting from its parent's
/// directory, which it inherited). False when every entry is taken.
fn vfork_claim() -> bool {
    let Some(tid) = vfork_child_tid() else { return true };
    VFORK_CWD.get_or_claim(tid, |bind| bind.store(CWD_BIND.load(Ordering::Relaxed), Ordering::Relaxed)).is_some()
}

/// Where a call's paths are: (path argument, directory-descriptor argument or [`CWD`]).
type PathArg = (u8, u8);
/// The path is relative to the working directory.
const CWD: u8 = u8::MAX;

/// The path arguments of call `nr` (empty: not a path call).
#[allow(non_upper_case_globals)]
fn path_args(nr: usize) -> &'static [PathArg] {
    use libc::*;
    // The *xattrat calls of Linux 6.13 (setxattrat, getxattrat, listxattrat, removexattrat),
    // which libc does not name yet.
    const XATTRAT_FIRST: c_long = 463;
    const XATTRAT_LAST: c_long = 466;
    match nr as c_long {
        SYS_open | SYS_creat | SYS_stat | SYS_lstat | SYS_access | SYS_statfs | SYS_readlink | SYS_mkdir
        | SYS_rmdir | SYS_unlink | SYS_mknod | SYS_chdir | SYS_chroot | SYS_chmod | SYS_chown | SYS_lchown
        | SYS_truncate | SYS_utime | SYS_utimes | SYS_execve | SYS_setxattr | SYS_lsetxattr | SYS_getxattr
        | SYS_lgetxattr | SYS_listxattr | SYS_llistxattr | SYS_removexattr | SYS_lremovexattr | SYS_umount2
        | SYS_acct | SYS_swapon | SYS_swapoff | SYS_uselib => &[(0, CWD)],
        SYS_openat
        | SYS_openat2
        | SYS_newfstatat
        | SYS_statx
        | SYS_faccessat
        | SYS_faccessat2
        | SYS_readlinkat
        | SYS_mkdirat
        | SYS_unlinkat
        | SYS_mknodat
        | SYS_fchmodat
        | SYS_fchmodat2
        | SYS_fchownat
        | SYS_utimensat
        | SYS_futimesat
        | SYS_execveat
        | SYS_name_to_handle_at
        | SYS_open_tree
        | SYS_mount_setattr
        | XATTRAT_FIRST..=XATTRAT_LAST => &[(1, 0)],
        SYS_rename | SYS_link => &[(0, CWD), (1, CWD)],
        SYS_renameat | SYS_renameat2 | SYS_linkat | SYS_move_mount => &[(1, 0), (3, 2)],
        SYS_symlink | SYS_inotify_add_watch => &[(1, CWD)],
        SYS_symlinkat => &[(2, 1)],
        SYS_fanotify_mark => &[(4, 3)],
        _ => &[],
    }
}

/// Every call the hook handles, for the seccomp filter.
fn wanted_calls() -> SysnoSet {
    let mut set = SysnoSet::empty();
    for nr in 0..512 {
        if !path_args(nr).is_empty() || nr == libc::SYS_getcwd as usize || nr == libc::SYS_fchdir as usize {
            if let Some(s) = syscalls::Sysno::new(nr) {
                set.insert(s);
            }
        }
    }
    set
}

struct BindHook {
    binds: &'static [Bind],
}

/// What became of one path argument.
enum Rewrite {
    /// Left as the program passed it.
    Keep,
    /// The host path is in the level's output buffer; the binding it is inside (-1: none).
    To(i32),
}

impl BindHook {
    /// The virtual working directory into `out`; its length. Err: getcwd's error.
    fn virtual_cwd(&self, cwd: &mut [u8; IN_BYTES], out: &mut [u8]) -> Result<usize, i32> {
        let n = sys::check(crate::arch::syscall6(
            libc::SYS_getcwd as usize,
            [cwd.as_mut_ptr() as usize, IN_BYTES, 0, 0, 0, 0],
        ))?;
        let real = &cwd[..n.saturating_sub(1)];
        if !real.starts_with(b"/") {
            // "(unreachable)/...": outside the process's root; nothing to translate.
            return Err(libc::ENOENT);
        }
        let idx = cwd_bind();
        let (prefix, rest): (&[u8], &[u8]) = match self.binds.get(idx as usize).filter(|_| idx >= 0) {
            Some(b) => match below(real, &b.src) {
                Some(rest) => (&b.dest, rest),
                None => (b"", real),
            },
            None => (b"", real),
        };
        let len = prefix.len() + rest.len();
        if len > out.len() {
            return Err(libc::ENAMETOOLONG);
        }
        out[..prefix.len()].copy_from_slice(prefix);
        out[prefix.len()..len].copy_from_slice(rest);
        if len == 0 {
            out[0] = b'/';
            return Ok(1);
        }
        Ok(len)
    }

    /// The virtual directory of descriptor `fd` into `out` when it is inside a SRC: its length
    /// and how many components it lies below that binding's DEST.
    fn fd_virtual_dir(&self, fd: i32, real: &mut [u8; IN_BYTES], out: &mut [u8]) -> Option<(usize, usize)> {
        if fd < 0 {
            return None;
        }
        let mut buf = [0u8; sys::FD_PATH_BYTES];
        let link = sys::fd_path(&mut buf, b"/proc/self/fd/", fd as u32);
        let n = sys::check(crate::arch::syscall6(
            libc::SYS_readlinkat as usize,
            [libc::AT_FDCWD as usize, link.as_ptr() as usize, real.as_mut_ptr() as usize, IN_BYTES, 0, 0],
        ))
        .ok()?;
        let real = &real[..n];
        if n >= IN_BYTES || !real.starts_with(b"/") {
            return None;
        }
        let i = usize::try_from(binding_of_host(self.binds, real)).ok()?;
        let b = &self.binds[i];
        let rest = below(real, &b.src)?;
        let len = b.dest.len() + rest.len();
        if len > out.len() {
            return None;
        }
        out[..b.dest.len()].copy_from_slice(&b.dest);
        out[b.dest.len()..len].copy_from_slice(rest);
        Some((len, rest.split(|&c| c == b'/').filter(|c| !c.is_empty()).count()))
    }

    /// Translates argument `pa` of `call` into `level.out[k]`.
    fn rewrite(&self, call: &Call, pa: PathArg, level: &mut Level, k: usize) -> Result<Rewrite, i32> {
        let (pi, di) = (pa.0 as usize, pa.1);
        let addr = call.args[pi];
        if addr == 0 {
            return Ok(Rewrite::Keep);
        }
        // Unreadable or too long: the kernel reports it for the program's own pointer.
        let Ok(path) = mem::read_cstr(addr, &mut level.input) else { return Ok(Rewrite::Keep) };
        level.proc_link = path.starts_with(b"/proc/");
        if path.is_empty() {
            return Ok(Rewrite::Keep);
        }
        let relative = path[0] != b'/';
        let out = &mut level.out[k];
        let mut through = false;
        let mut len = 0;
        if relative && di != CWD && call.arg_i32(di as usize) != libc::AT_FDCWD {
            // Relative to a real descriptor: it resolves where the descriptor is, unless `..`
            // climbs out of the SRC the descriptor is in (then: out of DEST, virtually).
            if !path.split(|&c| c == b'/').any(|c| c == b"..") {
                return Ok(Rewrite::Keep);
            }
            let Some((n, depth)) = self.fd_virtual_dir(call.arg_i32(di as usize), &mut level.cwd, out) else {
                return Ok(Rewrite::Keep);
            };
            if !climbs_above(path, depth) {
                return Ok(Rewrite::Keep);
            }
            len = push_components(out, n, path, self.binds, &mut through).ok_or(libc::ENAMETOOLONG)?;
            return self.finish(out, len, path);
        }
        let cwd_bound = relative && cwd_bind() >= 0;
        if relative {
            len = match self.virtual_cwd(&mut level.cwd, out) {
                Ok(n) => n,
                // No usable working directory: the kernel fails the relative path itself.
                Err(_) => return Ok(Rewrite::Keep),
            };
            through = self.binds.iter().any(|b| below(&out[..len], &b.dest).is_some());
        }
        len = push_components(out, len, path, self.binds, &mut through).ok_or(libc::ENAMETOOLONG)?;
        if longest(self.binds, &out[..len]).is_none() && !through && !cwd_bound {
            return Ok(Rewrite::Keep);
        }
        self.finish(out, len, path)
    }

    /// The host path of the normalised virtual path `out[..len]`, NUL-terminated in `out`,
    /// keeping the directory form of the program's `path`.
    fn finish(&self, out: &mut [u8; OUT_BYTES], mut len: usize, path: &[u8]) -> Result<Rewrite, i32> {
        let found = longest(self.binds, &out[..len]);
        let dir = names_directory(path);
        let mut idx = -1;
        if let Some((i, rest_len)) = found.map(|(i, rest)| (i, rest.len())) {
            // out = SRC + rest, in place (the rest is the tail of the virtual path).
            let src: &[u8] = &self.binds[i].src;
            let src: &[u8] = if src == b"/" && rest_len > 0 { b"" } else { src };
            let total = src.len() + rest_len;
            if total >= OUT_BYTES {
                return Err(libc::ENAMETOOLONG);
            }
            out.copy_within(len - rest_len..len, src.len());
            out[..src.len()].copy_from_slice(src);
            len = total;
            idx = i as i32;
        }
        if dir && len > 1 && out[len - 1] != b'/' {
            if len + 1 >= OUT_BYTES {
                return Err(libc::ENAMETOOLONG);
            }
            out[len] = b'/';
            len += 1;
        }
        if len >= OUT_BYTES {
            return Err(libc::ENAMETOOLONG);
        }
        out[len] = 0;
        Ok(Rewrite::To(idx))
    }

    /// The result of readlink on a `/proc/` link (`/proc/self/fd/N`, `/proc/self/cwd`,
    /// `/proc/self/exe`...) at the program's `buf` (`*ret` bytes of `size`): a host path inside a
    /// SRC is rewritten as the program sees it, truncated to `size` as the kernel truncates.
    fn proc_link_result(&self, level: &mut Level, buf: usize, size: usize, ret: &mut isize) {
        let n = *ret as usize;
        if n > IN_BYTES || mem::read(buf, &mut level.cwd[..n]) != Ok(n) {
            return;
        }
        let real = &level.cwd[..n];
        // A link that fills the whole buffer may have been truncated: not a whole path.
        if n == size || !real.starts_with(b"/") {
            return;
        }
        let Ok(i) = usize::try_from(binding_of_host(self.binds, real)) else { return };
        let b = &self.binds[i];
        let Some(rest) = below(real, &b.src) else { return };
        let out = &mut level.out[1];
        let len = b.dest.len() + rest.len();
        if len > OUT_BYTES {
            return;
        }
        out[..b.dest.len()].copy_from_slice(&b.dest);
        out[b.dest.len()..len].copy_from_slice(rest);
        let shown = len.min(size);
        if mem::write(buf, &out[..shown]) == Ok(shown) {
            *ret = shown as isize;
        }
    }

    /// After a successful fchdir: the virtual directory follows the real one.
    fn fchdir_done(&self, level: &mut Level) {
        let n =
            crate::arch::syscall6(libc::SYS_getcwd as usize, [level.cwd.as_mut_ptr() as usize, IN_BYTES, 0, 0, 0, 0]);
        let idx = match sys::check(n) {
            Ok(n) => binding_of_host(self.binds, &level.cwd[..n.saturating_sub(1)]),
            Err(_) => -1,
        };
        set_cwd_bind(idx);
    }

    /// `enter` for a thread without rewriting memory, on a spare `level` held only until this
    /// returns: a call no binding involves runs untouched; one that needs a rewritten path the
    /// kernel would read during the call fails with ENOMEM. getcwd, a chdir that leaves the
    /// bindings and a /proc link's readlink are done here, as they need no such memory.
    fn enter_without_buffers(&self, call: &mut Call, level: &mut Level) -> Verdict {
        let nr = call.nr as libc::c_long;
        if nr == libc::SYS_getcwd {
            return self.getcwd(call, level);
        }
        level.chdir_to = -1;
        level.proc_link = false;
        for (k, &pa) in path_args(call.nr).iter().enumerate() {
            match self.rewrite(call, pa, level, k) {
                Ok(Rewrite::Keep) => {}
                Ok(Rewrite::To(_)) => return Verdict::error(libc::ENOMEM),
                Err(e) => return Verdict::error(e),
            }
        }
        if nr == libc::SYS_chdir {
            let r = crate::arch::syscall6(call.nr, call.args);
            if r == 0 {
                set_cwd_bind(-1);
            }
            return Verdict::Emulate(r);
        }
        let readlink = nr == libc::SYS_readlink || nr == libc::SYS_readlinkat;
        if level.proc_link && readlink {
            let (buf, size) =
                if nr == libc::SYS_readlink { (call.args[1], call.args[2]) } else { (call.args[2], call.args[3]) };
            let mut r = crate::arch::syscall6(call.nr, call.args);
            if r > 0 {
                self.proc_link_result(level, buf, size, &mut r);
            }
            return Verdict::Emulate(r);
        }
        Verdict::RunNoExit
    }

    /// getcwd inside a binding: the virtual directory.
    fn getcwd(&self, call: &Call, level: &mut Level) -> Verdict {
        let out = &mut level.out[0];
        let len = match self.virtual_cwd(&mut level.cwd, out) {
            Ok(n) => n,
            Err(e) => return Verdict::error(e),
        };
        if call.args[1] < len + 1 {
            return Verdict::error(libc::ERANGE);
        }
        out[len] = 0;
        match mem::write(call.args[0], &out[..len + 1]) {
            Ok(n) if n == len + 1 => Verdict::Emulate((len + 1) as isize),
            _ => Verdict::error(libc::EFAULT),
        }
    }
}

impl Hook for BindHook {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        Some(wanted_calls())
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        let nr = call.nr as libc::c_long;
        if matches!(nr, libc::SYS_clone | libc::SYS_clone3) {
            // Its exit frees the entry of a vfork child that called chdir.
            return Verdict::Run;
        }
        let chdir = nr == libc::SYS_chdir;
        if (chdir || nr == libc::SYS_fchdir) && !vfork_claim() {
            return Verdict::error(libc::ENOMEM);
        }
        if nr == libc::SYS_fchdir {
            // Its exit works out the new virtual directory from the real one.
            return Verdict::Run;
        }
        let getcwd = nr == libc::SYS_getcwd;
        if getcwd && cwd_bind() < 0 {
            return Verdict::RunNoExit;
        }
        let pas = path_args(call.nr);
        if pas.is_empty() && !getcwd {
            return Verdict::RunNoExit;
        }
        // From here on a level is held until exit (Run or Emulate), or released before
        // RunNoExit.
        let Some(level) = acquire() else {
            return match SpareGuard::take() {
                Some(mut g) => self.enter_without_buffers(call, g.level()),
                None => Verdict::error(libc::ENOMEM),
            };
        };
        if getcwd {
            return self.getcwd(call, level);
        }
        let mut any = false;
        level.chdir_to = -1;
        level.proc_link = false;
        for (k, &pa) in pas.iter().enumerate() {
            match self.rewrite(call, pa, level, k) {
                Ok(Rewrite::Keep) => {}
                Ok(Rewrite::To(idx)) => {
                    call.args[pa.0 as usize] = level.out[k].as_ptr() as usize;
                    level.chdir_to = idx;
                    any = true;
                }
                Err(e) => return Verdict::error(e),
            }
        }
        let proc_link = level.proc_link && (nr == libc::SYS_readlink || nr == libc::SYS_readlinkat);
        if any || chdir || proc_link {
            // A chdir's exit records which binding (none, if it was left alone) it entered; a
            // /proc link's exit translates the host path it returns.
            Verdict::Run
        } else {
            release();
            Verdict::RunNoExit
        }
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        let nr = call.nr as libc::c_long;
        if matches!(nr, libc::SYS_clone | libc::SYS_clone3) {
            // The child (a thread, a fork child, or a vfork child that has exec'd or exited by
            // now) is done with any entry under its tid.
            VFORK_CWD.clone_exit(call, *ret, |_| {});
            return;
        }
        if nr == libc::SYS_fchdir {
            if *ret == 0 {
                if let Some(level) = acquire() {
                    self.fchdir_done(level);
                    release();
                } else if let Some(mut g) = SpareGuard::take() {
                    self.fchdir_done(g.level());
                }
            }
            return;
        }
        if let Some(level) = innermost() {
            // A vfork child's chdir moves its own view, not its parent's (see `set_cwd_bind`).
            if nr == libc::SYS_chdir && *ret == 0 {
                set_cwd_bind(level.chdir_to);
            }
            if level.proc_link && *ret > 0 {
                let (buf, size) =
                    if nr == libc::SYS_readlink { (call.args[1], call.args[2]) } else { (call.args[2], call.args[3]) };
                self.proc_link_result(level, buf, size, ret);
            }
        }
        release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binds(list: &[(&str, &str)]) -> Vec<Bind> {
        let opts = Options { binds: list.iter().map(|(s, d)| format!("{s}:{d}")).collect(), ..Default::default() };
        parse(&opts).unwrap().unwrap().binds
    }

    fn norm(start: &str, path: &str, b: &[Bind]) -> (String, bool) {
        let mut out = [0u8; 256];
        let mut through = false;
        let len = push_components(&mut out, 0, start.as_bytes(), &[], &mut false).unwrap();
        let len = push_components(&mut out, len, path.as_bytes(), b, &mut through).unwrap();
        (String::from_utf8(out[..len].to_vec()).unwrap(), through)
    }

    #[test]
    fn lexical_normalisation() {
        assert_eq!(norm("/", "/a//b/./c/../d/", &[]).0, "/a/b/d");
        assert_eq!(norm("/x/y", "../../../z", &[]).0, "/z");
        assert_eq!(norm("/x", ".", &[]).0, "/x");
        assert_eq!(norm("/", "..", &[]).0, "/");
        let b = binds(&[("/s", "/d")]);
        assert_eq!(norm("/", "/d/../e", &b), ("/e".into(), true));
        assert_eq!(norm("/", "/dx/e", &b), ("/dx/e".into(), false));
        assert_eq!(absolute("/w", "rel/./x/.."), "/w/rel");
        assert!(climbs_above(b"../x", 0));
        assert!(!climbs_above(b"../x", 1));
        assert!(climbs_above(b"a/../../..", 1));
        assert!(!climbs_above(b"a/b/../..", 0));
    }

    #[test]
    fn whole_components_and_longest_prefix() {
        let b = binds(&[("/s1", "/mnt"), ("/s2", "/mnt/sub"), ("/s3", "/mnt")]);
        // The later of two equal DESTs wins; the longer DEST wins over a shorter one.
        assert_eq!(&*b[longest(&b, b"/mnt/x").unwrap().0].src, b"/s3");
        assert_eq!(longest(&b, b"/mnt/sub/y").map(|(i, r)| (&*b[i].src, r)), Some((&b"/s2"[..], &b"/y"[..])));
        assert_eq!(longest(&b, b"/mnt").map(|(_, r)| r), Some(&b""[..]));
        assert!(longest(&b, b"/mntx").is_none());
        assert_eq!(below(b"/a/b", b"/"), Some(&b"/a/b"[..]));
        assert_eq!(below(b"/", b"/"), Some(&b""[..]));
        assert_eq!(binding_of_host(&b, b"/s2/q"), b.iter().position(|x| &*x.src == b"/s2").unwrap() as i32);
        assert_eq!(binding_of_host(&b, b"/s22"), -1);
    }

    #[test]
    fn bad_specs() {
        let mut o = Options { binds: vec!["/tmp".into()], ..Default::default() };
        assert_eq!(prepare(&mut o).unwrap_err(), "--bind '/tmp': expected SRC:DEST");
        o.binds = vec![":/x".into()];
        assert_eq!(prepare(&mut o).unwrap_err(), "--bind ':/x': SRC is empty (expected SRC:DEST)");
        o.binds = vec!["/tmp:".into()];
        assert_eq!(prepare(&mut o).unwrap_err(), "--bind '/tmp:': DEST is empty (expected SRC:DEST)");
        o.binds = vec!["/tmp:/".into()];
        assert_eq!(prepare(&mut o).unwrap_err(), "--bind '/tmp:/': DEST cannot be / (bind below it)");
        o.binds = vec!["/nonexistent-selftrace:/x".into()];
        assert_eq!(
            prepare(&mut o).unwrap_err(),
            "--bind '/nonexistent-selftrace:/x': cannot use '/nonexistent-selftrace' as SRC: No such file or directory"
        );
        o.binds = vec!["/tmp/../tmp/:/a/./b/".into()];
        prepare(&mut o).unwrap();
        assert_eq!(o.binds, vec![format!("{}:/a/b", std::fs::canonicalize("/tmp").unwrap().display())]);
    }

    #[test]
    fn calls_covered() {
        let set = wanted_calls();
        for s in [syscalls::Sysno::openat, syscalls::Sysno::getcwd, syscalls::Sysno::chdir, syscalls::Sysno::renameat2]
        {
            assert!(set.contains(s), "{s}");
        }
        assert!(!set.contains(syscalls::Sysno::read));
        assert_eq!(path_args(libc::SYS_symlinkat as usize), &[(2, 1)]);
    }
}
