/* aws_source.c: Glue catalog + S3 listing statistics over SigV4. */
#include "collector/aws/aws_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "collector/glue_json.h"
#include "collector/aws/http.h"
#include "collector/figures/queries.h"
#include "collector/aws/s3_list.h"
#include "collector/figures/schema.h"
#include "collector/aws/sigv4.h"
#include "collector/storage.h"

typedef struct aws_table_memo {
    char *key;
    int64_t update_time;
    int64_t changed_at; /* -1: not known (the versions are read again) */
    schema_change *changes;
    size_t n_changes;
    /* the catalog's partition count, and when it was taken (GetPartitions
     * pages through every partition: at most every AWS_PARTITIONS_EVERY) */
    int64_t partitions;
    int64_t partitions_at;
    bool partitions_recalled; /* this refresh used it */
} aws_table_memo;

#define AWS_PARTITIONS_EVERY 600

/* ---- Glue ---------------------------------------------------------------- */

/* Versions of one table, gathered over GetTableVersions pages. */
typedef struct glue_versions {
    schema_version *list;
    size_t n, cap;
} glue_versions;

typedef struct glue_call {
    aws_signing sign;
    char *operation;
    char *target;   /* "AWSGlue.GetTables" */
    char *database; /* GetTables, GetPartitions, GetTableVersions */
    size_t database_index;
    char *table; /* GetPartitions, GetTableVersions */
    size_t table_index;
    int segment; /* GetPartitions: SegmentNumber, -1 for none */
    bool paged;  /* a page after the first (it had a NextToken) */
    char *body;
} glue_call;

#define GLUE_PARTITION_SEGMENTS 4

static void glue_submit(aws_source *src, const char *operation, const char *database,
                        size_t database_index, const char *next_token);
static void glue_submit_table(aws_source *src, const char *operation, size_t table_index,
                              int segment, const char *next_token);

static void glue_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    glue_call *g = ctx;
    aws_request_sign(&g->sign, request);
}

static void glue_call_free(glue_call *g) {
    aws_request_signing_free(&g->sign);
    free(g->operation);
    free(g->target);
    free(g->database);
    free(g->table);
    free(g->body);
    free(g);
}

static void aws_s3_scan_start(aws_source *src, size_t table_index);

static database_stats *aws_add_database(aws_source *src) {
    lake_snapshot *s = src->snap;
    s->databases =
        xgrow(s->databases, &src->cap_databases, s->n_databases + 1, sizeof *s->databases);
    database_stats *d = &s->databases[s->n_databases++];
    memset(d, 0, sizeof *d);
    d->create_time = -1;
    return d;
}

static void glue_on_databases(aws_source *src, json_object *out) {
    json_object *list;
    if (!json_object_object_get_ex(out, "DatabaseList", &list) ||
        !json_object_is_type(list, json_type_array)) {
        src->fatal = xstrdup("Glue GetDatabases: the answer has no DatabaseList");
        return;
    }
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i);
        database_stats *d = aws_add_database(src);
        char *error = NULL;
        if (!glue_json_database(o, d, &error)) {
            d->name = d->name ? d->name : xasprintf("(database %zu)", i);
            d->error = xasprintf("Glue GetDatabases: %s", error);
            free(error);
            continue;
        }
        json_object *target, *v;
        if (json_object_object_get_ex(o, "TargetDatabase", &target)) {
            const char *catalog = "", *name = "";
            if (json_object_object_get_ex(target, "CatalogId", &v))
                catalog = json_object_get_string(v);
            if (json_object_object_get_ex(target, "DatabaseName", &v))
                name = json_object_get_string(v);
            d->shared_from = xasprintf("%s:%s", catalog, name);
        }
        glue_submit(src, "GetTables", d->name, src->snap->n_databases - 1, NULL);
    }
}

static void glue_on_crawlers(aws_source *src, json_object *out) {
    json_object *list;
    if (!json_object_object_get_ex(out, "Crawlers", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    lake_snapshot *s = src->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i);
        json_object *name;
        if (!json_object_object_get_ex(o, "Name", &name))
            continue;
        s->crawlers =
            xgrow(s->crawlers, &src->cap_crawlers, s->n_crawlers + 1, sizeof *s->crawlers);
        aws_crawlers_from_json(o, &s->crawlers[s->n_crawlers++]);
    }
}

/* GetCrawlerMetrics: tables created, updated and deleted by each crawler's
 * last run, matched by name to the crawlers GetCrawlers gave. */
