//! Per-thread state the handler can reach without TLS: a fixed open-addressing table keyed by the
//! thread pointer (FS base), in a private anonymous mapping made at start-up.
//!
//! Rust's `thread_local!` in a shared object goes through `__tls_get_addr`, which may allocate when
//! the DTV is stale: not async-signal-safe. The thread pointer is read with one instruction.
//!
//! Entries are created by the *parent* when it clones a thread (it knows the child's TLS
//! argument), so the child's slot exists before its first instruction. A fork child keeps its
//! parent's table (private memory is copied), where the calling thread's slot has the same key.
//!
//! A raw clone(CLONE_VM) without CLONE_SETTLS shares its parent's thread pointer. Such a child's
//! slot is keyed by its tid instead, and the parent's slot is marked `shared`: lookups that land
//! on a shared slot pay one gettid to tell the threads apart. Everyone else pays nothing.

use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU8, AtomicUsize, Ordering};

use crate::sys;

/// One thread's state. `selector` is the Syscall User Dispatch selector byte the kernel reads on
/// every system call of this thread.
#[repr(C, align(32))]
pub struct Slot {
    key: AtomicUsize,
    /// The thread's kernel tid, cached (gettid costs a system call).
    pub tid: AtomicI32,
    /// The SUD selector: [`SELECTOR_BLOCK`](crate::backend::sud::SELECTOR_BLOCK) normally,
    /// [`SELECTOR_ALLOW`](crate::backend::sud::SELECTOR_ALLOW) while a hook runs. The kernel holds
    /// its address for the life of the thread, so it must never move (slots are never unmapped).
    pub selector: AtomicU8,
    /// Set while this thread is suspended in a CLONE_VM|CLONE_VFORK clone: meanwhile only the
    /// vfork child, which shares the thread pointer, can look this slot up.
    pub vfork_child: AtomicBool,
    /// The program asked for SIGSYS to be blocked (it never really is: see `signals`).
    pub sigsys_blocked: AtomicBool,
    /// The SIGSYS handler a vfork child running on this slot set, with
    /// [`VFORK_SIGSYS_SET`] (0: it set none). The child has actions of its own, but shares the
    /// memory that holds the parent's virtual one, which it must not change.
    pub vfork_sigsys: AtomicUsize,
    /// Other threads run with this slot's thread pointer: disambiguate by tid.
    pub shared: AtomicBool,
    /// Scratch memory for formatting trace lines (mapped on first use, kept across reuse of the
    /// slot), and how many formatting levels are active (a signal handler may interrupt one).
    pub scratch: AtomicUsize,
    /// How many scratch levels are in use (a signal handler's trace line nests inside the one it
    /// interrupted).
    pub scratch_depth: core::sync::atomic::AtomicU32,
    /// The `--bind` shim's path buffers (mapped on first use, kept across reuse of the slot).
    pub bind_buf: AtomicUsize,
    /// Traced calls in progress on this thread, innermost last (a signal handler's calls nest
    /// inside an interrupted one): number, with INTERRUPTED set once a handler ran during it.
    pub calls: [core::sync::atomic::AtomicU32; 4],
    /// Their arguments.
    pub call_args: [[AtomicUsize; 6]; 4],
    /// What their decoders carried from entry to exit (see `Decoder::carried`), when set.
    pub call_carry: [[core::sync::atomic::AtomicU64; 3]; 4],
    /// Whether `call_carry` holds a value for that level.
    pub call_carry_set: [AtomicBool; 4],
    /// How many calls are in progress (may exceed the arrays' length: the deeper ones are not
    /// recorded).
    pub call_depth: core::sync::atomic::AtomicU32,
    /// A hook callback is running on this thread: its own system calls are the runtime's, not
    /// the program's (see `dispatch::HookGuard`).
    pub in_hook: AtomicBool,
    /// Program memory the kernel has just written for this thread's latest call (a read's
    /// buffer): start and length, readable without asking (see `sys::read_mem`).
    pub written: [AtomicUsize; 2],
    /// The inject shim's per-thread invocation counters (a page mapped on first use, kept across
    /// reuse of the slot; the page records which tid it counts for).
    pub inject: AtomicUsize,
    /// The number of the last traced call this thread finished, plus one (0: none yet): the
    /// call a restart_syscall resumes, as strace names it.
    pub last_traced: AtomicU32,
}

