//! strace 6.1's options `-n` (syscall numbers), `-i` (instruction pointers), `-P` (trace paths)
//! and `-Y` (pids with process names): selftrace's lines equal strace's on the same program
//! (tests/fixtures/strace_opts.c), after normalising what differs between two runs.
mod common;
use common::*;
use std::process::Command;

/// The lines from the fixture's begin marker to the end of the trace.
fn from_begin(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    // (A filter that leaves the marker out: the whole trace.)
    let a = lines.iter().position(|l| l.contains("selftrace-begin")).unwrap_or(0);
    lines[a..].iter().map(|l| l.to_string()).collect()
}

/// The pids the program printed (getpid, getppid results, kill's target).
fn pids(lines: &[String]) -> Vec<String> {
    let mut v = Vec::new();
    for l in lines {
        for call in ["getpid()", "getppid()"] {
            if let Some(i) = l.find(call) {
                if let Some(r) = l[i..].rsplit("= ").next() {
                    v.push(r.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").to_owned());
                }
            }
        }
    }
    for l in lines {
        if let Some(i) = l.find("kill(") {
            v.push(l[i + 5..].split(',').next().unwrap_or("").to_owned());
        }
    }
    v.retain(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    v.sort();
    v.dedup();
    v
}

/// Addresses (0x and six or more hex digits) become 0xADDR, -i's `[` 16 hex digits `]` become
/// `[IP..xyz]` (the last three digits kept), the run's pids become PID (and such a line loses its padding before ` = `, which the
/// pid's width moves).
fn normalise(line: &str, pids: &[String]) -> String {
    let b = line.as_bytes();
    let mut s = String::new();
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
        if b[i] == b'['
            && b.len() > i + 17
            && b[i + 17] == b']'
            && b[i + 1..i + 17].iter().all(|c| c.is_ascii_hexdigit())
        {
            // ASLR moves libraries by whole pages: the offset in the page stays.
            s.push_str(&format!("[IP..{}]", &line[i + 14..i + 17]));
            i += 18;
            continue;
        }
        s.push(b[i] as char);
        i += 1;
    }
    let mut out = String::new();
    let mut changed = false;
    for (k, w) in s.split_inclusive(|c: char| !c.is_ascii_digit()).enumerate() {
        let _ = k;
        let digits = w.trim_end_matches(|c: char| !c.is_ascii_digit());
        if !digits.is_empty() && pids.iter().any(|p| p == digits) {
            out.push_str("PID");
            out.push_str(&w[digits.len()..]);
            changed = true;
        } else {
            out.push_str(w);
        }
    }
    if changed {
        if let Some(i) = out.find(" = ") {
            out = format!("{} = {}", out[..i].trim_end(), &out[i + 3..]);
        }
    }
    out
}

/// Runs the fixture under strace and selftrace with `opts` (each with `-o FILE`) and returns
/// both traces from the begin marker, normalised.
fn both(opts: &[&str]) -> (Vec<String>, Vec<String>) {
    let strace = need("strace");
    let dir = TempDir::new("opts");
    let (so, fo) = (dir.join("strace.txt"), dir.join("selftrace.txt"));
    let mut traces = Vec::new();
    for (prog, file) in [(strace.clone(), &so), (selftrace(), &fo)] {
        let work = dir.join("work");
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir(&work).unwrap();
        let out = run(Command::new(&prog).args(opts).arg("-o").arg(file).arg(fixture("strace_opts")).arg(&work));
        out.assert_success();
        let lines = from_begin(&std::fs::read_to_string(file).unwrap());
        let p = pids(&lines);
        traces.push(lines.iter().map(|l| normalise(l, &p)).collect::<Vec<_>>());
    }
    let b = traces.pop().unwrap();
    let a = traces.pop().unwrap();
    (a, b)
}

fn assert_same(opts: &[&str]) -> Vec<String> {
    let (a, b) = both(opts);
    assert!(a.len() >= 3, "strace's trace is too short for {opts:?}: {a:#?}");
    let mut diffs = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).map_or("<none>", String::as_str), b.get(i).map_or("<none>", String::as_str));
        if x != y {
            diffs.push(format!("line {i}\n  strace:    {x}\n  selftrace: {y}"));
        }
    }
    assert!(diffs.is_empty(), "{opts:?}: {} of {} lines differ:\n{}", diffs.len(), a.len(), diffs.join("\n"));
    a
}

#[test]
fn syscall_numbers_equal_strace() {
    let lines = assert_same(&["-n"]);
    // The form itself, not only the agreement: `[%4u] ` before the name, counted in the column
    // of ` = `; the signal's line and the exit's carry the task's latest number.
    assert!(lines.contains(&"[  39] getpid() = PID".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"[   3] close(3)                         = 0".to_owned()), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("[  62] --- SIGUSR1 {")), "{lines:#?}");
    assert_eq!(lines.last().map(String::as_str), Some("[ 231] +++ exited with 0 +++"), "{lines:#?}");
}

#[test]
fn syscall_numbers_with_timestamps_and_filters_equal_strace() {
    // -t's stamp comes first; a filter does not change the numbers of what prints.
    let (a, b) = both(&["-n", "-t", "-e", "trace=getppid,kill"]);
    let strip = |v: Vec<String>| v.into_iter().map(|l| l.split_once(' ').unwrap().1.to_owned()).collect::<Vec<_>>();
    let (a, b) = (strip(a), strip(b));
    assert_eq!(a, b);
    assert!(a.contains(&"[ 110] getppid() = PID".to_owned()), "{a:#?}");
}