static void glue_on_crawler_metrics(aws_source *src, json_object *out) {
    json_object *list;
    if (!json_object_object_get_ex(out, "CrawlerMetricsList", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    lake_snapshot *s = src->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i), *v;
        const char *name =
            json_object_object_get_ex(o, "CrawlerName", &v) ? json_object_get_string(v) : NULL;
        for (size_t k = 0; name && k < s->n_crawlers; k++) {
            crawler_info *c = &s->crawlers[k];
            if (!c->name || strcmp(c->name, name) != 0)
                continue;
            if (json_object_object_get_ex(o, "TablesCreated", &v) &&
                json_object_is_type(v, json_type_int))
                c->tables_created = json_object_get_int64(v);
            if (json_object_object_get_ex(o, "TablesUpdated", &v) &&
                json_object_is_type(v, json_type_int))
                c->tables_updated = json_object_get_int64(v);
            if (json_object_object_get_ex(o, "TablesDeleted", &v) &&
                json_object_is_type(v, json_type_int))
                c->tables_deleted = json_object_get_int64(v);
        }
    }
}

/* ---- what is remembered of each table between refreshes -------------------- */

static char *aws_memo_key(const char *database, const char *table) {
    return xasprintf("%s\t%s", database, table);
}

static int aws_memo_cmp(const void *a, const void *b) {
    return strcmp(((const aws_table_memo *)a)->key, ((const aws_table_memo *)b)->key);
}

static void aws_memo_forget(aws_source *src) {
    for (size_t i = 0; i < src->n_memos; i++) {
        free(src->memos[i].key);
        schema_changes_free(src->memos[i].changes, src->memos[i].n_changes);
    }
    free(src->memos);
    src->memos = NULL;
    src->n_memos = 0;
}

static aws_table_memo *aws_memo_find(aws_source *src, const char *database, const char *table) {
    if (!src->n_memos)
        return NULL;
    aws_table_memo probe = {.key = aws_memo_key(database, table)};
    aws_table_memo *m = bsearch(&probe, src->memos, src->n_memos, sizeof *src->memos, aws_memo_cmp);
    free(probe.key);
    return m;
}

/* The catalog's partition count of the last refreshes while it is younger
 * than AWS_PARTITIONS_EVERY; false when it must be counted. */
static bool aws_partitions_recall(aws_source *src, table_stats *t) {
    aws_table_memo *m = aws_memo_find(src, t->database, t->name);
    int64_t now = clock_now();
    if (!m || m->partitions < 0 || now - m->partitions_at >= AWS_PARTITIONS_EVERY ||
        now < m->partitions_at)
        return false;
    t->catalog_partitions = m->partitions;
    m->partitions_recalled = true;
    return true;
}

/* The last refresh's answer for a table not updated since; false when
 * there is none (the versions must be read). */
static bool aws_schema_recall(aws_source *src, table_stats *t) {
    const aws_table_memo *m = aws_memo_find(src, t->database, t->name);
    if (!m || t->update_time < 0 || m->update_time != t->update_time || m->changed_at < 0)
        return false;
    t->schema_changed_at = m->changed_at;
    t->schema_changes = schema_changes_copy(m->changes, m->n_changes);
    t->n_schema_changes = m->n_changes;
    return true;
}

/* Remembers this refresh's answers (replacing the last); a partition count
 * that was recalled keeps the time it was taken. */
static void aws_memo_remember(aws_source *src, const lake_snapshot *s) {
    aws_table_memo *memo = xcalloc(s->n_tables ? s->n_tables : 1, sizeof *memo);
    size_t n = 0;
    int64_t now = clock_now();
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        if (t->error)
            continue;
        const aws_table_memo *old = aws_memo_find(src, t->database, t->name);
        bool versions = t->update_time >= 0 && t->schema_changed_at >= 0;
        memo[n++] = (aws_table_memo){
            .key = aws_memo_key(t->database, t->name),
            .update_time = t->update_time,
            .changed_at = versions ? t->schema_changed_at : -1,
            .changes =
                versions ? schema_changes_copy(t->schema_changes, t->n_schema_changes) : NULL,
            .n_changes = versions ? t->n_schema_changes : 0,
            .partitions = t->catalog_partitions,
            .partitions_at = old && old->partitions_recalled ? old->partitions_at : now,
        };
    }
    aws_memo_forget(src);
    src->memos = memo;
    src->n_memos = n;
    qsort(src->memos, src->n_memos, sizeof *src->memos, aws_memo_cmp);
}

