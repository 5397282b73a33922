//! The trace log: a ring of records in the shared state mapping, appended to by every traced
//! thread of every process, drained by one reader (the launcher, or a helper process in raw
//! LD_PRELOAD mode) that assembles and writes the lines.
//!
//! Why not a file descriptor per process: the program could close it, dup2 over it or inherit
//! it where it should not; a process killed by SIGKILL would lose what it buffered; and a
//! write(2) per line costs a system call. Appending here is a reservation (one atomic add) and a
//! copy. A record's length word is written last (the commit); a writer killed between
//! reservation and commit (exit_group from another thread, SIGKILL) leaves a hole the reader
//! skips: every header carries a magic and its own position, so the next record can be found.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::sys;

// Record kinds (`Header::kind`).

/// A call's entry half: its name and the arguments known before the call (`read(3, `).
pub const ENTRY: u32 = 1;
/// A call's exit half: the arguments' tail (`split` bytes), then the result.
pub const EXIT: u32 = 2;
/// A complete line (`--- SIGUSR1 {...} ---`, `+++ exited with 0 +++`).
pub const LINE: u32 = 3;
/// A task started (the parent knows the child's tid when clone returns).
pub const NEW_TASK: u32 = 4;
/// A thread ended (payload: the `+++ ... +++` text).
pub const TASK_EXIT: u32 = 5;
/// A whole process ended (exit_group): every thread of `pid` ends (payload: the text).
pub const PROCESS_EXIT: u32 = 6;
/// A JSON object (one line).
pub const JSON: u32 = 7;
/// `--json` execve: the object as it will read if the exec succeeds (the old image cannot say).
pub const JSON_PENDING: u32 = 8;
/// The new image of an exec started: its pending object stands.
pub const EXEC_OK: u32 = 9;
/// A task died of a signal, as its parent's wait saw it (`split`: signal | 0x100 if core).
pub const KILLED: u32 = 10;
/// A whole call at once (status filtering holds lines until the result is known): payload is
/// entry text, then the arguments' tail from `split`, then the result from `split2`.
pub const CALL: u32 = 11;

const MAGIC: u32 = 0x5e1f_7ace;

/// The fixed part of a record.
#[repr(C)]
pub struct Header {
    /// Total length, header included, 8-aligned; zero until committed.
    len: AtomicU32,
    magic: u32,
    /// The record's own position in the log (for resynchronisation).
    pos: u64,
    /// One of the record kinds above ([`ENTRY`], [`LINE`], ...).
    pub kind: u32,
    /// The thread the record is about.
    pub tid: i32,
    /// Its process (thread group).
    pub pid: i32,
    /// For EXIT: length of the first part of the payload (the arguments' tail; the result follows).
    pub split: u32,
    /// Payload bytes (the record is padded to 8).
    pub size: u32,
    /// For CALL: where the result starts.
    pub split2: u32,
    /// CLOCK_REALTIME at entry, nanoseconds.
    pub ts_ns: u64,
    /// Time spent in the call (EXIT).
    pub dur_ns: u64,
    /// The call a line is about (`-n`), [`NR_NONE`] for the task's latest.
    pub nr: u32,
    _pad: u32,
    /// The address after the call's `syscall` instruction (`-i`): 0 for the task's latest,
    /// [`IP_NONE`] for none (`[????????????????]`).
    pub ip: u64,
}

/// [`Header::nr`]: the line is about the task's latest call.
pub const NR_NONE: u32 = u32::MAX;
/// [`Header::ip`]: no address (strace's `[????????????????]`).
pub const IP_NONE: u64 = u64::MAX;

/// Size of a record header in bytes (part of the state file's layout fingerprint).
pub const HEADER: usize = core::mem::size_of::<Header>();

