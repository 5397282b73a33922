/* Per-call cost of getppid, timed by the program itself (start-up excluded).
 *   getppid N          plain loop (run natively, under selftrace, under strace)
 *   getppid --bare N   the same loop under a minimal Syscall User Dispatch handler that only
 *                      re-issues the call from its exempt stub: the floor any SUD runtime pays.
 *   getppid --allow-filter N
 *                      the same loop under a one-instruction always-ALLOW seccomp filter: the
 *                      kernel's action cache allows every call without running it, so this is the
 *                      floor any seccomp filter costs a call it lets through.
 *   getppid --uncached-filter N
 *                      under an always-ALLOW filter that first loads instruction_pointer: the cache
 *                      cannot prove anything, the filter runs on every call.
 *   getppid --write N  a loop of libc's write(2) of one byte to /dev/null instead: a call the
 *                      runtime's fast path takes without a trap.
 * Prints "<ns per call>". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif

static volatile char selector;
extern char bare_start[], bare_end[];
long bare_syscall6(long nr, long a, long b, long c, long d, long e, long f);
void bare_restorer(void);
__asm__(".text\n.globl bare_start\nbare_start:\n"
        ".globl bare_syscall6\nbare_syscall6:\n"
        " mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n mov %rcx,%rdx\n mov %r8,%r10\n mov %r9,%r8\n"
        " mov 8(%rsp),%r9\n syscall\n ret\n"
        ".globl bare_restorer\nbare_restorer:\n mov $15,%eax\n syscall\n"
        " nop\n nop\n nop\n nop\n.globl bare_end\nbare_end:\n");

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void)sig; (void)si;
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    g[REG_RAX] = bare_syscall6(g[REG_RAX], g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
}

struct ksigaction { void *handler; unsigned long flags; void *restorer; unsigned long mask; };

static void arm_bare(void) {
    struct ksigaction act = { (void *)handler, SA_SIGINFO | SA_NODEFER | 0x04000000 /* SA_RESTORER */, (void *)bare_restorer, 0 };
    if (syscall(SYS_rt_sigaction, SIGSYS, &act, NULL, 8) != 0) { perror("rt_sigaction"); exit(1); }
    selector = 1;
    if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)bare_start,
              (unsigned long)(bare_end - bare_start), &selector) != 0) { perror("prctl"); exit(1); }
}

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif

/* SPEC_ALLOW as selftrace installs its filter: no forced Speculative Store Bypass mitigation. */
static void arm_filter(int cached) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { cached ? 1 : 2, cached ? f + 1 : f };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("PR_SET_NO_NEW_PRIVS"); exit(1); }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog) != 0) {
        perror("seccomp"); exit(1);
    }
}

static long long now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall, no trap */
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    const char *mode = argc > 2 ? argv[1] : "";
    int bare = strcmp(mode, "--bare") == 0;
    int writes = strcmp(mode, "--write") == 0;
    long n = atol(argv[argc - 1]);
    int null = open("/dev/null", O_WRONLY);
    if (bare) arm_bare();
    else if (writes) {
        long long t0 = now();
        for (long i = 0; i < n; i++)
            if (write(null, "x", 1) != 1) return 1;
        long long t1 = now();
        printf("%.1f\n", (double)(t1 - t0) / n);
        return 0;
    }
    else if (strcmp(mode, "--allow-filter") == 0) arm_filter(1);
    else if (strcmp(mode, "--uncached-filter") == 0) arm_filter(0);
    else if (*mode) { fprintf(stderr, "getppid: unknown mode %s\n", mode); return 2; }
    long long t0 = now();
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    long long t1 = now();
    if (bare) selector = 0; /* let stdio's write through without the handler */
    printf("%.1f\n", (double)(t1 - t0) / n);
    return 0;
}
