/* check.c: `laketop check` (see check.h). */
#include "app/check.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/pipeline.h"
#include "collector/figures/thresholds.h"
#include "collector/figures/writers.h"
#include "common/fmt.h"
#include "common/redact.h"
#include "common/text_safe.h"
#include "common/xalloc.h"

static const char *const check_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

static const char *check_status_name(check_status status) {
    return check_names[status];
}

/* What a job's or state machine's newest run says: CRITICAL (failed, and
 * severity = critical), WARNING (failed, or waiting past 20 min), else OK. */
static check_status check_job_status(const pipeline_job *j, int64_t now) {
    if (pipeline_job_failed(j))
        return j->critical ? CHECK_CRITICAL : CHECK_WARNING;
    return pipeline_run_waiting_long(pipeline_newest(j), now) ? CHECK_WARNING : CHECK_OK;
}

static check_status check_pipeline_status(const lake_snapshot *s) {
    check_status worst = s->pipeline_error ? CHECK_WARNING : CHECK_OK;
    for (int machines = 0; machines < 2; machines++) {
        const pipeline_job *jobs = machines ? s->state_machines : s->jobs;
        size_t n = machines ? s->n_state_machines : s->n_jobs;
        for (size_t i = 0; i < n; i++) {
            check_status st = check_job_status(&jobs[i], s->generated_at);
            if (st > worst)
                worst = st;
        }
    }
    return worst;
}

check_status check_evaluate(const lake_snapshot *s) {
    if (!s)
        return CHECK_UNKNOWN;
    check_status worst = s->error ? CHECK_WARNING : CHECK_OK;
    check_status pipeline = check_pipeline_status(s);
    if (pipeline > worst)
        worst = pipeline;
    for (size_t i = 0; i < s->n_databases; i++)
        if (s->databases[i].error)
            worst = CHECK_WARNING;
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        if (t->stale == STALE_CRIT)
            return CHECK_CRITICAL;
        if (t->stale == STALE_WARN || t->error)
            worst = CHECK_WARNING;
    }
    return worst;
}

/* Names, sources and messages come from the lake or the service: escaped,
 * so that none can write to the terminal or add a line. */
static void check_text(FILE *out, const char *text) {
    char *safe = redact_dup(text); /* nor a secret an error quotes */
    text_safe_write(out, safe, TEXT_SAFE_TERMINAL);
    free(safe);
}

/* "WARNING sales.orders: why": one line whatever the names hold. */
static void check_warning(FILE *out, const char *level, const char *database, const char *table,
                          const char *why) {
    fprintf(out, "%s ", level);
    check_text(out, database);
    if (table) {
        fputc('.', out);
        check_text(out, table);
    }
    fputs(": ", out);
    check_text(out, why);
    fputc('\n', out);
}

/* "WARNING job load_partners: newest run FAILED 3h ago (exit status 2):
 * MESSAGE", "WARNING state machine X: run ID WAITING for 25m": the jobs
 * (then the state machines) whose check is `level`. */
static void check_pipeline_lines(FILE *out, const lake_snapshot *s, check_status level) {
    for (int machines = 0; machines < 2; machines++) {
        const pipeline_job *jobs = machines ? s->state_machines : s->jobs;
        size_t n = machines ? s->n_state_machines : s->n_jobs;
        for (size_t i = 0; i < n; i++) {
            const pipeline_job *j = &jobs[i];
            if (check_job_status(j, s->generated_at) != level)
                continue;
            const pipeline_run *r = pipeline_newest(j);
            char age[32];
            fmt_age(s->generated_at - (r->ended_at >= 0 ? r->ended_at : r->started_at), age,
                    sizeof age);
            fprintf(out, "%s %s ", check_status_name(level), machines ? "state machine" : "job");
            check_text(out, j->name);
            fputs(": ", out);
            if (pipeline_job_failed(j)) {
                fputs("newest run ", out);
                check_text(out, r->state);
                fprintf(out, " %s ago", age);
                if (r->exit_status > 0)
                    fprintf(out, " (exit status %d)", r->exit_status);
                if (r->error) {
                    fputs(": ", out);
                    check_text(out, r->error);
                }
            } else {
                fputs("run ", out);
                check_text(out, r->id ? r->id : "?");
                fputs(" ", out);
                check_text(out, r->state);
                fmt_age(s->generated_at - r->started_at, age, sizeof age);
                fprintf(out, " for %s (over %dm)", age, PIPELINE_WAITING_LONG_SECONDS / 60);
            }
            fputc('\n', out);
        }
    }
}