/// The control words of the ring (in the shared state).
#[repr(C)]
pub struct Control {
    /// Bytes ever reserved.
    pub head: AtomicU64,
    /// Futex word the reader sleeps on; writers bump it when the ring fills up or at exit.
    pub doorbell: AtomicU32,
    /// The writers' words and the reader's live on different cache lines: each record would
    /// otherwise move one line back and forth between the two cores.
    _writers_line: [u8; 52],
    /// Bytes ever consumed by the reader (published in steps, see [`Reader`]).
    pub tail: AtomicU64,
    /// Futex word writers sleep on while the ring is full.
    pub space: AtomicU32,
    /// Writers sleeping on `space`: the reader wakes them only when there are any (a shared
    /// futex wake costs a page-table walk).
    pub waiters: AtomicU32,
}

/// How much the reader consumes before it tells the writers (moves [`Control::tail`]), at most.
const PUBLISH_EVERY: u64 = 64 << 10;

/// The reader's own position in the log and its record buffer. The tail it has reached is
/// published every 64 KiB (a quarter of a smaller ring) and whenever the log is empty, not at
/// every record.
pub struct Reader {
    /// The record [`Ring::take`] returned last: header, then payload.
    pub buf: Vec<u8>,
    hole_since: Option<u64>,
    tail: u64,
    published: u64,
    head: u64,
}

/// A ring: control words and `size` bytes of data (a power of two).
#[derive(Clone, Copy)]
pub struct Ring {
    /// The control words, in the shared state.
    pub ctl: &'static Control,
    data: *mut u8,
    size: usize,
}

// SAFETY: the data area is shared memory accessed only through the reservation protocol above:
// each byte range belongs to one writer between reservation and commit, then to the reader.
unsafe impl Send for Ring {}
// SAFETY: as above.
unsafe impl Sync for Ring {}

fn futex(word: &AtomicU32, op: i32, val: u32, timeout_ns: Option<u64>) {
    let ts = timeout_ns
        .map(|ns| libc::timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as i64 });
    let tsp = ts.as_ref().map_or(0, |t| t as *const libc::timespec as usize);
    crate::arch::syscall6(libc::SYS_futex as usize, [word.as_ptr() as usize, op as usize, val as usize, tsp, 0, 0]);
}

/// Wakes the reader (a shared futex: writers and reader are different processes).
pub fn ring_doorbell(ctl: &Control) {
    ctl.doorbell.fetch_add(1, Ordering::Release);
    futex(&ctl.doorbell, libc::FUTEX_WAKE, i32::MAX as u32, None);
}

impl Ring {
    /// # Safety
    /// `data` must be `size` bytes of memory shared with the other users of `ctl`, valid for the
    /// life of the process; `size` a power of two.
    pub unsafe fn new(ctl: &'static Control, data: *mut u8, size: usize) -> Ring {
        debug_assert!(size.is_power_of_two());
        Ring { ctl, data, size }
    }

    fn copy_in(&self, pos: u64, src: &[u8]) {
        let mut off = (pos as usize) & (self.size - 1);
        let mut rest = src;
        while !rest.is_empty() {
            let n = rest.len().min(self.size - off);
            // SAFETY: off..off+n is inside the data area, in the range this writer reserved.
            unsafe { core::ptr::copy_nonoverlapping(rest.as_ptr(), self.data.add(off), n) };
            rest = &rest[n..];
            off = 0;
        }
    }

    fn copy_out(&self, pos: u64, dst: &mut [u8]) {
        let mut off = (pos as usize) & (self.size - 1);
        let mut done = 0;
        while done < dst.len() {
            let n = (dst.len() - done).min(self.size - off);
            // SAFETY: off..off+n is inside the data area, in a committed record.
            unsafe { core::ptr::copy_nonoverlapping(self.data.add(off), dst[done..].as_mut_ptr(), n) };
            done += n;
            off = 0;
        }
    }

    fn zero(&self, pos: u64, len: usize) {
        let mut off = (pos as usize) & (self.size - 1);
        let mut rest = len;
        while rest > 0 {
            let n = rest.min(self.size - off);
            // SAFETY: a consumed range, owned by the reader until it moves the tail past it.
            unsafe { core::ptr::write_bytes(self.data.add(off), 0, n) };
            rest -= n;
            off = 0;
        }
    }

