//! The examples, run: each must do what its documentation says.
mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// examples/trace_self: a program that arms the runtime on itself counts its own calls, on every
/// thread, exactly, and prints the table when it exits.
#[test]
fn trace_self_counts_its_own_calls() {
    let exe = build_example("trace_self", "trace_self");
    let out = run(Command::new(&exe).arg("700").env("SELFTRACE_LIB", preload_lib()));
    out.assert_success();
    assert_eq!(out.stdout_str(), "made 700 getppid on a thread and 700 getuid on main\n");
    let s = parse_summary(&out.stderr_str());
    s.expect("getppid", 700, 0);
    s.expect("getuid", 700, 0);
}

// ---- preload libraries built with selftrace::preload! ---------------------------------------------

/// Builds example `name` (a no-op when current) with the launcher's profile and target
/// directory and returns `examples/FILE` there. `cargo test` builds every example, cdylib ones
/// included, but `cargo test --test examples` builds none.
fn build_example(name: &str, file: &str) -> PathBuf {
    cargo_build(&["--example", name], &format!("examples/{file}"))
}

/// A preload-library example: `examples/libNAME.so`.
fn example_lib(name: &str) -> PathBuf {
    build_example(name, &format!("lib{name}.so"))
}

/// One `count_calls` table: pid and (calls, errors) per syscall, plus the total row.
#[derive(Debug)]
struct CountTable {
    pid: u32,
    rows: BTreeMap<String, (u64, u64)>,
    total: (u64, u64),
}

/// Every count_calls table in `text`, strictly in the documented layout (other lines ignored).
fn count_tables(text: &str) -> Vec<CountTable> {
    let rule = "------- ------- ----------------";
    let mut tables = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let Some(pid) = l.strip_prefix("count_calls: pid ") else { continue };
        let pid = pid.parse().unwrap_or_else(|_| panic!("bad header {l:?} in\n{text}"));
        assert_eq!(lines.next(), Some("  calls  errors syscall"), "{text}");
        assert_eq!(lines.next(), Some(rule), "{text}");
        let mut rows = BTreeMap::new();
        let mut last = u64::MAX;
        let total = loop {
            let l = lines.next().unwrap_or_else(|| panic!("table ends early in\n{text}"));
            if l == rule {
                let t = lines.next().unwrap();
                let f: Vec<&str> = t.split_whitespace().collect();
                assert_eq!((f.len(), f[2]), (3, "total"), "{text}");
                break (f[0].parse().unwrap(), f[1].parse().unwrap());
            }
            assert_eq!(&l[7..8], " ", "{l:?}");
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 3, "{l:?}");
            let calls: u64 = f[0].parse().unwrap();
            assert!(calls <= last, "rows not by descending count:\n{text}");
            last = calls;
            rows.insert(f[2].to_owned(), (calls, f[1].parse().unwrap()));
        };
        let sum = rows.values().fold((0, 0), |a, r| (a.0 + r.0, a.1 + r.1));
        assert_eq!(sum, total, "total row is not the sum of the rows\n{text}");
        tables.push(CountTable { pid, rows, total });
    }
    tables
}

/// examples/count_calls, raw LD_PRELOAD: the fixture's exact marker counts, errors included,
/// and nothing but the table on stderr (a user's library started raw runs its hooks only).
#[test]
fn count_calls_raw_exact_counts() {
    let lib = example_lib("count_calls");
    let dir = TempDir::new("count-raw");
    let out = run(Command::new(fixture("counts"))
        .args(["5", "3", "2", "1", "4"])
        .env("LD_PRELOAD", &lib)
        .current_dir(dir.path()));
    out.assert_success();
    assert_eq!(out.stdout_str(), "counts: getppid=5 getuid=3 getpriority=3 (1 failed) getpgrp=4 ok\n");
    let err = out.stderr_str();
    assert!(err.starts_with("count_calls: pid "), "stderr holds more than the table:\n{err}");
    let t = count_tables(&err);
    assert_eq!(t.len(), 1, "{err}");
    assert_eq!(err.lines().count(), 3 + t[0].rows.len() + 2, "{err}");
    let r = &t[0].rows;
    assert_eq!(r["getppid"], (5, 0), "{err}");
    assert_eq!(r["getuid"], (3, 0), "{err}");
    assert_eq!(r["getpriority"], (3, 1), "{err}");
    assert_eq!(r["getpgrp"], (4, 0), "{err}");
    assert_eq!(r["exit_group"], (1, 0), "{err}");
    // The table comes from the program's own process.
    assert!(t[0].pid > 0 && t[0].pid != std::process::id());
}

