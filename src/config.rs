//! The configuration a process runs with, fixed at start-up and read by the handler path
//! (a `OnceLock` read is one atomic load).

use std::ffi::CString;
use std::sync::OnceLock;

use crate::backend::Backend;
use crate::state::Shared;

/// Everything the handler path needs to know about this process's run, set once by start-up
/// ([`set`]) before the handler is installed, never changed afterwards.
pub struct Config {
    /// `-f`: children and threads are reported too, not only the initial process's first thread.
    pub follow: bool,
    /// `-c`/`-C`: calls are counted into the shared counters for the summary table.
    pub summary: bool,
    /// Calls are traced (printed), not only counted.
    pub tracing: bool,
    /// `-S` for the summary a raw-mode root prints.
    pub sort_by: crate::summary::SortBy,
    /// The trap mechanism armed in this process (and re-armed in each new task).
    pub backend: Backend,
    /// The tree's state file, mapped for the life of the process.
    pub shared: &'static Shared,
    /// Where the summary goes (NUL-terminated path), if not stderr.
    pub output: Option<CString>,
    /// This process prints the summary when it exits (raw LD_PRELOAD mode, root process).
    pub reporter: bool,
    /// The state file, which the last process of a raw LD_PRELOAD run removes.
    pub state_path: CString,
}

static CONFIG: OnceLock<Config> = OnceLock::new();

/// Fixes the configuration; start-up calls it once, before installing the handler. A second call
/// is ignored (the first configuration stays).
pub fn set(c: Config) {
    let _ = CONFIG.set(c);
}

/// The configuration. The handler is installed only after `set`.
pub fn get() -> &'static Config {
    CONFIG.get().expect("selftrace: configuration read before start-up")
}

/// The configuration, or `None` before start-up reached [`set`] (an exit or a fatal error during
/// start-up).
pub fn try_get() -> Option<&'static Config> {
    CONFIG.get()
}

impl Config {
    /// The pid of the tree's initial process (see [`Shared::root_pid`]).
    pub fn root_pid(&self) -> i32 {
        self.shared.root_pid.load(core::sync::atomic::Ordering::Relaxed)
    }
}
