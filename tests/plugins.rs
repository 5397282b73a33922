//! C plugins (`--hook PLUGIN[:ARG]`, include/selftrace.h): every part of the ABI through a probe
//! plugin, the loader's refusals, the exported helpers.
mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plugins");

/// `cc -shared -fPIC -I include [defs] -o DIR/NAME.so SRC`.
fn compile(dir: &TempDir, src: &str, name: &str, defs: &[&str]) -> PathBuf {
    let so = dir.join(&format!("{name}.so"));
    let include = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
    let out = run(Command::new(need("cc"))
        .args(["-Wall", "-Werror", "-shared", "-fPIC", "-I", include])
        .args(defs)
        .arg("-o")
        .arg(&so)
        .arg(Path::new(SRC).join(src)));
    out.assert_success();
    so
}

/// Every field and helper of the ABI: emulation, a result changed on exit, arguments rewritten
/// (the trace still shows the program's), program memory read and written, the call's pid/tid,
/// the user pointer and ARG; init runs once in the launcher and once per process image.
#[test]
fn probe_plugin_sees_and_changes_calls() {
    need("python3");
    let dir = TempDir::new("probe");
    compile(&dir, "probe.c", "probe", &[]);
    let log = dir.join("init.log");
    let hook = format!("probe.so:{}", log.display());
    let t = dir.join("trace.txt");
    let py = "import os, errno\n\
              print(os.getppid(), os.getpgrp(), os.getpriority(999, 0) == os.getpriority(os.PRIO_PROCESS, 0), os.uname().nodename)\n\
              try:\n    open('/probe/magic')\nexcept OSError as e:\n    print(e.errno == errno.EXDEV)\n";
    // The interpreter itself (python3 on PATH may be a wrapper script starting more processes).
    let python = run(Command::new("python3").args(["-c", "import sys; print(sys.executable)"])).stdout_str();
    let script = format!("{} -c \"{py}\"; echo sh done", python.trim());
    let o = run(&mut selftrace_cmd(
        dir.path(),
        &["-f", "-o", t.to_str().unwrap(), "-e", "trace=getppid,getpriority", "--hook", &hook],
        "sh",
        &["-c", &script],
    ));
    o.assert_success();
    assert_eq!(o.stdout_str(), "4242 777 True plugged\nTrue\nsh done\n", "{}", o.describe());
    // The trace shows what the program passed and what it got.
    let trace = std::fs::read_to_string(&t).unwrap();
    assert!(trace.lines().any(|l| l.contains(" getppid()") && l.ends_with("= 4242")), "{trace}");
    let result_of = |call: &str| {
        let l = trace.lines().find(|l| l.contains(call)).unwrap_or_else(|| panic!("no {call} in\n{trace}"));
        l.rsplit(" = ").next().unwrap().to_owned()
    };
    let rewritten = result_of(" getpriority(0x3e7 /* PRIO_??? */, 0)");
    assert!(rewritten.parse::<i32>().is_ok(), "{trace}");
    assert_eq!(rewritten, result_of(" getpriority(PRIO_PROCESS, 0)"), "{trace}");
    // init: the launcher, sh, python3 (three images), each with its own pid and the ARG.
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let mut pids: Vec<&str> = lines.iter().map(|l| l.split(' ').nth(1).unwrap()).collect();
    pids.sort();
    pids.dedup();
    assert_eq!(pids.len(), 3, "{text}");
    assert!(lines.iter().all(|l| l.ends_with(&format!(" {}", log.display()))), "{text}");
    assert_eq!(lines[0], format!("init {} {}", lines[0].split(' ').nth(1).unwrap(), log.display()));
}

/// A refusal: one `selftrace: ...` line, status 1, and the program never ran.
fn refused(dir: &TempDir, hook: &str) -> String {
    let marker = dir.join("ran");
    let o = run(&mut selftrace_cmd(dir.path(), &["--hook", hook], "touch", &[marker.to_str().unwrap()]));
    assert_eq!(o.status.code(), Some(1), "{}", o.describe());
    assert!(!marker.exists(), "the program ran\n{}", o.describe());
    let e = o.stderr_str();
    assert_eq!(e.lines().count(), 1, "{}", o.describe());
    assert!(e.starts_with("selftrace: --hook '"), "{e}");
    e
}

