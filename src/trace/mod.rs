//! strace-compatible tracing: decoders print each call in the traced process; lines are
//! assembled and written by the drainer (see `ring` and `render`).

pub mod decode;
pub mod errno;
pub mod filter;
pub mod hook;
pub mod out;
pub mod pathtrace;
pub mod render;
pub mod ring;

use decode::Phase;
use out::Out;

/// What changes how a call prints (strace's -s, -x, -y, -a ...).
#[derive(Clone, Copy, Debug)]
pub struct TraceOpts {
    /// `-s N`: longest string shown (default 32).
    pub string_limit: usize,
    /// `-x` = 1 (non-printables in hex), `-xx` = 2 (every byte in hex).
    pub hex_strings: u8,
    /// `-y`: file descriptors with their paths.
    pub fd_paths: bool,
    /// `-a N`: the column of ` = ` (default 40).
    pub align: usize,
    /// `-X raw|abbrev|verbose`.
    pub xlat: XlatStyle,
    /// Structures in full (strace's `!abbrev(tcp)`): `-v`, or the call is outside
    /// `-e abbrev=`. [`TraceOpts::for_call`] sets it per call.
    pub verbose: bool,
    /// Pointers to structures are followed (strace's `verbose(tcp)`): false for calls outside
    /// `-e verbose=`, whose structures, arrays and numbers behind pointers print as addresses
    /// (strings and data buffers still print).
    pub deref: bool,
    /// Every argument and the result undecoded, in hex (the call is in `-e raw=`).
    pub raw: bool,
    /// The `-e abbrev=`, `-e verbose=`, `-e raw=` sets the flags above come from per call.
    pub quals: Qualifiers,
}

/// strace's per-call qualifier sets `-e abbrev=`, `-e verbose=`, `-e raw=` (`-v` is
/// `-e abbrev=none`; the later of the two wins, as in strace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Qualifiers {
    /// Calls whose structures print abbreviated (default all).
    pub abbrev: filter::SyscallSet,
    /// Calls whose structure pointers are followed (default all).
    pub verbose: filter::SyscallSet,
    /// Calls printed undecoded (default none; calls strace does not know are always raw, as in
    /// strace).
    pub raw: filter::SyscallSet,
}

impl Default for Qualifiers {
    fn default() -> Self {
        Qualifiers {
            abbrev: filter::SyscallSet::all(),
            verbose: filter::SyscallSet::all(),
            raw: filter::SyscallSet::none(),
        }
    }
}

impl TraceOpts {
    /// The options for call `nr`: the flags the qualifier sets give it, on top of the ones set
    /// for every call. A copy on the stack (no allocation: the handler path uses it).
    pub fn for_call(&self, nr: usize) -> TraceOpts {
        let mut o = *self;
        o.verbose |= !self.quals.abbrev.contains_nr(nr);
        o.deref &= self.quals.verbose.contains_nr(nr);
        o.raw |= self.quals.raw.contains_nr(nr);
        o
    }
}

/// `-X`: how named constants and flags print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XlatStyle {
    /// `-X abbrev` (the default): names only, `PROT_READ|PROT_WRITE`.
    Abbrev,
    /// `-X raw`: numbers only, `0x3`.
    Raw,
    /// `-X verbose`: the number with the names as a comment, `0x3 /* PROT_READ|PROT_WRITE */`.
    Verbose,
}

impl Default for TraceOpts {
    fn default() -> Self {
        TraceOpts {
            string_limit: 32,
            hex_strings: 0,
            fd_paths: false,
            align: 40,
            xlat: XlatStyle::Abbrev,
            verbose: false,
            deref: true,
            raw: false,
            quals: Qualifiers::default(),
        }
    }
}

/// What the `-e` expressions (and -z, -Z, -q) select, checked as strace checks them. A qualifier
/// strace has but selftrace does not handle (`read=`, `write=`, `kvm=` ...) is an error, never
/// silently ignored.
pub fn filters(o: &crate::options::Options) -> Result<(filter::Filters, filter::Quiet), String> {
    let mut f = filter::Filters::default();
    for e in &o.exprs {
        // Tampering is the inject shim's (`shims::inject::parse` checks it).
        if matches!(filter::split_qualifier(e).0, filter::Qualifier::Inject | filter::Qualifier::Fault) {
            continue;
        }
        if !f.apply(e)? {
            return Err(format!("-e {e}: this qualifier is not supported"));
        }
    }
    let quiet = filter::Quiet::resolve(o.quiet as u32, f.quiet)?;
    Ok((f, quiet))
}

