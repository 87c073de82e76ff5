/* aws_storage_scan.c: a refresh's S3 figures of each table (objects,
 * bytes, newest object, markers, partition directories), from
 * ListObjectsV2 listings streamed through the XML parser: a small table in
 * one flat listing; a larger one by its top-level directories first, then
 * in ranges listed in parallel (aws_storage_ranges.c): those its last full
 * listing left, a page each, or ranges of its directories, split further
 * between pages while request slots are idle. A partitioned table's figures are kept per directory
 * (aws_incremental.c): the next refresh lists only the directories
 * incremental_plan picks and counts the others from what was kept. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_storage_ranges.h"
#include "collector/formats/formats.h"
#include "collector/storage.h"
#include "common/clock.h"
#include "common/xalloc.h"

static void s3_page_reset(s3_page *p, const char *last_partition) {
    for (size_t i = 0; i < p->n_dirs; i++)
        free(p->dirs[i]);
    free(p->dirs);
    free(p->last_key);
    free(p->first_key);
    free(p->last_partition);
    free(p->runs);
    free(p->run_dir);
    for (size_t i = 0; i < p->n_cuts; i++)
        free(p->cuts[i]);
    free(p->cuts);
    free(p->first_partition);
    memset(p, 0, sizeof *p);
    p->newest = -1;
    p->last_partition = last_partition ? xstrdup(last_partition) : NULL;
}

/* The run of directory `dir` in a page: the last one, or a new one. */
static incremental_figures *s3_page_run(s3_page *p, size_t dir) {
    if (p->n_runs && p->run_dir[p->n_runs - 1] == dir)
        return &p->runs[p->n_runs - 1];
    p->runs = xgrow(p->runs, &p->cap_runs, p->n_runs + 1, sizeof *p->runs);
    p->run_dir = xgrow(p->run_dir, &p->cap_run_dir, p->n_runs + 1, sizeof *p->run_dir);
    p->run_dir[p->n_runs] = dir;
    incremental_figures *run = &p->runs[p->n_runs++];
    memset(run, 0, sizeof *run);
    run->newest = -1;
    return run;
}

/* One key of a page: counted, unless it lies outside the stream's range or
 * in a hidden directory; markers apart. */
static void s3_on_object(void *ctx, const s3_object *o) {
    s3_stream *st = ctx;
    s3_scan *scan = st->scan;
    s3_page *page = &st->page;
    size_t plen = strlen(scan->prefix);
    if (strncmp(o->key, scan->prefix, plen) != 0 || page->past_end)
        return;
    const char *rest = o->key + plen;
    if (st->bounded && st->until && strcmp(o->key, st->until) > 0) {
        page->past_end = true; /* the next range's */
        return;
    }
    if (!st->discovery && !st->flat && !st->bounded) {
        /* only keys inside this stream's directories */
        if (st->first_dir < scan->n_dirs && strcmp(o->key, scan->dirs[st->first_dir]) < 0)
            return;
        if (st->end_dir < scan->n_dirs && strcmp(o->key, scan->dirs[st->end_dir]) >= 0) {
            page->past_end = true;
            return;
        }
    }
    if (!st->discovery && !st->flat && ++page->since == RANGES_GRAIN) {
        /* every key of the range makes its grains, top-level ones too */
        page->cuts = xgrow(page->cuts, &page->cap_cuts, page->n_cuts + 1, sizeof *page->cuts);
        page->cuts[page->n_cuts++] = xstrdup(o->key);
        page->since = 0;
    }
    if (!st->discovery && !st->flat && !strchr(rest, '/')) {
        size_t key_length = strlen(o->key); /* its last key, for the grains */
        page->last_key = xgrow(page->last_key, &page->last_key_cap, key_length + 1, 1);
        memcpy(page->last_key, o->key, key_length + 1);
        return; /* a top-level object: the discovery listing counts it */
    }
    incremental_figures none = {0};
    incremental_figures *run = scan->keep && !st->discovery && !st->flat
                                   ? s3_page_run(page, aws_storage_dir_of(scan, o->key))
                                   : &none;
    size_t key_length = strlen(o->key);
    page->last_key = xgrow(page->last_key, &page->last_key_cap, key_length + 1, 1);
    memcpy(page->last_key, o->key, key_length + 1);
    if (page->keys++ == 0)
        page->first_key = xstrdup(o->key);
    page->s3_objects++;
    page->s3_bytes += o->size;
    run->s3_objects++;
    run->s3_bytes += o->size;
    cost_class storage_class = COST_STANDARD; /* a class S3 added since: as STANDARD */
    cost_class_from_s3(o->storage_class, &storage_class);
    cost_storage_add(&page->storage, storage_class, o->size);
    cost_storage_add(&run->storage, storage_class, o->size);
    if (strncmp(rest, "_delta_log/", 11) == 0)
        page->delta_log = true;
    else if (strncmp(rest, ".hoodie/", 8) == 0)
        page->hoodie = true;
    /* inside a hidden directory (_temporary/, .spark-staging/): skipped, as
     * the local lake and Athena skip it */
    for (const char *c = rest; *c;) {
        const char *slash = strchr(c, '/');
        if (!slash)
            break;
        if (storage_is_hidden_dir(c))
            return;
        c = slash + 1;
    }
    if (storage_is_marker_key(o->key)) {
        page->markers++;
        run->markers++;
        return;
    }
    page->objects++;
    page->bytes += o->size;
    run->objects++;
    run->bytes += o->size;
    if (o->last_modified > page->newest)
        page->newest = o->last_modified;
    if (o->last_modified > run->newest)
        run->newest = o->last_modified;
    size_t plength =
        scan->partition_depth ? storage_partition_prefix_length(rest, scan->partition_depth) : 0;
    if (plength && !(page->last_partition && strlen(page->last_partition) == plength &&
                     memcmp(page->last_partition, rest, plength) == 0)) {
        page->partitions++;
        run->partitions++;
        free(page->last_partition);
        page->last_partition = xstrndup(rest, plength);
        if (!page->first_partition && !st->first_partition)
            page->first_partition = xstrdup(page->last_partition);
    }
}

