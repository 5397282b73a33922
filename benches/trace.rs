//! Tracing cost, side by side in one run (figures only, no assertion):
//! 1. `dd if=/dev/zero of=/dev/null bs=1 count=20000` traced to a file: native, strace, selftrace
//!    (sud: dd's read and write on the fast path), selftrace --no-fast-path, wall time; every
//!    read must be decoded in every trace (checked, counted, printed).
//! 2. A sparse set on seccomp (`-e trace=openat` on a getppid loop): ns per getppid, native, the
//!    seccomp floor (a one-instruction always-ALLOW filter, which the kernel's action cache
//!    answers without running it), an always-ALLOW filter the cache cannot answer, and selftrace;
//!    calls outside the set never trap, and cost what the floor costs.
//!
//! `cargo bench --bench trace`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 5;
const SPARSE_ROUNDS: usize = 11;
const CALLS: &str = "500000";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn wall(argv: &[&str]) -> f64 {
    let t = Instant::now();
    let st = Command::new(argv[0]).args(&argv[1..]).stderr(std::process::Stdio::null()).status().expect(argv[0]);
    assert!(st.success(), "{argv:?} failed");
    t.elapsed().as_secs_f64()
}

fn decoded_reads(trace: &Path) -> usize {
    std::fs::read_to_string(trace).unwrap_or_default().lines().filter(|l| l.contains(r#"read(0, "\0", 1)"#)).count()
}

mod support;

fn main() {
    if !support::benchmarking() {
        return;
    }
    let launcher = support::launcher();
    let l = launcher.to_str().unwrap();
    let tmp = std::env::temp_dir().join(format!("selftrace-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let st_out = tmp.join("strace.txt");
    let sf_out = tmp.join("selftrace.txt");
    let (so, fo) = (st_out.to_str().unwrap(), sf_out.to_str().unwrap());
    let dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=20000"];

    let (mut native, mut strace, mut selftrace, mut trapped) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let to = tmp.join("trapped.txt");
    let to = to.to_str().unwrap();
    for _ in 0..ROUNDS {
        native.push(wall(&dd));
        strace.push(wall(&[&["strace", "-o", so][..], &dd[..]].concat()));
        selftrace.push(wall(&[&[l, "-o", fo][..], &dd[..]].concat()));
        trapped.push(wall(&[&[l, "--no-fast-path", "-o", to][..], &dd[..]].concat()));
    }
    let (n, s, f, t) = (median(native), median(strace), median(selftrace), median(trapped));
    println!("dd bs=1 count=20000 traced to a file (median of {ROUNDS} interleaved rounds, wall seconds)");
    println!("{:<12} {:>10} {:>12}", "", "seconds", "x strace");
    println!("{:<12} {:>10.3} {:>12.3}", "native", n, n / s);
    println!("{:<12} {:>10.3} {:>12.3}", "strace", s, 1.0);
    println!("{:<12} {:>10.3} {:>12.3}", "selftrace", f, f / s);
    println!("{:<12} {:>10.3} {:>12.3}   (--no-fast-path: every call a SIGSYS)", "trapped", t, t / s);
    println!(
        "decoded read lines: strace {}, selftrace {}, trapped {}",
        decoded_reads(&st_out),
        decoded_reads(&sf_out),
        decoded_reads(std::path::Path::new(to))
    );

    let prog = support::getppid_program(&launcher);
    let p = prog.to_str().unwrap();
    let per_call = |argv: &[&str]| -> f64 {
        let o = Command::new(argv[0]).args(&argv[1..]).output().expect(argv[0]);
        assert!(o.status.success(), "{argv:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    let sparse: [(&str, Vec<&str>); 4] = [
        ("native", vec![p, CALLS]),
        ("seccomp floor", vec![p, "--allow-filter", CALLS]),
        ("uncached filter", vec![p, "--uncached-filter", CALLS]),
        ("selftrace", vec![l, "--backend", "seccomp", "-e", "trace=openat", "-o", "/dev/null", p, CALLS]),
    ];
    // Per-run figures drift by tens of percent on a shared VM: more rounds, interleaved.
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); sparse.len()];
    for _ in 0..SPARSE_ROUNDS {
        for (i, (_, argv)) in sparse.iter().enumerate() {
            samples[i].push(per_call(argv));
        }
    }
    // Ratios are taken within each round (runs seconds apart drift less than runs minutes
    // apart), then their median.
    let ratio = |i: usize, base: usize| median(samples[i].iter().zip(&samples[base]).map(|(a, b)| a / b).collect());
    println!("getppid loop, -e trace=openat on seccomp (ns per call, median of {SPARSE_ROUNDS} interleaved rounds;");
    println!("ratios: median of the per-round ratios)");
    println!("{:<16} {:>10} {:>10} {:>10}", "", "ns/call", "x native", "x floor");
    for (i, (name, _)) in sparse.iter().enumerate() {
        let v = median(samples[i].clone());
        println!("{name:<16} {v:>10.1} {:>10.2} {:>10.2}", ratio(i, 0), ratio(i, 1));
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
