//! `--bind SRC:DEST`: the host's SRC appears at DEST, which does not exist on the host and is
//! never created; writes land in SRC. Every DEST here lies under a directory that does not exist
//! (`TMP/nowhere/...`), so any output naming DEST's contents proves the path was rewritten.
mod common;
use common::*;
use std::path::PathBuf;

/// A scratch tree: `src/file` ("hello"), `src/sub/` (empty), and DEST = `nowhere/d`.
struct Tree {
    tmp: TempDir,
    dest: PathBuf,
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let tmp = TempDir::new(tag);
        std::fs::create_dir_all(tmp.join("src/sub")).unwrap();
        std::fs::write(tmp.join("src/file"), "hello\n").unwrap();
        let dest = tmp.join("nowhere/d");
        Tree { tmp, dest }
    }

    fn src(&self, rest: &str) -> PathBuf {
        self.tmp.join("src").join(rest)
    }

    fn d(&self, rest: &str) -> String {
        format!("{}{rest}", self.dest.display())
    }

    /// The launcher's bind option (SRC relative: the launcher makes it absolute).
    fn bind(&self) -> String {
        format!("--bind=src:{}", self.dest.display())
    }

    /// Runs `prog args` with the binding on `backend`, counting calls into a file (so the
    /// program's stderr is its own).
    fn run(&self, backend: &str, prog: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
        let summary = self.tmp.join("summary.txt");
        let opts = ["--backend", backend, "-c", "-o", summary.to_str().unwrap(), &self.bind()];
        let out = run(&mut selftrace_cmd(self.tmp.path(), &opts, prog, args));
        assert!(!self.tmp.join("nowhere").exists(), "DEST's parent was created on the host\n{}", out.describe());
        out
    }
}

fn ok_stdout(out: &Output) -> String {
    out.assert_success();
    out.stdout_str()
}

const BACKENDS: [&str; 2] = ["sud", "seccomp"];

