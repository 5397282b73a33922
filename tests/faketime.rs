//! `--fake-time SPEC`: every way of reading the clock shows the virtual time (vDSO entry points,
//! libc wrappers, raw system calls), sleeps scale with the rate, the whole tree shares one clock,
//! and malformed specs stop before the program runs.
//!
//! Values only: each run is bracketed by the test's own (real) clock readings, and the virtual
//! values must fall in the window the spec maps that bracket to.
mod common;
use common::*;
use std::collections::BTreeMap;
use std::process::Command;

const S: i128 = 1_000_000_000;
/// 2020-01-01 00:00:00 UTC.
const E2020: i128 = 1_577_836_800 * S;

fn clock(c: libc::clockid_t) -> i128 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out pointer; the test process is not traced, so this is the real clock.
    unsafe { libc::clock_gettime(c, &mut t) };
    t.tv_sec as i128 * S + t.tv_nsec as i128
}

/// The real clocks just before and just after a run.
struct Window {
    rt: (i128, i128),
    mono: (i128, i128),
}

impl Window {
    fn secs(&self) -> i128 {
        self.rt.1 - self.rt.0
    }
}

fn run_timed(cmd: &mut Command) -> (Output, Window) {
    let (rt0, m0) = (clock(libc::CLOCK_REALTIME), clock(libc::CLOCK_MONOTONIC));
    let out = run(cmd);
    let w = Window { rt: (rt0, clock(libc::CLOCK_REALTIME)), mono: (m0, clock(libc::CLOCK_MONOTONIC)) };
    (out, w)
}

/// `selftrace --fake-time SPEC OPTS -- PROG ARGS`, with TZ=UTC unless `tz` says otherwise.
fn fake(spec: &str, opts: &[&str], prog: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (Output, Window) {
    fake_tz(spec, "UTC", opts, prog, args)
}

fn fake_tz(spec: &str, tz: &str, opts: &[&str], prog: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (Output, Window) {
    let dir = TempDir::new("faketime");
    let mut all = vec!["--fake-time", spec];
    all.extend_from_slice(opts);
    let mut cmd = selftrace_cmd(dir.path(), &all, prog, args);
    cmd.env("TZ", tz);
    let (out, w) = run_timed(&mut cmd);
    out.assert_success();
    (out, w)
}

/// `name value` lines of the fixture.
fn values(out: &Output) -> BTreeMap<String, i128> {
    out.stdout_str()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once(' ').unwrap_or_else(|| panic!("bad line {l:?}\n{}", out.describe()));
            (k.to_owned(), v.parse().unwrap_or_else(|_| panic!("bad value {l:?}\n{}", out.describe())))
        })
        .collect()
}

/// Every wall-clock reading of `faketime now`: vDSO entry points, libc, raw system calls.
const WALL: [&str; 11] = [
    "vdso_realtime",
    "vdso_gettimeofday",
    "vdso_time",
    "realtime",
    "realtime_coarse",
    "tai",
    "gettimeofday",
    "time",
    "time_arg",
    "sys_realtime",
    "sys_gettimeofday",
];

/// Asserts `lo <= v <= hi` for every wall reading, `lo` lowered by the second `time()` drops
/// and by the coarse clock's lag (up to a tick or so behind the fine clock the origin was read
/// from, times the rate).
fn assert_wall(v: &BTreeMap<String, i128>, lo: i128, hi: i128, rate: i128, out: &Output) {
    for name in WALL.iter().chain(["sys_time"].iter()) {
        let x = *v.get(*name).unwrap_or_else(|| panic!("no {name}\n{}", out.describe()));
        let slack = match *name {
            "realtime_coarse" => rate * S / 20,
            n if n.contains("time") && !n.contains("realtime") => S,
            _ => S / 50,
        };
        assert!(
            x >= lo - slack && x <= hi,
            "{name} = {x} is outside [{lo}, {hi}] (off by {} s)\n{}",
            (x - lo) as f64 / 1e9,
            out.describe()
        );
    }
}

