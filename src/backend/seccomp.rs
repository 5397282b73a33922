//! seccomp SECCOMP_RET_TRAP: a classic-BPF filter that traps the chosen system calls unless they
//! come from the exempt region (tested on `instruction_pointer`, which seccomp reports as the
//! address after `syscall`, so the same `[start, start+len)` test as SUD applies).
//!
//! Calls outside the trapped set are decided from the number alone, so the kernel's seccomp action
//! cache (Linux >= 5.11) allows them without running the filter. They still take the kernel's
//! syscall-entry slow path that any filter imposes (`SYSCALL_WORK_SECCOMP`): a sparse `-e trace=`
//! set costs the rest what a one-instruction always-allow filter costs, no more (`cargo bench
//! --bench trace` prints both).

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
    // allows from the number alone is cached by the kernel (seccomp's action cache, Linux >= 5.11),
    // and where it is not, a balanced tree of comparisons costs a handful of instructions, not one
    // per number in the set. A set too large for 8-bit jump offsets traps everything and leaves
    // the choice to the dispatcher.
    if let Some(set) = set {
        let mut nrs: Vec<u32> = set.iter().map(|s: Sysno| s.id() as u32).collect();
        nrs.sort_unstable();
        if let Some(tree) = number_tree(&nrs) {
            f.extend(tree);
            f.push(stmt(BPF_RET_K, allow));
        }
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

/// Where a jump of the number tree goes.
#[derive(Clone, Copy)]
enum To {
    Next,
    /// Instruction `n` of the tree.
    At(usize),
    /// Past the tree and its `allow`: the number is in the set.
    In,
    /// The `allow` right after the tree.
    Out,
}

/// BPF that falls through to the instruction after the tree's end for numbers not in `nrs`
/// (sorted), and jumps one past it (the region test) for numbers in it. None if a jump would not
/// fit 8 bits.
fn number_tree(nrs: &[u32]) -> Option<Vec<libc::sock_filter>> {
    const BPF_JA: u16 = (libc::BPF_JMP | libc::BPF_JA) as u16;
    // (code, k, jt, jf)
    let mut code: Vec<(u16, u32, To, To)> = Vec::new();
    fn build(nrs: &[u32], code: &mut Vec<(u16, u32, To, To)>) {
        if nrs.len() <= 4 {
            // A leaf: a few equality tests, then out; matches jump to a local `ja In`.
            let first = code.len();
            let hit = first + nrs.len() + 1;
            for &nr in nrs {
                code.push((BPF_JEQ_K, nr, To::At(hit), To::Next));
            }
            code.push((BPF_JA, 0, To::Out, To::Out));
            code.push((BPF_JA, 0, To::In, To::In));
            return;
        }
        let mid = nrs.len() / 2;
        let at = code.len();
        code.push((BPF_JGE_K, nrs[mid], To::Next, To::Next));
        build(&nrs[..mid], code);
        code[at].2 = To::At(code.len());
        build(&nrs[mid..], code);
    }
    if nrs.is_empty() {
        return Some(Vec::new());
    }
    build(nrs, &mut code);
    let (out, inside) = (code.len(), code.len() + 1);
    let target = |t: To, i: usize| match t {
        To::Next => i + 1,
        To::At(n) => n,
        To::Out => out,
        To::In => inside,
    };
    let mut f = Vec::with_capacity(code.len());
    for (i, &(c, k, jt, jf)) in code.iter().enumerate() {
        if c == BPF_JA {
            f.push(stmt(c, (target(jt, i) - i - 1) as u32));
        } else {
            let (t, e) = (target(jt, i) - i - 1, target(jf, i) - i - 1);
            f.push(jump(c, k, u8::try_from(t).ok()?, u8::try_from(e).ok()?));
        }
    }
    Some(f)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a classic-BPF seccomp filter (the instructions this module emits) on one call.
    fn run(f: &[libc::sock_filter], nr: u32, ip: u64) -> u32 {
        let data = |off: u32| match off {
            OFF_NR => nr,
            OFF_ARCH => AUDIT_ARCH_X86_64,
            OFF_IP_LO => ip as u32,
            OFF_IP_HI => (ip >> 32) as u32,
            _ => panic!("load at {off}"),
        };
        let (mut pc, mut acc) = (0usize, 0u32);
        loop {
            let i = f[pc];
            match i.code {
                BPF_LD_W_ABS => acc = data(i.k),
                BPF_RET_K => return i.k,
                BPF_JEQ_K => pc += if acc == i.k { i.jt } else { i.jf } as usize,
                BPF_JGE_K => pc += if acc >= i.k { i.jt } else { i.jf } as usize,
                c if c == (libc::BPF_JMP | libc::BPF_JA) as u16 => pc += i.k as usize,
                c => panic!("opcode {c:#x}"),
            }
            pc += 1;
        }
    }

    /// What the kernel's action cache concludes for one number, emulating the filter the way
    /// `seccomp_cache_prepare` does (kernel/seccomp.c): only `nr` and `arch` are known, and only
    /// loads of those, JEQ/JGE/JGT/JSET with K, ALU AND K, JA and RET K are followed. Some(action)
    /// when the path is constant, None when the kernel would give up (and run the filter on every
    /// such call).
    fn cache_view(f: &[libc::sock_filter], nr: u32, arch: u32) -> Option<u32> {
        const BPF_JGT_K: u16 = (libc::BPF_JMP | libc::BPF_JGT | libc::BPF_K) as u16;
        const BPF_JSET_K: u16 = (libc::BPF_JMP | libc::BPF_JSET | libc::BPF_K) as u16;
        const BPF_AND_K: u16 = (libc::BPF_ALU | libc::BPF_AND | libc::BPF_K) as u16;
        const BPF_JA: u16 = (libc::BPF_JMP | libc::BPF_JA) as u16;
        let (mut pc, mut acc) = (0usize, 0u32);
        while pc < f.len() {
            let i = f[pc];
            let taken = |t: bool| if t { i.jt } else { i.jf } as usize;
            match i.code {
                BPF_LD_W_ABS if i.k == OFF_NR => acc = nr,
                BPF_LD_W_ABS if i.k == OFF_ARCH => acc = arch,
                BPF_LD_W_ABS => return None,
                BPF_RET_K => return Some(i.k),
                BPF_JA => pc += i.k as usize,
                BPF_JEQ_K => pc += taken(acc == i.k),
                BPF_JGE_K => pc += taken(acc >= i.k),
                BPF_JGT_K => pc += taken(acc > i.k),
                BPF_JSET_K => pc += taken(acc & i.k != 0),
                BPF_AND_K => acc &= i.k,
                _ => return None,
            }
            pc += 1;
        }
        None
    }

    /// The kernel's cache must prove ALLOW for every number outside the set (those calls then
    /// skip the filter), and must not for a number in it (its answer depends on the address).
    #[test]
    fn kernel_cache_allows_every_number_outside_the_set() {
        const AUDIT_ARCH_I386: u32 = 0x4000_0003;
        let (start, len) = (0x7f00_0000_1000usize, 0x200usize);
        // The set `-e trace=openat` traps: the runtime's calls, openat, and what strace 6.1 has
        // no name for (always traced).
        let mut traced = crate::dispatch::runtime_calls();
        traced.insert(Sysno::openat);
        for nr in (335..=423).chain(451..512) {
            if let Some(s) = Sysno::new(nr) {
                traced.insert(s);
            }
        }
        let sets: Vec<SysnoSet> = [0usize, 1, 5, 39, 120, 250]
            .iter()
            .map(|&size| (0..size).map(|i| Sysno::new(i * 3 % 450).or(Sysno::new(0)).unwrap()).collect())
            .chain([traced])
            .collect();
        for set in &sets {
            let f = build_filter(start, len, Some(set)).unwrap();
            for nr in 0..600u32 {
                let member = Sysno::new(nr as usize).is_some_and(|s| set.contains(s));
                let view = cache_view(&f, nr, AUDIT_ARCH_X86_64);
                if member {
                    assert_eq!(view, None, "set of {}: nr {nr} is in the set", set.count());
                } else {
                    assert_eq!(view, Some(SECCOMP_RET_ALLOW), "set of {}: nr {nr} not cached", set.count());
                }
                assert_eq!(cache_view(&f, nr, AUDIT_ARCH_I386), Some(SECCOMP_RET_ALLOW), "i386 nr {nr}");
            }
        }
        assert_eq!(cache_view(&build_filter(start, len, None).unwrap(), 110, AUDIT_ARCH_X86_64), None);
    }

    #[test]
    fn filter_traps_exactly_the_set_outside_the_region() {
        let (start, len) = (0x7f00_0000_1000usize, 0x200usize);
        for size in [0usize, 1, 3, 4, 5, 9, 39, 120, 250] {
            let set: SysnoSet = (0..size).map(|i| Sysno::new(i * 3 % 450).or(Sysno::new(0)).unwrap()).collect();
            let f = build_filter(start, len, Some(&set)).unwrap();
            let trap = SECCOMP_RET_TRAP | TRAP_TAG as u32;
            for nr in 0..600u32 {
                let member = Sysno::new(nr as usize).is_some_and(|s| set.contains(s));
                let outside = run(&f, nr, 0x5555_0000_0010);
                assert_eq!(outside == trap, member, "size {size}: nr {nr} outside the region");
                assert_eq!(
                    run(&f, nr, (start + 0x10) as u64),
                    SECCOMP_RET_ALLOW,
                    "size {size}: nr {nr} from the region"
                );
            }
        }
        // Every call (no set): trapped outside, allowed inside.
        let f = build_filter(start, len, None).unwrap();
        assert_eq!(run(&f, 39, 0x5555_0000_0010), SECCOMP_RET_TRAP | TRAP_TAG as u32);
        assert_eq!(run(&f, 39, (start + len - 1) as u64), SECCOMP_RET_ALLOW);
    }
}
