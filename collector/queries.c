/* queries.c: per-table query counts (see queries.h). */
#include "queries.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "glue_json.h"
#include "sql_refs.h"

void queries_begin(query_tally *q, lake_snapshot *s, int64_t now) {
    q->snapshot = s;
    q->since = now - (int64_t)QUERIES_WINDOW_DAYS * 86400;
    q->counted = 0;
    s->has_queries = true;
    s->queries_unparsed = 0;
    for (size_t i = 0; i < s->n_tables; i++)
        s->tables[i].queries_30d = 0;
}

static const char *queries_string(json_object *o, const char *key) {
    json_object *v;
    return o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

bool queries_add(query_tally *q, json_object *execution) {
    json_object *status = NULL, *context = NULL, *when = NULL;
    json_object_object_get_ex(execution, "Status", &status);
    json_object_object_get_ex(execution, "QueryExecutionContext", &context);
    int64_t submitted = status && json_object_object_get_ex(status, "SubmissionDateTime", &when)
                            ? glue_json_time(when)
                            : -1;
    if (submitted >= 0 && submitted < q->since)
        return false;
    sql_refs refs;
    if (!sql_refs_extract(queries_string(execution, "Query"), queries_string(context, "Database"),
                          &refs)) {
        q->snapshot->queries_unparsed++;
        return true;
    }
    lake_snapshot *s = q->snapshot;
    for (size_t k = 0; k < refs.n; k++) {
        const char *dot = strchr(refs.names[k], '.');
        size_t dl = (size_t)(dot - refs.names[k]);
        for (size_t i = 0; i < s->n_tables; i++) {
            table_stats *t = &s->tables[i];
            if (strlen(t->database) == dl && strncmp(t->database, refs.names[k], dl) == 0 &&
                strcmp(t->name, dot + 1) == 0) {
                t->queries_30d++;
                break;
            }
        }
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
    return true;
}
