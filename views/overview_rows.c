/* overview_rows.c: the lines of the Overview and why each is there (see
 * overview_rows.h). A stale line says which rule judged it (thresholds.h),
 * or that its writer failed (writers.h); a stale table is not listed as
 * late again. Failed jobs and state machines come first (critical ones on
 * top). */
#include "views/overview_rows.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/cost.h"
#include "collector/figures/insights.h"
#include "collector/figures/pipeline.h"
#include "collector/figures/schema.h"
#include "collector/figures/thresholds.h"
#include "collector/figures/writers.h"
#include "common/fmt.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define OVERVIEW_TOP 5 /* largest and fastest growing */

overview_row *overview_add(overview_rows *r, const char *what, theme_role role, size_t table) {
    r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    overview_row *row = &r->v[r->n++];
    memset(row, 0, sizeof *row);
    row->what = what;
    row->role = role;
    row->table = table;
    row->database = SIZE_MAX;
    if (table != SIZE_MAX)
        row->name =
            xasprintf("%s %s.%s", what, r->s->tables[table].database, r->s->tables[table].name);
    return row;
}

void overview_free(overview_rows *r) {
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        free(r->v[i].figure);
    }
    free(r->v);
}

/* The `k` tables with the largest key(t) > 0, largest first. */
static void overview_top(overview_rows *r, const char *what, int64_t (*key)(const table_stats *),
                         void (*figure)(const table_stats *, char *, size_t)) {
    const lake_snapshot *s = r->s;
    size_t picked[OVERVIEW_TOP];
    size_t n = 0;
    for (size_t i = 0; i < s->n_tables; i++) {
        int64_t v = key(&s->tables[i]);
        if (v <= 0)
            continue;
        size_t at = n < OVERVIEW_TOP ? n++ : OVERVIEW_TOP;
        if (at == OVERVIEW_TOP && v <= key(&s->tables[picked[OVERVIEW_TOP - 1]]))
            continue;
        if (at == OVERVIEW_TOP)
            at = OVERVIEW_TOP - 1;
        while (at > 0 && key(&s->tables[picked[at - 1]]) < v) {
            picked[at] = picked[at - 1];
            at--;
        }
        picked[at] = i;
    }
    for (size_t k = 0; k < n; k++) {
        overview_row *row = overview_add(r, what, ROLE_NORMAL, picked[k]);
        char why[160];
        figure(&s->tables[picked[k]], why, sizeof why);
        row->figure = xstrdup(why);
    }
}

static int64_t overview_bytes(const table_stats *t) {
    return t->bytes;
}

static void overview_bytes_figure(const table_stats *t, char *out, size_t size) {
    char b[32], n[32];
    fmt_bytes(t->bytes, b, sizeof b);
    fmt_count(t->objects, n, sizeof n);
    snprintf(out, size, "%s in %s %s", b, n, fmt_plural(t->objects, "file", "files"));
}

static int64_t overview_growth(const table_stats *t) {
    return t->has_forecast ? (int64_t)t->growth_bytes_per_day : 0;
}

static void overview_growth_figure(const table_stats *t, char *out, size_t size) {
    char g[32], p[32];
    fmt_bytes_delta((int64_t)t->growth_bytes_per_day, g, sizeof g);
    fmt_bytes(t->projected_bytes_30d, p, sizeof p);
    snprintf(out, size, "%s/day, %s in 30 days", g, p);
}

static int64_t overview_queries(const table_stats *t) {
    return t->queries_30d;
}

static void overview_queries_figure(const table_stats *t, char *out, size_t size) {
    snprintf(out, size, "%lld %s in 30 days", (long long)t->queries_30d,
             fmt_plural((int64_t)(t->queries_30d), "query", "queries"));
}

/* The table with the largest key(t) > 0 (a dollar figure), as a line. */
static void overview_top_usd(overview_rows *r, const char *what, double (*key)(const table_stats *),
                             void (*figure)(const lake_snapshot *, const table_stats *, char *,
                                            size_t)) {
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < r->s->n_tables; i++)
        if (key(&r->s->tables[i]) > 0 &&
            (best == SIZE_MAX || key(&r->s->tables[i]) > key(&r->s->tables[best])))
            best = i;
    if (best == SIZE_MAX)
        return;
    char why[160];
    figure(r->s, &r->s->tables[best], why, sizeof why);
    overview_add(r, what, ROLE_NORMAL, best)->figure = xstrdup(why);
}

