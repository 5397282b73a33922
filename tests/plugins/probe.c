/* probe: a test plugin exercising every part of the ABI (include/selftrace.h).
 *
 *   getppid           emulated: 4242
 *   getpgrp           runs; exit replaces the result with 777 if the call record's pid/tid are
 *                     the caller's (checked with selftrace_syscall), else -EIO
 *   getpriority(999)  the argument is rewritten to PRIO_PROCESS before the kernel sees it
 *   uname             runs; exit writes "plugged" over the nodename (selftrace_write)
 *   openat            "/probe/magic" (read with selftrace_read_string) fails with EXDEV
 *
 * init appends "init PID ARG" to the file named by ARG (start-up may use libc). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "selftrace.h"

static int tag = 1234;

static struct selftrace_verdict enter(void *user, struct selftrace_call *c)
{
    if (user != &tag || *(int *)user != 1234)
        return selftrace_error(EIO);
    switch (c->nr) {
    case SYS_getppid:
        return selftrace_emulate(4242);
    case SYS_getpgrp:
    case SYS_uname:
        return selftrace_run();
    case SYS_getpriority:
        if ((int)c->args[0] == 999)
            c->args[0] = PRIO_PROCESS;
        return selftrace_run_no_exit();
    case SYS_openat: {
        char p[16];
        long n = selftrace_read_string(c->args[1], p, sizeof p);
        if (n == 12 && memcmp(p, "/probe/magic", 13) == 0)
            return selftrace_error(EXDEV);
        return selftrace_run_no_exit();
    }
    }
    return selftrace_error(ENOSYS); /* not listed: never called */
}

static void leave(void *user, const struct selftrace_call *c, long *ret)
{
    (void)user;
    if (c->nr == SYS_getpgrp) {
        long pid = selftrace_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
        long tid = selftrace_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
        *ret = (c->pid == pid && c->tid == tid && *ret >= 0) ? 777 : -EIO;
    } else if (c->nr == SYS_uname && *ret == 0) {
        struct utsname u;
        if (selftrace_read(c->args[0], &u, sizeof u) != (long)sizeof u)
            return;
        memset(u.nodename, 0, sizeof u.nodename);
        strcpy(u.nodename, "plugged");
        selftrace_write(c->args[0], &u, sizeof u);
    }
}

static const long wanted[] = {SYS_getppid, SYS_getpgrp, SYS_getpriority, SYS_uname, SYS_openat, -1};

static const struct selftrace_plugin plugin = {
    .abi_version = SELFTRACE_ABI_VERSION,
    .name = "probe",
    .syscalls = wanted,
    .enter = enter,
    .exit = leave,
    .user = &tag,
};

const struct selftrace_plugin *selftrace_plugin_init(const char *arg)
{
    if (!arg)
        return NULL;
    FILE *f = fopen(arg, "a");
    if (!f)
        return NULL;
    fprintf(f, "init %d %s\n", (int)getpid(), arg);
    fclose(f);
    return selftrace_abi_version() == SELFTRACE_ABI_VERSION ? &plugin : NULL;
}
