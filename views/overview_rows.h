/* overview_rows.h: the lines of the Overview (views/overview_view.c draws
 * them): what is wrong first (failed jobs and state machines, failing
 * crawlers, the tables past a threshold, late, anomalies, small files,
 * waste, incomplete uploads left, many snapshots, schema changes,
 * quotas), then what is worth knowing (largest, fastest growing, most
 * queried, the never queried per database, the databases whose uploads
 * could not be read, what costs most and whose cost grows most). No I/O: only the
 * snapshot. */
#ifndef LAKETOP_OVERVIEW_ROWS_H
#define LAKETOP_OVERVIEW_ROWS_H

#include <stddef.h>

#include "collector/snapshot.h"
#include "tui/theme.h"

typedef struct overview_row {
    const char *what;
    theme_role role;
    size_t table;    /* index into the snapshot's tables; SIZE_MAX: a crawler or a database */
    size_t crawler;  /* when table == SIZE_MAX and database == SIZE_MAX */
    size_t database; /* a line about a database's tables (never queried); else SIZE_MAX */
    char *name;      /* "what db.table": the row's identity across refreshes */
    char *figure;    /* why it is listed */
    const pipeline_job *job; /* a line about a job or state machine; else NULL */
} overview_row;

typedef struct overview_rows {
    const lake_snapshot *s;
    overview_row *v;
    size_t n, cap;
} overview_rows;

/* Appends a line about table `table` (SIZE_MAX: about something else). */
overview_row *overview_add(overview_rows *r, const char *what, theme_role role, size_t table);
/* Every line for `s` (may be NULL: none), in the order they are shown. */
void overview_build(overview_rows *r, const lake_snapshot *s);
void overview_free(overview_rows *r);

#endif
