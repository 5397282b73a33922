//! The drainer's side: records from the trace log become strace's lines. It runs outside the
//! traced programs (the launcher, or a helper process), so it may allocate and block.
//!
//! Line assembly follows strace: a call's entry opens a line; if another task prints before it
//! returns, the open line ends with ` <unfinished ...>` and the result later prints as
//! `<... NAME resumed>...`. Prefixes: `[pid N] ` once more than one task exists (stderr), `N `
//! with `-f -o FILE`; none with `-ff` (one file per task). Timestamps (-t, -tt, -ttt, -r) and
//! `-T` come from the records.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::ring::{self, Header};

/// Output settings of the drainer.
#[derive(Clone, Debug, Default)]
pub struct RenderOpts {
    /// -f: more than one task is followed.
    pub follow: bool,
    /// -ff with -o: one file per task, `FILE.TID`.
    pub per_task: bool,
    /// -o FILE (None: stderr).
    pub output: Option<PathBuf>,
    /// `-o |CMD`: the pipe to CMD, which the lines go to instead of `output`'s path.
    pub pipe: Option<std::sync::Arc<File>>,
    /// 1 = -t, 2 = -tt, 3 = -ttt.
    pub timestamps: u8,
    /// -r: time since the previous line.
    pub relative: bool,
    /// -T: time spent in each call.
    pub time_spent: bool,
    /// -a: column of ` = `.
    pub align: usize,
    /// --json: only the JSON objects are written, one per line.
    pub json: bool,
    /// -qq: no `+++ exited ... +++` / `+++ killed ... +++` lines.
    pub quiet_exits: bool,
    /// -n: `[  39] ` after the prefix and timestamp.
    pub syscall_number: bool,
    /// -i: `[00007f...] ` after that.
    pub instruction_pointer: bool,
    /// -P: a call's result whose entry did not print (a new image's execve) is dropped.
    pub path_filter: bool,
}

impl RenderOpts {
    /// The drainer's settings from the launcher's options (`-qq` or `-e quiet=exit` drop the exit
    /// lines).
    pub fn from_options(o: &crate::options::Options) -> RenderOpts {
        RenderOpts {
            follow: o.follow,
            per_task: o.per_task,
            output: o.output.clone(),
            pipe: None,
            timestamps: o.timestamps,
            relative: o.relative,
            time_spent: o.time_spent,
            align: o.align.unwrap_or(40),
            json: o.json,
            quiet_exits: crate::trace::filters(o)
                .map(|(_, q)| q.contains(crate::trace::filter::Quiet::EXIT))
                .unwrap_or(o.quiet >= 2),
            syscall_number: o.syscall_number,
            instruction_pointer: o.instruction_pointer,
            path_filter: !o.trace_paths.is_empty(),
        }
    }
}

/// One output: stderr, the -o file, or one task's file with -ff.
struct Stream {
    out: BufWriter<Box<dyn Write + Send>>,
    /// The task whose line is open (entry printed, no newline yet), and its column.
    open: Option<i32>,
    col: usize,
}

/// What the drainer knows of one task (thread).
#[derive(Default)]
pub(crate) struct Task {
    pid: i32,
    /// Names of the calls whose entries were printed and are not finished, innermost last (a
    /// signal handler's calls nest inside an interrupted one): `<... NAME resumed>`.
    pending: Vec<std::sync::Arc<str>>,
    /// The number and address of the latest call seen (`-n`, `-i`: what strace prints for the
    /// task's lines that are not about a call of their own); None before the first.
    last_nr: Option<u32>,
    last_ip: Option<u64>,
}

