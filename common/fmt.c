/* fmt.c: formatting of sizes, counts, ages and times for the UI and batch
 * output, and parsing of durations and dates. */
#include "common/fmt.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fmt_bytes(int64_t bytes, char *buf, size_t size) {
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    const char *sign = bytes < 0 ? "-" : "";
    uint64_t magnitude = bytes < 0 ? (uint64_t)(-(bytes + 1)) + 1 : (uint64_t)bytes;
    if (magnitude < 1024) {
        snprintf(buf, size, "%s%" PRIu64 " B", sign, magnitude);
        return buf;
    }
    double value = (double)magnitude;
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < sizeof units / sizeof units[0]) {
        value /= 1024.0;
        unit++;
    }
    /* 1023.96 KiB would print as "1024.0 KiB": move to the next unit. */
    if (value >= 1023.95 && unit + 1 < sizeof units / sizeof units[0]) {
        value /= 1024.0;
        unit++;
    }
    if (value >= 100.0)
        snprintf(buf, size, "%s%.0f %s", sign, value, units[unit]);
    else
        snprintf(buf, size, "%s%.1f %s", sign, value, units[unit]);
    return buf;
}

char *fmt_bytes_delta(int64_t bytes, char *buf, size_t size) {
    if (bytes > 0 && size > 1) {
        buf[0] = '+';
        fmt_bytes(bytes, buf + 1, size - 1);
        return buf;
    }
    return fmt_bytes(bytes, buf, size);
}

char *fmt_count(int64_t count, char *buf, size_t size) {
    static const char suffix[] = {'k', 'M', 'G', 'T', 'P'};
    if (count < 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (count < 10000) {
        snprintf(buf, size, "%" PRId64, count);
        return buf;
    }
    double value = (double)count;
    size_t unit = 0;
    value /= 1000.0;
    while (value >= 999.95 && unit + 1 < sizeof suffix) {
        value /= 1000.0;
        unit++;
    }
    if (value >= 100.0)
        snprintf(buf, size, "%.0f%c", value, suffix[unit]);
    else
        snprintf(buf, size, "%.1f%c", value, suffix[unit]);
    return buf;
}

char *fmt_age(int64_t seconds, char *buf, size_t size) {
    if (seconds < 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (seconds < 60)
        snprintf(buf, size, "%" PRId64 "s", seconds);
    else if (seconds < 3600)
        snprintf(buf, size, "%" PRId64 "m", seconds / 60);
    else if (seconds < 86400)
        snprintf(buf, size, "%" PRId64 "h", seconds / 3600);
    else if (seconds < 365 * 86400)
        snprintf(buf, size, "%" PRId64 "d", seconds / 86400);
    else
        snprintf(buf, size, "%" PRId64 "y", seconds / (365 * 86400));
    return buf;
}

/* Days from civil date (proleptic Gregorian), after H. Hinnant's algorithm. */
static int64_t fmt_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void fmt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t fmt_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int32_t fmt_day_of(int64_t unix_seconds) {
    return (int32_t)fmt_floor_div(unix_seconds, 86400);
}

char *fmt_iso8601(int64_t unix_seconds, char *buf, size_t size) {
    int64_t days = fmt_floor_div(unix_seconds, 86400);
    int64_t rem = unix_seconds - days * 86400;
    int64_t y;
    unsigned m, d;
    fmt_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem % 3600 / 60), (int)(rem % 60));
    return buf;
}

char *fmt_day(int32_t day, char *buf, size_t size) {
    int64_t y;
    unsigned m, d;
    fmt_civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
    return buf;
}

/* Reads exactly `digits` decimal digits. */
static bool fmt_read_digits(const char **p, int digits, int *out) {
    int value = 0;
    for (int i = 0; i < digits; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        value = value * 10 + ((*p)[i] - '0');
    }
    *p += digits;
    *out = value;
    return true;
}

