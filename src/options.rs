//! The strace-style options, shared by the launcher's command line and `SELFTRACE_OPTIONS`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::backend::Backend;

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `-f`: report every thread and process of the tree (the runtime follows them regardless).
    pub follow: bool,
    /// `-ff` (with `-o`): one trace file per task.
    pub per_task: bool,
    /// `-c`: count calls, errors and time; print strace's summary table at the end.
    pub summary: bool,
    /// `-C`: the summary and the trace.
    pub summary_too: bool,
    /// `-w`: summarise wall-clock latency (what the runtime measures in any case).
    pub wall: bool,
    /// `-o FILE`.
    pub output: Option<PathBuf>,
    /// `--backend`; None chooses SUD where the kernel has it.
    pub backend: Option<Backend>,
    /// `-e EXPR` (and `-e` shorthands), in order, as given.
    pub exprs: Vec<String>,
    /// `-s N`.
    pub string_limit: Option<usize>,
    /// `-x` count (1 or 2).
    pub hex: u8,
    /// `-y`.
    pub fd_paths: bool,
    /// `-a N`.
    pub align: Option<usize>,
    /// `-T`.
    pub time_spent: bool,
    /// `-t` count (1..3).
    pub timestamps: u8,
    /// `-r`.
    pub relative: bool,
    /// `-X raw|abbrev|verbose`.
    pub xlat: Option<String>,
    /// `-q` count.
    pub quiet: u8,
    /// `--json`: one JSON object per call instead of strace's lines.
    pub json: bool,
    /// `-S SORTBY` for the `-c` table.
    pub sort_by: Option<String>,
    /// `--fake-time SPEC` (libfaketime's FAKETIME syntax).
    pub fake_time: Option<String>,
    /// `--bind SRC:DEST`, in order, as given.
    pub binds: Vec<String>,
    /// `--fake-root`.
    pub fake_root: bool,
    /// `--uname FIELD=VALUE,...`, in order, as given.
    pub uname: Vec<String>,
    /// `--hook PLUGIN[:ARG]`: C plugins (shared objects), in order, as given.
    pub plugins: Vec<String>,
    /// `--no-fast-path`: every call traps, none reaches the dispatcher by function call (see
    /// [`crate::fastpath`]).
    pub no_fast_path: bool,
    /// `--no-trace`: nothing of the calls is printed, not even the lines strace prints whatever
    /// the filters say (calls it has no name for, `+++ killed by` ...); shims and `-c` still run.
    pub no_trace: bool,
    /// `-A`: append to the `-o` file(s) instead of truncating.
    pub append: bool,
    /// `-E VAR=VAL` / `-E VAR`: the program's environment, changed in order (launcher only).
    pub env: Vec<OsString>,
    /// `-u USER`: run the program with USER's uid, gid and groups (launcher only, as root).
    pub user: Option<String>,
    /// `-n`: each line starts with the call's number, `[  39] `.
    pub syscall_number: bool,
    /// `-i`: each line starts with the address after the call's `syscall` instruction.
    pub instruction_pointer: bool,
    /// `-P PATH`, in order, as given: only calls that touch one of them print.
    pub trace_paths: Vec<String>,
}

impl Options {
    /// `-o |CMD` or `-o !CMD` (strace's forms): the command the output is piped to.
    pub fn output_pipe(&self) -> Option<String> {
        let o = self.output.as_ref()?.to_str()?;
        o.strip_prefix('|').or_else(|| o.strip_prefix('!')).map(str::to_owned)
    }

    /// Whether calls are traced (printed): the default, unless `-c` without `-C`.
    pub fn tracing(&self) -> bool {
        !self.no_trace && (!self.summary || self.summary_too)
    }
}

/// What parsing found besides options.
#[derive(Debug)]
pub enum Parsed {
    /// The options (boxed: they outgrew the other variants) and the program with its arguments.
    Run(Box<Options>, Vec<OsString>),
    /// `-h`/`--help`: print [`USAGE`] and exit 0.
    Help,
    /// `-V`/`--version`: print the version and exit 0.
    Version,
}

