//! Tracing output: how lines are assembled (prefixes, -ff, -T, -t, interruptions, restarts),
//! `--json`, and the raw LD_PRELOAD reader. Decoding itself is checked line by line against
//! strace in trace_diff.rs and in the decoders' unit tests.
mod common;
use common::*;
use std::process::Command;

/// Runs selftrace with `opts` on `prog args` in a scratch dir; returns the run and its trace file.
fn traced(opts: &[&str], prog: &str, args: &[&str]) -> (Output, String, TempDir) {
    let dir = TempDir::new("tracing");
    let file = dir.join("trace.txt");
    let mut all: Vec<&str> = opts.to_vec();
    let f = file.to_str().unwrap().to_owned();
    all.extend(["-o", &f]);
    let out = run(&mut selftrace_cmd(dir.path(), &all, fixture(prog), args));
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    (out, text, dir)
}

#[test]
fn one_line_per_call_with_strace_alignment() {
    let (out, text, _d) = traced(&["-e", "trace=getppid,getpriority"], "counts", &["3", "0", "0", "2", "0"]);
    out.assert_success();
    let lines: Vec<&str> = text.lines().collect();
    // The program's parent is the launcher.
    let ppid = lines[0].rsplit(' ').next().unwrap().to_owned();
    assert!(ppid.parse::<u32>().is_ok_and(|p| p > 1), "{text}");
    let mut want: Vec<String> = (0..3).map(|_| format!("{:<39} = {ppid}", "getppid()")).collect();
    want.extend(
        (0..2).map(|_| format!("{:<39} = -1 EINVAL (Invalid argument)", "getpriority(0x3e7 /* PRIO_??? */, 0)")),
    );
    want.push("+++ exited with 0 +++".into());
    assert_eq!(lines, want, "{}", out.describe());
}

#[test]
fn follow_with_output_file_prefixes_pids_and_per_task_files() {
    // -f -o FILE: every line starts with the pid, left-aligned in 5 columns.
    let marker = fixture("marker");
    let m = marker.to_str().unwrap();
    let procs_args = [m, "7", "1000", "200", "30", "0"];
    let (out, text, _d) = traced(&["-f", "-e", "trace=getppid"], "procs", &procs_args);
    out.assert_success();
    let getppid: Vec<&str> = text.lines().filter(|l| l.contains("getppid()")).collect();
    assert_eq!(getppid.len(), 1237, "{text}");
    for l in &getppid {
        let (pid, rest) = l.split_once(' ').unwrap();
        assert!(pid.parse::<u32>().is_ok() && rest.trim_start().starts_with("getppid()"), "{l}");
    }
    // -ff -o FILE: one file per task, FILE.TID, no prefixes.
    let dir = TempDir::new("ff");
    let base = dir.join("t");
    let b = base.to_str().unwrap().to_owned();
    let out =
        run(&mut selftrace_cmd(dir.path(), &["-ff", "-e", "trace=getppid", "-o", &b], fixture("procs"), &procs_args));
    out.assert_success();
    let mut per_file: Vec<usize> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("t."))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().lines().filter(|l| l.starts_with("getppid() ")).count())
        .filter(|&n| n > 0)
        .collect();
    per_file.sort();
    // procs.c: root 7, fork child 1000, exec'd marker 200, posix_spawn'd marker 30.
    assert_eq!(per_file, vec![7, 30, 200, 1000], "{}", out.describe());
}

#[test]
fn time_spent_and_timestamps() {
    let (out, text, _d) = traced(&["-T", "-ttt", "-e", "trace=getppid"], "counts", &["2", "0", "0", "0", "0"]);
    out.assert_success();
    let l = text.lines().next().unwrap();
    // 1700000000.123456 getppid()  = N <0.000012>
    let (stamp, rest) = l.split_once(' ').unwrap();
    let (s, us) = stamp.split_once('.').unwrap();
    assert!(s.parse::<u64>().unwrap() > 1_600_000_000 && us.len() == 6, "{l}");
    assert!(rest.starts_with("getppid()") && rest.ends_with('>') && rest.contains(" <0."), "{l}");
    let (out, text, _d) = traced(&["-tt", "-e", "trace=getppid"], "counts", &["1", "0", "0", "0", "0"]);
    out.assert_success();
    let stamp = text.split(' ').next().unwrap();
    assert_eq!(stamp.len(), "12:34:56.123456".len(), "{text}");
    assert_eq!(stamp.as_bytes()[2], b':');
}