#[test]
fn syscall_numbers_with_threads_prefix_and_resume() {
    // Threads' lines: `[pid N] [ NR] ` (the prefix first), and a resumed call keeps its number.
    let dir = TempDir::new("opts");
    let opts = ["-f", "-n", "-e", "trace=getppid,getuid,futex,exit"];
    let out = run(&mut selftrace_cmd(dir.path(), &opts, fixture("threads"), &["3", "20", "5", "20"]));
    out.assert_success();
    let text = out.stderr_str();
    let nr = |name: &str| match name {
        "getppid" => 110,
        "getuid" => 102,
        "futex" => 202,
        "exit" => 60,
        _ => 231,
    };
    let mut prefixed = 0;
    for l in text.lines() {
        let rest = match l.strip_prefix("[pid ") {
            Some(r) => {
                prefixed += 1;
                r.split_once("] ").map(|(_, r)| r).unwrap_or("")
            }
            None => l,
        };
        let (num, body) = rest.split_at(7.min(rest.len()));
        let call = body.strip_prefix("<... ").unwrap_or(body);
        let name = call.split([' ', '(']).next().unwrap_or("");
        if body.starts_with("+++") {
            assert!(num == "[  60] " || num == "[ 231] " || num == "[ 202] ", "{l}\n{text}");
        } else {
            assert_eq!(num, format!("[{:4}] ", nr(name)), "{l}\n{text}");
        }
    }
    assert!(prefixed > 20, "{text}");
}

#[test]
fn syscall_numbers_in_json() {
    let dir = TempDir::new("opts");
    let out = run(&mut selftrace_cmd(dir.path(), &["--json", "-n", "-e", "trace=getppid"], fixture("marker"), &["2"]));
    out.assert_success();
    let objs: Vec<&str> = out.stderr_str().leak().lines().filter(|l| l.contains("getppid")).collect();
    assert_eq!(objs.len(), 2, "{}", out.describe());
    for o in objs {
        assert!(o.starts_with("{\"pid\":") && o.ends_with(",\"nr\":110}"), "{o}");
    }
}

#[test]
fn instruction_pointers_equal_strace() {
    // Each address is the one after the program's `syscall` instruction in libc, so its offset
    // in the page equals strace's (ASLR moves whole pages); write, read, lseek and close, which
    // would otherwise take the fast path, trap like the rest.
    let lines = assert_same(&["-i"]);
    let ip = |name: &str| -> Vec<String> {
        lines.iter().filter(|l| l.contains(name)).map(|l| l.split(']').next().unwrap().to_owned()).collect()
    };
    for call in ["] write(", "] read(", "] close(", "] lseek(", "] getppid(", "] rt_sigreturn("] {
        assert!(!ip(call).is_empty(), "no {call}: {lines:#?}");
        assert!(ip(call).iter().all(|a| a.starts_with("[IP..")), "{call}: {lines:#?}");
    }
    // One call site, one address.
    let g = ip("] getppid(");
    assert_eq!(g.len(), 3);
    assert!(g.iter().all(|a| *a == g[0]), "{g:?}");
    // The signal the program sent itself shows kill's address; a task that is gone has none.
    assert_eq!(ip("] kill("), ip("--- SIGUSR1"));
    assert_eq!(lines.last().map(String::as_str), Some("[????????????????] +++ exited with 0 +++"), "{lines:#?}");
}

#[test]
fn instruction_pointers_in_libc_text() {
    // The addresses themselves, not normalised: each lies in an executable mapping of the
    // program's libc (the fixture copies its /proc/self/maps to stdout at the end), or is
    // `[????????????????]` for the exit of a task that is gone.
    let dir = TempDir::new("opts");
    let work = dir.join("work");
    std::fs::create_dir(&work).unwrap();
    let out =
        run(&mut selftrace_cmd(dir.path(), &["-i", "-n"], fixture("strace_opts"), &[work.to_str().unwrap(), "maps"]));
    out.assert_success();
    let libc: Vec<(u64, u64)> = out
        .stdout_str()
        .lines()
        .filter(|l| l.contains(" r-xp ") && l.contains("/libc.so"))
        .filter_map(|l| {
            let (a, b) = l.split_whitespace().next()?.split_once('-')?;
            Some((u64::from_str_radix(a, 16).ok()?, u64::from_str_radix(b, 16).ok()?))
        })
        .collect();
    assert!(!libc.is_empty(), "no libc text in the maps\n{}", out.describe());
    let text = out.stderr_str();
    let lines: Vec<String> = from_begin(&text).into_iter().take_while(|l| !l.contains("/proc/self/maps")).collect();
    assert!(lines.len() > 20, "{text}");
    for l in &lines {
        let (n, rest) = l.split_at(7);
        assert!(n.starts_with('[') && n.ends_with("] "), "{l}");
        let a = &rest[..19];
        assert!(a.starts_with('[') && a.ends_with("] "), "{l}");
        let v = u64::from_str_radix(&a[1..17], 16).unwrap_or_else(|_| panic!("{l}"));
        assert!(libc.iter().any(|&(lo, hi)| (lo..hi).contains(&v)), "{l} is outside libc's text {libc:x?}");
    }
}
