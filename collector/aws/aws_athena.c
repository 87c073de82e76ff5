/* aws_athena.c: how often each table was queried in the last 30 days, from
 * Athena's query history (every work group's executions, their SQL matched
 * to tables by collector/figures/queries.c); a pass is kept and reused for
 * AWS_ATHENA_EVERY seconds. */
#include <stdlib.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/figures/queries.h"
#include "common/clock.h"
#include "common/xalloc.h"

#define AWS_ATHENA_EVERY 900

static bool aws_athena_stopped(const bool *stop) {
    return stop && __atomic_load_n(stop, __ATOMIC_RELAXED);
}

/* The next page's token from `next` into *token, unless the listing loops
 * or passes its bound (page_guard.h): then false with *error. */
static bool aws_athena_next(page_guard *pages, const char *operation, json_object *next,
                            char **token, char **error) {
    const char *t = json_object_get_string(next);
    if (!t || !*t)
        return true;
    char *endless = NULL;
    if (!page_guard_next(pages, t, PAGE_GUARD_ATHENA, &endless)) {
        *error = xasprintf("Athena %s: %s", operation, endless);
        free(endless);
        return false;
    }
    *token = xstrdup(t);
    return true;
}

/* One page of a listing: {["WorkGroup"], "MaxResults": 50, ["NextToken"]};
 * *token is freed and cleared. */
static bool aws_athena_page(aws_source *src, const char *operation, const char *group, char **token,
                            json_object **out, char **error) {
    json_object *in = json_object_new_object();
    if (group)
        json_object_object_add(in, "WorkGroup", json_object_new_string(group));
    json_object_object_add(in, "MaxResults", json_object_new_int(50));
    if (*token)
        json_object_object_add(in, "NextToken", json_object_new_string(*token));
    free(*token);
    *token = NULL;
    bool ok = aws_request_athena_one(src, operation, in, out, error);
    json_object_put(in);
    return ok;
}

/* Query counts from Athena: every work group's executions, newest first,
 * 50 at a time (ListQueryExecutions, then BatchGetQueryExecution), until
 * one is older than the window. A failure (say, no Athena permission)
 * leaves the counts unknown and says why; the rest of the snapshot stands. */
static void aws_athena_counts(aws_source *src, lake_snapshot *s, const bool *stop) {
    json_object *groups = json_object_new_array();
    char *error = NULL, *token = NULL;
    bool ok = true;
    page_guard pages = {0};
    do {
        json_object *out = NULL, *list, *next;
        ok = aws_athena_page(src, "ListWorkGroups", NULL, &token, &out, &error);
        if (ok && json_object_object_get_ex(out, "WorkGroups", &list))
            for (size_t i = 0; i < json_object_array_length(list); i++) {
                json_object *name;
                if (json_object_object_get_ex(json_object_array_get_idx(list, i), "Name", &name))
                    json_object_array_add(groups, json_object_get(name));
            }
        if (ok && json_object_object_get_ex(out, "NextToken", &next))
            ok = aws_athena_next(&pages, "ListWorkGroups", next, &token, &error);
        json_object_put(out);
    } while (ok && token);
    page_guard_free(&pages);
    query_tally tally = {0};
    if (ok)
        queries_begin(&tally, s, clock_now());
    for (size_t g = 0; ok && g < json_object_array_length(groups); g++) {
        const char *group = json_object_get_string(json_object_array_get_idx(groups, g));
        bool more = true;
        while (ok && more && !aws_athena_stopped(stop)) {
            json_object *out = NULL, *ids, *next;
            ok = aws_athena_page(src, "ListQueryExecutions", group, &token, &out, &error);
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
            if (ok && more && json_object_object_get_ex(out, "NextToken", &next)) {
                ok = aws_athena_next(&pages, "ListQueryExecutions", next, &token, &error);
                more = token != NULL;
            } else {
                more = false;
            }
            json_object_put(out);
        }
        page_guard_free(&pages); /* each work group's listing its own */
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
        s->queries_billed_bytes_30d = -1;
        s->queries_cost_unknown = 0;
        for (size_t i = 0; i < s->n_tables; i++)
            s->tables[i].queries_30d = -1;
        free(s->queries_error);
        s->queries_error = error;
    }
}

/* The cache's key of a table: "database.table". */
static char *aws_athena_key(const table_stats *t) {
    return xasprintf("%s.%s", t->database, t->name);
}

void aws_athena_apply(aws_source *src, lake_snapshot *s, const bool *stop) {
    aws_athena_cache *cache = &src->athena;
    int64_t now = clock_now();
    if (!cache->at || now - cache->at >= AWS_ATHENA_EVERY || now < cache->at) {
        aws_athena_counts(src, s, stop);
        if (aws_athena_stopped(stop))
            return;
        aws_athena_forget(cache);
        cache->at = now;
        cache->error = s->queries_error ? xstrdup(s->queries_error) : NULL;
        cache->unparsed = s->queries_unparsed;
        cache->billed_total = s->queries_billed_bytes_30d;
        cache->cost_unknown = s->queries_cost_unknown;
        if (s->has_queries) {
            cache->counts = json_object_new_object();
            cache->billed = json_object_new_object();
            for (size_t i = 0; i < s->n_tables; i++) {
                char *key = aws_athena_key(&s->tables[i]);
                json_object_object_add(cache->counts, key,
                                       json_object_new_int64(s->tables[i].queries_30d));
                json_object_object_add(cache->billed, key,
                                       json_object_new_double(s->tables[i].query_billed_bytes_30d));
                free(key);
            }
        }
        return;
    }
    if (cache->error)
        s->queries_error = xstrdup(cache->error);
    if (!cache->counts)
        return;
    s->has_queries = true;
    s->queries_unparsed = cache->unparsed;
    s->queries_billed_bytes_30d = cache->billed_total;
    s->queries_cost_unknown = cache->cost_unknown;
    for (size_t i = 0; i < s->n_tables; i++) {
        char *key = aws_athena_key(&s->tables[i]);
        json_object *v;
        s->tables[i].queries_30d = json_object_object_get_ex(cache->counts, key, &v)
                                       ? json_object_get_int64(v)
                                       : 0; /* a new table: not queried in the last pass */
        s->tables[i].query_billed_bytes_30d =
            json_object_object_get_ex(cache->billed, key, &v) ? json_object_get_double(v) : 0;
        free(key);
    }
}

void aws_athena_forget(aws_athena_cache *cache) {
    json_object_put(cache->counts);
    json_object_put(cache->billed);
    free(cache->error);
    *cache = (aws_athena_cache){0};
}
