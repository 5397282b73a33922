//! Bad input is refused before the program runs: a non-zero exit and exactly one line on stderr,
//! starting with `selftrace: ` and naming the culprit; never a panic. Each case runs
//! touch_marker (or static_hello) with a file path, and checks that file was not created.
mod common;
use common::*;
use std::process::Command;

/// Asserts the refusal: non-zero exit, one stderr line `selftrace: ...` containing every one of
/// `names` (case-insensitive), nothing on stdout, and `marker` not created.
fn assert_refused(out: &Output, names: &[&str], marker: &std::path::Path) {
    assert!(out.status.code().is_some_and(|c| c != 0), "expected a non-zero exit code\n{}", out.describe());
    let stderr = out.stderr_str();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected exactly one line on stderr\n{}", out.describe());
    assert!(stderr.ends_with('\n'), "the line is not newline-terminated\n{}", out.describe());
    assert!(lines[0].starts_with("selftrace: "), "the line does not start with `selftrace: `\n{}", out.describe());
    for name in names {
        assert!(
            lines[0].to_lowercase().contains(&name.to_lowercase()),
            "the message does not name {name:?}\n{}",
            out.describe()
        );
    }
    assert!(out.stdout.is_empty(), "unexpected stdout\n{}", out.describe());
    assert!(!marker.exists(), "the program ran (created {})\n{}", marker.display(), out.describe());
}

/// Runs `selftrace ARGS` where ARGS may contain "{M}" for the marker file path and "{TOUCH}" for
/// the touch_marker fixture.
fn refused(args: &[&str], names: &[&str]) {
    let dir = TempDir::new("errors");
    let marker = dir.join("ran");
    let m = marker.to_str().unwrap().to_owned();
    let touch = fixture("touch_marker").to_str().unwrap().to_owned();
    let args: Vec<String> = args.iter().map(|a| a.replace("{M}", &m).replace("{TOUCH}", &touch)).collect();
    let out = run(Command::new(selftrace()).args(&args).current_dir(dir.path()));
    assert_refused(&out, names, &marker);
}

/// Sanity: the marker mechanism works, under the launcher too.
#[test]
fn touch_marker_runs_when_input_is_good() {
    let dir = TempDir::new("errors-ok");
    let marker = dir.join("ran");
    let out = run(Command::new(selftrace())
        .args(["-c", "-o"])
        .arg(dir.join("summary.txt"))
        .arg(fixture("touch_marker"))
        .arg(&marker)
        .current_dir(dir.path()));
    out.assert_success();
    assert!(marker.exists(), "{}", out.describe());
}

#[test]
fn unknown_option() {
    refused(&["--bogus", "{TOUCH}", "{M}"], &["--bogus"]);
    refused(&["-c", "-K", "{TOUCH}", "{M}"], &["-K"]);
}

#[test]
fn missing_program() {
    for args in [&[][..], &["-c"][..], &["-f", "-c", "--"][..]] {
        let dir = TempDir::new("errors");
        let out = run(Command::new(selftrace()).args(args).current_dir(dir.path()));
        assert_refused(&out, &[], &dir.join("ran"));
        let line = out.stderr_str().to_lowercase();
        assert!(
            ["prog", "command", "usage"].iter().any(|w| line.contains(w)),
            "the message does not say a program is missing\n{}",
            out.describe()
        );
    }
}

#[test]
fn missing_option_value() {
    // `-o` as the last argument: no file, no program.
    refused(&["-c", "-o"], &["-o"]);
    refused(&["--backend"], &["--backend"]);
}

#[test]
fn nonexistent_program() {
    refused(&["-c", "/nonexistent/prog", "{M}"], &["/nonexistent/prog"]);
    refused(&["-c", "no-such-program-selftrace-test", "{M}"], &["no-such-program-selftrace-test"]);
}

#[test]
fn unwritable_output_file() {
    refused(&["-c", "-o", "/nonexistent/dir/out", "{TOUCH}", "{M}"], &["/nonexistent/dir/out"]);
}

#[test]
fn bad_backend() {
    refused(&["--backend", "bogus", "-c", "{TOUCH}", "{M}"], &["bogus"]);
}