/// The drainer: takes records from the trace log ([`drain`](Self::drain),
/// [`record`](Self::record)) and writes strace's lines to stderr, the `-o` file, or one file per
/// task with `-ff`. Runs outside the traced programs, so it may allocate and block.
pub struct Renderer {
    opts: RenderOpts,
    streams: BTreeMap<i32, Stream>,
    tasks: BTreeMap<i32, Task>,
    last_ts: Option<u64>,
    /// Tasks whose end was printed (a late wait status does not print it again).
    ended: std::collections::BTreeSet<i32>,
    /// --json: execve objects waiting for the new image (per tid).
    pending_exec: BTreeMap<i32, Vec<u8>>,
    /// Call names seen, shared by the tasks' `pending` lists (no allocation per line).
    names: BTreeMap<Vec<u8>, std::sync::Arc<str>>,
}

impl Renderer {
    /// A drainer writing where `opts` says (the `-o` file opened to append, unless `-ff`).
    /// Error: the `-o` file cannot be opened.
    pub fn new(opts: RenderOpts) -> io::Result<Renderer> {
        let mut r = Renderer {
            opts,
            streams: BTreeMap::new(),
            tasks: BTreeMap::new(),
            last_ts: None,
            ended: Default::default(),
            pending_exec: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        if !r.opts.per_task {
            let out: Box<dyn Write + Send> = match (&r.opts.pipe, &r.opts.output) {
                (Some(pipe), _) => Box::new(pipe.try_clone()?),
                (None, Some(p)) => Box::new(std::fs::OpenOptions::new().append(true).create(true).open(p)?),
                (None, None) => Box::new(io::stderr()),
            };
            r.streams.insert(0, Stream { out: BufWriter::with_capacity(1 << 16, out), open: None, col: 0 });
        }
        Ok(r)
    }

    fn stream_key(&self, tid: i32) -> i32 {
        if self.opts.per_task {
            tid
        } else {
            0
        }
    }

    fn stream(&mut self, tid: i32) -> io::Result<&mut Stream> {
        let key = self.stream_key(tid);
        if !self.streams.contains_key(&key) {
            let base = self.opts.output.clone().unwrap_or_default();
            let mut name = base.into_os_string();
            name.push(format!(".{tid}"));
            let f = File::options().append(true).create(true).open(PathBuf::from(name))?;
            let out: Box<dyn Write + Send> = Box::new(f);
            self.streams.insert(key, Stream { out: BufWriter::new(out), open: None, col: 0 });
        }
        Ok(self.streams.get_mut(&key).unwrap())
    }

    /// strace's printleader: closes another task's open line, writes the prefix.
    /// A record about call `nr` at `ip` (see [`Header::nr`], [`Header::ip`]): the task's latest.
    fn note_call(&mut self, tid: i32, nr: u32, ip: u64) {
        let t = self.tasks.entry(tid).or_default();
        if nr != ring::NR_NONE {
            t.last_nr = Some(nr);
        }
        if ip != 0 {
            t.last_ip = Some(ip);
        }
    }

    /// `-n`'s `[  39] ` and `-i`'s `[00007f...] ` for a line of `tid` (`nr`, `ip` as in
    /// [`Header`]: the task's latest where they do not say).
    fn call_marks(&self, tid: i32, nr: u32, ip: u64) -> String {
        let mut m = String::new();
        let t = self.tasks.get(&tid);
        if self.opts.syscall_number {
            let nr = if nr != ring::NR_NONE { Some(nr) } else { t.and_then(|t| t.last_nr) };
            match nr {
                Some(n) => m.push_str(&format!("[{n:4}] ")),
                None => m.push_str("[????] "),
            }
        }
        if self.opts.instruction_pointer {
            let ip = if ip != 0 { Some(ip) } else { t.and_then(|t| t.last_ip) };
            match ip {
                Some(a) if a != ring::IP_NONE => m.push_str(&format!("[{a:016x}] ")),
                _ => m.push_str("[????????????????] "),
            }
        }
        m
    }

    fn leader(&mut self, tid: i32, ts_ns: u64, nr: u32, ip: u64) -> io::Result<()> {
        let nprocs = self.tasks.len();
        let prefix = if self.opts.per_task {
            String::new()
        } else if self.opts.output.is_some() && self.opts.follow {
            format!("{tid:<5} ")
        } else if nprocs > 1 && self.opts.output.is_none() {
            format!("[pid {tid:>5}] ")
        } else {
            String::new()
        };
        let mut stamp = self.timestamp(ts_ns);
        if self.opts.syscall_number || self.opts.instruction_pointer {
            stamp += &self.call_marks(tid, nr, ip);
        }
        let s = self.stream(tid)?;
        // With a shared log any open line is cut; with -ff a stream only holds its own task's.
        if s.open.is_some() && s.col != 0 {
            s.out.write_all(b" <unfinished ...>\n")?;
        }
        s.open = None;
        s.col = 0;
        s.out.write_all(prefix.as_bytes())?;
        s.out.write_all(stamp.as_bytes())?;
        s.col = prefix.len() + stamp.len();
        Ok(())
    }

    fn timestamp(&mut self, ts_ns: u64) -> String {
        if self.opts.relative {
            let prev = self.last_ts.unwrap_or(ts_ns);
            self.last_ts = Some(ts_ns);
            let d = ts_ns.saturating_sub(prev);
            return format!("{:6}.{:06} ", d / 1_000_000_000, (d % 1_000_000_000) / 1000);
        }
        let secs = (ts_ns / 1_000_000_000) as libc::time_t;
        let usec = (ts_ns % 1_000_000_000) / 1000;
        match self.opts.timestamps {
            0 => String::new(),
            3 => format!("{secs}.{usec:06} "),
            t => {
                // SAFETY: localtime_r writes into `tm`; the drainer is an ordinary process.
                let mut tm: libc::tm = unsafe { std::mem::zeroed() };
                unsafe { libc::localtime_r(&secs, &mut tm) };
                if t == 1 {
                    format!("{:02}:{:02}:{:02} ", tm.tm_hour, tm.tm_min, tm.tm_sec)
                } else {
                    format!("{:02}:{:02}:{:02}.{usec:06} ", tm.tm_hour, tm.tm_min, tm.tm_sec)
                }
            }
        }
    }

    /// The task `tid`, created on first sight; a non-zero `pid` records its process.
    pub(crate) fn task(&mut self, tid: i32, pid: i32) -> &mut Task {
        let t = self.tasks.entry(tid).or_default();
        if pid != 0 {
            t.pid = pid;
        }
        t
    }

    fn json_line(&mut self, tid: i32, obj: &[u8]) -> io::Result<()> {
        let s = self.stream(tid)?;
        s.out.write_all(obj)?;
        s.out.write_all(b"\n")
    }

    /// One record from the log.
    pub fn record(&mut self, h: &Header, payload: &[u8]) -> io::Result<()> {
        let tid = h.tid;
        if self.opts.json {
            match h.kind {
                ring::JSON => {
                    // A failed exec's own object replaces the pending one.
                    self.pending_exec.remove(&tid);
                    self.json_line(tid, payload)?;
                }
                ring::JSON_PENDING => {
                    self.pending_exec.insert(tid, payload.to_vec());
                }
                ring::EXEC_OK => {
                    if let Some(obj) = self.pending_exec.remove(&tid) {
                        self.json_line(tid, &obj)?;
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        match h.kind {
            ring::ENTRY => {
                self.task(tid, h.pid);
                self.ended.remove(&tid);
                self.note_call(tid, h.nr, h.ip);
                self.leader(tid, h.ts_ns, h.nr, h.ip)?;
                let name = payload.split(|&c| c == b'(').next().unwrap_or(b"");
                let name = match self.names.get(name) {
                    Some(n) => n.clone(),
                    None => {
                        let n: std::sync::Arc<str> = String::from_utf8_lossy(name).into();
                        self.names.insert(name.to_vec(), n.clone());
                        n
                    }
                };
                self.task(tid, h.pid).pending.push(name);
                let s = self.stream(tid)?;
                s.out.write_all(payload)?;
                s.col += payload.len();
                s.open = Some(tid);
            }
            ring::CALL => {
                self.task(tid, h.pid);
                self.ended.remove(&tid);
                let (a, b) = ((h.split as usize).min(payload.len()), (h.split2 as usize).min(payload.len()));
                self.note_call(tid, h.nr, h.ip);
                self.leader(tid, h.ts_ns, h.nr, h.ip)?;
                let s = self.stream(tid)?;
                s.out.write_all(&payload[..a])?;
                s.col += a;
                s.open = Some(tid);
                self.finish_line(tid, h, &payload[a..b.max(a)], &payload[b.max(a)..])?;
            }
            ring::EXIT => {
                self.task(tid, h.pid);
                let split = (h.split as usize).min(payload.len());
                let (tail, result) = payload.split_at(split);
                let continues = {
                    let s = self.stream(tid)?;
                    s.open == Some(tid) && s.col != 0
                };
                if !continues && self.opts.path_filter && self.task(tid, h.pid).pending.is_empty() {
                    return Ok(());
                }
                self.note_call(tid, h.nr, h.ip);
                if !continues {
                    self.leader(tid, h.ts_ns, h.nr, h.ip)?;
                    let name = self.task(tid, h.pid).pending.last().cloned().unwrap_or_else(|| "".into());
                    let s = self.stream(tid)?;
                    let resumed = format!("<... {name} resumed>");
                    s.out.write_all(resumed.as_bytes())?;
                    s.col += resumed.len();
                }
                self.task(tid, h.pid).pending.pop();
                self.finish_line(tid, h, tail, result)?;
            }
            ring::LINE => {
                self.task(tid, h.pid);
                self.line(tid, h.ts_ns, h.nr, h.ip, payload)?;
            }
            ring::NEW_TASK => {
                self.task(tid, 0);
            }
            ring::KILLED => {
                let sig = h.split as i32;
                self.killed(tid, sig & 0xff, sig & 0x100 != 0)?;
            }
            ring::TASK_EXIT => {
                self.task(tid, h.pid);
                self.exit_line(tid, h.ts_ns, h.nr, payload)?;
                self.tasks.remove(&tid);
                self.ended.insert(tid);
            }
            ring::PROCESS_EXIT => {
                let pid = h.pid;
                let others: Vec<i32> =
                    self.tasks.iter().filter(|(t, k)| k.pid == pid && **t != tid).map(|(t, _)| *t).collect();
                for t in others {
                    self.exit_line(t, h.ts_ns, ring::NR_NONE, payload)?;
                    self.tasks.remove(&t);
                    self.ended.insert(t);
                }
                self.task(tid, h.pid);
                self.exit_line(tid, h.ts_ns, h.nr, payload)?;
                self.tasks.remove(&tid);
                self.ended.insert(tid);
            }
            _ => {}
        }
        Ok(())
    }

    /// The arguments' tail, padding to the result column, the result, -T, newline.
    fn finish_line(&mut self, tid: i32, h: &Header, tail: &[u8], result: &[u8]) -> io::Result<()> {
        let align = self.opts.align;
        let time_spent = self
            .opts
            .time_spent
            .then(|| format!(" <{}.{:06}>", h.dur_ns / 1_000_000_000, (h.dur_ns % 1_000_000_000) / 1000));
        let s = self.stream(tid)?;
        s.out.write_all(tail)?;
        s.col += tail.len();
        let mut pad = align.saturating_sub(1).saturating_sub(s.col) + 1;
        const SPACES: [u8; 64] = [b' '; 64];
        while pad > 0 {
            let n = pad.min(SPACES.len());
            s.out.write_all(&SPACES[..n])?;
            pad -= n;
        }
        s.out.write_all(result)?;
        if let Some(t) = time_spent {
            s.out.write_all(t.as_bytes())?;
        }
        s.out.write_all(b"\n")?;
        s.open = None;
        s.col = 0;
        Ok(())
    }

    /// `+++ ... +++`: left out with -qq.
    /// (strace's `-i` has no registers of a task that is gone.)
    fn exit_line(&mut self, tid: i32, ts_ns: u64, nr: u32, text: &[u8]) -> io::Result<()> {
        if self.opts.quiet_exits {
            return Ok(());
        }
        self.line(tid, ts_ns, nr, ring::IP_NONE, text)
    }

    fn line(&mut self, tid: i32, ts_ns: u64, nr: u32, ip: u64, text: &[u8]) -> io::Result<()> {
        self.leader(tid, ts_ns, nr, ip)?;
        let s = self.stream(tid)?;
        s.out.write_all(text)?;
        s.out.write_all(b"\n")?;
        s.open = None;
        s.col = 0;
        Ok(())
    }

    /// A task's death seen only in its wait status (SIGKILL cannot be caught): print its end
    /// unless it printed one.
    pub fn killed(&mut self, pid: i32, sig: i32, core: bool) -> io::Result<()> {
        if self.ended.contains(&pid) {
            return Ok(());
        }
        self.task(pid, pid);
        let ts = crate::vdso::realtime_ns();
        // A call it was in never returns: strace ends its line with ` = ?`.
        if self.task(pid, pid).pending.last().is_some() {
            // An exit record whose tail is `)` and whose result is `= ?`.
            let mut h = ring::header(ring::EXIT, pid, pid);
            h.split = 1;
            h.ts_ns = ts;
            self.record(&h, b")= ?")?;
        }
        let name = crate::trace::signame(sig);
        let text = format!("+++ killed by {name}{} +++", if core { " (core dumped)" } else { "" });
        self.exit_line(pid, ts, ring::NR_NONE, text.as_bytes())?;
        self.tasks.retain(|_, t| t.pid != pid);
        self.tasks.remove(&pid);
        self.ended.insert(pid);
        Ok(())
    }

    /// Writes out everything buffered, on every stream.
    pub fn flush(&mut self) -> io::Result<()> {
        for s in self.streams.values_mut() {
            s.out.flush()?;
        }
        Ok(())
    }

    /// Drains `ring` until it is empty (and, with `finish`, until no hole is left).
    pub fn drain(&mut self, r: &ring::Ring, rd: &mut ring::Reader, finish: bool) -> io::Result<()> {
        loop {
            match r.take(rd, if finish { 100_000_000 } else { 2_000_000_000 }) {
                Some((h, n)) => {
                    let payload = std::mem::take(&mut rd.buf);
                    let res = self.record(&h, &payload[ring::HEADER..ring::HEADER + n]);
                    rd.buf = payload;
                    res?
                }
                None => {
                    let pending = r.ctl.head.load(std::sync::atomic::Ordering::Acquire)
                        != r.ctl.tail.load(std::sync::atomic::Ordering::Acquire);
                    if finish && pending {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        continue;
                    }
                    break;
                }
            }
        }
        self.flush()
    }

    /// The reader's loop (the launcher's drainer thread, or the watcher of a raw LD_PRELOAD
    /// run): drains `ring` as records come until `done` is set, then what is left. An output
    /// that fails (a full disk) does not stop it: the writers must not wait for room that never
    /// comes. The first error is returned at the end.
    pub fn drain_until(&mut self, ring: &ring::Ring, done: &std::sync::atomic::AtomicBool) -> io::Result<()> {
        let mut rd = ring.reader();
        let mut first_error = None;
        loop {
            let last = done.load(std::sync::atomic::Ordering::SeqCst);
            if let Err(e) = self.drain(ring, &mut rd, last) {
                first_error.get_or_insert(e);
            }
            if last {
                return first_error.map_or(Ok(()), Err);
            }
            ring.wait(20_000_000);
        }
    }
}

/// Whether a process is gone (or a zombie: it will print nothing more).
pub fn process_gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => true,
    }
}
