//! `--uname FIELD=VALUE,...`: uname(2) reports the given fields instead of the kernel's.
//!
//! Fields are struct utsname's: sysname, nodename, release, version, machine, domainname. Each
//! value is at most 64 bytes (the field is 65, NUL-terminated). Repeated options combine, the
//! later value of a field wins. `\,` and `\\` write a comma and a backslash inside a value.
//! glibc's gethostname (and so hostname(1)) reads uname, so it sees the nodename given.

use syscalls::{Sysno, SysnoSet};

use crate::dispatch::{Call, Hook, Verdict};
use crate::mem;
use crate::options::Options;
use crate::state::Shared;

/// struct utsname's fields, in order.
pub const FIELDS: [&str; 6] = ["sysname", "nodename", "release", "version", "machine", "domainname"];
/// Length of each field, NUL included.
const LEN: usize = 65;

/// The fields to report, each NUL-padded to the field's length.
pub struct Spec {
    fields: [Option<[u8; LEN]>; 6],
}

impl Spec {
    /// The value given for field `i` (in [`FIELDS`] order), without its padding.
    pub fn field(&self, i: usize) -> Option<&[u8]> {
        let f = self.fields[i].as_ref()?;
        Some(&f[..f.iter().position(|&c| c == 0).unwrap_or(LEN)])
    }
}

/// Splits one `--uname` value at unescaped commas, undoing `\,` and `\\`.
fn pieces(spec: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ (',' | '\\')) => out.last_mut().unwrap().push(n),
                Some(n) => {
                    out.last_mut().unwrap().push('\\');
                    out.last_mut().unwrap().push(n);
                }
                None => out.last_mut().unwrap().push('\\'),
            },
            ',' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// Every `--uname` option, combined; `None` without any.
pub fn parse(opts: &Options) -> Result<Option<Spec>, String> {
    if opts.uname.is_empty() {
        return Ok(None);
    }
    let mut spec = Spec { fields: [None; 6] };
    for arg in &opts.uname {
        for piece in pieces(arg) {
            let Some((name, value)) = piece.split_once('=') else {
                return Err(format!("--uname: '{piece}' is not FIELD=VALUE (in '{arg}')"));
            };
            let Some(i) = FIELDS.iter().position(|&f| f == name) else {
                return Err(format!("--uname: unknown field '{name}' (fields: {})", FIELDS.join(", ")));
            };
            if value.len() >= LEN {
                return Err(format!("--uname: {name} is {} bytes long; at most {} fit", value.len(), LEN - 1));
            }
            let mut f = [0u8; LEN];
            f[..value.len()].copy_from_slice(value.as_bytes());
            spec.fields[i] = Some(f);
        }
    }
    Ok(Some(spec))
}

/// The shim's hook. Start-up only.
pub fn hook(spec: Spec, _shared: &'static Shared) -> &'static dyn Hook {
    Box::leak(Box::new(Uname(spec)))
}

struct Uname(Spec);

impl Hook for Uname {
    fn timed(&self) -> bool {
        false
    }

    fn syscalls(&self) -> Option<SysnoSet> {
        Some(SysnoSet::new(&[Sysno::uname]))
    }

    fn enter(&self, call: &mut Call) -> Verdict {
        if call.nr == libc::SYS_uname as usize {
            Verdict::Run
        } else {
            Verdict::RunNoExit
        }
    }

    fn exit(&self, call: &Call, ret: &mut isize) {
        if *ret != 0 {
            return;
        }
        for (i, f) in self.0.fields.iter().enumerate() {
            if let Some(f) = f {
                // The kernel has just written the whole structure there: the write cannot fail
                // unless another thread unmapped it meanwhile, and then the program sees what it
                // would have seen natively a moment later.
                let _ = mem::write(call.args[0] + i * LEN, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(v: &[&str]) -> Options {
        Options { uname: v.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn specs_combine_and_later_wins() {
        let s = parse(&opts(&["nodename=a,release=1", "nodename=b"])).unwrap().unwrap();
        assert_eq!(s.field(1), Some(&b"b"[..]));
        assert_eq!(s.field(2), Some(&b"1"[..]));
        assert_eq!(s.field(0), None);
        let s = parse(&opts(&[r"version=#1 SMP\, x\\y,machine="])).unwrap().unwrap();
        assert_eq!(s.field(3), Some(&br"#1 SMP, x\y"[..]));
        assert_eq!(s.field(4), Some(&b""[..]));
        assert!(parse(&opts(&[])).unwrap().is_none());
        let max = "x".repeat(64);
        assert_eq!(parse(&opts(&[&format!("release={max}")])).unwrap().unwrap().field(2), Some(max.as_bytes()));
    }

    #[test]
    fn bad_specs() {
        let err = |v: &str| parse(&opts(&[v])).err().unwrap();
        assert_eq!(
            err("host=x"),
            "--uname: unknown field 'host' (fields: sysname, nodename, release, version, machine, domainname)"
        );
        assert_eq!(err("nodename"), "--uname: 'nodename' is not FIELD=VALUE (in 'nodename')");
        assert_eq!(err("nodename=a,"), "--uname: '' is not FIELD=VALUE (in 'nodename=a,')");
        assert_eq!(err(&format!("release={}", "x".repeat(65))), "--uname: release is 65 bytes long; at most 64 fit");
    }
}
