//! Syscall decoders: how each call's arguments and result print, byte for byte as strace 6.1.
//!
//! A decoder is one straight-line function over a [`Decoder`]; it runs twice per call. At entry,
//! it prints the arguments known then, up to [`Decoder::split`]; at exit, what follows the split
//! (output buffers, structures the kernel filled), then the result. So `read` prints `read(3, `
//! at entry and `"abc", 4) = 3` at exit, which is what strace shows around `<unfinished ...>`.
//!
//! Families live in their own files (`file.rs`, `process.rs`, ...), each with a
//! `lookup(nr) -> Option<DecodeFn>`; [`decoder_for`] asks them in turn. A call no family
//! knows prints its arguments in hex (strace's fallback), an unknown number as `syscall_0x1c8`.

use core::fmt::Write;

use super::out::Out;
use super::TraceOpts;

pub mod admin;
pub mod common;
pub mod file;
pub mod fs_extra;
pub mod net;
pub mod proc_extra;
pub mod process;
#[cfg(test)]
mod testing;

/// A syscall's decoder.
pub type DecodeFn = fn(&mut Decoder);

/// Which half of the line is being printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase {
    /// Before the call: the arguments up to [`Decoder::split`].
    Entry,
    /// After the call: the arguments after the split, then the result.
    Exit,
}

/// How the result prints.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ret {
    /// Signed decimal (the default).
    Dec,
    /// `0x...` (mmap, brk).
    Hex,
    /// Unsigned octal with a leading 0 (umask).
    Oct,
    /// A file descriptor (`3`, with -y `3</path>`).
    Fd,
    /// The call does not return (`= ?`): exit, exit_group, a successful execve in the old image.
    None,
}

/// Prints one call. Decoders use its methods in argument order.
pub struct Decoder<'o, 'b> {
    /// The line being built (the calling thread's scratch memory: no allocation).
    pub out: &'o mut Out<'b>,
    /// The arguments the program passed (`Call::orig_args`), as raw register values.
    pub args: [usize; 6],
    /// The raw result (`-errno` on failure); meaningful in the exit phase.
    pub ret: isize,
    /// Which half of the line this run prints.
    pub phase: Phase,
    /// `-s`, `-x`, `-y`, `-X`, `-v`: how values print.
    pub opts: &'o TraceOpts,
    /// Arguments seen so far in this run of the decoder (printed or not).
    index: usize,
    /// The split has been passed.
    past_split: bool,
    /// Index of the first argument after the split (no separator before it at exit).
    first_after_split: usize,
    /// JSON mode: both phases in one run (the split is only a boundary), and each printed
    /// argument's start offset in `out` recorded.
    whole: bool,
    /// JSON mode: where each printed argument starts in `out` (the first 8).
    pub arg_starts: [u32; 8],
    /// JSON mode: how many entries of `arg_starts` are set.
    pub nargs_printed: usize,
    /// How the result prints; a decoder sets it when its call's result is not signed decimal.
    pub ret_kind: Ret,
    /// Text after the result, e.g. ` (Timeout)`, set by the decoder at exit.
    pub ret_note: Option<&'static str>,
    /// Text after the result built at exit (` (in [3])`, ` ([{fd=3, revents=POLLIN}])`): see
    /// [`Decoder::note`].
    note: Note,
    /// A value the entry phase reads and the exit phase needs (an in/out length before the call
    /// changed it, `[110 => 16]`): set at entry, kept by the tracer with the call, given back at
    /// exit. None at exit when there was no entry phase: decoders then read the value as it is.
    /// An entry phase run again after the call (a line written whole at exit) gets it back too.
    pub carried: Option<[u64; 3]>,
}

/// Longest text after a result.
pub const NOTE_MAX: usize = 1024;

/// The text a decoder writes after the result.
pub struct Note {
    /// Cleared on first use: most calls have no note, and every call builds one.
    buf: core::mem::MaybeUninit<[u8; NOTE_MAX]>,
    len: usize,
    ready: bool,
}

