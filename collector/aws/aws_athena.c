/* aws_athena.c: how often each table was queried in the last 30 days, from
 * Athena's query history (every work group's executions, their SQL matched
 * to tables by collector/figures/queries.c); a pass is kept and reused for
 * AWS_ATHENA_EVERY seconds.
 *
 * A pass runs beside the refresh's listing, on the same HTTP client
 * (aws_athena_scan_start queues ListWorkGroups with the catalog's first
 * requests): each work group's ListQueryExecutions (50 ids a page, newest
 * first) as its name comes in, a BatchGetQueryExecution for each page of
 * ids, the group's next page once its batch is read, until an execution is
 * older than the window. The executions are only gathered then; they are
 * counted against the snapshot's tables at the end (aws_athena_scan_finish),
 * after the pass's failed calls had the refresh's rounds (aws_rounds.h). A
 * failure (say, no Athena permission) leaves the counts unknown and says
 * why; the rest of the snapshot stands. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/figures/queries.h"
#include "collector/glue_json.h"
#include "common/clock.h"
#include "common/xalloc.h"

#define AWS_ATHENA_EVERY 900
#define AWS_ATHENA_PAGE 50

typedef enum aws_athena_op {
    AWS_ATHENA_GROUPS,     /* ListWorkGroups */
    AWS_ATHENA_EXECUTIONS, /* ListQueryExecutions of one work group */
    AWS_ATHENA_BATCH,      /* BatchGetQueryExecution of one page of ids */
} aws_athena_op;

static const char *const aws_athena_ops[] = {
    [AWS_ATHENA_GROUPS] = "ListWorkGroups",
    [AWS_ATHENA_EXECUTIONS] = "ListQueryExecutions",
    [AWS_ATHENA_BATCH] = "BatchGetQueryExecution",
};

typedef struct aws_athena_scan aws_athena_scan_t;

/* One listing (its pages one after another) or one batch. */
typedef struct aws_athena_call {
    aws_signing sign;
    aws_athena_scan_t *scan;
    aws_athena_op op;
    char *target;
    char *body;
    json_object *input;           /* NextToken added for the next page */
    page_guard pages;             /* a listing's tokens so far */
    char *token;                  /* a listing's next page, while its batch is read */
    struct aws_athena_call *list; /* a batch: the listing its ids came from */
    struct aws_athena_call *next; /* every call of the pass, freed at its end */
} aws_athena_call;

struct aws_athena_scan {
    aws_source *src;
    int64_t now;
    aws_rounds rounds;
    aws_athena_call *calls;
    json_object *executions; /* every QueryExecution read */
    char *error;             /* the failure of the earliest op (enum order) */
    aws_athena_op error_op;
};

static void aws_athena_done(void *ctx, const http_response *response);

static void aws_athena_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((aws_athena_call *)ctx)->sign, request);
}

/* (Re)sends the call with its input as it is now. */
static void aws_athena_send(aws_athena_call *c) {
    aws_source *src = c->scan->src;
    aws_request_signing_free(&c->sign);
    free(c->body);
    c->body = xstrdup(json_object_to_json_string_ext(c->input, JSON_C_TO_STRING_PLAIN));
    aws_request_json_send(src, src->config.endpoint_athena, "athena", &c->sign, c->target, c->body,
                          aws_athena_prepare, aws_athena_done, c, false);
}

static void aws_athena_resend(void *ctx) {
    aws_athena_send(ctx);
}

/* A new call of `op` with `input` (taken), sent. */
static aws_athena_call *aws_athena_submit(aws_athena_scan_t *scan, aws_athena_op op,
                                          json_object *input) {
    aws_athena_call *c = xcalloc(1, sizeof *c);
    c->scan = scan;
    c->op = op;
    c->target = xasprintf("AmazonAthena.%s", aws_athena_ops[op]);
    c->input = input;
    c->next = scan->calls;
    scan->calls = c;
    aws_athena_send(c);
    return c;
}

/* A listing's input: {["WorkGroup"], "MaxResults"}. */
static json_object *aws_athena_list_input(const char *group) {
    json_object *in = json_object_new_object();
    if (group)
        json_object_object_add(in, "WorkGroup", json_object_new_string(group));
    json_object_object_add(in, "MaxResults", json_object_new_int(AWS_ATHENA_PAGE));
    return in;
}

