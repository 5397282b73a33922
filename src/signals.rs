//! SIGSYS belongs to the runtime; the program sees the SIGSYS disposition and masks it set.
//!
//! The kernel forces a trap's SIGSYS: if SIGSYS is blocked or ignored at that moment, it resets
//! it to SIG_DFL and the process dies. So SIGSYS is taken out of every mask the program hands the
//! kernel (sigprocmask, handlers' sa_mask, sigsuspend/ppoll/pselect/epoll_pwait masks, the mask
//! an rt_sigreturn restores) and the program's wishes are kept virtually:
//! - its SIGSYS action lives in `VIRTUAL_SIGSYS` and gets every SIGSYS that is not a trap of
//!   the runtime's (kill/raise/tgkill, a seccomp filter of its own);
//! - per thread, whether SIGSYS is blocked in its view (`Slot::sigsys_blocked`): set by its
//!   sigprocmask, by entering a handler whose sa_mask holds SIGSYS, restored by rt_sigreturn;
//! - per signal, the program's handler, flags and full sa_mask: the kernel runs
//!   `handler_wrapper` instead, which keeps the per-thread view right around the program's
//!   handler (and is where a tracer sees signal deliveries).

use core::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};

use crate::dispatch::{Call, Frame};
use crate::sys::{self, sigbit, KSigaction, KSigset};
use crate::threads;

const SIGSYS: libc::c_int = libc::SIGSYS;
/// Not exported by the libc crate for linux-gnu.
const SA_RESTORER: u64 = 0x0400_0000;
const SIGSYS_BIT: KSigset = sigbit(SIGSYS);

/// The program's SIGSYS action: handler, flags, restorer, mask.
struct VirtualAction {
    handler: AtomicUsize,
    flags: AtomicU64,
    restorer: AtomicUsize,
    mask: AtomicU64,
}

static VIRTUAL_SIGSYS: VirtualAction = VirtualAction {
    handler: AtomicUsize::new(0),
    flags: AtomicU64::new(0),
    restorer: AtomicUsize::new(0),
    mask: AtomicU64::new(0),
};

/// Per signal (index = signal number): the program's handler, flags and sa_mask as it set them.
/// Meaningful while the real action's handler is [`handler_wrapper`].
static APP_HANDLER: [AtomicUsize; 65] = [const { AtomicUsize::new(0) }; 65];
static APP_FLAGS: [AtomicU64; 65] = [const { AtomicU64::new(0) }; 65];
static APP_MASK: [AtomicU64; 65] = [const { AtomicU64::new(0) }; 65];

fn is_function(handler: usize) -> bool {
    handler != libc::SIG_DFL && handler != libc::SIG_IGN
}

fn wrapper_address() -> usize {
    handler_wrapper as *const () as usize
}

/// What the kernel runs for every program handler (other than SIGSYS's).
extern "C" fn handler_wrapper(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let i = sig as usize;
    let handler = APP_HANDLER[i].load(Ordering::Acquire);
    let flags = APP_FLAGS[i].load(Ordering::Relaxed);
    let mask = APP_MASK[i].load(Ordering::Relaxed);
    let slot = threads::current();
    let program = ProgramCode::enter(slot);
    if let Some(s) = slot {
        let before = s.sigsys_blocked.load(Ordering::Relaxed);
        if before {
            // The saved mask is the program's view of the interrupted context; rt_sigreturn takes
            // the bit back out (see `sanitize_frame_mask`).
            // SAFETY: the kernel passed a valid ucontext with SA_SIGINFO.
            unsafe {
                *(core::ptr::addr_of_mut!((*(ctx as *mut libc::ucontext_t)).uc_sigmask) as *mut u64) |= SIGSYS_BIT
            };
        }
        s.sigsys_blocked.store(before || mask & SIGSYS_BIT != 0, Ordering::Relaxed);
    }
    crate::trace::hook::signal_delivered(sig, info, ctx, program.interrupted_hook);
    call_program_handler(handler, flags, sig, info, ctx);
}