/// The same library follows the tree: sh and each program it runs print their own table (a fork
/// child starts from zero, an exec'd image loads the library again).
#[test]
fn count_calls_follows_exec_and_fork() {
    let lib = example_lib("count_calls");
    let dir = TempDir::new("count-tree");
    let counts = fixture("counts");
    let script = format!("{c} 1 0 0 0 0 >/dev/null; {c} 2 1 0 0 0 >/dev/null; {c} 3 0 0 0 2", c = counts.display());
    let out = run(Command::new("sh").args(["-c", &script]).env("LD_PRELOAD", &lib).current_dir(dir.path()));
    out.assert_success();
    let t = count_tables(&out.stderr_str());
    let mut seen: Vec<(u64, u64, u64)> = t
        .iter()
        .filter(|t| !t.rows.contains_key("wait4"))
        .map(|t| {
            (t.rows["getppid"].0, t.rows.get("getuid").map_or(0, |r| r.0), t.rows.get("getpgrp").map_or(0, |r| r.0))
        })
        .collect();
    seen.sort();
    assert_eq!(seen, vec![(1, 0, 0), (2, 1, 0), (3, 0, 2)], "{}", out.stderr_str());
    // The shell's own table: it started each program in a child and waited for it (dash runs
    // even the last command in a child when it is a -c string with several commands).
    let sh: Vec<&CountTable> = t.iter().filter(|t| t.rows.contains_key("wait4")).collect();
    assert_eq!(sh.len(), 1, "{}", out.stderr_str());
    let forks: u64 = ["fork", "vfork", "clone", "clone3"].iter().filter_map(|n| sh[0].rows.get(*n)).map(|r| r.0).sum();
    assert_eq!(forks, 3, "{}", out.stderr_str());
    let mut pids: Vec<u32> = t.iter().map(|t| t.pid).collect();
    pids.sort();
    pids.dedup();
    assert_eq!(pids.len(), t.len(), "one table per process\n{}", out.stderr_str());
}

/// Under the launcher (SELFTRACE_LIB): the hook's table agrees with the runtime's own `-c`
/// count for every call both see (-c also counts the initial execve, the hook also its
/// exit_group).
#[test]
fn count_calls_under_launcher_agrees_with_c() {
    let lib = example_lib("count_calls");
    let dir = TempDir::new("count-launcher");
    let sum = dir.join("sum.txt");
    let mut cmd =
        selftrace_cmd(dir.path(), &["-c", "-o", sum.to_str().unwrap()], fixture("counts"), &["7", "2", "4", "3", "1"]);
    let out = run(cmd.env("SELFTRACE_LIB", &lib));
    out.assert_success();
    let s = read_summary(&sum, &out);
    let t = count_tables(&out.stderr_str());
    assert_eq!(t.len(), 1, "{}", out.describe());
    let mut ours = t[0].rows.clone();
    assert_eq!(ours.remove("exit_group"), Some((1, 0)));
    let mut theirs: BTreeMap<String, (u64, u64)> =
        s.rows.iter().map(|(k, r)| (k.clone(), (r.calls, r.errors))).collect();
    assert_eq!(theirs.remove("execve"), Some((1, 0)));
    assert_eq!(ours, theirs, "count_calls and -c differ\n{}\n{}", out.stderr_str(), s.text);
    assert_eq!(ours["getpriority"], (7, 3));
    assert_eq!(t[0].total.0, s.total.calls);
}

const HELLO: &str = "Hello from a file that is not on any disk.\n";

