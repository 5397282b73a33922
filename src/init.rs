//! Start-up of the preload library (the constructor of libselftrace.so): read the configuration,
//! map the shared state, install the SIGSYS handler and arm the trap. Not handler path: this runs
//! before the trap is armed and may allocate.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::backend::{self, seccomp, sud, Backend};
use crate::config::{self, Config};
use crate::dispatch::{self, Hook};
use crate::execenv::{self, ExecEnv};
use crate::options::Options;
use crate::trace::hook::TraceHook;
use crate::{process, signals, state, summary, threads, trap, vdso};

/// Environment variables of the runtime (hidden from the program, given back at every exec).
pub const ENV_OPTIONS: &str = "SELFTRACE_OPTIONS";
/// The path of the tree's state file (see [`state`]), set by whoever created it.
pub const ENV_STATE: &str = "SELFTRACE_STATE";
/// The state file's descriptor an image inherits from a process that changed its uid (see
/// `state::keep_fd`): `SELFTRACE_STATE_FD=N`.
pub const ENV_STATE_FD: &str = ENV_STATE_FD_IS.split_at(ENV_STATE_FD_IS.len() - 1).0;
/// `SELFTRACE_STATE_FD=`, the start of the entry exec puts in the environment.
pub const ENV_STATE_FD_IS: &str = "SELFTRACE_STATE_FD=";

/// argv and envp as the dynamic loader passed them to the constructor (null when unknown).
static ARGV: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
static ENVP: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// The arguments of the execve that started this process: the path it was given (AT_EXECFN),
/// argv and the environment (after the runtime's variables were taken out of it).
fn initial_execve_args() -> Option<(usize, [usize; 6])> {
    let argv = ARGV.load(core::sync::atomic::Ordering::Relaxed);
    if argv == 0 {
        return None;
    }
    // SAFETY: getauxval only reads the auxiliary vector.
    let path = unsafe { libc::getauxval(libc::AT_EXECFN) } as usize;
    Some((libc::SYS_execve as usize, [path, argv, ENVP.load(core::sync::atomic::Ordering::Relaxed), 0, 0, 0]))
}

/// Hooks registered by the program or preload library the runtime is linked into.
static REGISTERED: std::sync::Mutex<Vec<&'static dyn Hook>> = std::sync::Mutex::new(Vec::new());

/// Adds a hook of your own to the chain, after the runtime's observers (`-c`, tracing) and
/// before the built-in shims. Call it before [`preload_init`] (a preload library does so from its
/// constructor: see [`crate::preload!`]); hooks registered later are ignored.
pub fn register_hook(hook: &'static dyn Hook) {
    REGISTERED.lock().unwrap_or_else(|e| e.into_inner()).push(hook);
}

fn registered_hooks() -> Vec<&'static dyn Hook> {
    REGISTERED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The constructor's body, with the arguments glibc passes to `.init_array` functions.
pub fn preload_init_with(argv: *const *const libc::c_char, envp: *const *const libc::c_char) {
    ARGV.store(argv as usize, core::sync::atomic::Ordering::Relaxed);
    ENVP.store(envp as usize, core::sync::atomic::Ordering::Relaxed);
    preload_init();
}

/// The constructor's body. A configuration error ends the process before the program runs.
pub fn preload_init() {
    if config::try_get().is_some() {
        return;
    }
    if let Err(msg) = start() {
        let line = format!("selftrace: {msg}\n");
        // SAFETY: plain write of an owned buffer to fd 2, then _exit; nothing of the program ran.
        unsafe {
            libc::write(2, line.as_ptr().cast(), line.len());
            libc::_exit(1);
        }
    }
}

/// The preload library exec'd images get: the shared object this code is linked into, or (when
/// the runtime is linked into a program that arms itself) $SELFTRACE_LIB or the
/// libselftrace.so beside the program.
fn preload_library_path() -> Option<PathBuf> {
    let own = own_object_path()?;
    let exe = std::fs::canonicalize("/proc/self/exe").ok();
    if Some(&own) != exe.as_ref() {
        return Some(own);
    }
    if let Some(p) = std::env::var_os("SELFTRACE_LIB") {
        return std::fs::canonicalize(p).ok();
    }
    let beside = own.parent()?.join("libselftrace.so");
    beside.is_file().then_some(beside)
}

