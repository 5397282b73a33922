//! `selftrace [options] [--] PROG ARGS...`: runs PROG with libselftrace.so preloaded, waits for
//! its whole process tree (as a child subreaper), prints the `-c` summary once, and exits as PROG
//! did. The launcher itself is not traced.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use selftrace::backend::{sud, Backend};
use selftrace::init::{ENV_OPTIONS, ENV_STATE};
use selftrace::options::{self, Options, Parsed};
use selftrace::trace::render::{RenderOpts, Renderer};
use selftrace::{io_reason, state, summary};

/// Whether SIGPIPE was ignored when the launcher was exec'd, before std's start-up set it to
/// SIG_IGN for itself.
static SIGPIPE_IGNORED_AT_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs from `.init_array`, before std's start-up in `main` changes SIGPIPE.
extern "C" fn record_sigpipe() {
    // SAFETY: sigaction with a null new action only reads the disposition into `old`.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: as above; `old` is a valid out pointer.
    if unsafe { libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut old) } == 0 {
        SIGPIPE_IGNORED_AT_START.store(old.sa_sigaction == libc::SIG_IGN, Ordering::Relaxed);
    }
}

#[used]
#[link_section = ".init_array"]
static RECORD_SIGPIPE: extern "C" fn() = record_sigpipe;

fn main() {
    let code = match run() {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("selftrace: {msg}");
            1
        }
    };
    std::process::exit(code);
}

/// PROG as execvp would find it.
fn resolve(prog: &OsString) -> Result<PathBuf, String> {
    let p = Path::new(prog);
    let show = p.display();
    if prog.to_string_lossy().contains('/') {
        return match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => Err(format!("cannot run '{show}': Is a directory")),
            Ok(_) => Ok(p.to_path_buf()),
            Err(e) => Err(format!("cannot run '{show}': {}", io_reason(&e))),
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    for dir in std::env::split_paths(&path) {
        let cand = dir.join(p);
        if let Ok(m) = std::fs::metadata(&cand) {
            if m.is_file() && m.permissions().mode() & 0o111 != 0 {
                return Ok(cand);
            }
        }
    }
    Err(format!("cannot run '{show}': not found in PATH"))
}

/// Refuses programs LD_PRELOAD cannot reach: statically linked ones, and set-user/group-ID ones
/// that would change identity (the loader ignores LD_PRELOAD under AT_SECURE). Scripts are
/// checked through their interpreter.
fn check_loadable(path: &Path, depth: u32) -> Result<(), String> {
    let show = path.display();
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| format!("cannot run '{show}': {}", io_reason(&e)))?;
    let head = &head[..n];
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot run '{show}': {}", io_reason(&e)))?;
    // SAFETY: getuid/getgid cannot fail.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    if (meta.mode() & libc::S_ISUID != 0 && meta.uid() != uid)
        || (meta.mode() & libc::S_ISGID != 0 && meta.gid() != gid)
    {
        return Err(format!(
            "'{show}' is set-user-ID or set-group-ID: the dynamic loader ignores LD_PRELOAD for it, so its system calls cannot be trapped"
        ));
    }
    if head.starts_with(b"#!") && depth < 4 {
        let line = head[2..].split(|&c| c == b'\n').next().unwrap_or(&[]);
        let interp = String::from_utf8_lossy(line).split_whitespace().next().unwrap_or("").to_owned();
        if !interp.is_empty() {
            return check_loadable(Path::new(&interp), depth + 1);
        }
        return Ok(());
    }
    if head.len() >= 64 && head.starts_with(b"\x7fELF") {
        if head[4] != 2 || u16::from_le_bytes([head[18], head[19]]) != 62 {
            return Err(format!("'{show}' is not an x86-64 program: only x86-64 programs can be traced"));
        }
        let phoff = u64::from_le_bytes(head[32..40].try_into().unwrap()) as usize;
        let phentsize = u16::from_le_bytes([head[54], head[55]]) as usize;
        let phnum = u16::from_le_bytes([head[56], head[57]]) as usize;
        let mut ph = vec![0u8; phentsize * phnum];
        let mut f = std::fs::File::open(path).map_err(|e| format!("cannot run '{show}': {}", io_reason(&e)))?;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(phoff as u64)).map_err(|e| e.to_string())?;
        f.read_exact(&mut ph).map_err(|_| format!("'{show}' is a truncated ELF file"))?;
        let has_interp =
            ph.chunks(phentsize).any(|p| u32::from_le_bytes(p[0..4].try_into().unwrap()) == libc::PT_INTERP);
        if !has_interp {
            return Err(format!(
                "'{show}' is statically linked: LD_PRELOAD cannot reach it, so its system calls cannot be trapped"
            ));
        }
    }
    Ok(())
}