/// examples/virtual_file: the path exists nowhere, yet cat, wc and python3 read it; other files
/// read as usual, and the virtual descriptor's number is a real one no other file gets.
#[test]
fn virtual_file_served_from_memory() {
    let lib = example_lib("virtual_file");
    let dir = TempDir::new("vfile");
    assert!(!std::path::Path::new("/virtual/hello.txt").exists(), "the test needs /virtual/hello.txt absent");
    let real = dir.join("real.txt");
    std::fs::write(&real, "a real file\n").unwrap();
    let real_s = real.to_str().unwrap();
    let with = |prog: &str, args: &[&str]| {
        let o = run(Command::new(prog).args(args).env("LD_PRELOAD", &lib).current_dir(dir.path()));
        o.assert_success();
        assert_eq!(o.stderr_str(), "", "{}", o.describe());
        o.stdout_str()
    };
    // Without the library it is not there.
    let native = run(Command::new("cat").arg("/virtual/hello.txt"));
    assert!(!native.status.success());

    assert_eq!(with("cat", &["/virtual/hello.txt"]), HELLO);
    assert_eq!(with("cat", &[real_s, "/virtual/hello.txt", real_s]), format!("a real file\n{HELLO}a real file\n"));
    assert_eq!(with("wc", &["-c", "/virtual/hello.txt"]), format!("{} /virtual/hello.txt\n", HELLO.len()));
    assert_eq!(with("ls", &["-l", "/virtual/hello.txt"]).split_whitespace().nth(4), Some("43"));
    // A shell redirection dup2s the descriptor onto 0 (and closes the original) for a builtin.
    assert_eq!(
        with(
            "sh",
            &[
                "-c",
                "read l < /virtual/hello.txt; echo \"[$l]\"; exec 5< /virtual/hello.txt; read a b <&5; echo \"$a|$b\""
            ]
        ),
        "[Hello from a file that is not on any disk.]\nHello|from a file that is not on any disk.\n"
    );
    need("python3");
    let py = format!(
        r#"
import os
f = open("/virtual/hello.txt", "rb")
g = open("{real_s}", "rb")
assert f.fileno() != g.fileno()
print(f.read(5), f.seek(6), f.read(4), f.tell(), f.seek(-5, 2), f.read(), f.read())
print(os.fstat(f.fileno()).st_size, os.stat("/virtual/hello.txt").st_size, os.pread(f.fileno(), 4, 2))
print(g.read())
f.close()
h = open("/virtual/hello.txt")
print(h.readlines())
# dup'ed descriptors share the offset; dup2 over one of them leaves the other.
a = os.open("/virtual/hello.txt", os.O_RDONLY)
b = os.dup(a)
print(os.read(a, 6), os.read(b, 5))
os.close(a)
os.dup2(b, 9)
print(os.read(9, 2), os.lseek(b, 0, os.SEEK_CUR))
os.dup2(g.fileno(), 9)
os.lseek(9, 0, os.SEEK_SET)
print(os.read(9, 6), os.read(b, 5))
try:
    open("/virtual/hello.txt", "w")
except OSError as e:
    print(e.errno == 30)
"#
    );
    assert_eq!(
        with("python3", &["-c", &py]),
        "b'Hello' 6 b'from' 10 38 b'isk.\\n' b''\n43 43 b'llo '\nb'a real file\\n'\n\
         ['Hello from a file that is not on any disk.\\n']\nb'Hello ' b'from '\nb'a ' 13\nb'a real' b'file '\nTrue\n"
    );
}

/// A posix_spawn child's file actions (dup2 of the virtual descriptor, close of it) are its own:
/// the parent still reads the file from its descriptor afterwards, and the number the child
/// dup2'ed onto is not the parent's.
#[test]
fn virtual_file_spawn_actions_stay_in_the_child() {
    let lib = example_lib("virtual_file");
    let dir = TempDir::new("vfile-spawn");
    let t = need("true");
    let out = run(Command::new(fixture("spawn_child"))
        .args(["fd", "/virtual/hello.txt", t.to_str().unwrap()])
        .env("LD_PRELOAD", &lib)
        .current_dir(dir.path()));
    out.assert_success();
    assert_eq!(out.stdout_str(), format!("parent read 43: {HELLO}parent's dup2 target: EBADF\n"), "{}", out.describe());
}

