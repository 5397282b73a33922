//! What the shims cost, side by side in one run with native and with the tools they replace
//! (figures only, no assertion):
//! - stat: native, fakeroot, `--fake-root`, `--bind` (a path inside DEST), proot -b;
//! - getuid: native, fakeroot, `--fake-root`;
//! - clock_gettime(CLOCK_REALTIME): native (vDSO), `--fake-time +1d`, libfaketime.
//!
//! Every selftrace row runs with `--no-trace`, once per backend, next to a no-shim row that shows
//! the trap floor. Each program (benches/shimcalls.c) times its own loop (start-up excluded);
//! configurations run interleaved, several rounds, and the median is printed, with the median
//! of the per-round ratios to native. Memory, worst of the rounds: the program's own peak RSS
//! (VmHWM, which includes selftrace's in-process runtime) and the largest process of the run's
//! tree (wait4's rusage, which also sees a launcher, tracer or wrapper). A comparison tool that
//! is not installed prints `not installed` in its row.
//!
//! `cargo bench --bench shims`; `SHIMS_BENCH_ABSENT=fakeroot,proot,faketime,libfaketime` takes
//! those tools as not installed (without `faketime`, libfaketime runs by LD_PRELOAD).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

// Each bench uses part of the helpers.
#[allow(dead_code)]
mod support;

const ROUNDS: usize = 7;
/// Where the bind rows see the bench's directory: it need not exist on the host.
const DEST: &str = "/selftrace-bench-bind";

/// One row: a name, and the command line (None: the tool is not installed).
struct Config {
    name: String,
    run: Option<Run>,
}

struct Run {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    /// The clock rows expect this shift of the wall clock, in seconds (checked on every run).
    shift: Option<i64>,
}

/// One run's figures.
struct Sample {
    ns: f64,
    maxrss_kib: i64,
    /// The measured program's own peak RSS (VmHWM), KiB.
    hwm_kib: i64,
    /// The wall clock the program saw minus the bench's, in seconds (clock mode only).
    shift: Option<i64>,
}

fn row(name: &str, argv: Vec<String>) -> Config {
    Config { name: name.into(), run: Some(Run { argv, env: Vec::new(), shift: None }) }
}

fn absent(name: &str) -> Config {
    Config { name: name.into(), run: None }
}

/// Whether $SHIMS_BENCH_ABSENT (comma-separated) names the tool: it is then taken as not
/// installed, to check the rows that say so and libfaketime's LD_PRELOAD fallback.
fn hidden(tool: &str) -> bool {
    std::env::var("SHIMS_BENCH_ABSENT").is_ok_and(|v| v.split(',').any(|t| t == tool))
}

/// A program as the shell would find it on PATH.
fn which(tool: &str) -> Option<PathBuf> {
    if hidden(tool) {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(tool)).find(|p| p.is_file())
}

/// libfaketime's preload library where Debian, Fedora and `make install` put it.
fn libfaketime() -> Option<PathBuf> {
    if hidden("libfaketime") {
        return None;
    }
    ["/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib64/faketime", "/usr/lib/faketime", "/usr/local/lib/faketime"]
        .iter()
        .map(|d| Path::new(d).join("libfaketime.so.1"))
        .find(|p| p.is_file())
}

