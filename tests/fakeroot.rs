//! `--fake-root`: the tree sees uid/gid 0, chown succeeds for an unprivileged user and the owner
//! it set is what the stat family reports, in every process of the tree; the real files keep
//! their real owner.
//!
//! Every program runs as an unprivileged user (root could chown for real and prove nothing):
//! under `setpriv --reuid=65534 --regid=65534 --clear-groups` when the suite runs as root, as
//! the suite's own user otherwise.
mod common;
use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Only the program's output: no trace lines, no exit or signal lines.
const QUIET: [&str; 5] = ["-qq", "-e", "trace=none", "-e", "signal=none"];

/// Runs `sh -c SCRIPT` under `--fake-root` (plus `extra` options) and returns its stdout; the
/// run must succeed with nothing on stderr.
fn fake_root_sh(dir: &Path, extra: &[&str], script: &str) -> String {
    let mut opts = QUIET.to_vec();
    opts.push("--fake-root");
    opts.extend(extra);
    let out = run(&mut unprivileged(dir, &opts, need("sh"), &["-c", script]));
    out.assert_success();
    assert_eq!(out.stderr_str(), "", "{}", out.describe());
    out.stdout_str()
}

fn owner(p: &Path) -> (u32, u32) {
    let m = std::fs::symlink_metadata(p).unwrap();
    (m.uid(), m.gid())
}

#[test]
fn ids_are_root() {
    let dir = scratch("fr-id");
    let out = fake_root_sh(dir.path(), &[], "id; id -u; id -g; id -G; id -un; id -gn");
    assert_eq!(out, "uid=0(root) gid=0(root) groups=0(root)\n0\n0\n0\nroot\nroot\n");
}

#[test]
fn chown_is_remembered_and_the_real_file_keeps_its_owner() {
    let dir = scratch("fr-chown");
    let out = fake_root_sh(
        dir.path(),
        &[],
        "touch f; stat -c '%u %g' f; chown 123:456 f; stat -c '%u %g' f; chown 7 f; stat -c '%u %g' f; \
         chown :9 f; stat -c '%u %g' f; chown '' f; stat -L -c '%u %g' f; \
         ln -s f l; chown -h 3:4 l; stat -c '%u %g' l f; chown 5:6 l; stat -c '%u %g' l f",
    );
    assert_eq!(out, "0 0\n123 456\n7 456\n7 9\n7 9\n3 4\n7 9\n3 4\n5 6\n");
    let real = unprivileged_user();
    assert_eq!(owner(&dir.join("f")), real, "the real file's owner changed");
    assert_eq!(owner(&dir.join("l")), real, "the real link's owner changed");
}

#[test]
fn ownership_is_shared_across_exec_and_pipelines() {
    let dir = scratch("fr-exec");
    let out = fake_root_sh(
        dir.path(),
        &[],
        "touch f; sh -c 'chown 7:8 f' && stat -c '%u %g' f; sh -c 'chown 1:2 f | cat; ls -ln f'; \
         find . -name f -printf '%U %G\\n'",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0], "7 8");
    let ls: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(&ls[..5], ["-rw-r--r--", "1", "1", "2", "0"], "ls -ln: {out}");
    assert_eq!(ls.last(), Some(&"f"));
    assert_eq!(lines[2], "1 2", "find (fstatat) differs");
    let real = unprivileged_user();
    assert_eq!(owner(&dir.join("f")), real);
}

