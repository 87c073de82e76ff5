/* aws_catalog_scan.c: a refresh's reading of the Glue catalog: databases
 * (GetDatabases), their tables (GetTables, each table's S3 scan started as
 * it arrives), partition counts (GetPartitions, in parallel segments for a
 * table with many), schema changes (GetTableVersions) and crawlers
 * (GetCrawlers, GetCrawlerMetrics), every page queued on the source's HTTP
 * client. What the memo remembers of a table is not read again. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/formats/formats.h"
#include "collector/aws/page_guard.h"
#include "collector/glue_json.h"
#include "common/xalloc.h"

#define GLUE_PARTITION_SEGMENTS 4

/* Versions of one table, gathered over GetTableVersions pages. */
typedef struct glue_versions {
    schema_version *list;
    size_t n, cap;
} glue_versions;

/* One page of one operation. */
typedef struct glue_call {
    aws_signing sign;
    aws_refresh *refresh;
    char *operation;
    char *target;   /* "AWSGlue.GetTables" */
    char *database; /* GetTables, GetPartitions, GetTableVersions */
    size_t database_index;
    char *table; /* GetPartitions, GetTableVersions */
    size_t table_index;
    int segment; /* GetPartitions: SegmentNumber, -1 for none */
    bool paged;  /* a page after the first (it had a NextToken) */
    bool background;
    char *body;
    page_guard *pages; /* the listing's tokens so far, handed to its next page */
} glue_call;

static void glue_done(void *ctx, const http_response *response);

static glue_call *glue_call_new(aws_refresh *r, const char *operation, const char *database) {
    glue_call *g = xcalloc(1, sizeof *g);
    g->refresh = r;
    g->operation = xstrdup(operation);
    g->target = xasprintf("AWSGlue.%s", operation);
    g->database = database ? xstrdup(database) : NULL;
    return g;
}

static void glue_call_free(glue_call *g) {
    aws_request_signing_free(&g->sign);
    free(g->operation);
    free(g->target);
    free(g->database);
    free(g->table);
    free(g->body);
    if (g->pages)
        page_guard_free(g->pages);
    free(g->pages);
    free(g);
}

static void glue_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    glue_call *g = ctx;
    aws_request_sign(&g->sign, request);
}

/* Queues the call with `in` (released) as its body. */
static void glue_call_send(glue_call *g, json_object *in, bool background) {
    g->body = xstrdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN));
    json_object_put(in);
    g->background = background;
    aws_request_glue_send(g->refresh->src, &g->sign, g->target, g->body, glue_prepare, glue_done, g,
                          background);
}

/* The same page again, in a later round of the refresh (aws_rounds.h). */
static void glue_resend(void *ctx) {
    glue_call *g = ctx;
    aws_request_signing_free(&g->sign);
    aws_request_glue_send(g->refresh->src, &g->sign, g->target, g->body, glue_prepare, glue_done, g,
                          g->background);
}

/* A page of an operation on the catalog or a database (GetDatabases,
 * GetCrawlers, GetCrawlerMetrics, GetTables). */
static glue_call *glue_submit(aws_refresh *r, const char *operation, const char *database,
                              size_t database_index, const char *next_token) {
    glue_call *g = glue_call_new(r, operation, database);
    g->database_index = database_index;
    json_object *in = json_object_new_object();
    if (database)
        json_object_object_add(in, "DatabaseName", json_object_new_string(database));
    if (next_token)
        json_object_object_add(in, "NextToken", json_object_new_string(next_token));
    json_object_object_add(in, "MaxResults", json_object_new_int(100));
    glue_call_send(g, in, false);
    return g;
}

/* A page of an operation on a table (GetPartitions, GetTableVersions): in
 * the background, behind the listings; segment -1 for none. */
static glue_call *glue_submit_table(aws_refresh *r, const char *operation, size_t table_index,
                                    int segment, const char *next_token) {
    const table_stats *t = &r->snap->tables[table_index];
    glue_call *g = glue_call_new(r, operation, t->database);
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
    glue_call_send(g, in, true);
    return g;
}

/* The array under `key` of an answer, or NULL. */
static json_object *glue_list(json_object *out, const char *key) {
    json_object *list;
    if (!json_object_object_get_ex(out, key, &list) || !json_object_is_type(list, json_type_array))
        return NULL;
    return list;
}

/* Keeps the first error said of a thing: `why` goes to *slot when it is
 * empty, else it is freed. */
static void glue_keep_first(char **slot, char *why) {
    if (!*slot)
        *slot = why;
    else
        free(why);
}

static database_stats *glue_add_database(aws_refresh *r) {
    lake_snapshot *s = r->snap;
    s->databases = xgrow(s->databases, &r->cap_databases, s->n_databases + 1, sizeof *s->databases);
    database_stats *d = &s->databases[s->n_databases++];
    memset(d, 0, sizeof *d);
    d->create_time = -1;
    return d;
}