/// benches/shimcalls.c compiled beside the launcher.
fn shimcalls_program(launcher: &Path) -> PathBuf {
    let prog = launcher.parent().unwrap().join("bench-shimcalls");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/shimcalls.c");
    let st = Command::new("cc").args(["-O2", "-o"]).arg(&prog).arg(&src).status().expect("cc");
    assert!(st.success(), "compiling {}", src.display());
    prog
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Runs one configuration to its end and reaps it with wait4, for its rusage.
// The child is reaped by wait4 below (std's wait would not give the rusage).
#[allow(clippy::zombie_processes)]
fn run_once(name: &str, run: &Run) -> Sample {
    let mut cmd = Command::new(&run.argv[0]);
    cmd.args(&run.argv[1..]).envs(run.env.iter().cloned()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{name}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    use std::io::Read;
    // The program writes one short line to each at most: reading them in turn cannot block it.
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    let mut status = 0;
    // SAFETY: all-zero is a valid rusage.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not yet reaped (std never waited for it); both pointers are
    // to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    assert_eq!(pid, child.id() as libc::pid_t, "{name}: wait4");
    let out = String::from_utf8_lossy(&out);
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        panic!("{name} failed (wait status {status:#x}): {}{}", out, String::from_utf8_lossy(&err));
    }
    let mut fields = out.split_whitespace();
    let ns = fields.next().and_then(|f| f.parse().ok()).unwrap_or_else(|| panic!("{name}: bad output {out:?}"));
    let hwm_kib = fields.next().and_then(|f| f.parse().ok()).unwrap_or_else(|| panic!("{name}: bad output {out:?}"));
    let shift =
        fields.next().map(|f| f.parse::<i64>().unwrap_or_else(|_| panic!("{name}: bad output {out:?}")) - now_secs());
    Sample { ns, maxrss_kib: ru.ru_maxrss, hwm_kib, shift }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Runs a group interleaved, prints its table and returns each row's median (None: not run).
fn group(title: &str, calls: &[(&str, &str)], configs: &[Config]) -> Vec<Option<f64>> {
    let mut samples: Vec<Vec<Sample>> = configs.iter().map(|_| Vec::new()).collect();
    for _ in 0..ROUNDS {
        for (i, c) in configs.iter().enumerate() {
            if let Some(run) = &c.run {
                let s = run_once(&c.name, run);
                if let Some(want) = run.shift {
                    let got = s.shift.unwrap_or_else(|| panic!("{}: no clock reading", c.name));
                    // A few seconds of slack for a slow start on a loaded machine.
                    assert!((got - want).abs() <= 5, "{}: wall clock shifted by {got} s, expected {want} s", c.name);
                }
                samples[i].push(s);
            }
        }
    }
    println!();
    println!("{title}");
    let calls: Vec<String> = calls.iter().map(|(who, n)| format!("{n} calls {who}")).collect();
    println!("(median of {ROUNDS} interleaved rounds; {})", calls.join(", "));
    println!("{:<48} {:>10} {:>10} {:>10} {:>10}", "configuration", "ns/call", "x native", "prog KiB", "tree KiB");
    let mut medians = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        if samples[i].is_empty() {
            println!("{:<48} {:>10}", c.name, "not installed");
            medians.push(None);
            continue;
        }
        let ns = median(samples[i].iter().map(|s| s.ns).collect());
        let ratio = median(samples[i].iter().zip(&samples[0]).map(|(a, b)| a.ns / b.ns).collect());
        let hwm = samples[i].iter().map(|s| s.hwm_kib).max().unwrap();
        let rss = samples[i].iter().map(|s| s.maxrss_kib).max().unwrap();
        println!("{:<48} {ns:>10.1} {ratio:>10.2} {hwm:>10} {rss:>10}", c.name);
        medians.push(Some(ns));
    }
    medians
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let launcher = support::launcher();
    let prog = shimcalls_program(&launcher);
    let tmp = std::env::temp_dir().join(format!("selftrace-bench-shims-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("f"), b"x").unwrap();
    let s = |x: &dyn AsRef<OsStr>| String::from_utf8_lossy(x.as_ref().as_bytes()).into_owned();
    let (l, p, src) = (s(&launcher), s(&prog), s(&tmp));
    let host_file = s(&tmp.join("f"));
    let dest_file = format!("{DEST}/f");
    let bind = format!("{src}:{DEST}");
    let fakeroot = which("fakeroot").map(|f| s(&f));
    let proot = which("proot").map(|f| s(&f));

    let argv = |pre: &[&str], tail: &[&str]| -> Vec<String> {
        pre.iter().chain(std::iter::once(&p.as_str())).chain(tail).map(|a| a.to_string()).collect()
    };
    let st = |backend: &str, shim: &[&str], tail: &[&str]| -> Vec<String> {
        let mut pre = vec![l.as_str(), "--no-trace", "--backend", backend];
        pre.extend_from_slice(shim);
        pre.push("--");
        argv(&pre, tail)
    };
    let tool = |name: &str, path: &Option<String>, pre: &[&str], tail: &[&str]| match path {
        Some(t) => row(name, argv(&[&[t.as_str()][..], pre].concat(), tail)),
        None => absent(name),
    };

    println!("Shims against native and the tools they replace. How to read the selftrace rows:");
    println!("- sud: EVERY system call of the program traps (a SIGSYS round trip, measured below),");
    println!("  whether a shim wants it or not: the no-shim row is that floor, and it dominates.");
    println!("  A shim adds its own work on top, mostly real calls (reading/writing the program's memory).");
    println!("- seccomp: only the calls the shims name trap (stat/getuid here: they pay the trap");
    println!("  too); the others run at native speed.");
    println!("- --fake-time replaces the vDSO's clock_gettime: a read is one real system call, no trap.");
    println!("- fakeroot and libfaketime are LD_PRELOAD libc wrappers (no trap); fakeroot asks its");
    println!("  faked daemon about every stat. proot is ptrace: the tracee stops on each path call.");
    println!("- memory, worst of the rounds: prog KiB is the measured program's own peak RSS (VmHWM:");
    println!("  selftrace's runtime lives in it); tree KiB the largest process of the run's tree (wait4");
    println!("  rusage: launcher, tracer, wrapper included), not their sum; fakeroot's faked daemon");
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    println!("  detaches and is not counted. Running as uid {uid}.");

    // stat: ~1 us natively, a few us trapped; fakeroot and proot pay an IPC or a ptrace stop.
    let (n, slow) = ("40000", "10000");
    let stat_host = ["stat", host_file.as_str()];
    let stat_dest = ["stat", dest_file.as_str()];
    let (sh, sd) = ([stat_host[0], stat_host[1], n], [stat_dest[0], stat_dest[1], n]);
    let (shs, sds) = ([stat_host[0], stat_host[1], slow], [stat_dest[0], stat_dest[1], slow]);
    group(
        "stat(2) of one file, ns per call",
        &[("natively and under selftrace", n), ("under fakeroot and proot", slow)],
        &[
            row("native", argv(&[], &sh)),
            tool("fakeroot", &fakeroot, &["--"], &shs),
            row("selftrace --no-trace, no shim (sud)", st("sud", &[], &sh)),
            row("selftrace --no-trace --fake-root (sud)", st("sud", &["--fake-root"], &sh)),
            row("selftrace --no-trace --fake-root (seccomp)", st("seccomp", &["--fake-root"], &sh)),
            row("selftrace --no-trace --bind SRC:DEST (sud)", st("sud", &["--bind", &bind], &sd)),
            row("selftrace --no-trace --bind SRC:DEST (seccomp)", st("seccomp", &["--bind", &bind], &sd)),
            tool("proot -b SRC:DEST", &proot, &["-b", &bind], &sds),
        ],
    );

    let n = "100000";
    let gu = ["getuid", n];
    let getuid = group(
        "getuid(2), ns per call",
        &[("each", n)],
        &[
            row("native", argv(&[], &gu)),
            tool("fakeroot", &fakeroot, &["--"], &gu),
            row("selftrace --no-trace, no shim (sud)", st("sud", &[], &gu)),
            row("selftrace --no-trace --fake-root (sud)", st("sud", &["--fake-root"], &gu)),
            row("selftrace --no-trace --fake-root (seccomp)", st("seccomp", &["--fake-root"], &gu)),
        ],
    );

    if let (Some(native), Some(floor)) = (getuid[0], getuid[2]) {
        println!("=> the SUD trap round trip in this run: {:.0} ns per call (no-shim getuid - native)", floor - native);
    }

    let n = "200000";
    let ck = ["clock", n];
    let day = Some(86400);
    let shifted = |mut c: Config, shift: Option<i64>| {
        if let Some(r) = &mut c.run {
            r.shift = shift;
        }
        c
    };
    let libfaketime_row = match (which("faketime"), libfaketime()) {
        (Some(ft), _) => row("libfaketime (faketime -f +1d)", argv(&[&s(&ft), "-f", "+1d"], &ck)),
        (None, Some(lib)) => Config {
            name: "libfaketime (LD_PRELOAD, FAKETIME=+1d)".into(),
            run: Some(Run {
                argv: argv(&[], &ck),
                env: vec![("LD_PRELOAD".into(), s(&lib)), ("FAKETIME".into(), "+1d".into())],
                shift: None,
            }),
        },
        (None, None) => absent("libfaketime"),
    };
    group(
        "clock_gettime(CLOCK_REALTIME) through libc (the vDSO natively), ns per call",
        &[("each", n)],
        &[
            shifted(row("native", argv(&[], &ck)), Some(0)),
            shifted(row("selftrace --no-trace, no shim (sud)", st("sud", &[], &ck)), Some(0)),
            shifted(row("selftrace --no-trace --fake-time +1d (sud)", st("sud", &["--fake-time", "+1d"], &ck)), day),
            shifted(
                row("selftrace --no-trace --fake-time +1d (seccomp)", st("seccomp", &["--fake-time", "+1d"], &ck)),
                day,
            ),
            shifted(libfaketime_row, day),
        ],
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
