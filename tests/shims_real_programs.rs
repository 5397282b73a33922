//! Every shim on the programs users run: each shim under `--no-trace`, against
//! 1. python3 with 8 threads (and a fork child) each making the shim's call,
//! 2. a shell pipeline whose stages fork and exec (`sh -c 'a | b | c'`),
//! 3. `env -i` exec (the shim survives a cleared environment),
//! 4. vfork/posix_spawn (python3 `os.posix_spawn`, `subprocess` and the C fixture `procs`,
//!    whose vfork child execs with an empty environment),
//! 5. python3 blocking every signal, then installing its own SIGSYS and SIGALRM handlers with
//!    an interval timer firing while it makes the calls; blocking every signal with SIGSYS
//!    ignored and exec'ing itself (posix_spawn, fork + execve, cleared environment): the mask
//!    and the ignored SIGSYS reach the new image as natively;
//! 6. python3 exec'ing from a non-initial thread while other threads run,
//! 7. the C fixture `signals` (every check of the program's view of signals) as natively, and
//!    `clone_mask` (a raw clone thread without CLONE_SETTLS, as Go starts threads, and a fork
//!    child start with their creator's mask, SIGSYS included),
//!
//! on both backends where the program does not exec (seccomp cannot follow execve). Each run
//! must print exactly the shim's effect in every process of the tree, exit with the program's
//! own status and print nothing on stderr. One test per shim; its runs go in parallel threads
//! and a failure lists every cell of that shim's matrix that failed.
//!
//! When the suite runs as root, every program runs as an unprivileged user (setpriv), which
//! fake-root needs (root could chown for real) and the others do not mind.
mod common;
use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One shim: its options and how each kind of program probes it.
struct Shim {
    name: &'static str,
    opts: Vec<String>,
    /// Python source defining `probe(i) -> str` (the shim's call(s), made by the caller's
    /// thread); `D` is the scratch directory's path.
    py_probe: &'static str,
    /// What `probe(i)` must return.
    py_expect: fn(usize) -> String,
    /// The body of `probe.sh` (a `#!/bin/sh` script, run by path): prints one line for its
    /// tag `$1`; `@D@` is replaced by the scratch directory's path.
    sh_probe: &'static str,
    /// What `probe.sh TAG` must print (without the newline).
    sh_expect: fn(&str) -> String,
    /// Prepares the scratch directory (before the runs).
    prep: fn(&Path),
    /// Checks the host's side of the scratch directory after every run.
    after: fn(&Path),
}

/// One cell of the matrix: a program run under the shim.
struct Cell {
    what: String,
    backend: &'static str,
    prog: PathBuf,
    args: Vec<String>,
    stdout: String,
    code: i32,
}

const PY_THREADS: &str = r#"
import os, sys, threading
out = {}
def work(i):
    out[i] = probe(i)
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
for i in range(8): print(i, out[i])
print('main', probe(8), flush=True)
pid = os.fork()
if pid == 0:
    print('fork', probe(9), flush=True)
    os._exit(5)
