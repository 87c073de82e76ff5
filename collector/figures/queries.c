/* queries.c: per-table query counts (see queries.h). */
#include "collector/figures/queries.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "collector/glue_json.h"
#include "collector/figures/sql_refs.h"

static int queries_cmp_tables(const void *a, const void *b, void *ctx) {
    const table_stats *tables = ctx;
    const table_stats *x = &tables[*(const size_t *)a], *y = &tables[*(const size_t *)b];
    int c = strcmp(x->database, y->database);
    if (!c)
        c = strcmp(x->name, y->name);
    /* duplicates: the first in the snapshot counts, as before */
    return c ? c : x < y ? -1 : x > y;
}

void queries_begin(query_tally *q, lake_snapshot *s, int64_t now) {
    q->snapshot = s;
    q->since = now - (int64_t)QUERIES_WINDOW_DAYS * 86400;
    q->counted = 0;
    s->has_queries = true;
    s->queries_unparsed = 0;
    s->queries_billed_bytes_30d = 0;
    s->queries_cost_unknown = 0;
    q->by_name = xcalloc(s->n_tables ? s->n_tables : 1, sizeof *q->by_name);
    for (size_t i = 0; i < s->n_tables; i++) {
        s->tables[i].queries_30d = 0;
        s->tables[i].query_billed_bytes_30d = 0;
        q->by_name[i] = i;
    }
    qsort_r(q->by_name, s->n_tables, sizeof *q->by_name, queries_cmp_tables, s->tables);
}

void queries_end(query_tally *q) {
    free(q->by_name);
    q->by_name = NULL;
}

/* The table "database.name" names (the first of duplicates), or NULL. */
static table_stats *queries_find(const query_tally *q, const char *qualified) {
    const char *dot = strchr(qualified, '.');
    size_t dl = (size_t)(dot - qualified);
    table_stats *tables = q->snapshot->tables;
    size_t lo = 0, hi = q->snapshot->n_tables;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const table_stats *t = &tables[q->by_name[mid]];
        int c = strncmp(t->database, qualified, dl);
        if (!c)
            c = t->database[dl] ? 1 : strcmp(t->name, dot + 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == q->snapshot->n_tables)
        return NULL;
    table_stats *t = &tables[q->by_name[lo]];
    return strlen(t->database) == dl && strncmp(t->database, qualified, dl) == 0 &&
                   strcmp(t->name, dot + 1) == 0
               ? t
               : NULL;
}

/* The bytes Athena bills for the execution (cost.h), or -1 when it does not
 * say what it scanned (Statistics.DataScannedInBytes, a number). */
static int64_t queries_billed_bytes(json_object *execution, json_object *status) {
    json_object *statistics = NULL, *scanned = NULL;
    if (!json_object_object_get_ex(execution, "Statistics", &statistics) ||
        !json_object_object_get_ex(statistics, "DataScannedInBytes", &scanned) ||
        !(json_object_is_type(scanned, json_type_int) ||
          json_object_is_type(scanned, json_type_double)))
        return -1;
    return cost_query_billed_bytes(glue_json_string(status, "State"),
                                   json_object_get_int64(scanned));
}

int64_t queries_submitted(json_object *execution) {
    json_object *status = NULL, *when = NULL;
    return json_object_object_get_ex(execution, "Status", &status) &&
                   json_object_object_get_ex(status, "SubmissionDateTime", &when)
               ? glue_json_time(when)
               : -1;
}

bool queries_add(query_tally *q, json_object *execution) {
    json_object *status = NULL, *context = NULL;
    json_object_object_get_ex(execution, "Status", &status);
    json_object_object_get_ex(execution, "QueryExecutionContext", &context);
    int64_t submitted = queries_submitted(execution);
    if (submitted >= 0 && submitted < q->since)
        return false;
    /* on the account's bill whether or not its SQL names our tables */
    int64_t billed = queries_billed_bytes(execution, status);
    if (billed < 0)
        q->snapshot->queries_cost_unknown++;
    else
        q->snapshot->queries_billed_bytes_30d += (double)billed;
    sql_refs refs;
    if (!sql_refs_extract(glue_json_string(execution, "Query"),
                          glue_json_string(context, "Database"), &refs)) {
        q->snapshot->queries_unparsed++;
        return true;
    }
    for (size_t k = 0; k < refs.n; k++) {
        table_stats *t = queries_find(q, refs.names[k]);
        if (!t)
            continue;
        t->queries_30d++;
        if (billed > 0)
            t->query_billed_bytes_30d += (double)billed / (double)refs.n;
    }
    q->counted++;
    sql_refs_free(&refs);
    return true;
}

bool queries_read_log(const char *path, lake_snapshot *s, int64_t now, char **error) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT)
            return true;
        *error = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    query_tally q;
    queries_begin(&q, s, now);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        if (len <= 1)
            continue;
        json_object *o = json_tokener_parse(line);
        if (o && json_object_is_type(o, json_type_object))
            queries_add(&q, o); /* a log is in time order only by habit: read it all */
        else
            s->queries_unparsed++;
        json_object_put(o);
    }
    free(line);
    fclose(fp);
    queries_end(&q);
    return true;
}