static void glue_on_tables(aws_source *src, glue_call *g, json_object *out) {
    json_object *list;
    if (!json_object_object_get_ex(out, "TableList", &list) ||
        !json_object_is_type(list, json_type_array)) {
        database_stats *d = &src->snap->databases[g->database_index];
        if (!d->error)
            d->error = xstrdup("Glue GetTables: the answer has no TableList");
        return;
    }
    lake_snapshot *s = src->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        s->tables = xgrow(s->tables, &src->cap_tables, s->n_tables + 1, sizeof *s->tables);
        table_stats *t = &s->tables[s->n_tables];
        memset(t, 0, sizeof *t);
        char *error = NULL;
        if (!glue_json_table(json_object_array_get_idx(list, i), g->database, t, &error)) {
            table_stats_clear(t);
            t->name = xasprintf("(table %zu)", i);
            t->location = xstrdup("");
            t->format = xstrdup("unknown");
            t->table_type = xstrdup("");
            t->create_time = t->update_time = -1;
            t->last_access_time = t->retention = t->lake_formation = -1;
            t->error = xasprintf("Glue GetTables: %s", error);
            free(error);
        }
        /* the database we asked for decides, as in the local lake */
        free(t->database);
        t->database = xstrdup(g->database);
        t->objects = t->bytes = t->partitions = t->marker_objects = -1;
        t->newest_object = -1;
        t->scanned_at = -1;
        t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
        s->n_tables++;
        if (!t->error) {
            if (t->n_partition_keys && !aws_partitions_recall(src, t)) {
                /* one page first; a table with more partitions than a page
                 * holds is read again in parallel segments */
                t->catalog_partitions = 0;
                glue_submit_table(src, "GetPartitions", s->n_tables - 1, -1, NULL);
            }
            /* a table at its first version: its columns changed when it was made */
            json_object *tv = json_object_array_get_idx(list, i), *vid;
            const char *version = json_object_object_get_ex(tv, "VersionId", &vid)
                                      ? json_object_get_string(vid)
                                      : NULL;
            if (version && atol(version) <= 0)
                t->schema_changed_at = t->create_time >= 0 ? t->create_time : t->update_time;
            else if (!aws_schema_recall(src, t))
                glue_submit_table(src, "GetTableVersions", s->n_tables - 1, -1, NULL);
        }
        /* a view has no storage of its own: nothing to list, nothing wrong */
        if (!t->error && strcmp(t->table_type, "VIRTUAL_VIEW") != 0)
            aws_s3_scan_start(src, s->n_tables - 1);
    }
}

/* True when the answer was a first unsegmented page of a big table: the
 * segments were submitted instead and the page is not counted. */
static bool glue_partitions_fan_out(aws_source *src, glue_call *g, json_object *out) {
    json_object *token;
    if (g->segment >= 0 || g->paged || !json_object_object_get_ex(out, "NextToken", &token))
        return false;
    for (int k = 0; k < GLUE_PARTITION_SEGMENTS; k++)
        glue_submit_table(src, "GetPartitions", g->table_index, k, NULL);
    return true;
}

static void glue_on_partitions(aws_source *src, glue_call *g, json_object *out) {
    json_object *list;
    table_stats *t = &src->snap->tables[g->table_index];
    if (t->catalog_partitions >= 0 && json_object_object_get_ex(out, "Partitions", &list) &&
        json_object_is_type(list, json_type_array))
        t->catalog_partitions += (int64_t)json_object_array_length(list);
}

/* The versions being gathered, per table index (NULL: none yet). */
static glue_versions *glue_versions_of(aws_source *src, size_t table_index, bool create) {
    if (table_index >= src->n_versions) {
        if (!create)
            return NULL;
        size_t old = src->n_versions;
        src->versions =
            xgrow(src->versions, &src->cap_versions, table_index + 1, sizeof *src->versions);
        memset(src->versions + old, 0, (table_index + 1 - old) * sizeof *src->versions);
        src->n_versions = table_index + 1;
    }
    if (!src->versions[table_index] && create)
        src->versions[table_index] = xcalloc(1, sizeof(glue_versions));
    return src->versions[table_index];
}

static void glue_versions_drop(aws_source *src, size_t table_index) {
    glue_versions *v = glue_versions_of(src, table_index, false);
    if (!v)
        return;
    schema_versions_free(v->list, v->n);
    free(v);
    src->versions[table_index] = NULL;
}

