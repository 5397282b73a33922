//! Tracing cost, side by side in one run (figures only, no assertion):
//! 1. `dd if=/dev/zero of=/dev/null bs=1 count=20000` traced to a file: native, strace, selftrace
//!    (sud), wall time; every read must be decoded in both traces (checked, counted, printed).
//! 2. A sparse set on seccomp (`-e trace=openat` on a getppid loop): ns per getppid, native vs
//!    selftrace; calls outside the set never trap.
//!
//! `cargo bench --bench trace`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 5;

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

    let (mut native, mut strace, mut selftrace) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        native.push(wall(&dd));
        strace.push(wall(&[&["strace", "-o", so][..], &dd[..]].concat()));
        selftrace.push(wall(&[&[l, "-o", fo][..], &dd[..]].concat()));
    }
    let (n, s, f) = (median(native), median(strace), median(selftrace));
    println!("dd bs=1 count=20000 traced to a file (median of {ROUNDS} interleaved rounds, wall seconds)");
    println!("{:<12} {:>10} {:>12}", "", "seconds", "x strace");
    println!("{:<12} {:>10.3} {:>12.3}", "native", n, n / s);
    println!("{:<12} {:>10.3} {:>12.3}", "strace", s, 1.0);
    println!("{:<12} {:>10.3} {:>12.3}", "selftrace", f, f / s);
    println!("decoded read lines: strace {}, selftrace {}", decoded_reads(&st_out), decoded_reads(&sf_out));

    let prog = support::getppid_program(&launcher);
    let p = prog.to_str().unwrap();
    let per_call = |argv: &[&str]| -> f64 {
        let o = Command::new(argv[0]).args(&argv[1..]).output().expect(argv[0]);
        assert!(o.status.success(), "{argv:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    let (mut nat, mut sparse) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        nat.push(per_call(&[p, "500000"]));
        sparse.push(per_call(&[l, "--backend", "seccomp", "-e", "trace=openat", "-o", "/dev/null", p, "500000"]));
    }
    let (a, b) = (median(nat), median(sparse));
    println!("getppid loop, -e trace=openat on seccomp (ns per call, median of {ROUNDS})");
    println!("{:<12} {:>10.1}\n{:<12} {:>10.1} ({:.2}x native)", "native", a, "selftrace", b, b / a);
    let _ = std::fs::remove_dir_all(&tmp);
}