/// Decoder settings from the options (the `-e` expressions were checked by [`filters`]
/// before the program started).
pub fn trace_opts(o: &crate::options::Options) -> TraceOpts {
    let quals = match filters(o) {
        Ok((f, _)) => Qualifiers { abbrev: f.abbrev, verbose: f.verbose, raw: f.raw },
        Err(_) => Qualifiers::default(),
    };
    TraceOpts {
        string_limit: o.string_limit.unwrap_or(32),
        hex_strings: o.hex,
        fd_paths: o.fd_paths,
        align: o.align.unwrap_or(40),
        xlat: match o.xlat.as_deref() {
            Some("raw") => XlatStyle::Raw,
            Some("verbose") => XlatStyle::Verbose,
            _ => XlatStyle::Abbrev,
        },
        verbose: false,
        deref: true,
        raw: false,
        quals,
    }
}

/// A signal's name as strace prints it: `SIGTERM`, `SIGRTMIN`, `SIGRT_3`.
pub fn signame(sig: i32) -> std::borrow::Cow<'static, str> {
    match filter::signal_name(sig) {
        Some(n) => n.into(),
        None => sig.to_string().into(),
    }
}

/// Pads `line` to the result column and appends ` = <result>`: strace pads what precedes ` = `
/// to `align - 1` columns (the column counts from the start of the line, prefixes included).
pub fn append_result(line: &mut Out, start_of_line: usize, result: &[u8], align: usize) {
    let col = line.len() - start_of_line;
    for _ in col..align.saturating_sub(1) {
        line.byte(b' ');
    }
    line.byte(b' ');
    line.bytes(result);
}