/// libselftrace.so: $SELFTRACE_LIB, else beside this executable.
fn find_library() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("SELFTRACE_LIB") {
        return std::fs::canonicalize(&p)
            .map_err(|e| format!("SELFTRACE_LIB '{}': {}", Path::new(&p).display(), io_reason(&e)));
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find my own executable: {}", io_reason(&e)))?;
    let lib = exe.parent().unwrap_or(Path::new(".")).join("libselftrace.so");
    if lib.is_file() {
        Ok(lib)
    } else {
        Err(format!("cannot find {} (build it with 'cargo build --workspace', or set SELFTRACE_LIB)", lib.display()))
    }
}

/// The trace log's reader: a thread of the launcher that turns records into lines while the
/// program runs.
struct Drainer {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<std::io::Result<Renderer>>,
    ring: selftrace::trace::ring::Ring,
}

impl Drainer {
    fn start(opts: &Options, shared: &'static state::Shared, pipe: Option<&OutputPipe>) -> Result<Drainer, String> {
        let mut ro = RenderOpts::from_options(opts);
        ro.pipe = pipe.map(|p| p.file.clone());
        let mut renderer = Renderer::new(ro).map_err(|e| format!("cannot write the trace: {}", io_reason(&e)))?;
        let ring = shared.ring();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d2 = done.clone();
        let thread = std::thread::spawn(move || {
            renderer.drain_until(&ring, &d2)?;
            Ok(renderer)
        });
        Ok(Drainer { done, thread, ring })
    }

    /// After the whole tree has exited: drain what is left, then the deaths only wait saw.
    fn finish(self, killed: &[(i32, i32, bool)]) -> std::io::Result<()> {
        self.done.store(true, Ordering::Release);
        selftrace::trace::ring::ring_doorbell(self.ring.ctl);
        let mut r = self.thread.join().map_err(|_| std::io::Error::other("trace drainer panicked"))??;
        for &(pid, sig, core) in killed {
            r.killed(pid, sig, core)?;
        }
        r.flush()
    }
}

/// `-u USER`: who the program runs as.
struct User {
    name: String,
    uid: libc::uid_t,
    gid: libc::gid_t,
    groups: Vec<libc::gid_t>,
}

/// USER's ids and supplementary groups from the password and group databases, as strace's `-u`.
fn lookup_user(name: &str) -> Result<User, String> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Err("you must be root to use the -u option".into());
    }
    let c = std::ffi::CString::new(name).map_err(|_| format!("cannot find user '{name}'"))?;
    // SAFETY: getpwnam_r with a zeroed passwd, a buffer of the stated length and an out
    // pointer; the strings it points into `buf` are not used after the ids are copied out.
    let (uid, gid) = unsafe {
        let mut pw: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 1 << 16];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        libc::getpwnam_r(c.as_ptr(), &mut pw, buf.as_mut_ptr(), buf.len(), &mut found);
        if found.is_null() {
            return Err(format!("cannot find user '{name}'"));
        }
        (pw.pw_uid, pw.pw_gid)
    };
    let mut groups: Vec<libc::gid_t> = vec![0; 64];
    loop {
        let mut n = groups.len() as libc::c_int;
        // SAFETY: getgrouplist into a buffer of `n` entries; it sets `n` to the number needed.
        let r = unsafe { libc::getgrouplist(c.as_ptr(), gid, groups.as_mut_ptr(), &mut n) };
        if r >= 0 {
            groups.truncate(n as usize);
            break;
        }
        groups.resize((n as usize).max(groups.len() * 2), 0);
    }
    Ok(User { name: name.to_owned(), uid, gid, groups })
}

