/* aws_inventory.c: a refresh's tables read from an S3 Inventory report
 * instead of listed (issue 15): the configured
 * `inventory = s3://DEST/SOURCE-BUCKET/CONFIG-ID/` (or, with `auto`, each
 * table bucket's configuration from ListBucketInventoryConfigurations: with
 * Athena an enabled Parquet, ORC or CSV one, columnar first; without, a CSV
 * one), its newest complete report (a date
 * directory holding manifest.json and manifest.checksum), the checksum
 * checked, then aggregated into an inventory_report by Athena
 * (aws_inventory_athena.c) when enabled, else by streaming the CSV data
 * files through GetObject into collector/inventory/'s aggregator, one data
 * file at a time. A report the tables' figures already came from (kept
 * state) is not read again: only its date prefixes are listed. The report
 * is then applied by aws_inventory_apply.c. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/s3_list.h"
#include "collector/inventory/inventory_agg.h"
#include "collector/inventory/inventory_config.h"
#include "collector/inventory/inventory_manifest.h"
#include "collector/storage.h"
#include "common/fmt.h"
#include "common/xalloc.h"

/* The configured inventory's destination bucket, its prefix
 * ("SOURCE/CONFIG/") and the source bucket; false when none. */
static bool inventory_auto(const aws_source *src) {
    return src->options.inventory && strcmp(src->options.inventory, "auto") == 0;
}

static bool inventory_target(const aws_source *src, char **dest, char **prefix, char **source) {
    if (!src->options.inventory || inventory_auto(src) ||
        !storage_s3_parse(src->options.inventory, dest, prefix, NULL))
        return false;
    const char *slash = strchr(*prefix, '/');
    *source = xstrndup(*prefix, slash ? (size_t)(slash - *prefix) : strlen(*prefix));
    return true;
}

bool aws_inventory_claims(aws_refresh *r, size_t table_index) {
    char *dest = NULL, *prefix = NULL, *source = NULL;
    bool all = inventory_auto(r->src); /* each bucket's own configuration, if any */
    if (!all && !inventory_target(r->src, &dest, &prefix, &source))
        return false;
    const table_stats *t = &r->snap->tables[table_index];
    char *bucket = NULL, *location = NULL;
    bool mine = t->location && storage_s3_parse(t->location, &bucket, &location, NULL) &&
                (all || strcmp(bucket, source) == 0);
    if (mine) {
        r->inventory_tables = xgrow(r->inventory_tables, &r->cap_inventory, r->n_inventory + 1,
                                    sizeof *r->inventory_tables);
        r->inventory_tables[r->n_inventory++] = table_index;
    }
    free(bucket);
    free(location);
    free(dest);
    free(prefix);
    free(source);
    return mine;
}

/* One data file streamed into its own aggregator (a retry starts it over). */
typedef struct inventory_fetch {
    aws_signing sign;
    const inventory_columns *cols;
    aws_refresh *r;
    const size_t *tables; /* snap indices */
    size_t n_tables;
    inventory_agg *agg; /* table i of `tables` is its table i */
    char *error;        /* the data's, or the request's */
} inventory_fetch;

/* An aggregator for `tables` (snap indices), table i added i-th. */
static inventory_agg *inventory_new_agg(aws_refresh *r, const inventory_columns *cols,
                                        const size_t *tables, size_t n_tables) {
    inventory_agg *a = inventory_agg_new(cols);
    for (size_t i = 0; i < n_tables; i++) {
        const table_stats *t = &r->snap->tables[tables[i]];
        char *bucket = NULL, *prefix = NULL;
        storage_s3_parse(t->location, &bucket, &prefix, NULL);
        size_t k = inventory_agg_add_table(a, bucket, prefix);
        inventory_agg_set_partition_depth(a, k, t->n_partition_keys);
        free(bucket);
        free(prefix);
    }
    return a;
}

static void inventory_fetch_new_agg(inventory_fetch *f) {
    inventory_agg_free(f->agg);
    f->agg = inventory_new_agg(f->r, f->cols, f->tables, f->n_tables);
}

static void inventory_fetch_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((inventory_fetch *)ctx)->sign, request);
}

static bool inventory_fetch_data(void *ctx, const char *data, size_t length) {
    inventory_fetch *f = ctx;
    if (f->error)
        return false;
    return inventory_agg_feed(f->agg, data, length, &f->error);
}

static void inventory_fetch_attempt(void *ctx) {
    inventory_fetch *f = ctx;
    free(f->error);
    f->error = NULL;
    inventory_fetch_new_agg(f);
}

static void inventory_fetch_done(void *ctx, const http_response *response) {
    inventory_fetch *f = ctx;
    if (response->error && !f->error)
        f->error = xstrdup(response->error);
}

