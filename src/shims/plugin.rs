//! TODO(this session): C plugins loaded with `--hook ./libmine.so` (include/selftrace.h).

use crate::dispatch::Hook;
use crate::options::Options;

/// Checks that every `--hook` plugin loads and exports its entry point.
pub fn check(_opts: &Options) -> Result<(), String> {
    Ok(())
}

/// Loads the plugins; each becomes one hook. Start-up only.
pub fn load(_opts: &Options) -> Result<Vec<&'static dyn Hook>, String> {
    Ok(Vec::new())
}
