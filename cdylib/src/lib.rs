//! libselftrace.so: loaded with LD_PRELOAD, it arms the trap from its constructor, before the
//! program's `main` and before most other libraries' constructors.

#![deny(unsafe_op_in_unsafe_fn)]

/// glibc calls `.init_array` functions with (argc, argv, envp); the initial execve's line is
/// printed from them.
#[cfg_attr(test, allow(dead_code))]
extern "C" fn selftrace_constructor(
    _argc: libc::c_int,
    argv: *const *const libc::c_char,
    envp: *const *const libc::c_char,
) {
    runtime::init::preload_init_with(argv, envp);
}

// SAFETY: a function pointer in .init_array is what the dynamic loader calls at load time, with
// the arguments above.
// Not in this crate's own test harness, which would otherwise trace itself.
#[cfg(not(test))]
#[used]
#[link_section = ".init_array"]
static CONSTRUCTOR: extern "C" fn(libc::c_int, *const *const libc::c_char, *const *const libc::c_char) =
    selftrace_constructor;