/* A top-level directory, kept by the discovery listing. */
static void s3_on_prefix(void *ctx, const char *prefix) {
    s3_stream *st = ctx;
    if (!st->discovery)
        return;
    s3_page *page = &st->page;
    page->dirs = xgrow(page->dirs, &page->cap_dirs, page->n_dirs + 1, sizeof *page->dirs);
    page->dirs[page->n_dirs++] = xstrdup(prefix);
}

/* A listed table's provenance, and with `keep` its directories' figures
 * kept for the next refresh (those not listed now with their old time). */
static void s3_scan_keep(s3_scan *scan, table_stats *t) {
    t->provenance = PROVENANCE_LISTED;
    t->provenance_as_of = t->provenance_verified_at = scan->now;
    if (!scan->keep)
        return;
    incremental_table kept = {.database = xstrdup(t->database),
                              .table = xstrdup(t->name),
                              .location = xasprintf("%s/%s", scan->bucket, scan->prefix),
                              .refreshed_at = scan->now,
                              .dirs = xcalloc(scan->n_dirs, sizeof *kept.dirs),
                              .n_dirs = scan->n_dirs};
    for (size_t i = 0; i < scan->n_dirs; i++) {
        kept.dirs[i] = (incremental_dir){.name = xstrdup(scan->dirs[i]),
                                         .listed_at = scan->dir_listed_at[i],
                                         .figures = scan->dir_figs[i]};
        if (!scan->listed[i]) {
            t->provenance = PROVENANCE_INCREMENTAL;
            t->provenance_verify_every = scan->verify_every;
            if (scan->dir_listed_at[i] < t->provenance_verified_at)
                t->provenance_verified_at = scan->dir_listed_at[i];
        }
    }
    if (scan->since_report)
        aws_inventory_since_kept(scan->refresh, t, &kept);
    aws_incremental_put(scan->refresh->src, &kept);
}

/* After the discovery listing: whether the directories' figures are kept
 * (a partitioned table, not Delta or Hudi, on a source that keeps them),
 * and which directories to list now: all of them, or (with kept figures,
 * no full refresh asked for, and at least flat_below objects last time)
 * those incremental_plan picks, the others counted from what was kept.
 * Returns whether the listing is incremental. */
