//! C plugins: `--hook PLUGIN[:ARG]` loads a shared object written against
//! `include/selftrace.h` in every process of the tree; each becomes one [`Hook`] in the chain,
//! after the user's Rust hooks and before the built-in shims.
//!
//! Start-up (not handler path): [`check`] dlopens every plugin once per process, calls its
//! `selftrace_plugin_init(arg)` and validates what it returns (the launcher does so before the
//! program starts, so a missing file, a missing entry point, a foreign ABI version or a refusing
//! init is one clear line and exit status 1). [`load`] hands the checked plugins to the chain.
//!
//! Handler path: [`PluginHook`]'s enter/exit copy the call into the ABI's `selftrace_call` on
//! the stack and call the plugin's function pointers; the exported `selftrace_*` helpers wrap
//! [`crate::mem`] and the exempt syscall stub. Nothing there allocates.

use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use syscalls::{Sysno, SysnoSet};

use crate::dispatch::{Call, Hook, Verdict};
use crate::options::Options;

/// The ABI version this runtime implements (`SELFTRACE_ABI_VERSION` in include/selftrace.h).
pub const ABI_VERSION: u32 = 1;

/// The entry point's name, as a plugin exports it.
const ENTRY: &str = "selftrace_plugin_init";

/// `--hook` plugins one run may load: the chain's room ([`crate::dispatch::MAX_HOOKS`]) less
/// the built-in hooks (-c, the trace and the five shims), so that the launcher refuses what the
/// program's start-up could not install.
pub const MAX_PLUGINS: usize = crate::dispatch::MAX_HOOKS - 7;

/// `struct selftrace_call`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CCall {
    /// The call's number.
    pub nr: libc::c_long,
    /// The arguments the kernel will get; enter may change them.
    pub args: [libc::c_ulong; 6],
    /// The arguments as the program passed them.
    pub orig_args: [libc::c_ulong; 6],
    /// The calling process's id.
    pub pid: libc::c_int,
    /// The calling thread's kernel id.
    pub tid: libc::c_int,
}

/// `struct selftrace_verdict`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CVerdict {
    /// `enum selftrace_action`: 0 run, 1 run without exit, 2 emulate.
    pub action: libc::c_int,
    /// Zero.
    pub reserved: libc::c_int,
    /// The emulated result.
    pub value: libc::c_long,
}

/// `struct selftrace_plugin`.
#[repr(C)]
pub struct CPlugin {
    /// `SELFTRACE_ABI_VERSION` the plugin was built with.
    pub abi_version: libc::c_uint,
    /// Zero.
    pub reserved: libc::c_uint,
    /// A short name for messages (may be null).
    pub name: *const libc::c_char,
    /// Wanted call numbers ended by -1, or null for all.
    pub syscalls: *const libc::c_long,
    /// Called before each wanted call.
    pub enter: Option<unsafe extern "C" fn(*mut libc::c_void, *mut CCall) -> CVerdict>,
    /// Called after each call whose enter asked for it.
    pub exit: Option<unsafe extern "C" fn(*mut libc::c_void, *const CCall, *mut libc::c_long)>,
    /// Passed to enter and exit.
    pub user: *mut libc::c_void,
}

// The header's layouts (x86-64 SysV): a change here is an ABI change, and ABI_VERSION with it.
const _: () = assert!(std::mem::size_of::<CCall>() == 112);
const _: () = assert!(std::mem::size_of::<CVerdict>() == 16);
const _: () = assert!(std::mem::size_of::<CPlugin>() == 48);

type InitFn = unsafe extern "C" fn(*const libc::c_char) -> *const CPlugin;

/// One loaded plugin as a hook of the chain.
pub struct PluginHook {
    /// The `--hook` value it came from, for messages.
    pub spec: String,
    /// The plugin's name.
    pub name: String,
    set: Option<SysnoSet>,
    enter: Option<unsafe extern "C" fn(*mut libc::c_void, *mut CCall) -> CVerdict>,
    exit: Option<unsafe extern "C" fn(*mut libc::c_void, *const CCall, *mut libc::c_long)>,
    user: *mut libc::c_void,
}

