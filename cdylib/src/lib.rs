//! libselftrace.so: loaded with LD_PRELOAD, it arms the trap from its constructor, before the
//! program's `main` and before most other libraries' constructors.

#![deny(unsafe_op_in_unsafe_fn)]

extern "C" fn selftrace_constructor() {
    runtime::init::preload_init();
}

// SAFETY: a function pointer in .init_array is what the dynamic loader calls at load time; the
// function takes no arguments it relies on.
#[used]
#[link_section = ".init_array"]
static CONSTRUCTOR: extern "C" fn() = selftrace_constructor;
