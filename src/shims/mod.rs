//! Built-in shims: hooks that change what the program sees (the seeds' partial virtual
//! machines, decided per call on its arguments), each configured by a launcher flag that also
//! travels in `SELFTRACE_OPTIONS`.
//!
//! Order of the hook chain (fixed; see `init::arm`): the observers first (`-c` counting, then
//! tracing), so they see the call as the program made it and the result as the program gets it;
//! then the user's hooks (Rust hooks registered with [`crate::init::register_hook`], C plugins
//! from `--hook`); then the built-in shims in the order of [`hooks`]. Enter callbacks run in
//! that order and the first hook that emulates a call ends it; exit callbacks run in reverse.
//!
//! Every spec is parsed by [`check`] in the launcher before the program starts, so a malformed
//! one is one clear error line and a non-zero exit, never a half-configured run.

pub mod bind;
pub mod fakeroot;
pub mod faketime;
pub mod inject;
pub mod plugin;
pub mod uname;

use crate::dispatch::Hook;
use crate::options::Options;
use crate::state::Shared;

/// Checks every shim's spec (and that `--hook` plugins load). Launcher and start-up.
pub fn check(opts: &Options) -> Result<(), String> {
    inject::parse(opts)?;
    faketime::parse(opts)?;
    bind::parse(opts)?;
    fakeroot::parse(opts)?;
    uname::parse(opts)?;
    plugin::check(opts)?;
    Ok(())
}

/// Called once for a new shared state (by the launcher, or by the first process of a raw
/// LD_PRELOAD run) before any traced process uses it: state the whole tree shares, such as the
/// virtual clock's origin.
pub fn setup_new_state(opts: &Options, shared: &'static Shared) -> Result<(), String> {
    faketime::setup_new_state(opts, shared)?;
    Ok(())
}

/// The user's plugins and the built-in shims the options ask for, in chain order. Start-up only.
///
/// Injection decides on the call as the program made it; bind comes next so that every shim
/// after it (fakeroot looks files up by path) sees host paths.
pub fn hooks(opts: &Options, shared: &'static Shared) -> Result<Vec<&'static dyn Hook>, String> {
    let mut v: Vec<&'static dyn Hook> = plugin::load(opts)?;
    if let Some(spec) = inject::parse(opts)? {
        v.push(inject::hook(spec, shared));
    }
    if let Some(spec) = bind::parse(opts)? {
        v.push(bind::hook(spec, shared));
    }
    if let Some(spec) = fakeroot::parse(opts)? {
        v.push(fakeroot::hook(spec, shared));
    }
    if let Some(spec) = uname::parse(opts)? {
        v.push(uname::hook(spec, shared));
    }
    if let Some(spec) = faketime::parse(opts)? {
        v.push(faketime::hook(spec, shared)?);
    }
    Ok(v)
}
