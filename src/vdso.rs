//! The vDSO's symbols. The handler reads the clock on every call; the vDSO does that in user
//! space, with no system call, so it is safe from the handler and costs tens of nanoseconds.
//! (The fake-time shim will also need these entry points: clock reads through the vDSO never trap.)

use core::sync::atomic::{AtomicUsize, Ordering};

static CLOCK_GETTIME: AtomicUsize = AtomicUsize::new(0);

const SHT_DYNSYM: u32 = 11;

type ClockGettime = unsafe extern "C" fn(libc::clockid_t, *mut libc::timespec) -> libc::c_int;

/// Finds the vDSO entry points. Start-up only.
pub fn init() {
    if let Some(addr) = lookup(b"__vdso_clock_gettime") {
        CLOCK_GETTIME.store(addr, Ordering::Relaxed);
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
#[inline]
pub fn monotonic_ns() -> u64 {
    clock_ns(libc::CLOCK_MONOTONIC)
}

/// CLOCK_REALTIME in nanoseconds (trace timestamps, -t).
#[inline]
pub fn realtime_ns() -> u64 {
    clock_ns(libc::CLOCK_REALTIME)
}

#[inline]
fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    let f = CLOCK_GETTIME.load(Ordering::Relaxed);
    if f != 0 {
        // SAFETY: `f` is the vDSO's clock_gettime, found by `lookup` in the mapped vDSO image,
        // which stays mapped for the life of the process; it only reads the vvar page and TSC.
        let f: ClockGettime = unsafe { core::mem::transmute(f) };
        // SAFETY: `ts` is a valid out pointer.
        unsafe { f(clock, &mut ts) };
    } else {
        crate::arch::syscall6(
            libc::SYS_clock_gettime as usize,
            [clock as usize, &mut ts as *mut _ as usize, 0, 0, 0, 0],
        );
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Address of a dynamic symbol of the vDSO, by walking its ELF section headers.
pub fn lookup(name: &[u8]) -> Option<usize> {
    // SAFETY: getauxval only reads the auxiliary vector.
    let base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) } as usize;
    if base == 0 {
        return None;
    }
    // SAFETY: the kernel maps a complete, well-formed ELF image at AT_SYSINFO_EHDR; every offset
    // below comes from its own headers and stays inside the image.
    unsafe {
        let eh = &*(base as *const libc::Elf64_Ehdr);
        let shdrs =
            core::slice::from_raw_parts((base + eh.e_shoff as usize) as *const libc::Elf64_Shdr, eh.e_shnum as usize);
        // The load bias: the vDSO is linked at its own virtual addresses.
        let phdrs =
            core::slice::from_raw_parts((base + eh.e_phoff as usize) as *const libc::Elf64_Phdr, eh.e_phnum as usize);
        let load = phdrs.iter().find(|p| p.p_type == libc::PT_LOAD)?;
        let bias = base.wrapping_sub(load.p_vaddr as usize).wrapping_add(load.p_offset as usize);
        let dynsym = shdrs.iter().find(|s| s.sh_type == SHT_DYNSYM)?;
        let strtab = &shdrs[dynsym.sh_link as usize];
        let syms = core::slice::from_raw_parts(
            (base + dynsym.sh_offset as usize) as *const libc::Elf64_Sym,
            dynsym.sh_size as usize / core::mem::size_of::<libc::Elf64_Sym>(),
        );
        let strs = (base + strtab.sh_offset as usize) as *const u8;
        for s in syms {
            if s.st_name == 0 || s.st_value == 0 {
                continue;
            }
            let cname = core::ffi::CStr::from_ptr(strs.add(s.st_name as usize).cast());
            if cname.to_bytes() == name {
                return Some(bias.wrapping_add(s.st_value as usize));
            }
        }
        None
    }
}
