//! The environment an exec'd image gets: the program's own, with the runtime's variables put back
//! (`env -i`, `execve(path, argv, {NULL})` and shells that rebuild the environment all drop
//! them). Built in the handler: fault-safe reads of the program's `envp`, memory from mmap.

use std::ffi::CString;
use std::sync::OnceLock;

use crate::sys;

/// The runtime's variables, prepared at start-up.
pub struct ExecEnv {
    /// Absolute path of the preload library.
    pub lib: CString,
    /// `NAME=value` entries the new image needs (SELFTRACE_OPTIONS, SELFTRACE_STATE).
    pub vars: Vec<CString>,
}

static EXEC_ENV: OnceLock<ExecEnv> = OnceLock::new();

/// Keeps the variables every exec'd image must get; start-up calls it once. Later calls are
/// ignored.
pub fn init(env: ExecEnv) {
    let _ = EXEC_ENV.set(env);
}

const PRELOAD: &[u8] = b"LD_PRELOAD=";
const OURS: &[u8] = b"SELFTRACE_";
/// Longest LD_PRELOAD value of the program's that is kept.
const PRELOAD_MAX: usize = 16 * 1024;

/// An envp array in its own mapping, unmapped on drop (when the exec failed).
pub struct Built {
    base: usize,
    len: usize,
}

impl Built {
    /// The address of the NULL-terminated envp array, to pass as execve's third argument. Valid
    /// while `self` lives.
    pub fn envp(&self) -> usize {
        self.base
    }
}

impl Drop for Built {
    fn drop(&mut self) {
        let _ = sys::munmap(self.base, self.len);
    }
}

fn read_ptr(addr: usize) -> Result<usize, i32> {
    sys::read_val::<usize>(addr)
}

/// Reads up to `buf.len()` bytes of a C string at `addr`; returns the bytes before the NUL (or
/// all that could be read).
fn read_prefix(addr: usize, buf: &mut [u8]) -> usize {
    let n = sys::read_mem(addr, buf).unwrap_or(0);
    buf[..n].iter().position(|&b| b == 0).unwrap_or(n)
}

/// Whether exec'd images can get the runtime back (there is a preload library to give them).
pub fn available() -> bool {
    EXEC_ENV.get().is_some()
}

/// Builds the new envp from the program's `envp` (0 means empty), plus `extras` (`NAME=value\0`
/// entries of the runtime's that must stay valid until the exec returns: see
/// [`crate::signals::exec_var`], `process::execve`).
pub fn build(envp: usize, extras: &[&[u8]]) -> Result<Built, i32> {
    let Some(ours) = EXEC_ENV.get() else {
        return Err(libc::ENOMEM);
    };
    // Pass 1: count entries.
    let mut count = 0usize;
    if envp != 0 {
        while read_ptr(envp + count * 8)? != 0 {
            count += 1;
            if count > (1 << 22) {
                return Err(libc::E2BIG);
            }
        }
    }
    let lib = ours.lib.as_bytes();
    // The new LD_PRELOAD string, then room to read the program's value into (the handler may be
    // on a small stack: nothing large lives on it).
    let strings = PRELOAD.len() + lib.len() + 2 * PRELOAD_MAX + 2;
    let ptrs = (count + ours.vars.len() + extras.len() + 2) * 8;
    let len = (ptrs + strings + 4095) & !4095;
    let base = sys::mmap_anon(len)?;
    let built = Built { base, len };
    // SAFETY: `base..base+len` is a fresh private mapping owned by `built`.
    let mem = unsafe { core::slice::from_raw_parts_mut(base as *mut u8, len) };
    let (ptr_area, rest) = mem.split_at_mut(ptrs);
    let (str_area, value) = rest.split_at_mut(rest.len() - PRELOAD_MAX);
    // SAFETY: the pointer area is 8-byte aligned (page-aligned base) and `ptrs` bytes long.
    let out = unsafe { core::slice::from_raw_parts_mut(ptr_area.as_mut_ptr() as *mut usize, ptrs / 8) };
    let mut n = 0;
    let mut app_preload = 0usize;
    let mut head = [0u8; 16];
    for i in 0..count {
        let p = read_ptr(envp + i * 8)?;
        let k = read_prefix(p, &mut head);
        let h = &head[..k];
        if h.starts_with(PRELOAD) {
            app_preload = p;
        } else if !h.starts_with(OURS) {
            out[n] = p;
            n += 1;
        }
    }
    // LD_PRELOAD=<ours>[:<the program's, without ours>]
    let mut w = 0;
    let mut put = |b: &[u8]| {
        str_area[w..w + b.len()].copy_from_slice(b);
        w += b.len();
    };
    put(PRELOAD);
    put(lib);
    if app_preload != 0 {
        let k = read_prefix(app_preload + PRELOAD.len(), value);
        for entry in value[..k].split(|&c| c == b':' || c == b' ').filter(|e| !e.is_empty() && *e != lib) {
            put(b":");
            put(entry);
        }
    }
    put(b"\0");
    out[n] = str_area.as_ptr() as usize;
    n += 1;
    for v in &ours.vars {
        out[n] = v.as_ptr() as usize;
        n += 1;
    }
    for e in extras {
        out[n] = e.as_ptr() as usize;
        n += 1;
    }
    out[n] = 0;
    Ok(built)
}
