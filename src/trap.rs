//! The SIGSYS trap: decode the call from siginfo/ucontext, dispatch it, write RAX back.
//!
//! Everything reachable from `on_sigsys` is the handler path: no allocation, no locks, no libc
//! function that makes a system call, raw calls from the exempt region only, errno untouched
//! (the raw stub never sets it), and RAX the only register of the program's context changed.

use libc::{c_int, c_void, siginfo_t, ucontext_t};

use crate::arch;
use crate::backend::{seccomp, sud};
use crate::dispatch::{self, Frame};
use crate::process::ChildBoot;

/// The runtime's SIGSYS handler. Not public: only the kernel calls it, with valid pointers.
extern "C" fn on_sigsys(_sig: c_int, info: *mut siginfo_t, ctx: *mut c_void) {
    // SAFETY: installed with SA_SIGINFO, so the kernel passes a valid siginfo and ucontext.
    let (code, errno_field) = unsafe { ((*info).si_code, (*info).si_errno) };
    let ours = code == sud::SYS_USER_DISPATCH || (code == seccomp::SYS_SECCOMP && errno_field == seccomp::TRAP_TAG);
    if !ours {
        // SAFETY: the handler's own arguments, passed on unchanged.
        unsafe { crate::signals::deliver_foreign(info, ctx) };
        return;
    }
    // SAFETY: as above; the ucontext is ours to read and write until the handler returns.
    let uc = unsafe { &mut *(ctx as *mut ucontext_t) };
    let (nr, args) = arch::trapped_call(uc);
    let mut frame = SignalFrame { uc };
    let ret = dispatch::dispatch(nr, args, &mut frame);
    arch::set_return(frame.uc, ret);
}

/// The address to install as the SIGSYS handler.
pub fn handler_address() -> usize {
    on_sigsys as *const () as usize
}

/// A trap delivered as a signal: the program's state is the ucontext of the SIGSYS frame.
struct SignalFrame<'a> {
    uc: &'a mut ucontext_t,
}

/// A new task resumes from a signal frame copied onto its stack.
unsafe fn resume_from_frame(sp: usize) -> ! {
    // SAFETY: `sp` is the ucontext `child_record` built, preceded by room for the return address.
    unsafe { arch::sigreturn_at(sp) }
}

impl Frame for SignalFrame<'_> {
    unsafe fn child_record(&mut self, top: usize, clone_flags: u64, mut boot: ChildBoot) -> Option<usize> {
        // Below `top`: [gap][fpstate, 64-aligned][ucontext][return-address slot][boot record].
        let fp_src = *arch::fpregs_ptr(self.uc) as *const u8;
        // SAFETY: fpregs points to the FPU state the kernel saved in this live signal frame.
        let fp_size = if fp_src.is_null() { 0 } else { unsafe { arch::fpstate_size(fp_src) } };
        let fp_dst = (top - 64 - fp_size) & !63;
        let uc_dst = (fp_dst - arch::KERNEL_UCONTEXT_SIZE) & !15;
        let rec = (uc_dst - 8 - core::mem::size_of::<ChildBoot>()) & !15;
        // A stack that is not writable is reported as EFAULT instead of crashing the handler.
        for probe in [rec, top - 8] {
            if crate::sys::write_val(probe, &0u64).is_err() {
                return None;
            }
        }
        // SAFETY: the range rec..top was just proven writable; it lies below the child's stack
        // pointer, which clone's caller guarantees to be free. Source ranges are the live frame.
        unsafe {
            core::ptr::copy_nonoverlapping(
                self.uc as *const ucontext_t as *const u8,
                uc_dst as *mut u8,
                arch::KERNEL_UCONTEXT_SIZE,
            );
            let child = &mut *(uc_dst as *mut ucontext_t);
            if fp_size != 0 {
                core::ptr::copy_nonoverlapping(fp_src, fp_dst as *mut u8, fp_size);
                *arch::fpregs_ptr(child) = fp_dst as *mut _;
            }
            arch::set_child_registers(child, top);
            // rt_sigreturn restores the alternate signal stack from uc_stack. A thread (CLONE_VM
            // without CLONE_VFORK) starts without one; other children keep their parent's.
            if clone_flags & libc::CLONE_VM as u64 != 0 && clone_flags & libc::CLONE_VFORK as u64 == 0 {
                child.uc_stack = libc::stack_t { ss_sp: core::ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
            }
            boot.resume_arg = uc_dst;
            core::ptr::write(rec as *mut ChildBoot, boot);
        }
        Some(rec)
    }

    fn resume_fn(&self) -> unsafe fn(usize) -> ! {
        resume_from_frame
    }

    fn sigreturn(&mut self) -> ! {
        let sp = arch::stack_pointer(self.uc);
        // SAFETY: the program trapped on rt_sigreturn, so its stack pointer is at the ucontext of
        // the frame it returns to (if it is not, the kernel raises SIGSEGV as it would natively).
        unsafe {
            crate::signals::sanitize_frame_mask(sp);
            arch::sigreturn_at(sp)
        }
    }

    fn signal_mask(&self) -> u64 {
        // SAFETY: the first 8 bytes of uc_sigmask are the kernel's sigset.
        unsafe { core::ptr::read(core::ptr::addr_of!(self.uc.uc_sigmask) as *const u64) }
    }

    fn set_signal_mask(&mut self, mask: u64) {
        // SAFETY: as above; the kernel reads these 8 bytes at rt_sigreturn.
        unsafe { core::ptr::write(core::ptr::addr_of_mut!(self.uc.uc_sigmask) as *mut u64, mask) }
    }

    fn set_alt_stack(&mut self, ss: libc::stack_t) {
        self.uc.uc_stack = ss;
    }

    fn stack_pointer(&self) -> usize {
        arch::stack_pointer(self.uc)
    }

    fn instruction_pointer(&self) -> usize {
        arch::resume_address(self.uc)
    }

    fn sigreturn_value(&self) -> isize {
        let sp = arch::stack_pointer(self.uc);
        let at = sp + core::mem::offset_of!(ucontext_t, uc_mcontext) + libc::REG_RAX as usize * 8;
        crate::sys::read_val::<i64>(at).unwrap_or(0) as isize
    }
}