static double overview_cost(const table_stats *t) {
    return t->cost_month_usd;
}

/* "$1.23/month of storage (41 % of the lake), queries $0.40 in 30 days" */
static void overview_cost_figure(const lake_snapshot *s, const table_stats *t, char *out,
                                 size_t size) {
    char a[32], q[32];
    cost_format_usd(t->cost_month_usd, a, sizeof a);
    int n = snprintf(out, size, "%s/month of storage", a);
    if (s->storage_month_usd > 0 && n > 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n, " (%.0f %% of the lake)",
                      100 * t->cost_month_usd / s->storage_month_usd);
    if (t->query_cost_30d_usd >= 0 && n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, ", queries %s in 30 days",
                 cost_format_usd(t->query_cost_30d_usd, q, sizeof q));
}

static double overview_cost_growth(const table_stats *t) {
    return t->cost_month_30d_usd >= 0 && t->cost_month_usd >= 0
               ? t->cost_month_30d_usd - t->cost_month_usd
               : 0;
}

/* "+$0.12/month in 30 days ($1.23/month now)" */
static void overview_cost_growth_figure(const lake_snapshot *s, const table_stats *t, char *out,
                                        size_t size) {
    (void)s;
    char a[32], b[32];
    cost_format_usd(overview_cost_growth(t), a, sizeof a);
    cost_format_usd(t->cost_month_usd, b, sizeof b);
    snprintf(out, size, "+%s/month in 30 days (%s/month now)", a, b);
}

/* A kind of line about one table: whether a table has it, and its reason
 * (which may pick the role: a reached quota is critical). */
typedef struct overview_kind {
    const char *what;
    theme_role role;
    bool (*has)(const lake_snapshot *s, const table_stats *t);
    void (*why)(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                theme_role *role);
} overview_kind;

static bool overview_is_crit(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->stale == STALE_CRIT;
}

static bool overview_is_warn(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->stale == STALE_WARN;
}

/* "20d old: crit at 7d; usually every 1d": the rule that applied, as
 * check says it, short enough for the Why column at 80 columns */
static void overview_stale_why(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                               theme_role *role) {
    (void)role;
    /* a writer that failed says why first: "writer compact_orders FAILED 5h ago: ..." */
    if (writers_late_text(t, writers_job(s, t), s->generated_at, false, out, size))
        return;
    char age[32], reason[700];
    fmt_age(t->staleness_seconds, age, sizeof age);
    thresholds_reason(t, t->stale == STALE_CRIT, t->stale == STALE_CRIT ? "crit at" : "warn at",
                      reason, sizeof reason);
    snprintf(out, size, "%s old: %s", age, reason);
}

/* Late and not stale: a stale line already says how late it is. */
static bool overview_is_late(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->late && t->stale != STALE_WARN && t->stale != STALE_CRIT;
}

static void overview_late_why(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                              theme_role *role) {
    (void)role;
    if (writers_late_text(t, writers_job(s, t), s->generated_at, false, out, size))
        return;
    char a[32], b[32];
    fmt_age(t->staleness_seconds, a, sizeof a);
    thresholds_interval_text(t->usual_interval_seconds, b, sizeof b);
    snprintf(out, size, "nothing for %s; usually every %s", a, b);
}

static bool overview_is_anomaly(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->anomaly;
}

static void overview_anomaly_why(const lake_snapshot *s, const table_stats *t, char *out,
                                 size_t size, theme_role *role) {
    (void)s;
    (void)role;
    char a[32];
    fmt_bytes_delta(t->growth_today_bytes, a, sizeof a);
    snprintf(out, size, "today %s, far from its usual", a);
}

static bool overview_is_small(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->small_files;
}

static void overview_small_why(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                               theme_role *role) {
    (void)s;
    (void)role;
    char a[32], b[32];
    fmt_count(t->objects, a, sizeof a);
    fmt_bytes(t->bytes / t->objects, b, sizeof b);
    snprintf(out, size, "%s files averaging %s", a, b);
}

static bool overview_is_waste(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->waste;
}

/* "1.4 GiB unreferenced (41 % of live)" */
static void overview_waste_why(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                               theme_role *role) {
    (void)s;
    (void)role;
    char a[32];
    fmt_bytes(t->unreferenced_bytes, a, sizeof a);
    int share = insights_waste_percent(t->unreferenced_bytes, t->bytes);
    if (share >= 0)
        snprintf(out, size, "%s unreferenced (%d %% of live)", a, share);
    else
        snprintf(out, size, "%s unreferenced (nothing live)", a);
}

