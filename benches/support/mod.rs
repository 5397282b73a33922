//! What both benchmarks need: the launcher with its preload library beside it, and the
//! getppid loop program.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The launcher, after building libselftrace.so beside it: `cargo bench` builds the root
/// package only, and a library left from an older build would not match the launcher.
pub fn launcher() -> PathBuf {
    let launcher = PathBuf::from(env!("CARGO_BIN_EXE_selftrace"));
    let dir = launcher.parent().unwrap();
    let profile = if dir.ends_with("release") { "--release" } else { "--profile=dev" };
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet", "-p", "selftrace-preload", profile]);
    if let Some(target) = dir.parent() {
        cmd.env("CARGO_TARGET_DIR", target);
    }
    assert_eq!(cmd.status().map(|s| s.success()).ok(), Some(true), "building libselftrace.so");
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
