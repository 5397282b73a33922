//! x86-64: every instruction of the runtime that may enter the kernel without trapping, and every
//! access to the registers saved in a signal frame.
//!
//! # Safety
//! The module's invariant is that [`exempt_region`] covers every `syscall` instruction below and
//! nothing else of the runtime: the trap backends exempt exactly this range, so a `syscall`
//! anywhere else in the runtime would trap into the handler again (and, with SIGSYS forced while
//! the handler runs a non-reentrant step, kill the process).

use core::arch::global_asm;
use libc::{ucontext_t, REG_R10, REG_R8, REG_R9, REG_RAX, REG_RDI, REG_RDX, REG_RIP, REG_RSI, REG_RSP};

// The exempt region. Kept as one block so that its bounds are two labels in the same section:
// no linker-provided __start/__stop symbols, no risk of the linker interleaving other code.
//
// The kernel's exemption test is `ip - start < len` with `ip` the address *after* `syscall`, so a
// `syscall` ending exactly at the region's end would not be exempt: the trailing padding keeps
// every `syscall` strictly inside.
global_asm!(
    r#"
    .pushsection .text.selftrace_exempt,"ax",@progbits
    .p2align 6
    .globl selftrace_exempt_start
    .hidden selftrace_exempt_start
selftrace_exempt_start:

    // isize selftrace_syscall6(nr, a1, a2, a3, a4, a5, a6)
    // SysV: rdi=nr rsi=a1 rdx=a2 rcx=a3 r8=a4 r9=a5 [rsp+8]=a6; kernel: rax=nr rdi rsi rdx r10 r8 r9.
    .globl selftrace_syscall6
    .hidden selftrace_syscall6
    .type selftrace_syscall6,@function
selftrace_syscall6:
    mov rax, rdi
    mov rdi, rsi
    mov rsi, rdx
    mov rdx, rcx
    mov r10, r8
    mov r8, r9
    mov r9, [rsp + 8]
    syscall
    ret
    .size selftrace_syscall6, . - selftrace_syscall6

    // The SA_RESTORER of the runtime's own SIGSYS handler: its rt_sigreturn must not trap.
    .globl selftrace_restorer
    .hidden selftrace_restorer
    .type selftrace_restorer,@function
selftrace_restorer:
    mov eax, 15
    syscall
    ud2
    .size selftrace_restorer, . - selftrace_restorer

    // noreturn selftrace_sigreturn_at(sp): rt_sigreturn with the frame found at sp - 8, the way
    // the kernel finds it after a handler's `ret` popped the frame's return address.
    .globl selftrace_sigreturn_at
    .hidden selftrace_sigreturn_at
    .type selftrace_sigreturn_at,@function
selftrace_sigreturn_at:
    mov rsp, rdi
    mov eax, 15
    syscall
    ud2
    .size selftrace_sigreturn_at, . - selftrace_sigreturn_at

    // isize selftrace_clone_boot(flags, child_sp, ptid, ctid, tls): clone(2) whose child starts
    // at child_sp, where a boot record lies; the child calls the boot function with it and never
    // returns here.
    .globl selftrace_clone_boot
    .hidden selftrace_clone_boot
    .type selftrace_clone_boot,@function
selftrace_clone_boot:
    mov r10, rcx
    mov eax, 56
    syscall
    test rax, rax
    jz .Lselftrace_child
    ret
    .size selftrace_clone_boot, . - selftrace_clone_boot

    // isize selftrace_clone3_boot(args, size): the same for clone3(2).
    .globl selftrace_clone3_boot
    .hidden selftrace_clone3_boot
    .type selftrace_clone3_boot,@function
selftrace_clone3_boot:
    mov eax, 435
    syscall
    test rax, rax
    jz .Lselftrace_child
    ret
    .size selftrace_clone3_boot, . - selftrace_clone3_boot

.Lselftrace_child:
    // rsp = the boot record, 16-byte aligned; nothing of the parent's stack is reachable.
    xor ebp, ebp
    mov rdi, rsp
    call {boot}
    ud2

    // Padding: see the off-by-one note above.
    nop
    nop
    nop
    nop
    .globl selftrace_exempt_end
    .hidden selftrace_exempt_end
selftrace_exempt_end:
    .popsection
"#,
    boot = sym crate::process::child_boot,
);