static bool overview_is_uploads_left(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->uploads_left;
}

/* "3 incomplete uploads, 1.2 GiB, $0.03/mo, oldest 40d" (the bytes left
 * out when a ListParts failed; "at least" past the uploads whose parts are
 * listed) */
static void overview_uploads_why(const lake_snapshot *s, const table_stats *t, char *out,
                                 size_t size, theme_role *role) {
    (void)role;
    char bytes[48] = "", usd[32], age[32];
    fmt_age(s->generated_at - t->oldest_incomplete_upload, age, sizeof age);
    if (t->incomplete_upload_bytes >= 0) {
        char b[32];
        fmt_bytes(t->incomplete_upload_bytes, b, sizeof b);
        snprintf(bytes, sizeof bytes, ", %s%s, %s/mo", t->upload_bytes_partial ? "at least " : "",
                 b, cost_format_usd(t->incomplete_upload_cost_month_usd, usd, sizeof usd));
    }
    snprintf(out, size, "%lld incomplete %s%s, oldest %s", (long long)t->incomplete_uploads,
             fmt_plural(t->incomplete_uploads, "upload", "uploads"), bytes, age);
}

static bool overview_is_many_snapshots(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->many_snapshots;
}

/* "612 snapshots (over 500)"; Delta: "612 log versions (over 500)" */
static void overview_snapshots_why(const lake_snapshot *s, const table_stats *t, char *out,
                                   size_t size, theme_role *role) {
    (void)role;
    snprintf(out, size, "%lld %s (over %lld)", (long long)t->snapshots,
             t->table_format == TABLE_FORMAT_DELTA ? "log versions" : "snapshots",
             (long long)s->insights.max_snapshots);
}

static bool overview_is_schema(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->schema_recent;
}

static void overview_schema_why(const lake_snapshot *s, const table_stats *t, char *out,
                                size_t size, theme_role *role) {
    (void)role;
    char a[32], d[64];
    fmt_age(s->generated_at - t->schema_changed_at, a, sizeof a);
    snprintf(out, size, "%s ago: %s", a,
             schema_summary(t->schema_changes, t->n_schema_changes, d, sizeof d));
}

static bool overview_is_quota(const lake_snapshot *s, const table_stats *t) {
    (void)s;
    return t->quota_bytes > 0 && t->days_to_quota >= 0 && t->days_to_quota <= 30;
}

static void overview_quota_why(const lake_snapshot *s, const table_stats *t, char *out, size_t size,
                               theme_role *role) {
    (void)s;
    char q[32];
    fmt_bytes(t->quota_bytes, q, sizeof q);
    if (t->days_to_quota == 0) {
        *role = ROLE_STALE_CRIT;
        snprintf(out, size, "%s reached", q);
    } else {
        snprintf(out, size, "%s reached in %lld %s", q, (long long)t->days_to_quota,
                 fmt_plural((int64_t)(t->days_to_quota), "day", "days"));
    }
}

/* What is wrong, in the order an on-call engineer reads it. */
static const overview_kind overview_problems[] = {
    {"stale (crit)", ROLE_STALE_CRIT, overview_is_crit, overview_stale_why},
    {"late", ROLE_STALE_WARN, overview_is_late, overview_late_why},
    {"anomaly", ROLE_STALE_WARN, overview_is_anomaly, overview_anomaly_why},
    {"stale", ROLE_STALE_WARN, overview_is_warn, overview_stale_why},
    {"small files", ROLE_STALE_WARN, overview_is_small, overview_small_why},
    {"waste", ROLE_STALE_WARN, overview_is_waste, overview_waste_why},
    {"uploads left", ROLE_STALE_WARN, overview_is_uploads_left, overview_uploads_why},
    {"many snapshots", ROLE_STALE_WARN, overview_is_many_snapshots, overview_snapshots_why},
    {"schema changed", ROLE_STALE_WARN, overview_is_schema, overview_schema_why},
    {"quota", ROLE_STALE_WARN, overview_is_quota, overview_quota_why},
};

/* One line per table that has the kind, in the snapshot's order. */
static void overview_kind_rows(overview_rows *r, const overview_kind *k) {
    for (size_t i = 0; i < r->s->n_tables; i++) {
        const table_stats *t = &r->s->tables[i];
        if (!k->has(r->s, t))
            continue;
        theme_role role = k->role;
        char why[160];
        k->why(r->s, t, why, sizeof why, &role);
        overview_row *row = overview_add(r, k->what, role, i);
        row->figure = xstrdup(why);
    }
}