/// Marks [`Slot::vfork_sigsys`] as set (handlers are user addresses, below this bit).
pub const VFORK_SIGSYS_SET: usize = 1 << 63;

impl Slot {
    /// The SIGSYS handler the vfork child running on this slot set (None: it set none, so the
    /// action it inherited from its parent stands).
    pub fn vfork_sigsys_handler(&self) -> Option<usize> {
        let own = self.vfork_sigsys.load(Ordering::Relaxed);
        (own & VFORK_SIGSYS_SET != 0).then_some(own & !VFORK_SIGSYS_SET)
    }

    /// Records the SIGSYS handler the vfork child running on this slot sets.
    pub fn set_vfork_sigsys_handler(&self, handler: usize) {
        self.vfork_sigsys.store(handler | VFORK_SIGSYS_SET, Ordering::Relaxed);
    }
}

const EMPTY: usize = 0;
const TOMBSTONE: usize = 1;
/// Slots handed out without a findable key.
const ANONYMOUS: usize = 2;
/// Keys of tid-keyed slots (threads sharing another's thread pointer); thread pointers are user
/// addresses, below this bit.
const TID_KEY: usize = 1 << 63;
const CAPACITY: usize = 1 << 14;

static TABLE: AtomicUsize = AtomicUsize::new(0);
static FSGSBASE: AtomicBool = AtomicBool::new(false);

fn table() -> Option<&'static [Slot]> {
    let base = TABLE.load(Ordering::Acquire);
    if base == 0 {
        return None;
    }
    // SAFETY: `base` is a zero-initialised mapping of CAPACITY slots, made once and never
    // unmapped; an all-zero Slot is a valid (EMPTY) value and all fields are atomics.
    Some(unsafe { core::slice::from_raw_parts(base as *const Slot, CAPACITY) })
}

/// Start-up: maps the table and registers the calling (main) thread.
pub fn init() -> Result<&'static Slot, i32> {
    // SAFETY: getauxval only reads the auxiliary vector.
    let hwcap2 = unsafe { libc::getauxval(libc::AT_HWCAP2) };
    FSGSBASE.store(hwcap2 & crate::arch::HWCAP2_FSGSBASE != 0, Ordering::Relaxed);
    if TABLE.load(Ordering::Acquire) == 0 {
        let base = sys::mmap_anon(CAPACITY * core::mem::size_of::<Slot>())?;
        TABLE.store(base, Ordering::Release);
    }
    let slot = claim(key()).ok_or(libc::ENOMEM)?;
    slot.tid.store(sys::gettid(), Ordering::Relaxed);
    Ok(slot)
}

/// The calling thread's key.
#[inline]
pub fn key() -> usize {
    crate::arch::thread_pointer(FSGSBASE.load(Ordering::Relaxed))
}

#[inline]
fn hash(key: usize) -> usize {
    // Thread pointers are page-aligned-ish: mix the high bits down.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) & (CAPACITY - 1)
}

/// The calling thread's slot, if the runtime registered it.
#[inline]
pub fn current() -> Option<&'static Slot> {
    let s = find(key())?;
    if !s.shared.load(Ordering::Acquire) {
        return Some(s);
    }
    let tid = sys::gettid();
    if s.tid.load(Ordering::Relaxed) == tid {
        Some(s)
    } else {
        find(TID_KEY | tid as usize)
    }
}

