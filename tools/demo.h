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
    /* Called after each table is written (done of total), so that the
     * command can show a line of progress; NULL: none. */
    void (*progress)(void *ctx, const char *database, const char *table, int done, int total);
    void *progress_ctx;
} demo_options;

/* A progress callback for demo_options: on stderr (a terminal), one line
 * rewritten after each table, "laketop: writing the demo lake to DIR: 7 of
 * 19 tables (weblogs.sessions)" (ctx: the directory's name); it stays once
 * the last table is written. */
void demo_progress_line(void *ctx, const char *database, const char *table, int done, int total);

/* Writes the demo lake into `dir` (created; must be absent or empty).
 * History goes to DIR/.laketop/history.tsv; what it declares beside its
 * catalog (a crawler, zones, sync rules) to DIR/laketop.conf. False with
 * *error on failure. */
bool demo_write(const char *dir, const demo_options *options, char **error);

#endif