/// Monotonic readings: real, within the run's window (rate 1).
fn assert_mono_real(v: &BTreeMap<String, i128>, w: &Window, out: &Output) {
    for name in ["vdso_monotonic", "monotonic", "sys_monotonic"] {
        let x = v[name];
        assert!(x >= w.mono.0 && x <= w.mono.1, "{name} = {x} is not real time {:?}\n{}", w.mono, out.describe());
    }
}

#[test]
fn frozen_every_clock_read() {
    for backend in ["sud", "seccomp"] {
        let (out, w) = fake(
            "2020-01-01 00:00:00",
            &["-qq", "-e", "trace=none", "--backend", backend],
            fixture("faketime"),
            &["now"],
        );
        let v = values(&out);
        for name in WALL.iter().chain(["sys_time"].iter()) {
            assert_eq!(v[*name], E2020, "{name} ({backend})\n{}", out.describe());
        }
        // A frozen spec freezes the wall clock only.
        assert_mono_real(&v, &w, &out);
        assert!(v["cputime"] > 0 && v["cputime"] < w.secs(), "{}", out.describe());
    }
}

#[test]
fn frozen_date_and_python() {
    let (out, _) = fake("2020-01-01 00:00:00", &[], "date", &[]);
    assert_eq!(out.stdout_str(), "Wed Jan  1 00:00:00 UTC 2020\n");
    let (out, _) = fake("2020-02-29 12:34:56", &[], "date", &["+%s %F %T"]);
    assert_eq!(out.stdout_str(), "1582979696 2020-02-29 12:34:56\n");
    let py = need("python3");
    let (out, _) = fake(
        "2020-01-01 00:00:00.5",
        &[],
        &py,
        &["-c", "import time, datetime; print(time.time()); print(datetime.datetime.now()); print(int(time.monotonic() > 0))"],
    );
    assert_eq!(out.stdout_str(), "1577836800.5\n2020-01-01 00:00:00.500000\n1\n");
}

/// Dates are local time, as libfaketime reads them (TZ of the launcher's environment).
#[test]
fn dates_are_local_time() {
    let (out, _) = fake_tz("2020-01-01 00:00:00", "XXX-2", &[], "date", &["+%s %T %z"]);
    assert_eq!(out.stdout_str(), format!("{} 00:00:00 +0200\n", E2020 / S - 7200));
    let (out, _) = fake_tz("@2020-01-01 00:00:00", "XXX+5", &[], "date", &["-u", "+%F %H"]);
    assert_eq!(out.stdout_str(), "2020-01-01 05\n");
}

#[test]
fn start_at_ticks_from_the_date() {
    for backend in ["sud", "seccomp"] {
        let (out, w) = fake(
            "@2020-01-01 00:00:00",
            &["-qq", "-e", "trace=none", "--backend", backend],
            fixture("faketime"),
            &["now"],
        );
        let v = values(&out);
        assert_wall(&v, E2020, E2020 + w.secs(), 1, &out);
        assert_mono_real(&v, &w, &out);
    }
}

#[test]
fn offsets_with_each_unit() {
    let cases: [(&str, i128); 9] = [
        ("+120", 120 * S),
        ("-120", -120 * S),
        ("+30s", 30 * S),
        ("-10m", -600 * S),
        ("+2h", 7200 * S),
        ("+1.5h", 5400 * S),
        ("+14d", 14 * 86_400 * S),
        ("-0,5d", -43_200 * S),
        ("+1y", 365 * 86_400 * S),
    ];
    for (spec, off) in cases {
        let (out, w) = fake(spec, &["-qq", "-e", "trace=none"], fixture("faketime"), &["now"]);
        let v = values(&out);
        assert_wall(&v, w.rt.0 + off, w.rt.1 + off, 1, &out);
        assert_mono_real(&v, &w, &out);
    }
    let (out, w) = fake("-1y", &[], "date", &["+%s"]);
    let got: i128 = out.stdout_str().trim().parse().unwrap();
    let off = 365 * 86_400;
    assert!(got >= w.rt.0 / S + -off && got <= w.rt.1 / S - off, "{}", out.describe());
}