static bool s3_scan_plan(s3_scan *scan, int64_t last_objects) {
    aws_source *src = scan->refresh->src;
    table_stats *t = &scan->refresh->snap->tables[scan->table];
    size_t n = scan->n_dirs;
    scan->listed = xcalloc(n, sizeof *scan->listed);
    scan->dir_figs = xcalloc(n, sizeof *scan->dir_figs);
    scan->dir_listed_at = xcalloc(n, sizeof *scan->dir_listed_at);
    for (size_t i = 0; i < n; i++) {
        scan->listed[i] = true;
        scan->dir_figs[i].newest = -1;
        scan->dir_listed_at[i] = scan->now;
    }
    scan->keep = src->incr_path && scan->partition_depth > 0;
    size_t plen = strlen(scan->prefix);
    for (size_t i = 0; scan->keep && i < n; i++)
        if (strcmp(scan->dirs[i] + plen, "_delta_log/") == 0 ||
            strcmp(scan->dirs[i] + plen, ".hoodie/") == 0)
            scan->keep = false;
    incremental_settings settings;
    incremental_settings_lookup(&src->incr, t->database, t->name, &settings);
    scan->verify_every = settings.verify_every;
    char *location = xasprintf("%s/%s", scan->bucket, scan->prefix);
    const incremental_table *kept =
        scan->keep ? aws_incremental_table(src, t->database, t->name, location) : NULL;
    free(location);
    bool since = scan->since_report && kept && kept->report_date;
    if (!kept ||
        (!since && (kept->report_date || src->incr_full_now || last_objects < settings.flat_below)))
        return false;
    incremental_plan(kept, scan->dirs, n, scan->now, &settings, scan->listed);
    bool partial = false;
    for (size_t i = 0; i < n; i++) {
        if (scan->listed[i])
            continue;
        const incremental_dir *d = incremental_table_dir(kept, scan->dirs[i]);
        scan->dir_figs[i] = d->figures;
        scan->dir_listed_at[i] = d->listed_at;
        const incremental_figures *f = &d->figures;
        scan->objects += f->objects;
        scan->bytes += f->bytes;
        scan->markers += f->markers;
        scan->partitions += f->partitions;
        scan->s3_objects += f->s3_objects;
        scan->s3_bytes += f->s3_bytes;
        cost_storage_merge(&scan->storage, &f->storage);
        if (f->newest > scan->newest)
            scan->newest = f->newest;
        partial = true;
    }
    return partial;
}

/* The last stream of a scan is done: the table gets its figures, or the
 * first error. */
static void s3_scan_finish(s3_scan *scan) {
    table_stats *t = &scan->refresh->snap->tables[scan->table];
    if (scan->error) {
        free(t->error); /* a partition count's failure: the listing's says more */
        t->error = scan->error;
        scan->error = NULL;
    } else {
        aws_storage_ranges_finish(scan);
        t->objects = scan->objects;
        t->bytes = scan->bytes;
        t->newest_object = scan->newest;
        t->marker_objects = scan->markers;
        t->partitions = scan->partitions;
        t->s3_objects = scan->s3_objects;
        t->s3_bytes = scan->s3_bytes;
        t->storage = scan->storage;
        t->has_storage = true;
        const char *top[2];
        size_t n_top = 0;
        if (scan->delta_log)
            top[n_top++] = "_delta_log";
        if (scan->hoodie)
            top[n_top++] = ".hoodie";
        formats_detect(t, top, n_top); /* measured after the scan (aws_formats.c) */
        s3_scan_keep(scan, t);
    }
    for (size_t i = 0; i < scan->n_dirs; i++)
        free(scan->dirs[i]);
    free(scan->dirs);
    free(scan->listed);
    free(scan->dir_figs);
    free(scan->dir_listed_at);
    aws_storage_ranges_free(scan);
    free(scan->bucket);
    free(scan->prefix);
    free(scan);
}

s3_stream *aws_storage_stream_new(s3_scan *scan, bool discovery, size_t first, size_t end) {
    s3_stream *st = xcalloc(1, sizeof *st);
    st->scan = scan;
    st->discovery = discovery;
    st->first_dir = first;
    st->end_dir = end;
    s3_page_reset(&st->page, NULL);
    scan->streams++;
    return st;
}

