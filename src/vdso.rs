//! The vDSO's symbols. The handler reads the clock on every call; the vDSO does that in user
//! space, with no system call, so it is safe from the handler and costs tens of nanoseconds.
//!
//! `--fake-time` redirects the vDSO's clock entry points (clock reads through the vDSO never
//! trap): [`patch_jump`] overwrites a function's first bytes with a jump. From then on the
//! runtime's own clock reads ([`monotonic_ns`], [`realtime_ns`]: trace timestamps, `-T`, `-c`)
//! stay real by going to the kernel instead.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static CLOCK_GETTIME: AtomicUsize = AtomicUsize::new(0);
/// The vDSO's clock functions jump elsewhere: read the real clocks with the system call.
static PATCHED: AtomicBool = AtomicBool::new(false);

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
    if f != 0 && !PATCHED.load(Ordering::Relaxed) {
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
    lookup_sized(name).map(|(addr, _)| addr)
}

/// The bytes [`patch_jump`] writes: `jmp qword ptr [rip + 0]` followed by the target address.
/// It changes no register and reaches any address (the vDSO is usually further than 2 GiB from
/// the runtime's code, out of reach of a `rel32` jump).
pub const JUMP_LEN: usize = 14;

/// Makes the function at `addr` (`size` bytes long, from the vDSO's symbol table) jump to
/// `target`: the page is made writable (the kernel maps the vDSO with VM_MAYWRITE so that
/// debuggers can plant breakpoints; the first write gives this process a private copy, which
/// fork children inherit), the jump is written, and the page is made read-only again.
/// Start-up only, while the process has one thread. `Err(errno)` of the failing step.
pub fn patch_jump(addr: usize, size: usize, target: usize) -> Result<(), i32> {
    if size < JUMP_LEN {
        return Err(libc::ENOSPC);
    }
    let mut code = [0u8; JUMP_LEN];
    code[..6].copy_from_slice(&[0xff, 0x25, 0, 0, 0, 0]);
    code[6..].copy_from_slice(&(target as u64).to_le_bytes());
    // The whole image: the kernel refuses to split the vDSO's mapping (mprotect of one of its
    // pages fails with EINVAL on 6.x).
    let (page, len) = image().ok_or(libc::ENOENT)?;
    if addr < page || addr + JUMP_LEN > page + len {
        return Err(libc::EFAULT);
    }
    let prot = |p: libc::c_int| {
        // SAFETY: changes the protection of the vDSO's own pages, which stay mapped.
        if unsafe { libc::mprotect(page as *mut libc::c_void, len, p) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EPERM))
        }
    };
    // Executable meanwhile too: a signal handler of the program could be reading the clock.
    prot(libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC)?;
    // Before the jump exists: the runtime's own clock reads must never take it.
    PATCHED.store(true, Ordering::Relaxed);
    // SAFETY: addr..addr+JUMP_LEN lies inside the function (size checked), in pages just made
    // writable; nothing runs that code while it is rewritten (one thread, at start-up).
    unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), addr as *mut u8, JUMP_LEN) };
    prot(libc::PROT_READ | libc::PROT_EXEC)
}

/// Start and length (whole pages) of the vDSO's mapping, from its program headers.
fn image() -> Option<(usize, usize)> {
    // SAFETY: getauxval only reads the auxiliary vector.
    let base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) } as usize;
    if base == 0 {
        return None;
    }
    // SAFETY: as in `lookup_sized`: the kernel maps a well-formed ELF image there.
    let end = unsafe {
        let eh = &*(base as *const libc::Elf64_Ehdr);
        let phdrs =
            core::slice::from_raw_parts((base + eh.e_phoff as usize) as *const libc::Elf64_Phdr, eh.e_phnum as usize);
        let first = phdrs.iter().find(|p| p.p_type == libc::PT_LOAD)?.p_vaddr as usize;
        phdrs
            .iter()
            .filter(|p| p.p_type == libc::PT_LOAD)
            .map(|p| base + (p.p_vaddr as usize + p.p_memsz as usize - first))
            .max()?
    };
    Some((base, (end - base).div_ceil(4096) * 4096))
}

/// Address and size of a dynamic symbol of the vDSO.
pub fn lookup_sized(name: &[u8]) -> Option<(usize, usize)> {
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
                return Some((bias.wrapping_add(s.st_value as usize), s.st_size as usize));
            }
        }
        None
    }
}
