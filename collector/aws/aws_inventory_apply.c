/* aws_inventory_apply.c: an S3 Inventory report's figures given to its
 * tables, and kept (issue 15): a flat table takes the report's total; a
 * partitioned one has its kept state (aws_incremental.c) seeded from the
 * report's directories and is then listed since the report
 * (aws_storage_scan_since_report): new directories and the newest
 * recent_partitions listed, the others counted from the report. The
 * report's date is kept with the state, so the next refresh with the same
 * newest report does not read it again. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/storage.h"
#include "common/xalloc.h"

/* "bucket/prefix" of a table's location, as the kept state names it; NULL
 * when not on S3. */
static char *inventory_location(const table_stats *t) {
    char *bucket = NULL, *prefix = NULL;
    if (!t->location || !storage_s3_parse(t->location, &bucket, &prefix, NULL))
        return NULL;
    char *location = xasprintf("%s/%s", bucket, prefix);
    free(bucket);
    free(prefix);
    return location;
}

static const incremental_table *inventory_kept(aws_refresh *r, const table_stats *t) {
    char *location = inventory_location(t);
    const incremental_table *kept =
        location ? aws_incremental_table(r->src, t->database, t->name, location) : NULL;
    free(location);
    return kept;
}

static void inventory_set_date(table_stats *t, const char *date) {
    free(t->inventory_date);
    t->inventory_date = xstrndup(date, 10); /* "2026-12-01T01-00Z": the day */
}

/* A flat table's figures: the report's total, as of the report. */
static void inventory_set_total(table_stats *t, const incremental_figures *f, const char *date,
                                int64_t created) {
    t->objects = f->objects;
    t->bytes = f->bytes;
    t->newest_object = f->newest > 0 ? f->newest : 0;
    t->marker_objects = f->markers;
    t->partitions = f->partitions;
    t->s3_objects = f->s3_objects;
    t->s3_bytes = f->s3_bytes;
    t->storage = f->storage;
    t->has_storage = true;
    t->provenance = PROVENANCE_INVENTORY;
    t->provenance_as_of = t->provenance_verified_at = created;
    t->provenance_verify_every = 0;
    inventory_set_date(t, date);
}

/* Listed since the report when the source keeps state and the table has
 * partitions, and is not a Delta or Hudi table (their listing is never
 * incremental: aws_storage_scan.c); else the report's total stands alone. */
static bool inventory_lists_since(const aws_refresh *r, const table_stats *t,
                                  const inventory_table_report *tr) {
    if (!r->src->incr_path || t->n_partition_keys == 0)
        return false;
    static const char *const own[] = {"_delta_log/", ".hoodie/"};
    for (size_t i = 0; i < tr->n_dirs; i++) {
        const char *name = tr->dirs[i].name; /* "prefix/dir/" */
        size_t length = strlen(name);
        for (size_t k = 0; k < 2; k++) {
            size_t n = strlen(own[k]);
            if (length >= n && strcmp(name + length - n, own[k]) == 0 &&
                (length == n || name[length - n - 1] == '/'))
                return false;
        }
    }
    return true;
}

/* A kept state that is a report's total (a table not listed since it). */
static bool inventory_is_total(const incremental_table *kept) {
    return kept->n_dirs == 1 && strcmp(kept->dirs[0].name, INCREMENTAL_TOTAL_NAME) == 0;
}

char *aws_inventory_known_date(aws_refresh *r, const size_t *tables, size_t n_tables) {
    if (r->src->incr_full_now || !r->src->incr_path || !n_tables)
        return NULL;
    const char *date = NULL;
    for (size_t i = 0; i < n_tables; i++) {
        const table_stats *t = &r->snap->tables[tables[i]];
        const incremental_table *kept = inventory_kept(r, t);
        if (!kept || !kept->report_date || (date && strcmp(date, kept->report_date) != 0))
            return NULL;
        if (t->n_partition_keys == 0 && !inventory_is_total(kept))
            return NULL;
        date = kept->report_date;
    }
    return xstrdup(date);
}

bool aws_inventory_use(aws_refresh *r, inventory_report *report, const size_t *tables,
                       size_t n_tables) {
    bool listing = false;
    for (size_t i = 0; i < n_tables && i < report->n_tables; i++) {
        table_stats *t = &r->snap->tables[tables[i]];
        inventory_table_report *tr = &report->tables[i];
        char *location = inventory_location(t);
        if (!location)
            continue;
        incremental_table kept = {.database = xstrdup(t->database),
                                  .table = xstrdup(t->name),
                                  .location = location,
                                  .refreshed_at = report->created,
                                  .report_date = xstrdup(report->date),
                                  .report_created = report->created};
        bool since = inventory_lists_since(r, t, tr);
        if (since) {
            /* the report's directories, as if listed at its time */
            kept.dirs = tr->dirs;
            kept.n_dirs = tr->n_dirs;
            tr->dirs = NULL;
            tr->n_dirs = 0;
            inventory_set_date(t, report->date);
        } else {
            inventory_set_total(t, &tr->total, report->date, report->created);
            kept.dirs = xcalloc(1, sizeof *kept.dirs);
            kept.dirs[0] = (incremental_dir){.name = xstrdup(INCREMENTAL_TOTAL_NAME),
                                             .listed_at = report->created,
                                             .figures = tr->total};
            kept.n_dirs = 1;
        }
        if (r->src->incr_path)
            aws_incremental_put(r->src, &kept);
        else
            incremental_table_clear(&kept);
        if (since) {
            aws_storage_scan_since_report(r, tables[i]);
            listing = true;
        }
    }
    return listing;
}

bool aws_inventory_reuse(aws_refresh *r, const size_t *tables, size_t n_tables) {
    bool listing = false;
    for (size_t i = 0; i < n_tables; i++) {
        table_stats *t = &r->snap->tables[tables[i]];
        const incremental_table *kept = inventory_kept(r, t);
        if (!kept || !kept->report_date)
            continue; /* aws_inventory_known_date said there is one */
        if (!inventory_is_total(kept)) {
            inventory_set_date(t, kept->report_date);
            aws_storage_scan_since_report(r, tables[i]);
            listing = true;
        } else {
            inventory_set_total(t, &kept->dirs[0].figures, kept->report_date, kept->report_created);
        }
    }
    return listing;
}

void aws_inventory_since_kept(aws_refresh *r, table_stats *t, incremental_table *kept) {
    const incremental_table *old =
        aws_incremental_table(r->src, t->database, t->name, kept->location);
    if (!old || !old->report_date)
        return; /* no report behind it (any more): a plain listing */
    kept->report_date = xstrdup(old->report_date);
    kept->report_created = old->report_created;
    inventory_set_date(t, old->report_date);
    if (t->provenance == PROVENANCE_INCREMENTAL) {
        /* directories counted from the report: verified at its time */
        t->provenance = PROVENANCE_INVENTORY;
        t->provenance_verified_at = old->report_created;
        t->provenance_verify_every = 0;
    }
}
