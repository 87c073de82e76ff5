/* clock.c: wall clock (overridable for tests) and monotonic milliseconds. */
#include "common/clock.h"

#include <stdlib.h>
#include <time.h>

#include "common/fmt.h"

int64_t clock_now(void) {
    const char *fixed = getenv("LAKETOP_NOW");
    int64_t t;
    if (fixed && fmt_parse_iso8601(fixed, &t))
        return t;
    return (int64_t)time(NULL);
}

int64_t clock_monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
