/* hudi.c: an Apache Hudi table's timeline from the names in .hoodie/ (see
 * hudi.h). */
#include "collector/formats/hudi.h"

#include <string.h>

#include "common/xalloc.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t hudi_days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int hudi_number(const char *s, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool hudi_instant_time(const char *instant, size_t length, int64_t *seconds) {
    if (length != 14 && length != 17)
        return false;
    for (size_t i = 0; i < length; i++)
        if (instant[i] < '0' || instant[i] > '9')
            return false;
    int year = hudi_number(instant, 4), month = hudi_number(instant + 4, 2);
    int day = hudi_number(instant + 6, 2), hour = hudi_number(instant + 8, 2);
    int minute = hudi_number(instant + 10, 2), second = hudi_number(instant + 12, 2);
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || hour > 23 ||
        minute > 59 || second > 59)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap)
        return false;
    *seconds = hudi_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return true;
}

/* "commit", "deltacommit", "replacecommit" in name[0, length). */
static bool hudi_is_commit_action(const char *action, size_t length) {
    static const char *const actions[] = {"commit", "deltacommit", "replacecommit"};
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        if (strlen(actions[i]) == length && memcmp(actions[i], action, length) == 0)
            return true;
    return false;
}

static bool hudi_all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* Hudi's fixed instants: 00000000000000 (init), 00000000000001 and
 * 00000000000002 (bootstraps), 000000000000000NN (the metadata table's). */
static bool hudi_special_instant(const char *instant, size_t length) {
    return (length == 14 || length == 17) && hudi_all_digits(instant, length) &&
           memcmp(instant, "00000000000", 11) == 0;
}

bool hudi_timeline_read(const char *const *names, size_t n, int64_t *last_commit, int64_t *commits,
                        char **error) {
    int64_t count = 0, newest = -1;
    for (size_t i = 0; i < n; i++) {
        const char *name = names ? names[i] : NULL;
        if (!name)
            continue;
        const char *base = name;
        bool v1 = strncmp(name, "timeline/", 9) == 0;
        if (v1)
            base = name + 9;
        if (strchr(base, '/'))
            continue; /* metadata/, archived/, timeline/history/, ... */
        const char *dot = strchr(base, '.');
        if (!dot || !hudi_all_digits(base, 1))
            continue;
        /* "<instant>.<action>" exactly: no state suffix */
        const char *action = dot + 1;
        if (strchr(action, '.') || !hudi_is_commit_action(action, strlen(action)))
            continue;
        const char *instant = base;
        size_t instant_length = (size_t)(dot - base);
        const char *underscore = memchr(base, '_', instant_length);
        if (underscore) {
            /* Hudi 1.x: <requested>_<completion>; the commit's time is its
             * completion */
            instant = underscore + 1;
            instant_length = (size_t)(dot - instant);
        }
        int64_t at = -1;
        if (hudi_special_instant(instant, instant_length)) {
            count++; /* a bootstrap: a commit, with no time of its own */
            continue;
        }
        if (!hudi_instant_time(instant, instant_length, &at)) {
            if (error)
                *error = xasprintf(".hoodie/%s: the instant time '%.*s' is not "
                                   "yyyyMMddHHmmss[SSS]",
                                   name, (int)instant_length, instant);
            return false;
        }
        count++;
        if (at > newest)
            newest = at;
    }
    *commits = count;
    *last_commit = newest;
    return true;
}