/// A program signal handler is about to run, perhaps inside a hook it interrupted (the fast
/// path runs hooks outside any SIGSYS handler, and the SIGSYS handler leaves signals unblocked).
/// The handler is program code, whose calls trap and reach the hooks like any other: while it
/// runs the thread's selector and hook mark are the program's, and on drop what they were.
struct ProgramCode {
    slot: Option<&'static threads::Slot>,
    selector: u8,
    /// The signal arrived while a hook ran: the call in progress has not reached the kernel, or
    /// has left it.
    interrupted_hook: bool,
}

impl ProgramCode {
    fn enter(slot: Option<&'static threads::Slot>) -> ProgramCode {
        let (selector, interrupted_hook) = match slot {
            Some(s) => {
                let was = (s.selector.load(Ordering::Relaxed), s.in_hook.load(Ordering::Relaxed));
                s.in_hook.store(false, Ordering::Relaxed);
                s.selector.store(crate::backend::sud::SELECTOR_BLOCK, Ordering::Relaxed);
                was
            }
            None => (crate::backend::sud::SELECTOR_BLOCK, false),
        };
        ProgramCode { slot, selector, interrupted_hook }
    }
}

impl Drop for ProgramCode {
    fn drop(&mut self) {
        if let Some(s) = self.slot {
            s.selector.store(self.selector, Ordering::Relaxed);
            s.in_hook.store(self.interrupted_hook, Ordering::Relaxed);
        }
    }
}

fn call_program_handler(
    handler: usize,
    flags: u64,
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    ctx: *mut libc::c_void,
) {
    if !is_function(handler) {
        return;
    }
    if flags & libc::SA_SIGINFO as u64 != 0 {
        // SAFETY: the program installed `handler` as an SA_SIGINFO handler for `sig`.
        let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            unsafe { core::mem::transmute(handler) };
        f(sig, info, ctx);
    } else {
        // SAFETY: the program installed `handler` as a plain handler for `sig`.
        let f: extern "C" fn(libc::c_int) = unsafe { core::mem::transmute(handler) };
        f(sig);
    }
}

fn load_virtual() -> KSigaction {
    KSigaction {
        handler: VIRTUAL_SIGSYS.handler.load(Ordering::Acquire),
        flags: VIRTUAL_SIGSYS.flags.load(Ordering::Relaxed),
        restorer: VIRTUAL_SIGSYS.restorer.load(Ordering::Relaxed),
        mask: VIRTUAL_SIGSYS.mask.load(Ordering::Relaxed),
    }
}

fn store_virtual(a: &KSigaction) {
    VIRTUAL_SIGSYS.flags.store(a.flags, Ordering::Relaxed);
    VIRTUAL_SIGSYS.restorer.store(a.restorer, Ordering::Relaxed);
    VIRTUAL_SIGSYS.mask.store(a.mask, Ordering::Relaxed);
    VIRTUAL_SIGSYS.handler.store(a.handler, Ordering::Release);
}

/// The variable that carries the program's SIGSYS state into the image it execs. Natively exec
/// keeps an ignored SIGSYS and a blocked one; here the real action is the runtime's handler
/// (which exec resets) and SIGSYS is never really blocked, so the kernel cannot carry them.
pub const ENV_SIGSYS: &str = "SELFTRACE_SIGSYS";
const EXEC_IGNORED: &[u8] = b"SELFTRACE_SIGSYS=ignored\0";
const EXEC_BLOCKED: &[u8] = b"SELFTRACE_SIGSYS=blocked\0";
const EXEC_BOTH: &[u8] = b"SELFTRACE_SIGSYS=ignored,blocked\0";
const INHERITED_IGNORED: u8 = 1;
const INHERITED_BLOCKED: u8 = 2;
/// What [`ENV_SIGSYS`] said at start-up.
static INHERITED: AtomicU8 = AtomicU8::new(0);