print('fork status', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
sys.exit(3)
"#;

fn py_threads_expect(e: fn(usize) -> String) -> String {
    let mut s: String = (0..8).map(|i| format!("{i} {}\n", e(i))).collect();
    s += &format!("main {}\nfork {}\nfork status 5\n", e(8), e(9));
    s
}

const PY_SIGNALS: &str = r#"
import os, signal, sys, threading
full = signal.valid_signals()
old = signal.pthread_sigmask(signal.SIG_BLOCK, full)
print('blocked', probe(0), flush=True)
now = signal.pthread_sigmask(signal.SIG_BLOCK, [])
print('mask', sorted(int(s) for s in set(full) - set(now)))
r = {}
def blocked_thread():
    signal.pthread_sigmask(signal.SIG_BLOCK, full)
    r['t'] = probe(1)
t = threading.Thread(target=blocked_thread); t.start(); t.join()
print('thread', r['t'])
pid = os.fork()
if pid == 0:
    print('fork', probe(3), signal.SIGSYS in signal.pthread_sigmask(signal.SIG_BLOCK, []), flush=True)
    os._exit(0)
os.waitpid(pid, 0)
signal.pthread_sigmask(signal.SIG_SETMASK, old)
got = {'sys': 0, 'alrm': 0}
def on_sys(s, f): got['sys'] += 1
def on_alrm(s, f): got['alrm'] += 1
signal.signal(signal.SIGSYS, on_sys)
signal.signal(signal.SIGALRM, on_alrm)
signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
while got['alrm'] < 3: pass
p = probe(2)
signal.setitimer(signal.ITIMER_REAL, 0)
os.kill(os.getpid(), signal.SIGSYS)
signal.raise_signal(signal.SIGSYS)
print('handlers', p, got['sys'], got['alrm'] >= 3, signal.getsignal(signal.SIGSYS) is on_sys)
sys.exit(4)
"#;

/// Signal state across exec, with every signal blocked and SIGSYS ignored, then at its default,
/// then unblocked: exec keeps the mask and an ignored action, a fork child the mask, whether
/// the image comes from posix_spawn or fork + exec, with the environment cleared.
const PY_EXEC_SIGNALS: &str = r#"
import os, signal, sys
if len(sys.argv) > 1:
    m = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    print(sys.argv[1], sorted(int(s) for s in set(signal.valid_signals()) - set(m)),
          int(signal.getsignal(signal.SIGSYS)), probe(0), flush=True)
    sys.exit(0)
me = [sys.executable, __file__]
signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
signal.signal(signal.SIGSYS, signal.SIG_IGN)
pid = os.posix_spawn(sys.executable, me + ['spawn'], {}); os.waitpid(pid, 0)
pid = os.fork()
if pid == 0:
    os.execve(sys.executable, me + ['fork+exec'], {})
os.waitpid(pid, 0)
signal.signal(signal.SIGSYS, signal.SIG_DFL)
pid = os.fork()
if pid == 0:
    m = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    print('fork', signal.SIGSYS in m, flush=True)
    os.execv(sys.executable, me + ['default'])
os.waitpid(pid, 0)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGSYS])
pid = os.posix_spawn(sys.executable, me + ['unblocked'], os.environ); os.waitpid(pid, 0)
sys.exit(2)
"#;

fn py_exec_signals_expect(e: fn(usize) -> String) -> String {
    format!(
        "spawn [9, 19] 1 {0}\nfork+exec [9, 19] 1 {0}\nfork True\ndefault [9, 19] 0 {0}\nunblocked [9, 19, 31] 0 {0}\n",
        e(0)
    )
}

/// execve from a thread other than the initial one, with SIGSYS blocked in it, while three
/// other threads keep making system calls: the new image is the probe, started as a process of
/// one thread.
const PY_THREAD_EXEC: &str = r#"
import os, signal, sys, threading
def spin():
    while True: os.getppid()
for _ in range(3): threading.Thread(target=spin, daemon=True).start()
def ex():
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGSYS])
    os.execve(D + '/probe.sh', [D + '/probe.sh', 'thread-exec'], {})
t = threading.Thread(target=ex); t.start(); t.join()
"#;

fn py_signals_expect(e: fn(usize) -> String) -> String {
    format!("blocked {}\nmask [9, 19]\nthread {}\nfork {} True\nhandlers {} 2 True True\n", e(0), e(1), e(3), e(2))
}

/// posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)), with the environment and with an empty
/// one, subprocess (vfork in _posixsubprocess), and the python process's own probe after. The
/// spawned children reset the parent's SIGSYS handler to SIG_DFL in their own view (glibc's
/// posix_spawn does so for every caught signal), which must leave the parent's alone.
const PY_SPAWN: &str = r#"
import os, signal, subprocess, sys
P = D + '/probe.sh'
got = []
signal.signal(signal.SIGSYS, lambda s, f: got.append(s))
pid = os.posix_spawn(P, [P, 's1'], os.environ); os.waitpid(pid, 0)
pid = os.posix_spawn(P, [P, 's2'], {}); os.waitpid(pid, 0)
r = subprocess.run([P, 's3'], capture_output=True, text=True)
print(r.stdout, end='', flush=True)
r = subprocess.run([P, 's4'], env={}, stdout=subprocess.PIPE, text=True)
print(r.stdout, end='', flush=True)
os.kill(os.getpid(), signal.SIGSYS)
print('py', probe(0), 'SIGSYS handler ran', len(got), flush=True)
sys.exit(6)
"#;