/// Absolute path of the object (shared library or program) this code is linked into.
fn own_object_path() -> Option<PathBuf> {
    // SAFETY: Dl_info is plain data (pointers and integers); all-zero is a valid value.
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    // SAFETY: dladdr fills `info` for an address inside a loaded object; the function address
    // is one of ours.
    if unsafe { libc::dladdr(preload_init as *const libc::c_void, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dli_fname is a NUL-terminated string owned by the dynamic loader.
    let name = unsafe { CStr::from_ptr(info.dli_fname) };
    std::fs::canonicalize(Path::new(std::ffi::OsStr::from_bytes(name.to_bytes()))).ok()
}

/// Takes the runtime's variables out of the program's environment (the program must not see
/// them; exec puts them back).
fn hide_environment(lib: &Path) {
    std::env::remove_var(ENV_OPTIONS);
    std::env::remove_var(ENV_STATE);
    std::env::remove_var(ENV_STATE_FD);
    if let Some(v) = std::env::var_os("LD_PRELOAD") {
        let rest: Vec<&[u8]> = v
            .as_bytes()
            .split(|&c| c == b':' || c == b' ')
            .filter(|e| !e.is_empty() && *e != lib.as_os_str().as_bytes())
            .collect();
        if rest.is_empty() {
            std::env::remove_var("LD_PRELOAD");
        } else {
            std::env::set_var("LD_PRELOAD", std::ffi::OsStr::from_bytes(&rest.join(&b':')));
        }
    }
}

fn start() -> Result<(), String> {
    signals::take_inherited();
    crate::fastpath::resolve();
    vdso::init();
    process::refresh_pid();
    process::note_tracer_at_start();
    let opts = match std::env::var(ENV_OPTIONS) {
        Ok(s) => Options::from_env_string(&s).map_err(|e| format!("{ENV_OPTIONS}: {e}"))?,
        // A preload library of the user's own (crate::preload! with hooks), started raw: its
        // hooks only.
        Err(std::env::VarError::NotPresent) if !registered_hooks().is_empty() => {
            Options::from_env_string(crate::preload::HOOKS_ONLY_OPTIONS).map_err(|e| e.to_string())?
        }
        Err(std::env::VarError::NotPresent) => Options::default(),
        Err(_) => return Err(format!("{ENV_OPTIONS} is not valid UTF-8")),
    };
    let mut opts = opts;
    let inherited = std::env::var_os(ENV_STATE);
    if inherited.is_none() {
        // First process of a raw LD_PRELOAD run: check -o before anything is created.
        if opts.output_pipe().is_some() {
            // CMD would have to be the program's own child, which the program could see.
            return Err("piping the output (-o |CMD) needs the launcher: selftrace -o '|CMD' -- PROG".into());
        }
        if let Some(o) = &opts.output {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(!opts.append)
                .append(opts.append)
                .open(o)
                .map_err(|e| format!("cannot write '{}': {}", o.display(), crate::io_reason(&e)))?;
            opts.output = Some(std::path::absolute(o).unwrap_or_else(|_| o.clone()));
        }
        crate::shims::plugin::make_absolute(&mut opts)?;
        // Every process of the tree must read the bindings alike, whatever its directory.
        crate::shims::bind::prepare(&mut opts)?;
    }
    // Specs and plugins are checked before any state or helper process exists to clean up.
    crate::shims::check(&opts)?;
    let sort_by = opts.sort_by.as_deref().map(crate::summary::SortBy::parse).transpose()?.unwrap_or_default();
    // The state: the launcher's, an ancestor's, or (first process of a raw LD_PRELOAD run) ours.
    let (state_path, shared, created) = match inherited {
        Some(p) => {
            let p = PathBuf::from(p);
            let inherited_fd = std::env::var(ENV_STATE_FD).ok().and_then(|v| v.parse::<i32>().ok());
            // The descriptor first (it is there only when the path may no longer open), the path
            // if it is not the state file.
            match inherited_fd.and_then(|fd| state::open_fd(fd, &p).ok()).map(Ok).unwrap_or_else(|| state::open(&p)) {
                Ok(s) => (p, s, false),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    // A libselftrace.so and a launcher from different builds: their layouts of
                    // the shared state differ, so neither may use the other's.
                    return Err(format!(
                        "the shared state {} was {}: libselftrace.so and the selftrace launcher must come from the same build (cargo build --workspace)",
                        p.display(),
                        state::OTHER_BUILD
                    ));
                }
                Err(e) => {
                    // Raw LD_PRELOAD run whose first process has exited and cleaned up: this
                    // process joins too late to be counted; it runs untraced, and says so.
                    eprintln!(
                        "selftrace: the traced tree's shared state {} is gone ({}): this process runs untraced",
                        p.display(),
                        crate::io_reason(&e)
                    );
                    return Ok(());
                }
            }
        }
        None => {
            let (p, s) = state::create()
                .map_err(|e| format!("cannot create the shared state file: {}", crate::io_reason(&e)))?;
            (p, s, true)
        }
    };
    if created {
        // Raw LD_PRELOAD run: the watcher keeps the state while the tree lives, reads the trace
        // log, and ends the run (see `watcher`).
        let finish = crate::watcher::Finish {
            trace: opts.tracing().then(|| (shared.ring(), crate::trace::render::RenderOpts::from_options(&opts))),
            summary: opts.summary.then(|| (sort_by, opts.output.as_ref().map(|o| state::c_path(o)))),
        };
        if let Err(e) = crate::watcher::spawn(shared, process::pid(), state_path.clone(), finish) {
            let _ = std::fs::remove_file(&state_path);
            return Err(format!("cannot start the watcher process: {}", crate::io_reason(&e)));
        }
    }
    if created {
        crate::shims::setup_new_state(&opts, shared)?;
    }
    let result = start_with_state(opts, state_path.clone(), shared);
    if result.is_err() && created {
        // The run ends here: the watcher must not print a summary of it.
        shared.procs.finished.store(1, std::sync::atomic::Ordering::SeqCst);
        let _ = std::fs::remove_file(&state_path);
    }
    result
}

fn start_with_state(opts: Options, state_path: PathBuf, shared: &'static state::Shared) -> Result<(), String> {
    let pid = process::pid();
    // The first process to start under this state is the initial process, in its first image.
    let first_image = shared
        .root_pid
        .compare_exchange(0, pid, std::sync::atomic::Ordering::AcqRel, std::sync::atomic::Ordering::Acquire)
        .is_ok();
    let is_root = shared.root_pid.load(std::sync::atomic::Ordering::Acquire) == pid;
    // Without a launcher the initial process prints the summary, in whichever image it exits.
    let reporter = is_root && shared.launcher.load(std::sync::atomic::Ordering::Acquire) == 0;

    let backend = match opts.backend {
        Some(Backend::Seccomp) => Backend::Seccomp,
        _ if sud::available() => Backend::Sud,
        _ => {
            if is_root {
                eprintln!("selftrace: Syscall User Dispatch is not available on this kernel (Linux >= 5.11 needed); using the seccomp backend");
            }
            Backend::Seccomp
        }
    };

    let Some(lib) = preload_library_path() else {
        // Linked into a program that armed itself, with no preload library to give exec'd
        // images: they run untraced, and the user is told so now.
        eprintln!(
            "selftrace: no libselftrace.so found (set SELFTRACE_LIB): programs this process execs will not be traced"
        );
        return arm(Startup { opts, state_path, shared, backend, is_root, first_image, reporter });
    };
    let mut child_opts = opts.clone();
    child_opts.backend = Some(backend);
    execenv::init(ExecEnv {
        lib: CString::new(lib.as_os_str().as_bytes()).map_err(|_| "library path has a NUL byte")?,
        vars: vec![
            CString::new(format!("{ENV_OPTIONS}={}", child_opts.to_env_string()))
                .map_err(|_| "options have a NUL byte")?,
            CString::new([format!("{ENV_STATE}=").as_bytes(), state_path.as_os_str().as_bytes()].concat())
                .map_err(|_| "state path has a NUL byte")?,
        ],
    });
    hide_environment(&lib);
    arm(Startup { opts, state_path, shared, backend, is_root, first_image, reporter })
}

/// What start-up has settled before the last steps.
struct Startup {
    opts: Options,
    state_path: PathBuf,
    shared: &'static state::Shared,
    backend: Backend,
    /// This process is the initial one (in any of its images).
    is_root: bool,
    /// ... in its first image: the launcher's execve, which nobody traced, is printed here.
    first_image: bool,
    reporter: bool,
}

/// Hooks, configuration, handler and trap: the last steps of start-up.
fn arm(st: Startup) -> Result<(), String> {
    let Startup { opts, state_path, shared, backend, is_root, first_image, reporter } = st;
    // Hooks may need the calling thread's slot (tracing formats in its scratch memory).
    let slot = threads::init().map_err(|e| format!("cannot map the thread table: {}", crate::errno_name(e)))?;
    let mut hooks: Vec<&'static dyn Hook> = Vec::new();
    if opts.summary {
        let set = crate::trace::filters(&opts)?.0.trace;
        let counts_execve = set.contains_nr(libc::SYS_execve as usize);
        hooks.push(Box::leak(Box::new(summary::CountHook { shared, set })));
        // The execve that started this image returned here, in the new image: count it now, as
        // strace counts it at its exit.
        if (opts.follow || is_root) && counts_execve {
            shared.count(libc::SYS_execve as usize, false, 0);
        }
    }
    if opts.tracing() {
        let (filters, _quiet) = crate::trace::filters(&opts)?;
        let hook: &'static TraceHook = Box::leak(Box::new(TraceHook {
            set: filters.trace,
            status: filters.status,
            signals: filters.signals,
            opts: crate::trace::trace_opts(&opts),
            ring: shared.ring(),
            json: opts.json,
            time_spent: opts.time_spent,
            timestamps: opts.timestamps > 0 || opts.relative,
            syscall_number: opts.syscall_number,
            paths: crate::trace::pathtrace::PathTrace::new(&opts.trace_paths),
        }));
        hooks.push(hook);
        hook.activate();
        if (opts.follow || is_root) && hook.set.contains(syscalls::Sysno::execve) {
            // The execve that started this image: its result (the old image printed the call),
            // or all of it for the initial process, whose execve nobody traced.
            let first = first_image.then(initial_execve_args).flatten();
            hook.exec_returned(first);
        }
    }
    // The user's Rust hooks, then C plugins and the built-in shims (order: see `shims`).
    hooks.extend(registered_hooks());
    hooks.extend(crate::shims::hooks(&opts, shared)?);
    dispatch::set_hooks(hooks)?;
    config::set(Config {
        follow: opts.follow,
        summary: opts.summary,
        tracing: opts.tracing(),
        sort_by: opts.sort_by.as_deref().map(crate::summary::SortBy::parse).transpose()?.unwrap_or_default(),
        backend,
        shared,
        output: opts.output.as_ref().map(|o| state::c_path(o)),
        reporter,
        state_path: state::c_path(&state_path),
    });

    signals::install(trap::handler_address())
        .map_err(|e| format!("cannot install the SIGSYS handler: {}", crate::errno_name(e)))?;
    backend::set_active(backend);
    match backend {
        Backend::Sud => {
            sud::arm(&slot.selector)
                .map_err(|e| format!("cannot arm Syscall User Dispatch: {}", crate::errno_name(e)))?;
            // -i shows the address after each call's `syscall` instruction: a call that skips
            // libc's function (and its instruction) has none, so every call traps.
            let needs_trap = opts.no_fast_path || (opts.instruction_pointer && opts.tracing());
            if !needs_trap {
                crate::fastpath::enable();
            }
        }
        Backend::Seccomp => seccomp::install(dispatch::wanted().as_ref())
            .map_err(|e| format!("cannot install the seccomp filter: {e}"))?,
    }
    Ok(())
}