/// The `NAME=value\0` entry an execve by the calling thread must add to the new image's
/// environment (None: SIGSYS at its default and unblocked, nothing to carry). Handler path.
pub fn exec_var() -> Option<&'static [u8]> {
    let slot = threads::current();
    let mut handler = VIRTUAL_SIGSYS.handler.load(Ordering::Acquire);
    if let Some(own) = slot.filter(|s| s.vfork_child.load(Ordering::Relaxed)).and_then(|s| s.vfork_sigsys_handler()) {
        handler = own;
    }
    let ignored = handler == libc::SIG_IGN;
    let blocked = slot.is_some_and(|s| s.sigsys_blocked.load(Ordering::Relaxed));
    match (ignored, blocked) {
        (true, true) => Some(EXEC_BOTH),
        (true, false) => Some(EXEC_IGNORED),
        (false, true) => Some(EXEC_BLOCKED),
        (false, false) => None,
    }
}

/// Start-up, before the environment is shown to the program: takes [`ENV_SIGSYS`] out of it
/// and keeps what it says for [`install`].
pub fn take_inherited() {
    let Some(v) = std::env::var_os(ENV_SIGSYS) else { return };
    std::env::remove_var(ENV_SIGSYS);
    let mut bits = 0;
    for w in v.to_string_lossy().split(',') {
        match w {
            "ignored" => bits |= INHERITED_IGNORED,
            "blocked" => bits |= INHERITED_BLOCKED,
            _ => {}
        }
    }
    INHERITED.store(bits, Ordering::Relaxed);
}

/// Start-up: installs the runtime's SIGSYS handler. What SIGSYS was before (SIG_IGN survives
/// exec; a blocked SIGSYS too), or what the exec'ing image said it was (see [`ENV_SIGSYS`]),
/// becomes the program's virtual state.
pub fn install(handler: usize) -> Result<(), i32> {
    let mut old = KSigaction::default();
    sys::sigaction(SIGSYS, None, Some(&mut old))?;
    let inherited = INHERITED.load(Ordering::Relaxed);
    if inherited & INHERITED_IGNORED != 0 {
        old = KSigaction { handler: libc::SIG_IGN, ..KSigaction::default() };
    }
    store_virtual(&old);
    let act = KSigaction {
        handler,
        // SA_SIGINFO: the handler needs siginfo and the ucontext.
        // SA_NODEFER: SIGSYS must stay deliverable inside the handler: a program signal handler
        //   that runs while the handler waits in a blocking call makes trapped calls itself.
        // SA_RESTORER: the handler's rt_sigreturn must come from the exempt region.
        // No SA_ONSTACK: the handler runs on whatever stack the program was using.
        // No SA_RESTART: a restart is the kernel's business inside the exempt stub (it rewinds
        //   to the stub's own `syscall`), decided by the program's handler of the interrupting
        //   signal, not by SIGSYS's flags.
        flags: (libc::SA_SIGINFO | libc::SA_NODEFER) as u64 | SA_RESTORER,
        restorer: crate::arch::restorer(),
        mask: 0,
    };
    sys::sigaction(SIGSYS, Some(&act), None)?;
    let mut blocked: KSigset = 0;
    sys::sigprocmask(libc::SIG_UNBLOCK, Some(&SIGSYS_BIT), Some(&mut blocked))?;
    if let Some(s) = threads::current() {
        s.sigsys_blocked.store(blocked & SIGSYS_BIT != 0 || inherited & INHERITED_BLOCKED != 0, Ordering::Relaxed);
    }
    Ok(())
}

/// Whether the program left SIGSYS at SIG_DFL or SIG_IGN (used for reporting only).
pub fn virtual_handler() -> usize {
    VIRTUAL_SIGSYS.handler.load(Ordering::Relaxed)
}

fn err(e: i32) -> isize {
    -(e as isize)
}