#[test]
fn loader_refusals_are_one_line() {
    let dir = TempDir::new("refuse");
    assert_eq!(
        refused(&dir, "./nope.so:x"),
        "selftrace: --hook './nope.so:x': cannot open './nope.so': No such file or directory\n"
    );
    assert_eq!(refused(&dir, ":x"), "selftrace: --hook ':x': no plugin file (expected PLUGIN[:ARG])\n");
    std::fs::write(dir.join("text.so"), "not a shared object\n").unwrap();
    let e = refused(&dir, "text.so");
    assert!(e.contains("text.so': cannot load: ") && e.contains("text.so"), "{e}");
    let d = dir.path().display();
    compile(&dir, "bad.c", "noentry", &["-DBAD_KIND=1"]);
    assert_eq!(
        refused(&dir, "noentry.so"),
        format!("selftrace: --hook '{d}/noentry.so': {d}/noentry.so does not define selftrace_plugin_init (see include/selftrace.h)\n")
    );
    compile(&dir, "bad.c", "abi99", &["-DBAD_KIND=2"]);
    assert_eq!(
        refused(&dir, "abi99.so"),
        format!("selftrace: --hook '{d}/abi99.so': plugin built for selftrace ABI version 99, this runtime implements version 1\n")
    );
    compile(&dir, "bad.c", "null", &["-DBAD_KIND=3"]);
    assert_eq!(
        refused(&dir, "null.so:arg"),
        format!("selftrace: --hook '{d}/null.so:arg': selftrace_plugin_init refused to run (returned NULL)\n")
    );
    compile(&dir, "bad.c", "undef", &["-DBAD_KIND=5"]);
    assert_eq!(
        refused(&dir, "undef.so"),
        format!(
            "selftrace: --hook '{d}/undef.so': cannot load: {d}/undef.so: undefined symbol: selftrace_no_such_helper\n"
        )
    );
    compile(&dir, "bad.c", "badnr", &["-DBAD_KIND=4"]);
    assert_eq!(
        refused(&dir, "badnr.so"),
        format!("selftrace: --hook '{d}/badnr.so': plugin bad lists 100000, which is not a system call number\n")
    );
}

/// Raw LD_PRELOAD: the first process checks the plugins before the program runs, as the
/// launcher does, and before it creates anything (`run` fails on a state file left behind).
#[test]
fn raw_preload_refuses_a_bad_plugin() {
    let dir = TempDir::new("refuse-raw");
    compile(&dir, "bad.c", "null", &["-DBAD_KIND=3"]);
    for options in ["--hook null.so", "-c --hook null.so"] {
        let marker = dir.join("ran");
        let o = run(Command::new("touch")
            .arg(&marker)
            .env("LD_PRELOAD", preload_lib())
            .env("SELFTRACE_OPTIONS", options)
            .current_dir(dir.path()));
        assert_eq!(o.status.code(), Some(1), "{}", o.describe());
        assert!(!marker.exists());
        let want = format!(
            "selftrace: --hook '{}/null.so': selftrace_plugin_init refused to run (returned NULL)\n",
            dir.path().display()
        );
        assert_eq!(o.stderr_str(), want);
    }
}

/// The helpers of include/selftrace.h are in libselftrace.so's (and the launcher's) dynamic
/// symbol table, as functions; and every one the header declares is among them.
#[test]
fn helpers_are_exported() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/selftrace.h")).unwrap();
    let declared: Vec<String> = header
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("static") && l.contains(" selftrace_") && l.ends_with(");"))
        .filter_map(|l| l.split(" selftrace_").nth(1))
        .map(|r| format!("selftrace_{}", r.split('(').next().unwrap()))
        .filter(|n| !n.contains("plugin_init"))
        .collect();
    assert_eq!(declared.len(), 5, "{declared:?}");
    for obj in [preload_lib(), selftrace()] {
        let o = run(Command::new(need("nm")).arg("-D").arg("--defined-only").arg(&obj));
        o.assert_success();
        let syms = o.stdout_str();
        for name in &declared {
            assert!(
                syms.lines().any(|l| l.ends_with(&format!(" T {name}"))),
                "{name} not exported by {}",
                obj.display()
            );
        }
    }
}

/// The chain has room for 64 hooks: 57 plugins fit beside -c, the trace and all five shims;
/// more are refused in the launcher with one line (not a panic at the program's start-up).
#[test]
fn plugin_count_is_bounded_by_the_chain() {
    let dir = TempDir::new("many");
    compile(&dir, "bad.c", "ok", &["-DBAD_KIND=0"]);
    let hooks = |n: usize| -> Vec<&str> { (0..n).flat_map(|_| ["--hook", "ok.so"]).collect() };
    let marker = dir.join("ran");
    let o = run(&mut selftrace_cmd(dir.path(), &hooks(65), "touch", &[marker.to_str().unwrap()]));
    assert_eq!(o.status.code(), Some(1), "{}", o.describe());
    assert_eq!(o.stderr_str(), "selftrace: --hook: 65 plugins given; at most 57\n");
    assert!(!marker.exists());
    let o = run(&mut selftrace_cmd(dir.path(), &hooks(58), "touch", &[marker.to_str().unwrap()]));
    assert_eq!(o.stderr_str(), "selftrace: --hook: 58 plugins given; at most 57\n");
    assert!(!marker.exists());
    let bind = format!("{}:/selftrace-many", dir.path().display());
    let mut opts = vec![
        "-c",
        "-e",
        "trace=uname",
        "-e",
        "inject=getppid:retval=7",
        "--fake-root",
        "--uname",
        "nodename=many",
        "--fake-time",
        "+0",
        "--bind",
        &bind,
    ];
    opts.extend(hooks(57));
    let o = run(&mut selftrace_cmd(dir.path(), &opts, "uname", &["-n"]));
    o.assert_success();
    assert_eq!(o.stdout_str(), "many\n", "{}", o.describe());
}