// SAFETY: the plugin's user pointer and functions are shared by every thread by the ABI's
// contract (header: enter/exit may run on several threads at once); the runtime itself never
// touches what `user` points to.
unsafe impl Sync for PluginHook {}
// SAFETY: as above; the hook is created at start-up and never moved between owners afterwards.
unsafe impl Send for PluginHook {}

impl PluginHook {
    fn ccall(call: &Call) -> CCall {
        CCall {
            nr: call.nr as libc::c_long,
            args: call.args.map(|a| a as libc::c_ulong),
            orig_args: call.orig_args.map(|a| a as libc::c_ulong),
            pid: call.pid(),
            tid: call.tid(),
        }
    }

    fn wants(&self, nr: usize) -> bool {
        match &self.set {
            None => true,
            Some(s) => Sysno::new(nr).is_some_and(|n| s.contains(n)),
        }
    }
}

impl Hook for PluginHook {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        self.set.clone()
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        if !self.wants(call.nr) {
            return Verdict::RunNoExit;
        }
        let after = if self.exit.is_some() { Verdict::Run } else { Verdict::RunNoExit };
        let Some(enter) = self.enter else {
            return after;
        };
        let mut c = Self::ccall(call);
        // SAFETY: the plugin's enter, with the user pointer it gave and a call record valid for
        // the duration of the call (the ABI's contract).
        let v = unsafe { enter(self.user, &mut c) };
        call.args = c.args.map(|a| a as usize);
        match v.action {
            1 => Verdict::RunNoExit,
            2 => Verdict::Emulate(v.value as isize),
            // 0, and anything unknown (an ABI violation), runs the call unchanged in kind.
            _ => after,
        }
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        let Some(exit) = self.exit else {
            return;
        };
        let c = Self::ccall(call);
        let mut r = *ret as libc::c_long;
        // SAFETY: the plugin's exit, with its user pointer, a call record and a result slot valid
        // for the duration of the call.
        unsafe { exit(self.user, &c, &mut r) };
        *ret = r as isize;
    }
}

/// `PLUGIN[:ARG]` split at the first `:`.
fn split_spec(spec: &str) -> (&str, Option<&str>) {
    match spec.split_once(':') {
        Some((p, a)) => (p, Some(a)),
        None => (spec, None),
    }
}

/// Makes every `--hook` path absolute (against the current directory), so processes that exec
/// in other directories find the same file. Launcher, and the first process of a raw
/// LD_PRELOAD run.
pub fn make_absolute(opts: &mut Options) -> Result<(), String> {
    for spec in &mut opts.plugins {
        let (path, arg) = split_spec(spec);
        if path.is_empty() {
            return Err(format!("--hook '{spec}': no plugin file (expected PLUGIN[:ARG])"));
        }
        let abs = std::fs::canonicalize(path)
            .map_err(|e| format!("--hook '{spec}': cannot open '{path}': {}", crate::io_reason(&e)))?;
        let abs = abs.to_str().ok_or_else(|| format!("--hook '{spec}': path is not valid UTF-8"))?;
        *spec = match arg {
            Some(a) => format!("{abs}:{a}"),
            None => abs.to_owned(),
        };
    }
    Ok(())
}

/// The plugins this process loaded (each dlopen'ed and initialised once per process image).
static LOADED: Mutex<Option<Vec<&'static PluginHook>>> = Mutex::new(None);

/// Loads every `--hook` plugin (once per process) and checks what its init returns. Launcher
/// and start-up; an error is one line naming the plugin and the problem.
pub fn check(opts: &Options) -> Result<(), String> {
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if loaded.is_some() {
        return Ok(());
    }
    if opts.plugins.len() > MAX_PLUGINS {
        return Err(format!("--hook: {} plugins given; at most {MAX_PLUGINS}", opts.plugins.len()));
    }
    let mut v = Vec::new();
    for spec in &opts.plugins {
        v.push(&*Box::leak(Box::new(open(spec)?)));
    }
    *loaded = Some(v);
    Ok(())
}