/// rt_sigaction(sig, act, oldact, sigsetsize).
pub fn rt_sigaction(call: &mut Call) -> isize {
    let [sig, act_ptr, old_ptr, setsize, ..] = call.args;
    let sig = sig as libc::c_int;
    if setsize != 8 || !(1..=64).contains(&sig) {
        return crate::arch::syscall6(call.nr, call.args);
    }
    let new = if act_ptr != 0 {
        match sys::read_val::<KSigaction>(act_ptr) {
            Ok(a) => Some(a),
            Err(e) => return err(e),
        }
    } else {
        None
    };
    let vfork_slot = threads::current().filter(|s| s.vfork_child.load(Ordering::Relaxed));
    if sig == SIGSYS {
        let mut old = load_virtual();
        match vfork_slot {
            // A vfork child (posix_spawn resets handlers to SIG_DFL in it) acts on its own
            // view, not on its parent's action in the memory they share.
            Some(s) => {
                if let Some(handler) = s.vfork_sigsys_handler() {
                    old = KSigaction { handler, ..KSigaction::default() };
                }
                if let Some(a) = new {
                    s.set_vfork_sigsys_handler(a.handler);
                }
            }
            None => {
                if let Some(a) = new {
                    store_virtual(&a);
                }
            }
        }
        if old_ptr != 0 {
            if let Err(e) = sys::write_val(old_ptr, &old) {
                return err(e);
            }
        }
        return 0;
    }
    // A vfork child shares our memory (the tables) but not our actions: it only passes through.
    let vfork_child = vfork_slot.is_some();
    let i = sig as usize;
    let prev = (
        APP_HANDLER[i].load(Ordering::Acquire),
        APP_FLAGS[i].load(Ordering::Relaxed),
        APP_MASK[i].load(Ordering::Relaxed),
    );
    let real = new.map(|a| {
        let mut r = KSigaction { mask: a.mask & !SIGSYS_BIT, ..a };
        if is_function(a.handler) && !vfork_child {
            r.handler = wrapper_address();
            r.flags |= libc::SA_SIGINFO as u64;
        }
        r
    });
    if let (Some(a), false) = (new, vfork_child) {
        // Before the kernel can deliver to the wrapper.
        APP_FLAGS[i].store(a.flags, Ordering::Relaxed);
        APP_MASK[i].store(a.mask, Ordering::Relaxed);
        APP_HANDLER[i].store(a.handler, Ordering::Release);
    }
    let mut old = KSigaction::default();
    if let Err(e) = sys::sigaction(sig, real.as_ref(), Some(&mut old)) {
        if new.is_some() && !vfork_child {
            APP_FLAGS[i].store(prev.1, Ordering::Relaxed);
            APP_MASK[i].store(prev.2, Ordering::Relaxed);
            APP_HANDLER[i].store(prev.0, Ordering::Release);
        }
        return err(e);
    }
    if old_ptr != 0 {
        if old.handler == wrapper_address() {
            old.handler = prev.0;
            old.flags = prev.1;
        }
        if is_function(old.handler) || prev.2 & SIGSYS_BIT != 0 {
            old.mask |= prev.2 & SIGSYS_BIT;
        }
        if let Err(e) = sys::write_val(old_ptr, &old) {
            return err(e);
        }
    }
    0
}

