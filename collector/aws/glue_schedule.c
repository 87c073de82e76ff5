/* glue_schedule.c: a Glue cron schedule's next firing (glue_schedule.h). */
#include "collector/aws/glue_schedule.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GLUE_SCHEDULE_YEAR_MIN 1970
#define GLUE_SCHEDULE_YEAR_MAX 2199
#define GLUE_SCHEDULE_DAYS_AHEAD (5 * 366)

/* One field: the values it takes, bit v for value v (years from 1970). */
typedef struct glue_field {
    uint64_t bits[4];
    bool any; /* "?" (the day fields) */
} glue_field;

static void glue_field_set(glue_field *f, int v) {
    f->bits[v / 64] |= (uint64_t)1 << (v % 64);
}

static bool glue_field_has(const glue_field *f, int v) {
    return (f->bits[v / 64] >> (v % 64)) & 1;
}

/* A number or, for months and days of the week, a name; -1 when neither. */
static int glue_value(const char *s, size_t n, const char *const *names) {
    if (n == 0 || n > 4)
        return -1;
    if (isdigit((unsigned char)s[0])) {
        int v = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)s[i]))
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    }
    for (int i = 0; names && names[i]; i++)
        if (n == 3 && strncasecmp(s, names[i], 3) == 0)
            return i + 1;
    return -1;
}

static const char *const glue_months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
                                          "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const glue_days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

/* Parses one field of `n` bytes into *f with values lo..hi (offset `base`
 * subtracted before the bit is set: years). */
static bool glue_field_parse(const char *s, size_t n, int lo, int hi, int base,
                             const char *const *names, bool day, glue_field *f) {
    memset(f, 0, sizeof *f);
    if (n == 1 && s[0] == '?')
        return day && (f->any = true);
    const char *end = s + n;
    while (s < end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma ? comma : end;
        const char *slash = memchr(s, '/', (size_t)(item_end - s));
        const char *range_end = slash ? slash : item_end;
        int from, to, step = 1;
        if (range_end - s == 1 && *s == '*') {
            from = lo;
            to = hi;
        } else {
            const char *dash = memchr(s, '-', (size_t)(range_end - s));
            from = glue_value(s, (size_t)((dash ? dash : range_end) - s), names);
            to = dash ? glue_value(dash + 1, (size_t)(range_end - dash - 1), names)
                      : (slash ? hi : from);
        }
        if (slash) {
            step = glue_value(slash + 1, (size_t)(item_end - slash - 1), NULL);
            if (step <= 0)
                return false;
        }
        if (from < lo || to > hi || from > to)
            return false;
        for (int v = from; v <= to; v += step)
            glue_field_set(f, v - base);
        s = comma ? comma + 1 : end;
        if (comma && s == end)
            return false; /* a trailing comma */
    }
    return true;
}

/* Days since 1970-01-01 into year, month (1-12), day (1-31). */
static void glue_civil(int64_t days, int *year, int *month, int *day) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

int64_t glue_schedule_next(const char *schedule, int64_t after) {
    if (!schedule || strncmp(schedule, "cron(", 5) != 0 || after < 0)
        return -1;
    const char *p = schedule + 5;
    const char *close = strchr(p, ')');
    if (!close || close[1] != '\0')
        return -1;
    static const struct {
        int lo, hi, base;
        const char *const *names;
        bool day;
    } spec[6] = {
        {0, 59, 0, NULL, false},
        {0, 23, 0, NULL, false},
        {1, 31, 0, NULL, true},
        {1, 12, 0, glue_months, false},
        {1, 7, 0, glue_days, true},
        {GLUE_SCHEDULE_YEAR_MIN, GLUE_SCHEDULE_YEAR_MAX, GLUE_SCHEDULE_YEAR_MIN, NULL, false}};
    glue_field f[6];
    for (int i = 0; i < 6; i++) {
        while (p < close && *p == ' ')
            p++;
        const char *e = p;
        while (e < close && *e != ' ')
            e++;
        if (e == p || !glue_field_parse(p, (size_t)(e - p), spec[i].lo, spec[i].hi, spec[i].base,
                                        spec[i].names, spec[i].day, &f[i]))
            return -1;
        p = e;
    }
    while (p < close && *p == ' ')
        p++;
    if (p != close || f[2].any == f[4].any) /* exactly one day field is "?" */
        return -1;
    int64_t start = (after / 60 + 1) * 60; /* the next whole minute */
    int64_t first_day = start / 86400;
    for (int64_t d = first_day; d < first_day + GLUE_SCHEDULE_DAYS_AHEAD; d++) {
        int year, month, day;
        glue_civil(d, &year, &month, &day);
        if (year > GLUE_SCHEDULE_YEAR_MAX)
            return -1;
        int weekday = (int)((d + 4) % 7) + 1; /* 1970-01-01 was a Thursday; SUN is 1 */
        if (!glue_field_has(&f[5], year - GLUE_SCHEDULE_YEAR_MIN) ||
            !glue_field_has(&f[3], month) ||
            !(f[2].any ? glue_field_has(&f[4], weekday) : glue_field_has(&f[2], day)))
            continue;
        int64_t from_minute = d == first_day ? (start % 86400) / 60 : 0;
        for (int64_t m = from_minute; m < 24 * 60; m++)
            if (glue_field_has(&f[1], (int)(m / 60)) && glue_field_has(&f[0], (int)(m % 60)))
                return d * 86400 + m * 60;
    }
    return -1;
}
