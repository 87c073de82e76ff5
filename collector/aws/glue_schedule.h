/* glue_schedule.h: when a Glue trigger's schedule fires next (pure). Glue
 * schedules are cron expressions in UTC, "cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)": each field a list of values, ranges A-B, steps
 * (*, A/N, A-B/N) or *, months also JAN-DEC, days of the week 1-7 (SUN is
 * 1) or SUN-SAT, and one of the two day fields "?". The last-day, weekday
 * and nth-weekday forms (L, W, #) are not worked out: their next run is
 * unknown. */
#ifndef LAKETOP_GLUE_SCHEDULE_H
#define LAKETOP_GLUE_SCHEDULE_H

#include <stdint.h>

/* The first time (Unix seconds, on a minute) after `after` that `schedule`
 * fires, within the next five years; -1 when the expression is not one
 * understood above, or never fires in that time. */
int64_t glue_schedule_next(const char *schedule, int64_t after);

#endif