/// A usage error, printed as `selftrace: <it>`.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<lexopt::Error> for UsageError {
    fn from(e: lexopt::Error) -> Self {
        UsageError(match e {
            lexopt::Error::UnexpectedOption(o) => {
                format!("unknown option '{o}' (see 'selftrace -h')")
            }
            lexopt::Error::MissingValue { option: Some(o) } => {
                format!("option '{o}' needs a value")
            }
            lexopt::Error::UnexpectedValue { option, value } => {
                format!("option '{option}' takes no value (got '{}')", value.to_string_lossy())
            }
            other => other.to_string(),
        })
    }
}

/// The text `selftrace -h` prints.
pub const USAGE: &str = "\
usage: selftrace [OPTIONS] [--] PROG [ARGS]...
       LD_PRELOAD=/path/libselftrace.so SELFTRACE_OPTIONS='OPTIONS' PROG [ARGS]...

Traces (or counts) every system call of PROG, its threads and children, in-process (no ptrace),
printing what strace 6.1 prints.

Output:
  -o FILE            write to FILE instead of stderr ('|CMD' or '!CMD': pipe to CMD)
  -f                 report child processes and threads too (they are always followed)
  -ff                with -o: one file per task, FILE.TID
  -c                 count time, calls and errors per system call; print strace's summary
  -C                 the summary and the trace
  -S SORTBY          sort the summary by time, calls, errors, name, min-time, max-time,
                     avg-time or nothing
  -w                 summarise wall-clock latency (the runtime always measures it)
  --json             one JSON object per call (pid, syscall, args, result or error, duration)
  --no-trace         print nothing of the calls, signals or exits (for shims; -c still counts)
Startup:
  -E VAR=VAL, -E VAR  put VAR=VAL in the program's environment, or take VAR out
  -u USER            run PROG as USER (uid, gid, supplementary groups; needs root)
Filtering:
  -e trace=SET       calls to trace: names, %class, /regex, !, ?, all, none
  -e status=SET      successful, failed, unfinished, unavailable, detached
  -e signal=SET      signals to show
  -e quiet=SET, -q, -qq, -qqq   suppress messages (-qq: also +++ exited lines)
  -z, -Z             only successful / only failed calls
  -P PATH            only calls that touch PATH, by name or descriptor (repeatable)
Formatting:
  -s N               string limit (default 32)       -a N    column of ' = ' (default 40)
  -x, -xx            non-printable / all bytes in hex  -y      file descriptors with paths
  -X raw|abbrev|verbose   constants as numbers, names or both
  -v                 structures in full (= -e abbrev=none; the later of the two wins)
  -e abbrev=SET      calls whose structures print abbreviated (default all)
  -e verbose=SET     calls whose structure pointers are followed (default all)
  -e raw=SET         calls printed undecoded, in hex (default none)
  -T                 time spent in each call         -r      relative timestamps
  -n                 the call's number first, [  39]  -i      the address after its syscall
                     instruction, [00007f...] (-i traps every call: no fast path)
  -t, -tt, -ttt      time of day, with microseconds, seconds since the epoch
Shims (what the program sees):
  -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=D][:delay_exit=D][:when=A[..B][+S]]
  -e fault=SET:...   strace's fault injection
  --fake-time SPEC   libfaketime's FAKETIME: 'YYYY-MM-DD hh:mm:ss' (frozen), '@YYYY-MM-DD hh:mm:ss'
                     (starts there), +N/-N[smhdy] (offset), and ' xF' (rate)
  --bind SRC:DEST    SRC appears at DEST (repeatable)
  --fake-root        uid/gid 0; chown succeeds and is remembered
  --uname FIELD=VALUE,...   sysname, nodename, release, version, machine, domainname
  --hook PLUGIN[:ARG]  load a C plugin (include/selftrace.h)
Runtime:
  --backend sud|seccomp   Syscall User Dispatch (Linux >= 5.11, the default) or seccomp
  --no-fast-path     trap every call: do not run libc's read, write, pread64, pwrite64,
                     readv, writev, lseek and close through the runtime without a signal
  -h, --help         this help                        -V, --version  version
