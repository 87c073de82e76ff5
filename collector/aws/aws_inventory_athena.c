/* aws_inventory_athena.c: an S3 Inventory report aggregated by Athena
 * (issue 15): laketop's table over the report's hive/ symlinks in its own
 * Glue database (DDL through StartQueryExecution, once a source: the
 * table and partition made are remembered), then one aggregate query per
 * report (inventory_sql.h), polled with GetQueryExecution and read with
 * GetQueryResults, page after page. Athena reads the data files; laketop
 * reads only the answers. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/inventory/inventory_sql.h"
#include "collector/storage.h"
#include "common/xalloc.h"

#define ATHENA_DEFAULT_DATABASE "laketop_inventory"
#define ATHENA_MAX_POLLS 100000

bool aws_inventory_athena_enabled(const aws_source *src) {
    return src->options.athena_workgroup && *src->options.athena_workgroup;
}

static bool athena_stopped(const aws_source *src) {
    return src->stop && __atomic_load_n(src->stop, __ATOMIC_RELAXED);
}

/* A ClientRequestToken: StartQueryExecution retried is then one query. */
static char *athena_token(void) {
    static uint64_t counter;
    uint64_t seed = aws_rounds_random_seed() ^ (++counter * 0x9e3779b97f4a7c15ull);
    return xasprintf("laketop-%016llx%016llx", (unsigned long long)seed,
                     (unsigned long long)(seed * 6364136223846793005ull + 1442695040888963407ull));
}

/* Runs `sql` to its end: *query_id, *scanned (DataScannedInBytes) set;
 * false with *error (a FAILED query's StateChangeReason). */
static bool athena_run(aws_source *src, const char *sql, const char *database, char **query_id,
                       int64_t *scanned, char **error) {
    json_object *in = json_object_new_object(), *out = NULL, *v;
    char *token = athena_token();
    json_object_object_add(in, "QueryString", json_object_new_string(sql));
    json_object_object_add(in, "ClientRequestToken", json_object_new_string(token));
    json_object_object_add(in, "WorkGroup", json_object_new_string(src->options.athena_workgroup));
    if (database) {
        json_object *context = json_object_new_object();
        json_object_object_add(context, "Database", json_object_new_string(database));
        json_object_object_add(in, "QueryExecutionContext", context);
    }
    if (src->options.athena_output) {
        json_object *result = json_object_new_object();
        json_object_object_add(result, "OutputLocation",
                               json_object_new_string(src->options.athena_output));
        json_object_object_add(in, "ResultConfiguration", result);
    }
    free(token);
    bool ok = aws_request_athena_one(src, "StartQueryExecution", in, &out, error);
    json_object_put(in);
    if (ok && (!json_object_object_get_ex(out, "QueryExecutionId", &v) ||
               !json_object_get_string(v) || !*json_object_get_string(v))) {
        *error = xstrdup("Athena StartQueryExecution: no QueryExecutionId");
        ok = false;
    }
    if (ok)
        *query_id = xstrdup(json_object_get_string(v));
    json_object_put(out);
    int64_t poll_ms = src->options.athena_poll_ms > 0 ? src->options.athena_poll_ms : 1000;
    int64_t delay_ms = poll_ms;
    for (int polls = 0; ok; polls++) {
        if (athena_stopped(src) || polls > ATHENA_MAX_POLLS) {
            /* not left running (and billed) for no one */
            json_object *stop_in = json_object_new_object(), *stop_out = NULL;
            json_object_object_add(stop_in, "QueryExecutionId", json_object_new_string(*query_id));
            char *ignored = NULL;
            (void)aws_request_athena_one(src, "StopQueryExecution", stop_in, &stop_out, &ignored);
            free(ignored);
            json_object_put(stop_out);
            json_object_put(stop_in);
            *error = xasprintf("Athena query %s: %s", *query_id,
                               polls > ATHENA_MAX_POLLS ? "still running: stopped" : "stopped");
            ok = false;
            break;
        }
        in = json_object_new_object();
        json_object_object_add(in, "QueryExecutionId", json_object_new_string(*query_id));
        out = NULL;
        ok = aws_request_athena_one(src, "GetQueryExecution", in, &out, error);
        json_object_put(in);
        json_object *execution = NULL, *status = NULL, *state = NULL, *stats, *bytes;
        const char *s = NULL;
        if (ok && json_object_object_get_ex(out, "QueryExecution", &execution) &&
            json_object_object_get_ex(execution, "Status", &status) &&
            json_object_object_get_ex(status, "State", &state))
            s = json_object_get_string(state);
        if (ok && !s) {
            *error = xstrdup("Athena GetQueryExecution: no Status.State");
            ok = false;
        }
        if (ok && json_object_object_get_ex(execution, "Statistics", &stats) &&
            json_object_object_get_ex(stats, "DataScannedInBytes", &bytes))
            *scanned = json_object_get_int64(bytes);
        bool done = ok && strcmp(s, "SUCCEEDED") == 0;
        if (ok && (strcmp(s, "FAILED") == 0 || strcmp(s, "CANCELLED") == 0)) {
            json_object *reason = NULL;
            json_object_object_get_ex(status, "StateChangeReason", &reason);
            *error = xasprintf("Athena query %s %s: %s", *query_id, s,
                               reason ? json_object_get_string(reason) : "no reason given");
            ok = false;
        }
        json_object_put(out);
        if (!ok || done)
            break;
        /* poll_ms, then twice as long each time, at most 5 times it */
        aws_rounds_sleep(delay_ms, src->stop);
        delay_ms = delay_ms * 2 > 5 * poll_ms ? 5 * poll_ms : delay_ms * 2;
    }
    return ok;
}