#[test]
fn interrupted_calls_show_restart_codes_like_strace() {
    let strace = need("strace");
    let dir = TempDir::new("restart");
    let so = dir.join("s.txt");
    let out = run(Command::new(&strace).args(["-e", "trace=read,rt_sigreturn", "-o"]).arg(&so).arg(fixture("restart")));
    out.assert_success();
    let (out2, text, _d) = traced(&["-e", "trace=read,rt_sigreturn"], "restart", &[]);
    assert_same_behaviour(&out, &out2, false);
    // strace also shows the SIGCHLD the fork child's exit sends: a signal left at its default
    // (ignoring) action, which never reaches the process, so an in-process tracer cannot see it.
    let norm = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with("--- SIGCHLD") && !l.contains("ELF"))
            .map(|l| {
                l.split_whitespace().map(|w| if w.starts_with("0x") { "ADDR" } else { w }).collect::<Vec<_>>().join(" ")
            })
            .collect()
    };
    let expected = norm(&std::fs::read_to_string(&so).unwrap());
    assert_eq!(norm(&text), expected, "strace:\n{}\nselftrace:\n{text}", std::fs::read_to_string(&so).unwrap());
    assert!(expected.iter().any(|l| l.contains("ERESTARTSYS")), "{expected:?}");
}

#[test]
fn json_objects_parse_and_match_the_text_trace() {
    let (out, text, _d) =
        traced(&["--json", "-T", "-e", "trace=getppid,getpriority,write"], "counts", &["2", "0", "0", "1", "0"]);
    out.assert_success();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + 1 + 1, "{text}");
    // Minimal JSON checks with std only: each object has the keys, in order.
    for l in &lines {
        assert!(l.starts_with("{\"pid\":") && l.ends_with('}'), "{l}");
        assert!(l.contains("\"syscall\":\"") && l.contains("\"args\":[") && l.contains("\"duration\":"), "{l}");
    }
    assert!(lines[0].contains("\"syscall\":\"getppid\",\"args\":[],\"result\":"), "{}", lines[0]);
    assert!(
        lines[2].contains("\"syscall\":\"getpriority\",\"args\":[\"0x3e7 /* PRIO_??? */\",\"0\"],\"error\":\"EINVAL\""),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains("\"syscall\":\"write\",\"args\":[\"1\",\"\\\"counts: getppid=2 "), "{}", lines[3]);
}

#[test]
fn raw_preload_run_is_traced_by_a_detached_reader() {
    let dir = TempDir::new("rawtrace");
    let file = dir.join("t.txt");
    let out = run(Command::new(fixture("counts"))
        .args(["4", "0", "0", "0", "0"])
        .current_dir(dir.path())
        .env("LD_PRELOAD", preload_lib())
        .env("SELFTRACE_OPTIONS", format!("-e trace=getppid -o {}", file.display())));
    out.assert_success();
    // The reader outlives the program by a moment: wait for it to finish the file.
    let mut text = String::new();
    for _ in 0..100 {
        text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.contains("+++ exited with 0 +++") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(text.lines().filter(|l| l.starts_with("getppid() ")).count(), 4, "{text}");
    assert!(text.ends_with("+++ exited with 0 +++\n"), "{text}");
}

#[test]
fn death_by_signal_prints_killed() {
    let (out, text, _d) = traced(&["-f", "-e", "trace=none"], "exit_status", &["0", "-KILL"]);
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&out.status), Some(9), "{}", out.describe());
    assert!(text.lines().last().is_some_and(|l| l.ends_with("+++ killed by SIGKILL +++")), "{text}");
}