impl Note {
    fn new() -> Note {
        Note { buf: core::mem::MaybeUninit::uninit(), len: 0, ready: false }
    }

    /// The text written so far.
    pub fn as_bytes(&self) -> &[u8] {
        if !self.ready {
            return &[];
        }
        // SAFETY: `ready`: the whole buffer was zeroed.
        unsafe { &self.buf.assume_init_ref()[..self.len] }
    }

    fn buf_mut(&mut self) -> &mut [u8; NOTE_MAX] {
        if !self.ready {
            self.buf = core::mem::MaybeUninit::zeroed();
            self.ready = true;
        }
        // SAFETY: zeroed above if it was not already.
        unsafe { self.buf.assume_init_mut() }
    }
}

/// What a decoder's exit phase leaves for the result: its kind and the notes after it.
pub struct Outcome {
    /// How the result prints.
    pub kind: Ret,
    /// A constant note after the result (` (Timeout)`), printed before `note`.
    pub static_note: Option<&'static str>,
    /// The note the exit phase built (` (in [3])`).
    pub note: Note,
    /// What the entry phase carried (see [`Decoder::carried`]).
    pub carried: Option<[u64; 3]>,
}

impl<'o, 'b> Decoder<'o, 'b> {
    /// A decoder for one phase of one call, writing to `out`. `ret` matters only at
    /// [`Phase::Exit`].
    pub fn new(out: &'o mut Out<'b>, args: [usize; 6], ret: isize, phase: Phase, opts: &'o TraceOpts) -> Self {
        Decoder {
            out,
            args,
            ret,
            phase,
            opts,
            index: 0,
            whole: false,
            arg_starts: [0; 8],
            nargs_printed: 0,
            past_split: false,
            first_after_split: usize::MAX,
            ret_kind: Ret::Dec,
            ret_note: None,
            note: Note::new(),
            carried: None,
        }
    }

    /// Whether output goes to the line in this phase.
    pub fn active(&self) -> bool {
        if self.whole {
            return true;
        }
        match self.phase {
            Phase::Entry => !self.past_split,
            Phase::Exit => self.past_split,
        }
    }

    /// Appends to the text after the result (exit phase only; ignored at entry).
    pub fn note(&mut self, f: impl FnOnce(&mut Out)) {
        if self.phase != Phase::Exit {
            return;
        }
        let len = self.note.len;
        let mut o = Out::new(&mut self.note.buf_mut()[len..]);
        o.no_deref = self.out.no_deref;
        f(&mut o);
        self.note.len = len + o.len();
    }

    /// Whether the call failed (exit phase).
    pub fn failed(&self) -> bool {
        crate::sys::is_error(self.ret)
    }

    /// Starts the next argument: returns false when it is not printed in this phase.
    pub fn next_arg(&mut self) -> bool {
        let i = self.index;
        self.index += 1;
        if !self.active() {
            return false;
        }
        if i > 0 && (self.whole || i != self.first_after_split) {
            self.out.s(", ");
        }
        if self.nargs_printed < self.arg_starts.len() {
            self.arg_starts[self.nargs_printed] = self.out.len() as u32;
            self.nargs_printed += 1;
        }
        true
    }

    /// Entry/exit boundary: what follows is printed when the call returns.
    pub fn split(&mut self) {
        if self.phase == Phase::Entry && !self.whole && !self.past_split && self.index > 0 {
            self.out.s(", ");
        }
        self.past_split = true;
        self.first_after_split = self.index;
    }

    /// Argument `i` as a C `int`.
    pub fn int(&mut self, i: usize) {
        if self.next_arg() {
            self.out.i64(self.args[i] as i32 as i64);
        }
    }

    /// Argument `i` as a `long`.
    pub fn long(&mut self, i: usize) {
        if self.next_arg() {
            self.out.i64(self.args[i] as i64);
        }
    }