static void glue_on_versions(aws_source *src, glue_call *g, json_object *out) {
    json_object *list;
    if (!json_object_object_get_ex(out, "TableVersions", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    glue_versions *v = glue_versions_of(src, g->table_index, true);
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *tv = json_object_array_get_idx(list, i), *table, *id;
        if (!json_object_object_get_ex(tv, "Table", &table) ||
            !json_object_object_get_ex(tv, "VersionId", &id))
            continue;
        json_object *when = NULL;
        if (!json_object_object_get_ex(table, "UpdateTime", &when))
            json_object_object_get_ex(table, "CreateTime", &when);
        v->list = xgrow(v->list, &v->cap, v->n + 1, sizeof *v->list);
        schema_version *sv = &v->list[v->n++];
        sv->id = atol(json_object_get_string(id));
        sv->time = glue_json_time(when);
        glue_json_table_columns(table, &sv->columns, &sv->n_columns);
    }
}

/* The newest version whose columns differ from the one before it. */
static void glue_versions_finish(aws_source *src, size_t table_index) {
    glue_versions *v = glue_versions_of(src, table_index, false);
    if (v)
        schema_apply_versions(&src->snap->tables[table_index], v->list, v->n);
    glue_versions_drop(src, table_index);
}

static void glue_done(void *ctx, const http_response *response) {
    glue_call *g = ctx;
    aws_source *src = g->sign.src;
    bool databases = strcmp(g->operation, "GetDatabases") == 0;
    bool metrics = strcmp(g->operation, "GetCrawlerMetrics") == 0;
    bool crawlers = metrics || strcmp(g->operation, "GetCrawlers") == 0;
    if (response->error && crawlers) {
        /* no crawler access: the lake's figures still stand (metrics stay
         * unknown, -1) */
        free(src->crawler_error);
        src->crawler_error = xasprintf("Glue %s: %s", g->operation, response->error);
        glue_call_free(g);
        return;
    }
    if (response->error) {
        char *why =
            xasprintf("Glue %s%s%s at %s: %s", g->operation, g->database ? " " : "",
                      g->database ? g->database : "", src->config.endpoint_glue, response->error);
        if (databases) {
            if (!src->fatal)
                src->fatal = why;
            else
                free(why);
        } else if (g->table) {
            /* partitions and versions are extras: unknown, not an error */
            table_stats *t = &src->snap->tables[g->table_index];
            if (strcmp(g->operation, "GetPartitions") == 0)
                t->catalog_partitions = -1;
            else
                glue_versions_drop(src, g->table_index);
            free(why);
        } else {
            database_stats *d = &src->snap->databases[g->database_index];
            if (!d->error)
                d->error = why;
            else
                free(why);
        }
        glue_call_free(g);
        return;
    }
    json_tokener *tok = json_tokener_new();
    json_object *out = json_tokener_parse_ex(tok, response->body, (int)response->body_length);
    bool ok = json_tokener_get_error(tok) == json_tokener_success &&
              json_object_is_type(out, json_type_object);
    json_tokener_free(tok);
    if (!ok) {
        char *why = xasprintf("Glue %s: the answer is not a JSON object (%zu bytes)", g->operation,
                              response->body_length);
        if (databases && !src->fatal)
            src->fatal = why;
        else if (g->table || crawlers)
            free(why);
        else if (!databases && !src->snap->databases[g->database_index].error)
            src->snap->databases[g->database_index].error = why;
        else
            free(why);
        json_object_put(out);
        glue_call_free(g);
        return;
    }
    if (databases)
        glue_on_databases(src, out);
    else if (metrics)
        glue_on_crawler_metrics(src, out);
    else if (crawlers)
        glue_on_crawlers(src, out);
    else if (strcmp(g->operation, "GetTables") == 0)
        glue_on_tables(src, g, out);
    else if (strcmp(g->operation, "GetPartitions") == 0 && glue_partitions_fan_out(src, g, out)) {
        json_object_put(out);
        glue_call_free(g);
        return;
    } else if (strcmp(g->operation, "GetPartitions") == 0)
        glue_on_partitions(src, g, out);
    else
        glue_on_versions(src, g, out);
    json_object *token;
    const char *next = NULL;
    if (json_object_object_get_ex(out, "NextToken", &token) &&
        json_object_is_type(token, json_type_string) && json_object_get_string_len(token) > 0)
        next = json_object_get_string(token);
    if (next && g->table)
        glue_submit_table(src, g->operation, g->table_index, g->segment, next);
    else if (next)
        glue_submit(src, g->operation, g->database, g->database_index, next);
    else if (strcmp(g->operation, "GetTableVersions") == 0)
        glue_versions_finish(src, g->table_index);
    else if (crawlers && !metrics && src->snap->n_crawlers)
        glue_submit(src, "GetCrawlerMetrics", NULL, 0, NULL); /* every crawler is known */
    json_object_put(out);
    glue_call_free(g);
}

static void glue_submit(aws_source *src, const char *operation, const char *database,
                        size_t database_index, const char *next_token) {
    glue_call *g = xcalloc(1, sizeof *g);
    g->operation = xstrdup(operation);
    g->target = xasprintf("AWSGlue.%s", operation);
    g->database = database ? xstrdup(database) : NULL;
    g->database_index = database_index;
    json_object *in = json_object_new_object();
    if (database)
        json_object_object_add(in, "DatabaseName", json_object_new_string(database));
    if (next_token)
        json_object_object_add(in, "NextToken", json_object_new_string(next_token));
    json_object_object_add(in, "MaxResults", json_object_new_int(100));
    g->body = xstrdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN));
    json_object_put(in);
    aws_request_glue_send(src, &g->sign, g->target, g->body, glue_prepare, glue_done, g, false);
}