#[test]
fn rate_speeds_up_the_clock() {
    let (out, w) = fake("@2020-01-01 00:00:00 x10", &["-qq", "-e", "trace=none"], fixture("faketime"), &["now"]);
    let v = values(&out);
    assert_wall(&v, E2020, E2020 + 10 * w.secs(), 10, &out);
    // Monotonic clocks run at the rate from the tree's origin, which precedes the run's end.
    for name in ["vdso_monotonic", "monotonic", "sys_monotonic", "boottime"] {
        assert!(v[name] >= w.mono.0 - 1, "{name}\n{}", out.describe());
    }
    assert!(v["monotonic"] <= w.mono.0 + 10 * (w.mono.1 - w.mono.0), "{}", out.describe());
    // Readings in the program's order never go backwards.
    assert!(v["vdso_realtime"] <= v["realtime"] && v["realtime"] <= v["sys_realtime"], "{}", out.describe());
    assert!(v["vdso_monotonic"] <= v["monotonic"] && v["monotonic"] <= v["sys_monotonic"], "{}", out.describe());
}

/// Sleeps at x10: the program asks for 2 s and sees at least 2 s pass on both clocks, while the
/// real time (read from /proc/uptime, which is not a clock call) is well under the 2 s an
/// unscaled sleep would take at the least.
#[test]
fn sleeps_scale_with_the_rate() {
    for how in ["nanosleep", "sys_nanosleep", "rel", "abs_rt", "abs_mono"] {
        let (out, w) =
            fake("+1d x10", &["-qq", "-e", "trace=none"], fixture("faketime"), &["sleep", how, "2000000000"]);
        let v = values(&out);
        assert!(v["virtual_realtime"] >= 2 * S, "{how}\n{}", out.describe());
        assert!(v["virtual_monotonic"] >= 2 * S, "{how}\n{}", out.describe());
        // 0.2 s asked of the kernel; /proc/uptime counts in 10 ms steps.
        assert!(v["real"] >= S / 5 - S / 100, "{how}\n{}", out.describe());
        assert!(
            v["real"] < 3 * S / 2 && w.secs() < 3 * S / 2 + 10 * S,
            "{how}: real {}\n{}",
            v["real"],
            out.describe()
        );
    }
    // x2: a 1 s sleep takes 0.5 s.
    let (out, _) = fake("+0 x2", &["-qq", "-e", "trace=none"], fixture("faketime"), &["sleep", "rel", "1000000000"]);
    let v = values(&out);
    assert!(v["virtual_realtime"] >= S && v["real"] >= S / 2 - S / 100 && v["real"] < 9 * S / 10, "{}", out.describe());
    // x0.5: a 0.2 s sleep takes at least 0.4 s.
    let (out, _) =
        fake("-1h x0.5", &["-qq", "-e", "trace=none"], fixture("faketime"), &["sleep", "abs_rt", "200000000"]);
    let v = values(&out);
    assert!(v["virtual_realtime"] >= S / 5 && v["real"] >= 2 * S / 5 - S / 100, "{}", out.describe());
    // Frozen: sleeps are real, and a deadline on the frozen wall clock still arrives.
    let (out, _) = fake(
        "2020-01-01 00:00:00",
        &["-qq", "-e", "trace=none"],
        fixture("faketime"),
        &["sleep", "abs_rt", "300000000"],
    );
    let v = values(&out);
    assert_eq!(v["virtual_realtime"], 0, "{}", out.describe());
    assert!(v["virtual_monotonic"] >= 3 * S / 10 && v["real"] >= 3 * S / 10 - S / 100, "{}", out.describe());
}