/// The program's own signal handling traced as strace traces it (signals.c): its SIGSYS handler
/// (deliveries, the rt_sigreturn it returns through), SIGUSR1 on an alternate stack, EINTR and
/// restarts, a self-sent SIGALRM. Two things differ by design and are normalised: strace reports
/// a signal a thread sends itself with tgkill before the tgkill's result, selftrace after it (the
/// call has returned when the handler runs); and addresses inside data.
#[test]
fn program_signal_handling_traced_like_strace() {
    let strace = need("strace");
    let dir = TempDir::new("sigtrace");
    let (so, fo) = (dir.join("s.txt"), dir.join("t.txt"));
    let set = "trace=kill,tgkill,rt_sigreturn,read,alarm,sigaltstack";
    let out = run(Command::new(&strace)
        .args(["-f", "-e", set, "-e", "signal=!SIGCHLD", "-o"])
        .arg(&so)
        .arg(fixture("signals")));
    out.assert_success();
    let out = run(Command::new(selftrace())
        .args(["-f", "-e", set, "-e", "signal=!SIGCHLD", "-o"])
        .arg(&fo)
        .arg(fixture("signals")));
    out.assert_success();
    // Hex values become ADDR, numbers of 4+ digits (pids) N.
    fn mask(l: &str) -> String {
        let b = l.as_bytes();
        let (mut out, mut i) = (String::new(), 0);
        while i < b.len() {
            if b[i..].starts_with(b"0x") {
                let n = b[i + 2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
                out.push_str("ADDR");
                i += 2 + n;
            } else if b[i].is_ascii_digit() {
                let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                out.push_str(if n >= 4 { "N" } else { &l[i..i + n] });
                i += n;
            } else {
                out.push(b[i] as char);
                i += 1;
            }
        }
        out
    }
    // Each thread's own lines, threads in order of appearance: how two threads' lines
    // interleave is timing, for strace as for selftrace.
    let norm = |p: &std::path::Path| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(p).unwrap();
        let mut order: Vec<String> = Vec::new();
        let mut per: Vec<Vec<String>> = Vec::new();
        for l in text.lines() {
            let (pid, l) = l.split_once(' ').unwrap_or(("", ""));
            let l = l.trim_start();
            // The kicker thread polls /proc/self/task/TID/syscall until the main thread is
            // blocked in read: how many polls that takes is timing.
            // (The file holds the call's number and arguments, or "running" between calls.)
            let proc_poll = l.starts_with("read(")
                && l.split_once(", \"").is_some_and(|(_, r)| {
                    r.starts_with("running\\n")
                        || r.split(' ').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
                });
            if l.contains("\\177ELF") || l.starts_with("<... tgkill resumed>") || proc_poll {
                continue;
            }
            let l = if l.starts_with("tgkill(") { l.split([')', '<']).next().unwrap().trim_end() } else { l };
            let k = match order.iter().position(|p| p == pid) {
                Some(k) => k,
                None => {
                    order.push(pid.to_owned());
                    per.push(Vec::new());
                    per.len() - 1
                }
            };
            // Pids of different widths move the ` = ` column: compare with one space before it.
            let l = mask(l);
            let l = match l.rfind(" = ") {
                Some(i) => format!("{} {}", l[..i].trim_end(), &l[i + 1..]),
                None => l,
            };
            per[k].push(l);
        }
        per
    };
    let (a, b) = (norm(&so), norm(&fo));
    assert!(a[0].iter().filter(|l| l.starts_with("--- SIGSYS")).count() >= 3, "{a:#?}");
    assert_eq!(
        b,
        a,
        "strace:\n{}\nselftrace:\n{}",
        std::fs::read_to_string(&so).unwrap(),
        std::fs::read_to_string(&fo).unwrap()
    );
}

#[test]
fn quiet_leaves_out_exit_lines() {
    let (out, text, _d) = traced(&["-qq", "-e", "trace=getppid"], "counts", &["2", "0", "0", "0", "0"]);
    out.assert_success();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains("+++"), "{text}");
    let (out, text, _d) = traced(&["-q", "-e", "trace=getppid"], "counts", &["2", "0", "0", "0", "0"]);
    out.assert_success();
    assert!(text.ends_with("+++ exited with 0 +++\n"), "-q keeps exit lines: {text}");
}

#[test]
fn summary_with_trace_and_sort_orders() {
    // -C: the trace, then the summary, in the same file; -S calls orders its rows by calls.
    let (out, text, _d) =
        traced(&["-C", "-S", "calls", "-e", "trace=getppid,getuid"], "counts", &["5", "3", "0", "0", "0"]);
    out.assert_success();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.iter().filter(|l| l.starts_with("getppid() ")).count(), 5, "{text}");
    let table = &text[text.find("% time").expect("summary after the trace")..];
    // (The shared parser checks strace's default order, by time; -S calls orders by calls.)
    let rows: Vec<(u64, &str)> = table
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("------"))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[3].parse().unwrap(), *f.last().unwrap())
        })
        .collect();
    assert_eq!(&rows[..2], &[(5, "getppid"), (3, "getuid")], "{table}");
    assert!(rows.windows(2).all(|w| w[0].0 >= w[1].0), "rows not by calls: {table}");
}

