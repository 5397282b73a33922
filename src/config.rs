//! The configuration a process runs with, fixed at start-up and read by the handler path
//! (a `OnceLock` read is one atomic load).

use std::ffi::CString;
use std::sync::OnceLock;

use crate::backend::Backend;
use crate::state::Shared;

pub struct Config {
    pub follow: bool,
    pub summary: bool,
    /// Calls are traced (printed), not only counted.
    pub tracing: bool,
    /// `-S` for the summary a raw-mode root prints.
    pub sort_by: crate::summary::SortBy,
    pub backend: Backend,
    pub shared: &'static Shared,
    /// Where the summary goes (NUL-terminated path), if not stderr.
    pub output: Option<CString>,
    /// This process prints the summary when it exits (raw LD_PRELOAD mode, root process).
    pub reporter: bool,
    /// The state file, which the last process of a raw LD_PRELOAD run removes.
    pub state_path: CString,
}

static CONFIG: OnceLock<Config> = OnceLock::new();

pub fn set(c: Config) {
    let _ = CONFIG.set(c);
}

/// The configuration. The handler is installed only after `set`.
pub fn get() -> &'static Config {
    CONFIG.get().expect("selftrace: configuration read before start-up")
}

pub fn try_get() -> Option<&'static Config> {
    CONFIG.get()
}

impl Config {
    pub fn root_pid(&self) -> i32 {
        self.shared.root_pid.load(core::sync::atomic::Ordering::Relaxed)
    }
}