    /// Argument `i` as an unsigned `long` / `size_t`.
    pub fn ulong(&mut self, i: usize) {
        if self.next_arg() {
            self.out.u64(self.args[i] as u64);
        }
    }

    /// Argument `i` as an unsigned `int`.
    pub fn uint(&mut self, i: usize) {
        if self.next_arg() {
            self.out.u64(self.args[i] as u32 as u64);
        }
    }

    /// Argument `i` in hex.
    pub fn hex(&mut self, i: usize) {
        if self.next_arg() {
            self.out.hex(self.args[i] as u64);
        }
    }

    /// Argument `i` as a pointer (`NULL` or its address).
    pub fn ptr(&mut self, i: usize) {
        if self.next_arg() {
            self.out.ptr(self.args[i]);
        }
    }

    /// Argument `i` as a file descriptor.
    pub fn fd(&mut self, i: usize) {
        if self.next_arg() {
            common::print_fd(self.out, self.args[i] as i32, self.opts);
        }
    }

    /// Argument `i` as a directory fd of the *at calls ([`common::print_dirfd`]).
    pub fn dirfd(&mut self, i: usize) {
        if self.next_arg() {
            common::print_dirfd(self.out, self.opts, self.args[i] as i32);
        }
    }

    /// Argument `i` as a path (printed whole: -s does not apply to file names).
    pub fn path(&mut self, i: usize) {
        if self.next_arg() {
            let a = self.args[i];
            self.out.c_str(a, libc::PATH_MAX as usize, self.opts);
        }
    }

    /// Argument `i` as a NUL-terminated string, cut at -s.
    pub fn string(&mut self, i: usize) {
        if self.next_arg() {
            let a = self.args[i];
            self.out.c_str(a, self.opts.string_limit, self.opts);
        }
    }

    /// Argument `i` as a buffer of `len` bytes (printed at most -s of them).
    pub fn buf(&mut self, i: usize, len: usize) {
        if self.next_arg() {
            let a = self.args[i];
            self.out.mem_str(a, len, self.opts);
        }
    }

    /// An output buffer: the bytes the call returned (`ret` of them), or its address when the
    /// call failed.
    pub fn out_buf(&mut self, i: usize) {
        if self.next_arg() {
            let a = self.args[i];
            if self.failed() {
                self.out.ptr(a);
            } else {
                self.out.mem_str(a, self.ret as usize, self.opts);
            }
        }
    }

    /// Argument `i` as flags ([`common::xflags`]: `dflt` is the comment after unknown bits).
    pub fn flags(&mut self, i: usize, names: &[(u64, &str)], dflt: Option<&str>) {
        if self.next_arg() {
            common::xflags(self.out, self.opts, self.args[i] as u64, names, dflt);
        }
    }

    /// Argument `i` as one named constant ([`common::xval`]: `dflt` is the comment after an
    /// unknown value).
    pub fn xlat(&mut self, i: usize, names: &[(u64, &str)], dflt: Option<&str>) {
        if self.next_arg() {
            common::xval(self.out, self.opts, self.args[i] as u64, names, dflt);
        }
    }

    /// Argument `i` printed by `f` (structures and other special cases).
    pub fn with(&mut self, f: impl FnOnce(&mut Out, &TraceOpts, usize)) {
        let i = self.index;
        if self.next_arg() {
            f(self.out, self.opts, self.args[i]);
        }
    }

    /// An argument not taken from `args` (e.g. a value read from a structure), printed by `f`.
    pub fn extra(&mut self, f: impl FnOnce(&mut Out, &TraceOpts)) {
        if self.next_arg() {
            f(self.out, self.opts);
        }
    }
}

/// The decoder for `nr`, from the families.
pub fn decoder_for(nr: usize) -> Option<DecodeFn> {
    common::lookup(nr)
        .or_else(|| file::lookup(nr))
        .or_else(|| process::lookup(nr))
        .or_else(|| net::lookup(nr))
        .or_else(|| fs_extra::lookup(nr))
        .or_else(|| proc_extra::lookup(nr))
        .or_else(|| admin::lookup(nr))
}