#[test]
fn without_fake_root_the_same_chown_fails() {
    let dir = scratch("fr-noshim");
    let out = run(&mut unprivileged(dir.path(), &QUIET, need("sh"), &["-c", "touch f; chown 123:456 f; echo $?"]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "1\n");
    assert_eq!(out.stderr_str(), "chown: changing ownership of 'f': Operation not permitted\n");
    let real = unprivileged_user();
    assert_eq!(owner(&dir.join("f")), real);
}

const PY_IDS: &str = r#"
import os
open("f", "w").close()
print(os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getresuid(), os.getresgid(), os.getgroups())
st = os.stat("f"); print(st.st_uid, st.st_gid)
os.chown("f", 11, 12); st = os.stat("f"); print(st.st_uid, st.st_gid)
os.chown("f", -1, 13); st = os.lstat("f"); print(st.st_uid, st.st_gid)
fd = os.open("f", os.O_RDONLY); os.fchown(fd, 14, -1); st = os.fstat(fd); print(st.st_uid, st.st_gid)
try:
    os.chown("missing", 1, 1)
except OSError as e:
    print("missing", e.errno == 2)
os.setgroups([5, 6]); print(os.getgroups())
os.setreuid(10, 11); print(os.getresuid())
os.setuid(20); print(os.getresuid())
os.setuid(0); print(os.getresuid())
os.seteuid(30); print(os.getresuid())
os.setresgid(3, 4, 5); print(os.getresgid(), os.getgid(), os.getegid(), os.getgroups())
"#;

/// The set*id lines are what fakeroot 1.31 prints for the same script.
const PY_IDS_OUT: &str = "0 0 0 0 (0, 0, 0) (0, 0, 0) [0]\n0 0\n11 12\n11 13\n14 13\nmissing True\n[0]\n\
                          (10, 11, 0)\n(10, 20, 0)\n(10, 0, 0)\n(10, 30, 0)\n(3, 4, 5) 3 4 [3]\n";

fn python_ids(backend: &str) {
    let dir = scratch("fr-py");
    let mut opts = QUIET.to_vec();
    opts.extend(["--backend", backend, "--fake-root"]);
    let out = run(&mut unprivileged(dir.path(), &opts, unprivileged_python(), &["-c", PY_IDS]));
    out.assert_success();
    assert_eq!(out.stdout_str(), PY_IDS_OUT, "{}", out.describe());
    let real = unprivileged_user();
    assert_eq!(owner(&dir.join("f")), real);
}

#[test]
fn python_sud() {
    python_ids("sud");
}

#[test]
fn python_seccomp() {
    python_ids("seccomp");
}

#[test]
fn coreutils_seccomp() {
    // No exec under seccomp: one program per run (the tree's table starts empty each run).
    let dir = scratch("fr-sec");
    std::fs::write(dir.join("f"), "").unwrap();
    std::fs::set_permissions(dir.join("f"), std::fs::Permissions::from_mode(0o666)).unwrap();
    let mut opts = QUIET.to_vec();
    opts.extend(["--backend", "seccomp", "--fake-root"]);
    let out = run(&mut unprivileged(dir.path(), &opts, need("id"), &[] as &[&str]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "uid=0(root) gid=0(root) groups=0(root)\n");
    let out = run(&mut unprivileged(dir.path(), &opts, need("chown"), &["-v", "3:4", "f"]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "changed ownership of 'f' from root:root to 3:4\n");
    let out = run(&mut unprivileged(dir.path(), &opts, need("stat"), &["-c", "%u %g", "f"]));
    assert_eq!(out.stdout_str(), "0 0\n", "a new run starts with no remembered owners");
}

#[test]
fn set_ids_cross_exec() {
    let dir = scratch("fr-setid");
    let out = fake_root_sh(
        dir.path(),
        &[],
        "setpriv --reuid=5 --regid=6 --clear-groups sh -c 'id -u; id -g; id -G; id -ru'; id -u",
    );
    assert_eq!(out, "5\n6\n6\n5\n0\n", "the ids setpriv set reach the programs it execs, not its parent");
}

/// posix_spawn with POSIX_SPAWN_RESETIDS: the child (a vfork child sharing its parent's memory)
/// sets its effective ids to its real ones; that is its own change, reaching the program it
/// execs but not its parent.
#[test]
fn spawn_resetids_changes_the_child_only() {
    let dir = scratch("fr-spawn");
    let id = need("id");
    // A copy the unprivileged user can run (the build directory may be under /root).
    let prog = dir.join("spawn_child");
    std::fs::copy(fixture("spawn_child"), &prog).unwrap();
    let out = run(&mut unprivileged(
        dir.path(),
        &["--fake-root", "-f", "-qq", "-e", "trace=none"],
        &prog,
        &["ids", id.to_str().unwrap(), "-u"],
    ));
    out.assert_success();
    assert_eq!(out.stdout_str(), "0\nparent euid 1234\n", "{}", out.describe());
}

#[test]
fn removing_the_last_link_forgets_the_owner() {
    // An open descriptor keeps the inode, so fstat shows what the table holds after unlink.
    let dir = scratch("fr-unlink");
    let script = r#"
import os
open("f", "w").close()
fd = os.open("f", os.O_RDONLY)
os.chown("f", 5, 6)
os.link("f", "g")
os.unlink("f"); st = os.fstat(fd); print(st.st_uid, st.st_gid)
os.unlink("g"); st = os.fstat(fd); print(st.st_uid, st.st_gid)
os.mkdir("d"); os.chown("d", 7, 8); dfd = os.open("d", os.O_RDONLY)
os.rmdir("d"); st = os.fstat(dfd); print(st.st_uid, st.st_gid)
open("a", "w").close(); open("b", "w").close()
bfd = os.open("b", os.O_RDONLY); os.chown("b", 3, 4); os.link("b", "b2")
os.rename("b2", "b"); st = os.fstat(bfd); print(st.st_uid, st.st_gid)
os.unlink("b2"); os.rename("a", "b"); st = os.fstat(bfd); print(st.st_uid, st.st_gid)
"#;
    let mut opts = QUIET.to_vec();
    opts.push("--fake-root");
    let out = run(&mut unprivileged(dir.path(), &opts, unprivileged_python(), &["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "5 6\n0 0\n0 0\n3 4\n0 0\n", "{}", out.describe());
}

#[test]
fn trace_shows_what_the_program_got() {
    let dir = scratch("fr-trace");
    std::fs::write(dir.join("f"), "").unwrap();
    let out = run(&mut unprivileged(
        dir.path(),
        &["-qq", "-e", "trace=fchownat", "--fake-root"],
        need("chown"),
        &["9:10", "f"],
    ));
    out.assert_success();
    assert_eq!(out.stderr_str(), "fchownat(AT_FDCWD, \"f\", 9, 10, 0)       = 0\n", "{}", out.describe());
}

#[test]
fn mknod_of_devices_is_emulated() {
    let dir = scratch("fr-mknod");
    let out = fake_root_sh(
        dir.path(),
        &[],
        "umask 022; mknod n c 1 3 && mknod b b 259 74565 && mknod p p && \
         stat -c '%F %t %T %a %u %g' n b p; chown 5:6 n; stat -c '%F %t %T %a %u %g' n; \
         ls -ln n | cut -d' ' -f1,3-6; rm n; stat -c %F n 2>/dev/null || echo gone",
    );
    assert_eq!(
        out,
        "character special file 1 3 644 0 0\nblock special file 103 12345 644 0 0\nfifo 0 0 644 0 0\n\
         character special file 1 3 644 5 6\ncrw-r--r-- 5 6 1, 3\ngone\n"
    );
    // Really: empty regular files (and the FIFO the kernel made), the user's.
    let real = unprivileged_user();
    let m = std::fs::metadata(dir.join("b")).unwrap();
    assert!(m.file_type().is_file() && m.len() == 0, "{m:?}");
    assert_eq!((m.uid(), m.gid()), real);
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&std::fs::metadata(dir.join("p")).unwrap().file_type()));
    // Without the shim the kernel refuses the device node.
    let out = run(&mut unprivileged(dir.path(), &QUIET, need("sh"), &["-c", "mknod m c 1 3"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stderr_str(), "mknod: m: Operation not permitted\n");
}

#[test]
fn tar_records_and_restores_fake_owners() {
    // The packaging use: tar archives the fake owners and, as "root", restores them on extract.
    let dir = scratch("fr-tar");
    let out = fake_root_sh(
        dir.path(),
        &[],
        "mkdir d; touch d/a d/b; chown 12:34 d/b; tar cf x.tar d; \
         tar --numeric-owner -tvf x.tar | cut -d' ' -f1,2 | LC_ALL=C sort; mkdir out; cd out; tar xpf ../x.tar; \
         stat -c '%n %u %g' d d/a d/b",
    );
    assert_eq!(out, "-rw-r--r-- 0/0\n-rw-r--r-- 12/34\ndrwxr-xr-x 0/0\nd 0 0\nd/a 0 0\nd/b 12 34\n");
    let real = unprivileged_user();
    assert_eq!(owner(&dir.join("out/d/b")), real);
}

/// setgroups as root reads the whole list: one the kernel could not read is EFAULT, also when
/// its end would wrap past the top of the address space.
#[test]
fn setgroups_with_an_unreadable_list_is_efault() {
    let dir = scratch("fr-setgroups");
    let py = "import ctypes, os\n\
              libc = ctypes.CDLL(None, use_errno=True)\n\
              libc.setgroups.argtypes = [ctypes.c_size_t, ctypes.c_void_p]\n\
              for p in (2**64 - 2, 16):\n    \
                  r = libc.setgroups(1, p); print(r, ctypes.get_errno())\n\
              os.setgroups([1]); print('ok')";
    let mut opts = QUIET.to_vec();
    opts.push("--fake-root");
    let out = run(&mut unprivileged(dir.path(), &opts, unprivileged_python(), &["-c", py]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "-1 14\n-1 14\nok\n", "{}", out.describe());
}

/// The ids a process set reach the program it starts with posix_spawn (a vfork child sharing its
/// memory, whose cached pid is the parent's) as they reach one started with fork and exec.
#[test]
fn ids_survive_posix_spawn() {
    let dir = scratch("fr-spawn");
    let id = need("id");
    let py = format!(
        "import os\nos.setresuid(5, 6, 7)\nos.setgid(8)\n\
         pid = os.posix_spawn('{0}', ['id', '-u', '-r'], dict(os.environ)); os.waitpid(pid, 0)\n\
         pid = os.posix_spawn('{0}', ['id', '-g'], dict(os.environ)); os.waitpid(pid, 0)\n\
         pid = os.fork()\nif pid == 0:\n    os.execv('{0}', ['id', '-u'])\nos.waitpid(pid, 0)\n",
        id.display()
    );
    let mut opts = QUIET.to_vec();
    opts.push("--fake-root");
    let out = run(&mut unprivileged(dir.path(), &opts, unprivileged_python(), &["-c", &py]));
    out.assert_success();
    assert_eq!(out.stdout_str(), "5\n8\n6\n", "{}", out.describe());
}