static void aws_athena_call_free(aws_athena_call *c) {
    aws_request_signing_free(&c->sign);
    free(c->target);
    free(c->body);
    free(c->token);
    json_object_put(c->input);
    page_guard_free(&c->pages);
    free(c);
}

/* The pass failed: "Athena OP: why", the earliest op's if several did. */
static void aws_athena_fail(aws_athena_call *c, const char *why) {
    aws_athena_scan_t *scan = c->scan;
    if (scan->error && scan->error_op <= c->op)
        return;
    free(scan->error);
    scan->error = xasprintf("Athena %s: %s", aws_athena_ops[c->op], why);
    scan->error_op = c->op;
}

/* The listing's next page (token, may be NULL: none), unless the listing
 * loops or passes its bound (page_guard.h). */
static void aws_athena_follow(aws_athena_call *list, const char *token) {
    if (!token || !*token)
        return;
    char *endless = NULL;
    if (!page_guard_next(&list->pages, token, PAGE_GUARD_ATHENA, &endless)) {
        aws_athena_fail(list, endless);
        free(endless);
        return;
    }
    json_object_object_add(list->input, "NextToken", json_object_new_string(token));
    aws_athena_send(list);
}

static void aws_athena_groups_page(aws_athena_call *c, json_object *answer) {
    json_object *list = glue_json_array(answer, "WorkGroups");
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        const char *name = glue_json_string(json_object_array_get_idx(list, i), "Name");
        if (name)
            aws_athena_submit(c->scan, AWS_ATHENA_EXECUTIONS, aws_athena_list_input(name));
    }
    aws_athena_follow(c, glue_json_string(answer, "NextToken"));
}

static void aws_athena_executions_page(aws_athena_call *c, json_object *answer) {
    json_object *ids = glue_json_array(answer, "QueryExecutionIds");
    const char *token = glue_json_string(answer, "NextToken");
    if (!ids || json_object_array_length(ids) == 0) {
        aws_athena_follow(c, token);
        return;
    }
    free(c->token);
    c->token = token ? xstrdup(token) : NULL;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "QueryExecutionIds", json_object_get(ids));
    aws_athena_submit(c->scan, AWS_ATHENA_BATCH, in)->list = c;
}

/* The executions of one page of ids; the group's next page unless one of
 * them is older than the window (newest first: the rest are too). */
static void aws_athena_batch(aws_athena_call *c, json_object *answer) {
    aws_athena_scan_t *scan = c->scan;
    json_object *list = glue_json_array(answer, "QueryExecutions");
    int64_t since = scan->now - (int64_t)QUERIES_WINDOW_DAYS * 86400;
    bool more = true;
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object_array_add(scan->executions, json_object_get(e));
        int64_t submitted = queries_submitted(e);
        if (submitted >= 0 && submitted < since)
            more = false;
    }
    aws_athena_call *group = c->list;
    char *token = group->token;
    group->token = NULL;
    if (more)
        aws_athena_follow(group, token);
    free(token);
}

static void aws_athena_done(void *ctx, const http_response *response) {
    aws_athena_call *c = ctx;
    aws_athena_scan_t *scan = c->scan;
    if (response->error) {
        if (!aws_rounds_defer(&scan->rounds, response, aws_athena_resend, aws_athena_done, c))
            aws_athena_fail(c, response->error);
        return;
    }
    if (scan->error)
        return; /* the counts are unknown already: nothing more is asked */
    json_object *answer = json_tokener_parse(response->body ? response->body : "");
    if (!answer || !json_object_is_type(answer, json_type_object)) {
        aws_athena_fail(c, "the answer is not a JSON object");
    } else if (c->op == AWS_ATHENA_GROUPS) {
        aws_athena_groups_page(c, answer);
    } else if (c->op == AWS_ATHENA_EXECUTIONS) {
        aws_athena_executions_page(c, answer);
    } else {
        aws_athena_batch(c, answer);
    }
    json_object_put(answer);
}