/* ", 1 of 2 jobs failed, 0 of 1 state machines failed" (when there are). */
static void check_pipeline_summary(FILE *out, const lake_snapshot *s) {
    for (int machines = 0; machines < 2; machines++) {
        const pipeline_job *jobs = machines ? s->state_machines : s->jobs;
        size_t n = machines ? s->n_state_machines : s->n_jobs, failed = 0;
        for (size_t i = 0; i < n; i++)
            failed += pipeline_job_failed(&jobs[i]);
        if (n)
            fprintf(out, ", %zu of %zu %s failed", failed, n,
                    machines ? fmt_plural((int64_t)n, "state machine", "state machines")
                             : fmt_plural((int64_t)n, "job", "jobs"));
    }
}

bool check_write_text(FILE *out, const lake_snapshot *s, check_status status) {
    if (!s) {
        fprintf(out, "LAKETOP UNKNOWN - no figures\n");
        return !ferror(out);
    }
    size_t crit = 0, warn = 0, errors = 0, database_errors = 0;
    for (size_t i = 0; i < s->n_tables; i++) {
        crit += s->tables[i].stale == STALE_CRIT;
        warn += s->tables[i].stale == STALE_WARN;
        errors += s->tables[i].error != NULL;
    }
    for (size_t i = 0; i < s->n_databases; i++)
        database_errors += s->databases[i].error != NULL;
    fprintf(out, "LAKETOP %s - %zu of %zu %s past critical staleness, %zu past warning",
            check_status_name(status), crit, s->n_tables,
            fmt_plural((int64_t)(s->n_tables), "table", "tables"), warn);
    if (errors || database_errors)
        fprintf(out, ", %zu %s and %zu %s unreadable", errors,
                fmt_plural((int64_t)(errors), "table", "tables"), database_errors,
                fmt_plural((int64_t)(database_errors), "database", "databases"));
    check_pipeline_summary(out, s);
    fputs(" (", out);
    check_text(out, s->source);
    if (s->identity) { /* which account: prod and staging look alike */
        char *who = snapshot_identity_label(s->identity);
        fputs(s->identity->account ? ", account " : ", ", out);
        check_text(out, who);
        free(who);
    }
    fputs(")\n", out);
    if (s->error) /* a part of the source: the figures stand */
        check_warning(out, "WARNING", s->source, NULL, s->error);
    /* the critical ones first, then the warnings, then the unreadable */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < s->n_tables; i++) {
            const table_stats *t = &s->tables[i];
            char age[32], reason[700];
            if (pass < 2 && t->stale == (pass == 0 ? STALE_CRIT : STALE_WARN)) {
                /* the rule that applied, as the Overview says it
                 * (thresholds.h): "(critical at 7d; usually every 1d)" */
                fmt_age(t->staleness_seconds, age, sizeof age);
                thresholds_reason(t, pass == 0, pass == 0 ? "critical at" : "warning at", reason,
                                  sizeof reason);
                /* and its writer, when its newest run failed (writers.h):
                 * "; writer compact_orders FAILED 5h ago: MESSAGE" */
                char writer[WRITERS_MESSAGE_MAX + 200];
                bool named = writers_late_text(t, writers_job(s, t), s->generated_at, false, writer,
                                               sizeof writer);
                char *why = xasprintf("no new data for %s (%s)%s%s", age, reason, named ? "; " : "",
                                      named ? writer : "");
                check_warning(out, pass == 0 ? "CRITICAL" : "WARNING", t->database, t->name, why);
                free(why);
            } else if (pass == 2 && t->error) {
                check_warning(out, "WARNING", t->database, t->name, t->error);
            }
        }
        if (pass < 2) /* the jobs and state machines after the tables of their level */
            check_pipeline_lines(out, s, pass == 0 ? CHECK_CRITICAL : CHECK_WARNING);
    }
    if (s->pipeline_error)
        check_warning(out, "WARNING", s->source, NULL, s->pipeline_error);
    for (size_t i = 0; i < s->n_databases; i++)
        if (s->databases[i].error)
            check_warning(out, "WARNING", s->databases[i].name, NULL, s->databases[i].error);
    return !ferror(out);
}

/* A label value: backslash, double quote and newline escaped as the
 * exposition format says, and the controls it has no escape for written as
 * text (see text_safe.h). */
static void check_label(FILE *out, const char *v) {
    text_safe_write(out, v, TEXT_SAFE_PROMETHEUS);
}