/* Adds one data file's figures to `sum` (made for the same tables); false
 * with *error. */
static bool inventory_read_file(aws_refresh *r, const size_t *tables, size_t n_tables,
                                const inventory_columns *cols, const char *bucket, const char *key,
                                inventory_agg *sum, char **error) {
    inventory_fetch f = {.cols = cols, .r = r, .tables = tables, .n_tables = n_tables};
    inventory_fetch_new_agg(&f);
    char *url = aws_request_s3_address(r->src, bucket, key, NULL, &f.sign);
    f.sign.body = "";
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = inventory_fetch_prepare,
                              .on_data = inventory_fetch_data,
                              .on_attempt = inventory_fetch_attempt,
                              .on_done = inventory_fetch_done,
                              .ctx = &f,
                              .billing = HTTP_BILL_S3_GET,
                              .kind = HTTP_KIND_INVENTORY};
    http_client_submit(r->src->http, &spec);
    free(url);
    http_client_run(r->src->http, NULL);
    char *why = NULL;
    bool ok = !f.error && inventory_agg_end_file(f.agg, &why);
    if (!ok) {
        *error = xasprintf("s3://%s/%s: %s", bucket, key, f.error ? f.error : why);
    } else {
        inventory_agg_merge(sum, f.agg);
    }
    free(why);
    free(f.error);
    inventory_agg_free(f.agg);
    aws_request_signing_free(&f.sign);
    return ok;
}

typedef struct inventory_dates {
    size_t prefix_length;
    char **names;
    size_t n, cap;
} inventory_dates;

static void inventory_on_prefix(void *ctx, const char *prefix) {
    inventory_dates *d = ctx;
    if (strlen(prefix) <= d->prefix_length || !inventory_is_report_date(prefix + d->prefix_length))
        return;
    d->names = xgrow(d->names, &d->cap, d->n + 1, sizeof *d->names);
    d->names[d->n++] = xstrndup(prefix + d->prefix_length, 17);
}

static int inventory_date_newer(const void *x, const void *y) {
    return strcmp(*(char *const *)y, *(char *const *)x);
}

/* The report dates under dest/prefix, newest first (a delimiter listing:
 * the date directories, not their files); false with *error. */
static bool inventory_list_dates(aws_source *src, const char *dest, const char *prefix,
                                 inventory_dates *d, char **error) {
    d->prefix_length = strlen(prefix);
    s3_list_callbacks cb = {.common_prefix = inventory_on_prefix, .ctx = d};
    bool ok = aws_list_pages(src, dest, prefix, true, &cb, error);
    if (ok && d->n)
        qsort(d->names, d->n, sizeof *d->names, inventory_date_newer);
    if (ok && !d->n) {
        *error = xasprintf("s3://%s/%s holds no report (no YYYY-MM-DDTHH-MMZ/)", dest, prefix);
        ok = false;
    }
    return ok;
}

static void inventory_dates_free(inventory_dates *d) {
    for (size_t i = 0; i < d->n; i++)
        free(d->names[i]);
    free(d->names);
}

/* The newest complete report: its date, manifest.json and
 * manifest.checksum (a date whose manifest.checksum is not there yet is
 * being written: the one before it is taken); when that is the `known`
 * date, only *date is set (nothing fetched); false with *error. */
static bool inventory_newest(aws_source *src, const char *dest, const char *prefix,
                             const char *known, char **date, char **json, size_t *json_length,
                             char **checksum, size_t *checksum_length, char **error) {
    inventory_dates d = {0};
    if (!inventory_list_dates(src, dest, prefix, &d, error))
        return false;
    bool ok = false;
    for (size_t i = 0; i < d.n && !ok; i++) {
        if (known && strcmp(d.names[i], known) == 0) {
            /* the report the figures already came from: not read again */
            *date = xstrdup(known);
            ok = true;
            break;
        }
        char *key = xasprintf("%s%s/manifest.checksum", prefix, d.names[i]);
        char *why = NULL;
        bool got =
            aws_object_store.get_object(&src->base, dest, key, checksum, checksum_length, &why);
        free(key);
        if (!got && why && strstr(why, "NoSuchKey") && i + 1 < d.n) {
            free(why); /* not complete yet: the one before */
            continue;
        }
        if (!got) {
            *error = why ? why : xstrdup("manifest.checksum unreadable");
            break;
        }
        key = xasprintf("%s%s/manifest.json", prefix, d.names[i]);
        ok = aws_object_store.get_object(&src->base, dest, key, json, json_length, error);
        free(key);
        if (!ok) {
            free(*checksum);
            *checksum = NULL;
            break;
        }
        *date = xstrdup(d.names[i]);
    }
    inventory_dates_free(&d);
    return ok;
}