#[test]
fn file_and_directory_through_coreutils() {
    for backend in BACKENDS {
        let t = Tree::new("bind-core");
        assert_eq!(ok_stdout(&t.run(backend, need("cat"), &[&t.d("/file")])), "hello\n", "{backend}");
        assert_eq!(ok_stdout(&t.run(backend, need("ls"), &[&t.d("")])), "file\nsub\n", "{backend}");
        assert_eq!(
            ok_stdout(&t.run(backend, need("stat"), &["-c", "%n %s %F", &t.d("/file"), &t.d("/sub")])),
            format!(
                "{} 6 regular file\n{} {} directory\n",
                t.d("/file"),
                t.d("/sub"),
                std::fs::metadata(t.src("sub")).unwrap().len()
            ),
            "{backend}"
        );
        // A path that does not exist inside DEST fails as natively, naming the program's path.
        let out = t.run(backend, "cat", &[&t.d("/missing")]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(out.stderr_str(), format!("cat: {}: No such file or directory\n", t.d("/missing")));
        // A bound single file.
        let f = t.tmp.join("nowhere/etc/greeting");
        let opts = ["--backend", backend, "-c", "-o", "/dev/null"];
        let bind = format!("--bind=src/file:{}", f.display());
        let mut cmd =
            selftrace_cmd(t.tmp.path(), &[&opts[..], &[bind.as_str()]].concat(), need("cat"), &[f.to_str().unwrap()]);
        assert_eq!(ok_stdout(&run(&mut cmd)), "hello\n", "{backend}");
        assert!(!t.tmp.join("nowhere").exists());
    }
}

#[test]
fn python_listdir() {
    // The interpreter itself (a pyenv-style wrapper script would exec it: seccomp cannot follow).
    let py = native(need("python3"), &["-c", "import sys; print(sys.executable)"]).stdout_str().trim().to_owned();
    for backend in BACKENDS {
        let t = Tree::new("bind-py");
        let code = format!(
            "import os; print(sorted(os.listdir({d:?}))); print(open({d:?} + '/file').read(), end=''); os.chdir({d:?} + '/sub'); print(os.getcwd())",
            d = t.d("")
        );
        assert_eq!(
            ok_stdout(&t.run(backend, &py, &["-c", &code])),
            format!("['file', 'sub']\nhello\n{}\n", t.d("/sub")),
            "{backend}"
        );
    }
}

#[test]
fn writes_land_in_src() {
    let t = Tree::new("bind-write");
    let script =
        format!("echo hi > {d}/new && mkdir {d}/dir && mv {d}/new {d}/dir/moved && cat {d}/dir/moved", d = t.d(""));
    assert_eq!(ok_stdout(&t.run("sud", "/bin/sh", &["-c", &script])), "hi\n");
    assert_eq!(std::fs::read_to_string(t.src("dir/moved")).unwrap(), "hi\n");
    let script = format!("rm {d}/dir/moved && rmdir {d}/dir && ls {d}", d = t.d(""));
    assert_eq!(ok_stdout(&t.run("sud", "/bin/sh", &["-c", &script])), "file\nsub\n");
    assert!(!t.src("dir").exists());
}

/// `cd DEST` in sh, relative paths after it, and getcwd in the shell and in exec'd programs
/// (each image works its virtual directory out from the real one).
#[test]
fn relative_paths_and_pwd_after_cd() {
    let t = Tree::new("bind-cd");
    let script = format!(
        "cd {d}/sub && pwd && /bin/pwd && /bin/pwd -P && cat ../file && echo x > rel && ls && cd .. && /bin/pwd && ls sub && cat sub/rel",
        d = t.d("")
    );
    let d = t.d("");
    assert_eq!(
        ok_stdout(&t.run("sud", "/bin/sh", &["-c", &script])),
        format!("{d}/sub\n{d}/sub\n{d}/sub\nhello\nrel\n{d}\nrel\nx\n")
    );
    assert_eq!(std::fs::read_to_string(t.src("sub/rel")).unwrap(), "x\n");
}

/// The C fixture: openat with a descriptor opened inside DEST (and `..` out of it, which must
/// leave DEST, not SRC), lexical `..`/`//`/`.`, a trailing slash on a file, whole-component
/// matching (DESTx), the stat family, mkdir, rename/renameat/renameat2, rmdir, creat, link/linkat,
/// symlink/symlinkat (targets stored as the program wrote them), readlink/readlinkat, mknodat,
/// chown/chmod/utimensat/truncate, xattrs, inotify_add_watch, unlink/unlinkat,
/// chdir/fchdir/getcwd (ERANGE too), and a signal handler's own bound calls while the main flow
/// is blocked in a bound open of a FIFO (the nested rewrite must not clobber the interrupted
/// call's path: the restarted open would then open the file instead). The same program run
/// natively on a real directory prints the same lines.
#[test]
fn c_fixture_path_calls() {
    let native_tree = Tree::new("bind-c-native");
    let native = native_in(
        native_tree.tmp.path(),
        fixture("bind_calls"),
        &[native_tree.src("").to_str().unwrap().trim_end_matches('/')],
    );
    assert_eq!(ok_stdout(&native), EXPECTED_C, "native run\n{}", native.describe());
    for backend in BACKENDS {
        let t = Tree::new("bind-c");
        let out = t.run(backend, fixture("bind_calls"), &[&t.d("")]);
        assert_eq!(ok_stdout(&out), EXPECTED_C, "{backend}\n{}", out.describe());
        // The writes are in SRC: new (truncated to 3 bytes, mode 600); the rest was removed again.
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(t.src("new")).unwrap();
        assert_eq!((meta.len(), meta.permissions().mode() & 0o777), (3, 0o600));
        let mut names: Vec<String> =
            std::fs::read_dir(t.src("")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["file", "new", "sub"]);
    }
}

const EXPECTED_C: &str = "open DEST dir: ok
openat(dirfd, file): hello
openat(dirfd, /abs): hello
openat(cwd, DEST/sub/../file): hello
open DEST//./file: hello
openat(dirfd, ../DESTNAME/file): hello
openat(dirfd, sub/../file): hello
open DEST/file/: -1 ENOTDIR
open DESTx/file: -1 ENOENT
stat DEST/file size: 0 6
fstatat(dirfd, sub) dir: 0 1
access DEST/file R_OK: 0
faccessat2 DEST/none: -1 ENOENT
mkdir DEST/made: 0
rename made -> moved: 0
renameat(dirfd) moved -> moved2: 0
rmdir DEST/moved2: 0
creat DEST/new: ok
write: 8
link new -> hard: 0
symlink: 0
readlink DEST/soft: DEST/new
readlinkat DEST/soft: same
symlinkat some/target: 0
readlink DEST/soft2: some/target
unlink soft2: 0
linkat new -> dirfd hard2: 0
unlinkat hard2: 0
renameat2 NOREPLACE new -> file: -1 EEXIST
mknodat DEST/node fifo: 0
lstat DEST/node fifo: 0 1
unlink node: 0
fchownat DEST/new: 0
lchown DEST/new: 0
fchmodat DEST/new 640: 0
utimensat DEST/new: 0
stat DEST/new mtime: 0 1000000000
statx DEST/file size: 0 6
statfs DEST: 0
setxattr DEST/new user.k: 0
getxattr DEST/new user.k: 2 v1
listxattr DEST/new: 7 user.k
removexattr DEST/new user.k: 0
inotify_add_watch DEST/file: 1
inotify_add_watch DEST/none: -1 ENOENT
chmod DEST/new 600: 0
truncate DEST/new 3: 0
open DEST/hard: wri
unlink hard: 0
unlinkat(dirfd) soft: 0
chdir DEST/sub: 0
getcwd: DEST/sub
getcwd(buf, 4): ERANGE
open ../file: hello
mkdir rel: 0
stat DEST/sub/rel: 0
chdir rel: 0
getcwd: DEST/sub/rel
chdir ../..: 0
getcwd: DEST
chdir /: 0
getcwd: /
fchdir(dirfd): 0
getcwd: DEST
rmdir sub/rel: 0
mkfifo DEST/fifo: 0
handler during open: 1, read hello, fifo writer ok
open DEST/fifo (after the handler): fifo-data
unlink fifo: 0
";

/// A program at a bound path runs: given to the launcher, and exec'd by a shell.
#[test]
fn exec_at_bound_path() {
    let t = Tree::new("bind-exec");
    std::fs::copy(need("echo"), t.src("myecho")).unwrap();
    std::fs::write(t.src("script"), "#!/bin/sh\necho script ran in \"$(/bin/pwd)\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(t.src("script"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(ok_stdout(&t.run("sud", t.d("/myecho"), &["direct"])), "direct\n");
    let script = format!("{d}/myecho via sh && cd {d}/sub && ../script && ./../myecho rel", d = t.d(""));
    assert_eq!(
        ok_stdout(&t.run("sud", "/bin/sh", &["-c", &script])),
        format!("via sh\nscript ran in {}/sub\nrel\n", t.d(""))
    );
    // seccomp cannot follow exec: its refusal names the path the program passed.
    let out = t.run("seccomp", "/bin/sh", &["-c", &format!("{}/myecho x", t.d(""))]);
    assert_eq!(out.status.code(), Some(126), "{}", out.describe());
    let first = out.stderr_str().lines().next().unwrap_or("").to_owned();
    assert!(
        first.starts_with(&format!("selftrace: cannot follow execve(\"{}/myecho\") on the seccomp backend", t.d(""))),
        "{}",
        out.describe()
    );
}

/// The trace shows the path the program passed (DEST), not the host path it was rewritten to.
#[test]
fn trace_shows_the_programs_path() {
    for backend in BACKENDS {
        let t = Tree::new("bind-trace");
        let trace = t.tmp.join("trace.txt");
        let opts = ["--backend", backend, "-e", "trace=openat", "-o", trace.to_str().unwrap(), &t.bind()];
        let out = run(&mut selftrace_cmd(t.tmp.path(), &opts, need("cat"), &[&t.d("/file")]));
        assert_eq!(ok_stdout(&out), "hello\n");
        let text = std::fs::read_to_string(&trace).unwrap();
        let want = format!("openat(AT_FDCWD, \"{}\", O_RDONLY) = 3", t.d("/file"));
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("/nowhere/") || l.contains("/src/")).collect();
        assert_eq!(lines, [want.as_str()], "{backend}: {text}");
    }
}

/// chdir shows DEST as passed, and getcwd's result (emulated inside a binding) shows DEST too.
#[test]
fn trace_shows_virtual_cwd() {
    let t = Tree::new("bind-trace-cwd");
    let trace = t.tmp.join("trace.txt");
    let opts = ["-f", "-e", "trace=chdir,getcwd", "-o", trace.to_str().unwrap(), &t.bind()];
    let script = format!("cd {}/sub && /bin/pwd", t.d(""));
    let out = run(&mut selftrace_cmd(t.tmp.path(), &opts, "/bin/sh", &["-c", &script]));
    assert_eq!(ok_stdout(&out), format!("{}/sub\n", t.d("")));
    let text = std::fs::read_to_string(&trace).unwrap();
    // Without the `PID ` prefixes (-f -o; padded to a width), the calls naming the binding (sh may also ask for
    // its starting directory).
    let calls: Vec<String> = text
        .lines()
        .map(|l| {
            l.split_once(' ').map_or(l, |(pid, rest)| if pid.parse::<u32>().is_ok() { rest.trim_start() } else { l })
        })
        .filter(|l| (l.starts_with("chdir(") || l.starts_with("getcwd(")) && l.contains("/nowhere/"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let sub = t.d("/sub");
    assert_eq!(
        calls,
        [format!("chdir(\"{sub}\") = 0"), format!("getcwd(\"{sub}\", 4096) = {}", sub.len() + 1)],
        "{text}"
    );
}

/// Longest DEST wins; matching is by whole components; a later bind of the same DEST wins.
#[test]
fn several_bindings() {
    let t = Tree::new("bind-many");
    std::fs::create_dir_all(t.tmp.join("other")).unwrap();
    std::fs::write(t.tmp.join("other/file"), "other\n").unwrap();
    std::fs::create_dir_all(t.tmp.join("third")).unwrap();
    std::fs::write(t.tmp.join("third/file"), "third\n").unwrap();
    let v = t.tmp.join("nowhere/v");
    let v = v.to_str().unwrap();
    let binds = [
        format!("--bind=src:{v}"),
        format!("--bind=other:{v}/sub"),
        format!("--bind=src:{v}x"),
        format!("--bind=other:{v}y"),
        format!("--bind=third:{v}y"),
    ];
    let mut opts: Vec<&str> = vec!["-c", "-o", "/dev/null"];
    opts.extend(binds.iter().map(String::as_str));
    let script = format!("cat {v}/file {v}/sub/file {v}x/file {v}y/file; ls {v}/sub; cat {v}/sub/../file");
    let out = run(&mut selftrace_cmd(t.tmp.path(), &opts, "/bin/sh", &["-c", &script]));
    assert_eq!(ok_stdout(&out), "hello\nother\nhello\nthird\nfile\nhello\n");
    assert!(!t.tmp.join("nowhere").exists());
}

/// A raw LD_PRELOAD run with a relative SRC: the first process makes it absolute, so a child
/// that changed directory still finds it.
#[test]
fn raw_preload_relative_src() {
    let t = Tree::new("bind-raw");
    let script = format!("cd /tmp && cat {d}/file && cd {d} && /bin/pwd", d = t.d(""));
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.args(["-c", &script])
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", format!("-c -o /dev/null --bind src:{}", t.d("")))
        .current_dir(t.tmp.path());
    assert_eq!(ok_stdout(&run(&mut cmd)), format!("hello\n{}\n", t.d("")));
}

/// Bad specs: one line, exit 1, the program never runs.
#[test]
fn bad_specs() {
    let t = Tree::new("bind-bad");
    let marker = t.tmp.join("ran");
    let cases: [(&str, String); 5] = [
        ("src", "selftrace: --bind 'src': expected SRC:DEST\n".into()),
        (":/x", "selftrace: --bind ':/x': SRC is empty (expected SRC:DEST)\n".into()),
        ("src:", "selftrace: --bind 'src:': DEST is empty (expected SRC:DEST)\n".into()),
        ("src:/", "selftrace: --bind 'src:/': DEST cannot be / (bind below it)\n".into()),
        (
            "absent:/x",
            format!(
                "selftrace: --bind 'absent:/x': cannot use '{}' as SRC: No such file or directory\n",
                t.tmp.join("absent").display()
            ),
        ),
    ];
    for (spec, want) in cases {
        let opt = format!("--bind={spec}");
        let out =
            run(&mut selftrace_cmd(t.tmp.path(), &[&opt], "/bin/sh", &["-c", &format!("touch {}", marker.display())]));
        assert_eq!((out.status.code(), out.stderr_str()), (Some(1), want), "{}", out.describe());
        assert!(out.stdout.is_empty());
        assert!(!marker.exists(), "the program ran with --bind {spec}");
    }
    // The same check in a raw LD_PRELOAD run, before the program's main.
    let out = run(std::process::Command::new(fixture("marker"))
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", "--bind /nonexistent-selftrace-src:/x")
        .current_dir(t.tmp.path()));
    assert_eq!(
        (out.status.code(), out.stderr_str()),
        (Some(1), "selftrace: --bind '/nonexistent-selftrace-src:/x': cannot use '/nonexistent-selftrace-src' as SRC: No such file or directory\n".into()),
        "{}",
        out.describe()
    );
    assert!(out.stdout.is_empty());
}

/// Threads rewrite into their own buffers: four threads opening four different bound files
/// concurrently (open releases the GIL) each read only their own file.
#[test]
fn threads_rewrite_independently() {
    let py = native(need("python3"), &["-c", "import sys; print(sys.executable)"]).stdout_str().trim().to_owned();
    for backend in BACKENDS {
        let t = Tree::new("bind-threads");
        for i in 0..4 {
            std::fs::write(t.src(&format!("f{i}")), format!("content {i}\n")).unwrap();
        }
        let code = format!(
            "import threading
bad = []
def work(i):
    for _ in range(300):
        with open({d:?} + '/f%d' % i) as f:
            if f.read() != 'content %d\\n' % i:
                bad.append(i)
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
print('mismatches', len(bad))",
            d = t.d("")
        );
        assert_eq!(ok_stdout(&t.run(backend, &py, &["-c", &code])), "mismatches 0\n", "{backend}");
    }
}

/// A thread that cannot map its path buffers (RLIMIT_AS leaves no room) still runs every path
/// no binding involves untouched; a bound path fails with ENOMEM; getcwd, /proc links and chdir
/// still show and keep the virtual working directory.
#[test]
fn no_buffers_leave_unbound_paths_alone() {
    for backend in BACKENDS {
        let t = Tree::new("bind-nomem");
        let outside = t.tmp.join("outside");
        std::fs::write(&outside, "x").unwrap();
        let bind = format!("--bind={}:{}", t.src("").display(), t.dest.display());
        let cmd = &mut selftrace_cmd(
            &t.src(""),
            &["--backend", backend, "-qq", "-e", "trace=none", &bind],
            fixture("bind_nomem"),
            &[&t.d(""), outside.to_str().unwrap()],
        );
        let out = run(cmd);
        assert_eq!(
            ok_stdout(&out),
            "open outside: ok\nstat outside: ok\nopen bound: ENOMEM\ngetcwd: DEST\nreadlink cwd: DEST\n\
             chdir /: ok\ngetcwd: /\nreadlink cwd: /\n",
            "{backend}\n{}",
            out.describe()
        );
    }
}

/// A posix_spawn child (a vfork child sharing its parent's memory) that changes directory has
/// its own virtual working directory: its exec's relative path resolves from there (`..` of
/// DEST is DEST's virtual parent), and the parent's stays what it was. (SUD only: seccomp
/// refuses the exec.)
#[test]
fn spawn_child_chdir_is_its_own() {
    {
        let backend = "sud";
        let t = Tree::new("bind-spawn");
        std::fs::write(t.src("prog"), "#!/bin/sh\nexec /bin/pwd -P\n").unwrap();
        std::fs::set_permissions(t.src("prog"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let bind = format!("--bind={}:{}", t.src("").display(), t.dest.display());
        let opts = ["--backend", backend, "-f", "-qq", "-e", "trace=none", &bind];
        let tmp = t.tmp.path().to_str().unwrap();
        // From outside the binding into DEST: the child's cwd is DEST (really SRC).
        let out = run(&mut selftrace_cmd(t.tmp.path(), &opts, fixture("spawn_child"), &["cwd", &t.d(""), "../d/prog"]));
        assert_eq!(ok_stdout(&out), format!("{}\nparent cwd {tmp}\n", t.d("")), "{backend}\n{}", out.describe());
        // From inside DEST out of it: the parent stays in DEST.
        let out = run(&mut selftrace_cmd(&t.src(""), &opts, fixture("spawn_child"), &["cwd", "/", "bin/pwd", "-P"]));
        assert_eq!(ok_stdout(&out), format!("/\nparent cwd {}\n", t.d("")), "{backend}\n{}", out.describe());
    }
}

/// A relative DEST is made absolute against the launcher's directory, as proot does.
#[test]
fn relative_dest() {
    let t = Tree::new("bind-reldest");
    let out = run(&mut selftrace_cmd(
        t.tmp.path(),
        &["-c", "-o", "/dev/null", "--bind", "src:nowhere/./rel/"],
        "/bin/sh",
        &["-c", &format!("cd / && cat {}/nowhere/rel/file", t.tmp.path().display())],
    ));
    assert_eq!(ok_stdout(&out), "hello\n");
    assert!(!t.tmp.join("nowhere").exists());
}

/// readlink of /proc links (the working directory, a descriptor, the program) shows DEST.
#[test]
fn proc_links_show_dest() {
    let t = Tree::new("bind-proc");
    std::fs::copy(need("readlink"), t.src("rl")).unwrap();
    let script = format!(
        "cd {d}/sub && readlink /proc/self/cwd && readlink /proc/self/fd/3 3<{d}/file && ../rl /proc/self/exe && readlink /proc/self/fd/4 4</dev/null",
        d = t.d("")
    );
    assert_eq!(
        ok_stdout(&t.run("sud", "/bin/sh", &["-c", &script])),
        format!("{d}/sub\n{d}/file\n{d}/rl\n/dev/null\n", d = t.d(""))
    );
}
