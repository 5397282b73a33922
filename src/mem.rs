//! Fault-safe access to the program's memory, for hooks.
//!
//! A hook must never dereference a pointer argument directly: the program may pass any address,
//! and a fault inside the SIGSYS handler would kill it. These functions ask the kernel, from the
//! runtime's exempt stub, so a bad address comes back as `Err(EFAULT)`: `process_vm_readv` and
//! `process_vm_writev` on the own process, or, for reads by a task alone in its memory, a
//! one-call readability probe per page and a plain copy (see [`crate::sys::read_mem`]). None of
//! them allocates.

pub use crate::sys::{read_val, write_val};

/// Copies up to `dst.len()` bytes from the program's address `addr`. Returns how many were
/// readable (a range that runs into an unmapped page stops there); `Err(errno)` if none were.
pub fn read(addr: usize, dst: &mut [u8]) -> Result<usize, i32> {
    crate::sys::read_mem(addr, dst)
}

/// Copies `src` to the program's address `addr`. Returns how many bytes were written.
pub fn write(addr: usize, src: &[u8]) -> Result<usize, i32> {
    let local = libc::iovec { iov_base: src.as_ptr() as *mut libc::c_void, iov_len: src.len() };
    let remote = libc::iovec { iov_base: addr as *mut libc::c_void, iov_len: src.len() };
    crate::sys::check(crate::arch::syscall6(
        libc::SYS_process_vm_writev as usize,
        [crate::process::pid() as usize, &local as *const _ as usize, 1, &remote as *const _ as usize, 1, 0],
    ))
}

/// Reads the NUL-terminated string at `addr` into `buf` and returns it without its NUL.
/// `Err(ENAMETOOLONG)` when no NUL is found within `buf.len()` bytes, `Err(EFAULT)` for a bad
/// address.
pub fn read_cstr(addr: usize, buf: &mut [u8]) -> Result<&[u8], i32> {
    if addr == 0 {
        return Err(libc::EFAULT);
    }
    let mut done = 0;
    while done < buf.len() {
        // Page by page: a string that ends just before an unmapped page must still read whole.
        let page_left = 4096 - ((addr + done) & 4095);
        let want = page_left.min(buf.len() - done);
        let n = read(addr + done, &mut buf[done..done + want])?;
        if let Some(end) = buf[done..done + n].iter().position(|&c| c == 0) {
            return Ok(&buf[..done + end]);
        }
        if n < want {
            return Err(libc::EFAULT);
        }
        done += n;
    }
    Err(libc::ENAMETOOLONG)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_bad_addresses() {
        crate::process::refresh_pid();
        let s = b"hello\0world";
        let mut buf = [0u8; 64];
        assert_eq!(read_cstr(s.as_ptr() as usize, &mut buf).unwrap(), b"hello");
        assert_eq!(read_cstr(0x10, &mut buf), Err(libc::EFAULT));
        let mut small = [0u8; 3];
        assert_eq!(read_cstr(s.as_ptr() as usize, &mut small), Err(libc::ENAMETOOLONG));
        let mut target = [0u8; 4];
        assert_eq!(write(target.as_mut_ptr() as usize, b"abcd"), Ok(4));
        assert_eq!(&target, b"abcd");
        assert_eq!(write(0x10, b"x"), Err(libc::EFAULT));
    }
}