static void glue_submit_table(aws_source *src, const char *operation, size_t table_index,
                              int segment, const char *next_token) {
    const table_stats *t = &src->snap->tables[table_index];
    glue_call *g = xcalloc(1, sizeof *g);
    g->operation = xstrdup(operation);
    g->target = xasprintf("AWSGlue.%s", operation);
    g->database = xstrdup(t->database);
    g->table = xstrdup(t->name);
    g->table_index = table_index;
    g->segment = segment;
    g->paged = next_token != NULL;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "DatabaseName", json_object_new_string(t->database));
    json_object_object_add(in, "TableName", json_object_new_string(t->name));
    if (segment >= 0) {
        json_object *seg = json_object_new_object();
        json_object_object_add(seg, "SegmentNumber", json_object_new_int(segment));
        json_object_object_add(seg, "TotalSegments", json_object_new_int(GLUE_PARTITION_SEGMENTS));
        json_object_object_add(in, "Segment", seg);
        json_object_object_add(in, "ExcludeColumnSchema", json_object_new_boolean(1));
    }
    if (next_token)
        json_object_object_add(in, "NextToken", json_object_new_string(next_token));
    json_object_object_add(in, "MaxResults", json_object_new_int(segment >= 0 ? 1000 : 100));
    g->body = xstrdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN));
    json_object_put(in);
    aws_request_glue_send(src, &g->sign, g->target, g->body, glue_prepare, glue_done, g, true);
}

/* ---- S3 ------------------------------------------------------------------ */

#define S3_PAGE_KEYS 1000       /* S3's page size */
#define S3_DIRS_PER_RANGE 16    /* a first guess at directories worth a stream */
#define S3_FLAT_MAX_OBJECTS 400 /* listed flat: fits a page with room for markers and growth */

typedef struct s3_scan {
    aws_source *src;
    size_t table;
    char *bucket;
    char *prefix;
    size_t partition_depth;
    char **dirs; /* the table's top-level directories, sorted as S3 sorts */
    size_t n_dirs;
    size_t cap_dirs;
    int64_t objects, bytes, newest, markers, partitions;
    int streams;
    char *error;
} s3_scan;

/* The figures of one page, merged into the scan only when the page is whole
 * (a retried page starts them over). */
typedef struct s3_page {
    int64_t objects, bytes, newest, markers, partitions;
    char **dirs;
    size_t n_dirs;
    size_t cap_dirs;
    char *last_key; /* a buffer: last_key_cap bytes */
    size_t last_key_cap;
    size_t keys;     /* keys seen in the page (markers too) */
    char *first_key; /* the page's first key (for the density of its directories) */
    char *last_partition;
    bool past_end;
} s3_page;

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
} s3_stream;

static void s3_page_reset(s3_page *p, const char *last_partition) {
    for (size_t i = 0; i < p->n_dirs; i++)
        free(p->dirs[i]);
    free(p->dirs);
    free(p->last_key);
    free(p->first_key);
    free(p->last_partition);
    memset(p, 0, sizeof *p);
    p->newest = -1;
    p->last_partition = last_partition ? xstrdup(last_partition) : NULL;
}

static void s3_on_object(void *ctx, const s3_object *o) {
    s3_stream *st = ctx;
    s3_scan *scan = st->scan;
    s3_page *page = &st->page;
    size_t plen = strlen(scan->prefix);
    if (strncmp(o->key, scan->prefix, plen) != 0 || page->past_end)
        return;
    const char *rest = o->key + plen;
    if (!st->discovery && !st->flat) {
        /* only keys inside this stream's directories */
        if (!strchr(rest, '/'))
            return; /* a top-level object: the discovery listing counts it */
        if (st->first_dir < scan->n_dirs && strcmp(o->key, scan->dirs[st->first_dir]) < 0)
            return;
        if (st->end_dir < scan->n_dirs && strcmp(o->key, scan->dirs[st->end_dir]) >= 0) {
            page->past_end = true;
            return;
        }
    }
    size_t key_length = strlen(o->key);
    page->last_key = xgrow(page->last_key, &page->last_key_cap, key_length + 1, 1);
    memcpy(page->last_key, o->key, key_length + 1);
    if (page->keys++ == 0)
        page->first_key = xstrdup(o->key);
    /* inside a hidden directory (_temporary/, .spark-staging/): skipped, as
     * the local lake and Athena skip it */
    for (const char *c = rest; *c;) {
        const char *slash = strchr(c, '/');
        if (!slash)
            break;
        if (*c == '_' || *c == '.')
            return;
        c = slash + 1;
    }
    if (storage_is_marker_key(o->key)) {
        page->markers++;
        return;
    }
    page->objects++;
    page->bytes += o->size;
    if (o->last_modified > page->newest)
        page->newest = o->last_modified;
    size_t plength =
        scan->partition_depth ? storage_partition_prefix_length(rest, scan->partition_depth) : 0;
    if (plength && !(page->last_partition && strlen(page->last_partition) == plength &&
                     memcmp(page->last_partition, rest, plength) == 0)) {
        page->partitions++;
        free(page->last_partition);
        page->last_partition = xstrndup(rest, plength);
    }
}