/* The newest report of dest/prefix (of bucket `source`) for `tables`:
 * *reused when it is `known` (nothing read), else read into *out, by
 * Athena when a work group is configured, streamed here otherwise; false
 * with *error. */
static bool inventory_read(aws_refresh *r, const char *dest, const char *prefix, const char *source,
                           const size_t *tables, size_t n_tables, const char *known,
                           inventory_report *out, bool *reused, char **error) {
    aws_source *src = r->src;
    char *date = NULL, *json = NULL, *checksum = NULL, *why = NULL;
    size_t json_length = 0, checksum_length = 0;
    inventory_manifest m = {0};
    inventory_columns cols;
    inventory_agg *sum = NULL;
    bool ok = inventory_newest(src, dest, prefix, known, &date, &json, &json_length, &checksum,
                               &checksum_length, error);
    *reused = ok && !json;
    if (!ok || *reused)
        goto out;
    bool athena = aws_inventory_athena_enabled(src);
    if (ok && !inventory_manifest_check(json, json_length, checksum, checksum_length, &why)) {
        *error = xasprintf("report %s refused: %s", date, why);
        ok = false;
    }
    if (ok && !inventory_manifest_parse(json, json_length, &m, &why)) {
        *error = xasprintf("report %s: %s", date, why);
        ok = false;
    }
    if (ok && strcmp(m.source_bucket, source) != 0) {
        *error = xasprintf("report %s is of bucket %s, not %s", date, m.source_bucket, source);
        ok = false;
    }
    if (ok && athena) {
        ok = aws_inventory_athena(r, &m, inventory_manifest_destination_name(&m), prefix, date,
                                  tables, n_tables, out, error);
        if (ok) {
            lake_snapshot *s = r->snap;
            s->inventory_athena_queries++;
            s->inventory_athena_scanned += out->athena_scanned;
            s->inventory_athena_billed += cost_query_billed_bytes("SUCCEEDED", out->athena_scanned);
            free(s->inventory_athena_query_id);
            s->inventory_athena_query_id = xstrdup(out->athena_query_id);
        }
        goto out;
    }
    if (ok && !inventory_manifest_is_csv(&m)) {
        *error = xasprintf("report %s is %s: only CSV reports are read without Athena", date,
                           m.file_format);
        ok = false;
    }
    if (ok && !inventory_columns_parse(m.file_schema, &cols, &why)) {
        *error = xasprintf("report %s: %s", date, why);
        ok = false;
    }
    if (ok) {
        sum = inventory_new_agg(r, &cols, tables, n_tables);
        const char *files_bucket = inventory_manifest_destination_name(&m);
        for (size_t i = 0; ok && i < m.n_files; i++)
            ok = inventory_read_file(r, tables, n_tables, &cols, files_bucket, m.files[i].key, sum,
                                     error);
    }
    if (ok)
        inventory_agg_report(sum, date, m.created_ms / 1000, out);
out:
    free(why);
    inventory_agg_free(sum);
    inventory_manifest_clear(&m);
    free(json);
    free(checksum);
    free(date);
    return ok;
}

/* Adds a reason to the snapshot's inventory_error ("; " between two). */
static void inventory_say(aws_refresh *r, char *why) {
    char *was = r->snap->inventory_error;
    r->snap->inventory_error = was ? xasprintf("%s; %s", was, why) : why;
    if (was)
        free(why);
    free(was);
}

/* ListBucketInventoryConfigurations of `bucket`: the report prefix (dest,
 * "[PREFIX/]BUCKET/ID/") of the configuration inventory_config_pick takes
 * (columnar first with Athena, CSV only without); false when none fits
 * (*error set when asking failed, or when configurations exist but none
 * can be read: disabled, or columnar without Athena). */