/// The plugins as hooks, in `--hook` order. Start-up only.
pub fn load(opts: &Options) -> Result<Vec<&'static dyn Hook>, String> {
    check(opts)?;
    let loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    Ok(loaded.as_ref().map_or(Vec::new(), |v| v.iter().map(|&h| h as &'static dyn Hook).collect()))
}

/// The dynamic loader's last error message.
fn dl_error() -> String {
    // SAFETY: dlerror returns null or a NUL-terminated string valid until the next dl* call.
    let e = unsafe { libc::dlerror() };
    if e.is_null() {
        "unknown error".into()
    } else {
        // SAFETY: non-null, NUL-terminated (above).
        unsafe { CStr::from_ptr(e) }.to_string_lossy().into_owned()
    }
}

fn open(spec: &str) -> Result<PluginHook, String> {
    let (path, arg) = split_spec(spec);
    let file = PathBuf::from(path);
    if !file.is_file() {
        let why = match std::fs::metadata(Path::new(path)) {
            Err(e) => crate::io_reason(&e),
            Ok(_) => "not a regular file".into(),
        };
        return Err(format!("--hook '{spec}': cannot open '{path}': {why}"));
    }
    let cpath = CString::new(path).map_err(|_| format!("--hook '{spec}': path has a NUL byte"))?;
    // Every symbol is resolved now: one the plugin needs and nothing defines is an error here,
    // not a crash inside a hook later. The helpers come from the runtime's shared object
    // (global: it was preloaded) or, in the launcher, from its executable, which exports them.
    // SAFETY: dlopen of a NUL-terminated path; runs the plugin's constructors (start-up).
    let handle = unsafe { libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        return Err(format!("--hook '{spec}': cannot load: {}", dl_error()));
    }
    let entry = CString::new(ENTRY).expect("no NUL");
    // SAFETY: dlsym on a live handle with a NUL-terminated name.
    let sym = unsafe { libc::dlsym(handle, entry.as_ptr()) };
    if sym.is_null() {
        return Err(format!("--hook '{spec}': {path} does not define {ENTRY} (see include/selftrace.h)"));
    }
    // SAFETY: the ABI fixes the entry point's signature (include/selftrace.h).
    let init: InitFn = unsafe { std::mem::transmute::<*mut libc::c_void, InitFn>(sym) };
    let carg = arg.map(|a| CString::new(a).map_err(|_| format!("--hook '{spec}': argument has a NUL byte")));
    let carg = carg.transpose()?;
    // SAFETY: the plugin's init with a NUL-terminated argument or null, as the ABI says.
    let p = unsafe { init(carg.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())) };
    // The argument stays alive: a plugin may keep the pointer.
    std::mem::forget(carg);
    if p.is_null() {
        return Err(format!("--hook '{spec}': {ENTRY} refused to run (returned NULL)"));
    }
    // SAFETY: non-null, and the ABI says it points to a selftrace_plugin in static storage.
    let p = unsafe { &*p };
    if p.abi_version != ABI_VERSION {
        return Err(format!(
            "--hook '{spec}': plugin built for selftrace ABI version {}, this runtime implements version {ABI_VERSION}",
            p.abi_version
        ));
    }
    let name = if p.name.is_null() {
        path.to_owned()
    } else {
        // SAFETY: a non-null name is a NUL-terminated string in static storage (ABI).
        unsafe { CStr::from_ptr(p.name) }.to_string_lossy().into_owned()
    };
    let set = if p.syscalls.is_null() {
        None
    } else {
        let mut set = SysnoSet::empty();
        for i in 0.. {
            // SAFETY: the list is ended by -1 (ABI); we stop there.
            let n = unsafe { *p.syscalls.add(i) };
            if n == -1 {
                break;
            }
            let nr = usize::try_from(n).ok().and_then(Sysno::new).ok_or_else(|| {
                format!("--hook '{spec}': plugin {name} lists {n}, which is not a system call number")
            })?;
            set.insert(nr);
        }
        Some(set)
    };
    Ok(PluginHook { spec: spec.to_owned(), name, set, enter: p.enter, exit: p.exit, user: p.user })
}

// ---- helpers exported for plugins (include/selftrace.h) -------------------------------------------

/// `long selftrace_read(unsigned long addr, void *dst, unsigned long len)`.
///
/// # Safety
/// `dst` must be valid for `len` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn selftrace_read(
    addr: libc::c_ulong,
    dst: *mut libc::c_void,
    len: libc::c_ulong,
) -> libc::c_long {
    if len == 0 {
        return 0;
    }
    // SAFETY: the caller guarantees dst is valid for len bytes.
    let buf = unsafe { std::slice::from_raw_parts_mut(dst.cast::<u8>(), len as usize) };
    match crate::mem::read(addr as usize, buf) {
        Ok(n) => n as libc::c_long,
        Err(e) => -(e as libc::c_long),
    }
}