/// Deadlines the C library computes from the virtual clock and hands the kernel (futex for
/// pthread_cond_timedwait and sem_timedwait, poll, ppoll, select and pselect6 timeouts) are mapped back to real time: under
/// `+1d` a 0.1 s wait must not last a day (the run would time out), at x10 a 1 s wait takes 0.1 s.
#[test]
fn timed_waits_follow_the_virtual_clock() {
    for how in ["cond", "sem", "poll", "ppoll", "select", "pselect"] {
        let (out, _) = fake("+1d", &["-qq", "-e", "trace=none"], fixture("faketime"), &["wait", how, "100000000"]);
        let v = values(&out);
        assert_eq!(v["timed_out"], 1, "{how}\n{}", out.describe());
        assert!(v["virtual_realtime"] >= S / 10 && v["real"] >= S / 10 - S / 100, "{how}\n{}", out.describe());
        assert!(v["real"] < 10 * S, "{how}\n{}", out.describe());
        // At x10 a 1 s wait takes 0.1 s; unscaled it could not take less than 1 s.
        let (out, _) = fake(
            "@2020-01-01 00:00:00 x10",
            &["-qq", "-e", "trace=none"],
            fixture("faketime"),
            &["wait", how, "1000000000"],
        );
        let v = values(&out);
        assert_eq!(v["timed_out"], 1, "{how}\n{}", out.describe());
        assert!(v["virtual_realtime"] >= S && v["real"] >= S / 10 - S / 100, "{how}\n{}", out.describe());
        assert!(v["real"] < 9 * S / 10, "{how}: real {}\n{}", v["real"], out.describe());
    }
    // Python's timed lock waits (sem_clockwait on CLOCK_MONOTONIC) and time.sleep, at x10.
    let py = need("python3");
    let (out, w) = fake(
        "-1d x10",
        &["-qq", "-e", "trace=none"],
        &py,
        &["-c", "import threading, time; t = time.monotonic(); threading.Lock().acquire(); print(threading.Lock().acquire(True, 0), threading.Event().wait(1.0)); time.sleep(1.0); print(time.monotonic() - t >= 2.0)"],
    );
    assert_eq!(out.stdout_str(), "True False\nTrue\n", "{}", out.describe());
    assert!(w.secs() < 10 * S, "{}", out.describe());
}

/// Timers: relative values and intervals scale with the rate, absolute deadlines on the virtual
/// wall clock (timerfd's read from fdinfo, POSIX timers') are mapped to real time, and the time
/// left they report is virtual.
#[test]
fn timers_follow_the_virtual_clock() {
    for how in ["timerfd", "timerfd_abs", "posix_abs", "itimer", "alarm"] {
        let (out, _) =
            fake("+1d x10", &["-qq", "-e", "trace=none"], fixture("faketime"), &["timer", how, "2000000000"]);
        let v = values(&out);
        // Unscaled, what is left of a 0.2 s real timer could not exceed 0.2 s.
        assert!(v["left"] > S / 4 && v["left"] <= 2 * S, "{how}: left\n{}", out.describe());
        assert!(v["virtual_realtime"] >= 2 * S - S / 100, "{how}\n{}", out.describe());
        assert!(v["real"] >= S / 5 - S / 50 && v["real"] < 3 * S / 2, "{how}: real {}\n{}", v["real"], out.describe());
    }
    for how in ["timerfd_abs", "posix_abs"] {
        let (out, _) = fake("+1d", &["-qq", "-e", "trace=none"], fixture("faketime"), &["timer", how, "200000000"]);
        let v = values(&out);
        // Unmapped, the deadline would be a day away.
        assert!(v["left"] > 0 && v["left"] <= S / 5, "{how}: left\n{}", out.describe());
        assert!(v["real"] >= S / 5 - S / 50 && v["real"] < 10 * S, "{how}: real {}\n{}", v["real"], out.describe());
    }
}

/// setitimer(ITIMER_REAL, NULL, &old) disarms the timer and reports what was left of it: in
/// virtual time, as every other path reports it.
#[test]
fn setitimer_null_reports_virtual_time_left() {
    let (out, _) =
        fake("+1d x10", &["-qq", "-e", "trace=none"], fixture("faketime"), &["timer", "itimer_null", "2000000000"]);
    let v = values(&out);
    // The 2 s virtual timer runs 0.2 s real: unscaled, what is left could not exceed 0.2 s.
    assert!(v["left"] > S && v["left"] <= 2 * S, "left\n{}", out.describe());
}