/// In a new process (fork child; one thread): the slot under the thread pointer becomes the
/// calling thread's alone, whichever thread of the parent it belonged to.
pub fn adopt_after_fork() -> Option<&'static Slot> {
    // The child inherits the forking thread's signal mask: its view of SIGSYS in it too.
    let blocked = find(key()).is_some_and(|s| s.sigsys_blocked.load(Ordering::Relaxed));
    let s = claim(key())?;
    s.tid.store(sys::gettid(), Ordering::Relaxed);
    s.sigsys_blocked.store(blocked, Ordering::Relaxed);
    Some(s)
}

/// The calling thread moved its thread pointer (arch_prctl(ARCH_SET_FS)): its state moves to a
/// slot under the new key. Returns the new slot (whose selector must be armed).
pub fn rekey(old: &'static Slot, new_key: usize) -> Option<&'static Slot> {
    if old.key.load(Ordering::Acquire) == new_key {
        // Set to what it already was (a program that saves and restores its thread pointer).
        return Some(old);
    }
    let s = claim(new_key)?;
    s.tid.store(old.tid.load(Ordering::Relaxed), Ordering::Relaxed);
    s.sigsys_blocked.store(old.sigsys_blocked.load(Ordering::Relaxed), Ordering::Relaxed);
    s.vfork_child.store(old.vfork_child.load(Ordering::Relaxed), Ordering::Relaxed);
    if !old.shared.load(Ordering::Relaxed) {
        release(old);
    }
    Some(s)
}

/// A slot for the calling thread keyed by its tid (it shares another thread's pointer).
pub fn claim_by_tid() -> Option<&'static Slot> {
    let tid = sys::gettid();
    let s = claim(TID_KEY | tid as usize)?;
    s.tid.store(tid, Ordering::Relaxed);
    Some(s)
}

fn find(key: usize) -> Option<&'static Slot> {
    let t = table()?;
    let mut i = hash(key);
    for _ in 0..CAPACITY {
        let k = t[i].key.load(Ordering::Acquire);
        if k == key {
            return Some(&t[i]);
        }
        if k == EMPTY {
            return None;
        }
        i = (i + 1) & (CAPACITY - 1);
    }
    None
}

/// The slot for `key`: the existing one (a thread pointer reused by a new thread) or a new one.
/// `key == 0` (no TLS) gets an anonymous slot.
pub fn claim(key: usize) -> Option<&'static Slot> {
    let key = if key <= ANONYMOUS { ANONYMOUS } else { key };
    if key != ANONYMOUS {
        if let Some(s) = find(key) {
            reset(s);
            return Some(s);
        }
    }
    let t = table()?;
    let mut i = hash(key);
    for _ in 0..CAPACITY {
        let k = t[i].key.load(Ordering::Acquire);
        if (k == EMPTY || k == TOMBSTONE)
            && t[i].key.compare_exchange(k, key, Ordering::AcqRel, Ordering::Acquire).is_ok()
        {
            reset(&t[i]);
            return Some(&t[i]);
        }
        i = (i + 1) & (CAPACITY - 1);
    }
    None
}

fn reset(s: &Slot) {
    s.tid.store(0, Ordering::Relaxed);
    s.selector.store(0, Ordering::Relaxed);
    s.vfork_child.store(false, Ordering::Relaxed);
    s.sigsys_blocked.store(false, Ordering::Relaxed);
    s.vfork_sigsys.store(0, Ordering::Relaxed);
    s.in_hook.store(false, Ordering::Relaxed);
    s.shared.store(false, Ordering::Relaxed);
    s.call_depth.store(0, Ordering::Relaxed);
    s.written[1].store(0, Ordering::Relaxed);
    s.last_traced.store(0, Ordering::Relaxed);
}

/// Frees a slot when its thread exits. The thread must make no further trapped system call.
pub fn release(s: &Slot) {
    s.key.store(TOMBSTONE, Ordering::Release);
}