/// `long selftrace_write(unsigned long addr, const void *src, unsigned long len)`.
///
/// # Safety
/// `src` must be valid for `len` bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn selftrace_write(
    addr: libc::c_ulong,
    src: *const libc::c_void,
    len: libc::c_ulong,
) -> libc::c_long {
    if len == 0 {
        return 0;
    }
    // SAFETY: the caller guarantees src is valid for len bytes.
    let buf = unsafe { std::slice::from_raw_parts(src.cast::<u8>(), len as usize) };
    match crate::mem::write(addr as usize, buf) {
        Ok(n) => n as libc::c_long,
        Err(e) => -(e as libc::c_long),
    }
}

/// `long selftrace_read_string(unsigned long addr, char *buf, unsigned long size)`.
///
/// # Safety
/// `buf` must be valid for `size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn selftrace_read_string(
    addr: libc::c_ulong,
    buf: *mut libc::c_char,
    size: libc::c_ulong,
) -> libc::c_long {
    if size == 0 {
        return -(libc::ENAMETOOLONG as libc::c_long);
    }
    // SAFETY: the caller guarantees buf is valid for size bytes.
    let b = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), size as usize) };
    match crate::mem::read_cstr(addr as usize, b) {
        Ok(s) => s.len() as libc::c_long,
        Err(e) => {
            b[0] = 0;
            -(e as libc::c_long)
        }
    }
}

/// `long selftrace_syscall(long nr, long a0, ..., long a5)`: from the exempt stub.
#[no_mangle]
pub extern "C" fn selftrace_syscall(
    nr: libc::c_long,
    a0: libc::c_long,
    a1: libc::c_long,
    a2: libc::c_long,
    a3: libc::c_long,
    a4: libc::c_long,
    a5: libc::c_long,
) -> libc::c_long {
    crate::arch::syscall6(nr as usize, [a0, a1, a2, a3, a4, a5].map(|a| a as usize)) as libc::c_long
}

/// `unsigned int selftrace_abi_version(void)`.
#[no_mangle]
pub extern "C" fn selftrace_abi_version() -> libc::c_uint {
    ABI_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_at_the_first_colon() {
        assert_eq!(split_spec("./a.so"), ("./a.so", None));
        assert_eq!(split_spec("./a.so:/x:y"), ("./a.so", Some("/x:y")));
        assert_eq!(split_spec("./a.so:"), ("./a.so", Some("")));
    }

    #[test]
    fn helpers_report_bad_addresses() {
        crate::process::refresh_pid();
        let mut b = [0u8; 8];
        // SAFETY: b is 8 bytes.
        assert_eq!(unsafe { selftrace_read(0x10, b.as_mut_ptr().cast(), 8) }, -(libc::EFAULT as libc::c_long));
        let s = b"abc\0";
        // SAFETY: as above.
        assert_eq!(unsafe { selftrace_read_string(s.as_ptr() as libc::c_ulong, b.as_mut_ptr().cast(), 8) }, 3);
        assert_eq!(&b[..4], b"abc\0");
        // SAFETY: b is 8 bytes; the string needs 4.
        assert_eq!(
            unsafe { selftrace_read_string(s.as_ptr() as libc::c_ulong, b.as_mut_ptr().cast(), 3) },
            -(libc::ENAMETOOLONG as libc::c_long)
        );
        assert_eq!(
            selftrace_syscall(libc::SYS_getpid as libc::c_long, 0, 0, 0, 0, 0, 0),
            std::process::id() as libc::c_long
        );
    }
}
