/* demo_history.c: what the demo lake has already "seen" under DIR/.laketop:
 * the daily history of every table (history.tsv), as if laketop had watched
 * the lake from its first day, and a log of queries (queries.jsonl). */
#include "tools/demo_internal.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common/xalloc.h"

#define DEMO_QUERY_DAYS 40

void demo_history_record_table(demo_ctx *c, const demo_spec *t, const demo_files_tally *tally) {
    history_sample sample = {.bytes = 0, .objects = 0, .newest_object = -1};
    bool ever = false; /* an empty table (ad_impressions) keeps its zero samples */
    for (int d = 0; d < c->days && !ever; d++)
        ever = tally->objects[d] > 0;
    for (int d = 0; d < c->days; d++) {
        sample.day = c->first_day + d;
        sample.bytes += tally->bytes[d];
        sample.objects += tally->objects[d];
        if (tally->newest[d] > sample.newest_object)
            sample.newest_object = tally->newest[d];
        /* no sample before the table's first data: it did not exist yet (the
         * open-format tables begin weeks after the others) */
        if (ever && sample.objects == 0 && sample.newest_object < 0)
            continue;
        history_store_record(c->history, t->database, t->name, &sample);
    }
}

static bool demo_history_make_dir(demo_ctx *c) {
    char *state = xasprintf("%s/.laketop", c->dir);
    bool made = demo_mkdirs(c, state);
    free(state);
    return made;
}

/* One query execution as Athena's GetQueryExecution shows it, one line. */
static void demo_history_add_query(strbuf *b, const char *id, const char *database, const char *sql,
                                   int64_t when) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "QueryExecutionId", json_object_new_string(id));
    json_object_object_add(o, "Query", json_object_new_string(sql));
    json_object *ctx = json_object_new_object();
    json_object_object_add(ctx, "Database", json_object_new_string(database));
    json_object_object_add(o, "QueryExecutionContext", ctx);
    json_object *st = json_object_new_object();
    json_object_object_add(st, "State", json_object_new_string("SUCCEEDED"));
    json_object_object_add(st, "SubmissionDateTime", json_object_new_int64(when));
    json_object_object_add(o, "Status", st);
    strbuf_puts(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    strbuf_putc(b, '\n');
    json_object_put(o);
}

/* The query log (queries.h): 40 days of Athena-shaped executions. Per day:
 * orders 6 (two joined with customers), page_views 3, user_activity 1
 * unqualified in weblogs, a CTE over songplays and songs, one query that
 * does not parse, and the open-format tables (weblogs.events 2, unqualified,
 * sales.payments 1). Some tables are never queried. */
bool demo_history_write_queries(demo_ctx *c) {
    static const struct {
        const char *database, *sql;
        int per_day;
    } shapes[] = {
        {"sales", "SELECT count(*) FROM sales.orders WHERE dt = current_date", 4},
        {"sales",
         "SELECT c.country, sum(o.total) FROM orders o JOIN customers c ON o.customer_id = c.id "
         "GROUP BY 1",
         2},
        {"weblogs", "SELECT referrer, count(*) FROM \"weblogs\".\"page_views\" GROUP BY 1", 3},
        {"weblogs", "SELECT * FROM user_activity -- FROM sessions\nLIMIT 10", 1},
        {"music",
         "WITH plays AS (SELECT song_id FROM songplays) SELECT s.title FROM plays JOIN songs s "
         "ON plays.song_id = s.song_id",
         1},
        {"music", "SELECT * FROM songs WHERE title = 'unclosed", 1},
        /* the open-format tables, as Athena reads them */
        {"weblogs",
         "SELECT event_type, count(*) FROM events WHERE event_ts >= current_date - interval '1' "
         "day GROUP BY 1",
         2},
        {"sales", "SELECT method, sum(amount) FROM sales.payments GROUP BY 1", 1},
    };
    if (!demo_history_make_dir(c))
        return false;
    demo_rng rng = demo_rng_seed("queries", "log", 0);
    strbuf_free(&c->buf);
    int days = c->days < DEMO_QUERY_DAYS ? c->days : DEMO_QUERY_DAYS;
    for (int d = days - 1; d >= 0; d--) {
        for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
            for (int i = 0; i < shapes[k].per_day; i++) {
                int64_t when = c->now - (int64_t)d * 86400 - 3600 - demo_rng_range(&rng, 0, 7200);
                char id[40];
                snprintf(id, sizeof id, "%08llx-demo", (unsigned long long)demo_rng_next(&rng));
                demo_history_add_query(&c->buf, id, shapes[k].database, shapes[k].sql, when);
            }
        }
    }
    char *path = xasprintf("%s/.laketop/queries.jsonl", c->dir);
    bool ok = demo_write_file(c, path, c->buf.data, c->buf.length, c->now, false);
    free(path);
    return ok;
}

bool demo_history_save(demo_ctx *c) {
    if (!demo_history_make_dir(c))
        return false;
    char *path = xasprintf("%s/.laketop/history.tsv", c->dir);
    char *error = NULL;
    bool ok = history_store_save(c->history, path, &error);
    if (!ok) {
        demo_fail(c, "cannot save the demo history: %s", error ? error : path);
    } else {
        /* history_store_save wrote it; the time keeps the lake reproducible. */
        struct timespec times[2] = {{.tv_sec = (time_t)c->now}, {.tv_sec = (time_t)c->now}};
        utimensat(AT_FDCWD, path, times, 0);
    }
    free(error);
    free(path);
    return ok;
}
