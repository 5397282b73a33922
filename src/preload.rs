//! [`preload!`](crate::preload!): turns a `cdylib` crate into a preload library with your hooks
//! — the same runtime as libselftrace.so, plus your [`Hook`](crate::dispatch::Hook)s in the
//! chain.

/// Options a preload library with hooks of its own runs with when started without
/// `SELFTRACE_OPTIONS` (a raw `LD_PRELOAD=libmine.so prog`): its hooks and nothing else, no
/// trace, as a user of libfaketime-style libraries expects. Under the launcher the launcher's
/// options apply as usual.
pub const HOOKS_ONLY_OPTIONS: &str = "--no-trace";

/// Makes the `cdylib` crate it is invoked in a preload library: its `.init_array` constructor
/// registers the given hooks (each an expression of type `&'static dyn Hook`, typically
/// `&MY_STATIC`) with [`init::register_hook`](crate::init::register_hook), in order, then starts
/// the runtime with [`init::preload_init_with`](crate::init::preload_init_with), before the
/// program's `main`.
///
/// Invoke it once, at the crate root or in any module. The library then works wherever
/// libselftrace.so does:
///
/// - raw: `LD_PRELOAD=/abs/libmine.so prog` runs `prog` with your hooks and, unless
///   `SELFTRACE_OPTIONS` says otherwise, nothing else (no trace: see [`HOOKS_ONLY_OPTIONS`]);
/// - under the launcher: `SELFTRACE_LIB=/abs/libmine.so selftrace [OPTIONS] -- prog` adds the
///   launcher's tracing, `-c`, shims and `--hook` plugins.
///
/// Every program the tree execs gets the same library (the runtime preloads "the shared object
/// it is linked into"), so the hooks follow the whole process tree. The library also exports the
/// C plugin helpers of `include/selftrace.h`, so `--hook` plugins load under it too.
///
/// With no hooks, `preload!()` is libselftrace.so itself (which is built exactly so).
///
/// ```no_run
/// use selftrace::dispatch::{Call, Hook, Verdict};
///
/// /// Every `getuid` says 0.
/// struct Root;
///
/// impl Hook for Root {
///     fn syscalls(&self) -> Option<syscalls::SysnoSet> {
///         Some(syscalls::SysnoSet::new(&[syscalls::Sysno::getuid]))
///     }
///     fn enter(&self, call: &mut Call) -> Verdict {
///         if call.sysno() == Some(syscalls::Sysno::getuid) {
///             return Verdict::Emulate(0);
///         }
///         Verdict::RunNoExit
///     }
/// }
///
/// static ROOT: Root = Root;
/// selftrace::preload!(&ROOT);
/// ```
#[macro_export]
macro_rules! preload {
    ($($hook:expr),* $(,)?) => {
        // SAFETY: a function pointer in .init_array is what the dynamic loader calls when it
        // loads the object, with (argc, argv, envp) as glibc passes them. Not in a test harness
        // of the crate itself, which would otherwise run under its own hooks.
        #[cfg(not(test))]
        #[used]
        #[link_section = ".init_array"]
        static __SELFTRACE_PRELOAD_CONSTRUCTOR: extern "C" fn(
            ::core::ffi::c_int,
            *const *const ::core::ffi::c_char,
            *const *const ::core::ffi::c_char,
        ) = {
            extern "C" fn selftrace_constructor(
                _argc: ::core::ffi::c_int,
                argv: *const *const ::core::ffi::c_char,
                envp: *const *const ::core::ffi::c_char,
            ) {
                $( $crate::init::register_hook($hook); )*
                $crate::init::preload_init_with(argv, envp);
            }
            selftrace_constructor
        };
        $crate::__fast_path_exports!();
    };
}