extern "C" {
    static selftrace_exempt_start: u8;
    static selftrace_exempt_end: u8;
    fn selftrace_syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> isize;
    fn selftrace_restorer();
    fn selftrace_sigreturn_at(sp: usize) -> !;
    fn selftrace_clone_boot(flags: usize, child_sp: usize, ptid: usize, ctid: usize, tls: usize) -> isize;
    fn selftrace_clone3_boot(args: *const u8, size: usize) -> isize;
}

/// Start address and length of the exempt region.
pub fn exempt_region() -> (usize, usize) {
    // Only the labels' addresses are taken; they are never read.
    let (start, end) =
        (core::ptr::addr_of!(selftrace_exempt_start) as usize, core::ptr::addr_of!(selftrace_exempt_end) as usize);
    (start, end - start)
}

/// Issues system call `nr` from the exempt region. Returns the kernel's raw result (`-errno` on
/// failure). Never touches `errno`.
#[inline]
pub fn syscall6(nr: usize, a: [usize; 6]) -> isize {
    // SAFETY: the stub only moves registers and executes `syscall`; what the call itself does to
    // memory is the caller's responsibility, stated at each call site's own SAFETY line.
    unsafe { selftrace_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]) }
}

/// Address of the exempt `rt_sigreturn` stub, for the SA_RESTORER of the runtime's own handlers.
pub fn restorer() -> usize {
    selftrace_restorer as *const () as usize
}

/// rt_sigreturn with the signal frame whose `ucontext` starts at `sp` (the caller's stack pointer
/// when it trapped on `rt_sigreturn`).
///
/// # Safety
/// `sp - 8` must be a signal frame laid out as the kernel's `rt_sigframe`; nothing of the calling
/// Rust frames is used again.
pub unsafe fn sigreturn_at(sp: usize) -> ! {
    // SAFETY: per this function's contract.
    unsafe { selftrace_sigreturn_at(sp) }
}

/// clone(2) whose child begins in [`crate::process::child_boot`] with the boot record at
/// `child_sp`.
///
/// # Safety
/// `child_sp` must point to a valid, 16-byte aligned boot record in memory the child can use as
/// its stack below that address.
pub unsafe fn clone_boot(flags: usize, child_sp: usize, ptid: usize, ctid: usize, tls: usize) -> isize {
    // SAFETY: per this function's contract.
    unsafe { selftrace_clone_boot(flags, child_sp, ptid, ctid, tls) }
}

/// clone3(2) whose child begins in [`crate::process::child_boot`] with the boot record at
/// `args.stack + args.stack_size`.
///
/// # Safety
/// As for [`clone_boot`], for the stack described in `args`.
pub unsafe fn clone3_boot(args: *const u8, size: usize) -> isize {
    // SAFETY: per this function's contract.
    unsafe { selftrace_clone3_boot(args, size) }
}