/* GetDatabases: each database, and its GetTables queued. */
static void glue_on_databases(aws_refresh *r, json_object *out) {
    json_object *list = glue_list(out, "DatabaseList");
    if (!list) {
        r->fatal = xstrdup("Glue GetDatabases: the answer has no DatabaseList");
        return;
    }
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i);
        database_stats *d = glue_add_database(r);
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
        glue_submit(r, "GetTables", d->name, r->snap->n_databases - 1, NULL);
    }
}

/* GetCrawlers: every crawler (their metrics are asked for once all are in). */
static void glue_on_crawlers(aws_refresh *r, json_object *out) {
    json_object *list = glue_list(out, "Crawlers");
    if (!list)
        return;
    lake_snapshot *s = r->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i);
        json_object *name;
        if (!json_object_object_get_ex(o, "Name", &name))
            continue;
        s->crawlers = xgrow(s->crawlers, &r->cap_crawlers, s->n_crawlers + 1, sizeof *s->crawlers);
        aws_crawlers_from_json(o, &s->crawlers[s->n_crawlers++]);
    }
}

/* A crawler's metric when the answer has it as a number. */
static void glue_metric(json_object *metrics, const char *key, int64_t *field) {
    json_object *v;
    if (json_object_object_get_ex(metrics, key, &v) && json_object_is_type(v, json_type_int))
        *field = json_object_get_int64(v);
}

/* GetCrawlerMetrics: tables created, updated and deleted by each crawler's
 * last run, matched by name to the crawlers GetCrawlers gave. */
static void glue_on_crawler_metrics(aws_refresh *r, json_object *out) {
    json_object *list = glue_list(out, "CrawlerMetricsList");
    if (!list)
        return;
    lake_snapshot *s = r->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *o = json_object_array_get_idx(list, i), *v;
        const char *name =
            json_object_object_get_ex(o, "CrawlerName", &v) ? json_object_get_string(v) : NULL;
        for (size_t k = 0; name && k < s->n_crawlers; k++) {
            crawler_info *c = &s->crawlers[k];
            if (!c->name || strcmp(c->name, name) != 0)
                continue;
            glue_metric(o, "TablesCreated", &c->tables_created);
            glue_metric(o, "TablesUpdated", &c->tables_updated);
            glue_metric(o, "TablesDeleted", &c->tables_deleted);
        }
    }
}

/* GetTables: each table, its figures unknown until they come in; its
 * partition count, versions and S3 listing are queued unless remembered
 * or not needed. */
static void glue_on_tables(aws_refresh *r, glue_call *g, json_object *out) {
    json_object *list = glue_list(out, "TableList");
    if (!list) {
        glue_keep_first(&r->snap->databases[g->database_index].error,
                        xstrdup("Glue GetTables: the answer has no TableList"));
        return;
    }
    lake_snapshot *s = r->snap;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        s->tables = xgrow(s->tables, &r->cap_tables, s->n_tables + 1, sizeof *s->tables);
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
        table_stats_formats_unknown(t);
        s->n_tables++;
        if (!t->error) {
            if (t->n_partition_keys && !aws_memo_recall_partitions(&r->src->memo, t)) {
                /* one page first; a table with more partitions than a page
                 * holds is read again in parallel segments */
                t->catalog_partitions = 0;
                glue_submit_table(r, "GetPartitions", s->n_tables - 1, -1, NULL);
            }
            /* a table at its first version: its columns changed when it was made */
            json_object *tv = json_object_array_get_idx(list, i), *vid;
            const char *version = json_object_object_get_ex(tv, "VersionId", &vid)
                                      ? json_object_get_string(vid)
                                      : NULL;
            if (version && atol(version) <= 0)
                t->schema_changed_at = t->create_time >= 0 ? t->create_time : t->update_time;
            else if (!aws_memo_recall_schema(&r->src->memo, t))
                glue_submit_table(r, "GetTableVersions", s->n_tables - 1, -1, NULL);
        }
        /* a view has no storage of its own: nothing to list, nothing wrong;
         * an Iceberg, Delta or Hudi table is listed once, when measured
         * from its metadata (aws_formats.c) */
        formats_detect(t, NULL, 0);
        if (!t->error && strcmp(t->table_type, "VIRTUAL_VIEW") != 0)
            aws_uploads_start(r, s->n_tables - 1); /* any format: incomplete uploads */
        if (!t->error && strcmp(t->table_type, "VIRTUAL_VIEW") != 0 &&
            t->table_format == TABLE_FORMAT_HIVE && !aws_inventory_claims(r, s->n_tables - 1))
            aws_storage_scan_start(r, s->n_tables - 1);
    }
}