static void s3_on_prefix(void *ctx, const char *prefix) {
    s3_stream *st = ctx;
    if (!st->discovery)
        return;
    s3_page *page = &st->page;
    page->dirs = xgrow(page->dirs, &page->cap_dirs, page->n_dirs + 1, sizeof *page->dirs);
    page->dirs[page->n_dirs++] = xstrdup(prefix);
}

static void s3_stream_submit(s3_stream *st);

static void s3_scan_finish(s3_scan *scan) {
    aws_source *src = scan->src;
    table_stats *t = &src->snap->tables[scan->table];
    if (scan->error) {
        t->error = scan->error;
        scan->error = NULL;
    } else {
        t->objects = scan->objects;
        t->bytes = scan->bytes;
        t->newest_object = scan->newest;
        t->marker_objects = scan->markers;
        t->partitions = scan->partitions;
    }
    for (size_t i = 0; i < scan->n_dirs; i++)
        free(scan->dirs[i]);
    free(scan->dirs);
    free(scan->bucket);
    free(scan->prefix);
    free(scan);
    src->scans_left--;
}

static s3_stream *s3_stream_new(s3_scan *scan, bool discovery, size_t first, size_t end) {
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
    free(st);
}

/* Index of the directory a key is in (keys beyond the last: n_dirs - 1). */
static size_t s3_dir_of(const s3_scan *scan, const char *key) {
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

static void s3_stream_attempt(void *ctx) {
    s3_stream *st = ctx;
    s3_list_parser_reset(st->parser);
    s3_page_reset(&st->page, st->last_partition);
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

/* Splits the rest of a busy stream's range when request slots are idle:
 * into as many parts as there are idle slots, but none smaller than a full
 * page going by the density of the directories the last page covered. */
static void s3_stream_maybe_split(s3_stream *st) {
    s3_scan *scan = st->scan;
    if (st->discovery || !st->page.last_key || !st->page.first_key)
        return;
    int idle = http_client_idle_slots(scan->src->http);
    if (idle < 1)
        return;
    size_t at = s3_dir_of(scan, st->page.last_key);
    size_t from = s3_dir_of(scan, st->page.first_key);
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
            s3_stream_submit(s3_stream_new(scan, false, a, b));
    }
}

static void s3_stream_done(void *ctx, const http_response *response) {
    s3_stream *st = ctx;
    s3_scan *scan = st->scan;
    aws_source *src = scan->src;
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
        free(st->token);
        st->token = more ? xstrdup(token) : NULL;
        if (more)
            s3_stream_maybe_split(st);
    }
    if (more) {
        s3_page_reset(&st->page, st->last_partition);
        s3_list_parser_free(st->parser);
        st->parser = NULL;
        s3_stream_submit(st);
        return;
    }
    bool discovery = st->discovery;
    s3_stream_free(st);
    scan->streams--;
    if (discovery && ok && scan->n_dirs > 0 && !scan->error) {
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
            s3_stream_submit(s3_stream_new(scan, false, first, end));
        }
        return;
    }
    if (scan->streams == 0)
        s3_scan_finish(scan);
}

static void s3_stream_submit(s3_stream *st) {
    s3_scan *scan = st->scan;
    aws_source *src = scan->src;
    char *before = NULL;
    if (!st->token && !st->discovery && st->first_dir < scan->n_dirs) {
        /* just before the first directory: its name without the final '/' */
        const char *dir = scan->dirs[st->first_dir];
        before = xstrndup(dir, strlen(dir) - 1);
    }
    char *query = aws_request_list_query(st->token, st->discovery, scan->prefix, before);
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
                              .ctx = st};
    http_client_submit(src->http, &spec);
    free(url);
}

