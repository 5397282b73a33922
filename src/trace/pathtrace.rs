//! `-P PATH` (strace's pathtrace): only calls that touch one of the paths print. A call matches
//! when one of its path arguments is, as a string, one of the paths, or one of its descriptor
//! arguments has a `/proc/self/fd` link equal to one; which arguments count is strace 6.1's
//! table (`pathtrace_match_set`), and so is the rule that only calls of the classes `%file`,
//! `%desc` and `%network` can match. The check runs at the call's entry (a descriptor is still
//! open when close is called), on the handler path: raw system calls, memory read through
//! [`crate::mem`], buffers on the stack.
//!
//! The launcher adds the path's canonical form to the set when it differs (strace's
//! `Requested path "x" resolved into "y"`): [`resolve`].

use super::filter::SyscallSet;

/// The longest path compared (strace's PATH_MAX + 1 buffer).
const PATH_BYTES: usize = 4097;

/// The paths of `-P` and the classes that can match.
pub struct PathTrace {
    paths: Vec<Box<[u8]>>,
    file: SyscallSet,
    desc: SyscallSet,
}

impl PathTrace {
    /// The matcher for `paths` (None when there are none: every call matches). Start-up only.
    pub fn new(paths: &[String]) -> Option<PathTrace> {
        if paths.is_empty() {
            return None;
        }
        let set = |c: &str| SyscallSet::parse(c).unwrap_or(SyscallSet::none());
        let mut desc = set("%desc,%network");
        // strace's table names these (all %desc or %network) as having no argument to test.
        for nr in [
            libc::SYS_bpf,
            libc::SYS_epoll_create,
            libc::SYS_epoll_create1,
            libc::SYS_eventfd2,
            libc::SYS_eventfd,
            libc::SYS_fanotify_init,
            libc::SYS_fsopen,
            libc::SYS_inotify_init,
            libc::SYS_inotify_init1,
            libc::SYS_io_uring_setup,
            libc::SYS_landlock_create_ruleset,
            libc::SYS_memfd_create,
            libc::SYS_memfd_secret,
            libc::SYS_mq_open,
            libc::SYS_perf_event_open,
            libc::SYS_pidfd_open,
            libc::SYS_pipe,
            libc::SYS_pipe2,
            libc::SYS_socket,
            libc::SYS_socketpair,
            libc::SYS_timerfd_create,
            libc::SYS_userfaultfd,
        ] {
            desc.remove(nr as usize);
        }
        let mut file = set("%file");
        for nr in [libc::SYS_memfd_create, libc::SYS_mq_open, libc::SYS_fsopen] {
            file.remove(nr as usize);
        }
        Some(PathTrace { paths: paths.iter().map(|p| p.as_bytes().into()).collect(), file, desc })
    }

    fn is_path(&self, s: &[u8]) -> bool {
        self.paths.iter().any(|p| **p == *s)
    }

    /// The string at `addr` is one of the paths.
    fn path_arg(&self, addr: usize) -> bool {
        let mut buf = [0u8; PATH_BYTES];
        match crate::mem::read_cstr(addr, &mut buf) {
            Ok(s) => self.is_path(s),
            Err(_) => false,
        }
    }

    /// Descriptor `fd` (the argument as an int, as the kernel takes it) names one of the paths.
    fn fd_arg(&self, fd: usize) -> bool {
        let fd = fd as i32;
        if fd < 0 {
            return false;
        }
        let mut name = [0u8; crate::sys::FD_PATH_BYTES];
        let link = crate::sys::fd_path(&mut name, b"/proc/self/fd/", fd as u32);
        let mut buf = [0u8; PATH_BYTES];
        match crate::sys::readlink(link, &mut buf[..PATH_BYTES - 1]) {
            Ok(n) => self.is_path(&buf[..n]),
            Err(_) => false,
        }
    }

    /// select's descriptor sets (`args`: nfds, readfds, writefds, exceptfds).
    fn fd_sets(&self, args: &[usize; 6]) -> bool {
        let nfds = args[0] as i32;
        if nfds <= 0 {
            return false;
        }
        let nfds = (nfds as usize).min(1024 * 1024);
        let bytes = nfds.div_ceil(8).next_multiple_of(8);
        for &set in &args[1..4] {
            if set == 0 {
                continue;
            }
            let mut chunk = [0u8; 128];
            let mut at = 0;
            while at < bytes {
                let n = (bytes - at).min(chunk.len());
                if crate::sys::read_mem(set + at, &mut chunk[..n]).is_err() {
                    break;
                }
                for (i, &b) in chunk[..n].iter().enumerate() {
                    for bit in 0..8 {
                        let fd = (at + i) * 8 + bit;
                        if b & (1 << bit) != 0 && fd < nfds && self.fd_arg(fd) {
                            return true;
                        }
                    }
                }
                at += n;
            }
        }
        false
    }