/// rt_sigprocmask(how, set, oldset, sigsetsize), applied to the mask the program returns with
/// (see [`Frame::set_signal_mask`]); no system call is needed.
pub fn rt_sigprocmask(call: &mut Call, frame: &mut dyn Frame) -> isize {
    let [how, set_ptr, old_ptr, setsize, ..] = call.args;
    let how = how as libc::c_int;
    if setsize != 8 {
        return err(libc::EINVAL);
    }
    let set = if set_ptr != 0 {
        match sys::read_val::<KSigset>(set_ptr) {
            Ok(s) => Some(s),
            Err(e) => return err(e),
        }
    } else {
        None
    };
    if set.is_some() && !matches!(how, libc::SIG_BLOCK | libc::SIG_UNBLOCK | libc::SIG_SETMASK) {
        return err(libc::EINVAL);
    }
    let slot = threads::current();
    let was = slot.is_some_and(|s| s.sigsys_blocked.load(Ordering::Relaxed));
    let cur = frame.signal_mask();
    if old_ptr != 0 {
        let old = if was { cur | SIGSYS_BIT } else { cur & !SIGSYS_BIT };
        if let Err(e) = sys::write_val(old_ptr, &old) {
            return err(e);
        }
    }
    if let Some(s) = set {
        let new = match how {
            libc::SIG_BLOCK => cur | s,
            libc::SIG_UNBLOCK => cur & !s,
            _ => s,
        };
        // SIGKILL and SIGSTOP cannot be blocked (the kernel drops them silently); SIGSYS stays
        // deliverable and is blocked only in the program's view.
        frame.set_signal_mask(new & !(SIGSYS_BIT | sigbit(libc::SIGKILL) | sigbit(libc::SIGSTOP)));
        if let Some(slot) = slot {
            let asks = s & SIGSYS_BIT != 0;
            let now = match how {
                libc::SIG_BLOCK => was || asks,
                libc::SIG_UNBLOCK => was && !asks,
                _ => asks,
            };
            slot.sigsys_blocked.store(now, Ordering::Relaxed);
        }
    }
    0
}

/// sigaltstack(ss, old): the real call validates and applies it; the frame then carries the
/// result so that the handler's own rt_sigreturn does not put the old stack back.
pub fn sigaltstack(call: &mut Call, frame: &mut dyn Frame) -> isize {
    let ret = crate::arch::syscall6(call.nr, call.args);
    if ret == 0 && call.args[0] != 0 {
        let mut now = libc::stack_t { ss_sp: core::ptr::null_mut(), ss_flags: 0, ss_size: 0 };
        let q = crate::arch::syscall6(call.nr, [0, &mut now as *mut libc::stack_t as usize, 0, 0, 0, 0]);
        if q == 0 {
            frame.set_alt_stack(now);
        }
    }
    ret
}

/// Calls whose argument `idx` is a temporary signal mask (rt_sigsuspend, ppoll, epoll_pwait):
/// a mask holding SIGSYS is replaced by a copy without it.
pub fn with_mask_arg(call: &mut Call, idx: usize) -> isize {
    let mut args = call.args;
    let local: KSigset;
    if args[idx] != 0 {
        match sys::read_val::<KSigset>(args[idx]) {
            Ok(m) if m & SIGSYS_BIT != 0 => {
                local = m & !SIGSYS_BIT;
                args[idx] = &local as *const KSigset as usize;
            }
            _ => {}
        }
    }
    crate::arch::syscall6(call.nr, args)
}

/// pselect6's sixth argument points to `{ const sigset_t *ss; size_t ss_len; }`.
pub fn pselect6(call: &mut Call) -> isize {
    let mut args = call.args;
    let mut pair: [usize; 2];
    let local: KSigset;
    if args[5] != 0 {
        if let Ok(p) = sys::read_val::<[usize; 2]>(args[5]) {
            pair = p;
            if pair[0] != 0 {
                if let Ok(m) = sys::read_val::<KSigset>(pair[0]) {
                    if m & SIGSYS_BIT != 0 {
                        local = m & !SIGSYS_BIT;
                        pair[0] = &local as *const KSigset as usize;
                        args[5] = pair.as_ptr() as usize;
                    }
                }
            }
        }
    }
    crate::arch::syscall6(call.nr, args)
}

/// The mask an rt_sigreturn restores, found at the program's stack pointer: SIGSYS comes out of
/// it (a handler may have edited `uc_sigmask`).
///
/// # Safety
/// `uc` must point to the ucontext of a signal frame the program is about to return to.
pub unsafe fn sanitize_frame_mask(uc: usize) {
    let at = uc + crate::arch::UC_SIGMASK_OFFSET;
    if let Ok(m) = sys::read_val::<KSigset>(at) {
        if let Some(s) = threads::current() {
            s.sigsys_blocked.store(m & SIGSYS_BIT != 0, Ordering::Relaxed);
        }
        if m & SIGSYS_BIT != 0 {
            let _ = sys::write_val(at, &(m & !SIGSYS_BIT));
        }
    }
}