    fn len_word(&self, pos: u64) -> &AtomicU32 {
        let off = (pos as usize) & (self.size - 1);
        // SAFETY: records start 8-aligned and the size is a multiple of 8, so a header's first
        // word never straddles the end; the area is valid shared memory.
        unsafe { &*(self.data.add(off) as *const AtomicU32) }
    }

    /// Appends a record: header fields from `h` (len, magic, pos are set here), payload `parts`
    /// concatenated. Blocks while the ring is full. Handler-safe.
    pub fn append(&self, mut h: Header, parts: &[&[u8]]) {
        let payload: usize = parts.iter().map(|p| p.len()).sum();
        let need = (HEADER + payload + 7) & !7;
        if need > self.size / 2 {
            return;
        }
        let pos = self.ctl.head.fetch_add(need as u64, Ordering::AcqRel);
        // Wait for room: the reader must have consumed up to pos + need - size. A reader that
        // makes no progress for seconds is gone: the record is dropped (its hole is skipped if
        // a reader comes back) rather than hanging the program.
        let mut waited = 0;
        loop {
            let seen = self.ctl.space.load(Ordering::Acquire);
            let tail = self.ctl.tail.load(Ordering::Acquire);
            if pos + need as u64 <= tail + self.size as u64 {
                break;
            }
            if waited >= 500 {
                return;
            }
            ring_doorbell(self.ctl);
            self.ctl.waiters.fetch_add(1, Ordering::AcqRel);
            futex(&self.ctl.space, libc::FUTEX_WAIT, seen, Some(10_000_000));
            self.ctl.waiters.fetch_sub(1, Ordering::AcqRel);
            waited += 1;
        }
        h.magic = MAGIC;
        h.pos = pos;
        h.size = payload as u32;
        // SAFETY: Header is plain data; viewed as bytes to copy it in.
        let hb = unsafe { core::slice::from_raw_parts(&h as *const Header as *const u8, HEADER) };
        // The length word (first 4 bytes) is stored last, as the commit.
        self.copy_in(pos + 4, &hb[4..]);
        let mut at = pos + HEADER as u64;
        for p in parts {
            self.copy_in(at, p);
            at += p.len() as u64;
        }
        self.len_word(pos).store(need as u32, Ordering::Release);
        // Keep the reader from sleeping through a filling ring.
        let used = pos + need as u64 - self.ctl.tail.load(Ordering::Relaxed);
        if used > self.size as u64 / 2 {
            ring_doorbell(self.ctl);
        }
    }

    /// The one reader's state, from where the log's tail is now.
    pub fn reader(&self) -> Reader {
        let tail = self.ctl.tail.load(Ordering::Acquire);
        Reader { buf: Vec::new(), hole_since: None, tail, published: tail, head: tail }
    }

    /// The reader: the next committed record at the tail, copied into `rd.buf` (header then
    /// payload), or None if there is none yet (then everything consumed is published). A hole
    /// older than `stale_ns` (a writer that died between reservation and commit) is skipped.
    pub fn take(&self, rd: &mut Reader, stale_ns: u64) -> Option<(Header, usize)> {
        let tail = rd.tail;
        if tail == rd.head {
            rd.head = self.ctl.head.load(Ordering::Acquire);
            if tail == rd.head {
                self.publish(rd);
                rd.hole_since = None;
                return None;
            }
        }
        let len = self.len_word(tail).load(Ordering::Acquire) as usize;
        if len == 0 {
            self.publish(rd);
            let now = sys::now_ns();
            match rd.hole_since {
                None => rd.hole_since = Some(now),
                Some(t) if now - t > stale_ns => {
                    rd.hole_since = None;
                    let next = self.resync(tail, rd.head);
                    (rd.tail, rd.published) = (next, next);
                }
                _ => {}
            }
            return None;
        }
        rd.hole_since = None;
        rd.buf.resize(len, 0);
        self.copy_out(tail, &mut rd.buf);
        // SAFETY: buf holds at least HEADER bytes of a committed record; read_unaligned copes
        // with the Vec's alignment.
        let h = unsafe { core::ptr::read_unaligned(rd.buf.as_ptr() as *const Header) };
        self.zero(tail, len);
        rd.tail = tail + len as u64;
        if rd.tail - rd.published >= PUBLISH_EVERY.min(self.size as u64 / 4) {
            self.publish(rd);
        }
        let payload = (h.size as usize).min(len - HEADER);
        Some((h, payload))
    }