/// The trace shows what the program asked for and the virtual time it got.
#[test]
fn trace_shows_the_virtual_values() {
    let (out, _) = fake(
        "2020-01-01 00:00:00",
        &["-e", "trace=clock_gettime,time,nanosleep"],
        fixture("faketime"),
        &["sleep", "sys_nanosleep", "1000000"],
    );
    let err = out.stderr_str();
    assert!(err.contains("nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0"), "{}", out.describe());
    let (out, _) =
        fake("2020-01-01 00:00:00", &["-e", "trace=clock_gettime,time,gettimeofday"], fixture("faketime"), &["now"]);
    let err = out.stderr_str();
    assert!(err.contains("clock_gettime(CLOCK_REALTIME, {tv_sec=1577836800, tv_nsec=0}) = 0"), "{}", out.describe());
    assert!(
        err.lines().any(|l| l.starts_with("time(NULL)") && l.contains(" = 1577836800 (2020-01-01T00:00:00+0000)")),
        "{}",
        out.describe()
    );
    assert!(err.contains("gettimeofday({tv_sec=1577836800, tv_usec=0}, NULL) = 0"), "{}", out.describe());
    // Only the raw calls entered the kernel: the vDSO and libc reads made no system call.
    assert_eq!(err.matches("clock_gettime(").count(), 2, "{}", out.describe());
    // The trace's own timestamps stay real.
    let (out, w) = fake("2020-01-01 00:00:00", &["-ttt", "-e", "trace=time"], fixture("faketime"), &["now"]);
    let line = out.stderr_str().lines().find(|l| l.contains(" time(NULL)")).map(str::to_owned);
    let stamp: f64 =
        line.as_deref().and_then(|l| l.split(' ').next()?.parse().ok()).unwrap_or_else(|| panic!("{}", out.describe()));
    let stamp = (stamp * 1e9) as i128;
    assert!(stamp >= w.rt.0 - S / 100 && stamp <= w.rt.1 + S / 100, "{}", out.describe());
}

#[test]
fn a_signal_handler_reads_the_virtual_clock() {
    let (out, w) = fake("+1d", &["-qq", "-e", "trace=none"], fixture("faketime"), &["signal"]);
    let v = values(&out);
    let day = 86_400 * S;
    assert!(
        v["handler"] >= w.rt.0 + day && v["handler"] <= v["realtime"] && v["realtime"] <= w.rt.1 + day,
        "{}",
        out.describe()
    );
}

/// errno and results exactly as natively, bad clock ids and bad sleeps included.
#[test]
fn errno_untouched() {
    let native = native(fixture("faketime"), &["errno"]);
    native.assert_success();
    for spec in ["+1d x2", "2020-01-01 00:00:00"] {
        let (out, _) = fake(spec, &["-qq", "-e", "trace=none"], fixture("faketime"), &["errno"]);
        assert_same_behaviour(&native, &out, true);
    }
}

/// One virtual clock for the tree: processes started later continue it (libfaketime's
/// FAKETIME_DONT_RESET), a fork child agrees with its parent.
#[test]
fn the_tree_shares_one_clock() {
    let (out, w) = fake("@2020-01-01 00:00:00", &[], "sh", &["-c", "date +%s; sh -c 'date +%s'; sleep 1; date +%s"]);
    let t: Vec<i128> = out.stdout_str().lines().map(|l| l.parse::<i128>().unwrap() * S).collect();
    assert_eq!(t.len(), 3, "{}", out.describe());
    assert!(t[0] >= E2020 && t[0] <= t[1] && t[1] + S <= t[2] && t[2] <= E2020 + w.secs(), "{}", out.describe());
    let (out, _) = fake("2020-01-01 00:00:00", &[], "sh", &["-c", "date +%s; sh -c 'date +%s'"]);
    assert_eq!(out.stdout_str(), "1577836800\n1577836800\n");
    let (out, w) = fake("@2020-01-01 00:00:00 x10", &["-qq", "-e", "trace=none"], fixture("faketime"), &["fork"]);
    let v = values(&out);
    assert!(
        v["child"] >= E2020 && v["child"] <= v["parent"] && v["parent"] <= E2020 + 10 * w.secs(),
        "{}",
        out.describe()
    );
}

