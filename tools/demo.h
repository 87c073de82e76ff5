/* demo.h: writes a deterministic demo lake (same `now` and options, same
 * lake): zones with data files whose modification times match their
 * partition dates, a Glue-shaped local catalog, and seeded daily history. */
#ifndef LAKETOP_DEMO_H
#define LAKETOP_DEMO_H

#include <stdbool.h>
#include <stdint.h>

typedef struct demo_options {
    int64_t now; /* the demo's "today" (clock_now() normally) */
    int days;    /* days of data and history; default 90 */
    /* Scale mode for benchmarks: when extra_tables > 0, adds that many
     * generated tables spread over extra databases with about
     * extra_files files in all. */
    int extra_tables;
    int extra_files;
} demo_options;

/* Writes the demo lake into `dir` (created; must be absent or empty).
 * History goes to DIR/.laketop/history.tsv. False with *error on failure. */
bool demo_write(const char *dir, const demo_options *options, char **error);

#endif