";

fn parse_backend(v: OsString) -> Result<Backend, UsageError> {
    match v.to_str() {
        Some("sud") => Ok(Backend::Sud),
        Some("seccomp") => Ok(Backend::Seccomp),
        _ => Err(UsageError(format!("unknown backend '{}' (expected 'sud' or 'seccomp')", v.to_string_lossy()))),
    }
}

fn utf8_value(p: &mut lexopt::Parser, opt: &str) -> Result<String, UsageError> {
    let v = p.value()?;
    v.into_string().map_err(|v| UsageError(format!("{opt}: '{}' is not valid UTF-8", v.to_string_lossy())))
}

/// The optional `=VALUE` of a long option, one of `choices` (each with what it means); None
/// without a value. strace's other values are refused by name.
fn long_choice(p: &mut lexopt::Parser, opt: &str, choices: &[(&str, u8)]) -> Result<Option<u8>, UsageError> {
    let Some(v) = p.optional_value() else { return Ok(None) };
    let v = v.to_string_lossy().into_owned();
    let v = v.strip_prefix("format:").unwrap_or(&v).replace("precision:", "");
    match choices.iter().find(|(c, _)| *c == v) {
        Some(&(_, m)) => Ok(Some(m)),
        None => Err(UsageError(format!(
            "{opt}={v} is not supported (expected {})",
            choices.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// An option as the user wrote it, for messages.
fn describe(arg: &lexopt::Arg) -> String {
    match arg {
        lexopt::Arg::Short(c) => format!("-{c}"),
        lexopt::Arg::Long(l) => format!("--{l}"),
        lexopt::Arg::Value(v) => v.to_string_lossy().into_owned(),
    }
}

fn number(p: &mut lexopt::Parser, opt: &str) -> Result<usize, UsageError> {
    let v = p.value()?;
    v.to_str()
        .and_then(|t| t.parse::<usize>().ok())
        .ok_or_else(|| UsageError(format!("invalid {opt} argument: '{}' (expected a number)", v.to_string_lossy())))
}

/// Parses options; with `program_allowed`, the first non-option word starts the program.
pub fn parse<I>(args: I, program_allowed: bool) -> Result<Parsed, UsageError>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(args);
    let mut o = Options::default();
    let mut program = Vec::new();
    let mut follow = 0;
    let mut separately = false;
    while let Some(arg) = p.next()? {
        match arg {
            Short('f') => follow += 1,
            Long("follow-forks") => follow = follow.max(1),
            Long("output-separately") => separately = true,
            Short('c') | Long("summary-only") => o.summary = true,
            Short('C') | Long("summary") => {
                o.summary = true;
                o.summary_too = true;
            }
            Short('w') | Long("summary-wall-clock") => o.wall = true,
            Short('A') | Long("output-append-mode") => o.append = true,
            // strace's long forms of `-e NAME=SET`.
            Long(q @ ("trace" | "signal" | "status" | "abbrev" | "verbose" | "raw" | "quiet" | "inject" | "fault")) => {
                let q = q.to_owned();
                let v = utf8_value(&mut p, &format!("--{q}"))?;
                o.exprs.push(format!("{q}={v}"));
            }
            Long("string-limit") => o.string_limit = Some(number(&mut p, "--string-limit")?),
            Long("columns") => o.align = Some(number(&mut p, "--columns")?),
            Long("successful-only") => o.exprs.push("status=successful".into()),
            Long("failed-only") => o.exprs.push("status=failed".into()),
            Long("no-abbrev") => o.exprs.push("abbrev=none".into()),
            Long("syscall-times") => {
                long_choice(&mut p, "--syscall-times", &[("us", 0)])?;
                o.time_spent = true;
            }
            Long("relative-timestamps") => {
                long_choice(&mut p, "--relative-timestamps", &[("us", 0)])?;
                o.relative = true;
            }
            Long("absolute-timestamps") => {
                let t = &[("time", 1), ("us", 2), ("time,us", 2), ("unix,us", 3)];
                o.timestamps = long_choice(&mut p, "--absolute-timestamps", t)?.unwrap_or(1);
            }
            Long("strings-in-hex") => {
                o.hex = long_choice(&mut p, "--strings-in-hex", &[("all", 2), ("non-ascii", 1)])?.unwrap_or(2);
            }
            Short('n') | Long("syscall-number") => o.syscall_number = true,
            Short('i') | Long("instruction-pointer") => o.instruction_pointer = true,
            Short('P') | Long("trace-path") => {
                let v = utf8_value(&mut p, "-P")?;
                if v.is_empty() {
                    return Err(UsageError("-P: the path is empty".into()));
                }
                o.trace_paths.push(v);
            }
            Long("decode-fds") => {
                long_choice(&mut p, "--decode-fds", &[("path", 0)])?;
                o.fd_paths = true;
            }
            Short('o') | Long("output") => {
                let v = p.value()?;
                if v.is_empty() {
                    return Err(UsageError("option '-o' needs a file name".into()));
                }
                o.output = Some(PathBuf::from(v));
            }
            Short('e') => {
                let v = p.value()?;
                let v = v.to_str().ok_or_else(|| UsageError("-e: expression is not valid UTF-8".into()))?;
                o.exprs.push(v.to_owned());
            }
            Short('s') => o.string_limit = Some(number(&mut p, "-s")?),
            Short('a') => o.align = Some(number(&mut p, "-a")?),
            Short('x') => o.hex = (o.hex + 1).min(2),
            Short('y') => o.fd_paths = true,
            Short('T') => o.time_spent = true,
            Short('t') => o.timestamps = (o.timestamps + 1).min(3),
            Short('r') => o.relative = true,
            // strace's -v is `-e abbrev=none`, and a later -e abbrev= replaces it (and back).
            Short('v') => o.exprs.push("abbrev=none".into()),
            Short('q') => o.quiet = (o.quiet + 1).min(3),
            Short('z') => o.exprs.push("status=successful".into()),
            Short('Z') => o.exprs.push("status=failed".into()),
            Short('X') | Long("const-print-style") => {
                let v = p.value()?;
                match v.to_str() {
                    Some(x @ ("raw" | "abbrev" | "verbose")) => o.xlat = Some(x.to_owned()),
                    _ => {
                        return Err(UsageError(format!(
                            "invalid -X argument: '{}' (expected raw, abbrev or verbose)",
                            v.to_string_lossy()
                        )))
                    }
                }
            }
            Long("json") => o.json = true,
            // Shims without a trace: what a preload! library does by default.
            Long("no-trace") => o.no_trace = true,
            Short('S') | Long("summary-sort-by") => {
                let v = p.value()?.to_string_lossy().into_owned();
                crate::summary::SortBy::parse(&v).map_err(UsageError)?;
                o.sort_by = Some(v);
            }
            Long("backend") => o.backend = Some(parse_backend(p.value()?)?),
            Long("no-fast-path") => o.no_fast_path = true,
            Long("fake-time") => o.fake_time = Some(utf8_value(&mut p, "--fake-time")?),
            Long("bind") => o.binds.push(utf8_value(&mut p, "--bind")?),
            Long("fake-root") => o.fake_root = true,
            Long("uname") => o.uname.push(utf8_value(&mut p, "--uname")?),
            Long("hook") => o.plugins.push(utf8_value(&mut p, "--hook")?),
            Short('E') | Long("env") if program_allowed => o.env.push(p.value()?),
            Short('u') | Long("user") | Long("username") if program_allowed => {
                o.user = Some(utf8_value(&mut p, "-u")?)
            }
            Short('E') | Short('u') | Long("env") | Long("user") | Long("username") => {
                return Err(UsageError(format!("{} is a launcher option: give it to selftrace", describe(&arg))))
            }
            Short('p') | Long("attach") => {
                return Err(UsageError(
                    "-p: selftrace cannot attach to a running process (that takes ptrace); it traces the programs it starts: selftrace [OPTIONS] -- PROG".into(),
                ))
            }
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Short('V') | Long("version") => return Ok(Parsed::Version),
            Value(v) if program_allowed => {
                program.push(v);
                program.extend(p.raw_args()?);
            }
            Value(v) => {
                return Err(UsageError(format!(
                    "unexpected argument '{}' (a program cannot be given here)",
                    v.to_string_lossy()
                )))
            }
            _ => return Err(arg.unexpected().into()),
        }
    }
    o.follow = follow >= 1;
    o.per_task = (follow >= 2 || separately) && o.output.is_some();
    Ok(Parsed::Run(Box::new(o), program))
}

/// Splits `SELFTRACE_OPTIONS` into words: whitespace separates, single and double quotes group,
/// backslash escapes the next character.
pub fn split_words(s: &str) -> Result<Vec<String>, UsageError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => cur.extend(chars.next()),
                        Some(x) => cur.push(x),
                        None => return Err(UsageError(format!("unterminated {c} quote"))),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

impl Options {
    /// The options as one `SELFTRACE_OPTIONS` string (paths made absolute by the caller).
    pub fn to_env_string(&self) -> String {
        let mut w: Vec<String> = Vec::new();
        let mut flag = |on: bool, f: &str| {
            if on {
                w.push(f.into());
            }
        };
        flag(self.follow, "-f");
        flag(self.follow && self.per_task, "-f");
        flag(self.summary && !self.summary_too, "-c");
        flag(self.summary_too, "-C");
        flag(self.wall, "-w");
        flag(self.fd_paths, "-y");
        flag(self.time_spent, "-T");
        flag(self.relative, "-r");
        flag(self.json, "--json");
        flag(self.no_fast_path, "--no-fast-path");
        flag(self.no_trace, "--no-trace");
        flag(self.append, "-A");
        flag(self.syscall_number, "-n");
        flag(self.instruction_pointer, "-i");
        for _ in 0..self.hex {
            w.push("-x".into());
        }
        for _ in 0..self.timestamps {
            w.push("-t".into());
        }
        for _ in 0..self.quiet {
            w.push("-q".into());
        }
        if let Some(n) = self.string_limit {
            w.push(format!("-s {n}"));
        }
        if let Some(n) = self.align {
            w.push(format!("-a {n}"));
        }
        if let Some(x) = &self.xlat {
            w.push(format!("-X {x}"));
        }
        if let Some(s) = &self.sort_by {
            w.push("-S".into());
            w.push(quote(s));
        }
        for e in &self.exprs {
            w.push("-e".into());
            w.push(quote(e));
        }
        if let Some(o) = &self.output {
            w.push("-o".into());
            w.push(quote(&o.to_string_lossy()));
        }
        if let Some(b) = self.backend {
            w.push("--backend".into());
            w.push(b.name().into());
        }
        if self.fake_root {
            w.push("--fake-root".into());
        }
        let mut valued = |opt: &str, v: &str| {
            w.push(opt.into());
            w.push(quote(v));
        };
        if let Some(t) = &self.fake_time {
            valued("--fake-time", t);
        }
        for b in &self.binds {
            valued("--bind", b);
        }
        for u in &self.uname {
            valued("--uname", u);
        }
        for h in &self.plugins {
            valued("--hook", h);
        }
        for t in &self.trace_paths {
            valued("-P", t);
        }

        w.join(" ")
    }

    /// Parses `SELFTRACE_OPTIONS`.
    pub fn from_env_string(s: &str) -> Result<Options, UsageError> {
        match parse(split_words(s)?, false)? {
            Parsed::Run(o, _) => Ok(*o),
            Parsed::Help | Parsed::Version => Err(UsageError("-h and -V are launcher options".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<(Options, Vec<OsString>), UsageError> {
        match parse(args.iter().map(OsString::from), true)? {
            Parsed::Run(o, p) => Ok((*o, p)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn strace_style_flags_and_program() {
        let (o, p) = run(&["-fc", "-o", "out", "--backend=seccomp", "ls", "-l", "-f"]).unwrap();
        assert!(o.follow && o.summary);
        assert_eq!(o.output, Some(PathBuf::from("out")));
        assert_eq!(o.backend, Some(Backend::Seccomp));
        assert_eq!(p, vec![OsString::from("ls"), "-l".into(), "-f".into()]);
    }

    #[test]
    fn no_trace_turns_the_trace_off() {
        let (o, _) = run(&["--no-trace", "--fake-root", "true"]).unwrap();
        assert!(o.no_trace && !o.tracing());
        assert!(o.exprs.is_empty());
        assert!(o.fake_root);
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
    }

    #[test]
    fn strace_line_options() {
        let (o, _) = run(&["-n", "true"]).unwrap();
        assert!(o.syscall_number);
        let (o, _) = run(&["--syscall-number", "true"]).unwrap();
        assert!(o.syscall_number);
        assert_eq!(run(&["--syscall-number=x"]).unwrap_err().0, "option '--syscall-number' takes no value (got 'x')");
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
        let (o, _) = run(&["-in", "true"]).unwrap();
        assert!(o.instruction_pointer && o.syscall_number);
        let (o, _) = run(&["-P", "/a", "--trace-path=b c", "-P/d", "true"]).unwrap();
        assert_eq!(o.trace_paths, vec!["/a", "b c", "/d"]);
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
        assert_eq!(run(&["-P", "", "true"]).unwrap_err().0, "-P: the path is empty");
        assert_eq!(run(&["-P"]).unwrap_err().0, "option '-P' needs a value");
        let (o, _) = run(&["--instruction-pointer", "true"]).unwrap();
        assert!(o.instruction_pointer && !o.syscall_number);
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
    }

    #[test]
    fn double_dash_ends_options() {
        let (o, p) = run(&["-c", "--", "-weird-name"]).unwrap();
        assert!(o.summary);
        assert_eq!(p, vec![OsString::from("-weird-name")]);
    }

    #[test]
    fn errors_name_the_culprit() {
        assert_eq!(run(&["-k", "ls"]).unwrap_err().0, "unknown option '-k' (see 'selftrace -h')");
        assert_eq!(run(&["--bogus"]).unwrap_err().0, "unknown option '--bogus' (see 'selftrace -h')");
        assert_eq!(
            run(&["--backend", "ptrace"]).unwrap_err().0,
            "unknown backend 'ptrace' (expected 'sud' or 'seccomp')"
        );
        assert_eq!(run(&["-o"]).unwrap_err().0, "option '-o' needs a value");
    }

    #[test]
    fn env_string_round_trips() {
        let o = Options {
            follow: true,
            per_task: true,
            summary: true,
            summary_too: true,
            output: Some("/tmp/a b/it's".into()),
            backend: Some(Backend::Sud),
            exprs: vec!["trace=open,read".into(), "signal=!SIGCHLD".into()],
            string_limit: Some(80),
            hex: 2,
            fd_paths: true,
            align: Some(50),
            time_spent: true,
            timestamps: 3,
            relative: true,
            xlat: Some("raw".into()),
            quiet: 1,
            json: true,
            wall: true,
            sort_by: Some("calls".into()),
            fake_time: Some("@2020-01-01 00:00:00 x2".into()),
            binds: vec!["/tmp/a:/b c".into()],
            fake_root: true,
            uname: vec!["nodename=box,release=9.9".into()],
            plugins: vec!["/p/libx.so:arg".into()],
            no_fast_path: true,
            no_trace: true,
            append: true,
            env: Vec::new(),
            user: None,
            syscall_number: true,
            instruction_pointer: true,
            trace_paths: vec!["/tmp/x y".into(), "rel/it's".into()],
        };
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
        assert_eq!(split_words(r#" -c  "x y" a\ b ''"#).unwrap(), vec!["-c", "x y", "a b", ""]);
        assert!(Options::from_env_string("-c prog").unwrap_err().0.contains("'prog'"));
        assert!(split_words("'open").is_err());
    }
}
