//! Differential tracing: selftrace's lines equal strace 6.1's for the same program
//! (tests/fixtures/trace_calls.c: 60+ distinct calls with errors, bad pointers, flags and
//! structures), after normalising what differs between two runs (addresses, pids, times).
mod common;
use common::*;
use std::process::Command;

/// The lines between the fixture's two marker calls (their paths may print in hex, with -xx).
fn region(text: &str) -> Vec<String> {
    let hex = |s: &str| s.bytes().map(|b| format!("\\x{b:02x}")).collect::<String>();
    let is = |l: &str, m: &str| l.contains(m) || l.contains(&hex(m));
    let lines: Vec<&str> = text.lines().collect();
    let Some(a) = lines.iter().position(|l| is(l, "selftrace-begin")) else { return Vec::new() };
    let Some(b) = lines.iter().rposition(|l| is(l, "selftrace-end")) else { return Vec::new() };
    lines[a..=b.max(a)].iter().map(|l| l.to_string()).collect()
}

/// Addresses (0x and six or more hex digits), the run's pids, time values, and the inode numbers
/// -y shows for pipes and sockets (`<pipe:[309493]>`).
fn normalise(line: &str, pids: &[String]) -> String {
    let mut s = mask_addresses(line);
    for p in pids {
        // kcmp names the process twice: `kcmp(PID, PID, ...`.
        let masked = s
            .replace(&format!("({p},"), "(PID,")
            .replace(&format!("(PID, {p},"), "(PID, PID,")
            .replace(&format!("= {p}"), "= PID");
        if masked != s {
            // A pid's width moves the result column: compare such lines without their padding.
            s = masked.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        }
    }
    for key in ["tv_sec=", "tv_usec=", "tv_nsec=", ":["] {
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
        .filter_map(|l| {
            if ["getpid()", "getppid()", "gettid()", "getpgrp()"].iter().any(|c| l.starts_with(c)) {
                l.rsplit("= ").next().map(str::to_owned)
            } else {
                l.strip_prefix("kill(").and_then(|r| r.split(',').next()).map(str::to_owned)
            }
        })
        .collect()
}

/// Runs the fixture under strace and under selftrace with `opts` and compares the marked
/// regions line by line.
fn compare_with_strace(opts: &[&str]) {
    compare_regions(opts, region);
}

/// [`compare_with_strace`], with the lines to compare picked by `region`.
fn compare_regions(opts: &[&str], region: fn(&str) -> Vec<String>) {
    compare_fixture("trace_calls", opts, region);
}

/// Runs fixture `name` (which takes a scratch directory as its argument) under strace and under
/// selftrace and asserts the lines `region` picks are equal after normalising.
fn compare_fixture(name: &str, opts: &[&str], region: fn(&str) -> Vec<String>) {
    let strace = need("strace");
    let dir = TempDir::new("diff");
    let work = dir.join("work");
    std::fs::create_dir(&work).unwrap();
    let (so, fo) = (dir.join("strace.txt"), dir.join("selftrace.txt"));
    let out = run(Command::new(&strace).args(opts).arg("-o").arg(&so).arg(fixture(name)).arg(&work));
    out.assert_success();
    std::fs::remove_dir_all(&work).unwrap();
    std::fs::create_dir(&work).unwrap();
    let out = run(Command::new(selftrace()).args(opts).arg("-o").arg(&fo).arg(fixture(name)).arg(&work));
    out.assert_success();
    let a = region(&std::fs::read_to_string(&so).unwrap());
    let b = region(&std::fs::read_to_string(&fo).unwrap());
    // Unfiltered, trace_calls' region holds 102 lines; the narrowest filter here keeps 3.
    assert!(a.len() >= 3, "strace's region of {name} is too short for {opts:?}: {a:#?}");
    let (pa, pb) = (pids(&a), pids(&b));
    let a: Vec<String> = a.iter().map(|l| normalise(l, &pa)).collect();
    let b: Vec<String> = b.iter().map(|l| normalise(l, &pb)).collect();
    let mut diffs = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) =
            (a.get(i).map(String::as_str).unwrap_or("<none>"), b.get(i).map(String::as_str).unwrap_or("<none>"));
        if x != y {
            diffs.push(format!("line {i}\n  strace:    {x}\n  selftrace: {y}"));
        }
    }
    assert!(diffs.is_empty(), "{name} {opts:?}: {} of {} lines differ:\n{}", diffs.len(), a.len(), diffs.join("\n"));
}

