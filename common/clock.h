/* clock.h: the program's notion of "now". LAKETOP_NOW (ISO 8601) fixes the
 * wall clock for reproducible tests and demos; the monotonic clock measures
 * durations. */
#ifndef LAKETOP_CLOCK_H
#define LAKETOP_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);
int64_t clock_monotonic_ms(void);

#endif