/// The whole line for a call that ran without interruption, without prefixes: what strace
/// prints for a single-threaded program. For tests and for `--json`'s argument strings.
pub fn render_line(nr: usize, args: [usize; 6], ret: isize, opts: &TraceOpts) -> String {
    let mut buf = vec![0u8; 64 * 1024];
    let mut rbuf = [0u8; 2 * decode::NOTE_MAX];
    let mut line = Out::new(&mut buf);
    let entry = decode::decode(&mut line, nr, args, 0, Phase::Entry, opts);
    let outcome = decode::decode_with(&mut line, nr, args, ret, Phase::Exit, opts, entry.carried);
    let mut r = Out::new(&mut rbuf);
    decode::write_result(&mut r, ret, &outcome, opts);
    append_result(&mut line, 0, r.as_bytes(), opts.align);
    String::from_utf8_lossy(line.as_bytes()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(nr: libc::c_long, args: [usize; 6], ret: isize) -> String {
        render_line(nr as usize, args, ret, &TraceOpts::default())
    }

    #[test]
    fn reference_shapes_match_strace() {
        // Each expected line is strace 6.1's output for the same call.
        assert_eq!(line(libc::SYS_getppid, [0; 6], 4242), "getppid()                               = 4242");
        assert_eq!(line(libc::SYS_close, [3, 0, 0, 0, 0, 0], 0), "close(3)                                = 0");
        assert_eq!(
            line(libc::SYS_close, [usize::MAX, 0, 0, 0, 0, 0], -9),
            "close(-1)                               = -1 EBADF (Bad file descriptor)"
        );
        let msg = b"hi\n\x01\x002\"\\";
        assert_eq!(
            line(libc::SYS_write, [1, msg.as_ptr() as usize, msg.len(), 0, 0, 0], 8),
            r#"write(1, "hi\n\1\0002\"\\", 8)          = 8"#
        );
        let long = [b'a'; 40];
        assert_eq!(
            line(libc::SYS_write, [1, long.as_ptr() as usize, 40, 0, 0, 0], 40),
            r#"write(1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 40) = 40"#
        );
        assert_eq!(
            line(libc::SYS_getpriority, [999, 0, 0, 0, 0, 0], -22),
            "getpriority(0x3e7 /* PRIO_??? */, 0)    = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(line(libc::SYS_umask, [0o22, 0, 0, 0, 0, 0], 0o22), "umask(022)                              = 022");
        assert_eq!(line(libc::SYS_exit_group, [0; 6], 0), "exit_group(0)                           = ?");
    }

    #[test]
    fn undecoded_calls_print_their_own_argument_count() {
        // No family decodes these (yet or ever): strace prints each call's own arguments in hex.
        // Lines from strace 6.1; it knows numbers up to 450 (set_mempolicy_home_node).
        assert_eq!(
            line(214, [1, 2, 3, 4, 5, 6], -38),
            "epoll_ctl_old(0x1, 0x2, 0x3, 0x4)       = -1 ENOSYS (Function not implemented)"
        );
        assert_eq!(
            line(0x1c3, [1, 2, 3, 4, 5, 6], -14),
            "syscall_0x1c3(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 EFAULT (Bad address)"
        );
    }

    /// The decoder settings `selftrace ARGS prog` gives the trace.
    fn opts_of(args: &[&str]) -> TraceOpts {
        let words = args.iter().copied().chain(["prog"]).map(std::ffi::OsString::from);
        match crate::options::parse(words, true).unwrap() {
            crate::options::Parsed::Run(o, _) => trace_opts(&o),
            _ => unreachable!(),
        }
    }

    #[test]
    fn qualifier_sets_give_each_call_its_flags() {
        let fstat = libc::SYS_fstat as usize;
        let uname = libc::SYS_uname as usize;
        let dflt = opts_of(&[]);
        assert!(!dflt.for_call(fstat).verbose && dflt.for_call(fstat).deref && !dflt.for_call(fstat).raw);
        // -v is abbrev=none; the later of -v and -e abbrev= wins, as in strace 6.1.
        assert!(opts_of(&["-v"]).for_call(fstat).verbose);
        let after = opts_of(&["-v", "-e", "abbrev=fstat"]);
        assert!(!after.for_call(fstat).verbose && after.for_call(uname).verbose);
        let before = opts_of(&["-e", "abbrev=fstat", "-v"]);
        assert!(before.for_call(fstat).verbose && before.for_call(uname).verbose);
        let v = opts_of(&["-e", "verbose=!fstat"]);
        assert!(!v.for_call(fstat).deref && v.for_call(uname).deref);
        let r = opts_of(&["-e", "raw=%fstat"]);
        assert!(r.for_call(fstat).raw && !r.for_call(uname).raw);
        // Calls strace 6.1 has no name for are always raw there (its printargs), whatever the set.
        assert!(r.for_call(0x1c3).raw && dflt.for_call(0x1c3).raw);
    }

    #[test]
    fn qualifier_sets_change_the_lines() {
        let path = b"/\0";
        let p = path.as_ptr() as usize;
        let mut st = [0u8; 144];
        let sa = st.as_mut_ptr() as usize;
        let raw = opts_of(&["-e", "raw=openat,umask"]);
        assert_eq!(
            render_line(libc::SYS_openat as usize, [(-100i32) as u32 as usize, p, 0x80000, 0, 0, 0], 3, &raw),
            pad(&format!("openat(0xffffff9c, {p:#x}, 0x80000, 0)"), "0x3")
        );
        assert_eq!(
            render_line(libc::SYS_umask as usize, [0o22, 0, 0, 0, 0, 0], 0o22, &raw),
            pad("umask(0x12)", "0x12")
        );
        assert_eq!(
            render_line(libc::SYS_umask as usize, [0o22, 0, 0, 0, 0, 0], 0o22, &TraceOpts::default()),
            pad("umask(022)", "022")
        );
        assert_eq!(
            render_line(libc::SYS_close as usize, [usize::MAX, 0, 0, 0, 0, 0], -9, &opts_of(&["-e", "raw=close"])),
            pad("close(0xffffffffffffffff)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            render_line(libc::SYS_exit_group as usize, [0; 6], 0, &opts_of(&["-e", "raw=all"])),
            pad("exit_group(0)", "?")
        );
        // Not followed: the structure's address (a string argument still prints).
        let none = opts_of(&["-e", "verbose=none"]);
        let fstatat = libc::SYS_newfstatat as usize;
        let line = render_line(fstatat, [3, p, sa, 0, 0, 0], 0, &none);
        assert_eq!(line, pad(&format!("newfstatat(3, \"/\", {sa:#x}, 0)"), "0"));
        let line = render_line(fstatat, [3, p, sa, 0, 0, 0], 0, &opts_of(&[]));
        assert!(line.starts_with("newfstatat(3, \"/\", {st_mode="), "{line}");
        // --json's argument strings follow the same options.
        let mut buf = [0u8; 4096];
        let mut o = out::Out::new(&mut buf);
        decode::write_json(&mut o, 1, libc::SYS_umask as usize, [0o22, 0, 0, 0, 0, 0], 0o22, None, &raw, None);
        assert_eq!(o.as_bytes(), br#"{"pid":1,"syscall":"umask","args":["0x12"],"result":18}"#);
    }

    /// A line with its result at column 40.
    fn pad(call: &str, result: &str) -> String {
        format!("{call:<39} = {result}")
    }

    #[test]
    fn bad_pointers_print_as_addresses() {
        assert_eq!(
            line(libc::SYS_write, [1, 0x10, 5, 0, 0, 0], -14),
            "write(1, 0x10, 5)                       = -1 EFAULT (Bad address)"
        );
        let mut buf = *b"xyz";
        assert_eq!(
            line(libc::SYS_read, [0, buf.as_mut_ptr() as usize, 3, 0, 0, 0], 3),
            r#"read(0, "xyz", 3)                       = 3"#
        );
        assert_eq!(
            line(libc::SYS_read, [0, 0x10, 3, 0, 0, 0], -14),
            "read(0, 0x10, 3)                        = -1 EFAULT (Bad address)"
        );
    }
}