    /// Gives the writers the room the reader has consumed.
    fn publish(&self, rd: &mut Reader) {
        if rd.tail != rd.published {
            self.ctl.tail.store(rd.tail, Ordering::Release);
            rd.published = rd.tail;
            self.wake_writers();
        }
    }

    /// Skips a dead writer's hole: the next position holding a committed header that names
    /// itself (magic and own position), or everything reserved so far.
    fn resync(&self, tail: u64, head: u64) -> u64 {
        let mut p = tail + 8;
        while p < head {
            if self.len_word(p).load(Ordering::Acquire) != 0 {
                let mut hb = [0u8; 16];
                self.copy_out(p, &mut hb);
                let magic = u32::from_ne_bytes(hb[4..8].try_into().unwrap());
                let pos = u64::from_ne_bytes(hb[8..16].try_into().unwrap());
                if magic == MAGIC && pos == p {
                    break;
                }
            }
            p += 8;
        }
        self.zero(tail, (p - tail) as usize);
        self.ctl.tail.store(p, Ordering::Release);
        self.wake_writers();
        p
    }

    /// Room was made: writers waiting for it may go on.
    fn wake_writers(&self) {
        self.ctl.space.fetch_add(1, Ordering::Release);
        if self.ctl.waiters.load(Ordering::Acquire) != 0 {
            futex(&self.ctl.space, libc::FUTEX_WAKE, i32::MAX as u32, None);
        }
    }

    /// The reader sleeps until a writer rings or `timeout_ns` passes.
    pub fn wait(&self, timeout_ns: u64) {
        let seen = self.ctl.doorbell.load(Ordering::Acquire);
        if self.ctl.head.load(Ordering::Acquire) != self.ctl.tail.load(Ordering::Acquire) {
            return;
        }
        futex(&self.ctl.doorbell, libc::FUTEX_WAIT, seen, Some(timeout_ns));
    }
}