/// A SIGSYS that is not one of the runtime's traps goes where the program said.
///
/// # Safety
/// `info` and `uc` are the handler's arguments for this delivery.
pub unsafe fn deliver_foreign(info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    let act = load_virtual();
    match act.handler {
        // Ignored in the program's view; a tracer still sees it arrive (as strace does).
        h if h == libc::SIG_IGN => {
            let in_hook = threads::current().is_some_and(|s| s.in_hook.load(Ordering::Relaxed));
            crate::trace::hook::signal_delivered(SIGSYS, info, uc, in_hook)
        }
        h if h == libc::SIG_DFL => die_of_sigsys(),
        h => {
            // The program's view while its handler runs: SIGSYS blocked unless SA_NODEFER or
            // its sa_mask says otherwise; the real mask gets the rest of its sa_mask.
            let mut old: KSigset = 0;
            let _ = sys::sigprocmask(libc::SIG_BLOCK, Some(&(act.mask & !SIGSYS_BIT)), Some(&mut old));
            if act.flags & libc::SA_RESETHAND as u64 != 0 {
                store_virtual(&KSigaction::default());
            }
            let slot = threads::current();
            let program = ProgramCode::enter(slot);
            let before = slot.is_some_and(|s| s.sigsys_blocked.load(Ordering::Relaxed));
            // SAFETY: the handler's own ucontext (SA_SIGINFO).
            let uc_mask = unsafe { core::ptr::addr_of_mut!((*(uc as *mut libc::ucontext_t)).uc_sigmask) as *mut u64 };
            if before {
                // SAFETY: as above.
                unsafe { *uc_mask |= SIGSYS_BIT };
            }
            if let Some(s) = slot {
                let nodefer = act.flags & libc::SA_NODEFER as u64 != 0;
                s.sigsys_blocked.store(before || !nodefer || act.mask & SIGSYS_BIT != 0, Ordering::Relaxed);
            }
            crate::trace::hook::signal_delivered(SIGSYS, info, uc, program.interrupted_hook);
            call_program_handler(h, act.flags, SIGSYS, info, uc);
            drop(program);
            // Our own rt_sigreturn (not trapped) restores the frame's mask: SIGSYS must not be
            // in it; its bit is the program's view on return.
            // SAFETY: as above.
            let back = unsafe { *uc_mask };
            if let Some(s) = slot {
                s.sigsys_blocked.store(back & SIGSYS_BIT != 0, Ordering::Relaxed);
            }
            // The program's handler returned into the runtime, not through rt_sigreturn; hooks see
            // the rt_sigreturn it would have made: the frame (its mask, the result it restores).
            // SAFETY: the handler's own ucontext.
            let rax = unsafe { (*(uc as *const libc::ucontext_t)).uc_mcontext.gregs[libc::REG_RAX as usize] };
            crate::dispatch::observe(libc::SYS_rt_sigreturn as usize, [uc as usize, 0, 0, 0, 0, 0], rax as isize);
            // SAFETY: as above.
            unsafe { *uc_mask = back & !SIGSYS_BIT };
            let _ = sys::sigprocmask(libc::SIG_SETMASK, Some(&old), None);
        }
    }
}

/// SIGSYS at SIG_DFL: the process dies of it, as it would without the runtime.
fn die_of_sigsys() -> ! {
    let dfl = KSigaction::default();
    let _ = sys::sigaction(SIGSYS, Some(&dfl), None);
    let _ = sys::sigprocmask(libc::SIG_UNBLOCK, Some(&SIGSYS_BIT), None);
    let _ = sys::tgkill(crate::process::pid(), sys::gettid(), SIGSYS);
    // Delivery happens on the way out of tgkill; only a stopped-then-killed race gets here.
    sys::exit_group(128 + SIGSYS)
}
