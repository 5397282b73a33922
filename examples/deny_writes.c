/* deny_writes: a selftrace C plugin that makes a directory tree read-only for the program.
 *
 *     cc -shared -fPIC -I include -o deny_writes.so examples/deny_writes.c
 *     selftrace --hook ./deny_writes.so:/some/dir -- sh -c 'echo x > /some/dir/f'
 *     sh: 1: cannot create /some/dir/f: Permission denied
 *
 * Every call that would change something under DIR fails with EACCES without reaching the
 * kernel: opening a file for writing (write or read-write access, O_CREAT or O_TRUNC: open,
 * openat, openat2, creat), truncate, unlink/unlinkat, rmdir, mkdir/mkdirat, mknod/mknodat,
 * rename/renameat/renameat2 (either name), link/linkat and symlink/symlinkat (the new name).
 * Reads, and everything outside DIR, run as usual.
 *
 * Paths are compared after making them absolute (the current directory, or the directory a
 * *at call's descriptor refers to) and removing ".", ".." and repeated slashes: lexically, so
 * a symbolic link from elsewhere into DIR is not seen through. A descriptor already open for
 * writing stays writable (ftruncate, write: not checked).
 *
 * It follows the rules of include/selftrace.h: no allocation, no stdio, system calls only through
 * selftrace_syscall, program memory only through selftrace_read_string. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "selftrace.h"

#define MAX_PATH 4096

/* The protected directory, absolute and normalised, without a trailing slash ("" for "/"). */
static char root[MAX_PATH];
static size_t root_len;

/* Normalises the absolute path in p in place: no ".", "..", "//" or trailing "/". */
static void normalise(char *p)
{
    char *out = p, *in = p;
    while (*in) {
        while (*in == '/')
            in++;
        if (!*in)
            break;
        char *seg = in;
        while (*in && *in != '/')
            in++;
        size_t n = (size_t)(in - seg);
        if (n == 1 && seg[0] == '.')
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > p && *--out != '/')
                ;
            continue;
        }
        *out++ = '/';
        memmove(out, seg, n);
        out += n;
    }
    *out = '\0';
}

/* The absolute form of the path at the program's address `addr`, relative to `dirfd`.
 * Returns 0, or -1 if it cannot be known (the call then runs: the kernel decides). */
static int absolute(int dirfd, unsigned long addr, char *out)
{
    char rel[MAX_PATH];
    long n = selftrace_read_string(addr, rel, sizeof rel);
    if (n < 0)
        return -1;
    if (rel[0] == '/') {
        memcpy(out, rel, (size_t)n + 1);
    } else {
        long m;
        if (dirfd == AT_FDCWD) {
            /* getcwd's raw result is the length including the NUL. */
            m = selftrace_syscall(SYS_getcwd, (long)out, MAX_PATH, 0, 0, 0, 0);
            if (m <= 0)
                return -1;
            m -= 1;
        } else {
            char link[32] = "/proc/self/fd/";
            char digits[16];
            int d = 0;
            unsigned long v = (unsigned long)(unsigned int)dirfd;
            do {
                digits[d++] = (char)('0' + v % 10);
                v /= 10;
            } while (v && d < 15);
            size_t l = strlen(link);
            while (d)
                link[l++] = digits[--d];
            link[l] = '\0';
            m = selftrace_syscall(SYS_readlink, (long)link, (long)out, MAX_PATH - 1, 0, 0, 0);
            if (m <= 0 || out[0] != '/')
                return -1;
        }
        if ((size_t)m + 1 + (size_t)n + 1 > MAX_PATH)
            return -1;
        out[m] = '/';
        memcpy(out + m + 1, rel, (size_t)n + 1);
    }
    normalise(out);
    return 0;
}

/* Whether the path argument names something under the protected directory. */
static int under_root(int dirfd, unsigned long addr)
{
    char p[MAX_PATH];
    if (absolute(dirfd, addr, p) < 0)
        return 0;
    return strncmp(p, root, root_len) == 0 && (p[root_len] == '/' || p[root_len] == '\0');
}

static int writes(unsigned long flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0;
}

static struct selftrace_verdict enter(void *user, struct selftrace_call *c)
{
    (void)user;
    int deny = 0;
    const unsigned long *a = c->args;
    switch (c->nr) {
    case SYS_open:
        deny = writes(a[1]) && under_root(AT_FDCWD, a[0]);
        break;
    case SYS_openat:
        deny = writes(a[2]) && under_root((int)a[0], a[1]);
        break;
    case SYS_openat2: {
        /* struct open_how starts with its 64-bit flags. */
        unsigned long long how_flags;
        if (selftrace_read(a[2], &how_flags, sizeof how_flags) == (long)sizeof how_flags)
            deny = writes((unsigned long)how_flags) && under_root((int)a[0], a[1]);
        break;
    }
    case SYS_creat:
    case SYS_truncate:
    case SYS_unlink:
    case SYS_rmdir:
    case SYS_mkdir:
    case SYS_mknod:
        deny = under_root(AT_FDCWD, a[0]);
        break;
    case SYS_unlinkat:
    case SYS_mkdirat:
    case SYS_mknodat:
        deny = under_root((int)a[0], a[1]);
        break;
    case SYS_rename:
        deny = under_root(AT_FDCWD, a[0]) || under_root(AT_FDCWD, a[1]);
        break;
    case SYS_renameat:
    case SYS_renameat2:
        deny = under_root((int)a[0], a[1]) || under_root((int)a[2], a[3]);
        break;
    case SYS_link:
    case SYS_symlink:
        deny = under_root(AT_FDCWD, a[1]);
        break;
    case SYS_linkat:
        deny = under_root((int)a[2], a[3]);
        break;
    case SYS_symlinkat:
        deny = under_root((int)a[1], a[2]);
        break;
    }
    return deny ? selftrace_error(EACCES) : selftrace_run_no_exit();
}

static const long wanted[] = {
    SYS_open,   SYS_openat, SYS_openat2, SYS_creat,  SYS_truncate, SYS_unlink,   SYS_unlinkat,
    SYS_rmdir,  SYS_mkdir,  SYS_mkdirat, SYS_mknod,  SYS_mknodat,  SYS_rename,   SYS_renameat,
    SYS_renameat2, SYS_link, SYS_linkat, SYS_symlink, SYS_symlinkat, -1,
};

static const struct selftrace_plugin plugin = {
    .abi_version = SELFTRACE_ABI_VERSION,
    .name = "deny_writes",
    .syscalls = wanted,
    .enter = enter,
};

const struct selftrace_plugin *selftrace_plugin_init(const char *arg)
{
    /* Start-up: libc is fine here. No directory (or a relative one), no plugin. */
    if (!arg || arg[0] != '/') {
        fprintf(stderr, "deny_writes: needs an absolute directory: --hook deny_writes.so:/DIR\n");
        return NULL;
    }
    if (!realpath(arg, root)) {
        if (strlen(arg) >= sizeof root)
            return NULL;
        strcpy(root, arg);
    }
    normalise(root);
    root_len = strlen(root);
    return &plugin;
}
