/* aws_s3tables.c: S3 Tables (table buckets) in a refresh: ListTableBuckets,
 * ListNamespaces and ListTables (the s3tables REST API, SigV4 service
 * "s3tables"), one database "BUCKET/NAMESPACE" per namespace, one Iceberg
 * table per table with GetTableMetadataLocation's metadataLocation and
 * warehouseLocation, measured from its metadata only: a table bucket's
 * warehouse cannot be listed (aws_formats_measure_metadata). An account
 * that has no S3 Tables, or may not read them (AccessDenied, an unknown
 * operation, a region or endpoint without the service: any answer to
 * ListTableBuckets but a 5xx), adds nothing and is no error. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/sigv4.h"
#include "collector/formats/formats.h"
#include "collector/glue_json.h"
#include "common/xalloc.h"

/* One GET waited for. */
typedef struct s3tables_call {
    aws_signing sign;
    json_object *out;
    char *error;
    long status;
    bool quiet; /* not allowed or not there: S3 Tables is not in use */
} s3tables_call;

static void s3tables_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((s3tables_call *)ctx)->sign, request);
}

/* Whether a failure says that S3 Tables is not there for this account
 * (not allowed, not a service of this endpoint or region: a 4xx, or no
 * answer at all) rather than that it failed (a 5xx). */
static bool s3tables_quiet(const http_response *response) {
    return response->status < 500;
}

static void s3tables_done(void *ctx, const http_response *response) {
    s3tables_call *c = ctx;
    c->status = response->status;
    if (response->error) {
        c->error = xstrdup(response->error);
        c->quiet = s3tables_quiet(response);
        return;
    }
    c->out = json_tokener_parse(response->body ? response->body : "");
    if (!c->out || !json_object_is_type(c->out, json_type_object)) {
        json_object_put(c->out);
        c->out = NULL;
        c->error = xstrdup("the answer is not a JSON object");
        c->quiet = true; /* an endpoint that is not S3 Tables */
    }
}

/* Appends "&key=value" (value URI-encoded; keys given in sorted order). */
static void s3tables_query_add(char **query, const char *key, const char *value) {
    if (!value)
        return;
    char *enc = sigv4_uri_encode(value, strlen(value), false);
    char *next = *query ? xasprintf("%s&%s=%s", *query, key, enc) : xasprintf("%s=%s", key, enc);
    free(enc);
    free(*query);
    *query = next;
}

/* The parts of the endpoint URL: "scheme://host" and the path prefix
 * (both malloc'd); the default port is left out of the Host header. */
static void s3tables_endpoint(const char *url, char **scheme, char **host, char **base) {
    const char *sep = strstr(url, "://");
    const char *h = sep ? sep + 3 : url;
    const char *slash = strchr(h, '/');
    *scheme = sep ? xstrndup(url, (size_t)(sep - url)) : xstrdup("https");
    *host = slash ? xstrndup(h, (size_t)(slash - h)) : xstrdup(h);
    *base = xstrdup(slash ? slash : "");
    size_t n = strlen(*base);
    while (n > 0 && (*base)[n - 1] == '/')
        (*base)[--n] = '\0';
    size_t k = strlen(*host);
    if ((strcmp(*scheme, "https") == 0 && k > 4 && strcmp(*host + k - 4, ":443") == 0) ||
        (strcmp(*scheme, "http") == 0 && k > 3 && strcmp(*host + k - 3, ":80") == 0))
        *strrchr(*host, ':') = '\0';
}

/* Queues GET `path` (encoded) ?query on the s3tables endpoint into `c`
 * (zeroed by the caller, alive until the client has run). */