/// A header for `kind` from the calling thread.
pub fn header(kind: u32, tid: i32, pid: i32) -> Header {
    Header {
        len: AtomicU32::new(0),
        magic: 0,
        pos: 0,
        kind,
        tid,
        pid,
        split: 0,
        size: 0,
        split2: 0,
        ts_ns: 0,
        dur_ns: 0,
        nr: NR_NONE,
        _pad: 0,
        ip: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of `size` bytes over leaked memory (as the shared state is never unmapped).
    fn ring(size: usize) -> Ring {
        // SAFETY: Control is atomics and padding, for which all-zero is the initial state.
        let ctl: &'static Control = Box::leak(Box::new(unsafe { core::mem::zeroed() }));
        let data = Box::leak(vec![0u64; size / 8].into_boxed_slice()).as_mut_ptr() as *mut u8;
        // SAFETY: `size` bytes, never freed; a power of two.
        unsafe { Ring::new(ctl, data, size) }
    }

    /// The next record. A reservation not yet committed is a writer at work, not a dead one's
    /// hole, for as long as the launcher waits (2 s): a writer preempted between reserving and
    /// committing must not lose its record.
    fn next(r: &Ring, rd: &mut Reader) -> Option<(u32, i32, Vec<u8>)> {
        r.take(rd, 2_000_000_000).map(|(h, n)| (h.kind, h.tid, rd.buf[HEADER..HEADER + n].to_vec()))
    }

    #[test]
    fn records_come_out_whole_and_in_order_across_the_wrap() {
        let r = ring(4096);
        let mut rd = r.reader();
        for i in 0..200u32 {
            let text = format!("call {i}(");
            r.append(header(ENTRY, i as i32, 1), &[text.as_bytes(), b"arg"]);
            let (kind, tid, payload) = next(&r, &mut rd).unwrap();
            assert_eq!((kind, tid), (ENTRY, i as i32));
            assert_eq!(payload, format!("call {i}(arg").into_bytes());
        }
        assert!(next(&r, &mut rd).is_none());
        // 200 records of 64 bytes went through 4096 bytes: the ring wrapped three times.
        assert!(r.ctl.head.load(Ordering::Relaxed) > 3 * 4096);
    }

    #[test]
    fn the_reader_publishes_in_steps_and_when_empty() {
        let r = ring(1 << 20);
        let mut rd = r.reader();
        for _ in 0..10 {
            r.append(header(LINE, 1, 1), &[b"x"]);
        }
        for _ in 0..10 {
            assert!(next(&r, &mut rd).is_some());
        }
        // Ten small records: less than a step, not yet told to the writers.
        assert_eq!(r.ctl.tail.load(Ordering::Relaxed), 0);
        assert!(next(&r, &mut rd).is_none());
        assert_eq!(r.ctl.tail.load(Ordering::Relaxed), r.ctl.head.load(Ordering::Relaxed));
        // A step's worth is published while the log still has records.
        let big = vec![b'y'; 1000];
        for _ in 0..80 {
            r.append(header(LINE, 1, 1), &[&big]);
        }
        for _ in 0..70 {
            assert!(next(&r, &mut rd).is_some());
        }
        let tail = r.ctl.tail.load(Ordering::Relaxed);
        assert!(tail > 0 && tail < r.ctl.head.load(Ordering::Relaxed), "tail {tail}");
    }

    #[test]
    fn a_writer_waiting_for_room_goes_on_when_the_reader_drains() {
        let r = ring(4096);
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d = done.clone();
        // 100 records of 1 KiB through a 4 KiB ring: the writer must wait for the reader.
        let writer = std::thread::spawn(move || {
            let payload = vec![b'z'; 1024 - HEADER];
            for i in 0..100 {
                r.append(header(LINE, i, 1), &[&payload]);
            }
            d.store(true, Ordering::SeqCst);
        });
        let mut rd = r.reader();
        let mut got = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while got.len() < 100 {
            assert!(std::time::Instant::now() < deadline, "only {} of 100 records came: {got:?}", got.len());
            match next(&r, &mut rd) {
                Some((_, tid, p)) => {
                    assert_eq!(p.len(), 1024 - HEADER);
                    got.push(tid);
                }
                None => r.wait(1_000_000),
            }
        }
        writer.join().unwrap();
        assert!(done.load(Ordering::SeqCst));
        assert_eq!(got, (0..100).collect::<Vec<i32>>(), "records lost or reordered");
    }

    #[test]
    fn a_dead_writers_hole_is_skipped_once_stale() {
        let r = ring(4096);
        let mut rd = r.reader();
        // A writer that reserved 64 bytes and died before its commit.
        r.ctl.head.fetch_add(64, Ordering::AcqRel);
        r.append(header(LINE, 7, 1), &[b"after the hole"]);
        assert!(r.take(&mut rd, 50_000_000).is_none(), "a fresh hole must be waited for");
        std::thread::sleep(std::time::Duration::from_millis(60));
        assert!(r.take(&mut rd, 50_000_000).is_none());
        let (kind, tid, payload) = next(&r, &mut rd).expect("the record after the hole");
        assert_eq!((kind, tid, payload.as_slice()), (LINE, 7, &b"after the hole"[..]));
    }
}
