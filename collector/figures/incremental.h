/* incremental.h: incremental listings of partitioned tables (issue 15
 * item 2), the pure part: the figures kept per partition directory, which
 * directories a refresh lists, and the state file that keeps them between
 * refreshes and runs (text, one table a "T" line, its directories "P"
 * lines below it).
 *
 * The rule of a refresh, for a table listed by its top-level directories:
 *  - new directories and the newest `recent` (in S3's order) are listed;
 *  - an older one is listed when it was last listed `verify_every` ago or
 *    more, and besides, so that no refresh is a burst, the oldest-listed
 *    ones in proportion to the time since the table's last refresh:
 *    ceil(old * elapsed / verify_every) of them, every refresh;
 *  - a directory gone from the listing is dropped (never kept). */
#ifndef LAKETOP_INCREMENTAL_H
#define LAKETOP_INCREMENTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/figures/cost.h"

#define INCREMENTAL_DEFAULT_RECENT 3
#define INCREMENTAL_DEFAULT_VERIFY (24 * 3600)
/* Below this many objects a table is listed whole: 10 pages of keys, about
 * what the delimiter listing and one request per range cost anyway, so
 * incremental listing saves nothing there and only adds staleness. */
#define INCREMENTAL_DEFAULT_FLAT_BELOW 10000

/* A [database] or [table] section's settings: -1 where it sets none. */
typedef struct incremental_rule {
    char *database;
    char *table; /* NULL: the whole database */
    int64_t recent, verify_every, flat_below;
} incremental_rule;

/* recent_partitions, verify_every, flat_below (config_incremental.c): the
 * [laketop] values, and the sections' rules over them, looked up most
 * specific first (a table's, its database's, the global), as thresholds. */
typedef struct incremental_settings {
    int64_t recent;       /* recent_partitions */
    int64_t verify_every; /* seconds */
    int64_t flat_below;   /* objects */
    incremental_rule *rules;
    size_t n_rules;
} incremental_settings;

void incremental_settings_default(incremental_settings *s);
void incremental_settings_free(incremental_settings *s);
/* A deep copy of `from` into *to. */
void incremental_settings_copy(incremental_settings *to, const incremental_settings *from);
/* The rule of (database, table) (NULL table: the database's), made unset
 * when there is none yet. */
incremental_rule *incremental_settings_rule(incremental_settings *s, const char *database,
                                            const char *table);
/* The settings of one table: *out without rules. */
void incremental_settings_lookup(const incremental_settings *s, const char *database,
                                 const char *table, incremental_settings *out);

/* One directory's figures, as the listing counts them. */
typedef struct incremental_figures {
    int64_t objects, bytes, newest, markers, partitions;
    int64_t s3_objects, s3_bytes;
    cost_storage storage;
} incremental_figures;

/* Adds `from` to `to` (newest: the later). */
void incremental_figures_add(incremental_figures *to, const incremental_figures *from);

typedef struct incremental_dir {
    char *name; /* the full prefix, "tbl/dt=2026-12-01/" */
    int64_t listed_at;
    incremental_figures figures;
} incremental_dir;

typedef struct incremental_table {
    char *database;
    char *table;
    char *location; /* "bucket/prefix": kept figures are for this one only */
    int64_t refreshed_at;
    /* figures seeded from an S3 Inventory report (aws_inventory_apply.c):
     * its date directory ("2026-12-01T01-00Z") and creation time; NULL/0
     * otherwise. A directory with listed_at == report_created is counted
     * from the report; a flat table keeps its report total as the one
     * directory INCREMENTAL_TOTAL_NAME. */
    char *report_date;
    int64_t report_created;
    incremental_dir *dirs; /* sorted by name (S3's byte order) */
    size_t n_dirs;
} incremental_table;

typedef struct incremental_state {
    incremental_table *tables;
    size_t n_tables;
} incremental_state;

void incremental_state_free(incremental_state *s);
/* The table's kept state, or NULL. */
incremental_table *incremental_state_find(incremental_state *s, const char *database,
                                          const char *table);
/* Replaces (or adds) a table's state; takes ownership of *t's contents. */
void incremental_state_put(incremental_state *s, incremental_table *t);
void incremental_table_clear(incremental_table *t);
/* The directory named `name` in t (sorted), or NULL. */
const incremental_dir *incremental_table_dir(const incremental_table *t, const char *name);

/* Which of the `n` current directories (sorted) to list now: list[i] set
 * true for those (the rule above; incremental_plan_since's when previous
 * was seeded from a report); `previous` may be NULL (all listed).
 * Returns how many. */
size_t incremental_plan(const incremental_table *previous, char *const *dirs, size_t n, int64_t now,
                        const incremental_settings *settings, bool *list);

/* The name of a flat table's one kept "directory": its report total. */
#define INCREMENTAL_TOTAL_NAME "*"

/* A directory whose newest object is this close to the report's time was
 * still being written when the report was taken. */
#define INCREMENTAL_SINCE_ACTIVE (24 * 3600)

/* Between two reports (previous->report_date set): list[i] set for the
 * directories not counted from the report (absent from previous, or
 * listed since it: listed_at != report_created) and those the report saw
 * being written (their newest object within INCREMENTAL_SINCE_ACTIVE
 * before the report's time, whatever their name); no rotation and no
 * `recent` (the next report verifies the rest), so what is listed grows
 * with what changed since the report, not with the lake. Returns how
 * many. */
size_t incremental_plan_since(const incremental_table *previous, char *const *dirs, size_t n,
                              bool *list);

/* Drops the tables for which keep(ctx, database, table) is false. */
void incremental_state_prune(incremental_state *s,
                             bool (*keep)(void *ctx, const char *database, const char *table),
                             void *ctx);

/* The state file's text, and back: false with *error (a line number and
 * why) for text that is not one; the state is then empty. */
char *incremental_state_format(const incremental_state *s);
bool incremental_state_parse(const char *text, size_t length, incremental_state *out, char **error);

#endif
