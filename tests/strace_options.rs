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
    let masked = mask_addresses(line);
    let b = masked.as_bytes();
    let mut s = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'['
            && b.len() > i + 17
            && b[i + 17] == b']'
            && b[i + 1..i + 17].iter().all(|c| c.is_ascii_hexdigit())
        {
            // ASLR moves libraries by whole pages: the offset in the page stays.
            s.push_str(&format!("[IP..{}]", &masked[i + 14..i + 17]));
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

/// Runs the fixture under strace and selftrace with `-P` of `path` (in a scratch directory
/// where `setup` made the files; the fixture works in DIR/w, the paths relative to DIR) and
/// returns both traces and both stderrs, with the tool's name in messages as `TOOL`.
fn path_traces(path: &str, setup: fn(&std::path::Path)) -> [(Vec<String>, String); 2] {
    let strace = need("strace");
    let dir = TempDir::new("opts");
    let mut res = Vec::new();
    for prog in [strace.clone(), selftrace()] {
        let w = dir.join("w");
        let _ = std::fs::remove_dir_all(&w);
        std::fs::create_dir(&w).unwrap();
        setup(&w);
        let file = dir.join("trace.txt");
        let path = path.replace("{DIR}", dir.path().to_str().unwrap());
        let out = run(Command::new(&prog)
            .args(["-P", &path, "-o"])
            .arg(&file)
            .arg(fixture("strace_opts"))
            .arg(&w)
            .current_dir(dir.path()));
        out.assert_success();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let p = pids(&lines);
        let lines = lines.iter().map(|l| normalise(l, &p)).collect();
        // strace names itself by its argv[0].
        let err: String =
            out.stderr_str().lines().map(|l| format!("TOOL: {}\n", l.split_once(": ").map_or(l, |x| x.1))).collect();
        let err = err.replace(dir.path().to_str().unwrap(), "{DIR}");
        res.push((lines, err));
    }
    let b = res.pop().unwrap();
    [res.pop().unwrap(), b]
}

fn si_pid_masked(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|l| match l.find("si_pid=") {
            Some(i) => {
                let n = l[i + 7..].bytes().take_while(u8::is_ascii_digit).count();
                format!("{}PID{}", &l[..i + 7], &l[i + 7 + n..])
            }
            None => l.clone(),
        })
        .collect()
}

#[test]
fn trace_path_of_an_absolute_path_equals_strace() {
    // The file exists at parse time and is given by its canonical name: the program's own
    // relative `open("watched")` does not match (strace compares strings), the descriptor
    // calls on it do (their /proc/self/fd link is the name), dup's copy too; signals and the
    // exit print whatever -P says.
    let [(a, ae), (b, be)] = path_traces("{DIR}/w/watched", |w| std::fs::write(w.join("watched"), b"").unwrap());
    assert_eq!(si_pid_masked(&a), si_pid_masked(&b), "stderr: {ae}\n{be}");
    assert_eq!(ae, be);
    let want = [
        "write(3, \"hello\\n\", 6)                  = 6",
        "dup(3)                                  = 5",
        "lseek(3, 0, SEEK_SET)                   = 0",
        "close(5)                                = 0",
        "+++ exited with 0 +++",
    ];
    for w in want {
        assert!(b.contains(&w.to_owned()), "{w}\n{b:#?}");
    }
    assert!(!b.iter().any(|l| l.contains("openat(AT_FDCWD, \"watched\"") || l.contains("other")), "{b:#?}");
    assert_eq!(b.len(), 11, "{b:#?}");
}

