/* main.c: laketop's entry point: the process set up once, then the flags
 * parsed (options.c) and the command run (commands.c): the dashboard,
 * --once, or a subcommand. */
#include <locale.h>
#include <malloc.h>
#include <string.h>

#include "app/commands.h"
#include "app/options.h"
#include "common/clock.h"

int main(int argc, char **argv) {
    int64_t started_ms = clock_monotonic_ms();
    /* Once, before any thread: UTF-8 detection for the UI; numbers keep '.'. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    /* Two malloc arenas are plenty for two busy threads, and keep the
     * collector's freed snapshots from pinning memory in extra arenas. */
    mallopt(M_ARENA_MAX, 2);
    /* a command with options of its own (demo) takes the rest as they are */
    const command *own = argc > 1 ? commands_find(argv[1]) : NULL;
    if (own && own->main)
        return own->main(argc - 1, argv + 1);
    options o;
    int status = options_parse(argc, argv, &o);
    return status >= 0 ? status : commands_dispatch(&o, started_ms);
}
