/* watchdog.h: the --timeout of `--once` and `check`: a limit on the whole
 * run, kept by a thread of its own. When the limit passes, whatever is
 * waiting (a stalled endpoint, an answer that trickles in a byte a second,
 * a DNS lookup, a full pipe), the thread writes one message with write(2)
 * and ends the process with _exit: nothing it does can block on the part
 * that stalled. */
#ifndef LAKETOP_WATCHDOG_H
#define LAKETOP_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

/* How the end is told. */
typedef enum watchdog_style {
    WATCHDOG_ONCE,             /* --once: a line on stderr */
    WATCHDOG_CHECK_TEXT,       /* check: "LAKETOP UNKNOWN - ..." on stdout */
    WATCHDOG_CHECK_PROMETHEUS, /* check --format prometheus: the status gauge 3 on stdout */
} watchdog_style;

/* Parses a --timeout: "500ms", or a duration as fmt_parse_duration reads
 * it ("30s", "2m", "1h", "1d", a bare number of seconds); "0" is no
 * limit. False when it is none of these (or past a day). */
bool watchdog_parse(const char *text, int64_t *ms);

/* Starts the limit: after `ms` milliseconds the process says so and exits
 * with `exit_status`. `limit_text` is the limit as the user wrote it (or the
 * default), shown in the message. Once per process; ms <= 0 does nothing. */
void watchdog_arm(int64_t ms, const char *limit_text, watchdog_style style, int exit_status);

/* What the run is doing now, for the message ("reading the figures of
 * aws:default@us-east-1"): copied, the last one wins. Cheap; may be
 * called whether armed or not. */
void watchdog_phase(const char *what);

#endif