static void check_table_metric(FILE *out, const lake_snapshot *s, const char *name,
                               const char *help, int64_t (*value)(const table_stats *)) {
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        int64_t v = value(t);
        if (v < 0)
            continue; /* unknown: no sample rather than a false one */
        fprintf(out, "%s{database=\"", name);
        check_label(out, t->database);
        fputs("\",table=\"", out);
        check_label(out, t->name);
        fprintf(out, "\"} %" PRId64 "\n", v);
    }
}

static int64_t check_bytes(const table_stats *t) {
    return t->bytes;
}
static int64_t check_objects(const table_stats *t) {
    return t->objects;
}
static int64_t check_staleness(const table_stats *t) {
    return t->staleness_seconds;
}
static int64_t check_queries(const table_stats *t) {
    return t->queries_30d;
}
static int64_t check_late(const table_stats *t) {
    return t->usual_interval_seconds < 0 ? -1 : t->late;
}
static int64_t check_anomaly(const table_stats *t) {
    return t->anomaly;
}
static int64_t check_projected(const table_stats *t) {
    return t->has_forecast ? t->projected_bytes_30d : -1;
}
static int64_t check_quota_days(const table_stats *t) {
    return t->quota_bytes > 0 ? t->days_to_quota : -1;
}
static int64_t check_schema_changed(const table_stats *t) {
    return t->n_schema_changes ? t->schema_changed_at : -1;
}
static int64_t check_unreferenced(const table_stats *t) {
    return t->unreferenced_bytes;
}
static int64_t check_records(const table_stats *t) {
    return t->records;
}
static int64_t check_snapshots(const table_stats *t) {
    return t->snapshots;
}

static int64_t check_upload_bytes(const table_stats *t) {
    return t->incomplete_upload_bytes;
}

/* The newest run that ended (a running one has no outcome yet); NULL. */
static const pipeline_run *check_last_ended(const pipeline_job *j) {
    for (size_t i = 0; i < j->n_runs; i++)
        if (pipeline_outcome_ended(pipeline_state_outcome(j->runs[i].state)))
            return &j->runs[i];
    return NULL;
}

/* laketop_job_* or laketop_state_machine_*: the last run's outcome and
 * duration, the week's failures. */
static void check_pipeline_metrics(FILE *out, const lake_snapshot *s, bool machines) {
    const pipeline_job *jobs = machines ? s->state_machines : s->jobs;
    size_t n = machines ? s->n_state_machines : s->n_jobs;
    const char *prefix = machines ? "laketop_state_machine" : "laketop_job";
    const char *label = machines ? "state_machine" : "job";
    const char *what = machines ? "state machine's last execution" : "job's last run";
    for (int metric = 0; metric < 3; metric++) {
        static const char *const names[] = {"last_run_succeeded", "last_run_seconds",
                                            "failures_7d"};
        fprintf(out, "# HELP %s_%s ", prefix, names[metric]);
        if (metric == 0)
            fprintf(out, "Whether a %s (the newest that ended) succeeded (1) or not (0).\n", what);
        else if (metric == 1)
            fprintf(out, "How long a %s (the newest that ended) took, in seconds.\n", what);
        else
            fprintf(out, "Failed %s started in the last 7 days.\n",
                    machines ? "executions of a state machine" : "runs of a job");
        fprintf(out, "# TYPE %s_%s gauge\n", prefix, names[metric]);
        for (size_t i = 0; i < n; i++) {
            const pipeline_job *j = &jobs[i];
            const pipeline_run *r = check_last_ended(j);
            int64_t v = metric == 0
                            ? (r ? pipeline_state_outcome(r->state) == PIPELINE_SUCCEEDED : -1)
                        : metric == 1 ? (r && (r->duration_seconds >= 0 || r->ended_at >= 0)
                                             ? pipeline_run_seconds(r, s->generated_at)
                                             : -1) /* an end not recorded: unknown */
                                      : j->failures_7d;
            if (v < 0)
                continue; /* unknown: no sample */
            fprintf(out, "%s_%s{%s=\"", prefix, names[metric], label);
            check_label(out, j->name);
            fprintf(out, "\"} %" PRId64 "\n", v);
        }
    }
}

/* A table's dollars (cost.h); none when unknown. */
static void check_table_usd(FILE *out, const lake_snapshot *s, const char *name, const char *help,
                            double (*value)(const table_stats *)) {
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        double v = value(t);
        if (v < 0)
            continue;
        fprintf(out, "%s{database=\"", name);
        check_label(out, t->database);
        fputs("\",table=\"", out);
        check_label(out, t->name);
        fprintf(out, "\"} %.15f\n", v); /* plain digits: no exponent */
    }
}

