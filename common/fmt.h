/* fmt.h: human and machine formatting of sizes, counts, ages and times,
 * and the parsing of durations and sizes written by people in config files.
 * Pure functions: no allocation, no global state. */
#ifndef LAKETOP_FMT_H
#define LAKETOP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "0 B", "512 B", "1.5 KiB", "12.0 MiB", "3.2 GiB", "1.1 TiB", "2.0 PiB".
 * Negative values get a leading '-'. Returns buf. */
char *fmt_bytes(int64_t bytes, char *buf, size_t size);
/* Signed growth: "+1.5 MiB", "-3 B", "0 B". */
char *fmt_bytes_delta(int64_t bytes, char *buf, size_t size);
/* Counts: "999", "12.3k", "4.5M", "1.2G". */
char *fmt_count(int64_t count, char *buf, size_t size);
/* Ages: "12s", "5m", "3h", "2d", "3y"; negative -> "0s"; unknown (<0 input
 * passed as -1) -> "-". Uses the largest unit that gives a value >= 1. */
char *fmt_age(int64_t seconds, char *buf, size_t size);
/* ISO 8601 UTC: "2026-11-21T20:43:18Z". */
char *fmt_iso8601(int64_t unix_seconds, char *buf, size_t size);
/* Day number (days since 1970-01-01 UTC) to "YYYY-MM-DD" and back. */
char *fmt_day(int32_t day, char *buf, size_t size);
bool fmt_parse_day(const char *text, int32_t *day);
int32_t fmt_day_of(int64_t unix_seconds);
/* Parses "2024-01-31T10:00:00Z", "2024-01-31T10:00:00.123Z",
 * "2024-01-31T10:00:00+02:00" and "2024-01-31 10:00:00" (UTC). */
bool fmt_parse_iso8601(const char *text, int64_t *unix_seconds);
/* Parses a duration: "90" (seconds), "90s", "15m", "36h", "2d", "1w".
 * Rejects empty, negative, overflow and trailing garbage. */
bool fmt_parse_duration(const char *text, int64_t *seconds);
/* "500", "64KiB", "10 GiB", "1.5TiB", "2GB" (K/M/G/T alone or with iB:
 * powers of 1024; with B alone: powers of 1000) into bytes. */
bool fmt_parse_bytes(const char *text, int64_t *bytes);
/* A whole string of decimal digits (no sign, no space, not empty) that fits
 * in an int64_t, as XML answers give sizes and counts; false otherwise. */
bool fmt_parse_count(const char *text, int64_t *out);

/* The noun that goes with a count, for every message that counts things:
 * `one` for 1 (and -1), `many` for any other count, 0 included:
 * printf("%zu %s", n, fmt_plural(n, "table", "tables")) writes "1 table",
 * "0 tables", "2 tables". Irregular nouns are given whole ("query",
 * "queries"). */
const char *fmt_plural(int64_t count, const char *one, const char *many);

/* The value of a hex digit (either case); -1 when it is not one. */
int fmt_hex_digit(char c);
/* Decodes %XX escapes of `text` into `out`, which has room for strlen(text)
 * + 1 bytes and may be `text` itself; '+' becomes a space when
 * plus_is_space (S3's encoding-type=url). False on a malformed escape. */
bool fmt_percent_decode(const char *text, char *out, bool plus_is_space);

#endif
