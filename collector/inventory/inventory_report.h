/* inventory_report.h: what one S3 Inventory report says of the tables it
 * covers, whichever way it was read: streamed and aggregated on this
 * machine (inventory_agg.c) or aggregated by Athena
 * (aws_inventory_athena.c). The figures of a partitioned table also come
 * per top-level directory, so that a refresh between two reports lists
 * only the directories that are new or recent (incremental.h) and counts
 * the others from the report. Pure data; no I/O. */
#ifndef LAKETOP_INVENTORY_REPORT_H
#define LAKETOP_INVENTORY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/figures/incremental.h"

/* One table's figures in the report. */
typedef struct inventory_table_report {
    incremental_figures total; /* everything below the location, by the listing's rules */
    /* partitioned tables: the top-level directories' figures ("tbl/dt=.../",
     * the full prefix, as incremental_dir names it), sorted by name (S3's
     * byte order), listed_at the report's time; NULL/0 for a flat table */
    incremental_dir *dirs;
    size_t n_dirs;
} inventory_table_report;

typedef struct inventory_report {
    char *date;                     /* "2026-12-01T01-00Z": the report's date directory */
    int64_t created;                /* creationTimestamp, seconds since the epoch */
    inventory_table_report *tables; /* one per table asked for, in that order */
    size_t n_tables;
    int64_t rows;           /* rows read (or counted by Athena) */
    int64_t athena_scanned; /* bytes Athena scanned for it; -1 not through Athena */
    char *athena_query_id;  /* NULL when not through Athena */
} inventory_report;

/* Frees what `r` holds and zeroes it. */
void inventory_report_clear(inventory_report *r);

#endif
