/* selftrace.h - the C plugin ABI of selftrace (in-process system-call interposition).
 *
 * A plugin is a shared object loaded with
 *
 *     selftrace --hook ./myplugin.so[:ARG] -- prog args...
 *
 * It is dlopen'ed at start-up in every process of the traced tree (each program the tree execs
 * loads it anew) and once in the launcher, which checks it before the program starts. It
 * defines one function,
 *
 *     const struct selftrace_plugin *selftrace_plugin_init(const char *arg);
 *
 * which returns a description of its hook (or NULL to refuse to run: the launcher then stops
 * with an error). ARG is the text after the first ':' of the --hook value, or NULL without one.
 *
 * Build:   cc -shared -fPIC -I /path/to/selftrace/include -o myplugin.so myplugin.c
 * No library to link: the helpers below are exported by libselftrace.so (or by any preload
 * library built with selftrace's preload! macro), which the process has already loaded.
 *
 * THE RULES OF A HOOK (enter and exit run inside the runtime's SIGSYS handler, or inside the
 * program's call to libc's read/write/pread64/pwrite64/readv/writev/lseek/close on the runtime's
 * fast path, on the thread that made the call, possibly on several threads at once, while the
 * program may hold any lock):
 *   - Async-signal-safe code only. No malloc/free, no stdio (printf, fopen), no locks the program
 *     could hold (including ones inside libc), no thread-local variables of other libraries
 *     that are allocated lazily. Use static or stack storage and atomics.
 *   - Make system calls with selftrace_syscall() (it enters the kernel from the runtime's exempt
 *     stub, never trapped, errno untouched). A plain libc wrapper (write(2), say) made from
 *     inside a hook does not recurse into the hooks, but it sets the program's errno, which the
 *     program must not see change: avoid it.
 *   - Never dereference a pointer argument of the call directly: the program may pass any
 *     address. Use selftrace_read / selftrace_write / selftrace_read_string, which return
 *     -EFAULT for a bad address instead of crashing the program.
 *   - The hook's own system calls go straight to the kernel, never to the hooks. A program
 *     signal handler that interrupts a hook is program code: its calls reach the hooks, so a
 *     hook may be re-entered on the same thread (as any async-signal-safe code may).
 *   - selftrace_plugin_init runs at start-up, before the program's main, in the process's
 *     initial thread, and may do anything (allocate, open files, call libc); it runs once per
 *     process image and once in the launcher.
 *
 * Versioning: the layout of every structure here is fixed for a given SELFTRACE_ABI_VERSION.
 * An incompatible change increments it; the runtime refuses a plugin whose abi_version it does
 * not implement, with one clear error line.
 */
#ifndef SELFTRACE_H
#define SELFTRACE_H

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. Put it in selftrace_plugin.abi_version. */
#define SELFTRACE_ABI_VERSION 1

/* One system call as the hook sees it. */
struct selftrace_call {
    /* The system call number (x86-64 numbering: SYS_openat from <sys/syscall.h>, ...). */
    long nr;
    /* The arguments the kernel will get (rdi, rsi, rdx, r10, r8, r9). enter may change them:
     * the changed values are what the kernel (and later hooks) get. */
    unsigned long args[6];
    /* The arguments as the program passed them (what a trace prints). Read-only. */
    unsigned long orig_args[6];
    /* The calling process's id and the calling thread's kernel id. */
    int pid;
    int tid;
};

/* What enter decided. */
enum selftrace_action {
    /* Run the call (with whatever is in call->args) and call exit afterwards. */
    SELFTRACE_RUN = 0,
    /* Run the call; no exit callback for this call. */
    SELFTRACE_RUN_NO_EXIT = 1,
    /* Skip the kernel: the call returns `value` (a raw result: -errno for an error, e.g.
     * -EACCES; the program's libc turns it into -1 and errno). Later hooks' enter is not called;
     * exit callbacks still are. */
    SELFTRACE_EMULATE = 2,
};

/* enter's result; build it with the helpers below. */
struct selftrace_verdict {
    int action;   /* enum selftrace_action */
    int reserved; /* 0 */
    long value;   /* SELFTRACE_EMULATE's result */
};

static inline struct selftrace_verdict selftrace_run(void)
{
    struct selftrace_verdict v = {SELFTRACE_RUN, 0, 0};
    return v;
}

static inline struct selftrace_verdict selftrace_run_no_exit(void)
{
    struct selftrace_verdict v = {SELFTRACE_RUN_NO_EXIT, 0, 0};
    return v;
}

static inline struct selftrace_verdict selftrace_emulate(long value)
{
    struct selftrace_verdict v = {SELFTRACE_EMULATE, 0, value};
    return v;
}

/* The call fails with `err` (a positive errno value such as EACCES) without reaching the kernel. */
static inline struct selftrace_verdict selftrace_error(int err)
{
    return selftrace_emulate(-(long)err);
}

/* What selftrace_plugin_init returns. It must stay valid (static storage) for the life of the
 * process. */
struct selftrace_plugin {
    /* SELFTRACE_ABI_VERSION. */
    unsigned int abi_version;
    unsigned int reserved; /* 0 */
    /* A short name, for messages. */
    const char *name;
    /* The system call numbers this hook wants, ended by -1; NULL for every call. enter and exit
     * are called only for these (and the seccomp backend traps only the union of all hooks'
     * sets, so a short list makes the other calls run at native speed there). */
    const long *syscalls;
    /* Called before the call runs; may change call->args. NULL: always SELFTRACE_RUN. */
    struct selftrace_verdict (*enter)(void *user, struct selftrace_call *call);
    /* Called after the call ran (or was emulated by this or a later hook) with its raw result,
     * which it may change (*ret = -EPERM, say). For exit and exit_group it is called before
     * they happen, with *ret = 0. NULL: no exit callback. */
    void (*exit)(void *user, const struct selftrace_call *call, long *ret);
    /* Passed to enter and exit as is. */
    void *user;
};

/* The entry point every plugin defines. */
const struct selftrace_plugin *selftrace_plugin_init(const char *arg);

/* ---- Helpers exported by the runtime (async-signal-safe, usable from enter and exit) ---- */

/* Copies up to len bytes from the program's address addr into dst. Returns how many bytes were
 * readable (a range running into an unmapped page stops there) or -EFAULT if none were. */
long selftrace_read(unsigned long addr, void *dst, unsigned long len);

/* Copies len bytes from src to the program's address addr. Returns how many bytes were
 * written or -errno (-EFAULT for a bad address). */
long selftrace_write(unsigned long addr, const void *src, unsigned long len);

/* Reads the NUL-terminated string at the program's address addr into buf (size bytes, NUL
 * included). Returns its length without the NUL, -EFAULT for a bad address, -ENAMETOOLONG if
 * it does not fit (buf then holds an empty string). */
long selftrace_read_string(unsigned long addr, char *buf, unsigned long size);

/* A raw system call from the runtime's exempt stub: never trapped, never seen by any hook,
 * errno untouched. Returns the kernel's raw result (-errno on failure). */
long selftrace_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* The ABI version the running runtime implements. */
unsigned int selftrace_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SELFTRACE_H */
