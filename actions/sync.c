/* sync.c: the sync action: a rule's plan (its two zones listed and
 * compared), carried out, audited and kept as the rule's last run. */
#include "actions/sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "actions/audit.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"

void sync_progressed(const action_report *report, size_t done, size_t total) {
    action_progress(report, total ? (double)done / (double)total : 1.0, "%zu / %zu", done, total);
}

size_t sync_total(const sync_rule *rule, const sync_plan *plan) {
    return plan->n_copy + (rule->delete_extra ? plan->n_remove : 0);
}

/* What a rule would do (nothing is changed); `s3` (may be NULL) reaches
 * s3:// zones. */
static bool sync_plan_build(const sync_config *c, const sync_rule *rule, lake_source *s3,
                            sync_plan *plan, char **error) {
    memset(plan, 0, sizeof *plan);
    const zone *from = zones_find(c, rule->from), *to = zones_find(c, rule->to);
    if (!from || !to) {
        *error = xasprintf("sync rule %s names a zone that is not defined", rule->name);
        return false;
    }
    zone_listing src, dst;
    if (!zones_list(from, rule->prefixes, rule->n_prefixes, s3, &src, error))
        return false;
    if (!zones_list(to, rule->prefixes, rule->n_prefixes, s3, &dst, error)) {
        zones_listing_free(&src);
        return false;
    }
    sync_plan_compare(src.items, src.n, dst.items, dst.n, plan);
    zones_listing_free(&src);
    zones_listing_free(&dst);
    return true;
}

/* Carries a plan out; deletes only when rule->delete_extra. */
static bool sync_apply(const sync_config *c, const sync_rule *rule, lake_source *s3,
                       const sync_plan *plan, const action_report *report, size_t *copied,
                       size_t *removed, char **error) {
    *copied = *removed = 0;
    const zone *from = zones_find(c, rule->from), *to = zones_find(c, rule->to);
    if (storage_is_s3(from->uri) && storage_is_s3(to->uri))
        return sync_apply_s3(from, to, rule, s3, plan, report, copied, removed, error);
    if (storage_is_s3(from->uri) || storage_is_s3(to->uri))
        return sync_apply_mixed(from, to, rule, s3, plan, report, copied, removed, error);
    return sync_apply_local(from, to, rule, plan, report, copied, removed, error);
}

/* The rule's last run, for the Zones view (zones_runs_path), replaced
 * atomically; a state that cannot be written is a convenience lost (the
 * audit log has the record). */
static void sync_record_run(const char *rule, bool ok, const char *result) {
    char *path = zones_runs_path();
    if (!path)
        return;
    json_object *all = zones_runs_load(path);
    json_object *entry = json_object_new_object();
    char when[32];
    json_object_object_add(entry, "time",
                           json_object_new_string(fmt_iso8601(clock_now(), when, sizeof when)));
    json_object_object_add(entry, "ok", json_object_new_boolean(ok));
    json_object_object_add(entry, "result", json_object_new_string(result));
    json_object_object_add(all, rule, entry);
    const char *text = json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY);
    char *error = NULL;
    if (!fs_write_atomic(path, text, strlen(text), &error))
        free(error); /* the state is a convenience: the audit log has the record */
    json_object_put(all);
    free(path);
}

/* "no rule named X; the rules are: a b" (malloc'd). */
static char *sync_unknown_rule(const sync_config *c, const char *name) {
    char *text = xasprintf("no rule named %s; the rules are:", name);
    for (size_t i = 0; i < c->n_rules; i++) {
        char *longer = xasprintf("%s %s", text, c->rules[i].name);
        free(text);
        text = longer;
    }
    char *all = xasprintf("%s%s", text, c->n_rules ? "" : " (none: add [sync NAME] sections)");
    free(text);
    return all;
}

action_status sync_run(const sync_request *r, const action_report *report, char **result) {
    char *error = NULL;
    if (!zones_check(r->config, &error)) {
        *result = error;
        return ACTION_RESULT_REFUSED;
    }
    const sync_rule *rule = zones_find_rule(r->config, r->rule);
    if (!rule) {
        *result = sync_unknown_rule(r->config, r->rule);
        return ACTION_RESULT_REFUSED;
    }
    action_progress(report, 0, "comparing the zones");
    lake_source *s3 = NULL;
    if (zones_use_s3(r->config) && !(s3 = action_source_open(&r->s3, &error)) && error) {
        *result = error;
        return ACTION_RESULT_REFUSED;
    }
    sync_plan plan;
    if (!sync_plan_build(r->config, rule, s3, &plan, &error)) {
        *result = error;
        action_source_close(&r->s3, s3);
        return ACTION_RESULT_ERROR;
    }
    char *summary = sync_plan_summary(rule, &plan);
    if (r->dry_run) {
        *result = summary;
        sync_plan_free(&plan);
        action_source_close(&r->s3, s3);
        return ACTION_RESULT_DONE;
    }
    action_note(report, "%s", summary);
    free(summary);
    size_t copied = 0, removed = 0;
    bool ok = sync_apply(r->config, rule, s3, &plan, report, &copied, &removed, &error);
    action_source_close(&r->s3, s3);
    char size[32];
    fmt_bytes(plan.bytes_to_copy, size, sizeof size);
    *result = ok ? xasprintf("copied %zu %s (%s), deleted %zu", copied,
                             fmt_plural((int64_t)(copied), "object", "objects"), size, removed)
                 : xasprintf("%s (after %zu copied, %zu deleted)", error, copied, removed);
    free(error);
    audit_log(report, rule->from, "sync", rule->name, *result);
    sync_record_run(rule->name, ok, *result);
    sync_plan_free(&plan);
    return ok ? ACTION_RESULT_DONE : ACTION_RESULT_FAILED;
}

typedef struct sync_job {
    sync_config config; /* a copy, owned */
    char *rule;
    bool dry_run;
    action_context context;
} sync_job;

static bool sync_job_run(void *ctx, job_progress *progress, char **result) {
    sync_job *j = ctx;
    sync_request r = {
        .config = &j->config,
        .rule = j->rule,
        .dry_run = j->dry_run,
        .s3 = {.make = j->context.make_s3_source, .make_ctx = j->context.make_ctx},
    };
    action_report report = action_report_job(progress);
    return sync_run(&r, &report, result) == ACTION_RESULT_DONE;
}

static void sync_job_free(void *ctx) {
    sync_job *j = ctx;
    zones_config_free(&j->config);
    free(j->rule);
    free(j);
}

int sync_start_job(jobs *j, const action_context *context, const char *rule, bool dry_run) {
    sync_job *job = xcalloc(1, sizeof *job);
    zones_config_copy(&job->config, context->sync);
    job->rule = xstrdup(rule);
    job->dry_run = dry_run;
    job->context = *context;
    return jobs_start(j, dry_run ? "dry run" : "sync", rule, !dry_run, sync_job_run, job,
                      sync_job_free);
}