/// File times go through the same mapping (libfaketime's default): a file touched now shows the
/// virtual now; times the program sets come back as it set them, stored as real times.
#[test]
fn file_times_follow_the_virtual_clock() {
    let dir = TempDir::new("faketime");
    let f = dir.join("f");
    let fs = f.to_str().unwrap();
    let script = format!("touch {fs}; stat -c %Y {fs}; date +%s; touch -d @1000000000 {fs}; stat -c '%Y %X' {fs}");
    let (out, _) = fake("-1d", &["-qq", "-e", "trace=none"], "sh", &["-c", &script]);
    let l: Vec<String> = out.stdout_str().lines().map(str::to_owned).collect();
    assert_eq!(l.len(), 3, "{}", out.describe());
    let (touched, now): (i64, i64) = (l[0].parse().unwrap(), l[1].parse().unwrap());
    assert!((now - touched).abs() <= 2, "{}", out.describe());
    assert_eq!(l[2], "1000000000 1000000000", "{}", out.describe());
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(&f).unwrap().mtime(), 1_000_000_000 + 86_400, "stored as real time");
    // newfstatat (Python's os.stat) as well as statx (stat(1)).
    let py = need("python3");
    let (out, _) = fake(
        "-1d",
        &["-qq", "-e", "trace=none"],
        &py,
        &["-c", &format!("import os; print(int(os.stat('{fs}').st_mtime))")],
    );
    assert_eq!(out.stdout_str(), "1000000000\n", "{}", out.describe());
    let (out, _) =
        fake("2020-01-01 00:00:00", &["-qq", "-e", "trace=none"], "stat", &["-c", "%Y %X %Z", "/etc/passwd"]);
    assert_eq!(out.stdout_str(), "1577836800 1577836800 1577836800\n", "{}", out.describe());
}

/// The first process of a raw LD_PRELOAD run sets the tree's clock up.
#[test]
fn raw_preload_run() {
    let dir = TempDir::new("faketime");
    let mut c = Command::new("sh");
    c.args(["-c", "date +%s; date +%s"])
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", "--fake-time '2020-01-01 00:00:00' -qq -e trace=none")
        .env("TZ", "UTC")
        .current_dir(dir.path());
    let out = run(&mut c);
    out.assert_success();
    assert_eq!(out.stdout_str(), "1577836800\n1577836800\n", "{}", out.describe());
}

#[test]
fn malformed_specs_stop_before_the_program() {
    let cases = [
        ("", "empty spec"),
        ("x2", "'+0 xRATE'"),
        ("2020-01-01 00:00:00 x2", "frozen time has no rate"),
        ("2020-13-01 00:00:00", "month 13"),
        ("2021-02-29 00:00:00", "day 29"),
        ("@2020-01-01", "no time of day"),
        ("+5w", "unexpected 'w'"),
        ("+1d x0", "greater than 0"),
        ("+1y i2", "not supported"),
        ("next friday", "expected"),
    ];
    for (spec, why) in cases {
        let dir = TempDir::new("faketime");
        let marker = dir.join("ran");
        let out = run(&mut selftrace_cmd(dir.path(), &["--fake-time", spec], "touch", &[marker.to_str().unwrap()]));
        assert_eq!(out.status.code(), Some(1), "{spec:?}\n{}", out.describe());
        let err = out.stderr_str();
        assert_eq!(err.lines().count(), 1, "{spec:?}: one line\n{}", out.describe());
        assert!(
            err.starts_with(&format!("selftrace: --fake-time '{spec}': ")) && err.contains(why),
            "{spec:?}\n{}",
            out.describe()
        );
        assert!(!marker.exists(), "{spec:?}: the program ran\n{}", out.describe());
    }
}
