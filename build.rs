//! Compiles the C fixture programs under `tests/fixtures/` that the integration tests and the
//! benchmark run under the runtime. Test-only, but cheap (a few small C files), and keeping it
//! here means `cargo test` on a fresh clone needs nothing but gcc.
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("fixtures");
    std::fs::create_dir_all(&out).unwrap();
    // The launcher loads --hook plugins to check them; the helpers they call (include/selftrace.h)
    // must resolve there as they do against libselftrace.so in traced processes.
    println!("cargo:rustc-link-arg-bin=selftrace=-Wl,--export-dynamic-symbol=selftrace_*");
    println!("cargo:rerun-if-changed=tests/fixtures");
    println!("cargo:rustc-env=SELFTRACE_FIXTURES={}", out.display());
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let Ok(dir) = std::fs::read_dir("tests/fixtures") else {
        return;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        // A fixture whose name starts with `static_` is linked statically: the launcher must
        // refuse it, since LD_PRELOAD cannot reach a static binary.
        let mut cmd = Command::new(&cc);
        cmd.args(["-O1", "-g", "-Wall", "-pthread", "-o"]).arg(out.join(&name)).arg(&path);
        if name.starts_with("static_") {
            cmd.arg("-static");
        }
        let status = cmd.status().expect("running the C compiler for test fixtures");
        assert!(status.success(), "compiling fixture {}", path.display());
    }
}