/* The never queried: one line per database, with how many and which
 * (thirteen lines of them pushed the rest below the first screen). */
static void overview_unqueried_rows(overview_rows *r) {
    const lake_snapshot *s = r->s;
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        size_t n = 0;
        strbuf names = {0};
        for (size_t k = 0; k < d->n_tables; k++) {
            const table_stats *t = &s->tables[d->first_table + k];
            if (t->queries_30d != 0)
                continue;
            strbuf_printf(&names, "%s%s", n ? ", " : "", t->name);
            n++;
        }
        if (n) {
            overview_row *row = overview_add(r, "never queried", ROLE_DIM, SIZE_MAX);
            row->database = i;
            row->name = xasprintf("never queried %s", d->name);
            row->figure =
                xasprintf("%zu table%s, no query in 30 days: %s", n, n == 1 ? "" : "s", names.data);
        }
        strbuf_free(&names);
    }
}

/* Incomplete uploads that could not be read (ListMultipartUploads denied
 * is common): one line per database, with the first reason. */
static void overview_uploads_unknown_rows(overview_rows *r) {
    const lake_snapshot *s = r->s;
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        size_t n = 0;
        const char *why = NULL;
        for (size_t k = 0; k < d->n_tables; k++) {
            const table_stats *t = &s->tables[d->first_table + k];
            if (t->uploads_error && n++ == 0)
                why = t->uploads_error;
        }
        if (n) {
            overview_row *row = overview_add(r, "uploads unknown", ROLE_DIM, SIZE_MAX);
            row->database = i;
            row->name = xasprintf("uploads unknown %s", d->name);
            row->figure = xasprintf("%zu table%s: %s", n, n == 1 ? "" : "s", why);
        }
    }
}

/* The jobs (or state machines) whose newest run failed or waits long,
 * critical ones first: "job failed  compact_orders  FAILED 5h ago: ...". */
static void overview_job_rows(overview_rows *r, const pipeline_job *list, size_t n,
                              const char *failed, const char *waiting) {
    for (int critical = 1; critical >= 0; critical--) {
        for (size_t i = 0; i < n; i++) {
            char why[WRITERS_MESSAGE_MAX + 96];
            if ((int)list[i].critical != critical ||
                !writers_job_problem(&list[i], r->s->generated_at, false, why, sizeof why))
                continue;
            bool is_failed = pipeline_job_failed(&list[i]);
            overview_row *row = overview_add(r, is_failed ? failed : waiting,
                                             is_failed ? ROLE_ERROR : ROLE_STALE_WARN, SIZE_MAX);
            row->job = &list[i];
            row->name = xasprintf("%s %s", row->what, list[i].name);
            row->figure = xstrdup(why);
        }
    }
}

void overview_build(overview_rows *r, const lake_snapshot *s) {
    memset(r, 0, sizeof *r);
    r->s = s;
    if (!s)
        return;
    /* what is wrong first (an on-call engineer reads from the top), then
     * what is worth knowing */
    overview_job_rows(r, s->jobs, s->n_jobs, "job failed", "job waiting");
    overview_job_rows(r, s->state_machines, s->n_state_machines, "machine failed",
                      "machine waiting");
    for (size_t i = 0; i < s->n_crawlers; i++) {
        const crawler_info *c = &s->crawlers[i];
        if (!c->last_status || strcmp(c->last_status, "FAILED") != 0)
            continue;
        overview_row *row = overview_add(r, "crawler failed", ROLE_ERROR, SIZE_MAX);
        row->crawler = i;
        row->name = xasprintf("crawler %s", c->name);
        row->figure = xstrdup(c->last_error ? c->last_error : "FAILED");
    }
    for (size_t k = 0; k < sizeof overview_problems / sizeof overview_problems[0]; k++)
        overview_kind_rows(r, &overview_problems[k]);
    overview_top(r, "largest", overview_bytes, overview_bytes_figure);
    overview_top(r, "fastest growing", overview_growth, overview_growth_figure);
    overview_top(r, "most queried", overview_queries, overview_queries_figure);
    overview_unqueried_rows(r);
    overview_uploads_unknown_rows(r);
    overview_top_usd(r, "costs most", overview_cost, overview_cost_figure);
    overview_top_usd(r, "cost grows most", overview_cost_growth, overview_cost_growth_figure);
}
