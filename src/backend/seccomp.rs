//! seccomp SECCOMP_RET_TRAP: a classic-BPF filter that traps the chosen system calls unless they
//! come from the exempt region (tested on `instruction_pointer`, which seccomp reports as the
//! address after `syscall`, so the same `[start, start+len)` test as SUD applies).
//!
//! Calls outside the trapped set never leave the kernel's fast path: this is where a sparse
//! `-e trace=` set costs nothing for the rest.

use syscalls::{Sysno, SysnoSet};

use crate::sys;

/// si_code of a seccomp SIGSYS.
pub const SYS_SECCOMP: libc::c_int = 1;
/// SECCOMP_RET_DATA carried in si_errno, telling the runtime's traps from a filter of the
/// program's own.
pub const TRAP_TAG: i32 = 0x5e1f;

const SECCOMP_SET_MODE_FILTER: usize = 1;
/// Without it the kernel forces the Speculative Store Bypass mitigation on every task under a
/// filter, slowing the program's own code: this filter interposes, it does not sandbox.
const SECCOMP_FILTER_FLAG_SPEC_ALLOW: usize = 1 << 2;
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
const SECCOMP_RET_TRAP: u32 = 0x0003_0000;
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

// seccomp_data offsets.
const OFF_NR: u32 = 0;
const OFF_ARCH: u32 = 4;
const OFF_IP_LO: u32 = 8;
const OFF_IP_HI: u32 = 12;

const BPF_LD_W_ABS: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
const BPF_JEQ_K: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;
const BPF_JGE_K: u16 = (libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K) as u16;
const BPF_RET_K: u16 = (libc::BPF_RET | libc::BPF_K) as u16;

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter { code, jt: 0, jf: 0, k }
}
fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// Builds the filter: trap every call in `set` (all calls when `set` is None) made outside
/// `[start, start + len)`. Fails if the region straddles a 4 GiB boundary (BPF compares 32-bit
/// halves; the region is a few hundred bytes, so this never happens in practice).
pub fn build_filter(start: usize, len: usize, set: Option<&SysnoSet>) -> Result<Vec<libc::sock_filter>, &'static str> {
    let end = start + len;
    if (start >> 32) != ((end - 1) >> 32) {
        return Err("exempt region crosses a 4 GiB boundary");
    }
    let allow = SECCOMP_RET_ALLOW;
    let trap = SECCOMP_RET_TRAP | TRAP_TAG as u32;
    let mut f = vec![
        // Foreign ABIs (i386 int 0x80) and x32 numbers are not decoded by the handler: let the
        // kernel handle them as it would.
        stmt(BPF_LD_W_ABS, OFF_ARCH),
        jump(BPF_JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        stmt(BPF_RET_K, allow),
        stmt(BPF_LD_W_ABS, OFF_NR),
        jump(BPF_JGE_K, X32_SYSCALL_BIT, 0, 1),
        stmt(BPF_RET_K, allow),
    ];
    // The number test comes before any look at the instruction pointer: a number the filter
    // allows from the number alone is cached by the kernel (seccomp's action cache, Linux >= 5.11)
    // and then costs nothing at all. A jump offset is 8 bits: a set too large for one jump table
    // traps everything and leaves the choice to the dispatcher.
    if let Some(set) = set.filter(|s| s.count() <= 250) {
        let nrs: Vec<u32> = set.iter().map(|s: Sysno| s.id() as u32).collect();
        let n = nrs.len();
        for (i, nr) in nrs.iter().enumerate() {
            // To the region test after the `allow` below.
            f.push(jump(BPF_JEQ_K, *nr, (n - i) as u8, 0));
        }
        f.push(stmt(BPF_RET_K, allow));
    }
    // A trapped number: allowed from the exempt region, trapped elsewhere.
    f.extend([
        stmt(BPF_LD_W_ABS, OFF_IP_HI),
        jump(BPF_JEQ_K, (start >> 32) as u32, 0, 4),
        stmt(BPF_LD_W_ABS, OFF_IP_LO),
        jump(BPF_JGE_K, start as u32, 0, 2),
        jump(BPF_JGE_K, end as u32, 1, 0),
        stmt(BPF_RET_K, allow),
        stmt(BPF_RET_K, trap),
    ]);
    Ok(f)
}

/// Installs the filter for this process and every future thread and child.
pub fn install(set: Option<&SysnoSet>) -> Result<(), String> {
    let (start, len) = crate::arch::exempt_region();
    let filter = build_filter(start, len, set).map_err(String::from)?;
    let prog = libc::sock_fprog { len: filter.len() as u16, filter: filter.as_ptr() as *mut _ };
    sys::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        .map_err(|e| format!("PR_SET_NO_NEW_PRIVS: {}", crate::errno_name(e)))?;
    let r = crate::arch::syscall6(
        libc::SYS_seccomp as usize,
        [SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog as *const _ as usize, 0, 0, 0],
    );
    sys::check(r).map(|_| ()).map_err(|e| format!("seccomp(SET_MODE_FILTER): {}", crate::errno_name(e)))
}