/// The matrix of `shim`, run in parallel; panics listing every failed cell.
fn matrix(shim: &Shim) {
    let dir = scratch(&format!("matrix-{}", shim.name));
    let d = dir.path().to_str().unwrap().to_owned();
    (shim.prep)(dir.path());
    let probe = dir.join("probe.sh");
    std::fs::write(&probe, format!("#!/bin/sh\n{}\n", shim.sh_probe.replace("@D@", &d))).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The C fixture, where the unprivileged user can run it.
    let procs = dir.join("procs");
    std::fs::copy(fixture("procs"), &procs).unwrap();
    let p = probe.to_str().unwrap();
    let e = shim.sh_expect;
    let py = |body: &str| format!("D = {d:?}\n{}\n{body}", shim.py_probe);
    let sigexec = dir.join("sigexec.py");
    std::fs::write(&sigexec, py(PY_EXEC_SIGNALS)).unwrap();

    // The signal fixture's checks (its own SIGSYS handler, every signal blocked, alarm-interrupted
    // reads with and without SA_RESTART...) print what they print natively.
    let signals = dir.join("signals");
    std::fs::copy(fixture("signals"), &signals).unwrap();
    let native_signals = native(&signals, &[]);
    native_signals.assert_success();
    let clone_mask = dir.join("clone_mask");
    std::fs::copy(fixture("clone_mask"), &clone_mask).unwrap();

    let mut cells = Vec::new();
    for backend in ["sud", "seccomp"] {
        cells.push(Cell {
            what: "C signals fixture".into(),
            backend,
            prog: signals.clone(),
            args: vec![],
            stdout: native_signals.stdout_str(),
            code: 0,
        });
        cells.push(Cell {
            what: "C raw clone thread (no CLONE_SETTLS) and fork child of a thread blocking SIGSYS".into(),
            backend,
            prog: clone_mask.clone(),
            args: vec![],
            stdout: "raw thread: SIGSYS 1 SIGUSR1 1\nfork child: SIGSYS 1 SIGUSR1 1\n".into(),
            code: 0,
        });
        cells.push(Cell {
            what: "python 8 threads + fork".into(),
            backend,
            prog: unprivileged_python(),
            args: vec!["-c".into(), py(PY_THREADS)],
            stdout: py_threads_expect(shim.py_expect),
            code: 3,
        });
        cells.push(Cell {
            what: "python blocking all signals, own SIGSYS/SIGALRM handlers".into(),
            backend,
            prog: unprivileged_python(),
            args: vec!["-c".into(), py(PY_SIGNALS)],
            stdout: py_signals_expect(shim.py_expect),
            code: 4,
        });
    }
    cells.push(Cell {
        what: "sh pipeline, fork + exec".into(),
        backend: "sud",
        prog: need("sh"),
        args: vec![
            "-c".into(),
            format!("{p} a | sh -c 'cat; {p} b' | sh -c 'cat; {p} c; exit 7'; st=$?; {p} d; exit $st"),
        ],
        stdout: format!("{}\n{}\n{}\n{}\n", e("a"), e("b"), e("c"), e("d")),
        code: 7,
    });
    cells.push(Cell {
        what: "env -i exec".into(),
        backend: "sud",
        prog: need("env"),
        args: vec!["-i".into(), p.into(), "e1".into()],
        stdout: format!("{}\n", e("e1")),
        code: 0,
    });
    cells.push(Cell {
        what: "sh running env -i, and a pipeline under env -i".into(),
        backend: "sud",
        prog: need("sh"),
        args: vec!["-c".into(), format!("env -i {p} e2; env -i /bin/sh -c '{p} e3 | cat; env -i {p} e4'; exit 8")],
        stdout: format!("{}\n{}\n{}\n", e("e2"), e("e3"), e("e4")),
        code: 8,
    });
    cells.push(Cell {
        what: "python posix_spawn and subprocess".into(),
        backend: "sud",
        prog: unprivileged_python(),
        args: vec!["-c".into(), py(PY_SPAWN)],
        stdout: format!(
            "{}\n{}\n{}\n{}\npy {} SIGSYS handler ran 1\n",
            e("s1"),
            e("s2"),
            e("s3"),
            e("s4"),
            (shim.py_expect)(0)
        ),
        code: 6,
    });
    cells.push(Cell {
        what: "python blocking all signals, SIGSYS ignored, exec'ing itself".into(),
        backend: "sud",
        prog: unprivileged_python(),
        args: vec![sigexec.to_str().unwrap().into()],
        stdout: py_exec_signals_expect(shim.py_expect),
        code: 2,
    });
    cells.push(Cell {
        what: "python execve from a thread while others run".into(),
        backend: "sud",
        prog: unprivileged_python(),
        args: vec!["-c".into(), py(PY_THREAD_EXEC)],
        stdout: format!("{}\n", e("thread-exec")),
        code: 0,
    });
    cells.push(Cell {
        what: "C fork, vfork + execve with an empty environment, posix_spawn".into(),
        backend: "sud",
        prog: procs.clone(),
        args: [p, "0", "0", "1", "2", "9"].iter().map(|s| s.to_string()).collect(),
        stdout: format!(
            "fork child: exited 0\n{}\nvfork+execve child: exited 0\n{}\nposix_spawn child: exited 0\n",
            e("1"),
            e("2")
        ),
        code: 9,
    });

    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cells
            .iter()
            .map(|c| {
                let d = dir.path();
                s.spawn(move || {
                    let mut opts = vec!["--no-trace".to_owned(), "--backend".into(), c.backend.into()];
                    opts.extend(shim.opts.iter().cloned());
                    let out = run(&mut launch(d, &opts, &c.prog, &c.args));
                    let ok = out.stdout_str() == c.stdout && out.status.code() == Some(c.code) && out.stderr.is_empty();
                    (!ok).then(|| {
                        format!(
                            "--- {} / {} ({}): expected exit {} and stdout\n{}{}",
                            shim.name,
                            c.what,
                            c.backend,
                            c.code,
                            c.stdout,
                            out.describe()
                        )
                    })
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cells failed:\n{}", failures.len(), cells.len(), failures.join("\n"));
    (shim.after)(dir.path());
}

/// `selftrace OPTS -- PROG ARGS` in `dir`, as an unprivileged user when the suite is root.
fn launch(dir: &Path, opts: &[String], prog: &Path, args: &[String]) -> Command {
    let mut c = unprivileged(dir, opts, prog, args);
    c.env("TZ", "UTC");
    c
}

fn nothing(_: &Path) {}

#[test]
fn fake_time() {
    matrix(&Shim {
        name: "fake-time",
        opts: vec!["--fake-time".into(), "@2001-02-03 04:05:06".into()],
        py_probe: "import time\n\
                   def probe(i):\n    \
                       t = time.time()\n    \
                       return time.strftime('%F %H:%M', time.gmtime(t)) + ' ' + str(981173106 <= t < 981173166)",
        py_expect: |_| "2001-02-03 04:05 True".into(),
        sh_probe: "echo \"$1 $(date -u '+%F %H:%M')\"",
        sh_expect: |t| format!("{t} 2001-02-03 04:05"),
        prep: nothing,
        after: nothing,
    });
}

#[test]
fn bind() {
    fn prep(d: &Path) {
        let src = d.join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(src.join("f"), "bound\n").unwrap();
    }
    matrix(&Shim {
        name: "bind",
        opts: vec!["--bind".into(), "src:nowhere/data".into()],
        py_probe: "def probe(i):\n    \
                       with open(D + '/nowhere/data/f') as f:\n        \
                           return f.read().strip() + ' ' + str(os.listdir(D + '/nowhere/data'))",
        py_expect: |_| "bound ['f']".into(),
        sh_probe: "echo \"$1 $(cat @D@/nowhere/data/f) $(ls @D@/nowhere/data)\"",
        sh_expect: |t| format!("{t} bound f"),
        prep,
        // Nothing was created at DEST (nor its missing parent) on the host.
        after: |d| assert!(!d.join("nowhere").exists(), "DEST appeared on the host"),
    });
}

#[test]
fn fake_root() {
    fn prep(d: &Path) {
        let f = d.join("f");
        std::fs::write(&f, "").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    matrix(&Shim {
        name: "fake-root",
        opts: vec!["--fake-root".into()],
        py_probe: "import os\n\
                   def probe(i):\n    \
                       p = '%s/p%d-%d' % (D, os.getpid(), i)\n    \
                       open(p, 'w').close(); os.chown(p, 100 + i, 200 + i); st = os.stat(p)\n    \
                       return '%d %d %d:%d' % (os.getuid(), os.getegid(), st.st_uid, st.st_gid)",
        py_expect: |i| format!("0 0 {}:{}", 100 + i, 200 + i),
        // Each program chowns the shared file to its tag's length and reads it back: the
        // owner table is the tree's.
        sh_probe: "chown ${#1}:${#1} @D@/f && echo \"$1 $(id -u) $(id -g) $(stat -c %u:%g @D@/f)\"",
        sh_expect: |t| format!("{t} 0 0 {0}:{0}", t.len()),
        prep,
        // Every chown was fake: the files (the shared one and the ones the threads made) are
        // the real user's.
        after: |d| {
            let mut n = 0;
            for e in std::fs::read_dir(d).unwrap().flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name == "f" || name.starts_with('p') && name.contains('-') {
                    let m = e.metadata().unwrap();
                    // f is the test's own (made by prep), the others the programs'.
                    let me = std::fs::metadata("/proc/self").unwrap();
                    let want = if name == "f" { (me.uid(), me.gid()) } else { unprivileged_user() };
                    assert_eq!((m.uid(), m.gid()), want, "{name}'s real owner changed");
                    n += 1;
                }
            }
            // f, and per python run with threads: 8 threads + main + fork child (two backends),
            // per signal run: 4 probes (two backends), per spawn/exec run: at least one.
            assert!(n >= 1 + 2 * 10 + 2 * 4, "only {n} files were made");
        },
    });
}

#[test]
fn uname() {
    matrix(&Shim {
        name: "uname",
        opts: vec!["--uname".into(), "nodename=x".into()],
        py_probe: "import os, socket\n\
                   def probe(i):\n    \
                       return os.uname().nodename + ' ' + socket.gethostname()",
        py_expect: |_| "x x".into(),
        sh_probe: "echo \"$1 $(uname -n) $(hostname)\"",
        sh_expect: |t| format!("{t} x x"),
        prep: nothing,
        after: nothing,
    });
}

#[test]
fn inject() {
    matrix(&Shim {
        name: "inject",
        // The 2nd, 5th, 8th... chdir of every thread fails: each thread and fork child counts
        // from zero, an exec'd program continues its thread's count (so a thread probing twice
        // sees the failure in the middle both times).
        opts: vec!["-f".into(), "-e".into(), "inject=chdir:error=ENOENT:when=2+3".into()],
        py_probe: "import errno, os\n\
                   def probe(i):\n    \
                       r = []\n    \
                       for _ in range(3):\n        \
                           try:\n            \
                               os.chdir('/'); r.append('0')\n        \
                           except OSError as e:\n            \
                               r.append(errno.errorcode[e.errno])\n    \
                       return ' '.join(r)",
        py_expect: |_| "0 ENOENT 0".into(),
        sh_probe: "cd /; a=$?; cd / 2>/dev/null; b=$?; cd /; echo \"$1 $a $b $?\"",
        sh_expect: |t| format!("{t} 0 2 0"),
        prep: nothing,
        after: nothing,
    });
}