#[test]
fn trace_path_of_a_missing_relative_path_equals_strace() {
    // It does not exist when the option is parsed: only the string as given matches (not
    // `./watched`, not the descriptors, whose links are absolute).
    let [(a, ae), (b, be)] = path_traces("watched", |_| {});
    assert_eq!(si_pid_masked(&a), si_pid_masked(&b));
    assert_eq!(ae, be);
    let b = si_pid_masked(&b);
    let calls: Vec<&str> = b.iter().map(|l| l.split('(').next().unwrap()).collect();
    assert_eq!(
        calls,
        [
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=0} ---",
            "openat",
            "newfstatat",
            "openat",
            "+++ exited with 0 +++"
        ]
        .map(|c| c.split('(').next().unwrap()),
        "{b:#?}"
    );
}

#[test]
fn trace_path_through_a_symlink_equals_strace() {
    // An existing path whose canonical form differs: both are selected, with strace's message.
    let [(a, ae), (b, be)] = path_traces("w/lnk", |w| {
        std::fs::write(w.join("watched"), b"").unwrap();
        std::os::unix::fs::symlink("watched", w.join("lnk")).unwrap();
    });
    assert_eq!(si_pid_masked(&a), si_pid_masked(&b));
    assert_eq!(ae, be);
    assert!(be.starts_with("TOOL: Requested path \"w/lnk\" resolved into \""), "{be}");
    assert!(be.trim_end().ends_with("/w/watched\""), "{be}");
    assert_eq!(be.lines().count(), 1, "{be}");
    assert!(b.iter().any(|l| l.starts_with("read(3, \"hello\\n\", 16)")), "{b:#?}");
}

#[test]
fn trace_path_reaches_child_images() {
    // sh forks and execs cat: the exec'd images filter by the same paths (the option travels in
    // SELFTRACE_OPTIONS); the other file's calls and sh's own do not print.
    let strace = need("strace");
    let dir = TempDir::new("opts");
    let f = dir.join("watched");
    std::fs::write(&f, b"hi\n").unwrap();
    let fs = f.to_str().unwrap();
    let script = format!("cat {fs}; cat /etc/hostname");
    let mut traces = Vec::new();
    for prog in [strace, selftrace()] {
        let file = dir.join("trace.txt");
        let out = run(Command::new(&prog).args(["-f", "-P", fs, "-o"]).arg(&file).args(["sh", "-c", &script]));
        out.assert_success();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<String> =
            text.lines().map(|l| l.split_once(' ').map_or(l, |x| x.1).trim_start().to_owned()).collect();
        traces.push(si_pid_masked(&lines));
    }
    // The calls in order; the three tasks' exits and sh's SIGCHLDs as a set (a child's end and
    // its parent's signal may print in either order under load, in strace as here).
    let split = |v: &[String]| {
        let (mut calls, mut ends): (Vec<String>, Vec<String>) =
            v.iter().cloned().partition(|l| !l.starts_with("+++") && !l.starts_with("---"));
        ends.sort();
        calls.extend(ends);
        calls
    };
    assert_eq!(split(&traces[0]), split(&traces[1]));
    let b = &traces[1];
    assert_eq!(b[0], format!("openat(AT_FDCWD, \"{fs}\", O_RDONLY) = 3"), "{b:#?}");
    assert!(b.contains(&"read(3, \"hi\\n\", 131072)           = 3".to_owned()), "{b:#?}");
    assert!(!b.iter().any(|l| l.contains("hostname") || l.contains("execve")), "{b:#?}");
}

#[test]
fn bad_trace_path_values_are_refused() {
    for (args, msg) in
        [(vec!["-P", ""], "selftrace: -P: the path is empty\n"), (vec!["-P"], "selftrace: option '-P' needs a value\n")]
    {
        let dir = TempDir::new("opts");
        let marker = dir.join("ran");
        let out = run(Command::new(selftrace()).args(&args).arg(fixture("touch_marker")).arg(&marker));
        assert_eq!(out.status.code(), Some(1), "{}", out.describe());
        if args.len() == 2 {
            assert_eq!(out.stderr_str(), msg);
            assert!(!marker.exists());
        } else {
            assert!(out.stderr_str().starts_with("selftrace: "), "{}", out.describe());
        }
    }
}
