//! TODO(this session): the faketime shim. Placeholder so the chain compiles; parse() returns None
//! until it is written.

use crate::dispatch::Hook;
use crate::options::Options;
use crate::state::Shared;

/// The parsed spec.
pub struct Spec;

/// The spec from the options, if the shim is asked for; a malformed spec is an error.
pub fn parse(_opts: &Options) -> Result<Option<Spec>, String> {
    Ok(None)
}

/// The shim's hook. Start-up only.
pub fn hook(_spec: Spec, _shared: &'static Shared) -> &'static dyn Hook {
    unimplemented!()
}

/// What every process of the tree shares about the virtual clock (lives in the state file).
#[repr(C)]
#[derive(Default)]
pub struct SharedClock {
    _reserved: core::sync::atomic::AtomicU64,
}

/// Fixes the virtual clock's origin for a new tree.
pub fn setup_new_state(_opts: &Options, _shared: &'static Shared) -> Result<(), String> {
    Ok(())
}