/* True when the answer was a first unsegmented page of a big table: the
 * segments were submitted instead and the page is not counted. */
static bool glue_partitions_fan_out(aws_refresh *r, glue_call *g, json_object *out) {
    json_object *token;
    if (g->segment >= 0 || g->paged || !json_object_object_get_ex(out, "NextToken", &token))
        return false;
    for (int k = 0; k < GLUE_PARTITION_SEGMENTS; k++)
        glue_submit_table(r, "GetPartitions", g->table_index, k, NULL);
    return true;
}

/* GetPartitions: a page of partitions counted (unless a failure of another
 * segment made the count unknown). */
static void glue_on_partitions(aws_refresh *r, glue_call *g, json_object *out) {
    table_stats *t = &r->snap->tables[g->table_index];
    json_object *list = glue_list(out, "Partitions");
    if (t->catalog_partitions >= 0 && list)
        t->catalog_partitions += (int64_t)json_object_array_length(list);
}

/* The versions being gathered, per table index (NULL: none yet). */
static glue_versions *glue_versions_of(aws_refresh *r, size_t table_index, bool create) {
    if (table_index >= r->n_versions) {
        if (!create)
            return NULL;
        size_t old = r->n_versions;
        r->versions = xgrow(r->versions, &r->cap_versions, table_index + 1, sizeof *r->versions);
        memset(r->versions + old, 0, (table_index + 1 - old) * sizeof *r->versions);
        r->n_versions = table_index + 1;
    }
    if (!r->versions[table_index] && create)
        r->versions[table_index] = xcalloc(1, sizeof(glue_versions));
    return r->versions[table_index];
}

static void glue_versions_drop(aws_refresh *r, size_t table_index) {
    glue_versions *v = glue_versions_of(r, table_index, false);
    if (!v)
        return;
    schema_versions_free(v->list, v->n);
    free(v);
    r->versions[table_index] = NULL;
}