/// Argument counts of the x86-64 system calls 0..=334, one digit each (strace's syscall table:
/// facts, not code), for calls printed without a decoder.
const NARGS_LOW: &[u8; 335] = b"33312223363214403443321505333333120221304333663323233455500314213341245332112232112212212322333122211403011002000222233331111222432223112223232231112221003215212101252214221323215435553303555444333222216331215331314453104434211222414432563541552345545320324434534345343365123644464632144244213214445525453214236653345332535133666421564";
/// ... and 424..=462.
const NARGS_HIGH: [u8; 39] = [
    4, 2, 6, 4, 3, 5, 2, 5, 3, 3, 2, 2, 3, 4, 3, 4, 5, 6, 5, 4, 3, 4, 2, 1, 2, 5, 4, 4, 4, 3, 4, 6, 4, 4, 4, 4, 4, 3, 3,
];

/// Number of arguments strace shows for a call it has no decoder for (all six for numbers it
/// does not know).
fn generic_nargs(nr: usize) -> usize {
    match nr {
        0..=334 => (NARGS_LOW[nr] - b'0') as usize,
        424..=LAST_NAMED => NARGS_HIGH[nr - 424] as usize,
        _ => 6,
    }
}

/// The highest system call number strace 6.1 names (set_mempolicy_home_node); newer ones print
/// as `syscall_0x...` there, and so here.
const LAST_NAMED: usize = 450;

/// The name strace 6.1 gives a system call number (None: it prints `syscall_0x...`).
pub fn syscall_name(nr: usize) -> Option<&'static str> {
    super::filter::syscall_name(nr)
}

/// Writes `name(` (the start of every line).
pub fn write_name(out: &mut Out, nr: usize) {
    match syscall_name(nr) {
        Some(s) => out.s(s),
        None => {
            let _ = write!(out, "syscall_{nr:#x}");
        }
    }
    out.byte(b'(');
}

/// Runs the decoder for one phase: at entry `name(` and the entry arguments; at exit the rest
/// and `)`. The result is written separately by [`write_result`] (the drainer pads to column
/// `-a` in between).
pub fn decode(out: &mut Out, nr: usize, args: [usize; 6], ret: isize, phase: Phase, opts: &TraceOpts) -> Outcome {
    decode_with(out, nr, args, ret, phase, opts, None)
}

/// [`decode`], with the value the entry phase carried given to the exit phase.
pub fn decode_with(
    out: &mut Out,
    nr: usize,
    args: [usize; 6],
    ret: isize,
    phase: Phase,
    opts: &TraceOpts,
    carried: Option<[u64; 3]>,
) -> Outcome {
    if phase == Phase::Entry {
        write_name(out, nr);
    }
    let opts = &opts.for_call(nr);
    let mut d = Decoder::new(out, args, ret, phase, opts);
    d.carried = carried;
    run_decoder(&mut d, nr);
    if phase == Phase::Exit {
        d.out.byte(b')');
        proc_extra::finished(nr);
    }
    Outcome { kind: d.ret_kind, static_note: d.ret_note, note: d.note, carried: d.carried }
}

/// Runs `nr`'s decoder over `d` (whose options are already the call's own, see
/// [`TraceOpts::for_call`]): strace's printargs for `-e raw=` calls and calls no family knows,
/// and with `-e verbose=` leaving the call out, structures unread for the run.
fn run_decoder(d: &mut Decoder, nr: usize) {
    let no_deref = d.out.no_deref;
    d.out.no_deref = !d.opts.deref;
    match decoder_for(nr).filter(|_| !d.opts.raw) {
        Some(f) => f(d),
        None => {
            for i in 0..generic_nargs(nr) {
                d.hex(i);
            }
            if d.opts.raw {
                // strace prints a raw call's result in hex; exit and exit_group never return.
                let ends = matches!(nr as libc::c_long, libc::SYS_exit | libc::SYS_exit_group);
                d.ret_kind = if ends { Ret::None } else { Ret::Hex };
            }
        }
    }
    d.out.no_deref = no_deref;
}

