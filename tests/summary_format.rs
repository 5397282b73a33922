//! The `-c` table parser itself (tests/common), checked against real strace 6.1 output, so that
//! the other tests' "well-formed summary" assertions mean "laid out exactly as strace does".
mod common;
use common::*;
use std::process::Command;

const STRACE_61: &str = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 60.79    0.016878          16      1000           getppid
 26.56    0.007374          24       300           getuid
  5.39    0.001496          24        60        40 getpriority
  4.02    0.001117          15        70           getpgrp
  1.04    0.000290         290         1           execve
  0.00    0.000000           0         1         1 access
------ ----------- ----------- --------- --------- ----------------
100.00    0.027155          18      1432        41 total
";

#[test]
fn parses_strace_output() {
    let s = parse_summary(STRACE_61);
    s.expect("getppid", 1000, 0);
    s.expect("getpriority", 60, 40);
    s.expect("access", 1, 1);
    s.expect("getpid", 0, 0);
    assert_eq!((s.total.calls, s.total.errors), (1432, 41));
    assert_eq!(s.order[0], "getppid");
    assert_eq!(s.order.len(), 6);
}

#[test]
fn parses_widened_columns() {
    // strace 6.1 with a 17-character name: the name column widens to 18.
    let text = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ------------------
 99.37   37.044969          18   2000048           getppid
  0.45    0.167751        2096        80        40 wait4
  0.00    0.000000           0         1           sched_getaffinity
------ ----------- ----------- --------- --------- ------------------
100.00   37.212720          18   2000129        40 total
";
    parse_summary(text).expect("sched_getaffinity", 1, 0);
    // 10-digit total calls: the calls column (and its header) widen to 10.
    let wide = "\
% time     seconds  usecs/call      calls    errors syscall
------ ----------- ----------- ---------- --------- ----------------
100.00    1.000000           0 1234567890           getppid
------ ----------- ----------- ---------- --------- ----------------
100.00    1.000000           0 1234567890           total
";
    parse_summary(wide).expect("getppid", 1234567890, 0);
}

#[test]
fn rejects_deviations_from_strace_layout() {
    let swapped = STRACE_61.replace(
        " 60.79    0.016878          16      1000           getppid\n 26.56    0.007374          24       300           getuid\n",
        " 26.56    0.007374          24       300           getuid\n 60.79    0.016878          16      1000           getppid\n",
    );
    assert_ne!(swapped, STRACE_61);
    let bad = [
        ("errors printed as 0", STRACE_61.replace("     1000           getppid", "     1000         0 getppid")),
        ("header misaligned", STRACE_61.replace("% time     seconds", "% time    seconds ")),
        ("total does not add up", STRACE_61.replace("1432        41 total", "1433        41 total")),
        ("trailing line", format!("{STRACE_61}extra\n")),
        ("no final newline", STRACE_61.trim_end().to_owned()),
        ("not sorted by time", swapped),
        ("name padded", STRACE_61.replace("getuid\n", "getuid   \n")),
        ("tab separated", STRACE_61.replace("    1000           getppid", "    1000\t          getppid")),
        ("no total row", STRACE_61.replace("total", "totl")),
        ("3 decimals in seconds", STRACE_61.replace("    0.016878", "     0.01688")),
        (
            "name column not widened",
            "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
100.00    0.000001           1         1           sched_getaffinity
------ ----------- ----------- --------- --------- ----------------
100.00    0.000001           1         1           total
"
            .to_owned(),
        ),
    ];
    for (what, text) in bad {
        assert!(try_parse_summary(&text).is_err(), "accepted a table with {what}:\n{text}");
    }
}

/// The parser accepts what strace 6.1 itself prints here, for a single process and for a tree.
#[test]
fn accepts_real_strace_tables() {
    let Some(strace) = which("strace") else {
        eprintln!("strace not installed: skipping");
        return;
    };
    let dir = TempDir::new("strace-format");
    let marker = fixture("marker").to_str().unwrap().to_owned();
    let cases: [(&str, Vec<&str>); 2] =
        [("counts", vec!["1000", "300", "20", "40", "70"]), ("procs", vec![&marker, "7", "1000", "200", "30", "0"])];
    for (name, args) in cases {
        let file = dir.join("strace.txt");
        let out = run(Command::new(&strace)
            .args(["-f", "-c", "-o"])
            .arg(&file)
            .arg(fixture(name))
            .args(&args)
            .current_dir(dir.path()));
        out.assert_success();
        let s = read_summary(&file, &out);
        assert!(s.calls("getppid") >= 1000, "{}", s.text);
    }
}