static bool fmt_read_date(const char **p, int *y, int *mo, int *d) {
    if (!fmt_read_digits(p, 4, y) || **p != '-')
        return false;
    (*p)++;
    if (!fmt_read_digits(p, 2, mo) || **p != '-')
        return false;
    (*p)++;
    if (!fmt_read_digits(p, 2, d))
        return false;
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= month_days[*mo - 1];
}

bool fmt_parse_day(const char *text, int32_t *day) {
    int y, mo, d;
    const char *p = text;
    if (!fmt_read_date(&p, &y, &mo, &d) || *p != '\0')
        return false;
    *day = (int32_t)fmt_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return true;
}

bool fmt_parse_iso8601(const char *text, int64_t *unix_seconds) {
    int y, mo, d, h, mi, s;
    const char *p = text;
    if (!fmt_read_date(&p, &y, &mo, &d))
        return false;
    if (*p != 'T' && *p != ' ')
        return false;
    p++;
    if (!fmt_read_digits(&p, 2, &h) || *p++ != ':' || !fmt_read_digits(&p, 2, &mi) || *p++ != ':' ||
        !fmt_read_digits(&p, 2, &s))
        return false;
    if (h > 23 || mi > 59 || s > 60)
        return false;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int64_t offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh, om;
        p++;
        if (!fmt_read_digits(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (!fmt_read_digits(&p, 2, &om))
            return false;
        offset = sign * (oh * 3600 + om * 60);
    }
    if (*p != '\0')
        return false;
    *unix_seconds =
        fmt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s - offset;
    return true;
}

bool fmt_parse_duration(const char *text, int64_t *seconds) {
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text))
        return false;
    errno = 0;
    char *end;
    long long value = strtoll(text, &end, 10);
    if (errno == ERANGE)
        return false;
    int64_t unit = 1;
    switch (*end) {
    case '\0': break;
    case 's':
        unit = 1;
        end++;
        break;
    case 'm':
        unit = 60;
        end++;
        break;
    case 'h':
        unit = 3600;
        end++;
        break;
    case 'd':
        unit = 86400;
        end++;
        break;
    case 'w':
        unit = 7 * 86400;
        end++;
        break;
    default: return false;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return false;
    if (value > INT64_MAX / unit)
        return false;
    *seconds = (int64_t)value * unit;
    return true;
}

int fmt_hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool fmt_percent_decode(const char *text, char *out, bool plus_is_space) {
    char *o = out;
    for (const char *p = text; *p; p++) {
        if (*p == '%') {
            int hi = fmt_hex_digit(p[1]), lo = hi < 0 ? -1 : fmt_hex_digit(p[2]);
            if (hi < 0 || lo < 0)
                return false;
            *o++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *o++ = plus_is_space && *p == '+' ? ' ' : *p;
        }
    }
    *o = '\0';
    return true;
}

bool fmt_parse_bytes(const char *text, int64_t *bytes) {
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text))
        return false;
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno == ERANGE || value < 0)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    static const char units[] = "KMGT";
    double scale = 1;
    const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
    if (*end && !u && !((*end == 'B' || *end == 'b') && end[1] == '\0'))
        return false;
    if (u) {
        int power = (int)(u - units) + 1;
        end++;
        bool binary = *end == '\0' || ((*end == 'i' || *end == 'I') &&
                                       (end[1] == 'B' || end[1] == 'b') && end[2] == '\0');
        bool decimal = (*end == 'B' || *end == 'b') && end[1] == '\0';
        if (!binary && !decimal)
            return false;
        for (int i = 0; i < power; i++)
            scale *= binary ? 1024.0 : 1000.0;
    }
    double total = value * scale;
    if (total > 9.0e18)
        return false;
    *bytes = (int64_t)(total + 0.5);
    return true;
}

const char *fmt_plural(int64_t count, const char *one, const char *many) {
    return count == 1 || count == -1 ? one : many;
}

bool fmt_parse_count(const char *text, int64_t *out) {
    if (!*text)
        return false;
    int64_t v = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9' || v > (INT64_MAX - (*c - '0')) / 10)
            return false;
        v = v * 10 + (*c - '0');
    }
    *out = v;
    return true;
}
