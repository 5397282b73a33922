//! `--uname FIELD=VALUE,...`: uname(2) reports the given fields, the others stay the kernel's;
//! bad specs are refused before the program starts.
mod common;
use common::*;
use std::path::PathBuf;

/// Only the program's output: no trace lines, no exit or signal lines.
const QUIET: [&str; 5] = ["-qq", "-e", "trace=none", "-e", "signal=none"];

/// One line of native `uname OPT`.
fn native_field(opt: &str) -> String {
    let out = native(need("uname"), &[opt]);
    out.assert_success();
    out.stdout_str().trim_end_matches('\n').to_owned()
}

/// What native `uname -a` prints after the five kernel fields (processor, platform, OS).
fn native_a_suffix() -> String {
    let head = ["-s", "-n", "-r", "-v", "-m"].map(native_field).join(" ");
    let all = native_field("-a");
    all.strip_prefix(&head).unwrap_or_else(|| panic!("uname -a {all:?} does not start with {head:?}")).to_owned()
}

/// `selftrace QUIET OPTS -- PROG ARGS`; must succeed with nothing on stderr; its stdout.
fn run_quiet(opts: &[&str], prog: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> String {
    let dir = TempDir::new("uname");
    let mut all = QUIET.to_vec();
    all.extend(opts);
    let out = run(&mut selftrace_cmd(dir.path(), &all, prog, args));
    out.assert_success();
    assert_eq!(out.stderr_str(), "", "{}", out.describe());
    out.stdout_str()
}

/// The interpreter itself, not a wrapper script (a pyenv shim execs bash: no exec on seccomp).
fn python() -> PathBuf {
    let out = native(need("python3"), &["-c", "import sys; print(sys.executable)"]);
    out.assert_success();
    PathBuf::from(out.stdout_str().trim())
}

const PY: &str = "import os, platform\nu = os.uname(); print(u.sysname, u.nodename, u.release, u.version, u.machine)\n\
                  p = platform.uname(); print(p.system, p.node, p.release, p.version, p.machine)";

#[test]
fn partial_spec_through_sh() {
    let out = run_quiet(
        &["--uname", "nodename=box,release=9.9-fake"],
        need("sh"),
        &["-c", "uname -a; uname -n; uname -r; uname -s; uname -m; hostname"],
    );
    let (s, v, m) = (native_field("-s"), native_field("-v"), native_field("-m"));
    assert_eq!(out, format!("{s} box 9.9-fake {v} {m}{}\nbox\n9.9-fake\n{s}\n{m}\nbox\n", native_a_suffix()));
}

#[test]
fn every_field() {
    let spec = "sysname=Plan9,nodename=n1,release=4.0,version=#7 Tue,machine=mips,domainname=example.org";
    for backend in ["sud", "seccomp"] {
        let out = run_quiet(&["--backend", backend, "--uname", spec], need("uname"), &["-snrvm"]);
        assert_eq!(out, "Plan9 n1 4.0 #7 Tue mips\n", "{backend}");
        let out = run_quiet(&["--backend", backend, "--uname", spec], python(), &["-c", PY]);
        assert_eq!(out, "Plan9 n1 4.0 #7 Tue mips\nPlan9 n1 4.0 #7 Tue mips\n", "{backend}");
        // glibc's getdomainname reads uname's domainname.
        let out = run_quiet(&["--backend", backend, "--uname", spec], need("domainname"), &[]);
        assert_eq!(out, "example.org\n", "{backend}");
        let out = run_quiet(&["--backend", backend, "--uname", spec], need("hostname"), &[]);
        assert_eq!(out, "n1\n", "{backend}");
    }
}

#[test]
fn repeated_options_combine_later_wins() {
    let out = run_quiet(
        &["--uname", "nodename=a,release=1", "--uname", "nodename=b", "--uname", r"version=x\,y"],
        need("uname"),
        &["-nrv"],
    );
    assert_eq!(out, "b 1 x,y\n");
    let max = "r".repeat(64);
    let out = run_quiet(&["--uname", &format!("release={max}")], need("uname"), &["-r"]);
    assert_eq!(out, format!("{max}\n"));
    // The kernel's values elsewhere, in every process of the tree.
    let out = run_quiet(&["--uname", "release=1"], need("sh"), &["-c", "uname -s | cat; uname -r"]);
    assert_eq!(out, format!("{}\n1\n", native_field("-s")));
}

#[test]
fn trace_shows_what_the_program_got() {
    let dir = TempDir::new("uname-trace");
    let out = run(&mut selftrace_cmd(
        dir.path(),
        &["-qq", "-e", "trace=uname", "--uname", "sysname=S,nodename=N"],
        need("uname"),
        &["-n"],
    ));
    out.assert_success();
    assert_eq!(out.stdout_str(), "N\n");
    let line = "uname({sysname=\"S\", nodename=\"N\", ...})";
    assert_eq!(out.stderr_str(), format!("{line:<39} = 0\n"), "{}", out.describe());
}

#[test]
fn bad_specs_are_refused_before_the_program_starts() {
    let cases = [
        ("host=x", "selftrace: --uname: unknown field 'host' (fields: sysname, nodename, release, version, machine, domainname)\n"),
        ("nodename", "selftrace: --uname: 'nodename' is not FIELD=VALUE (in 'nodename')\n"),
        ("nodename=a,", "selftrace: --uname: '' is not FIELD=VALUE (in 'nodename=a,')\n"),
        ("", "selftrace: --uname: '' is not FIELD=VALUE (in '')\n"),
    ];
    let long = format!("release={}", "x".repeat(65));
    let long_msg = "selftrace: --uname: release is 65 bytes long; at most 64 fit\n";
    for (spec, msg) in cases.iter().copied().chain([(long.as_str(), long_msg)]) {
        let dir = TempDir::new("uname-bad");
        let out = run(&mut selftrace_cmd(dir.path(), &["--uname", spec], need("touch"), &["ran"]));
        assert_eq!(out.status.code(), Some(1), "{}", out.describe());
        assert_eq!(out.stderr_str(), msg);
        assert_eq!(out.stdout_str(), "");
        assert!(!dir.join("ran").exists(), "the program ran despite a bad spec");
    }
}