static void s3tables_submit(aws_source *src, s3tables_call *c, const char *operation,
                            const char *path, const char *query) {
    char *scheme, *host, *base;
    s3tables_endpoint(src->config.endpoint_s3tables, &scheme, &host, &base);
    *c = (s3tables_call){.sign = {.src = src,
                                  .service = "s3tables",
                                  .host = xstrdup(host),
                                  .path = xasprintf("%s%s", base, path),
                                  .query = query ? xstrdup(query) : NULL,
                                  .body = "",
                                  .body_length = 0}};
    char *url = query ? xasprintf("%s://%s%s%s?%s", scheme, host, base, path, query)
                      : xasprintf("%s://%s%s%s", scheme, host, base, path);
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = s3tables_prepare,
                              .on_done = s3tables_done,
                              .ctx = c,
                              .operation = operation,
                              .kind = HTTP_KIND_CATALOG};
    http_client_submit(src->http, &spec);
    free(url);
    free(scheme);
    free(host);
    free(base);
}

/* The answer of a call that has run: *out, or false with *error ("S3
 * Tables <operation>: why") and *quiet; the call is cleared. */
static bool s3tables_finish(s3tables_call *call, const char *operation, json_object **out,
                            char **error, bool *quiet) {
    s3tables_call c = *call;
    bool ok = c.out != NULL;
    *quiet = !ok && c.quiet;
    if (ok)
        *out = c.out;
    else
        *error = xasprintf("S3 Tables %s: %s", operation, c.error ? c.error : "no answer");
    free(c.error);
    aws_request_signing_free(&c.sign);
    memset(call, 0, sizeof *call);
    return ok;
}

/* One GET, run to its end. */
static bool s3tables_get(aws_source *src, const char *operation, const char *path,
                         const char *query, json_object **out, char **error, bool *quiet) {
    s3tables_call c;
    s3tables_submit(src, &c, operation, path, query);
    http_client_run(src->http, NULL); /* never left with a call queued */
    return s3tables_finish(&c, operation, out, error, quiet);
}

/* Every item of `key` over the pages of one listing (continuationToken),
 * into a new array; NULL with *error. `first`: its first page, already
 * sent (NULL: sent here); it is cleared. */
