/* ranges.h: where a table's parallel listing ranges begin, learnt from its
 * last full listing so the next one fills whole pages and fetches no key
 * twice. A listing reports grains (the last key of every RANGES_GRAIN keys
 * of a range, and of each range's rest); ranges_plan merges them into
 * bounds B[0..n): range 0 is (-inf, B0], range i is (B[i-1], B[i]], range
 * n is (B[n-1], +inf), each holding at most one page of keys as listed.
 * The bounds of every table live in memory and in a state file (one line a
 * bound, keys escaped), read and written by the source. */
#ifndef LAKETOP_RANGES_H
#define LAKETOP_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RANGES_GRAIN 100         /* keys per grain: pages come within this of full */
#define RANGES_MAX_BOUNDS 100000 /* a table with more (100 million keys) is not kept */

/* keys of a range up to and including `last_key` since the grain before */
typedef struct ranges_grain {
    char *last_key;
    int64_t keys;
} ranges_grain;

typedef struct ranges_table {
    char *database, *table, *location; /* location: "bucket/prefix" */
    char **bounds;
    int64_t *counts; /* keys in the range ending at each bound, as listed */
    size_t n_bounds;
} ranges_table;

typedef struct ranges_state {
    ranges_table *tables;
    size_t n, cap;
} ranges_state;

/* The bounds of grains[0..n) (any order; sorted here, as S3 sorts keys:
 * bytewise) in pages of at most page_keys: a bound wherever the next grain
 * would overflow the page, with the keys of the range it ends. Returns the
 * count, *bounds and *counts allocated (NULL with 0). */
size_t ranges_plan(ranges_grain *grains, size_t n, int64_t page_keys, char ***bounds,
                   int64_t **counts);

const ranges_table *ranges_state_find(const ranges_state *s, const char *database,
                                      const char *table, const char *location);
/* Replaces (or adds) a table's bounds; takes bounds[0..n), counts and the
 * arrays. */
void ranges_state_put(ranges_state *s, const char *database, const char *table,
                      const char *location, char **bounds, int64_t *counts, size_t n);
/* The state file's text: "database\ttable\tlocation\tkey\tcount\n" a bound,
 * each field with %, tab, line ends and other control bytes %-escaped. */
char *ranges_state_format(const ranges_state *s);
/* Reads that text (appending to *s); false on a malformed line (what was
 * read before it is kept). */
bool ranges_state_parse(const char *text, ranges_state *s);
/* Drops the tables `exists` says are gone (dropped from the catalog since):
 * mark and sweep, so the file does not grow with tables long dropped. */
void ranges_state_sweep(ranges_state *s,
                        bool (*exists)(void *ctx, const char *database, const char *table),
                        void *ctx);
void ranges_state_free(ranges_state *s);

#endif
