//! Decoders: the net family (see the module docs of `decode` for the pattern).

use super::DecodeFn;

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let _ = nr;
    None
}