static double check_cost_month(const table_stats *t) {
    return t->cost_month_usd;
}
static double check_query_cost(const table_stats *t) {
    return t->query_cost_30d_usd;
}

bool check_write_prometheus(FILE *out, const lake_snapshot *s, check_status status) {
    fprintf(out,
            "# HELP laketop_check_status The check: 0 OK, 1 WARNING, 2 CRITICAL, 3 "
            "UNKNOWN.\n# TYPE laketop_check_status gauge\nlaketop_check_status %d\n",
            (int)status);
    if (!s)
        return !ferror(out);
    fprintf(out,
            "# HELP laketop_generated_at_seconds When the figures were taken.\n"
            "# TYPE laketop_generated_at_seconds gauge\nlaketop_generated_at_seconds "
            "%" PRId64 "\n",
            s->generated_at);
    check_table_metric(out, s, "laketop_table_bytes", "Data bytes of a table (markers excluded).",
                       check_bytes);
    check_table_metric(out, s, "laketop_table_objects",
                       "Data objects of a table (markers excluded).", check_objects);
    check_table_metric(out, s, "laketop_table_staleness_seconds",
                       "Seconds since a table's newest data object.", check_staleness);
    check_table_metric(out, s, "laketop_table_queries_30d",
                       "Queries that read a table in the last 30 days.", check_queries);
    check_table_metric(out, s, "laketop_table_late",
                       "1 when no new data came for 1.5 times the table's usual interval.",
                       check_late);
    check_table_metric(out, s, "laketop_table_anomaly",
                       "1 when today's growth is far outside the table's usual range.",
                       check_anomaly);
    check_table_metric(out, s, "laketop_table_projected_bytes_30d",
                       "The table's size in 30 days at its growth trend (Theil-Sen).",
                       check_projected);
    check_table_metric(out, s, "laketop_table_days_to_quota",
                       "Days until the configured quota at the growth trend (0 reached); "
                       "absent when there is no quota or it is never reached.",
                       check_quota_days);
    check_table_metric(out, s, "laketop_table_schema_changed_seconds",
                       "When the table's columns last changed (a version differing from the "
                       "one before).",
                       check_schema_changed);
    /* the open table formats (collector/formats/formats.h) */
    check_table_metric(out, s, "laketop_table_unreferenced_bytes",
                       "Bytes of data files under an Iceberg or Delta table's location that no "
                       "retained snapshot or log version references (orphans, expired files).",
                       check_unreferenced);
    check_table_metric(out, s, "laketop_table_records",
                       "Live rows of an Iceberg or Delta table, from its metadata.", check_records);
    check_table_metric(out, s, "laketop_table_snapshots",
                       "Retained snapshots (Iceberg), log versions (Delta) or completed commits "
                       "(Hudi) of a table.",
                       check_snapshots);
    check_table_metric(out, s, "laketop_table_incomplete_upload_bytes",
                       "Bytes of the parts of incomplete multipart uploads under a table's "
                       "location (S3 bills them as storage until they are aborted).",
                       check_upload_bytes);
    check_table_usd(out, s, "laketop_table_cost_month_usd",
                    "USD a month of the storage under a table's location costs (every object, by "
                    "storage class, at the config's [prices]).",
                    check_cost_month);
    check_table_usd(out, s, "laketop_table_query_cost_30d_usd",
                    "USD of the Athena queries of the last 30 days that read the table (a query "
                    "over n tables: 1/n each).",
                    check_query_cost);
    fputs("# HELP laketop_crawler_last_crawl_succeeded Whether a crawler's last crawl "
          "succeeded (1) or not (0).\n# TYPE laketop_crawler_last_crawl_succeeded gauge\n",
          out);
    for (size_t i = 0; i < s->n_crawlers; i++) {
        const crawler_info *c = &s->crawlers[i];
        if (!c->last_status)
            continue;
        fputs("laketop_crawler_last_crawl_succeeded{crawler=\"", out);
        check_label(out, c->name);
        fputs("\",status=\"", out);
        check_label(out, c->last_status);
        fprintf(out, "\"} %d\n", strcmp(c->last_status, "SUCCEEDED") == 0);
    }
    check_pipeline_metrics(out, s, false);
    check_pipeline_metrics(out, s, true);
    return !ferror(out);
}