static void s3_stream_free(s3_stream *st) {
    s3_page_reset(&st->page, NULL);
    s3_list_parser_free(st->parser);
    aws_request_signing_free(&st->sign);
    free(st->token);
    free(st->last_partition);
    free(st->after);
    free(st->until);
    free(st->grain_last);
    free(st->first_partition);
    page_guard_free(&st->pages);
    free(st);
}

size_t aws_storage_dir_of(const s3_scan *scan, const char *key) {
    size_t lo = 0, hi = scan->n_dirs;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(scan->dirs[mid], key) <= 0)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool s3_stream_data(void *ctx, const char *data, size_t length) {
    s3_stream *st = ctx;
    return s3_list_parser_feed(st->parser, data, length);
}

/* A page (or its attempt) starts over from what the stream had. */
static void s3_page_start(s3_stream *st) {
    s3_page_reset(&st->page, st->last_partition);
    st->page.since = st->grain_keys;
}

static void s3_stream_attempt(void *ctx) {
    s3_stream *st = ctx;
    s3_list_parser_reset(st->parser);
    s3_page_start(st);
}

static void s3_stream_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    s3_stream *st = ctx;
    if (!st->parser) {
        s3_list_callbacks cb = {.object = s3_on_object, .common_prefix = s3_on_prefix, .ctx = st};
        st->parser = s3_list_parser_new(&cb);
    }
    aws_request_sign(&st->sign, request);
}

/* The page that failed, again in a later round of the refresh
 * (aws_rounds.h): its figures start over, from the same token or range. */
static void s3_stream_resend(void *ctx) {
    s3_stream *st = ctx;
    s3_page_start(st);
    s3_list_parser_free(st->parser);
    st->parser = NULL;
    aws_storage_stream_submit(st);
}

/* A page is in: its figures merged and the next page queued; a retryable
 * failure sets the page aside for a later round (the scan waits for it), a
 * final one becomes the table's error. */
static void s3_stream_done(void *ctx, const http_response *response) {
    s3_stream *st = ctx;
    s3_scan *scan = st->scan;
    if (response->error &&
        aws_rounds_defer(&scan->refresh->rounds, response, s3_stream_resend, s3_stream_done, st))
        return;
    bool ok = response->error == NULL;
    if (ok && !s3_list_parser_finish(st->parser)) {
        if (!scan->error)
            scan->error = xasprintf("s3://%s/%s: %s", scan->bucket, scan->prefix,
                                    s3_list_parser_error(st->parser));
        ok = false;
    } else if (!ok && !scan->error) {
        scan->error = xasprintf("s3://%s/%s: %s", scan->bucket, scan->prefix, response->error);
    }
    bool more = false;
    if (ok) {
        s3_page *page = &st->page;
        scan->objects += page->objects;
        scan->bytes += page->bytes;
        scan->markers += page->markers;
        scan->partitions += page->partitions;
        scan->s3_objects += page->s3_objects;
        scan->s3_bytes += page->s3_bytes;
        cost_storage_merge(&scan->storage, &page->storage);
        for (size_t k = 0; scan->keep && k < page->n_runs; k++)
            incremental_figures_add(&scan->dir_figs[page->run_dir[k]], &page->runs[k]);
        scan->delta_log = scan->delta_log || page->delta_log;
        scan->hoodie = scan->hoodie || page->hoodie;
        if (page->newest > scan->newest)
            scan->newest = page->newest;
        free(st->last_partition);
        st->last_partition = page->last_partition ? xstrdup(page->last_partition) : NULL;
        for (size_t i = 0; i < page->n_dirs; i++) {
            scan->dirs = xgrow(scan->dirs, &scan->cap_dirs, scan->n_dirs + 1, sizeof *scan->dirs);
            scan->dirs[scan->n_dirs++] = page->dirs[i];
        }
        page->n_dirs = 0;
        const char *token = s3_list_parser_next_token(st->parser);
        more = token && !page->past_end && !scan->error;
        char *endless = NULL;
        if (more && !page_guard_next(&st->pages, token, PAGE_GUARD_S3_LIST, &endless)) {
            scan->error =
                xasprintf("s3://%s/%s: ListObjectsV2: %s", scan->bucket, scan->prefix, endless);
            free(endless);
            more = false;
        }
        free(st->token);
        st->token = more ? xstrdup(token) : NULL;
        if (more && st->until && page->last_key && strcmp(page->last_key, st->until) >= 0)
            more = false; /* the range is whole: the next page is the next range's */
        aws_storage_ranges_page(st);
        if (more)
            aws_storage_ranges_split(st);
        if (more)
            aws_storage_ranges_last_page(st);
    }
    if (more) {
        s3_page_start(st);
        s3_list_parser_free(st->parser);
        st->parser = NULL;
        aws_storage_stream_submit(st);
        return;
    }
    bool discovery = st->discovery;
    if (ok)
        aws_storage_ranges_stream_end(st);
    s3_stream_free(st);
    scan->streams--;
    if (discovery && ok && scan->n_dirs > 0 && !scan->error &&
        s3_scan_plan(scan, scan->last_objects)) {
        /* incremental: a range of each run of directories to list */
        for (size_t i = 0; i < scan->n_dirs;) {
            if (!scan->listed[i]) {
                i++;
                continue;
            }
            size_t end = i;
            while (end < scan->n_dirs && scan->listed[end])
                end++;
            aws_storage_stream_submit(aws_storage_stream_new(scan, false, i, end));
            i = end;
        }
        if (scan->streams == 0)
            s3_scan_finish(scan);
        return;
    }
    if (discovery && ok && scan->n_dirs > 0 && !scan->error) {
        aws_storage_ranges_start(scan);
        return;
    }
    if (scan->streams == 0)
        s3_scan_finish(scan);
}