/// [`region`], with file handles' bytes masked: they hold the inode and generation of a file
/// each run creates anew.
fn handle_region(text: &str) -> Vec<String> {
    region(text)
        .into_iter()
        .map(|l| match l.find("f_handle=\"") {
            Some(i) => {
                let end = l[i + 10..].find('"').map_or(l.len(), |j| i + 10 + j);
                format!("{}f_handle=\"HANDLE{}", &l[..i], &l[end..])
            }
            None => l,
        })
        .collect()
}

/// The calls of `decode::fs_extra` (tests/fixtures/trace_fs_extra.c), with -s and -x too: their
/// values are strings that both cut and quote; -z writes lines whole at exit, after the call has
/// moved splice's offsets and rewritten name_to_handle_at's size. (-v leaves getdents out: its entries show inode
/// numbers, new in each run.)
#[test]
fn fs_extra_lines_equal_strace() {
    for opts in [
        &[][..],
        &["-s", "4"],
        &["-x"],
        &["-X", "verbose"],
        &["-X", "raw"],
        &["-y"],
        &["-z"],
        &["-Z"],
        &["-xx"],
        &["-e", "verbose=none"],
        &["-v", "-e", "trace=!getdents"],
    ] {
        compare_fixture("trace_fs_extra", opts, handle_region);
    }
}

/// [`region`] of trace_admin: each line's `PID ` prefix (a `-f` run with `-o`) dropped, and the
/// lines that hold the child's pid (the fork's `clone`, `wait4`) or whose place is not fixed
/// (strace may see a child's `+++ exited` after its parent's next call) left out.
fn forked_region(text: &str) -> Vec<String> {
    region(text)
        .into_iter()
        .map(|l| l.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start().to_string())
        .filter(|l| !l.contains("+++ exited") && !l.starts_with("clone(") && !l.starts_with("wait4("))
        .collect()
}

/// The calls of `decode::admin` (tests/fixtures/trace_admin.c): mounts, the new mount API, host
/// names and the other administration calls, failing in the process itself and succeeding in a
/// fork child inside namespaces of its own, which only the `-f` run shows (without the process
/// calls around it, whose lines would interleave).
#[test]
fn admin_lines_equal_strace() {
    for opts in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-y"], &["-s", "4"]] {
        compare_fixture("trace_admin", opts, forked_region);
    }
    for opts in [
        &["-f", "-e", "trace=!clone,clone3,wait4,exit_group"][..],
        &["-f", "-X", "verbose", "-e", "trace=!clone,clone3,wait4,exit_group"],
    ] {
        compare_fixture("trace_admin", opts, forked_region);
    }
}

#[test]
fn trace_lines_equal_strace() {
    compare_with_strace(&[]);
}

#[test]
fn proc_extra_lines_equal_strace() {
    // rseq, namespaces, pidfds, cross-process memory, NUMA policies and the rest of proc_extra.rs,
    // with -X raw and -X verbose where flags and named constants print, -y for the descriptors
    // kcmp and pidfd_getfd name in another process's terms, and structures left unread.
    for opts in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-y"], &["-e", "verbose=none"]] {
        compare_fixture("trace_proc_extra", opts, region);
    }
}

#[test]
fn string_options_equal_strace() {
    for opts in [&["-s", "4"][..], &["-x"], &["-xx"], &["-s", "100", "-x"]] {
        compare_with_strace(opts);
    }
}

#[test]
fn decoding_options_equal_strace() {
    // -v prints every field, and inode numbers, file times and resource usage differ from run
    // to run: its comparison keeps to calls whose full structures are the same in both runs.
    let verbose = ["-v", "-e", "trace=%signal,%network,uname,access,mkdir,getrlimit,prlimit64,epoll_ctl,epoll_wait"];
    for opts in [&["-X", "raw"][..], &["-X", "verbose"], &verbose, &["-y"], &["-a", "60"], &["-a", "10"]] {
        compare_with_strace(opts);
    }
}