/// `-o |CMD`: CMD, run by `sh -c` with the trace (and the `-c` table) on its stdin, as strace
/// does. It is forked by a thread of its own, which waits for it at the end: the launcher's main
/// thread waits for the traced tree until no child is left (`__WNOTHREAD` keeps CMD out of that).
struct OutputPipe {
    file: std::sync::Arc<std::fs::File>,
    go: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl OutputPipe {
    fn spawn(cmd: String) -> Result<OutputPipe, String> {
        let (tx_file, rx_file) = std::sync::mpsc::channel();
        let (go, rx_go) = std::sync::mpsc::channel::<()>();
        let what = cmd.clone();
        let thread = std::thread::spawn(move || {
            let child =
                std::process::Command::new("/bin/sh").args(["-c", &cmd]).stdin(std::process::Stdio::piped()).spawn();
            match child {
                Ok(mut c) => {
                    let stdin = c.stdin.take().map(|i| std::fs::File::from(std::os::fd::OwnedFd::from(i)));
                    let _ = tx_file.send(stdin.ok_or_else(|| std::io::Error::other("no pipe")));
                    // Until every write end is closed: then CMD sees the end of its input.
                    let _ = rx_go.recv();
                    let _ = c.wait();
                }
                Err(e) => {
                    let _ = tx_file.send(Err(e));
                }
            }
        });
        match rx_file.recv() {
            Ok(Ok(f)) => Ok(OutputPipe { file: std::sync::Arc::new(f), go, thread }),
            Ok(Err(e)) => Err(format!("cannot run the output command '{what}': {}", io_reason(&e))),
            Err(_) => Err(format!("cannot run the output command '{what}'")),
        }
    }

    /// Closes the launcher's end and waits for CMD (the drainer's copy must be closed already).
    fn finish(self) {
        drop(self.file);
        let _ = self.go.send(());
        let _ = self.thread.join();
    }
}

fn run() -> Result<i32, String> {
    let (mut opts, prog): (Options, Vec<OsString>) =
        match options::parse(std::env::args_os().skip(1), true).map_err(|e| e.0)? {
            Parsed::Help => {
                print!("{}", options::USAGE);
                return Ok(0);
            }
            Parsed::Version => {
                println!("selftrace {}", env!("CARGO_PKG_VERSION"));
                return Ok(0);
            }
            Parsed::Run(o, p) => (*o, p),
        };
    if prog.is_empty() {
        return Err("must have PROG [ARGS] (see 'selftrace -h')".into());
    }
    // Expressions are checked here, once, before anything runs (each traced process would
    // otherwise refuse them at start-up).
    selftrace::trace::filters(&opts)?;
    // -P: each path and its canonical form, resolved once, here (as strace does on parsing).
    let (paths, notes) = selftrace::trace::pathtrace::resolve(&opts.trace_paths);
    for n in notes {
        eprintln!("selftrace: {n}");
    }
    opts.trace_paths = paths;
    selftrace::shims::plugin::make_absolute(&mut opts)?;
    selftrace::shims::bind::prepare(&mut opts)?;
    selftrace::shims::check(&opts)?;
    // A program at a bound path (`--bind S:D -- D/prog`) is looked up where it really is.
    let path = resolve(&selftrace::shims::bind::host_path(&opts, Path::new(&prog[0])).into_os_string())?;
    check_loadable(&path, 0)?;
    let lib = find_library()?;
    let mut out_file = None;
    let mut pipe = None;
    if let Some(cmd) = opts.output_pipe() {
        if opts.per_task {
            return Err("piping the output and -ff are mutually exclusive".into());
        }
        let p = OutputPipe::spawn(cmd)?;
        out_file = Some(p.file.try_clone().map_err(|e| format!("cannot write the trace: {}", io_reason(&e)))?);
        pipe = Some(p);
    } else if let Some(o) = opts.output.as_ref().filter(|_| !opts.per_task) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(!opts.append)
            .append(opts.append)
            .open(o)
            .map_err(|e| format!("cannot write '{}': {}", o.display(), io_reason(&e)))?;
        out_file = Some(f);
        opts.output = Some(std::path::absolute(o).map_err(|e| e.to_string())?);
    }
    if opts.backend != Some(Backend::Seccomp) {
        if sud::available() {
            opts.backend = Some(Backend::Sud);
        } else {
            eprintln!("selftrace: Syscall User Dispatch is not available on this kernel (Linux >= 5.11 needed); using the seccomp backend");
            opts.backend = Some(Backend::Seccomp);
        }
    }
    let user = opts.user.as_deref().map(lookup_user).transpose()?;
    let (state_path, shared) =
        state::create().map_err(|e| format!("cannot create the shared state file: {}", io_reason(&e)))?;
    if let Some(u) = &user {
        // The program's images open the state file by path as USER.
        if let Err(e) = std::os::unix::fs::chown(&state_path, Some(u.uid), Some(u.gid)) {
            let _ = std::fs::remove_file(&state_path);
            return Err(format!("cannot hand the shared state to user '{}': {}", u.name, io_reason(&e)));
        }
    }
    shared.launcher.store(1, Ordering::Release);
    if let Err(e) = selftrace::shims::setup_new_state(&opts, shared) {
        let _ = std::fs::remove_file(&state_path);
        return Err(e);
    }
    // -E, in order: the program's LD_PRELOAD is the one they leave, after ours.
    let mut user_preload = std::env::var_os("LD_PRELOAD");
    let mut env_changes: Vec<(OsString, Option<OsString>)> = Vec::new();
    for e in &opts.env {
        let b = e.as_bytes();
        let (k, v) = match b.iter().position(|&c| c == b'=') {
            Some(i) => (OsString::from_vec(b[..i].to_vec()), Some(OsString::from_vec(b[i + 1..].to_vec()))),
            None => (e.clone(), None),
        };
        if k == "LD_PRELOAD" {
            user_preload = v.clone();
        }
        env_changes.push((k, v));
    }
    let preload = match user_preload {
        Some(old) if !old.is_empty() => {
            let mut v = lib.clone().into_os_string();
            v.push(":");
            v.push(old);
            v
        }
        _ => lib.clone().into_os_string(),
    };

