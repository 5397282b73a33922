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
    /// `-c`: count calls, errors and time; print strace's summary table at the end.
    pub summary: bool,
    /// `-w`: summarise wall-clock latency (what the runtime measures in any case).
    pub wall: bool,
    /// `-o FILE`.
    pub output: Option<PathBuf>,
    /// `--backend`; None chooses SUD where the kernel has it.
    pub backend: Option<Backend>,
}

/// What parsing found besides options.
#[derive(Debug)]
pub enum Parsed {
    Run(Options, Vec<OsString>),
    Help,
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
                format!(
                    "option '{option}' takes no value (got '{}')",
                    value.to_string_lossy()
                )
            }
            other => other.to_string(),
        })
    }
}

pub const USAGE: &str = "\
usage: selftrace [-f] [-c] [-w] [-o FILE] [--backend sud|seccomp] [--] PROG [ARGS]...
       LD_PRELOAD=/path/libselftrace.so SELFTRACE_OPTIONS='-c -o FILE' PROG [ARGS]...

Traps every system call of PROG, its threads and children in-process (no ptrace).

  -f                 report child processes and threads too (they are always followed)
  -c                 count time, calls and errors per system call; print strace's summary
  -w                 summarise wall-clock latency (the runtime always measures it)
  -o FILE            write the summary to FILE instead of stderr
  --backend NAME     sud (Syscall User Dispatch, Linux >= 5.11, the default) or seccomp
  -h, --help         this help
  -V, --version      version
";

fn parse_backend(v: OsString) -> Result<Backend, UsageError> {
    match v.to_str() {
        Some("sud") => Ok(Backend::Sud),
        Some("seccomp") => Ok(Backend::Seccomp),
        _ => Err(UsageError(format!(
            "unknown backend '{}' (expected 'sud' or 'seccomp')",
            v.to_string_lossy()
        ))),
    }
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
    while let Some(arg) = p.next()? {
        match arg {
            Short('f') => o.follow = true,
            Short('c') => o.summary = true,
            Short('w') => o.wall = true,
            Short('o') => {
                let v = p.value()?;
                if v.is_empty() {
                    return Err(UsageError("option '-o' needs a file name".into()));
                }
                o.output = Some(PathBuf::from(v));
            }
            Long("backend") => o.backend = Some(parse_backend(p.value()?)?),
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
    Ok(Parsed::Run(o, program))
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
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

impl Options {
    /// The options as one `SELFTRACE_OPTIONS` string (paths made absolute by the caller).
    pub fn to_env_string(&self) -> String {
        let mut w: Vec<String> = Vec::new();
        if self.follow {
            w.push("-f".into());
        }
        if self.summary {
            w.push("-c".into());
        }
        if self.wall {
            w.push("-w".into());
        }
        if let Some(o) = &self.output {
            w.push("-o".into());
            w.push(quote(&o.to_string_lossy()));
        }
        if let Some(b) = self.backend {
            w.push("--backend".into());
            w.push(b.name().into());
        }
        w.join(" ")
    }

    /// Parses `SELFTRACE_OPTIONS`.
    pub fn from_env_string(s: &str) -> Result<Options, UsageError> {
        match parse(split_words(s)?, false)? {
            Parsed::Run(o, _) => Ok(o),
            Parsed::Help | Parsed::Version => {
                Err(UsageError("-h and -V are launcher options".into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<(Options, Vec<OsString>), UsageError> {
        match parse(args.iter().map(OsString::from), true)? {
            Parsed::Run(o, p) => Ok((o, p)),
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
    fn double_dash_ends_options() {
        let (o, p) = run(&["-c", "--", "-weird-name"]).unwrap();
        assert!(o.summary);
        assert_eq!(p, vec![OsString::from("-weird-name")]);
    }

    #[test]
    fn errors_name_the_culprit() {
        assert_eq!(
            run(&["-k", "ls"]).unwrap_err().0,
            "unknown option '-k' (see 'selftrace -h')"
        );
        assert_eq!(
            run(&["--bogus"]).unwrap_err().0,
            "unknown option '--bogus' (see 'selftrace -h')"
        );
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
            summary: true,
            wall: false,
            output: Some("/tmp/a b/it's".into()),
            backend: Some(Backend::Sud),
        };
        assert_eq!(Options::from_env_string(&o.to_env_string()).unwrap(), o);
        assert_eq!(
            split_words(r#" -c  "x y" a\ b ''"#).unwrap(),
            vec!["-c", "x y", "a b", ""]
        );
        assert!(Options::from_env_string("-c prog")
            .unwrap_err()
            .0
            .contains("'prog'"));
        assert!(split_words("'open").is_err());
    }
}
