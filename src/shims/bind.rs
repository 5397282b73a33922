//! TODO(this session): the bind shim. Placeholder so the chain compiles; parse() returns None
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