/// The caller's stack pointer, roughly (the program's, for a call that arrived without a trap).
#[inline(always)]
pub fn stack_pointer_now() -> usize {
    let sp: usize;
    // SAFETY: reads a register.
    unsafe { core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    sp
}

/// The thread pointer (FS base), used as a cheap per-thread key. `rdfsbase` needs FSGSBASE
/// (kernel >= 5.9 on capable CPUs); otherwise arch_prctl(ARCH_GET_FS) is asked.
#[inline]
pub fn thread_pointer(have_fsgsbase: bool) -> usize {
    if have_fsgsbase {
        let v: usize;
        // SAFETY: rdfsbase only reads a register; `have_fsgsbase` comes from AT_HWCAP2.
        unsafe { core::arch::asm!("rdfsbase {}", out(reg) v, options(nomem, nostack, preserves_flags)) };
        v
    } else {
        const ARCH_GET_FS: usize = 0x1003;
        let mut v: usize = 0;
        syscall6(libc::SYS_arch_prctl as usize, [ARCH_GET_FS, &mut v as *mut usize as usize, 0, 0, 0, 0]);
        v
    }
}

/// AT_HWCAP2 bit telling that user space may use the FSGSBASE instructions.
pub const HWCAP2_FSGSBASE: u64 = 1 << 1;

/// Number and arguments of the system call that trapped, read from the saved registers.
#[inline]
pub fn trapped_call(uc: &ucontext_t) -> (usize, [usize; 6]) {
    let g = &uc.uc_mcontext.gregs;
    // The kernel rolls RAX back to the system call number before delivering SIGSYS.
    let nr = g[REG_RAX as usize] as usize;
    let args = [REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9].map(|r| g[r as usize] as usize);
    (nr, args)
}

/// Makes the trapped system call return `ret` to the program: RAX is the only register changed.
#[inline]
pub fn set_return(uc: &mut ucontext_t, ret: isize) {
    uc.uc_mcontext.gregs[REG_RAX as usize] = ret as i64;
}

/// The program's stack pointer at the trap.
#[inline]
pub fn stack_pointer(uc: &ucontext_t) -> usize {
    uc.uc_mcontext.gregs[REG_RSP as usize] as usize
}

/// The address the program resumes at (just after its `syscall` instruction).
#[inline]
pub fn resume_address(uc: &ucontext_t) -> usize {
    uc.uc_mcontext.gregs[REG_RIP as usize] as usize
}

/// Offset of the signal mask in the kernel's `struct ucontext` (the prefix glibc's
/// `ucontext_t` shares with it).
pub const UC_SIGMASK_OFFSET: usize = core::mem::offset_of!(ucontext_t, uc_sigmask);
/// Offset of `uc_stack` (the alternate signal stack restored by rt_sigreturn).
pub const UC_STACK_OFFSET: usize = core::mem::offset_of!(ucontext_t, uc_stack);

/// Bytes of the kernel's `struct ucontext` that rt_sigreturn reads: flags, link, stack,
/// mcontext and the 8-byte kernel sigset.
pub const KERNEL_UCONTEXT_SIZE: usize = UC_SIGMASK_OFFSET + 8;

/// Size of the extended FPU state saved at `fpregs`, read from the software-reserved bytes the
/// kernel writes into it (`struct _fpx_sw_bytes` at byte 464 of the legacy area).
///
/// # Safety
/// `fpregs` must point to the FPU state of a live signal frame.
pub unsafe fn fpstate_size(fpregs: *const u8) -> usize {
    const FP_XSTATE_MAGIC1: u32 = 0x4650_5853;
    // SAFETY: the legacy area is 512 bytes; bytes 464..472 are the software-reserved header.
    let (magic, extended) = unsafe {
        (
            core::ptr::read_unaligned(fpregs.add(464) as *const u32),
            core::ptr::read_unaligned(fpregs.add(468) as *const u32),
        )
    };
    if magic == FP_XSTATE_MAGIC1 && extended >= 512 {
        extended as usize
    } else {
        512
    }
}

/// Pointer to the FPU state of a signal frame, and the slot holding it.
pub fn fpregs_ptr(uc: &mut ucontext_t) -> &mut *mut libc::_libc_fpstate {
    &mut uc.uc_mcontext.fpregs
}

/// Writes the child's view into a copied ucontext: RAX = 0 (clone's result in the child) and the
/// child's stack pointer.
pub fn set_child_registers(uc: &mut ucontext_t, child_sp: usize) {
    uc.uc_mcontext.gregs[REG_RAX as usize] = 0;
    uc.uc_mcontext.gregs[REG_RSP as usize] = child_sp as i64;
}