#[test]
fn filters_equal_strace() {
    for opts in [
        &["-e", "trace=%file"][..],
        &["-e", "trace=%desc,%memory"],
        &["-e", "trace=/^(read|write|access)$"],
        &["-e", "trace=!%memory,%signal"],
        &["-z"],
        &["-Z"],
        &["-e", "status=failed,successful"],
        &["-e", "trace=access,close", "-e", "status=failed"],
    ] {
        let mut v = opts.to_vec();
        // The region's markers are access calls: keep them traced.
        let expr = opts.get(1).copied().unwrap_or("");
        if expr.starts_with("trace=")
            && !expr.starts_with("trace=!")
            && !opts.iter().any(|o| o.contains("access") || o.contains("file"))
        {
            v[1] = Box::leak(format!("{},access", v[1]).into_boxed_str());
        }
        compare_with_strace(&v);
    }
}

/// With every call raw the markers' paths print as addresses: the region is then what the
/// fixture's main does, from the call after its chdir to the one before exit_group.
fn main_region(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(a) = lines.iter().position(|l| l.starts_with("chdir(")) else { return Vec::new() };
    let Some(b) = lines.iter().rposition(|l| l.starts_with("exit_group(")) else { return Vec::new() };
    lines[a + 1..b.max(a + 1)].iter().map(|l| l.to_string()).collect()
}

#[test]
fn raw_calls_equal_strace() {
    // Undecoded arguments and hex results for the calls in the set only; -X and -y change
    // nothing in them.
    compare_with_strace(&["-e", "raw=read,openat"]);
    compare_with_strace(&["-e", "raw=read,openat,close,mmap,umask", "-X", "verbose", "-y"]);
    compare_regions(&["-e", "raw=all"], main_region);
}

#[test]
fn unfollowed_pointers_equal_strace() {
    // Calls outside -e verbose= print structures, arrays and numbers behind pointers as
    // addresses (and no poll result note); strings and buffers still print. -v does not undo it.
    for opts in [
        &["-e", "verbose=none"][..],
        &["-e", "verbose=!fstat"],
        &["-e", "verbose=!%net,poll", "-v", "-e", "trace=!%%stat,getrusage"],
    ] {
        compare_with_strace(opts);
    }
}

#[test]
fn abbreviation_sets_equal_strace() {
    // -v is abbrev=none and the later of the two wins. Stat results (times, inodes) and resource
    // usage differ between runs: in full they stay out of the comparison.
    let run_dependent = "trace=!%%stat,getrusage";
    for opts in [
        &["-e", "abbrev=none", "-e", run_dependent][..],
        &["-e", "abbrev=fstat", "-v", "-e", run_dependent],
        &["-v", "-e", "abbrev=%%stat,getrusage"],
        &["-e", "abbrev=!uname,rt_sigaction,getrlimit"],
    ] {
        compare_with_strace(opts);
    }
}

#[test]
fn calls_strace_does_not_know_print_raw() {
    // strace 6.1 prints calls past its table (here lsm_list_modules, which returns a count, and
    // fchmodat2) with printargs and a hex result, as -e raw= does.
    let (strace, python) = (need("strace"), need("python3"));
    let dir = TempDir::new("unknown");
    // All six arguments given, as longs: strace prints six for a call it does not know, and
    // registers left unset would hold whatever the interpreter left there (differing by run).
    let script = "import ctypes\nlibc = ctypes.CDLL(None)\nL = ctypes.c_long\n\
                  buf = ctypes.create_string_buffer(256)\nn = ctypes.c_uint32(256)\n\
                  libc.syscall(L(461), buf, ctypes.byref(n), L(0), L(0), L(0), L(0))\n\
                  libc.syscall(L(452), L(-100), b'/', L(0o755), L(0), L(0), L(0))\n";
    let mut lines = Vec::new();
    for (tool, out) in [(strace, dir.join("s.txt")), (selftrace(), dir.join("f.txt"))] {
        run(Command::new(tool).arg("-o").arg(&out).arg(&python).arg("-c").arg(script)).assert_success();
        let text = std::fs::read_to_string(&out).unwrap();
        let calls: Vec<String> =
            text.lines().filter(|l| l.starts_with("syscall_0x1c")).map(|l| normalise(l, &[])).collect();
        lines.push(calls);
    }
    assert_eq!(lines[0].len(), 2, "{:?}", lines[0]);
    assert_eq!(lines[0], lines[1]);
}