static void aws_s3_scan_start(aws_source *src, size_t table_index) {
    table_stats *t = &src->snap->tables[table_index];
    s3_scan *scan = xcalloc(1, sizeof *scan);
    if (!storage_s3_parse(t->location, &scan->bucket, &scan->prefix, NULL)) {
        t->error = t->location[0] ? xasprintf("location %s is not on S3", t->location)
                                  : xstrdup("no StorageDescriptor.Location in the catalog");
        free(scan);
        return;
    }
    scan->src = src;
    scan->table = table_index;
    scan->partition_depth = t->n_partition_keys;
    scan->newest = -1;
    src->scans_left++;
    /* a table that had few objects last time: one flat listing (usually
     * one request) rather than its directories first, then their ranges */
    int64_t last = src->base.size_hint
                       ? src->base.size_hint(src->base.size_hint_ctx, t->database, t->name)
                       : -1;
    bool flat = last >= 0 && last <= S3_FLAT_MAX_OBJECTS;
    s3_stream *st = s3_stream_new(scan, !flat, 0, 0);
    st->flat = flat;
    s3_stream_submit(st);
}

/* ---- the source ---------------------------------------------------------- */

/* Query counts from Athena: every work group's executions, newest first,
 * 50 at a time (ListQueryExecutions, then BatchGetQueryExecution), until
 * one is older than the window. A failure (say, no Athena permission)
 * leaves the counts unknown and says why; the rest of the snapshot stands. */
/* Runs an Athena pass when the last is older than AWS_ATHENA_EVERY (the
 * history changes slowly and a pass may take many requests), and gives the
 * snapshot its counts. */
#define AWS_ATHENA_EVERY 900
static void aws_athena_counts(aws_source *src, lake_snapshot *s, const bool *stop);
static void aws_athena_apply(aws_source *src, lake_snapshot *s, const bool *stop) {
    int64_t now = clock_now();
    if (!src->athena_at || now - src->athena_at >= AWS_ATHENA_EVERY || now < src->athena_at) {
        aws_athena_counts(src, s, stop);
        if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
            return;
        src->athena_at = now;
        json_object_put(src->athena_counts);
        src->athena_counts = NULL;
        free(src->athena_error);
        src->athena_error = s->queries_error ? xstrdup(s->queries_error) : NULL;
        src->athena_unparsed = s->queries_unparsed;
        if (s->has_queries) {
            src->athena_counts = json_object_new_object();
            for (size_t i = 0; i < s->n_tables; i++) {
                char *key = xasprintf("%s.%s", s->tables[i].database, s->tables[i].name);
                json_object_object_add(src->athena_counts, key,
                                       json_object_new_int64(s->tables[i].queries_30d));
                free(key);
            }
        }
        return;
    }
    if (src->athena_error)
        s->queries_error = xstrdup(src->athena_error);
    if (!src->athena_counts)
        return;
    s->has_queries = true;
    s->queries_unparsed = src->athena_unparsed;
    for (size_t i = 0; i < s->n_tables; i++) {
        char *key = xasprintf("%s.%s", s->tables[i].database, s->tables[i].name);
        json_object *v;
        s->tables[i].queries_30d = json_object_object_get_ex(src->athena_counts, key, &v)
                                       ? json_object_get_int64(v)
                                       : 0; /* a new table: not queried in the last pass */
        free(key);
    }
}

