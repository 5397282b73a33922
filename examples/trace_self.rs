//! A program that traps its own system calls: the runtime linked in as a library, armed from
//! `main` instead of a preload constructor. Prints strace's `-c` table at exit.
//!
//!     cargo run --example trace_self -- 1000
//!
//! Its threads are trapped too; programs it execs get libselftrace.so when one is found
//! ($SELFTRACE_LIB, or beside this executable).

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    // The same options the launcher takes; read once at start-up.
    std::env::set_var("SELFTRACE_OPTIONS", "-f -c");
    selftrace::init::preload_init();

    let worker = std::thread::spawn(move || {
        for _ in 0..n {
            // SAFETY: getppid has no preconditions.
            unsafe { libc::getppid() };
        }
    });
    for _ in 0..n {
        // SAFETY: as above.
        unsafe { libc::getuid() };
    }
    worker.join().unwrap();
    println!("made {n} getppid on a thread and {n} getuid on main");
    // exit_group is trapped like any call: this process prints the table on its way out.
}
