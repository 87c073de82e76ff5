/* aws_storage_ranges.c: the ranges of a table's S3 listing
 * (aws_storage_ranges.h): from the bounds its last full listing left, one
 * page of keys each, ending where the next begins; without them from its
 * top-level directories, split further between pages while request slots
 * are idle. Every full listing leaves the grains of the next one's bounds. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_storage_ranges.h"
#include "common/xalloc.h"

#define S3_DIRS_PER_RANGE 16 /* a first guess at directories worth a stream */

static char *aws_storage_ranges_location(const s3_scan *scan) {
    return xasprintf("%s/%s", scan->bucket, scan->prefix);
}

void aws_storage_ranges_start(s3_scan *scan) {
    aws_source *src = scan->refresh->src;
    table_stats *t = &scan->refresh->snap->tables[scan->table];
    scan->whole = true;
    char *location = aws_storage_ranges_location(scan);
    const ranges_table *kept = aws_ranges_table(src, t->database, t->name, location);
    free(location);
    if (kept) {
        /* range k: (bounds[k-1], bounds[k]], the first from the start, the
         * last to the end */
        size_t n = kept->n_bounds + 1;
        scan->n_bounded = n;
        scan->seam_first = xcalloc(n, sizeof *scan->seam_first);
        scan->seam_last = xcalloc(n, sizeof *scan->seam_last);
        for (size_t k = 0; k < n; k++) {
            s3_stream *st = aws_storage_stream_new(scan, false, 0, scan->n_dirs);
            st->bounded = true;
            st->range = k;
            st->after = k ? xstrdup(kept->bounds[k - 1]) : NULL;
            st->until = k < kept->n_bounds ? xstrdup(kept->bounds[k]) : NULL;
            st->max_keys = k < kept->n_bounds ? kept->counts[k] : 0;
            aws_storage_stream_submit(st);
        }
        return;
    }
    /* The directories, in ranges: as many as there are idle slots (at
     * least one); ranges split further between pages while slots are idle. */
    size_t idle = (size_t)http_client_idle_slots(src->http);
    size_t parts = scan->n_dirs / S3_DIRS_PER_RANGE;
    if (parts > idle)
        parts = idle;
    if (parts > 8)
        parts = 8;
    if (parts < 1)
        parts = 1;
    for (size_t k = 0; k < parts; k++) {
        size_t first = k * scan->n_dirs / parts, end = (k + 1) * scan->n_dirs / parts;
        aws_storage_stream_submit(aws_storage_stream_new(scan, false, first, end));
    }
}

void aws_storage_ranges_last_page(s3_stream *st) {
    s3_scan *scan = st->scan;
    st->max_keys = 0;
    if (st->bounded || st->discovery || st->flat || st->end_dir >= scan->n_dirs ||
        !st->page.first_key || !st->page.last_key || st->page.keys == 0)
        return;
    size_t at = aws_storage_dir_of(scan, st->page.last_key);
    size_t from = aws_storage_dir_of(scan, st->page.first_key);
    if (at >= st->end_dir)
        return;
    /* the page's first and last directories are partly in it: keys per
     * directory as if only one of them were; the current directory counted
     * whole and a tenth more, a few keys over rather than a page more */
    int64_t per_dir = (int64_t)st->page.keys / (int64_t)(at > from ? at - from : 1);
    int64_t left = per_dir * (int64_t)(st->end_dir - at) * 11 / 10 + 1;
    if (left < S3_PAGE_KEYS)
        st->max_keys = left;
}

static void aws_storage_ranges_grain(s3_scan *scan, char *last_key, int64_t keys) {
    scan->grains = xgrow(scan->grains, &scan->cap_grains, scan->n_grains + 1, sizeof *scan->grains);
    scan->grains[scan->n_grains++] = (ranges_grain){.last_key = last_key, .keys = keys};
}

void aws_storage_ranges_page(s3_stream *st) {
    s3_page *page = &st->page;
    if (st->discovery || st->flat)
        return;
    for (size_t i = 0; i < page->n_cuts; i++) {
        if (st->scan->whole)
            aws_storage_ranges_grain(st->scan, page->cuts[i], RANGES_GRAIN);
        else
            free(page->cuts[i]);
    }
    page->n_cuts = 0;
    st->grain_keys = page->since;
    if (page->last_key) {
        free(st->grain_last);
        st->grain_last = xstrdup(page->last_key);
    }
    if (page->first_partition && !st->first_partition) {
        st->first_partition = page->first_partition;
        page->first_partition = NULL;
    }
}