/* GetTableVersions: a page of versions gathered. */
static void glue_on_versions(aws_refresh *r, glue_call *g, json_object *out) {
    json_object *list = glue_list(out, "TableVersions");
    if (!list)
        return;
    glue_versions *v = glue_versions_of(r, g->table_index, true);
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

/* The table's schema change: the newest of its versions whose columns
 * differ from the one before it; the versions are dropped. */
static void glue_versions_finish(aws_refresh *r, size_t table_index) {
    glue_versions *v = glue_versions_of(r, table_index, false);
    if (v)
        schema_apply_versions(&r->snap->tables[table_index], v->list, v->n);
    glue_versions_drop(r, table_index);
}

/* A page that gave `next`: false when the listing loops or passes its
 * bound (page_guard.h), the page then dropped (it may repeat one read
 * before) and the error put where the listing's failure goes: the refresh
 * for GetDatabases, the database for GetTables, the table for its
 * partitions and versions (which become unknown), the crawler error. */
static bool glue_pages_go_on(aws_refresh *r, glue_call *g, const char *next) {
    const char *op = g->operation;
    size_t bound = strcmp(op, "GetDatabases") == 0       ? PAGE_GUARD_GLUE_DATABASES
                   : strcmp(op, "GetTables") == 0        ? PAGE_GUARD_GLUE_TABLES
                   : strcmp(op, "GetPartitions") == 0    ? PAGE_GUARD_GLUE_PARTITIONS
                   : strcmp(op, "GetTableVersions") == 0 ? PAGE_GUARD_GLUE_VERSIONS
                                                         : PAGE_GUARD_GLUE_CRAWLERS;
    if (!g->pages)
        g->pages = xcalloc(1, sizeof *g->pages);
    char *endless = NULL;
    if (page_guard_next(g->pages, next, bound, &endless))
        return true;
    char *why =
        xasprintf("Glue %s%s%s%s%s: %s", op, g->database ? " " : "", g->database ? g->database : "",
                  g->table ? "." : "", g->table ? g->table : "", endless);
    free(endless);
    if (strcmp(op, "GetDatabases") == 0) {
        glue_keep_first(&r->fatal, why);
    } else if (g->table) {
        table_stats *t = &r->snap->tables[g->table_index];
        if (strcmp(op, "GetPartitions") == 0)
            t->catalog_partitions = -1;
        else
            glue_versions_drop(r, g->table_index);
        glue_keep_first(&t->error, why);
    } else if (g->database) {
        glue_keep_first(&r->snap->databases[g->database_index].error, why);
    } else {
        free(r->crawler_error);
        r->crawler_error = why;
    }
    return false;
}

/* Queues the page after g's (token `next`); the listing's tokens go with
 * it. */
static glue_call *glue_follow(aws_refresh *r, glue_call *g, const char *next) {
    glue_call *following =
        g->table ? glue_submit_table(r, g->operation, g->table_index, g->segment, next)
                 : glue_submit(r, g->operation, g->database, g->database_index, next);
    following->pages = g->pages;
    g->pages = NULL;
    return following;
}

/* Every answer of the scan: a retryable failure is set aside for a later
 * round; a final one is kept where it belongs (the refresh for
 * GetDatabases, the database for GetTables, the crawler error for
 * crawlers, the table for its partition count; versions become unknown), a
 * listing that loops is ended (glue_pages_go_on), else the page is read
 * and the next page, or what follows, is queued. */
static void glue_done(void *ctx, const http_response *response) {
    glue_call *g = ctx;
    aws_refresh *r = g->refresh;
    if (response->error && aws_rounds_defer(&r->rounds, response, glue_resend, glue_done, g))
        return;
    bool databases = strcmp(g->operation, "GetDatabases") == 0;
    bool metrics = strcmp(g->operation, "GetCrawlerMetrics") == 0;
    bool crawlers = metrics || strcmp(g->operation, "GetCrawlers") == 0;
    if (response->error && crawlers) {
        /* no crawler access: the lake's figures still stand (metrics stay
         * unknown, -1) */
        free(r->crawler_error);
        r->crawler_error = xasprintf("Glue %s: %s", g->operation, response->error);
        glue_call_free(g);
        return;
    }
    if (response->error) {
        char *why = xasprintf("Glue %s%s%s at %s: %s", g->operation, g->database ? " " : "",
                              g->database ? g->database : "", r->src->config.endpoint_glue,
                              response->error);
        if (databases) {
            glue_keep_first(&r->fatal, why);
        } else if (g->table) {
            /* a partition count becomes unknown, said on the table's row;
             * versions are extras: unknown, not an error */
            table_stats *t = &r->snap->tables[g->table_index];
            if (strcmp(g->operation, "GetPartitions") == 0) {
                t->catalog_partitions = -1;
                glue_keep_first(&t->error, why); /* said on its row */
            } else {
                glue_versions_drop(r, g->table_index);
                free(why);
            }
        } else {
            glue_keep_first(&r->snap->databases[g->database_index].error, why);
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
        if (databases)
            glue_keep_first(&r->fatal, why);
        else if (g->table || crawlers)
            free(why); /* partitions, versions and crawlers are extras */
        else
            glue_keep_first(&r->snap->databases[g->database_index].error, why);
        json_object_put(out);
        glue_call_free(g);
        return;
    }
    json_object *token;
    const char *next = NULL;
    if (json_object_object_get_ex(out, "NextToken", &token) &&
        json_object_is_type(token, json_type_string) && json_object_get_string_len(token) > 0)
        next = json_object_get_string(token);
    if (next && !glue_pages_go_on(r, g, next)) {
        json_object_put(out);
        glue_call_free(g);
        return;
    }
    /* the next page is queued first, ahead of the work this page brings
     * (each table of a GetTables page queues its listing, partitions,
     * versions and uploads): the catalog's pages then come in while that
     * work runs, not one round trip after it. GetPartitions decides on its
     * first page whether segments follow instead. */
    bool partitions = strcmp(g->operation, "GetPartitions") == 0;
    glue_call *following = next && !partitions ? glue_follow(r, g, next) : NULL;
    if (databases)
        glue_on_databases(r, out);
    else if (metrics)
        glue_on_crawler_metrics(r, out);
    else if (crawlers)
        glue_on_crawlers(r, out);
    else if (strcmp(g->operation, "GetTables") == 0)
        glue_on_tables(r, g, out);
    else if (strcmp(g->operation, "GetPartitions") == 0 && glue_partitions_fan_out(r, g, out)) {
        json_object_put(out);
        glue_call_free(g);
        return;
    } else if (strcmp(g->operation, "GetPartitions") == 0)
        glue_on_partitions(r, g, out);
    else
        glue_on_versions(r, g, out);
    if (next && partitions)
        following = glue_follow(r, g, next);
    if (!following && strcmp(g->operation, "GetTableVersions") == 0)
        glue_versions_finish(r, g->table_index);
    else if (!following && crawlers && !metrics && r->snap->n_crawlers)
        glue_submit(r, "GetCrawlerMetrics", NULL, 0, NULL); /* every crawler is known */
    json_object_put(out);
    glue_call_free(g);
}

void aws_catalog_scan_start(aws_refresh *r) {
    glue_submit(r, "GetDatabases", NULL, 0, NULL);
    glue_submit(r, "GetCrawlers", NULL, 0, NULL);
}

void aws_catalog_scan_end(aws_refresh *r) {
    for (size_t i = 0; i < r->n_versions; i++)
        glue_versions_drop(r, i);
    free(r->versions);
    r->versions = NULL;
    r->n_versions = r->cap_versions = 0;
}
