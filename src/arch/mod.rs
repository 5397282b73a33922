//! Architecture layer: raw system-call stubs, the restorer, the clone child entry and the
//! registers of a trapped call. Adding an architecture is adding a file here.
#[cfg_attr(target_arch = "x86_64", path = "x86_64.rs")]
mod imp;
pub use imp::*;

#[cfg(not(target_arch = "x86_64"))]
compile_error!("selftrace supports Linux x86-64 only");
