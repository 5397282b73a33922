/* bad: a plugin that goes wrong in the way BAD_KIND (a -D at compile time) says:
 *   1  no entry point       2  ABI version 99       3  init returns NULL
 *   4  an unknown system call number in its list
 *   5  a function nothing defines */
#include <stddef.h>
#include "selftrace.h"

#if BAD_KIND == 5
long selftrace_no_such_helper(void);
long (*use)(void) = selftrace_no_such_helper;
#endif

#if BAD_KIND != 1
static const long wanted[] = {39, 100000, -1};
static const struct selftrace_plugin plugin = {
    .abi_version = BAD_KIND == 2 ? 99 : SELFTRACE_ABI_VERSION,
    .name = "bad",
    .syscalls = BAD_KIND == 4 ? wanted : NULL,
};

const struct selftrace_plugin *selftrace_plugin_init(const char *arg)
{
    (void)arg;
    return BAD_KIND == 3 ? NULL : &plugin;
}
#else
int selftrace_plugin_version = 1;
#endif