#[test]
fn relative_timestamps() {
    let (out, text, _d) = traced(&["-r", "-e", "trace=getppid"], "counts", &["3", "0", "0", "0", "0"]);
    out.assert_success();
    for l in text.lines() {
        // "     0.000123 getppid() ..." : 6-wide seconds, 6 decimals.
        let stamp = &l[..13];
        let (s, us) = stamp.trim_start().split_once('.').unwrap();
        assert!(s.parse::<u64>().is_ok() && us.len() == 6 && l.as_bytes()[13] == b' ', "{l}");
    }
}

#[test]
fn version_and_help() {
    let out = run(Command::new(selftrace()).arg("-V"));
    out.assert_success();
    assert!(out.stdout_str().starts_with("selftrace "), "{}", out.describe());
    let out = run(Command::new(selftrace()).arg("-h"));
    out.assert_success();
    for opt in ["-e trace=", "-ff", "--json", "-S SORTBY", "-X raw", "--backend"] {
        assert!(out.stdout_str().contains(opt), "-h does not mention {opt}");
    }
}

/// --json output parsed back (by python3's json module): every call is one object with the
/// required keys, the same calls in the same order as the text trace.
#[test]
fn json_parses_and_matches_text_calls() {
    let python = need("python3");
    let args = ["4", "2", "1", "1", "0"];
    let (out, json, d1) = traced(&["--json", "-T", "-e", "trace=!%memory"], "counts", &args);
    out.assert_success();
    let (out, text, _d2) = traced(&["-e", "trace=!%memory"], "counts", &args);
    out.assert_success();
    let file = d1.join("j.json");
    std::fs::write(&file, &json).unwrap();
    let script = r#"
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) >= {"pid", "syscall", "args", "duration"}, o
    assert ("result" in o) != ("error" in o), o
    assert all(isinstance(a, str) for a in o["args"]), o
    print(o["syscall"], o["error"] if "error" in o else o["result"])
"#;
    let py = run(Command::new(python).arg("-c").arg(script).arg(&file));
    py.assert_success();
    let from_json: Vec<String> = py.stdout_str().lines().map(|l| l.split(' ').next().unwrap().to_owned()).collect();
    let from_text: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("+++") && !l.starts_with("---"))
        .map(|l| l.split('(').next().unwrap().to_owned())
        .collect();
    assert_eq!(from_json, from_text, "json:\n{json}\ntext:\n{text}");
    let printed = py.stdout_str();
    let errors: Vec<&str> = printed.lines().filter(|l| l.ends_with("EINVAL")).collect();
    assert_eq!(errors, ["getpriority EINVAL"], "{printed}");
}

/// `-o |CMD` and `-o !CMD` (strace's forms): the lines, and with -C the table after them, reach
/// CMD's stdin, CMD has finished when the launcher exits, and the exit status is the program's.
/// A CMD that fails is reported while the program's status stays (as strace does).
#[test]
fn output_piped_to_a_command() {
    let d = TempDir::new("pipe-out");
    let sh = need("sh");
    for form in ["|", "!"] {
        let got = d.join("got");
        let cmd = format!("{form}cat -n > {}", got.display());
        let out =
            run(&mut selftrace_cmd(d.path(), &["-C", "-e", "trace=write", "-o", &cmd], &sh, &["-c", "echo x; exit 3"]));
        assert_eq!(out.status.code(), Some(3), "{}", out.describe());
        assert_eq!(out.stdout_str(), "x\n");
        assert_eq!(out.stderr_str(), "", "{}", out.describe());
        let text = std::fs::read_to_string(&got).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("     1\t{:<39} = 2", "write(1, \"x\\n\", 2)"), "{text}");
        assert_eq!(lines[1], "     2\t+++ exited with 3 +++", "{text}");
        // strace counts only the traced calls: one write, and the total row.
        assert_eq!(lines.len(), 2 + 5, "{text}");
        let calls = lines.iter().find(|l| l.ends_with(" write")).unwrap_or_else(|| panic!("no table\n{text}"));
        assert_eq!(calls.split_whitespace().nth(4), Some("1"), "{text}");
        assert!(!d.join(&cmd).exists() && !d.join(&cmd[1..]).exists());
    }
    let out = run(&mut selftrace_cmd(
        d.path(),
        &["-o", "|exit 0"],
        &sh,
        &["-c", "i=0; while [ $i -lt 300 ]; do echo; i=$((i+1)); done >/dev/null; exit 4"],
    ));
    assert_eq!(out.status.code(), Some(4), "{}", out.describe());
    assert_eq!(out.stderr_str(), "selftrace: writing the trace: Broken pipe\n", "{}", out.describe());
}

