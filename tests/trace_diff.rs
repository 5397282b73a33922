//! Differential tracing: selftrace's lines equal strace 6.1's for the same program
//! (tests/fixtures/trace_calls.c: 60+ distinct calls with errors, bad pointers, flags and
//! structures), after normalising what differs between two runs (addresses, pids, times).
mod common;
use common::*;
use std::process::Command;

/// The lines between the fixture's two marker calls.
fn region(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut on = false;
    for l in text.lines() {
        if l.contains("\"/selftrace-begin\"") {
            on = true;
        }
        if on {
            out.push(l.to_owned());
        }
        if l.contains("\"/selftrace-end\"") {
            break;
        }
    }
    out
}

/// Addresses (0x and six or more hex digits), the run's pids, and time values.
fn normalise(line: &str, pids: &[String]) -> String {
    let mut s = String::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"0x") {
            let n = b[i + 2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            if n >= 6 {
                s.push_str("0xADDR");
                i += 2 + n;
                continue;
            }
        }
        s.push(b[i] as char);
        i += 1;
    }
    for p in pids {
        s = s.replace(&format!("({p},"), "(PID,").replace(&format!("= {p}"), "= PID");
    }
    for key in ["tv_sec=", "tv_usec=", "tv_nsec="] {
        let mut t = String::new();
        let mut rest = s.as_str();
        while let Some(k) = rest.find(key) {
            t.push_str(&rest[..k + key.len()]);
            rest = &rest[k + key.len()..];
            let n = rest.bytes().take_while(|c| c.is_ascii_digit()).count();
            t.push('N');
            rest = &rest[n..];
        }
        t.push_str(rest);
        s = t;
    }
    s
}

/// The pid and parent pid the program printed through getpid/getppid/gettid lines.
fn pids(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.starts_with("getpid()") || l.starts_with("getppid()") || l.starts_with("gettid()") || l.starts_with("getpgrp()"))
        .filter_map(|l| l.rsplit("= ").next().map(str::to_owned))
        .collect()
}

#[test]
fn trace_lines_equal_strace() {
    let strace = need("strace");
    let dir = TempDir::new("diff");
    let work = dir.join("work");
    std::fs::create_dir(&work).unwrap();
    let (so, fo) = (dir.join("strace.txt"), dir.join("selftrace.txt"));
    let out = run(Command::new(&strace).arg("-o").arg(&so).arg(fixture("trace_calls")).arg(&work));
    out.assert_success();
    std::fs::remove_dir_all(&work).unwrap();
    std::fs::create_dir(&work).unwrap();
    let out = run(Command::new(selftrace()).arg("-o").arg(&fo).arg(fixture("trace_calls")).arg(&work));
    out.assert_success();
    let a = region(&std::fs::read_to_string(&so).unwrap());
    let b = region(&std::fs::read_to_string(&fo).unwrap());
    assert!(a.len() >= 90, "strace's region is too short: {a:#?}");
    let (pa, pb) = (pids(&a), pids(&b));
    let a: Vec<String> = a.iter().map(|l| normalise(l, &pa)).collect();
    let b: Vec<String> = b.iter().map(|l| normalise(l, &pb)).collect();
    let mut diffs = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).map(String::as_str).unwrap_or("<none>"), b.get(i).map(String::as_str).unwrap_or("<none>"));
        if x != y {
            diffs.push(format!("line {i}\n  strace:    {x}\n  selftrace: {y}"));
        }
    }
    assert!(diffs.is_empty(), "{} of {} lines differ:\n{}", diffs.len(), a.len(), diffs.join("\n"));
}