#[test]
fn statically_linked_program() {
    // Natively it runs and creates its file.
    let dir = TempDir::new("static-native");
    let m = dir.join("ran");
    native(fixture("static_hello"), &[m.to_str().unwrap()]).assert_success();
    assert!(m.exists());

    let prog = fixture("static_hello");
    let p = prog.to_str().unwrap().to_owned();
    refused(&["-c", &p, "{M}"], &[&p, "static"]);
}

/// Raw LD_PRELOAD with bad SELFTRACE_OPTIONS: the same one-line refusal, and the program does
/// not run.
fn preload_refused(options: &str, names: &[&str]) {
    let dir = TempDir::new("preload-errors");
    let marker = dir.join("ran");
    let out = run(Command::new(fixture("touch_marker"))
        .arg(&marker)
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", options)
        .current_dir(dir.path()));
    assert_refused(&out, names, &marker);
}

#[test]
fn preload_bad_options() {
    preload_refused("--bogus", &["--bogus"]);
    preload_refused("-c --backend bogus", &["bogus"]);
}

#[test]
fn preload_unwritable_output_file() {
    preload_refused("-c -o /nonexistent/dir/out", &["/nonexistent/dir/out"]);
}

/// A set-user-ID program whose owner is not the caller runs with AT_SECURE, so the dynamic
/// loader ignores LD_PRELOAD: refused like a static one (README: "statically linked or
/// set-user-ID program"). Needs root, to give the file another owner.
#[test]
fn setuid_program_of_another_user() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = TempDir::new("setuid");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let prog = dir.join("touch_marker_suid");
    std::fs::copy(fixture("touch_marker"), &prog).unwrap();
    if std::fs::metadata(&prog).unwrap().uid() != 0 {
        eprintln!("not root: cannot make a set-user-ID file owned by someone else; skipping");
        return;
    }
    std::os::unix::fs::chown(&prog, Some(65534), Some(65534)).unwrap();
    std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o4755)).unwrap();
    // Natively it runs (as uid 65534) and creates its file.
    let m = dir.join("ran-natively");
    native(&prog, &[m.to_str().unwrap()]).assert_success();
    assert!(m.exists(), "the set-user-ID fixture did not run natively");

    let p = prog.to_str().unwrap().to_owned();
    let marker = dir.join("ran");
    let out = run(Command::new(selftrace()).args(["-c", &p]).arg(&marker).current_dir(dir.path()));
    assert_refused(&out, &[&p], &marker);
}

/// A set-user-ID program owned by the caller changes no credentials: no AT_SECURE, LD_PRELOAD
/// works, so it is traced normally.
#[test]
fn setuid_program_of_the_caller_is_traced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("setuid-own");
    let prog = dir.join("counts_suid");
    std::fs::copy(fixture("counts"), &prog).unwrap();
    std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o4755)).unwrap();
    let t = trace(&["-f"], &prog, &["10", "0", "0", "0", "0"]);
    t.out.assert_success();
    t.summary.expect("getppid", 10, 0);
}

/// A state file from another build of selftrace (a stale libselftrace.so beside a newer
/// launcher, or the reverse) is refused with one line before the program runs; it must never be
/// read with the wrong layout.
#[test]
fn state_from_another_build_is_refused() {
    let dir = TempDir::new("errors");
    let state = dir.join("state");
    std::fs::write(&state, vec![0x5au8; 4096]).unwrap();
    let marker = dir.join("ran");
    let out = run(Command::new(fixture("touch_marker"))
        .arg(&marker)
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_STATE", &state)
        .env("SELFTRACE_OPTIONS", "-c"));
    assert_refused(&out, &["different build", "same build"], &marker);
}

/// `-o |CMD` cannot be honoured by a raw run (CMD would be the program's child), nor combined
/// with -ff (strace refuses that too).
#[test]
fn output_pipes_that_cannot_be() {
    preload_refused("-o |cat", &["-o |CMD", "launcher"]);
    refused(&["-ff", "-o", "|cat", "{TOUCH}", "{M}"], &["piping", "-ff"]);
}

/// -p cannot be done in-process, -u needs a user that exists (and root), and -E/-u are the
/// launcher's: each is refused with its own line before the program runs.
#[test]
fn attach_user_and_env_refusals() {
    refused(&["-p", "1"], &["-p", "attach"]);
    refused(&["-u", "no-such-user-here", "{TOUCH}", "{M}"], &["no-such-user-here"]);
    preload_refused("-E X=1", &["-E", "launcher"]);
    preload_refused("-u nobody", &["-u", "launcher"]);
}