static json_object *s3tables_list(aws_source *src, s3tables_call *first, const char *operation,
                                  const char *path, const char *namespace, const char *key,
                                  char **error, bool *quiet) {
    json_object *all = json_object_new_array();
    char *token = NULL;
    for (int page = 0; page < 10000; page++) {
        char *query = NULL;
        s3tables_query_add(&query, "continuationToken", token);
        s3tables_query_add(&query, "namespace", namespace);
        json_object *out = NULL;
        bool ok = page == 0 && first
                      ? s3tables_finish(first, operation, &out, error, quiet)
                      : s3tables_get(src, operation, path, query, &out, error, quiet);
        free(query);
        if (!ok) {
            json_object_put(all);
            all = NULL;
            break;
        }
        json_object *items = glue_json_array(out, key);
        for (size_t i = 0; items && i < json_object_array_length(items); i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        const char *next = glue_json_string(out, "continuationToken");
        bool again = next && *next && (!token || strcmp(next, token) != 0);
        free(token);
        token = again ? xstrdup(next) : NULL;
        json_object_put(out);
        if (!again)
            break;
    }
    free(token);
    return all;
}

static int64_t s3tables_time(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? glue_json_time(v) : -1;
}

/* The namespace's name: the first (only) element of "namespace". */
static const char *s3tables_namespace(json_object *o) {
    json_object *ns = glue_json_array(o, "namespace");
    json_object *first =
        ns && json_object_array_length(ns) ? json_object_array_get_idx(ns, 0) : NULL;
    return first && json_object_is_type(first, json_type_string) ? json_object_get_string(first)
                                                                 : NULL;
}

static table_stats *s3tables_add_table(aws_refresh *r, const char *database, const char *name) {
    lake_snapshot *s = r->snap;
    s->tables = xgrow(s->tables, &r->cap_tables, s->n_tables + 1, sizeof *s->tables);
    table_stats *t = &s->tables[s->n_tables++];
    memset(t, 0, sizeof *t);
    t->database = xstrdup(database);
    t->name = xstrdup(name);
    t->format = xstrdup("parquet");
    t->table_type = xstrdup("EXTERNAL_TABLE");
    t->location = xstrdup("");
    t->create_time = t->update_time = -1;
    t->last_access_time = t->retention = t->lake_formation = -1;
    t->objects = t->bytes = t->partitions = t->marker_objects = -1;
    t->newest_object = -1;
    t->scanned_at = -1;
    t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_ICEBERG;
    return t;
}

/* GetTableMetadataLocation of one table, queued (all of a bucket's go
 * together: the client sends them side by side). */
static void s3tables_locate_submit(aws_source *src, s3tables_call *c, const char *arn_path,
                                   const char *namespace, const char *table) {
    char *ns = sigv4_uri_encode(namespace, strlen(namespace), false);
    char *name = sigv4_uri_encode(table, strlen(table), false);
    char *path = xasprintf("/tables/%s/%s/%s/metadata-location", arn_path, ns, name);
    s3tables_submit(src, c, "GetTableMetadataLocation", path, NULL);
    free(path);
    free(name);
    free(ns);
}

/* Its answer into t. */
static void s3tables_locate_finish(s3tables_call *c, table_stats *t) {
    json_object *out = NULL;
    char *error = NULL;
    bool quiet = false;
    if (s3tables_finish(c, "GetTableMetadataLocation", &out, &error, &quiet)) {
        const char *metadata = glue_json_string(out, "metadataLocation");
        const char *warehouse = glue_json_string(out, "warehouseLocation");
        if (warehouse) {
            free(t->location);
            t->location = xstrdup(warehouse);
        }
        if (metadata) { /* as Glue's entry of an Iceberg table has it */
            t->parameters = xcalloc(2, sizeof *t->parameters);
            t->parameters[0] = (table_param){xstrdup("table_type"), xstrdup("ICEBERG")};
            t->parameters[1] = (table_param){xstrdup("metadata_location"), xstrdup(metadata)};
            t->n_parameters = 2;
        }
        json_object_put(out);
        if (!metadata) /* a table made but never written */
            t->objects = t->bytes = t->records = 0;
    } else {
        t->error = error;
        error = NULL;
    }
    free(error);
}

/* One table bucket: its namespaces as databases, their tables. */
static void s3tables_bucket(aws_refresh *r, json_object *bucket) {
    aws_source *src = r->src;
    const char *arn = glue_json_string(bucket, "arn");
    const char *bucket_name = glue_json_string(bucket, "name");
    if (!arn || !bucket_name)
        return;
    char *arn_path = sigv4_uri_encode(arn, strlen(arn), false);
    char *path = xasprintf("/namespaces/%s", arn_path);
    char *error = NULL;
    bool quiet = false;
    json_object *namespaces =
        s3tables_list(src, NULL, "ListNamespaces", path, NULL, "namespaces", &error, &quiet);
    free(path);
    char **of = NULL; /* the namespace of each table from `first` */
    size_t first = r->snap->n_tables, n_of = 0, cap_of = 0;
    for (size_t i = 0; namespaces && i < json_object_array_length(namespaces); i++) {
        json_object *n = json_object_array_get_idx(namespaces, i);
        const char *namespace = s3tables_namespace(n);
        if (!namespace)
            continue;
        lake_snapshot *s = r->snap;
        s->databases =
            xgrow(s->databases, &r->cap_databases, s->n_databases + 1, sizeof *s->databases);
        database_stats *d = &s->databases[s->n_databases++];
        memset(d, 0, sizeof *d);
        d->name = xasprintf("%s/%s", bucket_name, namespace);
        d->description = xasprintf("S3 Tables namespace %s of table bucket %s", namespace, arn);
        d->location = xstrdup("");
        d->create_time = s3tables_time(n, "createdAt");
        path = xasprintf("/tables/%s", arn_path);
        char *why = NULL;
        json_object *tables =
            s3tables_list(src, NULL, "ListTables", path, namespace, "tables", &why, &quiet);
        free(path);
        if (!tables) {
            s->databases[s->n_databases - 1].error = why;
            why = NULL;
        }
        for (size_t k = 0; tables && k < json_object_array_length(tables); k++) {
            json_object *o = json_object_array_get_idx(tables, k);
            const char *name = glue_json_string(o, "name");
            if (!name)
                continue;
            char *database = xstrdup(s->databases[s->n_databases - 1].name);
            table_stats *t = s3tables_add_table(r, database, name);
            free(database);
            t->create_time = s3tables_time(o, "createdAt");
            t->update_time = s3tables_time(o, "modifiedAt");
            of = xgrow(of, &cap_of, n_of + 1, sizeof *of);
            of[n_of++] = xstrdup(namespace);
        }
        json_object_put(tables);
        free(why);
    }
    /* every table's GetTableMetadataLocation side by side (the calls are
     * the requests' contexts: the array does not move while they run) */
    s3tables_call *calls = xcalloc(n_of ? n_of : 1, sizeof *calls);
    for (size_t i = 0; i < n_of; i++)
        s3tables_locate_submit(src, &calls[i], arn_path, of[i], r->snap->tables[first + i].name);
    http_client_run(src->http, NULL); /* never left with a call queued */
    for (size_t i = 0; i < n_of; i++) {
        s3tables_locate_finish(&calls[i], &r->snap->tables[first + i]);
        free(of[i]);
    }
    free(calls);
    free(of);
    if (!namespaces && !quiet && !r->snap->error) {
        r->snap->error = error;
        error = NULL;
    }
    json_object_put(namespaces);
    free(error);
    free(arn_path);
}

struct aws_s3tables_first {
    s3tables_call call;
};

struct aws_s3tables_first *aws_s3tables_start(aws_source *src) {
    if (!src->config.endpoint_s3tables)
        return NULL;
    struct aws_s3tables_first *first = xcalloc(1, sizeof *first);
    s3tables_submit(src, &first->call, "ListTableBuckets", "/buckets", NULL);
    return first;
}

void aws_s3tables_discard(struct aws_s3tables_first *first) {
    if (!first)
        return;
    json_object *out = NULL;
    char *error = NULL;
    bool quiet;
    if (s3tables_finish(&first->call, "ListTableBuckets", &out, &error, &quiet))
        json_object_put(out);
    free(error);
    free(first);
}

void aws_s3tables_scan(aws_refresh *r, struct aws_s3tables_first *first) {
    aws_source *src = r->src;
    if (!first)
        return; /* no S3 Tables endpoint (aws_s3tables_start) */
    char *error = NULL;
    bool quiet = false;
    http_client_run(src->http, NULL); /* its answer is in (the refresh ran the client) */
    json_object *buckets = s3tables_list(src, &first->call, "ListTableBuckets", "/buckets", NULL,
                                         "tableBuckets", &error, &quiet);
    free(first);
    if (!buckets) {
        /* not allowed, or no such service here: S3 Tables is not in use */
        if (!quiet && !r->snap->error) {
            r->snap->error = error;
            error = NULL;
        }
        free(error);
        return;
    }
    size_t added = r->snap->n_tables; /* the first table of the table buckets */
    for (size_t i = 0; i < json_object_array_length(buckets); i++) {
        if (src->stop && __atomic_load_n(src->stop, __ATOMIC_RELAXED))
            break;
        s3tables_bucket(r, json_object_array_get_idx(buckets, i));
    }
    json_object_put(buckets);
    for (size_t i = added; i < r->snap->n_tables; i++) {
        table_stats *t = &r->snap->tables[i];
        if (!t->error && t->n_parameters)
            aws_formats_measure_metadata(src, t);
    }
}