static void aws_athena_counts(aws_source *src, lake_snapshot *s, const bool *stop) {
    json_object *groups = json_object_new_array();
    char *error = NULL, *token = NULL;
    bool ok = true;
    do { /* ListWorkGroups */
        json_object *in = json_object_new_object(), *out = NULL, *list, *next;
        json_object_object_add(in, "MaxResults", json_object_new_int(50));
        if (token)
            json_object_object_add(in, "NextToken", json_object_new_string(token));
        free(token);
        token = NULL;
        ok = aws_request_athena_one(src, "ListWorkGroups", in, &out, &error);
        json_object_put(in);
        if (ok && json_object_object_get_ex(out, "WorkGroups", &list))
            for (size_t i = 0; i < json_object_array_length(list); i++) {
                json_object *name;
                if (json_object_object_get_ex(json_object_array_get_idx(list, i), "Name", &name))
                    json_object_array_add(groups, json_object_get(name));
            }
        if (ok && json_object_object_get_ex(out, "NextToken", &next))
            token = xstrdup(json_object_get_string(next));
        json_object_put(out);
    } while (ok && token);
    query_tally tally = {0};
    if (ok)
        queries_begin(&tally, s, clock_now());
    for (size_t g = 0; ok && g < json_object_array_length(groups); g++) {
        const char *group = json_object_get_string(json_object_array_get_idx(groups, g));
        bool more = true;
        while (ok && more && !(stop && __atomic_load_n(stop, __ATOMIC_RELAXED))) {
            json_object *in = json_object_new_object(), *out = NULL, *ids, *next;
            json_object_object_add(in, "WorkGroup", json_object_new_string(group));
            json_object_object_add(in, "MaxResults", json_object_new_int(50));
            if (token)
                json_object_object_add(in, "NextToken", json_object_new_string(token));
            free(token);
            token = NULL;
            ok = aws_request_athena_one(src, "ListQueryExecutions", in, &out, &error);
            json_object_put(in);
            if (ok && json_object_object_get_ex(out, "QueryExecutionIds", &ids) &&
                json_object_array_length(ids) > 0) {
                json_object *batch = json_object_new_object(), *got = NULL, *list;
                json_object_object_add(batch, "QueryExecutionIds", json_object_get(ids));
                ok = aws_request_athena_one(src, "BatchGetQueryExecution", batch, &got, &error);
                json_object_put(batch);
                if (ok && json_object_object_get_ex(got, "QueryExecutions", &list))
                    for (size_t i = 0; i < json_object_array_length(list); i++)
                        if (!queries_add(&tally, json_object_array_get_idx(list, i)))
                            more = false; /* older than the window: the rest are too */
                json_object_put(got);
            }
            if (ok && more && json_object_object_get_ex(out, "NextToken", &next))
                token = xstrdup(json_object_get_string(next));
            else
                more = false;
            json_object_put(out);
        }
        free(token);
        token = NULL;
    }
    free(token);
    json_object_put(groups);
    if (tally.by_name)
        queries_end(&tally);
    if (!ok) {
        s->has_queries = false;
        s->queries_unparsed = 0;
        for (size_t i = 0; i < s->n_tables; i++)
            s->tables[i].queries_30d = -1;
        free(s->queries_error);
        s->queries_error = error;
    }
}

static bool aws_source_refresh(lake_source *self, lake_snapshot *s, const bool *stop,
                               char **error) {
    aws_source *src = (aws_source *)self;
    if (!aws_config_refresh(&src->config, clock_now(), error))
        return false;
    src->snap = s;
    src->cap_tables = src->cap_databases = src->cap_crawlers = 0;
    src->n_versions = 0;
    src->fatal = NULL;
    src->scans_left = 0;
    uint64_t sent = http_client_stats(src->http).requests;
    glue_submit(src, "GetDatabases", NULL, 0, NULL);
    glue_submit(src, "GetCrawlers", NULL, 0, NULL);
    http_client_run(src->http, stop);
    for (size_t i = 0; i < src->n_versions; i++)
        glue_versions_drop(src, i);
    src->snap = NULL;
    if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
        free(src->fatal);
        *error = NULL;
        return false;
    }
    if (src->fatal) {
        free(src->crawler_error);
        src->crawler_error = NULL;
        *error = src->fatal;
        src->fatal = NULL;
        return false;
    }
    if (src->crawler_error) {
        s->error = src->crawler_error; /* shown, not fatal */
        src->crawler_error = NULL;
    }
    aws_athena_apply(src, s, stop);
    aws_memo_remember(src, s);
    s->requests = (int64_t)(http_client_stats(src->http).requests - sent);
    return true;
}

static void aws_source_free(lake_source *self) {
    aws_source *src = (aws_source *)self;
    http_client_free(src->http);
    free(src->versions);
    aws_memo_forget(src);
    json_object_put(src->athena_counts);
    free(src->athena_error);
    aws_config_free(&src->config);
    free(src->base.name);
    free(src);
}

lake_source *aws_source_new(const aws_source_options *o, char **error) {
    aws_source *src = xcalloc(1, sizeof *src);
    src->options = *o;
    if (!aws_config_resolve(&o->request, &src->config, error)) {
        free(src);
        return NULL;
    }
    http_options ho = {.max_in_flight = o->concurrency > 0 ? o->concurrency : 32,
                       .ca_bundle = src->config.ca_bundle,
                       .retry_base_ms = o->retry_base_ms};
    src->http = http_client_new(&ho);
    bool custom = src->config.endpoint_overridden_s3 || o->request.endpoint_url;
    src->base.name = custom ? xasprintf("aws:%s@%s (%s)", src->config.profile, src->config.region,
                                        src->config.endpoint_glue)
                            : xasprintf("aws:%s@%s", src->config.profile, src->config.region);
    src->base.refresh = aws_source_refresh;
    src->base.read_catalog = NULL;
    src->base.dump_catalog = aws_catalog_dump;
    src->base.writes = &aws_catalog_writes;
    src->base.crawlers = &aws_crawlers;
    src->base.objects = &aws_object_store;
    src->base.free = aws_source_free;
    return &src->base;
}
