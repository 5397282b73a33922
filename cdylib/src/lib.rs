//! libselftrace.so: loaded with LD_PRELOAD, it arms the trap from its constructor, before the
//! program's `main` and before most other libraries' constructors. It is the runtime with no
//! hooks of its own: exactly what a user's `selftrace::preload!(...)` library is, minus theirs.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

runtime::preload!();
