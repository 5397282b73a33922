//! What both benchmarks need: the launcher with its preload library beside it, and the
//! getppid loop program.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The launcher, after building libselftrace.so beside it if it is missing.
pub fn launcher() -> PathBuf {
    let launcher = PathBuf::from(env!("CARGO_BIN_EXE_selftrace"));
    let dir = launcher.parent().unwrap();
    if !dir.join("libselftrace.so").exists() {
        let profile = if dir.ends_with("release") { "--release" } else { "--profile=dev" };
        let ok = Command::new(env!("CARGO"))
            .args(["build", "-p", "selftrace-preload", profile])
            .status()
            .map(|s| s.success());
        assert_eq!(ok.ok(), Some(true), "building libselftrace.so");
    }
    launcher
}

/// benches/getppid.c compiled beside the launcher.
pub fn getppid_program(launcher: &Path) -> PathBuf {
    let prog = launcher.parent().unwrap().join("bench-getppid");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/getppid.c");
    let st = Command::new("cc").args(["-O2", "-o"]).arg(&prog).arg(&src).status().expect("cc");
    assert!(st.success(), "compiling {}", src.display());
    prog
}

/// Whether cargo runs the benchmark (`cargo bench` passes --bench; `cargo test` runs bench
/// targets without it, in test mode: they then do nothing).
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}