/// The same library under the launcher: the trace shows the calls the hook answered, with the
/// results the program got.
#[test]
fn virtual_file_under_launcher_trace() {
    let lib = example_lib("virtual_file");
    let dir = TempDir::new("vfile-launcher");
    let t = dir.join("trace.txt");
    let out = run(selftrace_cmd(dir.path(), &["-o", t.to_str().unwrap()], "cat", &["/virtual/hello.txt"])
        .env("SELFTRACE_LIB", &lib));
    out.assert_success();
    assert_eq!(out.stdout_str(), HELLO);
    let trace = std::fs::read_to_string(&t).unwrap();
    let open = trace
        .lines()
        .find(|l| l.starts_with("openat(AT_FDCWD, \"/virtual/hello.txt\", O_RDONLY"))
        .unwrap_or_else(|| panic!("{trace}"));
    let fd: u32 = open.rsplit("= ").next().unwrap().parse().unwrap_or_else(|_| panic!("{open}"));
    assert!(
        trace
            .lines()
            .any(|l| l.starts_with(&format!("read({fd}, \"Hello from a file that is not on\"..."))
                && l.ends_with("= 43")),
        "{trace}"
    );
    assert!(trace.lines().any(|l| l.starts_with(&format!("read({fd}, \"\", ")) && l.ends_with("= 0")), "{trace}");
    assert!(trace.lines().any(|l| l == format!("close({fd})                                = 0")), "{trace}");
}

// ---- the C plugin example -------------------------------------------------------------------------

/// Compiles a plugin source with `cc -shared -fPIC -I include` into `dir/NAME.so`.
fn compile_plugin(dir: &TempDir, src: &std::path::Path, name: &str) -> PathBuf {
    let so = dir.join(&format!("{name}.so"));
    let include = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
    let out = run(Command::new(need("cc"))
        .args(["-Wall", "-Werror", "-shared", "-fPIC", "-I", include, "-o"])
        .arg(&so)
        .arg(src));
    out.assert_success();
    so
}

fn deny_plugin(dir: &TempDir) -> PathBuf {
    compile_plugin(dir, std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/deny_writes.c")), "deny")
}

/// examples/deny_writes.c: writes under the protected directory fail with EACCES as the kernel
/// would report them (sh's own message and status), through absolute, relative and *at paths;
/// reads there and writes elsewhere work.
#[test]
fn deny_writes_plugin() {
    let dir = TempDir::new("deny");
    deny_plugin(&dir);
    let prot = dir.join("prot");
    std::fs::create_dir(&prot).unwrap();
    std::fs::write(prot.join("existing"), "kept\n").unwrap();
    let p = prot.to_str().unwrap();
    let hook = format!("./deny.so:{p}");
    let opts = ["-qq", "-e", "trace=none", "-e", "signal=none", "--hook", &hook];
    let sh = |script: &str| run(&mut selftrace_cmd(dir.path(), &opts, "sh", &["-c", script]));

    let o = sh(&format!("echo x > {p}/f"));
    assert_eq!(o.status.code(), Some(2), "{}", o.describe());
    assert_eq!(o.stderr_str(), format!("sh: 1: cannot create {p}/f: Permission denied\n"));
    assert!(!prot.join("f").exists());

    // Relative to the working directory, through "..", in a program exec'd elsewhere (the
    // plugin's path was made absolute by the launcher), and the *at forms.
    let o = sh("cd prot && echo y > ./g; echo $?");
    assert_eq!(
        (o.stdout_str().as_str(), o.stderr_str().as_str()),
        ("2\n", "sh: 1: cannot create ./g: Permission denied\n")
    );
    let o = sh(&format!("cd / && sh -c 'echo z > {p}/../prot/h'"));
    assert_eq!(o.stderr_str(), format!("sh: 1: cannot create {p}/../prot/h: Permission denied\n"));
    need("python3");
    let py = format!(
        r#"
import os
def errno(f):
    try:
        f()
        return 0
    except OSError as e:
        return e.errno
d = os.open("{dir}", os.O_RDONLY)
print(errno(lambda: os.open("prot/k", os.O_WRONLY | os.O_CREAT, dir_fd=d)),
      errno(lambda: os.truncate("{p}/existing", 0)),
      errno(lambda: os.unlink("{p}/existing")),
      errno(lambda: os.mkdir("{p}/sub")),
      errno(lambda: os.rename("{p}/existing", "{dir}/moved")),
      errno(lambda: os.open("{p}/existing", os.O_RDWR)),
      open("{p}/existing").read().strip(),
      errno(lambda: open("{dir}/elsewhere", "w").write("ok")))
"#,
        dir = dir.path().display()
    );
    let o = run(&mut selftrace_cmd(dir.path(), &opts, "python3", &["-c", &py]));
    o.assert_success();
    assert_eq!(o.stdout_str(), "13 13 13 13 13 13 kept 0\n", "{}", o.describe());
    let mut left: Vec<String> =
        std::fs::read_dir(&prot).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left, ["existing"]);
    assert_eq!(std::fs::read_to_string(prot.join("existing")).unwrap(), "kept\n");
    assert_eq!(std::fs::read_to_string(dir.join("elsewhere")).unwrap(), "ok");
    // Reads and a write elsewhere, in one shell.
    let o = sh(&format!("cat {p}/existing && echo w > {d}/other && cat {d}/other", d = dir.path().display()));
    o.assert_success();
    assert_eq!(o.stdout_str(), "kept\nw\n");
}