void aws_storage_stream_submit(s3_stream *st) {
    s3_scan *scan = st->scan;
    aws_source *src = scan->refresh->src;
    char *before = NULL;
    if (st->bounded) {
        before = !st->token && st->after ? xstrdup(st->after) : NULL;
    } else if (!st->token && !st->discovery && st->first_dir < scan->n_dirs) {
        /* just before the first directory: its name without the final '/' */
        const char *dir = scan->dirs[st->first_dir];
        before = xstrndup(dir, strlen(dir) - 1);
    }
    /* a planned range: the keys it held, in one page of no more */
    int64_t max_keys = st->bounded && st->token ? 0 : st->max_keys;
    char *query = aws_request_list_query(st->token, st->discovery, scan->prefix, before, max_keys);
    free(before);
    aws_request_signing_free(&st->sign);
    st->sign = (aws_signing){0};
    char *url = aws_request_s3_address(src, scan->bucket, NULL, query, &st->sign);
    free(query);
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = s3_stream_prepare,
                              .on_data = s3_stream_data,
                              .on_attempt = s3_stream_attempt,
                              .on_done = s3_stream_done,
                              .ctx = st,
                              .operation = "ListObjectsV2",
                              .billing = HTTP_BILL_S3_LIST,
                              .kind = HTTP_KIND_LISTING};
    http_client_submit(src->http, &spec);
    free(url);
}

void aws_storage_scan_start(aws_refresh *r, size_t table_index) {
    aws_source *src = r->src;
    table_stats *t = &r->snap->tables[table_index];
    s3_scan *scan = xcalloc(1, sizeof *scan);
    if (!storage_s3_parse(t->location, &scan->bucket, &scan->prefix, NULL)) {
        t->error = t->location[0] ? xasprintf("location %s is not on S3", t->location)
                                  : xstrdup("no StorageDescriptor.Location in the catalog");
        free(scan);
        return;
    }
    scan->refresh = r;
    scan->table = table_index;
    scan->partition_depth = t->n_partition_keys;
    scan->newest = -1;
    /* a table that had few objects last time: one flat listing (usually
     * one request) rather than its directories first, then their ranges */
    int64_t last = src->base.size_hint
                       ? src->base.size_hint(src->base.size_hint_ctx, t->database, t->name)
                       : -1;
    bool flat = !r->since_report && last >= 0 && last <= S3_FLAT_MAX_OBJECTS;
    scan->since_report = r->since_report;
    scan->last_objects = last;
    scan->now = clock_now();
    s3_stream *st = aws_storage_stream_new(scan, !flat, 0, 0);
    st->flat = flat;
    aws_storage_stream_submit(st);
}

void aws_storage_scan_since_report(aws_refresh *r, size_t table_index) {
    r->since_report = true;
    aws_storage_scan_start(r, table_index);
    r->since_report = false;
}