    // Orphaned grandchildren are reparented to us, so the summary waits for the whole tree.
    // SAFETY: prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let sigpipe_ignored = SIGPIPE_IGNORED_AT_START.load(Ordering::Relaxed);
    let mut command = std::process::Command::new(&path);
    command.arg0(&prog[0]).args(&prog[1..]);
    for (k, v) in &env_changes {
        match v {
            Some(v) => command.env(k, v),
            None => command.env_remove(k),
        };
    }
    command.env("LD_PRELOAD", preload).env(ENV_OPTIONS, opts.to_env_string());
    command.env(ENV_STATE, &state_path);
    let ids = user.as_ref().map(|u| (u.uid, u.gid, u.groups.clone()));
    // SAFETY: the closure runs in the forked child before exec and only makes system calls
    // (signal, setgroups, setgid, setuid: the child has one thread).
    // A closure makes std fork and exec instead of calling posix_spawn, whose child leaves glibc's
    // two internal signals (32, 33) at SIG_IGN, which survives exec and which the program would
    // see; strace's fork and exec leaves them at SIG_DFL. std sets SIGPIPE back to SIG_DFL; what
    // the program inherits is what the launcher was given, as under strace.
    let child = unsafe {
        command.pre_exec(move || {
            if sigpipe_ignored {
                libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            }
            // -u: groups and gid while still root, the uid last.
            if let Some((uid, gid, groups)) = &ids {
                if libc::setgroups(groups.len(), groups.as_ptr()) != 0
                    || libc::setgid(*gid) != 0
                    || libc::setuid(*uid) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        })
    }
    .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&state_path);
            return Err(format!("cannot run '{}': {}", path.display(), io_reason(&e)));
        }
    };
    // Like system(3): the terminal's ^C and ^\ reach the program; the launcher outlives them to
    // report.
    // SAFETY: setting dispositions to SIG_IGN.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
    let main_pid = child.id() as libc::pid_t;
    let drainer = if opts.tracing() { Some(Drainer::start(&opts, shared, pipe.as_ref())?) } else { None };
    let mut main_status = None;
    // Deaths by signal of the processes we reap (the main one, orphans): a process killed by
    // SIGKILL could not say so itself.
    let mut killed = Vec::new();
    loop {
        let mut status = 0;
        // SAFETY: waitpid with a valid out pointer.
        let r = unsafe { libc::waitpid(-1, &mut status, libc::__WNOTHREAD) };
        if r > 0 && libc::WIFSIGNALED(status) {
            killed.push((r, libc::WTERMSIG(status), libc::WCOREDUMP(status)));
        }
        if r == main_pid {
            main_status = Some(status);
        } else if r < 0 {
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                _ => break,
            }
        }
    }
    // As strace: an output that fails is reported, and the launcher still exits as the program
    // did (the program ran to its end; its status is what a caller scripts on).
    if let Some(Err(e)) = drainer.map(|d| d.finish(&killed)) {
        eprintln!("selftrace: writing the trace: {}", io_reason(&e));
    }
    let _ = std::fs::remove_file(&state_path);

    if opts.summary {
        let mut table = String::new();
        let mut rows = vec![summary::Row::default(); state::NR_SLOTS];
        let sort = opts.sort_by.as_deref().map(summary::SortBy::parse).transpose()?.unwrap_or_default();
        let _ = summary::write_table(shared, &mut rows, sort, &mut table);
        match out_file.as_mut() {
            // After the trace lines the drainer appended to the same file (-C).
            Some(f) => {
                use std::io::Seek;
                let end = if pipe.is_some() { Ok(0) } else { f.seek(std::io::SeekFrom::End(0)) };
                if let Err(e) = end.and_then(|_| f.write_all(table.as_bytes())) {
                    eprintln!("selftrace: writing the summary: {}", io_reason(&e));
                }
            }
            None => {
                let _ = std::io::stderr().write_all(table.as_bytes());
            }
        }
    }

    drop(out_file);
    if let Some(p) = pipe {
        p.finish();
    }
    let status = main_status.ok_or("lost track of the program's exit status")?;
    if libc::WIFEXITED(status) {
        return Ok(libc::WEXITSTATUS(status));
    }
    let sig = libc::WTERMSIG(status);
    // Die of the same signal; no core file of the launcher's own.
    // SAFETY: resetting a disposition, unblocking and raising a signal in our own process.
    unsafe {
        let rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &rl);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    Ok(128 + sig)
}