/* The DDL, each statement once a source (IF NOT EXISTS besides). */
static bool athena_ddl(aws_source *src, const char *statement, char **error) {
    for (size_t i = 0; i < src->athena_done_n; i++)
        if (strcmp(src->athena_done[i], statement) == 0)
            return true;
    char *id = NULL;
    int64_t scanned = 0;
    bool ok = athena_run(src, statement, NULL, &id, &scanned, error);
    free(id);
    if (ok) {
        src->athena_done = xrealloc(src->athena_done, (src->athena_done_n + 1) * sizeof(char *));
        src->athena_done[src->athena_done_n++] = xstrdup(statement);
    }
    return ok;
}

/* GetQueryResults, every page, into `res`. */
static bool athena_results(aws_source *src, const char *query_id, inventory_sql_results *res,
                           char **error) {
    char *token = NULL;
    bool ok = true;
    int pages = 0;
    do {
        json_object *in = json_object_new_object(), *out = NULL;
        json_object_object_add(in, "QueryExecutionId", json_object_new_string(query_id));
        json_object_object_add(in, "MaxResults", json_object_new_int(1000));
        if (token)
            json_object_object_add(in, "NextToken", json_object_new_string(token));
        free(token);
        token = NULL;
        ok = aws_request_athena_one(src, "GetQueryResults", in, &out, error);
        json_object_put(in);
        if (ok) {
            char *why = NULL;
            ok = inventory_sql_results_json(res, out, &token, &why);
            if (!ok)
                *error = xasprintf("Athena query %s: %s", query_id, why);
            free(why);
        }
        json_object_put(out);
        if (ok && token && ++pages > 1000000) {
            *error = xasprintf("Athena query %s: GetQueryResults never ends", query_id);
            ok = false;
        }
    } while (ok && token && !athena_stopped(src));
    free(token);
    return ok;
}

bool aws_inventory_athena(aws_refresh *r, const inventory_manifest *m, const char *dest,
                          const char *prefix, const char *date, const size_t *tables,
                          size_t n_tables, inventory_report *out, char **error) {
    aws_source *src = r->src;
    const char *database =
        src->options.inventory_database ? src->options.inventory_database : ATHENA_DEFAULT_DATABASE;
    char dt[17];
    if (!inventory_sql_hive_dt(date, dt)) {
        *error = xasprintf("report date %s is not YYYY-MM-DDTHH-MMZ", date);
        return false;
    }
    /* the configuration id: the last directory of "[...]/SOURCE/ID/" */
    size_t plen = strlen(prefix);
    size_t end = plen && prefix[plen - 1] == '/' ? plen - 1 : plen, start = end;
    while (start && prefix[start - 1] != '/')
        start--;
    char *config_id = xstrndup(prefix + start, end - start);
    char *table = inventory_sql_table_name(m->source_bucket, config_id);
    free(config_id);
    inventory_sql_table *wanted = xcalloc(n_tables ? n_tables : 1, sizeof *wanted);
    char **owned = xcalloc(2 * (n_tables ? n_tables : 1), sizeof *owned);
    for (size_t i = 0; i < n_tables; i++) {
        const table_stats *t = &r->snap->tables[tables[i]];
        storage_s3_parse(t->location, &owned[2 * i], &owned[2 * i + 1], NULL);
        wanted[i] = (inventory_sql_table){.bucket = owned[2 * i] ? owned[2 * i] : "",
                                          .prefix = owned[2 * i + 1] ? owned[2 * i + 1] : "",
                                          .depth = t->n_partition_keys};
    }
    char *create_db = inventory_sql_create_database(database);
    char *create_table = inventory_sql_create_table(database, table, m->file_format, m->file_schema,
                                                    dest, prefix, error);
    char *add = inventory_sql_add_partition(database, table, dt, dest, prefix);
    char *query = create_table ? inventory_sql_query(database, table, dt, m->file_format,
                                                     m->file_schema, wanted, n_tables, error)
                               : NULL;
    bool ok = query && athena_ddl(src, create_db, error) && athena_ddl(src, create_table, error) &&
              athena_ddl(src, add, error);
    char *id = NULL;
    int64_t scanned = 0;
    if (ok)
        ok = athena_run(src, query, database, &id, &scanned, error);
    if (ok) {
        memset(out, 0, sizeof *out);
        out->date = xstrdup(date);
        out->created = m->created_ms / 1000;
        out->athena_scanned = scanned;
        out->athena_query_id = xstrdup(id);
        inventory_sql_results res;
        inventory_sql_results_begin(&res, wanted, n_tables, out);
        ok = athena_results(src, id, &res, error);
        if (ok)
            inventory_sql_results_end(&res);
        else
            inventory_report_clear(out);
    }
    free(id);
    free(create_db);
    free(create_table);
    free(add);
    free(query);
    free(table);
    for (size_t i = 0; i < 2 * n_tables; i++)
        free(owned[i]);
    free(owned);
    free(wanted);
    return ok;
}
