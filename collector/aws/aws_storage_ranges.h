/* aws_storage_ranges.h: private to the S3 listing of a refresh
 * (aws_storage_scan.c and aws_storage_ranges.c): one table's scan, its
 * streams (one listing each) and the figures of a page. Ranges: the
 * listing of a table is split into ranges listed in parallel, planned from
 * the bounds its last full listing left (ranges.h) or, without them, from
 * its top-level directories. */
#ifndef LAKETOP_AWS_STORAGE_RANGES_H
#define LAKETOP_AWS_STORAGE_RANGES_H

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/aws/s3_list.h"
#include "collector/figures/ranges.h"

#define S3_PAGE_KEYS 1000       /* S3's page size */
#define S3_FLAT_MAX_OBJECTS 400 /* listed flat: fits a page with room for markers and growth */

/* One table's listing: the figures of its streams' whole pages, summed. */
typedef struct s3_scan {
    aws_refresh *refresh;
    size_t table;
    char *bucket;
    char *prefix;
    size_t partition_depth;
    char **dirs; /* the table's top-level directories, sorted as S3 sorts */
    size_t n_dirs;
    size_t cap_dirs;
    int64_t objects, bytes, newest, markers, partitions;
    int64_t s3_objects, s3_bytes; /* every key, hidden and markers too */
    cost_storage storage;         /* of those, by storage class */
    bool delta_log, hoodie;       /* _delta_log/, .hoodie/ directly under the prefix */
    int streams;
    char *error;
    /* incremental listing (aws_incremental.c): with `keep`, the figures of
     * each directory (dir_figs, parallel to dirs) are gathered and kept;
     * listed[i] false: dirs[i] not listed now, its kept figures counted */
    bool keep;
    bool *listed;
    incremental_figures *dir_figs;
    int64_t *dir_listed_at;
    int64_t now;
    int64_t last_objects; /* at the last refresh (size_hint), -1 unknown */
    int64_t verify_every; /* the table's (incremental_settings_lookup) */
    bool since_report;    /* listed since an S3 Inventory report (aws_inventory_apply.c) */
    /* ranges (aws_storage_ranges.c): with `whole`, every key listed now by
     * ranges, the grains kept for the next refresh's bounds; with
     * n_bounded, ranges started at the last listing's bounds, and the
     * partitions of each range's first and last counted object (seams) */
    bool whole;
    ranges_grain *grains;
    size_t n_grains, cap_grains;
    size_t n_bounded;
    char **seam_first, **seam_last;
} s3_scan;

/* The figures of one page, merged into the scan only when the page is whole
 * (a retried page starts them over). */
typedef struct s3_page {
    int64_t objects, bytes, newest, markers, partitions;
    int64_t s3_objects, s3_bytes;
    cost_storage storage;
    bool delta_log, hoodie;
    char **dirs;
    size_t n_dirs;
    size_t cap_dirs;
    char *last_key; /* a buffer: last_key_cap bytes */
    size_t last_key_cap;
    size_t keys;     /* keys seen in the page (markers too) */
    char *first_key; /* the page's first key (for the density of its directories) */
    char *last_partition;
    bool past_end;
    /* with scan->keep: the page's figures by directory, a run per directory */
    incremental_figures *runs;
    size_t *run_dir;
    size_t n_runs, cap_runs, cap_run_dir;
    /* grains: keys since the last grain, and the grains the page ends */
    int64_t since;
    char **cuts;
    size_t n_cuts, cap_cuts;
    char *first_partition; /* the first partition the page counted */
} s3_page;

/* One listing of a scan, page after page: the discovery of the top level,
 * a range of its directories, or the whole flat listing. */
typedef struct s3_stream {
    s3_scan *scan;
    aws_signing sign;
    bool discovery;   /* the delimiter listing of the top level */
    bool flat;        /* a small table: every key, no delimiter, in as few pages as can be */
    size_t first_dir; /* a range of scan->dirs: [first_dir, end_dir) */
    size_t end_dir;
    char *token;          /* continuation token of the next page */
    char *last_partition; /* carried across pages */
    s3_list_parser *parser;
    s3_page page;
    page_guard pages; /* the tokens it gave: a listing that loops ends */
    /* a range between bounds (`bounded`, range number `range`): keys after
     * `after` (NULL: from the start) up to and including `until` (NULL:
     * to the end) */
    bool bounded;
    size_t range;
    char *after, *until;
    int64_t max_keys;   /* bounded: the keys of the range at the last listing;
                         * else of the next page; 0: a full page */
    int64_t grain_keys; /* keys since its last grain */
    char *grain_last;   /* its last key */
    char *first_partition;
} s3_stream;

/* aws_storage_scan.c */
s3_stream *aws_storage_stream_new(s3_scan *scan, bool discovery, size_t first, size_t end);
void aws_storage_stream_submit(s3_stream *st);
/* Index of the directory a key is in (keys beyond the last: n_dirs - 1). */
size_t aws_storage_dir_of(const s3_scan *scan, const char *key);

/* aws_storage_ranges.c */
/* The discovery listing is in and every directory is to be listed: the
 * ranges queued, from the table's kept bounds or its directories. */
void aws_storage_ranges_start(s3_scan *scan);
/* Splits the rest of a busy directory range while request slots are idle. */
void aws_storage_ranges_split(s3_stream *st);
/* A directory range goes on: when the keys left before its end, going by
 * the density of the page just read, fit in less than a page, the next
 * page asks for about that many (st->max_keys), not a full page that the
 * next range would fetch again. */
void aws_storage_ranges_last_page(s3_stream *st);
/* A page of `st` is whole: its grains go to the scan. */
void aws_storage_ranges_page(s3_stream *st);
/* A stream ends well: its last grain and its seams. */
void aws_storage_ranges_stream_end(s3_stream *st);
/* The scan ends without error: partitions split by a bound counted once,
 * and the bounds kept for the next refresh. */
void aws_storage_ranges_finish(s3_scan *scan);
/* Frees what the scan's ranges hold. */
void aws_storage_ranges_free(s3_scan *scan);

#endif