/* The cache's key of a table: "database.table". */
static char *aws_athena_key(const table_stats *t) {
    return xasprintf("%s.%s", t->database, t->name);
}

static bool aws_athena_fresh(const aws_athena_cache *cache, int64_t now) {
    return cache->at && now - cache->at < AWS_ATHENA_EVERY && now >= cache->at;
}

aws_athena_scan_t *aws_athena_scan_start(aws_source *src) {
    int64_t now = clock_now();
    if (aws_athena_fresh(&src->athena, now))
        return NULL; /* the last pass's counts are reused */
    aws_athena_scan_t *scan = xcalloc(1, sizeof *scan);
    *scan = (aws_athena_scan_t){.src = src, .now = now, .executions = json_object_new_array()};
    aws_athena_submit(scan, AWS_ATHENA_GROUPS, aws_athena_list_input(NULL));
    return scan;
}

/* Counts the pass's executions into `s` (or says why they are unknown). */
static void aws_athena_count(aws_athena_scan_t *scan, lake_snapshot *s) {
    if (scan->error) {
        s->has_queries = false;
        s->queries_unparsed = 0;
        s->queries_billed_bytes_30d = -1;
        s->queries_cost_unknown = 0;
        for (size_t i = 0; i < s->n_tables; i++)
            s->tables[i].queries_30d = -1;
        free(s->queries_error);
        s->queries_error = scan->error;
        scan->error = NULL;
        return;
    }
    query_tally tally = {0};
    queries_begin(&tally, s, scan->now);
    for (size_t i = 0; i < json_object_array_length(scan->executions); i++)
        queries_add(&tally, json_object_array_get_idx(scan->executions, i));
    queries_end(&tally);
}

/* Keeps the pass's outcome in the cache, for the refreshes of the next
 * AWS_ATHENA_EVERY seconds. */
static void aws_athena_remember(aws_athena_cache *cache, const lake_snapshot *s, int64_t at) {
    aws_athena_forget(cache);
    cache->at = at;
    cache->error = s->queries_error ? xstrdup(s->queries_error) : NULL;
    cache->unparsed = s->queries_unparsed;
    cache->billed_total = s->queries_billed_bytes_30d;
    cache->cost_unknown = s->queries_cost_unknown;
    if (!s->has_queries)
        return;
    cache->counts = json_object_new_object();
    cache->billed = json_object_new_object();
    for (size_t i = 0; i < s->n_tables; i++) {
        char *key = aws_athena_key(&s->tables[i]);
        json_object_object_add(cache->counts, key, json_object_new_int64(s->tables[i].queries_30d));
        json_object_object_add(cache->billed, key,
                               json_object_new_double(s->tables[i].query_billed_bytes_30d));
        free(key);
    }
}

/* The last pass's counts, a table the pass did not know counting 0. */
static void aws_athena_recall(const aws_athena_cache *cache, lake_snapshot *s) {
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

void aws_athena_scan_finish(aws_source *src, aws_athena_scan_t *scan, lake_snapshot *s,
                            const bool *stop) {
    if (!scan) {
        if (s)
            aws_athena_recall(&src->athena, s);
        return;
    }
    http_client_run(src->http, stop);
    if (s) {
        aws_rounds_run(&scan->rounds, src->http, src->options.retry_base_ms, true, stop);
    } else {
        aws_rounds_give_up(&scan->rounds); /* the refresh failed: no rounds for its extras */
        http_client_run(src->http, stop);
    }
    aws_rounds_clear(&scan->rounds);
    bool stopped = stop && __atomic_load_n(stop, __ATOMIC_RELAXED);
    if (s && !stopped) {
        aws_athena_count(scan, s);
        aws_athena_remember(&src->athena, s, scan->now);
    }
    while (scan->calls) {
        aws_athena_call *next = scan->calls->next;
        aws_athena_call_free(scan->calls);
        scan->calls = next;
    }
    json_object_put(scan->executions);
    free(scan->error);
    free(scan);
}

void aws_athena_forget(aws_athena_cache *cache) {
    json_object_put(cache->counts);
    json_object_put(cache->billed);
    free(cache->error);
    *cache = (aws_athena_cache){0};
}