/// A whole call for `--json`: the arguments as strace prints them, one JSON string each, and
/// the result as a number (`"result"`), an errno name (`"error"`), or null for calls that do not
/// return.
// The arguments are one call's facts (who, which, with what, what came back, how long).
#[allow(clippy::too_many_arguments)]
pub fn write_json(
    out: &mut Out,
    pid: i32,
    nr: usize,
    args: [usize; 6],
    ret: isize,
    dur_ns: Option<u64>,
    opts: &TraceOpts,
    carried: Option<[u64; 3]>,
) {
    let mut tmp = [0u8; 16 * 1024];
    let mut line = Out::new(&mut tmp);
    let opts = &opts.for_call(nr);
    let mut d = Decoder::new(&mut line, args, ret, Phase::Exit, opts);
    d.whole = true;
    d.carried = carried;
    run_decoder(&mut d, nr);
    proc_extra::finished(nr);
    let (starts, n, kind) = (d.arg_starts, d.nargs_printed, d.ret_kind);
    let text = line.as_bytes();
    let _ = write!(out, "{{\"pid\":{pid},\"syscall\":\"");
    write_name(out, nr);
    out.truncate(out.len() - 1); // write_name's "("
    out.s("\",\"args\":[");
    for k in 0..n {
        let a = starts[k] as usize;
        let b = if k + 1 < n { starts[k + 1] as usize - 2 } else { text.len() };
        if k > 0 {
            out.byte(b',');
        }
        json_string(out, &text[a..b.max(a)]);
    }
    out.byte(b']');
    if kind == Ret::None {
        out.s(",\"result\":null");
    } else if crate::sys::is_error(ret) {
        let e = (-ret) as i32;
        match super::errno::lookup(e) {
            Some((name, _)) => {
                let _ = write!(out, ",\"error\":\"{name}\"");
            }
            None => {
                let _ = write!(out, ",\"error\":\"{e}\"");
            }
        }
    } else {
        let _ = write!(out, ",\"result\":{}", ret as i64);
    }
    if let Some(ns) = dur_ns {
        let _ = write!(out, ",\"duration\":{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000);
    }
    out.byte(b'}');
}

/// A JSON string of bytes (strace's output is ASCII; other bytes are kept as they are, which
/// UTF-8 text needs, and control characters are escaped).
fn json_string(out: &mut Out, b: &[u8]) {
    out.byte(b'"');
    for &c in b {
        match c {
            b'"' => out.s("\\\""),
            b'\\' => out.s("\\\\"),
            0..=0x1f => {
                let _ = write!(out, "\\u{c:04x}");
            }
            _ => out.byte(c),
        }
    }
    out.byte(b'"');
}

/// Writes `= 3`, `= -1 ENOENT (No such file or directory)`, `= 0x7f...`, `= ?` and the note.
pub fn write_result(out: &mut Out, ret: isize, outcome: &Outcome, opts: &TraceOpts) {
    let kind = outcome.kind;
    out.s("= ");
    if kind == Ret::None {
        out.byte(b'?');
    } else if crate::sys::is_error(ret) {
        let e = (-ret) as i32;
        match super::errno::lookup(e) {
            Some((name, msg)) if e >= 512 => {
                let _ = write!(out, "? {name} ({msg})");
            }
            Some((name, msg)) => {
                let _ = write!(out, "-1 {name} ({msg})");
            }
            None => {
                let _ = write!(out, "-1 {e}");
            }
        }
    } else {
        match kind {
            Ret::Hex => out.hex(ret as u64),
            Ret::Oct => out.octal(ret as u64),
            Ret::Fd => common::print_fd(out, ret as i32, opts),
            _ => out.i64(ret as i64),
        }
    }
    if let Some(n) = outcome.static_note {
        out.s(n);
    }
    out.bytes(outcome.note.as_bytes());
}
