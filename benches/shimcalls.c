/* Per-call cost of the calls the shims change, timed by the program itself (start-up excluded):
 *   shimcalls stat PATH N   stat(PATH) N times (fakeroot, --fake-root, --bind, proot -b)
 *   shimcalls getuid N      getuid() N times (fakeroot, --fake-root)
 *   shimcalls clock N       clock_gettime(CLOCK_REALTIME) N times, through the vDSO where
 *                           nothing replaced it (--fake-time, libfaketime)
 * Prints "<ns per call> <own peak RSS in KiB>", and for clock " <tv_sec of the last read>". Calls go through libc, as a program makes them: fakeroot and
 * libfaketime replace libc functions and would not see raw syscall instructions.
 *
 * The loop is timed with raw clock_gettime(CLOCK_MONOTONIC) system calls, not the vDSO: the
 * clock modes measure tools that replace the vDSO's clock_gettime (libfaketime shifts the
 * monotonic clock too), and two calls per run cost nothing against N. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* VmHWM of /proc/self/status: this process's own peak RSS, whatever runs beside it. */
static long hwm_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &kib) == 1) break;
    if (f) fclose(f);
    return kib;
}

static int usage(void) {
    fprintf(stderr, "usage: shimcalls stat PATH N | getuid N | clock N\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 3) return usage();
    const char *mode = argv[1];
    long n = atol(argv[argc - 1]);
    if (n <= 0) return usage();
    /* Results feed a volatile sink so the compiler keeps every call. */
    volatile long sink = 0;
    long long t0, t1;
    if (strcmp(mode, "stat") == 0 && argc == 4) {
        struct stat st;
        if (stat(argv[2], &st) != 0) { perror(argv[2]); return 1; }
        t0 = now();
        for (long i = 0; i < n; i++) { stat(argv[2], &st); sink += st.st_uid; }
        t1 = now();
    } else if (strcmp(mode, "getuid") == 0 && argc == 3) {
        t0 = now();
        for (long i = 0; i < n; i++) sink += getuid();
        t1 = now();
    } else if (strcmp(mode, "clock") == 0 && argc == 3) {
        struct timespec ts;
        t0 = now();
        for (long i = 0; i < n; i++) { clock_gettime(CLOCK_REALTIME, &ts); sink += ts.tv_nsec; }
        t1 = now();
        /* The wall clock the loop saw, so the bench can check that the faker was in effect. */
        printf("%.1f %ld %lld\n", (double)(t1 - t0) / n, hwm_kib(), (long long)ts.tv_sec);
        return 0;
    } else {
        return usage();
    }
    (void)sink;
    printf("%.1f %ld\n", (double)(t1 - t0) / n, hwm_kib());
    return 0;
}