static bool inventory_discover(aws_refresh *r, const char *bucket, char **dest, char **prefix,
                               char **filter, char **error) {
    aws_s3_call c = {0};
    aws_request_s3_submit(r->src, &c, "GET", bucket, NULL, "inventory=", NULL);
    http_client_run(r->src->http, NULL);
    bool ok = false;
    inventory_config *configs = NULL;
    size_t n = 0;
    char *why = NULL;
    if (c.error) {
        *error = xasprintf("ListBucketInventoryConfigurations s3://%s: %s", bucket, c.error);
    } else if (!inventory_config_parse(c.body, strlen(c.body), &configs, &n, &why)) {
        *error = xasprintf("s3://%s: %s", bucket, why);
    } else {
        bool athena = aws_inventory_athena_enabled(r->src);
        const inventory_config *p = inventory_config_pick(configs, n, athena);
        if (p) {
            *dest = xstrdup(p->dest_bucket);
            *filter = xstrdup(p->filter);
            *prefix =
                xasprintf("%s%s%s/%s/", p->dest_prefix, *p->dest_prefix ? "/" : "", bucket, p->id);
            ok = true;
        } else if (!athena && inventory_config_pick(configs, n, true)) {
            *error = xasprintf("s3://%s: its inventory is ORC or Parquet, which laketop reads "
                               "through Athena only (set athena_workgroup): listed",
                               bucket);
        } else if (n) {
            *error = xasprintf("s3://%s has no enabled inventory configuration: listed", bucket);
        }
    }
    free(why);
    inventory_configs_free(configs, n);
    aws_request_s3_call_clear(&c);
    return ok;
}

void aws_inventory_apply(aws_refresh *r, const bool *stop) {
    if (!r->n_inventory || r->fatal)
        goto out;
    /* the claimed tables by bucket: each bucket's report, else listed */
    size_t *group = xcalloc(r->n_inventory, sizeof *group);
    bool *done = xcalloc(r->n_inventory, sizeof *done);
    bool listed_any = false;
    for (size_t i = 0; i < r->n_inventory; i++) {
        if (done[i])
            continue;
        char *bucket = NULL, *ignored = NULL;
        storage_s3_parse(r->snap->tables[r->inventory_tables[i]].location, &bucket, &ignored, NULL);
        free(ignored);
        size_t n_group = 0;
        for (size_t j = i; j < r->n_inventory; j++) {
            char *b = NULL, *p = NULL;
            storage_s3_parse(r->snap->tables[r->inventory_tables[j]].location, &b, &p, NULL);
            if (!done[j] && strcmp(b, bucket) == 0) {
                group[n_group++] = r->inventory_tables[j];
                done[j] = true;
            }
            free(b);
            free(p);
        }
        char *dest = NULL, *prefix = NULL, *source = NULL, *error = NULL, *filter = NULL;
        bool found = inventory_auto(r->src)
                         ? inventory_discover(r, bucket, &dest, &prefix, &filter, &error)
                         : inventory_target(r->src, &dest, &prefix, &source);
        /* a configuration filtered by prefix covers only the tables inside
         * it: the others are listed */
        size_t n_covered = 0;
        for (size_t k = 0; k < n_group; k++) {
            char *b = NULL, *p = NULL;
            storage_s3_parse(r->snap->tables[group[k]].location, &b, &p, NULL);
            bool inside = !found || !filter || strncmp(p, filter, strlen(filter)) == 0;
            free(b);
            free(p);
            if (inside) {
                size_t t = group[n_covered];
                group[n_covered++] = group[k];
                group[k] = t;
            } else {
                aws_storage_scan_start(r, group[k]);
                listed_any = true;
            }
        }
        if (found && !n_covered) {
            found = false; /* nothing left to read it for (all listed above) */
            n_group = 0;
        } else {
            n_group = n_covered;
        }
        char *where = inventory_auto(r->src)
                          ? xasprintf("s3://%s/%s", dest ? dest : "", prefix ? prefix : "")
                          : xstrdup(r->src->options.inventory);
        char *known = found ? aws_inventory_known_date(r, group, n_group) : NULL;
        inventory_report report = {0};
        bool reused = false;
        if (found && !inventory_read(r, dest, prefix, bucket, group, n_group, known, &report,
                                     &reused, &error)) {
            inventory_say(r, xasprintf("inventory %s: %s", where, error ? error : "unreadable"));
            found = false;
        } else if (!found && error) {
            inventory_say(r, xstrdup(error));
        } else if (found) {
            listed_any |= reused ? aws_inventory_reuse(r, group, n_group)
                                 : aws_inventory_use(r, &report, group, n_group);
        }
        inventory_report_clear(&report);
        free(known);
        if (!found) {
            /* no usable report: the tables are listed, as without one */
            for (size_t k = 0; k < n_group; k++)
                aws_storage_scan_start(r, group[k]);
            listed_any = true;
        }
        free(where);
        free(filter);
        free(error);
        free(dest);
        free(prefix);
        free(source);
        free(bucket);
    }
    free(group);
    free(done);
    if (listed_any) {
        http_client_run(r->src->http, stop);
        aws_rounds_run(&r->rounds, r->src->http, r->src->options.retry_base_ms, true, stop);
        aws_rounds_clear(&r->rounds);
    }
out:
    free(r->inventory_tables);
    r->inventory_tables = NULL;
    r->n_inventory = r->cap_inventory = 0;
}