    /// poll's array of `struct pollfd` (8 bytes each, the descriptor first).
    fn pollfds(&self, start: usize, nfds: usize) -> bool {
        let nfds = (nfds as u32 as usize).min(1024 * 1024);
        for k in 0..nfds {
            match crate::sys::read_val::<i32>(start.wrapping_add(k * 8)) {
                Ok(fd) if self.fd_arg(fd as u32 as usize) => return true,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        false
    }

    /// Whether call `nr` with `args` touches one of the paths (strace 6.1's table).
    pub fn matches(&self, nr: usize, a: &[usize; 6]) -> bool {
        if !SyscallSet::known(nr) || (!self.file.contains_nr(nr) && !self.desc.contains_nr(nr) && !is_listed(nr)) {
            return false;
        }
        match nr as libc::c_long {
            libc::SYS_dup2 | libc::SYS_dup3 | libc::SYS_kexec_file_load | libc::SYS_sendfile | libc::SYS_tee => {
                self.fd_arg(a[0]) || self.fd_arg(a[1])
            }
            libc::SYS_execveat
            | libc::SYS_faccessat
            | libc::SYS_faccessat2
            | libc::SYS_fchmodat
            | libc::SYS_fchownat
            | libc::SYS_fspick
            | libc::SYS_futimesat
            | libc::SYS_inotify_add_watch
            | libc::SYS_mkdirat
            | libc::SYS_mknodat
            | libc::SYS_mount_setattr
            | libc::SYS_name_to_handle_at
            | libc::SYS_newfstatat
            | libc::SYS_open_tree
            | libc::SYS_openat
            | libc::SYS_openat2
            | libc::SYS_readlinkat
            | libc::SYS_statx
            | libc::SYS_unlinkat
            | libc::SYS_utimensat => self.fd_arg(a[0]) || self.path_arg(a[1]),
            libc::SYS_link | libc::SYS_mount | libc::SYS_pivot_root => self.path_arg(a[0]) || self.path_arg(a[1]),
            libc::SYS_quotactl | libc::SYS_symlink => self.path_arg(a[1]),
            libc::SYS_linkat | libc::SYS_move_mount | libc::SYS_renameat2 | libc::SYS_renameat => {
                self.fd_arg(a[0]) || self.fd_arg(a[2]) || self.path_arg(a[1]) || self.path_arg(a[3])
            }
            libc::SYS_mmap => self.fd_arg(a[4]),
            libc::SYS_symlinkat => self.fd_arg(a[1]) || self.path_arg(a[2]),
            libc::SYS_copy_file_range | libc::SYS_splice => self.fd_arg(a[0]) || self.fd_arg(a[2]),
            libc::SYS_epoll_ctl => self.fd_arg(a[2]),
            // x86-64 passes the 64-bit mask in one register: the descriptor is the fourth.
            libc::SYS_fanotify_mark => self.fd_arg(a[3]) || self.path_arg(a[4]),
            libc::SYS_select | libc::SYS_pselect6 => self.fd_sets(a),
            libc::SYS_poll | libc::SYS_ppoll => self.pollfds(a[0], a[1]),
            libc::SYS_fsconfig => match a[1] as u32 {
                3 | 4 => self.fd_arg(a[4]) || self.path_arg(a[3]),
                5 => self.fd_arg(a[4]),
                _ => false,
            },
            _ if self.file.contains_nr(nr) => self.path_arg(a[0]),
            _ if self.desc.contains_nr(nr) => self.fd_arg(a[0]),
            _ => false,
        }
    }
}

/// Calls of strace's table that its classes might not hold (checked by their own rule).
fn is_listed(nr: usize) -> bool {
    matches!(nr as libc::c_long, libc::SYS_fsconfig | libc::SYS_fspick | libc::SYS_open_tree | libc::SYS_move_mount)
}

/// strace's quoting of a path in its message: `"..."`, with `\"`, `\\`, C escapes and octal.
fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for &b in s.as_bytes() {
        match b {
            b'"' => q.push_str("\\\""),
            b'\\' => q.push_str("\\\\"),
            b'\n' => q.push_str("\\n"),
            b'\t' => q.push_str("\\t"),
            b'\r' => q.push_str("\\r"),
            0x20..=0x7e => q.push(b as char),
            _ => q.push_str(&format!("\\{b:o}")),
        }
    }
    q.push('"');
    q
}

/// The set `-P` selects, as strace builds it when it parses the option: each path as given,
/// then its canonical form (realpath) when the file exists and that differs, with strace's
/// message for each such path (`Requested path "x" resolved into "y"`). Launcher only: child
/// images get the result, so each path resolves once, against the launcher's directory.
pub fn resolve(paths: &[String]) -> (Vec<String>, Vec<String>) {
    let mut set: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        if !set.contains(p) {
            set.push(p.clone());
        }
        let Ok(real) = std::fs::canonicalize(p) else { continue };
        let Some(real) = real.to_str().map(str::to_owned) else { continue };
        if real != *p {
            notes.push(format!("Requested path {} resolved into {}", quote(p), quote(&real)));
            if !set.contains(&real) {
                set.push(real);
            }
        }
    }
    (set, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> std::ffi::CString {
        std::ffi::CString::new(s).unwrap()
    }

    #[test]
    fn path_and_descriptor_arguments_match() {
        let dir = std::env::temp_dir().join(format!("selftrace-pathtrace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("watched");
        std::fs::write(&file, b"x").unwrap();
        let abs = file.to_str().unwrap().to_owned();
        let p = PathTrace::new(std::slice::from_ref(&abs)).unwrap();
        let (cabs, other) = (c(&abs), c("/etc/passwd"));
        let f = std::fs::File::open(&file).unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(&f) as usize;
        let n = |x: libc::c_long| x as usize;
        assert!(p.matches(n(libc::SYS_stat), &[cabs.as_ptr() as usize, 0, 0, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_stat), &[other.as_ptr() as usize, 0, 0, 0, 0, 0]));
        assert!(p.matches(n(libc::SYS_close), &[fd, 0, 0, 0, 0, 0]));
        assert!(p.matches(n(libc::SYS_read), &[fd, 0, 0, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_read), &[0, 0, 0, 0, 0, 0]));
        // fd, path: either; AT_FDCWD is no descriptor.
        let at = libc::AT_FDCWD as usize;
        assert!(p.matches(n(libc::SYS_openat), &[at, cabs.as_ptr() as usize, 0, 0, 0, 0]));
        assert!(p.matches(n(libc::SYS_newfstatat), &[fd, c("").as_ptr() as usize, 0, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_openat), &[at, other.as_ptr() as usize, 0, 0, 0, 0]));
        // dup2's second descriptor, mmap's fifth argument.
        assert!(p.matches(n(libc::SYS_dup2), &[0, fd, 0, 0, 0, 0]));
        assert!(p.matches(n(libc::SYS_mmap), &[0, 4096, 1, 2, fd, 0]));
        assert!(!p.matches(n(libc::SYS_mmap), &[fd, 4096, 1, 2, usize::MAX, 0]));
        // poll's array and select's sets.
        let pfd = [0i32, 0, fd as i32, 0];
        assert!(p.matches(n(libc::SYS_poll), &[pfd.as_ptr() as usize, 2, 0, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_poll), &[pfd.as_ptr() as usize, 1, 0, 0, 0, 0]));
        let mut set = [0u64; 16];
        set[fd / 64] |= 1 << (fd % 64);
        assert!(p.matches(n(libc::SYS_select), &[fd + 1, 0, set.as_ptr() as usize, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_select), &[fd, 0, set.as_ptr() as usize, 0, 0, 0]));
        // Calls outside %file, %desc, %network never match; nor those strace lists as having
        // nothing to test.
        assert!(!p.matches(n(libc::SYS_getpid), &[fd, 0, 0, 0, 0, 0]));
        assert!(!p.matches(n(libc::SYS_pipe2), &[cabs.as_ptr() as usize, 0, 0, 0, 0, 0]));
        // A relative spelling is another string.
        let rel = PathTrace::new(&["watched".to_owned()]).unwrap();
        assert!(!rel.matches(n(libc::SYS_close), &[fd, 0, 0, 0, 0, 0]));
        assert!(rel.matches(n(libc::SYS_unlink), &[c("watched").as_ptr() as usize, 0, 0, 0, 0, 0]));
        drop(f);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn resolving_adds_the_canonical_path() {
        let dir = std::env::temp_dir().join(format!("selftrace-pathtrace-r-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let real = std::fs::canonicalize(&dir).unwrap().join("f");
        std::fs::write(&real, b"").unwrap();
        let link = dir.join("l");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let (l, r) = (link.to_str().unwrap().to_owned(), real.to_str().unwrap().to_owned());
        let (set, notes) = resolve(&[l.clone(), "/no/such/file".into(), r.clone()]);
        assert_eq!(set, vec![l.clone(), r.clone(), "/no/such/file".into()]);
        assert_eq!(notes, vec![format!("Requested path \"{l}\" resolved into \"{r}\"")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