/// The plugin under the seccomp backend (which traps only the listed calls and the runtime's)
/// and in a raw LD_PRELOAD run (`--hook` in SELFTRACE_OPTIONS): the same denial, and the
/// trace shows the call with the result the plugin gave.
#[test]
fn deny_writes_seccomp_and_raw() {
    let dir = TempDir::new("deny-modes");
    deny_plugin(&dir);
    let prot = dir.join("prot");
    std::fs::create_dir(&prot).unwrap();
    let p = prot.to_str().unwrap();
    let hook = format!("./deny.so:{p}");
    let t = dir.join("trace.txt");
    let ts = t.to_str().unwrap();
    let script = format!("echo x > {p}/f");
    let o = run(&mut selftrace_cmd(
        dir.path(),
        &["--backend", "seccomp", "-o", ts, "--hook", &hook],
        "sh",
        &["-c", &script],
    ));
    assert_eq!(o.status.code(), Some(2), "{}", o.describe());
    assert_eq!(o.stderr_str(), format!("sh: 1: cannot create {p}/f: Permission denied\n"));
    let trace = std::fs::read_to_string(&t).unwrap();
    let want = format!("openat(AT_FDCWD, \"{p}/f\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 EACCES (Permission denied)");
    assert!(trace.lines().any(|l| l == want), "{want}\nnot in\n{trace}");

    let o = run(Command::new("sh")
        .args(["-c", &script])
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", format!("-qq -e trace=none --hook {hook}"))
        .current_dir(dir.path()));
    assert_eq!(o.status.code(), Some(2), "{}", o.describe());
    assert_eq!(o.stderr_str(), format!("sh: 1: cannot create {p}/f: Permission denied\n"));
    assert!(!prot.join("f").exists());
}

// ---- a shim in a crate of its own: examples/nosync ----------------------------------------------

/// examples/nosync built as the user would build it (`cargo build -p selftrace-nosync`), with
/// the launcher's profile and target directory: `target/PROFILE/libnosync.so`.
fn nosync_lib() -> PathBuf {
    cargo_build(&["-p", "selftrace-nosync"], "libnosync.so")
}