void aws_storage_ranges_stream_end(s3_stream *st) {
    s3_scan *scan = st->scan;
    if (st->discovery || st->flat)
        return;
    if (scan->whole && st->grain_keys > 0 && st->grain_last) {
        aws_storage_ranges_grain(scan, st->grain_last, st->grain_keys);
        st->grain_last = NULL;
    }
    if (st->bounded && st->range < scan->n_bounded) {
        scan->seam_first[st->range] = st->first_partition;
        st->first_partition = NULL;
        scan->seam_last[st->range] = st->last_partition ? xstrdup(st->last_partition) : NULL;
    }
}

void aws_storage_ranges_finish(s3_scan *scan) {
    /* a partition across a bound was counted by the ranges on both sides */
    const char *last = NULL;
    for (size_t k = 0; k < scan->n_bounded; k++) {
        if (last && scan->seam_first[k] && strcmp(last, scan->seam_first[k]) == 0) {
            scan->partitions--;
            if (scan->keep) {
                char *key = xasprintf("%s%s", scan->prefix, last);
                scan->dir_figs[aws_storage_dir_of(scan, key)].partitions--;
                free(key);
            }
        }
        if (scan->seam_last[k])
            last = scan->seam_last[k];
    }
    if (!scan->whole)
        return;
    table_stats *t = &scan->refresh->snap->tables[scan->table];
    char **bounds = NULL;
    int64_t *counts = NULL;
    size_t n = ranges_plan(scan->grains, scan->n_grains, S3_PAGE_KEYS, &bounds, &counts);
    if (n > RANGES_MAX_BOUNDS) {
        for (size_t i = 0; i < n; i++)
            free(bounds[i]);
        free(bounds);
        free(counts);
        return;
    }
    char *location = aws_storage_ranges_location(scan);
    aws_ranges_put(scan->refresh->src, t->database, t->name, location, bounds, counts, n);
    free(location);
}

void aws_storage_ranges_free(s3_scan *scan) {
    for (size_t i = 0; i < scan->n_grains; i++)
        free(scan->grains[i].last_key);
    free(scan->grains);
    for (size_t k = 0; k < scan->n_bounded; k++) {
        free(scan->seam_first[k]);
        free(scan->seam_last[k]);
    }
    free(scan->seam_first);
    free(scan->seam_last);
}

/* Splits the rest of a busy stream's range when request slots are idle:
 * into as many parts as there are idle slots, but none smaller than a full
 * page going by the density of the directories the last page covered. */
void aws_storage_ranges_split(s3_stream *st) {
    s3_scan *scan = st->scan;
    if (st->discovery || st->bounded || !st->page.last_key || !st->page.first_key)
        return;
    int idle = http_client_idle_slots(scan->refresh->src->http);
    if (idle < 1)
        return;
    size_t at = aws_storage_dir_of(scan, st->page.last_key);
    size_t from = aws_storage_dir_of(scan, st->page.first_key);
    if (st->end_dir <= at + 2)
        return;
    size_t left = st->end_dir - at - 1; /* directories after the current one */
    size_t covered = at - from + 1;
    size_t per_dir = st->page.keys / covered; /* keys per directory, roughly */
    size_t min_dirs = per_dir ? (S3_PAGE_KEYS + per_dir - 1) / per_dir : left;
    if (min_dirs < 1)
        min_dirs = 1;
    size_t parts = left / min_dirs;
    if (parts > (size_t)idle + 1)
        parts = (size_t)idle + 1;
    if (parts < 2)
        return;
    size_t first = at + 1, end = st->end_dir;
    st->end_dir = first + left / parts;
    for (size_t k = 1; k < parts; k++) {
        size_t a = first + k * left / parts,
               b = k + 1 == parts ? end : first + (k + 1) * left / parts;
        if (a < b)
            aws_storage_stream_submit(aws_storage_stream_new(scan, false, a, b));
    }
}