/// `-E VAR=VAL` / `-E VAR` and `-u USER` change the program's environment and ids as strace's
/// do: the program prints the same under both. The program's LD_PRELOAD is the one -E leaves,
/// loaded after the runtime (none here: the program sees none).
#[test]
fn env_and_user_options_as_strace() {
    let d = scratch("env-user");
    let sh = need("sh");
    let script = "echo \"${FOO-unset}:${HOME-unset}:$(id -u):$(id -G)\"; echo \"${LD_PRELOAD-none}\"";
    let opts = ["-E", "FOO=a=b", "-E", "HOME", "-E", "LD_PRELOAD"];
    let st = run(std::process::Command::new(need("strace"))
        .args(["-o", "/dev/null"])
        .args(opts)
        .arg(&sh)
        .args(["-c", script])
        .current_dir(d.path()));
    st.assert_success();
    let me = run(&mut selftrace_cmd(d.path(), &[&opts[..], &["-o", "/dev/null"]].concat(), &sh, &["-c", script]));
    me.assert_success();
    assert_eq!(me.stdout_str(), st.stdout_str(), "{}", me.describe());
    assert!(me.stdout_str().starts_with("a=b:unset:"), "{}", me.describe());
    if running_as_root() {
        let st = run(std::process::Command::new(need("strace"))
            .args(["-o", "/dev/null", "-u", "nobody"])
            .arg(&sh)
            .args(["-c", script])
            .current_dir(d.path()));
        st.assert_success();
        let me = run(std::process::Command::new(world_launcher())
            .args(["-f", "-c", "-o", d.join("sum").to_str().unwrap(), "-u", "nobody", "--"])
            .arg(&sh)
            .args(["-c", script])
            .current_dir(d.path()));
        me.assert_success();
        assert_eq!(me.stdout_str(), st.stdout_str(), "{}", me.describe());
        assert_eq!(me.stderr_str(), "", "{}", me.describe());
        assert!(me.stdout_str().contains(":65534:"), "{}", me.describe());
        // The images run as nobody were traced: each `id` exec'd and counted.
        let s = read_summary(&d.join("sum"), &me);
        assert_eq!(s.calls("execve"), 3, "{}", s.text);
    }
}

/// `+++ exited` and `+++ killed by` lines carry the time of day with -t/-tt/-ttt as strace's do
/// (they printed 0 before), and a child's death by SIGKILL, which only its parent's wait reveals,
/// prints even when that wait is not traced (`-e trace=none`), as under strace.
#[test]
fn ends_of_tasks_are_stamped_and_never_lost() {
    let d = TempDir::new("task-ends");
    let sh = need("sh");
    let out = run(&mut selftrace_cmd(d.path(), &["-ttt", "-e", "trace=write"], &sh, &["-c", "echo b"]));
    out.assert_success();
    let err = out.stderr_str();
    let stamps: Vec<f64> = err.lines().map(|l| l.split(' ').next().unwrap().parse::<f64>().unwrap()).collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    assert_eq!(stamps.len(), 2, "{err}");
    assert!(err.lines().nth(1).unwrap().ends_with(" +++ exited with 0 +++"), "{err}");
    for t in &stamps {
        assert!((now - t).abs() < 120.0, "{err}");
    }
    assert!(stamps[1] >= stamps[0], "{err}");
    let script = "sh -c 'kill -9 $$'; true";
    let killed = |out: &Output| out.stderr_str().lines().filter(|l| l.ends_with("+++ killed by SIGKILL +++")).count();
    let me = run(&mut selftrace_cmd(d.path(), &["-f", "-e", "trace=none"], &sh, &["-c", script]));
    me.assert_success();
    let st =
        run(std::process::Command::new(need("strace")).args(["-f", "-e", "trace=none"]).arg(&sh).args(["-c", script]));
    assert_eq!(killed(&st), 1, "{}", st.describe());
    assert_eq!(killed(&me), 1, "{}", me.describe());
}