/// The flushes nosync skips: fsync of a pipe succeeds (natively EINVAL: proof the kernel was not
/// asked), a bad descriptor still fails with EBADF, msync(MS_SYNC) and sync still succeed; the
/// trace under the launcher shows the calls as the program made them.
#[test]
fn nosync_crate_skips_flushes_but_keeps_errors() {
    let d = TempDir::new("nosync");
    let script = "import os, mmap\n\
                  r, w = os.pipe()\n\
                  for fd in (w, 999):\n\
                  \x20   try:\n\
                  \x20       os.fsync(fd); print('fsync ok')\n\
                  \x20   except OSError as e:\n\
                  \x20       print('fsync', e.strerror)\n\
                  f = open('data', 'w+b'); f.write(b'x' * 4096); f.flush()\n\
                  m = mmap.mmap(f.fileno(), 4096); m.flush(); print('msync ok')\n\
                  os.sync(); print('sync ok')\n\
                  import ctypes; print(ctypes.CDLL(None).syscall(9999))\n";
    let py = if Path::new("/usr/bin/python3").exists() { PathBuf::from("/usr/bin/python3") } else { need("python3") };
    let native = run(Command::new(&py).args(["-c", script]).current_dir(d.path()));
    native.assert_success();
    assert_eq!(native.stdout_str(), "fsync Invalid argument\nfsync Bad file descriptor\nmsync ok\nsync ok\n-1\n");

    let lib = nosync_lib();
    let raw = run(Command::new(&py).args(["-c", script]).current_dir(d.path()).env("LD_PRELOAD", &lib));
    raw.assert_success();
    assert_eq!(raw.stdout_str(), "fsync ok\nfsync Bad file descriptor\nmsync ok\nsync ok\n-1\n", "{}", raw.describe());
    // Not even the line strace prints for a call it has no name for whatever the filter says.
    assert_eq!(raw.stderr_str(), "", "a hooks-only library prints nothing of its own");

    let trace = d.join("trace");
    let out = run(Command::new(selftrace())
        .args(["-o", trace.to_str().unwrap(), "-e", "trace=fsync,msync,sync", "--"])
        .arg(&py)
        .args(["-c", script])
        .current_dir(d.path())
        .env("SELFTRACE_LIB", &lib));
    out.assert_success();
    assert_eq!(out.stdout_str(), raw.stdout_str());
    let text = std::fs::read_to_string(&trace).unwrap();
    // strace prints a call it has no name for whatever -e trace= says.
    assert_eq!(text.lines().filter(|l| l.starts_with("syscall_0x270f(")).count(), 1, "{text}");
    let calls: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("+++") && !l.starts_with("syscall_0x270f("))
        .map(|l| {
            // The mapping's address varies.
            let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
            match l.find("0x") {
                Some(i) => {
                    let hex = l[i + 2..].bytes().take_while(u8::is_ascii_hexdigit).count();
                    format!("{}ADDR{}", &l[..i], &l[i + 2 + hex..])
                }
                None => l,
            }
        })
        .collect();
    assert_eq!(
        calls,
        ["fsync(4) = 0", "fsync(999) = -1 EBADF (Bad file descriptor)", "msync(ADDR, 4096, MS_SYNC) = 0", "sync() = 0"],
        "{text}"
    );
}

/// A posix_spawn child (vfork sharing the parent's memory) neither resets nor adds to its
/// parent's counts; the program it runs has its own table.
#[test]
fn count_calls_keeps_the_parent_s_counts_across_posix_spawn() {
    let lib = example_lib("count_calls");
    let dir = TempDir::new("count-spawn");
    let out = run(Command::new(need("python3")).args(["-c", "import sys; print(sys.executable)"]));
    let python = PathBuf::from(out.stdout_str().trim());
    let script = format!(
        "import os\nfor _ in range(3): os.getppid()\n\
         pid = os.posix_spawn('{}', ['counts', '2', '0', '0', '0', '0'], {{}}); os.waitpid(pid, 0)\n\
         for _ in range(4): os.getppid()\n",
        fixture("counts").display()
    );
    let out = run(Command::new(&python).args(["-c", &script]).env("LD_PRELOAD", &lib).current_dir(dir.path()));
    out.assert_success();
    let t = count_tables(&out.stderr_str());
    assert_eq!(t.len(), 2, "{}", out.stderr_str());
    let mut getppids: Vec<u64> = t.iter().map(|t| t.rows.get("getppid").map_or(0, |r| r.0)).collect();
    getppids.sort();
    assert_eq!(getppids, [2, 7], "{}", out.stderr_str());
}

/// A program that closes its stderr before it exits (coreutils do, in close_stdout) still gets
/// its table: count_calls keeps a copy of stderr when fd 2 is closed. `cat` of a small file to
/// /dev/null writes exactly once.
#[test]
fn count_calls_table_survives_a_closed_stderr() {
    let lib = example_lib("count_calls");
    let dir = TempDir::new("count-closed");
    std::fs::write(dir.join("data"), "twelve bytes").unwrap();
    let out = run(Command::new(need("cat")).arg("data").current_dir(dir.path()).env("LD_PRELOAD", &lib));
    out.assert_success();
    assert_eq!(out.stdout_str(), "twelve bytes");
    let t = count_tables(&out.stderr_str());
    assert_eq!(t.len(), 1, "{}", out.stderr_str());
    assert_eq!(t[0].rows.get("write"), Some(&(1, 0)), "{}", out.stderr_str());
    assert!(t[0].rows.get("close").is_some_and(|r| r.0 >= 2), "{}", out.stderr_str());
}
