//! Per-call cost of getppid, side by side in one run: native, the bare SUD floor (a minimal
//! handler that only re-issues the call), selftrace -f -c on sud and on seccomp, strace -f -c.
//! Then libc's write(2), which the fast path takes without a trap: native, selftrace with and
//! without the fast path, strace.
//!
//! `cargo bench --bench trap` (builds the release preload library if needed). Each program times
//! its own loop (start-up excluded); configurations run interleaved, several rounds, and the
//! median is printed. Figures only: nothing here asserts a time.

use std::process::Command;

const ROUNDS: usize = 7;
const CALLS: &str = "200000";
/// strace costs ~100x more per call: fewer calls keep the run short.
const STRACE_CALLS: &str = "20000";

mod support;

fn main() {
    if !support::benchmarking() {
        return;
    }
    let launcher = support::launcher();
    let prog = support::getppid_program(&launcher);

    let p = prog.to_str().unwrap();
    let l = launcher.to_str().unwrap();
    let getppid: Vec<(&str, Vec<&str>)> = vec![
        ("native", vec![p, CALLS]),
        ("bare SUD floor", vec![p, "--bare", CALLS]),
        ("selftrace -f -c (sud)", vec![l, "-f", "-c", "-o", "/dev/null", "--backend", "sud", p, CALLS]),
        ("selftrace -f -c (seccomp)", vec![l, "-f", "-c", "-o", "/dev/null", "--backend", "seccomp", p, CALLS]),
        ("strace -f -c", vec!["strace", "-f", "-c", "-o", "/dev/null", p, STRACE_CALLS]),
    ];
    table(
        &format!("getppid, ns per call (median of {ROUNDS} interleaved rounds; {CALLS} calls, strace {STRACE_CALLS})"),
        &getppid,
        1,
        "x bare floor",
    );
    // libc's write is on the fast path: it reaches the hooks by a function call, no SIGSYS.
    let write: Vec<(&str, Vec<&str>)> = vec![
        ("native", vec![p, "--write", CALLS]),
        ("selftrace -f -c (fast path)", vec![l, "-f", "-c", "-o", "/dev/null", p, "--write", CALLS]),
        ("selftrace -f -c (trapped)", vec![l, "-f", "-c", "-o", "/dev/null", "--no-fast-path", p, "--write", CALLS]),
        ("strace -f -c", vec!["strace", "-f", "-c", "-o", "/dev/null", p, "--write", STRACE_CALLS]),
    ];
    println!();
    table(
        &format!("write(2) of 1 byte to /dev/null, ns per call (median of {ROUNDS} interleaved rounds)"),
        &write,
        0,
        "x native",
    );
}

/// Runs the configurations interleaved, ROUNDS times, and prints each one's median and its ratio
/// to configuration `base`.
fn table(title: &str, configs: &[(&str, Vec<&str>)], base: usize, ratio: &str) {
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); configs.len()];
    for _ in 0..ROUNDS {
        for (i, (name, argv)) in configs.iter().enumerate() {
            let out = Command::new(argv[0]).args(&argv[1..]).output();
            match out {
                Ok(o) if o.status.success() => {
                    let s = String::from_utf8_lossy(&o.stdout);
                    samples[i].push(s.trim().parse().unwrap_or_else(|_| panic!("{name}: bad output {s:?}")));
                }
                Ok(o) => panic!("{name} failed: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) => eprintln!("{name}: not run ({e})"),
            }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v.get(v.len() / 2).copied()
    };
    let medians: Vec<Option<f64>> = samples.iter_mut().map(median).collect();
    let floor = medians[base];
    println!("{title}");
    println!("{:<28} {:>12} {:>14}", "configuration", "ns/call", ratio);
    for ((name, _), m) in configs.iter().zip(&medians) {
        match (m, floor) {
            (Some(m), Some(f)) => println!("{name:<28} {m:>12.1} {:>14.2}", m / f),
            (Some(m), None) => println!("{name:<28} {m:>12.1} {:>14}", "-"),
            _ => println!("{name:<28} {:>12} {:>14}", "not run", "-"),
        }
    }
}
